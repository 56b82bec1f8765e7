"""Measure a segment: distance (measured and used for pace), paused time, speed, splits.

On a track (named by the file, or recognised from the positions), or where the watch's distance is within GPS error of the prescription, the
prescribed distance is the better truth for pace (1-3 % GPS error is as large as the coach's
tolerance); elsewhere the measurement stands. Both are kept and the choice is named.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workoutcheck.model import Activity, Pause, PauseKind
from workoutcheck.model.geo import haversine_steps
from workoutcheck.model.stats import median, percentile
from workoutcheck.segment.result import Segment, SegmentKind, Split

GPS_AGREEMENT = 0.03  # measured within 3% of the prescription: use the prescription
RESUME_S = 0.01  # a segment starting this close to a pause's end starts on the resume
# A watch on auto-pause resumes once its GPS sees the runner moving, a second or two after the
# first stride: the runner set off before the records resume (the samples' 200 m reps 1.4-1.9 s
# before, already at 5.5 m/s when it did). From a stand a runner gains about this much speed a
# second: the set-off was the speed at the resume over that before it.
SET_OFF_MPS2 = 3.0
SET_OFF_MAX_S = 3.0
SET_OFF_MIN_MPS = 1.0  # slower at the resume: walking off, no set-off to place
SET_OFF_GAP_M = 2.0  # a gap the distance moves less than this across: the timer stood still


def distance_at(activity: Activity, times: np.ndarray | float) -> np.ndarray:
    if activity.distance is None:
        return np.zeros(np.shape(times))
    return np.interp(times, activity.t, activity.distance)


def set_off(activity: Activity, resume_s: float) -> float:
    """Seconds before the watch resumed from a timed pause at ``resume_s`` that the runner set
    off: at ``SET_OFF_MPS2`` from a stand, the speed over the first record step after the
    resume was reached half a step after it. 0 without a distance or where the runner walked."""
    speed, step = _resume_speed(activity, resume_s)
    if speed < SET_OFF_MIN_MPS:
        return 0.0
    return float(np.clip(speed / SET_OFF_MPS2 - 0.5 * step, 0.0, SET_OFF_MAX_S))


def stopped_timer(activity: Activity, pause: Pause) -> bool:
    """Whether the watch's timer stood still over ``pause`` while the runner did: a timer
    pause, or a gap across which the distance did not move (an auto-pause as TCX and PWX keep
    it, without the timer's events). A gap the distance ran across was the runner moving."""
    if pause.kind is PauseKind.TIMER:
        return True
    if pause.kind is not PauseKind.GAP or activity.distance is None:
        return False
    before, after = np.interp([pause.start_s, pause.end_s], activity.t, activity.distance)
    return bool(after - before < SET_OFF_GAP_M)


def resumed_from(activity: Activity, start: float) -> tuple[float, float] | None:
    """For a segment starting at ``start`` on the end of a pause the runner was not timed
    through, or in the set-off before a timed (auto-)pause's end: that end, and the seconds
    of set-off before it. None for any other start."""
    for p in activity.pauses:
        if p.kind is PauseKind.STOOD:
            continue
        if abs(p.end_s - start) < RESUME_S:
            return p.end_s, 0.0
        if p.end_s - SET_OFF_MAX_S - RESUME_S <= start < p.end_s and stopped_timer(activity, p):
            return p.end_s, p.end_s - start
    return None


def _resume_speed(activity: Activity, resume_s: float) -> tuple[float, float]:
    """The speed (m/s) the distance shows over the first record step after ``resume_s``, and
    that step (s)."""
    if activity.distance is None:
        return 0.0, 0.0
    k = int(np.searchsorted(activity.t, resume_s + RESUME_S))
    if k == 0 or k >= len(activity.t):
        return 0.0, 0.0
    step = float(activity.t[k] - activity.t[k - 1])
    if step <= 0:
        return 0.0, 0.0
    return float(activity.distance[k] - activity.distance[k - 1]) / step, step


def measure_segment(
    activity: Activity, seg: Segment, prescribed_m: float | None, lag: float = 0.0
) -> Segment:
    """``lag``: seconds the device's distance trails the runner (measured against its
    positions); the distance at a boundary is read that much later."""
    start, end = seg.start_s, seg.end_s
    assert start is not None and end is not None
    resumed = resumed_from(activity, start)
    measured = None
    if activity.distance is not None:
        measured = _length(activity, start, end, lag)
    used, basis = measured, "measured"
    # a rep that starts as the watch resumed from auto-pause was already under way: the
    # prescribed distance includes metres run before the records resume, so its pace is the
    # measured distance over the timed part, from the set-off where it was placed (the few
    # metres of a set-off, which no record holds, are left out: 1-3 m of a 200 m rep)
    timed = [p for p in activity.pauses if p.kind is not PauseKind.STOOD]
    on_resume = resumed is not None
    if prescribed_m and measured is not None and not on_resume:
        agrees = abs(measured - prescribed_m) <= GPS_AGREEMENT * prescribed_m
        on_track = (activity.sub_sport or "") == "track" or laps_a_track(activity, start, end)
        if agrees or (on_track and not ran_short(activity, start, end, prescribed_m, measured)):
            used, basis = float(prescribed_m), "prescribed"
    paused = sum(max(0.0, min(end, p.end_s) - max(start, p.start_s)) for p in timed)
    if resumed is not None:
        paused = max(0.0, paused - resumed[1])  # the set-off was running
    moving = max(end - start - paused, 1e-9)
    speed = measured / moving if measured is not None else None
    splits: tuple[Split, ...] = ()
    if seg.kind in (SegmentKind.REP, SegmentKind.EXTRA) and measured and used:
        splits = _splits(activity, start, end, used, used / measured, lag)
    return replace(
        seg,
        distance_m=measured,
        distance_used_m=used,
        distance_basis=basis,
        paused_s=paused,
        mean_speed=speed,
        splits=splits,
    )


# a track rep measured this much short by the watch and by its positions was cut short
RAN_SHORT = 0.10


def ran_short(
    activity: Activity, start: float, end: float, prescribed_m: float, measured: float
) -> bool:
    """Whether a track rep was cut short, not mismeasured: GPS reads long on a track, and
    a watch whose distance updates in chunks reads short while its positions do not; a rep
    that both the watch's distance and its positions put well short of its prescription
    (800 m run of a planned 1000 m) is paced on what was run, so its pace and its length
    do not contradict each other."""
    if measured >= (1.0 - RAN_SHORT) * prescribed_m:
        return False
    if activity.lat is None or activity.lon is None:
        return False  # one witness only: the prescription stands
    inside = (activity.t >= start) & (activity.t <= end)
    lat, lon = activity.lat[inside], activity.lon[inside]
    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.sum() < 5:
        return False
    path = float(np.nansum(haversine_steps(lat[ok], lon[ok])))
    return path < (1.0 - RAN_SHORT) * prescribed_m


TRACK_LONG_M, TRACK_WIDE_M = 200.0, 40.0  # a 400 m oval: 177 x 92 m in lane 1, with GPS wander
TRACK_LAPPING = 1.5  # the rep covers this many times the oval's length: it went round
TRACK_CONTEXT_S = 60.0


def laps_a_track(activity: Activity, start: float, end: float) -> bool:
    """Whether the rep went round a 400 m track (or a loop as small): its positions stay
    within an oval's length and have its width, while it covered far more ground than that.
    On a track GPS reads 3-8% long on the bends, so the prescribed distance is the truth even
    where the file does not say "track". An out-and-back on a road has no width; a straight
    road rep covers no more than its length."""
    if activity.lat is None or activity.lon is None or activity.distance is None:
        return False
    # a short rep covers less than the oval's length: the minute either side of it, jogged or
    # stood on the same track, shows the oval
    start, end = start - TRACK_CONTEXT_S, end + TRACK_CONTEXT_S
    inside = (activity.t >= start) & (activity.t <= end)
    lat, lon = activity.lat[inside], activity.lon[inside]
    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.sum() < 5:
        return False
    lat, lon = lat[ok], lon[ok]
    lat0 = float(median(lat))
    xy = np.column_stack(
        ((lon - median(lon)) * 111_320.0 * np.cos(np.radians(lat0)), (lat - lat0) * 110_540.0)
    )
    # extents along the positions' own axes, so the oval's heading does not matter
    _, _, axes = np.linalg.svd(xy - xy.mean(axis=0), full_matrices=False)
    along = xy @ axes.T
    long_m, wide_m = percentile(along, 98, axis=0) - percentile(along, 2, axis=0)
    covered = float(
        np.interp(end, activity.t, activity.distance)
        - np.interp(start, activity.t, activity.distance)
    )
    return bool(
        long_m <= TRACK_LONG_M and wide_m >= TRACK_WIDE_M and covered >= TRACK_LAPPING * long_m
    )


def split_length(distance_m: float) -> float:
    """200 m splits for track reps, 400 m up to 5 km, then kilometres."""
    if distance_m <= 1600:
        return 200.0
    if distance_m <= 5000:
        return 400.0
    return 1000.0


def _splits(
    activity: Activity, start: float, end: float, used: float, scale: float, lag: float
) -> tuple[Split, ...]:
    step = split_length(used)
    marks = np.arange(step, used, step)
    if used - (marks[-1] if len(marks) else 0.0) < 1.0:
        marks = marks[:-1]
    times = times_at_distances(activity, start, end, marks, scale, lag)
    bounds_t = np.concatenate([[start], times, [end]])
    bounds_d = np.concatenate([[0.0], marks, [used]])
    return tuple(
        Split(float(bounds_d[i + 1] - bounds_d[i]), float(bounds_t[i + 1] - bounds_t[i]))
        for i in range(len(bounds_t) - 1)
    )


def _length(activity: Activity, start: float, end: float, lag: float) -> float:
    return float(distance_at(activity, end + lag) - distance_at(activity, start + lag))


def times_at_distances(
    activity: Activity,
    start: float,
    end: float,
    marks: np.ndarray,
    scale: float = 1.0,
    lag: float = 0.0,
) -> np.ndarray:
    """When the runner reached each distance ``marks`` (m from the segment start, on the
    distance used for pace: measured distance times ``scale``)."""
    if activity.distance is None:
        return np.full(len(marks), np.nan)
    sel = (activity.t > start) & (activity.t < end)
    t = np.concatenate([[start], activity.t[sel], [end]])
    # the distance trails the runner by ``lag`` (measured against the positions): where the
    # runner was at each moment is what the distance says ``lag`` seconds later
    dist = np.interp(t + lag, activity.t, activity.distance)
    a, b = dist[0], dist[-1]
    d = dist - a
    d = d * (scale * _length(activity, start, end, lag) / max(b - a, 1e-9))
    d = np.maximum.accumulate(d)
    # plateaus (standing) take their first time
    uniq, first = np.unique(d, return_index=True)
    if len(uniq) < 2:
        return np.full(len(marks), start)
    return np.interp(marks, uniq, t[first])
