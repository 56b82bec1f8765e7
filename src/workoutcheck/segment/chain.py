"""Turn a resolved plan into the dynamic programme's chain of states.

The chain is the plan's efforts and recoveries in order, plus the ways real sessions depart
from plans, each at a price: a rep left out (its recovery runs on into the next one, or the
runner stands or walks in its place between its recoveries), an extra effort nobody
prescribed, the last recovery dropped, the first or last rep missed. Trying these inside one
programme is what keeps a skipped rep from shifting every rep after it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from workoutcheck.model.stats import median
from workoutcheck.plan import ResolvedPlan, ResolvedStep, StepKind
from workoutcheck.segment.dp import COOLDOWN_WALK, PRE, Free, State
from workoutcheck.segment.signal import Signal
from workoutcheck.segment.window import distance_window, time_window

SKIP_PENALTY = 60.0
EXTRA_PENALTY = 60.0
LATE_START_PENALTY = 20.0
EXTRA_EARLY_PENALTY = 2.0
OVER_EASY = 1.08
MAX_STRIDES = 4
# a stride costs less than an extra effort: four strides must stay cheaper than reading them
# as reps 1-4 with the real reps left in the cool-down; what keeps a stride from taking rep 1's
# place is the running after it (STRIDE_LAST_GAP, STRIDE_SHORT)
STRIDE_PENALTY = 30.0
STRIDE_S = (6.0, 40.0)
STRIDE_GAP_S = (10.0, 300.0)
STRIDE_AFTER_S = 120.0  # the first stride follows at least this much warm-up
STRIDE_LAST_GAP = 1.5  # x the set's recovery: the least easy running between strides and rep 1
STRIDE_SHORT = 0.5  # x rep 1: a stride this short may come straight before it
SHORT_STRIDE_S = 25.0  # and no longer than strides usually are (80-150 m)
# spread of speed inside a segment, as a fraction of the rep speed: reps are run steadily,
# recoveries, warm-ups and cool-downs less so (jog, walk, stand, strides)
EFFORT_SPREAD = 0.08
LOOSE_SPREAD = 0.12
BOUNDARY_SLACK_S = 1.5  # s: how far a boundary may sit from the change on the programme's grid
# a watch's record distance over a rep: 3-6% off on average (Gilgen-Ammann et al. 2020), and on
# watches that update it in chunks a 200 m rep can read 160-180 m between its lap presses
REP_DISTANCE_ERROR = 0.025
SHORT_REP_DISTANCE_ERROR_M = 10.0
EFFORT_WINDOW = 0.35  # a rep may be 35% off its prescribed length before it cannot match
RECOVERY_WINDOW = (0.3, 2.5)
OPEN_RECOVERY_S = (2.0, 900.0)
# how far runners stray from a prescribed recovery: "2-3 min" is common; a tighter prior
# makes a long rest cheaper to explain by shifting the reps than by the rest itself
RECOVERY_TIME_SPREAD = 0.2
RECOVERY_DISTANCE_SPREAD = 0.15


@dataclass(frozen=True)
class Part:
    """An effort with the recovery steps that follow it (possibly none)."""

    effort: int  # index into the resolved steps
    recoveries: tuple[int, ...]


def plan_parts(plan: ResolvedPlan) -> tuple[list[int], list[Part], list[int]]:
    """(steps before the first effort, the efforts with their recoveries, steps after)."""
    steps = plan.steps
    efforts = [i for i, s in enumerate(steps) if s.kind in (StepKind.WORK, StepKind.RACE)]
    if not efforts:
        return list(range(len(steps))), [], []
    parts = []
    for k, i in enumerate(efforts):
        stop = efforts[k + 1] if k + 1 < len(efforts) else len(steps)
        recs = tuple(j for j in range(i + 1, stop) if steps[j].kind is StepKind.RECOVERY)
        parts.append(Part(i, recs))
    last = efforts[-1]
    trailing_recs = set(parts[-1].recoveries)
    after = [j for j in range(last + 1, len(steps)) if j not in trailing_recs]
    return list(range(efforts[0])), parts, after


def free_model(sig: Signal, plan: ResolvedPlan, peak_speed) -> Free:
    """The free warm-up and cool-down: as loose as recoveries, and slower than every rep."""
    _, parts, _ = plan_parts(plan)
    speeds = [_effort_speed(plan.steps[p.effort], sig, peak_speed) for p in parts] or [3.0]
    slowest = min(speeds)
    v_hi = 0.9 * slowest
    easy = _easy_speed(plan)
    if 0 < easy < slowest:
        # a warm-up or cool-down the plan paces within 20% of the slowest rep (a progressive
        # set that starts at 10K pace) may run halfway from its pace to that rep's: held
        # under 90% of the rep's speed, a warm-up run at its own pace became a few seconds
        # long and the reps moved into it
        v_hi = max(v_hi, (easy + slowest) / 2)
    warmup_s, warmup_m = _planned_warmup(plan)
    return Free(
        spreads(sig, plan, peak_speed)[1],
        v_hi=v_hi,
        v_scale=0.05 * slowest,
        warmup_s=warmup_s,
        warmup_m=warmup_m,
    )


def _planned_warmup(plan: ResolvedPlan) -> tuple[float | None, float | None]:
    """The plan's warm-up before the first effort: (seconds, None) where every step of it
    is timed, (None, metres) where every step is a distance, else (None, None)."""
    before, _, _ = plan_parts(plan)
    steps = [plan.steps[i] for i in before]
    if not steps:
        return None, None
    if all(s.duration_s for s in steps):
        return float(sum(s.duration_s for s in steps)), None  # type: ignore[misc]
    if all(s.distance_m for s in steps):
        return None, float(sum(s.distance_m for s in steps))  # type: ignore[misc]
    return None, None


def spreads(sig: Signal, plan: ResolvedPlan, peak_speed) -> tuple[float, float]:
    """Spread of speed (m/s) inside efforts, and inside everything else. One value for all
    efforts of a session: if each rep had its own, the likelihood would prefer to put a
    fast rep under a slow rep's label just because that label's spread is smaller."""
    _, parts, _ = plan_parts(plan)
    speeds = [_effort_speed(plan.steps[p.effort], sig, peak_speed) for p in parts] or [3.0]
    typical = float(median(speeds))
    # the file's own noise sets a floor under both, wider for the loose segments, so that a
    # noisy recording does not make every rep cheaper to explain as loose running
    return max(EFFORT_SPREAD * typical, sig.sigma), max(LOOSE_SPREAD * typical, 1.5 * sig.sigma)


def build_chain(
    sig: Signal, plan: ResolvedPlan, peak_speed, open_rest_s: float | None = None
) -> list[State]:
    """States for every effort and recovery, with skip and extra alternatives, in an order
    where every state comes after its predecessors. ``open_rest_s``: how long this runner's
    unprescribed rests take (from a first alignment), so one much longer rest reads as a
    skipped rep rather than as the session ending early."""
    _, parts, _ = plan_parts(plan)
    steps = plan.steps
    speeds = [_effort_speed(steps[p.effort], sig, peak_speed) for p in parts]
    tight, loose = spreads(sig, plan, peak_speed)
    easy = _easy_speed(plan)
    n = len(parts)
    states: list[State] = []
    effort_ids: list[int] = []
    tail_ids: list[list[int]] = []  # per part: the states the next effort may follow
    chain_ends: list[int] = []  # per part: the end of its rep and prescribed recoveries
    warmup_ends = (
        _strides(
            sig,
            states,
            speeds[0],
            tight,
            loose,
            _expected_s(steps[parts[0].effort], speeds[0]),
            _last_gap_s(steps, parts[0], speeds[0], open_rest_s),
        )
        if parts
        else []
    )
    for k, part in enumerate(parts):
        preds = (
            [(PRE, 0.0), *((i, 0.0) for i in warmup_ends)]
            if k == 0
            else [(i, 0.0) for i in tail_ids[k - 1]]
        )
        if k >= 1:
            # the first k reps not run: dearer than the same number left out at the end,
            # because sessions are cut short far more often than started late
            preds.append((PRE, SKIP_PENALTY * k + LATE_START_PENALTY))
        if k >= 2:
            # rep k-1 missed: one long recovery over it, or a rest in its place between its
            # recoveries
            states.append(_skip_state(sig, plan, parts, k - 1, speeds[k - 1], loose, open_rest_s))
            states[-1].preds = [(effort_ids[k - 2], SKIP_PENALTY)]
            preds.append((len(states) - 1, 0.0))
            if _prescribed_around(steps, parts, k - 1):
                gap, last = _skipped(sig, states, steps, parts, k - 1, speeds, loose, open_rest_s)
                states[gap].preds = [(chain_ends[k - 2], SKIP_PENALTY + SKIP_GAP_PENALTY)]
                preds.append((last, 0.0))
        effort = _effort_state(sig, steps[part.effort], part.effort, speeds[k], tight)
        # an effort must stand out from the easy running the plan prescribes around the set,
        # or a cool-down at nearly rep pace could be taken for a rep
        effort.v_lo = max(effort.v_lo, min(OVER_EASY * easy, 0.98 * speeds[k]))
        effort.preds = preds
        states.append(effort)
        effort_ids.append(len(states) - 1)
        recovery_speed = min(speeds[k], speeds[k + 1] if k + 1 < n else speeds[k])
        prev, tails = len(states) - 1, []
        # an extra effort among identical reps could sit anywhere: say it came last, as
        # "one more" almost always does, by making it a little dearer the earlier it is
        extra_penalty = EXTRA_PENALTY + EXTRA_EARLY_PENALTY * (n - 1 - k)
        one_more = -1
        for j, r in enumerate(part.recoveries):
            rec = _recovery_state(sig, steps[r], r, recovery_speed, loose, open_rest_s)
            if k == n - 1:
                _open_end(rec)
            rec.preds = [(prev, 0.0)] + ([(one_more, 0.0)] if j == 1 else [])
            states.append(rec)
            prev = len(states) - 1
            if j == 0 and len(part.recoveries) >= 2:
                # one more after a set's last rep and its jog, before the rest between sets
                # (2 x (4 x 300 m, 200 m jog; 3 min rest) run with five in the second set):
                # with the extra only after the whole rest, the set's fourth rep was taken
                # for the extra and the fifth for rep 8
                mid = _effort_state(sig, steps[part.effort], None, speeds[k], tight, "extra")
                mid.v_lo, mid.preds = effort.v_lo, [(prev, extra_penalty)]
                states.append(mid)
                after_mid = _recovery_state(sig, steps[r], None, recovery_speed, loose)
                after_mid.preds = [(len(states) - 1, 0.0)]
                if k == n - 1:  # the session may end there, the rest between sets not run
                    _open_end(after_mid)
                    after_mid.end_penalty = 0.0
                    mid.end_penalty = 0.0  # or at its line, the watch stopped
                states.append(after_mid)
                one_more = len(states) - 1
        chain_ends.append(prev)  # the rep, or the last of its prescribed recoveries
        if part.recoveries:
            tails.append(prev)
        if not part.recoveries or all(steps[r].optional for r in part.recoveries):
            tails.append(effort_ids[-1])
        one_more_rest = (
            k == n - 1
            and k >= 1
            and not part.recoveries
            and bool(parts[k - 1].recoveries)
            and not _unprescribed_rests(steps, parts)
        )
        if one_more_rest:
            # one more after the last rep of a set the plan gives no recoveries after (the
            # rests of "6 x 150 m" after 800 m reps with jogs are the runner's own): its rest
            # first, like the others. (Not where every rest is the runner's: with strides as
            # fast as the reps, one more there let the strides be reps 1-4)
            before = _recovery_state(
                sig, steps[parts[k - 1].recoveries[0]], None, recovery_speed, loose, open_rest_s
            )
            before.preds = [(effort_ids[-1], 0.0)]
            states.append(before)
            tails.append(len(states) - 1)
        # an unplanned extra effort, and the recovery after it
        extra = _effort_state(sig, steps[part.effort], None, speeds[k], tight, kind="extra")
        extra.v_lo = effort.v_lo
        extra.preds = [(i, extra_penalty) for i in tails]
        if one_more_rest:
            tails.pop()  # that rest leads only to the extra effort
        states.append(extra)
        extra_id = len(states) - 1
        rec_like = steps[part.recoveries[0]] if part.recoveries else None
        after_extra = _recovery_state(sig, rec_like, None, recovery_speed, loose)
        after_extra.preds = [(extra_id, 0.0)]
        if k == n - 1:
            _open_end(after_extra)
        states.append(after_extra)
        tails.append(len(states) - 1)
        if k == n - 1 and n >= 2 and _unprescribed_rests(steps, parts) and not part.recoveries:
            # a plan that leaves the rests to the runner still has them stand or walk after
            # the last rep before the cool-down; without a state for it, a walk, a jog and a
            # walk back after the set read as the last rep "extra", a rest, and that rep
            # missed (no extra effort follows it: the extra has its own rest)
            rest = _recovery_state(sig, None, None, recovery_speed, loose)
            rest.preds = [(effort_ids[-1], 0.0)]
            _open_end(rest)
            # stood or walked: a rest that may jog could hold the set's last reps as well,
            # with strides before the set taken for its first ones
            rest.v_hi = min(rest.v_hi, COOLDOWN_WALK)
            states.append(rest)
            tails.append(len(states) - 1)
        tail_ids.append(tails)
    if not parts:
        return states
    # the session may end with the last rep's recovery, an extra effort's, or the last rep
    # itself: watches are often stopped at the line
    for i in [*tail_ids[-1], extra_id, effort_ids[-1]]:
        states[i].end_penalty = 0.0
    if n >= 2:
        # the last rep not run: its long recovery, or the cool-down straight after rep n-1
        # (no rest in its place: with no rep after it, such a rest would hold the cool-down)
        states.append(_skip_state(sig, plan, parts, n - 1, speeds[n - 1], loose, open_rest_s))
        states[-1].preds = [(effort_ids[n - 2], SKIP_PENALTY)]
        states[-1].end_penalty = 0.0
    # the session stopped early: the cool-down may follow any rep, the rest missed
    for k in range(n - 1):
        for i in [*tail_ids[k], effort_ids[k]]:
            if states[i].end_penalty is None:
                states[i].end_penalty = SKIP_PENALTY * (n - 1 - k)
    return states


def _unprescribed_rests(steps: tuple[ResolvedStep, ...], parts: list[Part]) -> bool:
    """Whether the rests between the reps are the runner's own (a plan such as ``5x20s``)."""
    between = [r for p in parts[:-1] for r in p.recoveries]
    return bool(between) and all(steps[r].implicit for r in between)


