"""Rep finding on real watch files, against the laps their runners pressed (or their watches made).

Run: python benchmarks/real_files.py [--corpus DIR] [--quick]

Cases: ``intervals/cases.json`` of the shared corpus (plans and rep-lap truth) and
``tests/cases/corpus_cases.json`` (the interval-like files elsewhere in the corpus, truth as lap
indices). Every case runs with laps=ignore, auto and use, and again with every target pace
10% and 15% slower and faster: a wrong target must change verdicts, never which efforts are reps.
Then every case again (laps=ignore) with its plan misstated against what was run: the warm-up
stated at a fifth, half, twice and five times its length, the recoveries at half and twice
theirs, the warm-up and cool-down left out: which efforts are reps should not move.
Printed per mode: files with the rep count right, reps that were run but called missed or
extra, boundary error (median / p90 / worst, seconds) and the share within 3 s / 5 s / one
record interval of the laps. Then every continuous running file in the corpus, checked without a
plan: how many are described as continuous (with -v each one and why it is no interval session),
how many interval sessions still are, and whether one run reads alike as FIT, GPX and TCX.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from workoutcheck.errors import WorkoutcheckError  # noqa: E402
from workoutcheck.ingest import load  # noqa: E402
from workoutcheck.model import Activity  # noqa: E402
from workoutcheck.plan import (  # noqa: E402
    ResolvedPlan,
    StepKind,
    parse_plan,
    resolve,
    scale_paces,
    scale_recoveries,
)
from workoutcheck.segment import SegmentKind, segment  # noqa: E402

CORPUS = Path(os.environ.get("WORKOUTCHECK_CORPUS", ROOT.parent / "shared" / "corpus"))
EXTRA_CASES = ROOT / "tests" / "cases" / "corpus_cases.json"
MODES = ("ignore", "auto", "use")
SCALES = (1.0, 1.1, 0.9, 1.15, 0.85)  # target pace x: 10% and 15% slower and faster
# the plan's warm-up stated at these times its length: the reps found must not move
WARMUP_FACTORS = (0.2, 0.5, 2.0, 5.0)
RECOVERY_FACTORS = (0.5, 2.0)  # and its recoveries (x0.5: taken twice as long as written)
# files SOURCES.md lists as interval-like, partly structured or not running: not "continuous"
NOT_CONTINUOUS = {
    "runalyze__time-jump.fit",
    "sportslib__6914538454.fit",
    "gc__IpBike-HRV-Data.fit",
    "runalyze__Suunto-Ambit-3-Peak-without-final-lap.fit",
    "runalyze__Fenix-3-with-inactive-Moxy.fit",
    "runalyze__FR920xt-with-Stryd.fit",
    "fit4s__2825367441.fit",
    "tracksnap__B3DB0907.FIT",
    "gc__Fr955v19.28andStryd.fit",
    "synthetic__garmin-encoder-6x400m.fit",
    # SOURCES.md: "YES: 3x (1239 m, 1239 m, 942 m) with ~240-253 s near-standing recoveries"
    "runalyze__Wrong-time-zone-by-polar.tcx",
}
LISTED_SESSIONS = ("runalyze__Wrong-time-zone-by-polar.tcx",)  # tcx/, not among the cases
CROSS_FORMAT = ("sportslib__6782987395", "sportslib__2067489619", "sportslib__6860622783")


@dataclass(frozen=True)
class Case:
    path: Path
    plan: str
    truth: list[tuple[float, float]]  # rep [start_s, end_s]
    note: str = ""


def cases(corpus: Path = CORPUS) -> list[Case]:
    """Every real case whose file is present."""
    out: list[Case] = []
    index = corpus / "intervals" / "cases.json"
    if index.exists():
        for c in json.loads(index.read_text()):
            path = corpus / "intervals" / c["file"]
            if path.exists():
                out.append(Case(path, c["plan"], [tuple(t) for t in c["truth"]], c.get("note", "")))
    for c in json.loads(EXTRA_CASES.read_text())["cases"]:
        path = corpus / c["file"]
        if path.exists():
            out.append(
                Case(path, c["plan"], lap_truth(load(path), c["truth_laps"]), c.get("note", ""))
            )
    return out


def lap_truth(activity: Activity, laps: list) -> list[tuple[float, float]]:  # type: ignore[type-arg]
    spans = []
    for item in laps:
        a, b = (item, item) if isinstance(item, int) else item
        spans.append(
            (activity.laps[a].start_s, activity.laps[b].start_s + activity.laps[b].duration_s)
        )
    return spans


@dataclass
class Outcome:
    count_ok: bool
    wrong_missed: int  # reps that were run, called missed
    wrong_extra: int  # reps that were run, labelled extra
    errors: list[float]  # |found - truth| for every start and end, seconds
    record_s: float  # the file's median record interval


def warmup_stated(plan: ResolvedPlan, factor: float) -> ResolvedPlan | None:
    """``plan`` with the length of its warm-up (the steps before the first effort) times
    ``factor``; None where it gives none."""
    first = next((i for i, s in enumerate(plan.steps) if s in plan.reps), 0)
    if first == 0 or not all(s.duration_s or s.distance_m for s in plan.steps[:first]):
        return None
    return replace(
        plan, steps=tuple(_times(s, factor) for s in plan.steps[:first]) + plan.steps[first:]
    )


def recoveries_stated(plan: ResolvedPlan, factor: float) -> ResolvedPlan | None:
    """``plan`` with every prescribed recovery's length times ``factor``; None without any."""
    if not any(s.kind is StepKind.RECOVERY and not s.implicit for s in plan.steps):
        return None
    return scale_recoveries(plan, factor)


