"""Read FIT files: records from the fast numpy path, fitparse for the rest and as the fallback.

``fitcombined`` reads a sound file: records decoded at once with numpy (``fitfast``), the few
other messages (laps, events, sessions, workout, device) from the same walk with fitparse's
profile (``fitdirect``), or where that does not apply by fitparse from a cut-down copy of the
file. Anything it does not handle, and every damaged file, goes to fitparse alone, read
lazily message by message, so that when a file is truncated or its CRC is wrong the records
before the damage are still in hand: the error says how many there were and carries them,
for callers that accept partial data. Both paths give the same ``RawRecording``
(``tests/test_fitfast.py`` checks it file by file).

A damaged file is first walked by the fast path up to the damage (``read_damaged``): where
the walk models what fitparse would raise there (a cut, a wrong CRC, a corrupt chained
header, a misaligned field, a data message without a definition), the error and the records
before it are fitparse's without fitparse decoding the file (``tests/test_fit_damage.py``);
otherwise fitparse reads it as above.
"""

from __future__ import annotations

import io
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
from workoutcheck.ingest.fit.messages import Collected, take
from workoutcheck.ingest.raw import RawRecording, column
from workoutcheck.model import Source, Workout

FOOT_SPORTS = {
    "running",
    "walking",
    "hiking",
    "generic",
    "training",
    "fitness_equipment",
    "transition",
}


def read_fit(data: bytes, path: str, *, fast: bool = True) -> RawRecording:
    """Decode a FIT file; raise a ``CorruptFileError`` carrying any readable part on damage.

    ``fast=False`` reads it with fitparse alone (the reference the fast path is tested against).
    """
    if len(data) < 12:
        raise TruncatedFileError(
            path, f"FIT file is only {len(data)} bytes: too short to hold a FIT header"
        )
    got = None
    why = None
    if fast:
        from workoutcheck.ingest.fit.combined import Declined, read_combined

        try:
            got = read_combined(data)
        except Declined as exc:
            why = (
                f"read by fitparse, about 20x slower: the fast FIT reader declined the file ({exc})"
            )
        except Exception as exc:  # noqa: BLE001 - a fast-path bug must never cost the user the file
            why = (
                f"read by fitparse, about 20x slower: the fast FIT reader failed on the file "
                f"({type(exc).__name__}: {exc}), a bug worth reporting"
            )
    if got is None and fast:
        _refuse_damaged(data, path)
    if got is None:
        got = _read_fitparse(data, path)
    recording = _recording(got, path, strict=True)
    if why is not None:  # never silent: a sound file the fast path leaves is a bug to fix
        recording.notes.append(why)
    return recording


def _refuse_damaged(data: bytes, path: str) -> None:
    """Raise fitparse's error, with what it reads before the damage, for a damaged file the
    fast path can read up to the damage (``read_damaged``): fitparse would decode every message
    before it, seconds for a long file. Returns if that does not apply (fitparse reads it)."""
    from workoutcheck.ingest.fit.combined import Declined, read_damaged

    try:
        got, kind, message = read_damaged(data)
    except Declined:
        return
    except Exception:  # noqa: BLE001 - a fast-path bug: fitparse reads the file and says why
        return
    if kind == "eof":
        _damaged(TruncatedFileError, got, path, _TRUNCATED.format(message))
    elif kind == "crc":
        _damaged(CorruptFileError, got, path, _CRC.format(message))
    elif kind == "header":
        _damaged(CorruptFileError, got, path, _HEADER.format(message))
    _damaged(CorruptFileError, got, path, _CORRUPT.format(message))


_TRUNCATED = "FIT file is truncated ({})"
_CRC = "FIT file CRC check failed ({}): the file was altered or damaged"
_HEADER = "a chained FIT section has a corrupt header ({})"
_CORRUPT = "FIT file is corrupt ({})"


