"""What 03_correlation_analysis reports for the test city (from the session's full run)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

NB = "03_correlation_analysis"
FACTORS = ["social", "management", "economy", "law", "technology", "sustainability"]


@pytest.fixture(scope="module")
def res(report):
    return report(NB)


def matrix(d: dict) -> pd.DataFrame:
    return pd.DataFrame(d).T.loc[FACTORS, FACTORS].astype(float)


@pytest.mark.parametrize("key", ["corr_this_study", "corr_spearman", "corr_article"])
def test_correlation_matrices_are_symmetric_with_unit_diagonal(res, key):
    m = matrix(res[key]).to_numpy()
    assert np.allclose(m, m.T)
    assert np.allclose(np.diag(m), 1.0)
    assert ((m >= -1) & (m <= 1)).all()


def test_difference_is_this_study_minus_the_article(res):
    diff = matrix(res["corr_this_study"]) - matrix(res["corr_article"])
    assert np.allclose(diff, matrix(res["corr_difference"]))


def test_maxima_and_counts_agree_with_the_matrices(res):
    for suffix, key in (("this_study", "corr_this_study"), ("article", "corr_article")):
        m = matrix(res[key])
        off = np.abs(m.to_numpy()[np.tril_indices(6, -1)])
        assert res[f"max_offdiag_{suffix}"] == pytest.approx(off.max())
        assert res[f"n_above_042_{suffix}"] == int((off > 0.42).sum())


def test_c1_verdict_follows_the_numbers(res):
    c1 = res["c1"]
    assert c1["holds_article"] == (res["max_offdiag_article"] <= c1["threshold"])
    assert c1["holds_this_study"] == (res["max_offdiag_this_study"] <= c1["threshold"])
    assert res["c1_verdict"] == c1["verdict"] in ("consistent", "inconsistent", "inconclusive")
    low, high = c1["interval"]  # the Fisher z interval of the largest |r| (20 regions)
    assert low <= res["max_offdiag_this_study"] <= high or low <= -res[
        "max_offdiag_this_study"] <= high
    if c1["verdict"] == "consistent":
        assert c1["holds_this_study"]
    if c1["verdict"] == "inconsistent":  # some interval lies wholly beyond the ceiling
        assert not c1["holds_this_study"] and c1["method"] == "fisher_z_ceiling"
    assert len(res["above_042_article"]) == res["n_above_042_article"]


def test_pingouin_table_has_both_methods_and_holm_is_not_smaller(res):
    table = pd.DataFrame(res["correlations"])
    assert len(table) == 30 and set(table["method"]) == {"pearson", "spearman"}
    assert (table["p_holm"] >= table["p"] - 1e-12).all()
    assert (table["n"] == res["n_regions"]).all()
    pearson = table[table["method"] == "pearson"].set_index(["x", "y"])["r"]
    m = matrix(res["corr_this_study"])
    for (x, y), r in pearson.items():
        assert r == pytest.approx(m.loc[x, y])


def test_vif_at_least_one(res):
    assert set(res["vif"]) == set(FACTORS)
    assert all(v >= 1 - 1e-9 for v in res["vif"].values())
    assert res["max_vif"] == pytest.approx(max(res["vif"].values()))


def test_city_rank_on_every_factor(res):
    assert set(res["city_ranks"]) == set(FACTORS)
    assert all(1 <= r <= res["n_regions"] for r in res["city_ranks"].values())
    assert res["n_regions"] == 20
    # the best z-score gets the best rank
    z = pd.Series(res["city_z"])
    ranks = pd.Series(res["city_ranks"])
    assert ranks[z.idxmax()] == ranks.min()


def test_figure_recorded(res):
    assert any(stem.startswith("fig04_correlations") for stem in res["figures"])
