"""Verdict honesty against a known truth: false alarms, misses, and whether the uncertainty holds.

Run: python benchmarks/verdicts.py [FOLDER ...] [--real CASES.json]
(default: sample_files/; a folder from benchmarks/stress_set.py adds its sessions; --real
adds the real cases, default ../shared/corpus/intervals/cases.json when present)

Per set it prints, with the README's default thresholds:
- rep pace: of the reps whose true pace is inside the band, how many were called too fast or
  too slow (false alarms); of the reps truly off by more than two tolerances (the true pace more
  than two band half-widths from the target, as rep_pace fails), how many were called on target
  (misses) where the file can tell: the rep's stated uncertainty is within the tolerance (the
  file can judge the band at all), or the true pace lies beyond the band by more than twice the
  uncertainty (a reading beyond it by more than the uncertainty, as a flag needs, is then
  expected nine times in ten or more); beside it the same count where it cannot (such a rep is
  mostly borderline; the report says once per file when the band cannot be judged); how often the
  true pace lies within the stated uncertainty (coverage, meant to be about nine in ten: an
  uncertainty inflated to hide misses shows here); how many were borderline.
- start_too_fast / even_effort: flagged (warn or fail) on reps without a fast start (false
  alarms; on real files, a start within the warning on the truth lap); not flagged on reps
  whose true start was more than twice the warning threshold quicker than the rest (from the
  generated fault; on real files from the truth lap on the file's distance), or whose true
  split variation was above twice the warning (misses), split as for paces: where the truth
  exceeds the warning by more than twice the check's own noise (a check flags a reading beyond
  its warning by more than the noise), and where it does not (for a
  generated fast start, the truth as the file's own distance shows it over the true boundaries
  too: an acceleration from a standstill or GPS settling at the file's start hides it).
- fade: flagged where the true fade was under the warning; not flagged above twice it (where
  the file can tell, as for the starts).
- each false alarm and miss by cause: "boundary" (a boundary more than 3 s and more than the
  record interval from the truth's: the segmentation's), "distance" (the distance the pace was
  measured on is further off than the timing), "uncertainty" (the rest: an error beyond the
  stated uncertainty, or a truth near the band's edge); MISS where the file can tell, miss
  where it cannot. ``--details`` lists each with its figures and the file's quirks.
Truth: a generated file's truth.json (its true rep paces, splits and faults; where the tool
judged a rep on grade-adjusted pace, the true pace times the rep's true grade factor,
``gap_factor``, which benchmarks/stress_set.py writes from the route's own altitude); a real
case's truth laps ([start, end] in cases.json) paced on the distance basis the tool chose: the
prescribed distance where it used it (a track, or the watch agreeing with the plan; the file's
GPS distance reads 3-8% long on a track and is not the truth there), else the file's distance
over the truth lap.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from workoutcheck.ingest import load
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.plan.profile import profile_from_dict
from workoutcheck.score import Status, Thresholds, Verdict, score
from workoutcheck.score.reps import _start_ratio
from workoutcheck.score.thresholds import with_overrides
from workoutcheck.segment import Segment, SegmentKind, segment

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "intervals" / "cases.json"


def _plan(text: str, profile: dict | None):  # type: ignore[no-untyped-def]
    prof = None
    if profile:
        data = profile if "races" in profile else {"races": profile}
        prof = profile_from_dict(data, source="truth", default_name="runner")
    return resolve(parse_plan(text), prof)


def generated_cases(folders: list[Path]) -> list[dict]:
    """One case per file: truth reps as {rep: (pace, start quicker or None, split cv or None)}."""
    cases = []
    for folder in folders:
        for truth_path in sorted(folder.glob("*.truth.json")):
            truth = json.loads(truth_path.read_text())
            reps = {}
            targets = truth.get("extra", {}).get("segment_targets") or [{}] * len(truth["segments"])
            for s, extra in zip(truth["segments"], targets, strict=True):
                if s["kind"] != "rep":
                    continue
                fast = next(
                    (
                        _start_quicker(f)
                        for f in extra.get("faults", [])
                        if f["kind"] == "fast_start"
                    ),
                    0.0,
                )
                paces = [
                    sp["duration_s"] / sp["distance_m"]
                    for sp in s["splits"]
                    if sp["distance_m"] >= 0.75 * max(x["distance_m"] for x in s["splits"])
                ]
                cv = float(np.std(paces) / np.mean(paces)) if len(paces) >= 2 else None
                reps[s["rep"]] = {
                    "pace": s["pace_s_per_km"],
                    "fast": fast,
                    "cv": cv,
                    "gap_factor": s.get("gap_factor"),
                    "start_s": s["start_s"],
                    "end_s": s["end_s"],
                    "distance_m": s["distance_m"],
                }
            for name in truth["files"]:
                cases.append(
                    {
                        "path": folder / name,
                        "plan": truth["plan"],
                        "profile": truth.get("profile"),
                        "reps": reps,
                        "set": folder.name,
                        "quirk": _quirk(truth),
                    }
                )
    return cases


def _quirk(truth: dict) -> str:
    """The file's quirks in a few words, for the --details listing."""
    extra = truth.get("extra", {})
    real = extra.get("stress_realism") or {}
    q = real.get("quirks") or {}
    bits = [truth.get("surface") or "", f"rec {truth.get('recording')}"]
    if real:
        bits.append(f"{real.get('channel')} gps {real.get('gps_sigma_m')} m")
        if q.get("speed_lag_vs_truth_s"):
            bits.append(f"speed lag {q['speed_lag_vs_truth_s']:.0f} s")
    return ", ".join(b for b in bits if b)


