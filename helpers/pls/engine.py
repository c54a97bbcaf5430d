"""The PLS-SEM algorithm on indicator correlation matrices, batched over a stack of matrices.

Everything PLS-SEM estimates from z-standardised indicators depends on the data only through
their correlation matrix ``R`` (p x p).  Write ``W`` (p x K) for the outer weights, with the
weights of construct ``c`` in the rows of its own indicators and zeros elsewhere.  The construct
scores are ``Y = X W`` and

* construct variances / correlations:  ``C = W' R W``  (the scores are scaled so ``diag C = 1``);
* indicator-construct correlations:    ``R W``  (cross-loadings; the loadings are its own-block
  cells);
* an inner proxy ``Z_c = sum_k e_kc Y_k`` has covariances ``cov(x, Z) = R W E`` with the
  indicators.

The iterative algorithm (Lohmöller 1989; Hair et al. 2022, ch. 3), as seminr and SmartPLS run it:

0. start with every outer weight equal to 1;
1. scale the weights so every composite has unit variance: ``w_c <- w_c / sqrt(w_c' R w_c)``;
2. inner weights ``E`` (K x K, ``e_kc`` = weight of construct k in the proxy of construct c) from
   the construct correlations ``C``:

   - *path* scheme: for a predecessor k of c, ``e_kc`` is k's coefficient in the OLS regression of
     c on all its predecessors; for a successor k of c, ``e_kc = cor(Y_k, Y_c)``;
   - *factorial* scheme: ``e_kc = cor(Y_k, Y_c)`` for every neighbour k (either direction);
   - *centroid* scheme: ``e_kc = sign(cor(Y_k, Y_c))`` for every neighbour;

3. outer update from ``G = R W E`` (covariances of the indicators with the inner proxies):

   - Mode A (correlation weights): ``w_c = G[block c, c]``;
   - Mode B (regression weights):  ``w_c = R_cc^{-1} G[block c, c]`` (``R_cc`` the block's
     correlation matrix);

4. rescale as in step 1 and stop when ``sum |w_new - w_old| < stop_criterion`` or after
   ``max_iter`` further passes.  (The proxies' own scale does not matter: it cancels in step 4.)

After convergence: loadings = cor(indicator, score); path coefficients by OLS of each endogenous
construct on its predecessors, ``beta = C_pp^{-1} C_pc``, ``R^2 = beta' C_pc``; total effects
``T = P + P^2 + ... + P^(K-1)`` (P the path matrix, nilpotent for a recursive model).

Constructs declared reflective are then corrected by consistent PLS (PLSc, :mod:`.consistent`):
the paths, R² and total effects come from the corrected construct correlations, and their
loadings are the consistent loadings; ``ok`` is False where the correction is inadmissible
(``admissible``).

The same code estimates one model (a stack of one matrix) or 5,000 bootstrap resamples at once:
a Python loop runs over the iterations, never over resamples, and resamples that have converged
are frozen while the others continue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .consistent import correct
from .spec import Model, ModelSpecificationError

SCHEMES = ("path", "factorial", "centroid")
_DET_FLOOR = 1e-14  # a correlation (sub)matrix with a smaller determinant is treated as singular
STACK_BLOCK = 256  # resamples per block where a stack is processed in cache-sized pieces
PASS_BLOCK = 1250  # at most this many resamples per block within a pass of the iterations
_STEP_CELLS = 2**17  # matrix cells per element-wise step of the mean-filled correlations


@dataclass(frozen=True)
class Layout:
    """Index form of a :class:`Model`: which indicator belongs to which construct, and the
    path adjacency matrix ``adjacency[k, c] = 1`` for a path ``k -> c``."""

    items: tuple[str, ...]
    constructs: tuple[str, ...]
    membership: np.ndarray  # p x K, 1.0 where item i measures construct c
    blocks: tuple[np.ndarray, ...]  # item indices per construct
    modes: tuple[str, ...]
    adjacency: np.ndarray  # K x K
    predecessors: tuple[tuple[int, ...], ...]
    reflective: tuple[bool, ...] = ()  # per construct: corrected by PLSc

    @classmethod
    def from_model(cls, model: Model, consistent: bool = True) -> Layout:
        """``consistent=False`` ignores reflective declarations (plain PLS throughout)."""
        if model.interactions:
            raise ModelSpecificationError(
                f"the model has interaction term(s) {[t.name for t in model.interactions]}; "
                "estimate it with estimate_pls(), which generates their indicators first."
            )
        if model.higher_order:
            raise ModelSpecificationError(
                f"the model has higher-order construct(s) {[h.name for h in model.higher_order]}"
                "; estimate it with estimate_pls(), which runs its stages.")
        items = tuple(model.items)
        names = tuple(model.construct_names)
        p, k = len(items), len(names)
        membership = np.zeros((p, k))
        blocks = []
        pos = 0
        for j, c in enumerate(model.constructs):
            idx = np.arange(pos, pos + len(c.items))
            membership[idx, j] = 1.0
            blocks.append(idx)
            pos += len(c.items)
        adjacency = np.zeros((k, k))
        for path in model.structure:
            adjacency[names.index(path.source), names.index(path.target)] = 1.0
        preds = tuple(tuple(np.flatnonzero(adjacency[:, j]).tolist()) for j in range(k))
        reflective = tuple(bool(consistent and c.is_reflective) for c in model.constructs)
        return cls(items, names, membership, tuple(blocks),
                   tuple(c.mode for c in model.constructs), adjacency, preds, reflective)

    @property
    def endogenous(self) -> list[int]:
        return [j for j, p in enumerate(self.predecessors) if p]

    @property
    def consistent(self) -> bool:
        """True when some construct is corrected by PLSc."""
        return any(self.reflective)


@dataclass
class EngineResult:
    """Batched estimates; leading axis = resample (or 1 for a single estimation)."""

    weights: np.ndarray  # B x p x K
    construct_cor: np.ndarray  # B x K x K
    cross_loadings: np.ndarray  # B x p x K
    loadings: np.ndarray  # B x p x K (own-block cells)
    paths: np.ndarray  # B x K x K
    total: np.ndarray  # B x K x K
    r_squared: np.ndarray  # B x K (NaN for exogenous constructs)
    iterations: np.ndarray  # B, seminr's count: index of the last pass (0-based)
    converged: np.ndarray  # B bool
    ok: np.ndarray  # B bool: finite, non-singular, converged and (PLSc) admissible
    rho_a: np.ndarray | None = None  # B x K, PLSc reliabilities (1 for composites)
    admissible: np.ndarray | None = None  # B bool, PLSc correction admissible
    score_cor: np.ndarray | None = None  # B x K x K, uncorrected construct correlations


def _safe_solve(a: np.ndarray, b: np.ndarray,
                indefinite: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Batched ``solve(a, b)`` that never raises: (numerically) singular systems are solved
    against the identity instead and flagged in the returned boolean mask.  A negative
    determinant counts as singular unless ``indefinite`` (an inadmissible PLSc system is then
    solved as it stands, as seminr does)."""
    with np.errstate(invalid="ignore"):
        sign, logdet = np.linalg.slogdet(a)
    bad = ~(sign != 0 if indefinite else sign > 0) | ~np.isfinite(logdet) | (
        logdet < np.log(_DET_FLOOR))
    if bad.any():
        a = a.copy()
        a[bad] = np.eye(a.shape[-1])
    return np.linalg.solve(a, b), bad


