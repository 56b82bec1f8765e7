"""The dynamic programme that aligns a chain of expected segments to the speed signal.

Each state is one kind of segment the runner may produce (rep 3, the jog after it, a skipped
rep's long recovery, an unplanned extra effort). A state's cost for the cells [s, e) adds
how unevenly the speed sits around the segment's mean (sharp boundaries fall where the speed
changes), how far the mean speed is from the state's expected level, and how far the
segment's distance or time is from the prescription. Each state looks back only over a
window of starts its prescription allows, and only the states the runner can plausibly be
at are carried along the recording (see ``solve``), so the work is linear in the
recording's length even when the plan grows with it.

A free warm-up before the first state and a free cool-down after the last absorb whatever
the runner did before and after the plan (a warm-up the plan gives a length costs a bounded
amount when far from it: ``Free.warmup_cost``). Costs are negative log-likelihoods: each kind of
segment has its own spread of speed (tight for reps, loose for warm-ups), so a loose segment
can hold strides and stops cheaply but pays for every second it takes from a rep.
"""

from __future__ import annotations

import heapq
import weakref
from dataclasses import dataclass, field

import numpy as np

from workoutcheck.model.stats import unique
from workoutcheck.segment.signal import Signal
from workoutcheck.segment.window import Window

INF = np.inf
PRE = -1  # the free warm-up, as a predecessor
MAX_WINDOW_CELLS = 1200
# a partial chain this much dearer than the best way found of covering the same stretch is
# dropped: five skipped or extra reps' penalties, more than any choice the data leaves open
# (0 of 386 sample, stress-set and real-file alignments change against the exact programme)
PRUNE_MARGIN = 300.0
# the strides of an unplanned warm-up are a handful of states with many near-equal ways of
# placing them, one of which may look dear for a while: they are never dropped
UNPRUNED = ("stride", "warmup")
# the programme runs block by block: a block long enough for about this many states of the
# chain to pass through it (fewer blocks cost less overhead; shorter ones keep fewer states)
BLOCK_STATES = 50
MIN_BLOCK_CELLS = 32
END_PIECE_S = 60.0
COOLDOWN_GRID_S = 10.0  # the pieces of a cool-down meet on this grid...
COOLDOWN_SPLITS = 400  # ...of at most this many edges
COOLDOWN_PIECE_S = 30.0  # each piece lasts at least this long
COOLDOWN_PIECE_PENALTY = 10.0
COOLDOWN_CHUNK = 1024  # start edges per block, to bound memory
WALK_ROWS = 64  # splits per block of the walk-then-jog table, to bound memory
COOLDOWN_WALK = 1.8  # m/s: walking about (a cool-down's walk back; a stood or walked rest)
LEVEL_TRIM_S = 6.0
# a warm-up the plan gives a length is run about that long: free from this much shorter...
WARMUP_SHORTER = 1.25
WARMUP_LONGER = 2.5  # ...to this much longer (runners warm up longer than written far more often)
WARMUP_PRIOR_SPREAD = 0.25  # then dearer with the log ratio beyond, on this scale...
# ...to at most this: it decides where the data leave rep 1 open (a progressive set's first rep
# at the warm-up's pace put 12 minutes into a 15-minute warm-up, rep 5 then "extra"), never
# against them: on the corpus's real sessions with a warm-up, a plan stating it at a fifth to
# five times its length finds the same reps (at 200 one did not)
WARMUP_PRIOR_COST = 100.0


