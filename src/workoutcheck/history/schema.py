"""The history database's tables, and the steps that bring an older database up to date.

The version lives in SQLite's own ``user_version`` header field and the file is marked as
ours with ``application_id``, so a database made by another program is never written into.
``MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``; a database is always
migrated forward, in one transaction, when it is opened. Steps are only ever appended: a
released step is never edited, or databases already past it would differ from new ones.
"""

from __future__ import annotations

APPLICATION_ID = 0x576B4368  # "WkCh"

_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    file_hash TEXT NOT NULL UNIQUE,      -- SHA-256 of the file's bytes: one row per content
    file TEXT NOT NULL,                  -- the path it was last checked under
    athlete TEXT,
    start_time TEXT,                     -- ISO 8601 UTC with Z, NULL without a clock
    plan TEXT,                           -- normalised plan text, NULL without a plan
    shape TEXT,                          -- "5x1000m": the plan's reps without their targets
    description TEXT,                    -- the session found when checked without a plan
    status TEXT NOT NULL,
    score REAL,
    source TEXT,
    duration_s REAL,
    distance_m REAL,
    reps_planned INTEGER NOT NULL,
    reps_on_target INTEGER NOT NULL,
    rep_pace_s_per_km REAL,              -- all timed reps: total time over total distance
    target_pace_s_per_km REAL,           -- the same reps' target paces, distance-weighted
    rep_heart_rate REAL,                 -- reps' steady heart rate (second half of each rep)
    notes TEXT NOT NULL,                 -- JSON list
    checked_at TEXT NOT NULL,
    workoutcheck_version TEXT NOT NULL
);
CREATE TABLE segments (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    rep INTEGER,
    step INTEGER,
    start_s REAL,
    end_s REAL,
    duration_s REAL,
    distance_m REAL,
    distance_measured_m REAL,
    distance_basis TEXT,
    paused_s REAL,
    pace_s_per_km REAL,
    target_fast_s_per_km REAL,
    target_slow_s_per_km REAL,
    verdict TEXT,
    splits TEXT NOT NULL,                -- JSON list, as in the check JSON
    PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE TABLE checks (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    rep INTEGER,
    message TEXT NOT NULL,
    figures TEXT NOT NULL,               -- JSON object
    PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
"""

# Version 2: the steady speed and heart rate of each segment, and the session's heart-rate
# line through them (heart rate = intercept + slope x speed, fitted between the lowest and the
# highest steady speed), for "heart rate at the same pace"; the index the history command
# filters by; and the session's reps as JSON, [[pace, ...], [verdict, ...]] in rep order (a copy
# of the rep segments, so the history command reads the sessions table alone).
_V2 = """
ALTER TABLE sessions ADD COLUMN reps TEXT;
ALTER TABLE segments ADD COLUMN steady_speed_mps REAL;
ALTER TABLE segments ADD COLUMN steady_heart_rate REAL;
ALTER TABLE sessions ADD COLUMN hr_line_intercept REAL;
ALTER TABLE sessions ADD COLUMN hr_line_slope REAL;
ALTER TABLE sessions ADD COLUMN hr_line_low_mps REAL;
ALTER TABLE sessions ADD COLUMN hr_line_high_mps REAL;
CREATE INDEX sessions_by_athlete ON sessions (athlete, start_time);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)

# The columns every write fills, in the order ``rows`` builds them.
SESSION_COLUMNS = (
    "file_hash",
    "file",
    "athlete",
    "start_time",
    "plan",
    "shape",
    "description",
    "status",
    "score",
    "source",
    "duration_s",
    "distance_m",
    "reps_planned",
    "reps_on_target",
    "rep_pace_s_per_km",
    "target_pace_s_per_km",
    "rep_heart_rate",
    "notes",
    "checked_at",
    "workoutcheck_version",
    "hr_line_intercept",
    "hr_line_slope",
    "hr_line_low_mps",
    "hr_line_high_mps",
    "reps",
)
SEGMENT_COLUMNS = (
    "position",
    "kind",
    "rep",
    "step",
    "start_s",
    "end_s",
    "duration_s",
    "distance_m",
    "distance_measured_m",
    "distance_basis",
    "paused_s",
    "pace_s_per_km",
    "target_fast_s_per_km",
    "target_slow_s_per_km",
    "verdict",
    "splits",
    "steady_speed_mps",
    "steady_heart_rate",
)
CHECK_COLUMNS = ("position", "id", "status", "rep", "message", "figures")

SCHEMA_VERSION = len(MIGRATIONS)
