"""A structured workout stored in a FIT file, turned into the same Plan a text plan gives.

The watch's steps are flat with "repeat" steps pointing back at where the block starts;
they become Repeat nodes so the plan prints like one a coach wrote. Speed targets (m/s)
become pace ranges; FIT intensities become step kinds. fitparse's old profile reports
recovery/interval/other as 4/5/6, as ints or strings: both are mapped.
"""

from __future__ import annotations

from workoutcheck.errors import PlanError
from workoutcheck.model import Workout, WorkoutStep
from workoutcheck.plan.kinds import flatten, infer_kinds
from workoutcheck.plan.limits import check_limits
from workoutcheck.plan.model import (
    Length, LengthKind, Node, Plan, Repeat, Step, StepKind, Style, Target, TargetKind,
)

_INTENSITY = {
    "warmup": (StepKind.WARMUP, None), "cooldown": (StepKind.COOLDOWN, None),
    "active": (StepKind.WORK, None), "interval": (StepKind.WORK, None),
    "rest": (StepKind.RECOVERY, Style.REST), "recovery": (StepKind.RECOVERY, Style.RECOVERY),
}
_NUMERIC = {"0": "active", "1": "rest", "2": "warmup", "3": "cooldown", "4": "recovery",
            "5": "interval", "6": "other"}


def intensity_name(value: object) -> str | None:
    """Normalise a FIT intensity (name, int, or numeric string) to its name."""
    if value is None:
        return None
    text = str(value).strip().lower()
    return _NUMERIC.get(text, text)


def plan_from_workout(workout: Workout) -> Plan:
    """Convert a FIT structured workout; raises PlanError if it has no runnable step."""
    nodes: list[tuple[int, Node]] = []  # (index of the first FIT step it covers, node)
    for ws in workout.steps:
        if ws.repeat_from is not None or (ws.duration_type or "").startswith("repeat"):
            start = ws.repeat_from if ws.repeat_from is not None else 0
            count = ws.repeat_count or 1
            body = [n for i, n in nodes if i >= start]
            if not body:
                continue
            first = min(i for i, _ in nodes if i >= start)
            nodes = [(i, n) for i, n in nodes if i < start]
            nodes.append((first, Repeat(max(count, 1), tuple(body)) if count > 1
                          else body[0] if len(body) == 1 else Repeat(1, tuple(body))))
            continue
        nodes.append((ws.index, _step(ws)))
    if not nodes:
        raise PlanError(f"workout {workout.name or '(unnamed)'}: the watch file's structured "
                        "workout has no steps to check")
    tree = infer_kinds(tuple(n for _, n in nodes))
    check_limits(tree, "")  # a watch file's workout of a billion repeats is refused, not expanded
    name = (workout.name or "").strip() or None
    return Plan(tree, flatten(tree), name)


def _step(ws: WorkoutStep) -> Step:
    if ws.duration_type == "time" and ws.duration_s:
        length = Length.duration(ws.duration_s, "s")
    elif ws.duration_type == "distance" and ws.duration_m:
        length = Length.distance(ws.duration_m, "m")
    else:
        length = Length(LengthKind.OPEN)
    target = None
    lo, hi = ws.speed_low, ws.speed_high
    if lo or hi:
        lo, hi = lo or hi, hi or lo
        assert lo is not None and hi is not None
        fast, slow = 1000.0 / max(lo, hi), 1000.0 / min(lo, hi)
        target = Target(TargetKind.PACE, fast, "km",
                        amount_to=None if fast == slow else slow)
    kind, style = _INTENSITY.get(intensity_name(ws.intensity) or "", (None, None))
    if kind is None:
        return Step(StepKind.WORK, length, target)
    return Step(kind, length, target, style=style, explicit=kind is not StepKind.WORK)
