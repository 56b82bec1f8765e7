"""The words of the plan language: units, step kinds, recovery styles, repeat words.

One table per closed set, shared by the step and target grammars and by the title rule
(a first line starting with one of these words is a step, not a title).
"""

from __future__ import annotations

import re

from workoutcheck.plan.model import StepKind, Style

DIST_UNITS = {
    "m": "m",
    "metre": "m",
    "metres": "m",
    "meter": "m",
    "meters": "m",
    "km": "km",
    "k": "km",
    "kms": "km",
    "mi": "mi",
    "mile": "mi",
    "miles": "mi",
}
TIME_UNITS = {
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
}
STYLES = {
    "jog": Style.JOG,
    "jogging": Style.JOG,
    "easy": Style.EASY,
    "rest": Style.REST,
    "walk": Style.WALK,
    "walking": Style.WALK,
    "float": Style.FLOAT,
    "floating": Style.FLOAT,
    "recovery": Style.RECOVERY,
    "rec": Style.RECOVERY,
    "recover": Style.RECOVERY,
    "standing": Style.REST,
}
STYLE_ORDER = [Style.REST, Style.WALK, Style.FLOAT, Style.JOG, Style.EASY, Style.RECOVERY]
KINDS = {
    "wu": StepKind.WARMUP,
    "warmup": StepKind.WARMUP,
    "warm-up": StepKind.WARMUP,
    "cd": StepKind.COOLDOWN,
    "cooldown": StepKind.COOLDOWN,
    "cool-down": StepKind.COOLDOWN,
    "warmdown": StepKind.COOLDOWN,
    "warm-down": StepKind.COOLDOWN,
    "race": StepKind.RACE,
    "work": StepKind.WORK,
    "hard": StepKind.WORK,
    "fast": StepKind.WORK,
}
TWO_WORD_KINDS = {
    ("warm", "up"): StepKind.WARMUP,
    ("cool", "down"): StepKind.COOLDOWN,
    ("warm", "down"): StepKind.COOLDOWN,
}
REPEAT_WORDS = {"lots": "of", "sets": "of", "rounds": "of", "reps": "of", "times": None}
NAMED_RACES = {"mile", "marathon", "half", "hm", "half-marathon"}
# Efforts named by what they are rather than by a pace: work steps with no target.
EFFORT_WORDS = {"strides", "stride", "sprints", "sprint"}
TERRAIN_WORDS = {"uphill": "uphill", "hill": "uphill", "hills": "uphill"}
# "jog down", "walk back": the way back down the hill or along the straight, of open length
RETURN_WORDS = {"back", "down"}
# "3min between sets": the recovery after each set (sets) or after each rep (reps)
BETWEEN_WORDS = {
    "sets": "sets",
    "set": "sets",
    "rounds": "sets",
    "blocks": "sets",
    "reps": "reps",
    "rep": "reps",
    "efforts": "reps",
    "repeats": "reps",
}
# A session named by one word: (count, seconds per effort, terrain, recovery style)
NAMED_SESSIONS = {"strides": (6, 20.0, None, None), "hill-sprints": (8, 10.0, "uphill", Style.WALK)}
KEYWORDS = (
    set(STYLES)
    | set(KINDS)
    | {"warm", "cool", "equal", "open"}
    | set(REPEAT_WORDS)
    | {"strides", "sprints", "uphill"}
)

UNIT_HELP = "a distance or a duration unit (m, km, mi, s, sec, min, h)"
TARGET_HELP = (
    "a pace (3:45/km, 6'00''/km, 18s/100m), a time for the rep (80s), "
    "a race pace (5K pace), a percent of goal (75% goal) or a heart rate "
    "(150-160bpm, Z4)"
)
HR_MIN_BPM, HR_MAX_BPM = 30, 250  # the heart rates a plan may prescribe, as in profiles
HR_ZONES = 5

# the first word of a title line ("Workout - Progressive 1k Repeats")
FIRST_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def title_ok(name: str) -> bool:
    """Would ``name`` on a first line of its own be read back as the title?"""
    m = FIRST_WORD.match(name)
    if m is None:
        return False
    return (
        m.group(0).lower() not in KEYWORDS
        and m.group(0).lower() != "x"
        and not name.lower().startswith("workout:")
        and not name.endswith(":")
        and name == name.strip()
        and "\n" not in name
    )
