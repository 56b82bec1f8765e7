"""Which of a file's speed channels times the boundaries, and why.

A watch records the runner's progress up to three ways: its speed field, its distance (the
distance record, integrated inside the watch once a second even when records are written every
3-8 s), and GPS positions. They do not agree on real watches: a Forerunner 735XT's speed field
trails its distance by about 12 s; a Forerunner 235's stays high for half a minute after the
runner stops and reads zero well into the next rep while the distance climbs at 6 m/s. The
distance is the channel that is right on every real file measured, so it times the boundaries
whenever the watch recorded one; the speed field is only the fallback (files with speed and no
distance, or a distance far rougher than a speed field that agrees with it: the reps are then
found on the speed field and their onsets still read on the distance). How far the speed field disagrees with the distance is measured anyway and said,
because it is what makes a watch's own pace display and its own lap splits misleading.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workoutcheck.model import Activity, geo
from workoutcheck.model.stats import delay_s, median

MAX_LAG_S = 25
LAG_NOTE_S = 2.0  # a speed field trailing the distance by more than this is worth saying
FREEZE_GAP = 1.5  # m/s: the speed field this far from the distance's rate counts as wrong
FREEZE_NOTE_S = 20.0
MAX_TRUSTED_LAG_S = 6.0  # a speed field trailing by more is never the timing channel
POSITIONS_LAG_S = 4.0  # the watch's channel trailing its GPS fixes by this much is taken off
POSITIONS_MAX_LAG_S = 20
ROUGHER = 3.0
STALE_RUNNING = 2.0  # m/s around a record whose distance did not move: it was stale
STALE_MAX_GAP_S = 5.0


@dataclass(frozen=True)
class Channel:
    """What times the boundaries: the runner's progress (m, cumulative) at every record,
    read from the distance or integrated from the speed field with its lag taken off."""

    name: str  # "distance" | "speed" | "none"
    progress: np.ndarray  # m at each record time
    note: str | None  # why this channel, when it was not the obvious one
    lag_s: float = 0.0  # how much the speed field trailed the distance (taken off)
    field_lag_s: float | None = None  # the speed field's lag behind the distance, when measured
    behind_s: float = 0.0  # how much the watch's own channel trailed its GPS fixes (taken off)


def choose(activity: Activity) -> Channel:
    t = activity.t
    dist = activity.distance
    if dist is not None and activity.distance_source == "device" and len(t) >= 10:
        return _behind_positions(activity, _device_choice(activity, without_stale(t, dist)))
    if dist is not None and len(t) >= 2:
        return Channel("distance", dist, None)
    if activity.speed is not None and len(t) >= 2:
        return Channel("speed", _integrate(t, np.nan_to_num(activity.speed)), None)
    return Channel("none", np.zeros(len(t)), None)


def without_stale(t: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The distance with its stale records replaced by interpolation: some watches write a
    record before the distance has updated (the same value as the record before, then a jump
    to catch up), which reads as a stop and a sprint inside a steady rep. A record whose
    distance did not move while the records either side show running is not a measurement."""
    if len(d) < 3:
        return d
    step = np.diff(d)
    dt = np.diff(t)
    rate = step / np.maximum(dt, 1e-9)
    # record i did not move since i-1, yet the runner was running before i-1 or after i
    before = np.r_[0.0, rate[:-2]]  # rate of the step into i-1, for i = 1..n-2
    after = rate[1:]  # rate of the step out of i
    stale = np.zeros(len(d), dtype=bool)
    stale[1:-1] = (
        (step[:-1] == 0)
        & (np.maximum(before, after) > STALE_RUNNING)
        & (dt[:-1] <= STALE_MAX_GAP_S)
    )
    if not stale.any():
        return d
    keep = ~stale
    return np.interp(t, t[keep], d[keep])


