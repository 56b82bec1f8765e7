"""Faults a coach looks for beyond the pace: a stop inside a rep, a rep cut short or run long.

Both only report a fault (no pass line per rep): a rep that was run whole and without a stop
needs no sentence of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workoutcheck.model import Activity
from workoutcheck.model.text import format_distance, format_duration, format_pace
from workoutcheck.plan import ResolvedStep
from workoutcheck.score.result import Check, ScoredSegment, Status
from workoutcheck.score.stops import stops_in
from workoutcheck.score.uncertainty import measured_distance_pct

if TYPE_CHECKING:
    from workoutcheck.score.thresholds import Thresholds


def rep_stopped(activity: Activity, ss: ScoredSegment, th: Thresholds) -> Check | None:
    """Each stop inside the rep named (where, how long); the pace judged on the running."""
    seg = ss.segment
    if seg.missed or seg.start_s is None:
        return None
    stops = stops_in(activity, seg, th)
    if not stops:
        return None
    where = "; ".join(
        f"{format_duration(s.duration_s)} at {format_distance(s.at_m)} "
        f"({format_duration(s.start_s - seg.start_s)} into the rep)"
        for s in stops
    )
    total = sum(s.duration_s for s in stops)
    noun = "a stop" if len(stops) == 1 else f"{len(stops)} stops"
    paces = ""
    if ss.running_pace_s_per_km is not None and seg.pace_s_per_km is not None:
        paces = (
            f"; judged on its running: {format_pace(ss.running_pace_s_per_km)} "
            f"({format_pace(seg.pace_s_per_km)} on the clock)"
        )
    first = stops[0]
    return Check(
        "rep_stopped",
        Status.WARN,
        f"Rep {seg.rep}: {noun} inside the rep, {where}{paces}.",
        seg.rep,
        {
            "stopped_s": round(total, 1),
            "stop_at_m": round(first.at_m, 1),
            "stop_at_s": round(first.start_s - seg.start_s, 1),
            "stops": len(stops),
        },
    )


def rep_length(
    ss: ScoredSegment, step: ResolvedStep | None, th: Thresholds, activity: Activity | None = None
) -> Check | None:
    """The rep's measured distance (or time, for a timed rep) against the prescription. A rep
    whose pace was judged on its prescribed distance (a track: the GPS distance is not the
    truth there) is short or long only beyond what the file measures distances to
    (``uncertainty.measured_distance_pct``): a real 6 x 300 m on a track whose watch distance
    disagrees with its speed field by 5.6% read 275 m of 300 m "cut short" on reps its laps
    time as 300 m."""
    seg = ss.segment
    if seg.missed or step is None or seg.duration_s is None:
        return None
    slack = 0.0
    if step.distance_m and seg.distance_m:
        have, want = seg.distance_m, step.distance_m
        text = f"{format_distance(have)} of {format_distance(want)}"
        if seg.distance_basis == "prescribed" and activity is not None:
            slack = measured_distance_pct(activity, seg, th) / 100.0
    elif step.duration_s and not step.distance_m:
        have, want = seg.duration_s, step.duration_s
        text = f"{format_duration(have)} of {format_duration(want)}"
    else:
        return None
    off = have / want - 1.0
    status = (
        Status.FAIL
        if abs(off) > th.rep_length_fail + slack
        else Status.WARN
        if abs(off) > th.rep_length_warn + slack
        else None
    )
    if status is None:
        return None
    what = f"cut short by {-off:.0%}" if off < 0 else f"run {off:.0%} long"
    return Check(
        "rep_length",
        status,
        f"Rep {seg.rep}: {text}: {what}.",
        seg.rep,
        {"measured": round(have, 1), "prescribed": round(want, 1), "off": round(off, 4)},
    )
