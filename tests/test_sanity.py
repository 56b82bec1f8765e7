"""Implausible values are cleaned, with a note saying what, never scored silently.

Hand-made recordings whose right answer is known exactly; the rules are in
``ingest/plausible.py`` and applied by ``timeline.build_activity``.
"""

from __future__ import annotations

import numpy as np
import pytest

from workoutcheck.ingest.raw import RawRecording
from workoutcheck.ingest.timeline import build_activity
from workoutcheck.model import Source

T0 = 1_700_000_000.0
nan = np.nan
DEG_PER_M = 1 / 111_195.0  # degrees of latitude per metre (near enough for these tests)


def _raw(time, **cols) -> RawRecording:
    arrays = {k: np.asarray(v, dtype=float) for k, v in cols.items()}
    return RawRecording(
        source=Source.FIT, path="x.fit", time=np.asarray(time, dtype=float) + T0, **arrays
    )


def _note(activity, text: str) -> str:
    found = [n for n in activity.notes if text in n]
    assert found, activity.notes
    return found[0]


def test_speeds_over_12_m_s_are_interpolated_and_counted():
    """A 30 m/s and a 13 m/s speed sample become the interpolation of their neighbours."""
    raw = _raw(range(6), speed=[3, 30, 3.5, 13, 4, 4], distance=np.arange(6) * 3.5)
    a = build_activity(raw)
    assert a.speed.tolist() == pytest.approx([3, 3.25, 3.5, 3.75, 4, 4])
    assert "2 speed value(s) over 12 m/s" in _note(a, "speed value")


def test_negative_speed_is_removed_too():
    """A negative speed is not a speed: interpolated like the too-fast ones."""
    a = build_activity(_raw(range(3), speed=[3, -1, 3]))
    assert a.speed.tolist() == [3, 3, 3]
    assert "1 speed value(s)" in _note(a, "speed value")


def test_plausible_values_give_no_notes():
    """12 m/s exactly, 25 and 250 bpm, negative (south/west) coordinates are all kept."""
    lat = -33.9 + np.arange(5) * 3 * DEG_PER_M
    raw = _raw(
        range(5),
        speed=[12, 3, 3, 3, 3],
        heart_rate=[25, 250, 140, 141, 142],
        lat=lat,
        lon=[-70.6] * 5,
        distance=np.arange(5) * 3.0,
    )
    a = build_activity(raw)
    assert a.notes == ()
    assert a.speed[0] == 12 and a.heart_rate.tolist() == [25, 250, 140, 141, 142]
    assert np.isfinite(a.lat).all() and (a.lon == -70.6).all()


def test_heart_rate_outside_25_to_250_is_removed():
    """300 and 10 bpm become missing (NaN), and the note counts them."""
    a = build_activity(_raw(range(5), heart_rate=[140, 300, 10, 142, 255], speed=[3] * 5))
    assert a.heart_rate[[0, 3]].tolist() == [140, 142]
    assert np.isnan(a.heart_rate[[1, 2, 4]]).all()
    assert "3 heart rate value(s) outside 25-250 bpm" in _note(a, "heart rate")


def test_heart_rate_that_is_all_implausible_is_absent():
    """When no heart rate survives, the field is absent (None), as for a file without one."""
    a = build_activity(_raw(range(3), heart_rate=[255, 255, 255], speed=[3] * 3))
    assert a.heart_rate is None


def test_impossible_positions_lose_their_position():
    """lat 95, lon 200, half a pair and 0,0 lose the position; the others keep theirs."""
    lat = [52.0, 95.0, 52.0, nan, 0.0, 52.0 + 12 * DEG_PER_M]
    lon = [4.0, 4.0, 200.0, 4.0, 0.0, 4.0]
    a = build_activity(_raw(range(6), lat=lat, lon=lon, speed=[3] * 6))
    assert np.isfinite(a.lat).tolist() == [True, False, False, False, False, True]
    assert (np.isfinite(a.lat) == np.isfinite(a.lon)).all()
    assert "4 record(s) with an impossible position" in _note(a, "impossible position")


