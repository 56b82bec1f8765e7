"""The HTML report: chart, tables, escaping and the squad page, then the page in a real browser.

Results come from checking the sample files against their truth's plan, so the chart is drawn
from real recordings. The browser tests drive Debian's Chromium headless: they skip when no
browser is installed, except under CI (``CI`` set), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browserkit import browse, count_colour, pixels
from tests.conftest import ROOT, SAMPLES
from workoutcheck.plan import parse_plan
from workoutcheck.report.check_html import render_html
from workoutcheck.report.formats import render
from workoutcheck.report.squad_html import render_squad_html
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score.overview import AthleteRow, RepCell, overview_row
from workoutcheck.score.result import FileResult, Status, Verdict
from workoutcheck.segment.result import SegmentKind

HOSTILE = "<script>alert(1)</script>.fit"
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"


def _checked(name: str) -> FileResult:
    truth = json.loads((SAMPLES / (name.split(".")[0] + ".truth.json")).read_text())
    result = check_file(str(SAMPLES / name), CheckOptions(plan=parse_plan(truth["plan"])))
    assert result.status is not Status.ERROR, result.error
    return result


@pytest.fixture(scope="module")
def five() -> FileResult:
    return _checked("five_by_1000_track.fit")


@pytest.fixture(scope="module")
def missed() -> FileResult:
    return _checked("six_by_800_missed.fit")


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text, as a browser would parse them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def with_class(self, tag: str, cls: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and cls in (a.get("class") or "").split()]


def _timed(result: FileResult, kind: SegmentKind) -> list[int | None]:
    return [
        s.segment.rep
        for s in result.segments
        if s.segment.kind is kind and s.segment.start_s is not None
    ]


def test_one_rep_rectangle_per_rep_run(five: FileResult, missed: FileResult) -> None:
    """Each rep run is one shaded rectangle, numbered; a missed rep (no times) has none."""
    tags = _Tags(render_html([five, missed]))
    reps = [a["data-rep"] for a in tags.with_class("rect", "rep")]
    assert reps == ["1", "2", "3", "4", "5", "1", "2", "3", "5", "6"]
    assert len(missed.reps) == 6 and len(_timed(missed, SegmentKind.REP)) == 5


def test_every_rep_band_is_drawn_with_both_edges(five: FileResult) -> None:
    """Each rep with a target gets a band rectangle and two edge lines, the fast edge above."""
    tags = _Tags(render_html([five]))
    bands = tags.with_class("rect", "band")
    lines = tags.with_class("line", "band-line")
    assert len(bands) == 5 and len(lines) == 10
    for rep in "12345":
        fast, slow = (float(a["y1"] or 0) for a in lines if a["data-rep"] == rep)
        assert fast < slow  # faster paces higher up: the axis is inverted


def test_recoveries_are_marked(five: FileResult) -> None:
    """Every recovery run gets its own grey rectangle."""
    tags = _Tags(render_html([five]))
    assert len(tags.with_class("rect", "recovery")) == len(_timed(five, SegmentKind.RECOVERY)) == 5


def test_pace_axis_is_inverted_and_in_min_ss(five: FileResult) -> None:
    """Pace labels read m:ss, the fastest at the top; the time axis counts minutes from 0."""
    page = render_html([five])
    paces = re.findall(
        r'<text class="pace-label" x="[\d.]+" y="([\d.]+)" text-anchor="end">([^<]*)</text>', page
    )
    assert [label for _, label in paces] == ["3:00", "4:00", "5:00", "6:00", "7:00"]
    assert [float(y) for y, _ in paces] == sorted(float(y) for y, _ in paces)
    minutes = [int(m) for m in re.findall(r'<text class="time-label"[^>]*>(\d+)</text>', page)]
    assert minutes == [0, 10, 20, 30, 40, 50]  # the session lasted 57:18


def test_heart_rate_line_only_when_there_is_heart_rate(five: FileResult) -> None:
    """The heart-rate line, its axis and its legend appear exactly when the file has heart rate."""
    assert five.series is not None and five.series.heart_rate is not None
    with_hr = _Tags(render_html([five]))
    assert len(with_hr.with_class("path", "hr-line")) == 1
    assert "heart rate" in "".join(with_hr.text)
    assert five.series is not None
    no_hr = replace(five, series=replace(five.series, heart_rate=None))
    without = _Tags(render_html([no_hr]))
    assert without.with_class("path", "hr-line") == []
    assert "heart rate" not in "".join(without.text) and "bpm" not in "".join(without.text)
    assert len(without.with_class("path", "pace-line")) == 1


def test_chart_without_a_plan_has_no_bands_and_says_so(five: FileResult) -> None:
    """Without a plan the reps found are shaded but no band is drawn, and the legend lists only
    what the chart shows: no verdict colours, no target band."""
    found = check_file(str(SAMPLES / "six_by_3min_road.gpx.gz"), CheckOptions())
    tags = _Tags(render_html([found]))
    assert len(tags.with_class("rect", "rep")) == 6 and tags.with_class("rect", "band") == []
    legend = render_html([found]).split('<ul class="legend">')[1].split("</ul>")[0]
    assert re.findall(r"</span>([^<]*)</li>", legend) == [
        "rep",
        "recovery",
        "pace (faster is up)",
        "heart rate",
    ]
    five_legend = render_html([five]).split('<ul class="legend">')[1].split("</ul>")[0]
    assert "rep on target" in five_legend and "rep off target" not in five_legend


def test_hostile_names_and_texts_are_escaped(five: FileResult) -> None:
    """A file name, plan, athlete or note holding markup is shown as text, never run or parsed."""
    hostile = replace(
        five,
        file=HOSTILE,
        plan='"><img src=x onerror=alert(2)>',
        athlete="<b>Zoë</b>",
        notes=("</section><script>alert(3)</script>",),
    )
    page = render_html([hostile])
    tags = _Tags(page)
    assert not [t for t, _ in tags.tags if t in ("script", "img", "b")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.fit" in page
    assert HOSTILE in "".join(tags.text)  # what the reader sees is the name as it is
    assert "Zoë" in page


def test_page_fetches_nothing_and_fits_a_phone(five: FileResult, missed: FileResult) -> None:
    """No URL, source, style sheet, import or url() anywhere; a viewport, and a policy that
    forbids fetching; wide tables scroll inside their own box."""
    page = render_html([five, missed])
    for needle in (
        "http://",
        "https://",
        "//",
        "src=",
        "<link",
        "@import",
        "url(",
        "<script",
        "<iframe",
    ):
        assert needle not in page.lower(), needle
    tags = _Tags(page)
    metas = {
        a.get("name") or a.get("http-equiv"): a.get("content") for t, a in tags.tags if t == "meta"
    }
    assert metas["viewport"] == "width=device-width, initial-scale=1"
    assert (metas["Content-Security-Policy"] or "").startswith("default-src 'none'")
    assert len(tags.with_class("div", "scroll")) == 2
    assert page.endswith("</html>\n") and not page.endswith("\n\n")


def test_checks_in_plain_words_with_badges(missed: FileResult) -> None:
    """Problems come first, failures before warnings, each with its badge; passes are counted."""
    page = render_html([missed])
    found = re.findall(r'<li><span class="badge (\w+)">\w+</span><span>([^<]*)</span></li>', page)
    problems = [c for c in missed.checks if c.status is not Status.PASS]
    statuses = [s for s, _ in found[: len(problems)]]
    assert statuses == sorted(statuses, key=lambda s: s != "fail") and "fail" in statuses
    assert "Rep 4 (800m @ 3:50/km) was not run." in [m for _, m in found]
    # reps 1, 3 and 6 lie within their uncertainty of the band's edges: on target, borderline
    assert page.count("on target (borderline)") == 3 and "3:55/km ±1.3%" in page
    passes = sum(1 for c in missed.checks if c.status is Status.PASS)
    assert f"<summary>{passes} checks passed</summary>" in page
    assert (
        '<td class="left verdict fail missed" data-label="verdict" data-rep="4">missed</td>' in page
    )


def test_unreadable_file_gets_an_error_section() -> None:
    """A file that could not be read shows its name, an ERROR badge and the reason, escaped."""
    broken = FileResult(
        file="bad<1>.fit", status=Status.ERROR, error="bad<1>.fit: truncated & CRC wrong"
    )
    page = render_html([broken])
    assert '<span class="badge error">ERROR</span>' in page
    assert "bad&lt;1&gt;.fit: truncated &amp; CRC wrong" in page
    assert "<svg" not in page


def test_format_dispatch_renders_html(five: FileResult) -> None:
    """``render(..., "html")`` is the HTML page (what ``--format html`` and ``watch`` write)."""
    assert render([five], "html", color=False) == render_html([five])
    assert (
        render_html([five], title="Tuesday <track>").count("<title>Tuesday &lt;track&gt;</title>")
        == 1
    )


def _squad_page(five: FileResult, missed: FileResult) -> str:
    rows = [
        overview_row(five, "Anna"),
        overview_row(missed, "Ben & Co"),
        AthleteRow("Cleo", None, None, None, None, None, None),  # no file
    ]
    return render_squad_html([five, missed], rows)


def test_squad_names_link_to_existing_sections(five: FileResult, missed: FileResult) -> None:
    """Every #link on the squad page points at an id on it; an athlete without a file has none."""
    tags = _Tags(_squad_page(five, missed))
    ids = {a["id"] for _, a in tags.tags if a.get("id")}
    links = [a["href"] for t, a in tags.tags if t == "a"]
    assert len(links) == 4  # two athletes, each in the overview and the matrix
    assert {h[1:] for h in links if h} <= ids and ids == {"file-1", "file-2"}
    page = _squad_page(five, missed)
    assert '<a href="#file-2">Ben &amp; Co</a>' in page and "<td>Cleo</td>" in page


