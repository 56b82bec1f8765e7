"""run_checks: parallel equals serial, and one file's hang, crash or bug never stops the batch."""

from __future__ import annotations

import json
import pickle
import sys
import time

import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from workoutcheck.cli import app
from workoutcheck.plan import parse_plan
from workoutcheck.plan.profile import profile_from_dict
from workoutcheck.run.batch import TEST_FAULTS_ENV, run_checks
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score import Status

runner = CliRunner()


def _sample_tasks():  # type: ignore[no-untyped-def]
    """Every committed sample file with the plan of its truth file (and its profile)."""
    tasks = []
    for truth_path in sorted(SAMPLES.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        profile = None
        if truth.get("profile"):
            profile = profile_from_dict(
                {"races": truth["profile"]}, source="truth", default_name="runner"
            )
        options = CheckOptions(plan=parse_plan(truth["plan"]))
        tasks.extend((str(SAMPLES / name), options, profile) for name in truth["files"])
    return tasks


TASKS = _sample_tasks()


@pytest.fixture(scope="module")
def serial():
    """The sample files checked one after another in this process."""
    return run_checks(TASKS, 1)


def _by_name(results, name):  # type: ignore[no-untyped-def]
    return next(r for r in results if r.file.endswith(name))


def test_parallel_equals_serial_in_task_order(serial):
    """Two workers give exactly the serial results, in the order of the tasks."""
    parallel = run_checks(TASKS, 2)
    assert [r.file for r in parallel] == [t[0] for t in TASKS]
    assert parallel == serial
    assert len(serial) == 10
    assert _by_name(serial, "eight_by_400_track.fit").status is Status.FAIL
    assert _by_name(serial, "five_by_1000_track.fit").status is Status.PASS


def test_serial_run_equals_check_file(serial):
    """jobs=1 is nothing but check_file for each task."""
    path, options, profile = TASKS[0]
    assert serial[0] == check_file(path, options, profile)


def test_file_result_pickles(serial):
    """Results cross the process boundary unchanged (every field, the chart series included)."""
    for result in serial:
        assert pickle.loads(pickle.dumps(result)) == result
    assert serial[0].series is not None


def test_progress_counts_every_file():
    """progress(done, total) starts at 0 and ends at the number of files, one step per file."""
    calls: list[tuple[int, int]] = []
    run_checks(TASKS[:4], 2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_more_jobs_than_files():
    """Asking for more workers than files starts no more than needed, and still gives every result."""
    results = run_checks(TASKS[:1], 8)
    assert len(results) == 1 and results[0].status is Status.FAIL


def test_empty_batch_and_bad_jobs():
    """No tasks gives no results; jobs below 1 is a programming error."""
    assert run_checks([], None) == []
    with pytest.raises(ValueError, match="at least 1"):
        run_checks(TASKS, 0)


def test_a_hung_file_times_out_and_the_rest_are_checked(monkeypatch, serial):
    """A file that sleeps past the bound has its worker killed: the file is an error result, a
    fresh worker checks the files after it, and those equal the serial results."""
    monkeypatch.setenv(TEST_FAULTS_ENV, "sleep=eight_by_400_track.fit")
    # the bound is far above a normal file's check even on a busy machine, and far below the
    # fault's hour-long sleep
    results = run_checks(TASKS, 2, timeout_s=8.0)
    slow = _by_name(results, "eight_by_400_track.fit")
    assert slow.status is Status.ERROR
    assert slow.error == "took longer than 8 s: skipped"
    assert slow.exit_code == 3
    others = [(r, s) for r, s in zip(results, serial, strict=True) if r is not slow]
    assert len(others) == 9
    assert all(r == s for r, s in others)


def test_an_exception_is_that_files_internal_error(monkeypatch, serial):
    """A bug raising inside the check becomes one error result, in a worker and in-process."""
    monkeypatch.setenv(TEST_FAULTS_ENV, "raise=progressive_1000s.fit")
    for jobs in (1, 2):
        results = run_checks(TASKS, jobs)
        bad = _by_name(results, "progressive_1000s.fit")
        assert bad.status is Status.ERROR
        assert bad.error == "internal error while checking: RuntimeError: test fault"
        assert [r for r in results if r is not bad] == [s for s in serial if s.file != bad.file]
        # the bug's traceback travels with the result, so the bug can be found
        assert bad.traceback is not None
        first, *frames = bad.traceback.splitlines()
        assert first == "internal error (a bug in workoutcheck): RuntimeError: test fault"
        assert frames[-1].startswith("  at workoutcheck/run/batch.py:")
        assert frames[-1].endswith('in _test_fault: raise RuntimeError("test fault")')
        assert any("in _check_task" in f for f in frames)


def test_a_bugs_traceback_is_printed_on_stderr_and_kept_out_of_the_report(monkeypatch):
    """``check`` goes on past a file whose check raised, says its error, and prints where the
    bug was raised on stderr, one line a frame; the JSON report is as without the traceback."""
    monkeypatch.setenv(TEST_FAULTS_ENV, "raise=progressive_1000s.fit")
    bad = str(SAMPLES / "progressive_1000s.fit")
    good = str(SAMPLES / "eight_by_400_track.fit")
    for jobs in ("1", "2"):
        result = runner.invoke(
            app, ["check", good, bad, "--plan", "8x400m, 400m jog", "-f", "json", "-j", jobs]
        )
        assert result.exit_code == 3
        err = result.stderr.splitlines()
        assert err[0] == (
            f"workoutcheck: error: {bad}: internal error while checking: RuntimeError: test fault"
        )
        assert err[1] == (
            "workoutcheck: internal error (a bug in workoutcheck): RuntimeError: test fault"
        )
        assert err[-1].startswith("  at workoutcheck/run/batch.py:") and "_test_fault" in err[-1]
        report = json.loads(result.stdout)
        assert "traceback" not in result.stdout
        assert (
            report["results"][1]["error"]
            == "internal error while checking: RuntimeError: test fault"
        )
        assert report["results"][0]["status"] != "error"


def test_a_dead_worker_is_replaced(monkeypatch, serial):
    """A worker that dies outright costs its file only; a new worker takes the next files."""
    monkeypatch.setenv(TEST_FAULTS_ENV, "exit=eight_by_400_track.fit,exit=race_400m_track.fit")
    results = run_checks(TASKS, 2)
    for name in ("eight_by_400_track.fit", "race_400m_track.fit"):
        dead = _by_name(results, name)
        assert dead.status is Status.ERROR
        assert dead.error == (
            "internal error while checking: the worker process stopped unexpectedly (exit code 70)"
        )
    fine = [r for r in results if r.status is not Status.ERROR]
    assert len(fine) == 8 and fine == [s for s in serial if s.file in {r.file for r in fine}]


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RLIMIT_AS is applied on Linux only"
)
def test_a_file_needing_too_much_memory_is_skipped(monkeypatch):
    """Beyond the worker's memory bound an allocation fails: that file's error, not a crash."""
    monkeypatch.setenv(TEST_FAULTS_ENV, "memory=six_by_800_missed.fit")
    results = run_checks(TASKS, 2, memory_mb=256)
    big = _by_name(results, "six_by_800_missed.fit")
    assert big.error == "needed more than 256 MB: skipped"
    assert sum(r.status is Status.ERROR for r in results) == 1


CLI_FILES = [
    str(SAMPLES / n) for n in ("six_by_800_missed.fit", "ten_by_200_autopause.fit", "missing.fit")
]


def _cli(*args: str):  # type: ignore[no-untyped-def]
    plan = "wu 15min; 6x800m @ 3:50/km, 400m jog; cd 10min"
    return runner.invoke(app, ["check", *CLI_FILES, "--plan", plan, *args])


def test_check_jobs_output_and_exit_code_do_not_depend_on_jobs():
    """check --jobs 1 and --jobs 2 print the same report, the same error line and exit code,
    for every format; results stay in the order the files were given."""
    for fmt in ("table", "json", "csv", "junit"):
        one, two = _cli("--format", fmt, "--jobs", "1"), _cli("--format", fmt, "--jobs", "2")
        assert one.exit_code == two.exit_code == 3, one.output
        assert one.stdout == two.stdout
        assert one.stderr == two.stderr == f"workoutcheck: error: {CLI_FILES[2]}: no such file\n"
        if fmt == "json":
            data = json.loads(two.stdout)
            assert [r["file"] for r in data["results"]] == CLI_FILES
            assert [r["status"] for r in data["results"]] == ["fail", "fail", "error"]


def test_check_jobs_must_be_positive():
    """--jobs 0 is bad usage (exit 2)."""
    result = _cli("--jobs", "0")
    assert result.exit_code == 2


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    import glob

    kids = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        with open(path) as fh:
            kids += [int(k) for k in fh.read().split()]
    return kids


def _alive(pid: int) -> bool:
    """Running or sleeping, not gone or a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_workers_die_with_their_parent_even_by_sigkill(tmp_path):
    """SIGKILL to ``check --jobs 2`` while both workers hang on a file: the workers die
    too, so nothing keeps the caller's pipes open and a reader sees end of file."""
    import os
    import shutil
    import signal
    import subprocess

    for name in ("a.fit", "b.fit"):
        shutil.copy(SAMPLES / "five_by_1000_track.fit", tmp_path / name)
    env = {**os.environ, TEST_FAULTS_ENV: "sleep=a.fit,sleep=b.fit"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "workoutcheck", "check", str(tmp_path), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    workers: list[int] = []
    try:
        for _ in range(1200):  # polls, not a time limit: up to a minute on a slow machine
            if len(workers := _children(proc.pid)) >= 2:
                break
            if proc.poll() is not None:
                pytest.fail(f"check ended before its workers hung: {proc.stderr.read()!r}")
            time.sleep(0.05)
        else:
            pytest.fail("the workers never started")
        proc.kill()
        proc.wait(timeout=20)
        for _ in range(400):
            if not any(_alive(w) for w in workers):
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"orphaned workers: {[w for w in workers if _alive(w)]}")
        assert proc.stdout.read() == b""  # end of file: no worker holds the pipe any more
    finally:
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)


