"""Extraction of the study's official statistics from the publisher's own workbooks.

Run ``python -m helpers.sources [--bns-dir DIR] [--secondary-dir DIR] [--out DIR] [--check]``.

The command reads the Bureau of National Statistics (BNS) workbooks (``data/raw/bns/`` by
default) and the secondary tables (``data/raw/secondary/``), checks each file's sha256 against
``data/raw/MANIFEST.csv`` before reading it, and writes

* ``data/official/<table>.csv`` — tidy long tables ``region,year,indicator,value,unit``;
* ``data/secondary/<table>.csv`` — tidy tables with ``source`` and ``confidence`` on every row;
* ``data/SOURCES.md`` and ``data/datapackage.json`` — provenance of every table.

Rows are located by their *labels* (region names resolved through ``data/regions.csv``) and every
sheet's header is checked against the text we expect, so a changed workbook stops the extraction
with a message instead of shifting numbers silently. The output is byte-for-byte reproducible:
rows are sorted, numbers printed with ``%.12g`` and lines end with ``\\n``. ``--check`` re-runs the
extraction into a temporary folder and fails if any committed file would change.

Values printed as ``-`` (no such phenomenon / region did not exist) or ``x`` (suppressed for
confidentiality) are not written: a missing row means "not published".
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import hashlib
import io
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from helpers.paths import DATA
from helpers.regions import resolve_region

RAW = DATA / "raw"
MANIFEST = RAW / "MANIFEST.csv"
BNS_DIR = RAW / "bns"
SECONDARY_DIR = RAW / "secondary"
COMMAND = "python -m helpers.sources"
TIDY_COLUMNS = ("region", "year", "indicator", "value", "unit")
SECONDARY_COLUMNS = ("region", "year", "indicator", "value", "unit", "source", "confidence", "note")
LICENCE = ("Official statistics of the Republic of Kazakhstan, published openly by the Bureau of "
           "National Statistics (BNS); cite BNS as the source and the mirror as where the file was "
           "taken from.")


class ExtractionError(ValueError):
    """A workbook does not look like the edition this code was written for."""


# ----------------------------------------------------------------------------------------------
# Provenance of the publisher's files
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """One publisher's file and what we know about it."""

    id: str
    file: str
    sha256: str
    title: str
    title_en: str
    published: str
    publisher_url: str
    mirror_repo: str
    mirror_commit: str
    mirror_path: str
    mirror_file_commit: str
    outputs: tuple[str, ...]
    caveats: tuple[str, ...] = field(default_factory=tuple)
    publisher: str = "Bureau of National Statistics of the Agency for Strategic Planning and " \
                     "Reforms of the Republic of Kazakhstan (BNS)"


_TERRITORY = ("Karaganda and Aktobe are regions (oblasts), not cities: their rows cover the "
              "whole region; the cities are not published separately.")
_ULYTAU = ("Karaganda region lost Ulytau region (and Abai/Zhetisu split from East Kazakhstan/"
           "Almaty regions) in 2022: 2022+ values of those regions are not comparable with "
           "earlier years.")
_SHYMKENT = ("Shymkent exists as a city of republican significance from 2018 (population from "
             "1 Jan 2017); until then it and Turkistan region formed South Kazakhstan region, "
             "kept here under the historical slug south-kazakhstan.")

