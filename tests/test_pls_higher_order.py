"""Higher-order constructs (helpers.pls.higher_order): the disjoint two-stage approach against PyPI
seminr 0.2.1's ``higher_composite`` (estimates and the bootstrap through both stages, same
resamples); the embedded two-stage and repeated-indicators approaches against the models built
by hand (copied indicator columns, stage 2 on the stage-1 scores); the bootstrap against
re-estimating on the resampled rows; quality at both levels; the refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    Model,
    ModelSpecificationError,
    bootstrap_model,
    composite,
    estimate_pls,
    higher_composite,
    higher_order_quality,
    interaction,
    multi_items,
    paths,
    predict_pls,
    relationships,
)
from helpers.pls.micom import micom
from tests.pls_fixtures import (
    assert_frame_close,
    assert_mga_is_groupwise_estimation,
    mobi,
    named,
    seminr_module,
)

TOL = 1e-8
s = seminr_module()
from seminr.bootstrap.summarize import summarize_pls_boot  # noqa: E402

BLOCKS = [("Image", "IMAG", 5), ("Expectation", "CUEX", 3), ("Quality", "PERQ", 7),
          ("Value", "PERV", 2), ("Satisfaction", "CUSA", 3), ("Loyalty", "CUSL", 3)]
STRUCTURE = relationships(paths("Image", ["Expectation", "Satisfaction"]),
                          paths("Expectation", "Evaluation"), paths("Evaluation", "Satisfaction"),
                          paths("Satisfaction", "Loyalty"))


def _model(method="two_stage", mode="A", dims=("Quality", "Value"), structure=STRUCTURE):
    constructs = [composite(n, multi_items(p, range(1, k + 1))) for n, p, k in BLOCKS]
    return Model(constructs + [higher_composite("Evaluation", list(dims), method, mode)],
                 structure)


def _seminr(mode):
    weights = s.mode_A if mode == "A" else s.mode_B
    mm = s.constructs(*[s.composite(n, s.multi_items(p, range(1, k + 1))) for n, p, k in BLOCKS],
                      s.higher_composite("Evaluation", ["Quality", "Value"], weights=weights))
    sm = s.relationships(s.paths(from_="Image", to=["Expectation", "Satisfaction"]),
                         s.paths(from_="Expectation", to="Evaluation"),
                         s.paths(from_="Evaluation", to="Satisfaction"),
                         s.paths(from_="Satisfaction", to="Loyalty"))
    return mm, sm


_BOOT = {"Original Est.": "estimate", "Bootstrap Mean": "mean", "Bootstrap SD": "sd",
         "T Stat.": "t", "2.5% CI": "pct_lo", "97.5% CI": "pct_hi",
         "Bootstrap P Val": "p_boot"}


@pytest.mark.parametrize("mode", ["A", "B"])
def test_disjoint_two_stage_matches_seminr_with_its_bootstrap(mode):
    data = mobi()
    fit = estimate_pls(data, _model(mode=mode))
    oracle = s.estimate_pls(data, *_seminr(mode))
    assert_frame_close(fit.path_coefficients, named(oracle.path_coef), TOL)
    ow, ol = named(oracle.outer_weights), named(oracle.outer_loadings)
    rows, cols = list(fit.outer_weights.index), list(fit.outer_weights.columns)
    assert_frame_close(fit.outer_weights, ow.loc[rows, cols], TOL)
    assert_frame_close(fit.loadings, ol.loc[rows, cols], TOL)
    lower = fit.stage1
    assert_frame_close(lower.outer_weights.loc[multi_items("PERQ", range(1, 8)), ["Quality"]],
                       ow.loc[multi_items("PERQ", range(1, 8)), ["Quality"]], TOL)
    rsq = named(oracle.r_squared).T.rename(columns={"Rsq": "r2", "AdjRsq": "adj_r2"})
    assert_frame_close(fit.r_squared, rsq, TOL)
    indices = np.random.default_rng(2).integers(0, len(data), size=(20, len(data)))
    ours = bootstrap_model(fit, indices=indices, bca=False)
    theirs = summarize_pls_boot(s.bootstrap_model(oracle, indices=indices))
    for mine, attr in (("paths", "bootstrapped_paths"), ("weights", "bootstrapped_weights")):
        ref = named(getattr(theirs, attr)).rename(columns=_BOOT)
        ref.index = [label.replace("  ->  ", " -> ") for label in ref.index]
        table = getattr(ours, mine)
        assert_frame_close(table, ref.loc[table.index, list(_BOOT.values())], TOL)
    assert "disjoint" in fit.settings["higher_order"]["Evaluation"]


def _copies(data):
    out = data.copy()
    for item in multi_items("PERQ", range(1, 8)) + multi_items("PERV", range(1, 3)):
        out[f"{item}@Evaluation"] = data[item]
    return out


def _by_hand_repeated(mode):
    """The repeated-indicators model written out: Evaluation measured by copies of the
    dimensions' items, tied to Quality and Value by paths."""
    constructs = [composite(n, multi_items(p, range(1, k + 1))) for n, p, k in BLOCKS]
    items = [f"{i}@Evaluation" for i in multi_items("PERQ", range(1, 8))
             + multi_items("PERV", range(1, 3))]
    tie = paths("Evaluation", ["Quality", "Value"]) if mode == "A" else \
        paths(["Quality", "Value"], "Evaluation")
    return Model(constructs + [composite("Evaluation", items, mode)], list(STRUCTURE) + tie)


