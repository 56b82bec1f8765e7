"""Turn fitparse's messages into what the FIT reader collects (shared by both FIT paths).

The fitparse path feeds every message here; the fast path feeds only the non-record messages
(records come from ``fitfast`` as arrays, made to equal what ``take_record`` makes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from workoutcheck.ingest.raw import RawEvent, RawLap
from workoutcheck.model import WorkoutStep

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z in POSIX seconds
RELATIVE_CLOCK_LIMIT = 0x10000000  # FIT date_time values below this count from power-on
SEMICIRCLE_DEG = 180.0 / 2**31
# fitparse 1.2.0 ships an old profile that returns these intensities as plain integers.
INTENSITY = {
    0: "active",
    1: "rest",
    2: "warmup",
    3: "cooldown",
    4: "recovery",
    5: "interval",
    6: "other",
}
STOP_EVENTS = {"stop", "stop_all", "stop_disable", "stop_disable_all"}
# message -> the value names ``take_values`` reads from it (the fast path decodes only these)
TAKEN = {
    "record": (
        "timestamp",
        "distance",
        "enhanced_speed",
        "speed",
        "position_lat",
        "position_long",
        "enhanced_altitude",
        "altitude",
        "heart_rate",
        "cadence",
        "fractional_cadence",
    ),
    "lap": (
        "timestamp",
        "start_time",
        "total_elapsed_time",
        "total_distance",
        "total_timer_time",
        "lap_trigger",
        "intensity",
        "wkt_step_index",
    ),
    "event": ("event", "event_type", "timestamp"),
    "session": (
        "start_time",
        "total_elapsed_time",
        "timestamp",
        "sport",
        "sub_sport",
        "total_timer_time",
    ),
    "sport": ("sport", "sub_sport"),
    "file_id": ("type", "manufacturer", "garmin_product", "product_name", "product"),
    "workout": ("wkt_name", "sport"),
    "workout_step": (
        "message_index",
        "duration_type",
        "wkt_step_name",
        "duration_time",
        "duration_distance",
        "target_type",
        "custom_target_speed_low",
        "custom_target_speed_high",
        "intensity",
        "custom_target_heart_rate_low",
        "custom_target_heart_rate_high",
        "duration_step",
        "repeat_steps",
        "notes",
    ),
}


@dataclass
class Session:
    start: float | None
    end: float | None
    sport: str | None
    sub_sport: str | None
    elapsed_s: float | None
    timer_s: float | None


@dataclass
class Collected:
    """Everything gathered in the single pass over the messages."""

    # per record: lists on the fitparse path, float64 arrays (NaN = missing) on the fast path
    # lists on the fitparse path, numpy columns on the fast path (fitcombined)
    time: Any = field(default_factory=list)
    distance: Any = field(default_factory=list)
    speed: Any = field(default_factory=list)
    lat: Any = field(default_factory=list)
    lon: Any = field(default_factory=list)
    altitude: Any = field(default_factory=list)
    heart_rate: Any = field(default_factory=list)
    cadence: Any = field(default_factory=list)
    laps: list[RawLap] = field(default_factory=list)
    events: list[RawEvent] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    steps: list[WorkoutStep] = field(default_factory=list)
    workout_name: str | None = None
    workout_sport: str | None = None
    sport_msg: str | None = None
    sub_sport_msg: str | None = None
    device: str | None = None
    file_type: str | None = None
    relative_clock: bool = False


def take(got: Collected, msg: Any) -> None:
    """Collect one fitparse message."""
    if msg.name in TAKEN:
        take_values(got, msg.name, msg.get_values())


def take_values(got: Collected, name: str, v: dict[str, Any]) -> None:
    """Collect one message given as fitparse's ``get_values`` would give it (only the names in
    ``TAKEN[name]`` are read)."""
    if name == "record":
        take_record(got, v)
    elif name == "lap":
        take_lap(got, v)
    elif name == "event":
        if v.get("event") == "timer" and v.get("timestamp") is not None:
            kind = v.get("event_type")
            if kind == "start" or kind in STOP_EVENTS:
                got.events.append(
                    RawEvent(_time(got, v["timestamp"]), "start" if kind == "start" else "stop")
                )
    elif name == "session":
        start = v.get("start_time")
        elapsed = _num(v.get("total_elapsed_time"))
        start_t = _time(got, start) if start is not None else None
        end_t = _time(got, v["timestamp"]) if v.get("timestamp") is not None else None
        if start_t is not None and elapsed is not None:
            end_t = max(end_t or 0.0, start_t + elapsed)
        got.sessions.append(
            Session(
                start_t,
                end_t,
                _str(v.get("sport")),
                _str(v.get("sub_sport")),
                elapsed,
                _num(v.get("total_timer_time")),
            )
        )
    elif name == "sport":
        got.sport_msg = _str(v.get("sport"))
        got.sub_sport_msg = _str(v.get("sub_sport"))
    elif name == "file_id":
        got.file_type = got.file_type or _str(v.get("type"))
        maker = v.get("manufacturer")
        product = v.get("garmin_product") or v.get("product_name") or v.get("product")
        if got.device is None and (maker is not None or product is not None):
            got.device = " ".join(str(x) for x in (maker, product) if x is not None)
    elif name == "workout":
        got.workout_name = _str(v.get("wkt_name"))
        got.workout_sport = _str(v.get("sport"))
    elif name == "workout_step":
        got.steps.append(_step(v, len(got.steps)))


def take_record(got: Collected, v: dict[str, Any]) -> None:
    ts = v.get("timestamp")
    if ts is None:
        return
    got.time.append(_time(got, ts))
    got.distance.append(_num(v.get("distance")))
    speed = v.get("enhanced_speed")
    got.speed.append(_num(speed if speed is not None else v.get("speed")))
    lat, lon = _num(v.get("position_lat")), _num(v.get("position_long"))
    got.lat.append(None if lat is None or lon is None else lat * SEMICIRCLE_DEG)
    got.lon.append(None if lat is None or lon is None else lon * SEMICIRCLE_DEG)
    alt = v.get("enhanced_altitude")
    got.altitude.append(_num(alt if alt is not None else v.get("altitude")))
    got.heart_rate.append(_num(v.get("heart_rate")))
    cad = _num(v.get("cadence"))
    frac = _num(v.get("fractional_cadence"))
    got.cadence.append(None if cad is None else cad + (frac or 0.0))


def take_lap(got: Collected, v: dict[str, Any]) -> None:
    end = v.get("timestamp")
    start = v.get("start_time")
    elapsed = _num(v.get("total_elapsed_time"))
    end_t = _time(got, end) if end is not None else None
    start_t = _time(got, start) if start is not None else None
    if start_t is None and end_t is not None and elapsed is not None:
        start_t = end_t - elapsed
    if end_t is None and start_t is not None and elapsed is not None:
        end_t = start_t + elapsed
    if start_t is None or end_t is None:
        return
    step = v.get("wkt_step_index")
    got.laps.append(
        RawLap(
            start=start_t,
            end=end_t,
            distance_m=_num(v.get("total_distance")),
            timer_s=_num(v.get("total_timer_time")),
            trigger=_str(v.get("lap_trigger")),
            intensity=_intensity(v.get("intensity")),
            wkt_step_index=int(step) if isinstance(step, int | float) else None,
            elapsed_s=elapsed,
        )
    )


def _step(v: dict[str, Any], position: int) -> WorkoutStep:
    index = v.get("message_index")
    duration_type = _str(v.get("duration_type")) or "open"
    repeat = duration_type.startswith("repeat")
    return WorkoutStep(
        index=int(index) if isinstance(index, int) else position,
        name=_str(v.get("wkt_step_name")),
        duration_type=duration_type,
        duration_s=_num(v.get("duration_time")),
        duration_m=_num(v.get("duration_distance")),
        target_type=_str(v.get("target_type")),
        speed_low=_num(v.get("custom_target_speed_low")),
        speed_high=_num(v.get("custom_target_speed_high")),
        hr_low=_num(v.get("custom_target_heart_rate_low")),
        hr_high=_num(v.get("custom_target_heart_rate_high")),
        intensity=_intensity(v.get("intensity")),
        repeat_from=int(v["duration_step"])
        if repeat and isinstance(v.get("duration_step"), int)
        else None,
        repeat_count=int(v["repeat_steps"])
        if repeat and isinstance(v.get("repeat_steps"), int)
        else None,
        notes=_str(v.get("notes")),
    )


def _time(got: Collected, value: Any) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    number = float(value)
    if number < RELATIVE_CLOCK_LIMIT:
        got.relative_clock = True
    return number + FIT_EPOCH


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if np.isfinite(number) else None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _intensity(value: Any) -> str | None:
    if isinstance(value, int):
        return INTENSITY.get(value, str(value))
    if isinstance(value, str) and value.isdigit():
        return INTENSITY.get(int(value), value)
    return _str(value)