def _open_end(st: State) -> None:
    """The rest after the last rep may be stood or walked through for as long as the runner
    likes (the session is over; walking back or stretching before a cool-down is common);
    running on beyond it is the cool-down. Held to its prescription, a long stand there is
    cheaper to explain as the last rep missed."""
    st.open_ended = True
    if st.length_mode == "time":
        st.window = replace(st.window, max_s=max(st.window.max_s, OPEN_RECOVERY_S[1]))
    elif st.length_mode == "distance":
        # a stand adds time, not distance: only the time cap on the window is lifted
        st.window = replace(st.window, max_s=OPEN_RECOVERY_S[1])


def _easy_speed(plan: ResolvedPlan) -> float:
    """The fastest prescribed warm-up or cool-down speed (m/s), 0 if none has a pace."""
    before, _, after = plan_parts(plan)
    paces = [plan.steps[i].pace_s_per_km for i in (*before, *after) if plan.steps[i].pace_s_per_km]
    return 1000.0 / min(paces) if paces else 0.0  # type: ignore[operator, type-var]


def _last_gap_s(
    steps: tuple[ResolvedStep, ...], first: Part, speed: float, open_rest_s: float | None
) -> float:
    """How long the easy running after the last stride must be before rep 1 (s), if that
    stride is long enough to be rep 1: longer than the set's own recovery, or the stride would
    be the same thing as rep 1 with one more effort left at the end, and which of the two the
    programme chose would hang on a penalty."""
    if not first.recoveries:
        return STRIDE_GAP_S[0]
    rest = sum(_expected_s(steps[r], speed, open_rest_s) for r in first.recoveries)
    return float(max(STRIDE_LAST_GAP * rest, STRIDE_GAP_S[0]))


