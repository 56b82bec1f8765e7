"""Rep finding on real watch files, against the laps their runners pressed or their watches made.

The cases are those of ``benchmarks/real_files.py``: the shared corpus's ``intervals/cases.json``
and ``tests/cases/corpus_cases.json``. Each is read in place and skipped without the corpus.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from benchmarks.real_files import (
    MISSTATED,
    Case,
    cases,
    continuous_runs,
    evaluate,
)
from tests.conftest import CORPUS
from workoutcheck.ingest import load
from workoutcheck.plan import parse_plan, resolve
from workoutcheck.segment import SegmentKind, segment
from workoutcheck.segment.measure import laps_a_track

CASES = cases(CORPUS) if CORPUS.is_dir() else []
KNOWN: set[str] = set()  # sessions still misread (none now), left out of the per-case test


_LOADED: dict = {}


def _load(path):  # type: ignore[no-untyped-def]
    """Each file read once for all its cases (the suite runs them in one process)."""
    if path not in _LOADED:
        _LOADED[path] = load(path)
    return _LOADED[path]


def _ids(cs: list[Case]) -> list[str]:
    return [c.path.name for c in cs]


@pytest.mark.skipif(not CASES, reason="corpus not present")
@pytest.mark.parametrize("laps", ["ignore", "auto", "use"])
@pytest.mark.parametrize(
    "factor", [1.0, 1.1, 0.9], ids=["as-planned", "10pc-slower", "10pc-faster"]
)
@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.path.name not in KNOWN],
    ids=_ids([c for c in CASES if c.path.name not in KNOWN]),
)
def test_every_rep_run_is_found(case, laps, factor):
    """Rep count right, no rep that was run called missed or extra, whichever lap mode and
    with every target pace 10% off: a wrong target changes verdicts, not which efforts are reps."""
    out = evaluate(case, _load(case.path), laps, factor)
    assert out.count_ok, case.note
    assert out.wrong_missed == 0 and out.wrong_extra == 0


@pytest.mark.skipif(not CASES, reason="corpus not present")
@pytest.mark.parametrize("factor", [1.15, 0.85], ids=["15pc-slower", "15pc-faster"])
@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_every_rep_run_is_found_with_targets_15pc_off(case, factor):
    """And with every target 15% off (the lap modes place what this finds): at 15% faster, a
    4 x 6 min session whose last two reps ran 26% slower than that read rep 4 as missed, its
    place a long rest with the run inside it."""
    out = evaluate(case, _load(case.path), "ignore", factor)
    assert out.count_ok, case.note
    assert out.wrong_missed == 0 and out.wrong_extra == 0


# recoveries taken twice as long as the plan says are found again at that length (a "90s
# jog" of 2-3 minutes, a "5min rest" of 10); of 16 reps with "15s" rests taken as 30 s, one
# boundary is 13 s off
KNOWN_MISSTATED = {("recoveries x0.5", "cosc470__4648970058.fit")}
MISSTATED_CASES = [
    pytest.param(
        label,
        restate,
        case,
        id=f"{label}-{case.path.name}",
        marks=[pytest.mark.xfail(strict=True, reason="known limit")]
        if (label, case.path.name) in KNOWN_MISSTATED
        else [],
    )
    for label, restate in MISSTATED
    for case in CASES
    if restate(resolve(parse_plan(case.plan))) is not None
]


@pytest.mark.skipif(not MISSTATED_CASES, reason="corpus not present")
@pytest.mark.parametrize(("label", "restate", "case"), MISSTATED_CASES)
def test_a_misstated_plan_does_not_move_the_reps(label, restate, case):
    """The plan's warm-up stated at a fifth to five times what was run, its recoveries at half
    or twice theirs, or the set alone: the same reps, each where it was run (the warm-up's
    length decides only where the data leave rep 1 open)."""
    out = evaluate(case, _load(case.path), "ignore", 1.0, restate)
    assert out.count_ok, (label, case.note)
    assert out.wrong_missed == 0 and out.wrong_extra == 0
    assert max(out.errors) < 10.0


@pytest.mark.long  # every case in every lap mode: about a minute; the cases below run each once
@pytest.mark.skipif(not CASES, reason="corpus not present")
def test_boundaries_against_the_laps():
    """Over every case: with laps ignored, most boundaries are within 3 s and nearly all within
    5 s of the laps (records every 3-6 s included); with laps auto, within a record interval;
    with laps use, on the lap."""
    found = {
        m: [evaluate(c, _load(c.path), m, 1.0) for c in CASES] for m in ("ignore", "auto", "use")
    }
    ignore = np.concatenate([o.errors for o in found["ignore"]])
    assert np.mean(ignore <= 3.0) >= 0.90  # 90.7% (75% with boundaries at the ramp's start)
    assert np.mean(ignore <= 5.0) >= 0.98  # 98.1%
    auto = found["auto"]
    within = np.concatenate([np.asarray(o.errors) <= max(o.record_s, 1.0) + 1e-6 for o in auto])
    assert np.mean(within) >= 0.95
    # a rep on its lap ends at the lap's start plus its elapsed time, as the truth does
    use = np.concatenate([o.errors for o in found["use"]])
    assert np.mean(use <= 1.0) >= 0.95
    assert np.mean(use <= 0.01) >= 0.90


def test_the_forerunner_735xt_speed_field_is_not_trusted():
    """Its speed field trails its distance by about 12 s: boundaries are timed on the distance,
    the note says why, and every rep starts within 6 s of its time-triggered workout lap (the
    speed field would put them 10-17 s late; rep 4 sets off after a 2 s stop at the beep)."""
    path = CORPUS / "intervals" / "activitypy__Tuesday_Fartlek.fit"
    if not path.exists():
        pytest.skip("corpus not present")
    case = next(c for c in CASES if c.path == path)
    activity = load(path)
    result = segment(activity, resolve(parse_plan(case.plan)), laps="ignore")
    lags = [
        re.search(
            r"timed on the watch's distance: its speed field trails its distance by (\d+) s", n
        )
        for n in result.notes
    ]
    assert any(m and 8 <= int(m.group(1)) <= 14 for m in lags), result.notes
    starts = [r.start_s for r in result.reps]
    assert np.max(np.abs(np.array(starts) - [a for a, _ in case.truth])) <= 6.0


def test_time_reps_run_on_the_watch_timer_last_about_their_time():
    """The same fitlek: rep 3 (60 s) has a 3-second dip 7 s before its end and rep 4 (120 s)
    a near-stop at its start, so the fits ended rep 3 after 55 s (7 s early) and started rep 4
    6 s late. The session's time reps keep to their times as a whole (within 3% here), so
    each is brought to within 3% of its own (a boundary moving 4 s at most): rep 3's end
    within 4.5 s of its lap and rep 4's start within 3 s."""
    path = CORPUS / "intervals" / "activitypy__Tuesday_Fartlek.fit"
    if not path.exists():
        pytest.skip("corpus not present")
    case = next(c for c in CASES if c.path == path)
    reps = segment(load(path), resolve(parse_plan(case.plan)), laps="ignore").reps
    prescribed = [60, 45, 60, 120, 90, 75]
    for rep, (start, end), want in zip(reps, case.truth, prescribed, strict=True):
        assert abs(rep.end_s - rep.start_s - want) <= 0.03 * want + 0.05, (rep, want)
        assert abs(rep.start_s - start) <= 4.0 and abs(rep.end_s - end) <= 5.0, (rep, start, end)
    assert abs(reps[2].end_s - case.truth[2][1]) <= 4.5
    assert abs(reps[3].start_s - case.truth[3][0]) <= 3.0


