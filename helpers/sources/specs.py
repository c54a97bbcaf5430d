"""Source specs: each publisher's source described as data in ``data/specs/<id>.yaml``.

A spec names its reader, its output table, the raw files (paths under ``data/raw/``, which must be
in the manifest), the indicators with unit and description, the caveats, and per table where the
region rows, the year columns and the identifying labels are. The keys are checked here, so a typo
in a spec stops with the spec's name and the valid keys instead of being ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers.registers.paths import DATA
from helpers.sources.errors import ExtractionError

SPECS = DATA / "specs"
READERS = ("bns-table", "sdg", "legal-statistics", "secondary")
LEVELS = ("region", "city")
TOP_KEYS = {"id", "reader", "output", "level", "title", "title_en", "publisher_url", "published",
            "mirror_file_commit", "caveats", "indicators", "tables", "checks", "description",
            "period_note", "support_files"}
REQUIRED = ("id", "reader", "output", "title", "tables")


@dataclass(frozen=True)
class Indicator:
    id: str
    unit: str
    description: str


@dataclass(frozen=True)
class Spec:
    """One source: where its numbers are and what they mean."""

    id: str
    path: Path
    reader: str
    output: str
    level: str
    title: str
    title_en: str
    publisher_url: str
    published: str
    mirror_file_commit: str
    description: str
    period_note: str
    caveats: tuple[str, ...]
    indicators: dict[str, Indicator]
    tables: tuple[dict[str, Any], ...]
    checks: dict[str, Any] = field(default_factory=dict)
    support_files: tuple[str, ...] = ()
    """Raw files a reader needs besides the tables (code lists); verified like the others."""

    @property
    def files(self) -> tuple[str, ...]:
        """The raw files (under ``data/raw/``) the spec reads, in first-use order."""
        seen: dict[str, None] = {}
        for table in self.tables:
            if isinstance(table.get("files"), dict):
                seen.update(dict.fromkeys(table["files"]))
                continue
            for name in table.get("files", [table.get("file")]):
                if name:
                    seen[name] = None
        seen.update(dict.fromkeys(self.support_files))
        return tuple(seen)

    def fail(self, message: str) -> ExtractionError:
        return ExtractionError(f"spec {self.path.name}: {message}")


def load_spec(path: Path) -> Spec:
    """Read and check one spec file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ExtractionError(f"spec {path.name}: not valid YAML ({error}).") from None
    if not isinstance(data, dict):
        raise ExtractionError(f"spec {path.name}: expected a mapping at the top level.")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise ExtractionError(f"spec {path.name}: unknown key(s) {unknown}; valid keys: "
                              f"{sorted(TOP_KEYS)}.")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise ExtractionError(f"spec {path.name}: key(s) {missing} missing.")
    if data["reader"] not in READERS:
        raise ExtractionError(f"spec {path.name}: reader {data['reader']!r} is not one of "
                              f"{list(READERS)}.")
    level = data.get("level", "region")
    if level not in LEVELS:
        raise ExtractionError(f"spec {path.name}: level {level!r} is not one of {list(LEVELS)}.")
    indicators = {}
    for key, value in (data.get("indicators") or {}).items():
        if not isinstance(value, dict) or set(value) - {"unit", "description"} \
                or "unit" not in value:
            raise ExtractionError(f"spec {path.name}: indicator {key!r} needs 'unit' and "
                                  "'description'.")
        indicators[key] = Indicator(key, str(value["unit"]), str(value.get("description", "")))
    return Spec(
        id=str(data["id"]), path=path, reader=data["reader"], output=str(data["output"]),
        level=level, title=str(data["title"]), title_en=str(data.get("title_en", data["title"])),
        publisher_url=str(data.get("publisher_url", "")), published=str(data.get("published", "")),
        mirror_file_commit=str(data.get("mirror_file_commit", "")),
        description=str(data.get("description", "")), period_note=str(data.get("period_note", "")),
        caveats=tuple(str(c) for c in data.get("caveats") or ()), indicators=indicators,
        tables=tuple(data["tables"]), checks=dict(data.get("checks") or {}),
        support_files=tuple(data.get("support_files") or ()))


def load_specs(folder: Path = SPECS) -> tuple[Spec, ...]:
    """Every spec in ``folder``, sorted by file name; ids and outputs must be unique."""
    specs = tuple(load_spec(p) for p in sorted(folder.glob("*.yaml")))
    if not specs:
        raise ExtractionError(f"No spec (*.yaml) in {folder}.")
    for attribute in ("id", "output"):
        values = [getattr(s, attribute) for s in specs]
        doubled = sorted({v for v in values if values.count(v) > 1})
        if doubled:
            raise ExtractionError(f"{folder}: {attribute} {doubled} used by more than one spec.")
    return specs


def table_keys(spec: Spec, table: dict[str, Any], allowed: set[str], where: str) -> None:
    """Stop on a key of a table that its reader does not know."""
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise spec.fail(f"{where}: unknown key(s) {unknown}; valid keys: {sorted(allowed)}.")
