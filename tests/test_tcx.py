"""TCX reader: real corpus files (read in place), the damaged ones, and inline documents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from workoutcheck.errors import CorruptFileError, NoDataError, UnsafeXmlError
from workoutcheck.ingest.xml.tcx import read_tcx
from workoutcheck.model import Source


def load(corpus: Path, rel: str):
    p = corpus / rel
    return read_tcx(p.read_bytes(), str(p))


def ts(s: str) -> float:
    dt = datetime.fromisoformat(s)
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


# (file, trackpoints, laps, sum of lap TotalTimeSeconds) from SOURCES.md; Multisport keeps
# only its running leg (859 of 1010 trackpoints, 12 of 14 laps)
TCX_FILES = [
    ("gc__10kUNLP2014-Garmin15.tcx", 686, 11, 2224),
    ("runalyze__Could-Not-Be-Read_by-Florian.tcx", 3001, 43, 15470),
    ("runalyze__Multiple-Trainings.tcx", 2368, 5, 8685),
    ("runalyze__Multisport.tcx", 859, 12, 3585),
    ("runalyze__Runtastic.tcx", 22, 1, 61),
    ("runalyze__Standard.tcx", 1528, 23, 6524),
    ("runalyze__Treadmill-doubled-cadence.tcx", 262, 1, 261),
    ("runalyze__Wrong-time-zone-by-polar.tcx", 1923, 7, 1923),
    ("runalyze__missing-distances.tcx", 36, 1, 131),
    ("sportslib__6782987395.tcx", 4989, 2, 4989),
    ("sportslib__6860622783.tcx", 3101, 1, 3098),
    ("sportslib__unknown_example.tcx", 752, 32, 1916),
]


def test_every_corpus_tcx_is_listed(corpus):
    """Every TCX in the corpus is in the table (or is the route-only file)."""
    names = {p.name for p in (corpus / "tcx").glob("*.tcx")}
    assert names == {f for f, *_ in TCX_FILES} | {"runalyze__Route-only.tcx"}


@pytest.mark.parametrize("name,points,laps,timer", TCX_FILES)
def test_corpus_tcx(corpus, name, points, laps, timer):
    """Each real TCX gives its trackpoints, its laps, and lap timer times adding up to the
    duration SOURCES.md lists; laps end no earlier than they start and not after the next."""
    r = load(corpus, f"tcx/{name}")
    assert r.source is Source.TCX and r.sport == "running"
    assert len(r.time) == points
    assert len(r.laps) == laps
    assert sum(lap.timer_s for lap in r.laps) == pytest.approx(timer, abs=1)
    for a, b in zip(r.laps, r.laps[1:], strict=False):
        assert a.end >= a.start
        if b.start > a.start:
            assert a.end <= b.start
    assert ts("2009-01-01T00:00:00") < r.time.min() < ts("2030-01-01T00:00:00")


def test_route_only_tcx_is_nodata(corpus):
    """A TCX Course (no Activity) is a route: NoDataError."""
    with pytest.raises(NoDataError, match="course"):
        load(corpus, "tcx/runalyze__Route-only.tcx")


def test_leading_whitespace_file_is_refused_clearly(corpus):
    """sports-lib 6281425038.tcx has 10 spaces before <?xml: malformed XML, said plainly."""
    with pytest.raises(CorruptFileError, match=r"10 whitespace character\(s\) before the <\?xml"):
        load(corpus, "bad/sportslib__6281425038.tcx")


def test_garmin_fields(corpus):
    """6782987395.tcx: position, altitude, distance, HR, TPX speed and RunCadence x2."""
    r = load(corpus, "tcx/sportslib__6782987395.tcx")
    assert r.time[0] == ts("2019-06-15T09:42:23Z")
    assert r.lat[0] == pytest.approx(41.1630395706743)
    assert r.lon[0] == pytest.approx(-74.17961918748915)
    assert r.altitude[0] == pytest.approx(147.2, abs=0.01)
    assert r.distance[:2] == pytest.approx([1.19, 2.23], abs=1e-6)
    assert r.heart_rate[:2].tolist() == [71.0, 72.0]
    assert r.speed[:2] == pytest.approx([1.446, 1.25], abs=1e-6)
    assert r.cadence[0] == 98.0  # RunCadence 49 per leg
    assert np.isfinite(r.lat).sum() == 4968
    assert r.device == "Forerunner 945"
    lap = r.laps[0]
    assert lap.start == ts("2019-06-15T09:42:23Z")
    assert lap.timer_s == pytest.approx(3448.443) and lap.distance_m == pytest.approx(8825.74)
    assert lap.trigger == "manual" and lap.intensity == "active"


def test_treadmill_cadence_not_doubled_twice(corpus):
    """Treadmill-doubled-cadence.tcx already stores steps/min (118-178): kept, with a note."""
    r = load(corpus, "tcx/runalyze__Treadmill-doubled-cadence.tcx")
    assert r.lat is None and r.lon is None
    assert np.nanmax(r.cadence) <= 200 and np.nanmedian(r.cadence[r.cadence > 0]) > 110
    assert any("not doubled" in n for n in r.notes)


def test_polar_cadence_and_offset(corpus):
    """Polar writes <Cadence> per leg and +01:00 times: cadence doubled, offset honoured."""
    r = load(corpus, "tcx/runalyze__Wrong-time-zone-by-polar.tcx")
    assert r.time[0] == ts("2016-04-10T17:40:59+00:00")
    assert 160 < np.nanmedian(r.cadence[r.cadence > 0]) < 200


def test_multisport_keeps_running_leg(corpus):
    """Biking/Running/Biking: the running leg only, and a note saying so."""
    r = load(corpus, "tcx/runalyze__Multisport.tcx")
    assert r.sport == "running"
    assert any("multisport" in n and "Biking/Running/Biking" in n for n in r.notes)
    assert r.time[0] >= ts("2013-04-18T16:14:21Z") + 400  # after the first bike leg


def test_multiple_activities_are_segments(corpus):
    """Three running activities (not in time order): all kept, in file order; the 2nd and 3rd
    start segments; the laps say Resting -> "rest"."""
    r = load(corpus, "tcx/runalyze__Multiple-Trainings.tcx")
    assert any("3 activities" in n for n in r.notes)
    assert ts("2012-01-20T09:21:02Z") in r.segment_starts
    assert {lap.intensity for lap in r.laps} == {"rest"}
    assert (np.diff(r.time) < 0).sum() == 2  # file order kept
    # first lap: TotalTimeSeconds 3600 but trackpoints until 3801 s: the end is the last point
    assert r.laps[0].end - r.laps[0].start == pytest.approx(3801, abs=1)


def test_missing_distances_are_nan(corpus):
    """Trackpoints without DistanceMeters have NaN distance; the reader does not fill them."""
    r = load(corpus, "tcx/runalyze__missing-distances.tcx")
    assert np.isnan(r.distance[:2]).all() and r.distance[2] == pytest.approx(42013.8984375)


def test_runtastic_lowercase_sport_and_creator(corpus):
    """Sport="running" (lower case) is running; the device falls back to the creator attribute."""
    r = load(corpus, "tcx/runalyze__Runtastic.tcx")
    assert r.sport == "running" and r.device.startswith("runtastic")


def test_attack_files_refused_as_tcx(corpus):
    """The DTD attack files are refused by the TCX reader as well (decode before parse)."""
    for p in sorted((corpus / "bad").glob("synthetic__*.gpx")):
        with pytest.raises(UnsafeXmlError):
            read_tcx(p.read_bytes(), p.name)


# ---------------------------------------------------------------------------------------------
# inline documents
# ---------------------------------------------------------------------------------------------

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
    'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
)


def tp(sec: int, lat="52.0", lon="4.0", hr="140", extra="") -> str:
    pos = (
        f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees>"
        f"<LongitudeDegrees>{lon}</LongitudeDegrees></Position>"
        if lat is not None
        else ""
    )
    time = f"<Time>2024-05-01T10:{sec // 60:02d}:{sec % 60:02d}Z</Time>" if sec >= 0 else ""
    return (
        f"<Trackpoint>{time}{pos}<DistanceMeters>{sec * 4.0}</DistanceMeters>"
        f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>{extra}</Trackpoint>"
    )


def lap(start: int, total: float, tracks: list[str], intensity="Active", trigger="Manual") -> str:
    body = "".join(f"<Track>{t}</Track>" for t in tracks)
    return (
        f'<Lap StartTime="2024-05-01T10:{start // 60:02d}:{start % 60:02d}Z">'
        f"<TotalTimeSeconds>{total}</TotalTimeSeconds><DistanceMeters>{total * 4}</DistanceMeters>"
        f"<Intensity>{intensity}</Intensity><TriggerMethod>{trigger}</TriggerMethod>{body}</Lap>"
    )


def tcx(*activities: tuple[str, str]) -> bytes:
    acts = "".join(f'<Activity Sport="{s}"><Id>x</Id>{body}</Activity>' for s, body in activities)
    return (HEAD + f"<Activities>{acts}</Activities></TrainingCenterDatabase>").encode()


def test_laps_tracks_and_pause():
    """Two laps; the second has two <Track>s (timer stopped 20 s): one segment start. Lap end =
    later of last trackpoint and start + TotalTimeSeconds, capped at the next lap start."""
    l1 = lap(0, 3.0, [tp(0) + tp(1) + tp(2)], trigger="Distance")
    l2 = lap(3, 4.0, [tp(3) + tp(4), tp(25) + tp(26)], intensity="Resting", trigger="Location")
    r = read_tcx(tcx(("Running", l1 + l2)), "l.tcx")
    assert len(r.time) == 7
    assert r.segment_starts == [ts("2024-05-01T10:00:25Z")]
    a, b = r.laps
    assert (a.start, a.end) == (ts("2024-05-01T10:00:00Z"), ts("2024-05-01T10:00:03Z"))
    assert a.trigger == "distance" and a.intensity == "active"
    assert b.end == ts("2024-05-01T10:00:26Z")  # paused: elapsed 23 s > timer 4 s
    assert b.trigger == "position" and b.intensity == "rest" and b.timer_s == 4.0


def test_no_running_activity_keeps_all():
    """With no Running activity all are kept and the sport is theirs; cadence not doubled."""
    cad = "<Cadence>85</Cadence>"
    r = read_tcx(tcx(("Biking", lap(0, 2, [tp(0, extra=cad) + tp(1, extra=cad)]))), "b.tcx")
    assert r.sport == "cycling" and list(r.cadence) == [85.0, 85.0]


def test_tpx_speed_and_runcadence_any_prefix():
    """TPX with a default namespace and with the ns3: prefix both give speed and RunCadence."""
    e1 = (
        '<Extensions><TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        "<Speed>3.5</Speed><RunCadence>88</RunCadence></TPX></Extensions>"
    )
    e2 = (
        "<Extensions><ns3:TPX><ns3:Speed>4.0</ns3:Speed>"
        "<ns3:RunCadence>90</ns3:RunCadence></ns3:TPX></Extensions>"
    )
    r = read_tcx(tcx(("Running", lap(0, 2, [tp(0, extra=e1) + tp(1, extra=e2)]))), "s.tcx")
    assert list(r.speed) == [3.5, 4.0] and list(r.cadence) == [176.0, 180.0]


def test_bad_values_never_crash():
    """Garbage coordinates, HR 0 and a missing time: NaN position, NaN HR, point dropped."""
    body = lap(0, 3, [tp(0, lat="abc") + tp(1, hr="0") + tp(-1) + tp(2, lat="95")])
    r = read_tcx(tcx(("Running", body)), "g.tcx")
    assert len(r.time) == 3
    assert np.isnan(r.lat[0]) and r.lat[1] == 52.0 and np.isnan(r.lat[2])
    assert np.isnan(r.heart_rate[1])
    assert any("without a readable time" in n for n in r.notes)


def test_no_trackpoints_is_nodata():
    """An Activity with laps but no timed trackpoints holds no run."""
    with pytest.raises(NoDataError):
        read_tcx(tcx(("Running", lap(0, 60, []))), "e.tcx")


def test_doctype_refused_in_utf16():
    """A DTD in a UTF-16 TCX is refused (the scan runs on decoded text)."""
    text = HEAD.replace("UTF-8", "UTF-16").replace("?>\n", '?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n')
    data = b"\xff\xfe" + (text + "</TrainingCenterDatabase>").encode("utf-16-le")
    with pytest.raises(UnsafeXmlError, match="DTD"):
        read_tcx(data, "d.tcx")


def test_broken_tcx_is_corrupt():
    """A truncated TCX: CorruptFileError with line and column."""
    data = tcx(("Running", lap(0, 2, [tp(0) + tp(1)])))[:-40]
    with pytest.raises(CorruptFileError, match=r"broken XML at line \d+, column \d+"):
        read_tcx(data, "t.tcx")
