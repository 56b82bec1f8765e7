"""Start-up (issue 18), pinned by module name, never by time: ``workoutcheck --help`` imports
neither the readers nor numpy, and a one-file check runs in one process (no worker, no
multiprocessing) and imports only what its kind of file and its format need: no rich for the
table in a pipe (``report.table_text``), no plan table or zones, nothing of the other commands.
``benchmarks/startup.py`` measures the CPU this saves."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

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
    from workoutcheck.ingest.readers import READERS
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
    every = {"workoutcheck.ingest.timeline", *(m for r in READERS for m in r.preload)}
    assert set(_preload_for([("a.fit.gz", None, None)])) == every


def test_a_one_file_fit_check_never_imports_the_xml_readers(tmp_path):
    """The whole process tree of `check run.fit` (a worker, were there one) leaves gpxpy, the
    XML parsers and pydantic (which typer 0.29 imports at start-up) alone."""
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
    assert len(dumps) == 1  # the CLI process: one file is checked in it, no worker
    assert any("workoutcheck.ingest.fit.read" in d for d in dumps)
    for modules in dumps:
        assert not [
            m for m in modules if m.split(".")[0] in ("gpxpy", "defusedxml", "lxml", "pydantic")
        ]


def _one_file_check_modules(tmp_path, sample: str, fmt: str) -> set[str]:
    """Every module imported by ``workoutcheck check SAMPLE --format FMT``: the CLI process's at
    exit (and a worker's, were there one: the probe would see it)."""
    from tests.conftest import SAMPLES

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
        "sys.argv = ['workoutcheck', 'check', sys.argv[2], '--format', sys.argv[3], '--plan',\n"
        "            '15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km']\n"
        "from workoutcheck.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path), str(SAMPLES / sample), fmt],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr[-2000:]  # 1: a rep failed, still a whole check
    assert Path(sample).stem in out.stdout and "plan" in out.stdout, out.stdout[-500:]
    dumps = [p.read_text().split() for p in tmp_path.iterdir()]
    assert len(dumps) == 1  # the CLI process: one file is checked in it, no worker
    return {m for modules in dumps for m in modules}


# what no one-file check imports: multiprocessing (no worker), the CLI stack's pydantic (typer
# 0.29), numpy.ma (numpy 2.4's median, percentile and unique import it; model.stats does their
# work without), the other commands' packages and libraries, the readers workoutcheck no longer
# uses, what only --output, a profile, a roster, .gz or csv need; rich (the table in a pipe or
# a file is written by report.table_text), the plan table and zones, JUnit's spool (tempfile)
NEVER = (
    "multiprocessing",  # one file is checked in the CLI process (run.guard), no worker
    "rich",
    "workoutcheck.report.check_table",
    "workoutcheck.plan.render",
    "workoutcheck.plan.zones",
    "tempfile",
    "pydantic",
    "numpy.ma",
    "watchdog",
    "sqlite3",
    "garmin_fit_sdk",
    "gpxpy",
    "lxml",
    "defusedxml",
    "tomllib",
    "csv",
    "gzip",
    "hashlib",
    "secrets",
    "workoutcheck.history",
    "workoutcheck.watch",
    "workoutcheck.export",
    "workoutcheck.report.check_html",
    "workoutcheck.report.squad_table",
    "rich.progress",
)
ONLY_FOR = {  # what only the other kind of file, or the other format, needs
    ".fit": ("xml", "pyexpat", "workoutcheck.ingest.xml"),
    ".gpx": ("fitparse", "workoutcheck.ingest.fit"),
    "json": ("workoutcheck.report.table_text", "workoutcheck.report.table_blocks"),
    "table": ("workoutcheck.report.stream", "workoutcheck.run.batch_output"),
}


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("sample", ["five_by_1000_track.fit", "five_by_1000_track.gpx"])
def test_a_one_file_check_imports_only_what_its_file_and_format_need(tmp_path, sample, fmt):
    """Issue 18's start-up: a one-file check (one process: no worker) imports the readers of
    its own kind of file, the renderer of its own format (the table without rich: it is not on
    a terminal), and of libraries only numpy, typer (with what typer itself requires but rich)
    and fitparse for a FIT file (the lap and session messages are decoded with its profile);
    nothing named in NEVER or meant for the other kind of file or format."""
    modules = _one_file_check_modules(tmp_path, sample, fmt)
    suffix = Path(sample).suffix
    unwanted = NEVER + ONLY_FOR[suffix] + ONLY_FOR[fmt]
    found = sorted(m for m in modules if any(m == u or m.startswith(u + ".") for u in unwanted))
    assert found == [], f"{sample} --format {fmt} imported {found[:10]}"

    typer_needs = {
        re.split(r"[ ;<>=!\[]", requirement)[0].lower().replace("-", "_")
        for requirement in importlib.metadata.requires("typer") or ()
        if "extra ==" not in requirement
    } - {"rich"}  # typer requires rich, but a check does not import it
    libraries = {m.split(".")[0] for m in modules} - set(sys.stdlib_module_names)
    libraries = {m for m in libraries if not m.startswith("_")}  # __main__, site's hooks
    expected = {"workoutcheck", "numpy", "typer"} | ({"fitparse"} if suffix == ".fit" else set())
    assert libraries - typer_needs == expected
    # the whole import set stays of the size it has now (about 330 modules for json and for the
    # table): a new dependency of a few dozen modules on this path shows here
    assert len(modules) < 360


def test_main_builds_only_the_named_command_and_says_the_same(monkeypatch, capsys):
    """``main`` builds only the command named first (typer's per-command set-up is a tenth of
    a one-file check's start); its help, and the error for a mistyped name, are those of the
    whole app, and the app keeps every command afterwards."""
    import typer

    from workoutcheck import cli

    try:  # the whole app's help of check, written as main writes it
        typer.main.get_command(cli.app).main(["check", "--help"], prog_name="workoutcheck")
    except SystemExit as exc:
        assert exc.code == 0
    expected = capsys.readouterr().out
    names = [c.callback.__name__ for c in cli.app.registered_commands if c.callback]
    monkeypatch.setattr(sys, "argv", ["workoutcheck", "check", "--help"])
    built: list[list[str]] = []
    real = cli.app.__call__

    def spy(*args, **kwargs):
        built.append([c.callback.__name__ for c in cli.app.registered_commands if c.callback])
        return real(*args, **kwargs)

    monkeypatch.setattr(type(cli.app), "__call__", lambda self, *a, **k: spy(*a, **k))
    try:
        cli.main()
    except SystemExit as exc:
        assert exc.code == 0
    assert built == [["check"]]
    shown = capsys.readouterr().out  # the program's name is pytest's here
    assert re.sub(r"^Usage: .*? check ", "Usage: workoutcheck check ", shown) == expected
    assert [c.callback.__name__ for c in cli.app.registered_commands if c.callback] == names

    monkeypatch.setattr(sys, "argv", ["workoutcheck", "chek", "run.fit"])
    try:
        cli.main()
    except SystemExit as exc:
        assert exc.code == 2
    assert "No such command 'chek'. Did you mean 'check'?" in capsys.readouterr().err
    assert built[-1] == names
