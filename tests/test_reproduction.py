"""Unit tests of helpers.reproduction: verdict rules, key lookup, the registry, the page."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import reproduction as rep


def test_abs_diff_uses_the_tolerance_inclusively():
    assert rep.rule_abs_diff(0.50, 0.40, 0.1).verdict == "reproduced"
    assert rep.rule_abs_diff(0.51, 0.40, 0.1).verdict == "differs"
    assert rep.rule_abs_diff(0.30, 0.40, 0.1).verdict == "reproduced"
    assert "Δ = -0.150" in rep.rule_abs_diff(0.25, 0.40, 0.1).reason
    with pytest.raises(ValueError, match="tolerance"):
        rep.rule_abs_diff(1.0, 1.0, None)


def test_le_and_count_zero():
    assert rep.rule_le(0.42, 0.42).verdict == "reproduced"
    assert rep.rule_le(0.4201, 0.42).verdict == "differs"
    assert rep.rule_count_zero(0).verdict == "reproduced"
    assert rep.rule_count_zero(5).verdict == "differs"


def _series(values, years=None):
    years = years or list(range(2013, 2013 + len(values)))
    return [{"year": y, "value": v} for y, v in zip(years, values, strict=True)]


def test_increasing_rule_separates_fall_gap_and_growth():
    assert rep.rule_increasing(_series([1, 2, 3])).verdict == "reproduced"
    assert rep.rule_increasing(_series([1, 3, 2])).verdict == "differs"
    gap = rep.rule_increasing(_series([1, 2, 3], [2013, 2014, 2020]))
    assert gap.verdict == "cannot be checked" and "5 of the years" in gap.reason
    assert rep.rule_increasing(_series([1, 1, 2])).verdict == "cannot be checked"
    assert rep.rule_increasing(_series([1])).verdict == "cannot be checked"


def test_path_rules():
    paths = {"a": {"estimate": 0.3, "ci_low": 0.1}, "b": {"estimate": 0.2, "ci_low": -0.1}}
    assert rep.rule_all_positive(paths).verdict == "reproduced"
    assert rep.rule_all_significant_positive(paths).verdict == "differs"
    paths["b"]["estimate"] = -0.2
    v = rep.rule_all_positive(paths)
    assert v.verdict == "differs" and "not positive: b" in v.reason


def test_hypothesis_verdicts_map_onto_the_three_verdicts():
    assert rep.rule_verdict("confirmed").verdict == "reproduced"
    assert rep.rule_verdict("not confirmed").verdict == "differs"
    assert rep.rule_verdict("cannot be tested with these data").verdict == "cannot be checked"
    with pytest.raises(ValueError, match="Unknown hypothesis verdict"):
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
])


def test_evaluate_on_synthetic_results_uses_astana_as_the_worked_example():
    store = {("03_x", "astana"): {"r": 0.45}, ("03_x", "almaty"): {"r": 0.9},
             ("02_x", "kazakhstan"): {"series": _series([1, 2, 1])}}
    results = rep.Results(["almaty", "astana"], loader=_fake(store))
    table = rep.evaluate(CHECKS, results)
    assert results.example == "astana"
    assert list(table["verdict"]) == ["reproduced", "differs", "cannot be checked"]
    assert table.loc[0, "claim"] == "r = 0.4" and table.loc[0, "ours"] == 0.45
    assert rep.counts(table) == {"reproduced": 1, "differs": 1, "cannot be checked": 1}
    assert "Differing: X2" in rep.summary_sentence(table)


def test_evaluate_raises_instead_of_hiding_a_missing_key():
    store = {("03_x", "astana"): {"not_r": 1}, ("02_x", "kazakhstan"): {"series": []}}
    with pytest.raises(rep.MissingResult, match="03_x JSON for 'astana' has no key 'r'"):
        rep.evaluate(CHECKS, rep.Results(["astana"], loader=_fake(store)))


def test_the_registry_is_valid_and_covers_the_articles_claims():
    from helpers import article

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
        rep.counts(pd.DataFrame({"verdict": ["reproduced", "probably"]}))


def test_html_page_colours_each_verdict_and_escapes_text():
    table = pd.DataFrame([{"id": "X<1>", "claim": "a & b", "article": 0.4, "ours": 0.45,
                           "verdict": v, "reason": "r", "source": "s", "location": "l"}
                          for v in rep.VERDICTS])
    page = rep.html_page(table, pd.DataFrame({"city": ["astana"]}), "T", "intro")
    assert page.startswith("<!DOCTYPE html>") and "X&lt;1&gt;" in page and "a &amp; b" in page
    for verdict, colour in rep.verdict_colours().items():
        assert f"background:{colour}" in page and verdict in page
