"""Gaussian copula (helpers.pls.copula) and necessary condition analysis (helpers.pls.nca), each
against a literal re-computation written here from the formulas: the copula term by an explicit
ECDF loop and scipy's norm.ppf, the corrected paths by OLS on the fit's scores, a bootstrap draw
by re-estimating on the resampled rows; the CE-FDH ceiling as the step function by explicit
loops, the CR-FDH line through peers found by a double loop, the permutation test by a loop over
the same fixed-seed permutations; simulated data where endogeneity and necessity are known."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.pls import (
    Model,
    ModelSpecificationError,
    composite,
    estimate_pls,
    paths,
    relationships,
    single_item,
)
from helpers.pls.copula import CopulaWarning, copula_term, gaussian_copula
from helpers.pls.nca import ceiling, nca
from tests.pls_fixtures import ecsi_model, mobi

# --- Gaussian copula ----------------------------------------------------------------------


def _literal_copula(x):
    n = len(x)
    out = np.empty(n)
    for i in range(n):
        below = sum(1 for j in range(n) if x[j] <= x[i])
        out[i] = stats.norm.ppf(below / (n + 1))
    return out


def test_copula_term_is_the_ecdf_transform():
    x = np.array([3.0, 1.0, 2.0, 2.0, 5.0, 4.0, 2.0])
    np.testing.assert_allclose(copula_term(x), _literal_copula(x), atol=1e-14)


@pytest.fixture(scope="module")
def ecsi_copula():
    fit = estimate_pls(mobi(), ecsi_model())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CopulaWarning)
        res = gaussian_copula(fit, "Satisfaction", regressors=["Image", "Quality"], n_boot=40,
                              seed=3)
    return fit, res


def test_copula_regression_is_ols_on_the_scores(ecsi_copula):
    fit, res = ecsi_copula
    sc = fit.scores
    preds = ["Image", "Expectation", "Quality", "Value"]
    for chosen in (["Image"], ["Quality"], ["Image", "Quality"]):
        x = np.column_stack([np.ones(len(sc))] + [sc[p] for p in preds]
                            + [_literal_copula(sc[c].to_numpy()) for c in chosen])
        beta = np.linalg.lstsq(x, sc["Satisfaction"], rcond=None)[0][1:]
        label = "copula(" + ", ".join(chosen) + ")"
        got = res.table[res.table.copulas == label].set_index("term")["estimate"]
        want = [f"{p} -> Satisfaction" for p in preds] + [f"copula({c})" for c in chosen]
        np.testing.assert_allclose(got.loc[want], beta, atol=1e-10)
    assert len(set(res.table.copulas)) == 3  # every non-empty subset
    base = res.settings["paths_without_copula"]
    assert base["Quality -> Satisfaction"] == pytest.approx(
        fit.path_coefficients.loc["Quality", "Satisfaction"], abs=1e-10)


def test_copula_bootstrap_draw_is_the_reestimated_resample(ecsi_copula):
    fit, res = ecsi_copula
    data = mobi()
    rows = np.random.default_rng(3).integers(0, len(data), size=(40, len(data)))[0]
    again = estimate_pls(data.iloc[rows].reset_index(drop=True), ecsi_model())
    sc = again.scores
    preds = ["Image", "Expectation", "Quality", "Value"]
    x = np.column_stack([np.ones(len(sc))] + [sc[p] for p in preds]
                        + [_literal_copula(sc["Image"].to_numpy())])
    beta = np.linalg.lstsq(x, sc["Satisfaction"], rcond=None)[0][1:]
    np.testing.assert_allclose(res.draws["copula(Image)"].iloc[0], beta, atol=1e-9)


def test_copula_detects_a_simulated_endogenous_regressor():
    """Park & Gupta's data-generating process: (xi, e) bivariate normal with correlation 0.5,
    the regressor a non-normal (exponential) transform of xi, the error e."""
    rng = np.random.default_rng(12)
    n = 600
    xi, u = rng.normal(size=(2, n))
    err = 0.5 * xi + np.sqrt(1 - 0.25) * u
    x = stats.expon.ppf(stats.norm.cdf(xi))  # endogenous: its copula is correlated with err
    data = pd.DataFrame({"x": x, "w": rng.normal(size=n), "y": 0.3 * x + err})
    model = Model([single_item("X", "x"), single_item("W", "w"), single_item("Y", "y")],
                  relationships(paths(["X", "W"], "Y")))
    fit = estimate_pls(data, model)
    res = gaussian_copula(fit, "Y", regressors=["X"], n_boot=300, seed=1)
    row = res.table.set_index("term").loc["copula(X)"]
    assert row["p"] < 0.01 and res.endogenous() == ["X"]
    exo = data.assign(y=0.3 * x + u)  # the same regressor, an independent error
    res2 = gaussian_copula(estimate_pls(exo, model), "Y", regressors=["X"], n_boot=300, seed=1)
    assert res2.table.set_index("term").loc["copula(X)", "p"] > 0.05


def test_copula_refusals_and_normality_warning():
    data = mobi()
    fit = estimate_pls(data, ecsi_model())
    with pytest.raises(ModelSpecificationError, match="exogenous"):
        gaussian_copula(fit, "Image", n_boot=5, seed=1)
    with pytest.raises(ModelSpecificationError, match="not predictors of 'Satisfaction'"):
        gaussian_copula(fit, "Satisfaction", regressors=["Loyalty"], n_boot=5, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plsc = estimate_pls(data, ecsi_model(reflective=True))
    with pytest.raises(ModelSpecificationError, match="consistent=False"):
        gaussian_copula(plsc, "Satisfaction", n_boot=5, seed=1)
    rng = np.random.default_rng(1)
    normal = pd.DataFrame({"x": rng.normal(size=300), "y": rng.normal(size=300)})
    model = Model([single_item("X", "x"), single_item("Y", "y")],
                  relationships(paths("X", "Y")))
    with pytest.warns(CopulaWarning, match="normality"):
        gaussian_copula(estimate_pls(normal, model), "Y", n_boot=20, seed=1)
    binary = normal.assign(x=(normal.x > 0).astype(float))
    with pytest.raises(ModelSpecificationError, match="fewer than three distinct values"):
        gaussian_copula(estimate_pls(binary, model), "Y", n_boot=5, seed=1)


# --- NCA -----------------------------------------------------------------------------------


def _step_zone_by_loops(x, y):
    """CE-FDH on integer x: c(k) = max{y_i : x_i <= k} on each unit interval [k, k + 1)."""
    x0, x1, y1 = int(min(x)), int(max(x)), max(y)
    zone = 0.0
    for k in range(x0, x1):
        ceiling_k = max(yi for xi, yi in zip(x, y, strict=True) if xi <= k)
        zone += y1 - ceiling_k
    return zone


def _peers_by_loops(x, y):
    out = []
    for i in range(len(x)):
        dominated = any((x[j] <= x[i] and y[j] >= y[i]) and (x[j], y[j]) != (x[i], y[i])
                        for j in range(len(x)))
        if not dominated:
            out.append(i)
    return out


@pytest.fixture(scope="module")
def necessity():
    """x is necessary for y: y <= x + noise-free ceiling, filled below it."""
    rng = np.random.default_rng(4)
    x = rng.integers(1, 11, 120).astype(float)
    y = np.floor(rng.uniform(0, 1, 120) * (x + 1)).astype(float)
    return pd.DataFrame({"x": x, "y": y})


def test_ce_fdh_is_the_step_function(necessity):
    x, y = necessity.x.to_numpy(), necessity.y.to_numpy()
    line = ceiling(x, y, "ce_fdh")
    assert line["zone"] == pytest.approx(_step_zone_by_loops(list(x), list(y)), abs=1e-12)
    scope = (x.max() - x.min()) * (y.max() - y.min())
    assert line["d"] == pytest.approx(line["zone"] / scope)
    assert line["accuracy"] == 1.0


def test_cr_fdh_is_the_ols_line_through_the_peers(necessity):
    x, y = necessity.x.to_numpy(), necessity.y.to_numpy()
    idx = _peers_by_loops(list(x), list(y))  # duplicates of a peer are peers (NCA's p_peers)
    assert sorted(idx) == sorted(ceiling(x, y, "cr_fdh")["peers"])
    slope, intercept = np.polyfit(x[idx], y[idx], 1)
    line = ceiling(x, y, "cr_fdh")
    assert line["slope"] == pytest.approx(slope, abs=1e-12)
    assert line["intercept"] == pytest.approx(intercept, abs=1e-12)
    grid = np.linspace(x.min(), x.max(), 400001)
    c = np.clip(intercept + slope * grid, y.min(), y.max())
    zone = np.trapezoid(y.max() - c, grid)
    assert line["zone"] == pytest.approx(zone, rel=1e-6)
    assert line["accuracy"] == pytest.approx(np.mean(y <= intercept + slope * x + 1e-12))


@pytest.mark.parametrize("slope,intercept,zone", [(2 / 3, 4, 4 / 3), (0, 3, 15), (0, 5, 5),
                                                   (4 / 3, 0, 8), (2 / 3, 0, 17), (0, 0, 20)])
def test_line_zone_matches_the_nca_packages_documented_values(slope, intercept, zone):
    """The ceiling zone of a straight ceiling in the scope x 1..6, y 2..6 (area 20): the values
    the NCA R package (5.0.1) asserts for its p_ceiling in tests/testthat/test.p_ceiling.R
    (upper-left corner; the cases it marks NaN, lines outside the scope, are left out)."""
    from helpers.pls.nca import _line_zone

    assert _line_zone(intercept, slope, 1, 6, 2, 6) == pytest.approx(zone, abs=1e-12)


NCA_EXAMPLE = pd.DataFrame({  # the NCA R package's nca.example (28 countries), read from its
    # data/nca.example.RData (CRAN NCA 5.0.1): Individualism, Risk taking, Innovation performance
    "Individualism": [90, 55, 75, 80, 58, 74, 63, 71, 67, 35, 80, 70, 76, 46, 30, 80, 79, 69,
                      60, 27, 52, 18, 51, 71, 68, 37, 89, 91],
    "Risk taking": [84, 65, 41, 87, 61, 112, 76, 49, 70, 23, 53, 100, 60, 43, 53, 82, 86, 85,
                    42, 31, 84, 50, 49, 106, 77, 50, 100, 89],
    "Innovation performance": [50.9, 52.4, 75.1, 81.4, 14.5, 116.3, 173.1, 77.6, 109.5, 12.0,
                               5.4, 62.3, 19.7, 171.6, 1.2, 68.7, 14.9, 75.1, 3.5, 11.1, 3.5,
                               42.3, 17.3, 184.9, 149.7, 1.4, 79.4, 214.4]})


def test_nca_example_by_the_step_function_loop():
    """NCA's own example data: CE-FDH by the explicit step-function loop (Individualism is
    integer-valued), CR-FDH by OLS through the loop's peers."""
    x = NCA_EXAMPLE["Individualism"].to_numpy(float)
    y = NCA_EXAMPLE["Innovation performance"].to_numpy()
    res = nca(NCA_EXAMPLE, ["Individualism", "Risk taking"], "Innovation performance",
              n_perm=0).table.set_index(["condition", "ceiling"])
    scope = (x.max() - x.min()) * (y.max() - y.min())
    assert res.loc[("Individualism", "ce_fdh"), "d"] == pytest.approx(
        _step_zone_by_loops(list(x), list(y)) / scope, abs=1e-12)
    idx = _peers_by_loops(list(x), list(y))
    slope, intercept = np.polyfit(x[idx], y[idx], 1)
    assert res.loc[("Individualism", "cr_fdh"), "slope"] == pytest.approx(slope, abs=1e-12)
    assert res.loc[("Individualism", "cr_fdh"), "intercept"] == pytest.approx(intercept,
                                                                             abs=1e-10)


