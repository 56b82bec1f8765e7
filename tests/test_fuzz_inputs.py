"""Fuzzing everything but the watch files: plan text, TOML (profiles, rosters, schedules),
watch state files and file names, by mutation of small sound bases.

The oracle for each input is the same as for the readers (``tests/fuzzkit``): a result that
keeps its promises, or a ``WorkoutcheckError`` whose message is one line; any other
exception, or an input taking longer than ``TIME_LIMIT_S``, is a bug. For names the whole
watcher runs (in this process, no bounds): the file is checked, its report written under a
name the file system takes, the line printable, and a second run says nothing.
``WORKOUTCHECK_FUZZ_LONG=1`` scales the counts up for the long run.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzkit import TIME_LIMIT_S, _deadline, examples
from tests.test_fuzz_xml import gpx_base
from workoutcheck.errors import WorkoutcheckError
from workoutcheck.plan import load_profile, load_roster, parse_plan, resolve
from workoutcheck.plan.limits import MAX_STEPS
from workoutcheck.plan.profile import profile_from_dict
from workoutcheck.watch.report import NAME_MAX
from workoutcheck.watch.schedule import load_schedule
from workoutcheck.watch.state import STATE_NAME, WatchState
from workoutcheck.watch.watcher import Watcher

SETTINGS = {"deadline": None, "derandomize": True, "suppress_health_check": list(HealthCheck)}
_TMP = tempfile.TemporaryDirectory(prefix="wc-fuzz-inputs-")


def _one_line(exc: WorkoutcheckError) -> None:
    message = str(exc)
    assert message and message.isprintable(), repr(message)


def _outcome(fn, *args):  # type: ignore[no-untyped-def]
    """``fn(*args)`` under the time limit: its value, or our error (checked to be one line)."""
    try:
        with _deadline(TIME_LIMIT_S):
            return fn(*args)
    except WorkoutcheckError as exc:
        _one_line(exc)
        return exc


# --- mutation of text -----------------------------------------------------------------------


def mutate(text: str, ops: list[tuple[str, int, int]], snippets: tuple[str, ...]) -> str:
    """Apply (kind, a, b) edits: insert a snippet, delete or duplicate a span, repeat one
    many times, nest the whole, cut."""
    for kind, a, b in ops:
        n = len(text)
        i = a % (n + 1)
        if kind == "insert":
            text = text[:i] + snippets[b % len(snippets)] + text[i:]
        elif kind == "delete":
            text = text[:i] + text[i + 1 + b % 8 :]
        elif kind == "dup":
            text = text[:i] + text[i : i + 1 + b % 20] * (2 + b % 5) + text[i:]
        elif kind == "flood":
            text = text[:i] + snippets[b % len(snippets)] * (50 + b * 97 % 3000) + text[i:]
        elif kind == "cut":
            text = text[:i]
        elif kind == "char":
            text = text[:i] + chr(b % 0x3000 or 1) + text[i + 1 :]
    return text


OPS = ("insert", "insert", "delete", "dup", "flood", "cut", "char")
OP = st.tuples(st.sampled_from(OPS), st.integers(0, 10_000), st.integers(0, 10_000))

# --- plans ----------------------------------------------------------------------------------

PLANS = (
    "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km",
    "8 x 400m in 80s, 400m jog",
    "6x3min @ 4:00/km, 2min easy",
    "Workout - pyramid\n4 lots of:\n- 30s @ 3'00''/km\n- 5 lots of:\n  - 1.0km @ 5'30''/km\n  - 2min 10s rest",
    "3x(4x200m @ 5K pace ±2s, 200m float), 3min rest",
    "2mi @ 80% 5K goal -> 90% 5K goal, 1:30 walk",
    "5x1000m @ 3:40-3:50/km ± 1s/400m",
)
PLAN_SNIPPETS = (
    "x",
    "2x(",
    "(",
    ")",
    ",",
    ";",
    "\n",
    "  ",
    "- ",
    "@",
    "/km",
    "/mi",
    "/100m",
    ":",
    "'",
    "''",
    "0",
    "9" * 400,
    "1e20",
    "1000000000",
    "0:00",
    "3:4⁵",
    "²",
    "٣",
    "lots of:",
    "\n  4 lots of:",
    "±",
    "%",
    "->",
    "in",
    "jog",
    "rest",
    "wu",
    "cd",
    "race",
    "pace",
    "5K",
    "goal",
    "equal",
    "open",
    "h",
    "min",
    "s",
    "m",
    "km",
    ".",
    "-",
    "×",
    "\u00a0",
    "\t",
    "\x1b",
    "\ud800",
    "\udcff",
    "é",
)
PROFILE = profile_from_dict(
    {"races": {"5K": "18:40", "10K": "39:00"}, "goals": {"5K": "18:00"}},
    source="fuzz",
    default_name="fuzz",
)


def _plan(text: str) -> None:
    result = _outcome(parse_plan, text)
    if isinstance(result, WorkoutcheckError):
        return
    assert len(result.steps) <= MAX_STEPS
    resolved = _outcome(resolve, result, PROFILE)
    if not isinstance(resolved, WorkoutcheckError):
        again = _outcome(parse_plan, result.text)  # the printed form reads back
        assert not isinstance(again, WorkoutcheckError) or "session" in str(again), (
            result.text,
            again,
        )


@settings(max_examples=examples(400, 50_000), **SETTINGS)
@given(base=st.sampled_from(PLANS), ops=st.lists(OP, min_size=1, max_size=5))
def test_mutated_plans_parse_or_fail_in_one_line(base, ops):
    """Nesting, huge and zero numbers, odd characters, repeats without end."""
    _plan(mutate(base, ops, PLAN_SNIPPETS))


# --- TOML -----------------------------------------------------------------------------------

TOMLS = {
    "profile": 'name = "Ann"\nunit = "km"\nmain_event = "5K"\n[races]\n5K = "18:40"\n10K = "39:00"\n'
    '[goals]\n5K = "18:00"\n',
    "roster": 'name = "Squad"\n[athletes.ann]\nfiles = ["ann*", "a-*"]\n[athletes.ann.races]\n5K = "18:40"\n'
    '[athletes.bob]\nfiles = "bob*"\nprofile = "profile.toml"\n',
    "schedule": 'timezone = "Europe/London"\n[plans]\n"2026-05-01" = "5x(1000m @ 3:45/km, 400m jog)"\n'
    'tuesday = "6x3min @ 4:00/km, 2min easy"\n',
}
TOML_SNIPPETS = (
    "[",
    "]",
    "{",
    "}",
    "[[",
    "]]",
    "=",
    '"',
    "'",
    "'''",
    '"""',
    "\n",
    "#",
    ",",
    ".",
    "a = [",
    "b = {",
    "\\u0000",
    "\\",
    "\xff",
    "\x00",
    "\ud800",
    "1e999",
    "9" * 5000,
    "inf",
    "nan",
    "true",
    "1979-05-27",
    "07:32:00",
    "[plans]",
    "[races]",
    "[athletes.x]",
    "files = 3",
    'profile = "/dev/zero"',
    'profile = "../x.toml"',
    'profile = "profile.toml"',
    'timezone = "Mars/Base"',
    '"2026-02-30" = "5x400m"',
    'monday = "1000000000x400m"',
    '5K = "0:00"',
    '5K = "-1"',
)
LOADERS = {"profile": load_profile, "roster": load_roster, "schedule": load_schedule}


