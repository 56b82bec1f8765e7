"""The check and squad pages in headless Chromium at phone (390 px) and desktop (1280 px) width:
no sideways scrolling, every verdict visible, the chart's rep colours those of the table.

The page is measured by a script added to a copy of it (the report's own policy runs no
script, so the copy drops that one meta tag and nothing else). With UPDATE_SCREENSHOT=1 the
screenshots are copied into docs/ (a test run never changes the source tree on its own).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest

from tests.browserkit import browse, crop_png
from tests.conftest import ROOT, SAMPLES
from workoutcheck.plan import parse_plan
from workoutcheck.report.check_html import render_html
from workoutcheck.report.html_page import STATUS_FILL
from workoutcheck.report.squad_html import render_squad_html
from workoutcheck.run.pipeline import CheckOptions, check_file
from workoutcheck.score.overview import AthleteRow, overview_row
from workoutcheck.score.result import FileResult, Status

WIDTHS = (390, 1280)
# Chromium's window is at least 500 px wide, so the page is measured inside an iframe of the
# width wanted (its own viewport: media queries and innerWidth follow the iframe).
MEASURE = """<script>
function measure(win) {
  const doc = win.document, vw = win.innerWidth;
  const out = {sw: doc.documentElement.scrollWidth, iw: vw, hidden: [], colours: [], verdicts: 0};
  function visible(el) {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0 || r.left < -0.5 || r.right > vw + 0.5) return false;
    for (let p = el.parentElement; p; p = p.parentElement) {  // clipped by a scrolling box?
      if (win.getComputedStyle(p).overflowX === 'visible') continue;
      const b = p.getBoundingClientRect();
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5) return false;
    }
    return true;
  }
  doc.querySelectorAll('td.verdict, table.overview td, td.cell').forEach(el => {
    if (!el.textContent.trim()) return;
    out.verdicts += 1;
    if (!visible(el)) out.hidden.push(el.className + ': ' + el.textContent.trim());
  });
  doc.querySelectorAll('section.file').forEach(sec => {
    sec.querySelectorAll('rect.rep').forEach(r => {
      if (!r.dataset.status) return;
      const td = sec.querySelector('td.verdict[data-rep="' + r.dataset.rep + '"]');
      out.colours.push([r.dataset.rep, r.getAttribute('fill'),
                        td ? win.getComputedStyle(td).backgroundColor : null]);
    });
  });
  document.body.setAttribute('data-measured', JSON.stringify(out));
}
const frame = document.getElementById('page');
const loaded = d => d && d.readyState === 'complete' && d.querySelector('h1');
if (loaded(frame.contentDocument)) measure(frame.contentWindow);
else frame.addEventListener('load', () => measure(frame.contentWindow));
</script>"""


def _checked(name: str, plan: str | None = None) -> FileResult:
    truth = json.loads((SAMPLES / (name.split(".")[0] + ".truth.json")).read_text())
    result = check_file(str(SAMPLES / name), CheckOptions(plan=parse_plan(plan or truth["plan"])))
    assert result.status is not Status.ERROR, result.error
    return replace(result, file=f"sample_files/{name}")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    eight, missed = _checked("eight_by_400_track.fit"), _checked("six_by_800_missed.fit")
    fit, gpx = _checked("five_by_1000_track.fit"), _checked("five_by_1000_track.gpx")
    rows = [
        overview_row(fit, "Ana"),
        overview_row(gpx, "Ana"),
        overview_row(eight, "Ben"),
        overview_row(missed, "Gunnar Sigurðsson-Johansen"),
        AthleteRow("Cleo", None, None, None, None, None, None),
    ]
    return {
        "check": render_html([eight, missed]),
        "squad": render_squad_html(
            [fit, gpx, eight, missed], rows, title="workoutcheck: squad Tuesday"
        ),
    }


def _hex_rgb(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _framed(page: str, width: int, height: int, script: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="page" width="{width}" '
        f'height="{height}" style="border:0;display:block" srcdoc="{escape(page, quote=True)}">'
        f"</iframe>{script}</body></html>"
    )


def _measure(page: str, folder: Path, width: int) -> dict:
    dom, _, requests = browse(
        _framed(page, width, 2400, MEASURE), folder, size=f"{max(width, 500)},2400"
    )
    assert requests == []
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, "the measuring script did not run"
    return json.loads(found[1].replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["check", "squad"])
def test_no_sideways_scrolling_and_every_verdict_visible(
    pages: dict[str, str], kind: str, width: int, tmp_path: Path
) -> None:
    measured = _measure(pages[kind], tmp_path, width)
    assert measured["iw"] == width
    assert measured["sw"] <= measured["iw"], f"page is {measured['sw']} px wide at {width} px"
    assert measured["verdicts"] >= (14 if kind == "check" else 20)
    assert measured["hidden"] == []
    if kind == "check":  # every shaded rep has the colour of its verdict cell
        assert len(measured["colours"]) == 8 + 5
        for rep, fill, background in measured["colours"]:
            assert background == _hex_rgb(fill), f"rep {rep}: chart {fill}, table {background}"
        assert {fill for _, fill, _ in measured["colours"]} <= set(STATUS_FILL.values())
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        height = 2000 if width < 1000 else 1400
        _, png, _ = browse(
            _framed(pages[kind], width, height), tmp_path, size=f"{max(width, 500)},{height}"
        )
        (ROOT / "docs" / f"{kind}-{width}px.png").write_bytes(
            crop_png(png, width) if width < 500 else png
        )


def test_squad_rows_of_one_athlete_name_their_file(pages: dict[str, str]) -> None:
    page = pages["squad"]
    assert (
        page.count('<span class="file-name">five_by_1000_track.fit</span>') == 2
    )  # overview, matrix
    assert page.count('<span class="file-name">five_by_1000_track.gpx</span>') == 2
    assert '<span class="file-name">eight_by_400_track.fit</span>' not in page  # Ben has one file


def test_chart_marks_extra_efforts_and_missed_reps(pages: dict[str, str]) -> None:
    page = pages["check"]
    assert 'class="missed" data-rep="4"' in page and ">4 missed</text>" in page
    label = re.search(r'<text class="rep-label" x="([\d.]+)"', page)
    assert label and float(label[1]) >= 64  # clear of the "pace /km" axis title
