"""The watch model: what a GPS running watch records of the true motion.

Everything a reader has to cope with is produced here, each from its physical cause:
- positions = truth + correlated GPS error (first-order Gauss-Markov, 1-3 m, tau 20-60 s)
  + a little white noise, so raw GPS distance is inflated a few percent and wanders;
- device speed = truth through the watch's smoothing filter (a ~2.5 s lag) + +/-0.1 m/s noise;
  device distance is integrated once a second from the motion itself (within its calibration
  error): on the real watches measured the distance is not delayed the way the speed field is;
- heart rate and cadence from the body model (``physio``);
- "1s" or "smart" recording (irregular 1-7 s, denser when speed or heading changes);
- laps: manual presses a little late (some missed), auto-laps by distance, or the steps of a
  structured workout; auto-pause while standing (timer stop/start, no records in between);
- opt-in real-watch faults (``WatchSettings.quirks``, see ``quirks``): a speed field that lags
  or freezes while the distance is right, sparse records, GPS glitches, presses off the line.
The watch clock ticks in whole seconds, as FIT timestamps do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np

from samplegen import physio
from samplegen import quirks as qk
from samplegen.geo import enu_to_latlon
from samplegen.noise import ar1, asymmetric_lag, first_order_lag
from samplegen.runner import TrueMotion
from samplegen.workout import build_workout

RECORDINGS = ("1s", "smart", "sparse")
LAP_MODES = ("manual", "auto_distance", "workout", "none")

_WORKOUT_INTENSITY = {
    "warmup": "warmup",
    "rep": "active",
    "recovery": "recovery",
    "cooldown": "cooldown",
    "extra": "active",
}


@dataclass(frozen=True)
class LapSettings:
    """How laps are made. ``missed`` lists segment boundaries (1 = between segments 0 and 1)
    at which a manual press was forgotten, so two segments share one lap."""

    mode: str = "manual"
    press_delay_s: tuple[float, float] = (0.5, 3.0)
    missed: tuple[int, ...] = ()
    auto_distance_m: float = 1000.0
    workout_offset_s: tuple[float, float] = (-1.5, 0.5)  # the beep comes a little before the effort

    def __post_init__(self):
        if self.mode not in LAP_MODES:
            raise ValueError(f"unknown lap mode {self.mode!r}")


@dataclass(frozen=True)
class WatchSettings:
    recording: str = "1s"
    gps_sigma_m: float = 2.0
    gps_tau_s: float = 30.0
    gps_white_m: float = 0.4
    # a GPS chipset's own filter on its fixes' error (time constant, s; 0: none). Real fixes
    # wander metres over tens of seconds yet move smoothly from second to second: the corpus's
    # FIT files' fix-to-fix speed scatters 0.05-0.35 m/s (median 0.17) about its running
    # median while running; unfiltered error of 3-5 m scatters 0.7-1.2 m/s at 1 Hz.
    gps_filter_s: float = 0.0
    altitude_sigma_m: float = 1.0
    speed_tau_s: float = 2.5
    # the speed field's filter time constant while the runner slows, where it differs (None: as
    # above; the distance integrates the even filter): the corpus's speed fields, less the lag
    # that best lines them up with their distance, rise 1.6 s early at a rep's start (median)
    # and fall 0.2 s late at its end
    speed_fall_tau_s: float | None = None
    speed_noise_mps: float = 0.06  # sd; +/-0.1 m/s covers ~90 % (Townshend et al. 2008)
    distance_bias: float = 0.003  # the watch's distance calibration error (fraction)
    smart_max_gap_s: tuple[int, int] = (4, 7)
    auto_pause: bool = False
    pause_below_mps: float = 0.5
    pause_after_s: int = 2
    resume_above_mps: float = 1.0
    laps: LapSettings = field(default_factory=LapSettings)
    utc_offset_s: int = 0  # the place's local time, for FIT activity.local_timestamp
    product_name: str = "samplegen watch"
    serial_number: int = 3_000_000_001
    quirks: qk.Quirks | None = None  # real-watch faults (``quirks``); None: a well-behaved watch

    def __post_init__(self):
        if self.recording not in RECORDINGS:
            raise ValueError(f"unknown recording {self.recording!r}")

    def describe(self) -> dict:
        d = asdict(self)
        d["laps"] = asdict(self.laps)
        for name in ("gps_filter_s", "speed_fall_tau_s"):  # as the truth files before them
            if not d[name]:
                del d[name]
        if self.quirks is None:
            del d["quirks"]  # the committed truth files predate quirks
        else:
            d["quirks"] = self.quirks.describe()
        return d


@dataclass(frozen=True)
class WatchLap:
    start_s: float
    end_s: float
    timer_s: float
    distance_m: float
    trigger: str  # manual | distance | time | session_end
    intensity: str
    wkt_step_index: int | None = None
    avg_speed: float = 0.0
    max_speed: float = 0.0
    avg_hr: int | None = None
    max_hr: int | None = None


@dataclass
class Recording:
    """What the watch stored. Times are whole seconds since ``start_time`` (first record = 0)."""

    start_time: datetime
    t: np.ndarray  # int seconds
    lat: np.ndarray
    lon: np.ndarray
    altitude: np.ndarray
    speed: np.ndarray  # m/s, device (filtered Doppler) speed
    distance: np.ndarray  # m, device distance
    heart_rate: np.ndarray  # bpm
    cadence_spm: np.ndarray  # steps/min, both legs
    laps: list[WatchLap]
    events: list[tuple[float, str]]  # (t, "start" | "stop_all")
    pauses: list[tuple[float, float]]  # (stop, restart) times
    settings: WatchSettings
    motion: TrueMotion
    sub_sport: str = "generic"
    quirks: dict = field(default_factory=dict)  # what the quirks did, for the truth file

    @property
    def duration_s(self) -> float:
        return float(self.t[-1])

    @property
    def timer_s(self) -> float:
        return self.duration_s - sum(b - a for a, b in self.pauses)


def _paused_overlap(pauses, a: float, b: float) -> float:
    return sum(max(0.0, min(b, q) - max(a, p)) for p, q in pauses)


def _as_measured(v: np.ndarray, s: WatchSettings) -> np.ndarray:
    """A filtered speed as the watch reports it: scaled by its calibration, never negative."""
    return np.clip(v * (1.0 + s.distance_bias), 0.0, None)


def _fix_error(err: np.ndarray, s: WatchSettings) -> np.ndarray:
    """One axis of the fixes' error as the chipset's filter leaves it (``gps_filter_s``):
    smoothed, and scaled back to its own spread, so the fixes wander as far but not jump."""
    if s.gps_filter_s <= 0:
        return err
    return first_order_lag(err, s.gps_filter_s) * np.sqrt(1.0 + s.gps_filter_s / s.gps_tau_s)


def _find_pauses(v: np.ndarray, s: WatchSettings) -> list[tuple[int, int]]:
    """Auto-pause on the 1 s grid: stop after ``pause_after_s`` s below the threshold, restart at
    the first second above the resume threshold."""
    n = len(v)
    moving = np.flatnonzero(v > s.resume_above_mps)
    pauses: list[tuple[int, int]] = []
    k = int(moving[0]) if len(moving) else n  # no auto-pause before the runner first sets off
    while k < n:
        if v[k] >= s.pause_below_mps:
            k += 1
            continue
        j = k
        while j < n and v[j] < s.pause_below_mps:
            j += 1  # slow run is [k, j)
        stop = k + s.pause_after_s
        if stop < j:
            r = stop + 1
            while r < n and v[r] <= s.resume_above_mps:
                r += 1
            if r < n:  # a stop that never restarts is the end of the session, not a pause
                pauses.append((stop, r))
                k = r
                continue
        k = j
    return pauses


def _smart_select(
    rng, s: WatchSettings, keep: np.ndarray, v: np.ndarray, heading: np.ndarray, must: set[int]
) -> np.ndarray:
    """Garmin-style smart recording: a point when speed or heading has changed enough since the
    last stored one, or after a 4-7 s gap at the latest."""
    out = []
    last = None
    gap = int(rng.integers(s.smart_max_gap_s[0], s.smart_max_gap_s[1] + 1))
    for k in np.flatnonzero(keep):
        k = int(k)
        if last is None or k in must:
            take = True
        else:
            dh = abs((heading[k] - heading[last] + 180.0) % 360.0 - 180.0)
            take = k - last >= gap or abs(v[k] - v[last]) > 0.4 or (dh > 25.0 and v[k] > 1.0)
        if take:
            out.append(k)
            last = k
            gap = int(rng.integers(s.smart_max_gap_s[0], s.smart_max_gap_s[1] + 1))
    return np.array(out, dtype=int)


def _laps(
    rng, motion: TrueMotion, s: WatchSettings, t_end: float, dist_1s: np.ndarray, pauses, qrng=None
) -> list[tuple[float, float, str, str, int | None]]:
    """Lap (start, end, trigger, intensity, wkt_step_index) tuples covering [0, t_end]."""
    L = s.laps
    q = s.quirks
    segs = motion.session.segments
    inner = motion.bounds[1:-1]
    ends: list[tuple[float, str, str, int | None]] = []  # (end, trigger, intensity, wkt)
    if L.mode == "manual":
        for i, b in enumerate(inner, start=1):
            press = float(b + rng.uniform(*L.press_delay_s))
            if q is not None:
                press = qk.odd_press(qrng, q, press, float(b))
            if i not in L.missed:
                ends.append((round(press, 3), "manual", "active", None))
        last = ("session_end", "active", None)
    elif L.mode == "auto_distance":
        total = dist_1s[-1]
        marks = np.arange(L.auto_distance_m, total, L.auto_distance_m)
        ts = np.interp(marks, dist_1s + np.arange(len(dist_1s)) * 1e-9, np.arange(len(dist_1s)))
        ends = [(round(float(x), 3), "distance", "active", None) for x in ts if x < t_end - 1]
        last = ("session_end", "active", None)
    elif L.mode == "workout":
        _, wmap = build_workout(motion.session)

        def wkt_of(seg):
            if seg.wkt_step is not None:
                return seg.wkt_step
            return wmap.get(seg.step) if seg.step is not None else None

        if q is not None and q.workout_close == "device":
            ends = qk.device_closed_ends(qrng, q, segs, inner, dist_1s, wkt_of, _WORKOUT_INTENSITY)
        else:
            for i, b in enumerate(inner):
                seg = segs[i]
                trig = "distance" if seg.distance_m is not None else "time"
                wkt = wkt_of(seg)
                ends.append(
                    (
                        round(float(b + rng.uniform(*L.workout_offset_s)), 3),
                        trig,
                        _WORKOUT_INTENSITY[seg.kind],
                        wkt,
                    )
                )
        seg = segs[-1]
        last = ("session_end", _WORKOUT_INTENSITY[seg.kind], wkt_of(seg))
        if motion.finish_s is not None:
            # the last step ends at the line, as every step does; the seconds until the watch
            # stops are a lap of their own, of no workout step
            ends.append(
                (
                    round(float(motion.finish_s + rng.uniform(*L.workout_offset_s)), 3),
                    "distance" if seg.distance_m is not None else "time",
                    _WORKOUT_INTENSITY[seg.kind],
                    wkt_of(seg),
                )
            )
            last = ("session_end", _WORKOUT_INTENSITY["cooldown"], None)
    else:
        last = ("session_end", "active", None)
    # a lap cannot end inside a pause: the watch is stopped; push it to the restart
    fixed = []
    for e, *rest in ends:
        for p, r in pauses:
            if p < e < r:
                e = float(r)
        fixed.append((e, *rest))
    out, start = [], 0.0
    for e, trig, inten, wkt in fixed + [(t_end, *last)]:
        out.append((start, e, trig, inten, wkt))
        start = e
    return out


def record(
    motion: TrueMotion,
    settings: WatchSettings,
    seed: int,
    start_time: datetime,
    sub_sport: str = "generic",
) -> Recording:
    """Simulate the watch over ``motion``. Deterministic for a given ``seed``."""
    rng = np.random.default_rng(seed)
    s = settings
    q = s.quirks
    # the quirks (and sparse recording) draw from their own stream: the base noise is unchanged
    qrng = np.random.default_rng([seed, 7]) if q is not None or s.recording == "sparse" else None
    qlog: dict = {}
    T = int(round(motion.duration_s))
    t1 = np.arange(T + 1)
    v_true = motion.speed_at(t1)
    d_true = motion.distance_at(t1)

    # speed: the watch's filter lags the truth; noise shrinks to nothing when standing
    v_src = qk.delayed_speed(motion, t1, q.speed_delay_s) if q and q.speed_delay_s else v_true
    noise = ar1(rng, len(t1), s.speed_noise_mps, 2.0) * np.clip(v_true, 0.0, 1.0)
    v_dev = _as_measured(first_order_lag(v_src, s.speed_tau_s, x0=0.0) + noise, s)
    # auto-pause follows the GPS, not the speed field's display delay: a watch that resumed
    # 15-20 s after the runner set off would lose the first 80 m of every rep
    v_gps = v_dev
    if q and q.speed_delay_s:
        v_gps = _as_measured(first_order_lag(v_true, s.speed_tau_s, x0=0.0) + noise, s)

    pauses_i = _find_pauses(v_gps, s) if s.auto_pause else []
    paused_step = np.zeros(len(t1), dtype=bool)  # step k-1 -> k not timed
    for p, r in pauses_i:
        paused_step[p + 1 : r + 1] = True
    if q is None or q.distance_basis == "true":
        smooth = q.distance_smooth_s if q is not None else 0.0
        dist = np.maximum.accumulate(qk.true_distance(d_true, paused_step, s.distance_bias, smooth))
    elif q.distance_basis == "speed":
        step = np.concatenate([[0.0], (v_dev[1:] + v_dev[:-1]) / 2])
        dist = np.cumsum(np.where(paused_step, 0.0, step))
    # "gps": from the fixes, below
    v_field = v_dev
    if s.speed_fall_tau_s is not None:  # the field as displayed; the distance integrates v_dev
        field = asymmetric_lag(v_src, s.speed_tau_s, s.speed_fall_tau_s) + noise
        v_field = _as_measured(field, s)
    if q is not None and q.freeze:
        v_field, qlog["freezes"] = qk.freeze_speed(qrng, q, v_field, v_true)

    # GPS: correlated error per axis + white noise
    e_true, n_true = motion.route.xy(d_true + motion.route_offset_m)
    nt = len(t1)
    e = (
        e_true
        + _fix_error(ar1(rng, nt, s.gps_sigma_m, s.gps_tau_s), s)
        + rng.normal(0, s.gps_white_m, nt)
    )
    n = (
        n_true
        + _fix_error(ar1(rng, nt, s.gps_sigma_m, s.gps_tau_s), s)
        + rng.normal(0, s.gps_white_m, nt)
    )
    if q is not None and q.distance_basis == "gps":
        dist = np.maximum.accumulate(
            qk.gps_distance(
                e,
                n,
                d_true,
                paused_step,
                v_true >= 0.3,
                s.distance_bias,
                q.gps_distance_smooth_s,
                q.distance_smooth_s,
            )
        )
    spikes: list[int] = []
    if q is not None and (q.gps_spikes or q.gps_drifts):
        e, n, spikes, qlog["gps_glitches"] = qk.gps_glitches(qrng, q, e, n, v_true)
    lat, lon = enu_to_latlon(motion.route.lat0, motion.route.lon0, e, n)
    alt = motion.route.altitude(d_true + motion.route_offset_m) + ar1(
        rng, len(t1), s.altitude_sigma_m, 60.0
    )
    hr = physio.heart_rate(rng, motion.runner, v_true)
    cad = physio.cadence_spm(rng, motion.runner, v_true)

    keep = ~paused_step.copy()
    for _, r in pauses_i:
        keep[r] = True  # the restart second is recorded
    must = {0, T} | {p for p, _ in pauses_i} | {r for _, r in pauses_i} | set(spikes)
    if s.recording == "smart":
        heading = np.degrees(np.arctan2(np.gradient(e_true), np.gradient(n_true)))
        idx = _smart_select(rng, s, keep, v_dev, heading, must)
    elif s.recording == "sparse":
        idx = qk.sparse_select(qrng, q or qk.Quirks(), keep, must, v_true)
    else:
        idx = np.flatnonzero(keep)

    pauses = [(float(p), float(r)) for p, r in pauses_i]
    raw_laps = _laps(rng, motion, s, float(T), dist, pauses, qrng)
    laps = []
    for a, b, trig, inten, wkt in raw_laps:
        sel = (t1 >= a) & (t1 <= b) & ~paused_step
        timer = (b - a) - _paused_overlap(pauses, a, b)
        dl = float(np.interp(b, t1, dist) - np.interp(a, t1, dist))
        laps.append(
            WatchLap(
                start_s=a,
                end_s=b,
                timer_s=round(timer, 3),
                distance_m=round(dl, 2),
                trigger=trig,
                intensity=inten,
                wkt_step_index=wkt,
                avg_speed=round(dl / timer, 3) if timer > 0 else 0.0,
                max_speed=round(float(v_field[sel].max()), 3) if sel.any() else 0.0,
                avg_hr=int(round(hr[sel].mean())) if sel.any() else None,
                max_hr=int(hr[sel].max()) if sel.any() else None,
            )
        )
    events = [(0.0, "start")]
    for p, r in pauses:
        events += [(p, "stop_all"), (r, "start")]
    events.append((float(T), "stop_all"))
    if q is not None:
        qlog = {
            "settings": q.describe(),
            **qlog,
            "speed_lag_vs_truth_s": round(q.speed_delay_s + s.speed_tau_s, 2),
            "speed_lag_vs_distance_s": round(q.speed_delay_s + s.speed_tau_s, 2)
            if q.distance_basis in ("true", "gps")
            else 0.0,
            "lap_ends_vs_boundaries_s": _lap_offsets(laps, motion.bounds[1:-1]),
        }
    return Recording(
        start_time=start_time,
        t=t1[idx],
        lat=lat[idx],
        lon=lon[idx],
        altitude=alt[idx],
        speed=v_field[idx],
        distance=dist[idx],
        heart_rate=hr[idx],
        cadence_spm=cad[idx],
        laps=laps,
        events=events,
        pauses=pauses,
        settings=settings,
        motion=motion,
        sub_sport=sub_sport,
        quirks=qlog,
    )


def _lap_offsets(laps: list[WatchLap], bounds: np.ndarray) -> list[float | None]:
    """Each lap end (but the last) minus the nearest true boundary: how well it was pressed."""
    out: list[float | None] = []
    for lap in laps[:-1]:
        k = int(np.argmin(np.abs(bounds - lap.end_s))) if len(bounds) else -1
        out.append(round(float(lap.end_s - bounds[k]), 3) if k >= 0 else None)
    return out
