"""GPX reader: track points in file order, with heart rate and cadence from extensions.

The bytes are first decoded and checked by ``safety.decode_xml``, which refuses any
DTD/entity declaration; the text is then parsed by ElementTree's C parser (expat and the C
tree builder, in the standard library) and the track points are read straight off the tree.
Why this parser: with no DTD there is no entity to expand and nothing external to fetch, so
expat is safe here, and it is C speed without a new dependency (lxml would be a compiled
dependency for the same safety; gpxpy, the reference in the tests, maps every field of every
element in Python and deep-copies each point's extensions, three quarters of its time).

The values are read as gpxpy reads them (the tests compare the two on every corpus file):
the first default ``xmlns="..."`` is dropped, so GPX 1.0, 1.1 and namespace-less files all
match ``<trk>``/``<trkseg>``/``<trkpt>``; an element under another prefix is not GPX.

What is read, per ``<trkpt>`` of every ``<trk>``/``<trkseg>`` in order:

* ``time`` (POSIX seconds, UTC; a time without zone is taken as UTC). Points without a time
  (or with one that is not ``YYYY-MM-DD[T ]hh:mm:ss[.f][zone]``) are dropped: a GPX route, or
  a track whose points carry no time, holds no run.
* ``lat``/``lon``: NaN when not finite or out of range (the timeline carries distance flat
  over them). ``ele`` as altitude.
* heart rate and cadence from any element inside ``<extensions>`` whose local name (prefix and
  namespace ignored, case-insensitive) is ``hr``/``heartrate``/``heart_rate`` or
  ``cad``/``cadence``/``runcadence``: Garmin TrackPointExtension v1 and v2 under whatever
  prefix (gpxtpx:, ns3:), and the plain tags Amazfit (``<heartrate>``) and Movescount
  (``gpxdata:cadence``) write. For running (or unknown sport) cadence is converted to
  steps/min by ``xmlsafety.cadence_to_steps_per_min`` (GPX writers store strides per minute
  per leg); for another sport (cycling: rpm) it is left as written.
* GPX carries no distance and, in practice, no speed: both are left ``None``; the timeline
  derives them from positions (``positions.derive_distance``). The Movescount
  ``gpxdata:distance``/``speed`` values are not used.

Every ``<trkseg>`` after the first (and the first segment of every later ``<trk>``) adds its
first point time to ``segment_starts``: the gap before it is a pause.

Extensions are read whatever ``version=`` the file states (real files from sportractive say
1.0 yet carry 1.1 extensions).

Unreadable coordinates and elevations of a track point (``lat="abc"``, ``<ele>-</ele>``) are
ignored (the position becomes NaN, the elevation missing) and counted in a note, which then
also counts the unreadable point times (as the gpxpy reader's did). A missing ``lat``/``lon`` attribute refuses the file ("not a valid GPX file:
..."). Fields the reader does not use (``<hdop>``, waypoints, metadata) are not validated.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

import numpy as np

from workoutcheck.errors import CorruptFileError, NoDataError
from workoutcheck.ingest.raw import RawRecording, column
from workoutcheck.ingest.xml.safety import (
    decode_xml,
    gc_paused,
    local_name,
    normalise_sport,
    parse_tree,
    running_cadence,
    to_float,
)
from workoutcheck.model import Source

_HR_TAGS = frozenset({"hr", "heartrate", "heart_rate", "heartratebpm"})
_CAD_TAGS = frozenset({"cad", "cadence", "runcadence"})

NO_TRACK = "no timed track points: a GPX route or metadata-only file holds no run"

_DEFAULT_NS = re.compile(r"""\sxmlns=(['"])[^'"]+\1""")
# the time forms GPX writers use (and gpxpy reads): date, T or space, time, fraction, zone
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[T ]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})"
    r"(?:\.([0-9]{1,15}))?(Z|[-+\u2212][0-9]{2}:?(?:[0-9]{2})?)?$"
)
# what counts as an unreadable time in the "unreadable values" note (surrounding blanks allowed)
_TIME_OK = re.compile(
    r"^\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}"
    r"(\.[0-9]{1,15})?(Z|[+-][0-9]{2}:?(?:[0-9]{2})?)?\s*$"
)
_EPOCH = datetime(1970, 1, 1)
_US = timedelta(microseconds=1)


def read_gpx(data: bytes, path: str) -> RawRecording:
    """Read a GPX file's track points; raise an ``InputError`` subclass when it holds no run."""
    with gc_paused():
        return _read(data, path)


