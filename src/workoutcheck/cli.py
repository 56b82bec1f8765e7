"""The command line: parse options, call one library function, render, choose the exit code.

This is the only module that imports typer. Heavy modules (numpy, fitparse, gpxpy) are
imported inside the commands so ``workoutcheck --help`` starts quickly. Errors a user can
cause arrive as ``WorkoutcheckError`` and are turned into one line on stderr and an exit
code in exactly one place, ``_App.invoke``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core

from workoutcheck import __version__
from workoutcheck.errors import ExitCode, WorkoutcheckError
from workoutcheck.report.formats import CHECK_FORMATS, FORMATS, HISTORY_FORMATS, choices_help

DEFAULT_MAX_MB = 50.0  # the readers' own limit (workoutcheck.ingest.MAX_FILE_BYTES)
MAX_MAX_MB = 100_000.0  # --max-size: 100 GB is already no watch file
MAX_JOBS = 64  # --jobs: more processes than that only compete for memory
MAX_POLL_S = 3600.0  # --poll: an hour between looks is already a cron job
MAX_SETTLE_S = 86400.0  # --settle: a copy stalled for a day has failed


def _choices(name: str, names: tuple[str, ...]) -> type[Enum]:
    """The ``--format`` choices of a command, from the registry that renders them."""
    return Enum(name, {n: n for n in names}, type=str)  # type: ignore[return-value]


if TYPE_CHECKING:  # made at run time from the registries: to a type checker, any value
    TableOrJson = Any
    CheckFormat = Any
    SquadFormat = Any
    HistoryFormat = Any
else:
    TableOrJson = _choices("TableOrJson", ("table", "json"))  # info, plan, zones
    CheckFormat = _choices("CheckFormat", CHECK_FORMATS)
    SquadFormat = _choices("SquadFormat", FORMATS)  # the formats rendered for a whole list
    HistoryFormat = _choices("HistoryFormat", HISTORY_FORMATS)


class _App(typer.core.TyperGroup):
    """Turns every ``WorkoutcheckError`` into a one-line message and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except WorkoutcheckError as exc:
            typer.echo(f"workoutcheck: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            raise typer.Exit(_closed_pipe()) from None


def _console(**kwargs):
    """A rich console for stdout whose closed pipe reaches ``_App.invoke`` (rich by itself
    exits 1 there, the code for "a workout failed")."""
    from rich.console import Console

    class _PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return _PipeConsole(highlight=False, **kwargs)


def _closed_pipe() -> int:
    """The reader of stdout went away (``zones | head -1``): stop quietly with the exit code a
    shell gives a process killed by SIGPIPE (128 + 13), not 1 ("a workout failed"). Whatever is
    still buffered goes to /dev/null, so Python's exit flush cannot complain either."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no real file (a test runner's buffer)
        pass
    return ExitCode.CLOSED_PIPE


def _metavar(param) -> str | None:
    """What help shows for a value: FILE, TEXT, N, table|json, PATH... - never the Python
    type (``<list[Path]>``, ``<bool>``, ``{paths}``) that Typer prints by itself."""
    argument = param.param_type_name == "argument"
    if not argument and getattr(param, "is_flag", False):
        return None
    desc = getattr(param, "type_descriptor", None)
    name = (param.name or "value").upper()
    choices = getattr(desc, "choices", None) if getattr(desc, "is_choice", False) else None
    base = getattr(desc, "annotation", str)
    if getattr(desc, "is_list", False) and getattr(base, "__args__", None):
        base = base.__args__[0]  # type: ignore[union-attr]
    if choices:
        word = "|".join(str(getattr(c, "value", c)) for c in choices)
    elif argument:
        word = {"DATABASE": "DB", "FOLDER": "DIR"}.get(
            name, name.removesuffix("S") if param.nargs != 1 else name
        )
    elif getattr(desc, "is_path", False) or base is Path:
        word = "DIR" if param.name in ("out", "folder") else "FILE"
    else:
        word = {int: "N", float: "NUMBER"}.get(base, "TEXT")
    return f"{word}..." if argument and param.nargs != 1 else word


class _Command(typer.core.TyperCommand):
    """A command whose help names values plainly (``_metavar``): no type after the name, and
    a required argument written FILE... in the usage line, as man pages do."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is None:
                param.metavar = _metavar(param)
            shown = None if param.param_type_name == "argument" else param.metavar
            param.display_type_rich = lambda ctx, shown=shown: shown  # type: ignore[attr-defined]
            if param.param_type_name == "argument":
                word = param.metavar if param.required else f"[{param.metavar}]"
                param._usage_display_name = lambda word=word: word  # type: ignore[attr-defined]


app = typer.Typer(
    cls=_App,
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (README: Shell completion)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Find the reps of an interval session in FIT, GPX, TCX and PWX watch files and check them against the plan.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"workoutcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """workoutcheck: is the session run as the coach prescribed?"""


class LapsMode(str, Enum):
    auto = "auto"
    use = "use"
    ignore = "ignore"


class FailOn(str, Enum):
    warn = "warn"
    fail = "fail"


class Unit(str, Enum):
    km = "km"
    mi = "mi"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


# Options and arguments that several commands share, declared once.
PlanTextArg = Annotated[
    str | None, typer.Argument(help='The plan, e.g. "5x1000m @ 3:45/km, 400m jog".')
]
TableOrJsonOpt = Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")]
PlanOpt = Annotated[
    str | None, typer.Option("--plan", help='The session, e.g. "5x1000m @ 3:45/km, 400m jog".')
]
PlanFileOpt = Annotated[Path | None, typer.Option("--plan-file", help="Read the plan from a file.")]
ProfileOpt = Annotated[
    Path | None, typer.Option("--profile", help="Athlete profile TOML (race times, goals).")
]
LapsOpt = Annotated[
    LapsMode,
    typer.Option("--laps", help="Device laps: auto (where they fit the plan), use, ignore."),
]
ToleranceOpt = Annotated[
    str | None, typer.Option("--tolerance", help='Pace tolerance, e.g. "2%" or "3s".')
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
]
FailOnOpt = Annotated[
    FailOn,
    typer.Option("--fail-on", help="Exit 1 on a failed check (fail) or also on a warning (warn)."),
]
SetOpt = Annotated[
    list[str] | None, typer.Option("--set", help="Override a threshold, e.g. --set fade_warn=0.05.")
]
RaceModelOpt = Annotated[
    str, typer.Option("--race-model", help="riegel or vdot, for race paces not in the profile.")
]
PartialOpt = Annotated[
    bool, typer.Option("--partial", help="Use the readable part of a truncated or damaged file.")
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help=f"Files checked at once (default: one per core; 1: one after another; at most {MAX_JOBS}).",
    ),
]
MaxSizeOpt = Annotated[
    float,
    typer.Option(
        "--max-size", min=0.01, help="Refuse files larger than this many MB (after un-gzipping)."
    ),
]
UnitOpt = Annotated[
    Unit | None,
    typer.Option(
        "--unit",
        help="Paces and distances per km or per mile (default: the profile's unit, else km).",
    ),
]
ColorOpt = Annotated[
    ColorMode,
    typer.Option(
        "--color",
        help="Colour the table: auto (on a terminal, unless NO_COLOR is set), always, never.",
    ),
]
HistoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--history",
        help="Also store every checked session in this SQLite database (see: workoutcheck history).",
    ),
]


@app.command(cls=_Command)
def info(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Watch files (FIT, GPX, TCX, PWX, optionally .gz) or folders."),
    ],
    output_format: TableOrJsonOpt = TableOrJson.table,
    partial: PartialOpt = False,
) -> None:
    """Summarise each file: sport, device, start, duration, distance, laps, pauses, embedded workout.

    \b
    Example:
      workoutcheck info sample_files/five_by_1000_track.fit
    """
    from workoutcheck.errors import printable
    from workoutcheck.ingest import load
    from workoutcheck.report.info import activity_summary, render_summary
    from workoutcheck.run.files import expand_paths

    files = expand_paths(paths)
    console = _console()
    results: list[dict] = []
    failed = 0
    for path in files:
        try:
            summary = activity_summary(load(path, allow_partial=partial))
        except WorkoutcheckError as exc:
            failed += 1
            typer.echo(f"workoutcheck: error: {exc}", err=True)
            results.append({"file": str(path), "error": str(exc)})
            continue
        results.append(summary)
        if output_format is TableOrJson.table:
            console.print(render_summary({**summary, "file": printable(summary["file"])}))
    if output_format is TableOrJson.json:
        sys.stdout.write(json.dumps({"info_version": 1, "files": results}, indent=2) + "\n")
    if failed:
        raise typer.Exit(ExitCode.UNREADABLE)


def _read_plan_text(text: str | None, plan_file: Path | None) -> str | None:
    from workoutcheck.errors import UsageError

    if text is not None and plan_file is not None:
        raise UsageError("give the plan as text or with --plan-file, not both")
    if plan_file is None:
        return text
    try:
        return plan_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{plan_file}: cannot read the plan file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{plan_file}: the plan file is not UTF-8 text") from None


def _load_plan(text: str | None, plan_file: Path | None):
    """The plan from text, a text file, or a FIT workout file (told by its header); None if
    neither was given."""
    from workoutcheck.plan import parse_plan

    if plan_file is not None and text is None:
        from workoutcheck.ingest.fit.workout import is_fit, read_workout_file

        if is_fit(plan_file):
            from workoutcheck.plan import plan_from_workout

            return plan_from_workout(read_workout_file(plan_file))
    source = _read_plan_text(text, plan_file)
    return parse_plan(source) if source is not None else None


def _resolved_plan(text, plan_file, profile, tolerance, race_model: str, example: str):
    """The plan given (text, file or FIT workout) resolved for the profile, for plan and workout."""
    from workoutcheck.errors import UsageError
    from workoutcheck.plan import load_profile, resolve

    parsed = _load_plan(text, plan_file)
    if parsed is None:
        raise UsageError(f"give a plan, e.g. {example}")
    athlete = load_profile(profile) if profile is not None else None
    return resolve(parsed, athlete, tolerance, race_model=race_model)


def _print_notes(notes) -> None:
    """How ambiguous forms of the plan were read, after the table, wrapped to the terminal."""
    if not notes:
        return
    console = _console()
    for note in notes:
        console.print(f"note: {note}", markup=False)


def _print_tables(tables) -> None:
    """Draw (title, header, rows) tables with rich: colour only on a terminal."""
    from rich.table import Table

    console = _console()
    for title, header, rows in tables:
        table = Table(title=title or None, title_justify="left")
        for col in header:
            table.add_column(col, overflow="fold")  # wrap a cell on a narrow terminal, never cut it
        for row in rows:
            table.add_row(*[str(c) for c in row])
        console.print(table)


@app.command("plan", cls=_Command)
def plan_command(
    text: PlanTextArg = None,
    plan_file: PlanFileOpt = None,
    profile: ProfileOpt = None,
    tolerance: ToleranceOpt = None,
    race_model: RaceModelOpt = "riegel",
    output_format: TableOrJsonOpt = TableOrJson.table,
) -> None:
    """Print the resolved plan: every step with its kind, length, target pace and tolerance band.

    \b
    Example:
      workoutcheck plan "5x1000m @ 5K pace, 400m jog" --profile anna.toml
    """
    from workoutcheck.plan import plan_dict, plan_rows

    resolved = _resolved_plan(
        text,
        plan_file,
        profile,
        tolerance,
        race_model,
        'workoutcheck plan "5x1000m @ 3:45/km, 400m jog"',
    )
    if output_format is TableOrJson.json:
        sys.stdout.write(json.dumps(plan_dict(resolved), indent=2) + "\n")
        return
    from rich.console import Console

    from workoutcheck.plan.render import fit_columns, step_lines

    header, rows = plan_rows(resolved)
    title = resolved.plan.name or resolved.plan.text
    if resolved.athlete:
        title += f"  ({resolved.athlete})"
    fitted = fit_columns(header, rows, Console().width)
    if fitted is None:  # too narrow even for the essential columns: one line per step
        typer.echo(title)
        for line in step_lines(header, rows):
            typer.echo(line)
    else:
        _print_tables([(title, *fitted)])
    _print_notes(resolved.notes)


@app.command(cls=_Command)
def zones(
    race: Annotated[
        list[str], typer.Option("--race", help="A race result, e.g. --race 5K=20:00 (repeatable).")
    ],
    goal: Annotated[
        str | None,
        typer.Option("--goal", help="Goal race for the %-of-goal tempo table, e.g. 400m=52.0."),
    ] = None,
    output_format: TableOrJsonOpt = TableOrJson.table,
) -> None:
    """Training paces from VDOT, equivalent race times, critical speed, and the %-of-goal tempo table.

    \b
    Example:
      workoutcheck zones --race 5K=20:00 --goal 400m=52.0
    """
    from workoutcheck.plan import zones as compute_zones
    from workoutcheck.plan import zones_tables

    result = compute_zones(race, goal)
    if output_format is TableOrJson.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    _print_tables(zones_tables(result))


def _use_colour(mode: ColorMode, output: Path | None) -> bool:
    """--color always/never as asked; auto: only to a terminal, and not when NO_COLOR is set
    (no-color.org: any non-empty value)."""
    import os

    if mode is not ColorMode.auto:
        return mode is ColorMode.always
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _errors_shown_in_table(fmt: str, output: Path | None) -> bool:
    """The table on a terminal already shows each unreadable file's error: said once there."""
    return fmt == "table" and output is None and sys.stdout.isatty()


def _open_history(path: Path | None) -> None:
    """Open (create, migrate) the --history database before any file is checked, so a bad
    path stops the run at once. Closed again: no connection is open while workers fork."""
    if path is not None:
        from workoutcheck.history import HistoryDB

        HistoryDB(path).close()


def _record_history(path: Path | None, results) -> None:
    if path is not None:
        from workoutcheck.history import HistoryDB

        with HistoryDB(path) as db:
            db.record(results)


def _max_bytes(max_size: float) -> int:
    """--max-size in bytes; inf or nan (which typer accepts as floats) are refused in one line."""
    from workoutcheck.errors import UsageError

    if not 0 < max_size <= MAX_MAX_MB:
        raise UsageError(
            f"--max-size: expected a number of MB up to {MAX_MAX_MB:,.0f}, got {max_size}"
        )
    return int(max_size * 1024 * 1024)


def _jobs(jobs: int | None) -> int | None:
    from workoutcheck.errors import UsageError

    if jobs is not None and jobs > MAX_JOBS:
        raise UsageError(f"--jobs: at most {MAX_JOBS} files at once, got {jobs}")
    return jobs


def _check_options(
    plan,
    laps: LapsMode,
    tolerance,
    race_model: str,
    overrides,
    partial: bool,
    max_size: float,
    unit: Unit | None = None,
):
    """CheckOptions from the command line, refusing a bad tolerance or race model now (exit 2)."""
    from workoutcheck.errors import UsageError
    from workoutcheck.plan.profile import parse_tolerance
    from workoutcheck.plan.resolve import RACE_MODELS
    from workoutcheck.run.pipeline import CheckOptions
    from workoutcheck.score import Thresholds, with_overrides

    max_bytes = _max_bytes(max_size)
    if tolerance is not None:
        parse_tolerance(tolerance, where="--tolerance")
    if race_model not in RACE_MODELS:
        raise UsageError(f"--race-model: expected riegel or vdot, got {race_model!r}")
    return CheckOptions(
        plan=plan,
        laps=laps.value,
        tolerance=tolerance,
        race_model=race_model,
        thresholds=with_overrides(Thresholds(), overrides or []),
        allow_partial=partial,
        max_bytes=max_bytes,
        unit=unit.value if unit is not None else None,
    )


def _report_errors(results, *, lines: bool = True) -> None:
    """Each file's error on stderr (``lines`` False: the table shows them already), and the
    traceback of an internal error (a bug) always: what a bug report needs."""
    from workoutcheck.errors import printable

    for result in results:
        if result.error and lines:
            typer.echo(
                f"workoutcheck: error: {printable(result.file)}: {printable(result.error)}",
                err=True,
            )
        _report_bug(result)


def _report_bug(result) -> None:
    if result.traceback:
        typer.echo(f"workoutcheck: {result.traceback}", err=True)


def _shown(results, output_format: str):
    """Results whose file names are safe to print (``errors.printable``), for every format but
    JSON, which escapes what it must itself and keeps names as they are."""
    from dataclasses import replace

    from workoutcheck.errors import printable

    if output_format == "json":
        return results
    return [replace(r, file=printable(r.file)) for r in results]


def _refuse_output_over_input(output: Path | None, files: list[Path]) -> None:
    """--output naming one of the inputs would overwrite a run with its report: refused."""
    if output is None:
        return
    from workoutcheck.errors import UsageError

    try:
        target = output.stat()
    except OSError:
        return  # not there yet: it cannot be an input
    for path in files:
        try:
            same = path.stat()
        except OSError:
            continue
        if (same.st_dev, same.st_ino) == (target.st_dev, target.st_ino):
            raise UsageError(
                f"{output}: --output names an input file; give another file for the report"
            )


@app.command(cls=_Command)
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Watch files (FIT, GPX, TCX, PWX, optionally .gz) or folders."),
    ],
    plan: PlanOpt = None,
    plan_file: PlanFileOpt = None,
    profile: ProfileOpt = None,
    laps: LapsOpt = LapsMode.auto,
    tolerance: ToleranceOpt = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help=choices_help(CHECK_FORMATS))
    ] = CheckFormat.table,
    output: OutputOpt = None,
    fail_on: FailOnOpt = FailOn.fail,
    overrides: SetOpt = None,
    race_model: RaceModelOpt = "riegel",
    partial: PartialOpt = False,
    jobs: JobsOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    history: HistoryOpt = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="With --format jsonl --output FILE: check only the files FILE has no line for yet.",
        ),
    ] = False,
    unit: UnitOpt = None,
    color: ColorOpt = ColorMode.auto,
) -> None:
    """Check each file's session against the plan: every rep's pace, evenness, recoveries, a score.

    \b
    Example:
      workoutcheck check run.fit --plan "5x1000m @ 3:45/km, 400m jog"
    """
    from workoutcheck.errors import UsageError
    from workoutcheck.plan import load_profile, resolve
    from workoutcheck.report.formats import render
    from workoutcheck.run.batch import run_checks
    from workoutcheck.run.files import expand_paths

    parsed = _load_plan(plan, plan_file)
    athlete = load_profile(profile) if profile is not None else None
    options = _check_options(
        parsed, laps, tolerance, race_model, overrides, partial, max_size, unit
    )
    jobs = _jobs(jobs)
    if parsed is not None:
        resolve(
            parsed, athlete, tolerance, race_model=race_model
        )  # bad plan or missing value: exit 2 now
    files = expand_paths(paths)
    _refuse_output_over_input(output, files)
    if resume and (output_format is not CheckFormat.jsonl or output is None):
        raise UsageError("--resume needs --format jsonl and --output FILE (the output it resumes)")
    _refuse_unwritable_output(output)
    _open_history(history)
    from workoutcheck.report.formats import STREAMED

    if output_format.value in STREAMED:
        tasks = [(str(path), options, athlete) for path in files]
        raise typer.Exit(
            _check_streamed(
                tasks,
                jobs,
                output_format.value,
                output,
                resume=resume,
                history=history,
                warn_fails=fail_on is FailOn.warn,
            )
        )
    with _progress_bar(len(files)) as progress:
        results = run_checks(
            [(str(path), options, athlete) for path in files],
            jobs,
            progress=progress,
            keep_series=output_format is CheckFormat.html,
        )
    _record_history(history, results)
    _report_errors(results, lines=not _errors_shown_in_table(output_format.value, output))
    warn_fails = fail_on is FailOn.warn
    _emit(
        render(
            _shown(results, output_format.value),
            output_format.value,
            color=_use_colour(color, output),
            warn_as_failure=warn_fails,
        ),
        output,
    )
    raise typer.Exit(_exit_code(results, warn_fails))