def _bounds_now():  # type: ignore[no-untyped-def]
    """This process's SIGALRM handler, interval timer and address-space limit."""
    import resource
    import signal

    return (
        signal.getsignal(signal.SIGALRM),
        signal.getitimer(signal.ITIMER_REAL),
        resource.getrlimit(resource.RLIMIT_AS),
    )


def test_a_one_file_batch_is_checked_in_this_process_as_a_worker_would(monkeypatch, serial):
    """A batch of one file starts no worker (``Bounded``, in this process) and gives the
    worker's result; a batch of two still has workers; the timer and the memory limit are
    as they were afterwards."""
    import multiprocessing

    from workoutcheck.run import batch

    started: list[object] = []
    real_start = batch.LocalPool._start
    monkeypatch.setattr(
        batch.LocalPool, "_start", lambda self: started.append(self) or real_start(self)
    )
    before = _bounds_now()
    for jobs in (None, 2, 8):
        assert run_checks(TASKS[:1], jobs) == serial[:1]
    assert started == [] and not multiprocessing.active_children()
    assert _bounds_now() == before
    assert run_checks(TASKS[:2], None) == serial[:2]
    assert len(started) == 2


def test_a_one_file_batch_keeps_the_time_bound(monkeypatch):
    """In this process the time bound is an interval timer: a hung file is that file's error,
    worded as a worker's, and the next check runs normally."""
    monkeypatch.setenv(TEST_FAULTS_ENV, "sleep=five_by_1000_track.fit")
    task = next(t for t in TASKS if t[0].endswith("five_by_1000_track.fit"))
    before = _bounds_now()
    [late] = run_checks([task], None, timeout_s=0.5)
    assert late.status is Status.ERROR and late.exit_code == 3
    assert late.error == "took longer than 0.5 s: skipped"
    assert _bounds_now() == before
    monkeypatch.delenv(TEST_FAULTS_ENV)
    assert run_checks([task], None)[0].status is Status.PASS


