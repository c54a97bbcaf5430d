"""The article's design read the second way: one city's six factors over its own years.

Figure 3 and the text around Table 1 (article lines 326–333) say that the factors' influence and
correlations were estimated "Астана қаласы мысалында" — on the example of Astana — from official
statistics. Notebook 03 reads Table 1 as a cross-section of the 20 regions; this module reads it
as Astana's (or any city's) own indicators over the years and sets both readings side by side.

Composites over years. From the region × year panel (:func:`helpers.registers.data.panel`), for the
city:

* each indicator keeps its years from :data:`FIRST_YEAR` on, and only the segment after its last
  break (a boundary change or a method or coverage break of ``data/boundaries.csv``): values
  before a break describe another territory or another definition;
* an indicator with fewer than :data:`MIN_INDICATOR_YEARS` years left enters no yearly composite
  (the 2022-only tables: innovation, crime, wages) — so law (З), measured only by 2022 crime
  statistics, has no yearly series at all;
* lower-is-better indicators are multiplied by −1; each indicator is z-scored over its own years
  (``z_i(t) = (x_i(t) − mean_i) / sd_i``, sd with n − 1);
* the level composite is ``C_f(t) = mean of z_i(t)`` over the factor's indicators published in t,
  computed when at least half (:data:`MIN_SHARE`) of the factor's indicators with a yearly series
  are published in t; the coverage table says how many of the factor's indicators each year has;
* the first difference is ``D_f(t) = mean of (z_i(t) − z_i(t−1))`` over the indicators published
  in both t and t − 1 and comparable across them; it equals ``C_f(t) − C_f(t−1)`` whenever the two
  years have the same indicators, and never mixes a change of indicator set into a change.

Correlations over years. Pearson's r of two composites over the years both have (pairwise).
Trending series correlate by construction, so the first differences are reported beside the
levels. Intervals: Fisher's z with an effective number of years instead of n,
``n_eff = n (1 − ρ_x ρ_y) / (1 + ρ_x ρ_y)`` (ρ the lag-1 autocorrelation of each series; Bartlett
1935, Bretherton et al. 1999, J. Climate 12: 1990–2009), capped at n, and
``r ± 1.96 / √(n_eff − 3)`` on the z scale; with ``n_eff < 4`` the interval is [−1, 1]. Neighbouring
years are not independent observations, and a trending series carries fewer independent years than
it has points; a moving-block bootstrap was not used because 8–13 years leave 3–6 blocks, too few
for a resampling distribution. The lag-1 autocorrelation of a short series is itself imprecise
(biased towards 0), so even these intervals are, if anything, too narrow.

The PLS model (notebook 04) cannot be estimated this way: its outcome, the Ministry's smart-city
ranking, has no yearly series.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtri

from helpers.registers import article
from helpers.registers import verdicts as vd
from helpers.registers.article import claims
from helpers.registers.data import (
    column_rows,
    cross_section,
    factor_columns,
    load_codebook,
    oriented,
    panel,
)
from helpers.registers.i18n import current, interval, number, say
from helpers.registers.labels import factor_codes, factor_labels, label
from helpers.stats import correlation_table, factor_composites

FIRST_YEAR = 2010
"""The window starts here: most SDG regional series start in 2010; earlier years would leave
the composites to the few BNS tables that go further back."""
MIN_INDICATOR_YEARS = 5
"""An indicator with fewer comparable years enters no yearly composite."""
MIN_YEARS = 5
"""A correlation over fewer common years is not computed."""
MIN_SHARE = 0.5
"""A factor's composite in a year needs at least this share of the factor's indicators that have
a yearly series (otherwise a level would compare different indicator sets across years)."""
Z95 = float(ndtri(0.975))
INTERVAL_METHOD = ("Fisher z with the effective number of years n_eff = n(1 − ρx·ρy)/(1 + ρx·ρy) "
                   "(ρ = lag-1 autocorrelation; Bartlett 1935, Bretherton et al. 1999), capped at "
                   "n; [−1, 1] when n_eff < 4")
INTERVAL_NOTE = ("Years next to each other are not independent observations: the interval uses "
                 "an effective number of years, fewer than the years counted when the series "
                 "trend. A block bootstrap was not used: 8–13 years leave too few blocks. The "
                 "lag-1 autocorrelation of a short series is itself imprecise and biased towards "
                 "0, so these intervals are, if anything, too narrow.")
PLS_NOTE = ("The PLS model of notebook 04 (factors → smart-city adaptation) cannot be estimated "
            "over years: its outcome, the Ministry's ranking of smart cities, is published as one "
            "ranking, not as a yearly series.")
READING_LINES = "article-kk.txt lines 323–333 (Figure 3's caption and the text after it)"


# ----------------------------------------------------------------------------------------------
# Statistics for short series
# ----------------------------------------------------------------------------------------------

def lag1_autocorrelation(series: pd.Series) -> float:
    """ρ₁ = Σ (x_t − x̄)(x_{t+1} − x̄) / Σ (x_t − x̄)², over pairs of consecutive years only.

    ``series`` is indexed by year; a gap breaks the pairs. NaN with fewer than 3 values.
    """
    s = series.dropna().sort_index()
    if len(s) < 3:
        return float("nan")
    dev = s - s.mean()
    years = s.index.to_numpy()
    nxt = np.flatnonzero(np.diff(years) == 1)
    denominator = float((dev ** 2).sum())
    if denominator == 0 or not len(nxt):
        return float("nan")
    return float((dev.iloc[nxt].to_numpy() * dev.iloc[nxt + 1].to_numpy()).sum() / denominator)


def effective_n(n: int, rho_x: float, rho_y: float) -> float:
    """``n (1 − ρx ρy) / (1 + ρx ρy)``, capped at n (an unknown ρ counts as 0)."""
    product = (0.0 if np.isnan(rho_x) else rho_x) * (0.0 if np.isnan(rho_y) else rho_y)
    return float(min(n, n * (1 - product) / (1 + product)))


def fisher_interval(r: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """``tanh(atanh r ± z / √(n − 3))``; ``(−1, 1)`` when n < 4 (nothing to say)."""
    if n < 4 or np.isnan(r):
        return -1.0, 1.0
    z = float(ndtri(0.5 + level / 2))
    centre = np.arctanh(np.clip(r, -0.999999, 0.999999))
    half = z / np.sqrt(n - 3)
    return float(np.tanh(centre - half)), float(np.tanh(centre + half))


def pearson(x: pd.Series, y: pd.Series) -> tuple[float, int]:
    """Pearson's r over the index values both series have, and that number of values."""
    both = pd.concat([x, y], axis=1, join="inner").dropna()
    n = len(both)
    if n < 3 or both.iloc[:, 0].std() == 0 or both.iloc[:, 1].std() == 0:
        return float("nan"), n
    return float(np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1]), n


