"""Data-quality rules on the tidy tables, declared as data in ``data/specs/quality_rules.csv``.

A rule never changes a table: a flagged value stays as the publisher printed it, carries the ids
of the rules it breaks (column ``quality_flag``, ``;``-separated) and is left out of ranks,
composites and figures by the code that uses it, with a note naming the rule.

Kinds of rule (columns of the rules file: ``rule, kind, table, indicator, other, unit, low, high,
factor, reason_<lang> for every language, example``):

* ``pair_order`` — ``indicator`` must not exceed ``other`` at the same place and year (PM2.5 is
  part of PM10); both values of a broken pair are flagged (which one is wrong is unknown);
* ``ratio`` — ``indicator`` / ``other`` equals ``factor`` within 1 % (a decimal slip); the
  ``indicator`` value is flagged;
* ``range`` — the value lies outside [``low``, ``high``] (``unit`` restricts the rule to rows of
  that unit, ``indicator`` to one indicator);
* ``positive`` — the value is 0 or below where only a positive value is a measurement;
* ``jump`` — the value is more than ``factor`` times, or less than 1/``factor`` of, the median of
  the same series (place and indicator, its positive values): a jump away from the series'
  typical level, the value that jumps is flagged (comparing with the median rather than with the
  previous year does not flag the return from a one-year spike).

``table`` names a tidy table: ``<name>`` of ``data/official/<name>.csv``, ``cities/<name>`` of
``data/official/cities/<name>.csv``, or ``*`` for every table; a blank ``indicator`` means every
indicator of the table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.registers.i18n import current
from helpers.registers.labels import LANGUAGES
from helpers.registers.paths import DATA
from helpers.registers.tables import DataValidationError, city_tables, official_tables, read_table

RULES = DATA / "specs" / "quality_rules.csv"
RULE_COLUMNS = ("rule", "kind", "table", "indicator", "other", "unit", "low", "high", "factor",
                *(f"reason_{lang}" for lang in LANGUAGES), "example")
KINDS = {"pair_order": ("indicator", "other"), "ratio": ("indicator", "other", "factor"),
         "range": ("low", "high"), "positive": (), "jump": ("factor",)}
"""Each kind and the columns it requires."""
RATIO_TOLERANCE = 0.01
FLAG = "quality_flag"


def load_rules(path: Path | None = None, data: Path | None = None) -> pd.DataFrame:
    """The validated rules; a bad row stops with the file, row, column and the valid choices."""
    data = data or DATA
    path = path or data / "specs" / "quality_rules.csv"
    raw = read_table(path, RULE_COLUMNS, "It declares the data-quality rules.")
    tables = ["*", *official_tables(data / "official"),
              *(f"cities/{t}" for t in city_tables(data / "official" / "cities"))]
    seen: set[str] = set()
    rows = []
    for i, r in enumerate(raw.to_dict("records"), start=2):
        def bad(column: str, problem: str, line: int = i) -> DataValidationError:
            return DataValidationError(path, line, column, problem)

        if not r["rule"] or r["rule"] in seen:
            raise bad("rule", f"{r['rule']!r}: every rule needs an id of its own.")
        seen.add(r["rule"])
        if r["kind"] not in KINDS:
            raise bad("kind", f"{r['kind']!r} is not a kind of rule; valid: {list(KINDS)}.")
        if r["table"] not in tables:
            raise bad("table", f"{r['table']!r} is not a tidy table; valid: {tables}.")
        for column in KINDS[r["kind"]]:
            if not r[column].strip():
                raise bad(column, f"a {r['kind']} rule needs a value in {column!r}.")
        numbers = {}
        for column in ("low", "high", "factor"):
            try:
                numbers[column] = float(r[column]) if r[column].strip() else np.nan
            except ValueError:
                raise bad(column, f"{r[column]!r} is not a number.") from None
        if r["kind"] in ("jump", "ratio") and not numbers["factor"] > 1:
            raise bad("factor", f"{r['factor']!r}: the factor of a {r['kind']} rule must be > 1.")
        if r["kind"] == "range" and not numbers["low"] < numbers["high"]:
            raise bad("high", f"low {r['low']!r} must be below high {r['high']!r}.")
        for lang in LANGUAGES:
            if not r[f"reason_{lang}"].strip():
                raise bad(f"reason_{lang}", "every rule needs a reason in every language (shown "
                          "beside every flagged value).")
        rows.append({**r, **numbers})
    return pd.DataFrame(rows, columns=list(RULE_COLUMNS))


def _place(df: pd.DataFrame) -> list[str]:
    return ["city", "region"] if "city" in df.columns else ["region"]


def _rule_applies(rule: dict, table: str) -> bool:
    return rule["table"] in ("*", table)


def flag(df: pd.DataFrame, table: str | None = None,
         rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """``df`` (a tidy table: ``[city,] region, year, indicator, value, unit``) with a
    ``quality_flag`` column: the ids of the rules each value breaks, ``;``-separated.

    ``table`` names the table the rows come from (``"cities/air_quality"``, ``"sdg_regional"``);
    without it the ``table`` column is used (``load_city_official`` names its tables without
    the ``cities/`` prefix, which is added when a ``city`` column is present).
    """
    rules = load_rules() if rules is None else rules
    out = df.copy()
    if table is not None:
        names = pd.Series(table, index=out.index)
    else:
        names = out["table"].astype(str)
        if "city" in out.columns:
            names = "cities/" + names
    flags: list[list[str]] = [[] for _ in range(len(out))]
    position = pd.Series(np.arange(len(out)), index=out.index)
    place = _place(out)
    for rule in rules.to_dict("records"):
        scope = names.map(lambda t, rule=rule: _rule_applies(rule, t))
        if not scope.any():
            continue
        rows = out[scope.to_numpy()]
        hits = _hits(rule, rows, place)
        for index in hits:
            flags[position[index]].append(rule["rule"])
    out[FLAG] = [";".join(f) for f in flags]
    return out


def _hits(rule: dict, rows: pd.DataFrame, place: list[str]) -> list:
    """Index labels of ``rows`` that break ``rule``."""
    kind = rule["kind"]
    if rule["indicator"] and kind in ("range", "positive", "jump"):
        rows = rows[rows["indicator"] == rule["indicator"]]
    if rule["unit"]:
        rows = rows[rows["unit"] == rule["unit"]]
    if kind == "range":
        return list(rows.index[(rows["value"] < rule["low"]) | (rows["value"] > rule["high"])])
    if kind == "positive":
        return list(rows.index[rows["value"] <= 0])
    if kind == "jump":
        key = [*place, "indicator"]
        positive = rows[rows["value"] > 0]
        typical = positive.groupby(key, sort=False)["value"].transform("median")
        ratio = positive["value"] / typical
        return list(positive.index[((ratio > rule["factor"])
                                    | (ratio < 1 / rule["factor"])).to_numpy()])
    key = [*place, "year"]
    a = rows[rows["indicator"] == rule["indicator"]].reset_index()
    b = rows[rows["indicator"] == rule["other"]].reset_index()
    both = a.merge(b, on=key, how="inner", suffixes=("_a", "_b"))
    if kind == "pair_order":
        broken = both[both["value_a"] > both["value_b"]]
        return list(broken["index_a"]) + list(broken["index_b"])
    ratio = both["value_a"] / both["value_b"]
    broken = both[(ratio - rule["factor"]).abs() <= RATIO_TOLERANCE * rule["factor"]]
    return list(broken["index_a"])


def flagged(df: pd.DataFrame) -> pd.Series:
    """True where a value breaks a rule (``df`` from :func:`flag`)."""
    return df[FLAG] != ""


def reasons(ids: str, rules: pd.DataFrame | None = None, lang: str | None = None) -> str:
    """``"rule-id (reason); …"`` for a ``quality_flag`` cell, the reasons in ``lang`` (default:
    the notebook's language, :func:`helpers.registers.i18n.current`)."""
    lang = lang or current()
    rules = (load_rules() if rules is None else rules).set_index("rule")
    return "; ".join(f"{r} ({rules.loc[r, f'reason_{lang}']})" for r in ids.split(";") if r)


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """The flagged rows of ``df`` (from :func:`flag`): one row per value, its rules named."""
    return df[flagged(df)].reset_index(drop=True)
