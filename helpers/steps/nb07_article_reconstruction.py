"""Notebook 07's steps on the (synthetic) survey: its sentences, summaries and record entries.

The simulation, the estimation and the Monte Carlo are :mod:`helpers.steps.nb07_reconstruction`'s;
this
module turns their results into what notebook 07 shows and records, so the notebook holds short
calls and prose. Every sentence says SYNTHETIC where the data are simulated only through the
notebook's headings and exhibits; the numbers here are about the analysed answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.pls import bootstrap_model, compare_paths, estimate_pls
from helpers.registers import i18n
from helpers.registers.article import table1
from helpers.registers.i18n import say
from helpers.registers.labels import factor_labels, label
from helpers.steps import nb07_reconstruction as rec
from helpers.steps.nb07_survey_instrument import questionnaire


@dataclass
class Reconstruction:
    """Everything notebook 07 shows and records about one analysed survey."""

    spec: rec.ReconstructionSpec
    survey: object
    n_boot: int
    seed: int
    fit: object
    boot: object
    paths: pd.DataFrame
    r2: dict
    plsc: dict
    recovery: pd.DataFrame
    errors: dict
    power: dict
    sensitivity: pd.DataFrame
    discriminant: dict | None = None

    @property
    def n(self) -> int:
        return len(self.survey.answers)


def run(spec: rec.ReconstructionSpec, survey, n_boot: int, n_sim: int, seed: int,
        n_respondents: int) -> Reconstruction:
    """Estimate the article's model on ``survey`` (PLS and PLSc, bootstrap of ``n_boot``),
    recover Table 1 from the construct scores, and run the power study and its sensitivity
    (``n_sim`` simulated surveys per size). Seeds: the bootstrap ``seed``, the recovery bootstrap
    ``seed + 1``, the power study ``seed + 2``, the sensitivity ``seed + 3``."""
    fit, boot, paths = estimate(survey.answers, spec, n_boot, seed)
    table = recovery(fit, survey, spec, table1(), n_boot, np.random.default_rng(seed + 1))
    study = power(spec, n_respondents, n_sim, np.random.default_rng(seed + 2))
    sens = rec.sensitivity(spec, rec.SCENARIOS, rec.SENSITIVITY_SIZES, n_sim, seed + 3,
                           n_respondents)
    consistent = plsc(survey.answers, spec, fit, n_boot, seed)
    return Reconstruction(spec, survey, n_boot, seed, fit, boot, paths, r_squared(boot, spec),
                          consistent, table, recovery_record(table, survey.synthetic), study, sens,
                          discriminant(fit, consistent["fit"]))


def export_sample(survey, folder, seed: int) -> None:
    """The first 60 synthetic respondents as a CSV beside the report (nothing for real answers)."""
    if survey.synthetic:
        rec.export_sample(survey.answers.head(60), folder / "07_synthetic_survey_sample.csv", seed)


def record(r: Reconstruction, n_respondents: int) -> dict:
    """The keys notebook 07 records from the analysis (helpers/run/contract.yaml)."""
    pd_ok, min_eig = rec.positive_definite(table1())
    return {"spec": r.spec.summary(),
            "positive_definite": {"positive_definite": pd_ok, "min_eigenvalue": min_eig},
            "source": r.survey.source, "synthetic": r.survey.synthetic, "n_respondents": r.n,
            "seed": r.seed, "settings": settings(r.fit, r.boot), "paths": r.paths,
            "reliability": r.fit.reliability, "r_squared": r.r2, **plsc_record(r.plsc),
            **r.errors, **power_record(r.power, r.spec, n_respondents),
            "sensitivity": r.sensitivity, "discriminant": discriminant_record(r.discriminant)}


def answer_shares(survey, reports_dir, seed: int, lang: str | None = None) -> pd.DataFrame:
    """The share of each answer over all items, for reading in ``lang``; synthetic answers also
    leave a labelled teaching sample (60 rows) in the report folder."""
    export_sample(survey, reports_dir, seed)
    shares = survey.answers.stack().value_counts(normalize=True).sort_index()
    return shown(shares.rename("share of answers").to_frame().T.round(3), lang)


def answers_shown(survey, rows: int = 5, lang: str | None = None) -> pd.DataFrame:
    """The first ``rows`` respondents' answers (item codes as columns), headers in ``lang``."""
    return shown(survey.answers.head(rows), lang)


