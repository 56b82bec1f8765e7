"""What ``--format table`` says for one file, as plain blocks with the style of each piece.

The content of the table in one place, for its two writers: ``check_table`` draws the blocks
with rich (colour, on a terminal), ``table_text`` writes them without rich when there is no
colour (a pipe, a file, a test), the same bytes either way. A block is ``Lines`` (text that
wraps at word breaks), ``Columns`` (the segments, one line a row) or ``Problems`` (the
warnings and failures, each message wrapping under itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workoutcheck.report.notebook import (
    PRESCRIBED_MARK,
    activity_line,
    prescribed,
    problems,
    rows,
    summary_line,
)
from workoutcheck.score.result import FileResult, Status, Verdict

WIDTH = 100
TAIL = re.compile(r"(?:\s|\x1b\[[0-9;]*m)+$")  # blanks and style codes ending a line
FOOTNOTE = (
    f"  {PRESCRIBED_MARK} prescribed distance, used for the pace: "
    "the watch measured it within GPS error (or on a track)"
)
HEADERS = ("#", "start", "time", "distance", "pace", "target", "verdict")
LEFT = frozenset(("#", "target", "verdict"))  # the other columns are right-aligned

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

Piece = tuple[str, str]  # text and its style on a terminal ("": none)


@dataclass(frozen=True)
class Lines:
    """Text, its pieces run together; a "\\n" ends a line; long lines wrap at word breaks."""

    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Columns:
    """The segments: a header row and a row per segment, each cell on one line."""

    rows: tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True)
class Problems:
    """The warnings and failures: status, check id, and a message wrapping under itself."""

    rows: tuple[tuple[Piece, Piece, Piece], ...]


Block = Lines | Columns | Problems


def _header(result: FileResult) -> Lines:
    head: list[Piece] = [(result.file, "bold")]
    if result.athlete:
        head.append((f"  ({result.athlete})", ""))
    head.append(("\n", ""))
    if result.plan:
        head.append((f"  plan: {result.plan}\n", ""))
    elif result.description and summary_line(result) is None:
        head.append((f"  no plan; session found: {result.description}\n", ""))
    else:
        head.append(("  no plan\n", ""))
    recording = activity_line(result)
    if recording is not None:
        head.append((f"  {recording}\n", ""))
    head.append(("  status: ", ""))
    if result.described:
        head.append(("described (no checks run)", "cyan"))
        return Lines(tuple(head))
    head.append((result.status.value.upper(), STATUS_STYLE[result.status]))
    score = "-" if result.score is None else f"{result.score:.0f}/100"
    head.append((f"   score: {score}", ""))
    return Lines(tuple(head))


def _segments(result: FileResult) -> Columns:
    table: list[tuple[Piece, ...]] = []
    for row in rows(result):
        verdict = row.scored.verdict if row.parts == 1 else None
        style = VERDICT_STYLE[verdict] if verdict is not None else ("dim" if row.verdict else "")
        table.append((*((cell, "") for cell in row.cells()), (row.verdict, style)))
    return Columns(tuple(table))


def _checks(result: FileResult) -> list[Block]:
    """Warnings and failures one per line (failures first), then the passes as a count."""
    found = problems(result.checks)
    parts: list[Block] = []
    if found:
        parts.append(
            Problems(
                tuple(
                    ((c.status.value.upper(), STATUS_STYLE[c.status]), (c.id, ""), (c.message, ""))
                    for c in found
                )
            )
        )
    passed = sum(1 for c in result.checks if c.status is Status.PASS)
    if passed:
        parts.append(Lines(((f"  {passed} check{'s' if passed != 1 else ''} passed", "green"),)))
    elif not result.checks and not result.described:
        parts.append(Lines((("  no checks", ""),)))
    return parts


def blocks(result: FileResult) -> list[Block]:
    """One file's table, top to bottom; an unreadable file is one line, "FILE: error: MESSAGE"."""
    if result.status is Status.ERROR:
        message = result.error or "could not be checked"
        # Input errors often name the file already ("x.fit: bad CRC"); say it once.
        message = message.removeprefix(f"{result.file}: ")
        return [Lines(((f"{result.file}: error: {message}", STATUS_STYLE[Status.ERROR]),))]
    parts: list[Block] = [_header(result)]
    summary = summary_line(result)
    if summary is not None:
        parts.append(Lines(((f"  {summary}: no interval session found", ""),)))
    elif result.segments:
        parts.append(_segments(result))
    if any(prescribed(s) for s in result.segments):
        parts.append(Lines(((FOOTNOTE, "dim"),)))
    parts.extend(_checks(result))
    parts.extend(Lines(((f"  note: {note}", "yellow"),)) for note in result.notes)
    return parts


def strip_tails(text: str) -> str:
    """Cells are padded to their column width; trailing blanks (even inside a style) only make
    diffs noisy and terminals wrap them: each line loses them."""
    lines = text.split("\n")
    return "\n".join(TAIL.sub(lambda m: re.sub(r"\s", "", m[0]), line) for line in lines)
