"""Training paces from race results: what ``workoutcheck zones --race 5K=20:00`` shows.

VDOT comes from the best race (highest VDOT) when several are given; each race's own VDOT
is listed. Repetition pace is Daniels' rule of thumb (interval pace less 6 s per 400 m).
Equivalent times are given by both Riegel (from the nearest given race) and VDOT so a coach
can see where the models disagree (they do for sprints and the marathon). The tempo table is
% of goal SPEED (time = goal time / fraction) per 100 m, for the ``goal`` race, else the
first race given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from workoutcheck.errors import UsageError
from workoutcheck.model.text import format_time
from workoutcheck.plan.paces import (
    critical_speed,
    pace_views,
    race_distance,
    riegel_time,
    training_paces,
    vdot,
    vdot_race_time,
)
from workoutcheck.plan.profile import Race, parse_race_arg
from workoutcheck.plan.render import text_table

EQUIVALENT_DISTANCES = (
    "400m",
    "800m",
    "1K",
    "1500m",
    "mile",
    "3K",
    "5K",
    "10K",
    "half",
    "marathon",
)
TEMPO_PERCENTS = (70, 75, 80, 85, 90, 95, 100)


def zones(races: Iterable[Race | str], goal: Race | str | None = None) -> dict[str, Any]:
    """Training paces, equivalent times, critical speed and the tempo table, as plain data."""
    rs = [r if isinstance(r, Race) else parse_race_arg(r) for r in races]
    if not rs:
        raise UsageError("zones: give at least one race, e.g. --race 5K=20:00")
    g = goal if isinstance(goal, Race) or goal is None else parse_race_arg(goal)
    vdots = [(r, vdot(r.distance_m, r.time_s)) for r in rs]
    best_race, best = max(vdots, key=lambda rv: rv[1])
    paces = {
        name: {"fast_s_per_km": f, "slow_s_per_km": s, "fast": pace_views(f), "slow": pace_views(s)}
        for name, (f, s) in training_paces(best).items()
    }
    equivalents = []
    for label in EQUIVALENT_DISTANCES:
        d = race_distance(label)
        assert d is not None
        near = min(rs, key=lambda r: abs(math.log(r.distance_m / d)))
        equivalents.append(
            {
                "race": label,
                "distance_m": d,
                "riegel_s": riegel_time(near.time_s, near.distance_m, d),
                "riegel_from": near.label,
                "vdot_s": vdot_race_time(best, d),
            }
        )
    cs = None
    if len(rs) >= 2:
        try:
            speed, d_prime = critical_speed([(r.distance_m, r.time_s) for r in rs])
        except ValueError as exc:
            raise UsageError(f"zones: {exc}") from None
        if not speed > 0:  # the same distance twice, or a longer race run faster
            raise UsageError(
                "zones: critical speed needs races of different distances, the longer "
                "one taking longer; give each distance once"
            )
        cs = {
            "speed_m_s": speed,
            "d_prime_m": d_prime,
            "pace_s_per_km": 1000.0 / speed,
            "pace": pace_views(1000.0 / speed),
        }
    g = g or rs[0]
    tempo = [
        {
            "percent": p,
            "time_s": g.time_s / (p / 100.0),
            "per_100m_s": g.time_s / (p / 100.0) * 100.0 / g.distance_m,
            "per_400m_s": g.time_s / (p / 100.0) * 400.0 / g.distance_m,
        }
        for p in TEMPO_PERCENTS
    ]
    return {
        "races": [{"race": r.label, "time_s": r.time_s, "vdot": v} for r, v in vdots],
        "vdot": best,
        "vdot_from": best_race.label,
        "training_paces": paces,
        "equivalents": equivalents,
        "critical_speed": cs,
        "tempo": {"goal": g.label, "goal_time_s": g.time_s, "rows": tempo},
    }


def zones_tables(z: dict[str, Any]) -> list[tuple[str, Sequence[str], list[tuple[str, ...]]]]:
    """(title, header, rows) for each table of a zones result."""
    tables = []
    tables.append(
        (
            f"Training paces (VDOT {z['vdot']:.1f} from {z['vdot_from']})",
            ("zone", "/km", "/mile", "/400m"),
            [
                (
                    name,
                    f"{p['fast']['per_km'][:-3]}-{p['slow']['per_km'][:-3]}",
                    f"{p['fast']['per_mile'][:-3]}-{p['slow']['per_mile'][:-3]}",
                    f"{p['fast']['per_400m']}-{p['slow']['per_400m']}",
                )
                for name, p in z["training_paces"].items()
            ],
        )
    )
    tables.append(
        (
            "Equivalent race times",
            ("race", "Riegel", "from", "VDOT"),
            [
                (
                    e["race"],
                    format_time(e["riegel_s"], 1),
                    e["riegel_from"],
                    format_time(e["vdot_s"], 1),
                )
                for e in z["equivalents"]
            ],
        )
    )
    if z["critical_speed"]:
        cs = z["critical_speed"]
        tables.append(
            (
                "Critical speed",
                ("CS m/s", "pace /km", "/400m", "D' m"),
                [
                    (
                        f"{cs['speed_m_s']:.2f}",
                        cs["pace"]["per_km"][:-3],
                        cs["pace"]["per_400m"],
                        f"{cs['d_prime_m']:.0f}",
                    )
                ],
            )
        )
    t = z["tempo"]
    tables.append(
        (
            f"Tempo: % of {t['goal']} goal speed ({format_time(t['goal_time_s'], 1)})",
            ("% goal", "per 100m", "per 400m", t["goal"]),
            [
                (
                    f"{r['percent']}%",
                    format_time(r["per_100m_s"], 1),
                    format_time(r["per_400m_s"], 1),
                    format_time(r["time_s"], 1),
                )
                for r in t["rows"]
            ],
        )
    )
    return tables  # type: ignore[return-value]


def zones_text(z: dict[str, Any]) -> str:
    """All zones tables as plain text."""
    return "\n\n".join(f"{title}\n{text_table(h, rows)}" for title, h, rows in zones_tables(z))
