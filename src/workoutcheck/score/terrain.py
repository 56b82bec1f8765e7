"""Elevation per segment and grade-adjusted pace, so a rep run up a hill is judged on effort.

The altitude is smoothed and the grade read over distance as ``segment.effort`` describes;
each metre run at grade i counts as C(i)/C(0) flat metres by the running cost of Minetti AE,
Moia C, Roi GS, Susta D, Ferretti G (2002), "Energy cost of walking and running at extreme
uphill and downhill slopes", J Appl Physiol 93:1039-1046 (the polynomial is in
``segment.effort``, shared with rep finding); the grade-adjusted pace is the time over those
flat-equivalent metres. A verdict moves onto it only where the altitude is barometric:
GPS altitude's figures are reported, but too rough to judge a rep by (jittery, or disagreeing
by metres where the runner passes the same place again: score/altitude.py).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model.stats import median
from workoutcheck.score.altitude import REVISIT_ROUGH_M, revisit_spread
from workoutcheck.score.result import ScoredSegment, TerrainFigures
from workoutcheck.segment.effort import (
    FLAT_COST,
    MINETTI_RUN,
    ROUGH_M,
    running_cost,
    smoothed_altitude,
)
from workoutcheck.segment.effort import grade_along as _grade

ALTITUDE_FLOOR_M = 0.5  # the least altitude error assumed: a barometer's quanta and drift
COST_SLOPE = MINETTI_RUN[-2] / MINETTI_RUN[-1]  # relative change of cost per unit grade near flat


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
        if (
            self.altitude is not None
            and self.distance is not None
            and np.isfinite(self.distance).any()
        ):
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
        dd = np.diff(np.maximum.accumulate(np.nan_to_num(self.distance[inside], nan=0.0)))  # type: ignore[index]
        run = float(dd.sum())
        if run < 1.0:
            return TerrainFigures(gain, loss)
        g = (self.grade[inside][1:] + self.grade[inside][:-1]) / 2.0
        mean_grade = float(np.sum(g * dd) / run)
        grade_sd = float(np.sqrt(np.sum((g - mean_grade) ** 2 * dd) / run))
        flat_equivalent = float(np.sum(dd * running_cost(g))) / FLAT_COST
        factor = run / flat_equivalent if flat_equivalent > 0 else None
        pace = scored.running_pace_s_per_km
        gap = pace * factor if pace is not None and factor is not None else None
        # the altitude's error at the two ends moves the mean grade by sqrt(2) error / distance
        factor_sd = (
            COST_SLOPE * np.sqrt(2.0) * self.error_m / run * factor
            if factor is not None and self.error_m is not None
            else None
        )
        return TerrainFigures(
            gain, loss, mean_grade * 100.0, gap, grade_sd * 100.0, factor, factor_sd
        )


def _jitter(activity: Activity, smoothed: np.ndarray) -> float:
    """Robust spread (m) of the raw altitude about its smoothed line: over ROUGH_M is GPS altitude."""
    alt = activity.altitude
    ok = np.isfinite(alt)  # type: ignore[arg-type]
    residual = alt[ok] - smoothed[ok]  # type: ignore[index]
    return float(1.4826 * median(np.abs(residual - median(residual))))
