"""Load-speed and memory benchmark: ``python benchmarks/load.py [--runs N]``.

Prints, side by side, the median of several runs:

(a) fitparse iterating the records of a FIT file vs ``workoutcheck.ingest.load`` of it (the
    whole load: records, laps, events, sessions, timeline repairs), on the largest running FIT
    files of the shared corpus and a generated 2-hour 1 Hz session; and whether the fast
    reader's RawRecording equals the fitparse-only reader's;
(b) ``gpxpy.parse`` alone vs ``load`` on the largest GPX files of the corpus;
(c) end-to-end ``check --format json`` of the generated session, in-process through the
    library and as a subprocess; (d) a 40-file batch (the committed samples, round-robin) through
    ``run_checks`` with --jobs 1 vs 2;
(e) peak memory of loading a 100,000-record FIT file (written with Garmin's encoder), in a
    fresh subprocess: the maximum resident set size, and (in another) the tracemalloc peak;
(f) (alone with ``--fit-readers``) CPU time of the FIT readers in interleaved rounds: the
    records alone, the other messages through fitparse (the path before ``fitdirect``), now;
(g) (alone with ``--every-reader``) every reader side by side, CPU time as ratios per
    interleaved round: fitparse, fitdecode, garmin-fit-sdk, the Rust ``fitfast``, gpxpy,
    ElementTree/lxml iterparse and tcxreader, on the corpus's largest FIT, GPX and TCX and on
    the lap-heavy FIT (``pip install -e '.[bench]'`` for the readers workoutcheck does not use);
(h) (alone with ``--every-fit``) every running FIT of the corpus (fit/ and intervals/) and the
    lap-heavy file: CPU time of ``load`` over the Rust ``fitfast`` records alone, the ratio per
    interleaved round, median per file (target <= 1.0x on every file), and whether the arrays
    equal the fitparse-only reader's; then the CPU time of refusing each file that is refused
    (corpus/bad/ and the non-running FITs; target well under a second).

A script, not a test: the numbers depend on the machine; the targets (20x, 1.3x, 1.7x, 200 MB) are
printed next to them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # samplegen lives next to the package
CORPUS = Path(os.environ.get("WORKOUTCHECK_CORPUS", ROOT.parent / "shared" / "corpus"))
FIT_FILES = [
    "sportslib__6914448270.fit",
    "sportslib__garmin-fr910xt-5h39.fit",
    "runalyze__garmin-runPower.fit",
]
GPX_COUNT = 3


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: imports, caches
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fitparse_records(path: Path) -> int:
    import fitparse

    n = 0
    for msg in fitparse.FitFile(str(path)).get_messages("record"):
        msg.get_values()
        n += 1
    return n


def same_recording(path: Path) -> bool:
    """The fast reader's RawRecording equals the fitparse-only reader's (arrays exactly)."""
    import numpy as np

    from workoutcheck.ingest.fit.read import read_fit

    data = path.read_bytes()
    a, b = read_fit(data, str(path)), read_fit(data, str(path), fast=False)
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if x is None or y is None or not np.array_equal(x, y, equal_nan=True):
                return False
        elif x != y:
            return False
    return True


def generated_fit(tmp: Path) -> Path:
    """A 2-hour 1 Hz interval session (about 7,000 records) from the project's sample generator."""
    from samplegen import Block, SampleSpec, build_sample, interval_session
    from samplegen.routes import TrackRoute
    from samplegen.runner import Runner
    from samplegen.watch import LapSettings, WatchSettings

    session = interval_session(
        "30min @ 6:00/km; 10x(1000m @ 4:00/km, 400m jog); 20min @ 6:00/km",
        [Block(distance_m=1000, pace_s_per_km=240)] * 10,
        Block(distance_m=400, pace_s_per_km=400, style="jog"),
        warmup=Block(duration_s=1800, pace_s_per_km=360),
        cooldown=Block(duration_s=1200, pace_s_per_km=360),
    )
    spec = SampleSpec(
        "two_hours_1hz",
        session,
        Runner("Bench", vo2_speed_mps=4.9, fatigue=0.004),
        TrackRoute("Bench track", 51.47521, -2.58843, base_altitude_m=38.0, heading_deg=17.0),
        WatchSettings(recording="1s", laps=LapSettings("manual"), utc_offset_s=0),
        datetime(2026, 5, 1, 6, 0, 0, tzinfo=UTC),
        ("fit",),
        seed=7,
    )
    return build_sample(spec, tmp).paths[0]


