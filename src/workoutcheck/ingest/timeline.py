"""Turn what a reader decoded into a clean ``Activity``: one place for every timeline repair.

Real files have duplicated timestamps (GPS and sensor data written as separate records),
negative time steps, clock jumps of days between two records, distances that reset between
chained sections, and no distance at all (GPX). Doing these repairs once, here, keeps the
readers simple and makes one run come out alike in every format.

Implausible values are cleaned here too (the per-value rules are in ``plausible``), never
scored silently: each cleaning adds a note saying what and how many. A distance step implying
over ``MAX_SPEED`` (a GPS jump, a corrupt device distance) adds no distance.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from workoutcheck.errors import NoDataError
from workoutcheck.ingest.plausible import MAX_SPEED, clean_values, held_since, position_glitches
from workoutcheck.ingest.raw import SAMPLE_FIELDS, RawRecording
from workoutcheck.model import Activity, Lap, Pause, PauseKind
from workoutcheck.model import geo as positions
from workoutcheck.model.stats import median

# A gap longer than this between two records is a clock jump (the watch's clock was set,
# or the file joins two recordings): it is cut out of the time axis, never counted as time.
CLOCK_JUMP_S = 3 * 3600.0
# A gap without timer events longer than this (and than 10 sampling intervals) is a pause.
MIN_GAP_S = 30.0
# A drop in the device distance larger than this is a reset (a new chained section).
DISTANCE_RESET_M = 50.0


def build_activity(raw: RawRecording) -> Activity:
    time = np.asarray(raw.time, dtype=np.float64)
    columns = {name: getattr(raw, name) for name in SAMPLE_FIELDS}
    notes = list(raw.notes)

    keep = np.isfinite(time)
    keep &= _monotone_mask(np.where(keep, time, np.inf))
    dropped = int(len(time) - keep.sum())
    if dropped:
        notes.append(f"dropped {dropped} record(s) whose time ran backwards")
    time = time[keep]
    columns = {
        k: (None if v is None else np.asarray(v, dtype=np.float64)[keep])
        for k, v in columns.items()
    }

    time, columns, merged = _merge_duplicates(time, columns)
    if merged:
        notes.append(f"merged {merged} record(s) that repeated a timestamp")
    if len(time) == 0:
        raise NoDataError(raw.path, "no records with a valid time: the file holds no recorded run")
    clean_values(columns, notes)

    shift, jumps = _clock_jumps(time)
    if jumps:
        total = sum(removed for _, removed in jumps)
        notes.append(
            f"cut out {len(jumps)} clock jump(s) totalling {_human(total)} between records"
        )
    t0 = time[0]

    def elapsed(abs_times: np.ndarray | float) -> np.ndarray:
        a = np.asarray(abs_times, dtype=np.float64)
        idx = np.searchsorted(time, a, side="right") - 1
        return a - t0 - shift[np.clip(idx, 0, len(shift) - 1)]

    t = time - t0 - shift

    jumps_at = position_glitches(columns, t, notes)
    pauses = _pauses(raw, t, elapsed, jumps)
    distance, distance_source = _distance(columns, t, pauses, jumps_at, notes)
    pauses = _stood_gaps(t, distance, pauses)
    speed, speed_source = _speed(columns, t, distance, distance_source, notes)
    laps = _laps(raw, elapsed, t)

    return Activity(
        source=raw.source,
        path=raw.path,
        start_time=None if raw.clock_is_relative else datetime.fromtimestamp(t0, tz=UTC),
        t=t,
        distance=distance,
        speed=speed,
        lat=columns["lat"],
        lon=columns["lon"],
        altitude=columns["altitude"],
        heart_rate=columns["heart_rate"],
        cadence=columns["cadence"],
        laps=laps,
        pauses=pauses,
        workout=raw.workout,
        sport=raw.sport,
        sub_sport=raw.sub_sport,
        device=raw.device,
        distance_source=distance_source,
        speed_source=speed_source,
        notes=tuple(notes),
    )


def _monotone_mask(time: np.ndarray) -> np.ndarray:
    """Keep a record only if no later record has an earlier time.

    This drops the few bogus-late records that make "negative time steps" (a clock set
    backwards, a stale first fix) instead of reordering the track around them.
    """
    if len(time) == 0:
        return np.zeros(0, dtype=bool)
    suffix_min = np.minimum.accumulate(time[::-1])[::-1]
    later_min = np.append(suffix_min[1:], np.inf)
    return time <= later_min


def _merge_duplicates(
    time: np.ndarray, columns: dict[str, np.ndarray | None]
) -> tuple[np.ndarray, dict[str, np.ndarray | None], int]:
    """Merge records sharing a timestamp, taking each field's first non-missing value."""
    if len(time) < 2:
        return time, columns, 0
    starts = np.flatnonzero(np.r_[True, np.diff(time) > 0])
    if len(starts) == len(time):
        return time, columns, 0
    group = np.cumsum(np.r_[True, np.diff(time) > 0]) - 1
    merged: dict[str, np.ndarray | None] = {}
    for name, col in columns.items():
        if col is None:
            merged[name] = None
            continue
        # within each group, non-missing values sort first; take the group's first row
        order = np.lexsort((np.isnan(col), group))
        merged[name] = col[order][starts]
    return time[starts], merged, int(len(time) - len(starts))


