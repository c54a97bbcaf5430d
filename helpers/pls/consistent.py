"""Consistent PLS (PLSc; Dijkstra & Henseler 2015, MIS Quarterly 39:297-316), batched.

Plain PLS treats every construct as a weighted sum of its indicators.  When a construct is
measured *reflectively* (its indicators are error-laden reflections of a common factor), the
composite carries the indicators' measurement error and its correlations with other constructs
are attenuated, so paths are biased towards 0 and loadings upwards.  PLSc corrects this for the
constructs declared :func:`~helpers.pls.spec.reflective`; composites (Mode A or B) and single
items stay as they are (their reliability counts as 1).

For a reflective construct j with Mode A weights ``w`` (scaled to a unit-variance score) and
block correlation matrix ``S``:

* reliability ``rho_A = (w'w)^2 * w'(S - diag S)w / w'(ww' - diag(ww'))w``;
* consistent loadings ``lambda = sqrt(rho_A) * w / (w'w)``;
* corrected construct correlations ``r*_ij = r_ij / sqrt(rho_i rho_j)`` for ``i != j`` (unit
  diagonal), ``rho = 1`` for composites and single items;
* path coefficients by OLS on the corrected matrix, ``beta = C*_pp^{-1} C*_pc``, and
  ``R^2 = beta' C*_pc``; total effects from the corrected paths.

The weights and construct scores are those of plain PLS.  A correction is **inadmissible** when
some ``rho_A <= 0`` (or undefined), some corrected correlation exceeds 1 in absolute value, or
the corrected correlations of an endogenous construct and its predecessors (the system its
regression solves) are not positive definite (smallest eigenvalue <= 0; then R² reaches or
exceeds 1): such an estimate is not a correlation matrix of common factors.
:func:`correct` flags it (per matrix of a stack) instead of raising, so a bootstrap can count
such resamples as failed.

seminr (R 2.x and PyPI 0.2.1) differs in one respect: once a model has any reflective
construct, it also corrects every multi-item *Mode A composite* by its rho_A.  Here a composite
stays a composite (Dijkstra & Henseler; SmartPLS 4); with every Mode A construct declared
reflective the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd


@dataclass
class Correction:
    """PLSc quantities for a stack of B estimates (K constructs, p indicators)."""

    rho_a: np.ndarray  # B x K (1 for composites and single items)
    construct_cor: np.ndarray  # B x K x K corrected
    loadings: np.ndarray  # B x p x K (consistent loadings for reflective blocks)
    admissible: np.ndarray  # B bool
    systems: tuple = ()  # construct indices of each corrected regression system

    @cached_property
    def smallest_eigenvalue(self) -> np.ndarray:
        """B: the smallest eigenvalue over the corrected regression systems (NaN for a matrix
        that is not finite; inf without systems)."""
        cor = self.construct_cor
        finite = np.isfinite(cor).all(axis=(1, 2))
        smallest = np.full(cor.shape[0], np.inf)
        smallest[~finite] = np.nan
        for idx in self.systems:
            if finite.any():
                sub = cor[finite][:, idx][:, :, idx]
                smallest[finite] = np.minimum(smallest[finite], np.linalg.eigvalsh(sub)[:, 0])
        return smallest


def positive_definite(a: np.ndarray, idx) -> np.ndarray:
    """For a stack of symmetric matrices ``a`` (B x K x K): is the submatrix on rows and columns
    ``idx`` positive definite?  It is exactly when every pivot of its Gaussian elimination without
    pivoting (the diagonal D of ``L D L'``) is positive (Sylvester's criterion), which costs a few
    whole-batch vector operations instead of an eigen-decomposition per matrix.  Not finite:
    False."""
    m = [[a[:, u, v] for v in idx] for u in idx]
    ok = np.ones(a.shape[0], dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for k in range(len(idx)):
            ok &= m[k][k] > 0
            for i in range(k + 1, len(idx)):
                f = m[i][k] / m[k][k]
                for j in range(k + 1, len(idx)):
                    m[i][j] = m[i][j] - f * m[k][j]
    return ok


def rho_a_batch(r: np.ndarray, weights: np.ndarray, blocks, reflective) -> np.ndarray:
    """``rho_A`` (B x K) of each reflective construct from the stack of indicator correlations
    ``r`` (B x p x p) and weights (B x p x K); 1 elsewhere.  With unit diagonal in ``S``,
    ``w'(S - diag S)w = w'Sw - w'w`` and ``w'(ww' - diag(ww'))w = (w'w)^2 - sum w^4``."""
    n_b, _, k = weights.shape
    rho = np.ones((n_b, k))
    for j, (blk, refl) in enumerate(zip(blocks, reflective, strict=True)):
        if not refl:
            continue
        blk = np.asarray(blk)
        w = weights[:, blk, j]
        if (np.diff(blk) == 1).all():  # a contiguous block: a view, no copy
            s = r[:, blk[0] : blk[-1] + 1, blk[0] : blk[-1] + 1]
        else:
            s = r[:, blk][:, :, blk]
        wtw = (w * w).sum(axis=1)
        wsw = ((s @ w[..., None])[..., 0] * w).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            rho[:, j] = wtw**2 * (wsw - wtw) / (wtw**2 - (w**4).sum(axis=1))
    return rho


def correct(r: np.ndarray, weights: np.ndarray, construct_cor: np.ndarray, loadings: np.ndarray,
            blocks, reflective, systems=()) -> Correction:
    """Corrected construct correlations and loadings (formulas in the module docstring).
    ``systems``: for each endogenous construct, the construct indices of its regression
    (predecessors and itself), checked for positive definiteness.  ``loadings`` is updated in
    place (its reflective blocks become the consistent loadings) and returned as
    ``Correction.loadings``."""
    rho = rho_a_batch(r, weights, blocks, reflective)
    positive = rho > 0
    admissible = positive.all(axis=1)
    with np.errstate(invalid="ignore"):
        root = np.sqrt(np.where(positive, rho, np.nan))
        cor = construct_cor / (root[:, :, None] * root[:, None, :])
    k = cor.shape[-1]
    cor[:, np.arange(k), np.arange(k)] = 1.0
    off = ~np.eye(k, dtype=bool)
    with np.errstate(invalid="ignore"):
        admissible &= (np.abs(cor[:, off]) <= 1.0).all(axis=1)
    admissible &= np.isfinite(cor).all(axis=(1, 2))
    for idx in systems:  # smallest eigenvalue > 0 (Correction.smallest_eigenvalue)
        admissible &= positive_definite(cor, idx)
    lam = loadings
    for j, (blk, refl) in enumerate(zip(blocks, reflective, strict=True)):
        if refl:
            w = weights[:, blk, j]
            lam[:, blk, j] = w * (root[:, j] / (w * w).sum(axis=1))[:, None]
    return Correction(rho_a=rho, construct_cor=cor, loadings=lam, admissible=admissible,
                      systems=tuple(tuple(idx) for idx in systems))


def compare_paths(plain, consistent, assumed=None, boot=None):
    """Plain PLS and PLSc side by side, one row per structural path (a tidy table).

    ``plain`` and ``consistent`` are fits of the same structure (e.g.
    ``estimate_pls(data, model)`` and ``estimate_pls(data, model.as_reflective())``);
    ``assumed`` optionally gives the true paths (a Series by source construct, or by
    ``"source -> target"``), which adds each estimator's error; ``boot`` a bootstrap of
    ``consistent``, which adds its percentile interval.  The estimators' settings are in the
    ``pls`` / ``plsc`` columns' fits (``plain.settings``, ``consistent.settings``)."""
    rows = []
    for p in consistent.model.structure:
        label = f"{p.source} -> {p.target}"
        row = {"path": label, "from": p.source, "to": p.target,
               "pls": float(plain.path_coefficients.loc[p.source, p.target]),
               "plsc": float(consistent.path_coefficients.loc[p.source, p.target])}
        if assumed is not None:
            truth = assumed.get(label, assumed.get(p.source))
            row["assumed"] = None if truth is None else float(truth)
        if boot is not None:
            row["plsc_pct_lo"] = float(boot.paths.loc[label, "pct_lo"])
            row["plsc_pct_hi"] = float(boot.paths.loc[label, "pct_hi"])
        rows.append(row)
    out = pd.DataFrame(rows).set_index("path")
    if assumed is not None:
        out["pls_error"] = out["pls"] - out["assumed"]
        out["plsc_error"] = out["plsc"] - out["assumed"]
    return out
