"""A varied, seeded stress set for rep finding: interval sessions unlike the committed samples.

Run: python benchmarks/stress_set.py OUTDIR [--count N] [--seed S] [--easy | --hard]
then: python benchmarks/segmentation.py OUTDIR

Realism (default ``real``): each session gets, at random, what real watches and runners do
(``make_real``): a speed field that trails a right distance by 0-20 s (Forerunner 735XT), a
distance that does not lag (Suunto), a distance that lags with the speed, or Forerunner 235
freezes (a watch's own distance bending 1.5-3 s before the laps, as the real files' does:
``Quirks.distance_smooth_s``), that distance for a share of the sessions measured from the
watch's own GPS fixes (``distance_basis="gps"``: a rep's distance 1-2% off on average, where
the well-calibrated 1 Hz distance of the first sets was within 0.3%, easier than any real
watch); a speed field quicker to take up a rep than to let it go (``speed_fall_tau_s``);
sparse 3-8 s records; 1-5 m GPS noise, wandering as far but moving smoothly from one fix to the
next as a chipset's filter leaves it (``gps_filter_s``), with spikes and drifts; presses at the line
(the odd one 2-4 s off) or workout laps closed by the watch's own distance; accelerations of
2-5 s from the first stride and 5-10 s slowdowns after the line (truth boundaries at the first
stride and the line); a long stand, an irregular cool-down or nothing after the last rep;
short track reps from GPX; road routes that bend every few hundred metres at most 45 degrees
off their line (``_road_meander``). ``--hard`` applies them all more often and adds sessions
shaped like the corpus's real ones (8x300m, 6x200m, 2x(4x400, 4x200) with 30 s stands, a time-lapped
fartlek with recoveries barely slower than the warm-up, a 6x400m structured workout, a
progressive 5x1000m). ``--easy`` rebuilds the first, well-behaved sets byte for byte.

Each session is a coach's plan (text, parsed and resolved by workoutcheck.plan so the truth's
rep numbering, lengths and target paces are the parser's own) run by a random athlete
(3:00-6:30/km rep pace) with random habits and faults, recorded by a random watch, written by
samplegen (FIT / GPX / GPX.gz / TCX + STEM.truth.json). Conventions beyond samplegen's
catalogue: steps the plan does not mention have ``step`` None: an unplanned warm-up is
``warmup`` segments around ``extra`` strides, an unplanned cool-down a ``cooldown``, an extra
rep an ``extra`` segment followed by a recovery with no rep; an unprescribed recovery between
recovery-less repeats is a ``recovery`` with ``step`` None. A missed rep follows
``interval_session``: replaced by recovery (jogged, or a longer rest), merged with the
recoveries either side, numbered after the previous rep, listed in ``missed_reps``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # samplegen lives at the repo root
from samplegen import (  # noqa: E402
    Fault,
    LapSettings,
    PolylineRoute,
    Quirks,
    Runner,
    SampleSpec,
    Segment,
    Session,
    TrackRoute,
    WatchSettings,
    build_sample,
)
from samplegen.hills import effort_metres
from workoutcheck.plan import Repeat, parse_plan, resolve  # noqa: E402
from workoutcheck.plan.profile import profile_from_dict  # noqa: E402

PLACES = [
    ("Leeds", 53.80, -1.55),
    ("Lyon", 45.76, 4.84),
    ("Boston", 42.36, -71.06),
    ("Nairobi", -1.29, 36.82),
    ("Sydney", -33.87, 151.21),
    ("Oslo", 59.91, 10.75),
    ("Denver", 39.74, -104.99),
    ("Tokyo", 35.68, 139.69),
]
FORMATS = [
    ("fit",),
    ("gpx",),
    ("gpx.gz",),
    ("tcx",),
    ("fit", "gpx"),
    ("fit", "tcx"),
    ("fit", "gpx.gz"),
]
TYPES = [
    "distance",
    "time",
    "ladder",
    "recoveryless",
    "tempo",
    "race",
    "fartlek",
    "progressive",
    "sets",
    "distance",
    "time",
    "equal",
]


def mmss(s: float) -> str:
    s = int(round(s))
    return f"{s // 60}:{s % 60:02d}"


def dist_txt(rng, d: float) -> str:
    return f"{d / 1000:g}km" if d >= 1000 and d % 100 == 0 and rng.random() < 0.4 else f"{d:g}m"


def dur_txt(rng, s: float) -> str:
    if s < 60 or (s < 120 and s % 60):
        return f"{s:g}s"
    if s % 60 == 0:
        return f"{s // 60:g}min"
    return str(rng.choice([mmss(s), f"{s // 60:g}min {s % 60:g}s"]))


def effort_pace(L: float, secs: float) -> float:
    """The athlete's sensible pace for an effort of ``secs`` (L = their 5K pace)."""
    f = np.interp(
        np.log(max(secs, 20)),
        np.log([30, 80, 200, 400, 900, 1800, 3600]),
        [0.86, 0.90, 0.95, 0.99, 1.02, 1.07, 1.12],
    )
    return float(np.clip(L * f, 180, 390))


