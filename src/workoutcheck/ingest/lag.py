"""A watch's own distance moved back onto its GPS positions where it trails them.

Some watches filter their distance (and the speed that comes with it) inside the watch, so that
both trail the runner by seconds: every rep boundary, split and pace read from them is late by
as much. The GPS fixes are stamped when they were taken, so the lag shows against them: the
correlation of the two speeds, as for a speed field trailing the distance. None of the real
files measured trails by more than a second (one with a footpod, 3 s), so only a lag from
``MIN_LAG_S`` is taken off, and the note says by how much.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import geo
from workoutcheck.model.stats import delay_s

MIN_LAG_S = 4
MAX_LAG_S = 20
MIN_POSITIONS = 0.9  # of the records with a fix
MIN_GRID_S = 120


def behind_positions(
    t: np.ndarray, distance: np.ndarray, lat: np.ndarray | None, lon: np.ndarray | None
) -> float:
    """Seconds by which the device ``distance`` trails the distance of the positions (0 when
    under ``MIN_LAG_S`` or when there are too few fixes to tell)."""
    if lat is None or lon is None or len(t) < 2:
        return 0.0
    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.mean() < MIN_POSITIONS or t[-1] - t[0] < MIN_GRID_S:
        return 0.0
    # the fixes' own steps, unsmoothed: the correlation smooths both speeds over 5 s, and
    # smoothing the positions first (geo.derive_distance) would triple the cost of a load
    tt = t[ok]
    fixes = np.concatenate([[0.0], np.cumsum(geo.haversine_steps(lat[ok], lon[ok]))])
    grid = np.arange(t[0], t[-1], 1.0)
    lag = delay_s(
        np.gradient(np.interp(grid, tt, fixes)),
        np.gradient(np.interp(grid, t, distance)),
        MAX_LAG_S,
    )
    return lag if lag >= MIN_LAG_S else 0.0


def moved_back(t: np.ndarray, values: np.ndarray, lag: float) -> np.ndarray:
    """``values`` as they were ``lag`` seconds later (the last ``lag`` seconds held)."""
    return np.interp(t + lag, t, values)
