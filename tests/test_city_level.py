"""City-level observations (data/official/cities) and how the city report shows them."""

from __future__ import annotations

import shutil

import pytest

from helpers.registers import data
from helpers.registers.data import DataValidationError
from helpers.registers.paths import DATA
from helpers.registers.regions import resolve_region
from helpers.steps import nb06_city_report as profile


def test_city_tables_load_with_the_citys_region():
    df = data.load_city_official()
    assert set(df.table) == set(data.city_tables())
    row = df[(df.city == "karaganda-city") & (df.indicator == "housing_price_new")
             & (df.year == 2023)]
    assert row.value.tolist() == [366917] and row.region.tolist() == ["karaganda"]
    assert (df.loc[df.city == "", "region"] == "kazakhstan").all()


@pytest.fixture
def cities(tmp_path):
    folder = tmp_path / "cities"
    shutil.copytree(DATA / "official" / "cities", folder)
    return folder


@pytest.mark.parametrize(("old", "new", "column", "problem"), [
    ("karaganda-city,karaganda,", "karaganda-city,aktobe,", "region", "lies in 'karaganda'"),
    ("karaganda-city,karaganda,", "karagandy-city,karaganda,", "city", "unknown city"),
    ("karaganda-city,karaganda,", ",karaganda,", "city", "blank city is allowed only"),
])
def test_city_tables_refuse_bad_rows(cities, old, new, column, problem):
    path = cities / "housing_prices.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, t in enumerate(lines, 1) if t.startswith(old))
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataValidationError, match=rf"housing_prices.csv, row {line}, column "
                       rf"'{column}': .*{problem}"):
        data.load_city_official("housing_prices", cities)


def test_the_city_stands_beside_its_region_and_says_which_is_which():
    table = profile.city_beside_region("karaganda")
    assert set(table.level) == {"city", "region"}
    assert set(table.loc[table.level == "city", "place"]) == {"karaganda-city"}
    assert set(table.loc[table.level == "region", "place"]) == {"karaganda"}
    prices = table[table.indicator == "housing_price_new"].iloc[0]
    obs = data.load_city_official("housing_prices")
    peers = obs[(obs.indicator == "housing_price_new") & (obs.year == prices.year)
                & (obs.city != "")]
    assert prices.n_places == peers.city.nunique()
    assert prices.position == 1 + int((peers.value > prices.value).sum())
    # the region's figure right after the city's, on the same theme
    after = table.index[table.indicator == "pm25_annual_mean"][0] + 1
    assert table.loc[after, "indicator"] == "emissions_stationary_per_capita"
    assert table.loc[after, "level"] == "region"
    text = profile.city_level_sentence(table, resolve_region("Karaganda"))
    assert "Karaganda (city) only" in text and "whole Karaganda region" in text


def test_a_city_of_republican_significance_is_its_own_region():
    table = profile.city_beside_region("astana")
    text = profile.city_level_sentence(table, resolve_region("Astana"))
    assert "same territory" in text
    assert set(table.loc[table.level == "city", "place"]) == {"astana-city"}


def test_city_observations_list_the_main_city_first():
    obs = profile.city_observations("karaganda")
    assert obs.iloc[0]["place"] == "karaganda-city" and bool(obs.iloc[0]["main"])
    assert {"temirtau-city", "karaganda-city"} <= set(obs.place)
    assert not obs.loc[obs.place == "temirtau-city", "main"].any()


def test_city_level_is_recorded_in_the_city_report(report):
    rows = report("06_city_report")["city_level"]
    assert rows and {r["level"] for r in rows} == {"city", "region"}
    assert all(1 <= r["position"] <= r["n_places"] for r in rows if not r["quality_flag"])
    assert all(r["position"] is None for r in rows if r["quality_flag"])
