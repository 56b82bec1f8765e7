"""The JUnit report: valid against the CI schema, counts that add up, warnings as CI sees them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema

from tests.report_cases import (
    CASES,
    error_result,
    failing_session,
    no_plan_session,
    passing_session,
)
from workoutcheck.report.junit import render_junit
from workoutcheck.score.result import Check, Status

XSD = Path(__file__).parent / "golden" / "junit.xsd"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    """Our JUnit XSD (loading it also checks that it is a valid schema)."""
    return xmlschema.XMLSchema(XSD)


@pytest.mark.parametrize("warn_as_failure", [False, True])
@pytest.mark.parametrize("case", list(CASES))
def test_every_case_validates_against_the_junit_schema(
    case: str, warn_as_failure: bool, schema: xmlschema.XMLSchema
) -> None:
    """Each case, in both warning modes, is a valid JUnit report as CI servers read it."""
    text = render_junit(CASES[case], warn_as_failure=warn_as_failure)
    errors = [str(e.reason) for e in schema.iter_errors(text)]
    assert errors == []
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')


def test_schema_rejects_a_testcase_with_two_outcomes(schema: xmlschema.XMLSchema) -> None:
    """The schema has teeth: a testcase may hold only one of failure, error and skipped."""
    bad = (
        '<testsuites><testsuite name="a" tests="1" failures="1" errors="1"><testcase name="x" classname="a">'
        "<failure/><error/></testcase></testsuite></testsuites>"
    )
    assert not schema.is_valid(bad)


def test_failing_file_counts_and_cases() -> None:
    """One testcase per check named "<id> rep N"; fails carry <failure>, warns pass with system-out."""
    suite = ET.fromstring(render_junit([failing_session()])).find("testsuite")
    assert suite is not None
    assert dict(suite.attrib) == {
        "name": "failing session.gpx",
        "tests": "8",
        "failures": "3",
        "errors": "0",
        "skipped": "0",
        "timestamp": "2024-05-03T17:05:12",
    }
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert list(cases)[:3] == ["rep_pace rep 1", "recovery rep 1", "rep_pace rep 2"]
    assert "reps_run" in cases
    failure = cases["rep_pace rep 2"].find("failure")
    assert failure is not None
    assert failure.get("type") == "fail"
    assert failure.get("message", "").startswith("Rep 2: 3:33/km")
    warn = cases["rep_pace rep 3"]
    assert warn.find("failure") is None
    assert warn.findtext("system-out", "").startswith("WARN: Rep 3: 4:02/km")
    assert all(c.get("classname") == "failing session.gpx" for c in cases.values())


def test_warn_as_failure_turns_warnings_into_failures() -> None:
    """With --fail-on warn the three warnings fail too, marked type="warn"."""
    root = ET.fromstring(render_junit([failing_session()], warn_as_failure=True))
    assert root.get("failures") == "6"
    types = [f.get("type") for f in root.iter("failure")]
    assert types.count("warn") == 3
    assert not list(root.iter("system-out"))


def test_unreadable_file_is_a_suite_with_one_error() -> None:
    """A file that could not be read is one testcase "read" holding <error>, no timestamp."""
    suite = ET.fromstring(render_junit([error_result()])).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("errors"), suite.get("failures")) == ("1", "1", "0")
    assert suite.get("timestamp") is None
    case = suite.find("testcase")
    assert case is not None and case.get("name") == "read"
    error = case.find("error")
    assert error is not None
    assert error.get("message") == error_result().error
    assert error.text == error_result().error


def test_root_totals_add_up_over_files() -> None:
    """<testsuites> sums the suites: 14 + 8 + 3 + 1 tests, 3 failures, 1 error."""
    root = ET.fromstring(render_junit(CASES["batch-of-four"]))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("26", "3", "1")
    assert len(root.findall("testsuite")) == 4
    assert no_plan_session().activity is not None
    assert root.findall("testsuite")[2].get("timestamp") is None  # the TCX file has no clock


def test_control_characters_are_dropped_so_the_xml_parses() -> None:
    """A message with a NUL or bell (impossible in XML 1.0) still gives a parseable report."""
    odd = Check("rep_pace", Status.FAIL, "Rep 1:\x00 too\x07 fast <&>", 1)
    text = render_junit([replace(passing_session(), checks=(odd,))])
    failure = ET.fromstring(text).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "Rep 1: too fast <&>"


def test_passing_timestamp_is_utc_without_zone() -> None:
    """The suite timestamp is the activity start in UTC, zone-less as Ant writes it."""
    suite = ET.fromstring(render_junit([passing_session()])).find("testsuite")
    assert suite is not None
    assert suite.get("timestamp") == "2024-05-01T06:30:00"
    assert suite.get("failures") == "0"
