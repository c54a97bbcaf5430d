"""The generic reader of BNS tables: region rows down one column, values across the columns.

It serves both layouts the Bureau publishes: *dynamic tables* (one indicator, one column per year)
and *bulletin tables* (one year, one column per indicator). A table in a spec says::

    sheet: "Все население"          # or "#1" for the first sheet
    checks:                         # labels that identify the table (stop if absent)
      - {cell: A1, contains: ["Численность населения"]}
      - {column: A, contains: ["1)", "Южно-Казахстанской"]}   # somewhere in column A
    years: {first: B1, expect: [2000, 2023]}   # consecutive year cells from B1
    # or  {row: 3, match: '^(\\d{4}) год$', expect: [2008, 2022]}   scan a header row
    # or  {row: 4, fill_forward: true, subheader: {row: 5, equals: year}, expect: [2001, 2023]}
    indicator: population           # with years; or, for a bulletin table:
    # year: 2022
    # columns: {B: enterprises_surveyed, C: enterprises_with_innovations}
    regions: {column: A, first: 2, count: 21}  # or {column: A, after: "Городское население", ...}
    relabel: [{region: turkistan, until: 2016, as: south-kazakhstan}]
    footnote_digits: true           # "93 2222)" is 93 222 with footnote 2
    part_of: sum                    # values of several tables with the same key are added up

Rows are 1-based and columns are letters, as a spreadsheet shows them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers.sources.cells import (
    Sheet,
    a1,
    column_index,
    parse_a1,
    parse_number,
    parse_year,
    read_sheets,
)
from helpers.sources.errors import ExtractionError
from helpers.sources.places import city_slug, clean_label, region_slug
from helpers.sources.records import Record
from helpers.sources.specs import Spec, table_keys

TABLE_KEYS = {"file", "sheet", "checks", "years", "year", "columns", "indicator", "regions",
              "relabel", "footnote_digits", "part_of", "parts", "note"}


def read(spec: Spec, paths: dict[str, Path]) -> list[Record]:
    """Every table of a ``bns-table`` spec."""
    books: dict[str, dict[str, Sheet]] = {}
    records: list[Record] = []
    for number, table in enumerate(spec.tables, start=1):
        where = f"table {number}"
        table_keys(spec, table, TABLE_KEYS, where)
        name = table.get("file") or spec.files[0]
        if name not in books:
            books[name] = read_sheets(paths[name])
        records += read_table(spec, table, _sheet(spec, books[name], table, where))
    return records


def _sheet(spec: Spec, sheets: dict[str, Sheet], table: dict[str, Any], where: str) -> Sheet:
    wanted = str(table.get("sheet", "#1"))
    if wanted.startswith("#"):
        return list(sheets.values())[int(wanted[1:]) - 1]
    if wanted not in sheets:
        name = next(iter(sheets.values())).path.name
        raise spec.fail(f"{where}: {name} has no sheet {wanted!r}; its sheets are "
                        f"{list(sheets)}.")
    return sheets[wanted]


def run_label_checks(sheet: Sheet, checks: list[dict[str, Any]]) -> None:
    """Stop unless every identifying label is where the spec says."""
    for check in checks:
        words = check["contains"]
        words = [words] if isinstance(words, str) else list(words)
        if "cell" in check:
            row, col = parse_a1(check["cell"])
            sheet.expect(row, col, *words)
        else:
            sheet.find(column_index(check["column"]), *words)


def year_columns(sheet: Sheet, spec_years: dict[str, Any]) -> dict[int, int]:
    """{column index: year} as the spec locates them; stop naming the cell when one is off."""
    first_year, last_year = (int(y) for y in spec_years["expect"])
    expected = list(range(first_year, last_year + 1))
    if "first" in spec_years:
        row, col = parse_a1(spec_years["first"])
        columns = {}
        for offset, year in enumerate(expected):
            found = parse_year(sheet.cell(row, col + offset))
            if found != year:
                raise ExtractionError(
                    f"{sheet.at(row, col + offset)}: expected the year {year}, found "
                    f"{sheet.text(row, col + offset)!r}. A year column moved or is missing.")
            columns[col + offset] = year
        after = parse_year(sheet.cell(row, col + len(expected)))
        if after is not None:
            raise ExtractionError(f"{sheet.at(row, col + len(expected))}: a further year "
                                  f"{after} follows {last_year}; extend the spec's years.")
        return columns
    row = int(spec_years["row"]) - 1
    width = len(sheet.rows[row]) if row < len(sheet.rows) else 0
    found: dict[int, int] = {}
    current = None
    for col in range(width):
        year = parse_year(sheet.cell(row, col), spec_years.get("match"))
        if year is None and spec_years.get("fill_forward") and sheet.text(row, col) == "":
            year = current
        current = year if year is not None else (current if spec_years.get("fill_forward")
                                                 else None)
        if year is None:
            continue
        sub = spec_years.get("subheader")
        subheader = clean_label(sheet.text(int(sub["row"]) - 1, col)) if sub else ""
        if sub and subheader.casefold() != str(sub["equals"]).casefold():
            continue  # (a footnote glued to the subheader, 'year2)', is ignored)
        if year in found.values():
            raise ExtractionError(f"{sheet.at(row, col)}: the year {year} appears twice in row "
                                  f"{row + 1}.")
        found[col] = year
    if sorted(found.values()) != expected:
        cells = ", ".join(f"{a1(row, c)}={y}" for c, y in found.items())
        missing = sorted(set(expected) - set(found.values()))
        extra = sorted(set(found.values()) - set(expected))
        raise ExtractionError(f"{sheet.where}, row {row + 1}: expected the years {first_year}…"
                              f"{last_year}; missing {missing}, unexpected {extra} (found: "
                              f"{cells or 'none'}).")
    return found


def region_rows(spec: Spec, sheet: Sheet, rows: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(row index, region slug, city slug or '') of the spec's ``count`` rows."""
    col = column_index(rows.get("column", "A"))
    if "after" in rows:
        start = sheet.find(col, rows["after"], start=int(rows.get("search_from", 1)) - 1) + 1
    else:
        start = int(rows["first"]) - 1
    count = int(rows["count"])
    out, seen = [], {}
    for row in range(start, start + count):
        label = sheet.text(row, col)
        try:
            if spec.level == "city" and row != start:
                city, region = city_slug(label)
            else:
                city, region = "", region_slug(label, bool(rows.get("kazakh_bulletin")))
        except ValueError as error:
            raise ExtractionError(f"{sheet.at(row, col)}: {label!r} is not a "
                                  f"{'city' if spec.level == 'city' else 'region'} of the "
                                  f"register (the spec expects {count} rows from "
                                  f"{a1(start, col)}). {error}") from None
        place = city or region
        if place in seen:
            raise ExtractionError(f"{sheet.at(row, col)}: {place!r} again (first at "
                                  f"{a1(seen[place], col)}).")
        seen[place] = row
        out.append((row, region, city))
    if rows.get("national", True) and out[0][1] != "kazakhstan":
        raise ExtractionError(f"{sheet.at(start, col)}: expected the republic's row first, found "
                              f"{sheet.text(start, col)!r}.")
    return out


