"""Hand-built check results for the report tests: every case a renderer must handle.

Built by hand rather than by running the scorer, so the report golden files change only when
a renderer changes, and each case shows exactly what it covers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from workoutcheck.score.result import (
    ActivityInfo,
    Check,
    FileResult,
    ScoredSegment,
    Status,
    Verdict,
)
from workoutcheck.segment.result import Segment, SegmentKind, Split

K = SegmentKind
BAND = (220.5, 229.5)  # 3:45/km +-2%


def _run(
    kind: SegmentKind, start: float, seconds: float, metres: float, step: int | None
) -> Segment:
    """A measured stretch: the distance used for pace is what the watch measured."""
    return Segment(
        kind, start, start + seconds, step=step, distance_m=metres, distance_used_m=metres
    )


def _rep(n: int, start: float, seconds: float, measured: float, *, paused: float = 0.0) -> Segment:
    """A 1000 m rep timed on the prescribed distance, with two 500 m splits (first a bit quicker)."""
    half = seconds / 2
    return Segment(
        K.REP,
        start,
        start + seconds,
        rep=n,
        step=1,
        distance_m=measured,
        distance_used_m=1000.0,
        distance_basis="prescribed",
        paused_s=paused,
        splits=(Split(500.0, half - 0.6), Split(500.0, half + 0.6)),
    )


def _scored(seg: Segment) -> ScoredSegment:
    """Band and verdict the way the scorer gives them: reps only, deviation to the nearest edge."""
    if seg.kind is not K.REP:
        return ScoredSegment(seg)
    if seg.missed:
        return ScoredSegment(seg, 225.0, BAND, Verdict.MISSED)
    pace = seg.pace_s_per_km
    assert pace is not None
    if pace < BAND[0]:
        return ScoredSegment(seg, 225.0, BAND, Verdict.TOO_FAST, pace - BAND[0])
    if pace > BAND[1]:
        return ScoredSegment(seg, 225.0, BAND, Verdict.TOO_SLOW, pace - BAND[1])
    return ScoredSegment(seg, 225.0, BAND, Verdict.ON_TARGET, 0.0)


def _session(
    parts: list[tuple[SegmentKind, float, float]],
    reps: list[tuple[float, float]],
    steps: dict[SegmentKind, int],
) -> list[Segment]:
    """Segments back to back: ``parts`` are (kind, seconds, metres), REP entries taken from ``reps``;
    ``steps`` gives each kind's plan step (kinds not in it have none)."""
    out, clock, n = [], 0.0, 0
    for kind, seconds, metres in parts:
        if kind is K.REP:
            n += 1
            seconds, measured = reps[n - 1]
            out.append(replace(_rep(n, clock, seconds, measured), step=steps.get(K.REP)))
        else:
            out.append(_run(kind, clock, seconds, metres, step=steps.get(kind)))
        clock += seconds
    return out


def passing_session() -> FileResult:
    """5x1000m with warm-up and cool-down, every rep on target: the common, happy case."""
    reps = [(223.4, 1004.1), (224.9, 996.8), (222.8, 1002.5), (226.0, 1007.9), (224.1, 998.3)]
    parts = [(K.WARMUP, 900.0, 2512.3)]
    for i in range(5):
        parts.append((K.REP, 0.0, 0.0))
        if i < 4:
            parts.append((K.RECOVERY, 131.5 + i, 402.3 - i))
    parts.append((K.COOLDOWN, 600.0, 1703.4))
    segments = _session(parts, reps, {K.WARMUP: 0, K.REP: 1, K.RECOVERY: 2, K.COOLDOWN: 3})
    checks = []
    for n, (seconds, _) in enumerate(reps, start=1):
        checks.append(
            Check(
                "rep_pace",
                Status.PASS,
                f"Rep {n}: {seconds // 60:.0f}:{seconds % 60:02.0f}/km, on target (3:40-3:50/km).",
                n,
                {"pace_s_per_km": seconds, "target_s_per_km": 225.0},
            )
        )
        checks.append(
            Check(
                "even_effort",
                Status.PASS,
                f"Rep {n}: even: splits 1:51, 1:52 (variation 0.5%).",
                n,
                {"cv": 0.0054},
            )
        )
    checks += [
        Check(
            "recovery",
            Status.PASS,
            f"Recovery after rep {n}: 400 m jog, as prescribed (400 m jog).",
            n,
            {"off": 0.006},
        )
        for n in range(1, 5)
    ]
    return FileResult(
        file="sessions/2024-05-01-5x1000m.fit",
        status=Status.PASS,
        score=96.4,
        plan="15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km",
        athlete="Anna",
        activity=ActivityInfo(
            datetime(2024, 5, 1, 6, 30, tzinfo=UTC), segments[-1].end_s or 0.0, 10361.7, "fit"
        ),
        segments=tuple(_scored(s) for s in segments),
        checks=tuple(checks),
    )


