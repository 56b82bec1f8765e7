"""How well one file can tell a rep's pace, as a percentage of it.

A verdict is only as good as the figure behind it: 1 s of boundary error is 3% of a 200 m rep
in 30 s, and a GPS distance is good to about 3%. Three parts, combined as independent errors
(root sum of squares) and scaled to cover about nine rep paces in ten:

- boundary timing, per boundary: a floor for the runner's acceleration, the watch's filter and
  where the segmenter puts the change (``uncertainty_boundary_s``; ``uncertainty_lap_s`` where
  a device lap within a second decided it: a press at the line is good to about a second, the
  odd one 2-4 s off; ``uncertainty_confirmed_lap_s`` where the samples' change of pace confirms
  the press, its disagreement where they dispute it: ``press_sigma``), plus, where the samples
  decided it, a quarter of the recording interval around it (the median step between records
  within 15 s),
  the timing error the speed's noise causes at that interval, a share of the lag the
  segmenter corrected, and, where a device lap edge lies within 6 s but not at the boundary,
  that disagreement (the file offers two timings: the figure covers both), and more where the
  distance comes from GPS positions (or from a watch that measures its distance from its
  fixes: ``gps_like``) or a pause ends at the boundary. On a measured
  distance a boundary shifts time and distance together, so only the share the pace changes
  counts.
- distance basis: the prescribed distance (a track, or the watch agreeing with the plan)
  ``uncertainty_prescribed_pct``; a GPS measurement ``uncertainty_gps_pct`` (from GPS
  positions, also the fixes' error at the rep's two ends, ``POSITIONS_MARK_M``; on a watch's
  own distance at least its disagreement with the speed field), also where the
  watch closed the rep's lap at its own distance (a workout step or an auto lap: the time is
  when the GPS distance reached the rep's, whatever distance the pace is quoted on).
- grade: a rep judged on grade-adjusted pace adds the error of its grade adjustment from the
  altitude's error (score/altitude.py, score/terrain.py).
- speed noise: the noise of the speed (from record-to-record changes) enters through the
  boundary timing above.

The shares were set against ``benchmarks/verdicts.py`` on the generated stress sets of seeds 3
and 7 (per class of file: laps or samples deciding the boundaries, 1-8 s records, device or
GPS-position distance, each boundary's error against the truth's): they keep the true pace
inside the stated uncertainty for about nine reps in ten (91-93%), and do so on sets not used
to set them (seeds 11 and 13: 88-89%; before, 71-72%). Checking each lap press against the
samples (``press_sigma``) keeps that (seeds 3/7 96%, 11/13 92-93% on the current stress sets)
while a confirmed press on a real track times its rep to a few tenths of a second.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model.stats import median
from workoutcheck.model.text import format_distance, format_duration
from workoutcheck.plan import ResolvedPlan
from workoutcheck.score.result import ScoredSegment, TerrainFigures
from workoutcheck.segment import Segment
from workoutcheck.segment.channel import distance_disagreement_pct, without_stale
from workoutcheck.segment.onset import WINDOW_S, onset

if TYPE_CHECKING:
    from workoutcheck.score.thresholds import Thresholds

NEAR_S = 15.0  # records within this of a boundary set its recording interval
LAP_DECIDES_S = 1.0  # a lap edge this close to a boundary decided it
LAP_NEAR_S = 6.0  # a lap edge this close but not at the boundary times it differently
DT_SHARE = 0.25  # of the recording interval around a boundary the samples decided
LAG_SHARE = 0.1  # of a corrected lag, for the error of its estimate
MARK_SHARE = 0.05  # of the interval, for a time read mid-rep, where the speed is steady
# s: boundary timing on a distance derived from GPS positions, beyond the watch's own distance:
# on five generated stress sets (seeds 3, 7, 21-23) the boundary errors' robust spread is 1.92 s
# on GPS positions and 1.32 s on the device distance, sqrt(1.92^2 - 1.32^2) = 1.4 s
POSITIONS_S = 1.4
# A watch's own distance that disagrees with its speed field as a distance from GPS fixes does
# (``channel.distance_disagreement_pct``) is timed and measured as such: its boundaries get the
# positions' term in proportion, from CLEAN_PCT (a calibrated 1 Hz distance: none) to GPS_PCT
# (all of it), and a rep measured on it is good to no better than that disagreement. On the
# stress sets the boundary errors' robust spread is 1.3 s on files reading under 2% and
# 2.4-2.6 s above; the pace was inside its stated figure for 97-99% of the reps on the first
# and 73-80% on the second before this.
DISAGREE_CLEAN_PCT = 1.0
DISAGREE_GPS_PCT = 2.5
# s: and at GPS_PCT its boundaries get this, sqrt(2.5^2 - 1.3^2): the watch smooths its fixes
# less than the positions' smoother (model/geo.py) does, so it bends less cleanly
DEVICE_GPS_S = 2.1
POSITIONS_MARK_M = 3.0  # m: where a distance from GPS positions puts a mark inside a rep
PAUSE_EDGE_S = 2.0  # s: a boundary at the edge of a pause
PAUSE_NEAR_S = 3.0
CONFIRM_SEARCH_S = 8.0  # s: how far from a lap edge the samples' change of pace is looked for
CONFIRM_MIN_EDGES = 3
HABIT_SIDE_S = 10.0  # s either side of a press compared for whether the runner sped up
ODD_PRESS_S = 3.0  # s: how far off the line the odd press is (2-4 s)
ODD_PRESS_SPREAD_S = 0.6  # s: the spread of that
SAMPLES_ASTRAY = 0.1  # how often the samples' change of pace is far from any press
SCATTER_FLOOR_S = 0.5  # s: the samples' change of pace is never surer than this
CANNOT_TELL = 0.75  # x ODD_PRESS_S: a file's scatter this wide cannot tell an odd press
CONFIRM_DT_SHARE = 0.5  # nor than this share of the recording interval
# % of the pace, one standard error: boundaries the samples place are good to a share of the
# rep's length as well as to seconds. A long rep's ends are gradual changes (a tempo from a
# jog) and follow the file's distance over the rep (GPS to about 1%): on the stress sets the
# boundary errors' p90 grows from 3 s on 1-3 minute reps to 6-8 s on reps over 7 minutes, and
# reps over 400 s kept their true pace inside the stated figure 78% of the time (91% with this)
LONG_REP_PCT = 0.5
COVERAGE = 1.64  # one-sided ~95 %, two-sided ~90 % for a normal error


def pace_uncertainty_pct(
    activity: Activity, seg: Segment, laps_used: bool, lag_s: float, th: Thresholds
) -> float | None:
    """The rep pace's uncertainty, % of the pace; None where there is no pace."""
    if seg.start_s is None or seg.end_s is None or seg.pace_s_per_km is None:
        return None
    duration = seg.end_s - seg.start_s
    if duration <= 0:
        return None
    contrast = _contrast(activity, seg.start_s, seg.end_s)
    timing = (
        float(np.hypot(*boundary_sigmas(activity, seg, laps_used, lag_s, th))) / duration * 100.0
    )
    if not (laps_used and all(_lap_decided(activity, b) for b in (seg.start_s, seg.end_s))):
        timing = float(np.hypot(timing, LONG_REP_PCT))
    if seg.distance_basis != "prescribed":
        timing *= contrast  # the measured distance moves with the boundary
    distance = (
        th.uncertainty_prescribed_pct
        if seg.distance_basis == "prescribed"
        else measured_distance_pct(activity, seg, th)
    )
    if laps_used and _closed_by_watch_distance(activity, seg.end_s):
        # the watch closed the lap when its own distance reached the rep's: the time is that of
        # the GPS distance, whatever distance the pace is quoted on
        distance = measured_distance_pct(activity, seg, th)
    return float(COVERAGE * np.hypot(timing, distance / COVERAGE))


