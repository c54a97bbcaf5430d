"""predict for new data (fit.predict / predict_new) against PyPI seminr 0.2.1's predict()
(a test-only oracle; its direct out-of-sample prediction, seminr's predict.seminr_model),
composites and PLSc, DA and EA; and against the cross-validated predictions of predict_pls
(a model re-fitted on the training rows must predict the held-out rows identically)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import ModelSpecificationError, estimate_pls, predict_pls
from helpers.pls.newdata import predict_new
from tests.pls_fixtures import ecsi_model, ecsi_model_seminr, mobi, seminr_module

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
