"""Rep finding against known truth: the generated samples and real files' own lap presses."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES, SEEDS
from workoutcheck.ingest import load
from workoutcheck.model import Activity, Lap, PauseKind, Source
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.plan.profile import profile_from_dict
from workoutcheck.segment import SegmentKind, segment

TRUTHS = sorted(SAMPLES.glob("*.truth.json"))
CASES = [(truth, name) for truth in TRUTHS for name in json.loads(truth.read_text())["files"]]


def _plan(truth: dict):  # type: ignore[no-untyped-def]
    profile = None
    if truth.get("profile"):
        profile = profile_from_dict(
            {"races": truth["profile"]}, source="truth", default_name="runner"
        )
    return resolve(parse_plan(truth["plan"]), profile)


def _check_cover(result, duration):  # type: ignore[no-untyped-def]
    timed = result.timed
    assert timed[0].start_s == 0.0
    assert timed[-1].end_s == pytest.approx(duration)
    for a, b in itertools.pairwise(timed):
        assert a.end_s == pytest.approx(b.start_s)
        assert a.start_s < a.end_s


@pytest.mark.parametrize("laps", ["ignore", "auto"])
@pytest.mark.parametrize(("truth_path", "name"), CASES, ids=[n for _, n in CASES])
def test_reps_match_the_truth(truth_path, name, laps):
    """Every rep is found, missed reps are named, boundaries within 3 s on FIT (5 s from GPX and
    TCX, whose distance comes from GPS positions or smart-recorded trackpoints), paces within 2.5%
    (3% from GPX and TCX), also where auto-pause hid the first seconds of every rep (the watch
    was not recording when the runner set off: the rep starts at the set-off the speed at the
    resume puts 1-2 s before it, not at the resume, which read 200 m reps 3-4% fast). With laps=auto a
    manual press is the boundary, and the samples' presses fall 0.5-3 s after the line
    (``LapSettings``): a rep between two presses may be up to 2.5 s long or short."""
    truth = json.loads(truth_path.read_text())
    activity = load(SAMPLES / name)
    result = segment(activity, _plan(truth), laps=laps)
    _check_cover(result, activity.duration_s)
    true_reps = {s["rep"]: s for s in truth["segments"] if s["kind"] == "rep"}
    found = {s.rep: s for s in result.reps if not s.missed}
    assert set(found) == set(true_reps)
    assert set(result.missed_reps) == set(truth["missed_reps"])
    fit = activity.source.value == "fit"
    near = 3.0 if fit else 5.0
    pace = 0.025 if fit else 0.03
    pressed = laps == "auto" and truth["extra"]["watch"]["laps"]["mode"] == "manual"
    for rep, ts in true_reps.items():
        assert found[rep].start_s == pytest.approx(ts["start_s"], abs=near)
        assert found[rep].end_s == pytest.approx(ts["end_s"], abs=near)
        rel = max(pace, 2.5 / (ts["end_s"] - ts["start_s"])) if pressed else pace
        assert found[rep].pace_s_per_km == pytest.approx(ts["pace_s_per_km"], rel=rel)


def test_missed_rep_sits_where_it_was_missed():
    """6x800m with rep 4 jogged: rep 4 is reported missed between reps 3 and 5."""
    truth = json.loads((SAMPLES / "six_by_800_missed.truth.json").read_text())
    result = segment(load(SAMPLES / "six_by_800_missed.fit"), _plan(truth), laps="ignore")
    reps = [s.rep for s in result.segments if s.kind is SegmentKind.REP]
    assert reps == [1, 2, 3, 4, 5, 6]
    missed = [s for s in result.segments if s.missed]
    assert [s.rep for s in missed] == [4] and missed[0].start_s is None
    long_rest = result.segments[result.segments.index(missed[0]) - 1]
    assert (
        long_rest.kind is SegmentKind.RECOVERY and 600 < long_rest.duration_s
    )  # the 4:45 rest run on


def test_track_reps_use_the_prescribed_distance():
    """On a track the prescribed 400 m is the distance paces are computed from."""
    truth = json.loads((SAMPLES / "eight_by_400_track.truth.json").read_text())
    result = segment(load(SAMPLES / "eight_by_400_track.fit"), _plan(truth), laps="ignore")
    for rep in result.reps:
        assert rep.distance_used_m == 400.0 and rep.distance_basis == "prescribed"
        assert rep.distance_m == pytest.approx(400, rel=0.05)
        assert [round(s.distance_m) for s in rep.splits] == [200, 200]
        assert sum(s.duration_s for s in rep.splits) == pytest.approx(rep.duration_s)


def test_race_splits_are_the_truth():
    """The 400 m race's 200 m splits come out at the simulated 25.5 s and 26.5 s (within a
    second: from a standing start the watch's distance, smoothed over 4 s as real watches'
    is, blurs where the first 200 m began)."""
    truth = json.loads((SAMPLES / "race_400m_track.truth.json").read_text())
    result = segment(load(SAMPLES / "race_400m_track.fit"), _plan(truth), laps="ignore")
    (race,) = result.reps
    first, second = race.splits
    assert first.duration_s == pytest.approx(25.5, abs=1.0)
    assert second.duration_s == pytest.approx(26.5, abs=1.0)
    assert second.duration_s > first.duration_s  # the second half was slower


def test_use_laps_trusts_the_device_laps():
    """laps=use puts boundaries exactly on lap edges of a workout-driven file."""
    truth = json.loads((SAMPLES / "progressive_1000s.truth.json").read_text())
    activity = load(SAMPLES / "progressive_1000s.fit")
    result = segment(activity, _plan(truth), laps="use")
    assert result.laps_used
    edges = {round(lap.start_s, 3) for lap in activity.laps}
    for rep in result.reps:
        assert round(rep.start_s, 3) in edges


def test_without_a_plan_the_session_is_described():
    """No plan: work blocks are found from the speed and the session is described."""
    activity = load(SAMPLES / "five_by_1000_track.fit")
    result = segment(activity, None)
    assert len(result.reps) == 5
    # the 400 m jogs took 2:40-2:42, as regular by the clock as by the metre: the round figure
    # (400 m, not 2:41) is the one the coach wrote, and the GPX of the run reads the same
    assert result.description == "5 x ~1000 m / ~400 m"
    gpx = segment(load(SAMPLES / "five_by_1000_track.gpx"), None)
    assert gpx.description == result.description
    truth = json.loads((SAMPLES / "five_by_1000_track.truth.json").read_text())
    starts = [s["start_s"] for s in truth["segments"] if s["kind"] == "rep"]
    assert [r.start_s for r in result.reps] == pytest.approx(starts, abs=3.0)


def test_a_plan_longer_than_the_run_reports_the_rest_missed():
    """A runner who stopped after 3 of 5 reps: reps 4 and 5 are missed, nothing crashes."""
    truth = json.loads((SAMPLES / "five_by_1000_track.truth.json").read_text())
    activity = load(SAMPLES / "five_by_1000_track.fit")
    cut = 1900.0  # after rep 3
    keep = activity.t <= cut
    short = Activity(
        source=activity.source,
        path=activity.path,
        start_time=activity.start_time,
        t=activity.t[keep],
        distance=activity.distance[keep],
        speed=activity.speed[keep],
        laps=(),
        sport="running",
        sub_sport="track",
        distance_source="device",
        speed_source="device",
    )
    result = segment(short, _plan(truth), laps="ignore")
    assert [r.rep for r in result.reps if not r.missed] == [1, 2, 3]
    assert result.missed_reps == (4, 5)


def _lap_errors(activity, result):  # type: ignore[no-untyped-def]
    edges = np.array([lap.start_s for lap in activity.laps] + [activity.laps[-1].end_s])
    out = []
    for rep in result.reps:
        if not rep.missed:
            out.append((np.min(np.abs(edges - rep.start_s)), np.min(np.abs(edges - rep.end_s))))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    reps=st.integers(2, 6),
    rep_s=st.integers(40, 240),
    rest_s=st.integers(30, 180),
    fast=st.floats(3.5, 6.0),
    seed=st.integers(0, 10_000),
)
def test_segments_cover_the_recording_in_order(reps, rep_s, rest_s, fast, seed):
    """Whatever the session, segments tile the recording without gap or overlap."""
    rng = np.random.default_rng(seed)
    blocks = (
        [(300, 2.8)]
        + [b for _ in range(reps) for b in ((rep_s, fast), (rest_s, 2.2))]
        + [(300, 2.8)]
    )
    speed = np.concatenate([np.full(n, v) for n, v in blocks]) + rng.normal(
        0, 0.08, sum(n for n, _ in blocks)
    )
    t = np.arange(len(speed), dtype=float)
    dist = np.concatenate([[0.0], np.cumsum(speed[1:])])
    act = Activity(
        source=Source.FIT,
        path="synthetic",
        start_time=None,
        t=t,
        distance=dist,
        speed=speed,
        laps=(Lap(0.0, t[-1], dist[-1]),),
        distance_source="device",
        speed_source="device",
    )
    plan = resolve(parse_plan(f"{reps}x({rep_s}s @ {1000 / fast:.0f}s/km, {rest_s}s jog)"))
    result = segment(act, plan, laps="ignore")
    _check_cover(result, t[-1])
    assert len([r for r in result.reps if not r.missed]) == reps


def _synthetic(blocks, seed=3):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    speed = np.concatenate([np.full(n, v) for n, v in blocks]) + rng.normal(
        0, 0.08, sum(n for n, _ in blocks)
    )
    t = np.arange(len(speed), dtype=float)
    return _device_recording(t, np.concatenate([[0.0], np.cumsum(speed[1:])]), speed)


def _device_recording(t: np.ndarray, distance: np.ndarray, speed: np.ndarray) -> Activity:
    """A FIT-like activity with the watch's own distance and speed."""
    return Activity(
        source=Source.FIT,
        path="synthetic",
        start_time=None,
        t=t,
        distance=distance,
        speed=speed,
        distance_source="device",
        speed_source="device",
    )