def series_correlation(x: pd.Series, y: pd.Series, min_years: int = MIN_YEARS) -> dict:
    """r, n, the two lag-1 autocorrelations, n_eff and both intervals for two yearly series.

    ``ci_low``/``ci_high`` use n_eff (the reported interval); ``ci_naive_*`` use n − 3 as if the
    years were independent (shown for comparison). ``computed`` is False with fewer than
    ``min_years`` common years.
    """
    both = pd.concat([x, y], axis=1, join="inner").dropna()
    r, n = pearson(both.iloc[:, 0], both.iloc[:, 1])
    if n < min_years or np.isnan(r):
        return {"computed": False, "r": None, "n": n, "rho_x": None, "rho_y": None,
                "n_eff": None, "ci_low": None, "ci_high": None, "ci_naive_low": None,
                "ci_naive_high": None, "years": [int(v) for v in both.index]}
    rho_x, rho_y = lag1_autocorrelation(both.iloc[:, 0]), lag1_autocorrelation(both.iloc[:, 1])
    n_eff = effective_n(n, rho_x, rho_y)
    low, high = fisher_interval(r, n_eff)
    naive = fisher_interval(r, n)
    return {"computed": True, "r": r, "n": n, "rho_x": _num(rho_x), "rho_y": _num(rho_y),
            "n_eff": n_eff, "ci_low": low, "ci_high": high, "ci_naive_low": naive[0],
            "ci_naive_high": naive[1], "years": [int(v) for v in both.index]}


