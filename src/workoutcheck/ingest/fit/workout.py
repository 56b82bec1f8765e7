"""The structured workout in a FIT file, read as a plan (``--plan-file session.fit``).

A workout file (Garmin Connect's export, ``workoutcheck workout``) holds no records, so it
is not an activity: only its ``workout`` and ``workout_step`` messages are read, by the same
code that reads the workout embedded in an activity (``fitmsgs.take``). An activity with an
embedded workout works too.
"""

from __future__ import annotations

import io
from pathlib import Path

import fitparse
from fitparse.utils import FitParseError

from workoutcheck.errors import PlanError
from workoutcheck.ingest.fit.messages import Collected, take
from workoutcheck.model import Workout

MAX_WORKOUT_BYTES = 50 * 1024 * 1024  # an activity carrying a workout may be this large


def is_fit(path: Path) -> bool:
    """Does the file start like a FIT file? (False when it cannot be read: the caller says why.)"""
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError:
        return False
    return len(head) == 12 and head[8:12] == b".FIT"


def read_workout_file(path: Path) -> Workout:
    """The workout stored in ``path``; raises PlanError if there is none or the file is damaged."""
    try:
        size = path.stat().st_size
        if size > MAX_WORKOUT_BYTES:
            raise PlanError(
                f"{path}: the plan file is {size // (1024 * 1024)} MB, too large for a FIT workout"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise PlanError(f"{path}: cannot read the plan file: {exc.strerror or exc}") from None
    got = Collected()
    try:
        for msg in fitparse.FitFile(io.BytesIO(data), check_crc=True).get_messages():
            if msg.name in ("workout", "workout_step", "file_id"):
                take(got, msg)
    except (FitParseError, ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        raise PlanError(f"{path}: the FIT plan file is damaged ({exc})") from None
    if not got.steps:
        raise PlanError(
            f"{path}: this FIT file holds no workout steps (give a workout file, "
            "e.g. one written by workoutcheck workout or exported from Garmin "
            "Connect)"
        )
    return Workout(
        got.workout_name, got.workout_sport, tuple(sorted(got.steps, key=lambda s: s.index))
    )
