"""`--format markdown`: the table report as a Markdown table, names and messages escaped."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from tests.report_cases import failing_session
from workoutcheck.report.check_markdown import md, render_markdown
from workoutcheck.score.result import FileResult, Status

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_files"
PLAN = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"


def test_a_session_reads_as_the_table_does():
    """Header, one Markdown row per notebook row (the same figures as the table), the
    footnote for prescribed distances, problems first and passes counted, the notes."""
    text = render_markdown([failing_session()])
    lines = text.splitlines()
    assert lines[0] == "## failing session.gpx"
    assert "Plan: 5x1000m @ 3:45/km, 400m jog  " in lines
    assert "Status: **FAIL**, score 54/100" in lines
    assert "| # | start | time | distance | pace | target | verdict |" in lines
    assert "|---|---:|---:|---:|---:|---|---|" in lines
    assert "| rep 2 | 17:49 | 3:32.9 | 1.00 km\\* | 3:33/km | 3:40-3:50/km | 8 s/km fast |" in lines
    assert "| rep 5 | - | - | - | - | 3:40-3:50/km | missed |" in lines
    assert lines.index("- **FAIL** `missed_rep`: Rep 5 of 5 was not run.") < lines.index(
        "- **WARN** `rep_pace`: Rep 3: 4:02/km, 17 s/km (7.4%) slower than 3:45/km (3:40-3:50/km)."
    )
    assert "- 2 checks passed" in lines
    assert (
        lines[-1]
        == "- note: The GPS signal was lost for 40 s during rep 3; the distance is bridged."
    )
    # every table row has the header's seven cells
    table = [line for line in lines if line.startswith("| ")]
    assert {line.count(" | ") for line in table} == {6}


def test_names_and_messages_cannot_add_markup_or_columns():
    """A file name, athlete or note from an athlete is literal text: no bold, no link, no
    extra table column, no raw HTML, and no forged line."""
    hostile = replace(
        failing_session(),
        file="*x*|y_[a](http://e)<b>.gpx\nFAKE: PASS",
        athlete="Jo | <script>",
        notes=("`rm` & *done*",),
    )
    text = render_markdown([hostile])
    head = text.splitlines()[0]
    assert (
        head == "## \\*x\\*\\|y\\_\\[a\\](http://e)\\<b\\>.gpx\\\\nFAKE: PASS (Jo \\| \\<script\\>)"
    )
    assert "- note: \\`rm\\` \\& \\*done\\*" in text
    assert "\nFAKE" not in text
    assert md("3:41-3:50/km ±1.1%") == "3:41-3:50/km ±1.1%"  # figures stay as the table has them


def test_an_unreadable_file_is_its_heading_and_the_error():
    bad = FileResult.failed("bad.fit", "bad.fit: not a FIT file (no .FIT header)")
    assert render_markdown([bad]) == "## bad.fit\n\n**ERROR**: not a FIT file (no .FIT header)\n"


def test_check_writes_markdown_with_the_samples_figures():
    """The CLI offers the format from the registry: the sample's reps as the JSON has them."""
    args = [sys.executable, "-m", "workoutcheck", "check", str(SAMPLES / "five_by_1000_track.fit")]
    md_run = subprocess.run(
        [*args, "--plan", PLAN, "--format", "markdown"], capture_output=True, text=True
    )
    js_run = subprocess.run(
        [*args, "--plan", PLAN, "--format", "json"], capture_output=True, text=True
    )
    assert md_run.returncode == js_run.returncode == 0, md_run.stderr
    result = json.loads(js_run.stdout)["results"][0]
    reps = [s for s in result["segments"] if s["kind"] == "rep"]
    rows = [line for line in md_run.stdout.splitlines() if line.startswith("| rep ")]
    assert len(rows) == len(reps) == 5
    for row, rep in zip(rows, reps, strict=True):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == f"rep {rep['rep']}"
        assert cells[3] == "1.00 km\\*"  # the prescribed distance on a track
        assert cells[6].startswith("on target")
    assert f"score {round(result['score'])}/100" in md_run.stdout
    assert Status(result["status"]) is Status.PASS
