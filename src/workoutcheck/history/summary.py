"""What ``workoutcheck history`` reports: the sessions, the sessions grouped by shape with
their reps lined up, and the trends, as plain data every format draws from.

The trends answer "is this athlete getting faster at the same effort?":
- ``rep_pace``: the average pace of the reps (what the plan asked to be run at the target
  effort), one common slope over every shape;
- ``rep_heart_rate``: the reps' steady heart rate, the same way: a faster pace at a flat
  heart rate is fitness, a faster pace at a rising one is just trying harder;
- ``heart_rate_at_reference_pace``: each session's heart rate at one fixed pace (the median
  rep pace of the sessions shown), read off that session's own pace/heart-rate line through
  its warm-up, reps, recoveries and cool-down; it falls as the athlete gets fitter;
- ``score``: the sessions' scores, in points.

Each athlete keeps an own level too (a squad's history holds several runners), so every fitted
line belongs to one (athlete, shape), or to one athlete where shapes are not told apart.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from workoutcheck.history.query import Filters, StoredSession
from workoutcheck.history.trends import Trend, fit, line_at

HISTORY_VERSION = 1


@dataclass(frozen=True)
class Group:
    shape: str
    sessions: tuple[StoredSession, ...]

    @cached_property
    def width(self) -> int:
        """The most reps any of the sessions has: the columns of the group's table."""
        return max((len(s.paces) for s in self.sessions), default=0)


@dataclass(frozen=True)
class History:
    filters: Filters
    sessions: tuple[StoredSession, ...]
    hr_at_reference: dict[int, float]  # session id -> bpm at the reference pace
    reference_pace: float | None  # s/km
    groups: tuple[Group, ...]
    trends: dict[str, tuple[Trend, str, str]]  # name -> (trend, unit of values, unit of change)
    first_day: datetime | None  # day 0 of every trend


def _day(start: str) -> datetime:
    return datetime.fromisoformat(start.replace("Z", "+00:00"))


def days_since(first: datetime, start: str) -> float:
    """Days from ``first`` to the ISO time ``start``: the x of every trend."""
    return (_day(start) - first).total_seconds() / 86400.0


def summarise(sessions: list[StoredSession], filters: Filters) -> History:
    """Group and fit what ``load_sessions`` returned."""
    groups: dict[str, list[StoredSession]] = {}
    for s in sessions:
        groups.setdefault(s.shape, []).append(s)
    ordered = tuple(
        Group(k, tuple(v)) for k, v in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    dated = [s for s in sessions if s.start_time is not None]
    first = _day(dated[0].start_time) if dated else None  # type: ignore[arg-type]

    day_of = {s.id: days_since(first, s.start_time) for s in dated}  # type: ignore[arg-type]

    rep_speeds = [1000.0 / s.rep_pace for s in dated if s.rep_pace and s.hr_line[0] is not None]
    reference = statistics.median(rep_speeds) if rep_speeds else None
    at_ref: dict[int, float] = {}
    if reference is not None:
        for s in dated:
            bpm = line_at(s.hr_line, reference)
            if bpm is not None:
                at_ref[s.id] = bpm
    trends: dict[str, tuple[Trend, str, str]] = {}

    def add(
        name: str,
        picked: list[tuple[StoredSession, float]],
        *,
        log: bool,
        by_shape: bool,
        unit: str,
        change_unit: str,
    ) -> None:
        trends[name] = (
            fit(
                [day_of[s.id] for s, _ in picked],
                [v for _, v in picked],
                [(s.athlete, s.shape if by_shape else None) for s, _ in picked],
                log=log,
            ),
            unit,
            change_unit,
        )

    add(
        "rep_pace",
        [(s, s.rep_pace) for s in dated if s.rep_pace],
        log=True,
        by_shape=True,
        unit="s/km",
        change_unit="%",
    )
    add(
        "rep_heart_rate",
        [(s, s.rep_heart_rate) for s in dated if s.rep_heart_rate],
        log=True,
        by_shape=True,
        unit="bpm",
        change_unit="%",
    )
    add(
        "heart_rate_at_reference_pace",
        [(s, at_ref[s.id]) for s in dated if s.id in at_ref],
        log=True,
        by_shape=False,
        unit="bpm",
        change_unit="%",
    )
    add(
        "score",
        [(s, s.score) for s in dated if s.score is not None],
        log=False,
        by_shape=False,
        unit="points",
        change_unit="points",
    )
    return History(
        filters,
        tuple(sessions),
        at_ref,
        None if reference is None else 1000.0 / reference,
        ordered,
        trends,
        first,
    )