def target_txt(rng, d, secs, p, allow_race=True):
    """How a coach writes the target of a rep of distance d (or None) lasting ``secs``."""
    r = rng.random()
    if allow_race and r < 0.15:
        return str(rng.choice(["@ 5K pace", "@ 10K pace", "@ 3K pace", "@ mile pace"])), True
    if d and d <= 1600 and r < 0.5:
        t = d * p / 1000
        t = f"{t:.0f}s" if t < 60 or (t < 100 and rng.random() < 0.6) else mmss(t)
        return f"{rng.choice(['@', 'in'])} {t}", False
    if r < 0.6:
        return f"@ {mmss(5 * round(p * 1.609344 / 5))}/mi", False
    return f"@ {mmss(5 * round(p / 5))}/km", False


def recovery_txt(rng, L, d=None, secs=60.0, equal_ok=True) -> str:
    r = rng.random()
    if equal_ok and r < 0.12:
        return "equal rest"
    if d is not None and r < 0.5:
        return f"{int(np.clip(round(d / 2 / 100) * 100, 100, 800))}m jog"
    t = int(np.clip(15 * round(rng.uniform(0.5, 1.2) * max(secs, 60) / 15), 45, 240))
    return f"{dur_txt(rng, t)} {rng.choice(['jog', 'jog', 'easy', 'rest', 'walk', 'recovery'])}"


def rep_txt(rng, n, step, rec) -> str:
    x = rng.choice(["x", "x", " x ", "×"])
    return f"{n}{x}({step}, {rec})" if rng.random() < 0.4 else f"{n}{x}{step}, {rec}"


def body(rng, kind: str, L: float):
    """-> (plan body text, short tag, uses a race profile, reps are the same repeated effort)."""
    if kind in ("distance", "equal", "progressive"):
        d = int(rng.choice([200, 300, 400, 500, 600, 800, 1000, 1200, 1600, 2000]))
        n = int(np.clip(round(rng.uniform(2500, 8000) / d), 3, 12))
        p = effort_pace(L, d * L / 1000 * 0.95)
        if kind == "progressive":
            p0 = min(p + 5 * rng.integers(2, 6), 390)
            tgt, prof = f"@ {mmss(p0)}/km -> {mmss(p)}/km", False
            if rng.random() < 0.3:
                tgt, prof = "@ 10K pace -> 5K pace", True
        else:
            tgt, prof = target_txt(rng, d, d * p / 1000, p)
        rec = "equal rest" if kind == "equal" else recovery_txt(rng, L, d, d * p / 1000)
        return rep_txt(rng, n, f"{dist_txt(rng, d)} {tgt}", rec), f"{n}x{d}m", prof, True
    if kind == "time":
        t = int(rng.choice([30, 45, 60, 90, 120, 180, 240, 300, 360, 480]))
        n = int(np.clip(round(rng.uniform(360, 1500) / t), 3, 12))
        p = effort_pace(L, t)
        tgt, prof = ("hard", False) if rng.random() < 0.15 else target_txt(rng, None, t, p)
        rec = recovery_txt(rng, L, rng.choice([None, 200, 400, 800]), t)
        return rep_txt(rng, n, f"{dur_txt(rng, t)} {tgt}", rec), f"{n}x{t}s", prof, True
    if kind == "ladder":
        seq = [
            [400, 800, 1200, 800, 400],
            [200, 400, 600, 800, 600, 400, 200],
            [1000, 800, 600, 400, 200],
            [300, 600, 900, 1200],
            [1600, 1200, 800, 400],
        ][rng.integers(5)]
        parts, by_time = [], rng.random() < 0.4
        for i, d in enumerate(seq):
            p = effort_pace(L, d * L / 1000 * 0.95)
            parts.append(f"{d}m {target_txt(rng, d, d * p / 1000, p, allow_race=False)[0]}")
            if i < len(seq) - 1:
                parts.append(
                    f"{dur_txt(rng, int(np.clip(15 * round(d * p / 1000 / 15), 45, 240)))} jog"
                    if by_time
                    else f"{max(100, d // 2)}m jog"
                )
        return ", ".join(parts), "ladder", False, False
    if kind == "recoveryless":
        t = rng.choice(["30s", "45s", "20s", "150m", "200m"])
        n = int(rng.integers(4, 9))
        p = effort_pace(L, 30)
        main = ""
        if rng.random() < 0.5:
            d = int(rng.choice([800, 1000, 1200]))
            q = effort_pace(L, d * L / 1000)
            main = (
                rep_txt(
                    rng,
                    int(rng.integers(3, 6)),
                    f"{d}m @ {mmss(5 * round(q / 5))}/km",
                    recovery_txt(rng, L, d, d * q / 1000, equal_ok=False),
                )
                + "; "
            )
        return f"{main}{n}x{t} @ {mmss(5 * round(p / 5))}/km", f"{n}x{t}-norec", False, bool(main)
    if kind == "tempo":
        p = 5 * round(L * rng.uniform(1.04, 1.12) / 5)
        if rng.random() < 0.5:
            return f"{rng.choice([15, 20, 25, 30])}min @ {mmss(p)}/km", "tempo", False, False
        return f"{rng.choice([4, 5, 6, 8])}km @ {mmss(p)}/km", "tempo", False, False
    if kind == "race":
        return (
            str(rng.choice(["5K race", "10K race", "1500m race", "3000m race", "1 mile race"])),
            "race",
            True,
            False,
        )
    if kind == "fartlek":
        if rng.random() < 0.5:
            a, b = rng.choice([[60, 60], [120, 60], [90, 45], [180, 90], [45, 75]])
            n = int(rng.integers(6, 11))
            return (
                (
                    f"{n}x({dur_txt(rng, a)} {rng.choice(['hard', 'fast'])}, {dur_txt(rng, b)} "
                    f"{rng.choice(['easy', 'float', 'jog'])})"
                ),
                f"fartlek{n}",
                False,
                True,
            )
        seq = (
            [(180, 120), (120, 60), (60, 60), (30, 30)]
            if rng.random() < 0.5
            else [(60, 60), (120, 60), (180, 90), (120, 60), (60, 0)]
        )
        parts = [
            f"{dur_txt(rng, a)} hard" + (f", {dur_txt(rng, b)} easy" if b else "") for a, b in seq
        ]
        return ", ".join(parts), "fartlek", False, False
    # sets
    d = int(rng.choice([200, 300, 400]))
    p = effort_pace(L, d * L / 1000 * 0.95)
    tgt = target_txt(rng, d, d * p / 1000, p, allow_race=False)[0]
    s, n = int(rng.integers(2, 4)), int(rng.integers(3, 6))
    return (
        (
            f"{s}x({n}x{d}m {tgt}, {rng.choice([100, 200])}m jog; "
            f"{rng.choice(['3min', '4min', '5min', '400m'])} {rng.choice(['rest', 'jog', 'walk'])})"
        ),
        f"{s}x{n}x{d}m",
        False,
        True,
    )


