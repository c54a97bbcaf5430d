"""The extraction reproduces the publishers' numbers, is repeatable byte for byte, fails loudly.

Expected values are read here straight from the raw files (openpyxl, xlrd, csv), independently of
``helpers.sources``, or are the values the publisher prints (quoted in the data notes).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import xlrd

from helpers import sources
from helpers.registers.data import load_official
from helpers.registers.paths import DATA
from helpers.sources.specs import load_spec

RAW = DATA / "raw"
SPECS = DATA / "specs"


def value(table: str, region: str, indicator: str, year: int = 2022) -> float:
    df = load_official(table)
    hit = df[(df.region == region) & (df.indicator == indicator) & (df.year == year)]
    assert len(hit) == 1, f"{table}: expected one value for {region}/{indicator}/{year}"
    return float(hit["value"].iloc[0])


def tidy(rel: str) -> list[dict[str, str]]:
    with (DATA / rel).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def raw_cell(file: str, sheet: str, ref: str) -> object:
    """One cell of a raw workbook, read with openpyxl or xlrd (not with helpers.sources)."""
    path = RAW / file
    if path.suffix == ".xls":
        book = xlrd.open_workbook(str(path))
        ws = book.sheet_by_name(sheet) if sheet else book.sheet_by_index(0)
        col = openpyxl.utils.column_index_from_string("".join(c for c in ref if c.isalpha()))
        return ws.cell_value(int("".join(c for c in ref if c.isdigit())) - 1, col - 1)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = book[sheet] if sheet else book.worksheets[0]
    return ws[ref].value


# ---------------------------------------------------------------------------------------------
# The published numbers
# ---------------------------------------------------------------------------------------------

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


def test_every_regional_bns_table_covers_the_20_regions_and_the_country():
    for name in ("innovation_2022", "rnd_2022", "grp_per_capita", "population",
                 "emissions_stationary", "env_protection_costs"):
        df = load_official(name)
        latest = df[df.year == (2023 if name == "population" else 2022)]
        assert set(latest.region) == _slugs() - {"south-kazakhstan"}, name


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
    sdg = load_official("sdg_regional")
    internet = sdg[sdg.indicator == "internet_use_share"]
    assert set(internet[internet.region == "south-kazakhstan"].year) == set(range(2011, 2018))
    assert min(internet[internet.region == "turkistan"].year) == 2018


def test_kazakh_bulletin_bare_almaty_is_the_region():
    assert sources.region_slug("Алматы", kazakh_bulletin=True) == "almaty-region"
    assert sources.region_slug("Алматы қаласы", kazakh_bulletin=True) == "almaty"
    assert sources.region_slug("г. Алматы") == "almaty"
    assert sources.region_slug("Туркестанская 1") == "turkistan"
    assert sources.region_slug("г.Шымкент2)") == "shymkent"


@pytest.mark.parametrize(("file", "sheet", "ref", "table", "region", "year", "indicator"), [
    ("bns/bns_population_by_region_2000_2023_ru.xlsx", "Все население", "Y20", "population",
     "astana", 2023, "population"),
    ("bns/bns_population_by_region_2000_2023_ru.xlsx", "Все население", "B17", "population",
     "south-kazakhstan", 2000, "population"),
    ("bns/bns_grp_per_capita_2008_2023q3_ru.xlsx", "тыс.тенге", None, "grp_per_capita",
     "karaganda", 2022, "grp_per_capita"),
    ("bns/bns_emissions_stationary_2005_2022_ru.xls", "", "S13", "emissions_stationary",
     "karaganda", 2022, "emissions_stationary"),
    ("bns/bns_env_protection_current_costs_2005_2022_ru.xls", "", "S5", "env_protection_costs",
     "abai", 2022, "env_protection_current_costs"),
    ("bns/bns_innovation_activity_2022_kk.xls", "1", "D6", "innovation_2022", "akmola", 2022,
     "innovation_activity_level"),
    ("bns/bns_rnd_main_indicators_2022_kk.xls", "36", "D5", "rnd_2022", "kazakhstan", 2022,
     "rnd_personnel"),
])
def test_values_equal_the_raw_cells(file, sheet, ref, table, region, year, indicator):
    if ref is None:  # GRP: the column of '2022 год' is found by its header, read independently
        book = openpyxl.load_workbook(RAW / file, read_only=True, data_only=True)
        rows = list(book[sheet].iter_rows(values_only=True))
        col = [str(c).strip() for c in rows[2]].index("2022 год")
        raw = next(r[col] for r in rows if str(r[0]).strip() == "Карагандинская")
    else:
        raw = raw_cell(file, sheet, ref)
    assert value(table, region, indicator, year) == pytest.approx(float(raw), abs=1e-9)


def test_sdg_values_equal_the_raw_csv_lines():
    """Internet use 2023: Astana 97.4, Kazakhstan 94.7, read from the CSV itself."""
    with (RAW / "sdg/data/indicator_17-8-1.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Year"] == "2023" and not r["SEX"]
                and not r["URBANISATION"]]
    printed = {r["REF_AREA"]: float(r["Value"]) for r in rows}
    assert printed["KZNS"] == 97.4 and printed[""] == 94.7
    assert value("sdg_regional", "astana", "internet_use_share", 2023) == printed["KZNS"]
    assert value("sdg_regional", "kazakhstan", "internet_use_share", 2023) == printed[""]


def test_sdg_almaty_region_code_is_not_the_city():
    # the SDG repository's en and kk code lists call Almaty *region* 'Almaty' / 'Алматы'
    sdg = load_official("sdg_regional")
    row = sdg[(sdg.indicator == "internet_use_share") & (sdg.year == 2015)]
    assert row.set_index("region").loc["almaty-region", "value"] != \
        row.set_index("region").loc["almaty", "value"]
    with (RAW / "sdg/data/indicator_17-8-1.csv").open(encoding="utf-8") as handle:
        kzalm = next(float(r["Value"]) for r in csv.DictReader(handle) if r["Year"] == "2015"
                     and r["REF_AREA"] == "KZALM" and not r["SEX"] and not r["URBANISATION"])
    assert row.set_index("region").loc["almaty-region", "value"] == pytest.approx(kzalm, rel=1e-11)


def test_registered_crime_astana_and_the_20_regions():
    rows = [r for r in tidy("official/crime_registered.csv")
            if r["indicator"] == "crimes_registered"]
    by_region = {r["region"]: float(r["value"]) for r in rows}
    assert by_region["astana"] == 14672
    assert len(by_region) == 20 and "kazakhstan" not in by_region
    assert sum(by_region.values()) == 135029
    assert raw_cell("legal-statistics/Astana_city.xlsx", "R1", "E7") == 14672


def test_life_expectancy_2022_astana():
    assert value("life_expectancy", "astana", "life_expectancy") == 77.30
    raw = raw_cell("bns/bns_life_expectancy_by_region_2019_2022_ru.xlsx", "Все население", "Y20")
    assert raw == 77.30 and raw_cell("bns/bns_life_expectancy_by_region_2019_2022_ru.xlsx",
                                     "Все население", "A20").strip() == "г. Астана"


def test_buses_2022_almaty():
    assert value("bus_transport", "almaty", "buses") == 11792
    assert raw_cell("bns/bns_bus_transport_by_region_1990_2022_ru.xlsx", "Автобусный транспорт",
                    "AH26") == 11792


def test_glued_footnote_is_read_as_the_number_before_it():
    # the sheet prints "93 2222)" for the national fleet of 2022: 93 222 with footnote 2
    assert raw_cell("bns/bns_bus_transport_by_region_1990_2022_ru.xlsx", "Автобусный транспорт",
                    "AH6").replace(" ", "") == "932222)"
    assert value("bus_transport", "kazakhstan", "buses") == 93222


def test_new_flat_price_2023_karaganda_city_is_a_city_not_the_region():
    rows = [r for r in tidy("official/cities/housing_prices.csv")
            if r["indicator"] == "housing_price_new" and r["year"] == "2023"]
    by_city = {r["city"]: r for r in rows}
    assert float(by_city["karaganda-city"]["value"]) == 366917
    assert by_city["karaganda-city"]["region"] == "karaganda"
    assert float(by_city["aktobe-city"]["value"]) == 259518
    file = "bns/bns_housing_prices_by_city_2019_2023_ru.xls"
    assert raw_cell(file, "Продажа нового жилья", "A13") == "Караганда"
    assert raw_cell(file, "Продажа нового жилья", "X13") == 366917


def test_unemployment_2023_is_not_invented():
    # the workbook prints 2023's four quarters but leaves its annual column empty
    df = load_official("unemployment")
    assert df.year.max() == 2022
    assert raw_cell("bns/bns_unemployment_rate_by_region_quarterly_2001_2023_en.xlsx",
                    "Regions_quarter", "DL6") is None


@pytest.mark.parametrize(("table", "indicator", "region", "first"), [
    ("doctors", "doctors", "south-kazakhstan", 2003),
    ("schools", "schools", "south-kazakhstan", 2000),
    ("life_expectancy", "life_expectancy", "south-kazakhstan", 1999),
])
def test_turkistan_rows_that_hold_south_kazakhstan_are_relabelled(table, indicator, region, first):
    df = load_official(table)
    df = df[df.indicator == indicator]
    south = df[df.region == "south-kazakhstan"].year
    assert south.min() == first and south.max() < df[df.region == "turkistan"].year.min()


def test_pm25_is_city_level_for_karaganda_city():
    rows = tidy("official/cities/air_quality.csv")
    karaganda = [r for r in rows if r["city"] == "karaganda-city"]
    assert karaganda and {r["region"] for r in karaganda} == {"karaganda"}
    assert {r["city"] for r in rows} >= {"karaganda-city", "aktobe-city", "astana-city"}
    assert "karaganda" not in {r["city"] for r in rows}


# ---------------------------------------------------------------------------------------------
# Raw files, manifest, reproducibility
# ---------------------------------------------------------------------------------------------

def test_every_raw_file_matches_the_manifest():
    recorded = sources.load_manifest()
    on_disk = {p.relative_to(RAW).as_posix() for p in RAW.rglob("*")
               if p.is_file() and p.name != "MANIFEST.csv"}
    assert on_disk == set(recorded)
    for name, row in recorded.items():
        assert (RAW / name).stat().st_size == row.bytes, name
        assert sources.sha256(RAW / name) == row.sha256, name


def test_every_spec_reads_files_of_the_manifest():
    recorded = sources.load_manifest()
    for spec in sources.load_specs():
        assert spec.files and set(spec.files) <= set(recorded), spec.path.name


def _raw_copy(tmp_path: Path, spec) -> Path:
    for name in spec.files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(RAW / name, tmp_path / name)
    return tmp_path


def test_one_changed_byte_stops_the_extraction_with_both_hashes(tmp_path):
    spec = load_spec(SPECS / "bns_population.yaml")
    raw = _raw_copy(tmp_path, spec)
    target = raw / spec.files[0]
    content = bytearray(target.read_bytes())
    content[-1] ^= 1
    target.write_bytes(bytes(content))
    expected = sources.load_manifest()[spec.files[0]].sha256
    with pytest.raises(sources.ExtractionError) as error:
        sources.extract(spec, raw)
    message = str(error.value)
    assert target.name in message and expected in message and sources.sha256(target) in message


def test_the_command_stops_on_a_changed_byte_and_writes_nothing(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    target = raw / "bns/bns_hospitals_by_region_2000_2022_ru.xls"
    content = bytearray(target.read_bytes())
    content[100] ^= 1
    target.write_bytes(bytes(content))
    out = tmp_path / "out"
    assert sources.main(["--raw-dir", str(raw), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "stopped, nothing written" in error and target.name in error
    assert sources.load_manifest()[f"bns/{target.name}"].sha256 in error
    assert sources.sha256(target) in error
    assert not out.exists()


def test_re_extraction_rewrites_identical_bytes(tmp_path):
    files = sources.build()
    sources.write(files, tmp_path)
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (DATA / rel).read_bytes(), \
            f"data/{rel} is out of date: run `python -m helpers.sources`"


def test_check_says_up_to_date(capsys):
    assert sources.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_reports_a_stale_file(tmp_path, capsys):
    sources.write(sources.build(), tmp_path)
    path = tmp_path / "official" / "rnd_2022.csv"
    path.write_bytes(path.read_bytes().replace(b"22456", b"22457"))
    assert sources.main(["--check", "--out", str(tmp_path)]) == 1
    assert "official/rnd_2022.csv" in capsys.readouterr().err


def test_provenance_lists_every_raw_file_with_mirror_commit_and_sha256():
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    recorded = sources.load_manifest()
    listed = {s["file"]: s for r in package["resources"] for s in r["sources"]}
    for spec in sources.load_specs():
        assert f"`{spec.output}`" in text, spec.output
        for name in spec.files:
            assert recorded[name].sha256 in text, name
            entry = listed[f"data/raw/{name}"]
            assert entry["file_sha256"] == recorded[name].sha256
            if recorded[name].mirror_repo:
                assert entry["mirror_commit"] == recorded[name].mirror_commit
                assert recorded[name].mirror_repo in text


# ---------------------------------------------------------------------------------------------
# A wrong spec or a changed file stops with the file, sheet and cell
# ---------------------------------------------------------------------------------------------

def _edited(tmp_path: Path, spec_name: str, edit) -> tuple:
    """The spec and a raw folder whose workbook ``edit(book)`` changed; manifest hash updated."""
    spec = load_spec(SPECS / spec_name)
    raw = _raw_copy(tmp_path / "raw", spec)
    name = spec.files[0]
    book = openpyxl.load_workbook(raw / name)
    edit(book)
    book.save(raw / name)
    manifest = dict(sources.load_manifest())
    row = manifest[name]
    manifest[name] = type(row)(**{**row.__dict__, "sha256": sources.sha256(raw / name)})
    return spec, raw, manifest


def _extract_with(spec, raw, manifest, monkeypatch):
    from helpers.sources import cli

    monkeypatch.setattr(cli, "load_manifest", lambda: manifest)
    return sources.extract(spec, raw)


def test_changed_header_label_names_sheet_and_cell(tmp_path, monkeypatch):
    spec, raw, manifest = _edited(tmp_path, "bns_population.yaml",
                                  lambda b: setattr(b["Мужчины"]["W5"], "value", "тысяч человек"))
    with pytest.raises(sources.ExtractionError, match=r"sheet 'Мужчины', cell W5"):
        _extract_with(spec, raw, manifest, monkeypatch)


def test_missing_region_row_names_the_cell(tmp_path, monkeypatch):
    spec, raw, manifest = _edited(tmp_path, "bns_grp_per_capita.yaml",
                                  lambda b: setattr(b["тыс.тенге"]["A10"], "value", "Атлантида"))
    with pytest.raises(sources.ExtractionError, match=r"sheet 'тыс.тенге', cell A10: 'Атлантида'"):
        _extract_with(spec, raw, manifest, monkeypatch)


def test_a_year_column_that_moved_names_the_cell(tmp_path, monkeypatch):
    def swap(book):
        ws = book["Все население"]
        ws["K1"].value, ws["L1"].value = ws["L1"].value, ws["K1"].value
    spec, raw, manifest = _edited(tmp_path, "bns_population.yaml", swap)
    with pytest.raises(sources.ExtractionError,
                       match=r"bns_population_by_region_2000_2023_ru.xlsx, sheet 'Все население'"
                             r", cell K1: expected the year 2009"):
        _extract_with(spec, raw, manifest, monkeypatch)


def test_a_national_total_that_is_off_names_the_cell(tmp_path, monkeypatch):
    spec, raw, manifest = _edited(tmp_path, "bns_population.yaml",
                                  lambda b: setattr(b["Все население"]["Y2"], "value", 1))
    with pytest.raises(sources.ExtractionError,
                       match=r"sheet 'Все население', cell Y2: the national population 2023"):
        _extract_with(spec, raw, manifest, monkeypatch)


def test_a_spec_naming_a_file_absent_from_the_manifest_fails(tmp_path):
    text = (SPECS / "bns_emissions_stationary.yaml").read_text(encoding="utf-8")
    (tmp_path / "x.yaml").write_text(text.replace("bns/bns_emissions_stationary_2005_2022_ru.xls",
                                                  "bns/bns_emissions_2030_ru.xls"),
                                     encoding="utf-8")
    with pytest.raises(sources.ExtractionError,
                       match=r"bns/bns_emissions_2030_ru.xls is not in the manifest"):
        sources.extract(load_spec(tmp_path / "x.yaml"))


def test_a_spec_with_an_unknown_key_fails(tmp_path):
    text = (SPECS / "bns_emissions_stationary.yaml").read_text(encoding="utf-8")
    (tmp_path / "x.yaml").write_text(text.replace("indicator: emissions", "indicater: emissions"),
                                     encoding="utf-8")
    with pytest.raises(sources.ExtractionError, match=r"unknown key\(s\) \['indicater'\]"):
        sources.extract(load_spec(tmp_path / "x.yaml"))


def test_a_wrong_printed_value_in_a_spec_names_the_cell(tmp_path):
    text = (SPECS / "bns_emissions_stationary.yaml").read_text(encoding="utf-8")
    (tmp_path / "x.yaml").write_text(text.replace("value: 2314.8", "value: 2314.9"),
                                     encoding="utf-8")
    with pytest.raises(sources.ExtractionError, match=r"sheet 'ООС', cell S4: 2314.8"):
        sources.extract(load_spec(tmp_path / "x.yaml"))


def test_glued_footnote_digits_need_the_spec_to_say_so():
    from helpers.sources.cells import parse_number

    assert parse_number("93 2222)", "here", footnote_digits=True).value == 93222
    assert parse_number("93 2222)", "here", footnote_digits=True).footnote == "2"
    assert parse_number("Х", "here") is None and parse_number("x", "here") is None
    with pytest.raises(sources.ExtractionError, match="here: '93 2222\\)' is not a number"):
        parse_number("93 2222)", "here")


def _sdg_spec(tmp_path: Path, table: str, level: str = "region") -> Path:
    text = (SPECS / "sdg_regional.yaml").read_text(encoding="utf-8")
    head = text[:text.index("tables:")].replace("output: official/sdg_regional.csv",
                                                 "output: official/x.csv")
    if level == "city":
        head = head.replace("reader: sdg\n", "reader: sdg\nlevel: city\n")
    (tmp_path / "x.yaml").write_text(head + "tables:\n  - " + table + "\n", encoding="utf-8")
    return tmp_path / "x.yaml"


def test_an_sdg_code_that_is_not_a_region_names_the_line(tmp_path):
    spec = _sdg_spec(tmp_path, "{file: sdg/data/indicator_11-6-2.csv, indicator: "
                               "internet_use_share, unit_code: MG_CUB_METER, "
                               "filters: {SERIES: _L_KZ_110602_1B}, years: [2015, 2023]}")
    with pytest.raises(sources.ExtractionError,
                       match=r"indicator_11-6-2.csv, line \d+: REF_AREA '\w+' \(.+\) is not a "
                             r"region of the register"):
        sources.extract(load_spec(spec))


def test_an_sdg_year_missing_from_the_file_fails(tmp_path):
    spec = _sdg_spec(tmp_path, "{file: sdg/data/indicator_17-8-1.csv, indicator: "
                               "internet_use_share, unit_code: PT, years: [2010, 2023]}")
    with pytest.raises(sources.ExtractionError,
                       match=r"indicator_17-8-1.csv: expected total rows for every year "
                             r"2010…2023; missing \[2010\]"):
        sources.extract(load_spec(spec))


def test_sdg_values_printed_twice_must_be_listed(tmp_path):
    spec = _sdg_spec(tmp_path, "{file: sdg/data/indicator_11-3-1.csv, indicator: "
                               "housing_space_per_resident, unit_code: SQ_METER, "
                               "years: [2010, 2023]}")
    with pytest.raises(sources.ExtractionError, match=r"printed twice with different values: "
                                                      r".*'ulytau 2022'.*'zhetisu 2022'"):
        sources.extract(load_spec(spec))


def _raw_rows(file: str, sheet: str | None) -> list[list[object]]:
    """Every row of a raw sheet, read with xlrd or openpyxl (not with helpers.sources)."""
    path = RAW / file
    if path.suffix == ".xls":
        book = xlrd.open_workbook(str(path))
        ws = book.sheet_by_name(sheet) if sheet else book.sheet_by_index(0)
        return [ws.row_values(r) for r in range(ws.nrows)]
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return [list(r) for r in (book[sheet] if sheet else book.worksheets[0]).iter_rows(
        values_only=True)]


def _year(cell: object) -> int | None:
    text = str(cell).strip().split(".")[0].split("/")[0]
    return int(text[:4]) if text[:4].isdigit() and len(text) >= 4 else None


@pytest.mark.parametrize(("file", "sheet", "header", "table", "indicator", "south_until"), [
    ("bns/bns_population_by_region_2000_2023_ru.xlsx", "Все население", 0, "population",
     "population", 2016),
    ("bns/bns_emissions_stationary_2005_2022_ru.xls", None, 2, "emissions_stationary",
     "emissions_stationary", None),
    ("bns/bns_env_protection_current_costs_2005_2022_ru.xls", None, 2, "env_protection_costs",
     "env_protection_current_costs", None),
    ("bns/bns_doctors_by_region_2003_2022_ru.xls", None, 4, "doctors", "doctors", 2017),
    ("bns/bns_hospitals_by_region_2000_2022_ru.xls", "5.21", 7, "hospitals", "hospitals", None),
    ("bns/bns_life_expectancy_by_region_2019_2022_ru.xlsx", "Все население", 0, "life_expectancy",
     "life_expectancy", 2016),
    ("bns/bns_household_expenditure_per_capita_by_region_2018_2022_ru.xls", None, 2,
     "household_expenditure", "household_expenditure_per_capita", None),
])
def test_every_value_of_a_dynamic_table_equals_its_raw_cell(file, sheet, header, table,
                                                            indicator, south_until):
    """Read the whole sheet independently: every numeric cell of a region row is in the table
    with the same value, and the table holds nothing else."""
    from helpers.registers.regions import resolve_region

    rows = _raw_rows(file, sheet)
    years = {c: y for c, v in enumerate(rows[header]) if (y := _year(v))}
    expected = {}
    for row in rows[header + 1:]:
        label = str(row[0] or "").strip().rstrip("*").strip()
        label = label[:-1].strip() if label[-1:].isdigit() else label
        try:
            slug = resolve_region(label).slug
        except ValueError:
            continue
        for c, y in years.items():
            cell = row[c] if c < len(row) else None
            try:
                number = float(str(cell).replace(" ", "").replace(",", "."))
            except ValueError:
                continue
            if cell is None or cell == "":
                continue
            region = "south-kazakhstan" if south_until and slug == "turkistan" \
                and y <= south_until else slug
            expected[(region, y)] = number
    df = load_official(table)
    ours = {(r.region, int(r.year)): r.value for r in df[df.indicator == indicator].itertuples()}
    assert len(expected) >= 300
    assert set(ours) == set(expected)
    for key, number in expected.items():
        assert ours[key] == pytest.approx(number, rel=1e-11), key
