"""Decode the few non-record messages the reader uses straight from the walk, without fitparse's file reader.

fitparse spends ~100 us per lap or session message building objects for its 50-100 fields;
the reader reads about eight of them. Here each kept message's needed fields are unpacked
with one precompiled ``struct`` per field at the offsets ``fitwalk`` found, then made into
values with fitparse's own profile and functions, in fitparse's order, so the dict handed to
``fitmsgs.take_values`` holds what ``get_values`` would hold for those names:

- the base type's ``parse`` (invalid value -> None, strings cut at NUL), count > 1 as a tuple;
- the subfield chosen from the raw values of the message's fields (first match wins);
- ``render`` (enum names), then scale and offset; date/time values stay integers, which
  ``fitmsgs`` turns into the same seconds as fitparse's datetimes;
- a compressed-timestamp header's time last (it overrides the field).

Developer data is replayed as fitparse does it, in file order: each ``developer_data_id`` and
``field_description`` message goes through fitparse's own ``add_dev_*`` (fitparse keeps the
descriptions in a module-global table that later files see, so it must end up the same), and
each definition's developer fields are looked up with ``get_dev_type`` when it occurs; a
lookup that fails, a developer field whose size is not a multiple of its type, or a record
developer field named like a record field raises ``Declined`` (the table restored) and
fitparse reads the whole file, as on the cut-down-copy path. A developer field of a kept
message named like a used value overrides it, as in ``get_values``.

Files this does not cover make ``take_direct`` return False and go to ``fitcombined``'s
fitparse-on-a-cut-down-copy path: a developer-data layout with developer fields itself, a kept
layout fitparse's processing could fail on (``risky``, checked by the caller), a component of
a present field that writes a name the reader uses, a used field of a type fitparse's
processor changes, a repeated field number, or a compressed-timestamp message that also has a
timestamp field.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import numpy as np
from fitparse.profile import MESSAGE_TYPES
from fitparse.records import (
    BASE_TYPE_BYTE,
    BASE_TYPES,
    DEV_TYPES,
    add_dev_data_id,
    add_dev_field_description,
    get_dev_type,
)

from workoutcheck.ingest.fit.fast import RECORD, RECORD_NAMES
from workoutcheck.ingest.fit.messages import TAKEN, Collected, take_values
from workoutcheck.ingest.fit.walk import Declined, Layout, Walk

TIMESTAMP = 253
DEV_MESGS = (207, 206)  # developer_data_id, field_description
# types fitparse's default processor changes (date_time is left to ``fitmsgs._time``, which
# gives the same seconds for its int and its datetime)
PROCESSED = ("bool", "local_date_time", "localtime_into_day")


def take_direct(
    data: bytes,
    w: Walk,
    compressed_time: np.ndarray,
    got: Collected,
    kept_mesgs: frozenset[int],
    timed_mesgs: set[int],
) -> bool:
    """Collect the kept messages into ``got``; False (``got`` untouched) if this path does not
    apply. The caller has checked that no layout is risky."""
    if any(lay.dev_fields and lay.mesg_num in DEV_MESGS for lay in w.layouts):
        return False
    plans: dict[int, tuple] = {}
    for lid, layout in enumerate(w.layouts):
        if layout.mesg_num in kept_mesgs and MESSAGE_TYPES.get(layout.mesg_num) is not None:
            plan = _plan(layout)
            if plan is None:
                return False
            plans[lid] = plan
    msg_layout = w.def_layout[w.def_id]
    kept = np.flatnonzero(np.isin(msg_layout, list(plans)))
    compressed = kept[w.time_offset[kept] >= 0]
    for lid in set(msg_layout[compressed].tolist()):
        if w.layouts[lid].mesg_num in timed_mesgs and plans[lid][3]:
            return False  # a compressed-header message with a timestamp field too
    dev_names = _replay_developer_data(data, w, msg_layout)
    taken = []
    for i, lid, p, toff in zip(
        kept.tolist(),
        msg_layout[kept].tolist(),
        w.payload[kept].tolist(),
        w.time_offset[kept].tolist(),
        strict=True,
    ):
        name, wanted, refs, _ = plans[lid]
        values = _values(data, p, wanted, refs)
        layout = w.layouts[lid]
        if layout.dev_fields:
            _dev_values(data, p, layout, dev_names[int(w.def_id[i])], set(TAKEN[name]), values)
        if toff >= 0 and layout.mesg_num in timed_mesgs:
            values["timestamp"] = int(compressed_time[i])
        taken.append((name, values))
    for name, values in taken:
        take_values(got, name, values)
    return True


def _replay_developer_data(data: bytes, w: Walk, msg_layout: np.ndarray) -> dict[int, tuple]:
    """fitparse's developer-type table changes, in file order; the developer fields (fitparse
    ``DevField``) of every definition that has some, by definition id."""
    has_dev = np.array([bool(lay.dev_fields) for lay in w.layouts], dtype=bool)
    dev_defs = np.flatnonzero(has_dev[w.def_layout]) if len(has_dev) else np.zeros(0, np.int64)
    dev_msgs = np.flatnonzero(
        np.isin(msg_layout, [i for i, lay in enumerate(w.layouts) if lay.mesg_num in DEV_MESGS])
    )
    if not len(dev_defs) and not len(dev_msgs):
        return {}
    keys = np.r_[2 * w.def_at[dev_defs] - 1, 2 * dev_msgs]
    ids = np.r_[-1 - dev_defs, dev_msgs][np.argsort(keys, kind="stable")].tolist()
    out: dict[int, tuple] = {}
    with declined_on_failure("developer data"):
        for i in ids:
            if i < 0:
                d = -1 - i
                out[d] = _dev_definition(w.layouts[int(w.def_layout[d])])
                continue
            layout = w.layouts[int(msg_layout[i])]
            msg = _RawMessage(data, int(w.payload[i]), layout)
            if layout.mesg_num == 207:
                add_dev_data_id(msg)
            else:
                add_dev_field_description(msg)
    return out


@contextmanager
def declined_on_failure(what: str) -> Iterator[None]:
    """Turn any failure inside into ``Declined`` (fitparse then reads the whole file and decides
    what it means), with fitparse's global developer table restored to what it was, so the
    fallback starts from the state it would have had."""
    saved = {k: {**v, "fields": dict(v["fields"])} for k, v in DEV_TYPES.items()}
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - anything at all
        DEV_TYPES.clear()
        DEV_TYPES.update(saved)
        if isinstance(exc, Declined):
            raise
        raise Declined(f"{what}: {type(exc).__name__}: {exc}") from None


def _dev_definition(layout: Layout) -> tuple:
    fields = []
    for number, size, index in layout.dev_fields:
        field = get_dev_type(index, number)
        for text in (field.name, field.units):
            # a name or unit read as several values (a description with a non-string type):
            # fitparse's processors fail formatting it on every message with this field
            if isinstance(text, tuple) and len(text) != 1:
                raise Declined(f"developer field {number} has a name or unit of {len(text)} values")
        if size % field.type.size:
            raise Declined(
                f"developer field {field.name!r} has size {size}, not a multiple of its type"
            )
        if layout.mesg_num == RECORD and field.name in RECORD_NAMES:
            raise Declined(f"a record developer field is named {field.name!r}")
        fields.append((field, size))
    return tuple(fields)


def _dev_values(
    data: bytes, p: int, layout: Layout, fields: tuple, used: set[str], values: dict
) -> None:
    """Developer fields named like a used value: they come after the normal fields in ``get_values``."""
    at = sum(size for _, size, _ in layout.fields)
    endian = ">" if layout.big_endian else "<"
    for field, size in fields:
        if field.name in used:
            base = field.type
            unpack = struct.Struct(f"{endian}{size // base.size}{base.fmt}").unpack_from
            raw = _raw(data, p, (at, unpack, base.parse, base.name == "byte"))
            values[field.name] = _scaled(field, field.render(raw))
        at += size


class _RawMessage:
    """What fitparse's ``add_dev_*`` read from a developer-data message: ``get_raw_value`` of
    the first field with a name."""

    def __init__(self, data: bytes, p: int, layout: Layout) -> None:
        self.raw: dict[str, Any] = {}
        mesg = MESSAGE_TYPES[layout.mesg_num]
        endian = ">" if layout.big_endian else "<"
        at = 0
        for number, size, base in layout.fields:
            field = mesg.fields.get(number)
            if field is not None and field.name not in self.raw:
                base_type = BASE_TYPES.get(base, BASE_TYPE_BYTE)
                unpack = struct.Struct(
                    f"{endian}{size // base_type.size}{base_type.fmt}"
                ).unpack_from
                self.raw[field.name] = _raw(
                    data, p, (at, unpack, base_type.parse, base_type.name == "byte")
                )
            at += size

    def get_raw_value(self, name: str) -> Any:
        return self.raw.get(name)


@lru_cache(maxsize=1024)
def _plan(layout: Layout):
    """(message name, [(offset, struct, parse, field, subfields)] of the fields that can give a
    used name, {field number: (offset, struct, parse)} of the fields subfields refer to,
    whether it has a timestamp field), or None if a component could write a used name, a used
    field's type has a fitparse processor other than date_time's, or a field number repeats."""
    mesg = MESSAGE_TYPES[layout.mesg_num]
    numbers = [number for number, _, _ in layout.fields]
    if len(set(numbers)) != len(numbers):
        return None
    used = set(TAKEN.get(mesg.name, ()))
    endian = ">" if layout.big_endian else "<"
    wanted, at, by_number = [], 0, {}
    for number, size, base in layout.fields:
        base_type = BASE_TYPES.get(base, BASE_TYPE_BYTE)
        unpack = struct.Struct(f"{endian}{size // base_type.size}{base_type.fmt}").unpack_from
        read = (at, unpack, base_type.parse, base_type.name == "byte")
        by_number[number] = (
            read  # the last field of a number is the one subfields compare (as fitparse)
        )
        field = mesg.fields.get(number)
        at += size
        if field is None:
            continue
        subfields = tuple(field.subfields or ())
        for f in (field, *subfields):
            for component in f.components or ():
                target = mesg.fields.get(component.def_num)
                names = (
                    {target.name, *(s.name for s in target.subfields or ())} if target else set()
                )
                if names & used:
                    return None
        if {field.name, *(s.name for s in subfields)} & used:
            if any(getattr(f.type, "name", None) in PROCESSED for f in (field, *subfields)):
                return None
            wanted.append((read, field, subfields))
    refs = {}
    for _, _field, subfields in wanted:
        for sub in subfields:
            for ref in sub.ref_fields:
                if ref.def_num in by_number:
                    refs[ref.def_num] = by_number[ref.def_num]
    has_time = any(number == TIMESTAMP for number, _, _ in layout.fields)
    return mesg.name, tuple(wanted), refs, has_time


def _raw(data: bytes, p: int, read) -> Any:
    """A field's raw value as fitparse's ``_parse_raw_values_from_data_message`` makes it."""
    at, unpack, parse, is_byte = read
    raw = unpack(data, p + at)
    if is_byte:
        return parse(raw)
    if len(raw) > 1:
        return tuple(parse(r) for r in raw)
    return parse(raw[0])


def _values(data: bytes, p: int, wanted, refs) -> dict[str, Any]:
    ref_raw = {number: _raw(data, p, read) for number, read in refs.items()}
    values: dict[str, Any] = {}
    for read, field, subfields in wanted:
        raw = _raw(data, p, read)
        chosen = field
        for sub in subfields:
            if any(
                ref.def_num in ref_raw and ref_raw[ref.def_num] == ref.raw_value
                for ref in sub.ref_fields
            ):
                chosen = sub
                break
        values[chosen.name] = _scaled(chosen, chosen.render(raw))
    return values


def _scaled(field, value: Any) -> Any:
    """fitparse's ``_apply_scale_offset``."""
    if isinstance(value, tuple):
        return tuple(_scaled(field, x) for x in value)
    if isinstance(value, int | float):
        if field.scale:
            value = float(value) / field.scale
        if field.offset:
            value = value - field.offset
    return value