REAL_TYPES = [
    "real_8x300",
    "real_6x200",
    "real_sets",
    "real_fartlek",
    "real_workout400",
    "real_prog1000",
]


def real_body(rng, kind: str, L: float):
    """Sessions shaped like the corpus's real ones (intervals/ in the shared corpus):
    -> (plan body, tag, wants: own_wrap (the plan text is whole), rest style, track, laps)."""
    E = L * rng.uniform(1.28, 1.42)  # the athlete's warm-up pace
    if kind == "real_8x300":
        return (
            f"8x300m @ {mmss(L * rng.uniform(0.78, 0.84))}/km, 2min jog",
            "8x300m",
            {"track": True, "laps": "manual"},
        )
    if kind == "real_6x200":
        return (
            f"6x200m @ {mmss(L * rng.uniform(0.72, 0.78))}/km, 2min rest",
            "6x200m",
            {"track": True, "laps": "manual", "rest": "stand"},
        )
    if kind == "real_sets":
        half = (
            f"4x400m @ {mmss(L * 0.86)}/km, 30s rest; 3min rest; "
            f"4x200m @ {mmss(L * 0.80)}/km, 30s rest"
        )
        return (
            f"{half}; 10min rest; {half}",
            "2x4x400-4x200",
            {"track": True, "laps": "manual", "rest": "stand"},
        )
    if kind == "real_fartlek":
        parts = []
        for _k in range(int(rng.integers(5, 8))):
            a, b = int(rng.choice([45, 60, 75, 90, 120])), int(rng.choice([90, 105, 150]))
            parts.append(f"{a}s @ {mmss(L * rng.uniform(1.02, 1.08))}/km, {b}s jog")
        plan = (
            f"wu {int(rng.integers(8, 16))}min @ {mmss(E)}/km; "
            + ", ".join(parts)
            + f"; cd {int(rng.integers(6, 12))}min @ {mmss(E)}/km"
        )
        return plan, "fartlek-time", {"own_wrap": True, "laps": "workout", "rec_like_wu": True}
    if kind == "real_workout400":
        plan = (
            f"wu {int(rng.integers(10, 21))}min @ {mmss(E)}/km; "
            f"6x(400m @ {mmss(L * rng.uniform(0.86, 0.95))}/km, 200m jog); "
            f"cd {int(rng.integers(5, 10))}min @ {mmss(E * 1.08)}/km"
        )
        return plan, "6x400m-wkt", {"own_wrap": True, "laps": "workout", "track": True}
    # progressive 5 x 1000 m: the first rep just quicker than the warm-up, the last at 5K pace
    paces = np.linspace(E * rng.uniform(0.88, 0.93), L * 0.98, 5)
    reps = ", 400m jog, ".join(f"1000m @ {mmss(p)}/km" for p in paces)
    plan = f"wu 15min @ {mmss(E)}/km; {reps}; cd 10min @ {mmss(E * 1.03)}/km"
    return plan, "prog5x1000m", {"own_wrap": True, "track": True}


def wrap(rng, text: str, L: float, untargeted: bool):
    """Warm-up / cool-down as written (or not): -> plan text, unplanned wu?, unplanned cd?"""
    easy = 5 * round(L * rng.uniform(1.3, 1.5) / 5)
    r, wu = rng.random(), ""
    if r < 0.65:
        wu = str(
            rng.choice(
                [
                    f"wu {rng.integers(10, 21)}min",
                    f"warm-up {rng.integers(2, 4)}km",
                    f"wu {rng.integers(10, 21)}min",
                ]
                + ([] if untargeted else [f"{rng.integers(10, 21)}min @ {mmss(easy)}/km"])
            )
        )
    r2, cd = rng.random(), ""
    if r2 < 0.6:
        cd = str(
            rng.choice(
                [
                    f"cd {rng.integers(5, 16)}min",
                    f"cool-down {rng.integers(1, 3)}km",
                    f"cd {rng.integers(5, 16)}min",
                ]
                + ([] if untargeted else [f"{rng.integers(5, 16)}min @ {mmss(easy + 10)}/km"])
            )
        )
    plan = "; ".join(x for x in (wu, text, cd) if x)
    return plan, (not wu) and r < 0.9, (not cd) and r2 < 0.8, bool(wu), bool(cd)


