"""The GPX reader workoutcheck had before ``ingest/xml/gpx.py`` read ElementTree's tree
directly: gpxpy's field mapping, kept as the reference ``tests/test_xml_reference.py`` compares
the reader with (``ingest/xml/gpx.py`` says what is read). Its one change to gpxpy: ``_Parser``
skips gpxpy's quadratic namespace-prefix scan. Unreadable values make gpxpy refuse the file;
the reader then retries once with them blanked, and says so in a note.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from xml.etree import ElementTree

import gpxpy
import gpxpy.gpx
import gpxpy.gpxfield
import gpxpy.parser
import numpy as np

from workoutcheck.errors import CorruptFileError, NoDataError
from workoutcheck.ingest.raw import RawRecording, column
from workoutcheck.ingest.xml.safety import (
    decode_xml,
    local_name,
    normalise_sport,
    parse_error,
    running_cadence,
    to_float,
)
from workoutcheck.model import Source

_HR_TAGS = frozenset({"hr", "heartrate", "heart_rate", "heartratebpm"})
_CAD_TAGS = frozenset({"cad", "cadence", "runcadence"})

NO_TRACK = "no timed track points: a GPX route or metadata-only file holds no run"


def read_gpx(data: bytes, path: str) -> RawRecording:
    """Read a GPX file's track points; raise an ``InputError`` subclass when it holds no run."""
    doc = decode_xml(data, path)
    notes = list(doc.notes)
    gpx = _parse(doc.text, path, notes)

    times: list[float] = []
    lats: list[float] = []
    lons: list[float] = []
    eles: list[float | None] = []
    hrs: list[float | None] = []
    cads: list[float | None] = []
    segment_starts: list[float] = []
    sport: str | None = None
    untimed = 0
    bad_pos = 0

    for trk in gpx.tracks:
        if sport is None and trk.type and trk.type.strip():
            sport = normalise_sport(trk.type)
        for seg in trk.segments:
            first_in_segment = True
            for p in seg.points:
                t = _posix(p.time)
                if t is None:
                    untimed += 1
                    continue
                if first_in_segment:
                    if times:
                        segment_starts.append(t)
                    first_in_segment = False
                times.append(t)
                lat, lon = p.latitude, p.longitude
                if (
                    lat is None
                    or lon is None
                    or not (math.isfinite(lat) and math.isfinite(lon))
                    or abs(lat) > 90.0
                    or abs(lon) > 180.0
                ):
                    bad_pos += 1
                    lat = lon = math.nan
                lats.append(lat)
                lons.append(lon)
                ele = p.elevation
                eles.append(ele if ele is not None and math.isfinite(ele) else None)
                hr = cad = None
                if p.extensions:
                    hr, cad = _hr_cad(p.extensions)
                hrs.append(hr)
                cads.append(cad)

    if not times:
        what = NO_TRACK
        if gpx.routes and not gpx.tracks:
            what = "no timed track points: a GPX route (<rte>) holds no run"
        elif untimed:
            what = f"no timed track points: none of the {untimed} track points has a time"
        raise NoDataError(path, what)
    if untimed:
        notes.append(f"{untimed} track point(s) without a time were dropped")
    if bad_pos:
        notes.append(f"{bad_pos} track point(s) had no usable position (kept, without position)")

    lat_arr = np.asarray(lats, dtype=np.float64)
    lon_arr = np.asarray(lons, dtype=np.float64)
    if np.isnan(lat_arr).all():
        lat_arr = lon_arr = None  # type: ignore[assignment]
    cadence = running_cadence(column(cads), sport, notes)
    creator = (gpx.creator or "").strip() or None
    return RawRecording(
        source=Source.GPX,
        path=path,
        time=np.asarray(times, dtype=np.float64),
        lat=lat_arr,
        lon=lon_arr,
        altitude=column(eles),
        heart_rate=column(hrs),
        cadence=cadence,
        sport=sport,
        device=creator,
        notes=notes,
        segment_starts=segment_starts,
    )


def _parse(text: str, path: str, notes: list[str]) -> gpxpy.gpx.GPX:
    try:
        return _gpxpy_parse(text, path)
    except _BadValue as first:
        cleaned, n = _blank_bad_values(text)
        if n == 0:
            raise CorruptFileError(path, f"not a valid GPX file: {first}") from None
        notes.append(f"{n} unreadable coordinate/elevation/time value(s) were ignored")
        try:
            return _gpxpy_parse(text=cleaned, path=path)
        except _BadValue as second:
            raise CorruptFileError(path, f"not a valid GPX file: {second}") from None


