"""PWX reader: TrainingPeaks' workout XML (also exported by Golden Cheetah, WKO and others).

The bytes go through the same safety scan as GPX and TCX (``safety.decode_xml`` refuses any
DTD/entity, decodes UTF-8/16/32), then ElementTree's C parser (``safety.parse_tree``).
Element names are matched by local name, so files with or without the
``http://www.peaksware.com/PWX/1/0`` namespace read the same.

The layout (PWX 1.0)::

    <pwx version="1.0"><workout>
      <sportType>Run</sportType>  <device><make>..</make><model>..</model></device>
      <time>2024-05-01T07:00:00</time>              start of the workout
      <summarydata>..</summarydata>                 the whole workout (not a lap)
      <segment><name>Lap 1</name><summarydata><beginning>0</beginning><duration>300</duration>
               <durationstopped>0</durationstopped><dist>1000</dist></summarydata></segment>
      <sample><timeoffset>0</timeoffset><hr>140</hr><spd>3.4</spd><dist>0</dist>
              <lat>52.0</lat><lon>4.0</lon><alt>3</alt><cad>88</cad></sample> ...
    </workout></pwx>

Per ``<sample>``: time = the workout's ``<time>`` + ``timeoffset`` seconds (samples without a
readable offset are dropped, with a note), ``hr`` (0 -> NaN), ``spd`` (m/s), ``dist`` (m),
``lat``/``lon`` (NaN when absent or out of range), ``alt`` (m), ``cad``. Cadence is doubled
to steps/min for a run unless it already is (``safety.running_cadence``, as for TCX). A
``<time>`` without a zone is read as UTC (PWX writers mostly write UTC; Golden Cheetah may
write local time, which only moves the start time shown). Without a readable ``<time>`` the
offsets are the clock (``clock_is_relative``).

Laps -> ``RawLap`` from the workout's top-level ``<segment>`` elements: start = ``<time>`` +
``beginning``, end = start + ``duration`` (elapsed, capped at the next segment's start),
``timer_s`` = duration less ``durationstopped``, ``distance_m`` = ``dist``. Segments nested
inside a segment (intervals marked inside a lap) are not laps and are ignored.

``<sportType>`` gives the sport (Run -> "running", Bike -> "cycling", as FIT spells it).
Several ``<workout>`` elements are read as one recording: the running ones when any is,
each later one's first sample starting a new segment (a pause), with a note.

Errors: XML whose root is not ``<pwx>`` is ``UnknownFormatError``; a document that ends
before its root is closed is ``TruncatedFileError``; other broken XML is
``CorruptFileError`` with line and column; no workout or no timed sample is ``NoDataError``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError, XMLParser

import numpy as np

from workoutcheck.errors import (
    CorruptFileError,
    NoDataError,
    TruncatedFileError,
    UnknownFormatError,
)
from workoutcheck.ingest.raw import RawLap, RawRecording, column
from workoutcheck.ingest.xml.safety import (
    LocalNames,
    decode_xml,
    gc_paused,
    keep_running,
    normalise_sport,
    parse_time,
    parse_tree,
    running_cadence,
    to_float,
)
from workoutcheck.model import Source

# sample child -> column; anything else (pwr, temp, torque, ...) is not read
_FIELDS = ("hr", "spd", "dist", "lat", "lon", "alt", "cad")


@dataclass
class _Columns:
    time: list[float] = field(default_factory=list)
    values: dict[str, list[float | None]] = field(
        default_factory=lambda: {name: [] for name in _FIELDS}
    )
    untimed: int = 0
    bad_pos: int = 0


def read_pwx(data: bytes, path: str) -> RawRecording:
    """Read a PWX file's workout(s); raise an ``InputError`` subclass when it holds no run."""
    with gc_paused():
        return _read(data, path)


