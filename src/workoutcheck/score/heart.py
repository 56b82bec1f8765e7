"""Heart rate per segment and across the session, from the Activity and the segment times.

Coaches read a rep's effort from its heart rate as much as from its pace: how high it went,
how far it climbed inside the rep, how quickly it fell in the recovery after, and whether the
same pace cost more beats late in the session than early (cardiac drift). Rep finding is not
touched: these figures only read the samples between each segment's start and end.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.score.result import HeartFigures, ScoredSegment
from workoutcheck.segment import SegmentKind

DROP_WINDOW_S = 60.0  # the recovery drop is measured over its first minute
NEAREST_S = 5.0  # a heart rate "at" a moment needs a reading within this many seconds of it


NO_HEART = HeartFigures()


def _readings(activity: Activity) -> tuple[np.ndarray, np.ndarray] | None:
    """(times, bpm) of the samples that carry a heart rate, or None when there are none."""
    hr = activity.heart_rate
    if hr is None:
        return None
    ok = np.isfinite(hr) & (hr > 0)
    if not ok.any():
        return None
    return activity.t[ok], hr[ok]


def _at(t: np.ndarray, hr: np.ndarray, moment: float) -> float | None:
    """The heart rate at a moment, interpolated, when a reading lies within NEAREST_S of it."""
    i = int(np.searchsorted(t, moment))
    near = min(abs(t[j] - moment) for j in (i - 1, i) if 0 <= j < len(t))
    if near > NEAREST_S:
        return None
    return float(np.interp(moment, t, hr))


def _window(t: np.ndarray, hr: np.ndarray, start: float, end: float) -> tuple[float | None, float | None]:
    """(time-weighted mean, max) from start to end: the readings joined by straight lines,
    with the boundaries interpolated, so a sparse recording is not weighted by its samples."""
    lo, hi = max(start, float(t[0])), min(end, float(t[-1]))
    if hi <= lo:
        return None, None
    inside = (t > lo) & (t < hi)
    ts = np.concatenate(([lo], t[inside], [hi]))
    hs = np.interp(ts, t, hr)
    read = hr[(t >= start) & (t <= end)]
    peak = float(read.max()) if len(read) else float(hs.max())
    return float(np.sum((hs[1:] + hs[:-1]) / 2.0 * np.diff(ts))) / (hi - lo), peak


def segment_heart(activity: Activity, scored: ScoredSegment) -> HeartFigures:
    """The heart-rate figures of one segment (NO_HEART without heart rate or times)."""
    seg = scored.segment
    readings = _readings(activity)
    if readings is None or seg.start_s is None or seg.end_s is None:
        return NO_HEART
    t, hr = readings
    avg, peak = _window(t, hr, seg.start_s, seg.end_s)
    if avg is None:
        return NO_HEART
    rise = end = drop = None
    start_hr, end_hr = _at(t, hr, seg.start_s), _at(t, hr, seg.end_s)
    if seg.kind is SegmentKind.REP:
        rise = None if start_hr is None or end_hr is None else end_hr - start_hr
    elif seg.kind is SegmentKind.RECOVERY:
        end = end_hr
        if seg.end_s - seg.start_s >= DROP_WINDOW_S:
            after = _at(t, hr, seg.start_s + DROP_WINDOW_S)
            drop = None if start_hr is None or after is None else start_hr - after
    return HeartFigures(avg, peak, rise, end, drop)


def session_drift_pct(segments: list[ScoredSegment], hearts: list[HeartFigures]) -> float | None:
    """Cardiac drift: beats per unit of speed in the last half of the reps against the first
    half, in % (positive: the same pace cost more beats later). None with fewer than two run
    reps that have both a pace and a heart rate."""
    cost = [h.avg_bpm * s.judged_pace_s_per_km for s, h in zip(segments, hearts, strict=True)
            if s.segment.kind is SegmentKind.REP and not s.segment.missed
            and h.avg_bpm is not None and s.judged_pace_s_per_km]
    if len(cost) < 2:
        return None
    half = len(cost) // 2
    first, last = float(np.mean(cost[:half])), float(np.mean(cost[len(cost) - half:]))
    return (last / first - 1.0) * 100.0
