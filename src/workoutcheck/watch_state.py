"""What ``workoutcheck watch`` has already done in a folder, kept across restarts.

A watcher is stopped and started again (a reboot, a cron run every ten minutes), and files
arrive twice (a sync tool copies the same run under a new name). Keying the record by a
hash of the file's content means a duplicate is recognised whatever its name, and a file
replaced by a new version is checked again because its content differs. The record is
written to a temporary file and moved over the old one with ``os.replace``, so a crash
leaves either the old state or the new one, never half of each.

The file, ``.workoutcheck-state.json`` in the watched folder::

    {"state_version": 1,
     "checked": {"<sha256 of the content>": {"file": "run.fit", "status": "pass",
                 "reports": ["run.fit.report.json", "run.fit.report.html"],
                 "checked_at": "2026-05-01T07:12:03+00:00", "duplicates": ["copy.fit"]}}}
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from workoutcheck.errors import UsageError

STATE_NAME = ".workoutcheck-state.json"
STATE_VERSION = 1


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
    """The folder's record of checked contents; ``record`` saves at once."""

    def __init__(self, folder: Path, checked: dict[str, Done] | None = None) -> None:
        self.path = Path(folder) / STATE_NAME
        self._checked: dict[str, Done] = dict(checked or {})

    @classmethod
    def load(cls, folder: Path) -> WatchState:
        """The state of ``folder`` (empty if it has none). A state file that cannot be read
        stops the watcher rather than being ignored, because ignoring it would check every
        file again."""
        path = Path(folder) / STATE_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(folder)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path}: cannot read the watch state ({exc}); move it away to start afresh") from None
        try:
            if raw["state_version"] != STATE_VERSION:
                raise ValueError(f"state_version {raw['state_version']!r}")
            checked = {
                str(digest): Done(str(e["file"]), str(e["status"]), tuple(map(str, e["reports"])),
                                  str(e["checked_at"]), tuple(map(str, e.get("duplicates", ()))))
                for digest, e in raw["checked"].items()
            }
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UsageError(f"{path}: not a workoutcheck watch state ({exc}); move it away to start afresh") from None
        return cls(folder, checked)

    def get(self, digest: str) -> Done | None:
        return self._checked.get(digest)

    def __len__(self) -> int:
        return len(self._checked)

    def record(self, digest: str, done: Done) -> None:
        """Remember ``digest`` as done and save the whole state atomically."""
        self._checked[digest] = done
        self.save()

    def save(self) -> None:
        payload = {
            "state_version": STATE_VERSION,
            "checked": {
                d: {**asdict(e), "reports": list(e.reports), "duplicates": list(e.duplicates)}
                for d, e in self._checked.items()
            },
        }
        write_atomically(self.path, json.dumps(payload, indent=1, sort_keys=True) + "\n")


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the whole new one, and a
    kill at any moment leaves no half-written file behind.

    The content is written into an unnamed file (``O_TMPFILE``, Linux) that only gets a name
    once complete: a hidden one in the same folder, moved over ``path`` at once (``os.replace``
    is atomic only within one file system). Where unnamed files are not available the hidden
    file is named from the start and removed on any error. Its name is never mistaken for a
    watch file. Text that cannot be UTF-8 (an undecodable file name) is written escaped.
    """
    data = text.encode("utf-8", "backslashreplace") if isinstance(text, str) else text
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    unnamed = _unnamed_file(path.parent)
    named = unnamed is None
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666) if unnamed is None else unnamed
    try:
        _write_all(fd, data)
        os.fsync(fd)
        if not named:
            _give_name(fd, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def _unnamed_file(folder: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o666)  # the umask decides
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # this file system has no unnamed files (or an old kernel)
        raise


def _give_name(fd: int, name: Path) -> None:
    """linkat(2) of an unnamed file through /proc/self/fd, following that magic link (plain
    ``os.link`` would link the link itself and fail)."""
    proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(fd), name, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes: the identity of a run, whatever the file is called."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
