"""Loading and validating the study's tidy tables, the codebook and the analysis tables.

Every loader validates what it reads and stops with a :class:`DataValidationError` that names the
file, the row (1-based, as a spreadsheet shows it: the header is row 1) and the column.

* :func:`load_official` / :func:`load_secondary` — tidy long tables from ``data/official`` and
  ``data/secondary``;
* :func:`load_codebook` — ``data/codebook.csv``, the indicator → factor map;
* :func:`load_boundaries` — ``data/boundaries.csv``, the register of boundary changes and series
  breaks; :func:`flag_breaks` attaches it to any long table;
* :func:`panel` — region × year × codebook indicator, normalised, with the breaks flagged;
* :func:`cross_section` — 20 regions × codebook indicators for a year rule (a year, ``"latest"``,
  ``"mean3"``), with :func:`years_used` saying which year(s) each column took and why;
* :func:`oriented` — flips "lower is better" indicators so that higher = better everywhere;
* :func:`time_series` — one region's official series, with Kazakhstan for comparison.

Normalisations (codebook column ``normalisation``; the result is multiplied by ``scale``):

* ``none`` — the value as published;
* ``per_capita`` — value / P̄, with P̄ = (P(1 Jan y) + P(1 Jan y+1)) / 2 the mean population
  of year y;
* ``per_10k`` — 10 000 · value / P̄;
* ``share_of:<indicator>`` — value / value of ``<indicator>`` (same table, same year);
* ``growth`` — value(y+1) / value(y) − 1 (for stocks measured at 1 January).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.registers.paths import DATA
from helpers.registers.quality import FLAG, RULES, flag, load_rules
from helpers.registers.regions import analysis_regions, load_cities, load_regions, resolve_region
from helpers.registers.tables import (
    OFFICIAL,
    SECONDARY,
    DataValidationError,
    city_tables,
    official_tables,
    read_table,
    records,
    require_columns,
    secondary_tables,
)

CODEBOOK = DATA / "codebook.csv"
TIDY_COLUMNS = ("region", "year", "indicator", "value", "unit")
SECONDARY_COLUMNS = (*TIDY_COLUMNS, "source", "confidence", "note")
COUNT_UNITS = ("units", "persons", "cases")
CONFIDENCE = ("high", "medium-high", "medium", "low")
CODEBOOK_COLUMNS = (
    "factor_code", "factor_id", "indicator", "source_table", "source_file", "year_rule",
    "normalisation", "scale", "unit", "direction", "proxy_strength", "include", "label_en",
    "rationale", "secondary_reason",
)
CODEBOOK_FIRST_EDITION = DATA / "codebook_first_edition.csv"
RAW_MANIFEST = DATA / "raw" / "MANIFEST.csv"
FACTORS = {"ӘО": "social", "ҚМ": "management", "ҚЭ": "economy", "З": "law", "Т": "technology",
           "Тқ": "sustainability", "y": "adaptation"}
DIRECTIONS = ("higher_better", "lower_better")
PROXY_STRENGTHS = ("strong", "moderate", "weak")
NORMALISATIONS = ("none", "per_capita", "per_10k", "growth")
BOUNDARIES = DATA / "boundaries.csv"
BOUNDARY_COLUMNS = ("event", "kind", "year", "region", "indicator", "effect", "note", "source")
BOUNDARY_EFFECTS = {"boundary": ("reduced", "abolished", "created"), "method": ("break",),
                    "coverage": ("break",)}
YEAR_RULES = ("latest", "mean3")
YEARS_COLUMNS = ("column", "indicator", "source_table", "rule", "rule_from", "years",
                 "n_regions", "missing", "short_window", "reason")
UNDATED_BASE_YEAR = 2022
"""Per-capita values of undated secondary rows use the mean population of this year (the
merged third-party table was compiled from 2021-2022 editions)."""
_INDICATOR = re.compile(r"^[a-z][a-z0-9_]*$")


class Records(tuple):
    """Plain records (dicts) that a table carries in its ``attrs``: the years each column of a
    cross-section used, the values a panel left out. pandas deep-copies a frame's ``attrs`` at
    every operation on it (``NDFrame.__finalize__``: each column taken, each product, each
    slice), so a record list copied thousands of times cost notebook 05's ``prepare`` more than
    its own work. A tuple of records is shared instead of copied: read the records, never
    change them."""

    __slots__ = ()

    def __deepcopy__(self, memo: dict) -> Records:
        return self


# ----------------------------------------------------------------------------------------------
# Tidy tables
# ----------------------------------------------------------------------------------------------

def _slugs() -> set[str]:
    return {r.slug for r in load_regions()}


def validate_tidy(raw: pd.DataFrame, path: Path, secondary: bool = False,
                  also_key: tuple[str, ...] = ()) -> pd.DataFrame:
    """Check a tidy table read as strings and return it typed (year Int64, value float).

    A percentage outside 0–100 is not refused here: it is a data-quality flag
    (``data/specs/quality_rules.csv``, :mod:`helpers.registers.quality`), kept as published and
    left out
    of the analysis tables by :func:`panel`.

    Rules: required columns; region a slug of ``data/regions.csv``; indicator snake_case; year an
    integer (blank allowed only in secondary tables: undated); value numeric;
    counts (units, persons, cases) not negative; one value per region-year-indicator (and source,
    and the columns ``also_key``).
    """
    columns = SECONDARY_COLUMNS if secondary else TIDY_COLUMNS
    require_columns(raw, path, columns)
    slugs = _slugs()
    checked = _valid_columns(raw, slugs, secondary)
    years, values = checked if checked is not None else _checked_rows(raw, path, slugs,
                                                                       secondary)
    df = raw.copy()
    df["year"] = pd.array(years, dtype="Float64").astype("Int64")
    df["value"] = np.asarray(values, dtype=float)
    key = ["region", "year", "indicator"] + (["source"] if secondary else []) + list(also_key)
    dup = df.duplicated(key, keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero(
            (df[key].astype(str) == df.loc[i, key].astype(str).to_numpy()).all(axis=1))[0])
        raise DataValidationError(path, i + 2, "year", f"duplicated {dict(df.loc[i, key])} (first "
                                  f"at row {first + 2}).")
    return df


def _valid_columns(raw: pd.DataFrame, slugs: set[str],
                   secondary: bool) -> tuple[list[float], list[float]] | None:
    """The years and values of :func:`validate_tidy` when every row passes its checks, checked a
    column at a time (each distinct region, indicator and year once); ``None`` when a row fails
    one, and :func:`_checked_rows` then names the first such row."""
    if not set(raw["region"].tolist()) <= slugs:
        return None
    if not all(_INDICATOR.match(i) for i in set(raw["indicator"].tolist())):
        return None
    year_of: dict[str, float] = {}
    for text in set(raw["year"].tolist()):
        year = text.strip()
        if year == "" and secondary:
            year_of[text] = np.nan
        elif re.fullmatch(r"\d{4}", year):
            year_of[text] = float(year)
        else:
            return None
    try:
        values = [float(v) for v in raw["value"].tolist()]
    except ValueError:
        return None
    array = np.asarray(values, dtype=float)
    if not np.isfinite(array).all() or (raw["unit"].isin(COUNT_UNITS).to_numpy()
                                        & (array < 0)).any():
        return None
    if secondary and not (set(raw["confidence"].tolist()) <= set(CONFIDENCE)
                          and all(s.strip() for s in set(raw["source"].tolist()))):
        return None
    return [year_of[y] for y in raw["year"].tolist()], values


def _checked_rows(raw: pd.DataFrame, path: Path, slugs: set[str],
                  secondary: bool) -> tuple[list[float], list[float]]:
    """:func:`validate_tidy`'s checks row by row: the years and values, or the first row's
    error."""
    years: list[float] = []
    values: list[float] = []
    for i, r in enumerate(records(raw), start=2):
        if r["region"] not in slugs:
            try:
                hint = f" (did you mean {resolve_region(r['region']).slug!r}?)"
            except ValueError:
                hint = ""
            raise DataValidationError(path, i, "region", f"unknown region {r['region']!r}{hint};"
                                      " use a slug from data/regions.csv.")
        if not _INDICATOR.match(r["indicator"]):
            raise DataValidationError(path, i, "indicator", f"{r['indicator']!r} is not a "
                                      "snake_case indicator id.")
        year = r["year"].strip()
        if year == "" and secondary:
            years.append(np.nan)
        elif re.fullmatch(r"\d{4}", year):
            years.append(float(year))
        else:
            raise DataValidationError(path, i, "year", f"{r['year']!r} is not a four-digit year"
                                      + (" (or blank when undated)." if secondary else "."))
        try:
            value = float(r["value"])
        except ValueError:
            raise DataValidationError(path, i, "value",
                                      f"{r['value']!r} is not a number.") from None
        if not np.isfinite(value):
            raise DataValidationError(path, i, "value", f"{r['value']!r} is not a finite number.")
        if r["unit"] in COUNT_UNITS and value < 0:
            raise DataValidationError(path, i, "value", f"negative count {value:g} ({r['unit']}).")
        if secondary and r["confidence"] not in CONFIDENCE:
            raise DataValidationError(path, i, "confidence", f"{r['confidence']!r} is not one of "
                                      f"{list(CONFIDENCE)}.")
        if secondary and not r["source"].strip():
            raise DataValidationError(path, i, "source", "every secondary row needs a source.")
        values.append(value)
    return years, values


def _load(name: str | None, folder: Path, names: list[str], secondary: bool) -> pd.DataFrame:
    if name is None:
        frames = [_load(n, folder, names, secondary) for n in names]
        return pd.concat(frames, ignore_index=True)
    if name not in names:
        raise ValueError(f"Unknown table {name!r} in {folder}; valid choices: {names}.")
    path = folder / f"{name}.csv"
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, secondary)
    if key not in _VALIDATED:
        df = validate_tidy(read_table(path), path, secondary=secondary)
        df.insert(0, "table", name)
        _VALIDATED[key] = df
    return _VALIDATED[key].copy()


_VALIDATED: dict[tuple, pd.DataFrame] = {}
"""Validated tables by (path, modification time, size): a file read once per version."""


def load_official(name: str | None = None, folder: Path | None = None) -> pd.DataFrame:
    """One official table (e.g. ``"innovation_2022"``) or, with ``name=None``, all of them.

    Columns: ``table, region, year, indicator, value, unit`` (validated).
    """
    folder = folder or OFFICIAL
    return _load(name, folder, official_tables(folder), secondary=False)


def load_secondary(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One secondary table, with ``source``, ``confidence`` and ``note`` on every row."""
    folder = folder or SECONDARY
    return _load(name, folder, secondary_tables(folder), secondary=True)