def positive_definite_sentence(ok: bool, min_eigenvalue: float, lang: str | None = None) -> str:
    key = "reconstruction.positive_definite" if ok else "reconstruction.not_positive_definite"
    return say(key, lang, min_eigenvalue=min_eigenvalue)


def estimate(answers: pd.DataFrame, spec: rec.ReconstructionSpec, n_boot: int, seed: int):
    """Plain PLS on the answers with a percentile bootstrap: ``(fit, boot, paths table)``."""
    fit = estimate_pls(answers, spec.model())
    boot = bootstrap_model(fit, n_boot=n_boot, seed=seed, bca=False)
    return fit, boot, rec.path_table(fit, boot, spec)


def r_squared(boot, spec: rec.ReconstructionSpec) -> dict:
    r2 = boot.r_squared.loc[spec.outcome]
    return {"estimate": r2["estimate"], "pct_lo": r2["pct_lo"], "pct_hi": r2["pct_hi"],
            "population": spec.r_squared}


def settings(fit, boot) -> dict[str, str]:
    """PLS and bootstrap settings, as text."""
    return {k: str(v) for k, v in {**fit.settings, **boot.settings}.items()}


def paths_sentence(paths: pd.DataFrame, r2: dict, lang: str | None = None) -> str:
    inside = ((paths["pct_lo"] <= paths["assumed"]) & (paths["assumed"] <= paths["pct_hi"])).sum()
    ratio = (paths["ols_se"] / paths["boot_sd"]).agg(["min", "max"])
    return say("reconstruction.paths", lang, n_sig=int(paths["significant"].sum()), n=len(paths),
               n_inside=int(inside), r2=r2["estimate"],
               r2_ci=(float(r2["pct_lo"]), float(r2["pct_hi"])), population=r2["population"],
               ratio_min=ratio["min"], ratio_max=ratio["max"])


def plsc(answers: pd.DataFrame, spec: rec.ReconstructionSpec, fit, n_boot: int, seed: int) -> dict:
    """Consistent PLS (PLSc) beside plain PLS and the assumed paths.

    When the data cannot carry the correction (blocks that are not distinct: the corrected
    correlations exceed 1 on the full sample, or in every resample) the PLSc estimate is still
    shown, without a bootstrap: ``boot`` is ``None`` and ``why`` says why; nothing stops."""
    model = estimate_pls(answers, spec.model().as_reflective())
    boot, why = None, ""
    if model.settings.get("admissible", True):
        try:
            boot = bootstrap_model(model, n_boot=n_boot, seed=seed, bca=False)
        except RuntimeError as failure:  # no resample gave an admissible correction
            why = f"the bootstrap could not run ({failure})"
    else:
        why = "the correction is inadmissible on the full sample (corrected correlations beyond ±1)"
    versus = compare_paths(fit, model, assumed=spec.weights, boot=boot)
    if boot is None:
        versus.insert(versus.columns.get_loc("assumed") + 1, "plsc_pct_lo", np.nan)
        versus.insert(versus.columns.get_loc("plsc_pct_lo") + 1, "plsc_pct_hi", np.nan)
    errors = versus[["pls_error", "plsc_error"]].abs().agg(["max", "mean"])
    return {"fit": model, "boot": boot, "versus": versus, "errors": errors, "why": why,
            "r2": float(model.r_squared.loc[spec.outcome, "r2"])}


def plsc_record(result: dict) -> dict:
    boot = result["boot"]
    return {"plsc_paths": result["versus"],
            "plsc_settings": {k: str(v) for k, v in result["fit"].settings.items()},
            "plsc_r2": result["r2"],
            "plsc_n_inadmissible": None if boot is None else boot.n_inadmissible,
            "plsc_n_failed": None if boot is None else boot.n_failed,
            "path_errors": result["errors"]}


