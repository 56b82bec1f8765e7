"""The shortcuts that keep rep finding cheap give what the plain computations give, and the
work they do is bounded by counting (never by the clock): every boundary's onset fitted at
once, identical states sharing their segment costs, the running medians, the channel's lag."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from tests.conftest import SAMPLES
from workoutcheck.ingest import load
from workoutcheck.model import Activity, Pause, PauseKind, Source, stats
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.segment import channel, dp, onset, signal
from workoutcheck.segment.chain import build_chain, free_model
from workoutcheck.segment.signal import build_signal


def _one_by_one(t: np.ndarray, d: np.ndarray, boundaries: list[float], search_s: float) -> list:
    """``onset_boundaries`` as a loop of ``onset``, one boundary at a time."""
    out = list(boundaries)
    for i in range(1, len(boundaries) - 1):
        b = boundaries[i]
        found = onset.onset(t, d, b, *onset.fit_window(t, boundaries, i), search_s)
        if found is not None:
            out[i] = found
    for i in range(1, len(out) - 1):
        out[i] = min(max(out[i], out[i - 1] + 0.5), max(out[i + 1] - 0.5, out[i - 1] + 0.5))
    return out


def _sample_boundaries() -> list[tuple[str, np.ndarray, np.ndarray, list[float]]]:
    """Each sample's distance and its true boundaries, each moved by up to 9 s."""
    rng = np.random.default_rng(5)
    out = []
    for truth_path in sorted(SAMPLES.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        activity = load(SAMPLES / truth["files"][0])
        if activity.distance is None:
            continue
        edges = sorted({s["start_s"] for s in truth["segments"] if s["start_s"] is not None})
        moved = [float(x) for x in np.asarray(edges[1:]) + rng.uniform(-9, 9, len(edges) - 1)]
        out.append(
            (truth_path.name, activity.t, activity.distance, [0.0, *moved, activity.duration_s])
        )
    return out


def _sparse_session(seed: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Records every 3-8 s through 30 s / 60 s changes of pace, noisy; boundaries near them."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.uniform(3.0, 8.0, 400))
    speed = np.where((t // 45) % 2 == 0, 5.5, 2.2)
    d = np.cumsum(speed * np.diff(t, prepend=0.0)) + rng.normal(0, 2.0, len(t))
    changes = np.arange(45.0, t[-1] - 45.0, 45.0)
    return t, d, [0.0, *(changes + rng.uniform(-6, 6, len(changes))).tolist(), float(t[-1])]


@pytest.mark.parametrize("search_s", [12.0, 30.0])
def test_onsets_all_at_once_are_the_onsets_one_by_one(search_s: float) -> None:
    """To the bit, on every sample and on sparse, noisy records."""
    cases = [(name, t, d, b) for name, t, d, b in _sample_boundaries()]
    cases += [(f"sparse{seed}", *_sparse_session(seed)) for seed in range(3)]
    for name, t, d, boundaries in cases:
        together = onset.onset_boundaries(t, d, boundaries, search_s=search_s)
        assert together == _one_by_one(t, d, boundaries, search_s), name


def test_only_a_few_onsets_are_fitted_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen leaves under a tenth of the (onset, ramp) pairs to the exact fits, and no
    boundary to the one-by-one fit."""
    exact, grid = [], []
    real_decide, real_best_chunk = onset._decide, onset._best_chunk

    def decide(points, rows, taus, keep):  # type: ignore[no-untyped-def]
        exact.append(int(keep.sum()))
        return real_decide(points, rows, taus, keep)

    def best_chunk(points, rows, grids):  # type: ignore[no-untyped-def]
        grid.append(sum(len(grids[i]) for i in rows) * len(onset.RAMPS_S))
        return real_best_chunk(points, rows, grids)

    def alone(*args):  # type: ignore[no-untyped-def]
        raise AssertionError("a boundary was fitted alone")

    monkeypatch.setattr(onset, "_decide", decide)
    monkeypatch.setattr(onset, "_best_chunk", best_chunk)
    monkeypatch.setattr(onset, "_best", alone)
    for _, t, d, boundaries in _sample_boundaries():
        onset.onset_boundaries(t, d, boundaries)
    assert sum(grid) > 10_000
    assert sum(exact) < 0.1 * sum(grid)


def _growing(hours: float) -> tuple[Activity, object]:
    rng = np.random.default_rng(2)
    n = int(hours * 3600)
    reps = (n - 300) // 405
    t = np.arange(n, dtype=float)
    easy = (t < 300) | (t >= 300 + reps * 405)
    speed = np.where(easy, 2.8, np.where((t - 300) % 405 < 225, 1000 / 225, 2.5))
    speed = speed + rng.normal(0, 0.1, n)
    dist = np.concatenate([[0.0], np.cumsum(speed[1:])])
    act = Activity(
        source=Source.FIT,
        path="synthetic",
        start_time=None,
        t=t,
        distance=dist,
        speed=speed,
        distance_source="device",
        speed_source="device",
    )
    return act, resolve(parse_plan(f"{reps}x(1000m @ 3:45/km, 3min jog)"))


def test_identical_states_share_their_segment_costs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Identical reps (and their extras and recoveries) cost each segment once per block: the
    alignment and its cost are those of every state costing its own, for under a third of the
    (start, end) pairs."""
    act, plan = _growing(3.0)
    sig = build_signal(act, 18.0)

    def peak(step):  # type: ignore[no-untyped-def]
        return 4.0

    def run() -> tuple[list, float, dp.Work]:
        states = build_chain(sig, plan, peak)  # type: ignore[arg-type]
        work = dp.Work()
        placed, cost = dp.solve(sig, states, free_model(sig, plan, peak), work=work)  # type: ignore[arg-type]
        return placed, cost, work

    shared = run()
    monkeypatch.setattr(dp, "_cost_key", lambda st: None)
    alone = run()
    assert shared[0] == alone[0] and shared[1] == alone[1]
    assert shared[2].cells == alone[2].cells
    assert shared[2].pairs < alone[2].pairs / 3


def test_running_median_is_numpys() -> None:
    """The partition is np.median of each window, to the bit: ties, steps and NaN included."""
    rng = np.random.default_rng(3)
    v = np.round(rng.normal(3.0, 1.0, 2000), 1)  # many ties
    v[500:700] = 0.0
    for width in (1, 3, 15, 31):
        pad = width // 2
        windows = np.lib.stride_tricks.sliding_window_view(np.pad(v, pad, mode="edge"), width)
        assert np.array_equal(signal._running_median(v, width), np.median(windows, axis=1))
    v[1000] = np.nan
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(v, 7, mode="edge"), 15)
    assert np.array_equal(signal._running_median(v, 15), np.median(windows, axis=1), equal_nan=True)


def test_the_lag_reads_long_recordings_in_pieces() -> None:
    """Up to DOT_PIECE samples a dot is np.dot's own; longer, the sum of its pieces."""
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=3 * stats.DOT_PIECE + 17), rng.normal(size=3 * stats.DOT_PIECE + 17)
    short = stats.DOT_PIECE
    assert stats._dot(a[:short], b[:short]) == float(np.dot(a[:short], b[:short]))
    assert stats._dot(a, b) == pytest.approx(float(np.dot(a, b)), rel=1e-12)
    # a speed field 7 s behind its distance, over a day
    t = np.arange(86_400, dtype=float)
    ref = 3.0 + np.where((t // 300) % 2 == 0, 1.5, -1.0) + rng.normal(0, 0.2, len(t))
    assert channel._lag(ref, np.roll(ref, 7)) == 7.0


def _fields(sig: signal.Signal) -> list:
    return [getattr(sig, f) for f in sig.__dataclass_fields__]


def test_signals_built_together_are_those_built_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fine and coarse cells built together equal each built alone, to the bit (from the
    distance and from the speed field, with pauses), and their running medians are taken
    once in full: the coarse grid's only on the seconds where it differs."""
    plain, _ = _growing(2.0)
    stops = [Pause(a, a + w, PauseKind.TIMER) for a, w in ((600.5, 40.0), (3000.0, 7.5))]
    act = replace(plain, pauses=tuple(stops))
    for progress in (act.distance, None):
        for dts in ((5.0, 18.0), (3.0, 7.0), (1.0, 1.0)):
            together = signal.build_signals(act, dts, progress=progress)
            for dt, sig in zip(dts, together, strict=True):
                alone = signal.build_signal(act, dt, progress=progress)
                for a, b in zip(_fields(sig), _fields(alone), strict=True):
                    assert np.array_equal(a, b)
    seen: list[int] = []
    real = signal._running_median

    def counting(v, width):  # type: ignore[no-untyped-def]
        seen.append(len(v))
        return real(v, width)

    monkeypatch.setattr(signal, "_running_median", counting)
    signal.build_signals(act, (5.0, 18.0), progress=act.distance)
    n = int(act.duration_s)
    assert sum(seen) < 3 * n + 200  # three medians over the seconds, and short tails


def _pieced_reference(sig: signal.Signal, free: dp.Free, starts: np.ndarray) -> np.ndarray:
    """The cool-down over every (start, split) pair, two pieces one of them walking, or every
    (start, split, split) triple, three pieces the middle one walking (the triples' minimum
    taken over the second split for each first split, then over the first), in one go."""
    n = sig.n
    out = np.full(n + 1, np.inf)
    starts = starts[starts < n]
    step = max(1, int(np.ceil(max(dp.COOLDOWN_GRID_S / sig.dt, n / dp.COOLDOWN_SPLITS))))
    grid = np.arange(step, n, step)
    tail = free.cost(sig, grid, np.full_like(grid, n))
    tail_walk = sig.moving_mean(grid, np.full_like(grid, n)) < dp.COOLDOWN_WALK
    least = max(int(np.ceil(dp.COOLDOWN_PIECE_S / sig.dt)), 1)
    g, h = np.broadcast_to(grid[:, None], (len(grid),) * 2), np.broadcast_to(grid, (len(grid),) * 2)
    walk = (h >= g + least) & (h <= n - least)
    walk &= sig.moving_mean(g, np.maximum(h, g)) < dp.COOLDOWN_WALK
    walk_then = np.where(walk, free.cost(sig, g, np.maximum(h, g)) + tail[None, :], np.inf)
    three = walk_then.min(axis=1) + dp.COOLDOWN_PIECE_PENALTY
    s, u = starts[:, None], grid[None, :]
    ok = (u >= s + least) & (u <= n - least)
    head = np.broadcast_to(s, ok.shape), np.maximum(u, s)
    two = ok & (tail_walk[None, :] | (sig.moving_mean(*head) < dp.COOLDOWN_WALK))
    first = free.cost(sig, *head)
    cost = np.minimum(
        np.where(two, first + tail[None, :], np.inf), np.where(ok, first + three[None, :], np.inf)
    )
    out[starts] = cost.min(axis=1) + dp.COOLDOWN_PIECE_PENALTY
    return out


@pytest.mark.parametrize(
    ("blocks", "walks"),
    [
        ([(900, 2.8), (900, 1.2)], True),  # a jog, then a walk back
        ([(900, 2.8), (900, 2.9)], False),  # no walk at all
        ([(600, 2.8), (600, 1.2), (600, 2.8)], True),  # a jog, a walk and a jog again
    ],
)
def test_the_pieced_cool_down_is_every_pair_and_triple(blocks, walks) -> None:
    """Read from the pieces' own ends, in blocks, and only over the splits after each block's
    first start, it is the cost over every (start, split) pair and (start, split, split)
    triple, to the bit."""
    rng = np.random.default_rng(8)
    speed = np.concatenate([np.full(1800, 4.2), *(np.full(n, v) for n, v in blocks)])
    act = _synthetic(speed + rng.normal(0, 0.15, len(speed)))
    for dt in (1.0, 6.0):
        sig = build_signal(act, dt)
        free = dp.Free(0.5, v_hi=3.5, v_scale=0.2)
        for starts in (np.arange(sig.n + 1), np.arange(0, sig.n + 1, 7)):
            got = dp._pieced_cooldown(sig, free, starts)
            want = _pieced_reference(sig, free, starts)
            assert np.array_equal(got, want)
            assert np.isfinite(got).any() == walks


def test_a_chain_onto_a_block_pruned_later_is_still_traced_back():
    """A state's block can fall out of reach (every end pruned) after a successor in the same
    block had already chained onto it: tracing the best chain back must still find it. This
    continuous run with a vehicle section, checked against a 5 x 1000 m plan, raised
    'KeyError: 0' there."""
    from tests.conftest import corpus_file
    from workoutcheck import load, parse_plan, resolve, segment

    path = corpus_file("gpx", "runalyze__runkeeper-negative-time-step-at-start.gpx")
    plan = resolve(parse_plan("15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"))
    result = segment(load(path), plan)
    reps = [s for s in result.segments if s.kind.value == "rep"]
    assert len(reps) == 5
    assert all(s.end_s is None or s.start_s < s.end_s for s in result.segments)


def test_a_planned_warm_up_costs_its_length_only_well_beyond_the_plans_and_at_most_a_cap():
    """The warm-up prior: nothing from 1.25x shorter to 2.5x longer than the plan's 15 min,
    then dearer with the log ratio beyond, never more than its cap (a misstated warm-up must
    not outweigh what the data show); by distance where the plan gives metres."""
    sig = build_signal(_synthetic(np.full(7201, 3.0)))
    by_time = dp.Free(0.5, warmup_s=900.0).warmup_cost(sig)
    assert by_time is not None
    assert by_time[720] == 0.0 and by_time[900] == 0.0 and by_time[2250] == 0.0
    beyond = (np.log(900 / 450) - np.log(dp.WARMUP_SHORTER)) / dp.WARMUP_PRIOR_SPREAD
    assert by_time[450] == pytest.approx(dp.WARMUP_PRIOR_COST * (1 - np.exp(-0.5 * beyond**2)))
    assert 0.0 < by_time[3000] < by_time[3600] < by_time[7200] <= dp.WARMUP_PRIOR_COST
    assert by_time[10] == pytest.approx(dp.WARMUP_PRIOR_COST, rel=1e-3)
    by_distance = dp.Free(0.5, warmup_m=2000.0).warmup_cost(sig)
    assert by_distance is not None
    assert by_distance[int(2000 / 3.0)] == 0.0 and by_distance[300] > 0.0
    assert dp.Free(0.5).warmup_cost(sig) is None


def test_sustained_max_is_the_fastest_window_inside_each_segment():
    """The range maximum of w-cell means against brute force, for every segment of a noisy
    signal (and -inf where a segment is shorter than w)."""
    rng = np.random.default_rng(5)
    sig = build_signal(_synthetic(3.0 + rng.normal(0, 0.8, 301)))
    s = np.arange(0, sig.n - 1, 7)[:, None]
    e = np.arange(1, sig.n + 1, 5)[None, :]
    for w in (1, 4, 30):
        got = dp.sustained_max(sig, w, s, e)
        for i, a in enumerate(s[:, 0]):
            for j, b in enumerate(e[0]):
                if b - a < w:
                    assert got[i, j] == -np.inf
                else:
                    means = [sig.v[x : x + w].mean() for x in range(a, b - w + 1)]
                    assert got[i, j] == pytest.approx(max(means))


def _synthetic(speed: np.ndarray) -> Activity:
    """A 1 Hz recording of ``speed`` (m/s), its distance the running sum."""
    return Activity(
        source=Source.FIT,
        path="synthetic",
        start_time=None,
        t=np.arange(len(speed), dtype=float),
        distance=np.concatenate([[0.0], np.cumsum(speed[1:])]),
        speed=speed,
    )
