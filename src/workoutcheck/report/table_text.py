"""``--format table`` without colour, written without importing rich, byte for byte as rich does.

Why: importing rich is a tenth of a one-file check's start, and the table a pipe, a file or a
test gets has no colour: it is aligned columns and wrapped lines. ``plain`` writes the blocks
of ``table_blocks`` as rich does at ``WIDTH`` columns: the same column widths, the same word
wrapping and folding (rich's ``divide_line``, for text whose every character is one cell).
Where it could not promise that (a character rich may not measure as one cell, a row wider
than the width, which rich would shrink with ellipses), ``plain`` gives None and
``render_table`` uses rich (``check_table``), which also draws the coloured table.
"""

from __future__ import annotations

import re

from workoutcheck.report.table_blocks import (
    HEADERS,
    LEFT,
    WIDTH,
    Block,
    Columns,
    Lines,
    Problems,
    blocks,
    strip_tails,
)
from workoutcheck.score.result import FileResult

INDENT = 2  # the segments and the problems are indented by this much (rich's Padding)
GAP = 2  # blanks after every column but the last

# the characters rich measures as one cell without its width tables (rich.cells), and the
# few others this report writes, each one cell to rich as well (tests/test_table_text.py)
_RANGES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2500, 0x25FC))
ONE_CELL = frozenset(
    [chr(c) for lo, hi in _RANGES for c in range(lo, hi + 1)] + list("’′″×−→⁵•”–‘“…")
)
_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap's word: leading blanks, the word, its blanks
_BLANKS_END = re.compile(r"\s+$")


def render_table(results: list[FileResult], *, color: bool) -> str:
    """The table of every file, a blank line between them: written here when there is no
    colour and ``plain`` can, else by rich (``check_table``)."""
    if not color:
        text = plain(results)
        if text is not None:
            return text
    from workoutcheck.report.check_table import render_rich

    return render_rich(results, color=color)


def plain(results: list[FileResult]) -> str | None:
    """The table without colour exactly as rich writes it, or None where that is not certain."""
    out: list[str] = []
    for i, result in enumerate(results):
        if i:
            out.append("")
        for block in blocks(result):
            lines = _write(block)
            if lines is None:
                return None
            out.extend(lines)
    return strip_tails("\n".join(out) + "\n") if out else ""


def _write(block: Block) -> list[str] | None:
    if isinstance(block, Lines):
        text = "".join(piece for piece, _ in block.pieces)
        if not ONE_CELL.issuperset(text.replace("\n", "")):
            return None
        return [part for line in text.split("\n") for part in wrap(line, WIDTH)]
    if isinstance(block, Columns):
        return _columns(block)
    return _problems(block)


def _columns(block: Columns) -> list[str] | None:
    table = [HEADERS, *(tuple(text for text, _ in row) for row in block.rows)]
    if not all(ONE_CELL.issuperset(cell) for row in table for cell in row):
        return None
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADERS))]
    if sum(widths) + GAP * (len(widths) - 1) > WIDTH - INDENT:
        return None  # rich would shrink the columns and cut cells short
    gap = " " * GAP
    return [
        " " * INDENT
        + gap.join(
            cell.ljust(width) if name in LEFT else cell.rjust(width)
            for name, cell, width in zip(HEADERS, row, widths, strict=True)
        )
        for row in table
    ]


def _problems(block: Problems) -> list[str] | None:
    if not all(ONE_CELL.issuperset(text) for row in block.rows for text, _ in row):
        return None
    status_w, id_w, message_w = (
        max(len(row[i][0]) for row in block.rows) + (GAP if i < 2 else 0) for i in range(3)
    )
    room = WIDTH - INDENT - status_w - id_w
    if room < 1:
        return None
    lines = []
    for (status, _), (check_id, _), (message, _) in block.rows:
        first = " " * INDENT + status.ljust(status_w) + check_id.ljust(id_w)
        wrapped = wrap(message, room) if status_w + id_w + message_w > WIDTH - INDENT else [message]
        lines.append(first + wrapped[0])
        lines.extend(" " * (INDENT + status_w + id_w) + more for more in wrapped[1:])
    return lines


def wrap(line: str, width: int) -> list[str]:
    """``line`` (one-cell characters, no line break) wrapped as rich wraps text at ``width``:
    at word breaks, a word longer than a line folded, blanks past the width dropped."""
    breaks = _divide(line, width)
    parts = [line[a:b] for a, b in zip([0, *breaks], [*breaks, len(line)], strict=True)]
    out = []
    for part in parts:
        if len(part) > width:
            blanks = _BLANKS_END.search(part)
            if blanks is not None:
                part = part[: len(part) - min(len(blanks[0]), len(part) - width)]
        out.append(part[:width])
    return out


def _divide(text: str, width: int) -> list[int]:
    """rich._wrap.divide_line for one-cell characters: where each line after the first starts."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match[0]
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # a word no line holds: folded across lines
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for n, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if n == len(chunks) - 1:
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks
