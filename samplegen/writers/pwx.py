"""TrainingPeaks PWX 1.0: the workout's start time, one segment per lap, one sample per record.

Element order follows what TrainingPeaks and Golden Cheetah write (workout: athlete,
sportType, device, time, summarydata, segment*, sample*; sample: timeoffset, hr, spd, dist,
lat, lon, alt, cad). A segment's ``duration`` is the lap's elapsed time and
``durationstopped`` the part of it the timer was stopped. Cadence is per leg, as for TCX.
PWX has no lap trigger or intensity, so those are not written.
"""

from __future__ import annotations

import io
from pathlib import Path

from samplegen.watch import Recording
from samplegen.writers.gpx import iso


def pwx_text(rec: Recording) -> str:
    out = io.StringIO()
    w = out.write
    s = rec.settings
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(
        '<pwx xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.0" '
        'xmlns="http://www.peaksware.com/PWX/1/0">\n'
    )
    w("  <workout>\n    <athlete><name>samplegen</name></athlete>\n")
    w("    <sportType>Run</sportType>\n")
    w(
        f'    <device id="{s.serial_number}"><make>samplegen</make><model>{s.product_name}</model></device>\n'
    )
    w(f"    <time>{iso(rec, 0)}</time>\n")
    w(
        f"    <summarydata><beginning>0</beginning><duration>{rec.duration_s:.1f}</duration>"
        f"<durationstopped>{rec.duration_s - rec.timer_s:.1f}</durationstopped>"
        f"<dist>{rec.distance[-1]:.1f}</dist></summarydata>\n"
    )
    for k, lap in enumerate(rec.laps):
        elapsed = lap.end_s - lap.start_s
        w(
            f"    <segment><name>Lap {k + 1}</name><summarydata>"
            f"<beginning>{lap.start_s:.1f}</beginning><duration>{elapsed:.1f}</duration>"
            f"<durationstopped>{max(elapsed - lap.timer_s, 0.0):.1f}</durationstopped>"
            f"<dist>{lap.distance_m:.1f}</dist></summarydata></segment>\n"
        )
    t = rec.t
    for i in range(len(t)):
        w(
            f"    <sample><timeoffset>{int(t[i])}</timeoffset><hr>{int(rec.heart_rate[i])}</hr>"
            f"<spd>{rec.speed[i]:.3f}</spd><dist>{rec.distance[i]:.2f}</dist>"
            f"<lat>{rec.lat[i]:.7f}</lat><lon>{rec.lon[i]:.7f}</lon>"
            f"<alt>{rec.altitude[i]:.1f}</alt><cad>{int(rec.cadence_spm[i]) // 2}</cad></sample>\n"
        )
    w("  </workout>\n</pwx>\n")
    return out.getvalue()


def write_pwx(rec: Recording, path: Path) -> Path:
    path = Path(path)
    path.write_bytes(pwx_text(rec).encode("utf-8"))
    return path
