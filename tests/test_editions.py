"""The codebook's editions compared in notebook 04 (helpers.steps.nb04_editions)."""

from __future__ import annotations

import pytest

from helpers.registers import article
from helpers.registers.data import load_codebook
from helpers.steps import nb04_editions as editions


def test_the_second_edition_summary_is_notebook_04s_own_estimate(report):
    res = report("04_pls_estimation")
    second = res["codebook_editions"]["second"]
    assert second["n_negative_weights"] == res["n_negative_weights"]
    assert second["max_htmt"] == pytest.approx(res["max_htmt"])
    assert second["r2"] == pytest.approx(res["r2"])
    assert second["adj_r2"] == pytest.approx(res["adj_r2"])


def test_summary_counts_the_codebook():
    book = load_codebook(editions.EDITIONS["first"])
    s = editions.measurement_summary(book, list(article.FACTOR_IDS), "adaptation")
    included = book[book.include]
    assert s["n_indicators"] == len(included) == s["n_official"] + s["n_secondary"]
    assert s["indicators_per_factor"] == included.groupby("factor_id").size().to_dict()
    assert 0 <= s["n_negative_weights"] <= len(included)
    assert set(s["max_htmt_pair"]) <= set(article.FACTOR_IDS) | {"adaptation"}
    table = editions.editions_table({"first": s})
    assert table.loc["first", "negative weights"] == s["n_negative_weights"]
