"""HTMT2 and HTMT/HTMT2 bootstrap inference.

Independent references: HTMT2 re-computed in the test by explicit loops over item pairs from its
definition (Roemer, Schuberth & Henseler 2021: geometric means of the heterotrait and monotrait
correlations); the HTMT bootstrap replayed with R seminr's own 100 resamples reproduces seminr's
published bootstrap means, SDs and percentile intervals (fixtures M6b_bootstrap_ecsi); the
threshold test is re-computed from the stored draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import Model, composite, estimate_pls, paths, relationships, single_item
from helpers.pls.htmt import htmt2, htmt_inference
from tests.pls_fixtures import boot_indices, ecsi_model, load_json, load_matrix, mobi


def _literal_htmt2(r: np.ndarray, blocks, a: int, b: int) -> float:
    def gmean(values):
        values = list(values)
        return float(np.exp(sum(np.log(abs(v)) for v in values) / len(values)))

    def mono(blk):
        if len(blk) == 1:
            return 1.0
        return gmean(r[i, j] for x, i in enumerate(blk) for j in blk[x + 1:])

    hetero = gmean(r[i, j] for i in blocks[a] for j in blocks[b])
    return hetero / np.sqrt(mono(blocks[a]) * mono(blocks[b]))


@pytest.fixture(scope="module")
def fit():
    return estimate_pls(mobi(), ecsi_model())


def test_htmt2_matches_literal_definition(fit):
    ours = htmt2(fit)
    blocks = [list(b) for b in fit.layout.blocks]
    names = list(fit.layout.constructs)
    for a in range(len(names)):
        for b in range(len(names)):
            value = ours.iat[a, b]
            if b <= a:
                assert np.isnan(value)
            else:
                assert value == pytest.approx(_literal_htmt2(fit.corr, blocks, a, b), rel=1e-12)
    # geometric <= arithmetic means: HTMT2 and HTMT differ, but not by much on ECSI
    diff = (ours - fit.htmt).abs().to_numpy()
    assert np.nanmax(diff) < 0.1 and np.nanmax(diff) > 1e-4


def test_htmt2_equals_htmt_for_tau_equivalent_blocks():
    """With equal correlations inside and between blocks, both means coincide."""
    rng = np.random.default_rng(4)
    n = 200
    f = rng.normal(size=(n, 2)) @ np.array([[1, 0.5], [0, 0.8]])
    data = {f"a{k}": f[:, 0] + 0.0 * k for k in range(3)}
    data.update({f"b{k}": f[:, 1] for k in range(3)})
    frame = pd.DataFrame(data)
    frame += rng.normal(scale=1e-9, size=frame.shape)  # not exactly collinear
    model = Model([composite("A", ["a0", "a1", "a2"]), composite("B", ["b0", "b1", "b2"])],
                  relationships(paths("A", "B")))
    one = estimate_pls(frame, model)
    assert htmt2(one).loc["A", "B"] == pytest.approx(one.htmt.loc["A", "B"], abs=1e-6)


def test_htmt_bootstrap_reproduces_seminr_with_its_resamples(fit):
    ref = load_json("M6b_bootstrap_ecsi.json")
    table = load_matrix(ref["bootSummary"]["htmt"])
    table.index = [label.replace("  ->  ", " -> ") for label in table.index]
    result = htmt_inference(fit, indices=boot_indices())
    ours = result.table.loc["HTMT"]
    for label, row in table.iterrows():
        assert ours.loc[label, "estimate"] == pytest.approx(row["Original Est."], abs=1e-10)
        assert ours.loc[label, "mean"] == pytest.approx(row["Bootstrap Mean"], abs=1e-10)
        assert ours.loc[label, "sd"] == pytest.approx(row["Bootstrap SD"], abs=1e-10)
        assert ours.loc[label, "pct_lo"] == pytest.approx(row["2.5% CI"], abs=1e-10)
        assert ours.loc[label, "pct_hi"] == pytest.approx(row["97.5% CI"], abs=1e-10)


def test_threshold_tests_from_draws(fit):
    result = htmt_inference(fit, n_boot=500, seed=3)
    for ratio in ("HTMT", "HTMT2"):
        draws = result.draws[ratio]
        for label, row in result.table.loc[ratio].iterrows():
            x = draws[label].to_numpy()
            upper = np.quantile(x, 0.95)
            assert row["upper_one_sided"] == pytest.approx(upper)
            for thr in (0.85, 0.9):
                assert row[f"below_{thr:g}"] == (upper < thr)
                assert row[f"p_below_{thr:g}"] == pytest.approx(np.mean(x >= thr))
    t = result.table
    # Satisfaction and Loyalty (HTMT about 0.9 on mobi) are not distinguished at 0.85,
    # Image and Complaints clearly are
    assert not t.loc[("HTMT", "Satisfaction -> Loyalty"), "below_0.85"]
    assert t.loc[("HTMT2", "Image -> Complaints"), "below_0.85"]
    assert result.settings["n_boot"] == 500


def test_single_item_pairs_and_errors():
    data = mobi()
    model = Model([composite("Image", ["IMAG1", "IMAG2"]), single_item("C", "CUSCO")],
                  relationships(paths("Image", "C")))
    f = estimate_pls(data, model)
    value = htmt2(f).loc["Image", "C"]
    r = f.corr
    assert value == pytest.approx(np.sqrt(abs(r[0, 2] * r[1, 2])) / np.sqrt(abs(r[0, 1])))
    with pytest.raises(ValueError, match="at most one"):
        htmt_inference(f, seed=1, rng=np.random.default_rng(1))
