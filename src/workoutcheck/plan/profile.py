"""Athlete profiles and squad rosters, read from TOML.

A profile holds what a plan's references need: race results (for ``5K pace``), goal times
(for ``75% goal``), a preferred pace unit and a per-athlete tolerance. A roster maps each
athlete of a squad to a profile and the file-name globs of their watch files, so one plan
resolves to different paces per athlete. Every error names the file and the key.

Profile::

    name = "Anna"
    unit = "km"                # or "mi": which pace the reports show first
    tolerance = "2%"           # or "3s" (per km) or "1s/400m"
    main_event = "400m"        # which goal a plain "75% goal" means
    max_hr = 192               # bpm; any of these three turns on the `recovered` check
    resting_hr = 48
    threshold_hr = 172
    [races]
    5K = "18:40"
    1K = "3:05"
    200m = 24.0
    [goals]
    400m = "52.0"

Roster (``profile`` is a path relative to the roster, or the profile keys are inline)::

    [athletes.anna]
    profile = "anna.toml"
    files = ["anna_*.fit", "anna-*.gpx"]
    [athletes.ben]
    name = "Ben"
    files = "ben_*"
    races = { 5K = "17:30" }
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workoutcheck.errors import PlanError, ProfileError
from workoutcheck.plan import plausible
from workoutcheck.plan.lexer import tokenize
from workoutcheck.plan.model import Tolerance
from workoutcheck.plan.paces import parse_time, race_distance, race_label
from workoutcheck.plan.parser import StepParser
from workoutcheck.plan.tomlfile import read_toml

_KEYS = {
    "name",
    "unit",
    "tolerance",
    "main_event",
    "races",
    "goals",
    "id",
    "max_hr",
    "resting_hr",
    "threshold_hr",
}
HR_KEYS = ("max_hr", "resting_hr", "threshold_hr")


@dataclass(frozen=True)
class Race:
    label: str  # canonical: "5K", "400m", "mile"
    distance_m: float
    time_s: float


@dataclass(frozen=True)
class Profile:
    name: str
    races: tuple[Race, ...] = ()
    goals: tuple[Race, ...] = ()
    unit: str = "km"
    tolerance: Tolerance | None = None
    main_event: str | None = None
    source: str = "profile"  # file name used in messages
    max_hr: float | None = None  # bpm
    resting_hr: float | None = None
    threshold_hr: float | None = None

    def race(self, distance_m: float) -> Race | None:
        return next((r for r in self.races if abs(r.distance_m - distance_m) < 0.5), None)

    def goal(self, distance_m: float) -> Race | None:
        return next((g for g in self.goals if abs(g.distance_m - distance_m) < 0.5), None)


@dataclass(frozen=True)
class Athlete:
    id: str
    profile: Profile
    patterns: tuple[str, ...]

    def matches(self, path: str | Path) -> bool:
        p = Path(path)
        return any(
            fnmatch.fnmatch(p.name.lower(), pat.lower())
            or fnmatch.fnmatch(str(p).lower(), pat.lower())
            for pat in self.patterns
        )


@dataclass(frozen=True)
class Roster:
    athletes: tuple[Athlete, ...]
    name: str | None = None

    def athlete_for(self, path: str | Path) -> Athlete | None:
        """The first athlete whose glob matches the file's name (or path), else None."""
        return next((a for a in self.athletes if a.matches(path)), None)


