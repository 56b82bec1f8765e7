"""Check one watch file against a plan: load, resolve, segment, score.

The pipeline for one file lives here so that ``check``, ``squad`` and ``watch`` run exactly
the same steps, and so that one file's error becomes that file's error result instead of
stopping a batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from workoutcheck.errors import InputError, WorkoutcheckError
from workoutcheck.ingest import MAX_FILE_BYTES, load
from workoutcheck.plan import Plan, Profile, plan_from_workout, resolve
from workoutcheck.score import FileResult, Thresholds, score
from workoutcheck.segment import segment


@dataclass(frozen=True)
class CheckOptions:
    """Everything that shapes a check, apart from the file and the athlete."""

    plan: Plan | None = None  # None: the plan embedded in the file, else describe the session
    laps: str = "auto"
    tolerance: str | None = None
    race_model: str = "riegel"
    thresholds: Thresholds = field(default_factory=Thresholds)
    allow_partial: bool = False
    max_bytes: int = MAX_FILE_BYTES  # larger files are refused before they are read
    unit: str | None = None  # "km" or "mi" for reports (--unit); None: the profile's unit


def check_file(path: str, options: CheckOptions, profile: Profile | None = None) -> FileResult:
    """The result for one file; errors the user can cause become an error result."""
    try:
        activity = load(
            path,
            allow_partial=options.allow_partial,
            max_bytes=options.max_bytes,
            max_unzipped_bytes=options.max_bytes,
        )
        plan = options.plan
        notes: tuple[str, ...] = ()
        if plan is None and activity.workout is not None:
            plan = plan_from_workout(activity.workout)
            notes = ("plan taken from the workout stored in the file",)
        resolved = (
            resolve(plan, profile, options.tolerance, race_model=options.race_model)
            if plan
            else None
        )
        if resolved is not None:
            notes = (*notes, *resolved.notes)
        found = segment(activity, resolved, laps=options.laps)
        result = score(activity, found, resolved, profile=profile, thresholds=options.thresholds)
    except InputError as exc:
        return FileResult.failed(path, exc.problem)
    except WorkoutcheckError as exc:
        return FileResult.failed(path, str(exc), exit_code=exc.exit_code)
    if notes:
        result = replace(result, notes=(*notes, *result.notes))
    return replace(result, unit=report_unit(options, profile))


def report_unit(options: CheckOptions, profile: Profile | None) -> str:
    """--unit if given, else the athlete's profile unit, else km."""
    return options.unit or (profile.unit if profile is not None else "km")
