"""The plan language: parse a coach's plan, resolve it for an athlete, print it back.

Imports only ``workoutcheck.model`` and ``workoutcheck.errors`` (and the standard library),
so the library is usable without the CLI. The grammar is documented in
docs/plan-language.md.

The plan table and the zones (``render``, ``zones``: what only ``workoutcheck plan``,
``zones`` and ``history`` print) are imported on first use, so a check does not load them.
"""

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

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
from workoutcheck.plan.resolve import (
    ResolvedPlan,
    ResolvedStep,
    resolve,
    scale_paces,
    scale_recoveries,
)

if TYPE_CHECKING:
    from workoutcheck.plan.render import plan_dict, plan_rows, plan_text, text_table
    from workoutcheck.plan.zones import zones, zones_tables, zones_text

_ON_USE = {  # name -> the module of this package that defines it, imported on first use
    "plan_dict": "render",
    "plan_rows": "render",
    "plan_text": "render",
    "text_table": "render",
    "zones": "zones",
    "zones_tables": "zones",
    "zones_text": "zones",
}


def __getattr__(name: str) -> Any:
    module = _ON_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """Keeps ``plan.zones`` the function: importing the submodule ``plan.zones`` binds it to
    the package's name, which would hide the function behind the module."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _ON_USE and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
    "scale_recoveries",
    "text_table",
    "zones",
    "zones_tables",
    "zones_text",
]
