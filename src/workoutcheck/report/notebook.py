"""What a coach would write down, shared by the text table and the HTML page.

The results keep every segment (JSON and CSV list them all); a person reads fewer, plainer
rows: the unplanned running before the first rep is one warm-up row with its strides named in
it, a recovery stood through says "stood 0:58" instead of a pace like 57:23/km, a walk shows
its time and distance, and advice repeated for several reps is said once with the reps listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from workoutcheck.model.text import (
    format_distance,
    format_duration,
    format_pace,
    format_pace_uncertain,
    pace_from,
    per_unit,
)
from workoutcheck.score.result import Check, FileResult, ScoredSegment, Status, Verdict
from workoutcheck.segment.result import SegmentKind

STOOD_BELOW_MPS = 0.6  # slower than this on average (under 36 m a minute): standing, not moving
WALK_BELOW_MPS = 1.75  # 9:31/km: slower than the slowest jog, a walk
STRIDE_MAX_S = 45.0  # an unplanned effort this short in a warm-up is a stride
PRESCRIBED_MARK = "*"
KIND_LABEL = {
    SegmentKind.WARMUP: "warm-up",
    SegmentKind.REP: "rep",
    SegmentKind.RECOVERY: "recovery",
    SegmentKind.COOLDOWN: "cool-down",
    SegmentKind.EXTRA: "extra",
}


@dataclass(frozen=True)
class Row:
    """One printed row: one segment, or the warm-up with the efforts run inside it."""

    label: str
    scored: ScoredSegment  # the segment (for a merged warm-up, its first part)
    start_s: float | None
    duration_s: float | None
    distance: str
    pace: str
    target: str
    verdict: str
    verdict_key: str  # on_target | too_fast | too_slow | missed | "" (not judged)
    kind: str  # the segment kind's value, for styling
    parts: int = 1  # how many segments the row stands for

    def cells(self) -> tuple[str, ...]:
        """The row's columns as printed, before the verdict: every layout shows the same."""
        return (
            self.label,
            format_duration(self.start_s),
            format_duration(self.duration_s, decimals=1),
            self.distance,
            self.pace,
            self.target,
        )


def segment_label(scored: ScoredSegment) -> str:
    """ "warm-up", "rep 3", "recovery", "cool-down", "extra"."""
    seg = scored.segment
    if seg.kind is SegmentKind.REP and seg.rep is not None:
        return f"rep {seg.rep}"
    return KIND_LABEL[seg.kind]


def band_text(scored: ScoredSegment, unit: str = "km") -> str:
    """The target as a band, "3:41-3:50/km"; a single pace when the band has no width; a
    heart-rate target's band, "166-180 bpm"."""
    if scored.band is None and scored.target_pace is None and scored.heart.band_bpm is not None:
        low, high = scored.heart.band_bpm
        return f"{low:.0f}-{high:.0f} bpm"
    if scored.band is None:
        return format_pace(scored.target_pace, unit=unit) if scored.target_pace is not None else ""
    fastest, slowest = (per_unit(p, unit) for p in scored.band)
    if format_duration(fastest) == format_duration(slowest):
        return format_pace(scored.band[0], unit=unit)
    return f"{format_duration(fastest)}-{format_pace(scored.band[1], unit=unit)}"


def verdict_text(scored: ScoredSegment, unit: str = "km") -> str:
    """ "on target" (with "(borderline)" where a band edge lies within the pace's uncertainty),
    "7 s/km fast", "12 s/km slow", "missed", "96% in band" (heart-rate targets); empty where
    nothing was judged."""
    verdict = scored.verdict
    pct = scored.heart.in_band_pct
    if scored.band is None and pct is not None and not scored.segment.missed:
        way = {Verdict.TOO_FAST: ", too high", Verdict.TOO_SLOW: ", too low"}.get(verdict, "")  # type: ignore[arg-type]
        return f"{pct:.0f}% in band{way}"
    if verdict is None:
        return ""
    if verdict is Verdict.ON_TARGET:
        return "on target (borderline)" if scored.borderline else "on target"
    if verdict is Verdict.MISSED:
        return "missed"
    way = "fast" if verdict is Verdict.TOO_FAST else "slow"
    if scored.deviation_s_per_km is None:
        return f"too {way}"
    off = round(abs(per_unit(scored.deviation_s_per_km, unit)))
    return f"{off} s/{unit} {way}" if off >= 1 else f"<1 s/{unit} {way}"


def pace_text(scored: ScoredSegment, unit: str = "km") -> str:
    """The pace, with its uncertainty where that is material to the band: "3:47/km ±1.1%"."""
    pct = scored.pace_uncertainty_pct if scored.shows_uncertainty else None
    return format_pace_uncertain(scored.segment.pace_s_per_km, pct, unit=unit)


def prescribed(scored: ScoredSegment) -> bool:
    seg = scored.segment
    return seg.distance_basis == "prescribed" and seg.distance_used_m is not None


def distance_text(scored: ScoredSegment, unit: str = "km") -> str:
    """The distance the pace uses, marked when it is the plan's rather than the watch's."""
    text = format_distance(scored.segment.distance_used_m, unit=unit)
    return text + PRESCRIBED_MARK if prescribed(scored) else text


def motion(scored: ScoredSegment) -> str:
    """ "stood", "walked" or "ran": how a segment that is not a rep was spent."""
    seg = scored.segment
    if seg.kind is SegmentKind.REP or seg.duration_s is None or seg.duration_s <= 0:
        return "ran"
    speed = (seg.distance_m or 0.0) / seg.duration_s
    if speed < STOOD_BELOW_MPS:
        return "stood"
    return "walked" if speed < WALK_BELOW_MPS else "ran"


