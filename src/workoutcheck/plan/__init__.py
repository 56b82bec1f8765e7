"""The plan language: parse a coach's plan, resolve it for an athlete, print it back.

Imports only ``workoutcheck.model`` and ``workoutcheck.errors`` (and the standard library),
so the library is usable without the CLI. The grammar is documented in
docs/plan-language.md.
"""

from workoutcheck.plan.fit_workout import plan_from_workout
from workoutcheck.plan.model import (
    Length,
    LengthKind,
    Progression,
    Repeat,
    Step,
    StepKind,
    Style,
    Target,
    TargetKind,
    Tolerance,
)
from workoutcheck.plan.parser import parse_plan
from workoutcheck.plan.printer import Plan, print_plan
from workoutcheck.plan.profile import (
    Athlete,
    Profile,
    Race,
    Roster,
    load_profile,
    load_roster,
    parse_race_arg,
)
from workoutcheck.plan.render import plan_dict, plan_rows, plan_text, text_table
from workoutcheck.plan.resolve import ResolvedPlan, ResolvedStep, resolve, scale_paces
from workoutcheck.plan.zones import zones, zones_tables, zones_text

__all__ = [
    "Athlete",
    "Length",
    "LengthKind",
    "Plan",
    "Profile",
    "Progression",
    "Race",
    "Repeat",
    "ResolvedPlan",
    "ResolvedStep",
    "Roster",
    "Step",
    "StepKind",
    "Style",
    "Target",
    "TargetKind",
    "Tolerance",
    "load_profile",
    "load_roster",
    "parse_plan",
    "parse_race_arg",
    "plan_dict",
    "plan_from_workout",
    "plan_rows",
    "plan_text",
    "print_plan",
    "resolve",
    "scale_paces",
    "text_table",
    "zones",
    "zones_tables",
    "zones_text",
]
