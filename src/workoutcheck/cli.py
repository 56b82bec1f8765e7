"""The command line: parse options, call one library function, render, choose the exit code.

This is the only module that imports typer. Heavy modules (numpy, fitparse, gpxpy) are
imported inside the commands so ``workoutcheck --help`` starts quickly. Errors a user can
cause arrive as ``WorkoutcheckError`` and are turned into one line on stderr and an exit
code in exactly one place, ``_App.invoke``.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
import typer.core

from workoutcheck import __version__
from workoutcheck.errors import WorkoutcheckError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


class _App(typer.core.TyperGroup):
    """Turns every ``WorkoutcheckError`` into a one-line message and its exit code."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except WorkoutcheckError as exc:
            typer.echo(f"workoutcheck: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_App,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Find the reps of an interval session in FIT, GPX and TCX watch files and check them against the plan.",
)


class InfoFormat(str, Enum):
    table = "table"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"workoutcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """workoutcheck: is the session run as the coach prescribed?"""


@app.command()
def info(
    paths: Annotated[list[Path], typer.Argument(help="Watch files (FIT, GPX, TCX, optionally .gz) or folders.")],
    output_format: Annotated[InfoFormat, typer.Option("--format", "-f", help="table or json.")] = InfoFormat.table,
    partial: Annotated[
        bool, typer.Option("--partial", help="Use the readable part of a truncated or damaged file.")
    ] = False,
) -> None:
    """Summarise each file: sport, device, start, duration, distance, laps, pauses, embedded workout."""
    from rich.console import Console

    from workoutcheck.files import expand_paths
    from workoutcheck.ingest import load
    from workoutcheck.report.info import activity_summary, render_summary

    files = expand_paths(paths)
    console = Console(highlight=False)
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
        if output_format is InfoFormat.table:
            console.print(render_summary(summary))
    if output_format is InfoFormat.json:
        sys.stdout.write(json.dumps({"info_version": 1, "files": results}, indent=2) + "\n")
    if failed:
        raise typer.Exit(EXIT_UNREADABLE)


class PlanFormat(str, Enum):
    table = "table"
    json = "json"


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


def _print_tables(tables) -> None:  # type: ignore[no-untyped-def]
    """Draw (title, header, rows) tables with rich: colour only on a terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    for title, header, rows in tables:
        table = Table(title=title or None, title_justify="left")
        for col in header:
            table.add_column(col)
        for row in rows:
            table.add_row(*[str(c) for c in row])
        console.print(table)


@app.command("plan")
def plan_command(
    text: Annotated[str | None, typer.Argument(help='The plan, e.g. "5x1000m @ 3:45/km, 400m jog".')] = None,
    plan_file: Annotated[Path | None, typer.Option("--plan-file", help="Read the plan from a file.")] = None,
    profile: Annotated[
        Path | None, typer.Option("--profile", help="Athlete profile TOML (race times, goals).")
    ] = None,
    tolerance: Annotated[
        str | None, typer.Option("--tolerance", help='Pace tolerance, e.g. "2%" or "3s" (per km).')
    ] = None,
    race_model: Annotated[
        str, typer.Option("--race-model", help="How race paces are derived from other races: riegel or vdot.")
    ] = "riegel",
    output_format: Annotated[PlanFormat, typer.Option("--format", "-f", help="table or json.")] = PlanFormat.table,
) -> None:
    """Print the resolved plan: every step with its kind, length, target pace and tolerance band."""
    from workoutcheck.errors import UsageError
    from workoutcheck.plan import load_profile, parse_plan, plan_dict, plan_rows, resolve

    source = _read_plan_text(text, plan_file)
    if source is None:
        raise UsageError('give a plan, e.g. workoutcheck plan "5x1000m @ 3:45/km, 400m jog"')
    athlete = load_profile(profile) if profile is not None else None
    resolved = resolve(parse_plan(source), athlete, tolerance, race_model=race_model)
    if output_format is PlanFormat.json:
        sys.stdout.write(json.dumps(plan_dict(resolved), indent=2) + "\n")
        return
    header, rows = plan_rows(resolved)
    title = resolved.plan.name or resolved.plan.text
    if resolved.athlete:
        title += f"  ({resolved.athlete})"
    _print_tables([(title, header, rows)])