def run_segments(
    rng, rp, L: float, skip_optional: bool, rest_style: str | None = None
) -> list[Segment]:
    """The resolved plan as this athlete runs it (steps numbered by their place in the text);
    ``rest_style`` fixes how a timed rest is run (the real track sessions stand)."""
    spans = sorted({s.step.span for s in rp.steps if not s.implicit})
    jog, easy = L * rng.uniform(1.3, 1.8), L * rng.uniform(1.25, 1.45)
    habit: dict = {}
    segs: list[Segment] = []
    last_rep = None
    for s in rp.steps:
        st = None if s.implicit else spans.index(s.step.span)
        ln = {"distance_m": s.distance_m} if s.distance_m else {"duration_s": s.duration_s}
        k = s.kind.value
        if k in ("warmup", "cooldown"):
            segs.append(
                Segment(k, (s.pace_s_per_km or easy) * rng.uniform(0.98, 1.04), step=st, **ln)
            )
        elif k in ("work", "race"):
            last_rep = s.rep
            p = s.pace_s_per_km or effort_pace(L, s.expected_s or 60) * rng.uniform(0.97, 1.03)
            if k == "race":
                if segs:
                    segs.append(
                        Segment(
                            "extra", None, duration_s=float(rng.integers(20, 90)), style="stand"
                        )
                    )  # on the start line
                p *= rng.uniform(0.99, 1.03)
            segs.append(Segment("rep", p, rep=s.rep, step=st, **ln))
        else:
            if s.optional and skip_optional and s is rp.steps[-1]:
                continue
            key = st if st is not None else "implicit"
            if key not in habit:
                sty = s.style.value if s.style else "jog"
                if s.implicit:
                    style = str(rng.choice(["jog", "walk", "stand"]))
                    habit[key] = (style, {"duration_s": float(15 * rng.integers(3, 9))})
                elif sty == "rest" and s.duration_s:
                    habit[key] = (
                        rest_style or str(rng.choice(["stand", "stand", "walk", "jog"])),
                        None,
                    )
                elif sty in ("rest", "walk"):
                    habit[key] = ("walk", None)
                else:
                    habit[key] = ("float" if sty == "float" else "jog", None)
            style, over = habit[key]
            pace = {
                "walk": rng.uniform(650, 850),
                "stand": None,
                "float": L * rng.uniform(1.12, 1.22),
                "jog": jog * rng.uniform(0.97, 1.03),
            }[style]
            segs.append(
                Segment(
                    "recovery",
                    pace,
                    rep=last_rep,
                    step=st,
                    style="jog" if style == "float" else style,
                    **(over or ln),
                )
            )
    return segs


