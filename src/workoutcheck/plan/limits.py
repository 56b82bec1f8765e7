"""Refuse a plan no human runs in one session, before it is expanded into steps.

``1000000000x400m`` or ``2x(`` nested 30 deep expand to more steps than memory holds, and a
plan of 10,000 reps takes minutes to check; neither is ever a session. So the tree is sized
by arithmetic (counts multiplied, nothing expanded) and refused with one line when it is
longer than a session can be: more than ``MAX_STEPS`` steps, more than ``MAX_SECONDS`` of
prescribed time, or more than ``MAX_METERS`` of prescribed distance (a day's running for the
best in the world). A length, pace or rep time of zero, one too large to be a number (``9``
400 times is ``inf``), a pace or rep time of a day or more and a tolerance over 100% or an hour
are refused too: each would print as text that does not read back.
"""

from __future__ import annotations

import math

from workoutcheck.errors import PlanError, PlanSyntaxError
from workoutcheck.plan.model import (
    LengthKind,
    Node,
    Progression,
    Step,
    StepKind,
    Target,
    TargetKind,
)

MAX_STEPS = 500
MAX_SECONDS = 24 * 3600.0
MAX_METERS = 400_000.0
MAX_DEPTH = 8  # repeats inside repeats; real plans use two or three


def check_limits(items: tuple[Node, ...], text: str) -> None:
    """Raise ``PlanError`` (one line) if ``items`` is not a session a person could run."""
    steps, seconds, meters = _size(items, text, 1)
    if steps == 0:  # "-": a bullet with nothing after it
        raise PlanSyntaxError(
            text=text, offset=0, expected="a step (e.g. 5x1000m @ 3:45/km)", found="no steps"
        )
    if steps > MAX_STEPS:
        raise PlanError(
            f"plan: {_count(steps)} steps, more than one session holds (at most "
            f"{MAX_STEPS}); check the repeat counts"
        )
    if seconds > MAX_SECONDS:
        raise PlanError(
            f"plan: {seconds / 3600:,.0f} h of prescribed running, more than one "
            f"session holds (at most {MAX_SECONDS / 3600:.0f} h)"
        )
    if meters > MAX_METERS:
        raise PlanError(
            f"plan: {meters / 1000:,.0f} km of prescribed running, more than one "
            f"session holds (at most {MAX_METERS / 1000:.0f} km)"
        )


def _count(n: int) -> str:
    return f"{n:,}" if n < 10**12 else f"about 10^{len(str(n)) - 1}"


def _size(items: tuple[Node, ...], text: str, depth: int) -> tuple[int, float, float]:
    """(steps, seconds, metres) of ``items`` run once; a repeat with no recovery of its own
    gets an implicit one per rep, so its steps count double. Integers for steps, so a huge product
    cannot overflow; floats saturate at inf, which is refused all the same."""
    steps, seconds, meters = 0, 0.0, 0.0
    last = 0.0  # the seconds of the last rep: an "equal" rest lasts as long as the rep took
    for node in items:
        if isinstance(node, Step):
            _check_step(node, text)
            steps += 1
            own = last if node.length.kind is LengthKind.EQUAL else (node.length.seconds or 0.0)
            seconds += own
            meters += node.length.meters or 0.0
            if node.kind is not StepKind.RECOVERY:
                last = own
            continue
        if depth > MAX_DEPTH:
            raise PlanError(
                f"plan: repeats nested more than {MAX_DEPTH} deep; no session needs that"
            )
        s, sec, m = _size(node.body, text, depth + 1)
        has_recovery = any(isinstance(n, Step) and n.kind is StepKind.RECOVERY for n in node.body)
        steps += s * node.count * (1 if has_recovery else 2)
        if s and steps > MAX_STEPS:
            return steps, seconds, meters  # refused anyway; don't multiply further
        seconds += sec * node.count
        meters += m * node.count
    return steps, seconds, meters


def _check_step(step: Step, text: str) -> None:
    length = step.length
    if length.kind in (LengthKind.DISTANCE, LengthKind.DURATION):
        if not math.isfinite(length.amount):
            _fail(step, text, "a length of a size a session has (400m, 3min)")
        if not length.amount > 0:
            _fail(step, text, "a length above zero (400m, 3min)")
    target = step.target
    for t in (target.first, target.last) if isinstance(target, Progression) else (target,):
        values = _times(t)
        if any(not v > 0 for v in values):
            _fail(step, text, "a pace or rep time above zero (3:45/km, in 80s)")
        if any(not v < MAX_SECONDS for v in values):
            _fail(step, text, "a pace or rep time shorter than a day (3:45/km, in 80s)")
    tol = step.tolerance
    if tol is not None and not (
        math.isfinite(tol.amount) and tol.amount <= MAX_TOLERANCE[tol.unit]
    ):
        _fail(
            step, text, f"a tolerance of at most {MAX_TOLERANCE['%']:g}% or {MAX_TOLERANCE['s']:g}s"
        )


MAX_TOLERANCE = {"%": 100.0, "s": 3600.0}


def _times(t: Target | None) -> tuple[float, ...]:
    """The seconds a pace or rep time target names (none for race references)."""
    if t is None or t.kind not in (TargetKind.PACE, TargetKind.REP_TIME):
        return ()
    return (t.amount,) if t.amount_to is None else (t.amount, t.amount_to)


def _fail(step: Step, text: str, expected: str) -> None:
    start, end = step.span or (0, len(text))
    found = text[start:end] if end - start <= 40 else text[start : start + 37] + "..."
    raise PlanSyntaxError(text=text, offset=start, expected=expected, found=f'"{found}"')
