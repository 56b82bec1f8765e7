"""The layers drawn over the pace chart from the file's other channels: the heart rate on its
own axis (right), and the elevation profile as a shaded strip along the bottom of the plot."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from workoutcheck.report.svg_parts import _el, _n, _path, _step
from workoutcheck.score.result import FileResult

if TYPE_CHECKING:
    from workoutcheck.report.svg_chart import _Frame

HR_COLOUR = "#c62828"
ELEVATION_COLOUR = "#8d6e63"
ELEVATION_SHARE = (
    0.25  # the elevation profile fills the bottom quarter of the plot, behind the pace
)


def heart_rate(result: FileResult, frame: _Frame) -> list[str]:
    """The heart-rate line on its own axis (right); nothing when the file has no heart rate."""
    series = result.series
    if series is None or series.heart_rate is None:
        return []
    values = [v for v in series.heart_rate if v is not None and v > 0]
    if not values:
        return []
    lo, hi = math.floor((min(values) - 5) / 10) * 10, math.ceil((max(values) + 5) / 10) * 10
    span = max(hi - lo, 10)

    def y(bpm: float) -> float:
        return frame.y1 - (frame.y1 - frame.y0) * (bpm - lo) / span

    points = [
        None if v is None or v <= 0 else (frame.x(t), y(v))
        for t, v in zip(series.t, series.heart_rate, strict=True)
    ]
    out = [
        _el(
            "path",
            cls="hr-line",
            d=_path(points),
            fill="none",
            stroke=HR_COLOUR,
            stroke_width=1,
            opacity=0.8,
        )
    ]
    tick = _step(span, (10, 20, 30, 40, 50), 4)
    out.extend(
        _el("text", bpm, cls="hr-label", x=frame.x1 + 4, y=y(bpm) + 4, fill=HR_COLOUR)
        for bpm in range(lo + (-lo) % tick, hi + 1, tick)
    )
    return out


def elevation(result: FileResult, frame: _Frame) -> list[str]:
    """The elevation profile, filled down to the plot's bottom edge in its lowest quarter, with
    its lowest and highest altitude; nothing when the file has no altitude."""
    series = result.series
    if series is None or series.altitude is None:
        return []
    values = [v for v in series.altitude if v is not None]
    if not values:
        return []
    lo, hi = min(values), max(values)
    span = max(hi - lo, 10.0)  # flat ground stays a flat strip, not noise blown up
    depth = (frame.y1 - frame.y0) * ELEVATION_SHARE

    def y(alt: float) -> float:
        return frame.y1 - depth * (alt - lo) / span

    runs: list[list[tuple[float, float]]] = [[]]
    for t, v in zip(series.t, series.altitude, strict=True):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((frame.x(t), y(v)))
    out = []
    for run in (r for r in runs if r):
        outline = "".join(f"L{_n(x)} {_n(yy)}" for x, yy in run)
        d = f"M{_n(run[0][0])} {_n(frame.y1)}{outline}L{_n(run[-1][0])} {_n(frame.y1)}Z"
        out.append(
            _el("path", cls="elevation", d=d, fill=ELEVATION_COLOUR, opacity=0.3, stroke="none")
        )
    out.append(
        _el(
            "text",
            f"elevation {lo:.0f}-{hi:.0f} m",
            cls="elevation-label",
            x=frame.x0 + 4,
            y=frame.y1 - 4,
            fill=ELEVATION_COLOUR,
            font_size=11,
            stroke="#fff",
            stroke_width=3,
            paint_order="stroke",
        )
    )
    return out
