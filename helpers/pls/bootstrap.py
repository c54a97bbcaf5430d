"""Bootstrap inference for a PLS path model, vectorised over resamples.

A bootstrap resample is a vector of counts (how often each observation is drawn).  The engine
needs only the resample's indicator correlation matrix, which :func:`~helpers.pls.engine.
weighted_correlations` builds for all resamples at once from a few matrix products, redoing the
missing-data treatment inside each resample (as re-estimating on the resampled rows does).  The
PLS algorithm then runs on the whole stack (:func:`~helpers.pls.engine.run_pls`).

For every parameter ``theta`` with estimate ``theta_hat`` and bootstrap draws ``theta*_1..B``
(B = resamples that converged):

* ``mean``, ``sd`` (n-1 denominator) of the draws;
* ``t = theta_hat / sd``; for HTMT ``t = (1 - theta_hat) / sd`` (distance from 1, as seminr);
* ``p``: two-sided, from Student's t with ``B - 1`` degrees of freedom,
  ``p = 2 * P(T_{B-1} > |t|)``.  This is the study's convention; SmartPLS documents t values
  from the bootstrap standard error but not the reference distribution of its p values;
* ``p_boot``: the p-value seminr (R 2.5 and PyPI 0.2.1) reports instead, a bootstrap p-value
  ``2 * min(s, 1 - s)`` with ``s`` the share of draws ``<= 0`` (for HTMT: the share ``< 1``).
  With few resamples it is coarse (a multiple of 2/B) and is 0 whenever no draw crosses zero;
* percentile interval: the ``alpha/2`` and ``1 - alpha/2`` quantiles of the draws (R's type 7,
  numpy's default ``linear`` method);
* BCa interval (Efron 1987): bias correction ``z0 = Phi^-1(share of draws < theta_hat, ties
  counted half)``, acceleration from the jackknife (leave one observation out, all n
  estimations batched like the bootstrap):
  ``a = sum (mean_J - theta_(i))^3 / (6 [sum (mean_J - theta_(i))^2]^{3/2})``;
  the interval is the quantiles at ``Phi(z0 + (z0 + z_q) / (1 - a (z0 + z_q)))`` for
  ``z_q = Phi^-1(alpha/2), Phi^-1(1 - alpha/2)``.  Undefined (NaN) when every draw lies on one
  side of the estimate.

Sign-change correction (``sign_change="construct"``).  A composite is defined only up to its
sign: ``w`` and ``-w`` both give a unit-variance score, and the algorithm picks one from the data.
In a resample a loosely knit block can come out reversed, which flips the signs of its weights
and loadings and of every path into and out of it; the draws then mix two mirror images and the
bootstrap mean shrinks towards 0 while the SD inflates.  The construct-level correction of
Tenenhaus, Esposito Vinzi, Chatelin & Lauro (2005, Comput. Stat. Data Anal. 48:159-205;
SmartPLS's "construct level changes") re-orients each resample's constructs to the original
sample.  With ``w0_j`` the original outer weights of construct j and ``w_bj`` those of resample b:

    s_bj = sign( sum_k w_bjk * w0_jk )     (a zero or undefined dot product counts as +1)

and, with ``D_b = diag(s_b)``,

* weights and loadings (and cross-loadings) of construct j:  ``w_bj <- s_bj w_bj``;
* path, total and indirect effects:  ``P_b <- D_b P_b D_b``, ``T_b <- D_b T_b D_b`` (the effect
  i -> j is multiplied by ``s_bi s_bj``; ``(D P D)^k = D P^k D`` keeps ``T = P + P^2 + ...``);
* construct correlations ``C_b <- D_b C_b D_b``;
* R² = beta' C_pc is unchanged (both factors pick up the same signs), and so is HTMT, which the
  engine builds from the *absolute* indicator correlations and never from construct scores.

The criterion here is the outer-weight dot product.  The literature states the rule in more than
one way (e.g. comparing the signs of the sums of the weights, as R matrixpls does); for a
block whose weights are of mixed sign the dot product is the more robust choice because it
cannot be decided by a sum that is near 0.  Single items (weight 1) never
flip.  The leave-one-out jackknife fits for BCa get the same alignment to the original weights.
``settings["sign_flips"]`` counts, per construct, the summarised resamples whose weights point
against the original ones (with ``"none"`` they are only counted, not corrected);
``settings["sign_flips_jackknife"]`` does the same for the jackknife fits.  ``"none"`` (the
default, as seminr) leaves the draws exactly as estimated.

Resampling follows seminr: rows are drawn from *all* rows of the data and the missing-data
treatment is redone in each resample (so with listwise deletion a resample's size varies;
SmartPLS instead resamples the rows that survive the deletion).

Resamples that do not converge (or are numerically degenerate, e.g. an indicator constant in the
resample) are counted in ``n_failed``, listed in ``failed`` and excluded from the summaries with a
warning; their draws stay in ``draws`` for inspection.

PLSc (reflective constructs): every resample, and every jackknife fit, is corrected on its own
correlation matrix.  A resample whose correction is inadmissible (some rho_A <= 0, a corrected
construct correlation beyond +-1, or a corrected regression system not positive definite) is a
failed resample too: it is flagged in ``inadmissible``, counted in ``n_inadmissible`` and
``settings["n_inadmissible"]`` (the constructs whose rho_A was <= 0 in
``settings["inadmissible_rho_a"]``), and left out of the summaries with a warning, never
dropped silently.  That is the default, ``inadmissible="drop"``; ``"ignore"`` keeps such
resamples wherever their estimates are finite (seminr's practice), ``"replace"`` replaces each
by a new random resample (cSEM's ``.handle_inadmissibles = "replace"``); the choice and the
counts are always in ``settings``.  (seminr keeps resamples with corrected correlations beyond
+-1 in its summaries, and drops those with a negative rho_A, counting them only among its
``fails``.)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .distributions import norm_cdf, norm_ppf, t_sf
from .engine import STACK_BLOCK, EngineResult, htmt_batch, run_pls, weighted_correlations
from .estimate import PLSFit
from .higher_order import resample_higher_order
from .moderation import resample_stack
from .randomness import random_source
from .settings import settings_text

COLUMNS = ["estimate", "mean", "sd", "t", "p", "p_boot", "pct_lo", "pct_hi", "bca_lo", "bca_hi"]


class BootstrapWarning(UserWarning):
    """Some bootstrap resamples failed to converge or were degenerate."""


_COUNT_BLOCK = 2 * STACK_BLOCK  # resamples counted at a time


def index_dtype(n: int) -> type:
    """The integer type of drawn row numbers 0 .. n - 1: 32 bits when they fit.  numpy's
    bounded generator draws a range below 2**32 from the same 32-bit stream for 32- and 64-bit
    results, so the rows drawn and the generator's state after are the same either way
    (tests/test_pls_blocks.py); the 32-bit matrix is half the memory."""
    return np.int32 if n * _COUNT_BLOCK < 2**31 else np.int64


def resample_counts(indices: np.ndarray, n: int) -> np.ndarray:
    """Counts matrix (B x n) from a matrix of 0-based resample row indices (B x n)."""
    b = indices.shape[0]
    out = np.empty((b, n))
    step = _COUNT_BLOCK
    # row i of a block counts into n*i .. n*i+n-1 (in the indices' type when 32 bits suffice)
    offsets = n * np.arange(min(b, step), dtype=index_dtype(n))[:, None]
    for lo in range(0, b, step):  # block by block: the integer temporaries stay small
        rows = indices[lo : lo + step]
        counts = np.bincount((rows + offsets[: rows.shape[0]]).ravel(),
                             minlength=rows.shape[0] * n)
        out[lo : lo + rows.shape[0]] = counts.reshape(rows.shape[0], n)
    return out


def _parameters(fit: PLSFit) -> dict[str, list[tuple[str, str, str, tuple]]]:
    """For each table: (label, from, to, index into the batched arrays) of every parameter."""
    lay = fit.layout
    names = lay.constructs
    out: dict[str, list] = {}
    out["paths"] = [(f"{p.source} -> {p.target}", p.source, p.target,
                     (names.index(p.source), names.index(p.target))) for p in fit.model.structure]

    def nonzero(cells: np.ndarray):
        return [(f"{a} -> {b}", a, b, (i, j)) for i, a in enumerate(names)
                for j, b in enumerate(names) if cells[i, j]]

    # the matrices fit.total_effects and fit.indirect_effects show, in the layout's order
    total = fit.estimates.total[0]
    out["total_effects"] = nonzero(np.abs(total) > 0)
    out["indirect_effects"] = nonzero(np.abs(total - fit.estimates.paths[0]) > 1e-15)
    out["weights"] = [(f"{lay.items[i]} -> {names[j]}", lay.items[i], names[j], (i, j))
                      for j, blk in enumerate(lay.blocks) for i in blk]
    out["loadings"] = list(out["weights"])
    out["r_squared"] = [(names[j], names[j], names[j], (j,)) for j in lay.endogenous]
    out["htmt"] = [(f"{names[i]} -> {names[j]}", names[i], names[j], (i, j))
                   for i in range(len(names)) for j in range(i + 1, len(names))]
    return out


def _extract(est: EngineResult, htmt: np.ndarray, params: dict) -> dict[str, np.ndarray]:
    """Draw matrices (B x parameters) for every table: each table's cells taken from its
    array's rows flattened (one np.take, contiguous like column_stack); indirect effects as
    total minus direct of the cells taken, the same subtraction as of the whole arrays."""
    source = {"paths": est.paths, "total_effects": est.total, "indirect_effects": est.total,
              "weights": est.weights, "loadings": est.loadings, "r_squared": est.r_squared,
              "htmt": htmt}

    def cells(arr: np.ndarray, rows: list) -> np.ndarray:  # B x len(rows)
        flat = np.ravel_multi_index(
            tuple(np.array(axis) for axis in zip(*(ix for *_, ix in rows), strict=True)),
            arr.shape[1:])
        return np.take(arr.reshape(arr.shape[0], -1), flat, axis=1)

    out = {}
    for table, rows in params.items():
        arr = source[table]
        if not rows:
            out[table] = np.empty((arr.shape[0], 0))
        elif table == "indirect_effects":
            out[table] = cells(arr, rows) - cells(est.paths, rows)
        else:
            out[table] = cells(arr, rows)
    return out


def _positions(b: int, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Type-7 quantile of ``b`` sorted draws at probability ``q``: ``h = (b - 1) q`` lies
    between the order statistics ``lo = floor(h)`` and ``hi = min(lo + 1, b - 1)``."""
    h = (b - 1) * np.clip(q, 0, 1)
    lo = np.floor(h).astype(int)
    return h, lo, np.minimum(lo + 1, b - 1)