@dataclass
class State:
    """One segment type in the chain, with its cost parameters and its predecessors."""

    name: str
    kind: str  # rep, recovery, extra, stride, warmup
    step: int | None
    rep: int | None
    window: Window  # where it may start, given where it ends
    v_lo: float = 0.0  # mean speed below this is penalised
    v_hi: float = INF  # mean speed above this is penalised
    v_scale: float = 0.2  # m/s: how fast the level penalty grows
    sigma: float = 0.3  # m/s: how much the speed varies inside such a segment
    length_mode: str | None = None  # "distance" | "time" | None
    length: float = 0.0  # m or s
    length_sigma: float = 1.0
    pause_cost: float = 0.0  # per paused cell (efforts are not run with the watch stopped)
    sustain_s: float = 0.0  # if set, no stretch this long inside may average faster than...
    sustain_v: float = INF  # ...this (m/s): a missed rep's place holds no slow run of the rep
    preds: list[tuple[int, float]] = field(default_factory=list)  # (state or PRE, penalty)
    end_penalty: float | None = None  # None: cannot be followed by the free cool-down
    skips: tuple[int, ...] = ()  # reps this state stands in for (a missed rep's recovery)
    ends: np.ndarray | None = None  # if set, the only end edges allowed (a refining pass)
    open_ended: bool = (
        False  # time beyond the length costs only while moving (the rest after the last rep)
    )


