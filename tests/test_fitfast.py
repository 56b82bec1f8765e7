"""The fast FIT path gives exactly what fitparse gives, or declines and lets fitparse read.

Reference: ``fit._read_fitparse`` (fitparse alone, message by message) followed by the same
``fit._recording`` that ``read_fit(..., fast=False)`` uses, computed once per file.

Good files the fast path declines: none (``DECLINES`` would list them with the reason).
Damaged files it declines (``BAD_DECLINES``): every CRC error, truncation, data message
without a definition and misaligned field; the other files in corpus/bad are sound FIT
files refused for what they hold (no run, not a run, times inconsistent): the fast path reads
them and must refuse them with the same error.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES, corpus_file, corpus_files
from tests.fitbytes import FitWriter
from workoutcheck.errors import WorkoutcheckError
from workoutcheck.ingest.fit import combined as fitcombined
from workoutcheck.ingest.fit import read as fit
from workoutcheck.ingest.fit import walk as fitwalk
from workoutcheck.ingest.fit.combined import read_combined
from workoutcheck.ingest.fit.crc import crc16, crc_bytes
from workoutcheck.ingest.fit.fast import read_records
from workoutcheck.ingest.fit.walk import Declined, walk

FIT_FILES = corpus_files("fit") + sorted(SAMPLES.glob("*.fit"))
BAD_FIT = corpus_files("bad", "*.fit")
DECLINES: dict[str, str] = {}
BAD_DECLINES = {
    "fit4s__610464_bad_crc.fit": "header CRC",
    "fit4s__610464_no_defmsg.fit": "without a definition",
    "fitparse__activity-activity-filecrc.fit": "CRC of the section at byte 771",
    "fitparse__activity-filecrc.fit": "CRC of the section",
    "fitparse__activity-settings-corruptheader.fit": "no FIT file header",
    "fitparse__activity-settings-nodata.fit": "truncated",
    "fitparse__activity-unexpected-eof.fit": "truncated",
    "fitparse__coros-pace-2-cycling-misaligned-fields.fit": "has size 1 for base type",
    "fitparse__nick.fit": "CRC of the section",
    "fitparse__strava-android-app-201.10-b1218918.fit": "truncated",
    "sportslib__empty-activities.fit": "CRC of the section",
    "sportslib__empty-sessions.fit": "no FIT file header",
}
COLUMNS = ("time", "distance", "speed", "lat", "lon", "altitude", "heart_rate", "cadence")


def _reference_of(data: bytes, name: str):
    """(records collected by fitparse or None, RawRecording or the error) without the fast path."""
    if len(data) < 12:
        try:
            return None, fit.read_fit(data, name, fast=False)
        except WorkoutcheckError as exc:
            return None, exc
    try:
        got = fit._read_fitparse(data, name)
    except WorkoutcheckError as exc:
        return None, exc
    try:
        return got, fit._recording(got, name, strict=True)
    except WorkoutcheckError as exc:
        return got, exc


@functools.cache
def _reference(path: Path):
    return _reference_of(path.read_bytes(), str(path))


def _fast(data: bytes, name: str):
    """``read_fit`` as the loader calls it; the note a file left to fitparse carries (tested on
    its own below) is left out, so that the two readings compare equal."""
    try:
        got = fit.read_fit(data, name)
    except WorkoutcheckError as exc:
        return exc
    return dataclasses.replace(
        got, notes=[n for n in got.notes if not n.startswith("read by fitparse")]
    )


def assert_same(a, b, where: str = "") -> None:
    """Equal results: dataclasses field by field, arrays with NaN equal to NaN, errors by type,
    message and partial result."""
    if isinstance(a, BaseException) or isinstance(b, BaseException):
        assert type(a) is type(b), f"{where}: {a!r} != {b!r}"
        assert str(a) == str(b), where
        assert_same(getattr(a, "partial", None), getattr(b, "partial", None), where + ".partial")
    elif dataclasses.is_dataclass(a):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert a is not None and b is not None, where
        np.testing.assert_array_equal(a, b, err_msg=where)
        assert a.dtype == b.dtype, where
    elif isinstance(a, list | tuple):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def _assert_records_equal(data: bytes, got) -> None:
    fast = read_records(data)
    for name in COLUMNS:
        ref = np.array([np.nan if v is None else v for v in getattr(got, name)], dtype=np.float64)
        np.testing.assert_array_equal(getattr(fast, name), ref, err_msg=name)


def _sized(paths: list[Path]) -> list:
    """Files over 400 KB cost fitparse 5-50 s each: their comparisons are long (the smaller
    files take the same paths); under CI every file is compared."""
    return [
        pytest.param(p, marks=pytest.mark.long) if p.stat().st_size > 400_000 else p for p in paths
    ]


@pytest.mark.parametrize("path", _sized(FIT_FILES), ids=lambda p: p.name)
def test_records_equal_fitparse(path):
    """Every record column equals fitparse's, value for value, NaN for NaN, in file order."""
    data = path.read_bytes()
    if path.name in DECLINES:
        with pytest.raises(Declined, match=DECLINES[path.name]):
            read_combined(data)
        return
    got, _ = _reference(path)
    assert got is not None
    _assert_records_equal(data, got)


