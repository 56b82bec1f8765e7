"""What the runner sets out to do: the true segments of a session, before any physics or watch.

A session is the runner's *intent*, segment by segment, including their mistakes (faults,
a missed rep). The coach's plan text rides along only so the truth file can quote it; the
generator never parses it (the project's plan parser is what the samples are meant to test).

Plan step index convention (``Segment.step``): the plan's written steps are numbered 0, 1, 2 ...
in reading order; a step inside a repeat block is numbered once, however often it repeats, and
the repeat block itself takes no number. ``15min easy; 5x(1000m @ 3:45/km, 400m jog); 10min easy``
-> 0 warm-up, 1 the 1000 m rep, 2 the jog, 3 the cool-down.

A repeat block ``5x(1000m, 400m jog)`` is run as written: five reps and five jogs, the last
jog before the cool-down included (the plan parser expands it the same way). A plan written out
step by step without a final jog (``final_recovery=False``) ends on its last rep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

KINDS = ("warmup", "rep", "recovery", "cooldown", "extra")
STYLES = ("run", "jog", "walk", "stand")


@dataclass(frozen=True)
class Fault:
    """A pacing mistake in one rep.

    ``fast_start``: the first ``fraction`` of the rep's time is run ``amount`` faster (speed),
    the rest slower so the rep's average pace is off by ``net`` (0 = on target on average).
    ``off_pace``: the whole rep's pace is ``amount`` slower (positive) or faster (negative).
    """

    kind: str
    amount: float
    fraction: float = 0.28
    net: float = 0.0

    def __post_init__(self):
        if self.kind not in ("fast_start", "off_pace"):
            raise ValueError(f"unknown fault {self.kind!r}")


@dataclass(frozen=True)
class Segment:
    """One true segment. Exactly one of ``distance_m`` / ``duration_s`` sets its length.

    ``pace_s_per_km`` is the intended pace (None for standing). ``splits`` optionally fixes the
    time of consecutive sub-pieces exactly: ``((200, 25.5), (200, 26.5))`` for a 400 m race run
    25.5 + 26.5; their distances must add up to ``distance_m``. ``wkt_step`` is the index of the
    FIT workout step this segment runs (defaults to ``step``).
    """

    kind: str
    pace_s_per_km: float | None
    distance_m: float | None = None
    duration_s: float | None = None
    rep: int | None = None
    step: int | None = None
    style: str = "run"
    faults: tuple[Fault, ...] = ()
    splits: tuple[tuple[float, float], ...] = ()
    wkt_step: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown segment kind {self.kind!r}")
        if self.style not in STYLES:
            raise ValueError(f"unknown style {self.style!r}")
        if (self.distance_m is None) == (self.duration_s is None):
            raise ValueError("give exactly one of distance_m, duration_s")
        if self.style == "stand" and self.duration_s is None:
            raise ValueError("a standing segment is timed, not measured")
        if self.style != "stand" and not self.pace_s_per_km:
            raise ValueError("a moving segment needs a pace")
        if self.splits and abs(sum(d for d, _ in self.splits) - (self.distance_m or -1)) > 1e-6:
            raise ValueError("splits must add up to the segment distance")

    @property
    def fault_names(self) -> list[str]:
        return [f.kind for f in self.faults]


@dataclass(frozen=True)
class Session:
    """A whole session: the plan text, its true segments, and what the truth file needs."""

    plan: str
    segments: tuple[Segment, ...]
    missed_reps: tuple[int, ...] = ()
    profile: dict | None = None

    def __post_init__(self):
        if not self.segments:
            raise ValueError("empty session")


@dataclass(frozen=True)
class Block:
    """Length and pace of one kind of step, for building sessions: ``Block(distance_m=400,
    pace_s_per_km=390, style="jog")`` or ``Block(duration_s=60, style="stand")``."""

    distance_m: float | None = None
    duration_s: float | None = None
    pace_s_per_km: float | None = None
    style: str = "run"


def _seg(kind: str, b: Block, **kw) -> Segment:
    return Segment(
        kind=kind,
        pace_s_per_km=b.pace_s_per_km,
        distance_m=b.distance_m,
        duration_s=b.duration_s,
        style=b.style,
        **kw,
    )


def _add_recovery(segs: list[Segment], new: Segment) -> None:
    """Append a recovery, merging it into the previous recovery when both are run the same way
    (same style and pace, both measured by distance or both by time)."""
    prev = segs[-1] if segs else None
    if (
        prev is not None
        and prev.kind == "recovery"
        and prev.style == new.style
        and prev.pace_s_per_km == new.pace_s_per_km
        and (prev.distance_m is None) == (new.distance_m is None)
    ):
        segs[-1] = replace(
            prev,
            distance_m=None if prev.distance_m is None else prev.distance_m + new.distance_m,
            duration_s=None if prev.duration_s is None else prev.duration_s + new.duration_s,
        )
    else:
        segs.append(new)


def interval_session(
    plan: str,
    reps: Sequence[Block],
    recovery: Block | Sequence[Block],
    *,
    warmup: Block | None = None,
    cooldown: Block | None = None,
    faults: dict[int, Sequence[Fault]] | None = None,
    missed_reps: Sequence[int] = (),
    distinct_steps: bool = False,
    final_recovery: bool = True,
    profile: dict | None = None,
) -> Session:
    """Expand a warm-up / N reps with recoveries / cool-down session into true segments.

    ``reps`` has one Block per planned rep (so paces may differ, as in a progressive session).
    ``distinct_steps`` numbers every rep and recovery as its own plan step (a plan written out
    step by step, e.g. ``1000m @ 5:30/km, 400m jog, 1000m @ 5:10/km, ...``) instead of one
    repeated pair. A missed rep is jogged at recovery pace and merged with the recoveries on
    either side into one long recovery, so segments still tile the run. ``final_recovery``
    says whether the recovery after the last rep is run (it is when the plan writes a repeat
    block such as ``5x(1000m, 400m jog)``).
    """
    faults = faults or {}
    n = len(reps)
    recs = list(recovery) if isinstance(recovery, (list, tuple)) else [recovery] * n
    step0 = 1 if warmup is not None else 0
    segs: list[Segment] = []
    if warmup is not None:
        segs.append(_seg("warmup", warmup, step=0))
    for i in range(1, n + 1):
        rep_step = step0 + (2 * (i - 1) if distinct_steps else 0)
        rec_step = rep_step + 1
        last = i == n
        if i in missed_reps:
            # jogged through at recovery pace, merged with the recoveries either side
            b, rb = reps[i - 1], recs[i - 1]
            jog = Block(
                distance_m=b.distance_m,
                duration_s=b.duration_s,
                pace_s_per_km=rb.pace_s_per_km or 400.0,
                style="jog",
            )
            rep_no = i - 1 if i > 1 else None
            _add_recovery(segs, _seg("recovery", jog, rep=rep_no, step=rec_step))
            if not (last and not final_recovery):
                _add_recovery(segs, _seg("recovery", recs[i - 1], rep=rep_no, step=rec_step))
            continue
        segs.append(_seg("rep", reps[i - 1], rep=i, step=rep_step, faults=tuple(faults.get(i, ()))))
        if not (last and not final_recovery):
            segs.append(_seg("recovery", recs[i - 1], rep=i, step=rec_step))
    if cooldown is not None:
        if distinct_steps:
            cd_step = step0 + 2 * n - (0 if final_recovery else 1)
        else:
            cd_step = step0 + 2
        segs.append(_seg("cooldown", cooldown, step=cd_step))
    return Session(
        plan=plan, segments=tuple(segs), missed_reps=tuple(sorted(missed_reps)), profile=profile
    )
