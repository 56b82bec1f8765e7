"""One checked file as the rows the history stores: the session, its segments, its checks.

Figures are taken from the check JSON's own converters (``report.check_json``), so the
database holds exactly the numbers, rounding and wording the JSON has. What the JSON lacks
and the history needs is added here: the session's shape ("5x1000m", the plan without its
targets, so sessions of the same kind line up), summary paces, and each segment's steady
speed and heart rate (the second half of the segment, where heart rate has caught up with
the effort) from the result's thinned series.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from workoutcheck import __version__
from workoutcheck.errors import WorkoutcheckError
from workoutcheck.history.trends import hr_line
from workoutcheck.plan import LengthKind, parse_plan
from workoutcheck.report.check_json import FIGURE, METRES, check_dict, iso_utc, num, segment_dict
from workoutcheck.score.result import FileResult, ScoredSegment, Series, Verdict

STEADY_MIN_S = 40.0  # shorter segments have no steady part worth averaging
RUNNING_MPS = 1.5  # slower bins are walking or standing, not part of a steady effort


@dataclass(frozen=True)
class SessionRows:
    session: tuple
    segments: list[tuple]
    checks: list[tuple]


def shape_of(plan_text: str | None, description: str | None, reps: int) -> str:
    """The plan's reps without targets: ``5x1000m``, ``6x3min``, ``20min``,
    ``2x1000m+4x400m``; the session found when there is no plan; ``N reps`` if the plan
    text cannot be read back."""
    if plan_text is None:
        return description or f"{reps} reps"
    try:
        steps = parse_plan(plan_text).reps
    except WorkoutcheckError:
        return f"{reps} reps"
    runs: list[list] = []
    for step in steps:
        length = step.length
        word = (
            f"{length.amount:g}{length.unit}"
            if length.kind in (LengthKind.DISTANCE, LengthKind.DURATION)
            else "open"
        )
        if runs and runs[-1][1] == word:
            runs[-1][0] += 1
        else:
            runs.append([1, word])
    return "+".join(word if n == 1 else f"{n}x{word}" for n, word in runs) or "no reps"


def _steady(series: Series | None) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The series as arrays (t, speed, heart rate) with NaN for gaps; None without heart rate."""
    if series is None or series.heart_rate is None or not series.t:
        return None
    t = np.asarray(series.t, dtype=float)
    speed = np.array([np.nan if v is None else v for v in series.speed], dtype=float)
    hr = np.array([np.nan if v is None or v <= 0 else v for v in series.heart_rate], dtype=float)
    return t, speed, hr


def _steady_means(
    arrays, start: float | None, end: float | None
) -> tuple[float | None, float | None]:
    """Mean speed and heart rate over the second half of [start, end], running bins only."""
    if arrays is None or start is None or end is None or end - start < STEADY_MIN_S:
        return None, None
    t, speed, hr = arrays
    inside = (t >= (start + end) / 2) & (t <= end) & np.isfinite(hr) & (speed >= RUNNING_MPS)
    if inside.sum() < 2:
        return None, None
    return num(float(speed[inside].mean()), FIGURE), num(float(hr[inside].mean()), 1)


def _segment_row(position: int, data: dict, speed: float | None, hr: float | None) -> tuple:
    band = data["target_pace_s_per_km"] or (None, None)
    return (
        position,
        data["kind"],
        data["rep"],
        data["step"],
        data["start_s"],
        data["end_s"],
        data["duration_s"],
        data["distance_m"],
        data["distance_measured_m"],
        data["distance_basis"],
        data["paused_s"],
        data["pace_s_per_km"],
        band[0],
        band[1],
        data["verdict"],
        json.dumps(data["splits"], separators=(",", ":")),
        speed,
        hr,
    )


def _rep_figures(reps: list[tuple[ScoredSegment, float | None]]) -> tuple[float | None, ...]:
    """(pace, target pace, steady heart rate) of the timed reps together: total time over total
    distance, targets weighted by distance, heart rate by time."""
    timed = [
        (s, s.segment.duration_s, s.segment.distance_used_m, hr)
        for s, hr in reps
        if s.segment.pace_s_per_km is not None
        and s.segment.duration_s
        and s.segment.distance_used_m
    ]
    targeted = [(s.target_pace, dist) for s, _, dist, _ in timed if s.target_pace is not None]
    with_hr = [(hr, dur) for _, dur, _, hr in timed if hr is not None]
    return (
        _ratio(1000.0 * sum(t[1] for t in timed), sum(t[2] for t in timed)),
        _ratio(sum(p * d for p, d in targeted), sum(d for _, d in targeted)),
        _ratio(sum(h * d for h, d in with_hr), sum(d for _, d in with_hr)),
    )


def session_rows(
    result: FileResult, file_hash: str, *, checked_at: datetime | None = None
) -> SessionRows:
    """The rows for one checked (not failed) result."""
    arrays = _steady(result.series)
    data = [segment_dict(s) for s in result.segments]
    steady = [_steady_means(arrays, s.segment.start_s, s.segment.end_s) for s in result.segments]
    segments = [_segment_row(i, d, *st) for i, (d, st) in enumerate(zip(data, steady, strict=True))]
    reps = [
        (s, st[1])
        for s, st in zip(result.segments, steady, strict=True)
        if s.segment.kind.value == "rep"
    ]
    rep_data = [d for d in data if d["kind"] == "rep"]
    checks = [
        (
            position,
            d["id"],
            d["status"],
            d["rep"],
            d["message"],
            json.dumps(d["figures"], separators=(",", ":")),
        )
        for position, d in enumerate(check_dict(c) for c in result.checks)
    ]
    activity = result.activity
    when = (checked_at or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z")
    line = hr_line([(v, hr) for v, hr in steady if v is not None and hr is not None])
    session = (
        # a name that is not UTF-8 (surrogates) cannot go into SQLite as text: kept escaped
        file_hash,
        result.file.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"),
        result.athlete,
        iso_utc(activity.start_time) if activity else None,
        result.plan,
        shape_of(result.plan, result.description, len(reps)),
        result.description,
        result.status.value,
        num(result.score, 1),
        activity.source if activity else None,
        num(activity.duration_s, 2) if activity else None,
        num(activity.distance_m, METRES) if activity else None,
        len(reps),
        sum(1 for s, _ in reps if s.verdict is Verdict.ON_TARGET),
        *_rep_figures(reps),
        json.dumps(list(result.notes), ensure_ascii=False),
        when,
        __version__,
        *(line or (None,) * 4),
        json.dumps(
            [[d["pace_s_per_km"] for d in rep_data], [d["verdict"] for d in rep_data]],
            separators=(",", ":"),
        ),
    )
    return SessionRows(session, segments, checks)


def _ratio(total: float, weight: float) -> float | None:
    return num(total / weight, 3) if weight > 0 and math.isfinite(total) else None
