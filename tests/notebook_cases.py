"""Sessions for the notebook golden tables, run through the real pipeline so the truth is known:
the committed samples where one fits, else samplegen specs built into a temporary folder.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from samplegen.build import SampleSpec, build_sample
from samplegen.routes import PolylineRoute, TrackRoute
from samplegen.runner import Runner
from samplegen.session import Segment, Session
from samplegen.watch import LapSettings, WatchSettings

SAMPLES = Path(__file__).resolve().parents[1] / "sample_files"
STRIDES_PLAN = "wu 10min; 6x400m in 80s, 200m jog; cd 5min"
MILES_PROFILE = 'name = "Ana"\nunit = "mi"\n'


def strides_in_warmup() -> SampleSpec:
    """A 10 min warm-up jog, then four 20 s strides with 40 s jogs the plan does not ask for,
    then 6x400m: the strides belong in the warm-up row."""
    parts: list[Segment] = [Segment("warmup", 360, duration_s=600, step=0)]
    for _ in range(4):
        parts += [
            Segment("extra", 190, duration_s=20),
            Segment("extra", 390, duration_s=40, style="jog"),
        ]
    for n in range(1, 7):
        parts.append(Segment("rep", 200, distance_m=400, rep=n, step=1))
        if n < 6:
            parts.append(Segment("recovery", 420, distance_m=200, step=2, style="jog"))
    parts.append(Segment("cooldown", 370, duration_s=300, step=3))
    return SampleSpec(
        "strides_warmup",
        Session(STRIDES_PLAN, tuple(parts)),
        Runner("Ines", vo2_speed_mps=5.4),
        TrackRoute("Lisbon track", 38.7554, -9.1602, base_altitude_m=80.0, heading_deg=10.0),
        WatchSettings(
            recording="1s",
            laps=LapSettings("manual"),
            utc_offset_s=0,
            gps_sigma_m=2.0,
            gps_tau_s=30.0,
        ),
        datetime(2026, 9, 5, 7, 0, tzinfo=UTC),
        ("fit",),
        seed=909,
    )


def easy_run() -> SampleSpec:
    """40 minutes at one easy pace: no interval session to find."""
    session = Session("40min easy", (Segment("warmup", 330, duration_s=2400, step=0),))
    return SampleSpec(
        "easy_run",
        session,
        Runner("Jo", vo2_speed_mps=4.6),
        PolylineRoute(
            "Canal path",
            52.3702,
            4.8952,
            base_altitude_m=2.0,
            loop=False,
            length_m=8000.0,
            hill_m=0.0,
            shape=(0.1, 0.1, 1.0),
            heading_deg=0.0,
        ),
        WatchSettings(
            recording="1s",
            laps=LapSettings("auto_distance", auto_distance_m=1000.0),
            utc_offset_s=3600,
            gps_sigma_m=2.5,
            gps_tau_s=30.0,
        ),
        datetime(2026, 9, 6, 6, 0, tzinfo=UTC),
        ("fit",),
        seed=910,
    )


def build(spec: SampleSpec, folder: Path) -> Path:
    """The spec's FIT file, written into ``folder``."""
    return next(p for p in build_sample(spec, folder).paths if p.suffix == ".fit")
