"""Hill sessions for tests (not in the committed sample set): uphill reps on a steady grade
and a road tempo over rolling ground, each run at an even effort (``samplegen.hills``).

The plan's pace is the flat-equivalent effort; the truth of each rep's effort is its block's
pace, so a check can be held to grade-adjusted pace within a few % of it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from samplegen.build import SampleSpec
from samplegen.hills import HillRoute, hill_legs
from samplegen.routes import PolylineRoute
from samplegen.runner import Runner
from samplegen.session import Block, interval_session
from samplegen.watch import LapSettings, WatchSettings


def hill_repeats(
    grade: float = 0.06,
    leg_m: float = 300.0,
    reps: int = 6,
    pace_s_per_km: float = 225.0,
    seed: int = 901,
) -> SampleSpec:
    """``reps`` x ``leg_m`` up a ``grade`` hill at ``pace_s_per_km`` effort, jogging back down;
    the warm-up runs the hill up and down twice so every rep starts at its foot."""
    route = HillRoute(
        "Bath hill",
        51.37950,
        -2.35970,
        base_altitude_m=40.0,
        leg_m=leg_m,
        grade=grade,
        heading_deg=30.0,
    )
    up, down = hill_legs(route)
    # jogging down gently: on the clock 1.4x the rep's pace up, however little effort that takes
    jog_effort = pace_s_per_km * (up / leg_m) * 1.4 / (down / leg_m)
    p = int(pace_s_per_km)
    plan = f"wu {4 * leg_m:g}m; {reps}x{leg_m:g}m uphill @ {p // 60}:{p % 60:02d}/km, jog down; cd 10min"
    session = interval_session(
        plan,
        [Block(distance_m=up, pace_s_per_km=pace_s_per_km)] * reps,
        Block(distance_m=down, pace_s_per_km=jog_effort, style="jog"),
        warmup=Block(distance_m=2 * (up + down), pace_s_per_km=jog_effort),
        cooldown=Block(duration_s=600, pace_s_per_km=360.0),
    )
    return SampleSpec(
        f"hill_repeats_{round(grade * 100)}pc",
        session,
        Runner("Hana", vo2_speed_mps=4.8, hr_max=190, fatigue=0.0),
        route,
        WatchSettings(
            recording="1s",
            laps=LapSettings("manual"),
            gps_sigma_m=2.0,
            gps_tau_s=40.0,
            altitude_sigma_m=0.3,
        ),
        datetime(2026, 5, 12, 17, 0, 0, tzinfo=UTC),
        ("fit",),
        seed=seed,
        on_hills=True,
        description=f"{reps}x{leg_m:g}m up a {grade:.0%} hill at an even effort, jogging down",
        extra={"flat_pace_s_per_km": pace_s_per_km},
    )


def rolling_tempo(hill_m: float = 5.0, seed: int = 902) -> SampleSpec:
    """4 x 1 km at 4:00/km effort over rolling road (hills of ``hill_m``), 2 min jog."""
    session = interval_session(
        "wu 10min; 4x1000m @ 4:00/km, 2min jog; cd 5min",
        [Block(distance_m=1000.0, pace_s_per_km=240.0)] * 4,
        Block(duration_s=120, pace_s_per_km=400.0, style="jog"),
        warmup=Block(duration_s=600, pace_s_per_km=340.0),
        cooldown=Block(duration_s=300, pace_s_per_km=350.0),
    )
    route = PolylineRoute(
        "Harrogate lanes",
        53.99210,
        -1.54110,
        base_altitude_m=120.0,
        loop=True,
        length_m=1200.0,
        hill_m=hill_m,
        shape=(0.12, 0.05, 0.4),
        heading_deg=10.0,
    )
    return SampleSpec(
        "rolling_tempo",
        session,
        Runner("Ivo", vo2_speed_mps=4.7, hr_max=188, fatigue=0.0),
        route,
        WatchSettings(
            recording="1s",
            laps=LapSettings("manual"),
            gps_sigma_m=2.0,
            gps_tau_s=40.0,
            altitude_sigma_m=0.3,
        ),
        datetime(2026, 5, 14, 7, 0, 0, tzinfo=UTC),
        ("fit",),
        seed=seed,
        on_hills=True,
        description="4x1km over rolling road at an even effort",
        extra={"flat_pace_s_per_km": 240.0},
    )
