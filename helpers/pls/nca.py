"""Necessary condition analysis (NCA; Dul 2016, Organ. Res. Methods 19:10-52; Dul, van der Laan
& Kuik 2020, Organ. Res. Methods 23:385-395), on construct scores of a PLS fit (Richter,
Schubring, Hauff, Ringle & Sarstedt 2020, Ind. Manag. Data Syst. 120:2243-2267) or on any two
columns.

A condition X is *necessary* for an outcome Y when high Y needs at least some X: the upper-left
corner of the X-Y scatter is empty.  With ``n`` observations (x_i, y_i), the *scope* is the box
``[x_min, x_max] x [y_min, y_max]`` and its area ``S = (x_max - x_min)(y_max - y_min)``.

* **peers**: sort the points by x (ties: larger y first) and keep those whose y exceeds the y of
  every point before them -- the upper-left corners of the empty zone -- and every duplicate
  of a kept point (as the NCA R package's ``p_peers``, so duplicates weigh in CR-FDH);
* **CE-FDH** (ceiling envelopment, free disposal hull): the step function
  ``c(x) = max{y_i : x_i <= x}``, constant between consecutive peers;
* **CR-FDH** (ceiling regression): the OLS line through the peers, ``c(x) = a + b x`` (with a
  single peer, or peers on one x, it is the CE-FDH ceiling);
* **ceiling zone** ``C``: the area of the scope above the ceiling, ``int (y_max - c(x)) dx``
  over ``[x_min, x_max]`` with the ceiling clipped to ``[y_min, y_max]``;
* **effect size** ``d = C / S`` (0 <= d <= 1; Dul's benchmarks 0-0.1 small, 0.1-0.3 medium,
  0.3-0.5 large, above 0.5 very large);
* **ceiling accuracy**: the share of points on or below the ceiling (100 % for CE-FDH);
* **permutation test** (Dul et al. 2020): the y values are shuffled against the x values P
  times (all ceilings recomputed); ``p = #{d* >= d} / P`` (ties within 1e-12 count).  A small p
  says the empty corner is unlikely to arise by chance with unrelated X and Y.
* **bottleneck table**: for each outcome level (percent of the Y range), the smallest X level
  (percent of the X range) the ceiling requires; "NN" (not necessary) where the ceiling is at or
  below y_min.

All permutations run batched: one argsort per permutation matrix and cumulative maxima.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .randomness import random_source
from .spec import ModelSpecificationError

CEILINGS = ("ce_fdh", "cr_fdh")
TIE = 1e-12


def peers(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the peers (module docstring), in increasing x."""
    order = np.lexsort((-y, x))
    keep, best, last = [], -np.inf, None
    for i in order:
        if y[i] > best:
            keep.append(i)
            best, last = y[i], (x[i], y[i])
        elif (x[i], y[i]) == last:
            keep.append(i)
    return np.asarray(keep, dtype=int)


def _ceiling_zone_steps(xs: np.ndarray, cmax: np.ndarray, x_max, y_max) -> np.ndarray:
    """Ceiling zone of CE-FDH for batched points sorted by x (B x n) with running maxima
    ``cmax`` (the ceiling at each sorted x): ``sum (x_{k+1} - x_k)(y_max - c_k)``."""
    widths = np.diff(np.concatenate([xs, np.broadcast_to(x_max, xs.shape[:-1] + (1,))],
                                    axis=-1), axis=-1)
    return (widths * (y_max - cmax)).sum(axis=-1)


def _line_zone(a: float, b: float, x0, x1, y0, y1) -> float:
    """``int_{x0}^{x1} (y1 - clip(a + b x, y0, y1)) dx`` exactly (piecewise linear)."""
    if abs(b) < 1e-300:
        return (x1 - x0) * (y1 - min(max(a, y0), y1))
    knots = sorted({x0, x1} | {k for k in ((y0 - a) / b, (y1 - a) / b) if x0 < k < x1})
    total = 0.0
    for u, v in zip(knots[:-1], knots[1:], strict=True):
        mid = a + b * (u + v) / 2
        if mid >= y1:
            continue
        if mid <= y0:
            total += (v - u) * (y1 - y0)
        else:  # the line is inside the box on [u, v]
            total += (v - u) * (y1 - (a + b * (u + v) / 2))
    return total


