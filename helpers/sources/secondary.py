"""Readers of the secondary tables (not publishers' workbooks): each row keeps its source and
confidence. Their layouts differ from one another, so each has a few lines of its own code."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from helpers.sources.cells import parse_number
from helpers.sources.errors import ExtractionError
from helpers.sources.places import region_slug

SECONDARY_COLUMNS = ("region", "year", "indicator", "value", "unit", "source", "confidence", "note")


def number(value: object) -> float | None:
    parsed = parse_number(value, "secondary table")
    return None if parsed is None else parsed.value


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
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def secondary_merged(path: Path) -> list[dict[str, object]]:
    """The merged 20-region indicator table, long, with source and confidence on every row."""
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


def secondary_ranking(path: Path) -> list[dict[str, object]]:
    """Smart-city rankings: rank as printed and, for the Ministry's ranking, the adaptation score.

    adaptation score = n_cities + 1 − rank (higher = better adapted; 20 for the first of 20).
    """
    out = []
    previous_source = ""
    for line, row in enumerate(_read_csv(path), start=2):
        source = previous_source if row["source_url"].strip() == "same" else row["source_url"]
        previous_source = source
        level, why = _confidence(row["confidence"])
        city = row["city"].split("(")[-1].rstrip(")") if "(" in row["city"] else row["city"]
        slug = region_slug(city)
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


def secondary_innovation_series(path: Path) -> list[dict[str, object]]:
    """Quoted national/regional innovation-activity levels (news, speeches, papers, bulletin)."""
    out = []
    for row in _read_csv(path):
        level, why = _confidence(row["confidence"])
        source = re.sub(r"\s*\(.*$", "", row["source"])
        if match := re.match(r"github:([^@]+)@(\w+) (\S+)", source):
            repo, commit, file = match.groups()
            source = f"https://github.com/{repo}/blob/{commit}/{file}"
        out.append(dict(region=region_slug(row["region"].replace(" city", "")),
                        year=int(row["year"]), indicator="innovation_activity_level",
                        value=float(row["value_pct"]), unit="%", source=source, confidence=level,
                        note=f"{why}; quote: {row['quote']}".strip("; ")))
    return out




LAYOUTS = {
    "merged-indicators": secondary_merged,
    "smart-city-rankings": secondary_ranking,
    "quoted-series": secondary_innovation_series,
}


def read(spec, paths: dict[str, Path]) -> list[dict[str, object]]:
    """The rows of a ``secondary`` spec (one table, one layout)."""
    (table,) = spec.tables
    if table.get("layout") not in LAYOUTS:
        raise spec.fail(f"layout {table.get('layout')!r} is not one of {sorted(LAYOUTS)}.")
    return LAYOUTS[table["layout"]](paths[table["file"]])