def _refuse_unwritable_output(output: Path | None) -> None:
    """--output in a folder that cannot be written (read-only, full) is refused before any
    file is checked, not after the whole batch."""
    if output is None:
        return
    from workoutcheck.errors import UsageError
    from workoutcheck.run.atomic import check_writable

    try:
        check_writable(output.absolute().parent)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror or exc}") from None


def _check_streamed(
    tasks, jobs, fmt: str, output: Path | None, *, resume: bool, history, warn_fails: bool
) -> int:
    """The report written as each file's result arrives, in input order, holding none of
    them (``batch_output``); the exit code as ``_exit_code`` gives for the whole batch."""
    from workoutcheck.report.stream import stream_for
    from workoutcheck.run.batch import iter_checks
    from workoutcheck.run.batch_output import Sink, resume_point

    worst = _Worst(warn_fails)
    skip = (
        resume_point(output, [t[0] for t in tasks], worst.add_status)
        if resume and output is not None
        else 0
    )
    sink = Sink(output, append_lines=fmt == "jsonl", resume=resume)
    stream = stream_for(fmt, warn_as_failure=warn_fails)
    pending_history = []
    try:
        sink.write(stream.begin())
        with _progress_bar(len(tasks) - skip) as progress:
            for result in iter_checks(tasks[skip:], jobs, progress=progress, keep_series=False):
                _report_errors([result])
                worst.add(result)
                sink.write(stream.item(_shown([result], "json" if fmt == "jsonl" else fmt)[0]))
                if history is not None:
                    pending_history.append(result)
                    if len(pending_history) >= 200:
                        _record_history(history, pending_history)
                        pending_history = []
        stream.finish(sink.write)
        sink.close()
    except BaseException:
        sink.abort()
        raise
    _record_history(history, pending_history)
    return worst.code


