"""A tiny FIT writer for tests: exact control over headers, endianness and compressed times.

Garmin's encoder (used by samplegen) always writes little-endian, normal headers and full
timestamps; the fast FIT path must also be right for what it never writes: compressed-timestamp
headers on records and on laps/events, big-endian definitions, developer fields, redefinitions
of a local type, chained sections.
"""

from __future__ import annotations

import struct

from workoutcheck.ingest.fit.crc import crc_bytes

FMT = {
    0x00: "B",
    0x01: "b",
    0x02: "B",
    0x83: "h",
    0x84: "H",
    0x85: "i",
    0x86: "I",
    0x0A: "B",
    0x8B: "H",
    0x8C: "I",
    0x07: "s",
    0x0D: "B",
}


class FitWriter:
    def __init__(self) -> None:
        self.body = bytearray()
        self.defs: dict[
            int, tuple[bool, list[tuple[int, int, int]], list[tuple[int, int, int]]]
        ] = {}

    def define(
        self, local: int, mesg_num: int, fields, *, big: bool = False, dev_fields=()
    ) -> None:
        """fields: (number, size, base type); dev_fields: (number, size, developer data index)."""
        header = 0x40 | (0x20 if dev_fields else 0) | local
        e = ">" if big else "<"
        self.body += bytes([header, 0, 1 if big else 0]) + struct.pack(
            e + "HB", mesg_num, len(fields)
        )
        for f in fields:
            self.body += bytes(f)
        if dev_fields:
            self.body += bytes([len(dev_fields)])
            for f in dev_fields:
                self.body += bytes(f)
        self.defs[local] = (big, list(fields), list(dev_fields))

    def data(self, local: int, values, *, time_offset: int | None = None, dev=b"") -> None:
        """values: one per field (an int, or bytes for byte/string fields); dev: raw dev bytes."""
        big, fields, _ = self.defs[local]
        if time_offset is None:
            self.body.append(local)
        else:
            self.body.append(0x80 | (local << 5) | (time_offset & 0x1F))
        for (_, size, base), v in zip(fields, values, strict=True):
            if isinstance(v, bytes | bytearray):
                assert len(v) == size
                self.body += v
            else:
                self.body += struct.pack((">" if big else "<") + FMT[base], v)
        self.body += dev

    def section(self, *, header_size: int = 14) -> bytes:
        header = bytearray([header_size, 0x20]) + struct.pack("<HI", 2132, len(self.body)) + b".FIT"
        if header_size == 14:
            header += struct.pack("<H", crc_bytes(header))
        out = bytes(header) + bytes(self.body)
        return out + struct.pack("<H", crc_bytes(out))
