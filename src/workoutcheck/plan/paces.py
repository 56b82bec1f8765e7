"""Pace arithmetic: race-time models (Riegel, Daniels' VDOT, critical speed) and race labels.

Everything internal is seconds per km; the helpers here convert to what coaches read
(min/km, min/mile, seconds per 400 m and per 100 m) and back, written by
``workoutcheck.model.text`` (the one place times and paces are written). Formulas are those in
docs/domain-notes.md; each function says which.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from workoutcheck.model.text import format_pace, format_time
from workoutcheck.plan.model import MILE_M

RIEGEL_EXPONENT = 1.06
MARATHON_M = 42195.0
HALF_M = 21097.5

_NAMED_RACES = {
    "mile": MILE_M,
    "mi": MILE_M,
    "marathon": MARATHON_M,
    "mar": MARATHON_M,
    "half": HALF_M,
    "hm": HALF_M,
    "half-marathon": HALF_M,
    "halfmarathon": HALF_M,
}
_LABEL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(k|km|m|mi|mile|miles)\s*$", re.IGNORECASE)


# --- race labels --------------------------------------------------------------------------


def race_distance(label: str) -> float | None:
    """Metres of a race label ("5K", "5 km", "1500m", "mile", "2mi", "half"), else None."""
    key = label.strip().lower()
    if key in _NAMED_RACES:
        return _NAMED_RACES[key]
    m = _LABEL_RE.match(key)
    if not m:
        return None
    value, unit = float(m.group(1)), m.group(2).lower()
    factor = {"k": 1000.0, "km": 1000.0, "m": 1.0}.get(unit, MILE_M)
    return value * factor if value > 0 else None


def race_label(distance_m: float) -> str:
    """Canonical label of a race distance: "5K", "1500m", "mile", "half", "marathon"."""
    for name, dist in (("mile", MILE_M), ("half", HALF_M), ("marathon", MARATHON_M)):
        if math.isclose(distance_m, dist, abs_tol=0.01):
            return name
    if distance_m >= 1000 and (distance_m / 1000).is_integer():
        return f"{_num(distance_m / 1000)}K"
    if (distance_m / MILE_M).is_integer() and distance_m > MILE_M:
        return f"{_num(distance_m / MILE_M)}mi"
    return f"{_num(distance_m)}m"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


# --- times ---------------------------------------------------------------------------------

_TIME_RE = re.compile(r"^\s*(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d*)?)\s*s?\s*$")


def parse_time(text: str | float | int) -> float:
    """Seconds from a race time: "18:40", "3:05", "24.0", "1:02:30", 24.0. ValueError if bad."""
    if isinstance(text, bool):
        raise ValueError("not a time")
    if isinstance(text, (int, float)):
        if text <= 0 or not math.isfinite(text):
            raise ValueError("not a positive time")
        return float(text)
    m = _TIME_RE.match(text)
    if not m:
        raise ValueError(f"cannot read {text!r} as a time")
    a, b, c = m.groups()
    parts = [float(p) for p in (a, b) if p is not None] + [float(c)]
    if any(p >= 60 for p in parts[1:]):
        raise ValueError(f"cannot read {text!r} as a time: minutes and seconds must be < 60")
    total = 0.0
    for p in parts:
        total = total * 60 + p
    if total <= 0:
        raise ValueError("not a positive time")
    return total


def per_meters(per: str) -> float:
    """Metres of a pace unit: "km" -> 1000, "mi" -> 1609.344, "400m" -> 400."""
    if per in ("km", "k"):
        return 1000.0
    if per in ("mi", "mile"):
        return MILE_M
    d = race_distance(per if per[-1:].isalpha() else per + "m")
    if d is None:
        raise ValueError(f"unknown pace unit {per!r}")
    return d


def pace_views(s_per_km: float) -> dict[str, str]:
    """The four views the plan command shows for a pace."""
    return {
        "per_km": format_pace(s_per_km, unit="km", metres=1000.0),
        "per_mile": format_pace(s_per_km, unit="mi", metres=MILE_M),
        "per_400m": format_time(s_per_km * 0.4, 1),
        "per_100m": format_time(s_per_km * 0.1, 1),
    }


# --- race models ---------------------------------------------------------------------------


def riegel_time(
    time_s: float, distance_m: float, target_m: float, exponent: float = RIEGEL_EXPONENT
) -> float:
    """Riegel: T2 = T1 * (D2 / D1) ** 1.06 (valid for about 3.5 min to 4 h)."""
    return time_s * (target_m / distance_m) ** exponent


def vo2_at(speed_m_per_min: float) -> float:
    """Daniels & Gilbert oxygen cost of running at ``speed`` m/min (ml/kg/min)."""
    v = speed_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def fraction_sustained(minutes: float) -> float:
    """Daniels & Gilbert: fraction of VO2max sustainable for a race of ``minutes``."""
    t = minutes
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)


def vdot(distance_m: float, time_s: float) -> float:
    """Daniels' VDOT of a race (10 km in 40:00 -> 51.9)."""
    minutes = time_s / 60.0
    return vo2_at(distance_m / minutes) / fraction_sustained(minutes)


def speed_at_fraction(vdot_value: float, fraction: float) -> float:
    """m/min at which the oxygen cost equals ``fraction`` of VDOT (inverse of ``vo2_at``)."""
    b, a = 0.182258, 0.000104
    return (-b + math.sqrt(b * b + 4 * a * (4.60 + fraction * vdot_value))) / (2 * a)


def vdot_race_time(vdot_value: float, distance_m: float) -> float:
    """Seconds for ``distance_m`` at the given VDOT (bisection on ``vdot``, which is monotone)."""
    lo, hi = 1.0, 20 * 3600.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if vdot(distance_m, mid) > vdot_value:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-6:
            break
    return (lo + hi) / 2


TRAINING_FRACTIONS = {
    "easy": (0.59, 0.74),
    "marathon": (0.75, 0.84),
    "threshold": (0.83, 0.88),
    "interval": (0.95, 1.00),
}
REPETITION_GAIN_S_PER_400 = 6.0  # Daniels' rule of thumb: R pace ~6 s/400 m faster than I


def training_paces(vdot_value: float) -> dict[str, tuple[float, float]]:
    """Daniels' training paces as (fast, slow) s/km; repetition = interval less 6 s per 400 m."""
    out: dict[str, tuple[float, float]] = {}
    for name, (f_lo, f_hi) in TRAINING_FRACTIONS.items():
        fast = 60000.0 / speed_at_fraction(vdot_value, f_hi)
        slow = 60000.0 / speed_at_fraction(vdot_value, f_lo)
        out[name] = (fast, slow)
    i_fast, i_slow = out["interval"]
    gain = REPETITION_GAIN_S_PER_400 * 2.5
    out["repetition"] = (i_fast - gain, i_slow - gain)
    return out


def critical_speed(efforts: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """(CS m/s, D' m) from (distance m, time s) efforts: exact for two, least squares for more.

    Two efforts: CS = (D2 - D1) / (T2 - T1), D' = D1 - CS * T1.
    """
    if len(efforts) < 2:
        raise ValueError("critical speed needs at least two efforts")
    ts = [t for _, t in efforts]
    ds = [d for d, _ in efforts]
    n = len(ts)
    mt, md = sum(ts) / n, sum(ds) / n
    stt = sum((t - mt) ** 2 for t in ts)
    if stt == 0:
        raise ValueError("critical speed needs efforts of different durations")
    cs = sum((t - mt) * (d - md) for t, d in zip(ts, ds, strict=False)) / stt
    return cs, md - cs * mt
