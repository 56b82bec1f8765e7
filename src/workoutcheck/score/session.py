"""Checks on the whole set: the first rep, fading, consistency, missed and extra reps.

Rep paces are compared relative to each rep's own target, so a progressive session (each
rep faster by design) is not mistaken for a set that "got faster", and interval sessions are
never judged by first-half/second-half rules meant for continuous runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from workoutcheck.model.stats import median
from workoutcheck.model.text import format_distance, format_duration, format_pace
from workoutcheck.plan import ResolvedPlan
from workoutcheck.score.reps import graded
from workoutcheck.score.result import Check, ScoredSegment, Status, Verdict
from workoutcheck.score.uncertainty import COVERAGE
from workoutcheck.segment import SegmentKind
from workoutcheck.segment.segmenter import EXTRA_NOTE

if TYPE_CHECKING:
    from workoutcheck.score.thresholds import Thresholds


def _relative(reps: list[ScoredSegment]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rep numbers, judged pace / target, pace uncertainty as a fraction or 0) of the reps
    that were run and have a target."""
    run = [r for r in reps if not r.segment.missed and r.judged_pace_s_per_km and r.target_pace]
    numbers = np.array([r.segment.rep for r in run], dtype=float)
    ratio = np.array([r.judged_pace_s_per_km / r.target_pace for r in run])  # type: ignore[operator]
    noise = np.array([(r.pace_uncertainty_pct or 0.0) / 100.0 for r in run])
    return numbers, ratio, noise


def first_rep_too_fast(reps: list[ScoredSegment], th: Thresholds) -> Check | None:
    """Rep 1 quicker than the others by more than the threshold and its noise, and too fast."""
    numbers, ratio, noise = _relative(reps)
    if len(ratio) < 3 or numbers[0] != 1:
        return None
    quicker = 1.0 - ratio[0] / float(median(ratio[1:]))
    margin = float(np.hypot(noise[0], median(noise[1:]) / np.sqrt(len(noise) - 1)))
    first = reps[0]
    faster_than_band = first.verdict is Verdict.TOO_FAST
    status = graded(quicker, th.first_rep_warn, th.first_rep_fail, margin)
    if status is not Status.PASS and faster_than_band:
        return Check(
            "first_rep_too_fast",
            status,
            f"Rep 1 was {quicker:.0%} quicker than the reps after it and faster than its target: "
            "the first rep sets up the session, run it at the prescribed pace.",
            1,
            {"quicker": round(quicker, 4)},
        )
    return Check(
        "first_rep_too_fast",
        Status.PASS,
        "Rep 1 was run in line with the reps after it.",
        1,
        {"quicker": round(quicker, 4)},
    )


def fade(reps: list[ScoredSegment], th: Thresholds) -> Check | None:
    """The fitted slowing from the first rep to the last, flagged beyond its thresholds by more
    than the fit's own uncertainty (from the reps' pace uncertainties)."""
    numbers, ratio, noise = _relative(reps)
    if len(ratio) < 3:
        return None
    slope, intercept = np.polyfit(numbers, ratio, 1)
    first, last = intercept + slope * numbers[0], intercept + slope * numbers[-1]
    slowing = float(last / first - 1.0)
    spread = float(np.sqrt(np.sum((numbers - numbers.mean()) ** 2)))
    margin = float(median(noise) * (numbers[-1] - numbers[0]) / spread) if spread else 0.0
    status = graded(slowing, th.fade_warn, th.fade_fail, margin)
    if status is Status.PASS:
        msg = (
            "No fade: the last reps were as close to target as the first."
            if slowing <= 0.01
            else (f"Slight fade of {slowing:.1%} from the first rep to the last, within tolerance.")
        )
    else:
        msg = f"The reps faded: {slowing:.1%} slower (against target) from the first to the last."
    return Check(
        "fade", status, msg, None, {"slowing": round(slowing, 4), "noise": round(margin, 4)}
    )


def consistency(reps: list[ScoredSegment], th: Thresholds) -> Check | None:
    """Spread of the reps against their targets, flagged beyond what timing alone spreads them."""
    _, ratio, noise = _relative(reps)
    if len(ratio) < 3:
        return None
    cv = float(np.std(ratio) / np.mean(ratio))
    status = graded(
        cv, th.consistency_warn_cv, th.consistency_fail_cv, float(median(noise)) / COVERAGE
    )
    word = "consistent" if status is Status.PASS else "inconsistent"
    return Check(
        "consistency",
        status,
        f"Rep paces were {word}: they vary by {cv:.1%} around their targets.",
        None,
        {"cv": round(cv, 4)},
    )


def missing_reps(segments: list[ScoredSegment], plan: ResolvedPlan) -> list[Check]:
    checks = []
    for ss in segments:
        seg = ss.segment
        if seg.kind is SegmentKind.REP and seg.missed:
            step = plan.steps[seg.step] if seg.step is not None else None
            what = f" ({step.text})" if step is not None else ""
            checks.append(
                Check("missing_rep", Status.FAIL, f"Rep {seg.rep}{what} was not run.", seg.rep)
            )
    if not checks and plan.reps:
        checks.append(
            Check("missing_rep", Status.PASS, f"All {len(plan.reps)} planned reps were run.")
        )
    return checks


def extra_efforts(segments: list[ScoredSegment]) -> list[Check]:
    checks = []
    for ss in segments:
        seg = ss.segment
        if seg.kind is SegmentKind.EXTRA and seg.note == EXTRA_NOTE:
            checks.append(
                Check(
                    "extra_rep",
                    Status.WARN,
                    f"An unplanned effort at {format_duration(seg.start_s)}: {format_distance(seg.distance_m)} in "
                    f"{format_duration(seg.duration_s)} ({format_pace(seg.pace_s_per_km)}).",
                )
            )
    return checks