def merge_recoveries(segs: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segs:
        p = out[-1] if out else None
        if (
            p is not None
            and p.kind == s.kind == "recovery"
            and p.style == s.style
            and p.pace_s_per_km == s.pace_s_per_km
            and (p.distance_m is None) == (s.distance_m is None)
        ):
            out[-1] = replace(
                p,
                distance_m=None if p.distance_m is None else p.distance_m + s.distance_m,
                duration_s=None if p.duration_s is None else p.duration_s + s.duration_s,
            )
        else:
            out.append(s)
    return out


def add_faults(rng, segs, reps_same: bool, notes: list[str]):
    """Pacing faults, a missed rep, an extra rep. -> (segments, missed reps)."""
    reps = [s.rep for s in segs if s.kind == "rep"]
    missed: tuple[int, ...] = ()
    for _ in range(int(rng.choice([0, 1, 1, 2]))):
        f = str(rng.choice(["off", "off", "fast", "missed", "extra"]))
        reps = [s.rep for s in segs if s.kind == "rep"]  # a missed rep is no longer one
        if f in ("off", "fast"):
            k = int(rng.choice(reps))
            i = next(j for j, s in enumerate(segs) if s.kind == "rep" and s.rep == k)
            if f == "off":
                a = float(rng.uniform(0.05, 0.12) * rng.choice([1, -1]))
                fl = Fault("off_pace", round(a, 3))
                notes.append(f"rep {k} {a * 100:+.0f}% pace")
            else:
                fl = Fault(
                    "fast_start",
                    round(float(rng.uniform(0.05, 0.12)), 3),
                    fraction=round(float(rng.uniform(0.2, 0.35)), 2),
                    net=round(float(rng.uniform(0, 0.02)), 3),
                )
                notes.append(f"rep {k} fast start")
            segs[i] = replace(segs[i], faults=segs[i].faults + (fl,))
        elif f == "missed" and len(reps) >= 4 and not missed and "extra rep" not in notes[-1:]:
            k = int(rng.choice(reps[1:-1]))
            i = next(j for j, s in enumerate(segs) if s.kind == "rep" and s.rep == k)
            if not (segs[i - 1].kind == segs[i + 1].kind == "recovery"):
                continue
            r, nxt = segs[i], segs[i + 1]
            if rng.random() < 0.5:
                new = [
                    Segment(
                        "recovery",
                        segs[i - 1].pace_s_per_km or 420.0,
                        distance_m=r.distance_m,
                        duration_s=r.duration_s,
                        rep=k - 1,
                        step=nxt.step,
                        style="jog",
                    )
                ]
                notes.append(f"rep {k} missed (jogged through)")
            else:
                new = [
                    Segment(
                        "recovery",
                        None,
                        duration_s=float(rng.integers(60, 180)),
                        rep=k - 1,
                        step=nxt.step,
                        style="stand",
                    )
                ]
                notes.append(f"rep {k} missed (skipped, longer rest)")
            segs = segs[:i] + new + [replace(nxt, rep=k - 1)] + segs[i + 2 :]
            segs = merge_recoveries(segs)
            missed = (k,)
        elif (
            f == "extra" and reps_same and len(reps) >= 3 and not missed
        ):  # missed + extra = unknowable
            j = max(i for i, s in enumerate(segs) if s.kind == "rep")
            last = segs[j]
            ex = replace(last, kind="extra", rep=None, step=None, faults=())
            recs = [s for s in segs[:j] if s.kind == "recovery" and s.rep is not None]
            if not recs:
                continue
            if j + 1 < len(segs) and segs[j + 1].kind == "recovery":
                ins = [ex, replace(segs[j + 1], rep=None, step=None)]
                segs = segs[: j + 2] + ins + segs[j + 2 :]
            else:
                segs = segs[: j + 1] + [replace(recs[-1], rep=last.rep), ex] + segs[j + 1 :]
            notes.append("extra rep")
            reps_same = False
    return segs, missed


MEANDER_MIN_M = 200.0  # a road or path bends every few hundred metres, not every few dozen


def _road_meander(shape: tuple[float, float, float], length_m: float) -> tuple[float, float, float]:
    """An out-and-back's meander (amplitude, wavelength, phase, relative to its length) as a
    road's: a wavelength of at least ``MEANDER_MIN_M`` and a heading that strays no more than
    about 45 degrees from the route's line (amplitude at most wavelength / 2 pi). Drawn as
    freely as a loop's harmonics, a route could be a comb of hairpins a few centimetres
    across, from which a watch recording every 5 s cut 10-25% of every rep (stress seed 23,
    a fartlek on the road as GPX)."""
    amp, wavelength, phase = shape
    wavelength = max(wavelength, MEANDER_MIN_M / length_m)
    return min(amp, wavelength / (2 * np.pi)), wavelength, phase


def make_spec(i: int, kind: str, seed: int, realism: str = "easy") -> tuple[SampleSpec, list[str]]:
    rng = np.random.default_rng(seed)
    L = float(rng.uniform(200, 370))  # 5K pace, s/km: rep paces land in 3:00-6:30/km
    want: dict = {}
    if kind in REAL_TYPES:
        text, tag, want = real_body(rng, kind, L)
        uses_profile, reps_same = False, kind in ("real_8x300", "real_6x200", "real_sets")
        if want.get("own_wrap"):
            plan, unplanned_wu, unplanned_cd, has_wu, has_cd = text, False, False, True, True
        else:
            plan, unplanned_wu, unplanned_cd, has_wu, has_cd = wrap(rng, text, L, False)
    else:
        text, tag, uses_profile, reps_same = body(rng, kind, L)
        untargeted = (
            "hard" in text or "fast" in text or kind == "race"
        )  # see report: race + "12min @ 7:00/km" = 2 reps
        plan, unplanned_wu, unplanned_cd, has_wu, has_cd = wrap(rng, text, L, untargeted)
    races = {"5K": mmss(L * 5)}
    if kind == "race":
        races.update(
            {
                "10K": mmss(L * 10.45),
                "1500m": mmss(L * 1.5 * 0.92),
                "3000m": mmss(L * 3 * 0.96),
                "mile": mmss(L * 1.609344 * 0.93),
            }
        )
    profile = races if uses_profile else None
    rp = resolve(
        parse_plan(plan),
        profile_from_dict({"races": profile}, source="stress", default_name="runner")
        if profile
        else None,
    )
    kinds = [s.kind.value for s in rp.steps]
    assert rp.reps and (kinds[0] == "warmup") == has_wu and (kinds[-1] == "cooldown") == has_cd, (
        plan
    )
    segs = run_segments(rng, rp, L, skip_optional=rng.random() < 0.3, rest_style=want.get("rest"))
    if want.get("rec_like_wu"):  # recoveries barely slower than the warm-up (the real fartlek)
        wu = next(s.pace_s_per_km for s in segs if s.kind == "warmup")
        segs = [
            replace(s, pace_s_per_km=wu * float(rng.uniform(1.0, 1.04)))
            if s.kind == "recovery" and s.style == "jog"
            else s
            for s in segs
        ]
    notes: list[str] = []
    easy = L * rng.uniform(1.3, 1.5)
    if unplanned_wu:
        pre = [Segment("warmup", easy, duration_s=float(rng.integers(600, 1200)))]
        for _ in range(4):
            pre += [
                Segment("extra", max(L * 0.85, 175.0), distance_m=float(rng.choice([80, 100]))),
                Segment("warmup", 750.0, duration_s=float(rng.integers(35, 70)), style="walk"),
            ]
        segs = pre + [Segment("warmup", easy, duration_s=float(rng.integers(60, 180)))] + segs
        notes.append("unplanned wu + 4 strides")
    if unplanned_cd:
        segs.append(Segment("cooldown", easy, duration_s=float(rng.integers(300, 900))))
        notes.append("unplanned cd")
    segs, missed = add_faults(rng, segs, reps_same and kind != "race", notes)
    stands = any(s.style == "stand" and s.kind == "recovery" for s in segs)
    auto_pause = stands and rng.random() < 0.6
    if auto_pause:
        notes.append("auto-pause in standing rests")
    simple = (
        all(s.step is not None for s in segs)
        and not missed
        and sum(isinstance(n, Repeat) for n in rp.plan.items) <= 1
        and not any(
            isinstance(b, Repeat) for n in rp.plan.items if isinstance(n, Repeat) for b in n.body
        )
    )
    modes = ["manual", "manual", "auto_distance", "none"] + (
        ["workout", "workout"] if simple else []
    )
    mode = str(rng.choice(modes))
    if want.get("laps") and (want["laps"] != "workout" or simple):
        mode = want["laps"]
    laps = LapSettings(mode)
    if mode == "manual":
        late = rng.random() < 0.4
        miss = tuple(sorted({int(x) for x in rng.integers(1, len(segs), rng.choice([0, 0, 1, 2]))}))
        laps = LapSettings("manual", press_delay_s=(1.0, 4.5) if late else (0.3, 2.0), missed=miss)
        notes.append(f"manual laps{' late' if late else ''}{f' missed at {miss}' if miss else ''}")
    else:
        notes.append(f"laps {mode}")
    track = all(r.distance_m and r.distance_m <= 3000 for r in rp.reps) and rng.random() < 0.7
    track = want.get("track", track)
    name, lat, lon = PLACES[rng.integers(len(PLACES))]
    lat, lon = lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05)
    if track:
        route = TrackRoute(
            f"{name} track",
            lat,
            lon,
            base_altitude_m=float(rng.uniform(0, 800)),
            heading_deg=float(rng.uniform(-90, 90)),
        )
    else:
        loop = bool(rng.random() < 0.6)
        base_alt, length_m, hill_m = (
            float(rng.uniform(0, 800)),
            float(rng.uniform(1500, 6000)),
            float(rng.uniform(0, 15)),
        )
        shape = (
            float(rng.uniform(0.05, 0.2)),
            float(rng.uniform(0.05, 0.4)),
            float(rng.uniform(0, 3)),
        )
        if not loop and realism != "easy":  # the easy sets stay byte for byte
            shape = _road_meander(shape, length_m)
        route = PolylineRoute(
            f"{name} {'loop' if loop else 'out-and-back'}",
            lat,
            lon,
            base_altitude_m=base_alt,
            loop=loop,
            length_m=length_m,
            hill_m=hill_m,
            shape=shape,
            heading_deg=float(rng.uniform(-180, 180)),
        )
    rec = str(rng.choice(["1s", "smart"]))
    watch = WatchSettings(
        recording=rec,
        gps_sigma_m=float(rng.uniform(1, 4)),
        gps_tau_s=float(rng.uniform(20, 60)),
        speed_tau_s=float(rng.uniform(1, 3)),
        auto_pause=auto_pause,
        laps=laps,
        utc_offset_s=int(rng.integers(-8, 10)) * 3600,
    )
    runner = Runner(
        f"athlete{i:02d}",
        ramp_align="centre",
        pace_sd=float(rng.uniform(0.004, 0.015)),
        wobble_sd=float(rng.uniform(0.008, 0.022)),
        fatigue=float(rng.uniform(0, 0.02)),
        hr_max=float(rng.integers(178, 200)),
        vo2_speed_mps=1000 / L * 1.1,
    )
    fmts = FORMATS[rng.integers(len(FORMATS))]
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
        days=int(rng.integers(0, 300)), seconds=int(rng.integers(5 * 3600, 20 * 3600))
    )
    stem = f"s{i:02d}_{tag.replace('.', '')}_{'track' if track else 'road'}"
    session = Session(plan, tuple(segs), missed_reps=missed, profile=profile)
    notes.insert(0, f"{rec}, gps {watch.gps_sigma_m:.1f} m, lag {watch.speed_tau_s:.1f} s")
    spec = SampleSpec(
        stem,
        session,
        runner,
        route,
        watch,
        start,
        fmts,
        seed=seed,
        description=f"stress set ({kind}): " + "; ".join(notes),
        extra={"stress_kind": kind, "stress_notes": notes},
    )
    if realism != "easy":
        spec = make_real(np.random.default_rng([seed, 11]), spec, L, hard=realism == "hard")
    return spec, spec.extra["stress_notes"]