def test_permutation_test_is_a_loop_over_the_same_shuffles(necessity):
    res = nca(necessity, "x", "y", n_perm=200, seed=7)
    y = necessity.y.to_numpy()
    perm = np.random.default_rng(7).permuted(np.tile(y, (200, 1)), axis=1)
    x = necessity.x.to_numpy()
    for k in range(0, 200, 37):
        zone = _step_zone_by_loops(list(x), list(perm[k]))
        d = zone / ((x.max() - x.min()) * (perm[k].max() - perm[k].min()))
        assert res.permutation_d["x / ce_fdh"][k] == pytest.approx(d, abs=1e-12)
    table = res.table.set_index("ceiling")
    d_star = res.permutation_d["x / ce_fdh"]
    assert table.loc["ce_fdh", "p"] == pytest.approx(np.mean(d_star >= table.loc["ce_fdh", "d"]
                                                             - 1e-12))
    assert table.loc["ce_fdh", "p"] < 0.01 and table.loc["ce_fdh", "d"] > 0.1
    unrelated = necessity.assign(y=np.random.default_rng(2).permutation(y) * 0
                                 + np.random.default_rng(3).integers(0, 11, len(y)))
    weak = nca(unrelated, "x", "y", n_perm=200, seed=7).table.set_index("ceiling")
    assert weak.loc["ce_fdh", "p"] > 0.05