def test_where_the_watch_distance_alone_is_wrong_positions_and_speed_outvote_it():
    """Forerunner 235, 2 x (4 x 400 m, 4 x 200 m) on a track: after the 3-minute stand its
    distance holds back over the first 200 m rep's first 15 s (38 m of drift counted while
    standing), so on the distance the rep starts 14 s late; positions and speed field agree
    on when the runner set off. That boundary, and the one other such, move to where those
    two agree, and the note says so."""
    path = CORPUS / "intervals" / "cosc470__4648970058.fit"
    if not path.exists():
        pytest.skip("corpus not present")
    case = next(c for c in CASES if c.path == path)
    result = segment(_load(path), resolve(parse_plan(case.plan)), laps="ignore")
    note = next(n for n in result.notes if "timed on the positions and speed field" in n)
    assert note.startswith("2 boundaries") and "44:44 (-12 s)" in note, note
    reps = result.reps
    assert len(reps) == len(case.truth) == 16
    errors = [abs(r.start_s - t0) for r, (t0, _) in zip(reps, case.truth, strict=True)]
    errors += [abs(r.end_s - t1) for r, (_, t1) in zip(reps, case.truth, strict=True)]
    assert abs(reps[4].start_s - case.truth[4][0]) <= 3.0  # 14.4 s on the distance alone
    assert max(errors) <= 3.0