def test_squad_overview_and_matrix_values(five: FileResult, missed: FileResult) -> None:
    """The overview says 5/6 reps on target for the missed rep (reps 1 and 6 are borderline,
    within their uncertainty of the band's edges); the matrix shows each rep's
    pace minus target in whole s/km, a missed rep in red."""
    page = _squad_page(five, missed)
    assert '<td data-label="on target">5/5</td><td data-label="score">95</td>' in page
    assert '<td data-label="on target">5/6</td>' in page
    assert '<td class="cell fail" title="rep 4: missed">miss</td>' in page
    for scored in missed.reps:
        if scored.deviation_s_per_km is not None:
            off = round(scored.deviation_s_per_km)
            shown = "0" if off == 0 else f"{off:+d}".replace("-", "\u2212")
            assert f'title="rep {scored.segment.rep}: ' in page and f">{shown}</td>" in page


def test_squad_page_draws_rows_as_given(five: FileResult) -> None:
    """Rows are drawn as they are: their counts, score, fault and cells, not recomputed."""
    cells = (
        RepCell(1, -2.0, Verdict.ON_TARGET, Status.PASS),
        RepCell(2, None, Verdict.MISSED, Status.FAIL),
        RepCell(3, 6.4, Verdict.TOO_SLOW, Status.WARN),
    )
    row = AthleteRow("Dana", five.file, 1, 3, 71.0, "Rep 2 was not run.", Status.WARN, cells)
    page = render_squad_html([five], [row])
    assert (
        '<a href="#file-1">Dana</a>' in page
        and '<td data-label="on target">1/3</td><td data-label="score">71</td>' in page
    )
    assert '<span class="badge warn">WARN</span>' in page and "Rep 2 was not run." in page
    assert (
        '<td class="cell pass" title="rep 1: 2 s/km faster than the target pace">\u22122</td>'
        '<td class="cell fail" title="rep 2: missed">miss</td>'
        '<td class="cell warn" title="rep 3: 6 s/km slower than the target pace">+6</td>'
    ) in page


