"""Unit tests of helpers.steps.nb08_reproduction_report: verdict rules, key lookup, the registry,
the page."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.steps import nb08_reproduction_report as rep


def test_abs_diff_uses_the_tolerance_inclusively():
    assert rep.rule_abs_diff(0.50, 0.40, 0.1).verdict == "consistent"
    assert rep.rule_abs_diff(0.51, 0.40, 0.1).verdict == "inconsistent"
    assert rep.rule_abs_diff(0.30, 0.40, 0.1).verdict == "consistent"
    assert "Δ = -0.150" in rep.rule_abs_diff(0.25, 0.40, 0.1).reason
    with pytest.raises(ValueError, match="tolerance"):
        rep.rule_abs_diff(1.0, 1.0, None)


def test_le_and_count_zero():
    assert rep.rule_le(0.42, 0.42).verdict == "consistent"
    assert rep.rule_le(0.4201, 0.42).verdict == "inconsistent"
    assert rep.rule_count_zero(0).verdict == "consistent"
    assert rep.rule_count_zero(5).verdict == "inconsistent"


def _series(values, years=None):
    years = years or list(range(2013, 2013 + len(values)))
    return [{"year": y, "value": v} for y, v in zip(years, values, strict=True)]


def test_increasing_rule_separates_fall_gap_and_growth():
    assert rep.rule_increasing(_series([1, 2, 3])).verdict == "consistent"
    assert rep.rule_increasing(_series([1, 3, 2])).verdict == "inconsistent"
    gap = rep.rule_increasing(_series([1, 2, 3], [2013, 2014, 2020]))
    assert gap.verdict == "not checkable" and "5 of the years" in gap.reason
    assert rep.rule_increasing(_series([1, 1, 2])).verdict == "not checkable"
    assert rep.rule_increasing(_series([1])).verdict == "not checkable"


def test_path_rules():
    paths = {"a": {"estimate": 0.3, "ci_low": 0.1}, "b": {"estimate": 0.2, "ci_low": -0.1}}
    assert rep.rule_all_positive(paths).verdict == "consistent"
    assert rep.rule_all_significant_positive(paths).verdict == "inconsistent"
    paths["b"]["estimate"] = -0.2
    v = rep.rule_all_positive(paths)
    assert v.verdict == "inconsistent" and "not positive: b" in v.reason


def test_hypothesis_verdicts_map_onto_the_three_verdicts():
    assert rep.rule_verdict("confirmed").verdict == "consistent"
    assert rep.rule_verdict("not confirmed").verdict == "inconclusive"  # an interval covers 0
    assert rep.rule_verdict("cannot be tested with these data").verdict == "not checkable"
    with pytest.raises(ValueError, match="Unknown hypothesis finding"):
        rep.rule_verdict("maybe")


def test_a_missing_key_is_an_error_naming_notebook_and_key():
    data = {"paths": {"law": {"estimate": 1.0}}}
    assert rep.lookup(data, "paths.law.estimate") == 1.0
    with pytest.raises(rep.MissingResult, match=r"04_pls.*'paths\.social\.estimate'"):
        rep.lookup(data, "paths.social.estimate", "04_pls", "astana")


def _fake(store):
    def loader(notebook, slug):
        try:
            return store[(notebook, slug)]
        except KeyError:
            raise rep.MissingResult(f"{notebook} wrote nothing for {slug}") from None
    return loader


CHECKS = pd.DataFrame([
    {"id": "X1", "claim_en": "r = {article}", "article_ref": "", "article_text": "0.4",
     "notebook": "03_x", "scope": "example", "key": "r", "rule": "abs_diff", "tolerance": "0.1",
     "verdict_key": "", "location": "here", "note": "a note"},
    {"id": "X2", "claim_en": "growth", "article_ref": "", "article_text": "yes",
     "notebook": "02_x", "scope": "national", "key": "series", "rule": "increasing",
     "tolerance": "", "verdict_key": "", "location": "there", "note": ""},
    {"id": "X3", "claim_en": "untestable", "article_ref": "", "article_text": "2013",
     "notebook": "", "scope": "", "key": "", "rule": "not_testable", "tolerance": "",
     "verdict_key": "", "location": "p. 1", "note": "no data"},
]).assign(kind=["data-analytic replication", "source-data reproduction", "not checkable"])


def test_evaluate_on_synthetic_results_uses_astana_as_the_worked_example():
    store = {("03_x", "astana"): {"r": 0.45}, ("03_x", "almaty"): {"r": 0.9},
             ("02_x", "kazakhstan"): {"series": _series([1, 2, 1])}}
    results = rep.Results(["almaty", "astana"], loader=_fake(store))
    table = rep.evaluate(CHECKS, results)
    assert results.example == "astana"
    assert list(table["verdict"]) == ["consistent", "inconsistent", "not checkable"]
    assert table.loc[0, "claim"] == "r = 0.4" and table.loc[0, "ours"] == 0.45
    assert rep.counts(table) == {"consistent": 1, "inconsistent": 1, "inconclusive": 0,
                                 "not checkable": 1}
    assert "Inconsistent: X2" in rep.summary_sentence(table)


def test_evaluate_raises_instead_of_hiding_a_missing_key():
    store = {("03_x", "astana"): {"not_r": 1}, ("02_x", "kazakhstan"): {"series": []}}
    with pytest.raises(rep.MissingResult, match="03_x JSON for 'astana' has no key 'r'"):
        rep.evaluate(CHECKS, rep.Results(["astana"], loader=_fake(store)))


def test_the_registry_is_valid_and_covers_the_articles_claims():
    from helpers.registers import article

    checks = rep.load_checks()
    ids = set(checks["id"])
    assert set(article.claims()["id"]) <= ids
    assert sum(i.startswith("T1-") for i in ids) == 15
    assert {"H1", "H2", "H3"} <= ids
    assert rep.table1_tolerance(checks) == 0.1


def test_the_registry_refuses_an_unknown_rule(tmp_path):
    bad = CHECKS.assign(rule=["abs_diff", "guess", "not_testable"])
    path = tmp_path / "c.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(ValueError, match="row 3, column 'rule': 'guess'"):
        rep.load_checks(path)


def test_counts_refuse_an_unknown_verdict():
    with pytest.raises(ValueError, match="Unknown verdict"):
        rep.counts(pd.DataFrame({"verdict": ["consistent", "probably"]}))


def test_html_page_colours_each_verdict_and_escapes_text():
    table = pd.DataFrame([{"id": "X<1>", "claim": "a & b", "article": 0.4, "ours": 0.45,
                           "verdict": v, "reason": "r", "source": "s", "location": "l",
                           "kind": "internal consistency", "robustness_text": ""}
                          for v in rep.VERDICTS])
    page = rep.html_page(table, pd.DataFrame({"city": ["astana"]}), "T", "intro")
    assert page.startswith("<!DOCTYPE html>") and "X&lt;1&gt;" in page and "a &amp; b" in page
    for verdict, colour in rep.verdict_colours().items():
        assert f"background:{colour}" in page and verdict in page


def test_every_claim_has_a_kind_and_table1_is_a_replication_never_a_reproduction():
    checks = rep.load_checks()
    assert set(checks["kind"]) <= set(rep.KINDS)
    table1 = checks[checks["id"].str.startswith("T1-")]
    assert len(table1) == 15 and (table1["kind"] == "data-analytic replication").all()
    assert (checks.loc[checks["rule"] == "not_testable", "kind"] == "not checkable").all()
    assert checks.set_index("id").loc["C1-T", "kind"] == "internal consistency"
    assert checks.set_index("id").loc["C5", "kind"] == "source-data reproduction"


def test_the_registry_refuses_an_unknown_kind(tmp_path):
    path = tmp_path / "c.csv"
    CHECKS.assign(kind=["reproduced", "source-data reproduction", "not checkable"]).to_csv(
        path, index=False)
    with pytest.raises(ValueError, match="row 2, column 'kind': 'reproduced'"):
        rep.load_checks(path)
    CHECKS.assign(kind=["data-analytic replication", "source-data reproduction",
                        "internal consistency"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="row 4: a claim without a test"):
        rep.load_checks(path)


def test_robustness_is_attached_to_the_claims_notebook_08_judged():
    store = {("03_x", "astana"): {"r": 0.45}, ("02_x", "kazakhstan"): {"series": _series([1, 2])},
             ("05_robustness", "kazakhstan"): {"n_estimable": 8, "shares": [
                 {"claim": "X1", "verdict": "consistent", "n": 2, "share": 0.25},
                 {"claim": "X1", "verdict": "inconsistent", "n": 6, "share": 0.75},
                 {"claim": "X1", "verdict": "not checkable", "n": 0, "share": 0.0}]}}
    results = rep.Results(["astana"], loader=_fake(store))
    table = rep.evaluate(CHECKS, results, rep.robustness_shares(results))
    assert table.loc[0, "robustness"] == 0.25
    assert table.loc[0, "robustness_text"] == "of 8 specifications: 25.0% consistent, " \
        "75.0% inconsistent"
    assert pd.isna(table.loc[1, "robustness"]) and table.loc[1, "robustness_text"] == ""
    kinds = rep.kind_counts(table)
    assert sum(sum(v.values()) for v in kinds.values()) == len(table)
    assert kinds["not checkable"]["not checkable"] == 1


def test_display_items_have_an_acre_level_and_a_reason(tmp_path):
    items = rep.display_items()
    assert list(items["item"]) == ["Figure 1", "Figure 2", "Figure 3", "Table 1"]
    assert items["acre_level"].between(1, 10).all() and items["reason"].str.len().min() > 20
    bad = items.assign(acre_level=[1, 11, 1, 1])
    path = tmp_path / "items.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(ValueError, match="row 3, column 'acre_level'"):
        rep.display_items(path)
