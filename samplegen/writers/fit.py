"""FIT activity files via Garmin's official encoder.

Message order follows a real device: file_id, device_info, (workout, workout_step...), the
timer start event, then records with lap messages and pause events interleaved at the moment
they happen, the final timer stop, session, activity. Timestamps are whole seconds (FIT's
date_time); lap durations keep milliseconds, as devices do.
"""

from __future__ import annotations

import math
from pathlib import Path

from garmin_fit_sdk import Encoder, Profile

from samplegen.geo import to_semicircles
from samplegen.watch import Recording
from samplegen.workout import build_workout

FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z
MN = Profile["mesg_num"]


def _ts(rec: Recording, t: float) -> int:
    return int(rec.start_time.timestamp()) - FIT_EPOCH_S + int(math.floor(t))


def fit_bytes(rec: Recording, include_workout: bool | None = None, name: str = "workout") -> bytes:
    """Encode ``rec``. The workout is included when laps come from a workout (by default)."""
    if include_workout is None:
        include_workout = rec.settings.laps.mode == "workout"
    s = rec.settings
    enc = Encoder()
    t0 = _ts(rec, 0)
    enc.write_mesg(
        {
            "mesg_num": MN["FILE_ID"],
            "type": "activity",
            "manufacturer": "development",
            "product": 0,
            "serial_number": s.serial_number,
            "time_created": t0,
            "product_name": s.product_name,
        }
    )
    enc.write_mesg(
        {
            "mesg_num": MN["DEVICE_INFO"],
            "timestamp": t0,
            "device_index": "creator",
            "manufacturer": "development",
            "product": 0,
            "serial_number": s.serial_number,
            "software_version": 1.0,
            "product_name": s.product_name,
        }
    )
    if include_workout:
        steps, _ = build_workout(rec.motion.session)
        enc.write_mesg(
            {
                "mesg_num": MN["WORKOUT"],
                "sport": "running",
                "sub_sport": rec.sub_sport,
                "num_valid_steps": len(steps),
                "wkt_name": name,
            }
        )
        for st in steps:
            m = {
                "mesg_num": MN["WORKOUT_STEP"],
                "message_index": st.index,
                "wkt_step_name": st.name,
                "duration_type": st.duration_type,
                "duration_value": st.duration_value,
            }
            if st.duration_type == "repeat_until_steps_cmplt":
                m["target_value"] = st.repeat_count
            else:
                m["intensity"] = st.intensity
                m["target_type"] = st.target_type
                if st.target_type == "speed":
                    m["target_value"] = 0  # 0 = custom range, not a zone
                    m["custom_target_value_low"] = int(round(st.speed_low_mps * 1000))
                    m["custom_target_value_high"] = int(round(st.speed_high_mps * 1000))
            enc.write_mesg(m)

    # every message that happens during the recording, in time order
    timeline: list[tuple[float, int, dict]] = []
    lat = to_semicircles(rec.lat)
    lon = to_semicircles(rec.lon)
    for i in range(len(rec.t)):
        timeline.append(
            (
                float(rec.t[i]),
                1,
                {
                    "mesg_num": MN["RECORD"],
                    "timestamp": _ts(rec, rec.t[i]),
                    "position_lat": int(lat[i]),
                    "position_long": int(lon[i]),
                    "distance": round(float(rec.distance[i]), 2),
                    "enhanced_speed": round(float(rec.speed[i]), 3),
                    "enhanced_altitude": round(float(rec.altitude[i]), 1),
                    "heart_rate": int(rec.heart_rate[i]),
                    "cadence": int(rec.cadence_spm[i]) // 2,
                },
            )
        )
    for _k, (t, kind) in enumerate(rec.events):
        order = 0 if kind == "start" else 3
        timeline.append(
            (
                t,
                order,
                {
                    "mesg_num": MN["EVENT"],
                    "timestamp": _ts(rec, t),
                    "event": "timer",
                    "event_type": kind,
                    "event_group": 0,
                },
            )
        )
    for i, lap in enumerate(rec.laps):
        m = {
            "mesg_num": MN["LAP"],
            "message_index": i,
            "timestamp": _ts(rec, lap.end_s),
            "start_time": _ts(rec, lap.start_s),
            "event": "lap",
            "event_type": "stop",
            "total_elapsed_time": round(lap.end_s - lap.start_s, 3),
            "total_timer_time": round(lap.timer_s, 3),
            "total_distance": lap.distance_m,
            "enhanced_avg_speed": lap.avg_speed,
            "enhanced_max_speed": lap.max_speed,
            "lap_trigger": lap.trigger,
            "intensity": lap.intensity,
            "sport": "running",
            "sub_sport": rec.sub_sport,
        }
        if lap.avg_hr is not None:
            m["avg_heart_rate"], m["max_heart_rate"] = lap.avg_hr, lap.max_hr
        if lap.wkt_step_index is not None:
            m["wkt_step_index"] = lap.wkt_step_index
        timeline.append((lap.end_s, 2, m))
    timeline.sort(key=lambda x: (math.floor(x[0]), x[1]))
    for _, _, m in timeline:
        enc.write_mesg(m)

    end = rec.duration_s
    hr = rec.heart_rate
    enc.write_mesg(
        {
            "mesg_num": MN["SESSION"],
            "message_index": 0,
            "timestamp": _ts(rec, end),
            "start_time": t0,
            "event": "session",
            "event_type": "stop",
            "sport": "running",
            "sub_sport": rec.sub_sport,
            "total_elapsed_time": float(end),
            "total_timer_time": round(rec.timer_s, 3),
            "total_distance": round(float(rec.distance[-1]), 2),
            "enhanced_avg_speed": round(float(rec.distance[-1]) / rec.timer_s, 3),
            "enhanced_max_speed": round(float(rec.speed.max()), 3),
            "avg_heart_rate": int(round(hr.mean())),
            "max_heart_rate": int(hr.max()),
            "first_lap_index": 0,
            "num_laps": len(rec.laps),
            "trigger": "activity_end",
        }
    )
    enc.write_mesg(
        {
            "mesg_num": MN["ACTIVITY"],
            "timestamp": _ts(rec, end),
            "total_timer_time": round(rec.timer_s, 3),
            "num_sessions": 1,
            "type": "manual",
            "event": "activity",
            "event_type": "stop",
            "local_timestamp": _ts(rec, end) + s.utc_offset_s,
        }
    )
    return enc.close()


def write_fit(
    rec: Recording, path: Path, include_workout: bool | None = None, name: str = "workout"
) -> Path:
    path = Path(path)
    path.write_bytes(fit_bytes(rec, include_workout, name))
    return path