def _strides(
    sig: Signal,
    states: list[State],
    speed: float,
    tight: float,
    loose: float,
    rep_s: float,
    last_gap_s: float,
) -> list[int]:
    """Strides in an unplanned warm-up: short fast efforts before the first rep, each followed
    by easy running. Without them the warm-up would have to hold the strides' speed, and
    labelling them as the first reps would be cheaper. A last stride too short to be rep 1
    (``rep_s`` long) may come straight before it; one that could be rep 1 is followed by more
    easy running than a recovery of the set (``last_gap_s``). Returns the states rep 1 may
    follow."""
    ends = []
    prev = PRE
    # half a rep at most: a rep is never that short, and hiding the rest of an effort in the
    # running before it costs more than the one more effort at the end
    short_s = min(STRIDE_SHORT * rep_s, SHORT_STRIDE_S)
    for _ in range(MAX_STRIDES):
        stride = State(
            name="stride",
            kind="stride",
            step=None,
            rep=None,
            window=time_window(*STRIDE_S),
            v_lo=0.85 * speed,
            v_scale=0.06 * speed,
            sigma=tight,
            pause_cost=20.0,
            preds=[(prev, STRIDE_PENALTY)],
        )
        if prev == PRE:
            # strides come after a warm-up jog: a file that starts with fast running starts
            # with the first rep
            stride.window = replace(stride.window, first=int(np.ceil(STRIDE_AFTER_S / sig.dt)))
        states.append(stride)
        stride_id = len(states) - 1
        easy = State(
            name="warm-up between strides",
            kind="warmup",
            step=None,
            rep=None,
            window=time_window(*STRIDE_GAP_S),
            v_hi=0.8 * speed,
            v_scale=0.05 * speed,
            sigma=loose,
            preds=[(stride_id, 0.0)],
        )
        states.append(easy)
        easy_id = len(states) - 1
        states.append(
            replace(
                easy,
                name="warm-up after the strides",
                window=time_window(last_gap_s, max(STRIDE_GAP_S[1], last_gap_s + 60.0)),
                preds=[(stride_id, 0.0)],
            )
        )
        ends.append(len(states) - 1)
        if short_s > STRIDE_S[0]:
            states.append(
                replace(
                    stride,
                    name="stride shorter than a rep",
                    window=replace(stride.window, max_s=short_s),
                )
            )
            states.append(replace(easy, preds=[(len(states) - 1, 0.0)]))
            ends.append(len(states) - 1)
        prev = easy_id  # the next stride follows the easy running between
    return ends


