"""GPX reader and XML safety: real corpus files (read in place, never copied), the XML attack
files, and small inline documents for encodings and damaged values."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from workoutcheck.errors import CorruptFileError, InputError, NoDataError, UnsafeXmlError
from workoutcheck.ingest.xml.gpx import read_gpx
from workoutcheck.ingest.xml.safety import decode_xml
from workoutcheck.ingest.xml.tcx import read_tcx
from workoutcheck.model import Source


def load(corpus: Path, rel: str):
    p = corpus / rel
    return read_gpx(p.read_bytes(), str(p))


def ts(s: str) -> float:
    return datetime.fromisoformat(s).replace(tzinfo=UTC).timestamp()


# (file, trackpoints, first-to-last seconds) from SOURCES.md
GPX_FILES = [
    ("gpxpy__gpx1.0_with_all_fields.gpx", 1, 0),
    ("gpxpy__track-with-empty-segment.gpx", 9, 76),
    ("gpxpy__track-with-less-sec-time.gpx", 2, 1),
    ("runalyze__Movescount-mixed-extensions.gpx", 1275, 1689),
    ("runalyze__Route-only.gpx", 11, 144),
    ("runalyze__break-between-trkseg.gpx", 2350, 22821),
    ("runalyze__garmin-ns3-extension.gpx", 16, 33),
    ("runalyze__hr-not-always-there.gpx", 52, 363),
    ("runalyze__runkeeper-negative-time-step-at-start.gpx", 1626, 3329),
    ("runalyze__strava-export.gpx", 241, 1156),
    ("sportslib__1681613317.gpx", 1038, 1958),
    ("sportslib__2067489619.gpx", 502, 2818),
    ("sportslib__6782987395.gpx", 4967, 4989),
    ("sportslib__6909258631.gpx", 2665, 23422),
    ("sportslib__amazfit.gpx", 1216, 2531),
    ("sportslib__sports-tracker.gpx", 7785, 6582),
    ("sportslib__strava-120min-moderate-hard.gpx", 7264, 7723),
]
GPX_NO_RUN = ["gc__MetadataOnly.gpx", "gpxpy__route.gpx", "gpxpy__unicode_with_bom.gpx"]
ATTACKS = [
    "synthetic__billion_laughs.gpx",
    "synthetic__quadratic_blowup.gpx",
    "synthetic__subthreshold_blowup.gpx",
    "synthetic__xxe_file.gpx",
    "synthetic__xxe_param_entity.gpx",
]


def test_every_corpus_gpx_is_listed(corpus):
    """Every GPX in the corpus is covered by one of the tables below, so a new file is noticed."""
    names = {p.name for p in (corpus / "gpx").glob("*.gpx")}
    assert names == {f for f, _, _ in GPX_FILES} | set(GPX_NO_RUN)


@pytest.mark.parametrize("name,points,span", GPX_FILES)
def test_corpus_gpx_reads_all_points(corpus, name, points, span):
    """Each real GPX gives as many samples as it has timed <trkpt> and the first-to-last span
    SOURCES.md lists (within 1 s: sub-second times)."""
    r = load(corpus, f"gpx/{name}")
    assert r.source is Source.GPX
    assert len(r.time) == points
    assert abs((r.time[-1] - r.time[0]) - span) <= 1.0
    assert r.distance is None and r.speed is None  # GPX: the timeline derives them
    for col in (r.lat, r.lon, r.altitude, r.heart_rate, r.cadence):
        assert col is None or len(col) == points
    # sensible dates: 2009..2030
    assert ts("2009-01-01T00:00:00") < r.time.min() < ts("2030-01-01T00:00:00")


@pytest.mark.parametrize("name", GPX_NO_RUN)
def test_corpus_gpx_without_track_is_nodata(corpus, name):
    """Route-only, metadata-only and waypoint-only files raise NoDataError that says why."""
    with pytest.raises(NoDataError, match="no timed track points"):
        load(corpus, f"gpx/{name}")


@pytest.mark.parametrize("name", ATTACKS)
def test_xml_attacks_refused(corpus, name):
    """All five entity/DTD attack files are refused before any parser sees them, by both
    XML readers, with a message saying why (including the sub-threshold blow-up that plain
    gpxpy accepts)."""
    data = (corpus / "bad" / name).read_bytes()
    for reader in (read_gpx, read_tcx):
        with pytest.raises(UnsafeXmlError) as e:
            reader(data, name)
        assert "DTD" in str(e.value) and "refusing the file for safety" in str(e.value)
        assert str(e.value).startswith(name)


def test_missing_latitude_is_corrupt(corpus):
    """runalyze standard.gpx (first <trkpt> without lat/lon): CorruptFileError, not gpxpy's."""
    with pytest.raises(CorruptFileError, match="not a valid GPX file: .*latitude"):
        load(corpus, "bad/runalyze__standard.gpx")


