"""Every output format of ``check`` and ``squad`` in one registry, and one entry point to render them.

A format is a name, the function that renders a whole list of results, which of the caller's
options it takes, and the class that writes it one result at a time (for a batch written as
it runs), if it can be. The CLI offers exactly the formats listed here, so adding one is an
entry here and the module that renders it. Every output ends in one newline, so the caller
writes it as is to stdout or to ``--output``.

This module imports nothing heavy: the CLI reads the names for ``--help``, and the renderers
are imported on use, so a JSON run never loads rich (nor a table without colour:
``table_text`` writes it).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workoutcheck.score.result import FileResult


@dataclass(frozen=True)
class Format:
    name: str
    renderer: str | None  # "module:function" rendering the whole list; None: streamed only
    options: tuple[str, ...] = ()  # of render()'s keywords, those this renderer takes
    stream: str | None = None  # "module:class" writing it a result at a time (report.stream)
    note: str = ""  # said after the name in ``--format``'s help

    def load(self, ref: str) -> Callable[..., Any]:
        module, _, name = ref.partition(":")
        return getattr(importlib.import_module(module), name)


REGISTRY = (
    Format("table", "workoutcheck.report.table_text:render_table", ("color",)),
    Format(
        "json",
        "workoutcheck.report.check_json:render_json",
        (),
        "workoutcheck.report.stream:JsonDocument",
    ),
    Format(
        "jsonl",
        None,
        (),
        "workoutcheck.report.stream:JsonLines",
        "one line per file, as each finishes",
    ),
    Format(
        "csv", "workoutcheck.report.check_csv:render_csv", (), "workoutcheck.report.stream:CsvRows"
    ),
    Format(
        "junit",
        "workoutcheck.report.junit:render_junit",
        ("warn_as_failure",),
        "workoutcheck.report.stream:JunitSuites",
    ),
    Format("html", "workoutcheck.report.check_html:render_html"),
    Format(
        "markdown",
        "workoutcheck.report.check_markdown:render_markdown",
        note="the table for a chat, an issue or a wiki",
    ),
)
BY_NAME = {f.name: f for f in REGISTRY}
FORMATS = tuple(f.name for f in REGISTRY if f.renderer is not None)  # a whole list at once
STREAMED = tuple(f.name for f in REGISTRY if f.stream is not None)  # a result at a time
# what ``check --format`` offers: those, then those only streamed
CHECK_FORMATS = FORMATS + tuple(f.name for f in REGISTRY if f.renderer is None)
HISTORY_FORMATS = (
    "table",
    "json",
    "csv",
    "html",
)  # of the ``history`` command (``history.render``)


def choices_help(names: tuple[str, ...]) -> str:
    """``--format``'s help: "table, json, csv or html.", in registry order, each with its note."""
    order = {f.name: i for i, f in enumerate(REGISTRY)}
    names = tuple(sorted(names, key=lambda n: order.get(n, len(order))))
    said = [f"{n} ({BY_NAME[n].note})" if n in BY_NAME and BY_NAME[n].note else n for n in names]
    return f"{', '.join(said[:-1])} or {said[-1]}." if len(said) > 1 else f"{said[0]}."


def render(
    results: list[FileResult], fmt: str, *, color: bool, warn_as_failure: bool = False
) -> str:
    """The report of ``results`` in ``fmt`` (one of ``FORMATS``).

    ``color`` matters only for the table (it adds terminal colours and nothing else);
    ``warn_as_failure`` only for JUnit, where ``--fail-on warn`` turns warnings into failures.
    """
    spec = BY_NAME.get(fmt)
    if spec is None or spec.renderer is None:
        raise ValueError(f"unknown report format {fmt!r}: expected one of {', '.join(FORMATS)}")
    given = {"color": color, "warn_as_failure": warn_as_failure}
    return spec.load(spec.renderer)(results, **{k: given[k] for k in spec.options})