def set_only(plan: ResolvedPlan) -> ResolvedPlan | None:
    """``plan`` without its warm-up and cool-down (the set alone); None where it has neither."""
    reps = [i for i, s in enumerate(plan.steps) if s in plan.reps]
    end = reps[-1] + 1
    while end < len(plan.steps) and plan.steps[end].kind is StepKind.RECOVERY:
        end += 1
    if reps[0] == 0 and end == len(plan.steps):
        return None
    return replace(plan, steps=plan.steps[reps[0] : end])


def _times(step, factor: float):  # type: ignore[no-untyped-def]
    lengths = {k: getattr(step, k) for k in ("duration_s", "distance_m", "expected_s")}
    return replace(step, **{k: v * factor if v else v for k, v in lengths.items()})


# how a plan may be misstated against what was run: (label, restatement)
MISSTATED = (
    *((f"warm-up x{f:g}", partial(warmup_stated, factor=f)) for f in WARMUP_FACTORS),
    *((f"recoveries x{f:g}", partial(recoveries_stated, factor=f)) for f in RECOVERY_FACTORS),
    ("set only", set_only),
)


def evaluate(
    case: Case,
    activity: Activity,
    laps: str,
    factor: float,
    restate: Callable[[ResolvedPlan], ResolvedPlan | None] | None = None,
) -> Outcome:
    plan = scale_paces(resolve(parse_plan(case.plan), None), factor)
    if restate is not None:
        stated = restate(plan)
        assert stated is not None
        plan = stated
    result = segment(activity, plan, laps=laps)
    reps = [s for s in result.segments if s.kind is SegmentKind.REP and not s.missed]
    extras = [s for s in result.segments if s.kind is SegmentKind.EXTRA]
    errors: list[float] = []
    wrong_missed = wrong_extra = 0
    for i, (t0, t1) in enumerate(case.truth, start=1):
        found = next((s for s in reps if s.rep == i), None)
        if found is None:
            wrong_missed += 1
            if any(_overlap(s, t0, t1) > 0.5 for s in extras):
                wrong_extra += 1
            continue
        errors += [abs(found.start_s - t0), abs(found.end_s - t1)]  # type: ignore[operator]
    count_ok = len(reps) == len(case.truth) and not result.missed_reps and wrong_missed == 0
    count_ok = count_ok and not any(
        any(_overlap(s, a, b) > 0.5 for a, b in case.truth) for s in extras
    )
    return Outcome(
        count_ok, wrong_missed, wrong_extra, errors, float(np.median(np.diff(activity.t)))
    )


def _overlap(seg, t0: float, t1: float) -> float:  # type: ignore[no-untyped-def]
    """Share of the truth rep [t0, t1] that the segment covers."""
    if seg.start_s is None:
        return 0.0
    return max(0.0, min(seg.end_s, t1) - max(seg.start_s, t0)) / max(t1 - t0, 1e-9)


def continuous_files(corpus: Path = CORPUS) -> list[Path]:
    files = []
    for folder in ("fit", "gpx", "tcx"):
        base = corpus / folder
        if base.is_dir():
            files += [
                p
                for p in sorted(base.iterdir())
                if p.name not in NOT_CONTINUOUS and p.suffix.lower() != ".md"
            ]
    return files


def _run(path: Path) -> Activity | None:
    """The file read, if it is a readable recording of at least ten minutes."""
    try:
        activity = load(path)
    except WorkoutcheckError:
        return None
    return activity if activity.duration_s >= 600 else None


def continuous_runs(corpus: Path = CORPUS) -> list[Path]:
    """The continuous running files that are readable runs of ten minutes or more."""
    return [p for p in continuous_files(corpus) if _run(p) is not None]


def describe_continuous(path: Path) -> str | None:
    """The description workoutcheck gives the file without a plan; None if it is not a readable run."""
    activity = _run(path)
    return None if activity is None else segment(activity, None).description


