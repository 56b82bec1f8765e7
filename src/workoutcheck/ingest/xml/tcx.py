"""TCX reader: Garmin Training Center activities, laps and trackpoints, in file order.

The bytes are decoded and checked by ``safety.decode_xml`` (refuses any DTD/entity), then
parsed by ElementTree's C parser (``safety.parse_tree``): with no DTD, expat has no entity
to expand and nothing external to load, so defusedxml's pure-Python parser (40% of the read)
added no safety after the scan.
Element names are matched by local name, so files with or without the TCX namespace, and
with the ActivityExtension under any prefix (``ns3:TPX`` or a default-namespace ``<TPX>``),
read the same.

Activities (also inside ``<MultiSportSession>``): the ones whose ``Sport`` attribute is
"running" (case-insensitive) are kept; in a multisport file (Biking/Running/Biking) that is
the running leg(s), with a note. When no activity is running, all are kept and ``sport`` is
theirs (FIT spelling: Biking -> "cycling", Other -> "generic"). Activities after the first
kept one, and every ``<Track>`` after the first inside one lap (Garmin starts a new Track
when the timer is stopped), add their first trackpoint time to ``segment_starts``.

Per ``<Trackpoint>``: Time (points without a readable time are dropped, with a note),
Position/LatitudeDegrees+LongitudeDegrees (NaN when absent, not finite or out of range),
AltitudeMeters, DistanceMeters, HeartRateBpm/Value (0 -> NaN), speed from the extension
``TPX/Speed`` (m/s) and cadence from ``TPX/RunCadence``, else the trackpoint's ``<Cadence>``.
Cadence choice: both hold strides per minute of ONE leg for running (Garmin's RunCadence,
and the ``<Cadence>`` Polar and others write for runs), so the reader doubles them to
steps/min, the model's unit; ``xmlsafety.cadence_to_steps_per_min`` leaves values whose
median is already above 110 (a writer that stored steps/min) as they are. For a recording
that is not running (e.g. cycling, rpm) cadence is left as written.

Laps -> ``RawLap``: start = StartTime (else the first trackpoint), timer_s = TotalTimeSeconds,
distance_m = the lap's DistanceMeters, trigger = TriggerMethod lower-cased (Location ->
"position", HeartRate -> "heart_rate", as FIT spells them), intensity Active -> "active",
Resting -> "rest". Lap end = the later of the lap's last trackpoint time and start +
TotalTimeSeconds (a paused lap's elapsed time exceeds its timer time; an unpaused lap's last
sample lies up to one recording interval before start + timer time), capped at the next lap's
start in the same activity.

A file with no ``<Activity>`` (a Course, i.e. a route) or with no timed trackpoints raises
``NoDataError``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import numpy as np

from workoutcheck.errors import NoDataError
from workoutcheck.ingest.raw import RawLap, RawRecording, column
from workoutcheck.ingest.xml.safety import (
    LocalNames,
    decode_xml,
    gc_paused,
    keep_running,
    local_name,
    normalise_sport,
    parse_time,
    parse_tree,
    running_cadence,
    to_float,
)
from workoutcheck.model import Source

_TRIGGERS = {"location": "position", "heartrate": "heart_rate"}
_INTENSITY = {"active": "active", "resting": "rest"}


@dataclass
class _Columns:
    time: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    alt: list[float | None] = field(default_factory=list)
    dist: list[float | None] = field(default_factory=list)
    hr: list[float | None] = field(default_factory=list)
    cad: list[float | None] = field(default_factory=list)
    speed: list[float | None] = field(default_factory=list)
    untimed: int = 0
    bad_pos: int = 0


def read_tcx(data: bytes, path: str) -> RawRecording:
    """Read a TCX file's running activity; raise an ``InputError`` subclass when it holds none."""
    with gc_paused():
        return _read(data, path)


