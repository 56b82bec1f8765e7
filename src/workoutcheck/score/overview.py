"""The squad overview as plain data: one row per checked file, one cell per planned rep.

This is the one model of the overview: the squad command builds its rows with
``overview_row`` (adding its roster's "no file" rows), and the table and HTML renderers only
draw them. Pure data from results: athlete names come in as strings, nothing here reads a
plan, a roster or a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from workoutcheck.score.result import Check, FileResult, ScoredSegment, Status, Verdict
from workoutcheck.score.rules import FAULT_ORDER

# Among faults of the same status, the one a coach should read first: a rep not run, then
# what went wrong across the session (``rules.FAULT_ORDER``), then any other session-level
# fault, then single reps.
_SESSION = 2
_PER_REP = 3


@dataclass(frozen=True)
class RepCell:
    """One rep of one athlete in the athlete x rep matrix.

    ``deviation_s_per_km`` is the rep's pace minus its target pace (+ slower, - faster), None
    for a missed rep or a rep without a target. ``status`` is the rep's rep_pace check (which
    picks the colour): fail for a missed rep; without a pace check, pass when the verdict is
    on target (or there is none), else warn.
    """

    rep: int
    deviation_s_per_km: float | None
    verdict: Verdict | None
    status: Status

    @property
    def missed(self) -> bool:
        return self.verdict is Verdict.MISSED


@dataclass(frozen=True)
class AthleteRow:
    """One line of the overview: a checked file, or an athlete's missing file.

    ``athlete`` is the name shown (None: a file no athlete claims). ``file`` is the
    ``FileResult.file`` the row is about (None: the athlete has no file). ``reps_on_target``
    of ``reps_planned`` (None when nothing was checked against a plan). ``worst_fault`` is one
    sentence (see ``worst_fault``), None when all passed. ``status`` is None for an athlete
    with no file.
    """

    athlete: str | None
    file: str | None
    reps_on_target: int | None
    reps_planned: int | None
    score: float | None
    worst_fault: str | None
    status: Status | None
    cells: tuple[RepCell, ...] = ()


@dataclass(frozen=True)
class Overview:
    rows: tuple[AthleteRow, ...]
    plan: str | None = None  # the plan everyone ran
    roster: str | None = None  # the roster's name

    @property
    def reps(self) -> int:
        """The matrix width: the highest rep number of any row."""
        return max((cell.rep for row in self.rows for cell in row.cells), default=0)


def _fault_rank(check: Check) -> tuple[int, int]:
    """Bigger is worse: the status first, then session-level before per-rep faults."""
    order = FAULT_ORDER.get(check.id, _SESSION if check.rep is None else _PER_REP)
    return check.status.rank, -order


def worst_fault(result: FileResult) -> str | None:
    """The one sentence a row shows: the error of a file that could not be checked, else the
    message of the worst non-passing check (worst status; among equals a missing rep, then
    fade, consistency or a too fast first rep, then other session-level faults, then per-rep
    ones; the first in check order among those), None when every check passed."""
    if result.status is Status.ERROR:
        return result.error or "could not be checked"
    faults = [c for c in result.checks if c.status is not Status.PASS]
    return max(faults, key=_fault_rank).message if faults else None


def overview_row(result: FileResult, athlete: str | None = None) -> AthleteRow:
    """The row for one checked file; ``athlete`` is the name shown (default: the result's)."""
    name = athlete if athlete is not None else result.athlete
    if result.status is Status.ERROR:
        return AthleteRow(
            name,
            result.file,
            reps_on_target=None,
            reps_planned=None,
            score=None,
            worst_fault=worst_fault(result),
            status=Status.ERROR,
        )
    planned = result.plan is not None
    return AthleteRow(
        name,
        result.file,
        reps_on_target=sum(1 for ss in result.reps if ss.verdict is Verdict.ON_TARGET)
        if planned
        else None,
        reps_planned=len(result.reps) if planned else None,  # a missed rep counts as planned
        score=result.score,
        worst_fault=worst_fault(result),
        status=result.status,
        cells=tuple(_cell(result, ss) for ss in result.reps if ss.segment.rep is not None),
    )


def rep_status(result: FileResult, scored: ScoredSegment) -> Status:
    """The status that colours a rep wherever it is drawn (matrix, chart, table): its rep_pace
    check; fail for a missed rep; without a pace check, pass when the verdict is on target (or
    there is none), else warn."""
    if scored.verdict is Verdict.MISSED or scored.segment.missed:
        return Status.FAIL
    rep = scored.segment.rep
    check = next((c for c in result.checks if c.id == "rep_pace" and c.rep == rep), None)
    if check is not None:
        return check.status
    return Status.PASS if scored.verdict in (Verdict.ON_TARGET, None) else Status.WARN


def _cell(result: FileResult, scored: ScoredSegment) -> RepCell:
    rep = scored.segment.rep
    assert rep is not None
    if scored.verdict is Verdict.MISSED or scored.segment.missed:
        return RepCell(rep, None, Verdict.MISSED, Status.FAIL)
    return RepCell(rep, scored.deviation_s_per_km, scored.verdict, rep_status(result, scored))