def _nearest_lap_edge(activity: Activity, moment: float) -> float:
    """How far (s) ``moment`` is from the nearest device lap edge; inf without laps."""
    return min(
        (abs(e - moment) for lap in activity.laps for e in (lap.start_s, lap.end_s)),
        default=float("inf"),
    )


def _lap_decided(activity: Activity, moment: float) -> bool:
    """Whether a device lap edge decided the boundary at ``moment`` (where laps were used):
    as ``_boundary_sigma`` reads it, on the lap's timestamp where the lap's own clock placed
    the boundary."""
    return _nearest_lap_edge(activity, _on_lap_timestamps(activity, moment)) <= LAP_DECIDES_S


def measured_distance_pct(activity: Activity, seg: Segment, th: Thresholds) -> float:
    """How well the file measures the rep's distance (%, the same coverage as paces): the GPS
    figure, the fixes' error at the rep's ends on a distance from positions, at least 1.64x
    the watch's distance's disagreement with its speed field."""
    pct = th.uncertainty_gps_pct
    if activity.distance_source == "positions" and seg.distance_m:
        pct = float(
            np.hypot(pct, COVERAGE * np.sqrt(2.0) * POSITIONS_MARK_M / seg.distance_m * 100)
        )
    disagreement = distance_disagreement(activity)
    if disagreement is not None:
        pct = max(pct, COVERAGE * disagreement)
    return pct


