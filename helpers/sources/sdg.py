"""The reader of the BNS SDG data repository's long CSVs (``data/raw/sdg/data/*.csv``).

Each CSV has ``Year``, often ``UNIT_MEASURE``, disaggregation columns (``SEX``, ``URBANISATION``,
``AGE``, ``SERIES`` …), ``REF_AREA`` and ``Value``. A *regional total* row is one where every
disaggregation column is empty (apart from those the spec filters on); the *national* row has
``REF_AREA`` empty too. ``REF_AREA`` codes are decoded with the repository's own code lists
(``translations/{ru,en,kk}/REF_AREA.yml``) and the names resolved through ``data/regions.csv``
(or ``data/cities.csv`` for a city-level spec). A table in a spec says::

    file: sdg/data/indicator_17-8-1.csv
    indicator: internet_use
    unit_code: PT                  # the UNIT_MEASURE the rows must carry
    filters: {SERIES: _L_KZ_110602_1B}
    years: [2011, 2023]            # every year must be present, no other
    exclude: {KZAKT: "why"}        # codes left out on purpose (city level)
    conflicting: ["KZNS 2022"]     # code-year printed twice with different values: left out

A code-year printed twice with the same value is kept once; printed twice with different values
it is left out, and the spec must list it under ``conflicting`` (so the list in the provenance is
the list in the file).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from helpers.sources.errors import ExtractionError
from helpers.sources.places import city_slug, region_slug
from helpers.sources.records import Record
from helpers.sources.specs import Spec, table_keys

TABLE_KEYS = {"file", "indicator", "unit_code", "filters", "years", "exclude", "conflicting",
              "note"}
STRUCTURE = ("Year", "UNIT_MEASURE", "REF_AREA", "Value")
LANGUAGES = ("ru", "en", "kk")
CITY_PREFIXES = ("г.", "п.", "с.")


def code_lists(spec: Spec, paths: dict[str, Path]) -> dict[str, dict[str, str]]:
    """{language: {code: name}} from the spec's ``translations/<lang>/REF_AREA.yml`` files."""
    lists = {}
    for lang in LANGUAGES:
        name = f"sdg/translations/{lang}/REF_AREA.yml"
        if name not in paths:
            raise spec.fail(f"support_files must list {name} (it decodes REF_AREA).")
        lists[lang] = {str(k): str(v) for k, v in
                       (yaml.safe_load(paths[name].read_text(encoding="utf-8")) or {}).items()}
    return lists


def decode(code: str, lists: dict[str, dict[str, str]], level: str) -> tuple[str, str] | None:
    """(region, city) of a REF_AREA code, or ``None`` when it names no place of the registers."""
    if code == "":
        return ("kazakhstan", "")
    names = [lists[lang].get(code, "") for lang in LANGUAGES]
    if level == "city":
        for name in names:
            try:
                city, region = city_slug(name)
                return (region, city)
            except ValueError:
                continue
        return None
    if names[0].startswith(CITY_PREFIXES):
        return None
    # The Russian list is the precise one (its en and kk lists call Almaty *region* 'Almaty' and
    # 'Алматы', which everywhere else is the city); en and kk are used only where the Russian
    # name does not resolve (it misspells Zhambyl 'Жымбылская'), and must then agree.
    try:
        return (region_slug(names[0]), "")
    except ValueError:
        pass
    found = set()
    for name in names[1:]:
        try:
            found.add(region_slug(name))
        except ValueError:
            continue
    if len(found) > 1:
        raise ExtractionError(f"REF_AREA {code}: its names {names} resolve to several regions "
                              f"{sorted(found)}.")
    return (found.pop(), "") if found else None


def read(spec: Spec, paths: dict[str, Path]) -> list[Record]:
    lists = code_lists(spec, paths)
    records: list[Record] = []
    for number, table in enumerate(spec.tables, start=1):
        table_keys(spec, table, TABLE_KEYS, f"table {number}")
        records += read_table(spec, table, paths[table["file"]], lists)
    return records


def read_table(spec: Spec, table: dict[str, Any], path: Path,
               lists: dict[str, dict[str, str]]) -> list[Record]:
    indicator = table["indicator"]
    if indicator not in spec.indicators:
        raise spec.fail(f"indicator {indicator!r} is not declared under 'indicators'.")
    filters = {str(k): str(v) for k, v in (table.get("filters") or {}).items()}
    exclude = dict(table.get("exclude") or {})
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(enumerate(reader, start=2))
    for column in ("Year", "REF_AREA", "Value", *filters):
        if column not in header:
            raise ExtractionError(f"{path.name}, line 1: no column {column!r}; the columns are "
                                  f"{header}.")
    disaggregations = [c for c in header if c not in STRUCTURE and c not in filters]
    unit_code = table.get("unit_code")
    if unit_code is not None and "UNIT_MEASURE" not in header:
        raise ExtractionError(f"{path.name}, line 1: the spec expects UNIT_MEASURE {unit_code!r} "
                              "but the file has no UNIT_MEASURE column.")
    out, units = [], set()
    for line, row in rows:
        if any(row[c] for c in disaggregations) or any(row[c] != v for c, v in filters.items()):
            continue
        if "UNIT_MEASURE" in header:
            units.add(row["UNIT_MEASURE"])
            if unit_code is not None and row["UNIT_MEASURE"] != unit_code:
                continue
        code = row["REF_AREA"]
        where = f"{path.name}, line {line}"
        if code in exclude:
            continue
        place = decode(code, lists, spec.level)
        if place is None:
            name = lists["ru"].get(code, "not in the code lists")
            raise ExtractionError(f"{where}: REF_AREA {code!r} ({name}) is not a {spec.level} "
                                  "of the register; "
                                  "add it, or list it under 'exclude' with the reason.")
        if row["Value"].strip() == "":
            continue
        try:
            value = float(row["Value"])
        except ValueError:
            raise ExtractionError(f"{where}: Value {row['Value']!r} is not a number.") from None
        region, city = place
        out.append(Record(region, int(row["Year"]), indicator, value, where, city=city))
    if unit_code is None and len(units) > 1:
        raise ExtractionError(f"{path.name}: the total rows carry several units {sorted(units)};"
                              " choose one with unit_code in the spec.")
    out = _drop_conflicts(table, path, out)
    first, last = (int(y) for y in table["years"])
    years = {r.year for r in out}
    if years != set(range(first, last + 1)):
        raise ExtractionError(f"{path.name}: expected total rows for every year {first}…{last}; "
                              f"missing {sorted(set(range(first, last + 1)) - years)}, unexpected "
                              f"{sorted(years - set(range(first, last + 1)))}.")
    return out


def _drop_conflicts(table: dict[str, Any], path: Path, records: list[Record]) -> list[Record]:
    by_key: dict[tuple[str, int, str], list[Record]] = {}
    for record in records:
        by_key.setdefault(record.key, []).append(record)
    conflicts = {}
    for key, group in by_key.items():
        if len({r.value for r in group}) > 1:
            code = group[0].where  # lines, for the message
            conflicts[f"{key[0]} {key[1]}"] = code + " / " + group[1].where.split(", ")[-1]
    listed = set(table.get("conflicting") or [])
    if set(conflicts) != listed:
        raise ExtractionError(
            f"{path.name}: places and years printed twice with different values: "
            f"{sorted(conflicts.items())}; the spec lists {sorted(listed)}. List exactly the "
            "conflicting ones under 'conflicting' (they are left out).")
    return [group[0] for key, group in by_key.items() if f"{key[0]} {key[1]}" not in conflicts]