SOURCES: tuple[Source, ...] = (
    Source(
        id="bns_innovation_2022",
        file="bns_innovation_activity_2022_kk.xls",
        sha256="97261ade90b7753982e1a883f5e873074eadea79799ab6a9b7199d6becf0990e",
        title="Қазақстан Республикасындағы кәсіпорындардың инновациялық қызметі туралы (2022 жыл; "
              "19 серия Инновациялар статистикасы)",
        title_en="Innovation activity of enterprises in the Republic of Kazakhstan, 2022 "
                 "(series 19, Innovation statistics)",
        published="2023-05-18 (printed on the cover; next edition announced for 2024-05-20)",
        publisher_url="https://stat.gov.kz/ (Industries → Science and innovation → Publications; "
                      "the exact page address is not recorded in the mirror)",
        mirror_repo="open-data-kazakhstan/education-mcda-kz",
        mirror_commit="5ce477a",
        mirror_path="archive/innovations.xls",
        mirror_file_commit="ab853cf2151b466133db3a618cc005c8c90f76b4",
        outputs=("official/innovation_2022.csv",),
        caveats=(_TERRITORY, _ULYTAU,
                 "Tables 1, 4, 7 and 9 are extracted; the bulletin uses the post-2022 innovation "
                 "categories (product and business-process innovation).",
                 "Kazakh bulletin: the bare label 'Алматы' is Almaty *region*; the city is "
                 "'Алматы қаласы'."),
    ),
    Source(
        id="bns_rnd_2022",
        file="bns_rnd_main_indicators_2022_kk.xls",
        sha256="f931b18ccf1ba66c0dd40746c1736e4aaf9454a23f71555d4c989777b2571311",
        title="Қазақстан Республикасындағы ғылыми-зерттеу және тәжірибелік-конструкторлық "
              "жұмыстардың негізгі көрсеткіштері (2022)",
        title_en="Main indicators of research and development in the Republic of Kazakhstan, 2022",
        published="2023-03-20 (printed on the cover; next edition announced for 2024-03-20)",
        publisher_url="https://stat.gov.kz/ (Industries → Science and innovation → Publications; "
                      "the exact page address is not recorded in the mirror)",
        mirror_repo="open-data-kazakhstan/education-mcda-kz",
        mirror_commit="5ce477a",
        mirror_path="archive/research and development works.xls",
        mirror_file_commit="ab853cf2151b466133db3a618cc005c8c90f76b4",
        outputs=("official/rnd_2022.csv",),
        caveats=(_TERRITORY, _ULYTAU,
                 "Tables 1 (expenditure) and 36 (personnel) are extracted; cells printed 'x' "
                 "(confidential) or '-' are left out."),
    ),
    Source(
        id="bns_grp_per_capita",
        file="bns_grp_per_capita_2008_2023q3_ru.xlsx",
        sha256="b51cbfa34975ffdcce1bcab7ac630b9ee7dd6bd0929ebf6196a3321d0a43a050",
        title="Валовой региональный продукт на душу населения (тыс. тенге; в долларах США), "
              "2008 – 9 месяцев 2023",
        title_en="Gross regional product per capita (thousand KZT; US dollars), 2008 – 9M 2023",
        published="not printed in the workbook (contains data up to 9 months of 2023)",
        publisher_url="https://stat.gov.kz/ (Industries → Economy → National accounts; the exact "
                      "page address is not recorded in the mirror)",
        mirror_repo="open-data-kazakhstan/city-gdp-per-capita",
        mirror_commit="659fb63",
        mirror_path="arhive/6. ВРП на душу населения.xlsx",
        mirror_file_commit="1905212dec7872bad96db93539b6dc2f7cdd1407",
        outputs=("official/grp_per_capita.csv",),
        caveats=(_TERRITORY, _ULYTAU, _SHYMKENT,
                 "Only annual columns ('YYYY год') are extracted; quarterly cumulative values and "
                 "the incomplete 2023 are left out.",
                 "USD values are computed by BNS at the National Bank's average annual rate."),
    ),
    Source(
        id="bns_population",
        file="bns_population_by_region_2000_2023_ru.xlsx",
        sha256="410eed01b142d525f894181ffc0ce650c97b1cf3782f933ce5683eb58a9776c3",
        title="Численность населения по регионам Республики Казахстан (на начало года), "
              "2000–2023",
        title_en="Population by region of the Republic of Kazakhstan at the start of the year, "
                 "2000–2023",
        published="not printed in the workbook (latest column: 1 January 2023)",
        publisher_url="https://stat.gov.kz/api/iblock/element/6584/file/ru/",
        mirror_repo="open-data-kazakhstan/population-projections-by-regions",
        mirror_commit="2568e41",
        mirror_path="archive/source.xlsx",
        mirror_file_commit="1cc68b9feeab6e30696c30142230e182f02eac78",
        outputs=("official/population.csv",),
        caveats=(_TERRITORY, _ULYTAU, _SHYMKENT,
                 "The row 'Туркестанская 1' holds South Kazakhstan region for 2000–2016 (the "
                 "sheet's footnote 1); those years are written as south-kazakhstan.",
                 "The 2009 and 2022 columns follow the 2009 and 2021 censuses (re-based levels).",
                 "Urban population is the sum of the men's and women's urban blocks."),
    ),
    Source(
        id="bns_emissions_stationary",
        file="bns_emissions_stationary_2005_2022_ru.xls",
        sha256="4e2d44b2e4d78214e7d982308a63ff44959dccad82afbf7808836a528b38def2",
        title="Выбросы в атмосферу загрязняющих веществ, отходящих от стационарных источников "
              "(динамический ряд), 2005–2022",
        title_en="Emissions of air pollutants from stationary sources (dynamic table), 2005–2022",
        published="not printed in the workbook (latest column: 2022)",
        publisher_url="https://stat.gov.kz/ru/industries/environment/stat-eco/dynamic-tables/",
        mirror_repo="open-data-kazakhstan/city-air-pullution-index",
        mirror_commit="06e29da",
        mirror_path="archive/air_poll.xls",
        mirror_file_commit="1edb9d8bca073f8c4f1ba1109a80af2a5b17cfe0",
        outputs=("official/emissions_stationary.csv",),
        caveats=(_TERRITORY, _ULYTAU, _SHYMKENT,
                 "Unit: the sheet prints 'тыс. тонн' only in the far-right header cell; other "
                 "copies of this table print no unit at all.",
                 "Almaty city 2013 → 2014 (12.4 → 43.5 thousand t) looks like a change of "
                 "coverage in the source, not a real change."),
    ),
    Source(
        id="bns_env_protection_costs",
        file="bns_env_protection_current_costs_2005_2022_ru.xls",
        sha256="0f249fc25103476248fbb2eea2d776d9f306bd3e74ad335de7c0af3bd0d41ca8",
        title="Объем текущих затрат на охрану окружающей среды (динамический ряд), 2005–2022",
        title_en="Current expenditure on environmental protection (dynamic table), 2005–2022",
        published="not printed in the workbook (latest column: 2022)",
        publisher_url="https://stat.gov.kz/ru/industries/environment/stat-eco/dynamic-tables/",
        mirror_repo="open-data-kazakhstan/eco-spendings-and-emissions",
        mirror_commit="794be21",
        mirror_path="Eco_am/data/eco.xls",
        mirror_file_commit="bad8f24fd1006a049101fb9c8e3639a9dc318362",
        outputs=("official/env_protection_costs.csv",),
        caveats=(_TERRITORY, _ULYTAU, _SHYMKENT,
                 "Unit: the sheet prints 'тыс. тенге' only in the far-right header cell; other "
                 "copies of this table print no unit at all."),
    ),
)
SOURCES_BY_ID = {s.id: s for s in SOURCES}

# ----------------------------------------------------------------------------------------------
# Indicators written to data/official/
# ----------------------------------------------------------------------------------------------

