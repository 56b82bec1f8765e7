"""The history as one offline HTML page: trend charts (inline SVG), then the sessions.

Same page as the check report (``report.html_page``: inline CSS, a policy that fetches
nothing) and the same SVG element builder, so everything from a file or a plan is escaped.
Each chart plots one point per session over the season, coloured by the session's shape,
with the fitted trend line of each shape; pace charts put faster higher up, as the report does.
"""

from __future__ import annotations

import math
from datetime import timedelta

from workoutcheck.history.summary import History, days_since
from workoutcheck.history.views import (
    TREND_TITLES,
    reps_text,
    score_text,
    several_athletes,
    trend_sentence,
)
from workoutcheck.model.text import format_pace
from workoutcheck.report.check_html import _swatch
from workoutcheck.report.html_page import badge, esc, page
from workoutcheck.report.svg_parts import _el, _n, _step

W, H = 480, 240
TOP, BOTTOM, LEFT, RIGHT = 20, 34, 48, 12
COLOURS = ("#0d47a1", "#e65100", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#827717")
TICKS = (0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120)
DAY_TICKS = (7, 14, 28, 56, 91, 182, 364)


def _colours(history: History) -> dict[str, str]:
    """A colour per shape, biggest group first; shapes beyond the palette share the last."""
    return {g.shape: COLOURS[min(i, len(COLOURS) - 1)] for i, g in enumerate(history.groups)}


def _values(history: History, name: str) -> list[tuple[float, float, str, int]]:
    """(day, value, shape, session id) of every session the trend was fitted on."""
    first = history.first_day
    out = []
    for s in history.sessions:
        if s.start_time is None or first is None:
            continue
        value = {
            "rep_pace": s.rep_pace,
            "rep_heart_rate": s.rep_heart_rate,
            "score": s.score,
            "heart_rate_at_reference_pace": history.hr_at_reference.get(s.id),
        }[name]
        if value is not None:
            out.append((days_since(first, s.start_time), value, s.shape, s.id))
    return out


def chart(history: History, name: str) -> str:
    """One trend as an ``<svg>``; "" when no session has the figure."""
    points = _values(history, name)
    if not points:
        return ""
    trend, unit, change_unit = history.trends[name]
    pace = unit == "s/km"
    lo, hi = min(p[1] for p in points), max(p[1] for p in points)
    for line in trend.lines:
        lo, hi = min(lo, line.y0, line.y1), max(hi, line.y0, line.y1)
    step = _step(max(hi - lo, 1e-6), TICKS, 5)  # type: ignore[arg-type]
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if hi - lo < step:
        hi = lo + step
    span = max(max(p[0] for p in points), 1.0)
    x0, x1, y0, y1 = LEFT, W - RIGHT, TOP, H - BOTTOM

    def x(day: float) -> float:
        return x0 + (x1 - x0) * day / span

    def y(value: float) -> float:
        frac = (value - lo) / (hi - lo)
        return y0 + (y1 - y0) * frac if pace else y1 - (y1 - y0) * frac

    body = []
    tick = lo
    while tick <= hi + 1e-9:
        label = format_pace(tick).removesuffix("/km") if pace else f"{tick:g}"
        body.append(
            _el(
                "line",
                x1=float(x0),
                x2=float(x1),
                y1=y(tick),
                y2=y(tick),
                stroke="#bdbdbd",
                stroke_width=0.6,
            )
        )
        body.append(
            _el("text", label, cls="value-label", x=float(x0 - 4), y=y(tick) + 4, text_anchor="end")
        )
        tick += step
    every = next((d for d in DAY_TICKS if span / d <= 6), DAY_TICKS[-1])
    for day in range(0, int(span) + 1, every):
        when = (history.first_day + timedelta(days=day)).strftime("%d %b")  # type: ignore[operator, union-attr]
        body.append(
            _el("line", x1=x(day), x2=x(day), y1=float(y1), y2=float(y1 + 4), stroke="#616161")
        )
        body.append(
            _el("text", when, cls="date-label", x=x(day), y=float(y1 + 17), text_anchor="middle")
        )
    body.append(_el("text", unit + (" (faster is up)" if pace else ""), x=4.0, y=float(TOP - 7)))
    body.append(
        _el(
            "rect",
            x=float(x0),
            y=float(y0),
            width=float(x1 - x0),
            height=float(y1 - y0),
            fill="none",
            stroke="#616161",
        )
    )
    colours = _colours(history)
    looks = {
        shape: f'data-shape="{esc(shape)}" fill="{colours.get(shape, COLOURS[-1])}"'
        for shape in colours
    }
    body += [
        f'<circle class="point" data-session="{sid}" {looks[shape]} data-value="{_n(value)}" '
        f'cx="{_n(x(day))}" cy="{_n(y(value))}" r="3.2" opacity="0.85"/>'  # numbers and escaped text only
        for day, value, shape, sid in points
    ]
    for line in trend.lines:
        athlete, shape = line.group
        body.append(
            _el(
                "line",
                cls="fit",
                data_athlete=athlete or "",
                data_shape=shape or "",
                x1=x(line.x0),
                y1=y(line.y0),
                x2=x(line.x1),
                y2=y(line.y1),
                stroke=colours.get(shape, "#212121"),
                stroke_width=2.2,
            )
        )
    change = "" if trend.change is None else f"{trend.change:.2f}"
    label = trend_sentence(history, name)
    return (
        f'<svg class="chart trend" data-trend="{esc(name)}" data-change="{change}" '
        f'data-change-unit="{esc(change_unit)}" viewBox="0 0 {W} {H}" role="img" aria-label="{esc(label)}" '
        'font-size="12" font-family="system-ui, sans-serif" fill="#212121">'
        f"<title>{esc(label)}</title>{''.join(body)}</svg>"
    )


def _legend(history: History) -> str:
    colours = _colours(history)
    items = "".join(_swatch(colours[g.shape], esc(g.shape)) for g in history.groups)
    return f'<ul class="legend">{items}</ul>'


def _groups(history: History) -> str:
    out = []
    who = several_athletes(history)
    for group in history.groups:
        if len(group.sessions) < 2 or not group.width:
            continue
        head = (
            '<th class="left">date</th>'
            + ('<th class="left">athlete</th>' if who else "")
            + "".join(f"<th>{n}</th>" for n in range(1, group.width + 1))
        )
        rows = []
        for s in group.sessions:
            cells = f'<td class="left">{esc(s.athlete or "-")}</td>' if who else ""
            cells += "".join(
                f'<td class="{esc(verdict or "")}">{esc(format_pace(pace).removesuffix("/km"))}</td>'
                for pace, verdict in zip(s.paces, s.verdicts, strict=True)
            )
            cells += "<td></td>" * (group.width - len(s.paces))
            rows.append(f"<tr><td>{esc(s.date or '-')}</td>{cells}</tr>")
        out.append(
            f'<h2>{esc(group.shape)}: {len(group.sessions)} sessions</h2><p class="meta">rep paces /km</p>'
            f'<div class="scroll"><table class="group"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
    return "\n".join(out)


def _sessions(history: History) -> str:
    head = "".join(
        f'<th class="{c}">{n}</th>'
        for n, c in (
            ("date", "left"),
            ("athlete", "left"),
            ("session", "left"),
            ("status", "left"),
            ("reps on target", ""),
            ("score", ""),
            ("rep pace", ""),
            ("target", ""),
        )
    )
    rows = []
    for s in reversed(history.sessions):  # newest first: what a reader looks for
        rows.append(
            f'<tr><td>{esc(s.date or "-")}</td><td class="left">{esc(s.athlete or "-")}</td>'
            f'<td class="left" title="{esc(s.plan or "")}">{esc(s.shape)}</td>'
            f'<td class="left">{badge(s.status)}</td><td>{reps_text(s)}</td><td>{score_text(s)}</td>'
            f"<td>{format_pace(s.rep_pace)}</td><td>{format_pace(s.target_pace)}</td></tr>"
        )
    return (
        f'<h2>Sessions ({len(history.sessions)})</h2><div class="scroll"><table class="sessions">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def render_html(history: History) -> str:
    athletes = sorted({s.athlete for s in history.sessions if s.athlete})
    who = history.filters.athlete or (athletes[0] if len(athletes) == 1 else None)
    title = f"workoutcheck: history of {who}" if who else "workoutcheck: history"
    if not history.sessions:
        return page(title, '<p class="meta">No sessions stored yet (or none match).</p>')
    charts = []
    for name in history.trends:
        svg = chart(history, name)
        if svg:
            charts.append(
                f'<section class="trend"><h2>{esc(TREND_TITLES[name])}</h2>'
                f'<p class="summary">{esc(trend_sentence(history, name))}</p>{svg}</section>'
            )
    body = "\n".join([_legend(history), *charts, _groups(history), _sessions(history)])
    return page(title, body)
