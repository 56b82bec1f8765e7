"""Check many files at once: in parallel, in task order, one file's trouble never stops the rest.

``run_checks`` runs ``check_file`` over a list of tasks with a small pool of worker processes
(one per core by default; ``jobs=1`` runs them one after another in this process, with no
pool). Results come back in task order whatever order they finish in, and equal what a serial
run gives. A batch of one file is checked in this process too, under the same time and memory
bounds (``run.guard``: an interval timer and ``RLIMIT_AS``), since a worker would cost a fifth
of the run; what it gives up is crash isolation: a crash in C code or a kill during that check
ends the process, which for one file ends the run either way.

Why not ``concurrent.futures``: a pool there cannot take back one hung task. Here every
worker holds one task at a time over its own pipe, the parent waits on the pipes, the
workers' process sentinels and the earliest deadline together, and so it knows which file a
worker is stuck on:

- a file still running after ``timeout_s`` has its worker killed and replaced: the file's
  result is an error ("took longer than 60 s: skipped");
- each worker's address space may grow by at most ``memory_mb`` (``RLIMIT_AS``, Linux only):
  an allocation beyond it raises ``MemoryError``, which becomes "needed more than 1024 MB";
- any other exception in a worker is a bug, reported as that file's error ("internal error
  while checking: ...") with its traceback, compact, in ``FileResult.traceback`` (the CLI
  prints it on stderr; no report holds it); a worker that dies outright (a crash in C code, a
  kill) is replaced and its file gets the same kind of error.

Workers are forked where the platform allows it (Linux), after the pipeline and every reader
have been imported, so a worker starts in milliseconds; elsewhere they are spawned and import
them once each. Big files are handed out first, so no worker is left alone with a big file at
the end. Workers ignore Ctrl-C: the parent stops them; and they die with it, even when it is
killed with SIGKILL (``PR_SET_PDEATHSIG``, Linux), so no orphan holds the caller's stdout.
Forking assumes the caller's other threads hold no lock a worker needs (the CLI's progress
bar is refreshed from the callback; the watcher's observer thread only queues paths).
``check_isolated`` runs one check in a one-worker pool: what ``watch`` uses per file.

Streaming (``iter_checks``): results are yielded in task order as soon as each is ready, and
the pool never runs more than ``window`` tasks ahead of the first one not yet yielded (big
files first within each window), so a batch of 60,000 files holds a few hundred results at
most, not all of them. ``keep_series=False`` drops the chart data (``FileResult.series``,
three quarters of a result, used only by the HTML report) in the worker, before the result
is sent back. The executor seam: ``iter_checks`` runs its tasks on any ``Executor`` (an
object whose ``run(tasks, progress)`` yields one result per task, in order); ``LocalPool``
(these worker processes with their bounds) and ``InProcess`` (``jobs=1``) are the two here;
``Bounded`` (one file, in this process, with the bounds) is the third; every one of them runs
``check_task``, so a distributed engine can run the same function.

Test hook (for the test suite only): ``WORKOUTCHECK_TEST_FAULTS="sleep=a.fit,raise=b.fit"``
makes the check of the file named ``a.fit`` sleep for an hour, ``raise`` raise RuntimeError,
``exit`` end the worker abruptly, ``kill`` SIGKILL it, and ``memory`` allocate twice
``memory_mb``. It is read in the process doing the check (a worker, or this process with
``jobs=1`` or a single file).
"""

from __future__ import annotations

import functools
import gc
import importlib
import itertools
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import replace as _replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workoutcheck.errors import ExitCode, bug_trace
from workoutcheck.ingest.readers import READERS as REGISTERED
from workoutcheck.plan import Profile
from workoutcheck.run import guard
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score import FileResult

if TYPE_CHECKING:  # multiprocessing is imported only where a pool is started
    import multiprocessing.connection

Task = tuple[str, CheckOptions, Profile | None]
Progress = Callable[[int, int], None]

TEST_FAULTS_ENV = "WORKOUTCHECK_TEST_FAULTS"
EXIT_UNCHECKED = (
    ExitCode.UNREADABLE
)  # as an unreadable file: the file could not be checked, the others were


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def error_result(
    path: str, message: str, athlete: str | None = None, *, traceback: str | None = None
) -> FileResult:
    """A file that could not be checked: status error, exit code 3 (``traceback``: a bug's)."""
    return FileResult.failed(
        path, message, athlete=athlete, exit_code=EXIT_UNCHECKED, traceback=traceback
    )


