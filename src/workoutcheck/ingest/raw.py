"""What a format reader hands to the timeline builder: samples as they were in the file.

Readers only decode; ``timeline.build_activity`` does every repair (sorting, merging
duplicated timestamps, cutting out clock jumps, deriving distance from positions), so the
three formats are cleaned by one piece of code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workoutcheck.model import Source, Workout


@dataclass(frozen=True)
class RawLap:
    start: float  # POSIX seconds, UTC
    end: float
    distance_m: float | None
    timer_s: float | None = None
    trigger: str | None = None
    intensity: str | None = None
    wkt_step_index: int | None = None
    elapsed_s: float | None = None  # the lap's own clock, to the millisecond (FIT)


@dataclass(frozen=True)
class RawEvent:
    """A timer event: ``kind`` is "start" or "stop"."""

    time: float  # POSIX seconds, UTC
    kind: str


@dataclass
class RawRecording:
    """Samples in file order. ``time`` is POSIX seconds (float64); other arrays are float64
    with NaN where a record lacks the field, or ``None`` where no record has it."""

    source: Source
    path: str
    time: np.ndarray
    distance: np.ndarray | None = None
    speed: np.ndarray | None = None
    lat: np.ndarray | None = None
    lon: np.ndarray | None = None
    altitude: np.ndarray | None = None
    heart_rate: np.ndarray | None = None
    cadence: np.ndarray | None = None
    laps: list[RawLap] = field(default_factory=list)
    events: list[RawEvent] = field(default_factory=list)
    workout: Workout | None = None
    sport: str | None = None
    sub_sport: str | None = None
    device: str | None = None
    notes: list[str] = field(default_factory=list)
    # Segments of the recording that were recorded as separate tracks/sections: a gap
    # between two segments is a pause even when the timer events do not say so.
    segment_starts: list[float] = field(default_factory=list)
    # True when the file's clock counts from device power-on (old FIT compressed
    # timestamps) so no calendar start time can be given.
    clock_is_relative: bool = False


SAMPLE_FIELDS = ("distance", "speed", "lat", "lon", "altitude", "heart_rate", "cadence")


def column(values: list[float | None]) -> np.ndarray | None:
    """A float64 column from per-record values, or None when no record has the field."""
    arr = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if arr.size == 0 or np.isnan(arr).all():
        return None
    return arr
