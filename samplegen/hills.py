"""Hill sessions: a straight out-and-back on a steady grade, run at an even effort.

The runner simulation (``runner.simulate``) moves on flat ground. Here its distance is read as
*effort* metres - flat-equivalent metres - and turned into metres on the hill with the energy
cost of running on a gradient of Minetti et al. 2002 (J Appl Physiol 93:1039; the same model
workoutcheck's grade-adjusted pace uses): a real metre at grade i costs C(i)/C(0) effort
metres. So a rep run "at 3:45/km effort" up a 6% hill is slower on the clock by the cost of
the hill, and its flat-equivalent truth is the block's pace. Only new functions: no existing
sample changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from samplegen.routes import Route
from samplegen.runner import TrueMotion

MINETTI_RUN = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)  # J/(kg m), grade as a fraction
STEP_M = 0.5  # the grid on which effort metres are integrated along the route


def running_cost(grade):
    return np.polyval(MINETTI_RUN, np.clip(grade, -0.45, 0.45))


@dataclass(frozen=True)
class HillRoute(Route):
    """A straight road of ``leg_m`` up a steady ``grade`` (fraction), run up and back down
    as often as needed; distance 0 is the foot of the hill."""

    leg_m: float = 300.0
    grade: float = 0.06
    heading_deg: float = 0.0

    def _along(self, d):
        p = np.mod(np.asarray(d, float), 2 * self.leg_m)
        return np.where(p > self.leg_m, 2 * self.leg_m - p, p)

    def xy(self, d):
        a = self._along(d)  # map distance: at under 10% grade, within 0.5% of the road
        h = np.radians(self.heading_deg)
        return a * np.cos(h), a * np.sin(h)

    def altitude(self, d):
        return self.base_altitude_m + self.grade * self._along(d)

    def describe(self):
        return {**super().describe(), "leg_m": self.leg_m, "grade": self.grade}


def effort_metres(route: Route, real_m: float) -> tuple[np.ndarray, np.ndarray]:
    """(real metres, effort metres) along ``route`` up to ``real_m``, on a STEP_M grid."""
    x = np.arange(0.0, real_m + 2 * STEP_M, STEP_M)
    grade = np.gradient(route.altitude(x), x)
    mid = (grade[1:] + grade[:-1]) / 2.0
    cost = running_cost(mid) / running_cost(0.0)
    return x, np.concatenate(([0.0], np.cumsum(cost * STEP_M)))


def on_the_hill(motion: TrueMotion, route: Route) -> TrueMotion:
    """The motion with its (effort) distance turned into distance over ``route`` at an even
    effort: slower up, faster down. Times and segment bounds are unchanged."""
    effort = motion.distance
    reach = float(effort[-1]) * 2.0 + 10.0  # downhill metres cost less: real can exceed effort
    x, e = effort_metres(route, reach)
    real = np.interp(effort, e, x)
    slope = np.interp(
        real, x[:-1] + STEP_M / 2, STEP_M / np.diff(e)
    )  # real metres per effort metre
    notes = {**motion.notes, "hill": "distance is effort metres turned into metres on the hill"}
    return replace(
        motion,
        route=route,
        distance=real,
        speed=motion.speed * slope,
        route_offset_m=0.0,
        notes=notes,
    )


def hill_legs(route: HillRoute) -> tuple[float, float]:
    """Effort metres of one climb of the hill and of one descent."""
    x, e = effort_metres(route, 2 * route.leg_m)
    up = float(np.interp(route.leg_m, x, e))
    return up, float(np.interp(2 * route.leg_m, x, e)) - up
