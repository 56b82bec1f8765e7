"""Driving a headless Chromium from tests: render a page, screenshot it, and see what it fetched.

No browser-automation library: Chromium's own switches give the DOM after rendering
(``--dump-dom``), a screenshot, and a NetLog of every request, which is all the HTML report
tests need. A tiny PNG decoder reads the screenshot's pixels (Pillow is not a dependency).
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest


def chromium() -> str:
    """The browser binary; skip without one, but fail under CI, which installs it."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(
            "no chromium found, and under CI the browser must be there (.ci/run installs it)"
        )
    pytest.skip("no chromium binary found (install Debian's chromium to run the browser tests)")


def browse(page: str, folder: Path, *, size: str = "412,1100") -> tuple[str, bytes, list[str]]:
    """Open ``page`` from a file: the DOM after rendering, a screenshot, and the URLs the page
    itself asked the network for (from Chromium's NetLog; DNS is mapped to nowhere, so nothing
    leaves the machine even if the page tried)."""
    browser = chromium()
    html_file, shot, netlog = folder / "page.html", folder / "shot.png", folder / "net.json"
    html_file.write_text(page, encoding="utf-8")
    args = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={folder / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--log-net-log={netlog}",
        f"--screenshot={shot}",
        f"--window-size={size}",
        "--dump-dom",
        html_file.as_uri(),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    return done.stdout, shot.read_bytes(), page_requests(netlog)


def page_requests(netlog: Path) -> list[str]:
    """URLs of requests made on behalf of a file:// page (the browser's own update and
    account pings have another network isolation key and are not the page's doing)."""
    text = netlog.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # a log cut short lacks its closing "]}" (Chromium documents this)
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        e["params"]["url"]
        for e in log["events"]
        if e["type"] == start
        and "url" in e.get("params", {})
        and e["params"].get("network_isolation_key", "").startswith("file://")
        and not e["params"]["url"].startswith(("file:", "data:"))
    ]


def pixels(png: bytes) -> tuple[int, int, bytes]:
    """Decode an 8-bit RGB or RGBA PNG (what Chromium writes) to (width, height, RGB bytes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, prev, out = zlib.decompress(idat), width * bpp, bytearray(width * bpp), bytearray()
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line if bpp == 3 else bytes(v for k, v in enumerate(line) if k % 4 != 3)
        prev = line
    return width, height, bytes(out)


def count_colour(rgb: bytes, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    """How many pixels are within ``tolerance`` of ``colour`` on every channel."""
    return sum(
        1
        for k in range(0, len(rgb), 3)
        if all(abs(rgb[k + j] - colour[j]) <= tolerance for j in range(3))
    )


def crop_png(png: bytes, width: int) -> bytes:
    """The left ``width`` pixels of a screenshot as an RGB PNG (Chromium's window is at least
    500 px wide; a phone-width page measured in an iframe is cropped to the phone's width)."""
    full, height, rgb = pixels(png)
    rows = b"".join(b"\x00" + rgb[y * full * 3 : y * full * 3 + width * 3] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
