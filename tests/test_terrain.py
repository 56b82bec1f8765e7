"""Elevation and grade-adjusted pace: the cost model, smoothing, and generated hill sessions.

The hill sessions (samplegen.hill_catalog) are run at an even effort: the flat-equivalent
truth of each rep is its effort metres (samplegen.hills) over its time. Figures are computed
on the truth's segment times, so they test this module and not rep finding.
"""

from __future__ import annotations

import numpy as np
import pytest

from samplegen.build import build_sample
from samplegen.hill_catalog import hill_repeats, rolling_tempo
from samplegen.hills import effort_metres
from tests.conftest import corpus_file
from workoutcheck.ingest import load
from workoutcheck.model import Activity, Source
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.score import Thresholds, with_overrides
from workoutcheck.score.altitude import REVISIT_ROUGH_M, revisit_spread
from workoutcheck.score.reps import rep_pace, scored_segments
from workoutcheck.score.result import ScoredSegment, TerrainFigures, Verdict
from workoutcheck.score.terrain import Terrain, running_cost, smoothed_altitude
from workoutcheck.score.uncertainty import grade_beyond_error, with_grade_error
from workoutcheck.segment import Segment, Segmentation, SegmentKind, segment
from workoutcheck.segment.effort import effort_progress


def test_minetti_cost_polynomial() -> None:
    """C(0) = 3.6 J/(kg m); +10% costs 5.97, -10% 2.15 (Minetti et al. 2002, running)."""
    assert running_cost(0.0) == pytest.approx(3.6)
    assert running_cost(0.10) == pytest.approx(5.968, abs=1e-3)
    assert running_cost(-0.10) == pytest.approx(2.152, abs=1e-3)
    assert running_cost(0.9) == pytest.approx(running_cost(0.45))  # clipped to the measured range


def _flat(altitude: np.ndarray | None) -> Activity:
    t = np.arange(600, dtype=float)
    return Activity(
        source=Source.FIT,
        path="flat.fit",
        start_time=None,
        t=t,
        distance=t * 4.0,
        speed=np.full(len(t), 4.0),
        altitude=altitude,
    )


def _rep(start: float, end: float, metres: float) -> ScoredSegment:
    return ScoredSegment(
        Segment(SegmentKind.REP, start, end, rep=1, distance_m=metres, distance_used_m=metres)
    )


def test_no_altitude_gives_nulls_and_flat_ground_gives_its_pace() -> None:
    assert Terrain(_flat(None)).segment(_rep(0.0, 250.0, 1000.0)) == TerrainFigures()
    flat = Terrain(_flat(np.full(600, 52.0))).segment(_rep(0.0, 250.0, 1000.0))
    assert flat.gain_m == 0.0 and flat.loss_m == 0.0 and flat.grade_pct == 0.0
    assert flat.gap_pace_s_per_km == pytest.approx(250.0)


def test_barometer_steps_on_flat_ground_are_smoothed_away() -> None:
    """A barometer flickering between two 1 m steps on a flat track: a few metres of 'gain'
    at most, mean grade ~0, the grade steady enough not to switch the verdict to GAP."""
    rng = np.random.default_rng(5)
    alt = 40.0 + np.round(rng.normal(0.0, 0.3, 600).cumsum() * 0.02 + rng.normal(0.0, 0.35, 600))
    fig = Terrain(_flat(alt)).segment(_rep(0.0, 500.0, 2000.0))
    raw_gain = float(np.clip(np.diff(alt[:501]), 0, None).sum())
    assert fig.gain_m < 0.1 * raw_gain
    assert abs(fig.grade_pct) < 0.3
    assert fig.grade_sd_pct < Thresholds().gap_grade_sd_pct
    assert fig.gap_pace_s_per_km == pytest.approx(250.0, rel=0.01)


_BUILT: dict = {}