def test_strides_in_an_unplanned_warm_up_are_not_taken_for_reps():
    """A warm-up with four 25 s strides, then 6 x (45 s / 45 s): the strides are extra
    efforts of the warm-up, and rep 1 is the first real rep."""
    warmup = [(300, 2.8)] + [b for _ in range(4) for b in ((25, 5.8), (60, 2.6))] + [(120, 2.7)]
    reps = [b for _ in range(6) for b in ((45, 5.5), (45, 2.4))]
    act = _synthetic(warmup + reps + [(300, 2.8)])
    result = segment(
        act, resolve(parse_plan("6x(45s @ 3:02/km, 45s jog); 10min easy")), laps="ignore"
    )
    first_rep_start = sum(n for n, _ in warmup)
    found = [r for r in result.reps if not r.missed]
    assert len(found) == 6 and result.missed_reps == ()
    assert found[0].start_s == pytest.approx(first_rep_start, abs=2.0)
    strides = [s for s in result.segments if s.kind is SegmentKind.EXTRA]
    assert len(strides) == 4 and all(s.note == "a stride in the warm-up" for s in strides)


def test_an_effort_like_the_reps_right_after_the_warm_up_is_rep_one():
    """A 2 km warm-up, then 13 alike 30 s efforts with 45 s rests against a plan of 12: the
    first is rep 1 and the one more is left at the end. A stride is followed by more easy
    running than the set's recovery; reading the first effort as one put every rep one effort
    late (a stress-set 12 x 30 s road session, all reps 75-79 s off)."""
    warmup = [(700, 2.9)]
    efforts = [b for _ in range(13) for b in ((30, 3.7), (45, 0.8))][:-1] + [(60, 1.0)]
    act = _synthetic(warmup + efforts)
    result = segment(act, resolve(parse_plan("warm-up 2km; 12x30s @ 7:15/mi, 45s rest")))
    found = [r for r in result.reps if not r.missed]
    assert len(found) == 12 and result.missed_reps == ()
    assert [r.start_s for r in found] == pytest.approx([700 + 75 * k for k in range(12)], abs=2.0)
    assert not [s for s in result.segments if s.kind is SegmentKind.EXTRA]


