"""Mutation fuzzing of ``load()``: base inputs, mutators and the one acceptable-outcome check.

Every mutated input must give an ``Activity`` that keeps the model's promises, or a
``WorkoutcheckError`` whose message is one line naming the file; any other exception, a load
slower than ``TIME_LIMIT_S`` or a jump in the process's peak memory is a bug.

Base inputs are small so thousands of mutants fit in the CI budget: cut-down derivatives of
the project's own ``sample_files`` (every n-th record kept, all other messages kept) and
hand-made files. ``WORKOUTCHECK_FUZZ_LONG=1`` scales every fuzz test up (``examples``) for the
long run; CI runs the small counts with ``derandomize=True`` so it is stable.
"""

from __future__ import annotations

import os
import resource
import signal
import struct
import tempfile
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

from tests.conftest import SAMPLES
from tests.fitbytes import FitWriter
from workoutcheck.errors import WorkoutcheckError
from workoutcheck.ingest import load
from workoutcheck.ingest.fit.crc import crc_bytes
from workoutcheck.ingest.fit.walk import walk
from workoutcheck.model import Activity

LONG = os.environ.get("WORKOUTCHECK_FUZZ_LONG") == "1"
TIME_LIMIT_S = 5.0 if not LONG else 10.0  # per input; the CI inputs take ~10 ms each
MEMORY_GROWTH_LIMIT_KB = 512 * 1024  # the process's peak RSS may not grow by more per input
_TMP = tempfile.TemporaryDirectory(prefix="wc-fuzz-")
COUNT = {"inputs": 0}


def examples(ci: int, long: int) -> int:
    """max_examples for a fuzz test: ``ci`` normally, ``long`` under WORKOUTCHECK_FUZZ_LONG=1."""
    return long if LONG else ci


class TooSlow(Exception):
    """Raised by the alarm when a single load() runs past the limit (a hang)."""


