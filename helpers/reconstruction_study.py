"""Notebook 06's steps on the (synthetic) survey: its sentences, summaries and record entries.

The simulation, the estimation and the Monte Carlo are :mod:`helpers.reconstruction`'s; this
module turns their results into what notebook 06 shows and records, so the notebook holds short
calls and prose. Every sentence says SYNTHETIC where the data are simulated only through the
notebook's headings and exhibits; the numbers here are about the analysed answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import reconstruction as rec
from helpers.article import table1
from helpers.pls import bootstrap_model, compare_paths, estimate_pls


@dataclass
class Reconstruction:
    """Everything notebook 06 shows and records about one analysed survey."""

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


def record(r: Reconstruction, n_respondents: int) -> dict:
    """The keys notebook 06 records from the analysis (helpers/contract.yaml)."""
    return {"source": r.survey.source, "synthetic": r.survey.synthetic, "n_respondents": r.n,
            "seed": r.seed, "settings": settings(r.fit, r.boot), "paths": r.paths,
            "reliability": r.fit.reliability, "r_squared": r.r2, **plsc_record(r.plsc),
            **r.errors, **power_record(r.power, r.spec, n_respondents),
            "sensitivity": r.sensitivity, "discriminant": discriminant_record(r.discriminant)}


def positive_definite_sentence(ok: bool, min_eigenvalue: float) -> str:
    verdict = "is" if ok else "is NOT"
    return (f"Table 1 **{verdict} positive definite**: its smallest eigenvalue is "
            f"{min_eigenvalue:.3f}.")


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


def paths_sentence(paths: pd.DataFrame, r2: dict) -> str:
    inside = ((paths["pct_lo"] <= paths["assumed"]) & (paths["assumed"] <= paths["pct_hi"])).sum()
    ratio = (paths["ols_se"] / paths["boot_sd"]).agg(["min", "max"])
    return (f"{int(paths['significant'].sum())} of {len(paths)} paths have a 95 % interval that "
            f"excludes zero; {int(inside)} of {len(paths)} intervals contain the assumed value. "
            f"R² = {r2['estimate']:.2f} [{r2['pct_lo']:.2f}, {r2['pct_hi']:.2f}] against "
            f"{r2['population']:.2f} among the latent variables: composites of imperfect items "
            f"explain less. The regression standard errors are {ratio['min']:.2f}–"
            f"{ratio['max']:.2f} times the bootstrap's.")


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


def plsc_sentence(result: dict, r2: dict, n_boot: int) -> str:
    err = result["errors"]
    tail = (f"{result['boot'].n_inadmissible} of {n_boot} resamples had an inadmissible "
            "correction." if result["boot"] is not None else
            f"PLSc has no confidence intervals here: {result['why']}.")
    return (f"Plain PLS misses the assumed paths by up to {err.loc['max', 'pls_error']:.3f} (mean "
            f"{err.loc['mean', 'pls_error']:.3f}), PLSc by up to {err.loc['max', 'plsc_error']:.3f}"
            f" (mean {err.loc['mean', 'plsc_error']:.3f}). R² = {result['r2']:.2f} with PLSc "
            f"against {r2['estimate']:.2f} with PLS and {r2['population']:.2f} among the latent "
            f"variables; {tail}")


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


def discriminant_sentence(result: dict) -> str:
    """What the data can carry: the blocks that are not distinct, and what that means."""
    pairs = result["pairs_above"]
    if result["distinct"]:
        return (f"The blocks are distinct: every HTMT is at most {result['threshold']:.2f} and the "
                "PLSc correction is admissible.")
    named = ", ".join(f"{p['a']}–{p['b']} {p['htmt']:.2f}" for p in pairs[:6])
    more = f" and {len(pairs) - 6} more" if len(pairs) > 6 else ""
    parts = []
    if pairs:
        parts.append(f"{len(pairs)} pair(s) of blocks are **not distinct** (HTMT above "
                     f"{result['threshold']:.2f}: {named}{more})")
    if not result["plsc_admissible"]:
        parts.append("the PLSc correction is **inadmissible** (corrected correlations above 1)")
    return ("The answers cannot carry the model as specified: " + "; ".join(parts) + ". The "
            "respondents seem to answer one common attitude rather than separate factors, so the "
            "paths below are shown for what they are (composites of near-identical blocks) and "
            "PLSc has no bootstrap intervals. Reliability, HTMT and the answer shares remain "
            "readable.")


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


def recovery_sentence(errors: dict, table: pd.DataFrame) -> str:
    latent = errors["max_abs_error_latent"]
    return ("Corrected for measurement error, the construct scores give back Table 1 to within "
            f"{errors['max_abs_error_corrected']:.3f} (largest gap of the 15 pairs); "
            f"{errors['n_covered']} of 15 published values lie inside the 95 % intervals. "
            f"Uncorrected, the scores fall short by up to {errors['max_abs_error_scores']:.3f}, "
            f"and their largest correlation is {errors['max_score_r']:.3f} where Table 1's is "
            f"{table['published'].max():.3f}: a program printing construct-score correlations "
            "would show smaller numbers than the latent structure holds."
            + (f" Sampling error alone moves the simulated factors' own correlations by up to "
               f"{latent:.3f}." if latent is not None else ""))


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


def _beyond(result: dict) -> str:
    return f"more than {max(result['sizes'])}"


def power_sentence(result: dict, spec: rec.ReconstructionSpec) -> str:
    at, need, w = result["at"], result["required"], spec.weights
    weak, strong = w.idxmin(), w.idxmax()
    fmt = {f: (_beyond(result) if pd.isna(v) else f"about {v:.0f}") for f, v in need.items()}
    verdict = ("paths of this size are mostly invisible, so a non-significant path in notebook "
               "04 says little about whether a factor matters" if at[(20, strong)] < 0.5 else
               "even 20 observations would often detect paths of this size")
    return (f"To detect the weakest assumed path ({weak}, β = {w[weak]:.2f}) four times in five, "
            f"a survey needs {fmt[weak]} respondents; the strongest ({strong}, "
            f"β = {w[strong]:.2f}) needs {fmt[strong]}. With 20 observations — the regions' "
            f"cross-section — the power is {at[(20, weak)]:.0%} and {at[(20, strong)]:.0%}: "
            f"{verdict}.")


def sensitivity_sentence(sens: pd.DataFrame, result: dict, spec: rec.ReconstructionSpec) -> str:
    req = f"required_n_{spec.weights.idxmin()}"
    lo, hi = sens.loc["loadings 0.6"], sens.loc["loadings 0.9"]
    level = sens.loc[sens["loading"].isna(), "attenuation"]
    show = {k: (_beyond(result) if pd.isna(v) else f"{v:.0f}") for k, v in sens[req].items()}
    return (f"With loadings of 0.6 the construct scores keep {lo['attenuation']:.0%} of the latent "
            f"correlations (the largest printed correlation would be {lo['max_score_r']:.2f}), "
            f"with 0.9 they keep {hi['attenuation']:.0%} ({hi['max_score_r']:.2f}); across the "
            f"correlation scenarios the share ranges from {level.min():.0%} to "
            f"{level.max():.0%}. Respondents needed for 80 % power on the weakest path: "
            + ", ".join(f"{k}: {v}" for k, v in show.items())
            + ". In every scenario the power at n = 20 stays at or below "
            f"{sens[[c for c in sens.columns if c.endswith('_n20')]].max().max():.0%}.")
