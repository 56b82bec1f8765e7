"""A sync tool at its worst, scaled to a test: files written in chunks with pauses longer than
the watcher's "complete" wait, files renamed into place, contents replaced, and the watcher
killed with SIGKILL at random moments and restarted. Every distinct final content gets exactly
one report, no error report is ever written for a file that later reads, the state file is
valid after every kill. This one keeps the shape with 12 files and 1-2.5 s pauses under a 4 s
settle time; the full run (200 files, 2-10 s pauses, many written at once) is marked ``long``
and runs under CI (``pytest -m long``)."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from workoutcheck.watch.state import STATE_NAME, WatchState

FITS = [
    SAMPLES / n
    for n in (
        "five_by_1000_track.fit",
        "eight_by_400_track.fit",
        "race_400m_track.fit",
        "ten_by_200_autopause.fit",
        "six_by_800_missed.fit",
        "progressive_1000s.fit",
    )
]
XML = SAMPLES / "tempo_20min_road.tcx"
GPX = SAMPLES / "five_by_1000_track.gpx"
SETTLE = 10.0  # 4x the longest pause: a pause stretched by a busy machine is still no stall
TAIL = 200  # a copy is never cut in its last bytes: any part of a file is then unreadable


def _content(i: int) -> tuple[bytes, str]:
    """A distinct content for each file: the FIT samples, then the TCX (every fifth the GPX)
    sample with a comment after its XML declaration (still a valid file, a different hash)."""
    if i < len(FITS):
        return FITS[i].read_bytes(), ".fit"
    src, suffix = (GPX, ".gpx") if i % 5 == 0 else (XML, ".tcx")
    head, rest = src.read_bytes().split(b"\n", 1)
    return head + f"\n<!-- copy {i} -->\n".encode() + rest, suffix


def _start(folder: Path, poll: float = 0.05, settle: float = SETTLE) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workoutcheck",
            "watch",
            str(folder),
            "--poll",
            str(poll),
            "--settle",
            str(settle),
            "--no-history",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill(proc: subprocess.Popen, folder: Path) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    WatchState.load(folder)  # valid after every kill: loading it never raises


def _write_in_chunks(
    path: Path,
    data: bytes,
    rng: random.Random,
    between,
    *,  # type: ignore[no-untyped-def]
    chunks: int = 3,
    pause: tuple[float, float] = (1.0, 2.5),
) -> None:
    """``data`` appended to ``path`` in ``chunks`` pieces with a pause after each."""
    cuts = [0, *sorted(rng.sample(range(1, len(data) - TAIL), chunks - 1)), len(data)]
    for start, end in itertools.pairwise(cuts):
        with open(path, "ab") as fh:
            fh.write(data[start:end])
        between(rng.uniform(*pause))


@pytest.mark.long  # a minute of copies, renames and kills; tests/test_watch*.py cover each case once
def test_chunked_copies_renames_replacements_and_kills_give_one_report_per_content(tmp_path):
    rng = random.Random(19)
    folder = tmp_path / "inbox"
    folder.mkdir()
    final: dict[str, bytes] = {}
    proc = _start(folder)
    kills = 0

    def between(seconds: float) -> None:
        nonlocal proc, kills
        time.sleep(seconds)
        if rng.random() < 0.3:
            _kill(proc, folder)
            kills += 1
            proc = _start(folder)

    try:
        for i in range(12):
            data, suffix = _content(i)
            name = f"run{i:02d}{suffix}"
            how = i % 3
            if how == 0:  # copied in pieces straight under its name
                _write_in_chunks(folder / name, data, rng, between)
            elif how == 1:  # copied under a hidden name, renamed into place
                _write_in_chunks(folder / f".{name}.part", data, rng, between)
                os.replace(folder / f".{name}.part", folder / name)
            else:  # an earlier file's content replaced by this one (atomically)
                name = min(final) if final else name
                if not name.endswith(suffix):
                    name = f"run{i:02d}{suffix}"
                (folder / f".{name}.new").write_bytes(data)
                os.replace(folder / f".{name}.new", folder / name)
            final[name] = data
        for _ in range(int((60 + SETTLE) / 0.1)):  # a bounded number of polls, not a time limit
            reports = {n: folder / f"{n}.report.json" for n in final}
            if all(
                p.exists()
                and json.loads(p.read_text())["results"][0]["status"] != "error"
                and _checked_digest(folder, n) == hashlib.sha256(final[n]).hexdigest()
                for n, p in reports.items()
            ):
                break
            time.sleep(0.1)
    finally:
        _kill(proc, folder)
    assert kills >= 2
    records = [json.loads(line) for line in (folder / STATE_NAME).read_text().splitlines()[1:]]
    statuses = [r["done"]["status"] for r in records if "intent" in r] + [
        r["status"] for r in records if "done" in r and "intent" not in r
    ]
    assert "error" not in statuses  # no error report was ever written
    assert any("unsettled" in r for r in records)  # half files were read, and not reported
    committed = [r["commit"] for r in records if "commit" in r]
    for name, data in final.items():
        digest = hashlib.sha256(data).hexdigest()
        assert _checked_digest(folder, name) == digest, name
        assert committed.count(digest) == 1, name
        assert (
            json.loads((folder / f"{name}.report.json").read_text())["results"][0]["status"]
            != "error"
        )


def _checked_digest(folder: Path, name: str) -> str | None:
    try:
        return WatchState.load(folder).current(name)
    except Exception:  # noqa: BLE001 - a log being appended to as it is read: look again
        return None


NEW_FILES, WRITERS, LONG_SETTLE = 200, 40, 60.0  # settle 6x the longest pause (see SETTLE)


def _log(folder: Path) -> list[dict]:
    """The state's records as they stand, read without loading (loading may compact the log,
    which only the watcher may do while it runs); a torn last line is left out."""
    try:
        lines = (folder / STATE_NAME).read_bytes().splitlines(keepends=True)[1:]
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.endswith(b"\n")]


def _commits(records: list[dict]) -> tuple[list[str], dict[str, dict]]:
    """Every commit in order, and each committed digest's record (name, status)."""
    intents = {r["intent"]: r["done"] for r in records if "intent" in r}
    commits = [r["commit"] for r in records if "commit" in r]
    return commits, {d: intents[d] for d in commits}


