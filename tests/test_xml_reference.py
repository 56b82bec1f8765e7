"""The GPX reader (ElementTree's C parser, read straight off the tree) gives what the gpxpy
reader it replaced gives, on every GPX of the corpus and of the test data: the same arrays
bit for bit, the same notes, sport, device and pauses, and the same refusals."""

from __future__ import annotations

import dataclasses
import gzip
import zlib
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import corpus_files
from tests.gpxpy_reference import read_gpx as gpxpy_read_gpx
from workoutcheck.errors import WorkoutcheckError
from workoutcheck.ingest.xml.gpx import read_gpx

HERE = Path(__file__).resolve().parent
GPX_FILES = sorted(
    [p for folder in ("gpx", "bad", "intervals") for p in corpus_files(folder, "*.gpx")]
    + list((HERE / "data").glob("*.gpx*"))
    + list((HERE.parent / "sample_files").glob("*.gpx"))
)
# messages that name gpxpy's internals: the reader words them its own way
OWN_WORDING = {"an element lacks its mandatory latitude"}


def _outcome(reader, data: bytes, path: str):
    try:
        return reader(data, path)
    except WorkoutcheckError as e:
        return e


def _same(a, b) -> list[str]:
    diffs = []
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            ok = (
                x is not None
                and y is not None
                and x.dtype == y.dtype
                and np.array_equal(x, y, equal_nan=True)
            )
        else:
            ok = x == y
        if not ok:
            diffs.append(f.name)
    return diffs


@pytest.mark.parametrize("path", GPX_FILES, ids=lambda p: p.name)
def test_the_gpx_reader_equals_the_gpxpy_reader(path: Path) -> None:
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error):
            pytest.skip("not a whole gzip file")
    new, ref = _outcome(read_gpx, data, str(path)), _outcome(gpxpy_read_gpx, data, str(path))
    if isinstance(ref, Exception) or isinstance(new, Exception):
        assert type(new) is type(ref)
        if not any(w in str(ref) for w in OWN_WORDING):
            assert str(new) == str(ref)
        else:
            assert str(new).split(" (")[0] == str(ref).split(" (")[0]
        return
    assert _same(new, ref) == []


def test_there_are_gpx_files_to_compare() -> None:
    assert len([p for p in GPX_FILES if p.suffix == ".gpx"]) >= 3


TCX_FILES = sorted(
    [p for folder in ("tcx", "bad", "intervals") for p in corpus_files(folder, "*.tcx")]
    + list((HERE / "data").glob("*.tcx"))
)


@pytest.mark.parametrize("path", TCX_FILES, ids=lambda p: p.name)
def test_the_tcx_reader_equals_its_defusedxml_parse(path: Path, monkeypatch) -> None:
    """The TCX reader used to parse with defusedxml's pure-Python parser; with the DTD scan
    done first, ElementTree's C parser gives the same recording."""
    import defusedxml.ElementTree as DET

    from workoutcheck.ingest.xml import tcx

    data = path.read_bytes()
    new = _outcome(tcx.read_tcx, data, str(path))
    monkeypatch.setattr(tcx, "parse_tree", lambda text, p: DET.fromstring(text, forbid_dtd=True))
    ref = _outcome(tcx.read_tcx, data, str(path))
    if isinstance(ref, Exception) or isinstance(new, Exception):
        assert (type(new), str(new)) == (type(ref), str(ref))
        return
    assert _same(new, ref) == []