# a skipped rep's rest lasts this share of its two recoveries and the rep at its pace: a rep
# walked through takes two to three times its running time, and with the rest capped at 1.8x
# the reps either side took 40-55 s of the walks (a stress-set 4 x 1600 m on a track)
SKIP_WINDOW = (0.5, 2.5)


def _skip_state(
    sig: Signal,
    plan: ResolvedPlan,
    parts: list[Part],
    k: int,
    speed: float,
    sigma: float,
    open_rest_s: float | None,
) -> State:
    """A missed rep k: one long recovery from the end of rep k-1 to the start of rep k+1."""
    steps = plan.steps
    covered = [*parts[k - 1].recoveries, parts[k].effort, *parts[k].recoveries]
    expected = sum(_expected_s(steps[i], speed, open_rest_s) for i in covered)
    st = State(
        name=f"skip rep {steps[parts[k].effort].rep}",
        kind="recovery",
        step=parts[k - 1].recoveries[0] if parts[k - 1].recoveries else None,
        rep=None,
        window=time_window(SKIP_WINDOW[0] * expected, SKIP_WINDOW[1] * expected),
        v_hi=0.9 * speed,
        v_scale=0.05 * speed,
        sigma=sigma,
        length_mode="time",
        length=expected,
        length_sigma=max(0.15 * expected, 20.0),
        skips=(steps[parts[k].effort].rep,),  # type: ignore[arg-type]
    )
    _no_slow_rep(st, steps[parts[k].effort], speed)
    return st


