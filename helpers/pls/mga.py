"""Multi-group analysis (PLS-MGA): one model per group, tests of path differences, MICOM step 2.

The groups come from a grouping column (one label per data row; rows without a label are left
out and counted) or a boolean mask (``True`` rows = "group 1", as seminr's ``condition``).  Every
group's model is estimated on the group's rows alone, with the settings of the full-sample fit
(its own standardisation and missing-data treatment).  For every pair of groups (a, b) and every
path, with ``beta_a``, ``beta_b`` the group estimates and ``d = beta_a - beta_b``:

* **Henseler's PLS-MGA** (Henseler, Ringle & Sinkovics 2009), from B bootstrap resamples drawn
  within each group.  With ``beta*_aj``, ``beta*_bk`` the draws (the first ``J`` successful draws
  of each group, ``J`` the smaller count, as seminr) and ``m_a``, ``m_b`` their means::

      p_henseler = 1 - (1/J^2) * #{(j, k): 2 m_a - beta*_aj - 2 m_b + beta*_bk > 0}

  the probability that ``beta_a <= beta_b`` given the data: a *one-sided* p-value for
  ``H1: beta_a > beta_b`` (small when group a's path is larger, near 1 when it is smaller).
  ``p_henseler_two_sided = 2 min(p, 1 - p)`` tests ``beta_a != beta_b`` (as SmartPLS 4 reports
  beside the one-sided value).  The count is done exactly by sorting, not on the J x J grid.
* **Permutation test** (Chin & Dibbern 2010): pool the two groups' rows, reassign them at random
  to groups of the original sizes ``n_a``, ``n_b``, re-estimate both models and take the
  difference ``d*``; over the P permutations that succeed (both groups estimable)::

      p_permutation = #{|d*| >= |d| - 1e-10} / P

  (two-sided; differences that tie with ``|d|`` up to rounding count as at least as extreme).
* **MICOM step 2, compositional invariance** (Henseler, Ringle & Sarstedt 2016): for each
  multi-item construct, ``c = cor(X w_a, X w_b)`` with ``w_a``, ``w_b`` the construct's outer
  weights in the two groups and ``X`` the pair's pooled data z-standardised together; on the
  pooled correlation matrix ``R``, ``c = w_a' R w_b / sqrt(w_a' R w_a * w_b' R w_b)``.  The same
  permutations give ``c*``; compositional invariance is not rejected when ``c`` is at least the
  ``alpha`` quantile of the ``c*`` (type 7); ``p_micom = #{c* <= c + 1e-10} / P``.  Single-item
  constructs (``c = 1`` by construction) are not listed.

Everything random comes from one place: ``seed`` or ``rng`` (one generator, used for the groups'
bootstrap resamples in group order, then for the permutations pair by pair), or explicit
matrices: ``group_indices`` (per group a ``B x n_g`` matrix of 0-based row numbers *within the
group's rows*, seminr's ``group1_indices``/``group2_indices``) and ``permutations`` (per pair a
``P x (n_a + n_b)`` matrix, each row a permutation of ``0 .. n_a + n_b - 1``; positions index the
pooled rows, group a's rows first then group b's, in data order; the first ``n_a`` entries of a
row form the permuted group a).  The permutations of a pair run as one stack of ``2P`` correlation
matrices through the engine (:func:`~helpers.pls.engine.weighted_correlations` with 0/1 counts,
:func:`~helpers.pls.engine.run_pls`), and the bootstrap is :func:`~helpers.pls.bootstrap.
bootstrap_model` on each group's fit.

A moderated fit regenerates its terms, and a two-stage higher-order fit reruns both stages, in
every group and permuted group (:func:`~helpers.pls.moderation.resample_stack`,
:func:`~helpers.pls.higher_order.resample_higher_order` with 0/1 counts); MICOM step 2 lists the
composites measured by observed indicators only (not the terms, not the higher-order
constructs, whose indicators are estimated within each group).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from .bootstrap import BootstrapResult, BootstrapWarning, _quantiles, bootstrap_model
from .engine import EngineResult, run_pls, weighted_correlations
from .estimate import PLSFit, estimate_pls
from .higher_order import first_stage, resample_higher_order, two_stage
from .moderation import resample_stack
from .randomness import random_source
from .settings import settings_text
from .spec import Model, ModelSpecificationError

TIE = 1e-10  # differences / compositional correlations equal up to rounding count as ties


class MGAWarning(UserWarning):
    """Some bootstrap resamples of a group or some permutations of a pair failed."""


def minimum_group_size(model: Model) -> tuple[int, str]:
    """The fewest observations a group needs for ``model`` and why: every regression in the
    algorithm on q predictors needs ``n >= q + 2`` (an endogenous construct on its q
    predecessors; a Mode B block on its indicators)."""
    need, why = 2, "two observations to standardise the indicators"
    for name in model.endogenous:
        q = len(model.predecessors(name))
        if q + 2 > need:
            need, why = q + 2, f"construct {name!r} is regressed on {q} predictor(s)"
    for c in model.constructs:
        if c.mode == "B" and len(c.items) > 1 and len(c.items) + 2 > need:
            need, why = len(c.items) + 2, (f"Mode B construct {c.name!r} is regressed on its "
                                           f"{len(c.items)} indicators")
    return need, why


def resolve_groups(groups, n: int, data: pd.DataFrame | None = None
                   ) -> tuple[dict[str, np.ndarray], int, str]:
    """Row numbers (0-based, into the data given to ``estimate_pls``) of every group, the number
    of rows without a label, and how the groups were given.

    ``groups``: a column name of ``data``; a boolean mask (True = "group 1", False = "group 2");
    or one label per row (list, array, Series; NaN/None = no group).  Groups are ordered by their
    sorted labels ("group 1" first for a mask)."""
    how = "labels per row"
    if isinstance(groups, str):
        if data is None:
            raise ValueError(f"groups={groups!r} names a column: pass the data frame as data=")
        if groups not in data.columns:
            raise ModelSpecificationError(f"grouping column {groups!r} is not in the data; "
                                          f"columns: {[str(c) for c in data.columns]}")
        how = f"column {groups!r}"
        groups = data[groups]
    values = pd.Series(np.asarray(groups, dtype=object) if not isinstance(groups, pd.Series)
                       else groups.to_numpy(dtype=object))
    if len(values) != n:
        raise ValueError(f"groups must give one entry per data row ({n}), got {len(values)}")
    labelled = values.notna().to_numpy()
    kinds = {type(v) for v in values[labelled]}
    if kinds and kinds <= {bool, np.bool_}:
        if not labelled.all():
            raise ValueError("a boolean group mask may not contain missing values")
        mask = values.to_numpy(dtype=bool)
        return ({"group 1": np.flatnonzero(mask), "group 2": np.flatnonzero(~mask)}, 0,
                "boolean mask (True = group 1)")
    arr = np.array([str(v) if ok else None for v, ok in zip(values, labelled, strict=True)],
                   dtype=object)
    names = sorted({v for v in arr if v is not None})
    if len(names) < 2:
        raise ModelSpecificationError(f"multi-group analysis needs at least two groups; "
                                      f"{how} holds {names}")
    return ({g: np.flatnonzero(arr == g) for g in names}, int((~labelled).sum()), how)


def compositional_correlation(r: np.ndarray, w_a: np.ndarray, w_b: np.ndarray,
                              membership: np.ndarray) -> np.ndarray:
    """MICOM's ``c`` per construct (B x K): ``w_a' R w_b / sqrt(w_a' R w_a w_b' R w_b)``
    with ``R`` (p x p or B x p x p) the pooled correlation matrix and ``w_a``, ``w_b`` (B x p x K)
    the weight matrices of the two groups (zeros outside each block)."""
    ra, rb = r @ w_a, r @ w_b
    cab = np.einsum("bpk,bpk->bk", w_a, rb)
    caa = np.einsum("bpk,bpk->bk", w_a, ra)
    cbb = np.einsum("bpk,bpk->bk", w_b, rb)
    with np.errstate(invalid="ignore", divide="ignore"):
        return cab / np.sqrt(caa * cbb)


def henseler_p(draws_a: np.ndarray, draws_b: np.ndarray) -> float:
    """Henseler's one-sided PLS-MGA p-value from two equally long draw vectors (formula in the
    module docstring), counted exactly in O(J log J): ``x_j + beta*_bk > 0`` with
    ``x_j = 2 m_a - beta*_aj - 2 m_b`` holds iff ``beta*_bk > -x_j`` (a rounded sum of two
    floats is positive exactly when the exact sum is)."""
    a = np.asarray(draws_a, dtype=float)
    b = np.asarray(draws_b, dtype=float)
    j = a.shape[0]
    left = 2 * np.mean(a) - a - 2 * np.mean(b)
    favourable = j - np.searchsorted(np.sort(b), -left, side="right")
    return float(1 - favourable.sum() / (j * j))


@dataclass
class MGAResult:
    """Multi-group analysis.  ``groups``: one row per group (rows, observations used,
    bootstrap resamples); ``paths``: one row per (group, path) with the group's estimate and
    bootstrap summary; ``comparisons``: one row per (pair, path) with the difference and its
    p-values; ``micom``: one row per (pair, multi-item construct) with MICOM step 2; ``fits`` and
    ``boots`` per group; ``permutation_draws`` per pair (P x paths differences, and MICOM
    ``c*`` as ``"c: <construct>"`` columns) with ``permutation_failed``; ``settings``."""

    groups: pd.DataFrame
    paths: pd.DataFrame
    comparisons: pd.DataFrame
    micom: pd.DataFrame
    fits: dict[str, PLSFit]
    boots: dict[str, BootstrapResult]
    permutation_draws: dict[tuple[str, str], pd.DataFrame]
    permutation_failed: dict[tuple[str, str], np.ndarray]
    settings: dict = field(default_factory=dict)

    def summary(self) -> str:
        cols = ["beta_1", "beta_2", "diff", "p_henseler", "p_henseler_two_sided",
                "p_permutation"]
        text = "\n".join(["PLS-SEM multi-group analysis", settings_text(self.settings), "",
                          self.groups.to_string(), "",
                          self.comparisons.set_index(["group_1", "group_2", "path"])[cols]
                          .round(3).to_string(), "", "MICOM step 2:",
                          self.micom.round(3).to_string()])
        print(text)
        return text


def _check_index_matrix(idx, n: int, what: str) -> np.ndarray:
    idx = np.asarray(idx)
    if idx.ndim != 2 or idx.shape[1] != n:
        raise ValueError(f"{what} must be a (resamples x {n}) matrix; got shape {idx.shape}")
    if not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0 or idx.max() >= n:
        raise ValueError(f"{what} must hold integers in 0..{n - 1} (0-based rows)")
    return idx


def _check_permutations(perm, m: int, what: str) -> np.ndarray:
    perm = np.asarray(perm)
    if perm.ndim != 2 or perm.shape[1] != m:
        raise ValueError(f"{what} must be a (permutations x {m}) matrix; got shape {perm.shape}")
    if not np.issubdtype(perm.dtype, np.integer) or not (
            np.sort(perm, axis=1) == np.arange(m)).all():
        raise ValueError(f"every row of {what} must be a permutation of 0..{m - 1}")
    return perm


def check_arguments(fit: PLSFit, seed, rng, alpha: float) -> None:
    """The arguments every group comparison shares: a fit, one source of randomness, alpha."""
    if not isinstance(fit, PLSFit):
        raise TypeError("fit must be a PLSFit from estimate_pls()")
    if seed is not None and rng is not None:
        raise ValueError("give at most one of seed= or rng=")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")


def given_permutations(permutations, pairs: list[tuple]) -> dict | None:
    """Explicit permutation matrices by pair of groups, from a dict ``{(a, b): matrix}``, one
    matrix when there is a single pair, or a list in the order of ``pairs``; None when
    ``permutations`` is None."""
    if permutations is None:
        return None
    if isinstance(permutations, Mapping):
        return dict(permutations)
    if len(pairs) == 1 and np.asarray(permutations).ndim == 2:
        return {pairs[0]: permutations}
    return dict(zip(pairs, permutations, strict=True))


def pair_permutations(given: dict | None, pair: tuple, pairs: list[tuple], m: int, n_perm: int,
                      rng: np.random.Generator) -> np.ndarray:
    """The permutations of the ``m`` pooled rows of ``pair``: the given matrix (checked), or
    ``n_perm`` drawn from ``rng``."""
    if given is not None:
        if pair not in given:
            raise ValueError(f"permutations lacks the pair {pair}; pairs: {pairs}")
        return _check_permutations(given[pair], m, f"permutations[{pair!r}]")
    return rng.permuted(np.tile(np.arange(m), (int(n_perm), 1)), axis=1)


def _per_group(value, names: list[str], what: str) -> dict:
    if isinstance(value, Mapping):
        missing = [g for g in names if g not in value]
        if missing:
            raise ValueError(f"{what} lacks group(s) {missing}; groups: {names}")
        return {g: value[g] for g in names}
    if isinstance(value, Sequence) and not isinstance(value, np.ndarray) \
            and len(value) == len(names):
        return dict(zip(names, value, strict=True))
    raise ValueError(f"{what} must be a dict {{group: matrix}} or a list in group order {names}")


def _data_fit(fit: PLSFit) -> PLSFit:
    """The fit that holds the measured data: a moderated fit's main-effects stage, a two-stage
    higher-order fit's first stage."""
    return fit.stage1 if fit.interactions or two_stage(fit) else fit


