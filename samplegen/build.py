"""One sample = one simulated run, written to one or more files plus a shared truth file.

This is the reusable entry point (the squad test will call it once per athlete): describe the
session, runner, route and watch in a ``SampleSpec`` and ``build_sample`` writes
``STEM.<fmt>`` for each format and ``STEM.truth.json``. Same spec -> same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from samplegen.hills import on_the_hill
from samplegen.routes import Route
from samplegen.runner import Runner, TrueMotion, simulate
from samplegen.session import Session
from samplegen.truth import build_truth, write_truth
from samplegen.watch import Recording, WatchSettings, record
from samplegen.writers import write_fit, write_gpx, write_pwx, write_tcx

FORMATS = ("fit", "gpx", "gpx.gz", "tcx", "pwx")


@dataclass(frozen=True)
class SampleSpec:
    stem: str
    session: Session
    runner: Runner
    route: Route
    watch: WatchSettings
    start_time: datetime  # timezone-aware UTC: the first record
    formats: tuple[str, ...] = ("fit",)
    seed: int = 0
    description: str = ""
    fit_workout: bool | None = None  # None: embed the workout when laps come from it
    extra: dict = field(default_factory=dict)
    on_hills: bool = False  # run at an even effort over the route's hills (samplegen.hills)

    def __post_init__(self):
        bad = [f for f in self.formats if f not in FORMATS]
        if bad:
            raise ValueError(f"unknown formats {bad}")
        if self.start_time.utcoffset() is None or self.start_time.utcoffset().total_seconds():
            raise ValueError("start_time must be timezone-aware UTC")

    @property
    def filenames(self) -> list[str]:
        return [f"{self.stem}.{f}" for f in self.formats]

    @property
    def truth_name(self) -> str:
        return f"{self.stem}.truth.json"


@dataclass
class Built:
    spec: SampleSpec
    motion: TrueMotion
    recording: Recording
    truth: dict
    paths: list[Path]


def simulate_sample(spec: SampleSpec) -> tuple[TrueMotion, Recording, dict]:
    """Run the models without writing anything (fast path for tests)."""
    motion = simulate(spec.session, spec.runner, spec.route, seed=spec.seed)
    if spec.on_hills:
        motion = on_the_hill(motion, spec.route)
    sub_sport = "track" if spec.route.surface == "track" else "street"
    rec = record(
        motion, spec.watch, seed=spec.seed + 1, start_time=spec.start_time, sub_sport=sub_sport
    )
    extra = {"description": spec.description, "seed": spec.seed, **spec.extra}
    truth = build_truth(motion, rec, spec.filenames, spec.route.surface, extra)
    return motion, rec, truth


def build_sample(spec: SampleSpec, outdir: Path) -> Built:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    motion, rec, truth = simulate_sample(spec)
    paths = []
    for fmt, name in zip(spec.formats, spec.filenames, strict=False):
        p = outdir / name
        if fmt == "fit":
            write_fit(rec, p, include_workout=spec.fit_workout, name=spec.stem)
        elif fmt in ("gpx", "gpx.gz"):
            write_gpx(rec, p, name=spec.stem)
        elif fmt == "pwx":
            write_pwx(rec, p)
        else:
            write_tcx(rec, p)
        paths.append(p)
    paths.append(write_truth(truth, outdir / spec.truth_name))
    return Built(spec, motion, rec, truth, paths)
