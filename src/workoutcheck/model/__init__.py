"""The one activity model every reader produces and every later stage reads.

Samples are columnar numpy arrays on a common time axis (seconds since the first record),
so segmentation and scoring work on whole arrays instead of per-record objects. A field the
file does not carry is ``None`` rather than an array of NaN, so callers can tell "absent"
from "missing at some samples".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

import numpy as np


class Source(str, Enum):
    """The file formats read, one per entry of ``ingest.readers.READERS`` (a test checks)."""

    FIT = "fit"
    GPX = "gpx"
    TCX = "tcx"
    PWX = "pwx"


class PauseKind(str, Enum):
    TIMER = "timer"  # the watch was stopped (button or auto-pause)
    GAP = "gap"  # no records for a while, but no timer event says why
    CLOCK_JUMP = "clock_jump"  # the clock leapt; the leap is cut out of the time axis
    # no records while the runner stood (smart recording writing nothing while nothing changed,
    # or auto-pause in a file that keeps no timer events): the distance runs on across it
    STOOD = "stood"


LAP_CLOCK_S = 2.0  # s: a lap's start plus its elapsed time this close to its timestamp


@dataclass(frozen=True)
class Lap:
    """A device lap, in seconds on the activity's time axis."""

    start_s: float
    end_s: float
    distance_m: float | None
    timer_s: float | None = None
    trigger: str | None = None  # manual, distance, time, position, session_end, ...
    intensity: str | None = None  # active, rest, warmup, cooldown, recovery, interval, other
    wkt_step_index: int | None = None
    # s: how long the watch timed the lap, to the millisecond (FIT's total_elapsed_time); the
    # edges are whole-second timestamps
    elapsed_s: float | None = None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def clock_end_s(self) -> float:
        """Where the lap's own clock ends it: its start plus its elapsed time, where that is
        within ``LAP_CLOCK_S`` of its timestamp (a lap across a clock jump is not); else its
        end. A FIT timestamp is a whole second, written up to 2 s either side of the press."""
        if self.elapsed_s is None or self.elapsed_s < 0:
            return self.end_s
        precise = self.start_s + self.elapsed_s
        return precise if abs(precise - self.end_s) <= LAP_CLOCK_S else self.end_s


@dataclass(frozen=True)
class Pause:
    """A stretch of the recording in which the runner was not being timed."""

    start_s: float
    end_s: float
    kind: PauseKind
    removed_s: float = 0.0  # for clock jumps: how much wall-clock time was cut out

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class WorkoutStep:
    """One step of a structured workout as the watch stored it, in SI units.

    ``duration_type`` follows the FIT profile (time, distance, open, repeat_until_steps_cmplt,
    ...). For repeat steps ``repeat_from`` is the step index to go back to and ``repeat_count``
    the number of times the block runs.
    """

    index: int
    name: str | None
    duration_type: str
    duration_s: float | None = None
    duration_m: float | None = None
    target_type: str | None = None
    speed_low: float | None = None  # m/s
    speed_high: float | None = None  # m/s
    intensity: str | None = None
    repeat_from: int | None = None
    repeat_count: int | None = None
    notes: str | None = None
    # custom heart-rate target as FIT stores it: 0-100 % of max HR, above 100 bpm + 100
    hr_low: float | None = None
    hr_high: float | None = None


@dataclass(frozen=True)
class Workout:
    name: str | None
    sport: str | None
    steps: tuple[WorkoutStep, ...]


@dataclass(frozen=True, eq=False)
class Activity:
    """A recording, cleaned: strictly increasing time, clock jumps cut out, duplicates merged."""

    source: Source
    path: str
    start_time: datetime | None  # timezone-aware UTC, the first record's time; None if the
    # file's clock is device-relative and no calendar time is known
    t: np.ndarray  # float64 seconds since the first record, strictly increasing
    distance: np.ndarray | None = None  # m, cumulative, non-decreasing
    speed: np.ndarray | None = None  # m/s
    lat: np.ndarray | None = None  # degrees, NaN where the sample has no position
    lon: np.ndarray | None = None
    altitude: np.ndarray | None = None  # m
    heart_rate: np.ndarray | None = None  # bpm, NaN where missing
    cadence: np.ndarray | None = None  # steps/min (both legs)
    laps: tuple[Lap, ...] = ()
    pauses: tuple[Pause, ...] = ()
    workout: Workout | None = None
    sport: str | None = None
    sub_sport: str | None = None
    device: str | None = None
    distance_source: str = "none"  # "device" | "positions" | "none"
    speed_source: str = "none"  # "device" | "distance" | "positions" | "none"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        n = len(self.t)
        for name in ("distance", "speed", "lat", "lon", "altitude", "heart_rate", "cadence"):
            arr = getattr(self, name)
            if arr is not None and len(arr) != n:
                raise ValueError(f"{name} has {len(arr)} samples, t has {n}")

    @property
    def n_records(self) -> int:
        return len(self.t)

    @property
    def duration_s(self) -> float:
        """Elapsed time from first to last record, clock jumps excluded."""
        return float(self.t[-1] - self.t[0]) if len(self.t) else 0.0

    @property
    def paused_s(self) -> float:
        """Time the watch was not timing (a stand between records may have been timed)."""
        return float(sum(p.duration_s for p in self.pauses if p.kind is not PauseKind.STOOD))

    @property
    def moving_s(self) -> float:
        """Time the runner was moving: elapsed time less pauses and standing still."""
        if len(self.t) < 2:
            return 0.0
        dt = np.diff(self.t)
        moving = np.ones(len(dt), dtype=bool)
        if self.speed is not None:
            # a step counts as moving when the speed at either end is above walking-still (0.5 m/s)
            sp = np.nan_to_num(self.speed, nan=0.0)
            moving = np.maximum(sp[1:], sp[:-1]) >= 0.5
        paused = self.pause_mask()[1:]
        return float(dt[moving & ~paused].sum())

    def pause_mask(self) -> np.ndarray:
        """True for samples that end inside a pause (the step before them was not timed)."""
        if not self.pauses:
            return np.zeros(len(self.t), dtype=bool)
        # a sample is inside a pause when the latest end among pauses starting before it is
        # not behind it (overlapping pauses included)
        starts = np.array([p.start_s for p in self.pauses])
        ends = np.array([p.end_s for p in self.pauses])
        order = np.argsort(starts)
        starts, ends = starts[order], np.maximum.accumulate(ends[order])
        i = np.searchsorted(starts, self.t, side="left") - 1
        ok = i >= 0
        mask = np.zeros(len(self.t), dtype=bool)
        mask[ok] = self.t[ok] <= ends[i[ok]]
        return mask

    @property
    def total_distance_m(self) -> float | None:
        if self.distance is None or len(self.distance) == 0:
            return None
        return float(self.distance[-1] - self.distance[0])

    @property
    def has_positions(self) -> bool:
        return self.lat is not None and bool(np.isfinite(self.lat).any())
