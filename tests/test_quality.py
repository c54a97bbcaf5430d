"""Data-quality rules (data/specs/quality_rules.csv, helpers.registers.quality) and where they
act."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict

import pandas as pd
import pytest
import yaml

from helpers.registers import data, quality
from helpers.registers.data import DataValidationError
from helpers.registers.paths import DATA
from helpers.registers.regions import resolve_region
from helpers.steps import nb06_city_report as profile

RAW_AIR = DATA / "raw" / "sdg" / "data" / "indicator_11-6-2.csv"
PM25, PM10 = "_L_KZ_110602_1B", "_L_KZ_110602_1A"


def raw_impossible_city_years() -> tuple[int, set[tuple[str, int]]]:
    """From the publisher's CSV itself, without the study's extraction: the city-years with
    both series printed once, and those where PM2.5 > PM10 (REF_AREA code, year)."""
    spec = yaml.safe_load((DATA / "specs" / "sdg_air_quality_cities.yaml").read_text("utf-8"))
    excluded = set(spec["tables"][0]["exclude"])
    printed = defaultdict(set)
    with RAW_AIR.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            if r["UNIT_MEASURE"] == "MG_CUB_METER" and r["REF_AREA"] not in excluded:
                printed[(r["REF_AREA"], int(r["Year"]), r["SERIES"])].add(float(r["Value"]))
    once = {k: v.pop() for k, v in printed.items() if len(v) == 1}
    pairs = {(a, y) for a, y, s in once if s == PM25 and (a, y, PM10) in once}
    return len(pairs), {(a, y) for a, y in pairs if once[(a, y, PM25)] > once[(a, y, PM10)]}


@pytest.fixture(scope="module")
def air():
    return quality.flag(data.load_city_official("air_quality"))


def test_the_pm_rule_catches_exactly_the_published_impossible_city_years(air):
    n_pairs, impossible = raw_impossible_city_years()
    wide = air.pivot_table(index=["city", "year"], columns="indicator", values="value").dropna()
    assert len(wide) == n_pairs  # 168 city-years with both series
    hit = air[air.quality_flag.str.contains("pm25-above-pm10")]
    city_years = set(zip(hit.city, hit.year, strict=True))
    assert len(city_years) == len(impossible) == 26
    # both values of every impossible pair are flagged, nothing else
    assert len(hit) == 2 * len(impossible)
    assert ("karaganda-city", 2023) in city_years and ("KZKRG", 2023) in impossible


def test_karaganda_citys_decimal_slip_is_flagged(air):
    kar = air[(air.city == "karaganda-city") & (air.indicator == "pm25_annual_mean")]
    flags = kar.set_index("year").quality_flag
    assert all("pm25-above-pm10" in flags[y] for y in (2021, 2022, 2023))
    assert all("pm25-ten-times-pm10" in flags[y] for y in (2022, 2023))
    assert flags[2020] == ""
    # kept as published
    assert kar.set_index("year").value[2023] == 0.27


def test_a_flagged_value_is_not_ranked_and_the_report_says_why():
    table = profile.city_beside_region("karaganda")
    pm = table[table.indicator == "pm25_annual_mean"].iloc[0]
    assert pm.year == 2023 and pm.value == 0.27 and "pm25-above-pm10" in pm.quality_flag
    assert pd.isna(pm.position)
    # the other cities' ranking leaves out every flagged value of that year
    air = quality.flag(data.load_city_official("air_quality"))
    peers = air[(air.indicator == "pm25_annual_mean") & (air.year == 2023) & (air.city != "")]
    assert pm.n_places == int((peers.quality_flag == "").sum()) < len(peers)
    flags = profile.city_flags("karaganda")
    assert {2021, 2022, 2023} <= set(flags.loc[flags.indicator == "pm25_annual_mean", "year"])
    text = profile.city_level_sentence(table, resolve_region("Karaganda"), flags)
    assert "pm25-above-pm10" in text and "2021 (0.152), 2022 (0.18), 2023 (0.27)" in text
    assert "no position" in text and "left out of every ranking" in text


def test_no_other_city_outranks_on_a_flagged_value():
    astana = profile.city_beside_region("astana")
    pm = astana[astana.indicator == "pm25_annual_mean"].iloc[0]
    air = quality.flag(data.load_city_official("air_quality"))
    clean = air[(air.indicator == "pm25_annual_mean") & (air.year == pm.year)
                & (air.city != "") & (air.quality_flag == "")]
    assert pm.position == 1 + int((clean.value > pm.value).sum())


def test_indicator_rows_say_whether_the_number_is_the_citys_or_the_regions():
    for name, level in (("karaganda", "region"), ("astana", "city (= region)")):
        p = profile.build_profile(name)
        for shown in (profile.display_indicators(p, "en"), profile.display_factors(p, "en")):
            assert set(shown["Level"]) == {level}


@pytest.fixture
def rules_copy(tmp_path):
    target = tmp_path / "quality_rules.csv"
    shutil.copy(quality.RULES, target)
    return target


@pytest.mark.parametrize(("old", "new", "column", "problem"), [
    ("air-jump,jump,", "air-jump,leap,", "kind", "not a kind of rule"),
    (",cities/air_quality,pm25_annual_mean,pm10_annual_mean,,,,,\"PM2.5 (",
     ",cities/air_qualty,pm25_annual_mean,pm10_annual_mean,,,,,\"PM2.5 (", "table",
     "not a tidy table"),
    (",,,,,,10,\"an annual", ",,,,,,0.5,\"an annual", "factor", "must be > 1"),
])
def test_a_bad_rule_stops_with_file_row_and_choices(rules_copy, old, new, column, problem):
    lines = rules_copy.read_text(encoding="utf-8").split("\n")
    line = next(i for i, t in enumerate(lines, 1) if old in t)
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    rules_copy.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataValidationError, match=rf"quality_rules.csv, row {line}, column "
                       rf"'{column}': .*{problem}"):
        quality.load_rules(rules_copy)


def test_jump_rule_flags_the_value_far_from_the_series_median():
    df = pd.DataFrame({"city": "x-city", "region": "x", "indicator": "pm10_annual_mean",
                       "year": [2018, 2019, 2020, 2021, 2022], "unit": "mg/m³",
                       "value": [0.04, 0.05, 0.5, 0.045, 0.0]})
    rules = quality.load_rules()
    out = quality.flag(df, "cities/air_quality", rules)
    assert out.quality_flag.tolist() == ["", "", "air-jump", "", "air-zero"]
