"""Race models and pace formatting agree with hand-computed values."""

from __future__ import annotations

import math

import pytest

from workoutcheck.errors import UsageError
from workoutcheck.model.text import format_pace, format_time
from workoutcheck.plan.paces import (
    critical_speed,
    pace_views,
    parse_time,
    per_meters,
    race_distance,
    race_label,
    riegel_time,
    speed_at_fraction,
    training_paces,
    vdot,
    vdot_race_time,
    vo2_at,
)
from workoutcheck.plan.zones import zones, zones_text


def test_vdot_10k_in_40_minutes() -> None:
    """Daniels: 10 km in 40:00 is VDOT 51.9 (+/-0.1)."""
    assert vdot(10000, 40 * 60) == pytest.approx(51.9, abs=0.1)


def test_vdot_by_hand() -> None:
    """VDOT = VO2(v) / %max(t) with v = 250 m/min, t = 40 min, computed step by step."""
    v, t = 250.0, 40.0
    vo2 = -4.60 + 0.182258 * v + 0.000104 * v * v
    pct = 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)
    assert vo2_at(v) == pytest.approx(vo2)
    assert vdot(10000, 2400) == pytest.approx(vo2 / pct)


def test_vdot_race_time_inverts_vdot() -> None:
    """The race time at a VDOT gives back that VDOT; 10K at 51.94 is 40:00."""
    v = vdot(10000, 2400)
    assert vdot_race_time(v, 10000) == pytest.approx(2400, abs=0.01)
    t5 = vdot_race_time(v, 5000)
    assert vdot(5000, t5) == pytest.approx(v, abs=1e-6)
    assert 19 * 60 < t5 < 19 * 60 + 30  # Daniels' table: about 19:17


def test_speed_at_fraction_inverts_vo2() -> None:
    """The training speed formula is the inverse of the oxygen cost."""
    v = speed_at_fraction(50.0, 0.8)
    assert vo2_at(v) == pytest.approx(40.0)


def test_riegel_by_hand() -> None:
    """Riegel: 5K 18:40 -> 10K = 1120 * 2 ** 1.06 = 2335.1 s."""
    assert riegel_time(1120, 5000, 10000) == pytest.approx(1120 * 2**1.06)
    assert riegel_time(1120, 5000, 10000) == pytest.approx(2335.12, abs=0.01)
    assert riegel_time(1120, 5000, 5000) == 1120


def test_critical_speed_two_efforts() -> None:
    """CS = (D2 - D1)/(T2 - T1), D' = D1 - CS*T1: 1K 3:05 and 5K 20:00."""
    cs, dp = critical_speed([(1000, 185), (5000, 1200)])
    assert cs == pytest.approx(4000 / 1015)
    assert dp == pytest.approx(1000 - 4000 / 1015 * 185)


def test_critical_speed_least_squares_and_errors() -> None:
    """Three collinear efforts give the exact line; fewer than two, or equal times, fail."""
    cs, dp = critical_speed([(1200, 200), (2400, 500), (4200, 950)])
    assert cs == pytest.approx(4.0) and dp == pytest.approx(400.0)
    with pytest.raises(ValueError):
        critical_speed([(1000, 200)])
    with pytest.raises(ValueError):
        critical_speed([(1000, 200), (1200, 200)])


def test_training_paces_order_and_repetition_rule() -> None:
    """Zones get faster from easy to repetition; R = I less 6 s per 400 m (15 s/km)."""
    p = training_paces(51.9)
    order = ["easy", "marathon", "threshold", "interval", "repetition"]
    assert [p[z][0] for z in order] == sorted((p[z][0] for z in order), reverse=True)
    assert p["repetition"][0] == pytest.approx(p["interval"][0] - 15)
    assert all(fast < slow for fast, slow in p.values())
    assert p["interval"][0] == pytest.approx(60000 / speed_at_fraction(51.9, 1.0))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("18:40", 1120),
        ("3:05", 185),
        ("24.0", 24),
        ("1:02:30", 3750),
        ("52.31", 52.31),
        (24.0, 24),
        (90, 90),
        ("2:00:00", 7200),
    ],
)
def test_parse_time(text: str | float, seconds: float) -> None:
    """Race times in every written form."""
    assert parse_time(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["18-40", "", "3:75", "abc", "0", -5, True, "1:2:3:4"])
