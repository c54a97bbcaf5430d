"""The one verdict rule (helpers/registers/verdicts.py, data/article/verdict_rules.csv)."""

import math

import pytest

from helpers.registers import verdicts as vd
from helpers.run import runner as run

HEADER = "claim,method,margin,margin_reason,level,note\n"


def test_three_synthetic_claims_give_the_three_verdicts():
    article, margin = 0.40, 0.10
    wide = vd.judge_interval(0.30, -0.10, 0.70, article, margin)  # value inside a wide interval
    outside = vd.judge_interval(-0.30, -0.60, 0.05, article, margin)  # value outside
    tight = vd.judge_interval(0.41, 0.35, 0.47, article, margin)  # tight around the value
    assert [wide.verdict, outside.verdict, tight.verdict] == [
        "inconclusive", "inconsistent", "consistent"]


def test_the_same_three_through_fisher_z():
    assert vd.judge_correlation(0.30, 20, 0.40, 0.10).verdict == "inconclusive"
    assert vd.judge_correlation(-0.40, 20, 0.40, 0.10).verdict == "inconsistent"
    assert vd.judge_correlation(0.40, 5000, 0.40, 0.10).verdict == "consistent"


@pytest.mark.parametrize("r,n,article", [(-0.24, 20, 0.398), (0.62, 20, 0.0), (0.9, 12, 0.2),
                                         (0.1, 400, 0.3), (-0.05, 30, 0.5)])
def test_an_inconsistent_verdict_always_shows_an_interval_excluding_the_value(r, n, article):
    v = vd.judge_correlation(r, n, article, 0.1)
    assert v.interval is not None
    if v.verdict == "inconsistent":
        assert not v.interval[0] <= article <= v.interval[1]
    else:
        assert v.interval[0] - 0.1 <= article <= v.interval[1] + 0.1


def test_fisher_interval_matches_the_textbook_formula():
    low, high = vd.fisher_interval(0.5, 28)
    half = 1.959964 / 5
    assert low == pytest.approx(math.tanh(math.atanh(0.5) - half), abs=1e-6)
    assert high == pytest.approx(math.tanh(math.atanh(0.5) + half), abs=1e-6)
    assert vd.fisher_power(0.4, 0.1, 20) < vd.fisher_power(0.4, 0.1, 2000)


def test_paths_direction_and_magnitude():
    up = {"a": {"estimate": 0.5, "ci_low": 0.2, "ci_high": 0.8}}
    cover = {"a": {"estimate": 0.2, "ci_low": -0.7, "ci_high": 1.0}}
    down = {"a": {"estimate": -0.5, "ci_low": -0.8, "ci_high": -0.1}}
    assert vd.judge_paths(up).verdict == "consistent"
    assert vd.judge_paths({**up, "b": cover["a"]}).verdict == "inconclusive"
    v = vd.judge_paths({**up, "b": down["a"]})
    assert v.verdict == "inconsistent" and v.interval[1] < 0
    tiny = {"a": {"estimate": 0.01, "ci_low": -0.05, "ci_high": 0.06}}
    assert vd.judge_paths(down, "bootstrap_magnitude", 0.1).verdict == "consistent"
    assert vd.judge_paths(cover, "bootstrap_magnitude", 0.1).verdict == "inconclusive"
    assert vd.judge_paths(tiny, "bootstrap_magnitude", 0.1).verdict == "inconsistent"


def test_ceiling():
    pairs = {"x": 0.1, "y": -0.2}
    assert vd.judge_ceiling(pairs, 2000, 0.42).verdict == "consistent"
    assert vd.judge_ceiling(pairs, 20, 0.42).verdict == "inconclusive"
    v = vd.judge_ceiling({"x": 0.9, "y": 0.1}, 20, 0.42)
    assert v.verdict == "inconsistent" and v.interval[0] > 0.42


def test_power_is_kept_only_where_it_decides():
    assert vd.judge_correlation(0.3, 20, 0.4, 0.1).power.startswith("with n = 20")
    assert vd.judge_correlation(-0.4, 20, 0.4, 0.1).power == ""


def test_the_committed_rules_cover_every_claim():
    rules = vd.check_rules_file()
    assert set(rules) and all(r.method in vd.METHODS for r in rules.values())
    assert all(r.margin_reason for r in rules.values() if r.margin is not None)