def _start_quicker(fault: dict) -> float:
    """How much quicker (by pace) the fast part of a samplegen fast start is than the rest: the
    first ``fraction`` of the time at ``amount`` above the target speed, the rest slower so
    the rep's pace is ``net`` off target."""
    f, a, net = fault["fraction"], fault["amount"], fault["net"]
    rest = (1 / (1 + net) - f * (1 + a)) / (1 - f)  # the rest's speed / the target speed
    return 1.0 - rest / (1 + a)


def real_cases(path: Path) -> list[dict]:
    if not path.exists():
        return []
    cases = []
    for case in json.loads(path.read_text()):
        cases.append(
            {
                "path": path.parent / case["file"],
                "plan": case["plan"],
                "profile": None,
                "laps": case["truth"],
                "set": "real",
            }
        )
    return cases


def _real_truth(activity, laps: list[list[float]]) -> dict:  # type: ignore[no-untyped-def]
    reps = {}
    for i, (a, b) in enumerate(laps, 1):
        d = float(
            np.interp(b, activity.t, activity.distance)
            - np.interp(a, activity.t, activity.distance)
        )
        seg = Segment(SegmentKind.REP, a, b, rep=i, distance_m=d, distance_used_m=d)
        ratio = _start_ratio(activity, seg, 0.0, Thresholds().start_fast_fraction)
        reps[i] = {
            "pace": (b - a) / d * 1000.0 if d > 0 else None,
            "fast": None if ratio is None else 1.0 - ratio,
            "cv": None,
            "seconds": b - a,
            "start_s": a,
            "end_s": b,
            "distance_m": d,
        }
    return reps


def _on_basis(truth: dict, result) -> dict:  # type: ignore[no-untyped-def]
    """A real case's truth laps paced on the distance basis the tool chose for the rep: the
    prescribed distance where it judged the rep on it (a track, or the watch agreeing with the
    plan), else the file's own distance over the truth lap. (The file's distance on a track
    reads 3-8% long: it is not the truth there.)"""
    out = {}
    for ss in result.reps:
        t = truth.get(ss.segment.rep)
        if t is None:
            continue
        seg = ss.segment
        d = seg.distance_used_m if seg.distance_basis == "prescribed" else t["distance_m"]
        out[seg.rep] = {**t, "pace": t["seconds"] / d * 1000.0 if d else None}
    return out


