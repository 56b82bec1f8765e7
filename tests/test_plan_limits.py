"""A plan longer than a session, nested without end, or with a zero length or pace is refused
at once with one line (exit 2) wherever a plan is given: plan, check, squad, watch, schedules."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from workoutcheck.cli import app
from workoutcheck.errors import PlanError
from workoutcheck.plan import parse_plan
from workoutcheck.plan.limits import MAX_STEPS

RUNAWAY = [
    ("1000000000x400m @ 80s, 200m jog", "2,000,000,000 steps, more than one session holds"),
    ("10000x400m @ 80s, 200m jog", "20,000 steps, more than one session holds"),
    ("2x(" * 30 + "400m" + ")" * 30, "at most 8 repeats inside each other"),
    ("2x(" * 2000 + "400m" + ")" * 2000, "at most 8 repeats inside each other"),
    ("25h @ 6:00/km", "25 h of prescribed running"),
    ("5x100000000000000000000m @ 3:45/km", "500,000,000,000,000,000 km of prescribed running"),
    ("5x" + "9" * 400 + "m", "expected a length of a size a session has"),
    ("5x0m @ 3:45/km", "expected a length above zero"),
    ("5x400m @ 0:00/km", "expected a pace or rep time above zero"),
    ("5x400m @ 3:00-0:00/km", "expected a pace or rep time above zero"),
    ("5x1e20m @ 3:45/km", "expected a distance or a duration unit"),
    ("5x1000m @ 3:4⁵/km", "expected two digits of seconds after the colon"),
    ("5x(1000m @ 3:40-3:50/km ±" + "9" * 400 + "s/400m)", "a tolerance of at most 100% or 3600s"),
    ("5x400m @ 99999:00/km", "a pace or rep time shorter than a day"),
    ("10min @ 6:00/" + "9" * 400, "km, mi or a distance such as 100m after /"),
    ("2mi @ 90% " + "9" * 400 + "K goal", "a race distance of at most 400 km"),
    ("-", "expected a step (e.g. 5x1000m @ 3:45/km) at column 1, found no steps"),
    (
        "".join(" " * i + "4 lots of:\n" for i in range(3000)) + " " * 3001 + "400m",
        "blocks nested thousands deep",
    ),
]


@pytest.mark.parametrize(("text", "message"), RUNAWAY)
def test_a_runaway_plan_is_refused_in_one_line(text, message):
    """Refused by arithmetic on the tree, before anything is expanded."""
    with pytest.raises(PlanError) as info:
        parse_plan(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_the_longest_session_allowed_still_parses():
    """250 reps with their recoveries are exactly the limit, one more rep is not."""
    assert len(parse_plan("250x400m @ 80s, 200m jog").steps) == MAX_STEPS
    with pytest.raises(PlanError, match="502 steps"):
        parse_plan("251x400m @ 80s, 200m jog")


@pytest.mark.parametrize("command", ["plan", "check", "squad", "watch", "schedule"])
def test_every_command_refuses_a_runaway_plan_with_exit_2(tmp_path, command):
    """Same line, exit 2, in every command that takes a plan."""
    plan = "1000000000x400m @ 80s, 200m jog"
    roster = tmp_path / "roster.toml"
    roster.write_text('[athletes.ann]\nfiles = "*"\n')
    week = tmp_path / "week.toml"
    week.write_text(f'[plans]\nfriday = "{plan}"\n')
    args = {
        "plan": ["plan", plan],
        "check": ["check", str(SAMPLES / "five_by_1000_track.fit"), "--plan", plan],
        "squad": ["squad", str(SAMPLES), "--roster", str(roster), "--plan", plan],
        "watch": ["watch", str(tmp_path), "--once", "--plan", plan],
        "schedule": ["watch", str(tmp_path), "--once", "--schedule", str(week)],
    }[command]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "2,000,000,000 steps, more than one session holds" in result.stderr
    assert result.stderr.count("\n") == 1
