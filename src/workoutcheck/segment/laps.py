"""Device laps as evidence for rep boundaries.

Laps pressed at rep boundaries, or laps the watch made from a structured workout, say where
a rep began, give or take the second or two the press came late. Auto-laps (every 1 km, every
5 min) say nothing about reps and are not used. In ``auto`` mode lap edges only make a
boundary cheaper nearby, so laps that disagree with the speed are outvoted by it; in ``use``
mode every boundary moves onto the lap edge nearest it.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity, Lap
from workoutcheck.model.stats import median
from workoutcheck.segment.signal import Signal

LAP_BONUS = 8.0  # in units of the fit cost: a few seconds of clearly wrong speed
PRESS_WINDOW_S = (-4.0, 2.0)  # a press comes late more often than early
AUTO_TRIGGERS = {
    "distance",
    "time",
    "position",
    "position_lap",
    "position_start",
    "position_waypoint",
}


def _rep_laps(activity: Activity) -> list[tuple[Lap, Lap]]:
    """(lap before, lap) for every lap that starts at a press or a structured-workout step
    (not an auto-lap, and not an auto-lap splitting one workout step: a 2 km step lapped
    every 1 km is one step)."""
    out = []
    periodic = _periodic_triggers(activity)
    for before, lap in zip(activity.laps, activity.laps[1:], strict=False):
        auto = (before.trigger or "") in periodic and lap.wkt_step_index is None
        same_step = lap.wkt_step_index is not None and lap.wkt_step_index == before.wkt_step_index
        if not auto and not same_step:
            out.append((before, lap))
    return out


PERIODIC_SPREAD = 0.03  # laps of one trigger this alike in length are auto-laps


def _periodic_triggers(activity: Activity) -> set[str]:
    """The distance/time triggers whose laps are all alike (every 1 km, every 5 min: auto-laps).
    A watch running a workout closes steps by distance or time too, but of differing lengths
    (a fartlek's 60 s, 45 s, 120 s), and those steps are the reps."""
    out = set()
    closed = activity.laps[:-1]  # the last lap is cut short by the end of the session
    for trigger in AUTO_TRIGGERS:
        laps = [lap for lap in closed if lap.trigger == trigger]
        if not laps:
            continue
        sizes = np.array(
            [(lap.distance_m or 0.0) if trigger != "time" else lap.duration_s for lap in laps]
        )
        if len(sizes) < 2 or np.all(
            np.abs(sizes - median(sizes)) <= PERIODIC_SPREAD * max(median(sizes), 1.0)
        ):
            out.add(trigger)
    return out


def rep_lap_edges(activity: Activity) -> list[float]:
    """Interior lap edges from presses or a structured workout (not auto-laps)."""
    return [lap.start_s for _, lap in _rep_laps(activity)]


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


USE_REACH_S = 30.0  # with --laps use, a boundary takes the lap edge nearest it within this


def snap_to_laps(
    activity: Activity, times: list[float], notes: list[str] | None = None
) -> list[float]:
    """Interior boundaries moved onto the nearest lap edge (any lap: the runner asked for
    the laps to be the boundaries), each edge used once; a boundary with no lap edge within
    ``USE_REACH_S`` stays where the speed put it, and the note says how many did."""
    edges = np.array([lap.start_s for lap in activity.laps[1:]])
    if len(edges) == 0:
        return times
    out = list(times)
    taken: set[int] = set()
    alone = 0
    for i in range(1, len(times) - 1):
        order = np.argsort(np.abs(edges - times[i]))
        k = next(
            (int(j) for j in order if int(j) not in taken and out[i - 1] < edges[j] < times[i + 1]),
            None,
        )
        if k is None or abs(edges[k] - times[i]) > USE_REACH_S:
            alone += 1
            continue
        out[i] = float(edges[k])
        taken.add(k)
    if alone and notes is not None:
        notes.append(
            f"{alone} boundar{'y has' if alone == 1 else 'ies have'} no lap within "
            f"{USE_REACH_S:.0f} s and {'was' if alone == 1 else 'were'} placed from the speed"
        )
    return out


SNAP_S = 8.0  # a rep-lap edge this close to a found boundary is that boundary
PRESS_BIAS_MIN_S = 4.0  # presses consistently this late (or early) are corrected, and said
PRESS_BIAS_SPREAD_S = 1.0
PRESS_BIAS_MIN_PAIRS = 3


def snap_near(
    activity: Activity, times: list[float], notes: list[str] | None = None
) -> list[float]:
    """Interior boundaries moved onto the press or workout lap edge nearest each, where one
    lies within ``SNAP_S`` (or two record intervals, on sparse recordings): the watch knew
    to the second where the runner pressed or where its workout step ended.

    A runner who presses every lap a second or two after changing pace shows it: the presses
    sit consistently on one side of where the distance changes. Then every press is moved by
    that median offset, and the note says by how much; a scatter of presses is trusted as is.
    """
    edges = np.array(rep_lap_edges(activity))
    if len(edges) == 0 or len(times) < 3:
        return times
    rec = float(median(np.diff(activity.t))) if len(activity.t) > 1 else 1.0
    reach = max(SNAP_S, 2.0 * rec)
    pairs: list[tuple[int, int]] = []
    taken: set[int] = set()
    for i in range(1, len(times) - 1):
        k = int(np.argmin(np.abs(edges - times[i])))
        if (
            abs(edges[k] - times[i]) <= reach
            and k not in taken
            and times[i - 1] < edges[k] < times[i + 1]
        ):
            pairs.append((i, k))
            taken.add(k)
    if not pairs:
        return times
    # only a runner's own presses can be late or early; a lap the watch made (a workout step
    # ending at its distance or time) is where the step ended, however the runner reacted
    pressed = np.array(_pressed(activity))
    manual = [(i, k) for i, k in pairs if pressed[k]]
    offsets = np.array([edges[k] - times[i] for i, k in manual])
    shift = 0.0
    if len(manual) >= PRESS_BIAS_MIN_PAIRS:
        bias = float(median(offsets))
        spread = float(median(np.abs(offsets - bias)))
        if abs(bias) >= max(PRESS_BIAS_MIN_S, rec / 2) and spread <= PRESS_BIAS_SPREAD_S:
            shift = bias
            if notes is not None:
                notes.append(
                    f"the lap presses came {abs(bias):.1f} s {'after' if bias > 0 else 'before'} "
                    "the changes of pace the distance shows; boundaries were moved by that"
                )
    out = list(times)
    for i, k in pairs:
        out[i] = float(edges[k] - (shift if pressed[k] else 0.0))
    return out


def on_lap_clock(activity: Activity, times: list[float], rep_ends: set[int]) -> list[float]:
    """Reps that start and end on one lap's edges end where the watch's own lap clock ends
    them: the lap's start plus its elapsed time, to the millisecond.

    A FIT lap's edges are whole-second timestamps, and the message closing a lap is written up
    to 2 s either side of the press: from them a 300 m rep in 49.7 s reads 49 s (1.4% of its
    pace), where its elapsed time is what the watch showed the runner. ``rep_ends``: the
    indices of ``times`` that end a rep (or an extra effort); each keeps its start, so its
    duration is the lap's own."""
    laps = activity.laps
    if len(laps) < 2 or len(times) < 3:
        return times
    starts = np.array([lap.start_s for lap in laps[1:]])
    out = list(times)
    for i in sorted(rep_ends):
        if not 0 < i < len(out) - 1:
            continue
        k = int(np.argmin(np.abs(starts - out[i])))
        lap = laps[k]  # the lap the boundary closes (the next one starts at ``starts[k]``)
        if abs(starts[k] - out[i]) > 1e-6:
            continue
        precise = lap.clock_end_s
        if abs(out[i - 1] - lap.start_s) <= 1e-6 and out[i - 1] < precise < out[i + 1]:
            out[i] = float(precise)
    return out


def _pressed(activity: Activity) -> list[bool]:
    """For each edge of ``rep_lap_edges``: whether the runner pressed it (not the watch)."""
    return [
        lap.wkt_step_index is None and (before.trigger or "manual") == "manual"
        for before, lap in _rep_laps(activity)
    ]
