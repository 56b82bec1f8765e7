"""Find work and recovery blocks from the speed alone, for files checked without a plan.

Without a prescription there is nothing to align, so the speed is split into fast and slow
by the threshold that best separates the two (Otsu's method on the moving speeds), short
flickers are merged away, and the blocks between the first and the last effort alternate
work and recovery. The result describes the session ("6 x ~700 m / ~300 m") so the runner
can see what was found.

Then the blocks are read as a coach reads the chart: they make an interval session only if
they stand out from the session's own running (or repeat as a coach writes them) and are not
a pattern the run's circumstances explain: a few pick-ups far apart (strides, a sprint for a
light), dozens of every length at every spacing (a trail run), jogs between walking breaks of
irregular lengths (a run-walk), or descents that vanish at grade-adjusted pace (a hilly run
walked up the climbs). Blocks within the wander of the speed around them (a noisy GPS or
distance) are no efforts: where they are most of those found the run is continuous, otherwise
the rest are read again without them. Each continuous reading says why in ``Reading.reason``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model.stats import median, percentile
from workoutcheck.segment import effort
from workoutcheck.segment.signal import Signal, build_signal

MIN_EFFORT_S = 15.0
MIN_GAP_S = 8.0
MIN_CONTRAST = 1.25  # an effort is at least 25% faster than the running around it
SESSION_CONTRAST = 1.15  # the efforts at least 15% quicker than the session's typical running
DOMINANT_CONTRAST, DOMINANT_SHARE = 2.0, 0.3  # or twice the jog between them, and 30% of the time
IRREGULAR_MIN_EFFORTS, IRREGULAR_LENGTH_CV, IRREGULAR_GAP_CV = 20, 0.8, 1.2  # terrain, not a plan
SURGE_SHARE, SURGE_GAP_RATIO = 0.08, 8.0  # under 8% of the running, 8x as far apart as long: surges
# or a coach's repeats: REPEAT_MIN efforts of REPEAT_MIN_S or more, alike in time or distance
# (REPEAT_CV) with recoveries alike (REPEAT_GAP_CV), MIN_CONTRAST quicker than the recoveries
REPEAT_MIN, REPEAT_MIN_S, REPEAT_CV, REPEAT_GAP_CV = 3, 60.0, 0.1, 0.25
# an effort's lead over the running around it (REACH_S either side), in spreads of that
# running scaled to the effort's length (the speed's wander is correlated over ~WANDER_S, so a
# mean over L seconds wanders sqrt(WANDER_S / L) as much): real reps stand 10-100 spreads clear,
# GPS wander and a noisy distance's peaks 2-4
WANDER_Z, WANDER_S, REACH_S = 6.0, 10.0, 60.0
# the cadence a second witness: a runner's rises with a rep (the corpus's by 3-50 steps/min); where
# it is recorded and stays within CADENCE_RISE, efforts up to WANDER_Z_FLAT spreads clear are the
# GPS's (the corpus's noisy runs lead by 4-5, its reps with the least cadence change by 10)
CADENCE_RISE, WANDER_Z_FLAT = 3.0, 8.0
# run-walk: the movement between the efforts is walking (WALK_SHARE of it below WALK_SPEED, m/s:
# a brisk walk's 1.1-1.8 m/s), the jogs fill under RUN_WALK_SHARE of the moving time and are less
# than DOMINANT_CONTRAST times the walk, and the walks are of irregular lengths (interquartile
# range over the median): a session's walked recoveries repeat (a set break is one long gap among
# equal ones and leaves the quartiles alone), and its reps are a good part of it
WALK_SPEED, WALK_SHARE, RUN_WALK_SHARE, RUN_WALK_GAP_SPREAD = 1.8, 0.8, 0.35, 0.8
# the description's unit: where efforts (or recoveries) are alike in time and in distance
# (coefficient of variation under REGULAR_CV both), the one within ROUND_SHARE of a round figure
# (100 m, or 50 m under 200 m; 30 s, or 5 s under a minute) is the one a coach wrote
REGULAR_CV, ROUND_SHARE = 0.06, 0.025


@dataclass(frozen=True)
class Reading:
    """The effort blocks as (start edge, end edge) on the signal's grid, none for a continuous
    run; ``reason``: why a run with faster stretches is no interval session."""

    blocks: list[tuple[int, int]]
    reason: str | None = None


def find_blocks(sig: Signal) -> list[tuple[int, int]]:
    """Effort blocks as (start edge, end edge) on the signal's grid."""
    return read_session(sig).blocks