# ----------------------------------------------------------------------------------------------
# City-level tables (data/official/cities)
# ----------------------------------------------------------------------------------------------

CITY_TIDY_COLUMNS = ("city", "region", "year", "indicator", "value", "unit")


def load_city_official(name: str | None = None, folder: Path | None = None) -> pd.DataFrame:
    """City-level official observations (housing prices, air quality), validated.

    Columns ``table, city, region, year, indicator, value, unit``: ``city`` is a slug of
    ``data/cities.csv`` and ``region`` the region it lies in (checked against the register); a
    blank ``city`` is allowed only for the national row (``region`` = ``kazakhstan``). These are
    figures for a city, not for its region: Karaganda city and Aktobe city are cities here,
    while every regional table describes Karaganda and Aktobe regions (oblasts).
    """
    folder = folder or OFFICIAL / "cities"
    names = city_tables(folder)
    if name is None:
        return pd.concat([load_city_official(n, folder) for n in names], ignore_index=True)
    if name not in names:
        raise ValueError(f"Unknown city table {name!r} in {folder}; valid choices: {names}.")
    path = folder / f"{name}.csv"
    raw = read_table(path, CITY_TIDY_COLUMNS)
    region_of = {c.slug: c.region for c in load_cities()}
    for i, r in enumerate(records(raw), start=2):
        if r["city"] == "" and r["region"] != "kazakhstan":
            raise DataValidationError(path, i, "city", "a blank city is allowed only on the "
                                      "national row (region kazakhstan).")
        if r["city"] and r["city"] not in region_of:
            raise DataValidationError(path, i, "city", f"unknown city {r['city']!r}; use a slug "
                                      "of data/cities.csv.")
        if r["city"] and region_of[r["city"]] != r["region"]:
            raise DataValidationError(path, i, "region", f"{r['city']} lies in "
                                      f"{region_of[r['city']]!r}, not {r['region']!r} "
                                      "(data/cities.csv).")
    df = validate_tidy(raw, path, also_key=("city",))
    df.insert(0, "table", name)
    return df[["table", *CITY_TIDY_COLUMNS]]


