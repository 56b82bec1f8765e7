"""Fuzzing the XML readers (GPX, TCX, PWX): mutated documents give a result or a clear error, fast.

Mutations act on the text of small, sound documents (broken tags, entities and DTDs, huge
attributes, NaN/inf/out-of-range coordinates, times going backwards or impossible, deep
nesting, many namespace declarations), then the text is encoded in one of several encodings,
sometimes wrongly declared, sometimes gzipped. ``tests/fuzzkit.check_load`` is the oracle.
"""

from __future__ import annotations

import gzip
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzkit import check_load, examples
from workoutcheck.errors import UnsafeXmlError

T0 = "2024-05-01T07:00:{:02d}Z"


def gpx_base(n: int = 30) -> str:
    points = "".join(
        f'<trkpt lat="{52.0 + i * 3e-5:.6f}" lon="{4.0 + i * 1e-5:.6f}"><ele>{2 + i % 3}</ele>'
        f"<time>2024-05-01T07:{i // 60:02d}:{i % 60:02d}Z</time><extensions>"
        f"<gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + i % 9}</gpxtpx:hr>"
        f"<gpxtpx:cad>88</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>\n"
        for i in range(n)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="fuzz" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"<trk><name>run</name><type>running</type><trkseg>\n{points}</trkseg></trk></gpx>\n"
    )


def tcx_base(n: int = 30) -> str:
    def tp(i: int) -> str:
        return (
            f"<Trackpoint><Time>2024-05-01T07:{i // 60:02d}:{i % 60:02d}Z</Time><Position>"
            f"<LatitudeDegrees>{52.0 + i * 3e-5:.6f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{4.0 + i * 1e-5:.6f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>3</AltitudeMeters><DistanceMeters>{i * 3.4:.1f}</DistanceMeters>"
            f"<HeartRateBpm><Value>{140 + i % 9}</Value></HeartRateBpm><Extensions>"
            f'<ns3:TPX xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
            f"<ns3:Speed>3.4</ns3:Speed><ns3:RunCadence>88</ns3:RunCadence></ns3:TPX>"
            f"</Extensions></Trackpoint>\n"
        )

    half = n // 2
    laps = "".join(
        f'<Lap StartTime="2024-05-01T07:00:{a:02d}Z"><TotalTimeSeconds>{b - a}</TotalTimeSeconds>'
        f"<DistanceMeters>{(b - a) * 3.4:.1f}</DistanceMeters><Intensity>Active</Intensity>"
        f"<TriggerMethod>Manual</TriggerMethod><Track>\n{''.join(tp(i) for i in range(a, b))}</Track></Lap>\n"
        for a, b in ((0, half), (half, n))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>2024-05-01T07:00:00Z</Id>\n{laps}'
        "<Creator><Name>Fuzz</Name></Creator></Activity></Activities></TrainingCenterDatabase>\n"
    )


def pwx_base(n: int = 30) -> str:
    samples = "".join(
        f"<sample><timeoffset>{i}</timeoffset><hr>{140 + i % 9}</hr><spd>3.4</spd>"
        f"<dist>{i * 3.4:.1f}</dist><lat>{52.0 + i * 3e-5:.6f}</lat><lon>{4.0 + i * 1e-5:.6f}</lon>"
        f"<alt>3</alt><cad>88</cad></sample>\n"
        for i in range(n)
    )
    half = n // 2
    segments = "".join(
        f"<segment><name>Lap</name><summarydata><beginning>{a}</beginning>"
        f"<duration>{b - a}</duration><dist>{(b - a) * 3.4:.1f}</dist></summarydata></segment>\n"
        for a, b in ((0, half), (half, n))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<pwx version="1.0" xmlns="http://www.peaksware.com/PWX/1/0"><workout>'
        "<sportType>Run</sportType><device><make>Fuzz</make></device>"
        f"<time>2024-05-01T07:00:00Z</time>\n{segments}{samples}</workout></pwx>\n"
    )