def grade_beyond_error(terrain: TerrainFigures) -> bool:
    """Whether the grade's adjustment of the pace exceeds what the altitude's error alone
    gives (GPS altitude wanders by metres: a flat track "climbs" 12 m in a 300 m rep)."""
    if terrain.gap_factor is None:
        return False
    if terrain.gap_factor_sd is None:
        return True
    return abs(1.0 - terrain.gap_factor) > COVERAGE * terrain.gap_factor_sd


def with_grade_error(pace_pct: float | None, terrain: TerrainFigures) -> float | None:
    """A grade-adjusted pace's uncertainty: the pace's and the grade adjustment's, combined."""
    if pace_pct is None or terrain.gap_factor_sd is None or not terrain.gap_factor:
        return pace_pct
    return float(np.hypot(pace_pct, COVERAGE * 100.0 * terrain.gap_factor_sd / terrain.gap_factor))


def boundary_sigmas(
    activity: Activity, seg: Segment, laps_used: bool, lag_s: float, th: Thresholds
) -> tuple[float, float]:
    """One standard error (s) of the rep's start and of its end."""
    assert seg.start_s is not None and seg.end_s is not None
    contrast = _contrast(activity, seg.start_s, seg.end_s)
    noise = _speed_noise(activity, seg.start_s, seg.end_s)
    start, end = (
        _boundary_sigma(activity, b, laps_used, lag_s, noise, contrast, th)
        for b in (seg.start_s, seg.end_s)
    )
    return start, end


def _closed_by_watch_distance(activity: Activity, moment: float) -> bool:
    """Whether a lap the watch closed at a distance (a workout step, an auto lap) ends at ``moment``."""
    return any(
        lap.trigger == "distance" and abs(lap.end_s - moment) <= LAP_DECIDES_S
        for lap in activity.laps
    )


def recording_interval(activity: Activity, moment: float) -> float:
    """Median step between records within ``NEAR_S`` of ``moment`` (1 s with too few)."""
    t = activity.t
    lo, hi = np.searchsorted(t, [moment - NEAR_S, moment + NEAR_S])
    steps = np.diff(t[max(lo - 1, 0) : min(hi + 1, len(t))])
    return float(median(steps)) if len(steps) else 1.0


def split_time_sigma(activity: Activity, moment: float, lag_s: float) -> float:
    """One standard error (s) of a time read inside a rep (a split mark). Mid-rep the runner's
    speed is steady, so interpolating the distance between records is good to a fraction of
    the interval; GPS wander and a corrected lag add to it. A distance derived from GPS
    positions places the mark only as well as the fixes: their error (``POSITIONS_MARK_M``)
    over the runner's speed."""
    sigma = float(
        np.hypot(MARK_SHARE * recording_interval(activity, moment), 0.2 + LAG_SHARE * lag_s)
    )
    share = gps_like(activity)
    if share > 0 and activity.distance is not None:
        t, d = activity.t, activity.distance
        speed = (np.interp(moment + 5.0, t, d) - np.interp(moment - 5.0, t, d)) / 10.0
        if speed > 0.5:
            sigma = float(np.hypot(sigma, share * POSITIONS_MARK_M / speed))
    return sigma