INDICATORS: dict[str, tuple[str, str]] = {
    # id: (unit, description)
    "enterprises_surveyed": ("units", "Enterprises covered by the innovation survey"),
    "enterprises_with_innovations": ("units", "Enterprises with innovations"),
    "innovation_activity_level": ("%", "Innovation activity level: enterprises with innovations "
                                       "as a share of all surveyed enterprises"),
    "employees_end_of_year": ("persons", "Employees of the surveyed enterprises at year end"),
    "small_enterprises": ("units", "Small enterprises surveyed"),
    "small_enterprises_with_innovations": ("units", "Small enterprises with innovations"),
    "innovation_activity_small": ("%", "Innovation activity level, small enterprises"),
    "medium_enterprises": ("units", "Medium enterprises surveyed"),
    "medium_enterprises_with_innovations": ("units", "Medium enterprises with innovations"),
    "innovation_activity_medium": ("%", "Innovation activity level, medium enterprises"),
    "large_enterprises": ("units", "Large enterprises surveyed"),
    "large_enterprises_with_innovations": ("units", "Large enterprises with innovations"),
    "innovation_activity_large": ("%", "Innovation activity level, large enterprises"),
    "innovative_products_volume": ("million KZT", "Volume of innovative products"),
    "innovative_products_sold": ("million KZT", "Volume of innovative products sold"),
    "innovation_expenditure": ("million KZT", "Expenditure on innovation, total"),
    "innovation_expenditure_product": ("million KZT", "Expenditure on product innovation"),
    "innovation_expenditure_business_process": ("million KZT",
                                                "Expenditure on business-process innovation"),
    "rnd_internal_expenditure": ("thousand KZT", "Internal R&D expenditure"),
    "rnd_labour_costs": ("thousand KZT", "Internal R&D expenditure: labour costs"),
    "rnd_external_expenditure": ("thousand KZT", "External R&D expenditure"),
    "rnd_enterprises_reporting": ("units", "Enterprises reporting on R&D"),
    "rnd_enterprises_active": ("units", "Enterprises performing R&D"),
    "rnd_personnel": ("persons", "Personnel performing R&D"),
    "rnd_researchers": ("persons", "R&D personnel: researchers"),
    "rnd_technicians": ("persons", "R&D personnel: technicians"),
    "rnd_other_staff": ("persons", "R&D personnel: other staff"),
    "grp_per_capita": ("thousand KZT", "Gross regional product per capita"),
    "grp_per_capita_usd": ("USD", "Gross regional product per capita, in US dollars"),
    "population": ("persons", "Population at 1 January"),
    "population_urban": ("persons", "Urban population at 1 January"),
    "emissions_stationary": ("thousand t", "Emissions of air pollutants from stationary sources"),
    "env_protection_current_costs": ("thousand KZT",
                                     "Current expenditure on environmental protection"),
}

_UNIT_WORDS = {
    "млн. теңге": "million KZT", "мың теңге": "thousand KZT", "тыс. тонн": "thousand t",
    "тыс. тенге": "thousand KZT", "адам": "persons",
}


# ----------------------------------------------------------------------------------------------
# Reading cells
# ----------------------------------------------------------------------------------------------

class Sheet:
    """A uniform, read-only view of an .xls (xlrd) or .xlsx (openpyxl) sheet."""

    def __init__(self, path: Path, name: str, rows: list[list[object]]):
        self.path, self.name, self.rows = path, name, rows

    @property
    def where(self) -> str:
        return f"{self.path.name}, sheet {self.name!r}"

    def cell(self, row: int, col: int) -> object:
        try:
            return self.rows[row][col]
        except IndexError:
            return None

    def text(self, row: int, col: int) -> str:
        value = self.cell(row, col)
        return "" if value is None else " ".join(str(value).split())

    def expect(self, row: int, col: int, *words: str) -> None:
        """Stop unless the cell contains every one of ``words`` (case-insensitive)."""
        text = self.text(row, col).casefold()
        missing = [w for w in words if w.casefold() not in text]
        if missing:
            raise ExtractionError(
                f"{self.where}, cell {_a1(row, col)}: expected a header containing {words!r}, "
                f"found {self.text(row, col)!r}. The workbook's layout has changed; check the "
                "extraction before using it.")


def _a1(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def read_sheets(path: Path) -> dict[str, Sheet]:
    """All sheets of a workbook as :class:`Sheet` objects, keyed by sheet name."""
    if not path.exists():
        raise FileNotFoundError(f"The publisher's workbook {path} is missing. Pass the folder "
                                "that holds it with --bns-dir.")
    if path.suffix == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        return {s.name: Sheet(path, s.name, [s.row_values(r) for r in range(s.nrows)])
                for s in book.sheets()}
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: Sheet(path, ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
                for ws in book.worksheets}
    finally:
        book.close()


def sha256(path: Path) -> str:
    """The file's sha256 as lower-case hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(path: Path = MANIFEST) -> dict[str, dict[str, str]]:
    """The rows of the raw-file manifest, keyed by path under ``data/raw/``."""
    if not path.exists():
        raise FileNotFoundError(f"The manifest of the publisher's files {path} is missing.")
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["path"]: row for row in csv.DictReader(handle)}


def verify(path: Path, name: str, recorded: dict[str, dict[str, str]] | None = None) -> str:
    """Check ``path`` against the manifest row ``name``; return its sha256 or stop."""
    recorded = manifest() if recorded is None else recorded
    if name not in recorded:
        raise ExtractionError(f"{name} is not in the manifest {MANIFEST}; add it (with its "
                              "sha256 and provenance) before extracting from it.")
    if not path.exists():
        raise FileNotFoundError(f"The publisher's file {path} ({name} in the manifest) is missing. "
                                "Pass the folder that holds it with --bns-dir / --secondary-dir.")
    found, expected = sha256(path), recorded[name]["sha256"]
    if found != expected:
        raise ExtractionError(f"{path}: sha256 {found} differs from {expected} recorded for {name} "
                              f"in {MANIFEST.name}; this is not the edition the tables were "
                              "extracted from.")
    return found


def number(value: object) -> float | None:
    """A cell as a float; ``None`` for '-', 'x', 'х' and empty cells; error for anything else."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\xa0", "").replace(" ", "")
    if text in ("", "-", "x", "х", "…", "..."):
        return None
    return float(text.replace(",", "."))


_FOOTNOTE = re.compile(r"\s*\d\)?\s*$")


def region_slug(label: str, kazakh_bulletin: bool = False) -> str:
    """The register slug of a workbook's row label (footnote markers such as '2)' removed).

    In the Kazakh bulletins the bare name 'Алматы' is the *region* (the city is printed
    'Алматы қаласы'); everywhere else 'Алматы' means the city.
    """
    text = _FOOTNOTE.sub("", " ".join(str(label).split()))
    if kazakh_bulletin and text.casefold() == "алматы":
        return "almaty-region"
    return resolve_region(text).slug


# ----------------------------------------------------------------------------------------------
# One reader per workbook
# ----------------------------------------------------------------------------------------------

Record = tuple[str, int, str, float]  # region, year, indicator, value


def _region_rows(sheet: Sheet, first: int, kazakh: bool, stop_at_blank: bool = True,
                 last: int | None = None) -> list[tuple[int, str]]:
    """(row index, slug) of the rows from ``first`` whose first cell names a region."""
    rows = []
    end = len(sheet.rows) if last is None else last
    for r in range(first, end):
        label = sheet.text(r, 0)
        if not label:
            if stop_at_blank:
                break
            continue
        try:
            rows.append((r, region_slug(label, kazakh)))
        except ValueError:
            if stop_at_blank:
                break
    return rows