def _read(data: bytes, path: str) -> RawRecording:
    doc = decode_xml(data, path)
    notes = list(doc.notes)
    root = parse_tree(doc.text, path)

    names = LocalNames()
    activities = _named(root.iter(), "Activity", names)
    if not activities:
        if _named(root.iter(), "Course", names):
            raise NoDataError(path, "no Activity: a TCX course (a route) holds no run")
        raise NoDataError(path, "no Activity in the TCX file: it holds no run")

    sports = [normalise_sport(a.get("Sport")) for a in activities]
    named = "/".join(a.get("Sport") or "?" for a in activities)
    kept, sport, kept_notes = keep_running(activities, sports, "activities", named)
    notes += kept_notes

    cols = _Columns()
    laps: list[RawLap] = []
    segment_starts: list[float] = []
    device: str | None = None
    for act in kept:
        n_before = len(cols.time)
        first_track_of_activity = True
        act_laps: list[tuple[float, float | None, float | None, Element]] = []
        for lap in _named(act, "Lap"):
            lap_first: float | None = None
            lap_last: float | None = None
            first_track_in_lap = True
            for track in _named(lap, "Track"):
                t_first, t_last = _read_track(track, cols, names)
                if t_first is None:
                    continue
                # a later activity, or a second Track inside one lap (timer stopped): a pause
                if first_track_of_activity:
                    if n_before > 0:
                        segment_starts.append(t_first)
                elif not first_track_in_lap:
                    segment_starts.append(t_first)
                first_track_in_lap = False
                first_track_of_activity = False
                lap_first = t_first if lap_first is None else min(lap_first, t_first)
                lap_last = t_last if lap_last is None or t_last is None else max(lap_last, t_last)
            start = parse_time(lap.get("StartTime"))
            if start is None:
                start = lap_first
            if start is None:
                continue
            act_laps.append((start, lap_last, _child_float(lap, "TotalTimeSeconds"), lap))
        for i, (start, last_tp, timer_s, lap) in enumerate(act_laps):
            end = start + timer_s if timer_s is not None else start
            if last_tp is not None:
                end = max(end, last_tp)
            if i + 1 < len(act_laps) and act_laps[i + 1][0] > start:
                end = min(end, act_laps[i + 1][0])
            end = max(end, start)
            trigger = _child_text(lap, "TriggerMethod")
            intensity = _child_text(lap, "Intensity")
            if trigger:
                trigger = trigger.strip().lower()
                trigger = _TRIGGERS.get(trigger, trigger)
            if intensity:
                intensity = intensity.strip().lower()
                intensity = _INTENSITY.get(intensity, intensity)
            laps.append(
                RawLap(
                    start=start,
                    end=end,
                    distance_m=_child_float(lap, "DistanceMeters"),
                    timer_s=timer_s,
                    trigger=trigger or None,
                    intensity=intensity or None,
                )
            )
        if device is None:
            device = _creator_name(act)

    if not cols.time:
        what = "no timed trackpoints in the TCX activity: it holds no run"
        if cols.untimed:
            what = f"no timed trackpoints: none of the {cols.untimed} trackpoints has a time"
        raise NoDataError(path, what)
    if cols.untimed:
        notes.append(f"{cols.untimed} trackpoint(s) without a readable time were dropped")
    if device is None:
        creator = root.get("creator")
        device = creator.strip() if creator and creator.strip() else None

    lat = np.asarray(cols.lat, dtype=np.float64)
    lon = np.asarray(cols.lon, dtype=np.float64)
    if np.isnan(lat).all():
        lat = lon = None  # type: ignore[assignment]
    elif cols.bad_pos:
        notes.append(
            f"{cols.bad_pos} trackpoint(s) had an unusable position (kept, without position)"
        )
    cadence = running_cadence(column(cols.cad), sport, notes)
    return RawRecording(
        source=Source.TCX,
        path=path,
        time=np.asarray(cols.time, dtype=np.float64),
        distance=column(cols.dist),
        speed=column(cols.speed),
        lat=lat,
        lon=lon,
        altitude=column(cols.alt),
        heart_rate=column(cols.hr),
        cadence=cadence,
        laps=laps,
        sport=sport,
        device=device,
        notes=notes,
        segment_starts=segment_starts,
    )


def _read_track(
    track: Element, cols: _Columns, names: LocalNames
) -> tuple[float | None, float | None]:
    """Append the Track's timed trackpoints; return their first and last time."""
    first = last = None
    for tp in track:
        if names[tp.tag] != "Trackpoint":
            continue
        t = lat = lon = alt = dist = hr = cad = run_cad = speed = None
        for c in tp:
            name = names[c.tag]
            if name == "Time":
                t = parse_time(c.text)
            elif name == "Position":
                for p in c:
                    pn = names[p.tag]
                    if pn == "LatitudeDegrees":
                        lat = to_float(p.text)
                    elif pn == "LongitudeDegrees":
                        lon = to_float(p.text)
            elif name == "AltitudeMeters":
                alt = to_float(c.text)
            elif name == "DistanceMeters":
                dist = to_float(c.text)
            elif name == "HeartRateBpm":
                for v in c:
                    if names[v.tag] == "Value":
                        hr = to_float(v.text)
                if hr is not None and hr <= 0:
                    hr = None
            elif name == "Cadence":
                cad = to_float(c.text)
            elif name == "Extensions":
                for e in c.iter():
                    en = names[e.tag]
                    if en == "Speed" and speed is None:
                        speed = to_float(e.text)
                    elif en == "RunCadence" and run_cad is None:
                        run_cad = to_float(e.text)
        if t is None:
            cols.untimed += 1
            continue
        if first is None:
            first = t
        last = t if last is None else max(last, t)
        if lat is None or lon is None or abs(lat) > 90.0 or abs(lon) > 180.0:
            if lat is not None or lon is not None:
                cols.bad_pos += 1
            lat = lon = math.nan
        cols.time.append(t)
        cols.lat.append(lat)
        cols.lon.append(lon)
        cols.alt.append(alt)
        cols.dist.append(dist)
        cols.hr.append(hr)
        cols.cad.append(run_cad if run_cad is not None else cad)
        cols.speed.append(speed if speed is not None and speed >= 0 else None)
    return first, last


def _named(elements, name: str, names: LocalNames | None = None) -> list[Element]:
    """The elements (an iterable) whose local name is ``name``."""
    if names is None:
        names = LocalNames()
    return [e for e in elements if names[e.tag] == name]


def _child(el: Element, name: str) -> Element | None:
    for c in el:
        if isinstance(c.tag, str) and local_name(c.tag) == name:
            return c
    return None


def _child_text(el: Element, name: str) -> str | None:
    c = _child(el, name)
    return c.text if c is not None else None


def _child_float(el: Element, name: str) -> float | None:
    return to_float(_child_text(el, name))


def _creator_name(act: Element) -> str | None:
    creator = _child(act, "Creator")
    if creator is None:
        return None
    name = _child_text(creator, "Name")
    return name.strip() if name and name.strip() else None
