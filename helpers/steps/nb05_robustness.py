"""How much each structural verdict depends on the study's choices (notebook 05).

* :func:`prepare` — the specifications (:mod:`helpers.steps.nb05_multiverse`), their data and index
  form;
* :func:`bootstrap_counts` — the resamples, one seeded index matrix shared by every
  specification (common random numbers: specifications differ only by their choices);
* :func:`estimate` — every specification on the original data and every resample, batched
  (:mod:`helpers.pls.stacked`); one row per specification with each path, its 95 % percentile
  interval and R²;
* :func:`claim_verdicts` — per specification, the verdict on each structural claim under the
  study's one rule (:mod:`helpers.registers.verdicts`, ``data/article/verdict_rules.csv``): H1–H3
  (the
  finding of :mod:`helpers.registers.hypotheses`, with the proxy strength of the specification's own
  indicator sets, then the related path intervals), C6 (every path interval clear of the
  negligible band), K1 (every path interval above 0), C4-PLS (the R² interval against the
  article's 0.869 and its margin) — consistent, inconsistent, inconclusive or not checkable;
* :func:`shares`, :func:`path_ranges` — the share of specifications per verdict, and the median
  and range of each path;
* :func:`leave_one_region_out` — every path and R² without each region in turn, with the verdicts;
* :func:`permutation_test` — the outcome permuted across regions: p-values for R² and each path;
* :func:`priority_stability` — per region, in how many specifications its importance–performance
  priority factor stays that of the main specification.

Specifications whose original estimate is inadmissible (PLSc with a non-positive ρ_A or a
corrected correlation beyond ±1) are counted and left out of the shares.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from helpers.pls import (
    Model,
    composite,
    estimate_pls,
    paths,
    predict_pls,
    reflective,
    relationships,
    single_item,
)
from helpers.pls.engine import weighted_correlations
from helpers.pls.stacked import Design, StackResult, estimate_stack
from helpers.registers import hypotheses as hyp
from helpers.registers import i18n
from helpers.registers import verdicts as vd
from helpers.registers.i18n import say
from helpers.registers.labels import factor_labels, label
from helpers.registers.regions import analysis_regions
from helpers.registers.tables import records as dict_rows
from helpers.steps import nb04_pls_estimation as estimation
from helpers.steps import nb05_multiverse as mv

CLAIMS = ("H1", "H2", "H3", "C6", "K1", "C4-PLS")
ALPHA = 0.05
"""The specifications' percentile intervals are two-sided at ``1 - ALPHA`` (:func:`summarise`);
the tables' interval headers say that level."""


@dataclass
class Prepared:
    """The specifications and everything needed to estimate them."""

    dims: dict
    specs: pd.DataFrame
    sets: dict
    table: pd.DataFrame  # regions x candidate columns (oriented)
    design: Design
    z: np.ndarray  # n x q standardised candidate columns, in design order
    factors: tuple[str, ...]
    codebook: pd.DataFrame
    years_same: dict = field(default_factory=dict)  # year rules giving an earlier rule's table

    @property
    def n_obs(self) -> int:
        return self.z.shape[0]

    @cached_property
    def set_strengths(self) -> dict[tuple[str, str], str]:
        """The best proxy strength of every (factor, indicator set), found once per study (the
        verdicts of every left-out region ask for them again)."""
        return {(f, label): mv.set_strength(self.codebook, cols)
                for f in self.factors for label, cols in self.sets[f].items()}


def prepare(codebook: pd.DataFrame, factors: Sequence[str], n_specs: int = 1000,
            seed: int = 2023) -> Prepared:
    """Enumerate the specifications and build their data (see
    :mod:`helpers.steps.nb05_multiverse`)."""
    factors = tuple(factors)
    tables = mv.rule_tables(codebook)
    dims = mv.choices(codebook, factors, tables=tables)
    specs = mv.specifications(dims, n_specs, seed)
    sets = mv.all_indicator_sets(codebook, factors)
    table = mv.variant_table(codebook, dims, tables)
    prep = _prepared(dims, specs, sets, table, factors, codebook)
    prep.years_same = mv.distinct_year_rules(codebook, tables)[1]
    return prep


def _prepared(dims, specs, sets, table, factors, codebook) -> Prepared:
    records = dict_rows(specs)
    design = Design.build([mv.spec_columns(s, factors, sets) for s in records],
                          [f"outcome|{s['outcome']}" for s in records],
                          [s["estimator"] for s in records],
                          [f"{s['year_rule']}|{s['scaling']}" for s in records])
    x = table[list(design.columns)].to_numpy(dtype=float)
    z = (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0, ddof=1)
    return Prepared(dims, specs, sets, table, design, z, factors, codebook)


def subset(prep: Prepared, rows) -> Prepared:
    """The same study restricted to some specifications (e.g. the main one)."""
    specs = prep.specs.iloc[list(rows)].reset_index(drop=True)
    return _prepared(prep.dims, specs, prep.sets, prep.table, prep.factors, prep.codebook)


