"""Faults under load: a worker killed mid-file, a disk that fills while a report is written,
a folder that cannot be written at all. Each costs one file or stops at once with one line,
and never leaves a half-written report or state behind."""

from __future__ import annotations

import errno
import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from workoutcheck.cli import app
from workoutcheck.run import atomic
from workoutcheck.run.batch import TEST_FAULTS_ENV, run_checks
from workoutcheck.run.pipeline import CheckOptions
from workoutcheck.watch.state import STATE_NAME

runner = CliRunner()
FIVE, EIGHT = SAMPLES / "five_by_1000_track.fit", SAMPLES / "eight_by_400_track.fit"


def _inbox(tmp_path):  # type: ignore[no-untyped-def]
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(FIVE, inbox / "a.fit")
    shutil.copy(EIGHT, inbox / "b.fit")
    return inbox


def test_a_worker_killed_with_sigkill_mid_file_is_that_files_error(monkeypatch, tmp_path):
    """The file whose worker was killed gets the error, the others are checked, and the
    exit code says a file could not be checked (3)."""
    inbox = _inbox(tmp_path)
    monkeypatch.setenv(TEST_FAULTS_ENV, "kill=a.fit")
    results = run_checks([(str(inbox / n), CheckOptions(), None) for n in ("a.fit", "b.fit")], 2)
    assert results[0].error == (
        "internal error while checking: the worker process stopped unexpectedly (killed by SIGKILL)"
    )
    assert results[1].error is None and results[1].description == "8 x ~400 m / ~400 m"
    done = runner.invoke(app, ["check", str(inbox), "-f", "jsonl", "-j", "2"])
    assert done.exit_code == 3
    assert [json.loads(line)["status"] for line in done.stdout.splitlines()] == ["error", "pass"]


def _full_disk(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every write of a staged file fails as on a full disk (after the first call, so the
    start-up probe, which writes nothing, passes)."""

    def full(fd, data):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic, "_write_all", full)


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_a_full_disk_while_writing_check_output_keeps_the_old_report(monkeypatch, tmp_path, fmt):
    inbox = _inbox(tmp_path)
    out = tmp_path / "report.out"
    out.write_text("the previous report\n")
    _full_disk(monkeypatch)
    done = runner.invoke(app, ["check", str(inbox), "-f", fmt, "-j", "1", "-o", str(out)])
    assert done.exit_code == 2, done.output
    assert done.stderr.strip().endswith(
        f"{out}: cannot write the report: {os.strerror(errno.ENOSPC)}"
    )
    assert out.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "report.out"]  # nothing staged left


def test_a_full_disk_while_appending_json_lines_keeps_every_finished_line(monkeypatch, tmp_path):
    """JSON Lines output is appended: a full disk stops the batch with one line, and the
    lines already written stay, for --resume."""
    inbox = _inbox(tmp_path)
    out = tmp_path / "out.jsonl"
    real_open = open
    calls = {"n": 0}

    class Full:
        def __init__(self, fh) -> None:  # type: ignore[no-untyped-def]
            self.fh = fh

        def write(self, data):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] > 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.fh.write(data)

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(self.fh, name)

    def opener(path, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        fh = real_open(path, mode, *args, **kwargs)
        return Full(fh) if os.fspath(path) == os.fspath(out) else fh

    monkeypatch.setattr("workoutcheck.run.batch_output.open", opener, raising=False)
    done = runner.invoke(app, ["check", str(inbox), "-f", "jsonl", "-j", "1", "-o", str(out)])
    assert done.exit_code == 2, done.output
    assert f"cannot write the report: {os.strerror(errno.ENOSPC)}" in done.stderr
    [line] = out.read_text().splitlines()
    assert json.loads(line)["file"].endswith("a.fit")


def _read_only(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A read-only file system, as root sees it too (a chmod does not stop root)."""

    def erofs(folder):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(atomic, "_unnamed_file", erofs)


def test_check_output_in_a_read_only_folder_is_refused_before_checking(monkeypatch, tmp_path):
    inbox = _inbox(tmp_path)
    monkeypatch.setenv(TEST_FAULTS_ENV, "raise=a.fit")  # would show if anything were checked
    _read_only(monkeypatch)
    done = runner.invoke(app, ["check", str(inbox), "-f", "json", "-o", str(tmp_path / "r.json")])
    assert done.exit_code == 2
    assert (
        done.stderr == f"workoutcheck: error: {tmp_path / 'r.json'}: cannot write the report: "
        f"{os.strerror(errno.EROFS)}\n"
    )
    assert "a.fit" not in done.output and not (tmp_path / "r.json").exists()


def test_watch_on_a_read_only_folder_is_refused_at_start(monkeypatch, tmp_path):
    inbox = _inbox(tmp_path)
    _read_only(monkeypatch)
    done = runner.invoke(app, ["watch", str(inbox), "--once", "--poll", "0.02", "--no-history"])
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1
    assert f"{inbox}: cannot write in this folder ({os.strerror(errno.EROFS)})" in done.stderr
    assert sorted(p.name for p in inbox.iterdir()) == ["a.fit", "b.fit"]


def test_a_full_disk_while_watching_keeps_the_previous_state(monkeypatch, tmp_path):
    """One file checked and recorded; then the disk fills: the watcher stops with one line,
    and the state still holds the first file, valid, with no half line."""
    inbox = _inbox(tmp_path)
    (inbox / "b.fit").unlink()
    first = runner.invoke(app, ["watch", str(inbox), "--once", "--poll", "0.02", "--no-history"])
    assert first.exit_code == 0, first.output
    before = (inbox / STATE_NAME).read_bytes()
    shutil.copy(EIGHT, inbox / "b.fit")
    _full_disk(monkeypatch)
    done = runner.invoke(app, ["watch", str(inbox), "--once", "--poll", "0.02", "--no-history"])
    assert done.exit_code == 2
    assert os.strerror(errno.ENOSPC) in done.stderr and done.stderr.count("\n") == 1
    assert (inbox / STATE_NAME).read_bytes() == before
    assert not (inbox / "b.fit.report.json").exists()
    assert next(json.loads(line) for line in before.decode().splitlines()) == {"state_version": 2}