class _Worst:
    """The batch's exit code, folded as results pass, so none has to be kept for it."""

    def __init__(self, warn_fails: bool) -> None:
        self.warn_fails = warn_fails
        self.seen: dict[str, bool] = {"unreadable": False, "error": False, "failed": False}

    def add(self, result) -> None:
        self.seen["unreadable"] |= result.exit_code == ExitCode.UNREADABLE
        self.seen["error"] |= bool(result.error)
        self.seen["failed"] |= result.status.value == "fail" or (
            self.warn_fails and result.status.value == "warn"
        )

    def add_status(self, status: str) -> None:
        """A result known only by its status (a line kept by --resume): an error there is a
        file that could not be checked."""
        self.seen["unreadable"] |= status == "error"
        self.seen["failed"] |= status == "fail" or (self.warn_fails and status == "warn")

    @property
    def code(self) -> int:
        if self.seen["unreadable"]:
            return ExitCode.UNREADABLE
        if self.seen["error"]:
            return ExitCode.USAGE
        return ExitCode.FAILED if self.seen["failed"] else ExitCode.OK


def _emit(text: str, output: Path | None) -> None:
    """Data to stdout, or to the file asked for (and only there), written atomically: a reader
    (or a kill) sees the old file or the whole report, never half of it and no stray file.
    A name that is not UTF-8 (a surrogate in ``text``) is written as a backslash escape."""
    data = text.encode("utf-8", "backslashreplace")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
        sys.stdout.buffer.flush()
        return
    from workoutcheck.errors import UsageError
    from workoutcheck.run.atomic import write_atomically

    try:
        write_atomically(output, data)  # CSV carries its own CRLF: bytes, no newline translation
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror or exc}") from None


