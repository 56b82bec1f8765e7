"""The table a runner reads: plain text without a terminal, the same text plus colour with one."""

from __future__ import annotations

import re
from dataclasses import replace

from tests.report_cases import (
    CASES,
    error_result,
    failing_session,
    no_plan_session,
    passing_session,
)
from workoutcheck.report.check_table import band_text, render_table, segment_label, verdict_text
from workoutcheck.score.result import Check, ScoredSegment, Status, Verdict
from workoutcheck.segment.result import Segment, SegmentKind

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_no_escape_codes_without_colour() -> None:
    """color=False gives no ANSI escape at all, so pipes and files get clean text."""
    text = render_table(CASES["batch-of-four"], color=False)
    assert "\x1b" not in text
    assert "rep 3" in text


def test_colour_changes_nothing_but_colour() -> None:
    """With colour the text is the same once the escape codes are removed; fail is red."""
    plain = render_table(CASES["batch-of-four"], color=False)
    coloured = render_table(CASES["batch-of-four"], color=True)
    assert "\x1b[31mFAIL\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == plain


def test_header_names_file_athlete_plan_status_and_score() -> None:
    """The first lines say whose session it was, what was planned, and how it went."""
    lines = render_table([passing_session()], color=False).splitlines()
    assert lines[0] == "sessions/2024-05-01-5x1000m.fit  (Anna)"
    assert lines[1] == "  plan: 15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
    assert lines[2] == "  FIT, started 2024-05-01 06:30 UTC, 52:33, 10.4 km"
    assert lines[3] == "  status: PASS   score: 96/100"


def test_rep_row_shows_prescribed_marker_band_and_verdict() -> None:
    """A rep row: label, start, time, distance with '*', pace, band and verdict, in that order."""
    text = render_table([failing_session()], color=False)
    row = next(line for line in text.splitlines() if line.strip().startswith("rep 2"))
    assert row.split() == [
        "rep",
        "2",
        "17:49",
        "3:32.9",
        "1.00",
        "km*",
        "3:33/km",
        "3:40-3:50/km",
        "8",
        "s/km",
        "fast",
    ]
    assert "  * prescribed distance, used for the pace: the watch measured it" in text
    missed = next(line for line in text.splitlines() if line.strip().startswith("rep 5"))
    assert missed.split() == ["rep", "5", "-", "-", "-", "-", "3:40-3:50/km", "missed"]


def test_footnote_only_when_a_distance_is_prescribed() -> None:
    """Without any prescribed distance there is no '*' and no footnote explaining it."""
    text = render_table([no_plan_session()], color=False)
    assert "*" not in text
    assert "no plan; session found: 3 x ~700 m / ~300 m" in text


def test_checks_problems_first_then_passes_counted() -> None:
    """Failures come before warnings, each as 'STATUS  id  message'; passes are one count line."""
    lines = [line.strip() for line in render_table([failing_session()], color=False).splitlines()]
    checks = [line for line in lines if line.startswith(("FAIL ", "WARN "))]
    assert [c.split()[0] for c in checks] == ["FAIL"] * 3 + ["WARN"] * 3
    assert checks[1] == "FAIL  missed_rep      Rep 5 of 5 was not run."
    assert "2 checks passed" in lines
    assert "14 checks passed" in render_table([passing_session()], color=False)
    assert (
        lines[-1] == "note: The GPS signal was lost for 40 s during rep 3; the distance is bridged."
    )


def test_error_result_is_one_line() -> None:
    """An unreadable file is 'FILE: error: MESSAGE' and nothing else, the file named once."""
    text = render_table([error_result()], color=False)
    assert text == f"downloads/index.fit: error: {error_result().error}\n"
    named = replace(error_result(), error="downloads/index.fit: truncated")
    assert render_table([named], color=False) == "downloads/index.fit: error: truncated\n"


def test_no_line_is_wider_than_the_table_or_ends_in_blanks() -> None:
    """Long messages wrap within 100 columns and no line carries trailing spaces (clean diffs)."""
    long = Check("start_too_fast", Status.WARN, "Rep 2: " + "very long explanation " * 12, 2)
    text = render_table([replace(failing_session(), checks=(long,))], color=False)
    assert all(len(line) <= 100 and line == line.rstrip() for line in text.splitlines())
    assert text.count("explanation") == 12


def test_verdict_and_label_wording() -> None:
    """Verdicts read 'on target', '7 s/km fast', '12 s/km slow', 'missed'; labels 'rep 3', 'cool-down'."""
    seg = Segment(SegmentKind.REP, 0.0, 200.0, rep=3, distance_used_m=1000.0)
    assert (
        verdict_text(ScoredSegment(seg, 225.0, (220.5, 229.5), Verdict.ON_TARGET, 0.0))
        == "on target"
    )
    assert (
        verdict_text(ScoredSegment(seg, 225.0, (220.5, 229.5), Verdict.TOO_FAST, -7.2))
        == "7 s/km fast"
    )
    assert (
        verdict_text(ScoredSegment(seg, 225.0, (220.5, 229.5), Verdict.TOO_SLOW, 11.6))
        == "12 s/km slow"
    )
    assert (
        verdict_text(ScoredSegment(seg, 225.0, (220.5, 229.5), Verdict.TOO_SLOW, 0.3))
        == "<1 s/km slow"
    )
    assert verdict_text(ScoredSegment(seg, 225.0, (220.5, 229.5), Verdict.MISSED)) == "missed"
    assert verdict_text(ScoredSegment(seg)) == ""
    assert segment_label(ScoredSegment(seg)) == "rep 3"
    assert segment_label(ScoredSegment(Segment(SegmentKind.COOLDOWN, 0.0, 1.0))) == "cool-down"
    assert segment_label(ScoredSegment(Segment(SegmentKind.WARMUP, 0.0, 1.0))) == "warm-up"


def test_band_text() -> None:
    """A band reads '3:41-3:50/km'; a band too narrow to show two paces reads as one pace."""
    seg = Segment(SegmentKind.REP, 0.0, 1.0, rep=1)
    assert band_text(ScoredSegment(seg, 225.0, (221.0, 230.0))) == "3:41-3:50/km"
    assert band_text(ScoredSegment(seg, 225.0, (225.0, 225.2))) == "3:45/km"
    assert band_text(ScoredSegment(seg, 225.0, None)) == "3:45/km"
    assert band_text(ScoredSegment(seg)) == ""
