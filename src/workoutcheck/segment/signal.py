"""The recording on a regular time grid, with the running sums the segment costs need.

A regular grid lets every candidate segment's mean, spread and distance be read from
cumulative sums in O(1), which is what makes the dynamic programme linear in the length of
the recording. Cells inside a pause (timer stopped, records missing) have speed 0 and add
no distance: the runner was not being timed there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model.stats import median

STANDING_SPEED = 0.8  # m/s: below this the runner is standing or shuffling
TAME_WIDTHS = 3.0  # glitches pulled back to this many noise widths of the running median
# (window s, m/s): faster than this over the window is not running
NOT_RUNNING = ((60, 8.5), (120, 8.0), (200, 7.5))
DISTANCE_RATE_S = 4.0  # s: the window over which speed is read from the distance


@dataclass(frozen=True)
class Signal:
    dt: float  # seconds per cell
    v: np.ndarray  # mean speed of each cell (m/s), n cells
    d: np.ndarray  # cumulative distance at each cell edge (m), n + 1 edges
    paused: np.ndarray  # bool per cell
    s1: np.ndarray  # cumulative sum of v, n + 1
    s2: np.ndarray  # cumulative sum of v**2, n + 1
    sp: np.ndarray  # cumulative count of paused cells, n + 1
    sigma: float  # speed noise (m/s) for the fit cost
    m1: np.ndarray  # cumulative sum of v over moving cells only, n + 1
    m2: np.ndarray  # cumulative sum of v**2 over moving cells only
    mc: np.ndarray  # cumulative count of moving cells

    @property
    def n(self) -> int:
        return len(self.v)

    def time(self, edge: np.ndarray | int | float) -> np.ndarray | float:
        return np.asarray(edge) * self.dt

    def mean(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        return (self.s1[e] - self.s1[s]) / np.maximum(e - s, 1)

    def moving_mean(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Mean speed over the cells where the runner moved (0 where none did)."""
        return (self.m1[e] - self.m1[s]) / np.maximum(self.mc[e] - self.mc[s], 1)

    def sse(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Sum of squared deviations from the segment's own mean speed."""
        length = np.maximum(e - s, 1)
        sum1 = self.s1[e] - self.s1[s]
        return np.maximum(self.s2[e] - self.s2[s] - sum1 * sum1 / length, 0.0)

    def fit_cost(
        self, s: np.ndarray, e: np.ndarray, sigma: float, *, stops_free: bool = False
    ) -> np.ndarray:
        """Negative log-likelihood of the speed in [s, e) around its own mean, for a segment
        model whose speed varies by ``sigma``: a loose model (a warm-up with strides and
        stops) fits anything but pays ln(sigma) for every cell, so it cannot swallow a rep.

        With ``stops_free`` (warm-ups, recoveries, cool-downs) standing still is expected:
        stationary cells fit perfectly and only moving cells are measured against the mean,
        so a stop at a traffic light or at the end of the file does not distort the choice.
        """
        if stops_free:
            count = np.maximum(self.mc[e] - self.mc[s], 1)
            sum1 = self.m1[e] - self.m1[s]
            sse = np.maximum(self.m2[e] - self.m2[s] - sum1 * sum1 / count, 0.0)
        else:
            sse = self.sse(s, e)
        cells = sse / (2.0 * sigma * sigma) + (e - s) * np.log(sigma)
        return cells * self.dt  # per second, so costs do not depend on the cell size


def build_signal(
    activity: Activity, dt: float = 1.0, *, progress: np.ndarray | None = None
) -> Signal:
    """Cells of ``dt`` seconds (a whole number >= 1); each cell's speed is the mean of
    one-second samples, so coarse cells for long sessions keep every second's evidence.
    ``progress``: the runner's cumulative progress (m) per record from the timing channel
    (see ``channel``); each second's speed is then read from it, not from the speed field."""
    return build_signals(activity, (dt,), progress=progress)[0]


def build_signals(
    activity: Activity, dts: tuple[float, ...], *, progress: np.ndarray | None = None
) -> list[Signal]:
    """``build_signal`` for each cell size in ``dts``: the one-second samples are read once
    for the longest grid, and their running medians shared (each grid's samples are the
    first of those)."""
    t = activity.t
    ks = [max(int(round(dt)), 1) for dt in dts]
    ns = [max(int(np.ceil(activity.duration_s / k)), 1) for k in ks]
    fine = np.arange(max(n * k for n, k in zip(ns, ks, strict=True))) + 0.5
    paused_all = _paused_cells(fine, activity.pauses)
    if progress is not None:
        # the distance gained over a centred window: distance records update in steps of a
        # few metres every second or two, and a watch writing records every 3-8 s gives no
        # finer a rate than that anyway
        h = DISTANCE_RATE_S / 2.0
        reach = np.interp(fine + h, t, progress) - np.interp(fine - h, t, progress)
        raw = np.where(paused_all, 0.0, np.clip(reach / DISTANCE_RATE_S, 0.0, None))
    else:
        raw = np.where(paused_all, 0.0, np.interp(fine, t, activity_speed(activity)))
    medians = _Medians()
    out = []
    for n, k in zip(ns, ks, strict=True):
        paused_fine = paused_all[: n * k]
        v_fine = raw[: n * k]
        if progress is not None:
            v_fine = _tamed(v_fine, medians)
        out.append(_signal(activity, float(k), n, v_fine, paused_fine, medians))
    return out


def _signal(
    activity: Activity,
    dt: float,
    n: int,
    v_fine: np.ndarray,
    paused_fine: np.ndarray,
    medians: _Medians,
) -> Signal:
    """The signal of ``n`` cells of ``dt`` seconds from its one-second samples."""
    k = int(dt)
    riding = not_running(v_fine)
    if riding.any():
        paused_fine = paused_fine | riding
        v_fine = np.where(riding, 0.0, v_fine)
    v = v_fine.reshape(n, k).mean(axis=1)
    paused = paused_fine.reshape(n, k).mean(axis=1) > 0.5
    edges = np.arange(n + 1) * dt
    if activity.distance is not None:
        d = np.interp(edges, activity.t, activity.distance)
    else:
        d = np.concatenate([[0.0], np.cumsum(v * dt)])
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])
    sp = np.concatenate([[0], np.cumsum(paused)])
    vm = np.where(v >= STANDING_SPEED, v, 0.0)
    m1 = np.concatenate([[0.0], np.cumsum(vm)])
    m2 = np.concatenate([[0.0], np.cumsum(vm * vm)])
    mc = np.concatenate([[0], np.cumsum(v >= STANDING_SPEED)])
    # the noise is read on the one-second samples, whatever the cell size
    noise = _noise(v_fine[~paused_fine], medians)
    return Signal(dt, v, d, paused, s1, s2, sp, noise, m1, m2, mc)


