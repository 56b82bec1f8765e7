"""A structured workout stored in a FIT file, turned into the same Plan a text plan gives.

The watch's steps are flat with "repeat" steps pointing back at where the block starts;
they become Repeat nodes so the plan prints like one a coach wrote. Speed targets (m/s)
become pace ranges, rounded as a coach typed them: to the whole second when the speed stands
for it at FIT's mm/s or is within 0.1 s/km of it ("3:30/km" may come back as 3:30.08), else
to the tenth (at 3:45/km a mm/s is 0.05 s/km: the tenth the coach meant). FIT intensities
become step kinds. fitparse's old profile reports recovery/interval/other as 4/5/6, as ints
or strings: both are mapped.

Step names written by ``workoutcheck workout`` read like the plan ("400m jog", "90s
uphill"); when a name parses as one plan step of the same length, its style, terrain and
race kind are kept, so such a file reads back as the plan it was written from. Its open
"recovery as needed" steps stand for the plan's unprescribed recoveries and become them again.
"""

from __future__ import annotations

from workoutcheck.errors import PlanError, PlanSyntaxError
from workoutcheck.model import Workout, WorkoutStep
from workoutcheck.plan.kinds import flatten, infer_kinds
from workoutcheck.plan.limits import check_limits
from workoutcheck.plan.model import (
    Length,
    LengthKind,
    Node,
    Repeat,
    Step,
    StepKind,
    Style,
    Target,
    TargetKind,
)
from workoutcheck.plan.parser import parse_plan
from workoutcheck.plan.printer import Plan

_INTENSITY = {
    "warmup": (StepKind.WARMUP, None),
    "cooldown": (StepKind.COOLDOWN, None),
    "active": (StepKind.WORK, None),
    "interval": (StepKind.WORK, None),
    "rest": (StepKind.RECOVERY, Style.REST),
    "recovery": (StepKind.RECOVERY, Style.RECOVERY),
}
_NUMERIC = {
    "0": "active",
    "1": "rest",
    "2": "warmup",
    "3": "cooldown",
    "4": "recovery",
    "5": "interval",
    "6": "other",
}


def intensity_name(value: object) -> str | None:
    """Normalise a FIT intensity (name, int, or numeric string) to its name."""
    if value is None:
        return None
    text = str(value).strip().lower()
    return _NUMERIC.get(text, text)


HR_OFFSET = 100  # FIT custom heart rates: 0-100 are % of max HR, bpm + 100 above
IMPLICIT_NAME = "recovery as needed"  # an unprescribed recovery, as ``workout`` writes it
_GAP = Step(StepKind.RECOVERY, Length(LengthKind.OPEN), implicit=True)  # such a step, read


def snap_pace(speed_m_s: float) -> float:
    """s/km of a FIT speed, as a coach wrote it (see the module docstring)."""
    pace = 1000.0 / speed_m_s
    for q in (float(round(pace)), round(pace * 10) / 10):
        if abs(pace - q) <= 0.1 or round(1000.0 / q, 3) == round(speed_m_s, 3):
            return q
    return round(pace * 10) / 10


def plan_from_workout(workout: Workout) -> Plan:
    """Convert a FIT structured workout; raises PlanError if it has no runnable step."""
    nodes: list[tuple[int, Node]] = []  # (index of the first FIT step it covers, node)
    for ws in workout.steps:
        if ws.repeat_from is not None or (ws.duration_type or "").startswith("repeat"):
            start = ws.repeat_from if ws.repeat_from is not None else 0
            count = ws.repeat_count or 1
            taken = [(i, n) for i, n in nodes if i >= start]
            body = [n for _, n in taken if n is not _GAP]
            if not body:
                continue
            first = min(i for i, _ in taken)
            nodes = [(i, n) for i, n in nodes if i < start]
            # a block with an unprescribed recovery stays a block, so the plan puts it back
            keep = count > 1 or len(body) > 1 or len(body) < len(taken)
            nodes.append((first, Repeat(max(count, 1), tuple(body)) if keep else body[0]))
            continue
        nodes.append((ws.index, _GAP if _implicit(ws) else _step(ws)))
    nodes = [(i, n) for i, n in nodes if n is not _GAP]
    if not nodes:
        raise PlanError(
            f"workout {workout.name or '(unnamed)'}: the watch file's structured "
            "workout has no steps to check"
        )
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
        fast, slow = snap_pace(max(lo, hi)), snap_pace(min(lo, hi))
        target = Target(TargetKind.PACE, fast, "km", amount_to=None if fast == slow else slow)
    named = _named(ws.name, length)
    if target is None:
        target = _heart_target(ws, named)
    kind, style = _INTENSITY.get(intensity_name(ws.intensity) or "", (None, None))
    terrain = named.terrain if named else None
    if named is not None and named.length.kind is length.kind:
        length = named.length  # "1mi" as written, not the 1609.34 m FIT's centimetres keep
    written = named is not None and named.explicit and named.kind is StepKind.WORK  # "30s work"
    if kind is None:
        return Step(StepKind.WORK, length, target, terrain=terrain, explicit=written)
    if named is not None and kind is StepKind.WORK and named.kind is StepKind.RACE:
        kind = StepKind.RACE
    if (
        named is not None
        and kind is StepKind.RECOVERY
        and named.kind is StepKind.RECOVERY
        and named.style is not None
        and named.explicit
    ):
        style = named.style
    return Step(
        kind,
        length,
        target,
        style=style,
        explicit=kind is not StepKind.WORK or written,
        terrain=terrain,
    )


def _heart_target(ws: WorkoutStep, named: Step | None) -> Target | None:
    """A custom heart-rate range in bpm; the zone the step's name gives (``3min @ Z4``) where
    it has one, so a plan written by ``workout`` reads back as written. A range in % of max
    HR (values up to 100) needs the watch's max HR, which the file does not hold: left open."""
    if (ws.target_type or "") != "heart_rate":
        return None
    if named is not None and isinstance(named.target, Target) and named.target.by_heart_rate:
        return named.target
    lo, hi = ws.hr_low, ws.hr_high
    if lo is None or hi is None or min(lo, hi) <= HR_OFFSET:
        return None
    a, b = sorted((lo - HR_OFFSET, hi - HR_OFFSET))
    return Target(TargetKind.HEART_RATE, a, amount_to=b if b > a else None)


def _implicit(ws: WorkoutStep) -> bool:
    return (
        (ws.name or "").strip().lower() == IMPLICIT_NAME
        and ws.duration_type == "open"
        and not (ws.speed_low or ws.speed_high)
    )


def _named(name: str | None, length: Length) -> Step | None:
    """The plan step a FIT step's name spells, if it is one step of the same length."""
    if not name or len(name) > 200:
        return None
    try:
        plan = parse_plan(name)
    except PlanSyntaxError:
        return None
    if len(plan.items) != 1 or not isinstance(plan.items[0], Step):
        return None
    step = plan.items[0]
    same = step.length.kind is length.kind and (
        length.kind not in (LengthKind.DISTANCE, LengthKind.DURATION)
        or abs(
            (step.length.meters or step.length.seconds or 0)
            - (length.meters or length.seconds or 0)
        )
        < 0.01
    )  # FIT keeps cm and ms
    return step if same or step.length.kind is LengthKind.EQUAL else None
