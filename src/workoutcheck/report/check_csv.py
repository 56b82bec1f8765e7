"""`--format csv`: one row per segment, for a spreadsheet or a training log.

Rows are built from the JSON data (``check_json.to_dict``) so the two formats carry the same
rounded numbers; the ``pace`` text is the table's (with "±1.1%" where the uncertainty matters). A file that could not be read, or has no segments, still gets one row, so
every file given appears in the sheet.
"""

from __future__ import annotations

from typing import Any

from workoutcheck.report.check_json import to_dict
from workoutcheck.report.check_table import pace_text
from workoutcheck.score.result import FileResult

COLUMNS = (
    "file",
    "athlete",
    "status",
    "score",
    "kind",
    "rep",
    "step",
    "start_s",
    "end_s",
    "duration_s",
    "distance_m",
    "distance_basis",
    "pace_s_per_km",
    "pace",
    "target_fastest_s_per_km",
    "target_slowest_s_per_km",
    "verdict",
    "pace_uncertainty_pct",
    "borderline",
    "checks",
    "error",
)


def csv_rows(result: FileResult) -> list[dict[str, Any]]:
    """The rows of one file: file-level columns repeated on each, so rows can be filtered alone."""
    data = to_dict(result)
    base = {key: data[key] for key in ("file", "athlete", "status", "score")}
    if data["error"] is not None or not data["segments"]:
        return [{**base, "error": data["error"]}]
    flagged = _flagged_checks(data["checks"])
    rows = []
    for seg, scored in zip(data["segments"], result.segments, strict=True):
        band = seg["target_pace_s_per_km"] or [None, None]
        row = {key: seg[key] for key in ("kind", "rep", "step", "start_s", "end_s", "duration_s")}
        row.update(
            distance_m=seg["distance_m"],
            distance_basis=seg["distance_basis"],
            pace_s_per_km=seg["pace_s_per_km"],
            pace=pace_text(scored) if seg["pace_s_per_km"] is not None else None,
            target_fastest_s_per_km=band[0],
            target_slowest_s_per_km=band[1],
            verdict=seg["verdict"],
            pace_uncertainty_pct=seg["pace_uncertainty_pct"],
            borderline=None if seg["borderline"] is None else str(seg["borderline"]).lower(),
            checks=";".join(flagged.get(seg["rep"], [])) if seg["kind"] == "rep" else None,
        )
        rows.append({**base, **row})
    return rows


def _flagged_checks(checks: list[dict[str, Any]]) -> dict[int, list[str]]:
    """Ids of the warn/fail checks of each rep, each id once, in the order the checks came."""
    flagged: dict[int, list[str]] = {}
    for check in checks:
        if check["status"] != "pass" and check["rep"] is not None:
            ids = flagged.setdefault(check["rep"], [])
            if check["id"] not in ids:
                ids.append(check["id"])
    return flagged


def render_csv(results: list[FileResult]) -> str:
    """Header plus rows; empty cells for unknowns; CRLF line ends and quoting as RFC 4180 says.

    The text holds ``\\r\\n`` already: write it with ``newline=""`` (or as bytes) so it is not
    translated again.
    """
    from workoutcheck.report.stream import CsvRows

    rows = CsvRows()
    return rows.begin() + "".join(rows.item(result) for result in results)