def _clock_jumps(time: np.ndarray) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """Per-record time to subtract, and (index after the jump, seconds removed) per jump."""
    shift = np.zeros(len(time))
    if len(time) < 2:
        return shift, []
    dt = np.diff(time)
    nominal = float(median(dt)) if len(dt) else 1.0
    nominal = min(max(nominal, 1.0), 10.0)
    jumps = [(int(i) + 1, float(dt[i] - nominal)) for i in np.flatnonzero(dt > CLOCK_JUMP_S)]
    if jumps:
        shift[1:] = np.cumsum(np.where(dt > CLOCK_JUMP_S, dt - nominal, 0.0))
    return shift, jumps


def _pauses(
    raw: RawRecording, t: np.ndarray, elapsed, jumps: list[tuple[int, float]]
) -> tuple[Pause, ...]:
    """Pauses from timer events, from gaps in the records, and from cut-out clock jumps."""
    end = float(t[-1])
    pauses: list[Pause] = []
    stop_at: float | None = None
    events = sorted(raw.events, key=lambda e: e.time)
    at = elapsed(np.array([ev.time for ev in events], dtype=np.float64)).tolist()  # all at once
    for ev, ev_at in zip(events, at, strict=True):
        if ev.kind == "stop" and stop_at is None:
            stop_at = ev_at
        elif ev.kind == "start" and stop_at is not None:
            start_at = ev_at
            if start_at > stop_at and start_at > 0 and stop_at < end:
                pauses.append(Pause(max(stop_at, 0.0), min(start_at, end), PauseKind.TIMER))
            stop_at = None
    jump_at = dict(jumps)
    for idx, removed in jumps:
        pauses.append(
            Pause(float(t[idx - 1]), float(t[idx]), PauseKind.CLOCK_JUMP, removed_s=removed)
        )

    if len(t) > 1:
        dt = np.diff(t)
        threshold = max(MIN_GAP_S, 10.0 * float(median(dt)))
        gap_idx = {int(i) for i in np.flatnonzero(dt > threshold)}
        for seg_start in raw.segment_starts:
            i = int(np.searchsorted(t, float(elapsed(seg_start)))) - 1
            if 0 <= i < len(dt) and dt[i] > 1.5:
                gap_idx.add(i)
        known = sorted(pauses, key=lambda p: p.start_s)  # a gap inside one of these is no news
        starts = np.array([p.start_s for p in known])
        reach = np.maximum.accumulate(np.array([p.end_s for p in known])) if known else starts
        for i in sorted(gap_idx):
            a, b = float(t[i]), float(t[i + 1])
            k = int(np.searchsorted(starts, a + 1, side="right"))
            if (i + 1) in jump_at or (k and reach[k - 1] >= b - 1):
                continue
            pauses.append(Pause(a, b, PauseKind.GAP))
    return tuple(sorted(pauses, key=lambda p: p.start_s))


# A gap in the records this long, across which the runner moved slower than STOOD_SPEED, is
# a stand the watch did not record: auto-pause in a file that keeps no timer events (GPX), or
# smart recording writing nothing while nothing changed.
STOOD_GAP_S = 12.0
STOOD_SPEED = 0.5  # m/s


def _stood_gaps(
    t: np.ndarray, distance: np.ndarray | None, pauses: tuple[Pause, ...]
) -> tuple[Pause, ...]:
    """``pauses`` with the stands between records added. The same run's FIT has them as
    timer pauses; without them a GPX's 25 s stand between 400 m reps was a slow straight line
    of distance, and the rep's start was read 7-14 s late from the first records after it."""
    if distance is None or len(t) < 2:
        return pauses
    dt = np.diff(t)
    idx = np.flatnonzero((dt > STOOD_GAP_S) & (np.diff(distance) < STOOD_SPEED * dt))
    if not len(idx):
        return pauses
    a, b = t[idx], t[idx + 1]
    if pauses:  # a gap inside a known pause (a timer stop, a longer gap) is no news
        known = sorted(pauses, key=lambda p: p.start_s)
        starts = np.array([p.start_s for p in known])
        reach = np.maximum.accumulate(np.array([p.end_s for p in known]))
        k = np.searchsorted(starts, b - 1e-9, side="left")
        inside = (k > 0) & (reach[np.maximum(k - 1, 0)] > a + 1e-9)
        a, b = a[~inside], b[~inside]
    added = [Pause(float(x), float(y), PauseKind.STOOD) for x, y in zip(a, b, strict=True)]
    return tuple(sorted((*pauses, *added), key=lambda p: p.start_s))


