"""`--format table` (the default): what a runner or coach reads after a session.

Per file: a header (file, athlete, plan or the session found, status and score), a table of
the segments as a coach's notebook has them (``notebook.rows``: the warm-up one row with its
strides, "stood 1:00" rather than a pace) with each pace against the target band and a
verdict, then the checks, problems first, advice said once, and passes only counted, so the
few lines that matter are not buried. Rendered to a
string by rich at a fixed width so the output is the same in a terminal, a pipe and a test;
colour only when asked, and then nothing but colour differs.
"""

from __future__ import annotations

import io
import re

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from workoutcheck.model.text import format_duration
from workoutcheck.report.notebook import (
    PRESCRIBED_MARK,
    activity_line,
    band_text,
    distance_text,
    pace_text,
    prescribed,
    problems,
    rows,
    segment_label,
    summary_line,
    verdict_text,
)
from workoutcheck.score.result import FileResult, Status, Verdict

__all__ = [
    "band_text",
    "distance_text",
    "pace_text",
    "render_result",
    "render_table",
    "segment_label",
    "verdict_text",
]

WIDTH = 100
_TAIL = re.compile(r"(?:\s|\x1b\[[0-9;]*m)+$")  # blanks and style codes ending a line
FOOTNOTE = (
    f"  {PRESCRIBED_MARK} prescribed distance, used for the pace: "
    "the watch measured it within GPS error (or on a track)"
)

STATUS_STYLE = {
    Status.PASS: "green",
    Status.WARN: "yellow",
    Status.FAIL: "red",
    Status.ERROR: "bold red",
}
VERDICT_STYLE = {
    Verdict.ON_TARGET: "green",
    Verdict.TOO_FAST: "yellow",
    Verdict.TOO_SLOW: "yellow",
    Verdict.MISSED: "bold red",
}


def _header(result: FileResult) -> Text:
    head = Text()
    head.append(result.file, style="bold")
    if result.athlete:
        head.append(f"  ({result.athlete})")
    head.append("\n")
    if result.plan:
        head.append(f"  plan: {result.plan}\n")
    elif result.description and summary_line(result) is None:
        head.append(f"  no plan; session found: {result.description}\n")
    else:
        head.append("  no plan\n")
    recording = activity_line(result)
    if recording is not None:
        head.append(f"  {recording}\n")
    head.append("  status: ")
    if result.described:
        head.append("described (no checks run)", style="cyan")
        return head
    head.append(result.status.value.upper(), style=STATUS_STYLE[result.status])
    head.append("   score: " + ("-" if result.score is None else f"{result.score:.0f}/100"))
    return head


def _segments_table(result: FileResult) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 2, 0, 0))
    for name in ("#", "start", "time", "distance", "pace", "target", "verdict"):
        left = name in ("#", "target", "verdict")
        table.add_column(name, justify="left" if left else "right", no_wrap=True)
    for row in rows(result):
        verdict = row.scored.verdict if row.parts == 1 else None
        style = VERDICT_STYLE[verdict] if verdict is not None else ("dim" if row.verdict else "")
        table.add_row(
            row.label,
            format_duration(row.start_s),
            format_duration(row.duration_s, decimals=1),
            row.distance,
            row.pace,
            row.target,
            Text(row.verdict, style=style),
        )
    return table


def _checks(result: FileResult) -> list[RenderableType]:
    """Warnings and failures one per line (failures first), then the passes as a count.

    The problems are a grid, so a long message wraps under itself rather than under the status.
    """
    found = problems(result.checks)
    parts: list[RenderableType] = []
    if found:
        grid = Table.grid(padding=(0, 2, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for check in found:
            status = Text(check.status.value.upper(), style=STATUS_STYLE[check.status])
            grid.add_row(status, check.id, check.message)
        parts.append(Padding(grid, (0, 0, 0, 2)))
    passed = sum(1 for c in result.checks if c.status is Status.PASS)
    if passed:
        parts.append(Text(f"  {passed} check{'s' if passed != 1 else ''} passed", style="green"))
    elif not result.checks and not result.described:
        parts.append(Text("  no checks"))
    return parts


def render_result(result: FileResult) -> RenderableType:
    """One file's block; an unreadable file is one line, "FILE: error: MESSAGE"."""
    if result.status is Status.ERROR:
        message = result.error or "could not be checked"
        # Input errors often name the file already ("x.fit: bad CRC"); say it once.
        message = message.removeprefix(f"{result.file}: ")
        return Text(f"{result.file}: error: {message}", style=STATUS_STYLE[Status.ERROR])
    parts: list[RenderableType] = [_header(result)]
    summary = summary_line(result)
    if summary is not None:
        parts.append(Text(f"  {summary}: no interval session found"))
    elif result.segments:
        parts.append(Padding(_segments_table(result), (0, 0, 0, 2)))
    if any(prescribed(s) for s in result.segments):
        parts.append(Text(FOOTNOTE, style="dim"))
    parts.extend(_checks(result))
    for note in result.notes:
        parts.append(Text(f"  note: {note}", style="yellow"))
    return Group(*parts)


def render_table(results: list[FileResult], *, color: bool) -> str:
    """All files, a blank line between them; no escape codes at all when ``color`` is false."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=WIDTH,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        force_jupyter=False,
    )
    for i, result in enumerate(results):
        if i:
            console.print()
        console.print(render_result(result))
    # Cells are padded to their column width; trailing blanks (even inside a style) only make
    # diffs noisy and terminals wrap them.
    lines = out.getvalue().split("\n")
    return "\n".join(_TAIL.sub(lambda m: re.sub(r"\s", "", m[0]), line) for line in lines)
