"""The runner's effort progress on hills: distance weighted by the energy cost of its grade.

On a hill session the clock speed misleads rep finding: a rep up a 6% hill is slower on the
clock than the jog back down, so the fastest stretches are the descents. Weighting each metre
by the energy cost of running at its grade (Minetti AE, Moia C, Roi GS, Susta D, Ferretti G
(2002), "Energy cost of walking and running at extreme uphill and downhill slopes", J Appl
Physiol 93:1039-1046: C(i) = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6
J/(kg m), i the grade as a fraction, fitted over -0.45 <= i <= 0.45) gives flat-equivalent
metres, whose rate is the effort the reps are found by. The same cost model gives each
segment's grade-adjusted pace (``score.terrain``), so both read the altitude the same way.

Watch altitude is rough two ways: a barometer moves in steps (0.2-1 m quanta, and jumps when
it recalibrates) and GPS altitude jitters by metres from second to second. Both are smoothed
by a moving average over ``SMOOTH_S`` of time, and the grade under the runner is taken over
``GRADE_WINDOW_M`` of distance, not between neighbouring samples.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model.stats import median

SMOOTH_S = 10.0  # moving-average window for altitude (s)
GRADE_WINDOW_M = 20.0  # the grade under the runner is the rise over this much distance
# raw altitude straying from its smoothed line by more than this (robust sd, m) is GPS altitude
# (barometric watches stay within 0.1-0.3 m; GPS-only watches such as the FR235 0.5-1 m, with
# drift)
ROUGH_M = 0.5
MINETTI_RUN = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)  # J/(kg m), highest power first
GRADE_LIMIT = 0.45  # the range Minetti et al. measured
# a plan without uphill reps is found by effort only when most of the file's distance (HILL_SHARE)
# is on a grade steeper than HILL_GRADE either way, read over HILL_WINDOW_M: a hill session. Watch
# altitude drifts: the corpus's flat track sessions (FR235/FR735XT barometers drifting 20-40 m an
# hour) read 24-47% by this measure, rolling road 27%, 4-8% hill repeats over 70%
HILL_GRADE = 0.03
HILL_WINDOW_M = 100.0
HILL_SHARE = 0.7


def running_cost(grade: np.ndarray | float) -> np.ndarray:
    """Energy cost of running at a grade (fraction), J/(kg m), Minetti et al. 2002."""
    return np.polyval(MINETTI_RUN, np.clip(grade, -GRADE_LIMIT, GRADE_LIMIT))


FLAT_COST = float(running_cost(0.0))


def smoothed_altitude(activity: Activity) -> np.ndarray | None:
    """Altitude with gaps filled and barometer steps and GPS jitter averaged over SMOOTH_S."""
    alt = activity.altitude
    if alt is None:
        return None
    ok = np.isfinite(alt)
    if ok.sum() < 2:
        return None
    t = activity.t
    filled = np.interp(t, t[ok], alt[ok])
    # a centred moving average over a time window whatever the sampling: prefix sums of the
    # samples, each window's ends found by binary search
    csum = np.concatenate(([0.0], np.cumsum(filled)))
    lo = np.searchsorted(t, t - SMOOTH_S / 2.0, side="left")
    hi = np.searchsorted(t, t + SMOOTH_S / 2.0, side="right")
    return (csum[hi] - csum[lo]) / (hi - lo)


def is_rough(activity: Activity, smoothed: np.ndarray) -> bool:
    """Whether the raw altitude jitters about its smoothed line like GPS altitude (ROUGH_M)."""
    alt = activity.altitude
    ok = np.isfinite(alt)  # type: ignore[arg-type]
    residual = alt[ok] - smoothed[ok]  # type: ignore[index]
    return bool(1.4826 * median(np.abs(residual - median(residual))) > ROUGH_M)


def grade_along(
    distance: np.ndarray, altitude: np.ndarray, window_m: float = GRADE_WINDOW_M
) -> np.ndarray:
    """Grade (fraction) at each sample: the smoothed rise over ``window_m`` of distance."""
    d = np.maximum.accumulate(np.nan_to_num(distance, nan=0.0))
    # altitude as a function of distance: where the runner stood still, the first reading stands
    keep = np.concatenate(([True], np.diff(d) > 0))
    dk, ak = d[keep], altitude[keep]
    if len(dk) < 2:
        return np.zeros(len(d))
    half = window_m / 2.0
    a = np.clip(d - half, dk[0], dk[-1])
    b = np.clip(d + half, dk[0], dk[-1])
    span = b - a
    rise = np.interp(b, dk, ak) - np.interp(a, dk, ak)
    return np.where(span > 1.0, rise / np.maximum(span, 1.0), 0.0)


def effort_progress(
    activity: Activity, progress: np.ndarray, uphill_plan: bool
) -> np.ndarray | None:
    """Flat-equivalent metres at each record (the ``progress`` weighted by the cost of its
    grade), or None where clock speed should stand: no altitude, or not a hill session. A plan
    with uphill reps is one (then even GPS altitude is nearer the effort than the clock);
    otherwise the altitude must be barometric and most of the distance on a grade
    (``HILL_SHARE``), so flat sessions, and watches whose altitude drifts, are untouched."""
    alt = smoothed_altitude(activity)
    if alt is None or activity.distance is None or not np.isfinite(activity.distance).any():
        return None
    step = np.diff(np.maximum.accumulate(np.nan_to_num(progress, nan=0.0)))
    run = float(step.sum())
    if run <= 0:
        return None
    if not uphill_plan:
        if is_rough(activity, alt):
            return None
        broad = grade_along(activity.distance, alt, HILL_WINDOW_M)
        if float(step[np.abs(broad[1:] + broad[:-1]) / 2.0 > HILL_GRADE].sum()) < HILL_SHARE * run:
            return None
    grade = grade_along(activity.distance, alt)
    weighted = step * running_cost((grade[1:] + grade[:-1]) / 2.0) / FLAT_COST
    first = float(np.nan_to_num(progress[0]))
    return np.concatenate(([first], first + np.cumsum(weighted)))