def test_undeclared_prefix_is_corrupt_with_position(corpus):
    """sports-lib 6037744996.gpx uses an undeclared prefix: broken XML at line 17, column 121."""
    with pytest.raises(CorruptFileError) as e:
        load(corpus, "bad/sportslib__6037744996.gpx")
    assert "broken XML at line 17, column 121: unbound prefix" in str(e.value)


def test_heart_rate_missing_on_some_points(corpus):
    """hr-not-always-there: 46 of 52 points carry HR (112, 115, 117 ...); the 6 others are NaN."""
    r = load(corpus, "gpx/runalyze__hr-not-always-there.gpx")
    assert r.heart_rate is not None
    assert list(np.flatnonzero(np.isnan(r.heart_rate))) == [8, 18, 24, 25, 35, 50]
    assert list(r.heart_rate[:3]) == [112.0, 115.0, 117.0]


def test_extension_vocabularies(corpus):
    """Garmin TPX under gpxtpx:/ns3: prefixes, Movescount gpxdata:cadence and Amazfit
    <heartrate> all give HR and cadence; cadence is doubled to steps/min."""
    strava = load(corpus, "gpx/runalyze__strava-export.gpx")
    assert list(strava.heart_rate[:2]) == [117.0, 118.0]
    assert list(strava.cadence[:3]) == [170.0, 172.0, 176.0]  # gpxtpx:cad 85, 86, 88
    ns3 = load(corpus, "gpx/runalyze__garmin-ns3-extension.gpx")
    assert ns3.heart_rate[0] == 72.0 and ns3.cadence[0] == 116.0  # ns3:cad 58
    assert ns3.sport == "running" and ns3.device == "Garmin Connect"
    moves = load(corpus, "gpx/runalyze__Movescount-mixed-extensions.gpx")
    assert moves.heart_rate[0] == 108.0 and moves.cadence[0] == 84.0  # gpxdata:cadence 42
    amaz = load(corpus, "gpx/sportslib__amazfit.gpx")
    assert amaz.heart_rate[0] == 89.0 and amaz.cadence is None


def test_sports_normalised(corpus):
    """<type> running / Running / run / Strava's numeric 9 all read as "running"; none -> None."""
    assert load(corpus, "gpx/sportslib__amazfit.gpx").sport == "running"
    assert load(corpus, "gpx/gpxpy__track-with-less-sec-time.gpx").sport == "running"
    assert load(corpus, "gpx/sportslib__1681613317.gpx").sport == "running"
    assert load(corpus, "gpx/runalyze__strava-export.gpx").sport is None


def test_segment_starts_between_trksegs(corpus):
    """break-between-trkseg has 3 <trkseg>: two segment starts, the second after a 3780 s pause."""
    r = load(corpus, "gpx/runalyze__break-between-trkseg.gpx")
    assert len(r.segment_starts) == 2
    i = [int(np.flatnonzero(r.time == s)[0]) for s in r.segment_starts]
    assert i == [1509, 1510]
    assert r.time[1510] - r.time[1509] == pytest.approx(3780.09, abs=0.01)


def test_file_order_kept(corpus):
    """The reader does not sort: sports-tracker.gpx keeps its backwards time steps."""
    r = load(corpus, "gpx/sportslib__sports-tracker.gpx")
    assert (np.diff(r.time) < 0).sum() == 3078


