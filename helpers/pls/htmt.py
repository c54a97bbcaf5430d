"""Discriminant validity by HTMT and HTMT2, with bootstrap inference (Henseler, Ringle &
Sarstedt 2015; Roemer, Schuberth & Henseler 2021, Ind. Manag. Data Syst. 121:2637-2650;
Franke & Sarstedt 2019, Internet Res. 29:430-447).

For constructs i and j with indicator correlations ``r`` (absolute values, as the engine's and
seminr's HTMT):

* ``HTMT_ij  = A(hetero) / sqrt(A(mono_i) A(mono_j))`` with arithmetic means ``A`` of the
  heterotrait correlations (every pair of an i-item and a j-item) and of the monotrait
  correlations of each construct (its distinct item pairs);
* ``HTMT2_ij = G(hetero) / sqrt(G(mono_i) G(mono_j))`` with geometric means ``G`` instead.
  HTMT2 is consistent under congeneric (unequal) loadings, where HTMT assumes tau-equivalence.

A single-item construct has monotrait mean 1.  A zero correlation makes a geometric mean 0
(HTMT2 0 or undefined); Roemer et al. define HTMT2 for positive correlations only, and a block
with negative correlations should be re-coded before reading either ratio.

**Inference** (:func:`htmt_inference`).  Rows are resampled as in
:func:`~helpers.pls.bootstrap_model` (same seeds give the same resamples, the missing-data
treatment redone in each), and HTMT and HTMT2 are computed on every resample's correlation
matrix (no model estimation is involved).  Reported per construct pair and ratio: the
estimate, bootstrap mean and SD, the two-sided percentile interval at ``1 - alpha`` and the
one-sided upper bound (the ``1 - alpha`` quantile), and for each threshold (0.85 and 0.90 by
default) the one-sided test of H0: ratio >= threshold against H1: ratio < threshold: discriminant
validity is established at level alpha when the upper bound lies below the threshold; the
bootstrap p value is the share of draws at or above the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .bootstrap import resample_counts
from .engine import Layout, htmt_batch, weighted_correlations
from .estimate import PLSFit
from .randomness import random_source
from .settings import settings_text

RATIOS = ("HTMT", "HTMT2")


def htmt2_batch(r: np.ndarray, layout: Layout) -> np.ndarray:
    """HTMT2 for a stack of correlation matrices (B x K x K, upper triangle, NaN elsewhere)."""
    m = layout.membership
    with np.errstate(divide="ignore"):
        logs = np.log(np.abs(r))
    idx = np.arange(r.shape[-1])
    logs[:, idx, idx] = 0.0  # the unit diagonal adds 0 to the within-block sums
    s = m.T @ logs @ m
    k = m.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        hetero = np.exp(s / np.outer(k, k))
        diag = np.diagonal(s, axis1=1, axis2=2)
        mono = np.where(k > 1, np.exp(diag / np.maximum(k * (k - 1), 1)), 1.0)
        out = hetero / np.sqrt(mono[:, :, None] * mono[:, None, :])
    upper = np.triu(np.ones((len(k), len(k)), dtype=bool), 1)
    return np.where(upper, out, np.nan)


def htmt2(fit: PLSFit) -> pd.DataFrame:
    """HTMT2 matrix of ``fit`` (upper triangle; NaN on and below the diagonal)."""
    names = list(fit.layout.constructs)
    return pd.DataFrame(htmt2_batch(fit.corr[None], fit.layout)[0], index=names, columns=names)


@dataclass
class HTMTInference:
    """Bootstrap inference for HTMT and HTMT2: ``table`` (one row per ratio and construct
    pair), ``draws`` (per ratio, resamples x pairs) and ``settings``."""

    table: pd.DataFrame
    draws: dict[str, pd.DataFrame]
    settings: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"htmt_inference": self.table}

    def summary(self) -> str:
        text = "\n".join(["HTMT and HTMT2 inference", settings_text(self.settings), "",
                          self.table.round(3).to_string()])
        print(text)
        return text


def htmt_inference(
    fit: PLSFit,
    n_boot: int = 5000,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    indices: np.ndarray | None = None,
    alpha: float = 0.05,
    thresholds: tuple[float, ...] = (0.85, 0.90),
) -> HTMTInference:
    """HTMT and HTMT2 with bootstrap intervals and the one-sided threshold tests (module
    docstring).  Resamples from one of ``seed``, ``rng`` or ``indices`` (n_boot x n row numbers),
    drawn as :func:`~helpers.pls.bootstrap_model` draws them.  A moderated fit is assessed on
    its measured constructs (the main-effects fit)."""
    base = fit.stage1 if fit.interactions else fit
    if sum(x is not None for x in (seed, rng, indices)) > 1:
        raise ValueError("give at most one of seed=, rng= or indices=")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), got {alpha!r}")
    lay = base.layout
    if len(lay.constructs) < 2:
        raise ValueError("HTMT compares constructs: the model needs at least two")
    n = base.raw.shape[0]
    if indices is None:
        n_boot = int(n_boot)
        if n_boot < 20:
            raise ValueError(f"n_boot must be at least 20, got {n_boot}")
        rng, source = random_source(rng, seed)
        indices = rng.integers(0, n, size=(n_boot, n))
    else:
        indices = np.asarray(indices)
        if indices.ndim != 2 or indices.shape[1] != n or indices.min() < 0 or indices.max() >= n:
            raise ValueError(f"indices must be an (n_boot x {n}) matrix of rows 0..{n - 1}")
        n_boot = indices.shape[0]
        source = "explicit index matrix"
    z = (base.raw - base.mean) / base.sd
    r = weighted_correlations(z, resample_counts(indices, n), base.missing)
    names = lay.constructs
    k = len(names)
    iu = np.triu_indices(k, 1)
    labels = [f"{names[a]} -> {names[b]}" for a, b in zip(*iu, strict=True)]
    stacks = {"HTMT": (htmt_batch(base.corr[None], lay)[0], htmt_batch(r, lay)),
              "HTMT2": (htmt2_batch(base.corr[None], lay)[0], htmt2_batch(r, lay))}
    rows, draws = [], {}
    for ratio, (est, boot) in stacks.items():
        d = boot[:, iu[0], iu[1]]
        draws[ratio] = pd.DataFrame(d, columns=labels)
        for col, (a, b) in enumerate(zip(*iu, strict=True)):
            x = d[:, col]
            x = x[np.isfinite(x)]
            row = {"ratio": ratio, "pair": labels[col], "from": names[a], "to": names[b],
                   "estimate": float(est[a, b]), "n_used": int(x.size)}
            if x.size >= 2:
                lo, hi, upper = np.quantile(x, [alpha / 2, 1 - alpha / 2, 1 - alpha])
                row.update(mean=float(x.mean()), sd=float(x.std(ddof=1)), pct_lo=float(lo),
                           pct_hi=float(hi), upper_one_sided=float(upper))
                for thr in thresholds:
                    row[f"p_below_{thr:g}"] = float((x >= thr).mean())
                    row[f"below_{thr:g}"] = bool(upper < thr)
            rows.append(row)
    table = pd.DataFrame(rows).set_index(["ratio", "pair"])
    settings = {
        "method": "HTMT (arithmetic means) and HTMT2 (geometric means) of absolute indicator "
                  "correlations; bootstrap of the rows",
        "n_boot": int(n_boot),
        "resamples": source,
        "missing": base.settings["missing"] + " redone in each resample",
        "alpha": alpha,
        "interval": f"two-sided percentile {1 - alpha:.0%} (type 7); one-sided upper bound = "
                    f"{1 - alpha:.0%} quantile",
        "thresholds": list(thresholds),
        "test": "H0: ratio >= threshold vs H1: ratio < threshold; established (below_<t>) when "
                "the one-sided upper bound < threshold; p_below_<t> = share of draws >= t",
        "undefined_draws": {ratio: int((~np.isfinite(d.to_numpy())).any(axis=1).sum())
                            for ratio, d in draws.items()},
        "n_obs": base.n_obs,
    }
    return HTMTInference(table=table, draws=draws, settings=settings)
