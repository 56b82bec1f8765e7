"""Elevation per segment and grade-adjusted pace, so a rep run up a hill is judged on effort.

The altitude is smoothed and the grade read over distance as ``segment.effort`` describes;
each metre run at grade i counts as C(i)/C(0) flat metres by the running cost of Minetti AE,
Moia C, Roi GS, Susta D, Ferretti G (2002), "Energy cost of walking and running at extreme
uphill and downhill slopes", J Appl Physiol 93:1039-1046 (the polynomial is in
``segment.effort``, shared with rep finding); the grade-adjusted pace is the time over those
flat-equivalent metres. A verdict moves onto it only where the altitude is barometric:
GPS altitude's figures are reported, but too rough to judge a rep by.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.score.result import ScoredSegment, TerrainFigures
from workoutcheck.segment.effort import (
    FLAT_COST,
    running_cost,
    smoothed_altitude,
)
from workoutcheck.segment.effort import grade_along as _grade
from workoutcheck.segment.effort import is_rough as _rough


class Terrain:
    """The activity's smoothed altitude and the grade at every sample, computed once."""

    def __init__(self, activity: Activity) -> None:
        self.t = activity.t
        self.altitude = smoothed_altitude(activity)
        self.rough = self.altitude is not None and _rough(activity, self.altitude)
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
        return TerrainFigures(gain, loss, mean_grade * 100.0, gap, grade_sd * 100.0, factor)