def test_cross_format_same_run(corpus):
    """sports-lib 6782987395 as GPX and TCX: same start (09:42:23Z), same 4989 s span."""
    g = load(corpus, "gpx/sportslib__6782987395.gpx")
    p = corpus / "tcx" / "sportslib__6782987395.tcx"
    t = read_tcx(p.read_bytes(), str(p))
    assert g.time[0] == t.time[0] == ts("2019-06-15T09:42:23")
    assert g.time[-1] - g.time[0] == pytest.approx(t.time[-1] - t.time[0], abs=2)
    assert np.nanmedian(g.heart_rate) == pytest.approx(np.nanmedian(t.heart_rate), abs=1)
    assert np.nanmedian(g.cadence) == pytest.approx(np.nanmedian(t.cadence), abs=2)


# ---------------------------------------------------------------------------------------------
# inline documents
# ---------------------------------------------------------------------------------------------

NS = 'xmlns="http://www.topografix.com/GPX/1/1"'
TPX = 'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2"'


DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def gpx_doc(points: str, decl: str = DECL, name: str = "Lauf") -> str:
    return (
        f'{decl}<gpx version="1.1" creator="Test Watch" {NS} {TPX}>'
        f"<trk><name>{name}</name><type>Running</type><trkseg>{points}</trkseg></trk></gpx>"
    )


def pt(lat="48.2", lon="16.37", time="2024-05-01T10:00:00Z", extra="") -> str:
    t = f"<time>{time}</time>" if time is not None else ""
    return f'<trkpt lat="{lat}" lon="{lon}"><ele>171.0</ele>{t}{extra}</trkpt>'


THREE = (
    pt()
    + pt(lat="48.2001", time="2024-05-01T10:00:01Z")
    + pt(lat="48.2002", time="2024-05-01T10:00:02Z")
)


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_bom(codec, bom):
    """A UTF-16 file with BOM (declared encoding UTF-16) reads; non-ASCII names survive."""
    text = gpx_doc(THREE, '<?xml version="1.0" encoding="UTF-16"?>\n', name="Laufen in Köln ★")
    r = read_gpx(bom + text.encode(codec), "u16.gpx")
    assert len(r.time) == 3 and r.time[0] == ts("2024-05-01T10:00:00")
    assert decode_xml(bom + text.encode(codec), "u16.gpx").encoding == codec


def test_utf16_without_bom():
    """UTF-16 LE without a BOM is recognised from the zero bytes (XML 1.0 appendix F)."""
    text = gpx_doc(THREE, '<?xml version="1.0" encoding="UTF-16"?>\n')
    assert len(read_gpx(text.encode("utf-16-le"), "u16.gpx").time) == 3


def test_utf8_bom_track():
    """A BOM'd UTF-8 track reads (the corpus BOM file has only a waypoint: NoDataError)."""
    r = read_gpx(b"\xef\xbb\xbf" + gpx_doc(THREE).encode(), "bom.gpx")
    assert len(r.time) == 3 and r.sport == "running" and r.device == "Test Watch"


def test_latin1_declaration():
    """encoding="ISO-8859-1" is honoured: 'ö' as byte 0xF6 decodes correctly."""
    text = gpx_doc(THREE, '<?xml version="1.0" encoding="ISO-8859-1"?>\n', name="Köln")
    r = read_gpx(text.encode("latin-1"), "l1.gpx")
    assert len(r.time) == 3 and r.notes == []


@pytest.mark.parametrize(
    "codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b""), ("utf-8", b"")]
)
def test_doctype_refused_in_any_encoding(codec, bom):
    """A DOCTYPE with an entity is refused even in UTF-16, where a byte scan would miss it."""
    text = '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY a "aaaa">]>\n' + gpx_doc(
        THREE.replace("<ele>171.0</ele>", "<ele>&a;</ele>"), decl=""
    )
    data = bom + text.encode(codec)
    assert b"<!DOCTYPE" not in data or codec == "utf-8"
    with pytest.raises(UnsafeXmlError, match="never expands"):
        read_gpx(data, "dtd.gpx")


