"""The runner model: a session's intent -> the TRUE motion (speed, distance, position) on a
fine time grid.

How speed is built. Each segment (or each fixed sub-piece of it, see ``Segment.splits``) is a
*piece* with a speed level. Between two pieces the speed moves from one level to the next
along a raised-cosine ramp of 2-4 s (longer for bigger changes) centred on the piece boundary,
so at the boundary the speed is exactly halfway between the two levels: that is the boundary
rule of the truth files. The levels are multiplied by a slow pace wobble (AR(1), ~1.5 %) and
by fault shapes (fast start). Because distance is linear in the levels, the levels of every
piece with a prescribed distance are then solved for exactly (one small linear system), so a
1000 m rep covers exactly 1000 m between its two boundaries in exactly its intended time,
acceleration and wobble included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from samplegen.noise import ar1
from samplegen.routes import Route
from samplegen.session import Session

DT = 0.1  # s, the true-motion grid; integer seconds fall exactly on it (t = i / 10)


@dataclass(frozen=True)
class Runner:
    """An athlete's habits. Paces come from the session; these shape how they are run."""

    name: str = "runner"
    pace_sd: float = 0.008  # rep-to-rep deviation from the intended pace (fraction of pace)
    wobble_sd: float = 0.015  # pace wobble within a segment (fraction of speed)
    wobble_tau_s: float = 12.0
    fatigue: float = 0.0  # the last rep is this fraction slower than the first
    ramp_s: tuple[float, float] = (2.0, 4.0)  # acceleration / deceleration time, min-max
    hr_rest: float = 52.0
    hr_max: float = 190.0
    vo2_speed_mps: float = 5.0  # speed at which heart rate approaches its maximum
    cadence_offset_spm: float = 0.0  # added to the generic speed -> cadence curve
    stand_before_s: float = 2.0  # standing after the watch is started
    stand_after_s: float = 3.0  # standing before the watch is stopped
    # "centre": transitions are centred on the boundary (the first stress sets' rule);
    # "line": a coach's boundaries: a segment starts at the first stride of its acceleration
    # (``accel_s`` long) and ends at the line, the slowdown after it (``decel_s``) belonging
    # to the next segment
    ramp_align: str = "line"
    accel_s: tuple[float, float] = (2.0, 5.0)
    decel_s: tuple[float, float] = (5.0, 10.0)
    # with "line": the slowing begins this long before the line, the runner easing into it
    # (on the real lapped files the distance's change of pace begins 1-1.5 s before the lap at
    # a rep's end: ``samplegen.validate.lap_in_change_s``); (0, 0): at the line
    ease_s: tuple[float, float] = (0.0, 0.0)

    def describe(self) -> dict:
        return {
            "name": self.name,
            "pace_sd": self.pace_sd,
            "wobble_sd": self.wobble_sd,
            "fatigue": self.fatigue,
            "hr_rest": self.hr_rest,
            "hr_max": self.hr_max,
            "vo2_speed_mps": self.vo2_speed_mps,
        }


@dataclass
class TrueMotion:
    """The true motion on a ``DT`` grid starting at 0 (the watch's first record).

    ``bounds[i]``/``bounds[i+1]`` delimit ``session.segments[i]``; ``bounds[-1]`` is when the
    watch is stopped (the last record). Distances are linear between grid points, so the truth
    is read with ``np.interp`` and matches the solver exactly.
    """

    session: Session
    route: Route
    runner: Runner
    t: np.ndarray
    speed: np.ndarray
    distance: np.ndarray
    bounds: np.ndarray
    route_offset_m: float = 0.0
    notes: dict = field(default_factory=dict)
    # where a session ending with a rep crossed the line: its truth ends there, and the
    # slowing and standing until the watch stops are a segment of their own
    finish_s: float | None = None

    @property
    def duration_s(self) -> float:
        return float(self.bounds[-1])

    def distance_at(self, t) -> np.ndarray:
        return np.interp(t, self.t, self.distance)

    def speed_at(self, t) -> np.ndarray:
        return np.interp(t, self.t, self.speed)

    def time_at_distance(self, d) -> np.ndarray:
        """First time the runner has covered ``d`` (distance is non-decreasing)."""
        # distance has flat stretches while standing; interp on a strictly increasing copy
        dist = self.distance + np.arange(len(self.distance)) * 1e-12
        return np.interp(d, dist, self.t)

    def position_distance(self, t) -> np.ndarray:
        """Distance along the route (offset applied) at times ``t``."""
        return self.distance_at(t) + self.route_offset_m


