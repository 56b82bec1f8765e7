"""`workoutcheck squad --format table`: the overview a coach reads first, then every file.

The overview is two tables: a row per athlete (roster order, then files no athlete matches)
with status, reps on target, score and the worst fault; and the athlete x rep matrix of each
rep's pace minus its target pace in s/km (+ slower, - faster), green on target, yellow for a
warning, red for a failure or a missed rep. The details below are exactly ``check``'s table.
Like that table: a fixed width, and colour only when asked, nothing else differing.
"""

from __future__ import annotations

import io
import re

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from workoutcheck.model.text import per_unit
from workoutcheck.report.check_table import STATUS_STYLE, WIDTH, render_table
from workoutcheck.report.notebook import squad_unit
from workoutcheck.score.overview import AthleteRow, Overview, RepCell
from workoutcheck.score.result import FileResult

_TAIL = re.compile(r"(?:\s|\x1b\[[0-9;]*m)+$")
MATRIX_TITLE_FORMAT = "pace minus target pace, s/{unit} (+ slower, - faster)"
MATRIX_TITLE = MATRIX_TITLE_FORMAT.format(unit="km")


def _name(row: AthleteRow) -> str:
    return row.athlete if row.athlete is not None else "(no athlete)"


def _file(row: AthleteRow) -> str:
    return row.file.replace("\\", "/").rsplit("/", 1)[-1] if row.file is not None else "-"


def deviation_text(cell: RepCell, unit: str = "km") -> str:
    """ "+12", "-3", "0", "missed"; "-" where the rep had no target."""
    if cell.missed:
        return "missed"
    if cell.deviation_s_per_km is None:
        return "-"
    value = round(per_unit(cell.deviation_s_per_km, unit))
    return f"{value:+d}" if value else "0"


def _summary(overview: Overview) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 2, 0, 0))
    for name in ("athlete", "file", "status", "on target", "score"):
        table.add_column(
            name, justify="right" if name in ("on target", "score") else "left", no_wrap=True
        )
    table.add_column("worst fault", overflow="fold")  # the one column that wraps
    for row in overview.rows:
        if row.status is None:
            table.add_row(_name(row), "-", Text("no file", style="dim"), "", "", "")
            continue
        reps = f"{row.reps_on_target}/{row.reps_planned}" if row.reps_planned else "-"
        score = f"{row.score:.0f}" if row.score is not None else "-"
        status = Text(row.status.value.upper(), style=STATUS_STYLE[row.status])
        table.add_row(_name(row), _file(row), status, reps, score, row.worst_fault or "")
    return table


def _matrix(overview: Overview, unit: str = "km") -> Table:
    """The athlete x rep matrix; an athlete with two files has a row per file, named by it."""
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 2, 0, 0))
    table.add_column("athlete", no_wrap=True)
    names = [row.athlete for row in overview.rows if row.cells and row.athlete is not None]
    for rep in range(1, overview.reps + 1):
        table.add_column(f"rep {rep}", justify="right", no_wrap=True)
    for row in overview.rows:
        if not row.cells:
            continue
        cells = {c.rep: c for c in row.cells}
        texts = [
            Text(deviation_text(cells[r], unit), style=STATUS_STYLE[cells[r].status])
            if r in cells
            else Text("")
            for r in range(1, overview.reps + 1)
        ]
        name = _name(row)
        if names.count(row.athlete) > 1:  # type: ignore[arg-type]
            name += f" ({_file(row)})"
        table.add_row(name, *texts)
    return table


def render_overview(overview: Overview, unit: str = "km") -> RenderableType:
    head = Text()
    head.append(f"squad{': ' + overview.roster if overview.roster else ''}", style="bold")
    head.append(f"\n  plan: {overview.plan}")
    parts: list[RenderableType] = [head, _summary(overview)]
    if overview.reps:
        parts.extend(
            [Text(""), Text(MATRIX_TITLE_FORMAT.format(unit=unit)), _matrix(overview, unit)]
        )
    return Group(*parts)


def render_squad_table(results: list[FileResult], overview: Overview, *, color: bool) -> str:
    """The overview, a blank line, then ``check``'s table of every result."""
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
    console.print(render_overview(overview, squad_unit(results)))
    lines = out.getvalue().split("\n")
    text = "\n".join(_TAIL.sub(lambda m: re.sub(r"\s", "", m[0]), line) for line in lines)
    if not results:
        return text
    return text + "\n" + render_table(results, color=color)
