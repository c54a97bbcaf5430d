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

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import stats
from helpers.pls import (
    Model,
    ModelSpecificationError,
    bootstrap_model,
    composite,
    estimate_pls,
    htmt_inference,
    ipma,
    model_fit,
    paths,
    predict_pls,
    relationships,
    single_item,
    test_exact_fit,
)
from helpers.registers import article, data, hypotheses, i18n
from helpers.registers import verdicts as vd
from helpers.registers.i18n import say
from helpers.registers.labels import LABELS, factor_codes, factor_labels, label
from helpers.run import cache

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
    fit_measures: object = None
    exact_fit: object = None
    exact_fit_refusal: str | None = None
    htmt_test: object = None

    @property
    def r2(self) -> pd.Series:
        return self.fit.r_squared.loc[OUTCOME]

    @property
    def r2_ci(self) -> list[float]:
        return self.boot.r_squared.loc[OUTCOME, ["pct_lo", "pct_hi"]].tolist()

    @property
    def level(self) -> float:
        """The level of the bootstrap's intervals (``1 - alpha`` of its settings)."""
        return 1 - self.boot.settings["alpha"]

    @property
    def oriented(self) -> dict[str, bool]:
        return (self.agreement > 0).to_dict()


def national(n_boot: int, seed: int) -> dict:
    """The part of notebook 04's analysis that uses the 20 regions and no city: PLS-SEM on the
    oriented 2022 cross-section, bootstrap (``n_boot`` resamples, ``seed``, construct-level
    sign-change correction), PLSpredict (leave one region out), hypotheses, C6, the equal-weight
    check and the IPMA of the outcome. Computed once per run and input (:func:`estimate`)."""
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
        c6_judged = vd.judge(vd.load_rules()["C6"], {
            f: {k: float(summary.loc[f, k]) for k in ("estimate", "ci_low", "ci_high")}
            for f in summary.index})
        c6.update({k: v for k, v in c6_judged.as_dict().items() if k != "finding"})
        check = stats.equal_weight_regression(composites, fit.scores[OUTCOME])
        same_sign = int((np.sign(check["coef"]["estimate"])
                         == np.sign(summary["estimate"])).sum())
        importance = ipma(fit, OUTCOME)
        fit_measures, exact, refusal = model_fit(fit), None, None
        try:  # with more indicators than regions the test is refused, with the reason
            exact = test_exact_fit(fit, n_boot=n_boot, seed=seed)
        except ModelSpecificationError as err:
            refusal = str(err)
        htmt_test = htmt_inference(fit, n_boot=n_boot, seed=seed)
    return {"codebook": book, "table": table, "factors": factors, "model": model, "fit": fit,
            "boot": boot, "composites": composites, "paths": summary, "power": power,
            "prediction": prediction, "verdicts": verdicts, "c6": c6, "check": check,
            "same_sign": same_sign, "ipma": importance, "fit_measures": fit_measures,
            "exact_fit": exact, "exact_fit_refusal": refusal, "htmt_test": htmt_test,
            "warnings": [f"{w.category.__name__}: {w.message}" for w in caught]}


def national_key(n_boot: int, seed: int) -> str:
    """What :func:`national`'s result depends on: the parameters, the data files and the code
    (:func:`helpers.run.cache.inputs_fingerprint`; no table is loaded to compute the key)."""
    return cache.fingerprint(n_boot, seed, SIGN_CHANGE, cache.inputs_fingerprint())


