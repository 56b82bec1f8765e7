"""Errors a user can cause, each with a message that says what was wrong and what to do.

The CLI catches ``WorkoutcheckError`` in one place and prints its message on one line;
anything else escaping is a bug.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """What the process exit status means, in one place: scripts and CI servers rely on it."""

    OK = 0  # every file checked passed (or only warned)
    FAILED = 1  # a check failed (or warned, with --fail-on warn)
    USAGE = 2  # bad options, plan, profile, roster, schedule or history database
    UNREADABLE = 3  # a watch file could not be read or checked (the others were)
    CLOSED_PIPE = 141  # the output's reader went away (`| head`), as a shell reports SIGPIPE


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def bug_trace(exc: BaseException, *, frames: int = 12) -> str:
    """An internal error's traceback, compact, for a bug report: the exception and its last
    ``frames`` frames, one line each (``workoutcheck/segment/dp.py:120 in _solve: x = 1 / 0``,
    paths from the package's folder), every line ``printable``."""
    import traceback
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    lines = [f"internal error (a bug in workoutcheck): {type(exc).__name__}: {exc}"]
    for frame in traceback.extract_tb(exc.__traceback__)[-frames:]:
        path = Path(frame.filename)
        where = path.relative_to(root) if path.is_relative_to(root) else path
        code = f": {frame.line}" if frame.line else ""
        lines.append(f"  at {where}:{frame.lineno} in {frame.name}{code}")
    return "\n".join(printable(line) for line in lines)


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal: newlines, escape sequences, other
    control and format characters and undecodable bytes (surrogates from a file name that is
    not UTF-8) are written as backslash escapes, so a file named ``a\\nforged.fit: PASS`` cannot
    forge a line and ``\\x1b[2J`` cannot clear the screen. Printable text is kept as it is."""
    if text.isprintable():
        return text
    out = []
    for c in text:
        code = ord(c)
        if c.isprintable():
            out.append(c)
        elif c in _SHORT:
            out.append(_SHORT[c])
        elif 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


class WorkoutcheckError(Exception):
    """Base of every error caused by input, options or plans (never by a bug). The message is
    kept printable (``printable``): it names files, and is printed on one line."""

    exit_code: int = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        message = printable(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(WorkoutcheckError):
    """Bad options or arguments on the command line."""

    exit_code: int = ExitCode.USAGE


class InputError(WorkoutcheckError):
    """A watch file could not be read; ``path`` names it."""

    exit_code: int = ExitCode.UNREADABLE

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class UnknownFormatError(InputError):
    """The content is none of the formats in ``ingest.readers``."""


class CorruptFileError(InputError):
    """The file is of a known format but damaged (bad CRC, bad header, broken XML).

    Where the records before the damage could be read, ``partial`` holds them as an
    ``Activity`` so a caller that accepts partial data (``--partial``) can still use them.
    """

    def __init__(self, path: str, problem: str, partial: Any = None) -> None:
        super().__init__(path, problem)
        self.partial = partial


class TruncatedFileError(CorruptFileError):
    """The file ends early (cut off during copy or upload, or never finished)."""


class NotRunningError(InputError):
    """The activity is not a run (a ride, a swim), so there are no running reps to check."""


class UnsafeXmlError(InputError):
    """The XML declares a DTD or entities, which are never expanded."""


class NoDataError(InputError):
    """The file is readable but holds no usable samples."""


class FileTooLargeError(InputError):
    """The file, or its decompressed content, is larger than the configured limit."""


class PlanError(WorkoutcheckError):
    """A plan text that cannot be understood, or needs a value the profile lacks."""

    exit_code: int = ExitCode.USAGE


class PlanSyntaxError(PlanError):
    """A plan text that does not follow the grammar; carries where and what was expected.

    ``str()`` stays on one line (the CLI prints one line); ``caret`` gives the offending line
    with a caret under the column for callers that want to show it.
    """

    def __init__(self, *, text: str, offset: int, expected: str, found: str | None = None) -> None:
        self.text = text
        self.offset = offset
        self.expected = expected
        self.found = found
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        self.line = text.count("\n", 0, offset) + 1
        self.column = offset - line_start + 1
        self.source_line = text[line_start : line_end if line_end >= 0 else len(text)].rstrip("\r")
        where = f"column {self.column}"
        if "\n" in text.strip("\n"):
            where = f"line {self.line}, {where}"
        got = f", found {found}" if found else ""
        super().__init__(f'plan: expected {expected} at {where}{got}: "{self.source_line}"')

    @property
    def caret(self) -> str:
        """The offending line and a caret under the column, as two lines."""
        return f"  {self.source_line}\n  {' ' * (self.column - 1)}^"


class ProfileError(WorkoutcheckError):
    """An athlete profile or roster TOML that cannot be read; the message names file and key."""

    exit_code: int = ExitCode.USAGE


class HistoryError(WorkoutcheckError):
    """A history database that cannot be opened, read or written; the message names the file."""

    exit_code: int = ExitCode.USAGE
