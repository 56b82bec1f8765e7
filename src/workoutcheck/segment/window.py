"""Where a segment may start, given where it ends: a state's window, computed on demand.

The programme asks only about the end edges it is considering, so the window is a rule
(a range of durations, or of distances with a time cap) rather than two arrays the length
of the recording for every state: a plan that grows with the recording would otherwise
hold (states x cells) of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workoutcheck.segment.signal import Signal


@dataclass(frozen=True)
class Window:
    """Segments lasting ``min_s``..``max_s`` seconds, or (with ``distance``) covering
    ``distance`` x ``lo_f``..``hi_f`` metres in at most ``max_s`` seconds; never starting
    before edge ``first``."""

    min_s: float
    max_s: float
    distance: float | None = None
    lo_f: float = 1.0
    hi_f: float = 1.0
    first: int = 0

    def starts(self, sig: Signal, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(earliest, latest) start edge for each end edge in ``ends``."""
        if self.distance is None:
            lo = ends - int(np.ceil(self.max_s / sig.dt))
            hi = ends - max(int(np.floor(self.min_s / sig.dt)), 1)
        else:
            d = sig.d
            at = d[ends]
            lo = np.searchsorted(d, at - self.distance * self.hi_f, side="left")
            hi = np.searchsorted(d, at - self.distance * self.lo_f, side="right") - 1
            lo = np.maximum(lo, ends - self.reach(sig))
        if self.first:
            lo = np.maximum(lo, self.first)
        return lo, hi

    def reach(self, sig: Signal) -> int:
        """The most cells a segment in this window can span."""
        return int(np.ceil(self.max_s / sig.dt))


def time_window(min_s: float, max_s: float) -> Window:
    return Window(min_s, max_s)


def distance_window(length: float, lo_f: float, hi_f: float, speed: float) -> Window:
    """Starts whose distance to the end is within ``length`` x [lo_f, hi_f], and a time cap
    so that standing still (no distance) cannot stretch the window without end."""
    cap_s = length * hi_f / max(speed * 0.4, 0.3)
    return Window(0.0, cap_s, distance=length, lo_f=lo_f, hi_f=hi_f)
