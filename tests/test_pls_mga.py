"""Multi-group analysis: Henseler's PLS-MGA against PyPI seminr 0.2.1 (same resamples), the
permutation test and MICOM step 2 against literal implementations written here, properties and
errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    MGAWarning,
    Model,
    ModelSpecificationError,
    PLScInadmissibleWarning,
    composite,
    estimate_pls,
    estimate_pls_mga,
    minimum_group_size,
    paths,
)
from helpers.pls.mga import henseler_p
from tests.pls_fixtures import (
    corp_model,
    corp_model_seminr,
    corp_rep,
    ecsi_model,
    ecsi_model_seminr,
    mobi,
    seminr_module,
)

TOL = 1e-8
s = seminr_module()


def _seminr_case(name):
    if name == "mobi":
        data = mobi()
        fit = estimate_pls(data, ecsi_model())
        mm, sm = ecsi_model_seminr()
        return data, fit, s.estimate_pls(data, mm, sm), (data["CUEX1"] > 7).to_numpy()
    data = corp_rep()  # Mode B drivers, missing cells mean-replaced within each group
    fit = estimate_pls(data, corp_model())
    mm, sm = corp_model_seminr()
    return data, fit, s.estimate_pls(data, mm, sm), (data["servicetype"] == 1).to_numpy()


@pytest.mark.parametrize("case", ["mobi", "corp_rep"])
def test_henseler_mga_matches_seminr(case):
    data, fit, oracle, mask = _seminr_case(case)
    rng = np.random.default_rng(4)
    n1, n2 = int(mask.sum()), int((~mask).sum())
    i1, i2 = rng.integers(0, n1, (120, n1)), rng.integers(0, n2, (120, n2))
    ours = estimate_pls_mga(fit, mask, group_indices=[i1, i2], n_perm=0)
    theirs = s.estimate_pls_mga(oracle, mask, group1_indices=i1, group2_indices=i2)
    table = ours.comparisons.set_index("path")
    assert len(table) == len(theirs) == len(fit.model.structure)
    for row in theirs:
        mine = table.loc[f"{row.source} -> {row.target}"]
        for ours_col, value in [("estimate", row.estimate), ("beta_1", row.group1_beta),
                                ("beta_2", row.group2_beta), ("diff", row.diff),
                                ("boot_mean_1", row.group1_beta_mean),
                                ("boot_mean_2", row.group2_beta_mean),
                                ("p_henseler", row.pls_mga_p)]:
            assert mine[ours_col] == pytest.approx(value, abs=TOL), (row.source, ours_col)
    assert ours.groups["n_obs"].tolist() == [n1, n2]
    assert ours.settings["bootstrap_resamples"].startswith("explicit")


def test_henseler_p_counts_the_grid_exactly():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.3, 0.1, 300), rng.normal(0.2, 0.1, 300)
    grid = (2 * a.mean() - a - 2 * b.mean())[:, None] + b[None, :]
    assert henseler_p(a, b) == 1 - (grid > 0).mean()
    # ties on the grid: a copy of the same draws
    c = np.round(rng.normal(size=50), 1)
    grid = (2 * c.mean() - c - 2 * c.mean())[:, None] + c[None, :]
    assert henseler_p(c, c) == 1 - (grid > 0).mean()


SMALL = Model([composite("Image", ["IMAG1", "IMAG2", "IMAG3"]),
               composite("Value", ["PERV1", "PERV2"], mode="B"),
               composite("Satisfaction", ["CUSA1", "CUSA2", "CUSA3"])],
              paths("Image", ["Value", "Satisfaction"]) + paths("Value", "Satisfaction"))


def _literal_permutations(data, model, rows_a, rows_b, perm):
    """Independent permutation test and MICOM step 2: each permuted group estimated on its own
    rows by estimate_pls, composite scores built from the data with numpy."""
    pooled = np.concatenate([rows_a, rows_b])
    items = list(model.items)
    x = data.iloc[pooled][items].to_numpy(float)
    zp = (x - x.mean(0)) / x.std(0, ddof=1)  # pooled z-scores
    labels = [str(p) for p in model.structure]

    def one(ra, rb):
        with warnings.catch_warnings():  # PLSc: inadmissible permutations are left out below
            warnings.simplefilter("ignore", PLScInadmissibleWarning)
            fa = estimate_pls(data.iloc[ra], model)
            fb = estimate_pls(data.iloc[rb], model)
        ok.append(fa.admissible and fb.admissible)
        d = [fa.path_coefficients.loc[p.source, p.target]
             - fb.path_coefficients.loc[p.source, p.target] for p in model.structure]
        c = {}
        for con in model.constructs:
            if len(con.items) > 1:
                cols = [items.index(i) for i in con.items]
                sa = zp[:, cols] @ fa.outer_weights.loc[list(con.items), con.name].to_numpy()
                sb = zp[:, cols] @ fb.outer_weights.loc[list(con.items), con.name].to_numpy()
                c[con.name] = np.corrcoef(sa, sb)[0, 1]
        return np.array(d), c

    ok: list[bool] = []
    d_obs, c_obs = one(rows_a, rows_b)
    ok.clear()
    draws, cs = [], []
    for row in perm:
        d, c = one(pooled[row[: len(rows_a)]], pooled[row[len(rows_a):]])
        draws.append(d)
        cs.append(c)
    draws, ok = np.array(draws), np.array(ok)
    p = (np.abs(draws[ok]) >= np.abs(d_obs) - 1e-10).mean(axis=0)
    micom = {}
    for name, c in c_obs.items():
        star = np.array([x[name] for x in cs])
        micom[name] = (c, np.quantile(star[ok], 0.05), (star[ok] <= c + 1e-10).mean(), star)
    return (dict(zip(labels, d_obs, strict=True)), dict(zip(labels, p, strict=True)), draws,
            micom, ok)


@pytest.mark.parametrize("reflective", [False, True], ids=["composites", "plsc"])
def test_permutation_test_and_micom_match_a_literal_implementation(reflective):
    data = mobi().iloc[:120]
    model = SMALL.as_reflective() if reflective else SMALL
    fit = estimate_pls(data, model)
    mask = (data["CUSL1"] >= 8).to_numpy()
    rows_a, rows_b = np.flatnonzero(mask), np.flatnonzero(~mask)
    perm = np.random.default_rng(8).permuted(np.tile(np.arange(120), (40, 1)), axis=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = estimate_pls_mga(fit, mask, n_boot=0, permutations=perm)
    said = " ".join(str(w.message) for w in caught)
    assert ("group 'group 1': the PLSc correction is inadmissible" in said) == (
        not ours.groups.loc["group 1", "admissible"])
    failed_note = [w for w in caught if issubclass(w.category, MGAWarning)
                   and "permutations of groups" in str(w.message)]
    assert bool(failed_note) == reflective
    d_obs, p, draws, micom, ok = _literal_permutations(data, model, rows_a, rows_b, perm)
    np.testing.assert_array_equal(ours.permutation_failed[("group 1", "group 2")], ~ok)
    assert (~ok).any() if reflective else ok.all()  # PLSc: some permutations inadmissible
    table = ours.comparisons.set_index("path")
    for label in d_obs:
        assert table.loc[label, "diff"] == pytest.approx(d_obs[label], abs=1e-10)
        assert table.loc[label, "p_permutation"] == pytest.approx(p[label], abs=1e-12)
    np.testing.assert_allclose(ours.permutation_draws[("group 1", "group 2")]
                               [list(d_obs)].to_numpy()[ok], draws[ok], atol=1e-10, rtol=0)
    assert table["p_permutation"].nunique() > 1 and table["p_permutation"].min() < 1
    m = ours.micom.set_index("construct")
    assert sorted(m.index) == sorted(micom)
    for name, (c, q, pm, star) in micom.items():
        assert m.loc[name, "c"] == pytest.approx(c, abs=1e-10)
        assert m.loc[name, "c_quantile"] == pytest.approx(q, abs=1e-10)
        assert m.loc[name, "p_micom"] == pytest.approx(pm, abs=1e-12)
        assert m.loc[name, "compositional_invariance"] == (c >= q)
        np.testing.assert_allclose(ours.permutation_draws[("group 1", "group 2")]
                                   [f"c: {name}"], star, atol=1e-10)
    assert (m["c"] < 1).all()


def test_data_set_against_itself():
    """Two copies of the same rows: every difference is 0, every permutation p-value 1, and the
    composites are identical (c = 1, MICOM p = 1)."""
    data = mobi()
    twice = pd.concat([data, data], ignore_index=True)
    twice["copy"] = ["first"] * len(data) + ["second"] * len(data)
    fit = estimate_pls(twice, ecsi_model())
    res = estimate_pls_mga(fit, "copy", data=twice, n_boot=50, n_perm=200, seed=1)
    comp = res.comparisons
    assert (comp["diff"] == 0).all()
    assert (comp["p_permutation"] == 1).all()
    assert (comp["n_perm_ok"] == 200).all()
    np.testing.assert_allclose(res.micom["c"], 1.0, atol=1e-12)
    assert (res.micom["p_micom"] == 1).all() and res.micom["compositional_invariance"].all()
    # the same estimates as the model on one copy
    one = estimate_pls(data, ecsi_model()).path_coefficients
    est = res.paths.query("group == 'first'").set_index("path")["estimate"]
    for p in ecsi_model().structure:
        assert est[str(p)] == pytest.approx(one.loc[p.source, p.target], abs=1e-12)


def test_different_groups_are_told_apart():
    """A sample whose second half has one path reversed: that path's difference is detected by
    both tests, the others' p-values are larger."""
    rng = np.random.default_rng(12)
    n = 150
    frames = []
    for sign in (1.0, -1.0):
        x = rng.normal(size=n)
        y = sign * 0.6 * x + rng.normal(scale=0.8, size=n)
        z = 0.5 * y + rng.normal(scale=0.8, size=n)
        frames.append(pd.DataFrame({f"{v}{k}": val + rng.normal(scale=0.5, size=n)
                                    for v, val in (("x", x), ("y", y), ("z", z))
                                    for k in (1, 2)}))
    data = pd.concat(frames, ignore_index=True)
    model = Model([composite("X", ["x1", "x2"]), composite("Y", ["y1", "y2"]),
                   composite("Z", ["z1", "z2"])], paths("X", "Y") + paths("Y", "Z"))
    fit = estimate_pls(data, model)
    labels = np.repeat(["A", "B"], n)
    res = estimate_pls_mga(fit, labels, n_boot=300, n_perm=300, seed=3).comparisons
    xy = res.set_index("path").loc["X -> Y"]
    assert xy["diff"] > 0.8
    assert xy["p_permutation"] < 0.01 and xy["p_henseler"] < 0.01
    assert xy["p_henseler_two_sided"] == pytest.approx(2 * xy["p_henseler"])