def failing_session() -> FileResult:
    """A rep too fast, one too slow (with a pause), the last one missed, warnings and a note."""
    reps = [(224.0, 1001.0), (212.9, 1003.2), (241.6, 992.4), (227.3, 1000.6)]
    parts = [(K.WARMUP, 720.0, 1987.6)]
    for _ in range(4):
        parts += [(K.REP, 0.0, 0.0), (K.RECOVERY, 125.0, 380.2)]
    parts.append((K.EXTRA, 95.0, 301.4))
    segments = _session(parts, reps, {K.REP: 0, K.RECOVERY: 1})
    slow = segments[5]
    segments[5] = replace(slow, paused_s=4.0)
    missed = Segment(K.REP, None, None, rep=5, step=0, missed=True)
    segments.insert(9, missed)
    checks = (
        Check(
            "rep_pace",
            Status.PASS,
            "Rep 1: 3:44/km, on target (3:40-3:50/km).",
            1,
            {"pace_s_per_km": 224.0, "target_s_per_km": 225.0},
        ),
        Check(
            "recovery",
            Status.WARN,
            "Recovery after rep 1: 380 m, 5% shorter than the 400 m jog prescribed.",
            1,
            {"off": -0.0495},
        ),
        Check(
            "rep_pace",
            Status.FAIL,
            "Rep 2: 3:33/km, 12 s/km (5.4%) faster than 3:45/km (3:40-3:50/km).",
            2,
            {"pace_s_per_km": 212.9, "target_s_per_km": 225.0, "off_s_per_km": -12.1},
        ),
        Check(
            "start_too_fast",
            Status.WARN,
            "Rep 2: the first 200 m were 9% quicker than the rest of the rep: "
            "hold back at the start.",
            2,
            {"start_quicker": 0.0912},
        ),
        Check(
            "rep_pace",
            Status.WARN,
            "Rep 3: 4:02/km, 17 s/km (7.4%) slower than 3:45/km (3:40-3:50/km).",
            3,
            {"pace_s_per_km": 241.6, "target_s_per_km": 225.0, "off_s_per_km": 16.6},
        ),
        Check(
            "rep_pace",
            Status.PASS,
            "Rep 4: 3:47/km, on target (3:40-3:50/km).",
            4,
            {"pace_s_per_km": 227.3, "target_s_per_km": 225.0},
        ),
        Check("missed_rep", Status.FAIL, "Rep 5 of 5 was not run.", 5),
        Check("reps_run", Status.FAIL, "4 of 5 reps run.", None, {"run": 4, "planned": 5}),
    )
    return FileResult(
        file="failing session.gpx",
        status=Status.FAIL,
        score=54.25,
        plan="5x1000m @ 3:45/km, 400m jog",
        activity=ActivityInfo(
            datetime(2024, 5, 3, 19, 5, 12, tzinfo=timezone(timedelta(hours=2))),
            2642.7,
            float("nan"),
            "gpx",
        ),
        segments=tuple(_scored(s) for s in segments),
        checks=checks,
        notes=("The GPS signal was lost for 40 s during rep 3; the distance is bridged.",),
        exit_code=1,
    )


def no_plan_session() -> FileResult:
    """Checked without a plan: no targets or verdicts, the session found described instead."""
    parts = [(K.WARMUP, 600.0, 1802.2)]
    for i in range(3):
        parts += [(K.REP, 0.0, 0.0), (K.RECOVERY, 90.0 + i, 301.0 + 2 * i)]
    parts.append((K.COOLDOWN, 480.0, 1420.8))
    segments = _session(parts, [(150.2, 702.3), (149.0, 698.7), (153.8, 705.1)], {})
    segments = [
        replace(s, distance_used_m=s.distance_m, distance_basis="measured", splits=())
        for s in segments
    ]
    checks = (
        Check(
            "even_effort",
            Status.PASS,
            "Rep 1: even: splits 1:46, 1:48 (variation 1.1%).",
            1,
            {"cv": 0.011},
        ),
        Check(
            "even_effort",
            Status.WARN,
            "Rep 2: uneven: splits 1:39, 1:55 (variation 7.6%).",
            2,
            {"cv": 0.0763},
        ),
        Check(
            "even_effort",
            Status.PASS,
            "Rep 3: even: splits 1:49, 1:51 (variation 0.9%).",
            3,
            {"cv": 0.009},
        ),
    )
    return FileResult(
        file="fartlek.tcx",
        status=Status.WARN,
        athlete="Müller, Zoë",
        description="3 x ~700 m / ~300 m",
        activity=ActivityInfo(None, segments[-1].end_s or 0.0, 6078.1, "tcx"),
        segments=tuple(ScoredSegment(s) for s in segments),
        checks=checks,
    )


def error_result() -> FileResult:
    """A file that could not be read: quotes, '<', '&' and a comma test every format's escaping."""
    return FileResult(
        file="downloads/index.fit",
        status=Status.ERROR,
        error='not a watch file: it starts with "<html>" & holds 512 bytes, not FIT',
        exit_code=3,
    )


CASES = {
    "passing-5x1000m": [passing_session()],
    "failing-missed-rep": [failing_session()],
    "no-plan-description": [no_plan_session()],
    "unreadable-file": [error_result()],
    "batch-of-four": [passing_session(), failing_session(), no_plan_session(), error_result()],
}
