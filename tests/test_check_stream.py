"""Streamed batches: results written in input order as they finish, equal to the whole-list
report byte for byte, resumable after a kill; the executor seam and ``load`` from bytes."""

from __future__ import annotations

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
from workoutcheck.ingest import load
from workoutcheck.report.formats import render
from workoutcheck.run.batch import (
    TEST_FAULTS_ENV,
    Executor,
    InProcess,
    LocalPool,
    check_task,
    iter_checks,
    run_checks,
)
from workoutcheck.run.pipeline import CheckOptions

runner = CliRunner()
FILES = sorted(SAMPLES.glob("*.fit")) + [
    SAMPLES / "five_by_1000_track.gpx",
    SAMPLES / "tempo_20min_road.tcx",
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The samples and one file that is not a watch file."""
    base = tmp_path_factory.mktemp("stream")
    for path in FILES:
        shutil.copy(path, base / path.name)
    (base / "zz_junk.gpx").write_bytes(b"not a watch file\n")
    return base


@pytest.fixture(scope="module")
def whole(folder):  # type: ignore[no-untyped-def]
    """The results of the folder as the non-streaming ``check`` renders them."""
    from workoutcheck.run.files import expand_paths

    tasks = [(str(p), CheckOptions(), None) for p in expand_paths([folder])]
    return run_checks(tasks, 1)


def test_jsonl_lines_are_the_json_documents_results_byte_for_byte(folder, whole):
    """One line per file in input order; the JSON document rebuilt from the lines is the
    non-streaming JSON exactly; the exit code is the batch's (3: one unreadable file)."""
    done = runner.invoke(app, ["check", str(folder), "--format", "jsonl", "-j", "2"])
    assert done.exit_code == 3, done.output
    lines = done.stdout.splitlines()
    assert len(lines) == len(whole) == 10
    assert [json.loads(line)["file"] for line in lines] == [r.file for r in whole]
    rebuilt = {"schema_version": 1, "results": [json.loads(line) for line in lines]}
    assert json.dumps(rebuilt, indent=2, ensure_ascii=False) + "\n" == render(
        whole, "json", color=False
    )
    assert json.loads(lines[-1])["status"] == "error"
    assert all("\n" not in line for line in lines)


@pytest.mark.parametrize("fmt", ["json", "csv", "junit"])
def test_streamed_json_and_csv_equal_the_whole_list_render(folder, whole, fmt, tmp_path):
    """Streamed to stdout and to --output (staged, replaced when complete): the same bytes."""
    out = tmp_path / f"report.{fmt}"
    to_stdout = runner.invoke(app, ["check", str(folder), "--format", fmt, "-j", "2"])
    to_file = runner.invoke(app, ["check", str(folder), "--format", fmt, "-j", "2", "-o", str(out)])
    expected = render(whole, fmt, color=False).encode()
    assert to_stdout.stdout_bytes == expected
    assert (to_file.exit_code, out.read_bytes()) == (3, expected)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no staged file left behind


def test_an_empty_batch_streams_an_empty_document(tmp_path):
    from workoutcheck.report.stream import stream_for

    for fmt in ("json", "csv", "junit"):
        stream, parts = stream_for(fmt), []
        parts.append(stream.begin())
        stream.finish(parts.append)
        assert "".join(parts) == render([], fmt, color=False)
    assert stream_for("jsonl").begin() + stream_for("jsonl").end() == ""


def _copies(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the samples, named so they sort in the order made."""
    folder.mkdir()
    paths = []
    for i in range(count):
        source = FILES[i % len(FILES)]
        paths.append(folder / f"f{i:03d}{source.suffix}")
        shutil.copy(source, paths[-1])
    return paths


def _cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "workoutcheck", "check", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_resume_after_sigkill_checks_only_the_missing_files_and_equals_an_uninterrupted_run(
    tmp_path,
):
    """A batch killed with SIGKILL while file 15 hangs leaves files 0-14's lines (and here a
    torn line as a kill mid-write would). ``--resume`` keeps those lines, cuts the torn one,
    and checks only the rest: a fault planted on file 3 for the resumed run never shows, so
    file 3 was not checked again; the joined output equals an uninterrupted run's."""
    paths = _copies(tmp_path / "in", 24)
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    assert _cli(str(tmp_path / "in"), "-f", "jsonl", "-j", "1", "-o", str(full)).wait(120) == 0
    hung = _cli(
        str(tmp_path / "in"),
        "-f",
        "jsonl",
        "-j",
        "1",
        "-o",
        str(part),
        env={TEST_FAULTS_ENV: f"sleep={paths[15].name}"},
    )
    try:
        for _ in range(1200):  # a bounded number of polls, not a time limit
            if part.exists() and part.read_bytes().count(b"\n") == 15:
                break
            assert hung.poll() is None, "the batch stopped before file 15"
            time.sleep(0.05)
        else:
            pytest.fail("the batch did not reach file 15")
        time.sleep(0.2)
    finally:
        hung.send_signal(signal.SIGKILL)
        hung.wait(30)
    assert hung.returncode == -signal.SIGKILL
    with open(part, "ab") as fh:
        fh.write(b'{"file": "' + str(paths[15]).encode())  # a line torn by the kill
    resumed = _cli(
        str(tmp_path / "in"),
        "-f",
        "jsonl",
        "-j",
        "2",
        "-o",
        str(part),
        "--resume",
        env={TEST_FAULTS_ENV: f"raise={paths[3].name}"},
    )
    assert resumed.wait(120) == 0
    assert part.read_bytes() == full.read_bytes()
    assert len(full.read_bytes().splitlines()) == 24
    again = _cli(
        str(tmp_path / "in"),
        "-f",
        "jsonl",
        "-o",
        str(part),
        "--resume",
        env={TEST_FAULTS_ENV: ",".join(f"raise={p.name}" for p in paths)},
    )
    assert again.wait(60) == 0 and part.read_bytes() == full.read_bytes()  # nothing left to check
    lines = full.read_bytes().splitlines(keepends=True)
    part.write_bytes(b"".join(lines[:5]).replace(b'"status": "pass"', b'"status": "error"', 1))
    assert (
        _cli(str(tmp_path / "in"), "-f", "jsonl", "-o", str(part), "--resume").wait(120) == 3
    )  # kept lines count


def test_streamed_junit_with_failures_equals_the_whole_list_render(tmp_path):
    """With a plan there are failed and warned checks: the totals and the suites are the
    same as the whole-list JUnit, --fail-on warn included."""
    from workoutcheck.plan import parse_plan

    plan = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
    paths = [SAMPLES / "five_by_1000_track.fit", SAMPLES / "eight_by_400_track.fit"]
    results = run_checks([(str(p), CheckOptions(plan=parse_plan(plan)), None) for p in paths], 1)
    for fail_on in ("fail", "warn"):
        done = runner.invoke(
            app,
            [
                "check",
                *map(str, paths),
                "--plan",
                plan,
                "-f",
                "junit",
                "-j",
                "1",
                "--fail-on",
                fail_on,
            ],
        )
        expected = render(results, "junit", color=False, warn_as_failure=fail_on == "warn")
        assert done.stdout == expected
        assert 'failures="0"' not in expected.splitlines()[1]


def test_resume_needs_jsonl_output(tmp_path):
    done = runner.invoke(
        app,
        [
            "check",
            str(SAMPLES / "five_by_1000_track.fit"),
            "--resume",
            "-f",
            "json",
            "-o",
            str(tmp_path / "r.json"),
        ],
    )
    assert done.exit_code == 2
    assert "--resume needs --format jsonl and --output FILE" in done.stderr


def test_a_small_window_keeps_task_order_and_results(folder, whole):
    """Four tasks at most ahead of the first not yet yielded: the same results, in order."""
    tasks = [(r.file, CheckOptions(), None) for r in whole]
    streamed = list(LocalPool(2, window=2, keep_series=True).run(tasks, None))
    assert streamed == whole


def test_chart_data_stays_in_the_worker_unless_asked_for(folder, whole):
    tasks = [(r.file, CheckOptions(), None) for r in whole[:3]]
    assert all(r.series is not None for r in whole[:3])
    assert all(r.series is None for r in iter_checks(tasks, 2, keep_series=False))
    assert [r.series is not None for r in iter_checks(tasks, 1)] == [True] * 3


def test_any_executor_runs_the_same_task_function(whole):
    """A stand-in for a distributed engine: it runs ``check_task`` on each task itself."""

    class Recording(Executor):
        def __init__(self) -> None:
            self.ran: list[str] = []

        def run(self, tasks, progress):  # type: ignore[no-untyped-def]
            for task in tasks:
                self.ran.append(Path(task[0]).name)
                yield check_task(task, None)

    tasks = [(r.file, CheckOptions(), None) for r in whole[:2]]
    engine = Recording()
    assert list(iter_checks(tasks, executor=engine)) == whole[:2]
    assert engine.ran == [Path(r.file).name for r in whole[:2]]
    assert list(InProcess().run(tasks, None)) == whole[:2]


def test_load_accepts_bytes_as_well_as_a_path():
    path = SAMPLES / "five_by_1000_track.fit"
    from_bytes = load(path.read_bytes(), name="run.fit")
    from_path = load(path)
    assert (
        from_bytes.distance.tolist() == from_path.distance.tolist() and from_bytes.path == "run.fit"
    )
    assert from_bytes.start_time == from_path.start_time
    with pytest.raises(Exception, match="run.gpx: the file is empty"):
        load(b"", name="run.gpx")
    with pytest.raises(Exception, match="over the"):
        load(path.read_bytes(), name="run.fit", max_bytes=1000)