def _row(scored: ScoredSegment, unit: str) -> Row:
    seg = scored.segment
    how = motion(scored)
    distance, pace = distance_text(scored, unit), pace_text(scored, unit)
    if how == "stood":
        distance, pace = "", f"stood {format_duration(seg.duration_s)}"
    elif how == "walked":
        pace = "walk"
    return Row(
        segment_label(scored),
        scored,
        seg.start_s,
        seg.duration_s,
        distance,
        pace,
        band_text(scored, unit),
        verdict_text(scored, unit),
        scored.verdict.value if scored.verdict is not None else "",
        seg.kind.value,
    )


def _warmup_row(parts: list[ScoredSegment], unit: str) -> Row:
    """The running before rep 1 as one row, its unplanned efforts named: "with 4 strides"."""
    first, last = parts[0].segment, parts[-1].segment
    start, end = first.start_s, last.end_s
    duration = end - start if start is not None and end is not None else None
    metres = sum(p.segment.distance_m or 0.0 for p in parts)
    efforts = [p.segment for p in parts if p.segment.kind is SegmentKind.EXTRA]
    short = all((e.duration_s or 0.0) <= STRIDE_MAX_S for e in efforts)
    noun = "stride" if short else "effort"
    note = f"with {len(efforts)} {noun}{'s' if len(efforts) != 1 else ''}"
    return Row(
        "warm-up",
        parts[0],
        start,
        duration,
        format_distance(metres, unit=unit),
        format_pace(pace_from(metres, duration), unit=unit),
        "",
        note,
        "",
        "warmup",
        parts=len(parts),
    )


def rows(result: FileResult) -> list[Row]:
    """The rows a person reads: the segments, with everything before the first rep that the
    plan did not ask for folded into one warm-up row."""
    unit = result.unit
    segments = list(result.segments)
    first_rep = next((i for i, s in enumerate(segments) if s.segment.kind is SegmentKind.REP), None)
    lead = segments[:first_rep] if first_rep is not None else []
    out: list[Row] = []
    foldable = all(s.segment.kind in (SegmentKind.WARMUP, SegmentKind.EXTRA) for s in lead)
    if len(lead) > 1 and foldable and any(s.segment.kind is SegmentKind.EXTRA for s in lead):
        out.append(_warmup_row(lead, unit))
        segments = segments[first_rep:]
    out.extend(_row(s, unit) for s in segments)
    return out


@dataclass(frozen=True)
class Problem:
    """A warning or failure as printed: one check, or several with the same advice."""

    status: Status
    id: str
    message: str


def _advice(message: str) -> tuple[str, str] | None:
    """("Rep 2: the first 250 m were 6% quicker than the rest of the rep", "start at the pace
    you can hold") for a rep's message "WHICH: FINDING: ADVICE"; None otherwise."""
    head, sep, advice = message.rstrip(".").rpartition(": ")
    if not sep or ":" not in head:
        return None
    return head, advice


def problems(checks: tuple[Check, ...]) -> list[Problem]:
    """Warnings and failures, failures first; advice given for two or more reps is said once,
    after their findings: "... : start at the pace you can hold (reps 2, 5)"."""
    found = [c for c in checks if c.status is not Status.PASS]
    found.sort(key=lambda c: -c.status.rank)  # stable: same-status checks keep their order
    groups: dict[tuple[Status, str, str], list[tuple[Check, str]]] = {}
    for check in found:
        split = _advice(check.message) if check.rep is not None else None
        if split is not None:
            groups.setdefault((check.status, check.id, split[1]), []).append((check, split[0]))
    out: list[Problem] = []
    done: set[tuple[Status, str, str]] = set()
    for check in found:
        split = _advice(check.message) if check.rep is not None else None
        key = (check.status, check.id, split[1]) if split is not None else None
        group = groups.get(key) if key is not None else None
        if key is None or group is None or len(group) < 2:
            out.append(Problem(check.status, check.id, check.message))
            continue
        if key in done:
            continue
        done.add(key)
        findings = "; ".join(head for _, head in group)
        reps = ", ".join(str(c.rep) for c, _ in group)
        out.append(Problem(check.status, check.id, f"{findings}: {key[2]} (reps {reps})."))
    return out


def summary_line(result: FileResult) -> str | None:
    """For a file checked without a plan in which no interval session was found: one line,
    "10.0 km in 51:57, 5:11/km", instead of a table of one segment."""
    act = result.activity
    if result.plan or act is None or result.reps or len(result.segments) > 1:
        return None
    metres = act.distance_m
    pace = format_pace(pace_from(metres, act.duration_s), unit=result.unit)
    return (
        f"{format_distance(metres, unit=result.unit)} in {format_duration(act.duration_s)}, {pace}"
    )


def squad_unit(results: list[FileResult] | tuple[FileResult, ...]) -> str:
    """The unit of a squad's matrix: the one every checked file is reported in, else km."""
    units = {r.unit for r in results if r.status is not Status.ERROR}
    return units.pop() if len(units) == 1 else "km"


def activity_line(result: FileResult) -> str | None:
    """ "FIT, started 2026-05-01 06:00 UTC, 57:18, 11.2 km": the recording in one line (a
    start in another zone converted to UTC, never relabelled); None without an activity."""
    act = result.activity
    if act is None:
        return None
    start = "start unknown"
    if act.start_time is not None:
        moment = act.start_time
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        start = f"started {moment:%Y-%m-%d %H:%M} UTC"
    return (
        f"{act.source.upper()}, {start}, {format_duration(act.duration_s)}, "
        f"{format_distance(act.distance_m, unit=result.unit)}"
    )