@contextmanager
def _deadline(seconds: float):
    def ring(signum, frame):  # noqa: ARG001
        raise TooSlow(f"load() still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_load(data: bytes, suffix: str, **options) -> Activity | WorkoutcheckError:
    """Load ``data`` from a file; return the Activity or our error, fail the test otherwise."""
    COUNT["inputs"] += 1
    path = Path(_TMP.name) / f"fuzzed{suffix}"
    path.write_bytes(data)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        with _deadline(TIME_LIMIT_S * 2):
            result: Activity | WorkoutcheckError = load(path, **options)
    except WorkoutcheckError as exc:
        result = exc
    took = time.perf_counter() - start
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
    assert took < TIME_LIMIT_S, f"load() took {took:.1f} s"
    assert grew < MEMORY_GROWTH_LIMIT_KB, f"peak memory grew by {grew // 1024} MB"
    if isinstance(result, WorkoutcheckError):
        message = str(result)
        assert "\n" not in message and "\r" not in message, message
        assert message.startswith(f"{path}: ") and len(message) > len(str(path)) + 10, message
    else:
        assert_sound(result)
    return result


def assert_sound(a: Activity) -> None:
    """What every stage after ingest relies on, and the sanity limits of ``timeline``."""
    t = a.t
    assert len(t) >= 1 and np.isfinite(t).all() and t[0] == 0.0
    assert (np.diff(t) > 0).all()
    if a.distance is not None:
        assert np.isfinite(a.distance).all() and (np.diff(a.distance) >= 0).all()
        assert a.distance[0] == 0.0
    if a.speed is not None:
        ok = a.speed[np.isfinite(a.speed)]
        assert ((ok >= 0) & (ok <= 12.0 + 1e-9)).all(), "implausible speed survived the cleaning"
    if a.heart_rate is not None:
        ok = a.heart_rate[np.isfinite(a.heart_rate)]
        assert ((ok >= 25) & (ok <= 250)).all(), "implausible heart rate survived the cleaning"
    if a.lat is not None:
        both = np.isfinite(a.lat) & np.isfinite(a.lon)
        assert (np.isfinite(a.lat) == both).all() and (np.isfinite(a.lon) == both).all()
        assert (np.abs(a.lat[both]) <= 90).all() and (np.abs(a.lon[both]) <= 180).all()
    for p in a.pauses:
        assert np.isfinite(p.start_s) and np.isfinite(p.end_s)
    for lap in a.laps:
        assert np.isfinite(lap.start_s) and np.isfinite(lap.end_s)
    assert all("\n" not in note for note in a.notes)


# --------------------------------------------------------------------------------------------
# FIT: a file as header + messages, so mutations can act on messages and definitions.
# --------------------------------------------------------------------------------------------


def split_fit(data: bytes) -> tuple[bytes, list[bytes]]:
    """(header, every message's bytes in file order) of a sound single-section FIT file."""
    w = walk(data)
    assert len(w.sections) == 1
    spans = [(int(a), int(b)) for a, b in zip(w.def_offset, w.def_end, strict=True)]
    sizes = [w.layouts[int(w.def_layout[d])].size for d in w.def_id]
    spans += [(int(p) - 1, int(p) + s) for p, s in zip(w.payload, sizes, strict=True)]
    spans.sort()
    header = data[: w.sections[0].header_size]
    return header, [data[a:b] for a, b in spans]


def join_fit(header: bytes, messages: list[bytes], *, fix: bool = True) -> bytes:
    """A FIT file from its parts; with ``fix``, data size and both CRCs are made right."""
    body = b"".join(messages)
    head = bytearray(header)
    if fix:
        head[4:8] = struct.pack("<I", len(body))
        if len(head) == 14:
            head[12:14] = struct.pack("<H", crc_bytes(head[:12]))
    out = bytes(head) + body
    crc = crc_bytes(out) if fix else 0
    return out + struct.pack("<H", crc)


def _cut_down(path: Path, every: int, limit: int) -> bytes:
    """A sample file with only every ``every``-th record (up to ``limit``), all else kept."""
    header, messages = split_fit(path.read_bytes())
    w = walk(path.read_bytes())
    record_layouts = {i for i, lay in enumerate(w.layouts) if lay.mesg_num == 20}
    record_defs = {
        int(d) for d in range(len(w.def_layout)) if int(w.def_layout[d]) in record_layouts
    }
    kept, n = [], 0
    data_index = 0
    for m in messages:
        if m[0] & 0x40:
            kept.append(m)
            continue
        is_record = int(w.def_id[data_index]) in record_defs
        data_index += 1
        if is_record:
            n += 1
            if n % every or n // every > limit:
                continue
        kept.append(m)
    return join_fit(header, kept)


T0 = 1_100_000_000  # FIT seconds (2024-11)


def _handmade_fit() -> bytes:
    """Compressed timestamps, a big-endian record layout, developer fields, events, a lap."""
    w = FitWriter()
    w.define(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86)])
    w.data(0, [4, 1, T0])
    w.define(1, 207, [(3, 1, 0x02), (1, 16, 0x0D)])
    w.data(1, [0, bytes(range(16))])
    w.define(1, 206, [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 8, 0x07)])
    w.data(1, [0, 0, 0x84, b"Power\0\0\0"])
    w.define(3, 21, [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00)])
    w.data(3, [T0, 0, 0])
    w.define(
        4,
        20,
        [
            (253, 4, 0x86),
            (0, 4, 0x85),
            (1, 4, 0x85),
            (5, 4, 0x86),
            (6, 2, 0x84),
            (3, 1, 0x02),
            (4, 1, 0x02),
        ],
        dev_fields=[(0, 2, 0)],
    )
    w.define(2, 20, [(0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (3, 1, 0x02)], big=True)
    lat, lon = int(52.0 / 180 * 2**31), int(4.0 / 180 * 2**31)
    for i in range(40):
        t = T0 + 1 + i
        if i % 3 == 2:
            w.data(2, [lat + i * 300, lon, i * 350, 140 + i % 7], time_offset=t & 0x1F)
        else:
            w.data(4, [t, lat + i * 300, lon, i * 350, 3500, 140 + i % 9, 88], dev=b"\x10\x01")
    w.data(3, [T0 + 41, 0, 4])
    w.define(5, 19, [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (9, 4, 0x86)])
    w.data(5, [T0 + 41, T0, 40_000, 13_650])
    w.define(6, 18, [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (5, 1, 0x00)])
    w.data(6, [T0 + 41, T0, 41_000, 40_000, 1])
    return w.section()


@lru_cache(maxsize=1)
def fit_bases() -> tuple[bytes, ...]:
    """The FIT files the mutators start from (each a few KB, all sound)."""
    return (
        _cut_down(SAMPLES / "progressive_1000s.fit", 40, 100),  # workout steps, laps
        _cut_down(SAMPLES / "ten_by_200_autopause.fit", 25, 100),  # timer pauses
        _handmade_fit(),
    )


BASE_TYPES = (
    0x00,
    0x01,
    0x02,
    0x83,
    0x84,
    0x85,
    0x86,
    0x07,
    0x88,
    0x89,
    0x0A,
    0x8B,
    0x8C,
    0x0D,
    0x8E,
    0x8F,
    0x90,
    0x55,
)
MESG_NUMS = (0, 18, 19, 20, 21, 23, 26, 27, 34, 206, 207, 0xFF00, 0xFFFF)
FIT_OPS = (
    "flip",
    "set",
    "drop",
    "dup",
    "swap",
    "nfields",
    "fieldsize",
    "basetype",
    "mesgnum",
    "arch",
    "devfields",
    "bigdef",
    "localtype",
    "compressed",
    "value",
    "junk",
    "section",
    "timestamp",
)
RAW_OPS = ("cut", "data_size", "header", "flip")


def _defs(messages: list[bytes]) -> list[int]:
    return [i for i, m in enumerate(messages) if m[0] & 0xC0 == 0x40 and len(m) >= 6]


def _nfields(d: bytearray) -> int:
    return min(d[5], (len(d) - 6) // 3)


def mutate_fit(base: bytes, ops, raw_ops, fix: bool) -> bytes:
    """Apply message-level ``ops`` (kind, a, b, c), join, then raw byte ``raw_ops``."""
    header, messages = split_fit(base)
    messages = [bytearray(m) for m in messages]
    for kind, a, b, c in ops:
        if not messages:
            break
        i = a % len(messages)
        m = messages[i]
        defs = _defs(messages)
        d = messages[defs[a % len(defs)]] if defs else None
        if kind == "flip":
            m[b % len(m)] ^= 1 << (c % 8)
        elif kind == "set":
            m[b % len(m)] = c
        elif kind == "drop":
            del messages[i]
        elif kind == "dup":
            messages[i:i] = [bytearray(m)] * (1 + c % 3)
        elif kind == "swap":
            j = b % len(messages)
            messages[i], messages[j] = messages[j], messages[i]
        elif kind == "timestamp" and not m[0] & 0x40 and len(m) >= 5:
            m[1:5] = struct.pack("<I", (b * 2654435761 + c) % 2**32)  # times all over the place
        elif d is None:
            continue
        elif kind == "nfields":
            d[5] = c
        elif kind == "fieldsize" and _nfields(d):
            d[6 + 3 * (b % _nfields(d)) + 1] = (255, 0, 1, 3, c)[b % 5]
        elif kind == "basetype" and _nfields(d):
            d[6 + 3 * (b % _nfields(d)) + 2] = BASE_TYPES[c % len(BASE_TYPES)]
        elif kind == "mesgnum":
            d[3:5] = struct.pack(">H" if d[2] else "<H", MESG_NUMS[c % len(MESG_NUMS)])
        elif kind == "arch":
            d[2] = 1 - (d[2] != 0)
        elif kind == "devfields":
            n = (255, 128, 1, c)[b % 4]
            d[0] |= 0x20
            d += bytes([n]) + b"".join(bytes([k % 8, (255, 1, 4)[b % 3], c % 3]) for k in range(n))
        elif kind == "bigdef":
            d[5:] = bytes([255]) + bytes([b % 256, 255, 0x0D]) * 255
        elif kind == "localtype":
            m[0] = (m[0] & 0xF0) | (c & 0x0F)
        elif kind == "compressed" and not m[0] & 0x40:
            m[0] = 0x80 | ((m[0] & 0x3) << 5) | (c & 0x1F)
        elif kind == "value" and not m[0] & 0x40 and len(m) > 1:
            k = 1 + b % (len(m) - 1)
            m[k : k + 4] = (
                b"\xff\xff\xff\xff",
                b"\x00\x00\x00\x00",
                bytes([c] * 4),
                b"\x7f\xff\xff\xff",
            )[c % 4]
        elif kind == "junk":
            messages.insert(
                i,
                bytearray(
                    np.random.default_rng(b * 256 + c).integers(0, 256, 1 + c % 40, dtype=np.uint8)
                ),
            )
        elif kind == "section":
            messages.insert(i, bytearray(join_fit(header, [bytes(x) for x in messages[: c % 8]])))
    data = bytearray(join_fit(header, [bytes(m) for m in messages], fix=fix))
    for kind, a, c in raw_ops:
        if not data:
            break
        if kind == "cut":
            del data[a % len(data) :]
        elif kind == "data_size" and len(data) >= 8:
            data[4:8] = struct.pack("<I", (0xFFFFFFFF, 0, a % 2**32, len(data) * 2)[c % 4])
        elif kind == "header":
            data[a % min(len(data), 14)] = c
        elif kind == "flip":
            data[a % len(data)] ^= 1 << (c % 8)
    return bytes(data)