def read_session(
    sig: Signal,
    hills: Callable[[], Signal | None] | None = None,
    cadence: np.ndarray | None = None,
) -> Reading:
    """The session's effort blocks, or why there are none. ``hills``: gives the same run at
    grade-adjusted speed where the file is a hilly one (``hill_signal``), asked only when the
    rest would read an interval session; ``cadence``: steps/min on the signal's cells, where
    the file records it."""
    v = _median_filter(sig.v, max(int(round(5.0 / sig.dt)), 1))
    kept = candidate_blocks(sig, v)
    if len(kept) < 2:
        return Reading([])
    why = _pattern(v, sig, kept)
    if why:
        return Reading([], why)
    # the peaks of a noisy speed are no efforts: the efforts clear of it are read again on their
    # own; where some fell in it, a session needs REPEAT_MIN others, and unless one of them
    # proved itself clear of the wander, the wander must not have been most of what was found
    clear, proved = _clear_of_the_wander(v, sig, kept, cadence)
    if len(clear) < len(kept) and (
        len(clear) < REPEAT_MIN or (proved == 0 and 2 * len(clear) < len(kept))
    ):
        return Reading([], "the faster stretches are within the wander of the speed around them")
    if len(clear) < len(kept):
        kept = clear
        why = _pattern(v, sig, kept)
        if why:
            return Reading([], why)
    if _run_walk(v, sig, kept):
        return Reading([], "jogs between walking breaks of irregular lengths: a run-walk")
    effort_sig = hills() if hills is not None else None
    if effort_sig is not None and len(find_blocks(effort_sig)) < 2:
        return Reading(
            [], "the faster stretches are the descents: at grade-adjusted pace the run is steady"
        )
    return Reading(kept)


def _pattern(v: np.ndarray, sig: Signal, blocks: list[tuple[int, int]]) -> str | None:
    """Why the efforts make no interval session by their pattern, None where they may."""
    if _surges(v, sig, blocks):
        return "a few short pick-ups far apart (strides, surges), not intervals"
    if _irregular(blocks):
        return "many pick-ups of every length at every spacing: the terrain's"
    if not _stands_out(v, sig, blocks) and not _repeats(v, sig, blocks):
        return "the faster stretches do not stand out from the run's own running"
    return None


def hill_signal(activity: Activity, progress: np.ndarray) -> Signal | None:
    """The run at grade-adjusted speed where it is a hilly file (``effort.effort_progress``
    without uphill reps: barometric altitude, most of the distance on a grade), else None."""
    weighted = effort.effort_progress(activity, progress, False)
    return None if weighted is None else build_signal(activity, progress=weighted)


def cadence_cells(activity: Activity, sig: Signal) -> np.ndarray | None:
    """The recorded cadence (steps/min) at each cell's middle, None where there is none."""
    cad = activity.cadence
    if cad is None:
        return None
    ok = np.isfinite(cad) & (cad > 0)
    if ok.sum() < 10:
        return None
    return np.interp((np.arange(sig.n) + 0.5) * sig.dt, activity.t[ok], cad[ok])


def candidate_blocks(sig: Signal, v: np.ndarray) -> list[tuple[int, int]]:
    """Stretches clearly quicker than the running either side of them (``v``: the speed
    with its flickers filtered out)."""
    moving = v > 1.0
    if moving.sum() < 30:
        return []
    threshold = _otsu(v[moving])
    slow_level = (
        float(median(v[moving & (v <= threshold)])) if (moving & (v <= threshold)).any() else 0.0
    )
    # hysteresis: an effort is a stretch above the lower threshold that reaches the upper one,
    # so a brief dip inside a rep does not cut it in two
    lower = 0.5 * (threshold + slow_level)
    above = v > lower
    labels = np.cumsum(np.r_[True, above[1:] != above[:-1]])
    peak = np.zeros(labels[-1] + 1)
    np.maximum.at(peak, labels, np.where(above, v, 0.0))
    fast = above & (peak[labels] > threshold)
    fast = _close_runs(fast, value=False, shorter_than=int(MIN_GAP_S / sig.dt))
    fast = _close_runs(fast, value=True, shorter_than=int(MIN_EFFORT_S / sig.dt))
    blocks = _runs(fast)
    reach = int(60 / sig.dt)
    kept = []
    for a, b in blocks:
        inside = float(np.mean(v[a:b]))
        # compared with the running around it: stops at traffic lights do not make an
        # easy run's stretches between them into efforts
        around = np.concatenate([v[max(a - reach, 0) : a], v[b : b + reach]])
        around = around[around > 1.0]
        base = float(median(around)) if len(around) >= 5 else 0.0  # stood between efforts
        if inside >= MIN_CONTRAST * base:
            kept.append((a, b))
    return kept


def _surges(v: np.ndarray, sig: Signal, blocks: list[tuple[int, int]]) -> bool:
    """A few short pick-ups far apart in a run (strides, a sprint for a light) are no interval
    session: they fill a sliver of the running, and the running between them is many times
    longer than they are."""
    moving = v > 1.0
    efforts = np.array([b - a for a, b in blocks], dtype=float)
    gaps = np.array([blocks[i + 1][0] - blocks[i][1] for i in range(len(blocks) - 1)], dtype=float)
    share = float(efforts.sum() / max(moving.sum(), 1))
    return share < SURGE_SHARE and float(median(gaps)) > SURGE_GAP_RATIO * float(median(efforts))


