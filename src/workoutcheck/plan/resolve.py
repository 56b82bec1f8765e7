"""A plan made concrete for one athlete: every step gets seconds, metres and a pace band.

References resolve from the profile: ``5K pace`` from the 5K result if there is one, else
from the nearest known race (by distance ratio) with Riegel (default) or Daniels' VDOT; the
model used is recorded on each step. ``75% goal`` is 75% of goal SPEED: pace = goal pace /
0.75. Progressions are spread evenly in pace from the first rep to the last.

Tolerance, most specific first: the step's own (``±3s``), ``--tolerance``, the profile's,
then the default ±2% of the target pace. Seconds in a step's tolerance are per the unit its
target is written in (``18s/100m ±0.5s``: per 100 m; ``in 80s ±1s``, ``5K pace ±1s``: per
rep); seconds from ``--tolerance`` or a profile are per km unless they say ``/400m``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from workoutcheck.errors import PlanError
from workoutcheck.model.text import format_time
from workoutcheck.plan import plausible
from workoutcheck.plan.heart_zones import heart_band
from workoutcheck.plan.kinds import flatten, infer_kinds, prog_fraction
from workoutcheck.plan.model import (
    LengthKind,
    Progression,
    Step,
    StepKind,
    Style,
    Target,
    TargetKind,
    Tolerance,
)
from workoutcheck.plan.paces import (
    per_meters,
    race_distance,
    race_label,
    riegel_time,
    vdot,
    vdot_race_time,
)
from workoutcheck.plan.printer import Plan, print_step, print_tolerance
from workoutcheck.plan.profile import Profile, parse_tolerance

DEFAULT_TOLERANCE = Tolerance(2.0, "%")
RACE_MODELS = ("riegel", "vdot")


@dataclass(frozen=True)
class ResolvedStep:
    step: Step
    kind: StepKind
    rep: int | None
    block: int | None
    iteration: int | None
    style: Style | None
    optional: bool
    implicit: bool
    distance_m: float | None  # prescribed distance
    duration_s: float | None  # prescribed duration (for "equal": the rep's expected time)
    equal_to_rep: bool  # the duration is "as long as the rep before took"
    pace_s_per_km: float | None  # the target
    fastest_s_per_km: float | None  # the tolerance band
    slowest_s_per_km: float | None
    expected_s: float | None  # how long the step should take
    expected_m: float | None  # how far it should go
    tolerance: str | None  # "±2% (default)"
    basis: str | None  # how the target was found: "3:45/km", "Riegel from 5K 18:40"
    model: str | None  # absolute, rep-time, same-distance, riegel, vdot, goal, race-goal
    hr_low_bpm: float | None = None  # a heart-rate target's band (no pace target then)
    hr_high_bpm: float | None = None
    hr_basis: str | None = None  # how the band was found: "Z4: 80%-90% of HR reserve, ..."

    @property
    def terrain(self) -> str | None:
        """ "uphill" for hill reps (their pace target is absent unless the plan gives one)."""
        return self.step.terrain

    @property
    def stationary_ok(self) -> bool:
        return self.style is not None and self.style.stationary_ok

    @property
    def text(self) -> str:
        return print_step(self.step) if not self.implicit else "(unprescribed recovery)"


@dataclass(frozen=True)
class ResolvedPlan:
    plan: Plan
    steps: tuple[ResolvedStep, ...]
    athlete: str | None
    race_model: str
    unit: str  # "km" or "mi": the athlete's preferred unit
    notes: tuple[str, ...] = ()  # how ambiguous forms of the plan were read

    @property
    def reps(self) -> tuple[ResolvedStep, ...]:
        return tuple(s for s in self.steps if s.kind in (StepKind.WORK, StepKind.RACE))


def scale_paces(plan: ResolvedPlan, factor: float) -> ResolvedPlan:
    """The plan with every target pace ``factor`` times slower (and the expected time of a
    paced distance step, or the expected distance of a paced timed step, with it): what rep
    finding aligns when the runner ran the whole session at another level than prescribed."""
    if factor == 1.0:
        return plan

    def mul(x: float | None) -> float | None:
        return None if x is None else x * factor

    steps = []
    for s in plan.steps:
        paced = s.pace_s_per_km is not None
        exp_s = s.expected_s * factor if (paced and s.expected_s and s.distance_m) else s.expected_s
        exp_m = s.expected_m / factor if (paced and s.expected_m and s.duration_s) else s.expected_m
        steps.append(
            replace(
                s,
                pace_s_per_km=mul(s.pace_s_per_km),
                fastest_s_per_km=mul(s.fastest_s_per_km),
                slowest_s_per_km=mul(s.slowest_s_per_km),
                expected_s=exp_s,
                expected_m=exp_m,
            )
        )
    return replace(plan, steps=tuple(steps))


def resolve(
    plan: Plan,
    profile: Profile | None = None,
    tolerance: Tolerance | str | float | None = None,
    *,
    race_model: str = "riegel",
) -> ResolvedPlan:
    """Resolve ``plan`` for ``profile``; raises PlanError naming any missing profile value."""
    if race_model not in RACE_MODELS:
        raise PlanError(f"plan: unknown race model {race_model!r} (expected riegel or vdot)")
    if tolerance is not None and not isinstance(tolerance, Tolerance):
        tolerance = parse_tolerance(tolerance, where="--tolerance")
    r = _Resolver(profile, tolerance, race_model)

    def quiet_pace(step: Step) -> float | None:
        try:
            return r.centre(step)[0]
        except PlanError:
            return None

    notes = list(plan.notes)
    tree = infer_kinds(plan.items, quiet_pace, notes=notes)
    steps = flatten(tree)
    out: list[ResolvedStep] = []
    for s in steps:
        out.append(r.step(s, out))
    return ResolvedPlan(
        plan,
        tuple(out),
        profile.name if profile else None,
        race_model,
        profile.unit if profile else "km",
        tuple(notes),
    )


def _plausible(step: Step, amount: float, to_pace: Callable[[float], float], what: str) -> None:
    """Refuse a typed pace or rep time no human runs, saying what was probably meant; ``what``
    writes the target for a time in seconds ("3:45/km", "400m in 6:30")."""
    fastest = (
        plausible.FASTEST_RACE_S_PER_KM
        if (step.length.meters or 1e9) <= plausible.SPRINT_M
        else plausible.FASTEST_RUN_S_PER_KM
    )
    pace = to_pace(amount)
    why = plausible.problem(pace, fastest)
    if why is None:
        return
    meant = plausible.likely_meant(f"{amount:g}", to_pace, fastest)
    guess = f"; did you mean {what.format(meant)}?" if meant else ""
    raise PlanError(
        f'plan: "{print_step(step)}": a pace of {plausible.pace_text(pace)}/km is {why}{guess}'
    )


class _Resolver:
    def __init__(self, profile: Profile | None, tolerance: Tolerance | None, model: str) -> None:
        self.profile, self.cli_tol, self.model = profile, tolerance, model

    # --- targets -------------------------------------------------------------------------
    def centre(self, step: Step) -> tuple[float | None, float | None, float | None, str, str]:
        """(pace, range fast, range slow, basis, model) of a step's target, s/km."""
        t = step.target
        if t is None:
            if step.kind is StepKind.RACE and self.profile and step.length.meters:
                return self.race_goal(step.length.meters)
            return None, None, None, "", ""
        if isinstance(t, Progression):
            if t.first.by_heart_rate or t.last.by_heart_rate:
                raise PlanError(
                    f'plan: "{print_step(step)}": a heart-rate target cannot '
                    "progress; give each rep its own band (150-160bpm, Z4)"
                )
            a, _, _, ba, ma = self.one(t.first, step)
            b, _, _, bb, mb = self.one(t.last, step)
            assert a is not None and b is not None
            basis = f"{ba} -> {bb}"
            model = ma if ma == mb else f"{ma} -> {mb}"
            if t.count <= 1:
                return (a + b) / 2, min(a, b), max(a, b), basis, model
            return a + (b - a) * prog_fraction(t), None, None, basis, model
        return self.one(t, step)

    def one(
        self, t: Target, step: Step
    ) -> tuple[float | None, float | None, float | None, str, str]:
        if t.by_heart_rate:
            return None, None, None, "", ""  # judged on heart rate (see ``heart_zones``)
        if t.kind is TargetKind.PACE:
            k = 1000.0 / per_meters(t.per)
            for amount in (t.amount, t.amount_to):
                if amount is not None:
                    _plausible(step, amount, lambda secs, k=k: secs * k, "{}/" + t.per)  # type: ignore[misc]
            if t.amount_to is None:
                basis = f"{format_time(t.amount, 1 if t.amount < 60 else 0)}/{t.per}"
                return t.amount * k, None, None, basis, "absolute"
            lo, hi = sorted((t.amount * k, t.amount_to * k))
            basis = f"{format_time(t.amount)}-{format_time(t.amount_to)}/{t.per}"
            return (lo + hi) / 2, lo, hi, basis, "absolute"
        if t.kind is TargetKind.REP_TIME:
            d = step.length.meters
            if not d:
                raise PlanError(
                    f'plan: "{print_step(step)}": a time for the rep needs a '
                    "distance rep (e.g. 400m in 80s)"
                )
            _plausible(step, t.amount, lambda secs: secs * 1000.0 / d, f"{d:g}m in {{}}")
            basis = f"{format_time(t.amount, 1)} for {d:g} m"
            return t.amount * 1000.0 / d, None, None, basis, "rep-time"
        if t.kind is TargetKind.RACE_PACE:
            assert t.race is not None
            pace, basis, model = self.race_pace(t.race)
            return pace, None, None, basis, model
        goal_label, goal_s, goal_m = self.goal(t, step)
        pace = goal_s * 1000.0 / goal_m / (t.amount / 100.0)
        basis = f"{t.amount:g}% of {goal_label} goal {format_time(goal_s, 1)} (speed)"
        return pace, None, None, basis, "goal"

    def race_pace(self, label: str) -> tuple[float, str, str]:
        dist = race_distance(label)
        assert dist is not None
        p = self.profile
        if p is None:
            raise PlanError(
                f'plan: "{label} pace" needs the athlete\'s {label} race time, but no '
                f'profile was given (use --profile with [races] {label} = "mm:ss")'
            )
        same = p.race(dist)
        if same is not None:
            basis = f"{label} race {format_time(same.time_s, 1)}"
            return same.time_s * 1000.0 / dist, basis, "same-distance"
        if not p.races:
            raise PlanError(
                f'plan: "{label} pace" needs the {label} race time, but profile '
                f'{p.source} has no race results (add [races] {label} = "mm:ss")'
            )
        near = min(p.races, key=lambda r: abs(math.log(r.distance_m / dist)))
        if self.model == "vdot":
            v = vdot(near.distance_m, near.time_s)
            t = vdot_race_time(v, dist)
            basis = f"VDOT {v:.1f} from {near.label} {format_time(near.time_s, 1)}"
        else:
            t = riegel_time(near.time_s, near.distance_m, dist)
            basis = f"Riegel from {near.label} {format_time(near.time_s, 1)}"
        return t * 1000.0 / dist, f"{basis} -> {label} {format_time(t, 1)}", self.model

    def goal(self, t: Target, step: Step) -> tuple[str, float, float]:
        p = self.profile
        what = f"{t.race} goal" if t.race else "goal"
        if p is None:
            raise PlanError(
                f'plan: "{t.amount:g}% {what}" needs the athlete\'s {what} time, but '
                "no profile was given (use --profile with [goals])"
            )
        label = t.race or p.main_event
        if label is None:
            if len(p.goals) == 1:
                g = p.goals[0]
                return g.label, g.time_s, g.distance_m
            have = ", ".join(g.label for g in p.goals) or "none"
            raise PlanError(
                f'plan: "{t.amount:g}% goal" needs a goal time, but profile '
                f"{p.source} has {'several goals' if p.goals else 'no goals'} "
                f'({have}): set main_event or write e.g. "{t.amount:g}% 400m goal"'
            )
        dist = race_distance(label)
        assert dist is not None
        g = p.goal(dist)  # type: ignore[assignment]
        if g is None:
            raise PlanError(
                f'plan: "{t.amount:g}% {what}" needs the {label} goal time, but '
                f'profile {p.source} has none (add [goals] {label} = "m:ss")'
            )
        return g.label, g.time_s, g.distance_m

    def race_goal(self, dist: float) -> tuple[float | None, None, None, str, str]:
        """A race step's target: the goal for that distance, else its race pace, if known."""
        assert self.profile is not None
        g = self.profile.goal(dist)
        if g is not None:
            basis = f"{g.label} goal {format_time(g.time_s, 1)}"
            return g.time_s * 1000.0 / dist, None, None, basis, "race-goal"
        if not self.profile.races:
            return None, None, None, "", ""
        same, pr200 = self.profile.race(dist), self.profile.race(200.0)
        if abs(dist - 400.0) < 1e-6 and same is None and pr200 is not None:
            # the 400 m race model: out in 200 m PR + 1.5 s, back 1.0 s slower
            total = 2 * (pr200.time_s + 1.5) + 1.0
            basis = f"400 m race model from 200m {format_time(pr200.time_s, 1)}: {format_time(total, 1)}"
            return total * 1000.0 / dist, None, None, basis, "race-model"
        pace, basis, model = self.race_pace(race_label(dist))
        return pace, None, None, basis, model

    # --- steps ---------------------------------------------------------------------------
    def step(self, s: Step, done: list[ResolvedStep]) -> ResolvedStep:
        pace, lo, hi, basis, model = self.centre(s)
        hr_low = hr_high = hr_basis = None
        if isinstance(s.target, Target) and s.target.by_heart_rate:
            if s.tolerance is not None:
                raise PlanError(
                    f'plan: "{print_step(s)}": a tolerance is for a pace; a '
                    "heart-rate target is its band (write 150-160bpm)"
                )
            hr_low, hr_high, hr_basis = heart_band(s.target, self.profile, print_step(s))
        tol_text = None
        fast = slow = None
        if pace is not None:
            tol, origin = self.tolerance_for(s)
            if (
                lo is not None
                and hi is not None
                and s.tolerance is None
                and isinstance(s.target, Target)
            ):
                fast, slow, tol_text = lo, hi, "the range"
            else:
                delta = self.delta(tol, s, pace)
                fast = (lo if lo is not None else pace) - delta[0]
                slow = (hi if hi is not None else pace) + delta[1]
                tol_text = f"{print_tolerance(tol)} ({origin})"
        dist, dur = s.length.meters, s.length.seconds
        equal = s.length.kind is LengthKind.EQUAL
        if equal:
            prev = next(
                (d for d in reversed(done) if d.kind in (StepKind.WORK, StepKind.RACE)), None
            )
            dur = prev.expected_s if prev else None
        expected_s = dur if dur is not None else (dist * pace / 1000.0 if dist and pace else None)
        expected_m = dist if dist is not None else (dur * 1000.0 / pace if dur and pace else None)
        return ResolvedStep(
            step=s,
            kind=s.kind,
            rep=s.rep,
            block=s.block,
            iteration=s.iteration,
            style=s.style,
            optional=s.optional,
            implicit=s.implicit,
            distance_m=dist,
            duration_s=dur,
            equal_to_rep=equal,
            pace_s_per_km=pace,
            fastest_s_per_km=fast,
            slowest_s_per_km=slow,
            expected_s=expected_s,
            expected_m=expected_m,
            tolerance=tol_text,
            basis=basis or None,
            model=model or None,
            hr_low_bpm=hr_low,
            hr_high_bpm=hr_high,
            hr_basis=hr_basis,
        )

    def tolerance_for(self, s: Step) -> tuple[Tolerance, str]:
        if s.tolerance is not None:
            return s.tolerance, "plan"
        if self.cli_tol is not None:
            return _per_km(self.cli_tol), "--tolerance"
        if self.profile is not None and self.profile.tolerance is not None:
            return _per_km(self.profile.tolerance), "profile"
        return DEFAULT_TOLERANCE, "default"

    @staticmethod
    def delta(tol: Tolerance, s: Step, pace: float) -> tuple[float, float]:
        """(faster, slower) allowance in s/km."""
        if tol.unit == "%":
            return pace * tol.amount / 100.0, pace * tol.amount / 100.0
        per_m = per_meters(tol.per) if tol.per else _target_unit_m(s)
        d = tol.amount * 1000.0 / per_m
        return d, d


def _target_unit_m(s: Step) -> float:
    t = s.target.first if isinstance(s.target, Progression) else s.target
    if t is not None and t.kind is TargetKind.PACE:
        return per_meters(t.per)
    return s.length.meters or 1000.0


def _per_km(t: Tolerance) -> Tolerance:
    """Seconds from --tolerance or a profile without a unit are per km."""
    return replace(t, per=t.per or "km") if t.unit == "s" else t


def scale_recoveries(plan: ResolvedPlan, factor: float) -> ResolvedPlan:
    """The plan with every prescribed recovery ``factor`` times as long (its time or distance,
    and what it is expected to take): what rep finding aligns when the runner's recoveries ran
    that much longer than written."""
    if factor == 1.0:
        return plan

    def mul(x: float | None) -> float | None:
        return None if x is None else x * factor

    return replace(
        plan,
        steps=tuple(
            replace(
                s,
                duration_s=mul(s.duration_s),
                distance_m=mul(s.distance_m),
                expected_s=mul(s.expected_s),
                expected_m=mul(s.expected_m),
            )
            if s.kind is StepKind.RECOVERY and not s.implicit
            else s
            for s in plan.steps
        ),
    )
