"""A distance rep's fitted span is brought back toward its prescription on a position distance."""

from __future__ import annotations

import numpy as np

from workoutcheck.segment.onset import SPAN_TOLERANCE, distance_spans


def _session() -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Four 300 m reps at 6 m/s (50 s) with 60 s jogs at 2 m/s between, from t = 100 s."""
    t = np.arange(0.0, 600.0, 1.0)
    v = np.full_like(t, 2.0)
    starts = [100.0, 210.0, 320.0, 430.0]
    for s in starts:
        v[(t >= s) & (t < s + 50)] = 6.0
    d = np.concatenate([[0.0], np.cumsum(v[:-1])])
    times = [0.0]
    for s in starts:
        times += [s, s + 50.0]
    times.append(599.0)
    return t, d, times


def test_a_span_short_of_its_distance_is_lengthened_at_its_loosely_fitted_end() -> None:
    t, d, times = _session()
    times[4] -= 3.0  # rep 2 ends 3 s early: 282 m
    ramps: list[float | None] = [None] + [1.0, 8.0] * 4 + [None]
    prescribed = [300.0, None, 300.0, None, 300.0, None, 300.0]
    out = distance_spans(t, d, prescribed, 1, times, ramps)
    span = np.interp(out[4], t, d) - np.interp(out[3], t, d)
    assert abs(span - 300.0 * (1 - SPAN_TOLERANCE)) < 0.5
    assert abs(out[3] - 210.0) < 0.3  # the sharp start hardly moves
    assert out[:3] == times[:3] and out[5:] == times[5:]


def test_reps_that_do_not_match_their_prescription_as_a_whole_stay() -> None:
    t, d, times = _session()
    ramps: list[float | None] = [None] + [1.0, 8.0] * 4 + [None]
    prescribed = [400.0, None, 400.0, None, 400.0, None, 400.0]  # all 25% short: another plan
    assert distance_spans(t, d, prescribed, 1, times, ramps) == times
