"""The dynamic programme that aligns a chain of expected segments to the speed signal.

Each state is one kind of segment the runner may produce (rep 3, the jog after it, a skipped
rep's long recovery, an unplanned extra effort). A state's cost for the cells [s, e) adds
how unevenly the speed sits around the segment's mean (sharp boundaries fall where the speed
changes), how far the mean speed is from the state's expected level, and how far the
segment's distance or time is from the prescription. Each state looks back only over a
window of starts its prescription allows, so the work is linear in the recording's length.

A free warm-up before the first state and a free cool-down after the last absorb whatever
the runner did before and after the plan. Costs are negative log-likelihoods: each kind of
segment has its own spread of speed (tight for reps, loose for warm-ups), so a loose segment
can hold strides and stops cheaply but pays for every second it takes from a rep.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workoutcheck.segment.signal import Signal

INF = np.inf
PRE = -1  # the free warm-up, as a predecessor
MAX_WINDOW_CELLS = 1200
END_PIECE_S = 60.0
COOLDOWN_GRID_S = 10.0  # the two pieces of a cool-down meet on this grid...
COOLDOWN_SPLITS = 400  # ...of at most this many edges
COOLDOWN_PIECE_S = 30.0  # each piece lasts at least this long
COOLDOWN_PIECE_PENALTY = 10.0
COOLDOWN_CHUNK = 4096  # start edges per block, to bound memory
LEVEL_TRIM_S = 6.0


@dataclass
class State:
    """One segment type in the chain, with its cost parameters and its predecessors."""

    name: str
    kind: str  # rep, recovery, extra, stride, warmup
    step: int | None
    rep: int | None
    lo: np.ndarray  # earliest start edge for each end edge (n + 1)
    hi: np.ndarray  # latest start edge for each end edge
    v_lo: float = 0.0  # mean speed below this is penalised
    v_hi: float = INF  # mean speed above this is penalised
    v_scale: float = 0.2  # m/s: how fast the level penalty grows
    sigma: float = 0.3  # m/s: how much the speed varies inside such a segment
    length_mode: str | None = None  # "distance" | "time" | None
    length: float = 0.0  # m or s
    length_sigma: float = 1.0
    pause_cost: float = 0.0  # per paused cell (efforts are not run with the watch stopped)
    preds: list[tuple[int, float]] = field(default_factory=list)  # (state or PRE, penalty)
    end_penalty: float | None = None  # None: cannot be followed by the free cool-down
    skips: tuple[int, ...] = ()  # reps this state stands in for (a missed rep's recovery)
    ends: np.ndarray | None = None  # if set, the only end edges allowed (a refining pass)
    open_ended: bool = False  # time beyond the length costs only while moving (the rest after the last rep)


@dataclass(frozen=True)
class Free:
    """The free warm-up and cool-down: loose spread, and slower than the reps."""

    sigma: float
    v_hi: float = INF
    v_scale: float = 0.2

    def cost(self, sig: Signal, s: np.ndarray, e: np.ndarray) -> np.ndarray:
        cost = sig.fit_cost(s, e, self.sigma, stops_free=True)
        if np.isfinite(self.v_hi):
            length = np.maximum(e - s, 0) * sig.dt
            cost = cost + length * (np.maximum(sig.mean(s, e) - self.v_hi, 0.0) / self.v_scale) ** 2
        return cost


@dataclass(frozen=True)
class Placed:
    state: int
    start: int  # edge
    end: int  # edge


def state_cost(sig: Signal, st: State, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    length = np.maximum(e - s, 1) * sig.dt  # seconds
    stops_free = st.kind not in ("rep", "extra", "stride")
    cost = sig.fit_cost(s, e, st.sigma, stops_free=stops_free)
    # the level is judged on the segment's core, so a few seconds of acceleration at either
    # end do not push its boundaries inwards
    trim = np.minimum(int(LEVEL_TRIM_S // sig.dt), (e - s) // 4)
    mean = sig.mean(s + trim, e - trim)
    if st.v_lo > 0:
        cost = cost + length * (np.maximum(st.v_lo - mean, 0.0) / st.v_scale) ** 2
    if np.isfinite(st.v_hi):
        if stops_free:
            # as for the free segments: the moving part must be slow, standing aside
            moving = (sig.mc[e - trim] - sig.mc[s + trim]) * sig.dt
            cost = cost + moving * (np.maximum(sig.moving_mean(s + trim, e - trim) - st.v_hi, 0.0) / st.v_scale) ** 2
        else:
            cost = cost + length * (np.maximum(mean - st.v_hi, 0.0) / st.v_scale) ** 2
    if st.length_mode == "distance":
        cost = cost + ((sig.d[e] - sig.d[s] - st.length) / st.length_sigma) ** 2
    elif st.length_mode == "time":
        off = length - st.length
        if st.open_ended:
            # standing and walking about after the session cost nothing; running on does
            moving = (sig.mc[e] - sig.mc[s]) * sig.dt
            off = np.where(off > 0, np.maximum(moving - st.length, 0.0), off)
        cost = cost + (off / st.length_sigma) ** 2
    if st.pause_cost:
        cost = cost + st.pause_cost * sig.dt * (sig.sp[e] - sig.sp[s])
    return cost


def solve(
    sig: Signal, states: list[State], free: Free, bonus: np.ndarray | None = None
) -> tuple[list[Placed], float]:
    """Best chain: free warm-up, states along their predecessor links, free cool-down.

    ``bonus`` (n + 1, usually <= 0) is added at every boundary edge, so boundaries that
    agree with lap presses are preferred where the speed leaves the choice open.
    """
    n = sig.n
    edges = np.arange(n + 1)
    if bonus is None:
        bonus = np.zeros(n + 1)
    pre = _free_ends(sig, free, at_start=True)
    best = np.full((len(states), n + 1), INF)
    arg_start = np.zeros((len(states), n + 1), dtype=np.int64)
    arg_pred = np.zeros((len(states), n + 1), dtype=np.int64)

    for j, st in enumerate(states):
        incoming = np.full(n + 1, INF)
        chosen = np.full(n + 1, PRE, dtype=np.int64)
        for p, penalty in st.preds:
            cand = (pre if p == PRE else best[p]) + penalty
            better = cand < incoming
            incoming[better] = cand[better]
            chosen[better] = p
        incoming = incoming + bonus
        arg_pred[j] = chosen
        best[j], arg_start[j] = _best_ends(sig, st, incoming)

    final, final_state, final_start = INF, -1, n
    post = _free_ends(sig, free, at_start=False)
    post = np.minimum(post, _two_piece_cooldown(sig, free, _end_candidates(states, n)))
    for j, st in enumerate(states):
        if st.end_penalty is None:
            continue
        total = best[j] + st.end_penalty + post + np.where(edges < n, bonus, 0.0)
        k = int(np.argmin(total))
        if total[k] < final:
            final, final_state, final_start = float(total[k]), j, k
    if final_state < 0:
        return [], INF

    placed: list[Placed] = []
    j, end = final_state, final_start
    while j != PRE:
        start = int(arg_start[j][end])
        placed.append(Placed(j, start, end))
        j, end = int(arg_pred[j][start]), start
    placed.reverse()
    return placed, final


def _free_ends(sig: Signal, free: Free, *, at_start: bool) -> np.ndarray:
    """Cost of the free warm-up [0, e) for every e (or cool-down [s, n) for every s).

    Either may end with (or begin with) a short piece of its own: the minute of standing,
    pressing buttons or stopping that files begin and end with, which would otherwise weigh
    on the choice of boundaries far away from it.
    """
    n = sig.n
    edges = np.arange(n + 1)
    short = int(min(max(END_PIECE_S / sig.dt, 1), n))
    cut = np.arange(short + 1)
    if at_start:
        u = np.minimum(cut[None, :], edges[:, None])  # 0 <= u <= e
        total = free.cost(sig, np.zeros_like(u), u) + free.cost(sig, u, np.broadcast_to(edges[:, None], u.shape))
    else:
        u = np.maximum(n - cut[None, :], edges[:, None])  # s <= u <= n
        total = free.cost(sig, np.broadcast_to(edges[:, None], u.shape), u) + free.cost(sig, u, np.full_like(u, n))
    return total.min(axis=1)


def _end_candidates(states: list[State], n: int) -> np.ndarray:
    """Edges where some state that may end the session can end (all, unless a refining pass
    has pinned them)."""
    enders = [st for st in states if st.end_penalty is not None]
    if any(st.ends is None for st in enders):
        return np.arange(n + 1)
    picked = [st.ends for st in enders if st.ends is not None and len(st.ends)]
    return np.unique(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.int64)


def _two_piece_cooldown(sig: Signal, free: Free, starts: np.ndarray) -> np.ndarray:
    """Cost of a cool-down [s, n) run at two levels, for every s in ``starts`` (INF elsewhere).

    Real cool-downs are irregular: a jog, a stand, a walk back. As one level the jog and the
    walk cost more than explaining the jog as a recovery "over a missed last rep", so the
    last rep goes missing and the one before it turns extra. The split between the pieces
    is sought on a grid of at most ``COOLDOWN_SPLITS`` edges, which keeps this linear."""
    n = sig.n
    out = np.full(n + 1, INF)
    starts = starts[starts < n]
    if len(starts) == 0 or n < 2:
        return out
    step = max(1, int(np.ceil(max(COOLDOWN_GRID_S / sig.dt, n / COOLDOWN_SPLITS))))
    grid = np.arange(step, n, step)
    if len(grid) == 0:
        return out
    tail = free.cost(sig, grid, np.full_like(grid, n))
    least = max(int(np.ceil(COOLDOWN_PIECE_S / sig.dt)), 1)
    for i in range(0, len(starts), COOLDOWN_CHUNK):
        s = starts[i:i + COOLDOWN_CHUNK, None]
        u = grid[None, :]
        ok = (u >= s + least) & (u <= n - least)
        if not ok.any():
            continue
        cost = free.cost(sig, np.broadcast_to(s, ok.shape), np.maximum(u, s)) + tail[None, :]
        out[s[:, 0]] = np.where(ok, cost, INF).min(axis=1) + COOLDOWN_PIECE_PENALTY
    return out


def _best_ends(sig: Signal, st: State, incoming: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every end edge, the best start within the state's window and its total cost."""
    n = sig.n
    ends = np.arange(n + 1) if st.ends is None else st.ends
    best = np.full(n + 1, INF)
    arg = np.zeros(n + 1, dtype=np.int64)
    reachable = np.isfinite(incoming)
    if not reachable.any() or len(ends) == 0:
        return best, arg
    # ends before the first reachable start cannot be reached
    ends = ends[ends > int(np.argmax(reachable))]
    if len(ends) == 0:
        return best, arg
    lo = np.clip(st.lo[ends], 0, n)
    hi = np.minimum(np.clip(st.hi[ends], 0, n), ends - 1)
    width = int(min(max(int((hi - lo).max(initial=0)) + 1, 1), MAX_WINDOW_CELLS))
    starts = hi[:, None] - np.arange(width)[None, :]
    valid = (starts >= lo[:, None]) & (starts >= 0)
    starts = np.clip(starts, 0, n)
    ends2 = np.broadcast_to(ends[:, None], starts.shape)
    total = incoming[starts] + state_cost(sig, st, starts, ends2)
    total[~valid] = INF
    k = np.argmin(total, axis=1)
    rows = np.arange(len(ends))
    best[ends] = total[rows, k]
    arg[ends] = starts[rows, k]
    return best, arg
