"""What the class pack's checks compare a student's result with, computed from the study at
check time (never typed in): each function reads the study's data and helpers exactly as the
notebook an exercise points to does, so a changed input moves the expected answer with it.

One function per exercise (``class/eNN_*.ipynb``); the checks call them and compare within a
tolerance (:data:`TOL`).
"""

from __future__ import annotations

import math
import numbers
import tempfile
import warnings
from functools import cache
from pathlib import Path

import pandas as pd

from helpers import stats
from helpers.pls import bootstrap_model, estimate_pls, estimate_pls_mga, ipma
from helpers.registers import article, data, hypotheses
from helpers.registers import verdicts as vd
from helpers.registers.labels import factor_codes
from helpers.registers.paths import DATA
from helpers.registers.regions import analysis_regions
from helpers.steps import nb02_innovation_activity as innovation
from helpers.steps import nb03_correlation_analysis as correlation
from helpers.steps import nb04_pls_estimation as estimation
from helpers.steps import nb06_city_report as profile
from helpers.steps import nb08_reproduction_report as reproduction
from helpers.steps.nb07_reconstruction import load_spec
from helpers.steps.nb07_survey import load_responses

TOL = {"r": 0.005, "r2": 0.005, "ci": 0.01}
"""Tolerances of the checks: a correlation or an R² to ±0.005, an interval bound to ±0.01."""

OUTCOME = "adaptation"


# ----------------------------------------------------------------------------------------------
# The 20 regions' PLS-SEM (notebook 04) without the city-specific parts
# ----------------------------------------------------------------------------------------------

def pls_fit(codebook: pd.DataFrame | None = None):
    """Notebook 04's PLS-SEM fit of the 20 regions (``helpers.steps.nb04_pls_estimation``),
    for ``codebook``."""
    book = data.load_codebook() if codebook is None else codebook
    table = data.oriented(data.cross_section(codebook=book), book)
    model = estimation.pls_model_from_codebook(book, list(article.FACTOR_IDS), OUTCOME)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimate_pls(table, model)


@cache
def study_r2() -> float:
    """R² of adaptation in notebook 04's model (``r2`` of its report)."""
    return float(pls_fit().r_squared.loc[OUTCOME, "r2"])


@cache
def ipma_priority(slug: str) -> str | None:
    """The factor notebook 04 names for ``slug`` to improve (``factor_to_improve``)."""
    fit = pls_fit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = estimation.ipma_table(ipma(fit, OUTCOME), fit, slug, list(article.FACTOR_IDS))
    return estimation.factor_to_improve(table)


@cache
def region_slugs() -> frozenset[str]:
    """The 20 regions' slugs (``helpers.registers.regions.analysis_regions``)."""
    return frozenset(r.slug for r in analysis_regions())


def innovation_rank(slug: str) -> int:
    """The region's 2022 innovation-activity rank among the 20 (notebook 02)."""
    return int(innovation.regions_2022().loc[slug, "rank"])


# ----------------------------------------------------------------------------------------------
# Table 1 (notebook 03)
# ----------------------------------------------------------------------------------------------

