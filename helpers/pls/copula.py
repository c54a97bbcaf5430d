"""Endogeneity: the Gaussian copula approach (Park & Gupta 2012, Mark. Sci. 31:567-586) as Hult,
Hair, Proksch, Sarstedt, Pinkwart & Ringle (2018, J. Int. Mark. 26(3):1-21) apply it to PLS-SEM.

An endogenous construct Y is regressed on its predictors ``X_1..X_q``.  If a predictor X is
correlated with the error (omitted variables, simultaneity), its path is biased.  With a
non-normally distributed X, the copula term

    C_X = Phi^-1( H(X) ),   H(x_i) = #{j : x_j <= x_i} / (n + 1)

(``H`` the empirical distribution function of the construct scores, scaled by n / (n + 1) so
that ``Phi^-1`` stays finite; ties share their highest rank, as R's ``ecdf``) is added to the
regression; its coefficient captures the correlation of X with the error, and the predictors'
coefficients become the corrected paths.  A significant copula term indicates endogeneity.

For a target Y this module estimates, on the fit's construct scores (standardised, as the
paths), the OLS regression of Y on all its predictors (with an intercept) plus the copula terms
of a chosen set of them -- by default every non-empty subset of the predictors, as Hult et al.
recommend, and reports for each: the copula coefficients and the corrected paths with bootstrap
standard errors, two-sided p-values (Student t with B - 1 df, the study's convention) and
percentile intervals.  In every bootstrap resample the whole PLS model is re-estimated, the
scores recomputed on the resample's rows, their ECDF recomputed on the resample (repeated rows
counted as often as drawn) and the regression rerun -- batched: one engine run for all
resamples, then sorting and weighted normal equations per resample.

Diagnoses: the approach identifies the copula term only when the regressor is not normally
distributed (a normal X makes ``C_X`` nearly a linear function of X); every predictor gets a
Shapiro-Wilk test of its scores and a warning when normality is not rejected at 5 %.  A fit with
interaction terms, higher-order constructs or PLSc corrections is refused with the reason (the
copula is defined on the composite scores of a plain PLS fit).
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .bootstrap import _quantiles, resample_counts
from .distributions import norm_ppf, t_sf
from .engine import run_pls, weighted_correlations
from .estimate import PLSFit
from .randomness import random_source
from .spec import ModelSpecificationError
from .twostage import weighted_moments


class CopulaWarning(UserWarning):
    """A regressor looks normally distributed (copula not identified), or resamples failed."""


def copula_term(x: np.ndarray) -> np.ndarray:
    """``Phi^-1(H(x))`` with ``H(x_i) = #{x_j <= x_i} / (n + 1)`` (module docstring)."""
    x = np.asarray(x, dtype=float)
    ranks = np.searchsorted(np.sort(x), x, side="right")
    return norm_ppf(ranks / (len(x) + 1))