def _solve(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched solve; falls back to :func:`_safe_solve` only when some system is singular."""
    try:
        x = np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return _safe_solve(a, b)
    return x, ~np.isfinite(x).all(axis=(1, 2))


_SMALL = 6  # regressions on at most this many predictors are eliminated over the whole batch
_FEW = 16  # ... when the batch has at least this many systems


def _eliminate(a: list[list[np.ndarray]],
               y: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Solve ``a x = y`` for every column of a batch, Gaussian elimination without pivoting
    written out over the batch (``a[i][j]`` and ``y[i]`` are vectors over the resamples).

    For the small correlation systems of the inner weighting (positive definite, unit diagonal)
    elimination without pivoting is as stable as Cholesky, and a few dozen whole-batch vector
    operations cost far less than numpy's per-system LAPACK calls; a singular system gives a
    non-finite solution.  Returns the solution and the pivots (their product is the
    determinant; all are positive exactly when the system is positive definite)."""
    q = len(y)
    a = [list(row) for row in a]
    y = list(y)
    for k in range(q):
        for i in range(k + 1, q):
            f = a[i][k] / a[k][k]
            for j in range(k + 1, q):
                a[i][j] = a[i][j] - f * a[k][j]
            y[i] = y[i] - f * y[k]
    x: list[np.ndarray] = [y[0]] * q
    for i in reversed(range(q)):
        acc = y[i]
        for j in range(i + 1, q):
            acc = acc - a[i][j] * x[j]
        x[i] = acc / a[i][i]
    return x, [a[k][k] for k in range(q)]


def _inner_weights(c: np.ndarray, s: np.ndarray, layout: Layout, scheme: str,
                   few: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Inner weights from the unscaled construct covariances ``c`` (B x K x K) and the
    composites' standard deviations ``s`` (B x K), step 2 of the algorithm: returns
    ``E[b, k, c] / s[b, k]`` (B x K x K; E from the correlations ``c / (s s')``, the division by
    ``s`` scales the unscaled scores in the outer update) and the flags of singular systems.
    ``few``: solve the regressions by LAPACK's loop rather than by elimination over the batch
    (default: when the batch has fewer than :data:`_FEW` systems; a caller passing one block of
    a larger batch passes the whole batch's choice).

    The path scheme works on the transposed stack (K x K x B), where every cell is a contiguous
    vector over the resamples, and transposes once on the way in and once on the way out."""
    a = layout.adjacency
    n_b = c.shape[0]
    few = n_b < _FEW if few is None else few
    bad = np.zeros(n_b, dtype=bool)
    out = np.empty_like(c)
    if scheme != "path":
        cor = c / (s[:, :, None] * s[:, None, :])
        neighbours = a + a.T
        e = cor * neighbours if scheme == "factorial" else np.sign(cor) * neighbours
        return np.divide(e, s[:, :, None], out=out), bad
    st = np.ascontiguousarray(s.T)
    ct = np.divide(c.transpose(1, 2, 0), st[:, None, :] * st[None, :, :],
                   out=np.empty((c.shape[1], c.shape[2], n_b)))  # K x K x B correlations
    cor = ct.transpose(2, 0, 1)  # the same cells as a B x K x K view
    et = ct * a.T[:, :, None]  # successors: e[k, c] = cor(k, c) where c -> k
    for j in layout.endogenous:
        p = list(layout.predecessors[j])
        if len(p) > _SMALL or few:  # LAPACK's loop is cheaper for a few systems
            beta, b = _solve(cor[:, p][:, :, p], cor[:, p, j][..., None])
            et[p, j] = beta[..., 0].T
            bad |= b
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            beta = np.array(_eliminate([[ct[u, v] for v in p] for u in p],
                                       [ct[u, j] for u in p])[0])
        b = ~np.isfinite(beta).all(axis=0)
        if b.any():  # singular systems: solved against the identity, flagged
            beta[:, b] = _safe_solve(cor[b][:, p][:, :, p],
                                     cor[b][:, p, j][..., None])[0][..., 0].T
            bad |= b
        et[p, j] = beta
    np.divide(et, st[:, None, :], out=et)  # e[k, c] / s_k, then transposed once
    np.copyto(out, et.transpose(2, 0, 1))
    return out, bad


def _path_solve(c: np.ndarray, p: list[int], j: int,
                indefinite: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_safe_solve` of the regression of construct ``j`` on its predecessors ``p``
    (``C_pp beta = C_pj``) for a stack of construct correlations ``c``: by elimination over the
    batch where every pivot is positive (then the determinant is their product and the system is
    flagged singular below :data:`_DET_FLOOR`, as :func:`_safe_solve` does), and by
    :func:`_safe_solve` itself for the other systems.  Returns beta (B x q) and the flags."""
    if len(p) > _SMALL or c.shape[0] < _FEW:
        beta, bad = _safe_solve(c[:, p][:, :, p], c[:, p, j][..., None], indefinite)
        return beta[..., 0], bad
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        x, pivots = _eliminate([[c[:, u, v] for v in p] for u in p], [c[:, u, j] for u in p])
        beta, pivots = np.array(x).T, np.array(pivots)
        regular = (pivots > 0).all(axis=0) & np.isfinite(beta).all(axis=1)
        bad = np.log(np.where(regular, pivots, 1.0)).sum(axis=0) < np.log(_DET_FLOOR)
    beta[bad] = c[bad][:, p, j]  # solved against the identity, as _safe_solve does
    odd = ~regular
    if odd.any():
        fix, fix_bad = _safe_solve(c[odd][:, p][:, :, p], c[odd][:, p, j][..., None], indefinite)
        beta[odd], bad[odd] = fix[..., 0], fix_bad
    return beta, bad


def _blocks(n: int) -> list[tuple[int, int]]:
    """``n`` resamples as consecutive blocks of equal size (within one), none larger than
    :data:`PASS_BLOCK`: (start, stop) pairs."""
    if n <= PASS_BLOCK:  # one block (no arithmetic: small stacks run many passes)
        return [(0, n)] if n else []
    k = -(-n // PASS_BLOCK)
    edges = [i * n // k for i in range(k + 1)]
    return list(zip(edges[:-1], edges[1:], strict=True))


def _compact(stack: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Move the rows ``keep`` (increasing) of ``stack`` to its first ``len(keep)`` rows, in
    place, block by block (a row is read before any later block can overwrite it, since
    ``keep[i] >= i``); returns that leading part of ``stack``."""
    for lo in range(0, keep.size, STACK_BLOCK):
        rows = keep[lo : lo + STACK_BLOCK]
        stack[lo : lo + rows.size] = stack[rows]
    return stack[: keep.size]


def _total_effects(paths: np.ndarray) -> np.ndarray:
    """``P + P^2 + ... + P^(K-1)`` (exact for an acyclic path matrix)."""
    total = paths.copy()
    power, spare = paths, np.empty_like(paths)
    for _ in range(paths.shape[-1] - 2):  # P^k into the buffer P^(k-2) used (never into P)
        power, spare = np.matmul(power, paths, out=spare), (
            power if power is not paths else np.empty_like(paths))
        total += power
    return total


def run_pls(
    r: np.ndarray,
    layout: Layout,
    scheme: str = "path",
    max_iter: int = 300,
    stop_criterion: float = 1e-7,
    indefinite: bool = False,
    overwrite_r: bool = False,
) -> EngineResult:
    """Estimate the model on each correlation matrix of the stack ``r`` (B x p x p).

    Returns batched estimates; ``ok`` is False where a matrix is not finite, a needed submatrix is
    singular, or the algorithm did not converge within ``max_iter`` iterations.  With
    ``indefinite`` an inadmissible PLSc regression system (not positive definite, but not
    singular) is solved as it stands (seminr's practice) instead of being flagged as singular.

    Each pass forms ``R W`` and ``C = W' R W`` once for the current (unscaled) weights; the unit
    variance scaling (steps 1 and 4) is applied to the weights and to ``C`` through
    ``s = sqrt(diag C)`` and folded into the inner weights, so ``R W`` is never rescaled.

    Within a pass the matrix products and the inner weighting run on blocks of
    :data:`PASS_BLOCK` resamples, each block's inner weighting right after its products, while
    they are in the processor's cache (every step is per resample, so each block's numbers are
    those of the whole stack, and only a block's ``R W`` and ``C`` are held at a time); what
    couples the resamples -- convergence, compaction, and the choice between elimination and
    LAPACK's loop for the inner regressions, which depends on the stack's size after the pass's
    compaction -- is decided for the whole stack (the rare pass that leaves fewer than
    :data:`_FEW` resamples redoes their inner weighting).  The inner weighting stays one call on
    the whole stack when some construct has more than :data:`_SMALL` predecessors:
    :func:`_solve`'s fallback for a singular system treats the stack as one.

    ``overwrite_r``: the caller no longer needs ``r``, so the matrices of the resamples still
    iterating are compacted within it instead of into a copy, and it is let go before the final
    quantities (its contents are undefined afterwards); ignored for a PLSc model, whose
    correction reads ``r`` after the iterations.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"inner weighting {scheme!r} unknown; choose one of {SCHEMES}")
    r = np.asarray(r, dtype=float)
    n_b = r.shape[0]
    m = layout.membership
    # a matrix whose sum is finite has only finite cells; other sums are decided cell by cell
    finite = np.isfinite(r.sum(axis=(1, 2)))
    if not finite.all():
        finite = np.isfinite(r).all(axis=(1, 2))
    if not finite.all():  # stand-in (equicorrelation 0.5) keeps the batch finite; flagged below
        r = r.copy()
        r[~finite] = 0.5 * (np.eye(r.shape[1]) + 1.0)
    healthy = finite.copy()

    # Mode B blocks: invert the block correlation matrices once.
    mode_b = []
    for j, (mode, blk) in enumerate(zip(layout.modes, layout.blocks, strict=True)):
        if mode == "B" and len(blk) > 1:
            rcc = r[:, blk][:, :, blk]
            inv, bad = _safe_solve(rcc, np.broadcast_to(np.eye(len(blk)), rcc.shape))
            healthy &= ~bad
            mode_b.append((j, blk, inv))

    n_p, n_k = m.shape
    owner = np.argmax(m, axis=1)  # construct of each indicator
    own = np.arange(n_p) * n_k + owner  # cell (i, owner i) of a flattened p x K matrix
    w = np.empty((n_b, n_p))  # weight of each indicator on its own construct
    rw_all = np.empty((n_b, n_p, n_k))
    iterations = np.zeros(n_b, dtype=int)
    converged = np.zeros(n_b, dtype=bool)
    # the resamples still iterating, and their state: unscaled weights, and the scaled weights
    # of the previous pass (all 1 before the first, which the first pass is compared with)
    active = np.arange(n_b)
    w_raw = np.ones((n_b, n_p))
    w_old = np.ones((n_b, n_p))
    # a pass runs block by block, the inner weighting on each block's own R W and C while they
    # are in cache; it needs the whole stack at once when some construct has more than _SMALL
    # predecessors (_solve's fallback for a singular system treats the stack as one)
    split_inner = all(len(p) <= _SMALL for p in layout.predecessors)
    size = min(n_b, PASS_BLOCK) if split_inner else n_b
    # W = diag(w) M of one block, written cell by cell (zeros stay zero); R W and W' R W
    big_w = np.zeros((size, n_p, n_k))
    rw_buf, c_buf = np.empty((size, n_p, n_k)), np.empty((size, n_k, n_k))

    def products(r_blk: np.ndarray, w_blk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """R W and C = W' R W of a block of resamples from their unscaled weights (the pass
        buffers' leading rows; each resample's numbers are the same in any block)."""
        nb = w_blk.shape[0]
        big, rw, c = big_w[:nb], rw_buf[:nb], c_buf[:nb]
        big.reshape(nb, n_p * n_k)[:, own] = w_blk
        np.matmul(r_blk, big, out=rw)
        np.matmul(big.transpose(0, 2, 1), rw, out=c)
        return rw, c

    def update(rw: np.ndarray, c: np.ndarray, s_blk: np.ndarray,
               few: bool) -> tuple[np.ndarray, np.ndarray]:
        """Steps 2 and 3 for a block: the new unscaled weights and the flags of singular inner
        regressions.  g_i = cov(x_i, proxy of its construct) = sum_k (RW)[i, k] / s_k
        e[k, owner(i)]."""
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            e_s, bad = _inner_weights(c, s_blk, layout, scheme, few)
            return (rw @ e_s).reshape(-1, n_p * n_k)[:, own], bad

    r_act, binv_act = r, [inv for _, _, inv in mode_b]
    own_r = overwrite_r and not layout.consistent  # r_act may be compacted within r
    # resamples that have stopped stay in the batch (their later passes are ignored) until at
    # least a quarter of it has stopped: compacting copies the batch's correlation matrices
    live = np.ones(n_b, dtype=bool)
    step = 0
    while active.size:
        n_a = active.size
        s, w_now = np.empty((n_a, n_k)), np.empty((n_a, n_p))
        g, flags = np.empty((n_a, n_p)), np.zeros(n_a, dtype=bool)
        stop = np.zeros(n_a, dtype=bool)
        it = step - 1  # seminr's count: the pass that produced these weights
        # elimination or LAPACK's loop for the inner regressions is the whole stack's choice by
        # its size after this pass's compaction; the blocks take it by the size now, and the
        # rare pass that compacts the stack below _FEW redoes its few resamples below
        few = n_a < _FEW
        for lo, hi in _blocks(n_a) if split_inner else [(0, n_a)]:
            rw, c = products(r_act[lo:hi], w_raw[lo:hi])
            with np.errstate(invalid="ignore", divide="ignore"):
                s[lo:hi] = np.sqrt(np.diagonal(c, axis1=1, axis2=2))
                # steps 1 and 4: unit-variance composites
                w_now[lo:hi] = w_raw[lo:hi] / s[lo:hi][:, owner]
                if step:
                    diff = np.abs(w_now[lo:hi] - w_old[lo:hi]).sum(axis=1)
            iterating = live[lo:hi]
            if step:
                done = diff < stop_criterion
                converged[active[lo:hi][iterating]] = done[iterating]
                iterations[active[lo:hi][iterating]] = it
                ended = stop[lo:hi]
                ended[:] = (done | (it >= max_iter) | ~np.isfinite(diff)) & iterating
                if ended.any():  # store finished resamples (the block is still in cache)
                    rows = active[lo:hi][ended]
                    w[rows] = w_now[lo:hi][ended]
                    with np.errstate(invalid="ignore", divide="ignore"):
                        rw_all[rows] = rw[ended] / s[lo:hi][ended][:, None, :]
                    iterating = iterating & ~ended
            if split_inner:
                g[lo:hi], bad = update(rw, c, s[lo:hi], few)
                flags[lo:hi] = bad & iterating
        if step and stop.any():  # keep iterating the others
            live &= ~stop
            if not live.any():
                break
            if live.sum() <= 0.75 * n_a:
                keep = np.flatnonzero(live)
                active = active[keep]
                # the caller's stack is copied once; later the copy is compacted in place
                r_act = r[keep] if r_act is r and not own_r else _compact(r_act, keep)
                w_now, s, g, flags = w_now[keep], s[keep], g[keep], flags[keep]
                binv_act = [inv[keep] for inv in binv_act]
                live = live[keep]
                if split_inner and not few and keep.size < _FEW:  # LAPACK's loop after all
                    g, flags = update(*products(r_act, w_raw[keep]), s, True)
                elif not split_inner:  # the whole stack's R W and C, compacted in place
                    rw, c = _compact(rw_buf[:n_a], keep), _compact(c_buf[:n_a], keep)
        if not split_inner:
            g, flags = update(rw, c, s, active.size < _FEW)
        healthy[active[flags & live]] = False
        for (_, blk, _), inv in zip(mode_b, binv_act, strict=True):
            g[:, blk] = (inv @ g[:, blk, None])[..., 0]
        if step:  # the first pass's weights are compared with the starting 1s, as seminr does
            w_old = w_now
        w_raw = g
        step += 1

    # Final quantities from the converged weights, the iterations' buffers freed first.
    rw_buf = c_buf = big_w = r_act = rw = c = g = w_raw = w_old = w_now = None
    if own_r:
        r = None  # freed here if the caller holds no other reference
    rw = rw_all
    weights = w[:, :, None] * m
    c = weights.transpose(0, 2, 1) @ rw  # C = W' R W
    score_cor = c
    loadings = (rw.reshape(n_b, -1) * m.ravel()).reshape(rw.shape)  # rw * m, flat
    rho_a = np.ones((n_b, m.shape[1]))
    admissible = np.ones(n_b, dtype=bool)
    if layout.consistent:
        systems = [list(layout.predecessors[j]) + [j] for j in layout.endogenous]
        fixed = correct(r, weights, c, loadings, layout.blocks, layout.reflective,
                        systems)
        c, loadings, rho_a, admissible = (fixed.construct_cor, fixed.loadings, fixed.rho_a,
                                          fixed.admissible)
    k = m.shape[1]
    paths = np.zeros((n_b, k, k))
    r2 = np.full((n_b, k), np.nan)
    for j in layout.endogenous:
        p = list(layout.predecessors[j])
        beta, bad = _path_solve(c, p, j, indefinite)
        healthy &= ~bad
        paths[:, p, j] = beta
        r2[:, j] = (beta * c[:, p, j]).sum(axis=1)
    total = _total_effects(paths)
    healthy &= np.isfinite(w).all(axis=1) & np.isfinite(paths).all(axis=(1, 2))
    return EngineResult(
        weights=weights,
        construct_cor=c,
        cross_loadings=rw,
        loadings=loadings,
        paths=paths,
        total=total,
        r_squared=r2,
        iterations=iterations,
        converged=converged,
        ok=healthy & converged & admissible,
        rho_a=rho_a,
        admissible=admissible,
        score_cor=score_cor,
    )


def htmt_batch(r: np.ndarray, layout: Layout) -> np.ndarray:
    """Heterotrait-monotrait ratio (Henseler et al. 2015) for a stack of correlation matrices.

    ``HTMT_ij = mean|r| over item pairs (i-item, j-item) / sqrt(mean_i * mean_j)``, where
    ``mean_c`` is the mean absolute correlation among construct c's own items (1 for a
    single-item construct).  Absolute correlations, as seminr.  Returns B x K x K, upper triangle
    filled, NaN elsewhere.
    """
    m = layout.membership
    s = np.empty((r.shape[0], m.shape[1], m.shape[1]))
    for lo in range(0, r.shape[0], STACK_BLOCK):  # |r| block by block: no copy of the whole stack
        s[lo : lo + STACK_BLOCK] = m.T @ (np.abs(r[lo : lo + STACK_BLOCK]) @ m)
    k = m.sum(axis=0)
    hetero = s / np.outer(k, k)
    diag = np.diagonal(s, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mono = np.where(k > 1, (diag - k) / (k * (k - 1)), 1.0)
        out = hetero / np.sqrt(mono[:, :, None] * mono[:, None, :])
    upper = np.triu(np.ones((len(k), len(k)), dtype=bool), 1)
    return np.where(upper, out, np.nan)


def weighted_correlations(
    x: np.ndarray, counts: np.ndarray, missing: str = "mean", chunk: int | None = None
) -> np.ndarray:
    """Correlation matrices of resampled data, one per row of ``counts`` (B x n), without
    building the resampled data sets.

    ``counts[b, i]`` is how often row i of ``x`` (n x p, NaN = missing) enters resample b (a
    bootstrap draw, or ``1 - e_i`` for a jackknife).  The missing-data treatment is redone inside
    every resample, as in re-estimating the model on the resampled rows:

    * ``"listwise"``: rows with any missing value get weight 0;
    * ``"mean"``: each missing cell takes the mean of the column's observed values *in that
      resample*; with ``O`` the observed mask, ``X0`` the data with 0 in missing cells,
      ``U = 1 - O`` and resample means ``mu``, the filled data are ``X0 + U diag(mu)`` and

          sum_i c_i xf_ij xf_ik = S(X0_j X0_k) + mu_k S(X0_j U_k) + mu_j S(U_j X0_k)
                                  + mu_j mu_k S(U_j U_k),     S(v) = sum_i c_i v_i,

      so every resample's covariance comes from a few matrix products ``counts @ (...)``.

    Correlations are invariant to each column's location and scale, so ``x`` may be (and for
    accuracy should be) already standardised.
    """
    x = np.asarray(x, dtype=float)
    counts = np.asarray(counts, dtype=float)
    n, p = x.shape
    if chunk is None:
        chunk = max(1, int(4_000_000 // max(n, 1)))
    observed = ~np.isnan(x)
    any_missing = not observed.all()
    if any_missing and missing == "listwise":
        counts = counts * observed.all(axis=1)
    x0 = np.where(observed, x, 0.0)

    def outer(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # row-wise outer products, n x p*p
        return (a[:, :, None] * b[:, None, :]).reshape(n, p * p)

    iu = np.triu_indices(p)
    # the symmetric cross-products once: n x p(p+1)/2, column-major as the fancy-indexed
    # product x0[:, iu[0]] * x0[:, iu[1]] is (rows of x0's transpose taken: 15x faster)
    x0t = np.ascontiguousarray(x0.T)
    xx = (np.take(x0t, iu[0], axis=0) * np.take(x0t, iu[1], axis=0)).T
    use_fill = any_missing and missing == "mean"
    out = np.empty((counts.shape[0], p, p))
    tri_of = np.empty((p, p), dtype=int)  # triangle position of every cell (i, j)
    tri_of[iu] = np.arange(iu[0].size)
    tri_of[iu[1], iu[0]] = np.arange(iu[0].size)
    if not use_fill:  # everything on the upper triangle, spread to the full matrix at the end
        diag = np.flatnonzero(iu[0] == iu[1])  # position of (j, j) in the triangle
        first, second = iu[0].astype(np.intp), iu[1].astype(np.intp)
        n_t = iu[0].size  # cells of the triangle
        for start in range(0, counts.shape[0], chunk):
            cnt = counts[start : start + chunk]
            tot = cnt.sum(axis=1)
            s1 = cnt @ x0
            # the triangles' sums go to the tail of the chunk's part of the result (no array
            # of their own): row i of them starts at (p*p - n_t) * m + n_t * i, past the full
            # matrices of rows < i written so far (where a block's matrices reach its own
            # triangles, np.take buffers its output, which overlaps its input)
            m = cnt.shape[0]
            place = out[start : start + m].reshape(-1)
            cross = np.matmul(cnt, xx, out=place[(p * p - n_t) * m :].reshape(m, n_t))
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = s1 / tot[:, None]
            # the element-wise steps run on blocks of resamples small enough to stay in cache
            for lo in range(0, cnt.shape[0], STACK_BLOCK):
                rows = slice(lo, lo + STACK_BLOCK)
                cov = cross[rows]
                with np.errstate(invalid="ignore", divide="ignore"):
                    # n-weighted covariances S(x_i x_j) - S(x_i) S(x_j) / n
                    cov -= np.take(s1[rows], first, axis=1) * np.take(mean[rows], second, axis=1)
                    var = cov[:, diag]
                    inv_sd = 1.0 / np.sqrt(var)
                    # a column constant within a resample (variance ~ rounding error) -> NaN
                    varying = ((var / tot[rows, None]) > 1e-10).all(axis=1)
                    cov *= np.take(inv_sd, first, axis=1)
                    cov *= np.take(inv_sd, second, axis=1)
                cov[:, diag] = 1.0
                cov[~varying] = np.nan
                block = out[start + lo : start + lo + cov.shape[0]]
                np.take(cov, tri_of.ravel(), axis=1, out=block.reshape(-1, p * p), mode="clip")
        return out
    u = (~observed).astype(float)
    xu, uu = outer(x0, u), outer(u, u)
    idx = np.arange(p)
    for start in range(0, counts.shape[0], chunk):
        cnt = counts[start : start + chunk]
        tot = cnt.sum(axis=1)
        s1 = cnt @ x0
        tri = cnt @ xx
        n_obs = cnt @ observed.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = s1 / n_obs
        s1 = s1 + mu * (tot[:, None] - n_obs)
        # block by block of resamples, the missing cells' sums into two reused buffers and the
        # element-wise steps written straight into the result: whole-stack products and
        # temporaries (several B x p x p arrays) cost more in fresh memory than in arithmetic.
        # OpenBLAS may round a block's product differently from the whole stack's in the last
        # place for some shapes (seen: 3e-17 with n = 100, p = 6); the study's numbers and the
        # test data's are the same bits as the whole-stack form (tests/test_pls_blocks.py)
        size = min(STACK_BLOCK, cnt.shape[0])
        s_xu_buf, s_uu_buf = np.empty((size, p * p)), np.empty((size, p * p))
        # the element-wise steps take a few resamples of the block at a time: for many
        # columns a block's p x p temporaries would be tens of MB of fresh memory each
        step = max(1, min(STACK_BLOCK, _STEP_CELLS // (p * p)))
        for lo in range(0, cnt.shape[0], STACK_BLOCK):
            rows = slice(lo, lo + STACK_BLOCK)
            n_r = min(STACK_BLOCK, cnt.shape[0] - lo)
            s_xu_b = np.matmul(cnt[rows], xu, out=s_xu_buf[:n_r]).reshape(-1, p, p)
            s_uu_b = np.matmul(cnt[rows], uu, out=s_uu_buf[:n_r]).reshape(-1, p, p)
            for a in range(0, n_r, step):
                part = slice(a, a + step)
                m, s1_b = mu[rows][part], s1[rows][part]
                tot_b, s_xu, s_uu = tot[rows][part], s_xu_b[part], s_uu_b[part]
                s2 = out[start + lo + a : start + lo + a + m.shape[0]]
                # the sums of the data with 0 in the gaps, spread from the triangle
                np.take(tri[rows][part], tri_of.ravel(), axis=1, out=s2.reshape(-1, p * p),
                        mode="clip")
                s2 += (m[:, None, :] * s_xu + m[:, :, None] * s_xu.transpose(0, 2, 1)
                       + m[:, :, None] * m[:, None, :] * s_uu)
                with np.errstate(invalid="ignore", divide="ignore"):
                    s2 -= s1_b[:, :, None] * (s1_b / tot_b[:, None])[:, None, :]  # covariances
                    var = np.diagonal(s2, axis1=1, axis2=2).copy()
                    inv_sd = 1.0 / np.sqrt(var)
                    s2 *= inv_sd[:, :, None]
                    s2 *= inv_sd[:, None, :]
                    # a column constant within a resample (variance ~ rounding error) -> NaN
                    varying = (var / tot_b[:, None]) > 1e-10
                s2[:, idx, idx] = 1.0
                s2[~varying.all(axis=1)] = np.nan
    return out
