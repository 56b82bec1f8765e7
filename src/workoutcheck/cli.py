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


def main() -> None:
    """Console-script entry point."""
    app()
