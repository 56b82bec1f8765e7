"""The folder watcher against a real filesystem observer on a temporary folder.

Every wait is bounded: a watcher that misses a file or hangs fails the test instead of
stalling the suite. The poll interval is shortened so a file counts as complete after
about 0.2 s without change.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from workoutcheck.cli import app
from workoutcheck.plan import parse_plan
from workoutcheck.run.pipeline import CheckOptions
from workoutcheck.score import Status
from workoutcheck.watch.report import html_available
from workoutcheck.watch.schedule import schedule_from_dict
from workoutcheck.watch.state import STATE_NAME
from workoutcheck.watch.watcher import Outcome, Watcher

PLAN = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
FIVE = SAMPLES / "five_by_1000_track.fit"  # starts 2026-05-01 06:00 UTC, a Friday
EIGHT = SAMPLES / "eight_by_400_track.fit"
POLL, STABLE = 0.05, 4
TIMEOUT = 20.0


class Running:
    """``Watcher.run`` on a thread; outcomes are collected, and leaving the block stops the
    watcher and requires its thread (and so the observer) to have ended."""

    def __init__(self, folder: Path, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.outcomes: list[Outcome] = []
        kwargs.setdefault("settle", 0)  # every failure final at once, unless a test says otherwise
        self.watcher = Watcher(
            folder,
            poll_interval=POLL,
            stable_polls=STABLE,
            on_outcome=self.outcomes.append,
            **kwargs,
        )
        self.stop, self.ready = threading.Event(), threading.Event()
        self.crash: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.watcher.run(self.stop, on_ready=self.ready.set)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the test's thread
            self.crash = exc

    def __enter__(self) -> Running:
        self.thread.start()
        assert self.ready.wait(TIMEOUT), "the watcher did not start"
        return self

    def __exit__(self, *exc_info) -> None:  # type: ignore[no-untyped-def]
        self.stop.set()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "the watcher did not stop"
        assert self.crash is None, repr(self.crash)

    def for_name(self, name: str) -> list[Outcome]:
        return [o for o in list(self.outcomes) if o.path.name == name]

    def checked(self, name: str) -> list[Outcome]:
        return [o for o in self.for_name(name) if o.result is not None]

    def wait_for(self, what: str, predicate) -> None:  # type: ignore[no-untyped-def]
        for _ in range(int(TIMEOUT / 0.02)):  # a bounded number of polls, not a time limit
            assert self.crash is None, repr(self.crash)
            if predicate():
                return
            time.sleep(0.02)
        pytest.fail(f"gave up waiting for {what}; lines: {[o.line for o in self.outcomes]}")


def _report(folder: Path, name: str) -> dict:
    return json.loads((folder / f"{name}.report.json").read_text())["results"][0]


def _state(folder: Path) -> dict:
    """The state file's checked contents, as {"checked": {digest: entry}}, from its log."""
    checked = {}
    lines = (folder / STATE_NAME).read_text().splitlines()
    assert json.loads(lines[0]) == {"state_version": 2}
    for line in lines[1:]:
        record = json.loads(line)
        if "done" in record and "intent" not in record:
            checked[record.pop("done")] = record
        elif "intent" in record:
            checked[record["intent"]] = record["done"]
    return {"checked": checked}


def test_a_file_copied_in_slowly_is_checked_once_when_complete(tmp_path):
    """A FIT file arriving in eight appends 20 ms apart is read once, after the last piece:
    the check passes with all five reps, and reading it does not queue it again."""
    data = FIVE.read_bytes()
    with Running(tmp_path, options=CheckOptions(plan=parse_plan(PLAN))) as w:
        step = len(data) // 8 + 1
        for i in range(0, len(data), step):
            with open(tmp_path / "run.fit", "ab") as fh:
                fh.write(data[i : i + step])
            time.sleep(0.02)
        w.wait_for("run.fit to be checked", lambda: w.checked("run.fit"))
        time.sleep(3 * POLL * STABLE)  # long enough for any second look to happen
    [outcome] = w.for_name("run.fit")
    assert outcome.line == "run.fit: PASS 95/100, 5/5 reps on target"
    report = _report(tmp_path, "run.fit")
    assert (report["status"], report["score"], report["error"]) == ("pass", 95.4, None)
    assert sum(s["verdict"] == "on_target" for s in report["segments"]) == 5
    assert (tmp_path / "run.fit.report.html").exists() == html_available()
    assert list(_state(tmp_path)["checked"]) == [hashlib.sha256(data).hexdigest()]


def test_the_same_content_under_a_new_name_is_not_checked_again(tmp_path):
    """A duplicate is recognised by its content hash: one line says so, and it gets no report."""
    with Running(tmp_path) as w:
        shutil.copy(FIVE, tmp_path / "run.fit")
        w.wait_for("run.fit", lambda: w.checked("run.fit"))
        shutil.copy(FIVE, tmp_path / "copy.fit")
        w.wait_for("copy.fit", lambda: w.for_name("copy.fit"))
    [dup] = w.for_name("copy.fit")
    assert dup.result is None
    assert dup.line == "copy.fit: skipped: same content as run.fit, already checked"
    assert not (tmp_path / "copy.fit.report.json").exists()
    [entry] = _state(tmp_path)["checked"].values()
    assert (entry["file"], entry["duplicates"]) == ("run.fit", ["copy.fit"])


