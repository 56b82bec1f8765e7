"""Checks on each rep and recovery: pace against the band, evenness, a fast start, rest.

Each check returns a ``Check`` whose message is a sentence a runner understands, with the
figures behind it, so a coach can see at a glance what to change in the next session.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model.text import (
    format_distance,
    format_duration,
    format_pace,
    format_pace_uncertain,
)
from workoutcheck.plan import ResolvedPlan, ResolvedStep, StepKind
from workoutcheck.score.result import Check, ScoredSegment, Status, Verdict
from workoutcheck.score.stops import stops_in
from workoutcheck.score.terrain import Terrain
from workoutcheck.score.uncertainty import (
    grade_beyond_error,
    pace_uncertainty_pct,
    with_grade_error,
)
from workoutcheck.segment import Segment, Segmentation, SegmentKind, Split
from workoutcheck.segment.measure import laps_a_track, times_at_distances

if TYPE_CHECKING:
    from workoutcheck.score.thresholds import Thresholds


def scored_segments(
    activity: Activity, result: Segmentation, plan: ResolvedPlan | None, th: Thresholds
) -> list[ScoredSegment]:
    """Every segment with its target band and, for reps, the pace's uncertainty, stops and the
    verdict: off target only when the band edge lies beyond the uncertainty."""
    out = []
    terrain = Terrain(activity)
    for seg in result.segments:
        step = plan.steps[seg.step] if plan is not None and seg.step is not None else None
        if seg.kind is not SegmentKind.REP:
            out.append(terrain.scored(ScoredSegment(seg)))
            continue
        band = None
        target = None
        if step is not None and step.pace_s_per_km:
            target = step.pace_s_per_km
            band = (step.fastest_s_per_km or target, step.slowest_s_per_km or target)
        if seg.missed:
            out.append(ScoredSegment(seg, target, band, Verdict.MISSED))
            continue
        stopped = sum(s.duration_s for s in stops_in(activity, seg, th))
        ss = ScoredSegment(
            seg,
            target,
            band,
            pace_uncertainty_pct=pace_uncertainty_pct(
                activity, seg, result.laps_used, result.lag_s, th
            ),
            stopped_s=float(stopped),
        )
        ss = terrain.scored(ss)
        hill = (
            not terrain.rough
            and ss.terrain.grade_sd_pct is not None
            and ss.terrain.grade_sd_pct > th.gap_grade_sd_pct
            and grade_beyond_error(ss.terrain)
            and not _on_a_track(activity, seg)
        )
        uphill = step is not None and step.terrain == "uphill"
        on_gap = (hill or uphill) and ss.terrain.gap_factor is not None
        if on_gap:
            ss = replace(
                ss, pace_uncertainty_pct=with_grade_error(ss.pace_uncertainty_pct, ss.terrain)
            )
        out.append(_judged(replace(ss, on_gap=on_gap)))
    return out


def _on_a_track(activity: Activity, seg: Segment) -> bool:
    """A track is flat: what its altitude shows over a rep is the barometer's wobble (a metre
    over a minute), read as rolling ground it moved a 400 m rep's judged pace by 4%."""
    if (activity.sub_sport or "") == "track":
        return True
    return (
        seg.start_s is not None
        and seg.end_s is not None
        and laps_a_track(activity, seg.start_s, seg.end_s)
    )


def _judged(ss: ScoredSegment) -> ScoredSegment:
    pace = ss.judged_pace_s_per_km
    if ss.band is None or ss.target_pace is None or pace is None:
        return ss
    (fast, slow), margin = ss.band, ss.margin_s_per_km
    if pace < fast - margin:
        verdict = Verdict.TOO_FAST
    elif pace > slow + margin:
        verdict = Verdict.TOO_SLOW
    else:
        verdict = Verdict.ON_TARGET
    borderline = verdict is Verdict.ON_TARGET and (pace < fast + margin or pace > slow - margin)
    return replace(
        ss, verdict=verdict, deviation_s_per_km=pace - ss.target_pace, borderline=borderline
    )


