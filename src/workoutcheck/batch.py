"""Check many files at once: in parallel, in task order, one file's trouble never stops the rest.

``run_checks`` runs ``check_file`` over a list of tasks with a small pool of worker processes
(one per core by default; ``jobs=1`` runs them one after another in this process, with no
pool). Results come back in task order whatever order they finish in, and equal what a serial
run gives.

Why not ``concurrent.futures``: a pool there cannot take back one hung task. Here every
worker holds one task at a time over its own pipe, the parent waits on the pipes, the
workers' process sentinels and the earliest deadline together, and so it knows which file a
worker is stuck on:

- a file still running after ``timeout_s`` has its worker killed and replaced: the file's
  result is an error ("took longer than 60 s: skipped");
- each worker's address space may grow by at most ``memory_mb`` (``RLIMIT_AS``, Linux only):
  an allocation beyond it raises ``MemoryError``, which becomes "needed more than 1024 MB";
- any other exception in a worker is a bug, reported as that file's error ("internal error
  while checking: ...", no traceback); a worker that dies outright (a crash in C code, a
  kill) is replaced and its file gets the same kind of error.

Workers are forked where the platform allows it (Linux), after the pipeline and every reader
have been imported, so a worker starts in milliseconds; elsewhere they are spawned and import
them once each. Big files are handed out first, so no worker is left alone with a big file at
the end. Workers ignore Ctrl-C: the parent stops them; and they die with it, even when it is
killed with SIGKILL (``PR_SET_PDEATHSIG``, Linux), so no orphan holds the caller's stdout.
Forking assumes the caller's other threads hold no lock a worker needs (the CLI's progress
bar is refreshed from the callback; the watcher's observer thread only queues paths).
``check_isolated`` runs one check in a one-worker pool: what ``watch`` uses per file.

Test hook (for the test suite only): ``WORKOUTCHECK_TEST_FAULTS="sleep=a.fit,raise=b.fit"``
makes the check of the file named ``a.fit`` sleep for an hour, ``raise`` raise RuntimeError,
``exit`` end the worker abruptly and ``memory`` allocate twice ``memory_mb``. It is read in
the process doing the check (a worker, or this process with ``jobs=1``).
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workoutcheck.check import CheckOptions, check_file
from workoutcheck.plan import Profile
from workoutcheck.score import FileResult, Status

Task = tuple[str, CheckOptions, Profile | None]
Progress = Callable[[int, int], None]

TEST_FAULTS_ENV = "WORKOUTCHECK_TEST_FAULTS"
EXIT_UNCHECKED = 3  # as an unreadable file: the file could not be checked, the others were


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def error_result(path: str, message: str, athlete: str | None = None) -> FileResult:
    """A file that could not be checked: status error, exit code 3."""
    return FileResult(file=path, status=Status.ERROR, error=message, athlete=athlete,
                      exit_code=EXIT_UNCHECKED)


def run_checks(
    tasks: list[Task],
    jobs: int | None,
    *,
    progress: Progress | None = None,
    timeout_s: float = 60.0,
    memory_mb: int = 1024,
) -> list[FileResult]:
    """Check every task's file; the results in task order, one per task, never an exception
    for a single file. ``jobs`` None uses every core; 1 checks in this process, one after
    another, without the time and memory bounds. ``progress(done, total)`` is called after
    each file."""
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    total = len(tasks)
    if progress is not None:
        progress(0, total)
    if jobs == 1 or total == 0:
        results = []
        for task in tasks:
            results.append(_check_task(task, None))
            if progress is not None:
                progress(len(results), total)
        return results
    workers = min(jobs or default_jobs(), total)
    return _Pool(workers, timeout_s, memory_mb, _preload_for(tasks)).run(tasks, progress)


def check_isolated(task: Task, *, timeout_s: float = 60.0, memory_mb: int = 1024) -> FileResult:
    """One check in a worker process of its own, under the bounds a batch has: how ``watch``
    checks each file, so a file that would take minutes or gigabytes, or crash the reader,
    becomes that file's error and the watcher goes on."""
    return _Pool(1, timeout_s, memory_mb, _preload_for([task])).run([task], None)[0]