def big_fit(path: Path, n: int = 100_000) -> Path:
    """n records at 1 Hz (about 28 h) written with Garmin's encoder, plus a lap and a session."""
    from garmin_fit_sdk import Encoder, Profile

    mn = Profile["mesg_num"]
    t0 = 1_100_000_000
    enc = Encoder()
    enc.write_mesg(
        {
            "mesg_num": mn["FILE_ID"],
            "type": "activity",
            "manufacturer": "development",
            "product": 0,
            "serial_number": 1,
            "time_created": t0,
        }
    )
    for i in range(n):
        enc.write_mesg(
            {
                "mesg_num": mn["RECORD"],
                "timestamp": t0 + i,
                "position_lat": 613_000_000 + 40 * i,
                "position_long": -30_000_000 + 25 * i,
                "distance": 3.0 * i,
                "enhanced_speed": 3.0 + (i % 7) * 0.1,
                "enhanced_altitude": 40.0 + (i % 50) * 0.2,
                "heart_rate": 120 + i % 40,
                "cadence": 85 + i % 5,
            }
        )
    enc.write_mesg(
        {
            "mesg_num": mn["LAP"],
            "message_index": 0,
            "timestamp": t0 + n - 1,
            "start_time": t0,
            "total_elapsed_time": float(n - 1),
            "total_timer_time": float(n - 1),
            "total_distance": 3.0 * (n - 1),
            "event": "lap",
            "event_type": "stop",
        }
    )
    enc.write_mesg(
        {
            "mesg_num": mn["SESSION"],
            "message_index": 0,
            "timestamp": t0 + n - 1,
            "start_time": t0,
            "sport": "running",
            "total_elapsed_time": float(n - 1),
            "total_timer_time": float(n - 1),
            "total_distance": 3.0 * (n - 1),
            "event": "session",
            "event_type": "stop",
        }
    )
    path.write_bytes(enc.close())
    return path


MEMORY_PROBE = """
import json, resource, sys, tracemalloc
import numpy, fitparse, gpxpy
from workoutcheck.ingest import load
from workoutcheck.ingest import timeline
from workoutcheck.ingest.fit import combined as fitcombined
from workoutcheck.ingest.fit import fast as fitfast
from workoutcheck.ingest.fit import read as fit
from workoutcheck.ingest.fit import splice as fitsplice
def rss():
    # peak resident set (KB): VmHWM belongs to this process image; ru_maxrss also counts the
    # parent's pages before exec on Linux, so it is only the fallback
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
base = rss()
if sys.argv[2] == "tracemalloc":
    tracemalloc.start()
activity = load(sys.argv[1])
peak = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else None
print(json.dumps({"records": activity.n_records, "tracemalloc_peak": peak, "rss_before_kb": base,
                  "rss_peak_kb": rss()}))
"""


def bench_memory(path: Path) -> tuple[dict, dict]:
    """(max RSS run, tracemalloc run): separate fresh processes, since tracing inflates RSS."""
    runs = []
    for mode in ("rss", "tracemalloc"):
        out = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, str(path), mode],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        runs.append(json.loads(out.stdout))
    return runs[0], runs[1]


GENERATED_PLAN = (
    "30min @ 6:00/km; 10x(1000m @ 4:00/km, 400m jog); 20min @ 6:00/km"  # generated_fit's
)
SAMPLES = ROOT / "sample_files"


