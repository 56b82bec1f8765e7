"""Checks on each rep and recovery: pace against the band, evenness, a fast start, rest.

Each check returns a ``Check`` whose message is a sentence a runner understands, with the
figures behind it, so a coach can see at a glance what to change in the next session.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.plan import ResolvedPlan, ResolvedStep, StepKind
from workoutcheck.score.result import Check, ScoredSegment, Status, Verdict
from workoutcheck.score.thresholds import Thresholds
from workoutcheck.segment import Segment, SegmentKind, Segmentation
from workoutcheck.segment.measure import times_at_distances
from workoutcheck.units import format_distance, format_duration, format_pace


def scored_segments(result: Segmentation, plan: ResolvedPlan | None) -> list[ScoredSegment]:
    """Every segment with its target band and, for reps, the verdict."""
    out = []
    for seg in result.segments:
        step = plan.steps[seg.step] if plan is not None and seg.step is not None else None
        band = None
        target = None
        if step is not None and step.pace_s_per_km and seg.kind is SegmentKind.REP:
            target = step.pace_s_per_km
            band = (step.fastest_s_per_km or target, step.slowest_s_per_km or target)
        verdict, deviation = None, None
        if seg.kind is SegmentKind.REP and seg.missed:
            verdict = Verdict.MISSED
        elif band is not None and seg.pace_s_per_km is not None and target is not None:
            pace = seg.pace_s_per_km
            deviation = pace - target
            if pace < band[0]:
                verdict = Verdict.TOO_FAST
            elif pace > band[1]:
                verdict = Verdict.TOO_SLOW
            else:
                verdict = Verdict.ON_TARGET
        out.append(ScoredSegment(seg, target, band, verdict, deviation))
    return out


def rep_pace(ss: ScoredSegment, th: Thresholds) -> Check | None:
    """Pace against the target band: inside passes, outside warns, far outside fails."""
    seg = ss.segment
    if seg.missed or ss.band is None or seg.pace_s_per_km is None or ss.target_pace is None:
        return None
    pace, (fast, slow) = seg.pace_s_per_km, ss.band
    band_text = _band(ss)
    figures = {"pace_s_per_km": round(pace, 1), "target_s_per_km": round(ss.target_pace, 1)}
    if ss.verdict is Verdict.ON_TARGET:
        return Check("rep_pace", Status.PASS, f"Rep {seg.rep}: {format_pace(pace)}, on target ({band_text}).",
                     seg.rep, figures)
    off = pace - ss.target_pace
    width = max((slow - fast) / 2, 0.5)
    status = Status.FAIL if abs(off) > th.rep_pace_fail_tolerances * width else Status.WARN
    way = "faster" if off < 0 else "slower"
    figures["off_s_per_km"] = round(off, 1)
    return Check(
        "rep_pace", status,
        f"Rep {seg.rep}: {format_pace(pace)}, {abs(off):.0f} s/km ({abs(off) / ss.target_pace:.1%}) {way} "
        f"than {format_pace(ss.target_pace)} ({band_text}).",
        seg.rep, figures,
    )


def even_effort(ss: ScoredSegment, th: Thresholds) -> Check | None:
    """How much the rep's split paces vary (coefficient of variation of full splits)."""
    seg = ss.segment
    paces = _full_split_paces(seg)
    if len(paces) < 2:
        return None
    cv = float(np.std(paces) / np.mean(paces))
    status = Status.FAIL if cv > th.even_effort_fail_cv else Status.WARN if cv > th.even_effort_warn_cv else Status.PASS
    splits = ", ".join(format_duration(s.duration_s, decimals=1) for s in seg.splits)
    text = "evenly run" if status is Status.PASS else "unevenly run"
    return Check("even_effort", status, f"Rep {seg.rep}: {text}: splits {splits} (variation {cv:.1%}).",
                 seg.rep, {"cv": round(cv, 4)})


def start_too_fast(activity: Activity, ss: ScoredSegment, lag: float, th: Thresholds) -> Check | None:
    """The first quarter of the rep against the rest: the most common fault."""
    seg = ss.segment
    ratio = _start_ratio(activity, seg, lag, th.start_fast_fraction)
    if ratio is None:
        return None
    quicker = 1.0 - ratio  # > 0: the start was quicker than the rest
    status = Status.FAIL if quicker > th.start_fast_fail else Status.WARN if quicker > th.start_fast_warn else Status.PASS
    part = format_distance(th.start_fast_fraction * (seg.distance_used_m or 0.0))
    if status is Status.PASS:
        msg = f"Rep {seg.rep}: started at the pace of the rest (first {part} {abs(quicker):.0%} {'quicker' if quicker > 0 else 'slower'})."
    else:
        msg = (f"Rep {seg.rep}: the first {part} were {quicker:.0%} quicker than the rest of the rep: "
               "start at the pace you can hold.")
    return Check("start_too_fast", status, msg, seg.rep, {"start_quicker": round(quicker, 4)})


