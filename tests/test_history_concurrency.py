"""Writers sharing one history database: two at once, and one killed in the middle of a write.

The writers are real processes (``sys.executable``), as two ``watch`` processes would be. Each
stores the result of a real check (pickled by the test) under 200 small files of distinct
content, so what is compared is exactly how many sessions, segments and checks end up stored.
Every wait is bounded.
"""

from __future__ import annotations

import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from workoutcheck.history import HistoryDB, history_of
from workoutcheck.plan import Profile, parse_plan
from workoutcheck.run.pipeline import CheckOptions, check_file

PLAN = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
FILES = 200

WRITER = textwrap.dedent("""
    import pickle, sys, time
    from dataclasses import replace
    from pathlib import Path
    from workoutcheck.history import HistoryDB

    db_path, template, go, order = sys.argv[1:5]
    files = sorted(Path(sys.argv[5]).glob("*.fit"))
    if order == "reversed":
        files.reverse()
    result = pickle.loads(Path(template).read_bytes())
    while not Path(go).exists():  # both writers start together
        time.sleep(0.005)
    with HistoryDB(Path(db_path)) as db:  # both may be creating the schema at this moment
        for path in files:
            db.record([replace(result, file=str(path))])
    print("done", flush=True)
""")

KILLED = textwrap.dedent("""
    import pickle, sys, time
    from dataclasses import replace
    from pathlib import Path
    from workoutcheck.history import HistoryDB
    from workoutcheck.history.rows import session_rows
    from workoutcheck.history.store import _insert

    db_path, template, folder = sys.argv[1:4]
    files = sorted(Path(folder).glob("*.fit"))
    result = pickle.loads(Path(template).read_bytes())
    db = HistoryDB(Path(db_path))
    db.record([replace(result, file=str(p)) for p in files[:5]])  # committed
    with db.transaction() as conn:
        for i, path in enumerate(files[5:]):
            _insert(conn, session_rows(replace(result, file=str(path)), f"uncommitted-{i}"))
        print("inside", flush=True)
        time.sleep(120)
""")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    result = check_file(
        str(SAMPLES / "five_by_1000_track.fit"), CheckOptions(plan=parse_plan(PLAN)), Profile("Ana")
    )
    path = tmp_path_factory.mktemp("template") / "result.pickle"
    path.write_bytes(pickle.dumps(result))
    return path


def _files(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"run{i:03d}.fit").write_bytes(f"run {i}\n".encode())
    return folder


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}


def test_two_writers_over_200_files_store_each_content_once(tmp_path, template):
    folder = _files(tmp_path / "files", FILES)
    db, go = tmp_path / "shared.db", tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(template), str(go), order, str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for order in ("sorted", "reversed")
    ]
    go.touch()
    outputs = [w.communicate(timeout=300) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err[-2000:] for _, err in outputs]
    segments = len(pickle.loads(template.read_bytes()).segments)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute(
            "SELECT count(*), count(DISTINCT file_hash), count(DISTINCT file) FROM sessions"
        ).fetchone() == (FILES, FILES, FILES)
        per_session = conn.execute(
            "SELECT DISTINCT n FROM (SELECT count(*) AS n FROM segments GROUP BY session_id)"
        ).fetchall()
        assert per_session == [(segments,)]
        orphans = conn.execute(
            "SELECT count(*) FROM segments WHERE session_id NOT IN (SELECT id FROM sessions)"
        )
        assert orphans.fetchone() == (0,)


def test_a_writer_killed_mid_transaction_loses_nothing_committed(tmp_path, template):
    """SIGKILL while a transaction holds 15 uncommitted sessions: the database opens, passes
    SQLite's integrity check and holds the 5 sessions committed before, whole; meanwhile a
    reader was not blocked by the open write."""
    folder = _files(tmp_path / "files", 20)
    db = tmp_path / "h.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(db), str(template), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        line = writer.stdout.readline()  # type: ignore[union-attr]
        assert line == "inside\n", writer.stderr.read()  # type: ignore[union-attr]
        reader = sqlite3.connect(db, timeout=1)
        assert reader.execute("SELECT count(*) FROM sessions").fetchone() == (
            5,
        )  # WAL: not blocked
        reader.close()
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    with HistoryDB(db) as reopened:
        assert reopened.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        history = history_of(reopened)
        assert reopened.conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 5 * len(
            pickle.loads(template.read_bytes()).segments
        )
        assert reopened.record([]) == 0
    assert [Path(s.file).name for s in history.sessions] == [f"run{i:03d}.fit" for i in range(5)]
    assert all(
        s.athlete == "Ana" and s.reps_on_target == 5 and len(s.paces) == 5 for s in history.sessions
    )
    # the database is writable again: the lock died with the writer
    with HistoryDB(db) as again:
        again.conn.execute("BEGIN IMMEDIATE")
        again.conn.execute("ROLLBACK")


def test_two_watch_processes_share_one_history(tmp_path):
    """Two ``watch --once`` processes on two folders write one --history database at once: the
    run both folders hold is stored once, everything else once each, and each folder gets its
    own history.html."""
    names = {
        "a": ["five_by_1000_track.fit", "eight_by_400_track.fit", "six_by_3min_road.fit"],
        "b": ["five_by_1000_track.fit", "progressive_1000s.fit", "ten_by_200_autopause.fit"],
    }
    db = tmp_path / "shared.db"
    procs = []
    for folder, files in names.items():
        (tmp_path / folder).mkdir()
        for name in files:
            (tmp_path / folder / name).write_bytes((SAMPLES / name).read_bytes())
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "workoutcheck",
                    "watch",
                    str(tmp_path / folder),
                    "--once",
                    "--poll",
                    "0.05",
                    "--history",
                    str(db),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(),
            )
        )
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in outputs]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = sorted(Path(f).name for (f,) in conn.execute("SELECT file FROM sessions"))
    assert stored == sorted({*names["a"], *names["b"]})
    for folder in names:
        assert "Sessions (" in (tmp_path / folder / "history.html").read_text(encoding="utf-8")
        assert not (tmp_path / folder / ".workoutcheck.db").exists()  # --history was given


def test_a_locked_switch_to_wal_is_tried_again_other_errors_are_not():
    """SQLite does not always wait for the lock that switching a new database to WAL takes:
    the store tries the step again while it is locked, and raises anything else at once."""
    import sqlite3

    from workoutcheck.history.store import _retry_locked

    calls = []

    def locked_twice() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")

    _retry_locked(locked_twice)
    assert len(calls) == 3

    def broken() -> None:
        calls.append(1)
        raise sqlite3.OperationalError("disk I/O error")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        _retry_locked(broken)
    assert len(calls) == 1