def _read_fitparse(data: bytes, path: str) -> Collected:
    """Every message through fitparse, lazily, keeping what was read before any damage."""
    got = Collected()
    try:
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=True)
    except FitCRCError as exc:
        raise CorruptFileError(
            path, f"FIT header CRC check failed ({exc}): the file is damaged"
        ) from None
    except FitEOFError as exc:
        raise TruncatedFileError(path, f"FIT file ends inside its header ({exc})") from None
    except (FitParseError, ValueError) as exc:
        raise CorruptFileError(path, f"not a valid FIT file ({exc})") from None
    try:
        for msg in fit.get_messages():
            take(got, msg)
    except FitEOFError as exc:
        _damaged(TruncatedFileError, got, path, _TRUNCATED.format(exc))
    except FitCRCError as exc:
        _damaged(CorruptFileError, got, path, _CRC.format(exc))
    except FitHeaderError as exc:
        _damaged(CorruptFileError, got, path, _HEADER.format(exc))
    except (FitParseError, ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        _damaged(CorruptFileError, got, path, _CORRUPT.format(exc))
    return got


def _damaged(error: type[CorruptFileError], got: Collected, path: str, problem: str) -> None:
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


def _partial(got: Collected, path: str) -> Any:
    """The records read before the damage as an Activity, or None if they are not usable."""
    if len(got.time) < 2:
        return None
    from workoutcheck.ingest.timeline import build_activity

    try:
        return build_activity(_recording(got, path, strict=False))
    except WorkoutcheckError:
        return None


def _recording(got: Collected, path: str, *, strict: bool) -> RawRecording:
    if len(got.time) == 0:
        raise NoDataError(path, "FIT file has no record messages: there is no recorded run in it")
    sport, sub_sport, keep, notes = _running_part(got, path)
    if strict:
        _check_sessions(got, path)
    time = np.asarray(got.time, dtype=np.float64)
    mask = np.ones(len(time), dtype=bool) if keep is None else keep(time)
    laps = got.laps if keep is None else [lap for lap in got.laps if keep(np.array([lap.start]))[0]]

    def col(values: list[float | None] | np.ndarray) -> np.ndarray | None:
        c = _column(values)
        return None if c is None else c[mask]

    cadence = col(got.cadence)
    if cadence is not None and sport in (
        None,
        "running",
        "walking",
        "hiking",
        "generic",
        "training",
    ):
        cadence = cadence * 2.0  # FIT running cadence counts one leg: steps/min is twice it
    workout = None
    if got.steps:
        workout = Workout(
            got.workout_name, got.workout_sport, tuple(sorted(got.steps, key=lambda s: s.index))
        )
    if got.relative_clock:
        notes.append(
            "the file's clock counts from the watch's power-on: no calendar start time is known"
        )
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


def _running_part(got: Collected, path: str):
    """Pick the running session(s) of a multisport file; refuse files that are not runs."""
    sessions = got.sessions
    sports = [s.sport for s in sessions]
    if not sessions:
        sport = got.sport_msg
        if sport is not None and sport not in FOOT_SPORTS:
            raise NotRunningError(
                path, f"this is a {sport} activity, not a run: workoutcheck checks running sessions"
            )
        return sport, got.sub_sport_msg, None, []
    running = [s for s in sessions if s.sport == "running"]
    if not running:
        other = next((s for s in sports if s is not None and s not in FOOT_SPORTS), None)
        if other is not None:
            raise NotRunningError(
                path, f"this is a {other} activity, not a run: workoutcheck checks running sessions"
            )
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


def _check_sessions(got: Collected, path: str) -> None:
    if not got.sessions and not got.laps and got.file_type == "activity":
        _damaged(
            TruncatedFileError,
            got,
            path,
            "FIT activity ends without any lap or session message: the watch did not finish writing it",
        )
    for s in got.sessions:
        if (
            s.elapsed_s is not None
            and s.timer_s is not None
            and s.timer_s > s.elapsed_s * 1.05 + 60
        ):
            _damaged(
                CorruptFileError,
                got,
                path,
                f"session timer time ({s.timer_s:.0f} s) is longer than its elapsed time "
                f"({s.elapsed_s:.0f} s): the file's times are inconsistent",
            )


def _column(values: list[float | None] | np.ndarray) -> np.ndarray | None:
    """``raw.column`` for the fitparse path's lists; the fast path's arrays are already columns."""
    if isinstance(values, np.ndarray):
        return None if values.size == 0 or np.isnan(values).all() else values
    return column(values)