def estimate(slug: str, n_boot: int, seed: int) -> Estimation:
    """Run notebook 04's analysis for the region ``slug``: the national part (:func:`national`,
    computed once per run and read back by every other city: the same objects, so the same
    numbers), then the city's scores, ranks and importance–performance map.

    Warnings raised on the way (failed bootstrap resamples, for instance) are caught, every one,
    and kept in ``Estimation.warnings`` for the notebook to show; none is lost.
    """
    nat = cache.once("04_national", national_key(n_boot, seed), lambda: national(n_boot, seed))
    fit, factors = nat["fit"], nat["factors"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = ipma_table(nat["ipma"], fit, slug, factors)
    return Estimation(
        slug=slug, codebook=nat["codebook"], factors=factors, model=nat["model"], fit=fit,
        boot=nat["boot"], composites=nat["composites"],
        agreement=fit.scores[factors].corrwith(nat["composites"]),
        within=within_block_correlation(fit), paths=nat["paths"], power=nat["power"],
        prediction=nat["prediction"], verdicts=nat["verdicts"], c6=nat["c6"],
        check=nat["check"], same_sign=nat["same_sign"], city_scores=fit.scores.loc[slug],
        city_ranks=stats.ranks(fit.scores, slug), ipma=frame,
        factor_to_improve=factor_to_improve(frame),
        warnings=nat["warnings"] + [f"{w.category.__name__}: {w.message}" for w in caught],
        n_boot=n_boot, seed=seed, fit_measures=nat["fit_measures"], exact_fit=nat["exact_fit"],
        exact_fit_refusal=nat["exact_fit_refusal"], htmt_test=nat["htmt_test"])


# ----------------------------------------------------------------------------------------------
# Tables and sentences the notebook shows
# ----------------------------------------------------------------------------------------------

def _named(values: dict, names: dict[str, str], spec: str = "") -> str:
    """``name value, name value`` in the sentence language (numbers formatted by Babel)."""
    return i18n.join([i18n.say("list.name_value", name=names.get(k, k),
                               value=i18n.number(v, spec=spec)) for k, v in values.items()])


LM_NOT_ESTIMABLE = re.compile(r"PredictWarning: LM benchmark for '(?P<construct>[^']+)' not "
                              r"estimable: (?P<q>\d+) coefficients and only (?P<rows>\d+) "
                              r"training rows")
"""PLSpredict's warning that a construct's LM benchmark has no residual degrees of freedom."""

ENGINE_WARNINGS = (
    (LM_NOT_ESTIMABLE, "warning.lm_not_estimable"),
    (re.compile(r"UserWarning: some outer weights are negative: performance may leave 0-100"),
     "warning.negative_weights"),
    (re.compile(r"PLSAdmissibilityWarning: inadmissible estimate \(see fit.admissibility\): "
                r"(?P<failed>.+?)\. Report such estimates"), "warning.inadmissible"),
)
"""The engine's warnings (``Category: message``, as :func:`national` keeps them) a reader sees,
each as a pattern of the engine's English message and the catalogue sentence that says it in the
reader's language (the engine, helpers/pls, speaks English; the record keeps its words)."""


def warning_said(text: str, names: dict[str, str] | None = None) -> i18n.Message | None:
    """An engine warning (:data:`ENGINE_WARNINGS`) as a catalogue sentence, its construct named
    by ``names``; ``None`` for a warning the catalogue does not know."""
    for pattern, key in ENGINE_WARNINGS:
        found = pattern.match(text)
        if found:
            values = found.groupdict()
            if "construct" in values:
                values["construct"] = (names or {}).get(values["construct"], values["construct"])
            return i18n.Message(key, **values)
    return None


def warning_text(text: str, lang: str | None = None, names: dict[str, str] | None = None) -> str:
    """An engine warning for reading in ``lang``: in English the engine's own words; otherwise
    its catalogue sentence (:func:`warning_said`; constructs by ``names``, default their names in
    ``lang``), or the engine's words where there is none (a new warning: the language checks of
    the tests then name it)."""
    lang = lang or i18n.current()
    if lang == i18n.SOURCE_LANGUAGE:
        return text
    said = warning_said(text, factor_labels(lang) if names is None else names)
    return said.text(lang) if said else text


def warnings_sentence(e: Estimation, lang: str | None = None,
                      names: dict[str, str] | None = None) -> str:
    """The warnings the estimation raised, one line each (or that there were none): in English
    the libraries' own messages, in another language their catalogue sentences
    (:func:`warning_text`)."""
    if not e.warnings:
        return say("estimation.no_warnings", lang)
    unique = list(dict.fromkeys(e.warnings))
    return (say("estimation.warnings", lang, n=len(e.warnings)) + "\n\n"
            + "\n".join(f"- {warning_text(w, lang, names)}" for w in unique))


def orientation_sentence(e: Estimation, names: dict[str, str], lang: str | None = None) -> str:
    oriented = e.oriented
    reversed_ = [names[c] for c, ok in oriented.items() if not ok]
    counts = {"n_ok": sum(oriented.values()), "n": len(oriented)}
    if reversed_:
        return say("estimation.orientation_reversed", lang, reversed=i18n.join(reversed_, lang),
                   **counts)
    return say("estimation.orientation_all", lang, **counts)


def htmt_sentence(e: Estimation, names: dict[str, str], lang: str | None = None) -> str:
    with i18n.speaking(lang):
        return say("estimation.htmt", max_htmt=float(e.fit.htmt.max().max()),
                   within=_named(e.within.to_dict(), names, ".2f"))


def fit_table(e: Estimation) -> pd.DataFrame:
    """SRMR, d_ULS, d_G of the saturated and the estimated model, with the exact-fit test's
    95 % and 99 % quantiles (estimated model) when the data allow the test."""
    table = e.fit_measures.table.copy()
    if e.exact_fit is not None:
        test = e.exact_fit.table.loc["estimated"]
        table["q95 (estimated)"] = test["q95"]
        table["q99 (estimated)"] = test["q99"]
    return table


def htmt2_table(e: Estimation, names: dict[str, str], lang: str | None = None) -> pd.DataFrame:
    """HTMT2 per construct pair with its bootstrap interval, one-sided upper bound and whether
    it lies below 0.85 and 0.90; the headers of the bounds say their level (the test's
    ``alpha``), those of the thresholds their number, in ``lang``."""
    t = e.htmt_test.table.loc["HTMT2"]
    out = t[["estimate", "pct_lo", "pct_hi", "upper_one_sided", "below_0.85", "below_0.9"]].copy()
    out.index = [f"{names.get(a, a)} – {names.get(b, b)}" for a, b in zip(t["from"], t["to"],
                                                                           strict=True)]
    level = 1 - e.htmt_test.settings["alpha"]
    return out.rename(columns={
        **{c: i18n.level_header(c, level, lang) for c in ("pct_lo", "pct_hi", "upper_one_sided")},
        **{c: label("tab_htmt_below", lang or i18n.current()).format(
            threshold=i18n.number(float(c.removeprefix("below_")), lang))
           for c in out.columns if c.startswith("below_")}})


def fit_sentence(e: Estimation, lang: str | None = None) -> str:
    """Model fit and HTMT2, and what n = 20 can and cannot say about them."""
    t, n, p = e.fit_measures.table, e.fit.n_obs, len(e.fit.layout.items)
    h = e.htmt_test.table.loc["HTMT2"]
    if e.exact_fit is None:
        test = say("estimation.exact_fit_refused", lang, n=n, p=p)
    else:
        row = e.exact_fit.table.loc[("estimated", "SRMR")]
        key = "rejected" if row["rejected_5pct"] else "not_rejected"
        test = say(f"estimation.exact_fit_{key}", lang, n_boot=e.n_boot, srmr=row["value"],
                   q95=row["q95"])
    with i18n.speaking(lang):
        return say("estimation.model_fit", srmr_sat=float(t.loc["SRMR", "saturated"]),
                   srmr_est=float(t.loc["SRMR", "estimated"]),
                   d_uls=float(t.loc["d_ULS", "estimated"]), n=n, test=test,
                   max_htmt2=float(h["estimate"].max()), n_pairs=len(h),
                   n_below_85=int(h["below_0.85"].sum()), n_below_90=int(h["below_0.9"].sum()))


def paths_sentence(e: Estimation, names: dict[str, str], lang: str | None = None) -> str:
    p, r2, ci = e.paths, e.r2, e.r2_ci
    with i18n.speaking(lang):
        return say("estimation.paths", r2=r2["r2"], adj_r2=r2["adj_r2"],
                   ci=(float(ci[0]), float(ci[1])),
                   signs=_named({f: p.loc[f, "estimate"] for f in e.factors}, names, "+.2f"),
                   n_sig=int(p["significant"].sum()), n_paths=len(p),
                   max_vif=float(p["vif"].max()), n_failed=e.boot.n_failed, n_boot=e.n_boot)


def sign_flip_sentence(e: Estimation, names: dict[str, str], lang: str | None = None) -> str:
    shift = (e.paths["mean"] - e.paths["estimate"]).abs()
    flipped = {c: v for c, v in e.boot.settings["sign_flips"].items() if v}
    with i18n.speaking(lang):
        return say("estimation.sign_flips", n_flips=sum(flipped.values()),
                   flips=_named(flipped, names) or say("word.none"),
                   n_ok=e.boot.settings["n_ok"], shift=float(shift.max()),
                   worst=names[shift.idxmax()])


def power_sentence(e: Estimation, lang: str | None = None) -> str:
    n, k, failed = e.power["n"], e.power["k"], e.boot.n_failed
    return say("estimation.power", lang, per_predictor=n / k, min_r2=e.power["min_r2"],
               failed=failed, n_boot=e.n_boot, share=failed / e.n_boot)


def prediction_reading(items: pd.DataFrame, lang: str | None = None) -> str:
    """The PLSpredict reading of :func:`helpers.pls.predict.reading` (Shmueli et al. 2019), as
    a sentence of the catalogue: Q²_predict > 0 first, then on how many indicators PLS's RMSE
    is below the LM benchmark's (all: high, majority: medium, minority: low, none: none)."""
    total = len(items)
    q2_pos = int((items["q2_predict"] > 0).sum())
    valid = items["lm_rmse"].notna()
    beats, m = int(items.loc[valid, "pls_beats_lm_rmse"].sum()), int(valid.sum())
    if q2_pos == 0:
        return say("estimation.prediction_none", lang, total=total)
    if not m:  # no LM benchmark to compare with (helpers.pls.predict.reading says so too)
        return say("estimation.prediction_no_lm", lang, q2_pos=q2_pos, total=total)
    level = ("high" if beats == m else "medium" if beats > m / 2 else "low" if beats
             else "none")
    return say("estimation.prediction_some", lang, q2_pos=q2_pos, total=total, beats=beats,
               m=m, level=say(f"estimation.level_{level}", lang))


def benchmark_text(settings_benchmark: str, lang: str | None = None) -> str:
    """The LM benchmark of PLSpredict in words (its coefficients and residual degrees of
    freedom read from the engine's settings text)."""
    found = re.search(r"(\d+) coefficients, residual df >= (-?\d+)", settings_benchmark)
    if not found:
        return say("estimation.lm_benchmark", lang)
    q, df = int(found[1]), int(found[2])
    key = "estimation.lm_benchmark_df" if df >= 1 else "estimation.lm_benchmark_none"
    return say(key, lang, q=q, df=df)


def prediction_sentence(e: Estimation, lang: str | None = None) -> str:
    return say("estimation.prediction", lang, n=e.fit.n_obs,
               reading=prediction_reading(e.prediction.items, lang),
               benchmark=benchmark_text(e.prediction.settings["benchmark"], lang))


def hypotheses_table(e: Estimation, lang: str | None = None) -> pd.DataFrame:
    """Each hypothesis's finding, verdict, paths (the factors' names in ``lang``) and reason."""
    lang = lang or i18n.current()
    names = factor_labels(lang)
    rows = {}
    for h, v in e.verdicts.items():
        rows[h] = {label("hyp_finding", lang): say(f"finding.{v['finding']}", lang),
                   label("hyp_verdict", lang): say(f"verdict.{v['verdict']}", lang),
                   label("hyp_paths", lang): ", ".join(names.get(p, p) for p in v["paths"]),
                   label("hyp_reason", lang): hypothesis_reason(v, lang)}
    return pd.DataFrame(rows).T


def hypothesis_reason(verdict: dict, lang: str | None = None) -> str:
    """The reason of :func:`helpers.registers.hypotheses.finding` in ``lang``, its factors by name
    (the record keeps the English one)."""
    if lang == "en" or (lang is None and i18n.current() == "en"):
        return verdict["reason"]
    ids = verdict["reason"].rpartition(": ")[2] if ": " in verdict["reason"] else ""
    names = factor_labels(lang or i18n.current())
    factors = ", ".join(names.get(f, f) for f in ids.split(", ")) if ids else ""
    key = {"confirmed": "reason_confirmed", "not confirmed": "reason_unclear"}.get(
        verdict["finding"], "reason_weak")
    if key == "reason_weak" and not verdict["reason"].startswith("only weak"):
        return say("hypotheses.reason_unmeasured", lang)  # verdict_rules.csv: not checkable
    return say(f"hypotheses.{key}", lang, factors=factors) if key != "reason_confirmed" else (
        say("hypotheses.reason_confirmed", lang))


def hypothesis_rule(lang: str | None = None) -> str:
    """The rule of :mod:`helpers.registers.hypotheses` in ``lang`` (the record keeps the English
    one)."""
    if lang == "en" or (lang is None and i18n.current() == "en"):
        return hypotheses.RULE.format(min=MIN_STRENGTH)
    return say("hypotheses.rule", lang, min=say(f"strength.{MIN_STRENGTH}", lang))


def c6_sentence(e: Estimation, lang: str | None = None) -> str:
    """C6 ("every factor's influence is great") under the study's one rule
    (helpers.registers.verdicts)."""
    return say("estimation.c6", lang, n_pos=e.c6["n_positive"], n=len(e.paths),
               margin=float(e.c6["margin"]), verdict=say(f"verdict.{e.c6['verdict']}", lang))


def equal_weight_table(e: Estimation, lang: str | None = None) -> pd.DataFrame:
    """The PLS paths beside the equal-weight OLS coefficients and their interval (its level:
    :data:`helpers.stats.CI_LEVEL`), in ``lang``."""
    coef = e.check["coef"]
    return pd.DataFrame({"PLS path": e.paths["estimate"], "equal-weight OLS": coef["estimate"],
                         i18n.level_header("ols_ci", stats.CI_LEVEL, lang):
                             [i18n.interval(lo, hi, lang, "+.2f") for lo, hi in
                              coef[["ci_low", "ci_high"]].to_numpy()]})


def equal_weight_sentence(e: Estimation, lang: str | None = None) -> str:
    check, k = e.check, len(e.factors)
    return say("estimation.equal_weight", lang, r2=check["r2"], adj_r2=check["adj_r2"],
               pls_r2=e.r2["r2"], same_sign=e.same_sign, k=k,
               n_sig=int((check["coef"]["p"] < 0.05).sum()))


def city_table(e: Estimation) -> pd.DataFrame:
    return pd.DataFrame({"score": e.city_scores.round(2), "rank": e.city_ranks})


def ipma_rule(lang: str | None = None) -> str:
    return IPMA_RULE if (lang or i18n.current()) == "en" else say("estimation.ipma_rule", lang)


def ipma_sentence(e: Estimation, names: dict[str, str], city_name: str,
                  lang: str | None = None) -> str:
    chosen = e.factor_to_improve
    return say("estimation.ipma", lang, rule=ipma_rule(lang), city=city_name,
               factor=names[chosen] if chosen else say("estimation.ipma_none", lang))


def editions_sentence(compared: dict, lang: str | None = None) -> str:
    """Notebook 04's comparison of the codebook's two editions, one sentence per edition."""
    codes = factor_codes()
    return " ".join(
        say("estimation.edition", lang, edition=say(f"estimation.edition_{name}", lang),
            n_indicators=s["n_indicators"], n_secondary=s["n_secondary"],
            n_negative=s["n_negative_weights"], max_htmt=s["max_htmt"],
            pair=" – ".join(codes.get(f, f) for f in s["max_htmt_pair"]), r2=s["r2"])
        for name, s in compared.items())


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
        "hypotheses": e.verdicts, "hypothesis_rule": hypothesis_rule(i18n.SOURCE_LANGUAGE),
        "c6": e.c6,
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
        "model_fit": e.fit_measures.table,
        "model_fit_df": e.fit_measures.df,
        "exact_fit_test": None if e.exact_fit is None else e.exact_fit.table.reset_index()
        .assign(key=lambda d: d["model"] + " " + d["criterion"]).set_index("key")
        .drop(columns=["model", "criterion"]),
        "exact_fit_refusal": e.exact_fit_refusal,
        "htmt2": e.htmt_test.table.loc["HTMT2"].drop(columns=["from", "to"]),
        "max_htmt2": float(e.htmt_test.table.loc["HTMT2", "estimate"].max()),
        "htmt_inference_settings": e.htmt_test.settings,
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


TABLE_WORDS = ("pls_rmse", "pls_mae", "lm_rmse", "lm_mae", "q2_predict", "pls_in_rmse",
               "lm_in_rmse", "pls_beats_lm_rmse", "pls_beats_lm_mae", "obs_per_predictor",
               "target_power", "min_f2", "min_r2", "power_at_observed_r2", "performance_mean",
               "performance_city", "precondition_met", "gap_score",
               "construct", "indicator", "loading", "mode", "vif", "weight", "setting", "value",
               "criterion", "estimated", "saturated", "estimate", "factor", "mean", "sd",
               "significant", "rank", "score", "importance", "bootstrap", "edition", "first",
               "second", "indicators", "official", "secondary", "r(PLS score, 03 composite)",
               "PLS path", "equal-weight OLS", "OLS 95 % CI", "HTMT pair", "adjusted R²",
               "largest HTMT", "negative weights")
"""The English words of notebook 04's tables that a reader sees as headers or cells; each has
its label ``tab_<word>`` in ``data/labels.csv`` (spaces and punctuation as ``_``)."""


def shown(table: pd.DataFrame, lang: str | None = None,
          level: float | None = None) -> pd.DataFrame:
    """A table of notebook 04 for reading in ``lang`` (:func:`helpers.registers.i18n.shown` with
    the words of :data:`TABLE_WORDS`, interval bounds with their ``level``; outside English,
    indicator ids as their names too); the engine's own tables and the record are unchanged."""
    lang = lang or i18n.current()
    names = factor_labels(lang)
    if lang != i18n.SOURCE_LANGUAGE:
        names |= {c: label(f"ind_{c}", lang) for c in data.load_codebook()["column"]
                  if f"ind_{c}" in LABELS}
    return i18n.shown(table, lang, TABLE_WORDS, names, level=level)


def settings_shown(table: pd.DataFrame, lang: str | None = None) -> i18n.ProgramOutput:
    """The engine's settings (a table of program output) with headers in ``lang``, marked as
    program output (:class:`helpers.registers.i18n.ProgramOutput`: its keys and values are the
    engine's, in English; the language checks skip it)."""
    return i18n.ProgramOutput(shown(table, lang))
