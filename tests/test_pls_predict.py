"""PLSpredict against PyPI seminr 0.2.1's predict_pls (a test-only oracle) on replayed folds,
its properties (explicit folds are deterministic, leave-one-out needs no seed) and its errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from helpers.pls import (
    Model,
    ModelSpecificationError,
    composite,
    estimate_pls,
    paths,
    relationships,
    single_item,
)
from helpers.pls.predict import (
    PredictWarning,
    cut_folds,
    folds_from_ordering,
    predict_pls,
    reading,
)
from tests.pls_fixtures import (
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
from seminr.predict.metrics import summarize_pls_predict  # noqa: E402
from seminr.predict.predict_pls import cut_folds as seminr_cut_folds  # noqa: E402
from seminr.predict.predict_pls import predict_pls as seminr_predict  # noqa: E402
from seminr.predict.techniques import predict_DA, predict_EA  # noqa: E402

TECHNIQUE = {"DA": (predict_DA, "antecedents"), "EA": (predict_EA, "exogenous")}
CASES = {
    "mobi": (mobi, lambda: ecsi_model(), lambda: ecsi_model_seminr()),
    "mobi_plsc": (mobi, lambda: ecsi_model(reflective=True),
                  lambda: ecsi_model_seminr(reflective=True)),
    "corp_rep_modeB": (corp_rep, corp_model, corp_model_seminr),
}


@pytest.mark.parametrize("n,k", [(250, 10), (250, 7), (20, 20), (21, 4), (10, 3)])
def test_fold_cutting_is_rs_cut(n, k):
    assert cut_folds(n, k).tolist() == [f - 1 for f in seminr_cut_folds(n, k)]


@pytest.mark.parametrize("technique", sorted(TECHNIQUE))
@pytest.mark.parametrize("case", sorted(CASES))
def test_predictions_match_seminr_on_its_folds(case, technique):
    data_fn, model_fn, seminr_fn = CASES[case]
    data = data_fn()
    fit = estimate_pls(data, model_fn())
    mm, sm = seminr_fn()
    oracle = s.estimate_pls(data, mm, sm)
    order = np.random.default_rng(3).permutation(fit.n_obs)
    fn, benchmark = TECHNIQUE[technique]
    theirs = seminr_predict(oracle, technique=fn, no_folds=10, ordering=[int(i) for i in order])
    ours = predict_pls(fit, technique=technique, fold_matrix=folds_from_ordering(order, 10),
                       benchmark=benchmark)
    summary = summarize_pls_predict(theirs)
    for table, prefix in [("pls_out_of_sample", "pls"), ("lm_out_of_sample", "lm")]:
        ref = named(getattr(summary, table))
        for metric in ("RMSE", "MAE"):
            mine = ours.items.loc[ref.columns, f"{prefix}_{metric.lower()}"].to_numpy()
            np.testing.assert_allclose(mine, ref.loc[metric].to_numpy(), atol=TOL, rtol=0)
    for table, column in [("pls_in_sample", "pls_in_rmse"), ("lm_in_sample", "lm_in_rmse")]:
        ref = named(getattr(summary, table))
        np.testing.assert_allclose(ours.items.loc[ref.columns, column], ref.loc["RMSE"],
                                   atol=TOL, rtol=0)
    # every single out-of-sample prediction, PLS and LM
    for attr, column in [("pls_out_of_sample", "pls"), ("lm_out_of_sample", "lm")]:
        ref = named(getattr(theirs.items, attr))
        wide = ours.predictions.pivot(index="observation", columns="indicator", values=column)
        np.testing.assert_allclose(wide.loc[fit.index, ref.columns].to_numpy(),
                                   ref.to_numpy(), atol=TOL, rtol=0)


def test_leave_one_out_matches_seminr():
    data = mobi()
    fit = estimate_pls(data, ecsi_model())
    mm, sm = ecsi_model_seminr()
    theirs = summarize_pls_predict(seminr_predict(s.estimate_pls(data, mm, sm), seed=1))
    ours = predict_pls(fit, folds="loo", benchmark="antecedents")
    assert ours.settings["folds"] == 250 and ours.settings["folds_source"].startswith("leave")
    ref = named(theirs.pls_out_of_sample)
    np.testing.assert_allclose(ours.items.loc[ref.columns, "pls_rmse"], ref.loc["RMSE"],
                               atol=TOL, rtol=0)


def _small(seed: int, n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=n)
    g = 0.6 * f + rng.normal(size=n)
    return pd.DataFrame({"a1": f + rng.normal(size=n), "a2": f + rng.normal(size=n),
                         "b1": g + rng.normal(size=n), "b2": g + rng.normal(size=n),
                         "y": 0.5 * g + rng.normal(size=n)})


SMALL = Model([composite("A", ["a1", "a2"]), composite("B", ["b1", "b2"]), single_item("Y", "y")],
              relationships(paths("A", "B"), paths("B", "Y")))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(2, 8), technique=st.sampled_from(["DA", "EA"]))
@example(seed=6551, k=3, technique="DA")
def test_explicit_folds_are_deterministic(seed, k, technique):
    fit = estimate_pls(_small(seed), SMALL)
    folds = folds_from_ordering(np.random.default_rng(seed).permutation(40), k)
    one = predict_pls(fit, technique=technique, fold_matrix=folds)
    two = predict_pls(fit, technique=technique, fold_matrix=folds.copy())
    pd.testing.assert_frame_equal(one.items, two.items, check_exact=True)
    pd.testing.assert_frame_equal(one.predictions, two.predictions, check_exact=True)
    # a seed gives the same folds as the same seed again, and repeats differ from each other;
    # weakly correlated random data can make PLS oscillate in some training fold (seed 6551,
    # k = 3: no convergence in 300 iterations), which predict_pls refuses with the reason
    try:
        a = predict_pls(fit, folds=k, repeats=3, seed=seed)
    except ModelSpecificationError as err:
        assert "did not converge" in str(err)
        assume(False)
    b = predict_pls(fit, folds=k, repeats=3, seed=seed)
    np.testing.assert_array_equal(a.folds, b.folds)
    assert not (a.folds == a.folds[0]).all()
    pd.testing.assert_frame_equal(a.items, b.items, check_exact=True)


def test_repeats_average_the_per_repeat_metrics():
    fit = estimate_pls(_small(1), SMALL)
    res = predict_pls(fit, folds=5, repeats=4, seed=9)
    assert res.by_repeat["repeat"].nunique() == 4
    mean = res.by_repeat.groupby("indicator")["pls_rmse"].mean()
    np.testing.assert_allclose(res.items.loc[mean.index, "pls_rmse"], mean, atol=1e-15)
    # fold matrix: every row in exactly one fold per repeat, k folds
    assert res.folds.shape == (4, 40) and set(np.unique(res.folds)) == set(range(5))


def test_q2_predict_and_naive_benchmark_by_hand():
    """Q²_predict = 1 - SSE(PLS)/SSE(training mean), the naive prediction computed here."""
    data = _small(2)
    fit = estimate_pls(data, SMALL)
    folds = np.arange(40) % 4
    res = predict_pls(fit, fold_matrix=folds)
    pred = res.predictions[res.predictions["indicator"] == "y"]
    naive = np.array([data["y"][folds != folds[i]].mean() for i in range(40)])
    np.testing.assert_allclose(pred["naive"], naive, atol=1e-12)
    sse = ((pred["actual"] - pred["pls"]) ** 2).sum()
    expected = 1 - sse / ((data["y"] - naive) ** 2).sum()
    assert res.items.loc["y", "q2_predict"] == pytest.approx(expected, abs=1e-12)


def test_lm_benchmark_by_hand_with_numpy_lstsq():
    data = _small(4)
    fit = estimate_pls(data, SMALL)
    folds = np.arange(40) % 5
    res = predict_pls(fit, fold_matrix=folds)  # exogenous: y and B on a1, a2
    pred = res.predictions[res.predictions["indicator"] == "y"].set_index("observation")
    for i in (0, 7, 33):
        train = folds != folds[i]
        x = np.column_stack([np.ones(train.sum()), data.loc[train, ["a1", "a2"]]])
        beta = np.linalg.lstsq(x, data.loc[train, "y"], rcond=None)[0]
        assert pred.loc[i, "lm"] == pytest.approx(beta @ [1, *data.loc[i, ["a1", "a2"]]],
                                                  abs=1e-10)


def test_reading_follows_shmueli_et_al():
    def table(pls, lm, q2):
        return pd.DataFrame({"pls_rmse": pls, "lm_rmse": lm, "q2_predict": q2,
                             "pls_beats_lm_rmse": np.less(pls, lm)})
    assert reading(table([1, 1], [2, 2], [0.3, 0.2])).startswith("high")
    assert reading(table([1, 3, 1], [2, 2, 2], [0.3, 0.2, 0.1])).startswith("medium")
    assert reading(table([1, 3, 3], [2, 2, 2], [0.3, 0.2, -0.1])).startswith("low")
    assert reading(table([3, 3], [2, 2], [0.1, 0.2])).startswith("no predictive power beyond")
    # beating a poor LM does not count when the model loses to the training mean
    text = reading(table([1, 1], [2, 2], [-0.1, -0.2]))
    assert text.startswith("no predictive relevance") and "worse than their training mean" in text


def test_a_fold_with_too_few_observations_is_refused():
    fit = estimate_pls(_small(5), SMALL)
    with pytest.raises(ModelSpecificationError, match="choose 2 <= k <= n"):
        predict_pls(fit, folds=41)
    folds = np.zeros(40, dtype=int)
    folds[:2] = 1  # fold 0 leaves 2 training rows
    with pytest.raises(ModelSpecificationError, match="only 2 training observation"):
        predict_pls(fit, fold_matrix=folds)
    gap = np.arange(40) % 3
    gap[gap == 1] = 2  # fold 1 is empty
    with pytest.raises(ModelSpecificationError, match=r"fold\(s\) \[1\]"):
        predict_pls(fit, fold_matrix=gap)
    with pytest.raises(ValueError, match="technique"):
        predict_pls(fit, technique="XY")
    with pytest.raises(ValueError, match="either seed= or fold_matrix="):
        predict_pls(fit, seed=1, fold_matrix=np.arange(40) % 2)


def test_lm_benchmark_not_estimable_is_nan_with_a_warning():
    """More LM coefficients than training rows (as with many indicators and 20 regions)."""
    rng = np.random.default_rng(0)
    n = 8
    data = pd.DataFrame(rng.normal(size=(n, 8)), columns=[f"x{i}" for i in range(7)] + ["y"])
    model = Model([composite("X", [f"x{i}" for i in range(7)]), single_item("Y", "y")],
                  relationships(paths("X", "Y")))
    fit = estimate_pls(data, model)
    with pytest.warns(PredictWarning, match="not estimable"):
        res = predict_pls(fit, folds="loo")
    assert np.isnan(res.items.loc["y", "lm_rmse"])
    assert np.isfinite(res.items.loc["y", "pls_rmse"])
    assert "the LM benchmark is not estimable" in res.verdict
    assert "not estimable" in res.settings["benchmark"]