CHANNELS = ("plain", "fr735", "suunto", "lagging", "fr235")


def real_tail(rng, segs: list[Segment], L: float, how: str) -> list[Segment]:
    """What follows the last effort: as planned, a long stand, an irregular cool-down, or
    nothing (the watch stopped a few seconds after the line). Unplanned: ``step`` None."""
    j = max(i for i, s in enumerate(segs) if s.kind in ("rep", "extra"))
    if how == "asis":
        return segs
    if how == "none":
        return segs[: j + 1] + [
            Segment("cooldown", None, duration_s=float(rng.integers(6, 13)), style="stand")
        ]
    if how == "stand":
        return segs[: j + 1] + [
            Segment("cooldown", None, duration_s=float(rng.integers(120, 600)), style="stand")
        ]
    tail, style = [], str(rng.choice(["walk", "jog"]))
    for _ in range(int(rng.integers(3, 6))):
        if style == "stand":
            tail.append(
                Segment("cooldown", None, duration_s=float(rng.integers(20, 120)), style="stand")
            )
        else:
            pace = rng.uniform(650, 850) if style == "walk" else L * rng.uniform(1.3, 1.9)
            tail.append(
                Segment(
                    "cooldown", float(pace), duration_s=float(rng.integers(30, 400)), style=style
                )
            )
        style = str(rng.choice([x for x in ("walk", "jog", "stand") if x != style]))
    return segs[: j + 1] + tail


