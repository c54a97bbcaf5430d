"""The second reading of the design: one city's factors over its years
(helpers.steps.nb03_over_years)."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from helpers.registers import data
from helpers.steps import nb03_over_years as oy


@pytest.fixture(scope="module")
def astana():
    return oy.over_years("astana")


def literal_composite(slug: str, factor: str, first_year: int = oy.FIRST_YEAR) -> dict:
    """A factor's level composite written out from the panel rows, without pandas arithmetic:
    per indicator its years from ``first_year``, sign flipped when lower is better, z-scored
    over those years; the mean over the indicators of each year."""
    book = data.load_codebook()
    lower = set(book.loc[book.direction == "lower_better", "column"])
    rows = data.panel(book, regions=[slug]).to_dict("records")
    columns = data.factor_columns(book)[factor]
    per_year: dict[int, list[float]] = {}
    for column in columns:
        series = {int(r["year"]): float(r["value"]) for r in rows
                  if r["column"] == column and not pd.isna(r["year"]) and r["year"] >= first_year}
        if len(series) < oy.MIN_INDICATOR_YEARS:
            continue
        values = {y: (-v if column in lower else v) for y, v in series.items()}
        mean, sd = statistics.mean(values.values()), statistics.stdev(values.values())
        for y, v in values.items():
            per_year.setdefault(y, []).append((v - mean) / sd)
    return {y: sum(z) / len(z) for y, z in per_year.items()}


def literal_pearson(a: dict, b: dict) -> tuple[float, int]:
    years = sorted(set(a) & set(b))
    x, y = [a[t] for t in years], [b[t] for t in years]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((u - mx) * (v - my) for u, v in zip(x, y, strict=True))
    sxx = sum((u - mx) ** 2 for u in x)
    syy = sum((v - my) ** 2 for v in y)
    return sxy / math.sqrt(sxx * syy), len(years)


def test_over_years_correlation_is_a_literal_pearson_on_the_panel_rows(astana):
    # social and sustainability: every indicator published 2010–2022 for Astana, no break
    social = literal_composite("astana", "social")
    sustainability = literal_composite("astana", "sustainability")
    r, n = literal_pearson(sustainability, social)
    table = oy.table1_over_years(astana).set_index(["x", "y"])
    row = table.loc[("sustainability", "social")]
    assert row["levels_n"] == n == 13
    assert row["levels_r"] == pytest.approx(r, abs=1e-12)
    for year, value in social.items():
        assert astana.levels.at[year, "social"] == pytest.approx(value, abs=1e-12)


def test_first_differences_are_computed_correctly():
    z = pd.DataFrame({"a": [0.0, 1.0, 3.0, np.nan, 2.0, 2.5],
                      "b": [1.0, 1.0, 0.0, 0.0, np.nan, 1.0]},
                     index=pd.Index([2010, 2011, 2012, 2013, 2015, 2016], name="year"))
    d = oy.first_differences(z)
    assert np.isnan(d[2010])  # no previous year
    assert d[2011] == pytest.approx((1.0 + 0.0) / 2)
    assert d[2012] == pytest.approx((2.0 - 1.0) / 2)
    assert d[2013] == pytest.approx(0.0)  # only b is published in both 2012 and 2013
    assert np.isnan(d[2015])  # 2014 is missing: a two-year change is not a first difference
    assert d[2016] == pytest.approx(0.5)  # only a is published in both 2015 and 2016


def test_first_difference_equals_the_change_of_the_composite_when_the_set_is_the_same(astana):
    social = astana.levels["social"]
    years = [y for y in social.index if y - 1 in social.index
             and not np.isnan(social[y]) and not np.isnan(social[y - 1])]
    assert len(years) >= 10
    for y in years:  # all five social indicators are published in every year 2010–2022
        assert astana.differences.at[y, "social"] == pytest.approx(social[y] - social[y - 1])


def test_a_short_series_interval_is_wider_than_the_cross_sections_for_the_same_r(astana):
    r = 0.4
    low20, high20 = oy.fisher_interval(r, 20)
    row = oy.table1_over_years(astana).set_index(["x", "y"]).loc[("economy", "management")]
    low, high = oy.fisher_interval(r, row["levels_n_eff"])
    assert high - low > high20 - low20
    # a trend makes the years less independent: n_eff < n for two positively autocorrelated series
    years = pd.Index(range(2010, 2023))
    trend = pd.Series(np.arange(13, dtype=float), index=years)
    wiggle = trend + pd.Series([0.3, -0.2, 0.1, -0.4, 0.2, 0.0, -0.1, 0.3, -0.3, 0.1, 0.2, -0.2,
                                0.1], index=years)
    corr = oy.series_correlation(trend, wiggle)
    assert corr["rho_x"] > 0.5 and corr["n_eff"] < corr["n"] == 13
    assert corr["ci_high"] - corr["ci_low"] > corr["ci_naive_high"] - corr["ci_naive_low"]


def test_effective_n_and_fisher_interval():
    assert oy.effective_n(12, 0.5, 0.5) == pytest.approx(12 * 0.75 / 1.25)
    assert oy.effective_n(12, -0.5, 0.5) == 12  # capped at n
    assert oy.fisher_interval(0.3, 3.5) == (-1.0, 1.0)
    low, high = oy.fisher_interval(0.3, 20)
    assert math.tanh(math.atanh(0.3) - 1.959963984540054 / math.sqrt(17)) == pytest.approx(low)
    assert high == pytest.approx(math.tanh(math.atanh(0.3) + 1.959963984540054 / math.sqrt(17)))


def test_breaks_are_respected(astana):
    ind = astana.indicators.set_index("column")
    assert ind.at["internet_use_share", "first"] == 2015  # survey change in 2015
    assert ind.at["internet_use_share", "dropped_years"] == [2011, 2012, 2013, 2014]
    assert "internet-survey-2015" in ind.at["internet_use_share", "reason"]
    karaganda = oy.over_years("karaganda")  # loses Ulytau in 2022: two comparable years left
    assert karaganda.levels.isna().all().all()
    assert not karaganda.indicators["used"].any()


def test_law_has_no_yearly_series_and_coverage_is_shown(astana):
    assert astana.levels["law"].isna().all()
    assert set(astana.coverage["law"]) == {"0 of 3"}
    assert astana.coverage.at[2015, "technology"] == "3 of 5"
    # management needs two of its three yearly indicators: 2015–2022 only
    managed = astana.levels["management"].dropna()
    assert list(managed.index) == list(range(2015, 2023))


def test_both_readings_use_the_one_verdict_rule(astana):
    from helpers import stats
    from helpers.registers import article, verdicts

    book = data.load_codebook()
    cs = data.cross_section(codebook=book)
    columns = {f: data.factor_columns(book)[f] for f in article.FACTOR_IDS}
    composites = stats.factor_composites(data.oriented(cs, book), columns, article.FACTOR_IDS)
    table = oy.both_readings(astana, stats.correlation_table(composites, ("pearson",)))
    assert len(table) == 15 and table.claim.is_unique
    rules = verdicts.load_rules()
    for r in table.to_dict("records"):
        rule = rules[r["claim"]]
        same = verdicts.judge_correlation(r["cross_section"]["r"], 20, r["article"], rule.margin,
                                          rule.level)
        assert r["cross_section_verdict"]["verdict"] == same.verdict
        for design in ("levels", "differences"):
            v = r[f"{design}_verdict"]
            assert v["verdict"] in verdicts.VERDICTS
            if "law" in (r["x"], r["y"]):
                assert v["verdict"] == "not checkable"
            else:
                c = r[design]
                again = verdicts.judge_interval(c["r"], c["ci_low"], c["ci_high"], r["article"],
                                                rule.margin)
                assert v["verdict"] == again.verdict
                assert v["interval"] == [c["ci_low"], c["ci_high"]]
        for design in oy.DESIGNS:
            assert r[f"{design}_verdict"]["method"] in verdicts.METHODS
    c1 = oy.c1_both_readings(table)
    assert set(c1) == set(oy.DESIGNS)
    assert c1["levels"]["n_pairs"] == 10 and len(c1["levels"]["left_out"]) == 5
    record = oy.record(astana, table, c1)
    assert set(record) == {"over_years", "table1_both_readings", "reading_favoured"}
    assert record["reading_favoured"]["favoured"] == "over_years"


def test_the_second_reading_shows_its_sentence_and_both_tables_in_the_language():
    from helpers.steps import nb03_correlation_analysis as correlation

    second = correlation.second_reading("astana", data.load_codebook(), _cross_pairs(), "Астана",
                                        "ru")
    shown = second._repr_html_()
    assert shown.count("<li>") == 3 and shown.count("<table") == 2
    assert "Второе прочтение: Астана" in shown and "не согласуется" in shown
    assert repr(second).startswith("**Второе прочтение")


def _cross_pairs():
    from helpers import stats
    from helpers.registers import article

    book = data.load_codebook()
    cs = data.cross_section(codebook=book)
    columns = {f: data.factor_columns(book)[f] for f in article.FACTOR_IDS}
    composites = stats.factor_composites(data.oriented(cs, book), columns, article.FACTOR_IDS)
    return stats.correlation_table(composites, ("pearson",))
