"""The pace-over-time chart of one file as inline SVG, drawn here, not by a plotting library.

The HTML report must be one file that fetches nothing, and a few rectangles and two paths are
all the chart needs: reps shaded by verdict, each rep's target band with its two edges, the
recoveries in grey, pace as a line (faster is up, as runners read pace) and heart rate on its
own axis, and where the file has altitude its elevation profile as a shaded strip along the
bottom of the plot. Numbers are rounded to 0.1 of a unit so the markup stays small.
"""

from __future__ import annotations

import math
from html import escape

from workoutcheck.model.text import format_duration, per_unit
from workoutcheck.report.html_page import EXTRA_FILL, STATUS_FILL
from workoutcheck.report.svg_overlays import HR_COLOUR, elevation, heart_rate
from workoutcheck.report.svg_parts import _el, _path, _step
from workoutcheck.score.overview import rep_status
from workoutcheck.score.result import FileResult, ScoredSegment
from workoutcheck.segment.result import SegmentKind

W, H = 480, 280
TOP, BOTTOM, LEFT = 24, 34, 42
MIN_SPEED = 0.5  # m/s: slower is standing or walking, drawn on the slow edge
PACE_STEPS = (5, 10, 15, 20, 30, 60, 120, 300)
TIME_STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120)
REP_FILL: dict[str | None, str] = {**STATUS_FILL, None: "#90caf9"}  # type: ignore[dict-item]  # by the rep's status, as the table and matrix
PACE_COLOUR, BAND_COLOUR = "#0d47a1", "#1b5e20"
MISSED_COLOUR = "#c62828"
LABEL_CLEAR_X = 64  # rep numbers start right of the axis title "pace /km"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def pace_range(paces: list[float], bands: list[tuple[float, float]]) -> tuple[float, float, int]:
    """(fastest, slowest, tick step) in s/km: every band fits, and the slow end is cut off
    where walking and standing would squash the reps into a thin strip at the top."""
    fast = min([_percentile(paces, 0.02)] + [b[0] for b in bands])
    slow = _percentile(paces, 0.95)
    slow = min(slow, fast * 2.2)
    slow = max([slow, fast + 30] + [b[1] + 10 for b in bands])
    step = _step(slow - fast, PACE_STEPS, 6)
    return math.floor(fast / step) * step, math.ceil(slow / step) * step, step


class _Frame:
    """Maps seconds and s/km (or bpm) to SVG coordinates inside the plot area."""

    def __init__(self, duration: float, fast: float, slow: float, right: float) -> None:
        self.duration, self.fast, self.slow = max(duration, 1.0), fast, slow
        self.x0, self.x1, self.y0, self.y1 = LEFT, W - right, TOP, H - BOTTOM

    def x(self, t: float) -> float:
        return self.x0 + (self.x1 - self.x0) * min(max(t, 0.0), self.duration) / self.duration

    def y(self, pace: float) -> float:
        """Faster paces (smaller numbers) higher up."""
        pace = min(max(pace, self.fast), self.slow)
        return self.y0 + (self.y1 - self.y0) * (pace - self.fast) / (self.slow - self.fast)


def _span(scored: ScoredSegment, frame: _Frame) -> tuple[float, float]:
    """(left x, width) of a timed segment; at least 1 unit wide so a short rep stays visible."""
    x = frame.x(scored.segment.start_s or 0.0)
    return x, max(frame.x(scored.segment.end_s or 0.0) - x, 1.0)


def _segments(result: FileResult, frame: _Frame) -> list[str]:
    """Recoveries, extra efforts, missed reps, rep shading, then each rep's band and its two
    edge lines, with rep numbers (one left out where it would overlap the one before or the
    axis title)."""
    out, last_label = [], -100.0
    top, height = frame.y0, frame.y1 - frame.y0
    timed = [s for s in result.segments if None not in (s.segment.start_s, s.segment.end_s)]
    for scored in (s for s in timed if s.segment.kind is SegmentKind.RECOVERY):
        x, width = _span(scored, frame)
        out.append(
            _el(
                "rect",
                cls="recovery",
                x=x,
                y=top,
                width=width,
                height=height,
                fill="#e0e0e0",
                opacity=0.7,
            )
        )
    for scored in (s for s in timed if s.segment.kind is SegmentKind.EXTRA):
        x, width = _span(scored, frame)
        out.append(
            _el(
                "rect",
                cls="extra",
                x=x,
                y=top,
                width=width,
                height=height,
                fill=EXTRA_FILL,
                opacity=0.8,
            )
        )
    out.extend(_missed(result, frame))
    for scored in (s for s in timed if s.segment.kind is SegmentKind.REP):
        out.extend(_rep_marks(result, scored, frame))
        x, width = _span(scored, frame)
        if x + width / 2 - last_label >= 16 and x + width / 2 >= LABEL_CLEAR_X:
            out.append(
                _el(
                    "text",
                    scored.segment.rep,
                    cls="rep-label",
                    x=x + width / 2,
                    y=top - 7,
                    text_anchor="middle",
                )
            )
            last_label = x + width / 2
    return out