def bench_check(path: Path, runs: int, plan: str = GENERATED_PLAN) -> tuple[float, float]:
    """(c) Seconds for ``workoutcheck check PATH --plan PLAN --format json``: in this process
    through the library (check_file + the JSON renderer), and as a fresh ``python -m
    workoutcheck`` subprocess (interpreter start, imports and the worker included)."""
    from workoutcheck.plan import parse_plan
    from workoutcheck.report.formats import render
    from workoutcheck.run.pipeline import CheckOptions, check_file

    options = CheckOptions(plan=parse_plan(plan))
    library = median_time(
        lambda: render([check_file(str(path), options)], "json", color=False), runs
    )
    command = [
        sys.executable,
        "-m",
        "workoutcheck",
        "check",
        str(path),
        "--plan",
        plan,
        "--format",
        "json",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = median_time(
        lambda: subprocess.run(command, capture_output=True, env=env, check=False), runs
    )
    return library, process


def batch_files(tmp: Path, count: int = 40) -> list[Path]:
    """``count`` files for the batch: the committed samples copied round-robin under new names."""
    samples = sorted(
        p for p in SAMPLES.iterdir() if p.is_file() and not p.name.endswith(".truth.json")
    )
    folder = tmp / "batch"
    folder.mkdir()
    paths = []
    for i in range(count):
        source = samples[i % len(samples)]
        paths.append(folder / f"{i:02d}_{source.name}")
        paths[-1].write_bytes(source.read_bytes())
    return paths


def _sample_plans() -> dict[str, str]:
    """Each sample file's name -> the plan of its truth file."""
    plans = {}
    for truth in SAMPLES.glob("*.truth.json"):
        data = json.loads(truth.read_text(encoding="utf-8"))
        plans.update((name, data["plan"]) for name in data["files"])
    return plans


def _cpu_s() -> float:
    """CPU seconds used so far by this process and its finished children (the workers)."""
    import resource

    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_batch(paths: list[Path], jobs: int, runs: int) -> tuple[float, float]:
    """(d) (wall, CPU) seconds, medians, for ``run_checks`` over ``paths`` (copies from
    ``batch_files``, each with its sample's plan) with ``jobs`` workers, the pool's start-up
    included. CPU counts the workers too: it shows what parallelism costs, which the wall time
    hides when other processes compete for the cores."""
    from workoutcheck.plan import parse_plan
    from workoutcheck.run.batch import run_checks
    from workoutcheck.run.pipeline import CheckOptions
    from workoutcheck.score import Status

    plans = {name: CheckOptions(plan=parse_plan(text)) for name, text in _sample_plans().items()}
    tasks = [(str(p), plans[p.name.split("_", 1)[1]], None) for p in paths]
    results = run_checks(tasks, jobs)  # warm-up, and every file must check cleanly
    assert not any(r.status is Status.ERROR for r in results), [r.error for r in results if r.error]
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), _cpu_s()
        run_checks(tasks, jobs)
        walls.append(time.perf_counter() - t)
        cpus.append(_cpu_s() - c)
    return statistics.median(walls), statistics.median(cpus)


def _row(*cells: object, widths=(44, 10, 12, 12, 10, 10)) -> str:
    return "".join(
        str(c).ljust(w) if i == 0 else str(c).rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=False))
    )


FIT_READER_FILES = [
    "runalyze__garmin-runPower.fit",
    "muktihari__big_activity.fit",
    "runalyze__Suunto-Ambit-3-Peak-without-final-lap.fit",
    "sportslib__6914448270.fit",
    "sportslib__garmin-fr910xt-5h39.fit",
    "gc__Fr955v19.28andStryd.fit",
]


