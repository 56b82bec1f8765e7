"""The squad overview as plain data: one row per athlete, one cell per planned rep.

The squad command builds the rows and the HTML renderer only draws them, so the two never
have to agree on how a row is computed. A row may be given as an ``AthleteRow``, as a dict
with its keys (what a caller holding JSON has), or as any object with those attributes;
the names ``squad.OverviewRow`` uses (``on_target``, ``planned``, ``worst``, ``cells``, a
``Status`` enum, a cell's ``missed`` flag) are read as well, so its rows are drawn as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from workoutcheck.score.result import FileResult, Status, Verdict

# Our field name, then the names other producers of rows use for it.
ROW_ALIASES = {
    "reps_on_target": ("reps_on_target", "on_target"),
    "reps_planned": ("reps_planned", "planned"),
    "worst_fault": ("worst_fault", "worst"),
    "reps": ("reps", "cells"),
}


@dataclass(frozen=True)
class RepCell:
    """One rep of one athlete in the athlete x rep matrix.

    ``deviation_s_per_km`` is the rep's pace minus its target pace (+ slower, - faster), None
    for a missed rep or a rep without a target. ``verdict`` is
    ``on_target|too_fast|too_slow|missed`` or None; ``status`` (``pass|warn|fail``) is the
    rep's rep_pace check, and picks the colour.
    """

    rep: int
    deviation_s_per_km: float | None
    verdict: str | None
    status: str = "pass"


@dataclass(frozen=True)
class AthleteRow:
    """One athlete's line of the overview.

    ``athlete`` is the name shown (None: a file no athlete claims, shown by its file name).
    ``file`` is the ``FileResult.file`` whose details section the row links to (None: the
    athlete has no file). ``reps_on_target`` of ``reps_planned`` (None when nothing was
    checked). ``worst_fault`` is one sentence, the message of the worst failing or warning
    check (or the error), None when all passed. ``status`` is ``pass|warn|fail|error``, None
    for an athlete with no file.
    """

    athlete: str | None
    file: str | None
    reps_on_target: int | None
    reps_planned: int | None
    score: float | None
    worst_fault: str | None
    status: str | None
    reps: tuple[RepCell, ...] = ()


def _text(value: Any) -> Any:
    """An enum's value (``Status.PASS`` -> "pass"); anything else as it is."""
    return value.value if isinstance(value, Enum) else value


def _get(data: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(data, Mapping):
            if name in data:
                return data[name]
        elif hasattr(data, name):
            return getattr(data, name)
    return default


def as_cell(data: RepCell | Mapping[str, Any] | Any) -> RepCell:
    """A matrix cell from a ``RepCell``, a dict or a ``squad.RepCell`` (``missed`` flag, enum status)."""
    if isinstance(data, RepCell):
        return data
    verdict = _text(_get(data, "verdict"))
    if _get(data, "missed", default=False):
        verdict = "missed"
    status = _text(_get(data, "status")) or "pass"
    return RepCell(int(_get(data, "rep")), _get(data, "deviation_s_per_km"), verdict, str(status))


def as_row(data: AthleteRow | Mapping[str, Any] | Any) -> AthleteRow:
    """An ``AthleteRow`` from any of the shapes the module docstring lists."""
    if isinstance(data, AthleteRow):
        return data
    fields = {ours: _get(data, *names) for ours, names in ROW_ALIASES.items()}
    status = _text(_get(data, "status"))
    return AthleteRow(
        athlete=_get(data, "athlete"),
        file=_get(data, "file"),
        reps_on_target=fields["reps_on_target"],
        reps_planned=fields["reps_planned"],
        score=_get(data, "score"),
        worst_fault=fields["worst_fault"],
        status=None if status is None else str(status),
        reps=tuple(as_cell(c) for c in fields["reps"] or ()),
    )


def worst_fault(result: FileResult) -> str | None:
    """The message of the worst non-passing check (the first among equals), or the error."""
    if result.status is Status.ERROR:
        return result.error or "could not be checked"
    faults = [c for c in result.checks if c.status is not Status.PASS]
    return max(faults, key=lambda c: c.status.rank).message if faults else None


def overview_row(result: FileResult, athlete: str | None = None) -> AthleteRow:
    """The row the overview shows for one checked file (for callers without a squad module)."""
    pace_status = {
        c.rep: c.status.value for c in result.checks if c.id == "rep_pace" and c.rep is not None
    }
    cells = []
    for scored in result.reps:
        rep = scored.segment.rep or len(cells) + 1
        verdict = scored.verdict.value if scored.verdict is not None else None
        status = "fail" if scored.verdict is Verdict.MISSED else pace_status.get(rep, "pass")
        cells.append(RepCell(rep, scored.deviation_s_per_km, verdict, status))
    checked = result.status is not Status.ERROR and bool(result.plan)
    return AthleteRow(
        athlete=athlete or result.athlete,
        file=result.file,
        reps_on_target=sum(1 for s in result.reps if s.verdict is Verdict.ON_TARGET)
        if checked
        else None,
        reps_planned=len(result.reps) if checked else None,  # a missed rep counts as planned
        score=result.score,
        worst_fault=worst_fault(result),
        status=result.status.value,
        reps=tuple(cells),
    )
