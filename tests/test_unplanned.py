"""Without a plan: which runs are interval sessions, read as a coach reads the chart.

Synthetic recordings, one rule each: a run-walk, a hilly run walked up the climbs, a noisy speed
whose peaks are no efforts, each against the interval session the same speeds would make.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import Activity, Source
from workoutcheck.segment import segment


def _activity(pieces, *, noise=0.05, tau_s=1.0, grade=None, seed=5):  # type: ignore[no-untyped-def]
    """A 1 Hz recording of (seconds, speed m/s, cadence steps/min) pieces; ``noise``: the speed's
    wander (m/s), correlated over ``tau_s``; ``grade``: per piece, the slope run (fraction)."""
    rng = np.random.default_rng(seed)
    speed = np.concatenate([np.full(n, v) for n, v, _ in pieces])
    cadence = np.concatenate([np.full(n, c, dtype=float) for n, _, c in pieces])
    a = np.exp(-1.0 / tau_s)
    wander = np.zeros(len(speed))
    kicks = rng.normal(0.0, noise * np.sqrt(1 - a * a), len(speed))
    for i in range(1, len(speed)):  # an AR(1) wander: GPS errors persist for seconds
        wander[i] = a * wander[i - 1] + kicks[i]
    speed = np.clip(speed + wander, 0.0, None)
    t = np.arange(len(speed), dtype=float)
    dist = np.concatenate([[0.0], np.cumsum(speed[1:])])
    altitude = None
    if grade is not None:
        slope = np.concatenate([np.full(n, g) for (n, _, _), g in zip(pieces, grade, strict=True)])
        altitude = 100.0 + np.concatenate([[0.0], np.cumsum(slope[1:] * speed[1:])])
    return Activity(
        source=Source.FIT,
        path="synthetic",
        start_time=None,
        t=t,
        distance=dist,
        speed=speed,
        cadence=cadence + rng.normal(0.0, 1.0, len(speed)),
        altitude=altitude,
        distance_source="device",
        speed_source="device",
    )


def _why(result) -> str:  # type: ignore[no-untyped-def]
    return " ".join(n for n in result.notes if n.startswith("no interval session"))


WALK, JOG = (1.4, 115), (2.5, 160)


def test_a_run_walk_is_a_continuous_run():
    """Jogs between walking breaks of every length (one of 20 minutes), the jogs a fifth of
    the outing and not twice the walk: a walk with jogs in it, not a session."""
    walks = [130, 100, 50, 1260, 60, 230, 300]
    jogs = [130, 120, 80, 75, 110, 40, 35]
    pieces = [(300, *WALK)]
    for j, w in zip(jogs, walks, strict=True):
        pieces += [(j, *JOG), (w, *WALK)]
    result = segment(_activity(pieces), None)
    assert result.description.startswith("continuous") and not result.reps
    assert "run-walk" in _why(result)


def test_walked_recoveries_that_repeat_are_a_session():
    """The same jog and walk speeds as a session: 8 x 2 min with 90 s walked between."""
    pieces = [(600, *WALK)]
    for i in range(8):
        pieces += [(120, *JOG)] + ([(90, *WALK)] if i < 7 else [])
    pieces += [(300, *WALK)]
    result = segment(_activity(pieces), None)
    assert result.description == "8 x ~2:00 / ~1:30"


def test_the_descents_of_a_hilly_run_are_no_efforts():
    """Walking up 8% climbs and running down them: fast on the clock, steady at grade-adjusted
    pace. The same speeds on the flat are an interval session."""
    pieces, grade = [(150, 2.6, 165)], [0.0]
    for _ in range(8):
        pieces += [(180, 1.3, 120), (75, 3.2, 170)]
        grade += [0.08, -0.08]
    pieces += [(150, 2.6, 165)]
    grade += [0.0]
    # most of the distance on a grade, as effort.effort_progress asks of a hilly file
    hilly = segment(_activity(pieces, grade=grade), None)
    assert hilly.description.startswith("continuous") and not hilly.reps
    assert "descents" in _why(hilly)
    flat = segment(_activity(pieces), None)
    assert not flat.description.startswith("continuous") and len(flat.reps) >= 8


def _bumps(rise: float) -> list[tuple[int, float, float]]:
    """A steady run with eight 22 s bumps at +35%, the cadence rising ``rise`` in them."""
    pieces = [(300, 3.3, 172.0)]
    for gap in (90, 120, 70, 110, 95, 130, 80):
        pieces += [(22, 4.5, 172.0 + rise), (gap, 3.3, 172.0)]
    return pieces + [(22, 4.5, 172.0 + rise), (300, 3.3, 172.0)]


def test_the_peaks_of_a_wandering_speed_are_no_efforts():
    """Short bumps that lead the running around them by less than its wander (0.6 m/s, as
    positions every few seconds give), the cadence steady: the GPS's, not the runner's. The
    same bumps with the cadence rising 12 steps/min are the runner's pick-ups."""
    noisy = segment(_activity(_bumps(0.0), noise=0.6, tau_s=5.0, seed=1), None)
    assert noisy.description.startswith("continuous") and not noisy.reps
    assert "wander" in _why(noisy)
    picked = segment(_activity(_bumps(12.0), noise=0.6, tau_s=5.0, seed=1), None)
    assert not picked.description.startswith("continuous") and "wander" not in _why(picked)


