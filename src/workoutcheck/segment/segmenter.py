"""``segment(activity, plan)``: find the prescribed reps in the recording.

Order of work: put the recording on a grid; align the plan's chain to it with the dynamic
programme (lap presses nudge it in ``auto``, fix it in ``use``); move each boundary to the
sample where the speed really changes; then measure every segment (distance measured and
used, pace, splits) and list the reps that were not run.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.plan import ResolvedPlan, StepKind
from workoutcheck.segment import laps as lapmod
from workoutcheck.segment.chain import build_chain, plan_parts, spreads
from workoutcheck.segment.dp import Placed, State, solve
from workoutcheck.segment.measure import measure_segment
from workoutcheck.segment.refine import refine_boundaries, speed_lag
from workoutcheck.segment.result import Segment, SegmentKind, Segmentation
from workoutcheck.segment.signal import Signal, activity_speed, build_signal
from workoutcheck.segment.unplanned import describe, find_blocks

LAPS_MODES = ("auto", "use", "ignore")


def segment(activity: Activity, plan: ResolvedPlan | None, laps: str = "auto") -> Segmentation:
    if laps not in LAPS_MODES:
        raise ValueError(f"laps must be one of {LAPS_MODES}")
    sig = build_signal(activity)
    lag = speed_lag(activity)
    notes: list[str] = []
    if lag:
        notes.append(f"the watch's speed trails its positions by {lag:.1f} s; boundaries corrected")
    if plan is None or not plan.reps:
        return _unplanned(activity, sig, lag, laps, notes)

    peak = lambda step: _peak_speed(sig, step)  # noqa: E731
    states = build_chain(sig, plan, peak)
    placed, laps_used = _align(activity, sig, states, spreads(sig, plan, peak)[1], laps, notes)
    if not placed:
        raise RuntimeError("no alignment of the plan to the recording was possible")
    edges = [0, *[p.start for p in placed], placed[-1].end, sig.n]
    times = sorted(set(float(e * sig.dt) for e in edges))
    times[-1] = activity.duration_s
    if not (laps == "use" and laps_used):
        times = _refined(activity, times, lag)
    segments = _segments(activity, plan, states, placed, times, sig)
    missed = tuple(s.rep for s in segments if s.missed and s.rep is not None)
    extras = sum(1 for s in segments if s.kind is SegmentKind.EXTRA and s.start_s is not None and s.note)
    return Segmentation(
        segments=tuple(segments),
        laps_mode=laps,
        laps_used=laps_used,
        missed_reps=missed,
        extra_efforts=extras,
        lag_s=lag,
        notes=tuple(notes),
    )


def _align(
    activity: Activity, sig: Signal, states: list[State], loose: float, laps: str, notes: list[str]
) -> tuple[list[Placed], bool]:
    if laps == "use":
        bonus = lapmod.lap_constraint(activity, sig)
        if bonus is not None:
            placed, cost = solve(sig, states, loose, bonus)
            if placed and np.isfinite(cost):
                return placed, True
            notes.append("the device laps do not fit the plan; reps were found from the speed instead")
        else:
            notes.append("the file has no device laps; reps were found from the speed instead")
    if laps in ("auto", "use"):
        bonus = lapmod.lap_bonus(activity, sig)
        if bonus is not None:
            placed, _ = solve(sig, states, loose, bonus)
            return placed, True
    placed, _ = solve(sig, states, loose)
    return placed, False


def _refined(activity: Activity, times: list[float], lag: float) -> list[float]:
    t = activity.t - lag
    v = activity_speed(activity)
    return refine_boundaries(t, v, times)


def _segments(
    activity: Activity,
    plan: ResolvedPlan,
    states: list[State],
    placed: list[Placed],
    times: list[float],
    sig: Signal,
) -> list[Segment]:
    before, parts, after = plan_parts(plan)
    out: list[Segment] = []
    k = 0
    if placed[0].start > 0:
        out.append(_make(activity, SegmentKind.WARMUP, times[0], times[1], step=before[0] if before else None))
        k = 1
    for p in placed:
        st = states[p.state]
        kind = {"rep": SegmentKind.REP, "recovery": SegmentKind.RECOVERY, "extra": SegmentKind.EXTRA}[st.kind]
        note = "an effort the plan does not have" if st.kind == "extra" else None
        if st.kind == "recovery" and st.rep is None and st.step is None:
            note = "unprescribed recovery"
        if st.skips:
            note = f"recovery that ran on over the missed rep {', '.join(str(r) for r in st.skips)}"
        seg = _make(activity, kind, times[k], times[k + 1], step=st.step, rep=st.rep, note=note, plan=plan)
        out.append(seg)
        k += 1
    if k < len(times) - 1:
        out.append(_make(activity, SegmentKind.COOLDOWN, times[k], times[-1], step=after[0] if after else None))
    return _insert_missed(out, plan, parts)


def _insert_missed(segments: list[Segment], plan: ResolvedPlan, parts) -> list[Segment]:  # type: ignore[no-untyped-def]
    """A missed rep appears, with no times, where it should have been run."""
    done = {s.rep for s in segments if s.kind is SegmentKind.REP}
    out = list(segments)
    for part in parts:
        step = plan.steps[part.effort]
        if step.rep in done:
            continue
        missed = Segment(SegmentKind.REP, None, None, rep=step.rep, step=part.effort, missed=True, note="not run")
        later = [i for i, s in enumerate(out) if s.kind is SegmentKind.REP and s.rep is not None and s.rep > step.rep]
        if later:
            out.insert(later[0], missed)
        else:
            cool = [i for i, s in enumerate(out) if s.kind is SegmentKind.COOLDOWN]
            out.insert(cool[0] if cool else len(out), missed)
    return out


def _make(activity: Activity, kind: SegmentKind, start: float, end: float, *, step=None, rep=None,  # type: ignore[no-untyped-def]
          note=None, plan: ResolvedPlan | None = None) -> Segment:
    prescribed = None
    if plan is not None and step is not None and kind is SegmentKind.REP:
        prescribed = plan.steps[step].distance_m
    return measure_segment(activity, Segment(kind, start, end, rep=rep, step=step, note=note), prescribed)


def _peak_speed(sig: Signal, step) -> float:  # type: ignore[no-untyped-def]
    """The runner's best average speed over the step's length: the level of an effort whose
    pace the plan does not give (a race without a goal, "6x3min hard")."""
    d = sig.d
    if step.distance_m:
        start = np.searchsorted(d, d - step.distance_m, side="right") - 1
        ok = (start >= 0) & (d >= step.distance_m)
        if ok.any():
            times = (np.arange(len(d)) - start)[ok] * sig.dt
            return float(step.distance_m / max(times.min(), 1.0))
    length = int(round((step.duration_s or 60.0) / sig.dt))
    if length < len(d):
        gained = d[length:] - d[:-length]
        return float(gained.max() / (length * sig.dt))
    return float(max(d[-1] / (len(d) * sig.dt), 1.0))


def _unplanned(activity: Activity, sig: Signal, lag: float, laps: str, notes: list[str]) -> Segmentation:
    blocks = find_blocks(sig)
    if not blocks:
        seg = measure_segment(activity, Segment(SegmentKind.EXTRA, 0.0, activity.duration_s), None)
        desc = describe([], [])
        return Segmentation((seg,), laps, False, description=desc, lag_s=lag, notes=tuple(notes))
    edges = [0] + [e for block in blocks for e in block] + [sig.n]
    times = [float(e * sig.dt) for e in edges]
    times[-1] = activity.duration_s
    uniq = sorted(set(times))
    refined = _refined(activity, uniq, lag)
    lookup = dict(zip(uniq, refined, strict=True))
    segments: list[Segment] = []
    rep = 0
    for i in range(len(edges) - 1):
        a, b = lookup[times[i]], lookup[times[i + 1]]
        if b <= a:
            continue
        if i == 0:
            kind = SegmentKind.WARMUP
        elif i == len(edges) - 2:
            kind = SegmentKind.COOLDOWN
        elif i % 2 == 1:
            kind = SegmentKind.REP
        else:
            kind = SegmentKind.RECOVERY
        if kind is SegmentKind.REP:
            rep += 1
        segments.append(measure_segment(activity, Segment(kind, a, b, rep=rep if kind is SegmentKind.REP else None), None))
    efforts = [(s.distance_m or 0.0, s.duration_s or 0.0) for s in segments if s.kind is SegmentKind.REP]
    recs = [(s.distance_m or 0.0, s.duration_s or 0.0) for s in segments if s.kind is SegmentKind.RECOVERY]
    return Segmentation(tuple(segments), laps, False, description=describe(efforts, recs), lag_s=lag, notes=tuple(notes))

