"""Line structure of a plan: lines of steps and ``N lots of:`` blocks (``parser`` reads the title).

Plans copied from training blogs are bullet lists in which a block header and its body are
all flush with "- ", so which lines belong to the block has to be decided. The rule:

- Lines indented deeper than the header are its body (blocks nest by indentation).
- Otherwise the body is the following lines up to, not including, the first line that
  is another block header, an inline repeat (``3x200m ...``), an explicit warm-up or
  cool-down, a single unmarked step slower than the block's work (or untargeted while the
  work is targeted: the trailing easy running), is indented less than the header, or comes
  after a blank line.

In the seed plan "4 lots of: / 30s @ 3'00''/km / 5 lots of: / 1.0km @ 5'30''/km /
2min 10s rest / 10min @ 6'00''/km" the first block is the 30 s efforts, the second the
1 km reps with their rest, and the 10 min at 6:00/km closes it (and becomes the cool-down).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workoutcheck.errors import PlanError
from workoutcheck.plan.kinds import _walk, is_slower
from workoutcheck.plan.model import Node, Repeat, Step, StepKind

if TYPE_CHECKING:
    from workoutcheck.plan.lexer import Token
    from workoutcheck.plan.parser import StepParser


@dataclass
class _Line:
    indent: int
    header: tuple[int, Token] | None  # (count, the token ending the header line)
    items: list[Node]
    blank_before: bool
    row: int = 0  # which text line it is on (a line with "N lots of:" mid-line is split)
    inline: bool = False  # a header with its steps on the same line: its body ends there


def read_blocks(parser: StepParser) -> list[Node]:
    """The plan's steps and blocks, line by line, as written (kinds not yet inferred)."""
    lines = _lines(parser)
    try:
        items, pos = _build(lines, 0, 0, parser)
    except RecursionError:  # thousands of ever deeper "N lots of:" lines
        raise PlanError("plan: blocks nested thousands deep; no session needs that") from None
    assert pos == len(lines)
    return items


def _lines(p: StepParser) -> list[_Line]:
    lines: list[_Line] = []
    blank = False
    row = 0
    while p.tok.kind != "EOF":
        if p.tok.kind == "NL":
            p.take()
            row += 1
            if p.tok.kind == "NL" and lines:
                blank = True
            continue
        first = p.tok
        if first.kind == "BULLET":
            p.take()
            if p.tok.kind in ("NL", "EOF"):
                continue
        indent = first.start - (p.text.rfind("\n", 0, first.start) + 1)
        mark = p.i
        counted = p.repeat_count()
        if counted is not None:
            if p.tok.is_sym(":"):
                p.take()
            if p.tok.kind in ("NL", "EOF"):
                counted = (counted[0], p.tok)
                lines.append(_Line(indent, counted, [], blank, row))
                blank = False
                continue
            p.i = mark
        for chunk in _chunks(p):
            if isinstance(chunk, tuple):
                lines.append(_Line(indent, chunk, [], blank, row, inline=True))
            else:
                lines.append(_Line(indent, None, chunk, blank, row))
            blank = False
        if p.tok.kind not in ("NL", "EOF"):
            if p.tok.is_sym(")"):
                raise p.fail('a step ("(" was never opened)')
            raise p.fail('"," or ";" between steps')
    return lines


def _chunks(p: StepParser) -> list[list[Node] | tuple[int, Token]]:
    """One text line: its steps, split where ``N lots of:`` starts a block mid-line (the seed
    session typed on one line, "15min @ 6:00/km; 4 lots of: 30s @ 3:00/km; 5 lots of: ..."),
    and from there at each "," or ";", so the block rules decide where each block ends."""
    out: list[list[Node] | tuple[int, Token]] = []
    items: list[Node] = []
    split = False
    while True:
        header = _inline_header(p)
        if header is not None:
            if items:
                out.append(items)
            out.append(header)
            items, split = [], True
        items.append(p.item())
        if p.tok.is_sym(",", ";"):
            p.take()
            if split or _inline_header(p, peek=True) is not None:
                out.append(items)
                items = []
            continue
        break
    out.append(items)
    return out


def _inline_header(p: StepParser, *, peek: bool = False) -> tuple[int, Token] | None:
    """``N lots of:`` followed by steps on the same line (not ``N x (...)``)."""
    mark = p.i
    counted = p.repeat_count()
    if (
        counted is None
        or not p.tok.is_sym(":")
        or p.ahead().is_sym("(")
        or p.ahead().kind in ("NL", "EOF")
    ):
        p.i = mark
        return None
    colon = p.take()
    if peek:
        p.i = mark
    return counted[0], colon


def _build(lines: list[_Line], pos: int, min_indent: int, p: StepParser) -> tuple[list[Node], int]:
    nodes: list[Node] = []
    while pos < len(lines) and lines[pos].indent >= min_indent:
        line = lines[pos]
        pos += 1
        if line.header is None:
            nodes.extend(line.items)
            continue
        count, _ = line.header
        body, pos = _body(lines, pos, line, p)
        nodes.append(Repeat(count, tuple(p.between_sets(body))))
    return nodes, pos


def _body(lines: list[_Line], pos: int, header: _Line, p: StepParser) -> tuple[list[Node], int]:
    body: list[Node] = []
    if (
        pos < len(lines)
        and lines[pos].indent > header.indent
        and not lines[pos].blank_before
        and not header.inline
    ):
        body, pos = _build(lines, pos, lines[pos].indent, p)
    else:
        while pos < len(lines):
            line = lines[pos]
            if (
                line.header
                or line.indent < header.indent
                or (body and line.blank_before)
                or (body and _closes(line, body))
                or (header.inline and line.row != header.row)
            ):
                break
            body.extend(line.items)
            pos += 1
    if not body:
        assert header.header is not None
        raise p.fail("the steps of the repeat (after it, or on the lines below)", header.header[1])
    return body, pos


def _closes(line: _Line, body: list[Node]) -> bool:
    items = line.items
    if any(isinstance(n, Repeat) for n in items):
        return True
    if any(
        isinstance(n, Step) and n.explicit and n.kind in (StepKind.WARMUP, StepKind.COOLDOWN)
        for n in items
    ):
        return True
    if len(items) == 1 and isinstance(items[0], Step) and not items[0].explicit:
        work = [s for s in _walk(tuple(body)) if s.kind is StepKind.WORK]
        return is_slower(items[0], work)
    return False