def test_strides_as_long_as_the_reps_before_a_longer_jog_stay_strides():
    """Four 20 s strides with 50 s walks and a 150 s jog, then 5 x 20 s with 120 s stands and
    no prescribed recovery: the strides are the warm-up's, not reps 1-4 with the real reps 2-5
    left standing in the cool-down (two stress-set 5 x 20 s sessions, reps 190-555 s off)."""
    warmup = [(700, 2.8)] + [b for _ in range(4) for b in ((20, 5.0), (50, 1.2))][:-1]
    warmup += [(150, 2.6)]
    reps = [b for _ in range(5) for b in ((20, 5.0), (120, 0.0))][:-1] + [(300, 2.6)]
    result = segment(_synthetic(warmup + reps), resolve(parse_plan("5x20s @ 3:50/km")))
    found = [r for r in result.reps if not r.missed]
    first = sum(n for n, _ in warmup)
    assert [r.start_s for r in found] == pytest.approx([first + 140 * k for k in range(5)], abs=2)
    strides = [s for s in result.segments if s.kind is SegmentKind.EXTRA]
    assert [s.start_s for s in strides] == pytest.approx([700 + 70 * k for k in range(4)], abs=2)
    assert all(s.note == "a stride in the warm-up" for s in strides)


SEED = SEEDS / "track-speedwork-intervals.txt"


