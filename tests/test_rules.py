"""The check registry (``score/rules.py``) holds every check the scorer makes, truthfully:
the scorer makes the checks the table lists, in the table's order, and nothing else."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.conftest import SAMPLES
from workoutcheck import check_file
from workoutcheck.score import Thresholds
from workoutcheck.score.rules import BY_ID, RULES, SCOPES
from workoutcheck.score.scoring import WEIGHTS
from workoutcheck.score.thresholds import DEFAULTS, SHARED

NAMES = [
    "eight_by_400_track.fit",
    "six_by_800_missed.fit",
    "tempo_20min_road.tcx",
    "race_400m_track.fit",
]


def test_each_rule_is_well_formed():
    assert len(BY_ID) == len(RULES)
    for rule in RULES:
        assert callable(rule.check), rule.id
        assert rule.scope in SCOPES, rule.id
        assert rule.score_part is None or rule.score_part in WEIGHTS, rule.id
    # the table lists rep rules, then recovery rules, then session rules: its order is theirs
    scopes = [rule.scope for rule in RULES]
    assert scopes == sorted(scopes, key=SCOPES.index)


def test_each_threshold_belongs_to_one_rule_or_is_shared():
    owners = Counter(name for rule in RULES for name in rule.thresholds)
    assert max(owners.values()) == 1, [n for n, c in owners.items() if c > 1]
    assert not set(owners) & set(SHARED)
    assert set(DEFAULTS) == set(owners) | set(SHARED)
    th = Thresholds()
    for rule in RULES:
        for name, value in rule.thresholds.items():
            assert getattr(th, name) == value


def test_thresholds_are_given_by_name_and_immutable():
    th = Thresholds(fade_warn=0.05)
    assert th.fade_warn == 0.05 and th.fade_fail == BY_ID["fade"].thresholds["fade_fail"]
    assert th.replace(fade_fail=0.1).fade_fail == 0.1 and th.fade_fail != 0.1
    assert th == Thresholds(fade_warn=0.05) and th != Thresholds()
    with pytest.raises(TypeError, match="fade_wran"):
        Thresholds(fade_wran=0.05)
    with pytest.raises(AttributeError):
        th.fade_warn = 0.1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        _ = th.no_such_threshold


@pytest.mark.parametrize("name", NAMES)
def test_every_check_a_session_makes_is_registered_and_in_table_order(name):
    truth = json.loads((SAMPLES / name).with_suffix(".truth.json").read_text())
    result = check_file(SAMPLES / name, plan=truth["plan"])
    assert result.error is None
    ids = [c.id for c in result.checks]
    assert ids and set(ids) <= set(BY_ID)
    order = [rule.id for rule in RULES]
    # per segment (rep, then recovery) and then the session: each run in table order
    session = [i for i in ids if BY_ID[i].scope == "session"]
    assert ids[-len(session) :] == session
    assert session == sorted(session, key=order.index)
    per_rep: dict[int | None, list[str]] = {}
    for check in result.checks:
        if BY_ID[check.id].scope == "rep":
            per_rep.setdefault(check.rep, []).append(check.id)
    for rep_ids in per_rep.values():
        assert rep_ids == sorted(rep_ids, key=order.index)


def test_heart_rate_band_check_is_registered():
    """The check a heart-rate target makes (``hr_in_band``) is one rule: its thresholds come
    from it and ``--set`` reaches them."""
    rule = BY_ID["hr_in_band"]
    assert rule.scope == "rep"
    assert set(rule.thresholds) == {"hr_band_warn_share", "hr_band_fail_share"}


def test_thresholds_travel_to_batch_workers():
    """A batch sends its thresholds to worker processes: they pickle and copy whole."""
    import copy
    import pickle

    th = Thresholds(fade_warn=0.05)
    assert pickle.loads(pickle.dumps(th)) == th
    assert copy.deepcopy(th).fade_warn == 0.05
