"""Race models from the coaching material, applied to a race step's 200 m splits.

400 m: go out about 1.5 s slower than the 200 m PR, and keep the difference between the two
200 m halves near 1.0 s (Johnson's 43.18 WR: 0.6 s; Freeman 2000: 1.1 s). 1000 m: the first
200 m slightly faster than goal pace, the middle 600 m on goal pace, the last 200 m a kick.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from workoutcheck.model import Activity
from workoutcheck.model.text import format_pace
from workoutcheck.plan import Profile
from workoutcheck.score.result import Check, ScoredSegment, Status
from workoutcheck.score.uncertainty import COVERAGE, boundary_sigmas, split_time_sigma
from workoutcheck.segment import Segment

if TYPE_CHECKING:
    from workoutcheck.score.thresholds import Thresholds

NO_NOISE = (0.0, 0.0, 0.0)


def split_noise_s(
    activity: Activity, seg: Segment, laps_used: bool, lag_s: float, th: Thresholds
) -> tuple[float, float, float]:
    """One standard error (s) of the race's start, of a split mark inside it, and of its end."""
    if seg.start_s is None or seg.end_s is None:
        return NO_NOISE
    start, end = boundary_sigmas(activity, seg, laps_used, lag_s, th)
    return start, split_time_sigma(activity, (seg.start_s + seg.end_s) / 2, lag_s), end


def race_checks(
    ss: ScoredSegment,
    profile: Profile | None,
    th: Thresholds,
    noise: tuple[float, float, float] = NO_NOISE,
) -> list[Check]:
    """The race model for a 400 m or 1000 m race step; ``noise`` (start, mark, end sigmas)
    widens each grade so a fault is flagged only beyond what the file's timing can tell."""
    seg = ss.segment
    if seg.missed or not seg.splits or not seg.distance_used_m:
        return []
    distance = round(seg.distance_used_m)
    if distance == 400 and len(seg.splits) == 2:
        return _race_400(ss, profile, th, noise)
    if distance == 1000 and len(seg.splits) == 5:
        return _race_1k(ss, th, noise)
    return []


def _grade(error: float, th: Thresholds, margin: float = 0.0) -> Status:
    if abs(error) <= th.race400_warn_s + margin:
        return Status.PASS
    return Status.WARN if abs(error) <= th.race400_fail_s + margin else Status.FAIL


def _race_400(
    ss: ScoredSegment, profile: Profile | None, th: Thresholds, noise: tuple[float, float, float]
) -> list[Check]:
    s_start, s_mark, s_end = noise
    first_margin = COVERAGE * math.hypot(s_start, s_mark)
    diff_margin = COVERAGE * math.sqrt(s_start**2 + 4 * s_mark**2 + s_end**2)
    first, second = (s.duration_s for s in ss.segment.splits)
    differential = second - first
    figures = {
        "first_200_s": round(first, 1),
        "second_200_s": round(second, 1),
        "differential_s": round(differential, 1),
    }
    checks = []
    pr = profile.race(200.0) if profile is not None else None
    if pr is None:
        checks.append(
            Check(
                "race_model",
                Status.WARN,
                f"400 m race: first 200 m in {first:.1f} s; add the 200 m PR to the profile "
                f'([races] 200m = "24.0") to judge it against PR + {th.race400_offset_s:.1f} s.',
                ss.segment.rep,
                dict(figures),
            )
        )
    else:
        target = pr.time_s + th.race400_offset_s
        error = first - target
        figures_pr = {
            **figures,
            "pr_200_s": round(pr.time_s, 2),
            "target_first_200_s": round(target, 1),
        }
        if abs(error) <= th.race400_warn_s + first_margin:
            what = "on the race model"
        elif error < 0:
            what = f"{-error:.1f} s too fast: too close to your 200 m PR, you will pay in the second half"
        else:
            what = f"{error:.1f} s too slow: you can go out faster"
        checks.append(
            Check(
                "race_model",
                _grade(error, th, first_margin),
                f"400 m race: first 200 m in {first:.1f} s against {target:.1f} s "
                f"(200 m PR {pr.time_s:.1f} + {th.race400_offset_s:.1f}): {what}.",
                ss.segment.rep,
                figures_pr,
            )
        )
    error = differential - th.race400_differential_s
    if abs(error) <= th.race400_warn_s + diff_margin:
        what = "an even race"
    elif error > 0:
        what = "the second half faded: go out a little slower"
    else:
        what = "the first half was too cautious"
    checks.append(
        Check(
            "race_model",
            _grade(error, th, diff_margin),
            f"400 m race: second 200 m in {second:.1f} s, {differential:.1f} s slower than the first "
            f"(model {th.race400_differential_s:.1f} s): {what}.",
            ss.segment.rep,
            figures,
        )
    )
    return checks


def _race_1k(ss: ScoredSegment, th: Thresholds, noise: tuple[float, float, float]) -> list[Check]:
    splits = ss.segment.splits
    s_start, s_mark, s_end = noise
    goal = ss.target_pace or ss.segment.pace_s_per_km
    assert goal is not None
    first = splits[0].pace_s_per_km or goal
    middle = (
        sum(s.duration_s for s in splits[1:4]) / sum(s.distance_m for s in splits[1:4]) * 1000.0
    )
    last = splits[4].pace_s_per_km or goal
    figures = {
        "first_200_pace": round(first, 1),
        "middle_600_pace": round(middle, 1),
        "last_200_pace": round(last, 1),
        "goal_pace": round(goal, 1),
    }
    # how far each figure can be off, as a fraction of its pace
    first_noise = COVERAGE * math.hypot(s_start, s_mark) / max(splits[0].duration_s, 1e-9)
    middle_noise = (
        COVERAGE * math.sqrt(2) * s_mark / max(sum(s.duration_s for s in splits[1:4]), 1e-9)
    )
    last_noise = COVERAGE * math.hypot(s_mark, s_end) / max(splits[4].duration_s, 1e-9)
    faults = []
    if first > goal * (1 + first_noise):
        faults.append("the first 200 m went out slower than goal pace")
    elif first < goal * (0.95 - first_noise):
        faults.append("the first 200 m went out much too fast")
    if abs(middle / goal - 1) > th.race1k_middle_warn + middle_noise:
        faults.append(
            f"the middle 600 m were off goal pace ({format_pace(middle)} against {format_pace(goal)})"
        )
    if last >= middle * (1 + math.hypot(last_noise, middle_noise)):
        faults.append("no kick: the last 200 m were not faster than the middle")
    status = Status.WARN if faults else Status.PASS
    text = (
        "; ".join(faults)
        if faults
        else "out slightly fast, settled on goal pace, then kicked: as the model asks"
    )
    return [
        Check(
            "race_model",
            status,
            f"1000 m race: 200 m {format_pace(first)}, 600 m {format_pace(middle)}, 200 m {format_pace(last)}: {text}.",
            ss.segment.rep,
            figures,
        )
    ]
