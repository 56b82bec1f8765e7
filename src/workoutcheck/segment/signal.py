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

    @property
    def n(self) -> int:
        return len(self.v)

    def time(self, edge: np.ndarray | int | float) -> np.ndarray | float:
        return np.asarray(edge) * self.dt

    def mean(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        return (self.s1[e] - self.s1[s]) / np.maximum(e - s, 1)

    def sse(self, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        """Sum of squared deviations from the segment's own mean speed."""
        length = np.maximum(e - s, 1)
        sum1 = self.s1[e] - self.s1[s]
        return np.maximum(self.s2[e] - self.s2[s] - sum1 * sum1 / length, 0.0)

    def fit_cost(self, s: np.ndarray, e: np.ndarray, sigma: float) -> np.ndarray:
        """Negative log-likelihood of the speed in [s, e) around its own mean, for a segment
        model whose speed varies by ``sigma``: a loose model (a warm-up with strides and
        stops) fits anything but pays ln(sigma) for every cell, so it cannot swallow a rep."""
        return self.sse(s, e) / (2.0 * sigma * sigma) + (e - s) * np.log(sigma)


def build_signal(activity: Activity, dt: float = 1.0) -> Signal:
    t = activity.t
    n = max(int(np.ceil(activity.duration_s / dt)), 1)
    centres = (np.arange(n) + 0.5) * dt
    edges = np.arange(n + 1) * dt
    speed = activity_speed(activity)
    v = np.interp(centres, t, speed)
    paused = np.zeros(n, dtype=bool)
    for p in activity.pauses:
        paused[(centres > p.start_s) & (centres < p.end_s)] = True
    v[paused] = 0.0
    if activity.distance is not None:
        d = np.interp(edges, t, activity.distance)
    else:
        d = np.concatenate([[0.0], np.cumsum(v * dt)])
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])
    sp = np.concatenate([[0], np.cumsum(paused)])
    return Signal(dt, v, d, paused, s1, s2, sp, _noise(v[~paused]))


def activity_speed(activity: Activity) -> np.ndarray:
    """Speed per record, from the device, else from distance; zeros if neither exists."""
    if activity.speed is not None:
        return np.nan_to_num(activity.speed, nan=0.0)
    return np.zeros(len(activity.t))


def _noise(v: np.ndarray) -> float:
    """Robust sample-to-sample speed noise (MAD of first differences), kept in a sane range."""
    if len(v) < 3:
        return 0.3
    diff = np.diff(v)
    mad = float(np.median(np.abs(diff - np.median(diff))))
    return float(np.clip(1.4826 * mad / np.sqrt(2.0), 0.08, 1.0))
