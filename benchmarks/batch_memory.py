"""Peak memory of the parent process of ``check`` over 100 vs 5,000 files (issue 19).

The files are hard links to one small generated sample (``eight_by_400_track.fit``, 20 KB),
each under its own name, so 5,000 of them cost no disk. ``check`` runs in a child process
whose own peak RSS (``ru_maxrss`` of itself, not of its workers) is written out when it ends.
Usage: ``python benchmarks/batch_memory.py [COUNTS...] [--format jsonl] [--jobs 2]``.
Prints figures only; nothing here is a pass/fail test.

Measured 2026-12-01 (2 shared cores, ``--format jsonl --jobs 2``, 20 KB FIT files):
   100 files: parent peak RSS 53.1 MiB, 17 s
  5000 files: parent peak RSS 55.7 MiB (+4.8%), 1134 s (the machine shared with other runs)
Again 2026-12-02, same settings, load average 6-10 from other runs:
   100 files: parent peak RSS 49.8 MiB, 41 s
  5000 files: parent peak RSS 52.4 MiB (+5.1%), 1194 s
(issue 19 measured the parent of the whole-list run at 242 MiB for 1,000 files.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_files" / "eight_by_400_track.fit"

CHILD = """
import os, resource, sys
from workoutcheck.cli import main
sys.argv = ["workoutcheck", *sys.argv[1:]]
try:
    main()
finally:
    with open(os.environ["PEAK_OUT"], "w") as fh:
        fh.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def peak_kib(count: int, fmt: str, jobs: int) -> tuple[int, float, int]:
    """(the parent's peak RSS in KiB, seconds, lines or bytes written) for ``count`` files."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(count):
            os.link(SAMPLE, folder / f"run{i:05d}.fit")
        out, peak = Path(tmp) / f"out.{fmt}", Path(tmp) / "peak"
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                "check",
                str(folder),
                "--format",
                fmt,
                "--jobs",
                str(jobs),
                "--output",
                str(out),
                "--plan",
                "8x400m @ 80s, 200m jog",
            ],
            env={**os.environ, "PEAK_OUT": str(peak)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        size = out.read_bytes().count(b"\n") if fmt == "jsonl" else out.stat().st_size
        return int(peak.read_text()), seconds, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("counts", nargs="*", type=int, default=[100, 5000])
    parser.add_argument("--format", default="jsonl")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    first = None
    for count in args.counts:
        kib, seconds, size = peak_kib(count, args.format, args.jobs)
        first = first or kib
        print(
            f"{count:>6} files --format {args.format} -j {args.jobs}: parent peak RSS {kib / 1024:7.1f} MiB "
            f"({kib / first - 1:+.1%} vs {args.counts[0]} files), {seconds:6.1f} s, output {size:,}",
            flush=True,
        )


if __name__ == "__main__":
    main()
