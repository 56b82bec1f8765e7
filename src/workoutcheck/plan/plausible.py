"""Paces and race times a human can run: anything else is a typing slip, refused with a guess.

``3.45/km`` reads as 3.45 seconds per km and ``5K=20.00`` as a 5K in 20 s; taken at face value
they give a score of 0 or a VDOT of 20591. A run target must lie between 2:00/km and 20:00/km
(for sprints of 400 m or less, between the race limit and 20:00/km); a race result between the world-record pace (~1:35/km over 100 m) and 20:00/km. The guess
reads the dot as the colon it probably was ("3.45" -> "3:45", "5.3" -> "5:30"; failing that,
decimal minutes: "20.75" -> "20:45", hours: "2.59" -> "2:59:00", or the point one place off:
"5.2" -> "52.0"), or a bare number as minutes ("20" -> "20:00"); of the readings that give a
pace a human runs, the one nearest 4:00/km is offered.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from workoutcheck.model.text import format_time
from workoutcheck.plan.paces import parse_time

FASTEST_RUN_S_PER_KM = 120.0  # 2:00/km: no run target is faster
SLOWEST_S_PER_KM = 1200.0  # 20:00/km: slower than a walk
FASTEST_RACE_S_PER_KM = 95.0  # 100 m in 9.5 s: faster than the world record
GUESS_SLOWEST_S_PER_KM = 840.0  # a guess slower than 14:00/km is no likelier than the slip
TYPICAL_S_PER_KM = 240.0  # among several plausible readings, the one nearest this wins
SPRINT_M = 400.0  # reps this short may be run faster than 2:00/km: the race limit applies


def problem(s_per_km: float, fastest: float) -> str | None:
    """Why a pace is not one a human runs (None when it is)."""
    if s_per_km < fastest:
        return f"faster than anyone runs (the limit is {format_time(fastest)}/km)"
    if s_per_km > SLOWEST_S_PER_KM:
        return f"slower than a walk (the limit is {format_time(SLOWEST_S_PER_KM)}/km)"
    return None


def pace_text(s_per_km: float) -> str:
    """A pace (or time) for an error message: "3:45" or, under a minute, "3.45 s"."""
    return format_time(s_per_km) if s_per_km >= 60 else f"{s_per_km:.3g} s"


def likely_meant(typed: str, to_pace: Callable[[float], float], fastest: float) -> str | None:
    """What ``typed`` (a time as written) probably meant: of the readings whose pace
    (``to_pace(seconds)``) is plausible, the one nearest a typical running pace, written as
    m:ss (or seconds); None when no reading fits."""
    fits = [
        s
        for s in _readings(typed.strip())
        if problem(to_pace(s), fastest) is None and to_pace(s) <= GUESS_SLOWEST_S_PER_KM
    ]
    if not fits:
        return None
    best = min(fits, key=lambda s: abs(math.log(to_pace(s) / TYPICAL_S_PER_KM)))
    return format_time(best) if best >= 60 else f"{best:.1f}"


def _readings(typed: str) -> list[float]:
    out: list[float] = []
    head, dot, tail = typed.partition(".")
    if dot and ":" not in typed and head.isdigit() and tail.isdigit():
        seconds = tail.ljust(2, "0")  # "5.3" is "5.30" with its zero lost
        if len(seconds) == 2 and int(seconds) < 60:  # "3.45": minutes and seconds
            out.append(int(head) * 60 + int(seconds))
        out.append(float(typed) * 60)  # "20.75": decimal minutes
        if len(tail) == 2 and int(tail) < 60:  # "2.59": hours and minutes (a marathon)
            out.append(int(head) * 3600 + int(tail) * 60)
        out.append(float(typed) * 10)  # "5.2" for "52": the point one place off
    elif not dot and ":" not in typed and typed.isdigit():
        out.append(int(typed) * 60.0)  # "20": minutes
    elif typed.count(":") == 1 and not dot:  # "1:02" meant as h:mm
        try:
            out.append(parse_time(typed) * 60)
        except ValueError:
            pass
    return [s for s in out if s > 0]
