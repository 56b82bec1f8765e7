"""Turn the paths a user gave into the list of watch files to read.

Folders are walked for watch files by name (the suffixes in ``ingest.readers``, gzipped too), sorted so output is
in a stable order; a file named directly is always read, whatever its name, because the
format is told from the content. Symbolic links that lead out of a walked folder are not
followed, so a folder cannot make workoutcheck read files elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from workoutcheck.errors import UsageError
from workoutcheck.ingest.readers import READERS

_SUFFIXES = tuple(r.suffix for r in READERS)
WATCH_SUFFIXES = _SUFFIXES + tuple(s + ".gz" for s in _SUFFIXES)  # from the reader registry


def is_watch_file(path: Path) -> bool:
    return path.name.lower().endswith(WATCH_SUFFIXES)


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files to read, in a stable order. A path that does not exist is kept, so that reading
    it reports it as unreadable alongside the others instead of stopping the batch."""
    files: list[Path] = []
    for path in paths:
        files.extend(_walk(path) if path.is_dir() else [path])
    if not files:
        names = ", ".join(str(p) for p in paths)
        raise UsageError(f"no watch files ({', '.join(_SUFFIXES)}, optionally .gz) in {names}")
    return files


def _walk(folder: Path) -> list[Path]:
    root = folder.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        if not is_watch_file(path) or not path.is_file():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            continue
        found.append(path)
    return found