@pytest.mark.parametrize("path", _sized(FIT_FILES + BAD_FIT), ids=lambda p: p.name)
def test_reading_equals_fitparse(path):
    """The whole RawRecording (laps, events, sessions, workout, notes) or the error is the same."""
    data = path.read_bytes()
    if path.name not in DECLINES and path.name not in BAD_DECLINES:
        read_combined(data)  # the fast path really reads it (raises Declined otherwise)
    assert_same(_fast(data, str(path)), _reference(path)[1], path.name)


@pytest.mark.parametrize("name", sorted(BAD_DECLINES))
def test_damaged_files_are_left_to_fitparse(name):
    """A damaged file is declined by the fast path with the reason, so fitparse reports it."""
    path = corpus_file("bad", name)
    with pytest.raises(Declined, match=BAD_DECLINES[name]):
        read_combined(path.read_bytes())


@pytest.mark.parametrize(
    "name", ["runalyze__FR70-intervals.fit", "fitparse__compressed-speed-distance.fit"]
)
def test_compressed_timestamps(name):
    """Compressed-timestamp records decode to fitparse's exact times and values."""
    path = corpus_file("fit", name)
    w = walk(path.read_bytes())
    assert (w.time_offset >= 0).sum() > 600
    _assert_records_equal(path.read_bytes(), _reference(path)[0])


def test_chained_sections():
    """All 7 chained sections are walked and give fitparse's recording."""
    path = corpus_file("fit", "fit4s__2825367441.fit")
    assert len(walk(path.read_bytes()).sections) == 7
    assert_same(_fast(path.read_bytes(), str(path)), _reference(path)[1])


@pytest.mark.parametrize(
    "name", ["gc__Fr955v19.28andStryd.fit", "fitparse__developer-types-sample.fit"]
)
def test_developer_fields(name):
    """Records carrying developer fields are skipped over by size and still equal fitparse's."""
    path = corpus_file("fit", name)
    w = walk(path.read_bytes())
    assert any(lay.dev_fields and lay.mesg_num == 20 for lay in w.layouts)
    assert_same(_fast(path.read_bytes(), str(path)), _reference(path)[1])


@pytest.mark.parametrize("name", ["sportslib__6914448270.fit", "fit4s__run-20180322T212609.fit"])
def test_big_endian(name):
    """Big-endian record definitions decode to fitparse's arrays."""
    path = corpus_file("fit", name)
    w = walk(path.read_bytes())
    assert any(lay.big_endian and lay.mesg_num == 20 for lay in w.layouts)
    _assert_records_equal(path.read_bytes(), _reference(path)[0])


def _sample() -> Path:
    return SAMPLES / "five_by_1000_track.fit"