def rep_pace(ss: ScoredSegment, th: Thresholds) -> Check | None:
    """Judged pace against the target band: inside (or within the uncertainty of an edge) passes,
    outside by more than the uncertainty warns, far outside fails."""
    seg = ss.segment
    pace = ss.judged_pace_s_per_km
    if seg.missed or ss.band is None or pace is None or ss.target_pace is None:
        return None
    fast, slow = ss.band
    band_text = _band(ss)
    figures = {"pace_s_per_km": round(pace, 1), "target_s_per_km": round(ss.target_pace, 1)}
    told = pace_told(pace, ss)
    if ss.pace_uncertainty_pct is not None:
        figures["uncertainty_pct"] = round(ss.pace_uncertainty_pct, 2)
    if ss.verdict is Verdict.ON_TARGET:
        if ss.borderline:
            figures["borderline"] = 1
            return Check(
                "rep_pace",
                Status.PASS,
                f"Rep {seg.rep}: {told}, on target ({band_text}), borderline: the band's edge "
                "lies within what this file can tell.",
                seg.rep,
                figures,
            )
        return Check(
            "rep_pace",
            Status.PASS,
            f"Rep {seg.rep}: {told}, on target ({band_text}).",
            seg.rep,
            figures,
        )
    off = pace - ss.target_pace
    width = max((slow - fast) / 2, 0.5)
    status = Status.FAIL if abs(off) > th.rep_pace_fail_tolerances * width else Status.WARN
    way = "faster" if off < 0 else "slower"
    figures["off_s_per_km"] = round(off, 1)
    return Check(
        "rep_pace",
        status,
        f"Rep {seg.rep}: {told}, {abs(off):.0f} s/km ({abs(off) / ss.target_pace:.1%}) {way} "
        f"than {format_pace(ss.target_pace)} ({band_text}).",
        seg.rep,
        figures,
    )


def pace_told(pace: float, ss: ScoredSegment) -> str:
    """ "3:47/km", or "3:47/km ±1.1%" where the uncertainty is material to the band; a rep
    judged on grade-adjusted pace says so, with its grade and pace on the clock."""
    told = format_pace_uncertain(pace, ss.pace_uncertainty_pct if ss.shows_uncertainty else None)
    running, grade = ss.running_pace_s_per_km, ss.terrain.grade_pct
    if ss.on_gap and running is not None and grade is not None:
        told += f" grade-adjusted ({format_pace(running)} on a {grade:+.1f}% mean grade)"
    return told


def graded(value: float, warn: float, fail: float, margin: float = 0.0) -> Status:
    """A figure against its warn/fail thresholds, flagged only beyond them by ``margin`` (its noise)."""
    if value > fail + margin:
        return Status.FAIL
    return Status.WARN if value > warn + margin else Status.PASS


def even_effort(
    ss: ScoredSegment,
    th: Thresholds,
    noise: float = 0.0,
    activity: Activity | None = None,
    lag: float = 0.0,
) -> Check | None:
    """How much the rep's split paces vary (coefficient of variation of full splits); ``noise``
    is the variation the file's timing alone gives, which a flag must exceed. Where a lag was
    corrected the splits are also read from the watch's own distance, and the milder reading
    is graded: a flag must hold whichever channel is right for the file."""
    seg = ss.segment
    readings = [seg.splits]
    if activity is not None and lag > 0:
        readings.append(_splits_as_recorded(activity, seg))
    best: tuple[Status, float, tuple[Split, ...]] | None = None
    for splits in readings:
        paces = _full_split_paces(splits)
        if len(paces) < 2:
            continue
        cv = float(np.std(paces) / np.mean(paces))
        status = graded(cv, th.even_effort_warn_cv, th.even_effort_fail_cv, noise)
        if best is None or (status.rank, cv) < (best[0].rank, best[1]):
            best = (status, cv, splits)
    if best is None:
        return None
    status, cv, chosen = best
    splits_text = ", ".join(format_duration(s.duration_s, decimals=1) for s in chosen)
    text = "evenly run" if status is Status.PASS else "unevenly run"
    within = (
        f", within what this file's timing can tell (±{noise:.1%})"
        if status is Status.PASS and cv > th.even_effort_warn_cv
        else ""
    )
    return Check(
        "even_effort",
        status,
        f"Rep {seg.rep}: {text}: splits {splits_text} (variation {cv:.1%}){within}.",
        seg.rep,
        {"cv": round(cv, 4), "cv_noise": round(noise, 4)},
    )