def bootstrap_counts(n: int, n_boot: int, seed: int, rows: Sequence[int] | None = None
                     ) -> np.ndarray:
    """``(1 + n_boot) x n`` resample counts: row 0 the original data, then ``n_boot`` draws of
    ``n`` rows with replacement from ``rows`` (default all) by ``default_rng(seed)``."""
    pool = np.arange(n) if rows is None else np.asarray(rows)
    rng = np.random.default_rng(seed)
    idx = pool[rng.integers(0, len(pool), size=(n_boot, len(pool)))]
    counts = np.zeros((n_boot + 1, n))
    counts[0, pool] = 1.0
    np.add.at(counts, (np.repeat(np.arange(1, n_boot + 1), len(pool)), idx.ravel()), 1.0)
    return counts


def fit(prep: Prepared, counts: np.ndarray) -> StackResult:
    """Every specification on the correlation matrix of every row of ``counts``.

    The matrices are computed once, over every candidate column; the specifications of each data
    variant (year rule and scaling: the design's groups) are then estimated on their own
    columns' submatrix (:func:`variants`). :func:`helpers.pls.stacked.estimate_stack` estimates
    every group on its own columns anyway, so the numbers are those of one call on the whole
    matrix; it only no longer copies its columns out of the whole stack once per estimator and
    outcome coding."""
    r = weighted_correlations(prep.z, counts)
    bad = ~np.isfinite(r).all(axis=(1, 2))  # a matrix that failed fails every variant
    out = StackResult(np.full((prep.design.n_specs, len(r), len(prep.factors)), np.nan),
                      np.full((prep.design.n_specs, len(r)), np.nan),
                      np.zeros((prep.design.n_specs, len(r)), dtype=bool))
    for members, cols, design in variants(prep.design):
        sub = r[:, cols[:, None], cols[None, :]]
        sub[bad] = np.nan
        res = estimate_stack(sub, design)
        out.paths[members], out.r2[members], out.ok[members] = res.paths, res.r2, res.ok
    return out


def variants(design: Design) -> list[tuple[np.ndarray, np.ndarray, Design]]:
    """Per group of ``design`` (in order of first appearance): its specifications' rows, the
    columns they use (the outcomes included) and the design of those specifications alone, with
    the columns and blocks in the same relative order as in ``design``."""
    out = []
    for group in dict.fromkeys(design.spec_group.tolist()):
        members = np.flatnonzero(design.spec_group == group)
        used = np.unique(design.spec_blocks[members])
        cols = sorted({c for b in used for c in design.blocks[b]}
                      | set(design.spec_outcome[members].tolist()))
        at = {c: i for i, c in enumerate(cols)}
        block_at = {int(b): i for i, b in enumerate(used)}
        out.append((members, np.asarray(cols), Design(
            tuple(design.columns[c] for c in cols),
            tuple(tuple(at[c] for c in design.blocks[b]) for b in used),
            np.vectorize(block_at.__getitem__)(design.spec_blocks[members]),
            np.asarray([at[int(c)] for c in design.spec_outcome[members]], dtype=int),
            design.spec_estimator[members], design.spec_group[members])))
    return out


def percentiles(draws: np.ndarray, n_ok: np.ndarray, qs: Sequence[float]) -> list[np.ndarray]:
    """Type-7 quantiles ``qs`` (numpy's default, R's type 7) of each specification's admissible
    draws: ``draws`` is S x B x P with NaN where a resample failed, ``n_ok`` the S counts.

    With the ``m`` admissible values sorted, ``h = (m − 1) q`` and the quantile is
    ``x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋])``; NaN where ``m < 2``."""
    x = np.sort(draws, axis=1)  # NaN sort last
    m = n_ok.astype(float)
    top = np.maximum(n_ok - 1, 0)

    def at(i):
        return np.take_along_axis(x, np.broadcast_to(i[:, None, None], (len(i), 1, x.shape[2])),
                                  axis=1)[:, 0]

    out = []
    for q in qs:
        h = np.maximum(m - 1, 0) * q
        low = np.floor(h).astype(int)
        a, b = at(low), at(np.minimum(low + 1, top))
        value = a + (h - low)[:, None] * (b - a)
        value[n_ok < 2] = np.nan
        out.append(value)
    return out


def summarise(prep: Prepared, res: StackResult, alpha: float = ALPHA) -> pd.DataFrame:
    """One row per specification: its choices, each path's estimate and percentile interval,
    R² and its interval, the number of admissible resamples, and ``estimable``."""
    out = prep.specs.copy()
    ok = res.ok[:, 1:]
    n_ok = ok.sum(axis=1)
    qs = (alpha / 2, 1 - alpha / 2)
    lo, hi = percentiles(np.where(ok[..., None], res.paths[:, 1:], np.nan), n_ok, qs)
    r2_lo, r2_hi = (v[:, 0] for v in
                    percentiles(np.where(ok, res.r2[:, 1:], np.nan)[..., None], n_ok, qs))
    new = {}  # the columns added, joined at once (not inserted one by one)
    for k, f in enumerate(prep.factors):
        new[f"path_{f}"] = res.paths[:, 0, k]
        new[f"lo_{f}"] = lo[:, k]
        new[f"hi_{f}"] = hi[:, k]
    new["r2"] = res.r2[:, 0]
    new["r2_lo"], new["r2_hi"] = r2_lo, r2_hi
    new["n_ok"] = n_ok
    new["estimable"] = res.ok[:, 0] & (n_ok >= 2)
    return pd.concat([out, pd.DataFrame(new, index=out.index)], axis=1)