@pytest.mark.parametrize("where", [0.3, 0.5, 0.9])
def test_flipped_byte_falls_back_with_the_same_error(where):
    """A flipped byte fails the CRC: the fast path declines and the error equals fitparse's."""
    data = bytearray(_sample().read_bytes())
    data[int(len(data) * where)] ^= 0x10
    with pytest.raises(Declined, match="CRC"):
        read_combined(bytes(data))
    assert_same(_fast(bytes(data), "x.fit"), _reference_of(bytes(data), "x.fit")[1])


@pytest.mark.parametrize("cut", [13, 500, 0.5, -3, -1])
def test_truncation_falls_back_with_the_same_partial(cut):
    """A cut file is declined; the error and the partial recording equal fitparse's."""
    data = _sample().read_bytes()
    if isinstance(cut, float):
        cut = int(len(data) * cut)
    data = data[:cut]
    with pytest.raises(Declined):
        read_combined(data)
    assert_same(_fast(data, "x.fit"), _reference_of(data, "x.fit")[1])


def test_crc_matches_the_sdk_algorithm():
    """The vectorised CRC-16 equals the FIT SDK's byte-by-byte algorithm on random data."""
    rng = np.random.default_rng(7)
    for n in (0, 1, 255, 256, 1000, 65537, 300_001):
        buf = rng.integers(0, 256, n, dtype=np.uint8)
        assert crc16(buf) == crc_bytes(buf.tobytes())


# ---- hand-made files: what Garmin's encoder never writes ----------------------------------

T0 = 1_000_000_000  # FIT seconds: 2021
RECORD_FIELDS = [
    (253, 4, 0x86),
    (0, 4, 0x85),
    (1, 4, 0x85),
    (2, 2, 0x84),
    (3, 1, 0x02),
    (4, 1, 0x02),
    (5, 4, 0x86),
    (6, 2, 0x84),
    (53, 1, 0x02),
    (73, 4, 0x86),
    (78, 4, 0x86),
    (8, 3, 0x0D),
    (3, 1, 0x0A),
    (99, 2, 0x83),
]
INVALID = {0x85: 0x7FFFFFFF, 0x86: 0xFFFFFFFF, 0x84: 0xFFFF, 0x02: 0xFF, 0x0A: 0, 0x83: 0x7FFF}
RANGE = {
    0x85: (-(2**31), 2**31 - 1),
    0x86: (0, 2**32 - 1),
    0x84: (0, 65535),
    0x02: (0, 255),
    0x0A: (0, 255),
    0x83: (-32768, 32767),
}


def _start(w: FitWriter, dev: bool) -> None:
    w.define(0, 0, [(0, 1, 0x00), (1, 2, 0x84)])
    w.data(0, [4, 255])  # file_id: activity, development
    if dev:
        w.define(1, 207, [(3, 1, 0x02), (1, 16, 0x0D)])
        w.data(1, [0, bytes(range(16))])
        w.define(1, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 8, 0x07)])
        w.data(1, [0, 0, 0x84, b"Power\0\0\0"])


def _timed(
    w: FitWriter, local: int, mesg: int, fields, values, time: int, compressed: bool
) -> None:
    """A lap/event/session message, with a compressed-timestamp header or a timestamp field."""
    if compressed:
        w.define(local, mesg, fields)
        w.data(local, values, time_offset=time)
    else:
        w.define(local, mesg, [*fields, (253, 4, 0x86)])
        w.data(local, [*values, time])


