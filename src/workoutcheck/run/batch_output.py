"""Where a streamed batch's report goes, and how an interrupted one is taken up again.

A batch of thousands of files must neither hold every result until the end nor lose them all
to one crash near it. So the report is written as results arrive (``report.stream``):

- to stdout, flushed after each file;
- ``--format jsonl --output FILE``: appended to FILE line by line, each line flushed, so a
  batch killed at any moment leaves every finished file's line (and at most one torn line);
  ``resume_point`` then finds how many of the files, in order, already have their line, drops
  anything after them, and the batch checks only the rest, appending;
- any other format with ``--output``: streamed into a hidden file that replaces FILE only
  when complete (``atomic.StagedWriter``), as every report workoutcheck writes.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from workoutcheck.errors import UsageError
from workoutcheck.run.atomic import StagedWriter


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "backslashreplace")


class Sink:
    """Bytes of a report, written as they come; ``close`` completes it (``abort`` on error)."""

    def __init__(
        self, output: Path | None, *, append_lines: bool = False, resume: bool = False
    ) -> None:
        self.output = output
        self._file = None
        self._staged: StagedWriter | None = None
        try:
            if output is not None and append_lines:
                self._file = open(output, "ab" if resume else "wb")  # noqa: SIM115 - closed in close()
            elif output is not None:
                self._staged = StagedWriter(output)
        except OSError as exc:
            raise self._cannot(exc) from None

    def write(self, text: str) -> None:
        if not text:
            return
        data = _encoded(text)
        try:
            if self._file is not None:
                self._file.write(data)
                self._file.flush()
            elif self._staged is not None:
                self._staged.write(data)
            else:
                sys.stdout.flush()
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
        except OSError as exc:
            if isinstance(exc, BrokenPipeError) and self.output is None:
                raise  # the reader of stdout went away (| head): the CLI stops quietly
            self.abort()
            raise self._cannot(exc) from None

    def close(self) -> None:
        try:
            if self._file is not None:
                os.fsync(self._file.fileno())
                self._file.close()
            elif self._staged is not None:
                self._staged.staged().install()
        except OSError as exc:
            raise self._cannot(exc) from None
        finally:
            self._file = self._staged = None

    def abort(self) -> None:
        """Leave what was written (JSON Lines) or nothing (a staged file); never raises, as
        it runs while another error is on its way out."""
        try:
            if self._file is not None:
                self._file.close()
            elif self._staged is not None:
                self._staged.abort()
        except OSError:
            pass  # the same full disk again: the lines already flushed stay
        finally:
            self._file = self._staged = None

    def _cannot(self, exc: OSError) -> UsageError:
        return UsageError(f"{self.output}: cannot write the report: {exc.strerror or exc}")


def resume_point(output: Path, files: list[str], seen: Callable[[str], None] | None = None) -> int:
    """How many of ``files``, in order, already have their result line in the JSON Lines
    ``output``; everything after those lines (a torn line, a line for another file) is cut
    off, so appending the rest gives what an uninterrupted run writes. 0 if there is no
    output yet. ``seen`` is told the status of each line kept (for the exit code)."""
    kept = offset = 0
    try:
        with open(output, "rb") as fh:
            for line in fh:
                if kept == len(files) or not line.endswith(b"\n"):
                    break
                try:
                    record = json.loads(line)
                except ValueError:
                    break
                if not isinstance(record, dict) or record.get("file") != files[kept]:
                    break
                kept += 1
                offset += len(line)
                if seen is not None:
                    seen(str(record.get("status")))
        with open(output, "r+b") as fh:
            fh.truncate(offset)
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise UsageError(f"{output}: cannot resume from it: {exc.strerror or exc}") from None
    return kept
