"""The squad page: who hit their reps at a glance, then every athlete's file in detail.

A coach reads the overview (one row per athlete: reps on target, score, worst fault) and the
athlete x rep matrix (each rep's pace minus its target pace in s/km, coloured by the rep's
rep_pace check), and follows an athlete's name down to their section. The rows come from the
squad command as plain data (``score.overview``'s ``AthleteRow``); this module only draws them.
"""

from __future__ import annotations

from collections.abc import Sequence

from workoutcheck.model.text import per_unit
from workoutcheck.report.check_html import anchor, file_section
from workoutcheck.report.html_page import badge, esc, page
from workoutcheck.report.notebook import squad_unit
from workoutcheck.score.overview import AthleteRow, RepCell
from workoutcheck.score.result import FileResult, Status

STATUSES = {Status.PASS, Status.WARN, Status.FAIL}


def cell_text(cell: RepCell, unit: str = "km") -> tuple[str, str]:
    """(what the cell shows, what it means in words): "+7" / "rep 2: 7 s/km slower than the
    target pace", "miss" / "rep 4: missed"."""
    if cell.missed:
        return "miss", f"rep {cell.rep}: missed"
    if cell.deviation_s_per_km is None:
        return "-", f"rep {cell.rep}: no target"
    off = round(per_unit(cell.deviation_s_per_km, unit))
    if off == 0:
        return "0", f"rep {cell.rep}: at the target pace"
    way = "slower" if off > 0 else "faster"
    shown = f"{off:+d}".replace("-", "\u2212")  # a real minus sign: as wide as the plus
    return shown, f"rep {cell.rep}: {abs(off)} s/{unit} {way} than the target pace"


def _colour(cell: RepCell) -> str:
    """The cell's CSS class: its check status, red for a missed rep, grey where nothing was judged."""
    if cell.missed:
        return "fail"
    if cell.deviation_s_per_km is None or cell.status not in STATUSES:
        return "none"
    return cell.status.value


def _base(path: str | None) -> str:
    return (path or "?").replace("\\", "/").rsplit("/", 1)[-1]


def _link(row: AthleteRow, ids: dict[str, str], twice: frozenset[str] = frozenset()) -> str:
    """The athlete's name, linking to their file's section when the page has one; for an
    athlete with more than one file (``twice``), the file's name under it."""
    name = row.athlete if row.athlete is not None else _base(row.file)
    target = ids.get(row.file) if row.file is not None else None
    shown = esc(name) if target is None else f'<a href="#{esc(target)}">{esc(name)}</a>'
    if row.athlete is not None and row.athlete in twice and row.file is not None:
        shown += f'<span class="file-name">{esc(_base(row.file))}</span>'
    return shown


def _repeated(rows: Sequence[AthleteRow]) -> frozenset[str]:
    """Athletes with more than one row (two files of the same session)."""
    names = [r.athlete for r in rows if r.athlete is not None]
    return frozenset(n for n in names if names.count(n) > 1)


def _overview(rows: Sequence[AthleteRow], ids: dict[str, str]) -> str:
    head = "".join(
        f'<th class="{c}">{n}</th>'
        for n, c in (
            ("athlete", "left"),
            ("status", "left"),
            ("reps on target", ""),
            ("score", ""),
            ("worst fault", "left"),
        )
    )
    body, twice = [], _repeated(rows)
    for row in rows:
        score = "-" if row.score is None else f"{row.score:.0f}"
        reps = f"{row.reps_on_target or 0}/{row.reps_planned}" if row.reps_planned else "-"
        if row.file is None:
            fault = "no file"
        else:
            fault = esc(row.worst_fault) if row.worst_fault else "none"
        status = badge(row.status.value) if row.status else badge("none", "no file")
        body.append(
            f'<tr><td>{_link(row, ids, twice)}</td><td class="left" data-label="status">{status}</td>'
            f'<td data-label="on target">{reps}</td><td data-label="score">{score}</td>'
            f'<td class="wrap" data-label="worst fault">{fault}</td></tr>'
        )
    return (
        f'<h2>Overview</h2><div class="scroll"><table class="overview cards"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _matrix(rows: Sequence[AthleteRow], ids: dict[str, str], unit: str = "km") -> str:
    width = max([r.reps_planned or 0 for r in rows] + [c.rep for r in rows for c in r.cells] + [0])
    if not width:
        return ""
    head = '<th class="left">athlete</th>' + "".join(f"<th>{n}</th>" for n in range(1, width + 1))
    body, twice = [], _repeated(rows)
    for row in rows:
        by_rep = {c.rep: c for c in row.cells}
        tds = []
        for n in range(1, width + 1):
            cell = by_rep.get(n)
            if cell is None:
                tds.append('<td class="cell none">&nbsp;</td>')
                continue
            shown, words = cell_text(cell, unit)
            status = _colour(cell)
            tds.append(f'<td class="cell {status}" title="{esc(words)}">{esc(shown)}</td>')
        body.append(f"<tr><td>{_link(row, ids, twice)}</td>{''.join(tds)}</tr>")
    return (
        f'<h2>Reps: pace minus target pace</h2><p class="meta">s/{unit}: + slower, \u2212 faster; '
        "green on target, amber a warning, red a failure or a missed rep.</p>"
        f'<div class="scroll"><table class="matrix"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def render_squad_html(
    results: list[FileResult], rows: Sequence[AthleteRow], *, title: str | None = None
) -> str:
    """The squad page: overview, matrix, then one section per result (in ``results`` order).

    A row links to the section of the result whose ``file`` equals the row's ``file``; the
    matrix draws each row's own cells.
    """
    ids: dict[str, str] = {}
    for i, result in enumerate(results):
        ids.setdefault(result.file, anchor(i))
    details = "\n".join(file_section(r, anchor(i)) for i, r in enumerate(results))
    body = "\n".join(
        part
        for part in (
            _overview(rows, ids),
            _matrix(rows, ids, squad_unit(results)),
            '<h2 class="details">Details</h2>' if details else "",
            details,
        )
        if part
    )
    return page(title or f"workoutcheck: squad of {len(rows)}", body)
