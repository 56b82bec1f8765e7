"""The coach's week: which plan a schedule gives for the day a run started."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

import pytest

from tests.conftest import ROOT
from workoutcheck.errors import UsageError
from workoutcheck.watch.schedule import schedule_from_dict

PLAN = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
START = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)  # five_by_1000_track.fit, a Friday


def test_a_date_wins_over_a_weekday_and_other_days_have_no_plan():
    """The date key is chosen on its day, the weekday key on other Fridays, nothing on a Saturday."""
    week = schedule_from_dict(
        {"plans": {"2026-05-01": PLAN, "friday": "8 x 400m in 80s, 400m jog"}}
    )
    plan, key = week.plan_for(START)
    assert (key, plan.text) == (
        "2026-05-01",
        "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km",
    )
    assert week.plan_for(datetime(2026, 5, 8, 6, 0, tzinfo=UTC))[1] == "friday"
    assert week.plan_for(datetime(2026, 5, 9, 6, 0, tzinfo=UTC)) is None


def test_the_day_is_taken_in_the_schedules_time_zone():
    """06:00 UTC on 1 May is 23:00 on Thursday 30 April in California."""
    pacific = schedule_from_dict({"timezone": "America/Los_Angeles", "plans": {"thu": PLAN}})
    assert pacific.plan_for(START)[1] == "thursday"
    assert schedule_from_dict({"plans": {"thu": PLAN}}).plan_for(START) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"plans": {"someday": PLAN}},
            r"plans\.someday: expected a date \(YYYY-MM-DD\) or a weekday",
        ),
        ({"plans": {"monday": "5x"}}, r"plans\.monday: plan: expected"),
        ({"plans": {"monday": 5}}, r"plans\.monday: expected the plan as a string"),
        (
            {"timezone": "Mars/Olympus", "plans": {"monday": PLAN}},
            r"timezone: unknown time zone 'Mars/Olympus'",
        ),
        ({"plan": {"monday": PLAN}}, r"unknown key 'plan'"),
    ],
)
def test_a_bad_schedule_names_the_key(data, message):
    """Every mistake is reported with the key it is in, when the schedule is loaded."""
    with pytest.raises(UsageError, match=message):
        schedule_from_dict(data)


def test_the_readme_example_loads():
    """The schedule shown in the README is valid and gives its dated plan for 1 May 2026."""
    readme = (ROOT / "README.md").read_text().split("A schedule is TOML", 1)[1]
    example = tomllib.loads(readme.split("```toml\n", 1)[1].split("```", 1)[0])
    assert schedule_from_dict(example).plan_for(START)[1] == "2026-05-01"