def _smoothstep(x: np.ndarray) -> np.ndarray:
    """0 -> 1 raised cosine on x in [-0.5, 0.5], exactly 0.5 at x = 0."""
    x = np.clip(x, -0.5, 0.5)
    return 0.5 + 0.5 * np.sin(np.pi * x)


@dataclass
class _Piece:
    start: float
    end: float
    level: float  # m/s, initial guess (exact for fixed pieces)
    distance: float | None  # prescribed distance: the level is solved for
    seg: int


def _plan_pieces(session: Session, runner: Runner, rng: np.random.Generator):
    """Lay the segments out in time with their intended speeds (before physics)."""
    pieces: list[_Piece] = []
    t = runner.stand_before_s
    n_reps = sum(1 for s in session.segments if s.kind == "rep")
    rep_k = 0
    seg_bounds = []
    for i, seg in enumerate(session.segments):
        seg_bounds.append(t)
        if seg.style == "stand":
            pieces.append(_Piece(t, t + seg.duration_s, 0.0, None, i))
            t += seg.duration_s
            continue
        pace = seg.pace_s_per_km * (1.0 + rng.normal(0.0, runner.pace_sd))
        if seg.kind == "rep":
            if n_reps > 1:
                pace *= 1.0 + runner.fatigue * rep_k / (n_reps - 1)
            rep_k += 1
            for f in seg.faults:
                pace *= 1.0 + (f.amount if f.kind == "off_pace" else f.net)
        v = 1000.0 / pace
        if seg.splits:
            for d, dur in seg.splits:
                pieces.append(_Piece(t, t + dur, d / dur, d, i))
                t += dur
        elif seg.distance_m is not None:
            dur = seg.distance_m / v
            pieces.append(_Piece(t, t + dur, v, seg.distance_m, i))
            t += dur
        else:
            pieces.append(_Piece(t, t + seg.duration_s, v, None, i))
            t += seg.duration_s
    return pieces, seg_bounds, t


def _shape(session: Session, pieces: list[_Piece], t: np.ndarray) -> np.ndarray:
    """Fault shapes as a speed multiplier (1 = as planned)."""
    m = np.ones_like(t)
    for seg_i, seg in enumerate(session.segments):
        for f in seg.faults:
            if f.kind != "fast_start":
                continue
            ps = [p for p in pieces if p.seg == seg_i]
            a, b = ps[0].start, ps[-1].end
            tc = a + f.fraction * (b - a)
            slow = f.amount * f.fraction / (1.0 - f.fraction)  # keeps the time-average at 1
            inside = (t >= a) & (t < b)
            step = _smoothstep((t - tc) / 8.0)  # the fade from fast to slow takes ~8 s
            m = np.where(inside, m * (1.0 + f.amount - (f.amount + slow) * step), m)
    return m


