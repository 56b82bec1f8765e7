"""``workoutcheck history`` as JSON, a text table or CSV, all drawn from one ``History``.

The JSON is a contract like the check JSON (``history_version`` 1): keys are added, never
renamed or removed. Paces are s/km, heart rates bpm, dates ISO 8601 UTC.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

from workoutcheck.history.query import StoredSession
from workoutcheck.history.summary import HISTORY_VERSION, History
from workoutcheck.history.trends import Trend
from workoutcheck.model.text import format_pace
from workoutcheck.plan.render import text_table
from workoutcheck.report.check_json import num

TREND_TITLES = {
    "rep_pace": "rep pace at target effort",
    "rep_heart_rate": "heart rate in the reps",
    "heart_rate_at_reference_pace": "heart rate at the same pace",
    "score": "score",
}


def session_dict(history: History, s: StoredSession) -> dict[str, Any]:
    return {
        "id": s.id,
        "file": s.file,
        "athlete": s.athlete,
        "start_time": s.start_time,
        "date": s.date,
        "plan": s.plan,
        "shape": s.shape,
        "status": s.status,
        "score": s.score,
        "reps_planned": s.reps_planned,
        "reps_on_target": s.reps_on_target,
        "rep_pace_s_per_km": num(s.rep_pace, 1),
        "target_pace_s_per_km": num(s.target_pace, 1),
        "rep_heart_rate": num(s.rep_heart_rate, 1),
        "heart_rate_at_reference_pace": num(history.hr_at_reference.get(s.id), 1),
    }


def _date_after(history: History, days: float) -> str | None:
    if history.first_day is None:
        return None
    return (history.first_day + timedelta(days=days)).date().isoformat()


def trend_dict(history: History, trend: Trend, unit: str, change_unit: str) -> dict[str, Any]:
    digits = 2 if change_unit == "%" else 1
    return {
        "unit": unit,
        "change_unit": change_unit,
        "sessions": trend.sessions,
        "span_days": num(trend.span_days, 1),
        "change": num(trend.change, digits),
        "per_week": num(trend.per_week, 3),
        "lines": [
            {
                "athlete": line.group[0],
                "shape": line.group[1],
                "from": {"date": _date_after(history, line.x0), "value": num(line.y0, 1)},
                "to": {"date": _date_after(history, line.x1), "value": num(line.y1, 1)},
            }
            for line in trend.lines
        ],
    }


def history_dict(history: History) -> dict[str, Any]:
    return {
        "history_version": HISTORY_VERSION,
        "filters": history.filters.as_dict(),
        "sessions": [session_dict(history, s) for s in history.sessions],
        "groups": [
            {
                "shape": g.shape,
                "reps": g.width,
                "sessions": [s.id for s in g.sessions],
                "paces": [s.paces for s in g.sessions],
                "verdicts": [s.verdicts for s in g.sessions],
            }
            for g in history.groups
        ],
        "trends": {
            "first_date": history.first_day.date().isoformat() if history.first_day else None,
            "reference_pace_s_per_km": num(history.reference_pace, 1),
            **{name: trend_dict(history, *value) for name, value in history.trends.items()},
        },
    }


_ONE_LINE = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode  # made once: json.dumps
# with options builds a new encoder on every call, and there is a call per session


def _json(value: Any, indent: int | None = None) -> str:
    return (
        _ONE_LINE(value)
        if indent is None
        else json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)
    )


def render_json(history: History) -> str:
    """Indented, except that each session and each group is one line: a season of 10,000
    sessions stays quick to write (only unindented JSON has a C encoder) and easy to scan."""
    lines = ["{"]
    document = history_dict(history)
    for i, (key, value) in enumerate(document.items()):
        comma = "," if i < len(document) - 1 else ""
        if key in ("sessions", "groups") and value:
            lines.append(f"  {_json(key)}: [")
            lines += [f"    {_json(item)}," for item in value]
            lines[-1] = lines[-1].removesuffix(",")
            lines.append(f"  ]{comma}")
        else:
            lines.append(
                f"  {_json(key)}: {_json(value, 2).replace(chr(10), chr(10) + '  ')}{comma}"
            )
    return "\n".join(lines) + "\n}\n"


def reps_text(s: StoredSession) -> str:
    """``4/5`` reps on target; ``-`` without a plan (nothing was on or off target)."""
    return f"{s.reps_on_target}/{s.reps_planned}" if s.reps_planned and s.plan is not None else "-"


def score_text(s: StoredSession) -> str:
    return "-" if s.score is None else f"{s.score:.0f}"


def trend_sentence(history: History, name: str) -> str:
    """``rep pace at target effort: -3.0% over 16 weeks (-0.19% a week), 40 sessions``."""
    trend, _unit, change_unit = history.trends[name]
    title = TREND_TITLES[name]
    if name == "heart_rate_at_reference_pace" and history.reference_pace is not None:
        title = f"heart rate at {format_pace(history.reference_pace)}"
    if trend.change is None or trend.per_week is None:
        return f"{title}: not enough sessions for a trend ({trend.sessions})"
    weeks = trend.span_days / 7
    suffix = "%" if change_unit == "%" else f" {change_unit}"
    return (
        f"{title}: {trend.change:+.1f}{suffix} over {weeks:.0f} weeks "
        f"({trend.per_week:+.2f}{suffix} a week), {trend.sessions} sessions"
    )


def several_athletes(history: History) -> bool:
    """Whether group tables need an athlete column (a squad's history)."""
    return len({s.athlete for s in history.sessions}) > 1


def render_table(history: History) -> str:
    parts = [
        f"Sessions ({len(history.sessions)})",
        text_table(
            ("date", "athlete", "session", "reps on target", "score", "rep pace", "target"),
            [
                (
                    s.date or "-",
                    s.athlete or "-",
                    s.shape,
                    reps_text(s),
                    score_text(s),
                    format_pace(s.rep_pace),
                    format_pace(s.target_pace),
                )
                for s in history.sessions
            ],
        ),
    ]
    who = ("athlete",) if several_athletes(history) else ()
    for group in history.groups:
        if len(group.sessions) < 2 or not group.width:
            continue
        header = ("date", *who, *(str(n) for n in range(1, group.width + 1)), "average")
        rows = [
            (
                s.date or "-",
                *((s.athlete or "-",) if who else ()),
                *(format_pace(p).removesuffix("/km") for p in s.paces),
                *("",) * (group.width - len(s.paces)),
                format_pace(s.rep_pace),
            )
            for s in group.sessions
        ]
        parts += [
            "",
            f"{group.shape}: {len(group.sessions)} sessions, rep paces /km",
            text_table(header, rows),
        ]
    parts += ["", "Trends"] + [trend_sentence(history, name) for name in history.trends]
    return "\n".join(parts) + "\n"


CSV_COLUMNS = (
    "date",
    "start_time",
    "athlete",
    "file",
    "shape",
    "plan",
    "status",
    "reps_on_target",
    "reps_planned",
    "score",
    "rep_pace_s_per_km",
    "target_pace_s_per_km",
    "rep_heart_rate",
    "heart_rate_at_reference_pace",
)


def render_csv(history: History) -> str:
    """One row per session, the JSON's figures; empty cells for unknown values."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for s in history.sessions:
        d = session_dict(history, s)
        writer.writerow(["" if d[k] is None else d[k] for k in CSV_COLUMNS])
    return out.getvalue()