def test_the_seed_session_with_reps_barely_faster_than_the_cool_down():
    """The seed's block plan, run as written: 4 x 30 s strides-like reps with unprescribed
    rests, then 5 x 1 km at 5:30/km with 2:10 standing rests and a cool-down at 6:00/km,
    only 8% slower than the reps. Every rep is found; the cool-down is not taken for one."""
    if not SEED.exists():
        pytest.skip("seed texts not present")
    text = SEED.read_text()
    block = text[text.index("Workout - Progressive 1k Repeats") :].replace("/kmFitness", "/km")
    blocks = [(900, 2.78)] + [b for _ in range(4) for b in ((30, 5.56), (60, 2.0))]
    blocks += [b for _ in range(5) for b in ((330, 3.03), (130, 0.0))][:-1] + [(600, 2.78)]
    act = _synthetic(blocks)
    result = segment(act, resolve(parse_plan(block)), laps="ignore")
    starts = np.cumsum([0] + [n for n, _ in blocks])[:-1]
    fast = [s for (n, v), s in zip(blocks, starts, strict=True) if v > 2.9]
    found = [r for r in result.reps if not r.missed]
    assert len(found) == 9 and result.missed_reps == () and result.extra_efforts == 0
    assert [r.start_s for r in found] == pytest.approx(list(fast), abs=2.0)
    # no change of pace marks the last rep's end: it is where its kilometre was covered
    assert found[-1].end_s == pytest.approx(starts[-1], abs=5.0)
    after = result.segments[result.segments.index(found[-1]) + 1 :]
    assert [s.kind for s in after] in (
        [SegmentKind.COOLDOWN],
        [SegmentKind.RECOVERY, SegmentKind.COOLDOWN],
    )


def test_auto_laps_inside_one_workout_step_are_one_step():
    """Laps sharing a workout step index are merged: no boundary is favoured between them. An
    edge belongs to the lap it closes: the press at 599 s that ended step 2 is an edge."""
    from workoutcheck.segment.laps import rep_lap_edges

    act = _synthetic([(600, 3.0)])
    laps = (
        Lap(0.0, 200.0, 600.0, trigger="time", wkt_step_index=0),
        Lap(200.0, 400.0, 600.0, trigger="distance", wkt_step_index=1),
        Lap(400.0, 500.0, 300.0, trigger="distance", wkt_step_index=1),
        Lap(500.0, 599.0, 300.0, trigger="manual", wkt_step_index=2),
        Lap(599.0, 599.0, 0.0, trigger="distance"),
    )
    assert rep_lap_edges(replace(act, laps=laps)) == [200.0, 500.0, 599.0]


def test_a_long_unprescribed_rest_is_a_skipped_rep_not_an_early_stop():
    """7x45s with the rests left to the runner: rests of 2 min, but one of 4:45 after rep 4
    (the time of rep 5 with its rests). Rep 5 is the one missed, not rep 7."""
    warm = [(600, 2.8)]
    reps = []
    for k in range(1, 8):
        if k == 5:
            reps[-1] = (285, 0.0)  # the rest after rep 4 runs on over rep 5
            continue
        reps += [(45, 5.4), (120, 0.0)]
    act = _synthetic(warm + reps[:-1] + [(300, 2.8)])
    result = segment(
        act, resolve(parse_plan("warm-up 10min; 7x45s @ 3:05/km; cool-down 5min")), laps="ignore"
    )
    assert result.missed_reps == (5,)
    assert [r.rep for r in result.reps if not r.missed] == [1, 2, 3, 4, 6, 7]


def test_a_rep_walked_through_leaves_the_reps_either_side_where_they_were_run():
    """4 x 1600 m with 4 min walks, rep 2 walked through (1140 s at 1.4 m/s): the long rest
    from rep 1 to rep 3 lasts almost twice what a skipped rep's rest would (two walks and the
    rep at its pace). Capped at 1.8 times that, it took rep 3's 55 s of walking before it into
    rep 3 here (on a stress-set GPX from its first second, 40 s of the walk after rep 1)."""
    rep, walk = (364, 4.4), (240, 1.5)
    act = _synthetic([rep, walk, (1140, 1.4), walk, rep, walk, rep, walk, (330, 3.0)])
    result = segment(
        act, resolve(parse_plan("4x1.6km @ 6:03/mi, 4min walk; cool-down 1km")), laps="ignore"
    )
    assert result.missed_reps == (2,)
    found = {r.rep: r for r in result.reps if not r.missed}
    starts = {1: 0, 3: 364 + 240 + 1140 + 240, 4: 364 + 240 + 1140 + 240 + 364 + 240}
    for k, start in starts.items():
        assert found[k].start_s == pytest.approx(start, abs=3.0)
        assert found[k].end_s == pytest.approx(start + 364, abs=3.0)