def test_reps_in_a_wandering_speed_stand_clear_of_it():
    """Minute reps at +45% in the same wander lead it by far more than it wanders."""
    pieces = [(600, 3.0, 168.0)]
    for i in range(6):
        pieces += [(60, 4.4, 182.0)] + ([(120, 3.0, 168.0)] if i < 5 else [])
    pieces += [(600, 3.0, 168.0)]
    session = segment(_activity(pieces, noise=0.6, tau_s=5.0, seed=1), None)
    assert session.description.startswith("6 x") and len(session.reps) == 6


def test_a_steady_run_with_a_wandering_speed_is_continuous():
    """0.7 m/s of wander correlated over 10 s, whatever its draw: no efforts in it."""
    for seed in range(1, 11):
        result = segment(_activity([(1500, 3.3, 172.0)], noise=0.7, tau_s=10.0, seed=seed), None)
        assert result.description.startswith("continuous") and not result.reps, seed


def test_repeats_a_little_quicker_than_the_warm_up_are_a_session():
    """3 x 8 min only 27% quicker than the warm-up, stood 3 minutes between: the reps are most
    of the running, so they lead the session's typical pace by nothing, but they repeat as a
    coach writes them, and so do the stands."""
    pieces = [(600, 3.3, 168.0)]
    for i in range(3):
        pieces += [(480, 4.2, 178.0)] + ([(180, 0.0, 0.0)] if i < 2 else [])
    pieces += [(300, 3.3, 168.0)]
    result = segment(_activity(pieces), None)
    assert result.description == "3 x ~8:00 / ~3:00"


def test_changes_of_pace_of_every_length_are_no_session():
    """The same speeds in stretches of every length with stops of every length between."""
    pieces = [(600, 3.3, 168.0)]
    for run, stop in ((300, 40), (700, 150), (450, 20)):
        pieces += [(run, 4.2, 178.0), (stop, 0.0, 0.0)]
    pieces += [(300, 3.3, 168.0)]
    result = segment(_activity(pieces), None)
    assert result.description.startswith("continuous") and not result.reps


def test_the_round_figure_names_blocks_alike_in_time_and_distance():
    """Reps alike by the clock and by the metre are written as the coach wrote them: by the
    round figure (1000 m run in ~3:45; 3:00 run as ~740 m); where neither or both are round
    the steadier measure decides."""
    from workoutcheck.segment.unplanned import _typical

    thousands = [(1015.0, 221.5), (996.0, 224.4), (1017.0, 228.6), (986.0, 225.8)]
    assert _typical(thousands) == "~1000 m"
    threes = [(758.0, 181.5), (739.0, 180.2), (736.0, 179.9), (745.0, 179.2)]
    assert _typical(threes) == "~3:00"
    # neither round (870 m in 3:37): the clock is steadier here (written to 15 s)
    neither = [(860.0, 217.0), (880.0, 217.5), (870.0, 216.8), (875.0, 217.2)]
    assert _typical(neither) == "~3:30"
    # irregular by the metre (GPS on trails), regular by the clock: the clock, round or not
    trail = [(600.0, 120.0), (780.0, 121.0), (700.0, 119.0), (1000.0, 120.5)]
    assert _typical(trail) == "~2:00"
