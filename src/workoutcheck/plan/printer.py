"""A ``Plan``, and its canonical text: what ``workoutcheck plan`` echoes and what tests reparse.

A plan keeps both its tree (repeat blocks as written, for printing) and the flattened steps
(what the runner actually runs, for segmentation and scoring).

One spelling per meaning (``5x(1000m @ 3:45/km, 400m jog)``, ``±3s``), numbers printed
exactly (shortest repr) so ``parse_plan(print_plan(p)) == p``. Only kinds that were written
(or came from a FIT file) are printed; inferred warm-ups and cool-downs are inferred again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workoutcheck.plan.model import (
    Length,
    LengthKind,
    Node,
    Progression,
    Repeat,
    Step,
    StepKind,
    Target,
    TargetKind,
    Tolerance,
)
from workoutcheck.plan.vocab import title_ok


@dataclass(frozen=True)
class Plan:
    """A plan: ``items`` as written (for printing), ``steps`` flattened (for checking)."""

    items: tuple[Node, ...]
    steps: tuple[Step, ...]
    name: str | None = None
    source: str = field(default="", compare=False)  # the text it was parsed from
    # how an ambiguous form was read ("90s" after the reps: the recovery after each rep)
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def reps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.is_effort)

    @property
    def text(self) -> str:
        """The canonical text form (reparses to an equal plan)."""
        return print_plan(self)


_KIND_WORDS = {
    StepKind.WARMUP: "wu",
    StepKind.COOLDOWN: "cd",
    StepKind.RACE: "race",
    StepKind.WORK: "work",
}


def print_plan(plan: Plan) -> str:
    body = "; ".join(print_node(n) for n in plan.items)
    if plan.name:
        title = plan.name if title_ok(plan.name) else f"Workout: {plan.name}"
        return f"{title}\n{body}"
    return body


def print_node(node: Node) -> str:
    if isinstance(node, Repeat):
        return f"{node.count}x({', '.join(print_node(n) for n in node.body)})"
    return print_step(node)


def print_step(step: Step) -> str:
    parts = [print_length(step.length)]
    if step.explicit and step.kind is StepKind.RECOVERY and step.style is not None:
        parts.append(step.style.value)
    elif step.explicit and step.kind in _KIND_WORDS:
        parts.append(_KIND_WORDS[step.kind])
    if step.length.kind is LengthKind.OPEN and len(parts) > 1:
        parts.pop(0)  # "jog" rather than "open jog"
    if step.terrain is not None:
        parts.append(step.terrain)
    if step.target is not None:
        parts.append(print_target(step.target))
    if step.tolerance is not None:
        parts.append(print_tolerance(step.tolerance))
    return " ".join(parts)


def num(x: float) -> str:
    """Shortest exact text of a number: 400, 1.5, 0.1."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def clock(seconds: float) -> str:
    """``m:ss`` / ``h:mm:ss`` text that reads back to exactly ``seconds`` (else ``Ns``), with
    the fewest decimals that do (``3:42.2``, not ``3:42.19999999999999``)."""
    h = int(seconds // 3600)
    m = int((seconds - 3600 * h) // 60)
    s = seconds - 3600 * h - 60 * m
    for sec in [f"{s:.{d}f}".rstrip("0").rstrip(".") if d else f"{s:.0f}" for d in range(7)] + [
        num(s)
    ]:
        if float(sec) >= 60:
            continue
        text = sec if float(sec) >= 10 else "0" + sec
        if float(text) != float(sec):
            continue
        back = (h * 60 + m) * 60 + float(text)
        if back == seconds:
            return f"{h}:{m:02d}:{text}" if h else f"{m}:{text}"
    return f"{num(seconds)}s"


def print_length(length: Length) -> str:
    if length.kind is LengthKind.EQUAL:
        return "equal"
    if length.kind is LengthKind.OPEN:
        return "open"
    if length.kind is LengthKind.DISTANCE or length.unit != "s" or length.amount < 60:
        return f"{num(length.amount)}{length.unit}"
    total = length.amount
    h = int(total // 3600)
    m = int((total - 3600 * h) // 60)
    s = total - 3600 * h - 60 * m
    parts = ([f"{h}h"] if h else []) + ([f"{m}min"] if m else []) + ([f"{num(s)}s"] if s else [])
    back = (3600.0 * h if h else 0.0) + (60.0 * m if m else 0.0)
    back = back + s if s else back
    if len(parts) < 2 or back != total:
        return f"{num(total)}s"
    return " ".join(parts)


def print_target(target: Target | Progression) -> str:
    if isinstance(target, Progression):
        return f"@ {_pace_expr(target.first)} -> {_pace_expr(target.last)}"
    if target.kind is TargetKind.REP_TIME:
        return f"in {_time(target.amount)}"
    return f"@ {_pace_expr(target)}"


def _time(seconds: float) -> str:
    return f"{num(seconds)}s" if seconds < 60 else clock(seconds)


def _pace_expr(t: Target) -> str:
    if t.kind is TargetKind.PACE:
        if t.amount_to is not None:
            return f"{clock(t.amount)}-{clock(t.amount_to)}/{t.per}"
        return f"{_time(t.amount)}/{t.per}"
    if t.kind is TargetKind.REP_TIME:
        return _time(t.amount)
    if t.kind is TargetKind.RACE_PACE:
        return f"{t.race} pace"
    if t.kind is TargetKind.HEART_RATE:
        return (
            f"{num(t.amount)}bpm"
            if t.amount_to is None
            else f"{num(t.amount)}-{num(t.amount_to)}bpm"
        )
    if t.kind is TargetKind.HR_ZONE:
        return f"Z{num(t.amount)}"
    race = f" {t.race}" if t.race else ""
    return f"{num(t.amount)}%{race} goal"


def print_tolerance(tol: Tolerance) -> str:
    per = f"/{tol.per}" if tol.per else ""
    return f"±{num(tol.amount)}{tol.unit}{per}"