def _usable(fit: PLSFit, rows: np.ndarray) -> int:
    if fit.missing == "listwise":
        return int((~np.isnan(_data_fit(fit).raw[rows]).any(axis=1)).sum())
    return len(rows)


def _fit_group(fit: PLSFit, label: str, rows: np.ndarray, need: int, why: str) -> PLSFit:
    n_use = _usable(fit, rows)
    if n_use < need:
        raise ModelSpecificationError(
            f"group {label!r} has only {n_use} usable observation(s); this model needs at least "
            f"{need} per group ({why}). Merge small groups or simplify the model.")
    # a moderated model regenerates its terms within the group, a two-stage model both stages
    source = _data_fit(fit)
    data = pd.DataFrame(source.raw[rows], columns=list(source.layout.items))
    if two_stage(fit):  # an embedded stage 1 repeats indicators on the HOC: the originals only
        data = data.drop(columns=list(first_stage(fit.specification)[1]))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = estimate_pls(data, fit.specification, inner_weighting=fit.inner_weighting,
                               missing=fit.missing, max_iter=fit.max_iter,
                               stop_criterion=fit.stop_criterion, consistent=fit.consistent)
    except ModelSpecificationError as error:
        raise ModelSpecificationError(f"group {label!r}: {error}") from None
    for w in caught:  # non-convergence, inadmissible PLSc: say which group
        warnings.warn(f"group {label!r}: {w.message}", w.category, stacklevel=3)
    return out