def _irregular(blocks: list[tuple[int, int]]) -> bool:
    """Many efforts of every length at every spacing are the terrain's, not a coach's: a
    trail or ultra run alternating running with walking breaks, a hike. Sessions of many reps
    are written alike (25 x 200 m, 30 x 30/30), so their lengths or their gaps repeat."""
    if len(blocks) < IRREGULAR_MIN_EFFORTS:
        return False
    lengths = np.array([b - a for a, b in blocks], dtype=float)
    gaps = np.array([blocks[i + 1][0] - blocks[i][1] for i in range(len(blocks) - 1)], dtype=float)
    return bool(_cv(lengths) >= IRREGULAR_LENGTH_CV and _cv(gaps) >= IRREGULAR_GAP_CV)


def _cv(values: np.ndarray) -> float:
    return float(values.std() / values.mean()) if values.mean() > 0 else 0.0


def _stands_out(v: np.ndarray, sig: Signal, blocks: list[tuple[int, int]]) -> bool:
    """Whether the efforts make an interval session: clearly quicker than the session's own
    running (a continuous run's stretches between traffic lights are its normal pace), or, where
    the efforts are most of the session, far quicker than the jogging between them."""
    moving = v > 1.0
    inside = np.zeros(len(v), dtype=bool)
    for a, b in blocks:
        inside[a:b] = True
    speeds = np.array([(sig.d[b] - sig.d[a]) / max((b - a) * sig.dt, 1e-9) for a, b in blocks])
    overall = float(median(v[moving])) if moving.any() else 0.0
    between = v[moving & ~inside]
    if overall <= 0:
        return False
    if float(median(speeds)) >= SESSION_CONTRAST * overall:
        return True
    return (
        len(between) >= 10
        and float(np.mean(speeds)) >= DOMINANT_CONTRAST * float(median(between))
        and float(inside.mean()) >= DOMINANT_SHARE
    )


def _clear_of_the_wander(
    v: np.ndarray, sig: Signal, blocks: list[tuple[int, int]], cadence: np.ndarray | None
) -> tuple[list[tuple[int, int]], int]:
    """The efforts not within the wander of the running around them, and how many of them
    proved it: an effort must lead that running by more than it wanders over the effort's
    length (WANDER_Z spreads; WANDER_Z_FLAT where the cadence is recorded and does not rise with
    it); the rest are the peaks of a noisy GPS or distance, not the runner's. An effort next to
    a stand or a walk has no running around it to wander and is kept, unproved."""
    inside = np.zeros(len(v), dtype=bool)
    for a, b in blocks:
        inside[a:b] = True
    moving = v > 1.0
    reach = int(round(REACH_S / sig.dt))
    kept, proved = [], 0
    for a, b in blocks:
        near = np.r_[max(a - reach, 0) : a, b : min(b + reach, len(v))]
        base = v[near][~inside[near]]
        if len(base) < 10 or not moving[near].all() or float(median(base)) < WALK_SPEED:
            kept.append((a, b))
            continue
        level = float(median(base))
        spread = max(1.4826 * float(median(np.abs(base - level))), 0.05)
        lead = (float(np.mean(v[a:b])) - level) / spread * np.sqrt((b - a) * sig.dt / WANDER_S)
        if cadence is None:
            wander = lead < WANDER_Z
        else:
            rise = float(median(cadence[a:b]) - median(cadence[near][~inside[near]]))
            wander = lead < WANDER_Z_FLAT and rise < CADENCE_RISE
        if not wander:
            kept.append((a, b))
            proved += 1
    return kept, proved


def _run_walk(v: np.ndarray, sig: Signal, blocks: list[tuple[int, int]]) -> bool:
    """Jogs between walks: the movement outside the efforts is walking, the jogs are a minority
    of it and not far quicker than the walk, and the walks last what they last. A session with
    walked recoveries repeats them, or its reps are far quicker than walking or much of it."""
    moving = v > 1.0
    inside = np.zeros(len(v), dtype=bool)
    for a, b in blocks:
        inside[a:b] = True
    between = v[moving & ~inside]
    if len(between) < 10 or float(np.mean(between < WALK_SPEED)) < WALK_SHARE:
        return False
    if float((moving & inside).sum()) >= RUN_WALK_SHARE * float(moving.sum()):
        return False
    speeds = np.array([(sig.d[b] - sig.d[a]) / max((b - a) * sig.dt, 1e-9) for a, b in blocks])
    if float(np.mean(speeds)) >= DOMINANT_CONTRAST * float(median(between)):
        return False
    gaps = np.array([blocks[i + 1][0] - blocks[i][1] for i in range(len(blocks) - 1)], dtype=float)
    q1, q2, q3 = percentile(gaps, [25, 50, 75])
    return bool(q2 > 0 and (q3 - q1) / q2 >= RUN_WALK_GAP_SPREAD)