def test_a_walk_a_jog_and_a_walk_after_a_set_without_rests_leave_the_last_rep_a_rep():
    """5 x 20 s whose rests the plan leaves to the runner (75 s stands), then a 350 s walk,
    a 60 s jog and a walk back before the 8 min cool-down ends: every rep is found where it
    was run. Without a rest after the last rep, the walk had to be a rest after an effort,
    and the reps came out one effort late with the first one "warm-up" (a stress-set 5 x 20 s
    road session read its last rep as "extra" and then missed)."""
    reps = [b for _ in range(5) for b in ((20, 4.8), (75, 0.9))][:-1]
    act = _synthetic([*reps, (350, 1.4), (60, 3.3), (320, 1.3)])
    result = segment(act, resolve(parse_plan("5x20s @ 3:10/km; cd 8min")), laps="ignore")
    found = [r for r in result.reps if not r.missed]
    assert result.missed_reps == () and [r.rep for r in found] == [1, 2, 3, 4, 5]
    assert [r.start_s for r in found] == pytest.approx([95 * k for k in range(5)], abs=2.0)
    assert not [s for s in result.segments if s.kind is SegmentKind.EXTRA]


def test_a_race_from_the_files_first_second_starts_there(tmp_path):
    """A generated 1500 m road race recorded as GPX from its first second (stress set seed 23,
    session 4: sparse records, a pace that wanders early): the rep starts with the file, not
    24 s in at the first dip of the pace; the fit of its start may reach the recording's start,
    which has no change of pace of its own. On its straight route the GPS settled over the first
    8 s (3.6 m at 4 s, 13.5 m at 8 s): with records every 4 s, the first two intervals are the
    rep, not a 5.4 s 'warm-up' at 1.3 m/s."""
    from tests.conftest import stress_set_module

    assert stress_set_module().main([str(tmp_path), "--count", "5", "--seed", "23"]) == 0
    truth = json.loads((tmp_path / "s04_race_road.truth.json").read_text())
    result = segment(load(tmp_path / "s04_race_road.gpx.gz"), _plan(truth), laps="ignore")
    (rep,) = [s for s in result.segments if s.kind is SegmentKind.REP]
    (true_rep,) = [s for s in truth["segments"] if s["kind"] == "rep"]
    assert true_rep["start_s"] == 0.0
    assert rep.start_s == pytest.approx(0.0, abs=2.0)
    assert rep.end_s == pytest.approx(true_rep["end_s"], abs=3.0)


@pytest.mark.parametrize(("delay", "moved"), [(8.0, True), (0.0, False)])
def test_a_distance_that_trails_the_gps_fixes_is_moved_back_onto_them(tmp_path, delay, moved):
    """A watch whose distance integrates a speed trailing the runner by 8 s (+1 s of filter):
    read as recorded, every rep boundary is ~9 s late. Against the GPS fixes the lag shows and
    is taken off the timing, said, and each rep's distance is read that much later at its
    boundaries; the reps then start and end within 3.5 s of the truth (9-11 s late before) and
    keep their pace. A watch without the lag is timed as recorded (no note)."""
    from samplegen.build import build_sample
    from tests.test_samplegen import _real_spec

    build_sample(_real_spec(speed_delay_s=delay), tmp_path)
    truth = json.loads((tmp_path / "quirky.truth.json").read_text())
    result = segment(load(tmp_path / "quirky.fit"), _plan(truth), laps="ignore")
    said = [n for n in result.notes if "trails its GPS positions" in n]
    assert bool(said) is moved
    if moved:
        assert said == [
            "boundaries timed 9 s earlier: the watch's distance trails its GPS positions by as much"
        ]
        assert result.lag_s == 9.0
    found = [s for s in result.segments if s.kind is SegmentKind.REP]
    true = [s for s in truth["segments"] if s["kind"] == "rep"]
    assert len(found) == len(true) == 6
    errors = [abs(f.start_s - t["start_s"]) for f, t in zip(found, true, strict=True)]
    errors += [abs(f.end_s - t["end_s"]) for f, t in zip(found, true, strict=True)]
    assert max(errors) < 3.5, errors
    paces = [f.pace_s_per_km / t["pace_s_per_km"] - 1 for f, t in zip(found, true, strict=True)]
    assert max(abs(p) for p in paces) < 0.03, paces