def _weighted_copula(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copula terms of the columns of ``s[b]`` (B x n x q) under row weights ``w`` (B x n):
    ``H(x_i) = sum_j w_j [x_j <= x_i] / (sum w + 1)`` -- the ECDF of the resample in which row j
    appears ``w_j`` times (rows with weight 0 get 0: they are not in the resample)."""
    out = np.empty_like(s)
    nb = w.sum(axis=1)
    n = s.shape[1]
    for k in range(s.shape[2]):
        col = s[:, :, k]
        order = np.argsort(col, axis=1, kind="stable")
        srt = np.take_along_axis(col, order, axis=1)
        cum = np.cumsum(np.take_along_axis(w, order, axis=1), axis=1)
        last = np.ones(srt.shape, dtype=bool)  # the last of a run of equal values
        last[:, :-1] = srt[:, 1:] != srt[:, :-1]
        nxt = np.minimum.accumulate(np.where(last, np.arange(n), n)[:, ::-1], axis=1)[:, ::-1]
        h = np.empty_like(col)
        np.put_along_axis(h, order, np.take_along_axis(cum, nxt, axis=1) / (nb + 1)[:, None],
                          axis=1)
        with np.errstate(divide="ignore"):
            out[:, :, k] = np.where(w > 0, norm_ppf(h), 0.0)
    return out


def _ols(y: np.ndarray, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted OLS with an intercept, batched: coefficients (B x q) of y (B x n) on x
    (B x n x q)."""
    nb = w.sum(axis=1)[:, None]
    xc = x - np.einsum("bn,bnq->bq", w, x)[:, None, :] / nb[:, :, None]
    yc = y - (w * y).sum(axis=1, keepdims=True) / nb
    xt = (xc * w[:, :, None]).transpose(0, 2, 1)
    with np.errstate(invalid="ignore"):
        return (np.linalg.pinv(xt @ xc) @ (xt @ yc[:, :, None]))[..., 0]


@dataclass
class CopulaResult:
    """Gaussian copula results for one target: ``table`` (one row per (copula set, term)
    with the estimate, bootstrap sd, t, p and percentile interval; terms are the corrected paths
    ``"X -> Y"`` and the copula coefficients ``"copula(X)"``), ``normality`` (Shapiro-Wilk per
    predictor), ``draws`` per copula set (resamples x terms; failed resamples included, as
    estimated), ``settings``."""

    table: pd.DataFrame
    normality: pd.DataFrame
    draws: dict[str, pd.DataFrame]
    settings: dict = field(default_factory=dict)

    def endogenous(self, alpha: float = 0.05) -> list[str]:
        """Predictors whose copula term is significant (p < alpha) in some copula set."""
        rows = self.table[self.table.term.str.startswith("copula(") & (self.table.p < alpha)]
        return sorted({t[len("copula("):-1] for t in rows.term})


def _diagnose(fit: PLSFit, target: str, regressors) -> list[str]:
    if not isinstance(fit, PLSFit):
        raise TypeError("fit must be a PLSFit from estimate_pls()")
    if fit.interactions or fit.higher_order:
        raise ModelSpecificationError(
            "the Gaussian copula is implemented for plain PLS fits; this fit has "
            + ("interaction terms" if fit.interactions else "higher-order constructs")
            + ", whose scores are built in stages. Test the endogeneity of the predictors in "
            "the model without them.")
    if fit.layout.consistent:
        raise ModelSpecificationError(
            "the Gaussian copula uses composite scores; this fit corrects reflective "
            "constructs by PLSc, whose paths are not regressions on those scores. Estimate with "
            "consistent=False (or declare the constructs composite) for the copula test.")
    if target not in fit.layout.constructs:
        raise ModelSpecificationError(f"{target!r} is not a construct; constructs: "
                                      f"{list(fit.layout.constructs)}")
    preds = fit.model.predecessors(target)
    if not preds:
        raise ModelSpecificationError(f"{target!r} is exogenous: it has no predictors whose "
                                      "endogeneity could be tested")
    chosen = preds if regressors is None else list(regressors)
    bad = [r for r in chosen if r not in preds]
    if bad:
        raise ModelSpecificationError(f"{bad} are not predictors of {target!r}; its "
                                      f"predictors: {preds}")
    single = [r for r in chosen if fit.layout.blocks[fit.layout.constructs.index(r)].size == 1
              and len(np.unique(fit.scores[r])) < 3]
    if single:
        raise ModelSpecificationError(
            f"predictor(s) {single} take fewer than three distinct values: their copula term is "
            "a function of the predictor itself and is not identified. What would work: leave "
            "them out of regressors=.")
    return chosen


def gaussian_copula(fit: PLSFit, target: str, regressors=None, combinations: bool = True,
                    n_boot: int = 1000, seed: int | None = None,
                    rng: np.random.Generator | None = None, alpha: float = 0.05
                    ) -> CopulaResult:
    """Gaussian copula test of the predictors of ``target`` (module docstring).  ``regressors``:
    the predictors that get a copula term (default all); ``combinations``: every non-empty
    subset of them (default), else only all of them together."""
    chosen = _diagnose(fit, target, regressors)
    preds = fit.model.predecessors(target)
    lay = fit.layout
    k_t = lay.constructs.index(target)
    k_p = [lay.constructs.index(p) for p in preds]
    sets = ([list(c) for r in range(1, len(chosen) + 1)
             for c in itertools.combinations(chosen, r)] if combinations else [chosen])
    # deferred: scipy.stats takes about half a second to import, and only this test needs it
    from scipy.stats import shapiro

    tests = {p: shapiro(fit.scores[p]) for p in chosen}
    normality = pd.DataFrame(
        [{"predictor": p, "shapiro_w": t.statistic, "shapiro_p": t.pvalue}
         for p, t in tests.items()]).set_index("predictor")
    normality["identified"] = normality["shapiro_p"] < 0.05
    if not normality["identified"].all():
        warnings.warn(
            f"normality of the scores of {list(normality.index[~normality.identified])} is not "
            "rejected (Shapiro-Wilk p >= 0.05): their copula terms are (nearly) collinear with "
            "them and the test has little power; read those rows with caution.",
            CopulaWarning, stacklevel=2)
    if seed is not None and rng is not None:
        raise ValueError("give at most one of seed= or rng=")
    rng, source = random_source(rng, seed)
    n = fit.raw.shape[0]
    idx = rng.integers(0, n, size=(int(n_boot), n))
    counts = np.vstack([np.ones((1, n)), resample_counts(idx, n)])  # row 0: the data
    if fit.missing == "listwise":
        counts = counts * (~np.isnan(fit.raw).any(axis=1))
    z = (fit.raw - fit.mean) / fit.sd
    est = run_pls(weighted_correlations(z, counts, fit.missing), lay, fit.inner_weighting,
                  fit.max_iter, fit.stop_criterion)
    observed = ~np.isnan(z)
    z0 = np.where(observed, z, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = (counts @ z0) / (counts @ observed)
    filled = np.where(observed[None], z[None], mu[:, None, :])
    mean, _, sd = weighted_moments(filled, counts)
    scores = ((filled - mean[:, None, :]) / sd[:, None, :]) @ est.weights
    _, _, ssd = weighted_moments(scores, counts)
    scores = scores / ssd[:, None, :]  # unit variance in each resample (as the scores are)
    ok = est.ok.copy()
    rows, draws = [], {}
    labels_p = [f"{p} -> {target}" for p in preds]
    copulas = _weighted_copula(scores[:, :, [lay.constructs.index(c) for c in chosen]], counts)
    for chosen_set in sets:
        cop = copulas[:, :, [chosen.index(c) for c in chosen_set]]
        x = np.concatenate([scores[:, :, k_p], cop], axis=2)
        beta = _ols(scores[:, :, k_t], x, counts)
        good = ok[1:] & np.isfinite(beta[1:]).all(axis=1)
        b = beta[1:][good]
        label = "copula(" + ", ".join(chosen_set) + ")"
        terms = labels_p + [f"copula({c})" for c in chosen_set]
        draws[label] = pd.DataFrame(beta[1:], columns=terms)
        srt = np.sort(b, axis=0)
        lo, hi = _quantiles(srt, alpha / 2), _quantiles(srt, 1 - alpha / 2)
        sdv = b.std(axis=0, ddof=1)
        for j, term in enumerate(terms):
            t = beta[0, j] / sdv[j] if sdv[j] > 0 else np.nan
            rows.append({"copulas": label, "term": term, "estimate": beta[0, j],
                         "boot_mean": b[:, j].mean(), "sd": sdv[j], "t": t,
                         "p": float(2 * t_sf(abs(t), len(b) - 1)),
                         "pct_lo": lo[j], "pct_hi": hi[j], "n_boot_ok": int(good.sum())})
    if not ok[1:].all():
        warnings.warn(f"{int((~ok[1:]).sum())} of {n_boot} resamples failed and are left out",
                      CopulaWarning, stacklevel=2)
    base = _ols(scores[:1, :, k_t], scores[:1][:, :, k_p], counts[:1])[0]
    settings = {"target": target, "predictors": preds, "copula_regressors": chosen,
                "copula_sets": [", ".join(c) for c in sets],
                "ecdf": "H(x_i) = #{x_j <= x_i} / (n + 1), ties share the highest rank",
                "regression": "OLS with intercept of the target's scores on its predictors' "
                              "scores and the copula terms",
                "paths_without_copula": dict(zip(labels_p, base.tolist(), strict=True)),
                "n_boot": int(n_boot), "resamples": source,
                "bootstrap": "the PLS model re-estimated, the scores, their ECDF and the "
                             "regression recomputed in every resample",
                "p": f"two-sided, Student t with B - 1 df; percentile interval {1 - alpha:g}",
                "reference": "Park & Gupta (2012); Hult et al. (2018)"}
    return CopulaResult(pd.DataFrame(rows), normality, draws, settings)
