"""Notebook 04's PLS-SEM estimation on the 20 regions: the model, the run, sentences, record.

* :func:`pls_model_from_codebook` — the path model the codebook implies (six factors → adaptation);
* :func:`estimate` — everything notebook 04 reports, computed once (:class:`Estimation`): the fit,
  the bootstrap (with the warnings it raised, kept to be shown), paths, power at n = 20,
  PLSpredict, the hypotheses, claim C6, the equal-weight check, the city's scores and the IPMA;
* the ``*_sentence`` functions — the notebook's computed sentences;
* :func:`record` — the keys notebook 04 records (declared in ``helpers/run/contract.yaml``).

General statistics (VIF, power, equal-weight regression) stay in :mod:`helpers.stats`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import stats
from helpers.pls import (
    Model,
    bootstrap_model,
    composite,
    estimate_pls,
    ipma,
    paths,
    predict_pls,
    relationships,
    single_item,
)
from helpers.registers import article, data, hypotheses
from helpers.registers import verdicts as vd

OUTCOME = "adaptation"
MIN_STRENGTH = "moderate"
"""Weakest proxy strength that may decide a hypothesis (helpers.registers.hypotheses.RULE)."""
MODE_RATIONALE = ("Mode A for multi-indicator composites (Mode B regression weights are unstable "
                  "with n = 20); single items where a factor has one indicator")
SIGN_CHANGE = "construct"




@dataclass
class Estimation:
    """Everything notebook 04 shows and records, for one city (plain data and result objects)."""

    slug: str
    codebook: pd.DataFrame
    factors: list[str]
    model: Model
    fit: object
    boot: object
    composites: pd.DataFrame
    agreement: pd.Series
    within: pd.Series
    paths: pd.DataFrame
    power: dict
    prediction: object
    verdicts: dict
    c6: dict
    check: dict
    same_sign: int
    city_scores: pd.Series
    city_ranks: pd.Series
    ipma: pd.DataFrame
    factor_to_improve: str | None
    warnings: list[str]
    n_boot: int
    seed: int

    @property
    def r2(self) -> pd.Series:
        return self.fit.r_squared.loc[OUTCOME]

    @property
    def r2_ci(self) -> list[float]:
        return self.boot.r_squared.loc[OUTCOME, ["pct_lo", "pct_hi"]].tolist()

    @property
    def oriented(self) -> dict[str, bool]:
        return (self.agreement > 0).to_dict()


def estimate(slug: str, n_boot: int, seed: int) -> Estimation:
    """Run notebook 04's analysis for the region ``slug``: PLS-SEM on the 20 regions' oriented
    2022 cross-section, bootstrap (``n_boot`` resamples, ``seed``, construct-level sign-change
    correction), PLSpredict (leave one region out), hypotheses, C6, equal-weight check, IPMA.

    Warnings raised on the way (failed bootstrap resamples, for instance) are caught, every one,
    and kept in ``Estimation.warnings`` for the notebook to show; none is lost.
    """
    book = data.load_codebook()
    table = data.oriented(data.cross_section(codebook=book), book)
    factors = list(article.FACTOR_IDS)
    model = pls_model_from_codebook(book, factors, OUTCOME)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = estimate_pls(table, model)
        composites = stats.factor_composites(table, data.factor_columns(book), factors)
        boot = bootstrap_model(fit, n_boot=n_boot, seed=seed, sign_change=SIGN_CHANGE)
        summary = path_summary(fit, boot, OUTCOME)
        r2 = fit.r_squared.loc[OUTCOME]
        n, k = fit.n_obs, len(factors)
        detectable = stats.min_detectable_r2(n, k, alpha=0.05, power=0.8)
        power = {"n": n, "k": k, "obs_per_predictor": n / k, "alpha": 0.05, "target_power": 0.8,
                 "min_f2": detectable["f2"], "min_r2": detectable["r2"],
                 "power_at_observed_r2": stats.power_f2(r2["r2"] / (1 - r2["r2"]), n, k)}
        prediction = predict_pls(fit, folds="loo")
        verdicts = hypotheses.judge(article.hypotheses(), summary, book,
                                    min_strength=MIN_STRENGTH)
        n_positive = int((summary["estimate"] > 0).sum())
        c6 = {"all_positive": n_positive == len(summary), "n_positive": n_positive,
              "n_negative": len(summary) - n_positive}
        c6["verdict"] = vd.from_bool(c6["all_positive"])
        check = stats.equal_weight_regression(composites, fit.scores[OUTCOME])
        same_sign = int((np.sign(check["coef"]["estimate"])
                         == np.sign(summary["estimate"])).sum())
        frame = ipma_table(ipma(fit, OUTCOME), fit, slug, factors)
    return Estimation(
        slug=slug, codebook=book, factors=factors, model=model, fit=fit, boot=boot,
        composites=composites, agreement=fit.scores[factors].corrwith(composites),
        within=within_block_correlation(fit), paths=summary, power=power, prediction=prediction,
        verdicts=verdicts, c6=c6, check=check, same_sign=same_sign,
        city_scores=fit.scores.loc[slug], city_ranks=stats.ranks(fit.scores, slug), ipma=frame,
        factor_to_improve=factor_to_improve(frame),
        warnings=[f"{w.category.__name__}: {w.message}" for w in caught], n_boot=n_boot,
        seed=seed)


# ----------------------------------------------------------------------------------------------
# Tables and sentences the notebook shows
# ----------------------------------------------------------------------------------------------

def warnings_sentence(e: Estimation) -> str:
    """The warnings the estimation raised, one line each (or that there were none)."""
    if not e.warnings:
        return "The estimation raised no warning."
    unique = list(dict.fromkeys(e.warnings))
    return (f"The estimation raised {len(e.warnings)} warning(s):\n\n"
            + "\n".join(f"- {w}" for w in unique))


def orientation_sentence(e: Estimation, names: dict[str, str]) -> str:
    oriented = e.oriented
    reversed_ = [names[c] for c, ok in oriented.items() if not ok]
    return (f"{sum(oriented.values())} of {len(oriented)} factor scores correlate positively with "
            "the mean of their (higher = better) indicators"
            + (f"; reversed, so a higher score means worse: {', '.join(reversed_)}." if reversed_
               else ": every score reads higher = better, however mixed its weights."))


def htmt_sentence(e: Estimation, names: dict[str, str]) -> str:
    return (f"The largest HTMT is {float(e.fit.htmt.max().max()):.2f}. HTMT divides the "
            "correlations between two blocks by the geometric mean of the correlations within "
            "each block; it exceeds 1 when a block's own indicators barely correlate (mean "
            "within-block r: " + ", ".join(f"{names[c]} {v:.2f}" for c, v in e.within.items())
            + "). Such values say the blocks are not scales, not that the constructs overlap.")


def paths_sentence(e: Estimation, names: dict[str, str]) -> str:
    p, r2, ci = e.paths, e.r2, e.r2_ci
    signs = ", ".join(f"{names[f]} {p.loc[f, 'estimate']:+.2f}" for f in e.factors)
    return (f"R² = {r2['r2']:.3f} (adjusted {r2['adj_r2']:.3f}; 95 % CI {ci[0]:.2f}–{ci[1]:.2f}). "
            f"Paths: {signs}. {int(p['significant'].sum())} of {len(p)} percentile intervals "
            f"exclude 0; inner VIF at most {p['vif'].max():.2f}; {e.boot.n_failed} of "
            f"{e.n_boot} resamples failed.")


def sign_flip_sentence(e: Estimation, names: dict[str, str]) -> str:
    shift = (e.paths["mean"] - e.paths["estimate"]).abs()
    flipped = {c: v for c, v in e.boot.settings["sign_flips"].items() if v}
    return (f"{sum(flipped.values())} (resample, construct) sign reversals were corrected ("
            + (", ".join(f"{names.get(c, c)} {v}" for c, v in flipped.items()) or "none")
            + f", out of {e.boot.settings['n_ok']} resamples each). After the correction the "
            f"bootstrap means still differ from the estimates by up to {shift.max():.2f} "
            f"({names[shift.idxmax()]}): in the loosely knit blocks the weights change direction "
            "between resamples, not only sign, so the intervals stay wide.")


def power_sentence(e: Estimation) -> str:
    n, k, failed = e.power["n"], e.power["k"], e.boot.n_failed
    return (f"{n / k:.1f} observations per predictor. With 80 % power only a population R² of at "
            f"least {e.power['min_r2']:.2f} would be detected; single paths need far larger "
            f"effects still. {failed} of {e.n_boot} bootstrap resamples ({failed / e.n_boot:.1%})"
            " failed.")


def prediction_sentence(e: Estimation) -> str:
    return (f"Leave-one-out over {e.fit.n_obs} regions: **{e.prediction.verdict}** "
            f"(LM benchmark: {e.prediction.settings['benchmark']}).")


def hypotheses_table(e: Estimation) -> pd.DataFrame:
    return pd.DataFrame({h: {"finding": v["finding"],
                             "verdict on the article's 'confirmed'": v["verdict"],
                             "paths": ", ".join(v["paths"]), "reason": v["reason"]}
                         for h, v in e.verdicts.items()}).T


def hypothesis_rule() -> str:
    return hypotheses.RULE.format(min=MIN_STRENGTH)


def c6_sentence(e: Estimation) -> str:
    return (f"{e.c6['n_positive']} of {len(e.paths)} paths are positive: C6 "
            f"**{e.c6['verdict']}** (the article's coefficients are not printed, so only the "
            "signs can be compared).")


def equal_weight_table(e: Estimation) -> pd.DataFrame:
    coef = e.check["coef"]
    return pd.DataFrame({"PLS path": e.paths["estimate"], "equal-weight OLS": coef["estimate"],
                         "OLS 95 % CI": [f"[{lo:+.2f}, {hi:+.2f}]" for lo, hi in
                                         coef[["ci_low", "ci_high"]].to_numpy()]})


def equal_weight_sentence(e: Estimation) -> str:
    check, k = e.check, len(e.factors)
    return (f"Equal weights give R² = {check['r2']:.2f} (adjusted {check['adj_r2']:.2f}) against "
            f"PLS's {e.r2['r2']:.2f}; {e.same_sign} of {k} coefficients have the PLS path's "
            f"sign, and {int((check['coef']['p'] < 0.05).sum())} of {k} have p < 0.05.")


def city_table(e: Estimation) -> pd.DataFrame:
    return pd.DataFrame({"score": e.city_scores.round(2), "rank": e.city_ranks})


def ipma_sentence(e: Estimation, names: dict[str, str], city_name: str) -> str:
    chosen = e.factor_to_improve
    return (f"Rule: {IPMA_RULE}  \nFor {city_name}: **"
            + (names[chosen] if chosen else "no factor has positive importance") + "**.")


def record(e: Estimation) -> dict:
    """The keys notebook 04 records (helpers/run/contract.yaml → 04_pls_estimation)."""
    fit, boot, p, r2 = e.fit, e.boot, e.paths, e.r2
    pred = e.prediction
    return {
        "region": e.slug, "n_obs": fit.n_obs,
        "settings": {**fit.settings, "bootstrap": boot.settings, "seed": e.seed},
        "modes": fit.settings["modes"], "mode_rationale": MODE_RATIONALE,
        "paths": p, "r2": r2["r2"], "adj_r2": r2["adj_r2"], "r2_ci": e.r2_ci, "f2": p["f2"],
        "vif": p["vif"], "outer_vif": fit.outer_vif["vif"],
        "measurement": fit.measurement_table[["construct", "weight", "loading"]],
        "n_negative_weights": int((fit.measurement_table["weight"] < 0).sum()),
        "score_composite_agreement": e.agreement, "reliability": fit.reliability,
        "fornell_larcker": fit.fornell_larcker, "htmt": fit.htmt,
        "max_htmt": float(fit.htmt.max().max()), "within_block_r": e.within,
        "n_boot": e.n_boot, "seed": e.seed, "n_failed": boot.n_failed,
        "share_failed": boot.n_failed / e.n_boot, "power": e.power, "sign_change": SIGN_CHANGE,
        "sign_flips": boot.settings["sign_flips"],
        "sign_flips_total": boot.settings["sign_flips_total"],
        "sign_flips_jackknife": boot.settings.get("sign_flips_jackknife"),
        "composite_oriented": e.oriented,
        "hypotheses": e.verdicts, "hypothesis_rule": hypothesis_rule(), "c6": e.c6,
        "c6_verdict": e.c6["verdict"], "city_scores": e.city_scores,
        "city_score_ranks": e.city_ranks, "ipma": e.ipma, "ipma_rule": IPMA_RULE,
        "factor_to_improve": e.factor_to_improve,
        "equal_weight_check": {"coef": e.check["coef"], "r2": e.check["r2"],
                               "adj_r2": e.check["adj_r2"], "same_sign_as_pls": e.same_sign},
        "plspredict": pred.items, "plspredict_settings": pred.settings,
        "plspredict_reading": pred.verdict,
        "plspredict_q2": float(pred.items["q2_predict"].iloc[0]),
        "plspredict_beats_lm": bool(pred.items["pls_beats_lm_rmse"].all()),
        "estimation_warnings": e.warnings,
    }


# ----------------------------------------------------------------------------------------------
# The model and the tables built from a fit
# ----------------------------------------------------------------------------------------------

def pls_model_from_codebook(codebook: pd.DataFrame, factors: tuple[str, ...] | list[str],
                            outcome: str = "adaptation") -> Model:
    """The PLS path model: each factor → ``outcome``, measured as the codebook says.

    Included codebook rows give each construct's indicators (column ``column``). A construct
    with several indicators is a Mode A composite (correlation weights), one with a single
    indicator a single item. Mode B (regression weights) is not offered: with n = 20 regions a
    block regression on up to four indicators leaves too few degrees of freedom for stable
    weights.
    """
    book = codebook[codebook["include"]]
    constructs = []
    for name in [*factors, outcome]:
        items = list(book.loc[book["factor_id"] == name, "column"])
        if not items:
            raise KeyError(f"construct {name!r} has no included indicator in the codebook; "
                           f"factor ids with indicators: {sorted(set(book['factor_id']))}.")
        constructs.append(single_item(name, items[0]) if len(items) == 1
                          else composite(name, items, mode="A"))
    return Model(constructs, relationships(paths(from_=list(factors), to=outcome)))


IPMA_RULE = (
    "Among the factors with positive importance (raising a factor with negative importance would "
    "lower predicted adaptation), the one with the largest importance × (100 − the city's "
    "performance) is named; a city performance above 100 counts as no room to improve."
)


def ipma_table(result, fit, row, factors: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The importance–performance table for ``factors`` and one observation ``row``.

    Columns: ``importance`` (unstandardised total effect on the target), ``performance_mean``
    (mean over the observations, 0–100 scale), ``performance_city`` (``row``'s performance),
    ``precondition_met`` (every outer weight of the construct ≥ 0: only then is performance a
    convex combination of 0–100 indicators and bound to 0–100) and ``gap_score`` =
    importance × (100 − min(100, max(0, performance_city))).
    """
    weights = fit.outer_weights
    city = result.performance_of(row)
    out = pd.DataFrame(index=pd.Index(list(factors), name="factor"))
    out["importance"] = result.table.loc[out.index, "importance"]
    out["performance_mean"] = result.table.loc[out.index, "performance"]
    out["performance_city"] = city.loc[out.index]
    out["precondition_met"] = [bool((weights[f][weights[f] != 0] >= 0).all()) for f in out.index]
    out["gap_score"] = out["importance"] * (100 - out["performance_city"].clip(0, 100))
    return out