@app.command()
def zones(
    race: Annotated[
        list[str], typer.Option("--race", help='A race result, e.g. --race 5K=20:00 (repeatable).')
    ],
    goal: Annotated[
        str | None, typer.Option("--goal", help="Goal race for the %-of-goal tempo table, e.g. 400m=52.0.")
    ] = None,
    output_format: Annotated[PlanFormat, typer.Option("--format", "-f", help="table or json.")] = PlanFormat.table,
) -> None:
    """Training paces from VDOT, equivalent race times, critical speed, and the %-of-goal tempo table."""
    from workoutcheck.plan import zones as compute_zones
    from workoutcheck.plan import zones_tables

    result = compute_zones(race, goal)
    if output_format is PlanFormat.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    _print_tables(zones_tables(result))


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    junit = "junit"


class LapsMode(str, Enum):
    auto = "auto"
    use = "use"
    ignore = "ignore"


class FailOn(str, Enum):
    warn = "warn"
    fail = "fail"


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Watch files (FIT, GPX, TCX, optionally .gz) or folders.")],
    plan: Annotated[str | None, typer.Option("--plan", help='The session, e.g. "5x1000m @ 3:45/km, 400m jog".')] = None,
    plan_file: Annotated[Path | None, typer.Option("--plan-file", help="Read the plan from a file.")] = None,
    profile: Annotated[Path | None, typer.Option("--profile", help="Athlete profile TOML (race times, goals).")] = None,
    laps: Annotated[LapsMode, typer.Option("--laps", help="Device laps: auto (where they fit the plan), use, ignore.")] = LapsMode.auto,
    tolerance: Annotated[str | None, typer.Option("--tolerance", help='Pace tolerance, e.g. "2%" or "3s".')] = None,
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f", help="table, json, csv or junit.")] = CheckFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 on a failed check (fail) or also on a warning (warn).")] = FailOn.fail,
    overrides: Annotated[list[str] | None, typer.Option("--set", help="Override a threshold, e.g. --set fade_warn=0.05.")] = None,
    race_model: Annotated[str, typer.Option("--race-model", help="riegel or vdot, for race paces not in the profile.")] = "riegel",
    partial: Annotated[bool, typer.Option("--partial", help="Use the readable part of a truncated or damaged file.")] = False,
) -> None:
    """Check each file's session against the plan: every rep's pace, evenness, recoveries, a score."""
    from workoutcheck.check import CheckOptions, check_file
    from workoutcheck.files import expand_paths
    from workoutcheck.plan import load_profile, parse_plan, resolve
    from workoutcheck.report.formats import render
    from workoutcheck.score import Thresholds, with_overrides

    text = _read_plan_text(plan, plan_file)
    parsed = parse_plan(text) if text is not None else None
    athlete = load_profile(profile) if profile is not None else None
    if parsed is not None:
        resolve(parsed, athlete, tolerance, race_model=race_model)  # bad plan or missing value: exit 2 now
    options = CheckOptions(
        plan=parsed, laps=laps.value, tolerance=tolerance, race_model=race_model,
        thresholds=with_overrides(Thresholds(), overrides or []), allow_partial=partial,
    )
    results = [check_file(str(path), options, athlete) for path in expand_paths(paths)]
    for result in results:
        if result.error:
            typer.echo(f"workoutcheck: error: {result.file}: {result.error}", err=True)
    warn_fails = fail_on is FailOn.warn
    _emit(render(results, output_format.value, color=output is None and sys.stdout.isatty(),
                 warn_as_failure=warn_fails), output)
    raise typer.Exit(_exit_code(results, warn_fails))


def _emit(text: str, output: Path | None) -> None:
    """Data to stdout, or to the file asked for (and only there)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from workoutcheck.errors import UsageError

    try:
        with output.open("w", encoding="utf-8", newline="") as fh:  # CSV carries its own CRLF
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror or exc}") from None


def _exit_code(results, warn_fails: bool) -> int:  # type: ignore[no-untyped-def]
    """3 if a file could not be read, else 1 if a workout failed (or warned, with
    --fail-on warn), else 0."""
    if any(r.exit_code == EXIT_UNREADABLE for r in results):
        return EXIT_UNREADABLE
    if any(r.error for r in results):
        return EXIT_USAGE
    if any(r.status.value == "fail" or (warn_fails and r.status.value == "warn") for r in results):
        return EXIT_FAILED
    return EXIT_OK


def main() -> None:
    """Console-script entry point."""
    app()
