"""Conversions between a local flat frame (metres east/north of an origin) and WGS84 degrees.

Routes are laid out in metres because track geometry and road polylines are defined in metres;
the watch then reports degrees. A local equirectangular projection on a sphere of the mean Earth
radius is used because readers measure distance with the haversine formula on that same sphere,
so a 400 m lap drawn here measures 400 m there (to well under a millimetre at these scales).
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius, the one haversine implementations use
SEMICIRCLES_PER_DEGREE = 2**31 / 180.0


def enu_to_latlon(lat0: float, lon0: float, east: np.ndarray, north: np.ndarray):
    """Local metres -> (lat, lon) degrees around the origin (lat0, lon0)."""
    lat = lat0 + np.degrees(np.asarray(north, float) / EARTH_RADIUS_M)
    lon = lon0 + np.degrees(np.asarray(east, float) / (EARTH_RADIUS_M * np.cos(np.radians(lat0))))
    return lat, lon


def haversine_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle length of each step of a lat/lon polyline (len(lat) - 1 values, metres)."""
    p = np.radians(np.asarray(lat, float))
    lam = np.radians(np.asarray(lon, float))
    dp, dl = np.diff(p), np.diff(lam)
    a = np.sin(dp / 2) ** 2 + np.cos(p[:-1]) * np.cos(p[1:]) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def to_semicircles(deg: np.ndarray) -> np.ndarray:
    """Degrees -> FIT semicircles (int32), as FIT position_lat/position_long store them."""
    return np.round(np.asarray(deg, float) * SEMICIRCLES_PER_DEGREE).astype(np.int64)
