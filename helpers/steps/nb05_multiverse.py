"""The multiverse of defensible specifications, enumerated as data.

A *specification* is one set of choices the analysis of notebook 04 had to make:

* ``set_<factor>`` — which of the factor's codebook indicators enter its composite: ``full`` (all
  included rows), ``drop:<column>`` (each leave-one-indicator-out set) or ``only:<column>`` (the
  strongest proxy alone; ties go to the first row of the codebook). Identical sets are kept once,
  under the first of these labels;
* ``year_rule`` — which year of the official tables: ``codebook`` (each row's own year, as
  notebook 04), ``2022``, ``latest`` or ``mean3`` (:func:`helpers.registers.data.cross_section`); a
  rule
  that gives the very same table as an earlier one is kept once (:func:`distinct_year_rules`);
* ``scaling`` — ``per_resident`` (the codebook's normalisation) or ``absolute`` (the published
  totals, for the rows the codebook divides by the population: a region's absolute capacity is
  what a ranking of cities may reward, so both readings are defensible); rows the codebook does
  not divide by population are the same under both;
* ``outcome`` — ``rank_points`` (21 − rank, the codebook's coding) or ``normal_scores`` (Blom's
  normal scores of the rank, Φ⁻¹((r − 3/8) / (n + 1/4)), which treat the ends of the ranking as
  further apart than its middle);
* ``estimator`` — ``pls_mode_a`` (notebook 04), ``pls_mode_b`` (regression weights; only where
  every block leaves n ≥ items + 2), ``equal_weights`` (mean of z-scores, then OLS: nothing
  learned from the outcome), ``plsc`` (consistent PLS, Dijkstra & Henseler 2015: Mode A weights,
  construct correlations corrected by each block's ρ_A, for blocks read as reflective).

:func:`choices` lists every dimension's levels, read from the codebook, so a new edition of the
codebook flows through. The full product is usually too large to bootstrap: :func:`specifications`
takes the main specification, every specification one choice away from it, and a seeded random
sample of the rest (said so in the column ``kind``). Everything is deterministic given the seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.special import ndtri

from helpers.registers import data as data_module
from helpers.registers.hypotheses import STRENGTH_ORDER
from helpers.registers.labels import LABELS, factor_labels, label

OUTCOME = "adaptation"
MAIN_YEAR = 2022
SCALINGS = ("per_resident", "absolute")
OUTCOMES = ("rank_points", "normal_scores")
ESTIMATORS = ("pls_mode_a", "pls_mode_b", "equal_weights", "plsc")
ESTIMATOR_LABELS = {"pls_mode_a": "PLS, Mode A", "pls_mode_b": "PLS, Mode B",
                    "equal_weights": "equal weights + OLS", "plsc": "PLSc (consistent)"}
PER_POPULATION = ("per_capita", "per_10k")
KINDS = ("main", "one choice away", "random sample")


YEAR_MAIN = "codebook"
"""The main year rule: each codebook row's own year (what notebook 04 uses)."""


def year_rules() -> tuple:
    """The year rules to try: the codebook's own years, 2022, and the rules of
    :func:`helpers.registers.data.cross_section` (``helpers.registers.data.YEAR_RULES``: "latest",
    "mean3") — this
    module never implements a year rule of its own."""
    return (YEAR_MAIN, MAIN_YEAR, *getattr(data_module, "YEAR_RULES", ()))


def _year_argument(rule):
    return None if rule == YEAR_MAIN else rule


def distinct_year_rules(codebook: pd.DataFrame, tables: Mapping | None = None
                        ) -> tuple[list, dict]:
    """The year rules that give different data, and ``{rule: earlier rule}`` for those that
    give the very same table as an earlier one (e.g. "latest" when the latest year is 2022).
    ``tables``: :func:`rule_tables` when already built."""
    tables = rule_tables(codebook) if tables is None else tables
    kept, same = [], {}
    for rule in year_rules():
        twin = next((k for k in kept if tables[k].equals(tables[rule])), None)
        if twin is None:
            kept.append(rule)
        else:
            same[rule] = twin
    return kept, same


def rule_tables(codebook: pd.DataFrame) -> dict:
    """``{year rule: cross-section}`` for every rule of :func:`year_rules`, each with every
    scaling: the codebook's columns, and ``<column>@absolute`` for the rows it divides by the
    population (:func:`helpers.registers.data.cross_sections`: every rule from one panel)."""
    book = codebook[codebook["include"]].copy()
    per_pop = book[book["normalisation"].isin(PER_POPULATION)].copy()
    per_pop["normalisation"] = "none"
    per_pop["column"] = per_pop["column"] + ABSOLUTE_SUFFIX
    both = pd.concat([book, per_pop], ignore_index=True)
    rules = year_rules()
    tables = data_module.cross_sections([_year_argument(r) for r in rules], codebook=both)
    return dict(zip(rules, tables, strict=True))


