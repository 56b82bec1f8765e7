"""How times, paces and distances are written for people: one place, so every report agrees."""

from __future__ import annotations

import math

METRES_PER_MILE = 1609.344
UNITS = ("km", "mi")


def per_unit(seconds_per_km: float, unit: str) -> float:
    """A pace (or a pace difference) in s/km as seconds per ``unit``."""
    return seconds_per_km * METRES_PER_MILE / 1000.0 if unit == "mi" else seconds_per_km


def format_duration(seconds: float | None, *, decimals: int = 0) -> str:
    """``3725`` -> ``"1:02:05"``, ``83.4`` -> ``"1:23"`` (or ``"1:23.4"`` with decimals=1)."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    scale = 10**decimals
    total = round(seconds * scale) / scale
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    width = 2 + (decimals + 1 if decimals else 0)
    sec_text = f"{secs:0{width}.{decimals}f}"
    if hours:
        return f"{sign}{int(hours)}:{int(minutes):02d}:{sec_text}"
    return f"{sign}{int(minutes)}:{sec_text}"


def format_time(seconds: float, decimals: int = 0) -> str:
    """A time as plans and race results write it: with decimals, under a minute as seconds
    alone (``"27.5"``); else as ``format_duration`` (``"18:40"``, ``"1:02:30"``, ``"3:05.4"``)."""
    if decimals and round(seconds, decimals) < 60:
        return f"{seconds:.{decimals}f}"
    return format_duration(seconds, decimals=decimals)


def format_pace(
    seconds_per_km: float | None, *, unit: str = "km", metres: float | None = None
) -> str:
    """A pace in s/km written as ``"3:45/km"`` (or per mile with unit="mi"); per any other
    distance with ``metres`` its length and ``unit`` its name, to a tenth of a second when
    that is under a kilometre: ``format_pace(225, unit="400m", metres=400)`` is ``"1:30.0/400m"``."""
    if seconds_per_km is None or not math.isfinite(seconds_per_km) or seconds_per_km <= 0:
        return "-"
    if metres is not None:
        return f"{format_time(seconds_per_km * metres / 1000.0, 1 if metres < 1000 else 0)}/{unit}"
    if unit == "mi":
        return f"{format_duration(seconds_per_km * METRES_PER_MILE / 1000.0)}/mi"
    return f"{format_duration(seconds_per_km)}/km"


def format_pace_uncertain(
    seconds_per_km: float | None, uncertainty_pct: float | None, *, unit: str = "km"
) -> str:
    """``"3:47/km ±1.1%"``; just the pace when the uncertainty is not given (or not shown)."""
    text = format_pace(seconds_per_km, unit=unit)
    if uncertainty_pct is None or text == "-":
        return text
    return f"{text} ±{uncertainty_pct:.1f}%"


def pace_from(distance_m: float | None, duration_s: float | None) -> float | None:
    """Pace in s/km, or None when the distance is too small to give one."""
    if distance_m is None or duration_s is None or distance_m < 1.0 or duration_s <= 0:
        return None
    return duration_s / distance_m * 1000.0


def format_distance(metres: float | None, *, unit: str = "km") -> str:
    """``"2.69 km"``, ``"404 m"``; with unit="mi" every distance in miles, ``"0.25 mi"``."""
    if metres is None or not math.isfinite(metres):
        return "-"
    if unit == "mi":
        miles = metres / METRES_PER_MILE
        return f"{miles:.1f} mi" if miles >= 10 else f"{miles:.2f} mi"
    if metres >= 10000:
        return f"{metres / 1000:.1f} km"
    if metres >= 1000:
        return f"{metres / 1000:.2f} km"
    return f"{metres:.0f} m"