def test_repeated_indicators_is_the_model_written_out():
    data = mobi()
    fit = estimate_pls(data, _model("repeated_indicators"))
    hand = estimate_pls(_copies(data), _by_hand_repeated("A"))
    assert_frame_close(fit.path_coefficients, hand.path_coefficients, 1e-12)
    assert_frame_close(fit.outer_weights, hand.outer_weights, 1e-12)
    assert fit.stage1 is None
    q = higher_order_quality(fit)
    row = q["higher_order_measurement"].set_index("dimension").loc["Quality", "path"]
    assert row == pytest.approx(hand.path_coefficients.loc["Evaluation", "Quality"])
    boot = bootstrap_model(fit, n_boot=30, seed=1, bca=False)
    assert "Evaluation -> Quality" in boot.paths.index


@pytest.mark.parametrize("mode", ["A", "B"])
def test_embedded_two_stage_is_the_two_stages_written_out(mode):
    data = mobi()
    fit = estimate_pls(data, _model("embedded", mode))
    stage1 = estimate_pls(_copies(data), _by_hand_repeated(mode))
    assert_frame_close(fit.stage1.path_coefficients, stage1.path_coefficients, 1e-12)
    scores = fit.stage1.scores[["Quality", "Value"]]
    data2 = data.assign(Quality=scores["Quality"].to_numpy(), Value=scores["Value"].to_numpy())
    constructs = [composite(n, multi_items(p, range(1, k + 1))) for n, p, k in BLOCKS
                  if n not in ("Quality", "Value")]
    stage2 = estimate_pls(data2, Model(constructs + [composite("Evaluation", ["Quality", "Value"],
                                                               mode)], STRUCTURE))
    assert_frame_close(fit.path_coefficients, stage2.path_coefficients, 1e-12)
    assert_frame_close(fit.outer_weights, stage2.outer_weights, 1e-12)


@pytest.mark.parametrize("method", ["two_stage", "embedded"])
def test_bootstrap_runs_both_stages_on_each_resample(method):
    """A resample's draw equals estimate_pls on the resampled rows (both stages rerun)."""
    data = mobi()
    data.loc[::13, "PERQ2"] = np.nan  # mean replacement redone in the resample
    model = _model(method, "B")
    fit = estimate_pls(data, model)
    rows = np.random.default_rng(9).integers(0, len(data), (2, len(data)))
    boot = bootstrap_model(fit, indices=rows, bca=False)
    for b in range(2):
        direct = estimate_pls(data.iloc[rows[b]].reset_index(drop=True), model)
        want = [direct.path_coefficients.loc[p.source, p.target] for p in model.structure]
        np.testing.assert_allclose(boot.draws["paths"].to_numpy()[b], want, atol=1e-9)
        w = boot.draws["weights"][["Quality -> Evaluation", "Value -> Evaluation"]].iloc[b]
        np.testing.assert_allclose(w, direct.outer_weights.loc[["Quality", "Value"],
                                                               "Evaluation"], atol=1e-9)


def test_quality_at_both_levels():
    fit = estimate_pls(mobi(), _model())
    q = higher_order_quality(fit)
    assert list(q["dimensions"].index) == ["Quality", "Value"]
    assert_frame_close(q["dimensions"], fit.stage1.reliability.loc[["Quality", "Value"]], 0)
    assert q["dimensions_htmt"].loc["Quality", "Value"] == pytest.approx(
        fit.stage1.htmt.loc["Quality", "Value"])
    assert list(q["higher_order"].index) == ["Evaluation"]
    top = q["higher_order_measurement"]
    assert list(top.index) == ["Quality", "Value"] and (top["construct"] == "Evaluation").all()
    # the HOC's loadings are the correlations of the dimension scores with its score
    sc1, sc2 = fit.stage1.scores, fit.scores
    for d in ("Quality", "Value"):
        assert top.loc[d, "loading"] == pytest.approx(np.corrcoef(sc1[d], sc2["Evaluation"])[0, 1],
                                                      abs=1e-10)


