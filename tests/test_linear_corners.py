"""The two per-sample corners of the timeline and the signal stay linear: the GPS glitch
check measures ~2n great-circle steps, and the pause mask is one pass whatever the number
of pauses. Work is bounded by counting, never by the clock."""

from __future__ import annotations

import numpy as np
import pytest

from workoutcheck.ingest import plausible
from workoutcheck.model import geo as positions
from workoutcheck.segment import signal


def _track(n: int, spikes: tuple[int, ...] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = np.arange(n, dtype=np.float64)
    lat = 52.0 + 3.5e-5 * t  # ~3.9 m/s north
    lon = np.full(n, 5.0)
    for i in spikes:
        lat[i] += 0.01  # 1.1 km off and back: a lone GPS spike
    return t, lat, lon


def test_glitch_check_measures_about_two_steps_per_fix(monkeypatch) -> None:
    measured = []
    real = positions.haversine_steps

    def counting(lat, lon):
        measured.append(max(len(lat) - 1, 0))
        return real(lat, lon)

    monkeypatch.setattr(positions, "haversine_steps", counting)
    n = 4000
    t, lat, lon = _track(n)
    notes: list[str] = []
    jumps = plausible.position_glitches({"lat": lat, "lon": lon}, t, notes)
    assert len(jumps) == 0 and notes == []
    assert sum(measured) <= 2 * n


def test_glitch_check_still_drops_lone_spikes() -> None:
    t, lat, lon = _track(600, spikes=(100, 401))
    cols = {"lat": lat, "lon": lon}
    notes: list[str] = []
    jumps = plausible.position_glitches(cols, t, notes)
    assert np.flatnonzero(np.isnan(cols["lat"])).tolist() == [100, 401]
    assert len(jumps) == 0
    assert notes == [
        (
            "cleaned: 2 GPS glitch(es) (a fix implying over 12 m/s to and from its "
            "neighbours) kept without position"
        )
    ]


class _Pause:
    def __init__(self, start_s: float, end_s: float) -> None:
        self.start_s, self.end_s = start_s, end_s


def test_pause_mask_equals_one_mask_per_pause() -> None:
    rng = np.random.default_rng(7)
    fine = np.arange(5000) + 0.5
    starts = np.sort(rng.uniform(-10, 5010, 300))
    pauses = [
        _Pause(s, s + w)
        for s, w in zip(starts, rng.choice([0.0, 0.5, 1.0, 3.0, 40.0], 300), strict=True)
    ]
    pauses += [_Pause(10.5, 12.5), _Pause(20.0, 21.0), _Pause(30.5, 30.5)]
    expected = np.zeros(len(fine), dtype=bool)
    for p in pauses:
        expected |= (fine > p.start_s) & (fine < p.end_s)
    assert np.array_equal(signal._paused_cells(fine, pauses), expected)
    assert not signal._paused_cells(fine, []).any()


def _sparse_line(n: int = 120, dt: float = 5.0, speed: float = 3.4):
    """Fixes every ``dt`` s along a line north at ``speed`` m/s (and the metres per degree)."""
    t = np.arange(n, dtype=np.float64) * dt
    per_deg = 111_195.0
    return t, 52.0 + speed * t / per_deg, np.full(n, 5.0), per_deg


def test_a_spike_too_slow_for_the_12_m_s_rule_at_sparse_records_is_dropped() -> None:
    """A fix 40 m off a line run at 3.4 m/s with records every 5 s reads 8.7 m/s to and from
    it, under 12 m/s; its detour added 53 m to a rep, and a stress-set 800 m rep read as a
    skipped one around it. It is dropped (the note says which rule); the rest are kept."""
    t, lat, lon, per_deg = _sparse_line()
    lon = lon.copy()
    lon[60] += 40.0 / (per_deg * np.cos(np.radians(52.0)))
    cols = {"lat": lat, "lon": lon}
    notes: list[str] = []
    plausible.position_glitches(cols, t, notes)
    assert np.flatnonzero(np.isnan(cols["lat"])).tolist() == [60]
    assert notes == [
        "cleaned: 1 GPS spike(s) (a fix off the line its neighbours run on, reached and left "
        "at over twice their speed) kept without position"
    ]


@pytest.mark.parametrize("shape", ["u-turn", "set off", "stop"])
def test_a_turn_or_a_change_of_pace_is_no_spike(shape: str) -> None:
    """What a runner does at sparse records stays: turning back on an out-and-back course (the
    fix at the turn is off the line its neighbours share, reached at the runner's speed), and
    setting off from a stand or stopping (one side slow)."""
    t, lat, lon, per_deg = _sparse_line()
    metres = (lat - 52.0) * per_deg
    if shape == "u-turn":
        metres = np.where(metres > metres[60], 2 * metres[60] - metres, metres)
    elif shape == "set off":
        metres = np.where(t < 300.0, 0.0, (t - 300.0) * 5.5)
    else:
        metres = np.minimum(metres, metres[60])
    cols = {"lat": 52.0 + metres / per_deg, "lon": lon}
    notes: list[str] = []
    plausible.position_glitches(cols, t, notes)
    assert not np.isnan(cols["lat"]).any() and notes == []