def estimate(prep: Prepared, n_boot: int = 1000, seed: int = 2023) -> pd.DataFrame:
    """:func:`summarise` of every specification with ``n_boot`` shared resamples."""
    return summarise(prep, fit(prep, bootstrap_counts(prep.n_obs, n_boot, seed)))


# ----------------------------------------------------------------------------------------------
# Verdicts
# ----------------------------------------------------------------------------------------------

def claim_verdicts(prep: Prepared, table: pd.DataFrame, hypotheses: pd.DataFrame,
                   article_r2: float, min_strength: str = "moderate") -> pd.DataFrame:
    """Per estimable specification (rows of :func:`summarise`), the verdict on each claim of
    :data:`CLAIMS` and, for H1–H3, the hypothesis finding (the verdict words alone:
    :func:`helpers.registers.verdicts.decide`, no reason written)."""
    rows = []
    rules = vd.load_rules()
    strengths = prep.set_strengths
    related = {r.id: [f.strip() for f in r.factors if f.strip()] for r in hypotheses.itertuples()}
    for spec in dict_rows(table[table["estimable"]]):
        est = {f: spec[f"path_{f}"] for f in prep.factors}
        low = {f: spec[f"lo_{f}"] for f in prep.factors}
        paths = {f: {"estimate": est[f], "ci_low": low[f], "ci_high": spec[f"hi_{f}"]}
                 for f in prep.factors}
        strength = {f: strengths[(f, spec[f"set_{f}"])] for f in prep.factors}
        row = {"spec_id": spec["spec_id"]}
        for h, factors in related.items():
            found = hyp.finding(est, low, factors, strength, min_strength)[0]
            row[f"{h}_finding"] = found
            row[h] = vd.decide_hypothesis(rules[h], found, {f: paths[f] for f in factors})
        row["C6"] = vd.decide(rules["C6"], paths)
        row["K1"] = vd.decide(rules["K1"], paths)
        row["C4-PLS"] = vd.decide(rules["C4-PLS"], {"estimate": spec["r2"], "low": spec["r2_lo"],
                                                    "high": spec["r2_hi"]}, article_r2)
        rows.append(row)
    return pd.DataFrame(rows)


def shares(verdicts: pd.DataFrame, claims: Sequence[str] = CLAIMS) -> pd.DataFrame:
    """Tidy: ``claim, verdict, n, share`` for every claim and every verdict (zeros included)."""
    rows = []
    total = len(verdicts)
    for c in claims:
        for v in vd.VERDICTS:
            n = int((verdicts[c] == v).sum())
            rows.append({"claim": c, "verdict": v, "n": n, "share": n / total if total else np.nan})
    return pd.DataFrame(rows)


def share_of(shares_table: pd.DataFrame, claim: str, verdict: str) -> float:
    """The share of specifications giving ``verdict`` on ``claim``."""
    row = shares_table[(shares_table["claim"] == claim) & (shares_table["verdict"] == verdict)]
    return float(row["share"].iloc[0])


def path_ranges(table: pd.DataFrame, factors: Sequence[str]) -> pd.DataFrame:
    """Median, minimum, maximum, and share positive of each path (and R²) over the estimable
    specifications."""
    ok = table[table["estimable"]]
    rows = {}
    for name, col in [(f, f"path_{f}") for f in factors] + [("r2", "r2")]:
        v = ok[col]
        rows[name] = {"median": v.median(), "min": v.min(), "max": v.max(),
                      "share_positive": float((v > 0).mean()),
                      "share_interval_above_0": float((ok[f"lo_{name}"] > 0).mean())
                      if name != "r2" else np.nan}
    return pd.DataFrame(rows).T


def by_choice(table: pd.DataFrame, verdicts: pd.DataFrame, dims: Mapping[str, list],
              claim: str, verdict: str) -> pd.DataFrame:
    """For every dimension and level: the specifications with that choice and the share of them
    giving ``verdict`` on ``claim`` — which choices move a verdict."""
    merged = table.merge(verdicts[["spec_id", claim]], on="spec_id")
    rows = []
    for d, levels in dims.items():
        for level in levels:
            part = merged[merged[d] == level]
            rows.append({"dimension": d, "level": str(level), "n": len(part),
                         "share": float((part[claim] == verdict).mean()) if len(part)
                         else np.nan})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# Influence of single regions
# ----------------------------------------------------------------------------------------------

