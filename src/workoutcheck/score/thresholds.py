"""Every check's default threshold, in one place, each overridable (``--set id.name=value``).

The defaults follow the coaching material: ±2% of target pace is the coach's tolerance; a rep
is "even" when its 200 m splits vary by under 4%; a start more than 4% quicker than the rest
of the rep is the classic fault; a 400 m race goes out 1.5 s slower than the 200 m PR with
about 1.0 s between the halves.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from workoutcheck.errors import UsageError


@dataclass(frozen=True)
class Thresholds:
    # rep_pace: outside the band is a warning; beyond this many tolerances off it fails
    rep_pace_fail_tolerances: float = 2.0
    # even_effort: coefficient of variation of a rep's split paces
    even_effort_warn_cv: float = 0.04
    even_effort_fail_cv: float = 0.08
    # start_too_fast: the first quarter of a rep this much quicker than the rest
    start_fast_warn: float = 0.04
    start_fast_fail: float = 0.08
    start_fast_fraction: float = 0.25
    # first_rep_too_fast: rep 1 this much quicker than the median of the others
    first_rep_warn: float = 0.03
    first_rep_fail: float = 0.06
    # fade: fitted slowing from the first rep to the last (relative to the targets)
    fade_warn: float = 0.03
    fade_fail: float = 0.06
    # consistency: spread (coefficient of variation) of rep paces relative to their targets
    consistency_warn_cv: float = 0.03
    consistency_fail_cv: float = 0.06
    # recovery: longer or shorter than prescribed by this fraction
    recovery_warn: float = 0.25
    recovery_fail: float = 0.60
    recovery_stood_speed: float = 1.0  # m/s: slower than this over a jog means the runner stood
    # race_model (400 m): first 200 m against 200 m PR + offset; 200-200 differential
    race400_offset_s: float = 1.5
    race400_differential_s: float = 1.0
    race400_warn_s: float = 0.5
    race400_fail_s: float = 1.0
    # race_model (1000 m): first 200 m quicker than goal pace, last 200 m quicker than the middle
    race1k_middle_warn: float = 0.02
    # tempo_even: a continuous run's first fifth against the rest
    tempo_start_warn: float = 0.03
    tempo_start_fail: float = 0.06
    # rep_stopped: a stop inside a rep (distance rising slower than this, for this long)
    rep_stopped_speed: float = 1.0  # m/s
    rep_stopped_min_s: float = 5.0
    # rep_length: a rep cut short or run long (measured distance or time against the plan)
    rep_length_warn: float = 0.06
    rep_length_fail: float = 0.15
    # pace uncertainty (see score/uncertainty.py): one boundary's timing error (s) where the
    # samples decide it, where a device lap does, and where the samples confirm that lap; the
    # distance basis (% of the distance)
    uncertainty_boundary_s: float = 1.0
    uncertainty_lap_s: float = 1.0
    uncertainty_confirmed_lap_s: float = 0.4
    uncertainty_prescribed_pct: float = 0.5
    uncertainty_gps_pct: float = 3.0
    # hills (score/terrain.py): a rep whose grade varies along it by more than this (standard
    # deviation, % grade: rolling ground) is judged on grade-adjusted pace; uphill reps always are
    gap_grade_sd_pct: float = 2.0
    # recovered (profiles with max_hr or threshold_hr): the heart rate at a recovery's end over
    # this fraction of the rep's maximum warns
    recovered_fraction: float = 0.85
    # heart-rate targets (150-160bpm, Z4): the share of a rep, after its first 60 s, that the
    # heart rate spent in the band: under warn warns, under fail fails
    hr_band_warn_share: float = 0.7
    hr_band_fail_share: float = 0.4


def with_overrides(base: Thresholds, items: list[str]) -> Thresholds:
    """Apply ``name=value`` overrides (names as in ``Thresholds``, e.g. fade_warn=0.05)."""
    known = {f.name for f in fields(Thresholds)}
    changes = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().replace(".", "_").replace("-", "_")
        if not sep or name not in known:
            raise UsageError(
                f"--set {item!r}: expected NAME=NUMBER with NAME one of: {', '.join(sorted(known))}"
            )
        try:
            changes[name] = float(value)
        except ValueError:
            raise UsageError(f"--set {item!r}: {value!r} is not a number") from None
    return replace(base, **changes)
