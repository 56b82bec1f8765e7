"""A generated season shows its trend: one athlete, 40 sessions over 16 weeks, every pace 3%
faster by the end at the same heart rate (``samplegen.season``).

The season is written into the test's tmp dir (never into sample_files/), checked against each
session's own plan, stored, and read back through ``workoutcheck history``: the JSON must give
the 3% within 0.5%, a flat heart rate in the reps, and a heart rate at the same pace that falls;
Chromium must draw it.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from samplegen import build_season
from tests.browserkit import browse, count_colour, pixels
from tests.conftest import ROOT
from tests.test_report_html import _Tags
from workoutcheck.cli import app
from workoutcheck.history import HistoryDB
from workoutcheck.plan import Profile, parse_plan
from workoutcheck.run.batch import run_checks
from workoutcheck.run.pipeline import CheckOptions
from workoutcheck.score import Status

# a generated 40-session season, checked: about a minute before the first test
pytestmark = pytest.mark.long

IMPROVEMENT_PCT = -3.0
SCHEMA = json.loads(
    (ROOT / "tests" / "golden" / "history-v1.schema.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def season(tmp_path_factory) -> tuple[Path, list[dict]]:
    """(the history database, the season's truth per session)."""
    folder = tmp_path_factory.mktemp("season")
    paths = build_season(folder / "files")
    truth = json.loads((folder / "files" / "season.truth.json").read_text(encoding="utf-8"))[
        "sessions"
    ]
    athlete = Profile("Ana")
    tasks = [
        (str(p), CheckOptions(plan=parse_plan(t["plan"])), athlete)
        for p, t in zip(paths, truth, strict=True)
    ]
    results = run_checks(tasks, 2)
    assert all(r.status is not Status.ERROR for r in results), [r.error for r in results if r.error]
    db = folder / "season.db"
    with HistoryDB(db) as history:
        assert history.record(results) == 40
    return db, truth


def _history(db: Path, *args: str) -> str:
    done = CliRunner().invoke(app, ["history", str(db), *args])
    assert done.exit_code == 0, done.output
    return done.stdout


def test_the_season_trend_is_in_the_json_within_half_a_percent(season):
    db, truth = season
    data = json.loads(_history(db, "--athlete", "Ana", "--format", "json"))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(data, SCHEMA)
    sessions, trends = data["sessions"], data["trends"]
    assert len(sessions) == 40 and {s["athlete"] for s in sessions} == {"Ana"}
    assert [s["date"] for s in sessions] == [t["start_time"][:10] for t in truth]
    for stored, true in zip(sessions, truth, strict=True):
        assert stored["rep_pace_s_per_km"] == pytest.approx(true["rep_pace_s_per_km"], rel=0.012)
    assert [(g["shape"], len(g["sessions"]), g["reps"]) for g in data["groups"]] == [
        ("5x1000m", 14, 5),
        ("4x1600m", 13, 4),
        ("8x400m", 13, 8),
    ]
    assert all(len(row) == g["reps"] for g in data["groups"] for row in g["paces"])
    pace = trends["rep_pace"]
    assert (pace["sessions"], pace["span_days"], pace["change_unit"]) == (40, 111.0, "%")
    assert abs(pace["change"] - IMPROVEMENT_PCT) <= 0.5
    assert abs(trends["rep_heart_rate"]["change"]) <= 0.5  # ...at the same heart rate
    at_pace = trends["heart_rate_at_reference_pace"]
    assert at_pace["sessions"] == 40 and -3.5 < at_pace["change"] < -1.0
    assert 220.0 < trends["reference_pace_s_per_km"] < 230.0
    for line in pace["lines"]:  # every shape got faster, by the same factor
        assert line["to"]["value"] / line["from"]["value"] == pytest.approx(
            1 + pace["change"] / 100, abs=0.004
        )
    table = _history(db).splitlines()
    readme = (
        (ROOT / "README.md")
        .read_text(encoding="utf-8")
        .split("```\nrep pace at target effort", 1)[1]
    )
    shown = ("rep pace at target effort" + readme.split("```", 1)[0]).splitlines()
    assert len(shown) == 4 and all(line in table for line in shown), shown  # the README stays true


def test_the_season_trend_is_drawn_in_chromium(season, tmp_path):
    """The HTML page in headless Chromium: one point per session on each chart, the pace trend
    going up the chart (faster) for every shape, the shapes' colours on screen, no fetches."""
    db, _ = season
    page = _history(db, "--format", "html", "--athlete", "Ana")
    dom, png, requests = browse(page, tmp_path, size="600,1600")
    assert requests == []
    tags = _Tags(dom)
    charts = {a["data-trend"]: a for a in tags.with_class("svg", "trend")}
    assert set(charts) == {"rep_pace", "rep_heart_rate", "heart_rate_at_reference_pace", "score"}
    assert abs(float(charts["rep_pace"]["data-change"] or "nan") - IMPROVEMENT_PCT) <= 0.5
    assert len(tags.with_class("circle", "point")) == 4 * 40
    fits = list(tags.with_class("line", "fit"))[:3]  # the pace chart comes first
    assert {a["data-shape"] for a in fits} == {"5x1000m", "4x1600m", "8x400m"}
    assert all(float(a["y2"] or 0) < float(a["y1"] or 0) for a in fits)  # faster is up
    assert "<h1>workoutcheck: history of Ana</h1>" in dom
    _, _, rgb = pixels(png)
    assert count_colour(rgb, (0x0D, 0x47, 0xA1), 40) > 200  # 5x1000m points and line
    assert count_colour(rgb, (0xE6, 0x51, 0x00), 40) > 200  # 4x1600m
