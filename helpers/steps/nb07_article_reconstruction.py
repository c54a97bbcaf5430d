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
from helpers.steps import nb07_reconstruction as rec


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


def answer_shares(survey, reports_dir, seed: int) -> pd.DataFrame:
    """The share of each answer over all items; synthetic answers also leave a labelled
    teaching sample (60 rows) in the report folder."""
    export_sample(survey, reports_dir, seed)
    shares = survey.answers.stack().value_counts(normalize=True).sort_index()
    return shares.rename("share of answers").to_frame().T.round(3)


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


def power_needed(result: dict, spec: rec.ReconstructionSpec) -> pd.DataFrame:
    at = result["at"]
    return pd.DataFrame({"assumed": spec.weights, "required n (80 %)": result["required"].round(0),
                         "power at n = 20": [at[(20, f)] for f in spec.factors]})


def _beyond(result: dict, lang: str | None = None) -> str:
    return say("reconstruction.beyond", lang, n=max(result["sizes"]))


def power_sentence(result: dict, spec: rec.ReconstructionSpec, lang: str | None = None) -> str:
    at, need, w = result["at"], result["required"], spec.weights
    weak, strong = w.idxmin(), w.idxmax()
    fmt = {f: (_beyond(result, lang) if pd.isna(v) else say("reconstruction.about", lang, n=v))
           for f, v in need.items()}
    verdict = say("reconstruction.power_invisible" if at[(20, strong)] < 0.5 else
                  "reconstruction.power_visible", lang)
    return say("reconstruction.power", lang, weak=weak, w_weak=w[weak], need_weak=fmt[weak],
               strong=strong, w_strong=w[strong], need_strong=fmt[strong],
               p_weak=at[(20, weak)], p_strong=at[(20, strong)], verdict=verdict)


def sensitivity_sentence(sens: pd.DataFrame, result: dict, spec: rec.ReconstructionSpec,
                         lang: str | None = None) -> str:
    req = f"required_n_{spec.weights.idxmin()}"
    lo, hi = sens.loc["loadings 0.6"], sens.loc["loadings 0.9"]
    level = sens.loc[sens["loading"].isna(), "attenuation"]
    show = {k: (_beyond(result, lang) if pd.isna(v) else i18n.number(v, lang, ".0f"))
            for k, v in sens[req].items()}
    needed = i18n.join([f"{k}: {v}" for k, v in show.items()], lang)
    return say("reconstruction.sensitivity", lang, lo_att=lo["attenuation"],
               lo_max=lo["max_score_r"], hi_att=hi["attenuation"], hi_max=hi["max_score_r"],
               level_min=level.min(), level_max=level.max(), needed=needed,
               max_power=sens[[c for c in sens.columns if c.endswith("_n20")]].max().max())
