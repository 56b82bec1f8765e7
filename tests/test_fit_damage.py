"""A damaged FIT file is refused as fitparse refuses it, without fitparse decoding it.

fitparse reads a file message by message and fails at the damage (the file ends inside a
message, a section's CRC is wrong, a chained header is cut or corrupt); the reader reports
its error with the records read before it. ``read_damaged`` walks the file up to that point
with the fast path instead: the error, its message and the partial recording must be exactly
fitparse's (``_reference_of`` reads with fitparse alone), and a file whose damage the walk does
not model goes to fitparse as before.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import corpus_file, corpus_files
from tests.test_fitfast import HANDMADE, _fast, _handmade, _reference_of, assert_same
from workoutcheck.errors import TruncatedFileError, WorkoutcheckError
from workoutcheck.ingest import load
from workoutcheck.ingest.fit import walk as fitwalk
from workoutcheck.ingest.fit.combined import Declined, read_damaged


def _salvaged(data: bytes) -> bool:
    try:
        read_damaged(data)
    except Declined:
        return False
    return True


def test_every_cut_of_a_small_file_reads_like_fitparse():
    """The SDK's activity cut after every byte: fitparse's error and partial recording, and
    the fast path models nearly every cut (in a header, a definition, a data message, the CRC)."""
    data = corpus_file("fit", "fitsdk__Activity.fit").read_bytes()
    modelled = 0
    for cut in range(12, len(data)):
        damaged = data[:cut]
        assert_same(_fast(damaged, "x.fit"), _reference_of(damaged, "x.fit")[1], f"cut {cut}")
        modelled += _salvaged(damaged)
    assert modelled >= len(data) - 14 - 2  # all but the cuts inside the 14-byte header


@pytest.mark.parametrize(
    "name",
    [
        "sportslib__6914538454.fit",  # Suunto: a definition before every record
        "runalyze__FR70-intervals.fit",  # compressed timestamps
        "fitparse__sample_mulitple_header.fit",  # chained sections
        "fitparse__compressed-speed-distance.fit",
        "runalyze__FR920xt-with-Stryd.fit",  # developer fields
    ],
)
def test_cuts_and_flips_of_real_files_read_like_fitparse(name):
    data = corpus_file("fit", name).read_bytes()
    rng = np.random.default_rng(len(data))
    cuts = sorted({*rng.integers(14, len(data), 6).tolist(), len(data) - 1, len(data) - 2})
    for cut in cuts:
        damaged = data[:cut]
        assert _salvaged(damaged), cut
        assert_same(_fast(damaged, name), _reference_of(damaged, name)[1], f"cut {cut}")
    for at in rng.integers(14, len(data) - 2, 3).tolist():
        flipped = bytearray(data)
        flipped[at] ^= 0x01
        flipped = bytes(flipped)
        assert_same(_fast(flipped, name), _reference_of(flipped, name)[1], f"flip {at}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    **HANDMADE, dev=st.booleans(), suunto=st.booleans(), where=st.floats(0, 1), flip=st.booleans()
)
def test_damaged_handmade_files_read_like_fitparse(
    layouts, records, events, split, dev, suunto, where, flip
):
    """Hand-made files (compressed timestamps, developer fields, chained sections, a definition
    before every record walked pair by pair, or messages walked by hops) cut anywhere or with a
    byte flipped."""
    records = [(li % len(layouts), c, s, r or suunto) for li, c, s, r in records]
    data = _handmade(layouts, records, events, split, dev)
    at = 12 + int((len(data) - 12) * where)
    if flip:
        damaged = bytearray(data)
        damaged[min(at, len(data) - 1)] ^= 0x20
        data = bytes(damaged)
    else:
        data = data[:at]
    saved = fitwalk.PAIRS_AFTER, fitwalk.SINGLES_AFTER
    fitwalk.PAIRS_AFTER = 0 if suunto else saved[0]
    fitwalk.SINGLES_AFTER = saved[1] if suunto else 0  # hop along messages from the start
    try:
        assert_same(_fast(data, "h.fit"), _reference_of(data, "h.fit")[1])
    finally:
        fitwalk.PAIRS_AFTER, fitwalk.SINGLES_AFTER = saved


def _count_fitparse_messages(monkeypatch) -> list[int]:
    import fitparse.base

    decoded: list[int] = []
    real = fitparse.base.FitFile._parse_message
    monkeypatch.setattr(
        fitparse.base.FitFile, "_parse_message", lambda self: decoded.append(1) or real(self)
    )
    return decoded


def test_a_long_damaged_ride_is_refused_without_fitparse_decoding_it(monkeypatch):
    """nick.fit (14,391 records, the file ends inside the last one) is refused with fitparse's
    message, and fitparse decodes none of its messages (it used to decode all of them: ~2 s)."""
    decoded = _count_fitparse_messages(monkeypatch)
    path = corpus_file("bad", "fitparse__nick.fit")
    with pytest.raises(TruncatedFileError) as exc:
        load(path)
    assert str(exc.value) == (
        f"{path}: FIT file is truncated (Tried to read 2 bytes from .FIT file but got 0); "
        "14391 records came before the damage, too few or unusable to check"
    )
    assert exc.value.partial is None  # a ride: the records before the damage are no run
    assert len(decoded) == 0


@pytest.mark.parametrize("path", corpus_files("bad", "*.fit"), ids=lambda p: p.name)
def test_refusing_a_damaged_corpus_file_decodes_no_fitparse_message(path, monkeypatch):
    """Every damaged or refused FIT of the corpus (a cut, a wrong CRC, a corrupt chained
    header, a misaligned field, a data message without a definition, a ride...) is refused
    without fitparse decoding a message of it (the errors equal fitparse's:
    ``test_fitfast.test_reading_equals_fitparse``)."""
    decoded = _count_fitparse_messages(monkeypatch)
    with pytest.raises(WorkoutcheckError):
        load(path)
    assert len(decoded) == 0
