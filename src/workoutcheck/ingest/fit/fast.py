"""Decode every FIT ``record`` message at once with numpy (no fitparse here).

fitparse turns each message into Python objects, about 15,000 records/s: 1.3-1.8 s for a
5-hour run. Here ``fitwalk`` finds the messages, and the fields of all records sharing a
layout are gathered from the file's bytes by fancy indexing of their offsets, one numpy
operation per byte of each needed field. The values are made exactly as fitparse 1.2.0 and
``fitmsgs.take_record`` make them, so the arrays are equal, not just close:

- invalid values (0xFF, 0x7FFF, ..., 0 for the z types) per the definition's base type are
  missing (NaN);
- scale and offset as ``float(raw) / scale - offset``;
- fitparse's ``get_values`` is a dict built in field order, components of a field (speed ->
  enhanced_speed, altitude -> enhanced_altitude, compressed_speed_distance -> speed and an
  accumulated distance) before the field itself, so the last writer of a name wins, even with
  a missing value; a compressed-timestamp header's time comes last;
- compressed timestamps and the 12-bit distance accumulate with rollover across messages,
  reset where fitparse resets them (a new section; a new record definition).

Whatever falls outside this (arrays, float or 64-bit fields, a timestamp field in a
compressed-header record) raises ``Declined`` and the caller uses fitparse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workoutcheck.ingest.fit.walk import BASE_SIZE, Declined, Layout, Walk, walk

RECORD = 20
TIMESTAMP = 253
FIT_EPOCH = 631065600
RELATIVE_CLOCK_LIMIT = 0x10000000
SEMICIRCLE_DEG = 180.0 / 2**31
# record fields: number -> (name, scale, offset), as in fitparse 1.2.0's profile
FIELDS = {
    253: ("timestamp", None, None),
    0: ("position_lat", None, None),
    1: ("position_long", None, None),
    2: ("altitude", 5, 500),
    3: ("heart_rate", None, None),
    4: ("cadence", None, None),
    5: ("distance", 100, None),
    6: ("speed", 1000, None),
    53: ("fractional_cadence", 128, None),
    73: ("enhanced_speed", 1000, None),
    78: ("enhanced_altitude", 5, 500),
}
# components (name, scale, offset, bits, bit offset) of record fields that feed those names
COMPONENTS = {
    2: (("enhanced_altitude", 5, 500, 16, 0),),
    6: (("enhanced_speed", 1000, None, 16, 0),),
}
COMPRESSED_SPEED_DISTANCE = (
    8  # 3 bytes: 12-bit speed (scale 100), 12-bit distance (scale 16, accumulated)
)
RECORD_NAMES = frozenset(name for name, _, _ in FIELDS.values())
# integer base types: invalid value, signed
INTEGER = {
    0x00: (0xFF, False),
    0x01: (0x7F, True),
    0x02: (0xFF, False),
    0x83: (0x7FFF, True),
    0x84: (0xFFFF, False),
    0x85: (0x7FFFFFFF, True),
    0x86: (0xFFFFFFFF, False),
    0x0A: (0, False),
    0x8B: (0, False),
    0x8C: (0, False),
}


@dataclass
class FastRecords:
    """The records as ``fitmsgs.take_record`` would collect them (float64, NaN = missing)."""

    walk: Walk
    time: np.ndarray
    distance: np.ndarray
    speed: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    altitude: np.ndarray
    heart_rate: np.ndarray
    cadence: np.ndarray
    relative_clock: bool
    compressed_time: np.ndarray  # per data message: its compressed-header timestamp (if it has one)


def read_records(data: bytes, *, lenient: bool = False) -> FastRecords:
    """Walk ``data`` and decode its records; raise ``Declined`` if fitparse must do it.

    ``lenient``: the records before the damage of a damaged file (``walk``'s ``lenient``)."""
    w = walk(data, lenient=lenient)
    buf = np.frombuffer(data, dtype=np.uint8)
    msg_layout = w.def_layout[w.def_id]
    compressed_time = _compressed_times(w, buf, msg_layout)
    rec_layouts = [i for i, lay in enumerate(w.layouts) if lay.mesg_num == RECORD]
    rec_msgs = np.flatnonzero(np.isin(msg_layout, rec_layouts))
    distance_acc = _accumulated_distance(w, buf, msg_layout, rec_layouts)
    n = len(rec_msgs)
    names = (
        "distance",
        "enhanced_speed",
        "speed",
        "position_lat",
        "position_long",
        "enhanced_altitude",
        "altitude",
        "heart_rate",
        "cadence",
        "fractional_cadence",
    )
    cols = {name: np.full(n, np.nan) for name in names}
    ts = np.zeros(n, dtype=np.int64)
    has_time = np.zeros(n, dtype=bool)
    rec_layout = msg_layout[rec_msgs]
    for lid in rec_layouts:
        rows = np.flatnonzero(rec_layout == lid)
        if len(rows):
            msgs = rec_msgs[rows]
            values, times, timed = _decode_layout(
                w.layouts[lid],
                buf,
                w.payload[msgs],
                compressed_time[msgs],
                w.time_offset[msgs] >= 0,
                distance_acc[msgs],
            )
            for name, arr in values.items():
                if name in cols:
                    cols[name][rows] = arr
            ts[rows], has_time[rows] = times, timed
    return _as_taken(w, cols, ts, has_time, compressed_time)


def _as_taken(
    w: Walk, c: dict[str, np.ndarray], ts: np.ndarray, keep: np.ndarray, compressed_time
) -> FastRecords:
    """Per-record values exactly as ``fitmsgs.take_record`` combines fitparse's (records without
    a timestamp are skipped)."""
    c = {k: v[keep] for k, v in c.items()}
    ts = ts[keep]
    lat, lon = c["position_lat"], c["position_long"]
    both = ~(np.isnan(lat) | np.isnan(lon))
    cad, frac = c["cadence"], c["fractional_cadence"]
    return FastRecords(
        walk=w,
        time=ts.astype(np.float64) + FIT_EPOCH,
        distance=c["distance"],
        speed=np.where(np.isnan(c["enhanced_speed"]), c["speed"], c["enhanced_speed"]),
        lat=np.where(both, lat * SEMICIRCLE_DEG, np.nan),
        lon=np.where(both, lon * SEMICIRCLE_DEG, np.nan),
        altitude=np.where(np.isnan(c["enhanced_altitude"]), c["altitude"], c["enhanced_altitude"]),
        heart_rate=c["heart_rate"],
        cadence=cad + np.where(np.isnan(frac), 0.0, frac),
        relative_clock=bool((ts < RELATIVE_CLOCK_LIMIT).any()),
        compressed_time=compressed_time,
    )


def gather(buf: np.ndarray, at: np.ndarray, size: int, big_endian: bool) -> np.ndarray:
    """Unsigned little/big-endian integers of ``size`` bytes starting at each offset (int64)."""
    out = np.zeros(len(at), dtype=np.int64)
    for k in range(size):
        shift = 8 * (size - 1 - k) if big_endian else 8 * k
        out |= buf[at + k].astype(np.int64) << shift
    return out


def integer_field(layout: Layout, buf: np.ndarray, payload: np.ndarray, number: int):
    """(raw int64 values, valid mask) of a single-integer field, or None if the layout lacks it."""
    found = layout.field_at(number)
    if found is None:
        return None
    at, size, base = found
    if base not in INTEGER or size != BASE_SIZE[base]:
        raise Declined(
            f"field {number} of message {layout.mesg_num} is not one integer (base {base:#x}, {size} bytes)"
        )
    if sum(1 for f in layout.fields if f[0] == number) > 1:
        raise Declined(f"field {number} appears twice in a definition of message {layout.mesg_num}")
    raw = gather(buf, payload + at, size, layout.big_endian)
    invalid, signed = INTEGER[base]
    if signed:
        top = 1 << (8 * size)
        raw = np.where(raw >= top >> 1, raw - top, raw)
    return raw, raw != invalid


def _decode_layout(layout, buf, payload, ctime, compressed, distance_acc):
    """Name -> float64 values of one record layout, in fitparse's last-writer-wins order, the
    raw timestamps and whether there is one."""
    values: dict[str, np.ndarray] = {}
    times = np.zeros(len(payload), dtype=np.int64)
    timed = np.zeros(len(payload), dtype=bool)
    for number, _, _ in layout.fields:
        if number == COMPRESSED_SPEED_DISTANCE:
            speed_raw, valid = _compressed_speed(layout, buf, payload)
            values["speed"] = np.where(valid, speed_raw / 100, np.nan)
            values["distance"] = np.where(distance_acc >= 0, distance_acc / 16, np.nan)
            continue
        if number not in FIELDS:
            continue
        raw, valid = integer_field(layout, buf, payload, number)
        for name, scale, offset, bits, shift in COMPONENTS.get(number, ()):
            values[name] = _scaled((raw >> shift) & ((1 << bits) - 1), valid, scale, offset)
        name, scale, offset = FIELDS[number]  # type: ignore[assignment]
        if number == TIMESTAMP:
            times, timed = raw, valid
        else:
            values[name] = _scaled(raw, valid, scale, offset)
    if compressed.any():
        if layout.field_at(TIMESTAMP) is not None:
            raise Declined("a record with a compressed-timestamp header also has a timestamp field")
        times, timed = np.where(compressed, ctime, times), timed | compressed
    return values, times, timed


def _scaled(raw: np.ndarray, valid: np.ndarray, scale, offset) -> np.ndarray:
    value = raw.astype(np.float64)
    if scale:
        value = value / scale
    if offset:
        value = value - offset
    return np.where(valid, value, np.nan)


def _compressed_speed(layout: Layout, buf: np.ndarray, payload: np.ndarray):
    """(12-bit speed, valid) of compressed_speed_distance (read as bytes,
    little-endian whatever the architecture, as fitparse does)."""
    at, size, base = layout.field_at(COMPRESSED_SPEED_DISTANCE)  # type: ignore[misc]
    if (
        size != 3
        or (base != 0x0D and base in BASE_SIZE)
        or sum(1 for f in layout.fields if f[0] == COMPRESSED_SPEED_DISTANCE) > 1
    ):
        raise Declined("compressed_speed_distance is not 3 bytes")
    raw = gather(buf, payload + at, 3, False)
    return raw & 0xFFF, raw != 0xFFFFFF


def _accumulated_distance(
    w: Walk, buf: np.ndarray, msg_layout: np.ndarray, rec_layouts: list[int]
) -> np.ndarray:
    """Per data message: the accumulated compressed distance (raw, scale 16), or -1."""
    out = np.full(len(msg_layout), -1, dtype=np.int64)
    with_csd = [
        i for i in rec_layouts if w.layouts[i].field_at(COMPRESSED_SPEED_DISTANCE) is not None
    ]
    if not with_csd:
        return out
    msgs = np.flatnonzero(np.isin(msg_layout, with_csd))
    raw = np.zeros(len(msgs), dtype=np.int64)
    valid = np.zeros(len(msgs), dtype=bool)
    for lid in with_csd:
        rows = np.flatnonzero(msg_layout[msgs] == lid)
        at = w.layouts[lid].field_at(COMPRESSED_SPEED_DISTANCE)
        assert at is not None  # with_csd holds only the layouts that have the field
        speed_and_distance = gather(buf, w.payload[msgs[rows]] + at[0], 3, False)
        raw[rows] = (speed_and_distance >> 12) & 0xFFF
        valid[rows] = speed_and_distance != 0xFFFFFF
    msgs, raw = msgs[valid], raw[valid]
    # fitparse sets the accumulator to 0 at every record definition holding the field
    resets = w.def_at[np.isin(w.def_layout, with_csd)]
    acc = rollover(
        np.r_[2 * msgs, 2 * resets - 1],
        np.r_[raw, np.zeros(len(resets), np.int64)],
        np.r_[np.zeros(len(msgs), bool), np.ones(len(resets), bool)],
        12,
    )
    out[msgs] = acc[: len(msgs)]
    return out


def _compressed_times(w: Walk, buf: np.ndarray, msg_layout: np.ndarray) -> np.ndarray:
    """Per data message: the timestamp its compressed-timestamp header gives (0 if none).

    fitparse keeps one accumulator per section, set by every timestamp field (of any message)
    that is valid and advanced by each compressed header with 5-bit rollover.
    """
    out = np.zeros(len(msg_layout), dtype=np.int64)
    rolls = np.flatnonzero(w.time_offset >= 0)
    if not len(rolls):
        return out
    keys, values, is_set = [3 * rolls + 1], [w.time_offset[rolls]], [np.zeros(len(rolls), bool)]
    for lid, layout in enumerate(w.layouts):
        if layout.field_at(TIMESTAMP) is None:
            continue
        msgs = np.flatnonzero(msg_layout == lid)
        raw, valid = integer_field(layout, buf, w.payload[msgs], TIMESTAMP)
        keys.append(3 * msgs[valid])
        values.append(raw[valid])
        is_set.append(np.ones(int(valid.sum()), bool))
    msg_section = w.def_section[w.def_id]
    firsts = np.searchsorted(msg_section, np.arange(len(w.sections)))
    keys.append(3 * firsts - 1)  # each section starts from 0
    values.append(np.zeros(len(firsts), np.int64))
    is_set.append(np.ones(len(firsts), bool))
    acc = rollover(np.concatenate(keys), np.concatenate(values), np.concatenate(is_set), 5)
    out[rolls] = acc[: len(rolls)]
    return out


def rollover(keys: np.ndarray, values: np.ndarray, is_set: np.ndarray, bits: int) -> np.ndarray:
    """fitparse's ``_apply_compressed_accumulation`` over events in ``keys`` order, vectorised.

    A "set" event makes the accumulator its value; any other event carries the low ``bits``
    of the next value: acc += (value - acc) mod 2**bits. Within a run after a set, acc & mask
    is the previous event's low bits, so each step is known up front and a cumulative sum does
    the rest. Returns the accumulator after each event, in the input order.
    """
    mask = (1 << bits) - 1
    order = np.argsort(keys, kind="stable")
    v, s = values[order], is_set[order]
    low = np.where(s, v & mask, v)
    prev_low = np.r_[0, low[:-1]]
    step = np.where(s, 0, (v - prev_low) & mask)
    last_set = np.maximum.accumulate(np.where(s, np.arange(len(v)), -1))
    total = np.cumsum(step)
    base = np.where(last_set >= 0, v[np.maximum(last_set, 0)], 0)
    since = total - np.where(last_set >= 0, total[np.maximum(last_set, 0)], 0)
    acc = np.empty_like(v)
    acc[order] = base + since
    return acc
