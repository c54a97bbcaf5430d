"""Quality criteria of an estimated PLS path model (Hair et al. 2022, ch. 4-6).

All functions are pure: they take the indicator correlation matrix ``R``, the estimates of the
engine and the :class:`~helpers.pls.engine.Layout`, and return DataFrames.

Reliability of construct c with k indicators, loadings ``l`` and (unit-variance) weights ``w``:

* Cronbach's alpha (standardised):  ``alpha = k/(k-1) * (1 - k / sum(R_cc))``;
* rho_A (Dijkstra & Henseler 2015):
  ``rho_A = (w'w)^2 * w'(R_cc - diag R_cc)w / w'(ww' - diag(ww'))w``;
* composite reliability:            ``rho_C = (sum l)^2 / ((sum l)^2 + sum(1 - l^2))``;
* average variance extracted:       ``AVE = mean(l^2)``.

Single-item constructs get 1 on all four; for Mode B constructs rho_A is set to 1 and alpha,
rho_C and AVE are computed as for Mode A, as seminr does (reliability is not a criterion for
formative measurement: read these columns for Mode A constructs only).

Discriminant validity: Fornell-Larcker (sqrt(AVE) on the diagonal, construct correlations below
it) and HTMT (see :func:`helpers.pls.engine.htmt_batch`).  Collinearity: outer VIF of indicator i
within its block is ``[R_cc^{-1}]_ii``; inner VIF of predictor k of construct c is
``[C_pp^{-1}]_kk`` over c's predecessors p (1 when c has a single predictor).  Effect size
``f^2 = (R^2_included - R^2_excluded) / (1 - R^2_included)``, with ``R^2_excluded`` from
re-estimating the whole model without the path (as seminr and SmartPLS do).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .engine import EngineResult, Layout, htmt_batch, run_pls
from .spec import Model


def reliability(r: np.ndarray, est: EngineResult, layout: Layout) -> pd.DataFrame:
    """Cronbach's alpha, rho_A, rho_C and AVE per construct (formulas in the module docstring)."""
    rows = []
    for j, (blk, mode) in enumerate(zip(layout.blocks, layout.modes, strict=True)):
        k = len(blk)
        if k == 1:
            rows.append((1.0, 1.0, 1.0, 1.0))
            continue
        rcc = r[np.ix_(blk, blk)]
        alpha = k / (k - 1) * (1 - k / rcc.sum())
        lam = est.loadings[0, blk, j]
        rho_c = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
        ave = float(np.mean(lam**2))
        if mode == "B":
            rho_a = 1.0
        else:
            w = est.weights[0, blk, j]
            off = ~np.eye(k, dtype=bool)
            ww = np.outer(w, w)
            rho_a = (w @ w) ** 2 * (w @ (rcc * off) @ w) / (w @ (ww * off) @ w)
        rows.append((alpha, rho_a, rho_c, ave))
    return pd.DataFrame(rows, index=pd.Index(layout.constructs, name="construct"),
                        columns=["alpha", "rho_A", "rho_C", "AVE"])


def _correlations(est: EngineResult, which: str) -> np.ndarray:
    """``"corrected"``: the construct correlations the paths come from; ``"scores"``: those of
    the construct scores (the same for models without PLSc)."""
    if which not in ("corrected", "scores"):
        raise ValueError(f"correlations must be 'corrected' or 'scores', got {which!r}")
    if which == "scores" and est.score_cor is not None:
        return est.score_cor[0]
    return est.construct_cor[0]


def fornell_larcker(est: EngineResult, layout: Layout, ave: pd.Series,
                    correlations: str = "corrected") -> pd.DataFrame:
    """Fornell-Larcker table: sqrt(AVE) on the diagonal, construct correlations below, NaN above.
    Discriminant validity holds when each diagonal value exceeds the correlations in its row
    and column.  ``correlations``: ``"corrected"`` or ``"scores"`` (seminr's convention)."""
    c = _correlations(est, correlations).copy()
    k = len(layout.constructs)
    c[np.triu_indices(k, 1)] = np.nan
    c[np.diag_indices(k)] = np.sqrt(ave.to_numpy())
    names = list(layout.constructs)
    return pd.DataFrame(c, index=names, columns=names)


def htmt(r: np.ndarray, layout: Layout) -> pd.DataFrame:
    """HTMT matrix (upper triangle; NaN on and below the diagonal)."""
    names = list(layout.constructs)
    return pd.DataFrame(htmt_batch(r[None], layout)[0], index=names, columns=names)


def outer_vif(r: np.ndarray, layout: Layout) -> pd.DataFrame:
    """VIF of each indicator on the other indicators of its block (1 for a single item)."""
    rows = []
    for j, blk in enumerate(layout.blocks):
        vif = np.diag(np.linalg.inv(r[np.ix_(blk, blk)])) if len(blk) > 1 else np.ones(1)
        rows += [(layout.items[i], layout.constructs[j], float(v))
                 for i, v in zip(blk, vif, strict=True)]
    return pd.DataFrame(rows, columns=["indicator", "construct", "vif"]).set_index("indicator")


def inner_vif(est: EngineResult, layout: Layout, correlations: str = "corrected") -> pd.DataFrame:
    """Matrix (predictor x endogenous construct) of inner VIFs; NaN where there is no path.
    ``correlations``: ``"corrected"`` or ``"scores"`` (seminr's convention)."""
    names = list(layout.constructs)
    out = np.full((len(names), len(names)), np.nan)
    c = _correlations(est, correlations)
    for j in layout.endogenous:
        p = list(layout.predecessors[j])
        out[p, j] = np.diag(np.linalg.inv(c[np.ix_(p, p)])) if len(p) > 1 else 1.0
    return pd.DataFrame(out, index=names, columns=names)


def f_squared(
    r: np.ndarray, est: EngineResult, model: Model, scheme: str, max_iter: int,
    stop_criterion: float, consistent: bool = True,
) -> pd.DataFrame:
    """Cohen's f² per path (matrix predictor x endogenous construct; NaN where no path), from
    re-estimating the model without each path on the same correlation matrix (with the PLSc
    correction when ``consistent`` and the model has reflective constructs)."""
    layout = Layout.from_model(model, consistent)
    names = list(layout.constructs)
    out = np.full((len(names), len(names)), np.nan)
    for path in model.structure:
        s, t = names.index(path.source), names.index(path.target)
        r2_in = est.r_squared[0, t]
        if len(layout.predecessors[t]) == 1:
            r2_out = 0.0
        else:
            reduced = model.without_path(path.source, path.target)
            lay = Layout.from_model(reduced, consistent)
            keep = [layout.items.index(i) for i in lay.items]
            res = run_pls(r[np.ix_(keep, keep)][None], lay, scheme, max_iter, stop_criterion)
            r2_out = res.r_squared[0, lay.constructs.index(path.target)]
        out[s, t] = (r2_in - r2_out) / (1 - r2_in)
    return pd.DataFrame(out, index=names, columns=names)
