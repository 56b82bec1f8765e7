"""Put each boundary where the change of pace begins: the first stride of a rep, the line at
its end.

A coach reads a rep as starting with the first hard stride and ending at the line; the
acceleration belongs to the rep and the slowing after the line to the recovery. Halfway points
of the change (where the speed is midway between the two levels) fall 1-5 s inside the
recovery at both ends, which on a 200 m rep is several per cent of its pace.

The onset is read from the cumulative distance, which the watch integrates once a second even
when it writes a record only every 3-8 s: around each boundary the distance is fitted by a
constant speed, a constant acceleration over ``w`` seconds starting at ``tau``, then another
constant speed. The model is linear in its offset and two speeds once ``tau`` and ``w`` are
fixed, so every (tau, w) on a fine grid is solved at once by least squares and the best is kept.
With sparse records the fit still places ``tau`` between records, from where the two straight
lines of distance meet the bend. The boundary sits ``RAMP_SHARE`` of the way into the fitted
ramp: where the laps sit on real files (see below).
"""

from __future__ import annotations

import numpy as np

SEARCH_S = 12.0  # how far from the programme's boundary the onset is looked for
WINDOW_S = 30.0  # records this far either side take part in the fit
STEP_S = 0.1
RAMPS_S = np.array([0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0])
MIN_CONTRAST = 0.4  # m/s between the two levels, or there is no change to place
MIN_POINTS = 5
MIN_SIDE_S = 5.0  # a boundary this close to its neighbour (the watch stopped at the line) stays
# Where in the fitted ramp the boundary sits. The distance's change of pace begins before the
# lap on every real lapped file measured (samplegen.validate, ``lap_in_change_s``: medians
# 1.0 s at starts, 1.3 s at ends, about a fifth of the fitted ramp): a runner eases into the
# line and a watch smooths its distance over a few seconds, so the fitted ramp starts early.
# A fifth of the ramp brings 88% of the real boundaries within 3 s of the laps (75% at its
# start); samplegen models both (``Runner.ease_s``, ``Quirks.distance_smooth_s``), and on its
# realistic stress set the share moves boundaries onto the truth as well (p90 4.2 -> 3.8 s).
RAMP_SHARE = 0.2


def onset_boundaries(
    t: np.ndarray,
    d: np.ndarray,
    boundaries: list[float],
    *,
    search_s: float = SEARCH_S,
    ramps: list[float | None] | None = None,
) -> list[float]:
    """Interior ``boundaries`` (times, first and last the recording's ends) moved to the onset
    of the change of pace near each; a boundary with no clear change nearby stays put.
    ``ramps``, when given, is filled with each boundary's fitted ramp (s; None where none)."""
    out = list(boundaries)
    if ramps is not None:
        ramps[:] = [None] * len(boundaries)
    for i in range(1, len(boundaries) - 1):
        b = boundaries[i]
        if min(b - boundaries[i - 1], boundaries[i + 1] - b) < MIN_SIDE_S:
            continue  # seconds of recording on one side: no level there to fit a change to
        lo = max(b - WINDOW_S, 0.5 * (boundaries[i - 1] + b))
        hi = min(b + WINDOW_S, 0.5 * (b + boundaries[i + 1]))
        found = fit_change(t, d, b, lo, hi, search_s)
        if found is not None:
            out[i] = found[0] + RAMP_SHARE * found[1]
            if ramps is not None:
                ramps[i] = found[1]
    for i in range(1, len(out) - 1):
        out[i] = min(max(out[i], out[i - 1] + 0.5), max(out[i + 1] - 0.5, out[i - 1] + 0.5))
    return out


def onset(
    t: np.ndarray, d: np.ndarray, near: float, lo: float, hi: float, search_s: float = SEARCH_S
) -> float | None:
    """The boundary of the change of pace in [lo, hi] nearest ``near``, or None: its fitted
    onset, ``RAMP_SHARE`` of the way into its ramp."""
    found = fit_change(t, d, near, lo, hi, search_s)
    return None if found is None else found[0] + RAMP_SHARE * found[1]


def fit_change(
    t: np.ndarray, d: np.ndarray, near: float, lo: float, hi: float, search_s: float = SEARCH_S
) -> tuple[float, float] | None:
    """The onset time and ramp length of the change of pace in [lo, hi] nearest ``near``, or
    None: a search on a one-second grid of onsets, then on a fine grid around the best."""
    sel = (t >= lo) & (t <= hi)
    if sel.sum() < MIN_POINTS:
        return None
    tt, dd = t[sel], d[sel] - d[sel].mean()
    first, last = (
        max(lo, near - search_s, tt[0] + STEP_S),
        min(hi, near + search_s, tt[-1] - STEP_S),
    )
    if first > last:
        return None
    rough = _best(tt, dd, np.arange(first, last + 1e-9, 1.0), hi)
    if rough is None:
        return None
    fine = _best(
        tt, dd, np.arange(max(first, rough[0] - 1.0), min(last, rough[0] + 1.0) + 1e-9, STEP_S), hi
    )
    return fine


