"""Decode XML bytes to text safely, and refuse documents that declare a DTD or entities.

The XML readers (GPX, TCX, PWX) go through ``decode_xml`` first, then ``parse_tree``:

* The bytes are decoded here, not by the parser: a byte-order mark (UTF-8, UTF-16 LE/BE,
  UTF-32 LE/BE) wins; otherwise UTF-16/32 without a BOM is recognised from the zero bytes
  around the first ``<`` (XML 1.0 appendix F); otherwise the encoding named in the XML
  declaration is used, and UTF-8 when there is none. Bytes that are not valid in that
  encoding are decoded as Latin-1 with a note, rather than refusing a whole run over one
  mangled track name.
* The XML declaration (``<?xml ...?>``) is blanked out with spaces, so the parser, which is
  fed a ``str``, never sees a (now wrong) ``encoding=`` and line/column numbers in parser
  errors stay those of the file. Whitespace before the declaration is tolerated with a
  note: real exports have it (sports-lib 6281425038.tcx has 10 spaces before ``<?xml``), a
  strict parser refuses such a file ("XML or text declaration not at start of entity"), but
  nothing is ambiguous about it.
* Any ``<!DOCTYPE`` or ``<!ENTITY`` in the DECODED text (case-insensitive, anywhere in the
  document) is refused with ``UnsafeXmlError``. Scanning the decoded text means a UTF-16
  file cannot hide its DTD from a byte scan. Watch files never need a DTD; with no DTD no
  entity can be defined, which is what makes handing the text to ElementTree (which
  expands internal entities: billion laughs, quadratic blow-up) safe. The scan may refuse
  a file that merely mentions ``<!DOCTYPE`` inside a comment or CDATA section; that false
  positive is accepted.

``parse_error`` turns an ElementTree/expat ``ParseError`` into ``CorruptFileError`` with the
line, column and expat's reason.
"""

from __future__ import annotations

import codecs
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar
from xml.etree.ElementTree import XML, Element, ParseError
from xml.parsers import expat

import numpy as np

from workoutcheck.errors import CorruptFileError, UnsafeXmlError
from workoutcheck.model.stats import median

