"""Bad plan text and missing profile values give one-line errors (exit code 2) that point
at the offending column and say what was expected."""

from __future__ import annotations

import pytest

from workoutcheck.errors import PlanError, PlanSyntaxError, WorkoutcheckError
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.plan.profile import profile_from_dict

MALFORMED = [
    # (text, column, words the message must contain)
    ("5x1000q @ 3:45/km", 7, "a distance or a duration unit"),
    ("", 1, "a step"),
    ("5x", 3, "the steps of the repeat"),
    ("5x1000m @", 10, "a pace"),
    ("5x1000m @ 3:45/kg", 16, "km, mi or a distance"),
    ("5x(1000m @ 3:45/km, 400m jog", 29, '"," or ")" to close the repeat'),
    ("1000m @ 3:45/km)", 16, "was never opened"),
    ("0x400m", 1, "a whole number of repeats"),
    ("2.5x400m", 1, "a whole number of repeats"),
    ("400m @ 75%", 11, '"goal" after the percentage'),
    ("400m @ 80% goal ±", 18, "a tolerance"),
    ("400m jgo", 6, "a step kind"),
    ("5x1000m @ 3:75/km", 13, "below 60"),
    ("3min in 80s", 6, "needs a distance rep"),
    ("400m @ 5Q pace", 9, "race distance"),
    ("1000m @ 3:45/km 400m jog", 17, '"," or ";" between steps'),
    ("400m @ 3:45/km ±3q", 18, '"s" or "%"'),
    ("equal race", 7, "a recovery word"),
    ("5x1000m @ 3:45/km;; 400m jog", 19, "a distance or a duration"),
    ("400m wu cd", 9, "one kind of step"),
    ("400m # 3:45", 6, "a step"),
    ("400m @ 1:2/km", 10, "two digits of seconds"),
    ("5x400m @ 5K pace ,", 19, "a distance or a duration"),
    ("6x3min @ 52s", 8, "needs a distance rep"),
    ("30s @ 3'75''/km", 9, "seconds below 60"),
    ("400m @ 10K", 11, '"pace" after the race distance'),
    ("400m @ 3:40-3:50", 17, '"/km"'),
    ("5x1000m @ 3:45/km, 400m jog)", 28, "was never opened"),
]


@pytest.mark.parametrize(("text", "column", "expected"), MALFORMED)
def test_malformed_plan_points_at_column(text: str, column: int, expected: str) -> None:
    """Each malformed plan raises PlanSyntaxError at the right column, in one line."""
    with pytest.raises(PlanSyntaxError) as info:
        parse_plan(text)
    err = info.value
    assert err.column == column, str(err)
    assert expected in str(err)
    assert "\n" not in str(err)
    assert str(err).startswith("plan: expected ")
    assert f'"{text}"' in str(err)
    assert err.exit_code == 2 and isinstance(err, WorkoutcheckError)


def test_message_matches_the_documented_shape() -> None:
    """The message and caret look like the issue's example."""
    with pytest.raises(PlanSyntaxError) as info:
        parse_plan("5x1000q @ 3:45/km")
    assert str(info.value) == (
        "plan: expected a distance or a duration unit (m, km, mi, s, "
        'sec, min, h) at column 7, found "q": "5x1000q @ 3:45/km"'
    )
    assert info.value.caret == "  5x1000q @ 3:45/km\n        ^"


def test_multiline_error_names_the_line() -> None:
    """In a multi-line plan the error names the line and the column within it."""
    text = "Workout - Test\n- 15min @ 6'00''/km\n- 4 lots of:\n- 30s @ 3'00''/kg"
    with pytest.raises(PlanSyntaxError) as info:
        parse_plan(text)
    assert info.value.line == 4 and info.value.column == 16
    assert "at line 4, column 16" in str(info.value)
    assert "- 30s @ 3'00''/kg" in str(info.value)


def test_flush_block_without_body() -> None:
    """A "N lots of:" header with nothing after it is an error at the line end."""
    with pytest.raises(PlanSyntaxError) as info:
        parse_plan("- 15min @ 6:00/km\n- 4 lots of:")
    assert "the steps of the repeat" in str(info.value) and info.value.line == 2


def test_unknown_character() -> None:
    """A character the grammar never uses is reported where it is."""
    with pytest.raises(PlanSyntaxError) as info:
        parse_plan("5x400m @ 80s & 200m jog")
    assert info.value.column == 14


PROFILE = profile_from_dict(
    {"name": "Anna", "races": {}, "goals": {"400m": "52.0", "800m": "2:00"}},
    source="anna.toml",
    default_name="anna",
)


@pytest.mark.parametrize(
    ("text", "profile", "names"),
    [
        ("6x400m @ 5K pace, 400m jog", None, ["5K pace", "5K race time", "no profile"]),
        ("6x400m @ 5K pace, 400m jog", PROFILE, ["5K race time", "anna.toml", "no race results"]),
        ("20min @ 75% goal", None, ["75% goal", "goal time", "no profile"]),
        ("20min @ 75% goal", PROFILE, ["several goals", "400m, 800m", "main_event"]),
        ("5x300m @ 80% 1500m goal", PROFILE, ["1500m goal time", "anna.toml"]),
    ],
)
def test_missing_profile_values_are_named(text: str, profile, names: list[str]) -> None:
    """A reference the profile cannot answer names the missing value, in one line."""
    with pytest.raises(PlanError) as info:
        resolve(parse_plan(text), profile)
    msg = str(info.value)
    assert all(n in msg for n in names), msg
    assert "\n" not in msg and info.value.exit_code == 2


def test_unknown_race_model() -> None:
    """An unknown race model is a PlanError."""
    with pytest.raises(PlanError, match="race model"):
        resolve(parse_plan("400m @ 80s"), race_model="cameron")
