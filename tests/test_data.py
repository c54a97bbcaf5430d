"""Loaders validate what they read; analysis tables are shaped and normalised as documented."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.registers import data
from helpers.registers.data import DataValidationError
from helpers.registers.paths import DATA
from helpers.registers.tables import read_table


@pytest.fixture
def copy(tmp_path) -> Path:
    """A writable copy of data/official, data/secondary, the codebook and the boundary register."""
    for folder in ("official", "secondary"):
        shutil.copytree(DATA / folder, tmp_path / folder)
    for name in ("codebook.csv", "boundaries.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def edit(path: Path, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in 1-based ``line`` of a CSV file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], f"{old!r} not in line {line}: {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def broken(copy: Path, table: str, pattern: str) -> None:
    with pytest.raises(DataValidationError) as info:
        data.load_official(table, copy / "official")
    message = str(info.value)
    assert f"{table}.csv" in message
    assert pd.Series([message]).str.contains(pattern).iloc[0], message


def test_committed_tables_load_and_validate():
    df = data.load_official()
    assert set(df["table"]) == set(data.official_tables())
    assert not df.duplicated(["region", "year", "indicator"]).any()
    for name in data.secondary_tables():
        assert {"source", "confidence"} <= set(data.load_secondary(name).columns)


def test_renamed_column(copy):
    edit(copy / "official" / "rnd_2022.csv", 1, "value", "val")
    broken(copy, "rnd_2022", r"row 1, column 'value': column missing or renamed")


def test_duplicated_region_year(copy):
    path = copy / "official" / "population.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(5, lines[2])
    path.write_text("\n".join(lines), encoding="utf-8")
    broken(copy, "population", r"row 6, column 'year': duplicated .* \(first at row 3\)")


def test_non_numeric_value(copy):
    edit(copy / "official" / "grp_per_capita.csv", 4, "1336.5", "≈1336.5")
    broken(copy, "grp_per_capita", r"row 4, column 'value': '≈1336.5' is not a number")


def test_malformed_csv(copy):
    edit(copy / "official" / "grp_per_capita.csv", 4, "1336.5", "1 336,5")
    broken(copy, "grp_per_capita", r"not a well-formed UTF-8 CSV .*line 4")


def line_starting(path, prefix: str) -> int:
    """The 1-based line number of the first line of ``path`` that starts with ``prefix``."""
    return next(i for i, t in enumerate(path.read_text().split("\n"), 1) if t.startswith(prefix))


def test_percentage_out_of_range_is_kept_flagged_and_left_out(copy):
    path = copy / "official" / "innovation_2022.csv"
    line = line_starting(path, "astana,2022,innovation_activity_level,")
    edit(path, line, "14.8", "148")
    table = data.load_official("innovation_2022", copy / "official")  # loads: kept as published
    row = table[(table.region == "astana") & (table.indicator == "innovation_activity_level")]
    assert row.value.tolist() == [148.0]
    cs = data.cross_section(data=copy)
    assert pd.isna(cs.at["astana", "innovation_activity_level"])
    assert cs["innovation_activity_level"].notna().sum() == 19
    reason = data.years_used(cs).set_index("column").at["innovation_activity_level", "reason"]
    assert "astana 2022 (share-range)" in reason


def test_negative_count(copy):
    path = copy / "official" / "rnd_2022.csv"
    line = line_starting(path, "shymkent,2022,rnd_personnel,")
    edit(path, line, ",624,", ",-624,")
    broken(copy, "rnd_2022", rf"row {line}, column 'value': negative count -624")


def test_unknown_region(copy):
    edit(copy / "official" / "emissions_stationary.csv", 3, "kazakhstan", "Karagandy")
    broken(copy, "emissions_stationary",
           r"row 3, column 'region': unknown region 'Karagandy' \(did you mean 'karaganda'\?\)")


def test_bad_year(copy):
    edit(copy / "official" / "env_protection_costs.csv", 2, "2005", "2005.0")
    broken(copy, "env_protection_costs", r"row 2, column 'year'")


def test_secondary_row_without_confidence_level(copy):
    edit(copy / "secondary" / "smart_city_ranking.csv", 2, ",medium,", ",sure,")
    with pytest.raises(DataValidationError, match=r"smart_city_ranking.csv, row 2, column "
                       r"'confidence'"):
        data.load_secondary("smart_city_ranking", copy / "secondary")


def test_codebook_naming_a_missing_indicator(copy):
    path = copy / "codebook.csv"
    line = line_starting(path, "ҚЭ,economy,grp_per_capita,official")
    edit(path, line, "grp_per_capita,official", "grp_per_head,official")
    with pytest.raises(DataValidationError, match=rf"codebook.csv, row {line}, column 'indicator': "
                       r"indicator 'grp_per_head' does not exist in official/grp_per_capita"):
        data.load_codebook(path, data=copy)


@pytest.mark.parametrize(("old", "new", "column"), [
    ("lower_better", "smaller", "direction"),
    (",per_10k,", ",per_head,", "normalisation"),
    ("secondary/regional_indicators_merged", "secondary/nowhere", "source_table"),
    (",moderate,", ",so-so,", "proxy_strength"),
])
def test_codebook_bad_values(copy, old, new, column):
    path = copy / "codebook.csv"
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1) if old in t and i > 1)
    edit(path, line, old, new)
    with pytest.raises(DataValidationError, match=rf"row {line}, column '{column}'"):
        data.load_codebook(path, data=copy)


# ---------------------------------------------------------------------------------------------
def test_codebook_covers_every_factor_with_two_indicators_where_data_allow():
    book = data.load_codebook()
    counts = book[book.include].groupby("factor_id").size()
    assert set(counts.index) == set(data.FACTORS.values())
    assert (counts.drop(["law", "adaptation"]) >= 2).all()
    weak = book.set_index("factor_id").loc["law", "proxy_strength"]
    assert (pd.Series(weak) == "weak").all()


def test_cross_section_shape_and_per_capita():
    cs = data.cross_section()
    assert cs.shape[0] == 20 and "kazakhstan" not in cs.index
    assert list(cs.columns) == list(data.load_codebook().query("include")["column"])
    assert not cs.isna().any().any()
    pop = data.load_official("population").set_index(["region", "year", "indicator"])["value"]
    mean = (pop["astana", 2022, "population"] + pop["astana", 2023, "population"]) / 2
    assert cs.loc["astana", "innovation_expenditure_per_capita"] == pytest.approx(
        45591.7e6 / mean)
    assert cs.loc["astana", "innovation_activity_level"] == 14.8
    assert cs.loc["astana", "smart_city_adaptation_score"] == 20
    assert cs.loc["aktobe", "smart_city_adaptation_score"] == 6
    growth = pop["almaty", 2023, "population"] / pop["almaty", 2022, "population"] - 1
    assert cs.loc["almaty", "population_growth"] == pytest.approx(100 * growth)


def test_cross_section_follows_an_edited_codebook():
    book = data.load_codebook()
    book.loc[book.factor_id == "law", "include"] = False
    cs = data.cross_section(codebook=book)
    assert "crimes_registered_per_10k" not in cs.columns
    assert set(data.factor_columns(book)) == set(data.FACTORS.values()) - {"law"}


def test_cross_sections_of_one_panel_equal_one_cross_section_per_rule():
    rules = [None, 2022, "latest", "mean3"]
    tables = data.cross_sections(rules)
    assert len(tables) == len(rules)
    for rule, table in zip(rules, tables, strict=True):
        alone = data.cross_section(year=rule)
        pd.testing.assert_frame_equal(table, alone, check_exact=True)
        assert table.attrs["years"] == alone.attrs["years"]
    assert not tables[0].equals(tables[3])  # the rules do differ
    with pytest.raises(ValueError, match="is not a year rule; valid"):
        data.cross_sections([2022, "newest"])


def test_oriented_flips_lower_is_better_only():
    cs = data.cross_section()
    book = data.load_codebook()
    flipped = data.oriented(cs, book)
    lower = book.loc[book.include & (book.direction == "lower_better"), "column"]
    assert np.allclose(flipped[lower], -cs[lower])
    higher = [c for c in cs.columns if c not in set(lower)]
    assert flipped[higher].equals(cs[higher])


def test_time_series_includes_the_country_and_marks_boundary_changes():
    ts = data.time_series("Караганда", ["population", "emissions_stationary"])
    assert set(ts.region) == {"karaganda", "kazakhstan"}
    kar = ts[(ts.region == "karaganda") & (ts.indicator == "population")]
    assert kar.year.min() == 2000 and kar.year.max() == 2023
    assert (kar.loc[kar.year < 2022, "boundary_note"] != "").all()
    assert (kar.loc[kar.year >= 2022, "boundary_note"] == "").all()


def test_time_series_refuses_unknown_names():
    with pytest.raises(ValueError, match="Unknown city or region"):
        data.time_series("Atlantis")
    with pytest.raises(ValueError, match="Unknown indicator"):
        data.time_series("Astana", ["smartness"])


def test_a_table_read_again_is_a_copy_and_follows_the_file(tmp_path):
    """read_table keeps what it parsed, by the file's bytes: a caller changing its table does not
    change the next one, and a file rewritten (same size, maybe the same mtime) is parsed anew."""
    f = tmp_path / "t.csv"
    f.write_text("a,b\n1,2\n")
    first = read_table(f)
    first.loc[0, "a"] = "9"
    assert read_table(f).loc[0, "a"] == "1"
    f.write_text("a,b\n3,4\n")
    assert read_table(f).loc[0, "a"] == "3"
    assert list(read_table(f).dtypes) == list(pd.read_csv(f, dtype=str).dtypes)


def test_tidy_tables_checked_by_column_equal_the_row_by_row_checks():
    """validate_tidy checks a valid table a column at a time; the years and values equal those of
    the row-by-row checks (which name the first bad row of a table that fails)."""
    slugs = data._slugs()
    folders = [(DATA / "official", False), (DATA / "official" / "cities", False),
               (DATA / "secondary", True)]
    seen = 0
    for folder, secondary in folders:
        for path in sorted(folder.glob("*.csv")):
            raw = read_table(path)
            fast = data._valid_columns(raw, slugs, secondary)
            rows = data._checked_rows(raw, path, slugs, secondary)
            assert fast is not None, path
            np.testing.assert_array_equal(np.asarray(fast, dtype=float),
                                          np.asarray(rows, dtype=float))
            seen += 1
    assert seen >= 20
    raw = read_table(DATA / "official" / "doctors.csv")
    for column, bad in [("region", "atlantis"), ("indicator", "Bad-Id"), ("year", "20x2"),
                        ("value", "n/a"), ("value", "inf")]:
        broken = raw.copy()
        broken.loc[len(broken) // 2, column] = bad
        assert data._valid_columns(broken, slugs, False) is None, column
        with pytest.raises(DataValidationError, match=f"row {len(broken) // 2 + 2}"):
            data.validate_tidy(broken, Path("doctors.csv"))