def _read(data: bytes, path: str) -> RawRecording:
    doc = decode_xml(data, path)
    notes = list(doc.notes)
    root = _parse(doc.text, path)
    names = LocalNames()
    if names[root.tag] != "pwx":
        raise UnknownFormatError(
            path, f"XML whose root element is <{names[root.tag]}>, not <pwx>: not a PWX file"
        )
    workouts = [w for w in root if names[w.tag] == "workout"]
    if not workouts:
        raise NoDataError(path, "no <workout> in the PWX file: it holds no run")

    sports = [normalise_sport(_child_text(w, "sportType", names)) for w in workouts]
    kept, sport, kept_notes = keep_running(workouts, sports, "workouts")
    notes += kept_notes

    cols = _Columns()
    laps: list[RawLap] = []
    segment_starts: list[float] = []
    device: str | None = None
    relative = False
    for workout in kept:
        time_text = _child_text(workout, "time", names)
        start = parse_time(time_text)
        if start is None:
            relative = True
            start = 0.0
        elif time_text is not None and _zoneless(time_text):
            notes.append("the PWX start time has no time zone: read as UTC")
        n_before = len(cols.time)
        _read_samples(workout, start, cols, names)
        if n_before and len(cols.time) > n_before:
            segment_starts.append(cols.time[n_before])
        laps.extend(_laps(workout, start, names))
        if device is None:
            device = _device(workout, names)

    if not cols.time:
        what = "no timed samples in the PWX workout: it holds no run"
        if cols.untimed:
            what = f"no timed samples: none of the {cols.untimed} samples has a timeoffset"
        raise NoDataError(path, what)
    if cols.untimed:
        notes.append(f"{cols.untimed} sample(s) without a readable timeoffset were dropped")
    if relative:
        notes.append("the PWX file has no readable start <time>: times count from its start")

    v = cols.values
    lat = np.asarray([math.nan if x is None else x for x in v["lat"]], dtype=np.float64)
    lon = np.asarray([math.nan if x is None else x for x in v["lon"]], dtype=np.float64)
    if np.isnan(lat).all():
        lat = lon = None  # type: ignore[assignment]
    elif cols.bad_pos:
        notes.append(f"{cols.bad_pos} sample(s) had an unusable position (kept, without position)")
    speed = column(v["spd"])
    if speed is not None:
        speed[speed < 0] = np.nan
    return RawRecording(
        source=Source.PWX,
        path=path,
        time=np.asarray(cols.time, dtype=np.float64),
        distance=column(v["dist"]),
        speed=speed,
        lat=lat,
        lon=lon,
        altitude=column(v["alt"]),
        heart_rate=column(v["hr"]),
        cadence=running_cadence(column(v["cad"]), sport, notes),
        laps=laps,
        sport=sport,
        device=device,
        notes=notes,
        segment_starts=segment_starts,
        clock_is_relative=relative,
    )


def _parse(text: str, path: str) -> Element:
    """The tree; a document that is sound as far as it goes but ends before its root closes
    is truncated (a copy or download cut short), which is said as such."""
    try:
        return parse_tree(text, path)
    except CorruptFileError as broken:
        parser = XMLParser()
        try:
            parser.feed(text)  # no error until the end: everything there is, is well formed
        except ParseError:
            raise broken from None
        raise TruncatedFileError(
            path,
            f"the PWX file is truncated: it ends before </pwx> ({broken.problem}); "
            "copy or export it again",
        ) from None


def _read_samples(workout: Element, start: float, cols: _Columns, names: LocalNames) -> None:
    values = cols.values
    for sample in workout:
        if names[sample.tag] != "sample":
            continue
        offset = None
        got: dict[str, float | None] = {}
        for c in sample:
            name = names[c.tag]
            if name == "timeoffset":
                offset = to_float(c.text)
            elif name in values:
                got[name] = to_float(c.text)
        if offset is None:
            cols.untimed += 1
            continue
        lat, lon = got.get("lat"), got.get("lon")
        if lat is None or lon is None or abs(lat) > 90.0 or abs(lon) > 180.0:
            if lat is not None or lon is not None:
                cols.bad_pos += 1
            got["lat"] = got["lon"] = None
        hr = got.get("hr")
        if hr is not None and hr <= 0:
            got["hr"] = None
        cols.time.append(start + offset)
        for name, col in values.items():
            col.append(got.get(name))


def _laps(workout: Element, start: float, names: LocalNames) -> list[RawLap]:
    rows: list[tuple[float, float, float | None, float | None]] = []
    for seg in workout:
        if names[seg.tag] != "segment":
            continue
        summary = _child(seg, "summarydata", names)
        if summary is None:
            continue
        beginning = to_float(_child_text(summary, "beginning", names))
        duration = to_float(_child_text(summary, "duration", names))
        if beginning is None or duration is None or duration < 0:
            continue
        stopped = to_float(_child_text(summary, "durationstopped", names))
        timer = duration - stopped if stopped is not None and 0 <= stopped <= duration else None
        rows.append(
            (
                start + beginning,
                start + beginning + duration,
                timer if timer is not None else duration,
                to_float(_child_text(summary, "dist", names)),
            )
        )
    rows.sort(key=lambda r: r[0])
    laps = []
    for i, (lap_start, end, timer_s, dist) in enumerate(rows):
        if i + 1 < len(rows) and rows[i + 1][0] > lap_start:
            end = min(end, rows[i + 1][0])
        laps.append(
            RawLap(start=lap_start, end=max(end, lap_start), distance_m=dist, timer_s=timer_s)
        )
    return laps


def _zoneless(text: str) -> bool:
    """An ISO time with no ``Z`` or ``+hh:mm``/``-hh:mm`` after its time of day."""
    s = text.strip()
    clock = s.partition("T")[2]
    return not (s[-1:] in ("z", "Z") or "+" in clock or "-" in clock)


def _child(el: Element, name: str, names: LocalNames) -> Element | None:
    for c in el:
        if names[c.tag] == name:
            return c
    return None


def _child_text(el: Element, name: str, names: LocalNames) -> str | None:
    c = _child(el, name, names)
    return c.text if c is not None else None


def _device(workout: Element, names: LocalNames) -> str | None:
    dev = _child(workout, "device", names)
    if dev is None:
        return None
    parts = [(_child_text(dev, n, names) or "").strip() for n in ("make", "model")]
    text = " ".join(p for p in parts if p)
    return text or None
