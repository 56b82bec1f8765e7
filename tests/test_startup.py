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
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert "Usage" in out.stdout
    modules = json.loads(out.stdout.rsplit("MODULES=", 1)[1])
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"--help imported {heavy[:10]}"


def test_a_batch_preloads_only_the_readers_its_files_need():
    """A FIT check's worker does not import gpxpy or the TCX reader; a name that does not tell
    the kind (.gz) preloads every reader."""
    from workoutcheck.run.batch import _preload_for

    fit = _preload_for([("a/run.FIT", None, None)])
    assert fit == (
        "workoutcheck.ingest.timeline",
        "workoutcheck.ingest.fit.read",
        "workoutcheck.ingest.fit.combined",
    )
    both = _preload_for([("a.gpx", None, None), ("b.tcx", None, None), ("c.gpx", None, None)])
    assert sorted(both) == [
        "workoutcheck.ingest.timeline",
        "workoutcheck.ingest.xml.gpx",
        "workoutcheck.ingest.xml.tcx",
    ]
    assert len(_preload_for([("a.fit.gz", None, None)])) == 5


def test_a_one_file_fit_check_never_imports_the_xml_readers(tmp_path):
    """The whole process tree of `check run.fit` (the worker included) leaves gpxpy, the XML
    parsers and pydantic (which typer 0.29 imports at start-up) alone."""
    from tests.conftest import SAMPLES

    sample = sorted(SAMPLES.glob("*.fit"))[0]
    probe = (
        "import sys, atexit, os\n"
        "out = sys.argv[1]\n"
        "def dump():\n"
        "    with open(os.path.join(out, str(os.getpid())), 'w') as fh:\n"
        "        fh.write(' '.join(sorted(sys.modules)))\n"
        "atexit.register(dump)\n"
        "import workoutcheck.run.batch as b\n"
        "real = b._worker_main\n"
        "def worker(*a):\n"
        "    try:\n"
        "        real(*a)\n"
        "    finally:\n"
        "        dump()\n"
        "b._worker_main = worker\n"
        "sys.argv = ['workoutcheck', 'check', sys.argv[2], '--plan', '3x1000m @ 4:00/km, 400m jog']\n"
        "from workoutcheck.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path), str(sample)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dumps = [p.read_text().split() for p in tmp_path.iterdir()]
    assert len(dumps) == 2  # the CLI process and its worker
    assert any("workoutcheck.ingest.fit.read" in d for d in dumps)
    for modules in dumps:
        assert not [
            m for m in modules if m.split(".")[0] in ("gpxpy", "defusedxml", "lxml", "pydantic")
        ]
