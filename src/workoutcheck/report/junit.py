"""`--format junit`: JUnit XML, so a CI system shows each check as a test and each file as a suite.

The shape is the one Jenkins, GitLab and most CI tools read (the Ant JUnit report):
``<testsuites>`` > one ``<testsuite>`` per file > one ``<testcase>`` per check. A failed check
carries ``<failure>``; a warning passes but says so in ``<system-out>`` (or fails, with
``warn_as_failure``, for ``--fail-on warn``); a file that could not be read is a suite with one
test "read" holding ``<error>``. ElementTree escapes the text; characters XML 1.0 cannot hold
at all (control characters) are dropped first so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from workoutcheck.score.result import Check, FileResult, Status

# XML 1.0 allows tab, LF and CR but no other C0 control character, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _timestamp(moment: datetime | None) -> str | None:
    """UTC without a zone designator, as the Ant task writes it (some readers refuse ``Z``)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat()


def _case_name(check: Check) -> str:
    return check.id if check.rep is None else f"{check.id} rep {check.rep}"


def file_suite(result: FileResult, *, warn_as_failure: bool) -> ET.Element:
    """One file's suite; counts are filled in after the cases are known."""
    suite = ET.Element("testsuite", name=_clean(result.file))
    failures = errors = 0
    classname = _clean(result.file)
    if result.status is Status.ERROR:
        case = ET.SubElement(suite, "testcase", name="read", classname=classname)
        message = _clean(result.error or "could not be read")
        ET.SubElement(case, "error", message=message, type="error").text = message
        errors = 1
        tests = 1
    else:
        for check in result.checks:
            name = _clean(_case_name(check))
            case = ET.SubElement(suite, "testcase", name=name, classname=classname)
            message = _clean(check.message)
            if check.status is Status.FAIL or (check.status is Status.WARN and warn_as_failure):
                failure = ET.SubElement(case, "failure", message=message, type=check.status.value)
                failure.text = message
                failures += 1
            elif check.status is Status.WARN:
                ET.SubElement(case, "system-out").text = f"WARN: {message}"
        tests = len(result.checks)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    stamp = _timestamp(result.activity.start_time) if result.activity is not None else None
    if stamp is not None and result.status is not Status.ERROR:
        suite.set("timestamp", stamp)
    return suite


def render_junit(results: list[FileResult], warn_as_failure: bool = False) -> str:
    """The whole report as UTF-8 XML text (declaration included), indented, ending in a newline."""
    root = ET.Element("testsuites", name="workoutcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for result in results:
        suite = file_suite(result, warn_as_failure=warn_as_failure)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