def test_a_vehicle_after_the_reps_is_left_out():
    """fit4s: the watch ran on in a vehicle after the last 200 m; that stretch is named and is
    neither a rep nor an extra effort."""
    path = CORPUS / "fit" / "fit4s__2825367441.fit"
    if not path.exists():
        pytest.skip("corpus not present")
    activity = load(path)
    result = segment(
        activity, resolve(parse_plan("10km @ 5:00/km; 5x(200m @ 3:45/km, 90s jog)")), laps="ignore"
    )
    assert any("faster than anyone runs" in n for n in result.notes)
    assert [r.rep for r in result.reps if not r.missed] == [1, 2, 3, 4, 5]
    assert not [s for s in result.segments if s.kind is SegmentKind.EXTRA and s.start_s > 4700]


def test_a_long_stand_after_the_last_rep_keeps_the_last_rep():
    """cosc470 4648970058: after the last 200 m (a sprint at 2:07/km) the runner walked and
    stood for three minutes before jogging; held to its "30s rest", that read as the last rep
    missed and the one before it extra. The rest after the last rep may run on."""
    case = next((c for c in CASES if c.path.name == "cosc470__4648970058.fit"), None)
    if case is None:
        pytest.skip("corpus not present")
    result = segment(_load(case.path), resolve(parse_plan(case.plan)), laps="ignore")
    assert not result.missed_reps and result.extra_efforts == 0
    found = [(r.start_s, r.end_s) for r in result.reps]
    assert len(found) == 16
    for (a, b), (t0, t1) in list(zip(found, case.truth, strict=True))[-2:]:
        assert abs(a - t0) <= 3.0 and abs(b - t1) <= 8.0


@pytest.mark.parametrize("laps", ["auto", "use"])
def test_a_lapped_rep_lasts_its_lap_time(laps):
    """cosc470 4513133397, 8 x 300 m pressed at the line: with the laps, each rep lasts what
    the watch timed its lap (total_elapsed_time, to the millisecond), not what the lap's
    whole-second timestamps say (rep 3: 49.72 s, not 49 s; 1.4% of its pace), and its pace
    is its 300 m over that."""
    case = next((c for c in CASES if c.path.name == "cosc470__4513133397.fit"), None)
    if case is None:
        pytest.skip("corpus not present")
    activity = _load(case.path)
    result = segment(activity, resolve(parse_plan(case.plan)), laps=laps)
    found = [(r.start_s, r.end_s, r.pace_s_per_km) for r in result.reps]
    assert len(found) == len(case.truth) == 8
    for (a, b, pace), (t0, t1) in zip(found, case.truth, strict=True):
        assert a == pytest.approx(t0, abs=0.01) and b == pytest.approx(t1, abs=0.01)
        assert pace == pytest.approx((t1 - t0) / 0.3, abs=0.05)
    assert found[2][1] - found[2][0] == pytest.approx(49.724, abs=0.001)
    lap = activity.laps[5]  # rep 3's lap: timestamps 1868 and 1917, elapsed 49.724 s
    assert (lap.start_s, lap.end_s, lap.clock_end_s) == (1868.0, 1917.0, pytest.approx(1917.724))


def test_a_lap_clock_far_from_its_timestamp_is_not_trusted():
    """A lap whose start plus elapsed time lies more than 2 s from its timestamp (across a
    clock jump, or a broken field) keeps its timestamp."""
    from workoutcheck.model import Lap

    assert Lap(10.0, 60.0, 300.0, elapsed_s=50.6).clock_end_s == pytest.approx(60.6)
    assert Lap(10.0, 60.0, 300.0, elapsed_s=53.0).clock_end_s == 60.0
    assert Lap(10.0, 60.0, 300.0).clock_end_s == 60.0


