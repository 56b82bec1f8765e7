"""Load a watch file into an ``Activity``: read, un-gzip, detect the format, decode, clean.

The format is told from the content, not the name, because bulk exports and phone apps
rename files freely (``activity.gpx`` that is really a FIT, ``.fit.gz`` without the ``.gz``).
"""

from __future__ import annotations

import dataclasses
import io
import zlib
from pathlib import Path

from workoutcheck.errors import (
    CorruptFileError,
    FileTooLargeError,
    InputError,
    NoDataError,
    TruncatedFileError,
    UnknownFormatError,
)
from workoutcheck.ingest.readers import Reader, detect_reader, unknown_content, unknown_xml
from workoutcheck.model import Activity, Source

# A 24-hour run recorded every second is about 3 MB as FIT and 25 MB as GPX; anything
# much larger is not a run, and a damaged FIT that size could keep the fallback reader busy
# for minutes. --max-size raises it.
MAX_FILE_BYTES = 50 * 1024 * 1024
# bound on .gz content (no zip bombs): the readers get no more from a .gz than from a plain file
MAX_UNZIPPED_BYTES = MAX_FILE_BYTES


def load(
    path: str | Path | bytes,
    *,
    allow_partial: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
    name: str | None = None,
) -> Activity:
    """Read one watch file, from its path or from its bytes (``name`` then says what to
    call it in messages; a worker on another machine need not share the caller's disk).
    With ``allow_partial``, a damaged file whose early records could be read gives those
    records (with a note saying so) instead of an error."""
    if isinstance(path, (bytes, bytearray, memoryview)):
        name = name or "<bytes>"
        data = _checked_bytes(bytes(path), name, max_bytes)
    else:
        name = name or str(path)
        data = _read_bytes(Path(path), name, max_bytes)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, name, max_unzipped_bytes)
    try:
        return _decode(data, name)
    except CorruptFileError as exc:
        if allow_partial and exc.partial is not None:
            note = f"partial: {exc.problem}"
            return dataclasses.replace(exc.partial, notes=(*exc.partial.notes, note))
        raise


def detect(data: bytes) -> Source | None:
    """The format of ``data`` from its first bytes, or None if it is none of ours."""
    reader = _reader(data)
    return reader.source if reader is not None else None


def _reader(data: bytes) -> Reader | None:
    """The registered reader (``ingest.readers``) whose test the content passes."""
    head: list[str] = []

    def xml_head() -> str:
        if not head:
            head.append(_xml_head(data))
        return head[0]

    return detect_reader(data, xml_head)


def _decode(data: bytes, name: str) -> Activity:
    from workoutcheck.ingest.timeline import build_activity

    reader = _reader(data)
    if reader is not None:
        raw = reader.read(data, name)
    else:
        if _xml_head(data).lstrip("\ufeff \t\r\n").startswith("<"):
            from workoutcheck.ingest.xml.safety import decode_xml

            decode_xml(data, name)  # a DTD can push the root element past the head: refuse it first
        raise UnknownFormatError(name, _unknown_reason(data))
    if len(raw.time) == 0:
        raise NoDataError(name, "no timed records: the file holds no recorded run")
    return build_activity(raw)


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        if not path.is_file():
            raise InputError(name, "no such file" if not path.exists() else "not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLargeError(
                name,
                f"file is {_mb(size)}, over the {_mb(max_bytes)} limit for a watch file (--max-size raises it)",
            )
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(name, f"cannot read the file: {exc.strerror or exc}") from None
    return _checked_bytes(data, name, max_bytes)


def _checked_bytes(data: bytes, name: str, max_bytes: int) -> bytes:
    if len(data) > max_bytes:  # it grew after the size check, or was given as bytes
        raise FileTooLargeError(
            name, f"file is over the {_mb(max_bytes)} limit for a watch file (--max-size raises it)"
        )
    if not data:
        raise NoDataError(name, "the file is empty (0 bytes)")
    return data


def _gunzip(data: bytes, name: str, limit: int) -> bytes:
    import gzip  # here: only a .gz file needs it

    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            while chunk := gz.read(1 << 20):
                out += chunk
                if len(out) > limit:
                    raise FileTooLargeError(
                        name, f"gzip content expands past the {_mb(limit)} limit: refusing it"
                    )
    except EOFError:
        raise TruncatedFileError(
            name, "the gzip file is truncated: its compressed data ends early"
        ) from None
    except (OSError, zlib.error) as exc:
        if out:
            raise CorruptFileError(
                name, f"gzip data is damaged after {len(out)} bytes ({exc})"
            ) from None
        raise CorruptFileError(name, f"not a valid gzip file ({exc})") from None
    if not out:
        raise NoDataError(name, "the gzip file is empty")
    return bytes(out)


def _xml_head(data: bytes) -> str:
    """The first 4 KB as text, in the encoding the XML reader will use (UTF-8/16/32)."""
    from workoutcheck.ingest.xml.safety import sniff_encoding

    encoding, skip, _ = sniff_encoding(data)
    return data[skip:4096].decode(encoding, errors="ignore")


def _unknown_reason(data: bytes) -> str:
    if len(data) >= 12 and data[8:12] == b".FIT":
        return f"FIT header size byte is {data[0]}, not 12 or 14: not a valid FIT file"
    head = _xml_head(data).lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return unknown_xml()
    return unknown_content()


def _mb(size: int) -> str:
    return f"{size / 1048576:.3g} MB"
