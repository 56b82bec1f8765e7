"""Check watch files as they are dropped into a folder, once each, and write their reports.

Real folders are messy: a sync tool copies a file in pieces, delivers the same run twice under
two names, replaces a run with a corrected version, or puts the old one back; a file is
unreadable, huge, or has a name no report can carry; the watcher is restarted or killed. So
a file is read only after its size and modification time stopped changing for
``stable_polls`` polls; one that then fails to read while it changed less than ``settle``
seconds ago (a copy that stalled) is not final: retried when it changes, reported only once
unchanged for ``settle`` seconds (``_defer``). What was done is recorded by content hash
(``watch_state``), so a duplicate is skipped, a replaced (or reverted) file is checked again,
a duplicate whose original changed gets its own report, and a restart neither repeats nor
misses anything.

Each check runs in a worker process under the batch bounds (``batch.check_isolated``: 60 s
and 1024 MB per file), after the size was checked and before anything is hashed; so no file
can stall, exhaust or crash the watcher. The filesystem observer thread only queues paths;
every check is started from the caller's thread, one at a time, so the state needs no locks.
One watcher per folder (``watch_state.lock``).

Reports are named and written by ``watch_report``; only the input file's name decides where.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from workoutcheck.errors import UsageError, bug_trace, printable
from workoutcheck.plan import Profile
from workoutcheck.run.atomic import check_writable, is_staged_name
from workoutcheck.run.batch import check_isolated, error_result
from workoutcheck.run.files import is_watch_file
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score.result import FileResult, Status
from workoutcheck.watch.report import REPORT_SUFFIXES, html_available, stage_reports, summary_line
from workoutcheck.watch.schedule import Schedule
from workoutcheck.watch.state import STATE_NAME, Done, WatchState, file_digest, lock

_Signature = tuple[int, int, int]  # size, mtime in ns, inode


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: checked (``result`` set) or skipped (``result`` None).

    ``line`` is the one-line summary for a person, or None when there is nothing worth saying
    (a file already checked under the same name, seen again after a restart)."""

    path: Path
    result: FileResult | None
    reports: tuple[Path, ...] = ()
    line: str | None = None


def is_candidate(path: Path, folder: Path) -> bool:
    """A name that may be a watch file to check: directly in ``folder``, a watch suffix, not
    hidden (copy tools write hidden temporary files), not a report and not the state file."""
    name = path.name
    return (
        path.parent == folder
        and is_watch_file(path)
        and not name.startswith(".")
        and not name.endswith(REPORT_SUFFIXES)
        and name != STATE_NAME
    )


