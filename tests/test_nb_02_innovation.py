"""02_innovation_activity: the JSON it reports for the test city (almaty)."""

from __future__ import annotations

import pytest

from helpers.steps import nb02_innovation_activity as innovation


def test_city_value_rank_and_national(report):
    r = report("02_innovation_activity")
    regions = innovation.regions_2022()
    assert r["city"] == "almaty"
    assert r["city_value_2022"] == pytest.approx(regions.loc["almaty", "value"])
    assert r["city_rank_2022"] == 1 + int((regions["value"] > r["city_value_2022"]).sum())
    assert isinstance(r["city_rank_2022"], int)
    assert 1 <= r["city_rank_2022"] <= r["n_regions_ranked"] == 20
    assert r["national_2022"] == pytest.approx(11.0)
    assert r["city_minus_national_2022"] == pytest.approx(r["city_value_2022"] - 11.0)


def test_article_values_beside_official(report):
    r = report("02_innovation_activity")
    assert r["article_value"] == pytest.approx(11.8) and r["article_year_label"] == "2023"
    almaty = r["article_values"]["almaty"]
    assert almaty["official_small_2022"] == pytest.approx(almaty["article"])
    assert almaty["official_total_2022"] != pytest.approx(almaty["article"])
    assert r["article_values"]["astana"]["official_total_2022"] == pytest.approx(14.8)


def test_trend_and_verdicts(report):
    r = report("02_innovation_activity")
    years = [p["year"] for p in r["national_series"]]
    assert r["trend_years"] == [y for y in years if y >= 2013]
    assert r["trend_n_points"] == len(r["trend_years"]) >= 3
    assert 0 <= r["trend_r2"] <= 1 and r["trend_slope"] > 0
    assert r["trend_all_n_points"] == len(years)
    assert r["article_r2"] == pytest.approx(0.8693)
    assert set(r["verdicts"]) == {"C2", "C3", "C4", "C5"}
    for v in r["verdicts"].values():
        assert v["verdict"] in ("consistent", "inconsistent", "not checkable") and v["reason"]
    assert r["verdicts"]["C4"]["verdict"] == "not checkable"
    assert "0.8693" in r["summary"]