# of the sessions whose watch's distance does not come from its speed field, the share whose
# distance is its own GPS fixes' path (samplegen.quirks ``distance_basis="gps"``), as real
# watches measure it; the rest keep the well-calibrated 1 Hz distance of the first sets
GPS_DISTANCE_SHARE = 0.9
GPS_DISTANCE_HARD = 1.0
# the fixes' own filter (s) and what white noise it leaves (m): at 1 Hz the fix-to-fix speed
# then scatters 0.19-0.36 m/s while running, the upper half of the corpus's 0.05-0.35 m/s
GPS_FILTER_S = (2.5, 6.0)
GPS_WHITE_M = 0.1
# how much longer (s) the speed filter takes to let go as the runner slows than to take up a
# rep's first strides: the corpus's speed fields, lined up with their distance, rise 1.6 s
# early at starts and fall 0.2 s late at ends (median, 7 lapped files, 120 boundaries)
SPEED_FALL_EXTRA_S = (2.5, 5.0)


def make_real(rng, spec: SampleSpec, L: float, hard: bool) -> SampleSpec:
    """Layer what real watches and runners do (samplegen.quirks, the runner's line rule) over a
    stress session; every choice is noted in the truth (``stress_notes``, ``stress_realism``)."""
    segs = list(spec.session.segments)
    notes = list(spec.extra["stress_notes"])
    w = spec.watch
    stops = any(s.style == "stand" and (s.duration_s or 0) >= 20 for s in segs[1:-1])
    share = [0.0, 0.35, 0.2, 0.15, 0.3] if hard else [0.25, 0.25, 0.2, 0.1, 0.2]
    ch = str(rng.choice(CHANNELS, p=share))
    if ch == "fr235" and not stops:
        ch = "fr735"
    q: dict = {}
    tau = w.speed_tau_s
    if ch == "fr735":  # the speed field trails a right distance
        q.update(
            speed_delay_s=round(float(rng.uniform(5 if hard else 0, 20)), 1), distance_basis="true"
        )
    elif ch == "suunto":  # speed and distance agree, neither lags
        q.update(distance_basis="true")
        tau = float(rng.uniform(0.5, 1.5))
    elif ch == "lagging":  # the distance integrates the lagging speed
        q.update(speed_delay_s=round(float(rng.uniform(2, 10)), 1))
    elif ch == "fr235":
        q.update(
            freeze=True,
            distance_basis="true",
            speed_delay_s=round(float(rng.uniform(0, 2)), 1),
            freeze_prob=round(float(rng.uniform(0.3, 1.0)), 2),
        )
        tau = float(rng.uniform(3.5, 4.5))  # the corpus's 235s trail their distance by ~3 s
    if q.get("distance_basis") == "true":  # real watches' distance bends before the laps
        # (its own draw: every other choice of the set stays as it was)
        q["distance_smooth_s"] = round(
            float(np.random.default_rng([spec.seed, 13]).uniform(3, 6)), 1
        )
        # and is measured from their own GPS fixes, with the fixes' error (its own draw too)
        own = np.random.default_rng([spec.seed, 17])
        if own.random() < (GPS_DISTANCE_HARD if hard else GPS_DISTANCE_SHARE):
            q.update(
                distance_basis="gps", gps_distance_smooth_s=round(float(own.uniform(0.3, 1.0)), 1)
            )
    rec = "sparse" if rng.random() < (0.5 if hard else 0.35) else w.recording
    if rec == "sparse" and rng.random() < 0.5:
        q["sparse_fast_gap_s"] = (3, 8)  # no denser records in fast running either
    sigma = float(rng.uniform(3, 5)) if hard or rng.random() < 0.5 else w.gps_sigma_m
    q.update(
        gps_spikes=int(rng.integers(0, 4 if hard else 2)),
        gps_drifts=int(rng.integers(0, 3 if hard else 2)),
    )
    laps = w.laps
    if laps.mode == "manual":  # presses at the line, the odd one 2-4 s off
        laps = replace(laps, press_delay_s=(0.0, 1.5))
        q["odd_press_prob"] = round(float(rng.uniform(0.05, 0.2)), 2)
        notes = [n.replace("manual laps late", "manual laps") for n in notes]
    elif laps.mode == "workout":
        q["workout_close"] = "device"
    tail = str(
        rng.choice(
            ["asis", "stand", "irregular", "none"],
            p=[0.25, 0.25, 0.25, 0.25] if hard else [0.4, 0.2, 0.2, 0.2],
        )
    )
    segs = real_tail(rng, segs, L, tail)
    fmts = spec.formats
    reps = [s for s in segs if s.kind == "rep"]
    short = all(s.distance_m and s.distance_m <= 400 for s in reps)
    if spec.route.surface == "track" and short and rng.random() < (0.5 if hard else 0.3):
        fmts = ("gpx",) if rng.random() < 0.3 else ("fit", "gpx")  # short track reps from GPX
    quirks = Quirks(**q)
    # the chipset filters its fixes: they wander as far but move smoothly second to second, as
    # the corpus's do (samplegen.watch ``gps_filter_s``); and the speed field takes a rep's
    # first strides sooner than it lets go of its last (each its own draw, as above)
    fix_s = float(np.random.default_rng([spec.seed, 19]).uniform(*GPS_FILTER_S))
    fall_s = tau + float(np.random.default_rng([spec.seed, 23]).uniform(*SPEED_FALL_EXTRA_S))
    watch = replace(
        w,
        recording=rec,
        gps_sigma_m=sigma,
        gps_white_m=GPS_WHITE_M,
        gps_filter_s=round(fix_s, 1),
        speed_tau_s=tau,
        speed_fall_tau_s=round(fall_s, 1),
        laps=laps,
        quirks=quirks,
    )
    runner = replace(spec.runner, ramp_align="line", ease_s=(0.5, 2.5))  # easing into the line
    real = {
        "channel": ch,
        "recording": rec,
        "gps_sigma_m": round(sigma, 2),
        "gps_filter_s": watch.gps_filter_s,
        "speed_fall_tau_s": watch.speed_fall_tau_s,
        "tail": tail,
        "formats": list(fmts),
        "quirks": quirks.describe(),
    }
    notes[0] = f"{rec}, gps {sigma:.1f} m, lag {tau:.1f} s"  # the watch as it now is
    delay = f" +{q['speed_delay_s']} s" if q.get("speed_delay_s") else ""
    notes.append(
        f"real ({'hard' if hard else 'real'}): {ch} speed{delay}"
        f"{', distance from its GPS fixes' if q.get('distance_basis') == 'gps' else ''}, "
        f"{q['gps_spikes']} spikes {q['gps_drifts']} drifts, "
        f"after the last rep: {tail}, boundaries at the line"
    )
    session = replace(spec.session, segments=tuple(segs))
    return replace(
        spec,
        session=session,
        runner=runner,
        watch=watch,
        formats=fmts,
        description=spec.description.split(": ", 1)[0] + ": " + "; ".join(notes),
        extra={**spec.extra, "stress_notes": notes, "stress_realism": real},
    )