def _device_choice(activity: Activity, dist: np.ndarray) -> Channel:
    """The distance, unless it is much rougher than a speed field that agrees with it (an
    app writing whole metres at irregular moments): then the speed field, less its lag."""
    t = activity.t
    if activity.speed is None or activity.speed_source != "device":
        return Channel("distance", dist, None)
    grid = np.arange(t[0], t[-1], 1.0)
    if len(grid) < 4 * MAX_LAG_S:
        return Channel("distance", dist, None)
    ref = np.gradient(np.interp(grid, t, dist))
    field = np.interp(grid, t, np.nan_to_num(activity.speed))
    lag = _lag(ref, field)
    shifted = np.interp(grid + lag, grid, field)
    wrong = np.abs(_smooth(ref, 5) - shifted) > FREEZE_GAP
    wrong_s = float(_long_runs(wrong, 8).sum())
    rough_d, rough_v = _roughness(ref), _roughness(shifted)
    if wrong_s < FREEZE_NOTE_S and lag <= MAX_TRUSTED_LAG_S and rough_d > ROUGHER * rough_v:
        note = (
            (
                f"reps found on the watch's speed field (less its {lag:.0f} s lag): its distance "
                f"is {rough_d / max(rough_v, 1e-9):.0f}x rougher; boundaries placed on the distance"
            )
            if lag >= 1
            else None
        )
        moved = np.interp(t + lag, t, np.nan_to_num(activity.speed))
        return Channel("speed", _integrate(t, moved), note, lag, lag)
    parts = []
    if lag >= LAG_NOTE_S:
        parts.append(f"trails its distance by {lag:.0f} s")
    if wrong_s >= FREEZE_NOTE_S:
        parts.append(
            f"disagrees with its distance by over {FREEZE_GAP} m/s for {wrong_s:.0f} s"
            " (frozen or dropping out)"
        )
    note = (
        "boundaries timed on the watch's distance: its speed field " + " and ".join(parts)
        if parts
        else None
    )
    return Channel("distance", dist, note, field_lag_s=lag)


def _behind_positions(activity: Activity, chosen: Channel) -> Channel:
    """The chosen channel moved back onto the GPS fixes where it trails them by
    ``POSITIONS_LAG_S`` or more: a watch that filters its distance with its speed puts every
    boundary that late, and only the fixes, stamped when they were taken, show it (the lag that
    best lines up the two speeds, up to ``POSITIONS_MAX_LAG_S``). The distance itself is left as
    recorded: a rep's distance is read that much later at its boundaries (``behind_s``), which
    keeps the metres a filter smeared across them. None of the real files in the corpus trails
    its fixes by more than 3 s (one with a footpod); most by none."""
    t = activity.t
    if chosen.name == "none" or activity.lat is None or activity.lon is None:
        return chosen
    ok = np.isfinite(activity.lat) & np.isfinite(activity.lon)
    if ok.mean() < 0.9 or t[-1] - t[0] < 4 * MAX_LAG_S:
        return chosen
    # the fixes' own steps, unsmoothed: the correlation smooths both speeds over 5 s
    fixes = np.concatenate(
        [[0.0], np.cumsum(geo.haversine_steps(activity.lat[ok], activity.lon[ok]))]
    )
    grid = np.arange(t[0], t[-1], 1.0)
    lag = delay_s(
        np.gradient(np.interp(grid, t[ok], fixes)),
        np.gradient(np.interp(grid, t, chosen.progress)),
        POSITIONS_MAX_LAG_S,
    )
    if lag < POSITIONS_LAG_S:
        return chosen
    what = "distance" if chosen.name == "distance" else "speed field"
    note = f"boundaries timed {lag:.0f} s earlier: the watch's {what} trails its GPS positions by as much"
    return Channel(
        chosen.name,
        np.interp(t + lag, t, chosen.progress),
        f"{chosen.note}; {note}" if chosen.note else note,
        chosen.lag_s,
        None if chosen.field_lag_s is None else chosen.field_lag_s + lag,
        lag,
    )


AGREE_WINDOW_S = 60  # s: the two readings of progress are compared over this much running
AGREE_STEP_S = 30
AGREE_MIN_SPEED = 2.0  # m/s over the window: running, where both readings move
AGREE_MIN_WINDOWS = 5


