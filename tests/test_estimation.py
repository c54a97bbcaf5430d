"""Notebook 04's estimation (helpers.steps.nb04_pls_estimation): the model, the run, its record and
warnings."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.registers import article
from helpers.registers.data import load_codebook
from helpers.run import contract
from helpers.steps import nb04_pls_estimation as estimation


def test_pls_model_from_the_codebook():
    book = load_codebook()
    model = estimation.pls_model_from_codebook(book, article.FACTOR_IDS)
    assert len(model.structure) == 6 and model.endogenous == ["adaptation"]
    for c in model.constructs:
        n_items = int(((book["factor_id"] == c.name) & book["include"]).sum())
        assert len(c.items) == n_items
        assert c.mode == "A"
    with pytest.raises(KeyError, match="nothing"):
        estimation.pls_model_from_codebook(book, ["nothing"])


def test_factor_to_improve_follows_the_rule():
    table = pd.DataFrame({"importance": [0.5, 0.3, -0.4], "performance_city": [90.0, 20.0, 0.0]},
                         index=["a", "b", "c"])
    table["gap_score"] = table["importance"] * (100 - table["performance_city"].clip(0, 100))
    assert estimation.factor_to_improve(table) == "b"   # 0.3*80 = 24 > 0.5*10 = 5; c negative
    assert estimation.factor_to_improve(table[table["importance"] < 0]) is None


@pytest.fixture(scope="module")
def run():
    return estimation.estimate("astana", n_boot=60, seed=7)


def test_the_record_holds_exactly_the_declared_keys(run):
    declared = set(contract.notebook("04_pls_estimation").keys)
    # recorded from helpers.steps.nb04_editions in notebook 04
    by_the_notebook = {"codebook_editions"}
    assert set(estimation.record(run)) == declared - by_the_notebook


def test_warnings_are_kept_and_shown_not_swallowed(run):
    assert run.warnings, "the IPMA precondition warning should have been caught and kept"
    text = estimation.warnings_sentence(run)
    assert all(w in text for w in run.warnings)
    assert estimation.record(run)["estimation_warnings"] == run.warnings
    quiet = estimation.Estimation(**{**run.__dict__, "warnings": []})
    assert estimation.warnings_sentence(quiet) == "The estimation raised no warning."


def test_the_sentences_carry_the_computed_numbers(run):
    names = {f: f.upper() for f in [*run.factors, estimation.OUTCOME]}
    assert f"R² = {run.r2['r2']:.3f}" in estimation.paths_sentence(run, names)
    assert f"{run.c6['n_positive']} of 6 paths" in estimation.c6_sentence(run)
    chosen = run.factor_to_improve
    assert (names[chosen] if chosen else "no factor") in estimation.ipma_sentence(run, names, "X")
    assert estimation.hypotheses_table(run).index.tolist() == ["H1", "H2", "H3"]


def test_notebook_03s_c1_sentence_and_record_agree():
    from helpers import stats
    from helpers.steps import nb03_correlation_analysis as correlation

    half = article.table1() * 0.5
    ours = stats.threshold_check(half, 0.42)
    theirs = stats.threshold_check(article.table1(), 0.42)
    judged = correlation.c1_verdict(half, 2000, 0.42)
    record = correlation.c1_record(ours, theirs, 0.42, judged)
    assert record["c1_verdict"] == record["c1"]["verdict"] == "consistent"
    assert not record["c1"]["holds_article"] and record["n_above_042_article"] == 5
    assert "**consistent**" in correlation.c1_sentence(ours, theirs, 0.42, judged)
    # with 20 regions the same matrix cannot tell: its intervals reach past 0.42
    assert correlation.c1_verdict(half, 20, 0.42).verdict == "inconclusive"
    ranks = pd.Series({"social": 1, "law": 19})
    assert correlation.city_sentence("X", ranks, {"social": "S", "law": "L"}, 20) == (
        "X ranks best on S (1 of 20) and worst on L (19 of 20).")


def test_the_engines_warnings_read_in_the_language_and_as_the_engine_wrote_them_in_english(run):
    """Every warning the estimation raises has its catalogue sentence (so a kk/ru notebook says
    it in its language, the LM benchmark that cannot be estimated among them); the English
    notebook keeps the engine's words; a warning the catalogue does not know stays as it is."""
    from tests.text_checks import english_sentences

    assert any(estimation.LM_NOT_ESTIMABLE.match(w) for w in run.warnings)
    assert all(estimation.warning_said(w) is not None for w in run.warnings), run.warnings
    english = estimation.warnings_sentence(run, "en")
    assert all(w in english for w in run.warnings)
    for lang in ("kk", "ru"):
        text = estimation.warnings_sentence(run, lang)
        assert english_sentences(text) == [] and not any(w in text for w in run.warnings), lang
        assert estimation.factor_labels(lang)["adaptation"] in text, lang
    assert estimation.warning_text("SomeWarning: a new message", "kk") == (
        "SomeWarning: a new message")


