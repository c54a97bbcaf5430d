"""The article's published numbers, as data, agree with the article's text."""

from __future__ import annotations

import re

import numpy as np

from helpers.registers import article


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


def _text_made_from_the_data() -> str:
    """A small stand-in for the article: each number, quotation and Table 1 row of data/article
    on the line its location names, and the references cited (the real text is not in the
    repository: it has no licence)."""
    from helpers.registers.data import read_table
    from helpers.steps import nb00_literature_framing as framing

    lines = [""] * 400
    def put(location: str, content: str) -> None:
        match = re.search(r"article-kk\.txt lines? (\d+)", location)
        line = int(match.group(1)) - 1 if match else 0
        lines[line] += " " + content

    for r in article.figure2_table().itertuples():
        put(r.location, f"{float(r.value):g}".replace(".", ","))
    for r in article.claims().itertuples():
        if r.value == r.value:  # not NaN
            put(r.location, f"{r.value:g}".replace(".", ","))
    for r in read_table(article.ARTICLE / "city_statements.csv").itertuples():
        put(r.location, r.quote_kk)
    for r in article.hypotheses().itertuples():
        put(r.location, r.text_kk.replace("...", " ... "))
    m, codes = article.table1(), article.factors().set_index("id").code_kk.str.upper()
    for k, row in enumerate(article.FACTOR_IDS):
        cells = " ".join(f"{m.loc[row, c]:.3f}".replace(".", ",") for c in article.FACTOR_IDS[:k])
        lines.append(f"{codes[row]} {cells} 1".replace("  ", " "))
    refs = set(framing.load_definitions()["ref"]) | set(framing.load_timeline()["ref"])
    lines.append(" ".join(sorted(r for r in refs if r)))
    return "\n".join(lines) + "\n"


def test_the_data_agrees_with_a_text_that_prints_it():
    assert article.verify_against(_text_made_from_the_data()) == []


def test_a_changed_table1_number_is_reported():
    text = _text_made_from_the_data().replace("0,489", "0,488")
    problems = article.verify_against(text)
    assert len(problems) == 1 and problems[0].startswith("Table 1 row ТҚ")


def test_a_number_missing_from_its_line_is_reported():
    text = _text_made_from_the_data().replace("0,8693", "0,8690")
    problems = " ".join(article.verify_against(text))
    assert "figure2.csv trend_r2: 0,8693 is not printed" in problems
    assert "claims.csv C4" in problems


def test_a_missing_quotation_and_reference_are_reported():
    text = _text_made_from_the_data().replace("14,2 балды", "14,3 балды").replace("[10]", "")
    problems = " ".join(article.verify_against(text))
    assert "city_statements.csv S1: the quotation" in problems
    assert "reference [10]" in problems


def test_the_maintenance_command(tmp_path, capsys):
    good = tmp_path / "article.txt"
    good.write_text(_text_made_from_the_data(), encoding="utf-8")
    assert article.main(["--verify-against", str(good)]) == 0
    assert "agrees" in capsys.readouterr().out
    bad = tmp_path / "bad.txt"
    bad.write_text(good.read_text(encoding="utf-8").replace("0,489", "0,488"), encoding="utf-8")
    assert article.main(["--verify-against", str(bad)]) == 1
    assert "Table 1 row ТҚ" in capsys.readouterr().err
