"""`--format table` (the default): what a runner or coach reads after a session.

Per file: a header (file, athlete, plan or the session found, status and score), a table of
every segment with its pace against the target band and a verdict, then the checks, problems
first and passes only counted, so the few lines that matter are not buried. Rendered to a
string by rich at a fixed width so the output is the same in a terminal, a pipe and a test;
colour only when asked, and then nothing but colour differs.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from workoutcheck.score.result import FileResult, ScoredSegment, Status, Verdict
from workoutcheck.segment.result import SegmentKind
from workoutcheck.model.text import format_distance, format_duration, format_pace, format_pace_uncertain

WIDTH = 100
_TAIL = re.compile(r"(?:\s|\x1b\[[0-9;]*m)+$")  # blanks and style codes ending a line
PRESCRIBED_MARK = "*"
FOOTNOTE = (
    f"  {PRESCRIBED_MARK} prescribed distance, used for the pace: "
    "the watch measured it within GPS error (or on a track)"
)

STATUS_STYLE = {
    Status.PASS: "green",
    Status.WARN: "yellow",
    Status.FAIL: "red",
    Status.ERROR: "bold red",
}
VERDICT_STYLE = {
    Verdict.ON_TARGET: "green",
    Verdict.TOO_FAST: "yellow",
    Verdict.TOO_SLOW: "yellow",
    Verdict.MISSED: "bold red",
}
KIND_LABEL = {
    SegmentKind.WARMUP: "warm-up",
    SegmentKind.REP: "rep",
    SegmentKind.RECOVERY: "recovery",
    SegmentKind.COOLDOWN: "cool-down",
    SegmentKind.EXTRA: "extra",
}


def segment_label(scored: ScoredSegment) -> str:
    """"warm-up", "rep 3", "recovery", "cool-down", "extra"."""
    seg = scored.segment
    if seg.kind is SegmentKind.REP and seg.rep is not None:
        return f"rep {seg.rep}"
    return KIND_LABEL[seg.kind]


def band_text(scored: ScoredSegment) -> str:
    """The target as a band, "3:41-3:50/km"; a single pace when the band has no width."""
    if scored.band is None:
        return format_pace(scored.target_pace) if scored.target_pace is not None else ""
    fastest, slowest = scored.band
    if format_duration(fastest) == format_duration(slowest):
        return format_pace(fastest)
    return f"{format_duration(fastest)}-{format_pace(slowest)}"


def verdict_text(scored: ScoredSegment) -> str:
    """"on target" (with "(borderline)" where a band edge lies within the pace's uncertainty),
    "7 s/km fast", "12 s/km slow", "missed"; empty where nothing was judged."""
    verdict = scored.verdict
    if verdict is None:
        return ""
    if verdict is Verdict.ON_TARGET:
        return "on target (borderline)" if scored.borderline else "on target"
    if verdict is Verdict.MISSED:
        return "missed"
    way = "fast" if verdict is Verdict.TOO_FAST else "slow"
    if scored.deviation_s_per_km is None:
        return f"too {way}"
    off = round(abs(scored.deviation_s_per_km))
    return f"{off} s/km {way}" if off >= 1 else f"<1 s/km {way}"


def pace_text(scored: ScoredSegment) -> str:
    """The pace, with its uncertainty where that is material to the band: "3:47/km ±1.1%"."""
    pct = scored.pace_uncertainty_pct if scored.shows_uncertainty else None
    return format_pace_uncertain(scored.segment.pace_s_per_km, pct)


def _prescribed(scored: ScoredSegment) -> bool:
    seg = scored.segment
    return seg.distance_basis == "prescribed" and seg.distance_used_m is not None


def distance_text(scored: ScoredSegment) -> str:
    """The distance the pace uses, marked when it is the plan's rather than the watch's."""
    text = format_distance(scored.segment.distance_used_m)
    return text + PRESCRIBED_MARK if _prescribed(scored) else text


def _utc(moment: datetime) -> datetime:
    """Readers give UTC, naive or aware; a time in another zone is converted, never relabelled."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC)


def _header(result: FileResult) -> Text:
    head = Text()
    head.append(result.file, style="bold")
    if result.athlete:
        head.append(f"  ({result.athlete})")
    head.append("\n")
    if result.plan:
        head.append(f"  plan: {result.plan}\n")
    elif result.description:
        head.append(f"  no plan; session found: {result.description}\n")
    else:
        head.append("  no plan\n")
    if result.activity is not None:
        act = result.activity
        start = "start unknown"
        if act.start_time is not None:
            start = f"started {_utc(act.start_time):%Y-%m-%d %H:%M} UTC"
        head.append(f"  {act.source.upper()}, {start}, {format_duration(act.duration_s)}, "
                    f"{format_distance(act.distance_m)}\n")
    head.append("  status: ")
    head.append(result.status.value.upper(), style=STATUS_STYLE[result.status])
    head.append("   score: " + ("-" if result.score is None else f"{result.score:.0f}/100"))
    return head


def _segments_table(result: FileResult) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 2, 0, 0))
    for name in ("#", "start", "time", "distance", "pace", "target", "verdict"):
        left = name in ("#", "target", "verdict")
        table.add_column(name, justify="left" if left else "right", no_wrap=True)
    for scored in result.segments:
        seg = scored.segment
        style = VERDICT_STYLE[scored.verdict] if scored.verdict is not None else ""
        table.add_row(
            segment_label(scored),
            format_duration(seg.start_s),
            format_duration(seg.duration_s, decimals=1),
            distance_text(scored),
            pace_text(scored),
            band_text(scored),
            Text(verdict_text(scored), style=style),
        )
    return table


