"""The history database: opening it safely, writing results into it, forgetting an athlete.

SQLite with no server: several writers (two ``watch`` processes, a ``squad`` run with many
workers reporting to one parent) may share a file. So the journal is a write-ahead log (WAL:
readers never block the writer, and a writer killed mid-transaction leaves the log's
uncommitted tail to be ignored on the next open), every write takes the write lock at its
start (``BEGIN IMMEDIATE``, so two writers queue instead of deadlocking), a busy database is
waited for (``busy_timeout``) rather than failed, and every commit is synced
(``synchronous=FULL``). A file's content is stored once: its SHA-256 is unique, and storing it
again deletes the old session (its segments and checks go with it) in the same transaction.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from workoutcheck.errors import HistoryError
from workoutcheck.history.schema import (
    APPLICATION_ID,
    CHECK_COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    SEGMENT_COLUMNS,
    SESSION_COLUMNS,
)

if TYPE_CHECKING:  # writing needs the result types; reading the history does not load them
    from workoutcheck.history.rows import SessionRows
    from workoutcheck.score.result import FileResult

BUSY_TIMEOUT_S = 30.0


class HistoryDB:
    """An open history database. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise HistoryError(f"{self.path}: no such history database (write one with --history)")
        if self.path.is_dir():
            raise HistoryError(f"{self.path}: is a folder, not a history database")
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: cannot open the history database ({exc})") from None
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise HistoryError(f"{self.path}: not a usable history database ({exc})") from None
        except HistoryError:
            self.conn.close()
            raise

    def _prepare(self) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        conn.execute("PRAGMA synchronous = FULL")
        version = self._version()
        if version < SCHEMA_VERSION:
            with (
                self.transaction()
            ):  # re-read under the write lock: another process may have migrated
                version = self._version()
                for step in MIGRATIONS[version:]:
                    for statement in _statements(step):
                        conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version > SCHEMA_VERSION:
            raise HistoryError(
                f"{self.path}: written by a newer workoutcheck (schema version {version}, "
                f"this one knows up to {SCHEMA_VERSION}); upgrade workoutcheck"
            )

    def _version(self) -> int:
        """The schema version; refuses a database some other program made."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        app = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if app == APPLICATION_ID:
            return version
        tables = self.conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        if tables or version:
            raise HistoryError(
                f"{self.path}: an SQLite database, but not a workoutcheck history; "
                "give another file to --history"
            )
        return 0

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: committed at the end of the block, rolled back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def store(self, rows: Iterable[SessionRows]) -> int:
        """Store sessions in one transaction, each replacing any earlier one of the same content."""
        count = 0
        try:
            with self.transaction() as conn:
                for one in rows:
                    _insert(conn, one)
                    count += 1
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: cannot write the history ({exc})") from None
        return count

    def record(self, results: Iterable[FileResult]) -> int:
        """Store every checked result (results of files that could not be checked, and files
        that vanished since, are left out); returns how many sessions were stored."""
        from workoutcheck.history.rows import session_rows
        from workoutcheck.score.result import Status
        from workoutcheck.watch.state import file_digest

        rows = []
        for result in results:
            if result.status is Status.ERROR:
                continue
            try:
                digest = file_digest(Path(result.file))
            except OSError:
                continue
            rows.append(session_rows(result, digest))
        return self.store(rows) if rows else 0

    def forget(self, athlete: str) -> int:
        """Delete every session of ``athlete`` (and its segments and checks); returns how many.
        The freed pages are wiped (``secure_delete``) so the data is gone from the file too."""
        try:
            self.conn.execute("PRAGMA secure_delete = ON")
            with self.transaction() as conn:
                deleted = conn.execute(
                    "DELETE FROM sessions WHERE athlete = ?", (athlete,)
                ).rowcount
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.path}: cannot delete from the history ({exc})") from None
        return deleted

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> HistoryDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _insert(conn: sqlite3.Connection, one: SessionRows) -> None:
    conn.execute("DELETE FROM sessions WHERE file_hash = ?", (one.session[0],))
    cursor = conn.execute(
        f"INSERT INTO sessions ({', '.join(SESSION_COLUMNS)}) VALUES ({', '.join('?' * len(SESSION_COLUMNS))})",
        one.session,
    )
    sid = cursor.lastrowid
    conn.executemany(
        f"INSERT INTO segments (session_id, {', '.join(SEGMENT_COLUMNS)}) "
        f"VALUES (?, {', '.join('?' * len(SEGMENT_COLUMNS))})",
        [(sid, *r) for r in one.segments],
    )
    conn.executemany(
        f"INSERT INTO checks (session_id, {', '.join(CHECK_COLUMNS)}) "
        f"VALUES (?, {', '.join('?' * len(CHECK_COLUMNS))})",
        [(sid, *r) for r in one.checks],
    )


def _statements(script: str) -> list[str]:
    """A migration script split into statements (they hold no semicolons inside strings);
    ``executescript`` would commit the open transaction first."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _retry_locked(step: Callable[[], object]) -> None:
    """Run ``step`` again while the database is locked, up to ``BUSY_TIMEOUT_S``: switching a
    new database to WAL takes a lock for which SQLite does not always wait (two writers
    opening it at once: one was refused with "database is locked" on a busy machine)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