def test_a_file_replaced_by_a_new_version_is_checked_again(tmp_path):
    """New content under the same name (moved over it, as sync tools do) is checked and its
    report replaced; without a plan each version is described as the session it holds."""
    with Running(tmp_path) as w:
        shutil.copy(FIVE, tmp_path / "run.fit")
        w.wait_for("the first version", lambda: w.checked("run.fit"))
        shutil.copy(EIGHT, tmp_path / ".run.fit.part")
        os.replace(tmp_path / ".run.fit.part", tmp_path / "run.fit")
        w.wait_for("the second version", lambda: len(w.checked("run.fit")) == 2)
    first, second = w.checked("run.fit")
    assert first.line == "run.fit: no plan: 5 x ~1000 m / ~400 m"
    assert second.line == "run.fit: no plan: 8 x ~400 m / ~400 m"
    assert _report(tmp_path, "run.fit")["description"] == "8 x ~400 m / ~400 m"
    assert len(_state(tmp_path)["checked"]) == 2


def test_a_corrupt_file_gets_an_error_report_and_the_watcher_goes_on(tmp_path):
    """A truncated FIT file and a non-watch file each get an error report; a good file after
    them is checked as usual."""
    with Running(tmp_path) as w:
        (tmp_path / "cut.fit").write_bytes(EIGHT.read_bytes()[:5000])
        (tmp_path / "junk.gpx").write_bytes(b"this is not a watch file\n")
        w.wait_for("both bad files", lambda: w.checked("cut.fit") and w.checked("junk.gpx"))
        shutil.copy(FIVE, tmp_path / "good.fit")
        w.wait_for("good.fit", lambda: w.checked("good.fit"))
    [cut] = w.checked("cut.fit")
    assert cut.result.status is Status.ERROR
    assert cut.line.startswith("cut.fit: error: FIT file is truncated")
    assert _report(tmp_path, "cut.fit")["status"] == "error"
    assert _report(tmp_path, "junk.gpx")["status"] == "error"
    assert w.checked("good.fit")[0].line == "good.fit: no plan: 5 x ~1000 m / ~400 m"
    assert sorted(e["status"] for e in _state(tmp_path)["checked"].values()) == [
        "error",
        "error",
        "pass",
    ]


def test_a_restart_neither_repeats_nor_misses_anything(tmp_path):
    """A new watcher on the same folder skips what the first one checked (silently, report
    untouched) and checks the file dropped while none was running."""
    with Running(tmp_path) as first:
        shutil.copy(FIVE, tmp_path / "run.fit")
        first.wait_for("run.fit", lambda: first.checked("run.fit"))
    report_mtime = (tmp_path / "run.fit.report.json").stat().st_mtime_ns
    shutil.copy(EIGHT, tmp_path / "late.fit")
    outcomes = Watcher(
        tmp_path, poll_interval=POLL, stable_polls=STABLE, settle=0
    ).process_existing()
    by_name = {o.path.name: o for o in outcomes}
    assert sorted(by_name) == ["late.fit", "run.fit"]
    assert (by_name["run.fit"].result, by_name["run.fit"].line) == (None, None)
    assert by_name["late.fit"].line == "late.fit: no plan: 8 x ~400 m / ~400 m"
    assert (tmp_path / "run.fit.report.json").stat().st_mtime_ns == report_mtime
    state = _state(tmp_path)
    assert json.loads((tmp_path / STATE_NAME).read_text().splitlines()[0]) == {"state_version": 2}
    assert sorted(e["file"] for e in state["checked"].values()) == ["late.fit", "run.fit"]
    assert (
        Watcher(tmp_path, poll_interval=POLL, stable_polls=STABLE, settle=0)
        .process_existing()[0]
        .result
        is None
    )


def test_links_out_of_the_folder_reports_and_hidden_files_are_not_inputs(tmp_path):
    """Only plain watch files directly in the folder are checked: a symlink to a file outside
    is refused, and reports, the state file, hidden files and subfolders are never read."""
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "link.fit").symlink_to(FIVE)
    for name in ("old.fit.report.json", ".partial.fit", "sub/deep.fit"):
        shutil.copy(EIGHT, folder / name)
    outcomes = Watcher(folder, poll_interval=POLL, stable_polls=STABLE, settle=0).process_existing()
    assert [(o.path.name, o.result, o.line) for o in outcomes] == [
        ("link.fit", None, "link.fit: skipped: a link to outside the folder")
    ]
    assert sorted(p.name for p in folder.iterdir()) == [
        ".partial.fit",
        "link.fit",
        "old.fit.report.json",
        "sub",
    ]


