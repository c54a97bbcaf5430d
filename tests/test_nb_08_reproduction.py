"""08_reproduction_report: the JSON and the standalone page of the session run."""

from __future__ import annotations

import pytest

from helpers.registers import article
from helpers.steps import nb08_reproduction_report as reproduction
from tests.conftest import TEST_CITY, read_report


@pytest.fixture(scope="module")
def repro(report):
    return report("08_reproduction_report", "kazakhstan")


def test_at_least_fifteen_claims_each_with_one_of_the_four_verdicts(repro):
    claims = repro["claims"]
    assert len(claims) >= 15 and repro["n_claims"] == len(claims)
    assert all(c["verdict"] in reproduction.VERDICTS for c in claims)
    assert all(c["reason"] for c in claims)
    assert sum(repro["counts"].values()) == len(claims)


def test_the_key_claims_are_present_with_the_articles_numbers(repro):
    by_id = {c["id"]: c for c in repro["claims"]}
    assert by_id["C1"]["article"] == 0.42
    assert by_id["C2"]["article"] == 14.2 and by_id["C3"]["article"] == 11.8
    assert by_id["C4"]["article"] == article.figure2()["r2"]
    table1 = [c for c in repro["claims"] if c["id"].startswith("T1-")]
    assert len(table1) == 15
    assert sorted(c["article"] for c in table1) == sorted(article.table1_offdiagonal())


def test_table1_verdicts_follow_the_one_rule(repro):
    from helpers.registers import verdicts as vd

    margin = repro["tolerance_r"]
    for c in repro["claims"]:
        if c["id"].startswith("T1-"):
            low, high = vd.fisher_interval(c["ours"], 20)
            # ours is shown rounded to 4 decimals, the interval from the unrounded r
            assert c["interval"] == pytest.approx([low, high], abs=5e-4), c["id"]
            if low >= c["article"] - margin and high <= c["article"] + margin:
                expected = "consistent"
            elif not low <= c["article"] <= high:
                expected = "inconsistent"
            else:
                expected = "inconclusive"
            assert c["verdict"] == expected and c["method"] == "fisher_z", c["id"]
            assert c["margin"] == margin and c["margin_reason"]


def test_every_inconsistent_row_shows_an_interval_excluding_the_article(repro):
    import pandas as pd

    table = pd.DataFrame(repro["claims"])
    assert reproduction.check_inconsistent_rows(table) == []
    for c in repro["claims"]:
        if c["verdict"] == "inconsistent" and c["method"] not in ("count_zero",
                                                                  "series_increasing"):
            assert c["interval"] is not None, c["id"]
            if c["method"] == "notebook":  # a published figure that is not the article's
                assert c["interval"][0] == c["interval"][1] != c["article"], c["id"]


def test_verdicts_agree_with_the_notebooks_own(repro, report):
    by_id = {c["id"]: c["verdict"] for c in repro["claims"]}
    slug = repro["example_city"]
    assert slug == TEST_CITY or slug == "astana"
    corr = report("03_correlation_analysis", slug)
    pls = report("04_pls_estimation", slug)
    inn = report("02_innovation_activity", slug)
    assert by_id["C1"] == corr["c1_verdict"]
    assert by_id["C6"] == pls["c6_verdict"]
    assert by_id["C5"] == inn["verdicts"]["C5"]["verdict"]
    # the article's own Table 1 breaks its 0.42 ceiling
    assert by_id["C1-T"] == ("inconsistent" if corr["n_above_042_article"] else "consistent")


def test_city_summaries_and_the_html_page(repro, study_root):
    assert [c["city"] for c in repro["cities"]] == [TEST_CITY]
    page = study_root / repro["html"]
    assert page.exists()
    text = page.read_text(encoding="utf-8")
    assert text.count("<tr>") >= repro["n_claims"] + 1
    assert read_report(study_root, "kazakhstan", "08_reproduction_report")["parameters"][
        "cities"] == [TEST_CITY]