def _quantiles(sorted_draws: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Type-7 quantiles, one probability per column (``q`` broadcast over columns).
    ``sorted_draws`` needs the right order statistics only at the positions the quantiles
    read (see :func:`_sorted_where_read`)."""
    b = sorted_draws.shape[0]
    q = np.broadcast_to(np.asarray(q, dtype=float), (sorted_draws.shape[1],))
    out = np.full(q.shape, np.nan)
    ok = np.isfinite(q)
    h, lo, hi = _positions(b, q[ok])
    cols = np.flatnonzero(ok)
    out[ok] = sorted_draws[lo, cols] + (h - lo) * (sorted_draws[hi, cols]
                                                   - sorted_draws[lo, cols])
    return out


def _sorted_where_read(draws: np.ndarray, probabilities) -> np.ndarray:
    """The draws (B x k, finite) with each column in order at every position that a type-7
    quantile at ``probabilities`` (scalars or one per column) reads, as :func:`_quantiles`
    wants them.  Those positions lie in the two tails for interval bounds: each column is
    partitioned at the innermost positions read from below and from above, and only the two
    tails are sorted, which gives the same order statistics as sorting the whole column
    (whole columns are sorted when the tails would cover more than a quarter of the draws)."""
    return _sort_rows_where_read(np.ascontiguousarray(draws.T), probabilities).T


def _sort_rows_where_read(srt: np.ndarray, probabilities) -> np.ndarray:
    """:func:`_sorted_where_read` in place on the transposed draws ``srt`` (k x B, each
    parameter's draws contiguous in a row); returns ``srt``."""
    k, b = srt.shape
    # per row (as head and tail below): the positions read in the lower and the upper half
    q = np.array([np.broadcast_to(np.asarray(x, dtype=float), (k,)) for x in probabilities])
    ok = np.isfinite(q)
    _, lo, hi = _positions(b, np.where(ok, q, 0.0))
    read, ok = np.concatenate([lo, hi]), np.concatenate([ok, ok])
    low = read < b // 2
    heads = np.where(ok & low, read + 1, 0).max(axis=0, initial=0)
    ups = np.where(ok & ~low, b - read, 0).max(axis=0, initial=0)
    head = int(heads.max(initial=0))  # positions 0 .. head - 1 in order
    tail = b - int(ups.max(initial=0))  # positions tail .. b - 1 in order
    if head + (b - tail) > b // 4:
        srt.sort(axis=1)
        return srt
    rows = np.ones(k, dtype=bool)  # the rows left to partition
    if b >= _SELECT_MIN and head and tail < b:
        rows = _select_tails(srt, heads, ups)
    if rows.all():
        _partition_tails(srt, head, tail)
    elif rows.any():
        part = srt[rows]
        srt[rows] = _partition_tails(part, head, tail)
    return srt


def _partition_tails(srt: np.ndarray, head: int, tail: int) -> np.ndarray:
    """Partition each row of ``srt`` at ``head - 1`` and ``tail`` and sort the two tails, in
    place; returns ``srt``."""
    b = srt.shape[1]
    kth = [x for x in (head - 1, tail) if 0 <= x < b]
    if kth:
        srt.partition(kth, axis=1)
    srt[:, :head].sort(axis=1)
    srt[:, tail:].sort(axis=1)
    return srt


_SELECT_MIN = 1000  # rows at least this long have their tails selected by thresholds
_SAMPLE = 16  # ... estimated from every 16th draw


def _select_tails(srt: np.ndarray, heads: np.ndarray, ups: np.ndarray) -> np.ndarray:
    """For each row i of ``srt`` (k x B, finite), its ``heads[i]`` smallest values in order into
    positions 0 .. heads[i] - 1 and its ``ups[i]`` largest in order into B - ups[i] .. B - 1,
    without a partition of the whole row: thresholds from a sample of the row (every
    :data:`_SAMPLE`-th value, with a margin of 2.5 standard deviations of the sample's count)
    pick the candidates at or beyond them, and only those are sorted.  Other positions of a row
    are overwritten (they hold no order statistics any more).  The values written are the order
    statistics themselves (the numbers a sort puts there: equal values are equal bits, and a
    quantile between -0.0 and 0.0 is +0.0 either way).  Returns the rows whose candidates did
    not cover both tails, or were too many (e.g. a constant row), left as they were for
    :func:`_partition_tails`."""
    k, b = srt.shape
    head, n_up = int(heads.max()), int(ups.max())
    sample = srt[:, ::_SAMPLE].copy()
    m = sample.shape[1]
    sample.sort(axis=1)

    def rank(n: np.ndarray) -> np.ndarray:  # the sample's order statistic beyond n of b values
        e = n * (m / b)
        return np.minimum(m - 1, np.ceil(e + 2.5 * np.sqrt(e)).astype(int) + 1)

    j_lo, j_hi = rank(heads), m - 1 - rank(ups)
    left = j_lo >= j_hi
    if left.all():
        return left
    lines = np.arange(k)
    t_lo, t_hi = sample[lines, j_lo, None], sample[lines, j_hi, None]
    chosen = srt <= t_lo
    chosen |= srt >= t_hi
    counts = np.count_nonzero(chosen, axis=1)
    left |= counts > 3 * (heads + ups) + 64  # too many candidates: partitioned instead
    if left.all():
        return left
    if left.any():
        chosen[left] = False
        counts[left] = 0
    at = np.flatnonzero(chosen)
    row = at // b
    width = int(counts.max())
    # the candidates of row i into row i of a (k x width) array padded with +inf, sorted
    cand = np.full((k, width), np.inf)
    cand.ravel()[np.arange(at.size) + (row * width - (np.cumsum(counts) - counts)[row])] = (
        srt.ravel()[at])
    cand.sort(axis=1)
    n_lo = np.count_nonzero(cand <= t_lo, axis=1)  # candidates from the lower tail
    left |= (n_lo < heads) | (counts - n_lo < ups)
    done = ~left
    srt[done, :head] = cand[done, :head]
    upper = np.clip((counts - n_up)[:, None] + np.arange(n_up), 0, width - 1)
    srt[done, b - n_up:] = np.take_along_axis(cand, upper, axis=1)[done]
    return left


def summarise_draws(estimate: np.ndarray, draws: np.ndarray, jack: np.ndarray | None,
                    alpha: float, reference: float = 0.0) -> dict[str, np.ndarray]:
    """Bootstrap summary columns for parameters in columns of ``draws`` (formulas above).

    ``reference = 1`` switches t and ``p_boot`` to the HTMT convention (distance from 1).
    A column with undefined (non-finite) draws is summarised over its finite draws."""
    if jack is not None:
        jack = np.where(np.isfinite(jack), jack, np.nan)
    if not np.isfinite(draws).all():
        parts = []
        for j, col in enumerate(draws.T):
            finite = col[np.isfinite(col)][:, None]
            if finite.shape[0] < 2:
                finite = np.full((2, 1), np.nan)
            parts.append(summarise_draws(estimate[j : j + 1], finite,
                                         None if jack is None else jack[:, j : j + 1],
                                         alpha, reference))
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    b = draws.shape[0]
    mean = draws.mean(axis=0)
    if b > 1:  # draws.std(axis=0, ddof=1) step by step, reusing the mean
        dev = draws - mean
        np.multiply(dev, dev, out=dev)
        sd = np.sqrt(np.add.reduce(dev, axis=0) / (b - 1))
    else:
        sd = np.full(draws.shape[1], np.nan)
    distance = estimate if reference == 0 else reference - estimate
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(sd > 0, distance / sd, np.nan)
    p = 2 * t_sf(np.abs(t), b - 1) if b > 1 else np.full_like(t, np.nan)
    # counts over each parameter's draws, contiguous in a row of the transposed copy that is
    # then partly sorted in place for the intervals (counting does not depend on the order)
    rows = np.array(draws.T, order="C")  # a copy even of one column: the caller's stays as is
    below = (np.count_nonzero(rows <= 0, axis=1) if reference == 0
             else np.count_nonzero(rows < reference, axis=1)) / b
    p_boot = 2 * np.minimum(below, 1 - below)
    share = (np.count_nonzero(rows < estimate[:, None], axis=1)
             + 0.5 * np.count_nonzero(rows == estimate[:, None], axis=1)) / b
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = norm_ppf(share)
        if jack is not None and jack.shape[0] > 1:
            if np.isnan(jack).any():
                d = np.nanmean(jack, axis=0) - jack
                num = np.nansum(d**3, axis=0)
                den = 6 * np.nansum(d**2, axis=0) ** 1.5
            else:  # the same sums without nan-functions' copies and counts
                d = jack.mean(axis=0) - jack
                num = (d**3).sum(axis=0)
                den = 6 * (d**2).sum(axis=0) ** 1.5
            acc = np.where(den > 0, num / den, 0.0)
        else:
            acc = np.zeros_like(estimate)
        bca_q = []
        for zq in (norm_ppf(alpha / 2), norm_ppf(1 - alpha / 2)):
            q = norm_cdf(z0 + (z0 + zq) / (1 - acc * (z0 + zq)))
            bca_q.append(np.where(np.isfinite(z0), q, np.nan))
    percentile_q = [alpha / 2, 1 - alpha / 2]
    srt = _sort_rows_where_read(rows, percentile_q + bca_q).T
    pct_lo, pct_hi = (_quantiles(srt, q) for q in percentile_q)
    bounds = [_quantiles(srt, q) for q in bca_q]
    return {"estimate": estimate, "mean": mean, "sd": sd, "t": t, "p": p, "p_boot": p_boot,
            "pct_lo": pct_lo, "pct_hi": pct_hi, "bca_lo": bounds[0], "bca_hi": bounds[1]}


@dataclass
class BootstrapResult:
    """Bootstrap summaries (one DataFrame per parameter table, columns :data:`COLUMNS` after
    ``from``/``to``), the draws, and the run's settings."""

    paths: pd.DataFrame
    total_effects: pd.DataFrame
    indirect_effects: pd.DataFrame
    weights: pd.DataFrame
    loadings: pd.DataFrame
    r_squared: pd.DataFrame
    htmt: pd.DataFrame
    draws: dict[str, pd.DataFrame]
    failed: np.ndarray
    iterations: np.ndarray
    settings: dict = field(default_factory=dict)
    signs: np.ndarray | None = None  # B x K orientation of each resample's constructs (+-1)
    inadmissible: np.ndarray | None = None  # B bool: PLSc correction inadmissible

    TABLES = ("paths", "total_effects", "indirect_effects", "weights", "loadings", "r_squared",
              "htmt")

    @property
    def n_failed(self) -> int:
        """Resamples that did not converge or were degenerate (excluded from summaries)."""
        return int(self.failed.sum())

    @property
    def n_boot(self) -> int:
        return int(self.failed.size)

    @property
    def n_inadmissible(self) -> int:
        """Resamples failed because their PLSc correction was inadmissible (part of
        ``n_failed``)."""
        return 0 if self.inadmissible is None else int(self.inadmissible.sum())

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write every summary table and the settings to ``folder``; return the paths."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name in self.TABLES:
            path = folder / f"bootstrap_{name}.csv"
            getattr(self, name).to_csv(path)
            written.append(path)
        path = folder / "bootstrap_settings.csv"
        pd.DataFrame({"setting": list(self.settings),
                      "value": [str(v) for v in self.settings.values()]}).to_csv(path, index=False)
        return written + [path]

    def summary(self) -> str:
        text = "\n".join(["PLS-SEM bootstrap", settings_text(self.settings), "", "Paths:",
                          self.paths.round(3).to_string()])
        print(text)
        return text


SIGN_CHANGES = ("none", "construct")
INADMISSIBLE = ("drop", "ignore", "replace")


def _splice(est: EngineResult, rows: np.ndarray, new: EngineResult) -> None:
    """Overwrite resamples ``rows`` of ``est`` (in place) with the estimates ``new``."""
    for name, value in vars(est).items():
        if isinstance(value, np.ndarray):
            value[rows] = getattr(new, name)


def construct_signs(weights: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``s[b, j] = sign(sum_k weights[b, k, j] * reference[k, j])`` (B x K), 0 and NaN -> +1.

    ``weights`` is the batched (B x p x K) weight matrix, ``reference`` the original (p x K)."""
    with np.errstate(invalid="ignore"):
        dot = np.einsum("bpk,pk->bk", weights, reference)
    return np.where(dot < 0, -1.0, 1.0)


def align_signs(est: EngineResult, signs: np.ndarray) -> EngineResult:
    """Re-orient every construct of every resample by ``signs`` (B x K, entries +-1): weights,
    loadings and cross-loadings column j times ``s_j``; construct correlations, paths and total
    effects ``D X D`` with ``D = diag(s)``; R² untouched.  Returns a new :class:`EngineResult`."""
    col = signs[:, None, :]
    both = signs[:, :, None] * signs[:, None, :]
    return EngineResult(
        weights=est.weights * col, construct_cor=est.construct_cor * both,
        cross_loadings=est.cross_loadings * col, loadings=est.loadings * col,
        paths=est.paths * both, total=est.total * both, r_squared=est.r_squared,
        iterations=est.iterations, converged=est.converged, ok=est.ok, rho_a=est.rho_a,
        admissible=est.admissible,
        score_cor=None if est.score_cor is None else est.score_cor * both)


def _flip_counts(signs: np.ndarray, keep: np.ndarray, names) -> dict[str, int]:
    """Per construct: how many of the kept resamples have a reversed (s = -1) construct."""
    return {str(c): int(v) for c, v in zip(names, (signs[keep] < 0).sum(axis=0), strict=True)}


def _estimate_stack(fit: PLSFit, counts: np.ndarray, indefinite: bool = False):
    if fit.interactions:  # regenerate the interaction terms in every resample
        return resample_stack(fit, counts)
    if fit.higher_order and fit.stage1 is not None:  # both stages in every resample
        return resample_higher_order(fit, counts)
    z = (fit.raw - fit.mean) / fit.sd  # standardising first keeps the moment sums accurate
    stack = [weighted_correlations(z, counts, fit.missing)]  # the list: its only reference
    del counts  # a caller's temporary (B x n) is freed before the iterations
    htmt = htmt_batch(stack[0], fit.layout)
    # the correlations are not needed after the iterations: handed over (the call takes the
    # popped list's only reference), they are compacted in place and freed before the final
    # quantities (see run_pls's overwrite_r; tests/test_pls_blocks.py)
    est = run_pls(stack.pop(), fit.layout, fit.inner_weighting, fit.max_iter,
                  fit.stop_criterion, indefinite, overwrite_r=True)
    return est, htmt


def bootstrap_model(
    fit: PLSFit,
    n_boot: int | None = None,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    indices: np.ndarray | None = None,
    alpha: float = 0.05,
    bca: bool = True,
    sign_change: str = "none",
    inadmissible: str = "drop",
    max_rounds: int = 20,
) -> BootstrapResult:
    """Bootstrap ``fit`` with ``n_boot`` resamples (default 5000).

    Resamples come from exactly one of: ``seed`` (int, for ``numpy.random.default_rng``), ``rng``
    (a ``numpy.random.Generator``) or ``indices`` (an ``n_boot x n`` matrix of 0-based row
    numbers into the data given to :func:`estimate_pls`, e.g. to replay another program's
    resamples).  Without any of them a seed is drawn from the OS and recorded in ``settings``.
    Rows are resampled from all rows of the data; the missing-data treatment is applied inside
    each resample.  ``bca=False`` skips the jackknife (BCa columns become NaN).
    ``sign_change``: ``"none"`` (default, as seminr: draws as estimated) or ``"construct"``
    (construct-level sign-change correction of every resample and jackknife fit against the
    original outer weights; see the module docstring for the rule).  Either way
    ``settings["sign_flips"]`` counts the reversed (resample, construct) pairs per construct.
    ``inadmissible``: what to do with resamples whose PLSc correction is inadmissible:
    ``"drop"`` (default: left out of the summaries, counted), ``"ignore"`` (kept wherever their
    estimates are finite, as seminr does) or ``"replace"`` (each replaced by a new random
    resample, at most ``max_rounds`` rounds; not with ``indices=``).  The choice and the counts
    are in ``settings`` (``inadmissible``, ``n_inadmissible``, ``n_inadmissible_drawn``,
    ``n_drawn``).
    """
    if inadmissible not in INADMISSIBLE:
        raise ValueError(f"inadmissible must be one of {INADMISSIBLE}, got {inadmissible!r}")
    if inadmissible == "replace" and indices is not None:
        raise ValueError("inadmissible='replace' draws new resamples: give seed= or rng=, "
                         "not indices=")
    if sign_change not in SIGN_CHANGES:
        raise ValueError(f"sign_change must be one of {SIGN_CHANGES}, got {sign_change!r}")
    data_fit = fit.stage1 if fit.stage1 is not None else fit  # a two-stage fit: its data
    given = [x is not None for x in (seed, rng, indices)]
    if sum(given) > 1:
        raise ValueError("give at most one of seed=, rng= or indices=")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    n = data_fit.raw.shape[0]
    if indices is not None:
        indices = np.asarray(indices)
        if indices.ndim != 2 or indices.shape[1] != n:
            raise ValueError(f"indices must be an (n_boot x {n}) matrix of row numbers; "
                             f"got shape {indices.shape}")
        if not np.issubdtype(indices.dtype, np.integer) or indices.min() < 0 or indices.max() >= n:
            raise ValueError(f"indices must be integers in 0..{n - 1} (0-based rows)")
        if n_boot is not None and n_boot != indices.shape[0]:
            raise ValueError(f"n_boot={n_boot} but indices has {indices.shape[0]} rows")
        n_boot = indices.shape[0]
        source = "explicit index matrix"
    else:
        n_boot = 5000 if n_boot is None else int(n_boot)
        if n_boot < 2:
            raise ValueError(f"n_boot must be at least 2, got {n_boot}")
        rng, source = random_source(rng, seed)
        indices = rng.integers(0, n, size=(n_boot, n), dtype=index_dtype(n))

    params = _parameters(fit)
    reference = fit.estimates.weights[0]
    counts = [resample_counts(indices, n)]  # handed on as its only reference, freed after use
    if inadmissible != "replace":
        del indices  # not needed again: freed before the estimation
    est, htmt = _estimate_stack(fit, counts.pop(), inadmissible == "ignore")
    n_drawn = n_boot
    n_inadmissible_drawn = 0 if est.admissible is None else int((~est.admissible).sum())
    if inadmissible == "replace" and est.admissible is not None:
        indices = indices.copy()
        for _ in range(max_rounds):
            bad = np.flatnonzero(~est.admissible)
            if not bad.size:
                break
            new_idx = rng.integers(0, n, size=(bad.size, n), dtype=index_dtype(n))
            new_est, new_htmt = _estimate_stack(fit, resample_counts(new_idx, n))
            _splice(est, bad, new_est)
            htmt[bad] = new_htmt
            indices[bad] = new_idx
            n_drawn += bad.size
            n_inadmissible_drawn += int((~new_est.admissible).sum())
    signs = construct_signs(est.weights, reference)
    if sign_change == "construct":
        est = align_signs(est, signs)
    draws = _extract(est, htmt, params)
    usable = est.ok
    if inadmissible == "ignore" and est.admissible is not None:
        usable = est.ok | (~est.admissible & est.converged)
    failed = ~usable
    for name, table in draws.items():
        if name == "htmt":  # HTMT may be undefined alone (a zero monotrait correlation)
            continue
        finite = np.isfinite(table)
        if not finite.all():  # row by row only when some draw is not finite
            failed |= ~finite.all(axis=1)
    htmt_finite = np.isfinite(draws["htmt"])
    htmt_undefined = 0 if htmt_finite.all() else int((~htmt_finite[~failed]).any(axis=1).sum())
    choice = inadmissible
    inadmissible = ~est.admissible if est.admissible is not None else np.zeros(n_boot, bool)
    n_ok = int((~failed).sum())
    if choice == "ignore" and inadmissible.any():
        warnings.warn(
            f"{int(inadmissible.sum())} of {n_boot} bootstrap resamples have an inadmissible "
            "PLSc correction and are KEPT in the summaries where their estimates are finite "
            "(inadmissible='ignore', seminr's practice); result.inadmissible flags them.",
            BootstrapWarning, stacklevel=2)
    if failed.any():
        plsc = (f" ({int((failed & inadmissible).sum())} of them because the PLSc correction "
                "was inadmissible: rho_A <= 0, a corrected correlation beyond +-1 or a corrected "
                "regression system not positive definite; flagged in result.inadmissible)"
                if (failed & inadmissible).any() else "")
        warnings.warn(
            f"{failed.sum()} of {n_boot} bootstrap resamples failed (did not converge within "
            f"{fit.max_iter} iterations, were degenerate, or were inadmissible){plsc}; they are "
            "excluded from the summaries and flagged in result.failed.",
            BootstrapWarning,
            stacklevel=2,
        )
    if n_ok < 2:
        raise RuntimeError(f"only {n_ok} of {n_boot} bootstrap resamples succeeded")

    jack, jack_flips = None, None
    if bca:
        rows = np.flatnonzero(~np.isnan(data_fit.raw).any(axis=1)) if fit.missing == "listwise" \
            else np.arange(n)
        base = np.zeros(n)
        base[rows] = 1.0
        counts = np.repeat(base[None], len(rows), axis=0)
        counts[np.arange(len(rows)), rows] = 0.0
        jest, jhtmt = _estimate_stack(fit, counts)
        jsigns = construct_signs(jest.weights, reference)
        jack_flips = _flip_counts(jsigns, jest.ok, fit.layout.constructs)
        if sign_change == "construct":
            jest = align_signs(jest, jsigns)
        jack = _extract(jest, jhtmt, params)
        for table in jack.values():
            table[~jest.ok] = np.nan

    original = _extract(fit.estimates, fit.htmt.to_numpy()[None], params)
    tables = {}
    kept = slice(None) if not failed.any() else ~failed  # no copies when every draw counts
    for name, rows in params.items():
        summ = summarise_draws(original[name][0], draws[name][kept],
                               None if jack is None else jack[name], alpha,
                               reference=1.0 if name == "htmt" else 0.0)
        ends = {} if name == "r_squared" else {"from": [r[1] for r in rows],
                                                "to": [r[2] for r in rows]}
        tables[name] = pd.DataFrame({**ends, **summ},
                                    index=pd.Index([r[0] for r in rows], name="parameter"))
    draw_frames = {name: pd.DataFrame(d, columns=[r[0] for r in params[name]], copy=False)
                   for name, d in draws.items()}
    settings = {
        **{k: fit.settings[k] for k in ("inner_weighting", "missing", "stop_criterion",
                                         "max_iter", "n_obs")},
        "n_boot": int(n_boot),
        "n_ok": n_ok,
        "n_failed": int(failed.sum()),
        "n_inadmissible": int(inadmissible.sum()),
        "inadmissible": choice,
        "inadmissible_rule": {
            "drop": "resamples with an inadmissible PLSc correction left out of the summaries",
            "ignore": "resamples with an inadmissible PLSc correction kept where finite",
            "replace": f"resamples with an inadmissible PLSc correction replaced by new draws "
                       f"(at most {max_rounds} rounds)"}[choice],
        "n_inadmissible_drawn": n_inadmissible_drawn,
        "n_drawn": int(n_drawn),
        "inadmissible_rho_a": {str(c): int(v) for c, v in zip(
            fit.layout.constructs, (~(est.rho_a > 0)).sum(axis=0), strict=True)
            if v} if est.rho_a is not None else {},
        "consistent": fit.settings.get("consistent", "no correction (plain PLS)"),
        "resamples": source,
        "resampling": f"rows drawn with replacement from the {n} data rows; "
                      f"{fit.settings['missing']} redone in each resample",
        "htmt_undefined": f"{htmt_undefined} resample(s) with an undefined HTMT (zero "
                          "monotrait correlation), left out of the HTMT summaries only",
        "alpha": alpha,
        "p_value": f"two-sided, Student t with {n_ok - 1} df (t = estimate / sd; "
                   "HTMT: (1 - estimate) / sd); p_boot = seminr's 2*min(share<=0, share>0)",
        "intervals": "percentile (type 7) and BCa (jackknife acceleration)" if bca
                     else "percentile (type 7)",
        "sign_change": sign_change,
        "sign_change_rule": "construct level (Tenenhaus et al. 2005): construct j of resample b "
                            "times s = sign(w_b . w_original), effects i->j times s_i s_j"
                            if sign_change == "construct"
                            else "none: reversed constructs counted, not corrected",
        "sign_flips": _flip_counts(signs, ~failed, fit.layout.constructs),
        "sign_flips_total": int((signs[~failed] < 0).sum()),
    }
    if jack_flips is not None:
        settings["sign_flips_jackknife"] = jack_flips
    return BootstrapResult(**tables, draws=draw_frames, failed=failed,
                           iterations=est.iterations, settings=settings, signs=signs,
                           inadmissible=inadmissible)
