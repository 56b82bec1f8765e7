"""Which steps are warm-up, work and cool-down, and the flat list of steps the runner runs.

Coaches rarely label the warm-up: "15min @ 6:00/km; 5x1000m @ 3:45/km; 10min @ 6:00/km"
is read as warm-up, set, cool-down because the first and last steps are slower than the
work. The rule lives here, apart from the parser, because ``resolve`` applies it again once
race-pace references have become real paces.

Rules (unmarked = no kind word was written):
- An unmarked first top-level step is the warm-up, and an unmarked last top-level step the
  cool-down, when it is slower than every other work step (or has no target while they do)
  and is not joined to the work by a top-level recovery (in "1000m @ 5:30/km, 400m jog,
  1000m @ 5:10/km" the slow first step is rep 1 of a progression, not a warm-up).
  When some work pace is still a reference (``5K pace``), the step stays work until
  ``resolve`` can compare real paces.
- Every other unmarked step is work; work and race steps are numbered as reps 1..N.
- A repeat whose body has no recovery means separate efforts with an unprescribed recovery:
  an open recovery (``implicit``) is inserted between its reps and after its last rep when
  another effort follows.
- A recovery with no effort after it (the set's last jog before the cool-down) is optional.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from workoutcheck.plan.model import (
    Length,
    LengthKind,
    Node,
    Progression,
    Repeat,
    Step,
    StepKind,
    Style,
    Target,
    TargetKind,
)
from workoutcheck.plan.paces import per_meters
from workoutcheck.plan.printer import print_step

PaceFn = Callable[[Step], float | None]


def target_pace(target: Target | None, step: Step) -> float | None:
    """s/km of an absolute target (a range's middle; a rep time over the step's distance)."""
    if target is None:
        return None
    if target.kind is TargetKind.PACE:
        mid = target.amount if target.amount_to is None else (target.amount + target.amount_to) / 2
        return mid * 1000.0 / per_meters(target.per)
    if target.kind is TargetKind.REP_TIME and step.length.meters:
        return target.amount * 1000.0 / step.length.meters
    return None


def known_pace(step: Step) -> float | None:
    """The pace a step's text alone fixes (None for references such as ``5K pace``)."""
    t = step.target
    if isinstance(t, Progression):
        a, b = target_pace(t.first, step), target_pace(t.last, step)
        return None if a is None or b is None else (a + b) / 2
    return target_pace(t, step)


def _walk(nodes: tuple[Node, ...]) -> list[Step]:
    out: list[Step] = []
    for node in nodes:
        out.extend([node] if isinstance(node, Step) else _walk(node.body))
    return out


CLEARLY_SLOWER = 1.04  # a step this much slower than all the work is easy running, not a rep


def is_slower(step: Step, refs: list[Step], pace: PaceFn = known_pace) -> bool:
    """True when ``step`` is known to be clearly slower than every step in ``refs`` (by
    ``CLEARLY_SLOWER``: the last, slowest rung of a ladder is still a rep)."""
    if not refs:
        return False
    if step.target is None:
        return any(r.target is not None for r in refs)
    easier = _lower_heart_rate(step, refs)
    if easier is not None:
        return easier
    mine = pace(step)
    theirs = [pace(r) for r in refs]
    if mine is None or any(p is None for p in theirs):
        return False
    return mine > CLEARLY_SLOWER * max(p for p in theirs if p is not None)


def _lower_heart_rate(step: Step, refs: list[Step]) -> bool | None:
    """Whether a heart-rate step is easier than every heart-rate ref (its band's top at or
    under their bands' bottoms; a lower zone); None unless all are alike heart-rate targets."""
    mine = step.target
    theirs = [r.target for r in refs]
    if (
        not isinstance(mine, Target)
        or not mine.by_heart_rate
        or not all(isinstance(t, Target) and t.kind is mine.kind for t in theirs)
    ):
        return None
    if mine.kind is TargetKind.HR_ZONE:
        return all(mine.amount < t.amount for t in theirs if isinstance(t, Target))
    top = mine.amount if mine.amount_to is None else mine.amount_to
    return all(top <= t.amount for t in theirs if isinstance(t, Target))


