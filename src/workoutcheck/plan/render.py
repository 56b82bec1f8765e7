"""Resolved plans as plain data (for ``--format json``) and as a plain-text table.

No rich here: the CLI decides how to draw; these functions return dicts, rows of strings
and a fixed-width fallback so the library stays usable without any terminal dependency.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workoutcheck.model.text import format_time
from workoutcheck.plan.paces import pace_views
from workoutcheck.plan.resolve import ResolvedPlan, ResolvedStep

STEP_COLUMNS = (
    "step",
    "kind",
    "rep",
    "length",
    "target /km",
    "/mile",
    "/400m",
    "/100m",
    "band /km",
    "tolerance",
    "from",
)


# Dropped first to last until the plan table fits the terminal (80 columns keeps the rest).
PLAN_OPTIONAL = ("from", "/100m", "/mile", "/400m", "tolerance")


def table_width(header: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """Columns a boxed table needs: each cell padded by one space each side, plus rules."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    return sum(w + 3 for w in widths) + 1


def fit_columns(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    optional: Sequence[str] = PLAN_OPTIONAL,
) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
    """The table with optional columns left out, in order, until it fits ``width``; None
    when even the essential columns do not fit (then print one line per step)."""
    keep = list(range(len(header)))
    for name in optional:
        if table_width([header[i] for i in keep], [[r[i] for i in keep] for r in rows]) <= width:
            break
        if name in header:
            keep.remove(list(header).index(name))
    sub_h = tuple(header[i] for i in keep)
    sub_r = [tuple(r[i] for i in keep) for r in rows]
    return (sub_h, sub_r) if table_width(sub_h, sub_r) <= width else None


def step_lines(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """One line per step ("step 1: work, rep 1, 1000 m, target /km 3:45, ..."), for narrow screens."""
    return [
        f"step {r[0]}: "
        + ", ".join(
            f"{h} {v}" if h not in ("kind", "length") else v
            for h, v in zip(header[1:], r[1:], strict=False)
            if v
        )
        for r in rows
    ]


def _length_text(s: ResolvedStep) -> str:
    if s.distance_m is not None:
        return f"{s.distance_m:g} m"
    if s.equal_to_rep:
        return f"= rep ({format_time(s.duration_s)})" if s.duration_s else "= rep"
    if s.duration_s is not None:
        return format_time(s.duration_s)
    return "open"


def _kind_text(s: ResolvedStep) -> str:
    kind = s.kind.value
    if s.style is not None and s.kind.value == "recovery":
        kind = f"recovery ({s.style.value})"
    if s.implicit:
        kind = "recovery (unprescribed)"
    return kind + (", optional" if s.optional and not s.implicit else "")


def step_dict(s: ResolvedStep, index: int) -> dict[str, Any]:
    """One step as JSON-ready data; paces in s/km plus the text views."""
    d: dict[str, Any] = {
        "index": index,
        "kind": s.kind.value,
        "rep": s.rep,
        "block": s.block,
        "iteration": s.iteration,
        "style": s.style.value if s.style else None,
        "optional": s.optional,
        "implicit": s.implicit,
        "stationary_ok": s.stationary_ok,
        "text": s.text,
        "distance_m": s.distance_m,
        "duration_s": s.duration_s,
        "equal_to_rep": s.equal_to_rep,
        "expected_s": s.expected_s,
        "expected_m": s.expected_m,
        "pace_s_per_km": s.pace_s_per_km,
        "band_s_per_km": (
            [s.fastest_s_per_km, s.slowest_s_per_km] if s.fastest_s_per_km is not None else None
        ),
        "tolerance": s.tolerance,
        "basis": s.basis,
        "model": s.model,
        "terrain": s.terrain,
        "hr_band_bpm": [s.hr_low_bpm, s.hr_high_bpm] if s.hr_low_bpm is not None else None,
        "hr_basis": s.hr_basis,
    }
    if s.pace_s_per_km is not None:
        d["pace"] = pace_views(s.pace_s_per_km)
    return d


def plan_dict(rp: ResolvedPlan) -> dict[str, Any]:
    """The whole resolved plan as JSON-ready data."""
    return {
        "name": rp.plan.name,
        "text": rp.plan.text,
        "athlete": rp.athlete,
        "race_model": rp.race_model,
        "unit": rp.unit,
        "reps": len(rp.reps),
        "notes": list(rp.notes),
        "steps": [step_dict(s, i) for i, s in enumerate(rp.steps, 1)],
    }


def plan_rows(rp: ResolvedPlan) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(header, rows) of strings, one row per step, for any table renderer; a plan with
    heart-rate targets gains a "bpm" column after the pace band."""
    rows: list[tuple[str, ...]] = []
    for i, s in enumerate(rp.steps):  # from 0: the `step` of check JSON/CSV
        views = pace_views(s.pace_s_per_km) if s.pace_s_per_km is not None else {}
        band = ""
        if s.fastest_s_per_km is not None and s.slowest_s_per_km is not None:
            band = f"{format_time(s.fastest_s_per_km)}-{format_time(s.slowest_s_per_km)}"
        rows.append(
            (
                str(i),
                _kind_text(s),
                str(s.rep or ""),
                _length_text(s),
                views.get("per_km", "").removesuffix("/km"),
                views.get("per_mile", "").removesuffix("/mi"),
                views.get("per_400m", ""),
                views.get("per_100m", ""),
                band,
                s.tolerance or "",
                s.basis or s.hr_basis or "",
            )
        )
    if not any(s.hr_low_bpm is not None for s in rp.steps):
        return STEP_COLUMNS, rows
    at = STEP_COLUMNS.index("band /km") + 1
    bpm = [_bpm_text(s) for s in rp.steps]
    return (*STEP_COLUMNS[:at], "bpm", *STEP_COLUMNS[at:]), [
        (*r[:at], b, *r[at:]) for r, b in zip(rows, bpm, strict=True)
    ]


def _bpm_text(s: ResolvedStep) -> str:
    if s.hr_low_bpm is None or s.hr_high_bpm is None:
        return ""
    return f"{s.hr_low_bpm:.0f}-{s.hr_high_bpm:.0f}"


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A fixed-width table with a rule under the header."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows]
    return "\n".join(lines)


def plan_text(rp: ResolvedPlan) -> str:
    """What ``workoutcheck plan`` prints without rich: title, canonical text and the table."""
    head = [f"plan: {rp.plan.text.splitlines()[-1]}"]
    if rp.plan.name:
        head.insert(0, rp.plan.name)
    if rp.athlete:
        head.append(f"athlete: {rp.athlete} (race paces by {rp.race_model})")
    return "\n".join(head) + "\n\n" + text_table(*plan_rows(rp))
