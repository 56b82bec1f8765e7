"""Every check in one table: its id, the function that makes it, the thresholds it reads, the
part of the session score its figures feed, and where its fault ranks in the squad overview.

``scoring`` and ``overview`` read this table instead of matching check ids of their own, and
``tests/test_rules.py`` holds every check a session produces to it, so a check's facts are in
one place. The order checks run in, and so the order reports list them, is ``score._checks``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    function: str  # the module and function making the Check, e.g. "reps.rep_pace"
    scope: str  # what it judges: "rep", "recovery" or "session"
    thresholds: tuple[str, ...] = ()  # the fields of ``Thresholds`` it reads (--set NAME=...)
    score_part: str | None = None  # the part of the score (``scoring.WEIGHTS``) its figures feed
    # among faults of the same status, lower is read first in the squad overview; None: the
    # default for its scope (session-level 2, per rep 3)
    fault_order: int | None = None


RULES = (
    Rule("rep_pace", "reps.rep_pace", "rep", ("rep_pace_fail_tolerances",)),
    Rule("rep_stopped", "faults.rep_stopped", "rep", ("rep_stopped_speed", "rep_stopped_min_s")),
    Rule("rep_length", "faults.rep_length", "rep", ("rep_length_warn", "rep_length_fail")),
    Rule(
        "race_model",
        "race.race_checks",
        "rep",
        (
            "race400_offset_s",
            "race400_differential_s",
            "race400_warn_s",
            "race400_fail_s",
            "race1k_middle_warn",
        ),
    ),
    Rule("tempo_even", "reps.tempo_even", "rep", ("tempo_start_warn", "tempo_start_fail")),
    Rule(
        "even_effort",
        "reps.even_effort",
        "rep",
        ("even_effort_warn_cv", "even_effort_fail_cv"),
        "evenness",
    ),
    Rule(
        "start_too_fast",
        "reps.start_too_fast",
        "rep",
        ("start_fast_warn", "start_fast_fail", "start_fast_fraction"),
    ),
    Rule(
        "recovery",
        "reps.recovery",
        "recovery",
        ("recovery_warn", "recovery_fail", "recovery_stood_speed"),
        "recovery",
    ),
    Rule("recovered", "heart.recovered", "recovery", ("recovered_fraction",)),
    Rule(
        "first_rep_too_fast",
        "session.first_rep_too_fast",
        "session",
        ("first_rep_warn", "first_rep_fail"),
        fault_order=1,
    ),
    Rule("fade", "session.fade", "session", ("fade_warn", "fade_fail"), fault_order=1),
    Rule(
        "consistency",
        "session.consistency",
        "session",
        ("consistency_warn_cv", "consistency_fail_cv"),
        fault_order=1,
    ),
    Rule("missing_rep", "session.missing_reps", "session", fault_order=0),
    Rule("extra_rep", "session.extra_efforts", "session"),
)
BY_ID = {rule.id: rule for rule in RULES}
FAULT_ORDER = {rule.id: rule.fault_order for rule in RULES if rule.fault_order is not None}
SCORE_PART = {rule.id: rule.score_part for rule in RULES if rule.score_part is not None}