def test_a_gps_spike_loses_its_position_and_adds_no_distance():
    """One fix 500 m off a straight 3 m/s line: dropped, the distance stays ~3 m/s x 20 s."""
    lat = 52.0 + np.arange(21) * 3 * DEG_PER_M
    lat[10] += 500 * DEG_PER_M
    a = build_activity(_raw(range(21), lat=lat, lon=[4.0] * 21))
    assert np.isnan(a.lat[10]) and np.isfinite(np.delete(a.lat, 10)).all()
    assert a.distance_source == "positions"
    assert a.total_distance_m == pytest.approx(60, abs=3)
    assert "1 GPS glitch(es)" in _note(a, "GPS glitch")


def test_a_gps_jump_adds_no_distance():
    """The track moves 1 km sideways in 1 s and carries on there: the jump is not distance."""
    lat = 52.0 + np.arange(40) * 3 * DEG_PER_M
    lon = np.where(np.arange(40) < 20, 4.0, 4.0 + 1000 * DEG_PER_M / np.cos(np.radians(52)))
    a = build_activity(_raw(range(40), lat=lat, lon=lon))
    assert a.total_distance_m == pytest.approx(39 * 3, abs=8)
    assert "1 distance jump(s)" in _note(a, "distance jump")


def test_device_distance_jump_is_a_glitch():
    """A 500 m step in 1 s of the device distance is not counted; the rest is."""
    dist = [0, 3, 6, 506, 509, 512]
    a = build_activity(_raw(range(6), distance=dist, speed=[3] * 6))
    assert a.distance.tolist() == [0, 3, 6, 6, 9, 12]
    assert "500 m not counted" in _note(a, "distance jump")


def test_device_distance_spike_and_back_is_a_glitch():
    """A corrupt value far above its neighbours: neither the way up nor down is counted (the
    distance is held over the two steps touching it)."""
    dist = [0, 3, 6, 42_949_672, 12, 15]
    a = build_activity(_raw(range(6), distance=dist, speed=[3] * 6))
    assert a.distance.tolist() == [0, 3, 6, 6, 6, 9]
    _note(a, "distance jump")


def test_distance_held_then_caught_up_is_not_a_jump():
    """1 Hz records whose distance updates every 4 s: 12-14 m steps after 3 held records."""
    dist = [0, 0, 0, 0, 13, 13, 13, 13, 26, 26, 26, 26, 40]
    a = build_activity(_raw(range(13), distance=dist))
    assert a.total_distance_m == 40
    assert not any("jump" in n for n in a.notes)


def test_device_distance_going_backwards_is_held_flat_and_noted():
    """A small drop (not a section restart) is held flat until the distance catches up."""
    a = build_activity(_raw(range(5), distance=[0, 3, 1, 4, 7], speed=[3] * 5))
    assert a.distance.tolist() == [0, 3, 3, 4, 7]
    assert "went backwards 1 time(s)" in _note(a, "backwards")


def test_derived_speed_from_a_sub_second_step_is_capped():
    """Distance-derived speed over a 0.2 s step can exceed 12 m/s: it is interpolated."""
    time = [0, 1, 2, 2.2, 3, 4]
    dist = [0, 3, 6, 8.5, 9, 12]
    a = build_activity(_raw(time, distance=dist))
    assert a.speed_source == "distance"
    assert np.nanmax(a.speed) <= 12


def test_cadence_beyond_400_steps_per_min_is_removed():
    """Cadence of 510 (a corrupt 255 doubled) or infinite is not a cadence."""
    a = build_activity(_raw(range(4), cadence=[170, 510, np.inf, 172], speed=[3] * 4))
    assert a.cadence[[0, 3]].tolist() == [170, 172] and np.isnan(a.cadence[[1, 2]]).all()
    assert "2 cadence value(s)" in _note(a, "cadence")