def bench_fit_readers(rounds: int) -> None:
    """(f) CPU time (process_time), interleaved rounds, medians: the records alone (``fitfast``),
    read_fit with the other messages by fitparse from a cut-down copy (the path before
    ``fitdirect``), read_fit now, and the whole load (reading and the timeline repairs)."""
    from workoutcheck.errors import WorkoutcheckError
    from workoutcheck.ingest import load
    from workoutcheck.ingest.fit import combined as fitcombined
    from workoutcheck.ingest.fit.fast import read_records
    from workoutcheck.ingest.fit.read import read_fit

    real_direct = fitcombined.take_direct

    def cut_down_copy(data: bytes, name: str) -> object:
        fitcombined.take_direct = lambda *a, **k: False
        try:
            return read_fit(data, name)
        finally:
            fitcombined.take_direct = real_direct

    print(f"(f) FIT readers, CPU ms (median of {rounds} interleaved rounds)")
    widths = (44, 9, 10, 9, 9, 9, 13)
    print(
        _row(
            "file",
            "records",
            "copy path",
            "read_fit",
            "load",
            "copy/now",
            "load/records",
            widths=widths,
        )
    )
    for name in FIT_READER_FILES:
        path = CORPUS / "fit" / name
        if not path.exists():
            continue
        data = path.read_bytes()
        try:
            read_fit(data, name)
        except WorkoutcheckError as exc:
            print(f"    {name}: skipped ({str(exc).split(': ', 1)[-1][:60]})")
            continue
        cases = {
            "records": lambda data=data: read_records(data),
            "copy": lambda data=data, name=name: cut_down_copy(data, name),
            "now": lambda data=data, name=name: read_fit(data, name),
            "load": lambda path=path: load(path),
        }
        times: dict[str, list[float]] = {k: [] for k in cases}
        for fn in cases.values():
            fn()
        for _ in range(rounds):
            for key, fn in cases.items():
                t = time.process_time()
                fn()
                times[key].append(time.process_time() - t)
        m = {k: statistics.median(v) * 1e3 for k, v in times.items()}
        print(
            _row(
                name[:43],
                f"{m['records']:.1f}",
                f"{m['copy']:.1f}",
                f"{m['now']:.1f}",
                f"{m['load']:.1f}",
                f"{m['copy'] / m['now']:.2f}x",
                f"{m['load'] / m['records']:.2f}x",
                widths=widths,
            )
        )
    print()


LAP_HEAVY_FIT = "runalyze__garmin-runPower.fit"


def _largest(folder: str, suffix: str, readable: Callable[[Path], bool]) -> Path | None:
    """The corpus's largest file of a kind that workoutcheck reads (a ride is refused)."""
    for path in sorted((CORPUS / folder).glob(f"*{suffix}"), key=lambda p: -p.stat().st_size):
        if readable(path):
            return path
    return None


def _iterparse_columns(data: bytes, kind: str, etree) -> object:
    """ElementTree/lxml iterparse building just time/lat/lon/ele columns: the bare parser's
    speed, the yardstick of the XML readers."""
    import io

    import numpy as np

    point = "trkpt" if kind == "gpx" else "Trackpoint"
    options = (
        {}
        if etree.__name__.startswith("xml.")
        else {"resolve_entities": False, "no_network": True, "huge_tree": False}
    )
    t, la, lo, el = [], [], [], []
    for _, e in etree.iterparse(io.BytesIO(data), events=("end",), **options):
        if e.tag.rpartition("}")[2] != point:
            continue
        tt = a = o = ee = None
        if kind == "gpx":
            a, o = float(e.get("lat")), float(e.get("lon"))
        for c in e:
            n = c.tag.rpartition("}")[2]
            if n in ("time", "Time"):
                tt = datetime.fromisoformat(c.text.strip()).timestamp()
            elif n in ("ele", "AltitudeMeters"):
                ee = float(c.text)
            elif n == "Position":
                for q in c:
                    qn = q.tag.rpartition("}")[2]
                    if qn == "LatitudeDegrees":
                        a = float(q.text)
                    elif qn == "LongitudeDegrees":
                        o = float(q.text)
        t.append(tt)
        la.append(a)
        lo.append(o)
        el.append(ee)
        e.clear()
    return [np.asarray(x, dtype=float) for x in (t, la, lo, el)]