def _exit_code(results, warn_fails: bool) -> int:
    """3 if a file could not be read, else 1 if a workout failed (or warned, with
    --fail-on warn), else 0."""
    worst = _Worst(warn_fails)
    for result in results:
        worst.add(result)
    return worst.code


@app.command(cls=_Command)
def watch(
    folder: Annotated[
        Path, typer.Argument(help="The folder watch files are dropped into (not its subfolders).")
    ],
    plan: PlanOpt = None,
    plan_file: PlanFileOpt = None,
    schedule: Annotated[
        Path | None, typer.Option("--schedule", help="TOML mapping dates and weekdays to plans.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write reports here instead of beside each file.")
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Check the files there now and exit (for cron).")
    ] = False,
    profile: ProfileOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    poll: Annotated[
        float,
        typer.Option(
            "--poll", help="Seconds between size checks; a file is read once unchanged for two."
        ),
    ] = 0.5,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history", help="The SQLite history database (default: FOLDER/.workoutcheck.db)."
        ),
    ] = None,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Keep no history and write no history.html.")
    ] = False,
    settle: Annotated[
        float,
        typer.Option(
            "--settle",
            help="Seconds a file that fails to read must stay unchanged before it gets an error report (a stalled copy is retried).",
        ),
    ] = 30.0,
) -> None:
    """Check each watch file dropped into FOLDER once it is complete, and write its reports.

    \b
    Example:
      workoutcheck watch ~/watch-files --plan "6x800m @ 3:50/km, 400m jog"
    """
    import signal
    import threading

    from workoutcheck.errors import UsageError
    from workoutcheck.plan import load_profile, resolve
    from workoutcheck.run.pipeline import CheckOptions
    from workoutcheck.watch.schedule import load_schedule
    from workoutcheck.watch.watcher import Watcher

    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder")
    if not 0 < poll <= MAX_POLL_S:
        raise UsageError(f"--poll must be a positive number of seconds, at most {MAX_POLL_S:.0f}")
    if not 0 <= settle <= MAX_SETTLE_S:
        raise UsageError(f"--settle must be a number of seconds from 0 to {MAX_SETTLE_S:.0f}")
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError(f"{out}: --out must be a folder")
    parsed = _load_plan(plan, plan_file)
    if parsed is not None and schedule is not None:
        raise UsageError("give the plan (--plan, --plan-file) or --schedule, not both")
    athlete = load_profile(profile) if profile is not None else None
    week = load_schedule(schedule) if schedule is not None else None
    for each in ([parsed] if parsed else []) + list(week.plans if week else ()):
        resolve(each, athlete)  # a plan needing a race time the profile lacks: exit 2 now
    options = CheckOptions(
        plan=parsed, max_bytes=_max_bytes(max_size)
    )  # bad --max-size: exit 2 now
    results = []
    live = None
    if not no_history:
        from workoutcheck.history import DEFAULT_NAME
        from workoutcheck.history.live import LiveHistory

        live = LiveHistory(history or folder / DEFAULT_NAME, out or folder)

    def tell(outcome) -> None:
        if outcome.result is not None:
            results.append(outcome.result)
            if live is not None:
                try:
                    live.add(outcome.result)
                except WorkoutcheckError as exc:  # the reports are written: keep watching
                    typer.echo(f"workoutcheck: error: {exc}", err=True)
        if outcome.line:
            typer.echo(outcome.line)
        if outcome.result is not None:
            _report_bug(outcome.result)

    watcher = Watcher(
        folder,
        options=options,
        profile=athlete,
        schedule=week,
        out_dir=out,
        poll_interval=poll,
        on_outcome=tell,
        settle=settle,
    )
    if not watcher.html:
        typer.echo(
            "workoutcheck: HTML reports are unavailable in this version; writing JSON reports only",
            err=True,
        )
    stop = threading.Event()
    main_thread = threading.current_thread() is threading.main_thread()
    previous = (
        {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
        if main_thread
        else {}
    )
    try:
        if once:
            watcher.process_existing(stop)
        else:
            watcher.run(
                stop, on_ready=lambda: typer.echo(f"watching {folder} (Ctrl-C to stop)", err=True)
            )
    except KeyboardInterrupt:
        pass  # a second Ctrl-C while a file was being checked: stop all the same
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if live is not None:
            live.close()
    raise typer.Exit(_exit_code(results, False) if once else ExitCode.OK)


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar on stderr, only when stderr is a terminal and there is
    more than one file. Refreshed from the callback (no refresh thread while workers fork)."""
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,
    ) as bar:
        task = bar.add_task("checking", total=total)

        def update(done: int, of: int) -> None:
            bar.update(task, completed=done, total=of)
            bar.refresh()

        yield update


@app.command(cls=_Command)
def squad(
    folder: Annotated[
        Path, typer.Argument(help="Folder of the squad's watch files (searched recursively).")
    ],
    roster: Annotated[
        Path,
        typer.Option("--roster", help="Roster TOML: each athlete's profile and file-name globs."),
    ],
    plan: PlanOpt = None,
    plan_file: PlanFileOpt = None,
    laps: LapsOpt = LapsMode.auto,
    tolerance: ToleranceOpt = None,
    output_format: Annotated[
        SquadFormat, typer.Option("--format", "-f", help=choices_help(FORMATS))
    ] = SquadFormat.table,
    output: OutputOpt = None,
    fail_on: FailOnOpt = FailOn.fail,
    overrides: SetOpt = None,
    race_model: RaceModelOpt = "riegel",
    partial: PartialOpt = False,
    jobs: JobsOpt = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    history: HistoryOpt = None,
    unit: UnitOpt = None,
    color: ColorOpt = ColorMode.auto,
) -> None:
    """Check a squad's files against one plan at each athlete's own paces: an overview, then every file.

    \b
    Example:
      workoutcheck squad tuesday/ --roster squad.toml --plan "5x1000m @ 5K pace, 400m jog"
    """
    from workoutcheck.errors import UsageError
    from workoutcheck.plan import load_roster
    from workoutcheck.report.formats import render
    from workoutcheck.run.files import expand_paths
    from workoutcheck.run.squad import run_squad

    parsed = _load_plan(plan, plan_file)
    if parsed is None:
        raise UsageError('give the plan everyone ran, e.g. --plan "5x1000m @ 5K pace, 400m jog"')
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder")
    team = load_roster(roster)
    options = _check_options(
        parsed, laps, tolerance, race_model, overrides, partial, max_size, unit
    )
    jobs = _jobs(jobs)
    paths_found = expand_paths([folder])
    _refuse_output_over_input(output, paths_found)
    files = [str(path) for path in paths_found]
    _open_history(history)
    with _progress_bar(len(files)) as progress:
        run = run_squad(files, team, options, jobs=jobs, progress=progress)
    run = _shown_squad(run, output_format.value)
    results = list(run.results)
    _record_history(history, results)
    _report_errors(results, lines=not _errors_shown_in_table(output_format.value, output))
    warn_fails = fail_on is FailOn.warn
    use_colour = _use_colour(color, output)
    if output_format is SquadFormat.table:
        from workoutcheck.report.squad_table import render_squad_table

        report = render_squad_table(results, run.overview, color=use_colour)
    elif output_format is SquadFormat.html:
        from workoutcheck.report.squad_html import render_squad_html

        title = f"workoutcheck: squad {team.name}" if team.name else None
        report = render_squad_html(results, run.overview.rows, title=title)
    else:
        report = render(results, output_format.value, color=use_colour, warn_as_failure=warn_fails)
    _emit(report, output)
    raise typer.Exit(_exit_code(results, warn_fails))


def _shown_squad(run, output_format: str):
    """``run`` with printable file names in its results and overview (as ``_shown``)."""
    from dataclasses import replace

    from workoutcheck.errors import printable

    if output_format == "json":
        return run
    rows = tuple(
        replace(r, file=printable(r.file)) if r.file is not None else r for r in run.overview.rows
    )
    return replace(
        run,
        results=tuple(_shown(run.results, output_format)),
        overview=replace(run.overview, rows=rows),
    )


@app.command("history", cls=_Command)
def history_command(
    database: Annotated[
        Path,
        typer.Argument(
            help="The history database written by --history (watch: FOLDER/.workoutcheck.db)."
        ),
    ],
    athlete: Annotated[
        str | None,
        typer.Option("--athlete", help="Only this athlete's sessions (the profile's name)."),
    ] = None,
    plan_like: Annotated[
        str | None,
        typer.Option(
            "--plan-like", help='Only sessions whose plan or shape contains this, e.g. "5x1000m".'
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only sessions from this day on, e.g. 2026-03-01.")
    ] = None,
    output_format: Annotated[
        HistoryFormat, typer.Option("--format", "-f", help=choices_help(HISTORY_FORMATS))
    ] = HistoryFormat.table,
    output: OutputOpt = None,
    forget: Annotated[
        bool,
        typer.Option(
            "--forget", help="Delete every stored session of --athlete instead of reporting."
        ),
    ] = False,
) -> None:
    """Every stored session, sessions of the same shape side by side, and the trends: rep pace,
    heart rate at the same pace, score over time.

    \b
    Example:
      workoutcheck history ~/watch-files/.workoutcheck.db --athlete Anna --plan-like 5x1000m
    """
    from workoutcheck.errors import UsageError
    from workoutcheck.history import Filters, HistoryDB, parse_since, report

    if forget:
        if athlete is None or plan_like is not None or since is not None:
            raise UsageError(
                "--forget deletes one athlete's sessions: give --athlete NAME and no other filter"
            )
        with HistoryDB(database, create=False) as db:
            typer.echo(f"deleted {db.forget(athlete)} sessions of {athlete} from {database}")
        return
    filters = Filters(athlete=athlete, plan_like=plan_like, since=parse_since(since))
    _emit(report(database, output_format.value, filters), output)


@app.command("workout", cls=_Command)
def workout_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The FIT workout file to write.")],
    text: PlanTextArg = None,
    plan_file: Annotated[
        Path | None, typer.Option("--plan-file", help="Read the plan from a file (text or FIT).")
    ] = None,
    profile: ProfileOpt = None,
    tolerance: ToleranceOpt = None,
    race_model: RaceModelOpt = "riegel",
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="The workout's name on the watch (default: the plan's title or text)."
        ),
    ] = None,
) -> None:
    """Write the resolved plan as a FIT workout file for the watch: steps, repeats, pace ranges.

    \b
    Example:
      workoutcheck workout "5x1000m @ 3:45/km, 400m jog" -o 5x1k.fit
    """
    from workoutcheck.errors import UsageError

    resolved = _resolved_plan(
        text,
        plan_file,
        profile,
        tolerance,
        race_model,
        'workoutcheck workout "5x1000m @ 3:45/km, 400m jog" -o 5x1k.fit',
    )
    try:
        from workoutcheck.export.fit_workout import encode_workout, workout_steps

        data = encode_workout(resolved, name)
    except ImportError:
        raise UsageError("workout needs Garmin's FIT encoder: pip install garmin-fit-sdk") from None
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the workout: {exc.strerror or exc}") from None
    typer.echo(
        f"wrote {output}: {len(workout_steps(resolved))} workout steps, {len(resolved.reps)} reps"
    )
    _print_notes(resolved.notes)


def main() -> None:
    """Console-script entry point. Typer turns every command's signature into click parameters
    at each start; when the first argument names a command (``check ...``), only that one is
    built, the rest cost a tenth of a one-file check's start. Anything else (``--help``, a
    mistyped name, shell completion) gets the whole app.

    OpenBLAS (numpy's linear algebra) starts one thread per core when numpy is imported;
    workoutcheck does no linear algebra big enough to use them, so unless the user chose a
    number, one thread is asked for before numpy is imported (this module imports it only
    inside the commands)."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    name = sys.argv[1] if len(sys.argv) > 1 else None
    everything = app.registered_commands
    chosen = [
        c
        for c in everything
        if (c.name or typer.main.get_command_name(c.callback.__name__ if c.callback else ""))
        == name
    ]
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    if chosen and not completing:
        app.registered_commands = chosen
    try:
        app()
    finally:
        app.registered_commands = everything
