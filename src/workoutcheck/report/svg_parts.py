"""The few SVG primitives the charts share: rounded numbers, escaped elements, paths that
break at pauses, and tick steps. Numbers are rounded to 0.1 of a unit so the markup stays
small; every value is escaped, so nothing from a file can become markup."""

from __future__ import annotations

from html import escape


def _n(value: float) -> str:
    """A coordinate with at most one decimal, "12" rather than "12.0"."""
    return f"{value:.1f}".removesuffix(".0")


def _step(span: float, steps: tuple[int, ...], most: int) -> int:
    """The smallest step from ``steps`` giving at most ``most`` intervals over ``span``."""
    return next((s for s in steps if span / s <= most), steps[-1])


def _el(tag: str, text: object = None, **attrs: object) -> str:
    """One SVG element; ``cls`` is written ``class``, ``_`` in a name ``-``, floats via ``_n``;
    every value and the text are escaped, so nothing from a file can become markup."""
    parts = [tag]
    for name, value in attrs.items():
        key = "class" if name == "cls" else name.replace("_", "-")
        shown = _n(value) if isinstance(value, float) else str(value)
        parts.append(f'{key}="{escape(shown)}"')
    head = " ".join(parts)
    return f"<{head}/>" if text is None else f"<{head}>{escape(str(text))}</{tag}>"


def _path(points: list[tuple[float, float] | None]) -> str:
    """An SVG path; None breaks the line (a pause), so no line is drawn across it."""
    parts, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{_n(point[0])} {_n(point[1])}")
        pen_down = True
    return "".join(parts)