def test_once_from_the_cli_writes_reports_only_into_out(tmp_path):
    """``watch --once --out`` checks what is there, prints a line per file, writes reports
    named after the input files (and the history page) into --out only, keeps its history in
    the folder, and a second run does nothing."""
    inbox, out = tmp_path / "inbox", tmp_path / "reports"
    inbox.mkdir()
    shutil.copy(FIVE, inbox / "a.fit")
    shutil.copy(FIVE, inbox / "b.fit")
    args = ["watch", str(inbox), "--once", "--plan", PLAN, "--out", str(out), "--poll", "0.05"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "a.fit: PASS 95/100, 5/5 reps on target",
        "b.fit: skipped: same content as a.fit, already checked",
    ]
    expected = {"a.fit.report.json", "history.html"} | (
        {"a.fit.report.html"} if html_available() else set()
    )
    assert {p.name for p in out.iterdir()} == expected
    assert sorted(p.name for p in inbox.iterdir()) == [
        STATE_NAME,
        ".workoutcheck.db",
        "a.fit",
        "b.fit",
    ]
    again = CliRunner().invoke(app, args)
    assert (again.exit_code, again.stdout) == (0, "")


def test_the_schedule_picks_the_plan_by_the_day_the_run_started(tmp_path):
    """The watcher checks a plan-less file against the plan scheduled for its start date and
    says where the plan came from; from the CLI, a weekday entry is used the same way."""
    week = schedule_from_dict(
        {"plans": {"2026-05-01": PLAN, "friday": "8 x 400m in 80s, 400m jog"}}
    )
    shutil.copy(FIVE, tmp_path / "run.fit")
    [outcome] = Watcher(
        tmp_path, schedule=week, poll_interval=POLL, stable_polls=STABLE, settle=0
    ).process_existing()
    assert outcome.line == "run.fit: PASS 95/100, 5/5 reps on target"
    assert outcome.result.plan == parse_plan(PLAN).text
    assert outcome.result.notes[0] == "plan taken from the schedule (2026-05-01)"

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIVE, inbox / "run.fit")
    (tmp_path / "week.toml").write_text('[plans]\nfriday = "8 x 400m in 80s, 400m jog"\n')
    cli = CliRunner().invoke(
        app,
        [
            "watch",
            str(inbox),
            "--once",
            "--schedule",
            str(tmp_path / "week.toml"),
            "--poll",
            "0.05",
        ],
    )
    assert cli.exit_code == 1, cli.output  # 1000 m reps run as 400 m reps fail
    assert _report(inbox, "run.fit")["plan"] == "8x(400m in 1:20, 400m jog)"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--poll", "0"], "--poll must be a positive number of seconds"),
        (
            ["--plan", PLAN, "--schedule", "week.toml"],
            "give the plan (--plan, --plan-file) or --schedule, not both",
        ),
        (["--plan", "5x"], "plan: expected"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(tmp_path, extra, message):
    """Mistakes on the command line stop the watcher before it starts, with one line."""
    result = CliRunner().invoke(app, ["watch", str(tmp_path), "--once", *extra])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / STATE_NAME).exists()


def test_ctrl_c_stops_the_real_command_cleanly(tmp_path):
    """SIGINT to a running ``workoutcheck watch`` ends it with exit 0, nothing on stdout and
    no traceback on stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "workoutcheck", "watch", str(tmp_path), "--poll", "0.05"],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True)
    reader.start()
    try:
        seen = []
        while not any(line.startswith("watching") for line in seen):
            seen.append(lines.get(timeout=TIMEOUT))
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=TIMEOUT) == 0
    finally:
        proc.kill()
    reader.join(TIMEOUT)
    while not lines.empty():
        seen.append(lines.get_nowait())
    assert "Traceback" not in "".join(seen)
    assert proc.stdout.read() == ""


def test_a_file_written_to_while_it_is_checked_is_recorded_only_as_it_ends(tmp_path):
    """The content is hashed, then checked: a copy that resumes in between (a busy machine
    makes that gap long) must not get the check of one content recorded under the hash of
    another. Nothing is recorded for the content that was hashed; the file is taken again
    once it stayed the same, and its last content is recorded once."""
    from workoutcheck.watch.state import WatchState
    from workoutcheck.watch.watcher import Watcher

    data = (SAMPLES / "five_by_1000_track.fit").read_bytes()
    path = tmp_path / "run.fit"
    path.write_bytes(data[: len(data) // 2])
    w = Watcher(tmp_path, bounds=None, poll_interval=0.01, stable_polls=1, settle=0.0)
    checked = w._check
    resumed = []

    def check_while_the_copy_resumes(p):
        if not resumed:
            resumed.append(True)
            p.write_bytes(data)  # the rest of the copy lands while the half is checked
        return checked(p)

    w._check = check_while_the_copy_resumes
    outcomes = w.process_existing()
    state = WatchState.load(tmp_path)
    whole = hashlib.sha256(data).hexdigest()
    half = hashlib.sha256(data[: len(data) // 2]).hexdigest()
    assert state.current("run.fit") == whole
    assert state.get(half) is None
    assert [o.result.status for o in outcomes if o.result is not None] == [Status.PASS]
