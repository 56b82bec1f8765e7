"""The command line as a person meets it: on a terminal (a pty), in a closed pipe, in --help."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workoutcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "sample_files" / "eight_by_400_track.fit")
PLAN = "wu 15min; 8 x 400m in 80s, 400m jog; cd 10min"
COMMANDS = ("info", "plan", "zones", "check", "watch", "squad", "history", "workout")
ESC = b"\x1b["


def _on_a_terminal(args: list[str], env: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Run workoutcheck with stdout and stderr on a pseudo-terminal; (exit code, all it printed)."""
    main, child = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update({"TERM": "xterm-256color", "COLUMNS": "120", **(env or {})})
    proc = subprocess.Popen(
        [sys.executable, "-m", "workoutcheck", *args],
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
        env=environ,
        cwd=ROOT,
    )
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return proc.wait(timeout=120), out


def test_the_table_is_coloured_on_a_terminal_by_default() -> None:
    code, out = _on_a_terminal(["check", SAMPLE, "--plan", PLAN])
    assert code in (0, 1) and ESC in out


@pytest.mark.parametrize(("args", "env"), [([], {"NO_COLOR": "1"}), (["--color", "never"], {})])
def test_no_color_and_color_never_print_no_escape_codes(
    args: list[str], env: dict[str, str]
) -> None:
    code, out = _on_a_terminal(["check", SAMPLE, "--plan", PLAN, *args], env)
    assert code in (0, 1)
    assert ESC not in out
    assert b"rep 1" in out


def test_color_always_colours_a_pipe() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "workoutcheck",
            "check",
            SAMPLE,
            "--plan",
            PLAN,
            "--color",
            "always",
        ],
        check=False,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert ESC.decode() in proc.stdout.decode()


def test_a_file_error_is_printed_once_on_a_terminal(tmp_path: Path) -> None:
    bad = tmp_path / "broken.fit"
    bad.write_bytes(b"\x0e\x10not a fit file at all")
    _, out = _on_a_terminal(["check", str(bad), SAMPLE, "--color", "never"])
    assert out.count(b"broken.fit") == 1


def test_a_closed_pipe_exits_quietly() -> None:
    """``zones ... | head -1``: exit 141 (SIGPIPE's) or 0, never 1, and no traceback."""
    script = f'{sys.executable} -m workoutcheck zones --race 5K=20:00 | head -1; echo "rc=${{PIPESTATUS[0]}}"'
    proc = subprocess.run(
        ["bash", "-c", script], check=False, capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.stderr == ""
    assert proc.stdout.strip().splitlines()[-1] in ("rc=0", "rc=141")
    big = f'{sys.executable} -m workoutcheck check {SAMPLE} --format json | head -c 10; echo; echo "rc=${{PIPESTATUS[0]}}"'
    proc = subprocess.run(
        ["bash", "-c", big], check=False, capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.stderr == ""  # not "cannot write the report: Broken pipe"
    assert proc.stdout.strip().splitlines()[-1] in ("rc=0", "rc=141")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_reads_cleanly_with_an_example(command: str) -> None:
    for flag in ("--help", "-h"):
        result = CliRunner().invoke(app, [command, flag], env={"COLUMNS": "100"})
        assert result.exit_code == 0, result.output
        text = result.output
        assert "Example:" in text and f"workoutcheck {command} " in text.split("Example:")[1]
        for raw in ("<bool>", "<str>", "<path>", "<list[", "{paths}", "<int", "<float", "None"):
            assert raw not in text, f"{command} {flag}: {raw} in help"


def test_top_level_help_offers_completion() -> None:
    result = CliRunner().invoke(app, ["-h"])
    assert result.exit_code == 0
    assert "--install-completion" in result.output and "--show-completion" in result.output


def test_plan_numbers_steps_as_check_json_does() -> None:
    """``workoutcheck plan`` prints the `step` that check's JSON and CSV give each segment."""
    import json

    from workoutcheck.plan import parse_plan, plan_rows, resolve

    header, rows = plan_rows(resolve(parse_plan(PLAN)))
    assert header[0] == "step"
    printed = {row[header.index("rep")]: int(row[0]) for row in rows if row[header.index("rep")]}
    result = CliRunner().invoke(app, ["check", SAMPLE, "--plan", PLAN, "--format", "json"])
    segments = json.loads(result.stdout)["results"][0]["segments"]
    in_json = {str(s["rep"]): s["step"] for s in segments if s["kind"] == "rep"}
    assert printed == in_json and printed["1"] == 1  # warm-up is step 0
