"""The engine's normal and t functions (helpers.pls.distributions, from scipy.special) equal
scipy.stats' bit for bit, edge cases included; and importing the engine does not import
scipy.stats (a notebook kernel would pay about half a second for it)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from helpers.pls.distributions import norm_cdf, norm_ppf, t_sf
from helpers.registers import paths

EDGES = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 5e-324, 1 - 1e-16, 1 + 1e-16, 2.0, -2.0,
         37.5, -37.5, 1e300, -1e300, np.inf, -np.inf, np.nan]


def _grid() -> np.ndarray:
    rng = np.random.default_rng(5)
    return np.concatenate([EDGES, np.linspace(-10, 10, 2001), rng.uniform(0, 1, 2000),
                           rng.standard_normal(2000) * 5, np.logspace(-320, 0, 300)])


def _same(ours, theirs) -> bool:
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    return ours.shape == theirs.shape and np.array_equal(ours, theirs, equal_nan=True)


def test_normal_functions_equal_scipy_stats():
    x = _grid()
    assert _same(norm_cdf(x), stats.norm.cdf(x))
    assert _same(norm_ppf(x), stats.norm.ppf(x))
    for v in EDGES:  # scalars in, scalars out
        assert _same(norm_cdf(v), stats.norm.cdf(v)) and np.ndim(norm_cdf(v)) == 0
        assert _same(norm_ppf(v), stats.norm.ppf(v)) and np.ndim(norm_ppf(v)) == 0


@pytest.mark.parametrize("df", [1, 2, 3, 19, 249, 4999, 1e6, 2.5])
def test_t_survival_equals_scipy_stats(df):
    x = _grid()
    assert _same(t_sf(x, df), stats.t.sf(x, df))
    assert _same(2 * t_sf(np.abs(x), df), 2 * stats.t.sf(np.abs(x), df))
    for v in EDGES:
        assert _same(t_sf(v, df), stats.t.sf(v, df))


def test_t_survival_with_degrees_of_freedom_per_value():
    x = _grid()[:500]
    df = np.random.default_rng(1).integers(1, 300, x.size)
    assert _same(t_sf(x, df), stats.t.sf(x, df))


def test_the_comparison_can_fail():
    x = _grid()
    assert not _same(norm_ppf(x), stats.norm.ppf(np.nextafter(x, 2)))


def test_importing_the_engine_leaves_scipy_stats_out():
    code = "import sys, helpers.pls; print('scipy.stats' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, capture_output=True,
                          text=True, timeout=120, env={"PATH": "/usr/bin:/bin",
                                                       "PYTHONPATH": str(paths.ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"
