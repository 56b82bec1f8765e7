"""`--format markdown`: the table report as Markdown, for a team chat, an issue or a wiki.

A coach pastes the session into the squad's channel or a training log; there it should read
as the terminal table does (the same rows from ``notebook``, the same figures, problems first,
passes counted) but as a Markdown table that renders anywhere GitHub-flavoured Markdown does.
File names, athletes, plan text and messages come from athletes and coaches: every Markdown
character in them is escaped, so a file named ``*x*|y.fit`` cannot bold a word or add a column.
"""

from __future__ import annotations

import re

from workoutcheck.report.notebook import (
    PRESCRIBED_MARK,
    activity_line,
    problems,
    rows,
    summary_line,
)
from workoutcheck.score.result import FileResult, Status

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")  # what acts inline; no cell starts a line
COLUMNS = ("#", "start", "time", "distance", "pace", "target", "verdict")
RIGHT = {"start", "time", "distance", "pace"}
FOOTNOTE = (
    f"{PRESCRIBED_MARK} prescribed distance, used for the pace: "
    "the watch measured it within GPS error (or on a track)"
)


def md(text: str) -> str:
    """``text`` as literal Markdown: one line, every Markdown character backslash-escaped."""
    one_line = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )
    return _SPECIAL.sub(r"\\\1", one_line)


def _header(result: FileResult) -> list[str]:
    title = md(result.file) + (f" ({md(result.athlete)})" if result.athlete else "")
    lines = [f"## {title}", ""]
    if result.plan:
        lines.append(f"Plan: {md(result.plan)}  ")
    elif result.description and summary_line(result) is None:
        lines.append(f"No plan; session found: {md(result.description)}  ")
    else:
        lines.append("No plan  ")
    recording = activity_line(result)
    if recording is not None:
        lines.append(md(recording) + "  ")
    if result.described:
        lines.append("Status: described (no checks run)")
    else:
        score = "-" if result.score is None else f"{result.score:.0f}/100"
        lines.append(f"Status: **{result.status.value.upper()}**, score {score}")
    return lines


def _segments(result: FileResult) -> list[str]:
    lines = [
        "| " + " | ".join(md(c) for c in COLUMNS) + " |",
        "|" + "|".join("---:" if c in RIGHT else "---" for c in COLUMNS) + "|",
    ]
    for row in rows(result):
        lines.append("| " + " | ".join(md(c) for c in (*row.cells(), row.verdict)) + " |")
    return lines


def _checks(result: FileResult) -> list[str]:
    lines = [
        f"- **{check.status.value.upper()}** `{check.id}`: {md(check.message)}"
        for check in problems(result.checks)
    ]
    passed = sum(1 for c in result.checks if c.status is Status.PASS)
    if passed:
        lines.append(f"- {passed} check{'s' if passed != 1 else ''} passed")
    elif not result.checks and not result.described:
        lines.append("- no checks")
    lines += [f"- note: {md(note)}" for note in result.notes]
    return lines


def render_result(result: FileResult) -> str:
    """One file's section; an unreadable file is its heading and the error."""
    if result.status is Status.ERROR:
        message = (result.error or "could not be checked").removeprefix(f"{result.file}: ")
        return f"## {md(result.file)}\n\n**ERROR**: {md(message)}\n"
    blocks = ["\n".join(_header(result))]
    summary = summary_line(result)
    if summary is not None:
        blocks.append(f"{md(summary)}: no interval session found")
    elif result.segments:
        blocks.append("\n".join(_segments(result)))
    if any(row.distance.endswith(PRESCRIBED_MARK) for row in rows(result)):
        blocks.append(md(FOOTNOTE))
    checks = _checks(result)
    if checks:
        blocks.append("\n".join(checks))
    return "\n\n".join(blocks) + "\n"


def render_markdown(results: list[FileResult]) -> str:
    """Every file's section, in order, a blank line between them."""
    return "\n".join(render_result(r) for r in results)
