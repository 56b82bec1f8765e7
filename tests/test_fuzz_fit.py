"""Fuzzing the FIT reader: mutated files give a result or a clear error, fast, in bounded memory.

Mutants of small sound files (``fuzzkit.fit_bases``): flipped and overwritten bytes, cuts at
every message boundary, corrupted definitions (field counts, sizes, base types, message
numbers, endianness, 255 fields of 255 bytes, hundreds of developer fields), duplicated,
dropped, swapped and junk messages, nested headers, absurd data sizes, timestamps all over
the place. Half of them get their data size and CRCs recomputed, so the damage reaches the
decoders instead of stopping at the CRC check. ``fuzzkit.check_load`` is the oracle.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzkit import (
    FIT_OPS,
    RAW_OPS,
    check_load,
    examples,
    fit_bases,
    join_fit,
    mutate_fit,
    split_fit,
)

FIT_OP = st.tuples(
    st.sampled_from(FIT_OPS), st.integers(0, 2**16), st.integers(0, 2**16), st.integers(0, 255)
)
RAW_OP = st.tuples(st.sampled_from(RAW_OPS), st.integers(0, 2**32 - 1), st.integers(0, 255))


def fuzz(ci: int, long: int) -> settings:
    """Stable in CI (derandomized), no per-example deadline (check_load bounds the time)."""
    return settings(
        max_examples=examples(ci, long),
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


@fuzz(700, 40_000)
@given(base=st.integers(0, 2), ops=st.lists(FIT_OP, min_size=1, max_size=4), fix=st.booleans())
def test_mutated_messages(base, ops, fix):
    """Message and definition mutations, with and without data size and CRCs made right."""
    check_load(mutate_fit(fit_bases()[base], ops, [], fix), ".fit")


@fuzz(300, 20_000)
@given(
    base=st.integers(0, 2),
    ops=st.lists(FIT_OP, max_size=2),
    raw=st.lists(RAW_OP, min_size=1, max_size=3),
    fix=st.booleans(),
    partial=st.booleans(),
)
def test_mutated_bytes(base, ops, raw, fix, partial):
    """Byte flips, cuts, data sizes of 0 and 4 GB, broken headers; also with --partial."""
    check_load(mutate_fit(fit_bases()[base], ops, raw, fix), ".fit", allow_partial=partial)


@pytest.mark.parametrize("base", [0, 1, 2])
def test_cut_at_every_message_boundary(base):
    """A file cut after every message, as uploaded (header unchanged) and as re-written
    (data size and CRC made right): a partial result, or a clear error."""
    header, messages = split_fit(fit_bases()[base])
    data = fit_bases()[base]
    at = len(header)
    for k, message in enumerate(messages):
        at += len(message)
        check_load(data[:at], ".fit")
        check_load(join_fit(header, messages[: k + 1]), ".fit")
        check_load(data[:at], ".fit", allow_partial=True)