def test_three_groups_all_pairs_and_seeded_reproducibility():
    data = mobi()
    labels = pd.Series(np.tile(["north", "south", "west"], 84)[: len(data)])
    fit = estimate_pls(data, SMALL)
    a = estimate_pls_mga(fit, labels, n_boot=40, n_perm=30, seed=5)
    b = estimate_pls_mga(fit, labels, n_boot=40, n_perm=30, rng=np.random.default_rng(5))
    pd.testing.assert_frame_equal(a.comparisons, b.comparisons)
    pairs = a.comparisons[["group_1", "group_2"]].drop_duplicates()
    assert [tuple(r) for r in pairs.to_numpy()] == [("north", "south"), ("north", "west"),
                                                    ("south", "west")]
    assert len(a.comparisons) == 3 * len(SMALL.structure)
    assert a.groups["n_obs"].sum() == len(data)
    c = estimate_pls_mga(fit, labels, n_boot=40, n_perm=30, seed=6)
    assert not np.allclose(a.comparisons["p_permutation"], c.comparisons["p_permutation"])


def test_rows_without_a_group_are_left_out_and_counted():
    data = mobi()
    labels = np.where(data["CUEX1"] > 7, "high", "low").astype(object)
    labels[:10] = None
    fit = estimate_pls(data, SMALL)
    res = estimate_pls_mga(fit, labels, n_boot=0, n_perm=10, seed=1)
    assert res.settings["rows_without_group"] == 10
    assert res.groups["rows"].sum() == len(data) - 10


