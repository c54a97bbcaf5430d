"""helpers.steps.nb02_innovation_activity: the least-squares trend and the Figure-2 data and
verdicts."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.steps import nb02_innovation_activity as innovation


def test_linear_trend_recovers_an_exact_line():
    years = np.arange(2013, 2023)
    fit = innovation.linear_trend(years, 3.0 + 0.5 * (years - 2013))
    assert fit.slope == pytest.approx(0.5)
    assert fit.intercept == pytest.approx(3.0 - 0.5 * 2013)
    assert fit.r2 == pytest.approx(1.0)
    assert fit.n_points == 10 and fit.years[0] == 2013 and fit.years[-1] == 2022


def test_linear_trend_r2_is_the_squared_correlation_and_matches_polyfit():
    rng = np.random.default_rng(7)
    years = np.arange(2005, 2023)
    values = 2 + 0.4 * (years - 2005) + rng.normal(0, 1.5, len(years))
    fit = innovation.linear_trend(years, values)
    slope, intercept = np.polyfit(years, values, 1)
    assert fit.slope == pytest.approx(slope) and fit.intercept == pytest.approx(intercept)
    assert fit.r2 == pytest.approx(np.corrcoef(years, values)[0, 1] ** 2)
    assert 0 < fit.r2 < 1


@pytest.mark.parametrize("years, values", [([2020, 2021], [1, 2]), ([2020] * 3, [1, 2, 3]),
                                           ([2020, 2021, 2022], [5, 5, 5]),
                                           ([2020, 2021, 2022], [1, np.nan, 3])])
def test_linear_trend_refuses_degenerate_input(years, values):
    with pytest.raises(ValueError):
        innovation.linear_trend(years, values)


def test_national_series_has_one_point_per_year_and_official_2022():
    series = innovation.national_series()
    assert series["year"].is_unique and series["year"].is_monotonic_increasing
    last = series.iloc[-1]
    assert last["kind"] == "official" and last["year"] == 2022
    assert last["value"] == pytest.approx(innovation.official_national_2022())
    assert set(series["kind"]) <= {"official", "quoted"}
    assert (series.loc[series["kind"] == "quoted", "year"] < 2022).all()


def test_regions_2022_ranks_twenty_regions():
    regions = innovation.regions_2022()
    assert len(regions) == 20 and regions["rank"].min() == 1
    top = regions["value"].idxmax()
    assert regions.loc[top, "rank"] == 1
    assert (regions["small"] <= regions["value"] + 1e-9).sum() >= 15  # small firms innovate less
    assert (regions.sort_values("value", ascending=False)["rank"].diff().dropna() >= 0).all()


def test_small_enterprise_level_is_exposed_and_matches_almaty_article_value():
    regions = innovation.regions_2022()
    assert regions["small"].notna().all()
    assert "innovation_activity_small 2022" in innovation.matching_values("almaty", 11.8)


def test_a_traced_value_is_named_by_its_indicator_label_in_every_language():
    """C3's reason names what Almaty's 11.8 equals by the indicator's label in the reader's
    language (data/labels.csv), not by its id; the record keeps the ids."""
    from helpers.registers import i18n
    from helpers.registers.labels import label

    series = innovation.national_series()
    window = series[series["year"] >= 2013]
    fit = innovation.linear_trend(window["year"], window["value"])
    c3 = innovation.figure2_verdicts(series, fit, innovation.regions_2022())["C3"]
    assert c3["matches"] == ["innovation_activity_small 2022"]
    for lang in ("en", "kk", "ru"):
        reason = i18n.written(c3["message"], lang)
        assert f"{label('ind_innovation_activity_small', lang)} (2022)" in reason
        assert "innovation_activity_small" not in reason
    assert innovation.matched_names(["no_such_indicator 2021"])["kk"] == "no_such_indicator 2021"


def test_verdicts_cover_the_figure2_claims_with_reasons():
    series = innovation.national_series()
    window = series[series["year"] >= 2013]
    fit = innovation.linear_trend(window["year"], window["value"])
    verdicts = innovation.figure2_verdicts(series, fit, innovation.regions_2022())
    assert set(verdicts) == {"C2", "C3", "C4", "C5"}
    for v in verdicts.values():
        assert v["verdict"] in ("consistent", "inconsistent", "not checkable") and v["reason"]
    assert verdicts["C4"]["this_study"] == pytest.approx(fit.r2)
    assert str(innovation.ARTICLE_YEAR) in verdicts["C2"]["reason"]
    sentence = innovation.summary_sentence(verdicts, fit, 0.8693)
    assert "0.8693" in sentence and f"{fit.r2:.3f}" in sentence
