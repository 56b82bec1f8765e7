"""A sync tool at its worst, scaled to a test: files written in chunks with pauses longer than
the watcher's "complete" wait, files renamed into place, contents replaced, and the watcher
killed with SIGKILL at random moments and restarted. Every distinct final content gets exactly
one report, no error report is ever written for a file that later reads, the state file is
valid after every kill. (The issue's full run is 200 files with 2-10 s pauses; this one keeps
the same shape with 12 files and 1-2.5 s pauses under a 4 s settle time.)"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SAMPLES
from workoutcheck.watch.state import STATE_NAME, WatchState

FITS = [SAMPLES / n for n in ("five_by_1000_track.fit", "eight_by_400_track.fit", "race_400m_track.fit",
                              "ten_by_200_autopause.fit", "six_by_800_missed.fit", "progressive_1000s.fit")]
XML = SAMPLES / "tempo_20min_road.tcx"
SETTLE = 4.0


def _content(i: int) -> tuple[bytes, str]:
    """A distinct content for each file: the FIT samples, then the TCX sample with a comment
    after its root element (still a valid file, a different hash)."""
    if i < len(FITS):
        return FITS[i].read_bytes(), ".fit"
    return XML.read_bytes() + f"<!-- copy {i} -->\n".encode(), ".tcx"


def _start(folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "workoutcheck", "watch", str(folder), "--poll", "0.05",
                             "--settle", str(SETTLE), "--no-history"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill(proc: subprocess.Popen, folder: Path) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    WatchState.load(folder)  # valid after every kill: loading it never raises


def _write_in_chunks(path: Path, data: bytes, rng: random.Random, between) -> None:  # type: ignore[no-untyped-def]
    cuts = sorted(rng.sample(range(1, len(data)), 2))
    for part in (data[:cuts[0]], data[cuts[0]:cuts[1]], data[cuts[1]:]):
        with open(path, "ab") as fh:
            fh.write(part)
        between(rng.uniform(1.0, 2.5))


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
                name = sorted(final)[0] if final else name
                if not name.endswith(suffix):
                    name = f"run{i:02d}{suffix}"
                (folder / f".{name}.new").write_bytes(data)
                os.replace(folder / f".{name}.new", folder / name)
            final[name] = data
        for _ in range(int((60 + SETTLE) / 0.1)):  # a bounded number of polls, not a time limit
            reports = {n: folder / f"{n}.report.json" for n in final}
            if all(p.exists() and json.loads(p.read_text())["results"][0]["status"] != "error"
                   and _checked_digest(folder, n) == hashlib.sha256(final[n]).hexdigest()
                   for n, p in reports.items()):
                break
            time.sleep(0.1)
    finally:
        _kill(proc, folder)
    assert kills >= 2
    records = [json.loads(line) for line in (folder / STATE_NAME).read_text().splitlines()[1:]]
    statuses = [r["done"]["status"] for r in records if "intent" in r] + \
        [r["status"] for r in records if "done" in r and "intent" not in r]
    assert "error" not in statuses  # no error report was ever written
    assert any("unsettled" in r for r in records)  # half files were read, and not reported
    committed = [r["commit"] for r in records if "commit" in r]
    for name, data in final.items():
        digest = hashlib.sha256(data).hexdigest()
        assert _checked_digest(folder, name) == digest, name
        assert committed.count(digest) == 1, name
        assert json.loads((folder / f"{name}.report.json").read_text())["results"][0]["status"] != "error"


def _checked_digest(folder: Path, name: str) -> str | None:
    try:
        return WatchState.load(folder).current(name)
    except Exception:  # noqa: BLE001 - a log being appended to as it is read: look again
        return None

