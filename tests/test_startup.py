"""``workoutcheck --help`` starts lean: the heavy readers and numpy are imported only by commands
that read files, so asking for help never pays for them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("fitparse", "gpxpy", "numpy")

PROBE = """
import json, sys
sys.argv = ["workoutcheck", "--help"]
from workoutcheck.cli import main
try:
    main()
except SystemExit:
    pass
print("\\nMODULES=" + json.dumps(sorted(sys.modules)))
"""


def test_help_imports_neither_readers_nor_numpy():
    """`workoutcheck --help` starts without importing fitparse, gpxpy or numpy."""
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    assert "Usage" in out.stdout
    modules = json.loads(out.stdout.rsplit("MODULES=", 1)[1])
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"--help imported {heavy[:10]}"