def leave_one_region_out(prep: Prepared, n_boot: int, seed: int, hypotheses: pd.DataFrame,
                         article_r2: float, regions: Sequence[str] | None = None
                         ) -> pd.DataFrame:
    """Every path and R² of each specification of ``prep`` (use :func:`subset` for the main one)
    without one region at a time, each with its own bootstrap over the remaining regions (seeded
    by ``seed``), and the verdicts. One row per (left-out region, specification); the first rows
    (``left_out = "none"``) are the full data."""
    regions = list(prep.table.index) if regions is None else list(regions)
    n = prep.n_obs
    frames = []
    for k, name in enumerate(["none", *regions]):
        keep = [i for i in range(n) if k == 0 or i != k - 1]
        res = fit(prep, bootstrap_counts(n, n_boot, seed, rows=keep))
        table = summarise(prep, res)
        verdicts = claim_verdicts(prep, table, hypotheses, article_r2)
        table = table.merge(verdicts, on="spec_id", how="left")
        table.insert(0, "left_out", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def influential(loro: pd.DataFrame, claims: Sequence[str] = CLAIMS) -> pd.DataFrame:
    """The (region, claim) pairs whose removal changes a verdict of the same specification."""
    full = loro[loro["left_out"] == "none"].set_index("spec_id")
    rows = []
    for r in loro[loro["left_out"] != "none"].to_dict("records"):
        for c in claims:
            before = full.loc[r["spec_id"], c]
            if r[c] != before:
                rows.append({"region": r["left_out"], "spec_id": r["spec_id"], "claim": c,
                             "with_all": before, "without": r[c]})
    return pd.DataFrame(rows, columns=["region", "spec_id", "claim", "with_all", "without"])


# ----------------------------------------------------------------------------------------------
# Permutation inference
# ----------------------------------------------------------------------------------------------

def permuted_correlations(z: np.ndarray, outcome_cols: Sequence[int], n_perm: int,
                          seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The correlation matrix of ``z`` (n x q) and ``n_perm`` copies with the rows of the outcome
    column(s) permuted (one permutation per copy, the same for every outcome column), first the
    original. Returns (stack (1 + n_perm) x q x q, permutations n_perm x n)."""
    n, q = z.shape
    rng = np.random.default_rng(seed)
    perms = np.argsort(rng.random((n_perm, n)), axis=1)
    r0 = (z.T @ z) / (n - 1)
    stack = np.repeat(r0[None], n_perm + 1, axis=0)
    for c in outcome_cols:
        ry = z[perms, c] @ z / (n - 1)  # n_perm x q: the permuted outcome with every column
        ry[:, outcome_cols] = r0[c, outcome_cols]  # outcome codings are permuted together
        stack[1:, c, :] = ry
        stack[1:, :, c] = ry
    return stack, perms


def permutation_test(prep: Prepared, n_perm: int = 5000, seed: int = 2023) -> pd.DataFrame:
    """Permutation p-values for every specification of ``prep``: the outcome permuted across
    regions ``n_perm`` times (the whole estimator re-run on each, weights included).

    ``p = (1 + #{|stat_perm| ≥ |stat_obs|}) / (1 + n_perm)`` for each path (two-sided) and
    ``p = (1 + #{R²_perm ≥ R²_obs}) / (1 + n_perm)`` for R²; inadmissible permutations are left
    out of both counts. Sign-change correction is off: a permutation's sign is not comparable
    with the original's."""
    outcome_cols = sorted(set(prep.design.spec_outcome.tolist()))
    stack, _ = permuted_correlations(prep.z, outcome_cols, n_perm, seed)
    res = estimate_stack(stack, prep.design, sign_change=False)
    rows = []
    for s in range(prep.design.n_specs):
        ok = res.ok[s, 1:]
        row = {"spec_id": int(prep.specs["spec_id"].iloc[s]), "n_perm": int(ok.sum())}
        obs_r2 = res.r2[s, 0]
        row["r2"] = obs_r2
        row["p_r2"] = (1 + int((res.r2[s, 1:][ok] >= obs_r2 - 1e-12).sum())) / (1 + ok.sum())
        for k, f in enumerate(prep.factors):
            obs = abs(res.paths[s, 0, k])
            row[f"path_{f}"] = res.paths[s, 0, k]
            row[f"p_{f}"] = (1 + int((np.abs(res.paths[s, 1:, k][ok]) >= obs - 1e-12).sum())) \
                / (1 + ok.sum())
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# Per region: the importance-performance priority across specifications
# ----------------------------------------------------------------------------------------------

def priority_factors(prep: Prepared, table: pd.DataFrame) -> pd.DataFrame:
    """Per estimable specification (rows) and region (columns): the factor the IPMA rule of
    :data:`helpers.steps.nb04_pls_estimation.IPMA_RULE` names (``None`` when no factor has positive
    importance).

    For this model importance is the unstandardised total effect, ``path_c · k_c / k_y`` with
    ``k = Σ w_i (max_i − min_i) / (100 sd_i)``, and a region's performance is its rescaled
    (0–100, observed range) indicators weighted by ``v ∝ w_i / (sd_i · 100 / (max_i − min_i))``;
    weights are those of the specification's estimator on the original data. The outcome's
    range and sd make ``k_y``, which scales every importance alike and cannot change the choice.
    """
    x = prep.table[list(prep.design.columns)].to_numpy(dtype=float)
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    sd = np.nanstd(x, axis=0, ddof=1)
    perf_all = 100 * (x - lo) / (hi - lo)
    r0 = (prep.z.T @ prep.z) / (prep.n_obs - 1)
    out = {}
    rows = {r["spec_id"]: r for r in dict_rows(table)}
    scaled: dict[tuple, tuple[float, np.ndarray]] = {}  # (block, outcome, estimator): kc, perf

    def block_scale(b: int, y: int, estimator: str) -> tuple[float, np.ndarray]:
        """``k_c`` and the regions' performance of block ``b``: they depend only on the block,
        the outcome and the estimator, which many specifications share."""
        if (b, y, estimator) not in scaled:
            blk = list(prep.design.blocks[b])
            w = _weights(r0, blk, y, estimator)
            kc = float((w * (hi[blk] - lo[blk]) / (100 * sd[blk])).sum())
            v = w / (sd[blk] * 100 / (hi[blk] - lo[blk]))
            scaled[b, y, estimator] = kc, perf_all[:, blk] @ (v / v.sum())
        return scaled[b, y, estimator]

    for s, spec in enumerate(dict_rows(prep.specs)):
        row = rows[spec["spec_id"]]
        if not row["estimable"]:
            continue
        y = int(prep.design.spec_outcome[s])
        gaps = np.full((prep.n_obs, len(prep.factors)), np.nan)
        for k, b in enumerate(prep.design.spec_blocks[s]):
            kc, perf = block_scale(int(b), y, spec["estimator"])
            importance = row[f"path_{prep.factors[k]}"] * kc
            gaps[:, k] = np.where(importance > 0,
                                  importance * (100 - np.clip(perf, 0, 100)), -np.inf)
        best = np.argmax(gaps, axis=1)
        none = ~np.isfinite(gaps.max(axis=1))
        out[spec["spec_id"]] = [None if none[i] else prep.factors[best[i]]
                                for i in range(prep.n_obs)]
    return pd.DataFrame(out, index=prep.table.index).T.rename_axis("spec_id")


def _weights(r0: np.ndarray, blk: list[int], y: int, estimator: str) -> np.ndarray:
    """Unit-variance outer weights of one block on the original data (as :mod:`stacked`)."""
    if len(blk) == 1:
        return np.ones(1)
    ry = r0[blk, y]
    if estimator == "equal_weights":
        w = np.ones(len(blk))
    elif estimator == "pls_mode_b":
        w = np.linalg.solve(r0[np.ix_(blk, blk)], ry)
    else:
        w = ry.copy()
    w = w * (-1.0 if ry.sum() < 0 and estimator != "equal_weights" else 1.0)
    return w / np.sqrt(w @ r0[np.ix_(blk, blk)] @ w)


def priority_stability(priorities: pd.DataFrame, main_spec_id: int = 0) -> pd.DataFrame:
    """Per region: the main specification's priority factor and the number and share of
    estimable specifications that name the same one."""
    main = priorities.loc[main_spec_id]
    same = priorities.eq(main, axis=1)
    return pd.DataFrame({"main_priority": main, "n_same": same.sum(axis=0).astype(int),
                         "n_specs": len(priorities), "share_same": same.mean(axis=0)})


def region_influence(loro: pd.DataFrame, factors: Sequence[str], spec_id: int = 0,
                     claims: Sequence[str] = CLAIMS) -> pd.DataFrame:
    """Per left-out region, for one specification: the change of every path and of R² against the
    full data, the paths whose sign reverses, and the claims whose verdict changes."""
    rows = loro[loro["spec_id"] == spec_id].set_index("left_out")
    full = rows.loc["none"]
    out = []
    for region, r in rows.drop(index="none").iterrows():
        row = {"region": region}
        for f in factors:
            row[f"delta_{f}"] = r[f"path_{f}"] - full[f"path_{f}"]
        row["delta_r2"] = r["r2"] - full["r2"]
        row["reversed_paths"] = [f for f in factors
                                 if np.sign(r[f"path_{f}"]) != np.sign(full[f"path_{f}"])]
        row["changed_claims"] = [c for c in claims if r[c] != full[c]]
        row["changes_a_verdict"] = bool(row["changed_claims"])
        out.append(row)
    return pd.DataFrame(out).set_index("region")


def largest_shifts(influence: pd.DataFrame, factors: Sequence[str]) -> pd.DataFrame:
    """Per path (and R²): the region whose removal moves it most, and by how much."""
    rows = {}
    for name in [*factors, "r2"]:
        col = influence[f"delta_{name}"]
        region = col.abs().idxmax()
        rows[name] = {"region": region, "delta": float(col[region]),
                      "regions_reversing": [r for r, p in influence["reversed_paths"].items()
                                            if name in p] if name != "r2" else []}
    return pd.DataFrame(rows).T


# ----------------------------------------------------------------------------------------------
# Out-of-sample prediction around the main specification
# ----------------------------------------------------------------------------------------------

def spec_model(prep: Prepared, s: int):
    """The :class:`helpers.pls.Model` of PLS specification ``s`` (row of ``prep.specs``) for
    :func:`helpers.pls.estimate_pls` on ``prep.table``: Mode A or B composites, or for PLSc the
    blocks whose indicators all correlate positively declared reflective (as the batched
    estimator reads them); the outcome as the single item ``y``."""
    spec = prep.specs.iloc[s]
    if spec["estimator"] == "equal_weights":
        raise ValueError(f"specification {s} uses equal weights + OLS: not a PLS model.")
    cols = mv.spec_columns(spec, prep.factors, prep.sets)
    corr = prep.table[[c for block in cols for c in block]].corr()
    constructs = []
    for f, block in zip(prep.factors, cols, strict=True):
        within = corr.loc[block, block].to_numpy()[~np.eye(len(block), dtype=bool)]
        if len(block) == 1:
            constructs.append(single_item(f, block[0]))
        elif spec["estimator"] == "plsc" and (within > 0).all():
            constructs.append(reflective(f, block))
        else:
            constructs.append(composite(f, block,
                                        mode="B" if spec["estimator"] == "pls_mode_b" else "A"))
    constructs.append(single_item("y", f"outcome|{spec['outcome']}"))
    return Model(constructs, relationships(paths(list(prep.factors), "y")))


def plspredict_table(prep: Prepared, table: pd.DataFrame, kinds=("main", "one choice away")
                     ) -> pd.DataFrame:
    """PLSpredict with leave-one-region-out folds (:func:`helpers.pls.predict_pls`, direct
    antecedents, LM benchmark on every factor's indicators) for the estimable PLS
    specifications of the given ``kinds``: Q²_predict, the RMSE of PLS and LM, and the reading."""
    dims = prep.dims
    main = mv.main_specification(dims)
    rows = []
    for s, spec in enumerate(dict_rows(prep.specs)):
        if spec["kind"] not in kinds or spec["estimator"] == "equal_weights" \
                or not table.loc[table["spec_id"] == spec["spec_id"], "estimable"].iloc[0]:
            continue
        changed = [f"{d} = {spec[d]}" for d in dims if spec[d] != main[d]]
        fit = estimate_pls(prep.table, spec_model(prep, s))
        item = predict_pls(fit, folds="loo").items.iloc[0]
        rows.append({"spec_id": spec["spec_id"], "kind": spec["kind"],
                     "change": "; ".join(changed) or "main specification",
                     "q2_predict": float(item["q2_predict"]), "pls_rmse": float(item["pls_rmse"]),
                     "lm_rmse": float(item["lm_rmse"]),
                     "pls_beats_lm": bool(item["pls_beats_lm_rmse"])})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# The notebook's sentences (in the notebook's language: helpers.registers.i18n)
# ----------------------------------------------------------------------------------------------

def _kind(kind: str, lang: str) -> str:
    """A kind of specification (main, one choice away, random sample) as the reader reads it."""
    return kind if lang == i18n.SOURCE_LANGUAGE else label(i18n.table_label(kind), lang)


def _choice(dimension: str, level, lang: str) -> str:
    """A choice of a dimension as the reader reads it (English: the ids, as recorded)."""
    if lang == i18n.SOURCE_LANGUAGE:
        return str(level)
    return mv.level_text(dimension, level, lang)


def specs_sentence(n_full: int, n_specs: int, kinds: Mapping[str, int], seed: int,
                   years_same: Mapping[str, str], lang: str | None = None) -> str:
    lang = lang or i18n.current()
    text = say("robustness.specs", lang, n_full=int(n_full), n_specs=int(n_specs), seed=str(seed),
               kinds=i18n.join([f"{v} {_kind(k, lang)}" for k, v in kinds.items()], lang))
    if years_same:
        text += " " + say("robustness.years_same", lang, rules=", ".join(
            f"{_choice('year_rule', k, lang)} = {_choice('year_rule', v, lang)}"
            for k, v in years_same.items()))
    return text


def estimable_sentence(n_ok: int, n: int, not_estimable: Mapping[str, int],
                       lang: str | None = None) -> str:
    return say("robustness.estimable", lang, n_ok=int(n_ok), n=int(n),
               not_estimable=", ".join(f"{k}: {v}" for k, v in not_estimable.items()) or "—")


def shares_sentence(share: Mapping[str, float], n: int, main_r2: float, ranges,
                    lang: str | None = None) -> str:
    return say("robustness.shares", lang, h1=share["H1"], c6=share["C6"], k1=share["K1"],
               c4=share["C4-PLS"], n=int(n), r2=float(main_r2),
               r2_min=float(ranges.loc["r2", "min"]), r2_max=float(ranges.loc["r2", "max"]),
               r2_median=float(ranges.loc["r2", "median"]))


def _places(lang: str) -> dict[str, str]:
    """The 20 regions' names in ``lang``, by slug."""
    return {r.slug: r.name(lang) for r in analysis_regions()}


def influence_sentence(influential: list[str], shifts, names: Mapping[str, str],
                       lang: str | None = None) -> str:
    places = _places(lang or i18n.current())
    first = (say("robustness.influential", lang,
                 regions=", ".join(places.get(r, r) for r in influential)) if influential
             else say("robustness.no_influential", lang))
    moves = "; ".join(say("robustness.move", lang, name=names.get(p, "R²"),
                          delta=float(r["delta"]), region=places.get(r["region"], r["region"]))
                      for p, r in shifts.iterrows())
    return " ".join([first, say("robustness.largest_moves", lang, moves=moves)])


def permutation_sentence(p, inference, lang: str | None = None) -> str:
    return say("robustness.permutation", lang, n_perm=int(p["n_perm"]), r2=float(p["r2"]),
               p_r2=float(p["p_r2"]), p_min=float(inference["p_permutation"].min()))


def plspredict_run(prep: Prepared, table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """:func:`plspredict_table`, and the engine's warnings it raised (``Category: message``,
    each once) kept for :func:`prediction_sentence` to say instead of printed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = plspredict_table(prep, table)
    return frame, list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))


def prediction_sentence(prediction, caught: Sequence[str] = (), lang: str | None = None) -> str:
    """What PLSpredict says across the specifications, how often the LM benchmark could not be
    estimated (``lm_rmse`` missing: more coefficients than a fold's training rows), and the
    engine's other warnings (``caught``, :func:`plspredict_run`) in the language
    (:func:`helpers.steps.nb04_pls_estimation.warning_text`)."""
    text = say("robustness.prediction", lang, n_q2=int((prediction["q2_predict"] > 0).sum()),
               n=len(prediction), main_q2=float(prediction["q2_predict"].iloc[0]),
               n_beats=int(prediction["pls_beats_lm"].sum()))
    missing = int(prediction["lm_rmse"].isna().sum())
    if missing:
        text += " " + say("robustness.lm_not_estimable", lang, k=missing, n=len(prediction))
    other = [w for w in caught if not estimation.LM_NOT_ESTIMABLE.match(w)]
    if other:
        text += "\n\n" + say("estimation.warnings", lang, n=len(other)) + "\n\n" + "\n".join(
            f"- {estimation.warning_text(w, lang)}" for w in other)
    return text


# ----------------------------------------------------------------------------------------------
# What the notebook's cells show and record (so that its cells stay short)
# ----------------------------------------------------------------------------------------------

def levels_table(prep: Prepared, lang: str | None = None) -> pd.DataFrame:
    """Each dimension of the multiverse with its levels, one row per dimension (outside English,
    the dimensions and choices in words: :func:`helpers.steps.nb05_multiverse.level_text`)."""
    lang = lang or i18n.current()
    if lang == i18n.SOURCE_LANGUAGE:
        return pd.Series({d: ", ".join(map(str, v)) for d, v in prep.dims.items()},
                         name="levels").to_frame()
    return pd.Series({mv.dimension_text(d, lang): "; ".join(mv.level_text(d, x, lang) for x in v)
                      for d, v in prep.dims.items()}, name=label("tab_levels", lang)).to_frame()


def _kinds(prep: Prepared) -> dict:
    return prep.specs["kind"].value_counts().to_dict()


def _not_estimable(table: pd.DataFrame) -> dict:
    return table.loc[~table["estimable"], "estimator"].value_counts().to_dict()


def specs_text(prep: Prepared, seed: int, lang: str | None = None) -> str:
    """:func:`specs_sentence` for ``prep``."""
    return specs_sentence(mv.n_full(prep.dims), len(prep.specs), _kinds(prep), seed,
                          prep.years_same, lang)


def estimable_text(table: pd.DataFrame, lang: str | None = None) -> str:
    """:func:`estimable_sentence` for the table of :func:`estimate`."""
    return estimable_sentence(int(table["estimable"].sum()), len(table), _not_estimable(table),
                              lang)


def share_consistent(shares_table: pd.DataFrame) -> dict[str, float]:
    """Per claim of :data:`CLAIMS`: the share of specifications that are consistent with it."""
    return {c: share_of(shares_table, c, "consistent") for c in CLAIMS}


def shares_text(table: pd.DataFrame, shares_table: pd.DataFrame, ranges: pd.DataFrame,
                lang: str | None = None) -> str:
    """:func:`shares_sentence` for the main specification (row 0) and the estimable ones."""
    return shares_sentence(share_consistent(shares_table), int(table["estimable"].sum()),
                           table.iloc[0]["r2"], ranges, lang)


def fig10_title(table: pd.DataFrame, prep: Prepared, n_boot: int, lang: str) -> str:
    """The specification curve's title."""
    return label("fig10_title", lang).format(n=int(table["estimable"].sum()), n_obs=prep.n_obs,
                                             n_boot=n_boot)


def influential_regions(influence: pd.DataFrame) -> list[str]:
    """The regions whose removal changes a verdict of the main specification, sorted."""
    return sorted(influence.index[influence["changes_a_verdict"]])


def influence_text(influence: pd.DataFrame, factors: Sequence[str], names: Mapping[str, str],
                   lang: str | None = None) -> str:
    """:func:`influence_sentence` for the table of :func:`region_influence`."""
    return influence_sentence(influential_regions(influence), largest_shifts(influence, factors),
                              names, lang)


def inference_table(table: pd.DataFrame, perm: pd.DataFrame, factors: Sequence[str]
                    ) -> pd.DataFrame:
    """The main specification's (row 0) paths and R² with their bootstrap interval and
    permutation p-value (first row of :func:`permutation_test`)."""
    main, p = table.iloc[0], perm.iloc[0]
    return pd.DataFrame({
        "estimate": [main[f"path_{f}"] for f in factors] + [main["r2"]],
        "ci_low": [main[f"lo_{f}"] for f in factors] + [main["r2_lo"]],
        "ci_high": [main[f"hi_{f}"] for f in factors] + [main["r2_hi"]],
        "p_permutation": [p[f"p_{f}"] for f in factors] + [p["p_r2"]]},
        index=[*factors, "r2"])


def record_choices(prep: Prepared, table: pd.DataFrame, n_boot: int, n_perm: int,
                   seed: int) -> dict:
    """The report's keys on the specifications and the study's settings."""
    return dict(n_full=mv.n_full(prep.dims), n_specs=len(table),
                n_estimable=int(table["estimable"].sum()), not_estimable=_not_estimable(table),
                kinds=_kinds(prep), dimensions=prep.dims, year_rules_same=prep.years_same,
                settings={
                    "n_boot": n_boot, "n_perm": n_perm, "seed": seed,
                    "resamples": f"numpy default_rng(seed={seed}), one index matrix for all",
                    "intervals": "95 % percentile", "sign_change": "construct",
                    "sample": "main + every one-choice-away variant + seeded random sample"})


def record_verdicts(table: pd.DataFrame, shares_table: pd.DataFrame, ranges: pd.DataFrame,
                    moves: pd.DataFrame, factors: Sequence[str]) -> dict:
    """The report's keys on the verdicts across the specifications."""
    main = table.iloc[0]
    return dict(shares=shares_table.to_dict("records"),
                share_consistent=share_consistent(shares_table), path_ranges=ranges,
                by_choice_c6=moves.to_dict("records"), specifications=table.to_dict("records"),
                main={f: main[f"path_{f}"] for f in factors} | {"r2": main["r2"]})


def record_regions(loro: pd.DataFrame, influence: pd.DataFrame, inference: pd.DataFrame,
                   perm: pd.DataFrame, stability: pd.DataFrame, prediction: pd.DataFrame,
                   factors: Sequence[str]) -> dict:
    """The report's keys on single regions, the permutation test and PLSpredict."""
    per_region = stability.join(influence[["reversed_paths", "changed_claims",
                                           "changes_a_verdict", "delta_r2"]])
    return dict(loro=loro.drop(columns=[c for c in loro.columns if c.endswith("_finding")])
                .to_dict("records"), influence=influence,
                influential_regions=influential_regions(influence),
                largest_shifts=largest_shifts(influence, factors), permutation=inference,
                permutation_n=int(perm.iloc[0]["n_perm"]), per_region=per_region,
                plspredict=prediction.to_dict("records"),
                plspredict_n_positive_q2=int((prediction["q2_predict"] > 0).sum()))


TABLE_WORDS = ("one choice away", "random sample",
               "claim", "verdict", "consistent", "inconclusive", "inconsistent", "not checkable",
               "median", "min", "max", "share_positive", "share_interval_above_0", "dimension",
               "level", "share", "full", "mean3", "region", "delta_r2", "reversed_paths",
               "changed_claims", "estimate", "ci_low", "ci_high", "p_permutation", "spec_id",
               "kind", "change", "q2_predict", "pls_rmse", "lm_rmse", "pls_beats_lm", "main",
               "main specification", "main_priority", "n_same", "n_specs", "share_same")
"""The English words of notebook 05's tables that a reader sees as headers or cells; each has
its label ``tab_<word>`` in ``data/labels.csv`` (the English label is the word itself, so the
English tables read as before)."""


def _choices_shown(table: pd.DataFrame, dims: Mapping[str, list], lang: str) -> pd.DataFrame:
    """The multiverse's ids in a table as words (outside English): a ``dimension`` column and its
    ``level``, and a ``change`` column (``dimension = level; …``, :func:`plspredict_table`)."""
    out = table.copy()
    if "dimension" in out and "level" in out:
        out["level"] = [_choice(d, x, lang) for d, x in zip(out["dimension"], out["level"],
                                                            strict=True)]
        out["dimension"] = [mv.dimension_text(d, lang) for d in out["dimension"]]
    if "change" in out:
        def change(text: str) -> str:
            if " = " not in text:
                return text
            parts = [part.split(" = ", 1) for part in text.split("; ")]
            return "; ".join(f"{mv.dimension_text(d, lang)} = {_choice(d, x, lang)}"
                             for d, x in parts if d in dims)
        out["change"] = [change(t) for t in out["change"]]
    return out


def shown(table: pd.DataFrame, lang: str | None = None,
          dims: Mapping[str, list] | None = None) -> pd.DataFrame:
    """A table of notebook 05 for reading in ``lang``: factor ids and region slugs as names, the
    words of :data:`TABLE_WORDS` from ``data/labels.csv``, lists of ids as names (factors) joined
    by commas, with the multiverse's ``dims`` its choices in words (outside English), yes/no,
    numbers written the language's way, interval headers with their level (``1 - ALPHA``)
    (:func:`helpers.registers.i18n.shown`; the record is unchanged)."""
    lang = lang or i18n.current()
    names = factor_labels(lang)
    table = table.copy()
    for column in table.columns:
        if table[column].map(lambda v: isinstance(v, list)).any():
            table[column] = [", ".join(names.get(x, str(x)) for x in v) or "—"
                             if isinstance(v, list) else v for v in table[column]]
    if dims is not None and lang != i18n.SOURCE_LANGUAGE:
        table = _choices_shown(table, dims, lang)
    return i18n.shown(table, lang, TABLE_WORDS, places=True, level=1 - ALPHA)