def test_lowercase_doctype_refused():
    """The scan is case-insensitive: <!doctype ...> is refused too."""
    with pytest.raises(UnsafeXmlError):
        read_gpx(b"<!doctype gpx>" + gpx_doc(THREE, decl="").encode(), "x.gpx")


def test_leading_whitespace_before_declaration_refused():
    """Whitespace before <?xml ...?> is malformed XML: a one-line error says where."""
    with pytest.raises(CorruptFileError, match="6 whitespace character"):
        read_gpx(b"   \n  " + gpx_doc(THREE).encode(), "ws.gpx")


def test_points_without_time_dropped():
    """Points without <time> are dropped with a note; the others keep file order."""
    r = read_gpx(gpx_doc(pt(time=None) + THREE + pt(time=None)).encode(), "t.gpx")
    assert len(r.time) == 3
    assert any("2 track point(s) without a time" in n for n in r.notes)


def test_no_time_at_all_is_nodata():
    """A track whose points have no time holds no run: NoDataError naming the count."""
    with pytest.raises(NoDataError, match="none of the 2 track points has a time"):
        read_gpx(gpx_doc(pt(time=None) + pt(time=None)).encode(), "t.gpx")


def test_nan_and_out_of_range_coordinates_become_nan():
    """lat="nan" and lat="95" keep the sample (time, HR) but without position."""
    doc = gpx_doc(
        pt(lat="nan") + pt(lat="95", time="2024-05-01T10:00:01Z") + pt(time="2024-05-01T10:00:02Z")
    )
    r = read_gpx(doc.encode(), "n.gpx")
    assert len(r.time) == 3
    assert np.isnan(r.lat[:2]).all() and np.isnan(r.lon[:2]).all() and r.lat[2] == 48.2


def test_garbage_values_blanked_not_fatal():
    """lat="abc", <ele>-</ele> and <time>yesterday</time> make gpxpy refuse the file; the
    reader retries with those values blanked: NaN position, dropped point, a note."""
    doc = gpx_doc(
        pt(lat="abc")
        + pt(time="2024-05-01T10:00:01Z").replace("171.0", "-")
        + pt(time="yesterday")
        + pt(time="2024-05-01T10:00:03Z")
    )
    r = read_gpx(doc.encode(), "g.gpx")
    assert len(r.time) == 3
    assert np.isnan(r.lat[0]) and r.lat[1] == 48.2
    assert np.isnan(r.altitude[1]) and r.altitude[2] == 171.0
    assert any("unreadable" in n for n in r.notes)


def test_broken_xml_reports_line_and_column():
    """Unclosed tags give CorruptFileError('broken XML at line L, column C: ...')."""
    doc = gpx_doc(THREE).replace("</trkseg>", "")
    with pytest.raises(CorruptFileError, match=r"broken XML at line 2, column \d+: mismatched tag"):
        read_gpx(doc.encode(), "b.gpx")


def test_not_xml_at_all():
    """Binary garbage is a CorruptFileError (an InputError), never a raw parser exception."""
    with pytest.raises(InputError):
        read_gpx(b"\x00\x01\x02garbage", "x.gpx")
    with pytest.raises(InputError):
        read_gpx(b"", "x.gpx")


def test_hr_and_cadence_from_tpx_v2():
    """TrackPointExtension v2 hr/cad: HR as written, cadence doubled; HR 0 means no strap."""
    ext = lambda hr, cad: (  # noqa: E731
        f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
        f"<gpxtpx:cad>{cad}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>"
    )
    doc = gpx_doc(pt(extra=ext(150, 88)) + pt(time="2024-05-01T10:00:01Z", extra=ext(0, 90)))
    r = read_gpx(doc.encode(), "e.gpx")
    assert r.heart_rate[0] == 150.0 and np.isnan(r.heart_rate[1])
    assert list(r.cadence) == [176.0, 180.0]