# a missed rep's place holds no run of half the rep's time at this share of its speed or more:
# that was the rep, run slowly (13-20% off its target, it read as "missed", its place a long
# rest with the effort inside it)
SUSTAIN_SHARE = 0.5
SUSTAIN_SPEED = 0.8


def _no_slow_rep(st: State, effort: ResolvedStep, speed: float) -> None:
    """Hold ``st`` (a missed rep's place) to no stretch of half ``effort``'s time at
    ``SUSTAIN_SPEED`` of its ``speed`` (m/s) or faster."""
    st.sustain_s = SUSTAIN_SHARE * _expected_s(effort, speed)
    st.sustain_v = SUSTAIN_SPEED * speed


# a missed rep's place: the rep jogged through (its distance at jogging pace, 1.5-2x its running
# time) or a stand of a minute or three; loose, so that the recoveries either side, which keep
# their own prescriptions, say which rep of a set was missed
SKIP_GAP_SHARE = 1.5  # x the rep's running time: the expected length of its place
SKIP_GAP_SPREAD = 0.6  # of that, and at least SKIP_GAP_SPREAD_S
SKIP_GAP_SPREAD_S = 30.0
SKIP_GAP_S = (5.0, 240.0)  # s: the window, at least up to 3x the expected length
SKIP_GAP_LEAST = 0.5  # x the rep's running time: a shorter break is no rep's place
# x the rep's speed: the place's moving part is no faster. A stand or a walk in a rep's place;
# a jog through it is the long recovery's. Up to 0.7, a 900 m rep run 17% slow between two jogs
# read as a rest in its place (the rep's level penalty grows with its length)
SKIP_GAP_SPEED = 0.6
# beyond a missed rep's: the rest in its place is one segment more than the long recovery, and
# one more segment always fits a little better (a 10 min rest jogged, then stood, read as the
# rest, a missed rep's place and the next rep's rest; a real 2 x (300 m, 3 x 400 m) by 44)
SKIP_GAP_PENALTY = 50.0


