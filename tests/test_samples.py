"""The bundled sample files load to their known truth."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import SAMPLES
from workoutcheck.ingest import load

TRUTHS = sorted(SAMPLES.glob("*.truth.json"))
CASES = [(truth, name) for truth in TRUTHS for name in json.loads(truth.read_text())["files"]]


def test_there_are_samples_of_every_format():
    """The sample set holds FIT, GPX (plain and gzipped) and TCX files, each with a truth."""
    names = [name for _, name in CASES]
    assert len(TRUTHS) >= 8
    for suffix in (".fit", ".gpx", ".gpx.gz", ".tcx"):
        assert any(n.endswith(suffix) for n in names), suffix


@pytest.mark.parametrize(("truth_path", "name"), CASES, ids=[n for _, n in CASES])
def test_sample_loads_to_its_truth(truth_path, name):
    """Loaded duration and distance match the simulated truth within 1%."""
    truth = json.loads(truth_path.read_text())
    activity = load(SAMPLES / name)
    assert activity.duration_s == pytest.approx(truth["duration_s"], rel=0.01)
    assert activity.total_distance_m == pytest.approx(truth["distance_m"], rel=0.01)
    assert activity.start_time.isoformat().replace("+00:00", "Z") == truth["start_time"]
    assert activity.sport == "running"
    assert np.all(np.diff(activity.t) > 0)


def test_auto_paused_sample_has_its_pauses():
    """Standing rests with auto-pause: one timer pause per rest, inside each truth recovery."""
    activity = load(SAMPLES / "ten_by_200_autopause.fit")
    truth = json.loads((SAMPLES / "ten_by_200_autopause.truth.json").read_text())
    rests = [s for s in truth["segments"] if s["kind"] == "recovery"]
    timer = [p for p in activity.pauses if p.kind.value == "timer"]
    assert len(timer) == len(rests) == 10
    for pause, rest in zip(timer, rests, strict=True):
        assert (
            rest["start_s"] <= pause.start_s < pause.end_s <= rest["end_s"] + 3
        )  # resumes once moving
    assert activity.moving_s < activity.duration_s - 10 * 40


def test_structured_workout_is_read_from_the_sample():
    """The progressive session carries its workout: five 1000 m steps with speed targets."""
    activity = load(SAMPLES / "progressive_1000s.fit")
    steps = activity.workout.steps
    reps = [s for s in steps if s.duration_m == 1000.0]
    assert len(reps) == 5
    # 5:30/km is 3.03 m/s; targets get faster rep by rep
    lows = [s.speed_low for s in reps]
    assert lows == sorted(lows)
    assert 1000 / reps[0].speed_low == pytest.approx(330, rel=0.03)
    assert {lap.wkt_step_index for lap in activity.laps} >= {s.index for s in reps}
