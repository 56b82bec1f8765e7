"""Correlated noise: the one building block of GPS error, pace wobble and sensor jitter.

Real GPS position error is not white: it drifts over tens of seconds (multipath, satellite
geometry), which is why raw GPS distance is only mildly inflated yet rep boundaries wander.
A first-order Gauss-Markov process (discrete AR(1)) has exactly that shape: a stationary
standard deviation ``sigma`` and an autocorrelation exp(-lag / tau).
"""

from __future__ import annotations

import numpy as np


def ar1(
    rng: np.random.Generator, n: int, sigma: float, tau_s: float, dt: float = 1.0
) -> np.ndarray:
    """``n`` samples, ``dt`` apart, of a stationary AR(1) process (std ``sigma``, time constant
    ``tau_s``). Started from the stationary distribution so there is no warm-up transient."""
    if n <= 0:
        return np.zeros(0)
    phi = float(np.exp(-dt / tau_s))
    innov = rng.standard_normal(n) * sigma * np.sqrt(1.0 - phi * phi)
    innov[0] = rng.standard_normal() * sigma
    # x[k] = phi * x[k-1] + innov[k]: a linear recurrence; a Python loop over a few thousand
    # samples costs microseconds and stays exact (no scipy needed).
    out = np.empty(n)
    x = 0.0
    for k in range(n):
        x = phi * x + innov[k]
        out[k] = x
    return out


def first_order_lag(
    x: np.ndarray, tau_s: float, dt: float = 1.0, x0: float | None = None
) -> np.ndarray:
    """Exponential smoothing y' = (x - y) / tau: how a watch's speed filter (or a heart) lags."""
    alpha = 1.0 - float(np.exp(-dt / tau_s))
    out = np.empty(len(x))
    y = float(x[0] if x0 is None else x0)
    for k, v in enumerate(x):
        y += alpha * (v - y)
        out[k] = y
    return out


def asymmetric_lag(
    x: np.ndarray, rise_tau_s: float, fall_tau_s: float, x0: float = 0.0
) -> np.ndarray:
    """``first_order_lag`` with one time constant while ``x`` is above the output (speeding
    up) and another while below (slowing): a watch's speed field that takes a rep's first
    strides sooner than it lets go of its last (the corpus's FIT files: about 1.8 s sooner)."""
    up, down = 1.0 - float(np.exp(-1.0 / rise_tau_s)), 1.0 - float(np.exp(-1.0 / fall_tau_s))
    out = np.empty(len(x))
    y = float(x0)
    for k, v in enumerate(x):
        y += (up if v > y else down) * (v - y)
        out[k] = y
    return out
