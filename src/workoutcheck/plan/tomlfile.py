"""Read a small TOML file given on the command line (profile, roster, schedule) safely.

Whatever the path holds, the answer is the parsed table or one ``error`` naming the file: a
FIFO or a device (``/dev/zero``) is refused before it is read, so it cannot hang or fill
memory; more than ``MAX_TOML_BYTES`` is refused (these files are a few KB); bytes that are
not UTF-8 and nesting deep enough to exhaust the parser's recursion are reported, not raised.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from workoutcheck.errors import WorkoutcheckError

MAX_TOML_BYTES = 1024 * 1024


def read_toml(path: str | Path, what: str, error: type[WorkoutcheckError]) -> dict[str, Any]:
    """The TOML table in ``path`` (``what`` names it in messages: "the profile")."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: cannot read {what}: not a regular file")
        if info.st_size > MAX_TOML_BYTES:
            raise error(f"{path}: {what} is {info.st_size:,} bytes; at most "
                        f"{MAX_TOML_BYTES // 1024} KB expected")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_TOML_BYTES + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: {what} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: {what} is not valid TOML ({exc})") from None
    except RecursionError:
        raise error(f"{path}: {what} nests tables or arrays too deeply to read") from None
