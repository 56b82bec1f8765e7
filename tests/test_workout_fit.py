"""FIT workouts in and out: ``workout`` writes what Garmin's decoder reads back step for step,
``--plan-file FILE.fit`` reads it (and the corpus's workout files) as the plan, and the loop
closes on a session samplegen runs from such a workout."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from tests.conftest import corpus_file
from tests.test_plan_roundtrip import plan_text
from workoutcheck.cli import app
from workoutcheck.export.fit_workout import encode_workout, workout_steps
from workoutcheck.ingest.fit.workout import read_workout_file
from workoutcheck.plan import Profile, parse_plan, plan_from_workout, resolve
from workoutcheck.plan.profile import Race

garmin = pytest.importorskip("garmin_fit_sdk")
runner = CliRunner()

README_PLANS = [
    "5x1000m @ 3:45/km, 400m jog",
    "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km",
    "15min @ 6'00''/km\n4 lots of:\n30s @ 3'00''/km\n5 lots of:\n1.0km @ 5'30''/km\n"
    "2min 10s rest\n10min @ 6'00''/km",
    "8 x 400m in 80s, 400m jog",
    "6x3min @ 4:00/km, 2min easy",
    "6x400m @ 1K pace, equal rest",
    "5x1000m @ 10K pace -> 5K pace, 400m jog",
    "10x200m @ 18s/100m, 200m jog",
    "20min @ 75% goal",
    "5x300m @ 80% 400m goal",
    "5x1000m @ 3:45/km ±3s, 400m jog",
    "400m race",
    "8x90s uphill, jog down",
    "3 sets of 4x400m @ 72s, 60s rest, 3min between sets",
    "strides",
    "hill sprints",
    "5x1000m @ 3:45/km, 90s",
]
PROFILE = Profile(
    name="Anna",
    races=(Race("5K", 5000.0, 1120.0), Race("1K", 1000.0, 185.0)),
    goals=(Race("400m", 400.0, 56.0),),
    main_event="400m",
)


def decode(data: bytes) -> dict:
    from garmin_fit_sdk import Decoder, Stream

    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages


def through_file(rp):  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.fit"
        path.write_bytes(encode_workout(rp))
        return resolve(plan_from_workout(read_workout_file(path)))


def same_plan(a, b) -> None:  # type: ignore[no-untyped-def]
    """The resolved steps agree: kinds, reps, styles, lengths, target and band (to 0.2 s/km,
    what a speed stored in mm/s and read to the second a coach typed can hold)."""
    assert len(a.steps) == len(b.steps), [s.text for s in b.steps]
    for x, y in zip(a.steps, b.steps, strict=False):
        assert (x.kind, x.rep, x.optional, x.implicit, x.terrain) == (
            y.kind,
            y.rep,
            y.optional,
            y.implicit,
            y.terrain,
        ), (x.text, y.text)
        assert x.stationary_ok == y.stationary_ok, (x.text, y.text)
        assert x.distance_m == y.distance_m
        assert x.duration_s == pytest.approx(y.duration_s, abs=1e-3)
        for u, v in (
            (x.pace_s_per_km, y.pace_s_per_km),
            (x.fastest_s_per_km, y.fastest_s_per_km),
            (x.slowest_s_per_km, y.slowest_s_per_km),
        ):
            # a mm/s is 0.05 s/km at 3:45/km, 0.36 s/km at 10:00/km
            assert (u is None) == (v is None), (x.text, u, v)
            assert u is None or abs(u - v) <= max(0.2, u * u * 6e-7), (x.text, u, v)


def test_encoded_workout_decodes_to_the_plan() -> None:
    """Garmin's decoder reads the file_id, the workout and each step: intensities, durations,
    speed ranges from the band, and the repeat step for 5x(...)."""
    rp = resolve(parse_plan("15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"))
    m = decode(encode_workout(rp, "5x1k"))
    assert m["file_id_mesgs"][0]["type"] == "workout"
    assert m["workout_mesgs"][0]["wkt_name"] == "5x1k"
    assert m["workout_mesgs"][0]["num_valid_steps"] == 5
    steps = m["workout_step_mesgs"]
    assert [s["wkt_step_name"] for s in steps] == [
        "15min @ 6:00/km",
        "1000m @ 3:45/km",
        "400m jog",
        "repeat 5x",
        "10min @ 6:00/km",
    ]
    assert [s.get("intensity") for s in steps] == ["warmup", "active", "recovery", None, "cooldown"]
    assert steps[0]["duration_time"] == 900.0 and steps[1]["duration_distance"] == 1000.0
    assert (steps[1]["custom_target_speed_low"], steps[1]["custom_target_speed_high"]) == (
        round(1000 / 229.5, 3),
        round(1000 / 220.5, 3),
    )
    assert steps[2]["target_type"] == "open"
    assert (steps[3]["duration_step"], steps[3]["repeat_steps"]) == (1, 5)


@pytest.mark.parametrize("text", README_PLANS)
def test_readme_plans_round_trip(text: str) -> None:
    rp = resolve(parse_plan(text), PROFILE)
    same_plan(rp, through_file(rp))


def test_progressions_are_written_rep_by_rep() -> None:
    rp = resolve(parse_plan("3x1000m @ 4:00/km -> 3:40/km, 400m jog"))
    names = [s["wkt_step_name"] for s in workout_steps(rp)]
    assert names == [
        "1000m @ 4:00/km",
        "400m jog",
        "1000m @ 3:50/km",
        "400m jog",
        "1000m @ 3:40/km",
        "400m jog",
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_text())
def test_hypothesis_plans_round_trip(text: str) -> None:
    from workoutcheck.errors import PlanError

    try:
        rp = resolve(parse_plan(text), PROFILE)
    except PlanError:
        return  # a pace no one runs: refused before any file is written
    if len(workout_steps(rp)) > 2000:
        return
    try:
        back = through_file(rp)
    except PlanError as exc:
        if "prescribed running" in str(exc):
            # the file states every step's time: an "equal" rest after a long distance rep now
            # counts towards the 24 h a plan may hold, as the text's could not
            assert any(s.equal_to_rep for s in rp.steps)
            return
        # a band reaching past what anyone runs (a wide tolerance on a fast target) is
        # refused when read back as a typed pace range
        assert any((s.fastest_s_per_km or 999) < 120 for s in rp.steps)
        return
    same_plan(rp, back)


@pytest.mark.parametrize(
    "name",
    [
        "fitsdk__WorkoutCustomTargetValues.fit",
        "fitsdk__WorkoutIndividualSteps.fit",
        "fitsdk__WorkoutRepeatGreaterThanStep.fit",
        "fitsdk__WorkoutRepeatSteps.fit",
        "fit4s__workout.fit",
    ],
)
def test_corpus_workout_files_read_as_plans(name: str) -> None:
    path = corpus_file("fit", name)
    result = runner.invoke(app, ["plan", "--plan-file", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["steps"] and data["steps"][0]["kind"] == "warmup"


def test_repeat_steps_corpus_file() -> None:
    path = corpus_file("fit", "fitsdk__WorkoutRepeatSteps.fit")
    plan = plan_from_workout(read_workout_file(path))
    assert plan.text == "Example 2\n60s wu; 3x(500m, 500m); cd"
    zone2 = plan_from_workout(read_workout_file(corpus_file("fit", "fit4s__workout.fit")))
    assert zone2.text == (
        "Zone2 Blocks 8\n540s wu; 180s; 180s; 3x(20s, 240s); 8x(600s, 300s); 300s cd"
    )
    assert len(zone2.reps) == 2 + 6 + 16


def test_cli_workout_then_plan_file(tmp_path: Path) -> None:
    text = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
    out = tmp_path / "5x1k.fit"
    result = runner.invoke(app, ["workout", text, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: 5 workout steps, 5 reps")
    direct = json.loads(runner.invoke(app, ["plan", text, "-f", "json"]).output)
    back = json.loads(runner.invoke(app, ["plan", "--plan-file", str(out), "-f", "json"]).output)
    keys = ("kind", "rep", "distance_m", "duration_s", "optional")
    assert [{k: s[k] for k in keys} for s in back["steps"]] == [
        {k: s[k] for k in keys} for s in direct["steps"]
    ]
    for a, b in zip(direct["steps"], back["steps"], strict=False):
        assert (a["pace"] if "pace" in a else None) == (b["pace"] if "pace" in b else None)


def test_check_against_an_exported_workout(tmp_path: Path) -> None:
    """check --plan-file FILE.fit: the bundled session against the workout written for it."""
    from tests.conftest import ROOT

    text = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
    out = tmp_path / "5x1k.fit"
    assert runner.invoke(app, ["workout", text, "-o", str(out)]).exit_code == 0
    sample = ROOT / "sample_files" / "five_by_1000_track.fit"
    by_fit = runner.invoke(app, ["check", str(sample), "--plan-file", str(out), "-f", "json"])
    by_text = runner.invoke(app, ["check", str(sample), "--plan", text, "-f", "json"])
    assert by_fit.exit_code == by_text.exit_code == 0, by_fit.output
    segs = [
        [
            (s["kind"], s["rep"], s["verdict"], s["start_s"])
            for s in json.loads(r.output)["results"][0]["segments"]
        ]
        for r in (by_fit, by_text)
    ]
    assert segs[0] == segs[1]
    assert sum(kind == "rep" for kind, *_ in segs[0]) == 5, segs[0]


def test_cli_plan_file_that_is_not_a_workout(tmp_path: Path) -> None:
    path = corpus_file("fit", "fitsdk__Activity.fit")
    result = runner.invoke(app, ["plan", "--plan-file", str(path)])
    assert result.exit_code == 2
    assert "holds no workout steps" in result.output


def test_garmin_pace_prints_to_the_second() -> None:
    from workoutcheck.model import Workout, WorkoutStep

    ws = (
        WorkoutStep(
            0,
            None,
            "distance",
            duration_m=1000,
            speed_low=4.76,
            speed_high=4.76,
            intensity="active",
        ),
    )
    assert plan_from_workout(Workout(None, None, ws)).text == "1000m @ 3:30/km"


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "3x(2000m @ 10K pace -> 5K pace ±1s, 3min recovery); 10min cd"],
        ["zones", "--race", "5K=20:00", "--race", "10K=41:30", "--goal", "400m=60.0"],
    ],
)
def test_tables_fit_80_columns(argv: list[str]) -> None:
    result = runner.invoke(
        app,
        argv + (["--profile", str(_profile())] if argv[0] == "plan" else []),
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert "…" not in result.output
    if argv[0] == "plan":
        assert "3:41-3:45" in result.output or "band" in result.output


def test_info_fits_80_columns() -> None:
    path = corpus_file("fit", "runalyze__FR70-intervals.fit")
    result = runner.invoke(app, ["info", str(path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert max(len(line.rstrip()) for line in result.output.splitlines()) <= 80
    assert "…" not in result.output


def test_plan_one_line_per_step_when_very_narrow() -> None:
    result = runner.invoke(app, ["plan", "5x1000m @ 3:45/km, 400m jog"], env={"COLUMNS": "40"})
    assert result.exit_code == 0
    assert "step 1: recovery (jog), 400 m" in result.output and "…" not in result.output


def _profile() -> Path:
    path = Path(tempfile.gettempdir()) / "workoutcheck-test-anna.toml"
    path.write_text('name = "Anna"\n[races]\n5K = "18:40"\n10K = "38:50"\n')
    return path