def _handmade(draw_layouts, records, events, split, dev) -> bytes:
    """records: (layout index, compressed header, time step, redefine first) tuples; events:
    record index -> stop (a timer event and a lap after that record); split: where a second
    chained section starts."""
    sections, w, t = [], FitWriter(), T0
    _start(w, dev)
    rng = np.random.default_rng(len(records))
    for k, (li, compressed, step, redefine) in enumerate(records):
        if k == split:
            sections.append(w.section())
            w = FitWriter()
            _start(w, dev)
        fields, big = draw_layouts[li]
        local = 4 + li if not compressed else li  # compressed headers reach local types 0-3 only
        dev_fields = [(0, 2, 0)] if dev and li == 0 else []
        if w.defs.get(local) != (big, list(fields), dev_fields) or redefine:
            w.define(local, 20, fields, big=big, dev_fields=dev_fields)
        t += step
        values = []
        for num, _size, base in fields:
            if base == 0x0D:
                values.append(
                    bytes(rng.integers(0, 256, 3, dtype=np.uint8))
                    if rng.random() > 0.2
                    else b"\xff" * 3
                )
            elif num == 253:
                values.append(t if rng.random() > 0.1 else INVALID[base])
            else:
                lo, hi = RANGE[base]
                values.append(
                    int(rng.integers(lo, hi, endpoint=True))
                    if rng.random() > 0.2
                    else INVALID[base]
                )
        w.data(
            local,
            values,
            time_offset=t & 0x1F if compressed else None,
            dev=b"\x10\x00" if dev and li == 0 else b"",
        )
        if k in events:
            stop = events[k]
            _timed(
                w,
                3,
                21,
                [(0, 1, 0x00), (1, 1, 0x00)],
                [0, 4 if stop else 0],
                t if not compressed else t & 0x1F,
                compressed,
            )
            _timed(
                w,
                2,
                19,
                [(2, 4, 0x86), (7, 4, 0x86), (9, 4, 0x86)],
                [T0, (t - T0) * 1000, 12345],
                t if not compressed else t & 0x1F,
                compressed,
            )
    _timed(
        w,
        2,
        18,
        [(2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (5, 1, 0x00)],
        [T0, (t - T0) * 1000, (t - T0) * 900, 1],
        t,
        False,
    )
    sections.append(w.section(header_size=12 if split % 2 else 14))
    return b"".join(sections)


def _layout_strategy():
    return st.tuples(
        st.lists(st.sampled_from(RECORD_FIELDS), min_size=1, max_size=8, unique=True),
        st.booleans(),
    )


# what ``_handmade`` builds a file from: layouts, records, events, where the second section starts
HANDMADE = {
    "layouts": st.lists(_layout_strategy(), min_size=1, max_size=3),
    "records": st.lists(
        st.tuples(st.integers(0, 2), st.booleans(), st.integers(0, 70), st.booleans()),
        min_size=0,
        max_size=40,
    ),
    "events": st.dictionaries(st.integers(0, 39), st.booleans(), max_size=4),
    "split": st.integers(0, 45),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**HANDMADE, dev=st.booleans())
def test_handmade_files_read_like_fitparse(layouts, records, events, split, dev):
    """Random layouts (either endianness, invalid values, z types, compressed speed/distance,
    unknown fields), compressed-timestamp records, laps and events, redefinitions, developer
    fields and chained sections: the fast path equals fitparse, or declines and then too."""
    records = [(li % len(layouts), c, s, r) for li, c, s, r in records]
    _assert_reads_like_fitparse(_handmade(layouts, records, events, split, dev))


def _assert_reads_like_fitparse(data: bytes) -> None:
    """The fast path's records and whole reading equal fitparse's (or it declines)."""
    got, ref = _reference_of(data, "h.fit")
    try:
        read_combined(data)
    except Declined:
        pass
    else:
        if got is not None:
            _assert_records_equal(data, got)
    assert_same(_fast(data, "h.fit"), ref)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**HANDMADE)
def test_a_definition_before_every_record_reads_like_fitparse(layouts, records, events, split):
    """The Suunto layout (a definition before (nearly) every message, layouts interleaved),
    walked pair by pair from the first pair on: the same walk as message by message, and the
    same reading as fitparse's."""
    records = [
        (li % len(layouts), c, s, r or k % 7 != 3) for k, (li, c, s, r) in enumerate(records)
    ]
    data = _handmade(layouts, records, events, split, False)
    assert_same(_walk_or_reason(data, 0), _walk_or_reason(data, 10**9))
    saved = fitwalk.PAIRS_AFTER
    fitwalk.PAIRS_AFTER = 0
    try:
        _assert_reads_like_fitparse(data)
    finally:
        fitwalk.PAIRS_AFTER = saved