def _load_source_table(source_table: str, data: Path) -> pd.DataFrame:
    kind, _, name = source_table.partition("/")
    if kind == "official":
        return load_official(name, data / "official")
    return load_secondary(name, data / "secondary")


# ----------------------------------------------------------------------------------------------
# Codebook
# ----------------------------------------------------------------------------------------------

def raw_files(data: Path | None = None) -> frozenset[str]:
    """Paths (relative to ``data/raw``) of the publishers' files listed in the raw manifest."""
    manifest = (data or DATA) / "raw" / "MANIFEST.csv"
    if not manifest.exists():
        manifest = RAW_MANIFEST
    return frozenset(read_table(manifest, ("path",))["path"].tolist())


def load_codebook(path: Path | None = None, data: Path | None = None) -> pd.DataFrame:
    """The validated codebook (all rows; filter on ``include`` yourself or use cross_section).

    ``data`` is the folder holding ``official/`` and ``secondary/`` (default ``data/``).
    """
    path = path or CODEBOOK
    data = data or DATA
    raw = read_table(path, CODEBOOK_COLUMNS)
    tables: dict[str, pd.DataFrame] = {}
    indicators: dict[str, set[str]] = {}
    files = raw_files(data)
    rows = []
    for i, r in enumerate(records(raw), start=2):
        def bad(column: str, problem: str, line: int = i) -> DataValidationError:
            return DataValidationError(path, line, column, problem)

        if FACTORS.get(r["factor_code"]) != r["factor_id"]:
            raise bad("factor_id", f"{r['factor_code']!r}/{r['factor_id']!r} is not a known "
                      f"factor code/id pair; valid: {FACTORS}.")
        kind, _, name = r["source_table"].partition("/")
        if kind not in ("official", "secondary") or not (data / kind / f"{name}.csv").exists():
            raise bad("source_table", f"{r['source_table']!r} names no table; valid: "
                      f"{['official/' + t for t in official_tables(data / 'official')]} + "
                      f"{['secondary/' + t for t in secondary_tables(data / 'secondary')]}.")
        if r["source_table"] not in tables:
            tables[r["source_table"]] = _load_source_table(r["source_table"], data)
            indicators[r["source_table"]] = set(tables[r["source_table"]]["indicator"].tolist())
        known = indicators[r["source_table"]]
        if r["indicator"] not in known:
            raise bad("indicator", f"indicator {r['indicator']!r} does not exist in "
                      f"{r['source_table']}; valid: {sorted(known)}.")
        norm = r["normalisation"]
        if norm.startswith("share_of:"):
            target = norm.split(":", 1)[1]
            if target not in known or target == r["indicator"]:
                why = ("the share of an indicator in itself is always 1" if target == r["indicator"]
                       else f"the denominator {target!r} is not an indicator of "
                            f"{r['source_table']}")
                raise bad("normalisation", f"{norm!r}: {why}; valid: share_of:<one of "
                          f"{sorted(known - {r['indicator']})}>.")
        elif norm not in NORMALISATIONS:
            raise bad("normalisation", f"{norm!r} is not one of {list(NORMALISATIONS)} or "
                      "share_of:<indicator>.")
        if r["direction"] not in DIRECTIONS:
            raise bad("direction", f"{r['direction']!r} is not one of {list(DIRECTIONS)}.")
        if r["proxy_strength"] not in PROXY_STRENGTHS:
            raise bad("proxy_strength", f"{r['proxy_strength']!r} is not one of "
                      f"{list(PROXY_STRENGTHS)}.")
        if r["include"] not in ("true", "false"):
            raise bad("include", f"{r['include']!r}: use true or false.")
        rule = r["year_rule"]
        if kind == "official" and not (re.fullmatch(r"\d{4}", rule) or rule in YEAR_RULES):
            raise bad("year_rule", f"{rule!r} is not a year rule for an official table; valid: a "
                      f"four-digit year or one of {list(YEAR_RULES)}.")
        if kind == "secondary" and rule and not re.fullmatch(r"\d{4}", rule):
            raise bad("year_rule", f"{rule!r}: a secondary table is one edition; give its "
                      "four-digit year (or blank = undated).")
        try:
            scale = float(r["scale"])
        except ValueError:
            raise bad("scale", f"{r['scale']!r} is not a number.") from None
        if not r["rationale"].strip():
            raise bad("rationale", "every indicator needs a sentence of rationale.")
        if r["source_file"] not in files and not any(
                f.startswith(r["source_file"].rstrip("/") + "/") for f in files):
            raise bad("source_file", f"{r['source_file']!r} is neither a file nor a folder of "
                      f"{RAW_MANIFEST.relative_to(DATA.parent)}; e.g. {sorted(files)[:3]}.")
        if kind == "secondary" and not r["secondary_reason"].strip():
            raise bad("secondary_reason", "a row from a secondary table must say why no official "
                      "source replaces it.")
        if kind == "official" and r["secondary_reason"].strip():
            raise bad("secondary_reason", "only rows from secondary tables carry a reason.")
        rows.append({**r, "scale": scale, "include": r["include"] == "true",
                     "year_rule": int(rule) if rule.isdigit() else (rule or pd.NA)})
    df = pd.DataFrame(rows)
    dup = df.duplicated(["indicator", "normalisation"]).to_numpy()
    if dup.any():
        raise DataValidationError(path, int(np.flatnonzero(dup)[0]) + 2, "indicator",
                                  "the same indicator and normalisation appear twice.")
    df["column"] = [_column_name(r) for r in records(df)]
    return df