def _repeats(v: np.ndarray, sig: Signal, blocks: list[tuple[int, int]]) -> bool:
    """Efforts that repeat as a coach writes them (3 x 2000 m, 5 x 4 min) with recoveries that
    repeat too: a session even where the reps are only a little quicker than the warm-up (the
    rest stood, or the reps most of the running). A continuous run's changes of pace and its
    stretches between traffic lights are of every length."""
    if len(blocks) < REPEAT_MIN:
        return False
    lengths = np.array([(b - a) * sig.dt for a, b in blocks])
    dists = np.array([sig.d[b] - sig.d[a] for a, b in blocks])
    gaps = np.array([(blocks[i + 1][0] - blocks[i][1]) * sig.dt for i in range(len(blocks) - 1)])
    if float(median(lengths)) < REPEAT_MIN_S or min(_cv(lengths), _cv(dists)) > REPEAT_CV:
        return False
    if _cv(gaps) > REPEAT_GAP_CV:
        return False
    speeds = dists / np.maximum(lengths, 1e-9)
    rest = [float(median(v[blocks[i][1] : blocks[i + 1][0]])) for i in range(len(blocks) - 1)]
    return float(median(speeds)) >= MIN_CONTRAST * max(float(median(rest)), 0.0)


def describe(efforts: list[tuple[float, float]], recoveries: list[tuple[float, float]]) -> str:
    """ "6 x ~700 m / ~300 m" from (distance, duration) of efforts and recoveries."""
    if not efforts:
        return "continuous run: no work/recovery blocks found"
    text = f"{len(efforts)} x {_typical(efforts)}"
    if recoveries:
        text += f" / {_typical(recoveries)}"
    return text


def _typical(blocks: list[tuple[float, float]]) -> str:
    dist = np.array([d for d, _ in blocks])
    dur = np.array([t for _, t in blocks])
    cv_d = dist.std() / dist.mean() if dist.mean() > 0 else np.inf
    cv_t = dur.std() / dur.mean() if dur.mean() > 0 else np.inf
    by_time = cv_t < cv_d
    if max(cv_d, cv_t) < REGULAR_CV:
        # Both regular: a coach writes the one that is a round figure ("1000 m" for reps run
        # in 3:45, "3:00" for reps of 740 m), so FIT and GPX of one run, whose distances
        # differ by the GPS, read alike; only where both or neither are round does the
        # steadier one decide.
        round_d = _near_round(float(median(dist)), 100.0 if median(dist) >= 200 else 50.0)
        round_t = _near_round(float(median(dur)), 30.0 if median(dur) >= 60 else 5.0)
        if round_d != round_t:
            by_time = round_t
    if by_time:
        seconds = float(median(dur))
        step = 5 if seconds < 120 else 15
        seconds = round(seconds / step) * step
        return (
            f"~{int(seconds // 60)}:{int(seconds % 60):02d}"
            if seconds >= 60
            else f"~{int(seconds)} s"
        )
    metres = float(median(dist))
    step = 50 if metres < 1000 else 100
    return f"~{round(metres / step) * step:.0f} m"


def _near_round(value: float, step: float) -> bool:
    """Whether ``value`` lies within ``ROUND_SHARE`` of a whole number of ``step``."""
    nearest = round(value / step) * step
    return nearest > 0 and abs(value - nearest) <= ROUND_SHARE * nearest


def _otsu(values: np.ndarray) -> float:
    hist, edges = np.histogram(values, bins=64)
    centres = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(hist)
    w1 = w0[-1] - w0
    m0 = np.cumsum(hist * centres) / np.maximum(w0, 1)
    m1 = (np.sum(hist * centres) - np.cumsum(hist * centres)) / np.maximum(w1, 1)
    between = w0 * w1 * (m0 - m1) ** 2
    return float(centres[int(np.argmax(between))])


def _median_filter(v: np.ndarray, width: int) -> np.ndarray:
    if width <= 1 or len(v) < width:
        return v.copy()
    pad = width // 2
    padded = np.pad(v, pad, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    return median(windows, axis=1)[: len(v)]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _close_runs(mask: np.ndarray, *, value: bool, shorter_than: int) -> np.ndarray:
    """Flip interior runs of ``value`` shorter than ``shorter_than`` cells."""
    out = mask.copy()
    target = out if value else ~out
    for a, b in _runs(target):
        if b - a < shorter_than and a > 0 and b < len(out):
            out[a:b] = not value
    return out
