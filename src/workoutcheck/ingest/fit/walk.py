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
from functools import lru_cache

import numpy as np

from workoutcheck.ingest.fit.crc import crc16, crc_bytes

# Size in bytes of each FIT base type, as fitparse knows them; fitparse reads an unknown base
# type as "byte" (size 1).
BASE_SIZE = {
    0x00: 1,
    0x01: 1,
    0x02: 1,
    0x83: 2,
    0x84: 2,
    0x85: 4,
    0x86: 4,
    0x07: 1,
    0x88: 4,
    0x89: 8,
    0x0A: 1,
    0x8B: 2,
    0x8C: 4,
    0x0D: 1,
    0x8E: 8,
    0x8F: 8,
    0x90: 8,
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
    # lenient walks: what fitparse raises where the walk stopped, (kind, message) with kind
    # "eof", "crc", "header" or "parse"
    damage: tuple[str, str] | None = None


def walk(data: bytes, *, lenient: bool = False) -> Walk:
    """Find every message of every chained section; raise ``Declined`` on anything odd.

    ``lenient=True`` is for a damaged file: the walk stops where fitparse would fail reading
    it, at a truncation (the file ends inside a message, its section's CRC or a chained header)
    or at a section whose CRC is wrong, and ``damage`` says what fitparse would raise there;
    the messages before (all of them in a section with a wrong CRC: fitparse checks it last)
    are what fitparse reads before the error. Damage it does not model (a message that runs
    past its section's data size but not past the file's end, a first header fitparse refuses
    outright) still raises ``Declined``.
    """
    if not data:
        raise Declined("no FIT file header at byte 0")
    buf = np.frombuffer(data, dtype=np.uint8)
    sections: list[Section] = []
    layouts: list[Layout] = []
    known: dict[bytes, int] = {}
    # each entry a tuple, or an array of such rows for a chain of pairs (``_take_pairs``)
    defs: list = []  # (offset, end, layout, section, data before)
    runs: list = []  # (payload, step, count, definition, time offset)
    n_msgs = n_defs = 0
    pos = 0
    damage: tuple[str, str] | None = None
    while pos < len(data) and damage is None:
        if lenient and sections:
            damage = _chained_header_damage(data, pos)
            if damage is not None:
                break
        section = _header(data, buf, pos, lenient)
        # per local type: (definition id, message size, layout); fitparse forgets them per section
        local: list[tuple[int, int, int] | None] = [None] * 16
        p, end = section.start + section.header_size, section.data_end
        stop = min(end, len(data))  # below ``end`` only when lenient
        pairs: _Pairs | None = None
        paired = 0  # definitions followed by exactly one data message and another definition
        last_end = -1  # where the last definition ended
        singles = 0  # data messages in a row, each with another header byte than the next
        while p < stop:
            h = data[p]
            if (h & 0xC0) == 0x40:
                if paired >= PAIRS_AFTER:
                    if pairs is None:
                        pairs = _Pairs(buf, p, stop)
                    chain = pairs.chain(p, stop)
                    if len(chain) >= 4:
                        p, n_msgs, n_defs = _take_pairs(
                            data,
                            buf,
                            chain,
                            pairs,
                            layouts,
                            known,
                            defs,
                            runs,
                            local,
                            len(sections),
                            n_msgs,
                            n_defs,
                        )
                        continue
                q = _definition_end(data, p, h, stop)
                if q > stop:
                    if lenient:
                        damage = _cut_definition(data, p, h)
                        break
                    raise Declined(f"definition message at byte {p} overruns its section")
                key = data[p + 1 : q]  # with developer fields its length is 0 mod 3, else 2
                lid = known.get(key)
                if lid is None:
                    if len(layouts) >= MAX_LAYOUTS:
                        raise Declined(f"more than {MAX_LAYOUTS} different definitions")
                    lid = known[key] = len(layouts)
                    bad = _misaligned(key) if lenient else None
                    if bad is not None:  # fitparse refuses this definition
                        damage = ("parse", bad)
                        break
                    layouts.append(_layout_of(key, h & 0x20))
                defs.append((p, q, lid, len(sections), n_msgs))
                local[h & 0xF] = (n_defs, layouts[lid].size + 1, lid)
                n_defs += 1
                p = last_end = q
                singles = 0
                continue
            if h & 0x80:
                entry, toff = local[(h >> 5) & 0x3], h & 0x1F
            else:
                entry, toff = local[h & 0xF], -1
            if entry is None:
                if lenient:
                    number = (h >> 5) & 0x3 if h & 0x80 else h & 0xF
                    damage = ("parse", f"Got data message with invalid local message type {number}")
                    break
                raise Declined(f"data message at byte {p} uses a local type without a definition")
            did, step, lid = entry
            if singles >= SINGLES_AFTER:  # data messages of several local types in turn
                block, p = _chase(buf, p, stop, local)
                if len(block):
                    runs.append(block)
                    n_msgs += len(block)
                    singles = 0
                    continue
            count = 1
            q = p + step
            if q < stop and data[q] == h:  # a run of messages with this same header byte
                run = data[q:stop:step]
                count += len(run) - len(run.lstrip(_ONE_BYTE[h]))
            elif q < stop and (data[q] & 0xC0) == 0x40 and did == n_defs - 1 and last_end == p:
                paired += 1  # definition, one data message, definition: the Suunto layout
            singles = singles + 1 if count == 1 else 0
            n_msgs += count
            p += step * count
            if p > stop and lenient:  # the run's last message is cut: leave it out
                count, n_msgs, p = count - 1, n_msgs - 1, p - step
                if count:
                    runs.append((p + 1 - step * count, step, count, did, toff))
                damage = _cut_data(data, p, layouts[lid])
                break
            runs.append((p + 1 - step * count, step, count, did, toff))
        sections.append(section)
        if damage is not None:
            break
        if p != end:
            if lenient and p == stop == len(data):  # the file ends before the data size says
                damage = ("eof", _eof(1, 0))
                break
            raise Declined(
                f"the last message of the section at byte {section.start} overruns its data size"
            )
        if lenient:
            damage = _crc_damage(data, buf, section)
        pos = end + 2
    w = _assemble(sections, layouts, defs, runs, n_msgs)
    if lenient:
        w.damage = damage
    return w


def _eof(size: int, got: int) -> str:
    """fitparse's ``FitEOFError`` message."""
    return f"Tried to read {size} bytes from .FIT file but got {got}"


def _cut_reads(reads: list[int], at: int, size: int) -> str:
    """The EOF message of fitparse reading ``reads`` (byte counts) from ``at`` in a file of
    ``size`` bytes: the first read that does not fit."""
    for n in reads:
        if at + n > size:
            return _eof(n, size - at)
        at += n
    raise Declined("a cut message that fits")  # not reached: the caller knows it is cut


def _cut_data(data: bytes, p: int, layout: Layout) -> tuple[str, str]:
    """What fitparse raises reading the data message at ``p``, which does not fit (it reads
    the header byte and then field by field); a message that only runs past its section's
    data size but fits in the file is not modelled."""
    if p + 1 + layout.size <= len(data):
        raise Declined(f"the message at byte {p} overruns its data size")
    sizes = [f[1] for f in layout.fields] + [f[1] for f in layout.dev_fields]
    return "eof", _cut_reads([1, *sizes], p, len(data))


def _cut_definition(data: bytes, p: int, h: int) -> tuple[str, str]:
    """What fitparse raises reading the definition at ``p``, which the file's end cuts: a
    field read before the cut that fitparse would refuse, developer fields, or a definition
    that fits in the file but not in its section are not modelled."""
    reads, at, n = [1, 2, 3], p + 6, len(data)
    if at <= n:
        for _ in range(data[p + 5]):
            if at + 3 > n:
                break
            base, size = data[at + 2], data[at + 1]
            if size % BASE_SIZE.get(base, 1):
                raise Declined(f"a cut definition at byte {p} with a field fitparse refuses")
            reads.append(3)
            at += 3
        else:
            if h & 0x20:
                raise Declined(f"a cut definition at byte {p} with developer fields")
            raise Declined(f"the definition at byte {p} overruns its data size")
        reads.append(3)
    return "eof", _cut_reads(reads, p, n)


def _misaligned(key: bytes) -> str | None:
    """fitparse's error for the first field of a definition (its bytes after the header)
    whose size is not a multiple of its base type's, if there is one."""
    from fitparse.records import BASE_TYPE_BYTE, BASE_TYPES

    for at in range(5, 5 + 3 * key[4], 3):
        size, base = key[at + 1], BASE_TYPES.get(key[at + 2], BASE_TYPE_BYTE)
        if size % base.size:
            return (
                f"Invalid field size {size} for type '{base.name}' "
                f"(expected a multiple of {base.size})"
            )
    return None


def _crc_damage(data: bytes, buf: np.ndarray, section: Section) -> tuple[str, str] | None:
    """What fitparse raises reading the CRC after a section's data, if anything."""
    end = section.data_end
    have = len(data) - end
    if have < 2:
        return "eof", _eof(2, have)
    if crc16(buf[section.start : end + 2]) == 0:
        return None
    (read,) = struct.unpack_from("<H", data, end)
    return "crc", _mismatch(crc16(buf[section.start : end]), read)


def _mismatch(computed: int, read: int) -> str:
    """fitparse's ``FitCRCError`` message."""
    return f"CRC Mismatch [computed: 0x{computed:04X}, read: 0x{read:04X}]"


def _chained_header_damage(data: bytes, pos: int) -> tuple[str, str] | None:
    """What fitparse raises reading a chained section's header at ``pos``, if anything it
    models: a header cut by the file's end, or one without the ".FIT" signature."""
    if len(data) - pos < 12:
        return "eof", _eof(12, len(data) - pos)
    if data[pos + 8 : pos + 12] != b".FIT":
        return "header", "Invalid .FIT File Header"
    if data[pos] == 14 and len(data) - pos >= 14:
        (header_crc,) = struct.unpack_from("<H", data, pos + 12)
        computed = crc_bytes(data[pos : pos + 12])
        if header_crc and header_crc != computed:
            return "crc", _mismatch(computed, header_crc)
    return None


SINGLES_AFTER = 16  # single data messages in a row before the walk chases them (``_chase``)
CHASE_WINDOW = 1 << 16  # bytes whose hops are tabulated at a time


def _chase(buf: np.ndarray, p: int, stop: int, local: list):
    """The data messages from ``p`` on up to the next definition (or a message that would
    run past ``stop``): a block of run rows (one message each, in file order) and where the
    walk goes on.

    Between definitions a message's size depends only on its header byte (its local type's
    definition), so every byte's "next message if one starts here" is tabulated at once, a
    window at a time, and the walk hops along it: one lookup per message instead of the
    message-by-message walk's few dozen operations, for files that interleave records with
    other messages (HRV, GPS metadata) so that no two neighbours share a header."""
    step_of = np.zeros(256, dtype=np.int64)  # 0: a definition, or a local type not defined
    did_of = np.zeros(256, dtype=np.int64)
    for h in range(256):
        if (h & 0xC0) == 0x40:
            continue
        entry = local[(h >> 5) & 0x3] if h & 0x80 else local[h & 0xF]
        if entry is not None:
            did_of[h], step_of[h] = entry[0], entry[1]
    found: list[int] = []
    start = p
    while p < stop:
        end = min(stop, p + CHASE_WINDOW)
        steps = step_of[buf[p:end]].data  # memoryview: ints on indexing
        base = p
        while p < end:
            step = steps[p - base]
            if not step or p + step > stop:
                break
            found.append(p)
            p += step
        else:
            continue
        break
    at = np.array(found, dtype=np.int64)
    if not len(at):
        return np.zeros((0, 5), dtype=np.int64), start
    heads = buf[at].astype(np.int64)
    rows = np.empty((len(at), 5), dtype=np.int64)
    rows[:, 0] = at + 1
    rows[:, 1] = step_of[heads]
    rows[:, 2] = 1
    rows[:, 3] = did_of[heads]
    rows[:, 4] = np.where(heads & 0x80, heads & 0x1F, -1)
    return rows, p


PAIRS_AFTER = 16  # (definition, one data message) pairs seen before the walk hops pair by pair
MAX_REPEAT = 8  # data messages after one definition that a pair may hold
VECTOR_FIELDS = 24  # field sizes added up at once; those of longer definitions one by one


class _Pairs:
    """For every byte of a section where a definition without developer fields could start:
    where the next message would start if that definition were followed by data messages of
    its own local type only (one, or up to ``MAX_REPEAT`` with the same header byte), and
    how many. Built once, in numpy, for a file that writes a definition before (nearly) every
    message (Suunto), so that the walk hops from pair to pair with one lookup each."""

    def __init__(self, buf: np.ndarray, start: int, end: int) -> None:
        span = end - start  # positions relative to ``start``; ``span`` is the section's end
        b = buf[start:end]  # every index used below is under ``span``
        c = np.flatnonzero((b[: max(span - 5, 0)] & 0xE0) == 0x40)  # no developer fields
        # fitparse ignores the reserved byte and reads any non-zero architecture as big
        # endian; a definition with odd ones is left to the message-by-message walk
        c = c[(b[c + 1] == 0) & (b[c + 2] <= 1)]
        n_fields = b[c + 5].astype(np.int64)
        q = c + 6 + 3 * n_fields  # the data message's header byte
        keep = (q < span) & (n_fields > 0)
        c, n_fields, q = c[keep], n_fields[keep], q[keep]
        hd = b[q].astype(np.int64)
        data_local = np.where(hd & 0x80, (hd >> 5) & 0x3, hd & 0xF)
        keep = ((hd & 0xC0) != 0x40) & (data_local == (b[c] & 0xF))
        c, n_fields, q, hd = c[keep], n_fields[keep], q[keep], hd[keep]
        # field sizes are every third byte from c + 7: added up field by field, each step over
        # the definitions with more fields than that (most have a handful; a false candidate
        # may claim 255)
        order = np.argsort(-n_fields, kind="stable")
        most = int(n_fields.max(initial=0))
        more = len(c) - np.cumsum(np.bincount(n_fields, minlength=most + 1))  # n_fields > j
        first = (c + 7)[order]
        total = np.zeros(len(c), dtype=np.int64)
        for j in range(min(most, VECTOR_FIELDS)):
            m = int(more[j])
            total[:m] += b[first[:m] + 3 * j]
        for i in range(int(more[VECTOR_FIELDS]) if most > VECTOR_FIELDS else 0):
            at = int(first[i]) + 3 * VECTOR_FIELDS  # the rest of a long one, one by one
            total[i] += int(b[at : int(first[i]) + 3 * int(n_fields[order[i]]) : 3].sum())
        size = np.empty_like(total)
        size[order] = total
        ok = np.ones(len(c), dtype=bool)
        step = size + 1
        after = q + step  # the message after the first data message
        count = np.ones(len(c), dtype=np.int32)
        for _ in range(MAX_REPEAT - 1):  # the same data header again: one run
            more = ok & (after < span)
            more[more] = b[after[more]] == hd[more]
            if not more.any():
                break
            after = np.where(more, after + step, after)
            count += more
        again = ok & (after < span)
        again[again] = b[after[again]] == hd[again]
        ok &= ~again & (after <= span)
        self.start, self.c = start, c[ok]
        self.q, self.size, self.count = q[ok], size[ok], count[ok]
        # the pairs as a linked list over their indices: ``nxt`` the pair that starts where
        # this one ends (-1: none), ``next_bad`` the first pair from here on whose successor
        # is not simply the next index (a false candidate in between, or the chain's end)
        after = after[ok]
        n = len(self.c)
        nxt = np.searchsorted(self.c, after)
        found = nxt < n
        found[found] = self.c[nxt[found]] == after[found]
        nxt = np.where(found, nxt, -1)
        bad = np.flatnonzero(nxt != np.arange(1, n + 1))
        # memoryviews: ints on indexing, without converting the whole arrays to lists
        self.nxt = np.ascontiguousarray(nxt, dtype=np.int64).data
        self.next_bad = bad[np.searchsorted(bad, np.arange(n))].astype(np.int64).data

    def chain(self, p: int, end: int) -> np.ndarray:
        """The indices of consecutive pairs from the definition at ``p`` (all before ``end``,
        where the pairs were found to end)."""
        rel = p - self.start
        i = int(np.searchsorted(self.c, rel))
        if i >= len(self.c) or self.c[i] != rel:
            return _NO_PAIRS
        nxt, next_bad = self.nxt, self.next_bad
        pieces = []
        while i >= 0:
            j = next_bad[i]
            pieces.append(np.arange(i, j + 1))
            i = nxt[j]
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)