def evaluate(cases: list[dict], th: Thresholds | None = None) -> dict[str, dict[str, list]]:
    th = th or Thresholds()
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        activity = load(case["path"])
        plan = _plan(case["plan"], case["profile"])
        found = segment(activity, plan, laps="auto")
        result = score(activity, found, plan, thresholds=th)
        truth = case["reps"] if "reps" in case else _real_truth(activity, case["laps"])
        where = (activity, case["path"].name, case.get("quirk", ""), found, out[case["set"]])
        if "reps" not in case:
            truth = _on_basis(truth, result)
        _tally(out[case["set"]], result, truth, "reps" in case, th, where)
    return out


def _tally(  # type: ignore[no-untyped-def]
    stats: dict[str, list], result, truth: dict, generated: bool, th: Thresholds, where=None
) -> None:
    """Add one file's reps and flags to ``stats`` (``where``: the activity, file name, quirks
    and segmentation, for the --details rows of each false alarm and miss)."""
    checks = {(c.id, c.rep): c for c in result.checks}
    true_ratio = []
    for ss in result.reps:
        rep = ss.segment.rep
        t = truth.get(rep)
        if t is None or ss.segment.missed or ss.band is None or not t["pace"]:
            continue
        pace, (fast, slow), target = t["pace"], ss.band, ss.target_pace
        if ss.on_gap and t.get("gap_factor"):  # judged on grade-adjusted pace: so is the truth
            pace *= t["gap_factor"]
            stats["on_gap"].append(True)
        half = max((slow - fast) / 2, 0.5)
        true_ratio.append((rep, pace / target))
        if fast <= pace <= slow:
            stats["on_target"].append(ss.verdict is not Verdict.ON_TARGET)
            if ss.verdict is not Verdict.ON_TARGET and where is not None:
                stats["details"].append(_detail("FA", ss, t, pace, where))
        if abs(pace - target) > 2 * half:
            # the file can tell where it judges the band at all (the rep's stated uncertainty
            # within the tolerance), or where the truth lies so far beyond the band (by more
            # than twice the uncertainty) that a reading beyond it by more than the
            # uncertainty, as a flag needs, is the expected one; elsewhere the rep is mostly
            # borderline, and the report says once per file that the band cannot be judged
            u = pace * (ss.pace_uncertainty_pct or 0.0) / 100
            judged = u <= half or abs(pace - target) - half > 2 * u
            missed = ss.verdict is Verdict.ON_TARGET
            stats["off_2tol" if judged else "off_2tol_unjudged"].append(missed)
            if missed and where is not None:
                stats["details"].append(_detail("MISS" if judged else "miss", ss, t, pace, where))
        if ss.pace_uncertainty_pct is not None and ss.judged_pace_s_per_km:
            err = abs(ss.judged_pace_s_per_km / pace - 1) * 100
            stats["covered"].append(err <= ss.pace_uncertainty_pct)
            stats["u"].append(ss.pace_uncertainty_pct)
            stats["err"].append(err)
            stats["borderline"].append(ss.borderline)
        flagged = {k: checks.get((k, rep)) for k in ("start_too_fast", "even_effort")}
        start = flagged["start_too_fast"]
        if start is not None and t["fast"] is not None:
            quick = t["fast"]
            if generated:  # from the fault; clean reps have none
                clean, bad = quick == 0.0, quick > 2 * th.start_fast_warn
            else:
                clean, bad = quick <= th.start_fast_warn, quick > 2 * th.start_fast_warn
            if clean:
                stats["start_clean"].append(start.status is not Status.PASS)
            # as for paces: the file can tell where the truth exceeds the warning by more
            # than twice the check's own stated noise
            shown = quick
            if generated and where is not None and t.get("distance_m"):
                # the fault as the file's own distance shows it over the true boundaries (an
                # acceleration from a standstill or GPS settling can hide it from any reading)
                true_seg = Segment(
                    SegmentKind.REP,
                    t["start_s"],
                    t["end_s"],
                    rep=rep,
                    distance_m=t["distance_m"],
                    distance_used_m=t["distance_m"],
                )
                ratio = _start_ratio(where[0], true_seg, 0.0, th.start_fast_fraction)
                shown = min(quick, 1.0 - ratio) if ratio is not None else quick
            told = shown > th.start_fast_warn + 2 * start.figures.get("noise", 0.0)
            if bad:
                stats["start_bad" if told else "start_bad_unjudged"].append(
                    start.status is Status.PASS
                )
            if where is not None and (
                (clean and start.status is not Status.PASS) or (bad and start.status is Status.PASS)
            ):
                kind = "START FA" if clean else ("START MISS" if told else "start miss")
                stats["details"].append(
                    f"{kind} {where[1]} rep {rep}: true start "
                    f"{quick:.1%} quicker, measured {start.figures} {start.status.value}; {where[2]}"
                )
        even = flagged["even_effort"]
        if even is not None and t["cv"] is not None:
            if t["cv"] <= th.even_effort_warn_cv:
                stats["even_clean"].append(even.status is not Status.PASS)
            if t["cv"] > 2 * th.even_effort_warn_cv:
                told = t["cv"] > th.even_effort_warn_cv + 2 * even.figures.get("cv_noise", 0.0)
                stats["even_bad" if told else "even_bad_unjudged"].append(
                    even.status is Status.PASS
                )
            if where is not None and (
                (t["cv"] <= th.even_effort_warn_cv and even.status is not Status.PASS)
                or (t["cv"] > 2 * th.even_effort_warn_cv and even.status is Status.PASS)
            ):
                stats["details"].append(
                    f"EVEN {where[1]} rep {rep}: true cv {t['cv']:.1%}, measured {even.figures} "
                    f"{even.status.value}; {where[2]}"
                )
    fade = checks.get(("fade", None))
    if fade is not None and len(true_ratio) >= 3:
        n, r = np.array(true_ratio).T
        slope, icpt = np.polyfit(n, r, 1)
        slowing = (icpt + slope * n[-1]) / (icpt + slope * n[0]) - 1
        if slowing <= th.fade_warn:
            stats["fade_clean"].append(fade.status is not Status.PASS)
        if slowing > 2 * th.fade_warn:
            told = slowing > th.fade_warn + 2 * fade.figures.get("noise", 0.0)
            stats["fade_bad" if told else "fade_bad_unjudged"].append(fade.status is Status.PASS)
        if where is not None and (
            (slowing <= th.fade_warn and fade.status is not Status.PASS)
            or (slowing > 2 * th.fade_warn and fade.status is Status.PASS)
        ):
            stats["details"].append(
                f"FADE {where[1]}: true slowing {slowing:.1%}, measured {fade.figures} "
                f"{fade.status.value}: {fade.message}"
            )