@settings(max_examples=examples(150, 15_000), **SETTINGS)
@given(
    kind=st.sampled_from(sorted(TOMLS)),
    ops=st.lists(OP, min_size=1, max_size=5),
    encoding=st.sampled_from(("utf-8", "utf-8", "utf-8", "utf-16", "latin-1", "surrogates")),
)
def test_mutated_toml_loads_or_fails_in_one_line(kind, ops, encoding):
    """Profiles, rosters and schedules: broken syntax, deep nesting, bytes that are not
    UTF-8, huge numbers, odd values, a profile pointing at a device."""
    folder = Path(_TMP.name) / "toml"
    folder.mkdir(exist_ok=True)
    (folder / "profile.toml").write_text(TOMLS["profile"])
    text = mutate(TOMLS[kind], ops, TOML_SNIPPETS)
    if encoding == "surrogates":  # lone surrogates written as bytes: not UTF-8
        data = text.encode("utf-8", "surrogatepass")
    else:
        data = text.encode(encoding, "replace")
    path = folder / f"{kind}.toml"
    path.write_bytes(data)
    _outcome(LOADERS[kind], path)


# --- state files ----------------------------------------------------------------------------

DIGEST = "ab" * 32
STATE = "".join(
    json.dumps(r) + "\n"
    for r in (
        {"state_version": 2},
        {
            "done": DIGEST,
            "file": "run.fit",
            "status": "pass",
            "reports": ["run.fit.report.json"],
            "checked_at": "2026-05-01T07:12:03+00:00",
            "duplicates": [],
        },
        {"name": "run.fit", "digest": DIGEST},
        {
            "intent": "cd" * 32,
            "inodes": [["b.fit.report.json", 12]],
            "done": {
                "file": "b.fit",
                "status": "fail",
                "reports": ["b.fit.report.json"],
                "checked_at": "2026-05-01T07:12:03+00:00",
                "duplicates": ["c.fit"],
            },
        },
        {"commit": "cd" * 32},
        {
            "intent": "ef" * 32,
            "inodes": [["c.fit.report.json", 13], ["../../x", 1]],
            "done": {"file": "c.fit", "status": "pass", "reports": [], "checked_at": "x"},
        },
        {"abandon": "ef" * 32},
        {
            "done": DIGEST,
            "file": "run.fit",
            "status": "pass",
            "reports": [],
            "checked_at": "x",
            "duplicates": ["copy.fit"],
        },
    )
)
STATE_V1 = (
    json.dumps(
        {
            "state_version": 1,
            "checked": {
                DIGEST: {
                    "file": "run.fit",
                    "status": "pass",
                    "reports": ["run.fit.report.json"],
                    "checked_at": "2026-05-01T07:12:03+00:00",
                    "duplicates": ["copy.fit"],
                }
            },
        },
        indent=1,
    )
    + "\n"
)
STATE_SNIPPETS = (
    "{",
    "}",
    "[",
    "]",
    '"',
    ":",
    ",",
    "\n",
    "null",
    "true",
    "1",
    "-0",
    "1e999",
    "9" * 5000,
    "[" * 3000,
    '{"a":' * 3000,
    '"file": 1',
    '"reports": "x"',
    '"duplicates": {}',
    '"inodes": [[1]]',
    '{"commit": 1}',
    '{"intent": "x"}',
    '{"name": null, "digest": 1}',
    '"state_version": 1',
    "\\ud800",
    "\\u0000",
    "\xff",
    "é",
    "\x00",
    '"done": "x"',
)