def add_gap_truth(built, truth_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Write each rep's true grade factor into its truth (``gap_factor``: grade-adjusted pace
    over pace, from the route's own altitude, Minetti's cost as samplegen.hills has it), so a
    rep judged on grade-adjusted pace is compared with the true grade-adjusted pace."""
    motion = built.motion
    along = motion.distance + motion.route_offset_m
    x, e = effort_metres(motion.route, float(np.max(along)) + 10.0)
    effort = np.interp(along, x, e)
    truth = json.loads(truth_path.read_text())
    for seg in truth["segments"]:
        if seg["kind"] != "rep":
            continue
        (d0, d1), (e0, e1) = (
            np.interp([seg["start_s"], seg["end_s"]], motion.t, along),
            np.interp([seg["start_s"], seg["end_s"]], motion.t, effort),
        )
        if e1 > e0 and d1 > d0:
            seg["gap_factor"] = round(float((d1 - d0) / (e1 - e0)), 5)
    truth_path.write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    g = ap.add_mutually_exclusive_group()
    g.add_argument(
        "--easy",
        dest="realism",
        action="store_const",
        const="easy",
        help="the well-behaved watches and centred boundaries of the first stress sets",
    )
    g.add_argument(
        "--hard",
        dest="realism",
        action="store_const",
        const="hard",
        help="every session with real-watch faults, plus sessions shaped like the real ones",
    )
    ap.set_defaults(realism="real")
    a = ap.parse_args(argv)
    master = np.random.default_rng(a.seed)
    types = TYPES + REAL_TYPES if a.realism == "hard" else TYPES
    order = [types[k] for k in master.permutation(len(types))]
    for i in range(a.count):
        kind = order[i % len(order)]
        for _attempt in range(5):  # a draw the runner model cannot run (ramps) is redrawn
            seed = int(master.integers(1, 2**31))
            try:
                spec, notes = make_spec(i, kind, seed, a.realism)
                built = build_sample(spec, a.outdir)
                if a.realism != "easy":  # the easy sets stay byte for byte
                    add_gap_truth(built, a.outdir / f"{spec.stem}.truth.json")
                break
            except ValueError as e:
                print(f"  (redraw {i}: {e})", file=sys.stderr)
        else:
            raise SystemExit(f"session {i} ({kind}) failed 5 draws")
        plan = spec.session.plan.replace("\n", " | ")
        print(f"{spec.stem}: {plan!r} [{', '.join(spec.formats)}] {'; '.join(notes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