def _boundary_sigma(
    activity: Activity,
    moment: float,
    laps_used: bool,
    lag_s: float,
    noise: float,
    contrast: float,
    th: Thresholds,
) -> float:
    moment = _on_lap_timestamps(activity, moment)
    edges = [e for lap in activity.laps for e in (lap.start_s, lap.end_s)]
    nearest = _nearest_lap_edge(activity, moment)
    # a pause ending at the boundary hides when the runner set off (an auto-pause resumes once
    # the runner is already moving), whatever decided the boundary
    paused = (
        PAUSE_EDGE_S
        if any(
            abs(p.end_s - moment) <= PAUSE_NEAR_S or abs(p.start_s - moment) <= PAUSE_NEAR_S
            for p in activity.pauses
        )
        else 0.0
    )
    if laps_used and nearest <= LAP_DECIDES_S:
        return float(np.hypot(press_sigma(activity, moment, edges, th), paused))
    dt = recording_interval(activity, moment)
    jitter = dt * noise / max(contrast, 0.1)
    # a lap edge a few seconds away is a second timing the file offers: cover it too
    disagreement = nearest / COVERAGE if nearest <= LAP_NEAR_S else 0.0
    # a distance from GPS positions bends at a change of pace only as sharply as the fixes'
    # error allows
    gps = (
        POSITIONS_S
        if activity.distance_source == "positions"
        else DEVICE_GPS_S * gps_like(activity)
    )
    return float(
        np.sqrt(
            th.uncertainty_boundary_s**2
            + (DT_SHARE * dt) ** 2
            + jitter**2
            + (LAG_SHARE * lag_s) ** 2
            + disagreement**2
            + gps**2
            + paused**2
        )
    )


def gps_like(activity: Activity) -> float:
    """How much the file's distance bends at a change of pace as GPS fixes do, 0..1: all for a
    distance derived from positions, for a watch's own distance as far as it disagrees with
    the speed field (``DISAGREE_CLEAN_PCT`` .. ``DISAGREE_GPS_PCT``)."""
    if activity.distance_source == "positions":
        return 1.0
    pct = distance_disagreement(activity)
    if pct is None:
        return 0.0
    span = DISAGREE_GPS_PCT - DISAGREE_CLEAN_PCT
    return float(np.clip((pct - DISAGREE_CLEAN_PCT) / span, 0.0, 1.0))


def distance_note(activity: Activity) -> str | None:
    """One sentence for a file whose watch distance reads like its GPS fixes (``gps_like`` 1),
    saying what that does to the figures; None otherwise."""
    pct = distance_disagreement(activity)  # None but for a watch's own distance
    if pct is None or pct < DISAGREE_GPS_PCT:
        return None
    return (
        f"the watch's distance disagrees with its speed field by {pct:.1f}% over a minute's "
        "running, as a distance measured from GPS fixes does: reps are timed and measured "
        "to what GPS allows (the ± after each pace)"
    )


_DISAGREEMENT: dict[tuple[int, int, int], tuple[weakref.ref, weakref.ref, float | None]] = {}
_DISAGREEMENT_LOCK = threading.Lock()


def distance_disagreement(activity: Activity) -> float | None:
    """``channel.distance_disagreement_pct`` of the recording, computed once per recording
    (every rep's figures ask for it): keyed on its time, distance and speed arrays."""
    if activity.distance is None or activity.speed is None:
        return None
    key = (id(activity.t), id(activity.distance), id(activity.speed))
    with _DISAGREEMENT_LOCK:
        hit = _DISAGREEMENT.get(key)
    if hit is not None and hit[0]() is activity.distance and hit[1]() is activity.speed:
        return hit[2]
    value = distance_disagreement_pct(activity)
    with _DISAGREEMENT_LOCK:
        for k in [k for k, v in _DISAGREEMENT.items() if v[0]() is None or v[1]() is None]:
            del _DISAGREEMENT[k]
        _DISAGREEMENT[key] = (weakref.ref(activity.distance), weakref.ref(activity.speed), value)
    return value


def _on_lap_timestamps(activity: Activity, moment: float) -> float:
    """A boundary the lap's own clock placed (``Lap.clock_end_s``) is the press the lap's
    timestamp records, for comparing with the other presses and the samples."""
    for lap in activity.laps:
        if lap.clock_end_s != lap.end_s and abs(lap.clock_end_s - moment) <= 1e-6:
            return lap.end_s
    return moment