# --- in a real browser: see tests/browserkit.py -----------------------------------------


def test_browser_shows_the_chart_and_table(five: FileResult, tmp_path: Path) -> None:
    """Chromium renders the page: the DOM holds the chart with its 5 rep rectangles and the
    table; the screenshot shows the pace line and the shaded reps; the page asks the network
    for nothing. The screenshot is kept in the test's tmp dir for a person to look at, and
    with UPDATE_SCREENSHOT=1 copied to docs/report-screenshot.png, which the README shows
    (a test run never changes the source tree on its own)."""
    shown = replace(five, file="sample_files/five_by_1000_track.fit")  # as the README names it
    dom, png, requests = browse(render_html([shown]), tmp_path)
    tags = _Tags(dom)
    assert len(tags.with_class("svg", "chart")) == 1
    assert len(tags.with_class("rect", "rep")) == 5
    assert len(tags.with_class("line", "band-line")) == 10
    assert len([t for t, _ in tags.tags if t == "tr"]) == 1 + len(five.segments)
    assert requests == []
    width, height, rgb = pixels(png)
    assert (width, height) == (412, 1100)
    assert count_colour(rgb, (0x0D, 0x47, 0xA1), 40) > 300  # the pace line (anti-aliased)
    assert count_colour(rgb, (198, 230, 199), 10) > 2000  # reps on target: green at 45% opacity
    assert len(png) < 300_000
    print(f"screenshot: {tmp_path / 'shot.png'}")
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(tmp_path / "shot.png", SCREENSHOT)


def test_browser_network_check_catches_a_fetch(tmp_path: Path) -> None:
    """The NetLog check is not vacuous: a page with an external image (and no policy) is caught."""
    _, _, requests = browse('<!DOCTYPE html><img src="http://example.invalid/x.png">', tmp_path)
    assert requests == ["http://example.invalid/x.png"]


def test_browser_renders_the_squad_page(
    five: FileResult, missed: FileResult, tmp_path: Path
) -> None:
    """The squad page renders its overview, matrix and both files' charts, fetching nothing."""
    dom, _, requests = browse(_squad_page(five, missed), tmp_path, size="412,2000")
    tags = _Tags(dom)
    assert len(tags.with_class("table", "overview")) == 1
    assert len(tags.with_class("td", "cell")) == 3 * 6  # three athletes, six planned reps
    assert len(tags.with_class("svg", "chart")) == 2 and len(tags.with_class("rect", "rep")) == 10
    assert requests == []
