"""The ``info`` summary of a loaded file: plain data first (for JSON), then a rich rendering.

Keeping the data separate from the rendering lets the JSON and the table never disagree.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from workoutcheck.model import Activity
from workoutcheck.model.text import format_distance, format_duration, format_pace, pace_from


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def activity_summary(activity: Activity) -> dict[str, Any]:
    """Everything ``info`` shows about one file, as JSON-ready data."""
    laps = []
    for i, lap in enumerate(activity.laps, start=1):
        moving = lap.timer_s if lap.timer_s is not None else lap.duration_s
        laps.append(
            {
                "lap": i,
                "start_s": _r(lap.start_s),
                "end_s": _r(lap.end_s),
                "duration_s": _r(lap.duration_s),
                "timer_s": _r(lap.timer_s),
                "distance_m": _r(lap.distance_m),
                "pace_s_per_km": _r(pace_from(lap.distance_m, moving)),
                "trigger": lap.trigger,
                "intensity": lap.intensity,
                "wkt_step_index": lap.wkt_step_index,
            }
        )
    workout = None
    if activity.workout is not None:
        workout = {
            "name": activity.workout.name,
            "sport": activity.workout.sport,
            "steps": [
                {
                    "index": s.index,
                    "name": s.name,
                    "duration_type": s.duration_type,
                    "duration_s": s.duration_s,
                    "duration_m": s.duration_m,
                    "target_type": s.target_type,
                    "speed_low": s.speed_low,
                    "speed_high": s.speed_high,
                    "intensity": s.intensity,
                    "repeat_from": s.repeat_from,
                    "repeat_count": s.repeat_count,
                }
                for s in activity.workout.steps
            ],
        }
    distance = activity.total_distance_m
    return {
        "file": activity.path,
        "source": activity.source.value,
        "sport": activity.sport,
        "sub_sport": activity.sub_sport,
        "device": activity.device,
        "start_time": activity.start_time.isoformat().replace("+00:00", "Z")
        if activity.start_time
        else None,
        "duration_s": _r(activity.duration_s),
        "moving_s": _r(activity.moving_s),
        "distance_m": _r(distance),
        "pace_s_per_km": _r(pace_from(distance, activity.moving_s)),
        "records": activity.n_records,
        "distance_source": activity.distance_source,
        "speed_source": activity.speed_source,
        "has_positions": activity.has_positions,
        "has_heart_rate": activity.heart_rate is not None,
        "laps": laps,
        "pauses": [
            {
                "start_s": _r(p.start_s),
                "end_s": _r(p.end_s),
                "kind": p.kind.value,
                "removed_s": _r(p.removed_s),
            }
            for p in activity.pauses
        ],
        "workout": workout,
        "notes": list(activity.notes),
    }


def render_summary(summary: dict[str, Any]) -> Group:
    """A readable block for one file: header facts, the laps table, pauses and workout steps."""
    head = Text()
    head.append(summary["file"], style="bold")
    head.append(f"  ({summary['source'].upper()}")
    if summary["device"]:
        head.append(f", {summary['device']}")
    head.append(")\n")
    sport = summary["sport"] or "unknown sport"
    if summary["sub_sport"] and summary["sub_sport"] not in ("generic", sport):
        sport += f" / {summary['sub_sport']}"
    start = summary["start_time"] or "unknown (device-relative clock)"
    head.append(f"  {sport}, started {start}\n")
    head.append(
        f"  duration {format_duration(summary['duration_s'])}, moving {format_duration(summary['moving_s'])}, "
        f"distance {format_distance(summary['distance_m'])} ({summary['distance_source']}), "
        f"average {format_pace(summary['pace_s_per_km'])}, {summary['records']} records"
    )
    parts: list[Any] = [head]
    if summary["laps"]:
        table = Table(
            title=f"{len(summary['laps'])} laps", title_justify="left", box=None, pad_edge=False
        )
        for col in ("lap", "start", "time", "distance", "pace", "trigger", "intensity", "step"):
            table.add_column(
                col,
                justify="right" if col in ("lap", "start", "time", "distance", "pace") else "left",
                overflow="fold",
            )  # a narrow terminal wraps a cell rather than cutting it
        for lap in summary["laps"]:
            table.add_row(
                str(lap["lap"]),
                format_duration(lap["start_s"]),
                format_duration(
                    lap["timer_s"] if lap["timer_s"] is not None else lap["duration_s"], decimals=1
                ),
                format_distance(lap["distance_m"]),
                format_pace(lap["pace_s_per_km"]),
                lap["trigger"] or "",
                lap["intensity"] or "",
                "" if lap["wkt_step_index"] is None else str(lap["wkt_step_index"]),
            )
        parts.append(table)
    if summary["pauses"]:
        lines = Text(f"  {len(summary['pauses'])} pauses: ")
        lines.append(
            ", ".join(
                f"{format_duration(p['start_s'])}-{format_duration(p['end_s'])} {p['kind']}"
                + (f" (cut {format_duration(p['removed_s'])})" if p["removed_s"] else "")
                for p in summary["pauses"][:12]
            )
            + (" ..." if len(summary["pauses"]) > 12 else "")
        )
        parts.append(lines)
    if summary["workout"]:
        wk = summary["workout"]
        text = Text(f"  embedded workout {wk['name'] or ''!s}: {len(wk['steps'])} steps\n")
        for s in wk["steps"]:
            text.append(f"    {s['index']}: {_step_text(s)}\n")
        parts.append(text)
    for note in summary["notes"]:
        parts.append(Text(f"  note: {note}", style="yellow"))
    parts.append(Text(""))
    return Group(*parts)


def _step_text(step: dict[str, Any]) -> str:
    if step["repeat_count"] is not None:
        return f"repeat from step {step['repeat_from']} x{step['repeat_count']}"
    if step["duration_m"] is not None:
        length = format_distance(step["duration_m"])
    elif step["duration_s"] is not None:
        length = format_duration(step["duration_s"])
    else:
        length = step["duration_type"]
    target = ""
    if step["speed_low"] and step["speed_high"]:
        target = (
            f" @ {format_pace(1000 / step['speed_high'])}-{format_pace(1000 / step['speed_low'])}"
        )
    name = f"{step['name']}: " if step["name"] else ""
    return f"{name}{length}{target} ({step['intensity'] or 'active'})"
