"""A batch's time and memory bounds for a check run in this process, not in a worker.

A worker process gives a check three protections: a time limit, a memory limit and crash
isolation. For a batch of one file the worker is also a fifth of the whole run's CPU
(multiprocessing's imports, the fork, the pages the worker then copies), so ``batch`` checks a
lone file here, and keeps the first two protections with this module:

- time: an interval timer (``signal.setitimer``, SIGALRM) interrupts a check still running
  after ``timeout_s`` by raising ``TimeLimit`` (a ``BaseException``, so no ``except Exception``
  inside a reader swallows it), which the batch turns into that file's "took longer than 60 s"
  error;
- memory: ``RLIMIT_AS`` lets the address space grow by at most ``memory_mb`` during the check
  (Linux), so an allocation beyond it raises ``MemoryError``; the previous limit is restored
  afterwards. The worker bounds itself with the same function (``limit_memory``).

What cannot be kept is isolation: a crash in C code, or a kill, ends this process (with a
non-zero status) instead of one worker. ``usable()`` says whether the bounds can be had here at
all (a POSIX timer, called from the main thread, with no other timer or SIGALRM handler in use);
where not, the batch uses a worker as before.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class TimeLimit(BaseException):
    """The check ran past its time bound."""


def usable() -> bool:
    """Whether ``bounded`` can time a check in this process: SIGALRM and ``setitimer`` exist,
    this is the main thread (only it receives signals), and no one else's timer or SIGALRM
    handler is in place (a test runner's timeout, an application's own alarm)."""
    if not hasattr(signal, "setitimer") or not hasattr(signal, "SIGALRM"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    if signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
        return False
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN)


def bounded(check: Callable[[], T], timeout_s: float, memory_mb: int) -> T:
    """``check()`` under both bounds, each undone afterwards however it ends; raises
    ``TimeLimit`` when the time ran out (``usable()`` must be true)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeLimit

    previous_handler = signal.signal(signal.SIGALRM, expired)
    previous_limit = limit_memory(memory_mb)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            return check()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # a late alarm still reaches the outer finally
    finally:
        signal.signal(signal.SIGALRM, previous_handler)
        restore_memory(previous_limit)


def limit_memory(memory_mb: int) -> tuple[int, int] | None:
    """Let this process's address space grow by at most ``memory_mb`` (Linux only); the limits
    it replaced, for ``restore_memory`` (None: nothing was changed)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + memory_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY:
            limit = min(limit, soft)  # never loosen a limit someone else set
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return soft, hard
    except (ImportError, OSError, ValueError):
        return None  # no bound rather than no check


def restore_memory(previous: tuple[int, int] | None) -> None:
    """Put back the limits ``limit_memory`` replaced."""
    if previous is None:
        return
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, previous)
    except (OSError, ValueError):
        pass