def _check_regions(sheet: Sheet, rows: list[tuple[int, str]], expected: int = 21) -> None:
    slugs = [s for _, s in rows]
    if len(slugs) != expected or len(set(slugs)) != expected or slugs[0] != "kazakhstan":
        raise ExtractionError(f"{sheet.where}: expected {expected} region rows starting with "
                              f"the republic, found {slugs}.")


def _table(sheet: Sheet, first_row: int, columns: dict[int, str], year: int,
           kazakh: bool = True) -> list[Record]:
    rows = _region_rows(sheet, first_row, kazakh)
    _check_regions(sheet, rows)
    out = []
    for r, slug in rows:
        for col, indicator in columns.items():
            value = number(sheet.cell(r, col))
            if value is not None:
                out.append((slug, year, indicator, value))
    return out


def extract_innovation(path: Path) -> list[Record]:
    """Tables 1, 4, 7 and 9 of the 2022 innovation bulletin (Kazakh edition)."""
    sheets = read_sheets(path)
    cover = sheets["Мұқаба"]
    cover.expect(13, 0, "2022")
    t1, t4, t7, t9 = sheets["1"], sheets["4"], sheets["7"], sheets["9"]
    t1.expect(0, 0, "инновациялық белсенділігінің негізгі көрсеткіштері")
    t1.expect(1, 1, "Кәсіпорындар", "саны")
    t1.expect(2, 2, "инновациялары бары")
    t1.expect(1, 3, "белсенділік деңгейі", "%")
    t1.expect(1, 4, "қызметкерлердің", "адам")
    t4.expect(0, 0, "өлшемділігі бойынша")
    for col, size in ((1, "Шағын"), (4, "Орта"), (7, "Ірі")):
        t4.expect(1, col, size)
        t4.expect(2, col, "Кәсіпорындар саны")
        t4.expect(3, col + 1, "инновация бары")
        t4.expect(2, col + 2, "белсенділік деңгейі", "пайызбен")
    t7.expect(0, 0, "Инновациялық өнімдердің көлемі")
    t7.expect(1, 7, "млн", "теңге")
    t7.expect(2, 1, "Инновациялық өнім көлемі, барлығы")
    t7.expect(2, 2, "Өткізілген инновациялық өнім көлемі, барлығы")
    t9.expect(0, 0, "Инновацияларға жұмсалған шығындар")
    t9.expect(1, 3, "млн", "теңге")
    t9.expect(2, 1, "Шығыстар, барлығы")
    t9.expect(3, 2, "өнімдік")
    t9.expect(3, 3, "бизнес-процестік")
    year = 2022
    return (
        _table(t1, 3, {1: "enterprises_surveyed", 2: "enterprises_with_innovations",
                       3: "innovation_activity_level", 4: "employees_end_of_year"}, year)
        + _table(t4, 4, {1: "small_enterprises", 2: "small_enterprises_with_innovations",
                         3: "innovation_activity_small", 4: "medium_enterprises",
                         5: "medium_enterprises_with_innovations", 6: "innovation_activity_medium",
                         7: "large_enterprises", 8: "large_enterprises_with_innovations",
                         9: "innovation_activity_large"}, year)
        + _table(t7, 4, {1: "innovative_products_volume", 2: "innovative_products_sold"}, year)
        + _table(t9, 4, {1: "innovation_expenditure", 2: "innovation_expenditure_product",
                         3: "innovation_expenditure_business_process"}, year)
    )


def extract_rnd(path: Path) -> list[Record]:
    """Tables 1 (expenditure) and 36 (personnel) of the 2022 R&D bulletin (Kazakh edition)."""
    sheets = read_sheets(path)
    sheets["Мұхаба"].expect(12, 0, "ғылыми-зерттеу", "негізгі көрсеткіштері")
    t1, t36 = sheets["1"], sheets["36"]
    t1.expect(0, 0, "1. Ғылыми-зерттеу")
    t1.expect(1, 7, "мың теңге")
    t1.expect(2, 1, "ішкі шығындар")
    t1.expect(3, 2, "еңбекақы")
    t1.expect(2, 7, "сыртқы шығындар")
    t36.expect(0, 0, "36.", "қызметкерлер саны")
    t36.expect(2, 1, "Есеп тапсырған кәсіпорындар саны")
    t36.expect(2, 2, "ҒЗТКЖ-мен айналысқан кәсіпорындар саны")
    t36.expect(2, 3, "қызметкерлер саны", "адам")
    t36.expect(3, 4, "зерттеуші")
    t36.expect(3, 5, "техникалық")
    t36.expect(3, 6, "өзгелері")
    return (
        _table(t1, 5, {1: "rnd_internal_expenditure", 2: "rnd_labour_costs",
                       7: "rnd_external_expenditure"}, 2022)
        + _table(t36, 4, {1: "rnd_enterprises_reporting", 2: "rnd_enterprises_active",
                          3: "rnd_personnel", 4: "rnd_researchers", 5: "rnd_technicians",
                          6: "rnd_other_staff"}, 2022)
    )


_ANNUAL = re.compile(r"^(\d{4}) год$")


def extract_grp(path: Path) -> list[Record]:
    """Annual GRP per capita (thousand KZT and USD sheets), 2008–2022."""
    sheets = read_sheets(path)
    out: list[Record] = []
    for name, indicator in (("тыс.тенге", "grp_per_capita"),
                            ("в долларах США", "grp_per_capita_usd")):
        sheet = sheets[name]
        sheet.expect(0, 0, "Валовой региональный продукт на душу населения")
        header = 2
        years = {c: int(m.group(1)) for c in range(len(sheet.rows[header]))
                 if (m := _ANNUAL.match(sheet.text(header, c)))}
        if sorted(years.values()) != list(range(2008, 2023)):
            raise ExtractionError(f"{sheet.where}: expected annual columns '2008 год' … '2022 год' "
                                  f"in row {header + 1}, found {sorted(years.values())}.")
        rows = _region_rows(sheet, 3, kazakh=False)
        if len(rows) != 22 or rows[0][1] != "kazakhstan":
            raise ExtractionError(f"{sheet.where}: expected 22 region rows (with South Kazakhstan),"
                                  f" found {[s for _, s in rows]}.")
        for r, slug in rows:
            for c, year in years.items():
                value = number(sheet.cell(r, c))
                if value is not None:
                    out.append((slug, year, indicator, value))
    return out


