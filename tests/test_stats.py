"""``model.stats`` gives numpy's median, percentile and unique bit for bit (the value, its dtype
and shape, NaN where numpy gives NaN) without importing ``numpy.ma``."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from workoutcheck.model.stats import median, percentile, unique


def _same(ours, theirs) -> bool:
    if type(ours) is not type(theirs):
        return False
    a, b = np.asarray(ours), np.asarray(theirs)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _arrays():
    rng = np.random.default_rng(18)
    for size in range(10):
        yield rng.normal(size=size)
        yield rng.integers(-4, 4, size=size)
        yield rng.choice([0.0, -0.0, 1.0, np.inf, -np.inf], size=size)
        with_nan = rng.normal(size=size)
        with_nan[: size // 3] = np.nan
        yield with_nan
        yield rng.normal(size=(size, 3)).astype(np.float32)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_median_percentile_and_unique_are_numpys():
    compared = 0
    for a in _arrays():
        for axis in [None] if a.ndim == 1 else [None, 0, 1, -1]:
            assert _same(median(a, axis=axis), np.median(a, axis=axis)), (a, axis)
            compared += 1
            if a.size:
                for q in (98, 2, 0, 100, 25.5, [25, 50, 75]):
                    ours, theirs = percentile(a, q, axis=axis), np.percentile(a, q, axis=axis)
                    assert _same(ours, theirs), (a, q, axis)
                    compared += 1
        if a.dtype.kind == "i":
            assert _same(unique(a), np.unique(a)), a
    assert compared > 400
    assert median([3, 1, 2]) == 2.0 and np.isnan(median([1.0, np.nan, 2.0]))
    with pytest.raises(TypeError):
        unique(np.array([1.5, 1.5]))


def test_they_import_no_numpy_ma():
    probe = (
        "import sys, numpy as np\n"
        "from workoutcheck.model.stats import median, percentile, unique\n"
        "a = np.array([3.0, np.nan, 1.0, 2.0])\n"
        "median(a); median(a[[0, 2, 3]]); median(np.ones((4, 3)), axis=1)\n"
        "percentile(a, [25, 50, 75]); percentile(np.ones((5, 2)), 98, axis=0)\n"
        "unique(np.array([3, 1, 3]))\n"
        "print('numpy.ma' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
