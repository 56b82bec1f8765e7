"""Do the quirks look like the real files? ``python -m samplegen.validate [CORPUS_INTERVALS_DIR]``

Measures the same figures on generated files and on the corpus's real interval files
(``../shared/corpus/intervals/`` by default, read in place): how far the speed field trails
the distance's rate, how the records are spaced, how fast the distance rate falls after a rep
ends, how long the speed field disagrees with the distance (freezes), and how far the two
disagree over a minute's running (a distance measured from GPS fixes carries their error).
The measures are plain functions so the tests pin the generated side without the corpus.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from samplegen.build import SampleSpec, simulate_sample
from samplegen.geo import haversine_m
from samplegen.quirks import Quirks
from samplegen.routes import PolylineRoute, TrackRoute
from samplegen.runner import Runner
from samplegen.session import Block, interval_session
from samplegen.watch import LapSettings, WatchSettings

CORPUS = (
    Path(
        os.environ.get(
            "WORKOUTCHECK_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"
        )
    )
    / "intervals"
)


def _grid(t, x):
    g = np.arange(float(t[0]), float(t[-1]) + 0.5)
    return g, np.interp(g, t, x)


def speed_lag_s(t, speed, distance, max_lag: int = 30) -> float:
    """Delay (s) at which the speed field best matches the distance's rate: the peak of their
    correlation on a 1 s grid, refined between seconds by a parabola."""
    t = np.asarray(t, float)
    _g, d = _grid(t, np.asarray(distance, float))
    _, v = _grid(t, np.asarray(speed, float))
    rate = np.gradient(d)
    lags = np.arange(-5, max_lag + 1)
    cc = np.array(
        [
            np.corrcoef(rate[: len(rate) - L], v[L:])[0, 1]
            if L >= 0
            else np.corrcoef(rate[-L:], v[: len(v) + L])[0, 1]
            for L in lags
        ]
    )
    k = int(np.argmax(cc))
    if 0 < k < len(cc) - 1:
        a, b, c = cc[k - 1], cc[k], cc[k + 1]
        den = a - 2 * b + c
        return float(lags[k] + (0.5 * (a - c) / den if den else 0.0))
    return float(lags[k])


def record_gaps(t, speed) -> dict:
    """Spacing of the records (s): percentiles, and the median by what the runner was doing."""
    t, v = np.asarray(t, float), np.asarray(speed, float)
    gap = np.diff(t)
    vv = v[:-1]
    out = {
        "p10": float(np.percentile(gap, 10)),
        "median": float(np.median(gap)),
        "p90": float(np.percentile(gap, 90)),
    }
    for name, m in (("fast", vv > 4.0), ("jog", (vv > 1.5) & (vv <= 4.0)), ("still", vv <= 1.5)):
        out[f"median_{name}"] = float(np.median(gap[m])) if m.any() else None
    return out


def slowdown_s(t, distance, ends, window: float = 20.0) -> float:
    """Median time (s) from a rep's end until the distance rate is halfway down from the rep's
    speed to the speed 10-20 s later: how long the runner takes to slow after the line."""
    g, d = _grid(np.asarray(t, float), np.asarray(distance, float))
    rate = np.gradient(d)
    out = []
    for e in ends:
        i = int(round(e - g[0]))
        if i - 10 < 0 or i + int(window) >= len(rate):
            continue
        before, after = (
            float(np.median(rate[i - 10 : i - 2])),
            float(np.median(rate[i + 10 : i + 20])),
        )
        if before - after < 1.0:
            continue
        half = (before + after) / 2
        below = np.flatnonzero(rate[i : i + int(window)] < half)
        if len(below):
            out.append(float(below[0]))
    return float(np.median(out)) if out else float("nan")


def lap_in_change_s(t, distance, spans, window: float = 30.0) -> dict:
    """Where the laps sit in the distance's change of pace: the median of (lap - onset of the
    change), seconds, over the rep starts and over the rep ends of ``spans`` ((start, end)
    lap times). The change is fitted as the rep finder fits it (``workoutcheck.segment.onset``:
    a constant speed, a ramp, another constant speed) within ``window`` s of the lap and no
    further than halfway to the next one."""
    from workoutcheck.segment.onset import fit_change

    t, d = np.asarray(t, float), np.asarray(distance, float)
    marks = [float(t[0])] + [float(x) for span in spans for x in span] + [float(t[-1])]
    out: dict[str, list[float]] = {"start": [], "end": []}
    for i in range(1, len(marks) - 1):
        b = marks[i]
        lo = max(b - window, 0.5 * (marks[i - 1] + b))
        hi = min(b + window, 0.5 * (b + marks[i + 1]))
        found = fit_change(t, d, b, lo, hi)
        if found is not None:
            out["start" if i % 2 else "end"].append(b - found[0])
    return {k: float(np.median(v)) if v else float("nan") for k, v in out.items()}


def _lap_spans(rec, truth: dict) -> list[tuple[float, float]]:
    """The generated laps nearest each rep's true start and end (within 10 s; else the truth)."""
    edges = np.array([lap.start_s for lap in rec.laps] + [lap.end_s for lap in rec.laps])

    def near(x: float) -> float:
        if len(edges) == 0 or np.min(np.abs(edges - x)) > 10.0:
            return x
        return float(edges[np.argmin(np.abs(edges - x))])

    reps = [s for s in truth["segments"] if s["kind"] == "rep"]
    return [(near(s["start_s"]), near(s["end_s"])) for s in reps]