def _claims(tmp_path, ids=("A", "B")):
    path = tmp_path / "claim_checks.csv"
    path.write_text("id,claim_en\n" + "".join(f"{i},x\n" for i in ids), encoding="utf-8")
    return path


@pytest.mark.parametrize("body,match", [
    ("A,fisher_z,0.1,why,0.95\n", r"no rule for claim\(s\) \['B'\]"),
    ("A,fisher_z,0.1,why,0.95\nB,fisher_z,-0.1,why,0.95\n",
     r"rules\.csv, row 3 \(B\), column 'margin': '-0\.1' is negative"),
    ("A,fisher_z,0.1,why,0.95\nB,guess,,,0.95\n",
     r"rules\.csv, row 3 \(B\), column 'method': 'guess' is not a method; valid choices: "
     r"\['bootstrap'"),
    ("A,fisher_z,,,0.95\nB,not_checkable,,,0.95,why\n", r"row 2 \(A\), column 'margin': method"),
    ("A,fisher_z,0.1,,0.95\nB,not_checkable,,,0.95,why\n", r"row 2 \(A\), column 'margin_reason'"),
    ("A,fisher_z,0.1,why,95\nB,not_checkable,,,0.95,why\n", r"row 2 \(A\), column 'level'"),
    ("A,fisher_z,0.1,why,0.95\nB,not_checkable,,,,why\nC,not_checkable,,,,why\n",
     r"rule\(s\) for \['C'\]"),
])
def test_a_bad_rules_file_names_file_row_and_choices(tmp_path, body, match):
    rules = tmp_path / "verdict_rules.csv"
    rules.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(vd.VerdictRuleError, match=match):
        vd.check_rules_file(rules, _claims(tmp_path))


