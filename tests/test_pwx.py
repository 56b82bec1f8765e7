"""PWX reader (TrainingPeaks): a hand-written file, inline documents, hostile and broken XML,
the registry wiring, and a generated session read alike as FIT, TCX and PWX."""

from __future__ import annotations

import dataclasses
import gzip
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from workoutcheck.errors import (
    CorruptFileError,
    NoDataError,
    TruncatedFileError,
    UnknownFormatError,
    UnsafeXmlError,
)
from workoutcheck.ingest import detect, load
from workoutcheck.ingest.readers import BY_SOURCE, READERS
from workoutcheck.ingest.xml.pwx import read_pwx
from workoutcheck.model import Source

HAND = Path(__file__).parent / "data" / "pwx-two-laps.pwx"
T0 = datetime(2024, 5, 1, 7, 0, tzinfo=UTC).timestamp()
NS = 'xmlns="http://www.peaksware.com/PWX/1/0"'


def pwx(
    body: str, *, ns: str = NS, time: str | None = "2024-05-01T07:00:00Z", sport="Run"
) -> bytes:
    head = f"<time>{time}</time>" if time is not None else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<pwx version="1.0" {ns}><workout>'
        f"<sportType>{sport}</sportType>{head}{body}</workout></pwx>\n"
    ).encode()


def samples(n: int, step: int = 1) -> str:
    return "".join(
        f"<sample><timeoffset>{i * step}</timeoffset><hr>150</hr><spd>3.5</spd>"
        f"<dist>{i * step * 3.5:.1f}</dist><cad>90</cad></sample>"
        for i in range(n)
    )


def test_the_hand_written_file_reads_to_its_known_values():
    r = read_pwx(HAND.read_bytes(), str(HAND))
    assert r.source is Source.PWX and r.sport == "running"
    assert r.device == "Garmin Forerunner 255"
    assert r.time - T0 == pytest.approx(np.arange(0, 60, 5))
    assert r.distance == pytest.approx([0, 20, 40, 60, 80, 100, 120, 136, 152, 168, 184, 200])
    assert r.speed == pytest.approx([4.0] * 6 + [3.2] * 6)
    assert r.heart_rate == pytest.approx(np.arange(140, 152))
    assert r.cadence == pytest.approx([176.0] * 12)  # 88 per leg -> steps/min
    assert r.altitude == pytest.approx([3, 4] * 6)
    assert r.lat[6] == pytest.approx(52.0 + 120 * 9e-6, abs=1e-6) and r.lon[0] == 4.0
    assert [(lap.start - T0, lap.end - T0, lap.timer_s, lap.distance_m) for lap in r.laps] == [
        (0.0, 30.0, 30.0, 120.0),
        (30.0, 60.0, 25.0, 96.0),  # duration 30, durationstopped 5
    ]
    assert r.notes == ["1 sample(s) without a readable timeoffset were dropped"]


def test_load_detects_pwx_from_content_whatever_the_name(tmp_path):
    data = HAND.read_bytes()
    assert detect(data) is Source.PWX
    assert detect("\ufeff".encode() + data) is Source.PWX
    renamed = tmp_path / "export.xml.gz"
    renamed.write_bytes(gzip.compress(data))
    activity = load(renamed)
    assert activity.source is Source.PWX
    assert [(lap.start_s, lap.end_s) for lap in activity.laps] == [(0.0, 30.0), (30.0, 55.0)]
    assert activity.start_time == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)


def test_without_namespace_zone_or_start_time():
    plain = read_pwx(pwx(samples(5), ns="", time="2024-05-01T07:00:00"), "p.pwx")
    assert plain.time[0] == T0 and not plain.clock_is_relative
    assert "the PWX start time has no time zone: read as UTC" in plain.notes
    relative = read_pwx(pwx(samples(5), time=None), "r.pwx")
    assert relative.clock_is_relative and list(relative.time) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert any("no readable start <time>" in n for n in relative.notes)


