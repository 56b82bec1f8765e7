"""Stalled copies: a file that fails to read moments after it changed is not final.

A USB or network copy stalls for seconds at a time; the watcher takes a file as complete
after a fraction of a second without change, so it may read half of one. Such a failure is
recorded as unsettled (no report), the file is checked again when it changes, and only a
file unchanged for ``settle`` seconds gets its error report.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.conftest import SAMPLES
from tests.test_watch import Running
from workoutcheck.watch.state import STATE_NAME, WatchState
from workoutcheck.watch.watcher import Watcher

GPX = SAMPLES / "five_by_1000_track.gpx"
FAST = {"poll_interval": 0.05, "stable_polls": 2, "bounds": None}


def _records(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / STATE_NAME).read_text().splitlines()[1:]]


def test_a_gpx_written_in_two_parts_seconds_apart_never_gets_an_error_report(tmp_path):
    """The first half is read and fails (unclosed XML): no report, an ``unsettled`` state
    line; the second half arrives 3 s later and the complete file gets the one report."""
    data = GPX.read_bytes()
    half = len(data) // 2
    reports_seen: list[str] = []
    with Running(tmp_path, settle=30) as w:
        (tmp_path / "run.gpx").write_bytes(data[:half])
        w.wait_for("the half file to be read", lambda: w.for_name("run.gpx"))
        for _ in range(
            60
        ):  # the copy stalls (about 3 s of polls); nothing may be reported meanwhile
            if (tmp_path / "run.gpx.report.json").exists():
                reports_seen.append((tmp_path / "run.gpx.report.json").read_text())
            time.sleep(0.05)
        assert WatchState.load(tmp_path).waiting("run.gpx") is not None
        with open(tmp_path / "run.gpx", "ab") as fh:
            fh.write(data[half:])
        w.wait_for("the complete file to be checked", lambda: w.checked("run.gpx"))
    assert reports_seen == []
    first = w.for_name("run.gpx")[0]
    assert first.result is None
    assert first.line.startswith("run.gpx: not complete yet? (broken XML")
    assert first.line.endswith("reported if unchanged for 30 s")
    [final] = w.checked("run.gpx")
    assert final.line.startswith("run.gpx: no plan: 5 x ~")  # described, not an error
    report = json.loads((tmp_path / "run.gpx.report.json").read_text())["results"][0]
    assert (report["status"], report["error"]) == ("pass", None)
    kinds = [
        next(iter(k for k in ("unsettled", "intent", "commit") if k in r))
        for r in _records(tmp_path)
    ]
    assert kinds == ["unsettled", "intent", "commit"]
    assert WatchState.load(tmp_path).waiting("run.gpx") is None  # settled by the final result


def test_a_broken_file_left_unchanged_for_the_settle_time_gets_its_error_report(tmp_path):
    """``--once`` waits for the settle time, then reports the file as it is: the state
    holds the unsettled line, then the final error."""
    (tmp_path / "cut.gpx").write_bytes(GPX.read_bytes()[:3000])
    outcomes = Watcher(tmp_path, settle=1.0, **FAST).process_existing()
    first, final = outcomes
    assert first.result is None and first.line.startswith("cut.gpx: not complete yet? (broken XML")
    assert final.line.startswith("cut.gpx: error: broken XML")
    assert (
        json.loads((tmp_path / "cut.gpx.report.json").read_text())["results"][0]["status"]
        == "error"
    )
    records = _records(tmp_path)
    assert records[0]["unsettled"] == records[1]["intent"] and records[0]["file"] == "cut.gpx"
    assert records[0]["error"].startswith("broken XML")
    assert records[1]["done"]["status"] == "error"
    assert WatchState.load(tmp_path).waiting("cut.gpx") is None


def test_an_old_broken_file_is_reported_at_once(tmp_path, monkeypatch):
    """A file last changed long ago cannot be a copy in progress: final at the first read.
    (The change time cannot be set back, so the watcher's clock is moved forward.)"""
    (tmp_path / "junk.tcx").write_bytes(b"not a watch file\n")
    watcher = Watcher(tmp_path, settle=30.0, **FAST)
    real = time.time
    monkeypatch.setattr("workoutcheck.watch.watcher.time.time", lambda: real() + 60.0)
    [outcome] = watcher.process_existing()
    assert outcome.line.startswith("junk.tcx: error: not a FIT, GPX, TCX or PWX file")
    assert [("intent" in r, "commit" in r) for r in _records(tmp_path)] == [
        (True, False),
        (False, True),
    ]


def test_an_unsettled_record_survives_a_restart_and_compaction(tmp_path):
    """The record is kept across a load and a compaction until the name gets a result."""
    state = WatchState.load(tmp_path)
    state.unsettled("ab" * 32, "run.tcx", "broken XML at line 3")
    again = WatchState.load(tmp_path)
    assert again.waiting("run.tcx") == {
        "unsettled": "ab" * 32,
        "file": "run.tcx",
        "error": "broken XML at line 3",
        "seen_at": again.waiting("run.tcx")["seen_at"],
    }
    again._compact()
    assert WatchState.load(tmp_path).waiting("run.tcx")["error"] == "broken XML at line 3"


def test_a_bad_settle_time_is_one_line_and_exit_2(tmp_path):
    from typer.testing import CliRunner

    from workoutcheck.cli import app

    done = CliRunner().invoke(app, ["watch", str(tmp_path), "--once", "--settle", "-1"])
    assert done.exit_code == 2
    assert "--settle must be a number of seconds from 0 to 86400" in done.stderr


def test_a_failed_read_is_judged_by_the_files_age_when_read_not_after_a_slow_check(
    tmp_path, monkeypatch
):
    """On a loaded machine a check of half a file can take longer than the settle time; the
    file had changed moments before it was read, so the failure is still not final."""
    (tmp_path / "run.gpx").write_bytes(GPX.read_bytes()[:1000])
    watcher = Watcher(tmp_path, settle=5, **FAST)
    real_check, late = watcher._check, {"by": 0.0}

    def slow_check(path):  # type: ignore[no-untyped-def]
        result = real_check(path)
        late["by"] = 60.0  # the watcher's clock: the check took a minute
        return result

    class Clock:
        @staticmethod
        def time() -> float:
            return time.time() + late["by"]

    monkeypatch.setattr(watcher, "_check", slow_check)
    monkeypatch.setattr("workoutcheck.watch.watcher.time", Clock)
    outcome = watcher.handle(tmp_path / "run.gpx")
    assert outcome.result is None and outcome.line is not None
    assert outcome.line.startswith("run.gpx: not complete yet? (broken XML")
    assert not (tmp_path / "run.gpx.report.json").exists()
    assert WatchState.load(tmp_path).waiting("run.gpx") is not None
