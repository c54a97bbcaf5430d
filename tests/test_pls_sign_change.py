"""Construct-level sign-change correction of the bootstrap (``sign_change="construct"``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    Model,
    bootstrap_model,
    composite,
    estimate_pls,
    paths,
    relationships,
    single_item,
)
from helpers.pls.engine import _total_effects
from tests.pls_fixtures import boot_indices, ecsi_model, load_json, load_matrix, mobi

TABLES = ("paths", "total_effects", "indirect_effects", "weights", "loadings", "r_squared",
          "htmt")


def reversed_block_data(n: int = 30, seed: int = 7) -> pd.DataFrame:
    """A coherent block A whose second indicator is reversed (a2 ~ -a1).

    The algorithm starts from unit weights, so A's first proxy is a1 + a2, which is pure noise:
    the orientation of A in a resample is a coin toss although |w| is stable.  That forces sign
    flips without a weak block."""
    rng = np.random.default_rng(seed)
    f, z = rng.normal(size=n), rng.normal(size=n)
    e = rng.normal(size=(n, 2))
    return pd.DataFrame({"a1": f + 0.4 * e[:, 0], "a2": -f + 0.4 * e[:, 1],
                         "b1": z + 0.5 * rng.normal(size=n), "b2": z + 0.5 * rng.normal(size=n),
                         "y": 0.6 * f + 0.4 * z + 0.5 * rng.normal(size=n)})


TWO_PREDICTORS = Model([composite("A", ["a1", "a2"]), composite("B", ["b1", "b2"]),
                        single_item("Y", "y")], relationships(paths(["A", "B"], "Y")))
MEDIATED = Model([composite("A", ["a1", "a2"]), composite("B", ["b1", "b2"]),
                  single_item("Y", "y")],
                 relationships(paths("A", ["B", "Y"]), paths("B", "Y")))


def weight_dots(boot, fit) -> pd.DataFrame:
    """Per draw and construct: dot product of the draw's weights with the original weights."""
    w0 = fit.outer_weights
    out = {}
    for c in fit.layout.constructs:
        cols = boot.weights.index[boot.weights["to"] == c]
        items = boot.weights.loc[cols, "from"]
        out[c] = boot.draws["weights"][cols].to_numpy() @ w0.loc[items, c].to_numpy()
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def forced():
    fit = estimate_pls(reversed_block_data(), TWO_PREDICTORS)
    return (fit, bootstrap_model(fit, n_boot=400, seed=3),
            bootstrap_model(fit, n_boot=400, seed=3, sign_change="construct"))


# (a) the default is unchanged --------------------------------------------------------------

def test_none_is_the_default_and_still_matches_seminr():
    ref_fit = estimate_pls(mobi(), ecsi_model())
    idx = boot_indices()
    default = bootstrap_model(ref_fit, indices=idx)
    none = bootstrap_model(ref_fit, indices=idx, sign_change="none")
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(default, t), getattr(none, t), check_exact=True)
    ref = load_matrix(load_json("M6b_bootstrap_ecsi.json")["bootSummary"]["paths"])
    ref.index = [label.replace("  ->  ", " -> ") for label in ref.index]
    ours = none.paths.loc[ref.index]
    np.testing.assert_allclose(ours["mean"], ref["Bootstrap Mean"], atol=1e-10)
    np.testing.assert_allclose(ours["sd"], ref["Bootstrap SD"], atol=1e-10)
    assert none.settings["sign_change"] == "none"
    # mobi's blocks are coherent: the correction flips nothing and changes nothing
    corrected = bootstrap_model(ref_fit, indices=idx, sign_change="construct")
    assert corrected.settings["sign_flips_total"] == 0
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(corrected, t), getattr(none, t), check_exact=True)


def test_unknown_option_is_refused():
    fit = estimate_pls(reversed_block_data(), TWO_PREDICTORS)
    with pytest.raises(ValueError, match="'none', 'construct'"):
        bootstrap_model(fit, n_boot=10, seed=1, sign_change="indicator")


# (b) forced flips ---------------------------------------------------------------------------

def test_uncorrected_draws_mix_mirror_images(forced):
    fit, none, _ = forced
    assert none.settings["sign_flips"]["A"] > 0.2 * none.settings["n_ok"]
    row = none.paths.loc["A -> Y"]
    assert abs(row["mean"] - row["estimate"]) > 0.3  # the symptom the correction removes
    assert (weight_dots(none, fit)["A"] < 0).any()


def test_corrected_draws_point_with_the_original_weights(forced):
    fit, none, corr = forced
    dots = weight_dots(corr, fit)
    assert (dots.to_numpy() > 0).all()
    row = corr.paths.loc["A -> Y"]
    assert abs(row["mean"] - row["estimate"]) < 0.1
    assert row["sd"] < 0.5 * none.paths.loc["A -> Y", "sd"]
    assert row["pct_lo"] > 0 and row["bca_lo"] <= row["estimate"] <= row["bca_hi"]
    # the coherent block B hardly ever flips, so its path is (almost) untouched
    assert corr.paths.loc["B -> Y", "mean"] == pytest.approx(none.paths.loc["B -> Y", "mean"],
                                                             abs=0.02)


