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

from workoutcheck.model.stats import median, unique

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
    wanted = []
    for i in range(1, len(boundaries) - 1):
        b = boundaries[i]
        if min(b - boundaries[i - 1], boundaries[i + 1] - b) < MIN_SIDE_S:
            continue  # seconds of recording on one side: no level there to fit a change to
        wanted.append((i, b, *fit_window(t, boundaries, i)))
    for i, found in _onsets(t, d, wanted, search_s):  # all at once: ``fit_change`` for each
        if found is not None:
            out[i] = found[0] + RAMP_SHARE * found[1]
            if ramps is not None:
                ramps[i] = found[1]
    for i in range(1, len(out) - 1):
        out[i] = min(max(out[i], out[i - 1] + 0.5), max(out[i + 1] - 0.5, out[i - 1] + 0.5))
    return out


def fit_window(t: np.ndarray, boundaries: list[float], i: int) -> tuple[float, float]:
    """The records that take part in the fit of interior boundary ``i``: up to ``WINDOW_S``
    either side, and no further than halfway to the neighbouring boundaries, whose changes of
    pace are theirs (``_with_records``: unless that leaves no record on one side). The
    recording's start has none: the first boundary's fit may reach it (a race from the file's
    first second starts there, not at the first dip of its pace)."""
    b = boundaries[i]
    lo = max(b - WINDOW_S, boundaries[0] if i == 1 else 0.5 * (boundaries[i - 1] + b))
    hi = min(b + WINDOW_S, 0.5 * (b + boundaries[i + 1]))
    return _with_records(t, b, lo, hi, boundaries[i - 1], boundaries[i + 1])


SIDE_RECORDS = 2  # records a fit is given on a side of the boundary that has none in its window


def _with_records(
    t: np.ndarray, b: float, lo: float, hi: float, before: float, after: float
) -> tuple[float, float]:
    """The window [lo, hi], where it holds no record on one side of ``b``, widened to hold
    ``SIDE_RECORDS`` there, no further than the neighbouring boundary (``before``, ``after``).
    A watch on smart recording writes nothing for 10-20 s while the runner stands: with no
    record of the stand inside the window, the fit saw only the rep and placed its start at a
    wobble of the GPS speed 14 s into it (a 4 x 400 m set with 30 s stands on a track GPX)."""
    k = int(np.searchsorted(t, b))
    if k >= SIDE_RECORDS and t[k - 1] < lo:
        lo = max(float(t[k - SIDE_RECORDS]), before)
    j = int(np.searchsorted(t, b, side="right"))
    if j + SIDE_RECORDS - 1 < len(t) and t[j] > hi:
        hi = min(float(t[j + SIDE_RECORDS - 1]), after)
    return lo, hi


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


# All the boundaries' fits at once. Each fit is ``_best``'s least squares: the sums it needs
# (of 1, g and r, their products, and y times each, per onset and ramp) are sums of powers of
# the time from the onset over three runs of a boundary's points (before the onset, in the
# ramp, after it), so they are read from running sums of the powers on each boundary's points
# at no cost per point. Those sums round differently from ``_best``'s matrix products, so they
# only screen: the onsets and ramps whose fit comes within SCREEN_SLACK of the best (and any
# whose contrast or levels sit at their thresholds) are fitted again by ``_best``'s very
# operations, one matrix product and solve per pair, and the best of those is its choice.
# (the screen's and the exact fits' sums of squares differ by < 6e-12 x (y . y + 1), their
# speeds by < 2e-8 m/s, over 1.1 M fits of the samples, the corpus cases and a stress set; a
# badly conditioned fit, where rounding could grow, is left to ``_best`` altogether)
SCREEN_SLACK = 1e-7  # x (y . y + 1)
SCREEN_SPEED = 1e-5  # m/s: contrast and level tests this near their thresholds go to the fits
SCREEN_CONDITION = 1e-9  # the equations' determinant over the product of their diagonal
SCREEN_ELEMENTS = 1 << 17  # (boundary, onset, ramp) triples screened at once: ~60 MB at most
MOMENTS = 7  # the running sums kept per point: u, u^2, u^3, u^4, y, y u, y u^2


