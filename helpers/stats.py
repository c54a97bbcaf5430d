"""Statistics for the factor analysis: composites, correlations, collinearity and power.

* :func:`zscores`, :func:`factor_composites` — the six factor composites of notebook 03;
* :func:`correlation_table` — pairwise correlations with CIs and Holm-corrected p (pingouin);
* :func:`offdiagonal`, :func:`max_offdiagonal`, :func:`count_above` — reading a correlation matrix;
* :func:`vif` — variance inflation factors from a correlation matrix;
* :func:`ranks` — a region's rank on each column (1 = best);
* :func:`power_f2`, :func:`min_detectable_r2` — power of the overall F test of a regression;
* :func:`equal_weight_regression`, :func:`threshold_check`.

Notebook 04's PLS glue (the model from the codebook, the path and IPMA tables) is
:mod:`helpers.steps.nb04_pls_estimation`.

Every function is pure: data in, DataFrame / Series / number out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

METHODS = ("pearson", "spearman")


def zscores(df: pd.DataFrame) -> pd.DataFrame:
    """Column-wise z-scores ``z = (x − mean) / sd`` (sd with the n − 1 denominator).

    A constant column has no z-score: the error names it.
    """
    sd = df.std(ddof=1)
    constant = list(sd.index[~(sd > 0)])
    if constant:
        raise ValueError(f"column(s) {constant} are constant (or empty): z-scores are undefined.")
    return (df - df.mean()) / sd


def factor_composites(oriented: pd.DataFrame, columns: dict[str, list[str]],
                      factors: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """One composite per factor: the mean of its indicators' z-scores.

    ``oriented`` holds the indicators with "lower is better" ones already flipped
    (:func:`helpers.registers.data.oriented`), so every composite reads higher = better:
    ``C_f(region) = (1/k_f) Σ_{i ∈ f} z_i(region)``. ``columns`` maps factor id → indicator
    columns (:func:`helpers.registers.data.factor_columns`); ``factors`` chooses and orders the
    factors.
    Missing cells are skipped in the mean (a region's composite uses the indicators it has).
    """
    factors = list(columns) if factors is None else list(factors)
    unknown = [f for f in factors if f not in columns]
    if unknown:
        raise KeyError(f"factor(s) {unknown} have no indicators; known: {list(columns)}.")
    needed = [c for f in factors for c in columns[f]]
    absent = [c for c in needed if c not in oriented.columns]
    if absent:
        raise KeyError(f"indicator column(s) {absent} are not in the table; it has "
                       f"{list(oriented.columns)}.")
    z = zscores(oriented[needed])
    return pd.DataFrame({f: z[columns[f]].mean(axis=1) for f in factors}, index=oriented.index)


CI_LEVEL = 0.95
"""The level of the intervals of :func:`correlation_table` and :func:`equal_weight_regression`:
pingouin's own, read from the columns named after it (``CI95``; ``CI2.5`` and ``CI97.5``), so a
different value here fails where the columns are read instead of mislabelling them."""


def _ci_column(quantile: float) -> str:
    """pingouin's name of an interval column: ``CI95`` (a level), ``CI2.5`` (a quantile, %)."""
    return f"CI{round(quantile * 100, 6):g}"


def correlation_table(df: pd.DataFrame, methods: tuple[str, ...] = METHODS) -> pd.DataFrame:
    """All pairs of columns, per method: ``x, y, method, n, r, ci_low, ci_high, p, p_holm``.

    Computed with ``pingouin.pairwise_corr`` (95 % CI from Fisher's z, two-sided p); ``p_holm``
    is Holm's step-down correction over the pairs of one method (family = the 15 pairs).
    """
    import pingouin as pg  # imported here: it costs a notebook over a second to load

    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise ValueError(f"unknown method(s) {bad}; valid: {list(METHODS)}.")
    frames = []
    for method in methods:
        res = pg.pairwise_corr(df, columns=list(df.columns), method=method, padjust="holm")
        ci = np.vstack(res[_ci_column(CI_LEVEL)].to_numpy())
        frames.append(pd.DataFrame({
            "x": res["X"], "y": res["Y"], "method": method, "n": res["n"].astype(int),
            "r": res["r"], "ci_low": ci[:, 0], "ci_high": ci[:, 1], "p": res["p_unc"],
            "p_holm": res["p_corr"]}))
    return pd.concat(frames, ignore_index=True)


def offdiagonal(matrix: pd.DataFrame) -> pd.Series:
    """The distinct off-diagonal entries (lower triangle), indexed by (row, column)."""
    names = list(matrix.index)
    pairs = [(a, b) for k, a in enumerate(names) for b in names[:k]]
    return pd.Series([matrix.loc[a, b] for a, b in pairs], index=pd.MultiIndex.from_tuples(pairs),
                     name="r", dtype=float)


def max_offdiagonal(matrix: pd.DataFrame) -> tuple[float, tuple[str, str]]:
    """The largest |r| off the diagonal and its pair (row, column)."""
    values = offdiagonal(matrix).abs()
    pair = values.idxmax()
    return float(values[pair]), (str(pair[0]), str(pair[1]))


def count_above(matrix: pd.DataFrame, threshold: float) -> int:
    """How many distinct off-diagonal entries have |r| > ``threshold``."""
    return int((offdiagonal(matrix).abs() > threshold).sum())


def vif(corr: pd.DataFrame) -> pd.Series:
    """Variance inflation factors ``VIF_j = [R⁻¹]_jj = 1 / (1 − R²_j)``.

    ``R²_j`` is the R² of regressing variable j on all the others; ``corr`` is their correlation
    matrix. A singular matrix (perfect collinearity) raises.
    """
    r = corr.to_numpy(dtype=float)
    if np.linalg.cond(r) > 1e12:
        raise np.linalg.LinAlgError("the correlation matrix is singular: some variable is a "
                                    "linear combination of the others (VIF infinite).")
    return pd.Series(np.diag(np.linalg.inv(r)), index=corr.index, name="vif")


def ranks(df: pd.DataFrame, row) -> pd.Series:
    """Rank of ``row`` on every column among all rows, 1 = highest value (ties: minimum rank)."""
    if row not in df.index:
        raise KeyError(f"no row {row!r}; rows: {list(df.index)}.")
    return df.rank(ascending=False, method="min").loc[row].astype(int)


def power_f2(f2: float, n: int, k: int, alpha: float = 0.05) -> float:
    """Power of the overall F test of R² = 0 in a regression on ``k`` predictors with ``n`` cases.

    Cohen (1988): under the alternative F ~ noncentral F(u = k, v = n − k − 1, λ = f²·n),
    ``f² = R² / (1 − R²)``; power = P(F > F_{1−α}(u, v)).
    """
    # deferred: scipy.stats is a heavy load that only the power calculations need (notebooks
    # 03 and 06 import this module for its composites and ranks)
    from scipy import stats

    u, v = k, n - k - 1
    if v < 1:
        raise ValueError(f"n = {n} cases leave no residual degree of freedom for k = {k}.")
    crit = stats.f.ppf(1 - alpha, u, v)
    if f2 <= 0:  # scipy's noncentral F mishandles λ = 0 (returns sf − 1): use the central F
        return float(stats.f.sf(crit, u, v))
    return float(stats.ncf.sf(crit, u, v, f2 * n))


def equal_weight_regression(composites: pd.DataFrame, outcome: pd.Series) -> dict:
    """OLS of the standardised ``outcome`` on the standardised ``composites`` (pingouin).

    A check on PLS that learns no weights from the outcome: with z-scored variables the
    coefficients are standardised betas, comparable with PLS path coefficients. Returns
    ``{"coef": DataFrame (estimate, se, p, ci_low, ci_high by composite), "r2", "adj_r2", "n"}``
    with classical (t-based) 95 % intervals.
    """
    import pingouin as pg  # imported here: it costs a notebook over a second to load

    X = zscores(composites)
    y = (outcome - outcome.mean()) / outcome.std(ddof=1)
    if not X.index.equals(y.index):
        raise ValueError("composites and outcome must have the same rows (regions), in order.")
    res = pg.linear_regression(X, y.rename("outcome")).set_index("names").drop(index="Intercept")
    coef = pd.DataFrame({"estimate": res["coef"], "se": res["se"], "p": res["pval"],
                         "ci_low": res[_ci_column((1 - CI_LEVEL) / 2)],
                         "ci_high": res[_ci_column((1 + CI_LEVEL) / 2)]})
    return {"coef": coef.rename_axis(None), "r2": float(res["r2"].iloc[0]),
            "adj_r2": float(res["adj_r2"].iloc[0]), "n": int(len(y))}


def min_detectable_r2(n: int, k: int, alpha: float = 0.05, power: float = 0.8) -> dict:
    """The smallest population R² the overall F test detects with the given ``power``.

    Solves ``power_f2(f², n, k, alpha) = power`` for f² and returns
    ``{"f2": f², "r2": f² / (1 + f²)}``.
    """
    if not 0 < power < 1:
        raise ValueError(f"power must be in (0, 1), got {power!r}.")
    # deferred: as in power_f2 (scipy's optimisers load with scipy.stats)
    from scipy import optimize

    f2 = optimize.brentq(lambda f: power_f2(f, n, k, alpha) - power, 1e-8, 1e4, xtol=1e-10)
    return {"f2": float(f2), "r2": float(f2 / (1 + f2))}


def threshold_check(matrix: pd.DataFrame, threshold: float) -> dict:
    """Does every off-diagonal |r| stay at or below ``threshold``?

    Returns ``{max_abs, pair, n_above, n_pairs, holds, above}`` with ``above`` the list of
    ``{pair: [row, col], r}`` entries beyond the threshold (|r| > threshold).
    """
    values = offdiagonal(matrix)
    biggest, pair = max_offdiagonal(matrix)
    above = [{"pair": [str(a), str(b)], "r": float(v)} for (a, b), v in values.items()
             if abs(v) > threshold]
    return {"max_abs": biggest, "pair": list(pair), "n_above": len(above),
            "n_pairs": int(values.size), "holds": biggest <= threshold, "above": above}
