"""Typed paces and race times no human runs are refused with the likely meaning, exit 2.

Plans, profiles, rosters and ``zones`` each get one line naming the slip and the guess.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from workoutcheck.cli import app
from workoutcheck.errors import PlanError, ProfileError
from workoutcheck.plan import load_profile, load_roster, parse_plan, parse_race_arg, resolve
from workoutcheck.plan.plausible import likely_meant

runner = CliRunner()


@pytest.mark.parametrize(
    ("plan", "meant"),
    [
        ("5x1km @ 3.45/km, 400m jog", "did you mean 3:45/km?"),
        ("6x1mi @ 5.30/mi, 400m jog", "did you mean 5:30/mi?"),
        ("8x400m in 6.5, 400m jog", "did you mean 400m in 1:05?"),
        ("4x(1km @ 3:40-3.50/km... ", None),
    ],
)
def test_implausible_plan_paces_are_refused_with_a_guess(plan: str, meant: str | None) -> None:
    if meant is None:  # a range with a slip is a syntax error before any pace is read
        with pytest.raises(PlanError):
            resolve(parse_plan(plan))
        return
    with pytest.raises(PlanError) as err:
        resolve(parse_plan(plan))
    assert "faster than anyone runs (the limit is" in str(err.value) and str(err.value).endswith(
        meant
    )


def test_too_slow_a_pace_is_refused() -> None:
    with pytest.raises(
        PlanError, match=r"a pace of 25:00/km is slower than a walk \(the limit is 20:00/km\)"
    ):
        resolve(parse_plan("3x2km @ 25:00/km, 2min rest"))


def test_real_paces_still_pass() -> None:
    """Sprints may be faster than 2:00/km; everything a runner does is accepted."""
    for text in (
        "5x1km @ 3:45/km, 400m jog",
        "10x100m in 11s, 100m walk",
        "4x200m in 24s, 200m jog",
        "6x400m @ 90/400m, 200m jog",
        "20min @ 19:00/km",
    ):
        resolve(parse_plan(text))


def test_cli_plan_exit_2_one_line() -> None:
    result = runner.invoke(app, ["plan", "5x1km @ 3.45/km, 400m jog"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "did you mean 3:45/km?" in result.stderr


def test_check_refuses_the_plan_before_reading_files(tmp_path: Path) -> None:
    """`check --plan "5x1km @ 3.45/km"` is bad usage, not a session scored 0."""
    result = runner.invoke(app, ["check", str(tmp_path), "--plan", "5x1km @ 3.45/km, 400m jog"])
    assert result.exit_code == 2 and "did you mean 3:45/km?" in result.stderr


def test_zones_refuses_a_5k_in_20_seconds() -> None:
    """`zones --race 5K=20.00` must not print VDOT 20591."""
    result = runner.invoke(app, ["zones", "--race", "5K=20.00"])
    assert result.exit_code == 2
    assert "VDOT" not in result.stdout
    assert result.stderr.count("\n") == 1 and 'did you mean 5K = "20:00"?' in result.stderr


@pytest.mark.parametrize(
    ("arg", "meant"),
    [
        ("5K=20", '5K = "20:00"'),
        ("marathon=2.59", 'marathon = "2:59:00"'),
        ("100m=9.0", None),
    ],
)
def test_race_arguments(arg: str, meant: str | None) -> None:
    with pytest.raises(ProfileError) as err:
        parse_race_arg(arg)
    assert "faster than anyone runs" in str(err.value)
    if meant:
        assert str(err.value).endswith(f"did you mean {meant}?")
    else:
        assert "did you mean" not in str(err.value)


def test_profile_race_and_goal(tmp_path: Path) -> None:
    path = tmp_path / "anna.toml"
    path.write_text('name = "Anna"\n[races]\n5K = "18:40"\n[goals]\n400m = 5.2\n', encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    message = str(err.value)
    assert message.startswith("anna.toml: goals.400m: 5.2 is 5.2 s for 400m, a pace of 13 s/km")
    assert message.endswith('did you mean 400m = "52.0"?')


def test_roster_race(tmp_path: Path) -> None:
    path = tmp_path / "squad.toml"
    path.write_text(
        '[athletes.ben]\nname = "Ben"\nfiles = "ben_*"\nraces = { 5K = "17.30" }\n',
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as err:
        load_roster(path)
    assert "races.5K" in str(err.value) and str(err.value).endswith('did you mean 5K = "17:30"?')


def test_cli_profile_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "anna.toml"
    path.write_text('name = "Anna"\n[races]\n5K = "18.40"\n', encoding="utf-8")
    result = runner.invoke(app, ["plan", "5x1km @ 5K pace, 400m jog", "--profile", str(path)])
    assert result.exit_code == 2 and 'did you mean 5K = "18:40"?' in result.stderr


def test_guesses() -> None:
    per_km = lambda s: s  # noqa: E731
    assert likely_meant("3.45", per_km, 120.0) == "3:45"
    assert likely_meant("4", per_km, 120.0) == "4:00"
    assert likely_meant("45", per_km, 120.0) is None  # 45:00/km is too slow, 45 s too fast
