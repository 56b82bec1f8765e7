"""The fast FIT path: records from ``fitfast``, every other needed message from ``fitdirect``.

``fitdirect`` decodes the laps, events, sessions, workout and device from the walk. Where it
does not apply, fitparse is given only the non-record messages (``fitsplice``), so a
20,000-record file costs it a few dozen messages instead of 20,000. The result must be what
fitparse alone would give,
errors included, so this path declines (``Declined``; the caller then reads the whole file
with fitparse) wherever dropping the records could change fitparse's behaviour:

- a layout whose data messages fitparse could fail on (a date/time field that is not a plain
  integer, a ``localtime_into_day`` field, components on a field that is not one integer or
  bytes): its messages stay in the cut-down file, and if it is a record layout, the file is
  declined;
- a developer field whose size is not a multiple of its base type (fitparse would misread the
  rest of the message), or a record developer field named like a field the reader uses
  (fitparse's ``get_values`` would let it override the real one);
- anything fitparse raises on the cut-down file.

fitparse keeps developer-field descriptions in a module-global table; it is restored when this
path declines, so the fallback starts from the state it would have had.
"""

from __future__ import annotations

import io
from functools import lru_cache

import fitparse
from fitparse.profile import MESSAGE_TYPES

from workoutcheck.ingest.fit.direct import declined_on_failure, take_direct
from workoutcheck.ingest.fit.fast import INTEGER, RECORD, RECORD_NAMES, read_records
from workoutcheck.ingest.fit.messages import Collected, take
from workoutcheck.ingest.fit.splice import SYNTHETIC, splice
from workoutcheck.ingest.fit.walk import BASE_SIZE, Declined, Layout, Walk

__all__ = ["Declined", "read_combined", "read_damaged"]

# file_id, sport, session, lap, event, workout, workout_step (read by ``fitmsgs.take``) and
# developer_data_id / field_description (fitparse needs them to read developer fields)
KEEP_MESGS = frozenset({0, 12, 18, 19, 21, 26, 27, 206, 207})
TIMED_MESGS = {18, 19, 21}  # the kept messages whose timestamp the reader uses
DATE_TYPES = ("date_time", "local_date_time")


def read_combined(data: bytes) -> Collected:
    """Collect a sound FIT file the fast way; raise ``Declined`` when fitparse must read it."""
    return _read(data, lenient=False)[0]


def read_damaged(data: bytes) -> tuple[Collected, str, str]:
    """For a file ``read_combined`` declined: what fitparse, reading it message by message,
    collects before it fails, and how it fails: (collected, kind, fitparse's message), kind
    "eof", "crc", "header" or "parse" (``walk``'s ``damage``). Raises ``Declined`` if the file is not
    damaged in a way the walk models (fitparse must then read it)."""
    got, w = _read(data, lenient=True)
    if w.damage is None:
        raise Declined("no damage the lenient walk models")
    return got, *w.damage


def _read(data: bytes, *, lenient: bool) -> tuple[Collected, Walk]:
    records = read_records(data, lenient=lenient)
    w = records.walk
    keep = {lid for lid, layout in enumerate(w.layouts) if _keep(layout)}
    got = Collected()
    got.time, got.distance, got.speed = records.time, records.distance, records.speed
    got.lat, got.lon, got.altitude = records.lat, records.lon, records.altitude
    got.heart_rate, got.cadence = records.heart_rate, records.cadence
    got.relative_clock = records.relative_clock
    if _direct(data, records, keep, got):
        return got, w
    stream, def_ids = splice(data, w, keep, TIMED_MESGS, records.compressed_time)
    with declined_on_failure("fitparse on the non-record messages"):
        fit = fitparse.FitFile(io.BytesIO(stream), check_crc=False)
        definitions = iter(def_ids)
        for msg in fit.get_messages(with_definitions=True):
            if msg.type == "definition":
                _check_definition(msg, next(definitions))
            else:
                take(got, msg)
    return got, w