def test_a_bike_workout_keeps_its_sport_and_cadence():
    r = read_pwx(pwx(samples(4), sport="Bike"), "b.pwx")
    assert r.sport == "cycling" and r.cadence == pytest.approx([90.0] * 4)


def test_two_workouts_read_as_one_recording_with_a_pause():
    two = pwx(
        samples(3) + f"</workout><workout><sportType>Run</sportType>"
        f"<time>2024-05-01T07:10:00Z</time>{samples(3)}"
    )
    r = read_pwx(two, "two.pwx")
    assert list(r.time - T0) == [0, 1, 2, 600, 601, 602]
    assert r.segment_starts == [T0 + 600] and "2 workouts in one file" in r.notes[0]


def test_positions_out_of_range_are_dropped_with_a_note():
    body = (
        "<sample><timeoffset>0</timeoffset><lat>52</lat><lon>4</lon></sample>"
        "<sample><timeoffset>1</timeoffset><lat>95</lat><lon>4</lon></sample>"
    )
    r = read_pwx(pwx(body), "x.pwx")
    assert r.lat[0] == 52 and np.isnan(r.lat[1])
    assert "1 sample(s) had an unusable position" in r.notes[0]


def test_xml_that_is_not_pwx_is_refused_clearly():
    with pytest.raises(UnknownFormatError, match=r"root element is <gpx>, not <pwx>: not a PWX"):
        read_pwx(b"<gpx version='1.1'></gpx>", "x.pwx")
    with pytest.raises(UnknownFormatError, match=r"nor PWX \(<pwx>\): not a watch file"):
        load(b"<?xml version='1.0'?><kml></kml>", name="x.pwx")
    with pytest.raises(UnknownFormatError, match=r"not a FIT, GPX, TCX or PWX file"):
        load(b"plain text", name="x.pwx")


def test_no_workout_or_no_samples_is_no_data():
    with pytest.raises(NoDataError, match=r"no <workout> in the PWX file"):
        read_pwx(b'<pwx version="1.0"></pwx>', "e.pwx")
    with pytest.raises(NoDataError, match=r"no timed samples"):
        read_pwx(pwx("<summarydata><duration>60</duration></summarydata>"), "e.pwx")
    with pytest.raises(NoDataError, match=r"none of the 2 samples has a timeoffset"):
        read_pwx(pwx("<sample><hr>1</hr></sample>" * 2), "e.pwx")


@pytest.mark.parametrize("cut", [40, 200, 1000])
def test_a_truncated_file_says_so(cut):
    data = HAND.read_bytes()[:-cut]
    with pytest.raises(TruncatedFileError) as e:
        read_pwx(data, "cut.pwx")
    assert str(e.value).startswith("cut.pwx: the PWX file is truncated: it ends before </pwx>")
    assert "broken XML at line" in str(e.value)


def test_broken_xml_in_the_middle_is_corrupt_not_truncated():
    data = HAND.read_bytes().replace(b"<hr>145</hr>", b"<hr>145</h>")
    with pytest.raises(
        CorruptFileError, match=r"broken XML at line 17, column \d+: mismatched tag"
    ) as e:
        read_pwx(data, "bad.pwx")
    assert not isinstance(e.value, TruncatedFileError)


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE pwx [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
    "<pwx><workout><cmt>&c;</cmt><sample><timeoffset>0</timeoffset></sample></workout></pwx>"
)
EXTERNAL = (
    '<?xml version="1.0"?>\n<!DOCTYPE pwx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    "<pwx><workout><cmt>&x;</cmt></workout></pwx>"
)


