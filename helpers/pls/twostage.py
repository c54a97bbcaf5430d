"""Resampling a model estimated in two stages -- a moderated model (:mod:`helpers.pls.moderation`)
or a two-stage higher-order model (:mod:`helpers.pls.higher_order`) -- as re-running the whole
estimation on the resampled rows does (:func:`resample_two_stage`), and the weighted moments and
regressions it is built from.

For every resample (a row of ``counts``, B x n: how often each row of the data given to
:func:`~helpers.pls.estimate_pls` is drawn; 0/1 counts select a group or a fold):

1. the missing-data treatment inside the resample (mean replacement by the resample's means of
   the observed values; listwise: incomplete rows get weight 0);
2. the indicators standardised with the resample's means and SDs (n - 1);
3. stage 1 (the fit's ``stage1`` model) on the resample's correlation matrix;
4. the generated columns -- interaction terms, or the dimensions' scores -- from the resample's
   standardised indicators and its stage-1 weights (a function the caller passes);
5. stage 2 on the resample's correlation matrix of the measured and the generated columns, in
   the order of the stage-2 model's indicators.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .engine import EngineResult, run_pls, weighted_correlations


def weighted_moments(a: np.ndarray, w: np.ndarray):
    """Weighted means, covariances (n - 1 denominator, n = sum of weights) and SDs of the
    columns of every ``a[b]`` (B x n x q) with weights ``w`` (B x n)."""
    nb = w.sum(axis=1)
    mean = np.einsum("bn,bnq->bq", w, a) / nb[:, None]
    centred = a - mean[:, None, :]
    cov = np.matmul((centred * w[:, :, None]).transpose(0, 2, 1), centred) / (nb - 1)[:, None,
                                                                                        None]
    sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    return mean, cov, sd


def weighted_residuals(g: np.ndarray, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Residuals of every column of ``g[b]`` (B x n x q) from the weighted OLS regression, with
    an intercept, on the columns of ``x[b]`` (B x n x k), row weights ``w`` (B x n): what OLS
    on the resample's rows (each repeated as often as it is drawn) gives."""
    nb = w.sum(axis=1)[:, None, None]
    xc = x - np.einsum("bn,bnk->bk", w, x)[:, None, :] / nb
    gc = g - np.einsum("bn,bnq->bq", w, g)[:, None, :] / nb
    xw = xc * w[:, :, None]
    xt = xw.transpose(0, 2, 1)
    # pinv: a degenerate resample (an item constant in it) stays finite and is flagged later
    return gc - xc @ (np.linalg.pinv(xt @ xc) @ (xt @ gc))


Generate = Callable[[np.ndarray, np.ndarray, np.ndarray, slice], list[np.ndarray]]


def resample_two_stage(fit, counts: np.ndarray, generated: Sequence[str], generate: Generate,
                       chunk: int = 250) -> tuple[EngineResult, EngineResult, np.ndarray]:
    """Both stages of ``fit`` on every resample (module docstring).

    ``generated`` names the generated columns in the order ``generate`` returns them;
    ``generate(zs, weights1, w, rows)`` gets a chunk's standardised indicators ``zs`` (b x n x
    p, stage-1 items), its stage-1 weights (b x p x K1), its row weights ``w`` (b x n) and the
    chunk's slice of the resamples, and returns a list of b x n x q arrays.  Returns the
    stage-1 and stage-2 engine estimates and the stage-2 correlation matrices (B x p2 x p2)."""
    s1, lay1, lay2 = fit.stage1, fit.stage1.layout, fit.layout
    z = (s1.raw - s1.mean) / s1.sd
    observed = ~np.isnan(z)
    counts = np.asarray(counts, dtype=float)
    if s1.missing == "listwise":
        counts = counts * observed.all(axis=1)
    opts = (fit.inner_weighting, fit.max_iter, fit.stop_criterion)
    est1 = run_pls(weighted_correlations(z, counts, s1.missing), lay1, *opts)
    columns = {name: k for k, name in enumerate(lay1.items)}
    for name in generated:
        columns[name] = len(columns)
    order = [columns[item] for item in lay2.items]
    z0 = np.where(observed, z, 0.0)
    r2 = np.empty((counts.shape[0], len(order), len(order)))
    idx = np.arange(len(order))
    for start in range(0, counts.shape[0], chunk):
        rows = slice(start, start + chunk)
        w = counts[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = (w @ z0) / (w @ observed)
        filled = np.where(observed[None], z[None], mu[:, None, :])
        mean, _, sd = weighted_moments(filled, w)
        zs = (filled - mean[:, None, :]) / sd[:, None, :]
        a = np.concatenate([zs, *generate(zs, est1.weights[rows], w, rows)], axis=2)[:, :, order]
        _, cov, sd_a = weighted_moments(a, w)
        with np.errstate(invalid="ignore", divide="ignore"):
            cor = cov / (sd_a[:, :, None] * sd_a[:, None, :])
        cor[:, idx, idx] = 1.0
        r2[rows] = cor
    return est1, run_pls(r2, lay2, *opts), r2
