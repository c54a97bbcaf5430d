"""Unit tests of helpers.stats: composites, correlations, VIF, ranks, power, model, IPMA rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import stats
from helpers.registers import article


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(20, 4))
    x[:, 1] += 0.8 * x[:, 0]
    return pd.DataFrame(x, columns=["a1", "a2", "b1", "c1"],
                        index=[f"r{i}" for i in range(20)])


def test_zscores_have_mean_zero_and_unit_sd(frame):
    z = stats.zscores(frame)
    assert np.allclose(z.mean(), 0) and np.allclose(z.std(ddof=1), 1)


def test_zscores_refuse_a_constant_column(frame):
    frame["a1"] = 3.0
    with pytest.raises(ValueError, match="a1"):
        stats.zscores(frame)


def test_composite_is_the_mean_of_the_members_z_scores(frame):
    comp = stats.factor_composites(frame, {"A": ["a1", "a2"], "B": ["b1"]}, ["B", "A"])
    z = stats.zscores(frame[["a1", "a2", "b1"]])
    assert list(comp.columns) == ["B", "A"]
    assert np.allclose(comp["A"], (z["a1"] + z["a2"]) / 2)
    assert np.allclose(comp["B"], z["b1"])


def test_composites_name_an_unknown_factor_or_column(frame):
    with pytest.raises(KeyError, match="Z"):
        stats.factor_composites(frame, {"A": ["a1"]}, ["Z"])
    with pytest.raises(KeyError, match="zz"):
        stats.factor_composites(frame, {"A": ["zz"]})


def test_correlation_table_pairs_intervals_and_holm(frame):
    table = stats.correlation_table(frame)
    assert len(table) == 2 * 6
    assert set(table["method"]) == {"pearson", "spearman"}
    assert table["r"].between(-1, 1).all()
    assert (table["ci_low"] <= table["r"] + 0.006).all()
    assert (table["r"] <= table["ci_high"] + 0.006).all()
    assert (table["p_holm"] >= table["p"] - 1e-12).all()
    pearson = table[(table["method"] == "pearson") & (table["x"] == "a1") & (table["y"] == "a2")]
    assert pearson["r"].iloc[0] == pytest.approx(frame["a1"].corr(frame["a2"]))


def test_correlation_table_refuses_an_unknown_method(frame):
    with pytest.raises(ValueError, match="kendal"):
        stats.correlation_table(frame, methods=("kendal",))


def test_offdiagonal_and_threshold_check():
    m = pd.DataFrame([[1, 0.5, -0.7], [0.5, 1, 0.1], [-0.7, 0.1, 1]], index=list("xyz"),
                     columns=list("xyz"), dtype=float)
    assert len(stats.offdiagonal(m)) == 3
    check = stats.threshold_check(m, 0.42)
    assert check["max_abs"] == pytest.approx(0.7) and check["pair"] == ["z", "x"]
    assert check["n_above"] == 2 and not check["holds"]
    assert stats.threshold_check(m, 0.8)["holds"]


def test_the_articles_table1_breaks_its_own_042_claim():
    check = stats.threshold_check(article.table1(), 0.42)
    assert not check["holds"]
    assert check["n_above"] == (article.table1_offdiagonal().abs() > 0.42).sum()


def test_vif_from_a_correlation_matrix():
    r = 0.6
    m = pd.DataFrame([[1, r], [r, 1]], index=["a", "b"], columns=["a", "b"])
    assert np.allclose(stats.vif(m), 1 / (1 - r**2))
    assert np.allclose(stats.vif(pd.DataFrame(np.eye(3))), 1)
    with pytest.raises(np.linalg.LinAlgError):
        stats.vif(pd.DataFrame(np.ones((2, 2))))


def test_ranks_one_is_best(frame):
    top = frame["a1"].idxmax()
    assert stats.ranks(frame, top)["a1"] == 1
    low = frame["b1"].idxmin()
    assert stats.ranks(frame, low)["b1"] == len(frame)
    with pytest.raises(KeyError):
        stats.ranks(frame, "nowhere")


def test_power_is_alpha_without_effect_and_grows_with_n():
    assert stats.power_f2(0.0, 20, 6) == pytest.approx(0.05, abs=1e-9)
    assert stats.power_f2(0.3, 200, 6) > stats.power_f2(0.3, 20, 6)


def test_min_detectable_r2_solves_the_power_equation():
    found = stats.min_detectable_r2(20, 6)
    assert stats.power_f2(found["f2"], 20, 6) == pytest.approx(0.8, abs=1e-6)
    assert found["r2"] == pytest.approx(found["f2"] / (1 + found["f2"]))
    assert stats.min_detectable_r2(100, 6)["r2"] < found["r2"]
    with pytest.raises(ValueError):
        stats.power_f2(0.2, 7, 6)


def test_equal_weight_regression_matches_least_squares():
    import numpy as np
    import pandas as pd

    from helpers.stats import equal_weight_regression

    rng = np.random.default_rng(7)
    X = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    y = pd.Series(1.5 * X["a"] - 0.5 * X["c"] + rng.normal(scale=0.5, size=40))
    out = equal_weight_regression(X, y)
    Z = (X - X.mean()) / X.std(ddof=1)
    zy = (y - y.mean()) / y.std(ddof=1)
    beta, *_ = np.linalg.lstsq(np.column_stack([np.ones(40), Z]), zy, rcond=None)
    assert np.allclose(out["coef"]["estimate"].to_numpy(), beta[1:])
    fitted = np.column_stack([np.ones(40), Z]) @ beta
    r2 = 1 - ((zy - fitted) ** 2).sum() / ((zy - zy.mean()) ** 2).sum()
    assert out["r2"] == pytest.approx(r2)
    assert (out["coef"]["ci_low"] < out["coef"]["estimate"]).all()
    assert out["coef"].loc["a", "p"] < 0.001 and out["n"] == 40