@pytest.mark.parametrize("fmt", ["fit", "gpx"])
def test_a_last_rep_ends_at_the_line_when_the_runner_stands_before_stopping_the_watch(
    tmp_path, fmt
):
    """A session that ends with its last rep: the runner slows after the line and stands
    5-13 s before stopping the watch. Those seconds are under the 10 s a watch stopped a
    moment late may add to the last step, but the runner was not running on in them: the
    rep ends at the line, not at the watch's stop (stress sets: last reps 9-11 s long)."""
    from samplegen.build import build_sample
    from tests.test_samplegen import _ends_with_a_rep

    built = build_sample(_ends_with_a_rep(fmt), tmp_path)
    truth = built.truth
    result = segment(load(built.paths[0]), _plan(truth), laps="ignore")
    last = [s for s in truth["segments"] if s["kind"] == "rep"][-1]
    assert truth["duration_s"] - last["end_s"] >= 5.0
    found = [r for r in result.reps if not r.missed]
    assert len(found) == 6
    assert found[-1].end_s == pytest.approx(last["end_s"], abs=2.5)
    assert found[-1].pace_s_per_km == pytest.approx(last["pace_s_per_km"], rel=0.03)


def test_a_cool_down_of_a_jog_a_walk_and_a_jog_leaves_a_slow_rep_a_rep():
    """3 x 6 min, rep 2 run 10% slow, then a cool-down of a 4 min jog, a 4 min walk and a
    5 min jog: every rep is found. Held to two pieces, one of them walking, the cool-down
    could not hold the jog, the walk and the jog: the first jog became the long rest "over a
    missed rep 3", rep 3 was read as rep 2 and rep 2 as an extra effort (a stress-set 3 x
    6 min road session, FIT and TCX)."""
    blocks = [(600, 2.8), (360, 3.8), (40, 2.5), (360, 3.4), (40, 2.5), (360, 3.8)]
    blocks += [(236, 2.1), (252, 1.25), (307, 2.53)]
    result = segment(
        _synthetic(blocks),
        resolve(parse_plan("wu 10min; 3x(6min @ 4:24/km, 100m jog); cd 13min")),
        laps="ignore",
    )
    found = [r for r in result.reps if not r.missed]
    assert result.missed_reps == () and [r.rep for r in found] == [1, 2, 3]
    assert [r.start_s for r in found] == pytest.approx([600, 1000, 1400], abs=2.0)
    assert not [s for s in result.segments if s.kind is SegmentKind.EXTRA]
    (cool,) = [s for s in result.segments if s.kind is SegmentKind.COOLDOWN]
    assert cool.end_s - cool.start_s > 700


def test_a_prescribed_warm_up_close_to_the_first_reps_pace_stays_a_warm_up():
    """A slow runner's progressive 5 x 1000 m: the plan's warm-up (7:54/km) is 9% slower than
    rep 1 (7:12/km) and is run at 7:47/km. Held under 90% of rep 1's speed as any free
    warm-up is, 15 minutes of it cost more than a warm-up of 40 s: reps 1-3 moved into it,
    and reps 2 and 4 became extra efforts (hard stress seed 5, a track GPX; here rep 1 started
    3 minutes in, and one rep became extra). A warm-up the plan prescribes may run halfway
    from its pace to the slowest rep's."""
    rep_speeds = [2.29, 2.37, 2.68, 2.78, 3.0]
    # the warm-up minute by minute as the track GPX read it (2.0-2.3 m/s: bends read long)
    wu = [2.0, 2.26, 2.08, 2.23, 2.18, 2.23, 2.08, 2.13, 2.04, 2.18, 2.3, 2.15, 2.29, 2.21, 2.19]
    blocks = [(60, v) for v in wu]
    for k, v in enumerate(rep_speeds):
        blocks.append((round(1000 / v), v))
        if k < 4:
            blocks.append((215, 1.86))
    blocks.append((700, 2.06))
    plan = (
        "wu 15min @ 7:54/km; 1000m @ 7:12/km, 400m jog, 1000m @ 6:49/km, 400m jog, "
        "1000m @ 6:25/km, 400m jog, 1000m @ 6:01/km, 400m jog, 1000m @ 5:37/km; "
        "cd 10min @ 8:08/km"
    )
    result = segment(_synthetic(blocks), resolve(parse_plan(plan)), laps="ignore")
    starts = np.cumsum([0] + [n for n, _ in blocks])[:-1][len(wu) - 1 :]
    assert result.missed_reps == () and result.extra_efforts == 0
    found = [r.start_s for r in result.reps]
    # rep 1 is no quicker than some minutes of the warm-up: its onset is the loosest
    assert found[0] == pytest.approx(900, abs=20.0)
    assert found[1:] == pytest.approx(starts[3:10:2], abs=3.0)
    (warm,) = [s for s in result.segments if s.kind is SegmentKind.WARMUP]
    assert warm.end_s == found[0]