def _distance(
    columns: dict[str, np.ndarray | None],
    t: np.ndarray,
    pauses: tuple[Pause, ...],
    jumps_at: np.ndarray,
    notes: list[str],
) -> tuple[np.ndarray | None, str]:
    dist = columns["distance"]
    if dist is not None and np.isfinite(dist).sum() >= 2 and np.nanmax(dist) > np.nanmin(dist):
        return _clean_device_distance(dist, t, notes), "device"
    lat, lon = columns["lat"], columns["lon"]
    if lat is not None and lon is not None and (np.isfinite(lat) & np.isfinite(lon)).sum() >= 2:
        # a pause (timer stop, gap, new track segment) or a GPS jump is never smoothed across
        breaks = np.r_[np.array([p.end_s for p in pauses], dtype=np.float64), jumps_at]
        d = positions.derive_distance(t, lat, lon, breaks=breaks)
        return _without_jumps(np.diff(d), t, notes), "positions"
    return None, "none"


def _clean_device_distance(dist: np.ndarray, t: np.ndarray, notes: list[str]) -> np.ndarray:
    """Fill gaps, undo resets between chained sections, drop jumps, hold drops flat, from 0."""
    ok = np.isfinite(dist)
    step = np.diff(np.interp(t, t[ok], dist[ok]))
    resets = step < -DISTANCE_RESET_M
    if resets.any():  # a restart at a new section: the step across it adds nothing
        step = np.where(resets, 0.0, step)
        notes.append(
            f"device distance restarted {int(resets.sum())} time(s); joined into one running total"
        )
    back = int((step < 0).sum())
    if back:
        notes.append(
            f"cleaned: device distance went backwards {back} time(s); held flat until it caught up"
        )
    return _without_jumps(step, t, notes)


def _without_jumps(step: np.ndarray, t: np.ndarray, notes: list[str]) -> np.ndarray:
    """Cumulative, non-decreasing distance from 0 from per-step increments, without the steps
    that imply running faster than ``MAX_SPEED`` (GPS jumps, corrupt values). A value held for
    a few records and then caught up (1 Hz records, slower updates) is timed from where it
    was first held."""
    jump = step > MAX_SPEED * np.maximum(t[1:] - held_since(t, step != 0)[:-1], 1.0)
    if jump.any():
        notes.append(
            f"cleaned: {int(jump.sum())} distance jump(s) implying over {MAX_SPEED:.0f} m/s treated as "
            f"GPS glitches: {float(step[jump].sum()):.0f} m not counted"
        )
        step = np.where(jump, 0.0, step)
    return np.maximum.accumulate(np.r_[0.0, np.cumsum(step)])


def _speed(
    columns: dict[str, np.ndarray | None],
    t: np.ndarray,
    distance: np.ndarray | None,
    distance_source: str,
    notes: list[str],
) -> tuple[np.ndarray | None, str]:
    speed = columns["speed"]
    if speed is not None and np.isfinite(speed).sum() >= 2:
        ok = np.isfinite(speed)
        return np.interp(t, t[ok], speed[ok]), "device"
    if distance is None:
        return None, "none"
    derived = positions.derive_speed(t, distance)
    bad = derived > MAX_SPEED  # only over sub-second steps: the distance has no faster jumps
    ok = np.isfinite(derived) & ~bad
    if bad.any():
        notes.append(
            f"cleaned: {int(bad.sum())} derived speed value(s) over {MAX_SPEED:.0f} m/s interpolated"
        )
        derived[bad] = np.interp(t[bad], t[ok], derived[ok]) if ok.any() else np.nan
    return derived, ("positions" if distance_source == "positions" else "distance")


def _laps(raw: RawRecording, elapsed, t: np.ndarray) -> tuple[Lap, ...]:
    end = float(t[-1])
    laps = []
    ordered = sorted(raw.laps, key=lambda x: x.start)
    starts = elapsed(np.array([lap.start for lap in ordered], dtype=np.float64)).tolist()
    ends = elapsed(np.array([lap.end for lap in ordered], dtype=np.float64)).tolist()
    for lap, a, b in zip(ordered, starts, ends, strict=True):
        if lap.end < lap.start:
            b = a
        if b < 0 or a > end + 1.0:
            continue
        laps.append(
            Lap(
                start_s=max(a, 0.0),
                end_s=min(max(b, a), end) if b > end + 1.0 else max(b, a),
                distance_m=lap.distance_m,
                timer_s=lap.timer_s,
                trigger=lap.trigger,
                intensity=lap.intensity,
                wkt_step_index=lap.wkt_step_index,
                elapsed_s=lap.elapsed_s,
            )
        )
    return tuple(laps)


def _human(seconds: float) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds:.0f} s"