BASES = {"gpx": gpx_base(), "tcx": tcx_base(), "pwx": pwx_base()}
FORMATS = tuple(BASES)
SNIPPETS = (
    "<",
    ">",
    "</trkpt>",
    "</Trackpoint>",
    '<trkpt lat="1" lon="2">',
    "<Trackpoint>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&#65;",
    "&nbsp;",
    "&xxe;",
    "&",
    "<!DOCTYPE gpx [<!ENTITY a 'b'>]>",
    '<!ENTITY x SYSTEM "file:///etc/passwd">',
    "<!doctype x>",
    "<! DOCTYPE x>",
    "<![CDATA[",
    "]]>",
    "<?pi x?>",
    '<?xml version="1.0"?>',
    "<!-- c -->",
    "<!--",
    "\x00",
    "\x1b",
    "\ufeff",
    "é",
    "\U0001f600",
    "\u2028",
    ' xmlns:a="x"',
    " xmlns",
    ' xmlns="y"',
    ' xsi:schemaLocation="',
    "<extensions><hr>300</hr><cad>255</cad></extensions>",
    "<time></time>",
    "<ele>-</ele>",
    "<gpx>",
    "</gpx>",
    "<TrainingCenterDatabase>",
    "<Activity Sport='Biking'>",
    "</Lap>",
    "'",
    '"',
)
NUMBERS = (
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "91",
    "-91",
    "181",
    "-181",
    "0",
    "-0",
    "",
    "abc",
    "1e-400",
    "9" * 400,
    "0x10",
    "１２",
    " 52.1 ",
    "52,1",
    "-1",
    "255",
    "1e308",
    "300",
    "20",
    "3000",
)
TIMES = (
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2024-02-30T07:00:00Z",
    "2024-05-01T25:00:00Z",
    "2024-05-01T07:00:00.1234567890123456789Z",
    "2024-05-01T07:00:00+99:99",
    "1970-01-01T00:00:00Z",
    "2024-05-01T06:00:00Z",
    "2030-05-01T07:00:00Z",
    "yesterday",
    "",
    "2024-05-01",
    "2024-05-01T07:00:00-14:00",
    "1900-01-01T00:00:00Z",
)
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "latin-1",
    "cp1252",
    "utf-8 declared utf-16",
    "latin-1 declared utf-8",
    "utf-16 declared utf-8",
    "bad bytes",
)
# value-level mutations are listed several times: most mutants should still be well-formed
XML_OPS = (
    "cut",
    "delete",
    "insert",
    "big_attr",
    "number",
    "time",
    "swap_times",
    "repeat",
    "deep",
    "namespaces",
    "case",
    *("number", "time", "swap_times", "big_attr") * 3,
)


