"""The athlete's history: every checked session in an SQLite file, and progress over a season.

``HistoryDB`` opens (creating and migrating) a database and stores ``FileResult``s in it;
``report`` reads it back through the ``history`` command's filters and renders the sessions,
the sessions grouped by shape, and the trends. Uses results (``score.result``) and the check
JSON's converters; nothing here knows about the command line.
"""

from __future__ import annotations

import gc
from pathlib import Path

from workoutcheck.history.query import Filters, load_sessions, parse_since
from workoutcheck.history.store import HistoryDB
from workoutcheck.history.summary import History, summarise
from workoutcheck.report.formats import HISTORY_FORMATS

FORMATS = HISTORY_FORMATS
DEFAULT_NAME = ".workoutcheck.db"  # what ``watch`` uses in the watched folder
PAGE_NAME = "history.html"  # what ``watch`` writes beside its reports

__all__ = [
    "DEFAULT_NAME",
    "FORMATS",
    "PAGE_NAME",
    "Filters",
    "History",
    "HistoryDB",
    "history_of",
    "parse_since",
    "render",
    "report",
]


def history_of(db: HistoryDB, filters: Filters | None = None) -> History:
    filters = filters or Filters()
    return summarise(load_sessions(db, filters), filters)


def render(history: History, fmt: str) -> str:
    """The history in ``fmt`` (one of ``FORMATS``), ending in one newline."""
    if fmt == "json":
        from workoutcheck.history.views import render_json

        return render_json(history)
    if fmt == "csv":
        from workoutcheck.history.views import render_csv

        return render_csv(history)
    if fmt == "html":
        from workoutcheck.history.html import render_html

        return render_html(history)
    if fmt == "table":
        from workoutcheck.history.views import render_table

        return render_table(history)
    raise ValueError(f"unknown history format {fmt!r}: expected one of {', '.join(FORMATS)}")


def report(path: Path, fmt: str, filters: Filters | None = None) -> str:
    """Open the database at ``path`` (it must exist), and render what passes ``filters``.

    The cyclic garbage collector is paused meanwhile: a long history is ~100,000 small objects
    (sessions, their reps, the output's dicts), none in a cycle, and the collector would walk
    them over and over while they are made (a fifth of the time over 10,000 sessions)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        with HistoryDB(path, create=False) as db:
            return render(history_of(db, filters), fmt)
    finally:
        if collecting:
            gc.enable()
