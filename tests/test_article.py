"""The article's published numbers, as data, agree with the article's text."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import article
from helpers.paths import SHARED

TEXT = SHARED / "article" / "article-kk.txt"


def test_factors_have_codes_and_three_languages():
    f = article.factors()
    assert list(f.id[f.role == "factor"]) == list(article.FACTOR_IDS)
    assert list(f.code_kk) == ["ӘО", "ҚМ", "ҚЭ", "З", "Т", "Тқ", "y"]
    assert (f[["name_en", "name_kk", "name_ru", "location"]] != "").all().all()


def test_table1_is_a_symmetric_correlation_matrix():
    m = article.table1()
    assert m.shape == (6, 6) and list(m.index) == list(article.FACTOR_IDS)
    assert np.allclose(m.to_numpy(), m.to_numpy().T)
    assert (np.diag(m) == 1).all()
    assert np.all(np.linalg.eigvalsh(m.to_numpy()) > 0)
    assert m.loc["technology", "sustainability"] == 0.489


def test_claim_0_42_is_contradicted_by_table1():
    limit = article.claims().set_index("id").loc["C1", "value"]
    above = article.table1_offdiagonal()
    assert limit == 0.42
    assert sorted(above[above > limit].round(3)) == [0.422, 0.436, 0.456, 0.469, 0.489]


def test_figure2_values():
    fig = article.figure2()
    assert (fig["astana"], fig["almaty"], fig["r2"], fig["year_label"]) == (
        14.2, 11.8, 0.8693, "2023")


def test_hypotheses_name_known_factors():
    h = article.hypotheses()
    assert list(h.id) == ["H1", "H2", "H3"]
    assert all(set(fs) <= set(article.FACTOR_IDS) for fs in h.factors)
    assert (h[["text_en", "text_ru", "text_kk", "location"]] != "").all().all()


@pytest.mark.skipif(not TEXT.exists(), reason=f"the article's text ({TEXT}) is not available")
def test_table1_and_figure2_match_the_article_text():
    text = TEXT.read_text(encoding="utf-8")
    codes = dict(zip(article.factors().code_kk.str.upper(), article.factors().id, strict=True))
    m = article.table1()
    rows = re.findall(r"^(ӘО|ҚМ|ҚЭ|З|Т|ТҚ)((?: 0,\d{3})*) 1 *$", text, flags=re.M)
    assert len(rows) == 6
    assert sum(len(n.split()) for _, n in rows) == 15
    for code, numbers in rows:
        printed = [float(x.replace(",", ".")) for x in numbers.split()]
        row = codes[code]
        ours = [m.loc[row, c] for c in article.FACTOR_IDS[: len(printed)]]
        assert printed == ours, code
    assert "14,2 балды" in text and "Алматы қаласында 11,8" in text
    assert "R² = 0,8693" in text and "0,42-ден аспады" in text
