"""A resolved plan as a FIT workout file, so the runner's watch runs exactly the checked plan.

Written with Garmin's own encoder (garmin-fit-sdk) so devices and Garmin's decoder read it as
they read Garmin Connect's workouts: a ``file_id`` of type workout, one ``workout`` message
and one ``workout_step`` per step. Each step carries its intensity (warm-up, active, recovery
or rest, cool-down), its length as a time or a distance (open when the plan leaves it open),
and its pace target as a custom speed range taken from the tolerance band, or its heart-rate
target as a custom heart-rate range in bpm (a zone as the profile placed it, so the watch
holds the band the check judges). A repeat whose
iterations are all alike becomes FIT's repeat step (``Nx(...)``); one whose reps differ (a
progression) is written out rep by rep. An unprescribed recovery becomes an open step named
"recovery as needed", which ``plan_from_workout`` turns back into one.

Step names read like the plan ("1000m @ 3:45/km", "400m jog").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from workoutcheck.plan.fit_workout import HR_OFFSET, IMPLICIT_NAME
from workoutcheck.plan.kinds import _walk
from workoutcheck.plan.model import (
    Node,
    Progression,
    Repeat,
    Step,
    StepKind,
    Style,
    Target,
    TargetKind,
)
from workoutcheck.plan.printer import print_step
from workoutcheck.plan.resolve import ResolvedPlan, ResolvedStep

MAX_NAME_BYTES = 64  # watches show a short line; FIT strings are bytes
_INTENSITY = {
    StepKind.WARMUP: "warmup",
    StepKind.COOLDOWN: "cooldown",
    StepKind.WORK: "active",
    StepKind.RACE: "active",
}


@dataclass(frozen=True)
class _Loop:
    count: int
    body: tuple[ResolvedStep | _Loop, ...]


def workout_steps(rp: ResolvedPlan) -> list[dict[str, Any]]:
    """The ``workout_step`` messages (Garmin SDK field names, raw FIT values)."""
    entries, pos = _entries(rp.plan.items, rp.steps, 0)
    assert pos == len(rp.steps), "every resolved step is written once"
    out: list[dict[str, Any]] = []
    _emit(entries, out)
    return out


def encode_workout(
    rp: ResolvedPlan, name: str | None = None, created: datetime | None = None
) -> bytes:
    """The FIT workout file's bytes; ``name`` defaults to the plan's title or its text."""
    from garmin_fit_sdk import Encoder, Profile

    nums = Profile["mesg_num"]
    steps = workout_steps(rp)
    when = created or datetime.now(UTC)
    title = name or rp.plan.name or rp.plan.text.splitlines()[-1]
    enc = Encoder()
    enc.write_mesg(
        {
            "mesg_num": nums["FILE_ID"],
            "type": "workout",
            "manufacturer": "development",
            "product": 0,
            "serial_number": 1,
            "time_created": when,
        }
    )
    enc.write_mesg(
        {
            "mesg_num": nums["WORKOUT"],
            "sport": "running",
            "sub_sport": "generic",
            "num_valid_steps": len(steps),
            "wkt_name": _short(title),
        }
    )
    for step in steps:
        enc.write_mesg({"mesg_num": nums["WORKOUT_STEP"], **step})
    return bytes(enc.close())


# --- the tree, with each step's resolved values ---------------------------------------------


def _entries(
    nodes: tuple[Node, ...], steps: tuple[ResolvedStep, ...], pos: int
) -> tuple[list[ResolvedStep | _Loop], int]:
    """Walk the plan's tree in the order ``flatten`` expands it, taking its resolved steps."""
    out: list[ResolvedStep | _Loop] = []
    for node in nodes:
        if isinstance(node, Step):
            out.append(steps[pos])
            pos += 1
            continue
        iterations = []
        separate = not any(s.kind is StepKind.RECOVERY for s in _walk(node.body))
        for _ in range(node.count):
            body, pos = _entries(node.body, steps, pos)
            if separate and pos < len(steps) and steps[pos].implicit:
                pos += 1  # the unprescribed recovery flatten put after this iteration
            iterations.append(body)
        out.extend(_loop(node, iterations, separate))
    return out, pos


