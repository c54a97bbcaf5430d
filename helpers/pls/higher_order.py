"""Higher-order constructs (Becker, Klein & Wetzels 2012; Sarstedt, Hair, Cheah, Becker &
Ringle 2019, Australas. Mark. J. 27:197-211; Hair et al. 2022, ch. 8), specified with
:func:`~helpers.pls.spec.higher_composite` (seminr's ``higher_composite``): a higher-order
construct (HOC) is a composite of lower-order constructs, its *dimensions*, which are measured
by indicators and have no structural paths of their own.

Three ways to estimate it:

* **repeated indicators** (``"repeated_indicators"``, one stage): the HOC is measured by all
  its dimensions' indicators once more (copies named ``"<item>@<HOC>"``) and tied to them by
  structural paths, HOC -> dimension for a Mode A HOC, dimension -> HOC for a Mode B HOC; the
  HOC keeps its own paths.  A Mode B HOC with antecedents is refused (its dimensions explain it
  completely, R² = 1, so the antecedents' paths are not identified).
* **embedded two-stage** (``"embedded"``): stage 1 is the repeated-indicators model; stage 2
  replaces each HOC's indicators by its dimensions' stage-1 scores and drops the dimensions.
  With reflective (PLSc) dimensions stage 1 is estimated without the correction: PLSc is not
  defined for a composite built from the reflective constructs' own indicators, and the
  weights and scores stage 2 needs are the same either way (repeated indicators is refused
  then).
* **disjoint two-stage** (``"two_stage"``, seminr's ``two_stage``): stage 1 leaves the HOC out
  and links its dimensions directly to the HOC's antecedents and outcomes (every path to or
  from the HOC becomes a path to or from each dimension); stage 2 as in the embedded approach.

In stage 2 the dimensions' scores (standardised, unit variance) are the HOC's indicators, with
the HOC's mode; the other constructs keep the stage-1 data after its missing-data treatment (as
seminr).  The returned fit is the stage-2 fit (for repeated indicators: the only one);
``fit.stage1`` is the stage-1 fit, ``fit.higher_order`` describes each HOC, and
``fit.specification`` is the model as specified.

Quality criteria at both levels (:func:`higher_order_quality`): the dimensions' measurement
model (reliability, AVE, HTMT among the dimensions, outer VIF) from the stage-1 fit (the
repeated-indicators fit itself for that method); the HOC's measurement model -- its weights,
loadings and VIF on the dimensions (for Mode A also alpha, rho_A, rho_C and AVE) -- and the
structural model from the stage-2 fit.

The bootstrap (:func:`resample_higher_order`, used by :func:`~helpers.pls.bootstrap_model`) runs
both stages in every resample, as re-estimating the whole model on the resampled rows does:
stage 1 on the resample, the dimensions' scores from the resample's stage-1 weights and
standardisation, stage 2 on the resample's correlation matrix of the stage-2 indicators and
those scores.  The repeated-indicators fit is one PLS model and is bootstrapped as such.

Methods that rerun both stages on other rows use the stage-1 transformations of those rows'
own estimate: multi-group analysis (:mod:`helpers.pls.mga`, every group and permuted group),
PLSpredict (:mod:`helpers.pls.predict_staged`, every training fold; a row's dimension scores
from the fold's stage-1 means, SDs and weights, :func:`dimension_columns`) and prediction for
new data (:mod:`helpers.pls.newdata`, the fit's stage 1).  IPMA maps the stage-2 model with each
dimension's score rescaled to the dimension's performance (:mod:`helpers.pls.ipma`).  Refused
with the reason: MICOM (the HOC's indicators are scores estimated within each group; run it on
``fit.stage1``), PLSpredict of a model whose HOC is endogenous (its stage-2 indicators are not
observations), and a model with both higher-order constructs and interaction terms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .engine import htmt_batch
from .spec import Construct, HigherComposite, Model, ModelSpecificationError, Path
from .twostage import resample_two_stage


def _method(model: Model) -> str:
    methods = sorted({h.method for h in model.higher_order})
    if len(methods) > 1:
        raise ModelSpecificationError(
            f"the higher-order constructs of one model must share a method; got {methods}. "
            "Choose one of them for all.")
    return methods[0]


def copy_name(item: str, hoc: str) -> str:
    """The repeated indicator of ``item`` in the higher-order construct ``hoc``."""
    return f"{item}@{hoc}"


def first_stage(model: Model) -> tuple[Model, dict[str, str]]:
    """The stage-1 model (module docstring) and the repeated indicators it needs, as
    ``{copy: original item}``."""
    method = _method(model)
    hocs = {h.name: h for h in model.higher_order}
    copies: dict[str, str] = {}
    if method == "two_stage":
        expand = {n: (list(hocs[n].dimensions) if n in hocs else [n])
                  for n in model.construct_names}
        structure = list(dict.fromkeys(Path(a, b) for p in model.structure
                                       for a in expand[p.source] for b in expand[p.target]))
        constructs = [c for c in model.constructs if c.name not in hocs]
        return Model(constructs, structure), copies
    constructs, structure = [], list(model.structure)
    for c in model.constructs:
        if c.name not in hocs:
            constructs.append(c)
            continue
        items = []
        for d in c.dimensions:
            for item in model.construct(d).items:
                copies[copy_name(item, c.name)] = item
                items.append(copy_name(item, c.name))
        constructs.append(Construct(c.name, tuple(items), c.mode))
        structure += [Path(c.name, d) if c.mode == "A" else Path(d, c.name)
                      for d in c.dimensions]
    return Model(constructs, structure), copies


def second_stage(model: Model) -> Model:
    """The stage-2 model: each HOC measured by its dimensions' scores, the dimensions dropped."""
    dims = {d for h in model.higher_order for d in h.dimensions}
    constructs = [Construct(c.name, c.dimensions, c.mode) if isinstance(c, HigherComposite)
                  else c for c in model.constructs if c.name not in dims]
    return Model(constructs, list(model.structure))