def simulate(
    session: Session, runner: Runner, route: Route, seed: int, align_first_rep_end: bool = True
) -> TrueMotion:
    """Turn a session into true motion. Deterministic for a given ``seed``.

    On a track (a route with ``lap_m``) the route is shifted so the first rep ends on the finish
    line, as reps are set out on a real track; on roads the run starts at the route's origin.
    """
    rng = np.random.default_rng(seed)
    pieces, seg_bounds, t_run_end = _plan_pieces(session, runner, rng)
    # a session that ends with a rep ends at the line: the runner runs through it and slows
    # after it, as after every rep, and stands before stopping the watch
    through = runner.ramp_align == "line" and session.segments[-1].kind == "rep"

    # transitions: into piece k at pieces[k].start (k>0), from rest at the start, to rest at the end
    lo, hi = runner.ramp_s
    ease_rng = np.random.default_rng([seed, 3])
    levels0 = [0.0] + [p.level for p in pieces] + [0.0]
    centers, widths = [], []
    for k in range(len(levels0) - 1):
        dv = abs(levels0[k + 1] - levels0[k])
        if (
            runner.ramp_align == "line"
            and 0 < k < len(pieces)
            and pieces[k - 1].seg != pieces[k].seg
        ):
            up = levels0[k + 1] > levels0[k]
            w = float(rng.uniform(*(runner.accel_s if up else runner.decel_s)))
            # the change begins on the boundary, or a little before it where the runner eases
            # into the line (its own draws: the rest of the motion is as it was without)
            ease = float(ease_rng.uniform(*runner.ease_s)) if not up else 0.0
            centers.append(pieces[k].start - ease + w / 2)
            widths.append(w)
            continue
        if k == len(pieces) and through:
            w = float(rng.uniform(*runner.decel_s))  # one draw, as below
            centers.append(pieces[-1].end + w / 2)
            widths.append(w)
            continue
        w = float(np.clip(lo + 0.35 * dv, lo, hi)) * float(rng.uniform(0.9, 1.1))
        w = min(w, hi)
        if k == 0:
            c = pieces[0].start + w / 2  # the runner sets off just after starting the watch
        elif k == len(pieces):
            c = pieces[-1].end - w / 2
        else:
            c = pieces[k].start
        centers.append(c)
        widths.append(w)
    slowing = widths[-1] if through else 0.0
    t_stop = float(np.ceil(t_run_end + slowing + runner.stand_after_s))
    n = int(round(t_stop / DT)) + 1
    t = np.arange(n) / (1.0 / DT)
    steps = np.array(
        [_smoothstep((t - c) / w) for c, w in zip(centers, widths, strict=False)]
    )  # (P+1, n)
    basis = steps[:-1] - steps[1:]  # basis[j]: weight of piece j's level at each instant

    wobble_1s = ar1(rng, int(t_stop) + 2, runner.wobble_sd, runner.wobble_tau_s)
    mult = (1.0 + np.interp(t, np.arange(len(wobble_1s)), wobble_1s)) * _shape(session, pieces, t)

    # cumulative distance contributed by each piece's level (trapezoid on the grid)
    contrib = basis * mult
    cum = np.concatenate(
        [
            np.zeros((len(pieces), 1)),
            np.cumsum((contrib[:, 1:] + contrib[:, :-1]) * (DT / 2), axis=1),
        ],
        axis=1,
    )
    starts = np.array([p.start for p in pieces])
    ends = np.array([p.end for p in pieces])
    # A[i, j] = distance piece j's unit level adds inside piece i
    A = np.array([np.interp(ends, t, c) - np.interp(starts, t, c) for c in cum]).T
    levels = np.array([p.level for p in pieces])
    free = np.array([p.distance is not None for p in pieces])
    if free.any():
        target = np.array([p.distance for p in pieces if p.distance is not None])
        rhs = target - A[np.ix_(free, ~free)] @ levels[~free]
        levels[free] = np.linalg.solve(A[np.ix_(free, free)], rhs)
    if (levels < 0).any():
        raise ValueError("a piece is too short for its distance with these ramps")

    speed = levels @ contrib
    distance = levels @ cum
    bounds = np.array(seg_bounds + [t_stop])
    bounds[0] = 0.0  # the first segment starts with the recording

    offset = 0.0
    lap = getattr(route, "lap_m", None)
    if lap and align_first_rep_end:
        reps = [i for i, s in enumerate(session.segments) if s.kind == "rep"]
        if reps:
            d_end = float(np.interp(bounds[reps[0] + 1], t, distance))
            offset = float(np.mod(-d_end, lap))
    notes = {"piece_levels_mps": [round(float(x), 4) for x in levels]}
    if runner.ramp_align == "line":
        notes["ramp_s"] = [round(w, 2) for w in widths]  # per transition, start and end included
    return TrueMotion(
        session=session,
        route=route,
        runner=runner,
        t=t,
        speed=speed,
        distance=distance,
        bounds=bounds,
        route_offset_m=offset,
        notes=notes,
        finish_s=t_run_end if through else None,
    )
