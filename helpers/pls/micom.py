"""MICOM: measurement invariance of composite models (Henseler, Ringle & Sarstedt 2016, Int.
Mark. Rev. 33:405-431), steps 1-3 and the conclusion that decides whether a multi-group
comparison of the path coefficients may be read.

For every pair of groups (a, b) of the rows of a fitted model:

* **Step 1, configural invariance** is a check of identical set-ups, reported per group: the
  same constructs measured by the same indicators, the same data treatment (missing values,
  z-standardisation with the n - 1 SD) and the same algorithm settings (inner weighting, stop
  criterion, maximum iterations, PLSc) as the full-sample fit, and a group estimate that exists:
  every indicator varies within the group and the algorithm converges.  Every group's model is
  estimated from ``fit``'s own specification and settings, so the first three hold by
  construction and are recorded as checked; the last two depend on the data.  (Identical coding
  of the items across the groups -- the same questionnaire and scale -- cannot be seen in the
  data and is stated as an assumption.)
* **Step 2, compositional invariance**: for each multi-item construct
  ``c = cor(X w_a, X w_b)`` on the pair's pooled data ``X`` (z-standardised together), with
  ``w_a``, ``w_b`` the groups' outer weights; the permutation distribution ``c*`` re-estimates
  both groups after reassigning the pooled rows at random to groups of the original sizes.
  Invariance is not rejected when ``c`` is at least the ``alpha`` quantile of ``c*`` (type 7);
  ``p = #{c* <= c} / P``.  (Computed as in :mod:`.mga`, whose functions it uses.)
* **Step 3, equal composite means and variances**: the model is estimated on the pair's pooled
  rows; its composite scores ``s = Z w_pooled`` (pooled standardisation and weights) give, per
  construct, the mean difference ``d_mean = mean_a(s) - mean_b(s)`` and the log variance
  ratio ``d_var = log var_a(s) - log var_b(s)`` (n - 1 variances).  The same permutations
  regroup the fixed scores (nothing is re-estimated) and give ``d*``; equality is not rejected
  when ``d`` lies within the ``alpha/2`` and ``1 - alpha/2`` quantiles of ``d*`` (type 7);
  ``p = #{|d*| >= |d|} / P``.
* **Conclusion** per pair: *no* measurement invariance when step 1 or step 2 fails for some
  construct (the groups' composites are different things: their path coefficients must not be
  compared); *partial* when steps 1 and 2 hold but some mean or variance differs (the
  multi-group comparison of path coefficients may be read; the data must not be pooled);
  *full* when all three hold (the comparison may be read, and the pooled data may be analysed
  together).

Everything random comes from ``seed`` / ``rng`` or an explicit ``permutations`` matrix per pair
(as :func:`~helpers.pls.estimate_pls_mga`: each row a permutation of ``0 .. n_a + n_b - 1`` over
the pooled rows, group a's first; its first ``n_a`` entries form the permuted group a).  Steps
2 and 3 share the permutations; step 2 runs them as one stack of ``2P`` correlation matrices
through the engine, step 3 as one matrix product of the group indicators with the scores.

Refused before estimation (:class:`~helpers.pls.spec.ModelSpecificationError`): a group below
the model's minimum size (:func:`~helpers.pls.mga.minimum_group_size`), a model with
interaction terms or higher-order constructs, fewer than two groups, a pair with fewer distinct
regroupings than permutations asked for makes a warning.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .bootstrap import _quantiles
from .estimate import PLSFit
from .mga import (
    TIE,
    _fit_group,
    _permutation_run,
    _usable,
    check_arguments,
    compositional_correlation,
    given_permutations,
    minimum_group_size,
    pair_permutations,
    resolve_groups,
)
from .randomness import random_source
from .settings import settings_text
from .spec import ModelSpecificationError

CONCLUSIONS = ("no", "partial", "full")


class MICOMWarning(UserWarning):
    """Some permutations failed, or a pair has fewer distinct regroupings than permutations."""


@dataclass
class MICOMResult:
    """MICOM steps 1-3 for every pair of groups.

    ``step1``: one row per (group, check) with ``passed`` and the detail; ``step2``: one row per
    (pair, multi-item construct) with ``c``, its permutation quantile, p and the decision;
    ``step3``: one row per (pair, construct) with the mean difference and the log variance ratio,
    their permutation intervals, p-values and decisions; ``conclusion``: one row per pair with
    the level of invariance (``"no"``, ``"partial"``, ``"full"``), whether the multi-group
    comparison may be read, and why; ``permutation_draws``: per pair the P draws of ``c*`` and
    ``d*``; ``settings``."""

    step1: pd.DataFrame
    step2: pd.DataFrame
    step3: pd.DataFrame
    conclusion: pd.DataFrame
    fits: dict[str, PLSFit]
    pooled_fits: dict[tuple[str, str], PLSFit]
    permutation_draws: dict[tuple[str, str], pd.DataFrame]
    settings: dict = field(default_factory=dict)

    def invariance(self, a: str | None = None, b: str | None = None) -> str:
        """The level of invariance of the pair (a, b) (the only pair when omitted)."""
        return str(self._row(a, b)["invariance"])

    def mga_readable(self, a: str | None = None, b: str | None = None) -> bool:
        """Whether the multi-group comparison of the pair's path coefficients may be read
        (partial or full invariance)."""
        return bool(self._row(a, b)["mga_readable"])

    def _row(self, a, b) -> pd.Series:
        table = self.conclusion
        pairs = list(zip(table.group_1, table.group_2, strict=True))
        if a is None and b is None:
            if len(table) != 1:
                raise ValueError(f"name the pair: {pairs}")
            return table.iloc[0]
        hit = table[(table.group_1 == a) & (table.group_2 == b)]
        if hit.empty:
            hit = table[(table.group_1 == b) & (table.group_2 == a)]
        if hit.empty:
            raise KeyError(f"no pair ({a!r}, {b!r}); pairs: {pairs}")
        return hit.iloc[0]

    def summary(self) -> str:
        text = "\n".join([
            "MICOM (Henseler, Ringle & Sarstedt 2016)", settings_text(self.settings), "",
            "Step 1 (configural invariance):",
            self.step1.to_string(index=False), "",
            "Step 2 (compositional invariance):",
            self.step2.round(4).to_string(index=False), "",
            "Step 3 (equal means and variances):",
            self.step3.round(4).to_string(index=False), "",
            "Conclusion:", self.conclusion.to_string(index=False)])
        print(text)
        return text


def _step1_rows(fit: PLSFit, label: str, rows: np.ndarray, group_fit: PLSFit | None,
                error: str | None) -> list[dict]:
    """The configural checks of one group (module docstring)."""
    same = {k: fit.settings[k] for k in ("inner_weighting", "stop_criterion", "max_iter",
                                          "consistent")}
    blocks = "; ".join(f"{c.name}: {', '.join(c.items)}" for c in fit.model.constructs)
    out = [
        {"group": label, "check": "same constructs and indicators", "passed": True,
         "detail": f"the full-sample specification ({blocks})"},
        {"group": label, "check": "same data treatment", "passed": True,
         "detail": f"{fit.settings['missing']} within the group; indicators z-standardised "
                   "with the group's own means and SDs (n - 1)"},
        {"group": label, "check": "same algorithm settings", "passed": True,
         "detail": ", ".join(f"{k} = {v}" for k, v in same.items())},
        {"group": label, "check": "identical item coding", "passed": True,
         "detail": "assumed: one data file and codebook for all groups (not visible in the "
                   "data)"},
    ]
    if error is not None:
        out.append({"group": label, "check": "group estimate exists", "passed": False,
                    "detail": error})
    else:
        out.append({"group": label, "check": "group estimate exists",
                    "passed": bool(group_fit.converged),
                    "detail": (f"n = {group_fit.n_obs} of {len(rows)} rows; converged after "
                               f"{group_fit.iterations} iterations" if group_fit.converged else
                               f"the algorithm did not converge within {fit.max_iter} "
                               "iterations")})
    return out


def _step3_draws(scores: np.ndarray, member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean differences and log variance ratios (P x K) of the fixed pooled ``scores`` (m x K)
    for the groupings ``member`` (P x m, 1 where a row belongs to group a, else group b)."""
    n_a = member.sum(axis=1)[:, None]
    n_b = scores.shape[0] - n_a
    s1, s2 = member @ scores, member @ scores**2
    t1, t2 = scores.sum(axis=0), (scores**2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_a, mean_b = s1 / n_a, (t1 - s1) / n_b
        var_a = (s2 - n_a * mean_a**2) / (n_a - 1)
        var_b = (t2 - s2 - n_b * mean_b**2) / (n_b - 1)
        return mean_a - mean_b, np.log(var_a) - np.log(var_b)


def _diagnose(fit: PLSFit, rows: dict[str, np.ndarray]) -> tuple[int, str]:
    """Refuse, before estimation, what MICOM cannot do (module docstring)."""
    if fit.interactions:
        raise ModelSpecificationError(
            "MICOM of a model with interaction terms is not defined: the generated product "
            "indicators change with the group. Test the invariance of the measured composites on "
            "the main-effects fit, micom(fit.stage1, ...), then compare the groups with "
            "estimate_pls_mga(fit, ...), which regenerates the terms within every group.")
    if getattr(fit, "higher_order", None):
        raise ModelSpecificationError(
            "MICOM of a higher-order model is not defined: the higher-order construct's "
            "indicators are its dimensions' scores, which are themselves estimated within each "
            "group, so a common composite to compare does not exist. Test the invariance of the "
            "dimensions and the other composites on the first-stage model, micom(fit.stage1, "
            "...), then compare the groups with estimate_pls_mga(fit, ...), which reruns both "
            "stages within every group and permutation.")
    need, why = minimum_group_size(fit.model)
    need = max(need, 3)
    why = why if need > 3 else "a variance within the group needs at least 3 observations"
    small = {g: _usable(fit, r) for g, r in rows.items() if _usable(fit, r) < need}
    if small:
        raise ModelSpecificationError(
            f"MICOM needs at least {need} usable observations per group ({why}); "
            + ", ".join(f"group {g!r} has {n}" for g, n in small.items())
            + ". What would work: merge the small group(s) with a neighbouring one, compare "
            "only the groups that are large enough (mask the others out with None labels), or "
            "simplify the model (fewer predictors per construct, Mode A instead of Mode B).")
    return need, why


def micom(
    fit: PLSFit,
    groups,
    data: pd.DataFrame | None = None,
    n_perm: int = 5000,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    permutations=None,
    alpha: float = 0.05,
) -> MICOMResult:
    """MICOM steps 1-3 for ``fit`` over ``groups`` (a column name of ``data``, a boolean mask
    or one label per data row; as :func:`~helpers.pls.estimate_pls_mga`).  See the module
    docstring for every formula and for the conclusion."""
    check_arguments(fit, seed, rng, alpha)
    n_raw = fit.raw.shape[0]
    rows, unlabelled, how = resolve_groups(groups, n_raw, data)
    need, why = _diagnose(fit, rows)
    names = list(rows)
    pairs = list(itertools.combinations(names, 2))
    if permutations is None and (int(n_perm) != n_perm or n_perm < 1):
        raise ValueError(f"n_perm must be a positive integer, got {n_perm!r}")
    rng, source = random_source(rng, seed)
    perm_given = given_permutations(permutations, pairs)
    if perm_given is not None:
        source = "explicit permutation matrices"

    # --- step 1 ----------------------------------------------------------------------------
    fits: dict[str, PLSFit] = {}
    step1 = []
    for g in names:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fits[g] = _fit_group(fit, g, rows[g], need, why)
            step1 += _step1_rows(fit, g, rows[g], fits[g], None)
        except ModelSpecificationError as error:
            step1 += _step1_rows(fit, g, rows[g], None, str(error))
    step1 = pd.DataFrame(step1)
    configural = {g: bool(step1.loc[step1.group == g, "passed"].all()) for g in names}

    lay = fit.layout
    multi = [j for j, blk in enumerate(lay.blocks) if len(blk) > 1]
    z = (fit.raw - fit.mean) / fit.sd
    step2, step3, conclusion = [], [], []
    pooled_fits, draws = {}, {}
    for a, b in pairs:
        n_a, n_b = len(rows[a]), len(rows[b])
        m = n_a + n_b
        if not (configural[a] and configural[b]):
            failed = [g for g in (a, b) if not configural[g]]
            conclusion.append({"group_1": a, "group_2": b, "invariance": "no",
                               "mga_readable": False,
                               "reason": f"step 1 fails for group(s) {failed}: "
                                         + "; ".join(step1.loc[(step1.group.isin(failed))
                                                               & ~step1.passed, "detail"])})
            continue
        perm = pair_permutations(perm_given, (a, b), pairs, m, n_perm, rng)
        p_n = perm.shape[0]
        distinct = math.comb(m, n_a)
        if distinct < p_n:
            warnings.warn(f"groups {a!r} and {b!r} ({n_a} + {n_b} rows) have only {distinct} "
                          f"distinct regroupings for {p_n} permutations: the permutation "
                          "p-values are coarse", MICOMWarning, stacklevel=2)
        # step 2
        est, r_pool = _permutation_run(fit, z, rows[a], rows[b], perm)
        ok = est.ok[:p_n] & est.ok[p_n:]
        if not ok.any():
            raise RuntimeError(f"no permutation of groups {a!r} and {b!r} could be estimated")
        if not ok.all():
            warnings.warn(f"{(~ok).sum()} of {p_n} permutations of groups {a!r} and {b!r} "
                          "failed; they are left out of step 2 and step 3", MICOMWarning,
                          stacklevel=2)
        c_perm = compositional_correlation(r_pool, est.weights[:p_n], est.weights[p_n:],
                                           lay.membership)
        c_obs = compositional_correlation(r_pool, fits[a].estimates.weights,
                                          fits[b].estimates.weights, lay.membership)[0]
        q = _quantiles(np.sort(c_perm[ok][:, multi], axis=0), alpha)
        frame = pd.DataFrame({f"c: {lay.constructs[j]}": c_perm[:, j] for j in multi})
        for k, j in enumerate(multi):
            step2.append({"group_1": a, "group_2": b, "construct": lay.constructs[j],
                          "c": c_obs[j], "c_quantile": q[k],
                          "p": float((c_perm[ok, j] <= c_obs[j] + TIE).mean()),
                          "compositional_invariance": bool(c_obs[j] >= q[k] - TIE),
                          "n_perm_ok": int(ok.sum())})
        # step 3
        pooled = np.concatenate([rows[a], rows[b]])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pooled_fits[(a, b)] = _fit_group(fit, f"{a} + {b}", pooled, need, why)
        scores = pooled_fits[(a, b)].scores.to_numpy()
        member = np.zeros((p_n + 1, m))  # row 0: the observed groups, then the permutations
        member[0, :n_a] = 1.0
        member[1 + np.arange(p_n)[:, None], perm[:, :n_a]] = 1.0
        if fit.missing == "listwise":  # the pooled fit's scores cover its complete rows only
            member = member[:, ~np.isnan(fit.raw[pooled]).any(axis=1)]
        d_mean, d_var = _step3_draws(scores, member)
        d_mean_obs, d_var_obs, d_mean, d_var = d_mean[0], d_var[0], d_mean[1:], d_var[1:]
        ok = ok & np.isfinite(d_mean).all(axis=1) & np.isfinite(d_var).all(axis=1)
        srt_m, srt_v = np.sort(d_mean[ok], axis=0), np.sort(d_var[ok], axis=0)
        lo_m, hi_m = _quantiles(srt_m, alpha / 2), _quantiles(srt_m, 1 - alpha / 2)
        lo_v, hi_v = _quantiles(srt_v, alpha / 2), _quantiles(srt_v, 1 - alpha / 2)
        for j, name in enumerate(lay.constructs):
            frame[f"mean: {name}"] = d_mean[:, j]
            frame[f"logvar: {name}"] = d_var[:, j]
            step3.append({
                "group_1": a, "group_2": b, "construct": name,
                "mean_diff": d_mean_obs[j], "mean_lo": lo_m[j], "mean_hi": hi_m[j],
                "p_mean": float((np.abs(d_mean[ok, j]) >= abs(d_mean_obs[j]) - TIE).mean()),
                "equal_means": bool(lo_m[j] - TIE <= d_mean_obs[j] <= hi_m[j] + TIE),
                "logvar_diff": d_var_obs[j], "logvar_lo": lo_v[j], "logvar_hi": hi_v[j],
                "p_var": float((np.abs(d_var[ok, j]) >= abs(d_var_obs[j]) - TIE).mean()),
                "equal_variances": bool(lo_v[j] - TIE <= d_var_obs[j] <= hi_v[j] + TIE),
                "n_perm_ok": int(ok.sum())})
        draws[(a, b)] = frame
        # conclusion
        s2 = [r for r in step2 if (r["group_1"], r["group_2"]) == (a, b)]
        s3 = [r for r in step3 if (r["group_1"], r["group_2"]) == (a, b)]
        not_comp = [r["construct"] for r in s2 if not r["compositional_invariance"]]
        unequal = [r["construct"] + (" (mean)" if not r["equal_means"] else "")
                   + (" (variance)" if not r["equal_variances"] else "")
                   for r in s3 if not (r["equal_means"] and r["equal_variances"])]
        if not_comp:
            level, reason = "no", (f"step 2: compositional invariance rejected for {not_comp}; "
                                   "the groups' composites differ, so their path coefficients "
                                   "must not be compared")
        elif unequal:
            level, reason = "partial", (f"steps 1 and 2 hold; step 3: {', '.join(unequal)} "
                                        "differ, so the path coefficients may be compared "
                                        "(multi-group analysis) but the data must not be "
                                        "pooled")
        else:
            level, reason = "full", ("steps 1, 2 and 3 hold: the path coefficients may be "
                                     "compared, and the pooled data analysed together")
        conclusion.append({"group_1": a, "group_2": b, "invariance": level,
                           "mga_readable": level != "no", "reason": reason})
    settings = {
        **{k: fit.settings[k] for k in ("inner_weighting", "missing", "stop_criterion",
                                         "max_iter", "consistent")},
        "groups": how,
        "group_order": names,
        "group_sizes": {g: len(rows[g]) for g in names},
        "rows_without_group": unlabelled,
        "minimum_group_size": f"{need} ({why})",
        "n_perm": {f"{a} vs {b}": int(draws[(a, b)].shape[0]) for a, b in draws},
        "permutations": source,
        "step2": f"c = cor of the pooled z-scores weighted by each group's weights; invariant if "
                 f"c >= the {alpha:g} quantile of c* (type 7); p = share c* <= c",
        "step3": "pooled-fit scores; mean difference and log variance ratio (group 1 - group 2); "
                 f"equal if inside the [{alpha / 2:g}, {1 - alpha / 2:g}] quantiles of the "
                 "permuted differences (type 7); p = share |d*| >= |d|",
        "alpha": alpha,
        "reference": "Henseler, Ringle & Sarstedt (2016), Int. Mark. Rev. 33:405-431",
    }
    return MICOMResult(step1=step1, step2=pd.DataFrame(step2), step3=pd.DataFrame(step3),
                       conclusion=pd.DataFrame(conclusion), fits=fits, pooled_fits=pooled_fits,
                       permutation_draws=draws, settings=settings)