BOUNDARY_OFF_S = 3.0  # a boundary further than this (and than the record interval) is misplaced


def _cause(ss, t: dict, ds: float, de: float, dt: tuple[float, float]) -> str:  # type: ignore[no-untyped-def]
    """Why a verdict went wrong: "boundary" (a boundary misplaced by more than BOUNDARY_OFF_S
    and the record interval: the segmentation's), "distance" (the distance the pace was
    measured on is further off than the timing), else "uncertainty" (the pace's error beyond
    the stated uncertainty, or the truth near the band's edge)."""
    seg = ss.segment
    if max(abs(ds) - max(BOUNDARY_OFF_S, dt[0]), abs(de) - max(BOUNDARY_OFF_S, dt[1])) > 0:
        return "boundary"
    truth_s = t.get("seconds") or (t["end_s"] - t["start_s"])
    time_err = ((seg.duration_s or 0.0) - ss.stopped_s) / truth_s - 1 if truth_s else 0.0
    dist_err = (seg.distance_used_m or 0.0) / t["distance_m"] - 1 if t.get("distance_m") else 0.0
    if seg.distance_basis == "measured" and abs(dist_err) > abs(time_err):
        return "distance"
    return "uncertainty"


def _detail(kind: str, ss, t: dict, pace: float, where) -> str:  # type: ignore[no-untyped-def]
    """One false alarm or miss: truth and measured pace, band, uncertainty, boundary errors."""
    from workoutcheck.score.uncertainty import recording_interval

    activity, name, quirk, found, _ = where
    seg = ss.segment
    fast, slow = ss.band
    judged = ss.judged_pace_s_per_km or float("nan")
    ds = seg.start_s - t["start_s"] if t.get("start_s") is not None else float("nan")
    de = seg.end_s - t["end_s"] if t.get("end_s") is not None else float("nan")
    dt = recording_interval(activity, seg.start_s), recording_interval(activity, seg.end_s)
    cause = _cause(ss, t, ds, de, dt)
    where[4]["causes"].append(f"{kind} {cause}")
    return (
        f"{kind:4} [{cause}] {name} rep {seg.rep}: truth {pace:.1f} measured {judged:.1f} "
        f"(err {100 * (judged / pace - 1):+.1f}%) band {fast:.1f}-{slow:.1f} "
        f"u {ss.pace_uncertainty_pct or 0:.1f}% {ss.verdict.value}; "
        f"bounds {ds:+.1f}/{de:+.1f} s, dist truth {t.get('distance_m') or 0:.0f} "
        f"meas {seg.distance_m or 0:.0f} used {seg.distance_used_m or 0:.0f} ({seg.distance_basis}), "
        f"stopped {ss.stopped_s:.0f} s, dt {dt[0]:.0f}/{dt[1]:.0f} s, lag {found.lag_s:.1f} s, "
        f"laps {'used' if found.laps_used else 'no'}, {activity.distance_source}; {quirk}"
    )