def parse_race(label: str, value: object, *, where: str = "--race") -> Race:
    """One race result; ``where`` prefixes errors ("anna.toml: races.5K")."""
    dist = race_distance(label)
    if dist is None:
        raise ProfileError(
            f'{where}: cannot read "{label}" as a race distance '
            "(expected e.g. 5K, 10K, 1500m, 400m, mile, half, marathon)"
        )
    try:
        secs = parse_time(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise ProfileError(
            f"{where}: cannot read {value!r} as a time (expected e.g. "
            '"18:40", "3:05", "24.0" or "1:02:30")'
        ) from None
    label = race_label(dist)
    _plausible_race(label, dist, value, secs, where)
    return Race(label, dist, secs)


def _plausible_race(label: str, dist: float, value: object, secs: float, where: str) -> None:
    """Refuse a race time no human runs (a 5K in 20 s), saying what was probably meant."""

    def to_pace(seconds: float) -> float:
        return seconds / dist * 1000.0

    why = plausible.problem(to_pace(secs), plausible.FASTEST_RACE_S_PER_KM)
    if why is None:
        return
    meant = plausible.likely_meant(str(value), to_pace, plausible.FASTEST_RACE_S_PER_KM)
    guess = f'; did you mean {label} = "{meant}"?' if meant else ""
    raise ProfileError(
        f"{where}: {value!r} is {plausible.pace_text(secs)} for {label}, a pace of "
        f"{plausible.pace_text(to_pace(secs))}/km: {why}{guess}"
    )


def parse_race_arg(text: str) -> Race:
    """A ``--race 5K=20:00`` option value."""
    label, sep, value = text.partition("=")
    if not sep:
        raise ProfileError(f"--race {text}: expected DISTANCE=TIME, e.g. 5K=20:00")
    return parse_race(label.strip(), value.strip(), where=f"--race {text}")


def parse_tolerance(text: object, *, where: str) -> Tolerance:
    """A tolerance as in plans ("±3s", "2%", "1s/400m"); a bare number means percent."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = f"{text}%"
    if not isinstance(text, str):
        raise ProfileError(f'{where}: expected a tolerance such as "2%" or "3s"')
    src = text.strip()
    src = src if src.startswith(("±", "+/-", "+-")) else "±" + src
    try:
        p = StepParser(src, tokenize(src))
        tol = p.tolerance()
        if tol is None or p.tok.kind != "EOF":
            raise PlanError("trailing text")
    except PlanError:
        raise ProfileError(
            f'{where}: cannot read "{text}" as a tolerance (expected e.g. "2%", "3s" or "1s/400m")'
        ) from None
    return tol


def profile_from_dict(data: Mapping[str, Any], *, source: str, default_name: str) -> Profile:
    unknown = sorted(set(data) - _KEYS - {"profile", "files"})
    if unknown:
        raise ProfileError(
            f"{source}: unknown key {unknown[0]!r} (expected {', '.join(sorted(_KEYS - {'id'}))})"
        )
    tables = {}
    for key in ("races", "goals"):
        table = data.get(key, {})
        if not isinstance(table, Mapping):
            raise ProfileError(f'{source}: {key} must be a table such as [{key}] 5K = "18:40"')
        tables[key] = tuple(
            parse_race(str(k), v, where=f"{source}: {key}.{k}") for k, v in table.items()
        )
    unit = str(data.get("unit", "km")).lower()
    unit = {"mile": "mi", "miles": "mi", "kilometre": "km", "kilometer": "km"}.get(unit, unit)
    if unit not in ("km", "mi"):
        raise ProfileError(f'{source}: unit: expected "km" or "mi", got {data["unit"]!r}')
    tol = data.get("tolerance")
    main = data.get("main_event")
    if main is not None:
        dist = race_distance(str(main))
        if dist is None:
            raise ProfileError(f"{source}: main_event: cannot read {main!r} as a distance")
        main = race_label(dist)
    return Profile(
        name=str(data.get("name", default_name)),
        races=tables["races"],
        goals=tables["goals"],
        unit=unit,
        tolerance=parse_tolerance(tol, where=f"{source}: tolerance") if tol is not None else None,
        main_event=main,
        source=source,
        **{key: _heart_rate(data.get(key), f"{source}: {key}") for key in HR_KEYS},
    )


def _heart_rate(value: object, where: str) -> float | None:
    """A heart rate from the profile, in bpm: a number from 30 to 250."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 30 <= value <= 250:
        raise ProfileError(f"{where}: expected a heart rate in bpm from 30 to 250, got {value!r}")
    return float(value)


def _read_toml(path: str | Path) -> dict[str, Any]:
    return read_toml(path, "the file", ProfileError)


def load_profile(path: str | Path) -> Profile:
    """Read an athlete profile TOML; raises ProfileError naming the file and key."""
    p = Path(path)
    return profile_from_dict(_read_toml(p), source=p.name, default_name=p.stem)


def load_roster(path: str | Path) -> Roster:
    """Read a squad roster TOML: ``[athletes.<id>]`` with ``profile``/inline keys and ``files``."""
    p = Path(path)
    data = _read_toml(p)
    athletes = data.get("athletes")
    if not isinstance(athletes, Mapping) or not athletes:
        raise ProfileError(f"{p.name}: expected [athletes.<id>] tables, one per athlete")
    out = []
    for aid, entry in athletes.items():
        where = f"{p.name}: athletes.{aid}"
        if not isinstance(entry, Mapping):
            raise ProfileError(f"{where}: expected a table")
        files = entry.get("files", f"{aid}*")
        patterns = (
            (files,)
            if isinstance(files, str)
            else tuple(files)
            if isinstance(files, list) and all(isinstance(f, str) for f in files)
            else None
        )
        if not patterns:
            raise ProfileError(f"{where}.files: expected a glob or a list of globs")
        if "profile" in entry:
            prof = load_profile(p.parent / str(entry["profile"]))
        else:
            prof = profile_from_dict(entry, source=where, default_name=str(aid))
        out.append(Athlete(str(aid), prof, patterns))
    name = data.get("name")
    return Roster(tuple(out), str(name) if name is not None else None)