def press_offset(activity: Activity, moment: float, edges: list[float]) -> float | None:
    """Where the samples put the change of pace nearest a lap edge at ``moment``, less the
    edge (s; positive: the press came after the change), or None where they show none.

    The onset is fitted as the segmenter fits it (segment/onset.py) on the distance, in a
    window reaching halfway to the neighbouring lap edges, so that one change of pace is in it.
    """
    if activity.distance is None or len(activity.t) < 5:
        return None
    t = activity.t
    d = (
        without_stale(t, activity.distance)
        if activity.distance_source == "device"
        else activity.distance
    )
    others = np.array([e for e in edges if abs(e - moment) > LAP_DECIDES_S])
    before = others[others < moment]
    after = others[others > moment]
    lo = max(moment - WINDOW_S, 0.5 * (moment + before.max()) if len(before) else -np.inf)
    hi = min(moment + WINDOW_S, 0.5 * (moment + after.min()) if len(after) else np.inf)
    dt = recording_interval(activity, moment)
    found = onset(t, d, moment, lo, hi, max(CONFIRM_SEARCH_S, 2.0 * dt))
    return None if found is None else moment - found


def press_sigma(activity: Activity, moment: float, edges: list[float], th: Thresholds) -> float:
    """One standard error (s) of a boundary a lap press at ``moment`` decided, from how well
    the samples confirm the press.

    Most presses are good to a few tenths of a second (``uncertainty_confirmed_lap_s``), the
    odd one is ``ODD_PRESS_S`` off; not knowing which, a press is good to about a second
    (``uncertainty_lap_s``: that mixture, so it sets how often a press is odd). The change of
    pace the samples show near the press tells them apart as well as the file's presses agree
    with it: the chance that this press is an odd one follows from its disagreement and the
    file's scatter (``press_disagreement``), and the figure is the mixture at that chance. A
    press the samples agree with on a file they time well gets the tight figure, one they
    dispute the odd press's, and where they cannot tell (no change of pace near it, fewer
    than ``CONFIRM_MIN_EDGES`` presses, a change read far beyond any odd press: the samples
    astray, as on a gradual pick-up from a jog) it stays at about a second; a file whose
    presses scatter about the samples' changes by ``CANNOT_TELL`` of an odd press or more gets
    a figure that covers an odd press in one of a rep's two (on the stress sets, false alarms
    100 -> 95 of 4973, misses 42 -> 40 of 435)."""
    good, odd = th.uncertainty_confirmed_lap_s, ODD_PRESS_S
    wide = max(th.uncertainty_lap_s, good)
    prior = float(np.clip((wide**2 - good**2) / max(odd**2 - good**2, 1e-9), 0.0, 1.0))
    off, scatter = press_disagreement(activity, moment, edges)
    if off is None or not np.isfinite(scatter):
        return wide
    if scatter >= CANNOT_TELL * odd:
        # the file's samples scatter about its presses as widely as an odd press is off: they
        # tell neither apart, and a rep has two presses, one of them odd about one time in five
        return max(wide, float(np.hypot(odd, ODD_PRESS_SPREAD_S)) / (COVERAGE * np.sqrt(2.0)))
    # with sparse records the fit's bend sits at a record, and a watch writes one at a press:
    # agreement finer than a share of the interval is no confirmation
    s_good = max(scatter, SCATTER_FLOOR_S, CONFIRM_DT_SHARE * recording_interval(activity, moment))
    s_odd = float(np.hypot(s_good, ODD_PRESS_SPREAD_S))
    # the likelihood of the disagreement for a good press (a folded normal) and an odd one,
    # each also with the samples astray (a change of pace read anywhere in the search)
    astray = SAMPLES_ASTRAY / CONFIRM_SEARCH_S
    like_good = (1 - SAMPLES_ASTRAY) * 2.0 * _normal(off, s_good) + astray
    like_odd = (1 - SAMPLES_ASTRAY) * _normal(off - odd, s_odd) + astray
    chance = prior * like_odd / (prior * like_odd + (1 - prior) * like_good)
    # an odd press is off by what the samples show, if that is more than the usual
    return float(np.sqrt((1 - chance) * good**2 + chance * max(odd, off) ** 2))