def _head(est: EngineResult, k: int) -> EngineResult:
    """The first ``k`` estimates of a batched result."""
    return EngineResult(**{f.name: (v[:k] if isinstance(v, np.ndarray) else v)
                           for f in fields(EngineResult) for v in [getattr(est, f.name)]})


def _permutation_run(fit: PLSFit, z: np.ndarray, rows_a: np.ndarray, rows_b: np.ndarray,
                     perm: np.ndarray):
    """Engine estimates of both permuted groups (two stacks of P) and the pooled correlation."""
    pooled = np.concatenate([rows_a, rows_b])
    n_a, n_raw, n_perm = len(rows_a), _data_fit(fit).raw.shape[0], perm.shape[0]
    counts = np.zeros((2 * n_perm + 1, n_raw))
    where = np.arange(n_perm)[:, None]
    counts[where, pooled[perm[:, :n_a]]] = 1.0
    counts[n_perm + where, pooled[perm[:, n_a:]]] = 1.0
    counts[-1, pooled] = 1.0
    if fit.interactions:  # the terms regenerated within every permuted group
        est, _, r = resample_stack(fit, counts, correlations=True)
        return _head(est, 2 * n_perm), r[-1]
    if two_stage(fit):  # both stages rerun within every permuted group
        est, _, r = resample_higher_order(fit, counts, correlations=True)
        return _head(est, 2 * n_perm), r[-1]
    r = weighted_correlations(z, counts, fit.missing)
    est = run_pls(r[:-1], fit.layout, fit.inner_weighting, fit.max_iter, fit.stop_criterion)
    return est, r[-1]