DTD_MESSAGE = (
    "XML declares a DTD/entities (<!DOCTYPE ...>), which workoutcheck never expands: "
    "refusing the file for safety"
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_DECL = re.compile(r"<\?xml\s[^>]*?\?>|<\?xml\?>")
_DANGER = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class DecodedXml:
    """Text ready for a parser: no XML declaration, no DTD. ``notes`` are for the user."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def sniff_encoding(data: bytes) -> tuple[str, int, bool]:
    """(codec, bytes to skip, whether the choice is certain) from a BOM or the zero pattern."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom), True
    head = data[:4]
    if len(head) == 4:
        if head == b"\x00\x00\x00<":
            return "utf-32-be", 0, True
        if head == b"<\x00\x00\x00":
            return "utf-32-le", 0, True
    if len(head) >= 2:
        # UTF-16 without BOM: ASCII characters ('<' or whitespace) have a zero high byte.
        if head[0] == 0 and head[1] != 0:
            return "utf-16-be", 0, True
        if head[0] != 0 and head[1] == 0:
            return "utf-16-le", 0, True
    return "utf-8", 0, False


def decode_xml(data: bytes, path: str) -> DecodedXml:
    """Decode ``data`` and check it is safe to parse; raise ``UnsafeXmlError`` if it is not."""
    notes: list[str] = []
    encoding, skip, certain = sniff_encoding(data)
    if not certain:
        m = _DECL_ENCODING.match(data[:1024])
        if m:
            declared = m.group(1).decode("ascii").lower()
            try:
                info = codecs.lookup(declared)
            except LookupError:
                notes.append(f"unknown XML encoding {declared!r}; read as UTF-8")
            else:
                if info.name.startswith(("utf-16", "utf-32")):
                    # The bytes are ASCII-compatible, so the declaration is wrong.
                    notes.append(f"XML declares {declared} but the bytes are not; read as UTF-8")
                else:
                    encoding = info.name
    body = data[skip:]
    codes = _code_units(body, encoding)
    _check_token_sizes(codes, path)
    _check_depth(codes, path)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as e:
        text = body.decode("latin-1")
        notes.append(
            f"the file is not valid {encoding} (byte {e.start + skip}); decoded as Latin-1, "
            "so some names may be garbled"
        )
        encoding = "latin-1"
    if text.startswith("\ufeff"):  # a BOM that the declared codec did not strip
        text = text[1:]

    if _DANGER.search(text):
        raise UnsafeXmlError(path, DTD_MESSAGE)

    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    decl = _DECL.match(stripped)
    if decl:
        if lead:
            # XML forbids anything before the declaration; a file like this was altered
            # after the watch wrote it, so say so rather than guess what else changed.
            raise CorruptFileError(
                path,
                f"malformed XML: {lead} whitespace character(s) before the <?xml ...?> declaration, "
                "which must come first; remove them to read the file",
            )
        text = " " * decl.end() + text[decl.end() :]
    return DecodedXml(text=text, encoding=encoding, notes=notes)


MAX_TOKEN_CHARS = 1_000_000
_UNITS = {"utf-16-le": "<u2", "utf-16-be": ">u2", "utf-32-le": "<u4", "utf-32-be": ">u4"}


def _code_units(body: bytes, encoding: str) -> np.ndarray:
    """The document as code units (bytes, or UTF-16/32 units), so the scans below see every
    ``<`` and ``>`` whatever the encoding: a UTF-16/32 file cannot hide from them."""
    unit = _UNITS.get(encoding, "u1")
    size = np.dtype(unit).itemsize
    return np.frombuffer(body, dtype=unit, count=len(body) // size)


def _check_token_sizes(codes: np.ndarray, path: str) -> None:
    """Refuse text of over ``MAX_TOKEN_CHARS`` between two angle brackets (an attribute or a
    value). No watch writes one; the parsers would take seconds and ~5x its size in memory
    over it (a 100 MB attribute: 4-11 s, 0.5 GB)."""
    if len(codes) <= MAX_TOKEN_CHARS:
        return
    brackets = np.flatnonzero((codes == 0x3C) | (codes == 0x3E))
    gaps = np.diff(np.r_[-1, brackets, len(codes)])
    longest = int(np.argmax(gaps))
    if gaps[longest] > MAX_TOKEN_CHARS:
        where = (int(brackets[longest - 1]) + 1 if longest else 0) * codes.itemsize
        raise CorruptFileError(
            path,
            f"XML holds over {MAX_TOKEN_CHARS // 1_000_000} million characters without a tag "
            f"(from byte {where}): an attribute or value no watch writes; refusing the file",
        )


MAX_DEPTH = (
    2000  # GPX and TCX nest 7-10 deep; gpxpy overflowed the C stack near 10^5 (fine at 3*10^4)
)


def _check_depth(codes: np.ndarray, path: str) -> None:
    """Refuse elements nested over ``MAX_DEPTH`` deep, before any parser builds a tree: a
    GPX with 200,000 nested elements in ``<extensions>`` crashed the process (SIGSEGV) in
    gpxpy's deep copy. The depth is counted on the raw text, vectorised: ``<x`` opens, ``</``
    closes, ``<x .../>``, ``<?``, ``<!`` neither. Tags inside comments or CDATA are counted
    too; over-counting can only refuse a file that is not a watch's."""
    opens = np.flatnonzero(codes == 0x3C)
    if len(opens) <= MAX_DEPTH:
        return
    after = codes[np.minimum(opens + 1, len(codes) - 1)]
    closes = np.flatnonzero(codes == 0x3E)
    end = np.searchsorted(closes, opens)  # the first ">" after each "<"
    has_end = end < len(closes)
    self_closing = np.zeros(len(opens), dtype=bool)
    tail = closes[end[has_end]] - 1
    self_closing[has_end] = codes[np.maximum(tail, 0)] == 0x2F
    step = np.where(
        after == 0x2F, -1, np.where((after == 0x3F) | (after == 0x21) | self_closing, 0, 1)
    )
    depth = np.cumsum(step)
    deepest = int(np.argmax(depth))
    if depth[deepest] > MAX_DEPTH:
        raise CorruptFileError(
            path,
            f"XML elements nested over {MAX_DEPTH} deep (at byte {int(opens[deepest]) * codes.itemsize}): "
            "no watch writes that; refusing the file",
        )


def parse_tree(text: str, path: str) -> Element:
    """The element tree of text ``decode_xml`` has passed, built by ElementTree's C parser
    (expat): with no DTD it has no entity to expand and nothing external to load, which is
    why no slower, defusing parser is needed after the scan. Call it under ``gc_paused``."""
    try:
        return XML(text)
    except ParseError as e:
        raise parse_error(path, e) from None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a tree is built and read: the tree holds no
    garbage, yet every collection would walk each element built so far, which doubles the
    time to read a large file."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def parse_error(path: str, exc: BaseException) -> CorruptFileError:
    """A ``CorruptFileError`` saying where and why the XML is broken."""
    if isinstance(exc, ParseError):
        line, col = getattr(exc, "position", (None, None))
        code = getattr(exc, "code", None)
        reason = expat.ErrorString(code) if isinstance(code, int) else None
        if not reason:
            reason = re.sub(r":\s*line \d+, column \d+\s*$", "", str(exc)) or "syntax error"
        if line is not None:
            return CorruptFileError(path, f"broken XML at line {line}, column {col}: {reason}")
        return CorruptFileError(path, f"broken XML: {reason}")
    return CorruptFileError(path, f"broken XML: {exc}")


# ---------------------------------------------------------------------------------------------
# Small helpers shared by the XML readers (gpx.py, tcx.py, pwx.py).
# ---------------------------------------------------------------------------------------------


def local_name(tag: str) -> str:
    """``{namespace}Name`` or ``prefix:Name`` -> ``Name``."""
    if tag[:1] == "{":
        return tag[tag.index("}") + 1 :]
    return tag.rpartition(":")[2]


class LocalNames(dict):
    """Tag -> local name, each distinct tag worked out once per file ("" for a comment or
    processing instruction, whose tag is not a string)."""

    def __missing__(self, tag: object) -> str:
        name = self[tag] = local_name(tag) if isinstance(tag, str) else ""
        return name


def to_float(text: str | None) -> float | None:
    """A finite float from element text, or None (empty, garbage, NaN, inf)."""
    if text is None:
        return None
    try:
        v = float(text)  # float() ignores the same surrounding whitespace str.strip() does
    except ValueError:
        return None
    return v if v - v == 0.0 else None  # finite: inf - inf and nan - nan are nan


def parse_time(text: str | None) -> float | None:
    """ISO 8601 text -> POSIX seconds (UTC); a time without zone is UTC; None if unreadable."""
    if not text:
        return None
    s = text.strip()
    if s[-1:] in ("z", "Z"):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


# Sport names as the FIT profile spells them, so all three readers agree.
_SPORTS = {
    "running": "running",
    "run": "running",
    "biking": "cycling",
    "cycling": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "walking": "walking",
    "walk": "walking",
    "hiking": "hiking",
    "other": "generic",
    # Strava writes its numeric activity type into GPX <type>: 1 = ride, 9 = run.
    "1": "cycling",
    "9": "running",
}


def normalise_sport(value: str | None) -> str | None:
    """GPX <type> / TCX Sport -> a FIT-style sport name (unknown values lower-cased)."""
    if value is None or not value.strip():
        return None
    v = value.strip().lower()
    return _SPORTS.get(v, v)


T = TypeVar("T")


def keep_running(
    parts: list[T], sports: list[str | None], noun: str, named: str | None = None
) -> tuple[list[T], str | None, list[str]]:
    """Of a file's activities (TCX) or workouts (PWX), the running ones, the sport, and notes:
    a multisport file keeps its running parts (``named``: the sports as the file wrote them,
    for the note); a file with no running part keeps everything under its one sport, or
    "multisport"."""
    notes = []
    running = [p for p, s in zip(parts, sports, strict=True) if s == "running"]
    sport: str | None
    if running:
        kept, sport = running, "running"
        if len(running) < len(parts):
            what = f"multisport file ({named})" if named else "multisport file"
            notes.append(
                f"{what}: kept the running part(s) only, {len(running)} of {len(parts)} {noun}"
            )
    else:
        kept = parts
        distinct = {s for s in sports if s}
        sport = distinct.pop() if len(distinct) == 1 else ("multisport" if distinct else None)
    if len(kept) > 1 and len(running) == len(parts):
        notes.append(f"{len(kept)} {noun} in one file, read as one recording")
    return kept, sport, notes


PER_LEG_MEDIAN_MAX = 110.0


def cadence_to_steps_per_min(cadence: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Per-leg running cadence (what GPX ``cad`` and TCX ``RunCadence``/``Cadence`` hold:
    strides/min, ~80-95 when running) -> steps/min (both legs), i.e. x2.

    Some writers already store steps/min (runalyze Treadmill-doubled-cadence.tcx: 118-178).
    Per-leg running cadence never has a median above ~105, steps/min running or walking
    rarely has one below ~115: so when the median of the non-zero values exceeds 110 the
    values are kept as they are, with a note.
    """
    moving = cadence[np.isfinite(cadence) & (cadence > 0)]
    if moving.size and float(median(moving)) > PER_LEG_MEDIAN_MAX:
        return cadence.copy(), (
            f"cadence already in steps/min (median {float(median(moving)):.0f}); not doubled"
        )
    with np.errstate(over="ignore"):  # 1e308 doubled: inf, cleaned by the timeline
        return cadence * 2.0, None


def running_cadence(
    cadence: np.ndarray | None, sport: str | None, notes: list[str]
) -> np.ndarray | None:
    """Cadence as the model stores it: steps/min for a run (see ``cadence_to_steps_per_min``),
    as written for other sports; what was done is added to ``notes``."""
    if cadence is None:
        return None
    if sport not in (None, "running"):
        notes.append(f"cadence left as written (sport {sport}, not running)")
        return cadence
    cadence, note = cadence_to_steps_per_min(cadence)
    if note:
        notes.append(note)
    return cadence
