"""Stops inside a rep (a shoelace, a red light, a paused watch): where and how long.

Read from the distance channel on a 1 s grid, not the speed, because a watch's speed can lag
or stick near zero while the distance climbs; a timer pause leaves the distance flat too, so
both kinds are found the same way. A stop must have running on both sides: slowness at a
rep's very start or end is a boundary question, not a stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.segment import Segment

if TYPE_CHECKING:
    from workoutcheck.score.thresholds import Thresholds

EDGE_S = 5.0  # running needed between the rep's edge and a stop


@dataclass(frozen=True)
class Stop:
    start_s: float  # on the activity's time axis
    duration_s: float
    at_m: float  # metres into the rep (on the distance used for pace)


def stops_in(activity: Activity, seg: Segment, th: Thresholds) -> tuple[Stop, ...]:
    """Stops of at least ``rep_stopped_min_s`` inside the rep, in order."""
    if activity.distance is None or seg.start_s is None or seg.end_s is None:
        return ()
    start, end = seg.start_s, seg.end_s
    if end - start < 2 * EDGE_S + th.rep_stopped_min_s:
        return ()
    grid = np.arange(start, end + 0.5, 1.0)
    d = np.interp(grid, activity.t, activity.distance)
    slow = np.diff(d) < th.rep_stopped_speed  # second i: grid[i] to grid[i + 1]
    # runs of slow seconds: edges where the mask flips
    flips = np.flatnonzero(np.diff(np.concatenate([[0], slow.astype(np.int8), [0]])))
    scale = (seg.distance_used_m or 0.0) / max(d[-1] - d[0], 1e-9)
    found = []
    for a, b in zip(flips[::2], flips[1::2], strict=True):
        length = float(b - a)
        if length < th.rep_stopped_min_s or grid[a] - start < EDGE_S or end - grid[b] < EDGE_S:
            continue
        found.append(Stop(float(grid[a]), length, float((d[a] - d[0]) * scale)))
    return tuple(found)
