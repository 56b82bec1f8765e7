"""The truth file: what really happened, computed from the TRUE motion, never from the watch.

Format (``truth_version`` 1) is a contract read by the project's tests and benchmarks; only
``extra`` may grow. Times are seconds since the file's first record on the elapsed axis
(pauses included); segments tile [0, duration_s]. Floats are rounded (ms, mm) so the JSON is
byte-stable.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from samplegen.runner import TrueMotion
from samplegen.watch import Recording

TRUTH_VERSION = 1
SPLIT_M = 200.0
BOUNDARY_RULE = (
    "a boundary is the centre of the runner's speed transition: the true "
    "(wobble-free) speed is exactly halfway between the two segments' levels"
)
LINE_RULE = (
    "a boundary is where the change begins: a segment starts at the runner's first "
    "stride (the acceleration belongs to it) and ends at the line (the slowdown after "
    "it belongs to the next segment)"
)
STEP_RULE = (
    "plan steps numbered 0.. in reading order; a repeated step counts once; the repeat "
    "block itself takes no number"
)


def _r(x: float, nd: int = 3) -> float:
    v = round(float(x), nd)
    return 0.0 if v == 0 else v


def rep_splits(motion: TrueMotion, a: float, b: float, every_m: float = SPLIT_M) -> list[dict]:
    """True ``every_m`` splits of the stretch [a, b] (the last may be shorter)."""
    d0, d1 = float(motion.distance_at(a)), float(motion.distance_at(b))
    total = d1 - d0
    marks = list(np.arange(every_m, total - 1e-6, every_m)) + [total]
    times = [a] + [float(x) for x in motion.time_at_distance(d0 + np.array(marks[:-1]))] + [b]
    out, prev = [], 0.0
    for k, m in enumerate(marks):
        out.append({"distance_m": _r(m - prev), "duration_s": _r(times[k + 1] - times[k])})
        prev = m
    return out


def build_truth(
    motion: TrueMotion, rec: Recording, files: list[str], surface: str, extra: dict | None = None
) -> dict:
    sess = motion.session
    dur = rec.duration_s
    segs, targets = [], []
    last = len(sess.segments) - 1
    for i, seg in enumerate(sess.segments):
        a = float(motion.bounds[i])
        b = min(float(motion.bounds[i + 1]), dur)
        if i == last and motion.finish_s is not None:
            b = min(motion.finish_s, b)  # the line; the slowing after it is the tail's
        dist = float(motion.distance_at(b) - motion.distance_at(a))
        segs.append(
            {
                "kind": seg.kind,
                "rep": seg.rep,
                "step": seg.step,
                "start_s": _r(a),
                "end_s": _r(b),
                "distance_m": _r(dist),
                # a standing segment has no pace (its few metres are the ramps of its neighbours)
                "pace_s_per_km": _r((b - a) / dist * 1000.0, 2) if seg.style != "stand" else None,
                "faults": seg.fault_names,
                "splits": rep_splits(motion, a, b) if seg.kind == "rep" else [],
            }
        )
        targets.append(
            {
                "target_pace_s_per_km": seg.pace_s_per_km,
                "style": seg.style,
                "planned_distance_m": seg.distance_m,
                "planned_duration_s": seg.duration_s,
                "faults": [vars(f) for f in seg.faults],
            }
        )
    if motion.finish_s is not None and motion.finish_s < dur:
        # the runner slowing after the last rep's line and standing until the watch stops
        a = motion.finish_s
        dist = float(motion.distance_at(dur) - motion.distance_at(a))
        segs.append(
            {
                "kind": "cooldown",
                "rep": None,
                "step": None,
                "start_s": _r(a),
                "end_s": _r(dur),
                "distance_m": _r(dist),
                "pace_s_per_km": None,
                "faults": [],
                "splits": [],
            }
        )
        targets.append(
            {
                "target_pace_s_per_km": None,
                "style": "stand",
                "planned_distance_m": None,
                "planned_duration_s": None,
                "faults": [],
            }
        )
    ex = {
        "boundary_rule": LINE_RULE if motion.runner.ramp_align == "line" else BOUNDARY_RULE,
        "step_rule": STEP_RULE,
        "segment_targets": targets,
        "runner": motion.runner.describe(),
        "route": motion.route.describe(),
        "watch": rec.settings.describe(),
        "records": int(len(rec.t)),
        "laps": [
            {
                "start_s": _r(l.start_s),
                "end_s": _r(l.end_s),
                "trigger": l.trigger,
                "intensity": l.intensity,
                "wkt_step_index": l.wkt_step_index,
                "distance_m": _r(l.distance_m, 2),
            }
            for l in rec.laps
        ],
        "pauses": [{"start_s": _r(p), "end_s": _r(q)} for p, q in rec.pauses],
        "device_distance_m": _r(rec.distance[-1], 2),
        "timer_s": _r(rec.timer_s),
    }
    if rec.quirks:
        ex["quirks"] = {
            **rec.quirks,
            "ramp_align": motion.runner.ramp_align,
            "transition_ramps_s": motion.notes.get("ramp_s"),
        }
    ex.update(extra or {})
    return {
        "truth_version": TRUTH_VERSION,
        "files": list(files),
        "plan": sess.plan,
        "profile": sess.profile,
        "surface": surface,
        "recording": rec.settings.recording,
        "start_time": rec.start_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": _r(dur),
        "distance_m": _r(motion.distance_at(dur)),
        "segments": segs,
        "missed_reps": list(sess.missed_reps),
        "extra": ex,
    }


def truth_json(truth: dict) -> str:
    return json.dumps(truth, indent=1, sort_keys=False, ensure_ascii=False) + "\n"


def write_truth(truth: dict, path: Path) -> Path:
    path = Path(path)
    path.write_text(truth_json(truth), encoding="utf-8")
    return path