def _positions(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0 and len(out) < 5000:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _replace_value(text: str, starts: list[int], a: int, end_char: str, value: str) -> str:
    if not starts:
        return text
    i = starts[a % len(starts)]
    j = text.find(end_char, i)
    return text if j < 0 else text[:i] + value + text[j:]


def mutate_text(text: str, ops, *, big: int) -> str:
    """Apply (kind, a, b) ops; ``big`` bounds the size of the large insertions."""
    for kind, a, b in ops:
        n = max(len(text), 1)
        at = a % n
        if kind == "cut":
            text = text[:at]
        elif kind == "delete":
            text = text[:at] + text[at + 1 + b % 8 :]
        elif kind == "insert":
            text = text[:at] + SNIPPETS[b % len(SNIPPETS)] + text[at:]
        elif kind == "big_attr":
            tag = text.find("<trkpt", at) if "<trkpt" in text else text.find("<Lap", at)
            if tag >= 0:
                size = (10, 1000, big, big // 3)[b % 4]
                text = (
                    text[: tag + 6]
                    + f' x="{"9" * size}" y="{"&#65;" * (size // 5)}"'
                    + text[tag + 6 :]
                )
        elif kind == "number":
            value = NUMBERS[b % len(NUMBERS)]
            needles = (
                'lat="',
                'lon="',
                "<ele>",
                "<gpxtpx:hr>",
                "<LatitudeDegrees>",
                "<Value>",
                "<DistanceMeters>",
                "<ns3:Speed>",
                "<gpxtpx:cad>",
                "<TotalTimeSeconds>",
            )
            needle = needles[a % len(needles)]
            starts = [s + len(needle) for s in _positions(text, needle)]
            text = _replace_value(text, starts, b // 7, '"' if needle.endswith('"') else "<", value)
        elif kind == "time":
            starts = [s + 6 for s in _positions(text, "<time>") + _positions(text, "<Time>")]
            text = _replace_value(text, starts, a, "<", TIMES[b % len(TIMES)])
        elif kind == "swap_times":
            starts = [s + 6 for s in _positions(text, "<time>") + _positions(text, "<Time>")]
            if len(starts) > 1:
                i, j = sorted((starts[a % len(starts)], starts[b % len(starts)]))
                ti, tj = text[i : text.find("<", i)], text[j : text.find("<", j)]
                text = text[:i] + tj + text[i + len(ti) : j] + ti + text[j + len(tj) :]
        elif kind == "repeat":
            for tag in ("<trkpt", "<Trackpoint>"):
                i = text.find(tag, at)
                j = text.find("\n", i)
                if i >= 0 and j > i:
                    text = (
                        text[: j + 1]
                        + text[i : j + 1] * (1 + b % (big // 2000 + 2))
                        + text[j + 1 :]
                    )
                    break
        elif kind == "deep":
            depth = (10, 1000, big // 100)[b % 3]
            i = (
                text.find("<extensions>", at)
                if "<extensions>" in text
                else text.find("<Extensions>", at)
            )
            at = at if i < 0 else i + 12
            text = text[:at] + "<a>" * depth + "</a>" * depth + text[at:]
        elif kind == "namespaces":
            count = (10, big // 20)[b % 2]
            text = text[:at] + "<!-- " + " xmlns" * count + " -->" + text[at:]
        elif kind == "case":
            text = text[:at] + text[at : at + 20].swapcase() + text[at + 20 :]
    return text


def encode(text: str, how: str) -> bytes:
    """``text`` in the encoding ``how`` names, possibly with a lying declaration."""
    if how == "bad bytes":
        raw = text.encode("utf-8", "surrogatepass")
        return raw[: len(raw) // 2] + b"\xff\xfe\xc3(\x80" + raw[len(raw) // 2 :]
    if " declared " in how:
        real, declared = how.split(" declared ")
        text = text.replace('encoding="UTF-8"', f'encoding="{declared}"')
        return text.encode(real, "replace")
    if how not in ("utf-8", "utf-8-sig"):
        text = text.replace('encoding="UTF-8"', f'encoding="{how}"')
    return text.encode(how, "replace" if how in ("latin-1", "cp1252") else "surrogatepass")


def _wrap(data: bytes, gz: int) -> bytes:
    if gz == 0:
        return data
    packed = gzip.compress(data, mtime=0)
    return packed if gz == 1 else packed[: len(packed) * 2 // 3]


OP = st.tuples(st.sampled_from(XML_OPS), st.integers(0, 2**20), st.integers(0, 2**16))


def _fuzz(fmt: str, ops, how: str, gz: int) -> None:
    data = _wrap(encode(mutate_text(BASES[fmt], ops, big=200_000), how), gz)
    check_load(data, f".{fmt}")


@settings(
    max_examples=examples(500, 30_000),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(
    ops=st.lists(OP, min_size=1, max_size=4),
    how=st.sampled_from(ENCODINGS),
    gz=st.sampled_from((0, 0, 0, 0, 1, 2)),
)
def test_mutated_gpx_loads_or_fails_clearly(ops, how, gz):
    """Broken tags, entities, encodings, huge attributes, odd numbers and times in GPX."""
    _fuzz("gpx", ops, how, gz)


@settings(
    max_examples=examples(500, 30_000),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(
    ops=st.lists(OP, min_size=1, max_size=4),
    how=st.sampled_from(ENCODINGS),
    gz=st.sampled_from((0, 0, 0, 0, 1, 2)),
)
def test_mutated_tcx_loads_or_fails_clearly(ops, how, gz):
    """The same mutations on TCX (read by defusedxml, not gpxpy)."""
    _fuzz("tcx", ops, how, gz)


@settings(
    max_examples=examples(500, 30_000),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(
    ops=st.lists(OP, min_size=1, max_size=4),
    how=st.sampled_from(ENCODINGS),
    gz=st.sampled_from((0, 0, 0, 0, 1, 2)),
)
def test_mutated_pwx_loads_or_fails_clearly(ops, how, gz):
    """The same mutations on PWX (TrainingPeaks)."""
    _fuzz("pwx", ops, how, gz)


def random_xml(rng: random.Random) -> tuple[bytes, str]:
    """One random mutant, for an exploration loop outside pytest."""
    fmt = rng.choice(FORMATS)
    ops = [
        (rng.choice(XML_OPS), rng.randrange(2**20), rng.randrange(2**16))
        for _ in range(rng.randrange(1, 5))
    ]
    data = _wrap(
        encode(mutate_text(BASES[fmt], ops, big=200_000), rng.choice(ENCODINGS)),
        rng.choice((0, 0, 0, 1, 2)),
    )
    return data, f".{fmt}"


DTDS = (
    "<!DOCTYPE gpx [<!ENTITY a 'AAAA'>]>",
    '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
    "<!ENTITY % p SYSTEM 'http://example.com/x'>",
    "<!doctype gpx>",
    "<!  DocType x>",
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>',
)


@settings(
    max_examples=examples(200, 10_000),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(
    fmt=st.sampled_from(FORMATS),
    dtd=st.sampled_from(DTDS),
    at=st.integers(0, 2**20),
    how=st.sampled_from(ENCODINGS[:7]),
)
def test_any_dtd_anywhere_in_any_encoding_is_refused(fmt, dtd, at, how):
    """A DTD or entity declaration, wherever it is and however the text is encoded, is refused
    as unsafe (never parsed, so nothing is expanded or fetched)."""
    text = BASES[fmt]
    at = text.index("<", text.index("?>")) if at % 3 == 0 else at % len(text)
    result = check_load(encode(text[:at] + dtd + text[at:], how), f".{fmt}")
    assert isinstance(result, UnsafeXmlError), result
