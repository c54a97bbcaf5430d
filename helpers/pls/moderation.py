"""Moderation in PLS-SEM: interaction terms and simple slopes (Henseler & Chin 2010; Hair et al.
2022, ch. 7; Becker, Ringle & Sarstedt 2018).

A moderator M changes the effect of an independent variable X on an outcome Y:
``Y = b_x X + b_m M + b_xm (X * M) + ...``.  The interaction term ``X*M`` enters the model as a
construct (:func:`~helpers.pls.spec.interaction`) with a path to Y; its indicators are
generated from the data, after the missing-data treatment:

* **two-stage** (default in SmartPLS 4 and seminr): stage 1 estimates the main-effects model
  (the model without the interaction terms' paths); the term's single indicator is the product
  of the stage-1 construct scores, ``Y_X * Y_M``;
* **product indicator**: every product of the standardised indicators of X and of M (z-scores
  with the n - 1 SD), ``z_xi * z_mj`` with X's items varying slowest, form a Mode A composite;
* **orthogonalising** (residual centering; Little, Bovaird & Widaman 2006; Henseler & Chin
  2010): each of those products is replaced by its residual from the OLS regression (with an
  intercept) on all indicators of X and M, so the term is uncorrelated with every main-effect
  indicator (seminr's ``orthogonal``);
* a **quadratic term** ``X*X`` (:func:`~helpers.pls.spec.quadratic`) is the interaction of X
  with itself, by any of the three approaches (all ``z_xi * z_xj``, both orders, as seminr).

Refused with the reason (:class:`~helpers.pls.spec.ModelSpecificationError`), before stage 2:
a term whose generated indicators are constant or an exact linear function of the indicators
of X and M -- the square of a two-valued indicator (``z^2 = 1 + c z`` for a 0/1 item), a product
of two dummies that never co-occur -- whose effect is not identified; and (in the
specification) the product-indicator and orthogonalising approaches for Mode B constructs.

Stage 2 (or the only stage) estimates the whole model on the measured indicators plus the
generated ones.  A product of standardised variables does not have unit variance
(``var(XM) = 1 + r_XM^2`` for normal X, M), and the interaction's coefficient is only a change
of X's slope per SD of M when the term keeps that scale.  So, as seminr (R and PyPI) does after
Henseler & Chin (2010), the interaction term's score is rescaled after convergence from unit
variance to ``a = sum_i sd(g_i) |l_i| / sum_i |l_i|`` (``g_i`` its generated indicators,
``l_i`` their loadings; for the two-stage term ``a = sd(Y_X Y_M)``): its loadings become
``a l_i`` (covariances of the standardised indicators with the score), its path coefficients
``b / a``; the weights, the other paths and R² are unchanged.  (With PLSc, seminr 0.2.1 takes
the paths from the corrected correlations and so leaves the interaction path on the
standardised scale; here it is rescaled in either case, so that simple slopes read the same.)

The bootstrap of a moderated fit (:func:`resample_stack`, used by
:func:`~helpers.pls.bootstrap_model`) regenerates the terms in every resample, as re-running
the whole estimation on the resampled rows does (seminr): stage 1, the products and the
orthogonalising regressions are redone on each resample's rows.  PLSpredict of a moderated
model re-estimates it fold by fold (:mod:`helpers.pls.predict_staged`); multi-group analysis
regenerates the terms within every group and permuted group (:mod:`helpers.pls.mga`).

**Simple slopes** at moderator values ``m`` (in SD units, default -1, 0, +1): the effect of X on
Y is ``b_x + b_xm m``; :func:`simple_slopes` tabulates the slopes and the predicted Y at
``X = -1, 0, +1`` (seminr's ``slope_analysis`` plots the same nine points,
``b_x x + b_xm x m + b_m m``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .engine import _total_effects, htmt_batch
from .spec import Construct, Interaction, Model, ModelSpecificationError, Path
from .twostage import resample_two_stage, weighted_moments, weighted_residuals


def main_effects_model(model: Model) -> Model:
    """The model without its interaction terms and every path from or to them (stage 1)."""
    terms = {t.name for t in model.interactions}
    structure = [p for p in model.structure if p.source not in terms and p.target not in terms]
    linked = {p.source for p in structure} | {p.target for p in structure}
    constructs = [c for c in model.constructs if isinstance(c, Construct) and c.name in linked]
    needed = {end for t in model.interactions for end in (t.iv, t.moderator)}
    missing = sorted(needed - {c.name for c in constructs})
    if missing:
        raise ModelSpecificationError(
            f"construct(s) {missing} appear only through interaction terms; the main-effects "
            "model needs each independent variable and moderator to have a path of its own")
    return Model(constructs, structure)


def _standardise(x: np.ndarray) -> np.ndarray:
    return (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)


def interaction_columns(term: Interaction, clean: pd.DataFrame, stage1) -> pd.DataFrame:
    """The generated indicators of one interaction term (formulas in the module docstring);
    ``clean`` holds the measured indicators after the missing-data treatment, ``stage1`` the
    main-effects fit (used by the two-stage approach)."""
    if term.method == "two_stage":
        product = stage1.scores[term.iv].to_numpy() * stage1.scores[term.moderator].to_numpy()
        return pd.DataFrame({f"{term.name}_intxn": product}, index=clean.index)
    iv_items = stage1.model.construct(term.iv).items
    mod_items = stage1.model.construct(term.moderator).items
    zi = _standardise(clean[list(iv_items)].to_numpy(float))
    zm = _standardise(clean[list(mod_items)].to_numpy(float))
    cols = {f"{a}*{b}": zi[:, i] * zm[:, j] for i, a in enumerate(iv_items)
            for j, b in enumerate(mod_items)}
    out = pd.DataFrame(cols, index=clean.index)
    if term.method == "orthogonal":
        x = clean[list(dict.fromkeys(iv_items + mod_items))].to_numpy(float)
        x = np.column_stack([np.ones(len(x)), x])
        y = out.to_numpy()
        out[:] = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    return out


def generated_columns(fit, rows: pd.DataFrame) -> pd.DataFrame:
    """The interaction terms' indicators of ``rows`` -- new observations, or a fold's rows --
    built with the *training* transformations of the moderated ``fit`` (those of the data it
    was estimated on; nothing is re-estimated from ``rows``):

    * two-stage: the product of the rows' stage-1 scores, their indicators standardised with
      the training means and SDs and weighted by the training stage-1 weights;
    * product indicator: the products of the rows' indicators standardised with the training
      means and SDs;
    * orthogonalising: those products minus the training regression applied to the rows (the
      coefficients of the OLS, with intercept, of the training products on the training
      indicators of both constructs).

    ``rows`` holds the stage-1 indicators; only those of each term's two constructs are read
    and they must be complete."""
    s1 = fit.stage1
    lay1 = s1.layout
    items1 = list(lay1.items)

    def z(frame: pd.DataFrame, items: list[str]) -> np.ndarray:
        k = [items1.index(i) for i in items]
        return (frame[items].to_numpy(float) - s1.mean[k]) / s1.sd[k]

    out = {}
    for term in fit.interactions.values():
        if term["method"] == "two_stage":
            product = np.ones(len(rows))
            for name in (term["iv"], term["moderator"]):
                j = lay1.constructs.index(name)
                blk = lay1.blocks[j]
                product = product * (z(rows, [items1[i] for i in blk])
                                     @ s1.estimates.weights[0][blk, j])
            out[term["indicators"][0]] = product
            continue
        iv = list(s1.model.construct(term["iv"]).items)
        mod = list(s1.model.construct(term["moderator"]).items)
        zi, zm = z(rows, iv), z(rows, mod)
        prods = np.column_stack([zi[:, i] * zm[:, j] for i in range(len(iv))
                                 for j in range(len(mod))])
        if term["method"] == "orthogonal":
            train = pd.DataFrame(s1.clean, columns=items1)
            regressors = list(dict.fromkeys(iv + mod))
            ti, tm = z(train, iv), z(train, mod)
            pt = np.column_stack([ti[:, i] * tm[:, j] for i in range(len(iv))
                                  for j in range(len(mod))])
            xt = np.column_stack([np.ones(len(train)), train[regressors].to_numpy(float)])
            beta = np.linalg.lstsq(xt, pt, rcond=None)[0]
            prods = prods - np.column_stack([np.ones(len(rows)),
                                             rows[regressors].to_numpy(float)]) @ beta
        for k, col in enumerate(term["indicators"]):
            out[col] = prods[:, k]
    return pd.DataFrame(out, index=rows.index)


def _check_identified(term: Interaction, cols: pd.DataFrame, clean: pd.DataFrame,
                      stage1) -> None:
    """Refuse a term that is constant or an exact linear function of its constructs'
    indicators (module docstring): its effect could not be told apart from the main effects."""
    items = list(dict.fromkeys(stage1.model.construct(term.iv).items
                               + stage1.model.construct(term.moderator).items))
    x = clean[items].to_numpy(float)
    x = np.column_stack([np.ones(len(x)), x])
    y = cols.to_numpy(float)
    resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    if term.method == "orthogonal":  # residuals by construction: compare with the products
        y = interaction_columns(Interaction(term.iv, term.moderator, "product_indicator"),
                                clean, stage1).to_numpy(float)
    scale = np.maximum(y.std(axis=0, ddof=1), 1e-300)
    dead = [str(c) for c, r, sd in zip(cols.columns, resid.std(axis=0, ddof=1), scale,
                                        strict=True) if not r > 1e-8 * sd]
    if dead:
        what = ("the square of" if term.is_quadratic else "the product of")
        raise ModelSpecificationError(
            f"interaction {term.name!r}: {what} {term.iv!r}"
            + ("" if term.is_quadratic else f" and {term.moderator!r}")
            + f" is undefined on these data: the generated indicator(s) {dead} are constant or "
            "an exact linear function of the indicators of the construct(s) (e.g. a two-valued "
            "item, whose square is a linear function of it), so the term's effect cannot be "
            "told apart from the main effect(s). What would work: drop the term, measure the "
            "construct with more than two values, or compare the groups the two values define "
            "(multi-group analysis).")


def estimate_moderated(data: pd.DataFrame, model: Model, estimate, **options):
    """Estimate a model with interaction terms (called by :func:`~helpers.pls.estimate_pls`,
    which passes itself as ``estimate``: this module sits below :mod:`.estimate` and never
    imports it).

    Returns the stage-2 :class:`~helpers.pls.estimate.PLSFit`; its ``model`` has each
    interaction term as a composite of its generated indicators, ``fit.interactions`` describes
    the terms, ``fit.stage1`` is the main-effects fit and ``fit.settings["interactions"]`` says
    how each term was built."""
    estimate_pls = estimate
    taken = {c.name for c in model.constructs}
    stage1 = estimate_pls(data, main_effects_model(model), **options)
    clean = pd.DataFrame(stage1.clean, index=stage1.index, columns=list(stage1.layout.items))
    constructs, generated, described = [], [], {}
    for c in model.constructs:
        if not isinstance(c, Interaction):
            constructs.append(c)
            continue
        cols = interaction_columns(c, clean, stage1)
        _check_identified(c, cols, clean, stage1)
        clash = sorted(set(cols.columns) & (set(clean.columns) | taken - {c.name}))
        if clash:
            raise ModelSpecificationError(
                f"interaction {c.name!r}: generated indicator name(s) {clash} already used in "
                "the model; rename those columns")
        generated.append(cols)
        constructs.append(Construct(c.name, tuple(cols.columns), "A"))
        described[c.name] = {"iv": c.iv, "moderator": c.moderator, "method": c.method,
                             "indicators": list(cols.columns)}
    augmented = pd.concat([clean, *generated], axis=1)
    stage2_model = Model(constructs, [Path(p.source, p.target) for p in model.structure])
    fit = estimate_pls(augmented, stage2_model, **options)
    _rescale_interactions(fit, augmented, described)
    fit.interactions = described
    fit.stage1 = stage1
    fit.specification = model
    for key in ("n_raw", "rows_dropped", "cells_replaced"):
        fit.settings[key] = stage1.settings[key]
    fit.settings["interactions"] = {
        name: (f"two-stage: product of the stage-1 scores of {d['iv']} and {d['moderator']}"
               if d["method"] == "two_stage" else
               f"product indicator: {len(d['indicators'])} products of the standardised "
               f"indicators of {d['iv']} and {d['moderator']}, Mode A"
               if d["method"] == "product_indicator" else
               f"orthogonalising: {len(d['indicators'])} products of the standardised "
               f"indicators of {d['iv']} and {d['moderator']}, each residualised (OLS with "
               "intercept) on their indicators, Mode A")
        for name, d in described.items()}
    return fit


def _rescale_interactions(fit, augmented: pd.DataFrame, described: dict) -> None:
    """Put each interaction term's score on its product scale (module docstring): scale
    ``a_j``, loadings times ``a_j``, outgoing paths over ``a_j``, total effects recomputed."""
    est = fit.estimates
    names = list(fit.layout.constructs)
    scale = np.ones(len(names))
    loadings, paths = est.loadings.copy(), est.paths.copy()
    for name, d in described.items():
        j = names.index(name)
        blk = fit.layout.blocks[j]
        lam = np.abs(loadings[0, blk, j])
        sd = augmented[d["indicators"]].std(ddof=1).to_numpy()
        scale[j] = float((sd * lam).sum() / lam.sum())
        loadings[:, blk, j] *= scale[j]
        paths[:, j, :] /= scale[j]
    est.loadings, est.paths = loadings, paths
    est.total = _total_effects(paths)
    fit.score_scale = scale
    for d, a in zip(described.values(), (scale[names.index(n)] for n in described),
                    strict=True):
        d["score_scale"] = a


def simple_slopes(fit, iv: str, moderator: str, target: str,
                  at=(-1.0, 0.0, 1.0)) -> pd.DataFrame:
    """Simple slopes of ``iv`` on ``target`` at moderator values ``at`` (SD units), from a fit
    with the interaction term ``"iv*moderator"``: one row per moderator value with the slope
    ``b_x + b_xm m`` and the predicted target at ``iv = -1, 0, +1``
    (``b_x x + b_xm x m + b_m m``)."""
    name = f"{iv}*{moderator}"
    terms = getattr(fit, "interactions", {})
    if name not in terms:
        raise ModelSpecificationError(
            f"the fit has no interaction term {name!r}; its terms: {sorted(terms)}")
    p = fit.path_coefficients
    if target not in fit.model.construct_names:
        raise ModelSpecificationError(
            f"{target!r} is not a construct of the model; constructs: "
            f"{fit.model.construct_names}")
    if not any(q.source == name and q.target == target for q in fit.model.structure):
        raise ModelSpecificationError(f"the model has no path {name} -> {target}")
    b_x, b_m, b_xm = (float(p.loc[s, target]) for s in (iv, moderator, name))
    rows = []
    for m in at:
        row = {"moderator_sd": float(m), "slope": b_x + b_xm * m}
        for x in (-1.0, 0.0, 1.0):
            row[f"y_at_{iv}_{x:+.0f}"] = b_x * x + b_xm * x * m + b_m * m
        rows.append(row)
    out = pd.DataFrame(rows)
    out.insert(0, "target", target)
    out.insert(0, "moderator", moderator)
    out.insert(0, "iv", iv)
    out.attrs["paths"] = {"iv": b_x, "moderator": b_m, "interaction": b_xm}
    out.attrs["method"] = terms[name]["method"]
    return out


def resample_stack(fit, counts: np.ndarray, chunk: int = 250, correlations: bool = False):
    """Re-estimate a moderated fit on every resample (rows of ``counts``, B x n over the rows of
    the data given to :func:`~helpers.pls.estimate_pls`), regenerating the interaction terms in
    each, as re-running the whole estimation on the resampled rows does (seminr's bootstrap;
    steps 1, 2 and 4 are shared with the higher-order bootstrap,
    :func:`~helpers.pls.twostage.resample_two_stage`):

    1. the missing-data treatment inside the resample (mean replacement by the resample's means
       of the observed values; listwise: incomplete rows get weight 0);
    2. the indicators standardised with the resample's means and SDs;
    3. two-stage: stage 1 (the main-effects model) on the resample, the term = product of its
       scores; product indicator: products of the resample's z-scores;
    4. stage 2 on the resample's correlation matrix of measured and generated indicators, and
       the rescaling of the terms to their product scale.

    Returns the engine estimates and the HTMT stack, like the plain bootstrap's (and, with
    ``correlations``, the stage-2 correlation matrices)."""
    s1, lay1, lay2 = fit.stage1, fit.stage1.layout, fit.layout
    names1 = list(lay1.items)
    n_b = np.shape(counts)[0]
    gen_sd = {name: np.empty((n_b, len(t["indicators"]))) for name, t in fit.interactions.items()}

    def terms(zs, weights1, w, rows):
        parts = []
        for name, term in fit.interactions.items():
            iv_idx = [names1.index(i) for i in s1.model.construct(term["iv"]).items]
            mod_idx = [names1.index(i) for i in s1.model.construct(term["moderator"]).items]
            if term["method"] == "two_stage":
                scores = zs @ weights1
                k_iv = lay1.constructs.index(term["iv"])
                k_mod = lay1.constructs.index(term["moderator"])
                g = (scores[:, :, k_iv] * scores[:, :, k_mod])[:, :, None]
            else:
                g = (zs[:, :, iv_idx][:, :, :, None] * zs[:, :, mod_idx][:, :, None, :]
                     ).reshape(zs.shape[0], zs.shape[1], -1)
            if term["method"] == "orthogonal":
                g = weighted_residuals(g, zs[:, :, list(dict.fromkeys(iv_idx + mod_idx))], w)
            parts.append(g)
            gen_sd[name][rows] = weighted_moments(g, w)[2]
        return parts

    generated = [item for t in fit.interactions.values() for item in t["indicators"]]
    est1, est, r2 = resample_two_stage(fit, counts, generated, terms, chunk)
    loadings, paths = est.loadings.copy(), est.paths.copy()
    for name in fit.interactions:
        j = lay2.constructs.index(name)
        blk = lay2.blocks[j]
        lam = np.abs(loadings[:, blk, j])
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = (gen_sd[name] * lam).sum(axis=1) / lam.sum(axis=1)
        loadings[:, blk, j] *= scale[:, None]
        paths[:, j, :] /= scale[:, None]
    est.loadings, est.paths, est.total = loadings, paths, _total_effects(paths)
    est.ok = est.ok & est1.ok
    if correlations:
        return est, htmt_batch(r2, lay2), r2
    return est, htmt_batch(r2, lay2)
