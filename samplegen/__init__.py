"""samplegen: synthetic running-watch files with exact truth, for testing workoutcheck.

A dev tool, not part of the installed package. ``python -m samplegen OUTDIR`` rewrites the
committed sample set (``catalog``); the library API builds any other session, e.g. one file per
athlete of a squad. Pipeline, one module per job:

    session  (what the runner intends: segments, faults, missed reps)
      -> runner   (TRUE motion on a 0.1 s grid: accelerations, wobble, fatigue; exact distances)
      -> routes   (true position: 400 m track lane geometry or a road loop / out-and-back)
      -> watch    (what the watch stores: correlated GPS error, lagged speed, device distance,
                   HR/cadence (physio), 1 s or smart recording, laps, auto-pause)
                   + quirks (opt-in real-watch faults: speed lag or freezes while the distance
                   is right, sparse records, GPS glitches, presses off the line, workout laps
                   closed by the watch's own distance)
      -> writers  (FIT via Garmin's encoder, GPX 1.1, TCX v2)  +  truth (STEM.truth.json)

Boundary rule (applied everywhere): a segment boundary is the centre of the runner's speed
transition, the instant their true (wobble-free) speed is exactly halfway between the level of
the segment before and the level of the segment after. Transitions are raised-cosine ramps of
2-4 s (longer for a standing start) centred on the boundary, so acceleration is split fairly.
The first segment starts at the first record (t = 0) and the last ends at the last record.
A runner with ``ramp_align="line"`` uses a coach's rule instead: a segment starts at the first
stride of its 2-5 s acceleration and ends at the line, the 5-10 s slowdown after it belonging
to the next segment (the truth file's ``boundary_rule`` says which rule it follows). A session
that ends with a rep ends at that rep's line too: the slowdown after it and the seconds stood
before the watch stops are a ``cooldown`` segment of the truth's own, with no plan step.

Determinism: every random draw comes from ``numpy.random.default_rng(seed)`` with the spec's
fixed seed, floats in text outputs are formatted to fixed decimals and gzip uses mtime 0, so the
same spec gives byte-identical files (on the same numpy build; libm differences across platforms
could in principle flip a last rounded digit).
"""

from samplegen.build import Built, SampleSpec, build_sample, simulate_sample
from samplegen.quirks import Quirks
from samplegen.routes import PolylineRoute, Route, TrackRoute
from samplegen.runner import Runner, TrueMotion, simulate
from samplegen.season import build_season, season_specs
from samplegen.session import Block, Fault, Segment, Session, interval_session
from samplegen.truth import build_truth, write_truth
from samplegen.watch import LapSettings, Recording, WatchSettings, record

__all__ = [
    "Block",
    "Built",
    "Fault",
    "LapSettings",
    "PolylineRoute",
    "Quirks",
    "Recording",
    "Route",
    "Runner",
    "SampleSpec",
    "Segment",
    "Session",
    "TrackRoute",
    "TrueMotion",
    "WatchSettings",
    "build_sample",
    "build_season",
    "build_truth",
    "interval_session",
    "record",
    "season_specs",
    "simulate",
    "simulate_sample",
    "write_truth",
]