def _permutation_test(fit: PLSFit, z: np.ndarray, pair: tuple[str, str],
                      fits: tuple[PLSFit, PLSFit], rows: tuple[np.ndarray, np.ndarray],
                      perm: np.ndarray, d_obs: np.ndarray, alpha: float):
    """Permutation test of every path difference and MICOM step 2 for one pair of groups
    (formulas in the module docstring).  Returns the mask of successful permutations, the
    p-values, the draws (differences and ``c*``) and the MICOM rows."""
    lay = fit.layout
    cidx = {c: j for j, c in enumerate(lay.constructs)}
    structure = [(str(p), p.source, p.target) for p in fit.model.structure]
    multi = [j for j, blk in enumerate(lay.blocks)  # measured composites only
             if len(blk) > 1 and lay.constructs[j] not in fit.interactions
             and lay.constructs[j] not in fit.higher_order]
    (a, b), (fa, fb) = pair, fits
    est, r_pool = _permutation_run(fit, z, rows[0], rows[1], perm)
    p_n = perm.shape[0]
    ok = est.ok[:p_n] & est.ok[p_n:]
    d = np.column_stack([est.paths[:p_n, cidx[s], cidx[t]] - est.paths[p_n:, cidx[s], cidx[t]]
                         for _, s, t in structure])
    c_perm = compositional_correlation(r_pool, est.weights[:p_n], est.weights[p_n:],
                                       lay.membership)
    c_obs = compositional_correlation(r_pool, fa.estimates.weights, fb.estimates.weights,
                                      lay.membership)[0]
    if not ok.any():
        raise RuntimeError(f"no permutation of groups {a!r} and {b!r} could be estimated")
    if not ok.all():
        warnings.warn(f"{(~ok).sum()} of {p_n} permutations of groups {a!r} and {b!r} failed (a "
                      "permuted group could not be estimated); they are left out of the "
                      "p-values and flagged in permutation_failed.", MGAWarning, stacklevel=3)
    p_perm = (np.abs(d[ok]) >= np.abs(d_obs) - TIE).mean(axis=0)
    frame = pd.DataFrame(d, columns=[lab for lab, *_ in structure])
    for j in multi:
        frame[f"c: {lay.constructs[j]}"] = c_perm[:, j]
    q = _quantiles(np.sort(c_perm[ok][:, multi], axis=0), alpha)
    micom = [{"group_1": a, "group_2": b, "construct": lay.constructs[j], "c": c_obs[j],
              "c_quantile": q[k], "p_micom": float((c_perm[ok, j] <= c_obs[j] + TIE).mean()),
              "compositional_invariance": bool(c_obs[j] >= q[k] - TIE),
              "n_perm_ok": int(ok.sum())} for k, j in enumerate(multi)]
    return ok, p_perm, frame, micom


