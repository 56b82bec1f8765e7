"""A squad session: one plan, a folder of watch files, every file checked for its own athlete.

Each file is matched to an athlete of a roster by the roster's file-name globs, the plan is
resolved once per athlete from that athlete's profile (so ``5K pace`` is each runner's own),
and the files are checked in parallel with ``run_checks``. What comes back is the per-file
results (roster order, then the files no athlete claims) and an overview a coach reads first:
a row per file with reps on target, score and the worst fault, and a matrix of every rep's
deviation from its target pace.

Problems with one athlete stay that athlete's row: a profile lacking a value the plan needs
gives that athlete's files an error result (exit code 2, as a plan needing a missing value
does for ``check``), a file no athlete matches gets an error result "matches no athlete in the
roster" (exit code 2: the roster does not cover the folder; it is not an unreadable file).
An athlete without a file in the folder has an overview row "no file" and no result.

Pure data: no typer, no rich (the table is drawn by ``report.squad_table``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from workoutcheck.batch import Progress, Task, run_checks
from workoutcheck.check import CheckOptions
from workoutcheck.errors import WorkoutcheckError
from workoutcheck.plan import Athlete, Roster, resolve
from workoutcheck.score import FileResult, ScoredSegment, Status, Verdict

UNMATCHED = "matches no athlete in the roster"
EXIT_CONFIG = 2  # a roster problem (no athlete for a file, a profile value missing)


@dataclass(frozen=True)
class RepCell:
    """One rep of one athlete in the matrix."""

    rep: int
    status: Status  # the rep's pace check: pass (on target), warn, fail; fail when missed
    deviation_s_per_km: float | None  # pace - target pace: + slower, - faster; None if missed
    missed: bool = False


@dataclass(frozen=True)
class OverviewRow:
    """One file of the squad (or an athlete's missing file)."""

    athlete: str | None  # the athlete's name; None for a file no athlete matches
    athlete_id: str | None
    file: str | None  # None: the athlete has no file in the folder
    status: Status | None  # None: no file
    on_target: int | None  # reps on target ...
    planned: int | None  # ... of the planned reps (None when nothing was checked)
    score: float | None
    worst: str | None  # the worst non-pass check's message, or the error; None when all pass
    cells: tuple[RepCell, ...] = ()


@dataclass(frozen=True)
class Overview:
    plan: str
    rows: tuple[OverviewRow, ...]
    reps: int  # matrix width: the most reps any file has
    roster: str | None = None  # the roster's name


@dataclass(frozen=True)
class SquadRun:
    results: tuple[FileResult, ...]  # roster order, then unmatched files
    overview: Overview


def assign_files(
    files: Sequence[str], roster: Roster
) -> tuple[list[tuple[Athlete, list[str]]], list[str]]:
    """Each athlete (roster order) with the files it claims (in the order given), and the
    files no athlete claims. A file belongs to the first athlete whose glob matches it."""
    claimed: dict[str, list[str]] = {a.id: [] for a in roster.athletes}
    unmatched: list[str] = []
    for path in files:
        athlete = roster.athlete_for(path)
        if athlete is None:
            unmatched.append(path)
        else:
            claimed[athlete.id].append(path)
    return [(a, claimed[a.id]) for a in roster.athletes], unmatched


def run_squad(
    files: Sequence[str],
    roster: Roster,
    options: CheckOptions,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    timeout_s: float = 60.0,
    memory_mb: int = 1024,
) -> SquadRun:
    """Check every file for its athlete; ``options.plan`` is the plan everyone ran. The
    keywords are ``run_checks``'s."""
    if options.plan is None:
        raise ValueError("a squad check needs a plan")
    per_athlete, unmatched = assign_files(files, roster)
    # (athlete, the result decided here, or None for the file's place in the checked results)
    slots: list[tuple[Athlete | None, FileResult | None]] = []
    tasks: list[Task] = []
    for athlete, paths in per_athlete:
        try:
            resolve(options.plan, athlete.profile, options.tolerance, race_model=options.race_model)
        except WorkoutcheckError as exc:  # this athlete's problem, not the squad's
            name = athlete.profile.name
            slots.extend((athlete, _config_error(p, str(exc), name)) for p in paths)
            continue
        slots.extend((athlete, None) for _ in paths)
        tasks.extend((path, options, athlete.profile) for path in paths)
    slots.extend((None, _config_error(path, UNMATCHED, None)) for path in unmatched)
    checked = iter(run_checks(tasks, jobs, progress=progress, timeout_s=timeout_s,
                              memory_mb=memory_mb))
    pairs = [(athlete, given if given is not None else _named(next(checked), athlete))
             for athlete, given in slots]
    overview = build_overview(roster, pairs, options.plan.text)
    return SquadRun(tuple(result for _, result in pairs), overview)


def _config_error(path: str, message: str, athlete: str | None) -> FileResult:
    return FileResult(file=path, status=Status.ERROR, error=message, athlete=athlete,
                      exit_code=EXIT_CONFIG)


def _named(result: FileResult, athlete: Athlete | None) -> FileResult:
    """Every result of an athlete carries the name, an unreadable file's too."""
    if athlete is None or result.athlete is not None:
        return result
    return replace(result, athlete=athlete.profile.name)


def build_overview(
    roster: Roster, pairs: Sequence[tuple[Athlete | None, FileResult]], plan: str
) -> Overview:
    """Rows in roster order (an athlete without a file gets a "no file" row), then the files
    no athlete matches; ``pairs`` are the results with the athlete each was checked for."""
    rows: list[OverviewRow] = []
    for athlete in roster.athletes:
        mine = [r for a, r in pairs if a is not None and a.id == athlete.id]
        if not mine:
            rows.append(OverviewRow(athlete.profile.name, athlete.id, file=None, status=None,
                                    on_target=None, planned=None, score=None, worst=None))
        rows.extend(_row(athlete, r) for r in mine)
    rows.extend(_row(None, r) for a, r in pairs if a is None)
    width = max((len(row.cells) for row in rows), default=0)
    return Overview(plan, tuple(rows), width, roster.name)


def worst_fault(result: FileResult) -> str | None:
    """The message of the first failing check, else of the first warning; None if all pass."""
    problems = [c for c in result.checks if c.status is not Status.PASS]
    return max(problems, key=lambda c: c.status.rank).message if problems else None


def _row(athlete: Athlete | None, result: FileResult) -> OverviewRow:
    name = athlete.profile.name if athlete is not None else None
    aid = athlete.id if athlete is not None else None
    if result.status is Status.ERROR:
        return OverviewRow(name, aid, result.file, Status.ERROR, on_target=None, planned=None,
                           score=None, worst=result.error or "could not be checked")
    return OverviewRow(
        name, aid, result.file, result.status,
        on_target=sum(1 for ss in result.reps if ss.verdict is Verdict.ON_TARGET),
        planned=len(result.reps), score=result.score, worst=worst_fault(result),
        cells=tuple(_cell(result, ss) for ss in result.reps if ss.segment.rep is not None))


def _cell(result: FileResult, scored: ScoredSegment) -> RepCell:
    rep = scored.segment.rep
    assert rep is not None
    if scored.verdict is Verdict.MISSED or scored.segment.missed:
        return RepCell(rep, Status.FAIL, None, missed=True)
    pace, target = scored.segment.pace_s_per_km, scored.target_pace
    deviation = round(pace - target, 1) if pace is not None and target is not None else None
    check = next((c for c in result.checks if c.id == "rep_pace" and c.rep == rep), None)
    if check is not None:
        status = check.status
    else:  # no pace check (no target): judged by the verdict alone
        status = Status.PASS if scored.verdict in (Verdict.ON_TARGET, None) else Status.WARN
    return RepCell(rep, status, deviation)
