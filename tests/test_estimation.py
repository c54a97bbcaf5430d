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
