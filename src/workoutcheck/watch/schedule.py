"""The coach's week as a TOML file: which plan belongs to which day.

``workoutcheck watch`` checks files as they arrive, often with no plan given on the command
line and no workout stored in the file; a schedule lets a folder of a whole training block be
checked against the right session each day. The format is deliberately small::

    timezone = "Europe/London"        # optional: the calendar the days are in (default UTC)

    [plans]
    "2026-05-01" = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
    tuesday = "6x3min @ 4:00/km, 2min easy"

A date key (``YYYY-MM-DD``) wins over a weekday key (``monday`` ... ``sunday``, or ``mon`` ...
``sun``); the day is the activity's start time converted to ``timezone``. Every plan is parsed
when the schedule is loaded, so a typo stops the command at start-up and not at the first file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workoutcheck.errors import PlanError, UsageError
from workoutcheck.plan import Plan, parse_plan
from workoutcheck.plan.tomlfile import read_toml

_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]{1,30}(?:/[A-Za-z0-9_+-]{1,30}){0,3}")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Schedule:
    """Plans by calendar date and by weekday, and the time zone that decides the day."""

    by_date: Mapping[date, Plan]
    by_weekday: Mapping[int, Plan]  # 0 = Monday, as datetime.weekday()
    zone: tzinfo = UTC

    def plan_for(self, start: datetime) -> tuple[Plan, str] | None:
        """The plan for a run that started at ``start``, with the key that chose it
        (``"2026-05-01"`` or ``"friday"``), or None when the day has no plan."""
        day = start.astimezone(self.zone).date() if start.tzinfo else start.date()
        if day in self.by_date:
            return self.by_date[day], day.isoformat()
        if day.weekday() in self.by_weekday:
            return self.by_weekday[day.weekday()], WEEKDAYS[day.weekday()]
        return None

    @property
    def plans(self) -> tuple[Plan, ...]:
        """Every plan in the schedule, so a caller can check each resolves before starting."""
        return (*self.by_date.values(), *self.by_weekday.values())


def load_schedule(path: str | Path) -> Schedule:
    """Read a schedule TOML; a bad key, date, time zone or plan raises ``UsageError`` naming
    the file and the key."""
    p = Path(path)
    return schedule_from_dict(read_toml(p, "the schedule", UsageError), source=p.name)


def schedule_from_dict(data: Mapping[str, object], *, source: str = "schedule") -> Schedule:
    """The schedule in already-parsed TOML ``data`` (split out so tests need no file)."""
    unknown = sorted(set(data) - {"plans", "timezone"})
    if unknown:
        raise UsageError(f"{source}: unknown key {unknown[0]!r}: expected [plans] and timezone")
    plans = data.get("plans")
    if not isinstance(plans, Mapping) or not plans:
        raise UsageError(
            f'{source}: expected a [plans] table, e.g. "2026-05-01" = "5x1000m @ 3:45/km"'
        )
    by_date: dict[date, Plan] = {}
    by_weekday: dict[int, Plan] = {}
    for key, text in plans.items():
        where = f"{source}: plans.{key}"
        if not isinstance(text, str):
            raise UsageError(f"{where}: expected the plan as a string")
        try:
            plan = parse_plan(text)
        except PlanError as exc:
            raise UsageError(f"{where}: {exc}") from None
        weekday = _weekday(key)
        if weekday is not None:
            by_weekday[weekday] = plan
            continue
        try:
            by_date[date.fromisoformat(key)] = plan
        except ValueError:
            raise UsageError(
                f"{where}: expected a date (YYYY-MM-DD) or a weekday (monday ... sunday)"
            ) from None
    return Schedule(
        by_date=by_date, by_weekday=by_weekday, zone=_zone(data.get("timezone"), source)
    )


def _weekday(key: str) -> int | None:
    name = key.strip().lower()
    for index, day in enumerate(WEEKDAYS):
        if name in (day, day[:3]):
            return index
    return None


def _zone(name: object, source: str) -> tzinfo:
    if name is None:
        return UTC
    if not isinstance(name, str):
        raise UsageError(f'{source}: timezone: expected a name such as "Europe/London"')
    if not _ZONE_NAME.fullmatch(name):  # ZoneInfo recurses once per "/" of a long odd name
        raise UsageError(f"{source}: timezone: unknown time zone {name[:60]!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"{source}: timezone: unknown time zone {name!r}") from None
