"""Read FIT files with fitparse (the only module that imports it).

fitparse is read lazily, message by message, so that when a file is truncated or its CRC is
wrong the records before the damage are still in hand: the error says how many there were
and carries them, for callers that accept partial data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import fitparse
import numpy as np
from fitparse.utils import FitCRCError, FitEOFError, FitHeaderError, FitParseError

from workoutcheck.errors import (
    CorruptFileError,
    NoDataError,
    NotRunningError,
    TruncatedFileError,
    WorkoutcheckError,
)
from workoutcheck.ingest.raw import RawEvent, RawLap, RawRecording, column
from workoutcheck.model import Source, Workout, WorkoutStep

FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z in POSIX seconds
RELATIVE_CLOCK_LIMIT = 0x10000000  # FIT date_time values below this count from power-on
SEMICIRCLE_DEG = 180.0 / 2**31
# fitparse 1.2.0 ships an old profile that returns these intensities as plain integers.
INTENSITY = {0: "active", 1: "rest", 2: "warmup", 3: "cooldown", 4: "recovery", 5: "interval", 6: "other"}
FOOT_SPORTS = {"running", "walking", "hiking", "generic", "training", "fitness_equipment", "transition"}
STOP_EVENTS = {"stop", "stop_all", "stop_disable", "stop_disable_all"}


@dataclass
class _Session:
    start: float | None
    end: float | None
    sport: str | None
    sub_sport: str | None
    elapsed_s: float | None
    timer_s: float | None


@dataclass
class _Collected:
    """Everything gathered in the single pass over the messages."""

    time: list[float] = field(default_factory=list)
    distance: list[float | None] = field(default_factory=list)
    speed: list[float | None] = field(default_factory=list)
    lat: list[float | None] = field(default_factory=list)
    lon: list[float | None] = field(default_factory=list)
    altitude: list[float | None] = field(default_factory=list)
    heart_rate: list[float | None] = field(default_factory=list)
    cadence: list[float | None] = field(default_factory=list)
    laps: list[RawLap] = field(default_factory=list)
    events: list[RawEvent] = field(default_factory=list)
    sessions: list[_Session] = field(default_factory=list)
    steps: list[WorkoutStep] = field(default_factory=list)
    workout_name: str | None = None
    workout_sport: str | None = None
    sport_msg: str | None = None
    sub_sport_msg: str | None = None
    device: str | None = None
    file_type: str | None = None
    relative_clock: bool = False


def read_fit(data: bytes, path: str) -> RawRecording:
    """Decode a FIT file; raise a ``CorruptFileError`` carrying any readable part on damage."""
    if len(data) < 12:
        raise TruncatedFileError(path, f"FIT file is only {len(data)} bytes: too short to hold a FIT header")
    got = _Collected()
    try:
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=True)
    except FitCRCError as exc:
        raise CorruptFileError(path, f"FIT header CRC check failed ({exc}): the file is damaged") from None
    except FitEOFError as exc:
        raise TruncatedFileError(path, f"FIT file ends inside its header ({exc})") from None
    except (FitParseError, ValueError) as exc:
        raise CorruptFileError(path, f"not a valid FIT file ({exc})") from None
    try:
        for msg in fit.get_messages():
            _take(got, msg)
    except FitEOFError as exc:
        _damaged(TruncatedFileError, got, path, f"FIT file is truncated ({exc})")
    except FitCRCError as exc:
        _damaged(CorruptFileError, got, path, f"FIT file CRC check failed ({exc}): the file was altered or damaged")
    except FitHeaderError as exc:
        _damaged(CorruptFileError, got, path, f"a chained FIT section has a corrupt header ({exc})")
    except (FitParseError, ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        _damaged(CorruptFileError, got, path, f"FIT file is corrupt ({exc})")
    return _recording(got, path, strict=True)


def _damaged(error: type[CorruptFileError], got: _Collected, path: str, problem: str) -> None:
    """Raise ``error``, saying how much of the file was readable and carrying that part."""
    partial = _partial(got, path)
    n = len(got.time)
    if n == 0:
        problem += "; no records could be read before the damage"
    elif partial is None:
        problem += f"; {n} records came before the damage, too few or unusable to check"
    else:
        problem += f"; the {n} records before it are readable (use --partial to check them anyway)"
    raise error(path, problem, partial=partial) from None


def _partial(got: _Collected, path: str) -> Any:
    """The records read before the damage as an Activity, or None if they are not usable."""
    if len(got.time) < 2:
        return None
    from workoutcheck.ingest.timeline import build_activity

    try:
        return build_activity(_recording(got, path, strict=False))
    except WorkoutcheckError:
        return None


def _recording(got: _Collected, path: str, *, strict: bool) -> RawRecording:
    if not got.time:
        raise NoDataError(path, "FIT file has no record messages: there is no recorded run in it")
    sport, sub_sport, keep, notes = _running_part(got, path)
    if strict:
        _check_sessions(got, path)
    time = np.asarray(got.time, dtype=np.float64)
    mask = np.ones(len(time), dtype=bool) if keep is None else keep(time)
    laps = got.laps if keep is None else [lap for lap in got.laps if keep(np.array([lap.start]))[0]]

    def col(values: list[float | None]) -> np.ndarray | None:
        c = column(values)
        return None if c is None else c[mask]

    cadence = col(got.cadence)
    if cadence is not None and sport in (None, "running", "walking", "hiking", "generic", "training"):
        cadence = cadence * 2.0  # FIT running cadence counts one leg: steps/min is twice it
    workout = None
    if got.steps:
        workout = Workout(got.workout_name, got.workout_sport, tuple(sorted(got.steps, key=lambda s: s.index)))
    if got.relative_clock:
        notes.append("the file's clock counts from the watch's power-on: no calendar start time is known")
    return RawRecording(
        source=Source.FIT,
        path=path,
        time=time[mask],
        distance=col(got.distance),
        speed=col(got.speed),
        lat=col(got.lat),
        lon=col(got.lon),
        altitude=col(got.altitude),
        heart_rate=col(got.heart_rate),
        cadence=cadence,
        laps=laps,
        events=got.events,
        workout=workout,
        sport=sport,
        sub_sport=sub_sport,
        device=got.device,
        notes=notes,
        clock_is_relative=got.relative_clock,
    )


def _running_part(got: _Collected, path: str):
    """Pick the running session(s) of a multisport file; refuse files that are not runs."""
    sessions = got.sessions
    sports = [s.sport for s in sessions]
    if not sessions:
        sport = got.sport_msg
        if sport is not None and sport not in FOOT_SPORTS:
            raise NotRunningError(path, f"this is a {sport} activity, not a run: workoutcheck checks running sessions")
        return sport, got.sub_sport_msg, None, []
    running = [s for s in sessions if s.sport == "running"]
    if not running:
        other = next((s for s in sports if s is not None and s not in FOOT_SPORTS), None)
        if other is not None:
            raise NotRunningError(path, f"this is a {other} activity, not a run: workoutcheck checks running sessions")
        first = sessions[0]
        return first.sport, first.sub_sport, None, []
    if len(running) == len(sessions) or all(s.start is None for s in running):
        return "running", running[0].sub_sport, None, []
    ranges = [(s.start, s.end) for s in running if s.start is not None and s.end is not None]

    def keep(times: np.ndarray) -> np.ndarray:
        m = np.zeros(len(times), dtype=bool)
        for a, b in ranges:
            m |= (times >= a) & (times <= b)
        return m

    kinds = ", ".join(str(s) for s in sports)
    note = f"multisport file ({kinds}): kept the running part ({len(running)} of {len(sessions)} sessions)"
    return "running", running[0].sub_sport, keep, [note]


def _check_sessions(got: _Collected, path: str) -> None:
    if not got.sessions and not got.laps and got.file_type == "activity":
        _damaged(
            TruncatedFileError, got, path,
            "FIT activity ends without any lap or session message: the watch did not finish writing it",
        )
    for s in got.sessions:
        if s.elapsed_s is not None and s.timer_s is not None and s.timer_s > s.elapsed_s * 1.05 + 60:
            _damaged(
                CorruptFileError, got, path,
                f"session timer time ({s.timer_s:.0f} s) is longer than its elapsed time "
                f"({s.elapsed_s:.0f} s): the file's times are inconsistent",
            )


def _take(got: _Collected, msg: Any) -> None:
    name = msg.name
    if name == "record":
        _take_record(got, msg.get_values())
    elif name == "lap":
        _take_lap(got, msg.get_values())
    elif name == "event":
        v = msg.get_values()
        if v.get("event") == "timer" and v.get("timestamp") is not None:
            kind = v.get("event_type")
            if kind == "start" or kind in STOP_EVENTS:
                got.events.append(RawEvent(_time(got, v["timestamp"]), "start" if kind == "start" else "stop"))
    elif name == "session":
        v = msg.get_values()
        start = v.get("start_time")
        elapsed = _num(v.get("total_elapsed_time"))
        start_t = _time(got, start) if start is not None else None
        end_t = _time(got, v["timestamp"]) if v.get("timestamp") is not None else None
        if start_t is not None and elapsed is not None:
            end_t = max(end_t or 0.0, start_t + elapsed)
        got.sessions.append(
            _Session(start_t, end_t, _str(v.get("sport")), _str(v.get("sub_sport")), elapsed,
                     _num(v.get("total_timer_time")))
        )
    elif name == "sport":
        v = msg.get_values()
        got.sport_msg = _str(v.get("sport"))
        got.sub_sport_msg = _str(v.get("sub_sport"))
    elif name == "file_id":
        v = msg.get_values()
        got.file_type = got.file_type or _str(v.get("type"))
        maker = v.get("manufacturer")
        product = v.get("garmin_product") or v.get("product_name") or v.get("product")
        if got.device is None and (maker is not None or product is not None):
            got.device = " ".join(str(x) for x in (maker, product) if x is not None)
    elif name == "workout":
        v = msg.get_values()
        got.workout_name = _str(v.get("wkt_name"))
        got.workout_sport = _str(v.get("sport"))
    elif name == "workout_step":
        got.steps.append(_step(msg.get_values(), len(got.steps)))


def _take_record(got: _Collected, v: dict[str, Any]) -> None:
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


def _take_lap(got: _Collected, v: dict[str, Any]) -> None:
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
        intensity=_intensity(v.get("intensity")),
        repeat_from=int(v["duration_step"]) if repeat and isinstance(v.get("duration_step"), int) else None,
        repeat_count=int(v["repeat_steps"]) if repeat and isinstance(v.get("repeat_steps"), int) else None,
        notes=_str(v.get("notes")),
    )


def _time(got: _Collected, value: Any) -> float:
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
