"""Overall model fit of a PLS path model: SRMR, d_ULS and d_G for the saturated and the estimated
model, and the bootstrap test of exact overall fit (Dijkstra & Henseler 2015, Comput. Stat. Data
Anal. 81:10-23; Henseler 2017; Schuberth, Henseler & Dijkstra 2018, Front. Psychol. 9:2541).

**Model-implied indicator correlations** ``Sigma`` for the saturated and the estimated model:
:mod:`helpers.pls.implied`.

**Distances** between the indicator correlation matrix ``S`` and ``Sigma``:

* ``SRMR = sqrt( sum_{i >= j} (s_ij - sigma_ij)^2 / (p (p + 1) / 2) )`` (lower triangle with the
  diagonal, whose cells are 0 for correlation matrices; as cSEM and SmartPLS);
* ``d_ULS = 1/2 sum_ij (s_ij - sigma_ij)^2`` (squared Euclidean distance, whole matrix);
* ``d_G = 1/2 sum_k (log phi_k)^2`` with ``phi_k`` the eigenvalues of ``S^-1 Sigma`` (geodesic
  distance; undefined when ``Sigma`` is not positive definite).

**Test of exact overall fit** (:func:`test_exact_fit`).  H0: the population correlation matrix
is the one the model implies.  The standardised data ``Z`` are transformed to fit the model
exactly (Beran & Srivastava 1985; Bollen & Stine 1992): ``Z~ = Z S^{-1/2} Sigma^{1/2}`` (symmetric
square roots), whose correlation matrix is ``Sigma``.  Rows of ``Z~`` are resampled, the model is
re-estimated on every resample (batched, as :func:`~helpers.pls.bootstrap_model`) and the
distances between each resample's ``S*`` and its own ``Sigma*`` form the reference distribution
under H0.  Exact fit is rejected at level alpha when the original distance exceeds the
``1 - alpha`` quantile (95 % and 99 % reported; type-7 quantiles); the bootstrap p value is the
share of resamples whose distance is at least the original one.

**Degrees of freedom** (what the model restricts): ``p(p - 1)/2`` off-diagonal correlations
minus the free parameters: per composite block ``p_j (p_j - 1)/2`` within-block correlations
and ``p_j - 1`` weights; per common factor ``p_j`` loadings; construct correlations
``K(K - 1)/2`` (saturated) or the paths plus ``K_x (K_x - 1)/2`` correlations of the ``K_x``
exogenous constructs (estimated).  A model with no degrees of freedom reproduces ``S``
exactly: its exact-fit test is refused (there is nothing to test), as is a test on data whose
correlation matrix is singular (fewer observations than indicators, or collinear indicators).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .bootstrap import resample_counts
from .engine import STACK_BLOCK, EngineResult, Layout, run_pls, weighted_correlations
from .estimate import PLSFit
from .implied import STRUCTURES, implied_indicator_cor
from .randomness import random_source
from .settings import settings_text
from .spec import ModelSpecificationError

CRITERIA = ("SRMR", "d_ULS", "d_G")
INADMISSIBLE = ("drop", "ignore", "replace")


class ModelFitWarning(UserWarning):
    """Part of a model-fit assessment is undefined or some resamples were set aside."""


def _cholesky_exists(m: np.ndarray) -> bool:
    """Whether ``m`` is positive definite in floating point (a positive smallest eigenvalue of
    order 1e-17 is not enough: Cholesky decides)."""
    if not np.isfinite(m).all():
        return False
    try:
        np.linalg.cholesky(m)
    except np.linalg.LinAlgError:
        return False
    return True


def distances(s: np.ndarray, sigma: np.ndarray) -> dict[str, np.ndarray]:
    """SRMR, d_ULS and d_G (each of length B) between stacks ``s`` and ``sigma`` (B x p x p).
    d_G is NaN where ``s`` or ``sigma`` is not positive definite."""
    diff = s - sigma
    p = s.shape[-1]
    lower = np.tril(np.ones((p, p), dtype=bool))
    srmr = np.sqrt((diff[:, lower] ** 2).sum(axis=1) / lower.sum())
    d_uls = 0.5 * (diff**2).sum(axis=(1, 2))
    d_g = np.full(s.shape[0], np.nan)
    try:
        chol = np.linalg.cholesky(s)
        ok = np.ones(s.shape[0], dtype=bool)
    except np.linalg.LinAlgError:  # a resample with fewer distinct rows than indicators
        ok = np.array([_cholesky_exists(m) for m in s])
        chol = np.linalg.cholesky(np.where(ok[:, None, None], s, np.eye(p)))
    inv_l = np.linalg.inv(chol)
    m = inv_l @ sigma @ inv_l.transpose(0, 2, 1)
    m = (m + m.transpose(0, 2, 1)) / 2
    finite = np.isfinite(m).all(axis=(1, 2))
    m[~finite] = np.eye(p)
    eig = np.linalg.eigvalsh(m)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 0.5 * (np.log(eig) ** 2).sum(axis=1)
    good = ok & finite & (eig[:, 0] > 0)
    d_g[good] = value[good]
    return {"SRMR": srmr, "d_ULS": d_uls, "d_G": d_g}


def resample_distances(r: np.ndarray, est: EngineResult, layout: Layout,
                       structure: str) -> dict[str, np.ndarray]:
    """:func:`distances` between each resample's correlation matrix (``r``, B x p x p) and the
    one its estimates ``est`` imply for ``structure``, computed block by block of
    :data:`~helpers.pls.engine.STACK_BLOCK` resamples (every step is per matrix, so the blocks
    change nothing but the memory a stack of implied matrices and their factors occupies)."""
    out = {c: np.empty(r.shape[0]) for c in CRITERIA}
    for lo in range(0, r.shape[0], STACK_BLOCK):
        rows = slice(lo, lo + STACK_BLOCK)
        part = EngineResult(**{k: v[rows] if isinstance(v, np.ndarray) else v
                               for k, v in vars(est).items()})
        d = distances(r[rows], implied_indicator_cor(r[rows], part, layout, structure))
        for c in CRITERIA:
            out[c][rows] = d[c]
    return out


def degrees_of_freedom(layout: Layout, structure: str) -> dict[str, int]:
    """Correlations, free parameters and degrees of freedom (module docstring)."""
    p = len(layout.items)
    k = len(layout.constructs)
    params = 0
    for j, blk in enumerate(layout.blocks):
        pj = len(blk)
        if layout.reflective and layout.reflective[j]:
            params += pj
        else:
            params += pj * (pj - 1) // 2 + pj - 1
    if structure == "saturated":
        params += k * (k - 1) // 2
    else:
        exo = sum(1 for pr in layout.predecessors if not pr)
        params += int(layout.adjacency.sum()) + exo * (exo - 1) // 2
    moments = p * (p - 1) // 2
    return {"correlations": moments, "parameters": params, "df": moments - params}


def _refuse_interactions(fit: PLSFit, what: str) -> None:
    if fit.interactions:
        raise ModelSpecificationError(
            f"{what} is not defined for a model with interaction terms "
            f"({sorted(fit.interactions)}): their generated indicators are not part of a "
            "model-implied correlation matrix. Assess the fit of the main-effects model "
            "(fit.stage1) instead.")


@dataclass
class ModelFit:
    """SRMR, d_ULS, d_G of the saturated and the estimated model (``table``: criterion x
    model), the implied matrices, the degrees of freedom and the settings."""

    table: pd.DataFrame
    implied: dict[str, pd.DataFrame]
    df: dict[str, dict[str, int]]
    settings: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        df = pd.DataFrame(self.df).T.rename_axis("model")
        return {"model_fit": self.table, "model_fit_df": df}

    def summary(self) -> str:
        text = "\n".join(["Model fit", settings_text(self.settings), "",
                          self.table.round(4).to_string()])
        print(text)
        return text


def model_fit(fit: PLSFit) -> ModelFit:
    """SRMR, d_ULS and d_G of ``fit`` for the saturated and the estimated model (module
    docstring).  Descriptive; :func:`test_exact_fit` adds the bootstrap test."""
    _refuse_interactions(fit, "model fit")
    lay = fit.layout
    s = fit.corr[None]
    cols, implied, dfs = {}, {}, {}
    for structure in STRUCTURES:
        sigma = implied_indicator_cor(s, fit.estimates, lay, structure)
        d = distances(s, sigma)
        cols[structure] = [float(d[c][0]) for c in CRITERIA]
        implied[structure] = pd.DataFrame(sigma[0], index=list(lay.items),
                                          columns=list(lay.items))
        dfs[structure] = degrees_of_freedom(lay, structure)
    table = pd.DataFrame(cols, index=pd.Index(CRITERIA, name="criterion"))
    kinds = {c: ("common factor (PLSc)" if lay.reflective and lay.reflective[j] else
                 "composite") for j, c in enumerate(lay.constructs)}
    settings = {
        "method": "model fit (Dijkstra & Henseler 2015; Schuberth, Henseler & Dijkstra 2018)",
        "implied_matrix": kinds,
        "SRMR": "root mean square of S - Sigma over the lower triangle with the diagonal",
        "d_ULS": "0.5 * sum of squared differences S - Sigma (whole matrix)",
        "d_G": "0.5 * sum of squared logs of the eigenvalues of S^-1 Sigma",
        "saturated": "construct correlations as estimated",
        "estimated": "construct correlations implied by the path model",
        "n_obs": fit.n_obs,
    }
    if np.isnan(table.loc["d_G"]).any():
        settings["d_G_note"] = ("undefined: S or the implied matrix is not positive definite"
                                + (f" (n = {fit.n_obs} < p = {len(lay.items)} indicators)"
                                   if fit.n_obs <= len(lay.items) else ""))
    return ModelFit(table=table, implied=implied, df=dfs, settings=settings)


def _sqrt_psd(m: np.ndarray, inverse: bool = False) -> np.ndarray:
    vals, vecs = np.linalg.eigh(m)
    root = 1 / np.sqrt(vals) if inverse else np.sqrt(vals)
    return (vecs * root) @ vecs.T


@dataclass
class ExactFitTest:
    """Bootstrap test of exact overall fit: ``table`` (one row per model and criterion with the
    original value, the 95 % and 99 % quantiles of the reference distribution, the bootstrap p
    value and the decisions), the draws, and the settings."""

    table: pd.DataFrame
    draws: dict[str, pd.DataFrame]
    failed: np.ndarray
    settings: dict = field(default_factory=dict)

    @property
    def n_failed(self) -> int:
        return int(self.failed.sum())

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"exact_fit_test": self.table}

    def summary(self) -> str:
        text = "\n".join(["Bootstrap test of exact overall fit", settings_text(self.settings),
                          "", self.table.round(4).to_string()])
        print(text)
        return text


def _check_testable(fit: PLSFit, structures) -> np.ndarray:
    lay = fit.layout
    p = len(lay.items)
    n = fit.n_obs
    for structure in structures:
        dof = degrees_of_freedom(lay, structure)
        if dof["df"] <= 0:
            raise ModelSpecificationError(
                f"the {structure} model has no degrees of freedom ({dof['correlations']} "
                f"indicator correlations, {dof['parameters']} free parameters): it reproduces "
                "the correlations exactly, so there is no exact fit to test. What would work: "
                "more indicators per construct, a model with fewer paths, or reading SRMR "
                "descriptively (model_fit).")
    vals = np.linalg.eigvalsh(fit.corr)
    if n <= p or vals[0] <= 1e-10:
        why = (f"only n = {n} observations for p = {p} indicators" if n <= p
               else "some indicators are (nearly) collinear")
        raise ModelSpecificationError(
            f"the exact-fit test needs a positive definite indicator correlation matrix to "
            f"transform the data to the model, but it is singular: {why}. What would work: "
            "more observations than indicators (and in practice many more), fewer indicators, "
            "or reading SRMR descriptively (model_fit).")
    return vals


def test_exact_fit(
    fit: PLSFit,
    n_boot: int = 5000,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    inadmissible: str = "drop",
    max_rounds: int = 20,
    models: tuple[str, ...] = STRUCTURES,
) -> ExactFitTest:
    """Bootstrap test of exact overall fit for the saturated and the estimated model (module
    docstring), ``n_boot`` resamples from ``seed`` (or ``rng``).

    ``inadmissible``: what happens to a resample whose re-estimation fails or whose PLSc
    correction is inadmissible: ``"drop"`` (default: left out of the reference distribution,
    counted), ``"ignore"`` (kept wherever its distances are defined) or ``"replace"`` (replaced
    by new resamples until ``n_boot`` usable ones, at most ``max_rounds`` rounds).  ``models``:
    which of ``("saturated", "estimated")`` to test (both by default; each has its own
    resamples).  Refuses models without degrees of freedom and singular data with the
    reason."""
    _refuse_interactions(fit, "the exact-fit test")
    if inadmissible not in INADMISSIBLE:
        raise ValueError(f"inadmissible must be one of {INADMISSIBLE}, got {inadmissible!r}")
    if int(n_boot) != n_boot or n_boot < 20:
        raise ValueError(f"n_boot must be an integer >= 20, got {n_boot!r}")
    if seed is not None and rng is not None:
        raise ValueError("give at most one of seed= or rng=")
    models = tuple(models)
    if not models or any(m not in STRUCTURES for m in models):
        raise ValueError(f"models must be a non-empty subset of {STRUCTURES}, got {models!r}")
    _check_testable(fit, models)
    lay = fit.layout
    rng, source = random_source(rng, seed)
    z = (fit.clean - fit.mean) / fit.sd
    n = z.shape[0]
    s_inv_half = _sqrt_psd(fit.corr, inverse=True)
    original = model_fit(fit)
    transformed = {}
    for structure in models:
        sigma = original.implied[structure].to_numpy()
        vals = np.linalg.eigvalsh(sigma)
        if vals[0] <= 0:
            raise ModelSpecificationError(
                f"the {structure} model's implied indicator correlation matrix is not positive "
                f"definite (smallest eigenvalue {vals[0]:.3g}), so the data cannot be "
                "transformed to fit it; check admissibility (loadings or correlations beyond "
                "+-1).")
        transformed[structure] = z @ s_inv_half @ _sqrt_psd(sigma)

    def run(count: int, structure: str):
        r = weighted_correlations(transformed[structure],
                                  resample_counts(rng.integers(0, n, size=(count, n)), n), "mean")
        est = run_pls(r, lay, fit.inner_weighting, fit.max_iter, fit.stop_criterion)
        d = resample_distances(r, est, lay, structure)
        defined = np.isfinite(np.column_stack([d[c] for c in CRITERIA[:2]])).all(axis=1)
        admissible = est.admissible if est.admissible is not None else np.ones(count, bool)
        return d, est.ok & defined, admissible

    rows, draws, failed_any = [], {}, np.zeros(n_boot, dtype=bool)
    counts_note = {}
    for structure in models:
        d, ok, adm = run(n_boot, structure)
        total_drawn, n_inadm, n_fail = n_boot, int((~adm).sum()), int((~ok & adm).sum())
        if inadmissible == "replace":
            for _ in range(max_rounds):
                bad = np.flatnonzero(~ok)
                if not bad.size:
                    break
                d_new, ok_new, adm_new = run(bad.size, structure)
                total_drawn += bad.size
                n_inadm += int((~adm_new).sum())
                n_fail += int((~ok_new & adm_new).sum())
                for c in CRITERIA:
                    d[c][bad] = d_new[c]
                ok[bad] = ok_new
        keep = ok if inadmissible != "ignore" else (ok | ~adm) & np.isfinite(d["SRMR"])
        failed_any |= ~keep
        counts_note[structure] = {"resamples_drawn": total_drawn, "used": int(keep.sum()),
                                  "set_aside": int((~keep).sum()),
                                  "inadmissible_drawn": n_inadm,
                                  "failed_drawn": n_fail}
        draws[structure] = pd.DataFrame({c: d[c] for c in CRITERIA})
        for c in CRITERIA:
            value = float(original.table.loc[c, structure])
            ref = d[c][keep & np.isfinite(d[c])]
            if ref.size < 20:
                q95 = q99 = p_value = np.nan
            else:
                q95, q99 = (float(q) for q in np.quantile(ref, [0.95, 0.99]))
                p_value = float((ref >= value).mean())
            rows.append({"model": structure, "criterion": c, "value": value,
                         "q95": q95, "q99": q99, "p_boot": p_value,
                         "rejected_5pct": bool(value > q95) if np.isfinite(q95) else None,
                         "rejected_1pct": bool(value > q99) if np.isfinite(q99) else None,
                         "n_used": int(ref.size)})
    set_aside = {k: v["set_aside"] for k, v in counts_note.items()}
    if any(set_aside.values()):
        warnings.warn(f"exact-fit test: resamples set aside per model {set_aside} "
                      f"(inadmissible={inadmissible!r}); see result.settings",
                      ModelFitWarning, stacklevel=2)
    dof = {s: degrees_of_freedom(lay, s)["df"] for s in models}
    settings = {
        "method": "bootstrap test of exact overall fit (Dijkstra & Henseler 2015): data "
                  "transformed to fit the model, Z S^-1/2 Sigma^1/2, rows resampled",
        "n_boot": int(n_boot),
        "resamples": source,
        "inadmissible": inadmissible,
        "inadmissible_rule": {"drop": "failed or inadmissible resamples left out (counted)",
                              "ignore": "inadmissible resamples kept where defined",
                              "replace": f"replaced by new draws (at most {max_rounds} rounds)"
                              }[inadmissible],
        "resample_counts": counts_note,
        "quantiles": "type 7 (numpy linear) 95 % and 99 %",
        "decision": "exact fit rejected at 5 % (1 %) when the value exceeds q95 (q99)",
        "degrees_of_freedom": dof,
        "estimation": {k: fit.settings[k] for k in ("inner_weighting", "missing",
                                                     "stop_criterion", "max_iter", "n_obs")},
    }
    table = pd.DataFrame(rows).set_index(["model", "criterion"])
    return ExactFitTest(table=table, draws=draws, failed=failed_any, settings=settings)


test_exact_fit.__test__ = False  # not a pytest test function
