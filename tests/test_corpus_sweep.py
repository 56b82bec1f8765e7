"""Every real file in the shared corpus loads or fails with a clear one-line error.

The corpus is read in place (never copied here); without it these tests have no cases.
"""

from __future__ import annotations

import pytest

from tests.conftest import corpus_files
from tests.fuzzkit import assert_sound
from workoutcheck.errors import UnsafeXmlError, WorkoutcheckError
from workoutcheck.ingest import load

GOOD = corpus_files("fit") + corpus_files("gpx") + corpus_files("tcx")
BAD = corpus_files("bad")


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_real_file_loads_or_fails_clearly(path):
    """A file loads with a positive duration, or raises our error with a one-line message;
    what loads keeps the model's promises and the sanity limits. (How long it takes is measured
    in benchmarks/load.py, not here.)"""
    try:
        activity = load(path)
    except WorkoutcheckError as exc:
        message = str(exc)
        assert message.startswith(str(path)) and "\n" not in message
        assert len(message) > len(str(path)) + 10
        return
    assert activity.n_records >= 1
    assert activity.duration_s >= 0
    assert_sound(activity)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_file_fails_with_one_line(path):
    """Every file in corpus/bad is refused with a one-line message naming the file."""
    with pytest.raises(WorkoutcheckError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message


@pytest.mark.parametrize(
    "path", [p for p in BAD if p.name.startswith("synthetic__")], ids=lambda p: p.name
)
def test_xml_attacks_are_refused_as_unsafe(path):
    """Entity bombs and external entities are refused before any parser expands them."""
    with pytest.raises(UnsafeXmlError, match="DTD"):
        load(path)
