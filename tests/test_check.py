"""Verdicts that each sample's truth implies, and the check command's exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES, corpus_file
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.plan.profile import profile_from_dict
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score import Status, Thresholds, Verdict

TRUTHS = sorted(SAMPLES.glob("*.truth.json"))
CASES = [(truth, name) for truth in TRUTHS for name in json.loads(truth.read_text())["files"]]


def _check(truth: dict, name: str):  # type: ignore[no-untyped-def]
    profile = None
    if truth.get("profile"):
        profile = profile_from_dict(
            {"races": truth["profile"]}, source="truth", default_name="runner"
        )
    return check_file(
        str(SAMPLES / name), CheckOptions(plan=parse_plan(truth["plan"])), profile
    ), profile


@pytest.mark.parametrize(("truth_path", "name"), CASES, ids=[n for _, n in CASES])
def test_verdicts_follow_the_truth(truth_path, name):
    """Reps run more than twice the tolerance off target get too_fast/too_slow; reps well inside
    it are on target; fast starts are flagged (beyond the file's timing noise) and even reps are
    not; missed reps are reported."""
    truth = json.loads(truth_path.read_text())
    result, profile = _check(truth, name)
    assert result.status is not Status.ERROR, result.error
    plan = resolve(parse_plan(truth["plan"]), profile)
    by_rep = {ss.segment.rep: ss for ss in result.reps}
    for seg in (s for s in truth["segments"] if s["kind"] == "rep"):
        ss = by_rep[seg["rep"]]
        step = plan.steps[ss.segment.step]
        if step.pace_s_per_km is None:
            continue
        half = (step.slowest_s_per_km - step.fastest_s_per_km) / 2
        off = seg["pace_s_per_km"] - step.pace_s_per_km
        if off > 2 * half:
            assert ss.verdict is Verdict.TOO_SLOW
        elif off < -2 * half:
            assert ss.verdict is Verdict.TOO_FAST
        elif abs(off) < 0.5 * half:
            assert ss.verdict is Verdict.ON_TARGET
        flagged = [c for c in result.checks if c.id == "start_too_fast" and c.rep == seg["rep"]]
        if "fast_start" in seg["faults"]:
            # flagged, unless the start lies within the file's timing noise of the threshold
            figures = flagged[0].figures
            assert flagged[0].status is not Status.PASS or (
                figures["start_quicker"] <= Thresholds().start_fast_warn + figures["noise"]
            )
        elif flagged:
            assert flagged[0].status is Status.PASS
    missing = sorted(
        c.rep for c in result.checks if c.id == "missing_rep" and c.status is Status.FAIL
    )
    assert missing == truth["missed_reps"]
    assert 0 <= result.score <= 100


def test_slow_rep_fails_rep_pace_with_the_figures():
    """8x400m: rep 6 was run 6.5% slow: a failed rep_pace check naming pace and target."""
    truth = json.loads((SAMPLES / "eight_by_400_track.truth.json").read_text())
    result, _ = _check(truth, "eight_by_400_track.fit")
    (check,) = [c for c in result.checks if c.id == "rep_pace" and c.rep == 6]
    assert check.status is Status.FAIL
    assert check.message.startswith("Rep 6: 3:3") and "slower than 3:20/km" in check.message
    assert result.status is Status.FAIL and result.exit_code == 1


def test_missed_rep_fails_the_session():
    """6x800m with rep 4 jogged: missing_rep fails and the long recovery is flagged."""
    truth = json.loads((SAMPLES / "six_by_800_missed.truth.json").read_text())
    result, _ = _check(truth, "six_by_800_missed.fit")
    assert [c.message for c in result.checks if c.id == "missing_rep"] == [
        "Rep 4 (800m @ 3:50/km) was not run."
    ]
    missed = [ss for ss in result.reps if ss.verdict is Verdict.MISSED]
    assert [ss.segment.rep for ss in missed] == [4]
    assert result.status is Status.FAIL


def test_race_model_figures_match_the_truth_to_a_tenth():
    """400 m race: first 200 m and the 200-200 differential within 0.3 s of the simulated race
    (its watch smooths its distance over 4 s as real watches do: from a standing start and
    into the slowdown after the line that moves the 200 m mark by a tenth or two)."""
    truth = json.loads((SAMPLES / "race_400m_track.truth.json").read_text())
    result, _ = _check(truth, "race_400m_track.fit")
    (true_race,) = [s for s in truth["segments"] if s["kind"] == "rep"]
    first, second = (s["duration_s"] for s in true_race["splits"])
    (race,) = result.reps
    found_first, found_second = (s.duration_s for s in race.segment.splits)
    assert found_first == pytest.approx(first, abs=0.3)
    assert found_second - found_first == pytest.approx(second - first, abs=0.3)
    checks = [c for c in result.checks if c.id == "race_model"]
    assert len(checks) == 2
    assert checks[0].figures["first_200_s"] == round(found_first, 1)
    assert checks[0].figures["target_first_200_s"] == 25.5  # 200 m PR 24.0 + 1.5
    assert checks[1].figures["differential_s"] == round(found_second - found_first, 1)
    assert all(c.status is Status.PASS for c in checks)


def test_tempo_is_judged_as_a_continuous_run():
    """A single tempo step gets tempo_even, not the interval checks."""
    truth = json.loads((SAMPLES / "tempo_20min_road.truth.json").read_text())
    result, _ = _check(truth, "tempo_20min_road.tcx")
    ids = {c.id for c in result.checks}
    assert "tempo_even" in ids
    assert not ids & {"fade", "consistency", "first_rep_too_fast", "start_too_fast"}


def test_embedded_workout_is_the_plan_when_none_is_given():
    """Without --plan the structured workout inside the FIT file is the plan."""
    result = check_file(str(SAMPLES / "progressive_1000s.fit"), CheckOptions())
    assert result.plan is not None and len(result.reps) == 5
    assert "plan taken from the workout stored in the file" in result.notes
    assert all(ss.verdict is Verdict.ON_TARGET for ss in result.reps)


def test_without_any_plan_the_session_is_described():
    """No plan and none embedded: segments and a description, no verdicts."""
    result = check_file(str(SAMPLES / "six_by_3min_road.fit"), CheckOptions())
    assert result.description == "6 x ~3:00 / ~2:00"
    assert result.checks == () and result.score is None
    assert all(ss.verdict is None for ss in result.segments)


def test_unreadable_file_is_an_error_result():
    """A damaged file gives an error result with exit code 3, not an exception."""
    result = check_file(str(corpus_file("bad", "fitparse__activity-filecrc.fit")), CheckOptions())
    assert result.status is Status.ERROR and result.exit_code == 3
    assert "CRC" in result.error


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workoutcheck", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_exit_codes():
    """0 all passed, 1 a workout failed, 2 a bad plan, 3 an unreadable file among good ones."""
    five = str(SAMPLES / "five_by_1000_track.fit")
    plan5 = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
    assert _run("check", five, "--plan", plan5).returncode == 0
    eight = str(SAMPLES / "eight_by_400_track.fit")
    assert (
        _run("check", eight, "--plan", "wu 15min; 8 x 400m in 80s, 400m jog; cd 10min").returncode
        == 1
    )
    bad_plan = _run("check", five, "--plan", "5x1000q")
    assert (
        bad_plan.returncode == 2
        and "column" in bad_plan.stderr
        and "Traceback" not in bad_plan.stderr
    )
    missing = _run("check", five, str(SAMPLES / "nope.fit"), "--plan", plan5, "--format", "json")
    assert missing.returncode == 3
    data = json.loads(missing.stdout)
    assert [r["status"] for r in data["results"]] == ["pass", "error"]


def test_fail_on_warn_turns_warnings_into_failure():
    """A session with only warnings passes by default and fails with --fail-on warn."""
    gpx = str(SAMPLES / "six_by_3min_road.gpx.gz")
    plan = "wu 10min; 6x3min @ 4:00/km, 2min easy; cd 10min"
    result = _run("check", gpx, "--plan", plan, "--format", "json")
    statuses = [r["status"] for r in json.loads(result.stdout)["results"]]
    if statuses == ["warn"]:
        assert result.returncode == 0
        assert _run("check", gpx, "--plan", plan, "--fail-on", "warn").returncode == 1
    else:
        assert statuses == ["pass"] and result.returncode == 0


def test_max_size_refuses_larger_files_with_a_reason():
    """--max-size: a file over the limit is that file's error (exit 3), said in one line."""
    five = str(SAMPLES / "five_by_1000_track.fit")  # 94 KB
    result = _run("check", five, "--max-size", "0.05", "--format", "json")
    assert result.returncode == 3
    (entry,) = json.loads(result.stdout)["results"]
    assert (
        entry["status"] == "error" and "over the" in entry["error"] and "MB limit" in entry["error"]
    )
