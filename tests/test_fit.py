"""The FIT reader against real watch files whose own messages give the truth."""

from __future__ import annotations

from datetime import UTC, datetime

import fitparse
import numpy as np
import pytest

from tests.conftest import corpus_file, corpus_files
from workoutcheck.errors import CorruptFileError, NotRunningError, TruncatedFileError
from workoutcheck.ingest import load

FOOT_FILES = [
    "fit4s__2825367441.fit",
    "gc__IpBike-HRV-Data.fit",
    "runalyze__time-jump.fit",
    "sportslib__6914538454.fit",
    "tracksnap__B3DB0907.FIT",
    "runalyze__Fenix-3-with-inactive-Moxy.fit",
    "synthetic__garmin-encoder-6x400m.fit",
    "runalyze__FR70-intervals.fit",
]


def _fit_laps(path):
    ff = fitparse.FitFile(str(path))
    return [m.get_values() for m in ff.get_messages("lap")]


@pytest.mark.parametrize("name", FOOT_FILES)
def test_laps_match_the_files_own_lap_messages(name):
    """Every lap keeps the distance and elapsed time the watch wrote in its lap message."""
    path = corpus_file("fit", name)
    activity = load(path)
    truth = _fit_laps(path)
    assert len(activity.laps) == len(truth)
    for lap, ref in zip(activity.laps, truth, strict=True):
        if ref.get("total_distance") is not None:
            assert lap.distance_m == pytest.approx(ref["total_distance"], abs=0.01)
        if ref.get("total_timer_time") is not None:
            assert lap.timer_s == pytest.approx(ref["total_timer_time"], abs=0.01)
    # laps are in order and lie on the activity's time axis
    starts = [lap.start_s for lap in activity.laps]
    assert starts == sorted(starts)
    assert all(0 <= lap.start_s <= lap.end_s <= activity.duration_s + 1 for lap in activity.laps)


def test_interval_laps_of_a_real_session():
    """sportslib 6914538454: 5 reps of ~800 m in 202-212 s with ~60 s recoveries (manual laps)."""
    activity = load(corpus_file("fit", "sportslib__6914538454.fit"))
    long_laps = [lap for lap in activity.laps if lap.distance_m and lap.distance_m > 700]
    assert len(long_laps) == 5
    for lap in long_laps:
        assert 790 <= lap.distance_m <= 856
        assert 200 <= lap.duration_s <= 214
    assert activity.sport == "running"
    assert activity.heart_rate is None  # Suunto without a chest strap: absent, not zeros


def test_clock_jump_is_cut_out_not_counted():
    """runalyze time-jump: a ~20-day gap between two records is removed from the time axis."""
    activity = load(corpus_file("fit", "runalyze__time-jump.fit"))
    assert activity.duration_s == pytest.approx(3389, abs=15)  # the session's elapsed time
    jumps = [p for p in activity.pauses if p.kind.value == "clock_jump"]
    assert len(jumps) == 1
    assert jumps[0].removed_s == pytest.approx(1_746_560, rel=0.01)
    assert any("clock jump" in note for note in activity.notes)
    assert activity.total_distance_m == pytest.approx(10497, abs=5)
    # 18 laps, all inside the shortened recording
    assert len(activity.laps) == 18
    assert activity.laps[-1].end_s <= activity.duration_s + 1


def test_duplicated_timestamps_are_merged():
    """Suunto writes GPS and sensor data as separate records with the same timestamp."""
    activity = load(corpus_file("fit", "runalyze__Suunto-Ambit-3-Peak-without-final-lap.fit"))
    assert np.all(np.diff(activity.t) > 0)
    assert activity.n_records == 9795 - 4854
    assert any("repeated a timestamp" in note for note in activity.notes)
    assert activity.has_positions and activity.speed is not None


def test_compressed_timestamps_with_device_relative_clock():
    """FR70 files with compressed timestamps and power-on-relative times still load."""
    activity = load(corpus_file("fit", "fitparse__compressed-speed-distance.fit"))
    assert activity.start_time is None
    assert activity.total_distance_m == pytest.approx(10248.67, abs=10)
    assert activity.duration_s == pytest.approx(3883, abs=10)
    assert len(activity.laps) == 11


def test_compressed_timestamps_with_real_dates():
    """runalyze FR70-intervals: every record uses a compressed-timestamp header."""
    activity = load(corpus_file("fit", "runalyze__FR70-intervals.fit"))
    assert activity.start_time == datetime(2013, 5, 27, 6, 52, 35, tzinfo=UTC)
    assert activity.n_records == 633
    assert activity.total_distance_m == pytest.approx(
        6239.7, rel=0.005
    )  # session total; records stop 8 m short


