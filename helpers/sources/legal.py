"""The reader of the legal-statistics form СНГ-1 (one workbook per region).

The region is not printed in the workbook; the spec names it for every file. A table says::

    sheet: R1
    year: 2022                     # not printed: see the spec's period_note
    checks: [{cell: A7, contains: "Всего"}, {cell: E5, contains: "зарегистрированных"}]
    cells: {E7: crimes_registered}
    files: {legal-statistics/Astana_city.xlsx: astana, ...}
"""

from __future__ import annotations

from pathlib import Path

from helpers.sources.bns_table import run_label_checks
from helpers.sources.cells import parse_a1, parse_number, read_sheets
from helpers.sources.errors import ExtractionError
from helpers.sources.places import region_slug
from helpers.sources.records import Record
from helpers.sources.specs import Spec, table_keys

TABLE_KEYS = {"sheet", "year", "checks", "cells", "files", "note"}


def read(spec: Spec, paths: dict[str, Path]) -> list[Record]:
    records: list[Record] = []
    for number, table in enumerate(spec.tables, start=1):
        table_keys(spec, table, TABLE_KEYS, f"table {number}")
        for name, region in table["files"].items():
            slug = region_slug(region)
            sheets = read_sheets(paths[name])
            if table["sheet"] not in sheets:
                raise ExtractionError(f"{paths[name].name}: no sheet {table['sheet']!r}; its "
                                      f"sheets are {list(sheets)}.")
            sheet = sheets[table["sheet"]]
            run_label_checks(sheet, table.get("checks", []))
            for ref, indicator in table["cells"].items():
                if indicator not in spec.indicators:
                    raise spec.fail(f"indicator {indicator!r} is not declared.")
                row, col = parse_a1(ref)
                value = parse_number(sheet.cell(row, col), sheet.at(row, col))
                if value is None:
                    raise ExtractionError(f"{sheet.at(row, col)}: empty, expected a count.")
                records.append(Record(slug, int(table["year"]), indicator, value.value,
                                      sheet.at(row, col)))
    return records