def infer_kinds(
    items: tuple[Node, ...], pace: PaceFn = known_pace, notes: list[str] | None = None
) -> tuple[Node, ...]:
    """``items`` with unmarked first/last top-level steps made warm-up/cool-down if slower;
    a reading that needed the "wherever it stands" rule is explained in ``notes``."""

    def unmarked(node: Node) -> bool:
        return isinstance(node, Step) and not node.explicit

    items = tuple(replace(n, kind=StepKind.WORK) if unmarked(n) else n for n in items)  # type: ignore[arg-type]
    if len(items) < 2:
        return items
    first = items[0] if unmarked(items[0]) else None
    last = items[-1] if unmarked(items[-1]) else None

    def recovery_at(k: int) -> bool:
        node = items[k]
        return isinstance(node, Step) and node.kind is StepKind.RECOVERY

    skip = {k for k, node in ((0, first), (len(items) - 1, last)) if node is not None}
    others = [
        s
        for k, node in enumerate(items)
        if k not in skip
        for s in _walk((node,))
        if s.kind is StepKind.WORK
    ]
    out = list(items)
    first_wu = False
    if isinstance(first, Step):
        refs = others or ([last] if isinstance(last, Step) else [])
        if _opens_or_closes(first, refs, recovery_at(1), pace, "warm-up", notes):
            out[0], first_wu = replace(first, kind=StepKind.WARMUP), True
    if isinstance(last, Step):
        refs = others or ([first] if isinstance(first, Step) and not first_wu else [])
        if _opens_or_closes(last, refs, recovery_at(-2), pace, "cool-down", notes):
            out[-1] = replace(last, kind=StepKind.COOLDOWN)
    return tuple(out)


def _opens_or_closes(
    step: Step, refs: list[Step], joined: bool, pace: PaceFn, what: str, notes: list[str] | None
) -> bool:
    """Is this opening/closing step a warm-up/cool-down? It must be slower than the work. When
    a recovery joins it to the work it may be rep 1 of a progression ("1000m @ 5:30/km, 400m
    jog, 1000m @ 5:10/km"), so then it must also be unlike every rep in length."""
    if not is_slower(step, refs, pace):
        return False
    if not joined:
        return True
    if any(r.length == step.length for r in refs):
        return False
    if notes is not None:
        text = (
            f'"{print_step(step)}" read as the {what}: slower than all the work and unlike '
            f'any rep (mark it "work" if it is a rep)'
        )
        if text not in notes:
            notes.append(text)
    return True


_GAP = object()


def flatten(items: tuple[Node, ...]) -> tuple[Step, ...]:
    """The steps in running order: repeats expanded, implicit recoveries added, reps numbered."""
    raw: list[object] = []
    for block, node in enumerate(items, 1):
        if isinstance(node, Step):
            raw.append(
                replace(node, block=block, iteration=None, target=_progress(node.target, 0, 1))
            )
        else:
            _expand(node, block, None, raw)
    steps: list[Step] = []
    for k, item in enumerate(raw):
        if item is _GAP:
            nxt = next((x for x in raw[k + 1 :] if x is not _GAP), None)
            prev = steps[-1] if steps else None
            if (
                isinstance(prev, Step)
                and prev.is_effort
                and isinstance(nxt, Step)
                and nxt.is_effort
            ):
                steps.append(
                    Step(
                        StepKind.RECOVERY,
                        Length(LengthKind.OPEN),
                        style=Style.RECOVERY,
                        block=prev.block,
                        iteration=prev.iteration,
                        implicit=True,
                    )
                )
        else:
            assert isinstance(item, Step)
            steps.append(item)
    out: list[Step] = []
    rep = 0
    for k, s in enumerate(steps):
        if s.is_effort:
            rep += 1
            s = replace(s, rep=rep)
        elif s.kind is StepKind.RECOVERY:
            later = any(x.is_effort for x in steps[k + 1 :])
            s = replace(s, rep=None, optional=s.implicit or not later)
        else:
            s = replace(s, rep=None)
        out.append(s)
    return tuple(out)


def _expand(rep: Repeat, block: int, outer: int | None, raw: list[object]) -> None:
    has_recovery = any(s.kind is StepKind.RECOVERY for s in _walk(rep.body))
    for i in range(rep.count):
        it = outer if outer is not None else i + 1
        for child in rep.body:
            if isinstance(child, Step):
                raw.append(
                    replace(
                        child,
                        block=block,
                        iteration=it,
                        target=_progress(child.target, i, rep.count),
                    )
                )
            else:
                _expand(child, block, it, raw)
        if not has_recovery:
            raw.append(_GAP)


def _progress(
    target: Target | Progression | None, index: int, count: int
) -> Target | Progression | None:
    if isinstance(target, Progression):
        return replace(target, index=index, count=count)
    return target


def prog_fraction(p: Progression) -> float:
    """Where a flattened rep sits in its progression: 0 at the first rep, 1 at the last."""
    return p.index / (p.count - 1) if p.count > 1 else 0.5