@pytest.mark.long
def test_two_hundred_files_copied_at_once_with_long_stalls_and_kills_give_one_report_per_content(
    tmp_path,
):
    """The issue's full run: 200 files written by 40 copiers at once, each in 2-3 chunks with
    pauses of 2-10 s (in place, or under a hidden name and renamed), then 40 of them replaced
    (atomically, or rewritten in place in chunks) once their first content was reported;
    meanwhile the watcher is killed with SIGKILL every 1-10 s and restarted. Every one of the
    240 contents is committed exactly once, no error is ever recorded, the last report under
    each name is its last content's, and the state loads after every kill. Waits are bounded
    by poll counts."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    contents = [(*_content(k), f"run{k:03d}") for k in range(NEW_FILES)]
    final: dict[str, bytes] = {}
    expected: set[str] = set()
    lock = threading.Lock()
    done_writing = threading.Event()
    kills = 0
    proc = _start(folder, poll=0.2, settle=LONG_SETTLE)

    def killer() -> None:
        nonlocal proc, kills
        rng = random.Random(1919)
        while not done_writing.wait(rng.uniform(1.0, 10.0)):
            _kill(proc, folder)
            kills += 1
            proc = _start(folder, poll=0.2, settle=LONG_SETTLE)

    def reported(data: bytes) -> bool:
        _, committed = _commits(_log(folder))
        return hashlib.sha256(data).hexdigest() in committed

    def copier(w: int) -> None:
        rng = random.Random(w)
        mine = contents[w::WRITERS]
        for k, (data, suffix, stem) in enumerate(mine):
            name = stem + suffix
            if (w + k) % 2:  # copied in pieces straight under its name
                _write_in_chunks(
                    folder / name, data, rng, time.sleep, chunks=rng.choice((2, 3)), pause=(2, 10)
                )
            else:  # copied under a hidden name, renamed into place
                _write_in_chunks(
                    folder / f".{name}.part",
                    data,
                    rng,
                    time.sleep,
                    chunks=rng.choice((2, 3)),
                    pause=(2, 10),
                )
                os.replace(folder / f".{name}.part", folder / name)
            with lock:
                final[name] = data
                expected.add(hashlib.sha256(data).hexdigest())
        data, suffix, stem = next(c for c in mine if c[1] != ".fit")  # a copy of an XML sample
        for _ in range(3000):  # its first content reported before it is replaced (bounded polls)
            if reported(data):
                break
            time.sleep(0.2)
        new = data.replace(b"<!-- copy", b"<!-- replaced copy", 1)
        name = stem + suffix
        if w % 2:
            (folder / f".{name}.new").write_bytes(new)
            os.replace(folder / f".{name}.new", folder / name)
        else:  # rewritten in place, in pieces
            (folder / name).write_bytes(b"")
            _write_in_chunks(folder / name, new, rng, time.sleep, chunks=2, pause=(2, 10))
        with lock:
            final[name] = new
            expected.add(hashlib.sha256(new).hexdigest())

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        with ThreadPoolExecutor(WRITERS) as pool:
            list(pool.map(copier, range(WRITERS)))
        done_writing.set()
        thread.join()
        for _ in range(6000):  # a bounded number of polls, not a time limit
            _, committed = _commits(_log(folder))
            if expected <= committed.keys():
                break
            time.sleep(0.2)
    finally:
        done_writing.set()
        thread.join()
        _kill(proc, folder)
    assert kills >= 5
    records = _log(folder)
    commits, committed = _commits(records)
    assert len(final) == NEW_FILES and len(expected) == NEW_FILES + WRITERS
    assert sorted(set(commits) - expected) == []  # no part of a copy was ever reported
    assert (
        sorted(d for d in expected if commits.count(d) != 1) == []
    )  # each content once, none missed
    assert [r for r in records if "done" in r and "intent" not in r] == []  # no one-step records
    assert [d["file"] for d in committed.values() if d["status"] == "error"] == []
    assert any("unsettled" in r for r in records)  # half files were read, and not reported
    state = WatchState.load(folder)
    for name, data in final.items():
        digest = hashlib.sha256(data).hexdigest()
        assert state.current(name) == digest, name
        assert committed[digest]["file"] == name
        report = json.loads((folder / f"{name}.report.json").read_text())
        assert report["results"][0]["status"] != "error", name
