"""Distance and speed from positions, on synthetic runs whose true distance is known."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workoutcheck.model.geo import (
    _radii,
    derive_distance,
    derive_speed,
    haversine_steps,
    smooth_positions,
)

# A 400 m track measured in lane 1, 0.30 m from the kerb: straights 84.39 m, bends radius 36.8 m.
STRAIGHT = 84.39
RADIUS = 36.5 + 0.30
LAP = 2 * STRAIGHT + 2 * np.pi * RADIUS
LAT0, LON0 = 48.2, 16.37


def track_xy(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position (m) after running s metres anticlockwise round the lane-1 line."""
    s = np.mod(s, LAP)
    x = np.empty_like(s)
    y = np.empty_like(s)
    a = s < STRAIGHT
    x[a], y[a] = s[a], 0.0
    b = (s >= STRAIGHT) & (s < STRAIGHT + np.pi * RADIUS)
    th = (s[b] - STRAIGHT) / RADIUS
    x[b], y[b] = STRAIGHT + RADIUS * np.sin(th), RADIUS - RADIUS * np.cos(th)
    c = (s >= STRAIGHT + np.pi * RADIUS) & (s < 2 * STRAIGHT + np.pi * RADIUS)
    x[c], y[c] = STRAIGHT - (s[c] - STRAIGHT - np.pi * RADIUS), 2 * RADIUS
    d = s >= 2 * STRAIGHT + np.pi * RADIUS
    th = (s[d] - 2 * STRAIGHT - np.pi * RADIUS) / RADIUS
    x[d], y[d] = -RADIUS * np.sin(th), RADIUS + RADIUS * np.cos(th)
    return x, y


def to_latlon(x, y):
    """Local metres -> degrees with the WGS84 radii at LAT0 (exact for a 100 m track)."""
    m, n = _radii(np.radians(LAT0))
    return LAT0 + y / (m * np.pi / 180), LON0 + x / (n * np.cos(np.radians(LAT0)) * np.pi / 180)


def gps_noise(n, rng, sigma=2.5, tau=30.0, white=1.0, dt=1.0):
    """AR(1) noise (sigma, correlation time tau) plus white noise, per coordinate, in metres."""
    phi = np.exp(-dt / tau)
    e = rng.standard_normal(n) * sigma * np.sqrt(1 - phi**2)
    ar = np.empty(n)
    ar[0] = rng.standard_normal() * sigma
    for i in range(1, n):  # test-side generator; the module itself has no per-sample loop
        ar[i] = phi * ar[i - 1] + e[i]
    return ar + white * rng.standard_normal(n)


def track_run(speed_fn, laps, rng, sigma=2.5, white=1.0):
    """A 1 Hz recording of ``laps`` laps; returns t, true cumulative distance, lat, lon."""
    t = np.arange(0.0, laps * LAP / float(np.mean(speed_fn(np.arange(0.0, 4000.0)))) + 1)
    v = speed_fn(t)
    s = np.r_[0.0, np.cumsum((v[1:] + v[:-1]) / 2 * np.diff(t))]
    x, y = track_xy(s)
    nx = gps_noise(len(t), rng, sigma, white=white)
    ny = gps_noise(len(t), rng, sigma, white=white)
    lat, lon = to_latlon(x + nx, y + ny)
    return t, s, lat, lon


def constant(v):
    return lambda t: np.full_like(t, v)


