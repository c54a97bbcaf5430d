"""Model fit (SRMR, d_ULS, d_G; saturated and estimated) and the bootstrap test of exact fit.

Independent references: (1) a literal re-computation in the test, by explicit loops over
indicator pairs, of the model-implied correlation matrix (Dijkstra & Henseler 2015: composite
blocks keep S_jj, common factors lambda lambda', between blocks lambda_i C_ij lambda_j') and of the
three distances from their definitions (SRMR over the lower triangle with the diagonal,
d_ULS = 0.5 * sum of squares, d_G from the eigenvalues of S^-1 Sigma by scipy's general
eigensolver); (2) populations that satisfy the model exactly (data built so that their sample
correlation matrix *is* a composite or a common-factor model's matrix): PLS (Mode B composites)
and PLSc recover such a population exactly, so every distance must be 0 there."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.linalg

from helpers.pls import (
    Model,
    ModelSpecificationError,
    composite,
    estimate_pls,
    interaction,
    paths,
    reflective,
    relationships,
    single_item,
)
from helpers.pls.fit import (
    ModelFitWarning,
    degrees_of_freedom,
    model_fit,
    test_exact_fit,
)
from tests.pls_fixtures import ecsi_model, mobi


def _literal_sigma(fit, structure: str) -> np.ndarray:
    """Sigma by loops from the definitions (module docstring of helpers.pls.fit)."""
    lay = fit.layout
    s = fit.corr
    names = list(lay.constructs)
    c = fit.construct_correlations.to_numpy().copy()
    if structure == "estimated":  # eta_c = sum beta eta_k + zeta, in causal order
        done = [j for j, p in enumerate(lay.predecessors) if not p]
        while len(done) < len(names):
            for j in range(len(names)):
                if j in done or not set(lay.predecessors[j]) <= set(done):
                    continue
                for k in done:
                    value = sum(fit.path_coefficients.iat[q, j] * c[q, k]
                                for q in lay.predecessors[j])
                    c[j, k] = c[k, j] = value
                done.append(j)
    owner, lam = {}, {}
    for j, blk in enumerate(lay.blocks):
        for i in blk:
            owner[i] = j
            refl = lay.reflective[j]
            lam[i] = fit.loadings.iat[i, j] if refl else sum(
                s[i, m] * fit.outer_weights.iat[m, j] for m in blk)
    p = len(lay.items)
    sigma = np.eye(p)
    for a in range(p):
        for b in range(p):
            if a == b:
                continue
            ja, jb = owner[a], owner[b]
            if ja == jb:
                sigma[a, b] = lam[a] * lam[b] if lay.reflective[ja] else s[a, b]
            else:
                sigma[a, b] = lam[a] * c[ja, jb] * lam[b]
    return sigma


def _literal_distances(s: np.ndarray, sigma: np.ndarray) -> dict[str, float]:
    p = s.shape[0]
    total, cells = 0.0, 0
    for i in range(p):
        for j in range(i + 1):
            total += (s[i, j] - sigma[i, j]) ** 2
            cells += 1
    uls = 0.5 * sum((s[i, j] - sigma[i, j]) ** 2 for i in range(p) for j in range(p))
    phi = scipy.linalg.eigvals(np.linalg.solve(s, sigma)).real
    return {"SRMR": (total / cells) ** 0.5, "d_ULS": uls,
            "d_G": 0.5 * float(np.sum(np.log(phi) ** 2))}


@pytest.fixture(scope="module")
def ecsi_fits():
    data = mobi()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"composite": estimate_pls(data, ecsi_model()),
                "plsc": estimate_pls(data, ecsi_model(reflective=True)),
                "mode_b": estimate_pls(data, ecsi_model({"Value": "B", "Image": "B"}))}


@pytest.mark.parametrize("kind", ["composite", "plsc", "mode_b"])
@pytest.mark.parametrize("structure", ["saturated", "estimated"])
def test_fit_matches_literal_recomputation(ecsi_fits, kind, structure):
    fit = ecsi_fits[kind]
    result = model_fit(fit)
    sigma = _literal_sigma(fit, structure)
    np.testing.assert_allclose(result.implied[structure].to_numpy(), sigma, atol=1e-12)
    ref = _literal_distances(fit.corr, sigma)
    for criterion, value in ref.items():
        assert result.table.loc[criterion, structure] == pytest.approx(value, rel=1e-9)


def test_estimated_model_fits_worse_than_saturated(ecsi_fits):
    for fit in ecsi_fits.values():
        t = model_fit(fit).table
        assert (t["estimated"] >= t["saturated"] - 1e-12).all()
        assert t.loc["SRMR", "saturated"] > 0.01  # real data never fit exactly


def _exact_data(sigma: np.ndarray, n: int, seed: int, names) -> pd.DataFrame:
    """n rows whose sample correlation matrix is exactly ``sigma``."""
    rng = np.random.default_rng(seed)
    raw = rng.normal(size=(n, sigma.shape[0]))
    raw -= raw.mean(axis=0)
    q, _ = np.linalg.qr(raw)  # orthonormal centred columns: identity sample covariance
    vals, vecs = np.linalg.eigh(sigma)
    x = q * np.sqrt(n - 1) @ ((vecs * np.sqrt(vals)) @ vecs.T)
    return pd.DataFrame(3 + x, columns=names)


def _chain_construct_cor(b_ab: float, b_bc: float) -> np.ndarray:
    """A -> B -> C with no direct A -> C: r_AC = b_ab * b_bc."""
    return np.array([[1, b_ab, b_ab * b_bc], [b_ab, 1, b_bc], [b_ab * b_bc, b_bc, 1.0]])


NAMES = [f"{c}{k}" for c in "abc" for k in (1, 2, 3)]
CHAIN = relationships(paths("A", "B"), paths("B", "C"))


def test_composite_population_fits_exactly():
    """Mode B composites with given weights and within-block correlations."""
    within = np.array([[1, 0.5, 0.3], [0.5, 1, 0.4], [0.3, 0.4, 1.0]])
    weights = [np.array([0.5, 0.4, 0.3]), np.array([0.2, 0.6, 0.4]), np.array([0.7, 0.1, 0.3])]
    weights = [w / np.sqrt(w @ within @ w) for w in weights]
    lam = [within @ w for w in weights]
    c = _chain_construct_cor(0.5, 0.6)
    sigma = np.eye(9)
    for i in range(3):
        for j in range(3):
            block = within if i == j else np.outer(lam[i], lam[j]) * c[i, j]
            sigma[3 * i:3 * i + 3, 3 * j:3 * j + 3] = block
    data = _exact_data(sigma, 100, 1, NAMES)
    model = Model([composite(x.upper(), [f"{x}{k}" for k in (1, 2, 3)], mode="B")
                   for x in "abc"], CHAIN)
    result = model_fit(estimate_pls(data, model))
    np.testing.assert_allclose(result.table.to_numpy(), 0.0, atol=1e-10)
    test = test_exact_fit(estimate_pls(data, model), n_boot=300, seed=3)
    assert not test.table["rejected_5pct"].any()
    assert (test.table["p_boot"] == 1.0).all()


def test_common_factor_population_fits_exactly():
    lam = [np.array([0.8, 0.7, 0.6]), np.array([0.9, 0.6, 0.7]), np.array([0.7, 0.8, 0.75])]
    c = _chain_construct_cor(0.45, 0.55)
    sigma = np.eye(9)
    for i in range(3):
        for j in range(3):
            block = np.outer(lam[i], lam[j]) * c[i, j]
            sigma[3 * i:3 * i + 3, 3 * j:3 * j + 3] = block
    np.fill_diagonal(sigma, 1.0)
    data = _exact_data(sigma, 150, 2, NAMES)
    model = Model([reflective(x.upper(), [f"{x}{k}" for k in (1, 2, 3)]) for x in "abc"], CHAIN)
    fit = estimate_pls(data, model)
    np.testing.assert_allclose(fit.loadings.to_numpy().sum(axis=1), np.concatenate(lam),
                               atol=1e-9)
    np.testing.assert_allclose(model_fit(fit).table.to_numpy(), 0.0, atol=1e-9)
    # the composite reading of the same data does not fit: within-block it is exact, but the
    # Mode A loadings are not those a composite model needs
    plain = estimate_pls(data, model, consistent=False)
    assert model_fit(plain).table.loc["SRMR", "estimated"] > 1e-3


def test_exact_fit_test_rejects_ecsi_and_reports_quantiles(ecsi_fits):
    result = test_exact_fit(ecsi_fits["composite"], n_boot=400, seed=7)
    t = result.table
    assert list(t.index.get_level_values("model").unique()) == ["saturated", "estimated"]
    assert (t["q95"] <= t["q99"]).all()
    # the estimated ECSI model (SRMR 0.12) is far outside its reference distribution
    assert t.loc[("estimated", "SRMR"), "rejected_1pct"]
    assert t.loc[("estimated", "SRMR"), "p_boot"] == 0.0
    assert result.settings["inadmissible"] == "drop"
    assert result.settings["resample_counts"]["estimated"]["used"] == 400
    # reference quantiles: a recomputation from the stored draws
    d = result.draws["estimated"]["SRMR"].to_numpy()
    assert t.loc[("estimated", "SRMR"), "q95"] == pytest.approx(np.quantile(d, 0.95))
    again = test_exact_fit(ecsi_fits["composite"], n_boot=400, seed=7)
    pd.testing.assert_frame_equal(again.table, t)


def test_inadmissible_choices_are_counted(ecsi_fits):
    fit = ecsi_fits["plsc"]
    with pytest.warns(ModelFitWarning):
        drop = test_exact_fit(fit, n_boot=200, seed=11)
    counts = drop.settings["resample_counts"]["estimated"]
    assert counts["inadmissible_drawn"] > 0
    assert counts["used"] == 200 - counts["set_aside"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelFitWarning)
        ignore = test_exact_fit(fit, n_boot=200, seed=11, inadmissible="ignore")
        replace = test_exact_fit(fit, n_boot=200, seed=11, inadmissible="replace")
    assert ignore.settings["resample_counts"]["estimated"]["used"] > counts["used"]
    rep = replace.settings["resample_counts"]["estimated"]
    assert rep["used"] == 200 and rep["resamples_drawn"] > 200
    assert replace.table["n_used"].min() >= 195  # d_G may be undefined in a few draws


def test_refusals_name_the_reason():
    rng = np.random.default_rng(0)
    data = pd.DataFrame(rng.normal(size=(30, 2)), columns=["x", "y"])
    tiny = Model([single_item("X", "x"), single_item("Y", "y")], relationships(paths("X", "Y")))
    assert degrees_of_freedom(estimate_pls(data, tiny).layout, "estimated")["df"] == 0
    with pytest.raises(ModelSpecificationError, match="no degrees of freedom"):
        test_exact_fit(estimate_pls(data, tiny), n_boot=100, seed=1)
    few = mobi().iloc[:20]
    with pytest.raises(ModelSpecificationError, match="only n = 20 observations for p = 24"):
        test_exact_fit(estimate_pls(few, ecsi_model()), n_boot=100, seed=1)
    described = model_fit(estimate_pls(few, ecsi_model()))  # descriptive fit still works
    assert np.isnan(described.table.loc["d_G"]).all()
    assert "not positive definite" in described.settings["d_G_note"]
    moderated = Model(
        [composite("Image", ["IMAG1", "IMAG2", "IMAG3"]), composite("Sat", ["CUSA1", "CUSA2"]),
         composite("Loy", ["CUSL1", "CUSL2"]), interaction("Image", "Sat")],
        relationships(paths(["Image", "Sat", "Image*Sat"], "Loy")))
    with pytest.raises(ModelSpecificationError, match="interaction terms"):
        model_fit(estimate_pls(mobi(), moderated))
