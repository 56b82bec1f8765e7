"""The page around HTML reports: inline CSS, a phone viewport, and a policy that fetches nothing.

Reports are mailed to athletes and opened on phones, often offline, so the page is one file:
no fonts, scripts, images or style sheets from anywhere. The Content-Security-Policy says so
to the browser as well, so even text that slipped through unescaped could not load or run
anything.
"""

from __future__ import annotations

from html import escape

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# One colour per status on every page: the chart's rep shading, the verdict cells of the
# segment table and the squad matrix all use these fills (and the badges the darker ones).
STATUS_FILL = {"pass": "#c8e6c9", "warn": "#ffe0b2", "fail": "#ffcdd2"}
EXTRA_FILL = "#d1c4e9"  # running the plan did not ask for

CSS = """
:root { color-scheme: light; --pass: #2e7d32; --warn: #b26a00; --fail: #c62828; --muted: #616161; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 0.75rem; color: #212121; background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.3rem; margin: 0.2rem 0 0.8rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 0; overflow-wrap: anywhere; }
section.file { border-top: 2px solid #e0e0e0; padding: 0.8rem 0 1.2rem; }
.meta { color: var(--muted); margin: 0.2rem 0; overflow-wrap: anywhere; }
.summary { margin: 0.4rem 0; font-size: 1.05rem; }
.badge { display: inline-block; flex: none; white-space: nowrap; min-width: 3.2em;
  padding: 0.05em 0.45em; border-radius: 0.3em; color: #fff; font-size: 0.8rem; font-weight: 700;
  text-align: center; letter-spacing: 0.03em; }
.badge.pass { background: var(--pass); } .badge.warn { background: var(--warn); }
.badge.fail, .badge.error { background: var(--fail); } .badge.none { background: #9e9e9e; }
.badge.described { background: #00838f; }
.chart { display: block; width: 100%; max-width: 46rem; height: auto; margin: 0.5rem 0 0.2rem; }
.legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; font-size: 0.85rem;
  color: var(--muted); margin: 0 0 0.6rem; padding: 0; list-style: none; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em;
  vertical-align: -0.1em; border-radius: 2px; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0.4rem 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; white-space: nowrap; }
th, td { padding: 0.25rem 0.6rem 0.25rem 0; text-align: right; border-bottom: 1px solid #eeeeee; }
th { font-size: 0.8rem; color: var(--muted); font-weight: 600; }
th:first-child, td:first-child, td.left, th.left { text-align: left; }
tr.rep td:first-child { font-weight: 700; }
td.verdict.pass { background: var(--pass-fill); } td.verdict.warn { background: var(--warn-fill); }
td.verdict.fail { background: var(--fail-fill); } td.missed { font-weight: 700; }
td.verdict { padding-left: 0.35rem; } td.dim { color: var(--muted); }
tr.extra td:first-child { color: #5e35b1; }
.file-name { display: block; color: var(--muted); font-size: 0.8rem; font-weight: 400; }
ul.checks { list-style: none; padding: 0; margin: 0.3rem 0; }
ul.checks li { margin: 0.25rem 0; display: flex; gap: 0.5rem; align-items: baseline; }
details summary { cursor: pointer; color: var(--pass); margin: 0.3rem 0; }
.note { color: var(--warn); margin: 0.2rem 0; }
.error-text { color: var(--fail); }
td.wrap { white-space: normal; min-width: 14rem; text-align: left; }
td.cell { text-align: center; min-width: 2.8rem; font-weight: 600; }
td.cell.pass { background: var(--pass-fill); } td.cell.warn { background: var(--warn-fill); }
td.cell.fail { background: var(--fail-fill); } td.cell.none { color: var(--muted); }
a { color: #0d47a1; }
@media (max-width: 30rem) {
  body { font-size: 14px; padding: 0.6rem; } th, td { padding-right: 0.45rem; }
}
/* A phone: tables become cards, one per row, every cell labelled and nothing off-screen. */
@media (max-width: 40rem) {
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; }
  table.cards thead { display: none; }
  table.cards { white-space: normal; width: 100%; }
  table.cards tr { display: flex; flex-wrap: wrap; gap: 0.1rem 0.8rem; align-items: baseline;
    padding: 0.35rem 0; border-bottom: 1px solid #e0e0e0; }
  table.cards td { border: 0; padding: 0; text-align: left; min-width: 0; }
  table.cards td[data-label]::before { content: attr(data-label) " "; color: var(--muted);
    font-size: 0.8rem; }
  table.cards td:first-child { flex: 1 0 100%; }
  table.cards td.verdict, table.cards td.wrap { flex: 1 0 100%; padding: 0.1rem 0.3rem; }
  table.matrix { white-space: normal; }
  table.matrix th, table.matrix td.cell { min-width: 0; padding: 0.2rem 0.15rem; font-size: 0.8rem; }
  table.matrix td:first-child { max-width: 6.5rem; overflow-wrap: anywhere; padding-right: 0.3rem; }
}
"""
CSS = CSS.replace(
    ":root {",
    ":root { " + " ".join(f"--{status}-fill: {fill};" for status, fill in STATUS_FILL.items()),
    1,
)


def esc(value: object) -> str:
    """Every text from a file, a plan or a user goes through here before it reaches the page."""
    return escape("" if value is None else str(value), quote=True)


def badge(status: str, text: str | None = None) -> str:
    """A coloured status label: PASS, WARN, FAIL, ERROR (or ``text`` on a grey "none" badge)."""
    return f'<span class="badge {esc(status)}">{esc(text or status.upper())}</span>'


def page(title: str, body: str) -> str:
    """A complete HTML document, ending in one newline like every other report."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n{body}\n</body>\n</html>\n"
    )
