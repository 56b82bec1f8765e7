"""The watcher's history: each new result goes into the database and ``history.html`` is
redrawn beside the reports, so the page a runner keeps open is never more than one file old.

The page is written atomically (as the reports are), so a browser never shows half of it.
"""

from __future__ import annotations

from pathlib import Path

from workoutcheck.errors import HistoryError
from workoutcheck.history import PAGE_NAME, HistoryDB, history_of, render
from workoutcheck.run.atomic import write_atomically
from workoutcheck.score.result import FileResult


class LiveHistory:
    def __init__(self, db_path: Path, out_dir: Path) -> None:
        self.db = HistoryDB(db_path)
        self.page = Path(out_dir) / PAGE_NAME

    def add(self, result: FileResult) -> Path | None:
        """Store ``result`` and redraw the page; returns the page, or None when nothing was
        stored (a file that could not be checked)."""
        if not self.db.record([result]):
            return None
        text = render(history_of(self.db), "html")
        try:
            self.page.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.page, text)
        except OSError as exc:
            raise HistoryError(
                f"{self.page}: cannot write the history page ({exc.strerror or exc})"
            ) from None
        return self.page

    def close(self) -> None:
        self.db.close()