def test_a_one_file_batch_keeps_the_memory_bound_and_reports_a_bug(monkeypatch):
    """In this process too an allocation past the bound is that file's error (Linux), and a
    bug is an internal error with its traceback; the process's limit is put back."""
    task = next(t for t in TASKS if t[0].endswith("six_by_800_missed.fit"))
    before = _bounds_now()
    if sys.platform.startswith("linux"):
        monkeypatch.setenv(TEST_FAULTS_ENV, "memory=six_by_800_missed.fit")
        [big] = run_checks([task], None, memory_mb=256)
        assert big.error == "needed more than 256 MB: skipped"
        assert _bounds_now() == before
    monkeypatch.setenv(TEST_FAULTS_ENV, "raise=six_by_800_missed.fit")
    [bad] = run_checks([task], None)
    assert bad.error == "internal error while checking: RuntimeError: test fault"
    assert bad.traceback is not None and "_test_fault" in bad.traceback
    assert _bounds_now() == before


def test_a_one_file_batch_uses_a_worker_where_it_cannot_be_timed_here(monkeypatch, serial):
    """Off the main thread (or with someone else's timer running) no signal can time the
    check here, so the one file goes to a worker as before."""
    import signal
    import threading

    from workoutcheck.run import guard

    assert guard.usable()
    seen: list[bool] = []
    thread = threading.Thread(target=lambda: seen.append(guard.usable()))
    thread.start()
    thread.join()
    assert seen == [False]
    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    try:
        assert not guard.usable()
        assert run_checks(TASKS[:1], None) == serial[:1]  # through a worker
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_a_crash_in_a_one_file_check_ends_the_process(tmp_path):
    """What a one-file check in this process gives up (README, ``--jobs``): a check that ends
    the process (a crash in C code, a kill) ends ``workoutcheck`` too, non-zero, where a
    worker would have made it that file's error."""
    import os
    import shutil
    import subprocess

    shutil.copy(SAMPLES / "five_by_1000_track.fit", tmp_path / "a.fit")
    env = {**os.environ, TEST_FAULTS_ENV: "exit=a.fit"}
    done = subprocess.run(
        [sys.executable, "-m", "workoutcheck", "check", str(tmp_path / "a.fit")],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 70 and done.stdout == b""