def _direct(data: bytes, records, keep: set[int], got: Collected) -> bool:
    """Collect the kept messages with ``fitdirect`` if it applies (False if not).

    Other messages fitparse could fail on (``_risky``: a user profile's wake time, say) are
    still given to fitparse, alone, so that a failure declines the file as before.
    """
    w = records.walk
    risky_others = {lid for lid in keep if w.layouts[lid].mesg_num not in KEEP_MESGS}
    if any(w.layouts[lid].dev_fields for lid in risky_others):
        return False
    if any(_risky(w.layouts[lid]) for lid in keep - risky_others):
        return False
    if risky_others:
        risky_others = _check_times_of_day(data, w, risky_others)
    if risky_others:
        stream, _ = splice(
            data, w, risky_others, set(), records.compressed_time, every_layout=False
        )
        with declined_on_failure("fitparse on the other messages"):
            for _ in fitparse.FitFile(io.BytesIO(stream), check_crc=False).get_messages():
                pass
    return take_direct(data, w, records.compressed_time, got, KEEP_MESGS, TIMED_MESGS)


def _check_times_of_day(data: bytes, w, lids: set[int]) -> set[int]:
    """The layouts of ``lids`` that must still go to fitparse: those risky only for plain
    ``localtime_into_day`` fields (a user profile's wake and sleep times) are checked here.

    fitparse makes such a value a ``datetime.time`` and fails past midnight (86,400 s or
    more); that is checked on the raw values, all messages at once, and declines as fitparse's
    failure would."""
    import numpy as np

    from workoutcheck.ingest.fit.fast import integer_field

    rest = set()
    msg_layout = None
    for lid in sorted(lids):
        layout = w.layouts[lid]
        numbers = _times_of_day(layout)
        if numbers is None:
            rest.add(lid)
            continue
        if msg_layout is None:
            msg_layout = w.def_layout[w.def_id]
        payload = w.payload[msg_layout == lid]
        buf = np.frombuffer(data, dtype=np.uint8)
        for number in numbers:
            raw, valid = integer_field(layout, buf, payload, number)
            late = raw[valid & ((raw >= 86_400) | (raw < 0))]
            if len(late):
                raise Declined(
                    f"fitparse on the other messages would fail: a time of day of {int(late[0])} s "
                    f"in message {layout.mesg_num} is not within a day"
                )
    return rest


@lru_cache(maxsize=1024)
def _times_of_day(layout: Layout) -> tuple[int, ...] | None:
    """The field numbers of a layout whose only risk (``_risky``) is plain single-integer
    ``localtime_into_day`` fields without scale, offset, subfields or components; None if it
    has another."""
    mesg = MESSAGE_TYPES.get(layout.mesg_num)
    if mesg is None:
        return None
    numbers = []
    others = []
    for number, size, base in layout.fields:
        field = mesg.fields.get(number)
        if field is not None and getattr(field.type, "name", None) == "localtime_into_day":
            plain = (
                base in INTEGER
                and size == BASE_SIZE[base]
                and not field.scale
                and not field.offset
                and not field.subfields
                and not field.components
            )
            if not plain or sum(1 for f in layout.fields if f[0] == number) > 1:
                return None
            numbers.append(number)
        else:
            others.append((number, size, base))
    if _risky(Layout(layout.mesg_num, layout.big_endian, tuple(others), (), 0)):
        return None
    return tuple(numbers)


def _check_definition(msg, def_id: int) -> None:
    for fd in msg.dev_field_defs:
        if fd.size % fd.base_type.size:
            raise Declined(
                f"developer field {fd.name!r} has size {fd.size}, not a multiple of its type"
            )
        if msg.mesg_num == RECORD and def_id != SYNTHETIC and fd.name in RECORD_NAMES:
            raise Declined(f"a record developer field is named {fd.name!r}")


@lru_cache(maxsize=1024)
def _keep(layout: Layout) -> bool:
    """Whether fitparse must read this layout's data messages (decline for records)."""
    if layout.mesg_num in KEEP_MESGS:
        return True
    if not _risky(layout):
        return False
    if layout.mesg_num == RECORD:
        raise Declined("a record field fitparse might fail on")
    return True


def _risky(layout: Layout) -> bool:
    """Whether fitparse's processing of this layout's messages could raise (see module doc)."""
    mesg = MESSAGE_TYPES.get(layout.mesg_num)
    if mesg is None:
        return False  # unknown messages are kept as raw values: nothing can fail
    for number, size, base in layout.fields:
        field = mesg.fields.get(number)
        if field is None:
            continue
        single_int = base in INTEGER and size == BASE_SIZE[base]
        as_bytes = base == 0x0D or base not in BASE_SIZE
        for f in (field, *(field.subfields or ())):
            kind = getattr(f.type, "name", None)
            if kind == "localtime_into_day" or (kind in DATE_TYPES and not single_int):
                return True
            if f.components and not (single_int or as_bytes):
                return True
    return False
