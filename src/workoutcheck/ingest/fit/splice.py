"""Cut a FIT file down to the messages fitparse still has to read on the fast path.

Laps, events, sessions, the workout and the device's identity are a few hundred messages;
records are tens of thousands. fitparse stays the reader of the few (their enums and
subfields come from its profile) and must not pay for the many, so it gets a copy of the file
holding, per chained section, the file header (data size rewritten), and in file order:

- every data message of the layouts the caller keeps (``keep_layouts``);
- the definitions those messages need, every definition that has developer fields (fitparse
  looks each one up in its global developer-type table, which can fail, so each must be seen),
  and the first definition of every other layout (fitparse validates it as it would in the
  whole file);
- a 2-byte CRC of zeros: the caller opens it with ``check_crc=False`` because the real CRCs
  have already been checked by ``fitwalk``.

A kept message with a compressed-timestamp header cannot keep it (the records that set the
timestamp accumulator are gone): it is rewritten as a normal data message under a synthetic
definition with an explicit uint32 timestamp field holding the time fitparse would have
computed, and the original definition is repeated after it. Message types whose timestamp the
reader does not use just lose the header's time offset.
"""

from __future__ import annotations

import numpy as np

from workoutcheck.ingest.fit.walk import Declined, Walk

TIMESTAMP = 253
SYNTHETIC = -1  # definition id of a definition that is not in the file


def splice(
    data: bytes,
    w: Walk,
    keep_layouts: set[int],
    timed_mesgs: set[int],
    compressed_time: np.ndarray,
    *,
    every_layout: bool = True,
) -> tuple[bytes, list[int]]:
    """The stream for fitparse, and the walk's definition id of every definition in it, in
    order (``SYNTHETIC`` for a rewritten compressed-timestamp definition).

    ``every_layout=False`` leaves out the definitions the kept messages do not need (the first
    of each layout, those with developer fields): the stream then only shows whether fitparse
    can read those messages.
    """
    msg_layout = w.def_layout[w.def_id]
    kept = np.flatnonzero(np.isin(msg_layout, sorted(keep_layouts)))
    needed = np.isin(w.def_layout, sorted(keep_layouts))
    if every_layout:
        first = np.zeros(len(w.def_layout), dtype=bool)
        first[np.unique(w.def_layout, return_index=True)[1]] = True
        dev = np.array([bool(lay.dev_fields) for lay in w.layouts], dtype=bool)
        needed |= first
        if len(dev):
            needed |= dev[w.def_layout]
    defs = np.flatnonzero(needed)
    keys = np.r_[2 * w.def_at[defs] - 1, 2 * kept]
    ids = np.r_[-1 - defs, kept]  # negative: a definition
    sections = np.r_[w.def_section[defs], w.def_section[w.def_id[kept]]]
    order = np.argsort(keys, kind="stable")
    ids, sections = ids[order].tolist(), sections[order].tolist()
    out = bytearray()
    def_ids: list[int] = []
    item = 0
    for s, section in enumerate(w.sections):
        body = bytearray()
        while item < len(ids) and sections[item] == s:
            i = ids[item]
            if i < 0:
                d = -1 - i
                body += data[w.def_offset[d] : w.def_end[d]]
                def_ids.append(d)
            elif w.time_offset[i] < 0:
                p = int(w.payload[i])
                body += data[p - 1 : p + w.layouts[msg_layout[i]].size]
            else:
                _rewrite(data, w, i, int(compressed_time[i]), timed_mesgs, body, def_ids)
            item += 1
        header = bytearray(data[section.start : section.start + section.header_size])
        header[4:8] = len(body).to_bytes(4, "little")
        out += header + body + b"\0\0"
    return bytes(out), def_ids


def _rewrite(
    data: bytes,
    w: Walk,
    i: int,
    time: int,
    timed_mesgs: set[int],
    body: bytearray,
    def_ids: list[int],
) -> None:
    """A compressed-timestamp message as a normal one (with its time as a field if it is used)."""
    d = int(w.def_id[i])
    layout = w.layouts[int(w.def_layout[d])]
    p = int(w.payload[i])
    local = (data[p - 1] >> 5) & 0x3
    if layout.mesg_num not in timed_mesgs:
        body += bytes([local]) + data[p : p + layout.size]
        return
    if layout.field_at(TIMESTAMP) is not None or len(layout.fields) >= 255:
        raise Declined("a compressed-timestamp message also has a timestamp field")
    if not 0 <= time < 0xFFFFFFFF:
        raise Declined(f"compressed timestamp {time} does not fit a uint32")
    start, end = int(w.def_offset[d]), int(w.def_end[d])
    fields_end = start + 6 + 3 * len(layout.fields)
    body += bytes([0x40 | (data[start] & 0x20) | local]) + data[start + 1 : start + 5]
    body += (
        bytes([len(layout.fields) + 1]) + data[start + 6 : fields_end] + bytes([TIMESTAMP, 4, 0x86])
    )
    body += data[fields_end:end]
    def_ids.append(SYNTHETIC)
    normal = sum(size for _, size, _ in layout.fields)
    stamp = time.to_bytes(4, "big" if layout.big_endian else "little")
    body += bytes([local]) + data[p : p + normal] + stamp + data[p + normal : p + layout.size]
    body += data[start:end]  # the original definition again, for the messages after it
    def_ids.append(d)
