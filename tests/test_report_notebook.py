"""The table as a coach's notebook, on sessions whose truth is known (samplegen), against
golden files: standing recoveries, strides in the warm-up, a miles profile, no plan.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_report_notebook.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.notebook_cases import (
    MILES_PROFILE,
    SAMPLES,
    STRIDES_PLAN,
    build,
    easy_run,
    strides_in_warmup,
)
from workoutcheck.plan import load_profile, parse_plan
from workoutcheck.report.check_table import render_table
from workoutcheck.report.notebook import problems
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score.result import Check, Status

GOLDEN = Path(__file__).parent / "golden" / "notebook"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("notebook")
    return {"strides": build(strides_in_warmup(), folder), "easy": build(easy_run(), folder)}


def _table(path: Path, plan: str | None, profile=None, unit: str | None = None) -> str:  # type: ignore[no-untyped-def]
    options = CheckOptions(plan=parse_plan(plan) if plan else None, unit=unit)
    result = check_file(str(path), options, profile)
    # the golden files name the file by its base name, wherever the test put it
    from dataclasses import replace

    return render_table([replace(result, file=path.name)], color=False)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs; UPDATE_GOLDEN=1 if intended"
    )


def test_standing_recoveries_say_stood_not_a_pace() -> None:
    text = _table(
        SAMPLES / "ten_by_200_autopause.fit", "wu 15min; 10x200m @ 36s, 60s rest; cd 10min"
    )
    _golden("standing-recovery", text)
    recoveries = [line for line in text.splitlines() if line.lstrip().startswith("recovery")]
    assert len(recoveries) == 10  # the plan rests after every rep
    assert all("stood 1:0" in line or "stood 0:5" in line for line in recoveries)
    assert "/km" not in "".join(recoveries)  # no 57:23/km paces for standing


def test_strides_before_rep_one_are_one_warmup_row(built: dict[str, Path]) -> None:
    text = _table(built["strides"], STRIDES_PLAN)
    _golden("strides-warmup", text)
    lines = text.splitlines()
    head = [
        line.split()[0]
        for line in lines
        if line.startswith("  ") and line.split()[0] in ("warm-up", "extra", "rep")
    ]
    assert head[:2] == [
        "warm-up",
        "rep",
    ]  # one warm-up row, then rep 1: no warm-up/extra alternation
    warmup = next(line for line in lines if line.lstrip().startswith("warm-up"))
    assert "with 4 strides" in warmup
    assert "14:03.0" in warmup  # 10 min jog + 4 x (20 s stride + 40 s jog)


def test_miles_profile_shows_miles(tmp_path: Path) -> None:
    profile_path = tmp_path / "ana.toml"
    profile_path.write_text(MILES_PROFILE, encoding="utf-8")
    plan = "15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km"
    text = _table(SAMPLES / "five_by_1000_track.fit", plan, load_profile(profile_path))
    _golden("miles-profile", text)
    shown = text.replace(plan, "")  # the coach's plan is quoted as written
    assert "/km" not in shown and " km" not in shown
    assert "5:55-6:09/mi" in text  # 3:45/km ±2% per mile
    assert "0.62 mi" in text  # a 1000 m rep
    overridden = _table(
        SAMPLES / "five_by_1000_track.fit", plan, load_profile(profile_path), unit="km"
    )
    assert "/mi" not in overridden and "3:45/km" in overridden


def test_no_plan_is_described_not_passed(built: dict[str, Path]) -> None:
    text = _table(SAMPLES / "eight_by_400_track.fit", None) + "\n" + _table(built["easy"], None)
    _golden("no-plan", text)
    assert "PASS" not in text
    assert text.count("status: described (no checks run)") == 2
    easy = text.split("\n\n")[-1] if "\n\n" in text else text
    assert "no interval session found" in text and "#" not in easy.split("status:")[1]


def test_advice_is_said_once_with_the_reps_listed() -> None:
    advice = "start at the pace you can hold"
    checks = tuple(
        Check(
            "start_too_fast",
            Status.WARN,
            f"Rep {n}: the first 250 m were {q}% quicker than the rest of the rep: {advice}.",
            n,
        )
        for n, q in ((2, 6), (5, 8))
    ) + (Check("fade", Status.WARN, "The last reps faded: 4% slower than the first.", None),)
    found = problems(checks)
    assert [p.message.count(advice) for p in found] == [1, 0]
    assert found[0].message == (
        "Rep 2: the first 250 m were 6% quicker than the rest of the rep; Rep 5: the first 250 m were "
        f"8% quicker than the rest of the rep: {advice} (reps 2, 5)."
    )
    single = problems(checks[:1])
    assert single[0].message == checks[0].message  # one rep: its message as the scorer wrote it


def test_recovery_advice_is_grouped_too() -> None:
    advice = "keep moving between reps"
    checks = tuple(
        Check(
            "recovery",
            Status.WARN,
            f"Recovery after rep {n}: stood or walked ({t}) where a jog was prescribed: {advice}.",
            n,
        )
        for n, t in ((2, "2:09"), (3, "1:10"))
    )
    (found,) = problems(checks)
    assert found.message.count(advice) == 1 and found.message.endswith(f"{advice} (reps 2, 3).")
