"""Unit tests of helpers.steps.nb08_reproduction_report: verdict rules, key lookup, the registry,
the page."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.registers import verdicts as vd
from helpers.steps import nb08_reproduction_report as rep


def _series(values, years=None):
    years = years or list(range(2013, 2013 + len(values)))
    return [{"year": y, "value": v} for y, v in zip(years, values, strict=True)]


def test_increasing_rule_separates_fall_gap_and_growth():
    rule = vd.Rule("X", "series_increasing")
    assert vd.judge(rule, _series([1, 2, 3])).verdict == "consistent"
    assert vd.judge(rule, _series([1, 3, 2])).verdict == "inconsistent"
    gap = vd.judge(rule, _series([1, 2, 3], [2013, 2014, 2020]))
    assert gap.verdict == "not checkable" and "5 of the years" in gap.reason
    assert vd.judge(rule, _series([1, 1, 2])).verdict == "not checkable"
    assert vd.judge(rule, _series([1])).verdict == "not checkable"


def test_matrix_pairs_and_power_sentence():
    m = {"a": {"a": 1, "b": 0.3, "c": -0.5}, "b": {"a": 0.3, "b": 1, "c": 0.1},
         "c": {"a": -0.5, "b": 0.1, "c": 1}}
    assert rep.matrix_pairs(m) == {"a–b": 0.3, "a–c": -0.5, "b–c": 0.1}
    text = rep.power_sentence({"n": 20, "k": 6, "min_r2": 0.52, "target_power": 0.8,
                               "alpha": 0.05, "power_at_observed_r2": 0.7}).text("en")
    assert "R² ≥ 0.52" in text and "80%" in text


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


RULE_COLUMNS = {"method": ["fisher_z", "series_increasing", "not_checkable"],
                "margin": [0.1, None, None], "margin_reason": ["why", "", ""],
                "level": [0.95, 0.95, 0.95], "rule_note": ["", "", "no data"]}
CHECKS = pd.DataFrame([
    {"id": "X1", "claim_en": "r = {article}", "article_ref": "", "article_text": "0.4",
     "notebook": "03_x", "scope": "example", "key": "r", "support_key": "n",
     "verdict_key": "", "location": "here", "note": "a note"},
    {"id": "X2", "claim_en": "growth", "article_ref": "", "article_text": "yes",
     "notebook": "02_x", "scope": "national", "key": "series", "support_key": "",
     "verdict_key": "", "location": "there", "note": ""},
    {"id": "X3", "claim_en": "untestable", "article_ref": "", "article_text": "2013",
     "notebook": "", "scope": "", "key": "", "support_key": "", "verdict_key": "",
     "location": "p. 1", "note": "no data"},
]).assign(kind=["data-analytic replication", "source-data reproduction", "not checkable"])
JUDGED = CHECKS.assign(**RULE_COLUMNS)


def _rules(tmp_path, methods=("fisher_z", "series_increasing", "not_checkable")):
    path = tmp_path / "rules.csv"
    rows = [f"{i},{m},{'0.1' if m == 'fisher_z' else ''},{'why' if m == 'fisher_z' else ''},"
            f"0.95,{'no data' if m == 'not_checkable' else ''}"
            for i, m in zip(("X1", "X2", "X3"), methods, strict=True)]
    path.write_text("claim,method,margin,margin_reason,level,note\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def test_evaluate_on_synthetic_results_uses_astana_as_the_worked_example():
    store = {("03_x", "astana"): {"r": 0.41, "n": 5000}, ("03_x", "almaty"): {"r": 0.9, "n": 20},
             ("02_x", "kazakhstan"): {"series": _series([1, 2, 1])}}
    results = rep.Results(["almaty", "astana"], loader=_fake(store))
    table = rep.evaluate(JUDGED, results)
    assert results.example == "astana"
    assert list(table["verdict"]) == ["consistent", "inconsistent", "not checkable"]
    assert table.loc[0, "claim"] == "r = 0.4" and table.loc[0, "ours"] == 0.41
    low, high = table.loc[0, "interval"]
    assert 0.3 < low < 0.41 < high < 0.5 and table.loc[0, "method"] == "fisher_z"
    assert "margin ±0.1 (why)" in rep.evidence_text(table.loc[0].to_dict())
    assert rep.check_inconsistent_rows(table) == []
    assert rep.counts(table) == {"consistent": 1, "inconsistent": 1, "inconclusive": 0,
                                 "not checkable": 1}
    assert "Inconsistent: X2" in rep.summary_sentence(table)


def test_evaluate_raises_instead_of_hiding_a_missing_key():
    store = {("03_x", "astana"): {"not_r": 1}, ("02_x", "kazakhstan"): {"series": []}}
    with pytest.raises(rep.MissingResult, match="03_x JSON for 'astana' has no key 'r'"):
        rep.evaluate(JUDGED, rep.Results(["astana"], loader=_fake(store)))


def test_an_inconsistent_row_without_an_excluding_interval_is_caught():
    row = {"id": "Z", "verdict": "inconsistent", "interval": [0.1, 0.6], "article": 0.4,
           "method": "fisher_z", "margin": 0.1}
    assert rep.check_inconsistent_rows(pd.DataFrame([row])) == ["Z"]
    assert rep.check_inconsistent_rows(pd.DataFrame([{**row, "interval": [0.5, 0.6]}])) == []


def test_the_registry_is_valid_and_covers_the_articles_claims():
    from helpers.registers import article

    checks = rep.load_checks()
    ids = set(checks["id"])
    # C7 ("so the effects are independent") rests on C1 alone: merged into C1's row
    assert set(article.claims()["id"]) - ids == {"C7"}
    assert "C7" in checks.set_index("id").loc["C1", "claim_en"]
    assert sum(i.startswith("T1-") for i in ids) == 15
    assert {"H1", "H2", "H3"} <= ids
    assert rep.table1_tolerance(checks) == 0.1


def test_the_registry_refuses_an_unknown_method_or_a_claim_without_a_rule(tmp_path):
    path = tmp_path / "c.csv"
    CHECKS.to_csv(path, index=False)
    assert list(rep.load_checks(path, _rules(tmp_path))["method"]) == RULE_COLUMNS["method"]
    with pytest.raises(vd.VerdictRuleError, match="row 3 \\(X2\\), column 'method': 'guess'"):
        rep.load_checks(path, _rules(tmp_path, ("fisher_z", "guess", "not_checkable")))
    CHECKS.iloc[:2].to_csv(path, index=False)
    with pytest.raises(vd.VerdictRuleError, match=r"rule\(s\) for \['X3'\]"):
        rep.load_checks(path, _rules(tmp_path))
    CHECKS.assign(support_key=["", "", ""]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="row 2, column 'support_key'"):
        rep.load_checks(path, _rules(tmp_path))


def test_counts_refuse_an_unknown_verdict():
    with pytest.raises(ValueError, match="Unknown verdict"):
        rep.counts(pd.DataFrame({"verdict": ["consistent", "probably"]}))


def test_html_page_colours_each_verdict_and_escapes_text():
    table = pd.DataFrame([{"id": "X<1>", "claim": "a & b", "article": 0.4, "ours": 0.45,
                           "verdict": v, "reason": "r", "source": "s", "location": "l",
                           "kind": "internal consistency", "robustness_text": "",
                           "interval": [0.1, 0.6], "margin": 0.1, "margin_reason": "m",
                           "method": "fisher_z", "level": 0.95, "power": ""}
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
    assert (checks.loc[checks["method"] == "not_checkable", "kind"] == "not checkable").all()
    assert checks.set_index("id").loc["C1-T", "kind"] == "internal consistency"
    assert checks.set_index("id").loc["C5", "kind"] == "quoted-figure comparison"


def test_the_registry_refuses_an_unknown_kind(tmp_path):
    path = tmp_path / "c.csv"
    CHECKS.assign(kind=["reproduced", "source-data reproduction", "not checkable"]).to_csv(
        path, index=False)
    with pytest.raises(ValueError, match="row 2, column 'kind': 'reproduced'"):
        rep.load_checks(path, _rules(tmp_path))
    CHECKS.assign(kind=["data-analytic replication", "source-data reproduction",
                        "internal consistency"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="row 4: a claim without a test"):
        rep.load_checks(path, _rules(tmp_path))


def test_robustness_is_attached_to_the_claims_notebook_08_judged():
    store = {("03_x", "astana"): {"r": 0.45, "n": 20},
             ("02_x", "kazakhstan"): {"series": _series([1, 2])},
             ("05_robustness", "kazakhstan"): {"n_estimable": 8, "shares": [
                 {"claim": "X1", "verdict": "consistent", "n": 2, "share": 0.25},
                 {"claim": "X1", "verdict": "inconsistent", "n": 6, "share": 0.75},
                 {"claim": "X1", "verdict": "not checkable", "n": 0, "share": 0.0}]}}
    results = rep.Results(["astana"], loader=_fake(store))
    table = rep.evaluate(JUDGED, results, rep.robustness_shares(results))
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