def _num(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


# ----------------------------------------------------------------------------------------------
# The city's indicators and composites over the years
# ----------------------------------------------------------------------------------------------

@dataclass
class OverYears:
    """A city's factors over its years (see the module docstring)."""

    slug: str
    first_year: int
    indicators: pd.DataFrame  # one row per codebook column: factor, years kept, why dropped
    z: pd.DataFrame  # years × columns used, oriented z-scores
    levels: pd.DataFrame  # years × factors, C_f(t)
    differences: pd.DataFrame  # years × factors, D_f(t)
    coverage: pd.DataFrame  # years × factors, "k of K" indicators
    factors: list[str] = field(default_factory=list)


def city_indicators(slug: str, codebook: pd.DataFrame | None = None, data: Path | None = None,
                    first_year: int = FIRST_YEAR, min_years: int = MIN_INDICATOR_YEARS,
                    national: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The city's oriented values (years × columns) and a table of what was kept and why.

    Returns ``(values, indicators)``; ``indicators`` has one row per included codebook column
    other than the outcome: ``column, factor, first, last, n_years, dropped_years, used, reason``.
    ``national`` is the panel of every region (:func:`helpers.registers.data.panel` of the same
    codebook and data), whose rows for ``slug`` are then read instead of building the city's.
    """
    book = load_codebook(data=data) if codebook is None else codebook
    long = panel(book, regions=[slug], data=data) if national is None else \
        national[national["region"] == slug]
    long = long[long["year"].notna()]
    lower = set(book.loc[book["direction"] == "lower_better", "column"])
    wanted = {c: f for f, cols in factor_columns(book).items() if f in article.FACTOR_IDS
              for c in cols}
    values, rows = {}, []
    rows_of = column_rows(long)
    for column, factor in wanted.items():
        rows_c = rows_of(column).sort_values("year")
        rows_c = rows_c[rows_c["year"] >= first_year]
        start, why = first_year, ""
        broken = rows_c.loc[rows_c["comparable_with_previous"].eq(False).fillna(False), "year"]
        if len(broken):
            start = int(broken.max())
            event = rows_c.loc[rows_c["year"] == start, "break_event"].iloc[0]
            why = f"values before {start} dropped ({event})"
        other = rows_c.loc[rows_c["boundary_note"] != "", "year"]
        if len(other):
            start = max(start, int(other.max()) + 1)
            why = f"values before {start} describe another territory"
        kept = rows_c[rows_c["year"] >= start]
        dropped = sorted(int(y) for y in set(rows_c["year"]) - set(kept["year"]))
        used = len(kept) >= min_years
        if not used:
            why = "; ".join(filter(None, [why, f"{len(kept)} comparable year(s) from "
                                               f"{first_year}: fewer than {min_years}"]))
        rows.append({"column": column, "factor": factor,
                     "first": int(kept["year"].min()) if len(kept) else None,
                     "last": int(kept["year"].max()) if len(kept) else None,
                     "n_years": int(len(kept)), "dropped_years": dropped, "used": used,
                     "reason": why})
        if used:
            s = kept.set_index("year")["value"].astype(float)
            values[column] = -s if column in lower else s
    frame = pd.DataFrame(values).sort_index()
    frame.index = frame.index.astype(int)
    frame.index.name = "year"
    return frame, pd.DataFrame(rows)


def over_years(slug: str, codebook: pd.DataFrame | None = None, data: Path | None = None,
               first_year: int = FIRST_YEAR, min_share: float = MIN_SHARE,
               national: pd.DataFrame | None = None) -> OverYears:
    """The six factor composites over the city's years, levels and first differences
    (``national``: as in :func:`city_indicators`)."""
    book = load_codebook(data=data) if codebook is None else codebook
    values, indicators = city_indicators(slug, book, data, first_year, national=national)
    z = (values - values.mean()) / values.std(ddof=1)
    factors = list(article.FACTOR_IDS)
    members = {f: list(indicators.loc[indicators["factor"] == f, "column"]) for f in factors}
    years = list(z.index)
    levels = pd.DataFrame(index=pd.Index(years, name="year"), columns=factors, dtype=float)
    diffs = levels.copy()
    coverage = pd.DataFrame(index=levels.index, columns=factors, dtype=object)
    for f in factors:
        cols = [c for c in members[f] if c in z.columns]
        present = z[cols].notna() if cols else pd.DataFrame(index=z.index)
        enough = present.sum(axis=1) >= max(1, min_share * len(cols)) if cols else None
        levels[f] = z[cols].mean(axis=1).where(enough) if cols else np.nan
        coverage[f] = [f"{int(present.loc[y].sum()) if cols else 0} of {len(members[f])}"
                       for y in years]
        if cols:
            before = enough.reindex(enough.index - 1).fillna(False).to_numpy(dtype=bool)
            diffs[f] = first_differences(z[cols]).where(enough & before)
    return OverYears(slug, first_year, indicators, z, levels, diffs, coverage, factors)


def first_differences(z: pd.DataFrame) -> pd.Series:
    """``D(t)`` = mean over columns published in t and t − 1 of ``z(t) − z(t−1)``.

    ``z`` is years × indicators; a year whose previous year is absent gets NaN.
    """
    previous = z.reindex(z.index - 1)
    previous.index = z.index
    return (z - previous).mean(axis=1)


# ----------------------------------------------------------------------------------------------
# Table 1 and C1 under both readings
# ----------------------------------------------------------------------------------------------

def table1_over_years(result: OverYears) -> pd.DataFrame:
    """One row per Table 1 pair: the article's r, r over years in levels and in differences.

    Columns: ``x, y, article, <design>_<field>`` for design in (levels, differences) and field in
    :func:`series_correlation`'s keys.
    """
    theirs = article.table1()
    rows = []
    factors = result.factors
    for k, a in enumerate(factors):
        for b in factors[:k]:
            row = {"x": a, "y": b, "article": float(theirs.loc[a, b])}
            for design, frame in (("levels", result.levels), ("differences", result.differences)):
                corr = series_correlation(frame[a], frame[b])
                row.update({f"{design}_{key}": value for key, value in corr.items()})
            rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# Verdicts under both readings (the one rule of helpers.registers.verdicts)
# ----------------------------------------------------------------------------------------------

DESIGNS = ("cross_section", "levels", "differences")
"""The three columns of the side-by-side table: the 20 regions in one year (notebook 03's first
reading), the city's years in levels, and in first differences."""
READING = {
    "favoured": "over_years",
    "reason": ("Figure 3's caption and the text after it say the factors' influence and "
               "correlations were estimated \"Астана қаласы мысалында\" (on the example of Astana) "
               "and that in Astana each factor's weight turned out different; the article names "
               "no other city or region as a unit of the estimation and, on its data, only "
               "statistical collections and official local-government sites. One city's own "
               "indicators over the years is the most natural reading of these words; the "
               "20-region cross-section is this study's choice. The article states no period and "
               "no number of observations, so the words do not settle it (Astana's districts "
               "would be a third reading, with no district data to test it)."),
    "location": READING_LINES,
}


def claim_id(x: str, y: str) -> str:
    """The claim id of a Table 1 pair: ``T1-<row code>-<column code>`` (article codes)."""
    codes = factor_codes()
    return f"T1-{codes[x]}-{codes[y]}"


def _verdict(vd, corr: dict | None, article_value: float, rule) -> dict:
    if corr is None or not corr.get("computed"):
        return {"verdict": "not checkable", "reason": "no yearly series for one of the two "
                "factors, or fewer than the minimum number of common years",
                "interval": None, "margin": rule.margin, "margin_reason": rule.margin_reason,
                "method": "not_checkable", "level": rule.level, "power": "", "finding": ""}
    v = vd.judge_interval(corr["r"], corr["ci_low"], corr["ci_high"], article_value,
                          rule.margin, method=corr.get("method", "fisher_z_neff"),
                          level=rule.level, margin_reason=rule.margin_reason)
    return v.as_dict()


def both_readings(result: OverYears, cross: pd.DataFrame) -> pd.DataFrame:
    """Table 1 under both readings, one row per pair, with the verdict of each design.

    ``cross`` is notebook 03's pingouin table (:func:`helpers.stats.correlation_table`); its
    Pearson rows give the cross-section r, n and 95 % interval (Fisher z, n − 3). Columns:
    ``claim, x, y, article`` and, per design of :data:`DESIGNS`, ``<design>`` (a dict: r, n,
    interval, n_eff where it applies) and ``<design>_verdict`` (the verdict record of
    :func:`helpers.registers.verdicts.judge_interval`).
    """
    rules = vd.load_rules()
    over = table1_over_years(result)
    pearson = cross[cross["method"] == "pearson"]
    rows = []
    for r in over.to_dict("records"):
        claim = claim_id(r["x"], r["y"])
        rule = rules[claim]
        hit = pearson[((pearson["x"] == r["x"]) & (pearson["y"] == r["y"]))
                      | ((pearson["x"] == r["y"]) & (pearson["y"] == r["x"]))].iloc[0]
        cs = {"computed": True, "r": float(hit["r"]), "n": int(hit["n"]),
              "ci_low": float(hit["ci_low"]), "ci_high": float(hit["ci_high"]),
              "method": "fisher_z"}
        row = {"claim": claim, "x": r["x"], "y": r["y"], "article": r["article"],
               "cross_section": cs, "cross_section_verdict": _verdict(vd, cs, r["article"], rule)}
        for design in ("levels", "differences"):
            corr = {k.removeprefix(f"{design}_"): v for k, v in r.items()
                    if k.startswith(f"{design}_")}
            corr["method"] = "fisher_z_neff"
            row[design] = corr
            row[f"{design}_verdict"] = _verdict(vd, corr, r["article"], rule)
        rows.append(row)
    return pd.DataFrame(rows)


def c1_both_readings(table: pd.DataFrame) -> dict:
    """Claim C1 ("no correlation exceeded 0.42") under each design, by the ceiling rule of
    :func:`helpers.registers.verdicts.judge_ceiling` applied pair by pair (each pair with its own n
    or
    n_eff) and combined as that function combines pairs: some pair beyond the ceiling →
    inconsistent; else some pair unsure → inconclusive; else consistent. Pairs without a
    yearly series are left out and named."""
    rule = vd.load_rules()["C1"]
    ceiling = float(claims().set_index("id").loc["C1", "value"])
    out = {}
    for design in DESIGNS:
        per_pair, missing = {}, []
        for r in table.to_dict("records"):
            corr = r[design]
            if not corr.get("computed"):
                missing.append(r["claim"])
                continue
            n = corr.get("n_eff") or corr["n"]
            if n < 4:
                missing.append(r["claim"])
                continue
            per_pair[r["claim"]] = vd.judge_ceiling({r["claim"]: corr["r"]}, int(np.floor(n)),
                                                    ceiling, rule.margin, rule.level,
                                                    rule.margin_reason)
        words = [v.verdict for v in per_pair.values()]
        if not per_pair:
            verdict = "not checkable"
        elif "inconsistent" in words:
            verdict = "inconsistent"
        elif "inconclusive" in words:
            verdict = "inconclusive"
        else:
            verdict = "consistent"
        top = max(per_pair, key=lambda c: abs(table.set_index("claim").loc[c, design]["r"]),
                  default=None)
        out[design] = {"verdict": verdict, "ceiling": ceiling, "n_pairs": len(per_pair),
                       "left_out": missing,
                       "largest": None if top is None else
                       {"claim": top, "r": table.set_index("claim").loc[top, design]["r"],
                        "interval": per_pair[top].interval},
                       "pairs": {c: v.verdict for c, v in per_pair.items()}}
    return out


def counts(table: pd.DataFrame) -> dict:
    """``{design: {verdict: n}}`` over the 15 Table 1 pairs, every verdict word listed."""
    rows = table.to_dict("records")
    return {d: {w: int(sum(r[f"{d}_verdict"]["verdict"] == w for r in rows))
                for w in vd.VERDICTS} for d in DESIGNS}


def _cell(corr: dict, verdict: dict, lang: str) -> str:
    word = say(f"verdict.{verdict['verdict']}", lang)
    if not corr.get("computed"):
        return f"— ({word})"
    n = f"n = {corr['n']}" + (f", n_eff = {number(corr['n_eff'], lang, '.1f')}"
                              if corr.get("n_eff") else "")
    return (f"{number(corr['r'], lang, '+.2f')} "
            f"{interval(corr['ci_low'], corr['ci_high'], lang, '+.2f')} ({n}): {word}")


def display_table(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The side-by-side table with headers, numbers and verdicts in ``lang`` (labels ``oy_*``
    of data/labels.csv, words of data/i18n/sentences.csv)."""
    lang = lang or current()
    return pd.DataFrame({
        label("oy_pair", lang): table["claim"].str.removeprefix("T1-"),
        label("oy_article", lang): [number(v, lang, ".3f") for v in table["article"]],
        **{label(f"oy_{d}", lang): [_cell(r[d], r[f"{d}_verdict"], lang)
                                    for r in table.to_dict("records")] for d in DESIGNS},
    })


def coverage_table(result: OverYears, lang: str | None = None) -> pd.DataFrame:
    """Years × factors: how many of the factor's indicators each year has (``k of K``), with
    the years whose composite is computed marked ``*``."""
    lang = lang or current()
    shown = result.coverage.copy()
    for f in result.factors:
        done = result.levels[f].notna()
        counts_ = [c.split(" of ") for c in shown[f]]
        shown[f] = [say("over_years.coverage", lang, k=int(k), total=int(t)) + ("*" if ok else "")
                    for (k, t), ok in zip(counts_, done, strict=True)]
    return shown.rename(columns=factor_labels(lang)).rename_axis(label("tab_year", lang))


def sentence(result: OverYears, table: pd.DataFrame, c1: dict, city_name: str,
             lang: str | None = None) -> str:
    """What the second reading shows for the city, computed from the tables (in ``lang``)."""
    lang = lang or current()
    tally = counts(table)
    used = result.levels.dropna(how="all")
    names = factor_labels(lang)
    none = [names[f] for f in result.factors if result.levels[f].isna().all()]
    head = say("over_years.head", lang, city=city_name,
               first=str(int(used.index.min())) if len(used) else "—",
               last=str(int(used.index.max())) if len(used) else "—")
    if none:
        head += " " + say("over_years.no_series", lang, factors=", ".join(none),
                          min_years=MIN_INDICATOR_YEARS)
    lines = [head + " " + say("over_years.intro", lang)]
    for design in DESIGNS:
        t = tally[design]
        lines.append(say("over_years.design_line", lang, design=label(f"oy_{design}", lang),
                         consistent=t["consistent"], inconsistent=t["inconsistent"],
                         inconclusive=t["inconclusive"], not_checkable=t["not checkable"],
                         c1=say(f"verdict.{c1[design]['verdict']}", lang)))
    lines.append(say("over_years.trend", lang) + " " + say("over_years.pls", lang))
    return "\n".join(lines)


def record(result: OverYears, table: pd.DataFrame, c1: dict) -> dict:
    """The keys notebook 03 records for the second reading (helpers/run/contract.yaml)."""
    def by_year(frame: pd.DataFrame) -> dict:
        return {f: {int(y): float(v) for y, v in frame[f].dropna().items()}
                for f in frame.columns}

    indicators = result.indicators.to_dict("records")
    return {
        "over_years": {
            "design": "one city's factor composites over its own years (the second reading of "
                      "'Астана қаласы мысалында')",
            "first_year": result.first_year, "min_years": MIN_YEARS,
            "min_indicator_years": MIN_INDICATOR_YEARS, "min_share": MIN_SHARE,
            "interval_method": INTERVAL_METHOD, "interval_note": INTERVAL_NOTE,
            "composite_method": "oriented z-scores over the city's years, mean per factor "
                                "(levels); mean of year-on-year changes of the z-scores of the "
                                "indicators published in both years (first differences)",
            "indicators": indicators, "coverage": result.coverage.to_dict(),
            "levels": by_year(result.levels), "differences": by_year(result.differences),
            "counts": counts(table), "c1": c1, "pls_note": PLS_NOTE},
        "table1_both_readings": table.to_dict("records"),
        "reading_favoured": READING,
    }


@dataclass(repr=False)
class SecondReading:
    """Notebook 03's second reading in one object: the composites, Table 1 under both readings
    and C1 per design. Shown in a notebook (``_repr_html_``) as the computed sentence, the
    coverage table and the side-by-side table, in ``lang``."""

    result: OverYears
    table: pd.DataFrame
    c1: dict
    city_name: str = ""
    lang: str | None = None

    def __repr__(self) -> str:
        return self.sentence(self.city_name or self.result.slug, self.lang)

    def _repr_html_(self) -> str:
        text = self.sentence(self.city_name or self.result.slug, self.lang)
        return (_html(text) + self.coverage(self.lang).to_html()
                + self.shown(self.lang).to_html(index=False))

    def sentence(self, city_name: str, lang: str | None = None) -> str:
        return sentence(self.result, self.table, self.c1, city_name, lang)

    def record(self) -> dict:
        return record(self.result, self.table, self.c1)

    def coverage(self, lang: str | None = None) -> pd.DataFrame:
        return coverage_table(self.result, lang)

    def shown(self, lang: str | None = None) -> pd.DataFrame:
        return display_table(self.table, lang)


def analyse(slug: str, codebook: pd.DataFrame | None = None,
            cross: pd.DataFrame | None = None, data: Path | None = None, city_name: str = "",
            lang: str | None = None, national: pd.DataFrame | None = None) -> SecondReading:
    """The second reading for ``slug``: :func:`over_years` (``national``: as in
    :func:`city_indicators`), :func:`both_readings` against the cross-section table ``cross``
    (notebook 03's :func:`helpers.stats.correlation_table`; computed here when not given) and
    :func:`c1_both_readings`."""
    book = load_codebook(data=data) if codebook is None else codebook
    if cross is None:
        columns = {f: factor_columns(book)[f] for f in article.FACTOR_IDS}
        composites = factor_composites(oriented(cross_section(codebook=book, data=data), book),
                                       columns, article.FACTOR_IDS)
        cross = correlation_table(composites, ("pearson",))
    result = over_years(slug, book, data, national=national)
    table = both_readings(result, cross)
    return SecondReading(result, table, c1_both_readings(table), city_name, lang)


def _html(text: str) -> str:
    """The computed sentence's light markdown (``**bold**``, ``- `` list lines) as HTML."""
    out, items = [], []
    for line in text.split("\n"):
        body = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(line))
        if line.startswith("- "):
            items.append(f"<li>{body[2:]}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        out.append(f"<p>{body}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out)
