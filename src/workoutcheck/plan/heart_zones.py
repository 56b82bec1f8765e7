"""Heart-rate bands for plan targets: ``150-160bpm`` as written, ``Z4`` from the profile.

Which zone model is used depends on what the profile gives, the most individual first:

- ``threshold_hr`` (lactate-threshold heart rate): Friel's running zones as % of LTHR
  (J. Friel, "The Triathlete's Training Bible", and his "Quick guide to setting zones"):
  Z1 65-85%, Z2 85-90%, Z3 90-95%, Z4 95-100%, Z5 100-106% (Friel's 5a-5c taken as one).
- ``max_hr`` and ``resting_hr``: Karvonen's heart-rate reserve (Karvonen MJ, Kentala E,
  Mustala O (1957), Ann Med Exp Biol Fenn 35:307-315): rest + f x (max - rest) with
  Z1 50-60%, Z2 60-70%, Z3 70-80%, Z4 80-90%, Z5 90-100% of the reserve.
- ``max_hr`` alone: the same five bands as % of maximum heart rate.

A single heart rate (``155bpm``) is a band of ±``SINGLE_BPM`` around it.
"""

from __future__ import annotations

from workoutcheck.errors import PlanError
from workoutcheck.plan.model import Target, TargetKind
from workoutcheck.plan.profile import Profile

SINGLE_BPM = 5.0
FRIEL_LTHR = {1: (0.65, 0.85), 2: (0.85, 0.90), 3: (0.90, 0.95), 4: (0.95, 1.00), 5: (1.00, 1.06)}
FIVE_ZONES = {1: (0.50, 0.60), 2: (0.60, 0.70), 3: (0.70, 0.80), 4: (0.80, 0.90), 5: (0.90, 1.00)}


def zone_model(profile: Profile | None) -> str | None:
    """ "lthr", "hrr" or "max": the model the profile's heart rates allow, None if none."""
    if profile is None:
        return None
    if profile.threshold_hr is not None:
        return "lthr"
    if profile.max_hr is not None:
        return "hrr" if profile.resting_hr is not None else "max"
    return None


def heart_band(target: Target, profile: Profile | None, step_text: str) -> tuple[float, float, str]:
    """(low bpm, high bpm, how it was found) of a heart-rate target; PlanError for a zone
    the profile cannot place."""
    if target.kind is TargetKind.HEART_RATE:
        if target.amount_to is None:
            return (
                target.amount - SINGLE_BPM,
                target.amount + SINGLE_BPM,
                f"{target.amount:g} bpm ±{SINGLE_BPM:g}",
            )
        return target.amount, target.amount_to, f"{target.amount:g}-{target.amount_to:g} bpm"
    assert target.kind is TargetKind.HR_ZONE
    zone = int(target.amount)
    model = zone_model(profile)
    if model is None:
        where = (
            "no profile was given (use --profile with"
            if profile is None
            else f"profile {profile.source} has no heart rates (add"
        )
        raise PlanError(
            f'plan: "{step_text}": heart-rate zone Z{zone} needs the athlete\'s '
            f"max_hr (with resting_hr) or threshold_hr, but {where} max_hr = 190, "
            "resting_hr = 50 or threshold_hr = 172), or write the band in bpm "
            "(150-160bpm)"
        )
    assert profile is not None
    if model == "lthr":
        lthr = float(profile.threshold_hr)  # type: ignore[arg-type]
        lo, hi = FRIEL_LTHR[zone]
        return lthr * lo, lthr * hi, f"Z{zone}: {lo:.0%}-{hi:.0%} of threshold HR {lthr:g} (Friel)"
    top = float(profile.max_hr)  # type: ignore[arg-type]
    lo, hi = FIVE_ZONES[zone]
    if model == "hrr":
        rest = float(profile.resting_hr)  # type: ignore[arg-type]
        reserve = top - rest
        if reserve <= 0:
            raise PlanError(
                f'plan: "{step_text}": profile {profile.source} gives resting_hr '
                f"{rest:g} at or above max_hr {top:g}; correct one of them"
            )
        return (
            rest + lo * reserve,
            rest + hi * reserve,
            f"Z{zone}: {lo:.0%}-{hi:.0%} of HR reserve, max {top:g}, rest {rest:g} (Karvonen)",
        )
    return top * lo, top * hi, f"Z{zone}: {lo:.0%}-{hi:.0%} of max HR {top:g}"
