"""The history database and the ``history`` command, on results of the committed samples.

What is stored is compared with the check JSON of the same result (the database must hold the
figures the JSON has); the schema is checked at its version and migrated from version 1; the
commands are driven through the CLI as a user would.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, SAMPLES
from workoutcheck.cli import app
from workoutcheck.errors import HistoryError
from workoutcheck.history import Filters, HistoryDB, history_of, render
from workoutcheck.history.rows import shape_of
from workoutcheck.history.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from workoutcheck.history.store import _statements
from workoutcheck.plan import Profile, parse_plan
from workoutcheck.report.check_json import to_dict
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score.result import FileResult

PLAN = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
EIGHT_PLAN = "wu 15min; 8 x 400m in 80s, 400m jog; cd 10min"
FIVE = SAMPLES / "five_by_1000_track.fit"
EIGHT = SAMPLES / "eight_by_400_track.fit"
runner = CliRunner()
SCHEMA = json.loads(
    (ROOT / "tests" / "golden" / "history-v1.schema.json").read_text(encoding="utf-8")
)


def _check(path: Path, plan: str = PLAN, athlete: str | None = None) -> FileResult:
    return check_file(
        str(path), CheckOptions(plan=parse_plan(plan)), Profile(athlete) if athlete else None
    )


@pytest.fixture(scope="module")
def five() -> FileResult:
    return _check(FIVE, athlete="Ana")


@pytest.fixture(scope="module")
def eight() -> FileResult:
    return _check(EIGHT, EIGHT_PLAN, athlete="Ben")


def _count(db_path: Path, table: str = "sessions") -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_new_database_is_versioned_marked_and_in_wal_mode(tmp_path):
    with HistoryDB(tmp_path / "h.db") as db:
        assert db.version == SCHEMA_VERSION == 2
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
        assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_stored_rows_hold_the_figures_of_the_json(tmp_path, five):
    """Every segment and check of the session is stored with the JSON's rounded numbers and
    words; the session row has the file's hash, athlete, start, plan, shape, score, status."""
    with HistoryDB(tmp_path / "h.db") as db:
        assert db.record([five]) == 1
        conn = db.conn
        conn.row_factory = sqlite3.Row
        session = conn.execute("SELECT * FROM sessions").fetchone()
        segments = conn.execute("SELECT * FROM segments ORDER BY position").fetchall()
        checks = conn.execute("SELECT * FROM checks ORDER BY position").fetchall()
    data = to_dict(five)

    assert session["file_hash"] == hashlib.sha256(FIVE.read_bytes()).hexdigest()
    assert (session["athlete"], session["start_time"], session["plan"], session["shape"]) == (
        "Ana",
        "2026-05-01T06:00:00Z",
        parse_plan(PLAN).text,
        "5x1000m",
    )
    assert (
        (session["score"], session["status"]) == (data["score"], data["status"]) == (95.4, "pass")
    )
    assert (session["reps_planned"], session["reps_on_target"]) == (5, 5)
    assert session["target_pace_s_per_km"] == 225.0
    assert 224.0 < session["rep_pace_s_per_km"] < 227.0
    assert len(segments) == len(data["segments"])
    for row, seg in zip(segments, data["segments"], strict=True):
        assert (
            row["kind"],
            row["rep"],
            row["start_s"],
            row["end_s"],
            row["pace_s_per_km"],
            row["verdict"],
        ) == (
            seg["kind"],
            seg["rep"],
            seg["start_s"],
            seg["end_s"],
            seg["pace_s_per_km"],
            seg["verdict"],
        )
        band = seg["target_pace_s_per_km"]
        assert [row["target_fast_s_per_km"], row["target_slow_s_per_km"]] == (band or [None, None])
        assert json.loads(row["splits"]) == seg["splits"]
    assert [
        (c["id"], c["status"], c["rep"], c["message"], json.loads(c["figures"])) for c in checks
    ] == [(c["id"], c["status"], c["rep"], c["message"], c["figures"]) for c in data["checks"]]
    reps = [r for r in segments if r["kind"] == "rep"]
    assert all(
        150 < r["steady_heart_rate"] < 195 and 4.2 < r["steady_speed_mps"] < 4.7 for r in reps
    )


