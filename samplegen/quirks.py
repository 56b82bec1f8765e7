"""Real-watch faults, measured on the corpus's real interval files, as opt-in watch settings.

The base watch model (``watch``) is a well-behaved watch. Real ones are not, and a rep finder
tuned on well-behaved files fails on them (issue 11). Each quirk here reproduces one measured
behaviour from its cause; all are off by default so the committed samples stay byte-identical:

- ``speed_delay_s``: the speed field trails the truth by a pure delay (Forerunner 735XT: ~12 s
  behind its own distance rate). With ``distance_basis="true"`` the distance stays right, so the
  speed lags the distance; with ``"speed"`` the distance integrates the lagging speed and lags too.
- ``distance_basis="true"``: distance integrated at 1 Hz inside the watch from the real motion
  (calibration bias only): exact at every record however sparse, and it does not lag (Suunto).
- ``distance_basis="gps"``: distance is the path length of the watch's own GPS fixes (the
  positions the file records, before spikes), smoothed over ``gps_distance_smooth_s`` both ways,
  the length their wander adds taken off, nothing counted while the runner stands: as real
  watches measure it, the GPS error lands in the distance (3.2-6.1% mean absolute error over
  404-4297 m for eight watches, Gilgen-Ammann et al. 2020), so a rep's distance is no better
  than the positions' and disagrees with the speed field as the corpus's real watches' does
  (about 3% over a minute). It does not lag.
- ``freeze``: Forerunner 235. After the runner stops, the speed field holds its running value
  for ``freeze_hold_s``; after the restart it reads near zero for ``freeze_start_s`` while the
  distance climbs. Needs (and implies) a distance that does not come from the speed field.
- sparse recording (``WatchSettings.recording == "sparse"``): a record every 3-8 s, irregular
  (denser in fast running, sparser standing), as the older Garmins in the corpus store them;
  the distance at each record is still the watch's 1 Hz integral.
- ``distance_smooth_s``: the watch's distance is smoothed over that many seconds, centred
  (the file's distance at a record reflects the motion a second or two either side of it).
  On the real lapped interval files the distance's change of pace begins before the lap
  (medians: starts 1.0 s, ends 1.3 s; ``validate.lap_in_change_s``), where a distance
  integrated from the motion alone begins it at the press or later. 3-6 s brings the starts
  to what the real files show; the ends' 5-10 s slowdowns move less than the real ones'.
- GPS glitches: single-fix spikes of tens of metres and drifts of a few seconds.
- lap presses: the odd press 2-4 s early or late; structured-workout laps closed by the
  watch's own distance (distance steps) or its clock (time steps), the next rep starting on the
  beep.

Every quirk draws from its own generator, so switching one on never changes the others' noise.
What was applied is logged (``Recording.quirks``) and lands in the truth file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from samplegen.noise import first_order_lag

DISTANCE_BASES = ("speed", "true", "gps")


@dataclass(frozen=True)
class Quirks:
    """Which faults a watch has, and how strong; the defaults are a well-behaved watch (but
    for ``sparse_*``, used whenever ``recording == "sparse"``)."""

    speed_delay_s: float = 0.0  # pure delay of the speed field, on top of its filter
    distance_basis: str = "speed"  # "speed": integral of the speed field; "true": see above
    distance_smooth_s: float = 0.0  # centred smoothing of the distance (s), see above
    gps_distance_smooth_s: float = 0.5  # with distance_basis "gps": the fixes' smoothing (s)
    freeze: bool = False
    freeze_hold_s: tuple[float, float] = (30.0, 40.0)
    freeze_start_s: tuple[float, float] = (38.0, 50.0)
    freeze_min_stop_s: float = 8.0  # shorter stops do not trigger a freeze
    freeze_prob: float = 1.0  # share of the stops that freeze it
    # sparse recording, gaps in whole seconds (min, max; drawn log-uniform) by what the runner
    # is doing: as on the corpus's Forerunner 235s, records come every 1-4 s in fast running
    # (median 2 s: the track's bends), every 3-8 s jogging (median 5 s), 2-16 s standing
    # (median 5 s); transitions are not densified
    sparse_gap_s: tuple[int, int] = (3, 8)
    sparse_fast_gap_s: tuple[int, int] = (1, 4)
    sparse_still_gap_s: tuple[int, int] = (2, 16)
    gps_spikes: int = 0  # single-fix jumps in the whole file
    gps_spike_m: tuple[float, float] = (15.0, 60.0)
    gps_drifts: int = 0  # stretches of a few seconds where the fix wanders off and back
    gps_drift_m: tuple[float, float] = (8.0, 25.0)
    gps_drift_s: tuple[float, float] = (3.0, 8.0)
    odd_press_prob: float = 0.0  # a manual press this far off the line, either way
    odd_press_s: tuple[float, float] = (2.0, 4.0)
    workout_close: str = "beep"  # "beep": lap at the boundary +- offset; "device": see module doc
    beep_reaction_s: tuple[float, float] = (0.2, 1.2)  # beep -> first stride of the next rep

    def __post_init__(self):
        if self.distance_basis not in DISTANCE_BASES:
            raise ValueError(f"unknown distance_basis {self.distance_basis!r}")
        if self.workout_close not in ("beep", "device"):
            raise ValueError(f"unknown workout_close {self.workout_close!r}")
        if self.freeze and self.distance_basis == "speed":
            raise ValueError("a frozen speed field needs distance_basis 'true' or 'gps'")

    def describe(self) -> dict:
        out = asdict(self)
        if self.distance_basis != "gps":  # as the truth files written before it have it
            del out["gps_distance_smooth_s"]
        return out


def delayed_speed(motion, t1: np.ndarray, delay_s: float) -> np.ndarray:
    """True speed as seen ``delay_s`` late (0 before the run)."""
    return np.where(t1 >= delay_s, motion.speed_at(t1 - delay_s), 0.0)


def true_distance(
    d_true: np.ndarray, paused_step: np.ndarray, bias: float, smooth_s: float = 0.0
) -> np.ndarray:
    """Device distance integrated at 1 Hz from the real motion: right to the calibration bias,
    nothing counted while the timer is paused; with ``smooth_s``, each second's step is the
    mean of the steps over ``smooth_s`` seconds centred on it (the total is unchanged)."""
    step = np.concatenate([[0.0], np.diff(d_true)]) * (1.0 + bias)
    step = np.where(paused_step, 0.0, step)
    half = int(round(smooth_s / 2))
    if half > 0 and len(step) > 2 * half + 1:
        # over the timed seconds only: a paused watch smooths nothing into its pause
        kernel = np.ones(2 * half + 1)
        timed = (~paused_step).astype(float)
        weight = np.convolve(timed, kernel, mode="same")
        step = np.where(
            paused_step, 0.0, np.convolve(step, kernel, mode="same") / np.maximum(weight, 1.0)
        )
    return np.cumsum(step)


def gps_distance(
    e: np.ndarray,
    n: np.ndarray,
    d_true: np.ndarray,
    paused_step: np.ndarray,
    moving: np.ndarray,
    bias: float,
    fix_smooth_s: float,
    smooth_s: float = 0.0,
) -> np.ndarray:
    """Device distance from the watch's own 1 Hz fixes (east, north metres): the path length
    of the fixes smoothed forward and back with time constant ``fix_smooth_s`` (a watch's
    filter, without its lag), counting only seconds the timer runs and the runner moves
    (``moving``: the accelerometer tells a stand), scaled by the calibration ``bias``, then
    smoothed as ``true_distance`` smooths it.

    The fixes' wander adds length to every step (about its variance over twice the step), more
    at a jog than in a rep: a raw path read the jogs 6-12% long and the reps 2-5%. Real watches'
    distance agrees with their own speed field to within 3% a run (median 1.00 over the
    corpus's FIT files), so the watch here takes that variance off each step as its filter
    would (sqrt(step^2 - s^2), ``s^2`` the wander's share over the moving seconds): the error
    that stays is the fixes' own, as large either way."""
    xy = np.stack([e, n], axis=1)
    if fix_smooth_s > 0:
        forward = np.stack([first_order_lag(c, fix_smooth_s) for c in xy.T], axis=1)
        xy = np.stack([first_order_lag(c[::-1], fix_smooth_s)[::-1] for c in forward.T], axis=1)
    step = np.concatenate([[0.0], np.hypot(*np.diff(xy, axis=0).T)])
    counted = ~paused_step & moving
    if counted.sum() > 10:
        truth = np.concatenate([[0.0], np.diff(d_true)])
        wander = float(np.median(step[counted] ** 2 - truth[counted] ** 2))
        step = np.sqrt(np.maximum(step**2 - max(wander, 0.0), 0.0))
    step = np.where(counted, step * (1.0 + bias), 0.0)
    return true_distance(np.cumsum(step), paused_step, 0.0, smooth_s)


def _stops(v_true: np.ndarray, min_len: float) -> list[tuple[int, int]]:
    """(first still second, first moving second) of every stop of at least ``min_len`` s."""
    still = np.concatenate([[False], v_true < 0.3, [False]]).astype(int)
    edges = np.diff(still)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [
        (int(a), int(b))
        for a, b in zip(starts, ends, strict=False)
        if b - a >= min_len and a > 0 and b < len(v_true)
    ]


def freeze_speed(rng, q: Quirks, v_field: np.ndarray, v_true: np.ndarray):
    """Forerunner 235 freezes -> (speed field, log). The distance is not touched."""
    out = v_field.copy()
    log = []
    for a, b in _stops(v_true, q.freeze_min_stop_s):
        hold = float(rng.uniform(*q.freeze_hold_s))
        zero = float(rng.uniform(*q.freeze_start_s))
        if rng.random() >= q.freeze_prob:
            continue
        # the value it sticks at: the speed of the running just before the slowdown
        before = v_field[max(0, a - 15) : a]
        high = float(before.max()) if len(before) else 0.0
        h_end = min(b, a + int(round(hold)))
        out[a:h_end] = high
        z_end = min(len(out), b + int(round(zero)))
        nxt = np.flatnonzero(v_true[b:z_end] < 0.3)  # the next stop ends the zero stretch
        if len(nxt):
            z_end = b + int(nxt[0])
        out[b:z_end] = rng.uniform(0.0, 0.15, z_end - b)
        log.append(
            {
                "stop_s": a,
                "restart_s": b,
                "held_until_s": h_end,
                "held_mps": round(high, 3),
                "near_zero_until_s": z_end,
            }
        )
    return out, log


def sparse_select(
    rng, q: Quirks, keep: np.ndarray, must: set[int], v_true: np.ndarray
) -> np.ndarray:
    """Indices (seconds) recorded by a sparse watch: irregular gaps drawn by speed (``Quirks``)."""
    cand = np.flatnonzero(keep)
    if len(cand) == 0:
        return cand
    out = [int(cand[0])]

    def gap(k):
        v = v_true[k]
        lo, hi = (
            q.sparse_fast_gap_s if v > 4.0 else q.sparse_still_gap_s if v < 0.5 else q.sparse_gap_s
        )
        return min(hi, int(np.exp(rng.uniform(np.log(lo), np.log(hi + 1)))))

    nxt = out[0] + gap(out[0])
    must_sorted = sorted(must)
    mi = 0
    for k in cand[1:]:
        k = int(k)
        while mi < len(must_sorted) and must_sorted[mi] < k:
            mi += 1
        forced = mi < len(must_sorted) and must_sorted[mi] == k
        if forced or k >= nxt:
            out.append(k)
            nxt = k + gap(k)
    return np.array(out, dtype=int)


def gps_glitches(rng, q: Quirks, e: np.ndarray, n: np.ndarray, v_true: np.ndarray):
    """Add spikes and drifts to the 1 Hz GPS track -> (east, north, spike seconds, log).
    Glitches are put where the runner moves (a still watch is rarely that wrong)."""
    e, n = e.copy(), n.copy()
    moving = np.flatnonzero(v_true > 1.5)
    spikes, log = [], []
    if len(moving) < 30:
        return e, n, spikes, log
    for _ in range(q.gps_spikes):
        k = int(rng.choice(moving))
        r, th = float(rng.uniform(*q.gps_spike_m)), float(rng.uniform(0, 2 * np.pi))
        e[k] += r * np.cos(th)
        n[k] += r * np.sin(th)
        spikes.append(k)
        log.append({"kind": "spike", "t_s": k, "m": round(r, 1)})
    for _ in range(q.gps_drifts):
        k = int(rng.choice(moving))
        dur = float(rng.uniform(*q.gps_drift_s))
        r, th = float(rng.uniform(*q.gps_drift_m)), float(rng.uniform(0, 2 * np.pi))
        t = np.arange(len(e)) - k
        bump = np.where((t >= 0) & (t <= dur), np.sin(np.pi * np.clip(t / dur, 0, 1)) ** 2, 0.0)
        e += r * np.cos(th) * bump
        n += r * np.sin(th) * bump
        log.append({"kind": "drift", "t_s": k, "duration_s": round(dur, 1), "m": round(r, 1)})
    return e, n, spikes, log


def odd_press(rng, q: Quirks, press: float, b: float) -> float:
    """Now and then a press well off the line, early or late."""
    if q.odd_press_prob and rng.random() < q.odd_press_prob:
        return float(b + rng.choice([-1.0, 1.0]) * rng.uniform(*q.odd_press_s))
    return press


def device_closed_ends(
    rng, q: Quirks, segs, inner: np.ndarray, dist_1s: np.ndarray, wkt_of, intensity: dict
) -> list[tuple[float, str, str, int | None]]:
    """Structured-workout lap ends as a watch makes them: a distance step closes when the
    watch's own distance since the step began reaches the step's distance, a time step on the
    clock, an open warm-up on the lap button; the next rep starts on the beep, so the lap that
    leads into a rep ends a reaction time before the first stride."""
    secs = np.arange(len(dist_1s), dtype=float)
    dist = dist_1s + secs * 1e-9  # strictly increasing, for the inverse

    def time_at(d):
        return float(np.interp(d, dist, secs))

    ends = []
    lap_start = 0.0
    for i, b in enumerate(inner):
        seg, nxt = segs[i], segs[i + 1]
        if seg.kind == "warmup":
            trig, e = "manual", b - rng.uniform(*q.beep_reaction_s)
        elif nxt.kind == "rep":
            trig = "distance" if seg.distance_m is not None else "time"
            e = b - rng.uniform(*q.beep_reaction_s)
        elif seg.distance_m is not None:  # the step's distance on the watch, from the lap start
            trig = "distance"
            e = time_at(float(np.interp(lap_start, secs, dist_1s)) + seg.distance_m)
        else:
            trig, e = "time", b + rng.uniform(-0.2, 0.2)
        lap_start = round(float(e), 3)
        ends.append((lap_start, trig, intensity[seg.kind], wkt_of(seg)))
    return ends
