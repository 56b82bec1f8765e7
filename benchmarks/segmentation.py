"""Rep-finding accuracy and speed against the sample files' known truth.

Run: python benchmarks/segmentation.py [FOLDER ...]   (default: sample_files/)

For laps=ignore and laps=auto separately it prints, over every file with a *.truth.json:
rep-count accuracy (the right reps found, none missed that was run, each where it was run),
median and 90th-percentile boundary error (starts and ends, seconds), median and
90th-percentile rep pace error (% of the true pace), and the time taken; then the
time to segment a generated 2-hour 1 Hz recording and how it grows with length, and the CPU
time and peak memory when the plan grows with the recording too (to 24 h and 212 reps).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from workoutcheck.ingest import load
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.plan.profile import profile_from_dict
from workoutcheck.segment import SegmentKind, segment

ROOT = Path(__file__).resolve().parents[1]


def truth_cases(folders: list[Path]) -> list[tuple[Path, dict]]:
    cases = []
    for folder in folders:
        for truth_path in sorted(folder.glob("*.truth.json")):
            truth = json.loads(truth_path.read_text())
            for name in truth["files"]:
                cases.append((folder / name, truth))
    return cases


def resolved_plan(truth: dict):  # type: ignore[no-untyped-def]
    profile = None
    if truth.get("profile"):
        data = truth["profile"]
        if "races" not in data:
            data = {"races": data}
        profile = profile_from_dict(data, source="truth", default_name="runner")
    return resolve(parse_plan(truth["plan"]), profile)


def evaluate(cases: list[tuple[Path, dict]], laps: str) -> dict:
    count_ok, bound_err, pace_err, elapsed, rows = 0, [], [], 0.0, []
    for path, truth in cases:
        activity = load(path)
        plan = resolved_plan(truth)
        t0 = time.perf_counter()
        result = segment(activity, plan, laps=laps)
        elapsed += time.perf_counter() - t0
        true_reps = {s["rep"]: s for s in truth["segments"] if s["kind"] == "rep"}
        found = {s.rep: s for s in result.segments if s.kind is SegmentKind.REP and not s.missed}
        ok = set(found) == set(true_reps) and set(result.missed_reps) == set(truth["missed_reps"])
        # and each rep found where that rep was run: twelve reps found one effort on, the first
        # hidden in a warm-up and an extra effort taken for the last, are no right count
        ok = ok and all(
            found[r].start_s < true_reps[r]["end_s"] and found[r].end_s > true_reps[r]["start_s"]
            for r in found
        )
        count_ok += ok
        errs = []
        for rep, ts in true_reps.items():
            fs = found.get(rep)
            if fs is None:
                continue
            errs += [abs(fs.start_s - ts["start_s"]), abs(fs.end_s - ts["end_s"])]
            if fs.pace_s_per_km and ts["pace_s_per_km"]:
                pace_err.append(abs(fs.pace_s_per_km / ts["pace_s_per_km"] - 1) * 100)
        bound_err += errs
        rows.append(
            (
                path.name,
                ok,
                len(found),
                len(true_reps),
                float(np.median(errs)) if errs else float("nan"),
                float(np.max(errs)) if errs else float("nan"),
            )
        )
    return {
        "files": len(cases),
        "count_ok": count_ok,
        "bound_med": float(np.median(bound_err)),
        "bound_p90": float(np.percentile(bound_err, 90)),
        "pace_med": float(np.median(pace_err)),
        "pace_p90": float(np.percentile(pace_err, 90)),
        "seconds": elapsed,
        "rows": rows,
    }


def _session(
    hours: float,
    rep_s: float,
    part_s: float,
    warm_s: float,
    rep_v: float,
    jog_v: float,
    seed: int = 1,
):  # type: ignore[no-untyped-def]
    """A generated 1 Hz recording: easy running, then reps of ``rep_s`` in parts of ``part_s``
    (the rest jogged), then easy running; and how many whole parts it holds."""
    from workoutcheck.model import Activity, Source

    rng = np.random.default_rng(seed)
    n = int(hours * 3600)
    parts = int((n - warm_s) // part_s)
    t = np.arange(n, dtype=float)
    easy = (t < warm_s) | (t >= warm_s + parts * part_s)
    speed = np.where(easy, 2.8, np.where((t - warm_s) % part_s < rep_s, rep_v, jog_v)) + rng.normal(
        0, 0.1, n
    )
    dist = np.concatenate([[0.0], np.cumsum(speed[1:])])
    act = Activity(
        source=Source.FIT,
        path="synthetic",
        start_time=None,
        t=t,
        distance=dist,
        speed=speed,
        distance_source="device",
        speed_source="device",
    )
    return act, parts


def scaling() -> list[tuple[float, int, float]]:
    """Segmentation time for generated 1 Hz sessions of growing length."""
    out = []
    for hours in (0.5, 1.0, 2.0):
        reps = int(hours * 6)  # 5 min at 3:47/km (1320 m), 5 min jog (780 m)
        plan = resolve(parse_plan(f"{reps}x(1320m @ 3:47/km, 780m jog)"))
        act, _ = _session(hours, 300, 600, 0, 4.4, 2.6)
        t0 = time.perf_counter()
        segment(act, plan, laps="ignore")
        out.append((hours, len(act.t), time.perf_counter() - t0))
    return out


GROWING_HOURS = (1, 2, 4, 6, 8, 12, 24)


def growing_plan(hours_list=GROWING_HOURS) -> list[dict]:  # type: ignore[no-untyped-def]
    """A plan that grows with the recording: as many 1000 m reps at 3:45/km with 3 min jogs
    as fit after a 5 min warm-up (212 in 24 h). CPU time and peak traced memory of segmenting
    each (separate runs, so tracing does not slow the timed one), and whether every rep was
    found."""
    import tracemalloc

    out = []
    for hours in hours_list:
        act, reps = _session(hours, 225, 405, 300, 1000 / 225, 2.5)
        plan = resolve(parse_plan(f"{reps}x(1000m @ 3:45/km, 3min jog)"))
        t0 = time.process_time()
        result = segment(act, plan, laps="ignore")
        cpu = time.process_time() - t0
        tracemalloc.start()
        segment(act, plan, laps="ignore")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        found = sum(1 for s in result.segments if s.kind is SegmentKind.REP and not s.missed)
        out.append(
            {
                "hours": hours,
                "reps": reps,
                "steps": len(plan.steps),
                "found": found,
                "extra": result.extra_efforts,
                "cpu_s": cpu,
                "peak_mb": peak / 1e6,
            }
        )
    return out


def main(argv: list[str]) -> None:
    folders = [Path(a) for a in argv] or [ROOT / "sample_files"]
    cases = truth_cases(folders)
    for laps in ("ignore", "auto"):
        r = evaluate(cases, laps)
        print(
            f"laps={laps}: rep count right on {r['count_ok']}/{r['files']} files; "
            f"boundary error median {r['bound_med']:.2f} s, p90 {r['bound_p90']:.2f} s; "
            f"pace error median {r['pace_med']:.2f}%, p90 {r['pace_p90']:.2f}%; "
            f"segmentation {r['seconds']:.2f} s in all"
        )
        for name, ok, found, true, med, worst in r["rows"]:
            print(
                f"    {name:32s} {'ok ' if ok else 'BAD'} reps {found}/{true}  boundary median {med:5.2f} s  worst {worst:5.2f} s"
            )
    print("scaling (laps=ignore, 1 Hz, 6 reps of 5 min per hour):")
    for hours, n, seconds in scaling():
        print(
            f"    {hours:4.1f} h  {n:6d} samples  {seconds * 1000:7.1f} ms  ({seconds / n * 1e6:.1f} us/sample)"
        )
    print("growing plan (laps=ignore, 1 Hz, 1000 m reps with 3 min jogs filling the recording):")
    for r in growing_plan():
        print(
            f"    {r['hours']:4.0f} h  {r['reps']:3d} reps ({r['steps']} steps)  found {r['found']}, {r['extra']} extra  "
            f"CPU {r['cpu_s']:6.2f} s  peak {r['peak_mb']:6.1f} MB"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
