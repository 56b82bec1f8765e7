"""`workoutcheck check --format json` prints one JSON document, version 1 of a stable contract:

```json
{"schema_version": 1, "results": [ {
  "file": "<path as given>",
  "status": "pass|warn|fail|error",
  "error": null,
  "score": 87.5,
  "plan": "<normalised plan text>",
  "description": null,
  "athlete": "Anna",
  "activity": {"start_time": "2024-05-01T06:30:00Z", "duration_s": 3120.0,
               "distance_m": 11240.5, "source": "fit"},
  "segments": [ {"kind": "rep", "rep": 1, "step": 1,
                 "start_s": 900.0, "end_s": 1124.8, "duration_s": 224.8,
                 "distance_m": 1000.0, "distance_measured_m": 1006.2,
                 "distance_basis": "prescribed", "paused_s": 0.0,
                 "pace_s_per_km": 224.8, "target_pace_s_per_km": [220.6, 229.4],
                 "verdict": "on_target",
                 "splits": [ {"distance_m": 500.0, "duration_s": 111.9,
                              "pace_s_per_km": 223.8} ],
                 "pace_uncertainty_pct": 0.9, "borderline": false,
                 "stopped_s": 0.0,
                 "hr_avg_bpm": 171.4, "hr_max_bpm": 178.0, "hr_rise_bpm": 22.0,
                 "hr_end_bpm": null, "hr_drop_60s_bpm": null } ],
  "checks": [ {"id": "rep_pace", "status": "pass", "rep": 1,
               "message": "Rep 1: 3:45/km, on target (3:41-3:49/km).",
               "figures": {"pace_s_per_km": 224.8}} ],
  "notes": [],
  "session": {"hr_drift_pct": 3.2},
  "described": false,
  "unit": "km"
} ] }
```

- `results` holds one object per file, in the order the files were given; every key is always
  present, with `null` where a value is unknown. Keys are never removed or renamed within
  version 1; new keys may be added, so readers should ignore keys they do not know.
- `status` is the worst check: `pass`, `warn`, `fail`, or `error` when the file could not be
  read or checked. Checked without a plan, no check runs: `status` stays `pass` (the contract)
  and `described` is `true` (the table and HTML say "described"); `false` otherwise.
- `unit` (`km` or `mi`) is the unit the reports show paces and distances in (`--unit`, else the
  profile's `unit`); JSON numbers are always metres and s/km. An error result has `error` (one line saying what is wrong),
  `activity: null`, `segments: []` and `checks: []`.
- `score` (0-100) rates how well the session matched the plan; `null` when nothing was scored.
  `plan` is the plan as workoutcheck understood it (`null` when checked without a plan);
  `description` is the session found when checked without a plan (e.g. `6 x ~700 m / ~300 m`);
  `athlete` comes from the profile; `notes` are remarks on the recording or the segmentation.
- `activity.start_time` is ISO 8601 in UTC with `Z`, or `null` when the file has no clock;
  `source` is `fit`, `gpx`, `tcx` or `pwx`.
- `segments` cover the recording in order. `kind` is `warmup`, `rep`, `recovery`, `cooldown` or
  `extra` (running the plan did not ask for); `rep` numbers the reps from 1; `step` is the
  index of the plan step the segment ran (`null` without a plan). `start_s` and `end_s` are
  seconds since the file's first record. A missed rep is a `rep` segment with verdict `missed`
  and `null` times and pace.
- `distance_measured_m` is what the watch measured; `distance_m` is the distance the pace is
  computed from, and `distance_basis` says which it is: `prescribed` where the measurement
  agrees with the plan's distance within GPS error (or the run was on a track), else
  `measured`. `paused_s` is time the timer was stopped inside the segment (it counts in the
  pace).
- `target_pace_s_per_km` is the band `[fastest, slowest]` the plan allows, `null` where there is
  no target. `verdict` is `on_target`, `too_fast`, `too_slow` or `missed` for reps with a
  target, else `null`. `splits` are the segment's per-distance splits.
- `pace_uncertainty_pct` (rep segments that were run; `null` otherwise) is how well this file
  can tell the rep's pace, in % of it (README: "How sure a verdict is"). `verdict` is
  `too_fast` or `too_slow` only when the pace is outside the band by more than this; where a
  band edge lies within it the rep is `on_target` with `borderline: true` (`false` otherwise,
  `null` for segments other than run reps). `stopped_s` is the time the runner stood (or the
  timer was paused) inside the rep; the verdict judges the pace of the running without it.
- Heart rate, `null` where the file has none: `hr_avg_bpm` (time-weighted) and `hr_max_bpm` on
  every timed segment; `hr_rise_bpm` (end less start) on reps; `hr_end_bpm` and
  `hr_drop_60s_bpm` (fall over the first 60 s, `null` if shorter) on recoveries.
  `session.hr_drift_pct` is the heart rate at the same pace, last half of the reps against the
  first, in % (``score.heart``).
- Elevation, `null` without altitude (``score.terrain``): `elevation_gain_m`,
  `elevation_loss_m`, `grade_pct` on every timed segment; `gap_pace_s_per_km` (grade-adjusted
  judged pace, Minetti et al. 2002) and `judged_on_gap` on run reps.
- `checks` are every rule applied, with `rep` naming the rep (or the rep a recovery followed;
  `null` for session-wide checks), a sentence for the runner, and the `figures` behind it.
- Numbers are plain JSON numbers, never NaN or infinity (`null` instead). Seconds are rounded
  to 0.01, metres to 0.1, paces (s/km) and score to 0.1.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from workoutcheck.score.result import Check, FileResult, ScoredSegment, Status
from workoutcheck.segment.result import Split

SCHEMA_VERSION = 1

# How finely each kind of number is written: finer than any watch measures, coarse enough
# that float noise (224.50000000000003) never reaches a reader or a golden file.
SECONDS, METRES, PACE, FIGURE, UNCERTAINTY, BPM = 2, 1, 1, 4, 2, 1


def num(value: float | None, digits: int) -> float | None:
    """A JSON-safe number: None for unknown, NaN or infinite; rounded; never ``-0.0``."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits) + 0.0


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with ``Z``; a naive time is taken to be UTC already (as readers give it)."""
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def to_dict(result: FileResult) -> dict[str, Any]:
    """One file's result as version-1 data, keys in the contract's order."""
    failed = result.status is Status.ERROR
    activity = None
    if result.activity is not None and not failed:
        activity = {
            "start_time": iso_utc(result.activity.start_time),
            "duration_s": num(result.activity.duration_s, SECONDS),
            "distance_m": num(result.activity.distance_m, METRES),
            "source": result.activity.source,
        }
    return {
        "file": result.file,
        "status": result.status.value,
        "error": result.error,
        "score": num(result.score, PACE),
        "plan": result.plan,
        "description": result.description,
        "athlete": result.athlete,
        "activity": activity,
        "segments": [] if failed else [segment_dict(s) for s in result.segments],
        "checks": [] if failed else [check_dict(c) for c in result.checks],
        "notes": list(result.notes),
        "session": {
            "hr_drift_pct": None
            if failed
            else num(result.session_figures.get("hr_drift_pct"), UNCERTAINTY)
        },
        "described": result.described,
        "unit": result.unit,
    }


def segment_dict(scored: ScoredSegment) -> dict[str, Any]:
    """One segment: its times, both distances, pace, target band and verdict."""
    seg = scored.segment
    rep = seg.kind.value == "rep" and not seg.missed
    band = None
    if scored.band is not None:
        band = [num(scored.band[0], PACE), num(scored.band[1], PACE)]
    return {
        "kind": seg.kind.value,
        "rep": seg.rep,
        "step": seg.step,
        "start_s": num(seg.start_s, SECONDS),
        "end_s": num(seg.end_s, SECONDS),
        "duration_s": num(seg.duration_s, SECONDS),
        "distance_m": num(seg.distance_used_m, METRES),
        "distance_measured_m": num(seg.distance_m, METRES),
        "distance_basis": seg.distance_basis,
        "paused_s": num(seg.paused_s, SECONDS),
        "pace_s_per_km": num(seg.pace_s_per_km, PACE),
        "target_pace_s_per_km": band,
        "verdict": None if scored.verdict is None else scored.verdict.value,
        "splits": [split_dict(s) for s in seg.splits],
        "pace_uncertainty_pct": num(scored.pace_uncertainty_pct, UNCERTAINTY) if rep else None,
        "borderline": scored.borderline if rep else None,
        "stopped_s": num(scored.stopped_s, SECONDS) if rep else None,
        "hr_avg_bpm": num(scored.heart.avg_bpm, BPM),
        "hr_max_bpm": num(scored.heart.max_bpm, BPM),
        "hr_rise_bpm": num(scored.heart.rise_bpm, BPM),
        "hr_end_bpm": num(scored.heart.end_bpm, BPM),
        "hr_drop_60s_bpm": num(scored.heart.drop_60s_bpm, BPM),
        "hr_target_bpm": None
        if scored.heart.band_bpm is None
        else [num(b, BPM) for b in scored.heart.band_bpm],
        "hr_in_band_pct": num(scored.heart.in_band_pct, UNCERTAINTY),
        "hr_above_band_pct": num(scored.heart.above_band_pct, UNCERTAINTY),
        "hr_below_band_pct": num(scored.heart.below_band_pct, UNCERTAINTY),
        "elevation_gain_m": num(scored.terrain.gain_m, METRES),
        "elevation_loss_m": num(scored.terrain.loss_m, METRES),
        "grade_pct": num(scored.terrain.grade_pct, UNCERTAINTY),
        "gap_pace_s_per_km": num(scored.terrain.gap_pace_s_per_km, PACE) if rep else None,
        "judged_on_gap": scored.on_gap if rep else None,
    }


def split_dict(split: Split) -> dict[str, Any]:
    return {
        "distance_m": num(split.distance_m, METRES),
        "duration_s": num(split.duration_s, SECONDS),
        "pace_s_per_km": num(split.pace_s_per_km, PACE),
    }


def check_dict(check: Check) -> dict[str, Any]:
    return {
        "id": check.id,
        "status": check.status.value,
        "rep": check.rep,
        "message": check.message,
        "figures": {name: _figure(value) for name, value in check.figures.items()},
    }


def _figure(value: float) -> float | int | None:
    """Counts stay integers ("4 of 5 reps" gives 4, not 4.0); measurements are rounded."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return num(value, FIGURE)


def render_json(results: list[FileResult]) -> str:
    """The whole document, indented, UTF-8 text as is (names like "Zoë" stay readable)."""
    document = {"schema_version": SCHEMA_VERSION, "results": [to_dict(r) for r in results]}
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