def _rate(flags: list) -> str:
    return f"{sum(flags)}/{len(flags)} ({100 * sum(flags) / len(flags):.1f}%)" if flags else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a threshold other than the README's default (as check --set)",
    )
    ap.add_argument(
        "--details", action="store_true", help="list every false alarm and miss, per rep"
    )
    args = ap.parse_args(argv)
    th = with_overrides(Thresholds(), args.set)
    cases = generated_cases(args.folders or [ROOT / "sample_files"]) + real_cases(args.real)
    for name, s in evaluate(cases, th).items():
        print(f"== {name}")
        print(f"  rep pace false alarms (true pace in band, called off):   {_rate(s['on_target'])}")
        print(
            f"  rep pace misses (true pace > 2 tolerances off, on target): {_rate(s['off_2tol'])}"
        )
        print(
            f"    (and where the file cannot tell, the band's edge within its uncertainty: "
            f"{_rate(s['off_2tol_unjudged'])})"
        )
        print(f"  true pace within the stated uncertainty:                 {_rate(s['covered'])}")
        if s["u"]:
            print(
                f"  uncertainty median {np.median(s['u']):.2f}%, p90 {np.percentile(s['u'], 90):.2f}%; "
                f"pace error median {np.median(s['err']):.2f}%, p90 {np.percentile(s['err'], 90):.2f}%; "
                f"borderline {_rate(s['borderline'])}"
            )
        print(
            f"  start_too_fast false alarms / misses: {_rate(s['start_clean'])} / {_rate(s['start_bad'])}"
            f" (within the noise: {_rate(s['start_bad_unjudged'])})"
        )
        print(
            f"  even_effort false alarms / misses:    {_rate(s['even_clean'])} / {_rate(s['even_bad'])}"
            f" (within the noise: {_rate(s['even_bad_unjudged'])})"
        )
        print(
            f"  fade false alarms / misses:           {_rate(s['fade_clean'])} / {_rate(s['fade_bad'])}"
            f" (within the noise: {_rate(s['fade_bad_unjudged'])})"
        )
        if s["causes"]:
            counts = ", ".join(f"{k}: {v}" for k, v in sorted(Counter(s["causes"]).items()))
            print(f"  false alarms and misses by cause: {counts}")
        if args.details:
            for line in s["details"]:
                print("    " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