def plsc_sentence(result: dict, r2: dict, n_boot: int, lang: str | None = None) -> str:
    err = result["errors"]
    values = dict(pls_max=err.loc["max", "pls_error"], pls_mean=err.loc["mean", "pls_error"],
                  plsc_max=err.loc["max", "plsc_error"], plsc_mean=err.loc["mean", "plsc_error"],
                  plsc_r2=result["r2"], r2=r2["estimate"], population=r2["population"])
    if result["boot"] is None:  # the data could not carry the correction: see discriminant()
        return say("reconstruction.plsc_no_bootstrap", lang, **values)
    return say("reconstruction.plsc", lang, n_inadmissible=result["boot"].n_inadmissible,
               n_boot=n_boot, **values)


HTMT_THRESHOLD = 0.90
"""Henseler, Ringle & Sarstedt (2015): two blocks whose HTMT exceeds 0.90 are not distinct."""


def discriminant(fit, consistent_fit) -> dict:
    """Are the blocks distinct? HTMT of every pair of constructs (plain PLS fit), the pairs above
    :data:`HTMT_THRESHOLD`, and whether the PLSc correction is admissible on the full sample."""
    htmt = fit.htmt
    pairs = [{"a": a, "b": b, "htmt": float(htmt.loc[a, b])}
             for i, a in enumerate(htmt.index) for b in htmt.columns[i + 1:]
             if pd.notna(htmt.loc[a, b]) and float(htmt.loc[a, b]) > HTMT_THRESHOLD]
    admissible = str(consistent_fit.settings.get("admissible", True)) == "True"
    return {"htmt": htmt, "pairs_above": sorted(pairs, key=lambda p: -p["htmt"]),
            "threshold": HTMT_THRESHOLD, "plsc_admissible": admissible,
            "distinct": not pairs and admissible}


def discriminant_record(result: dict | None) -> dict:
    if result is None:
        return {}
    return {"distinct": result["distinct"], "threshold": result["threshold"],
            "plsc_admissible": result["plsc_admissible"], "pairs_above": result["pairs_above"],
            "htmt": result["htmt"]}


def discriminant_sentence(result: dict, lang: str | None = None) -> str:
    """What the data can carry: the blocks that are not distinct, and what that means."""
    if result["distinct"]:
        return say("reconstruction.blocks_distinct", lang, threshold=result["threshold"])
    sentences = []
    if result["pairs_above"]:
        pairs = i18n.join([f"{p['a']}–{p['b']} {i18n.number(p['htmt'], lang, '.2f')}"
                           for p in result["pairs_above"]], lang)
        sentences.append(say("reconstruction.blocks_not_distinct", lang,
                             threshold=result["threshold"], pairs=pairs))
    if not result["plsc_admissible"]:
        sentences.append(say("reconstruction.plsc_inadmissible", lang))
    return " ".join(sentences)


def recovery(fit, survey, spec: rec.ReconstructionSpec, published: pd.DataFrame, n_boot: int,
             rng) -> pd.DataFrame:
    """Table 1 recovered from the construct scores (bootstrap with ``rng``)."""
    factors = list(spec.factors)
    boot_r = rec.score_correlation_bootstrap(fit.scores[factors], fit.reliability["rho_A"],
                                             n_boot, rng)
    latent = survey.latent[factors] if survey.synthetic else None
    return rec.recovery_table(published, boot_r, latent)


def recovery_record(table: pd.DataFrame, synthetic: bool) -> dict:
    latent = (table["latent_sample"] - table["published"]).abs().max() if synthetic else None
    return {"recovery": table.set_axis(["|".join(p) for p in table.index]),
            "max_abs_error_corrected": table["error_corrected"].abs().max(),
            "max_abs_error_scores": table["error_scores"].abs().max(),
            "max_abs_error_latent": latent,
            "n_covered": int(table["covered"].sum()), "max_score_r": table["r"].max()}


def recovery_sentence(errors: dict, table: pd.DataFrame, lang: str | None = None) -> str:
    latent = errors["max_abs_error_latent"]
    text = say("reconstruction.recovery", lang, corrected=errors["max_abs_error_corrected"],
               n_covered=errors["n_covered"], scores=errors["max_abs_error_scores"],
               max_score_r=errors["max_score_r"], published_max=table["published"].max())
    if latent is None:
        return text
    return " ".join([text, say("reconstruction.recovery_latent", lang, latent=latent)])


