"""Many specifications of a one-outcome model at once, on stacks of correlation matrices.

The study's structural model is the star of notebook 04: K factors, each a composite of its
block, all pointing at one single-item outcome y. For that model every estimator of the
multiverse has a closed form on the correlation matrix ``R`` of all candidate indicators
(``r_y`` = their correlations with y, ``R_b`` a block's own correlation matrix):

* **PLS Mode A** (path, factorial or centroid scheme alike): each factor's only neighbour is y,
  so its inner proxy is ±y and the outer update gives ``w_b ∝ s_b r_{y,b}``; the algorithm of
  :mod:`helpers.pls.engine`, started from unit weights, reaches it after one pass with
  ``s_b = sign(1' r_{y,b})`` (the sign of the unit-weight composite's correlation with y) and
  then stays there;
* **PLS Mode B**: ``w_b ∝ s_b R_b⁻¹ r_{y,b}``, the same sign;
* **equal weights**: ``w_b ∝ 1`` (the mean of the z-scores), nothing learned from y;
* **PLSc** (Dijkstra & Henseler 2015): Mode A weights, then every construct correlation
  divided by ``sqrt(ρ_A,i ρ_A,j)`` and every correlation with y by ``sqrt(ρ_A,i)``
  (``ρ_A = (w'w)² w'(R_b − diag R_b)w / w'(ww' − diag(ww'))w``) for the blocks read as
  reflective — several indicators, all correlating positively with each other in the first
  matrix of the stack (:func:`reflective_blocks`); other blocks stay composites (ρ = 1), and a
  specification without a reflective block equals Mode A (ρ_A by
  :func:`helpers.pls.consistent.rho_a_batch`). A resample whose ρ_A is not positive
  or whose corrected correlations leave [−1, 1] is inadmissible.

Weights are scaled to unit composite variance, ``w_b ← w_b / sqrt(w_b' R_b w_b)``; construct
correlations ``C = W' R W``, correlations with y ``c = W' r_y``; paths ``β = C⁻¹ c`` and
``R² = β'c`` (OLS of y on the composites).

All distinct blocks of all specifications are weighted once per stack (one batched product
``W' R W`` per estimator and outcome coding), and every specification then gathers its K × K
submatrix: the cost of a specification is one small solve per resample. The first matrix of a
stack may serve as the reference for a construct-level sign-change correction (Tenenhaus et al.
2005): construct b of resample r is multiplied by ``sign(w_rb · w_0b)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .consistent import rho_a_batch
from .engine import _DET_FLOOR

ESTIMATORS = ("pls_mode_a", "pls_mode_b", "equal_weights", "plsc")


@dataclass
class Design:
    """Index form of a list of specifications over one table of candidate columns."""

    columns: tuple[str, ...]  # q candidate columns (indicators and outcome codings)
    blocks: tuple[tuple[int, ...], ...]  # distinct blocks, as column indices
    spec_blocks: np.ndarray  # S x K block ids
    spec_outcome: np.ndarray  # S column index of the outcome
    spec_estimator: np.ndarray  # S estimator names
    spec_group: np.ndarray  # S labels: specifications that share columns (e.g. one data variant)

    @classmethod
    def build(cls, block_columns: Sequence[Sequence[Sequence[str]]], outcomes: Sequence[str],
              estimators: Sequence[str], groups: Sequence[str] | None = None) -> Design:
        """``block_columns[s][k]`` = the columns of factor k in specification s; ``groups``
        optionally labels specifications that draw on the same columns (one year rule and
        scaling): they are weighted together on their own columns only."""
        bad = sorted(set(estimators) - set(ESTIMATORS))
        if bad:
            raise ValueError(f"unknown estimator(s) {bad}; valid: {list(ESTIMATORS)}.")
        names: dict[str, int] = {}
        blocks: dict[tuple[int, ...], int] = {}

        def col(c: str) -> int:
            return names.setdefault(c, len(names))

        spec_blocks = []
        for spec in block_columns:
            ids = []
            for cols in spec:
                key = tuple(col(c) for c in cols)
                ids.append(blocks.setdefault(key, len(blocks)))
            spec_blocks.append(ids)
        outcome = [col(c) for c in outcomes]
        groups = [""] * len(outcome) if groups is None else list(groups)
        return cls(tuple(names), tuple(blocks), np.asarray(spec_blocks, dtype=int),
                   np.asarray(outcome, dtype=int), np.asarray(estimators),
                   np.asarray(groups, dtype=str))

    @property
    def n_specs(self) -> int:
        return len(self.spec_outcome)


@dataclass
class StackResult:
    """Estimates of S specifications on B correlation matrices."""

    paths: np.ndarray  # S x B x K
    r2: np.ndarray  # S x B
    ok: np.ndarray  # S x B bool


def _block_weights(r: np.ndarray, ry: np.ndarray, blocks, estimator: str):
    """Unscaled weights W (B x q x nb) and the sign of each block (B x nb)."""
    n_b, q = ry.shape
    w = np.zeros((n_b, q, len(blocks)))
    sign = np.ones((n_b, len(blocks)))
    bad = np.zeros(n_b, dtype=bool)
    for k, blk in enumerate(blocks):
        blk = list(blk)
        if estimator == "equal_weights":
            w[:, blk, k] = 1.0
            continue
        if len(blk) == 1:
            w[:, blk, k] = 1.0  # a single item: weight 1 whatever the estimator
            continue
        s = np.where(ry[:, blk].sum(axis=1) < 0, -1.0, 1.0)
        if estimator == "pls_mode_b":
            rb = r[:, blk][:, :, blk]
            with np.errstate(invalid="ignore"):
                sg, logdet = np.linalg.slogdet(rb)
            singular = ~(sg > 0) | (logdet < np.log(_DET_FLOOR))
            if singular.any():
                rb = rb.copy()
                rb[singular] = np.eye(len(blk))
                bad |= singular
            w[:, blk, k] = np.linalg.solve(rb, ry[:, blk, None])[..., 0]
        else:
            w[:, blk, k] = ry[:, blk]
        sign[:, k] = s
    return w, sign, bad


def reflective_blocks(r0: np.ndarray, blocks) -> np.ndarray:
    """Which blocks PLSc treats as reflective: several indicators, every correlation between them
    positive in ``r0`` (the data's own matrix). A common factor behind indicators that correlate
    negatively is not a tenable reading; such blocks stay composites (ρ = 1)."""
    out = np.zeros(len(blocks), dtype=bool)
    for k, blk in enumerate(blocks):
        if len(blk) > 1:
            sub = r0[np.ix_(list(blk), list(blk))]
            out[k] = bool((sub[~np.eye(len(blk), dtype=bool)] > 0).all())
    return out


def _group(r: np.ndarray, ry: np.ndarray, blocks, estimator: str, sign_change: bool):
    """Construct correlations G (B x nb x nb) and correlations with y (B x nb) of the blocks."""
    w, sign, bad = _block_weights(r, ry, blocks, estimator)
    rw = r @ w
    g = w.transpose(0, 2, 1) @ rw
    var = np.diagonal(g, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = sign / np.sqrt(var)
    # scaled in place, factor by factor as (g * s_i) * s_j: no B x nb x nb temporaries
    w *= scale[:, None, :]
    g *= scale[:, :, None]
    g *= scale[:, None, :]
    cy = np.einsum("bqk,bq->bk", w, ry)
    if sign_change:
        with np.errstate(invalid="ignore"):
            dot = np.einsum("bqk,qk->bk", w, w[0])
        flip = np.where(dot < 0, -1.0, 1.0)
        w *= flip[:, None, :]
        g *= flip[:, :, None]
        g *= flip[:, None, :]
        cy *= flip
    ok = ~bad & np.isfinite(g).all(axis=(1, 2)) & np.isfinite(cy).all(axis=1)
    block_ok = np.ones(cy.shape, dtype=bool)
    if estimator == "plsc":
        rho = rho_a_batch(r, w, [list(b) for b in blocks], reflective_blocks(r[0], blocks))
        with np.errstate(invalid="ignore", divide="ignore"):
            root = np.sqrt(rho)
            gc = g / (root[:, :, None] * root[:, None, :])
            cy = cy / root
        nb = len(blocks)
        gc[:, np.arange(nb), np.arange(nb)] = 1.0
        g = np.nan_to_num(gc)  # a non-positive rho_A is flagged in block_ok, not propagated
        cy = np.nan_to_num(cy)
        block_ok = (rho > 0) & np.isfinite(rho)
    return g, cy, ok, block_ok


def _solve_flagged(c: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``C⁻¹ v`` for a stack of systems and a mask of the (numerically) singular ones; the
    determinant is only inspected when a plain solve fails or returns non-finite values."""
    try:
        beta = np.linalg.solve(c, v[..., None])[..., 0]
        singular = ~np.isfinite(beta).all(axis=-1)
        if not singular.any():
            return beta, singular
    except np.linalg.LinAlgError:
        pass
    with np.errstate(invalid="ignore"):
        sg, logdet = np.linalg.slogdet(c)
    singular = ~(sg > 0) | ~np.isfinite(logdet) | (logdet < np.log(_DET_FLOOR))
    c = np.where(singular[..., None, None], np.eye(c.shape[-1]), c)
    return np.linalg.solve(c, v[..., None])[..., 0], singular


def estimate_stack(r: np.ndarray, design: Design, sign_change: bool = True,
                   chunk: int = 64) -> StackResult:
    """Estimate every specification of ``design`` on every matrix of the stack ``r`` (B x q x q,
    columns in ``design.columns`` order). With ``sign_change`` the first matrix is the reference.
    """
    r = np.asarray(r, dtype=float)
    if r.ndim != 3 or r.shape[1:] != (len(design.columns),) * 2:
        raise ValueError(f"r must be B x {len(design.columns)} x {len(design.columns)}, "
                         f"got {r.shape}")
    n_b = r.shape[0]
    s_n, k_n = design.spec_blocks.shape
    paths = np.full((s_n, n_b, k_n), np.nan)
    r2 = np.full((s_n, n_b), np.nan)
    ok = np.zeros((s_n, n_b), dtype=bool)
    finite = np.isfinite(r).all(axis=(1, 2))
    if not finite.all():
        r = r.copy()
        r[~finite] = np.eye(r.shape[1])
    groups = {}
    for s in range(s_n):
        key = (design.spec_estimator[s], int(design.spec_outcome[s]), design.spec_group[s])
        groups.setdefault(key, []).append(s)
    for (estimator, y, _), members in groups.items():
        members = np.asarray(members)
        used = np.unique(design.spec_blocks[members])
        local = {int(b): i for i, b in enumerate(used)}
        # only the columns these specifications use (and the outcome), renumbered
        cols = sorted({c for b in used for c in design.blocks[b]} | {y})
        pos = {c: i for i, c in enumerate(cols)}
        blocks = [tuple(pos[c] for c in design.blocks[b]) for b in used]
        sub = r[:, cols][:, :, cols]
        g, cy, good, block_ok = _group(sub, sub[:, :, pos[y]], blocks, str(estimator),
                                       sign_change)
        good &= finite
        ids = np.vectorize(local.__getitem__)(design.spec_blocks[members])
        for start in range(0, len(members), chunk):
            part = ids[start:start + chunk]
            # B x s x K x K: the cells of each specification, taken from the flattened
            # matrices (the same numbers as g[:, part[:, :, None], part[:, None, :]])
            cells = (part[:, :, None] * g.shape[1] + part[:, None, :]).ravel()
            c = np.take(g.reshape(n_b, -1), cells, axis=1).reshape(n_b, *part.shape, k_n)
            v = cy[:, part]  # B x s x K
            bounded = (np.abs(c) <= 1 + 1e-9).all(axis=(2, 3))
            beta, singular = _solve_flagged(c, v)
            fit = (beta * v).sum(axis=-1)
            rows = members[start:start + chunk]
            bounded &= (np.abs(v) <= 1 + 1e-9).all(axis=-1) & (fit <= 1 + 1e-9)
            if estimator == "plsc":  # corrected matrices need not be positive definite
                with np.errstate(invalid="ignore"):
                    bounded &= np.linalg.eigvalsh(c)[..., 0] > 0
            valid = (good[:, None] & ~singular & bounded & block_ok[:, part].all(axis=-1)
                     & np.isfinite(beta).all(axis=-1))
            paths[rows] = np.where(valid[..., None], beta, np.nan).transpose(1, 0, 2)
            r2[rows] = np.where(valid, fit, np.nan).T
            ok[rows] = valid.T
    return StackResult(paths, r2, ok)
