"""The structured workout a watch would run for a session, as FIT workout steps.

Built from the session's plan steps (``Segment.step``) so the watch's laps can carry
``wkt_step_index``. FIT numbers a repeat block's repeat step too, so plan step indices and
workout step indices differ after a repeat block: ``build_workout`` returns the mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

from samplegen.session import Session

_INTENSITY = {
    "warmup": "warmup",
    "rep": "active",
    "recovery": "recovery",
    "cooldown": "cooldown",
    "extra": "active",
}


@dataclass(frozen=True)
class WorkoutStep:
    index: int
    name: str
    duration_type: str  # time | distance | repeat_until_steps_cmplt
    duration_value: int  # raw FIT: ms for time, cm for distance, step index for repeats
    intensity: str | None = None
    target_type: str = "open"  # open | speed
    speed_low_mps: float | None = None
    speed_high_mps: float | None = None
    repeat_count: int | None = None


def _fmt_pace(p: float) -> str:
    return f"{int(p // 60)}:{int(round(p % 60)):02d}/km"


def build_workout(session: Session, pace_window: float = 0.02):
    """-> (steps, {plan step index: workout step index}). Reps get a speed target of the pace
    +/- ``pace_window``; other steps are open. One repeat block (the steps that recur) is
    supported, which covers ``wu; Nx(rep, rec); cd`` and step-by-step plans."""
    first: dict[int, object] = {}
    count: dict[int, int] = {}
    for seg in session.segments:
        if seg.step is None:
            continue
        first.setdefault(seg.step, seg)
        count[seg.step] = count.get(seg.step, 0) + 1
    order = sorted(first)
    repeated = [k for k in order if count[k] > 1]
    steps: list[WorkoutStep] = []
    mapping: dict[int, int] = {}
    for k in order:
        seg = first[k]
        idx = len(steps)
        mapping[k] = idx
        if seg.distance_m is not None:
            dtype, dval, what = "distance", int(round(seg.distance_m * 100)), f"{seg.distance_m:g}m"
        else:
            dtype, dval, what = "time", int(round(seg.duration_s * 1000)), f"{seg.duration_s:g}s"
        if seg.kind == "rep" and seg.pace_s_per_km:
            v = 1000.0 / seg.pace_s_per_km
            steps.append(
                WorkoutStep(
                    idx,
                    f"{what} @ {_fmt_pace(seg.pace_s_per_km)}",
                    dtype,
                    dval,
                    _INTENSITY[seg.kind],
                    "speed",
                    round(v * (1 - pace_window), 3),
                    round(v * (1 + pace_window), 3),
                )
            )
        else:
            steps.append(WorkoutStep(idx, f"{what} {seg.kind}", dtype, dval, _INTENSITY[seg.kind]))
        if repeated and k == repeated[-1]:
            n = max(count[r] for r in repeated)
            steps.append(
                WorkoutStep(
                    len(steps),
                    f"repeat x{n}",
                    "repeat_until_steps_cmplt",
                    mapping[repeated[0]],
                    repeat_count=n,
                )
            )
    return steps, mapping
