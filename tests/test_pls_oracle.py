"""The PLS engine against the PyPI package seminr 0.2.1 (a test-only oracle) where the R reference
does not reach: Mode B constructs, the factorial scheme, missing data, and their bootstraps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import bootstrap_model, estimate_pls
from tests.pls_fixtures import (
    assert_frame_close,
    corp_model,
    corp_model_seminr,
    corp_rep,
    ecsi_model,
    ecsi_model_seminr,
    mobi,
    named,
    seminr_module,
)

TOL = 1e-10
s = seminr_module()
from seminr.bootstrap.summarize import summarize_pls_boot  # noqa: E402

SCHEMES = {"path": s.path_weighting, "factorial": s.path_factorial}
MISSING = {"mean": s.mean_replacement, "listwise": s.na_omit}


def mobi_with_holes(seed: int = 7, share: float = 0.04) -> pd.DataFrame:
    """mobi with a seeded share of cells blanked (a test fixture, not study data)."""
    data = mobi().astype(float)
    rng = np.random.default_rng(seed)
    mask = rng.random(data.shape) < share
    return data.mask(mask)


CASES = {
    "corp_modeB_path_mean": (corp_rep, corp_model, corp_model_seminr, "path", "mean"),
    "corp_modeB_factorial_listwise": (corp_rep, corp_model, corp_model_seminr, "factorial",
                                      "listwise"),
    "mobi_factorial": (mobi, ecsi_model, ecsi_model_seminr, "factorial", "mean"),
    "mobi_holes_mean": (mobi_with_holes, ecsi_model, ecsi_model_seminr, "path", "mean"),
    "mobi_holes_listwise_modeB": (
        mobi_with_holes,
        lambda: ecsi_model({"Quality": "B", "Loyalty": "B"}),
        lambda: ecsi_model_seminr({"Quality": "B", "Loyalty": "B"}),
        "factorial", "listwise"),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def pair(request):
    data_fn, model_fn, seminr_fn, scheme, missing = CASES[request.param]
    data = data_fn()
    fit = estimate_pls(data, model_fn(), inner_weighting=scheme, missing=missing)
    mm, sm = seminr_fn()
    oracle = s.estimate_pls(data, mm, sm, inner_weights=SCHEMES[scheme],
                            missing=MISSING[missing])
    return data, fit, oracle


def test_estimates_match_seminr(pair):
    _, fit, oracle = pair
    assert fit.iterations == oracle.iterations
    assert_frame_close(fit.outer_weights, named(oracle.outer_weights), TOL)
    assert_frame_close(fit.loadings, named(oracle.outer_loadings), TOL)
    assert_frame_close(fit.path_coefficients, named(oracle.path_coef), TOL)
    rsq = named(oracle.r_squared).T.rename(columns={"Rsq": "r2", "AdjRsq": "adj_r2"})
    assert_frame_close(fit.r_squared, rsq, TOL)
    scores = named(oracle.construct_scores)
    np.testing.assert_allclose(fit.scores[scores.columns].to_numpy(), scores.to_numpy(),
                               atol=TOL, rtol=0)


def test_quality_matches_seminr(pair):
    _, fit, oracle = pair
    rel = named(s.reliability_table(oracle)).rename(columns={"rhoA": "rho_A", "rhoC": "rho_C"})
    assert_frame_close(fit.reliability, rel, TOL)
    assert_frame_close(fit.htmt, named(s.htmt(oracle)), TOL)
    f2 = named(s.model_fsquares(oracle))
    ours = fit.f_squared.where(fit.path_coefficients != 0, 0.0)
    assert_frame_close(ours, f2, TOL)


def test_missing_report_counts(pair):
    data, fit, _ = pair
    items = fit.layout.items
    assert fit.missing_report["n_missing"].to_dict() == data[list(items)].isna().sum().to_dict()
    complete = int(data[list(items)].notna().all(axis=1).sum())
    if fit.missing == "listwise":
        assert fit.n_obs == complete < len(data)
        assert fit.settings["rows_dropped"] == len(data) - complete
    else:
        assert fit.n_obs == len(data)
        assert fit.settings["cells_replaced"] == int(data[list(items)].isna().sum().sum())


_COLUMNS = {"Original Est.": "estimate", "Bootstrap Mean": "mean", "Bootstrap SD": "sd",
            "T Stat.": "t", "2.5% CI": "pct_lo", "97.5% CI": "pct_hi",
            "Bootstrap P Val": "p_boot"}


@pytest.mark.parametrize("case", ["corp_modeB_path_mean", "mobi_holes_listwise_modeB"])
def test_bootstrap_matches_seminr(case):
    """Same resamples in both programs; missing-data treatment redone in every resample."""
    data_fn, model_fn, seminr_fn, scheme, missing = CASES[case]
    data = data_fn()
    fit = estimate_pls(data, model_fn(), inner_weighting=scheme, missing=missing)
    mm, sm = seminr_fn()
    oracle = s.estimate_pls(data, mm, sm, inner_weights=SCHEMES[scheme],
                            missing=MISSING[missing])
    indices = np.random.default_rng(11).integers(0, len(data), size=(30, len(data)))
    ours = bootstrap_model(fit, indices=indices, bca=False)
    theirs = summarize_pls_boot(s.bootstrap_model(oracle, indices=indices))
    assert ours.n_failed == 0
    for mine, attr in [("paths", "bootstrapped_paths"), ("weights", "bootstrapped_weights"),
                       ("loadings", "bootstrapped_loadings"), ("htmt", "bootstrapped_htmt"),
                       ("total_effects", "bootstrapped_total_paths")]:
        ref = named(getattr(theirs, attr)).rename(columns=_COLUMNS)
        ref.index = [label.replace("  ->  ", " -> ") for label in ref.index]
        table = getattr(ours, mine)
        assert sorted(table.index) == sorted(ref.index), mine
        assert_frame_close(table, ref[list(_COLUMNS.values())], TOL)