class _Points:
    """Each boundary's points (``count`` of them from index ``i0`` of t), their distances
    centred (``y``, a row per boundary, zeros beyond its count), and running sums of the
    powers of their times (``u``, from the middle of the points) for the screen."""

    def __init__(self, t: np.ndarray, i0: list[int], ys: list[np.ndarray], hi: list[float]):
        self.t = t
        self.i0 = np.array(i0, dtype=np.int64)
        self.count = np.array([len(y) for y in ys], dtype=np.int64)
        self.hi = np.array(hi, dtype=np.float64)
        self.yy = np.array([float(y @ y) for y in ys])
        width = int(self.count.max(initial=1))
        inside = np.arange(width)[None, :] < self.count[:, None]
        self.y = np.zeros(inside.shape)
        if len(ys):
            self.y[inside] = np.concatenate(ys)
        at = np.minimum(self.i0[:, None] + np.arange(width)[None, :], len(t) - 1)
        self.origin = 0.5 * (t[self.i0] + t[np.maximum(self.i0 + self.count - 1, 0)])
        u = np.where(inside, t[at] - self.origin[:, None], 0.0)
        terms = np.stack([u, u**2, u**3, u**4, self.y, self.y * u, self.y * u**2], axis=-1)
        sums = np.zeros((len(ys), width + 1, MOMENTS))
        np.cumsum(terms, axis=1, out=sums[:, 1:])
        self.sums = sums


def _onsets(
    t: np.ndarray, d: np.ndarray, wanted: list[tuple[int, float, float, float]], search_s: float
) -> list[tuple[int, tuple[float, float] | None]]:
    """(i, ``fit_change(t, d, near, lo, hi, search_s)``) for each (i, near, lo, hi) in
    ``wanted``, all fitted at once."""
    if len(t) < 2 or not bool(np.all(t[1:] >= t[:-1])) or not wanted:
        return [(i, fit_change(t, d, b, lo, hi, search_s)) for i, b, lo, hi in wanted]
    index = [i for i, _, _, _ in wanted]
    near, lo, hi = (np.array([w[k] for w in wanted], dtype=np.float64) for k in (1, 2, 3))
    out: list[tuple[float, float] | None] = [None] * len(near)
    i0s = np.searchsorted(t, lo, side="left")
    i1s = np.searchsorted(t, hi, side="right")  # the points in [lo, hi]
    todo, i0, ys, his, grids, spans = [], [], [], [], [], []
    for k in np.flatnonzero(i1s - i0s >= MIN_POINTS):
        a, z = int(i0s[k]), int(i1s[k])
        first = max(lo[k], near[k] - search_s, t[a] + STEP_S)
        last = min(hi[k], near[k] + search_s, t[z - 1] - STEP_S)
        if first > last:
            continue
        todo.append(int(k))
        i0.append(a)
        ys.append(d[a:z] - d[a:z].mean())
        his.append(float(hi[k]))
        grids.append(np.arange(first, last + 1e-9, 1.0))
        spans.append((first, last))
    if not todo:
        return list(zip(index, out, strict=True))
    points = _Points(t, i0, ys, his)
    rough = _best_all(points, grids)
    fine_grids = [
        np.arange(max(first, r[0] - 1.0), min(last, r[0] + 1.0) + 1e-9, STEP_S)
        if r is not None
        else np.zeros(0)
        for r, (first, last) in zip(rough, spans, strict=True)
    ]
    for j, f in zip(todo, _best_all(points, fine_grids), strict=True):
        out[j] = f
    return list(zip(index, out, strict=True))


def _best_all(points: _Points, grids: list[np.ndarray]) -> list[tuple[float, float] | None]:
    """``_best`` for every boundary of ``points`` over its grid of onsets."""
    out: list[tuple[float, float] | None] = [None] * len(grids)
    items = [i for i, g in enumerate(grids) if len(g)]
    start = 0
    while start < len(items):
        # as many boundaries as keep the screen's arrays under SCREEN_ELEMENTS
        stop, longest = start, 0
        while stop < len(items):
            longest = max(longest, len(grids[items[stop]]))
            if stop > start and (stop - start + 1) * longest * len(RAMPS_S) > SCREEN_ELEMENTS:
                break
            stop += 1
        chunk = np.array(items[start:stop])
        for i, found in zip(chunk, _best_chunk(points, chunk, grids), strict=True):
            out[i] = found
        start = stop
    return out


