"""History benchmark: ``python benchmarks/history.py [--sessions N] [--runs N]``.

Fills a fresh database with N stored sessions (default 10,000: 20 athletes, three shapes,
two years, real segments and checks cloned from checks of the committed samples with their
paces and dates varied), then prints the median time of:

(a) reading and summarising every session (``history_of``: the two queries, grouping, trends);
(b) rendering that as JSON, table, CSV and HTML;
(c) ``workoutcheck history DB --format json`` end to end as a subprocess (Python start-up
    included), over all sessions, with ``--athlete`` (one athlete's 500), and ``--help`` for
    the start-up alone; wall time and CPU time (the machine may be shared);
(d) storing one more session (one transaction) into the full database.

A script, not a test: the numbers depend on the machine. The target is "well under a second"
for (c).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from load import median_time  # noqa: E402 - the same timing as the other benchmarks

from workoutcheck.history import HistoryDB, history_of, render  # noqa: E402
from workoutcheck.history.rows import SessionRows, session_rows  # noqa: E402
from workoutcheck.history.schema import SESSION_COLUMNS  # noqa: E402
from workoutcheck.plan import Profile, parse_plan  # noqa: E402
from workoutcheck.run.pipeline import CheckOptions, check_file  # noqa: E402

SAMPLES = ROOT / "sample_files"
TEMPLATES = ("five_by_1000_track.fit", "eight_by_400_track.fit", "six_by_3min_road.fit")
COL = {name: i for i, name in enumerate(SESSION_COLUMNS)}


def templates() -> list[SessionRows]:
    out = []
    for name in TEMPLATES:
        plan = json.loads((SAMPLES / (name.split(".")[0] + ".truth.json")).read_text())["plan"]
        result = check_file(str(SAMPLES / name), CheckOptions(plan=parse_plan(plan)), Profile("x"))
        out.append(session_rows(result, "template"))
    return out


def fill(path: Path, count: int) -> None:
    """``count`` sessions, in batches of 500 per transaction."""
    base = templates()
    start = datetime(2024, 1, 1, 6, 0, tzinfo=UTC)
    rows = []
    for i in range(count):
        t = base[i % len(base)]
        session = list(t.session)
        factor = 1.0 - 0.03 * (i / count)
        session[COL["file_hash"]] = f"{i:064x}"
        session[COL["file"]] = f"athlete{i % 20:02d}/run{i:05d}.fit"
        session[COL["athlete"]] = f"Athlete {i % 20:02d}"
        session[COL["start_time"]] = (
            (start + timedelta(hours=1.75 * i)).isoformat().replace("+00:00", "Z")
        )
        session[COL["rep_pace_s_per_km"]] = (session[COL["rep_pace_s_per_km"]] or 240.0) * factor
        rows.append(SessionRows(tuple(session), t.segments, t.checks))
    with HistoryDB(path) as db:
        for k in range(0, len(rows), 500):
            db.store(rows[k : k + 500])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python benchmarks/history.py", description=__doc__)
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.db"
        t = time.perf_counter()
        fill(path, a.sessions)
        print(
            f"filled {a.sessions} sessions in {time.perf_counter() - t:.1f} s "
            f"({path.stat().st_size / 1e6:.1f} MB)"
        )
        with HistoryDB(path) as db:
            print(
                f"(a) history_of, all sessions:        {median_time(lambda: history_of(db), a.runs) * 1000:7.0f} ms"
            )
            history = history_of(db)
            for fmt in ("json", "table", "csv", "html"):
                ms = median_time(lambda fmt=fmt: render(history, fmt), a.runs) * 1000
                print(f"(b) render {fmt:5}:                     {ms:7.0f} ms")
        exe = [sys.executable, "-m", "workoutcheck", "history", str(path), "--format", "json"]
        for label, extra in (
            ("all sessions", []),
            ("--athlete (500)", ["--athlete", "Athlete 07"]),
            ("--help (start-up)", ["--help"]),
        ):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            ms = (
                median_time(
                    lambda extra=extra: subprocess.run(
                        [*exe, *extra], check=True, capture_output=True
                    ),
                    a.runs,
                )
                * 1000
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (
                (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
                / (a.runs + 1)
                * 1000
            )
            print(
                f"(c) CLI history --format json, {label:18} {ms:5.0f} ms wall, {cpu:4.0f} ms CPU"
                "   (target: well under 1000 ms)"
            )
        one = templates()[0]
        with HistoryDB(path) as db:
            n = iter(range(10**9))
            ms = (
                median_time(
                    lambda: db.store(
                        [
                            SessionRows(
                                (f"extra{next(n)}", *one.session[1:]), one.segments, one.checks
                            )
                        ]
                    ),
                    a.runs,
                )
                * 1000
            )
            print(f"(d) store one more session:          {ms:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
