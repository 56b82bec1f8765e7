"""One entry point from results to text, so the CLI knows nothing about any single format.

Every format is rendered from the same ``FileResult`` list, and every output ends in one
newline, so the caller writes it as is to stdout or to ``--output``.
"""

from __future__ import annotations

from workoutcheck.score.result import FileResult

FORMATS = ("table", "json", "csv", "junit", "html")


def render(
    results: list[FileResult], fmt: str, *, color: bool, warn_as_failure: bool = False
) -> str:
    """The report of ``results`` in ``fmt`` (one of ``FORMATS``).

    ``color`` matters only for the table (it adds terminal colours and nothing else);
    ``warn_as_failure`` only for JUnit, where ``--fail-on warn`` turns warnings into failures.
    The renderers are imported on use so a JSON run never loads rich.
    """
    if fmt == "table":
        from workoutcheck.report.check_table import render_table

        return render_table(results, color=color)
    if fmt == "json":
        from workoutcheck.report.check_json import render_json

        return render_json(results)
    if fmt == "csv":
        from workoutcheck.report.check_csv import render_csv

        return render_csv(results)
    if fmt == "junit":
        from workoutcheck.report.junit import render_junit

        return render_junit(results, warn_as_failure=warn_as_failure)
    if fmt == "html":
        from workoutcheck.report.check_html import render_html

        return render_html(results)
    raise ValueError(f"unknown report format {fmt!r}: expected one of {', '.join(FORMATS)}")