def intervals(t):
    """2 min at 5 m/s, 2 min at 3 m/s, repeated."""
    return np.where((t // 120) % 2 == 0, 5.0, 3.0)


# --------------------------------------------------------------------------------------------
# haversine_steps
# --------------------------------------------------------------------------------------------


def test_haversine_known_lengths():
    """WGS84 values: 0.001 deg of latitude at 45 deg = 111.132 m; 0.001 deg of longitude at the
    equator = 111.319 m; 1 deg of latitude from the equator = 110574 m (geodesic 110574.4)."""

    def one(lat, lon):
        return haversine_steps(np.array(lat), np.array(lon))[0]

    assert one([45.0, 45.001], [7.0, 7.0]) == pytest.approx(111.132, abs=0.002)
    assert one([0.0, 0.0], [0.0, 0.001]) == pytest.approx(111.3195, abs=0.001)
    assert one([0.0, 1.0], [0.0, 0.0]) == pytest.approx(110574.4, rel=2e-4)


def test_haversine_nan_and_antimeridian():
    """A NaN fix gives NaN for its two steps only; steps across 180 deg wrap (111 m, not
    40000 km)."""
    lat = np.array([0.0, np.nan, 0.0, 0.0])
    d = haversine_steps(lat, np.array([179.9995, 0.0, -179.9995, -179.9985]))
    assert np.isnan(d[:2]).all() and d[2] == pytest.approx(111.3195, abs=0.001)
    wrap = haversine_steps(np.array([0.0, 0.0]), np.array([179.9995, -179.9995]))
    assert wrap[0] == pytest.approx(111.3195, abs=0.001)
    assert len(haversine_steps(np.array([1.0]), np.array([2.0]))) == 0


# --------------------------------------------------------------------------------------------
# derive_distance: accuracy
# --------------------------------------------------------------------------------------------


def test_track_lap_is_400m():
    """The synthetic lane-1 line measures 400.00 m, and noise-free positions give it back."""
    assert LAP == pytest.approx(400.0, abs=0.01)
    t = np.arange(0.0, 401.0)
    x, y = track_xy(4.0 * t)
    lat, lon = to_latlon(x, y)
    assert derive_distance(t, lat, lon)[-1] == pytest.approx(1600.0, rel=0.002)


@pytest.mark.parametrize("speed", [constant(4.0), intervals], ids=["4m/s", "intervals"])
def test_ten_laps_within_one_percent(speed):
    """10 laps, AR(1) noise sigma 2.5 m / tau 30 s + 1 m white at 1 Hz, 10 seeds: every derived
    distance within 1 % of 4000 m (measured: mean |error| ~0.35 %, worst ~0.96 %) while the
    raw haversine sum is 6-9 % over in every run."""
    errs, raws = [], []
    for seed in range(10):
        t, s, lat, lon = track_run(speed, 10, np.random.default_rng(seed))
        errs.append(derive_distance(t, lat, lon)[-1] / s[-1] - 1)
        raws.append(np.nansum(haversine_steps(lat, lon)) / s[-1] - 1)
    errs = np.abs(errs)
    assert errs.max() < 0.01
    assert errs.mean() < 0.006
    assert min(raws) > 0.05


def test_ten_laps_sigma3():
    """With sigma 3 m the slow (tau 30 s) noise bends the path itself, which no ~5 s smoother
    can undo (first-order: a radial offset e on a bend changes its length by pi*e): mean
    |error| stays under 1 %, the worst run under 1.5 %."""
    errs = []
    for seed in range(10):
        t, s, lat, lon = track_run(constant(4.0), 10, np.random.default_rng(seed), sigma=3.0)
        errs.append(abs(derive_distance(t, lat, lon)[-1] / s[-1] - 1))
    assert np.mean(errs) < 0.01 and max(errs) < 0.015


def test_road_out_and_back():
    """2.5 km out along a gently winding road and back (hairpin turn), same noise: within 1 %;
    the raw sum is > 5 % over."""
    xs = np.linspace(0.0, 3000.0, 300001)
    ys = 30.0 * np.sin(xs / 150.0)
    arc = np.r_[0.0, np.cumsum(np.hypot(np.diff(xs), np.diff(ys)))]
    for seed, v in [(1, 3.0), (2, 4.5), (3, 3.5)]:
        rng = np.random.default_rng(seed)
        t = np.arange(0.0, 5000.0 / v + 1)
        s = v * t
        u = np.where(s <= 2500.0, s, 5000.0 - s)
        x, y = np.interp(u, arc, xs), np.interp(u, arc, ys)
        lat, lon = to_latlon(x + gps_noise(len(t), rng), y + gps_noise(len(t), rng))
        assert derive_distance(t, lat, lon)[-1] == pytest.approx(s[-1], rel=0.01)
        assert np.nansum(haversine_steps(lat, lon)) > 1.05 * s[-1]


def test_irregular_sampling():
    """Smart recording (1-7 s apart) on the track at 4 m/s: within 1.5 % in 5 runs."""
    for seed in range(5):
        rng = np.random.default_rng(100 + seed)
        t, s, lat, lon = track_run(constant(4.0), 10, rng)
        keep = np.cumsum(rng.integers(1, 8, size=len(t)))
        keep = keep[keep < len(t)]
        d = derive_distance(t[keep], lat[keep], lon[keep])
        assert d[-1] == pytest.approx(s[keep][-1] - s[keep][0], rel=0.015)


def test_standing_still_adds_little():
    """Two minutes standing with the same GPS noise: the raw sum wanders > 150 m, the derived
    distance stays under 20 m (smoothing + the standing guard)."""
    for seed in range(3):
        rng = np.random.default_rng(seed)
        t = np.arange(0.0, 120.0)
        lat, lon = to_latlon(gps_noise(120, rng), gps_noise(120, rng))
        assert np.nansum(haversine_steps(lat, lon)) > 150
        assert derive_distance(t, lat, lon)[-1] < 20


# --------------------------------------------------------------------------------------------
# derive_distance: gaps, NaN, pauses
# --------------------------------------------------------------------------------------------


def straight_run(v=4.0, n=200):
    t = np.arange(float(n))
    lat, lon = to_latlon(v * t, np.zeros(n))
    return t, lat, lon


def test_short_nan_gap_interpolated():
    """5 fixes without position on a straight: distance keeps growing through them (4 m/s)."""
    t, lat, lon = straight_run()
    lat[100:105] = np.nan
    lon[100:105] = np.nan
    d = derive_distance(t, lat, lon)
    assert np.diff(d[99:106]) == pytest.approx(np.full(6, 4.0), abs=0.05)
    assert d[-1] == pytest.approx(199 * 4.0, rel=1e-3)


def test_long_nan_gap_flat_then_straight_line():
    """60 s without position (a tunnel): distance flat through it, then the straight line from
    the last fix to the next is added at once; the total is still right on a straight road."""
    t, lat, lon = straight_run()
    lat[80:140] = np.nan
    lon[80:140] = np.nan
    d = derive_distance(t, lat, lon)
    assert np.ptp(d[79:140]) == 0.0
    assert d[140] - d[139] == pytest.approx(61 * 4.0, rel=0.01)
    assert d[-1] == pytest.approx(199 * 4.0, rel=1e-3)


def test_leading_and_trailing_nan():
    """Fixes without position before the first and after the last fix: 0 before, flat after."""
    t, lat, lon = straight_run(n=50)
    lat[:5] = lat[45:] = np.nan
    lon[:5] = lon[45:] = np.nan
    d = derive_distance(t, lat, lon)
    assert (d[:6] == 0).all() and np.ptp(d[44:]) == 0.0
    assert d[-1] == pytest.approx(39 * 4.0, rel=1e-3)


def test_pause_not_smoothed_across():
    """A 120 s time gap (watch stopped) after which the runner is 50 m further and turns 90 deg:
    the smoother does not cut the corner across the gap; the gap adds the 50 m straight line."""
    t1 = np.arange(0.0, 60.0)
    t2 = 180.0 + np.arange(0.0, 60.0)
    x = np.r_[4.0 * t1, np.full(60, 236.0 + 50.0)]
    y = np.r_[np.zeros(60), 4.0 * (t2 - 180.0)]
    lat, lon = to_latlon(x, y)
    t = np.r_[t1, t2]
    d = derive_distance(t, lat, lon)
    assert d[59] == pytest.approx(236.0, abs=0.2)
    assert d[60] - d[59] == pytest.approx(50.0, abs=0.2)
    assert d[-1] - d[60] == pytest.approx(236.0, abs=0.2)


def test_breaks_split_segments():
    """``breaks`` (segment start times from the reader) split smoothing like a time gap."""
    t, lat, lon = straight_run(n=40)
    lat[20:], lon[20:] = to_latlon(4.0 * t[20:], np.full(20, 30.0))  # a 30 m side step at t=20
    smooth_lat, _ = smooth_positions(t, lat, lon, breaks=np.array([20.0]))
    assert smooth_lat[19] == pytest.approx(lat[19], abs=1e-7)
    assert smooth_lat[20] == pytest.approx(lat[20], abs=1e-7)


def test_all_nan_or_single_fix():
    """No position, or one: all-zero distance of the right length, no warning, no error."""
    t = np.arange(10.0)
    nan = np.full(10, np.nan)
    assert (derive_distance(t, nan, nan) == 0).all()
    one = nan.copy()
    one[3] = 48.0
    assert (derive_distance(t, one, one) == 0).all()
    assert len(derive_distance(np.zeros(0), np.zeros(0), np.zeros(0))) == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.0, 30.0),
            st.one_of(st.floats(-1e-3, 1e-3), st.just(float("nan"))),
            st.one_of(st.floats(-1e-3, 1e-3), st.just(float("nan"))),
        ),
        min_size=1,
        max_size=80,
    )
)
def test_distance_always_monotone(rows):
    """For any steps (including repeated times and NaN fixes) the distance starts at 0, is
    finite and never decreases."""
    dt, dlat, dlon = (np.array(c) for c in zip(*rows, strict=False))
    t = np.cumsum(dt)
    d = derive_distance(t, 45.0 + dlat, 7.0 + dlon)
    assert len(d) == len(t) and d[0] == 0.0
    assert np.isfinite(d).all() and (np.diff(d) >= 0).all()


