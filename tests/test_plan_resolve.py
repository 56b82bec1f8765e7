"""Resolving plans for an athlete: concrete paces, bands, models and tolerances."""

from __future__ import annotations

import pytest

from workoutcheck.model import Workout, WorkoutStep
from workoutcheck.plan import (
    LengthKind,
    StepKind,
    Style,
    TargetKind,
    parse_plan,
    plan_dict,
    plan_from_workout,
    plan_rows,
    plan_text,
    print_plan,
    resolve,
    scale_recoveries,
)
from workoutcheck.plan.paces import riegel_time, vdot, vdot_race_time
from workoutcheck.plan.profile import profile_from_dict


def make_profile(**kw: object):
    data = {
        "name": "Anna",
        "races": {"5K": "18:40", "1K": "3:05", "10K": "38:50"},
        "goals": {"400m": "52.0"},
    }
    data.update(kw)
    return profile_from_dict(data, source="anna.toml", default_name="anna")


def test_absolute_pace_default_band() -> None:
    """3:45/km with the default ±2%: band 220.5..229.5 s/km, expected 225 s per 1000 m."""
    rp = resolve(parse_plan("5x1000m @ 3:45/km, 400m jog"))
    rep = rp.reps[0]
    assert rep.pace_s_per_km == 225
    assert (rep.fastest_s_per_km, rep.slowest_s_per_km) == pytest.approx((220.5, 229.5))
    assert rep.expected_s == pytest.approx(225) and rep.tolerance == "±2% (default)"
    assert rep.model == "absolute"
    jog = rp.steps[1]
    assert jog.pace_s_per_km is None and jog.distance_m == 400


def test_seconds_tolerance_per_target_unit() -> None:
    """±3s on 3:45/km is ±3 s/km; ±0.5s on 18s/100m is ±5 s/km; ±1s on "in 80s" per rep."""
    a = resolve(parse_plan("1000m @ 3:45/km ±3s")).reps[0]
    assert (a.fastest_s_per_km, a.slowest_s_per_km) == (222, 228)
    b = resolve(parse_plan("200m @ 18s/100m ±0.5s")).reps[0]
    assert (b.fastest_s_per_km, b.slowest_s_per_km) == (175, 185)
    c = resolve(parse_plan("400m in 80s ±1s")).reps[0]
    assert (c.fastest_s_per_km, c.slowest_s_per_km) == (197.5, 202.5)
    d = resolve(parse_plan("400m @ 3:45/km ±1s/400m")).reps[0]
    assert (d.fastest_s_per_km, d.slowest_s_per_km) == (222.5, 227.5)


def test_tolerance_precedence() -> None:
    """Plan step > --tolerance > profile > default."""
    prof = make_profile(tolerance="3%")
    plan = parse_plan("1000m @ 4:00/km; 1000m @ 4:00/km ±1%")
    rp = resolve(plan, prof)
    assert rp.steps[0].slowest_s_per_km == pytest.approx(247.2)
    assert rp.steps[0].tolerance == "±3% (profile)"
    assert rp.steps[1].slowest_s_per_km == pytest.approx(242.4)
    rp2 = resolve(plan, prof, tolerance="5s")
    assert rp2.steps[0].slowest_s_per_km == 245 and rp2.steps[0].tolerance.endswith("(--tolerance)")
    assert rp2.steps[1].tolerance == "±1% (plan)"


def test_rep_time_and_per_100m() -> None:
    """8 x 400m in 80s is 200 s/km; 10x200m @ 18s/100m is 180 s/km, 36 s per rep."""
    a = resolve(parse_plan("8 x 400m in 80s, 400m jog")).reps[0]
    assert a.pace_s_per_km == 200 and a.expected_s == 80 and a.model == "rep-time"
    b = resolve(parse_plan("10x200m @ 18s/100m, 200m jog")).reps[0]
    assert b.pace_s_per_km == 180 and b.expected_s == pytest.approx(36)


def test_time_based_reps_expected_distance() -> None:
    """6x3min @ 4:00/km: 180 s, expected 750 m; 2 min easy recoveries."""
    rp = resolve(parse_plan("6x3min @ 4:00/km, 2min easy"))
    assert rp.reps[0].duration_s == 180 and rp.reps[0].expected_m == pytest.approx(750)
    assert rp.steps[1].duration_s == 120 and rp.steps[1].style is Style.EASY


def test_same_distance_race_pace_and_equal_rest() -> None:
    """1K pace from the 1K result (3:05 -> 185 s/km); equal rest lasts the rep's 74 s."""
    rp = resolve(parse_plan("6x400m @ 1K pace, equal rest"), make_profile())
    rep, rest = rp.steps[0], rp.steps[1]
    assert rep.pace_s_per_km == pytest.approx(185) and rep.model == "same-distance"
    assert rep.expected_s == pytest.approx(74)
    assert rest.equal_to_rep and rest.duration_s == pytest.approx(74)
    assert rest.stationary_ok and rest.step.length.kind is LengthKind.EQUAL


