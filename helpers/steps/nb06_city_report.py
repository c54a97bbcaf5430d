"""A city's profile: its indicators and ranks among the 20 regions, factor scores, time series.

Used by ``notebooks/06_city_report.ipynb``. Everything works for any of the 20 regions; the
five study cities only add the article's statements (``data/article/city_statements.csv``).

Ranks. For indicator *j* with values x_1 … x_n (n = 20 regions), the oriented value is
x̃ = x for 'higher_better' and x̃ = −x for 'lower_better' (codebook column ``direction``); the rank
of region i is 1 + #{k : x̃_k > x̃_i} (rank 1 = best; ties share the best rank). Missing values
get no rank.

Factor composites (``helpers.stats.factor_composites``, as in notebook 03). For factor F with
oriented indicators j ∈ F, z_ij = (x̃_ij − mean_j) / sd_j (sd with n − 1) and the composite is
s_iF = mean_j z_ij over the indicators the region has. The
national median is the median of s_iF over the 20 regions; a city's distance from it is
s_iF − median_F (in standard deviations of the indicators).

Time series (official, from :func:`helpers.registers.data.time_series`), from 2013 (the first year
of the
article's innovation statistics) to the last published year, each in the form stated in
:data:`SERIES`: GRP per capita as published (already per resident), population as an index
(base year = 100), emissions and environmental spending per resident at 1 January of the year
(so that the territory of numerator and denominator agree in every year, also across a boundary
change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.registers import article, i18n
from helpers.registers.data import (
    cross_section,
    factor_columns,
    load_city_official,
    load_codebook,
    load_official,
    mean_population,
    oriented,
    read_table,
    time_series,
)
from helpers.registers.i18n import SOURCE_LANGUAGE, Message, current, say
from helpers.registers.labels import LANGUAGES, factor_codes, factor_labels, label
from helpers.registers.paths import DATA, NATIONAL
from helpers.registers.quality import FLAG, flag, load_rules, reasons
from helpers.registers.regions import (
    Region,
    analysis_regions,
    city_by_slug,
    load_cities,
    main_city,
    region_by_slug,
)
from helpers.run import cache
from helpers.stats import factor_composites
from helpers.steps.nb08_reproduction_report import load_results

FIRST_YEAR = 2013
"""The time series start here (innovation statistics follow international rules since 2013)."""

STATEMENTS = DATA / "article" / "city_statements.csv"
STATEMENT_COLUMNS = ("id", "regions", "kind", "text_en", "quote_kk", "article_value", "unit",
                     "year_label", "data_check", "location")
CHECK_KINDS = ("official", "rank", "factor_rank", "factor_ranks", "none")


@dataclass(frozen=True)
class Series:
    """One time-series panel: which official indicator, and the form it is shown in."""

    indicator: str
    form: str  # "level", "index" or "per_capita"
    scale: float  # multiplies the published value before division by population (per_capita)
    label_key: str
    unit: str  # the unit as shown
    name: str  # in sentences


SERIES = (
    Series("grp_per_capita", "level", 1.0, "profile_ts_grp", "thousand KZT per resident",
           "GRP per capita"),
    Series("population", "index", 1.0, "profile_ts_population", "index, base year = 100",
           "population"),
    Series("emissions_stationary", "per_capita", 1e6, "profile_ts_emissions",
           "kg per resident", "emissions from stationary sources"),  # thousand t → kg
    Series("env_protection_current_costs", "per_capita", 1e3, "profile_ts_env_costs",
           "KZT per resident", "environmental-protection current costs"),  # thousand KZT → KZT
)

COVERAGE_BREAKS = {
    # (region, indicator): (first comparable year, note). Source: the emissions workbook shows
    # Almaty city at 12.4 thousand t in 2013 and 43.5 in 2014 — a change of what was counted,
    # not of the air (a coverage change in the source; see data/boundaries.csv).
    ("almaty", "emissions_stationary"): (2014, "coverage change in the source between 2013 and "
                                               "2014"),
}
BOUNDARY_LABELS = {"karaganda": "profile_break_ulytau", "east-kazakhstan": "profile_break_abai",
                   "almaty-region": "profile_break_zhetisu"}
CENSUS_YEAR = 2022  # population at 1 Jan 2022 is re-based on the 2021 census


# ----------------------------------------------------------------------------------------------
# Ranks and factor composites
# ----------------------------------------------------------------------------------------------

def ranks(cs: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Regions × indicators: rank 1 = best (direction applied), ties share the best rank."""
    unknown = [c for c in cs.columns if c not in set(codebook["column"])]
    if unknown:
        raise ValueError(f"Column(s) {unknown} of the cross-section are not in the codebook "
                         f"(columns: {list(codebook['column'])}).")
    return oriented(cs, codebook).rank(ascending=False, method="min").astype("Int64")