def _column_name(row: dict) -> str:
    norm = row["normalisation"]
    if norm == "none":
        return row["indicator"]
    suffix = norm.replace("share_of:", "share_of_")
    return f"{row['indicator']}_{suffix}"


# ----------------------------------------------------------------------------------------------
# Boundary changes and series breaks (data/boundaries.csv)
# ----------------------------------------------------------------------------------------------

def load_boundaries(path: Path | None = None, data: Path | None = None) -> pd.DataFrame:
    """The validated register of boundary changes and series breaks (``data/boundaries.csv``).

    One row per event and region (blank region = every region and Kazakhstan) and indicator
    (blank = every indicator). ``year`` is the first year of the new state. Effects:

    * ``reduced`` (kind ``boundary``) — the region loses territory in ``year``: observations
      before it cover a larger area than today's region (they get a ``boundary_note``);
    * ``abolished`` (``boundary``) — the region ends in ``year - 1`` (every observation gets a
      ``boundary_note``: its territory is not a region of today);
    * ``created`` (``boundary``) — the region starts in ``year``; values the publisher printed
      for earlier years are its figures for today's territory (a ``series_note``, no break);
    * ``break`` (kinds ``method``, ``coverage``) — the definition, survey or coverage changes in
      ``year``: earlier values are not comparable with later ones (a ``series_note``).
    """
    path = path or (data or DATA) / "boundaries.csv"
    raw = read_table(path, BOUNDARY_COLUMNS, "It is the register of boundary changes and breaks.")
    slugs = _slugs()
    indicators: set[str] | None = None
    for i, r in enumerate(records(raw), start=2):
        def bad(column: str, problem: str, line: int = i) -> DataValidationError:
            return DataValidationError(path, line, column, problem)

        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", r["event"]):
            raise bad("event", f"{r['event']!r} is not an event id (lower case, digits, hyphens).")
        if r["kind"] not in BOUNDARY_EFFECTS:
            raise bad("kind", f"{r['kind']!r} is not one of {list(BOUNDARY_EFFECTS)}.")
        if r["effect"] not in BOUNDARY_EFFECTS[r["kind"]]:
            raise bad("effect", f"{r['effect']!r} is not an effect of kind {r['kind']!r}; valid: "
                      f"{list(BOUNDARY_EFFECTS[r['kind']])}.")
        if not re.fullmatch(r"\d{4}", r["year"]):
            raise bad("year", f"{r['year']!r} is not a four-digit year.")
        if r["region"] and r["region"] not in slugs:
            raise bad("region", f"unknown region {r['region']!r}; use a slug of data/regions.csv.")
        if r["kind"] == "boundary" and not r["region"]:
            raise bad("region", "a boundary change needs the region it changes.")
        if r["indicator"]:
            if indicators is None:
                indicators = set(load_official(None, path.parent / "official")["indicator"]
                                 .tolist())
            if r["indicator"] not in indicators:
                raise bad("indicator", f"{r['indicator']!r} is not an indicator of the official "
                          "tables (blank = every indicator).")
        for column in ("note", "source"):
            if not r[column].strip():
                raise bad(column, f"every event needs a {column}.")
    df = raw.copy()
    df["year"] = df["year"].astype(int)
    dup = df.duplicated(["event", "region", "indicator"]).to_numpy()
    if dup.any():
        raise DataValidationError(path, int(np.flatnonzero(dup)[0]) + 2, "event",
                                  "the same event, region and indicator appear twice.")
    return df