def _walk_or_reason(data: bytes, pairs_after: int):
    """The walk with pair hopping after ``pairs_after`` pairs, or why it declined."""
    saved = fitwalk.PAIRS_AFTER
    fitwalk.PAIRS_AFTER = pairs_after
    try:
        return walk(data)
    except Declined as e:
        return str(e)
    finally:
        fitwalk.PAIRS_AFTER = saved


@pytest.mark.parametrize("path", FIT_FILES + BAD_FIT, ids=lambda p: p.name)
def test_the_pair_walk_equals_the_message_walk(path):
    """Walking a Suunto file pair by pair finds exactly the messages, definitions and layouts
    the message-by-message walk finds (and declines the same files)."""
    data = path.read_bytes()
    one_by_one = _walk_or_reason(data, 10**9)
    assert_same(_walk_or_reason(data, fitwalk.PAIRS_AFTER), one_by_one)
    assert_same(_walk_or_reason(data, 0), one_by_one)


def test_compressed_laps_and_events_are_read_by_the_fast_path():
    """Laps/events with compressed-timestamp headers are rewritten for fitparse, not declined."""
    layout = ([(3, 1, 0x02), (6, 2, 0x84), (5, 4, 0x86)], False)
    records = [(0, True, 1, False)] * 30 + [(0, False, 40, False)] + [(0, True, 3, False)] * 10
    data = _handmade([layout], records, {5: True, 12: False, 35: True}, 99, False)
    got = read_combined(data)
    assert len(got.laps) == 3 and len(got.events) == 3
    _, ref = _reference_of(data, "h.fit")
    assert_same(_fast(data, "h.fit"), ref)


def test_developer_field_named_like_a_record_field_is_declined():
    """A developer field named heart_rate could shadow the real one: the fast path declines."""
    w = FitWriter()
    w.define(0, 0, [(0, 1, 0x00)])
    w.data(0, [4])
    w.define(1, 207, [(3, 1, 0x02)])
    w.data(1, [0])
    w.define(1, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 11, 0x07)])
    w.data(1, [0, 0, 0x02, b"heart_rate\0"])
    w.define(2, 20, [(253, 4, 0x86), (3, 1, 0x02)], dev_fields=[(0, 1, 0)])
    for i in range(5):
        w.data(2, [T0 + i, 150], dev=bytes([90 + i]))
    data = w.section()
    with pytest.raises(Declined, match="named 'heart_rate'"):
        read_combined(data)
    assert_same(_fast(data, "h.fit"), _reference_of(data, "h.fit")[1])


# ---- laps, events, sessions, workout and device without fitparse (fitdirect) ---------------

GOOD_FIT = [p for p in FIT_FILES if p.name not in DECLINES]


def _spy_splice(monkeypatch) -> list[bool]:
    """Record each cut-down copy made for fitparse (True: the full one of the fallback path)."""
    calls: list[bool] = []
    real = fitcombined.splice

    def spy(*args, every_layout=True, **kwargs):
        calls.append(every_layout)
        return real(*args, every_layout=every_layout, **kwargs)

    monkeypatch.setattr(fitcombined, "splice", spy)
    return calls


@pytest.mark.parametrize("path", _sized(GOOD_FIT), ids=lambda p: p.name)
def test_other_messages_are_decoded_without_fitparse(path, monkeypatch):
    """Every sound corpus file's laps, events, sessions, workout and device come from
    ``fitdirect``: fitparse gets no cut-down copy of them (at most the few messages it could
    fail on, such as a user profile's wake time) and the result is fitparse's."""
    calls = _spy_splice(monkeypatch)
    data = path.read_bytes()
    read_combined(data)
    assert True not in calls
    assert_same(_fast(data, str(path)), _reference(path)[1], path.name)