def composites(cs: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Regions × constructs: the composites of notebook 03 (``helpers.stats.factor_composites``).

    s_iF = mean over j ∈ F of the z-scores of the oriented indicators; every construct of the
    codebook, the outcome ``adaptation`` included.
    """
    return factor_composites(oriented(cs, codebook), factor_columns(codebook))


def factor_table(scores: pd.DataFrame, slug: str) -> pd.DataFrame:
    """One row per construct: the city's score, the 20 regions' median, the difference, rank
    (constructs by id; their names in a language are added where they are shown).

    Rank: 1 = highest composite among the regions (ties share the best rank).
    """
    _require_region(scores, slug)
    codes = article.factors().set_index("id")["code_kk"]
    rank = scores.rank(ascending=False, method="min")
    median = scores.median()
    rows = []
    for factor in scores.columns:
        rows.append({"factor": factor, "code": codes[factor],
                     "score": float(scores.loc[slug, factor]), "median": float(median[factor]),
                     "vs_median": float(scores.loc[slug, factor] - median[factor]),
                     "rank": int(rank.loc[slug, factor]), "n": int(scores[factor].notna().sum())})
    return pd.DataFrame(rows).set_index("factor")


def indicator_table(cs: pd.DataFrame, codebook: pd.DataFrame, slug: str) -> pd.DataFrame:
    """One row per indicator: factor, label, unit, direction, the city's value, median, rank."""
    _require_region(cs, slug)
    book = codebook.drop_duplicates("column").set_index("column")
    r = ranks(cs, codebook)
    rows = []
    for column in cs.columns:
        meta = book.loc[column]
        rows.append({"indicator": column, "factor": meta["factor_id"], "label_en": meta["label_en"],
                     "unit": meta["unit"], "direction": meta["direction"],
                     "proxy_strength": meta["proxy_strength"],
                     "value": float(cs.loc[slug, column]), "median": float(cs[column].median()),
                     "rank": None if pd.isna(r.loc[slug, column]) else int(r.loc[slug, column]),
                     "n": int(cs[column].notna().sum())})
    return pd.DataFrame(rows).set_index("indicator")


def _require_region(df: pd.DataFrame, slug: str) -> None:
    if slug not in df.index:
        raise KeyError(f"Region {slug!r} is not in the table; regions: {list(df.index)}.")


def strengths_and_gaps(table: pd.DataFrame, k: int = 3,
                       exclude: tuple[str, ...] = ("adaptation",)) -> tuple[list[str], list[str]]:
    """The k best-ranked and the k worst-ranked indicators (ties broken by the table's order).

    The outcome (``adaptation``) is left out: it is what the factors should explain.
    """
    t = table[~table["factor"].isin(exclude) & table["rank"].notna()].copy()
    t["order"] = np.arange(len(t))
    best = t.sort_values(["rank", "order"], kind="stable").index[:k]
    worst = t.sort_values(["rank", "order"], ascending=[False, True], kind="stable").index[:k]
    return list(best), list(worst)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def rank_sentence(table: pd.DataFrame, names: list[str], n: int, lang: str | None = None) -> str:
    """'higher education (rank 1 of 20), …' for the indicators ``names``."""
    lang = lang or current()
    parts = [say("profile.rank_item_lower" if table.loc[c, "direction"] == "lower_better"
                 else "profile.rank_item", lang,
                 name=_lower_first(table.loc[c, "label_en"] if lang == "en"
                                   else label(f"ind_{c}", lang)),
                 rank=int(table.loc[c, "rank"]), n=n)
             for c in names]
    return "; ".join(parts)


# ----------------------------------------------------------------------------------------------
# Time series
# ----------------------------------------------------------------------------------------------

def series_table(region: Region | str, first_year: int = FIRST_YEAR) -> pd.DataFrame:
    """The four panels' data for ``region`` and Kazakhstan, long format.

    Columns: ``indicator, form, region, year, value, raw, unit (published), shown_unit,
    base_year, boundary_note``. For the index form the base year is the first year from
    ``first_year`` on in which both the region and Kazakhstan have a value.
    """
    slug = region_by_slug(region).slug
    wanted = list(dict.fromkeys([s.indicator for s in SERIES] + ["population"]))
    everything = time_series(slug, wanted)
    population = everything[everything["indicator"] == "population"].pivot(
        index="year", columns="region", values="value").astype(float)
    frames = []
    for s in SERIES:
        df = everything[(everything["indicator"] == s.indicator)
                        & (everything["year"] >= first_year)].copy()
        if not (df["region"] == slug).any():
            raise ValueError(f"No official {s.indicator} series for {slug} from {first_year}.")
        df["raw"] = df["value"].astype(float)
        base = None
        if s.form == "per_capita":
            at_start = [population.at[y, r] if y in population.index else np.nan
                        for y, r in zip(df["year"], df["region"], strict=True)]
            df["value"] = df["raw"] * s.scale / np.asarray(at_start, dtype=float)
        elif s.form == "index":
            years = [set(df.loc[df["region"] == r, "year"]) for r in (slug, "kazakhstan")]
            base = int(min(years[0] & years[1]))
            at_base = df[df["year"] == base].set_index("region")["raw"]
            df["value"] = 100 * df["raw"] / df["region"].map(at_base).astype(float)
        df["form"] = s.form
        df["shown_unit"] = s.unit
        df["base_year"] = base
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["value"] = out["value"].astype(float)
    return out[["indicator", "form", "region", "year", "value", "raw", "unit", "shown_unit",
                "base_year", "boundary_note"]]


def series_breaks(series: pd.DataFrame, region: Region | str) -> pd.DataFrame:
    """Breaks to annotate on the charts: ``indicator, year, kind, label_key, note``.

    Kinds: ``start`` (the region's series begins after Kazakhstan's, e.g. Shymkent in 2018),
    ``boundary`` (first year of today's territory, e.g. Karaganda without Ulytau from 2022),
    ``coverage`` (a known change of what the source counts, e.g. Almaty's emissions 2013→2014),
    ``census`` (population re-based on the 2021 census at 1 January 2022, all regions).
    """
    slug = region_by_slug(region).slug
    rows = []
    for indicator, df in series.groupby("indicator", sort=False):
        own, nat = df[df["region"] == slug], df[df["region"] == "kazakhstan"]
        if own["year"].min() > nat["year"].min():
            y = int(own["year"].min())
            rows.append((indicator, y, "start", "profile_break_start",
                         f"the official series for {slug} begins in {y}"))
        noted = own.loc[own["boundary_note"] != "", "year"]
        if len(noted) and (own["year"] > noted.max()).any():
            y = int(own.loc[own["year"] > noted.max(), "year"].min())
            rows.append((indicator, y, "boundary", BOUNDARY_LABELS.get(slug, "profile_break_"
                                                                        "boundary"),
                         f"the territory changes in {y} "
                         f"(the years {own['year'].min()}–{y - 1}: "
                         f"{own['boundary_note'].iloc[0]})"))
        if (slug, indicator) in COVERAGE_BREAKS:
            y, note = COVERAGE_BREAKS[(slug, indicator)]
            if own["year"].min() < y <= own["year"].max():
                rows.append((indicator, y, "coverage", "profile_break_coverage", note))
        if indicator == "population" and own["year"].min() < CENSUS_YEAR <= own["year"].max():
            rows.append((indicator, CENSUS_YEAR, "census", "profile_break_census",
                         "population at 1 January 2022 re-based on the 2021 census"))
    return pd.DataFrame(rows, columns=["indicator", "year", "kind", "label_key", "note"])


def series_summary(series: pd.DataFrame, breaks: pd.DataFrame, region: Region | str) -> dict:
    """Per indicator and place: first/last year and value, growth (last/first − 1, %), CAGR (%).

    ``comparable`` is False when a boundary or coverage break lies inside the region's window
    (its growth then mixes two territories or two definitions).
    """
    slug = region_by_slug(region).slug
    out = {}
    for indicator, df in series.groupby("indicator", sort=False):
        entry = {"form": df["form"].iloc[0], "unit": df["shown_unit"].iloc[0],
                 "published_unit": df["unit"].iloc[0],
                 "base_year": None if pd.isna(df["base_year"].iloc[0])
                 else int(df["base_year"].iloc[0])}
        for place, key in ((slug, "city"), ("kazakhstan", "kazakhstan")):
            p = df[df["region"] == place].sort_values("year")
            first, last = p.iloc[0], p.iloc[-1]
            span = int(last["year"] - first["year"])
            growth = last["value"] / first["value"] - 1
            entry[key] = {"first_year": int(first["year"]), "last_year": int(last["year"]),
                          "first": float(first["value"]), "last": float(last["value"]),
                          "growth_pct": float(100 * growth),
                          "cagr_pct": float(100 * ((1 + growth) ** (1 / span) - 1)) if span
                          else None}
        b = breaks[(breaks["indicator"] == indicator)
                   & breaks["kind"].isin(["boundary", "coverage"])]
        if entry["base_year"] is not None:
            entry["unit"] = f"index, {entry['base_year']} = 100"
        entry["comparable"] = bool(b.empty)
        entry["breaks"] = list(b["note"])
        out[indicator] = entry
    return out


# ----------------------------------------------------------------------------------------------
# City-level observations (data/official/cities): the city, not the region
# ----------------------------------------------------------------------------------------------

CITY_INDICATORS = ("housing_price_new", "housing_price_resale", "pm25_annual_mean")
"""City-level series shown in the report (BNS housing prices by city; SDG 11.6.2 PM2.5)."""

REGION_COUNTERPARTS = {
    # city indicator: (regional official table, indicator, normalisation shown)
    "housing_price_new": ("household_expenditure", "household_expenditure_per_capita"),
    "pm25_annual_mean": ("emissions_stationary", "emissions_stationary"),
}
"""The region's own figure set beside a city figure: what the regional statistics offer on the
same theme (household spending beside housing prices; industrial emissions beside the air)."""


def city_observations(region: Region | str, data: Path | None = None) -> pd.DataFrame:
    """The latest city-level value of each :data:`CITY_INDICATORS` series for the cities of
    ``region``, with its standing among all cities published that year.

    Columns: ``level`` ("city"), ``place`` (city slug), ``name``, ``indicator``, ``year``,
    ``value``, ``unit``, ``n_places`` (cities with an unflagged value that year), ``position``
    (1 = the highest value among them; ``None`` when the city's own value is flagged),
    ``kazakhstan`` (the national value that year, if published), ``main`` (the city the ranking of
    smart cities names for the region), ``quality_flag`` (the data-quality rules the value breaks,
    ``data/specs/quality_rules.csv``). A flagged value is shown as published and never ranked;
    flagged values of other cities are left out of the ranking. Cities are ordered main city
    first, then by name.
    """
    reg = region_by_slug(region)
    folder = (data or DATA) / "official" / "cities"
    obs = flag(load_city_official(None, folder))
    obs = obs[obs["indicator"].isin(CITY_INDICATORS)]
    names = {c.slug: c for c in load_cities()}
    mine = obs[(obs["region"] == reg.slug) & (obs["city"] != "")]
    rows = []
    for (city, indicator), g in mine.groupby(["city", "indicator"], sort=False):
        last = g.sort_values("year").iloc[-1]
        year = int(last["year"])
        peers = obs[(obs["indicator"] == indicator) & (obs["year"] == year) & (obs["city"] != "")
                    & (obs[FLAG] == "")]
        national = obs[(obs["indicator"] == indicator) & (obs["year"] == year)
                       & (obs["region"] == "kazakhstan")]
        name = names[city].name_en
        rows.append({"level": "city", "place": city, "name": name, "indicator": indicator,
                     "year": year, "value": float(last["value"]), "unit": last["unit"],
                     "n_places": int(peers["city"].nunique()),
                     "position": None if last[FLAG]
                     else int(1 + (peers["value"] > last["value"]).sum()),
                     "kazakhstan": float(national["value"].iloc[0]) if len(national) else None,
                     "main": bool(reg.ranking_city_en)
                     and name.split(" (")[0] == reg.ranking_city_en,
                     "quality_flag": last[FLAG]})
    columns = ["level", "place", "name", "indicator", "year", "value", "unit", "n_places",
               "position", "kazakhstan", "main", "quality_flag"]
    out = pd.DataFrame(rows, columns=columns)
    order = {ind: i for i, ind in enumerate(CITY_INDICATORS)}
    out["_order"] = out["indicator"].map(order)
    out = out.sort_values(["main", "name", "_order"], ascending=[False, True, True],
                          kind="stable")
    out["position"] = out["position"].astype("Int64")
    return out.drop(columns="_order").reset_index(drop=True)


def city_flags(region: Region | str, data: Path | None = None,
               observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every flagged city-level value of the region's main city (all years), with its rules.

    Columns: ``place, indicator, year, value, unit, quality_flag, reason``. The values stay in
    ``data/official/cities`` as published; the city report lists them and ranks none of them.
    ``observations``: :func:`city_observations` of the region and data, when already computed.
    """
    main = city_observations(region, data) if observations is None else observations
    main = main[main["main"]]
    columns = ["place", "indicator", "year", "value", "unit", FLAG, "reason"]
    if main.empty:
        return pd.DataFrame(columns=columns)
    obs = flag(load_city_official(None, (data or DATA) / "official" / "cities"))
    hit = obs[obs["city"].isin(set(main["place"])) & obs["indicator"].isin(CITY_INDICATORS)
              & (obs[FLAG] != "")].sort_values(["indicator", "year"], kind="stable")
    out = hit.rename(columns={"city": "place"})[columns[:-1]].copy()
    out["reason"] = [reasons(f, lang="en") for f in out[FLAG]]  # the record stays English
    return out.reset_index(drop=True)


def city_beside_region(region: Region | str, data: Path | None = None,
                       observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The main city's figures (:func:`city_observations`) and, beside each, the region's own
    figure on the same theme (:data:`REGION_COUNTERPARTS`), in one table with a ``level``
    column ("city" / "region") so that no number is mistaken for the other.

    Region rows: ``place`` = region slug, ``position`` = rank among the 20 regions (1 = the
    highest value), per-resident where the table is a total (mean population of the year).
    ``observations``: :func:`city_observations` of the region and data, when already computed.
    """
    reg = region_by_slug(region)
    cities = city_observations(reg.slug, data) if observations is None else observations
    main = cities[cities["main"]] if cities["main"].any() else cities.iloc[0:0]
    rows = []
    regions = [r.slug for r in analysis_regions()]
    for r in main.to_dict("records"):
        rows.append(r)
        if r["indicator"] not in REGION_COUNTERPARTS:
            continue
        table, indicator = REGION_COUNTERPARTS[r["indicator"]]
        df = flag(load_official(table, (data or DATA) / "official"), table)
        df = df[(df["indicator"] == indicator) & df["region"].isin(regions) & (df[FLAG] == "")]
        year = int(df["year"].max())
        values = df[df["year"] == year].set_index("region")["value"]
        unit = df["unit"].iloc[0]
        if indicator == "emissions_stationary":  # thousand t → kg per resident
            values = values * 1e6 / mean_population(year, data).reindex(values.index)
            unit = "kg per resident"
        rows.append({"level": "region", "place": reg.slug, "name": reg.name_en,
                     "indicator": indicator if indicator != "emissions_stationary"
                     else "emissions_stationary_per_capita",
                     "year": year, "value": float(values[reg.slug]), "unit": unit,
                     "n_places": int(values.notna().sum()),
                     "position": int(1 + (values > values[reg.slug]).sum()),
                     "kazakhstan": None, "main": False, "quality_flag": ""})
    out = pd.DataFrame(rows, columns=list(cities.columns))
    out["position"] = out["position"].astype("Int64")
    return out


def city_level_sentence(table: pd.DataFrame, region, flags: pd.DataFrame | None = None) -> str:
    """Says which numbers are the city's and which the region's, and which values are flagged
    by a data-quality rule (``flags`` from :func:`city_flags`; computed when not given)."""
    lang = current()
    if table.empty:
        return say("profile.city_level_none", lang, region=region.name(lang))
    city_rows = table.loc[table["level"] == "city"]
    city = (_city_name(city_rows["place"].iloc[0], lang) if lang != "en" and "place" in table
            else city_rows["name"].iloc[0])
    if region.is_city:
        text = say("profile.city_level_city", lang, city=city)
    else:
        text = say("profile.city_level_region", lang, city=city, region=region.name(lang))
    return text + quality_sentence(table, city_flags(region.slug) if flags is None else flags)


def quality_sentence(table: pd.DataFrame, flags: pd.DataFrame, lang: str | None = None) -> str:
    """The data-quality note under the city-level table: which values are flagged, by which rule
    (``data/specs/quality_rules.csv``), and that they are shown as published but not ranked."""
    if flags.empty:
        return ""

    lang = lang or current()
    rules = load_rules().set_index("rule")
    by_rule: dict[str, dict[str, list[str]]] = {}
    for r in flags.to_dict("records"):
        for rule in r["quality_flag"].split(";"):
            by_rule.setdefault(rule, {}).setdefault(label(f"ind_{r['indicator']}", lang), []) \
                .append(say("quality.value", lang, year=str(r["year"]), value=float(r["value"])))
    parts = [say("quality.rule", lang, rule=rule, reason=rules.loc[rule, f"reason_{lang}"],
                 values="; ".join(f"{name}: {', '.join(v)}" for name, v in values.items()))
             for rule, values in by_rule.items()]
    shown = table[(table["level"] == "city") & (table["quality_flag"] != "")]
    latest = "" if shown.empty else " " + say("quality.latest", lang)
    return "\n\n" + say("quality.head", lang) + " " + "; ".join(parts) + "." + latest


# ----------------------------------------------------------------------------------------------
# The article's statements about the cities
# ----------------------------------------------------------------------------------------------

def load_statements(path: Path | None = None) -> pd.DataFrame:
    """``data/article/city_statements.csv``, validated; ``regions`` becomes a list of slugs."""
    path = path or STATEMENTS
    df = read_table(path, STATEMENT_COLUMNS, "It holds the article's statements about the cities.")
    slugs = {r.slug for r in analysis_regions()}
    regions = []
    for line, row in enumerate(df.to_dict("records"), start=2):
        listed = [s.strip() for s in row["regions"].split(";") if s.strip()]
        bad = [s for s in listed if s not in slugs]
        if bad or not listed:
            raise ValueError(f"{path}, row {line}, column 'regions': {bad or row['regions']!r} "
                             f"not region slugs; valid: {sorted(slugs)}.")
        for check in filter(None, row["data_check"].split(";")):
            if check.split(":")[0] not in CHECK_KINDS:
                raise ValueError(f"{path}, row {line}, column 'data_check': {check!r} must start "
                                 f"with one of {list(CHECK_KINDS)}.")
        if not row["location"].strip():
            raise ValueError(f"{path}, row {line}, column 'location': say where the article "
                             "says it.")
        regions.append(listed)
    df["regions"] = regions
    df["article_value"] = pd.to_numeric(df["article_value"].replace("", np.nan))
    return df


def _official_value(table: str, indicator: str, year: int, slug: str) -> float | None:
    df = load_official(table)
    hit = df[(df["region"] == slug) & (df["indicator"] == indicator) & (df["year"] == year)]
    return None if hit.empty else float(hit["value"].iloc[0])


def check_statement(check: str, slug: str, table: pd.DataFrame, factors: pd.DataFrame) -> dict:
    """What the data say for one ``data_check`` spec (see data/article/city_statements.csv).

    ``official:<table>:<indicator>:<year>`` → the published value; ``rank:<column>`` → the
    city's rank on a cross-section column; ``factor_rank:<factor id>`` → its composite rank;
    ``factor_ranks`` → all constructs' ranks; ``none`` → no regional statistic measures it.
    """
    kind, *args = check.split(":")
    if kind == "official":
        name, indicator, year = args
        value = _official_value(name, indicator, int(year), slug)
        named = _indicator_names(indicator, indicator)
        said = (Message("statement.not_published", indicator=named, year=year)
                if value is None else
                Message("statement.official", indicator=named, year=year, value=value))
        return {"check": check, "value": value, "said": said,
                "text": f"official {indicator} {year}: "
                        + ("not published" if value is None else f"{value:g}")}
    if kind == "rank":
        (column,) = args
        row = table.loc[column]
        said = Message("statement.rank", name=_indicator_names(column, row["label_en"]),
                       rank=row["rank"], n=row["n"])
        return {"check": check, "value": row["rank"], "said": said,
                "text": f"{row['label_en']}: rank {row['rank']} of {row['n']}"}
    if kind == "factor_rank":
        (factor,) = args
        row = factors.loc[factor]
        said = Message("statement.factor_rank", factor=_factor_names(factor),
                       rank=row["rank"], n=row["n"], diff=row["vs_median"])
        return {"check": check, "value": int(row["rank"]), "said": said,
                "text": f"{factor} ({row['code']}) composite: rank {row['rank']} of {row['n']} "
                        f"({row['vs_median']:+.2f} from the median)"}
    if kind == "factor_ranks":
        ranks_ = {f: int(r) for f, r in factors["rank"].items()}
        said = Message("statement.factor_ranks", ranks=[
            Message("list.name_value", name=_factor_names(f, code_only=True), value=r)
            for f, r in ranks_.items()])
        return {"check": check, "value": None, "said": said,
                "text": "composite ranks: " + ", ".join(f"{f} {r}" for f, r in ranks_.items())}
    return {"check": check, "value": None, "said": Message("statement.none"),
            "text": "no regional statistic measures this (not checkable with these data)"}


def _indicator_names(column: str, english: str) -> dict[str, str]:
    """An indicator's name in every language (its label, or the codebook's English name)."""
    try:
        return {lang: label(f"ind_{column}", lang) for lang in LANGUAGES}
    except KeyError:
        return dict.fromkeys(LANGUAGES, english)


def _factor_names(factor: str, code_only: bool = False) -> dict[str, str]:
    """A factor's name in every language (``code_only``: its article code, the same in all)."""
    return {lang: (factor_codes()[factor] if code_only else factor_labels(lang)[factor])
            for lang in LANGUAGES}


def statements_beside_data(slug: str, table: pd.DataFrame, factors: pd.DataFrame,
                           statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """The article's statements that concern ``slug``, each beside what the data say."""
    st = load_statements() if statements is None else statements
    rows = []
    for r in st[st["regions"].map(lambda listed: slug in listed)].to_dict("records"):
        checks = [check_statement(c, slug, table, factors)
                  for c in filter(None, r["data_check"].split(";"))] or \
                 [check_statement("none", slug, table, factors)]
        rows.append({"id": r["id"], "kind": r["kind"], "statement": r["text_en"],
                     "article_value": None if pd.isna(r["article_value"])
                     else float(r["article_value"]),
                     "year_label": r["year_label"],
                     "data": "; ".join(c["text"] for c in checks),
                     "data_values": [c["value"] for c in checks],
                     "data_said": [c["said"] for c in checks],
                     "location": r["location"]})
    return pd.DataFrame(rows, columns=["id", "kind", "statement", "article_value", "year_label",
                                       "data", "data_values", "data_said", "location"])


# ----------------------------------------------------------------------------------------------
# Notebook 05's row for the city (its report: reports/kazakhstan/05_robustness.json)
# ----------------------------------------------------------------------------------------------

ROBUSTNESS_NOTEBOOK = "05_robustness"


def city_robustness(slug: str, results: Mapping | None = None) -> dict:
    """Notebook 05's per-region row for ``slug``: the IPMA priority's stability across the
    specifications and the region's leave-one-out influence. ``results`` defaults to
    ``reports/kazakhstan/05_robustness.json`` (a clear error if notebook 05 has not run). Read
    from the report alone: the city report loads none of notebook 05's estimation code."""
    if results is None:
        results = load_results(ROBUSTNESS_NOTEBOOK, NATIONAL)
    table = results["per_region"]
    if slug not in table:
        raise KeyError(f"notebook 05 has no row for {slug!r}; regions: {sorted(table)}.")
    return {**table[slug], "n_specs_total": results["n_specs"],
            "influential_regions": list(results["influential_regions"])}


def robustness_sentence(row: Mapping, city: str, names: Mapping[str, str],
                        lang: str | None = None) -> str:
    """What notebook 05's multiverse says about one city (:func:`city_robustness`), in one
    paragraph (in the notebook's language)."""
    main = row["main_priority"]
    first = say("robustness.city_main", lang, factor=names.get(main, main), city=city,
                n_same=row["n_same"], n_specs=row["n_specs"], share=row["share_same"]) if main \
        else say("robustness.city_none", lang, city=city)
    if row["changes_a_verdict"]:
        second = say("robustness.city_changes", lang, city=city,
                     claims=i18n.join(row["changed_claims"], lang))
    elif row["reversed_paths"]:
        second = say("robustness.city_reverses", lang, city=city,
                     paths=i18n.join([names.get(p, p) for p in row["reversed_paths"]], lang))
    else:
        second = say("robustness.city_stable", lang, city=city)
    return " ".join([first, second, say("robustness.city_r2", lang, delta=row["delta_r2"])])


# ----------------------------------------------------------------------------------------------
# Assembly and display
# ----------------------------------------------------------------------------------------------

@dataclass
class Profile:
    """Everything the city report shows."""

    slug: str
    indicators: pd.DataFrame
    factors: pd.DataFrame
    strengths: list[str]
    gaps: list[str]
    series: pd.DataFrame
    breaks: pd.DataFrame
    summary: dict
    statements: pd.DataFrame
    n_regions: int
    city_level: pd.DataFrame
    city_flags: pd.DataFrame


def build_profile(region: Region | str, year=None) -> Profile:
    """Assemble a region's profile from the data layer (keys and slugs; the display functions
    below put it into a language).

    ``year`` is a year rule of :func:`helpers.registers.data.cross_section`; ``None`` (default)
    uses each
    codebook row's own ``year_rule``; the codebook and cross-section are then read from the run's
    cache (:func:`helpers.run.cache.national_tables`: loaded by the first city).
    """
    slug = region_by_slug(region).slug
    if year is None:  # the rows' own rules: the tables every city reads (loaded once per run)
        book, cs = cache.national_tables()
    else:
        book = load_codebook()
        cs = cross_section(year, codebook=book)
    cs = cs.copy(deep=False)
    cs.attrs = {}  # the years each column used: not read here, and pandas copies it at every step
    table = indicator_table(cs, book, slug)
    scores = composites(cs, book)
    factors = factor_table(scores, slug)
    strengths, gaps = strengths_and_gaps(table)
    series = series_table(slug)
    breaks = series_breaks(series, slug)
    cities = city_observations(slug)
    return Profile(slug, table, factors, strengths, gaps, series, breaks,
                   series_summary(series, breaks, slug),
                   statements_beside_data(slug, table, factors), len(cs),
                   city_beside_region(slug, observations=cities),
                   city_flags(slug, observations=cities))


def indicator_label(column: str, lang: str) -> str:
    """The indicator's name in ``lang`` (label key ``ind_<column>`` in
    helpers/registers/labels.py)."""
    return label(f"ind_{column}", lang)


def display_indicators(p: Profile, lang: str) -> pd.DataFrame:
    """The indicator table with headers and words in ``lang``."""
    names = article.factors().set_index("id")[f"name_{lang}"]
    t = p.indicators
    level = "region" if region_by_slug(p.slug).type == "region" else "city_region"
    return i18n.readable(pd.DataFrame({
        label("profile_level", lang): label(f"profile_level_{level}", lang),
        label("factor", lang): t["factor"].map(names),
        label("indicator", lang): [indicator_label(c, lang) for c in t.index],
        label("profile_value", lang): t["value"].round(2),
        label("profile_median", lang): t["median"].round(2),
        label("profile_rank", lang): t["rank"],
        label("profile_direction", lang): t["direction"].map(
            lambda d: label(f"profile_{d}", lang)),
    }), lang).reset_index(drop=True)


def display_factors(p: Profile, lang: str) -> pd.DataFrame:
    """The factor table with headers and the constructs' names in ``lang``."""
    f = p.factors
    names = f.index.map(article.factors().set_index("id")[f"name_{lang}"])
    level = "region" if region_by_slug(p.slug).type == "region" else "city_region"
    return i18n.readable(pd.DataFrame({
        label("profile_level", lang): label(f"profile_level_{level}", lang),
        label("factor", lang): f["code"] + " " + names,
        label("profile_score", lang): f["score"].round(2),
        label("profile_median", lang): f["median"].round(2),
        label("profile_vs_median", lang): f["vs_median"].round(2),
        label("profile_rank", lang): f["rank"],
    }), lang).reset_index(drop=True)


def display_city_level(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`city_beside_region` with headers and words in ``lang``; the level column first."""
    return i18n.readable(pd.DataFrame({
        label("profile_level", lang): [label(f"profile_level_{v}", lang) for v in table["level"]],
        label("profile_place", lang): [region_by_slug(p).name(lang) if lv == "region"
                                       else _city_name(p, lang)
                                       for lv, p in zip(table["level"], table["place"],
                                                        strict=True)],
        label("indicator", lang): [label(f"ind_{i}", lang) for i in table["indicator"]],
        label("year", lang): table["year"].to_numpy(),
        label("profile_value", lang): table["value"].round(4).to_numpy(),
        label("profile_position", lang): table["position"].to_numpy(),
        label("profile_n_places", lang): table["n_places"].to_numpy(),
        label("profile_quality_flag", lang): table["quality_flag"].to_numpy(),
    }), lang)


TABLE_WORDS = ("indicator", "year", "kind", "note", "start", "boundary", "coverage", "census",
               "statement", "article_value", "year_label", "data", "location", "number", "naming",
               "priorities", "worked_example", "recommendation")
"""The English words of notebook 06's break and statement tables that a reader sees as headers
or cells; each has its label ``tab_<word>`` in ``data/labels.csv`` (the English label is the word
itself, so the English tables read as before)."""


def display_breaks(p: Profile, lang: str) -> pd.DataFrame:
    """The breaks of the city's series (:func:`series_breaks`) for reading in ``lang``: outside
    English, indicator names and the notes from ``data/labels.csv`` (the label keys, program
    ids, are not shown)."""
    table = p.breaks.copy()
    if lang != "en":
        names = {x.indicator: x.label_key for x in SERIES} | {"population": "population"}
        table["indicator"] = [label(names[c], lang) if c in names else c
                              for c in table["indicator"]]
        table["note"] = [label(k, lang).format(year=y)
                         for k, y in zip(table["label_key"], table["year"], strict=True)]
    return i18n.shown(table.drop(columns="label_key"), lang, TABLE_WORDS, {})


def display_statements(p: Profile, lang: str) -> pd.DataFrame:
    """The article's statements beside the data (:func:`statements_beside_data`) for reading in
    ``lang``: outside English, the statement and its location from ``data/i18n/data_texts.csv``
    and what the data say as catalogue sentences."""
    table = p.statements.drop(columns=["data_values", "data_said"])
    if lang != "en":
        table["statement"] = [i18n.translated(t, lang) for t in table["statement"]]
        table["location"] = [i18n.translated(t, lang) for t in table["location"]]
        table["data"] = ["; ".join(m.text(lang) for m in said)
                         for said in p.statements["data_said"]]
    return i18n.shown(table, lang, TABLE_WORDS, {})


def texts_shown(statements: pd.DataFrame | None = None) -> list[str]:
    """The English texts of the city statements notebook 06 shows (statements, locations): each
    needs its row in ``data/i18n/data_texts.csv``."""
    statements = load_statements() if statements is None else statements
    return list(dict.fromkeys(t for column in ("text_en", "location")
                              for t in statements[column] if t))


def _city_name(slug: str, lang: str) -> str:
    return city_by_slug(slug).name(lang)


# ----------------------------------------------------------------------------------------------
# Computed sentences
# ----------------------------------------------------------------------------------------------

def coverage_sentence(region, lang: str | None = None) -> str:
    """Whether the statistics describe the city itself or its whole region."""
    lang = lang or current()
    if region.type == "region":
        main = main_city(region)  # None: a ranking city without figures of its own
        city = region.ranking_city_en if lang == "en" or main is None else main.name(lang)
        return say("profile.coverage_region", lang, region=region.name(lang), city=city)
    return say("profile.coverage_city", lang, region=region.name(lang))


def factor_sentence(p: Profile, region, lang: str | None = None) -> str:
    """Names the region's rank on every construct, with the distance from the median."""
    lang = lang or current()

    names = article.factors().set_index("id")[f"name_{lang}"]

    def name(factor: str) -> str:
        return factor if lang == "en" else names[factor]

    parts = [say("profile.factor_item", lang, name=name(f), code=r["code"], rank=int(r["rank"]),
                 n=int(r["n"]), vs_median=float(r["vs_median"])) for f, r in p.factors.iterrows()]
    best = p.factors.drop(index="adaptation", errors="ignore")["rank"]
    return say("profile.factors", lang, region=region.name(lang), parts="; ".join(parts),
               best=name(best.idxmin()), best_rank=int(best.min()), worst=name(best.idxmax()),
               worst_rank=int(best.max()))


def strengths_sentence(p: Profile, lang: str | None = None) -> tuple[str, str]:
    """Two sentences: the top-k and bottom-k indicators by rank."""
    return (say("profile.strengths", lang,
                items=rank_sentence(p.indicators, p.strengths, p.n_regions, lang)),
            say("profile.gaps", lang, items=rank_sentence(p.indicators, p.gaps, p.n_regions, lang)))


def break_notes(p: Profile, indicator: str, lang: str | None = None) -> list[str]:
    """The breaks that make ``indicator``'s growth incomparable (boundary, coverage) in ``lang``:
    in English the recorded notes (``time_series[…]["breaks"]``), otherwise the breaks' labels
    from ``data/labels.csv`` with their year, as the breaks table shows them."""
    lang = lang or current()
    if lang == "en":
        return list(p.summary[indicator]["breaks"])
    rows = p.breaks[(p.breaks["indicator"] == indicator)
                    & p.breaks["kind"].isin(["boundary", "coverage"])]
    return [label(k, lang).format(year=y)
            for k, y in zip(rows["label_key"], rows["year"], strict=True)]


def strengths_record(p: Profile) -> dict[str, str]:
    """The strengths and gaps sentences as the record keeps them: in English, whatever the
    notebook's language (``strengths_text``, ``gaps_text``)."""
    strengths, gaps = strengths_sentence(p, SOURCE_LANGUAGE)
    return {"strengths_text": strengths, "gaps_text": gaps}


def series_sentence(p: Profile, region, lang: str | None = None) -> str:
    """One sentence per series: first → last year, growth of the region and of Kazakhstan."""
    lang = lang or current()
    out = []
    for indicator, e in p.summary.items():
        c, k = e["city"], e["kazakhstan"]
        text = say("profile.series_line", lang, name=say(f"profile.name_{indicator}", lang),
                   unit=say(f"profile.unit_{indicator}", lang), region=region.name(lang),
                   first=float(c["first"]), first_year=str(c["first_year"]),
                   last=float(c["last"]), last_year=str(c["last_year"]),
                   growth=float(c["growth_pct"]), k_first=float(k["first"]),
                   k_last=float(k["last"]), k_first_year=str(k["first_year"]),
                   k_last_year=str(k["last_year"]), k_growth=float(k["growth_pct"]))
        if c["first_year"] != k["first_year"]:
            text += say("profile.series_starts", lang, year=str(c["first_year"]))
        if not e["comparable"]:
            text += say("profile.series_breaks", lang,
                        breaks="; ".join(break_notes(p, indicator, lang)))
        out.append(text + ".")
    return "\n".join(out)


def no_statements_sentence(region, lang: str | None = None) -> str:
    return say("profile.no_statements", lang, region=region.name(lang or current()))


def record(p: Profile, region) -> dict:
    """The profile as JSON-ready values (the keys listed in ``docs/report-keys.md``)."""
    t, f = p.indicators, p.factors
    return {
        "region": p.slug, "name": region.name_en, "is_city": region.is_city,
        "statistics_note": region.statistics_note, "n_regions": p.n_regions,
        "ranks": {c: (None if pd.isna(r) else int(r)) for c, r in t["rank"].items()},
        "values": t["value"].to_dict(), "medians": t["median"].to_dict(),
        "directions": t["direction"].to_dict(),
        "factor_ranks": {k: int(v) for k, v in f["rank"].items()},
        "factor_scores": f["score"].to_dict(), "factor_medians": f["median"].to_dict(),
        "factor_vs_median": f["vs_median"].to_dict(),
        "composite_source": "helpers.stats.factor_composites",
        "strengths": p.strengths, "gaps": p.gaps,
        "time_series": p.summary,
        "series_breaks": p.breaks[["indicator", "year", "kind", "note"]].to_dict("records"),
        "statements": p.statements.drop(columns=["data_values", "data_said"]).to_dict("records"),
        "city_level": [{**{k: r[k] for k in ("level", "place", "indicator", "year", "value",
                                             "unit", "n_places", "quality_flag")},
                        "position": None if pd.isna(r["position"]) else int(r["position"])}
                       for r in p.city_level.to_dict("records")],
        "quality_flags": p.city_flags.to_dict("records"),
    }
