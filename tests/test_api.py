"""The library API: ``import workoutcheck`` is light, and the README's Python snippet runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

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
    assert json.loads(paces) == [221.0, 226.0]  # the first two reps, about 3:45/km as planned
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