def flag_breaks(df: pd.DataFrame, register: pd.DataFrame | None = None,
                series: tuple[str, ...] = ("indicator", "region")) -> pd.DataFrame:
    """``df`` (long: ``region, year, indicator``, …) with the register's events attached.

    Added columns, for each observation of a series (``series`` = the columns that identify
    one; its previous observation is the one with the next smaller year):

    * ``comparable_with_previous`` — False when a ``reduced`` boundary change or a ``break``
      takes effect in a year y with previous year < y ≤ this year; NA for a series' first
      observation and for undated values; True otherwise;
    * ``break_event`` — the event id(s) that make it not comparable (``;``-separated);
    * ``boundary_note`` — the observation's territory differs from the region's today;
    * ``series_note`` — a created region's value for a year before it existed, or a value from
      before a method or coverage break.
    """
    register = load_boundaries() if register is None else register
    out = df.copy()
    order = out.sort_values([*series, "year"], kind="stable").index
    prev = out.loc[order].groupby(list(series), sort=False)["year"].shift(1)
    prev = prev.reindex(out.index)
    year, region, indicator = out["year"], out["region"], out["indicator"]
    n = len(out)
    comparable = pd.array(np.where(prev.isna() | year.isna(), pd.NA, True), dtype="boolean")
    events = [[] for _ in range(n)]
    boundary = [[] for _ in range(n)]
    notes = [[] for _ in range(n)]
    for ev in records(register):
        applies = np.ones(n, dtype=bool)
        if ev["region"]:
            applies &= (region == ev["region"]).to_numpy()
        if ev["indicator"]:
            applies &= (indicator == ev["indicator"]).to_numpy()
        dated = year.notna().to_numpy()
        before = applies & dated & (year.fillna(0) < ev["year"]).to_numpy()
        if ev["effect"] in ("reduced", "break"):
            crossed = applies & dated & prev.notna().to_numpy() & \
                (prev.fillna(0) < ev["year"]).to_numpy() & (year.fillna(0) >= ev["year"]).to_numpy()
            comparable[crossed] = False
            for i in np.flatnonzero(crossed):
                events[i].append(ev["event"])
        target = {"reduced": (boundary, before), "abolished": (boundary, applies),
                  "created": (notes, before), "break": (notes, before)}[ev["effect"]]
        for i in np.flatnonzero(target[1]):
            target[0][i].append(ev["note"])
    out["comparable_with_previous"] = comparable
    out["break_event"] = [";".join(e) for e in events]
    out["boundary_note"] = ["; ".join(b) for b in boundary]
    out["series_note"] = ["; ".join(s) for s in notes]
    return out


# ----------------------------------------------------------------------------------------------
# Analysis tables
# ----------------------------------------------------------------------------------------------

def mean_population(year: int, data: Path | None = None) -> pd.Series:
    """P̄(y) = (P(1 Jan y) + P(1 Jan y+1)) / 2 for every region (official/population.csv)."""
    pop = _population(data or DATA)
    if year not in pop.columns or year + 1 not in pop.columns:
        raise ValueError(f"Population at 1 Jan {year} and {year + 1} is needed for per-capita "
                         f"values; available years: {list(pop.columns)}.")
    return (pop[year] + pop[year + 1]) / 2


def _population(data: Path) -> pd.DataFrame:
    pop = load_official("population", data / "official")
    return pop[pop["indicator"] == "population"].pivot(index="region", columns="year",
                                                       values="value")


def _mean_population_long(data: Path) -> pd.Series:
    """P̄ for every region and every year y with P(1 Jan y) and P(1 Jan y+1): (region, year)."""
    pop = _population(data)
    years = [y for y in pop.columns if y + 1 in pop.columns]
    mean = pd.DataFrame({y: (pop[y] + pop[y + 1]) / 2 for y in years})
    return mean.stack().rename_axis(["region", "year"])


