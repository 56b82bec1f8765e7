"""Trends over a season: how a figure changed per week, with numpy, no statistics library.

Sessions of different shapes are run at different paces (400s faster than 1600s), so a pace
trend is fitted with one common slope and an own level per shape (the slope comes from how
each shape's sessions change over time, never from a mix of shapes week to week). Paces and
heart rates are fitted on a log scale, so the change is a percentage whatever the level.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Line:
    group: Any  # what the caller grouped by (history: an (athlete, shape) pair)
    x0: float  # days since the first session
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Trend:
    sessions: int
    span_days: float
    per_week: float | None  # change per week: % for log fits, units otherwise
    change: float | None  # over the whole span: % for log fits, units otherwise
    lines: tuple[Line, ...]  # the fitted line of each group, for charts


def fit(days: list[float], values: list[float], groups: Sequence[Hashable], *, log: bool) -> Trend:
    """Least squares with a common slope and a level per group. Needs two sessions of one
    group on different days; otherwise ``per_week`` and ``change`` are None."""
    x = np.asarray(days, dtype=float)
    y = np.asarray(values, dtype=float)
    if log:
        y = np.log(y)
    span = float(x.max() - x.min()) if len(x) else 0.0
    if len(x) < 2:
        return Trend(len(x), span, None, None, ())
    index: dict[Hashable, int] = {}
    codes = np.fromiter(
        (index.setdefault(g, len(index)) for g in groups), dtype=np.intp, count=len(groups)
    )
    names = list(index)
    n = np.bincount(codes)
    mx = np.bincount(codes, weights=x) / n
    my = np.bincount(codes, weights=y) / n
    xd, yd = x - mx[codes], y - my[codes]
    sxx = float(np.dot(xd, xd))
    if sxx <= 1e-12:
        return Trend(len(x), span, None, None, ())
    slope = float(np.dot(xd, yd)) / sxx
    lo = np.full(len(names), np.inf)
    hi = np.full(len(names), -np.inf)
    np.minimum.at(lo, codes, x)
    np.maximum.at(hi, codes, x)

    def value(g: int, at: float) -> float:
        level = my[g] + slope * (at - mx[g])
        return math.exp(level) if log else level

    lines = tuple(
        Line(names[g], float(lo[g]), value(g, lo[g]), float(hi[g]), value(g, hi[g]))
        for g in range(len(names))
    )
    if log:
        return Trend(
            len(x), span, 100.0 * math.expm1(slope * 7), 100.0 * math.expm1(slope * span), lines
        )
    return Trend(len(x), span, slope * 7, slope * span, lines)


def hr_line(points: list[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    """One session's heart rate against speed: a straight line through its steady (m/s, bpm)
    points, as (intercept, slope, lowest speed, highest speed). None with fewer than three
    points, too narrow a spread of speeds, or a line on which heart rate falls as speed rises
    (the points say nothing about effort then)."""
    if len(points) < 3:
        return None
    v = np.array([p[0] for p in points])
    hr = np.array([p[1] for p in points])
    if v.max() - v.min() < 0.3:
        return None
    slope, intercept = np.polyfit(v, hr, 1)
    if slope <= 0:
        return None
    return float(intercept), float(slope), float(v.min()), float(v.max())


def line_at(line: tuple[float | None, ...], speed: float, *, reach: float = 0.3) -> float | None:
    """Heart rate at ``speed`` on a session's line, if ``speed`` lies within ``reach`` m/s of
    the speeds the line was fitted on."""
    intercept, slope, low, high = line
    if intercept is None or slope is None or low is None or high is None:
        return None
    if not low - reach <= speed <= high + reach:
        return None
    return intercept + slope * speed
