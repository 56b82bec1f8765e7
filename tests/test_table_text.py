"""The table without colour is written without rich (report.table_text), byte for byte as rich
writes it (check_table.render_rich), for every shape a result takes; where the plain writer
could not be sure (a character rich measures otherwise, a row too wide), rich writes it."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from tests.report_cases import (
    CASES,
    error_result,
    failing_session,
    passing_session,
)
from tests.test_batch import TASKS
from workoutcheck.report import table_text
from workoutcheck.report.check_table import render_rich
from workoutcheck.report.table_blocks import WIDTH
from workoutcheck.run.pipeline import check_file
from workoutcheck.score.result import Check, FileResult, Status

LONG_NOTE = (
    "this file times 1.00 km reps to ±2.7%; the ±2.0% band cannot be judged: such reps are "
    "called off target only when beyond the band by more than that"
)


def _same(results: list[FileResult]) -> str:
    """Both writers give the same bytes, the plain one without falling back to rich."""
    plain = table_text.plain(results)
    assert plain is not None
    assert plain == render_rich(results, color=False)
    assert table_text.render_table(results, color=False) == plain
    return plain


@pytest.mark.parametrize("case", list(CASES))
def test_every_report_case_is_written_alike(case: str) -> None:
    """The golden report cases (a pass, a failure, a description, an error, a batch)."""
    _same(CASES[case])


def test_the_sample_files_checks_are_written_alike() -> None:
    """Every committed sample checked against its plan: real segment tables, notes that wrap."""
    results = [check_file(*task) for task in TASKS]
    text = _same(results)
    assert "rep 1" in text
    for result in results:
        _same([result])


def _checks(*messages: str) -> tuple[Check, ...]:
    statuses = (Status.FAIL, Status.WARN, Status.PASS)
    return tuple(
        Check(id=f"check_{i}{'x' * (i % 3)}", status=statuses[i % 3], message=m)
        for i, m in enumerate(messages)
    )


SHAPES = {
    "wrapped note": replace(passing_session(), notes=(LONG_NOTE, LONG_NOTE * 3)),
    "note of one long word": replace(passing_session(), notes=("x" * 250, "a " + "y" * 230)),
    "note with runs of blanks": replace(
        passing_session(), notes=("word   " * 30, " " * 120 + "end", "   lead" + " " * 200)
    ),
    "name of exactly the width": replace(passing_session(), file="n" * WIDTH),
    "name past the width": replace(passing_session(), file="d/" * 70 + "run.fit"),
    "name with blanks past the width": replace(failing_session(), file="my runs/" * 20),
    "athlete and long plan": replace(
        passing_session(), athlete="Ana María", plan="5x(1000m @ 3:45/km, 400m jog); " * 6
    ),
    "long check messages": replace(
        failing_session(),
        checks=_checks(
            "short",
            LONG_NOTE,
            "z" * 180,
            "rep 3 ran 4 s/km slower than the band " * 5,
            "a  b   c    " * 12,
        ),
    ),
    "long check id": replace(
        failing_session(),
        checks=_checks("x " * 60, "y")
        + (Check(id="i" * 60, status=Status.WARN, message="m " * 40),),
    ),
    "no checks": replace(passing_session(), checks=()),
    "long error": replace(error_result(), error="truncated: " + "bytes " * 40),
    "error naming the file": replace(error_result(), error="downloads/index.fit: bad CRC"),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_is_written_alike(shape: str) -> None:
    """Wrapping and folding at word breaks, the problems' messages under themselves, names
    past the width, blanks: each as rich does it."""
    _same([SHAPES[shape]])


def test_random_messages_and_notes_wrap_alike() -> None:
    """Random words and blanks of every length, in notes and in check messages."""
    rng = random.Random(18)
    alphabet = "abc±’–-/:.,%()"
    for _ in range(150):

        def text() -> str:
            words = [
                "".join(rng.choice(alphabet) for _ in range(rng.choice((1, 3, 8, 20, 60, 130))))
                for _ in range(rng.randint(1, 30))
            ]
            return "".join(w + " " * rng.choice((0, 1, 1, 1, 2, 5)) for w in words)

        result = replace(
            failing_session(),
            notes=tuple(text() for _ in range(rng.randint(0, 3))),
            checks=_checks(*(text() for _ in range(rng.randint(1, 4)))),
        )
        _same([result])


def test_what_the_plain_writer_cannot_promise_goes_to_rich() -> None:
    """A character rich measures as two cells (or zero), or a segment row wider than the
    width: ``plain`` declines and the table is rich's, as before."""
    wide = replace(passing_session(), file="跑步.fit")
    zero = replace(passing_session(), notes=("e\u0301tape",))
    tab = replace(passing_session(), notes=("a\tb",))
    segment = next(s for s in passing_session().segments if s.segment.rep == 1)
    long_label = replace(segment, segment=replace(segment.segment, rep=10**60))
    too_wide = replace(passing_session(), segments=(long_label,))
    for result in (wide, zero, tab, too_wide):
        assert table_text.plain([result]) is None
        assert table_text.render_table([result], color=False) == render_rich([result], color=False)


def test_the_extra_one_cell_characters_are_one_cell_to_rich() -> None:
    """Beyond rich's own one-cell ranges, the characters the writer takes as one cell wide."""
    from rich.cells import cell_len

    assert all(cell_len(c) == 1 for c in table_text.ONE_CELL)


def test_colour_is_still_rich() -> None:
    """With colour the table is rich's, and equals the plain one once the codes are removed."""
    import re

    coloured = table_text.render_table(CASES["batch-of-four"], color=True)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == _same(CASES["batch-of-four"])


def test_no_results_no_text() -> None:
    assert table_text.plain([]) == render_rich([], color=False) == ""
