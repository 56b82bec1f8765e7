"""The runner's body signals on a 1 s grid: heart rate and cadence, driven by true speed.

Heart rate lags effort (it climbs for tens of seconds into a rep and falls more slowly in the
recovery), which is why HR cannot place a rep boundary to the second; cadence follows speed
almost instantly. Both are crude on purpose: readers and scorers only need them plausible.
"""

from __future__ import annotations

import numpy as np

from samplegen.noise import ar1
from samplegen.runner import Runner


def _asymmetric_lag(x: np.ndarray, tau_up: float, tau_down: float, x0: float) -> np.ndarray:
    """First-order lag that rises faster than it falls, as heart rate does."""
    a_up, a_down = 1.0 - np.exp(-1.0 / tau_up), 1.0 - np.exp(-1.0 / tau_down)
    out = np.empty(len(x))
    y = x0
    for k, v in enumerate(x):
        y += (a_up if v > y else a_down) * (v - y)
        out[k] = y
    return out


def heart_rate(rng: np.random.Generator, runner: Runner, speed_1s: np.ndarray) -> np.ndarray:
    """bpm per second. Effort rises with speed; slow cardiac drift over the session."""
    frac = np.clip(speed_1s / runner.vo2_speed_mps, 0.0, 1.2)
    effort = np.where(speed_1s < 0.3, 0.22, 0.30 + 0.62 * frac**1.6)
    drift = 1.0 + 0.04 * np.arange(len(speed_1s)) / 3600.0
    target = runner.hr_rest + (runner.hr_max - runner.hr_rest) * np.clip(effort * drift, 0.0, 1.0)
    hr = _asymmetric_lag(target, tau_up=18.0, tau_down=45.0, x0=runner.hr_rest + 15.0)
    hr = hr + ar1(rng, len(hr), 1.2, 8.0)
    return np.clip(np.round(hr), 40, 220).astype(int)


def cadence_spm(rng: np.random.Generator, runner: Runner, speed_1s: np.ndarray) -> np.ndarray:
    """Steps per minute (both legs), rounded to an even number so per-leg FIT cadence is exact."""
    v = speed_1s
    spm = np.where(v < 0.3, 0.0, np.where(v < 2.0, 95.0 + 12.0 * v, 145.0 + 7.0 * v))
    spm = np.where(v < 0.3, 0.0, spm + runner.cadence_offset_spm + ar1(rng, len(v), 1.5, 5.0))
    return (2 * np.round(spm / 2)).astype(int)
