"""Reporting conventions as named options: with conventions="seminr" the engine reproduces PyPI
seminr 0.2.1 (test-only oracle) where their defaults differ — Fornell-Larcker and inner VIF of
PLSc models from the construct scores' correlations, rho_A of an interaction term reported as
1 — and with the engine's convention it keeps its own numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import Model, estimate_pls, interaction, paths
from helpers.pls.admissibility import PLSAdmissibilityWarning
from helpers.pls.conventions import resolve
from tests.pls_fixtures import (
    ECSI_STRUCTURE,
    assert_frame_close,
    ecsi_model,
    ecsi_model_seminr,
    mobi,
    named,
    seminr_module,
)

s = seminr_module()
from seminr.evaluate.constructs_in_model import constructs_in_model  # noqa: E402
from seminr.evaluate.validity import fl_criteria_table, pls_antecedent_vifs  # noqa: E402


@pytest.fixture(scope="module")
def plsc():
    """The all-reflective ECSI model: its corrected construct correlation matrix is not
    positive definite (smallest eigenvalue -0.003), which the admissibility check reports."""
    data = mobi()
    mm, sm = ecsi_model_seminr(reflective=True)
    oracle = s.estimate_pls(data, mm, sm)
    with pytest.warns(PLSAdmissibilityWarning, match="construct correlations positive"):
        engine = estimate_pls(data, ecsi_model(reflective=True))
    with pytest.warns(PLSAdmissibilityWarning):
        seminr_conv = estimate_pls(data, ecsi_model(reflective=True), conventions="seminr")
    assert engine.admissibility.loc["loadings within [-1, 1]", "ok"]
    return engine, seminr_conv, oracle


def _vif_frame(vifs: dict, names) -> pd.DataFrame:
    out = pd.DataFrame(np.nan, index=names, columns=names)
    for target, row in vifs.items():
        for source, value in row.items():
            out.loc[source, target] = value
    return out


def test_seminr_convention_reproduces_seminr(plsc):
    engine, seminr_conv, oracle = plsc
    mc = constructs_in_model(oracle)
    assert_frame_close(seminr_conv.fornell_larcker, named(fl_criteria_table(oracle, mc)), 1e-8)
    theirs = _vif_frame(pls_antecedent_vifs(oracle, mc), list(engine.layout.constructs))
    # seminr leaves out constructs with a single predictor (VIF 1 here)
    ours = seminr_conv.inner_vif.where(theirs.notna())
    assert_frame_close(ours, theirs, 1e-8)
    assert theirs.notna().sum().sum() >= 8
    # Image -> Satisfaction: seminr 2.37 from the score correlations, the engine 7.73 from the
    # corrected correlations (attenuation removed, the predictors are far more collinear)
    assert theirs.loc["Image", "Satisfaction"] == pytest.approx(2.372, abs=1e-3)
    assert engine.inner_vif.loc["Image", "Satisfaction"] == pytest.approx(7.730, abs=1e-3)
    # the estimates themselves do not depend on the reporting convention
    assert_frame_close(seminr_conv.path_coefficients, engine.path_coefficients, 0)
    assert seminr_conv.settings["conventions"].startswith("seminr")
    assert engine.settings["conventions"].startswith("engine")


def test_engine_convention_uses_corrected_correlations(plsc):
    engine, _, _ = plsc
    c = engine.construct_correlations.to_numpy()
    fl = engine.fornell_larcker.to_numpy()
    low = np.tril_indices(c.shape[0], -1)
    np.testing.assert_allclose(fl[low], c[low], atol=1e-14)
    p = [engine.layout.constructs.index(x) for x in
         ("Image", "Expectation", "Quality", "Value")]
    vif = np.diag(np.linalg.inv(c[np.ix_(p, p)]))
    assert engine.inner_vif.loc["Image", "Satisfaction"] == pytest.approx(vif[0], rel=1e-12)


def test_interaction_rho_a_convention():
    data = mobi()
    model = Model(list(ecsi_model().constructs) + [interaction("Image", "Expectation",
                                                               "product_indicator")],
                  list(ECSI_STRUCTURE) + paths("Image*Expectation", "Satisfaction"))
    ours = estimate_pls(data, model)
    seminr_conv = estimate_pls(data, model, conventions={"interaction_rho_a": "one"})
    mm, sm = ecsi_model_seminr()
    mm = s.constructs(*mm, s.interaction_term(iv="Image", moderator="Expectation",
                                              method=s.product_indicator))
    sm = list(sm) + list(s.paths(from_="Image*Expectation", to="Satisfaction"))
    rel = named(s.reliability_table(s.estimate_pls(data, mm, sm)))
    assert rel.loc["Image*Expectation", "rhoA"] == 1.0
    assert seminr_conv.reliability.loc["Image*Expectation", "rho_A"] == 1.0
    assert ours.reliability.loc["Image*Expectation", "rho_A"] != pytest.approx(1.0)
    others = [c for c in rel.index if c != "Image*Expectation"]
    np.testing.assert_allclose(seminr_conv.reliability.loc[others, "rho_A"],
                               rel.loc[others, "rhoA"], atol=1e-8)


def test_resolve_errors():
    assert resolve({"inner_vif": "scores"})["fornell_larcker"] == "corrected"
    with pytest.raises(ValueError, match="presets"):
        resolve("smartpls")
    with pytest.raises(ValueError, match="options are"):
        resolve({"htmt": "x"})
    with pytest.raises(ValueError, match="choose one of"):
        resolve({"inner_vif": "raw"})