def start_too_fast(
    activity: Activity, ss: ScoredSegment, lag: float, th: Thresholds, noise: float = 0.0
) -> Check | None:
    """The first quarter of the rep against the rest: the most common fault, flagged only when
    it exceeds the threshold by more than the file's timing ``noise``, and (where a lag was
    corrected) also on the watch's own distance."""
    seg = ss.segment
    quicker = _milder_start(activity, seg, lag, th.start_fast_fraction)
    if quicker is None:
        return None
    status = graded(quicker, th.start_fast_warn, th.start_fast_fail, noise)
    part = format_distance(th.start_fast_fraction * (seg.distance_used_m or 0.0))
    if status is Status.PASS:
        msg = f"Rep {seg.rep}: started at the pace of the rest (first {part} {abs(quicker):.0%} {'quicker' if quicker > 0 else 'slower'}"
        msg += (
            f", within what this file's timing can tell, ±{noise:.0%})."
            if quicker > th.start_fast_warn
            else ")."
        )
    else:
        msg = (
            f"Rep {seg.rep}: the first {part} were {quicker:.0%} quicker than the rest of the rep: "
            "start at the pace you can hold."
        )
    return Check(
        "start_too_fast",
        status,
        msg,
        seg.rep,
        {"start_quicker": round(quicker, 4), "noise": round(noise, 4)},
    )


def _milder_start(activity: Activity, seg: Segment, lag: float, fraction: float) -> float | None:
    """How much quicker the start was than the rest (a fraction): with the lag corrected and,
    where there was one, on the distance as recorded; the smaller of the two."""
    values = [_start_ratio(activity, seg, lag, fraction)]
    if lag > 0:
        values.append(_start_ratio(activity, seg, 0.0, fraction))
    quicker = [1.0 - v for v in values if v is not None]
    return min(quicker) if quicker else None


def tempo_even(
    activity: Activity, ss: ScoredSegment, lag: float, th: Thresholds, noise: float = 0.0
) -> Check | None:
    """A continuous run: held steadily, not started fast (first fifth against the rest)."""
    seg = ss.segment
    quicker = _milder_start(activity, seg, lag, 0.2)
    if quicker is None:
        return None
    paces = _full_split_paces(seg.splits)
    cv = float(np.std(paces) / np.mean(paces)) if len(paces) >= 2 else 0.0
    status = graded(quicker, th.tempo_start_warn, th.tempo_start_fail, noise)
    if status is Status.PASS:
        msg = f"Tempo held steadily: split paces vary by {cv:.1%}, the first fifth within {abs(quicker):.0%} of the rest."
    else:
        msg = f"Tempo started too fast: the first fifth was {quicker:.0%} quicker than the rest; hold the pace from the start."
    return Check(
        "tempo_even", status, msg, seg.rep, {"start_quicker": round(quicker, 4), "cv": round(cv, 4)}
    )


