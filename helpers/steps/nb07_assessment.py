"""The full assessment a PLS-SEM reviewer asks for, of the survey model notebook 07 estimates.

:func:`assessment` calls the engine's own functions on the fit and its bootstrap and puts the
numbers into three tables:

* ``constructs`` (one row per construct): reliability (Cronbach's alpha, rho_A, rho_C),
  convergent validity (AVE), collinearity (largest outer VIF of the block; inner VIF towards the
  outcome), the path to the outcome with its bootstrap interval and p (significance), f² and R²;
* ``pairs`` (one row per pair of constructs): HTMT and HTMT2 with their bootstrap percentile
  intervals and the one-sided bound tested against 0.85 and 0.90
  (:func:`helpers.pls.htmt_inference`, the same resamples as the path bootstrap);
* ``model`` (one row per criterion): SRMR, d_ULS and d_G of the estimated model with the 95 %
  and 99 % quantiles and the p of the bootstrap test of exact fit (:func:`helpers.pls.model_fit`,
  :func:`helpers.pls.test_exact_fit`), PLSpredict (Q²_predict and how many indicators PLS predicts
  better than the linear model), CVPAT against the indicator average and the linear model.

A piece the data cannot carry (e.g. a singular correlation matrix for the exact-fit test, blocks
that are not distinct) is not raised: its rows are empty and ``refused`` says why (the engine's
own reason), so the notebook shows the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.pls import cvpat, htmt_inference, model_fit, predict_pls, test_exact_fit
from helpers.registers import i18n
from helpers.registers.i18n import say
from helpers.registers.labels import factor_labels
from helpers.steps.nb07_reconstruction import path_names

FOLDS, REPEATS = 10, 10
"""PLSpredict and CVPAT: 10 folds, repeated 10 times (Shmueli et al. 2019; Liengaard et al.
2021)."""
EXACT_FIT_MAX = 1000
"""The exact-fit test uses at most this many resamples (modest: it re-estimates the model)."""
REFUSED = (ValueError, RuntimeError, ArithmeticError, np.linalg.LinAlgError)
TABLE_WORDS = ("construct", "alpha", "rho_A", "rho_C", "max_outer_vif", "path", "path_lo",
               "path_hi", "inner_vif", "f2", "r2", "r2_adj", "pair", "HTMT_estimate",
               "HTMT_pct_lo", "HTMT_pct_hi", "HTMT_upper_one_sided", "HTMT_below_0.9",
               "HTMT2_estimate", "HTMT2_pct_lo", "HTMT2_pct_hi", "HTMT2_upper_one_sided",
               "HTMT2_below_0.9", "criterion", "value", "reference", "reference_99",
               "supports_model", "SRMR (estimated model)", "d_ULS (estimated model)",
               "d_G (estimated model)", "PLSpredict: min Q²_predict",
               "PLSpredict: share of indicators PLS RMSE < LM", "CVPAT vs IA: PLS loss",
               "CVPAT vs LM: PLS loss")
"""The English words of the assessment's tables a reader sees (labels ``tab_<word>`` in
data/labels.csv; the English label is the word itself)."""


@dataclass
class Assessment:
    """Three tables (``constructs``, ``pairs``, ``model``), the engine's results they come
    from (``results``), the pieces that could not be computed and why (``refused``), and the
    settings."""

    constructs: pd.DataFrame
    pairs: pd.DataFrame
    model: pd.DataFrame
    results: dict
    refused: dict[str, str] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {"constructs": self.constructs, "pairs": self.pairs, "model": self.model}

    def show(self, digits: int = 3, lang: str | None = None) -> list[pd.DataFrame]:
        """The tables rounded for the screen, for reading in ``lang`` (headers, criteria and
        yes/no translated, constructs by name, pairs by the article's codes, decimal commas);
        the bootstrap t-test p of the paths and the 0.85 decisions stay in the record (the
        screen reads the intervals and the 0.90 tests)."""
        hidden = ["path_p", "HTMT_below_0.85", "HTMT2_below_0.85"]
        lang = lang or i18n.current()
        names = factor_labels(lang) | path_names("–")  # HTMT's pairs have no direction
        return [i18n.shown(t.drop(columns=[c for c in hidden if c in t]).round(digits), lang,
                           TABLE_WORDS, names=names)
                for t in self.tables.values()]

    def sentence(self, lang: str | None = None) -> str:
        return assessment_sentence(self, lang)

    def record(self) -> dict:
        """JSON-ready (helpers/run/contract.yaml key ``assessment``)."""
        return {"constructs": self.constructs, "pairs": self.pairs, "model": self.model,
                "refused": dict(self.refused),
                "settings": {k: str(v) for k, v in self.settings.items()}}


def _attempt(refused: dict, name: str, compute):
    try:
        return compute()
    except REFUSED as why:  # the engine's refusal or failure, shown instead of raised
        refused[name] = f"{type(why).__name__}: {why}"
        return None


def _construct_table(fit, boot, outcome: str) -> pd.DataFrame:
    table = fit.reliability[["alpha", "rho_A", "rho_C", "AVE"]].copy()
    table["max_outer_vif"] = fit.outer_vif.groupby("construct")["vif"].max()
    paths = boot.paths[boot.paths["to"] == outcome].set_index("from")
    table["path"] = paths["estimate"]
    table["path_lo"], table["path_hi"], table["path_p"] = (paths["pct_lo"], paths["pct_hi"],
                                                         paths["p"])
    table["inner_vif"] = fit.inner_vif[outcome]
    table["f2"] = fit.f_squared[outcome]
    table["r2"] = fit.r_squared["r2"].reindex(table.index)
    table["r2_adj"] = fit.r_squared["adj_r2"].reindex(table.index)
    return table.rename_axis("construct")


def _pair_table(inference) -> pd.DataFrame:
    cols = ["estimate", "pct_lo", "pct_hi", "upper_one_sided", "below_0.85", "below_0.9"]
    if inference is None:
        return pd.DataFrame(columns=["pair", *[f"{r}_{c}" for r in ("HTMT", "HTMT2")
                                                for c in cols]])
    t = inference.table
    wide = pd.concat({ratio: t.loc[ratio, cols] for ratio in ("HTMT", "HTMT2")}, axis=1)
    wide.columns = [f"{ratio}_{c}" for ratio, c in wide.columns]
    return wide.rename_axis("pair")


def _model_table(fit_test, prediction, cv) -> pd.DataFrame:
    rows = []
    if fit_test is not None:
        for crit, row in fit_test.table.loc["estimated"].iterrows():
            rows.append({"criterion": f"{crit} (estimated model)", "value": row["value"],
                         "reference": row["q95"], "reference_99": row["q99"],
                         "p": row["p_boot"], "supports_model": not bool(row["rejected_5pct"])})
    if prediction is not None:
        items = prediction.items
        rows.append({"criterion": "PLSpredict: min Q²_predict", "value": items["q2_predict"].min(),
                     "reference": 0.0, "supports_model": bool((items["q2_predict"] > 0).all())})
        rows.append({"criterion": "PLSpredict: share of indicators PLS RMSE < LM",
                     "value": items["pls_beats_lm_rmse"].mean(), "reference": 0.5,
                     "supports_model": bool(items["pls_beats_lm_rmse"].mean() > 0.5)})
    if cv is not None:
        for bench in ("IA", "LM"):
            row = cv.table.loc[(bench, "Overall")]
            rows.append({"criterion": f"CVPAT vs {bench}: PLS loss", "value": row["pls_loss"],
                         "reference": row["benchmark_loss"], "p": row["p_paired"],
                         "supports_model": bool(row["pls_loss"] < row["benchmark_loss"]
                                                and row["p_paired"] < 0.05)})
    cols = ["value", "reference", "reference_99", "p", "supports_model"]
    return pd.DataFrame(rows, columns=["criterion", *cols]).set_index("criterion")


def assessment(fit, boot, outcome: str, n_boot: int, seed: int) -> Assessment:
    """Assess ``fit`` (its bootstrap ``boot``) as a PLS-SEM reviewer asks (module docstring).

    The HTMT/HTMT2 bootstrap draws ``n_boot`` resamples from ``seed`` (the same rows as
    :func:`helpers.pls.bootstrap_model` with that seed), the exact-fit test
    ``min(n_boot, EXACT_FIT_MAX)`` from ``seed + 4``, PLSpredict and CVPAT 10 x 10 folds from
    ``seed + 5`` (CVPAT's bootstrap ``n_boot``)."""
    refused: dict[str, str] = {}
    n_exact = max(20, min(int(n_boot), EXACT_FIT_MAX))
    results = {
        "model_fit": _attempt(refused, "model_fit", lambda: model_fit(fit)),
        "exact_fit": _attempt(refused, "exact_fit", lambda: test_exact_fit(
            fit, n_boot=n_exact, seed=seed + 4, models=("estimated",))),
        "htmt": _attempt(refused, "htmt", lambda: htmt_inference(
            fit, n_boot=max(20, int(n_boot)), seed=seed)),
        "predict": _attempt(refused, "predict", lambda: predict_pls(
            fit, folds=FOLDS, repeats=REPEATS, seed=seed + 5)),
        "cvpat": _attempt(refused, "cvpat", lambda: cvpat(
            fit, folds=FOLDS, repeats=REPEATS, seed=seed + 5, n_boot=max(20, int(n_boot)))),
    }
    settings = {"outcome": outcome, "n_boot": n_boot, "seed": seed,
                "htmt_resamples": f"{n_boot} (seed {seed}, the path bootstrap's rows)",
                "exact_fit_resamples": f"{n_exact} (seed {seed + 4}), estimated model",
                "predict_folds": f"{FOLDS} folds x {REPEATS} repeats (seed {seed + 5})",
                "cvpat": f"{FOLDS} folds x {REPEATS} repeats, paired t and "
                         f"{n_boot} bootstrap resamples (seed {seed + 5})",
                "path_intervals": "percentile 95 % from the notebook's bootstrap"}
    return Assessment(constructs=_construct_table(fit, boot, outcome),
                      pairs=_pair_table(results["htmt"]),
                      model=_model_table(results["exact_fit"], results["predict"],
                                         results["cvpat"]),
                      results=results, refused=refused, settings=settings)


def assessment_sentence(a: Assessment, lang: str | None = None) -> str:
    """What a reviewer reads from the tables, with the numbers; a refused piece says why."""
    c = a.constructs
    parts = [say("assessment.measurement", lang, rho_a_min=float(c["rho_A"].min()),
                 rho_a_max=float(c["rho_A"].max()), ave_min=float(c["AVE"].min()),
                 vif_max=float(np.nanmax(c[["max_outer_vif", "inner_vif"]].to_numpy())))]
    if "htmt" not in a.refused:
        p = a.pairs
        parts.append(say("assessment.htmt", lang, htmt_max=float(p["HTMT_estimate"].max()),
                         upper_max=float(p["HTMT_upper_one_sided"].max()),
                         htmt2_max=float(p["HTMT2_estimate"].max()),
                         n_below=int(p["HTMT_below_0.9"].sum()), n=len(p)))
    fit_rows = a.model.loc[a.model.index.str.startswith("SRMR")]
    if not fit_rows.empty:
        row = fit_rows.iloc[0]
        key = "assessment.fit_kept" if row["supports_model"] else "assessment.fit_rejected"
        parts.append(say(key, lang, srmr=float(row["value"]), q95=float(row["reference"]),
                         p=float(row["p"])))
    has = c["path"].notna()
    excludes = (c.loc[has, "path_lo"] > 0) | (c.loc[has, "path_hi"] < 0)
    parts.append(say("assessment.paths", lang, n_sig=int(excludes.sum()), n=int(has.sum()),
                     f2_max=float(c["f2"].max()),
                     r2=float(c["r2"].dropna().iloc[0]) if c["r2"].notna().any() else np.nan))
    cv = a.model.loc[a.model.index.str.startswith("CVPAT")]
    if not cv.empty:
        parts.append(say("assessment.cvpat", lang, ia_p=float(cv.iloc[0]["p"]),
                         lm_p=float(cv.iloc[1]["p"])))
    for piece, why in a.refused.items():
        parts.append(say("assessment.refused", lang, piece=piece, why=why))
    return " ".join(parts)