_NO_PAIRS = np.zeros(0, dtype=np.int64)


def _take_pairs(
    data, buf, chain, pairs: _Pairs, layouts, known, defs, runs, local, section, n_msgs, n_defs
):
    """Add a chain of pairs as the message-by-message walk would; return where the walk goes
    on, and the data message and definition counts."""
    i = chain
    at = pairs.c[i] + pairs.start
    k = len(at)
    q = pairs.q[i].astype(np.int64) + pairs.start
    size, count = pairs.size[i].astype(np.int64), pairs.count[i].astype(np.int64)
    length = q - at  # the definition's bytes: its header and ``length - 1`` after it
    first, inverse = _same_bytes(buf, at + 1, length - 1)
    lid_of = np.empty(len(first), dtype=np.int64)
    for u in np.argsort(first, kind="stable"):  # new layouts numbered in file order
        p = int(at[first[u]])
        key = data[p + 1 : int(q[first[u]])]
        lid = known.get(key)
        if lid is None:
            if len(layouts) >= MAX_LAYOUTS:
                raise Declined(f"more than {MAX_LAYOUTS} different definitions")
            lid = known[key] = len(layouts)
            layouts.append(_layout_of(key, data[p] & 0x20))
        lid_of[u] = lid
    lids = lid_of[inverse]
    before = n_msgs + np.cumsum(count) - count
    defs.append(np.column_stack([at, q, lids, np.full(k, section), before]))
    hd = buf[q].astype(np.int64)
    toff = np.where(hd & 0x80, hd & 0x1F, -1)
    did = n_defs + np.arange(k, dtype=np.int64)
    runs.append(np.column_stack([q + 1, size + 1, count, did, toff]))
    own = buf[at] & 0xF
    kinds, last = np.unique(own[::-1], return_index=True)
    for kind, j in zip(kinds.tolist(), (k - 1 - last).tolist(), strict=True):
        local[kind] = (n_defs + j, int(size[j]) + 1, int(lids[j]))
    return int(q[-1] + (size[-1] + 1) * count[-1]), n_msgs + int(count.sum()), n_defs + k