@pytest.mark.parametrize("text", [LAUGHS, EXTERNAL], ids=["entity-expansion", "external-entity"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_dtds_and_entities_are_refused_as_for_gpx_and_tcx(text, encoding):
    data = text.encode(encoding)
    with pytest.raises(UnsafeXmlError, match=r"declares a DTD/entities"):
        read_pwx(data, "evil.pwx")
    with pytest.raises(UnsafeXmlError, match=r"declares a DTD/entities"):
        load(data, name="evil.pwx")


def test_one_registry_entry_wires_pwx_everywhere(tmp_path):
    """Format list, folder search, batch preloading and the watcher follow from the entry."""
    from workoutcheck.run.batch import _preload_for
    from workoutcheck.run.files import expand_paths, is_watch_file

    assert {r.source for r in READERS} == set(Source)  # one entry per format, no more
    assert BY_SOURCE[Source.PWX].suffix == ".pwx"
    (tmp_path / "a.pwx").write_bytes(HAND.read_bytes())
    (tmp_path / "b.PWX.gz").write_bytes(gzip.compress(HAND.read_bytes()))
    (tmp_path / "c.xml").write_bytes(HAND.read_bytes())
    assert [p.name for p in expand_paths([tmp_path])] == ["a.pwx", "b.PWX.gz"]
    assert is_watch_file(Path("run.pwx"))  # what watch.watcher recognises
    assert "workoutcheck.ingest.xml.pwx" in _preload_for([(Path("a.pwx"), None, None)])  # type: ignore[list-item]
    assert "workoutcheck.ingest.xml.pwx" not in _preload_for([(Path("a.fit"), None, None)])  # type: ignore[list-item]


def test_cli_help_names_every_registered_format():
    from typer.testing import CliRunner

    from workoutcheck.cli import app

    for command in ([], ["check"], ["info"]):
        out = CliRunner().invoke(app, [*command, "--help"]).output
        for reader in READERS:
            assert reader.name in out, (command, reader.name)


# --- a generated session with a known truth, written as FIT, TCX and PWX ---------------------


@pytest.fixture(scope="module")
def same_run(tmp_path_factory):
    import workoutcheck as wc
    from samplegen.build import build_sample
    from samplegen.catalog import specs

    out = {}
    for stem in ("five_by_1000_track", "ten_by_200_autopause"):
        spec = next(s for s in specs() if s.stem == stem)
        built = build_sample(
            dataclasses.replace(spec, formats=("fit", "tcx", "pwx")), tmp_path_factory.mktemp(stem)
        )
        plan = built.truth["plan"]
        out[stem] = (
            built.truth,
            {p.suffix[1:]: wc.check_file(str(p), plan=plan) for p in built.paths[:3]},
        )
    return out


@pytest.mark.parametrize("stem", ["five_by_1000_track", "ten_by_200_autopause"])
def test_pwx_gives_the_reps_of_the_fit_and_tcx(same_run, stem):
    """Same reps, verdicts, status and score; boundaries within a second of each other (FIT and
    TCX hold lap times to the second, PWX segment beginnings to the tenth), and as near the
    true ones as the FIT's to within that second."""
    truth, results = same_run[stem]
    fit, tcx, pwx_result = results["fit"], results["tcx"], results["pwx"]
    assert pwx_result.error is None and pwx_result.activity.source == "pwx"
    for other in (fit, tcx):
        assert pwx_result.status == other.status and pwx_result.score == other.score
        assert [r.verdict for r in pwx_result.reps] == [r.verdict for r in other.reps]
        a = np.array([(r.segment.start_s, r.segment.end_s) for r in pwx_result.reps])
        b = np.array([(r.segment.start_s, r.segment.end_s) for r in other.reps])
        assert a.shape == b.shape and np.abs(a - b).max() <= 1.0
    true_reps = np.array(
        [(s["start_s"], s["end_s"]) for s in truth["segments"] if s["kind"] == "rep"]
    )
    found = np.array([(r.segment.start_s, r.segment.end_s) for r in pwx_result.reps])
    fit_found = np.array([(r.segment.start_s, r.segment.end_s) for r in fit.reps])
    assert np.abs(found - true_reps).max() <= np.abs(fit_found - true_reps).max() + 1.0


def test_the_fuzzing_base_document_reads():
    """``tests/test_fuzz_xml`` mutates this PWX as it does its GPX and TCX (a sound start)."""
    from tests.test_fuzz_xml import BASES

    activity = load(BASES["pwx"].encode(), name="base.pwx")
    assert activity.n_records == 30 and len(activity.laps) == 2