def test_correction_is_D_E_D_and_leaves_r2_and_htmt(forced):
    fit, none, corr = forced
    s = pd.DataFrame(corr.signs, columns=fit.layout.constructs)
    np.testing.assert_allclose(corr.draws["paths"]["A -> Y"],
                               none.draws["paths"]["A -> Y"] * s["A"] * s["Y"])
    np.testing.assert_allclose(corr.draws["weights"]["a2 -> A"],
                               none.draws["weights"]["a2 -> A"] * s["A"])
    np.testing.assert_allclose(corr.draws["loadings"]["a1 -> A"],
                               none.draws["loadings"]["a1 -> A"] * s["A"])
    pd.testing.assert_frame_equal(corr.draws["r_squared"], none.draws["r_squared"])
    pd.testing.assert_frame_equal(corr.draws["htmt"], none.draws["htmt"])
    pd.testing.assert_frame_equal(corr.r_squared, none.r_squared)
    # (D P D)^k = D P^k D: total effects stay consistent with the flipped paths
    rng = np.random.default_rng(0)
    p = np.triu(rng.normal(size=(5, 4, 4)), 1)
    d = rng.choice([-1.0, 1.0], size=(5, 4))
    dd = d[:, :, None] * d[:, None, :]
    np.testing.assert_allclose(_total_effects(p * dd), _total_effects(p) * dd)


def test_jackknife_fits_are_aligned_too(forced):
    _, none, corr = forced
    assert corr.settings["sign_flips_jackknife"] == none.settings["sign_flips_jackknife"]
    assert corr.settings["sign_flips_jackknife"]["A"] > 0  # leave-one-out fits flip here too
    assert corr.settings["sign_flips_jackknife"]["Y"] == 0


# (c) invariance ----------------------------------------------------------------------------

def test_reversing_a_block_in_the_data_only_mirrors_its_own_effects():
    data = reversed_block_data(n=25, seed=11)
    flipped = data.assign(a1=-data["a1"], a2=-data["a2"])
    runs = []
    for d in (data, flipped):
        fit = estimate_pls(d, MEDIATED)
        runs.append((fit, bootstrap_model(fit, n_boot=300, seed=4, sign_change="construct")))
    (fit0, b0), (fit1, b1) = runs
    # c = orientation of A in the flipped data relative to the original (scores A1 = c A0)
    c = float(np.sign(np.corrcoef(fit0.scores["A"], fit1.scores["A"])[0, 1]))
    cols = ["estimate", "mean", "sd", "pct_lo", "pct_hi", "bca_lo", "bca_hi"]
    for t in ("r_squared", "htmt"):
        pd.testing.assert_frame_equal(getattr(b0, t)[cols], getattr(b1, t)[cols], atol=1e-8)
    other = b0.weights["to"] != "A"
    pd.testing.assert_frame_equal(b0.weights[other][cols], b1.weights[other][cols], atol=1e-8)
    pd.testing.assert_frame_equal(b0.paths.loc[["B -> Y"], cols], b1.paths.loc[["B -> Y"], cols],
                                  atol=1e-8)
    mirrored = ["A -> B", "A -> Y"]
    for tab in ("paths", "total_effects"):
        x0, x1 = getattr(b0, tab).loc[mirrored], getattr(b1, tab).loc[mirrored]
        for col in ("estimate", "mean"):
            np.testing.assert_allclose(x1[col], c * x0[col], atol=1e-8)
        np.testing.assert_allclose(x1["sd"], x0["sd"], atol=1e-8)
        lo, hi = (x0["pct_lo"], x0["pct_hi"]) if c > 0 else (-x0["pct_hi"], -x0["pct_lo"])
        np.testing.assert_allclose(x1["pct_lo"], lo, atol=1e-8)
        np.testing.assert_allclose(x1["pct_hi"], hi, atol=1e-8)
    # A's weights sit on reversed indicators: w1 = -c w0
    a = b0.weights.index[~other]
    np.testing.assert_allclose(b1.weights.loc[a, "mean"], -c * b0.weights.loc[a, "mean"],
                               atol=1e-8)
    assert b0.settings["sign_flips"] == b1.settings["sign_flips"]


# (d) the flip count -----------------------------------------------------------------------

def test_flip_count_is_reported_and_matches_the_draws(forced):
    fit, none, corr = forced
    expected = {c: int(v) for c, v in (weight_dots(none, fit) < 0).sum().items()}
    assert none.settings["sign_flips"] == expected
    assert corr.settings["sign_flips"] == expected  # same resamples, counted before correcting
    assert corr.settings["sign_flips_total"] == sum(expected.values())
    assert corr.settings["sign_change"] == "construct"
    assert "sign_flips" in corr.summary()
    assert int((corr.signs < 0).sum()) == corr.settings["sign_flips_total"] + int(
        (corr.signs[corr.failed] < 0).sum())