def test_a_rep_started_with_the_watch_has_no_warm_up():
    """The Suunto file starts with rep 1; its first 14 s read slow while GPS settled. They are
    the rep, not a warm-up."""
    case = next((c for c in CASES if c.path.name == "sportslib__6914538454.fit"), None)
    if case is None:
        pytest.skip("corpus not present")
    result = segment(_load(case.path), resolve(parse_plan(case.plan)), laps="ignore")
    assert result.segments[0].kind is SegmentKind.REP and result.segments[0].start_s == 0.0
    assert abs(result.reps[0].end_s - case.truth[0][1]) <= 3.0


CROSS_FORMAT = ["sportslib__6782987395", "sportslib__2067489619", "sportslib__6860622783"]


@pytest.mark.parametrize("stem", CROSS_FORMAT)
def test_one_run_is_described_alike_in_every_format(stem):
    """The same run as FIT, GPX and TCX gets one description without a plan."""
    paths = [
        CORPUS / f / f"{stem}.{f}"
        for f in ("fit", "gpx", "tcx")
        if (CORPUS / f / f"{stem}.{f}").exists()
    ]
    if len(paths) < 2:
        pytest.skip("corpus not present")
    assert len({segment(_load(p), None).description for p in paths}) == 1


# every continuous running file of the corpus (benchmarks/real_files.py lists them), with why it is
# no interval session: None where no faster stretch stands out at all
CONTINUOUS = {
    "fit/fit4s__run-20180322T212609.fit": "stand out",
    "fit/fitparse__activity-small-fenix2-run.fit": None,
    "fit/fitparse__compressed-speed-distance.fit": "stand out",
    "fit/fitparse__developer-types-sample.fit": None,
    "fit/fitparse__sample_mulitple_header.fit": None,
    "fit/gc__10kUNLP2014-Garmin15.fit": None,
    "fit/runalyze__FR920xt-with-runscribe-plus.fit": None,
    "fit/runalyze__Fenix-2-pauses.fit": None,
    "fit/runalyze__Standard.fit": "stand out",
    "fit/runalyze__garmin-runPower.fit": None,
    "fit/runalyze__multisport-triathlon-fenix3.fit": None,
    "fit/sportslib__6782987395.fit": "stand out",
    "fit/sportslib__6860622783.fit": "stand out",
    "fit/tormoder__mornindew-broken.fit": "stand out",
    "gpx/runalyze__Movescount-mixed-extensions.gpx": None,
    "gpx/sportslib__1681613317.gpx": "stand out",
    "gpx/sportslib__6782987395.gpx": "stand out",
    "gpx/sportslib__amazfit.gpx": None,
    "tcx/gc__10kUNLP2014-Garmin15.tcx": None,
    "tcx/runalyze__Could-Not-Be-Read_by-Florian.tcx": "stand out",
    "tcx/runalyze__Multiple-Trainings.tcx": None,
    "tcx/runalyze__Multisport.tcx": "stand out",
    "tcx/sportslib__6782987395.tcx": "stand out",
    "tcx/sportslib__6860622783.tcx": "stand out",
    "tcx/sportslib__unknown_example.tcx": None,
    # a few short pick-ups far apart: surges in a run, not intervals
    "fit/runalyze__FR70-intervals.fit": "pick-ups far apart",
    "fit/runalyze__Multisession.fit": "pick-ups far apart",
    "gpx/runalyze__runkeeper-negative-time-step-at-start.gpx": "pick-ups far apart",
    "gpx/sportslib__strava-120min-moderate-hard.gpx": "pick-ups far apart",
    # dozens of pick-ups of every length at every spacing: trail and ultra runs, a hike
    "fit/sportslib__garmin-fr910xt-5h39.fit": "terrain",
    "fit/sportslib__6914448270.fit": "terrain",
    "fit/sportslib__6916728382.fit": "terrain",
    "gpx/sportslib__6909258631.gpx": "terrain",
    "gpx/runalyze__break-between-trkseg.gpx": "terrain",
    "gpx/sportslib__sports-tracker.gpx": "terrain",
    # a walk with jogs in it: walking breaks of irregular lengths, the jogs a fifth of it
    "fit/sportslib__2067489619.fit": "run-walk",
    "gpx/sportslib__2067489619.gpx": "run-walk",
    # a hilly run, walked up the climbs and run on the flat and down: steady at grade-adjusted pace
    "fit/fitparse__2013-02-06-12-11-14.fit": "descents",
    # noisy speed (positions every 5 s; a distance in steps) whose peaks are no efforts: the
    # cadence does not rise with them
    "gpx/runalyze__strava-export.gpx": "wander",
    "tcx/runalyze__Standard.tcx": "wander",
}