def recovery(
    ss: ScoredSegment, step: ResolvedStep | None, after_rep: int | None, th: Thresholds
) -> Check | None:
    """Recovery length against the prescription; jogged when a jog was asked for."""
    seg = ss.segment
    if (
        step is None
        or step.kind is not StepKind.RECOVERY
        or step.implicit
        or seg.duration_s is None
    ):
        return None
    after = f" after rep {after_rep}" if after_rep is not None else ""
    figures: dict[str, float] = {"duration_s": round(seg.duration_s, 1)}
    moving = max(seg.duration_s - seg.paused_s, 1e-9)
    speed = (seg.distance_m or 0.0) / moving if seg.paused_s < seg.duration_s else 0.0
    if (
        not step.stationary_ok
        and step.style is not None
        and step.style.value in ("jog", "easy", "float")
        and (speed < th.recovery_stood_speed or seg.paused_s > 0.5 * seg.duration_s)
    ):
        return Check(
            "recovery",
            Status.WARN,
            f"Recovery{after}: stood or walked ({format_duration(seg.duration_s)}) where a {step.style.value} "
            "was prescribed: keep moving between reps.",
            after_rep,
            figures,
        )
    if step.distance_m and not step.equal_to_rep:
        measured, wanted, unit = seg.distance_m or 0.0, step.distance_m, "m"
    elif step.duration_s:
        measured, wanted, unit = seg.duration_s, step.duration_s, "s"
    else:
        return None
    off = measured / wanted - 1.0
    figures["off"] = round(off, 3)
    status = (
        Status.FAIL
        if abs(off) > th.recovery_fail
        else Status.WARN
        if abs(off) > th.recovery_warn
        else Status.PASS
    )
    have = format_distance(measured) if unit == "m" else format_duration(measured)
    want = format_distance(wanted) if unit == "m" else format_duration(wanted)
    if status is Status.PASS:
        return Check(
            "recovery",
            status,
            f"Recovery{after}: {have}, as prescribed ({want}).",
            after_rep,
            figures,
        )
    way = "longer" if off > 0 else "shorter"
    return Check(
        "recovery",
        status,
        f"Recovery{after}: {have}, {abs(off):.0%} {way} than the {want} prescribed.",
        after_rep,
        figures,
    )


def _band(ss: ScoredSegment) -> str:
    assert ss.band is not None
    fast, slow = ss.band
    if abs(slow - fast) < 0.05:
        return format_pace(fast)
    return f"{format_pace(fast)[:-3]}-{format_pace(slow)}"


def _full_split_paces(splits: tuple[Split, ...]) -> np.ndarray:
    if not splits:
        return np.array([])
    full = max(s.distance_m for s in splits)
    return np.array(
        [s.pace_s_per_km for s in splits if s.distance_m >= 0.75 * full and s.pace_s_per_km]
    )


def _splits_as_recorded(activity: Activity, seg: Segment) -> tuple[Split, ...]:
    """The rep's splits at the same marks, read from the distance as the watch recorded it
    (no lag correction)."""
    if (
        not seg.splits
        or seg.start_s is None
        or seg.end_s is None
        or not seg.distance_m
        or not seg.distance_used_m
    ):
        return ()
    bounds_d = np.cumsum([0.0] + [s.distance_m for s in seg.splits])
    marks = bounds_d[1:-1]
    times = times_at_distances(
        activity, seg.start_s, seg.end_s, marks, seg.distance_used_m / seg.distance_m, 0.0
    )
    bounds_t = np.concatenate([[seg.start_s], times, [seg.end_s]])
    return tuple(
        Split(float(bounds_d[i + 1] - bounds_d[i]), float(bounds_t[i + 1] - bounds_t[i]))
        for i in range(len(seg.splits))
    )


def _start_ratio(activity: Activity, seg: Segment, lag: float, fraction: float) -> float | None:
    """Pace of the first ``fraction`` of the rep divided by the pace of the rest."""
    if (
        seg.missed
        or not seg.distance_used_m
        or not seg.distance_m
        or seg.start_s is None
        or seg.end_s is None
    ):
        return None
    used = seg.distance_used_m
    scale = used / seg.distance_m
    (t_mark,) = times_at_distances(
        activity, seg.start_s, seg.end_s, np.array([fraction * used]), scale, lag
    )
    first, rest = t_mark - seg.start_s, seg.end_s - t_mark
    if not np.isfinite(t_mark) or first <= 0 or rest <= 0:
        return None
    pace_first = first / (fraction * used)
    pace_rest = rest / ((1 - fraction) * used)
    return float(pace_first / pace_rest)
