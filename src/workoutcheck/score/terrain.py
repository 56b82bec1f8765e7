"""Elevation per segment and grade-adjusted pace, so a rep run up a hill is judged on effort.

Watch altitude is rough two ways: a barometer moves in steps (0.2-1 m quanta, and jumps when
it recalibrates) and GPS altitude jitters by metres from second to second. Both are smoothed
by a moving average over ``SMOOTH_S`` of time before anything is summed, and the grade under
the runner is taken over ``GRADE_WINDOW_M`` of distance, not between neighbouring samples.

Grade-adjusted pace uses the energy cost of running on a gradient measured by
Minetti AE, Moia C, Roi GS, Susta D, Ferretti G (2002), "Energy cost of walking and running at
extreme uphill and downhill slopes", J Appl Physiol 93:1039-1046: for running,
C(i) = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6 J/(kg m), i the grade as a
fraction, fitted over -0.45 <= i <= 0.45. Each metre run at grade i counts as C(i)/C(0) flat
metres; the grade-adjusted pace is the time over those flat-equivalent metres.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.score.altitude import REVISIT_ROUGH_M, revisit_spread
from workoutcheck.score.result import ScoredSegment, TerrainFigures

SMOOTH_S = 10.0  # moving-average window for altitude (s)
GRADE_WINDOW_M = 20.0  # the grade under the runner is the rise over this much distance
# raw altitude straying from its smoothed line by more than this (robust sd, m) is GPS altitude
# (barometric watches stay within 0.1-0.3 m; GPS-only watches such as the FR235 0.5-1 m, with
# drift): its figures are reported, but too rough to switch a verdict onto grade-adjusted pace
ROUGH_M = 0.5
ALTITUDE_FLOOR_M = 0.5  # the least altitude error assumed: a barometer's quanta and drift
MINETTI_RUN = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)  # J/(kg m), highest power first
GRADE_LIMIT = 0.45  # the range Minetti et al. measured
COST_SLOPE = MINETTI_RUN[-2] / MINETTI_RUN[-1]  # relative change of cost per unit grade near flat


def running_cost(grade: np.ndarray | float) -> np.ndarray:
    """Energy cost of running at a grade (fraction), J/(kg m), Minetti et al. 2002."""
    return np.polyval(MINETTI_RUN, np.clip(grade, -GRADE_LIMIT, GRADE_LIMIT))


FLAT_COST = float(running_cost(0.0))


class Terrain:
    """The activity's smoothed altitude and the grade at every sample, computed once."""

    def __init__(self, activity: Activity) -> None:
        self.t = activity.t
        self.altitude = smoothed_altitude(activity)
        self.rough, self.error_m = False, None
        if self.altitude is not None:
            # GPS altitude: jittery from record to record, or (on a sparse recording, where it
            # looks smooth) disagreeing by metres where the runner passes the same place again
            jitter = _jitter(activity, self.altitude)
            revisit = revisit_spread(activity, self.altitude)
            self.rough = jitter > ROUGH_M or (revisit is not None and revisit > REVISIT_ROUGH_M)
            # the altitude's error where a grade is taken over a rep
            self.error_m = max(jitter, revisit or 0.0, ALTITUDE_FLOOR_M)
        self.distance = activity.distance
        self.grade = None
        if self.altitude is not None and self.distance is not None and np.isfinite(self.distance).any():
            self.grade = _grade(self.distance, self.altitude)

    def scored(self, scored: ScoredSegment) -> ScoredSegment:
        """The segment with its terrain figures filled in."""
        return replace(scored, terrain=self.segment(scored))

    def segment(self, scored: ScoredSegment) -> TerrainFigures:
        seg = scored.segment
        if self.altitude is None or seg.start_s is None or seg.end_s is None:
            return TerrainFigures()
        inside = (self.t >= seg.start_s) & (self.t <= seg.end_s)
        if inside.sum() < 2:
            return TerrainFigures()
        alt = self.altitude[inside]
        step = np.diff(alt)
        gain, loss = float(step[step > 0].sum()), float(-step[step < 0].sum())
        if self.grade is None:
            return TerrainFigures(gain, loss)
        dd = np.diff(np.maximum.accumulate(np.nan_to_num(self.distance[inside], nan=0.0)))
        run = float(dd.sum())
        if run < 1.0:
            return TerrainFigures(gain, loss)
        mean_grade, grade_sd, factor = _over(self.grade[inside], dd)
        pace = scored.running_pace_s_per_km
        gap = pace * factor if pace is not None and factor is not None else None
        # the altitude's error at the two ends moves the mean grade by sqrt(2) error / distance
        factor_sd = (COST_SLOPE * np.sqrt(2.0) * self.error_m / run * factor
                     if factor is not None and self.error_m is not None else None)
        return TerrainFigures(gain, loss, mean_grade * 100.0, gap, grade_sd * 100.0, factor, factor_sd)


def _over(grade: np.ndarray, dd: np.ndarray) -> tuple[float, float, float | None]:
    """Mean grade, its spread and the grade-adjustment factor over samples ``grade`` with the
    distance ``dd`` run between them."""
    run = float(dd.sum())
    g = (grade[1:] + grade[:-1]) / 2.0
    mean_grade = float(np.sum(g * dd) / run)
    grade_sd = float(np.sqrt(np.sum((g - mean_grade) ** 2 * dd) / run))
    flat_equivalent = float(np.sum(dd * running_cost(g))) / FLAT_COST
    return mean_grade, grade_sd, (run / flat_equivalent if flat_equivalent > 0 else None)


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


def _jitter(activity: Activity, smoothed: np.ndarray) -> float:
    """Robust spread (m) of the raw altitude about its smoothed line: over ROUGH_M is GPS altitude."""
    alt = activity.altitude
    ok = np.isfinite(alt)  # type: ignore[arg-type]
    residual = alt[ok] - smoothed[ok]  # type: ignore[index]
    return float(1.4826 * np.median(np.abs(residual - np.median(residual))))


def _grade(distance: np.ndarray, altitude: np.ndarray) -> np.ndarray:
    """Grade (fraction) at each sample: the smoothed rise over GRADE_WINDOW_M of distance."""
    d = np.maximum.accumulate(np.nan_to_num(distance, nan=0.0))
    # altitude as a function of distance: where the runner stood still, the first reading stands
    keep = np.concatenate(([True], np.diff(d) > 0))
    dk, ak = d[keep], altitude[keep]
    if len(dk) < 2:
        return np.zeros(len(d))
    half = GRADE_WINDOW_M / 2.0
    a = np.clip(d - half, dk[0], dk[-1])
    b = np.clip(d + half, dk[0], dk[-1])
    span = b - a
    rise = np.interp(b, dk, ak) - np.interp(a, dk, ak)
    return np.where(span > 1.0, rise / np.maximum(span, 1.0), 0.0)
