"""Where the runner is, given how far they have run: a standard track or a road polyline.

A route maps true cumulative distance (m) to a position in local metres and an altitude. The
runner model only produces distance; keeping geometry here lets the same run be replayed on
any route, and lets tests check that a lap of the track really is 400 m.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from samplegen.geo import enu_to_latlon

# IAAF/World Athletics standard 400 m track: the kerb radius and straight length; lane 1 is
# measured 0.30 m outside the kerb, which makes the lap 400.00 m.
TRACK_STRAIGHT_M = 84.39
TRACK_KERB_RADIUS_M = 36.5
TRACK_LANE1_OFFSET_M = 0.30
TRACK_LANE_WIDTH_M = 1.22


@dataclass(frozen=True)
class Route:
    """Base class: a named place with an origin; subclasses give the local geometry."""

    name: str
    lat0: float
    lon0: float
    base_altitude_m: float = 0.0
    surface: str = "road"

    def xy(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    def altitude(self, d: np.ndarray) -> np.ndarray:
        return np.full(np.shape(d), self.base_altitude_m, dtype=float)

    def latlon(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        east, north = self.xy(d)
        return enu_to_latlon(self.lat0, self.lon0, east, north)

    def describe(self) -> dict:
        return {
            "type": type(self).__name__,
            "name": self.name,
            "lat0": self.lat0,
            "lon0": self.lon0,
            "surface": self.surface,
        }


@dataclass(frozen=True)
class TrackRoute(Route):
    """A 400 m standard track, run anticlockwise in ``lane`` (1 = inside lane).

    Distance 0 is the common finish line, at the end of the home straight. ``start_offset_m``
    shifts where the run begins (e.g. so a rep ends on the finish line, as coaches set them).
    ``heading_deg`` rotates the long axis (0 = straights run east-west).
    """

    surface: str = "track"
    lane: int = 1
    heading_deg: float = 0.0
    start_offset_m: float = 0.0

    @property
    def radius_m(self) -> float:
        return TRACK_KERB_RADIUS_M + TRACK_LANE1_OFFSET_M + (self.lane - 1) * TRACK_LANE_WIDTH_M

    @property
    def lap_m(self) -> float:
        return 2 * TRACK_STRAIGHT_M + 2 * np.pi * self.radius_m

    def xy(self, d):
        r, half = self.radius_m, TRACK_STRAIGHT_M / 2
        s = np.mod(np.asarray(d, float) + self.start_offset_m, self.lap_m)
        bend = np.pi * r
        u = np.empty_like(s)
        v = np.empty_like(s)
        m1 = s < bend  # first bend, around the centre at (+half, 0)
        m2 = (s >= bend) & (s < bend + TRACK_STRAIGHT_M)  # back straight, heading -u
        m3 = (s >= bend + TRACK_STRAIGHT_M) & (s < 2 * bend + TRACK_STRAIGHT_M)  # second bend
        m4 = s >= 2 * bend + TRACK_STRAIGHT_M  # home straight, heading +u
        th = -np.pi / 2 + s[m1] / r
        u[m1], v[m1] = half + r * np.cos(th), r * np.sin(th)
        u[m2], v[m2] = half - (s[m2] - bend), r
        th = np.pi / 2 + (s[m3] - bend - TRACK_STRAIGHT_M) / r
        u[m3], v[m3] = -half + r * np.cos(th), r * np.sin(th)
        u[m4], v[m4] = -half + (s[m4] - 2 * bend - TRACK_STRAIGHT_M), -r
        a = np.radians(self.heading_deg)
        return u * np.cos(a) - v * np.sin(a), u * np.sin(a) + v * np.cos(a)

    def describe(self):
        return {
            **super().describe(),
            "lane": self.lane,
            "lap_m": round(self.lap_m, 3),
            "heading_deg": self.heading_deg,
            "start_offset_m": round(self.start_offset_m, 3),
        }


def _resample_by_arclength(east: np.ndarray, north: np.ndarray, length_m: float):
    """Scale a dense polyline to ``length_m`` and return it with its cumulative arclength."""
    seg = np.hypot(np.diff(east), np.diff(north))
    k = length_m / seg.sum()
    east, north = east * k, north * k
    s = np.concatenate([[0.0], np.cumsum(seg * k)])
    return east, north, s


@dataclass(frozen=True)
class PolylineRoute(Route):
    """A road route from a dense polyline; ``loop`` repeats it, otherwise it is run out and
    back (turning at the far end) as many times as needed. Rolling terrain is a smooth function
    of position along the route, so every pass over a point sees the same altitude."""

    loop: bool = True
    length_m: float = 3000.0
    hill_m: float = 5.0
    # loop: (a2, a3, phase) harmonics of the radius; out-and-back: (amp, wavelength, phase) of
    # the meander, both relative to the route length
    shape: tuple[float, ...] = (0.15, 0.08, 0.5)
    heading_deg: float = 0.0
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def _poly(self):
        if "poly" not in self._cache:
            th = np.linspace(0.0, 2 * np.pi, 4001)
            if self.loop:
                a2, a3, ph = self.shape
                r = 1.0 + a2 * np.sin(2 * th + ph) + a3 * np.cos(3 * th)
                e, n = r * np.cos(th), r * np.sin(th)
            else:
                amp, wl, ph = self.shape
                e = th / (2 * np.pi)
                n = amp * np.sin(2 * np.pi * e / wl + ph) * e  # meanders, widening from the start
            a = np.radians(self.heading_deg)
            e, n = e * np.cos(a) - n * np.sin(a), e * np.sin(a) + n * np.cos(a)
            e, n, s = _resample_by_arclength(e, n, self.length_m)
            self._cache["poly"] = (e - e[0], n - n[0], s)
        return self._cache["poly"]

    def _along(self, d):
        d = np.asarray(d, float)
        if self.loop:
            return np.mod(d, self.length_m)
        p = np.mod(d, 2 * self.length_m)
        return np.where(p > self.length_m, 2 * self.length_m - p, p)

    def xy(self, d):
        e, n, s = self._poly()
        a = self._along(d)
        return np.interp(a, s, e), np.interp(a, s, n)

    def altitude(self, d):
        x = self._along(d) / self.length_m
        return self.base_altitude_m + self.hill_m * (
            np.sin(2 * np.pi * x) * (1.0 if self.loop else 0.5) + 0.4 * np.sin(6 * np.pi * x + 1.0)
        )

    def describe(self):
        return {
            **super().describe(),
            "loop": self.loop,
            "length_m": self.length_m,
            "hill_m": self.hill_m,
        }
