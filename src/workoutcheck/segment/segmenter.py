"""``segment(activity, plan)``: find the prescribed reps in the recording.

Order of work: choose the channel that times this file (``channel``: the distance, or a speed
field that agrees with it) and put it on a grid; align the plan's chain to it with the dynamic
programme (again at the runner's own level when the reps came out well off their targets; lap
presses nudge it); move each boundary to the onset of its change of pace (``onset``: the first
stride, the line); bring a distance rep whose fitted span the file's distance contradicts back
to within 1.5% of its metres (``onset.distance_spans``), and a time rep the clock contradicts
to within 3% of its time where the session's time reps keep to theirs; let laps decide the boundaries near
them (``laps``); then measure every segment (distance measured and used, pace, splits) and
list the reps that were not run.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.model.stats import median
from workoutcheck.model.text import format_duration
from workoutcheck.plan import ResolvedPlan, StepKind, scale_paces, scale_recoveries
from workoutcheck.segment import channel, effort, signal
from workoutcheck.segment import laps as lapmod
from workoutcheck.segment.chain import build_chain, free_model, plan_parts
from workoutcheck.segment.dp import Free, Placed, State, solve
from workoutcheck.segment.measure import measure_segment, set_off, stopped_timer
from workoutcheck.segment.onset import distance_spans, onset_boundaries
from workoutcheck.segment.refine import refine_boundaries, speed_lag
from workoutcheck.segment.result import Segment, Segmentation, SegmentKind
from workoutcheck.segment.signal import Signal, activity_speed, build_signal, not_running
from workoutcheck.segment.unplanned import cadence_cells, describe, hill_signal, read_session

LAPS_MODES = ("auto", "use", "ignore")
# A boundary is placed where the speed has gone this far from the old level to the new one:
# halfway, so the acceleration is shared fairly between the two segments. (Tried 0.35-0.5
# against generated truth and real lap presses; 0.5 with the lag correction was best on both.)
BOUNDARY_FRACTION = 0.5
EXTRA_NOTE = "an effort the plan does not have"


def segment(activity: Activity, plan: ResolvedPlan | None, laps: str = "auto") -> Segmentation:
    if laps not in LAPS_MODES:
        raise ValueError(f"laps must be one of {LAPS_MODES}")
    notes: list[str] = []
    if plan is None or not plan.reps:
        return _unplanned(activity, laps, notes)
    fine_dt, coarse_dt = _cell_seconds(plan)
    timing = _timing_channel(activity, notes)
    pace_by = _effort_channel(activity, plan, timing, notes)
    sig, coarse = signal.build_signals(activity, (fine_dt, coarse_dt), progress=pace_by)

    peak = lambda step: _peak_speed(sig, step)  # noqa: E731
    aligned = plan
    loose = free_model(sig, aligned, peak)
    states, placed, laps_used = _two_passes(
        activity, aligned, sig, coarse, peak, loose, laps, notes, None
    )
    level = _level_ratio(aligned, states, placed, sig)
    if level is not None:
        # again, at the level this runner ran the session: which efforts are the reps must not
        # depend on a target pace that is off for the day
        aligned = scale_paces(plan, level)
        loose, states, placed, laps_used = _realigned(activity, aligned, sig, coarse, peak, laps)
        notes.append(
            f"the reps were run {_percent(level)} than prescribed overall; "
            "they were found at that level and judged against the plan"
        )
    stretch = _recovery_stretch(aligned, states, placed, sig)
    if stretch is not None:
        # again, with the recoveries as long as this runner took them: a "90s jog" of three
        # minutes lies outside what a recovery may fill and read as a rep missed
        aligned = scale_recoveries(aligned, stretch)
        loose, states, placed, laps_used = _realigned(activity, aligned, sig, coarse, peak, laps)
        notes.append(
            f"the recoveries took {stretch:.1f} times as long as prescribed; "
            "the reps were found with them that long"
        )
    rests = _rest_places(aligned, states, placed)
    if len(rests) >= 2:
        # again, knowing how long this runner's unprescribed rests take, and how fast at most
        speeds = [  # of the moving part, as a rest's level is judged
            (sig.m1[p.end] - sig.m1[p.start]) / max(sig.mc[p.end] - sig.mc[p.start], 1)
            for p in rests
        ]
        states, placed, laps_used = _two_passes(
            activity,
            aligned,
            sig,
            coarse,
            peak,
            loose,
            laps,
            [],
            _typical_rest([(p.end - p.start) * sig.dt for p in rests]),
            OWN_REST_FASTER * max(speeds) + OWN_REST_MARGIN,
        )
    if not placed:
        return _nothing_fits(activity, plan, laps, notes)
    edges = [0, *[p.start for p in placed], placed[-1].end, sig.n]
    times = sorted({float(e * sig.dt) for e in edges})
    times[-1] = activity.duration_s
    lag = 0.0
    ramps: list[float | None] = []
    times, lag = _refined(
        activity,
        replace(timing, progress=pace_by),
        times,
        notes,
        sig.dt,
        weighted=pace_by is not timing.progress,
        ramps=ramps,
    )
    if (
        timing.name != "none"
        and activity.distance is not None
        and pace_by is timing.progress
        and len(ramps) == len(times)
    ):
        times = _distance_spans(activity, timing, plan, states, placed, times, ramps)
    if timing.name != "none" and len(ramps) == len(times):
        times = _duration_spans(activity, plan, states, placed, times, ramps)
    if laps == "auto":
        times = lapmod.snap_near(activity, times, notes)
    elif laps == "use" and len(activity.laps) >= 2:
        # the reps are found as in auto; then every boundary is the lap edge nearest it
        times = lapmod.snap_to_laps(activity, times, notes)
        laps_used = True
    if laps in ("auto", "use"):
        times = lapmod.on_lap_clock(activity, times, _effort_ends(states, placed))
    times = _line_ends(activity, plan, states, placed, times)
    has_cool = len(times) - 1 > len(placed) + (1 if placed[0].start > 0 else 0)
    last_rep = states[placed[-1].state].kind == "rep"
    if has_cool and len(times) >= 3 and _ran_on(activity, times[-3:], last_rep):
        # seconds of "cool-down" as the watch stopped: the last step ran on
        times = [*times[:-2], times[-1]]
    placed, times = _no_start_sliver(activity, timing, states, placed, times)
    times = _set_off_before_resumes(activity, times)
    segments = _segments(activity, plan, states, placed, times, lag)
    missed = tuple(s.rep for s in segments if s.missed and s.rep is not None)
    extras = sum(1 for s in segments if s.kind is SegmentKind.EXTRA and s.note == EXTRA_NOTE)
    return Segmentation(
        segments=tuple(segments),
        laps_mode=laps,
        laps_used=laps_used,
        missed_reps=missed,
        extra_efforts=extras,
        lag_s=lag,
        notes=tuple(notes),
    )


def _realigned(activity, plan, sig, coarse, peak, laps):
    """The alignment run again for a restated plan (the runner's level, their recoveries):
    its free warm-up and cool-down model, then ``_two_passes``."""
    loose = free_model(sig, plan, peak)
    return (loose, *_two_passes(activity, plan, sig, coarse, peak, loose, laps, [], None))


def _two_passes(activity, plan, sig, coarse, peak, loose, laps, notes, open_rest_s, rest_cap=None):
    """Choose the alignment on coarse cells, then place it on fine cells near there.
    ``rest_cap``: the fastest (m/s) this runner's own rests may be moved through."""
    rough, laps_used = _align(
        activity,
        coarse,
        _capped(build_chain(coarse, plan, peak, open_rest_s), plan, rest_cap),
        loose,
        laps,
        notes,
    )
    states = _capped(build_chain(sig, plan, peak, open_rest_s), plan, rest_cap)
    if rough:
        states = _near(states, rough, coarse.dt, sig)
    placed, laps_used = _align(activity, sig, states, loose, laps, [] if rough else notes)
    return states, placed, laps_used


LEVEL_RELEARN = 0.04  # reps run this much off their targets overall: align again at their level
LEVEL_RANGE = (0.75, 1.35)


def _level_ratio(
    plan: ResolvedPlan, states: list[State], placed: list[Placed], sig: Signal
) -> float | None:
    """How much slower (> 1) or faster the reps found were run than their targets, as the
    median ratio of pace to target; None when that is within ``LEVEL_RELEARN`` of 1."""
    ratios = []
    for p in placed:
        st = states[p.state]
        if st.kind != "rep" or st.step is None or not plan.steps[st.step].pace_s_per_km:
            continue
        gained = sig.d[p.end] - sig.d[p.start]
        if gained <= 0:
            continue
        pace = (p.end - p.start) * sig.dt / gained * 1000.0
        ratios.append(pace / plan.steps[st.step].pace_s_per_km)
    if len(ratios) < 2:
        return None
    level = float(np.clip(median(ratios), *LEVEL_RANGE))
    return level if abs(level - 1.0) > LEVEL_RELEARN else None


RECOVERY_RELEARN = 1.6  # recoveries this many times their prescription or more: align again
RECOVERY_STRETCH_MAX = 4.0  # ...with them at most this much longer


def _recovery_stretch(
    plan: ResolvedPlan, states: list[State], placed: list[Placed], sig: Signal
) -> float | None:
    """How many times as long as prescribed the runner took the recoveries found (the median
    over those the plan gives a time or distance, not the open one after the last rep); None
    below ``RECOVERY_RELEARN`` or with fewer than two."""
    ratios = []
    for p in placed:
        st = states[p.state]
        if st.kind != "recovery" or st.step is None or st.open_ended or st.skips:
            continue
        step = plan.steps[st.step]
        if step.implicit:
            continue
        if step.duration_s:
            ratios.append((p.end - p.start) * sig.dt / step.duration_s)
        elif step.distance_m:
            ratios.append((sig.d[p.end] - sig.d[p.start]) / step.distance_m)
    if len(ratios) < 2:
        return None
    stretch = float(median(ratios))
    return min(stretch, RECOVERY_STRETCH_MAX) if stretch > RECOVERY_RELEARN else None


def _percent(level: float) -> str:
    return f"{abs(level - 1.0) * 100:.0f}% {'slower' if level > 1 else 'faster'}"


def _rest_places(plan: ResolvedPlan, states: list[State], placed: list[Placed]) -> list[Placed]:
    """The unprescribed rests found between recovery-less repeats (not one after the last
    effort found, which may run on as long as the runner likes)."""
    efforts = [i for i, p in enumerate(placed) if states[p.state].kind in ("rep", "extra")]
    last = efforts[-1] if efforts else -1
    return [
        p
        for i, p in enumerate(placed)
        if (step := states[p.state].step) is not None and plan.steps[step].implicit and i < last
    ]


# this runner's own rests are moved through no faster than this times the fastest found between
# the efforts, plus this (m/s): a cool-down jog after the last rep is no such rest (4 x 20 s
# walked between at 1.4-1.5 m/s, then a 2.6 m/s jog read as the rest after rep 4, its last
# rep "missed")
OWN_REST_FASTER = 1.3
OWN_REST_MARGIN = 0.4


def _capped(states: list[State], plan: ResolvedPlan, cap: float | None) -> list[State]:
    """The chain with its unprescribed rests held under ``cap`` (m/s), if given."""
    if cap is None:
        return states
    for st in states:
        if st.kind == "recovery" and st.step is not None and plan.steps[st.step].implicit:
            st.v_hi = min(st.v_hi, cap)
    return states


def _typical_rest(rests: list[float]) -> float:
    """How long this runner's own rests take: the lower median of those found, since the
    odd one is long (a rep missed in it, a stop), never short: of 48 s and 206 s, 48 s."""
    ordered = sorted(rests)
    return float(ordered[(len(ordered) - 1) // 2])


def _align(
    activity: Activity, sig: Signal, states: list[State], loose: Free, laps: str, notes: list[str]
) -> tuple[list[Placed], bool]:
    if laps == "use" and len(activity.laps) < 2:
        notes.append("the file has no device laps; reps were found from the speed instead")
    if laps in ("auto", "use"):
        bonus = lapmod.lap_bonus(activity, sig)
        if bonus is not None:
            placed, _ = solve(sig, states, loose, bonus)
            return placed, True
    placed, _ = solve(sig, states, loose)
    return placed, False


PAUSE_EDGE_S = 3.0
END_SLIVER_S = 10.0  # "cool-down" this short as the watch stopped...
END_SLIVER_MOVING = 0.7  # ...run at this fraction of the last step's speed: that step ran on


def _effort_ends(states: list[State], placed: list[Placed]) -> set[int]:
    """The indices of the boundary list (a free warm-up first where there is one) that end
    a rep or an extra effort."""
    first = 1 if placed and placed[0].start > 0 else 0
    return {first + j + 1 for j, p in enumerate(placed) if states[p.state].kind in ("rep", "extra")}


def _ran_on(activity: Activity, times: list[float], rep: bool) -> bool:
    """Whether the seconds from the last boundary to the recording's stop are the last step
    running on (``times``: that step's start, its end, the stop): under ``END_SLIVER_S`` and,
    after a rep, near its speed. A runner who slows after the last rep's line and stands a
    few seconds before stopping the watch ended the rep at the line (a stress-set 12 x 600 m
    read its last rep 9 s long, 4% slow, standing included); a jog or cool-down that ends
    in a stop keeps its last seconds, which change no figure worth a segment of its own."""
    start, end, stop = times
    if stop - end >= END_SLIVER_S:
        return False
    if not rep or activity.distance is None or stop - end <= 0 or end - start <= 0:
        return True
    t, d = activity.t, activity.distance
    at = np.interp([start, end, stop], t, d)
    last = (at[1] - at[0]) / (end - start)
    return bool((at[2] - at[1]) / (stop - end) >= END_SLIVER_MOVING * last)


START_SLIVER_S = 20.0  # "warm-up" this short before rep 1, at the file's start...
SLIVER_MOVING = 0.5  # ...run at least this fraction of the rep's speed, is the rep
# and the first seconds of a file that starts with the rep are the rep whatever their speed:
# the watch was started as the runner set off, and the distance bends into the first stride
# (over two record intervals, where the watch writes one only every few seconds: a race from
# the first second, recorded every 4 s, read its first 5.4 s as a "warm-up" at 1.3 m/s)
START_ACCEL_S = 5.0
START_ACCEL_RECORDS = 2


def _no_start_sliver(
    activity: Activity,
    timing: channel.Channel,
    states: list[State],
    placed: list[Placed],
    times: list[float],
) -> tuple[list[Placed], list[float]]:
    """Seconds of "warm-up" before rep 1, run near the rep's speed, are the rep: the watch was
    started as the runner set off and its first seconds read slow while GPS settled. (A runner
    who stood at the start line stands: that stays outside the rep.)"""
    if (
        not placed
        or placed[0].start == 0
        or states[placed[0].state].kind != "rep"
        or len(times) < 3
    ):
        return placed, times
    a, b, c = times[0], times[1], times[2]
    if b - a >= START_SLIVER_S or timing.name == "none":
        return placed, times
    pa, pb, pc = np.interp([a, b, c], activity.t, timing.progress)
    v_sliver, v_rep = (pb - pa) / max(b - a, 1e-9), (pc - pb) / max(c - b, 1e-9)
    i = int(np.searchsorted(activity.t, a))
    first = activity.t[i : i + 4]  # the file's first records
    interval = float(np.median(np.diff(first))) if len(first) >= 2 else 1.0
    if v_sliver < SLIVER_MOVING * v_rep and b - a >= max(
        START_ACCEL_S, START_ACCEL_RECORDS * interval
    ):
        return placed, times
    return [replace(placed[0], start=0), *placed[1:]], [a, *times[2:]]


def _at_resume(activity: Activity, times: list[float], slack: float) -> dict[int, float]:
    """The interior boundaries the programme placed within ``slack`` of a pause's end, and
    that end: the segment after began as the watch resumed, and what came before was not
    recorded, so no onset can be read there. (Fitted anyway on a GPX whose 23 s stand the
    watch left unrecorded, the start of a 400 m rep was read from GPS noise in its first
    records, 7 s after the resume.)"""
    ends = np.sort(np.array([p.end_s for p in activity.pauses]))
    if len(ends) == 0 or len(times) < 3:
        return {}
    at = np.asarray(times, dtype=np.float64)
    inner = at[1:-1]
    # the latest pause end at or before each boundary plus the slack
    k = np.searchsorted(ends, inner + slack, side="right") - 1
    end = ends[np.maximum(k, 0)]
    near = (k >= 0) & (end >= inner - slack) & (end > at[:-2]) & (end < at[2:])
    return {int(i) + 1: float(end[i]) for i in np.flatnonzero(near)}


def _set_off_before_resumes(activity: Activity, times: list[float]) -> list[float]:
    """A boundary on the end of an auto-pause (``measure.stopped_timer``), inside it (an
    onset fitted into the seconds no record holds), or a lap pressed within
    ``SET_OFF_AFTER_S`` after it, moved to where the runner set off (``measure.set_off``):
    the first stride came before the watch saw it, and the seconds since belong to the
    segment after, not to the stand."""
    stops = sorted((p.start_s, p.end_s) for p in activity.pauses if stopped_timer(activity, p))
    if not stops:
        return times
    starts = np.array([a for a, _ in stops])
    out = list(times)
    for i in range(1, len(out) - 1):
        k = int(np.searchsorted(starts, out[i], side="left")) - 1
        if k < 0:
            continue
        begin, end = stops[k]
        if out[i] - end > SET_OFF_AFTER_S or begin <= out[i - 1]:
            continue
        if out[i] < end and out[i] - begin <= end - out[i]:
            continue  # nearer the stop than the resume: where the runner stopped, not set off
        lead = set_off(activity, end)
        if lead > 0:
            out[i] = max(end - lead, begin, out[i - 1] + 0.5)
    return out


SET_OFF_AFTER_S = 2.0  # a lap this soon after the resume was pressed once running


def _after_pauses(activity: Activity, times: list[float]) -> list[float]:
    """A boundary just after a pause sits at the pause's end: the watch was not recording when
    the runner set off (auto-pause resumes once the runner is moving), so the first record
    after it is already late."""
    ends = np.array([p.end_s for p in activity.pauses])
    if len(ends) == 0:
        return times
    out = list(times)
    for i in range(1, len(out) - 1):
        k = np.flatnonzero((ends <= out[i]) & (ends >= out[i] - PAUSE_EDGE_S))
        if len(k) and ends[k[-1]] > out[i - 1]:
            out[i] = float(ends[k[-1]])
    return out


def _timing_channel(activity: Activity, notes: list[str]) -> channel.Channel:
    """What times the boundaries (see ``channel``), saying why where it is not obvious, and
    any stretch too fast to be running (see ``signal.not_running``)."""
    ch = channel.choose(activity)
    if ch.note:
        notes.append(ch.note)
    seconds = np.arange(np.ceil(activity.duration_s) + 1)
    riding = not_running(np.diff(np.interp(seconds, activity.t, ch.progress)))
    if riding.any():
        first = int(np.argmax(riding))
        notes.append(
            f"{int(riding.sum()) // 60}:{int(riding.sum()) % 60:02d} of the recording, from {first // 60}:{first % 60:02d}, "
            "is faster than anyone runs (a vehicle?): left out of rep finding"
        )
    return ch


def _effort_channel(
    activity: Activity, plan: ResolvedPlan, timing: channel.Channel, notes: list[str]
) -> np.ndarray:
    """The progress whose rate the reps are found by: on hills, flat-equivalent metres
    (``effort``), so a climb run hard is not taken for a jog nor a descent for a rep. The
    onsets of the boundaries are read on the same progress (a rep up a hill and the jog down
    differ little on the clock); distances still come from the recorded distance."""
    uphill = any(s.terrain == "uphill" for s in plan.steps)
    weighted = (
        effort.effort_progress(activity, timing.progress, uphill) if timing.name != "none" else None
    )
    if weighted is None:
        return timing.progress
    notes.append("the reps were found by grade-adjusted speed (the file climbs and descends)")
    return weighted


def _refined(
    activity: Activity,
    timing: channel.Channel,
    times: list[float],
    notes: list[str],
    dt: float = 1.0,
    weighted: bool = False,
    ramps: list[float | None] | None = None,
) -> tuple[list[float], float]:
    """Boundaries at the onset of each change of pace, read from the timing channel's
    progress (``_onset_progress``); with no channel at all, at the speed's halfway crossings
    less its lag. Also the lag taken off (s): distances are read that much later at them."""
    if timing.name != "none":
        search = max(12.0, 2.0 * dt)
        resumed = _at_resume(activity, times, max(PAUSE_EDGE_S, dt))
        found = onset_boundaries(
            activity.t,
            _onset_progress(activity, timing, weighted),
            times,
            search_s=search,
            ramps=ramps,
        )
        if not weighted:
            found = _outvoted(activity, timing, times, found, search, ramps, notes)
        for i, end in resumed.items():
            found[i] = end
            if ramps is not None and len(ramps) == len(found):
                ramps[i] = 0.0  # as sharp as a boundary gets: nothing before it was recorded
        # a channel moved back onto the GPS fixes: distances are read that much later
        return _after_pauses(activity, found), timing.behind_s
    search = max(8.0, 2.0 * dt)
    lag = speed_lag(activity, times, search)
    if lag:
        notes.append(f"the watch's speed trails its positions by {lag:.1f} s; boundaries corrected")
    speed = activity_speed(activity)
    # the programme placed boundaries on the lagging speed: look for each crossing that much earlier
    shifted = [times[0], *[x - lag for x in times[1:-1]], times[-1]]
    return refine_boundaries(
        activity.t - lag, speed, shifted, search_s=search, fraction=BOUNDARY_FRACTION
    ), lag


OUTVOTED_S = 3.0  # the distance's onset this far from both others' is the distance's error...
WITNESSES_AGREE_S = 2.0  # ...when those two agree this closely


def _outvoted(
    activity: Activity,
    timing: channel.Channel,
    times: list[float],
    found: list[float],
    search_s: float,
    ramps: list[float | None] | None,
    notes: list[str],
) -> list[float]:
    """Boundaries the watch's distance misplaces, moved to where its positions and its speed
    field agree the change of pace was. A watch's distance is right on the whole file and
    wrong in places: a Forerunner 235 counts GPS drift while the runner stands, then holds its
    distance back over the next rep's first 10-15 s until the positions catch up, so its
    onset lands 14 s late where positions and speed field both see the runner go (3 of the
    216 real boundaries; ``channel.witnesses``)."""
    witnesses = channel.witnesses(activity, timing)
    if not witnesses:
        return found
    others = []
    for progress in witnesses:
        own: list[float | None] = []
        others.append(
            (onset_boundaries(activity.t, progress, times, search_s=search_s, ramps=own), own)
        )
    (pos, pos_ramps), (spd, _) = others
    out = list(found)
    moved = []
    for i in range(1, len(found) - 1):
        if ramps is not None and ramps[i] is None:
            continue  # no change of pace fitted on the distance: nothing to outvote
        a, b = pos[i], spd[i]
        if pos_ramps[i] is None or a == times[i] or b == times[i]:
            continue
        if (
            abs(a - b) <= WITNESSES_AGREE_S
            and min(abs(found[i] - a), abs(found[i] - b)) > OUTVOTED_S
        ):
            out[i] = 0.5 * (a + b)
            moved.append((out[i], out[i] - found[i]))
            if ramps is not None:
                ramps[i] = pos_ramps[i]
    if moved:
        where = ", ".join(f"{format_duration(at)} ({shift:+.0f} s)" for at, shift in moved)
        notes.append(
            f"{len(moved)} boundar{'y' if len(moved) == 1 else 'ies'} timed on the positions and speed "
            f"field, which agree where the watch's distance does not: {where}"
        )
    return out


def _onset_progress(activity: Activity, timing: channel.Channel, weighted: bool) -> np.ndarray:
    """The progress the onsets are read on: the timing channel's, but where the reps were found
    on the speed field because the distance is too rough for the grid, still the distance. A
    watch's speed field is filtered, so with its lag taken off its changes of pace start seconds
    early; the onset fit reads the cumulative distance over half a minute either side, which its
    roughness barely moves (on the real files timed this way: 70% of boundaries within 3 s of
    the laps, against 62% on the speed field). Grade-adjusted progress (``weighted``) stays."""
    if not weighted and timing.name == "speed" and activity.distance is not None:
        return channel.without_stale(activity.t, activity.distance)
    return timing.progress


def _distance_spans(
    activity: Activity,
    timing: channel.Channel,
    plan: ResolvedPlan,
    states: list[State],
    placed: list[Placed],
    times: list[float],
    ramps: list[float | None],
) -> list[float]:
    """Distance reps whose fitted span disagrees with the file's distance (``onset.distance_spans``).
    A distance from positions is ours, within 1-2.5% of a rep's length between its true
    boundaries, so a file whose spans scatter is the fits' scatter and is used; a watch's own
    distance between a real runner's laps scatters 4-7% on some real files (cosc470), so it is
    used only where the file's spans already agree with their prescriptions."""
    device = activity.distance_source != "positions"
    return distance_spans(
        activity.t,
        _onset_progress(activity, timing, False),
        [_rep_span(plan, states, placed, i) for i in range(len(placed))],
        1 if placed[0].start > 0 else 0,
        times,
        ramps,
        max_scale=SPAN_DEVICE_MAX_SCALE if device else None,
        max_spread=SPAN_DEVICE_MAX_SPREAD if device else None,
    )


SPAN_DEVICE_MAX_SCALE = 0.03  # a watch's distance: the reps measure within 3% of the plan...
SPAN_DEVICE_MAX_SPREAD = 0.02  # ...and scatter less than 2% (median deviation)


def _rep_span(
    plan: ResolvedPlan, states: list[State], placed: list[Placed], i: int
) -> float | None:
    """The prescribed distance (m) of the ``i``-th placed segment when it is a distance rep."""
    st = states[placed[i].state]
    if st.kind != "rep" or st.step is None:
        return None
    return plan.steps[st.step].distance_m or None


def _duration_spans(
    activity: Activity,
    plan: ResolvedPlan,
    states: list[State],
    placed: list[Placed],
    times: list[float],
    ramps: list[float | None],
) -> list[float]:
    """Time reps whose fitted span disagrees with their prescribed time, where the file's
    time reps as a whole keep to theirs (a watch's timer runs them): the span measured on the
    clock as a distance rep's is on the distance (``onset.distance_spans``). A dip inside a
    fitlek's 60 s rep ended its fit after 55 s, and a near-stop at a 120 s rep's start began
    it 6 s late (Forerunner 735XT, time-triggered laps)."""
    return distance_spans(
        activity.t,
        activity.t,
        [_rep_time(plan, states, placed, i) for i in range(len(placed))],
        1 if placed[0].start > 0 else 0,
        times,
        ramps,
        max_scale=DURATION_MAX_SCALE,
        max_spread=DURATION_MAX_SPREAD,
        tolerance=DURATION_TOLERANCE,
    )


# a runner timing reps by eye keeps to them within a few percent, not 1.5%: manual laps of
# 3-minute reps ran 180-188 s, of 9-minute reps 523-530 s; a span is moved only beyond that
DURATION_TOLERANCE = 0.03
DURATION_MAX_SCALE = 0.05  # the time reps as a whole within 5% of their times...
DURATION_MAX_SPREAD = 0.03  # ...and scattering less than 3% (median deviation), or they stay


def _rep_time(
    plan: ResolvedPlan, states: list[State], placed: list[Placed], i: int
) -> float | None:
    """The prescribed time (s) of the ``i``-th placed segment when it is a time rep."""
    st = states[placed[i].state]
    if st.kind != "rep" or st.step is None:
        return None
    step = plan.steps[st.step]
    if step.distance_m or step.equal_to_rep:
        return None
    return step.duration_s or None


def _cell_seconds(plan: ResolvedPlan) -> tuple[float, float]:
    """Grid cells for the two passes: about 1/25 (fine, 1-5 s) and 1/10 (coarse, up to 30 s)
    of the shortest prescribed segment. Boundaries are placed to the sample afterwards, so
    the cell size costs no precision, and the coarse pass makes long sessions cheap."""
    shortest = min(
        (
            s.expected_s
            for s in plan.steps
            if s.expected_s
            and s.kind is not StepKind.WARMUP
            and s.kind is not StepKind.COOLDOWN
            and not s.implicit
        ),
        default=60.0,
    )
    fine = float(np.clip(np.floor(shortest / 25.0), 1.0, 5.0))
    return fine, float(np.clip(np.floor(shortest / 10.0), fine, 30.0))


def _near(states: list[State], rough: list[Placed], coarse_dt: float, sig: Signal) -> list[State]:
    """The coarse pass's chain of states, each allowed to end only near where it ended there."""
    edges = np.arange(sig.n + 1) * sig.dt
    out: list[State] = []
    for i, p in enumerate(rough):
        st = states[p.state]
        penalty = dict(st.preds).get(rough[i - 1].state if i else -1, 0.0)
        centre = p.end * coarse_dt
        ends = np.flatnonzero(np.abs(edges - centre) <= 2.0 * coarse_dt)
        last = i == len(rough) - 1
        out.append(
            replace(
                st,
                preds=[(i - 1, penalty)],
                ends=ends,
                end_penalty=st.end_penalty if last else None,
            )
        )
    return out


LINE_OVER = 1.05  # a distance rep measured this much over its prescription ran on past the line
LOW_CONTRAST = 0.15  # and the running after it this close to the rep's speed: no visible change
LINE_AFTER_S = 30.0  # ...for at least this long (not the watch stopping at the line)


def _line_ends(
    activity: Activity,
    plan: ResolvedPlan,
    states: list[State],
    placed: list[Placed],
    times: list[float],
) -> list[float]:
    """A distance rep ends where its distance was covered. Where the runner eased into a
    cool-down barely slower than the rep, no change of pace marks the line; if the rep then
    measures well over its prescription, its end moves back to where the prescribed distance
    was covered."""
    if activity.distance is None:
        return times
    out = list(times)
    k = 1 if placed[0].start > 0 else 0
    for _i, p in enumerate(placed):
        st = states[p.state]
        step = plan.steps[st.step] if st.step is not None else None
        if st.kind == "rep" and step is not None and step.distance_m and k + 2 < len(out):
            a, b, c = out[k], out[k + 1], out[k + 2]
            d = activity.distance
            da, db, dc = np.interp([a, b, c], activity.t, d)
            v_rep = (db - da) / max(b - a, 1e-9)
            v_next = (dc - db) / max(c - b, 1e-9)
            if (
                db - da > LINE_OVER * step.distance_m
                and v_next >= (1 - LOW_CONTRAST) * v_rep
                and c - b >= LINE_AFTER_S
            ):
                line = float(np.interp(da + step.distance_m, d, activity.t))
                if a < line < b:
                    out[k + 1] = line
        k += 1
    return out


def _segments(
    activity: Activity,
    plan: ResolvedPlan,
    states: list[State],
    placed: list[Placed],
    times: list[float],
    lag: float,
) -> list[Segment]:
    before, parts, after = plan_parts(plan)
    out: list[Segment] = []
    in_place: dict[int, int] = {}  # a missed rep's row goes after the rest in its place
    k = 0
    if placed[0].start > 0:
        out.append(
            _make(
                activity,
                SegmentKind.WARMUP,
                times[0],
                times[1],
                lag,
                step=before[0] if before else None,
            )
        )
        k = 1
    for p in placed:
        st = states[p.state]
        kind = {
            "rep": SegmentKind.REP,
            "recovery": SegmentKind.RECOVERY,
            "extra": SegmentKind.EXTRA,
            "stride": SegmentKind.EXTRA,
            "warmup": SegmentKind.WARMUP,
        }[st.kind]
        note = {"extra": EXTRA_NOTE, "stride": "a stride in the warm-up"}.get(st.kind)
        if st.kind == "recovery" and st.rep is None and st.step is None:
            note = "unprescribed recovery"
        if st.skips:
            note = f"rest in place of the missed rep {', '.join(str(r) for r in st.skips)}"
            in_place.update({r: len(out) + 1 for r in st.skips})
        seg = _make(
            activity,
            kind,
            times[k],
            times[k + 1],
            lag,
            step=st.step,
            rep=st.rep,
            note=note,
            plan=plan,
        )
        out.append(seg)
        k += 1
    if k < len(times) - 1:
        out.append(
            _make(
                activity,
                SegmentKind.COOLDOWN,
                times[k],
                times[-1],
                lag,
                step=after[0] if after else None,
            )
        )
    return _insert_missed(out, plan, parts, in_place)


def _nothing_fits(
    activity: Activity, plan: ResolvedPlan, laps: str, notes: list[str]
) -> Segmentation:
    """Not one prescribed rep fits the recording (too short, or a different session)."""
    whole = _make(
        activity, SegmentKind.EXTRA, 0.0, activity.duration_s, 0.0, note="matches no planned step"
    )
    _, parts, _ = plan_parts(plan)
    segments = _insert_missed([whole], plan, parts)
    notes.append("no prescribed rep fits this recording: is it the right file and plan?")
    missed = tuple(s.rep for s in segments if s.missed and s.rep is not None)
    return Segmentation(tuple(segments), laps, False, missed_reps=missed, notes=tuple(notes))


def _insert_missed(
    segments: list[Segment], plan: ResolvedPlan, parts, in_place: dict[int, int] | None = None
) -> list[Segment]:
    """A missed rep appears, with no times, where it should have been run: after the rest in
    its place (``in_place``: rep -> index of the row after that rest), else before the next
    rep run."""
    done = {s.rep for s in segments if s.kind is SegmentKind.REP}
    out = list(segments)
    for part in reversed(parts):  # from the end, so the indices in ``in_place`` hold
        step = plan.steps[part.effort]
        if step.rep in done:
            continue
        missed = Segment(
            SegmentKind.REP, None, None, rep=step.rep, step=part.effort, missed=True, note="not run"
        )
        if in_place and step.rep in in_place:
            out.insert(in_place[step.rep], missed)
            continue
        later = [
            i
            for i, s in enumerate(out)
            if s.kind is SegmentKind.REP and s.rep is not None and s.rep > step.rep
        ]
        if later:
            out.insert(later[0], missed)
        else:
            cool = [i for i, s in enumerate(out) if s.kind is SegmentKind.COOLDOWN]
            out.insert(cool[0] if cool else len(out), missed)
    return out


def _make(
    activity: Activity,
    kind: SegmentKind,
    start: float,
    end: float,
    lag: float,
    *,
    step=None,
    rep=None,
    note=None,
    plan: ResolvedPlan | None = None,
) -> Segment:
    prescribed = None
    if plan is not None and step is not None and kind is SegmentKind.REP:
        prescribed = plan.steps[step].distance_m
    return measure_segment(
        activity, Segment(kind, start, end, rep=rep, step=step, note=note), prescribed, lag
    )


def _peak_speed(sig: Signal, step) -> float:
    """The runner's best average speed over the step's length: the level of an effort whose
    pace the plan does not give (a race without a goal, "6x3min hard")."""
    d = sig.d
    if step.distance_m:
        start = np.searchsorted(d, d - step.distance_m, side="right") - 1
        ok = (start >= 0) & (d >= step.distance_m)
        if ok.any():
            times = (np.arange(len(d)) - start)[ok] * sig.dt
            return float(step.distance_m / max(times.min(), 1.0))
    length = int(round((step.duration_s or 60.0) / sig.dt))
    if length < len(d):
        gained = d[length:] - d[:-length]
        return float(gained.max() / (length * sig.dt))
    return float(max(d[-1] / (len(d) * sig.dt), 1.0))


def _unplanned(activity: Activity, laps: str, notes: list[str]) -> Segmentation:
    timing = _timing_channel(activity, notes)
    sig = build_signal(activity, progress=timing.progress)
    hills = lambda: hill_signal(activity, timing.progress)  # noqa: E731
    reading = read_session(sig, hills, cadence_cells(activity, sig))
    blocks = reading.blocks
    if not blocks:
        if reading.reason:
            notes.append(f"no interval session: {reading.reason}")
        seg = measure_segment(activity, Segment(SegmentKind.EXTRA, 0.0, activity.duration_s), None)
        desc = describe([], [])
        return Segmentation((seg,), laps, False, description=desc, notes=tuple(notes))
    edges = [0] + [e for block in blocks for e in block] + [sig.n]
    times = [float(e * sig.dt) for e in edges]
    times[-1] = activity.duration_s
    uniq = sorted(set(times))
    refined, lag = _refined(activity, timing, uniq, notes)
    lookup = dict(zip(uniq, refined, strict=True))
    segments: list[Segment] = []
    rep = 0
    for i in range(len(edges) - 1):
        a, b = lookup[times[i]], lookup[times[i + 1]]
        if b <= a:
            continue
        if i == 0:
            kind = SegmentKind.WARMUP
        elif i == len(edges) - 2:
            kind = SegmentKind.COOLDOWN
        elif i % 2 == 1:
            kind = SegmentKind.REP
        else:
            kind = SegmentKind.RECOVERY
        if kind is SegmentKind.REP:
            rep += 1
        segments.append(
            measure_segment(
                activity,
                Segment(kind, a, b, rep=rep if kind is SegmentKind.REP else None),
                None,
                lag,
            )
        )
    efforts = [
        (s.distance_m or 0.0, s.duration_s or 0.0) for s in segments if s.kind is SegmentKind.REP
    ]
    recs = [
        (s.distance_m or 0.0, s.duration_s or 0.0)
        for s in segments
        if s.kind is SegmentKind.RECOVERY
    ]
    return Segmentation(
        tuple(segments),
        laps,
        False,
        description=describe(efforts, recs),
        lag_s=lag,
        notes=tuple(notes),
    )
