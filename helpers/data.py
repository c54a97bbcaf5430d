"""Loading and validating the study's tidy tables, the codebook and the analysis tables.

Every loader validates what it reads and stops with a :class:`DataValidationError` that names the
file, the row (1-based, as a spreadsheet shows it: the header is row 1) and the column.

* :func:`load_official` / :func:`load_secondary` — tidy long tables from ``data/official`` and
  ``data/secondary``;
* :func:`load_codebook` — ``data/codebook.csv``, the indicator → factor map;
* :func:`cross_section` — 20 regions × codebook indicators, normalised as the codebook says;
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
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.paths import DATA
from helpers.regions import analysis_regions, load_regions, resolve_region

OFFICIAL = DATA / "official"
SECONDARY = DATA / "secondary"
CODEBOOK = DATA / "codebook.csv"
TIDY_COLUMNS = ("region", "year", "indicator", "value", "unit")
SECONDARY_COLUMNS = (*TIDY_COLUMNS, "source", "confidence", "note")
COUNT_UNITS = ("units", "persons", "cases")
CONFIDENCE = ("high", "medium-high", "medium", "low")
CODEBOOK_COLUMNS = (
    "factor_code", "factor_id", "indicator", "source_table", "year", "normalisation", "scale",
    "unit", "direction", "proxy_strength", "include", "label_en", "rationale",
)
FACTORS = {"ӘО": "social", "ҚМ": "management", "ҚЭ": "economy", "З": "law", "Т": "technology",
           "Тқ": "sustainability", "y": "adaptation"}
DIRECTIONS = ("higher_better", "lower_better")
PROXY_STRENGTHS = ("strong", "moderate", "weak")
NORMALISATIONS = ("none", "per_capita", "per_10k", "growth")
BOUNDARY_NOTES = {
    # region: (first year of the present boundaries, note for earlier years)
    "karaganda": (2022, "before 2022 includes today's Ulytau region"),
    "east-kazakhstan": (2022, "before 2022 includes today's Abai region"),
    "almaty-region": (2022, "before 2022 includes today's Zhetisu region"),
}
_INDICATOR = re.compile(r"^[a-z][a-z0-9_]*$")


class DataValidationError(ValueError):
    """A data file breaks a rule; the message names the file, row and column."""

    def __init__(self, path: Path | str, row: int | None, column: str | None, problem: str):
        self.path, self.row, self.column, self.problem = Path(path), row, column, problem
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


# ----------------------------------------------------------------------------------------------
# Tidy tables
# ----------------------------------------------------------------------------------------------

def read_table(path: Path, columns: tuple[str, ...] = (),
               missing_hint: str = "Re-create it with `python -m helpers.sources`.",
               ) -> pd.DataFrame:
    """Read a CSV of ``data/`` as text (no type guessing, empty cells stay ``""``).

    Refuses a missing file (saying ``missing_hint``), a malformed or non-UTF-8 file, and a header
    without every name in ``columns``, each with a :class:`DataValidationError` naming the place.
    """
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing. {missing_hint}")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataValidationError(path, None, None, f"not a well-formed UTF-8 CSV ({error}).") \
            from None
    _require_columns(df, path, columns)
    return df


def _require_columns(df: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> None:
    for column in columns:
        if column not in df.columns:
            raise DataValidationError(path, 1, column, f"column missing or renamed; the header "
                                      f"must contain {list(columns)}, found {list(df.columns)}.")


def _slugs() -> set[str]:
    return {r.slug for r in load_regions()}


def validate_tidy(raw: pd.DataFrame, path: Path, secondary: bool = False) -> pd.DataFrame:
    """Check a tidy table read as strings and return it typed (year Int64, value float).

    Rules: required columns; region a slug of ``data/regions.csv``; indicator snake_case; year an
    integer (blank allowed only in secondary tables: undated); value numeric; ``%`` within 0–100;
    counts (units, persons, cases) not negative; one value per region-year-indicator (and source).
    """
    columns = SECONDARY_COLUMNS if secondary else TIDY_COLUMNS
    _require_columns(raw, path, columns)
    slugs = _slugs()
    years: list[float] = []
    values: list[float] = []
    for i, row in enumerate(raw.itertuples(index=False), start=2):
        r = row._asdict()
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
        if r["unit"] == "%" and not 0 <= value <= 100:
            raise DataValidationError(path, i, "value", f"percentage {value:g} is outside 0–100.")
        if r["unit"] in COUNT_UNITS and value < 0:
            raise DataValidationError(path, i, "value", f"negative count {value:g} ({r['unit']}).")
        if secondary and r["confidence"] not in CONFIDENCE:
            raise DataValidationError(path, i, "confidence", f"{r['confidence']!r} is not one of "
                                      f"{list(CONFIDENCE)}.")
        if secondary and not r["source"].strip():
            raise DataValidationError(path, i, "source", "every secondary row needs a source.")
        values.append(value)
    df = raw.copy()
    df["year"] = pd.array(years, dtype="Float64").astype("Int64")
    df["value"] = np.asarray(values, dtype=float)
    key = ["region", "year", "indicator"] + (["source"] if secondary else [])
    dup = df.duplicated(key, keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero(
            (df[key].astype(str) == df.loc[i, key].astype(str).to_numpy()).all(axis=1))[0])
        raise DataValidationError(path, i + 2, "year", f"duplicated {dict(df.loc[i, key])} (first "
                                  f"at row {first + 2}).")
    return df


def official_tables(folder: Path | None = None) -> list[str]:
    """Names of the official tables (file stems in ``data/official``)."""
    return sorted(p.stem for p in (folder or OFFICIAL).glob("*.csv"))


def secondary_tables(folder: Path | None = None) -> list[str]:
    """Names of the secondary tables (file stems in ``data/secondary``)."""
    return sorted(p.stem for p in (folder or SECONDARY).glob("*.csv"))


def _load(name: str | None, folder: Path, names: list[str], secondary: bool) -> pd.DataFrame:
    if name is None:
        frames = [_load(n, folder, names, secondary) for n in names]
        return pd.concat(frames, ignore_index=True)
    if name not in names:
        raise ValueError(f"Unknown table {name!r} in {folder}; valid choices: {names}.")
    path = folder / f"{name}.csv"
    df = validate_tidy(read_table(path), path, secondary=secondary)
    df.insert(0, "table", name)
    return df


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


def _load_source_table(source_table: str, data: Path) -> pd.DataFrame:
    kind, _, name = source_table.partition("/")
    if kind == "official":
        return load_official(name, data / "official")
    return load_secondary(name, data / "secondary")


# ----------------------------------------------------------------------------------------------
# Codebook
# ----------------------------------------------------------------------------------------------

def load_codebook(path: Path | None = None, data: Path | None = None) -> pd.DataFrame:
    """The validated codebook (all rows; filter on ``include`` yourself or use cross_section).

    ``data`` is the folder holding ``official/`` and ``secondary/`` (default ``data/``).
    """
    path = path or CODEBOOK
    data = data or DATA
    raw = read_table(path, CODEBOOK_COLUMNS)
    tables: dict[str, pd.DataFrame] = {}
    rows = []
    for i, r in enumerate(raw.to_dict("records"), start=2):
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
        known = set(tables[r["source_table"]]["indicator"])
        if r["indicator"] not in known:
            raise bad("indicator", f"indicator {r['indicator']!r} does not exist in "
                      f"{r['source_table']}; valid: {sorted(known)}.")
        norm = r["normalisation"]
        if norm.startswith("share_of:"):
            if norm.split(":", 1)[1] not in known:
                raise bad("normalisation", f"{norm!r}: the denominator is not an indicator of "
                          f"{r['source_table']}.")
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
        if r["year"] and not re.fullmatch(r"\d{4}", r["year"]):
            raise bad("year", f"{r['year']!r} is not a four-digit year (or blank = undated).")
        try:
            scale = float(r["scale"])
        except ValueError:
            raise bad("scale", f"{r['scale']!r} is not a number.") from None
        if not r["rationale"].strip():
            raise bad("rationale", "every indicator needs a sentence of rationale.")
        rows.append({**r, "scale": scale, "include": r["include"] == "true",
                     "year": int(r["year"]) if r["year"] else pd.NA})
    df = pd.DataFrame(rows)
    dup = df.duplicated(["indicator", "normalisation"]).to_numpy()
    if dup.any():
        raise DataValidationError(path, int(np.flatnonzero(dup)[0]) + 2, "indicator",
                                  "the same indicator and normalisation appear twice.")
    df["column"] = [_column_name(r) for r in df.to_dict("records")]
    return df


def _column_name(row: dict) -> str:
    norm = row["normalisation"]
    if norm == "none":
        return row["indicator"]
    suffix = norm.replace("share_of:", "share_of_")
    return f"{row['indicator']}_{suffix}"


# ----------------------------------------------------------------------------------------------
# Analysis tables
# ----------------------------------------------------------------------------------------------

def mean_population(year: int, data: Path | None = None) -> pd.Series:
    """P̄(y) = (P(1 Jan y) + P(1 Jan y+1)) / 2 for every region (official/population.csv)."""
    pop = load_official("population", (data or DATA) / "official")
    pop = pop[pop["indicator"] == "population"].pivot(index="region", columns="year",
                                                      values="value")
    if year not in pop.columns or year + 1 not in pop.columns:
        raise ValueError(f"Population at 1 Jan {year} and {year + 1} is needed for per-capita "
                         f"values; available years: {list(pop.columns)}.")
    return (pop[year] + pop[year + 1]) / 2


def _values(table: pd.DataFrame, indicator: str, year: int | None) -> pd.Series:
    rows = table[table["indicator"] == indicator]
    rows = rows[rows["year"].isna()] if year is None else rows[rows["year"] == year]
    if "source" in rows:
        rows = rows.drop_duplicates(["region"], keep="first")
    return rows.set_index("region")["value"]


def cross_section(year: int = 2022, codebook: pd.DataFrame | None = None,
                  data: Path | None = None) -> pd.DataFrame:
    """The regions × indicators table: 20 rows indexed by region slug (no 'kazakhstan').

    One column per included codebook row, named ``<indicator>`` or ``<indicator>_<normalisation>``
    and normalised as the codebook says (direction NOT applied: see :func:`oriented`). Official
    tables are read for ``year``; secondary rows keep the codebook's year (blank = undated).
    Per-capita denominators use the mean population of ``year`` (or of the row's own year).
    """
    data = data or DATA
    book = load_codebook(data=data) if codebook is None else codebook
    book = book[book["include"]]
    regions = [r.slug for r in analysis_regions()]
    out = pd.DataFrame(index=pd.Index(regions, name="region"))
    for row in book.to_dict("records"):
        table = _load_source_table(row["source_table"], data)
        official = row["source_table"].startswith("official/")
        y = year if official else (None if pd.isna(row["year"]) else int(row["year"]))
        values = _values(table, row["indicator"], y)
        norm = row["normalisation"]
        base_year = y if y is not None else year
        if norm in ("per_capita", "per_10k"):
            values = values / mean_population(base_year, data) * (1e4 if norm == "per_10k" else 1)
        elif norm == "growth":
            values = _values(table, row["indicator"], base_year + 1) / values - 1
        elif norm.startswith("share_of:"):
            values = values / _values(table, norm.split(":", 1)[1], y)
        out[row["column"]] = values.reindex(regions) * row["scale"]
    return out


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

    Columns: ``region, year, indicator, value, unit, table, boundary_note``. ``region`` may be
    any spelling the register knows. ``boundary_note`` marks years whose territory differs from
    today's (Karaganda before 2022 includes Ulytau, …).
    """
    slug = resolve_region(region).slug
    df = load_official(None, (data or DATA) / "official")
    if indicators is not None:
        unknown = sorted(set(indicators) - set(df["indicator"]))
        if unknown:
            raise ValueError(f"Unknown indicator(s) {unknown}; "
                             f"valid: {sorted(set(df['indicator']))}.")
        df = df[df["indicator"].isin(indicators)]
    df = df[df["region"].isin([slug, "kazakhstan"])].copy()
    first, note = BOUNDARY_NOTES.get(slug, (None, ""))
    df["boundary_note"] = [note if first is not None and r == slug and y < first else ""
                           for r, y in zip(df["region"], df["year"], strict=True)]
    df = df.sort_values(["indicator", "region", "year"], kind="stable").reset_index(drop=True)
    return df[["region", "year", "indicator", "value", "unit", "table", "boundary_note"]]
