"""The squad overview as plain data: one row per athlete, one cell per planned rep.

The squad command builds these rows (or lets ``overview_row`` build them from a result) and
the HTML renderer only draws them, so the two never have to agree on how a row is computed.
Rows may also be given as dicts with the same keys (``AthleteRow.from_dict``), which is what
a caller holding JSON has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workoutcheck.score.result import FileResult, Status, Verdict


@dataclass(frozen=True)
class RepCell:
    """One rep of one athlete in the athlete x rep matrix.

    ``deviation_s_per_km`` is the pace minus the target pace (negative is
    fast), None for a missed rep or a rep without a target. ``verdict`` is
    ``on_target|too_fast|too_slow|missed`` or None; ``status`` (``pass|warn|fail``) is the
    rep_pace check's, and picks the colour.
    """

    rep: int
    deviation_s_per_km: float | None
    verdict: str | None
    status: str = "pass"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RepCell:
        return cls(int(data["rep"]), data.get("deviation_s_per_km"), data.get("verdict"),
                   data.get("status") or "pass")


@dataclass(frozen=True)
class AthleteRow:
    """One athlete's line of the overview.

    ``file`` is the ``FileResult.file`` whose details the row links to (None: no details,
    e.g. an athlete with no file). ``worst_fault`` is one sentence (the message of the worst
    failing or warning check), None when every check passed. ``status`` is
    ``pass|warn|fail|error``.
    """

    athlete: str
    file: str | None
    reps_on_target: int
    reps_planned: int
    score: float | None
    worst_fault: str | None
    status: str
    reps: tuple[RepCell, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AthleteRow:
        cells = tuple(c if isinstance(c, RepCell) else RepCell.from_dict(c) for c in data.get("reps", ()))
        return cls(
            athlete=str(data["athlete"]),
            file=data.get("file"),
            reps_on_target=int(data.get("reps_on_target", 0)),
            reps_planned=int(data.get("reps_planned", 0)),
            score=data.get("score"),
            worst_fault=data.get("worst_fault"),
            status=str(data.get("status", "pass")),
            reps=cells,
        )


def as_row(row: AthleteRow | Mapping[str, Any]) -> AthleteRow:
    return row if isinstance(row, AthleteRow) else AthleteRow.from_dict(row)


def worst_fault(result: FileResult) -> str | None:
    """The message of the worst non-passing check; the first one among equals."""
    if result.status is Status.ERROR:
        return result.error
    faults = [c for c in result.checks if c.status is not Status.PASS]
    if not faults:
        return None
    return max(faults, key=lambda c: c.status.rank).message  # max keeps the first of equals


def overview_row(result: FileResult, athlete: str | None = None) -> AthleteRow:
    """The row the squad overview shows for one checked file."""
    pace_status = {c.rep: c.status.value for c in result.checks if c.id == "rep_pace" and c.rep is not None}
    cells = []
    for scored in result.reps:
        rep = scored.segment.rep or len(cells) + 1
        verdict = scored.verdict.value if scored.verdict is not None else None
        status = "fail" if scored.verdict is Verdict.MISSED else pace_status.get(rep, "pass")
        cells.append(RepCell(rep, scored.deviation_s_per_km, verdict, status))
    return AthleteRow(
        athlete=athlete or result.athlete or result.file,
        file=result.file,
        reps_on_target=sum(1 for s in result.reps if s.verdict is Verdict.ON_TARGET),
        reps_planned=len(result.reps) if result.plan else 0,  # missed reps count as planned
        score=result.score,
        worst_fault=worst_fault(result),
        status=result.status.value,
        reps=tuple(cells),
    )
