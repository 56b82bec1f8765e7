"""Garmin TrainingCenterDatabase v2 (TCX): laps with their trackpoints.

Element order follows the TCX v2 schema (ActivityLap_t: TotalTimeSeconds, DistanceMeters,
MaximumSpeed, Calories, AverageHeartRateBpm, MaximumHeartRateBpm, Intensity, TriggerMethod,
Track; Trackpoint_t: Time, Position, AltitudeMeters, DistanceMeters, HeartRateBpm, Cadence).
Cadence is per leg, as Garmin writes it for running; speed goes in the ActivityExtension TPX.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from samplegen.watch import Recording
from samplegen.writers.gpx import iso

_TRIGGER = {
    "manual": "Manual",
    "distance": "Distance",
    "time": "Time",
    "session_end": "Manual",
    "position": "Location",
}


def tcx_text(rec: Recording) -> str:
    out = io.StringIO()
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 '
        'http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd">\n'
    )
    w('  <Activities>\n    <Activity Sport="Running">\n')
    w(f"      <Id>{iso(rec, 0)}</Id>\n")
    t = rec.t
    n_laps = len(rec.laps)
    for k, lap in enumerate(rec.laps):
        last = k == n_laps - 1
        sel = (t >= lap.start_s) & ((t <= lap.end_s) if last else (t < lap.end_s))
        w(f'      <Lap StartTime="{iso(rec, lap.start_s)}">\n')
        w(f"        <TotalTimeSeconds>{lap.timer_s:.1f}</TotalTimeSeconds>\n")
        w(f"        <DistanceMeters>{lap.distance_m:.1f}</DistanceMeters>\n")
        w(f"        <MaximumSpeed>{lap.max_speed:.3f}</MaximumSpeed>\n")
        kcal = int(round(lap.distance_m / 1000 * 65))
        w(f"        <Calories>{kcal}</Calories>\n")
        if lap.avg_hr is not None:
            w(f"        <AverageHeartRateBpm><Value>{lap.avg_hr}</Value></AverageHeartRateBpm>\n")
            w(f"        <MaximumHeartRateBpm><Value>{lap.max_hr}</Value></MaximumHeartRateBpm>\n")
        inten = "Resting" if lap.intensity in ("rest", "recovery") else "Active"
        w(f"        <Intensity>{inten}</Intensity>\n")
        w(f"        <TriggerMethod>{_TRIGGER.get(lap.trigger, 'Manual')}</TriggerMethod>\n")
        w("        <Track>\n")
        for i in np.flatnonzero(sel):
            w(
                f"          <Trackpoint>\n"
                f"            <Time>{iso(rec, t[i])}</Time>\n"
                f"            <Position><LatitudeDegrees>{rec.lat[i]:.7f}</LatitudeDegrees>"
                f"<LongitudeDegrees>{rec.lon[i]:.7f}</LongitudeDegrees></Position>\n"
                f"            <AltitudeMeters>{rec.altitude[i]:.1f}</AltitudeMeters>\n"
                f"            <DistanceMeters>{rec.distance[i]:.2f}</DistanceMeters>\n"
                f"            <HeartRateBpm><Value>{int(rec.heart_rate[i])}</Value></HeartRateBpm>\n"
                f"            <Cadence>{int(rec.cadence_spm[i]) // 2}</Cadence>\n"
                f"            <Extensions><ns3:TPX><ns3:Speed>{rec.speed[i]:.3f}</ns3:Speed>"
                f"</ns3:TPX></Extensions>\n"
                f"          </Trackpoint>\n"
            )
        w("        </Track>\n      </Lap>\n")
    s = rec.settings
    w(
        '      <Creator xsi:type="Device_t">\n'
        f"        <Name>{s.product_name}</Name>\n        <UnitId>{s.serial_number}</UnitId>\n"
        "        <ProductID>0</ProductID>\n"
        "        <Version><VersionMajor>1</VersionMajor><VersionMinor>0</VersionMinor>"
        "<BuildMajor>0</BuildMajor><BuildMinor>0</BuildMinor></Version>\n"
        "      </Creator>\n"
    )
    w("    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n")
    return out.getvalue()


def write_tcx(rec: Recording, path: Path) -> Path:
    path = Path(path)
    path.write_bytes(tcx_text(rec).encode("utf-8"))
    return path
