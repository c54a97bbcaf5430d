"""Bootstrap behaviour beyond the reference: BCa against a literal jackknife, failed resamples,
p-values, reproducibility, small samples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.pls import (
    BootstrapWarning,
    Model,
    bootstrap_model,
    composite,
    estimate_pls,
    paths,
    relationships,
    single_item,
)
from tests.pls_fixtures import ecsi_model, mobi

SMALL = Model([composite("Image", ["IMAG1", "IMAG2", "IMAG3"]),
               composite("Value", ["PERV1", "PERV2"], mode="B"),
               composite("Satisfaction", ["CUSA1", "CUSA2", "CUSA3"])],
              relationships(paths("Image", ["Value", "Satisfaction"]),
                            paths("Value", "Satisfaction")))


def test_bca_matches_literal_jackknife():
    data = mobi().iloc[:80]
    fit = estimate_pls(data, SMALL)
    boot = bootstrap_model(fit, n_boot=400, seed=5)
    alpha = 0.05
    for label, row in boot.paths.iterrows():
        src, dst = label.split(" -> ")
        draws = boot.draws["paths"][label].to_numpy()
        jack = np.array([estimate_pls(data.drop(index=data.index[i]), SMALL)
                         .path_coefficients.loc[src, dst] for i in range(len(data))])
        est = fit.path_coefficients.loc[src, dst]
        z0 = stats.norm.ppf(np.mean(draws < est))
        d = jack.mean() - jack
        a = (d**3).sum() / (6 * ((d**2).sum()) ** 1.5)
        qs = [stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
              for z in stats.norm.ppf([alpha / 2, 1 - alpha / 2])]
        lo, hi = np.quantile(draws, qs)
        assert row["bca_lo"] == pytest.approx(lo, abs=1e-10)
        assert row["bca_hi"] == pytest.approx(hi, abs=1e-10)
        assert row["pct_lo"] == pytest.approx(np.quantile(draws, alpha / 2), abs=1e-12)
        # p from Student t with n_boot - 1 df, t = estimate / bootstrap SD
        t = est / draws.std(ddof=1)
        assert row["t"] == pytest.approx(t, rel=1e-12)
        assert row["p"] == pytest.approx(2 * stats.t.sf(abs(t), df=len(draws) - 1), rel=1e-9)


def test_seed_rng_and_indices_agree():
    fit = estimate_pls(mobi(), SMALL)
    a = bootstrap_model(fit, n_boot=50, seed=9, bca=False)
    b = bootstrap_model(fit, n_boot=50, rng=np.random.default_rng(9), bca=False)
    idx = np.random.default_rng(9).integers(0, fit.n_obs, size=(50, fit.n_obs))
    c = bootstrap_model(fit, indices=idx, bca=False)
    for other in (b, c):
        pd.testing.assert_frame_equal(a.paths, other.paths)
    d = bootstrap_model(fit, n_boot=50, seed=10, bca=False)
    assert not np.allclose(a.paths["sd"], d.paths["sd"])
    assert a.settings["resamples"] == "numpy default_rng(seed=9)"


def test_bad_resample_arguments():
    fit = estimate_pls(mobi(), SMALL)
    with pytest.raises(ValueError, match="at most one"):
        bootstrap_model(fit, seed=1, rng=np.random.default_rng(1))
    with pytest.raises(ValueError, match=r"\(n_boot x 250\)"):
        bootstrap_model(fit, indices=np.zeros((10, 20), dtype=int))
    with pytest.raises(ValueError, match="0-based"):
        bootstrap_model(fit, indices=np.full((10, 250), 250))


def test_degenerate_resamples_are_counted_not_hidden():
    """An indicator with a single deviating value is constant in every resample that misses that
    row: exactly those resamples fail, are counted, and are left out of the summaries."""
    rng = np.random.default_rng(3)
    data = mobi().iloc[:20].copy()
    data["PERV2"] = 5.0
    data.loc[data.index[7], "PERV2"] = 9.0
    fit = estimate_pls(data, SMALL)
    idx = rng.integers(0, 20, size=(200, 20))
    expected = ~(idx == 7).any(axis=1)
    with pytest.warns(BootstrapWarning, match=f"{expected.sum()} of 200"):
        boot = bootstrap_model(fit, indices=idx)
    assert boot.n_failed == expected.sum() > 0
    np.testing.assert_array_equal(boot.failed, expected)
    kept = boot.draws["paths"][~boot.failed]
    np.testing.assert_allclose(boot.paths["mean"], kept.mean().to_numpy(), atol=1e-12)
    assert boot.settings["n_ok"] == 200 - expected.sum()


def test_non_converged_resamples_are_counted():
    data = mobi()
    free = bootstrap_model(estimate_pls(data, ecsi_model()), n_boot=100, seed=2, bca=False)
    capped_fit = estimate_pls(data, ecsi_model(), max_iter=6)
    assert capped_fit.converged
    with pytest.warns(BootstrapWarning):
        capped = bootstrap_model(capped_fit, n_boot=100, seed=2, bca=False)
    slow = free.iterations > 6
    assert slow.any()
    np.testing.assert_array_equal(capped.failed, slow)


def test_small_sample_like_the_study():
    """n = 20 regions, six 2-3 indicator factors and one outcome (synthetic test data)."""
    rng = np.random.default_rng(2023)
    n = 20
    cols, constructs = {}, []
    latent = rng.normal(size=(n, 6))
    for k in range(6):
        items = [f"f{k}_{j}" for j in range(2 + k % 2)]
        for item in items:
            cols[item] = latent[:, k] + rng.normal(scale=0.7, size=n)
        constructs.append(composite(f"F{k}", items))
    cols["y"] = latent @ np.linspace(0.1, 0.6, 6) + rng.normal(size=n)
    data = pd.DataFrame(cols, index=[f"region_{i}" for i in range(n)])
    model = Model(constructs + [single_item("Adaptation", "y")],
                  paths([f"F{k}" for k in range(6)], "Adaptation"))
    fit = estimate_pls(data, model)
    boot = bootstrap_model(fit, n_boot=500, seed=1)
    assert boot.n_boot == 500 and boot.n_failed < 25
    t = boot.paths
    assert ((t["p"] >= 0) & (t["p"] <= 1)).all()
    assert (t["pct_lo"] <= t["pct_hi"]).all() and (t["bca_lo"] <= t["bca_hi"]).all()
    assert f"{boot.settings['n_ok'] - 1} df" in boot.settings["p_value"]
    assert fit.r_squared.loc["Adaptation", "adj_r2"] < fit.r_squared.loc["Adaptation", "r2"]


def test_bootstrap_csv_and_summary(tmp_path, capsys):
    boot = bootstrap_model(estimate_pls(mobi(), SMALL), n_boot=30, seed=1)
    written = boot.to_csv(tmp_path)
    assert {p.name for p in written} >= {"bootstrap_paths.csv", "bootstrap_htmt.csv",
                                          "bootstrap_settings.csv"}
    back = pd.read_csv(tmp_path / "bootstrap_paths.csv", index_col=0)
    assert list(back.columns[:4]) == ["from", "to", "estimate", "mean"]
    boot.summary()
    assert "n_boot" in capsys.readouterr().out
