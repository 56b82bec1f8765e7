"""What ``workoutcheck watch`` has already done in a folder, kept across restarts.

A watcher is stopped and started again (a reboot, a cron run every ten minutes, a kill), and
files arrive twice (a sync tool copies the same run under a new name). Keying the record by a
hash of the file's content means a duplicate is recognised whatever its name, and a file
replaced by a new version is checked again because its content differs. Which content's
reports stand under each name is recorded too, so a file reverted to an older version gets
that version's reports back.

The file, ``.workoutcheck-state.json`` in the watched folder, is a log of JSON lines, appended
to (and synced) once per event, so a folder of 50,000 runs costs one short line per file,
not a rewrite of everything::

    {"state_version": 2}
    {"done": "<sha256>", "file": "run.fit", "status": "pass", "checked_at": "2026-05-01T07:12:03+00:00",
     "reports": ["run.fit.report.json", "run.fit.report.html"], "duplicates": ["copy.fit"]}
    {"name": "run.fit", "digest": "<sha256>"}
    {"intent": "<sha256>", "inodes": [[ "run.fit.report.json", 1234], ...], "done": {...}}
    {"commit": "<sha256>"}           (or {"abandon": ...}: the intent found not carried out)
    {"unsettled": "<sha256>", "file": "run.gpx", "error": "broken XML ...", "seen_at": "..."}

An ``unsettled`` line is a failed read that is not final: the file had changed moments before
(a copy that stalled), so no report was written; it is checked again when it changes, and
gets its error report (a ``done`` line) only once unchanged for ``--settle`` seconds. It is
dropped when that name gets a final result, and tells a person why a file has no report yet.

A check is recorded in two steps around moving its reports into place: an ``intent`` naming
the reports' new inodes, then a ``commit``. After a kill between the two, the next start
finds the reports in place with those inodes and takes the check as done instead of
checking the file again (or finds them not in place and checks it again). A torn last line
(a kill mid-append) is ignored. When the log holds many superseded lines it is compacted,
atomically, on load. A version-1 state (one JSON document) is read and converted.

The log is read only if it is a regular file of sane size: a FIFO, a link to ``/dev/zero``
or elsewhere, or a huge file stops the watcher with one line, as does a line that is not a
record (deep nesting, a 5,000-digit number), because guessing would check every file again.
``lock`` keeps a second watcher off the folder.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workoutcheck.errors import UsageError
from workoutcheck.plan.tomlfile import read_regular
from workoutcheck.run.atomic import Staged, write_atomically

STATE_NAME = ".workoutcheck-state.json"
STATE_VERSION = 2
MAX_STATE_BYTES = 512 * 1024 * 1024  # ~2 million files' records


@dataclass(frozen=True)
class Done:
    """One checked content: the file name it was checked under, its status, its reports, and
    other names the same content arrived under (said once, then skipped quietly)."""

    file: str
    status: str
    reports: tuple[str, ...]
    checked_at: str
    duplicates: tuple[str, ...] = ()


class WatchState:
    """The folder's record of checked contents; every change is appended at once."""

    def __init__(
        self,
        folder: Path,
        checked: dict[str, Done] | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        self.path = Path(folder) / STATE_NAME
        self._checked: dict[str, Done] = dict(checked or {})
        self._names: dict[str, str] = dict(names or {})  # name -> digest whose reports stand there
        self._pending: tuple[str, Done] | None = None
        self._unsettled: dict[str, dict] = {}  # name -> its "unsettled" record
        self._unsaved: dict | None = None  # how a dangling intent was settled, appended next

    # --- reading -----------------------------------------------------------------------
    @classmethod
    def load(cls, folder: Path) -> WatchState:
        """The state of ``folder`` (empty if it has none); see the module docstring."""
        state = cls(folder)
        text = _read_state(state.path)
        if text is None:
            return state
        lines = text.splitlines(keepends=True)
        if not lines or (len(lines) == 1 and not text.endswith("\n") and _head(text) is None):
            return state  # nothing, or the very first append torn by a kill
        if _head(lines[0]) != {"state_version": STATE_VERSION}:
            try:
                whole = json.loads(text)
            except (ValueError, RecursionError) as exc:
                raise state._bad(f"not a workoutcheck watch state ({_why(exc)})") from None
            state._load_v1(whole)
            state._compact()
            return state
        superseded = state._replay(lines)
        if superseded > 2 * (len(state._checked) + len(state._names)) + 1000:
            state._compact()
        return state

    def _replay(self, lines: list[str]) -> int:
        """Apply the log; returns how many lines are superseded (for compaction)."""
        intent: dict | None = None
        for number, line in enumerate(lines, 1):
            last = number == len(lines)
            if number == 1:
                continue  # the header, checked by load
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise TypeError("a record is not an object")
                if "intent" in record:
                    intent = record
                    continue
                if "commit" in record:
                    if intent is not None and intent["intent"] == record["commit"]:
                        self._apply(str(intent["intent"]), _done(intent["done"]))
                    intent = None
                elif "abandon" in record:
                    intent = None
                elif "done" in record:
                    self._checked[str(record["done"])] = _done(record)
                elif "unsettled" in record:
                    self._unsettled[_text(record["file"])] = _unsettled_record(record)
                elif "name" in record:
                    self._names[str(record["name"])] = str(record["digest"])
                else:
                    raise ValueError("an unknown record")
            except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
                if last and not line.endswith("\n"):
                    break  # torn by a kill in mid-append: that event never happened
                raise self._bad(
                    f"line {number} is not a watch state record ({_why(exc)})"
                ) from None
        if intent is not None:
            self._settle(intent)
        return len(lines) - 1 - len(self._checked) - len(self._names) - len(self._unsettled)

    def _settle(self, intent: dict) -> None:
        """A kill came between moving a check's reports into place and committing it: if
        every report is the file the intent named, the check is done; else it never was."""
        try:
            placed = [(self.path.parent / name, int(ino)) for name, ino in intent["inodes"]]
            done = _done(intent["done"])
        except (KeyError, TypeError, ValueError):
            return
        if all(_inode(path) == ino for path, ino in placed):
            self._apply(str(intent["intent"]), done)
        self._unsaved = (
            {"commit": str(intent["intent"])}
            if all(_inode(path) == ino for path, ino in placed)
            else {"abandon": str(intent["intent"])}
        )

    def _load_v1(self, raw: object) -> None:
        try:
            assert isinstance(raw, dict)
            if raw["state_version"] != 1:
                raise ValueError(f"state_version {raw['state_version']!r}")
            for digest, e in raw["checked"].items():
                self._apply(str(digest), _done(e))
        except (KeyError, TypeError, ValueError, AttributeError, AssertionError) as exc:
            raise self._bad(f"not a workoutcheck watch state ({_why(exc)})") from None

    def _bad(self, what: str) -> UsageError:
        return UsageError(f"{self.path}: {what}; move it away to start afresh")

    # --- queries -----------------------------------------------------------------------
    def get(self, digest: str) -> Done | None:
        return self._checked.get(digest)

    def current(self, name: str) -> str | None:
        """The content whose reports stand under ``name`` now (None: none yet)."""
        return self._names.get(name)

    def waiting(self, name: str) -> dict | None:
        """The ``unsettled`` record of ``name`` if its last read failed and was not final."""
        return self._unsettled.get(name)

    def __len__(self) -> int:
        return len(self._checked)

    # --- changes -----------------------------------------------------------------------
    def record(self, digest: str, done: Done) -> None:
        """Remember ``digest`` as done (a duplicate's name added, or a check whose reports
        were written in one step) and append it."""
        self._apply(digest, done)
        self._append({"done": digest, **_entry(done)})
        self._append({"name": done.file, "digest": digest})

    def unsettled(self, digest: str, name: str, error: str) -> None:
        """``name`` (content ``digest``) failed to read moments after it changed: not final."""
        when = datetime.now(UTC).isoformat(timespec="seconds")
        record = {"unsettled": digest, "file": name, "error": error, "seen_at": when}
        self._unsettled[name] = record
        self._append(record)

    def begin(self, digest: str, done: Done, staged: list[Staged]) -> None:
        """About to move ``staged`` reports into place for ``done``: recorded first, so a
        kill before ``commit`` is settled on the next load."""
        inodes = [
            [s.target.name if s.target.parent == self.path.parent else str(s.target), s.inode]
            for s in staged
        ]
        self._pending = (digest, done)
        self._append({"intent": digest, "inodes": inodes, "done": _entry(done)})

    def commit(self) -> None:
        assert self._pending is not None
        digest, done = self._pending
        self._pending = None
        self._apply(digest, done)
        self._append({"commit": digest})

    def _apply(self, digest: str, done: Done) -> None:
        self._checked[digest] = done
        self._names[done.file] = digest
        self._unsettled.pop(done.file, None)

    def _append(self, record: dict) -> None:
        line = (json.dumps(record, sort_keys=True) + "\n").encode("ascii")
        if self._unsaved is not None:
            line = (json.dumps(self._unsaved, sort_keys=True) + "\n").encode("ascii") + line
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o666)
        except OSError as exc:
            raise _cannot_save(self.path, exc) from None
        size = None
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                line = (json.dumps({"state_version": STATE_VERSION}) + "\n").encode("ascii") + line
            if os.write(fd, line) != len(line):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            os.fsync(fd)
        except OSError as exc:
            _cut_back(fd, size)
            raise _cannot_save(self.path, exc) from None
        finally:
            os.close(fd)
        self._unsaved = None

    def _compact(self) -> None:
        """Rewrite the log with only what is live, atomically."""
        lines: list[dict[str, Any]] = [{"state_version": STATE_VERSION}]
        lines += [{"done": d, **_entry(e)} for d, e in self._checked.items()]
        lines += [{"name": n, "digest": d} for n, d in self._names.items()]
        lines += list(self._unsettled.values())
        try:
            write_atomically(
                self.path, "".join(json.dumps(r, sort_keys=True) + "\n" for r in lines)
            )
        except OSError as exc:
            raise _cannot_save(self.path, exc) from None
        self._unsaved = None