def _paused_cells(fine: np.ndarray, pauses) -> np.ndarray:
    """True for each sample strictly inside a pause: one pass over the samples whatever
    the number of pauses (a difference array over the pauses' index ranges)."""
    marks = np.zeros(len(fine) + 1, dtype=np.int64)
    if pauses:
        starts = np.array([p.start_s for p in pauses], dtype=np.float64)
        ends = np.array([p.end_s for p in pauses], dtype=np.float64)
        lo = np.searchsorted(fine, starts, side="right")  # first sample > start
        hi = np.searchsorted(fine, ends, side="left")  # first sample >= end
        keep = hi > lo
        np.add.at(marks, lo[keep], 1)
        np.add.at(marks, hi[keep], -1)
    return np.cumsum(marks[:-1]) > 0


def activity_speed(activity: Activity) -> np.ndarray:
    """Speed per record, from the device, else from distance; zeros if neither exists."""
    if activity.speed is not None:
        return np.nan_to_num(activity.speed, nan=0.0)
    return np.zeros(len(activity.t))


def _noise(v: np.ndarray, medians: _Medians | None = None) -> float:
    """Robust spread of the speed around its own running median (half a minute), kept in a
    sane range: the noise a steady rep shows on this file (GPS wander, distance steps), which
    sample-to-sample differences underrate when the noise is correlated over seconds."""
    if len(v) < 3:
        return 0.3
    width = min(31, len(v) - (1 - len(v) % 2))
    residual = v - (medians or _Medians()).running(v, max(width, 1))
    moving = v > 1.0
    if moving.sum() < 10:
        return 0.3
    mad = float(median(np.abs(residual[moving])))
    return float(np.clip(1.4826 * mad, 0.08, 1.0))


