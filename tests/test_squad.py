"""squad: twelve generated athletes run one plan at their own 5K pace; every row must say
what each runner's truth file says, in roster order, and one bad file must not stop the rest.

The folder (generated once per test session with samplegen, fixed seeds):

- ana ... kit: on target, except ben (every rep 6% fast), dev (fading: the last rep 9% slower
  than the first) and fay (rep 3 not run: jogged through);
- liam's FIT is cut off halfway (unreadable: exit code 3);
- mo's profile has no race time, so "5K pace" cannot be resolved for him (his row is an error);
- nia is in the roster with no file; ``visitor_*.fit`` matches no athlete.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from samplegen import (
    Block,
    Fault,
    LapSettings,
    Runner,
    SampleSpec,
    TrackRoute,
    WatchSettings,
    build_sample,
    interval_session,
)
from workoutcheck.cli import app
from workoutcheck.plan import load_roster, parse_plan, resolve
from workoutcheck.report.formats import render
from workoutcheck.report.squad_table import MATRIX_TITLE, render_squad_table
from workoutcheck.run.files import expand_paths
from workoutcheck.run.pipeline import CheckOptions
from workoutcheck.run.squad import UNMATCHED, assign_files, run_squad
from workoutcheck.score import Check, FileResult, Status, Verdict
from workoutcheck.score import overview as overview_module
from workoutcheck.score.overview import worst_fault

PLAN = "wu 10min; 5x1000m @ 5K pace, 400m jog; cd 10min"
# id, 5K time, what the runner does
ATHLETES = [
    ("ana", "16:40", "on_target"),
    ("ben", "17:30", "too_fast"),
    ("cara", "18:10", "on_target"),
    ("dev", "18:55", "fading"),
    ("eli", "19:30", "on_target"),
    ("fay", "20:15", "missed_rep"),
    ("gus", "20:50", "on_target"),
    ("hana", "21:40", "on_target"),
    ("ivo", "22:20", "on_target"),
    ("jo", "23:00", "on_target"),
    ("kit", "23:45", "on_target"),
    ("liam", "24:30", "corrupt"),
]
NAMES = [a.capitalize() for a, _, _ in ATHLETES] + ["Mo", "Nia"]
runner = CliRunner()


def _seconds(text: str) -> int:
    minutes, seconds = text.split(":")
    return int(minutes) * 60 + int(seconds)


def _spec(index: int, aid: str, five_k: str, behaviour: str) -> SampleSpec:
    pace = _seconds(five_k) / 5.0  # s/km: the plan's "5K pace" for this athlete
    faults = (
        {rep: [Fault("off_pace", -0.06)] for rep in range(1, 6)}
        if behaviour == "too_fast"
        else None
    )
    session = interval_session(
        PLAN,
        [Block(distance_m=1000, pace_s_per_km=pace)] * 5,
        Block(distance_m=400, pace_s_per_km=pace * 1.6, style="jog"),
        warmup=Block(duration_s=600, pace_s_per_km=pace * 1.35),
        cooldown=Block(duration_s=600, pace_s_per_km=pace * 1.4),
        faults=faults,
        missed_reps=(3,) if behaviour == "missed_rep" else (),
    )
    runner_model = Runner(
        aid.capitalize(),
        pace_sd=0.003,
        fatigue=0.09 if behaviour == "fading" else 0.0,
        vo2_speed_mps=1000.0 / pace * 1.05,
    )
    return SampleSpec(
        f"{aid}_2026-05-12",
        session,
        runner_model,
        TrackRoute("Squad track", 51.47521, -2.58843, base_altitude_m=38.0, heading_deg=17.0),
        WatchSettings(recording="1s", laps=LapSettings("manual")),
        datetime(2026, 5, 12, 17, 0, index, tzinfo=UTC),
        ("fit",),
        seed=1000 + index,
        extra={"behaviour": behaviour, "five_k": five_k},
    )


def _roster_toml() -> str:
    lines = ['name = "Tuesday group"', ""]
    for aid, five_k, _ in ATHLETES:
        lines += [
            f"[athletes.{aid}]",
            f'name = "{aid.capitalize()}"',
            f'files = "{aid}_*.fit"',
            f'races = {{ 5K = "{five_k}" }}',
            "",
        ]
    lines += [
        "[athletes.mo]",
        'name = "Mo"',
        'files = "mo_*.fit"',
        "",
        "[athletes.nia]",
        'name = "Nia"',
        'files = ["nia_*.fit", "nia_*.gpx"]',
        'races = { 5K = "19:00" }',
        "",
    ]
    return "\n".join(lines)


@pytest.fixture(scope="session")
def squad_dir(tmp_path_factory) -> Path:
    """The squad's folder (files + truth files) and, next to it, the roster."""
    base = tmp_path_factory.mktemp("squad")
    files = base / "files"
    for index, athlete in enumerate(ATHLETES):
        build_sample(_spec(index, *athlete), files)
    liam = files / "liam_2026-05-12.fit"
    liam.write_bytes(liam.read_bytes()[: liam.stat().st_size // 2])
    shutil.copy(files / "eli_2026-05-12.fit", files / "mo_2026-05-12.fit")
    shutil.copy(files / "gus_2026-05-12.fit", files / "visitor_2026-05-12.fit")
    (base / "squad.toml").write_text(_roster_toml(), encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def squad(squad_dir):
    """The library run over the folder, two workers."""
    roster = load_roster(squad_dir / "squad.toml")
    files = [str(p) for p in expand_paths([squad_dir / "files"])]
    return run_squad(files, roster, CheckOptions(plan=parse_plan(PLAN)), jobs=2)


def _truth(squad_dir: Path, aid: str) -> dict:
    return json.loads((squad_dir / "files" / f"{aid}_2026-05-12.truth.json").read_text())


def _row(squad, name):  # type: ignore[no-untyped-def]
    return next(r for r in squad.overview.rows if r.athlete == name)


def test_files_are_assigned_by_the_roster_globs(squad_dir):
    """Each athlete gets the files its glob matches; the visitor's file is nobody's."""
    roster = load_roster(squad_dir / "squad.toml")
    files = [p.name for p in expand_paths([squad_dir / "files"])]
    per_athlete, unmatched = assign_files(files, roster)
    assert [(a.id, paths) for a, paths in per_athlete][:2] == [
        ("ana", ["ana_2026-05-12.fit"]),
        ("ben", ["ben_2026-05-12.fit"]),
    ]
    assert {a.id: paths for a, paths in per_athlete}["nia"] == []
    assert unmatched == ["visitor_2026-05-12.fit"]


def test_rows_follow_the_roster_then_unmatched_files(squad):
    """Overview rows and results are in roster order; unmatched files come last."""
    assert [r.athlete for r in squad.overview.rows] == [*NAMES, None]
    assert [r.athlete for r in squad.results] == [
        *NAMES[:13],
        None,
    ]  # Nia has no file, so no result
    assert squad.overview.roster == "Tuesday group"
    assert squad.overview.reps == 5


def test_each_athletes_verdicts_follow_their_truth(squad, squad_dir):
    """Every rep's verdict is what the truth pace implies against the athlete's own 5K pace,
    and each runner's behaviour shows in the row: on target, too fast, fading, a missed rep."""
    roster = load_roster(squad_dir / "squad.toml")
    checked = 0
    for athlete in roster.athletes[:11]:
        truth = _truth(squad_dir, athlete.id)
        behaviour = truth["extra"]["behaviour"]
        result = next(r for r in squad.results if r.athlete == athlete.profile.name)
        row = _row(squad, athlete.profile.name)
        step = resolve(parse_plan(PLAN), athlete.profile).reps[0]
        assert step.pace_s_per_km == pytest.approx(_seconds(truth["extra"]["five_k"]) / 5)
        half = (step.slowest_s_per_km - step.fastest_s_per_km) / 2
        by_rep = {ss.segment.rep: ss for ss in result.reps}
        for seg in (s for s in truth["segments"] if s["kind"] == "rep"):
            off = seg["pace_s_per_km"] - step.pace_s_per_km
            verdict = by_rep[seg["rep"]].verdict
            if off > 2 * half:
                assert verdict is Verdict.TOO_SLOW, (athlete.id, seg["rep"])
            elif off < -2 * half:
                assert verdict is Verdict.TOO_FAST, (athlete.id, seg["rep"])
            elif abs(off) < 0.5 * half:
                assert verdict is Verdict.ON_TARGET, (athlete.id, seg["rep"])
        statuses = {c.id: c.status for c in result.checks if c.rep is None}
        if behaviour == "on_target":
            assert (result.status, row.reps_on_target, row.reps_planned, row.worst_fault) == (
                Status.PASS,
                5,
                5,
                None,
            )
            assert result.score >= 90
        elif behaviour == "too_fast":
            assert result.status is Status.FAIL and row.reps_on_target == 0
            assert all(ss.verdict is Verdict.TOO_FAST for ss in result.reps)
            assert row.worst_fault.startswith("Rep 1: ") and "faster than" in row.worst_fault
        elif behaviour == "fading":
            assert statuses["fade"] is Status.FAIL
            assert [ss.verdict for ss in result.reps][-1] is Verdict.TOO_SLOW
            # the fade outranks the equally failing slow reps: it says what went wrong
            assert row.worst_fault.startswith("The reps faded: ") and "slower" in row.worst_fault
        elif behaviour == "missed_rep":
            assert truth["missed_reps"] == [3]
            assert by_rep[3].verdict is Verdict.MISSED
            assert [c.message for c in result.checks if c.id == "missing_rep"] == [
                "Rep 3 (1000m @ 5K pace) was not run."
            ]
            assert (row.reps_on_target, row.reps_planned) == (4, 5)
            # the rep not run comes before any other failure (here a long recovery)
            assert row.worst_fault == "Rep 3 (1000m @ 5K pace) was not run."
        checked += 1
    assert checked == 11


def test_matrix_signs_and_colours(squad):
    """Deviation is pace minus target pace: negative for the fast runner, rising for the fader,
    a missed cell for the missed rep, small and passing for those on target."""
    ben, dev, fay, ana = (_row(squad, n) for n in ("Ben", "Dev", "Fay", "Ana"))
    assert all(c.deviation_s_per_km < -8 and c.status is Status.FAIL for c in ben.cells)
    devs = [c.deviation_s_per_km for c in dev.cells]
    assert devs[-1] > 10 and devs[-1] > devs[0] + 10 and dev.cells[-1].status is Status.FAIL
    assert [(c.rep, c.verdict, c.status) for c in fay.cells if c.missed] == [
        (3, Verdict.MISSED, Status.FAIL)
    ]
    assert fay.cells[2].deviation_s_per_km is None
    assert all(abs(c.deviation_s_per_km) < 4 and c.status is Status.PASS for c in ana.cells)


def test_problem_rows_do_not_stop_the_squad(squad):
    """The truncated file, the profile without a 5K time, the stray file and the athlete with
    no file each get their own row; everyone else is checked."""
    liam, mo, nia = (_row(squad, n) for n in ("Liam", "Mo", "Nia"))
    assert liam.status is Status.ERROR and "truncated" in liam.worst_fault
    assert mo.status is Status.ERROR and '"5K pace" needs the 5K race time' in mo.worst_fault
    assert (nia.file, nia.status, nia.worst_fault, nia.cells) == (None, None, None, ())
    stray = squad.overview.rows[-1]
    assert (stray.athlete, Path(stray.file).name, stray.worst_fault) == (
        None,
        "visitor_2026-05-12.fit",
        UNMATCHED,
    )
    codes = {r.athlete: r.exit_code for r in squad.results if r.status is Status.ERROR}
    assert codes == {"Liam": 3, "Mo": 2, None: 2}
    assert sum(r.status is not Status.ERROR for r in squad.results) == 11


def _squad_cli(squad_dir: Path, *args: str, folder: Path | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app,
        [
            "squad",
            str(folder or squad_dir / "files"),
            "--roster",
            str(squad_dir / "squad.toml"),
            "--plan",
            PLAN,
            *args,
        ],
    )


def test_cli_json_is_checks_contract_with_athletes_and_exit_3(squad_dir, squad):
    """--format json is check's schema 1, results in roster order each with its athlete; the
    unreadable file makes the exit code 3 while every other file is reported."""
    result = _squad_cli(squad_dir, "--format", "json", "--jobs", "2")
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and set(data) == {"schema_version", "results"}
    assert [r["athlete"] for r in data["results"]] == [*NAMES[:13], None]
    assert [r["status"] for r in data["results"]][:6] == [
        "pass",
        "fail",
        "pass",
        "fail",
        "pass",
        "fail",
    ]
    assert result.stdout == render(list(squad.results), "json", color=False)
    assert "liam_2026-05-12.fit: FIT file is truncated" in result.stderr
    assert result.stderr.count("workoutcheck: error: ") == 3


def test_cli_table_overview_then_details(squad_dir):
    """The table starts with the overview (roster order, reps on target, worst fault), then the
    matrix, then check's table for every file; without a terminal, no colour codes."""
    result = _squad_cli(squad_dir)
    assert result.exit_code == 3, result.output
    out = result.stdout
    assert "\x1b[" not in out
    overview, details = out.split(MATRIX_TITLE)
    lines = overview.splitlines()
    assert lines[0] == "squad: Tuesday group"
    athletes = [line.split()[0] for line in lines[3:] if line[:1].isalpha() or line.startswith("(")]
    assert athletes == [*NAMES, "(no"]  # "(no athlete)"
    fay = next(line for line in lines if line.startswith("Fay "))
    assert re.search(r"FAIL\s+4/5\s+\d+", fay)
    matrix = details.split("\n\n")[0].splitlines()
    assert matrix[1].split() == [
        "athlete",
        "rep",
        "1",
        "rep",
        "2",
        "rep",
        "3",
        "rep",
        "4",
        "rep",
        "5",
    ]
    ben = next(line for line in matrix if line.startswith("Ben "))
    assert all(int(v) < 0 for v in ben.split()[1:])
    assert next(line for line in matrix if line.startswith("Fay ")).split()[3] == "missed"
    assert (
        "ana_2026-05-12.fit  (Ana)" in details
        and "visitor_2026-05-12.fit: error: matches no athlete" in details
    )


def test_colour_only_changes_colour(squad):
    """On a terminal the matrix is coloured (green on target, red failed); the text is the same."""
    plain = render_squad_table(list(squad.results), squad.overview, color=False)
    coloured = render_squad_table(list(squad.results), squad.overview, color=True)
    assert "\x1b[32m" in coloured and "\x1b[31m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_unmatched_file_is_exit_2_not_3(squad_dir, tmp_path):
    """Without the unreadable file, a stray file makes the run exit 2 (the roster does not
    cover the folder), and the athlete's file is still checked."""
    folder = tmp_path / "small"
    folder.mkdir()
    for name in ("ana_2026-05-12.fit", "visitor_2026-05-12.fit"):
        shutil.copy(squad_dir / "files" / name, folder / name)
    result = _squad_cli(squad_dir, "--format", "json", folder=folder)
    assert result.exit_code == 2, result.output
    assert [
        (r["athlete"], r["status"], r["error"]) for r in json.loads(result.stdout)["results"]
    ] == [("Ana", "pass", None), (None, "error", UNMATCHED)]


def test_csv_and_junit_reuse_checks_renderers(squad_dir, squad):
    """CSV and JUnit are check's renderers over the squad's results."""
    for fmt in ("csv", "junit"):
        result = _squad_cli(squad_dir, "--format", fmt, "-j", "1")
        assert result.exit_code == 3
        assert result.stdout_bytes.decode() == render(list(squad.results), fmt, color=False)


def test_squad_needs_a_plan_and_a_folder(squad_dir):
    """No plan, or a file instead of a folder, is bad usage (exit 2) with one line."""
    no_plan = runner.invoke(
        app, ["squad", str(squad_dir / "files"), "--roster", str(squad_dir / "squad.toml")]
    )
    assert no_plan.exit_code == 2 and "give the plan everyone ran" in no_plan.stderr
    not_folder = _squad_cli(squad_dir, folder=squad_dir / "squad.toml")
    assert not_folder.exit_code == 2 and "not a folder" in not_folder.stderr


def test_cli_html_draws_the_squads_overview(squad_dir):
    """--format html is the squad page: the overview in roster order and the matrix coloured by
    each rep's check (Ben's five fast reps, Dev's last three and Fay's missed rep in red)."""
    out = squad_dir / "squad.html"
    result = _squad_cli(squad_dir, "--format", "html", "--output", str(out))
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert "<title>workoutcheck: squad Tuesday group</title>" in page
    cells = re.findall(r'class="cell (\w+)"', page)
    assert cells.count("fail") == 9 and cells.count("warn") + cells.count("pass") == 46
    positions = [page.index(f">{name}<") for name in ("Ana", "Ben", "Kit", "Liam", "Mo", "Nia")]
    assert positions == sorted(positions)


def _faults(*checks: Check) -> FileResult:
    return FileResult(file="x.fit", status=Status.FAIL, plan="5x1000m", checks=checks)


def test_worst_fault_puts_status_first_then_session_faults():
    """The worst status wins; among equals a rep not run, then fade / consistency / a too fast
    first rep, then other session-level faults, then per-rep ones (first in check order)."""
    slow2 = Check("rep_pace", Status.FAIL, "Rep 2: 12 s/km slower.", 2)
    slow4 = Check("rep_pace", Status.FAIL, "Rep 4: 17 s/km slower.", 4)
    recovery = Check("recovery", Status.FAIL, "Recovery after rep 1: 351% longer.", 1)
    faded = Check("fade", Status.FAIL, "The reps faded: 9.5% slower.")
    missing = Check("missing_rep", Status.FAIL, "Rep 3 was not run.", 3)
    uneven = Check("consistency", Status.WARN, "Rep paces were inconsistent.")
    first = Check("first_rep_too_fast", Status.WARN, "Rep 1 was run 4% faster.", 1)
    extra = Check("extra_rep", Status.WARN, "An unplanned effort at 12:00.")
    passed = Check("rep_pace", Status.PASS, "Rep 1: on target.", 1)
    assert worst_fault(_faults(slow2, recovery, uneven, faded, missing)) == "Rep 3 was not run."
    assert worst_fault(_faults(slow2, slow4, uneven, faded)) == "The reps faded: 9.5% slower."
    assert worst_fault(_faults(uneven, slow2, slow4)) == "Rep 2: 12 s/km slower."  # fail > warn
    assert worst_fault(_faults(slow4, recovery, slow2)) == "Rep 4: 17 s/km slower."
    assert (
        worst_fault(
            _faults(Check("rep_pace", Status.WARN, "Rep 2: 5 s/km slower.", 2), extra, first)
        )
        == "Rep 1 was run 4% faster."
    )
    assert (
        worst_fault(_faults(Check("even_effort", Status.WARN, "Rep 2: uneven.", 2), extra))
        == "An unplanned effort at 12:00."
    )
    assert worst_fault(_faults(passed)) is None
    assert worst_fault(FileResult("x.fit", Status.ERROR, error="truncated")) == "truncated"
    assert worst_fault(FileResult("x.fit", Status.ERROR)) == "could not be checked"


def test_overview_model_is_pure_data():
    """score.overview reads results (and the check table) only: no plan, roster, ingest or
    batch, no third party."""
    tree = ast.parse(Path(overview_module.__file__).read_text(encoding="utf-8"))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    ours = {n for n in names if n.split(".")[0] == "workoutcheck"}
    assert ours and ours <= {
        "workoutcheck.score.result",
        "workoutcheck.score.rules",
        "workoutcheck.segment.result",
    }
    assert all(
        n.split(".")[0] in sys.stdlib_module_names or n == "__future__" for n in names - ours
    )