def _loop(
    node: Repeat, iterations: list[list[ResolvedStep | _Loop]], separate: bool
) -> list[ResolvedStep | _Loop]:
    """One FIT repeat when every iteration is alike, else the iterations written out."""
    gap = [_IMPLICIT] if separate else []
    if all(_sig(it) == _sig(iterations[0]) for it in iterations):
        body = tuple(iterations[0] + gap)
        # 1x(...) stays a block: its steps are not the plan's opening or closing steps
        return [_Loop(node.count, body)]  # type: ignore[arg-type]
    if separate:  # each rep its own 1x block, so each keeps its unprescribed recovery
        return [_Loop(1, tuple(it + gap)) for it in iterations]  # type: ignore[operator]
    return [e for it in iterations for e in it]


def _sig(entries: list[ResolvedStep | _Loop]) -> tuple:
    return tuple(_one_sig(e) for e in entries)


def _one_sig(e: ResolvedStep | _Loop) -> tuple:
    if e is _IMPLICIT:
        return ("implicit",)
    if isinstance(e, _Loop):
        return ("loop", e.count, tuple(_one_sig(x) for x in e.body))
    return (
        e.kind,
        e.style,
        e.distance_m,
        e.duration_s,
        e.fastest_s_per_km,
        e.slowest_s_per_km,
        e.hr_low_bpm,
        e.hr_high_bpm,
        e.terrain,
        _name(e),
    )


_IMPLICIT = object()


# --- messages ----------------------------------------------------------------------------


def _emit(entries: list, out: list[dict[str, Any]]) -> None:
    for e in entries:
        if isinstance(e, _Loop):
            first = len(out)
            _emit(list(e.body), out)
            out.append(
                {
                    "message_index": len(out),
                    "wkt_step_name": f"repeat {e.count}x",
                    "duration_type": "repeat_until_steps_cmplt",
                    "duration_value": first,
                    "target_type": "open",
                    "target_value": e.count,
                }
            )
        elif e is _IMPLICIT:
            out.append(
                {
                    "message_index": len(out),
                    "wkt_step_name": IMPLICIT_NAME,
                    "duration_type": "open",
                    "target_type": "open",
                    "intensity": "recovery",
                }
            )
        else:
            out.append(_message(e, len(out)))


def _message(s: ResolvedStep, index: int) -> dict[str, Any]:
    m: dict[str, Any] = {
        "message_index": index,
        "wkt_step_name": _short(_name(s)),
        "intensity": _intensity(s),
    }
    if s.distance_m is not None:
        m.update(duration_type="distance", duration_value=round(s.distance_m * 100))
    elif s.duration_s is not None:
        m.update(duration_type="time", duration_value=round(s.duration_s * 1000))
    else:
        m.update(duration_type="open")
    if s.fastest_s_per_km is not None and s.slowest_s_per_km is not None:
        m.update(
            target_type="speed",
            target_value=0,  # 0: a custom range, not a zone
            custom_target_value_low=round(1000.0 / s.slowest_s_per_km * 1000),
            custom_target_value_high=round(1000.0 / s.fastest_s_per_km * 1000),
        )
    elif s.hr_low_bpm is not None and s.hr_high_bpm is not None:
        # FIT's custom heart rate: 0-100 is % of max HR, above that bpm + 100
        m.update(
            target_type="heart_rate",
            target_value=0,
            custom_target_value_low=round(s.hr_low_bpm) + HR_OFFSET,
            custom_target_value_high=round(s.hr_high_bpm) + HR_OFFSET,
        )
    else:
        m.update(target_type="open")
    return m


def _intensity(s: ResolvedStep) -> str:
    if s.kind is StepKind.RECOVERY:
        return "rest" if s.style is Style.REST else "recovery"
    return _INTENSITY[s.kind]


def _name(s: ResolvedStep) -> str:
    """The step as the plan writes it; a progression's rep by its own pace, to the second."""
    step = s.step
    if (
        isinstance(step.target, Progression)
        and step.target.count > 1
        and s.pace_s_per_km is not None
    ):
        step = replace(
            step,
            target=Target(TargetKind.PACE, float(round(s.pace_s_per_km)), "km"),
            tolerance=None,
        )
    return print_step(step)


def _short(text: str) -> str:
    data = text.encode("utf-8")[:MAX_NAME_BYTES]
    return data.decode("utf-8", errors="ignore")