def _values(table: pd.DataFrame, indicator: str, year: int | None) -> pd.Series:
    rows = table[table["indicator"] == indicator]
    rows = rows[rows["year"].isna()] if year is None else rows[rows["year"] == year]
    if "source" in rows:
        rows = rows.drop_duplicates(["region"], keep="first")
    return rows.set_index("region")["value"]


def _series(table: pd.DataFrame, indicator: str, secondary_year) -> pd.Series:
    """(region, year) → value; secondary tables only at the codebook's year (NA = undated)."""
    rows = table[table["indicator"] == indicator]
    if "source" in rows:
        rows = rows[rows["year"].isna()] if pd.isna(secondary_year) else \
            rows[rows["year"] == int(secondary_year)]
        rows = rows.drop_duplicates(["region"], keep="first")
    return rows.set_index(["region", "year"])["value"]


def _normalised(row: dict, table: pd.DataFrame, population: pd.Series) -> pd.Series:
    """The codebook row's values for every region and year, normalised and scaled."""
    secondary = row["source_table"].startswith("secondary/")
    fixed = row["year_rule"] if secondary else pd.NA
    values = _series(table, row["indicator"], fixed)
    norm = row["normalisation"]
    if norm in ("per_capita", "per_10k"):
        years = values.index.get_level_values("year")
        base = pd.Index(years).fillna(UNDATED_BASE_YEAR).astype(int)
        keys = pd.MultiIndex.from_arrays([values.index.get_level_values("region"), base])
        denominator = population.reindex(keys).to_numpy()
        values = values / denominator * (1e4 if norm == "per_10k" else 1)
    elif norm == "growth":
        regions = values.index.get_level_values("region")
        years = values.index.get_level_values("year")
        after = values.reindex(pd.MultiIndex.from_arrays([regions, years + 1])).to_numpy()
        values = after / values - 1
    elif norm.startswith("share_of:"):
        denominator = _series(table, norm.split(":", 1)[1], fixed).reindex(values.index)
        values = values / denominator.to_numpy()
    return (values * row["scale"]).dropna()


def panel(codebook: pd.DataFrame | None = None, regions: list[str] | None = None,
          data: Path | None = None) -> pd.DataFrame:
    """The region × year panel of the codebook's included indicators, long format.

    One row per region, year and cross-section column (``<indicator>`` or
    ``<indicator>_<normalisation>``), normalised as the codebook says for that year: per-capita
    values divide by the mean population of the same year, so numerator and denominator always
    cover the same territory. Years without the needed population (per-capita values of 2023:
    1 Jan 2024 is not published) are absent. Secondary rows appear at the codebook's year only
    (``year`` NA when undated; per-capita ones then use the population of
    :data:`UNDATED_BASE_YEAR`).

    Values that break a data-quality rule (``data/specs/quality_rules.csv``) are left out; the
    records in ``result.attrs["quality_excluded"]`` name them and their rules
    (``source_table, region, year, indicator, value, unit, quality_flag``).

    Columns: ``region, year, column, indicator, factor_id, value, unit, source_table,
    comparable_with_previous, break_event, boundary_note, series_note`` (see
    :func:`flag_breaks`; the breaks come from ``data/boundaries.csv``). ``regions`` filters
    (default: every region in the tables, Kazakhstan and South Kazakhstan included).
    """
    data = data or DATA
    book = load_codebook(data=data) if codebook is None else codebook
    book = book[book["include"]]
    population = _mean_population_long(data)
    own_rules = data / "specs" / "quality_rules.csv"
    rules = load_rules(own_rules if own_rules.exists() else RULES, data=data)
    tables: dict[str, pd.DataFrame] = {}
    excluded = []
    frames = []
    for row in records(book):
        if row["source_table"] not in tables:
            table = flag(_load_source_table(row["source_table"], data),
                         row["source_table"].partition("/")[2], rules)
            bad = table[table[FLAG] != ""]
            excluded += bad.assign(source_table=row["source_table"]).to_dict("records")
            tables[row["source_table"]] = table[table[FLAG] == ""].drop(columns=FLAG)
        values = _normalised(row, tables[row["source_table"]], population)
        frame = values.rename("value").reset_index()
        frame["column"], frame["indicator"] = row["column"], row["indicator"]
        frame["factor_id"], frame["unit"] = row["factor_id"], row["unit"]
        frame["source_table"] = row["source_table"]
        frames.append(frame)
    columns = ["region", "year", "column", "indicator", "factor_id", "value", "unit",
               "source_table"]
    out = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(
        columns=columns)
    if regions is not None:
        slugs = [resolve_region(r).slug for r in regions]
        out = out[out["region"].isin(slugs)]
    out["year"] = out["year"].astype("Int64")
    out = flag_breaks(out.reset_index(drop=True), load_boundaries(data=data),
                      series=("column", "region"))
    out = out.sort_values(["column", "region", "year"], kind="stable").reset_index(drop=True)
    out.attrs["quality_excluded"] = Records(
        {k: (None if pd.isna(r[k]) else r[k]) for k in
         ("source_table", "region", "year", "indicator", "value", "unit", FLAG)}
        for r in excluded)
    return out


