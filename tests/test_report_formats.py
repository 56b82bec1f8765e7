"""The dispatcher and the import rule: reports depend on results, never on the CLI."""

from __future__ import annotations

import ast
import tokenize
from pathlib import Path

import pytest

import workoutcheck.report
from tests.report_cases import CASES, failing_session
from workoutcheck.report.formats import FORMATS, render

REPORT = Path(workoutcheck.report.__file__).parent
OURS = [
    "check_table.py",
    "table_text.py",
    "table_blocks.py",
    "check_json.py",
    "check_csv.py",
    "junit.py",
    "formats.py",
    "check_html.py",
    "squad_html.py",
    "svg_chart.py",
    "svg_overlays.py",
    "svg_parts.py",
    "html_page.py",
    "squad_table.py",
    "check_markdown.py",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_and_ends_in_one_newline(fmt: str) -> None:
    """Each format gives text ending in exactly one line end, so the CLI writes it as is."""
    text = render(CASES["batch-of-four"], fmt, color=False)
    assert text.endswith("\n")
    assert not text.endswith("\n\n") and not text.endswith("\r\n\r\n")
    assert "failing session.gpx" in text


def test_junit_warn_as_failure_passes_through() -> None:
    """render(..., warn_as_failure=True) reaches the JUnit renderer (for --fail-on warn)."""
    strict = render([failing_session()], "junit", color=False, warn_as_failure=True)
    lenient = render([failing_session()], "junit", color=False)
    assert 'failures="6"' in strict
    assert 'failures="3"' in lenient


def test_unknown_format_names_the_choices() -> None:
    """A format that does not exist is refused with the list of those that do."""
    with pytest.raises(
        ValueError,
        match="unknown report format 'pdf': expected one of table, json, csv, junit, html, markdown",
    ):
        render([], "pdf", color=False)


@pytest.mark.parametrize("module", OURS)
def test_report_modules_never_import_the_cli(module: str) -> None:
    """No report module imports typer or the CLI; only the tables import rich."""
    names = _imports(REPORT / module)
    assert not {n for n in names if n.split(".")[0] == "typer" or n == "workoutcheck.cli"}
    uses_rich = any(n.split(".")[0] == "rich" for n in names)
    assert uses_rich is (module in ("check_table.py", "squad_table.py"))
    assert all(
        n.split(".")[0] != "workoutcheck"
        or n.split(".")[1] in {"score", "segment", "units", "model", "report"}
        for n in names
    )


@pytest.mark.parametrize("module", OURS)
def test_modules_stay_small(module: str) -> None:
    """Each renderer stays under 170 statements (logical lines, which no reformatting changes:
    about 250 lines as written), one format per module."""
    with (REPORT / module).open("rb") as fh:
        statements = sum(
            1 for tok in tokenize.tokenize(fh.readline) if tok.type == tokenize.NEWLINE
        )
    assert statements < 170
