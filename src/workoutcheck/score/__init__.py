"""Score a segmented session against its plan: every rep, every recovery, the whole set."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workoutcheck.errors import ExitCode
from workoutcheck.model import Activity
from workoutcheck.plan import Profile, ResolvedPlan
from workoutcheck.score import heart, reps, rules
from workoutcheck.score.result import (
    ActivityInfo,
    Check,
    FileResult,
    HeartFigures,
    ScoredSegment,
    Series,
    Status,
    Verdict,
)
from workoutcheck.score.scoring import session_score
from workoutcheck.score.thresholds import Thresholds, with_overrides
from workoutcheck.score.uncertainty import distance_note, judgement_note
from workoutcheck.segment import Segmentation, SegmentKind
from workoutcheck.segment.effort import smoothed_altitude

__all__ = [
    "ActivityInfo",
    "Check",
    "FileResult",
    "ScoredSegment",
    "Series",
    "Status",
    "Thresholds",
    "Verdict",
    "activity_info",
    "activity_series",
    "score",
    "with_overrides",
]


def activity_info(activity: Activity) -> ActivityInfo:
    return ActivityInfo(
        activity.start_time, activity.duration_s, activity.total_distance_m, activity.source.value
    )


def activity_series(activity: Activity, points: int = 600) -> Series:
    """Mean speed (and heart rate, and smoothed altitude) over equal time bins, None where the
    watch was paused."""
    t = activity.t
    edges = np.linspace(0.0, max(activity.duration_s, 1e-9), points + 1)
    idx = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, points - 1)
    counts = np.bincount(idx, minlength=points)
    centres = (edges[:-1] + edges[1:]) / 2

    stopped = np.bincount(idx[activity.pause_mask()], minlength=points)

    def binned(values: np.ndarray) -> tuple[float | None, ...]:
        ok = np.isfinite(values)
        total = np.bincount(idx[ok], weights=values[ok], minlength=points)
        n = np.bincount(idx[ok], minlength=points)
        return tuple(
            None if n[i] == 0 or stopped[i] * 2 > counts[i] else round(float(total[i] / n[i]), 3)
            for i in range(points)
        )

    speed = activity.speed if activity.speed is not None else np.zeros(len(t))
    hr = binned(activity.heart_rate) if activity.heart_rate is not None else None
    smooth = smoothed_altitude(activity)
    alt = binned(smooth) if smooth is not None else None
    keep = counts > 0
    return Series(
        t=tuple(round(float(c), 1) for c in centres[keep]),
        speed=tuple(v for v, k in zip(binned(speed), keep, strict=True) if k),
        heart_rate=None if hr is None else tuple(v for v, k in zip(hr, keep, strict=True) if k),
        altitude=None if alt is None else tuple(v for v, k in zip(alt, keep, strict=True) if k),
    )


def score(
    activity: Activity,
    result: Segmentation,
    plan: ResolvedPlan | None,
    *,
    profile: Profile | None = None,
    thresholds: Thresholds | None = None,
) -> FileResult:
    th = thresholds or Thresholds()
    segments = reps.scored_segments(activity, result, plan, th)
    hearts = [heart.segment_heart(activity, ss) for ss in segments]
    if plan is not None:
        hearts = [
            _banded(activity, replace(ss, heart=h), plan)
            for ss, h in zip(segments, hearts, strict=True)
        ]
    segments = [replace(ss, heart=h) for ss, h in zip(segments, hearts, strict=True)]
    segments = [
        replace(ss, verdict=heart.band_verdict(ss.heart, th))
        if ss.heart.band_bpm is not None and ss.band is None and not ss.segment.missed
        else ss
        for ss in segments
    ]
    checks: list[Check] = []
    judged = None
    if plan is not None and plan.reps:
        checks = _checks(activity, result, plan, profile, segments, th)
        judged = judgement_note(segments, plan)
    gps = (
        distance_note(activity)
        if any(ss.segment.kind is SegmentKind.REP for ss in segments)
        else None
    )
    status = Status.PASS
    for check in checks:
        if check.status.rank > status.rank:
            status = check.status
    return FileResult(
        file=activity.path,
        status=status,
        score=session_score(segments, checks) if checks else None,
        plan=plan.plan.text if plan is not None else None,
        athlete=plan.athlete if plan is not None else None,
        activity=activity_info(activity),
        segments=tuple(segments),
        checks=tuple(checks),
        description=result.description,
        notes=(
            *activity.notes,
            *result.notes,
            *([gps] if gps else []),
            *([judged] if judged else []),
        ),
        exit_code=int(ExitCode.FAILED if status is Status.FAIL else ExitCode.OK),
        series=activity_series(activity),
        session_figures={"hr_drift_pct": heart.session_drift_pct(segments, hearts)},
    )


def _banded(activity: Activity, ss: ScoredSegment, plan: ResolvedPlan) -> HeartFigures:
    """A rep's heart figures with its time in band, where its step has a heart-rate target."""
    seg = ss.segment
    step = plan.steps[seg.step] if seg.step is not None else None
    if (
        seg.kind is not SegmentKind.REP
        or step is None
        or step.hr_low_bpm is None
        or step.hr_high_bpm is None
    ):
        return ss.heart
    return heart.with_band(activity, ss, (step.hr_low_bpm, step.hr_high_bpm))


def _checks(activity, result, plan, profile, segments, th) -> list[Check]:
    """Every rule of ``rules.RULES`` in its scope: each rep run, each recovery (with the rep
    before it), then the session; the order of the table within each."""
    session_facts = rules.Facts.of_session(activity, result, plan, profile, th, segments)
    checks: list[Check] = []
    last_rep = None
    last_rep_segment = None
    for ss in segments:
        seg = ss.segment
        if seg.kind is SegmentKind.REP and not seg.missed:
            last_rep, last_rep_segment = seg.rep, ss
            scope = "rep"
        elif seg.kind is SegmentKind.RECOVERY:
            scope = "recovery"
        else:
            continue
        facts = replace(
            session_facts, scored=ss, last_rep=last_rep, last_rep_scored=last_rep_segment
        )
        for rule in rules.BY_SCOPE[scope]:
            checks.extend(rule.make(facts))
    for rule in rules.BY_SCOPE["session"]:
        checks.extend(rule.make(session_facts))
    return checks
