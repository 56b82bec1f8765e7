"""workoutcheck: find the reps of an interval session in a watch file and check them against the plan.

Used from Python, one file at a time::

    import workoutcheck as wc

    activity = wc.load("run.fit")                                  # FIT, GPX, TCX or PWX, maybe .gz
    plan = wc.resolve(wc.parse_plan("5x1000m @ 3:45/km, 400m jog"))
    found = wc.segment(activity, plan)                             # where each rep was run
    result = wc.score(activity, found, plan)                       # checks, verdicts, score
    print(wc.render([result], "table"))                            # or json, csv, junit, html

or all of it at once, a file's errors becoming its error result: ``wc.check_file("run.fit",
plan="5x1000m @ 3:45/km, 400m jog")``. Errors a user can cause are ``wc.WorkoutcheckError``.

The functions below import the readers and numpy only when called, so ``import workoutcheck``
(and ``workoutcheck --help``) stays light.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workoutcheck.errors import ExitCode as ExitCode
from workoutcheck.errors import WorkoutcheckError as WorkoutcheckError

if TYPE_CHECKING:
    from workoutcheck.model import Activity
    from workoutcheck.plan import Plan, Profile, ResolvedPlan
    from workoutcheck.score import FileResult
    from workoutcheck.segment import Segmentation

__version__ = "0.1.0"

# the API (``help(workoutcheck)`` lists these); ``ExitCode`` and ``WorkoutcheckError`` are here
# too, from ``workoutcheck.errors``
__all__ = ["check_file", "load", "parse_plan", "render", "resolve", "score", "segment"]


class _Package(types.ModuleType):
    """This package, keeping its API functions ``score`` and ``segment`` when their
    namesake subpackages are imported: Python binds a submodule to its package's name
    (``workoutcheck.score``) on first import, which would turn ``wc.score`` into a module
    after its first call. The subpackages stay in ``sys.modules`` for every import."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and callable(self.__dict__.get(name)):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def load(path: str | Path | bytes, *, allow_partial: bool = False) -> Activity:
    """Read one watch file (its path, or its bytes) into an ``Activity``: the samples, laps and
    pauses, repaired. With ``allow_partial``, a damaged file gives its readable records."""
    from workoutcheck.ingest import load as _load

    return _load(path, allow_partial=allow_partial)


def parse_plan(text: str) -> Plan:
    """Parse plan text (``"wu 15min; 5x1000m @ 3:45/km, 400m jog; cd 10min"``) into a ``Plan``;
    the grammar is in docs/plan-language.md."""
    from workoutcheck.plan import parse_plan as _parse_plan

    return _parse_plan(text)


def resolve(
    plan: Plan,
    profile: Profile | None = None,
    tolerance: str | float | None = None,
    *,
    race_model: str = "riegel",
) -> ResolvedPlan:
    """Turn a ``Plan`` into target paces and bands, race paces taken from ``profile``
    (``workoutcheck.plan.load_profile`` reads one); ``tolerance`` is e.g. ``"2%"`` or ``"3s"``."""
    from workoutcheck.plan import resolve as _resolve

    return _resolve(plan, profile, tolerance, race_model=race_model)


def segment(activity: Activity, plan: ResolvedPlan | None, *, laps: str = "auto") -> Segmentation:
    """Find the plan's steps in the activity (``laps``: auto, use or ignore the device laps);
    with no plan, describe the session that was run."""
    from workoutcheck.segment import segment as _segment

    return _segment(activity, plan, laps=laps)


def score(
    activity: Activity,
    found: Segmentation,
    plan: ResolvedPlan | None,
    *,
    profile: Profile | None = None,
) -> FileResult:
    """Every check on the segmented session, its verdicts and its 0-100 score."""
    from workoutcheck.score import score as _score

    return _score(activity, found, plan, profile=profile)


def check_file(
    path: str | Path, plan: str | Plan | None = None, profile: Profile | None = None, **options: Any
) -> FileResult:
    """Load, resolve, segment and score one file, as ``workoutcheck check`` does. ``plan`` is
    text or a ``Plan`` (None: the workout stored in the file, else the session is described);
    ``options`` are those of ``workoutcheck.run.pipeline.CheckOptions`` (laps, tolerance, ...).
    A file that cannot be checked gives an error result (``status`` error), never an exception."""
    from workoutcheck.run.pipeline import CheckOptions
    from workoutcheck.run.pipeline import check_file as _check_file

    if isinstance(plan, str):
        plan = parse_plan(plan)
    return _check_file(str(path), CheckOptions(plan=plan, **options), profile)


def render(results: list[FileResult], fmt: str = "table", *, color: bool = False) -> str:
    """The report of ``results`` as the CLI writes it: table, json, csv, junit or html."""
    from workoutcheck.report.formats import render as _render

    return _render(results, fmt, color=color)
