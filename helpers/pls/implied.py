"""Model-implied correlation matrices of an estimated PLS path model (Dijkstra & Henseler 2015,
Comput. Stat. Data Anal. 81:10-23), used by the model-fit criteria (:mod:`helpers.pls.fit`), the
admissibility checks (:mod:`helpers.pls.admissibility`) and prediction (:mod:`helpers.pls.newdata`).

**Model-implied indicator correlations** ``Sigma`` (p x p).  Write ``lambda_j`` for the loadings
of block j and ``C`` for the construct correlations:

* a *composite* (Mode A or B, or a single item) leaves its block's correlations unrestricted,
  ``Sigma_jj = S_jj``, and its loadings are the covariances of its indicators with its
  unit-variance score, ``lambda_j = S_jj w_j`` (the score loadings);
* a *common factor* (a construct declared reflective, corrected by PLSc) implies
  ``Sigma_jj = lambda_j lambda_j'`` off the diagonal (unit diagonal), with its consistent
  loadings ``lambda_j``;
* between blocks: ``Sigma_ij = lambda_i C_ij lambda_j'``.

``C`` is, for the **saturated** model, the estimated construct correlation matrix itself (the
corrected one for PLSc), so only the measurement model restricts ``Sigma``; for the
**estimated** model, the correlations the structural model implies: the exogenous constructs
keep their correlations, and each endogenous construct c, taken in causal order, is
``eta_c = sum_k beta_kc eta_k + zeta_c`` with a disturbance uncorrelated with everything that
comes before it and a variance that gives ``eta_c`` unit variance, so
``C_ck = sum_q beta_qc C_qk`` for every construct k before c.
"""

from __future__ import annotations

import numpy as np

from .engine import EngineResult, Layout
from .spec import ModelSpecificationError

STRUCTURES = ("saturated", "estimated")


def causal_order(layout: Layout) -> list[int]:
    """Construct indices with every construct after all its predecessors (exogenous first)."""
    order = [j for j, p in enumerate(layout.predecessors) if not p]
    done = set(order)
    pending = [j for j in range(len(layout.constructs)) if j not in done]
    while pending:
        ready = [j for j in pending if set(layout.predecessors[j]) <= done]
        if not ready:  # unreachable for a validated (acyclic) model
            raise ModelSpecificationError("the structural model has a cycle")
        for j in ready:
            order.append(j)
            done.add(j)
            pending.remove(j)
    return order


def implied_construct_cor(c: np.ndarray, paths: np.ndarray, layout: Layout) -> np.ndarray:
    """Construct correlations the structural model implies (B x K x K), from the estimated
    correlations ``c`` (exogenous block kept) and path coefficients ``paths`` (module
    docstring)."""
    out = c.copy()
    order = causal_order(layout)
    seen: list[int] = []
    for j in order:
        pred = list(layout.predecessors[j])
        if pred and seen:
            beta = paths[:, pred, j]  # B x q
            row = np.einsum("bq,bqk->bk", beta, out[:, pred][:, :, seen])
            out[:, j, seen] = row
            out[:, seen, j] = row
        seen.append(j)
    return out


def implied_indicator_cor(r: np.ndarray, est: EngineResult, layout: Layout,
                          structure: str = "saturated") -> np.ndarray:
    """Model-implied indicator correlations ``Sigma`` (B x p x p) of the estimates ``est`` on
    the stack of correlation matrices ``r`` (module docstring)."""
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {STRUCTURES}, got {structure!r}")
    c = est.construct_cor
    if structure == "estimated":
        c = implied_construct_cor(c, est.paths, layout)
    n_b, p, _ = r.shape
    lam = np.zeros((n_b, p, len(layout.constructs)))
    for j, blk in enumerate(layout.blocks):
        source = est.loadings if layout.reflective and layout.reflective[j] else \
            est.cross_loadings
        lam[:, blk, j] = source[:, blk, j]
    sigma = lam @ c @ lam.transpose(0, 2, 1)
    for j, blk in enumerate(layout.blocks):
        ix = np.ix_(np.arange(n_b), blk, blk)
        if layout.reflective and layout.reflective[j]:
            sigma[ix] = lam[:, blk, j][:, :, None] * lam[:, blk, j][:, None, :]
        else:
            sigma[ix] = r[ix]
    idx = np.arange(p)
    sigma[:, idx, idx] = 1.0
    return sigma