def read_table(spec: Spec, table: dict[str, Any], sheet: Sheet) -> list[Record]:
    """The records of one table."""
    run_label_checks(sheet, table.get("checks", []))
    if "regions" not in table:
        return []  # a sheet whose labels only identify the publication (a cover)
    rows = region_rows(spec, sheet, table["regions"])
    if "columns" in table:
        year = int(table["year"])
        cells = {column_index(c): (year, ind) for c, ind in table["columns"].items()}
    else:
        cells = {c: (y, table["indicator"]) for c, y in year_columns(sheet, table["years"]).items()}
    for _, indicator in cells.values():
        if indicator not in spec.indicators:
            raise spec.fail(f"indicator {indicator!r} is used by a table but not declared under "
                            "'indicators'.")
    relabel = table.get("relabel", [])
    parts = int(table.get("parts", 2)) if table.get("part_of") == "sum" else 0
    out = []
    for row, region, city in rows:
        for col, (year, indicator) in cells.items():
            number = parse_number(sheet.cell(row, col), sheet.at(row, col),
                                  bool(table.get("footnote_digits")))
            if number is None:
                continue
            slug = region
            for rule in relabel:
                if region == rule["region"] and year <= int(rule["until"]):
                    slug = rule["as"]
            out.append(Record(slug, year, indicator, number.value, sheet.at(row, col),
                              number.footnote, city, parts))
    return out