def test_every_claim_has_a_kind_and_no_table1_entry_is_called_reproduced(repro):
    for c in repro["claims"]:
        assert c["kind"] in reproduction.KINDS, c["id"]
        if c["id"].startswith("T1-"):
            assert c["kind"] == "data-analytic replication", c["id"]
        assert "reproduced" not in c["verdict"]
    total = sum(sum(v.values()) for v in repro["kind_counts"].values())
    assert total == repro["n_claims"]


def test_structural_claims_carry_notebook_08s_robustness(repro, report):
    shares = report("05_robustness", "kazakhstan")["share_consistent"]
    assert {"H1", "C6", "K1", "C4-PLS"} <= set(shares)
    by_id = {c["id"]: c for c in repro["claims"]}
    for claim, share in shares.items():
        assert by_id[claim]["robustness"] == pytest.approx(share), claim
        assert "specifications" in by_id[claim]["robustness_text"]
    assert all(c["robustness"] is None for c in repro["claims"] if c["id"] not in shares)


def test_the_display_items_have_their_acre_level(repro):
    items = {i["item"]: i for i in repro["display_items"]}
    assert set(items) == {"Figure 1", "Figure 2", "Figure 3", "Table 1"}
    assert all(1 <= i["acre_level"] <= 10 and i["reason"] for i in items.values())


def test_the_data_source_reading_matches_the_traces_of_notebook_02(repro, report):
    inn = report("02_innovation_activity", repro["example_city"])
    c2, c3 = inn["verdicts"]["C2"], inn["verdicts"]["C3"]
    by_id = {c["id"]: c for c in repro["claims"]}
    assert c3["finding"] == "traced to a different quantity" and c3["matches"]
    assert not c2["matches"]  # Astana's 14.2 matches nothing: C12 stays inconclusive
    assert by_id["C12"]["verdict"] == "inconclusive" and by_id["C3"]["verdict"] == "inconsistent"


def test_both_readings_of_table1_side_by_side(repro, report):
    """The second reading (the worked example's own years, notebook 03) beside each Table 1
    verdict and C1's, taken over unchanged."""
    corr = report("03_correlation_analysis", repro["example_city"])
    by_id = {c["id"]: c for c in repro["claims"]}
    for row in corr["table1_both_readings"]:
        second = by_id[row["claim"]]["second_reading"]
        for design in ("levels", "differences"):
            assert second[design]["verdict"] == row[f"{design}_verdict"]["verdict"], row["claim"]
    assert by_id["C1"]["second_reading"]["levels"]["verdict"] == (
        corr["over_years"]["c1"]["levels"]["verdict"])
    assert repro["reading_favoured"] == corr["reading_favoured"]
    assert by_id["C2"]["second_reading"] is None


def test_each_claim_s_reason_is_recorded_as_a_sentence_any_language_writes(repro):
    """The record's ``message`` and ``power_message`` (catalogue key and values) write the
    English ``reason`` and ``power`` again, word for word, and write them in Kazakh and Russian,
    other sentences with no English in them (the site's kk/ru report shows them)."""
    from helpers.registers.i18n import written
    from tests.text_checks import english_sentences

    robust = [c for c in repro["claims"] if c["robustness_text"]]
    assert robust and all(c["robustness_message"] is None for c in repro["claims"]
                          if not c["robustness_text"])
    for claim in robust:
        assert written(claim["robustness_message"], "en") == claim["robustness_text"]
        for lang in ("kk", "ru"):
            said = written(claim["robustness_message"], lang)
            assert said != claim["robustness_text"] and "specifications" not in said, said
    powers = [c for c in repro["claims"] if c["power"]]
    assert powers and all(c["power_message"] is None for c in repro["claims"] if not c["power"])
    for claim in repro["claims"]:
        assert written(claim["message"], "en") == claim["reason"], claim["id"]
        if claim["power"]:
            assert written(claim["power_message"], "en") == claim["power"], claim["id"]
        for lang in ("kk", "ru"):
            said = written(claim["message"], lang)
            assert said != claim["reason"] and not english_sentences(said), (lang, said)
            if claim["power"]:
                said = written(claim["power_message"], lang)
                assert said != claim["power"] and not english_sentences(said), (lang, said)