def extract_population(path: Path) -> list[Record]:
    """Population at 1 January 2000–2023: total, and urban (men + women urban blocks)."""
    sheets = read_sheets(path)
    total = sheets["Все население"]
    years = {c: int(total.cell(0, c)) for c in range(1, 25)}
    if list(years.values()) != list(range(2000, 2024)):
        raise ExtractionError(f"{total.where}: expected the years 2000…2023 in row 1, found "
                              f"{list(years.values())}.")
    men, women = sheets["Мужчины"], sheets["Женщины"]
    for sheet in (men, women):
        sheet.expect(4, 22, "человек", "на начало года")
        note = next((sheet.text(r, 0) for r in range(len(sheet.rows))
                     if sheet.text(r, 0).startswith("1)")), "")
        if "2000-2016" not in note.replace(" ", "") or "Южно-Казахстанской" not in note:
            raise ExtractionError(f"{sheet.where}: footnote 1 should say that the Turkistan row "
                                  f"holds South Kazakhstan for 2000–2016; found {note!r}.")
        if [int(sheet.cell(5, c)) for c in years] != list(years.values()):
            raise ExtractionError(f"{sheet.where}: the year header in row 6 differs from "
                                  f"{total.where}.")

    def historical(slug: str, year: int) -> str:
        return "south-kazakhstan" if slug == "turkistan" and year <= 2016 else slug

    out: list[Record] = []
    rows = _region_rows(total, 1, kazakh=False)
    _check_regions(total, rows)
    for r, slug in rows:
        for c, year in years.items():
            value = number(total.cell(r, c))
            if value is not None:
                out.append((historical(slug, year), year, "population", value))

    def block(sheet: Sheet, title: str) -> dict[tuple[str, int], float]:
        start = next(r for r in range(len(sheet.rows)) if sheet.text(r, 0) == title)
        found: dict[tuple[str, int], float] = {}
        for r, slug in _region_rows(sheet, start + 1, kazakh=False):
            for c, year in years.items():
                value = number(sheet.cell(r, c))
                if value is not None:
                    found[(historical(slug, year), year)] = value
        return found

    urban_m, urban_w = block(men, "Городское население"), block(women, "Городское население")
    if set(urban_m) != set(urban_w) or len({k[0] for k in urban_m}) != 22:
        raise ExtractionError(f"{men.path.name}: the men's and women's urban blocks do not cover "
                              "the same regions and years.")
    out += [(slug, year, "population_urban", urban_m[(slug, year)] + urban_w[(slug, year)])
            for slug, year in urban_m]
    return out


def _dynamic_table(path: Path, title: str, unit_text: str, indicator: str) -> list[Record]:
    sheet = next(iter(read_sheets(path).values()))
    sheet.expect(0, 0, title)
    sheet.expect(1, len(sheet.rows[1]) - 1, unit_text)
    years = {c: int(v) for c, v in enumerate(sheet.rows[2]) if isinstance(v, float)}
    if sorted(years.values()) != list(range(2005, 2023)):
        raise ExtractionError(f"{sheet.where}: expected the years 2005…2022 in row 3, found "
                              f"{sorted(years.values())}.")
    rows = _region_rows(sheet, 3, kazakh=False)
    if len(rows) != 22 or rows[0][1] != "kazakhstan":
        raise ExtractionError(f"{sheet.where}: expected 22 region rows, found "
                              f"{[s for _, s in rows]}.")
    return [(slug, year, indicator, value) for r, slug in rows for c, year in years.items()
            if (value := number(sheet.cell(r, c))) is not None]


def extract_emissions(path: Path) -> list[Record]:
    """Emissions from stationary sources, thousand t, 2005–2022."""
    return _dynamic_table(path, "Выброcы в атмосферу загрязняющих веществ", "тыс. тонн",
                          "emissions_stationary")


def extract_env_costs(path: Path) -> list[Record]:
    """Current expenditure on environmental protection, thousand KZT, 2005–2022."""
    return _dynamic_table(path, "Объем текущих затрат на охрану окружающей среды", "тыс. тенге",
                          "env_protection_current_costs")


EXTRACTORS: dict[str, Callable[[Path], list[Record]]] = {
    "bns_innovation_2022": extract_innovation,
    "bns_rnd_2022": extract_rnd,
    "bns_grp_per_capita": extract_grp,
    "bns_population": extract_population,
    "bns_emissions_stationary": extract_emissions,
    "bns_env_protection_costs": extract_env_costs,
}


# ----------------------------------------------------------------------------------------------
# Secondary tables
# ----------------------------------------------------------------------------------------------

MERGED_SOURCE = ("https://github.com/open-data-kazakhstan/city-ranking-main/blob/"
                 "cec5df74ce2de940ea24a1e90cdfabf0cb533a00/archive/merged_to_normalize.csv")
MERGED_COLUMNS: dict[str, tuple[str, str, int | None, str, str]] = {
    # column: (indicator, unit, year or None when not stated, confidence, note)
    "air_pollution_index": ("emissions_stationary", "thousand t", 2022, "medium",
                            "named air_pollution_index in the file; in fact BNS stationary-source "
                            "emissions"),
    "avg_salary": ("avg_monthly_wage", "KZT", 2022, "medium",
                   "BNS occupational wage survey 2022 (publication 57024)"),
    "Total_city_population": ("population", "persons", 2023, "medium",
                              "1 Jan 2023, a second BNS edition differing slightly from "
                              "official/population.csv"),
    "clearance_rate": ("crimes_cleared", "cases", None, "low",
                       "named clearance_rate but holds counts (below crime_amount in every "
                       "region); qamqor.gov.kz, year not stated"),
    "crime_amount": ("crimes_registered", "cases", None, "low",
                     "qamqor.gov.kz, year not stated"),
    "gdp_per_capita_tenge": ("grp_per_capita", "thousand KZT", 2022, "medium",
                             "blank for Abai, Zhetisu, Turkistan, Ulytau, Shymkent"),
    "Postgraduate_Education": ("postgraduate_education_share", "%", 2021, "medium",
                               "urban population aged 10+ (BNS education publication)"),
    "Higher_Education": ("higher_education_share", "%", 2021, "medium",
                         "urban population aged 10+ (BNS education publication)"),
    "household_spending_per_month": ("household_spending_per_month", "KZT", None, "low",
                                     "year and definition not stated"),
    "life_expectancy": ("life_expectancy", "years", None, "medium",
                        "life expectancy at birth; year not stated (about 2022)"),
    "med_institutions_amount": ("medical_institutions", "units", 2022, "medium",
                                "gender.stat.gov.kz"),
    "number_of_cars": ("cars", "thousand vehicles (unit unclear)", 2022, "low",
                       "README says per 1000 inhabitants; values look like thousands of cars"),
    "number_of_schools": ("schools", "units", None, "medium", "year not stated"),
    "public_transport_quantity": ("public_transport_vehicles", "units", None, "low",
                                  "year and definition not stated; implausibly low for Abai, "
                                  "Zhetisu and East Kazakhstan"),
    "unemployment_rate": ("unemployment_rate", "%", 2022, "medium",
                          "open-data-kazakhstan/city-unemployment-rate (BNS)"),
    "number of entertainment places": ("entertainment_venues", "units", None, "low",
                                       "year and definition not stated"),
}