def test_bottlenecks_and_refusals(necessity):
    res = nca(necessity, ["x"], "y", n_perm=0)
    bn = res.bottlenecks["ce_fdh"]["x"]
    assert np.isnan(bn.loc[0])  # the lowest outcome needs nothing
    x, y = necessity.x.to_numpy(), necessity.y.to_numpy()
    target = y.min() + 0.5 * (y.max() - y.min())
    need = min(xi for xi, yi in zip(x, y, strict=True) if yi >= target)
    assert bn.loc[50] == pytest.approx(100 * (need - x.min()) / (x.max() - x.min()))
    with pytest.raises(ModelSpecificationError, match="constant condition"):
        nca(necessity.assign(x=1.0), "x", "y", n_perm=0)
    with pytest.raises(ModelSpecificationError, match="not in the data"):
        nca(necessity, "z", "y", n_perm=0)


def test_nca_on_construct_scores_runs_for_a_fit():
    fit = estimate_pls(mobi(), ecsi_model())
    res = nca(fit.scores, ["Image", "Quality"], "Satisfaction", n_perm=50, seed=1)
    assert set(res.table.ceiling) == {"ce_fdh", "cr_fdh"} and (res.table.d > 0).all()
    model = Model([composite("A", ["IMAG1", "IMAG2"]), single_item("B", "CUSA1")],
                  relationships(paths("A", "B")))
    assert estimate_pls(mobi(), model).scores.shape[1] == 2
