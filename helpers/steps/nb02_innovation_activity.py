"""Figure 2 of the article: innovation activity, its national trend, and the article's numbers.

* :func:`linear_trend` — ordinary least squares of a value on the year, with R²;
* :func:`national_series` — Kazakhstan's innovation-activity level, one point per year, from the
  quoted series (``data/secondary/innovation_activity_quoted.csv``) and the official 2022 table;
* :func:`regions_2022` — the 20 regions' official 2022 levels (all and small enterprises), ranked;
* :func:`figure2_verdicts` — the article's Figure-2 claims (C2–C5 of ``data/article/claims.csv``)
  against what the data allow;
* the three-panel exhibit ``fig02_innovation-activity`` is drawn by :mod:`helpers.plots.fig02`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.registers import verdicts as vd
from helpers.registers.article import claims, figure2
from helpers.registers.data import load_official, load_secondary
from helpers.registers.i18n import SOURCE_LANGUAGE, Message, current, readable, say, written
from helpers.registers.labels import LABELS, LANGUAGES, label
from helpers.registers.regions import Region, analysis_regions, region_by_slug

INDICATOR = "innovation_activity_level"
SMALL = "innovation_activity_small"
QUOTED = "innovation_activity_quoted"
CONFIDENCE_ORDER = {"high": 0, "medium-high": 1, "medium": 2, "low": 3}
NEXT_EDITION = "2024-05-20"
"""Announced publication date of the BNS innovation bulletin with 2023 data (data/SOURCES.md)."""
ARTICLE_YEAR = 2023


@dataclass(frozen=True)
class TrendFit:
    """A straight line value = intercept + slope · year, fitted by least squares."""

    slope: float
    intercept: float
    r2: float
    n_points: int
    years: tuple[int, ...]

    def predict(self, years) -> np.ndarray:
        return self.intercept + self.slope * np.asarray(years, dtype=float)

    def as_dict(self, prefix: str = "trend") -> dict:
        return {f"{prefix}_slope": self.slope, f"{prefix}_intercept": self.intercept,
                f"{prefix}_r2": self.r2, f"{prefix}_n_points": self.n_points,
                f"{prefix}_years": list(self.years)}


def linear_trend(years, values) -> TrendFit:
    """Least-squares line through (year, value) points.

    slope b = Σ(t − t̄)(y − ȳ) / Σ(t − t̄)², intercept a = ȳ − b·t̄,
    R² = 1 − Σ(y − a − b·t)² / Σ(y − ȳ)²  (the squared Pearson correlation of t and y).

    Needs at least three points with two distinct years and values that are not all equal
    (with two points R² is 1 by construction and says nothing).
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    if t.shape != y.shape or t.ndim != 1:
        raise ValueError(f"years and values must be 1-D and equally long, got {t.shape} and "
                         f"{y.shape}.")
    if not (np.isfinite(t).all() and np.isfinite(y).all()):
        raise ValueError("years and values must be finite numbers (drop missing points first).")
    if len(t) < 3 or np.ptp(t) == 0:
        raise ValueError(f"A trend needs at least 3 points in 2 or more distinct years; got "
                         f"{len(t)} point(s), years {sorted(set(t.astype(int).tolist()))}.")
    dt, dy = t - t.mean(), y - y.mean()
    ss_tot = float(dy @ dy)
    if ss_tot == 0:
        raise ValueError("All values are equal: R² is undefined for a flat series.")
    slope = float(dt @ dy / (dt @ dt))
    intercept = float(y.mean() - slope * t.mean())
    residual = y - (intercept + slope * t)
    r2 = 1.0 - float(residual @ residual) / ss_tot
    return TrendFit(slope, intercept, r2, len(t), tuple(int(v) for v in t))


