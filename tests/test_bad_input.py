"""One bad option, config file or name is one line and exit 2 (or a file's own error, exit 3):
never a traceback, a signal or a hang. Every input is generated here; nothing big is stored."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from workoutcheck.cli import app
from workoutcheck.errors import printable

FIVE = SAMPLES / "five_by_1000_track.fit"
PLAN = "5x1000m @ 3:45/km, 400m jog"


def _one_line(result, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def _config(tmp_path, kind: str, content: bytes):  # type: ignore[no-untyped-def]
    """The command line reading ``content`` as a profile, roster or schedule."""
    path = tmp_path / f"{kind}.toml"
    path.write_bytes(content)
    return {
        "profile": ["plan", "5x1000m @ 5K pace", "--profile", str(path)],
        "roster": ["squad", str(tmp_path), "--roster", str(path), "--plan", PLAN],
        "schedule": ["watch", str(tmp_path), "--once", "--schedule", str(path)],
    }[kind]


@pytest.mark.parametrize("kind", ["profile", "roster", "schedule"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'name = "Ann\xff"\n', "is not UTF-8 text (byte 11)"),
        (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nests tables or arrays too deeply"),
        (b"a = {" + b"b = {" * 3000 + b"}" * 3001 + b"\n", "nests tables or arrays too deeply"),
        (b"[plans\n", "is not valid TOML"),
        (b"a = " + b"9" * 5000 + b"\n", "holds a number too long to read"),
    ],
)
def test_a_bad_config_file_is_one_line(tmp_path, kind, content, message):
    """Not UTF-8, nested thousands deep, or broken: one line naming the file, exit 2."""
    _one_line(CliRunner().invoke(app, _config(tmp_path, kind, content)), 2, message)


@pytest.mark.parametrize("kind", ["profile", "roster", "schedule"])
def test_a_config_that_is_a_fifo_or_a_device_is_refused_unread(tmp_path, kind):
    """A FIFO would block the read forever and /dev/zero never ends: refused before reading."""
    args = _config(tmp_path, kind, b"")
    path = tmp_path / f"{kind}.toml"
    path.unlink()
    os.mkfifo(path)
    _one_line(CliRunner().invoke(app, args), 2, "not a regular file")
    path.unlink()
    path.symlink_to("/dev/zero")
    _one_line(CliRunner().invoke(app, args), 2, "not a regular file")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", str(FIVE), "--max-size", "inf"], "--max-size: expected a number of MB"),
        (
            ["squad", str(SAMPLES), "--roster", "r.toml", "--plan", PLAN, "--max-size", "inf"],
            "--max-size: expected a number of MB",
        ),
        (
            ["watch", str(SAMPLES), "--once", "--max-size", "inf"],
            "--max-size: expected a number of MB",
        ),
        (["watch", str(SAMPLES), "--once", "--poll", "inf"], "--poll must be a positive number"),
        (["check", str(FIVE), "--jobs", "100000"], "--jobs: at most 64 files at once"),
        (
            ["zones", "--race", "5K=20:00", "--race", "5K=19:00"],
            "critical speed needs races of different",
        ),
        (["plan", "5x1000m @ 3:4⁵/km"], "two digits of seconds after the colon"),
        (["plan", "5x1e20m"], "a distance or a duration unit"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2(tmp_path, monkeypatch, args, message):
    """inf, nan-like and absurd values that once raised OverflowError or ZeroDivisionError."""
    (tmp_path / "r.toml").write_text('[athletes.ann]\nfiles = "*"\n')
    monkeypatch.chdir(tmp_path)
    _one_line(CliRunner().invoke(app, args), 2, message)


def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path):
    """``check run.fit -o run.fit`` would replace the run with its report."""
    run = tmp_path / "run.fit"
    shutil.copy(FIVE, run)
    result = CliRunner().invoke(
        app, ["check", str(run), "--plan", PLAN, "-f", "json", "-o", str(run)]
    )
    _one_line(result, 2, "--output names an input file")
    assert run.read_bytes() == FIVE.read_bytes()
    link = tmp_path / "link.json"
    link.symlink_to(run)
    _one_line(
        CliRunner().invoke(app, ["check", str(tmp_path), "-o", str(link)]),
        2,
        "--output names an input",
    )


def test_output_is_written_atomically_with_no_stray_file(tmp_path):
    """The report replaces the old file whole; nothing else is left in the folder."""
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_text("old")
    result = CliRunner().invoke(
        app, ["check", str(FIVE), "--plan", PLAN, "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["results"][0]["score"] == 95.4
    assert os.listdir(out.parent) == ["report.json"]


NASTY = b"a\xff\nforged.fit: PASS \x1b[2J\xe2\x80\xae.fit"


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "junit", "html"])
def test_a_name_that_is_not_utf8_is_checked_in_every_format(tmp_path, fmt):
    """A name with an undecodable byte, a newline and an escape sequence: the file is checked,
    the report written (-o and stdout), and no raw control character is printed."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIVE, os.fsdecode(os.fsencode(folder) + b"/" + NASTY))
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(
        app, ["check", str(folder), "--plan", PLAN, "-f", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = out.read_bytes()
    written.decode("utf-8")  # valid UTF-8 whatever the name
    if fmt == "json":
        assert json.loads(written)["results"][0]["file"].endswith(
            "a\udcff\nforged.fit: PASS \x1b[2J\u202e.fit"
        )
    else:
        assert b"\x1b" not in written and b"\xff" not in written
        assert b"forged.fit: PASS" in written and b"\\xff\\nforged.fit" in written
    shown = CliRunner().invoke(app, ["check", str(folder), "--plan", PLAN, "-f", fmt])
    assert shown.exit_code == 0, shown.output
    if fmt != "json":
        assert "\x1b" not in shown.stdout and "\udcff" not in shown.stdout
        assert not any(line.startswith("forged.fit") for line in shown.stdout.splitlines())


def test_printable_escapes_what_a_terminal_would_obey():
    """Newlines, escape sequences, bidi overrides and undecodable bytes become escapes."""
    assert (
        printable("a\nb\r\t\x1b[2J\u202e\udcff\x7fé.fit")
        == "a\\nb\\r\\t\\x1b[2J\\u202e\\xff\\x7fé.fit"
    )
    assert printable("plain run é.fit") == "plain run é.fit"


def _deep(doc: str, n: int) -> str:
    """``doc`` with ``n`` nested elements inside its first <extensions>/<Extensions>."""
    at = doc.lower().index("<extensions>") + len("<extensions>")
    return doc[:at] + "<a>" * n + "</a>" * n + doc[at:]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("kind", ["gpx", "tcx"])
def test_deep_nesting_is_refused_before_any_parser_runs(tmp_path, kind, encoding):
    """200,000 nested elements (1.4 MB) segfaulted gpxpy; now one line, exit 3, in a real
    process (a crash would be a negative return code), for info and check."""
    import subprocess
    import sys

    from tests.test_fuzz_xml import gpx_base, tcx_base

    doc = _deep((gpx_base if kind == "gpx" else tcx_base)(5), 200_000)
    if encoding != "utf-8":
        doc = doc.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / f"deep.{kind}"
    path.write_bytes(doc.encode(encoding))
    for args in (["info", str(path)], ["check", str(path), "--jobs", "1"]):
        run = subprocess.run(
            [sys.executable, "-m", "workoutcheck", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 3, (args, run.returncode, run.stderr[-500:])
        assert "XML elements nested over 2000 deep" in run.stderr
        assert "Traceback" not in run.stderr


def test_ordinary_nesting_and_many_self_closing_tags_still_load(tmp_path):
    """Depth 1000 is allowed (a fuzz regression file has it); thousands of <a/> and <!-- --> side by side are no depth."""
    from tests.test_fuzz_xml import gpx_base
    from workoutcheck.ingest import load

    doc = _deep(gpx_base(30), 1000)
    at = doc.index("<trkseg>")
    doc = doc[:at] + "<!-- x --><a/>" * 5000 + doc[at:]
    path = tmp_path / "ok.gpx"
    path.write_text(doc)
    assert len(load(path).t) == 30


def test_a_time_zone_name_thousands_of_folders_deep_is_one_line(tmp_path):
    """``ZoneInfo`` recursed once per "/" (RecursionError); found by the TOML fuzzer."""
    args = _config(
        tmp_path, "schedule", b'timezone = "a' + b"/b" * 3000 + b'"\n[plans]\nmon = "5x400m"\n'
    )
    _one_line(CliRunner().invoke(app, args), 2, "timezone: unknown time zone 'a/b/b/b")


def test_a_kill_while_a_report_is_written_leaves_no_file(tmp_path):
    """SIGKILL in the middle of writing ``--output`` (or a watcher's report): the content
    was going into an unnamed file, so nothing is left; the old report is untouched."""
    import signal
    import subprocess
    import sys

    (tmp_path / "report.json").write_text("old")
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from workoutcheck.run import atomic\n"
        "def stall(fd, data):\n"
        "    os.write(fd, data[:10]); print('writing', flush=True); time.sleep(60)\n"
        "atomic._write_all = stall\n"
        f"atomic.write_atomically(Path({str(tmp_path / 'report.json')!r}), 'x' * 1000)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "writing\n"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=20)
    assert os.listdir(tmp_path) == ["report.json"]
    assert (tmp_path / "report.json").read_text() == "old"