def estimate_higher_order(data: pd.DataFrame, model: Model, estimate, **options):
    """Estimate a model with higher-order constructs (called by
    :func:`~helpers.pls.estimate_pls`, which passes itself as ``estimate``)."""
    method = _method(model)
    stage1_model, copies = first_stage(model)
    taken = {str(c) for c in data.columns}
    clash = sorted(set(copies) & taken)
    if clash:
        raise ModelSpecificationError(
            f"repeated indicator name(s) {clash} are already data columns; rename them")
    missing = sorted({v for v in copies.values() if v not in taken})
    if missing:
        raise ModelSpecificationError(
            f"indicator(s) {missing} of the dimensions are not columns of the data; data "
            f"columns: {sorted(taken)}")
    reflective = [d for h in model.higher_order for d in h.dimensions
                  if model.construct(d).is_reflective]
    options1 = dict(options)
    if reflective and options.get("consistent", True) and method != "two_stage":
        if method == "repeated_indicators":
            raise ModelSpecificationError(
                f"dimension(s) {reflective} are reflective (PLSc), and with repeated indicators "
                "the higher-order composite is built from their own indicators: its corrected "
                "correlations with them are not defined. What would work: method='two_stage' "
                "or 'embedded', or consistent=False.")
        options1["consistent"] = False  # embedded stage 1: weights and scores only
    data1 = data.assign(**{k: data[v] for k, v in copies.items()}) if copies else data
    stage1 = estimate(data1, stage1_model, **options1)
    described = {h.name: {"dimensions": list(h.dimensions), "method": h.method, "mode": h.mode}
                 for h in model.higher_order}
    text = {"two_stage": "disjoint two-stage: stage 1 links the dimensions to the HOC's "
                         "neighbours, stage 2 measures the HOC by the dimensions' scores",
            "embedded": "embedded two-stage: stage 1 repeats the dimensions' indicators on "
                        "the HOC, stage 2 measures the HOC by the dimensions' scores",
            "repeated_indicators": "repeated indicators: the HOC measured by its dimensions' "
                                   "indicators, tied to them by paths"}[method]
    if method == "repeated_indicators":
        fit = stage1
        fit.stage1 = None
    else:
        dims = [d for h in model.higher_order for d in h.dimensions]
        clash = sorted(set(dims) & set(stage1.layout.items))
        if clash:
            raise ModelSpecificationError(
                f"dimension name(s) {clash} are also indicator names; the dimensions' scores "
                "become stage-2 indicators under their construct names: rename the constructs")
        clean = pd.DataFrame(stage1.clean, index=stage1.index, columns=list(stage1.layout.items))
        augmented = pd.concat([clean, stage1.scores[dims]], axis=1)
        fit = estimate(augmented, second_stage(model), **options)
        fit.stage1 = stage1
        for key in ("n_raw", "rows_dropped", "cells_replaced"):
            fit.settings[key] = stage1.settings[key]
    fit.higher_order = described
    fit.specification = model
    fit.settings["higher_order"] = {name: f"Mode {d['mode']} on {d['dimensions']}; {text}"
                                    for name, d in described.items()}
    return fit