_PRIME = np.uint64(0x100000001B3)


def _same_bytes(buf: np.ndarray, at: np.ndarray, length: np.ndarray):
    """Group the byte strings ``buf[at:at + length]``: (index of each group's first string,
    each string's group), as ``np.unique`` with ``return_index`` and ``return_inverse``.

    The strings are read as 8-byte words (unaligned, masked to the length) and hashed; the
    grouping is then checked word by word, and done exactly if two strings share a hash."""
    n_words = -(-int(length.max(initial=0)) // 8)
    if len(at) and int((at + 8 * n_words).max()) <= len(buf):
        padded = buf  # every word read lies in the file
    else:
        padded = np.zeros(len(buf) + 8 * (n_words + 1), dtype=np.uint8)
        padded[: len(buf)] = buf
    words = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    cols = []
    h = length.astype(np.uint64)
    for j in range(n_words):
        rest = np.clip(length - 8 * j, 0, 8).astype(np.uint64)
        mask = np.where(rest >= 8, np.uint64(0xFFFFFFFFFFFFFFFF), (np.uint64(1) << (rest * 8)) - 1)
        w = words[at + 8 * j] & mask
        cols.append(w)
        h = h * _PRIME + w
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    rep = first[inverse]
    if (length[rep] == length).all() and all((w[rep] == w).all() for w in cols):
        return first, inverse
    rows = np.column_stack([length.astype(np.uint64), *cols]) if cols else length[:, None]
    rows = np.ascontiguousarray(rows.astype(np.uint64))
    _, first, inverse = np.unique(
        rows.view(np.dtype((np.void, rows.shape[1] * 8))).ravel(),
        return_index=True,
        return_inverse=True,
    )
    return first, inverse.ravel()


def _header(data: bytes, buf: np.ndarray, pos: int, lenient: bool = False) -> Section:
    if len(data) - pos < 12 or data[pos + 8 : pos + 12] != b".FIT":
        raise Declined(f"no FIT file header at byte {pos}")
    size = data[pos]
    if size not in (12, 14):
        raise Declined(f"FIT header size {size} at byte {pos}")
    (data_size,) = struct.unpack_from("<I", data, pos + 4)
    end = pos + size + data_size
    if size == 14 and len(data) - pos < 14:
        raise Declined(f"FIT header at byte {pos} is cut")
    if size == 14:
        (header_crc,) = struct.unpack_from("<H", data, pos + 12)
        if header_crc and header_crc != crc_bytes(data[pos : pos + 12]):
            raise Declined(f"header CRC of the section at byte {pos} is wrong")
    if lenient:  # the walk finds what fitparse makes of a cut or a wrong CRC
        return Section(pos, size, end)
    if end + 2 > len(data):
        raise Declined(f"section at byte {pos} is truncated")
    if crc16(buf[pos : end + 2]) != 0:
        raise Declined(f"CRC of the section at byte {pos} is wrong")
    return Section(pos, size, end)


def _definition_end(data: bytes, p: int, h: int, end: int) -> int:
    """Where the definition at ``p`` ends; past ``end`` (not always exactly) if it overruns."""
    q = p + 6 + 3 * data[p + 5] if p + 6 <= end else end + 1
    if h & 0x20:
        q = q + 1 + 3 * data[q] if q < end else end + 1
    return q


@lru_cache(maxsize=4096)
def _layout_of(key: bytes, dev: int) -> Layout:
    """The layout of a definition from its bytes after the header byte (``dev``: the header's
    developer-data bit), parsed once per distinct definition across files."""
    return _layout(b"\0" + key, 0, dev)


def _layout(data: bytes, p: int, h: int) -> Layout:
    big = data[p + 2] != 0  # fitparse: any non-zero architecture byte means big endian
    mesg_num, n_fields = struct.unpack_from(">HB" if big else "<HB", data, p + 3)
    q = p + 6
    fields = []
    for _ in range(n_fields):
        num, size, base = data[q], data[q + 1], data[q + 2]
        if size == 0 or size % BASE_SIZE.get(base, 1):
            raise Declined(
                f"field {num} of message {mesg_num} has size {size} for base type {base:#x}"
            )
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
    def_offset, def_end, def_layout, def_section, def_at = _columns(defs, 5)
    start, step, count, did, toff = _columns(runs, 5)
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


def _columns(entries: list, width: int) -> list[np.ndarray]:
    """The columns of a list of tuples and row blocks (arrays), in order, as int64."""
    blocks, tuples = [], []
    for e in entries:
        if isinstance(e, tuple):
            tuples.append(e)
            continue
        if tuples:
            blocks.append(np.array(tuples, dtype=np.int64))
            tuples = []
        blocks.append(e.astype(np.int64))
    if tuples:
        blocks.append(np.array(tuples, dtype=np.int64))
    table = np.vstack(blocks) if blocks else np.zeros((0, width), dtype=np.int64)
    return [np.ascontiguousarray(table[:, i]) for i in range(width)]