def test_same_content_is_stored_once_and_a_recheck_replaces_it(tmp_path, five):
    """A copy under another name is the same session (the last name is kept); checking it again
    against another plan replaces its rows instead of adding to them."""
    copy = tmp_path / "copy.fit"
    shutil.copy(FIVE, copy)
    db_path = tmp_path / "h.db"
    with HistoryDB(db_path) as db:
        db.record([five])
        db.record([replace(five, file=str(copy))])
        rechecked = _check(copy, "5x1000m @ 3:50/km, 400m jog", athlete="Ana")
        db.record([rechecked])
        rows = db.conn.execute("SELECT file, plan FROM sessions").fetchall()
    assert rows == [(str(copy), parse_plan("5x1000m @ 3:50/km, 400m jog").text)]
    assert _count(db_path, "segments") == len(rechecked.segments)
    assert _count(db_path, "checks") == len(rechecked.checks)


def test_unreadable_files_and_vanished_files_are_not_stored(tmp_path, five):
    bad = tmp_path / "bad.fit"
    bad.write_bytes(b"not a fit file")
    with HistoryDB(tmp_path / "h.db") as db:
        assert db.record([_check(bad), replace(five, file=str(tmp_path / "gone.fit"))]) == 0


def test_a_version_1_database_is_migrated_forward_keeping_its_sessions(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO sessions (file_hash, file, athlete, start_time, shape, status, reps_planned, "
        "reps_on_target, notes, checked_at, workoutcheck_version) VALUES "
        "('ab', 'old.fit', 'Ana', '2025-01-02T06:00:00Z', '5x1000m', 'pass', 5, 5, '[]', "
        "'2025-01-02T07:00:00Z', '0.0.1')"
    )
    conn.execute(
        "INSERT INTO segments (session_id, position, kind, rep, pace_s_per_km, splits) "
        "VALUES (1, 0, 'rep', 1, 230.0, '[]')"
    )
    conn.close()
    with HistoryDB(path) as db:
        assert db.version == 2
        assert db.conn.execute(
            "SELECT rep, pace_s_per_km, steady_heart_rate FROM segments"
        ).fetchall() == [(1, 230.0, None)]
        history = history_of(db)
    assert [(s.file, s.athlete, s.shape, s.paces) for s in history.sessions] == [
        ("old.fit", "Ana", "5x1000m", [230.0])
    ]


def test_databases_it_cannot_use_are_refused_with_a_clear_message(tmp_path):
    newer = tmp_path / "newer.db"
    with HistoryDB(newer) as db:
        db.conn.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError, match="written by a newer workoutcheck .schema version 99"):
        HistoryDB(newer)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE mine (x)")
    with pytest.raises(HistoryError, match="not a workoutcheck history"):
        HistoryDB(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00" * 100 + b"junk" * 1000)
    with pytest.raises(HistoryError, match="junk.db: not a usable history database"):
        HistoryDB(junk)
    with pytest.raises(HistoryError, match="no such history database"):
        HistoryDB(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_forgetting_an_athlete_deletes_their_sessions_segments_and_checks(tmp_path, five, eight):
    path = tmp_path / "h.db"
    with HistoryDB(path) as db:
        db.record([five, eight])
    result = runner.invoke(app, ["history", str(path), "--athlete", "Ana", "--forget"])
    assert (result.exit_code, result.stdout) == (0, f"deleted 1 sessions of Ana from {path}\n")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT DISTINCT athlete FROM sessions").fetchall() == [("Ben",)]
        kept = conn.execute("SELECT id FROM sessions").fetchone()[0]
        assert conn.execute("SELECT DISTINCT session_id FROM segments").fetchall() == [(kept,)]
        assert conn.execute("SELECT DISTINCT session_id FROM checks").fetchall() == [(kept,)]
    refused = runner.invoke(app, ["history", str(path), "--forget"])
    assert refused.exit_code == 2 and "give --athlete NAME" in refused.stderr


def test_shapes_name_the_reps_without_their_targets():
    assert shape_of(parse_plan(PLAN).text, None, 5) == "5x1000m"
    assert shape_of("wu 10min; 6x3min @ 4:00/km, 2min easy; cd 10min", None, 6) == "6x3min"
    assert (
        shape_of("2x1000m @ 3:40/km, 400m jog; 4x400m @ 3:20/km, 200m jog", None, 6)
        == "2x1000m+4x400m"
    )
    assert shape_of("wu 15min; 20min @ 4:10/km; cd 10min", None, 1) == "20min"
    assert shape_of(None, "6 x ~700 m / ~300 m", 6) == "6 x ~700 m / ~300 m"


def test_check_and_squad_store_with_history_and_the_command_filters(tmp_path):
    """check --history and squad --history write the database; history filters by athlete,
    plan and date and prints JSON, CSV and a table from it."""
    path = tmp_path / "h.db"
    done = runner.invoke(
        app, ["check", str(EIGHT), "--plan", EIGHT_PLAN, "--history", str(path), "-f", "json"]
    )
    assert done.exit_code == 1, done.output  # rep 6 is 6.5 % slow: a failed check
    folder = tmp_path / "squad"
    folder.mkdir()
    shutil.copy(FIVE, folder / "ana_0501.fit")
    shutil.copy(SAMPLES / "five_by_1000_track.gpx", folder / "cleo_0501.gpx")
    roster = tmp_path / "roster.toml"
    roster.write_text(
        '[athletes.ana]\nname = "Ana"\nfiles = "ana_*"\n\n'
        '[athletes.cleo]\nname = "Cleo"\nfiles = "cleo_*"\n',
        encoding="utf-8",
    )
    squad = runner.invoke(
        app,
        [
            "squad",
            str(folder),
            "--roster",
            str(roster),
            "--plan",
            PLAN,
            "--history",
            str(path),
            "-j",
            "1",
        ],
    )
    assert squad.exit_code == 0, squad.output
    assert _count(path) == 3

    def sessions(*args: str) -> list[tuple]:
        out = runner.invoke(app, ["history", str(path), "-f", "json", *args])
        assert out.exit_code == 0, out.output
        data = json.loads(out.stdout)
        jsonschema.validate(data, SCHEMA)
        return [(s["athlete"], s["shape"], s["date"]) for s in data["sessions"]]

    assert sessions() == [
        (None, "8x400m", "2026-03-14"),
        ("Ana", "5x1000m", "2026-05-01"),
        ("Cleo", "5x1000m", "2026-05-01"),
    ]
    assert sessions("--athlete", "Cleo") == [("Cleo", "5x1000m", "2026-05-01")]
    assert sessions("--plan-like", "400m IN") == [(None, "8x400m", "2026-03-14")]
    assert sessions("--plan-like", "5x1000") == [
        ("Ana", "5x1000m", "2026-05-01"),
        ("Cleo", "5x1000m", "2026-05-01"),
    ]
    assert sessions("--since", "2026-04-01", "--athlete", "Ana") == [
        ("Ana", "5x1000m", "2026-05-01")
    ]
    assert sessions("--plan-like", "%") == []
    table = runner.invoke(app, ["history", str(path)])
    assert "5x1000m: 2 sessions, rep paces /km" in table.stdout
    assert (
        "date        athlete  1     2     3     4     5     average" in table.stdout
    )  # two runners
    assert "2026-03-14  -        8x400m   7/8             93" in table.stdout
    csv_out = runner.invoke(
        app, ["history", str(path), "-f", "csv", "--athlete", "Ana"]
    ).stdout.splitlines()
    assert csv_out[0].startswith("date,start_time,athlete,file,shape,plan,status,reps_on_target")
    assert csv_out[1].startswith("2026-05-01,2026-05-01T06:00:00Z,Ana,")
    bad = runner.invoke(app, ["history", str(path), "--since", "May 1"])
    assert bad.exit_code == 2 and "--since: expected a date like 2026-03-01" in bad.stderr
    missing = runner.invoke(
        app, ["check", str(EIGHT), "--history", str(tmp_path / "no" / "such" / "h.db")]
    )
    assert missing.exit_code == 2 and "cannot open the history database" in missing.stderr


def test_watch_keeps_a_history_in_the_folder_and_writes_history_html(tmp_path):
    """watch --once stores each new file in FOLDER/.workoutcheck.db and writes history.html
    beside the reports; --no-history writes neither."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(FIVE, inbox / "a.fit")
    shutil.copy(EIGHT, inbox / "b.fit")
    done = runner.invoke(
        app, ["watch", str(inbox), "--once", "--plan", PLAN, "--out", str(out), "--poll", "0.05"]
    )
    assert done.exit_code == 1, done.output  # b.fit is not 5x1000m: its reps fail
    assert _count(inbox / ".workoutcheck.db") == 2
    page = (out / "history.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Sessions (2)" in page
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(FIVE, bare / "a.fit")
    done = runner.invoke(
        app, ["watch", str(bare), "--once", "--plan", PLAN, "--no-history", "--poll", "0.05"]
    )
    assert done.exit_code == 0, done.output
    assert not (bare / ".workoutcheck.db").exists() and not (bare / "history.html").exists()


def test_an_empty_or_unmatched_history_still_renders(tmp_path, five):
    with HistoryDB(tmp_path / "h.db") as db:
        db.record([five])
        empty = history_of(db, Filters(athlete="Nobody"))
    data = json.loads(render(empty, "json"))
    jsonschema.validate(data, SCHEMA)
    assert data["sessions"] == [] and data["trends"]["rep_pace"]["change"] is None
    assert "No sessions stored yet" in render(empty, "html")
    assert "not enough sessions for a trend (0)" in render(empty, "table")


def test_names_from_files_and_profiles_are_escaped_in_the_page(tmp_path, five):
    hostile = "<script>alert(1)</script>"
    with HistoryDB(tmp_path / "h.db") as db:
        db.record([replace(five, athlete=hostile, file=str(FIVE))])
        page = render(history_of(db), "html")
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()


def test_the_trend_has_one_slope_and_a_level_per_shape():
    """Two shapes run at very different paces, each getting 1% faster every 10 days: the fit
    gives exactly that, where one line through all the points would be thrown by the mix."""
    from workoutcheck.history.trends import fit, hr_line, line_at

    days = [0, 5, 10, 15, 20, 30, 40]
    shapes = ["8x400m", "4x1600m", "8x400m", "4x1600m", "4x1600m", "8x400m", "4x1600m"]
    level = {"8x400m": 200.0, "4x1600m": 240.0}
    paces = [level[s] * 0.99 ** (d / 10) for d, s in zip(days, shapes, strict=True)]
    trend = fit(days, paces, shapes, log=True)
    assert trend.change == pytest.approx(100 * (0.99**4 - 1), abs=1e-9)
    assert trend.per_week == pytest.approx(100 * (0.99**0.7 - 1), abs=1e-9)
    assert [(line.group, line.x0, line.x1) for line in trend.lines] == [
        ("8x400m", 0, 30),
        ("4x1600m", 5, 40),
    ]
    assert trend.lines[0].y0 == pytest.approx(200.0) and trend.lines[1].y1 == pytest.approx(
        240 * 0.99**4
    )
    squad = fit(
        [0, 0, 14, 14],
        [220, 240, 220 * 0.98, 240 * 0.98],
        [("Ana", "5x1000m"), ("Ben", "5x1000m")] * 2,
        log=True,
    )  # two runners of one shape: each their own level
    assert squad.change == pytest.approx(-2.0) and {line.group for line in squad.lines} == {
        ("Ana", "5x1000m"),
        ("Ben", "5x1000m"),
    }
    assert fit([3, 3], [200, 210], ["a", "a"], log=True).change is None  # one day: no trend
    assert fit([1, 8], [90, 96], ["all", "all"], log=False).change == pytest.approx(6.0)
    line = hr_line([(3.0, 140.0), (4.0, 160.0), (4.5, 170.0)])
    assert line is not None and line[1] == pytest.approx(20.0)
    assert line_at(line, 3.5) == pytest.approx(150.0) and line_at(line, 5.5) is None
    assert hr_line([(3.0, 160.0), (4.0, 150.0), (4.5, 140.0)]) is None  # falling: says nothing


def test_a_damaged_row_is_a_clear_error_not_a_traceback(tmp_path, five):
    path = tmp_path / "h.db"
    with HistoryDB(path) as db:
        db.record([five])
        db.conn.execute("UPDATE sessions SET reps = '[[1,2'")
    result = runner.invoke(app, ["history", str(path)])
    assert result.exit_code == 2 and result.stderr.startswith(
        f"workoutcheck: error: {path}: cannot read the history"
    )