def national_series(region: Region | str = "kazakhstan") -> pd.DataFrame:
    """The innovation-activity level of ``region`` by year, one point per year.

    Official values (``data/official/innovation_2022.csv``) come first; for other years the
    quoted rows are used. When several sources quote the same year, the row of the highest
    confidence is kept (file order among equals) and ``n_sources`` says how many quoted it.
    Columns: ``year, value, kind (official/quoted), confidence, source, n_sources``.
    """
    slug = region_by_slug(region).slug
    official = load_official("innovation_2022")
    official = official[(official["region"] == slug) & (official["indicator"] == INDICATOR)]
    quoted = load_secondary(QUOTED)
    quoted = quoted[(quoted["region"] == slug) & (quoted["indicator"] == INDICATOR)
                    & quoted["year"].notna()]
    rows = [{"year": int(r.year), "value": float(r.value), "kind": "official",
             "confidence": "high", "source": "official/innovation_2022", "n_sources": 1}
            for r in official.itertuples()]
    done = {r["year"] for r in rows}
    for year, group in quoted.groupby("year", sort=True):
        if int(year) in done:
            continue
        ranked = group.assign(_rank=group["confidence"].map(CONFIDENCE_ORDER))
        best = ranked.sort_values("_rank", kind="stable").iloc[0]
        rows.append({"year": int(year), "value": float(best["value"]), "kind": "quoted",
                     "confidence": best["confidence"], "source": best["source"],
                     "n_sources": len(group)})
    return pd.DataFrame(rows).sort_values("year").reset_index(drop=True)


def regions_2022() -> pd.DataFrame:
    """The 20 regions' official 2022 levels (all and small enterprises) with their rank.

    Index: region slug. Columns: ``value, small, rank`` (1 = highest; ties share the best rank).
    """
    df = load_official("innovation_2022")
    wide = df[df["indicator"].isin([INDICATOR, SMALL])].pivot(index="region", columns="indicator",
                                                              values="value")
    slugs = [r.slug for r in analysis_regions()]
    missing = [s for s in slugs if s not in wide.index or pd.isna(wide.loc[s, INDICATOR])]
    if missing:
        raise ValueError(f"official/innovation_2022.csv has no {INDICATOR} for {missing}.")
    out = wide.reindex(slugs).rename(columns={INDICATOR: "value", SMALL: "small"})
    out["rank"] = out["value"].rank(ascending=False, method="min").astype(int)
    out.index.name = "region"
    return out[["value", "small", "rank"]]


def official_national_2022() -> float:
    """Kazakhstan's official 2022 innovation-activity level."""
    df = load_official("innovation_2022")
    hit = df[(df["region"] == "kazakhstan") & (df["indicator"] == INDICATOR)]["value"]
    if len(hit) != 1:
        raise ValueError("official/innovation_2022.csv should hold one national level for 2022.")
    return float(hit.iloc[0])


def article_values() -> dict[str, float]:
    """The article's Figure-2 values by region slug (Astana 14.2, Almaty 11.8)."""
    values = figure2()
    return {slug: values[slug] for slug in ("astana", "almaty")}


def matching_values(slug: str, value: float, tol: float = 0.05) -> list[str]:
    """Every official 2022 innovation indicator and quoted point of ``slug`` equal to ``value``
    (within ``tol``), as ``'<indicator> <year>'`` strings."""
    official = load_official("innovation_2022")
    quoted = load_secondary(QUOTED)
    found = []
    for df in (official, quoted):
        rows = df[(df["region"] == slug) & ((df["value"] - value).abs() <= tol)]
        found += [f"{r.indicator} {r.year}" for r in rows.itertuples()]
    return sorted(set(found))


def matched_names(matches: list[str]) -> dict[str, str]:
    """The values :func:`matching_values` found (``'<indicator> <year>'``), written for a reader
    in every language: the indicator's label from ``data/labels.csv`` (``ind_<indicator>``) and
    the year, ``'; '`` between them; an indicator without a label keeps its id."""

    def name(match: str, lang: str) -> str:
        indicator, year = match.rsplit(" ", 1)
        key = f"ind_{indicator}"
        return f"{label(key, lang)} ({year})" if key in LABELS else match

    return {lang: "; ".join(name(m, lang) for m in matches) for lang in LANGUAGES}


