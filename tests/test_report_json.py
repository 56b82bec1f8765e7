"""The JSON contract: valid against the version-1 schema, nulls for the unknown, UTC times."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from tests.report_cases import CASES, error_result, failing_session, passing_session
from workoutcheck.report.check_json import iso_utc, num, render_json, to_dict
from workoutcheck.score.result import Check, Status

SCHEMA = json.loads(
    (Path(__file__).parent / "golden" / "check-v1.schema.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """The version-1 schema, itself checked to be a valid draft 2020-12 schema first."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


@pytest.mark.parametrize("case", list(CASES))
def test_every_case_validates_against_the_schema(
    case: str, validator: jsonschema.Draft202012Validator
) -> None:
    """Each golden case's JSON satisfies the schema (all keys present, no unknown keys, types)."""
    document = json.loads(render_json(CASES[case]))
    errors = [e.message for e in validator.iter_errors(document)]
    assert errors == []
    assert document["schema_version"] == 1
    assert len(document["results"]) == len(CASES[case])


def test_schema_rejects_a_document_that_breaks_the_contract(
    validator: jsonschema.Draft202012Validator,
) -> None:
    """The schema has teeth: a missing key, an unknown verdict and timed missed rep are all caught."""
    good = json.loads(render_json([failing_session()]))
    missing = json.loads(json.dumps(good))
    del missing["results"][0]["notes"]
    wrong_verdict = json.loads(json.dumps(good))
    wrong_verdict["results"][0]["segments"][1]["verdict"] = "great"
    timed_miss = json.loads(json.dumps(good))
    missed = next(s for s in timed_miss["results"][0]["segments"] if s["verdict"] == "missed")
    missed["start_s"] = 12.0
    for bad in (missing, wrong_verdict, timed_miss):
        assert not validator.is_valid(bad)


def test_keys_follow_the_contract_order() -> None:
    """Keys come in the documented order, so the output reads like the README."""
    data = to_dict(passing_session())
    assert list(data) == [
        "file",
        "status",
        "error",
        "score",
        "plan",
        "description",
        "athlete",
        "activity",
        "segments",
        "checks",
        "notes",
        "session",
        "described",
        "unit",
    ]
    assert list(data["segments"][1]) == [
        "kind",
        "rep",
        "step",
        "start_s",
        "end_s",
        "duration_s",
        "distance_m",
        "distance_measured_m",
        "distance_basis",
        "paused_s",
        "pace_s_per_km",
        "target_pace_s_per_km",
        "verdict",
        "splits",
        "pace_uncertainty_pct",
        "borderline",
        "stopped_s",
        "hr_avg_bpm",
        "hr_max_bpm",
        "hr_rise_bpm",
        "hr_end_bpm",
        "hr_drop_60s_bpm",
        "hr_target_bpm",
        "hr_in_band_pct",
        "hr_above_band_pct",
        "hr_below_band_pct",
        "elevation_gain_m",
        "elevation_loss_m",
        "grade_pct",
        "gap_pace_s_per_km",
        "judged_on_gap",
    ]
    assert list(data["checks"][0]) == ["id", "status", "rep", "message", "figures"]


def test_rep_values_and_rounding() -> None:
    """A rep carries the used and measured distance, pace to 0.1 s/km and its band and splits."""
    rep1 = to_dict(passing_session())["segments"][1]
    assert rep1["rep"] == 1
    assert rep1["start_s"] == 900.0
    assert rep1["end_s"] == 1123.4
    assert rep1["distance_m"] == 1000.0
    assert rep1["distance_measured_m"] == 1004.1
    assert rep1["distance_basis"] == "prescribed"
    assert rep1["pace_s_per_km"] == 223.4
    assert rep1["target_pace_s_per_km"] == [220.5, 229.5]
    assert rep1["verdict"] == "on_target"
    assert rep1["splits"][0] == {"distance_m": 500.0, "duration_s": 111.1, "pace_s_per_km": 222.2}


def test_missed_rep_has_null_times_and_verdict_missed() -> None:
    """A missed rep is a rep segment with the verdict missed and no times or pace."""
    segments = to_dict(failing_session())["segments"]
    missed = [s for s in segments if s["verdict"] == "missed"]
    assert len(missed) == 1
    assert missed[0]["kind"] == "rep"
    assert missed[0]["rep"] == 5
    assert (
        missed[0]["start_s"],
        missed[0]["end_s"],
        missed[0]["duration_s"],
        missed[0]["pace_s_per_km"],
    ) == (None, None, None, None)


def test_nan_and_infinity_become_null() -> None:
    """JSON has no NaN: an unknown distance (NaN) and an infinite figure are written as null."""
    result = failing_session()
    result = replace(
        result, checks=(Check("odd", Status.PASS, "x", None, {"ratio": float("inf"), "n": 3}),)
    )
    data = to_dict(result)
    assert data["activity"]["distance_m"] is None
    assert data["checks"][0]["figures"] == {"ratio": None, "n": 3}
    assert "NaN" not in render_json([result])
    assert "Infinity" not in render_json([result])


def test_start_time_is_utc_with_z() -> None:
    """A start time in another zone is converted to UTC; a naive one is taken as UTC already."""
    assert to_dict(failing_session())["activity"]["start_time"] == "2024-05-03T17:05:12Z"
    assert iso_utc(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05Z"
    assert (
        iso_utc(datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-5))))
        == "2024-01-02T08:04:05Z"
    )
    assert iso_utc(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    assert iso_utc(None) is None


def test_error_result_has_no_activity_segments_or_checks() -> None:
    """An unreadable file gives its message and empty data, whatever else the result held."""
    result = replace(
        error_result(), activity=passing_session().activity, checks=passing_session().checks
    )
    data = to_dict(result)
    assert data["status"] == "error"
    assert data["error"].startswith("not a watch file")
    assert (data["activity"], data["segments"], data["checks"], data["score"]) == (
        None,
        [],
        [],
        None,
    )


def test_num_rounds_and_never_writes_negative_zero() -> None:
    """Rounding is to the stated digits and -0.0 (from rounding a tiny negative) prints as 0.0."""
    assert num(224.46, 1) == 224.5
    assert num(1.23456, 2) == 1.23
    assert str(num(-0.001, 1)) == "0.0"
    assert num(float("nan"), 1) is None
    assert num(None, 1) is None


def test_text_is_utf8_not_escaped() -> None:
    """Names keep their letters (ensure_ascii off), and the document ends in one newline."""
    text = render_json(CASES["no-plan-description"])
    assert '"athlete": "Müller, Zoë"' in text
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")


def test_no_plan_keeps_status_pass_and_says_described() -> None:
    """The status field is a contract: a session only described stays "pass", with
    ``described: true`` beside it; one judged against a plan has ``described: false``."""
    from dataclasses import replace

    from workoutcheck.score.result import Status

    judged = to_dict(passing_session())
    assert judged["described"] is False and judged["unit"] == "km"
    bare = replace(passing_session(), plan=None, checks=(), score=None, unit="mi")
    data = to_dict(bare)
    assert data["status"] == "pass" and data["described"] is True and data["unit"] == "mi"
    assert to_dict(replace(bare, status=Status.ERROR))["described"] is False