def _read(data: bytes, path: str) -> RawRecording:
    doc = decode_xml(data, path)
    notes = list(doc.notes)
    root = parse_tree(_DEFAULT_NS.sub("", doc.text, count=1), path)

    times: list[float] = []
    lats: list[float] = []
    lons: list[float] = []
    eles: list[float | None] = []
    hrs: list[float | None] = []
    cads: list[float | None] = []
    segment_starts: list[float] = []
    sport: str | None = None
    untimed = bad_pos = bad_values = bad_times = 0
    tracks = [el for el in root if el.tag == "trk"]
    clock = _Clock()
    kinds: dict[str, str | None] = {}

    for trk in tracks:
        if sport is None:
            kind = trk.find("type")
            if kind is not None and kind.text and kind.text.strip():
                sport = normalise_sport(kind.text)
        for seg in trk:
            if seg.tag != "trkseg":
                continue
            first_in_segment = True
            fast = _regular_segment(seg.findall("trkpt"), clock)
            if fast is not None:
                seg_t, seg_lat, seg_lon, seg_ele, exts = fast
                if times:
                    segment_starts.append(seg_t[0])
                times.extend(seg_t)
                bad_pos += len(seg_lat) - int(np.count_nonzero(np.isfinite(seg_lat)))
                lats.extend(seg_lat.tolist())
                lons.extend(seg_lon.tolist())
                eles.extend(seg_ele)
                for ext_el in exts:
                    hr = cad = None
                    if ext_el is not None and len(ext_el):
                        hr, cad = _hr_cad(ext_el, kinds)
                    hrs.append(hr)
                    cads.append(cad)
                continue
            for p in seg:
                if p.tag != "trkpt":
                    continue
                lat_text, lon_text = p.get("lat"), p.get("lon")
                if lat_text is None or lon_text is None:
                    what = "latitude" if lat_text is None else "longitude"
                    raise CorruptFileError(
                        path,
                        f"not a valid GPX file: an element lacks its mandatory {what} (a <trkpt> "
                        f"without its {what[:3]}= attribute)",
                    )
                time_el, ele_el, ext_el = p.find("time"), p.find("ele"), p.find("extensions")
                t = None
                if time_el is not None:
                    text = time_el.text
                    t = clock.posix(text)
                    if (t is None or "\u2212" in (text or "")) and not _TIME_OK.match(text or ""):
                        bad_times += 1
                try:
                    lat = float(lat_text)
                except ValueError:
                    bad_values += 1
                    lat = math.nan
                try:
                    lon = float(lon_text)
                except ValueError:
                    bad_values += 1
                    lon = math.nan
                ele = None
                if ele_el is not None and ele_el.text is not None:
                    try:
                        ele = float(ele_el.text)
                    except ValueError:
                        bad_values += 1
                if t is None:
                    untimed += 1
                    continue
                if first_in_segment:
                    if times:
                        segment_starts.append(t)
                    first_in_segment = False
                times.append(t)
                if (
                    not (math.isfinite(lat) and math.isfinite(lon))
                    or abs(lat) > 90.0
                    or abs(lon) > 180.0
                ):
                    bad_pos += 1
                    lat = lon = math.nan
                lats.append(lat)
                lons.append(lon)
                eles.append(ele if ele is not None and math.isfinite(ele) else None)
                hr = cad = None
                if ext_el is not None and len(ext_el):
                    hr, cad = _hr_cad(ext_el, kinds)
                hrs.append(hr)
                cads.append(cad)

    if bad_values:
        notes.append(
            f"{bad_values + bad_times} unreadable coordinate/elevation/time value(s) were ignored"
        )
    if not times:
        what = NO_TRACK
        if not tracks and any(el.tag == "rte" for el in root):
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
    creator = (root.get("creator") or "").strip() or None
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


# the one time form read column-wise: 2024-05-01T07:00:00[.f]Z or without zone, fixed width
_REGULAR_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,15})?Z?"
)