def factor_to_improve(table: pd.DataFrame) -> str | None:
    """The factor named by :data:`IPMA_RULE` (``None`` when no factor has positive importance)."""
    candidates = table[table["importance"] > 0]
    if candidates.empty:
        return None
    return str(candidates["gap_score"].idxmax())


def path_summary(fit, boot, outcome: str) -> pd.DataFrame:
    """One row per path into ``outcome``, indexed by the source construct.

    Columns: ``estimate, mean, sd, t, p`` (bootstrap), ``ci_low, ci_high`` (95 % percentile),
    ``bca_low, bca_high``, ``significant`` (percentile CI excludes 0), ``f2`` and ``vif``.
    """
    b = boot.paths[boot.paths["to"] == outcome].set_index("from")
    out = pd.DataFrame({
        "estimate": b["estimate"], "mean": b["mean"], "sd": b["sd"], "t": b["t"], "p": b["p"],
        "ci_low": b["pct_lo"], "ci_high": b["pct_hi"], "bca_low": b["bca_lo"],
        "bca_high": b["bca_hi"]})
    out["significant"] = (out["ci_low"] > 0) | (out["ci_high"] < 0)
    out["f2"] = [fit.f_squared.loc[s, outcome] for s in out.index]
    out["vif"] = [fit.inner_vif.loc[s, outcome] for s in out.index]
    out.index.name = "factor"
    return out


def within_block_correlation(fit) -> pd.Series:
    """Mean correlation between the indicators of each multi-indicator block of a PLS fit.

    HTMT's denominator is the geometric mean of these values: near 0 (or negative), HTMT grows
    without bound or is undefined.
    """
    out = {}
    for j, block in enumerate(fit.layout.blocks):
        if len(block) > 1:
            sub = fit.corr[np.ix_(block, block)]
            out[fit.layout.constructs[j]] = float(sub[~np.eye(len(block), dtype=bool)].mean())
    return pd.Series(out, name="mean_within_r")
