"""Timeline repairs on small hand-made recordings whose right answer is known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from workoutcheck.errors import NoDataError
from workoutcheck.ingest.raw import RawEvent, RawLap, RawRecording
from workoutcheck.ingest.timeline import build_activity
from workoutcheck.model import PauseKind, Source

T0 = 1_700_000_000.0


def _raw(time, **cols) -> RawRecording:
    arrays = {k: np.asarray(v, dtype=float) for k, v in cols.items()}
    return RawRecording(
        source=Source.FIT, path="x.fit", time=np.asarray(time, dtype=float) + T0, **arrays
    )


def test_duplicate_timestamps_merge_first_non_missing_values():
    """GPS and sensor records sharing a second become one record holding both."""
    nan = np.nan
    raw = _raw(
        [0, 1, 1, 2],
        distance=[0, nan, 3, 6],
        heart_rate=[100, 101, nan, 103],
        speed=[3, 3, 3, 3],
    )
    a = build_activity(raw)
    assert list(a.t) == [0, 1, 2]
    assert list(a.distance) == [0, 3, 6]
    assert list(a.heart_rate) == [100, 101, 103]
    assert any("merged 1 record" in n for n in a.notes)


def test_negative_time_step_drops_the_bogus_records():
    """A stale first fix stamped later than what follows is dropped, not reordered."""
    raw = _raw([50, 1, 2, 3, 4], speed=[9, 3, 3, 3, 3], distance=[0, 0, 3, 6, 9])
    a = build_activity(raw)
    assert list(a.t) == [0, 1, 2, 3]
    assert list(a.distance) == [0, 3, 6, 9]
    assert any("ran backwards" in n for n in a.notes)


def test_clock_jump_is_cut_and_laps_follow():
    """A 10-day leap between two records is removed; a lap after it keeps its true length."""
    day = 86400.0
    time = [0, 1, 2, 3, 10 * day + 4, 10 * day + 5, 10 * day + 6]
    raw = _raw(time, distance=[0, 3, 6, 9, 12, 15, 18], speed=[3] * 7)
    raw.laps = [RawLap(T0, T0 + 3, 9.0), RawLap(T0 + 10 * day + 4, T0 + 10 * day + 6, 6.0)]
    a = build_activity(raw)
    assert a.duration_s == pytest.approx(6.0)
    jump = [p for p in a.pauses if p.kind is PauseKind.CLOCK_JUMP]
    assert len(jump) == 1 and jump[0].removed_s == pytest.approx(10 * day)
    assert a.laps[1].start_s == pytest.approx(4.0) and a.laps[1].end_s == pytest.approx(6.0)


def test_timer_events_make_pauses():
    """stop ... start events become a timer pause in elapsed seconds."""
    raw = _raw([0, 1, 2, 62, 63], speed=[3, 3, 0, 3, 3], distance=[0, 3, 6, 6, 9])
    raw.events = [RawEvent(T0 + 0, "start"), RawEvent(T0 + 2, "stop"), RawEvent(T0 + 62, "start")]
    a = build_activity(raw)
    assert [(p.start_s, p.end_s, p.kind) for p in a.pauses] == [(2.0, 62.0, PauseKind.TIMER)]
    assert a.paused_s == 60.0
    assert a.moving_s == pytest.approx(3.0)


def test_gap_without_events_is_a_pause():
    """Records missing for two minutes with no timer event: a gap pause."""
    time = list(range(10)) + list(range(130, 140))
    raw = _raw(time, speed=[3] * 20, distance=np.arange(20) * 3.0)
    a = build_activity(raw)
    assert [(p.start_s, p.end_s, p.kind) for p in a.pauses] == [(9.0, 130.0, PauseKind.GAP)]


def _stand_between_reps(moved_m: float) -> RawRecording:
    """Positions every 4 s at 4 m/s, then 25 s without a record over which the runner moved
    ``moved_m``, then running again (a GPX: no timer events, no device distance)."""
    time = [*range(0, 60, 4), *range(81, 141, 4)]
    along = [4.0 * x for x in range(0, 60, 4)]
    along += [along[-1] + moved_m + 4.0 * (x - 81) for x in range(81, 141, 4)]
    lat = 51.5 + np.asarray(along) / 111_200.0
    raw = _raw(time, lat=lat, lon=np.full(len(time), -0.1))
    raw.source, raw.path = Source.GPX, "x.gpx"
    return raw


def test_a_gap_the_runner_stood_through_is_a_pause():
    """25 s without a record and 3 m moved: the stand auto-pause left out of a GPX (the same
    run's FIT has it as a timer pause), so a rep after it starts as the records resume. The
    watch may have been timing through it: it is no paused time."""
    a = build_activity(_stand_between_reps(3.0))
    assert [(p.start_s, p.end_s, p.kind) for p in a.pauses] == [(56.0, 81.0, PauseKind.STOOD)]
    assert a.paused_s == 0.0


def test_a_gap_the_runner_ran_through_is_no_pause():
    """25 s without a record over which the positions moved 100 m: a GPS dropout while
    running, not a stand (and too short for a gap of its own)."""
    a = build_activity(_stand_between_reps(100.0))
    assert a.pauses == ()


def test_distance_reset_between_sections_is_joined():
    """Chained sections restarting distance at 0 give one running total."""
    raw = _raw(range(0, 360, 60), distance=[0, 100, 200, 0, 100, 200], speed=[3] * 6)
    a = build_activity(raw)
    assert list(a.distance) == [0, 100, 200, 200, 300, 400]
    assert any("restarted" in n for n in a.notes)


def test_missing_distance_values_are_interpolated_in_time():
    """Records without distance get it from their neighbours, so distance stays continuous."""
    raw = _raw([0, 1, 2, 4], distance=[10, np.nan, 30, 50], speed=[10] * 4)
    a = build_activity(raw)
    assert list(a.distance) == [0, 10, 20, 40]


def test_no_valid_time_is_no_data():
    """A recording whose every time is invalid holds no run."""
    with pytest.raises(NoDataError, match="no records with a valid time"):
        build_activity(_raw([np.nan, np.nan], speed=[1, 1]))


def test_speed_is_derived_from_distance_when_the_device_gives_none():
    """Without a speed field, speed comes from the distance and says so."""
    raw = _raw(range(20), distance=np.arange(20) * 4.0)
    a = build_activity(raw)
    assert a.speed_source == "distance"
    assert np.median(a.speed) == pytest.approx(4.0, rel=0.01)
