"""predict for new data (fit.predict / predict_new) against PyPI seminr 0.2.1's predict()
(a test-only oracle; its direct out-of-sample prediction, seminr's predict.seminr_model),
composites and PLSc, DA and EA; against the cross-validated predictions of predict_pls
(a model re-fitted on the training rows must predict the held-out rows identically); and, for
moderated models, against the training OLS with the product term written out, and against the
fit's own scores and paths when the training rows are predicted."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    Model,
    ModelSpecificationError,
    estimate_pls,
    interaction,
    paths,
    predict_pls,
    relationships,
    single_item,
)
from helpers.pls.newdata import predict_new
from tests.pls_fixtures import ECSI_STRUCTURE, ecsi_model, ecsi_model_seminr, mobi, seminr_module

s = seminr_module()


@pytest.mark.parametrize("reflective", [False, True])
@pytest.mark.parametrize("technique", ["DA", "EA"])
def test_matches_seminr_predict(reflective, technique):
    from seminr.estimate.data import Dataset

    data = mobi()
    train, new = data.iloc[:200], data.iloc[200:]
    fit = estimate_pls(train, ecsi_model(reflective=reflective))
    ours = predict_new(fit, new, technique=technique)
    mm, sm = ecsi_model_seminr(reflective=reflective)
    oracle = s.estimate_pls(train.reset_index(drop=True), mm, sm)
    theirs = s.predict(oracle, Dataset(tuple(new.columns), new.to_numpy(dtype=float)),
                       technique=s.predict_DA if technique == "DA" else s.predict_EA)
    items = list(theirs.predicted_items.cols)
    np.testing.assert_allclose(ours.items[items].to_numpy(),
                               np.asarray(theirs.predicted_items.values), atol=1e-9)
    cons = list(theirs.predicted_composite_scores.cols)
    np.testing.assert_allclose(ours.scores[cons].to_numpy(),
                               np.asarray(theirs.predicted_composite_scores.values), atol=1e-9)
    assert ours.metrics is not None and set(ours.metrics.index) >= {"CUSL1", "PERQ7"}


def test_equals_cross_validated_prediction_of_a_fold():
    data = mobi()
    fit = estimate_pls(data, ecsi_model())
    folds = np.arange(len(data)) % 5
    cv = predict_pls(fit, fold_matrix=folds)
    held = folds == 2
    refit = estimate_pls(data[~held], ecsi_model())
    new = predict_new(refit, data[held])
    frame = cv.predictions[cv.predictions["fold"] == 2]
    for item in ("CUSA1", "CUSL3", "PERV2"):
        rows = frame[frame["indicator"] == item]
        np.testing.assert_allclose(new.items.loc[rows["observation"], item], rows["pls"],
                                   atol=1e-9)


def test_needs_and_refusals():
    data = mobi()
    fit = estimate_pls(data.iloc[:200], ecsi_model())
    exo_only = data.iloc[200:][["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"]]
    with pytest.raises(ModelSpecificationError, match="technique='EA'"):
        predict_new(fit, exo_only)
    ea = predict_new(fit, exo_only, technique="EA")
    assert ea.residuals is None and ea.items.shape == (50, 24)
    holed = data.iloc[200:].copy()
    holed.iloc[0, holed.columns.get_loc("IMAG1")] = np.nan
    filled = predict_new(fit, holed)
    assert "1 missing cell" in filled.settings["missing"]
    with pytest.raises(ValueError, match="technique"):
        predict_new(fit, holed, technique="XX")
    with pytest.raises(TypeError):
        predict_new(fit, holed.to_numpy())
    assert isinstance(filled.tables()["prediction_metrics"], pd.DataFrame)


def _single_item_moderated(method: str, n: int = 150, seed: int = 11):
    rng = np.random.default_rng(seed)
    x, m = rng.normal(size=(2, n))
    data = pd.DataFrame({"x": 2 + x, "m": 5 * m, "y": 0.4 * x + 0.2 * m + 0.3 * x * m
                         + rng.normal(size=n)})
    model = Model([single_item("X", "x"), single_item("M", "m"), single_item("Y", "y"),
                   interaction("X", "M", method)], relationships(paths(["X", "M", "X*M"], "Y")))
    return data, model


@pytest.mark.parametrize("method", ["two_stage", "product_indicator", "orthogonal"])
def test_moderated_prediction_is_the_training_ols_with_the_product(method):
    """Independent reference: with single items the fitted model is the OLS of y on x, m and
    the product of their training z-scores (with an intercept), and every approach spans those
    columns; new rows are standardised with the training means and SDs, here by hand."""
    data, model = _single_item_moderated(method)
    train, new = data.iloc[:100], data.iloc[100:]
    fit = estimate_pls(train, model)
    got = fit.predict(new)
    mu, sd = train.mean(), train.std(ddof=1)
    zt, zn = (train - mu) / sd, (new - mu) / sd
    design = np.column_stack([np.ones(len(zt)), zt.x, zt.m, zt.x * zt.m])
    beta = np.linalg.lstsq(design, zt.y, rcond=None)[0]
    want = mu.y + sd.y * (np.column_stack([np.ones(len(zn)), zn.x, zn.m, zn.x * zn.m]) @ beta)
    np.testing.assert_allclose(got.items["y"], want, atol=1e-9)
    assert list(got.items.columns) == ["x", "m", "y"]  # generated indicators not reported
    assert got.metrics.loc["y", "rmse"] == pytest.approx(np.sqrt(np.mean((new.y - want)**2)))
    assert "training transformations" in got.settings["interactions"]["X*M"]


@pytest.mark.parametrize("reflective", [False, True])
@pytest.mark.parametrize("method", ["two_stage", "product_indicator", "orthogonal"])
def test_moderated_prediction_of_the_training_rows_reproduces_the_fit(method, reflective):
    """The training rows, predicted as new data, rebuild the fit's own generated indicators:
    the exogenous scores (the term's on its product scale) are the fit's scores, and DA gives
    the fit's scores times its paths (a literal re-computation from fit.scores; for PLSc the
    corrected paths and consistent loadings, as for unmoderated PLSc fits)."""
    data = mobi()
    model = Model(list(ecsi_model(reflective=reflective).constructs)
                  + [interaction("Image", "Expectation", method)],
                  list(ECSI_STRUCTURE) + paths("Image*Expectation", "Satisfaction"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the all-reflective ECSI fit warns (admissibility)
        fit = estimate_pls(data, model)
    assert fit.layout.consistent == reflective
    got = predict_new(fit, data)
    scores, beta = fit.scores, fit.path_coefficients
    exo = ["Image", "Image*Expectation"]
    np.testing.assert_allclose(got.scores[exo], scores[exo], atol=1e-10)
    endo = list(fit.r_squared.index)
    np.testing.assert_allclose(got.scores[endo], (scores @ beta)[endo], atol=1e-10)
    lam = fit.loadings.loc["CUSA2", "Satisfaction"]
    mean, sd = data["CUSA2"].mean(), data["CUSA2"].std(ddof=1)
    np.testing.assert_allclose(got.items["CUSA2"],
                               mean + sd * lam * (scores @ beta)["Satisfaction"], atol=1e-9)


def test_moderated_prediction_needs_both_constructs_of_a_term():
    data, model = _single_item_moderated("product_indicator")
    fit = estimate_pls(data.iloc[:100], model)
    with pytest.raises(ModelSpecificationError, match="interaction term needs"):
        predict_new(fit, data.iloc[100:][["x", "y"]])
    holed = data.iloc[100:].copy()
    holed.iloc[0, holed.columns.get_loc("m")] = np.nan
    filled = predict_new(fit, holed)
    assert "1 missing cell" in filled.settings["missing"]
    whole = holed.fillna({"m": data.iloc[:100]["m"].mean()})
    np.testing.assert_allclose(filled.items["y"], predict_new(fit, whole).items["y"], atol=1e-12)
