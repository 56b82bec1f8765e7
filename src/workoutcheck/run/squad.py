"""A squad session: one plan, a folder of watch files, every file checked for its own athlete.

Each file is matched to an athlete of a roster by the roster's file-name globs, the plan is
resolved once per athlete from that athlete's profile (so ``5K pace`` is each runner's own),
and the files are checked in parallel with ``run_checks``. What comes back is the per-file
results (roster order, then the files no athlete claims) and an overview a coach reads first
(``score.overview``): a row per file with reps on target, score and the worst fault, and a
matrix of every rep's deviation from its target pace.

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

from workoutcheck.errors import ExitCode, WorkoutcheckError
from workoutcheck.plan import Athlete, Roster, resolve
from workoutcheck.run.batch import Progress, Task, run_checks
from workoutcheck.run.pipeline import CheckOptions
from workoutcheck.score import FileResult
from workoutcheck.score.overview import AthleteRow, Overview, overview_row

UNMATCHED = "matches no athlete in the roster"
EXIT_CONFIG = ExitCode.USAGE  # a roster problem (no athlete for a file, a profile value missing)


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
    checked = iter(
        run_checks(tasks, jobs, progress=progress, timeout_s=timeout_s, memory_mb=memory_mb)
    )
    pairs = [
        (athlete, given if given is not None else _named(next(checked), athlete))
        for athlete, given in slots
    ]
    overview = build_overview(roster, pairs, options.plan.text)
    return SquadRun(tuple(result for _, result in pairs), overview)


def _config_error(path: str, message: str, athlete: str | None) -> FileResult:
    return FileResult.failed(path, message, athlete=athlete, exit_code=EXIT_CONFIG)


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
    rows: list[AthleteRow] = []
    for athlete in roster.athletes:
        name = athlete.profile.name
        mine = [r for a, r in pairs if a is not None and a.id == athlete.id]
        if not mine:
            rows.append(
                AthleteRow(
                    name,
                    file=None,
                    reps_on_target=None,
                    reps_planned=None,
                    score=None,
                    worst_fault=None,
                    status=None,
                )
            )
        rows.extend(overview_row(r, name) for r in mine)
    rows.extend(overview_row(r, None) for a, r in pairs if a is None)
    return Overview(tuple(rows), plan, roster.name)