def disagreement_s(t, speed, distance) -> dict:
    """Seconds in which the speed field says running while the distance stands (> 3 vs < 1 m/s)
    and the other way round: the mark of a frozen speed field."""
    t = np.asarray(t, float)
    _g, d = _grid(t, np.asarray(distance, float))
    _, v = _grid(t, np.asarray(speed, float))
    rate = np.gradient(d)
    return {
        "speed_high_distance_still_s": int(((v > 3) & (rate < 1)).sum()),
        "speed_still_distance_fast_s": int(((v < 1) & (rate > 4)).sum()),
    }


def distance_noise_pct(t, speed, distance, window: int = 60) -> float:
    """How far the distance and the speed field (shifted by its lag) disagree over each
    ``window`` seconds of running: the robust spread (%) of the one's metres against the
    other's, less their median ratio. A calibrated 1 Hz distance reads under 1%; one measured
    from GPS fixes reads what the fixes' error gives over a minute."""
    t = np.asarray(t, float)
    g, d = _grid(t, np.asarray(distance, float))
    _, v = _grid(t, np.asarray(speed, float))
    lag = max(speed_lag_s(t, speed, distance), 0.0)
    v = np.interp(g + lag, g, v)
    by_speed = np.concatenate([[0.0], np.cumsum((v[1:] + v[:-1]) / 2)])
    a = np.arange(0, len(g) - window, window // 2)
    metres, ran = d[a + window] - d[a], by_speed[a + window] - by_speed[a]
    keep = metres > 2.0 * window
    if keep.sum() < 5:
        return float("nan")
    ratio = ran[keep] / metres[keep]
    return float(1.4826 * np.median(np.abs(ratio - np.median(ratio))) * 100)


def fix_scatter_mps(t, lat, lon, window: int = 9) -> float:
    """How the speed from one GPS fix to the next scatters (m/s, robust) about its running
    median over ``window`` fixes while running (median above 2.2 m/s): how smoothly the fixes
    move from second to second. The corpus's FIT files read 0.05-0.35 m/s (median 0.17);
    an unfiltered error of a few metres reads 0.7-1.2 m/s at 1 Hz."""
    t, lat, lon = (np.asarray(x, float) for x in (t, lat, lon))
    ok = np.isfinite(lat) & np.isfinite(lon)
    t, lat, lon = t[ok], lat[ok], lon[ok]
    dt = np.diff(t)
    steps = haversine_m(lat, lon)
    keep = (dt > 0) & (dt <= 8)
    v = steps[keep] / dt[keep]
    if len(v) < 4 * window:
        return float("nan")
    half = window // 2
    padded = np.pad(v, half, mode="edge")
    med = np.median(np.lib.stride_tricks.sliding_window_view(padded, window), axis=1)
    r = (v - med)[med > 2.2]
    if len(r) < window:
        return float("nan")
    return float(1.4826 * np.median(np.abs(r - np.median(r))))


def fr735_like(delay_s: float = 11.0, tau_s: float = 1.0, seed: int = 11) -> SampleSpec:
    """A time-lapped fartlek from a structured workout, 1 s records, the speed field trailing a
    right distance (the corpus's Forerunner 735XT file)."""
    reps = [60, 45, 60, 120, 90, 75]
    recs = [105, 90, 150, 150, 150, 105]
    s = interval_session(
        "wu 10min @ 5:05/km; "
        + ", ".join(f"{a}s @ 3:55/km, {b}s jog" for a, b in zip(reps, recs, strict=False))
        + "; cd 10min @ 5:05/km",
        [Block(duration_s=a, pace_s_per_km=235) for a in reps],
        [Block(duration_s=b, pace_s_per_km=310, style="jog") for b in recs],
        warmup=Block(duration_s=600, pace_s_per_km=305),
        cooldown=Block(duration_s=600, pace_s_per_km=305),
        distinct_steps=True,
    )
    return SampleSpec(
        "fr735_like",
        s,
        Runner("fr735", ramp_align="line"),
        PolylineRoute("park loop", 51.5, -0.1, loop=True, length_m=2500.0),
        WatchSettings(
            recording="1s",
            laps=LapSettings("workout"),
            speed_tau_s=tau_s,
            quirks=Quirks(speed_delay_s=delay_s, distance_basis="true", workout_close="device"),
        ),
        datetime(2026, 3, 3, 18, 0, tzinfo=UTC),
        ("fit",),
        seed=seed,
    )


def fr235_like(freeze: bool = True, seed: int = 12) -> SampleSpec:
    """6x800m on a track with 2 min standing rests and manual presses at the line, sparse
    records (the corpus's Forerunner 235 files), optionally with the speed field freezing."""
    s = interval_session(
        "6x800m @ 3:10/km, 2min rest",
        [Block(distance_m=800, pace_s_per_km=190)] * 6,
        Block(duration_s=120, style="stand"),
        warmup=Block(duration_s=900, pace_s_per_km=300),
        cooldown=Block(duration_s=600, pace_s_per_km=310),
    )
    return SampleSpec(
        "fr235_like",
        s,
        Runner("fr235", vo2_speed_mps=5.6, ramp_align="line"),
        TrackRoute("track", -43.5, 172.6),
        WatchSettings(
            recording="sparse",
            laps=LapSettings("manual", press_delay_s=(0.0, 1.5)),
            speed_tau_s=4.0,
            quirks=Quirks(
                distance_basis="true", freeze=freeze, freeze_prob=0.5, odd_press_prob=0.15
            ),
        ),
        datetime(2026, 3, 4, 18, 0, tzinfo=UTC),
        ("fit",),
        seed=seed,
    )


def _realistic(spec: SampleSpec) -> SampleSpec:
    """``spec`` with the distance smoothed over 4 s and the runner easing 0.5-2.5 s into the
    line, as the committed samples and the realistic stress sets are made."""
    q = replace(spec.watch.quirks or Quirks(distance_basis="true"), distance_smooth_s=4.0)
    return replace(
        spec, watch=replace(spec.watch, quirks=q), runner=replace(spec.runner, ease_s=(0.5, 2.5))
    )


def _rep_ends(truth: dict) -> list[float]:
    return [s["end_s"] for s in truth["segments"] if s["kind"] == "rep"]


def _generated(spec: SampleSpec) -> dict:
    _, rec, truth = simulate_sample(spec)
    return {
        "lag_s": speed_lag_s(rec.t, rec.speed, rec.distance),
        "gaps": record_gaps(rec.t, rec.speed),
        "slowdown_s": slowdown_s(rec.t, rec.distance, _rep_ends(truth)),
        "lap_in_change_s": lap_in_change_s(rec.t, rec.distance, _lap_spans(rec, truth)),
        **disagreement_s(rec.t, rec.speed, rec.distance),
        "noise_pct": distance_noise_pct(rec.t, rec.speed, rec.distance),
        "fix_scatter_mps": fix_scatter_mps(rec.t, rec.lat, rec.lon),
    }


def _real(path: Path, case: dict | None) -> dict:
    from workoutcheck.ingest import load  # only for reading the real files

    a = load(path)
    ends = [e for _, e in case["truth"]] if case else []
    return {
        "lag_s": speed_lag_s(a.t, a.speed, a.distance),
        "gaps": record_gaps(a.t, a.speed),
        "slowdown_s": slowdown_s(a.t, a.distance, ends),
        "lap_in_change_s": lap_in_change_s(a.t, a.distance, case["truth"] if case else []),
        **disagreement_s(a.t, a.speed, a.distance),
        "noise_pct": distance_noise_pct(a.t, a.speed, a.distance),
        "fix_scatter_mps": (
            fix_scatter_mps(a.t, a.lat, a.lon) if a.has_positions else float("nan")
        ),
    }


def _gps_fixes(spec: SampleSpec) -> SampleSpec:
    """``spec`` with the watch's distance measured from its own GPS fixes."""
    q = replace(spec.watch.quirks or Quirks(), distance_basis="gps")
    return replace(spec, watch=replace(spec.watch, quirks=q))


def _filtered(spec: SampleSpec) -> SampleSpec:
    """``spec`` with its GPS chipset filtering its fixes' error over 4 s."""
    return replace(spec, watch=replace(spec.watch, gps_white_m=0.1, gps_filter_s=4.0))


def _row(name: str, m: dict) -> str:
    g = m["gaps"]
    fmt = lambda x: "  -" if x is None else f"{x:3.0f}"  # noqa: E731
    return (
        f"{name:36s} lag {m['lag_s']:5.1f} s  gaps p10/med/p90 "
        f"{g['p10']:.0f}/{g['median']:.0f}/{g['p90']:.0f} s (fast {fmt(g['median_fast'])} jog {fmt(g['median_jog'])} still "
        f"{fmt(g['median_still'])})  slowdown {m['slowdown_s']:4.1f} s  "
        f"speed-high/dist-still {m['speed_high_distance_still_s']:3d} s  "
        f"speed-still/dist-fast {m['speed_still_distance_fast_s']:3d} s  "
        f"lap in change: starts {m['lap_in_change_s']['start']:+4.1f} s, "
        f"ends {m['lap_in_change_s']['end']:+4.1f} s  "
        f"distance vs speed field {m['noise_pct']:.1f}%  "
        f"fix-to-fix scatter {m['fix_scatter_mps']:.2f} m/s"
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    corpus = Path(argv[0]) if argv else CORPUS
    print("generated:")
    for name, spec in (
        ("FR735-like fartlek (delay 11 + tau 1)", fr735_like()),
        ("FR235-like 6x800m, sparse", fr235_like(freeze=False)),
        ("FR235-like 6x800m, sparse, freezes", fr235_like()),
        ("FR735-like, smoothed 4 s, easing", _realistic(fr735_like())),
        ("FR235-like, smoothed 4 s, easing", _realistic(fr235_like(freeze=False))),
        ("FR735-like, distance from GPS fixes", _realistic(_gps_fixes(fr735_like()))),
        ("FR235-like, distance from GPS fixes", _realistic(_gps_fixes(fr235_like(freeze=False)))),
        ("FR735-like, fixes filtered 4 s", _filtered(_realistic(_gps_fixes(fr735_like())))),
    ):
        print("  " + _row(name, _generated(spec)))
    if not corpus.is_dir():
        print(f"real: {corpus} not found, skipped")
        return 0
    cases = {c["file"]: c for c in json.loads((corpus / "cases.json").read_text())}
    print("real:")
    for path in sorted(corpus.glob("*.fit")):
        print("  " + _row(path.name, _real(path, cases.get(path.name))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
