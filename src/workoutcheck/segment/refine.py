"""Put each boundary where the speed actually changes, at sample resolution.

The programme places boundaries on its one-second grid; a rep starts where the runner's
speed crosses halfway from the recovery level to the rep level, which usually falls between
two samples. Watches also filter their speed, so it trails the true speed by a second or
two; where the file has positions, the lag is measured against the speed from positions
(which the filter does not delay) and taken off.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model import geo as positions
from workoutcheck.model.stats import median

SEARCH_S = 6.0  # how far from the grid boundary a crossing is looked for
EDGE_S = 5.0  # speed this close to a boundary is not used for the levels
MAX_LAG_S = 8.0
MAX_LAG_SPREAD_S = 1.5
LEVEL_S = 20.0
GAP_S = 8.0  # records further apart than this have a gap between them  # the speed level either side is read over this long


def position_speed(activity: Activity) -> np.ndarray | None:
    """Speed from smoothed positions, which no speed filter delays; None without positions."""
    if not activity.has_positions:
        return None
    ok = np.isfinite(activity.lat) & np.isfinite(activity.lon)  # type: ignore[arg-type]
    if ok.sum() < 60:
        return None
    dist = positions.derive_distance(activity.t, activity.lat, activity.lon)  # type: ignore[arg-type]
    return np.nan_to_num(positions.derive_speed(activity.t, dist))


def speed_lag(activity: Activity, boundaries: list[float], search_s: float = SEARCH_S) -> float:
    """Seconds by which the device speed trails the runner at the boundaries.

    The reference is a signal no speed filter delays: the speed from positions, or failing
    that the cadence (steps change the moment the runner does). The lag is the median, over
    the found boundaries, of how much later the device speed changes than the reference;
    zero without a reference, or when the boundaries do not agree on one lag.
    """
    if activity.speed is None or activity.speed_source != "device":
        return 0.0
    t, v_dev = activity.t, np.nan_to_num(activity.speed)
    dev = refine_boundaries(t, v_dev, boundaries, search_s=search_s)
    for reference in (position_speed(activity), _cadence(activity)):
        if reference is None:
            continue
        ref = refine_boundaries(t, reference, boundaries, search_s=search_s)
        lag = _agreed_lag(dev, ref, boundaries)
        if lag is not None:
            return lag
    return 0.0


def _agreed_lag(dev: list[float], ref: list[float], grid: list[float]) -> float | None:
    diffs = np.array(
        [
            a - b
            for a, b, c in zip(dev[1:-1], ref[1:-1], grid[1:-1], strict=True)
            if a != c and b != c
        ]
    )
    if len(diffs) < 2:
        return None
    lag = float(median(diffs))
    if float(median(np.abs(diffs - lag))) > MAX_LAG_SPREAD_S or not 0.0 <= lag <= MAX_LAG_S:
        return None
    return lag


def _cadence(activity: Activity) -> np.ndarray | None:
    if activity.cadence is None:
        return None
    cad = np.nan_to_num(activity.cadence)
    if (cad > 0).mean() < 0.5:
        return None
    return cad


def refine_boundaries(
    t: np.ndarray,
    v: np.ndarray,
    boundaries: list[float],
    fixed: set[int] | None = None,
    search_s: float = SEARCH_S,
    fraction: float = 0.5,
) -> list[float]:
    """Move each interior boundary to where the speed has gone ``fraction`` of the way from
    the old level to the new one (0.5: halfway; smaller: nearer the onset of the change).

    ``t`` and ``v`` are the samples (lag already taken off ``t``); ``boundaries`` are times
    in order, first and last being the recording's ends; indices in ``fixed`` stay put.
    """
    out = list(boundaries)
    fixed = fixed or set()
    for i in range(1, len(boundaries) - 1):
        if i in fixed:
            continue
        b = boundaries[i]
        # levels from the stretch next to the boundary: a warm-up's jog says nothing about
        # the standing start just before a race
        before = _level(
            t,
            v,
            max(boundaries[i - 1], b - EDGE_S - LEVEL_S),
            b - EDGE_S,
            boundaries[i - 1],
            side=-1,
        )
        after = _level(
            t,
            v,
            b + EDGE_S,
            min(boundaries[i + 1], b + EDGE_S + LEVEL_S),
            boundaries[i + 1],
            side=1,
        )
        if before is None or after is None or abs(after - before) < 0.4:
            continue
        level = before + fraction * (after - before)
        crossing = _crossing(t, v, b, level, rising=after > before, search_s=search_s)
        if crossing is not None:
            out[i] = crossing
    # keep the order strict even where two crossings compete
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + 0.5) if i < len(out) - 1 else out[i]
    return out


def _level(
    t: np.ndarray, v: np.ndarray, a: float, b: float, limit: float, *, side: int
) -> float | None:
    """Median speed over [a, b]; where a pause left no records there, the few samples
    nearest to it on that side (but not past ``limit``, the segment's far end)."""
    if b - a < 2.0:
        a, b = (a + b) / 2 - 1.0, (a + b) / 2 + 1.0
    sel = (t >= a) & (t <= b)
    if sel.any():
        return float(median(v[sel]))
    if side < 0:
        idx = np.flatnonzero((t < a) & (t >= limit))[-3:]
    else:
        idx = np.flatnonzero((t > b) & (t <= limit))[:3]
        if len(idx) == 0:  # the file ends within seconds of the boundary: its last samples
            idx = np.flatnonzero((t > a - EDGE_S) & (t <= limit))[-3:]
    return float(median(v[idx])) if len(idx) else None


def _crossing(
    t: np.ndarray, v: np.ndarray, near: float, level: float, *, rising: bool, search_s: float
) -> float | None:
    lo = np.searchsorted(t, near - search_s) - 1
    hi = np.searchsorted(t, near + search_s) + 1
    lo, hi = max(lo, 0), min(hi, len(t))  # type: ignore[arg-type]
    tt, vv = t[lo:hi], v[lo:hi] - level
    if len(tt) < 2:
        return None
    a, b = vv[:-1], vv[1:]
    idx = np.flatnonzero((a < 0) & (b >= 0)) if rising else np.flatnonzero((a > 0) & (b <= 0))
    if len(idx) == 0:
        return None
    times = tt[idx] + (tt[idx + 1] - tt[idx]) * (-a[idx]) / (b[idx] - a[idx])
    # across a gap in the records (auto-pause, lost signal) the change happened at its edge:
    # the runner was standing until the records resume, or stopped when they stopped
    gap = (tt[idx + 1] - tt[idx]) > GAP_S
    times = np.where(gap, tt[idx + 1] if rising else tt[idx], times)
    return float(times[np.argmin(np.abs(times - near))])