@pytest.mark.parametrize("name", sorted(CONTINUOUS))
def test_a_continuous_run_is_described_as_continuous(name):
    """Runs with stops at traffic lights, changes of pace, hills, walking breaks and a noisy
    speed are no interval session: no reps, and the note says why."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip("corpus not present")
    result = segment(_load(path), None)
    assert result.description.startswith("continuous") and not result.reps
    why = [n for n in result.notes if n.startswith("no interval session")]
    if CONTINUOUS[name] is not None:
        assert len(why) == 1 and CONTINUOUS[name] in why[0], why


def test_every_continuous_run_of_the_corpus_is_pinned():
    """The benchmark's list of continuous runs and this test's are the same files."""
    if not CORPUS.is_dir():
        pytest.skip("corpus not present")
    runs = {f"{p.parent.name}/{p.name}" for p in continuous_runs(CORPUS)}
    assert runs == set(CONTINUOUS)


@pytest.mark.skipif(not CASES, reason="corpus not present")
def test_every_real_interval_session_is_described_as_one():
    """Without a plan each real interval session still reads as work and recovery blocks."""
    for case in CASES:
        result = segment(_load(case.path), None)
        assert not result.description.startswith("continuous"), case.path.name


@pytest.mark.parametrize(
    ("name", "on_track"),
    [
        ("cosc470__2885017922.fit", True),  # 6x800 m on a track; the file does not say so
        ("cosc470__4648970058.fit", True),  # 400s and 200s: half a lap shows the oval too
        ("runstats__6761214480_ACTIVITY.fit", False),  # 6x400 m on a road
        ("sportslib__6914538454.fit", False),
    ],
)
def test_a_track_is_recognised_from_the_positions(name, on_track):
    """Reps that go round a 400 m oval are paced on the prescribed distance (GPS reads the
    bends long: 841-861 m for these 800s); road reps keep their measured distance unless it
    agrees with the prescription."""
    case = next((c for c in CASES if c.path.name == name), None)
    if case is None:
        pytest.skip("corpus not present")
    activity = _load(case.path)
    result = segment(activity, resolve(parse_plan(case.plan)), laps="use")
    reps = [r for r in result.reps if r.start_s is not None]
    assert [laps_a_track(activity, r.start_s, r.end_s) for r in reps] == [on_track] * len(reps)
    if name == "cosc470__2885017922.fit":
        assert all(r.distance_basis == "prescribed" and r.distance_used_m == 800.0 for r in reps)
        assert all(r.distance_m > 830 for r in reps)  # what the watch measured stays in the JSON


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
def test_recoveries_taken_longer_than_written_are_found_at_their_length():
    """5 x 200 m with the jogs written as 45 s and taken as 71-130 s: outside what a recovery of
    45 s may fill, the first alignment read a rep as missed; aligned again with the recoveries
    as long as this runner took them (the median found, 2-3x), all five reps are found, each
    where it was run, and the note says so. The recoveries are still judged on the plan's."""
    case = next((c for c in CASES if c.path.name == "fit4s__2825367441.fit"), None)
    if case is None:
        pytest.skip("fit4s__2825367441.fit not in the corpus")
    plan = resolve(parse_plan("10km @ 5:00/km; 5x(200m @ 3:45/km, 45s jog)"))
    result = segment(_load(case.path), plan, laps="ignore")
    reps = [s for s in result.segments if s.kind is SegmentKind.REP and not s.missed]
    assert len(reps) == 5 and result.missed_reps == ()
    for found, (t0, t1) in zip(reps, case.truth, strict=True):
        assert found.start_s == pytest.approx(t0, abs=3.0)
        assert found.end_s == pytest.approx(t1, abs=3.0)
    note = next(n for n in result.notes if n.startswith("the recoveries took"))
    stretch = float(re.search(r"took ([\d.]+) times", note).group(1))
    assert 2.0 <= stretch <= 3.0