def power(spec: rec.ReconstructionSpec, n_respondents: int, n_sim: int, rng) -> dict:
    """The Monte Carlo power study on the grid plus ``n_respondents``."""
    sizes = sorted({*rec.POWER_SIZES, n_respondents})
    table = rec.power_study(spec, sizes, n_sim, rng)
    return {"sizes": sizes, "table": table, "required": rec.required_n(table),
            "at": table.set_index(["n", "path"])["power"],
            "grid": table.pivot(index="n", columns="path", values="power")[list(spec.factors)]}


def power_record(result: dict, spec: rec.ReconstructionSpec, n_respondents: int) -> dict:
    at = result["at"]
    return {"power": {str(k): v for k, v in result["grid"].to_dict(orient="index").items()},
            "power_sizes": result["sizes"], "required_n": result["required"],
            "power_at_20": {f: at[(20, f)] for f in spec.factors},
            "power_at_survey_n": {f: at[(n_respondents, f)] for f in spec.factors}}


def power_needed(result: dict, spec: rec.ReconstructionSpec,
                 lang: str | None = None) -> pd.DataFrame:
    """Per assumed path: its size, the respondents needed for 80 % power and the power at the
    regions' n = 20, for reading in ``lang``."""
    at = result["at"]
    return shown(pd.DataFrame({"assumed": spec.weights,
                               "required n (80 %)": result["required"].round(0),
                               "power at n = 20": [at[(20, f)] for f in spec.factors]}), lang)


def _beyond(result: dict, lang: str | None = None) -> str:
    return say("reconstruction.beyond", lang, n=max(result["sizes"]))


def power_sentence(result: dict, spec: rec.ReconstructionSpec, lang: str | None = None) -> str:
    at, need, w = result["at"], result["required"], spec.weights
    weak, strong = w.idxmin(), w.idxmax()
    fmt = {f: (_beyond(result, lang) if pd.isna(v) else say("reconstruction.about", lang, n=v))
           for f, v in need.items()}
    verdict = say("reconstruction.power_invisible" if at[(20, strong)] < 0.5 else
                  "reconstruction.power_visible", lang)
    names = factor_labels(lang or i18n.current())
    return say("reconstruction.power", lang, weak=names[weak], w_weak=w[weak],
               need_weak=fmt[weak], strong=names[strong], w_strong=w[strong],
               need_strong=fmt[strong],
               p_weak=at[(20, weak)], p_strong=at[(20, strong)], verdict=verdict)


def sensitivity_sentence(sens: pd.DataFrame, result: dict, spec: rec.ReconstructionSpec,
                         lang: str | None = None) -> str:
    req = f"required_n_{spec.weights.idxmin()}"
    lo, hi = sens.loc["loadings 0.6"], sens.loc["loadings 0.9"]
    level = sens.loc[sens["loading"].isna(), "attenuation"]
    show = {k: (_beyond(result, lang) if pd.isna(v) else i18n.number(v, lang, ".0f"))
            for k, v in sens[req].items()}
    needed = i18n.join([f"{scenario_name(k, lang)}: {v}" for k, v in show.items()], lang)
    return say("reconstruction.sensitivity", lang, lo_att=lo["attenuation"],
               lo_max=lo["max_score_r"], hi_att=hi["attenuation"], hi_max=hi["max_score_r"],
               level_min=level.min(), level_max=level.max(), needed=needed,
               max_power=sens[[c for c in sens.columns if c.endswith("_n20")]].max().max())


# --- the tables as a reader sees them -------------------------------------------------------

TABLE_WORDS = ("assumed", "estimate", "pct_lo", "pct_hi", "boot_sd", "ols_se", "significant",
               "factor", "pls", "plsc", "plsc_pct_lo", "plsc_pct_hi", "pls_error", "plsc_error",
               "path", "published", "latent_sample", "r_lo", "r_hi", "corrected", "corrected_lo",
               "corrected_hi", "error_corrected", "error_scores", "covered", "row", "col",
               "share of answers", "respondent", "required n (80 %)", "power at n = 20",
               "assumption", "value", "rationale", "factor correlations", "items and loadings",
               "structural weights", "respondents", "answer scale", "item", "statement",
               "item no")
"""The English words of notebook 07's tables that a reader sees as headers or cells; each has its
label ``tab_<word>`` in ``data/labels.csv`` (the English label is the word itself)."""


