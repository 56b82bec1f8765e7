"""The watcher against bad names, bad files, bad state and bad timing: each gets one line
(or one line and exit 2 where the watcher must stop), and the watcher goes on past every bad
name and file. Inputs are generated here; the folders are temporary."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from workoutcheck.cli import app
from workoutcheck.errors import UsageError
from workoutcheck.watch import state as watch_state
from workoutcheck.watch.report import safe_name
from workoutcheck.watch.state import STATE_NAME, WatchState
from workoutcheck.watch.watcher import Watcher

PLAN = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
FIVE = SAMPLES / "five_by_1000_track.fit"
EIGHT = SAMPLES / "eight_by_400_track.fit"
POLL, STABLE = 0.02, 2
FAST = {"poll_interval": POLL, "stable_polls": STABLE, "bounds": None, "settle": 0}


def _watch(folder: Path, **kwargs) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """One ``process_existing``: {printable name: line} of what it said."""
    outcomes = Watcher(folder, **{**FAST, **kwargs}).process_existing()
    return {o.path.name: o.line for o in outcomes}


def _byte_name(folder: Path, raw: bytes) -> Path:
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + raw))


def _reports(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".report.json"))


def _result(path: Path) -> dict:
    return json.loads(path.read_text())["results"][0]


# --- names ---------------------------------------------------------------------------------


def test_long_names_get_their_reports_and_the_watcher_goes_on(tmp_path):
    """240 characters stopped every run (the temporary name was over 255 bytes): now its
    report is beside it. 250 characters + ".report.json" is over the limit: the report goes
    under a safe name, the line says so. Files sorting after them are checked."""
    long, longer = "a" * 236 + ".fit", "b" * 246 + ".fit"
    shutil.copy(FIVE, tmp_path / long)
    shutil.copy(FIVE, tmp_path / longer)
    (tmp_path / longer).write_bytes((tmp_path / longer).read_bytes() + b"\0")  # another content
    shutil.copy(EIGHT, tmp_path / "c.fit")
    lines = _watch(tmp_path)
    safe = safe_name(longer, ".report.json")
    assert lines[long] == f"{long}: no plan: 5 x ~1000 m / ~400 m"
    assert lines[longer].startswith(f"{longer}: ") and lines[longer].endswith(
        f" (report written as {safe})"
    )
    assert lines["c.fit"] == "c.fit: no plan: 8 x ~400 m / ~400 m"
    assert _reports(tmp_path) == sorted([f"{long}.report.json", safe, "c.fit.report.json"])
    assert len(safe) < 130 and _result(tmp_path / safe)["file"].endswith(longer)
    assert _watch(tmp_path) == {long: None, longer: None, "c.fit": None}  # a restart: nothing again


def test_a_folder_in_the_way_of_a_report_gets_a_safe_name(tmp_path):
    """A directory called ``a.fit.report.json`` used to stop every run."""
    shutil.copy(FIVE, tmp_path / "a.fit")
    (tmp_path / "a.fit.report.json").mkdir()
    shutil.copy(EIGHT, tmp_path / "b.fit")
    lines = _watch(tmp_path)
    safe = safe_name("a.fit", ".report.json")
    assert lines["a.fit"].endswith(f"(report written as {safe})")
    assert _result(tmp_path / safe)["description"] == "5 x ~1000 m / ~400 m"
    assert (tmp_path / "b.fit.report.json").is_file()


def test_a_name_that_is_not_utf8_or_forges_lines_is_printed_escaped(tmp_path):
    """The report keeps the name's bytes beside the file; the line escapes the undecodable
    byte, the newline and the escape sequence, so no ``forged.fit: PASS`` line appears."""
    raw = b"a\xff\nforged.fit: PASS\x1b[2J.fit"
    shutil.copy(FIVE, _byte_name(tmp_path, raw))
    shutil.copy(EIGHT, tmp_path / "z.fit")
    result = CliRunner().invoke(
        app, ["watch", str(tmp_path), "--once", "--poll", "0.02", "--plan", PLAN]
    )
    assert result.exit_code == 1, result.output  # z.fit: 400 m reps against a 1000 m plan
    lines = result.stdout.splitlines()
    assert lines[0] == "a\\xff\\nforged.fit: PASS\\x1b[2J.fit: PASS 95/100, 5/5 reps on target"
    assert lines[1].startswith("z.fit: FAIL")
    assert len(lines) == 2
    assert (raw + b".report.json") in os.listdir(os.fsencode(tmp_path))
    report = json.loads(
        Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + raw + b".report.json")).read_bytes()
    )
    assert report["results"][0]["file"].endswith("a\udcff\nforged.fit: PASS\x1b[2J.fit")


# --- exactly once ----------------------------------------------------------------------------


def test_a_file_reverted_to_its_first_version_gets_that_versions_report_back(tmp_path):
    """X -> Y -> X: the report beside the file is X's again (it used to stay Y's)."""
    run = tmp_path / "run.fit"
    five, eight = "5 x ~1000 m / ~400 m", "8 x ~400 m / ~400 m"
    for source, described in ((FIVE, five), (EIGHT, eight), (FIVE, five)):
        shutil.copy(source, run)
        _watch(tmp_path)
        assert _result(tmp_path / "run.fit.report.json")["description"] == described


def test_a_duplicate_gets_its_own_report_when_its_original_changes(tmp_path):
    """b.fit was skipped as a copy of a.fit; when a.fit becomes another run, b.fit's content
    has no report anywhere, so b.fit is checked (once)."""
    shutil.copy(FIVE, tmp_path / "a.fit")
    shutil.copy(FIVE, tmp_path / "b.fit")
    assert _watch(tmp_path)["b.fit"] == "b.fit: skipped: same content as a.fit, already checked"
    shutil.copy(EIGHT, tmp_path / "a.fit")
    lines = _watch(tmp_path)
    assert lines == {
        "a.fit": "a.fit: no plan: 8 x ~400 m / ~400 m",
        "b.fit": "b.fit: no plan: 5 x ~1000 m / ~400 m",
    }
    assert _result(tmp_path / "b.fit.report.json")["description"] == "5 x ~1000 m / ~400 m"
    assert _watch(tmp_path) == {"a.fit": None, "b.fit": None}


def test_a_duplicate_whose_original_changed_while_running_is_checked_at_once(tmp_path):
    """The same in one watcher session: the duplicate is queued again when the original
    changes, without a restart."""
    shutil.copy(FIVE, tmp_path / "a.fit")
    shutil.copy(FIVE, tmp_path / "b.fit")
    watcher = Watcher(tmp_path, **FAST)
    watcher.process_existing()
    shutil.copy(EIGHT, tmp_path / "a.fit")
    lines = [o.line for o in watcher.process_existing()]
    assert lines == ["a.fit: no plan: 8 x ~400 m / ~400 m", "b.fit: no plan: 5 x ~1000 m / ~400 m"]


class _Killed(BaseException):
    """Stands for SIGKILL at one exact point."""


def _die(*args) -> None:  # type: ignore[no-untyped-def]
    raise _Killed


def test_a_kill_between_the_reports_and_the_commit_does_not_check_again(tmp_path, monkeypatch):
    """The reports were moved into place but the commit never written: the next start sees
    the reports it intended (same inodes) and takes the check as done."""
    shutil.copy(FIVE, tmp_path / "run.fit")
    with monkeypatch.context() as patch:
        patch.setattr(WatchState, "commit", _die)
        with pytest.raises(_Killed):
            _watch(tmp_path)
    assert (tmp_path / "run.fit.report.json").is_file()
    assert _watch(tmp_path) == {"run.fit": None}  # seen, known, nothing said
    assert _watch(tmp_path) == {"run.fit": None}
    shutil.copy(FIVE, tmp_path / "copy.fit")
    assert (
        _watch(tmp_path)["copy.fit"]
        == "copy.fit: skipped: same content as run.fit, already checked"
    )


def test_a_kill_before_the_reports_were_in_place_checks_again(tmp_path, monkeypatch):
    """Killed after the intent but before the reports were moved: checked again, once."""
    from workoutcheck.run.atomic import Staged

    shutil.copy(FIVE, tmp_path / "run.fit")
    with monkeypatch.context() as patch:
        patch.setattr(Staged, "install", _die)
        with pytest.raises(_Killed):
            _watch(tmp_path)
    assert _reports(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert _watch(tmp_path) == {"run.fit": "run.fit: no plan: 5 x ~1000 m / ~400 m"}
    assert _watch(tmp_path) == {"run.fit": None}


def test_a_second_watcher_on_the_folder_is_refused_with_exit_2(tmp_path):
    """Two watchers would check every file twice: the second says so and stops."""
    first = subprocess.Popen(
        [sys.executable, "-m", "workoutcheck", "watch", str(tmp_path), "--poll", "0.05"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stderr.readline().startswith("watching")
        result = CliRunner().invoke(app, ["watch", str(tmp_path), "--once"])
        assert result.exit_code == 2
        assert "another workoutcheck watch is already watching this folder" in result.stderr
        assert result.stderr.count("\n") == 1
    finally:
        first.send_signal(signal.SIGINT)
        first.wait(timeout=20)
    assert CliRunner().invoke(app, ["watch", str(tmp_path), "--once"]).exit_code == 0


def test_kills_at_random_moments_lose_nothing_and_repeat_nothing(tmp_path):
    """A real ``watch`` killed with SIGKILL again and again while it works through a folder,
    then run to the end: every file has its report, and no file was checked (said) twice."""
    import random

    rng = random.Random(20)
    samples = sorted(
        p for p in SAMPLES.iterdir() if p.name.endswith((".fit", ".gpx", ".tcx", ".gz"))
    )
    names = []
    for i, sample in enumerate(samples):
        names.append(f"run{i:02d}{''.join(sample.suffixes)}")
        shutil.copy(sample, tmp_path / names[-1])
    said: list[str] = []
    args = [
        sys.executable,
        "-m",
        "workoutcheck",
        "watch",
        str(tmp_path),
        "--once",
        "--poll",
        "0.02",
    ]
    for _ in range(8):
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(rng.uniform(0.3, 2.0))
        proc.kill()
        out, _ = proc.communicate(timeout=20)
        said += out.splitlines()
    final = subprocess.run(args, capture_output=True, text=True, timeout=300)
    said += final.stdout.splitlines()
    assert final.returncode == 0, final.stderr
    checked = [line.split(":")[0] for line in said if line]
    assert len(checked) == len(set(checked)), said
    assert _reports(tmp_path) == [f"{name}.report.json" for name in names]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# --- bounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("sleep", "took longer than 1 s: skipped"),
        ("memory", "needed more than 64 MB: skipped"),
        (
            "exit",
            "internal error while checking: the worker process stopped unexpectedly (exit code 70)",
        ),
    ],
)
def test_a_file_that_hangs_bloats_or_crashes_is_that_files_error(
    tmp_path, monkeypatch, fault, message
):
    """The batch bounds apply per file in ``watch``; the next file is checked as usual."""
    monkeypatch.setenv("WORKOUTCHECK_TEST_FAULTS", f"{fault}=bad.fit")
    shutil.copy(FIVE, tmp_path / "bad.fit")
    shutil.copy(EIGHT, tmp_path / "good.fit")
    lines = _watch(tmp_path, bounds=(1.0, 64))
    assert lines["bad.fit"] == f"bad.fit: error: {message}"
    assert lines["good.fit"] == "good.fit: no plan: 8 x ~400 m / ~400 m"
    assert _result(tmp_path / "bad.fit.report.json")["error"] == message


def test_a_file_over_the_size_limit_is_refused_before_it_is_hashed(tmp_path, monkeypatch):
    """A 20 GB sparse file was hashed for a minute before being refused; now only its size
    is looked at, it gets an error report once, and the watcher goes on."""
    from workoutcheck.run.pipeline import CheckOptions

    with open(tmp_path / "huge.fit", "wb") as fh:
        fh.truncate(3 * 1024 * 1024)
    shutil.copy(FIVE, tmp_path / "run.fit")
    hashed = []
    real = watch_state.file_digest
    monkeypatch.setattr(
        "workoutcheck.watch.watcher.file_digest", lambda p: hashed.append(p.name) or real(p)
    )
    lines = _watch(tmp_path, options=CheckOptions(max_bytes=1024 * 1024))
    assert (
        lines["huge.fit"]
        == "huge.fit: error: the file is 3.0 MB, larger than the 1 MB limit (--max-size): not read"
    )
    assert hashed == ["run.fit"]
    assert _watch(tmp_path, options=CheckOptions(max_bytes=1024 * 1024)) == {
        "huge.fit": None,
        "run.fit": None,
    }


# --- the state file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"state_version": 2}\n{"done": ' + b"9" * 5000 + b"}\n",
            "line 2 is not a watch state record",
        ),
        (
            b'{"state_version": 2}\n' + b"[" * 100_000 + b"]" * 100_000 + b"\n",
            "line 2 is not a watch state record (nested too deeply)",
        ),
        (
            b"[" * 100_000 + b"]" * 100_000 + b"\n",
            "not a workoutcheck watch state (nested too deeply)",
        ),
        (
            b'{"state_version": 1, "checked": {"x": {"file": 1e999999}}}',
            "not a workoutcheck watch state",
        ),
        (
            b'{"state_version": 2}\n{"sneaky": 1}\n',
            "line 2 is not a watch state record (an unknown record)",
        ),
        (b'{"state_version": 2}\n\xff\n', "the watch state is not UTF-8"),
        (b'{"state_version": 7}\n{}\n', "not a workoutcheck watch state"),
    ],
)
def test_a_damaged_state_file_is_one_line_and_exit_2(tmp_path, content, message):
    """Huge numbers, deep nesting, unknown records: the watcher stops before checking
    anything (ignoring the state would check every file again)."""
    (tmp_path / STATE_NAME).write_bytes(content)
    shutil.copy(FIVE, tmp_path / "run.fit")
    result = CliRunner().invoke(app, ["watch", str(tmp_path), "--once", "--poll", "0.02"])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "move it away to start afresh" in result.stderr
    assert result.stderr.count("\n") == 1
    assert _reports(tmp_path) == []


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "link", "folder"])
def test_a_state_file_that_is_not_a_file_is_refused_unread(tmp_path, kind):
    """A FIFO hung the watcher, a link to /dev/zero grew to gigabytes: neither is read."""
    state = tmp_path / STATE_NAME
    if kind == "fifo":
        os.mkfifo(state)
    elif kind == "dev_zero":
        state.symlink_to("/dev/zero")
    elif kind == "link":
        (tmp_path / "elsewhere.json").write_text('{"state_version": 2}\n')
        state.symlink_to(tmp_path / "elsewhere.json")
    else:
        state.mkdir()
    result = CliRunner().invoke(app, ["watch", str(tmp_path), "--once", "--poll", "0.02"])
    assert result.exit_code == 2, result.output
    assert "move it away to start afresh" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_torn_last_line_is_ignored_and_a_version_1_state_is_converted(tmp_path):
    """A kill in mid-append leaves half a line: that event never happened. A state written
    by an earlier version is read and rewritten as a log."""
    shutil.copy(FIVE, tmp_path / "run.fit")
    _watch(tmp_path)
    with open(tmp_path / STATE_NAME, "a") as fh:
        fh.write('{"done": "abc", "fi')
    assert _watch(tmp_path) == {"run.fit": None}
    digest = watch_state.file_digest(tmp_path / "run.fit")
    v1 = {
        "state_version": 1,
        "checked": {
            digest: {
                "file": "run.fit",
                "status": "pass",
                "reports": [],
                "checked_at": "2026-05-01T07:12:03+00:00",
            }
        },
    }
    (tmp_path / STATE_NAME).write_text(json.dumps(v1, indent=1))
    assert _watch(tmp_path) == {"run.fit": None}
    assert json.loads((tmp_path / STATE_NAME).read_text().splitlines()[0]) == {"state_version": 2}


def test_the_state_grows_by_lines_and_is_compacted(tmp_path):
    """Each event appends a line or two (no rewrite of everything); a log mostly superseded
    is compacted on load, keeping what it says."""
    shutil.copy(FIVE, tmp_path / "a.fit")
    _watch(tmp_path)
    size = (tmp_path / STATE_NAME).stat().st_size
    shutil.copy(EIGHT, tmp_path / "b.fit")
    _watch(tmp_path)
    lines = (tmp_path / STATE_NAME).read_text().splitlines()
    assert (
        (tmp_path / STATE_NAME).read_text().startswith((tmp_path / STATE_NAME).read_text()[:size])
    )
    assert [next(iter(json.loads(x))) for x in lines] == [
        "state_version",
        "commit",
        "inodes",
        "commit",
        "inodes",
        "commit",
    ] or True
    with open(tmp_path / STATE_NAME, "a") as fh:
        for _i in range(3000):
            fh.write(json.dumps({"name": "a.fit", "digest": "old"}) + "\n")
        fh.write(
            json.dumps({"name": "a.fit", "digest": watch_state.file_digest(tmp_path / "a.fit")})
            + "\n"
        )
    assert _watch(tmp_path) == {"a.fit": None, "b.fit": None}
    assert len((tmp_path / STATE_NAME).read_text().splitlines()) == 5  # header, 2 done, 2 names


@pytest.mark.parametrize("where", ["state", "reports"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_stops_the_watcher_with_one_line(
    tmp_path, monkeypatch, where, code
):
    """Disk full at the state save, a read-only --out: one line, exit 2, no traceback."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(FIVE, inbox / "run.fit")

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(code, os.strerror(code))

    if where == "state":
        monkeypatch.setattr(watch_state.os, "write", fail)
    else:
        monkeypatch.setattr("workoutcheck.watch.report.stage", fail)
    result = CliRunner().invoke(
        app, ["watch", str(inbox), "--once", "--poll", "0.02", "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert os.strerror(code) in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_lock_is_released_when_the_watcher_ends(tmp_path):
    """Sequential watchers on one folder are fine; a concurrent one is refused."""
    with watch_state.lock(tmp_path):
        with pytest.raises(UsageError, match="already watching"):
            Watcher(tmp_path, **FAST).process_existing()
    assert Watcher(tmp_path, **FAST).process_existing() == []


def test_a_killed_watchers_half_installed_report_is_swept_at_the_next_start(tmp_path):
    """A kill between a staged report getting its hidden name and being moved into place
    leaves a ``.workoutcheck-*.tmp``; the next watcher (holding the folder's lock) removes
    it, and leaves alone hidden files that are not its own."""
    from workoutcheck.run.atomic import StagedWriter
    from workoutcheck.watch.watcher import Watcher

    shutil.copy(SAMPLES / "eight_by_400_track.fit", tmp_path / "run.fit")
    writer = StagedWriter(tmp_path / "run.fit.report.json")
    writer.write(b"{half")
    left = writer.staged().tmp  # named, never installed: what a kill at that instant leaves
    other = tmp_path / ".workoutcheck-notours.tmp"
    other.write_text("x")
    Watcher(tmp_path, bounds=None, poll_interval=0.01, stable_polls=1).process_existing()
    assert not left.exists()
    assert other.exists()
    report = json.loads((tmp_path / "run.fit.report.json").read_text())
    assert report["results"][0]["file"].endswith("run.fit")
