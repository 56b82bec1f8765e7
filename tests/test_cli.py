"""The command line: output, exit codes, one-line errors, and the README staying true."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, corpus_file
from workoutcheck import __version__
from workoutcheck.cli import app

runner = CliRunner()


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick)


def test_version():
    """--version prints the package version."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"workoutcheck {__version__}"


def test_every_command_has_help_and_is_in_the_readme():
    """Each command has help text and a section in the README."""
    readme = (ROOT / "README.md").read_text()
    import typer.main

    group = typer.main.get_command(app)
    assert group.commands, "no commands registered"
    for name, command in group.commands.items():
        assert command.help, f"{name} has no help"
        assert f"`workoutcheck {name}" in readme, f"{name} is not documented in the README"


def test_readme_quick_start_is_what_ci_runs():
    """The README's two commands are exactly the ones .ci/run executes."""
    commands = _readme_commands()
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text()
    for command in commands:
        assert command in ci.splitlines()


def test_info_json_for_a_fit_file():
    """info --format json gives the file's laps and workout with real values."""
    path = corpus_file("fit", "synthetic__garmin-encoder-6x400m.fit")
    result = runner.invoke(app, ["info", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["info_version"] == 1
    (summary,) = data["files"]
    assert summary["source"] == "fit" and summary["sport"] == "running"
    assert summary["records"] == 1932
    assert len(summary["laps"]) == 14
    rep = summary["laps"][1]
    assert rep["distance_m"] == 400.0 and rep["duration_s"] == 82.0
    assert rep["pace_s_per_km"] == 205.0
    assert summary["workout"]["name"] == "6x400m"
    assert summary["start_time"] == "2024-05-01T06:00:01Z"


def test_info_table_shows_laps():
    """The table names the file, the sport and the laps with their paces."""
    path = corpus_file("fit", "synthetic__garmin-encoder-6x400m.fit")
    result = runner.invoke(app, ["info", str(path)])
    assert result.exit_code == 0, result.output
    assert "14 laps" in result.stdout
    assert "3:25/km" in result.stdout  # 400 m in 82 s
    assert "embedded workout 6x400m" in result.stdout


def test_bad_file_gives_one_line_and_exit_3_while_others_are_read():
    """One unreadable file never stops the batch: it gets one error line and exit code 3."""
    good = corpus_file("fit", "synthetic__garmin-encoder-6x400m.fit")
    bad = corpus_file("bad", "fitparse__activity-filecrc.fit")
    result = runner.invoke(app, ["info", str(bad), str(good), "--format", "json"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert "CRC" in data["files"][0]["error"]
    assert data["files"][1]["records"] == 1932
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith("workoutcheck: error: ")


def test_partial_uses_the_readable_records():
    """--partial reads a truncated file's records instead of refusing it."""
    bad = corpus_file("bad", "fitparse__activity-unexpected-eof.fit")
    result = runner.invoke(app, ["info", str(bad), "--partial", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"][0]["records"] == 14


def test_empty_folder_is_bad_usage(tmp_path):
    """A folder without watch files is a usage error (exit 2) with a one-line message."""
    result = runner.invoke(app, ["info", str(tmp_path)])
    assert result.exit_code == 2
    assert "no watch files" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["info", "--help"]])
def test_help_runs(args):
    """Help is printed without error."""
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_real_cli_in_a_subprocess_never_prints_a_traceback():
    """The installed entry point prints one line for a damaged file and exits 3."""
    bad = corpus_file("bad", "fitparse__activity-settings-corruptheader.fit")
    proc = subprocess.run(
        [sys.executable, "-m", "workoutcheck", "info", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert "corrupt header" in proc.stderr


def test_plan_command_json_resolves_paces():
    """plan --format json gives each step with its target pace and band."""
    result = runner.invoke(app, ["plan", "5x1000m @ 3:45/km, 400m jog", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    work = [s for s in data["steps"] if s["kind"] == "work"]
    assert len(work) == 5
    assert work[0]["pace_s_per_km"] == 225.0
    assert work[0]["band_s_per_km"] == pytest.approx([220.5, 229.5])


def test_plan_command_table_and_plan_file(tmp_path):
    """A plan file gives the same plan as the text; the table shows the target paces."""
    plan_file = tmp_path / "session.txt"
    plan_file.write_text("8 x 400m in 80s, 400m jog\n")
    result = runner.invoke(app, ["plan", "--plan-file", str(plan_file)])
    assert result.exit_code == 0, result.output
    assert "3:20" in result.stdout  # 80 s per 400 m is 3:20/km


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "5x1000q @ 3:45/km"], "column 7"),
        (["plan", "5x1000m @ 5K pace"], "needs the athlete's 5K race time"),
        (["plan"], "give a plan"),
    ],
)
def test_bad_plans_exit_2_with_one_line(args, message):
    """A plan that cannot be understood is bad usage: exit 2 and one line naming the problem."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_zones_json_has_vdot_paces_and_critical_speed():
    """zones from two races: VDOT training paces and critical speed."""
    result = runner.invoke(
        app, ["zones", "--race", "10K=40:00", "--race", "5K=19:00", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = json.dumps(data)
    assert "critical" in text.lower()
    assert "threshold" in text


def test_readme_shows_what_the_main_command_prints(monkeypatch):
    """Every line of the README's sample output (bar the '...') is in the real output."""
    monkeypatch.chdir(ROOT)
    text = (ROOT / "README.md").read_text()
    command = _readme_commands()[0].split(".venv/bin/workoutcheck ", 1)[1]
    shown = text.split("The first prints", 1)[1].split("```", 2)[1].splitlines()[1:]
    result = runner.invoke(app, [*shlex.split(command), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    for line in shown:
        if line.strip() and line.strip() != "...":
            assert line in result.stdout.splitlines(), line
