"""Read a small TOML file given on the command line (profile, roster, schedule) safely.

Whatever the path holds, the answer is the parsed table or one ``error`` naming the file: a
FIFO or a device (``/dev/zero``) is refused before it is read (``read_regular``, which the
watch state uses too), so it cannot hang or fill memory; more than ``MAX_TOML_BYTES`` is refused (these files are a few KB); bytes that are
not UTF-8, nesting deep enough to exhaust the parser's recursion and integers of thousands of
digits are reported, not raised.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from workoutcheck.errors import WorkoutcheckError

MAX_TOML_BYTES = 1024 * 1024


def read_regular(path: str | Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; opened
    non-blocking and checked before reading, so a FIFO or a device is never read. Raises
    ``OSError`` (it cannot be opened or read) or ``ValueError`` (what it is instead)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > limit:
            raise ValueError(f"{info.st_size:,} bytes, more than the {limit:,} expected")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


def read_toml(path: str | Path, what: str, error: type[WorkoutcheckError]) -> dict[str, Any]:
    """The TOML table in ``path`` (``what`` names it in messages: "the profile")."""
    import tomllib  # here: a run without a profile or roster never loads it

    try:
        data = read_regular(path, MAX_TOML_BYTES)
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise error(f"{path}: cannot read {what}: {exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"{path}: {what} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: {what} is not valid TOML ({exc})") from None
    except RecursionError:
        raise error(f"{path}: {what} nests tables or arrays too deeply to read") from None
    except ValueError:  # an integer of thousands of digits (Python's int_max_str_digits)
        raise error(f"{path}: {what} holds a number too long to read") from None
