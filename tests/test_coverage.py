"""helpers.steps.nb01_data_assembly: provenance, coverage and the codebook table."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.registers.data import cross_section, load_codebook
from helpers.steps import nb01_data_assembly as coverage


@pytest.fixture(scope="module")
def tables():
    return coverage.load_tables()


def test_provenance_lists_every_table_and_checks_hashes(tables):
    prov = coverage.provenance_table()
    city_level = {p.stem for p in (coverage.DATA / "official" / "cities").glob("*.csv")}
    assert set(prov.index) == set(tables) | city_level
    assert set(prov["kind"]) == {"official", "secondary"}
    official = prov[prov["kind"] == "official"]
    assert official["file_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert prov["csv_hash_ok"].all()


def test_a_changed_csv_fails_its_hash(tmp_path):
    (tmp_path / "official").mkdir()
    (tmp_path / "official" / "t.csv").write_text("region,year\n", encoding="utf-8")
    package = {"resources": [{"name": "t", "path": "official/t.csv", "hash": "sha256:" + "0" * 64}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    prov = coverage.provenance_table(tmp_path / "datapackage.json")
    assert not prov.loc["t", "csv_hash_ok"]


def test_coverage_counts_at_most_twenty_regions(tables):
    summary = coverage.coverage_summary(tables)
    assert (summary["n_regions"] <= 20).all()
    assert summary.loc["innovation_2022", "n_regions"] == 20
    assert summary.loc["innovation_2022", ["first_year", "last_year"]].tolist() == [2022, 2022]
    matrix = coverage.coverage_by_year(tables)
    assert matrix.to_numpy().max() <= 20 and matrix.loc["population", "2023"] == 20
    # Shymkent enters in 2018 (population from 1 Jan 2017), Abai/Zhetisu/Ulytau in 2022
    assert matrix.loc["grp_per_capita", "2017"] < matrix.loc["grp_per_capita", "2022"]


def test_table_gaps_add_up(tables):
    gaps = coverage.table_gaps(tables)
    assert (gaps["expected"] == gaps["present"] + gaps["missing"]).all()
    assert gaps.loc["innovation_2022", "missing"] == 0
    assert gaps.loc["grp_per_capita", "missing"] > 0


def test_missing_counts_and_regions():
    cross = pd.DataFrame({"a": [1.0, None, 3.0], "b": [1.0, 2.0, 3.0]}, index=["x", "y", "z"])
    assert coverage.missing_counts(cross).to_dict() == {"a": 1, "b": 0}
    assert coverage.missing_regions(cross) == {"a": ["y"]}


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_codebook_table_has_every_included_indicator(lang):
    book = load_codebook()
    table = coverage.codebook_table(book, lang)
    assert len(table) == int(book["include"].sum())
    assert table.shape[1] == 6


def test_city_rows_are_the_cross_section_values():
    book = load_codebook()
    cross = cross_section(codebook=book)
    rows = coverage.city_rows(cross, ["astana", "karaganda"], book, "en")
    assert list(rows.columns) == ["Astana", "Karaganda region"]
    assert rows.loc["Innovation activity level", "Astana"] == cross.loc["astana",
                                                                        "innovation_activity_level"]