def _best_chunk(
    points: _Points, rows: np.ndarray, grids: list[np.ndarray]
) -> list[tuple[float, float] | None]:
    lengths = np.array([len(grids[i]) for i in rows])
    real = np.arange(int(lengths.max()))[None, :] < lengths[:, None]
    taus = np.zeros(real.shape)
    taus[real] = np.concatenate([grids[i] for i in rows])
    taus = np.where(real, taus, taus[np.arange(len(rows)), lengths - 1][:, None])
    keep, sse, trouble = _screen(points, rows, taus, real)
    del sse
    out: list[tuple[float, float] | None] = [None] * len(rows)
    sure = np.flatnonzero(~trouble)
    found, failed = _decide(points, rows[sure], taus[sure], keep[sure])
    for k, f, bad in zip(sure, found, failed, strict=True):
        out[k] = f
        trouble[k] |= bad
    for k in np.flatnonzero(trouble):
        # what the screen cannot vouch for: fitted as one boundary alone
        i = rows[k]
        tt = points.t[points.i0[i] : points.i0[i] + points.count[i]]
        out[k] = _best(tt, points.y[i, : points.count[i]], grids[i], float(points.hi[i]))
    return out


def _screen(
    points: _Points, rows: np.ndarray, taus: np.ndarray, real: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the boundaries ``rows`` and their onsets ``taus`` (``real`` where not padding):
    which (onset, ramp) pairs may be ``_best``'s choice (boundary, onset, ramp), the screen's
    residual sums of squares, and the boundaries the screen cannot decide."""
    t, w = points.t, RAMPS_S[None, None, :]
    i0, count = points.i0[rows], points.count[rows]
    flat = points.sums.reshape(-1, MOMENTS)
    base = rows * points.sums.shape[1]
    # the runs of points: [0, a) up to the onset, [a, b) in the ramp, [b, count) after it
    a = np.clip(np.searchsorted(t, taus, side="right") - i0[:, None], 0, count[:, None])
    ends = taus[:, :, None] + w
    b = np.searchsorted(t, ends, side="left") - i0[:, None, None]
    b = np.clip(b, a[:, :, None], count[:, None, None])
    at_a = flat[base[:, None] + a][:, :, None, :]
    at_b = flat[base[:, None, None] + b]
    total = flat[base + count][:, None, None, :]
    h = (taus - points.origin[rows][:, None])[:, :, None]  # the onset, from the points' middle
    _, f1, f2, _, _, _, fy1, _ = _moments(a[:, :, None], at_a, h)  # g = s, r = 0
    _, m1, m2, m3, m4, _, my1, my2 = _moments(b - a[:, :, None], at_b - at_a, h)  # r = s^2/2w
    c3, l1, l2, _, _, ly0, ly1, _ = _moments(count[:, None, None] - b, total - at_b, h)  # g = w/2
    half = w / 2
    sg = f1 + (m1 - m2 / (2 * w)) + c3 * half
    sr = m2 / (2 * w) + (l1 - c3 * half)
    sgg = f2 + (m2 - m3 / w + m4 / (4 * w * w)) + c3 * half * half
    sgr = (m3 / (2 * w) - m4 / (4 * w * w)) + half * (l1 - c3 * half)
    srr = m4 / (4 * w * w) + (l2 - 2 * half * l1 + c3 * half * half)
    sy = total[..., 4]
    sgy = fy1 + (my1 - my2 / (2 * w)) + half * ly0
    sry = my2 / (2 * w) + (ly1 - half * ly0)
    # the normal equations [[n, sg, sr], [sg, sgg, sgr], [sr, sgr, srr]] + 1e-9 I, by cofactors
    a00, a11, a22 = count[:, None, None] + 1e-9, sgg + 1e-9, srr + 1e-9
    c00, c11, c22 = a11 * a22 - sgr * sgr, a00 * a22 - sr * sr, a00 * a11 - sg * sg
    c01, c02, c12 = sgr * sr - sg * a22, sg * sgr - a11 * sr, sg * sr - a00 * sgr
    det = a00 * c00 + sg * c01 + sr * c02
    p0 = (c00 * sy + c01 * sgy + c02 * sry) / det
    v_a = (c01 * sy + c11 * sgy + c12 * sry) / det
    v_b = (c02 * sy + c12 * sgy + c22 * sry) / det
    yy = points.yy[rows][:, None, None]
    sse = yy - (p0 * sy + v_a * sgy + v_b * sry)
    inside = real[:, :, None] & (ends <= points.hi[rows][:, None, None])
    contrast = np.abs(v_b - v_a)
    sure = (contrast >= MIN_CONTRAST + SCREEN_SPEED) & (v_a > -0.5 + SCREEN_SPEED)
    sure &= (v_b > -0.5 + SCREEN_SPEED) & inside
    maybe = (contrast >= MIN_CONTRAST - SCREEN_SPEED) & (v_a > -0.5 - SCREEN_SPEED)
    maybe &= (v_b > -0.5 - SCREEN_SPEED) & inside
    # where no pair surely passes the tests, every pair that may is fitted exactly
    best = np.where(sure, sse, np.inf).min(axis=(1, 2))[:, None, None]
    keep = maybe & (sse <= best + SCREEN_SLACK * (yy + 1.0))
    sound = np.isfinite(sse) & (det > SCREEN_CONDITION * (a00 * a11 * a22))
    unsound = ~sound & real[:, :, None]
    return keep, sse, unsound.any(axis=(1, 2))


def _moments(c: np.ndarray, raw: np.ndarray, h: np.ndarray) -> list[np.ndarray]:
    """Over a run of ``c`` points with running sums ``raw`` of u^1..4, y, y u, y u^2: the
    count and the sums of s^1..4, y, y s, y s^2 for s = u - h (the time from the onset)."""
    c0 = c.astype(np.float64)
    s1, s2, s3, s4, y0, y1, y2 = (raw[..., k] for k in range(MOMENTS))
    hh = h * h
    p1 = s1 - h * c0
    p2 = s2 - 2 * h * s1 + hh * c0
    p3 = s3 - 3 * h * s2 + 3 * hh * s1 - hh * h * c0
    p4 = s4 - 4 * h * s3 + 6 * hh * s2 - 4 * hh * h * s1 + hh * hh * c0
    return [c0, p1, p2, p3, p4, y0, y1 - h * y0, y2 - 2 * h * y1 + hh * y0]


def _decide(
    points: _Points, rows: np.ndarray, taus: np.ndarray, keep: np.ndarray
) -> tuple[list[tuple[float, float] | None], np.ndarray]:
    """``_best``'s choice for each boundary of ``rows`` among the (onset, ramp) pairs ``keep``
    marks, each pair fitted by the very operations ``_best`` uses (a matrix product and a
    solve per pair, so no fit depends on those done beside it); and the boundaries whose fits
    gave up (``_best`` raises nothing for them: it is asked again)."""
    failed = np.zeros(len(rows), dtype=bool)
    if not len(rows):
        return [], failed
    own, k_tau, k_ramp = np.nonzero(keep)  # in _best's order: boundary, onset, ramp
    tau, ramp = taus[own, k_tau], RAMPS_S[k_ramp]
    row = rows[own]
    count = points.count[row]
    sse = np.full(len(own), np.inf)
    ok = np.zeros(len(own), dtype=bool)
    for size in unique(count):
        # the pairs of the boundaries with this many points, fitted together
        sel = np.flatnonzero(count == size)
        tt = points.t[points.i0[row[sel], None] + np.arange(size)[None, :]]
        y = points.y[row[sel], :size]
        s = tt - tau[sel, None]  # (pair, point)
        w = ramp[sel, None]
        r_int = np.where(s <= 0, 0.0, np.where(s < w, s * s / (2 * w), s - w / 2))
        g_a = np.minimum(s, 0.0) + (np.clip(s, 0.0, None) - r_int)
        X = np.empty((*s.shape, 3))
        X[..., 0], X[..., 1], X[..., 2] = 1.0, g_a, r_int
        xt = np.swapaxes(X, -1, -2)
        xtx = xt @ X + np.eye(3) * 1e-9
        xty = (xt @ y[..., None])[..., 0]
        try:
            p = np.linalg.solve(xtx, xty[..., None])[..., 0]
        except np.linalg.LinAlgError:
            failed[unique(own[sel])] = True
            continue
        sse[sel] = points.yy[row[sel]] - np.sum(p * xty, axis=-1)
        v_a, v_b = p[..., 1], p[..., 2]
        good = (np.abs(v_b - v_a) >= MIN_CONTRAST) & (v_a > -0.5) & (v_b > -0.5)
        ok[sel] = good & (tau[sel] + ramp[sel] <= points.hi[row[sel]])
    value = np.where(ok, sse, np.inf)
    present, first = np.unique(own, return_index=True)
    least = np.minimum.reduceat(value, first)[np.searchsorted(present, own)]
    # the first of the best in _best's order, as its argmin takes it
    hits = np.flatnonzero(ok & (value == least))
    first_of, at = np.unique(own[hits], return_index=True)
    out: list[tuple[float, float] | None] = [None] * len(rows)
    for q, c in zip(first_of, hits[at], strict=True):
        out[q] = (float(tau[c]), float(ramp[c]))
    return out, failed


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
SPAN_MAX_MOVE_S = 4.0  # no boundary moves further than this
SPAN_UNFITTED_RAMP_S = 10.0  # a boundary no change was fitted to counts as this loosely placed


def distance_spans(
    t: np.ndarray,
    d: np.ndarray,
    prescribed: list[float | None],
    first: int,
    times: list[float],
    ramps: list[float | None],
    *,
    max_scale: float | None = None,
    max_spread: float | None = None,
    tolerance: float = SPAN_TOLERANCE,
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
    scale = float(median(ratio))
    spread = float(median(np.abs(ratio - scale)))
    max_scale = SPAN_MAX_SCALE if max_scale is None else max_scale
    max_spread = SPAN_MAX_SPREAD if max_spread is None else max_spread
    if abs(scale - 1.0) > max_scale or spread > max_spread:
        return times
    out = list(times)
    last = len(times) - 1
    for (k, p), r in zip(spans, ratio, strict=True):
        excess = (float(np.clip(r, 1 - tolerance, 1 + tolerance)) - r) * p
        if excess == 0.0:
            continue
        u_s = 0.0 if k == 0 else (ramps[k] or SPAN_UNFITTED_RAMP_S)  # the recording's ends stay
        u_e = 0.0 if k + 1 == last else (ramps[k + 1] or SPAN_UNFITTED_RAMP_S)
        if u_s + u_e <= 0:
            continue
        share_s = u_s * u_s / (u_s * u_s + u_e * u_e)
        new_s = _time_at(t, d, at[k] - share_s * excess, latest=True) if k > 0 else out[k]
        new_e = (
            _time_at(t, d, at[k + 1] + (1 - share_s) * excess, latest=False)
            if k + 1 < last
            else out[k + 1]
        )
        # a fit is seconds off, not tens: a span further off is another effort, left as it is
        new_s = float(np.clip(new_s, out[k] - SPAN_MAX_MOVE_S, out[k] + SPAN_MAX_MOVE_S))
        new_e = float(np.clip(new_e, out[k + 1] - SPAN_MAX_MOVE_S, out[k + 1] + SPAN_MAX_MOVE_S))
        new_s = max(new_s, out[k - 1] + 0.5) if k > 0 else new_s
        new_e = min(new_e, out[k + 2] - 0.5) if k + 2 <= last else new_e
        if new_s < new_e - 0.5:
            out[k], out[k + 1] = new_s, new_e
    return out


def _time_at(t: np.ndarray, d: np.ndarray, metres: float, *, latest: bool) -> float:
    """When the (non-decreasing) distance ``d`` reached ``metres``: the last moment it was
    there (``latest``, for a start: not back across a stand) or the first (for an end)."""
    n = len(d)
    if latest:
        j = int(np.clip(np.searchsorted(d, metres, side="right") - 1, 0, n - 2))
    else:
        j = int(np.clip(np.searchsorted(d, metres, side="left") - 1, 0, n - 2))
    step = d[j + 1] - d[j]
    frac = float(np.clip((metres - d[j]) / step, 0.0, 1.0)) if step > 0 else 1.0 if latest else 0.0
    return float(t[j] + frac * (t[j + 1] - t[j]))
