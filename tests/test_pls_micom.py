"""MICOM steps 1-3 (helpers.pls.micom), each checked against a literal re-computation written
here from Henseler, Ringle & Sarstedt (2016): step 2 by re-estimating every permuted group with
estimate_pls and correlating the two weighted pooled composites, step 3 by a naive loop over a
few fixed-seed permutations with pandas means and variances; the conclusion on data built to
be fully, partially and not invariant; the refusals."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers.pls import ModelSpecificationError, estimate_pls, interaction, paths
from helpers.pls.micom import micom
from helpers.pls.spec import Model
from tests.pls_fixtures import ecsi_model, mobi


@pytest.fixture(scope="module")
def case():
    data = mobi()
    fit = estimate_pls(data, ecsi_model())
    mask = (data["CUEX1"] > 7).to_numpy()
    perm = np.random.default_rng(11).permuted(np.tile(np.arange(len(data)), (12, 1)), axis=1)
    return data, fit, mask, perm, micom(fit, mask, permutations=perm)


def _items(model):
    return list(model.items)


def test_step3_matches_a_naive_loop(case):
    data, fit, mask, perm, res = case
    rows_a, rows_b = np.flatnonzero(mask), np.flatnonzero(~mask)
    pooled = data.iloc[np.concatenate([rows_a, rows_b])].reset_index(drop=True)
    scores = estimate_pls(pooled, ecsi_model()).scores  # pooled weights, pooled standardisation
    n_a = len(rows_a)
    draws = res.permutation_draws[("group 1", "group 2")]
    for k, p in enumerate(perm):
        in_a = np.zeros(len(pooled), dtype=bool)
        in_a[p[:n_a]] = True
        for name in fit.layout.constructs:
            ga, gb = scores.loc[in_a, name], scores.loc[~in_a, name]
            assert draws.loc[k, f"mean: {name}"] == pytest.approx(ga.mean() - gb.mean(),
                                                                  abs=1e-12)
            assert draws.loc[k, f"logvar: {name}"] == pytest.approx(
                np.log(ga.var()) - np.log(gb.var()), abs=1e-10)
    table = res.step3.set_index("construct")
    for name in fit.layout.constructs:
        obs = scores.loc[:n_a - 1, name].mean() - scores.loc[n_a:, name].mean()
        assert table.loc[name, "mean_diff"] == pytest.approx(obs, abs=1e-12)
        col = draws[f"mean: {name}"]
        assert table.loc[name, "mean_lo"] == pytest.approx(np.quantile(col, 0.025), abs=1e-12)
        assert table.loc[name, "mean_hi"] == pytest.approx(np.quantile(col, 0.975), abs=1e-12)
        assert table.loc[name, "p_mean"] == pytest.approx((col.abs() >= abs(obs)).mean())
        assert table.loc[name, "equal_means"] == bool(col.quantile(0.025) <= obs
                                                      <= col.quantile(0.975))


def test_step2_matches_reestimated_permuted_groups(case):
    data, fit, mask, perm, res = case
    rows = np.concatenate([np.flatnonzero(mask), np.flatnonzero(~mask)])
    pooled = data.iloc[rows].reset_index(drop=True)
    x = pooled[_items(fit.model)].to_numpy(float)
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    n_a = int(mask.sum())
    draws = res.permutation_draws[("group 1", "group 2")]
    for k, p in enumerate(perm[:4]):
        wa = estimate_pls(pooled.iloc[p[:n_a]], ecsi_model()).outer_weights
        wb = estimate_pls(pooled.iloc[p[n_a:]], ecsi_model()).outer_weights
        for name in ("Image", "Quality", "Loyalty"):
            c = np.corrcoef(z @ wa[name].to_numpy(), z @ wb[name].to_numpy())[0, 1]
            assert draws.loc[k, f"c: {name}"] == pytest.approx(c, abs=1e-10)
    # the observed c from the two groups' own fits
    wa = estimate_pls(data[mask], ecsi_model()).outer_weights["Image"].to_numpy()
    wb = estimate_pls(data[~mask], ecsi_model()).outer_weights["Image"].to_numpy()
    c = np.corrcoef(z @ wa, z @ wb)[0, 1]
    assert res.step2.set_index("construct").loc["Image", "c"] == pytest.approx(c, abs=1e-10)
    assert "Complaints" not in set(res.step2.construct)  # single item: c = 1 by definition


def test_step1_reports_identical_setups(case):
    _, _, _, _, res = case
    assert res.step1.passed.all()
    assert set(res.step1.check) >= {"same constructs and indicators", "same data treatment",
                                     "same algorithm settings", "group estimate exists"}


def _shifted(data, mask, cols, by):
    out = data.copy()
    out.loc[mask, cols] = out.loc[mask, cols] + by
    return out


def test_conclusion_full_partial_and_no():
    data = mobi()
    rng = np.random.default_rng(5)
    mask = rng.random(len(data)) < 0.5  # a random split: nothing differs
    fit = estimate_pls(data, ecsi_model())
    full = micom(fit, mask, n_perm=400, seed=1)
    assert full.invariance() == "full" and full.mga_readable()
    # a level shift of Image's items in group 1: composites alike, means differ
    shifted = _shifted(data, mask, [f"IMAG{i}" for i in range(1, 6)], 3.0)
    part = micom(estimate_pls(shifted, ecsi_model()), mask, n_perm=400, seed=1)
    assert part.invariance() == "partial" and part.mga_readable()
    row = part.step3.set_index("construct").loc["Image"]
    assert not row["equal_means"] and row["mean_diff"] > 0
    # group 1's Image built differently: IMAG1-2 reverse-coded there (11 - x)
    broken = data.copy()
    broken.loc[mask, ["IMAG1", "IMAG2"]] = 11 - broken.loc[mask, ["IMAG1", "IMAG2"]]
    no = micom(estimate_pls(broken, ecsi_model()), mask, n_perm=400, seed=1)
    assert no.invariance() == "no" and not no.mga_readable()
    assert "Image" in no.conclusion.reason.iloc[0]
    row = no.step2.set_index("construct").loc["Image"]
    assert row["c"] < row["c_quantile"] and row["p"] < 0.01


def test_step1_failure_is_reported_not_raised():
    data = mobi()
    mask = (data["CUEX1"] > 7).to_numpy()
    data.loc[mask, "PERV1"] = 5  # constant within group 1: no group estimate there
    fit = estimate_pls(data, ecsi_model())
    res = micom(fit, mask, n_perm=50, seed=1)
    failed = res.step1[~res.step1.passed]
    assert list(failed.group) == ["group 1"] and "PERV1" in failed.detail.iloc[0]
    assert res.invariance() == "no" and "step 1" in res.conclusion.reason.iloc[0]
    assert res.step2.empty and res.step3.empty


def test_refusals_before_estimation():
    data = mobi()
    fit = estimate_pls(data, ecsi_model())
    tiny = np.zeros(len(data), dtype=bool)
    tiny[:4] = True
    with pytest.raises(ModelSpecificationError, match="group 'group 1' has 4.*merge"):
        micom(fit, tiny, n_perm=10, seed=1)
    base = ecsi_model()
    moderated = Model(list(base.constructs) + [interaction("Image", "Value")],
                      list(base.structure) + paths("Image*Value", "Loyalty"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mfit = estimate_pls(data, moderated)
    with pytest.raises(ModelSpecificationError, match="interaction terms"):
        micom(mfit, tiny, n_perm=10, seed=1)


def test_listwise_and_three_groups():
    data = mobi()
    data.loc[::17, "CUSL2"] = np.nan
    labels = pd.Series(np.where(data["CUEX1"] > 8, "high", np.where(data["CUEX1"] > 6, "mid",
                                                                      "low")))
    fit = estimate_pls(data, ecsi_model(), missing="listwise")
    res = micom(fit, labels, n_perm=60, seed=2)
    assert len(res.conclusion) == 3
    assert set(res.step3.groupby(["group_1", "group_2"]).size()) == {7}
    # the step-3 observed difference uses the pooled fit's complete rows only
    a, b = "high", "low"
    pooled = res.pooled_fits[(a, b)].scores
    n_a = int(((labels == a) & data.notna().all(axis=1)).sum())
    row = res.step3[(res.step3.group_1 == a) & (res.step3.group_2 == b)].set_index(
        "construct").loc["Loyalty"]
    assert row["mean_diff"] == pytest.approx(pooled["Loyalty"].iloc[:n_a].mean()
                                             - pooled["Loyalty"].iloc[n_a:].mean(), abs=1e-12)
