"""Every input the fuzzing found a bug with, kept in ``tests/data`` (see its README), loads
as it now should: quickly, with a result or one clear line."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from tests.fuzzkit import check_load
from workoutcheck.errors import CorruptFileError, TruncatedFileError
from workoutcheck.ingest import load
from workoutcheck.ingest.fit.combined import read_combined
from workoutcheck.ingest.fit.walk import Declined
from workoutcheck.ingest.raw import RawEvent, RawRecording
from workoutcheck.ingest.timeline import build_activity
from workoutcheck.model import Source

DATA = Path(__file__).parent / "data"
# file -> (records it loads with, or the error it raises; a note it must carry)
EXPECTED = {
    "gpx-many-xmlns-without-equals.gpx.gz": (5, None),
    "fit-600-record-definitions.fit": (600, None),
    "gpx-utf-32-with-bom.gpx": (10, None),
    "tcx-utf-32-be-without-bom.tcx": (10, None),
    "tcx-20mb-attribute.tcx.gz": (CorruptFileError, "million characters without a tag"),
    "gpx-cadence-1e308.gpx": (10, "3 cadence value(s)"),
    "gpx-truncated.gpx.gz": (TruncatedFileError, "gzip file is truncated"),
    "fit-heart-rate-over-250.fit": (40, "1 heart rate value(s) outside 25-250 bpm"),
    "fit-speed-over-12-m-s.fit": (89, "1 speed value(s) over 12 m/s"),
    "fit-position-out-of-range.fit": (89, "1 record(s) with an impossible position"),
    "gpx-times-backwards-distance-jump.gpx": (18, "1 distance jump(s)"),
    "gpx-heart-rate-over-250.gpx": (30, "1 heart rate value(s) outside 25-250 bpm"),
    "pwx-two-laps.pwx": (12, "1 sample(s) without a readable timeoffset were dropped"),
}


def test_every_regression_file_has_a_case():
    """No file in tests/data without an expectation here, and no expectation without a file."""
    files = {p.name for p in DATA.iterdir() if p.name != "README.md"}
    assert files == set(EXPECTED)
    assert all(p.stat().st_size < 50_000 for p in DATA.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_regression_file(name):
    """The file loads quickly to the expected record count and note, or the expected error."""
    expected, text = EXPECTED[name]
    data = (DATA / name).read_bytes()
    result = check_load(data, "".join(Path(name).suffixes))
    if isinstance(expected, type):
        assert isinstance(result, expected) and text in str(result)
    else:
        assert not isinstance(result, Exception), result
        assert result.n_records == expected
        assert text is None or any(text in note for note in result.notes), result.notes


def test_many_distinct_definitions_go_to_fitparse():
    """Hundreds of distinct record layouts would make the numpy decoder quadratic: declined."""
    with pytest.raises(Declined, match="different definitions"):
        read_combined((DATA / "fit-600-record-definitions.fit").read_bytes())


def test_timeline_is_linear_in_clock_jumps_resets_and_gaps():
    """Every other step a clock jump, a distance reset and a gap, with timer events everywhere:
    the repairs used to loop over jumps x records and gaps x pauses. Eight times the records
    must cost well under 64 times the CPU (a quadratic path's ratio; 24x leaves room for the
    caches a busy machine shares): measured as this process's CPU time, the least of a few
    rounds, which other work on the machine adds little to."""

    def cpu(n: int) -> float:
        steps = np.where(np.arange(n) % 2, 4 * 3600.0 + 60, 60.0)
        time_ = 1_700_000_000.0 + np.cumsum(steps)
        distance = np.where(np.arange(n) % 4 < 2, 0.0, 100.0) + np.arange(n) % 2
        events = [
            RawEvent(float(t), "stop" if i % 2 else "start") for i, t in enumerate(time_[::3])
        ]
        raw = RawRecording(
            source=Source.FIT, path="x.fit", time=time_, distance=distance, events=events
        )
        start = time.process_time()
        a = build_activity(raw)
        spent = time.process_time() - start
        assert a.n_records == n and len(a.pauses) > n // 2
        return spent

    small = min(cpu(25_000) for _ in range(3))
    large = min(cpu(200_000) for _ in range(2))
    assert large < 24 * max(small, 0.005)


def test_xml_file_of_many_namespace_declarations_stays_fast(tmp_path):
    """gpxpy's own parse() scans for namespaces in quadratic time; our parser skips the scan."""
    path = tmp_path / "ns.gpx.gz"
    path.write_bytes((DATA / "gpx-many-xmlns-without-equals.gpx.gz").read_bytes())
    start = time.process_time()
    load(path)
    assert time.process_time() - start < 5  # this process's CPU: quadratic was minutes
