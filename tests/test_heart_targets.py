"""Heart-rate plan targets: parsed, printed, resolved from the profile's zones, exported to a FIT
workout and checked on time in band (the first minute of each rep left out).

Real-file figures are computed here by another route (a fine even grid of the heart rate over
the judged part of each found rep) and compared with what the check reports.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import CORPUS, corpus_file
from workoutcheck.errors import PlanError, PlanSyntaxError
from workoutcheck.export.fit_workout import encode_workout, workout_steps
from workoutcheck.ingest import load
from workoutcheck.ingest.fit.workout import read_workout_file
from workoutcheck.model import Activity, Source, Workout, WorkoutStep
from workoutcheck.plan import parse_plan, plan_dict, plan_from_workout, plan_rows, resolve
from workoutcheck.plan.model import Target, TargetKind
from workoutcheck.plan.profile import profile_from_dict
from workoutcheck.report.check_json import to_dict
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score import Status, Thresholds
from workoutcheck.score.heart import hr_in_band, with_band
from workoutcheck.score.result import ScoredSegment
from workoutcheck.segment import Segment, SegmentKind


def _profile(**hr: float):  # type: ignore[no-untyped-def]
    return profile_from_dict(hr, source="anna.toml", default_name="Anna")


# --- the plan language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, printed, target",
    [
        (
            "20min @ 150-160bpm",
            "20min @ 150-160bpm",
            Target(TargetKind.HEART_RATE, 150.0, amount_to=160.0),
        ),
        (
            "20min @ 160-150 bpm",
            "20min @ 150-160bpm",
            Target(TargetKind.HEART_RATE, 150.0, amount_to=160.0),
        ),
        ("30min @ 155 bpm", "30min @ 155bpm", Target(TargetKind.HEART_RATE, 155.0)),
        ("6x3min @ Z4, 2min jog", "6x(3min @ Z4, 2min jog)", Target(TargetKind.HR_ZONE, 4.0)),
        ("5x(4min @ zone 3, 2min jog)", "5x(4min @ Z3, 2min jog)", Target(TargetKind.HR_ZONE, 3.0)),
    ],
)
def test_heart_rate_targets_parse_and_print(text: str, printed: str, target: Target) -> None:
    plan = parse_plan(text)
    assert plan.text == printed
    assert plan.reps[0].target == target
    assert parse_plan(plan.text) == plan


@pytest.mark.parametrize(
    "text, expected",
    [
        ("6x3min @ Z6", "a heart-rate zone from 1 to 5"),
        ("20min @ 20-30bpm", "a heart rate from 30 to 250 bpm"),
        ("20min @ 150-150bpm", "a heart-rate range whose ends differ"),
    ],
)
def test_impossible_heart_rates_are_refused(text: str, expected: str) -> None:
    with pytest.raises(PlanSyntaxError, match=expected):
        parse_plan(text)


def test_heart_rates_do_not_progress_nor_take_a_pace_tolerance() -> None:
    with pytest.raises(PlanError, match="a heart-rate target cannot progress"):
        resolve(parse_plan("3x5min @ 140bpm -> 160bpm, 2min jog"))
    with pytest.raises(PlanError, match="a tolerance is for a pace"):
        resolve(parse_plan("20min @ 150-160bpm ±3s"))


# --- zones from the profile ----------------------------------------------------------------


@pytest.mark.parametrize(
    "hr, band, basis",
    [
        # Karvonen: 50 + 0.8 x 140 = 162, 50 + 0.9 x 140 = 176
        (
            {"max_hr": 190, "resting_hr": 50},
            (162.0, 176.0),
            "Z4: 80%-90% of HR reserve, max 190, rest 50 (Karvonen)",
        ),
        ({"max_hr": 190}, (152.0, 171.0), "Z4: 80%-90% of max HR 190"),
        # Friel: threshold first, even with max and rest given
        (
            {"threshold_hr": 170, "max_hr": 190, "resting_hr": 50},
            (161.5, 170.0),
            "Z4: 95%-100% of threshold HR 170 (Friel)",
        ),
    ],
)
def test_zones_come_from_the_most_individual_heart_rate_given(hr, band, basis) -> None:  # type: ignore[no-untyped-def]
    rp = resolve(parse_plan("wu 10min; 6x3min @ Z4, 2min jog; cd 10min"), _profile(**hr))
    rep = rp.reps[0]
    assert (rep.hr_low_bpm, rep.hr_high_bpm) == pytest.approx(band)
    assert rep.hr_basis == basis
    assert rep.pace_s_per_km is None and rep.fastest_s_per_km is None
    assert [s.kind.value for s in rp.steps][:2] == ["warmup", "work"]


def test_a_zone_without_heart_rates_is_a_clear_error() -> None:
    plan = parse_plan("6x3min @ Z4, 2min jog")
    with pytest.raises(PlanError) as none:
        resolve(plan)
    assert str(none.value) == (
        'plan: "3min @ Z4": heart-rate zone Z4 needs the athlete\'s max_hr (with resting_hr) or '
        "threshold_hr, but no profile was given (use --profile with max_hr = 190, resting_hr = 50 "
        "or threshold_hr = 172), or write the band in bpm (150-160bpm)"
    )
    with pytest.raises(PlanError, match="profile anna.toml has no heart rates"):
        resolve(plan, _profile(resting_hr=50))
    with pytest.raises(PlanError, match="resting_hr 200 at or above max_hr 190"):
        resolve(plan, _profile(max_hr=190, resting_hr=200))


def test_bpm_bands_need_no_profile_and_print_in_the_plan_table() -> None:
    rp = resolve(parse_plan("wu 10min; 20min @ 150-160bpm; 30min @ 155bpm"))
    header, rows = plan_rows(rp)
    at = header.index("bpm")
    assert header[at - 1] == "band /km"
    assert [r[at] for r in rows] == ["", "150-160", "150-160"]
    assert rows[1][-1] == "150-160 bpm" and rows[2][-1] == "155 bpm ±5"
    steps = plan_dict(rp)["steps"]
    assert steps[1]["hr_band_bpm"] == [150.0, 160.0] and steps[1]["pace_s_per_km"] is None
    assert steps[0]["hr_band_bpm"] is None and steps[0]["hr_basis"] is None
    paced = resolve(parse_plan("5x1000m @ 3:45/km, 400m jog"))
    assert "bpm" not in plan_rows(paced)[0]  # pace plans keep their table


# --- FIT workouts --------------------------------------------------------------------------


def test_fit_workout_carries_the_band_and_reads_back() -> None:
    """FIT's custom heart rate is bpm + 100; the zone's name reads back as the zone, so the
    plan comes back as written; a step with no name reads as its bpm range."""
    rp = resolve(
        parse_plan("wu 10min; 3x3min @ Z4, 2min jog; 20min @ 150-160bpm; cd 10min"),
        _profile(max_hr=190, resting_hr=50),
    )
    steps = workout_steps(rp)
    rep = steps[1]
    assert (rep["target_type"], rep["target_value"]) == ("heart_rate", 0)
    assert (rep["custom_target_value_low"], rep["custom_target_value_high"]) == (262, 276)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.fit"
        path.write_bytes(encode_workout(rp))
        back = plan_from_workout(read_workout_file(path))
    assert (
        back.text.splitlines()[-1]
        == "10min wu; 3x(3min @ Z4, 2min jog); 20min @ 150-160bpm; 10min cd"
    )
    bare = _one_step_workout(250.0, 260.0)
    assert plan_from_workout(bare).reps[0].target == Target(
        TargetKind.HEART_RATE, 150.0, amount_to=160.0
    )
    # % of the watch's max HR, which the file does not hold: left open
    assert plan_from_workout(_one_step_workout(80.0, 90.0)).reps[0].target is None


def _one_step_workout(low: float, high: float) -> Workout:
    """A watch's workout of one unnamed 20 min step with a custom heart-rate target (raw FIT)."""
    step = WorkoutStep(
        0,
        None,
        "time",
        duration_s=1200.0,
        target_type="heart_rate",
        hr_low=low,
        hr_high=high,
        intensity="active",
    )
    return Workout(name="hr", sport="running", steps=(step,))