def _normal(x: float, sd: float) -> float:
    return float(np.exp(-0.5 * (x / sd) ** 2) / (sd * np.sqrt(2 * np.pi)))


def press_disagreement(
    activity: Activity, moment: float, edges: list[float]
) -> tuple[float | None, float]:
    """How far (s) the lap press at ``moment`` is from the change of pace the samples show,
    beyond the file's own habit (None where the samples show no change near it), and how
    widely the file's presses scatter about that habit (s, robust; inf where unknown).

    A file's presses sit consistently on one side of the change the samples show (a runner
    pressing a stride late; a watch whose distance is smoothed bends early), so each press is
    compared with the median offset over the file's lap edges (unknown with fewer than
    ``CONFIRM_MIN_EDGES``; presses where the runner speeds up and where the runner slows
    each have their own): the odd press 2-4 s off stands out from it. The scatter is the
    samples' own precision on this file (and the presses')."""
    if activity.distance is None or len(activity.t) < 5:
        return None, float("inf")
    presses = _file_presses(activity, edges)
    offset = presses.offsets.get(round(moment, 3))
    if round(moment, 3) not in presses.offsets:
        offset = press_offset(activity, moment, edges)
    habit, scatter = presses.habits[_speeding_up(activity, moment)]
    if offset is None:
        return None, scatter
    return abs(offset - habit), scatter


@dataclass(frozen=True)
class _Presses:
    """A recording's lap edges against the samples: each edge's offset (``press_offset``)
    and, for slowing and speeding-up edges, the median offset and its robust scatter."""

    offsets: dict[float, float | None]
    habits: tuple[tuple[float, float], tuple[float, float]]


_PRESSES: dict[tuple[int, int], tuple[weakref.ref, weakref.ref, tuple[float, ...], _Presses]] = {}
_PRESSES_LOCK = threading.Lock()


def _speeding_up(activity: Activity, moment: float) -> int:
    """1 where the runner is faster after ``moment`` than before it (a rep's start), else 0."""
    assert activity.distance is not None
    t, d = activity.t, activity.distance
    before = np.interp(moment, t, d) - np.interp(moment - HABIT_SIDE_S, t, d)
    after = np.interp(moment + HABIT_SIDE_S, t, d) - np.interp(moment, t, d)
    return int(after > before)


def _file_presses(activity: Activity, edges: list[float]) -> _Presses:
    """The recording's presses against its samples, computed once per recording (every rep's
    figures and checks ask for them)."""
    assert activity.distance is not None
    key = tuple(sorted(set(edges)))
    ident = (id(activity.t), id(activity.distance))
    with _PRESSES_LOCK:
        hit = _PRESSES.get(ident)
    if (
        hit is not None
        and hit[0]() is activity.t
        and hit[1]() is activity.distance
        and hit[2] == key
    ):
        return hit[3]
    interior = [e for e in key if activity.t[0] + 1.0 < e < activity.t[-1] - 1.0]
    found_at = [press_offset(activity, e, list(key)) for e in interior]
    habits = []
    for up in (0, 1):
        found = np.array(
            [
                o
                for e, o in zip(interior, found_at, strict=True)
                if o is not None and _speeding_up(activity, e) == up
            ]
        )
        if len(found) >= CONFIRM_MIN_EDGES:
            habit = float(median(found))
            habits.append((habit, 1.4826 * float(median(np.abs(found - habit)))))
        else:
            habits.append((0.0, float("inf")))
    offsets = {round(e, 3): o for e, o in zip(interior, found_at, strict=True)}
    out = _Presses(offsets, (habits[0], habits[1]))
    with _PRESSES_LOCK:
        for k in [k for k, v in _PRESSES.items() if v[0]() is None or v[1]() is None]:
            del _PRESSES[k]
        _PRESSES[ident] = (weakref.ref(activity.t), weakref.ref(activity.distance), key, out)
    return out