@pytest.mark.parametrize("path", _sized(GOOD_FIT), ids=lambda p: p.name)
def test_cut_down_copy_path_still_reads_like_fitparse(path, monkeypatch):
    """The fallback for what ``fitdirect`` does not cover stays equal to fitparse."""
    monkeypatch.setattr(fitcombined, "take_direct", lambda *a, **k: False)
    calls = _spy_splice(monkeypatch)
    data = path.read_bytes()
    assert_same(_fast(data, str(path)), _reference(path)[1], path.name)
    assert True in calls


def _with_dev_lap(name: bytes, lap_dev_value: int) -> bytes:
    """A short run whose lap carries a developer field called ``name``."""
    w = FitWriter()
    _start(w, dev=False)
    w.define(1, 207, [(3, 1, 0x02)])
    w.data(1, [0])
    w.define(1, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 16, 0x07)])
    w.data(1, [0, 0, 0x86, name.ljust(16, b"\0")])
    w.define(2, 20, [(253, 4, 0x86), (3, 1, 0x02), (5, 4, 0x86)])
    for i in range(20):
        w.data(2, [T0 + i, 150, i * 300])
    w.define(
        3,
        19,
        [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (9, 4, 0x86), (24, 1, 0x00)],
        dev_fields=[(0, 4, 0)],
    )
    w.data(3, [T0 + 19, T0, 19_000, 5700, 0], dev=lap_dev_value.to_bytes(4, "little"))
    _timed(
        w,
        4,
        18,
        [(2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (5, 1, 0x00)],
        [T0, 19_000, 19_000, 1],
        T0 + 19,
        False,
    )
    return w.section()


def test_lap_developer_field_named_like_a_lap_value_overrides_it(monkeypatch):
    """As in fitparse's ``get_values``, a lap developer field called total_distance replaces
    the real one (unscaled: developer fields carry no scale here); other names change nothing."""
    calls = _spy_splice(monkeypatch)
    for name, distance in ((b"total_distance", 123400.0), (b"lap_power", 57.0)):
        data = _with_dev_lap(name, 123400)
        got = read_combined(data)
        assert got.laps[0].distance_m == distance
        assert_same(_fast(data, "h.fit"), _reference_of(data, "h.fit")[1])
    assert calls == []


def test_developer_field_without_description_is_declined_and_the_table_restored():
    """A definition naming a developer field nobody described: fitparse fails on it, so the
    fast path declines and leaves fitparse's developer table as it found it."""
    from fitparse.records import DEV_TYPES

    w = FitWriter()
    _start(w, dev=False)
    w.define(1, 207, [(3, 1, 0x02)])
    w.data(1, [5])
    w.define(2, 20, [(253, 4, 0x86), (3, 1, 0x02)], dev_fields=[(9, 1, 5)])
    for i in range(5):
        w.data(2, [T0 + i, 150], dev=b"\x01")
    data = w.section()
    before = {k: dict(v) for k, v in DEV_TYPES.items()}
    with pytest.raises(Declined, match="developer data"):
        read_combined(data)
    assert {k: dict(v) for k, v in DEV_TYPES.items()} == before
    assert_same(_fast(data, "h.fit"), _reference_of(data, "h.fit")[1])


@pytest.mark.parametrize("wake", [7 * 3600, 90_000])
def test_a_message_fitparse_fails_on_still_declines(wake):
    """A user profile whose wake time is past midnight makes fitparse raise: still given to
    fitparse alone, it declines the file and the error is fitparse's; a sound one does not."""
    w = FitWriter()
    _start(w, dev=False)
    w.define(1, 3, [(28, 4, 0x86)])
    w.data(1, [wake])
    w.define(2, 20, [(253, 4, 0x86), (3, 1, 0x02)])
    for i in range(10):
        w.data(2, [T0 + i, 150])
    _timed(
        w,
        4,
        18,
        [(2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (5, 1, 0x00)],
        [T0, 9_000, 9_000, 1],
        T0 + 9,
        False,
    )
    data = w.section()
    if wake < 86_400:
        assert len(read_combined(data).sessions) == 1
    else:
        with pytest.raises(Declined, match="other messages"):
            read_combined(data)
    assert_same(_fast(data, "h.fit"), _reference_of(data, "h.fit")[1])


def test_a_file_the_fast_path_declines_says_fitparse_read_it():
    """The fallback is never silent: the 600-definition file (declined by design) carries a note."""
    data = (Path(__file__).parent / "data" / "fit-600-record-definitions.fit").read_bytes()
    notes = fit.read_fit(data, "x.fit").notes
    assert notes == [
        "read by fitparse, about 20x slower: the fast FIT reader declined the file "
        "(more than 256 different definitions)"
    ]
    assert fit.read_fit(data, "x.fit", fast=False).notes == []


def test_a_fast_path_bug_falls_back_with_a_note_naming_it(monkeypatch):
    """A bug in the fast path costs the user nothing but time, and says so."""
    sample = sorted(SAMPLES.glob("*.fit"))[0].read_bytes()
    assert fit.read_fit(sample, "s.fit").notes == []  # a sound file: the fast path, no note

    def broken(data):
        raise IndexError("index 7 is out of bounds")

    monkeypatch.setattr(fitcombined, "read_combined", broken)
    notes = fit.read_fit(sample, "s.fit").notes
    assert notes == [
        "read by fitparse, about 20x slower: the fast FIT reader failed on the file "
        "(IndexError: index 7 is out of bounds), a bug worth reporting"
    ]


def test_definitions_sharing_a_hash_are_still_told_apart(monkeypatch):
    """The pair walk groups the repeated definitions of a Suunto file by a hash of their
    bytes; with a hash that collides everywhere the exact grouping gives the same walk."""
    path = corpus_file("fit", "runalyze__Suunto-Ambit-3-Peak-without-final-lap.fit")
    data = path.read_bytes()
    hashed = _walk_or_reason(data, 0)
    monkeypatch.setattr(fitwalk, "_PRIME", np.uint64(0))
    assert_same(_walk_or_reason(data, 0), hashed)
    assert_same(hashed, _walk_or_reason(data, 10**9))


def _walk_chasing_after(data: bytes, singles: int):
    saved = fitwalk.SINGLES_AFTER
    fitwalk.SINGLES_AFTER = singles
    try:
        return walk(data)
    except Declined as e:
        return str(e)
    finally:
        fitwalk.SINGLES_AFTER = saved


@pytest.mark.parametrize("path", FIT_FILES + BAD_FIT, ids=lambda p: p.name)
def test_the_chased_walk_equals_the_message_walk(path):
    """Hopping along tabulated message sizes between definitions (files that interleave
    records with HRV or GPS messages) finds exactly what the message-by-message walk finds,
    from the first message on or never."""
    data = path.read_bytes()
    one_by_one = _walk_chasing_after(data, 10**9)
    assert_same(_walk_chasing_after(data, fitwalk.SINGLES_AFTER), one_by_one)
    assert_same(_walk_chasing_after(data, 0), one_by_one)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**HANDMADE, dev=st.booleans())
def test_handmade_files_chased_read_like_fitparse(layouts, records, events, split, dev):
    """The hand-made files walked by hops from the first data message on."""
    records = [(li % len(layouts), c, s, r) for li, c, s, r in records]
    data = _handmade(layouts, records, events, split, dev)
    assert_same(_walk_chasing_after(data, 0), _walk_chasing_after(data, 10**9))
    saved = fitwalk.SINGLES_AFTER
    fitwalk.SINGLES_AFTER = 0
    try:
        _assert_reads_like_fitparse(data)
    finally:
        fitwalk.SINGLES_AFTER = saved