def test_notebook_04s_interval_headers_say_the_level_of_their_computation(run):
    """The bounds of the paths, HTMT2 and equal-weight intervals say their level, read from the
    bootstrap's, the HTMT test's and pingouin's settings."""
    from helpers import stats

    assert run.level == 1 - run.boot.settings["alpha"]
    pct = f"{round(run.level * 100):d}"
    paths_en = estimation.shown(run.paths, "en", level=run.level)
    assert f"{pct} % CI, low" in paths_en.columns and f"{pct} % BCa CI, high" in paths_en.columns
    htmt = estimation.htmt2_table(run, {}, "ru")
    level = round((1 - run.htmt_test.settings["alpha"]) * 100)
    assert f"{level} % перцентильный ДИ: нижняя граница" in htmt.columns
    assert "ниже 0,85" in htmt.columns
    ols = estimation.equal_weight_table(run, "kk").columns[-1]
    assert ols == f"OLS {round(stats.CI_LEVEL * 100)} % сенімділік аралығы"


def test_notebook_04s_tables_name_factors_and_indicators_and_write_decimal_commas(run):
    """kk/ru: the hypotheses' paths by factor name, the PLSpredict table (transposed: mixed
    values) with translated rows and decimal commas, indicator ids as names."""
    from tests.text_checks import english_cells

    for lang in ("kk", "ru"):
        names = estimation.factor_labels(lang)
        hyp = estimation.hypotheses_table(run, lang)
        assert all(names[f] in cell for f, cell in zip(
            [run.verdicts[h]["paths"][0] for h in hyp.index], hyp.iloc[:, 2], strict=True))
        items = estimation.shown(run.prediction.items.drop(columns="construct").T, lang)
        cells = [*items.index, *items.columns, *items.to_numpy().ravel()]
        assert english_cells(cells) == [] and not any("_" in str(c) for c in cells), lang
        assert "," in str(items.iloc[0, 0]) and "." not in str(items.iloc[0, 0]), lang
        measured = estimation.shown(run.fit.measurement_table, lang)
        assert not any("_" in str(i) for i in measured.index), lang


def test_prediction_reading_says_when_the_lm_benchmark_is_not_estimable():
    """With Q²_predict > 0 and no estimable LM benchmark the reading says both (the engine's
    reading, helpers.pls.predict.reading, does); with Q²_predict ≤ 0 there is no relevance."""
    from helpers.pls.predict import reading

    items = pd.DataFrame({"q2_predict": [0.2, -0.1], "lm_rmse": [float("nan")] * 2,
                          "pls_beats_lm_rmse": [False, False]})
    assert "not estimable" in reading(items)
    assert estimation.prediction_reading(items, "en").startswith("Q²_predict > 0 for 1 of 2")
    assert "not estimable" in estimation.prediction_reading(items, "en")
    assert "оценить нельзя" in estimation.prediction_reading(items, "ru")
    items["q2_predict"] = [-0.2, -0.1]
    assert estimation.prediction_reading(items, "en").startswith("no predictive relevance")