def _check_task(task: Task, memory_mb: int | None) -> FileResult:
    """One check, every exception turned into the file's error result; ``memory_mb`` is the
    bound in force (None: none, in this process)."""
    path, options, profile = task
    athlete = profile.name if profile is not None else None
    try:
        _test_fault(path, memory_mb)
        return check_file(path, options, profile)
    except MemoryError:
        bound = f"needed more than {memory_mb} MB" if memory_mb is not None else "ran out of memory"
        return error_result(path, f"{bound}: skipped", athlete)
    except Exception as exc:  # a bug: reported as this file's error, the batch goes on
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return error_result(path, f"internal error while checking: {detail}", athlete)


def _test_fault(path: str, memory_mb: int | None) -> None:
    """The test hook described in the module docstring; does nothing unless the variable is set."""
    spec = os.environ.get(TEST_FAULTS_ENV)
    if not spec:
        return
    name = Path(path).name
    for item in spec.split(","):
        kind, _, target = item.partition("=")
        if target != name:
            continue
        if kind == "sleep":
            time.sleep(3600)
        elif kind == "raise":
            raise RuntimeError("test fault")
        elif kind == "exit":
            os._exit(70)
        elif kind == "memory" and memory_mb is not None:
            bytearray(2 * memory_mb * 1024 * 1024)


# --- the pool ----------------------------------------------------------------------------

def _context() -> Any:
    """Fork where it exists (Linux: workers start in milliseconds with the pipeline already
    imported); spawn elsewhere (macOS and Windows, where fork is unsafe or absent)."""
    methods = multiprocessing.get_all_start_methods()
    fork = "fork" in methods and sys.platform == "linux"
    return multiprocessing.get_context("fork" if fork else "spawn")


PRELOAD = ("workoutcheck.ingest.timeline",)
READERS = {
    ".fit": ("workoutcheck.ingest.fit", "workoutcheck.ingest.fitcombined"),
    ".gpx": ("workoutcheck.ingest.gpx",),
    ".tcx": ("workoutcheck.ingest.tcx",),
}


def _preload_for(tasks: list[Task]) -> tuple[str, ...]:
    """The modules the tasks' files will need: the timeline and the reader of each kind of file
    the names show (all of them for a name that does not, such as .gz). A one-file check then
    does not import gpxpy for a FIT file; a misnamed file just imports its reader on first use."""
    names = list(PRELOAD)
    for suffix in {os.path.splitext(str(task[0]))[1].lower() for task in tasks}:
        for modules in READERS.values() if suffix not in READERS else (READERS[suffix],):
            names += [m for m in modules if m not in names]
    return tuple(names)


def _preload(names: tuple[str, ...]) -> None:
    """Import those readers now (the ingest package imports them on first use), so workers forked
    after this share them instead of each importing them on its first file."""
    for name in names:
        importlib.import_module(name)


def _limit_memory(memory_mb: int) -> None:
    """Let this process's address space grow by at most ``memory_mb`` (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # no bound rather than no check


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux ``PR_SET_PDEATHSIG``),
    even by SIGKILL: an orphaned worker would block forever on its pipe, holding the
    caller's stdout and stderr open, and hang a pipeline reading them."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(0)


def _worker_main(conn: multiprocessing.connection.Connection, memory_mb: int, parent: int,
                 preload: tuple[str, ...] = PRELOAD) -> None:
    """A worker: receive (index, task), send (index, result), until told to stop (None)."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    _preload(preload)  # nothing to do when forked from a parent that preloaded
    _limit_memory(memory_mb)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, task = message
        result = _check_task(task, memory_mb)
        try:
            conn.send((index, result))
        except Exception as exc:  # the result would not pickle: a bug, still one file's error
            conn.send((index, error_result(task[0], "internal error while checking: "
                                                    f"the result could not be sent back ({exc})")))


