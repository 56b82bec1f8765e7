"""Disk-full and read-only, for real: a small tmpfs filled to the last page, or remounted
read-only (as root a chmod stops nothing, so tests/test_faults.py fakes the errors; these
meet them from the kernel). The report, the watcher's reports and its state either are
written whole or are left as they were, with one line saying why; a read-only folder is
refused before anything is checked. Skipped where a tmpfs cannot be mounted."""

from __future__ import annotations

import errno
import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from tests.tmpfs import PAGE, fill, free, read_only, small_tmpfs, space_left
from workoutcheck.cli import app
from workoutcheck.run.batch import TEST_FAULTS_ENV
from workoutcheck.watch.state import STATE_NAME, WatchState, file_digest

runner = CliRunner()
FIVE, EIGHT = SAMPLES / "five_by_1000_track.fit", SAMPLES / "eight_by_400_track.fit"
NOSPACE, READONLY = os.strerror(errno.ENOSPC), os.strerror(errno.EROFS)
FILES = ("a.fit", "b.fit", "c.fit", "d.fit")


@pytest.fixture
def disk(tmp_path):  # type: ignore[no-untyped-def]
    with small_tmpfs(tmp_path / "disk") as where:
        yield where


@pytest.fixture
def inbox(tmp_path):  # type: ignore[no-untyped-def]
    """Four runs on the ordinary disk (the output goes to the small one)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, src in zip(FILES, (FIVE, EIGHT, FIVE, EIGHT), strict=True):
        shutil.copy(src, folder / name)
    return folder


def _left_behind(folder):  # type: ignore[no-untyped-def]
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith(".workoutcheck-") and p.suffix == ".tmp"
    )


@pytest.mark.parametrize(
    ("fmt", "leave"), [("json", 0), ("json", 2 * PAGE), ("csv", 0), ("table", 0), ("junit", 0)]
)
def test_check_output_on_a_full_disk_keeps_the_previous_report(disk, inbox, fmt, leave):
    """Full to the last page, or with room for part of the report: the old report stays,
    nothing half-written is left, one line says so, exit 2."""
    out = disk / "report.out"
    out.write_text("the previous report\n")
    fill(disk, leave)
    assert space_left(disk) == leave
    done = runner.invoke(app, ["check", str(inbox), "-f", fmt, "-j", "1", "-o", str(out)])
    assert done.exit_code == 2, done.output
    assert done.stderr == f"workoutcheck: error: {out}: cannot write the report: {NOSPACE}\n"
    assert out.read_text() == "the previous report\n"
    assert sorted(p.name for p in disk.iterdir()) == ["filler.bin", "report.out"]
    assert space_left(disk) == leave  # the staged part was given back
    free(disk)
    again = runner.invoke(app, ["check", str(inbox), "-f", fmt, "-j", "1", "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert out.read_text() != "the previous report\n"


def test_json_lines_on_a_disk_that_fills_mid_batch_resume_to_the_uninterrupted_output(
    disk, inbox, tmp_path
):
    """Room for one and a half result lines: the first line stays whole, the batch stops with
    one line at the second; with room again, --resume appends the rest, and the file equals
    an uninterrupted run's."""
    whole = tmp_path / "whole.jsonl"
    assert (
        runner.invoke(
            app, ["check", str(inbox), "-f", "jsonl", "-j", "1", "-o", str(whole)]
        ).exit_code
        == 0
    )
    lines = whole.read_bytes().splitlines(keepends=True)
    assert [json.loads(line)["file"] for line in lines] == [str(inbox / n) for n in FILES]
    out = disk / "out.jsonl"
    fill(disk, -(-int(len(lines[0]) * 1.5) // PAGE) * PAGE)
    done = runner.invoke(app, ["check", str(inbox), "-f", "jsonl", "-j", "1", "-o", str(out)])
    assert done.exit_code == 2, done.output
    assert done.stderr.endswith(f"{out}: cannot write the report: {NOSPACE}\n")
    written = out.read_bytes()
    assert written.startswith(lines[0]) and len(lines[0]) < len(written) < len(lines[0]) + len(
        lines[1]
    )
    free(disk)
    resumed = runner.invoke(
        app, ["check", str(inbox), "-f", "jsonl", "-j", "1", "-o", str(out), "--resume"]
    )
    assert resumed.exit_code == 0, resumed.output
    assert out.read_bytes() == whole.read_bytes()


def test_check_output_on_a_read_only_mount_is_refused_before_checking(disk, inbox, monkeypatch):
    read_only(disk)
    monkeypatch.setenv(TEST_FAULTS_ENV, "raise=a.fit")  # would show if anything were checked
    for fmt in ("json", "jsonl"):
        done = runner.invoke(app, ["check", str(inbox), "-f", fmt, "-o", str(disk / "r.out")])
        assert done.exit_code == 2
        assert (
            done.stderr
            == f"workoutcheck: error: {disk / 'r.out'}: cannot write the report: {READONLY}\n"
        )
        assert "a.fit" not in done.output
    assert list(disk.iterdir()) == []


def _watch(folder, *more):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["watch", str(folder), "--once", "--poll", "0.02", "--no-history", *more]
    )


def test_watch_on_a_read_only_mount_is_refused_at_start(disk, tmp_path):
    """The watched folder read-only, or only its --out folder: one line, nothing checked."""
    for name in ("a.fit", "b.fit"):
        shutil.copy(FIVE if name == "a.fit" else EIGHT, disk / name)
    read_only(disk)
    done = _watch(disk)
    assert done.exit_code == 2
    assert (
        done.stderr == f"workoutcheck: error: {disk}: cannot write in this folder ({READONLY}); "
        "the watcher needs to write its state and reports there\n"
    )
    assert sorted(p.name for p in disk.iterdir()) == ["a.fit", "b.fit"]
    inbox = tmp_path / "writable"
    inbox.mkdir()
    shutil.copy(FIVE, inbox / "a.fit")
    done = _watch(inbox, "--out", str(disk))
    assert done.exit_code == 2
    assert done.stderr.startswith(
        f"workoutcheck: error: {disk}: cannot write in this folder ({READONLY})"
    )
    assert sorted(p.name for p in inbox.iterdir()) == ["a.fit"]


def _pad_state(folder, to: int) -> None:  # type: ignore[no-untyped-def]
    """Append a valid record (a failed read of a file no longer there) that makes the state
    file ``to`` bytes long: so the next append crosses a page boundary exactly there."""
    path = folder / STATE_NAME
    record = {
        "unsettled": "0" * 64,
        "file": "gone.fit",
        "error": "",
        "seen_at": "2026-01-01T00:00:00+00:00",
    }
    short = len(json.dumps(record, sort_keys=True)) + 1
    record["error"] = "x" * (to - path.stat().st_size - short)
    with open(path, "a") as fh:
        fh.write(json.dumps(record, sort_keys=True) + "\n")
    assert path.stat().st_size == to


@pytest.mark.parametrize("state_end", [None, PAGE - 40])
def test_a_watcher_on_a_filling_disk_stops_cleanly_at_every_point_and_resumes(disk, state_end):
    """One file checked; a second one arrives and the disk has room for 0, 1, 2, ... pages:
    each run either checks it or stops with one line, leaving the state valid (never a torn
    line in it) and the first file's record standing; nothing staged is left. With the
    state file ending just short of a page, the state's own append meets the full disk
    too. Once there is room, the second file is reported exactly once, the first never again."""
    shutil.copy(FIVE, disk / "a.fit")
    assert _watch(disk).exit_code == 0
    if state_end is not None:
        _pad_state(disk, state_end)
    before = (disk / STATE_NAME).read_bytes()
    shutil.copy(EIGHT, disk / "b.fit")
    outcomes, stops = [], set()
    for pages in range(64):
        free(disk)
        fill(disk, pages * PAGE)
        done = _watch(disk)
        assert done.exit_code in (0, 2), done.output
        outcomes.append(done.exit_code)
        state_bytes = (disk / STATE_NAME).read_bytes()
        assert state_bytes.startswith(before) and state_bytes.endswith(b"\n")  # whole lines only
        assert _left_behind(disk) == []
        state = WatchState.load(disk)  # valid: loading it never raises
        assert state.current("a.fit") == file_digest(disk / "a.fit")
        if done.exit_code == 0:
            break
        assert done.stderr.count("\n") == 1 and NOSPACE in done.stderr, done.stderr
        assert f"error: {disk}" in done.stderr
        stops.add("state" if "cannot save the watch state" in done.stderr else "reports")
    assert outcomes[0] == 2 and outcomes[-1] == 0, outcomes
    assert stops == ({"reports"} if state_end is None else {"reports", "state"})
    free(disk)
    assert _watch(disk).exit_code == 0
    records = [json.loads(line) for line in (disk / STATE_NAME).read_text().splitlines()[1:]]
    commits = [r["commit"] for r in records if "commit" in r]
    assert commits.count(file_digest(disk / "b.fit")) == 1
    assert commits.count(file_digest(disk / "a.fit")) == 1
    assert WatchState.load(disk).current("b.fit") == file_digest(disk / "b.fit")
    report = json.loads((disk / "b.fit.report.json").read_text())
    assert report["results"][0]["description"] == "8 x ~400 m / ~400 m"