def test_riegel_from_nearest_race() -> None:
    """3K pace, no 3K result: Riegel from the nearest race (5K 18:40)."""
    rep = resolve(parse_plan("1000m @ 3K pace"), make_profile()).reps[0]
    t3 = riegel_time(1120, 5000, 3000)
    assert rep.pace_s_per_km == pytest.approx(t3 / 3)
    assert rep.model == "riegel" and rep.basis.startswith("Riegel from 5K")


def test_vdot_model() -> None:
    """race_model="vdot": 3K pace from the 5K's VDOT."""
    rep = resolve(parse_plan("1000m @ 3K pace"), make_profile(), race_model="vdot").reps[0]
    t3 = vdot_race_time(vdot(5000, 1120), 3000)
    assert rep.pace_s_per_km == pytest.approx(t3 / 3)
    assert rep.model == "vdot" and "VDOT" in rep.basis


def test_progression_spread_evenly() -> None:
    """10K pace -> 5K pace over 5 reps: paces step evenly from 233 to 224 s/km."""
    rp = resolve(parse_plan("5x1000m @ 10K pace -> 5K pace, 400m jog"), make_profile())
    paces = [s.pace_s_per_km for s in rp.reps]
    first, last = 2330 / 10, 1120 / 5
    assert paces == pytest.approx([first + (last - first) * i / 4 for i in range(5)])


def test_progression_absolute() -> None:
    """3x1000m @ 4:00/km -> 3:40/km: 240, 230, 220."""
    rp = resolve(parse_plan("3x1000m @ 4:00/km -> 3:40/km, 2min jog"))
    assert [s.pace_s_per_km for s in rp.reps] == [240, 230, 220]


def test_percent_of_goal_is_percent_of_speed() -> None:
    """20min @ 75% goal: goal 400 m in 52.0 -> 52/0.75 per 400 m = 173.3 s/km."""
    rep = resolve(parse_plan("20min @ 75% goal"), make_profile()).reps[0]
    assert rep.pace_s_per_km == pytest.approx(52 / 0.4 / 0.75)
    rep2 = resolve(parse_plan("5x300m @ 80% 400m goal"), make_profile()).reps[0]
    assert rep2.pace_s_per_km == pytest.approx(130 / 0.8)
    assert rep2.expected_s == pytest.approx(0.3 * 130 / 0.8)


def test_main_event_selects_goal() -> None:
    """With several goals, main_event says which one "goal" means."""
    prof = make_profile(goals={"400m": "52.0", "800m": "2:00"}, main_event="800m")
    rep = resolve(parse_plan("20min @ 90% goal"), prof).reps[0]
    assert rep.pace_s_per_km == pytest.approx(150 / 0.9)


def test_race_steps_use_goal_or_race() -> None:
    """400m race targets the 400 m goal; 1000m race the 1K result; no profile: no target."""
    prof = make_profile()
    assert resolve(parse_plan("400m race"), prof).reps[0].pace_s_per_km == pytest.approx(130)
    r1k = resolve(parse_plan("1000m race"), prof).reps[0]
    assert r1k.kind is StepKind.RACE and r1k.pace_s_per_km == pytest.approx(185)
    assert resolve(parse_plan("200m race")).reps[0].pace_s_per_km is None


def test_resolve_reinfers_warmup_with_references() -> None:
    """A 6:00/km first step before 5K-pace reps becomes the warm-up once paces are known."""
    plan = parse_plan("15min @ 6:00/km; 5x1000m @ 5K pace, 400m jog; 10min @ 6:00/km")
    assert plan.steps[0].kind is StepKind.WORK  # undecidable from text alone
    rp = resolve(plan, make_profile())
    assert rp.steps[0].kind is StepKind.WARMUP and rp.steps[-1].kind is StepKind.COOLDOWN
    assert [s.rep for s in rp.reps] == [1, 2, 3, 4, 5]


def test_pace_range_is_the_band() -> None:
    """A pace range is its own band (no extra tolerance)."""
    rep = resolve(parse_plan("3km @ 4:00-4:10/km")).reps[0]
    assert (rep.fastest_s_per_km, rep.slowest_s_per_km) == (240, 250)
    assert rep.pace_s_per_km == 245


