"""Writing the tidy tables byte for byte reproducibly, and comparing them with the committed ones.

Rows are sorted (indicator in the spec's order, region in the register's print order, year),
numbers are printed with ``%.12g`` and lines end with ``\\n``, so the same raw files always give
the same bytes.
"""

from __future__ import annotations

import csv
import filecmp
import io
import tempfile
from collections.abc import Iterable
from pathlib import Path

from helpers.registers.regions import load_cities, load_regions
from helpers.sources.records import Record
from helpers.sources.secondary import SECONDARY_COLUMNS
from helpers.sources.specs import Spec

TIDY_COLUMNS = ("region", "year", "indicator", "value", "unit")
CITY_COLUMNS = ("city", "region", "year", "indicator", "value", "unit")


def fmt(value: object) -> str:
    """A value as printed in the CSVs: ``%.12g`` for numbers, '' for None."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{float(value):.12g}"
    return str(value)


def csv_bytes(columns: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([fmt(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _region_order() -> dict[str, int]:
    return {r.slug: r.order for r in load_regions()}


def tidy_bytes(spec: Spec, records: list[Record]) -> bytes:
    """The spec's tidy CSV: ``region,year,indicator,value,unit`` (``city`` first for cities)."""
    ids, order = list(spec.indicators), _region_order()
    unit = {i: spec.indicators[i].unit for i in ids}
    if spec.level == "city":
        cities = {c.slug: n for n, c in enumerate(load_cities())}
        rows = sorted(records, key=lambda r: (ids.index(r.indicator), order[r.region],
                                              cities.get(r.city, -1), r.year))
        return csv_bytes(CITY_COLUMNS, ((r.city, r.region, r.year, r.indicator, r.value,
                                         unit[r.indicator]) for r in rows))
    rows = sorted(records, key=lambda r: (ids.index(r.indicator), order[r.region], r.year))
    return csv_bytes(TIDY_COLUMNS, ((r.region, r.year, r.indicator, r.value, unit[r.indicator])
                                    for r in rows))


def secondary_bytes(rows: list[dict[str, object]]) -> bytes:
    order = _region_order()
    rows = sorted(rows, key=lambda d: (str(d["indicator"]), order[str(d["region"])],
                                       -1 if d["year"] is None else int(d["year"]),
                                       str(d["source"])))
    return csv_bytes(SECONDARY_COLUMNS, ([d[c] for c in SECONDARY_COLUMNS] for d in rows))


def write(files: dict[str, bytes], out: Path) -> list[Path]:
    """Write ``files`` (paths relative to ``out``); returns the paths written."""
    written = []
    for rel, content in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written


def stale(files: dict[str, bytes], out: Path) -> list[str]:
    """Relative paths whose committed bytes differ from a fresh extraction."""
    with tempfile.TemporaryDirectory() as tmp:
        write(files, Path(tmp))
        return [rel for rel in files if not (out / rel).exists()
                or not filecmp.cmp(Path(tmp) / rel, out / rel, shallow=False)]
