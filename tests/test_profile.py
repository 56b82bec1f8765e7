"""Athlete profiles and rosters from TOML; errors name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from workoutcheck.errors import ProfileError
from workoutcheck.plan import load_profile, load_roster, parse_plan, parse_race_arg, resolve


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ANNA = """
name = "Anna"
unit = "mi"
tolerance = "1s/400m"
main_event = "400m"
[races]
5K = "18:40"
1K = "3:05"
200m = 24.0
half = "1:22:30"
[goals]
400m = "52.0"
"""


def test_load_profile(tmp_path: Path) -> None:
    """Race results, goals, unit, tolerance and main event are read and normalised."""
    prof = load_profile(write(tmp_path, "anna.toml", ANNA))
    assert prof.name == "Anna" and prof.unit == "mi" and prof.main_event == "400m"
    assert {r.label: r.time_s for r in prof.races} == {
        "5K": 1120,
        "1K": 185,
        "200m": 24,
        "half": 4950,
    }
    assert prof.goal(400).time_s == 52
    assert (prof.tolerance.amount, prof.tolerance.unit, prof.tolerance.per) == (1, "s", "400m")
    assert prof.source == "anna.toml"


def test_profile_name_defaults_to_file_stem(tmp_path: Path) -> None:
    """Without a name the file's stem names the athlete; defaults for the rest."""
    prof = load_profile(write(tmp_path, "ben.toml", '[races]\n5k = "17:30"\n'))
    assert prof.name == "ben" and prof.unit == "km" and prof.tolerance is None
    assert prof.race(5000).time_s == 1050


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[races]\n5K = "18-40"\n', ["bad.toml", "races.5K", "18-40"]),
        ('[races]\nfive = "18:40"\n', ["bad.toml", "races.five", "race distance"]),
        ('[goals]\n400m = "fast"\n', ["bad.toml", "goals.400m"]),
        ('unit = "furlong"\n', ["bad.toml", "unit"]),
        ('tolerance = "lots"\n', ["bad.toml", "tolerance"]),
        ('races = "5K 18:40"\n', ["bad.toml", "races must be a table"]),
        ("speed = 3\n", ["bad.toml", "unknown key 'speed'"]),
        ('main_event = "sprint"\n', ["bad.toml", "main_event"]),
        ("[races\n", ["bad.toml", "not valid TOML"]),
    ],
)
def test_profile_errors_name_file_and_key(tmp_path: Path, text: str, words: list[str]) -> None:
    """Every bad profile raises ProfileError naming the file and key, on one line."""
    with pytest.raises(ProfileError) as info:
        load_profile(write(tmp_path, "bad.toml", text))
    msg = str(info.value)
    assert all(w in msg for w in words), msg
    assert "\n" not in msg and info.value.exit_code == 2


def test_missing_profile_file(tmp_path: Path) -> None:
    """A missing file is a ProfileError naming it."""
    with pytest.raises(ProfileError, match="nope.toml"):
        load_profile(tmp_path / "nope.toml")


def test_roster_resolves_plan_per_athlete(tmp_path: Path) -> None:
    """One plan resolves to different paces per athlete; globs pick the athlete."""
    write(tmp_path, "anna.toml", ANNA)
    roster = load_roster(
        write(
            tmp_path,
            "squad.toml",
            """
name = "Tuesday squad"
[athletes.anna]
profile = "anna.toml"
files = ["anna_*.fit", "anna-*.gpx"]
[athletes.ben]
name = "Ben"
files = "ben_*"
races = { 5K = "20:00" }
""",
        )
    )
    assert roster.name == "Tuesday squad" and [a.id for a in roster.athletes] == ["anna", "ben"]
    assert roster.athlete_for("/data/anna_2024-05-01.fit").id == "anna"
    assert roster.athlete_for("ANNA-track.gpx").id == "anna"
    assert roster.athlete_for("ben_x.tcx").profile.name == "Ben"
    assert roster.athlete_for("carl.fit") is None
    plan = parse_plan("5x1000m @ 5K pace, 400m jog")
    paces = {a.id: resolve(plan, a.profile).reps[0].pace_s_per_km for a in roster.athletes}
    assert paces == pytest.approx({"anna": 224.0, "ben": 240.0})


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('name = "x"\n', ["squad.toml", "athletes"]),
        ("[athletes.a]\nfiles = 3\n", ["squad.toml", "athletes.a.files"]),
        ('[athletes.a]\nprofile = "missing.toml"\n', ["missing.toml"]),
        ('[athletes.a]\nraces = { 5K = "x" }\n', ["athletes.a", "races.5K"]),
    ],
)
def test_roster_errors(tmp_path: Path, text: str, words: list[str]) -> None:
    """Bad rosters name the file and the athlete's key."""
    with pytest.raises(ProfileError) as info:
        load_roster(write(tmp_path, "squad.toml", text))
    assert all(w in str(info.value) for w in words), str(info.value)


def test_parse_race_arg() -> None:
    """--race 5K=20:00 parses; a value without "=" is a ProfileError."""
    r = parse_race_arg("5K=20:00")
    assert (r.label, r.distance_m, r.time_s) == ("5K", 5000, 1200)
    with pytest.raises(ProfileError, match="DISTANCE=TIME"):
        parse_race_arg("5K 20:00")