def estimate_pls_mga(
    fit: PLSFit,
    groups,
    data: pd.DataFrame | None = None,
    n_boot: int = 2000,
    n_perm: int = 1000,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    group_indices=None,
    permutations=None,
    alpha: float = 0.05,
) -> MGAResult:
    """Multi-group analysis of ``fit``'s model over ``groups`` (see the module docstring).

    ``groups``: a column name of ``data`` (the frame given to :func:`estimate_pls`), a boolean
    mask or one label per data row.  ``n_boot`` resamples per group for Henseler's test (0 skips
    the bootstrap) and ``n_perm`` permutations per pair for the permutation test and MICOM (0
    skips them); randomness from ``seed`` or ``rng``, or replayed from ``group_indices`` /
    ``permutations`` (a dict per group / per pair ``(a, b)``, a list in order, or, for a single
    pair, one permutation matrix)."""
    check_arguments(fit, seed, rng, alpha)
    n_raw = _data_fit(fit).raw.shape[0]
    rows, unlabelled, how = resolve_groups(groups, n_raw, data)
    names = list(rows)
    pairs = list(itertools.combinations(names, 2))
    need, why = max(minimum_group_size(fit.model),
                    minimum_group_size(fit.stage1.model) if two_stage(fit) else (0, ""))
    fits = {g: _fit_group(fit, g, rows[g], need, why) for g in names}

    rng, source = random_source(rng, seed)

    # --- bootstrap within each group ---------------------------------------------------------
    boots: dict[str, BootstrapResult] = {}
    if group_indices is not None:
        given = _per_group(group_indices, names, "group_indices")
        indices = {g: _check_index_matrix(given[g], len(rows[g]), f"group_indices[{g!r}]")
                   for g in names}
        boot_source = "explicit index matrices (rows within each group)"
    elif n_boot:
        if int(n_boot) != n_boot or n_boot < 2:
            raise ValueError(f"n_boot must be 0 (no bootstrap) or an integer >= 2, got {n_boot}")
        indices = {g: rng.integers(0, len(rows[g]), size=(int(n_boot), len(rows[g])))
                   for g in names}
        boot_source = source
    else:
        indices, boot_source = {}, "none (n_boot = 0)"
    for g, idx in indices.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BootstrapWarning)
            boots[g] = bootstrap_model(fits[g], indices=idx, alpha=alpha, bca=False)
        if boots[g].n_failed:
            warnings.warn(f"group {g!r}: {boots[g].n_failed} of {idx.shape[0]} bootstrap "
                          "resamples failed (not converged or degenerate); they are left out of "
                          "Henseler's test and counted in result.groups.", MGAWarning,
                          stacklevel=2)

    structure = [(f"{p.source} -> {p.target}", p.source, p.target) for p in fit.model.structure]
    path_rows = []
    for g in names:
        for label, a, b in structure:
            row = {"group": g, "n_obs": fits[g].n_obs, "path": label, "from": a, "to": b,
                   "estimate": fits[g].path_coefficients.loc[a, b]}
            if g in boots:
                s = boots[g].paths.loc[label]
                row.update(boot_mean=s["mean"], boot_sd=s["sd"], pct_lo=s["pct_lo"],
                           pct_hi=s["pct_hi"])
            path_rows.append(row)

    # --- permutations, pair by pair ----------------------------------------------------------
    perm_given = given_permutations(permutations, pairs)
    if perm_given is None and n_perm and (int(n_perm) != n_perm or n_perm < 1):
        raise ValueError(f"n_perm must be 0 (no permutation test) or a positive integer, got "
                         f"{n_perm}")
    z = (_data_fit(fit).raw - _data_fit(fit).mean) / _data_fit(fit).sd
    comparisons, micom = [], []
    perm_draws, perm_failed = {}, {}
    n_perm_used = 0
    for a, b in pairs:
        m = len(rows[a]) + len(rows[b])
        perm = (pair_permutations(perm_given, (a, b), pairs, m, n_perm, rng)
                if perm_given is not None or n_perm else None)
        fa, fb = fits[a], fits[b]
        d_obs = np.array([fa.path_coefficients.loc[s, t] - fb.path_coefficients.loc[s, t]
                          for _, s, t in structure])
        if perm is not None:
            n_perm_used = perm.shape[0]
            ok, p_perm, frame, rows_micom = _permutation_test(fit, z, (a, b), (fa, fb),
                                                              (rows[a], rows[b]), perm, d_obs,
                                                              alpha)
            perm_draws[(a, b)], perm_failed[(a, b)] = frame, ~ok
            micom += rows_micom
        else:
            p_perm = np.full(len(structure), np.nan)
        if a in boots and b in boots:
            ba, bb = boots[a], boots[b]
            da = ba.draws["paths"].to_numpy()[~ba.failed]
            db = bb.draws["paths"].to_numpy()[~bb.failed]
            j_common = min(len(da), len(db))
            da, db = da[:j_common], db[:j_common]
        for k, (label, s, t) in enumerate(structure):
            row = {"group_1": a, "group_2": b, "path": label, "from": s, "to": t,
                   "estimate": fit.path_coefficients.loc[s, t],
                   "beta_1": fa.path_coefficients.loc[s, t],
                   "beta_2": fb.path_coefficients.loc[s, t], "diff": d_obs[k]}
            if a in boots and b in boots:
                ph = henseler_p(da[:, k], db[:, k])
                row.update(boot_mean_1=float(np.mean(da[:, k])),
                           boot_mean_2=float(np.mean(db[:, k])), p_henseler=ph,
                           p_henseler_two_sided=2 * min(ph, 1 - ph), n_boot_common=j_common)
            else:
                row.update(boot_mean_1=np.nan, boot_mean_2=np.nan, p_henseler=np.nan,
                           p_henseler_two_sided=np.nan, n_boot_common=0)
            row.update(p_permutation=float(p_perm[k]),
                       n_perm_ok=int(ok.sum()) if perm is not None else 0)
            comparisons.append(row)

    group_table = pd.DataFrame({
        "group": names, "rows": [len(rows[g]) for g in names],
        "n_obs": [fits[g].n_obs for g in names],
        "converged": [fits[g].converged for g in names],
        "admissible": [bool(getattr(fits[g], "admissible", True)) for g in names],
        "n_boot_ok": [boots[g].settings["n_ok"] if g in boots else 0 for g in names],
        "n_boot_failed": [boots[g].n_failed if g in boots else 0 for g in names],
    }).set_index("group")
    settings = {
        **{k: fit.settings[k] for k in ("inner_weighting", "missing", "stop_criterion",
                                         "max_iter")},
        "groups": how,
        "group_order": names,
        "rows_without_group": unlabelled,
        "minimum_group_size": f"{need} ({why})",
        "group_estimation": "each group's model estimated on its own rows (own standardisation "
                            "and missing-data treatment)",
        "n_boot": {g: int(indices[g].shape[0]) for g in indices},
        "bootstrap_resamples": boot_source,
        "henseler": "p_henseler = 1 - share of (j, k) with 2 mean_1 - b1_j - 2 mean_2 + b2_k > 0 "
                    "over the first J successful draws of each group (one-sided, H1: beta_1 > "
                    "beta_2, as seminr); two-sided = 2 min(p, 1 - p)",
        "n_perm": n_perm_used,
        "permutations": ("explicit permutation matrices" if perm_given is not None
                         else source if n_perm else "none (n_perm = 0)"),
        "permutation_test": "Chin & Dibbern 2010: p = share of permutations with |d*| >= |d| "
                            f"(ties within {TIE:g}); permuted groups keep the sizes",
        "micom": "step 2 (compositional invariance): c = cor of pooled z-scores weighted by each "
                 f"group's weights; invariant if c >= the {alpha:g} quantile of c* (type 7)",
        "alpha": alpha,
    }
    return MGAResult(groups=group_table, paths=pd.DataFrame(path_rows),
                     comparisons=pd.DataFrame(comparisons), micom=pd.DataFrame(micom),
                     fits=fits, boots=boots, permutation_draws=perm_draws,
                     permutation_failed=perm_failed, settings=settings)