# --- time in band --------------------------------------------------------------------------


def _rep_with_hr(hr: np.ndarray, start: float, end: float) -> tuple[Activity, ScoredSegment]:
    t = np.arange(len(hr), dtype=float)
    activity = Activity(
        source=Source.FIT,
        path="made-up.fit",
        start_time=None,
        t=t,
        distance=t * 4.0,
        speed=np.full(len(t), 4.0),
        heart_rate=hr,
    )
    return activity, ScoredSegment(Segment(SegmentKind.REP, start, end, rep=1))


def test_time_in_band_leaves_out_the_first_minute() -> None:
    """A 5 min rep whose heart rate climbs 120 -> 180 bpm over its first 90 s and then holds
    at 165: band 150-170. The climb's first minute (all below) is left out; of the remaining
    240 s, 30 s climb from 160 to 180 (15 s of them above 170) and 210 s hold inside."""
    t = np.arange(400, dtype=float)
    hr = np.where(t < 90, 120 + t * (60 / 90), np.where(t < 120, 180.0, 165.0))
    hr = np.where((t >= 60) & (t < 90), 160 + (t - 60) * (20 / 30), hr)
    activity, ss = _rep_with_hr(hr, 0.0, 300.0)
    h = with_band(activity, ss, (150.0, 170.0))
    # above 170: t in (75, 120), 45 s of 240; below: none
    assert h.band_bpm == (150.0, 170.0)
    assert h.above_band_pct == pytest.approx(45 / 240 * 100, abs=0.5)
    assert h.below_band_pct == 0.0
    assert h.in_band_pct == pytest.approx(100 - 45 / 240 * 100, abs=0.5)
    check = hr_in_band(ScoredSegment(ss.segment, heart=h), Thresholds())
    assert check.status is Status.PASS
    assert (
        check.message
        == "Rep 1: heart rate in 150-170 bpm for 81% of the rep after its first minute."
    )


