"""A real small file system for fault tests: a tmpfs of a few hundred KiB that can be filled
to the last byte, or remounted read-only. Root sees through chmod, so only a real full or
read-only mount shows what the code does there. Mounting needs root (or CAP_SYS_ADMIN); where
it is not allowed the test is skipped with the reason."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PAGE = 4096  # tmpfs allocates whole pages
FILLER = "filler.bin"


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@contextmanager
def small_tmpfs(where: Path, size_kib: int = 512) -> Iterator[Path]:
    """``where`` mounted as a tmpfs of ``size_kib`` KiB for the block; unmounted after."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command here: the real disk-full and read-only tests need one")
    where.mkdir(parents=True, exist_ok=True)
    done = _mount("-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(where))
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({(done.stderr.strip() or str(done.returncode)).splitlines()[0]}): the real "
            "disk-full and read-only tests need root or CAP_SYS_ADMIN"
        )
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True, check=False).returncode:
            subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def read_only(where: Path) -> None:
    """Remount the tmpfs at ``where`` read-only (writes fail with EROFS, for root too)."""
    done = _mount("-o", "remount,ro", str(where))
    if done.returncode != 0:
        pytest.skip(f"cannot remount a tmpfs read-only here ({done.stderr.strip()})")


def fill(where: Path, leave: int = 0) -> None:
    """Fill the file system at ``where`` to the last page, then give back ``leave`` bytes
    (whole pages) by shortening the filler."""
    path = where / FILLER
    with open(path, "ab", buffering=0) as fh:
        for size in (1 << 16, PAGE, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    if leave:
        os.truncate(path, max(0, path.stat().st_size - leave))


def free(where: Path) -> None:
    """Remove the filler: the disk has room again."""
    (where / FILLER).unlink(missing_ok=True)


def space_left(where: Path) -> int:
    st = os.statvfs(where)
    return st.f_bavail * st.f_frsize