def _years_text(years) -> str:
    return ", ".join(str(y) for y in years)


def _steps(values: pd.Series, years: list[int]) -> Message:
    """'in no step' or 'in 2014→2015, …' for the steps that end in ``years``."""
    if not years:
        return Message("innovation.steps_none")
    index = list(values.index)
    return Message("innovation.steps",
                   steps=", ".join(f"{index[index.index(y) - 1]}→{y}" for y in years))


def figure2_verdicts(series: pd.DataFrame, fit: TrendFit, regions: pd.DataFrame) -> dict:
    """Verdicts on claims C2–C5 (:data:`helpers.registers.verdicts.VERDICTS`) with their reasons:
    ``reason`` in English (the machine record) and ``message`` (the catalogue key and values of
    the same sentence, :class:`helpers.registers.i18n.Message`) for every other language."""
    book = claims().set_index("id")
    article = figure2()
    verdicts = {}
    edition = {"label": article["year_label"], "year": str(ARTICLE_YEAR), "date": NEXT_EDITION}
    for cid, slug in (("C2", "astana"), ("C3", "almaty")):
        value = float(book.loc[cid, "value"])
        official, small = regions.loc[slug, "value"], regions.loc[slug, "small"]
        matches = matching_values(slug, value)
        match = (Message("innovation.match", value=value, matches=matched_names(matches))
                 if matches else Message("innovation.no_match", value=value, slug=vd.name(slug)))
        traced = bool(matches) and abs(value - float(official)) > 0.05
        # a value traced to another official quantity (e.g. small enterprises) is not the
        # all-enterprise level the article names: the published figure excludes it
        message = Message("innovation.reason_value_traced" if traced else
                          "innovation.reason_value", value=value, official=float(official),
                          small=float(small), match=match, **edition)
        verdicts[cid] = {
            "verdict": "inconsistent" if traced else "not checkable",
            "finding": "traced to a different quantity" if traced else "",
            "article": value,
            "official_total_2022": float(official),
            "official_small_2022": float(small),
            "matches": matches,
            "reason": message.text(SOURCE_LANGUAGE),
            "message": message.as_dict(),
        }
    first = fit.years[0]
    full = list(range(first, ARTICLE_YEAR + 1))
    absent = [y for y in full if y not in set(series["year"])]
    message = Message("innovation.reason_c4", article_r2=float(article["r2"]), first=str(first),
                      last=str(ARTICLE_YEAR), absent=len(absent), full=len(full),
                      absent_years=_years_text(absent), n=fit.n_points,
                      years=_years_text(fit.years), r2=fit.r2)
    verdicts["C4"] = {
        "verdict": "not checkable",
        "article": float(article["r2"]),
        "this_study": fit.r2,
        "reason": message.text(SOURCE_LANGUAGE),
        "message": message.as_dict(),
    }
    values = series.set_index("year")["value"]
    steps = values.diff().dropna()
    falls = [int(y) for y in steps.index[steps < 0]]
    flats = [int(y) for y in steps.index[steps == 0]]
    gaps = [y for y in range(int(values.index.min()), int(values.index.max()) + 1)
            if y not in values.index]
    if falls:
        verdict = "inconsistent"
    elif flats or gaps:
        verdict = "not checkable"
    else:
        verdict = "consistent"
    message = Message("innovation.reason_c5", falls=_steps(values, falls),
                      flats=_steps(values, flats), n_gaps=len(gaps),
                      first=str(int(values.index.min())), last=str(int(values.index.max())),
                      gaps=_years_text(gaps) or Message("word.none"))
    verdicts["C5"] = {
        "verdict": verdict,
        "falls_in": falls,
        "flat_in": flats,
        "missing_years": gaps,
        "reason": message.text(SOURCE_LANGUAGE),
        "message": message.as_dict(),
    }
    return verdicts