def _checks(result: FileResult) -> list[RenderableType]:
    """Warnings and failures one per line (failures first), then the passes as a count.

    The problems are a grid, so a long message wraps under itself rather than under the status.
    """
    problems = [c for c in result.checks if c.status is not Status.PASS]
    problems.sort(key=lambda c: -c.status.rank)  # stable: same-status checks keep their order
    parts: list[RenderableType] = []
    if problems:
        grid = Table.grid(padding=(0, 2, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for check in problems:
            status = Text(check.status.value.upper(), style=STATUS_STYLE[check.status])
            grid.add_row(status, check.id, check.message)
        parts.append(Padding(grid, (0, 0, 0, 2)))
    passed = sum(1 for c in result.checks if c.status is Status.PASS)
    if passed:
        parts.append(Text(f"  {passed} check{'s' if passed != 1 else ''} passed", style="green"))
    elif not result.checks:
        parts.append(Text("  no checks"))
    return parts


def render_result(result: FileResult) -> RenderableType:
    """One file's block; an unreadable file is one line, "FILE: error: MESSAGE"."""
    if result.status is Status.ERROR:
        message = result.error or "could not be checked"
        # Input errors often name the file already ("x.fit: bad CRC"); say it once.
        message = message.removeprefix(f"{result.file}: ")
        return Text(f"{result.file}: error: {message}", style=STATUS_STYLE[Status.ERROR])
    parts: list[RenderableType] = [_header(result)]
    if result.segments:
        parts.append(Padding(_segments_table(result), (0, 0, 0, 2)))
    if any(_prescribed(s) for s in result.segments):
        parts.append(Text(FOOTNOTE, style="dim"))
    parts.extend(_checks(result))
    for note in result.notes:
        parts.append(Text(f"  note: {note}", style="yellow"))
    return Group(*parts)


def render_table(results: list[FileResult], *, color: bool) -> str:
    """All files, a blank line between them; no escape codes at all when ``color`` is false."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=WIDTH,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        force_jupyter=False,
    )
    for i, result in enumerate(results):
        if i:
            console.print()
        console.print(render_result(result))
    # Cells are padded to their column width; trailing blanks (even inside a style) only make
    # diffs noisy and terminals wrap them.
    lines = out.getvalue().split("\n")
    return "\n".join(_TAIL.sub(lambda m: re.sub(r"\s", "", m[0]), line) for line in lines)
