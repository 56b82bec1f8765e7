"""The committed sample set (sample_files/): eight sessions, each chosen to exercise one thing
a reader, segmenter or scorer must get right. Fixed seeds; edit a spec here and rerun
``python -m samplegen sample_files`` to refresh the committed files.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from samplegen.build import SampleSpec
from samplegen.quirks import Quirks
from samplegen.routes import PolylineRoute, TrackRoute
from samplegen.runner import Runner
from samplegen.session import Block, Fault, Segment, Session, interval_session
from samplegen.watch import LapSettings, WatchSettings


def _utc(*a) -> datetime:
    return datetime(*a, tzinfo=UTC)


def five_by_1000_track() -> SampleSpec:
    s = interval_session(
        "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km",
        [Block(distance_m=1000, pace_s_per_km=225)] * 5,
        Block(distance_m=400, pace_s_per_km=400, style="jog"),
        warmup=Block(duration_s=900, pace_s_per_km=360),
        cooldown=Block(duration_s=600, pace_s_per_km=360),
    )
    # segment boundaries: 1 wu|rep1, 2 rep1|rec1, ... 6 rep3|rec3: the press ending rep 3 is missed
    return SampleSpec(
        "five_by_1000_track",
        s,
        Runner("Ana", vo2_speed_mps=4.9, fatigue=0.006),
        TrackRoute("Bristol track", 51.47521, -2.58843, base_altitude_m=38.0, heading_deg=17.0),
        WatchSettings(
            recording="1s",
            laps=LapSettings("manual", missed=(6,)),
            utc_offset_s=3600,
            gps_sigma_m=2.0,
            gps_tau_s=35.0,
        ),
        _utc(2026, 5, 1, 6, 0, 0),
        ("fit", "gpx"),
        seed=101,
        description="5x1000m/400m jog on a track; manual laps pressed late, the one ending rep 3 "
        "missed; 1 s recording; FIT and GPX of the same run",
    )


def eight_by_400_track() -> SampleSpec:
    s = interval_session(
        "wu 15min; 8 x 400m in 80s, 400m jog; cd 10min",
        [Block(distance_m=400, pace_s_per_km=200)] * 8,
        Block(distance_m=400, pace_s_per_km=420, style="jog"),
        warmup=Block(duration_s=900, pace_s_per_km=330),
        cooldown=Block(duration_s=600, pace_s_per_km=340),
        faults={
            3: [Fault("fast_start", 0.07, fraction=0.28, net=0.005)],
            6: [Fault("off_pace", 0.065)],
        },
    )
    return SampleSpec(
        "eight_by_400_track",
        s,
        Runner("Ben", vo2_speed_mps=5.6, hr_max=195, hr_rest=48),
        TrackRoute(
            "Melbourne track", -37.82466, 144.98312, base_altitude_m=12.0, heading_deg=-32.0
        ),
        WatchSettings(
            recording="smart",
            laps=LapSettings("manual"),
            utc_offset_s=39600,
            gps_sigma_m=2.5,
            gps_tau_s=25.0,
        ),
        _utc(2026, 3, 14, 20, 15, 0),
        ("fit",),
        seed=202,
        description="8x400m in 80s; rep 3 fast start, rep 6 6.5% slow; smart recording; "
        "manual laps",
    )


def six_by_3min_road() -> SampleSpec:
    s = interval_session(
        "wu 10min; 6x3min @ 4:00/km, 2min easy; cd 10min",
        [Block(duration_s=180, pace_s_per_km=240)] * 6,
        Block(duration_s=120, pace_s_per_km=345, style="jog"),
        warmup=Block(duration_s=600, pace_s_per_km=330),
        cooldown=Block(duration_s=600, pace_s_per_km=340),
    )
    return SampleSpec(
        "six_by_3min_road",
        s,
        Runner("Chloe", vo2_speed_mps=4.6, hr_max=186, fatigue=0.01),
        PolylineRoute(
            "Lyon park loop",
            45.77721,
            4.85530,
            base_altitude_m=168.0,
            loop=True,
            length_m=3400.0,
            hill_m=3.0,
            shape=(0.18, 0.07, 0.6),
            heading_deg=25.0,
        ),
        WatchSettings(
            recording="1s",
            laps=LapSettings("auto_distance", auto_distance_m=1000.0),
            utc_offset_s=7200,
            gps_sigma_m=2.5,
            gps_tau_s=40.0,
        ),
        _utc(2026, 4, 18, 16, 30, 0),
        ("fit", "gpx.gz"),
        seed=303,
        description="time-based 6x3min on a road loop; FIT laps are 1 km auto-laps that do not "
        "match the reps; the GPX (gzipped) is the same run",
    )


def progressive_1000s() -> SampleSpec:
    paces = [330, 310, 290, 260, 225]
    plan = (
        "wu 15min; "
        + ", 400m jog, ".join(f"1000m @ {p // 60}:{p % 60:02d}/km" for p in paces)
        + "; cd 10min"
    )
    s = interval_session(
        plan,
        [Block(distance_m=1000, pace_s_per_km=p) for p in paces],
        Block(distance_m=400, pace_s_per_km=420, style="jog"),
        warmup=Block(duration_s=900, pace_s_per_km=390),
        cooldown=Block(duration_s=600, pace_s_per_km=400),
        distinct_steps=True,
        final_recovery=False,
    )
    return SampleSpec(
        "progressive_1000s",
        s,
        Runner("David", vo2_speed_mps=4.5, hr_max=192, hr_rest=45),
        PolylineRoute(
            "Iten dirt road",
            0.67030,
            35.50810,
            base_altitude_m=2390.0,
            loop=False,
            length_m=4000.0,
            hill_m=12.0,
            shape=(0.06, 0.35, 0.3),
            heading_deg=70.0,
        ),
        WatchSettings(
            recording="1s",
            laps=LapSettings("workout"),
            utc_offset_s=10800,
            gps_sigma_m=1.5,
            gps_tau_s=50.0,
        ),
        _utc(2026, 2, 7, 3, 30, 0),
        ("fit",),
        seed=404,
        description="progressive 1000s (5:30 -> 3:45/km) from a structured workout: FIT with "
        "workout + workout_step messages, laps carry wkt_step_index and intensity",
    )


def tempo_20min_road() -> SampleSpec:
    s = Session(
        "wu 15min; 20min @ 4:10/km; cd 10min",
        (
            Segment("warmup", 340, duration_s=900, step=0),
            Segment("rep", 250, duration_s=1200, rep=1, step=1),
            Segment("cooldown", 350, duration_s=600, step=2),
        ),
    )
    return SampleSpec(
        "tempo_20min_road",
        s,
        Runner("Emma", vo2_speed_mps=4.7, wobble_sd=0.012, hr_max=188),
        PolylineRoute(
            "Boulder creek loop",
            40.01499,
            -105.27055,
            base_altitude_m=1655.0,
            loop=True,
            length_m=5200.0,
            hill_m=8.0,
            shape=(0.12, 0.1, 1.3),
            heading_deg=-40,
        ),
        WatchSettings(
            recording="smart",
            laps=LapSettings("manual"),
            utc_offset_s=-21600,
            gps_sigma_m=2.0,
            gps_tau_s=30.0,
        ),
        _utc(2026, 6, 9, 12, 45, 0),
        ("tcx",),
        seed=505,
        description="20 min tempo with warm-up and cool-down on a hilly road loop; TCX, smart "
        "recording, laps pressed at the tempo's start and end",
    )


def race_400m_track() -> SampleSpec:
    s = Session(
        "wu 15min; 400m race; cd 10min",
        (
            Segment("warmup", 330, duration_s=900, step=0),
            Segment("extra", None, duration_s=40, style="stand"),  # waiting on the start line
            Segment("rep", 130, distance_m=400, rep=1, step=1, splits=((200, 25.5), (200, 26.5))),
            Segment("cooldown", 380, duration_s=600, step=2),
        ),
        profile={"200m": "24.0"},
    )
    return SampleSpec(
        "race_400m_track",
        s,
        Runner(
            "Femi", vo2_speed_mps=5.8, hr_max=198, hr_rest=46, ramp_s=(2.0, 6.0)
        ),  # a standing start takes longer
        TrackRoute("Eugene track", 44.04241, -123.07054, base_altitude_m=130.0, heading_deg=5.0),
        WatchSettings(
            recording="1s",
            laps=LapSettings("manual", press_delay_s=(0.4, 1.2)),
            utc_offset_s=-25200,
            gps_sigma_m=2.0,
            gps_tau_s=30.0,
        ),
        _utc(2026, 5, 23, 23, 10, 0),
        ("fit",),
        seed=606,
        description="400 m race (200 m PR 24.0): 25.5 + 26.5 s true splits, standing start after "
        "40 s on the line, warm-up and cool-down jogs",
    )


def six_by_800_missed() -> SampleSpec:
    s = interval_session(
        "wu 15min; 6x800m @ 3:50/km, 400m jog; cd 10min",
        [Block(distance_m=800, pace_s_per_km=230)] * 6,
        Block(distance_m=400, pace_s_per_km=410, style="jog"),
        warmup=Block(duration_s=900, pace_s_per_km=345),
        cooldown=Block(duration_s=600, pace_s_per_km=350),
        missed_reps=(4,),
    )
    return SampleSpec(
        "six_by_800_missed",
        s,
        Runner("Gunnar", vo2_speed_mps=4.9, fatigue=0.01),
        TrackRoute("Oslo track", 59.92503, 10.73352, base_altitude_m=60.0, heading_deg=-12.0),
        WatchSettings(
            recording="1s",
            laps=LapSettings("manual"),
            utc_offset_s=7200,
            gps_sigma_m=3.0,
            gps_tau_s=20.0,
        ),
        _utc(2026, 8, 12, 15, 0, 0),
        ("fit",),
        seed=707,
        description="6x800m planned, rep 4 not run (jogged through: one 1600 m recovery); "
        "manual laps",
    )


def ten_by_200_autopause() -> SampleSpec:
    s = interval_session(
        "wu 15min; 10x200m @ 36s, 60s rest; cd 10min",
        [Block(distance_m=200, pace_s_per_km=180)] * 10,
        Block(duration_s=60, style="stand"),
        warmup=Block(duration_s=900, pace_s_per_km=320),
        cooldown=Block(duration_s=600, pace_s_per_km=330),
    )
    return SampleSpec(
        "ten_by_200_autopause",
        s,
        Runner("Hana", vo2_speed_mps=5.4, hr_max=194),
        TrackRoute("Nairobi track", -1.30448, 36.82503, base_altitude_m=1661.0, heading_deg=80.0),
        WatchSettings(
            recording="1s",
            laps=LapSettings("manual"),
            auto_pause=True,
            utc_offset_s=10800,
            gps_sigma_m=2.0,
            gps_tau_s=30.0,
        ),
        _utc(2026, 1, 20, 4, 0, 0),
        ("fit",),
        seed=808,
        description="10x200m with 60 s standing rests; auto-pause stops the timer in every rest "
        "(timer stop/start events, no records while paused); manual laps",
    )


ALL = (
    five_by_1000_track,
    eight_by_400_track,
    six_by_3min_road,
    progressive_1000s,
    tempo_20min_road,
    race_400m_track,
    six_by_800_missed,
    ten_by_200_autopause,
)


# as on the real lapped files, the distance's change of pace begins before the laps: the
# watch's distance is smoothed (``Quirks.distance_smooth_s``) and the runner eases into the
# line (``Runner.ease_s``)
DISTANCE_SMOOTH_S = 4.0
EASE_S = (0.5, 2.5)


def specs() -> list[SampleSpec]:
    return [_real_distance(f()) for f in ALL]


def _real_distance(spec: SampleSpec) -> SampleSpec:
    if spec.watch.quirks is not None:
        return spec
    q = Quirks(distance_basis="true", distance_smooth_s=DISTANCE_SMOOTH_S)
    runner = replace(spec.runner, ease_s=EASE_S)
    return replace(spec, watch=replace(spec.watch, quirks=q), runner=runner)
