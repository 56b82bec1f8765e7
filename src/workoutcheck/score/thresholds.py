"""Every threshold, by name, each overridable (``--set id.name=value``).

A check's thresholds and their defaults are in its rule (``score/rules.py``); the ones here
are shared by several checks. The defaults follow the coaching material: ±2% of target pace
is the coach's tolerance; a rep is "even" when its 200 m splits vary by under 4%; a start
more than 4% quicker than the rest of the rep is the classic fault; a 400 m race goes out
1.5 s slower than the 200 m PR with about 1.0 s between the halves.
"""

from __future__ import annotations

from workoutcheck.errors import UsageError
from workoutcheck.score.rules import THRESHOLDS

SHARED = {
    # pace uncertainty (see score/uncertainty.py): one boundary's timing error (s) where the
    # samples decide it, where a device lap does, and where the samples confirm that lap; the
    # distance basis (% of the distance)
    "uncertainty_boundary_s": 1.0,
    "uncertainty_lap_s": 1.0,
    "uncertainty_confirmed_lap_s": 0.4,
    "uncertainty_prescribed_pct": 0.5,
    "uncertainty_gps_pct": 3.0,
    # hills (score/terrain.py): a rep whose grade varies along it by more than this (standard
    # deviation, % grade: rolling ground) is judged on grade-adjusted pace; uphill reps always are
    "gap_grade_sd_pct": 2.0,
}
DEFAULTS: dict[str, float] = {**THRESHOLDS, **SHARED}


class Thresholds:
    """The thresholds the checks read, as attributes (``th.fade_warn``): the defaults, with
    any given by name replacing theirs (``Thresholds(fade_warn=0.05)``). Immutable."""

    _values: dict[str, float]

    def __init__(self, **values: float) -> None:
        unknown = sorted(set(values) - DEFAULTS.keys())
        if unknown:
            raise TypeError(f"Thresholds has no threshold named {', '.join(unknown)}")
        self.__setstate__({**DEFAULTS, **values})

    @staticmethod
    def names() -> tuple[str, ...]:
        return tuple(DEFAULTS)

    def __getattr__(self, name: str) -> float:  # only for a name that is not a threshold
        raise AttributeError(f"Thresholds has no threshold named {name!r}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Thresholds are immutable: make new ones with replace()")

    def __getstate__(self) -> dict[str, float]:
        return self._values

    def __setstate__(self, state: dict[str, float]) -> None:
        # each threshold an attribute of its own, read at plain attribute speed
        self.__dict__.update(state)
        self.__dict__["_values"] = dict(state)

    def replace(self, **changes: float) -> Thresholds:
        return Thresholds(**{**self._values, **changes})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Thresholds) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def __repr__(self) -> str:
        return f"Thresholds({', '.join(f'{k}={v!r}' for k, v in self._values.items())})"


def with_overrides(base: Thresholds, items: list[str]) -> Thresholds:
    """Apply ``name=value`` overrides (names as in ``Thresholds``, e.g. fade_warn=0.05)."""
    known = set(Thresholds.names())
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
    return base.replace(**changes)