def not_running(v: np.ndarray) -> np.ndarray:
    """One-second samples inside a stretch faster than any human runs for its length (the
    world records: 400 m at 9.3 m/s, 800 m at 7.9 m/s, 1500 m at 7.3 m/s): a bus, a bike, a car
    on the way home with the watch still running. They are treated as a pause, so rep finding
    neither runs reps through them nor bends the plan around them."""
    mask = np.zeros(len(v), dtype=bool)
    c = np.concatenate([[0.0], np.cumsum(v)])
    for w, limit in NOT_RUNNING:
        if len(v) < w:
            continue
        fast = (c[w:] - c[:-w]) / w > limit  # the window starting at each second
        if fast.any():
            marks = np.zeros(len(v) + 1)
            starts = np.flatnonzero(fast)
            np.add.at(marks, starts, 1)
            np.add.at(marks, starts + w, -1)
            mask |= np.cumsum(marks)[:-1] > 0
    return mask


def _tamed(v: np.ndarray, medians: _Medians | None = None) -> np.ndarray:
    """Speed with its brief glitches pulled back to within a few noise widths of the running
    median: a distance that updates in chunks reads, second by second, as a rep run in
    sprints and stumbles, and a squared-error cost would let one such rep be relabelled."""
    if len(v) < 15:
        return v
    medians = medians or _Medians()
    med = medians.running(v, 15)
    c = TAME_WIDTHS * _noise(v, medians)
    return med + np.clip(v - med, -c, c)


def _running_median(v: np.ndarray, width: int) -> np.ndarray:
    """The median of the ``width`` (odd) samples centred on each, the ends held. A window of
    an odd count has its median at the middle rank: one partition per window finds it, the
    same value ``np.median`` gives at a fifth of its cost (which also checks for NaN, and is
    used where there is one)."""
    if width <= 1:
        return v.copy()
    pad = width // 2
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(v, pad, mode="edge"), 2 * pad + 1)
    if np.isnan(v).any():
        return median(windows, axis=1)
    return np.partition(windows, pad, axis=1)[:, pad].copy()


class _Medians:
    """Running medians already taken, reused for samples that begin with the same samples:
    the medians of a prefix are the whole's except for the last ``width // 2``, which see
    the prefix's held end (and the other way round)."""

    def __init__(self) -> None:
        self.done: list[tuple[np.ndarray, int, np.ndarray]] = []

    def running(self, v: np.ndarray, width: int) -> np.ndarray:
        pad = width // 2
        for seen, w, med in self.done:
            m = min(len(v), len(seen))
            if w != width or m <= 4 * pad or not np.array_equal(v[:m], seen[:m]):
                continue
            # the first m - pad medians are shared; the rest are taken on a tail that holds
            # every window they see (and the array's start, if the tail reaches it)
            lo = max(m - 3 * pad, 0)
            tail = _running_median(v[lo:], width)[m - pad - lo :]
            out = np.concatenate([med[: m - pad], tail])
            self.done.append((v, width, out))
            return out
        out = _running_median(v, width)
        self.done.append((v, width, out))
        return out
