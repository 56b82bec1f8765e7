"""Race models from the coaching material, applied to a race step's 200 m splits.

400 m: go out about 1.5 s slower than the 200 m PR, and keep the difference between the two
200 m halves near 1.0 s (Johnson's 43.18 WR: 0.6 s; Freeman 2000: 1.1 s). 1000 m: the first
200 m slightly faster than goal pace, the middle 600 m on goal pace, the last 200 m a kick.
"""

from __future__ import annotations

from workoutcheck.plan import Profile
from workoutcheck.score.result import Check, ScoredSegment, Status
from workoutcheck.score.thresholds import Thresholds
from workoutcheck.units import format_pace


def race_checks(ss: ScoredSegment, profile: Profile | None, th: Thresholds) -> list[Check]:
    seg = ss.segment
    if seg.missed or not seg.splits or not seg.distance_used_m:
        return []
    distance = round(seg.distance_used_m)
    if distance == 400 and len(seg.splits) == 2:
        return _race_400(ss, profile, th)
    if distance == 1000 and len(seg.splits) == 5:
        return _race_1k(ss, th)
    return []


def _grade(error: float, th: Thresholds) -> Status:
    if abs(error) <= th.race400_warn_s:
        return Status.PASS
    return Status.WARN if abs(error) <= th.race400_fail_s else Status.FAIL


def _race_400(ss: ScoredSegment, profile: Profile | None, th: Thresholds) -> list[Check]:
    first, second = (s.duration_s for s in ss.segment.splits)
    differential = second - first
    figures = {"first_200_s": round(first, 1), "second_200_s": round(second, 1), "differential_s": round(differential, 1)}
    checks = []
    pr = profile.race(200.0) if profile is not None else None
    if pr is None:
        checks.append(Check("race_model", Status.WARN,
                            f"400 m race: first 200 m in {first:.1f} s; add the 200 m PR to the profile "
                            f"([races] 200m = \"24.0\") to judge it against PR + {th.race400_offset_s:.1f} s.",
                            ss.segment.rep, dict(figures)))
    else:
        target = pr.time_s + th.race400_offset_s
        error = first - target
        figures_pr = {**figures, "pr_200_s": round(pr.time_s, 2), "target_first_200_s": round(target, 1)}
        if abs(error) <= th.race400_warn_s:
            what = "on the race model"
        elif error < 0:
            what = f"{-error:.1f} s too fast: too close to your 200 m PR, you will pay in the second half"
        else:
            what = f"{error:.1f} s too slow: you can go out faster"
        checks.append(Check("race_model", _grade(error, th),
                            f"400 m race: first 200 m in {first:.1f} s against {target:.1f} s "
                            f"(200 m PR {pr.time_s:.1f} + {th.race400_offset_s:.1f}): {what}.",
                            ss.segment.rep, figures_pr))
    error = differential - th.race400_differential_s
    if abs(error) <= th.race400_warn_s:
        what = "an even race"
    elif error > 0:
        what = "the second half faded: go out a little slower"
    else:
        what = "the first half was too cautious"
    checks.append(Check("race_model", _grade(error, th),
                        f"400 m race: second 200 m in {second:.1f} s, {differential:.1f} s slower than the first "
                        f"(model {th.race400_differential_s:.1f} s): {what}.", ss.segment.rep, figures))
    return checks


def _race_1k(ss: ScoredSegment, th: Thresholds) -> list[Check]:
    splits = ss.segment.splits
    goal = ss.target_pace or ss.segment.pace_s_per_km
    assert goal is not None
    first = splits[0].pace_s_per_km or goal
    middle = sum(s.duration_s for s in splits[1:4]) / sum(s.distance_m for s in splits[1:4]) * 1000.0
    last = splits[4].pace_s_per_km or goal
    figures = {"first_200_pace": round(first, 1), "middle_600_pace": round(middle, 1),
               "last_200_pace": round(last, 1), "goal_pace": round(goal, 1)}
    faults = []
    if first > goal:
        faults.append("the first 200 m went out slower than goal pace")
    elif first < goal * 0.95:
        faults.append("the first 200 m went out much too fast")
    if abs(middle / goal - 1) > th.race1k_middle_warn:
        faults.append(f"the middle 600 m were off goal pace ({format_pace(middle)} against {format_pace(goal)})")
    if last >= middle:
        faults.append("no kick: the last 200 m were not faster than the middle")
    status = Status.WARN if faults else Status.PASS
    text = "; ".join(faults) if faults else "out slightly fast, settled on goal pace, then kicked: as the model asks"
    return [Check("race_model", status,
                  f"1000 m race: 200 m {format_pace(first)}, 600 m {format_pace(middle)}, 200 m {format_pace(last)}: {text}.",
                  ss.segment.rep, figures)]