@contextmanager
def lock(folder: Path) -> Iterator[None]:
    """Hold the folder for one watcher: a second one on the same folder (two cron runs
    overlapping, a forgotten terminal) would check every file twice. An advisory ``flock``
    on the folder itself, released when the process ends however it ends."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot open the folder ({exc.strerror or exc})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(
                f"{folder}: another workoutcheck watch is already watching this "
                "folder; stop it first (one watcher per folder)"
            ) from None
        yield
    finally:
        os.close(fd)  # releases the lock


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes: the identity of a run, whatever the file is called."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_state(path: Path) -> str | None:
    """The log's text, or None if there is none; only a regular file of sane size is read,
    never through a link."""
    afresh = "move it away to start afresh"
    try:
        data = read_regular(path, MAX_STATE_BYTES, follow_links=False)
    except FileNotFoundError:
        return None
    except OSError as exc:
        why = (
            "a link; the state is never read through a link"
            if exc.errno == errno.ELOOP
            else exc.strerror or str(exc)
        )
        raise UsageError(f"{path}: cannot read the watch state ({why}); {afresh}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: the watch state is {exc}; {afresh}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: the watch state is not UTF-8 (byte {exc.start}); {afresh}"
        ) from None


def _head(line: str) -> object:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


def _done(e: object) -> Done:
    if not isinstance(e, dict):
        raise TypeError("a record is not an object")
    return Done(
        _text(e["file"]),
        _text(e["status"]),
        tuple(map(_text, e["reports"])),
        _text(e["checked_at"]),
        tuple(map(_text, e.get("duplicates", ()))),
    )


def _unsettled_record(record: dict) -> dict:
    return {
        "unsettled": _text(record["unsettled"]),
        "file": _text(record["file"]),
        "error": _text(record["error"]),
        "seen_at": _text(record["seen_at"]),
    }


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _entry(done: Done) -> dict:
    return {**asdict(done), "reports": list(done.reports), "duplicates": list(done.duplicates)}


def _cut_back(fd: int, size: int | None) -> None:
    """Drop the part of a line a full disk let through (a short write): left there, the next
    append after it would turn a torn last line into a bad line in the middle of the log.
    Shortening a file needs no space; if even that fails, the error already on its way says
    the watcher stops."""
    if size is None:
        return
    try:
        os.ftruncate(fd, size)
    except OSError:
        pass


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path, follow_symlinks=False).st_ino
    except (OSError, ValueError):  # gone, or a name with a NUL byte from a damaged log
        return None


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _cannot_save(path: Path, exc: OSError) -> UsageError:
    return UsageError(
        f"{path}: cannot save the watch state ({exc.strerror or exc}); "
        "the watcher stops so that no file is checked twice"
    )