def test_naive_time_is_utc():
    """A time without zone (GPX 1.0 files) is read as UTC; +01:00 offsets are honoured."""
    doc = gpx_doc(pt(time="2024-05-01T10:00:00") + pt(time="2024-05-01T12:00:01+02:00"))
    r = read_gpx(doc.encode(), "z.gpx")
    assert list(r.time) == [ts("2024-05-01T10:00:00"), ts("2024-05-01T10:00:01")]


def _fields(r) -> dict:
    return {
        k: (v.dtype.str, v.tobytes()) if isinstance(v, np.ndarray) else v
        for k, v in vars(r).items()
    }


def _pts(times: list[str], lat: str = "51.5", ele: str = "<ele>12.5</ele>") -> str:
    body = "".join(
        f'<trkpt lat="{lat}" lon="-0.1">{ele}<time>{t}</time><extensions><gpxtpx:'
        f"TrackPointExtension><gpxtpx:hr>{140 + i}</gpxtpx:hr></gpxtpx:TrackPointExtension>"
        "</extensions></trkpt>"
        for i, t in enumerate(times)
    )
    return (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx='
        '"http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><type>running</type>'
        f"<trkseg>{body}</trkseg></trk></gpx>"
    )


COLUMN_WISE = [
    ["2024-05-01T07:00:00Z", "2024-05-01T07:00:01Z", "2024-05-01T23:59:59Z"],
    ["2024-05-01T07:00:00.1234567Z", "2024-05-01T07:00:01.9999999Z"],  # beyond microseconds
    ["2024-05-01 07:00:00.5", "2024-05-02 00:00:00.0"],  # space, no zone
    ["2024-12-31T23:59:59Z", "2025-01-01T00:00:00Z", "1969-12-31T23:59:59Z"],
    ["2024-05-01T07:00:00Z", "2024-05-01T07:00:01+01:00"],  # a zone: read point by point
    ["2024-05-01T07:00:00Z", "2024-05-01T07:00:01.5Z"],  # widths differ
    ["2024-05-01T07:00:00Z", "2024-05-01T24:00:01Z"],  # no hour 24
    ["2024-02-30T07:00:00Z", "2024-02-28T07:00:01Z"],  # no 30 February
    ["2024-05-01T07:00:00Z", "2024-05-01X07:00:01Z"],
    ["2024-05-01T07:00:00Z", "2024-05-01T07:00:0\u0661Z"],  # a non-ASCII digit
    ["2024-05-01T07:00:00Z", ""],
]


@pytest.mark.parametrize("times", COLUMN_WISE)
@pytest.mark.parametrize(
    "lat,ele", [("51.5", "<ele>12.5</ele>"), ("abc", "<ele>-</ele>"), ("95", "<ele>nan</ele>")]
)
def test_column_wise_segments_read_as_the_point_loop_does(monkeypatch, times, lat, ele):
    """A segment of regular fixed-width times is read column-wise; every field (and every
    note, and the refusal of a file without a usable time) is what the point-by-point loop
    gives, including the irregular segments it declines."""
    import workoutcheck.ingest.xml.gpx as gpx

    data = _pts(times, lat, ele).encode()

    def read():
        try:
            return _fields(read_gpx(data, "x.gpx"))
        except InputError as exc:
            return repr(exc)

    fast = read()
    monkeypatch.setattr(gpx, "_regular_segment", lambda points, clock: None)
    assert fast == read()


def test_corpus_gpx_column_wise_as_the_point_loop(corpus, monkeypatch):
    import workoutcheck.ingest.xml.gpx as gpx

    files = sorted((corpus / "gpx").glob("*.gpx"))
    fast = {}
    for p in files:
        try:
            fast[p.name] = _fields(read_gpx(p.read_bytes(), str(p)))
        except InputError as exc:
            fast[p.name] = repr(exc)
    monkeypatch.setattr(gpx, "_regular_segment", lambda points, clock: None)
    for p in files:
        try:
            slow = _fields(read_gpx(p.read_bytes(), str(p)))
        except InputError as exc:
            slow = repr(exc)
        assert fast[p.name] == slow, p.name