def _regular_segment(
    points: list[ElementTree.Element], clock: _Clock
) -> (
    tuple[list[float], np.ndarray, np.ndarray, list[float | None], list[ElementTree.Element | None]]
    | None
):
    """A segment's times, positions (NaN where unusable), elevations and ``<extensions>`` read
    column-wise, when every point has a readable position and elevation and a time of one
    regular fixed-width form; None otherwise (the point-by-point loop then reads the segment,
    with its notes and errors). The values are those the loop gives, bit for bit."""
    if not points:
        return None
    lat_t = [p.get("lat") for p in points]
    lon_t = [p.get("lon") for p in points]
    if None in lat_t or None in lon_t:
        return None
    texts = [p.findtext("time") for p in points]
    first = texts[0]
    if not first or None in texts or _REGULAR_TIME.fullmatch(first) is None:
        return None
    width = len(first)
    if any(len(t) != width for t in texts):  # type: ignore[arg-type]
        return None
    try:
        raw = "".join(texts).encode("ascii")  # type: ignore[arg-type]
        lat = np.array(list(map(float, lat_t)), dtype=np.float64)  # type: ignore[arg-type]
        lon = np.array(list(map(float, lon_t)), dtype=np.float64)  # type: ignore[arg-type]
        ele = [float(e) if e else None for e in (p.findtext("ele") for p in points)]
    except (UnicodeEncodeError, ValueError):
        return None
    n = len(points)
    if len(raw) != width * n:
        return None
    chars = np.frombuffer(raw, dtype=np.uint8).reshape(n, width)
    digit_at = np.array([c.isdigit() for c in first])
    if not (chars[:, ~digit_at] == chars[0, ~digit_at]).all():
        return None  # a separator, the T or the zone differs somewhere
    if not (chars[:, digit_at] - 48 < 10).all():  # uint8: a byte below '0' wraps above 9
        return None
    d = chars.astype(np.int64) - 48

    def num(a: int, b: int) -> np.ndarray:
        out = d[:, a]
        for k in range(a + 1, b):
            out = out * 10 + d[:, k]
        return out

    hour, minute, second = num(11, 13), num(14, 16), num(17, 19)
    if hour.max() > 23 or minute.max() > 59 or second.max() > 59:
        return None
    days, inverse = np.unique(num(0, 4) * 10000 + num(5, 7) * 100 + num(8, 10), return_inverse=True)
    day_us = []
    for key in days.tolist():
        y, md = divmod(key, 10000)
        us = clock.day_us(f"{y:04d}", f"{md // 100:02d}", f"{md % 100:02d}")
        if us is None:
            return None
        day_us.append(us)
    micro = np.array(day_us, dtype=np.int64)[inverse.ravel()]
    micro += ((hour * 60 + minute) * 60 + second) * 1_000_000
    if width > 20:  # a fraction: its first six digits, as microseconds
        digits = min(width - 20 - first.endswith("Z"), 6)
        micro += num(20, 20 + digits) * 10 ** (6 - digits)
    if np.abs(micro).max() >= 2**53:  # beyond exact float64: the loop's exact division
        return None
    bad = ~(np.isfinite(lat) & np.isfinite(lon)) | (np.abs(lat) > 90.0) | (np.abs(lon) > 180.0)
    lat[bad] = np.nan
    lon[bad] = np.nan
    ele = [e if e is not None and math.isfinite(e) else None for e in ele]
    return (micro / 1_000_000).tolist(), lat, lon, ele, [p.find("extensions") for p in points]


class _Clock:
    """GPX times as POSIX seconds (UTC when they name no zone); None when unreadable. The
    fraction counts to the microsecond and the result is the exact count / 1e6, as
    ``datetime.timestamp`` gives; each calendar day is validated and converted once."""

    def __init__(self) -> None:
        self._days: dict[tuple[str, str, str], int | None] = {}

    def day_us(self, year: str, month: str, day: str) -> int | None:
        """Microseconds from the epoch to the day's start; None for a day that is none."""
        key = (year, month, day)
        day_us = self._days.get(key, -1)
        if day_us == -1:
            try:
                day_us = (datetime(int(year), int(month), int(day)) - _EPOCH) // _US
            except ValueError:
                day_us = None
            self._days[key] = day_us
        return day_us

    def posix(self, text: str | None) -> float | None:
        if not text:
            return None
        m = _TIME.match(text)
        if m is None:
            return None
        year, month, day, hour, minute, second, frac, zone = m.groups()
        day_us = self.day_us(year, month, day)
        h, mi, sec = int(hour), int(minute), int(second)
        if day_us is None or h > 23 or mi > 59 or sec > 59:
            return None
        micro = day_us + ((h * 60 + mi) * 60 + sec) * 1_000_000
        if frac:
            micro += int(frac[:6].ljust(6, "0"))
        if zone and zone != "Z":  # +hh, +hhmm or +hh:mm
            offset = int(zone[1:3]) * 60 + (int(zone[-2:]) if len(zone) >= 5 else 0)
            micro -= (offset if zone[0] == "+" else -offset) * 60_000_000
        return micro / 1_000_000


def _kind(tag: str) -> str | None:
    """ "hr", "cad" or None for an extension element's tag (prefix and case ignored)."""
    name = local_name(tag).lower()
    return "hr" if name in _HR_TAGS else "cad" if name in _CAD_TAGS else None


def _hr_cad(
    extensions: ElementTree.Element, kinds: dict[str, str | None]
) -> tuple[float | None, float | None]:
    """The first heart rate and cadence under ``<extensions>``; ``kinds`` caches ``_kind``."""
    hr = cad = None
    for root in extensions:
        for el in root.iter():
            tag = el.tag
            kind = kinds.get(tag, "")
            if kind == "":
                kind = kinds[tag] = _kind(tag) if isinstance(tag, str) else None
            if kind is None:
                continue
            if hr is None and kind == "hr":
                hr = to_float(el.text)
                if hr is not None and hr <= 0:  # 0 = no strap contact, not a heart rate
                    hr = None
            elif cad is None and kind == "cad":
                cad = to_float(el.text)
        if hr is not None and cad is not None:
            break
    return hr, cad