ABSOLUTE_SUFFIX = "@absolute"


# ----------------------------------------------------------------------------------------------
# Choices and the enumeration
# ----------------------------------------------------------------------------------------------

def indicator_sets(codebook: pd.DataFrame, factor: str) -> dict[str, tuple[str, ...]]:
    """``{label: columns}`` for one factor: full, each leave-one-out set, the strongest alone."""
    book = codebook[codebook["include"] & (codebook["factor_id"] == factor)]
    columns = list(book["column"])
    if not columns:
        raise KeyError(f"factor {factor!r} has no included indicator in the codebook; factors: "
                       f"{sorted(set(codebook.loc[codebook['include'], 'factor_id']))}.")
    strongest = max(zip(book["proxy_strength"], columns, strict=True),
                    key=lambda sc: STRENGTH_ORDER[sc[0]])[1]
    candidates = [("full", tuple(columns))]
    if len(columns) > 1:
        candidates += [(f"drop:{c}", tuple(x for x in columns if x != c)) for c in columns]
    candidates.append((f"only:{strongest}", (strongest,)))
    out: dict[str, tuple[str, ...]] = {}
    for name, cols in candidates:
        if cols not in out.values():
            out[name] = cols
    return out


def choices(codebook: pd.DataFrame, factors: Sequence[str], n_obs: int = 20,
            years: Sequence | None = None, tables: Mapping | None = None) -> dict[str, list]:
    """Every dimension and its levels, the main specification's level first. ``years``: the year
    rules to use (default :func:`distinct_year_rules`)."""
    out: dict[str, list] = {f"set_{f}": list(indicator_sets(codebook, f)) for f in factors}
    out["year_rule"] = list(distinct_year_rules(codebook, tables)[0] if years is None
                            else years)
    book = codebook[codebook["include"]]
    out["scaling"] = list(SCALINGS) if book["normalisation"].isin(PER_POPULATION).any() \
        else [SCALINGS[0]]
    out["outcome"] = list(OUTCOMES)
    largest = int(book[book["factor_id"].isin(list(factors))].groupby("factor_id").size().max())
    out["estimator"] = [e for e in ESTIMATORS if e != "pls_mode_b" or n_obs >= largest + 2]
    return out


def main_specification(dims: Mapping[str, list]) -> dict:
    """The specification of notebook 04: the first level of every dimension."""
    return {d: levels[0] for d, levels in dims.items()}


def n_full(dims: Mapping[str, list]) -> int:
    """Size of the full product of the choices."""
    return math.prod(len(v) for v in dims.values())


def _decode(index: int, dims: Mapping[str, list]) -> dict:
    """The ``index``-th specification of the full product (mixed radix, last dimension fastest)."""
    out = {}
    for d in reversed(list(dims)):
        index, k = divmod(index, len(dims[d]))
        out[d] = dims[d][k]
    return {d: out[d] for d in dims}


def _encode(spec: Mapping, dims: Mapping[str, list]) -> int:
    index = 0
    for d in dims:
        index = index * len(dims[d]) + dims[d].index(spec[d])
    return index


def specifications(dims: Mapping[str, list], n_total: int = 1000, seed: int = 2023
                   ) -> pd.DataFrame:
    """The specifications to estimate, one row each, with ``spec_id``, ``kind`` and the choices.

    The full product when it has at most ``n_total`` members; otherwise the main specification,
    every specification one choice away from it, then a random sample without replacement
    (``numpy.random.default_rng(seed)``) of the rest, up to ``n_total`` rows.
    """
    total = n_full(dims)
    main = main_specification(dims)
    if total <= n_total:
        order = list(range(total))
        kinds = {_encode(main, dims): KINDS[0]}
        rows = [(i, kinds.get(i, "full product")) for i in order]
        first = [r for r in rows if r[1] == KINDS[0]]
        rows = first + [r for r in rows if r[1] != KINDS[0]]
    else:
        rows = [(_encode(main, dims), KINDS[0])]
        for d, levels in dims.items():
            for level in levels[1:]:
                rows.append((_encode({**main, d: level}, dims), KINDS[1]))
        if len(rows) > n_total:
            raise ValueError(f"n_total = {n_total} is smaller than the main specification and "
                             f"its {len(rows) - 1} one-choice-away variants.")
        taken = {i for i, _ in rows}
        rng = np.random.default_rng(seed)
        need = n_total - len(rows)
        pool = rng.permutation(total)
        sample = [int(i) for i in pool[: need + len(taken)] if int(i) not in taken][:need]
        rows += [(i, KINDS[2]) for i in sample]
    table = pd.DataFrame([{"spec_id": k, "kind": kind, **_decode(i, dims)}
                          for k, (i, kind) in enumerate(rows)])
    table.attrs.update({"n_full": total, "seed": seed, "n_total": n_total})
    return table