def _fit_readers(path: Path) -> dict[str, Callable[[], object]]:
    """Every FIT reader there is here, each reading the whole file as its users would."""
    from workoutcheck.ingest import load

    data = path.read_bytes()
    readers: dict[str, Callable[[], object]] = {"workoutcheck load": lambda: load(path)}
    try:
        import fitfast as rust

        readers["fitfast (Rust) records"] = lambda: rust.records(data)
        readers["fitfast (Rust) all"] = lambda: rust.parse(data)
    except ImportError:
        pass
    try:
        import fitparse

        readers["fitparse"] = lambda: [
            m.get_values() for m in fitparse.FitFile(data).get_messages()
        ]
    except ImportError:
        pass
    try:
        import fitdecode

        def read_fitdecode() -> int:
            with fitdecode.FitReader(data) as fit:
                return sum(1 for frame in fit if frame.frame_type == fitdecode.FIT_FRAME_DATA)

        readers["fitdecode"] = read_fitdecode
    except ImportError:
        pass
    try:
        from garmin_fit_sdk import Decoder, Stream

        readers["garmin-fit-sdk"] = lambda: Decoder(Stream.from_byte_array(bytearray(data))).read()
    except ImportError:
        pass
    return readers


def _xml_readers(path: Path, kind: str) -> dict[str, Callable[[], object]]:
    """Every GPX or TCX reader there is here."""
    from xml.etree import ElementTree

    from workoutcheck.ingest import load

    data = path.read_bytes()
    readers: dict[str, Callable[[], object]] = {
        "workoutcheck load": lambda: load(path),
        "ElementTree iterparse": lambda: _iterparse_columns(data, kind, ElementTree),
    }
    try:
        from lxml import etree

        readers["lxml iterparse"] = lambda: _iterparse_columns(data, kind, etree)
    except ImportError:
        pass
    if kind == "gpx":
        try:
            import gpxpy

            text = data.decode("utf-8")
            readers["gpxpy.parse"] = lambda: gpxpy.parse(text)
        except ImportError:
            pass
    else:
        try:
            from tcxreader.tcxreader import TCXReader

            readers["tcxreader"] = lambda: TCXReader().read(str(path))
        except ImportError:
            pass
    return readers


def bench_every_reader(rounds: int) -> None:
    """(g) Every reader on the corpus's largest FIT, GPX and TCX and on the lap-heavy FIT:
    CPU time (process_time) of each, interleaved rounds, and per round the ratio of each
    reader to the yardstick (FIT: the Rust reader's records alone; GPX/TCX: ElementTree
    iterparse building time/lat/lon/ele), medians. Targets: FIT load <= 1.0x, GPX/TCX <= 1.5x.
    The benchmark-only readers come with ``pip install -e '.[bench]'``; a missing one is left out."""
    from workoutcheck.errors import WorkoutcheckError
    from workoutcheck.ingest import load

    def readable(path: Path) -> bool:
        try:
            load(path)
        except WorkoutcheckError:
            return False
        return True

    cases = [
        ("fit", _largest("fit", ".fit", readable)),
        ("fit", CORPUS / "fit" / LAP_HEAVY_FIT),
        ("gpx", _largest("gpx", ".gpx", readable)),
        ("tcx", _largest("tcx", ".tcx", readable)),
    ]
    print(
        f"(g) every reader, CPU ms and ratio to the yardstick (median of {rounds} interleaved rounds)"
    )
    for kind, path in cases:
        if path is None or not path.exists():
            print(f"    no corpus {kind.upper()} file")
            continue
        if kind == "fit":
            readers, yardstick = _fit_readers(path), "fitfast (Rust) records"
        else:
            readers, yardstick = _xml_readers(path, kind), "ElementTree iterparse"
        if yardstick not in readers:
            yardstick = "workoutcheck load"
        for fn in readers.values():
            fn()  # warm-up: imports, caches
        times: dict[str, list[float]] = {k: [] for k in readers}
        ratios: dict[str, list[float]] = {k: [] for k in readers}
        for _ in range(rounds):
            spent = {}
            for key, fn in readers.items():
                t = time.process_time()
                fn()
                spent[key] = time.process_time() - t
            for key, cpu in spent.items():
                times[key].append(cpu)
                ratios[key].append(cpu / max(spent[yardstick], 1e-9))
        print(f"  {path.name} ({path.stat().st_size // 1024} KB), yardstick: {yardstick}")
        for key in readers:
            print(
                _row(
                    f"    {key}",
                    f"{statistics.median(times[key]) * 1e3:.1f} ms",
                    f"{statistics.median(ratios[key]):.2f}x",
                    widths=(44, 14, 10),
                )
            )
    print()


