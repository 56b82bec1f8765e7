"""Plausibility rules for running samples: what no runner, heart or GPS fix can produce.

``timeline.build_activity`` applies them (it is the one place for repairs) before anything is
derived, so nothing implausible is scored silently; each rule that cleans something adds a
note saying what and how many:

- speed over ``MAX_SPEED`` (12 m/s: the 100 m world record averages 10.4 m/s) or negative:
  NaN, then interpolated from the neighbours by the timeline;
- heart rate outside ``HR_RANGE`` (25-250 bpm), cadence over 400 steps/min: NaN;
- an impossible position (not finite, |lat| > 90, |lon| > 180, half of the pair missing, or
  exactly 0,0 - what receivers write without a fix): no position. Negative coordinates are
  south and west, and are kept;
- a lone fix implying over 12 m/s both from and to its neighbours, while they are consistent
  with each other: a GPS spike, no position; so is a lone fix reached and left at over twice
  the speed of the fixes around it (and 2.5 m/s more) while its neighbours agree with that
  speed, a spike too slow for the first rule at sparse records. Where the track still jumps
  that fast the times
  are returned, so the smoother never averages across the jump and the timeline can refuse
  to count it as distance.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.model import geo as positions
from workoutcheck.model.stats import median

MAX_SPEED = 12.0  # m/s
HR_RANGE = (25.0, 250.0)  # bpm
MAX_CADENCE = 400.0  # steps/min (sprinters reach ~300)


def clean_values(columns: dict[str, np.ndarray | None], notes: list[str]) -> None:
    """Implausible speeds, heart rates and positions become NaN (in place), with notes."""
    speed, hr, lat, lon = (columns[k] for k in ("speed", "heart_rate", "lat", "lon"))
    if speed is not None:
        bad = (speed > MAX_SPEED) | (speed < 0)
        if bad.any():
            columns["speed"] = np.where(bad, np.nan, speed)
            notes.append(
                f"cleaned: {int(bad.sum())} speed value(s) over {MAX_SPEED:.0f} m/s (or negative) "
                "removed and interpolated"
            )
    if hr is not None:
        bad = (hr < HR_RANGE[0]) | (hr > HR_RANGE[1])
        if bad.any():
            hr = np.where(bad, np.nan, hr)
            columns["heart_rate"] = hr if np.isfinite(hr).any() else None
            notes.append(
                f"cleaned: {int(bad.sum())} heart rate value(s) outside 25-250 bpm removed"
            )
    cadence = columns["cadence"]
    if cadence is not None:
        bad = (cadence > MAX_CADENCE) | (cadence < 0)
        if bad.any():
            columns["cadence"] = np.where(bad, np.nan, cadence)
            notes.append(
                f"cleaned: {int(bad.sum())} cadence value(s) outside 0-{MAX_CADENCE:.0f} steps/min removed"
            )
    if lat is None or lon is None:
        columns["lat"] = columns["lon"] = None
        return
    with np.errstate(invalid="ignore"):
        usable = (np.abs(lat) <= 90) & (np.abs(lon) <= 180) & ((lat != 0) | (lon != 0))
    bad = usable != (np.isfinite(lat) | np.isfinite(lon))  # had (half) a position, now has none
    if bad.any():
        notes.append(
            f"cleaned: {int(bad.sum())} record(s) with an impossible position (out of range, "
            "half missing or 0,0) kept without position"
        )
    columns["lat"], columns["lon"] = np.where(usable, lat, np.nan), np.where(usable, lon, np.nan)


def position_glitches(
    columns: dict[str, np.ndarray | None], t: np.ndarray, notes: list[str]
) -> np.ndarray:
    """Drop lone fixes implying over ``MAX_SPEED`` both to and from their neighbours (GPS
    spikes); return the times at which the track still jumps that fast (never smoothed across)."""
    lat, lon = columns["lat"], columns["lon"]
    if lat is None or lon is None:
        return np.zeros(0)
    idx = np.flatnonzero(np.isfinite(lat))
    if len(idx) < 3:
        return np.zeros(0)

    since = np.full(len(t), np.nan)
    moved = np.r_[True, (np.diff(lat[idx]) != 0) | (np.diff(lon[idx]) != 0)]
    since[idx] = held_since(t[idx], moved[1:])

    # one haversine per consecutive pair and one per pair two apart: ~2n in all
    step = positions.haversine_steps(lat[idx], lon[idx])
    skip = np.empty(len(idx) - 2)
    skip[0::2] = positions.haversine_steps(lat[idx[0::2]], lon[idx[0::2]])
    skip[1::2] = positions.haversine_steps(lat[idx[1::2]], lon[idx[1::2]])

    def speed(metres: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return metres / np.maximum(t[b] - since[a], 1.0)

    prev, mid, nxt = idx[:-2], idx[1:-1], idx[2:]
    v_in, v_out = speed(step[:-1], prev, mid), speed(step[1:], mid, nxt)
    v_skip = speed(skip, prev, nxt)
    fast = (v_in > MAX_SPEED) & (v_out > MAX_SPEED) & (v_skip <= MAX_SPEED)
    # a fix far off the line its neighbours run on, which the runner would have had to reach
    # and leave at well over their own speed: a spike too slow for the 12 m/s rule at sparse
    # records (40 m off at 5 s records reads 8 m/s), which adds its detour to a rep's distance
    local = _local_speed(speed(step, idx[:-1], idx[1:]))
    quick = np.maximum(SPIKE_FACTOR * local, local + SPIKE_EXCESS_MPS)
    off_line = (v_in > quick[1:]) & (v_out > quick[1:]) & (v_skip <= SPIKE_FACTOR * local[1:])
    off_line &= ~fast
    spike = mid[fast | off_line]
    if len(spike):
        lat, lon = lat.copy(), lon.copy()
        lat[spike] = lon[spike] = np.nan
        columns["lat"], columns["lon"] = lat, lon
        if fast.any():
            notes.append(
                f"cleaned: {int(fast.sum())} GPS glitch(es) (a fix implying over {MAX_SPEED:.0f} m/s "
                "to and from its neighbours) kept without position"
            )
        if off_line.any():
            notes.append(
                f"cleaned: {int(off_line.sum())} GPS spike(s) (a fix off the line its neighbours "
                "run on, reached and left at over twice their speed) kept without position"
            )
        idx = np.flatnonzero(np.isfinite(lat))
        moved = np.r_[True, (np.diff(lat[idx]) != 0) | (np.diff(lon[idx]) != 0)]
        since[idx] = held_since(t[idx], moved[1:])
        step = positions.haversine_steps(lat[idx], lon[idx])
    return t[idx[1:][speed(step, idx[:-1], idx[1:]) > MAX_SPEED]]


SPIKE_FACTOR = 2.0  # a fix reached and left at over this many times the local speed...
SPIKE_EXCESS_MPS = 2.5  # ...and this much faster, its neighbours consistent: a GPS spike
SPIKE_CONTEXT = 5  # steps either side whose median speed is the local speed


def _local_speed(v: np.ndarray) -> np.ndarray:
    """Per step, the median speed of the steps around it (``SPIKE_CONTEXT`` either side): a
    spike's own two steps do not move it."""
    k = SPIKE_CONTEXT
    if len(v) < 2 * k + 1:
        return np.full(len(v), median(v) if len(v) else 0.0)
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(v, k, mode="edge"), 2 * k + 1)
    # the middle of each window's 2k+1 (np.median along an axis loads numpy.ma at start-up)
    return np.partition(windows, k, axis=1)[:, k]


def held_since(t: np.ndarray, changed: np.ndarray) -> np.ndarray:
    """Per sample, the time its value was first held: ``changed[i]`` says whether sample i+1
    differs from sample i. A GPS fix or distance repeated for a few records and then caught
    up is timed from where it was first held, so the catch-up is not taken for a jump."""
    start = np.r_[True, changed]
    return t[np.maximum.accumulate(np.where(start, np.arange(len(t)), 0))]
