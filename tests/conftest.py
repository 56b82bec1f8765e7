"""Shared test fixtures: where the real-file corpus lives, and skipping when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_files"
CORPUS = Path(os.environ.get("WORKOUTCHECK_CORPUS", ROOT.parent / "shared" / "corpus"))


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
    return sorted(p for p in base.glob(pattern) if p.is_file() and p.suffix.lower() != ".md") if base.is_dir() else []
