"""Heart rate per segment and across the session, from the Activity and the segment times.

Coaches read a rep's effort from its heart rate as much as from its pace: how high it went,
how far it climbed inside the rep, how quickly it fell in the recovery after, and whether the
same pace cost more beats late in the session than early (cardiac drift). Rep finding is not
touched: these figures only read the samples between each segment's start and end.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from workoutcheck.model import Activity
from workoutcheck.plan import Profile
from workoutcheck.score.result import Check, HeartFigures, ScoredSegment, Status, Verdict
from workoutcheck.segment import SegmentKind

if TYPE_CHECKING:
    from workoutcheck.score.thresholds import Thresholds

DROP_WINDOW_S = 60.0  # the recovery drop is measured over its first minute
LAG_S = 60.0  # a rep's heart rate takes this long to reach the effort: left out of band time
MIN_JUDGED_S = 20.0  # band time needs this much heart rate after the lag
NEAREST_S = 5.0  # a heart rate "at" a moment needs a reading within this many seconds of it


NO_HEART = HeartFigures()


def _readings(activity: Activity) -> tuple[np.ndarray, np.ndarray] | None:
    """(times, bpm) of the samples that carry a heart rate, or None when there are none."""
    hr = activity.heart_rate
    if hr is None:
        return None
    ok = np.isfinite(hr) & (hr > 0)
    if not ok.any():
        return None
    return activity.t[ok], hr[ok]


def _at(t: np.ndarray, hr: np.ndarray, moment: float) -> float | None:
    """The heart rate at a moment, interpolated, when a reading lies within NEAREST_S of it."""
    i = int(np.searchsorted(t, moment))
    near = min(abs(t[j] - moment) for j in (i - 1, i) if 0 <= j < len(t))
    if near > NEAREST_S:
        return None
    return float(np.interp(moment, t, hr))


def _window(
    t: np.ndarray, hr: np.ndarray, start: float, end: float
) -> tuple[float | None, float | None]:
    """(time-weighted mean, max) from start to end: the readings joined by straight lines,
    with the boundaries interpolated, so a sparse recording is not weighted by its samples."""
    lo, hi = max(start, float(t[0])), min(end, float(t[-1]))
    if hi <= lo:
        return None, None
    inside = (t > lo) & (t < hi)
    ts = np.concatenate(([lo], t[inside], [hi]))
    hs = np.interp(ts, t, hr)
    read = hr[(t >= start) & (t <= end)]
    peak = float(read.max()) if len(read) else float(hs.max())
    return float(np.sum((hs[1:] + hs[:-1]) / 2.0 * np.diff(ts))) / (hi - lo), peak


def segment_heart(activity: Activity, scored: ScoredSegment) -> HeartFigures:
    """The heart-rate figures of one segment (NO_HEART without heart rate or times)."""
    seg = scored.segment
    readings = _readings(activity)
    if readings is None or seg.start_s is None or seg.end_s is None:
        return NO_HEART
    t, hr = readings
    avg, peak = _window(t, hr, seg.start_s, seg.end_s)
    if avg is None:
        return NO_HEART
    rise = end = drop = None
    start_hr, end_hr = _at(t, hr, seg.start_s), _at(t, hr, seg.end_s)
    if seg.kind is SegmentKind.REP:
        rise = None if start_hr is None or end_hr is None else end_hr - start_hr
    elif seg.kind is SegmentKind.RECOVERY:
        end = end_hr
        if seg.end_s - seg.start_s >= DROP_WINDOW_S:
            after = _at(t, hr, seg.start_s + DROP_WINDOW_S)
            drop = None if start_hr is None or after is None else start_hr - after
    return HeartFigures(avg, peak, rise, end, drop)


def session_drift_pct(segments: list[ScoredSegment], hearts: list[HeartFigures]) -> float | None:
    """Cardiac drift: beats per unit of speed in the last half of the reps against the first
    half, in % (positive: the same pace cost more beats later). None with fewer than two run
    reps that have both a pace and a heart rate."""
    cost = [
        h.avg_bpm * s.judged_pace_s_per_km
        for s, h in zip(segments, hearts, strict=True)
        if s.segment.kind is SegmentKind.REP
        and not s.segment.missed
        and h.avg_bpm is not None
        and s.judged_pace_s_per_km
    ]
    if len(cost) < 2:
        return None
    half = len(cost) // 2
    first, last = float(np.mean(cost[:half])), float(np.mean(cost[len(cost) - half :]))
    return (last / first - 1.0) * 100.0


def recovered(
    recovery: ScoredSegment,
    rep: ScoredSegment | None,
    rep_number: int | None,
    profile: Profile | None,
    th: Thresholds,
) -> Check | None:
    """Whether the heart rate came down in the recovery: its end against the rep's maximum.
    Only for athletes whose profile gives heart rates (``max_hr`` or ``threshold_hr``): a
    coach who set them reads heart rate; others are not warned about a figure they never set."""
    if profile is None or (profile.max_hr is None and profile.threshold_hr is None) or rep is None:
        return None
    end, peak = recovery.heart.end_bpm, rep.heart.max_bpm
    if end is None or peak is None:
        return None
    share = end / peak
    figures = {
        "hr_end_bpm": round(end, 1),
        "rep_hr_max_bpm": round(peak, 1),
        "share": round(share, 4),
    }
    if share > th.recovered_fraction:
        return Check(
            "recovered",
            Status.WARN,
            f"Recovery after rep {rep_number}: the heart rate was still {end:.0f} bpm at its end, "
            f"{share:.0%} of the rep's {peak:.0f} bpm (over {th.recovered_fraction:.0%}): "
            "jog slower or take the full recovery.",
            rep_number,
            figures,
        )
    return Check(
        "recovered",
        Status.PASS,
        f"Recovery after rep {rep_number}: the heart rate fell to {end:.0f} bpm, "
        f"{share:.0%} of the rep's {peak:.0f} bpm.",
        rep_number,
        figures,
    )


def with_band(activity: Activity, scored: ScoredSegment, band: tuple[float, float]) -> HeartFigures:
    """The rep's heart-rate figures with the time it spent in, above and below ``band`` after
    the heart rate's lag: the first LAG_S seconds, or the first half of a rep shorter than
    twice that. Shares are of the seconds with a reading within NEAREST_S (None if too few)."""
    base = replace(scored.heart, band_bpm=band)
    seg = scored.segment
    readings = _readings(activity)
    if readings is None or seg.start_s is None or seg.end_s is None:
        return base
    t, hr = readings
    lag = min(LAG_S, (seg.end_s - seg.start_s) / 2.0)
    grid = np.arange(seg.start_s + lag, seg.end_s, 1.0) + 0.5
    grid = grid[grid < seg.end_s]
    if len(grid) == 0:
        return base
    at = np.clip(np.searchsorted(t, grid), 1, max(len(t) - 1, 1))
    near = (
        np.minimum(np.abs(t[at] - grid), np.abs(t[at - 1] - grid))
        if len(t) > 1
        else np.abs(t[0] - grid)
    )
    grid = grid[near <= NEAREST_S]
    if len(grid) < MIN_JUDGED_S:
        return base
    bpm = np.interp(grid, t, hr)
    low, high = band
    above, below = float(np.mean(bpm > high)) * 100.0, float(np.mean(bpm < low)) * 100.0
    return replace(
        base, in_band_pct=100.0 - above - below, above_band_pct=above, below_band_pct=below
    )


def band_verdict(h: HeartFigures, th: Thresholds) -> Verdict | None:
    """A heart-rate rep's verdict, so counts of reps on target include it: on target when its
    time in band passes ``hr_in_band``; else too fast (too hard: mostly above) or too slow."""
    if h.band_bpm is None or h.in_band_pct is None:
        return None
    if h.in_band_pct / 100.0 >= th.hr_band_warn_share:
        return Verdict.ON_TARGET
    return (
        Verdict.TOO_FAST
        if (h.above_band_pct or 0.0) >= (h.below_band_pct or 0.0)
        else Verdict.TOO_SLOW
    )


def hr_in_band(scored: ScoredSegment, th: Thresholds) -> Check | None:
    """A heart-rate target judged on time in its band (the lag left out, see ``with_band``)."""
    h, seg = scored.heart, scored.segment
    if h.band_bpm is None or seg.missed:
        return None
    low, high = h.band_bpm
    band = f"{low:.0f}-{high:.0f} bpm"
    if h.in_band_pct is None:
        return Check(
            "hr_in_band",
            Status.WARN,
            f"Rep {seg.rep}: the plan sets a heart rate of {band} but the file has too little "
            "heart rate in this rep to judge it.",
            seg.rep,
            {},
        )
    share = h.in_band_pct / 100.0
    figures = {
        "in_band_pct": round(h.in_band_pct, 1),
        "above_pct": round(h.above_band_pct or 0.0, 1),
        "below_pct": round(h.below_band_pct or 0.0, 1),
        "low_bpm": round(low, 1),
        "high_bpm": round(high, 1),
    }
    told = f"Rep {seg.rep}: heart rate in {band} for {share:.0%} of the rep after its first minute"
    if share >= th.hr_band_warn_share:
        return Check("hr_in_band", Status.PASS, f"{told}.", seg.rep, figures)
    way = (
        "above: ease off"
        if (h.above_band_pct or 0.0) >= (h.below_band_pct or 0.0)
        else "below: push harder"
    )
    status = Status.FAIL if share < th.hr_band_fail_share else Status.WARN
    out = max(h.above_band_pct or 0.0, h.below_band_pct or 0.0)
    return Check(
        "hr_in_band",
        status,
        f"{told}, {out:.0f}% {way} (under {th.hr_band_warn_share:.0%} in the band).",
        seg.rep,
        figures,
    )