def _race_start(stand_s: float, every_s: float) -> Activity:
    """A 1500 m race at 4 m/s after ``stand_s`` s at the line (a 3 s acceleration), recorded
    every ``every_s`` s, then 5 min of walking."""
    t1 = np.arange(0.0, stand_s + 375.0 + 300.0)
    run = np.clip((t1 - stand_s) / 3.0, 0.0, 1.0) * 4.0
    v = np.where(t1 < stand_s + 376.5, run, 1.3)
    d1 = np.concatenate([[0.0], np.cumsum(v[:-1])])
    t = np.arange(0.0, t1[-1], every_s)
    d = np.interp(t, t1, d1)
    return _device_recording(t, d, np.gradient(d, t))


@pytest.mark.parametrize("every_s", [1.0, 4.0])
def test_a_runner_who_stood_at_the_line_starts_the_race_when_they_set_off(every_s):
    """The first seconds of a file are the rep over two record intervals (see the race from
    the file's first second), but 12 s stood at the line stay outside it."""
    act = _race_start(12.0, every_s)
    result = segment(act, resolve(parse_plan("1500m race")), laps="ignore")
    (rep,) = result.reps
    assert rep.start_s == pytest.approx(12.0, abs=max(2.0, every_s))


def test_reps_after_stands_a_gpx_left_unrecorded_start_as_the_records_resume(hard_stress_seed9):
    """Hard stress seed 9's 2 x (4 x 400, 4 x 200) with 30 s stands on a track, as GPX: auto-pause
    left 20-25 s without a record in every stand (the FIT has timer pauses there). Fitted
    across the gap, rep starts came 7-14 s after the runner set off (a wobble of the GPS in the
    first records); as stands the watch did not record, each rep starts as the records resume
    (the watch resumes 1-3 s after the runner sets off)."""
    truth = json.loads((hard_stress_seed9 / "s14_2x4x400-4x200_track.truth.json").read_text())
    activity = load(hard_stress_seed9 / "s14_2x4x400-4x200_track.gpx")
    assert sum(p.kind is PauseKind.STOOD for p in activity.pauses) >= 10
    result = segment(activity, _plan(truth), laps="ignore")
    true_starts = [s["start_s"] for s in truth["segments"] if s["kind"] == "rep"]
    found = [r.start_s for r in result.reps]
    assert len(found) == len(true_starts) == 16
    late = np.array(found) - np.array(true_starts)
    assert np.all(np.abs(late) <= 4.0), late.round(1).tolist()


def test_a_file_that_starts_with_the_first_rep_keeps_it_as_rep_1():
    """Stress seed 51's 12 x 30 s on the road, recorded from the first stride, with one effort
    more at the end: the first rep (slower, from a standstill) was the 'minute of standing'
    a file may begin with, every rep moved one on and the extra effort became rep 12. That
    piece is stood or walked: the first effort is rep 1 and the thirteenth the extra."""
    blocks = [(32, 4.8), (127, 3.15)]
    for _ in range(12):
        blocks += [(30, 5.5), (126, 3.2)]
    result = segment(
        _synthetic(blocks), resolve(parse_plan("12x30s hard, 400m jog")), laps="ignore"
    )
    starts = np.cumsum([0] + [n for n, _ in blocks])[:-1]
    assert [r.start_s for r in result.reps] == pytest.approx(starts[0:24:2], abs=2.0)
    (extra,) = [s for s in result.segments if s.kind is SegmentKind.EXTRA]
    assert extra.start_s == pytest.approx(starts[24], abs=2.0)
    assert not [s for s in result.segments if s.kind is SegmentKind.WARMUP]


def _starts(blocks) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.cumsum([0] + [n for n, _ in blocks])[:-1]


