"""01_data_assembly: the JSON it reports (from the session run)."""

from __future__ import annotations

import pytest


def test_regions_sources_and_coverage(report):
    r = report("01_data_assembly", "kazakhstan")
    assert r["n_regions"] == 20 and r["n_cities"] == 3
    assert r["n_sources"] == len(r["sources"])
    assert all(s["csv_hash_ok"] for s in r["sources"].values())
    for table, c in r["coverage"].items():
        assert 0 < c["n_regions"] <= 20, table
        assert max(r["coverage_by_year"][table].values()) <= 20
    for g in r["table_gaps"].values():
        assert g["expected"] == g["present"] + g["missing"]


def test_codebook_and_missing(report):
    r = report("01_data_assembly", "kazakhstan")
    per = r["indicators_per_factor"]
    assert {"social", "management", "economy", "law", "technology", "sustainability"} <= set(per)
    assert r["n_indicators_per_factor"] == {f: len(c) for f, c in per.items()}
    assert sum(r["proxy_strength_counts"].values()) == sum(len(c) for c in per.values())
    assert r["n_missing_total"] == sum(r["missing_counts"].values())
    assert set(r["missing_regions"]) == {c for c, n in r["missing_counts"].items() if n}


def test_five_cities_rows(report):
    r = report("01_data_assembly", "kazakhstan")
    cities = r["city_values"]
    assert set(cities) == {"astana", "almaty", "shymkent", "karaganda", "aktobe"}
    assert r["regions_not_cities"] == ["karaganda", "aktobe"]
    assert cities["astana"]["innovation_activity_level"] == pytest.approx(14.8)
    assert cities["karaganda"]["innovation_activity_level"] == pytest.approx(15.1)