def reading(path: Path) -> tuple[str, str]:
    """The description without a plan and the note saying why it is no interval session ("")."""
    result = segment(load(path), None)
    why = next((n for n in result.notes if n.startswith("no interval session")), "")
    return result.description or "", why.removeprefix("no interval session: ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--quick", action="store_true", help="target paces as written only")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per case and mode")
    args = ap.parse_args()
    all_cases = cases(args.corpus)
    if not all_cases:
        sys.exit(f"no real cases under {args.corpus}")
    loaded = [(c, load(c.path)) for c in all_cases]
    print(f"{len(all_cases)} real cases, {sum(len(c.truth) for c in all_cases)} reps\n")
    print(
        f"{'laps':7} {'pace':>5} {'count ok':>9} {'missed':>7} {'extra':>6} {'median':>7} {'p90':>6} "
        f"{'worst':>6} {'<=3s':>6} {'<=5s':>6} {'<=rec':>6}"
    )
    for laps in MODES:
        for factor in SCALES[:1] if args.quick else SCALES:
            outs = []
            for c, a in loaded:
                o = evaluate(c, a, laps, factor)
                outs.append(o)
                if args.verbose and (not o.count_ok or (o.errors and max(o.errors) > 5)):
                    worst = max(o.errors) if o.errors else float("nan")
                    print(
                        f"   {laps} x{factor}: {c.path.name}: count {'ok' if o.count_ok else 'WRONG'}, "
                        f"missed {o.wrong_missed}, extra {o.wrong_extra}, worst {worst:.1f} s"
                    )
            err = (
                np.array([e for o in outs for e in o.errors])
                if any(o.errors for o in outs)
                else np.array([np.nan])
            )
            rec = (
                np.concatenate([np.full(len(o.errors), max(o.record_s, 1.0)) for o in outs])
                if err.size > 1
                else err
            )
            print(
                f"{laps:7} {factor:>5.2f} {sum(o.count_ok for o in outs):>4}/{len(outs):<4} "
                f"{sum(o.wrong_missed for o in outs):>7} {sum(o.wrong_extra for o in outs):>6} "
                f"{np.median(err):>7.2f} {np.percentile(err, 90):>6.2f} {err.max():>6.1f} "
                f"{np.mean(err <= 3):>6.1%} {np.mean(err <= 5):>6.1%} {np.mean(err <= rec + 1e-6):>6.1%}"
            )
    print("\nthe plan misstated against what was run (laps=ignore):")
    for label, restate in MISSTATED:
        some = [(c, a) for c, a in loaded if restate(resolve(parse_plan(c.plan))) is not None]
        outs = [evaluate(c, a, "ignore", 1.0, restate) for c, a in some]
        wrong = [c.path.name for (c, _), o in zip(some, outs, strict=True) if not o.count_ok]
        print(
            f"    {label:16} count ok {len(outs) - len(wrong)}/{len(outs)}"
            + (f"  wrong: {' '.join(wrong)}" if wrong else "")
        )
    print()
    runs = [(p, *reading(p)) for p in continuous_runs(args.corpus)]
    cont = [p for p, d, _ in runs if d.startswith("continuous")]
    print(f"continuous runs described as continuous: {len(cont)}/{len(runs)}")
    for p, d, why in runs:
        if args.verbose or not d.startswith("continuous"):
            print(f"   {p.parent.name}/{p.name}: {d}{f' ({why})' if why else ''}")
    # and the interval sessions without a plan: each still work and recovery blocks
    sessions = sorted({c.path for c in all_cases} | set(_listed_sessions(args.corpus)))
    found = [(p, reading(p)[0]) for p in sessions]
    right = [p for p, d in found if not d.startswith("continuous")]
    print(f"interval sessions described as intervals: {len(right)}/{len(found)}")
    for p, d in found:
        if args.verbose or d.startswith("continuous"):
            print(f"   {p.parent.name}/{p.name}: {d}")
    for stem in CROSS_FORMAT:
        same = [args.corpus / f / f"{stem}.{f}" for f in ("fit", "gpx", "tcx")]
        texts = {p.suffix[1:]: reading(p)[0] for p in same if p.exists()}
        if len(texts) > 1:
            alike = "alike" if len(set(texts.values())) == 1 else "DIFFERENT"
            print(
                f"one run in {'/'.join(texts)} ({stem}): {alike}: {' | '.join(set(texts.values()))}"
            )


def _listed_sessions(corpus: Path) -> list[Path]:
    """Interval sessions SOURCES.md lists outside the cases (no plan and lap truth written)."""
    return [p for p in (corpus / "tcx" / name for name in LISTED_SESSIONS) if p.exists()]


if __name__ == "__main__":
    main()