def tempo_even(activity: Activity, ss: ScoredSegment, lag: float, th: Thresholds) -> Check | None:
    """A continuous run: held steadily, not started fast (first fifth against the rest)."""
    seg = ss.segment
    ratio = _start_ratio(activity, seg, lag, 0.2)
    if ratio is None:
        return None
    quicker = 1.0 - ratio
    paces = _full_split_paces(seg)
    cv = float(np.std(paces) / np.mean(paces)) if len(paces) >= 2 else 0.0
    status = Status.FAIL if quicker > th.tempo_start_fail else Status.WARN if quicker > th.tempo_start_warn else Status.PASS
    if status is Status.PASS:
        msg = f"Tempo held steadily: split paces vary by {cv:.1%}, the first fifth within {abs(quicker):.0%} of the rest."
    else:
        msg = f"Tempo started too fast: the first fifth was {quicker:.0%} quicker than the rest; hold the pace from the start."
    return Check("tempo_even", status, msg, seg.rep, {"start_quicker": round(quicker, 4), "cv": round(cv, 4)})


def recovery(ss: ScoredSegment, step: ResolvedStep | None, after_rep: int | None, th: Thresholds) -> Check | None:
    """Recovery length against the prescription; jogged when a jog was asked for."""
    seg = ss.segment
    if step is None or step.kind is not StepKind.RECOVERY or step.implicit or seg.duration_s is None:
        return None
    after = f" after rep {after_rep}" if after_rep is not None else ""
    figures: dict[str, float] = {"duration_s": round(seg.duration_s, 1)}
    moving = max(seg.duration_s - seg.paused_s, 1e-9)
    speed = (seg.distance_m or 0.0) / moving if seg.paused_s < seg.duration_s else 0.0
    if not step.stationary_ok and step.style is not None and step.style.value in ("jog", "easy", "float") and (
        speed < th.recovery_stood_speed or seg.paused_s > 0.5 * seg.duration_s
    ):
        return Check("recovery", Status.WARN,
                     f"Recovery{after}: stood or walked ({format_duration(seg.duration_s)}) where a {step.style.value} "
                     "was prescribed: keep moving between reps.", after_rep, figures)
    if step.distance_m and not step.equal_to_rep:
        measured, wanted, unit = seg.distance_m or 0.0, step.distance_m, "m"
    elif step.duration_s:
        measured, wanted, unit = seg.duration_s, step.duration_s, "s"
    else:
        return None
    off = measured / wanted - 1.0
    figures["off"] = round(off, 3)
    status = Status.FAIL if abs(off) > th.recovery_fail else Status.WARN if abs(off) > th.recovery_warn else Status.PASS
    have = format_distance(measured) if unit == "m" else format_duration(measured)
    want = format_distance(wanted) if unit == "m" else format_duration(wanted)
    if status is Status.PASS:
        return Check("recovery", status, f"Recovery{after}: {have}, as prescribed ({want}).", after_rep, figures)
    way = "longer" if off > 0 else "shorter"
    return Check("recovery", status, f"Recovery{after}: {have}, {abs(off):.0%} {way} than the {want} prescribed.",
                 after_rep, figures)


def _band(ss: ScoredSegment) -> str:
    assert ss.band is not None
    fast, slow = ss.band
    if abs(slow - fast) < 0.05:
        return format_pace(fast)
    return f"{format_pace(fast)[:-3]}-{format_pace(slow)}"


def _full_split_paces(seg: Segment) -> np.ndarray:
    if not seg.splits:
        return np.array([])
    full = max(s.distance_m for s in seg.splits)
    return np.array([s.pace_s_per_km for s in seg.splits if s.distance_m >= 0.75 * full and s.pace_s_per_km])


def _start_ratio(activity: Activity, seg: Segment, lag: float, fraction: float) -> float | None:
    """Pace of the first ``fraction`` of the rep divided by the pace of the rest."""
    if seg.missed or not seg.distance_used_m or not seg.distance_m or seg.start_s is None or seg.end_s is None:
        return None
    used = seg.distance_used_m
    scale = used / seg.distance_m
    (t_mark,) = times_at_distances(activity, seg.start_s, seg.end_s, np.array([fraction * used]), scale, lag)
    first, rest = t_mark - seg.start_s, seg.end_s - t_mark
    if not np.isfinite(t_mark) or first <= 0 or rest <= 0:
        return None
    pace_first = first / (fraction * used)
    pace_rest = rest / ((1 - fraction) * used)
    return float(pace_first / pace_rest)
