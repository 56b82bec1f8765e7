"""What a check of one file found: segments with targets and verdicts, checks, a score.

This is the one structure every output format (table, JSON, CSV, JUnit, HTML) renders, so
they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from workoutcheck.errors import ExitCode
from workoutcheck.segment import Segment


class Status(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"  # the file could not be read or checked

    @property
    def rank(self) -> int:
        return {"pass": 0, "warn": 1, "fail": 2, "error": 3}[self.value]


class Verdict(str, Enum):
    ON_TARGET = "on_target"
    TOO_FAST = "too_fast"
    TOO_SLOW = "too_slow"
    MISSED = "missed"


@dataclass(frozen=True)
class Check:
    """One rule applied to a rep, a recovery or the session, with a sentence a runner reads."""

    id: str
    status: Status
    message: str
    rep: int | None = None
    figures: dict[str, float] = field(default_factory=dict)  # the numbers behind the message


@dataclass(frozen=True)
class HeartFigures:
    """One segment's heart rate, None where the file has none or the figure does not apply."""

    avg_bpm: float | None = None  # time-weighted mean over the segment
    max_bpm: float | None = None
    rise_bpm: float | None = None  # reps: heart rate at the end less at the start
    end_bpm: float | None = None  # recoveries: heart rate at the end
    drop_60s_bpm: float | None = None  # recoveries: fall over the first 60 s (None if shorter)
    # reps with a heart-rate target: its band, and the share of the rep after the heart rate's
    # lag (its first 60 s) spent in, above and below it, in %
    band_bpm: tuple[float, float] | None = None
    in_band_pct: float | None = None
    above_band_pct: float | None = None
    below_band_pct: float | None = None


@dataclass(frozen=True)
class TerrainFigures:
    """One segment's elevation (score/terrain.py), None where the file has no altitude."""

    gain_m: float | None = None
    loss_m: float | None = None
    grade_pct: float | None = None  # mean grade over the distance run
    gap_pace_s_per_km: float | None = None  # grade-adjusted judged pace (Minetti et al. 2002)
    grade_sd_pct: float | None = (
        None  # how much the grade varies along the segment (rolling ground)
    )
    gap_factor: float | None = None  # grade-adjusted pace / pace
    gap_factor_sd: float | None = None  # one standard error of gap_factor from the altitude's error


@dataclass(frozen=True)
class ScoredSegment:
    segment: Segment
    target_pace: float | None = None  # s/km, the centre of the band
    band: tuple[float, float] | None = None  # (fastest, slowest) s/km
    verdict: Verdict | None = None
    deviation_s_per_km: float | None = None  # judged pace - target pace (negative: faster)
    pace_uncertainty_pct: float | None = None  # how well this file tells the pace (reps)
    borderline: bool = False  # on target, but a band edge lies within the uncertainty
    stopped_s: float = 0.0  # stops inside the rep (standing or paused), left out of the judged pace
    heart: HeartFigures = field(default_factory=HeartFigures)
    terrain: TerrainFigures = field(default_factory=TerrainFigures)
    on_gap: bool = False  # judged on grade-adjusted pace (uphill reps, reps on rolling ground)

    @property
    def judged_pace_s_per_km(self) -> float | None:
        """The pace verdicts use: the rep's running, stops inside it left out, grade-adjusted
        where the rep is judged on the hill's effort (``on_gap``)."""
        pace = self.running_pace_s_per_km
        if pace is not None and self.on_gap and self.terrain.gap_factor:
            return pace * self.terrain.gap_factor
        return pace

    @property
    def running_pace_s_per_km(self) -> float | None:
        """The rep's running pace, stops inside it left out (not grade-adjusted)."""
        seg = self.segment
        if not self.stopped_s or seg.duration_s is None or not seg.distance_used_m:
            return seg.pace_s_per_km
        return (seg.duration_s - self.stopped_s) / seg.distance_used_m * 1000.0

    @property
    def shows_uncertainty(self) -> bool:
        """The uncertainty is material, so reports show it: at least half the band's half-width,
        or it made the rep borderline."""
        if self.pace_uncertainty_pct is None or self.band is None or not self.target_pace:
            return False
        half_pct = (self.band[1] - self.band[0]) / 2 / self.target_pace * 100.0
        return self.borderline or self.pace_uncertainty_pct >= 0.5 * half_pct

    @property
    def margin_s_per_km(self) -> float:
        """The uncertainty in s/km (0 where unknown)."""
        pace = self.judged_pace_s_per_km
        return (
            pace * self.pace_uncertainty_pct / 100.0 if pace and self.pace_uncertainty_pct else 0.0
        )

    @property
    def outside_band_s_per_km(self) -> float | None:
        """How far the judged pace lies outside the band beyond its uncertainty (0 inside)."""
        pace = self.judged_pace_s_per_km
        if self.band is None or pace is None:
            return None
        return max(
            self.band[0] - pace - self.margin_s_per_km,
            pace - self.band[1] - self.margin_s_per_km,
            0.0,
        )


@dataclass(frozen=True)
class ActivityInfo:
    start_time: datetime | None
    duration_s: float
    distance_m: float | None
    source: str


@dataclass(frozen=True)
class Series:
    """The recording thinned to at most a few hundred points, for charts in reports."""

    t: tuple[float, ...]  # seconds since the first record
    speed: tuple[float | None, ...]  # m/s (None inside pauses)
    heart_rate: tuple[float | None, ...] | None = None
    altitude: tuple[float | None, ...] | None = None  # m, smoothed (segment.effort), where recorded


@dataclass(frozen=True)
class FileResult:
    file: str
    status: Status
    error: str | None = None
    score: float | None = None
    plan: str | None = None  # the normalised plan text
    athlete: str | None = None
    activity: ActivityInfo | None = None
    segments: tuple[ScoredSegment, ...] = ()
    checks: tuple[Check, ...] = ()
    description: str | None = None  # the session found, when checked without a plan
    notes: tuple[str, ...] = ()
    exit_code: int = 0  # 0 pass/warn, 1 fail, 3 unreadable (before --fail-on)
    series: Series | None = None  # for charts; not part of the JSON contract
    session_figures: dict[str, float | None] = field(default_factory=dict)  # e.g. hr_drift_pct
    unit: str = "km"  # the athlete's unit ("km" or "mi") for paces and distances in reports
    # an internal error (a bug, not the file's fault): where it was raised, for the bug report
    # (``errors.bug_trace``); printed on stderr, never part of a report
    traceback: str | None = field(default=None, compare=False, repr=False)

    @property
    def described(self) -> bool:
        """Checked without a plan, so nothing was judged: the session is only described (its
        status stays ``pass`` in JSON, the contract; reports say "described")."""
        return self.status is Status.PASS and self.plan is None and not self.checks

    @classmethod
    def failed(
        cls,
        path: str,
        message: str,
        *,
        athlete: str | None = None,
        exit_code: int = ExitCode.UNREADABLE,
        traceback: str | None = None,
    ) -> FileResult:
        """The one way to make the result of a file that could not be checked: status error,
        the message as given, and the exit code it asks for (an unreadable file's by default);
        ``traceback`` where a bug was the cause (``errors.bug_trace``)."""
        return cls(
            file=path,
            status=Status.ERROR,
            error=message,
            athlete=athlete,
            exit_code=int(exit_code),
            traceback=traceback,
        )

    @property
    def reps(self) -> tuple[ScoredSegment, ...]:
        return tuple(s for s in self.segments if s.segment.kind.value == "rep")