def _prescribed_around(steps: tuple[ResolvedStep, ...], parts: list[Part], k: int) -> bool:
    """Whether the recoveries either side of rep k are the plan's, with a length: only then
    do they say where a rest in its place lies (the runner's own rests could be anything,
    and a rest between them would be one more of them)."""
    around = [*parts[k - 1].recoveries, *parts[k].recoveries]
    return bool(around) and all(
        not steps[r].implicit and (steps[r].distance_m or steps[r].duration_s) for r in around
    )


def _skipped(
    sig: Signal,
    states: list[State],
    steps: tuple[ResolvedStep, ...],
    parts: list[Part],
    k: int,
    speeds: list[float],
    sigma: float,
    open_rest_s: float | None,
) -> tuple[int, int]:
    """A missed rep k: the rest the runner took in its place, then the recoveries the plan
    gives after it, each held to its own prescription (a 100 m jog and a 400 m walk stay a jog
    and a walk). Appended to ``states``; returns the ids of the rest and of the last state.

    One long recovery from rep k-1 to rep k+1 instead could not tell a jog, a stand and a walk
    apart, and put the missed rep of 3 x (3 x 400 m, 100 m jog; 400 m walk) at the start of
    the set when it was the last."""
    speed = speeds[k]
    running = _expected_s(steps[parts[k].effort], speed, open_rest_s)
    expected = SKIP_GAP_SHARE * running
    gap = State(
        name=f"skip rep {steps[parts[k].effort].rep}",
        kind="recovery",
        step=None,
        rep=None,
        window=time_window(
            max(SKIP_GAP_S[0], SKIP_GAP_LEAST * running), max(3.0 * expected, SKIP_GAP_S[1])
        ),
        v_hi=SKIP_GAP_SPEED * speed,
        v_scale=0.05 * speed,
        sigma=sigma,
        length_mode="time",
        length=expected,
        length_sigma=max(SKIP_GAP_SPREAD * expected, SKIP_GAP_SPREAD_S),
        skips=(steps[parts[k].effort].rep,),  # type: ignore[arg-type]
    )
    states.append(gap)
    gap_id = last = len(states) - 1
    recovery_speed = min(speed, speeds[k + 1] if k + 1 < len(speeds) else speed)
    for r in parts[k].recoveries:
        rec = _recovery_state(sig, steps[r], r, recovery_speed, sigma, open_rest_s)
        rec.preds = [(last, 0.0)]
        states.append(rec)
        last = len(states) - 1
    return gap_id, last