def _confidence(text: str) -> tuple[str, str]:
    """Split '<level> (<why>)' into a level in {high, medium-high, medium, low} and the rest."""
    match = re.match(r"\s*(high|medium-high|medium|low)\b[\s:;(]*(.*?)\)?\s*$", text, re.I)
    if not match:
        raise ExtractionError(f"Unrecognised confidence {text!r}; expected high/medium/low.")
    return match.group(1).lower(), match.group(2).strip()


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise FileNotFoundError(f"The secondary table {path} is missing. Pass its folder with "
                                "--secondary-dir.")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def secondary_merged(folder: Path) -> list[dict[str, object]]:
    """The merged 20-region indicator table, long, with source and confidence on every row."""
    path = folder / "city-ranking-merged-indicators.csv"
    rows = _read_csv(path)
    missing = [c for c in ["Region", *MERGED_COLUMNS] if c not in rows[0]]
    if missing:
        raise ExtractionError(f"{path.name}: column(s) {missing} missing.")
    out = []
    for row in rows:
        label = row["Region"].strip()
        try:
            slug = region_slug(label)
        except ValueError:
            slug = region_slug(re.sub(r"\s+(Region|city)$", "", label))
        for column, (indicator, unit, year, conf, note) in MERGED_COLUMNS.items():
            value = number(row[column])
            if value is not None:
                out.append(dict(region=slug, year=year, indicator=indicator, value=value,
                                unit=unit, source=MERGED_SOURCE, confidence=conf,
                                note=f"column {column!r}: {note}"))
    return out


def secondary_ranking(folder: Path) -> list[dict[str, object]]:
    """Smart-city rankings: rank as printed and, for the Ministry's ranking, the adaptation score.

    adaptation score = n_cities + 1 − rank (higher = better adapted; 20 for the first of 20).
    """
    path = folder / "smart-city-rankings.csv"
    out = []
    previous_source = ""
    for line, row in enumerate(_read_csv(path), start=2):
        source = previous_source if row["source_url"].strip() == "same" else row["source_url"]
        previous_source = source
        level, why = _confidence(row["confidence"])
        city = row["city"].split("(")[-1].rstrip(")") if "(" in row["city"] else row["city"]
        slug = resolve_region(city).slug
        rank, n = int(row["rank"]), int(row["n_cities"])
        edition = row["edition"].split("(")[0].strip()
        year = int(edition) if edition.isdigit() else None
        prefix = "zyen_smart_centres" if row["ranking"].startswith("Z/Yen") else "smart_city"
        ed = f"edition {row['edition']}; city as printed {row['city']!r}"
        note = f"{row['ranking']}, {ed}; {why}".strip("; ")
        out.append(dict(region=slug, year=year, indicator=f"{prefix}_rank", value=rank,
                        unit=f"rank of {n}", source=source, confidence=level, note=note))
        if prefix == "smart_city":
            out.append(dict(region=slug, year=year, indicator="smart_city_adaptation_score",
                            value=n + 1 - rank, unit=f"{n} + 1 − rank", source=source,
                            confidence=level, note=note))
        if not source.startswith("http"):
            raise ExtractionError(f"{path.name}, line {line}: no source address.")
    return out


def secondary_innovation_series(folder: Path) -> list[dict[str, object]]:
    """Quoted national/regional innovation-activity levels (news, speeches, papers, bulletin)."""
    out = []
    for row in _read_csv(folder / "innovation-activity-series.csv"):
        level, why = _confidence(row["confidence"])
        source = re.sub(r"\s*\(.*$", "", row["source"])
        if match := re.match(r"github:([^@]+)@(\w+) (\S+)", source):
            repo, commit, file = match.groups()
            source = f"https://github.com/{repo}/blob/{commit}/{file}"
        out.append(dict(region=resolve_region(row["region"].replace(" city", "")).slug,
                        year=int(row["year"]), indicator="innovation_activity_level",
                        value=float(row["value_pct"]), unit="%", source=source, confidence=level,
                        note=f"{why}; quote: {row['quote']}".strip("; ")))
    return out


SECONDARY: dict[str, tuple[str, Callable[[Path], list[dict[str, object]]], str]] = {
    "regional_indicators_merged": (
        "city-ranking-merged-indicators.csv", secondary_merged,
        "20-region indicator table merged by open-data-kazakhstan/city-ranking-main from BNS, "
        "qamqor.gov.kz and gender.stat.gov.kz components"),
    "smart_city_ranking": (
        "smart-city-rankings.csv", secondary_ranking,
        "Ministry of Digital Development (MDDIAI) national smart-city ranking (latest 20-city "
        "order; 2020 top 3) and the Z/Yen Smart Centres Index, as reported in news"),
    "innovation_activity_quoted": (
        "innovation-activity-series.csv", secondary_innovation_series,
        "Innovation-activity levels quoted in news, speeches and papers, with the official 2022 "
        "values; every row carries its quote"),
}


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------

