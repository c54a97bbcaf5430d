"""Notebook 07's full PLS-SEM assessment of the survey model (helpers/steps/nb07_assessment.py):
every number equals the engine's own function called directly on the same answers, a piece the
answers cannot carry is shown with its reason instead of stopping the notebook, and MICOM's
conclusion reaches the screen before the multi-group paths."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    bootstrap_model,
    cvpat,
    estimate_pls,
    htmt_inference,
    model_fit,
    predict_pls,
    test_exact_fit,
)
from helpers.steps import nb07_reconstruction as rec
from helpers.steps.nb07_assessment import FOLDS, REPEATS, assessment
from helpers.steps.nb07_survey import CityComparison

N_BOOT, SEED = 100, 11


@pytest.fixture(scope="module")
def spec():
    return rec.load_spec()


@pytest.fixture(scope="module")
def assessed(spec):
    answers = rec.simulate_survey(spec, 5, 250).answers
    fit = estimate_pls(answers, spec.model())
    boot = bootstrap_model(fit, n_boot=N_BOOT, seed=SEED, bca=False)
    return answers, fit, boot, assessment(fit, boot, spec.outcome, N_BOOT, SEED)


def test_reliability_validity_collinearity_and_paths_are_the_fits_own(assessed, spec):
    answers, fit, boot, a = assessed
    c = a.constructs
    pd.testing.assert_frame_equal(c[["alpha", "rho_A", "rho_C", "AVE"]],
                                  fit.reliability[["alpha", "rho_A", "rho_C", "AVE"]],
                                  check_names=False)
    # Cronbach's alpha re-computed from the answers by its formula (standardised items, as
    # seminr and the engine compute it)
    for construct in spec.model().constructs:
        x = answers[list(construct.items)].to_numpy(dtype=float)
        x = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
        k = x.shape[1]
        alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
        assert c.loc[construct.name, "alpha"] == pytest.approx(alpha, rel=1e-10)
    vif = fit.outer_vif
    for name in c.index:
        assert c.loc[name, "max_outer_vif"] == vif.loc[vif["construct"] == name, "vif"].max()
    paths = boot.paths[boot.paths["to"] == spec.outcome].set_index("from")
    for name, row in paths.iterrows():
        assert (c.loc[name, "path"], c.loc[name, "path_lo"], c.loc[name, "path_hi"]) == (
            row["estimate"], row["pct_lo"], row["pct_hi"])
        assert c.loc[name, "inner_vif"] == fit.inner_vif.loc[name, spec.outcome]
        assert c.loc[name, "f2"] == fit.f_squared.loc[name, spec.outcome]
    assert c.loc[spec.outcome, "r2"] == fit.r_squared.loc[spec.outcome, "r2"]
    assert np.isnan(c.loc[spec.outcome, "path"])


def test_htmt_htmt2_fit_prediction_and_cvpat_are_the_engines(assessed):
    _, fit, _, a = assessed
    direct = htmt_inference(fit, n_boot=N_BOOT, seed=SEED).table
    for ratio in ("HTMT", "HTMT2"):
        for col in ("estimate", "pct_lo", "pct_hi", "upper_one_sided", "below_0.9"):
            assert list(a.pairs[f"{ratio}_{col}"]) == list(direct.loc[ratio, col])
    exact = test_exact_fit(fit, n_boot=N_BOOT, seed=SEED + 4, models=("estimated",)).table
    for crit in ("SRMR", "d_ULS", "d_G"):
        row = a.model.loc[f"{crit} (estimated model)"]
        assert row["value"] == pytest.approx(model_fit(fit).table.loc[crit, "estimated"],
                                             rel=1e-12)
        assert (row["reference"], row["reference_99"], row["p"]) == (
            exact.loc[("estimated", crit), "q95"], exact.loc[("estimated", crit), "q99"],
            exact.loc[("estimated", crit), "p_boot"])
        assert row["supports_model"] == (row["value"] <= row["reference"])
    items = predict_pls(fit, folds=FOLDS, repeats=REPEATS, seed=SEED + 5).items
    assert a.model.loc["PLSpredict: min Q²_predict", "value"] == items["q2_predict"].min()
    cv = cvpat(fit, folds=FOLDS, repeats=REPEATS, seed=SEED + 5, n_boot=N_BOOT).table
    for bench in ("IA", "LM"):
        row = a.model.loc[f"CVPAT vs {bench}: PLS loss"]
        assert (row["value"], row["reference"], row["p"]) == tuple(
            cv.loc[(bench, "Overall"), ["pls_loss", "benchmark_loss", "p_paired"]])
    assert a.refused == {}


def test_the_record_and_the_sentence_carry_the_numbers(assessed):
    _, _, _, a = assessed
    record = json.loads(json.dumps(a.record(), default=lambda x: x.to_dict()))
    assert set(record) == {"constructs", "pairs", "model", "refused", "settings"}
    srmr = a.model.loc["SRMR (estimated model)", "value"]
    assert f"SRMR {srmr:.3f}" in a.sentence("en")
    assert f"{a.pairs['HTMT_estimate'].max():.2f}".replace(".", ",") in a.sentence("ru")
    shown = a.show()
    assert [t.shape[0] for t in shown] == [t.shape[0] for t in a.tables.values()]
    assert "path_p" not in shown[0] and "HTMT_below_0.9" in shown[1]


def test_what_the_answers_cannot_carry_is_shown_not_raised(spec):
    # 18 respondents for 21 items: the indicator correlation matrix is singular, so the
    # exact-fit test (and d_G) cannot be computed; the rest of the assessment still is
    answers = rec.simulate_survey(spec, 7, 18).answers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = estimate_pls(answers, spec.model())
        boot = bootstrap_model(fit, n_boot=40, seed=1, bca=False)
        a = assessment(fit, boot, spec.outcome, 40, 1)
    assert "exact_fit" in a.refused and "singular" in a.refused["exact_fit"]
    assert not a.model.index.str.startswith("SRMR").any()
    assert "Not computed — exact_fit" in a.sentence("en")
    assert a.constructs["alpha"].notna().all()


def test_micom_conclusion_is_shown_before_the_paths():
    conclusion = pd.DataFrame([{"group_1": "almaty", "group_2": "astana", "invariance": "no",
                                "mga_readable": False, "reason": "step 2 fails for social"}])

    class Invariance:  # the part of helpers.pls.MICOMResult the display reads
        pass

    inv = Invariance()
    inv.conclusion = conclusion
    shown = CityComparison(["almaty", "astana"], None, "note", inv)
    text = shown.sentence("en")
    assert "almaty vs astana: no measurement invariance" in text
    assert "step 2 fails for social" in text and "must not be read" in text
    assert "инвариантности измерения нет" in shown.sentence("ru")
    exhibits = shown.exhibits("en")
    assert list(exhibits[1].columns) == list(conclusion.columns)
    assert exhibits[1].iloc[0].tolist() == ["Almaty", "Astana", "no", "no",
                                            "step 2 fails for social"]
    assert "Алматы мен Астана" in shown.sentence("kk")
    assert shown.exhibits("ru")[1].iloc[0, 2] == "нет"
    none = CityComparison([], None, "No comparison of cities: synthetic.")
    assert none.sentence() == none.note and len(none.exhibits()) == 1


def test_thirty_answers_of_one_common_factor_are_assessed_not_stopped(spec):
    # blocks that are not distinct (reliab's case 10): every answer reflects one attitude. The
    # exact-fit test's resamples of 30 rows often hold fewer distinct rows than the 21 items,
    # so their correlation matrix is singular: d_G is undefined there, SRMR still counts (this
    # raised numpy's LinAlgError inside helpers.pls.fit.distances before).
    rng = np.random.default_rng(1)
    items = [i for c in spec.model().constructs for i in c.items]
    attitude = rng.normal(size=30)
    raw = 3 + 0.9 * attitude[:, None] + 0.45 * rng.normal(size=(30, len(items)))
    answers = pd.DataFrame(np.clip(np.round(raw), 1, 5), columns=items)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = estimate_pls(answers, spec.model())
        boot = bootstrap_model(fit, n_boot=60, seed=7, bca=False)
        a = assessment(fit, boot, spec.outcome, 60, 7)
    assert "exact_fit" not in a.refused
    assert a.model.loc["SRMR (estimated model)", "value"] == pytest.approx(
        model_fit(fit).table.loc["SRMR", "estimated"], rel=1e-12)
    assert not a.pairs["HTMT_below_0.9"].any()  # no pair is shown to be distinct
    assert "0 of 21 pairs are significantly below 0.90" in a.sentence("en")