class Watcher:
    """Watches ``folder`` (not its subfolders) and checks each new watch file once."""

    def __init__(
        self,
        folder: Path,
        *,
        options: CheckOptions | None = None,
        profile: Profile | None = None,
        schedule: Schedule | None = None,
        out_dir: Path | None = None,
        poll_interval: float = 0.5,
        stable_polls: int = 2,
        on_outcome: Callable[[Outcome], None] | None = None,
        bounds: tuple[float, int] | None = (60.0, 1024),
        settle: float = 30.0,
    ) -> None:
        """``bounds`` (seconds, MB) per file, as for a batch; None checks in this process
        without bounds (for tests that need no worker). A file that fails to read while it
        changed less than ``settle`` seconds ago is not reported yet (``_Unsettled``)."""
        self.folder = Path(folder).absolute()
        self.out_dir = Path(out_dir).absolute() if out_dir is not None else self.folder
        self.options = options or CheckOptions()
        self.profile = profile
        self.schedule = schedule
        self.poll_interval = poll_interval
        self.stable_polls = stable_polls
        self.on_outcome = on_outcome
        self.bounds = bounds
        self._state: WatchState | None = None
        self.html = html_available()
        self._queue: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self._pending: dict[Path, tuple[_Signature | None, int]] = {}
        self._handled: dict[Path, _Signature] = {}  # what each path looked like when handled
        self.settle = settle
        self._unsettled: dict[Path, _Unsettled] = {}

    @property
    def state(self) -> WatchState:
        if self._state is None:
            self._state = WatchState.load(self.folder)
        return self._state

    def process_existing(self, stop_event: threading.Event | None = None) -> list[Outcome]:
        """Check every watch file already in the folder, waiting for any still being written;
        returns when all are done (or ``stop_event`` is set). This is all of ``--once``."""
        stop_event = stop_event or threading.Event()
        self._refuse_unwritable()
        with lock(self.folder):
            self._state = WatchState.load(self.folder)  # what the last watcher left, now
            self._sweep_leftovers()
            self._queue_existing()
            outcomes = self._poll()
            while (self._pending or self._unsettled) and not stop_event.wait(self.poll_interval):
                outcomes += self._poll()
        return outcomes

    def run(
        self, stop_event: threading.Event, *, on_ready: Callable[[], None] | None = None
    ) -> None:
        """Watch until ``stop_event`` is set, then stop and join the observer thread.

        The observer starts before the folder is listed, so a file dropped in between is
        queued twice (harmless) rather than missed."""
        self._refuse_unwritable()
        with lock(self.folder):
            self._state = WatchState.load(self.folder)
            self._sweep_leftovers()
            self._watch(stop_event, on_ready)

    def _sweep_leftovers(self) -> None:
        """Remove the hidden half-installed reports a killed watcher left (a kill in the
        instant between a staged file getting its name and being moved into place leaves
        one, see ``atomic``): under the folder's lock no other watcher is writing them, and
        the state already settled whether their check was done."""
        for where in dict.fromkeys((self.folder, self.out_dir)):
            try:
                names = [p for p in where.iterdir() if is_staged_name(p.name)]
            except OSError:
                continue  # --out not made yet, or unreadable: nothing of ours there
            for leftover in names:
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def _refuse_unwritable(self) -> None:
        """A folder the state (or the reports) cannot be written to is refused before any
        file is checked: every check would be lost."""
        for where in dict.fromkeys((self.folder, self.out_dir)):
            if not where.is_dir():
                continue  # --out is made on the first report
            try:
                check_writable(where)
            except OSError as exc:
                raise UsageError(
                    f"{where}: cannot write in this folder ({exc.strerror or exc}); "
                    "the watcher needs to write its state and reports there"
                ) from None

    def _watch(self, stop_event: threading.Event, on_ready: Callable[[], None] | None) -> None:
        observer = Observer()
        observer.schedule(_Events(self), str(self.folder), recursive=False)
        observer.start()
        try:
            self._queue_existing()
            if on_ready is not None:
                on_ready()
            while not stop_event.is_set():
                self._poll()
                stop_event.wait(self.poll_interval)
        finally:
            observer.stop()
            observer.join(timeout=10)

    def notice(self, path: Path) -> None:
        """Queue ``path`` to be checked once it is stable (called from the observer thread)."""
        path = Path(path)
        if is_candidate(path, self.folder):
            self._queue.put(path)

    def handle(self, path: Path) -> Outcome:
        """Check one complete file now, unless its content was checked before; write its
        reports and record it. Unreadable files get an error report like any other."""
        outcome = self._handle(Path(path).absolute())
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return outcome

    def _handle(self, path: Path) -> Outcome:
        name = path.name
        shown = printable(name)
        if path.is_symlink() and not path.resolve().is_relative_to(self.folder.resolve()):
            return Outcome(path, None, line=f"{shown}: skipped: a link to outside the folder")
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):  # a folder or a pipe with a watch file's name
                return Outcome(path, None, line=f"{shown}: skipped: not a regular file")
            if st.st_size > self.options.max_bytes:  # refused before it is read, even to hash it
                digest = _oversize_key(name, st)
            else:
                digest = file_digest(path)
        except OSError as exc:
            return Outcome(
                path, None, line=f"{shown}: skipped: cannot read ({exc.strerror or exc})"
            )
        done = self.state.get(digest)
        if done is not None and self.state.current(done.file) == digest:  # its reports stand
            if name == done.file or name in done.duplicates:
                return Outcome(path, None)
            self.state.record(digest, replace(done, duplicates=(*done.duplicates, name)))
            return Outcome(
                path,
                None,
                line=f"{shown}: skipped: same content as {printable(done.file)}, already checked",
            )
        if digest.startswith("oversize:"):
            limit = self.options.max_bytes / 1024 / 1024
            result = error_result(
                str(path),
                f"the file is {st.st_size / 1024 / 1024:,.1f} MB, larger "
                f"than the {limit:g} MB limit (--max-size): not read",
            )
        else:
            age = _age(st)  # unchanged this long when read: a slow check must not add to it
            result = self._check(path)
            if _changed_since(path, st):
                # written to while it was hashed or checked (a copy that resumed): what was
                # checked may not be what was hashed, so nothing is recorded; it is taken
                # again once it has stayed the same, as any changed file
                self._pending.setdefault(path, (None, 0))
                return Outcome(path, None)
            if result.status is Status.ERROR and age < self.settle:
                return self._defer(path, st, digest, result)
        return self._finish(path, digest, result)

    def _defer(self, path: Path, st: os.stat_result, digest: str, result: FileResult) -> Outcome:
        """A failed read of a file that changed moments ago: maybe a copy that stalled, so
        not final. Recorded as unsettled; checked again when it changes, reported as it is
        once it stayed unchanged for ``settle`` seconds."""
        self._unsettled[path] = _Unsettled(_signature(st), digest, result)
        message = (result.error or "").removeprefix(f"{result.file}: ")
        self.state.unsettled(digest, path.name, message)
        return Outcome(
            path,
            None,
            line=printable(
                f"{path.name}: not complete yet? ({message}); checked again when it changes, "
                f"reported if unchanged for {self.settle:g} s"
            ),
        )

    def _finish(self, path: Path, digest: str, result: FileResult) -> Outcome:
        """Write ``result`` as the final word on ``digest`` under ``path``'s name."""
        name = path.name
        done = self.state.get(digest)
        replaced = self.state.current(name)
        duplicates = tuple(n for n in done.duplicates if n != name) if done is not None else ()
        reports = self._write(digest, name, result, duplicates)
        if replaced is not None and replaced != digest:
            self._requeue_duplicates_of(replaced)
        line = summary_line(name, result)
        renamed = [
            r.name for r in reports if r.name not in {name + suffix for suffix in REPORT_SUFFIXES}
        ]
        if renamed:
            line += f" (report written as {printable(renamed[0])})"
        return Outcome(path, result, reports, line)

    def _write(
        self, digest: str, name: str, result: FileResult, duplicates: tuple[str, ...]
    ) -> tuple[Path, ...]:
        """Stage the reports, record the intent, move them into place, commit: a kill at any
        point leaves the check either done (reports in place and known) or to be done again."""
        staged = stage_reports(self.out_dir, name, result, html=self.html)
        when = datetime.now(UTC).isoformat(timespec="seconds")
        done = Done(
            name, result.status.value, tuple(s.target.name for s in staged), when, duplicates
        )
        try:
            self.state.begin(digest, done, staged)
            for s in staged:
                s.install()
        except OSError as exc:
            raise UsageError(
                f"{self.out_dir}: cannot write the reports ({exc.strerror or exc}); "
                "the watcher stops, as every later file would fail the same way"
            ) from None
        finally:
            for s in staged:
                s.discard()  # nothing left behind if the state could not be saved
        self.state.commit()
        return tuple(s.target for s in staged)

    def _requeue_duplicates_of(self, digest: str) -> None:
        """The file whose reports stood for ``digest`` now holds something else: the other
        names that content arrived under (skipped as duplicates) are checked again, so one of
        them gets the reports."""
        done = self.state.get(digest)
        for other in done.duplicates if done is not None else ():
            path = self.folder / other
            self._handled.pop(path, None)
            self.notice(path)

    def _check(self, path: Path) -> FileResult:
        """``--plan``, else the file's own workout (both inside ``check_file``), else the
        schedule's plan for the day the run started, else the session described."""
        result = self._check_with(path, self.options)
        if self.schedule is None or result.plan is not None or result.status is Status.ERROR:
            return result
        start = result.activity.start_time if result.activity else None
        chosen = self.schedule.plan_for(start) if start is not None else None
        if chosen is None:
            return result
        plan, key = chosen
        result = self._check_with(path, replace(self.options, plan=plan))
        return replace(result, notes=(f"plan taken from the schedule ({key})", *result.notes))

    def _check_with(self, path: Path, options: CheckOptions) -> FileResult:
        if self.bounds is None:
            return _check_file(path, options, self.profile)
        timeout_s, memory_mb = self.bounds
        return check_isolated(
            (str(path), options, self.profile), timeout_s=timeout_s, memory_mb=memory_mb
        )

    def _queue_existing(self) -> None:
        for path in sorted(self.folder.iterdir()):
            self.notice(path)

    def _poll(self) -> list[Outcome]:
        """One poll: take queued paths, re-stat pending ones, handle those that stayed the
        same for ``stable_polls`` polls. A path unchanged since it was last handled (an event
        from a mere read or a touch of metadata) is dropped without reading it again."""
        while True:
            try:
                path = self._queue.get_nowait()
            except queue.Empty:
                break
            self._pending.setdefault(path, (None, 0))
        outcomes = self._poll_unsettled()
        for path, (seen, count) in list(self._pending.items()):
            try:
                st = os.stat(path)
            except OSError:  # deleted or renamed away before it settled
                del self._pending[path]
                continue
            sig = _signature(st)
            count = count + 1 if sig == seen else 0
            if count < self.stable_polls:
                self._pending[path] = (sig, count)
                continue
            del self._pending[path]
            if self._handled.get(path) != sig:
                self._handled[path] = sig
                outcomes.append(self.handle(path))
        return outcomes

    def _poll_unsettled(self) -> list[Outcome]:
        """Unsettled failures: one that changed is checked again (as any changed file); one
        unchanged for ``settle`` seconds gets its error report now."""
        outcomes = []
        for path, waiting in list(self._unsettled.items()):
            try:
                st = os.stat(path)
            except OSError:
                del self._unsettled[path]
                continue
            if _signature(st) != waiting.signature:
                del self._unsettled[path]
                self._pending.setdefault(path, (None, 0))
            elif _age(st) >= self.settle:
                del self._unsettled[path]
                outcome = self._finish(path, waiting.digest, waiting.result)
                if self.on_outcome is not None:
                    self.on_outcome(outcome)
                outcomes.append(outcome)
        return outcomes