def test_models_the_data_cannot_carry_are_refused():
    with pytest.raises(ModelSpecificationError, match="1 dimension.*use the dimension itself"):
        _model(dims=("Quality",))
    with pytest.raises(ModelSpecificationError, match="dimension 'Qualty' is not a construct"):
        _model(dims=("Qualty", "Value"))
    with pytest.raises(ModelSpecificationError, match="connect a dimension.*directly"):
        _model(structure=list(STRUCTURE) + paths("Value", "Loyalty"))
    with pytest.raises(ModelSpecificationError, match="R² = 1.*embedded"):
        _model("repeated_indicators", "B")
    with pytest.raises(ModelSpecificationError, match="method 'three_stage' unknown"):
        higher_composite("X", ["A", "B"], method="three_stage")
    base = _model()
    with pytest.raises(ModelSpecificationError, match="interaction terms is not supported"):
        Model(list(base.constructs) + [interaction("Image", "Expectation")],
              list(base.structure) + paths("Image*Expectation", "Loyalty"))
    data = mobi()
    fit = estimate_pls(data, base)
    mask = (data["CUEX1"] > 7).to_numpy()
    with pytest.raises(ModelSpecificationError, match="MICOM of a higher-order.*fit.stage1"):
        micom(fit, mask, n_perm=5)
    with pytest.raises(ModelSpecificationError, match="'Evaluation'.*endogenous.*repeated_"):
        predict_pls(fit)
    assert isinstance(estimate_pls(data, _model("repeated_indicators")).scores, pd.DataFrame)


def test_yaml_specification_of_a_higher_order_construct(tmp_path):
    from helpers.pls import read_model

    text = "constructs:\n" + "".join(
        f"  {n}: {{items: [{', '.join(multi_items(p, range(1, k + 1)))}]}}\n"
        for n, p, k in BLOCKS) + (
        "  Evaluation: {dimensions: [Quality, Value], mode: B, method: disjoint}\n"
        "paths:\n  - {from: Image, to: [Expectation, Satisfaction]}\n"
        "  - {from: Expectation, to: Evaluation}\n  - {from: Evaluation, to: Satisfaction}\n"
        "  - {from: Satisfaction, to: Loyalty}\n")
    path = tmp_path / "hoc.yaml"
    path.write_text(text)
    model = read_model(path)
    (hoc,) = model.higher_order
    assert (hoc.dimensions, hoc.mode, hoc.method) == (("Quality", "Value"), "B", "two_stage")
    assert "Quality, Value" in model.describe()
    with pytest.raises(ModelSpecificationError, match="higher-order composite"):
        model.as_reflective(["Evaluation"])


def test_reflective_dimensions():
    """PLSc dimensions: the disjoint and embedded approaches estimate and bootstrap (stage 1's
    weights and scores do not depend on the correction); repeated indicators are refused."""
    import warnings

    from helpers.pls import reflective

    data = mobi()
    constructs = [reflective(n, multi_items(p, range(1, k + 1))) for n, p, k in BLOCKS]
    for method in ("two_stage", "embedded"):
        model = Model(constructs + [higher_composite("Evaluation", ["Quality", "Value"],
                                                     method)], STRUCTURE)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = estimate_pls(data, model)
            boot = bootstrap_model(fit, n_boot=40, seed=1, bca=False)
        plain = estimate_pls(data, _model(method))
        np.testing.assert_allclose(fit.stage1.scores[["Quality", "Value"]],
                                   plain.stage1.scores[["Quality", "Value"]], atol=1e-12)
        assert boot.settings["n_ok"] >= 30
    model = Model(constructs + [higher_composite("Evaluation", ["Quality", "Value"],
                                                 "repeated_indicators")], STRUCTURE)
    with pytest.raises(ModelSpecificationError, match="reflective.*consistent=False"):
        estimate_pls(data, model)


def test_ipma_of_a_two_stage_model_maps_the_dimensions_performance():
    """Literal re-computation from the first-stage IPMA: each dimension's score, rescaled with
    the range of its lowest and highest answers, is the dimension's performance in
    ipma(fit.stage1); the HOC's performance is the mean of those performances weighted by
    w_d / sd(P_d), normalised to sum 1 (Ringle & Sarstedt 2016's unstandardised weights)."""
    from helpers.pls import ipma

    data = mobi()
    ranges = {i: (1, 10) for i in data.columns if i.startswith(("PERQ", "PERV"))}
    fit = estimate_pls(data, _model())
    stage1 = ipma(fit.stage1, target="Loyalty", scale_ranges=ranges)
    got = ipma(fit, target="Loyalty", scale_ranges=ranges)
    dims = stage1.scores[["Quality", "Value"]]
    w = fit.outer_weights.loc[["Quality", "Value"], "Evaluation"]
    v = w / dims.std(ddof=1)
    want = dims @ (v / v.sum())
    np.testing.assert_allclose(got.scores["Evaluation"], want, atol=1e-9)
    assert got.table.loc["Evaluation", "performance"] == pytest.approx(want.mean(), abs=1e-9)
    assert list(got.ranges.loc[["Quality", "Value"], "source"]) == ["dimension", "dimension"]
    assert "Evaluation" in got.table.index and "Quality" not in got.table.index
    with pytest.raises(KeyError, match="unknown indicator"):
        ipma(fit, target="Loyalty", scale_ranges={"PERQ9": (1, 10)})