def distance_disagreement_pct(activity: Activity) -> float | None:
    """How far the watch's own distance and its speed field (less its lag) disagree over a
    minute's running: the robust spread (%) of the two's metres over overlapping windows, less
    their median offset (a calibration apart is no noise); None without both, or with too
    little running. Stretches where the speed field is frozen or drops out are left out.

    A watch that measures its distance from its GPS fixes carries the fixes' error in every
    rep's distance and bends its distance at a change of pace only as sharply as they allow;
    its Doppler speed field does not. On the stress sets the watches whose distance is their
    fixes' path read 1.4-4.5% for nine in ten (median 2.8%), those with a calibrated 1 Hz
    distance 0.5-1.0%; the corpus's real interval FIT files read 1.7-6.5% (footpods and
    power meters, whose speed and distance are one sensor's, under 0.1%)."""
    t, dist = activity.t, activity.distance
    if (
        dist is None
        or activity.speed is None
        or activity.distance_source != "device"
        or activity.speed_source != "device"
        or len(t) < 10
    ):
        return None
    grid = np.arange(t[0], t[-1], 1.0)
    if len(grid) < max(4 * MAX_LAG_S, AGREE_MIN_WINDOWS * AGREE_WINDOW_S):
        return None
    d = np.interp(grid, t, without_stale(t, dist))
    field = np.interp(grid, t, np.nan_to_num(activity.speed))
    lag = _lag(np.gradient(d), field)
    shifted = np.interp(grid + lag, grid, field)
    wrong = _long_runs(np.abs(_smooth(np.gradient(d), 5) - shifted) > FREEZE_GAP, 8)
    travelled = _integrate(grid, shifted)
    bad = np.concatenate([[0], np.cumsum(wrong)])
    a = np.arange(0, len(grid) - AGREE_WINDOW_S, AGREE_STEP_S)
    b = a + AGREE_WINDOW_S
    by_distance, by_speed = d[b] - d[a], travelled[b] - travelled[a]
    ok = (by_distance > AGREE_MIN_SPEED * AGREE_WINDOW_S) & (bad[b] == bad[a])
    if ok.sum() < AGREE_MIN_WINDOWS:
        return None
    rel = (by_distance[ok] - by_speed[ok]) / by_distance[ok]
    rel = rel - median(rel)
    return float(1.4826 * median(np.abs(rel)) * 100.0)


def witnesses(activity: Activity, timing: Channel) -> list[np.ndarray]:
    """The two other readings of the runner's progress where the boundaries are timed on the
    watch's own distance: the distance from GPS positions and the speed field integrated with
    its lag taken off. Empty unless the file has both (and a lag at most ``MAX_TRUSTED_LAG_S``:
    a speed field trailing by more changes its pace seconds away from the runner)."""
    if (
        timing.name != "distance"
        or activity.distance_source != "device"
        or timing.field_lag_s is None
        or timing.field_lag_s > MAX_TRUSTED_LAG_S
        or activity.speed is None
        or not activity.has_positions
    ):
        return []
    ok = np.isfinite(activity.lat) & np.isfinite(activity.lon)  # type: ignore[arg-type]
    if ok.mean() < 0.9:
        return []
    t = activity.t
    positions = geo.derive_distance(t, activity.lat, activity.lon)  # type: ignore[arg-type]
    moved = np.interp(t + timing.field_lag_s, t, np.nan_to_num(activity.speed))
    return [positions, _integrate(t, moved)]


def _integrate(t: np.ndarray, v: np.ndarray) -> np.ndarray:
    steps = 0.5 * (v[1:] + v[:-1]) * np.diff(t)
    return np.concatenate([[0.0], np.cumsum(np.clip(steps, 0.0, None))])


def _smooth(v: np.ndarray, width: int) -> np.ndarray:
    return np.convolve(v, np.ones(width) / width, mode="same")


def _roughness(v: np.ndarray) -> float:
    """Typical second-to-second jitter (m/s): mean absolute first difference."""
    return float(np.mean(np.abs(np.diff(v)))) + 1e-3


def _lag(ref: np.ndarray, field: np.ndarray) -> float:
    """Seconds (0..MAX_LAG_S) by which ``field`` best matches ``ref`` delayed."""
    return delay_s(ref, field, MAX_LAG_S)


def _long_runs(mask: np.ndarray, min_len: int) -> np.ndarray:
    """``mask`` with its runs of True shorter than ``min_len`` cleared."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    out = np.zeros_like(mask)
    for a, b in zip(starts, ends, strict=True):
        if b - a >= min_len:
            out[a:b] = True
    return out
