"""What the watcher writes and says about one checked file.

Report names come only from the input file's name (``run.fit`` -> ``run.fit.report.json`` and
``run.fit.report.html``), never from anything inside the file such as an activity name, so a
crafted file cannot steer a report elsewhere; the full input name is kept so ``run.fit`` and
``run.gpx`` of the same run do not overwrite each other's reports. Reports are written
atomically, so whatever picks them up never reads half a report.
"""

from __future__ import annotations

from pathlib import Path

from workoutcheck.errors import UsageError
from workoutcheck.score.result import FileResult, Verdict
from workoutcheck.watch_state import write_atomically

REPORT_SUFFIXES = (".report.json", ".report.html")


def write_reports(out_dir: Path, name: str, result: FileResult, *, html: bool) -> tuple[Path, ...]:
    """Write the JSON report (and the HTML one when ``html``) for input file ``name``."""
    from workoutcheck.report.formats import render

    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")
    texts = {".report.json": render([result], "json", color=False)}
    if html:
        texts[".report.html"] = render([result], "html", color=False)
    written = []
    for suffix, text in texts.items():
        target = out_dir / f"{name}{suffix}"
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            write_atomically(target, text)
        except OSError as exc:  # every later file would fail the same way: stop
            raise UsageError(f"{target}: cannot write the report ({exc.strerror or exc})") from None
        written.append(target)
    return tuple(written)


def summary_line(name: str, result: FileResult) -> str:
    """``run.fit: PASS 96/100, 5/5 reps on target``, ``run.fit: error: ...`` or, without a
    plan, the session found."""
    if result.error is not None:
        message = result.error.removeprefix(f"{result.file}: ")
        return f"{name}: error: {message}"
    if result.plan is None:
        return f"{name}: no plan: {result.description or 'session described'}"
    parts = [result.status.value.upper()]
    if result.score is not None:
        parts.append(f"{result.score:.0f}/100")
    on_target = sum(1 for s in result.reps if s.verdict is Verdict.ON_TARGET)
    return f"{name}: {' '.join(parts)}, {on_target}/{len(result.reps)} reps on target"


def html_available() -> bool:
    """Whether this build can render HTML reports (otherwise only JSON reports are written)."""
    from workoutcheck.report.formats import FORMATS

    return "html" in FORMATS
