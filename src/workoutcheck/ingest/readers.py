"""Every watch-file format in one registry: how it is told from its content, what reads it.

A reader is a module with ``read(data: bytes, path: str) -> RawRecording`` (decoding only:
``timeline.build_activity`` does every repair). Adding a format is an entry here and that
module: ``ingest.detect`` and ``ingest.load`` dispatch on this list, folders are searched for
its suffix (``run.files``) and a batch preloads its modules (``run.batch``). Nothing heavy is
imported here; a reader module is imported when a file of its kind is read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workoutcheck.model import Source

if TYPE_CHECKING:
    from workoutcheck.ingest.raw import RawRecording


@dataclass(frozen=True)
class Reader:
    source: Source
    suffix: str  # the file name's (".fit"); folders are searched for it, gzipped too
    reader: str  # "module:function" reading the bytes into a RawRecording
    preload: tuple[str, ...]  # what a batch worker imports before checking files of this kind
    # (the first bytes, the first 4 KB as text in the XML reader's encoding) -> is it this format;
    # the text is computed on demand, so a FIT file never loads the XML helpers
    sniff: Callable[[bytes, Callable[[], str]], bool]
    # an XML format's root element, named when a file is XML of no registered format
    xml_root: str | None = None

    @property
    def name(self) -> str:
        """The format as messages name it ("TCX")."""
        return self.source.value.upper()

    def read(self, data: bytes, path: str) -> RawRecording:
        module, _, name = self.reader.partition(":")
        return getattr(importlib.import_module(module), name)(data, path)


def _fit(data: bytes, head: Callable[[], str]) -> bool:
    return len(data) >= 12 and data[8:12] == b".FIT" and data[0] in (12, 14)


READERS = (
    Reader(
        Source.FIT,
        ".fit",
        "workoutcheck.ingest.fit.read:read_fit",
        ("workoutcheck.ingest.fit.read", "workoutcheck.ingest.fit.combined"),
        _fit,
    ),
    Reader(
        Source.GPX,
        ".gpx",
        "workoutcheck.ingest.xml.gpx:read_gpx",
        ("workoutcheck.ingest.xml.gpx",),
        lambda data, head: "<gpx" in head(),
        "gpx",
    ),
    Reader(
        Source.TCX,
        ".tcx",
        "workoutcheck.ingest.xml.tcx:read_tcx",
        ("workoutcheck.ingest.xml.tcx",),
        lambda data, head: "<TrainingCenterDatabase" in head(),
        "TrainingCenterDatabase",
    ),
    Reader(
        Source.PWX,
        ".pwx",
        "workoutcheck.ingest.xml.pwx:read_pwx",
        ("workoutcheck.ingest.xml.pwx",),
        lambda data, head: "<pwx" in head(),
        "pwx",
    ),
)
BY_SOURCE = {r.source: r for r in READERS}


def detect_reader(data: bytes, head: Callable[[], str]) -> Reader | None:
    """The reader of ``data``, the first whose test it passes, or None."""
    return next((r for r in READERS if r.sniff(data, head)), None)


def _listed(names: list[str], last: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"


def unknown_xml() -> str:
    """What to say about XML that no reader takes ("neither GPX (<gpx>) nor TCX (...)")."""
    roots = [f"{r.name} (<{r.xml_root}>)" for r in READERS if r.xml_root]
    return f"XML, but neither {_listed(roots, 'nor')}: not a watch file"


def unknown_content() -> str:
    """What to say about content that no reader takes."""
    formats = _listed([r.name for r in READERS], "or")
    return f"not a {formats} file (checked the content, not the name)"