def ceiling(x, y, kind: str = "ce_fdh") -> dict:
    """One ceiling line and its numbers: ``zone``, ``scope``, ``d``, ``accuracy``, ``peers``
    (and ``intercept``, ``slope`` for CR-FDH)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if kind not in CEILINGS:
        raise ValueError(f"ceiling must be one of {CEILINGS}, got {kind!r}")
    x0, x1, y0, y1 = x.min(), x.max(), y.min(), y.max()
    scope = (x1 - x0) * (y1 - y0)
    idx = peers(x, y)
    out = {"ceiling": kind, "scope": scope, "peers": idx, "n_peers": len(idx)}
    if kind == "ce_fdh":
        order = np.argsort(x, kind="stable")
        xs, cmax = x[order], np.maximum.accumulate(y[order])
        zone = float(_ceiling_zone_steps(xs, cmax, x1, y1))
        out.update(zone=zone, accuracy=1.0)
    else:
        px, py = x[idx], y[idx]
        if len(idx) < 2 or np.ptp(px) == 0:
            return {**ceiling(x, y, "ce_fdh"), "ceiling": kind, "intercept": float(py.max()),
                    "slope": 0.0}
        slope, intercept = np.polyfit(px, py, 1)
        zone = _line_zone(intercept, slope, x0, x1, y0, y1)
        out.update(zone=zone, intercept=float(intercept), slope=float(slope),
                   accuracy=float(np.mean(y <= intercept + slope * x + TIE)))
    out["d"] = out["zone"] / scope if scope > 0 else np.nan
    return out


def _d_ce_fdh_batch(x: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """CE-FDH effect sizes for a fixed x and a stack of y vectors (P x n)."""
    order = np.lexsort((-ys, np.broadcast_to(x, ys.shape)), axis=-1)
    xs = x[order]
    cmax = np.maximum.accumulate(np.take_along_axis(ys, order, axis=-1), axis=-1)
    x1 = x.max()
    y0, y1 = ys.min(axis=-1), ys.max(axis=-1)
    zone = _ceiling_zone_steps(xs, cmax, x1, y1[:, None])
    return zone / ((x1 - x.min()) * (y1 - y0))


@dataclass
class NCAResult:
    """NCA of one or more conditions for one outcome: ``table`` (one row per condition and
    ceiling with the zone, scope, d, accuracy, peers and permutation p), ``bottlenecks`` (per
    ceiling, outcome level x condition), ``settings``."""

    table: pd.DataFrame
    bottlenecks: dict[str, pd.DataFrame]
    permutation_d: dict[str, np.ndarray]
    settings: dict = field(default_factory=dict)


def bottleneck(x, y, kind: str = "ce_fdh", levels=range(0, 101, 10)) -> pd.Series:
    """The smallest condition level (percent of the x range) the ceiling requires for each
    outcome level (percent of the y range); NaN where it requires nothing ("NN")."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    x0, x1, y0, y1 = x.min(), x.max(), y.min(), y.max()
    line = ceiling(x, y, kind)
    out = {}
    for level in levels:
        target = y0 + level / 100 * (y1 - y0)
        if kind == "ce_fdh":
            order = np.lexsort((-y, x))  # at tied x the largest y first
            k = int(np.argmax(np.maximum.accumulate(y[order]) >= target - TIE))
            req = np.nan if k == 0 else x[order][k]
        else:
            a, b = line["intercept"], line["slope"]
            req = np.nan if b <= 0 or a + b * x0 >= target - TIE else min((target - a) / b, x1)
        out[level] = np.nan if np.isnan(req) else 100 * (req - x0) / (x1 - x0)
    return pd.Series(out, name="x_required_pct").rename_axis("y_level_pct")


def nca(data: pd.DataFrame, conditions, outcome: str, ceilings=CEILINGS, n_perm: int = 1000,
        seed: int | None = None, rng: np.random.Generator | None = None) -> NCAResult:
    """NCA of every column in ``conditions`` for ``outcome`` (columns of ``data``, e.g.
    ``fit.scores``).  Rows with a missing value in the pair are left out (counted)."""
    conditions = [conditions] if isinstance(conditions, str) else list(conditions)
    unknown = [c for c in [*conditions, outcome] if c not in data.columns]
    if unknown:
        raise ModelSpecificationError(f"NCA: column(s) {unknown} not in the data; columns: "
                                      f"{[str(c) for c in data.columns]}")
    bad = [c for c in ceilings if c not in CEILINGS]
    if bad:
        raise ValueError(f"ceilings must be among {CEILINGS}, got {bad}")
    if seed is not None and rng is not None:
        raise ValueError("give at most one of seed= or rng=")
    rng, _ = random_source(rng, seed)
    rows, bottlenecks, draws = [], {}, {}
    for cond in conditions:
        pair = data[[cond, outcome]].apply(pd.to_numeric, errors="coerce").dropna()
        x, y = pair[cond].to_numpy(float), pair[outcome].to_numpy(float)
        if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
            raise ModelSpecificationError(
                f"NCA of {cond!r} for {outcome!r}: {len(x)} complete observation(s)"
                + (", a constant condition" if len(x) and np.ptp(x) == 0 else "")
                + (", a constant outcome" if len(y) and np.ptp(y) == 0 else "")
                + "; the scope (the box the data span) has no area, so no ceiling or effect "
                "size is defined. What would work: more observations with varying values.")
        perm = rng.permuted(np.tile(y, (int(n_perm), 1)), axis=1) if n_perm else None
        for kind in ceilings:
            line = ceiling(x, y, kind)
            if perm is None:
                p, d_star = np.nan, np.empty(0)
            elif kind == "ce_fdh":
                d_star = _d_ce_fdh_batch(x, perm)
                p = float(np.mean(d_star >= line["d"] - TIE))
            else:
                d_star = np.array([ceiling(x, yy, kind)["d"] for yy in perm])
                p = float(np.mean(d_star >= line["d"] - TIE))
            draws[f"{cond} / {kind}"] = d_star
            rows.append({"condition": cond, "outcome": outcome, "ceiling": kind,
                         "n": len(x), "scope": line["scope"], "zone": line["zone"],
                         "d": line["d"], "accuracy": line["accuracy"],
                         "n_peers": line["n_peers"], "intercept": line.get("intercept"),
                         "slope": line.get("slope"), "p": p})
            bottlenecks.setdefault(kind, {})[cond] = bottleneck(x, y, kind)
    settings = {"outcome": outcome, "conditions": conditions, "ceilings": list(ceilings),
                "n_perm": int(n_perm),
                "permutations": f"numpy default_rng(seed={seed})" if seed is not None
                else "numpy Generator passed in",
                "p": "share of permutations (y shuffled against x) with d* >= d",
                "reference": "Dul (2016); Dul, van der Laan & Kuik (2020)"}
    return NCAResult(pd.DataFrame(rows),
                     {k: pd.DataFrame(v) for k, v in bottlenecks.items()}, draws, settings)
