"""Write a file so that a reader, or a kill at any moment, never sees half of it.

Used for every file workoutcheck writes: ``check --output``, the watcher's reports and its
state. The content goes into an unnamed file (``O_TMPFILE``, Linux) that gets a name only
once complete and synced: a short hidden one in the target's folder, moved over the target
at once with ``os.replace`` (atomic within one file system). So a kill while writing leaves
nothing; a kill in the instant between naming and moving leaves one hidden ``.tmp``. Where
unnamed files are not available the hidden file is named from the start and removed on
every error short of a kill. Hidden names are never mistaken for watch files.

Writing happens in two steps, ``stage`` then ``Staged.install``, so the watcher can record
which file it is about to install (by inode) before it does: see ``watch_state``.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Staged:
    """Complete content under a hidden name, ready to be moved over ``target``."""

    tmp: Path
    target: Path
    inode: int

    def install(self) -> None:
        try:
            os.replace(self.tmp, self.target)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8; an undecodable file name in it is written escaped) to ``path``."""
    stage(path, text).install()


def stage(path: Path, text: str | bytes) -> Staged:
    """``text`` written and synced under a hidden name beside ``path``, not yet in place."""
    data = text.encode("utf-8", "backslashreplace") if isinstance(text, str) else text
    writer = StagedWriter(path)
    try:
        writer.write(data)
    except BaseException:
        writer.abort()
        raise
    return writer.staged()


_STAGED_NAME = re.compile(r"\.workoutcheck-[0-9a-f]{12}\.tmp")


def is_staged_name(name: str) -> bool:
    """Whether ``name`` is one of the hidden names a file is staged under."""
    return _STAGED_NAME.fullmatch(name) is not None


def check_writable(folder: Path) -> None:
    """Raise the ``OSError`` that writing a file in ``folder`` would meet (read-only, full,
    no permission), by staging an empty one and discarding it: so a run that could not
    write its output is refused at the start, not after an hour of checking."""
    StagedWriter(Path(folder) / "probe").abort()


class StagedWriter:
    """A file written piece by piece (a report streamed as a batch goes), then staged whole:
    until ``staged`` nothing of it has a name, so a kill leaves nothing behind."""

    def __init__(self, path: Path) -> None:
        import secrets  # here: a run writing only to stdout never loads hashlib

        self.target = Path(path)
        self.tmp = self.target.parent / f".workoutcheck-{secrets.token_hex(6)}.tmp"
        self.unnamed = _unnamed_file(self.tmp.parent)
        self.fd = (
            os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            if self.unnamed is None
            else self.unnamed
        )

    def write(self, data: bytes) -> None:
        _write_all(self.fd, data)

    def staged(self) -> Staged:
        """Synced, named and ready to ``install``; the writer is closed."""
        try:
            os.fsync(self.fd)
            if self.unnamed is not None:
                _give_name(self.fd, self.tmp)
            return Staged(self.tmp, self.target, os.fstat(self.fd).st_ino)
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            raise
        finally:
            os.close(self.fd)

    def abort(self) -> None:
        os.close(self.fd)
        self.tmp.unlink(missing_ok=True)


def _unnamed_file(folder: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o666)  # the umask decides, as for any file
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None  # this file system has no unnamed files (or the kernel is old)
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
        view = view[os.write(fd, view) :]