def two_stage(fit) -> bool:
    """True for a fit estimated in two stages (disjoint or embedded), whose higher-order
    constructs are measured by their dimensions' stage-1 scores."""
    return bool(getattr(fit, "higher_order", None)) and fit.stage1 is not None


def dimension_columns(fit, rows: pd.DataFrame) -> pd.DataFrame:
    """The dimensions' scores of ``rows`` -- the stage-2 indicators of the higher-order
    constructs -- built with the *training* transformations of the two-stage ``fit``: each
    dimension's indicators standardised with the stage-1 means and SDs and weighted by the
    stage-1 weights (nothing is re-estimated from ``rows``).  ``rows`` holds the stage-1
    indicators; only the dimensions' are read and they must be complete."""
    s1 = fit.stage1
    lay1 = s1.layout
    out = {}
    for d in (d for h in fit.higher_order.values() for d in h["dimensions"]):
        j = lay1.constructs.index(d)
        blk = lay1.blocks[j]
        z = (rows[[lay1.items[i] for i in blk]].to_numpy(float) - s1.mean[blk]) / s1.sd[blk]
        out[d] = z @ s1.estimates.weights[0][blk, j]
    return pd.DataFrame(out, index=rows.index)


def resample_higher_order(fit, counts: np.ndarray, chunk: int = 250, correlations: bool = False):
    """Both stages of a two-stage higher-order fit on every resample (rows of ``counts``, B x n
    over the rows of the data given to :func:`~helpers.pls.estimate_pls`): the missing-data
    treatment and standardisation inside the resample, stage 1, the dimensions' scores from the
    resample's stage-1 weights, stage 2 on the correlations of the stage-2 indicators and those
    scores (:func:`~helpers.pls.twostage.resample_two_stage`).  Returns the stage-2 engine
    estimates and HTMT stack, like the plain bootstrap's (and, with ``correlations``, the
    stage-2 correlation matrices)."""
    lay1 = fit.stage1.layout
    dims = [d for h in fit.higher_order.values() for d in h["dimensions"]]
    k_dims = [lay1.constructs.index(d) for d in dims]

    def dimension_scores(zs, weights1, w, rows):
        return [(zs @ weights1)[:, :, k_dims]]

    est1, est, r2 = resample_two_stage(fit, counts, dims, dimension_scores, chunk)
    # stage 1 supplies weights and scores: its convergence matters, not its PLSc admissibility
    est.ok = est.ok & est1.converged & np.isfinite(est1.weights).all(axis=(1, 2))
    if correlations:
        return est, htmt_batch(r2, fit.layout), r2
    return est, htmt_batch(r2, fit.layout)


def higher_order_quality(fit) -> dict[str, pd.DataFrame]:
    """Quality criteria at both levels (module docstring): ``"dimensions"`` (reliability and
    AVE of each dimension), ``"dimensions_htmt"``, ``"dimensions_indicators"`` (their
    indicators' weights, loadings and VIF), ``"higher_order"`` (reliability of each HOC on its
    dimensions; meaningful for Mode A) and ``"higher_order_measurement"`` (the HOCs' weights,
    loadings and VIF on their dimensions)."""
    if not getattr(fit, "higher_order", None):
        raise ModelSpecificationError("the fit has no higher-order construct")
    lower = fit.stage1 if fit.stage1 is not None else fit
    dims = [d for h in fit.higher_order.values() for d in h["dimensions"]]
    hocs = list(fit.higher_order)
    table = lower.measurement_table
    htmt = lower.htmt.loc[dims, dims]
    out = {
        "dimensions": lower.reliability.loc[dims],
        "dimensions_htmt": htmt,
        "dimensions_indicators": table[table["construct"].isin(dims)],
        "higher_order": fit.reliability.loc[hocs],
    }
    if fit.stage1 is not None:
        top = fit.measurement_table
        out["higher_order_measurement"] = top[top["construct"].isin(hocs)]
    else:  # repeated indicators: the HOC's relation to each dimension is a structural path
        rows = [{"higher_order": h, "dimension": d,
                 "path": (fit.path_coefficients.loc[h, d] if info["mode"] == "A"
                          else fit.path_coefficients.loc[d, h])}
                for h, info in fit.higher_order.items() for d in info["dimensions"]]
        out["higher_order_measurement"] = pd.DataFrame(rows)
    return out
