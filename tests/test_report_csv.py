"""The CSV report: one row per segment, the same numbers as JSON, quoting a spreadsheet reads."""

from __future__ import annotations

import csv
import io

from tests.report_cases import CASES, error_result, failing_session, passing_session
from workoutcheck.report.check_csv import COLUMNS, render_csv


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_header_and_one_row_per_segment() -> None:
    """The header lists every column in order; a 5x1000m session with warm-up and cool-down is 11 rows."""
    text = render_csv([passing_session()])
    assert text.split("\r\n", 1)[0] == ",".join(COLUMNS)
    rows = _rows(text)
    assert len(rows) == 11
    assert [r["kind"] for r in rows[:3]] == ["warmup", "rep", "recovery"]
    assert rows[-1]["kind"] == "cooldown"


def test_rep_row_values() -> None:
    """A rep row holds the file-level columns, the rep's numbers, its m:ss pace and its band."""
    rep1 = _rows(render_csv([passing_session()]))[1]
    assert rep1["file"] == "sessions/2024-05-01-5x1000m.fit"
    assert rep1["athlete"] == "Anna"
    assert (rep1["status"], rep1["score"]) == ("pass", "96.4")
    assert (rep1["rep"], rep1["step"], rep1["start_s"], rep1["end_s"]) == (
        "1",
        "1",
        "900.0",
        "1123.4",
    )
    assert (rep1["distance_m"], rep1["distance_basis"]) == ("1000.0", "prescribed")
    assert (rep1["pace_s_per_km"], rep1["pace"]) == ("223.4", "3:43/km")
    assert (rep1["target_fastest_s_per_km"], rep1["target_slowest_s_per_km"]) == ("220.5", "229.5")
    assert rep1["verdict"] == "on_target"
    assert rep1["checks"] == ""
    assert rep1["error"] == ""


def test_checks_column_lists_non_pass_ids_of_that_rep_once() -> None:
    """Rep 2 (too fast, fast start) lists both ids; the missed rep its own; passes never appear."""
    rows = {r["rep"]: r for r in _rows(render_csv([failing_session()])) if r["kind"] == "rep"}
    assert rows["1"]["checks"] == "recovery"
    assert rows["2"]["checks"] == "rep_pace;start_too_fast"
    assert rows["3"]["checks"] == "rep_pace"
    assert rows["4"]["checks"] == ""
    assert rows["5"]["checks"] == "missed_rep"
    assert (rows["5"]["verdict"], rows["5"]["start_s"], rows["5"]["pace"]) == ("missed", "", "")


def test_error_result_is_one_row_with_the_message_quoted() -> None:
    """An unreadable file gives one row; its message (quotes, comma) survives RFC 4180 quoting."""
    text = render_csv([error_result()])
    rows = _rows(text)
    assert len(rows) == 1
    assert rows[0]["status"] == "error"
    assert rows[0]["error"] == error_result().error
    assert rows[0]["kind"] == ""
    assert '"not a watch file: it starts with ""<html>"" & holds 512 bytes, not FIT"' in text


def test_field_with_comma_is_quoted_and_lines_end_in_crlf() -> None:
    """An athlete named "Müller, Zoë" stays one field; every record ends in CRLF as RFC 4180 says."""
    text = render_csv(CASES["no-plan-description"])
    assert '"Müller, Zoë"' in text
    assert all(r["athlete"] == "Müller, Zoë" for r in _rows(text))
    assert text.endswith("\r\n")
    assert text.count("\r\n") == text.count("\n")


def test_batch_keeps_files_in_order() -> None:
    """Several files give their rows in the order given, the unreadable one included."""
    rows = _rows(render_csv(CASES["batch-of-four"]))
    files = list(dict.fromkeys(r["file"] for r in rows))
    assert files == [
        "sessions/2024-05-01-5x1000m.fit",
        "failing session.gpx",
        "fartlek.tcx",
        "downloads/index.fit",
    ]
    assert len(rows) == 11 + 11 + 8 + 1