def test_render_dict_and_rows() -> None:
    """plan_dict is JSON-ready; plan_rows has one row per step with all pace views."""
    import json

    rp = resolve(parse_plan("15min @ 6:00/km; 2x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"))
    d = json.loads(json.dumps(plan_dict(rp)))
    assert d["reps"] == 2 and len(d["steps"]) == 6
    assert d["steps"][1]["pace"] == {
        "per_km": "3:45/km",
        "per_mile": "6:02/mi",
        "per_400m": "1:30.0",
        "per_100m": "22.5",
    }
    assert d["steps"][1]["band_s_per_km"] == pytest.approx([220.5, 229.5])
    header, rows = plan_rows(rp)
    assert len(rows) == 6 and rows[1][header.index("band /km")] == "3:40-3:50"
    text = plan_text(rp)
    assert "warmup" in text and "cooldown" in text and "recovery (jog), optional" in text


def test_fit_workout_to_plan() -> None:
    """A FIT structured workout: repeat steps expand, speeds become a pace range."""
    steps = (
        WorkoutStep(0, "wu", "time", duration_s=600, intensity="warmup"),
        WorkoutStep(
            1, "rep", "distance", duration_m=1000, speed_low=4.0, speed_high=4.5, intensity="active"
        ),
        WorkoutStep(2, "rest", "time", duration_s=90, intensity=4),
        WorkoutStep(3, None, "repeat_until_steps_cmplt", repeat_from=1, repeat_count=5),
        WorkoutStep(4, "cd", "open", intensity="cooldown"),
    )
    plan = plan_from_workout(Workout("5x1k", "running", steps))
    assert plan.name == "5x1k"
    kinds = [s.kind for s in plan.steps]
    assert kinds == [StepKind.WARMUP] + [StepKind.WORK, StepKind.RECOVERY] * 5 + [StepKind.COOLDOWN]
    rep = plan.reps[0]
    assert rep.length.meters == 1000 and rep.target.kind is TargetKind.PACE
    assert (rep.target.amount, rep.target.amount_to) == (222.2, 250)  # snapped to the tenth
    assert plan.steps[2].style is Style.RECOVERY and plan.steps[-1].length.kind is LengthKind.OPEN
    assert parse_plan(print_plan(plan)) == plan
    band = resolve(plan).reps[0]
    assert (band.fastest_s_per_km, band.slowest_s_per_km) == (222.2, 250)


@pytest.mark.parametrize(
    ("intensity", "kind", "style"),
    [
        ("5", StepKind.WORK, None),
        (5, StepKind.WORK, None),
        ("interval", StepKind.WORK, None),
        ("4", StepKind.RECOVERY, Style.RECOVERY),
        ("rest", StepKind.RECOVERY, Style.REST),
        (6, StepKind.WORK, None),
        (None, StepKind.WORK, None),
    ],
)
def test_fit_intensities(intensity: object, kind: StepKind, style: Style | None) -> None:
    """fitparse's 4/5/6 (ints or strings) and names map to kinds."""
    ws = (WorkoutStep(0, None, "distance", duration_m=400, intensity=intensity),)
    step = plan_from_workout(Workout(None, None, ws)).steps[0]
    assert (step.kind, step.style) == (kind, style)


def test_fit_nested_repeats_and_empty() -> None:
    """Nested FIT repeats build nested blocks; an empty workout is a PlanError."""
    from workoutcheck.errors import PlanError

    steps = (
        WorkoutStep(0, None, "distance", duration_m=200, intensity="active"),
        WorkoutStep(1, None, "distance", duration_m=200, intensity="recovery"),
        WorkoutStep(2, None, "repeat_until_steps_cmplt", repeat_from=0, repeat_count=2),
        WorkoutStep(3, None, "time", duration_s=180, intensity="rest"),
        WorkoutStep(4, None, "repeat_until_steps_cmplt", repeat_from=0, repeat_count=3),
    )
    plan = plan_from_workout(Workout(None, None, steps))
    assert print_plan(plan) == "3x(2x(200m, 200m recovery), 180s rest)"
    assert len(plan.reps) == 6
    with pytest.raises(PlanError):
        plan_from_workout(Workout("empty", None, ()))


def test_scale_recoveries_stretches_the_prescribed_recoveries_only():
    """What rep finding aligns when the runner took the recoveries longer than written: each
    prescribed recovery's time or distance (and what it is expected to take) times the factor;
    reps, warm-ups and the runner's own rests (``5x20s``) as they were."""
    plan = resolve(parse_plan("10min; 5x(200m @ 3:45/km, 90s jog); 4x(400m @ 3:50/km, 200m jog)"))
    stretched = scale_recoveries(plan, 2.0)
    for a, b in zip(plan.steps, stretched.steps, strict=True):
        if a.kind is StepKind.RECOVERY:
            assert b.duration_s == (a.duration_s and 2 * a.duration_s)
            assert b.distance_m == (a.distance_m and 2 * a.distance_m)
            assert b.expected_s == (a.expected_s and pytest.approx(2 * a.expected_s))
        else:
            assert b == a
    own = resolve(parse_plan("5x20s @ 3:50/km"))
    assert scale_recoveries(own, 2.0).steps == own.steps
    assert scale_recoveries(plan, 1.0) is plan