def test_fast_on_long_recording():
    """A 6 h 1 Hz recording (21600 fixes) takes well under a second: no per-sample loop."""
    rng = np.random.default_rng(0)
    t = np.arange(21600.0)
    lat, lon = to_latlon(*track_xy(3.5 * t))
    lat = lat + rng.normal(0, 1e-5, len(t))
    start = time.process_time()
    derive_speed(t, derive_distance(t, lat, lon))
    assert time.process_time() - start < 3.0  # this process's CPU, not the wall clock


# --------------------------------------------------------------------------------------------
# derive_speed
# --------------------------------------------------------------------------------------------


def test_rep_boundary_stays_sharp():
    """Speed step 2.5 -> 5 m/s at t = 300.5 s on the track bend and straight: 2 s before the
    boundary the derived speed is within 10 % of 2.5, 2 s after within 10 % of 5; the 3.75
    crossing is within 0.5 s of the step."""
    t = np.arange(0.0, 600.0)
    tb = 300.5
    s = np.where(t < tb, 2.5 * t, 2.5 * tb + 5.0 * (t - tb))
    for start in (0.0, 120.0):  # boundary on a straight, then on a bend
        lat, lon = to_latlon(*track_xy(s + start))
        v = derive_speed(t, derive_distance(t, lat, lon))
        before = (t <= tb - 2) & (t > tb - 60)
        after = (t >= tb + 2) & (t < tb + 60)
        assert np.all(np.abs(v[before] - 2.5) <= 0.25)
        assert np.all(np.abs(v[after] - 5.0) <= 0.5)
        cross = np.interp(3.75, v[295:306], t[295:306])
        assert abs(cross - tb) < 0.5


