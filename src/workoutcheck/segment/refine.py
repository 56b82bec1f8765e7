"""Put each boundary where the speed actually changes, at sample resolution.

The programme places boundaries on its one-second grid; a rep starts where the runner's
speed crosses halfway from the recovery level to the rep level, which usually falls between
two samples. Watches also filter their speed, so it trails the true speed by a second or
two; where the file has positions, the lag is measured against the speed from positions
(which the filter does not delay) and taken off.
"""

from __future__ import annotations

import numpy as np

from workoutcheck import positions
from workoutcheck.model import Activity

SEARCH_S = 6.0  # how far from the grid boundary a crossing is looked for
EDGE_S = 3.0  # speed this close to a boundary is not used for the levels
MAX_LAG_S = 5.0


def speed_lag(activity: Activity) -> float:
    """Seconds by which the device speed trails the speed derived from positions (>= 0)."""
    if activity.speed is None or activity.speed_source != "device" or not activity.has_positions:
        return 0.0
    t = activity.t
    ok = np.isfinite(activity.lat) & np.isfinite(activity.lon)
    if ok.sum() < 60:
        return 0.0
    dist = positions.derive_distance(t, activity.lat, activity.lon)
    v_pos = positions.derive_speed(t, dist)
    grid = np.arange(0.0, t[-1], 0.25)
    if len(grid) < 400:
        return 0.0
    dev = np.gradient(np.interp(grid, t, np.nan_to_num(activity.speed)))
    pos = np.gradient(np.interp(grid, t, np.nan_to_num(v_pos)))
    best_lag, best_corr, zero_corr = 0.0, -1.0, 0.0
    for k in range(int(MAX_LAG_S / 0.25) + 1):
        a = dev[k:]
        b = pos[: len(pos) - k]
        corr = float(np.corrcoef(a, b)[0, 1]) if np.std(a) > 0 and np.std(b) > 0 else 0.0
        if k == 0:
            zero_corr = corr
        if corr > best_corr:
            best_lag, best_corr = k * 0.25, corr
    if best_corr < 0.3 or best_corr < zero_corr + 0.02:
        return 0.0
    return best_lag


def refine_boundaries(
    t: np.ndarray, v: np.ndarray, boundaries: list[float], fixed: set[int] | None = None
) -> list[float]:
    """Move each interior boundary to the nearby halfway crossing of the speed.

    ``t`` and ``v`` are the samples (lag already taken off ``t``); ``boundaries`` are times
    in order, first and last being the recording's ends; indices in ``fixed`` stay put.
    """
    out = list(boundaries)
    fixed = fixed or set()
    for i in range(1, len(boundaries) - 1):
        if i in fixed:
            continue
        b = boundaries[i]
        before = _level(t, v, boundaries[i - 1], b - EDGE_S)
        after = _level(t, v, b + EDGE_S, boundaries[i + 1])
        if before is None or after is None or abs(after - before) < 0.4:
            continue
        crossing = _crossing(t, v, b, 0.5 * (before + after), rising=after > before)
        if crossing is not None:
            out[i] = crossing
    # keep the order strict even where two crossings compete
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + 0.5) if i < len(out) - 1 else out[i]
    return out


def _level(t: np.ndarray, v: np.ndarray, a: float, b: float) -> float | None:
    if b - a < 2.0:
        a, b = (a + b) / 2 - 1.0, (a + b) / 2 + 1.0
    sel = (t >= a) & (t <= b)
    if sel.sum() < 1:
        return None
    return float(np.median(v[sel]))


def _crossing(t: np.ndarray, v: np.ndarray, near: float, level: float, *, rising: bool) -> float | None:
    lo = np.searchsorted(t, near - SEARCH_S) - 1
    hi = np.searchsorted(t, near + SEARCH_S) + 1
    lo, hi = max(lo, 0), min(hi, len(t))
    tt, vv = t[lo:hi], v[lo:hi] - level
    if len(tt) < 2:
        return None
    a, b = vv[:-1], vv[1:]
    idx = np.flatnonzero((a < 0) & (b >= 0)) if rising else np.flatnonzero((a > 0) & (b <= 0))
    if len(idx) == 0:
        return None
    times = tt[idx] + (tt[idx + 1] - tt[idx]) * (-a[idx]) / (b[idx] - a[idx])
    return float(times[np.argmin(np.abs(times - near))])
