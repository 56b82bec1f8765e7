"""Value types of a plan: what the coach prescribed, before any athlete's paces are known.

Quantities keep the number and unit the coach wrote (``Length(15, "min")``) so a plan can be
printed back exactly as it was meant and reparsed to an equal value; SI values come from
properties. The ``Plan`` made of them, and its canonical text, are in ``printer.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from workoutcheck.model.text import METRES_PER_MILE as MILE_M

DISTANCE_UNITS = {"m": 1.0, "km": 1000.0, "mi": MILE_M}
DURATION_UNITS = {"s": 1.0, "min": 60.0, "h": 3600.0}


class StepKind(str, Enum):
    WARMUP = "warmup"
    WORK = "work"
    RECOVERY = "recovery"
    COOLDOWN = "cooldown"
    RACE = "race"


class Style(str, Enum):
    """How a recovery is run; ``rest`` and ``walk`` mean standing or walking is expected."""

    JOG = "jog"
    EASY = "easy"
    REST = "rest"
    WALK = "walk"
    FLOAT = "float"
    RECOVERY = "recovery"

    @property
    def stationary_ok(self) -> bool:
        return self in (Style.REST, Style.WALK)


class LengthKind(str, Enum):
    DISTANCE = "distance"
    DURATION = "duration"
    EQUAL = "equal"  # as long as the rep before took
    OPEN = "open"  # unprescribed (lap button, or the gap between recovery-less repeats)


@dataclass(frozen=True)
class Length:
    kind: LengthKind
    amount: float = 0.0  # in ``unit``
    unit: str = ""  # m, km, mi (distance) or s, min, h (duration)

    @staticmethod
    def distance(amount: float, unit: str = "m") -> Length:
        return Length(LengthKind.DISTANCE, float(amount), unit)

    @staticmethod
    def duration(amount: float, unit: str = "s") -> Length:
        return Length(LengthKind.DURATION, float(amount), unit)

    @property
    def meters(self) -> float | None:
        if self.kind is LengthKind.DISTANCE:
            return self.amount * DISTANCE_UNITS[self.unit]
        return None

    @property
    def seconds(self) -> float | None:
        if self.kind is LengthKind.DURATION:
            return self.amount * DURATION_UNITS[self.unit]
        return None


class TargetKind(str, Enum):
    PACE = "pace"  # absolute: ``amount`` seconds per ``per`` (a range if ``amount_to``)
    REP_TIME = "rep_time"  # ``amount`` seconds for the whole (distance) step
    RACE_PACE = "race_pace"  # the athlete's pace for race ``race``
    GOAL_PERCENT = "goal_percent"  # ``amount`` % of goal SPEED for ``race`` (None: main goal)
    HEART_RATE = "heart_rate"  # ``amount`` bpm, to ``amount_to`` bpm for a range
    HR_ZONE = "hr_zone"  # heart-rate zone ``amount`` (1-5) of the athlete's profile


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    amount: float = 0.0
    per: str = ""  # PACE only: "km", "mi", or a distance like "100m", "400m"
    amount_to: float | None = None  # PACE range: the slow end, same unit as ``amount``
    race: str | None = None  # normalised race label: "5K", "400m", "mile", "half", ...

    @property
    def absolute(self) -> bool:
        return self.kind is TargetKind.PACE

    @property
    def by_heart_rate(self) -> bool:
        """A heart-rate target: judged on time in its band, not on pace."""
        return self.kind in (TargetKind.HEART_RATE, TargetKind.HR_ZONE)


@dataclass(frozen=True)
class Progression:
    """Targets spread evenly (in pace) from ``first`` to ``last`` over a repeat's reps.

    In a plan's tree ``index``/``count`` are 0; flattened steps carry their rep's position
    (``index`` 0-based of ``count``). A single step with a progression speeds up within it.
    """

    first: Target
    last: Target
    index: int = 0
    count: int = 0


@dataclass(frozen=True)
class Tolerance:
    """``amount`` percent of the target pace, or seconds per ``per`` (None: see resolve)."""

    amount: float
    unit: str  # "%" or "s"
    per: str | None = None


@dataclass(frozen=True)
class Step:
    kind: StepKind
    length: Length
    target: Target | Progression | None = None
    tolerance: Tolerance | None = None
    style: Style | None = None  # recoveries only
    explicit: bool = False  # kind was written (wu, cd, jog, race, work...) not inferred
    rep: int | None = None  # 1-based number among work and race steps (flattened only)
    block: int | None = None  # 1-based index of the top-level item it came from
    iteration: int | None = None  # 1-based iteration of the outermost repeat, if any
    optional: bool = False  # a recovery the runner may leave out (nothing hard follows)
    implicit: bool = False  # an unprescribed recovery between recovery-less repeats
    terrain: str | None = None  # "uphill": hill reps, judged on effort rather than flat pace
    span: tuple[int, int] | None = field(default=None, compare=False)

    @property
    def is_effort(self) -> bool:
        return self.kind in (StepKind.WORK, StepKind.RACE)


@dataclass(frozen=True)
class Repeat:
    count: int
    body: tuple[Step | Repeat, ...]
    span: tuple[int, int] | None = field(default=None, compare=False)


Node = Step | Repeat