def test_group_too_small_is_a_clear_error():
    data = mobi()
    fit = estimate_pls(data, ecsi_model())
    need, why = minimum_group_size(ecsi_model())
    assert need == 6 and "Satisfaction" in why  # four predictors of Satisfaction
    mask = np.zeros(len(data), dtype=bool)
    mask[:5] = True
    with pytest.raises(ModelSpecificationError, match=r"group 'group 1' has only 5 usable .* "
                                                      r"at least 6 per group"):
        estimate_pls_mga(fit, mask, n_perm=0, n_boot=0)
    mask[:6] = True
    res = estimate_pls_mga(fit, mask, n_perm=0, n_boot=0)
    assert res.groups.loc["group 1", "n_obs"] == 6


def test_bad_arguments():
    data = mobi()
    fit = estimate_pls(data, SMALL)
    mask = (data["CUEX1"] > 7).to_numpy()
    with pytest.raises(ModelSpecificationError, match="at least two groups"):
        estimate_pls_mga(fit, np.repeat("one", len(data)))
    with pytest.raises(ModelSpecificationError, match="grouping column 'city' is not in"):
        estimate_pls_mga(fit, "city", data=data)
    with pytest.raises(ValueError, match="one entry per data row"):
        estimate_pls_mga(fit, mask[:-1])
    with pytest.raises(ValueError, match="at most one"):
        estimate_pls_mga(fit, mask, seed=1, rng=np.random.default_rng(1))
    with pytest.raises(ValueError, match="permutation of 0..249"):
        estimate_pls_mga(fit, mask, n_boot=0, permutations=np.zeros((3, 250), dtype=int))
    with pytest.raises(ValueError, match="lacks group"):
        estimate_pls_mga(fit, mask, group_indices={"group 1": np.zeros((3, 142), dtype=int)})
    with pytest.raises(ValueError, match=r"\(resamples x 108\)"):
        estimate_pls_mga(fit, mask, group_indices=[np.zeros((3, 142), dtype=int),
                                                   np.zeros((3, 10), dtype=int)])


