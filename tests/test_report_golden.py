"""Every report format against golden files, byte for byte.

A renderer change shows up as a diff a reviewer reads. After an intended change, regenerate with
``UPDATE_GOLDEN=1 pytest tests/test_report_golden.py`` and review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.report_cases import CASES
from workoutcheck.report.formats import render

GOLDEN = Path(__file__).parent / "golden" / "check"
EXTENSIONS = {"table": "txt", "json": "json", "csv": "csv", "junit": "xml"}
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def golden_path(case: str, fmt: str) -> Path:
    return GOLDEN / f"{case}.{EXTENSIONS[fmt]}"


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
@pytest.mark.parametrize("case", list(CASES))
def test_report_matches_golden_file(case: str, fmt: str) -> None:
    """The rendering of each hand-built case equals its golden file exactly (bytes, line ends)."""
    rendered = render(CASES[case], fmt, color=False).encode("utf-8")
    path = golden_path(case, fmt)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered)
    assert path.exists(), f"{path} missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert rendered == path.read_bytes(), (
        f"{path.name} differs; regenerate with UPDATE_GOLDEN=1 if intended"
    )


def test_no_stale_golden_files() -> None:
    """Every file in the golden folder belongs to a case and format, so none is silently unused."""
    expected = {golden_path(case, fmt).name for case in CASES for fmt in EXTENSIONS}
    present = {p.name for p in GOLDEN.iterdir()}
    assert present == expected