def test_a_rep_mostly_above_its_band_warns_or_fails() -> None:
    activity, ss = _rep_with_hr(np.full(400, 175.0), 0.0, 300.0)
    h = with_band(activity, ss, (150.0, 170.0))
    assert (h.in_band_pct, h.above_band_pct) == (0.0, 100.0)
    check = hr_in_band(ScoredSegment(ss.segment, heart=h), Thresholds())
    assert check.status is Status.FAIL and "100% above: ease off" in check.message
    hr = np.where(np.arange(400) < 200, 160.0, 145.0)  # half in, half below after the first minute
    activity, ss = _rep_with_hr(hr, 0.0, 300.0)
    h = with_band(activity, ss, (150.0, 170.0))
    check = hr_in_band(ScoredSegment(ss.segment, heart=h), Thresholds())
    assert h.in_band_pct == pytest.approx(140 / 240 * 100, abs=0.5)
    assert check.status is Status.WARN and "below: push harder" in check.message


def test_no_heart_rate_in_the_file_says_so() -> None:
    activity, ss = _rep_with_hr(np.full(400, np.nan), 0.0, 300.0)
    h = with_band(activity, ss, (150.0, 170.0))
    assert h.in_band_pct is None
    check = hr_in_band(ScoredSegment(ss.segment, heart=h), Thresholds())
    assert check.status is Status.WARN and "too little heart rate" in check.message


# --- real files ----------------------------------------------------------------------------


def _independent_band(
    activity: Activity, start: float, end: float, band: tuple[float, float]
) -> float:
    """% of the rep after its first 60 s with the heart rate in band, on a fine even grid."""
    ok = np.isfinite(activity.heart_rate) & (activity.heart_rate > 0)
    t, hr = activity.t[ok], activity.heart_rate[ok]
    grid = np.linspace(start + min(60.0, (end - start) / 2), end, 4001)
    bpm = np.interp(grid, t, hr)
    return float(np.mean((bpm >= band[0]) & (bpm <= band[1]))) * 100.0


