"""What the watcher writes and says about one checked file.

Report names come only from the input file's name (``run.fit`` -> ``run.fit.report.json`` and
``run.fit.report.html``), never from anything inside the file such as an activity name, so a
crafted file cannot steer a report elsewhere; the full input name is kept so ``run.fit`` and
``run.gpx`` of the same run do not overwrite each other's reports. Where that name cannot be
used (too long for the file system once the suffix is added, or taken by a folder or anything
but a regular file), the report gets a safe name instead: the name's letters, digits and
``._-``, shortened, and a hash of the full name (``safe_name``); the line for the file says
so. A name that is not UTF-8 keeps its bytes. Reports are staged complete and then moved into
place (``atomic``), so whatever picks them up never reads half a report.

Every line is printable (``errors.printable``): a newline in a file name cannot forge a
``forged.fit: PASS`` line, nor an escape sequence reach the terminal.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from workoutcheck.errors import UsageError, printable
from workoutcheck.run.atomic import Staged, stage
from workoutcheck.score.result import FileResult, Verdict

REPORT_SUFFIXES = (".report.json", ".report.html")
NAME_MAX = 255  # bytes in one name on every common file system
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def stage_reports(out_dir: Path, name: str, result: FileResult, *, html: bool) -> list[Staged]:
    """The JSON report (and the HTML one when ``html``) for input file ``name``, written in
    full under hidden names in ``out_dir``; ``Staged.install`` moves each into place. A
    folder that cannot be written (read-only, full) raises ``UsageError``: every later file
    would fail the same way."""
    from workoutcheck.report.formats import render

    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")
    texts = {".report.json": render([result], "json", color=False)}
    if html:
        texts[".report.html"] = render([result], "html", color=False)
    staged: list[Staged] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for suffix, text in texts.items():
            staged.append(stage(report_path(out_dir, name, suffix), text))
    except OSError as exc:
        for s in staged:
            s.discard()
        raise UsageError(
            f"{out_dir}: cannot write the reports ({exc.strerror or exc}); "
            "the watcher stops, as every later file would fail the same way"
        ) from None
    return staged


def report_path(out_dir: Path, name: str, suffix: str) -> Path:
    """Where the report of ``name`` goes: beside it under its own name plus ``suffix``,
    unless that name is too long or taken by something that is not a regular file."""
    target = out_dir / f"{name}{suffix}"
    if len(os.fsencode(target.name)) > NAME_MAX or _taken(target):
        return out_dir / safe_name(name, suffix)
    return target


def safe_name(name: str, suffix: str) -> str:
    """``name`` reduced to letters, digits and ``._-`` (at most 100 of them, never hidden),
    a ``~`` and 10 hex digits of the SHA-256 of its bytes, then ``suffix``: short, printable,
    the same every time for the same name, and different for different names."""
    tag = hashlib.sha256(os.fsencode(name)).hexdigest()[:10]
    stem = _UNSAFE.sub("_", printable(name)).lstrip(".")[:100]
    return f"{stem}~{tag}{suffix}"


def _taken(target: Path) -> bool:
    try:
        mode = os.stat(target, follow_symlinks=False).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def summary_line(name: str, result: FileResult) -> str:
    """``run.fit: PASS 96/100, 5/5 reps on target``, ``run.fit: error: ...`` or, without a
    plan, the session found; printable whatever the name."""
    if result.error is not None:
        message = result.error.removeprefix(f"{result.file}: ")
        return printable(f"{name}: error: {message}")
    if result.plan is None:
        return printable(f"{name}: no plan: {result.description or 'session described'}")
    parts = [result.status.value.upper()]
    if result.score is not None:
        parts.append(f"{result.score:.0f}/100")
    on_target = sum(1 for s in result.reps if s.verdict is Verdict.ON_TARGET)
    return printable(f"{name}: {' '.join(parts)}, {on_target}/{len(result.reps)} reps on target")


def html_available() -> bool:
    """Whether this build can render HTML reports (otherwise only JSON reports are written)."""
    from workoutcheck.report.formats import FORMATS

    return "html" in FORMATS