def _effort_speed(step: ResolvedStep, sig: Signal, peak_speed) -> float:
    if step.pace_s_per_km:
        return 1000.0 / step.pace_s_per_km
    return peak_speed(step)


def _expected_s(step: ResolvedStep, speed: float, open_rest_s: float | None = None) -> float:
    if step.implicit and open_rest_s:
        return open_rest_s
    if step.expected_s:
        return float(step.expected_s)
    if step.distance_m:
        return step.distance_m / max(speed * (0.6 if step.kind is StepKind.RECOVERY else 1.0), 0.5)
    return 60.0


def _effort_state(
    sig: Signal,
    step: ResolvedStep,
    index: int | None,
    speed: float,
    sigma: float,
    kind: str = "rep",
) -> State:
    st = State(
        name=f"rep {step.rep}" if kind == "rep" else "extra effort",
        kind=kind,
        step=index,
        rep=step.rep if kind == "rep" else None,
        window=time_window(5.0, 1800.0),
        # a rep may be run well off its target and still be that rep; what it may not be is
        # jogging (a rep's level penalty grows from 8% below target, or 15% below the
        # runner's best effort when the plan gives no pace: from 12%, the first of
        # 10 x (3 min hard, 90 s jog) run 10% slower read as two strides)
        v_lo=(0.92 if step.pace_s_per_km else 0.85) * speed,
        v_hi=1.6 * speed,
        v_scale=0.06 * speed,
        sigma=sigma,
        pause_cost=20.0,
    )
    if step.distance_m:
        st.length_mode, st.length = "distance", float(step.distance_m)
        # GPS error on the distance, and the second or two a boundary on this grid may be
        # off by (at rep speed): on a 200 m rep the second is as large as the first
        st.length_sigma = float(
            np.hypot(
                max(REP_DISTANCE_ERROR * st.length, SHORT_REP_DISTANCE_ERROR_M),
                BOUNDARY_SLACK_S * speed,
            )
        )
        st.window = distance_window(st.length, 1 - EFFORT_WINDOW, 1 + EFFORT_WINDOW, speed)
    elif step.duration_s:
        st.length_mode, st.length = "time", float(step.duration_s)
        st.length_sigma = float(np.hypot(0.02 * st.length, BOUNDARY_SLACK_S))
        st.window = time_window(st.length * (1 - EFFORT_WINDOW), st.length * (1 + EFFORT_WINDOW))
    return st


def _recovery_state(
    sig: Signal,
    step: ResolvedStep | None,
    index: int | None,
    rep_speed: float,
    sigma: float,
    open_rest_s: float | None = None,
) -> State:
    st = State(
        name="recovery",
        kind="recovery",
        step=index,
        rep=None,
        window=time_window(*OPEN_RECOVERY_S),
        v_hi=0.9 * rep_speed,
        v_scale=0.05 * rep_speed,
        sigma=sigma,
    )
    lo_f, hi_f = RECOVERY_WINDOW
    if step is not None and step.distance_m and not step.implicit:
        st.length_mode, st.length = "distance", float(step.distance_m)
        st.length_sigma = max(RECOVERY_DISTANCE_SPREAD * st.length, 15.0)
        st.window = distance_window(st.length, lo_f, hi_f, rep_speed * 0.6)
    elif step is not None and step.duration_s and not step.implicit:
        st.length_mode, st.length = "time", float(step.duration_s)
        relative = 0.25 if step.equal_to_rep else RECOVERY_TIME_SPREAD
        st.length_sigma = max(relative * st.length, 5.0)
        st.window = time_window(st.length * lo_f, st.length * hi_f)
    else:
        if step is not None and step.implicit and open_rest_s:
            # unprescribed, but this runner's rests are alike: a loose prior on their length
            st.length_mode, st.length = "time", open_rest_s
            st.length_sigma = max(0.5 * open_rest_s, 10.0)
    return st
