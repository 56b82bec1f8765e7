"""`--format html` (and what ``watch`` writes): one self-contained page a runner opens on a phone.

Per file: a header with the status badge and score, the pace chart (reps shaded, target bands,
recoveries, heart rate), the segment table with the same wording as the text table, and the
checks in plain words, problems first and passes folded away. The squad page
(``squad_html``) reuses ``file_section`` for its details, so both pages show a file the same way.
"""

from __future__ import annotations

from datetime import UTC

from workoutcheck.model.text import format_distance, format_duration
from workoutcheck.report.html_page import EXTRA_FILL, STATUS_FILL, badge, esc, page
from workoutcheck.report.notebook import Row, prescribed, problems, rows, summary_line
from workoutcheck.report.svg_chart import (
    BAND_COLOUR,
    HR_COLOUR,
    MISSED_COLOUR,
    PACE_COLOUR,
    REP_FILL,
    pace_chart,
)
from workoutcheck.score.overview import rep_status
from workoutcheck.score.result import FileResult, ScoredSegment, Status, Verdict
from workoutcheck.segment.result import SegmentKind


def anchor(index: int) -> str:
    """The id of the ``index``-th file's section (from 0); ids never come from file names."""
    return f"file-{index + 1}"


def _header(result: FileResult) -> str:
    parts = [f"<h2>{esc(result.file)}</h2>"]
    if result.athlete:
        parts.append(f'<p class="meta">athlete: {esc(result.athlete)}</p>')
    if result.plan:
        parts.append(f'<p class="meta">plan: {esc(result.plan)}</p>')
    elif result.description and summary_line(result) is None:
        parts.append(f'<p class="meta">no plan; session found: {esc(result.description)}</p>')
    act = result.activity
    if act is not None:
        start = "start unknown"
        if act.start_time is not None:
            moment = (
                act.start_time if act.start_time.tzinfo is None else act.start_time.astimezone(UTC)
            )
            start = f"started {moment:%Y-%m-%d %H:%M} UTC"
        parts.append(
            f'<p class="meta">{esc(act.source.upper())}, {start}, {format_duration(act.duration_s)}, '
            f"{format_distance(act.distance_m, unit=result.unit)}</p>"
        )
    if result.described:
        parts.append(
            f'<p class="summary">{badge("described", "DESCRIBED")} no plan: no checks run</p>'
        )
        return "\n".join(parts)
    score = "-" if result.score is None else f"{result.score:.0f}/100"
    on_target = sum(1 for s in result.reps if s.verdict is Verdict.ON_TARGET)
    reps = f", {on_target}/{len(result.reps)} reps on target" if result.plan and result.reps else ""
    parts.append(f'<p class="summary">{badge(result.status.value)} score {score}{reps}</p>')
    return "\n".join(parts)


def _swatch(colour: str, label: str, *, line: bool = False) -> str:
    style = f"background:{colour}" + (";height:0.2em" if line else "")
    return f'<li><span class="swatch" style="{style}"></span>{label}</li>'


def _legend(result: FileResult) -> str:
    """What the chart draws, and only that: a plan-less chart has no bands or verdict colours."""
    run = [s for s in result.reps if s.segment.start_s is not None]
    judged = {rep_status(result, s).value for s in run if s.verdict is not None}
    items = [
        _swatch(STATUS_FILL[status], f"rep {word}")
        for status, word in (
            ("pass", "on target"),
            ("warn", "off target (warning)"),
            ("fail", "failed"),
        )
        if status in judged
    ]
    if any(s.verdict is None for s in run):
        items.append(_swatch(REP_FILL[None], "rep"))
    if any(s.segment.missed for s in result.reps):
        items.append(_swatch(MISSED_COLOUR, "missed rep", line=True))
    if any(s.segment.kind is SegmentKind.EXTRA for s in result.segments):
        items.append(_swatch(EXTRA_FILL, "extra effort"))
    if any(s.band is not None for s in result.reps):
        items.append(_swatch(BAND_COLOUR + ";opacity:0.5", "target band"))
    if any(s.segment.kind is SegmentKind.RECOVERY for s in result.segments):
        items.append(_swatch("#e0e0e0", "recovery"))
    items.append(_swatch(PACE_COLOUR, "pace (faster is up)", line=True))
    series = result.series
    if series is not None and series.heart_rate is not None and any(series.heart_rate):
        items.append(_swatch(HR_COLOUR, "heart rate", line=True))
    return f'<ul class="legend">{"".join(items)}</ul>'


def _heart_cells(scored: ScoredSegment) -> list[str]:
    """Average heart rate (every segment) and, on recoveries, its change over the first 60 s
    ("−22": fell by 22 bpm)."""
    h = scored.heart
    avg = "" if h.avg_bpm is None else f"{h.avg_bpm:.0f}"
    drop = "" if h.drop_60s_bpm is None else f"{-h.drop_60s_bpm:+.0f}".replace("-", "−")
    return [avg, drop]


