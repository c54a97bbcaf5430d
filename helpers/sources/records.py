"""One extracted value with the place it was read from, and the checks every spec can ask for."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from helpers.sources.errors import ExtractionError
from helpers.sources.specs import Spec


@dataclass(frozen=True)
class Record:
    """A value of ``indicator`` for ``region`` (and ``city`` for city-level tables) in ``year``."""

    region: str
    year: int
    indicator: str
    value: float
    where: str
    footnote: str | None = None
    city: str = ""
    part: int = 0
    """For a value summed from several tables (``part_of: sum``): how many parts it has."""

    @property
    def place(self) -> str:
        return self.city or self.region

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.place, self.year, self.indicator)


def combine(spec: Spec, records: list[Record]) -> list[Record]:
    """Refuse duplicates; sum the parts of a sum (tables with ``part_of: sum``)."""
    out: dict[tuple[str, int, str], Record] = {}
    parts: dict[tuple[str, int, str], list[Record]] = defaultdict(list)
    for record in records:
        if record.part:
            parts[record.key].append(record)
            continue
        if record.key in out:
            first = out[record.key]
            raise spec.fail(f"two values for {record.key}: {first.where} and {record.where}.")
        out[record.key] = record
    for key, group in parts.items():
        if len(group) != group[0].part or key in out:
            raise spec.fail(f"{key}: found {len(group)} of the {group[0].part} parts to sum "
                            f"({', '.join(r.where for r in group)}).")
        first = group[0]
        out[key] = Record(first.region, first.year, first.indicator,
                          sum(r.value for r in group), " + ".join(r.where for r in group),
                          city=first.city)
    return list(out.values())


def run_checks(spec: Spec, records: list[Record]) -> None:
    """The spec's ``checks``: printed values, national totals, expected sums, coverage."""
    known = {"values", "national_total", "sum", "unique"}
    unknown = sorted(set(spec.checks) - known)
    if unknown:
        raise spec.fail(f"checks: unknown key(s) {unknown}; valid keys: {sorted(known)}.")
    by_key = {r.key: r for r in records}
    for check in spec.checks.get("values", []):
        place = check.get("city") or check["region"]
        key = (place, int(check["year"]), check["indicator"])
        found = by_key.get(key)
        if found is None:
            raise spec.fail(f"check value {key}: no such value was extracted (a region row or "
                            "year column is missing, or the label moved).")
        if abs(found.value - float(check["value"])) > float(check.get("tolerance", 1e-9)):
            raise ExtractionError(f"{found.where}: {found.value:g} for {key}, but the spec "
                                  f"{spec.path.name} expects {check['value']}.")
    for check in spec.checks.get("national_total", []):
        _national_total(spec, records, check)
    for check in spec.checks.get("sum", []):
        values = [r for r in records if r.indicator == check["indicator"]
                  and r.year == int(check["year"]) and r.region != "kazakhstan"]
        total = sum(r.value for r in values)
        if abs(total - float(check["total"])) > float(check.get("tolerance", 1e-6)) \
                or len(values) != int(check["count"]):
            raise spec.fail(f"{check['indicator']} {check['year']}: {len(values)} regions sum to "
                            f"{total:g}; expected {check['count']} regions summing to "
                            f"{check['total']} ({check.get('source', 'the spec')}).")


def _national_total(spec: Spec, records: list[Record], check: dict) -> None:
    tolerance = float(check.get("tolerance", 0.05))
    years = check.get("years")
    groups: dict[tuple[str, int], list[Record]] = defaultdict(list)
    for r in records:
        if r.indicator in check["indicators"] and (years is None or r.year in years):
            groups[(r.indicator, r.year)].append(r)
    for (indicator, year), group in sorted(groups.items()):
        national = [r for r in group if r.region == "kazakhstan"]
        parts = [r for r in group if r.region != "kazakhstan"]
        if not national or not parts:
            continue
        total = sum(r.value for r in parts)
        if abs(total - national[0].value) > tolerance:
            raise ExtractionError(
                f"{national[0].where}: the national {indicator} {year} is {national[0].value:g} "
                f"but the {len(parts)} regions sum to {total:g} (tolerance {tolerance:g}, spec "
                f"{spec.path.name}).")