def fmt(value: object) -> str:
    """A value as printed in the CSVs: ``%.12g`` for numbers, '' for None."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{float(value):.12g}"
    return str(value)


def _csv_bytes(columns: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([fmt(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _order() -> dict[str, int]:
    from helpers.regions import load_regions

    return {r.slug: r.order for r in load_regions()}


def tidy_bytes(records: list[Record]) -> bytes:
    """Sorted tidy CSV (region print order, indicator, year); duplicates refused."""
    order, keys = _order(), set()
    for region, year, indicator, _ in records:
        key = (region, year, indicator)
        if key in keys:
            raise ExtractionError(f"Duplicate value for {key}.")
        keys.add(key)
    ids = list(INDICATORS)
    rows = sorted(records, key=lambda r: (ids.index(r[2]), order[r[0]], r[1]))
    return _csv_bytes(TIDY_COLUMNS, ((r, y, i, v, INDICATORS[i][0]) for r, y, i, v in rows))


def secondary_bytes(rows: list[dict[str, object]]) -> bytes:
    order = _order()
    rows = sorted(rows, key=lambda d: (str(d["indicator"]), order[str(d["region"])],
                                       -1 if d["year"] is None else int(d["year"]),
                                       str(d["source"])))
    return _csv_bytes(SECONDARY_COLUMNS, ([d[c] for c in SECONDARY_COLUMNS] for d in rows))


def build(bns_dir: Path = BNS_DIR, secondary_dir: Path = SECONDARY_DIR) -> dict[str, bytes]:
    """Every generated file as ``{relative path under data/: bytes}``."""
    files: dict[str, bytes] = {}
    hashes: dict[str, str] = {}
    recorded = manifest()
    for source in SOURCES:
        path = bns_dir / source.file
        hashes[source.id] = verify(path, f"bns/{source.file}", recorded)
        files[source.outputs[0]] = tidy_bytes(EXTRACTORS[source.id](path))
    secondary_hashes: dict[str, str] = {}
    for name, (file, reader, _) in SECONDARY.items():
        secondary_hashes[name] = verify(secondary_dir / file, f"secondary/{file}", recorded)
        files[f"secondary/{name}.csv"] = secondary_bytes(reader(secondary_dir))
    files["SOURCES.md"] = sources_markdown(hashes, secondary_hashes).encode("utf-8")
    files["datapackage.json"] = datapackage(files, hashes, secondary_hashes).encode("utf-8")
    return files


def _hash_note(source: Source, found: str) -> str:
    if found == source.sha256:
        return f"`{found}` (matches the sha256 recorded when the file was gathered)"
    return (f"`{found}` — **differs** from the recorded `{source.sha256}`: a different edition "
            "was extracted")


def sources_markdown(hashes: dict[str, str], secondary_hashes: dict[str, str]) -> str:
    """The data-availability section (data/SOURCES.md)."""
    lines = [
        "# Data availability and provenance",
        "",
        f"<!-- generated by `{COMMAND}`; do not edit by hand -->",
        "",
        "The article's raw data are not published, so the study rests on official statistics "
        "that anyone can check. Every table in `data/official/` is extracted by this project's "
        f"own code (`{COMMAND}`, in `helpers/sources.py`) from the publisher's files, which "
        "are committed byte for byte under `data/raw/` (taken from the GitHub mirrors named "
        "below); `data/raw/MANIFEST.csv` records each file's sha256, size and provenance, and the "
        "extraction checks every file against it before reading. Re-running the command on the "
        "same workbooks rewrites identical bytes "
        f"(`{COMMAND} --check` proves it).",
        "",
        "Tidy tables have the columns `region` (slug from `data/regions.csv`), `year`, "
        "`indicator`, `value`, `unit`. Values printed `-` (none / region did not exist) or `x` "
        "(confidential) are not written. Secondary tables add `source` (an address) and "
        "`confidence` (high / medium-high / medium / low) on every row, and a `note`.",
        "",
        f"Licence of the official statistics: {LICENCE}",
        "",
        "## Decisions that apply to every table",
        "",
        "- **Karaganda and Aktobe are regions (oblasts), not cities.** Official statistics are "
        "published for the whole region; the article's 'Karaganda' and 'Aktobe' are represented by "
        "their regions. Astana, Almaty and Shymkent are cities of republican significance, so "
        "region and city coincide.",
        "- **2022 boundary changes.** Ulytau split from Karaganda region, Abai from East "
        "Kazakhstan, Zhetisu from Almaty region; 2022+ values of those regions are not comparable "
        "with earlier years (`helpers.data.time_series` marks them in its `boundary_note` "
        "column).",
        "- **South Kazakhstan (historical).** Until 2018 Shymkent and today's Turkistan region "
        "formed South Kazakhstan region. Its rows ('Южно-Казахстанская'; in the population "
        "workbook the row 'Туркестанская 1' for 2000–2016, per the sheet's footnote) are kept "
        "under the slug `south-kazakhstan` (type `region-historical` in `data/regions.csv`), "
        "never mixed into `turkistan`. The 2022 cross-section does not use them.",
        "- **Per-capita values** (in `helpers.data.cross_section`) divide by the mean population "
        "of the year, approximated by the average of the populations at 1 January of the year "
        "and of the next year (for 2022: 1 Jan 2022 and 1 Jan 2023).",
        "- **Units not printed.** The dynamic tables print their unit only in one far-right "
        "header cell (other copies of these tables print none); the extraction checks that cell.",
        "",
        "## Official statistics (BNS workbooks)",
        "",
    ]
    for s in SOURCES:
        lines += [
            f"### `{s.outputs[0]}` — {s.title_en}",
            "",
            f"- Publisher: {s.publisher}",
            f"- Publication: «{s.title}»",
            f"- Publication date: {s.published}",
            f"- Publisher's address: {s.publisher_url}",
            f"- Taken from: https://github.com/{s.mirror_repo} (commit `{s.mirror_commit}` as "
            f"recorded when gathered; file version `{s.mirror_file_commit}`), path "
            f"`{s.mirror_path}`; stored as `data/raw/bns/{s.file}`",
            f"- sha256: {_hash_note(s, hashes[s.id])}",
            f"- Extraction: `{COMMAND} --bns-dir <folder with {s.file}>`",
            f"- Licence: {LICENCE}",
            "- Indicators: " + ", ".join(
                f"`{i}` ({INDICATORS[i][0]})" for i in _indicators_of(s.id)),
            "- Caveats:",
            *[f"  - {c}" for c in s.caveats],
            "",
        ]
    lines += ["## Secondary tables", ""]
    for name, (file, _, description) in SECONDARY.items():
        lines += [
            f"### `secondary/{name}.csv`",
            "",
            f"- What: {description}.",
            f"- Read from: `data/raw/secondary/{file}` (sha256 `{secondary_hashes[name]}`),"
            " a table gathered from the addresses given in each row's `source`.",
            f"- Extraction: `{COMMAND} --secondary-dir <folder>`",
            "- Licence: the facts are quoted from public pages; each row names its page.",
            "",
        ]
    lines += [
        "- In `regional_indicators_merged.csv`, `year` is blank where the source does not state "
        "it; the column `air_pollution_index` of the original is in fact stationary-source "
        "emissions and `clearance_rate` holds counts (see each row's note). Treat it as medium "
        "confidence at best.",
        "- In `smart_city_ranking.csv` the outcome *smart-city adaptation* is "
        "`smart_city_adaptation_score = n_cities + 1 − rank` (higher = better). The latest "
        "edition's date is not visible in the stored copy (after 2020): `year` is blank. Each "
        "region is represented by one city (`ranking_city_en` in `data/regions.csv`: Konayev for "
        "Almaty region, Semey for Abai, Zhezkazgan for Ulytau, …).",
        "- In `innovation_activity_quoted.csv` only the 2022 values are official; the others are "
        "quotes (news, speeches, a paper's chart labels), and the definition of innovation changed "
        "in 2013 and 2022. The article's 2023 values (Astana 14.2, Almaty 11.8) are not in any "
        "source found; they are kept in `data/article/`.",
        "",
        "## The article's published numbers and the codebook",
        "",
        "- `data/article/*.csv`: numbers printed in the article (Table 1, Figure 2, the claims, "
        "the six factors, the hypotheses), each with the place where it is printed; source: the "
        "article's text (Bulletin of KazUEFIT, 2023, No 4(53)).",
        "- `data/codebook.csv`: which indicator measures which factor, with direction, "
        "normalisation, proxy strength and rationale (written by the study; edit and re-run).",
        "",
    ]
    return "\n".join(lines)


def _indicators_of(source_id: str) -> list[str]:
    prefixes = {
        "bns_innovation_2022": ("enterprises", "innovation", "employees", "small", "medium",
                                "large", "innovative"),
        "bns_rnd_2022": ("rnd_",), "bns_grp_per_capita": ("grp_",),
        "bns_population": ("population",), "bns_emissions_stationary": ("emissions",),
        "bns_env_protection_costs": ("env_",),
    }[source_id]
    return [i for i in INDICATORS if i.startswith(prefixes)]


def datapackage(files: dict[str, bytes], hashes: dict[str, str],
                secondary_hashes: dict[str, str]) -> str:
    """A Frictionless-style descriptor of every generated table."""
    def fields(columns: Iterable[str]) -> list[dict[str, str]]:
        types = {"year": "integer", "value": "number"}
        return [{"name": c, "type": types.get(c, "string")} for c in columns]

    resources = []
    for s in SOURCES:
        path = s.outputs[0]
        resources.append({
            "name": Path(path).stem, "path": f"{path}", "format": "csv", "encoding": "utf-8",
            "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
            "schema": {"fields": fields(TIDY_COLUMNS),
                       "primaryKey": ["region", "year", "indicator"]},
            "sources": [{
                "title": s.title, "title_en": s.title_en, "publisher": s.publisher,
                "published": s.published, "path": s.publisher_url,
                "mirror": f"https://github.com/{s.mirror_repo}", "mirror_commit": s.mirror_commit,
                "mirror_file_commit": s.mirror_file_commit, "mirror_path": s.mirror_path,
                "file": s.file, "file_sha256": hashes[s.id],
            }],
            "extraction": f"{COMMAND} --bns-dir <folder>",
            "licenses": [{"name": "BNS-open", "title": LICENCE}],
            "caveats": list(s.caveats),
            "indicators": {i: {"unit": INDICATORS[i][0], "description": INDICATORS[i][1]}
                           for i in _indicators_of(s.id)},
        })
    for name, (file, _, description) in SECONDARY.items():
        path = f"secondary/{name}.csv"
        resources.append({
            "name": name, "path": path, "format": "csv", "encoding": "utf-8",
            "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
            "schema": {"fields": fields(SECONDARY_COLUMNS)},
            "description": description,
            "sources": [{"title": "see the source column of every row", "file": file,
                         "file_sha256": secondary_hashes[name]}],
            "extraction": f"{COMMAND} --secondary-dir <folder>",
        })
    package = {
        "profile": "data-package",
        "name": "smartcity-kz-official-statistics",
        "title": "Official statistics and secondary tables for the smart-city adaptation study",
        "licenses": [{"name": "BNS-open", "title": LICENCE}],
        "resources": resources,
    }
    return json.dumps(package, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write(files: dict[str, bytes], out: Path) -> list[Path]:
    """Write ``files`` under ``out``; returns the paths written."""
    written = []
    for rel, content in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written


def check(files: dict[str, bytes], out: Path) -> list[str]:
    """Relative paths whose committed bytes differ from a fresh extraction."""
    with tempfile.TemporaryDirectory() as tmp:
        write(files, Path(tmp))
        return [rel for rel in files if not (out / rel).exists()
                or not filecmp.cmp(Path(tmp) / rel, out / rel, shallow=False)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n")[0])
    parser.add_argument("--bns-dir", type=Path, default=BNS_DIR,
                        help="folder with the BNS workbooks (default: data/raw/bns)")
    parser.add_argument("--secondary-dir", type=Path, default=SECONDARY_DIR,
                        help="folder with the secondary tables (default: data/raw/secondary)")
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (default: data/)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; fail if a fresh extraction differs from --out")
    args = parser.parse_args(argv)
    files = build(args.bns_dir, args.secondary_dir)
    if args.check:
        changed = check(files, args.out)
        if changed:
            print("Out of date (re-run without --check): " + ", ".join(changed), file=sys.stderr)
            return 1
        print(f"{len(files)} files up to date.")
        return 0
    for path in write(files, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