COLUMNS = ("#", "start", "time", "distance", "pace", "target", "verdict")


def _verdict_cell(result: FileResult, row: Row) -> str:
    """The verdict, on the background of the rep's status: the colour its chart shading and
    its matrix cell have."""
    if row.verdict_key:
        status = rep_status(result, row.scored).value
        rep = row.scored.segment.rep
        return (
            f'<td class="left verdict {status} {esc(row.verdict_key)}" data-label="verdict" '
            f'data-rep="{rep}">{esc(row.verdict)}</td>'
        )
    return f'<td class="left dim">{esc(row.verdict)}</td>'


def _table(result: FileResult) -> str:
    heart = any(s.heart.avg_bpm is not None for s in result.segments)
    names = COLUMNS + (("HR avg", "HR in 60 s") if heart else ())
    head = "".join(
        f'<th class="{"left" if n in ("target", "verdict") else ""}">{n}</th>' for n in names
    )
    body = []
    for row in rows(result):
        cells = [
            (row.label, ""),
            (format_duration(row.start_s), "at"),
            (format_duration(row.duration_s, decimals=1), "time"),
            (row.distance, ""),
            (row.pace, "pace" if "/" in row.pace else ""),
        ]
        tds = "".join(
            f'<td data-label="{label}">{esc(c)}</td>' if label and c else f"<td>{esc(c)}</td>"
            for c, label in cells
        )
        tds += (
            f'<td class="left" data-label="target">{esc(row.target)}</td>'
            if row.target
            else '<td class="left"></td>'
        )
        tds += _verdict_cell(result, row)
        if heart:
            tds += "".join(
                f'<td data-label="{n}">{esc(c)}</td>' if c else "<td></td>"
                for c, n in zip(
                    _heart_cells(row.scored) if row.parts == 1 else ["", ""],
                    ("HR", "HR in 60 s"),
                    strict=True,
                )
            )
        body.append(f'<tr class="{esc(row.kind)}">{tds}</tr>')
    foot = ""
    if any(prescribed(s) for s in result.segments):
        foot = (
            '<p class="meta">* the prescribed distance, used for the pace: the watch measured it '
            "within GPS error (or on a track)</p>"
        )
    return (
        f'<div class="scroll"><table class="segments cards"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{foot}"
    )


def _checks(result: FileResult) -> str:
    """Failures, then warnings, one per line with a badge; the passes folded into a count."""
    found = problems(result.checks)
    passes = [c for c in result.checks if c.status is Status.PASS]
    out = []
    if found:
        items = "".join(
            f"<li>{badge(c.status.value)}<span>{esc(c.message)}</span></li>" for c in found
        )
        out.append(f'<ul class="checks">{items}</ul>')
    if passes:
        items = "".join(f"<li>{badge('pass')}<span>{esc(c.message)}</span></li>" for c in passes)
        noun = "check" if len(passes) == 1 else "checks"
        out.append(
            f'<details><summary>{len(passes)} {noun} passed</summary><ul class="checks">{items}</ul>'
            "</details>"
        )
    elif not result.checks and not result.described:
        out.append('<p class="meta">no checks</p>')
    return "\n".join(out)


def file_section(result: FileResult, section_id: str) -> str:
    """One file's section; an unreadable file gets its name, an ERROR badge and the reason."""
    if result.status is Status.ERROR:
        return (
            f'<section class="file" id="{esc(section_id)}"><h2>{esc(result.file)}</h2>'
            f'<p class="summary">{badge("error")} <span class="error-text">'
            f"{esc(result.error or 'could not be checked')}</span></p></section>"
        )
    parts = [_header(result)]
    summary = summary_line(result)
    if summary is not None:
        parts.append(f'<p class="summary">{esc(summary)}: no interval session found</p>')
    chart = pace_chart(result)
    if chart:
        parts += [chart, _legend(result)]
    if result.segments and summary is None:
        parts.append(_table(result))
    parts.append(_checks(result))
    parts += [f'<p class="note">note: {esc(note)}</p>' for note in result.notes]
    return f'<section class="file" id="{esc(section_id)}">\n' + "\n".join(parts) + "\n</section>"


def default_title(results: list[FileResult]) -> str:
    """``workoutcheck: run.fit`` (the base name; the section shows the path) or ``...: 3 files``."""
    if len(results) == 1:
        return f"workoutcheck: {results[0].file.replace(chr(92), '/').rsplit('/', 1)[-1]}"
    return f"workoutcheck: {len(results)} files"


def render_html(results: list[FileResult], *, title: str | None = None) -> str:
    """The whole page for ``results``, in the order given, each file in a section with an id."""
    body = "\n".join(file_section(r, anchor(i)) for i, r in enumerate(results))
    return page(title or default_title(results), body or '<p class="meta">no files</p>')
