"""Admissibility checks on every fit (cSEM verify's list): each check re-computed in the test
with numpy from its definition, on a clean composite fit, the all-reflective ECSI model (whose
corrected construct correlation matrix has a negative eigenvalue) and estimates altered to a
Heywood case (a loading and a reliability beyond 1)."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

from helpers.pls import estimate_pls
from helpers.pls.admissibility import PLSAdmissibilityWarning, check, is_admissible
from tests.pls_fixtures import ecsi_model, mobi


def test_clean_composite_fit_passes_every_check():
    with warnings.catch_warnings():
        warnings.simplefilter("error", PLSAdmissibilityWarning)
        fit = estimate_pls(mobi(), ecsi_model())
    table = fit.admissibility
    assert is_admissible(table)
    assert table.loc["PLSc correction admissible", "ok"] is None  # not applicable
    assert "admissibility" in fit.tables()


def test_plsc_ecsi_construct_correlations_not_positive_definite():
    with pytest.warns(PLSAdmissibilityWarning, match="smallest eigenvalue"):
        fit = estimate_pls(mobi(), ecsi_model(reflective=True))
    table = fit.admissibility
    smallest = np.linalg.eigvalsh(fit.construct_correlations.to_numpy())[0]
    assert smallest < 0
    assert not table.loc["construct correlations positive semi-definite", "ok"]
    assert f"{smallest:.4g}" in table.loc["construct correlations positive semi-definite", "detail"]
    assert fit.admissible  # the PLSc correction itself is admissible
    assert not is_admissible(table)


def test_heywood_case_is_flagged():
    fit = estimate_pls(mobi(), ecsi_model())
    bad = copy.copy(fit)
    est = copy.copy(fit.estimates)
    est.loadings = fit.estimates.loadings.copy()
    i = fit.layout.items.index("CUSA1")
    j = fit.layout.constructs.index("Satisfaction")
    est.loadings[0, i, j] = 1.07
    bad.estimates = est
    table = check(bad)
    assert not table.loc["loadings within [-1, 1]", "ok"]
    assert "CUSA1 (Satisfaction) = 1.07" in table.loc["loadings within [-1, 1]", "detail"]
    # rho_C from the altered loadings: above 1 it is listed; for a composite it does not fail
    lam = est.loadings[0, fit.layout.blocks[j], j]
    rho_c = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    detail = table.loc["reliabilities at most 1", "detail"]
    assert (rho_c > 1) == ("rho_C of composite Satisfaction" in detail)
    assert table.loc["reliabilities at most 1", "ok"]


def test_reflective_reliability_above_one_fails():
    with pytest.warns(PLSAdmissibilityWarning):
        fit = estimate_pls(mobi(), ecsi_model(reflective=True))
    bad = copy.copy(fit)
    bad.corr = fit.corr.copy()
    blk = fit.layout.blocks[fit.layout.constructs.index("Value")]
    # two items correlating more than perfectly reliable items could: rho_A = r12 * (w'w)^2 ...
    bad.corr[blk[0], blk[1]] = bad.corr[blk[1], blk[0]] = 1.2
    table = check(bad)
    assert not table.loc["reliabilities at most 1", "ok"]
    assert "rho_A of Value" in table.loc["reliabilities at most 1", "detail"]
