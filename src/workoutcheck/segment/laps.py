"""Device laps as evidence for rep boundaries.

Laps pressed at rep boundaries, or laps the watch made from a structured workout, say where
a rep began, give or take the second or two the press came late. Auto-laps (every 1 km, every
5 min) say nothing about reps and are not used. In ``auto`` mode lap edges only make a
boundary cheaper nearby, so laps that disagree with the speed are outvoted by it; in ``use``
mode boundaries may only fall on lap edges.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.segment.signal import Signal

LAP_BONUS = 8.0  # in units of the fit cost: a few seconds of clearly wrong speed
PRESS_WINDOW_S = (-4.0, 2.0)  # a press comes late more often than early
AUTO_TRIGGERS = {"distance", "time", "position", "position_lap", "position_start", "position_waypoint"}


def rep_lap_edges(activity: Activity) -> list[float]:
    """Interior lap edges from presses or a structured workout (not auto-laps)."""
    edges = []
    for before, lap in zip(activity.laps, activity.laps[1:]):
        auto = (lap.trigger or "") in AUTO_TRIGGERS and lap.wkt_step_index is None
        # auto-laps inside one workout step (a 2 km step lapped every 1 km) are one step
        same_step = lap.wkt_step_index is not None and lap.wkt_step_index == before.wkt_step_index
        if not auto and not same_step:
            edges.append(lap.start_s)
    return edges


def lap_bonus(activity: Activity, sig: Signal) -> np.ndarray | None:
    edges = rep_lap_edges(activity)
    if not edges:
        return None
    bonus = np.zeros(sig.n + 1)
    grid = np.arange(sig.n + 1) * sig.dt
    for t in edges:
        near = (grid >= t + PRESS_WINDOW_S[0]) & (grid <= t + PRESS_WINDOW_S[1])
        bonus[near] = -LAP_BONUS
    return bonus


def lap_constraint(activity: Activity, sig: Signal) -> np.ndarray | None:
    """0 at every lap edge, +inf elsewhere: boundaries only where the watch put laps."""
    if len(activity.laps) < 2:
        return None
    allowed = np.full(sig.n + 1, np.inf)
    for lap in activity.laps[1:]:
        allowed[int(np.clip(round(lap.start_s / sig.dt), 0, sig.n))] = 0.0
    allowed[0] = allowed[-1] = 0.0
    return allowed


def snap_to_laps(activity: Activity, times: list[float]) -> list[float]:
    """Interior boundaries moved onto the exact lap edge they were placed at (grid-rounded)."""
    edges = np.array([lap.start_s for lap in activity.laps[1:]])
    if len(edges) == 0:
        return times
    inner = [float(edges[np.argmin(np.abs(edges - t))]) for t in times[1:-1]]
    return [times[0], *inner, times[-1]]