class _BadValue(Exception):
    """gpxpy refused a value (float or time) that could be blanked out."""


class _Parser(gpxpy.parser.GPXParser):
    """gpxpy's parser without its namespace-prefix scan, which takes quadratic time.

    ``GPXParser.parse`` first runs ``re.findall(r'\\sxmlns:?[^=]*="[^"]+"', xml)`` over the whole
    document; every " xmlns" not followed by "=" scans on to the next "=", so a document of
    many of them hangs the reader (2 MB of them: hours; tests/data/gpx-many-xmlns-without-
    equals.gpx.gz). The prefixes it collects only serve to write GPX back, which workoutcheck
    never does; the rest of this method is gpxpy's own.
    """

    def parse(self, version: str | None = None) -> gpxpy.gpx.GPX:
        self.xml = re.sub(r"""\sxmlns=(['"])[^'"]+\1""", "", self.xml, count=1)
        try:
            root = ElementTree.XML(self.xml)
        except Exception as e:  # noqa: BLE001 - as gpxpy: any parser error is a syntax error
            raise gpxpy.gpx.GPXXMLSyntaxException(f"Error parsing XML: {e}", e) from e
        gpxpy.gpxfield.gpx_fields_from_xml(self.gpx, root, version)
        return self.gpx


def _gpxpy_parse(text: str, path: str) -> gpxpy.gpx.GPX:
    try:
        return _Parser(text).parse(version="1.1")
    except gpxpy.gpx.GPXXMLSyntaxException as e:
        raise parse_error(path, e.__cause__ or e) from None
    except gpxpy.gpx.GPXException as e:
        msg = str(e)
        if msg.startswith(("Invalid value for <", "Invalid time")):
            raise _BadValue(msg) from None
        if "is mandatory" in msg:
            what = msg.split(" is mandatory")[0]
            msg = f"an element lacks its mandatory {what} (gpxpy: {msg})"
        raise CorruptFileError(path, f"not a valid GPX file: {msg}") from None
    except Exception as e:  # noqa: BLE001 - gpxpy raises bare Exception/ValueError too
        raise CorruptFileError(path, f"not a valid GPX file: {type(e).__name__}: {e}") from None


_ATTR = re.compile(r"""(\s(?:lat|lon)\s*=\s*)(["'])([^"']*)\2""")
_ELEM = re.compile(r"<((?:[A-Za-z_][\w.-]*:)?)(ele|time)>([^<]*)</\1\2>")
_TIME_OK = re.compile(
    r"^\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}"
    r"(\.[0-9]{1,15})?(Z|[+-][0-9]{2}:?(?:[0-9]{2})?)?\s*$"
)


def _blank_bad_values(text: str) -> tuple[str, int]:
    """Replace unparseable lat/lon by "nan" and drop unparseable <ele>/<time> elements."""
    count = 0

    def attr(m: re.Match[str]) -> str:
        nonlocal count
        if to_float(m.group(3)) is not None or m.group(3).strip().lower() == "nan":
            return m.group(0)
        count += 1
        return f"{m.group(1)}{m.group(2)}nan{m.group(2)}"

    def elem(m: re.Match[str]) -> str:
        nonlocal count
        value = m.group(3)
        ok = _TIME_OK.match(value) if m.group(2) == "time" else to_float(value) is not None
        if ok:
            return m.group(0)
        count += 1
        return ""

    text = _ATTR.sub(attr, text)
    text = _ELEM.sub(elem, text)
    return text, count


def _posix(t: datetime | None) -> float | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    try:
        return t.timestamp()
    except (OverflowError, ValueError, OSError):
        return None


def _hr_cad(extensions: list) -> tuple[float | None, float | None]:
    hr = cad = None
    for root in extensions:
        for el in root.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue
            name = local_name(tag).lower()
            if hr is None and name in _HR_TAGS:
                hr = to_float(el.text)
                if hr is not None and hr <= 0:  # 0 = no strap contact, not a heart rate
                    hr = None
            elif cad is None and name in _CAD_TAGS:
                cad = to_float(el.text)
        if hr is not None and cad is not None:
            break
    return hr, cad
