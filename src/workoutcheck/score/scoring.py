"""The session score, 0-100: how well the session was run as prescribed.

    score = 100 x (0.5 x pace + 0.3 x evenness + 0.2 x recovery)

- pace: per planned rep, 1 inside the target band (or outside it by less than the pace's
  uncertainty), falling linearly to 0 at three tolerances beyond that; the pace judged is the
  running, stops inside the rep left out; a missed rep counts 0. Reps without a target are left out.
- evenness: per rep run, 1 - (coefficient of variation of its split paces) / 8%, at least 0.
- recovery: per prescribed recovery, 1 within 25% of the prescription, falling linearly to 0
  at 100% off; a jog stood through counts 0.5.
A part with nothing to measure (no targets, no splits, no prescribed recoveries) is left out
and the weights of the others are scaled up.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.score.result import Check, ScoredSegment, Status
from workoutcheck.score.rules import SCORE_PART

WEIGHTS = {"pace": 0.5, "evenness": 0.3, "recovery": 0.2}


def session_score(segments: list[ScoredSegment], checks: list[Check]) -> float | None:
    parts: dict[str, list[float]] = {"pace": [], "evenness": [], "recovery": []}
    for ss in segments:
        seg = ss.segment
        if seg.kind.value != "rep":
            continue
        if seg.missed:
            if ss.band is not None:
                parts["pace"].append(0.0)
            continue
        if ss.band is not None and ss.target_pace and seg.pace_s_per_km:
            half = max((ss.band[1] - ss.band[0]) / 2, 0.5)
            outside = ss.outside_band_s_per_km or 0.0
            parts["pace"].append(float(np.clip(1.0 - outside / (3 * half), 0.0, 1.0)))
    for check in checks:
        part = SCORE_PART.get(check.id)  # which part a check feeds: rules.py
        if part == "evenness" and "cv" in check.figures:
            parts["evenness"].append(float(np.clip(1.0 - check.figures["cv"] / 0.08, 0.0, 1.0)))
        elif part == "recovery":
            if "off" in check.figures:
                off = abs(check.figures["off"])
                parts["recovery"].append(
                    float(np.clip(1.0 - max(off - 0.25, 0.0) / 0.75, 0.0, 1.0))
                )
            elif check.status is Status.WARN:
                parts["recovery"].append(0.5)
    used = {k: float(np.mean(v)) for k, v in parts.items() if v}
    if not used:
        return None
    weight = sum(WEIGHTS[k] for k in used)
    return round(100.0 * sum(WEIGHTS[k] * v for k, v in used.items()) / weight, 1)
