"""PLSpredict: cross-validated predictions of the endogenous constructs' indicators
(Shmueli, Ray, Velasquez Estrada & Chatla 2016, J. Bus. Res. 69:4552-4564; Shmueli, Sarstedt,
Hair et al. 2019, Eur. J. Mark. 53:2322-2347), batched over folds and repeats.

The rows are split into k folds (repeated with fresh random splits, or given explicitly).  For
each fold f the model is re-estimated on the other k - 1 folds (its training rows) and predicts
the held-out rows:

1. standardise the held-out indicators with the *training* means and SDs:
   ``z = (x - mean_f) / sd_f``;
2. construct scores from the training weights, ``Y = z W_f``;
3. predicted construct scores, by one of two approaches:

   - *direct antecedents* (``"DA"``, seminr's default): each endogenous construct from the scores
     of its own predecessors, ``Y^_c = sum_k Y_k beta_kc``;
   - *earliest antecedents* (``"EA"``): only the exogenous constructs' scores are used and the
     predictions run forward through the structure, ``Y^_c = sum_k Y^_k beta_kc`` in
     topological order (so ``Y^ = Y_exo T_f`` with T the total effects);

4. predicted indicators of an endogenous construct c: ``x^ = mean_f + sd_f * lambda_f * Y^_c``
   (``lambda`` the training loadings; for PLSc the consistent loadings and paths).

The **linear-model benchmark** (LM) regresses each indicator of an endogenous construct, with an
intercept, on the raw indicators of the exogenous constructs (``benchmark="exogenous"``; Shmueli
et al. 2019), or of the construct's direct antecedents (``"antecedents"``; what seminr uses
with DA), by OLS on the same training rows.  The naive benchmark predicts the training mean.

Per indicator (over all held-out predictions, averaged over repeats):
``RMSE = sqrt(mean e^2)``, ``MAE = mean |e|``, and
``Q²_predict = 1 - sum e_PLS^2 / sum (x - mean_f)^2`` (positive: better than the training mean).
The usual reading (Shmueli et al. 2019) compares PLS's RMSE with LM's indicator by indicator:
PLS lower on *all* indicators: high predictive power; on the majority: medium; on a minority:
low; on none: the model lacks predictive power (and with Q²_predict <= 0 it does not beat the
mean).  In-sample errors (training rows, averaged over the k - 1 fits that include each row, as
seminr) are reported beside them.

Folds: with a seed, each repeat shuffles the rows (``numpy.random.default_rng(seed)``) and cuts
the shuffled order into k contiguous blocks exactly as R's ``cut(seq_len(n), breaks = k)``
(seminr's rule), so :func:`folds_from_ordering` replays seminr's ``ordering``.  Leave-one-out is
``folds = n`` (or ``"loo"``).  An explicit ``fold_matrix`` (repeats x n, fold ids 0..k-1, or one
vector) bypasses the randomness.  The re-estimation uses the model's data after its
missing-data treatment (as seminr does).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .engine import run_pls, weighted_correlations
from .estimate import PLSFit
from .implied import causal_order
from .randomness import fresh_seed
from .settings import settings_text
from .spec import ModelSpecificationError

TECHNIQUES = ("DA", "EA")
BENCHMARKS = ("exogenous", "antecedents")


class PredictWarning(UserWarning):
    """A part of PLSpredict could not be computed (e.g. the LM benchmark has more predictors
    than a training fold has rows)."""


def cut_folds(n: int, k: int) -> np.ndarray:
    """Fold (0-based) of positions 1..n under R's ``cut(seq_len(n), breaks = k)``: k equal-width
    right-closed intervals over [1, n], the outer breaks widened by (n - 1) / 1000."""
    breaks = 1 + np.arange(k + 1) * (n - 1) / k
    breaks[0] -= (n - 1) / 1000
    breaks[-1] += (n - 1) / 1000
    return np.searchsorted(breaks, np.arange(1, n + 1), side="left") - 1


def folds_from_ordering(ordering, k: int) -> np.ndarray:
    """Fold of each row when the rows are taken in ``ordering`` (a permutation of 0..n-1, e.g.
    seminr's ``ordering``) and cut into k blocks (:func:`cut_folds`)."""
    ordering = np.asarray(ordering)
    out = np.empty(len(ordering), dtype=int)
    out[ordering] = cut_folds(len(ordering), k)
    return out


@dataclass
class PredictResult:
    """PLSpredict results.

    ``items``: one row per predicted indicator with PLS and LM out-of-sample RMSE and MAE,
    Q²_predict, in-sample RMSE, and whether PLS beats LM (lower RMSE / MAE);
    ``by_repeat``: the same metrics per repeat (long table);
    ``predictions``: out-of-sample predictions per observation, indicator and repeat (actual,
    PLS, LM, naive training mean); ``folds``: the fold matrix (repeats x n);
    ``summary_table``: the usual reading; ``settings``: every setting."""

    items: pd.DataFrame
    by_repeat: pd.DataFrame
    predictions: pd.DataFrame
    folds: np.ndarray
    settings: dict

    @property
    def n_beats_lm(self) -> int:
        """Indicators whose PLS out-of-sample RMSE is below the LM benchmark's."""
        return int(self.items["pls_beats_lm_rmse"].sum())

    @property
    def verdict(self) -> str:
        """Shmueli et al.'s (2019) reading of the RMSE comparison with LM."""
        return reading(self.items)

    def summary(self) -> str:
        text = "\n".join(["PLSpredict", settings_text(self.settings), "",
                          self.items.round(4).to_string(), "", f"Reading: {self.verdict}"])
        print(text)
        return text


def reading(items: pd.DataFrame) -> str:
    """The usual reading of a PLSpredict table (Shmueli et al. 2019): first, does the model
    beat the naive training mean (Q²_predict > 0)?  Only then, on how many indicators is PLS's
    RMSE below the LM benchmark's (all: high, majority: medium, minority: low, none: no
    predictive power beyond LM)."""
    total = len(items)
    q2_pos = int((items["q2_predict"] > 0).sum())
    valid = items["lm_rmse"].notna()
    beats = int(items.loc[valid, "pls_beats_lm_rmse"].sum())
    m = int(valid.sum())
    lm_part = (f"PLS has a lower RMSE than the LM benchmark on {beats} of {m} indicator(s)"
               if m else "the LM benchmark is not estimable")
    if q2_pos == 0:
        return (f"no predictive relevance: Q²_predict <= 0 for all {total} indicator(s), so the "
                f"model predicts held-out observations worse than their training mean; "
                f"{lm_part}, which does not make up for it.")
    mean_part = f"Q²_predict > 0 for {q2_pos} of {total} indicator(s)"
    if not m:
        return f"{mean_part}; {lm_part}."
    if beats == m:
        level = "high predictive power"
    elif beats > m / 2:
        level = "medium predictive power"
    elif beats > 0:
        level = "low predictive power"
    else:
        level = "no predictive power beyond the LM benchmark"
    return f"{level}: {lm_part}; {mean_part}."


def _fold_matrix(n: int, folds, repeats: int, seed, fold_matrix) -> tuple[np.ndarray, str]:
    if fold_matrix is not None:
        if seed is not None:
            raise ValueError("give either seed= or fold_matrix=, not both")
        fm = np.asarray(fold_matrix)
        fm = fm[None] if fm.ndim == 1 else fm
        if fm.ndim != 2 or fm.shape[1] != n:
            raise ValueError(f"fold_matrix must be a vector of {n} fold ids or a (repeats x {n}) "
                             f"matrix; got shape {np.asarray(fold_matrix).shape}")
        if not np.issubdtype(fm.dtype, np.integer) or fm.min() < 0:
            raise ValueError("fold_matrix must hold non-negative integer fold ids (0-based)")
        for r, row in enumerate(fm):
            present = np.unique(row)
            if present.size < 2 or not np.array_equal(present, np.arange(present.size)):
                missing = sorted(set(range(int(row.max()) + 1)) - set(present.tolist()))
                raise ModelSpecificationError(
                    f"fold_matrix row {r}: folds must be numbered 0..k-1 with k >= 2 and none "
                    f"empty; fold(s) {missing or 'all but one'} have no observations")
        return fm.astype(int), "explicit fold matrix"
    if isinstance(folds, str):
        if folds.lower() != "loo":
            raise ValueError(f"folds must be an integer k or 'loo', got {folds!r}")
        folds = n
    k = int(folds)
    if not 2 <= k <= n:
        raise ModelSpecificationError(f"folds = {k}: choose 2 <= k <= n = {n} (k = n is "
                                      "leave-one-out)")
    if k == n:
        return np.arange(n)[None], "leave-one-out (k = n)"
    if seed is None:
        seed = fresh_seed()
    rng = np.random.default_rng(seed)
    fm = np.stack([folds_from_ordering(rng.permutation(n), k) for _ in range(repeats)])
    return fm, f"numpy default_rng(seed={seed}) permutation per repeat, cut into {k} blocks"


def predict_pls(
    fit: PLSFit,
    technique: str = "DA",
    folds: int | str = 10,
    repeats: int = 1,
    seed: int | None = None,
    fold_matrix=None,
    benchmark: str = "exogenous",
) -> PredictResult:
    """PLSpredict of ``fit``'s model (formulas and reading in the module docstring).

    ``technique``: ``"DA"`` (direct antecedents, default) or ``"EA"`` (earliest antecedents).
    ``folds``: k (default 10) or ``"loo"`` (k = n); ``repeats``: independent random k-fold
    splits from ``seed`` (ignored for leave-one-out, which has one split).  ``fold_matrix``:
    explicit fold ids (vector of n, or repeats x n; 0-based), instead of ``seed``.
    ``benchmark``: LM predictors, ``"exogenous"`` (every exogenous construct's indicators,
    default) or ``"antecedents"`` (the direct antecedents' indicators, as seminr's DA).
    """
    if technique not in TECHNIQUES:
        raise ValueError(f"technique must be one of {TECHNIQUES}, got {technique!r}")
    if fit.interactions:
        raise NotImplementedError(
            f"this batched PLSpredict does not regenerate interaction terms "
            f"({sorted(fit.interactions)}) per fold: call helpers.pls.predict_pls (the fold-by-"
            "fold version in helpers.pls.predict_staged).")
    if fit.higher_order and fit.stage1 is not None:
        raise NotImplementedError(
            "this batched PLSpredict does not rerun both stages of a two-stage higher-order "
            "model per fold: call helpers.pls.predict_pls (the fold-by-fold version in "
            "helpers.pls.predict_staged).")
    if benchmark not in BENCHMARKS:
        raise ValueError(f"benchmark must be one of {BENCHMARKS}, got {benchmark!r}")
    if int(repeats) != repeats or repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    lay = fit.layout
    x = fit.clean
    n, p = x.shape
    fm, source = _fold_matrix(n, folds, int(repeats), seed, fold_matrix)
    n_rep, k = fm.shape[0], int(fm.max()) + 1
    # one training mask per (repeat, fold): F = repeats * k
    test = (fm[:, None, :] == np.arange(k)[None, :, None]).reshape(-1, n)
    train = ~test
    n_train = train.sum(axis=1)
    _check_folds(n_train, test.sum(axis=1), fit, benchmark, k)

    # training moments, on data centred by the full-sample mean for accuracy
    centre = x.mean(axis=0)
    xc = x - centre
    c = train.astype(float)
    mean_f = c @ xc / n_train[:, None]
    var_f = (c @ xc**2 - n_train[:, None] * mean_f**2) / (n_train - 1)[:, None]
    sd_f = np.sqrt(np.maximum(var_f, 0.0))
    constant = ~(sd_f > 1e-12 * np.maximum(1.0, np.abs(x).max(axis=0)))
    if constant.any():
        f, j = np.argwhere(constant)[0]
        raise ModelSpecificationError(
            f"fold {f % k} (repeat {f // k}): indicator {lay.items[j]!r} is constant in the "
            f"{n_train[f]} training rows; use fewer folds or drop the indicator")
    r = weighted_correlations(xc / x.std(axis=0, ddof=1), c, "mean")
    est = run_pls(r, lay, fit.inner_weighting, fit.max_iter, fit.stop_criterion)
    if not est.ok.all():
        bad = np.flatnonzero(~est.ok)
        why = ("PLSc correction inadmissible"
               if est.admissible is not None and not est.admissible[bad[0]]
               else "did not converge or was degenerate")
        raise ModelSpecificationError(
            f"the re-estimation failed on {bad.size} training fold(s) (first: fold "
            f"{bad[0] % k}, repeat {bad[0] // k}: {why}); predictions are undefined")

    # Every prediction is linear in the row's indicators, so each fold is reduced to an
    # intercept and a coefficient matrix (F x m and F x p x m): PLS from the scores
    # ((x - mean_f) / sd_f) W_f, their predicted values Y Q_f (Q_f the DA or EA map of the fold's
    # paths, found by predicting the identity) and x^ = mean_f + sd_f lambda_f Y^; the LM as
    # x^ = offset_f + x slope_f.  Only the held-out rows are predicted fold by fold; the
    # in-sample sums over a repeat's folds use the summed coefficients.
    endo = lay.endogenous
    items = [i for j in endo for i in lay.blocks[j]]
    owner = {i: j for j in endo for i in lay.blocks[j]}
    lam = np.stack([est.loadings[:, i, owner[i]] for i in items], axis=1)  # F x m
    cols = [owner[i] for i in items]
    level = mean_f[:, items] + centre[items]  # training means, F x m
    n_k = len(lay.constructs)
    q_map = _predict_scores(np.broadcast_to(np.eye(n_k), (len(c), n_k, n_k)).copy(), est, lay,
                            technique)  # F x K x K
    coef = (est.weights / sd_f[:, :, None]) @ q_map[:, :, cols] * (sd_f[:, items] * lam)[:, None]
    pls = (level - np.einsum("fp,fpm->fm", mean_f, coef), coef)  # on the centred data
    lm_offset, lm_slope, lm_note = _lm_benchmark(x, c, r, mean_f + centre, sd_f, lay, items,
                                                 owner, benchmark)
    lm = (lm_offset + centre @ lm_slope, lm_slope)
    own = (np.arange(n_rep)[:, None] * k + fm)  # each row's own test fold, repeats x n
    # the test rows of every fold, padded to the largest fold (F x t), and their place in a
    # flattened repeats x n array
    order = np.argsort(own, axis=None, kind="stable")  # rows grouped by fold
    sizes = np.bincount(own.ravel(), minlength=len(c))
    slot = np.arange(sizes.max())
    valid = slot[None, :] < sizes[:, None]
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    place = order[np.where(valid, first[:, None] + slot[None, :], 0)]
    test_x = xc[place % n]  # F x t x p

    def evaluate(model):  # held-out predictions (each row by its own test fold) and in-sample
        offset, slope = model  # means (over the k - 1 fits that train on the row), repeats x n x m
        held = np.empty((n_rep * n, slope.shape[-1]))
        held[place[valid]] = (offset[:, None, :] + test_x @ slope)[valid]
        held = held.reshape(n_rep, n, -1)
        total = (offset.reshape(n_rep, k, -1).sum(axis=1)[:, None, :]
                 + xc @ slope.reshape(n_rep, k, p, -1).sum(axis=1))
        return held, (total - held) / (k - 1)

    (pls_out, pls_in), (lm_out, lm_in) = evaluate(pls), evaluate(lm)
    oos = {"pls": pls_out, "lm": lm_out, "naive": level[own]}
    ins = {"pls": pls_in, "lm": lm_in}
    names = [lay.items[i] for i in items]
    constructs = [lay.constructs[owner[i]] for i in items]
    table, by_repeat, predictions = tables(x[:, items], oos, ins, fm, fit.index, names,
                                           constructs)
    settings = {
        "method": "PLSpredict (Shmueli et al. 2016, 2019)",
        "technique": {"DA": "direct antecedents", "EA": "earliest antecedents"}[technique],
        "folds": k, "repeats": n_rep, "folds_source": source,
        "training_rows": f"{int(n_train.min())}-{int(n_train.max())}",
        "benchmark": ("LM: each indicator on all exogenous constructs' indicators, with "
                      "intercept" if benchmark == "exogenous" else
                      "LM: each indicator on its construct's direct antecedents' indicators, "
                      "with intercept") + lm_note,
        **shared_settings(fit, n),
    }
    return finished(table, by_repeat, predictions, fm, settings)


def shared_settings(fit: PLSFit, n: int) -> dict:
    """The settings every PLSpredict result states, plain or staged (after its own method,
    technique, folds and benchmark)."""
    return {
        "q2_predict": "1 - SSE(PLS) / SSE(training-fold mean)",
        "in_sample": "mean over the k - 1 fits whose training rows include the observation",
        "estimation": {key: fit.settings[key] for key in ("inner_weighting", "missing",
                                                          "stop_criterion", "max_iter")},
        "consistent": fit.settings.get("consistent", "no correction (plain PLS)"),
        "n_obs": int(n),
    }


def finished(table: pd.DataFrame, by_repeat: pd.DataFrame, predictions: pd.DataFrame,
             fm: np.ndarray, settings: dict) -> PredictResult:
    """The result of a PLSpredict run, its settings carrying the result's own reading."""
    result = PredictResult(items=table, by_repeat=by_repeat, predictions=predictions,
                           folds=fm, settings=settings)
    settings["reading"] = result.verdict
    return result


def fold_tables(actual: np.ndarray, pls: np.ndarray, lm: np.ndarray, level: np.ndarray,
                fm: np.ndarray, index, names: list[str], constructs: list[str]):
    """PLSpredict's tables from the predictions of every fold's model for every row: ``pls``
    and ``lm`` (F x n x m, F = repeats x k folds, fold f = repeat * k + fold), the training
    means ``level`` (F x m), the fold matrix ``fm`` (repeats x n), the ``actual`` values (n x
    m), the rows' labels ``index`` and the indicators' ``names`` and ``constructs``.  Returns
    the per-indicator table (means over the repeats), the per-repeat table and the held-out
    predictions."""
    n_rep, n = fm.shape
    k = pls.shape[0] // n_rep
    own = (np.arange(n_rep)[:, None] * k + fm)  # each row's own test fold, repeats x n

    def held_out(a):  # F x n x m -> repeats x n x m
        return a[own, np.arange(n)[None, :]]

    def in_sample(a):  # mean over the k - 1 training fits of each row: (all - held out)/(k - 1)
        return (a.reshape(n_rep, k, n, -1).sum(axis=1) - held_out(a)) / (k - 1)

    oos = {"pls": held_out(pls), "lm": held_out(lm), "naive": level[own]}
    ins = {"pls": in_sample(pls), "lm": in_sample(lm)}
    return tables(actual, oos, ins, fm, index, names, constructs)


def tables(actual: np.ndarray, oos: dict, ins: dict, fm: np.ndarray, index, names: list[str],
           constructs: list[str]):
    """PLSpredict's tables from the held-out predictions ``oos`` (``pls``, ``lm``, ``naive``)
    and the in-sample means ``ins`` (``pls``, ``lm``), each repeats x n x m; arguments and
    returns as :func:`fold_tables`."""
    n_rep, n = fm.shape
    metrics = _metrics(actual, oos, ins)  # metric -> repeats x m
    by_repeat = pd.DataFrame({"repeat": np.repeat(np.arange(n_rep), len(names)),
                              "indicator": np.tile(np.array(names, dtype=object), n_rep),
                              "construct": np.tile(np.array(constructs, dtype=object), n_rep),
                              **{key: v.ravel() for key, v in metrics.items()}})
    table = pd.DataFrame({"construct": constructs,
                          **{key: v.mean(axis=0) for key, v in metrics.items()}},
                         index=pd.Index(names, name="indicator"))
    table["pls_beats_lm_rmse"] = table["pls_rmse"] < table["lm_rmse"]
    table["pls_beats_lm_mae"] = table["pls_mae"] < table["lm_mae"]
    shape = (n_rep, n, len(names))
    predictions = pd.DataFrame({
        "observation": np.broadcast_to(np.asarray(index)[None, :, None], shape).ravel(),
        "repeat": np.broadcast_to(np.arange(n_rep)[:, None, None], shape).ravel(),
        "fold": np.broadcast_to(fm[:, :, None], shape).ravel(),
        "indicator": pd.Categorical.from_codes(
            np.broadcast_to(np.arange(len(names)), shape).ravel(), categories=names),
        "actual": np.broadcast_to(actual[None], shape).ravel(),
        "pls": oos["pls"].ravel(), "lm": oos["lm"].ravel(), "naive": oos["naive"].ravel()},
        copy=False)  # every column is a new array of this function's
    return table, by_repeat, predictions


def _check_folds(n_train: np.ndarray, n_test: np.ndarray, fit: PLSFit, benchmark: str,
                 k: int) -> None:
    """Every training set must support the model's regressions (n >= q + 2)."""
    need = 2
    lay = fit.layout
    for j in lay.endogenous:
        need = max(need, len(lay.predecessors[j]) + 2)
    for mode, blk in zip(lay.modes, lay.blocks, strict=True):
        if mode == "B" and len(blk) > 1:
            need = max(need, len(blk) + 2)
    small = int(n_train.min())
    if small < need:
        f = int(np.argmin(n_train))
        raise ModelSpecificationError(
            f"fold {f % k} leaves only {small} training observation(s); the model's largest "
            f"regression needs at least {need}. Use fewer folds (k = {k} now) or more data.")
    if (n_test == 0).any():
        raise ModelSpecificationError("a fold has no held-out observations")


def _predict_scores(scores: np.ndarray, est, lay, technique: str) -> np.ndarray:
    """Predicted construct scores (F x n x K) by DA or EA; exogenous constructs keep their
    scores."""
    paths = est.paths  # F x K x K
    exo = [j for j, p in enumerate(lay.predecessors) if not p]
    if technique == "DA":
        pred = scores @ paths
        pred[:, :, exo] = scores[:, :, exo]
        return pred
    pred = np.zeros_like(scores)
    pred[:, :, exo] = scores[:, :, exo]
    for j in causal_order(lay)[len(exo):]:  # the endogenous constructs, in causal order
        pred[:, :, j] = np.einsum("fnk,fk->fn", pred, paths[:, :, j])
    return pred


def _lm_benchmark(x, c, r, mean_f, sd_f, lay, items, owner, benchmark):
    """LM benchmark as intercepts (F x m) and slopes on the raw indicators (F x p x m; 0 for
    the indicators a column does not use), by OLS on each training fold (``c`` the 0/1 training
    masks), from the folds' indicator correlation matrices ``r``, means and SDs: standardised
    coefficients ``b = R_xx^-1 R_xy`` and ``y^ = mean_y + sd_y ((x - mean_x) / sd_x) b``.  NaN
    (with a warning) for a construct whose benchmark has at least as many coefficients as
    training rows."""
    n_f, n = c.shape
    offset_all = np.full((n_f, len(items)), np.nan)
    slope_all = np.zeros((n_f, x.shape[1], len(items)))
    exo = [j for j, p in enumerate(lay.predecessors) if not p]
    note = ""
    n_train = c.sum(axis=1)
    for j in sorted(set(owner.values())):
        sources = exo if benchmark == "exogenous" else list(lay.predecessors[j])
        preds = [i for s in sources for i in lay.blocks[s]]
        cols = [m for m, i in enumerate(items) if owner[i] == j]
        ys = [items[m] for m in cols]
        q = len(preds) + 1
        df = int(n_train.min()) - q
        note += f"; {lay.constructs[j]}: {q} coefficients, residual df >= {df}"
        if df < 1:
            note += " (not estimable)"
            warnings.warn(f"LM benchmark for {lay.constructs[j]!r} not estimable: {q} "
                          f"coefficients and only {int(n_train.min())} training rows; "
                          "its RMSE/MAE are NaN", PredictWarning, stacklevel=3)
            continue
        beta = np.linalg.solve(r[:, preds][:, :, preds], r[:, preds][:, :, ys])
        slope = beta / sd_f[:, preds, None] * sd_f[:, None, ys]  # raw units, F x q-1 x m
        offset_all[:, cols] = mean_f[:, ys] - np.einsum("fp,fpm->fm", mean_f[:, preds], slope)
        slope_all[:, np.array(preds)[:, None], np.array(cols)[None, :]] = slope
    return offset_all, slope_all, note


def _metrics(actual, oos, ins) -> dict[str, np.ndarray]:
    """Per repeat and indicator (arrays repeats x m, from predictions repeats x n x m):
    out-of-sample RMSE, MAE (PLS, LM), Q²_predict, in-sample RMSE (PLS, LM)."""
    e = {key: actual[None] - value for key, value in oos.items()}
    e_in = {key: actual[None] - value for key, value in ins.items()}
    with np.errstate(invalid="ignore"):
        return {
            "pls_rmse": np.sqrt(np.mean(e["pls"] ** 2, axis=1)),
            "pls_mae": np.mean(np.abs(e["pls"]), axis=1),
            "lm_rmse": np.sqrt(np.mean(e["lm"] ** 2, axis=1)),
            "lm_mae": np.mean(np.abs(e["lm"]), axis=1),
            "q2_predict": 1 - np.sum(e["pls"] ** 2, axis=1) / np.sum(e["naive"] ** 2, axis=1),
            "pls_in_rmse": np.sqrt(np.mean(e_in["pls"] ** 2, axis=1)),
            "lm_in_rmse": np.sqrt(np.mean(e_in["lm"] ** 2, axis=1)),
        }
