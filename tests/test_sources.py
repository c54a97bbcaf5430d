"""The extraction reproduces the publisher's numbers, is repeatable byte for byte, fails loudly."""

from __future__ import annotations

import csv
import shutil

import pytest

from helpers import sources
from helpers.data import load_official
from helpers.paths import DATA, SHARED

BNS = DATA / "raw" / "bns"
SECONDARY = DATA / "raw" / "secondary"
REFERENCE = SHARED / "data" / "reference-extraction"
needs_reference = pytest.mark.skipif(
    not REFERENCE.exists(), reason=f"the independent extraction ({REFERENCE}) is not available")


def value(table: str, region: str, indicator: str, year: int = 2022) -> float:
    df = load_official(table)
    hit = df[(df.region == region) & (df.indicator == indicator) & (df.year == year)]
    assert len(hit) == 1, f"{table}: expected one value for {region}/{indicator}/{year}"
    return float(hit["value"].iloc[0])


@pytest.mark.parametrize(("region", "expected"), [
    ("kazakhstan", 11.0), ("astana", 14.8), ("almaty", 13.2), ("shymkent", 5.2),
    ("karaganda", 15.1), ("aktobe", 13.5), ("almaty-region", 5.3),
])
def test_published_innovation_activity_2022(region, expected):
    assert value("innovation_2022", region, "innovation_activity_level") == expected


def test_almaty_small_enterprise_level_is_the_articles_11_8():
    assert value("innovation_2022", "almaty", "innovation_activity_small") == 11.8


@pytest.mark.parametrize(("table", "indicator"), [
    ("innovation_2022", "enterprises_surveyed"),
    ("innovation_2022", "enterprises_with_innovations"),
    ("innovation_2022", "small_enterprises"), ("innovation_2022", "medium_enterprises"),
    ("innovation_2022", "large_enterprises"), ("innovation_2022", "innovation_expenditure"),
    ("rnd_2022", "rnd_personnel"), ("rnd_2022", "rnd_internal_expenditure"),
])
def test_regions_sum_to_the_national_total(table, indicator):
    df = load_official(table)
    df = df[df.indicator == indicator]
    national = float(df.loc[df.region == "kazakhstan", "value"].iloc[0])
    regions = df[df.region != "kazakhstan"]
    assert len(regions) == 20
    assert regions["value"].sum() == pytest.approx(national, rel=1e-9, abs=0.05)


def test_activity_level_is_with_over_surveyed():
    df = load_official("innovation_2022").pivot(index="region", columns="indicator",
                                                values="value")
    ratio = 100 * df["enterprises_with_innovations"] / df["enterprises_surveyed"]
    assert (ratio.round(1) - df["innovation_activity_level"]).abs().max() < 0.051


def test_every_official_table_covers_the_20_regions_and_the_country():
    for name in ("innovation_2022", "rnd_2022", "grp_per_capita", "population",
                 "emissions_stationary", "env_protection_costs"):
        df = load_official(name)
        latest = df[df.year == (2023 if name == "population" else 2022)]
        assert set(latest.region) == {r for r in _slugs() if r != "south-kazakhstan"}, name


def _slugs() -> set[str]:
    with (DATA / "regions.csv").open(encoding="utf-8") as handle:
        return {row["slug"] for row in csv.DictReader(handle)}


def test_south_kazakhstan_is_kept_apart_from_turkistan():
    pop = load_official("population")
    assert set(pop[pop.region == "south-kazakhstan"].year) == set(range(2000, 2017))
    assert min(pop[pop.region == "turkistan"].year) == 2017
    grp = load_official("grp_per_capita")
    south, turkistan = (grp[grp.region == r].year for r in ("south-kazakhstan", "turkistan"))
    assert south.max() < turkistan.min()


def test_kazakh_bulletin_bare_almaty_is_the_region():
    assert sources.region_slug("Алматы", kazakh_bulletin=True) == "almaty-region"
    assert sources.region_slug("Алматы қаласы", kazakh_bulletin=True) == "almaty"
    assert sources.region_slug("г. Алматы") == "almaty"
    assert sources.region_slug("Туркестанская 1") == "turkistan"
    assert sources.region_slug("г.Шымкент2)") == "shymkent"


# ---------------------------------------------------------------------------------------------
def test_workbooks_are_the_recorded_editions():
    for source in sources.SOURCES:
        assert sources.sha256(BNS / source.file) == source.sha256, source.file


def test_re_extraction_rewrites_identical_bytes(tmp_path):
    files = sources.build(BNS, SECONDARY)
    assert sources.build(BNS, SECONDARY) == files
    sources.write(files, tmp_path)
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (DATA / rel).read_bytes(), \
            f"data/{rel} is out of date: run `python -m helpers.sources`"
    assert sources.main(["--check", "--out", str(DATA)]) == 0


def test_check_reports_a_stale_file(tmp_path):
    sources.write(sources.build(BNS, SECONDARY), tmp_path)
    path = tmp_path / "official" / "rnd_2022.csv"
    path.write_bytes(path.read_bytes().replace(b"22456", b"22457"))
    assert sources.main(["--check", "--out", str(tmp_path)]) == 1


