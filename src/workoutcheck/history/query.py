"""Reading sessions back out of the history: the filters of ``workoutcheck history``, in SQL.

One query on the sessions table alone, whatever the size of the history (each session keeps
a JSON copy of its reps), so 10,000 sessions read in a fraction of a second.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date

from workoutcheck.errors import HistoryError, UsageError
from workoutcheck.history.store import HistoryDB


@dataclass(frozen=True)
class Filters:
    athlete: str | None = None
    plan_like: str | None = None  # a piece of the plan text or of the shape, any case
    since: date | None = None  # sessions starting on or after this day (UTC)

    def as_dict(self) -> dict:
        return {
            "athlete": self.athlete,
            "plan_like": self.plan_like,
            "since": self.since.isoformat() if self.since else None,
        }


def parse_since(text: str | None) -> date | None:
    """``--since 2026-03-01``; anything else is a usage error saying what is expected."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: expected a date like 2026-03-01, got {text!r}") from None


@dataclass
class StoredSession:
    id: int
    file: str
    athlete: str | None
    start_time: str | None
    plan: str | None
    shape: str
    status: str
    score: float | None
    reps_planned: int
    reps_on_target: int
    rep_pace: float | None
    target_pace: float | None
    rep_heart_rate: float | None
    hr_line: tuple[float | None, float | None, float | None, float | None]  # see schema version 2
    paces: list[float | None] = field(default_factory=list)  # each rep's, s/km (None: missed)
    verdicts: list[str | None] = field(default_factory=list)  # each rep's

    @property
    def date(self) -> str | None:
        return self.start_time[:10] if self.start_time else None


_SESSION_FIELDS = (
    "id, file, athlete, start_time, plan, shape, status, score, reps_planned, "
    "reps_on_target, rep_pace_s_per_km, target_pace_s_per_km, rep_heart_rate, "
    "hr_line_intercept, hr_line_slope, hr_line_low_mps, hr_line_high_mps, reps"
)


def _where(filters: Filters) -> tuple[str, list]:
    clauses, args = ["status != 'error'"], []
    if filters.athlete is not None:
        clauses.append("athlete = ?")
        args.append(filters.athlete)
    if filters.plan_like:
        like = (
            "%"
            + filters.plan_like.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        clauses.append("(plan LIKE ? ESCAPE '\\' OR shape LIKE ? ESCAPE '\\')")
        args += [like, like]
    if filters.since is not None:
        clauses.append("start_time >= ?")
        args.append(filters.since.isoformat())
    return " AND ".join(clauses), args


def load_sessions(db: HistoryDB, filters: Filters) -> list[StoredSession]:
    """The sessions passing ``filters``, oldest first (those without a clock first), with
    their reps."""
    where, args = _where(filters)
    try:
        rows = db.conn.execute(
            f"SELECT {_SESSION_FIELDS} FROM sessions WHERE {where} ORDER BY start_time, id", args
        ).fetchall()
        # one JSON document for all the sessions' reps: one call into the C decoder, not 10,000
        stored = json.loads("[" + ",".join(r[17] or "null" for r in rows) + "]")
        return [
            StoredSession(*r[:13], r[13:17], *(_reps(db, r[0]) if reps is None else reps))  # type: ignore[call-arg]
            for r, reps in zip(rows, stored, strict=True)
        ]
    except (
        sqlite3.Error,
        ValueError,
        TypeError,
    ) as exc:  # ValueError, TypeError: a damaged reps column
        raise HistoryError(f"{db.path}: cannot read the history ({exc})") from None


def _reps(db: HistoryDB, sid: int) -> tuple[list, list]:
    """(paces, verdicts) of a session stored before schema version 2 (it has no JSON copy)."""
    rows = db.conn.execute(
        "SELECT pace_s_per_km, verdict FROM segments WHERE session_id = ? AND kind = 'rep' "
        "ORDER BY position",
        (sid,),
    ).fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]