@pytest.mark.parametrize("stopped_at_the_line", [False, True])
def test_one_more_rep_at_the_end_of_a_set_is_the_extra_before_the_rest_between_sets(
    stopped_at_the_line,
):
    """2 x (4 x 300 m @ 1:11, 100 m jog; 3 min jog), five run in the second set (stress seeds
    53 and 62): the fifth is the extra effort, between the set's last jog and the rest. With an
    extra only after the whole rest, the set's fourth was taken for the extra and the fifth for
    rep 8. So too where the watch was stopped at the fifth's line (seeds 7, 53 and 63)."""
    warm = [(600, 2.9)]
    rep, jog, rest = (71, 300 / 71), (40, 2.5), (180, 2.6)
    blocks = warm + [rep, jog] * 3 + [rep, jog, rest] + [rep, jog] * 4 + [rep]
    blocks += [(3, 1.0)] if stopped_at_the_line else [jog, rest, (600, 2.8)]
    plan = "15min easy; 2x(4x300m @ 1:11, 100m jog; 3min jog); 10min easy"
    result = segment(_synthetic(blocks), resolve(parse_plan(plan)), laps="ignore")
    starts = _starts(blocks)
    efforts = [starts[i] for i, b in enumerate(blocks) if b == rep]
    assert [r.start_s for r in result.reps] == pytest.approx(efforts[:8], abs=2.0)
    (extra,) = [s for s in result.segments if s.kind is SegmentKind.EXTRA]
    assert extra.start_s == pytest.approx(efforts[8], abs=2.0)


def test_one_more_rep_after_a_set_without_recoveries_follows_a_rest_like_the_others():
    """4 x (800 m, 400 m jog); 6 x 150 m, with seven 150s run (hard stress seeds 62 and 63): the
    seventh, after a rest like the others, is the extra; it could only follow the sixth
    straight away, and the sixth was taken for the extra."""
    blocks = [(600, 2.9)]
    for _ in range(4):
        blocks += [(160, 5.0), (150, 2.7)]
    blocks += [(120, 2.6)]
    sprint = (27, 150 / 27)
    for _ in range(7):
        blocks += [sprint, (60, 1.5)]
    blocks += [(600, 2.7)]
    plan = "4x(800m @ 3:20/km, 400m jog); 6x150m @ 3:00/km"
    result = segment(_synthetic(blocks), resolve(parse_plan(plan)), laps="ignore")
    starts = _starts(blocks)
    sprints = [starts[i] for i, b in enumerate(blocks) if b == sprint]
    assert [r.start_s for r in result.reps][4:] == pytest.approx(sprints[:6], abs=2.0)
    (extra,) = [s for s in result.segments if s.kind is SegmentKind.EXTRA]
    assert extra.start_s == pytest.approx(sprints[6], abs=2.0)


def test_a_rep_after_an_auto_pause_starts_at_the_set_off_not_the_resume():
    """Auto-paused at a stand from 100 s to 160 s, the watch resumed with the runner already at
    5.5 m/s: the rep's start (on the resume, or fitted into the unrecorded pause near its end)
    goes to the set-off, 5.5 / 3 m/s^2 less half a record step = 1.33 s before the resume; a
    boundary near the pause's start is where the runner stopped and stays; so does one after a
    gap the runner ran across."""
    from workoutcheck.model import Pause
    from workoutcheck.segment.measure import resumed_from, set_off
    from workoutcheck.segment.segmenter import _set_off_before_resumes

    t = np.concatenate([np.arange(0.0, 101.0), np.arange(160.0, 301.0)])
    distance = np.where(t <= 100, 5.0 * t, 500.0 + 5.5 * (t - 160.0))
    base = _device_recording(t, distance, np.gradient(distance, t))
    paused = replace(base, pauses=(Pause(100.0, 160.0, PauseKind.TIMER),))
    assert set_off(paused, 160.0) == pytest.approx(5.5 / 3.0 - 0.5)
    lead = 160.0 - (5.5 / 3.0 - 0.5)
    assert _set_off_before_resumes(paused, [0.0, 160.0, 300.0])[1] == pytest.approx(lead)
    assert _set_off_before_resumes(paused, [0.0, 157.0, 300.0])[1] == pytest.approx(lead)
    assert _set_off_before_resumes(paused, [0.0, 101.5, 300.0])[1] == 101.5
    assert _set_off_before_resumes(paused, [0.0, 161.5, 300.0])[1] == pytest.approx(lead)
    assert _set_off_before_resumes(paused, [0.0, 163.0, 300.0])[1] == 163.0
    # measured from the set-off, its seconds running, not paused
    assert resumed_from(paused, lead) == (160.0, pytest.approx(160.0 - lead))
    # a gap the distance runs across (records lost while running) is no stand
    ran = replace(base, distance=np.where(t <= 100, 5.0 * t, 800.0 + 5.5 * (t - 160.0)))
    ran = replace(ran, pauses=(Pause(100.0, 160.0, PauseKind.GAP),))
    assert _set_off_before_resumes(ran, [0.0, 160.0, 300.0])[1] == 160.0
