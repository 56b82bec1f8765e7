"""The loop closes: a session run from a workout that ``workoutcheck workout`` wrote (samplegen
plays the watch: it runs the FIT steps in order and laps at each, carrying wkt_step_index) is
checked with ``--laps auto`` and every boundary lands on its lap."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from samplegen import LapSettings, Runner, SampleSpec, Segment, Session, TrackRoute, WatchSettings
from samplegen.build import build_sample
from workoutcheck.export.fit_workout import workout_steps
from workoutcheck.ingest import load
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.segment import segment

pytest.importorskip("garmin_fit_sdk")

EASY = {"warmup": 390.0, "cooldown": 400.0, "recovery": 420.0}
OPEN_S = 60.0  # how long the runner takes over an open step before pressing lap


def executed(steps: list[dict]) -> list[dict]:
    """The FIT steps in the order a watch runs them (repeat steps expanded)."""
    out: list[dict] = []
    k, done = 0, {}
    while k < len(steps):
        m = steps[k]
        if m["duration_type"] == "repeat_until_steps_cmplt":
            done[k] = done.get(k, 0) + 1
            if done[k] < m["target_value"]:
                k = m["duration_value"]
                continue
            done[k] = 0
            k += 1
            continue
        out.append(m)
        k += 1
    return out


def session_from_workout(text: str) -> Session:
    segs, rep = [], 0
    for m in executed(workout_steps(resolve(parse_plan(text)))):
        kind = {"active": "rep", "rest": "recovery"}.get(m["intensity"], m["intensity"])
        if "custom_target_value_low" in m:
            pace = 2e6 / (m["custom_target_value_low"] + m["custom_target_value_high"])
        else:
            pace = EASY[kind] if kind != "rep" else 300.0
        length = (
            {"distance_m": m["duration_value"] / 100}
            if m["duration_type"] == "distance"
            else {
                "duration_s": m["duration_value"] / 1000 if m["duration_type"] == "time" else OPEN_S
            }
        )
        rep += kind == "rep"
        style = (
            "stand"
            if m["intensity"] == "rest" and "duration_s" in length
            else ("jog" if kind == "recovery" else "run")
        )
        segs.append(
            Segment(
                kind,
                None if style == "stand" else pace,
                rep=rep if kind == "rep" else None,
                step=m["message_index"],
                wkt_step=m["message_index"],
                style=style,
                **length,
            )
        )
    return Session(text, tuple(segs))


PLANS = [
    "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km",
    "10min @ 6:00/km; 6x3min @ 4:00/km, 2min easy; 5min @ 6:30/km",
    "12min @ 6:00/km; 3 sets of 4x400m @ 80s, 60s jog, 3min between sets",
]


def offsets(text: str, tmp_path: Path, laps: str) -> list[float]:
    """How far each found boundary is from its lap edge (one boundary per lap edge). An edge
    reads two ways: the next lap's whole-second start, or where the lap's own clock ended it
    (its start plus its elapsed time: a rep's end, so that its duration is the watch's)."""
    spec = SampleSpec(
        "from_workout",
        session_from_workout(text),
        Runner("R", fatigue=0.01),
        TrackRoute("t", 48.1, 11.5),
        WatchSettings(laps=LapSettings("workout")),
        datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
        ("fit",),
        seed=11,
        fit_workout=False,
    )
    activity = load(build_sample(spec, tmp_path).paths[0])
    assert {lap.wkt_step_index for lap in activity.laps} >= {0, 1}
    found = segment(activity, resolve(parse_plan(text)), laps=laps)
    edges = [
        (lap.start_s, before.start_s + (before.elapsed_s or before.duration_s))
        for before, lap in zip(activity.laps, activity.laps[1:], strict=False)
    ]
    inner = [s.start_s for s in found.segments[1:] if s.start_s is not None]
    assert len(inner) == len(edges), (len(inner), len(edges))
    return [min(abs(a - b) for b in pair) for a, pair in zip(inner, edges, strict=False)]


@pytest.mark.parametrize("text", PLANS)
def test_every_step_found_near_its_lap(text: str, tmp_path: Path) -> None:
    """--laps auto: one boundary per workout lap, each within the watch's beep offset (the
    beep comes up to 1.5 s early) plus a second."""
    assert max(offsets(text, tmp_path, "auto")) <= 3.0


@pytest.mark.parametrize("text", PLANS)
def test_use_laps_puts_every_boundary_on_its_lap(text: str, tmp_path: Path) -> None:
    assert max(offsets(text, tmp_path, "use")) <= 1e-6


@pytest.mark.parametrize("text", PLANS)
def test_auto_laps_put_every_boundary_on_its_lap(text: str, tmp_path: Path) -> None:
    """--laps auto: a workout lap near a change of pace is that boundary, to the record (the
    watch ended the step there, however the runner reacted to its beep)."""
    assert max(offsets(text, tmp_path, "auto")) <= 1e-6