def _check_rule(rule, what: str):
    if rule is None or rule in YEAR_RULES:
        return rule
    if isinstance(rule, (int, np.integer)) and not isinstance(rule, bool):
        return int(rule)
    if isinstance(rule, str) and re.fullmatch(r"\d{4}", rule):
        return int(rule)
    raise ValueError(f"{what} {rule!r} is not a year rule; valid: a year such as 2022, "
                     f"{' or '.join(repr(r) for r in YEAR_RULES)}.")


def _pick(rows: pd.DataFrame, rule, until: int | None, regions: list[str]) -> tuple[pd.Series,
                                                                                     dict]:
    """Apply a year rule to one column's panel rows (analysis regions only)."""
    if until is not None:
        rows = rows[rows["year"] <= until]
    coverage = rows.groupby("year")["region"].nunique()
    info = {"years": "", "short_window": "", "reason": ""}
    cap = f" up to {until}" if until is not None else ""
    if isinstance(rule, int):
        picked = rows[rows["year"] == rule]
        info["years"] = str(rule)
        info["reason"] = f"the fixed year {rule}" + ("" if len(picked) else
                                                      f"; not published for {rule}")
        return picked.set_index("region")["value"], info
    if coverage.empty:
        info["reason"] = f"rule {rule!r}: no year with a value{cap}"
        return pd.Series(dtype=float), info
    best = coverage.max()
    latest = int(coverage[coverage == best].index.max())
    full = f"all {len(regions)} regions" if best == len(regions) else \
        f"{best} of {len(regions)} regions (no year{cap} covers all)"
    if rule == "latest":
        picked = rows[rows["year"] == latest]
        info["years"] = str(latest)
        later = [int(y) for y in coverage.index if y > latest]
        info["reason"] = (f"latest: {latest} is the last year{cap} with {full}"
                          + (f"; later years cover fewer regions ({later})" if later else ""))
        return picked.set_index("region")["value"], info
    window = [int(y) for y in coverage.index if y <= latest][-3:]
    usable = rows[rows["year"].isin(window) & (rows["boundary_note"] == "")]
    means = usable.groupby("region")["value"].mean()
    counts = usable.groupby("region")["year"].nunique().reindex(regions).fillna(0).astype(int)
    short = counts[(counts < len(window)) & (counts > 0)]
    span = f"{window[0]}–{window[-1]}" if len(window) > 1 else f"{window[0]} only (one year)"
    info["years"] = ";".join(str(y) for y in window)
    info["short_window"] = ";".join(f"{r}:{c}" for r, c in short.items())
    info["reason"] = (f"mean3: mean of {span}, the last three years{cap} "
                      f"up to {latest} (the last year with {full}); values whose territory "
                      "differs from today's are left out of a region's mean"
                      + (f"; fewer years for {info['short_window']}" if len(short) else ""))
    return means, info


def cross_section(year=None, codebook: pd.DataFrame | None = None,
                  data: Path | None = None, until: int | None = None) -> pd.DataFrame:
    """The regions × indicators table: 20 rows indexed by region slug (no 'kazakhstan').

    One column per included codebook row, named ``<indicator>`` or ``<indicator>_<normalisation>``
    and normalised as the codebook says (direction NOT applied: see :func:`oriented`); values
    from :func:`panel`.

    Year rules (``year`` of the call for every official row; ``None`` = each row's own rule,
    codebook column ``year_rule``):

    * a year such as ``2022`` — that year (a column stays empty where it is not published);
    * ``"latest"`` — per indicator, the last year in which every one of the 20 regions has a
      value (if no year has all 20, the last year with the most regions);
    * ``"mean3"`` — per indicator and region, the mean of the last three years up to that
      "latest" year; values whose territory differs from today's (Karaganda before 2022, …)
      are left out of the region's mean, and the regions with fewer years are named.

    ``until`` caps the years that ``latest`` and ``mean3`` consider. Secondary rows keep the
    codebook's year whatever the call says (each is one edition of a third-party table).

    :func:`years_used` (the records in ``result.attrs["years"]``) is a tidy table, one row per
    column:
    ``column, indicator, source_table, rule, rule_from (call / codebook / secondary), years
    (";"-separated, "undated"), n_regions, missing, short_window, reason``.
    """
    return cross_sections([year], codebook, data, until)[0]


def cross_sections(years: Sequence, codebook: pd.DataFrame | None = None,
                   data: Path | None = None, until: int | None = None) -> list[pd.DataFrame]:
    """:func:`cross_section` for each year rule of ``years`` (same order), all from one
    :func:`panel` (notebook 05 compares the year rules: the panel is built once, not per rule)."""
    data = data or DATA
    rules = [_check_rule(year, "year") for year in years]
    book = load_codebook(data=data) if codebook is None else codebook
    book = book[book["include"]]
    regions = [r.slug for r in analysis_regions()]
    long = panel(book, regions=regions, data=data)
    rows_of = column_rows(long)
    return [_cross_section(rule, book, regions, long, rows_of, until) for rule in rules]


def column_rows(long: pd.DataFrame) -> Callable[[str], pd.DataFrame]:
    """The rows of the panel ``long`` for one of its columns, as ``long[long["column"] == c]``
    selects them (in order; none for a column the panel lacks), the panel split once for all
    columns instead of compared in full for each."""
    groups = dict(iter(long.groupby("column", sort=False)))
    none = long.iloc[:0]
    return lambda column: groups.get(column, none)


