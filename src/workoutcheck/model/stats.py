"""``np.median`` and ``np.unique`` without the import of ``numpy.ma`` they cost.

numpy 2.4's ``np.median`` (its NaN check) and ``np.unique`` without index options (its
masked-array check) import ``numpy.ma`` at their first call: 8-12 ms of a one-file check's
start that nothing here needs. These do the same steps on plain arrays, so every result is
bit for bit numpy's: ``median`` is numpy's ``_median`` (the same partition, the same ``mean``
of the middle one or two, NaN wherever the data has one) and ``unique`` takes numpy's sorting
path, which gives the same values as its hash path for the integer arrays it is used on.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def median(a: Any, axis: int | None = None) -> Any:
    """``np.median(a, axis=axis)``: the same value, type and warnings (an empty input's mean)."""
    a = np.asanyarray(a)
    if axis is not None:
        axis = axis + a.ndim if axis < 0 else axis
        if not 0 <= axis < a.ndim:
            raise np.exceptions.AxisError(axis, a.ndim)
    sz = a.size if axis is None else a.shape[axis]
    kth = [sz // 2 - 1, sz // 2] if sz % 2 == 0 else [(sz - 1) // 2]
    supports_nans = np.issubdtype(a.dtype, np.inexact) or a.dtype.kind in "Mm"
    if supports_nans:
        kth.append(-1)
    part = np.partition(a, kth, axis=axis)
    if part.shape == ():
        return part.item()
    if axis is None:
        axis = 0
    indexer: list[slice] = [slice(None)] * part.ndim
    index = part.shape[axis] // 2
    if part.shape[axis] % 2 == 1:
        indexer[axis] = slice(index, index + 1)
    else:
        indexer[axis] = slice(index - 1, index + 1)
    rout = np.mean(part[tuple(indexer)], axis=axis)
    if supports_nans and sz > 0:
        potential_nans = part.take(-1, axis=axis)
        n = np.isnan(potential_nans)
        if n.any():
            if isinstance(rout, np.generic):
                return potential_nans
            np.copyto(rout, potential_nans, where=n)
    return rout


def unique(a: Any) -> np.ndarray:
    """``np.unique(a)`` of an integer (or bool) array: its sorted distinct values."""
    ar = np.asanyarray(a).flatten()
    if ar.dtype.kind not in "iub":
        raise TypeError(f"unique is for integer arrays, not {ar.dtype}")
    ar.sort()
    if not ar.size:
        return ar
    keep = np.empty(ar.shape, dtype=bool)
    keep[0] = True
    np.not_equal(ar[1:], ar[:-1], out=keep[1:])
    return ar[keep]


def percentile(a: Any, q: Any, axis: int | None = None) -> Any:
    """``np.percentile(a, q, axis=axis)`` (its default linear method): numpy's own steps, with
    the same partition of the same indices, so the same value and type."""
    a = np.asanyarray(a)
    if a.dtype.kind == "c":
        raise TypeError("a must be an array of real numbers")
    weak_q = type(q) in (int, float)
    quantiles = np.asanyarray(np.true_divide(q, 100, out=...))
    if quantiles.ndim > 1 or not bool(np.all((quantiles >= 0) & (quantiles <= 1))):
        raise ValueError("Percentiles must be in the range [0, 100]")
    if axis is None:
        arr, axis = a.flatten(), 0
    else:
        axis = axis + a.ndim if axis < 0 else axis
        if not 0 <= axis < a.ndim:
            raise np.exceptions.AxisError(axis, a.ndim)
        arr = a.copy()
    n = arr.shape[axis]
    if axis != 0:
        arr = np.moveaxis(arr, axis, destination=0)
    supports_nans = np.issubdtype(arr.dtype, np.inexact) or arr.dtype.kind in "Mm"
    virtual = np.asanyarray((n - 1) * quantiles)
    prev = np.floor(virtual, out=...)
    nxt = np.add(prev, 1, out=...)
    above = virtual >= n - 1
    if above.any():
        prev[above] = -1
        nxt[above] = -1
    below = virtual < 0
    if below.any():
        prev[below] = 0
        nxt[below] = 0
    if np.issubdtype(arr.dtype, np.inexact):
        nans = np.isnan(virtual)
        if nans.any():
            prev[nans] = -1
            nxt[nans] = -1
    prev, nxt = prev.astype(np.intp), nxt.astype(np.intp)
    arr.partition(unique(np.concatenate(([0, -1], prev.ravel(), nxt.ravel()))), axis=0)
    slices_having_nans = np.isnan(arr[-1, ...]) if supports_nans else None
    below_v, above_v = arr[prev], arr[nxt]
    gamma: Any = np.asanyarray(np.asanyarray(virtual - prev), dtype=virtual.dtype)
    if weak_q:
        gamma = float(gamma)
    else:
        gamma = gamma.reshape(virtual.shape + (1,) * (arr.ndim - 1))
    diff = above_v - below_v
    result = np.add(below_v, diff * gamma, out=...)
    np.subtract(
        above_v,
        diff * (1 - gamma),
        out=result,
        where=np.asarray(gamma >= 0.5),
        casting="unsafe",
        dtype=type(result.dtype),
    )
    if result.ndim == 0:
        result = result[()]
    if np.any(slices_having_nans):
        if result.ndim == 0:
            result = arr[-1]
        else:
            np.copyto(result, arr[-1, ...], where=slices_having_nans)
    return result


DOT_PIECE = 10000  # OpenBLAS shares a longer dot among threads: see ``_dot``


def delay_s(ref: np.ndarray, other: np.ndarray, max_s: int) -> float:
    """Seconds (0..``max_s``) by which ``other`` (a speed on a one-second grid) best matches
    ``ref`` delayed: the correlation of the two, each smoothed over 5 s and less its mean (the
    changes of pace carry it)."""
    a = np.convolve(ref, np.ones(5) / 5, mode="same")
    b = np.convolve(other, np.ones(5) / 5, mode="same")
    a = a - a.mean()
    b = b - b.mean()
    n = len(a)
    scores = [_dot(a[: n - k], b[k:]) / (n - k) for k in range(min(max_s, n - 1) + 1)]
    return float(np.argmax(scores))


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """a . b, in pieces short enough for one thread: a dot shared among threads leaves them
    spinning idle after it, which costs far more CPU than the dot (on two busy cores, 8 ms
    for a day's samples instead of 0.1 ms). Short recordings are one piece, as before."""
    if len(a) <= DOT_PIECE:
        return float(np.dot(a, b))
    return float(
        sum(
            float(np.dot(a[i : i + DOT_PIECE], b[i : i + DOT_PIECE]))
            for i in range(0, len(a), DOT_PIECE)
        )
    )
