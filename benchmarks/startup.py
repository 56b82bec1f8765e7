"""Start-up benchmark: ``python benchmarks/startup.py [--rounds N] [--imports]``.

The whole-process CPU time (user + system, the process and every worker it forks) of a one-file
``workoutcheck check`` against that of ``python -c "import numpy"``, as the ratio of the medians
of interleaved rounds (a round runs each command once, in turn, so a busy machine slows both
alike): FIT and GPX, table and json output. Issue 18's target is a ratio of at most 2.5.
workoutcheck asks OpenBLAS for one thread (``OPENBLAS_NUM_THREADS=1``, unless set), which
``python -c "import numpy"`` does not: each check's ratio is also given against
``OPENBLAS_NUM_THREADS=1 python -c "import numpy"`` (``vs 1-thread``), measured in the same
rounds, so the saving that is OpenBLAS's alone shows apart.

Two set-ups, each measured as above: ``installed``, with the bytecode cache an installed
package has (pip byte-compiles what it installs; here the caches go to a temporary
``PYTHONPYCACHEPREFIX``, so the work tree is left alone), and, where this environment sets
``PYTHONDONTWRITEBYTECODE`` (an editable install then compiles workoutcheck's source at every
start, numpy's site-packages bytecode is still used), ``as run here``.

``--against OTHER/src`` measures another checkout's package in the same rounds (before and
after a change, under the same load). ``--imports`` also prints, for the json check of each file,
how many modules the CLI process (and a worker, were one started: one file is checked in the
CLI process) import and which of the heavy ones (numpy.ma, fitparse, rich, sqlite3, ...) are
there.

A script, not a test: the numbers depend on the machine (tests/test_startup.py pins the import
set instead, by name).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_files"
PLAN = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
TARGET = 2.5
BASELINE = [sys.executable, "-c", "import numpy"]
WATCHED = (
    "numpy",
    "numpy.ma",
    "fitparse",
    "gpxpy",
    "pydantic",
    "typer",
    "click",
    "rich",
    "rich.table",
    "watchdog",
    "sqlite3",
    "xml.etree.ElementTree",
    "pyexpat",
    "garmin_fit_sdk",
    "multiprocessing",
    "workoutcheck.history",
    "workoutcheck.watch",
)


def check_args(sample: str, fmt: str) -> list[str]:
    return ["check", str(SAMPLES / sample), "--plan", PLAN, "--format", fmt]


def check_command(sample: str, fmt: str) -> list[str]:
    """``workoutcheck check ...`` through the installed console script (as a user runs it),
    or ``python -m workoutcheck`` where there is none."""
    script = Path(sys.executable).with_name("workoutcheck")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "workoutcheck"]
    return [*launcher, *check_args(sample, fmt)]


def cpu_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """User + system CPU of the command's process and its waited-for children (the workers)."""
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=sink, cwd=ROOT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: a rep failed, still a full check
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def imports(sample: str) -> list[str]:
    """The modules imported by a json check of ``sample``: the CLI process's at exit and its
    worker's, together."""
    probe = (
        "import atexit, os, sys\n"
        "out = sys.argv.pop(1)\n"
        "def dump():\n"
        "    with open(os.path.join(out, str(os.getpid())), 'w') as fh:\n"
        "        fh.write(' '.join(sys.modules))\n"
        "atexit.register(dump)\n"
        "import workoutcheck.run.batch as batch\n"
        "real = batch._worker_main\n"
        "def worker(*args):\n"
        "    try:\n"
        "        real(*args)\n"
        "    finally:\n"
        "        dump()\n"
        "batch._worker_main = worker\n"
        "from workoutcheck.cli import main\n"
        "sys.argv = ['workoutcheck'] + sys.argv[1:]\n"
        "main()\n"
    )
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-c", probe, out, *check_args(sample, "json")]
        subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
        return sorted({m for dump in Path(out).iterdir() for m in dump.read_text().split()})


def measure(label: str, env: dict[str, str], rounds: int, against: Path | None) -> None:
    """Interleaved rounds of ``import numpy`` (as is and with one OpenBLAS thread) and each
    check (and each check of the package in ``against``, a ``src`` folder of another
    checkout); the medians and their ratios."""
    env = {k: v for k, v in env.items() if k != "OPENBLAS_NUM_THREADS"}
    one_thread = {**env, "OPENBLAS_NUM_THREADS": "1"}
    envs = {"": env}
    if against is not None:
        envs[" (against)"] = {**env, "PYTHONPATH": str(against)}
    cases = {
        (f"{sample} {fmt}{tag}", tag): check_command(sample, fmt)
        for sample in ("five_by_1000_track.fit", "five_by_1000_track.gpx")
        for fmt in ("table", "json")
        for tag in envs
    }
    for (_, tag), command in [(("", ""), BASELINE), *cases.items()]:  # warm-up: page and
        cpu_seconds(command, envs[tag])  # bytecode caches
    base: list[float] = []
    base_one: list[float] = []
    times: dict[str, list[float]] = {name: [] for name, _ in cases}
    for _ in range(rounds):
        base.append(cpu_seconds(BASELINE, env))
        base_one.append(cpu_seconds(BASELINE, one_thread))
        for (name, tag), command in cases.items():
            times[name].append(cpu_seconds(command, envs[tag]))
    numpy_s, numpy_one_s = statistics.median(base), statistics.median(base_one)
    print(
        f"{label}: python -c 'import numpy' {numpy_s * 1000:.0f} ms CPU, with one OpenBLAS "
        f"thread {numpy_one_s * 1000:.0f} ms (medians of {rounds})"
    )
    for name, series in times.items():
        median = statistics.median(series)
        print(
            f"  check {name:38s} {median * 1000:5.0f} ms CPU  ratio {median / numpy_s:4.2f}"
            f"  (target <= {TARGET})  vs 1-thread {median / numpy_one_s:4.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (15)")
    parser.add_argument("--imports", action="store_true", help="also list the heavy imports")
    parser.add_argument(
        "--against", type=Path, help="also measure the package in this src folder (before/after)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="workoutcheck-pyc-") as cache:
        installed = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        installed["PYTHONPYCACHEPREFIX"] = cache
        measure("installed (bytecode cached)", installed, args.rounds, args.against)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        here = dict(os.environ)
        measure("as run here (PYTHONDONTWRITEBYTECODE set)", here, args.rounds, args.against)
    if args.imports:
        for sample in ("five_by_1000_track.fit", "five_by_1000_track.gpx"):
            modules = imports(sample)
            present = [m for m in WATCHED if m in modules]
            print(f"{sample}: {len(modules)} modules; of the heavy ones: {', '.join(present)}")


if __name__ == "__main__":
    main()