def _missed(result: FileResult, frame: _Frame) -> list[str]:
    """A rep not run is a gap where it belonged: a dashed red line at the end of the segment
    before it, labelled "4 missed"."""
    out, clock = [], 0.0
    for scored in result.segments:
        seg = scored.segment
        if seg.end_s is not None:
            clock = seg.end_s
        if not seg.missed:
            continue
        x = frame.x(clock)
        out.append(
            _el(
                "line",
                cls="missed",
                data_rep=seg.rep,
                x1=x,
                x2=x,
                y1=frame.y0,
                y2=frame.y1,
                stroke=MISSED_COLOUR,
                stroke_width=1.6,
                stroke_dasharray="5 3",
            )
        )
        out.append(
            _el(
                "text",
                f"{seg.rep} missed",
                cls="missed-label",
                x=x + 3,
                y=frame.y0 + 14,
                fill=MISSED_COLOUR,
                font_size=11,
            )
        )
    return out


def _rep_marks(result: FileResult, scored: ScoredSegment, frame: _Frame) -> list[str]:
    """The rep's shading (coloured by its status, as the table and the squad matrix) and, with a
    target, its band and the band's edges."""
    rep = scored.segment.rep
    x, width = _span(scored, frame)
    status = rep_status(result, scored).value if scored.verdict is not None else None
    fill = REP_FILL.get(status, REP_FILL[None])
    out = [
        _el(
            "rect",
            cls="rep",
            data_rep=rep,
            data_status=status or "",
            x=x,
            y=frame.y0,
            width=width,
            height=frame.y1 - frame.y0,
            fill=fill,
        )
    ]
    if scored.band is not None:
        y_fast, y_slow = frame.y(scored.band[0]), frame.y(scored.band[1])
        out.append(
            _el(
                "rect",
                cls="band",
                data_rep=rep,
                x=x,
                y=y_fast,
                width=width,
                height=max(y_slow - y_fast, 0.5),
                fill=BAND_COLOUR,
                opacity=0.25,
            )
        )
        out.extend(
            _el(
                "line",
                cls="band-line",
                data_rep=rep,
                x1=x,
                x2=x + width,
                y1=y,
                y2=y,
                stroke=BAND_COLOUR,
                stroke_width=1.6,
                stroke_dasharray="4 2",
            )
            for y in (y_fast, y_slow)
        )
    return out


def _axes(frame: _Frame, step: int, has_hr: bool, unit: str = "km") -> list[str]:
    """Pace grid and labels on the left (min:ss per km or mile), minutes along the bottom."""
    out = []
    pace = frame.fast
    while pace <= frame.slow + 1e-6:
        y = frame.y(pace)
        out.append(
            _el("line", x1=frame.x0, x2=frame.x1, y1=y, y2=y, stroke="#bdbdbd", stroke_width=0.6)
        )
        out.append(
            _el(
                "text",
                format_duration(per_unit(pace, unit)),
                cls="pace-label",
                x=frame.x0 - 4,
                y=y + 4,
                text_anchor="end",
            )
        )
        pace += step
    minutes = frame.duration / 60
    for m in range(0, int(minutes) + 1, _step(minutes, TIME_STEPS, 7)):
        x = frame.x(m * 60)
        out.append(_el("line", x1=x, x2=x, y1=frame.y1, y2=frame.y1 + 4, stroke="#616161"))
        out.append(_el("text", m, cls="time-label", x=x, y=frame.y1 + 17, text_anchor="middle"))
    out.append(_el("text", "time (min)", x=frame.x1, y=H - 3, text_anchor="end"))
    out.append(_el("text", f"pace /{unit}", cls="axis-title", x=4, y=TOP - 8))
    if has_hr:
        out.append(_el("text", "bpm", x=W - 2, y=TOP - 8, text_anchor="end", fill=HR_COLOUR))
    out.append(
        _el(
            "rect",
            x=frame.x0,
            y=frame.y0,
            width=frame.x1 - frame.x0,
            height=frame.y1 - frame.y0,
            fill="none",
            stroke="#616161",
        )
    )
    return out


def pace_chart(result: FileResult) -> str:
    """The chart as an ``<svg>`` element, or "" when the file has no speed to draw."""
    series = result.series
    if series is None or not series.t:
        return ""
    paces = [1000.0 / v for v in series.speed if v is not None and v >= MIN_SPEED]
    if not paces:
        return ""
    bands = [s.band for s in result.reps if s.band is not None and s.segment.start_s is not None]
    fast, slow, step = pace_range(paces, bands)
    has_hr = series.heart_rate is not None and any(v for v in series.heart_rate if v)
    duration = result.activity.duration_s if result.activity is not None else series.t[-1]
    frame = _Frame(max(duration, series.t[-1]), fast, slow, right=34 if has_hr else 12)
    points = [
        None if v is None else (frame.x(t), frame.y(1000.0 / v if v >= MIN_SPEED else slow))
        for t, v in zip(series.t, series.speed, strict=True)
    ]
    reps = sum(1 for s in result.reps if s.segment.start_s is not None)
    label = f"Pace over time of {result.file}: {reps} reps shaded, target bands drawn"
    body = [
        *_segments(result, frame),
        *elevation(result, frame),
        *_axes(frame, step, has_hr, result.unit),
        *heart_rate(result, frame),
        _el(
            "path",
            cls="pace-line",
            d=_path(points),
            fill="none",
            stroke=PACE_COLOUR,
            stroke_width=1.6,
            stroke_linejoin="round",
        ),
    ]
    return (
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(label)}" '
        'font-size="13" font-family="system-ui, sans-serif" fill="#212121">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )
