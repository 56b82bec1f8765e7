"""GPX 1.1 with Garmin's TrackPointExtension v1 (heart rate, per-leg cadence).

GPX carries positions, elevation and time only: no distance, speed or laps, which is exactly
why readers must derive distance from noisy positions. Written as text (not via gpxpy) so the
bytes do not depend on a library version; a ``.gz`` suffix gzips it reproducibly (mtime 0).
"""

from __future__ import annotations

import gzip
import io
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from samplegen.watch import Recording


def iso(rec: Recording, t: float) -> str:
    return (rec.start_time + timedelta(seconds=float(t))).strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_text(rec: Recording, name: str = "Running") -> str:
    out = io.StringIO()
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(
        '<gpx version="1.1" creator="samplegen (workoutcheck)" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 '
        "http://www.topografix.com/GPX/1/1/gpx.xsd "
        "http://www.garmin.com/xmlschemas/TrackPointExtension/v1 "
        'http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd">\n'
    )
    w(f"  <metadata>\n    <time>{iso(rec, 0)}</time>\n  </metadata>\n")
    w(f"  <trk>\n    <name>{escape(name)}</name>\n    <type>running</type>\n    <trkseg>\n")
    for i in range(len(rec.t)):
        w(
            f'      <trkpt lat="{rec.lat[i]:.7f}" lon="{rec.lon[i]:.7f}">'
            f"<ele>{rec.altitude[i]:.1f}</ele><time>{iso(rec, rec.t[i])}</time>"
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{int(rec.heart_rate[i])}</gpxtpx:hr>"
            f"<gpxtpx:cad>{int(rec.cadence_spm[i]) // 2}</gpxtpx:cad></gpxtpx:TrackPointExtension>"
            f"</extensions></trkpt>\n"
        )
    w("    </trkseg>\n  </trk>\n</gpx>\n")
    return out.getvalue()


def write_gpx(rec: Recording, path: Path, name: str = "Running") -> Path:
    path = Path(path)
    data = gpx_text(rec, name).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path.write_bytes(data)
    return path
