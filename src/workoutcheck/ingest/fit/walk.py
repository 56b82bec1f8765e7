"""Walk the message headers of a FIT file once, without decoding any field.

The walk finds where every data message's payload starts and which definition describes it;
``fitfast`` then decodes the record messages of each definition at once with numpy. A FIT
file is a chain of variable-length messages, so finding them is inherently sequential; the
walk keeps the per-message work to a few integer operations and, where several data messages
with the same header byte follow each other (the common case: thousands of records in a
row), counts the whole run with one strided bytes slice and ``lstrip`` in C.

Anything the walk does not understand, or that fitparse would reject (bad CRC, truncation, a
data message without a definition, a field size that is not a multiple of its base type...),
raises ``Declined``: the caller then reads the file with fitparse, whose errors and partial
results are the reference.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from workoutcheck.ingest.fit.crc import crc16, crc_bytes

# Size in bytes of each FIT base type, as fitparse knows them; fitparse reads an unknown base
# type as "byte" (size 1).
BASE_SIZE = {
    0x00: 1, 0x01: 1, 0x02: 1, 0x83: 2, 0x84: 2, 0x85: 4, 0x86: 4, 0x07: 1, 0x88: 4, 0x89: 8,
    0x0A: 1, 0x8B: 2, 0x8C: 4, 0x0D: 1, 0x8E: 8, 0x8F: 8, 0x90: 8,
}
_ONE_BYTE = [bytes([i]) for i in range(256)]
# Real files hold a few dozen distinct definitions (35 at most in the corpus). The decoder
# works layout by layout, each step scanning all messages, so thousands of layouts would make
# it quadratic; such a file goes to fitparse, which is linear in the number of messages.
MAX_LAYOUTS = 256


class Declined(Exception):
    """The fast path does not handle this file; the reason says why (for tests and logs)."""


@dataclass(frozen=True)
class Layout:
    """The content of a definition message: how the data messages that use it are laid out.

    Some watches (Suunto) repeat the same definition before every message; identical
    definitions share one layout, so their records are decoded together.
    """

    mesg_num: int
    big_endian: bool
    fields: tuple[tuple[int, int, int], ...]  # (field number, size, base type) in order
    dev_fields: tuple[tuple[int, int, int], ...]  # (field number, size, developer data index)
    size: int  # payload bytes of each data message

    def field_at(self, number: int) -> tuple[int, int, int] | None:
        """(byte offset, size, base type) of the LAST field with this number: fitparse's
        ``get_values`` keeps the last one."""
        found, at = None, 0
        for num, size, base in self.fields:
            if num == number:
                found = (at, size, base)
            at += size
        return found


@dataclass(frozen=True)
class Section:
    start: int  # of its file header
    header_size: int
    data_end: int  # where its 2-byte CRC starts


@dataclass
class Walk:
    """Every data message in file order, and every definition message with where it occurs."""

    sections: list[Section]
    layouts: list[Layout]
    def_offset: np.ndarray  # per definition message: offset of its header byte
    def_end: np.ndarray  # per definition message: first byte after it
    def_layout: np.ndarray  # per definition message: index into ``layouts``
    def_section: np.ndarray  # per definition message: its section
    def_at: np.ndarray  # per definition message: how many data messages come before it
    payload: np.ndarray  # per data message: offset of its first field byte (int64)
    def_id: np.ndarray  # per data message: which definition message describes it
    time_offset: np.ndarray  # per data message: compressed-timestamp offset, or -1


def walk(data: bytes) -> Walk:
    """Find every message of every chained section; raise ``Declined`` on anything odd."""
    if not data:
        raise Declined("no FIT file header at byte 0")
    buf = np.frombuffer(data, dtype=np.uint8)
    sections: list[Section] = []
    layouts: list[Layout] = []
    known: dict[bytes, int] = {}
    defs: list[tuple[int, int, int, int, int]] = []  # (offset, end, layout, section, data before)
    runs: list[tuple[int, int, int, int, int]] = []  # (payload, step, count, definition, time offset)
    n_msgs = 0
    pos = 0
    while pos < len(data):
        section = _header(data, buf, pos)
        local: list[tuple[int, int] | None] = [None] * 16  # fitparse forgets them per section
        p, end = section.start + section.header_size, section.data_end
        while p < end:
            h = data[p]
            if (h & 0xC0) == 0x40:
                q = _definition_end(data, p, h, end)
                key = data[p + 1 : q]  # with developer fields its length is 0 mod 3, else 2
                lid = known.get(key)
                if lid is None:
                    if len(layouts) >= MAX_LAYOUTS:
                        raise Declined(f"more than {MAX_LAYOUTS} different definitions")
                    lid = known[key] = len(layouts)
                    layouts.append(_layout(data, p, h))
                defs.append((p, q, lid, len(sections), n_msgs))
                local[h & 0xF] = (len(defs) - 1, layouts[lid].size + 1)
                p = q
                continue
            if h & 0x80:
                entry, toff = local[(h >> 5) & 0x3], h & 0x1F
            else:
                entry, toff = local[h & 0xF], -1
            if entry is None:
                raise Declined(f"data message at byte {p} uses a local type without a definition")
            did, step = entry
            count = 1
            q = p + step
            if q < end and data[q] == h:  # a run of messages with this same header byte
                run = data[q:end:step]
                count += len(run) - len(run.lstrip(_ONE_BYTE[h]))
            runs.append((p + 1, step, count, did, toff))
            n_msgs += count
            p += step * count
        if p != end:
            raise Declined(f"the last message of the section at byte {section.start} overruns its data size")
        sections.append(section)
        pos = end + 2
    return _assemble(sections, layouts, defs, runs, n_msgs)


def _header(data: bytes, buf: np.ndarray, pos: int) -> Section:
    if len(data) - pos < 12 or data[pos + 8 : pos + 12] != b".FIT":
        raise Declined(f"no FIT file header at byte {pos}")
    size = data[pos]
    if size not in (12, 14):
        raise Declined(f"FIT header size {size} at byte {pos}")
    (data_size,) = struct.unpack_from("<I", data, pos + 4)
    end = pos + size + data_size
    if end + 2 > len(data):
        raise Declined(f"section at byte {pos} is truncated")
    if size == 14:
        (header_crc,) = struct.unpack_from("<H", data, pos + 12)
        if header_crc and header_crc != crc_bytes(data[pos : pos + 12]):
            raise Declined(f"header CRC of the section at byte {pos} is wrong")
    if crc16(buf[pos : end + 2]) != 0:
        raise Declined(f"CRC of the section at byte {pos} is wrong")
    return Section(pos, size, end)


def _definition_end(data: bytes, p: int, h: int, end: int) -> int:
    q = p + 6 + 3 * data[p + 5] if p + 6 <= end else end + 1
    if h & 0x20:
        q = q + 1 + 3 * data[q] if q < end else end + 1
    if q > end:
        raise Declined(f"definition message at byte {p} overruns its section")
    return q


def _layout(data: bytes, p: int, h: int) -> Layout:
    big = data[p + 2] != 0  # fitparse: any non-zero architecture byte means big endian
    mesg_num, n_fields = struct.unpack_from(">HB" if big else "<HB", data, p + 3)
    q = p + 6
    fields = []
    for _ in range(n_fields):
        num, size, base = data[q], data[q + 1], data[q + 2]
        if size == 0 or size % BASE_SIZE.get(base, 1):
            raise Declined(f"field {num} of message {mesg_num} has size {size} for base type {base:#x}")
        fields.append((num, size, base))
        q += 3
    dev_fields = []
    if h & 0x20:
        n_dev = data[q]
        for i in range(n_dev):
            num, size, index = data[q + 1 + 3 * i : q + 4 + 3 * i]
            if size == 0:
                raise Declined(f"developer field {num} of message {mesg_num} has size 0")
            dev_fields.append((num, size, index))
    size = sum(f[1] for f in fields) + sum(f[1] for f in dev_fields)
    return Layout(mesg_num, big, tuple(fields), tuple(dev_fields), size)


def _assemble(sections, layouts, defs, runs, n_msgs) -> Walk:
    """Expand the runs into one entry per data message, with numpy."""
    def_offset, def_end, def_layout, def_section, def_at = (
        np.array(c, dtype=np.int64) for c in (zip(*defs, strict=True) if defs else ((),) * 5)
    )
    if runs:
        start, step, count, did, toff = (np.array(c, dtype=np.int64) for c in zip(*runs, strict=True))
    else:
        start = step = count = did = toff = np.zeros(0, dtype=np.int64)
    first = np.cumsum(count) - count
    within = np.arange(n_msgs, dtype=np.int64) - np.repeat(first, count)
    return Walk(
        sections=sections,
        layouts=layouts,
        def_offset=def_offset,
        def_end=def_end,
        def_layout=def_layout,
        def_section=def_section,
        def_at=def_at,
        payload=np.repeat(start, count) + np.repeat(step, count) * within,
        def_id=np.repeat(did, count),
        time_offset=np.repeat(toff, count),
    )