def test_rep_boundary_with_noise():
    """With GPS noise the 3.75 m/s crossing, averaged over 10 runs, is still within 1 s."""
    t = np.arange(0.0, 600.0)
    tb = 300.5
    s = np.where(t < tb, 2.5 * t, 2.5 * tb + 5.0 * (t - tb))
    x, y = track_xy(s)
    vs = []
    for seed in range(10):
        rng = np.random.default_rng(seed)
        lat, lon = to_latlon(x + gps_noise(600, rng), y + gps_noise(600, rng))
        vs.append(derive_speed(t, derive_distance(t, lat, lon)))
    v = np.mean(vs, axis=0)
    cross = np.interp(3.75, v[290:311], t[290:311])
    assert abs(cross - tb) < 1.0


def test_speed_irregular_and_gaps():
    """Exact on a constant-speed run sampled 1-7 s apart; one-sided next to a gap; NaN for a
    sample isolated between two gaps; NaN-free otherwise and never negative."""
    rng = np.random.default_rng(5)
    t = np.cumsum(rng.integers(1, 8, size=100)).astype(float)
    assert derive_speed(t, 3.2 * t) == pytest.approx(np.full(100, 3.2))
    t = np.array([0.0, 1.0, 2.0, 100.0, 200.0, 201.0])
    d = np.array([0.0, 3.0, 6.0, 7.0, 8.0, 12.0])
    v = derive_speed(t, d)
    assert v[:3] == pytest.approx([3.0, 3.0, 3.0])
    assert np.isnan(v[3])
    assert v[4:] == pytest.approx([4.0, 4.0])
    assert len(derive_speed(np.zeros(1), np.zeros(1))) == 1