def test_multisport_keeps_the_running_part():
    """A triathlon file keeps the run and says so."""
    activity = load(corpus_file("fit", "runalyze__multisport-triathlon-fenix3.fit"))
    assert activity.sport == "running"
    assert any("multisport" in note and "running part" in note for note in activity.notes)
    ff = fitparse.FitFile(str(corpus_file("fit", "runalyze__multisport-triathlon-fenix3.fit")))
    run = next(
        s.get_values() for s in ff.get_messages("session") if s.get_value("sport") == "running"
    )
    assert activity.duration_s == pytest.approx(run["total_elapsed_time"], abs=5)
    assert activity.total_distance_m == pytest.approx(run["total_distance"], rel=0.01)


def test_chained_fit_sections_read_as_one():
    """fit4s 2825367441 holds 7 chained FIT sections: all 6960 records and 78 laps."""
    activity = load(corpus_file("fit", "fit4s__2825367441.fit"))
    assert activity.n_records == 6960
    assert len(activity.laps) == 78
    assert len(activity.pauses) >= 1


def test_timer_pauses_become_pauses():
    """runalyze Standard: paused repeatedly, elapsed 3653 s vs timer 3192 s."""
    activity = load(corpus_file("fit", "runalyze__Standard.fit"))
    timer = [p for p in activity.pauses if p.kind.value == "timer"]
    assert len(timer) >= 5
    assert activity.duration_s - activity.paused_s == pytest.approx(3192, abs=60)


def test_intensity_integers_of_the_old_profile_are_mapped():
    """fitparse 1.2.0 returns recovery as the integer 4: it comes out as 'recovery'."""
    activity = load(corpus_file("fit", "synthetic__garmin-encoder-6x400m.fit"))
    intensities = [lap.intensity for lap in activity.laps]
    assert intensities.count("recovery") == 6
    assert intensities.count("active") == 6
    assert activity.workout is not None
    steps = activity.workout.steps
    assert [s.duration_type for s in steps][:3] == ["time", "distance", "distance"]
    assert steps[1].duration_m == 400.0 and steps[1].speed_low == pytest.approx(4.76)
    assert steps[2].intensity == "recovery"
    assert steps[3].repeat_from == 1 and steps[3].repeat_count == 6


def test_cadence_is_steps_per_minute():
    """FIT stores running cadence per leg; the model stores steps per minute."""
    activity = load(corpus_file("fit", "gc__Fr955v19.28andStryd.fit"))
    cadence = activity.cadence[np.isfinite(activity.cadence)]
    assert 150 <= np.median(cadence[cadence > 0]) <= 200


def test_truncated_file_error_keeps_the_readable_records():
    """A FIT cut 3 bytes short: a clear error, and the 14 records are usable with --partial."""
    path = corpus_file("bad", "fitparse__activity-unexpected-eof.fit")
    with pytest.raises(TruncatedFileError) as info:
        load(path)
    message = str(info.value)
    assert "truncated" in message and "14 records" in message and "--partial" in message
    assert "\n" not in message
    activity = load(path, allow_partial=True)
    assert activity.n_records == 14
    assert any(note.startswith("partial:") for note in activity.notes)


def test_bad_crc_is_reported():
    """A wrong file CRC is named as such."""
    with pytest.raises(CorruptFileError, match="CRC check failed"):
        load(corpus_file("bad", "fitparse__activity-filecrc.fit"))
    with pytest.raises(CorruptFileError, match="header CRC check failed"):
        load(corpus_file("bad", "fit4s__610464_bad_crc.fit"))


def test_activity_without_session_is_truncated():
    """An activity that ends after its records, with no lap or session, was never finished."""
    with pytest.raises(TruncatedFileError, match="without any lap or session"):
        load(corpus_file("bad", "fitsdk__activity_truncated.fit"))


def test_cycling_is_refused_with_a_reason():
    """A ride is not a run: the error says which sport it is."""
    with pytest.raises(NotRunningError, match="cycling activity, not a run"):
        load(
            corpus_file(
                "bad", "fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit"
            )
        )


def test_inconsistent_session_times_are_refused():
    """A session whose timer time exceeds its elapsed time cannot be trusted."""
    with pytest.raises(CorruptFileError, match="timer time .* longer than its elapsed time"):
        load(corpus_file("bad", "sportslib__inverted-times.fit"))


@pytest.mark.parametrize("path", corpus_files("fit"), ids=lambda p: p.name)
def test_real_fit_arrays_are_consistent(path):
    """Whatever loads has strictly increasing time, non-decreasing distance from 0, sane speed."""
    try:
        activity = load(path)
    except (NotRunningError, CorruptFileError):
        pytest.skip("not a run or damaged: covered by the corpus sweep")
    except Exception as exc:  # noqa: BLE001
        from workoutcheck.errors import WorkoutcheckError

        assert isinstance(exc, WorkoutcheckError), exc
        return
    assert np.all(np.diff(activity.t) > 0)
    assert activity.t[0] == 0
    if activity.distance is not None:
        assert activity.distance[0] == 0
        assert np.all(np.diff(activity.distance) >= 0)
    if activity.speed is not None:
        assert np.all(np.isfinite(activity.speed))