def _cross_section(rule_of_call, book: pd.DataFrame, regions: list[str], long: pd.DataFrame,
                   rows_of: Callable[[str], pd.DataFrame], until: int | None) -> pd.DataFrame:
    """:func:`cross_section` under one checked year rule, from the panel ``long`` (its rows per
    column: ``rows_of``, :func:`column_rows`)."""
    out = pd.DataFrame(index=pd.Index(regions, name="region"))
    report = []
    excluded: dict[tuple, list[dict]] = {}  # the panel's left-out values by indicator and table
    for e in long.attrs.get("quality_excluded", []):
        excluded.setdefault((e["indicator"], e["source_table"]), []).append(e)
    for row in records(book):
        rows = rows_of(row["column"])
        official = row["source_table"].startswith("official/")
        if not official:
            rule_from = "secondary"
            values = rows.set_index("region")["value"]
            info = {"years": "undated" if pd.isna(row["year_rule"]) else str(row["year_rule"]),
                    "short_window": "",
                    "reason": "secondary table: one edition, the codebook's year"
                              + (" (undated)" if pd.isna(row["year_rule"]) else "")}
            rule = "undated" if pd.isna(row["year_rule"]) else str(row["year_rule"])
        else:
            own = _check_rule(None if pd.isna(row["year_rule"]) else row["year_rule"],
                              "codebook year_rule")
            rule = rule_of_call if rule_of_call is not None else own
            rule_from = "call" if rule_of_call is not None else "codebook"
            if rule is None:
                raise ValueError(f"codebook row {row['column']!r} has no year rule; give one "
                                 "in the codebook or in the call.")
            values, info = _pick(rows, rule, until, regions)
        out[row["column"]] = values.reindex(regions)
        missing = [r for r, gap in zip(regions, out[row["column"]].isna().tolist(), strict=True)
                   if gap]
        years = set(info["years"].split(";"))
        flagged = [f"{e['region']} {e['year']} ({e['quality_flag']})"
                   for e in excluded.get((row["indicator"], row["source_table"]), [])
                   if e["region"] in regions and str(e["year"]) in years]
        if flagged:
            info["reason"] += ("; left out by a data-quality rule (data/specs/quality_rules.csv): "
                               + ", ".join(flagged))
        report.append({"column": row["column"], "indicator": row["indicator"],
                       "source_table": row["source_table"], "rule": str(rule),
                       "rule_from": rule_from, "years": info["years"],
                       "n_regions": len(regions) - len(missing), "missing": ";".join(missing),
                       "short_window": info["short_window"], "reason": info["reason"]})
    # plain records (pandas compares attrs when it combines frames), shared, not deep-copied
    out.attrs["years"] = Records(report)
    return out


def years_used(cs: pd.DataFrame) -> pd.DataFrame:
    """The companion table of a :func:`cross_section` result: which year(s) each column used."""
    if "years" not in cs.attrs:
        raise ValueError("This table carries no year record: it is not (or no longer) a "
                         "cross_section() result; pandas drops attrs in some operations.")
    return pd.DataFrame(cs.attrs["years"], columns=YEARS_COLUMNS)


def oriented(df: pd.DataFrame, codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """``df`` with every 'lower_better' column multiplied by −1, so that higher = better."""
    book = load_codebook() if codebook is None else codebook
    lower = set(book.loc[book["direction"] == "lower_better", "column"])
    out = df.copy()
    for column in out.columns:
        if column in lower:
            out[column] = -out[column]
    return out


def factor_columns(codebook: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """``{factor_id: [cross-section column, …]}`` for the included codebook rows."""
    book = load_codebook() if codebook is None else codebook
    book = book[book["include"]]
    return {f: list(g["column"]) for f, g in book.groupby("factor_id", sort=False)}


def time_series(region: str, indicators: list[str] | None = None,
                data: Path | None = None) -> pd.DataFrame:
    """A region's official series with Kazakhstan's for comparison (long format).

    Columns: ``region, year, indicator, value, unit, table, boundary_note,
    comparable_with_previous, break_event, series_note`` (:func:`flag_breaks`). ``region`` may
    be any spelling the register knows. ``boundary_note`` marks years whose territory differs
    from today's (Karaganda before 2022 includes Ulytau, …).
    """
    slug = resolve_region(region).slug
    data = data or DATA
    df = load_official(None, data / "official")
    if indicators is not None:
        unknown = sorted(set(indicators) - set(df["indicator"]))
        if unknown:
            raise ValueError(f"Unknown indicator(s) {unknown}; "
                             f"valid: {sorted(set(df['indicator']))}.")
        df = df[df["indicator"].isin(indicators)]
    df = df[df["region"].isin([slug, "kazakhstan"])].reset_index(drop=True)
    df = flag_breaks(df, load_boundaries(data=data))
    df = df.sort_values(["indicator", "region", "year"], kind="stable").reset_index(drop=True)
    return df[["region", "year", "indicator", "value", "unit", "table", "boundary_note",
               "comparable_with_previous", "break_event", "series_note"]]