@dataclass(frozen=True)
class Free:
    """The free warm-up and cool-down: loose spread, and slower than the reps."""

    sigma: float
    v_hi: float = INF
    v_scale: float = 0.2
    warmup_s: float | None = None  # the plan's warm-up, by time...
    warmup_m: float | None = None  # ...or by distance

    def warmup_cost(self, sig: Signal) -> np.ndarray | None:
        """What a warm-up ending at each edge costs for its length against the plan's (see
        ``WARMUP_SHORTER``); None where the plan gives none."""
        if self.warmup_m:
            done, planned = sig.d - sig.d[0], self.warmup_m
        elif self.warmup_s:
            done, planned = np.arange(sig.n + 1) * sig.dt, self.warmup_s
        else:
            return None
        ratio = np.log(np.maximum(done, 1e-3) / planned)
        beyond = np.maximum(-ratio - np.log(WARMUP_SHORTER), ratio - np.log(WARMUP_LONGER))
        excess = np.maximum(beyond, 0.0) / WARMUP_PRIOR_SPREAD
        return WARMUP_PRIOR_COST * -np.expm1(-0.5 * excess**2)

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
    """The state's cost of the segments [s, e). ``e`` may be a column (one end per row of
    starts): what depends on the end alone is then read once per row."""
    span = e - s
    length = np.maximum(span, 1) * sig.dt  # seconds
    stops_free = st.kind not in ("rep", "extra", "stride")
    cost = sig.fit_cost(s, e, st.sigma, stops_free=stops_free)
    # the level is judged on the segment's core, so a few seconds of acceleration at either
    # end do not push its boundaries inwards
    most = int(LEVEL_TRIM_S // sig.dt)
    if most:
        trim = np.minimum(most, span // 4)
        a, z = s + trim, e - trim
    else:  # cells longer than the trim: nothing to trim
        a, z = s, e
    if st.v_lo > 0 or (np.isfinite(st.v_hi) and not stops_free):
        mean = (sig.s1[z] - sig.s1[a]) / np.maximum(z - a, 1)
    if st.v_lo > 0:
        cost += length * _squared_excess(st.v_lo - mean, st.v_scale)
    if np.isfinite(st.v_hi):
        if stops_free:
            # as for the free segments: the moving part must be slow, standing aside
            count = sig.mc[z] - sig.mc[a]
            moving = count * sig.dt
            cost += moving * _squared_excess(
                (sig.m1[z] - sig.m1[a]) / np.maximum(count, 1) - st.v_hi, st.v_scale
            )
        else:
            cost += length * _squared_excess(mean - st.v_hi, st.v_scale)
    if st.length_mode == "distance":
        off = sig.d[e] - sig.d[s] - st.length
        off /= st.length_sigma
        cost += np.square(off, out=off)
    elif st.length_mode == "time":
        off = length - st.length
        if st.open_ended:
            # standing and walking about after the session cost nothing; running on does
            moving = (sig.mc[e] - sig.mc[s]) * sig.dt
            off = np.where(off > 0, np.maximum(moving - st.length, 0.0), off)
        off /= st.length_sigma
        cost += np.square(off, out=off)
    if st.pause_cost:
        cost += st.pause_cost * sig.dt * (sig.sp[e] - sig.sp[s])
    if st.sustain_s > 0 and np.isfinite(st.sustain_v):
        w = max(int(round(st.sustain_s / sig.dt)), 1)
        fastest = sustained_max(sig, w, s, e)
        cost += w * sig.dt * _squared_excess(fastest - st.sustain_v, st.v_scale)
    return cost


_SUSTAIN: dict[tuple[int, int], tuple[object, np.ndarray]] = {}


def sustained_max(sig: Signal, w: int, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """The fastest mean speed over any ``w`` cells inside each segment [s, e) (-inf where the
    segment is shorter): a range maximum of the ``w``-cell means, from a sparse table built
    once per signal and width."""
    key = (id(sig.s1), w)
    hit = _SUSTAIN.get(key)
    if hit is not None and hit[0]() is sig.s1:  # type: ignore[operator]
        table = hit[1]
    else:
        means = (sig.s1[w:] - sig.s1[:-w]) / w if sig.n >= w else np.full(1, -INF)
        levels = [means]
        span = 1
        while 2 * span <= len(means):
            prev = levels[-1]
            levels.append(np.maximum(prev[:-span], prev[span:]))
            span *= 2
        table = np.full((len(levels), len(means)), -INF)
        for k, row in enumerate(levels):
            table[k, : len(row)] = row
        if len(_SUSTAIN) > 32:
            _SUSTAIN.clear()
        _SUSTAIN[key] = (weakref.ref(sig.s1), table)
    s, e = np.broadcast_arrays(s, e)
    last = e - w  # the last window start inside the segment
    count = last - s + 1
    inside = count >= 1
    count = np.maximum(count, 1)
    k = np.minimum(np.floor(np.log2(count)).astype(np.int64), table.shape[0] - 1)
    lo = np.clip(s, 0, table.shape[1] - 1)
    hi = np.clip(last - (1 << k) + 1, 0, table.shape[1] - 1)
    out = np.maximum(table[k, lo], table[k, hi])
    return np.where(inside, out, -INF)


def _squared_excess(x: np.ndarray, scale: float) -> np.ndarray:
    """(max(x, 0) / scale) ** 2, in place in ``x`` (a temporary)."""
    np.maximum(x, 0.0, out=x)
    x /= scale
    return np.square(x, out=x)


@dataclass
class Work:
    """What a programme cost, in units that do not depend on the machine."""

    cells: int = 0  # (state, end edge) pairs evaluated
    pairs: int = 0  # (start, end) pairs costed
    kept: int = 0  # of the cells, those of the states never dropped (UNPRUNED)


@dataclass
class _Grid:
    """End edges, the window of start edges [lo, hi] of each (all within [g0, g1)), and where
    the costs of its segments are shared: each row's starts from hi down, as offsets from g0,
    and their costs."""

    ends: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    g0: int
    g1: int
    index: np.ndarray | None = None
    cost: np.ndarray | None = None


def _starts(lo: np.ndarray, hi: np.ndarray, g0: int, g1: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the starts hi, hi - 1, ... as offsets from g0 (kept inside [g0, g1)), and
    which of them lie in the row's window (>= lo)."""
    width = int(max(int((hi - lo).max(initial=0)) + 1, 1))
    starts = hi[:, None] - np.arange(width)[None, :]
    valid = starts >= lo[:, None]
    return np.minimum(np.maximum(starts, g0), g1 - 1) - g0, valid


def _cost_key(st: State) -> tuple | None:
    """What ``state_cost`` reads of a state, and its window: states with equal keys cost
    every segment alike. None for a state pinned to its own ends."""
    if st.ends is not None:
        return None
    stops_free = st.kind not in ("rep", "extra", "stride")
    return (
        stops_free,
        st.window,
        st.v_lo,
        st.v_hi,
        st.v_scale,
        st.sigma,
        st.length_mode,
        st.length,
        st.length_sigma,
        st.pause_cost,
        st.open_ended,
        st.sustain_s,
        st.sustain_v,
    )


def solve(
    sig: Signal,
    states: list[State],
    free: Free,
    bonus: np.ndarray | None = None,
    margin: float = PRUNE_MARGIN,
    work: Work | None = None,
) -> tuple[list[Placed], float]:
    """Best chain: free warm-up, states along their predecessor links, free cool-down.

    ``bonus`` (n + 1, usually <= 0) is added at every boundary edge, so boundaries that
    agree with lap presses are preferred where the speed leaves the choice open.

    The programme runs through the recording in blocks of cells and, in each block, only
    through the states reachable from where the chain could be in the blocks before: a way
    of covering the recording up to an edge that costs more than ``margin`` above the best
    way of covering it (by any state, or by the free warm-up) is dropped. So the states
    alive at any time are the few plan positions the runner can plausibly be at, and the
    work grows with the recording's length, not with its length times the plan's.
    ``margin=inf`` keeps everything (the exact programme). ``work``, if given, adds up
    what the programme evaluated.
    """
    n = sig.n
    if bonus is None:
        bonus = np.zeros(n + 1)
    pre = _free_ends(sig, free, at_start=True)
    beam = _Beam(
        sig, states, pre, bonus, margin, work if work is not None else Work(), free.warmup_cost(sig)
    )
    beam.run()

    final, final_state, final_start = INF, -1, n
    post = _free_ends(sig, free, at_start=False)
    post = np.minimum(post, _pieced_cooldown(sig, free, _end_candidates(states, n)))
    last_bonus = np.where(np.arange(n + 1) < n, bonus, 0.0)
    for j, st in enumerate(states):
        if st.end_penalty is None:
            continue
        for c0, best, _, _ in beam.chunks_of(j):
            c1 = c0 + len(best)
            total = best + st.end_penalty + post[c0:c1] + last_bonus[c0:c1]
            k = int(np.argmin(total))
            if total[k] < final:
                final, final_state, final_start = float(total[k]), j, c0 + k
    if final_state < 0:
        return [], INF

    placed: list[Placed] = []
    j, end = final_state, final_start
    while j != PRE:
        start, pred = beam.link(j, end)
        placed.append(Placed(j, start, end))
        j, end = pred, start
    placed.reverse()
    return placed, final


def _ends_warmup(st: State, pred: int, states: list[State]) -> bool:
    """Whether ``st`` following ``pred`` is where the warm-up ends: the first state of the
    plan proper after the free warm-up or the strides in it."""
    if st.kind in UNPRUNED:
        return False
    return pred == PRE or states[pred].kind == "warmup"


def _block_cells(n: int, count: int) -> int:
    """Cells per block: the whole recording when the chain is short."""
    if count <= 2 * BLOCK_STATES:
        return n + 1
    return int(min(max(np.ceil(BLOCK_STATES * (n + 1) / count), MIN_BLOCK_CELLS), n + 1))


class _Beam:
    """The programme's table, kept only for the states and blocks of cells where a state can
    still be part of the best chain. ``best_at[e]``: the cheapest way found so far of covering
    the recording up to edge e (the free warm-up, or any state ending at e)."""

    def __init__(
        self,
        sig: Signal,
        states: list[State],
        pre: np.ndarray,
        bonus: np.ndarray,
        margin: float,
        work: Work,
        warmup_cost: np.ndarray | None = None,
    ):
        self.sig, self.states, self.pre, self.bonus = sig, states, pre, bonus
        self.warmup_cost = warmup_cost
        self.margin, self.work = margin, work
        self.reach = [st.window.reach(sig) for st in states]
        self.block = _block_cells(sig.n, len(states))
        self.best_at = pre.copy()
        # per state: block -> (best cost, best start, predecessor) at each end edge in the block
        self.table: list[dict[int, tuple[np.ndarray, ...]]] = [{} for _ in states]
        # per state: block -> (start, predecessor) of blocks dropped from ``table`` as out of
        # reach after a successor had chained onto them
        self.traced: list[dict[int, tuple[np.ndarray, np.ndarray]]] = [{} for _ in states]
        self.succ: list[list[int]] = [[] for _ in states]
        self.from_pre: list[int] = []
        for j, st in enumerate(states):
            for p, _ in st.preds:
                if p == PRE:
                    if not self.from_pre or self.from_pre[-1] != j:
                        self.from_pre.append(j)
                else:
                    self.succ[p].append(j)
        self.cheap_from_pre = [
            j
            for j in self.from_pre
            if states[j].kind in UNPRUNED
            or min(pen for p, pen in states[j].preds if p == PRE) <= margin
        ]
        self.last_alive = np.full(len(states), -1, dtype=np.int64)
        # states that cost a segment alike (identical reps, their extras, their recoveries)
        # share one table of segment costs per block: see ``_grid``
        keys = [_cost_key(st) for st in states]
        counts: dict[tuple, int] = {}
        for key in keys:
            if key is not None:
                counts[key] = counts.get(key, 0) + 1
        self.cost_key = [key if key is not None and counts[key] > 1 else None for key in keys]
        self.grids: dict[tuple, _Grid | None] = {}

    def run(self) -> None:
        n, block = self.sig.n, self.block
        recent: set[int] = set()
        longest = max(self.reach, default=0)
        for b, c0 in enumerate(range(0, n + 1, block)):
            c1 = min(c0 + block, n + 1)
            self.grids.clear()
            todo = set(self.cheap_from_pre)
            for p in list(recent):
                if self.last_alive[p] < c0 - longest:
                    recent.discard(p)
                    continue
                todo.update(j for j in self.succ[p] if self.last_alive[p] >= c0 - self.reach[j])
            heap = sorted(todo)
            seen = set(heap)
            computed = []
            while heap:
                j = heapq.heappop(heap)
                if self._step(j, b, c0, c1):
                    computed.append(j)
                    for k in self.succ[j]:
                        if k not in seen:
                            seen.add(k)
                            heapq.heappush(heap, k)
            # now that every state has had its say on this block, drop what is out of reach
            floor = self.best_at[c0:c1] + self.margin
            for j in computed:
                if self.states[j].kind in UNPRUNED:
                    kept = np.flatnonzero(np.isfinite(self.table[j][b][0]))
                    self.last_alive[j] = c0 + int(kept[-1])
                    recent.add(j)
                    continue
                best = self.table[j][b][0]
                best[best > floor] = INF
                alive = np.flatnonzero(np.isfinite(best))
                if len(alive):
                    self.last_alive[j] = c0 + alive[-1]
                    recent.add(j)
                else:
                    # out of reach from now on, but a successor computed in this block may
                    # already have chained onto it: keep how to trace it back
                    _, start, pred = self.table[j].pop(b)
                    self.traced[j][b] = (start, pred)

    def _step(self, j: int, b: int, c0: int, c1: int) -> bool:
        """State j's best cost at every end edge in [c0, c1); False if none is in reach."""
        sig, st = self.sig, self.states[j]
        key = self.cost_key[j]
        if key is not None:
            if key not in self.grids:
                self.grids[key] = self._grid(st, np.arange(c0, c1))
            grid = self.grids[key]
        else:
            ends = (
                np.arange(c0, c1) if st.ends is None else st.ends[(st.ends >= c0) & (st.ends < c1)]
            )
            grid = self._bounds(st, ends)
        if grid is None:
            return False
        ends, lo, hi, g0, g1 = grid.ends, grid.lo, grid.hi, grid.g0, grid.g1
        incoming = np.full(g1 - g0, INF)
        chosen = np.full(g1 - g0, PRE, dtype=np.int64)
        for p, penalty in st.preds:
            cand = (self.pre[g0:g1] if p == PRE else self._values(p, g0, g1)) + penalty
            if self.warmup_cost is not None and _ends_warmup(st, p, self.states):
                cand += self.warmup_cost[g0:g1]
            better = cand < incoming
            incoming[better] = cand[better]
            chosen[better] = p
        margin = INF if st.kind in UNPRUNED else self.margin
        incoming[incoming > self.best_at[g0:g1] + margin] = INF
        reachable = np.isfinite(incoming)
        if not reachable.any():
            return False
        incoming = incoming + self.bonus[g0:g1]
        # only ends whose window holds a reachable start: the band where this state can be
        first = g0 + int(np.argmax(reachable))
        last = g1 - 1 - int(np.argmax(reachable[::-1]))
        keep = (ends > first) & (hi >= first) & (lo <= last)
        rows = np.flatnonzero(keep)
        if len(rows) == 0:
            return False
        self.work.cells += len(rows)
        if st.kind in UNPRUNED:
            self.work.kept += len(rows)
        if grid.cost is not None and grid.index is not None:
            # the shared table: the rows of the ends in reach (a run of rows, as the window
            # moves with the end)
            at = slice(rows[0], rows[-1] + 1) if rows[-1] - rows[0] + 1 == len(rows) else rows
            index = grid.index[at]
            total = incoming[index]
            total += grid.cost[at]
            ends = ends[at]
        else:
            # this state's own segments, from the reachable starts only: a start nothing
            # reaches costs INF whatever the segment, and is never the best
            ends, lo, hi = ends[rows], np.maximum(lo[rows], first), np.minimum(hi[rows], last)
            index, valid = _starts(lo, hi, g0, g1)
            self.work.pairs += index.size
            total = state_cost(sig, st, index + g0, ends[:, None])
            total += incoming[index]
            total[~valid] = INF
        k = np.argmin(total, axis=1)
        rows = np.arange(len(ends))
        found = total[rows, k]
        found[found > self.best_at[ends] + margin] = INF
        if not np.isfinite(found).any():
            return False
        self.best_at[ends] = np.minimum(self.best_at[ends], found)
        best = np.full(c1 - c0, INF)
        start = np.zeros(c1 - c0, dtype=np.int64)
        pred = np.full(c1 - c0, PRE, dtype=np.int64)
        picked = index[rows, k]
        best[ends - c0] = found
        start[ends - c0] = picked + g0
        pred[ends - c0] = chosen[picked]
        self.table[j][b] = (best, start, pred)
        return True

    def _bounds(self, st: State, ends: np.ndarray) -> _Grid | None:
        """The window of starts for each end in ``ends``, as edges [lo, hi] within [g0, g1)."""
        n = self.sig.n
        if len(ends) == 0:
            return None
        lo, hi = st.window.starts(self.sig, ends)
        hi = np.minimum(np.minimum(np.maximum(hi, 0), n), ends - 1)
        # the window's cap, as a start (at most MAX_WINDOW_CELLS starts for each end)
        lo = np.maximum(np.minimum(np.maximum(lo, 0), n), hi - (MAX_WINDOW_CELLS - 1))
        g0, g1 = int(lo.min()), int(hi.max()) + 1
        if g1 <= g0:
            return None
        return _Grid(ends, lo, hi, g0, g1)

    def _grid(self, st: State, ends: np.ndarray) -> _Grid | None:
        """The segment costs of every start in the window of every end in ``ends``, for all
        the states that cost a segment as ``st`` does (INF outside the window)."""
        grid = self._bounds(st, ends)
        if grid is None:
            return None
        index, valid = _starts(grid.lo, grid.hi, grid.g0, grid.g1)
        self.work.pairs += index.size
        cost = state_cost(self.sig, st, index + grid.g0, grid.ends[:, None])
        cost[~valid] = INF
        grid.index, grid.cost = index, cost
        return grid

    def _values(self, j: int, a: int, z: int) -> np.ndarray:
        """State j's best cost at the end edges [a, z) (inf where it was not kept)."""
        out = np.full(z - a, INF)
        chunks, block = self.table[j], self.block
        for b in range(a // block, (z - 1) // block + 1):
            chunk = chunks.get(b)
            if chunk is None:
                continue
            c0 = b * block
            lo, hi = max(a, c0), min(z, c0 + len(chunk[0]))
            out[lo - a : hi - a] = chunk[0][lo - c0 : hi - c0]
        return out

    def chunks_of(self, j: int):
        """(first edge, best, start, pred) of each block state j was kept in, in order."""
        for b in sorted(self.table[j]):
            yield (b * self.block, *self.table[j][b])

    def link(self, j: int, end: int) -> tuple[int, int]:
        """(start, predecessor) of state j's best segment ending at ``end``."""
        b = end // self.block
        if b in self.table[j]:
            _, start, pred = self.table[j][b]
        else:
            start, pred = self.traced[j][b]
        return int(start[end % self.block]), int(pred[end % self.block])


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
    # the piece is stood or walked: free to run at its own level up to the set's, it held a
    # file's first 30 s rep (a 12 x 30 s road session recorded from the first stride), and
    # the twelve reps moved one on, the last effort run taken for rep 12
    piece = Free(free.sigma, v_hi=min(free.v_hi, COOLDOWN_WALK), v_scale=free.v_scale)
    if at_start:
        u = np.minimum(cut[None, :], edges[:, None])  # 0 <= u <= e
        total = piece.cost(sig, np.zeros_like(u), u) + free.cost(
            sig, u, np.broadcast_to(edges[:, None], u.shape)
        )
    else:
        u = np.maximum(n - cut[None, :], edges[:, None])  # s <= u <= n
        total = free.cost(sig, np.broadcast_to(edges[:, None], u.shape), u) + piece.cost(
            sig, u, np.full_like(u, n)
        )
    return total.min(axis=1)


def _end_candidates(states: list[State], n: int) -> np.ndarray:
    """Edges where some state that may end the session can end (all, unless a refining pass
    has pinned them)."""
    enders = [st for st in states if st.end_penalty is not None]
    if any(st.ends is None for st in enders):
        return np.arange(n + 1)
    picked = [st.ends for st in enders if st.ends is not None and len(st.ends)]
    return unique(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.int64)


def _pieced_cooldown(sig: Signal, free: Free, starts: np.ndarray) -> np.ndarray:
    """Cost of a cool-down [s, n) run at two or three levels, for every s in ``starts`` (INF
    elsewhere).

    Real cool-downs are irregular: a jog, a stand, a walk back, or a jog, a walk and a jog
    again. As one level the jog and the walk cost more than explaining the jog as a recovery
    "over a missed last rep", so the last rep goes missing and the one before it turns
    extra. Of two pieces one must be walking (or standing), of three the middle one: running
    levels side by side would let faded last reps pass as a cool-down. The splits are sought
    on a grid of at most ``COOLDOWN_SPLITS`` edges (the walk and the jog after it as one
    table over pairs of them), which keeps this linear in the recording."""
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
    tail_walk = sig.moving_mean(grid, np.full_like(grid, n)) < COOLDOWN_WALK
    least = max(int(np.ceil(COOLDOWN_PIECE_S / sig.dt)), 1)
    # or the tail is itself a walk and a jog after it (a jog, a walk, a jog back): from each
    # split, the best walking piece up to a second split and one level to the end
    walk_then = np.full(len(grid), INF)
    h = grid[None, :]
    for i in range(0, len(grid), WALK_ROWS):
        g = np.broadcast_to(
            grid[i : i + WALK_ROWS, None], (min(WALK_ROWS, len(grid) - i), len(grid))
        )
        ok = (h >= g + least) & (h <= n - least)
        ok &= sig.moving_mean(g, np.broadcast_to(h, g.shape)) < COOLDOWN_WALK
        if ok.any():
            cost = free.cost(sig, g, np.broadcast_to(h, g.shape)) + tail[None, :]
            walk_then[i : i + WALK_ROWS] = np.where(ok, cost, INF).min(axis=1)
    for i in range(0, len(starts), COOLDOWN_CHUNK):
        s = starts[i : i + COOLDOWN_CHUNK, None]
        # only splits at least a piece after the chunk's first start (the rest cannot be)
        cols = slice(int(np.searchsorted(grid, s.min() + least)), len(grid))
        u = grid[None, cols]
        ok = (u >= s + least) & (u <= n - least)
        if not ok.any():
            continue
        # each piece read from the ends it has (a start's row, a split's column); where the
        # split comes before the start the values mean nothing, and are never used (not ok)
        two = ok & (tail_walk[None, cols] | (sig.moving_mean(s, u) < COOLDOWN_WALK))
        three = (walk_then + COOLDOWN_PIECE_PENALTY)[None, cols]
        rest = np.where(two, np.minimum(tail[None, cols], three), np.where(ok, three, INF))
        rest += free.cost(sig, s, u)
        out[s[:, 0]] = rest.min(axis=1) + COOLDOWN_PIECE_PENALTY
    return out