def test_changed_workbook_header_stops_the_extraction(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(BNS / "bns_population_by_region_2000_2023_ru.xlsx")
    book["Мужчины"].cell(5, 23).value = "тысяч человек"
    book.save(tmp_path / "pop.xlsx")
    with pytest.raises(sources.ExtractionError, match=r"sheet 'Мужчины', cell W5"):
        sources.extract_population(tmp_path / "pop.xlsx")


def test_missing_region_row_stops_the_extraction(tmp_path):
    import openpyxl

    src = BNS / "bns_grp_per_capita_2008_2023q3_ru.xlsx"
    book = openpyxl.load_workbook(src)
    book["тыс.тенге"].cell(10, 1).value = "Атлантида"
    book.save(tmp_path / "grp.xlsx")
    with pytest.raises(sources.ExtractionError, match="expected 22 region rows"):
        sources.extract_grp(tmp_path / "grp.xlsx")


def test_missing_workbook_names_the_option(tmp_path):
    shutil.copy(BNS / sources.SOURCES[0].file, tmp_path)
    with pytest.raises(FileNotFoundError, match="--bns-dir"):
        sources.build(tmp_path, SECONDARY)


def test_every_raw_file_matches_the_manifest():
    recorded = sources.manifest()
    on_disk = {p.relative_to(DATA / "raw").as_posix() for p in (DATA / "raw").rglob("*")
               if p.is_file() and p.name != "MANIFEST.csv"}
    assert on_disk == set(recorded)
    for name, row in recorded.items():
        path = DATA / "raw" / name
        assert path.stat().st_size == int(row["bytes"]), name
        assert sources.sha256(path) == row["sha256"], name


def test_one_changed_byte_stops_the_extraction_with_both_hashes(tmp_path):
    for file in (s.file for s in sources.SOURCES):
        shutil.copy(BNS / file, tmp_path)
    target = tmp_path / sources.SOURCES[3].file
    content = bytearray(target.read_bytes())
    content[-1] ^= 1
    target.write_bytes(bytes(content))
    expected = sources.manifest()[f"bns/{target.name}"]["sha256"]
    found = sources.sha256(target)
    with pytest.raises(sources.ExtractionError) as error:
        sources.build(tmp_path, SECONDARY)
    assert target.name in str(error.value)
    assert expected in str(error.value) and found in str(error.value)


# ---------------------------------------------------------------------------------------------
def _reference_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _ours(table: str) -> dict[tuple[str, int, str], float]:
    df = load_official(table)
    return {(r.region, int(r.year), r.indicator): r.value for r in df.itertuples()}


def _compare(ours: dict, theirs: dict) -> int:
    both = set(ours) & set(theirs)
    for key in sorted(both):
        assert ours[key] == pytest.approx(theirs[key], rel=1e-9, abs=1e-6), key
    return len(both)


def _slug_ru(label: str, year: int) -> str:
    slug = sources.region_slug(label)
    return "south-kazakhstan" if slug == "turkistan" and label.strip().endswith("1") \
        and year <= 2016 else slug


@needs_reference
@pytest.mark.parametrize(("file", "table", "column", "indicator"), [
    ("population-by-region-2000-2023.csv", "population", "population_persons_start_of_year",
     "population"),
    ("grp-per-capita-by-region-2008-2022.csv", "grp_per_capita", "grp_per_capita",
     "grp_per_capita"),
    ("emissions-stationary-by-region-2005-2022.csv", "emissions_stationary", "value",
     "emissions_stationary"),
    ("env-protection-current-costs-by-region-2005-2022.csv", "env_protection_costs", "value",
     "env_protection_current_costs"),
])
def test_agrees_with_reference_time_series(file, table, column, indicator):
    theirs = {}
    for row in _reference_rows(file):
        year = int(row["year"])
        if row[column] in ("", "-"):
            continue
        name = indicator + ("_usd" if row.get("unit") == "USD" else "")
        theirs[(_slug_ru(row["region_ru"], year), year, name)] = float(row[column])
    ours = _ours(table)
    assert _compare(ours, theirs) >= 300
    assert {k[2] for k in theirs} <= {k[2] for k in ours}


REGIONAL_2022 = {
    "innovation-by-region-2022.csv": ("innovation_2022", {
        "enterprises_surveyed_units": "enterprises_surveyed",
        "enterprises_with_innovations_units": "enterprises_with_innovations",
        "innovation_activity_level_pct": "innovation_activity_level",
        "employees_end_of_year_persons": "employees_end_of_year",
        "small_enterprises": "small_enterprises", "small_activity_pct": "innovation_activity_small",
        "medium_with_innov": "medium_enterprises_with_innovations",
        "large_activity_pct": "innovation_activity_large",
        "innovative_products_volume_mln_kzt": "innovative_products_volume",
        "innovative_products_sold_mln_kzt": "innovative_products_sold",
        "innovation_expenditure_total_mln_kzt": "innovation_expenditure",
        "innovation_expenditure_product_mln_kzt": "innovation_expenditure_product",
        "innovation_expenditure_business_process_mln_kzt":
            "innovation_expenditure_business_process",
    }),
    "rnd-by-region-2022.csv": ("rnd_2022", {
        "internal_rnd_expenditure_thousand_kzt": "rnd_internal_expenditure",
        "of_which_labour_costs_thousand_kzt": "rnd_labour_costs",
        "external_rnd_expenditure_thousand_kzt": "rnd_external_expenditure",
        "enterprises_reporting": "rnd_enterprises_reporting",
        "enterprises_doing_rnd": "rnd_enterprises_active",
        "rnd_personnel_persons": "rnd_personnel", "of_which_researchers": "rnd_researchers",
    }),
}


@needs_reference
@pytest.mark.parametrize("file", sorted(REGIONAL_2022))
def test_agrees_with_reference_2022_bulletins(file):
    table, columns = REGIONAL_2022[file]
    theirs = {}
    for row in _reference_rows(file):
        slug = sources.region_slug(row["region_kk"], kazakh_bulletin=True)
        for column, indicator in columns.items():
            try:
                theirs[(slug, 2022, indicator)] = float(row[column])
            except ValueError:
                continue
    assert _compare(_ours(table), theirs) >= 21 * len(columns) - 10