def composites(codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """The six factor composites of the 20 regions (notebook 03)."""
    book = data.load_codebook() if codebook is None else codebook
    table = data.oriented(data.cross_section(codebook=book), book)
    columns = data.factor_columns(book)
    return stats.factor_composites(table, columns, article.FACTOR_IDS)


@cache
def table1_cell(row: str, col: str) -> dict:
    """One cell of Table 1 checked as notebook 03 and the reproduction report do: this study's
    Pearson r with pingouin's 95 % interval, the article's r, and the verdict of the study's
    rule for that cell (``helpers.registers.verdicts.judge_correlation`` with the margin of
    data/article/verdict_rules.csv)."""
    comps = composites()
    table = stats.correlation_table(comps, methods=("pearson",))
    pairs = table[table[["x", "y"]].apply(set, axis=1) == {row, col}].iloc[0]
    theirs = float(article.table1().loc[row, col])
    rule = vd.load_rules()[table1_claim(row, col)]
    judged = vd.judge_correlation(float(pairs["r"]), len(comps), theirs, rule.margin, rule.level)
    return {"r": float(pairs["r"]), "ci_low": float(pairs["ci_low"]),
            "ci_high": float(pairs["ci_high"]), "article": theirs, "margin": rule.margin,
            "verdict": judged.verdict, "n": len(comps)}


def table1_claim(row: str, col: str) -> str:
    """The claim id of a Table 1 cell (``T1-<code>-<code>``, data/article/claim_checks.csv)."""
    codes = factor_codes()
    ids = set(reproduction.load_checks()["id"])
    for a, b in ((row, col), (col, row)):
        claim = f"T1-{codes[a]}-{codes[b]}"
        if claim in ids:
            return claim
    raise KeyError(f"no Table 1 claim for {row}, {col}")


# ----------------------------------------------------------------------------------------------
# Verdicts that depend on the codebook (exercise: add an indicator)
# ----------------------------------------------------------------------------------------------

def verdicts(codebook: pd.DataFrame | None = None, n_boot: int = 1000,
             seed: int = 2023) -> dict[str, str]:
    """The verdicts notebooks 03 and 04 give on C1, C4-PLS, C6, H1–H3 and K1 for ``codebook``.

    The same helpers and the study's one rule (``helpers.registers.verdicts``, data/article/
    verdict_rules.csv): C1 from the composites' correlations (``correlation.c1_verdict``), the
    paths and R² from notebook 04's PLS-SEM with ``n_boot`` bootstrap resamples from ``seed``,
    the hypotheses through ``helpers.registers.hypotheses.judge``.
    """
    book = data.load_codebook() if codebook is None else codebook
    rules = vd.load_rules()
    threshold = float(article.claims().set_index("id").loc["C1", "value"])
    comps = composites(book)
    fit = pls_fit(book)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        boot = bootstrap_model(fit, n_boot=n_boot, seed=seed, sign_change=estimation.SIGN_CHANGE)
    summary = estimation.path_summary(fit, boot, OUTCOME)
    found = hypotheses.judge(article.hypotheses(), summary, book,
                             min_strength=estimation.MIN_STRENGTH)
    paths = {f: {k: float(summary.loc[f, k]) for k in ("estimate", "ci_low", "ci_high")}
             for f in summary.index}
    r2 = {"estimate": float(fit.r_squared.loc[OUTCOME, "r2"]),
          "low": float(boot.r_squared.loc[OUTCOME, "pct_lo"]),
          "high": float(boot.r_squared.loc[OUTCOME, "pct_hi"])}
    return {"C1": correlation.c1_verdict(comps.corr(method="pearson"), len(comps),
                                         threshold).verdict,
            "C4-PLS": vd.judge(rules["C4-PLS"], r2, article_r2()).verdict,
            "C6": vd.judge(rules["C6"], paths).verdict,
            **{h: v["verdict"] for h, v in found.items()},
            "K1": vd.judge(rules["K1"], paths).verdict}


def codebook_with(row: dict, path: Path | None = None) -> pd.DataFrame:
    """The study's codebook with one more ``row`` (a dict of codebook columns), loaded and
    validated by ``helpers.registers.data.load_codebook`` from a temporary copy of
    data/codebook.csv."""
    original = pd.read_csv(DATA / "codebook.csv", dtype=str, keep_default_na=False)
    extended = pd.concat([original, pd.DataFrame([{k: str(v) for k, v in row.items()}])],
                         ignore_index=True).fillna("")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(path) if path else Path(tmp) / "codebook.csv"
        extended.to_csv(target, index=False)
        return data.load_codebook(target)


def moved_verdicts(row: dict, n_boot: int = 1000, seed: int = 2023) -> set[str]:
    """The claims whose verdict changes when ``row`` is added to the codebook."""
    before = verdicts(None, n_boot, seed)
    after = verdicts(codebook_with(row), n_boot, seed)
    return {c for c in before if before[c] != after[c]}


# ----------------------------------------------------------------------------------------------
# Power (helpers.stats, notebook 04's power keys)
# ----------------------------------------------------------------------------------------------

def article_r2() -> float:
    """The article's "influence of the factors" read as an R² (data/article/figure2.csv)."""
    return float(article.figure2_table().set_index("key").loc["factor_influence", "value"])


def smallest_n(r2: float, k: int = 6, alpha: float = 0.05, power: float = 0.8) -> int:
    """The fewest cases for which the overall F test of ``k`` predictors detects ``r2`` with
    at least ``power`` (``helpers.stats.power_f2``)."""
    f2 = r2 / (1 - r2)
    n = k + 2
    while stats.power_f2(f2, n, k, alpha) < power:
        n += 1
        if n > 100_000:
            raise ValueError(f"no n up to 100 000 reaches power {power} for R² = {r2}.")
    return n


@cache
def power_answers(n: int = 20, k: int = 6) -> dict:
    """Minimum detectable R² at ``n`` regions and the regions needed for the article's and for
    this study's R²."""
    return {"min_r2": stats.min_detectable_r2(n, k)["r2"],
            "n_for_article_r2": smallest_n(article_r2(), k),
            "n_for_study_r2": smallest_n(study_r2(), k)}


# ----------------------------------------------------------------------------------------------
# Figure 2's trend (notebook 02)
# ----------------------------------------------------------------------------------------------

@cache
def trend(first_year: int = 2013) -> dict:
    """The linear trend of the national innovation-activity points from ``first_year`` on."""
    series = innovation.national_series("kazakhstan")
    window = series[series["year"] >= first_year]
    fit = innovation.linear_trend(window["year"], window["value"])
    return {"r2": fit.r2, "n_points": fit.n_points, "slope": fit.slope,
            "article_r2": float(article.figure2()["r2"]),
            "n_quoted": int((window["kind"] == "quoted").sum())}


# ----------------------------------------------------------------------------------------------
# Claims the study cannot check (the claim registry)
# ----------------------------------------------------------------------------------------------

@cache
def not_checkable() -> frozenset[str]:
    """Ids of the claims whose rule (data/article/verdict_rules.csv) is ``not_checkable``."""
    return frozenset(c for c, rule in vd.load_rules().items() if rule.method == "not_checkable")


# ----------------------------------------------------------------------------------------------
# A region's profile (notebook 06_city_report)
# ----------------------------------------------------------------------------------------------

@cache
def profile_extremes(slug: str) -> dict[str, frozenset[str]]:
    """The factors (of the six) on which ``slug`` ranks best and worst among the 20 regions;
    several when ranks tie."""
    book = data.load_codebook()
    scores = profile.composites(data.cross_section(codebook=book), book)
    table = profile.factor_table(scores[list(article.FACTOR_IDS)], slug)
    return {"best": frozenset(table.index[table["rank"] == table["rank"].min()]),
            "worst": frozenset(table.index[table["rank"] == table["rank"].max()])}


# ----------------------------------------------------------------------------------------------
# The practice survey (two cities' practice files)
# ----------------------------------------------------------------------------------------------

@cache
def practice_survey(cities: tuple[str, ...] = ("astana", "almaty"), n_boot: int = 200,
                    seed: int = 2023) -> dict:
    """Measurement model, MICOM and MGA of the practice responses of ``cities`` (the same
    helpers as notebook 07: ``helpers.pls.estimate_pls`` and ``estimate_pls_mga``)."""
    frames = [load_responses(c, practice=True).answers.assign(city=c) for c in cities]
    pooled = pd.concat(frames, ignore_index=True)
    model = load_spec().model()
    fit = estimate_pls(pooled, model)
    mga = estimate_pls_mga(fit, "city", data=pooled, n_boot=n_boot, n_perm=n_boot, seed=seed)
    per_city = {c: estimate_pls(f.drop(columns="city"), model) for c, f in zip(cities, frames,
                                                                                strict=True)}
    comp = mga.comparisons.assign(abs_diff=mga.comparisons["diff"].abs())
    largest = comp.sort_values("abs_diff", ascending=False).iloc[0]
    return {"n": {c: len(f) for c, f in zip(cities, frames, strict=True)},
            "min_rho_c": min(float(f.reliability["rho_C"].min()) for f in per_city.values()),
            "n_invariant": int(mga.micom["compositional_invariance"].sum()),
            "n_constructs": int(len(mga.micom)),
            "largest_diff_path": str(largest["path"]),
            "largest_diff_p": float(largest["p_permutation"])}


@cache
def score_rank(slug: str, construct: str = OUTCOME) -> int:
    """The region's rank (1 = best of 20) on a PLS construct score (``city_score_ranks``)."""
    return int(stats.ranks(pls_fit().scores, slug)[construct])


# ----------------------------------------------------------------------------------------------
# Comparing a student's result
# ----------------------------------------------------------------------------------------------

def is_number(value) -> bool:
    """A real number (not a placeholder ``...``, not a string, not NaN)."""
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(float(value)))


def close(value, expected: float, tol: float) -> bool:
    """``value`` is a number within ``tol`` of ``expected``."""
    return is_number(value) and abs(float(value) - float(expected)) <= tol


@cache
def e03_expected() -> dict:
    """Exercise 3's expected results: the R² with :data:`E03_ROW` added and the moved verdicts."""
    fit = pls_fit(codebook_with(E03_ROW))
    return {"r2": float(fit.r_squared.loc[OUTCOME, "r2"]),
            "law_path": float(fit.path_coefficients.loc["law", OUTCOME]),
            "moved": frozenset(moved_verdicts(E03_ROW))}


E03_ROW = {"factor_code": "З", "factor_id": "law", "indicator": "road_traffic_death_rate",
           "source_table": "official/sdg_regional", "source_file": "sdg/data/indicator_3-6-1.csv",
           "year_rule": "latest", "normalisation": "none", "scale": "1",
           "unit": "deaths per 100 000 residents", "direction": "lower_better",
           "proxy_strength": "moderate", "include": "true", "label_en": "Road traffic deaths",
           "rationale": "road safety as an outcome of enforced traffic law (class exercise)"}
"""The codebook row exercise 3 adds (its text gives the same cells)."""
