"""A season of one athlete: many sessions over weeks, getting faster at the same heart rate.

For the history tests: ``build_season(outdir)`` writes one FIT file per session (and
``season.truth.json`` with each session's day and intended paces) into a folder of the
caller's choosing, never into sample_files/. Fitness is modelled where heart rate comes from
(``physio``: effort is speed over ``vo2_speed_mps``): every pace of a session, warm-up to
cool-down, is ``improvement`` faster by the last day than on the first, linearly in time, and
``vo2_speed_mps`` rises by the same factor, so each segment is run at the same heart rate as it
was on day one. The coach moves the target paces every four weeks. Three shapes rotate
(5x1000m, 8x400m, 4x1600m) so the history has groups to line up and a trend to pool.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from samplegen.build import SampleSpec, build_sample
from samplegen.routes import TrackRoute
from samplegen.runner import Runner
from samplegen.session import Block, interval_session
from samplegen.watch import LapSettings, WatchSettings

ATHLETE = "Ana"


@dataclass(frozen=True)
class Shape:
    name: str
    count: int
    distance_m: float
    pace_s_per_km: float  # on day one
    jog_m: float


SHAPES = (
    Shape("5x1000m", 5, 1000, 228, 400),
    Shape("8x400m", 8, 400, 210, 400),
    Shape("4x1600m", 4, 1600, 236, 400),
)
WARMUP_PACE, JOG_PACE, COOLDOWN_PACE = 345, 410, 350  # s/km on day one
VO2_SPEED = 4.9  # m/s on day one


def _mmss(pace: float) -> str:
    whole = round(pace)
    return f"{whole // 60}:{whole % 60:02d}"


def season_specs(
    *,
    sessions: int = 40,
    weeks: int = 16,
    improvement: float = 0.03,
    start: datetime | None = None,
    seed: int = 1500,
) -> list[SampleSpec]:
    """The sessions as specs, oldest first (session k on day round(k * (7 * weeks - 1) /
    (sessions - 1)), 06:30 UTC)."""
    start = start or datetime(2026, 1, 5, 6, 30, tzinfo=UTC)
    last_day = 7 * weeks - 1
    specs = []
    for k in range(sessions):
        day = round(k * last_day / max(sessions - 1, 1))
        factor = 1.0 - improvement * day / last_day  # paces shrink by this
        coach = 1.0 - improvement * (day // 28 * 28) / last_day  # targets, moved every 4 weeks
        shape = SHAPES[k % len(SHAPES)]
        pace = shape.pace_s_per_km * factor
        plan = (
            f"10min @ {_mmss(WARMUP_PACE * coach)}/km; {shape.count}x({shape.distance_m:g}m @ "
            f"{_mmss(shape.pace_s_per_km * coach)}/km, {shape.jog_m:g}m jog); 5min @ "
            f"{_mmss(COOLDOWN_PACE * coach)}/km"
        )
        session = interval_session(
            plan,
            [Block(distance_m=shape.distance_m, pace_s_per_km=pace)] * shape.count,
            Block(distance_m=shape.jog_m, pace_s_per_km=JOG_PACE * factor, style="jog"),
            warmup=Block(duration_s=600, pace_s_per_km=WARMUP_PACE * factor),
            cooldown=Block(duration_s=300, pace_s_per_km=COOLDOWN_PACE * factor),
        )
        runner = Runner(ATHLETE, vo2_speed_mps=VO2_SPEED / factor, hr_max=192, hr_rest=48)
        specs.append(
            SampleSpec(
                f"season_{k + 1:02d}_{shape.name}",
                session,
                runner,
                TrackRoute(
                    "Bristol track", 51.47521, -2.58843, base_altitude_m=38.0, heading_deg=17.0
                ),
                WatchSettings(
                    recording="1s", laps=LapSettings("manual"), gps_sigma_m=2.0, gps_tau_s=30.0
                ),
                start + timedelta(days=day),
                ("fit",),
                seed=seed + 10 * k,
                description=f"season session {k + 1}: {shape.name}, paces x{factor:.4f}",
                extra={"day": day, "pace_factor": factor, "rep_pace_s_per_km": pace},
            )
        )
    return specs


def build_season(outdir: Path, **kwargs) -> list[Path]:
    """Write the season's FIT files into ``outdir`` and ``season.truth.json`` (the plan, day
    and intended rep pace of each); returns the FIT paths, oldest first. The per-session
    truth files are not kept: the season's own truth is what its tests compare against."""
    outdir = Path(outdir)
    paths, truth = [], []
    for spec in season_specs(**kwargs):
        built = build_sample(spec, outdir)
        fit, own_truth = built.paths
        own_truth.unlink()
        paths.append(fit)
        truth.append(
            {
                "file": fit.name,
                "plan": spec.session.plan,
                "start_time": spec.start_time.isoformat(),
                **spec.extra,
            }
        )
    (outdir / "season.truth.json").write_text(
        json.dumps({"athlete": ATHLETE, "sessions": truth}, indent=1) + "\n", encoding="utf-8"
    )
    return paths
