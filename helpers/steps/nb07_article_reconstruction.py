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
    return Reconstruction(spec, survey, n_boot, seed, fit, boot, paths, r_squared(boot, spec),
                          plsc(survey.answers, spec, fit, n_boot, seed), table,
                          recovery_record(table, survey.synthetic), study, sens)


def export_sample(survey, folder, seed: int) -> None:
    """The first 60 synthetic respondents as a CSV beside the report (nothing for real answers)."""
    if survey.synthetic:
        rec.export_sample(survey.answers.head(60), folder / "06_synthetic_survey_sample.csv", seed)


def record(r: Reconstruction, n_respondents: int) -> dict:
    """The keys notebook 07 records from the analysis (helpers/run/contract.yaml)."""
    return {"source": r.survey.source, "synthetic": r.survey.synthetic, "n_respondents": r.n,
            "seed": r.seed, "settings": settings(r.fit, r.boot), "paths": r.paths,
            "reliability": r.fit.reliability, "r_squared": r.r2, **plsc_record(r.plsc),
            **r.errors, **power_record(r.power, r.spec, n_respondents),
            "sensitivity": r.sensitivity}


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
    """Consistent PLS (PLSc) beside plain PLS and the assumed paths."""
    model = estimate_pls(answers, spec.model().as_reflective())
    boot = bootstrap_model(model, n_boot=n_boot, seed=seed, bca=False)
    versus = compare_paths(fit, model, assumed=spec.weights, boot=boot)
    errors = versus[["pls_error", "plsc_error"]].abs().agg(["max", "mean"])
    return {"fit": model, "boot": boot, "versus": versus, "errors": errors,
            "r2": float(model.r_squared.loc[spec.outcome, "r2"])}


def plsc_record(result: dict) -> dict:
    return {"plsc_paths": result["versus"],
            "plsc_settings": {k: str(v) for k, v in result["fit"].settings.items()},
            "plsc_r2": result["r2"], "plsc_n_inadmissible": result["boot"].n_inadmissible,
            "plsc_n_failed": result["boot"].n_failed, "path_errors": result["errors"]}


def plsc_sentence(result: dict, r2: dict, n_boot: int, lang: str | None = None) -> str:
    err = result["errors"]
    return say("reconstruction.plsc", lang, pls_max=err.loc["max", "pls_error"],
               pls_mean=err.loc["mean", "pls_error"], plsc_max=err.loc["max", "plsc_error"],
               plsc_mean=err.loc["mean", "plsc_error"], plsc_r2=result["r2"],
               r2=r2["estimate"], population=r2["population"],
               n_inadmissible=result["boot"].n_inadmissible, n_boot=n_boot)


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