@pytest.mark.parametrize("method", ["two_stage", "embedded"])
def test_mga_of_a_two_stage_model_reruns_both_stages_in_every_group(method):
    """Each group's estimate, and each permuted group's, is the higher-order model estimated
    (both stages) on those rows alone: checked by calling estimate_pls on the rows."""
    res, _ = assert_mga_is_groupwise_estimation(mobi(), _model(method), "Evaluation",
                                                "Satisfaction", seed=5)
    assert "Evaluation" not in set(res.micom.construct)  # MICOM: measured composites


EXOGENOUS_HOC = relationships(paths(["Image", "Expectation", "Evaluation"], "Satisfaction"),
                              paths("Satisfaction", "Loyalty"))


@pytest.mark.parametrize("method", ["two_stage", "embedded"])
def test_prediction_for_new_data_scores_the_dimensions_with_the_training_stage_one(method):
    """The training rows, predicted as new data, rebuild the dimensions' scores (the HOC's
    stage-2 indicators) from the stage-1 weights: every exogenous score equals the fit's, and
    DA gives the fit's scores times its paths (a literal re-computation from fit.scores).  New
    rows: the HOC's score by hand from the training rows' means and SDs and both stages'
    weights."""
    data = mobi()
    fit = estimate_pls(data, _model(method, structure=EXOGENOUS_HOC))
    got = fit.predict(data)
    scores, beta = fit.scores, fit.path_coefficients
    exo = ["Image", "Expectation", "Evaluation"]
    np.testing.assert_allclose(got.scores[exo], scores[exo], atol=1e-10)
    np.testing.assert_allclose(got.scores[["Satisfaction", "Loyalty"]],
                               (scores @ beta)[["Satisfaction", "Loyalty"]], atol=1e-10)
    assert "PERQ1" not in got.items.columns and "Quality" not in got.items.columns
    train, new = data.iloc[:180], data.iloc[180:]
    fit = estimate_pls(train, _model(method, structure=EXOGENOUS_HOC))
    w1, w2 = fit.stage1.outer_weights, fit.outer_weights
    hoc = 0.0
    for dim, prefix in (("Quality", "PERQ"), ("Value", "PERV")):
        items = [c for c in data.columns if c.startswith(prefix)]
        z = (new[items] - train[items].mean()) / train[items].std(ddof=1)
        hoc = hoc + (z @ w1.loc[items, dim]) * w2.loc[dim, "Evaluation"]
    np.testing.assert_allclose(fit.predict(new).scores["Evaluation"], hoc, atol=1e-10)
    repeated = estimate_pls(data, _model("repeated_indicators", structure=EXOGENOUS_HOC))
    np.testing.assert_allclose(repeated.predict(data).scores["Evaluation"],
                               repeated.scores["Evaluation"], atol=1e-10)
    only = data[[c for c in data.columns if not c.startswith("PERV")]]
    with pytest.raises(ModelSpecificationError, match="PERV1.*dimensions' indicators"):
        fit.predict(only)


@pytest.mark.parametrize("method", ["two_stage", "embedded"])
def test_plspredict_of_a_two_stage_model_refits_both_stages_per_fold(method):
    """Independent reference: a fold's held-out predictions are those of the model estimated
    (both stages) on the training rows alone and applied to the held-out rows."""
    data = mobi()
    model = _model(method, structure=EXOGENOUS_HOC)
    fit = estimate_pls(data, model)
    folds = np.arange(len(data)) % 5
    res = predict_pls(fit, fold_matrix=folds)
    assert "both stages" in res.settings["method"]
    assert set(res.items.construct) == {"Satisfaction", "Loyalty"}
    held = folds == 3
    refit = estimate_pls(data[~held], model)
    want = refit.predict(data[held]).items
    frame = res.predictions[res.predictions["fold"] == 3]
    for item in ("CUSA1", "CUSL2"):
        rows = frame[frame["indicator"] == item]
        np.testing.assert_allclose(want.loc[rows["observation"], item], rows["pls"], atol=1e-9)
    assert np.isfinite(res.items[["pls_rmse", "lm_rmse", "q2_predict"]].to_numpy()).all()