def test_henseler_mga_with_plsc_matches_seminr():
    """Reflective constructs: every group and resample corrected by PLSc.  Resamples whose
    correction is inadmissible fail here (seminr keeps some of them), so both programs get the
    resamples that are admissible in both groups."""
    data = corp_rep()
    fit = estimate_pls(data, corp_model(reflective=True))
    mm, sm = corp_model_seminr(reflective=True)
    oracle = s.estimate_pls(data, mm, sm)
    mask = (data["servicetype"] == 1).to_numpy()
    rng = np.random.default_rng(9)
    n1, n2 = int(mask.sum()), int((~mask).sum())
    i1, i2 = rng.integers(0, n1, (100, n1)), rng.integers(0, n2, (100, n2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = estimate_pls_mga(fit, mask, group_indices=[i1, i2], n_perm=0)
    keep1 = i1[~first.boots["group 1"].failed]
    keep2 = i2[~first.boots["group 2"].failed]
    ours = estimate_pls_mga(fit, mask, group_indices=[keep1, keep2], n_perm=0)
    assert ours.groups["n_boot_failed"].sum() == 0
    assert ours.fits["group 1"].settings["consistent"].startswith("PLSc")
    theirs = s.estimate_pls_mga(oracle, mask, group1_indices=keep1, group2_indices=keep2)
    table = ours.comparisons.set_index("path")
    for row in theirs:
        mine = table.loc[f"{row.source} -> {row.target}"]
        for ours_col, value in [("beta_1", row.group1_beta), ("beta_2", row.group2_beta),
                                ("boot_mean_1", row.group1_beta_mean),
                                ("boot_mean_2", row.group2_beta_mean),
                                ("p_henseler", row.pls_mga_p)]:
            assert mine[ours_col] == pytest.approx(value, abs=TOL), (row.source, ours_col)
