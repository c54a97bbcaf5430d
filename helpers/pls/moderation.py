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
  with the n - 1 SD), ``z_xi * z_mj`` with X's items varying slowest, form a Mode A composite.

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

Not implemented: the bootstrap and PLSpredict of a moderated model (each resample or fold would
have to regenerate the terms); both refuse such a fit with a clear error.

**Simple slopes** at moderator values ``m`` (in SD units, default -1, 0, +1): the effect of X on
Y is ``b_x + b_xm m``; :func:`simple_slopes` tabulates the slopes and the predicted Y at
``X = -1, 0, +1`` (seminr's ``slope_analysis`` plots the same nine points,
``b_x x + b_xm x m + b_m m``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .spec import Construct, Interaction, Model, ModelSpecificationError, Path


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
    return pd.DataFrame(cols, index=clean.index)


def estimate_moderated(data: pd.DataFrame, model: Model, **options):
    """Estimate a model with interaction terms (called by :func:`~helpers.pls.estimate_pls`).

    Returns the stage-2 :class:`~helpers.pls.estimate.PLSFit`; its ``model`` has each
    interaction term as a composite of its generated indicators, ``fit.interactions`` describes
    the terms, ``fit.stage1`` is the main-effects fit and ``fit.settings["interactions"]`` says
    how each term was built."""
    from .estimate import estimate_pls

    taken = {c.name for c in model.constructs}
    stage1 = estimate_pls(data, main_effects_model(model), **options)
    clean = pd.DataFrame(stage1.clean, index=stage1.index, columns=list(stage1.layout.items))
    constructs, generated, described = [], [], {}
    for c in model.constructs:
        if not isinstance(c, Interaction):
            constructs.append(c)
            continue
        cols = interaction_columns(c, clean, stage1)
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
               f"indicators of {d['iv']} and {d['moderator']}, Mode A")
        for name, d in described.items()}
    return fit


def _rescale_interactions(fit, augmented: pd.DataFrame, described: dict) -> None:
    """Put each interaction term's score on its product scale (module docstring): scale
    ``a_j``, loadings times ``a_j``, outgoing paths over ``a_j``, total effects recomputed."""
    from .engine import _total_effects

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
