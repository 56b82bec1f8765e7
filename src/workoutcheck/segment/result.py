"""What segmentation finds: an ordered, gap-free cover of the recording by segments."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class SegmentKind(str, Enum):
    WARMUP = "warmup"
    REP = "rep"
    RECOVERY = "recovery"
    COOLDOWN = "cooldown"
    EXTRA = "extra"


@dataclass(frozen=True)
class Split:
    distance_m: float
    duration_s: float

    @property
    def pace_s_per_km(self) -> float | None:
        return self.duration_s / self.distance_m * 1000.0 if self.distance_m > 0 else None


@dataclass(frozen=True)
class Segment:
    """One stretch of the recording. A missed rep has no times (``start_s`` is None).

    ``distance_m`` is what the watch measured; ``distance_used_m`` is what paces are computed
    from: the prescribed distance where the measurement agrees with it within GPS error (or
    the run was on a track), else the measurement. ``distance_basis`` says which.
    """

    kind: SegmentKind
    start_s: float | None
    end_s: float | None
    rep: int | None = None
    step: int | None = None  # index into the resolved plan's steps
    distance_m: float | None = None
    distance_used_m: float | None = None
    distance_basis: str = "measured"  # "measured" | "prescribed"
    paused_s: float = 0.0
    mean_speed: float | None = None  # m/s, measured distance over moving time
    splits: tuple[Split, ...] = ()
    missed: bool = False
    note: str | None = None

    @property
    def duration_s(self) -> float | None:
        if self.start_s is None or self.end_s is None:
            return None
        return self.end_s - self.start_s

    @property
    def pace_s_per_km(self) -> float | None:
        """Pace over the distance used, on the clock (pauses inside count as time)."""
        d, t = self.distance_used_m, self.duration_s
        if d is None or t is None or d < 1.0:
            return None
        return t / d * 1000.0


@dataclass(frozen=True)
class Segmentation:
    segments: tuple[Segment, ...]
    laps_mode: str  # what was asked: auto | use | ignore
    laps_used: bool  # whether lap boundaries shaped the result
    missed_reps: tuple[int, ...] = ()
    extra_efforts: int = 0
    description: str | None = None  # for sessions found without a plan: "6 x ~700 m / ~300 m"
    lag_s: float = 0.0  # how much the device speed lagged the positions (corrected)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def reps(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.kind is SegmentKind.REP)

    @property
    def timed(self) -> tuple[Segment, ...]:
        """The segments that cover the recording (missed reps left out)."""
        return tuple(s for s in self.segments if not s.missed)
