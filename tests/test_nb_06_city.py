"""06_city_report: the JSON of the session run (test city almaty)."""

from __future__ import annotations

import pytest

from helpers.registers.data import cross_section, load_codebook

FACTORS = ("social", "management", "economy", "law", "technology", "sustainability")


@pytest.fixture(scope="module")
def city(report):
    return report("06_city_report")


def test_the_report_names_the_citys_rank_on_each_factor(city):
    n = city["n_regions"]
    assert n == 20
    for factor in FACTORS:
        assert 1 <= city["factor_ranks"][factor] <= n, factor


def test_indicator_ranks_agree_with_the_cross_section_and_its_directions(city):
    book = load_codebook()
    cs = cross_section(codebook=book)
    assert set(city["ranks"]) == set(cs.columns)
    for column, rank in city["ranks"].items():
        values = cs[column]
        mine = values[city["region"]]
        better = values < mine if city["directions"][column] == "lower_better" else values > mine
        assert rank == 1 + int(better.sum()), column


def test_strengths_outrank_gaps(city):
    ranks = city["ranks"]
    assert len(city["strengths"]) == 3 and len(city["gaps"]) == 3
    assert max(ranks[c] for c in city["strengths"]) <= min(ranks[c] for c in city["gaps"])


def test_factor_scores_are_measured_from_the_median(city):
    for factor in FACTORS:
        diff = city["factor_scores"][factor] - city["factor_medians"][factor]
        assert city["factor_vs_median"][factor] == pytest.approx(diff)


def test_time_series_summary_and_almatys_emission_break(city):
    ts = city["time_series"]
    assert set(ts) == {"grp_per_capita", "population", "emissions_stationary",
                       "env_protection_current_costs"}
    for entry in ts.values():
        assert entry["city"]["first_year"] <= entry["city"]["last_year"]
    kinds = {(b["indicator"], b["kind"]) for b in city["series_breaks"]}
    assert ("emissions_stationary", "coverage") in kinds
    assert ts["emissions_stationary"]["comparable"] is False


def test_the_articles_statement_sits_beside_the_official_figure(city):
    s2 = next(s for s in city["statements"] if s["id"] == "S2")
    assert s2["article_value"] == 11.8
    assert "13.2" in s2["data"] and "11.8" in s2["data"]   # official total and small firms


def test_figure_six_is_saved(city):
    assert any(k.startswith("fig06_city-profile") for k in city["figures"])


def test_the_city_reads_its_robustness_row_from_notebook_08(report):
    from helpers.registers import paths

    city = report("06_city_report")["robustness"]
    national = report("05_robustness", paths.NATIONAL)
    row = national["per_region"][report("06_city_report")["region"]]
    assert {k: city[k] for k in row} == row
    assert city["main_priority"] == report("04_pls_estimation")["factor_to_improve"]
    assert 0 <= city["n_same"] <= city["n_specs"]