def _best(tt: np.ndarray, y: np.ndarray, taus: np.ndarray, hi: float) -> tuple[float, float] | None:
    """The onset among ``taus`` whose best ramp fits the distance ``y`` at ``tt`` best, and
    that ramp's length."""
    if len(taus) == 0:
        return None
    s = tt[None, None, :] - taus[:, None, None]  # (tau, 1, point)
    w = RAMPS_S[None, :, None]
    r_int = np.where(
        s <= 0, 0.0, np.where(s < w, s * s / (2 * w), s - w / 2)
    )  # integral of the ramp
    g_a = np.minimum(s, 0.0) + (np.clip(s, 0.0, None) - r_int)  # time spent at the first speed
    shape = r_int.shape
    X = np.stack(
        [np.ones(shape), np.broadcast_to(g_a, shape), r_int], axis=-1
    )  # (tau, ramp, point, 3)
    xt = np.swapaxes(X, -1, -2)
    xtx = xt @ X + np.eye(3) * 1e-9
    xty = xt @ y
    try:
        p = np.linalg.solve(xtx, xty[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return None
    sse = float(y @ y) - np.sum(p * xty, axis=-1)
    v_a, v_b = p[..., 1], p[..., 2]
    ok = (np.abs(v_b - v_a) >= MIN_CONTRAST) & (v_a > -0.5) & (v_b > -0.5)
    ok &= taus[:, None] + RAMPS_S[None, :] <= hi  # the ramp must end inside the window
    if not ok.any():
        return None
    k = np.unravel_index(int(np.argmin(np.where(ok, sse, np.inf))), sse.shape)
    return float(taus[k[0]]), float(RAMPS_S[k[1]])


# Distance reps whose fitted boundaries disagree with the distance from GPS positions. On a track
# the onset fit places a boundary within a few seconds (sparse records, a slow easing after the
# line, GPS wander), so a 300 m rep's span scatters +-5% (278-314 m on generated 12 x 300 m
# sessions, every metre of it pace error), while the position distance between the true
# boundaries is within 1-2.5% of the prescription. A rep whose fitted span measures more than
# SPAN_TOLERANCE off its prescription had a boundary misplaced: the span is brought back to within
# that, the less sharply fitted boundary (the longer fitted ramp) moving most. Used only where
# the file's reps as a whole agree with their prescriptions (median and spread below): a
# session on a road loop whose GPS reads long, or reps not run to their distance, stay as fitted.
SPAN_TOLERANCE = 0.015
SPAN_MIN_REPS = 3
SPAN_MAX_SCALE = 0.10  # a file whose reps measure more than this off their prescription...
SPAN_MAX_SPREAD = 0.06  # ...or scatter more than this (median deviation): not used
SPAN_UNFITTED_RAMP_S = 10.0  # a boundary no change was fitted to counts as this loosely placed


def distance_spans(
    t: np.ndarray,
    d: np.ndarray,
    prescribed: list[float | None],
    first: int,
    times: list[float],
    ramps: list[float | None],
) -> list[float]:
    """``times`` (boundaries, first and last the recording's ends) with each distance rep's
    span brought to within ``SPAN_TOLERANCE`` of its prescription on the distance ``d``.
    ``prescribed[i]`` is the prescribed metres of placed segment ``i`` (None: not a distance
    rep), which runs from ``times[first + i]`` to ``times[first + i + 1]``; ``ramps`` are the
    boundaries' fitted ramps (``onset_boundaries``)."""
    spans = [(first + i, p) for i, p in enumerate(prescribed) if p and first + i + 1 < len(times)]
    if len(spans) < SPAN_MIN_REPS:
        return times
    ks = np.array([k for k, _ in spans])
    ps = np.array([p for _, p in spans], dtype=float)
    at = np.interp(np.asarray(times, dtype=float), t, d)
    ratio = (at[ks + 1] - at[ks]) / ps
    scale = float(np.median(ratio))
    spread = float(np.median(np.abs(ratio - scale)))
    if abs(scale - 1.0) > SPAN_MAX_SCALE or spread > SPAN_MAX_SPREAD:
        return times
    out = list(times)
    last = len(times) - 1
    for (k, p), r in zip(spans, ratio, strict=True):
        excess = (float(np.clip(r, 1 - SPAN_TOLERANCE, 1 + SPAN_TOLERANCE)) - r) * p
        if excess == 0.0:
            continue
        u_s = 0.0 if k == 0 else (ramps[k] or SPAN_UNFITTED_RAMP_S)  # the recording's ends stay
        u_e = 0.0 if k + 1 == last else (ramps[k + 1] or SPAN_UNFITTED_RAMP_S)
        if u_s + u_e <= 0:
            continue
        share_s = u_s * u_s / (u_s * u_s + u_e * u_e)
        new_s = float(np.interp(at[k] - share_s * excess, d, t)) if k > 0 else out[k]
        new_e = (
            float(np.interp(at[k + 1] + (1 - share_s) * excess, d, t))
            if k + 1 < last
            else out[k + 1]
        )
        new_s = max(new_s, out[k - 1] + 0.5) if k > 0 else new_s
        new_e = min(new_e, out[k + 2] - 0.5) if k + 2 <= last else new_e
        if new_s < new_e - 0.5:
            out[k], out[k + 1] = new_s, new_e
    return out