def run_checks(
    tasks: list[Task],
    jobs: int | None,
    *,
    progress: Progress | None = None,
    timeout_s: float = 60.0,
    memory_mb: int = 1024,
    keep_series: bool = True,
) -> list[FileResult]:
    """Check every task's file; the results in task order, one per task, never an exception
    for a single file. ``jobs`` None uses every core; 1 checks in this process, one after
    another, without the time and memory bounds; a single task is checked in this process
    under them (``Bounded``). ``progress(done, total)`` is called after each file."""
    return list(
        iter_checks(
            tasks,
            jobs,
            progress=progress,
            timeout_s=timeout_s,
            memory_mb=memory_mb,
            keep_series=keep_series,
        )
    )


def iter_checks(
    tasks: list[Task],
    jobs: int | None = None,
    *,
    progress: Progress | None = None,
    timeout_s: float = 60.0,
    memory_mb: int = 1024,
    keep_series: bool = True,
    executor: Executor | None = None,
) -> Iterator[FileResult]:
    """``run_checks`` as a stream: each result in task order as soon as it and those before
    it are done. ``executor`` (default: ``LocalPool`` with these bounds, ``InProcess`` for
    ``jobs=1``, ``Bounded`` for a single task) decides where the checks run."""
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    total = len(tasks)
    if progress is not None:
        progress(0, total)
    if total == 0:
        return iter(())
    if executor is None:
        if jobs == 1:
            executor = InProcess(keep_series)
        elif total == 1 and guard.usable():
            executor = Bounded(timeout_s, memory_mb, keep_series=keep_series)
        else:
            executor = LocalPool(
                min(jobs or default_jobs(), total),
                timeout_s,
                memory_mb,
                keep_series=keep_series,
                preload=_preload_for(tasks),
            )
    return executor.run(tasks, progress)


class Executor:
    """Where checks run: ``run`` yields ``check_task``'s result for each task, in task order,
    never raising for one file (a task it could not run becomes that file's error)."""

    def run(self, tasks: list[Task], progress: Progress | None) -> Iterator[FileResult]:
        raise NotImplementedError


class InProcess(Executor):
    """One after another in this process, without bounds (``--jobs 1``)."""

    def __init__(self, keep_series: bool = True) -> None:
        self.keep_series = keep_series

    def run(self, tasks: list[Task], progress: Progress | None) -> Iterator[FileResult]:
        for done, task in enumerate(tasks, 1):
            yield check_task(task, None, keep_series=self.keep_series)
            if progress is not None:
                progress(done, len(tasks))


class Bounded(Executor):
    """In this process, one after another, each file under ``timeout_s`` and ``memory_mb`` as
    in a worker (``run.guard``), with the same results and errors, but no isolation: a crash
    in C code or a kill ends this process. What a batch of one file uses (``guard.usable()``
    must be true: the main thread, no other timer)."""

    def __init__(self, timeout_s: float = 60.0, memory_mb: int = 1024, *, keep_series: bool = True):
        self.timeout_s, self.memory_mb, self.keep_series = timeout_s, memory_mb, keep_series

    def run(self, tasks: list[Task], progress: Progress | None) -> Iterator[FileResult]:
        for done, task in enumerate(tasks, 1):
            try:
                result = guard.bounded(
                    functools.partial(
                        check_task, task, self.memory_mb, keep_series=self.keep_series
                    ),
                    self.timeout_s,
                    self.memory_mb,
                )
            except guard.TimeLimit:
                athlete = task[2].name if task[2] is not None else None
                result = error_result(task[0], _late(self.timeout_s), athlete)
            yield result
            if progress is not None:
                progress(done, len(tasks))


def _late(timeout_s: float) -> str:
    """The error of a file whose check ran out of time, wherever it ran."""
    return f"took longer than {timeout_s:g} s: skipped"


def check_task(task: Task, memory_mb: int | None, *, keep_series: bool = True) -> FileResult:
    """The task function every executor runs: one check, never raising (``_check_task``),
    without its chart data unless ``keep_series``."""
    result = _check_task(task, memory_mb)
    return result if keep_series or result.series is None else _replace(result, series=None)


def check_isolated(task: Task, *, timeout_s: float = 60.0, memory_mb: int = 1024) -> FileResult:
    """One check in a worker process of its own, under the bounds a batch has: how ``watch``
    checks each file, so a file that would take minutes or gigabytes, or crash the reader,
    becomes that file's error and the watcher goes on."""
    return next(
        iter(LocalPool(1, timeout_s, memory_mb, preload=_preload_for([task])).run([task], None))
    )


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
    except Exception as exc:  # noqa: BLE001 - a bug: reported as this file's error, the batch goes on
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return error_result(
            path, f"internal error while checking: {detail}", athlete, traceback=bug_trace(exc)
        )


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
        elif kind == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif kind == "memory" and memory_mb is not None:
            bytearray(2 * memory_mb * 1024 * 1024)


# --- the pool ----------------------------------------------------------------------------


def _context() -> Any:
    """Fork where it exists (Linux: workers start in milliseconds with the pipeline already
    imported); spawn elsewhere (macOS and Windows, where fork is unsafe or absent)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    fork = "fork" in methods and sys.platform == "linux"
    return multiprocessing.get_context("fork" if fork else "spawn")


PRELOAD = ("workoutcheck.ingest.timeline",)
READERS = {r.suffix: r.preload for r in REGISTERED}  # from the reader registry


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


def _worker_main(
    conn: multiprocessing.connection.Connection,
    memory_mb: int,
    parent: int,
    preload: tuple[str, ...] = PRELOAD,
    keep_series: bool = True,
) -> None:
    """A worker: receive (index, task), send (index, result), until told to stop (None)."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    _preload(preload)  # nothing to do when forked from a parent that preloaded
    guard.limit_memory(memory_mb)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, task = message
        result = check_task(task, memory_mb, keep_series=keep_series)
        try:
            conn.send((index, result))
        except Exception as exc:  # noqa: BLE001 - the result would not pickle: a bug, still one file's error
            conn.send(
                (
                    index,
                    error_result(
                        task[0],
                        f"internal error while checking: the result could not be sent back ({exc})",
                        traceback=bug_trace(exc),
                    ),
                )
            )


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


def _dispatch_order(tasks: list[Task], window: int) -> Iterator[int]:
    """Task indices window by window, the biggest files first within each window."""
    for start in range(0, len(tasks), window):
        chunk = range(start, min(start + window, len(tasks)))
        yield from sorted(chunk, key=lambda i: -_size(tasks[i][0]))


class LocalPool(Executor):
    """Worker processes on this machine, each file under ``timeout_s`` and ``memory_mb``."""

    def __init__(
        self,
        size: int,
        timeout_s: float = 60.0,
        memory_mb: int = 1024,
        *,
        keep_series: bool = True,
        window: int | None = None,
        preload: tuple[str, ...] = PRELOAD,
    ) -> None:
        self.size, self.timeout_s, self.memory_mb = size, timeout_s, memory_mb
        self.keep_series = keep_series
        self.window = window or max(64, 8 * size)
        self.ctx = _context()
        self.preload = preload
        if size > 1 and self.ctx.get_start_method() == "fork":
            _preload(preload)

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(
            target=_worker_main,
            args=(child, self.memory_mb, os.getpid(), self.preload, self.keep_series),
            name="workoutcheck-worker",
            daemon=True,
        )
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

    def run(self, tasks: list[Task], progress: Progress | None) -> Iterator[FileResult]:
        from multiprocessing.connection import wait

        total = len(tasks)
        results: dict[int, FileResult] = {}  # finished, not yet yielded
        order = _dispatch_order(tasks, self.window)
        ahead: deque[int] = deque()  # taken from ``order`` but held back by the window
        workers: list[_Worker] = []
        done = 0
        next_out = 0  # the first index not yet yielded

        def next_index() -> int | None:
            if not ahead:
                ahead.extend(itertools.islice(order, 1))
            if ahead and ahead[0] < next_out + 2 * self.window:
                return ahead.popleft()
            return None

        def assign(worker: _Worker) -> None:
            index = worker.index = next_index()
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
            """The worker's task becomes an error; a fresh worker takes its place."""
            assert worker.index is not None
            path, _, profile = tasks[worker.index]
            athlete = profile.name if profile is not None else None
            finish(worker.index, error_result(path, message, athlete))
            self._stop(worker, kill=True)
            workers.remove(worker)
            if done + len([w for w in workers if w.index is not None]) < total:
                workers.append(self._start())
                assign(workers[-1])

        try:
            for _ in range(self.size):
                workers.append(self._start())
                assign(workers[-1])
            while next_out < total:
                while next_out in results:
                    yield results.pop(next_out)
                    next_out += 1
                if next_out >= total:
                    break
                for worker in workers:
                    if worker.index is None:
                        assign(worker)
                busy = [w for w in workers if w.index is not None]
                wait_for = min(w.deadline for w in busy) - time.monotonic()
                ready = wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    timeout=max(0.0, wait_for),
                )
                for worker in busy:
                    if worker.conn in ready or worker.process.sentinel in ready:
                        index, result = _reply(worker)
                        if index is None:
                            replace(
                                worker,
                                "internal error while checking: the worker process "
                                f"stopped unexpectedly ({_how_it_ended(worker)})",
                            )
                            continue
                        finish(index, result)
                        assign(worker)
                now = time.monotonic()
                for worker in list(workers):
                    late = worker.index is not None and now >= worker.deadline
                    if late and not worker.conn.poll():  # a reply already waiting is read next
                        replace(worker, _late(self.timeout_s))
        finally:
            for worker in workers:
                self._stop(worker, kill=worker.index is not None)
