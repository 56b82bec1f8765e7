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


def _timed_session() -> tuple[np.ndarray, list[float]]:
    """Five 60 s reps from t = 100 s, 90 s apart, as boundaries on a 1 s clock."""
    t = np.arange(0.0, 700.0, 1.0)
    times = [0.0]
    for s in (100.0, 190.0, 280.0, 370.0, 460.0):
        times += [s, s + 60.0]
    times.append(699.0)
    return t, times


def test_a_time_rep_ended_early_is_brought_to_within_the_tolerance_of_its_time() -> None:
    """The clock as the distance: a rep's time is its span (segmenter._duration_spans)."""
    t, times = _timed_session()
    times[6] -= 5.0  # rep 3 ends after 55 s: a dip in it ended the fit there
    ramps: list[float | None] = [None] + [1.0, 6.0] * 5 + [None]
    prescribed = [60.0, None, 60.0, None, 60.0, None, 60.0, None, 60.0]
    out = distance_spans(t, t, prescribed, 1, times, ramps, max_scale=0.05, tolerance=0.03)
    assert abs(out[6] - out[5] - 60.0 * 0.97) < 0.3
    assert abs(out[5] - 280.0) < 0.2  # the sharply fitted start hardly moves
    assert out[:5] == times[:5] and out[7:] == times[7:]


def test_time_reps_that_scatter_as_a_whole_are_left_as_fitted() -> None:
    """A runner timing reps by eye (52-68 s of 60): no one span says which boundary is wrong."""
    t, times = _timed_session()
    for k, off in zip((2, 4, 6, 8, 10), (-8.0, 6.0, -5.0, 8.0, 4.0), strict=True):
        times[k] += off
    ramps: list[float | None] = [None] + [1.0, 6.0] * 5 + [None]
    prescribed = [60.0, None, 60.0, None, 60.0, None, 60.0, None, 60.0]
    out = distance_spans(t, t, prescribed, 1, times, ramps, max_scale=0.05, max_spread=0.03)
    assert out == times