def test_parse_time_rejects(text: object) -> None:
    """Unreadable race times raise ValueError."""
    with pytest.raises(ValueError):
        parse_time(text)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("label", "metres", "canon"),
    [
        ("5K", 5000, "5K"),
        ("5 km", 5000, "5K"),
        ("5000m", 5000, "5K"),
        ("1500m", 1500, "1500m"),
        ("mile", 1609.344, "mile"),
        ("half", 21097.5, "half"),
        ("marathon", 42195, "marathon"),
        ("400m", 400, "400m"),
        ("2mi", 3218.688, "2mi"),
        ("1k", 1000, "1K"),
    ],
)
def test_race_labels(label: str, metres: float, canon: str) -> None:
    """Race labels map to metres and back to one canonical label."""
    assert race_distance(label) == pytest.approx(metres)
    assert race_label(race_distance(label)) == canon


def test_pace_formatting() -> None:
    """3:45/km is 6:02/mi, 1:30.0 per 400 m, 22.5 per 100 m."""
    assert pace_views(225) == {
        "per_km": "3:45/km",
        "per_mile": "6:02/mi",
        "per_400m": "1:30.0",
        "per_100m": "22.5",
    }
    assert format_pace(225, unit="400m", metres=400.0) == "1:30.0/400m"
    assert per_meters("mi") == pytest.approx(1609.344) and per_meters("100m") == 100


@pytest.mark.parametrize(
    ("seconds", "decimals", "text"),
    [
        (3750, 0, "1:02:30"),
        (24, 1, "24.0"),
        (59.96, 1, "1:00.0"),
        (185, 0, "3:05"),
        (225.4, 1, "3:45.4"),
    ],
)
def test_format_time(seconds: float, decimals: int, text: str) -> None:
    """Durations print as h:mm:ss, m:ss or ss.s."""
    assert format_time(seconds, decimals) == text


def test_zones_tables() -> None:
    """zones: VDOT paces, both models' equivalents, CS with two races, tempo 70..100%."""
    z = zones(["5K=20:00", "1K=3:05"])
    assert z["vdot_from"] == "1K" and z["vdot"] == pytest.approx(vdot(1000, 185))
    eq = {e["race"]: e for e in z["equivalents"]}
    assert eq["10K"]["riegel_s"] == pytest.approx(1200 * 2**1.06)
    assert eq["10K"]["riegel_from"] == "5K"
    assert eq["5K"]["vdot_s"] == pytest.approx(vdot_race_time(z["vdot"], 5000))
    assert z["critical_speed"]["speed_m_s"] == pytest.approx(4000 / 1015)
    rows = z["tempo"]["rows"]
    assert [r["percent"] for r in rows] == [70, 75, 80, 85, 90, 95, 100]
    assert rows[1]["per_100m_s"] == pytest.approx(1200 / 0.75 / 50)  # 32.0 s per 100 m
    text = zones_text(z)
    for title in ("Training paces", "Equivalent race times", "Critical speed", "Tempo"):
        assert title in text


def test_zones_single_race_and_goal() -> None:
    """One race: no critical speed; the tempo table uses the given goal."""
    z = zones(["5K=20:00"], goal="400m=52.0")
    assert z["critical_speed"] is None
    assert z["tempo"]["goal"] == "400m"
    assert z["tempo"]["rows"][0]["time_s"] == pytest.approx(52 / 0.7)


def test_zones_errors() -> None:
    """No race is a usage error; a bad race value names it."""
    with pytest.raises(UsageError):
        zones([])
    with pytest.raises(Exception, match="5K=20-00"):
        zones(["5K=20-00"])
