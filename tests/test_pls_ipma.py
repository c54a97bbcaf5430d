"""Importance-performance map analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import Model, composite, estimate_pls, ipma, paths
from tests.pls_fixtures import ecsi_model, mobi


def _data(seed=4, n=40):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 2))
    y = 0.5 * f[:, 0] + 0.3 * f[:, 1] + rng.normal(scale=0.7, size=n)
    cols = {}
    for name, v in (("a", f[:, 0]), ("b", f[:, 1]), ("t", y)):
        for k in (1, 2, 3):
            cols[f"{name}{k}"] = np.clip(np.round(4 + v + rng.normal(scale=0.6, size=n)), 1, 7)
    return pd.DataFrame(cols, index=[f"region_{i:02d}" for i in range(n)])


MODEL = Model([composite("A", ["a1", "a2", "a3"]), composite("B", ["b1", "b2", "b3"]),
               composite("T", ["t1", "t2", "t3"], scale=(1, 7))], paths(["A", "B"], "T"))


def test_importance_is_the_unstandardised_effect():
    """With only direct paths, importance = OLS slopes of the target's performance on the
    predictors' performances."""
    fit = estimate_pls(_data(), MODEL)
    imp = ipma(fit, "T", scale_ranges={i: (1, 7) for i in ["a1", "a2", "a3", "b1", "b2", "b3"]})
    x = np.column_stack([np.ones(fit.n_obs), imp.scores["A"], imp.scores["B"]])
    slopes = np.linalg.lstsq(x, imp.scores["T"].to_numpy(), rcond=None)[0][1:]
    np.testing.assert_allclose(imp.table.loc[["A", "B"], "importance"], slopes, atol=1e-10)
    np.testing.assert_allclose(imp.table["performance"], imp.scores[["A", "B"]].mean(), atol=1e-12)


def test_performance_scale_and_single_observation():
    data = _data()
    data.iloc[0] = 7.0  # one region at the top of every scale
    data.iloc[1, :3] = 1.0  # and one at the bottom of A's scale
    fit = estimate_pls(data, MODEL)
    imp = ipma(fit, "T", scale_ranges={i: (1, 7) for i in data.columns})
    top = imp.performance_of("region_00")
    np.testing.assert_allclose(top, 100.0, atol=1e-10)
    assert imp.performance_of("region_01")["A"] == pytest.approx(0.0, abs=1e-10)
    pd.testing.assert_series_equal(imp.performance_of(3), imp.scores.iloc[3])
    assert ((imp.scores >= -1e-9) & (imp.scores <= 100 + 1e-9)).all().all()
    with pytest.raises(KeyError, match="region_00"):
        imp.performance_of("Atlantis")


def test_scale_range_sources():
    data = _data()
    fit = estimate_pls(data, MODEL)
    imp = ipma(fit, "T", scale_ranges={"a1": (0, 10)})
    assert imp.ranges.loc["a1"].tolist() == [0.0, 10.0, "given"]
    assert imp.ranges.loc["t1"].tolist() == [1.0, 7.0, "model"]
    assert imp.ranges.loc["b1", "source"] == "observed"
    assert imp.ranges.loc["b1", "min"] == data["b1"].min()
    with pytest.raises(ValueError, match="outside its scale range"):
        ipma(fit, "T", scale_ranges={"a1": (2, 3)})
    with pytest.raises(KeyError, match="unknown indicator"):
        ipma(fit, "T", scale_ranges={"zz": (1, 7)})
    with pytest.raises(KeyError, match="not a construct"):
        ipma(fit, "Adaptation")


def test_ecsi_loyalty_map():
    fit = estimate_pls(mobi(), ecsi_model())
    imp = ipma(fit, "Loyalty", scale_ranges={i: (1, 10) for i in fit.layout.items})
    assert set(imp.table.index) == set(fit.layout.constructs) - {"Loyalty"}
    # same scale for every indicator: importance keeps the order of total effects' sizes
    total = fit.total_effects["Loyalty"].drop("Loyalty")
    assert list(imp.table["importance"].sort_values().index) != [] and \
        np.sign(imp.table["importance"]).equals(np.sign(total[imp.table.index]))