def test_a_bad_rules_file_stops_the_runner_before_any_notebook(tmp_path, monkeypatch, capsys):
    rules = tmp_path / "verdict_rules.csv"
    rules.write_text(HEADER + "C1,fisher_z,-1,why,0.95\n", encoding="utf-8")
    monkeypatch.setattr(vd, "RULES_FILE", rules)
    started = []
    monkeypatch.setattr(run, "run", lambda *a, **k: started.append(a))
    assert run.main(["--notebooks", "02", "--city", "Astana", "--output", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "verdict_rules.csv, row 2 (C1), column 'margin'" in err
    assert started == []


def test_unknown_verdict_words_are_refused():
    with pytest.raises(ValueError, match="valid"):
        vd.Verdict("maybe", "x")
    assert set(vd.share_table(["consistent", "inconclusive"])) == set(vd.VERDICTS)


def test_a_not_checkable_rule_needs_its_reason(tmp_path):
    rules = tmp_path / "verdict_rules.csv"
    rules.write_text(HEADER + "A,not_checkable,,,0.95,\nB,not_checkable,,,0.95,why\n",
                     encoding="utf-8")
    with pytest.raises(vd.VerdictRuleError, match=r"row 2 \(A\), column 'note'"):
        vd.check_rules_file(rules, _claims(tmp_path))


def test_a_hypothesis_verdict_follows_the_rule_and_keeps_the_finding():
    rule = vd.Rule("H1", "bootstrap_direction")
    cover = {"economy": {"estimate": 0.2, "ci_low": -0.7, "ci_high": 1.0}}
    v = vd.judge_hypothesis(rule, "not confirmed", cover)
    assert (v.verdict, v.finding) == ("inconclusive", "not confirmed")
    none = vd.judge_hypothesis(vd.Rule("H2", "not_checkable", note="no measure"), "not confirmed",
                               cover)
    assert (none.verdict, none.reason) == ("not checkable", "no measure")


def test_the_c8_reading_is_what_the_bns_methodology_sheet_says():
    import pandas as pd

    from helpers.registers.paths import DATA

    book = DATA / "raw" / "bns" / "bns_innovation_activity_2022_kk.xls"
    sheet = pd.read_excel(book, "Әдіснамалық түсініктемелер", header=None)
    text = " ".join(str(v) for v in sheet.to_numpy().ravel() if isinstance(v, str)).lower()
    assert "өнімдік инновация" in text and "бизнес-процестер инновациялар" in text
    assert "маркетинг" not in text and "ұйымдық" not in text  # not the article's four types
    note = vd.load_rules()["C8"].note
    assert note.startswith("inconclusive:") and "product and business-process" in note


def test_a_reading_starts_with_its_verdict(tmp_path):
    rules = tmp_path / "verdict_rules.csv"
    rules.write_text(HEADER + "A,reading,,,0.95,probably: x\nB,reading,,,0.95,inconclusive: y\n",
                     encoding="utf-8")
    with pytest.raises(vd.VerdictRuleError, match=r"row 2 \(A\), column 'note': a reading"):
        vd.check_rules_file(rules, _claims(tmp_path))


def test_published_figures_for_every_city():
    above = vd.Rule("C9", "published_all_above")
    v = vd.judge(above, {"astana": 3.8, "shymkent": -5.8}, 0.0)
    assert v.verdict == "inconsistent" and v.interval == (-5.8, 3.8)
    assert "Shymkent" in v.reason and "shymkent" not in v.reason  # a region by name, not slug
    assert vd.judge(above, {"astana": 3.8}, 0.0).verdict == "consistent"
    below = vd.Rule("C11-R", "published_all_below")
    assert vd.judge(below, {"astana": 92.6, "almaty": 100.0}, 100.0).verdict == "inconsistent"


def _path_grid():
    """Path evidence around 0 and around a margin of 0.1: intervals below, across and above,
    touching the bounds exactly, and sets of one to three paths."""
    bounds = (-0.3, -0.1, -0.05, 0.0, 0.05, 0.1, 0.3)
    intervals = [(lo, hi) for lo in bounds for hi in bounds if lo <= hi]
    one = [{"a": {"estimate": (lo + hi) / 2, "ci_low": lo, "ci_high": hi}} for lo, hi in intervals]
    many = [{f: {"estimate": (lo + hi) / 2, "ci_low": lo, "ci_high": hi}
             for f, (lo, hi) in zip("abc", intervals[i::17], strict=False)}
            for i in range(17)]
    return one + many


@pytest.mark.parametrize("method,margin", [("bootstrap_direction", 0.0),
                                           ("bootstrap_magnitude", 0.1),
                                           ("bootstrap_magnitude", 0.2)])
def test_decide_gives_the_verdict_judge_writes_for_paths(method, margin):
    rule = vd.Rule("K1", method, margin, "", 0.95, "")
    cases = _path_grid()
    assert len({vd.judge(rule, c).verdict for c in cases}) == 3  # the grid reaches every verdict
    assert [vd.decide(rule, c) for c in cases] == [vd.judge(rule, c).verdict for c in cases]
    found = vd.HYPOTHESIS_FINDINGS
    for finding in found:
        assert ([vd.decide_hypothesis(rule, finding, c) for c in cases]
                == [vd.judge_hypothesis(rule, finding, c).verdict for c in cases])


def test_decide_gives_the_verdict_judge_writes_for_an_interval():
    rule = vd.Rule("C4-PLS", "bootstrap", 0.05, "", 0.95, "")
    points = (0.0, 0.5, 0.55, 0.6, 0.65, 0.7, 0.9)
    cases = [({"estimate": (lo + hi) / 2, "low": lo, "high": hi}, article)
             for lo in points for hi in points if lo <= hi for article in (0.6, 0.55, 0.9)]
    assert len({vd.judge(rule, e, a).verdict for e, a in cases}) == 3
    assert [vd.decide(rule, e, a) for e, a in cases] == [vd.judge(rule, e, a).verdict
                                                         for e, a in cases]


def test_decide_refuses_what_judge_refuses():
    unordered = {"estimate": 0.5, "low": 0.7, "high": 0.3}
    with pytest.raises(vd.VerdictRuleError, match="not ordered"):
        vd.decide(vd.Rule("C4-PLS", "bootstrap", 0.05, "", 0.95, ""), unordered, 0.6)
    with pytest.raises(vd.VerdictRuleError, match="at least one path"):
        vd.decide(vd.Rule("K1", "bootstrap_direction", 0.0, "", 0.95, ""), {})
    with pytest.raises(vd.VerdictRuleError, match="unknown hypothesis finding"):
        vd.decide_hypothesis(vd.Rule("H1", "bootstrap_direction", 0.0, "", 0.95, ""), "maybe",
                             {})
    rule = vd.Rule("H2", "not_checkable", None, "", None, "no data measures it")
    assert vd.decide_hypothesis(rule, "confirmed", {}) == "not checkable"
