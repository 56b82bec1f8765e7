"""Tests of the sample-file generator (samplegen/) and of the committed sample_files/.

The samples are the ground truth every other test and benchmark leans on, so these tests check
the truth against physics (distances, splits, boundaries) and the files against independent
decoders (fitparse, gpxpy, ElementTree), not against the generator's own bookkeeping.
"""

from __future__ import annotations

import gzip
import itertools
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import fitparse
import gpxpy
import numpy as np
import pytest

from samplegen import (
    Block,
    Fault,
    LapSettings,
    Runner,
    SampleSpec,
    TrackRoute,
    WatchSettings,
    interval_session,
    simulate,
)
from samplegen.build import build_sample, simulate_sample
from samplegen.catalog import race_400m_track, specs
from samplegen.geo import haversine_m
from samplegen.truth import truth_json

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_files"
TOP_KEYS = {
    "truth_version",
    "files",
    "plan",
    "profile",
    "surface",
    "recording",
    "start_time",
    "duration_s",
    "distance_m",
    "segments",
    "missed_reps",
    "extra",
}
SEG_KEYS = {
    "kind",
    "rep",
    "step",
    "start_s",
    "end_s",
    "distance_m",
    "pace_s_per_km",
    "faults",
    "splits",
}


@pytest.fixture(scope="module")
def simulated():
    """Every catalog sample simulated in memory once: {stem: (spec, motion, recording, truth)}."""
    return {s.stem: (s, *simulate_sample(s)) for s in specs()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """The whole sample set regenerated into a fresh directory."""
    out = tmp_path_factory.mktemp("samples")
    for spec in specs():
        build_sample(spec, out)
    return out


def _truth(stem: str) -> dict:
    return json.loads((SAMPLES / f"{stem}.truth.json").read_text(encoding="utf-8"))


def _fit_messages(path: Path) -> dict[str, list[dict]]:
    ff = fitparse.FitFile(str(path), check_crc=True)
    out: dict[str, list[dict]] = {}
    for m in ff.get_messages():
        out.setdefault(m.name, []).append({d.name: d.value for d in m})
    return out


def test_same_seed_gives_identical_bytes(tmp_path):
    """Building a sample twice gives byte-identical FIT and truth files; another seed does not."""
    spec = race_400m_track()
    a = build_sample(spec, tmp_path / "a")
    b = build_sample(spec, tmp_path / "b")
    for pa, pb in zip(a.paths, b.paths, strict=False):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    c = build_sample(replace(spec, seed=spec.seed + 1000), tmp_path / "c")
    assert c.paths[0].read_bytes() != a.paths[0].read_bytes()


def test_committed_samples_are_up_to_date(regenerated):
    """sample_files/ is exactly what ``python -m samplegen`` writes now (truth JSON and files)."""
    names = sorted(p.name for p in regenerated.iterdir())
    assert names == sorted(p.name for p in SAMPLES.iterdir()), "sample set differs: regenerate"
    for name in names:
        if name.endswith(".truth.json"):
            assert (regenerated / name).read_text() == (SAMPLES / name).read_text(), name
        assert (regenerated / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_sample_set_is_small_and_complete():
    """The committed set stays under 2 MB and every data file is listed in exactly one truth."""
    total = sum(p.stat().st_size for p in SAMPLES.iterdir())
    assert total < 2_000_000
    covered = []
    for t in SAMPLES.glob("*.truth.json"):
        covered += json.loads(t.read_text())["files"]
    data = sorted(p.name for p in SAMPLES.iterdir() if not p.name.endswith(".truth.json"))
    assert sorted(covered) == data
    assert len(data) == 10


def test_truth_has_exactly_the_contract_keys(simulated):
    """Truth files carry exactly the agreed keys, at the top level and per segment."""
    for stem, (_, _, _, truth) in simulated.items():
        assert set(truth) == TOP_KEYS, stem
        assert truth["truth_version"] == 1
        assert truth["start_time"].endswith("Z")
        for seg in truth["segments"]:
            assert set(seg) == SEG_KEYS, stem


def test_segments_tile_the_recording(simulated):
    """Segments run from 0 to duration_s with no gap or overlap, and distances add up."""
    for stem, (_, _, rec, truth) in simulated.items():
        segs = truth["segments"]
        assert segs[0]["start_s"] == 0.0
        assert segs[-1]["end_s"] == truth["duration_s"] == rec.duration_s, stem
        for a, b in itertools.pairwise(segs):
            assert a["end_s"] == b["start_s"], stem
            assert b["end_s"] > b["start_s"]
        assert sum(s["distance_m"] for s in segs) == pytest.approx(truth["distance_m"], abs=0.01)


def test_true_rep_distances_equal_the_plan(simulated):
    """Every distance-prescribed segment covers exactly its distance; splits add up to the rep."""
    n_checked = 0
    for _stem, (_spec, _, _, truth) in simulated.items():
        for seg, target in zip(truth["segments"], truth["extra"]["segment_targets"], strict=False):
            if target["planned_distance_m"] is not None:
                assert seg["distance_m"] == pytest.approx(target["planned_distance_m"], abs=1e-3)
                n_checked += 1
            if seg["kind"] == "rep":
                assert sum(s["distance_m"] for s in seg["splits"]) == pytest.approx(
                    seg["distance_m"], abs=2e-3
                )
                assert sum(s["duration_s"] for s in seg["splits"]) == pytest.approx(
                    seg["end_s"] - seg["start_s"], abs=5e-3
                )
                assert all(s["distance_m"] == 200.0 for s in seg["splits"][:-1])
    # 5x1000 (10) + 8x400 (16) + progressive (9) + race (1) + 6x800 (10) + 10x200 (10)
    assert n_checked == 56


def test_race_splits_are_exact():
    """The 400 m race's true 200 m splits are 25.5 s and 26.5 s (PR 24.0 + 1.5, then +1.0)."""
    truth = _truth("race_400m_track")
    assert truth["profile"] == {"200m": "24.0"}
    race = [s for s in truth["segments"] if s["kind"] == "rep"]
    assert len(race) == 1 and race[0]["distance_m"] == 400.0
    assert [s["duration_s"] for s in race[0]["splits"]] == pytest.approx([25.5, 26.5], abs=0.01)
    assert race[0]["end_s"] - race[0]["start_s"] == pytest.approx(52.0, abs=0.01)


def test_boundary_is_where_speed_is_halfway():
    """With the first stress sets' centred rule and no wobble, the true speed at a rep boundary
    is the mean of the two segment levels."""
    s = interval_session(
        "3x400m @ 3:20/km, 200m jog",
        [Block(distance_m=400, pace_s_per_km=200)] * 3,
        Block(distance_m=200, pace_s_per_km=400, style="jog"),
    )
    m = simulate(
        s,
        Runner(wobble_sd=0.0, pace_sd=0.0, ramp_align="centre"),
        TrackRoute("t", 50.0, 4.0),
        seed=1,
    )
    levels = m.notes["piece_levels_mps"]
    for k in (1, 2, 3):  # boundaries between pieces k-1 and k
        mid = (levels[k - 1] + levels[k]) / 2
        assert float(m.speed_at(m.bounds[k])) == pytest.approx(mid, abs=0.01)
    # ramps are 2-4 s: a second before the rep starts the runner is still near jog speed
    assert float(m.speed_at(m.bounds[2] - 2.0)) == pytest.approx(levels[1], rel=0.02)


def test_faults_show_in_the_true_splits():
    """Rep 3 of the 8x400 starts fast then fades; rep 6 is more than 5 % slow over 80 s."""
    truth = _truth("eight_by_400_track")
    reps = {s["rep"]: s for s in truth["segments"] if s["kind"] == "rep"}
    assert reps[3]["faults"] == ["fast_start"] and reps[6]["faults"] == ["off_pace"]
    # the first 200 m of every rep holds its acceleration: rep 3 fades against the others
    ratio = {
        k: r["splits"][1]["duration_s"] / r["splits"][0]["duration_s"] for k, r in reps.items()
    }
    assert ratio[3] > 1.03 * np.median([v for k, v in ratio.items() if k != 3])
    assert reps[6]["pace_s_per_km"] > 200 * 1.05
    others = [reps[k]["pace_s_per_km"] for k in reps if k not in (3, 6)]
    assert max(abs(p - 200) / 200 for p in others) < 0.03


def test_missed_rep_is_left_out():
    """Planned rep 4 of 6x800 is missing: reps 1-3, 5, 6 and one 1600 m recovery in its place."""
    truth = _truth("six_by_800_missed")
    assert truth["missed_reps"] == [4]
    reps = [s["rep"] for s in truth["segments"] if s["kind"] == "rep"]
    assert reps == [1, 2, 3, 5, 6]
    long_rec = [s for s in truth["segments"] if s["kind"] == "recovery" and s["rep"] == 3]
    assert len(long_rec) == 1 and long_rec[0]["distance_m"] == pytest.approx(1600.0, abs=1e-3)


def test_device_distance_within_one_percent(simulated):
    """The watch's integrated distance ends within 1 % of the true distance in every sample."""
    for stem, (_, _motion, rec, truth) in simulated.items():
        ratio = rec.distance[-1] / truth["distance_m"]
        assert abs(ratio - 1.0) < 0.01, (stem, ratio)
        assert np.all(np.diff(rec.distance) >= 0)


def test_raw_gps_distance_is_plausibly_inflated(simulated):
    """Distance summed from the noisy positions over-reads by 0-8 % (Gilgen-Ammann 2020: 3-6 %)."""
    for stem, (spec, _, rec, truth) in simulated.items():
        gps = haversine_m(rec.lat, rec.lon).sum()
        ratio = gps / truth["distance_m"]
        lo = 0.97 if spec.watch.recording == "smart" else 1.0  # sparse points cut bends
        assert lo < ratio < 1.08, (stem, ratio)


def test_gps_error_is_correlated_and_metre_sized(simulated):
    """Position error is 1-3 m and strongly correlated from one second to the next (not white)."""
    _, motion, rec, _ = simulated["five_by_1000_track"]
    lat_true, _ = motion.route.latlon(motion.distance_at(rec.t) + motion.route_offset_m)
    err = (rec.lat - lat_true) * np.pi / 180 * 6_371_008.8
    assert 0.8 < err.std() < 3.5
    assert np.corrcoef(err[1:], err[:-1])[0, 1] > 0.8


def test_track_lap_measures_400m():
    """A lap of lane 1, converted to lat/lon and measured with haversine, is 400.0 m."""
    r = TrackRoute("t", -37.8, 144.98, heading_deg=33.0)
    lat, lon = r.latlon(np.linspace(0.0, r.lap_m, 20001))
    assert haversine_m(lat, lon).sum() == pytest.approx(400.0, abs=0.01)
    assert replace(r, lane=2).lap_m == pytest.approx(407.67, abs=0.05)


@pytest.mark.parametrize("stem", [s.stem for s in specs() if "fit" in s.formats])
def test_fit_decodes_with_crc_and_matches_simulation(stem):
    """Each FIT decodes with fitparse (CRC checked); record and lap counts match the truth."""
    truth = _truth(stem)
    msgs = _fit_messages(SAMPLES / f"{stem}.fit")
    recs, laps = msgs["record"], msgs["lap"]
    assert len(recs) == truth["extra"]["records"]
    assert len(laps) == len(truth["extra"]["laps"])
    assert msgs["session"][0]["num_laps"] == len(laps)
    t0 = recs[0]["timestamp"]
    assert t0.strftime("%Y-%m-%dT%H:%M:%SZ") == truth["start_time"]
    assert (recs[-1]["timestamp"] - t0).total_seconds() == truth["duration_s"]
    assert recs[-1]["distance"] == pytest.approx(truth["extra"]["device_distance_m"], abs=0.01)
    assert all(r["position_lat"] is not None and r["heart_rate"] > 30 for r in recs)
    lap_sum = sum(l["total_elapsed_time"] for l in laps)
    assert lap_sum == pytest.approx(truth["duration_s"], abs=0.01)


def test_manual_laps_are_late_and_one_is_missed():
    """5x1000 laps: presses 0.5-3 s after the true boundaries, the one ending rep 3 missed."""
    truth = _truth("five_by_1000_track")
    bounds = [s["start_s"] for s in truth["segments"][1:]]
    ends = [l["end_s"] for l in truth["extra"]["laps"][:-1]]
    assert len(ends) == len(bounds) - 1 == 10
    rep3_end = truth["segments"][5]["end_s"]
    assert not any(0 <= e - rep3_end <= 3.0 for e in ends)
    for e in ends:
        delay = min(e - b for b in bounds if b <= e)
        assert 0.5 <= delay <= 3.0


def test_auto_laps_do_not_match_reps():
    """The 6x3min FIT has only 1 km distance-triggered laps (plus the final partial lap)."""
    msgs = _fit_messages(SAMPLES / "six_by_3min_road.fit")
    laps = msgs["lap"]
    assert [l["lap_trigger"] for l in laps[:-1]] == ["distance"] * (len(laps) - 1)
    assert all(l["total_distance"] == pytest.approx(1000.0, abs=6.0) for l in laps[:-1])
    assert laps[-1]["lap_trigger"] == "session_end"


def test_structured_workout_is_embedded():
    """The progressive FIT has the workout (11 steps, speed targets) and laps tagged with steps."""
    msgs = _fit_messages(SAMPLES / "progressive_1000s.fit")
    steps = msgs["workout_step"]
    assert len(steps) == msgs["workout"][0]["num_valid_steps"] == 11
    reps = [s for s in steps if s["target_type"] == "speed"]
    assert [
        round(1000 / ((s["custom_target_speed_low"] + s["custom_target_speed_high"]) / 2))
        for s in reps
    ] == [330, 310, 290, 260, 225]
    assert reps[0]["duration_distance"] == 1000.0
    assert [l["wkt_step_index"] for l in msgs["lap"]] == list(range(11))
    assert [l["intensity"] for l in msgs["lap"][:3]] == ["warmup", "active", 4]  # 4 = recovery
    assert msgs["lap"][-1]["intensity"] == "cooldown"


def test_auto_pause_removes_records_and_timer_time():
    """In the 10x200 standing rests the timer stops: stop/start events, no records in between."""
    truth = _truth("ten_by_200_autopause")
    msgs = _fit_messages(SAMPLES / "ten_by_200_autopause.fit")
    ev = [e["event_type"] for e in msgs["event"]]
    assert ev[0] == "start" and ev[-1] == "stop_all"
    assert ev.count("stop_all") == len(truth["extra"]["pauses"]) + 1 >= 9
    t0 = msgs["record"][0]["timestamp"]
    ts = np.array([(r["timestamp"] - t0).total_seconds() for r in msgs["record"]])
    paused = sum(p["end_s"] - p["start_s"] for p in truth["extra"]["pauses"])
    for p in truth["extra"]["pauses"]:
        assert not np.any((ts > p["start_s"]) & (ts < p["end_s"]))
    assert msgs["session"][0]["total_timer_time"] == pytest.approx(truth["duration_s"] - paused)
    # the stop and restart seconds are both recorded; the seconds strictly between are not
    assert len(ts) == truth["duration_s"] + 1 - paused + len(truth["extra"]["pauses"])


def test_gpx_and_fit_are_the_same_run():
    """The 5x1000 GPX has the FIT's timestamps and positions, HR and cadence, and no distance."""
    gpx = gpxpy.parse((SAMPLES / "five_by_1000_track.gpx").read_text(encoding="utf-8"))
    pts = gpx.tracks[0].segments[0].points
    recs = _fit_messages(SAMPLES / "five_by_1000_track.fit")["record"]
    assert len(pts) == len(recs)
    k = len(pts) // 2
    assert pts[k].time.replace(tzinfo=None) == recs[k]["timestamp"]
    assert pts[k].latitude == pytest.approx(recs[k]["position_lat"] * 180 / 2**31, abs=1e-6)
    ext = {e.tag.split("}")[1]: int(e.text) for e in pts[k].extensions[0]}
    assert ext == {"hr": recs[k]["heart_rate"], "cad": recs[k]["cadence"]}
    assert "distance" not in (SAMPLES / "five_by_1000_track.gpx").read_text().lower()
    g2 = gpxpy.parse(gzip.open(SAMPLES / "six_by_3min_road.gpx.gz", "rt", encoding="utf-8"))
    assert g2.get_points_no() == _truth("six_by_3min_road")["extra"]["records"]


def test_tcx_laps_and_trackpoints():
    """The tempo TCX has 3 laps (pressed at the tempo's ends) and every record as a Trackpoint."""
    truth = _truth("tempo_20min_road")
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    root = ET.parse(SAMPLES / "tempo_20min_road.tcx").getroot()
    act = root.find("t:Activities/t:Activity", ns)
    assert act.get("Sport") == "Running"
    laps = act.findall("t:Lap", ns)
    assert len(laps) == 3
    tps = act.findall(".//t:Trackpoint", ns)
    assert len(tps) == truth["extra"]["records"]
    dist = [float(tp.find("t:DistanceMeters", ns).text) for tp in tps]
    assert dist[-1] == pytest.approx(truth["extra"]["device_distance_m"], abs=0.01)
    tempo = truth["segments"][1]
    lap2_start = laps[1].get("StartTime")
    assert lap2_start.endswith("Z")
    assert float(laps[1].find("t:TotalTimeSeconds", ns).text) == pytest.approx(
        tempo["end_s"] - tempo["start_s"], abs=3.5
    )
    assert {l.find("t:Intensity", ns).text for l in laps} == {"Active"}


def test_smart_recording_is_irregular_and_sparser(simulated):
    """Smart recording stores points 1-7 s apart, more densely around rep starts and ends."""
    _, _motion, rec, truth = simulated["eight_by_400_track"]
    gaps = np.diff(rec.t)
    assert gaps.min() >= 1 and gaps.max() <= 7
    assert len(set(gaps.tolist())) >= 4
    assert len(rec.t) < rec.duration_s / 3
    edges = np.array(
        [s["start_s"] for s in truth["segments"] if s["kind"] == "rep"]
        + [s["end_s"] for s in truth["segments"] if s["kind"] == "rep"]
    )
    near = np.min(np.abs(rec.t[1:, None] - edges[None, :]), axis=1) <= 4
    assert gaps[near].mean() < 0.8 * gaps[~near].mean()


def test_library_api_builds_other_sessions(tmp_path):
    """A squad-style call: any session, runner and watch -> files + truth, with exact reps."""
    s = interval_session(
        "6x3min @ 4:00/km, 2min easy",
        [Block(duration_s=180, pace_s_per_km=240)] * 6,
        Block(duration_s=120, pace_s_per_km=360, style="jog"),
        faults={2: [Fault("off_pace", -0.06)]},
    )
    spec = SampleSpec(
        "squad_athlete_01",
        s,
        Runner("A1", fatigue=0.02),
        TrackRoute("t", 48.1, 11.5),
        WatchSettings(laps=LapSettings("workout")),
        datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
        ("fit", "tcx"),
        seed=7,
    )
    built = build_sample(spec, tmp_path)
    assert [p.name for p in built.paths] == [
        "squad_athlete_01.fit",
        "squad_athlete_01.tcx",
        "squad_athlete_01.truth.json",
    ]
    reps = [x for x in built.truth["segments"] if x["kind"] == "rep"]
    # the first segment also holds the seconds the runner stood after starting the watch
    assert reps[0]["start_s"] == 0.0 and reps[0]["end_s"] == pytest.approx(182.0, abs=1e-3)
    assert [r["end_s"] - r["start_s"] for r in reps[1:]] == pytest.approx([180.0] * 5, abs=1e-3)
    assert reps[1]["pace_s_per_km"] < 240 * 0.96  # 6 % fast
    assert truth_json(built.truth) == (tmp_path / "squad_athlete_01.truth.json").read_text()
    msgs = _fit_messages(built.paths[0])
    assert [st["duration_type"] for st in msgs["workout_step"]][-1] == "repeat_until_steps_cmplt"
    assert {l["wkt_step_index"] for l in msgs["lap"]} == {0, 1}


# --- real-watch quirks (samplegen.quirks) and the coach's line rule -------------------------


def _real_spec(**quirks):
    """A 6x400m track session run to the line rule, with the given watch quirks."""
    from samplegen.quirks import Quirks

    s = interval_session(
        "wu 10min; 6x400m @ 3:20/km, 60s rest; cd 5min",
        [Block(distance_m=400, pace_s_per_km=200)] * 6,
        Block(duration_s=60, style="stand"),
        warmup=Block(duration_s=600, pace_s_per_km=330),
        cooldown=Block(duration_s=300, pace_s_per_km=340),
    )
    laps = quirks.pop("laps", LapSettings("manual", press_delay_s=(0.0, 1.5)))
    rec = quirks.pop("recording", "1s")
    tau = quirks.pop("speed_tau_s", 1.0)
    return SampleSpec(
        "quirky",
        s,
        Runner("Q", ramp_align="line"),
        TrackRoute("track", 50.0, 0.0),
        WatchSettings(recording=rec, laps=laps, speed_tau_s=tau, quirks=Quirks(**quirks)),
        datetime(2026, 1, 1, tzinfo=UTC),
        ("fit",),
        seed=77,
    )


@pytest.mark.parametrize("delay", [0.0, 6.0, 12.0, 19.0])
def test_speed_field_trails_a_right_distance_by_the_asked_lag(delay):
    from samplegen.validate import fr735_like, speed_lag_s

    spec = fr735_like(delay_s=delay, tau_s=1.0)
    motion, rec, truth = simulate_sample(spec)
    lag = speed_lag_s(rec.t, rec.speed, rec.distance)
    assert abs(lag - (delay + 1.0)) <= 1.0, lag
    assert truth["extra"]["quirks"]["speed_lag_vs_distance_s"] == delay + 1.0
    # the distance is the real one (to the calibration bias), at every record: it does not lag
    true_d = motion.distance_at(rec.t) * (1 + spec.watch.distance_bias)
    assert np.abs(rec.distance - true_d).max() < 0.01


def _crossing_delays(motion, rec, truth) -> tuple[float, float]:
    """Median seconds the speed field crosses halfway between rest and rep after the true
    speed does, at the reps' starts and at their ends."""
    v = motion.speed_at(rec.t)
    ups, downs = [], []
    for s in (x for x in truth["segments"] if x["kind"] == "rep"):
        mid = 0.5 * (np.median(v[(rec.t > s["start_s"] + 10) & (rec.t < s["end_s"] - 10)]) + 1.0)
        for at, rising, out in ((s["start_s"], True, ups), (s["end_s"], False, downs)):
            w = (rec.t >= at - 5) & (rec.t <= at + 25)
            tt, field, true = rec.t[w], rec.speed[w], v[w]
            past = [(x >= mid) if rising else (x <= mid) for x in (field, true)]
            out.append(float(tt[np.argmax(past[0])] - tt[np.argmax(past[1])]))
    return float(np.median(ups)), float(np.median(downs))


def test_real_fixes_move_smoothly_second_to_second():
    """The measure the chipset filter is set by, on the corpus's real interval files: their
    fixes wander metres yet scatter 0.1-0.25 m/s from one to the next."""
    from samplegen.validate import fix_scatter_mps
    from tests.conftest import corpus_file
    from workoutcheck.ingest import load

    for name in ("cosc470__2885017922.fit", "runstats__10024712104_ACTIVITY.fit"):
        a = load(corpus_file("intervals", name))
        assert 0.05 < fix_scatter_mps(a.t, a.lat, a.lon) < 0.35


def test_a_speed_field_takes_up_a_rep_sooner_than_it_lets_go():
    """The corpus's speed fields, lined up with their distance, rise 1.6 s early at starts and
    fall 0.2 s late at ends: a filter quicker to speed up than to slow (``speed_fall_tau_s``)
    on the speed field alone; the distance integrates the even filter."""
    spec = _real_spec(distance_basis="speed", speed_tau_s=1.0)
    even = simulate_sample(spec)
    uneven_spec = replace(spec, watch=replace(spec.watch, speed_fall_tau_s=4.0))
    uneven = simulate_sample(uneven_spec)
    up, down = _crossing_delays(*even)
    assert abs(down - up) <= 1.0
    up, down = _crossing_delays(*uneven)
    assert 1.5 <= down - up <= 5.0
    assert np.array_equal(even[1].distance, uneven[1].distance)
    assert uneven[2]["extra"]["watch"]["speed_fall_tau_s"] == 4.0
    assert "speed_fall_tau_s" not in even[2]["extra"]["watch"]


def test_distance_that_integrates_the_speed_lags_with_it():
    from samplegen.validate import speed_lag_s

    _, rec, truth = simulate_sample(_real_spec(speed_delay_s=8.0))  # distance_basis "speed"
    assert abs(speed_lag_s(rec.t, rec.speed, rec.distance)) <= 1.0  # they agree with each other
    motion = rec.motion
    t = rec.t.astype(float)
    # ... but both trail the truth by the delay + the filter (8 + 1 s)
    assert abs(speed_lag_s(t, rec.speed, motion.distance_at(t)) - 9.0) <= 1.0
    assert truth["extra"]["quirks"]["speed_lag_vs_distance_s"] == 0.0


def test_suunto_like_watch_has_no_lag_between_speed_and_distance():
    from samplegen.validate import speed_lag_s

    motion, rec, _ = simulate_sample(_real_spec(distance_basis="true", speed_tau_s=0.5))
    assert abs(speed_lag_s(rec.t, rec.speed, rec.distance)) <= 1.0
    assert np.abs(rec.distance - motion.distance_at(rec.t) * 1.003).max() < 0.01


def test_sparse_records_every_3_to_8_s_with_an_exact_distance():
    motion, rec, truth = simulate_sample(
        _real_spec(recording="sparse", distance_basis="true", sparse_fast_gap_s=(3, 8))
    )
    gap = np.diff(rec.t)
    moving = rec.speed[:-1] > 1.5
    assert gap[moving].min() >= 1 and gap.max() <= 16
    inside = (gap[moving] >= 3) & (gap[moving] <= 8)
    assert inside.mean() > 0.9  # the odd shorter one is a forced record (start, end)
    assert 4 <= np.median(gap[moving]) <= 6
    assert len(rec.t) < 0.3 * rec.duration_s
    assert truth["recording"] == "sparse"
    assert np.abs(rec.distance - motion.distance_at(rec.t) * 1.003).max() < 0.01


def test_a_smoothed_distance_bends_before_the_laps_as_the_real_files_do():
    """Real watches' distance starts its change of pace before the lap (medians over the
    corpus's lapped interval files: starts 1.0 s, ends 1.3 s); a distance integrated from the
    motion alone starts it at the press or later. The centred smoothing moves the starts'
    change before their laps and keeps every rep's distance (the ends' long slowdowns move
    less: see ``Quirks``)."""
    from samplegen.validate import _lap_spans, lap_in_change_s

    _, plain, plain_truth = simulate_sample(_real_spec(distance_basis="true"))
    _, rec, truth = simulate_sample(_real_spec(distance_basis="true", distance_smooth_s=5.0))
    before = lap_in_change_s(plain.t, plain.distance, _lap_spans(plain, plain_truth))
    after = lap_in_change_s(rec.t, rec.distance, _lap_spans(rec, truth))
    assert after["start"] - before["start"] >= 1.0 and after["start"] > 0.5
    assert after["end"] >= before["end"]
    assert truth["extra"]["watch"]["quirks"]["distance_smooth_s"] == 5.0
    assert rec.distance[-1] == pytest.approx(plain.distance[-1], abs=0.5)
    for s in (x for x in truth["segments"] if x["kind"] == "rep"):
        got = np.interp([s["start_s"], s["end_s"]], rec.t, rec.distance)
        assert got[1] - got[0] == pytest.approx(s["distance_m"] * 1.003, rel=0.02)


def test_a_distance_from_the_watch_gps_carries_the_fixes_error():
    """Real watches measure their distance from their own GPS fixes: a rep's distance is off
    by a few per cent (not the 0.3% calibration of ``distance_basis="true"``), the error
    follows the positions the file records, and nothing counts while the runner stands."""
    _, rec, truth = simulate_sample(_real_spec(distance_basis="gps"))
    reps = [x for x in truth["segments"] if x["kind"] == "rep"]
    off = []
    for s in reps:
        got = np.interp([s["start_s"], s["end_s"]], rec.t, rec.distance)
        off.append((got[1] - got[0]) / s["distance_m"] - 1)
    off = np.abs(off)
    assert 0.003 < off.mean() < 0.06 and off.max() < 0.1
    assert truth["extra"]["watch"]["quirks"]["distance_basis"] == "gps"
    assert truth["extra"]["watch"]["quirks"]["gps_distance_smooth_s"] == 0.5
    # the 60 s stands between the reps add nothing, however the fixes wander
    for a, b in itertools.pairwise(reps):
        mid = (a["end_s"] + b["start_s"]) / 2
        still = np.interp([mid - 15, mid + 15], rec.t, rec.distance)
        assert still[1] - still[0] < 1.0
    # the positions are those of the base watch: only the distance record changed
    _, base, _ = simulate_sample(_real_spec(distance_basis="true"))
    assert np.array_equal(rec.lat, base.lat) and np.array_equal(rec.t, base.t)
    assert not np.allclose(rec.distance, base.distance, atol=1.0)


def test_a_chipset_filter_smooths_the_fixes_as_real_ones_move():
    """Real fixes wander metres yet move smoothly second to second; unfiltered error of 4 m
    jumps about 1 m/s at 1 Hz, four times the corpus's roughest file. Filtered (``gps_filter_s``)
    the fixes wander as far, as the stress sets' watches' do."""
    from samplegen.validate import fix_scatter_mps

    spec = _real_spec(distance_basis="true")
    rough = replace(spec, watch=replace(spec.watch, gps_sigma_m=4.0, gps_tau_s=30.0))
    smooth = replace(rough, watch=replace(rough.watch, gps_white_m=0.1, gps_filter_s=4.0))
    _, raw, _ = simulate_sample(rough)
    motion, fil, truth = simulate_sample(smooth)
    assert fix_scatter_mps(raw.t, raw.lat, raw.lon) > 0.6
    assert 0.1 < fix_scatter_mps(fil.t, fil.lat, fil.lon) < 0.35
    assert truth["extra"]["watch"]["gps_filter_s"] == 4.0
    # as far off the route as before: the error's spread is kept
    for rec in (raw, fil):
        lat_true, _ = motion.route.latlon(motion.distance_at(rec.t) + motion.route_offset_m)
        err = (rec.lat - lat_true) * np.pi / 180 * 6_371_008.8
        assert 2.0 < err.std() < 6.0
    assert "gps_filter_s" not in simulate_sample(spec)[2]["extra"]["watch"]


def test_validate_tells_a_gps_fix_distance_from_a_calibrated_one():
    """``samplegen.validate`` measures on generated and real files alike how far the distance
    and the speed field disagree over a minute: under 1% for the calibrated distance, more
    from GPS fixes (the corpus's real interval FIT files: 1.7-7%)."""
    from samplegen.validate import _gps_fixes, _realistic, distance_noise_pct, fr735_like

    _, calibrated, _ = simulate_sample(_realistic(fr735_like()))
    _, fixes, _ = simulate_sample(_realistic(_gps_fixes(fr735_like())))
    low = distance_noise_pct(calibrated.t, calibrated.speed, calibrated.distance)
    high = distance_noise_pct(fixes.t, fixes.speed, fixes.distance)
    assert low < 0.8 and high > 1.2


def test_a_frozen_speed_field_needs_a_distance_of_its_own():
    from samplegen.quirks import Quirks

    Quirks(distance_basis="gps", freeze=True)  # the fixes' distance does
    with pytest.raises(ValueError, match="frozen speed field"):
        Quirks(freeze=True)  # the speed field's integral cannot


def test_lap_presses_at_the_line_and_the_odd_one_off():
    _, _rec, truth = simulate_sample(_real_spec(odd_press_prob=0.3))
    bounds = [s["start_s"] for s in truth["segments"][1:]]
    ends = [lap["end_s"] for lap in truth["extra"]["laps"][:-1]]
    assert len(ends) == len(bounds)
    off = np.array(ends) - np.array(bounds)
    assert off.tolist() == pytest.approx(
        truth["extra"]["quirks"]["lap_ends_vs_boundaries_s"], abs=1e-3
    )
    at_line = (off >= 0) & (off <= 1.5)
    odd = (np.abs(off) >= 2) & (np.abs(off) <= 4)
    assert (at_line | odd).all(), off
    assert 1 <= odd.sum() <= len(off) // 2 and at_line.sum() >= len(off) // 2


def test_workout_laps_close_at_the_watch_distance_and_the_rep_starts_on_the_beep():
    from samplegen.validate import fr735_like

    # distance reps: the rep lap closes when the watch's own distance reaches 400 m
    spec = _real_spec(laps=LapSettings("workout"), distance_basis="true", workout_close="device")
    _, _rec, truth = simulate_sample(spec)
    reps = [s for s in truth["segments"] if s["kind"] == "rep"]
    for r in reps:
        lap = min(truth["extra"]["laps"], key=lambda la: abs(la["start_s"] - r["start_s"]))
        assert -1.2 <= lap["start_s"] - r["start_s"] <= -0.2  # the beep, then the first stride
        assert lap["trigger"] == "distance" and lap["wkt_step_index"] == 1
        assert abs(lap["end_s"] - r["end_s"]) < 1.0
        assert lap["distance_m"] == pytest.approx(400.0, abs=0.5)  # the watch's own 400 m
    # time reps: the lap is closed by the watch's clock
    _, _rec, truth = simulate_sample(fr735_like())
    trig = {lap["trigger"] for lap in truth["extra"]["laps"][1:-1]}
    assert trig == {"time"}


def test_line_rule_acceleration_after_the_start_and_slowdown_after_the_line():
    motion, _rec, truth = simulate_sample(_real_spec())
    assert truth["extra"]["boundary_rule"].startswith("a boundary is where the change begins")
    for s in truth["segments"]:
        if s["kind"] != "rep":
            continue
        a, b = s["start_s"], s["end_s"]
        assert s["distance_m"] == pytest.approx(400.0, abs=0.01)
        v_rep = 400.0 / (b - a)
        before = motion.speed_at(a - 1.0)
        assert abs(motion.speed_at(a) - before) < 0.05  # the first stride: not yet faster ...
        assert motion.speed_at(a + 1.0) > before + 0.05  # ... but speeding up from there
        assert motion.speed_at(a + 5.0) > 0.9 * v_rep  # ... to full speed within 2-5 s
        assert motion.speed_at(b - 0.5) > 0.9 * v_rep  # still at speed at the line
        assert motion.speed_at(b + 2.0) > 0.5 * v_rep  # slowing over 5-10 s after it
        assert motion.speed_at(b + 10.0) < 0.3
    ramps = truth["extra"]["quirks"]["transition_ramps_s"]
    assert all(2.0 <= w <= 10.0 for w in ramps[1:-1])


def test_fr235_freeze_holds_the_speed_then_reads_zero_while_the_distance_climbs():
    from samplegen.validate import disagreement_s

    _, rec, truth = simulate_sample(
        _real_spec(distance_basis="true", freeze=True, freeze_min_stop_s=30)
    )
    freezes = truth["extra"]["quirks"]["freezes"]
    assert len(freezes) == 6  # every 60 s stand (the final stand-still is not a stop)
    t = rec.t
    for f in freezes:
        held = (t >= f["stop_s"] + 5) & (t < f["held_until_s"])
        assert (rec.speed[held] > 4.0).all()
        zero = (t >= f["restart_s"] + 5) & (t < f["near_zero_until_s"])
        assert (rec.speed[zero] < 0.2).all()
        climbs = np.interp(f["restart_s"] + 30, t, rec.distance) - np.interp(
            f["restart_s"] + 10, t, rec.distance
        )
        assert climbs > 50  # 20 s of running (a rep or the cool-down) while it reads ~0
    d = disagreement_s(rec.t, rec.speed, rec.distance)
    assert d["speed_high_distance_still_s"] > 6 * 20 and d["speed_still_distance_fast_s"] > 6 * 20


def test_gps_spikes_and_drifts_are_in_the_positions():
    _, rec, truth = simulate_sample(_real_spec(gps_spikes=2, gps_drifts=1))
    step = np.concatenate([[0.0], haversine_m(rec.lat, rec.lon)])
    for g in truth["extra"]["quirks"]["gps_glitches"]:
        if g["kind"] == "spike":
            k = int(np.flatnonzero(rec.t == g["t_s"])[0])
            assert step[k] > g["m"] - 12 and step[k + 1] > g["m"] - 12  # out and back
    assert {g["kind"] for g in truth["extra"]["quirks"]["gps_glitches"]} == {"spike", "drift"}


def test_quirks_off_leave_the_watch_as_it_was():
    base = race_400m_track()
    _, _rec0, truth0 = simulate_sample(base)
    assert "quirks" not in truth0["extra"] and "quirks" not in truth0["extra"]["watch"]


def _stress():
    from tests.conftest import stress_set_module

    return stress_set_module()


@pytest.mark.parametrize(
    "kind",
    [
        "real_8x300",
        "real_sets",
        "real_fartlek",
        "real_workout400",
        "real_prog1000",
        "real_6x200",
        "distance",
    ],
)
def test_hard_stress_sessions_carry_their_quirks_in_the_truth(kind):
    st = _stress()
    spec, notes = st.make_spec(3, kind, 1234, "hard")
    _, _rec, truth = simulate_sample(spec)
    real = truth["extra"]["stress_realism"]
    assert real["channel"] in st.CHANNELS and real["tail"] in ("asis", "stand", "irregular", "none")
    assert truth["extra"]["quirks"]["ramp_align"] == "line"
    assert any(n.startswith("real (hard)") for n in notes)
    easy, _ = st.make_spec(3, "distance", 1234)
    assert easy.watch.quirks is None and easy.runner.ramp_align == "centre"


def test_quirks_measure_like_the_real_files():
    """The generated FR735- and FR235-like files against the corpus's real ones (skipped
    without the corpus): the same measures, close to the same figures."""
    from samplegen.validate import fr235_like, fr735_like, record_gaps, slowdown_s, speed_lag_s
    from tests.conftest import corpus_file
    from workoutcheck.ingest import load

    fartlek = load(corpus_file("intervals", "activitypy__Tuesday_Fartlek.fit"))
    real_lag = speed_lag_s(fartlek.t, fartlek.speed, fartlek.distance)
    _, rec, _ = simulate_sample(fr735_like(delay_s=11.0, tau_s=1.0))
    assert abs(real_lag - 12.0) <= 1.0
    assert abs(speed_lag_s(rec.t, rec.speed, rec.distance) - real_lag) <= 1.0

    cases = {
        c["file"]: c
        for c in json.loads(corpus_file("intervals", "cases.json").read_text(encoding="utf-8"))
    }
    name = "cosc470__2885017922.fit"  # 6x800m, 2 min stands, FR235, records every 1-8 s
    real = load(corpus_file("intervals", name))
    _motion, rec, truth = simulate_sample(fr235_like(freeze=False))
    g_real, g_gen = record_gaps(real.t, real.speed), record_gaps(rec.t, rec.speed)
    for k in ("median", "p90", "median_fast", "median_jog"):
        assert abs(g_real[k] - g_gen[k]) <= 1.5, (k, g_real, g_gen)
    assert (
        abs(
            speed_lag_s(real.t, real.speed, real.distance)
            - speed_lag_s(rec.t, rec.speed, rec.distance)
        )
        <= 1.0
    )  # ~3 s on both
    ends = [e for _, e in cases[name]["truth"]]
    slow_real = slowdown_s(real.t, real.distance, ends)
    slow_gen = slowdown_s(
        rec.t, rec.distance, [s["end_s"] for s in truth["segments"] if s["kind"] == "rep"]
    )
    assert abs(slow_real - slow_gen) <= 2.0


def _ends_with_a_rep(fmt: str = "fit") -> SampleSpec:
    """6x400m on a track whose last rep ends the session (no recovery, no cool-down)."""
    s = interval_session(
        "wu 10min; 6x400m @ 3:20/km, 60s rest",
        [Block(distance_m=400, pace_s_per_km=200)] * 6,
        Block(duration_s=60, style="stand"),
        warmup=Block(duration_s=600, pace_s_per_km=330),
        final_recovery=False,
    )
    return SampleSpec(
        "finish",
        s,
        Runner("F", ramp_align="line"),
        TrackRoute("track", 50.0, 0.0),
        WatchSettings(recording="1s"),
        datetime(2026, 1, 1, tzinfo=UTC),
        (fmt,),
        seed=5,
    )


def test_a_session_ending_with_a_rep_ends_at_the_line():
    """The runner runs through the last rep's line as through every other, slows after it
    and stands before stopping the watch: the truth's last rep ends at the line with its
    400 m, and the slowing and standing are a tail of their own. (Before, the runner slowed
    to a stop inside the rep's last seconds and the truth held the standing too: a 1500 m
    race's truth read 7-11 s long, its pace 3% slow.)"""
    spec = _ends_with_a_rep()
    motion, _, truth = simulate_sample(spec)
    rep = [s for s in truth["segments"] if s["kind"] == "rep"][-1]
    tail = truth["segments"][-1]
    assert tail["kind"] == "cooldown" and tail["rep"] is None
    assert tail["start_s"] == rep["end_s"] and tail["end_s"] == truth["duration_s"]
    assert rep["distance_m"] == pytest.approx(400.0, abs=0.5)
    v_rep = 400.0 / (rep["end_s"] - rep["start_s"])
    assert float(motion.speed_at(rep["end_s"])) > 0.8 * v_rep  # still running at the line
    assert float(motion.speed_at(tail["end_s"] - 1.0)) < 0.2  # standing when the watch stops
    runner = spec.runner
    assert tail["end_s"] - tail["start_s"] >= runner.decel_s[0] + runner.stand_after_s - 1.0
    targets = truth["extra"]["segment_targets"]
    assert len(targets) == len(truth["segments"]) and targets[-1]["style"] == "stand"


def test_auto_pause_resumes_as_the_runner_sets_off_whatever_the_speed_fields_delay():
    """A watch whose speed field trails the runner by 12 s still resumes an auto-pause within
    a few seconds of the runner setting off: the pause follows the GPS, not the display. (On
    the corpus's auto-paused Garmin files the speed in the 3 s after a resume is a third to
    two thirds of that 10-20 s later: the runner is just setting off.) Paused on the lagging
    field, every rep after a stand lost its first 15-20 s and 80 m."""
    spec = _real_spec(speed_delay_s=12.0, distance_basis="true")
    spec = replace(spec, watch=replace(spec.watch, auto_pause=True))
    _, rec, truth = simulate_sample(spec)
    assert len(rec.pauses) >= 5
    starts = [s["start_s"] for s in truth["segments"] if s["kind"] == "rep"][1:]
    for start in starts:  # each after a 60 s stand, which the watch paused through
        (restart,) = [r for p, r in rec.pauses if p < start < r + 30.0]
        assert -1.0 <= restart - start <= 3.0, (start, restart)
    for s in (x for x in truth["segments"] if x["kind"] == "rep"):
        got = np.interp([s["start_s"], s["end_s"]], rec.t, rec.distance)
        assert got[1] - got[0] == pytest.approx(s["distance_m"] * 1.003, rel=0.03)