def _corpus_fits() -> list[Path]:
    """Every FIT of the corpus's fit/, intervals/ and bad/ folders, by name."""
    return sorted(
        (p for folder in ("fit", "intervals", "bad") for p in (CORPUS / folder).glob("*")),
        key=lambda p: (p.parent.name, p.name),
    )


def bench_every_fit(rounds: int, only: str | None = None) -> None:
    """(h) Per running FIT: load / Rust records, the ratio per interleaved round, medians; and
    the CPU time of refusing each refused FIT (median of ``rounds``)."""
    import fitfast as rust

    from workoutcheck.errors import WorkoutcheckError
    from workoutcheck.ingest import load

    running, refused = [], []
    for path in _corpus_fits():
        if path.suffix.lower() != ".fit" or (only and only not in path.name):
            continue
        try:
            load(path)
        except WorkoutcheckError as exc:
            refused.append((path, f"{type(exc).__name__}: {str(exc).split(': ', 1)[-1][:50]}"))
            continue
        running.append(path)
    print(
        f"(h) every running FIT: load / fitfast (Rust) records, CPU, median of {rounds} "
        "interleaved rounds (target <= 1.0x)"
    )
    widths = (52, 9, 11, 11, 9, 7)
    print(_row("file", "records", "Rust ms", "load ms", "ratio", "equal", widths=widths))
    over = []
    for path in running:
        data = path.read_bytes()
        cases = {"rust": lambda data=data: rust.records(data), "load": lambda p=path: load(p)}
        try:
            for fn in cases.values():
                fn()
        except rust.FitDecodeError as exc:
            print(f"    {path.parent.name}/{path.name}: the Rust reader fails ({exc})")
            continue
        times: dict[str, list[float]] = {k: [] for k in cases}
        ratios = []
        for _ in range(rounds):
            spent = {}
            for key, fn in cases.items():
                t = time.process_time()
                fn()
                spent[key] = time.process_time() - t
                times[key].append(spent[key])
            ratios.append(spent["load"] / max(spent["rust"], 1e-6))
        ratio = statistics.median(ratios)
        if ratio > 1.0:
            over.append(path.name)
        print(
            _row(
                f"{path.parent.name}/{path.name}"[:51],
                load(path).n_records,
                f"{statistics.median(times['rust']) * 1e3:.2f}",
                f"{statistics.median(times['load']) * 1e3:.2f}",
                f"{ratio:.2f}x",
                "yes" if same_recording(path) else "NO",
                widths=widths,
            )
        )
    print(f"    over 1.0x: {', '.join(over) if over else 'none'}")
    print(f"  refused FITs: CPU ms to refuse (median of {rounds})")
    for path, why in refused:
        spent = []
        for _ in range(rounds):
            t = time.process_time()
            try:
                load(path)
            except WorkoutcheckError:
                pass
            spent.append(time.process_time() - t)
        print(
            _row(
                f"    {path.parent.name}/{path.name}"[:51],
                f"{statistics.median(spent) * 1e3:.1f}",
                why,
                widths=(52, 9, 2),
            )
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument(
        "--fit-readers", action="store_true", help="only (f): the FIT readers, CPU time"
    )
    parser.add_argument(
        "--every-reader",
        action="store_true",
        help="only (g): every FIT/GPX/TCX reader side by side, CPU time",
    )
    parser.add_argument(
        "--every-fit",
        action="store_true",
        help="only (h): load / Rust records on every running corpus FIT; refusal costs",
    )
    parser.add_argument("--only", help="with --every-fit: only files whose name contains this")
    args = parser.parse_args()
    if args.every_fit:
        bench_every_fit(max(args.runs, 5), args.only)
        return
    if args.fit_readers:
        bench_fit_readers(max(args.runs, 5))
        return
    if args.every_reader:
        bench_every_reader(args.runs)
        return
    import gpxpy

    from workoutcheck.ingest import load

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        fits = [CORPUS / "fit" / name for name in FIT_FILES if (CORPUS / "fit" / name).exists()]
        fits.append(generated_fit(tmp))
        print(
            f"(a) FIT: fitparse iterating the records vs workoutcheck load (median of {args.runs} runs)"
        )
        print(_row("file", "records", "fitparse ms", "load ms", "speed-up", "equal"))
        fit_runs = max(1, min(args.runs, 3))  # fitparse takes seconds per run
        for path in fits:
            n = fitparse_records(path)
            slow = median_time(lambda p=path: fitparse_records(p), fit_runs)
            fast = median_time(lambda p=path: load(p), args.runs)
            print(
                _row(
                    path.name[:43],
                    n,
                    f"{slow * 1e3:.0f}",
                    f"{fast * 1e3:.1f}",
                    f"{slow / fast:.0f}x",
                    "yes" if same_recording(path) else "NO",
                )
            )
        print("    target: >= 20x on a 20,000-record running file, identical arrays\n")

        gpxs = sorted((CORPUS / "gpx").glob("*.gpx"), key=lambda p: p.stat().st_size, reverse=True)[
            :GPX_COUNT
        ]
        print(f"(b) GPX: gpxpy.parse alone vs workoutcheck load (median of {args.runs} runs)")
        print(_row("file", "KB", "gpxpy ms", "load ms", "ratio", ""))
        for path in gpxs:
            text = path.read_text(encoding="utf-8")
            parse = median_time(lambda t=text: gpxpy.parse(t), args.runs)
            full = median_time(lambda p=path: load(p), args.runs)
            print(
                _row(
                    path.name[:43],
                    path.stat().st_size // 1024,
                    f"{parse * 1e3:.0f}",
                    f"{full * 1e3:.0f}",
                    f"{full / parse:.2f}x",
                    "",
                )
            )
        if not gpxs:
            print("    (no corpus GPX files)")
        print("    target: load <= 1.3x gpxpy.parse\n")

        library, process = bench_check(fits[-1], args.runs)
        print(
            f"(c) end-to-end check --format json of {fits[-1].name} (median of {args.runs} runs): "
            f"{library * 1e3:.0f} ms in-process (library), {process * 1e3:.0f} ms as a subprocess"
        )
        batch = batch_files(tmp)
        (wall1, cpu1), (wall2, cpu2) = (
            bench_batch(batch, 1, args.runs),
            bench_batch(batch, 2, args.runs),
        )
        print(
            f"(d) {len(batch)}-file batch (the samples, round-robin) through run_checks, --jobs 1 vs 2 "
            f"(median of {args.runs} runs, {os.cpu_count()} cores):"
        )
        print(
            f"    wall {wall1:.2f} s vs {wall2:.2f} s ({wall1 / wall2:.2f}x); CPU, workers included, "
            f"{cpu1:.2f} s vs {cpu2:.2f} s (parallel overhead {cpu2 / cpu1 - 1:+.0%})"
        )
        print("    target: --jobs 2 >= 1.7x faster than --jobs 1 on 2 otherwise idle cores\n")

        t = time.perf_counter()
        big = big_fit(tmp / "big_100k.fit")
        written = time.perf_counter() - t
        rss, traced = bench_memory(big)
        print(
            f"(e) peak memory loading a {rss['records']:,}-record FIT ({big.stat().st_size / 1e6:.1f} MB, "
            f"written in {written:.0f} s), fresh process each:"
        )
        print(
            f"    max RSS {rss['rss_peak_kb'] / 1e3:.0f} MB (of which {rss['rss_before_kb'] / 1e3:.0f} MB before "
            f"the load: Python, numpy, fitparse, gpxpy imported; load added "
            f"{(rss['rss_peak_kb'] - rss['rss_before_kb']) / 1e3:.0f} MB)"
        )
        print(f"    tracemalloc peak of the load alone: {traced['tracemalloc_peak'] / 1e6:.0f} MB")
        print("    target: < 200 MB\n")
    bench_fit_readers(max(args.runs, 5))
    bench_every_reader(args.runs)


if __name__ == "__main__":
    main()
