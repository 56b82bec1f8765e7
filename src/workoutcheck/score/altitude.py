"""How far a file's altitude can be trusted, in metres, before a grade changes a verdict.

Grade-adjusted pace on a 300 m rep moves by about 2.5% per metre of altitude error at its
ends (Minetti's cost rises ~5.4x as fast as the grade), so a verdict may switch onto it only
where the hill is larger than the altitude's error. The record-to-record jitter does not
always show that error: GPS altitude wanders by metres over tens of seconds (an FR235 on a
track "climbs" 12 m in a 300 m rep) while looking smooth on a 2-5 s recording. Where the
runner passes the same place again (laps of a track or a loop, an out-and-back), the
altitudes there should agree: their spread, once the barometer's slow drift with the weather
is taken out, is the error that matters, and tells GPS altitude from a barometer's.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model.stats import median

CELL_M = 10.0  # places within a cell this wide count as the same place
PASS_GAP_S = 60.0  # two visits of a cell this far apart in time are separate passes
MIN_REVISITED = 20  # samples in revisited cells needed for the revisit figure
# barometric watches agree within 0.1-1.4 m at revisits (fenix 2/3, FR920XT/935/945/955, Ambit3,
# COROS, V800 in ../shared/corpus), GPS-only ones by 2-20 m (FR225/235/310XT/610/735XT, FR305)
REVISIT_ROUGH_M = 2.0
EARTH_M_PER_DEG = 111_195.0


def revisit_spread(activity: Activity, smoothed: np.ndarray) -> float | None:
    """One pass's altitude error (m, robust): the spread of the altitude at places passed
    more than once, less a linear drift in time; None where too few places were passed twice."""
    if activity.lat is None or activity.lon is None:
        return None
    ok = np.isfinite(activity.lat) & np.isfinite(activity.lon) & np.isfinite(smoothed)
    if ok.sum() < MIN_REVISITED:
        return None
    lat, lon, t, alt = activity.lat[ok], activity.lon[ok], activity.t[ok], smoothed[ok]
    y = (lat - lat[0]) * EARTH_M_PER_DEG
    x = (lon - lon[0]) * EARTH_M_PER_DEG * np.cos(np.radians(lat[0]))
    cx, cy = np.floor(x / CELL_M).astype(np.int64), np.floor(y / CELL_M).astype(np.int64)
    _, cell = np.unique(np.stack([cx, cy], axis=1), axis=0, return_inverse=True)
    cell = cell.ravel()
    order = np.lexsort((t, cell))
    # passes: a new pass where the cell changes or the same cell is entered again later
    cs, ts = cell[order], t[order]
    new_pass = np.concatenate(([True], (np.diff(cs) != 0) | (np.diff(ts) > PASS_GAP_S)))
    passes = np.bincount(cs, weights=new_pass.astype(float))[cell]
    revisited = passes >= 2
    if revisited.sum() < MIN_REVISITED:
        return None
    counts = np.bincount(cell, weights=revisited.astype(float))
    mean = np.bincount(cell, weights=np.where(revisited, alt, 0.0)) / np.maximum(counts, 1)
    dev, tr, k = (alt - mean[cell])[revisited], t[revisited], passes[revisited]
    # a barometer drifts with the weather: take out the part of the deviations linear in time
    tc = tr - tr.mean()
    if np.ptp(tc) > 0:
        dev = dev - tc * float(np.sum(tc * dev) / np.sum(tc * tc))
    # deviations from a mean of k passes are sqrt((k - 1) / k) of one pass's error
    scaled = dev * np.sqrt(k / np.maximum(k - 1, 1))
    return float(1.4826 * median(np.abs(scaled - median(scaled))))
