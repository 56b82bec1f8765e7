"""The check registry (``score/rules.py``) holds every check the scorer makes, truthfully."""

from __future__ import annotations

import importlib
import json
from dataclasses import fields

import pytest

from tests.conftest import SAMPLES
from workoutcheck import check_file
from workoutcheck.score import Thresholds
from workoutcheck.score.rules import BY_ID, RULES

NAMES = [
    "eight_by_400_track.fit",
    "six_by_800_missed.fit",
    "tempo_20min_road.tcx",
    "race_400m_track.fit",
]


def test_each_rule_names_a_real_function_and_real_thresholds():
    names = {f.name for f in fields(Thresholds)}
    for rule in RULES:
        module, _, function = rule.function.partition(".")
        assert callable(
            getattr(importlib.import_module(f"workoutcheck.score.{module}"), function)
        ), rule.id
        assert set(rule.thresholds) <= names, rule.id
        assert rule.scope in ("rep", "recovery", "session")
    assert len(BY_ID) == len(RULES)


@pytest.mark.parametrize("name", NAMES)
def test_every_check_a_session_makes_is_registered(name):
    truth = json.loads((SAMPLES / name).with_suffix(".truth.json").read_text())
    result = check_file(SAMPLES / name, plan=truth["plan"])
    assert result.error is None
    ids = {c.id for c in result.checks}
    assert ids and ids <= set(BY_ID)
