"""The multiverse: its enumeration, the batched estimators, the verdict shares, influence and
permutation inference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from helpers import stats
from helpers.pls import Model, composite, estimate_pls, paths, relationships, single_item
from helpers.pls.engine import weighted_correlations
from helpers.pls.stacked import estimate_stack
from helpers.registers import article, data
from helpers.registers import verdicts as vd
from helpers.steps import nb04_pls_estimation as estimation
from helpers.steps import nb05_multiverse as mv
from helpers.steps import nb05_robustness as rb

FACTORS = list(article.FACTOR_IDS)


@pytest.fixture(scope="module")
def book():
    return data.load_codebook()


@pytest.fixture(scope="module")
def prep(book):
    return rb.prepare(book, FACTORS, n_specs=300, seed=7)


@pytest.fixture(scope="module")
def table(prep):
    return rb.estimate(prep, n_boot=200, seed=11)


def _pls_fit(prep, s, rows=None):
    """estimate_pls on specification s of ``prep`` (Mode A or B), optionally on some rows."""
    spec = prep.specs.iloc[s]
    mode = "A" if spec["estimator"] == "pls_mode_a" else "B"
    cols = mv.spec_columns(spec, FACTORS, prep.sets)
    constructs = [composite(f, c, mode=mode) if len(c) > 1 else single_item(f, c[0])
                  for f, c in zip(FACTORS, cols, strict=True)]
    constructs.append(single_item("y", f"outcome|{spec['outcome']}"))
    model = Model(constructs, relationships(paths(FACTORS, "y")))
    frame = prep.table if rows is None else prep.table.iloc[rows]
    return estimate_pls(frame, model)


# --- enumeration ---------------------------------------------------------------------------------

def test_the_count_follows_from_the_choices(book):
    dims = mv.choices(book, FACTORS)
    n_in_book = book[book["include"]].groupby("factor_id").size()
    for f in FACTORS:
        k = int(n_in_book[f])
        # full + k leave-one-out sets (when k > 1) + the strongest alone, identical sets once
        expected = 1 if k == 1 else (k + 1 if k == 2 else k + 2)
        assert len(dims[f"set_{f}"]) == expected, f
    assert mv.n_full(dims) == math.prod(len(v) for v in dims.values())
    assert dims["outcome"] == list(mv.OUTCOMES) and dims["estimator"][0] == "pls_mode_a"


def test_a_small_product_is_enumerated_completely_and_once():
    dims = {"set_a": ["full", "drop:x"], "year_rule": [2022], "outcome": ["p", "q", "r"],
            "estimator": ["e1", "e2"]}
    specs = mv.specifications(dims, n_total=100, seed=1)
    assert len(specs) == 12 == mv.n_full(dims)
    assert not specs[list(dims)].duplicated().any()
    assert specs.iloc[0]["kind"] == "main"


def test_enumeration_is_deterministic_and_holds_main_and_every_one_away_variant(book):
    dims = mv.choices(book, FACTORS)
    first = mv.specifications(dims, n_total=500, seed=3)
    again = mv.specifications(dims, n_total=500, seed=3)
    other = mv.specifications(dims, n_total=500, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not first[list(dims)].equals(other[list(dims)])
    assert len(first) == 500 and not first[list(dims)].duplicated().any()
    away = mv.differs_from_main(first, dims)
    assert (first["kind"] == "main").sum() == 1 and away[first["kind"] == "main"].iloc[0] == 0
    n_one_away = sum(len(v) - 1 for v in dims.values())
    assert (first["kind"] == "one choice away").sum() == n_one_away
    assert (away[first["kind"] == "one choice away"] == 1).all()
    assert (away[first["kind"] == "random sample"] >= 1).all()


def test_too_small_a_budget_is_refused(book):
    with pytest.raises(ValueError, match="one-choice-away"):
        mv.specifications(mv.choices(book, FACTORS), n_total=5)


def test_normal_scores_keep_the_order_of_the_ranking():
    points = pd.Series([20.0, 3.0, 11.0, 7.0])
    z = mv.outcome_coding(points, "normal_scores")
    assert list(z.rank()) == list(points.rank())
    assert abs(z.mean()) < 1e-12
    with pytest.raises(ValueError, match="valid"):
        mv.outcome_coding(points, "ranks")


# --- estimators ----------------------------------------------------------------------------------

def test_the_main_specification_reproduces_notebook_04_paths_exactly(book, prep, table):
    frame = data.oriented(data.cross_section(codebook=book), book)
    fit = estimate_pls(frame, estimation.pls_model_from_codebook(book, FACTORS))
    main = table.iloc[0]
    assert main["kind"] == "main"
    ours = np.array([main[f"path_{f}"] for f in FACTORS])
    theirs = fit.path_coefficients.loc[FACTORS, "adaptation"].to_numpy()
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    assert main["r2"] == pytest.approx(fit.r_squared.loc["adaptation", "r2"], abs=1e-12)


def test_mode_a_and_mode_b_specifications_agree_with_the_iterative_engine(prep, table):
    rows = [*table.index[table["estimator"] == "pls_mode_a"][:8],
            *table.index[table["estimator"] == "pls_mode_b"][:8]]
    assert (table.loc[rows, "estimator"] == "pls_mode_b").sum() == 8
    for s in rows:
        fit = _pls_fit(prep, s)
        ours = np.array([table.loc[s, f"path_{f}"] for f in FACTORS])
        np.testing.assert_allclose(ours, fit.path_coefficients.loc[FACTORS, "y"], atol=1e-10)


def test_equal_weight_specifications_agree_with_ols_on_mean_z_scores(prep, table):
    s = int(table.index[table["estimator"] == "equal_weights"][0])
    spec = prep.specs.iloc[s]
    cols = mv.spec_columns(spec, FACTORS, prep.sets)
    comp = pd.DataFrame({f: stats.zscores(prep.table[c]).mean(axis=1)
                         for f, c in zip(FACTORS, cols, strict=True)})
    check = stats.equal_weight_regression(comp, prep.table[f"outcome|{spec['outcome']}"])
    ours = [table.loc[s, f"path_{f}"] for f in FACTORS]
    np.testing.assert_allclose(ours, check["coef"].loc[FACTORS, "estimate"], atol=1e-10)
    assert table.loc[s, "r2"] == pytest.approx(check["r2"], abs=1e-10)


def test_fitting_each_data_variant_on_its_own_columns_changes_no_number(prep):
    """rb.fit estimates each year rule and scaling on its submatrix: exactly (not approximately)
    what one estimate_stack call on the whole stack gives, resamples that fail included."""
    counts = rb.bootstrap_counts(prep.n_obs, 60, 5)
    counts[7] = 0.0
    counts[7, 0] = prep.n_obs  # one region drawn every time: no column varies, the matrix fails
    whole = estimate_stack(weighted_correlations(prep.z, counts), prep.design)
    split = rb.fit(prep, counts)
    assert len(rb.variants(prep.design)) == len(set(prep.design.spec_group)) > 1
    assert not split.ok[:, 7].any() and split.ok.any()
    for name in ("paths", "r2", "ok"):
        assert np.array_equal(getattr(split, name), getattr(whole, name), equal_nan=True), name


def test_bootstrap_counts_resample_n_rows_from_the_pool():
    counts = rb.bootstrap_counts(20, 50, seed=1, rows=[i for i in range(20) if i != 4])
    assert counts.shape == (51, 20) and (counts.sum(axis=1) == 19).all()
    assert (counts[:, 4] == 0).all() and (counts[0] <= 1).all()


# --- verdicts and shares -------------------------------------------------------------------------

def test_shares_lie_in_0_1_and_add_up_over_verdicts(prep, table):
    verdicts = rb.claim_verdicts(prep, table, article.hypotheses(), 0.869)
    assert len(verdicts) == int(table["estimable"].sum()) > 0
    share = rb.shares(verdicts)
    assert share["share"].between(0, 1).all()
    total = share.groupby("claim")["share"].sum()
    np.testing.assert_allclose(total.to_numpy(), 1.0)
    assert set(share["verdict"]) == set(vd.VERDICTS)
    assert set(total.index) == set(rb.CLAIMS)


def test_c6_and_k1_verdicts_follow_the_path_intervals(prep, table):
    verdicts = rb.claim_verdicts(prep, table, article.hypotheses(), 0.869).set_index("spec_id")
    ok = table[table["estimable"]].set_index("spec_id")
    margin = vd.load_rules()["C6"].margin
    lo = ok[[f"lo_{f}" for f in FACTORS]].to_numpy()
    hi = ok[[f"hi_{f}" for f in FACTORS]].to_numpy()
    great = ((lo >= margin) | (hi <= -margin)).all(axis=1)
    assert ((verdicts["C6"] == "consistent").to_numpy() == great).all()
    assert ((verdicts["K1"] == "consistent").to_numpy() == (lo > 0).all(axis=1)).all()
    assert ((verdicts["K1"] == "inconsistent").to_numpy() == (hi < 0).any(axis=1)).all()


def test_path_ranges_bracket_the_median(table):
    ranges = rb.path_ranges(table, FACTORS)
    assert (ranges["min"] <= ranges["median"]).all() and (ranges["median"] <= ranges["max"]).all()


# --- influence and permutations ------------------------------------------------------------

def test_leaving_a_region_out_equals_estimating_without_it(prep):
    main = rb.subset(prep, [0])
    loro = rb.leave_one_region_out(main, 50, 1, article.hypotheses(), 0.869,
                                   regions=list(prep.table.index[:3]))
    assert list(loro["left_out"]) == ["none", *prep.table.index[:3]]
    fit = _pls_fit(prep, 0, rows=[i for i in range(prep.n_obs) if i != 1])
    row = loro.iloc[2]
    np.testing.assert_allclose([row[f"path_{f}"] for f in FACTORS],
                               fit.path_coefficients.loc[FACTORS, "y"], atol=1e-10)


def test_permutation_p_values_of_a_noise_outcome_are_roughly_uniform(prep):
    main = rb.subset(prep, [0])
    p_values = []
    for seed in range(60):
        noisy = main.z.copy()
        col = int(main.design.spec_outcome[0])
        noisy[:, col] = sps.zscore(np.random.default_rng(1000 + seed).normal(size=len(noisy)),
                                   ddof=1)
        test = rb.permutation_test(rb.Prepared(**{**main.__dict__, "z": noisy}), n_perm=199,
                                   seed=seed)
        p_values.append(float(test["p_r2"].iloc[0]))
    p_values = np.array(p_values)
    assert sps.kstest(p_values, "uniform").pvalue > 0.01
    assert 0.3 < p_values.mean() < 0.7


def test_a_real_signal_gets_a_small_permutation_p_value(prep):
    main = rb.subset(prep, [0])
    strong = main.z.copy()
    col = int(main.design.spec_outcome[0])
    block = main.design.blocks[main.design.spec_blocks[0, 2]]  # economy
    strong[:, col] = sps.zscore(strong[:, list(block)].sum(axis=1), ddof=1)
    test = rb.permutation_test(rb.Prepared(**{**main.__dict__, "z": strong}), n_perm=499, seed=1)
    assert test["p_r2"].iloc[0] < 0.01 and test["p_economy"].iloc[0] < 0.05


def test_plsc_specifications_equal_the_engines_consistent_pls(prep, table):
    from helpers.pls import reflective

    admissible = table.index[(table["estimator"] == "plsc") & table["estimable"]]
    assert len(admissible) > 0
    for s in admissible[:5]:
        spec = prep.specs.iloc[s]
        cols = mv.spec_columns(spec, FACTORS, prep.sets)
        corr = prep.table[[c for block in cols for c in block]].corr()
        constructs = []
        for f, c in zip(FACTORS, cols, strict=True):
            within = corr.loc[c, c].to_numpy()[~np.eye(len(c), dtype=bool)]
            constructs.append(single_item(f, c[0]) if len(c) == 1 else
                              reflective(f, c) if (within > 0).all() else composite(f, c))
        constructs.append(single_item("y", f"outcome|{spec['outcome']}"))
        fit = estimate_pls(prep.table, Model(constructs, relationships(paths(FACTORS, "y"))))
        np.testing.assert_allclose([table.loc[s, f"path_{f}"] for f in FACTORS],
                                   fit.path_coefficients.loc[FACTORS, "y"], atol=1e-10)


def test_percentiles_equal_numpy_quantiles_over_the_admissible_draws():
    rng = np.random.default_rng(5)
    draws = rng.normal(size=(4, 50, 3))
    draws[1, :7] = np.nan
    draws[2, :49] = np.nan  # one admissible draw: no interval
    n_ok = (~np.isnan(draws[:, :, 0])).sum(axis=1)
    lo, hi = rb.percentiles(draws, n_ok, (0.025, 0.975))
    for s in (0, 1, 3):
        np.testing.assert_allclose(lo[s], np.nanquantile(draws[s], 0.025, axis=0))
        np.testing.assert_allclose(hi[s], np.nanquantile(draws[s], 0.975, axis=0))
    assert np.isnan(lo[2]).all()


def test_the_main_priority_is_notebook_04s_ipma_choice_for_every_region(book, prep, table):
    from helpers.pls import ipma

    frame = data.oriented(data.cross_section(codebook=book), book)
    fit = estimate_pls(frame, estimation.pls_model_from_codebook(book, FACTORS))
    imp = ipma(fit, "adaptation")
    priorities = rb.priority_factors(prep, table)
    for region in frame.index:
        chosen = estimation.factor_to_improve(estimation.ipma_table(imp, fit, region, FACTORS))
        assert priorities.loc[0, region] == chosen, region


def test_notebook_05s_choices_lists_and_warnings_read_in_the_language(prep, table):
    """kk/ru: the multiverse's dimensions and choices in words (the same words as figure 10),
    lists of factor ids as names, the kinds of specification and the year rules translated; the
    PLSpredict run keeps the engine's warnings and says them, the LM benchmark that cannot be
    estimated among them; English keeps the recorded ids."""
    import pandas as pd

    from helpers.plots import fig10
    from tests.text_checks import english_cells, english_sentences

    moves = pd.DataFrame({"dimension": ["year_rule", "set_social"], "level": ["mean3", "full"],
                          "n": [3, 4], "share": [0.5, 0.25]})
    influence = pd.DataFrame({"reversed_paths": [["management"], []],
                              "changed_claims": [["C6"], []]},
                             index=pd.Index(["abai", "almaty"], name="region"))
    prediction = pd.DataFrame({"spec_id": [0, 3], "kind": ["main", "one choice away"],
                               "change": ["main specification", "year_rule = mean3; "
                                          "estimator = pls_mode_b"],
                               "q2_predict": [-0.1, 0.2], "pls_rmse": [6.4, 6.0],
                               "lm_rmse": [float("nan"), 5.0], "pls_beats_lm": [False, False]})
    caught = ["PredictWarning: LM benchmark for 'y' not estimable: 24 coefficients and only 19 "
              "training rows; its RMSE/MAE are NaN",
              "UserWarning: some outer weights are negative: performance may leave 0-100"]
    for lang in ("kk", "ru"):
        for shown in (rb.shown(moves, lang, prep.dims), rb.shown(influence, lang),
                      rb.shown(prediction, lang, prep.dims), rb.levels_table(prep, lang)):
            cells = [*shown.columns, *shown.index, *shown.to_numpy().ravel()]
            assert english_cells(cells) == [], lang
            assert not any(w in str(c) for c in cells for w in ("mean3", "pls_mode", "set_",
                                                                "[", "year_rule")), (lang, cells)
        assert rb.shown(moves, lang, prep.dims).iloc[0, 1] == fig10.level_label("year_rule",
                                                                                 "mean3", lang)
        assert rb.shown(influence, lang).iloc[0, 0] == rb.factor_labels(lang)["management"]
        said = rb.prediction_sentence(prediction, caught, lang)
        assert english_sentences(said) == [] and "0-100" not in said, lang
        specs = rb.specs_sentence(10, 5, {"main": 1, "one choice away": 4}, 7,
                                  {"latest": 2022}, lang)
        assert english_sentences(specs) == [] and "latest" not in specs, lang
    english = rb.prediction_sentence(prediction, caught, "en")
    assert "1 of 2 specifications" in english and caught[1] in english and caught[0] not in english
    assert rb.shown(influence, "en").iloc[0, 1] == "C6"
    assert list(rb.levels_table(prep, "en").index) == list(prep.dims)