@settings(max_examples=examples(150, 20_000), **SETTINGS)
@given(base=st.sampled_from((STATE, STATE_V1)), ops=st.lists(OP, min_size=1, max_size=5))
def test_mutated_state_files_load_or_fail_in_one_line(base, ops):
    """Torn, nested, huge-numbered, mistyped or unknown records in the watch state."""
    folder = Path(_TMP.name) / "state"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / STATE_NAME).write_bytes(
        mutate(base, ops, STATE_SNIPPETS).encode("utf-8", "surrogatepass")
    )
    state = _outcome(WatchState.load, folder)
    if not isinstance(state, WorkoutcheckError):
        state.get(DIGEST), state.current("run.fit"), len(state)


# --- file names -----------------------------------------------------------------------------

NAME_PARTS = (
    b"a",
    b"run",
    b" ",
    b".",
    b"..",
    b"-",
    b"~",
    b"\xff",
    b"\xc3",
    b"\xc3\xa9",
    b"\n",
    b"\r",
    b"\x1b[2J",
    b"\x1b]0;x\x07",
    b"\t",
    b"\x7f",
    b"\xe2\x80\xae",
    b"forged.fit: PASS",
    b".report.json",
    b".report.html",
    b".fit",
    b".gpx",
    b".GPX",
    b".gz",
    b"'",
    b'"',
    b"\\",
    b"%s",
    b"$(x)",
    b"*",
    b"?",
    b"\xf0\x9f\x98\x80",
    b"x" * 100,
)
SUFFIXES = (b".gpx", b".GPX", b".gpx.gz", b".fit", b".tcx")
_GPX = gpx_base(30).encode()
_GPX_GZ = __import__("gzip").compress(_GPX, mtime=0)


@settings(max_examples=examples(60, 15_000), **SETTINGS)
@given(
    parts=st.lists(st.sampled_from(NAME_PARTS), min_size=0, max_size=8),
    repeat=st.integers(1, 4),
    suffix=st.sampled_from(SUFFIXES),
)
def test_any_file_name_is_checked_reported_and_printed_escaped(parts, repeat, suffix):
    """Whatever the name (bytes that are not UTF-8, newlines, escape sequences, 255 bytes,
    names that look like reports), the watcher checks the file or skips it with one line,
    writes a report the file system takes, and goes on; a second run says nothing."""
    raw = (b"".join(parts) * repeat).lstrip(b".") or b"x"
    raw = raw[: NAME_MAX - len(suffix)] + suffix
    folder = Path(_TMP.name) / "names"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    target = os.fsencode(folder) + b"/" + raw
    with open(target, "wb") as fh:
        fh.write(_GPX_GZ if raw.endswith(b".gz") else _GPX)
    with open(os.fsencode(folder) + b"/zz-after.gpx", "wb") as fh:
        fh.write(_GPX)
    with _deadline(TIME_LIMIT_S * 4):
        outcomes = Watcher(
            folder, poll_interval=0.001, stable_polls=1, bounds=None, settle=0
        ).process_existing()
    lines = [o.line for o in outcomes if o.line is not None]
    assert all(line.isprintable() for line in lines), lines
    by_name = {os.fsencode(o.path.name): o for o in outcomes}
    assert b"zz-after.gpx" in by_name  # the watcher went on past the name
    for o in outcomes:
        if o.result is not None:
            assert o.reports and all(
                p.is_file() and len(os.fsencode(p.name)) <= NAME_MAX for p in o.reports
            )
    assert all(not n.endswith(b".tmp") for n in os.listdir(os.fsencode(folder)))
    again = Watcher(
        folder, poll_interval=0.001, stable_polls=1, bounds=None, settle=0
    ).process_existing()
    assert [o.line for o in again if o.line is not None] == []
