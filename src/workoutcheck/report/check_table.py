"""`--format table` (the default): what a runner or coach reads after a session.

Per file: a header (file, athlete, plan or the session found, status and score), a table of
the segments as a coach's notebook has them (``notebook.rows``: the warm-up one row with its
strides, "stood 1:00" rather than a pace) with each pace against the target band and a
verdict, then the checks, problems first, advice said once, and passes only counted, so the
few lines that matter are not buried. What it says is ``table_blocks.blocks``; this module draws
those blocks with rich at a fixed width so the output is the same in a terminal, a pipe and a
test; colour only when asked, and then nothing but colour differs. Without colour
``table_text`` writes the same bytes without importing rich (``render_table`` there picks).
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from workoutcheck.report.notebook import (
    band_text,
    distance_text,
    pace_text,
    segment_label,
    verdict_text,
)
from workoutcheck.report.table_blocks import (
    FOOTNOTE,
    HEADERS,
    LEFT,
    STATUS_STYLE,
    VERDICT_STYLE,
    WIDTH,
    Block,
    Columns,
    Lines,
    blocks,
    strip_tails,
)
from workoutcheck.report.table_text import render_table
from workoutcheck.score.result import FileResult

__all__ = [
    "FOOTNOTE",
    "STATUS_STYLE",
    "VERDICT_STYLE",
    "WIDTH",
    "band_text",
    "distance_text",
    "pace_text",
    "render_result",
    "render_rich",
    "render_table",
    "segment_label",
    "verdict_text",
]


def _text(pieces: tuple[tuple[str, str], ...]) -> Text:
    if len(pieces) == 1:  # one style for the whole line: the text's own
        return Text(pieces[0][0], style=pieces[0][1])
    text = Text()
    for piece, style in pieces:
        text.append(piece, style=style or None)
    return text


def _draw(block: Block) -> RenderableType:
    if isinstance(block, Lines):
        return _text(block.pieces)
    if isinstance(block, Columns):
        table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 2, 0, 0))
        for name in HEADERS:
            table.add_column(name, justify="left" if name in LEFT else "right", no_wrap=True)
        for row in block.rows:
            table.add_row(*(text if not style else Text(text, style=style) for text, style in row))
        return Padding(table, (0, 0, 0, 2))
    # the problems are a grid, so a long message wraps under itself rather than under the status
    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for status, check_id, message in block.rows:
        grid.add_row(_text((status,)), check_id[0], message[0])
    return Padding(grid, (0, 0, 0, 2))


def render_result(result: FileResult) -> RenderableType:
    """One file's block; an unreadable file is one line, "FILE: error: MESSAGE"."""
    drawn = [_draw(block) for block in blocks(result)]
    return drawn[0] if len(drawn) == 1 else Group(*drawn)


def render_rich(results: list[FileResult], *, color: bool) -> str:
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
    return strip_tails(out.getvalue())