@dataclass(frozen=True)
class _Unsettled:
    """A failed check not yet final: the file as it was then, its content hash, the result."""

    signature: _Signature
    digest: str
    result: FileResult


def _changed_since(path: Path, st: os.stat_result) -> bool:
    """Whether ``path`` is no longer the file ``st`` described (grown, rewritten, replaced,
    or gone)."""
    try:
        return _signature(os.stat(path)) != _signature(st)
    except OSError:
        return True


def _signature(st: os.stat_result) -> _Signature:
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _age(st: os.stat_result) -> float:
    """Seconds since the file last changed: its modification or its inode change time,
    whichever is later (a copy tool may set an old modification time; it cannot set the
    change time)."""
    return time.time() - max(st.st_mtime, st.st_ctime)


def _oversize_key(name: str, st: os.stat_result) -> str:
    """The state's key for a file too large to read (so also to hash): its name, size and
    modification time, so it is reported once, and again only when it changes."""
    ident = f"{st.st_size}:{st.st_mtime_ns}:".encode() + os.fsencode(name)
    return "oversize:" + hashlib.sha256(ident).hexdigest()


def _check_file(path: Path, options: CheckOptions, profile: Profile | None) -> FileResult:
    """``check_file``, except that an unexpected failure on one odd file becomes that file's
    error report instead of ending a watcher that may run for weeks unattended."""
    try:
        return check_file(str(path), options, profile)
    except Exception as exc:  # noqa: BLE001 - reported in the file's own error report
        message = f"{path}: could not be checked (internal error: {type(exc).__name__}: {exc})"
        return FileResult.failed(str(path), message, traceback=bug_trace(exc))


class _Events(FileSystemEventHandler):
    """Forwards the watchdog events that can mean "a file has new content" to the watcher;
    openings, reads and deletions are ignored, so reading a file never queues it again."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in ("created", "modified", "moved", "closed"):
            return
        self.watcher.notice(Path(os.fsdecode(getattr(event, "dest_path", "") or event.src_path)))
