"""Reports written one result at a time, so a batch of any size is written in constant memory.

``--format jsonl`` is one line per file: the object the JSON document holds in ``results``
(schema version 1), compact, in input order. JSON and CSV are streamed too: the text is the
same, byte for byte, as ``formats.render`` gives for the whole list at once.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from workoutcheck.report.check_json import SCHEMA_VERSION, to_dict
from workoutcheck.report.formats import BY_NAME
from workoutcheck.score.result import FileResult


class Stream:
    """``begin``, then ``item`` for each result in order, then ``end``: each returns text."""

    def begin(self) -> str:
        return ""

    def item(self, result: FileResult) -> str:
        raise NotImplementedError

    def end(self) -> str:
        return ""

    def finish(self, write: Callable[[str], None]) -> None:
        """Write what comes after the last result (``end``; JUnit writes more)."""
        write(self.end())


class JsonLines(Stream):
    def item(self, result: FileResult) -> str:
        return json_line(result)


def json_line(result: FileResult) -> str:
    """One result as one line of JSON (UTF-8 text as is, as in the JSON document)."""
    return json.dumps(to_dict(result), ensure_ascii=False, allow_nan=False) + "\n"


class JsonDocument(Stream):
    """The document ``render_json`` writes, built a result at a time (its indentation is
    regular, so each result indented on its own and shifted two levels is the same text)."""

    def __init__(self) -> None:
        self.count = 0

    def begin(self) -> str:
        return f'{{\n  "schema_version": {SCHEMA_VERSION},\n  "results": ['

    def item(self, result: FileResult) -> str:
        text = json.dumps(to_dict(result), indent=2, ensure_ascii=False, allow_nan=False)
        lead = ",\n" if self.count else "\n"
        self.count += 1
        return lead + "\n".join("    " + line for line in text.split("\n"))

    def end(self) -> str:
        return "\n  ]\n}\n" if self.count else "]\n}\n"


class CsvRows(Stream):
    def __init__(self) -> None:
        import csv

        from workoutcheck.report.check_csv import COLUMNS

        self.out = io.StringIO()
        self.writer = csv.DictWriter(
            self.out, fieldnames=COLUMNS, restval="", lineterminator="\r\n"
        )

    def _flush(self) -> str:
        text = self.out.getvalue()
        self.out.seek(0)
        self.out.truncate()
        return text

    def begin(self) -> str:
        self.writer.writeheader()
        return self._flush()

    def item(self, result: FileResult) -> str:
        from workoutcheck.report.check_csv import csv_rows

        for row in csv_rows(result):
            self.writer.writerow(
                {key: "" if value is None else value for key, value in row.items()}
            )
        return self._flush()


class JunitSuites(Stream):
    """JUnit XML: the totals head the document but are known only at the end, so each file's
    suite is spooled to an unnamed temporary file as it comes, and the document is written
    (totals, then the spooled suites) when the last result is in: flat memory all the same."""

    def __init__(self, warn_as_failure: bool = False) -> None:
        self.warn_as_failure = warn_as_failure
        import tempfile  # only JUnit spools: a JSON or CSV stream leaves it (and random) alone

        self.spool = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="backslashreplace")
        self.totals = {"tests": 0, "failures": 0, "errors": 0}

    def item(self, result: FileResult) -> str:
        import xml.etree.ElementTree as ET

        from workoutcheck.report.junit import file_suite

        suite = file_suite(result, warn_as_failure=self.warn_as_failure)
        for key in self.totals:
            self.totals[key] += int(suite.get(key, "0"))
        ET.indent(suite, level=1)
        self.spool.write("\n  " + ET.tostring(suite, encoding="unicode"))
        return ""

    def finish(self, write: Callable[[str], None]) -> None:
        head = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="workoutcheck"'
        head += "".join(f' {key}="{value}"' for key, value in self.totals.items())
        if self.spool.tell() == 0:
            write(head + " />\n")
            return
        write(head + ">")
        self.spool.seek(0)
        for chunk in iter(lambda: self.spool.read(1 << 16), ""):
            write(chunk)
        write("\n</testsuites>\n")
        self.spool.close()


def stream_for(fmt: str, *, warn_as_failure: bool = False) -> Stream:
    """The streaming writer of ``fmt`` (one of ``STREAMED``), from the format registry."""
    spec = BY_NAME[fmt]
    if spec.stream is None:
        raise ValueError(f"report format {fmt!r} is not written a result at a time")
    given = {"warn_as_failure": warn_as_failure}
    return spec.load(spec.stream)(**{k: given[k] for k in spec.options if k in given})
