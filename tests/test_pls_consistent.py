"""Consistent PLS (PLSc): against PyPI seminr 0.2.1 (a test-only oracle) on mobi and the
corporate-reputation data, its bootstrap with replayed resamples, properties, and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.pls import (
    BootstrapWarning,
    Model,
    ModelSpecificationError,
    PLScInadmissibleWarning,
    bootstrap_model,
    composite,
    estimate_pls,
    paths,
    reflective,
    relationships,
    single_item,
)
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

TOL = 1e-8
s = seminr_module()
from seminr.bootstrap.summarize import summarize_pls_boot  # noqa: E402

CASES = {
    "mobi": (mobi, lambda: ecsi_model(reflective=True),
             lambda: ecsi_model_seminr(reflective=True)),
    "mobi_modeB_value": (mobi, lambda: ecsi_model({"Value": "B"}, reflective=True),
                         lambda: ecsi_model_seminr({"Value": "B"}, reflective=True)),
    "corp_rep_modeB_drivers": (corp_rep, lambda: corp_model(reflective=True),
                               lambda: corp_model_seminr(reflective=True)),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def pair(request):
    data_fn, model_fn, seminr_fn = CASES[request.param]
    data = data_fn()
    fit = estimate_pls(data, model_fn())
    mm, sm = seminr_fn()
    return data, fit, s.estimate_pls(data, mm, sm)


def test_plsc_matches_seminr(pair):
    _, fit, oracle = pair
    assert fit.admissible and fit.settings["admissible"]
    assert fit.settings["consistent"].startswith("PLSc on")
    assert_frame_close(fit.path_coefficients, named(oracle.path_coef), TOL)
    assert_frame_close(fit.loadings, named(oracle.outer_loadings), TOL)
    assert_frame_close(fit.outer_weights, named(oracle.outer_weights), TOL)
    rsq = named(oracle.r_squared).T.rename(columns={"Rsq": "r2", "AdjRsq": "adj_r2"})
    assert_frame_close(fit.r_squared, rsq, TOL)
    rel = named(s.reliability_table(oracle)).rename(columns={"rhoA": "rho_A", "rhoC": "rho_C"})
    assert_frame_close(fit.reliability, rel, TOL)
    f2 = named(s.model_fsquares(oracle))
    assert_frame_close(fit.f_squared.where(fit.path_coefficients != 0, 0.0), f2, TOL)


def test_plsc_differs_from_plain_pls_and_disattenuates(pair):
    data, fit, _ = pair
    plain = estimate_pls(data, fit.model, consistent=False)
    assert plain.settings["consistent"].startswith("no correction")
    np.testing.assert_allclose(plain.outer_weights, fit.outer_weights, atol=1e-12)
    # corrected correlations are the score correlations over sqrt(rho_i rho_j)
    rho = fit.rho_a.to_numpy()
    expected = plain.construct_correlations.to_numpy() / np.sqrt(np.outer(rho, rho))
    np.fill_diagonal(expected, 1.0)
    np.testing.assert_allclose(fit.construct_correlations, expected, atol=1e-12)
    assert (fit.rho_a[[c.name for c in fit.model.constructs if not c.is_reflective]] == 1).all()
    assert not np.allclose(plain.path_coefficients, fit.path_coefficients, atol=1e-3)


def _boot_tables(ours, theirs):
    columns = {"Original Est.": "estimate", "Bootstrap Mean": "mean", "Bootstrap SD": "sd",
               "T Stat.": "t", "2.5% CI": "pct_lo", "97.5% CI": "pct_hi",
               "Bootstrap P Val": "p_boot"}
    for mine, attr in [("paths", "bootstrapped_paths"), ("weights", "bootstrapped_weights"),
                       ("loadings", "bootstrapped_loadings"),
                       ("total_effects", "bootstrapped_total_paths")]:
        ref = named(getattr(theirs, attr)).rename(columns=columns)
        ref.index = [label.replace("  ->  ", " -> ") for label in ref.index]
        yield mine, getattr(ours, mine), ref[list(columns.values())]


@pytest.mark.parametrize("case", ["mobi", "corp_rep_modeB_drivers"])
def test_plsc_bootstrap_matches_seminr_on_its_resamples(case):
    """Every resample corrected; inadmissible resamples are counted as failed, and on the
    admissible ones both programs agree."""
    data_fn, model_fn, seminr_fn = CASES[case]
    data = data_fn()
    fit = estimate_pls(data, model_fn())
    indices = np.random.default_rng(5).integers(0, len(data), size=(40, len(data)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BootstrapWarning)
        all_draws = bootstrap_model(fit, indices=indices, bca=False)
    assert all_draws.n_failed == all_draws.n_inadmissible  # nothing else goes wrong here
    assert all_draws.settings["n_inadmissible"] == all_draws.n_inadmissible
    if case == "mobi":  # Expectation's rho_A is 0.46: some resamples lose admissibility
        assert all_draws.n_inadmissible > 0
    keep = indices[~all_draws.failed]
    ours = bootstrap_model(fit, indices=keep, bca=False)
    assert ours.n_failed == 0
    mm, sm = seminr_fn()
    theirs = summarize_pls_boot(s.bootstrap_model(s.estimate_pls(data, mm, sm), indices=keep))
    for name, mine, ref in _boot_tables(ours, theirs):
        assert sorted(mine.index) == sorted(ref.index), name
        assert_frame_close(mine, ref, TOL)


def test_inadmissible_resamples_are_reported_not_dropped():
    fit = estimate_pls(mobi(), ecsi_model(reflective=True))
    indices = np.random.default_rng(5).integers(0, 250, size=(40, 250))
    with pytest.warns(BootstrapWarning, match="inadmissible"):
        boot = bootstrap_model(fit, indices=indices, bca=False)
    assert boot.n_boot == 40 and boot.settings["n_ok"] == 40 - boot.n_failed
    assert boot.inadmissible.sum() == boot.n_inadmissible > 0
    assert (boot.failed >= boot.inadmissible).all()
    # the draws of failed resamples stay available for inspection
    assert len(boot.draws["paths"]) == 40


def test_plsc_bootstrap_with_bca_runs_corrected_jackknife():
    fit = estimate_pls(mobi(), ecsi_model(reflective=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BootstrapWarning)
        boot = bootstrap_model(fit, n_boot=200, seed=1)
    row = boot.paths.loc["Image -> Expectation"]
    assert row["estimate"] == pytest.approx(fit.path_coefficients.loc["Image", "Expectation"])
    assert row["bca_lo"] < row["estimate"] < row["bca_hi"]
    assert "PLSc" in boot.settings["consistent"]


def _factor_data(seed: int, n: int, beta: float, loading: float) -> pd.DataFrame:
    """Two common factors F1 -> F2 (path ``beta``), three reflective indicators each with the
    same loading (a test fixture)."""
    rng = np.random.default_rng(seed)
    f1 = rng.normal(size=n)
    f2 = beta * f1 + np.sqrt(1 - beta**2) * rng.normal(size=n)
    noise = np.sqrt(1 - loading**2)
    cols = {f"x{k}": loading * f1 + noise * rng.normal(size=n) for k in range(1, 4)}
    cols |= {f"y{k}": loading * f2 + noise * rng.normal(size=n) for k in range(1, 4)}
    return pd.DataFrame(cols)


TWO = Model([reflective("F1", ["x1", "x2", "x3"]), reflective("F2", ["y1", "y2", "y3"])],
            relationships(paths("F1", "F2")))


def test_plsc_recovers_a_known_path_that_pls_attenuates():
    data = _factor_data(3, 20_000, beta=0.5, loading=0.7)
    plsc = estimate_pls(data, TWO).path_coefficients.loc["F1", "F2"]
    plain = estimate_pls(data, TWO, consistent=False).path_coefficients.loc["F1", "F2"]
    assert plsc == pytest.approx(0.5, abs=0.02)
    assert plain < 0.45  # attenuated by the composites' measurement error
    loadings = estimate_pls(data, TWO).loadings
    assert loadings.loc["x1", "F1"] == pytest.approx(0.7, abs=0.02)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), beta=st.floats(0.1, 0.8), loading=st.floats(0.6, 0.95))
def test_two_construct_path_is_the_disattenuated_correlation(seed, beta, loading):
    data = _factor_data(seed, 150, beta, loading)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PLScInadmissibleWarning)
        fit = estimate_pls(data, TWO)
    plain = estimate_pls(data, TWO, consistent=False)
    rho = fit.rho_a
    if fit.admissible:
        expected = plain.path_coefficients.loc["F1", "F2"] / np.sqrt(rho["F1"] * rho["F2"])
        assert fit.path_coefficients.loc["F1", "F2"] == pytest.approx(expected, abs=1e-12)
        assert fit.r_squared.loc["F2", "r2"] == pytest.approx(expected**2, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_plsc_equals_plain_pls_when_every_construct_is_single_item(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(80, 3)) @ np.array([[1, 0.5, 0.3], [0, 1, 0.4], [0, 0, 1]])
    data = pd.DataFrame(x, columns=["a", "b", "c"])
    model = Model([single_item("A", "a"), single_item("B", "b"), single_item("C", "c")],
                  relationships(paths("A", ["B", "C"]), paths("B", "C")))
    as_reflective = model.as_reflective()  # nothing to declare: every construct is one item
    assert as_reflective.reflective_constructs == []
    fit, plain = estimate_pls(data, as_reflective), estimate_pls(data, model, consistent=False)
    for table in ("path_coefficients", "loadings", "r_squared", "total_effects"):
        np.testing.assert_allclose(getattr(fit, table), getattr(plain, table), atol=1e-13)
    assert (fit.rho_a == 1).all()


def test_reflective_needs_two_indicators_and_mode_a():
    with pytest.raises(ModelSpecificationError, match="at least two indicators"):
        reflective("Image", ["IMAG1"])
    model = Model([composite("A", ["a1", "a2"], mode="B"), single_item("S", "s")],
                  relationships(paths("A", "S")))
    with pytest.raises(ModelSpecificationError, match="Mode A"):
        model.as_reflective(["A"])
    with pytest.raises(ModelSpecificationError, match="at least two indicators"):
        model.as_reflective(["S"])
    with pytest.raises(ModelSpecificationError, match="not in the model"):
        model.as_reflective(["Nope"])


def test_inadmissible_full_sample_fit_warns_and_says_why():
    rng = np.random.default_rng(0)
    f = rng.normal(size=300)
    u = rng.normal(size=300)  # a1 and a2 both follow f but are negatively correlated
    data = pd.DataFrame({"a1": 0.5 * f + u, "a2": 0.5 * f - u, "b1": f + rng.normal(size=300),
                         "b2": f + rng.normal(size=300)})
    model = Model([reflective("A", ["a1", "a2"]), reflective("B", ["b1", "b2"])],
                  relationships(paths("A", "B")))
    with pytest.warns(PLScInadmissibleWarning, match="rho_A of 'A'"):
        fit = estimate_pls(data, model)
    assert not fit.admissible and fit.settings["admissible"] is False
    assert fit.rho_a["A"] <= 0
    assert estimate_pls(data, model, consistent=False).admissible


def test_inadmissible_choice_ignore_reproduces_seminr_and_replace_refills():
    """seminr keeps resamples with an inadmissible correction where their estimates are finite
    (it drops those with a negative rho_A): inadmissible='ignore' on the same 40 resamples gives
    seminr's summaries; 'replace' ends with n_boot admissible resamples."""
    data = mobi()
    fit = estimate_pls(data, ecsi_model(reflective=True))
    indices = np.random.default_rng(5).integers(0, len(data), size=(40, len(data)))
    with pytest.warns(BootstrapWarning, match="KEPT"):
        ours = bootstrap_model(fit, indices=indices, bca=False, inadmissible="ignore")
    assert ours.settings["inadmissible"] == "ignore"
    assert ours.n_inadmissible > ours.n_failed  # some inadmissible resamples are kept
    mm, sm = ecsi_model_seminr(reflective=True)
    raw = s.bootstrap_model(s.estimate_pls(data, mm, sm), indices=indices)
    assert raw.fails == ours.n_failed
    for name, mine, ref in _boot_tables(ours, summarize_pls_boot(raw)):
        assert sorted(mine.index) == sorted(ref.index), name
        assert_frame_close(mine, ref, TOL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BootstrapWarning)
        replaced = bootstrap_model(fit, n_boot=40, seed=5, bca=False, inadmissible="replace")
    assert replaced.n_inadmissible == 0 and replaced.n_failed == 0
    assert replaced.settings["n_drawn"] == 40 + replaced.settings["n_inadmissible_drawn"]
    assert replaced.settings["n_inadmissible_drawn"] > 0
    with pytest.raises(ValueError, match="not indices"):
        bootstrap_model(fit, indices=indices, inadmissible="replace")
    with pytest.raises(ValueError, match="inadmissible must be"):
        bootstrap_model(fit, n_boot=10, seed=1, inadmissible="keep")