def differs_from_main(specs: pd.DataFrame, dims: Mapping[str, list]) -> pd.Series:
    """How many choices each specification makes differently from the main one."""
    main = main_specification(dims)
    return sum((specs[d] != main[d]).astype(int) for d in dims)


# ----------------------------------------------------------------------------------------------
# The data: every variant of every indicator, oriented, in one table
# ----------------------------------------------------------------------------------------------

def variant_key(column: str, year_rule, scaling: str) -> str:
    return f"{column}|{year_rule}|{scaling}"


def variant_table(codebook: pd.DataFrame, dims: Mapping[str, list],
                  tables: Mapping | None = None) -> pd.DataFrame:
    """Regions × every (indicator column, year rule, scaling) variant, oriented higher = better,
    plus the outcome codings as ``outcome|<coding>``.

    Column names ``<codebook column>|<year rule>|<scaling>`` always use the codebook's column name
    (the per-resident one) so a specification names an indicator the same way in every variant.
    """
    tables = rule_tables(codebook) if tables is None else tables
    frames = {}
    book = codebook[codebook["include"]]
    lower = set(book.loc[book["direction"] == "lower_better", "column"])
    per_pop = set(book.loc[book["normalisation"].isin(PER_POPULATION), "column"])
    for rule in dims["year_rule"]:
        table = tables[rule]
        for scaling in dims["scaling"]:
            for column in book["column"]:
                source = column + ABSOLUTE_SUFFIX if (scaling == "absolute"
                                                      and column in per_pop) else column
                sign = -1.0 if column in lower else 1.0
                frames[variant_key(column, rule, scaling)] = sign * table[source]
    out = pd.DataFrame(frames)
    outcome_cols = codebook.loc[codebook["include"] & (codebook["factor_id"] == OUTCOME),
                                "column"].tolist()
    if len(outcome_cols) != 1:
        raise ValueError(f"the outcome {OUTCOME!r} needs exactly one included indicator in the "
                         f"codebook, found {outcome_cols}.")
    points = out[variant_key(outcome_cols[0], dims["year_rule"][0], dims["scaling"][0])]
    for coding in dims["outcome"]:
        out[f"outcome|{coding}"] = outcome_coding(points, coding)
    return out


def outcome_coding(points: pd.Series, coding: str) -> pd.Series:
    """The outcome as ``rank_points`` (as given: 21 − rank) or Blom ``normal_scores`` of it."""
    if coding == "rank_points":
        return points.astype(float)
    if coding == "normal_scores":
        r = points.rank(method="average")
        n = points.notna().sum()
        # ndtri is the standard normal quantile scipy.stats.norm.ppf calls (the same numbers,
        # without loading scipy.stats)
        return pd.Series(ndtri(((r - 0.375) / (n + 0.25)).to_numpy(dtype=float)),
                         index=points.index)
    raise ValueError(f"unknown outcome coding {coding!r}; valid: {list(OUTCOMES)}.")


def spec_columns(spec: Mapping, factors: Sequence[str], sets: Mapping[str, Mapping]
                 ) -> list[list[str]]:
    """The variant columns of each factor's block under ``spec``."""
    return [[variant_key(c, spec["year_rule"], spec["scaling"])
             for c in sets[f][spec[f"set_{f}"]]] for f in factors]


def all_indicator_sets(codebook: pd.DataFrame, factors: Sequence[str]) -> dict[str, dict]:
    return {f: indicator_sets(codebook, f) for f in factors}


def set_strength(codebook: pd.DataFrame, columns: Sequence[str]) -> str:
    """The strongest proxy strength among ``columns`` (codebook column names)."""
    strengths = codebook.set_index("column").loc[list(columns), "proxy_strength"]
    return max(strengths, key=STRENGTH_ORDER.__getitem__)


# ----------------------------------------------------------------------------------------------
# The choices in words (the figure's rows, notebook 05's tables and sentences)
# ----------------------------------------------------------------------------------------------

def level_text(dimension: str, level, lang: str) -> str:
    """One choice in ``lang`` (labels ``mv_<dimension>_<level>``; an indicator set by its
    indicators' names, ``ind_<column>``); a level without a label is shown as it is."""
    level = str(level)
    if dimension.startswith("set_"):
        kind, _, column = level.partition(":")
        if kind == "full":
            return label("mv_set_full", lang)
        key = f"ind_{column}"
        name = label(key, lang) if key in LABELS else column
        return label(f"mv_set_{kind}", lang).format(indicator=name)
    key = f"mv_{dimension}_{level}"
    return label(key, lang) if key in LABELS else level


def dimension_text(dimension: str, lang: str) -> str:
    """A dimension of the multiverse in ``lang`` (labels ``mv_dim_<dimension>``; an indicator
    set by its factor's name)."""
    if dimension.startswith("set_"):
        factor = dimension.removeprefix("set_")
        return label("mv_dim_set", lang).format(factor=factor_labels(lang).get(factor, factor))
    return label(f"mv_dim_{dimension}", lang)