@dataclass
class _Worker:
    process: Any
    conn: multiprocessing.connection.Connection
    index: int | None = None  # the task it is checking
    deadline: float = 0.0


def _size(path: str) -> int:
    """Bytes in the file: a cheap guess at how long its check takes, so the big ones start first
    and no worker is left with a big file at the end while the others are idle."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _reply(worker: _Worker) -> tuple[int | None, Any]:
    """(index, result) if the worker has replied, (None, None) if it died instead."""
    try:
        return worker.conn.recv() if worker.conn.poll() else (None, None)
    except (EOFError, OSError):
        return None, None


def _how_it_ended(worker: _Worker) -> str:
    worker.process.join(timeout=1.0)
    code = worker.process.exitcode
    if code is None:
        return "no reply"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class _Pool:
    def __init__(self, size: int, timeout_s: float, memory_mb: int, preload: tuple[str, ...] = PRELOAD) -> None:
        self.size, self.timeout_s, self.memory_mb = size, timeout_s, memory_mb
        self.ctx = _context()
        self.preload = preload
        if size > 1 and self.ctx.get_start_method() == "fork":
            _preload(preload)

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=_worker_main, args=(child, self.memory_mb, os.getpid(), self.preload),
                                   name="workoutcheck-worker", daemon=True)
        gc.freeze()  # a forked worker's collector leaves the parent's objects (and pages) alone
        try:
            process.start()
        finally:
            gc.unfreeze()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _stop(worker: _Worker, *, kill: bool) -> None:
        if kill:
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(timeout=None if kill else 5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def run(self, tasks: list[Task], progress: Progress | None) -> list[FileResult]:
        total = len(tasks)
        results: list[FileResult | None] = [None] * total
        pending = deque(sorted(range(total), key=lambda i: -_size(tasks[i][0])))  # big files first
        workers: list[_Worker] = []
        done = 0

        def assign(worker: _Worker) -> None:
            index = worker.index = pending.popleft() if pending else None
            if index is not None:
                worker.deadline = time.monotonic() + self.timeout_s
                worker.conn.send((index, tasks[index]))

        def finish(index: int, result: FileResult) -> None:
            nonlocal done
            results[index] = result
            done += 1
            if progress is not None:
                progress(done, total)

        def replace(worker: _Worker, message: str) -> None:
            """The worker's task becomes an error; a fresh worker takes its place if there is
            work left for it."""
            assert worker.index is not None
            path, _, profile = tasks[worker.index]
            athlete = profile.name if profile is not None else None
            finish(worker.index, error_result(path, message, athlete))
            self._stop(worker, kill=True)
            workers.remove(worker)
            if pending:
                workers.append(self._start())
                assign(workers[-1])

        try:
            for _ in range(self.size):
                workers.append(self._start())
                assign(workers[-1])
            while done < total:
                busy = [w for w in workers if w.index is not None]
                wait_for = min(w.deadline for w in busy) - time.monotonic()
                ready = multiprocessing.connection.wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    timeout=max(0.0, wait_for))
                for worker in busy:
                    if worker.conn in ready or worker.process.sentinel in ready:
                        index, result = _reply(worker)
                        if index is None:
                            replace(worker, "internal error while checking: the worker process "
                                            f"stopped unexpectedly ({_how_it_ended(worker)})")
                            continue
                        finish(index, result)
                        assign(worker)
                now = time.monotonic()
                for worker in list(workers):
                    late = worker.index is not None and now >= worker.deadline
                    if late and not worker.conn.poll():  # a reply already waiting is read next
                        replace(worker, f"took longer than {self.timeout_s:g} s: skipped")
        finally:
            for worker in workers:
                self._stop(worker, kill=worker.index is not None)
        return [r for r in results if r is not None]
