"""Shared test fixtures: where the real-file corpus lives, and skipping when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_files"
# the one place the real-file corpus is looked for: WORKOUTCHECK_CORPUS, else beside the checkout
CORPUS = Path(os.environ.get("WORKOUTCHECK_CORPUS") or ROOT.parent / "shared" / "corpus")
SEEDS = ROOT.parent / "shared" / "seeds"  # the coaching texts the plan grammar was written from
# tests marked long (whole-corpus comparisons, big generated seasons) run under CI (CI set, as
# .ci/run has it on a CI server), with WORKOUTCHECK_LONG=1, or when -m selects them
LONG = bool(os.environ.get("CI") or os.environ.get("WORKOUTCHECK_LONG"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if LONG or config.getoption("markexpr"):
        return
    skip = pytest.mark.skip(reason="long: runs under CI (CI set) or with WORKOUTCHECK_LONG=1")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The corpus folder, for tests that open files in it by name; skipped when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (set WORKOUTCHECK_CORPUS)")
    return CORPUS


def corpus_file(*parts: str) -> Path:
    """A file of the shared corpus, read in place; the test is skipped when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus file {path} not present")
    return path


def corpus_files(folder: str, pattern: str = "*") -> list[Path]:
    """Files of one corpus folder (empty when the corpus is absent: tests parametrised on it
    then have no cases, and a separate test says the corpus was skipped)."""
    base = CORPUS / folder
    return (
        sorted(p for p in base.glob(pattern) if p.is_file() and p.suffix.lower() != ".md")
        if base.is_dir()
        else []
    )


def stress_set_module():  # type: ignore[no-untyped-def]
    """benchmarks/stress_set.py as a module (a script of the benchmarks, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "stress_set", ROOT / "benchmarks" / "stress_set.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def hard_stress_seed9(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 15 sessions of the hard stress set of seed 9 (its 2 x (4 x 400, 4 x 200) with
    30 s stands on a track, s14, as FIT and GPX), generated once per test run."""
    folder = tmp_path_factory.mktemp("hard_stress_seed9")
    assert stress_set_module().main([str(folder), "--count", "15", "--seed", "9", "--hard"]) == 0
    return folder