def verdict_lines(verdicts: dict, lang: str | None = None) -> list[str]:
    """``"C2 — <verdict>: <reason>"`` per claim, in ``lang`` (default: the notebook's)."""
    return [say("innovation.verdict_line", lang, id=cid, v=say(f"verdict.{v['verdict']}", lang),
                why=written(v["message"], lang)) for cid, v in verdicts.items()]


def summary_sentence(verdicts: dict, fit: TrendFit, article_r2: float,
                     lang: str | None = None) -> str:
    """One computed sentence on what can and cannot be confirmed about Figure 2, in ``lang``
    (default: the notebook's; the record keeps ``lang="en"``)."""
    c2, c3 = verdicts["C2"], verdicts["C3"]
    almaty_match = Message("innovation.almaty_small" if any(
        m.startswith(SMALL) for m in c3["matches"]) else "innovation.almaty_none")
    astana_match = (Message("innovation.astana_equals", matches=", ".join(c2["matches"]))
                    if c2["matches"] else Message("innovation.astana_none"))
    return say("innovation.summary", lang, year=str(ARTICLE_YEAR), date=NEXT_EDITION,
               almaty=c3["article"], almaty_match=almaty_match, small=c3["official_small_2022"],
               total=c3["official_total_2022"], astana=c2["article"], astana_match=astana_match,
               astana_total=c2["official_total_2022"], n=fit.n_points,
               years=_years_text(fit.years), r2=fit.r2, article_r2=float(article_r2))


def city_sentence(me, regions, national: float, region, lang: str | None = None) -> str:
    """Where the city stands among the regions on innovation activity in 2022 (notebook 02)."""
    lang = lang or current()
    return say("innovation.city", lang, city=region.name(lang), value=float(me["value"]),
               small=float(me["small"]), rank=int(me["rank"]), n=len(regions),
               national=float(national), diff=float(me["value"] - national),
               above=int((regions["value"] > national).sum()))


def trend_sentence(fit: TrendFit, fit_all: TrendFit, article_r2: float,
                   lang: str | None = None) -> str:
    """The national trend from 2013 and on every point, beside the article's R² (notebook 02)."""
    return say("innovation.trend", lang, n=fit.n_points, years=_years_text(fit.years),
               slope=fit.slope, r2=fit.r2, n_all=fit_all.n_points, first=str(fit_all.years[0]),
               last=str(fit_all.years[-1]), slope_all=fit_all.slope, r2_all=fit_all.r2,
               article_r2=float(article_r2))


def article_value_sentence(values: dict, slug: str, me, year_label: str, region,
                           lang: str | None = None) -> str:
    """The article's value for the city beside the official 2022 ones (notebook 02)."""
    lang = lang or current()
    if slug in values:
        return say("innovation.article_value", lang, article=float(values[slug]),
                   label=year_label, value=float(me["value"]), small=float(me["small"]))
    return say("innovation.no_article_value", lang, city=region.name(lang),
               value=float(me["value"]))


def series_table(series: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The national series for reading in ``lang``, a row per year: headers and words from
    ``data/labels.csv``, numbers written the language's way."""
    lang = lang or current()
    shown = series[["year", "value", "kind", "confidence", "n_sources"]].assign(
        kind=[label(f"kind_{k}", lang) for k in series["kind"]],
        confidence=[label(f"confidence_word_{c}", lang) for c in series["confidence"]])
    return readable(shown, lang).rename(columns={c: label(c, lang) for c in shown.columns}
                                        ).set_index(label("year", lang))


def comparison_table(regions: pd.DataFrame, values: dict, lang: str | None = None
                     ) -> pd.DataFrame:
    """The article's values beside the official 2022 levels of their cities, for reading."""
    lang = lang or current()
    shown = regions.loc[list(values), ["value", "small"]].assign(article=list(values.values()))
    shown.index = [region_by_slug(slug).name(lang) for slug in shown.index]
    shown.index.name = label("region", lang)
    shown.columns.name = None
    return readable(shown, lang).rename(columns={"value": label("col_value_total", lang),
                                                 "small": label("col_small", lang),
                                                 "article": label("article", lang)})