def _speed_noise(activity: Activity, start: float, end: float) -> float:
    """Relative noise of the rep's speed: robust spread of record-to-record changes."""
    if activity.speed is None:
        return 0.0
    sel = (activity.t >= start) & (activity.t <= end)
    v = activity.speed[sel]
    v = v[np.isfinite(v)]
    if len(v) < 4 or median(v) <= 0:
        return 0.0
    mad = float(median(np.abs(np.diff(v) - median(np.diff(v)))))
    return 1.4826 * mad / np.sqrt(2) / float(median(v))


def _contrast(activity: Activity, start: float, end: float) -> float:
    """How much slower the runner was just outside the rep: 1 - outside speed / rep speed."""
    if activity.distance is None:
        return 1.0
    t, d = activity.t, activity.distance
    inside = (np.interp(end, t, d) - np.interp(start, t, d)) / max(end - start, 1e-9)
    if inside <= 0:
        return 1.0
    before = (np.interp(start, t, d) - np.interp(start - 10.0, t, d)) / 10.0
    after = (np.interp(end + 10.0, t, d) - np.interp(end, t, d)) / 10.0
    return float(np.clip(1.0 - (before + after) / 2 / inside, 0.2, 1.0))


def start_ratio_noise(
    activity: Activity, seg: Segment, laps_used: bool, lag_s: float, fraction: float, th: Thresholds
) -> float:
    """How far the start-against-rest ratio can be off (a fraction, same coverage as paces):
    the boundaries (where the runner's speed changes) and the time read at the mark."""
    if seg.start_s is None or seg.end_s is None or seg.end_s <= seg.start_s:
        return 0.0
    duration = seg.end_s - seg.start_s
    first, rest = fraction * duration, (1 - fraction) * duration
    contrast = _contrast(activity, seg.start_s, seg.end_s)
    s_start, s_end = (contrast * s for s in boundary_sigmas(activity, seg, laps_used, lag_s, th))
    s_mark = split_time_sigma(activity, seg.start_s + first, lag_s)
    rel = np.sqrt(
        (s_start / first) ** 2 + (s_end / rest) ** 2 + (s_mark * (1 / first + 1 / rest)) ** 2
    )
    return float(COVERAGE * rel)


def split_cv_noise(activity: Activity, seg: Segment, lag_s: float) -> float:
    """The variation of split paces that timing alone gives (a fraction, same coverage)."""
    full = [s for s in seg.splits if s.duration_s > 0]
    if len(full) < 2 or seg.start_s is None or seg.end_s is None:
        return 0.0
    mean = float(np.mean([s.duration_s for s in full]))
    s_mark = split_time_sigma(activity, (seg.start_s + seg.end_s) / 2, lag_s)
    return float(COVERAGE * np.sqrt(2.0) * s_mark / mean)


def judgement_note(segments: list[ScoredSegment], plan: ResolvedPlan) -> str | None:
    """One sentence for a file that times some reps more loosely than their band is wide
    (the worst such reps named), else None."""
    worst: tuple[float, ScoredSegment] | None = None
    for ss in segments:
        if ss.pace_uncertainty_pct is None or ss.band is None or not ss.target_pace:
            continue
        half = (ss.band[1] - ss.band[0]) / 2 / ss.target_pace * 100.0
        if ss.pace_uncertainty_pct > half and (
            worst is None or ss.pace_uncertainty_pct / max(half, 1e-9) > worst[0]
        ):
            worst = (ss.pace_uncertainty_pct / max(half, 1e-9), ss)
    if worst is None:
        return None
    ss = worst[1]
    assert (
        ss.band is not None and ss.target_pace is not None and ss.pace_uncertainty_pct is not None
    )
    step = plan.steps[ss.segment.step] if ss.segment.step is not None else None
    if step is not None and step.distance_m:
        what = f"{format_distance(step.distance_m)} reps"
    elif step is not None and step.duration_s:
        what = f"{format_duration(step.duration_s)} reps"
    else:
        what = "its reps"
    half = (ss.band[1] - ss.band[0]) / 2 / ss.target_pace * 100.0
    return (
        f"this file times {what} to ±{ss.pace_uncertainty_pct:.1f}%; the ±{half:.1f}% band cannot be "
        "judged: such reps are called off target only when beyond the band by more than that"
    )
