"""The plan-guided programme grows with the recording, not with the recording times the plan:
a plan that grows with the session keeps only the few plan positions the runner can be at."""

from __future__ import annotations

import numpy as np
import pytest

from workoutcheck.model import Activity, Source
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.segment import SegmentKind, segment
from workoutcheck.segment.chain import build_chain, free_model
from workoutcheck.segment.dp import UNPRUNED, Work, solve
from workoutcheck.segment.signal import build_signal

PART_S, REP_S, WARM_S = 405, 225, 300  # 1000 m in 3:45 and a 3 min jog; a 5 min warm-up


def _growing(hours: float, seed: int = 1):  # type: ignore[no-untyped-def]
    """``hours`` of 1 Hz running: a warm-up, as many 1000 m reps with 3 min jogs as fit, a
    cool-down; and a plan with exactly that many reps."""
    rng = np.random.default_rng(seed)
    n = int(hours * 3600)
    reps = (n - WARM_S) // PART_S
    t = np.arange(n, dtype=float)
    phase = (t - WARM_S) % PART_S
    # a warm-up, and a cool-down in what is left after the last whole part
    easy = (t < WARM_S) | (t >= WARM_S + reps * PART_S)
    speed = np.where(easy, 2.8, np.where(phase < REP_S, 1000 / REP_S, 2.5)) + rng.normal(0, 0.1, n)
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
    return act, resolve(parse_plan(f"{reps}x(1000m @ 3:45/km, 3min jog)")), reps


def _work(hours: float, margin: float | None = None) -> tuple[Work, int, list]:  # type: ignore[type-arg]
    act, plan, _ = _growing(hours)
    sig = build_signal(act, 18.0)  # the coarse pass's cells for this plan

    def peak(step):  # type: ignore[no-untyped-def]
        return 4.0

    states = build_chain(sig, plan, peak)
    work = Work()
    kw = {} if margin is None else {"margin": margin}
    placed, _ = solve(sig, states, free_model(sig, plan, peak), work=work, **kw)
    # the warm-up's strides are never dropped (dp.UNPRUNED): a fixed few states that cost
    # about every cell, whatever the plan; what is measured here is the plan's states
    work = Work(cells=work.cells - work.kept, pairs=work.pairs)
    plan_states = sum(st.kind not in UNPRUNED for st in states)
    return work, plan_states, [(states[p.state].name, p.start, p.end) for p in placed]


def test_work_grows_linearly_with_a_growing_plan():
    """4x the recording with 4x the reps: about 4x the cells and the costed pairs (the exact
    programme: 16x), and far fewer than every state at every cell."""
    small, states_small, _ = _work(2.0)
    large, states_large, _ = _work(8.0)
    assert states_large > 3.5 * states_small
    assert large.cells < 5.5 * small.cells
    assert large.pairs < 5.5 * small.pairs
    cells = 8 * 3600 // 18 + 1
    assert large.cells < 0.2 * states_large * cells


def test_pruning_keeps_the_exact_alignment():
    """The pruned programme places every state where the exact one does."""
    pruned, _, placed = _work(3.0)
    exact, _, exact_placed = _work(3.0, margin=np.inf)
    assert placed == exact_placed
    assert pruned.cells < 0.5 * exact.cells


def test_a_day_of_reps_is_found_rep_for_rep():
    """24 h with 212 planned 1000 m reps: every rep found, in order, none missed, none extra,
    each about where it was run."""
    act, plan, reps = _growing(24.0)
    assert reps == 212
    result = segment(act, plan, laps="ignore")
    found = [s for s in result.segments if s.kind is SegmentKind.REP and not s.missed]
    assert [s.rep for s in found] == list(range(1, 213))
    assert result.missed_reps == () and result.extra_efforts == 0
    starts = np.array([s.start_s for s in found])
    assert starts == pytest.approx(WARM_S + PART_S * np.arange(212), abs=5.0)