def test_ipbike_session_checked_against_a_heart_rate_plan() -> None:
    """The IpBike file (chest strap; 4 hard reps of 6 min, 3 min jogs) against
    4x6min @ 175-190bpm: the reps are found by effort (no pace given) where the plan-less check
    finds them, each in band for most of the rep; against Z4 of a max 195 / rest 50 profile
    (166-180 bpm) reps 2-4 ran above it throughout."""
    path = corpus_file("fit", "gc__IpBike-HRV-Data.fit")
    activity = load(str(path))
    free = [
        s for s in to_dict(check_file(str(path), CheckOptions()))["segments"] if s["kind"] == "rep"
    ]
    data = to_dict(
        check_file(str(path), CheckOptions(plan=parse_plan("4x6min @ 175-190bpm, 3min jog")))
    )
    reps = [s for s in data["segments"] if s["kind"] == "rep"]
    assert len(reps) == 4
    for rep, start in zip(reps, [free[0], free[1], free[2], free[4]], strict=True):
        assert rep["start_s"] == pytest.approx(start["start_s"], abs=6.0)
        assert rep["hr_target_bpm"] == [175.0, 190.0]
        want = _independent_band(activity, rep["start_s"], rep["end_s"], (175.0, 190.0))
        assert rep["hr_in_band_pct"] == pytest.approx(want, abs=1.0)
        assert rep["hr_in_band_pct"] > 90
    checks = [c for c in data["checks"] if c["id"] == "hr_in_band"]
    assert [c["status"] for c in checks] == ["pass"] * 4
    zoned = to_dict(
        check_file(
            str(path),
            CheckOptions(plan=parse_plan("4x6min @ Z4, 3min jog")),
            _profile(max_hr=195, resting_hr=50),
        )
    )
    z = [s for s in zoned["segments"] if s["kind"] == "rep"]
    assert z[0]["hr_target_bpm"] == [166.0, 180.5]
    assert [s["hr_above_band_pct"] for s in z[1:]] == [100.0, 100.0, 100.0]
    assert [c["status"] for c in zoned["checks"] if c["id"] == "hr_in_band"] == [
        "warn",
        "fail",
        "fail",
        "fail",
    ]
    # the verdict counts heart-rate reps too: in band is on target, above it too fast (too hard)
    assert [s["verdict"] for s in reps] == ["on_target"] * 4
    assert [s["verdict"] for s in z] == ["too_fast"] * 4


CASES = (
    json.loads((CORPUS / "intervals" / "cases.json").read_text())
    if (CORPUS / "intervals").is_dir()
    else []
)


@pytest.mark.skipif(not CASES, reason="corpus not present")
def test_track_800s_found_by_effort_with_a_heart_rate_plan() -> None:
    """The 6x800 m track session with its pace replaced by a heart-rate band: the reps are still
    found, each within 1 s of the runner's laps, and time in band as computed here."""
    case = next(c for c in CASES if c["file"] == "cosc470__2885017922.fit")
    path = CORPUS / "intervals" / case["file"]
    activity = load(str(path))
    data = to_dict(
        check_file(str(path), CheckOptions(plan=parse_plan("6x800m @ 140-170bpm, 2min rest")))
    )
    reps = [s for s in data["segments"] if s["kind"] == "rep"]
    assert len(reps) == 6
    for rep, (start, end) in zip(reps, case["truth"], strict=True):
        assert rep["start_s"] == pytest.approx(start, abs=1.0) and rep["end_s"] == pytest.approx(
            end, abs=1.0
        )
        want = _independent_band(activity, rep["start_s"], rep["end_s"], (140.0, 170.0))
        assert rep["hr_in_band_pct"] == pytest.approx(want, abs=1.5)
        assert rep["target_pace_s_per_km"] is None
        above, below = rep["hr_above_band_pct"], rep["hr_below_band_pct"]
        expected = "on_target" if want >= 70 else "too_fast" if above >= below else "too_slow"
        assert rep["verdict"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "20min @ 130-140bpm; 5x3min @ 170-180bpm, 2min jog; 10min @ 130-140bpm",
        "10min @ Z2; 6x3min @ Z4, 2min jog; 10min @ Z1",
    ],
)
def test_an_easier_heart_rate_opens_and_closes_the_session(text: str) -> None:
    """A first and last step at a lower heart rate than every rep are the warm-up and cool-down,
    as a slower pace is; a step with no target or a pace beside heart-rate reps is as before."""
    kinds = [s.kind.value for s in parse_plan(text).steps]
    assert kinds[0] == "warmup" and kinds[-1] == "cooldown" and kinds.count("work") in (5, 6)
    same = [
        s.kind.value for s in parse_plan("20min @ 170-180bpm; 5x3min @ 170-180bpm, 2min jog").steps
    ]
    assert same[0] == "work"