def shown(table: pd.DataFrame, lang: str | None = None, words=()) -> pd.DataFrame:
    """A table of notebook 07 for reading in ``lang``: factor ids as names, paths by the
    article's codes, the words of :data:`TABLE_WORDS` (and ``words``) from ``data/labels.csv``,
    yes/no, numbers written the language's way (:func:`helpers.registers.i18n.shown`); the
    record is unchanged. A two-level index keeps its levels, their names translated."""
    lang = lang or i18n.current()
    if table.index.nlevels > 1:
        table = table.rename_axis(index=[label(i18n.table_label(n), lang) if n else n
                                         for n in table.index.names])
    return i18n.shown(table, lang, (*TABLE_WORDS, *words),
                      names=factor_labels(lang) | rec.path_names())


def assumptions_shown(spec: rec.ReconstructionSpec, lang: str | None = None) -> pd.DataFrame:
    """The reconstruction's assumptions, their values and rationales, for reading in ``lang``."""
    lang = lang or i18n.current()
    return shown(rec.assumptions_table(spec, lang), lang)


def questionnaire_shown(lang: str | None = None) -> pd.DataFrame:
    """The survey's items as a respondent sees them in ``lang``, headers in ``lang``."""
    lang = lang or i18n.current()
    return shown(questionnaire(lang).rename_axis("item no"), lang)


SCENARIO_KEYS = {"correlation_scale": "reconstruction.scenario_correlations",
                 "loading": "reconstruction.scenario_loadings"}
"""The sentence that names a sensitivity scenario by the one assumption it changes."""


def scenario_name(name: str, lang: str | None = None) -> str:
    """A scenario of :data:`helpers.steps.nb07_reconstruction.SCENARIOS` named in ``lang``
    ("correlations ×0,5", "loadings 0,6"; the base case "base")."""
    change = rec.SCENARIOS[name]
    if not change:
        return say("reconstruction.scenario_base", lang)
    ((what, value),) = change.items()
    return say(SCENARIO_KEYS[what], lang, value=value)


def sensitivity_shown(sens: pd.DataFrame, spec: rec.ReconstructionSpec, n_respondents: int,
                      lang: str | None = None) -> pd.DataFrame:
    """The sensitivity table turned on its side for reading in ``lang``: one column per scenario,
    one row per quantity, each named by a sentence (the factor's name and the sample size filled
    in); the record keeps :func:`helpers.steps.nb07_reconstruction.sensitivity`'s columns."""
    lang = lang or i18n.current()
    names = factor_labels(lang)
    rows = {"correlation_scale": say("sensitivity.correlation_scale", lang),
            "loading": say("sensitivity.loading", lang),
            "r_squared_population": say("sensitivity.r_squared_population", lang),
            "min_eigenvalue": say("sensitivity.min_eigenvalue", lang),
            "max_latent_r": say("sensitivity.max_latent_r", lang),
            "attenuation": say("sensitivity.attenuation", lang, n=n_respondents),
            "max_score_r": say("sensitivity.max_score_r", lang, n=n_respondents)}
    for factor in dict.fromkeys((spec.weights.idxmin(), spec.weights.idxmax())):
        name = names[factor]
        rows[f"mean_estimate_{factor}"] = say("sensitivity.mean_estimate", lang, factor=name,
                                              n=n_respondents)
        for n in (n_respondents, 20):
            rows[f"power_{factor}_n{n}"] = say("sensitivity.power", lang, factor=name, n=n)
        rows[f"required_n_{factor}"] = say("sensitivity.required_n", lang, factor=name)
    unknown = [c for c in sens.columns if c not in rows]
    if unknown:
        raise KeyError(f"sensitivity_shown has no name for the column(s) {unknown}; "
                       f"it names {sorted(rows)}.")
    table = sens.T.rename(index=rows, columns=lambda s: scenario_name(s, lang))
    return i18n.readable(table.rename_axis(index=None, columns=None), lang)


def texts_shown(spec: rec.ReconstructionSpec | None = None) -> list[str]:
    """Every English text of the data that notebook 07 shows through
    ``data/i18n/data_texts.csv``: the specification's rationales."""
    spec = rec.load_spec() if spec is None else spec
    return [spec.rationale[key] for key in rec.RATIONALES]
