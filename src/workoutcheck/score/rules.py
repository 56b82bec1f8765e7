"""Every check in one table: its id, how it is called, its thresholds with their defaults,
the part of the session score its figures feed, and where its fault ranks in the squad
overview. Adding a check is a function returning a ``Check`` and one ``Rule`` here.

The order of ``RULES`` is the order checks are reported in: for each rep and recovery in
turn, the rules of its scope in table order; then the session's rules. ``score._checks``
only walks the segments and this table; ``thresholds.Thresholds`` takes its defaults from
it; ``scoring`` and ``overview`` read it instead of matching check ids of their own; and
``tests/test_rules.py`` holds every check a session produces to it.

A rule's ``check`` is given the ``Facts`` of what it judges (the session, and for a rep or
a recovery the segment), and returns a ``Check``, a list of them, or None where it does
not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workoutcheck.plan import StepKind
from workoutcheck.score import faults, heart, race, reps, session, uncertainty
from workoutcheck.score.result import Check, ScoredSegment
from workoutcheck.segment import SegmentKind

if TYPE_CHECKING:
    from workoutcheck.model import Activity
    from workoutcheck.plan import Profile, ResolvedPlan, ResolvedStep
    from workoutcheck.score.thresholds import Thresholds
    from workoutcheck.segment import Segment, Segmentation


@dataclass(frozen=True)
class Facts:
    """What a check is given: the session, and for a rep or a recovery the segment judged
    (``ss``), its step of the plan, and the rep before it."""

    activity: Activity
    found: Segmentation
    plan: ResolvedPlan
    profile: Profile | None
    th: Thresholds
    segments: list[ScoredSegment]
    reps: list[ScoredSegment]  # the segments that are reps (run or missed)
    continuous: bool  # one rep: a continuous run (tempo) rather than intervals
    scored: ScoredSegment | None = None  # the rep or recovery judged; None for the session
    last_rep: int | None = None  # the number of the rep last run before it
    last_rep_scored: ScoredSegment | None = None

    @classmethod
    def of_session(
        cls,
        activity: Activity,
        found: Segmentation,
        plan: ResolvedPlan,
        profile: Profile | None,
        th: Thresholds,
        segments: list[ScoredSegment],
    ) -> Facts:
        reps = [ss for ss in segments if ss.segment.kind is SegmentKind.REP]
        return cls(activity, found, plan, profile, th, segments, reps, len(plan.reps) == 1)

    @property
    def ss(self) -> ScoredSegment:
        assert self.scored is not None, "a rep or recovery rule"
        return self.scored

    @property
    def seg(self) -> Segment:
        return self.ss.segment

    @property
    def step(self) -> ResolvedStep | None:
        index = self.seg.step
        return self.plan.steps[index] if index is not None else None

    @property
    def lag(self) -> float:
        return self.found.lag_s

    @property
    def laps(self) -> bool:
        return self.found.laps_used

    @property
    def race(self) -> bool:
        step = self.step
        return step is not None and step.kind is StepKind.RACE


Made = Check | Iterable[Check] | None


@dataclass(frozen=True)
class Rule:
    id: str
    scope: str  # what it judges: each "rep" run, each "recovery", or the "session"
    check: Callable[[Facts], Made]  # how the check is called
    # its thresholds and their defaults, each overridable (``--set NAME=VALUE``)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    when: Callable[[Facts], bool] | None = None  # None: always, within its scope
    score_part: str | None = None  # the part of the score (``scoring.WEIGHTS``) its figures feed
    # among faults of the same status, lower is read first in the squad overview; None: the
    # default for its scope (session-level 2, per rep 3)
    fault_order: int | None = None

    def make(self, facts: Facts) -> list[Check]:
        """The checks this rule makes on ``facts`` (none where it does not apply)."""
        if self.when is not None and not self.when(facts):
            return []
        made = self.check(facts)
        if made is None:
            return []
        if isinstance(made, Check):
            return [made]
        return list(made)


def _intervals(f: Facts) -> bool:
    return not f.race and not f.continuous


RULES = (
    # -- each rep run ---------------------------------------------------------------------
    Rule(
        "rep_pace",
        "rep",
        lambda f: reps.rep_pace(f.ss, f.th),
        # outside the band is a warning; beyond this many tolerances off it fails
        {"rep_pace_fail_tolerances": 2.0},
    ),
    Rule(
        "hr_in_band",
        "rep",
        lambda f: heart.hr_in_band(f.ss, f.th),
        # heart-rate targets (150-160bpm, Z4): the share of a rep, after its first 60 s, that
        # the heart rate spent in the band: under warn warns, under fail fails
        {"hr_band_warn_share": 0.7, "hr_band_fail_share": 0.4},
    ),
    Rule(
        "rep_stopped",
        "rep",
        lambda f: faults.rep_stopped(f.activity, f.ss, f.th),
        # a stop inside a rep: distance rising slower than this (m/s), for this long (s)
        {"rep_stopped_speed": 1.0, "rep_stopped_min_s": 5.0},
    ),
    Rule(
        "rep_length",
        "rep",
        lambda f: faults.rep_length(f.ss, f.step, f.th, f.activity),
        # a rep cut short or run long (measured distance or time against the plan)
        {"rep_length_warn": 0.06, "rep_length_fail": 0.15},
    ),
    Rule(
        "race_model",
        "rep",
        lambda f: race.race_checks(
            f.ss, f.profile, f.th, race.split_noise_s(f.activity, f.seg, f.laps, f.lag, f.th)
        ),
        # 400 m: first 200 m against 200 m PR + offset; 200-200 differential. 1000 m: first
        # 200 m quicker than goal pace, last 200 m quicker than the middle
        {
            "race400_offset_s": 1.5,
            "race400_differential_s": 1.0,
            "race400_warn_s": 0.5,
            "race400_fail_s": 1.0,
            "race1k_middle_warn": 0.02,
        },
        when=lambda f: f.race,
    ),
    Rule(
        "tempo_even",
        "rep",
        lambda f: reps.tempo_even(
            f.activity,
            f.ss,
            f.lag,
            f.th,
            uncertainty.start_ratio_noise(f.activity, f.seg, f.laps, f.lag, 0.2, f.th),
        ),
        # a continuous run's first fifth against the rest
        {"tempo_start_warn": 0.03, "tempo_start_fail": 0.06},
        when=lambda f: not f.race and f.continuous,
    ),
    Rule(
        "even_effort",
        "rep",
        lambda f: reps.even_effort(
            f.ss, f.th, uncertainty.split_cv_noise(f.activity, f.seg, f.lag), f.activity, f.lag
        ),
        # coefficient of variation of a rep's split paces
        {"even_effort_warn_cv": 0.04, "even_effort_fail_cv": 0.08},
        when=_intervals,
        score_part="evenness",
    ),
    Rule(
        "start_too_fast",
        "rep",
        lambda f: reps.start_too_fast(
            f.activity,
            f.ss,
            f.lag,
            f.th,
            uncertainty.start_ratio_noise(
                f.activity, f.seg, f.laps, f.lag, f.th.start_fast_fraction, f.th
            ),
        ),
        # the first quarter (fraction) of a rep this much quicker than the rest
        {"start_fast_warn": 0.04, "start_fast_fail": 0.08, "start_fast_fraction": 0.25},
        when=_intervals,
    ),
    # -- each recovery --------------------------------------------------------------------
    Rule(
        "recovery",
        "recovery",
        lambda f: reps.recovery(f.ss, f.step, f.last_rep, f.th),
        # longer or shorter than prescribed by this fraction; slower than recovery_stood_speed
        # (m/s) over a jog means the runner stood
        {"recovery_warn": 0.25, "recovery_fail": 0.60, "recovery_stood_speed": 1.0},
        score_part="recovery",
    ),
    Rule(
        "recovered",
        "recovery",
        lambda f: heart.recovered(f.ss, f.last_rep_scored, f.last_rep, f.profile, f.th),
        # profiles with max_hr or threshold_hr: the heart rate at a recovery's end over this
        # fraction of the rep's maximum warns
        {"recovered_fraction": 0.85},
    ),
    # -- the session ----------------------------------------------------------------------
    Rule(
        "first_rep_too_fast",
        "session",
        lambda f: session.first_rep_too_fast(f.reps, f.th),
        # rep 1 this much quicker than the median of the others
        {"first_rep_warn": 0.03, "first_rep_fail": 0.06},
        when=lambda f: not f.continuous,
        fault_order=1,
    ),
    Rule(
        "fade",
        "session",
        lambda f: session.fade(f.reps, f.th),
        # fitted slowing from the first rep to the last (relative to the targets)
        {"fade_warn": 0.03, "fade_fail": 0.06},
        when=lambda f: not f.continuous,
        fault_order=1,
    ),
    Rule(
        "consistency",
        "session",
        lambda f: session.consistency(f.reps, f.th),
        # spread (coefficient of variation) of rep paces relative to their targets
        {"consistency_warn_cv": 0.03, "consistency_fail_cv": 0.06},
        when=lambda f: not f.continuous,
        fault_order=1,
    ),
    Rule(
        "missing_rep",
        "session",
        lambda f: session.missing_reps(f.segments, f.plan),
        fault_order=0,
    ),
    Rule("extra_rep", "session", lambda f: session.extra_efforts(f.segments)),
)
BY_ID = {rule.id: rule for rule in RULES}
SCOPES = ("rep", "recovery", "session")
BY_SCOPE = {scope: tuple(rule for rule in RULES if rule.scope == scope) for scope in SCOPES}
FAULT_ORDER = {rule.id: rule.fault_order for rule in RULES if rule.fault_order is not None}
SCORE_PART = {rule.id: rule.score_part for rule in RULES if rule.score_part is not None}
THRESHOLDS = {name: value for rule in RULES for name, value in rule.thresholds.items()}