def _session(spec, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Build each generated session once: (spec, true motion, activity read back, truth)."""
    if spec.stem not in _BUILT:
        built = build_sample(spec, tmp_path_factory.mktemp(spec.stem))
        _BUILT[spec.stem] = (spec, built.motion, load(str(built.paths[0])), built.truth)
    return _BUILT[spec.stem]


def _truth_scored(spec, motion, activity, truth, th=None):  # type: ignore[no-untyped-def]
    """The truth's reps scored against the plan (as if found exactly), and each rep's
    flat-equivalent truth: its time over the effort metres it ran (s/km)."""
    plan = resolve(parse_plan(truth["plan"]), None, None)
    step_of = {s.rep: i for i, s in enumerate(plan.steps) if s.rep is not None and s in plan.reps}
    x, e = effort_metres(spec.route, float(motion.distance[-1]) + 10.0)
    effort = np.interp(motion.distance, x, e)
    segs, flat = [], []
    for s in truth["segments"]:
        if s["kind"] != "rep":
            continue
        start, end = s["start_s"], s["end_s"]
        d = float(
            np.interp(end, activity.t, activity.distance)
            - np.interp(start, activity.t, activity.distance)
        )
        segs.append(
            Segment(
                SegmentKind.REP,
                start,
                end,
                rep=s["rep"],
                step=step_of[s["rep"]],
                distance_m=d,
                distance_used_m=d,
            )
        )
        e0, e1 = np.interp([start, end], motion.t, effort)
        flat.append((end - start) / (e1 - e0) * 1000.0)
    found = Segmentation(tuple(segs), "ignore", False)
    return scored_segments(activity, found, plan, th or Thresholds()), flat


@pytest.mark.parametrize("grade", [0.04, 0.06, 0.08])
def test_uphill_reps_are_judged_on_grade_adjusted_pace(grade, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """6 x 300 m up a 4-8% hill at 3:45/km effort: each rep's grade is found within a point,
    its grade-adjusted pace within 3% of the flat-equivalent truth, none is too slow though
    the clock says 4:35-5:40/km, and the check says it judged the grade-adjusted pace."""
    spec, motion, activity, truth = _session(hill_repeats(grade), tmp_path_factory)
    scored, flat = _truth_scored(spec, motion, activity, truth)
    assert len(scored) == 6
    for ss, truth_pace in zip(scored, flat, strict=True):
        assert ss.on_gap
        assert ss.terrain.grade_pct == pytest.approx(grade * 100, abs=1.0)
        assert ss.terrain.gain_m == pytest.approx(grade * 300, rel=0.2)
        assert ss.terrain.gap_pace_s_per_km == pytest.approx(truth_pace, rel=0.03)
        assert ss.segment.pace_s_per_km > 1.15 * truth_pace  # much slower on the clock
        assert ss.verdict is not Verdict.TOO_SLOW
        check = rep_pace(ss, Thresholds())
        assert (
            "grade-adjusted" in check.message
            and f"+{ss.terrain.grade_pct:.1f}% mean grade" in check.message
        )


def test_rolling_road_reps_are_judged_on_gap_when_the_grade_varies(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """4 x 1 km at 4:00/km effort over rolling road: the grade varies by over 2% inside each
    rep, so the reps are judged on GAP, within 3% of the truth; raising the threshold with
    --set gap_grade_sd_pct turns that off."""
    spec, motion, activity, truth = _session(rolling_tempo(), tmp_path_factory)
    scored, flat = _truth_scored(spec, motion, activity, truth)
    for ss, truth_pace in zip(scored, flat, strict=True):
        assert ss.terrain.grade_sd_pct > 2.0 and ss.on_gap
        assert ss.terrain.gap_pace_s_per_km == pytest.approx(truth_pace, rel=0.03)
    strict, _ = _truth_scored(
        spec, motion, activity, truth, with_overrides(Thresholds(), ["gap_grade_sd_pct=10"])
    )
    assert not any(s.on_gap for s in strict)


def test_gps_altitude_found_by_revisits_never_switches_a_verdict() -> None:
    """An FR235 (GPS altitude, 2-5 s records) on a track: the altitude looks smooth (jitter
    under 0.5 m) but disagrees by metres where the runner passes the same place again, so no
    rep is judged on grade-adjusted pace though the file "climbs" 10 m in a 300 m rep; a
    barometric fenix 3 agrees within a metre at its revisits."""

    gps = corpus_file("intervals", "cosc470__4513133397.fit")
    baro = corpus_file("fit", "runalyze__Fenix-3-with-inactive-Moxy.fit")
    activity = load(str(gps))
    spread = revisit_spread(activity, smoothed_altitude(activity))
    assert spread is not None and spread > REVISIT_ROUGH_M
    plan = resolve(parse_plan("8x300m @ 2:37/km, 2min jog"), None, None)
    scored = scored_segments(activity, segment(activity, plan, laps="auto"), plan, Thresholds())
    reps = [s for s in scored if s.segment.kind is SegmentKind.REP]
    assert len(reps) == 8 and max(abs(r.terrain.grade_pct) for r in reps) > 3.0
    assert not any(r.on_gap for r in reps)
    fenix = load(str(baro))
    assert revisit_spread(fenix, smoothed_altitude(fenix)) < 1.0


def test_a_gentle_grade_within_the_altitude_error_keeps_the_clock_pace() -> None:
    """A rolling 300 m rep whose mean grade is within what 1 m of altitude error gives is judged
    on the clock; a 6% climb is judged on grade-adjusted pace, its uncertainty widened by the
    grade's."""
    gentle = TerrainFigures(grade_pct=0.4, grade_sd_pct=3.0, gap_factor=0.97, gap_factor_sd=0.025)
    steep = TerrainFigures(grade_pct=6.0, grade_sd_pct=3.0, gap_factor=0.75, gap_factor_sd=0.025)
    assert not grade_beyond_error(gentle) and grade_beyond_error(steep)
    assert with_grade_error(1.0, steep) == pytest.approx(np.hypot(1.0, 1.64 * 2.5 / 0.75), rel=1e-6)


def _found_reps(spec, activity, truth, plan_text=None):  # type: ignore[no-untyped-def]
    """Rep finding on a generated session: (found reps, true reps, notes)."""
    plan = resolve(parse_plan(plan_text or truth["plan"]), None, None)
    result = segment(activity, plan, laps="ignore")
    found = [s for s in result.segments if s.kind is SegmentKind.REP and not s.missed]
    return found, [s for s in truth["segments"] if s["kind"] == "rep"], result.notes


@pytest.mark.parametrize("grade", [0.04, 0.06, 0.08])
def test_hill_reps_are_found_by_grade_adjusted_speed(grade, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """Up a 4-8% hill the jog down is nearly as fast on the clock as the rep up: found by clock
    speed, warm-up climbs were taken for reps (1 of 6 found at 4%, every rep 7 min late at
    6%). By grade-adjusted speed all six are found, each end within 5 s of the truth."""
    spec, _, activity, truth = _session(hill_repeats(grade), tmp_path_factory)
    found, reps, notes = _found_reps(spec, activity, truth)
    assert [s.rep for s in found] == [1, 2, 3, 4, 5, 6]
    for seg, true in zip(found, reps, strict=True):
        assert seg.start_s == pytest.approx(true["start_s"], abs=5.0)
        assert seg.end_s == pytest.approx(true["end_s"], abs=5.0)
    assert any("grade-adjusted speed" in n for n in notes)


def test_a_hill_session_is_found_by_effort_without_the_word_uphill(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The plan need not say "uphill": a barometric file mostly on a 6% grade is a hill session."""
    spec, _, activity, truth = _session(hill_repeats(0.06), tmp_path_factory)
    found, reps, _ = _found_reps(
        spec, activity, truth, "wu 1200m; 6x300m @ 3:45/km, jog down; cd 10min"
    )
    assert len(found) == 6
    assert max(abs(s.start_s - t["start_s"]) for s, t in zip(found, reps, strict=True)) < 5.0


def test_rolling_road_and_flat_files_keep_clock_speed(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """Rolling road (27% of it over 3%) and a drifting barometer on flat ground are not hill
    sessions: rep finding reads the clock speed there, as before."""
    spec, _, activity, truth = _session(rolling_tempo(), tmp_path_factory)
    found, _, notes = _found_reps(spec, activity, truth)
    assert len(found) == 4 and not any("grade-adjusted" in n for n in notes)
    assert effort_progress(activity, activity.distance, uphill_plan=False) is None
    drift = _flat(40.0 + np.linspace(0.0, 30.0, 600))  # 30 m of drift in 10 min on a track
    assert effort_progress(drift, drift.distance, uphill_plan=False) is None
    steep = effort_progress(drift, drift.distance, uphill_plan=True)  # 1.25% up: costs more
    assert steep[-1] == pytest.approx(
        drift.distance[-1] * float(running_cost(0.0125)) / 3.6, rel=0.02
    )


def test_chart_draws_the_elevation_profile_where_the_file_has_one(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """The HTML chart's elevation strip: the hill's 40-58 m (a 6% grade over 300 m from 40 m),
    filled along the bottom quarter of the plot; none without altitude."""
    import re

    from workoutcheck.report.svg_chart import BOTTOM, TOP, H, pace_chart
    from workoutcheck.report.svg_overlays import ELEVATION_SHARE
    from workoutcheck.score import Status, activity_info, activity_series
    from workoutcheck.score.result import FileResult

    _, _, activity, _ = _session(hill_repeats(0.06), tmp_path_factory)
    series = activity_series(activity)
    result = FileResult(activity.path, Status.PASS, activity=activity_info(activity), series=series)
    svg = pace_chart(result)
    assert "elevation 40-58 m" in svg
    ys = [
        float(y)
        for d in re.findall(r'class="elevation" d="([^"]+)"', svg)
        for y in re.findall(r"[ML][0-9.]+ ([0-9.]+)", d)
    ]
    bottom = H - BOTTOM
    assert max(ys) == pytest.approx(bottom, abs=0.1)
    assert min(ys) == pytest.approx(bottom - (bottom - TOP) * ELEVATION_SHARE, abs=1.0)
    assert min(v for v in series.altitude if v is not None) == pytest.approx(40.0, abs=1.0)
    flat = FileResult("flat.fit", Status.PASS, series=activity_series(_flat(None)))
    assert 'class="elevation"' not in pace_chart(flat) and pace_chart(flat)


def test_gps_quality_altitude_still_finds_uphill_reps(tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """With altitude jittering by 3 m (GPS-only, too rough to switch a verdict onto GAP), a plan
    that says uphill still finds its reps by effort: 6/6, every end within 12 s (the last rep's
    end at the hilltop is read on that jittering grade: 11 s late, 8 s early before the
    cool-down could hold a jog, a walk and a jog), and the jog down after the last rep is its
    recovery, not the cool-down's start (it used to end after 24 s of the 129 s)."""
    import dataclasses

    spec = hill_repeats(0.06)
    spec = dataclasses.replace(
        spec,
        stem="hill_repeats_gps_alt",
        watch=dataclasses.replace(spec.watch, altitude_sigma_m=3.0),
    )
    spec, _, activity, truth = _session(spec, tmp_path_factory)
    assert Terrain(activity).rough
    found, reps, _ = _found_reps(spec, activity, truth)
    assert len(found) == 6
    for seg, true in zip(found, reps, strict=True):
        assert abs(seg.start_s - true["start_s"]) < 12.0 and abs(seg.end_s - true["end_s"]) < 12.0
    result = segment(activity, resolve(parse_plan(truth["plan"]), None, None), laps="ignore")
    after = result.segments[result.segments.index(found[-1]) + 1]
    true_after = truth["segments"][truth["segments"].index(reps[-1]) + 1]
    assert after.kind is SegmentKind.RECOVERY and true_after["kind"] == "recovery"
    assert after.end_s == pytest.approx(true_after["end_s"], abs=12.0)


def test_reps_on_a_track_are_never_judged_on_grade_adjusted_pace(hard_stress_seed9) -> None:  # type: ignore[no-untyped-def]
    """Hard stress seed 9's 2 x (4 x 400, 4 x 200) on a track as FIT: its barometric altitude
    wanders by a metre over a minute, which read as rolling ground judged rep 9 on a grade-
    adjusted pace 4% faster than it ran. A track is flat: every rep is judged on the clock."""
    import json

    truth = json.loads((hard_stress_seed9 / "s14_2x4x400-4x200_track.truth.json").read_text())
    activity = load(str(hard_stress_seed9 / "s14_2x4x400-4x200_track.fit"))
    plan = resolve(parse_plan(truth["plan"]), None, None)
    scored = scored_segments(activity, segment(activity, plan, laps="auto"), plan, Thresholds())
    reps = [s for s in scored if s.segment.kind is SegmentKind.REP and not s.segment.missed]
    assert len(reps) == 16
    assert max(r.terrain.grade_sd_pct or 0.0 for r in reps) > Thresholds().gap_grade_sd_pct
    assert not any(r.on_gap for r in reps)
