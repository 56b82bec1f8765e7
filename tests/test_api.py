"""The library API: ``import workoutcheck`` is light, and the README's Python snippet runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _readme_snippet() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_snippet_runs_and_prints_the_checked_session():
    out = subprocess.run(
        [sys.executable, "-c", _readme_snippet()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    status, score, paces = out[0].split(" ", 2)
    assert (status, score) == ("pass", "95.4")
    # the first two reps, about 3:45/km as planned, timed by the watch's lap clock (the truth:
    # 221.34 and 226.68 s/km; from the laps' whole-second timestamps 221.0 and 226.0)
    assert json.loads(paces) == pytest.approx([221.266, 226.397], abs=0.001)
    assert out[1:3] == ["{", '  "schema_version": 1,']
    assert out[-1] == "error no such file"


def test_help_lists_the_api_and_importing_it_loads_no_heavy_module():
    probe = (
        "import pydoc, sys, json, workoutcheck\n"
        "text = pydoc.render_doc(workoutcheck, renderer=pydoc.plaintext)\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('numpy', 'fitparse', 'gpxpy')]\n"
        "print(json.dumps([text, heavy]))"
    )
    text, heavy = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    )
    assert heavy == []
    functions = text.split("FUNCTIONS", 1)[1]
    for name in ("load", "parse_plan", "resolve", "segment", "score", "check_file", "render"):
        assert re.search(rf"^    {name}\(", functions, re.M), name


def test_the_api_stays_the_api_after_its_subpackages_are_imported():
    """``wc.score`` and ``wc.segment`` share their names with subpackages, which Python binds
    to the package on first import: they stay the functions, call after call, and the
    subpackages still import."""
    probe = (
        "import workoutcheck as wc\n"
        "plan = wc.resolve(wc.parse_plan('8x400m @ 80s, 400m jog'))\n"
        "out = []\n"
        "for name in ('eight_by_400_track.fit', 'race_400m_track.fit'):\n"
        "    activity = wc.load('sample_files/' + name)\n"
        "    result = wc.score(activity, wc.segment(activity, plan), plan)\n"
        "    out.append(result.status.value)\n"
        "import workoutcheck.score.rules\n"
        "from workoutcheck.segment import segment\n"
        "from workoutcheck.score import Thresholds\n"
        "import sys\n"
        "assert wc.score is not sys.modules['workoutcheck.score'] and callable(wc.segment)\n"
        "print(' '.join(out), type(wc.score).__name__, type(wc.segment).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["function", "function"]
    assert len(out.stdout.split()) == 4
