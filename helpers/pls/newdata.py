"""Prediction for new data from a fitted model: :func:`predict_new` (``fit.predict(new_data)``).

The fitted model is applied as it stands, with nothing re-estimated (as seminr's
``predict(model, testData)``):

1. standardise the new rows with the *fit's* indicator means and SDs, ``z = (x - mean) / sd``;
2. construct scores ``Y = z W`` with the fit's outer weights;
3. predicted construct scores: direct antecedents (``"DA"``, default), each endogenous construct
   from its predecessors' scores, ``Y^_c = sum_k Y_k beta_kc``; or earliest antecedents
   (``"EA"``), from the exogenous scores forward through the paths (only the exogenous
   constructs' indicators are needed); exogenous constructs keep their scores;
4. predicted indicators ``x^ = mean + sd * lambda * Y^_c`` for every indicator (for an exogenous
   construct this reproduces its indicators from its own score, as seminr reports them).

For PLSc fits ``lambda`` are the consistent loadings and ``beta`` the corrected paths (the same
convention as :func:`~helpers.pls.predict_pls` and seminr).  Missing values in the indicators the
prediction needs are replaced by the fit's means when the fit used mean replacement; with
listwise deletion such rows are refused.

A **moderated fit** (interaction or quadratic terms) predicts from the measured indicators
alone: each term's generated indicators are built from the new rows with the *training*
transformations (:func:`helpers.pls.moderation.generated_columns`: the training means and SDs
for the z-scores and their products, the training stage-1 weights for the two-stage product,
the training OLS coefficients for orthogonalising), then standardised with the fit's stage-2
means and SDs like every indicator, weighted, and put on the term's product scale
(``fit.score_scale``), which matches the rescaled paths.  The term needs its two constructs'
indicators whichever technique is used; predicted indicators are reported for the measured
indicators only.

A **two-stage higher-order fit** predicts the same way: the higher-order constructs' stage-2
indicators, their dimensions' scores, are built from the new rows with the training stage-1
means, SDs and weights (:func:`helpers.pls.higher_order.dimension_columns`); a higher-order
construct needs its dimensions' indicators.  A repeated-indicators fit is one PLS model; the
higher-order construct's copies of its dimensions' indicators are taken from the new rows'
originals.  When the new data also hold the endogenous
constructs' indicators, the residuals and per-indicator RMSE and MAE are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .higher_order import dimension_columns, first_stage, two_stage
from .implied import causal_order
from .moderation import generated_columns
from .settings import settings_text
from .spec import ModelSpecificationError

TECHNIQUES = ("DA", "EA")


@dataclass
class NewDataPrediction:
    """``items``: predicted indicators (rows of the new data x indicators); ``scores``:
    predicted construct scores; ``residuals`` and ``metrics`` (RMSE, MAE per endogenous
    indicator) when the new data hold those indicators; ``settings``."""

    items: pd.DataFrame
    scores: pd.DataFrame
    residuals: pd.DataFrame | None
    metrics: pd.DataFrame | None
    settings: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"predicted_items": self.items, "predicted_scores": self.scores}
        if self.residuals is not None:
            out["residuals"] = self.residuals
            out["prediction_metrics"] = self.metrics
        return out

    def summary(self) -> str:
        parts = ["Prediction for new data", settings_text(self.settings)]
        if self.metrics is not None:
            parts += ["", self.metrics.round(4).to_string()]
        text = "\n".join(parts)
        print(text)
        return text


def _needed_constructs(fit, technique: str) -> list[int]:
    """The constructs whose scores the ``technique`` needs: the exogenous ones (EA), or every
    predecessor of an endogenous construct (DA)."""
    lay = fit.layout
    exo = [j for j, p in enumerate(lay.predecessors) if not p]
    if technique == "EA":
        return exo
    return sorted(set(exo) | {k for j in lay.endogenous for k in lay.predecessors[j]})


def _needed_items(fit, constructs: list[int]) -> list[str]:
    """The measured indicators the scores of ``constructs`` are built from (an interaction
    term's: its two constructs' indicators)."""
    lay, items = fit.layout, []
    hocs = fit.higher_order if two_stage(fit) else {}
    for j in constructs:
        name = lay.constructs[j]
        term = fit.interactions.get(name)
        if term is not None:
            sources = [term["iv"], term["moderator"]]
        elif name in hocs:
            sources = hocs[name]["dimensions"]
        else:
            items += [lay.items[i] for i in lay.blocks[j]]
            continue
        items += [i for c in sources for i in fit.stage1.model.construct(c).items]
    return list(dict.fromkeys(items))


def stage_two_matrix(fit, measured: pd.DataFrame) -> np.ndarray:
    """The fit's indicator matrix (rows x ``fit.layout.items``, raw units) from the measured
    indicators: for a moderated fit the terms' generated indicators are added
    (:func:`~helpers.pls.moderation.generated_columns`), for a two-stage higher-order fit the
    dimensions' scores (:func:`~helpers.pls.higher_order.dimension_columns`)."""
    if fit.interactions:
        measured = pd.concat([measured, generated_columns(fit, measured)], axis=1)
    elif two_stage(fit):
        measured = pd.concat([measured, dimension_columns(fit, measured)], axis=1)
    return measured[list(fit.layout.items)].to_numpy(float)


def predicted_scores(fit, x: np.ndarray, constructs, technique: str) -> np.ndarray:
    """Predicted construct scores (rows x K) of the indicator matrix ``x`` (raw units, columns
    ``fit.layout.items``; only the blocks of ``constructs`` are read): scores from the fit's
    standardisation and weights (an interaction term's on its product scale), then DA or EA
    through the paths (module docstring)."""
    lay = fit.layout
    z = (x - fit.mean) / fit.sd
    w = fit.estimates.weights[0]
    scores = np.zeros((len(x), len(lay.constructs)))
    for j in constructs:
        blk = lay.blocks[j]
        scores[:, j] = z[:, blk] @ w[blk, j] * fit.score_scale[j]
    paths = fit.estimates.paths[0]
    pred = scores.copy()
    if technique == "DA":
        for j in lay.endogenous:
            pred[:, j] = scores @ paths[:, j]
    else:
        for j in causal_order(lay):
            if lay.predecessors[j]:
                pred[:, j] = pred @ paths[:, j]
    return pred


def predict_new(fit, new_data: pd.DataFrame, technique: str = "DA") -> NewDataPrediction:
    """Predict ``new_data`` (one row per new observation) from ``fit``, a
    :class:`~helpers.pls.estimate.PLSFit` (module docstring; not imported here, as the fit's
    ``predict`` method calls this function)."""
    if technique not in TECHNIQUES:
        raise ValueError(f"technique must be one of {TECHNIQUES}, got {technique!r}")
    if not isinstance(new_data, pd.DataFrame):
        raise TypeError(f"new_data must be a pandas DataFrame, got {type(new_data).__name__}")
    if fit.higher_order and fit.stage1 is None:  # repeated indicators: copy the originals
        copies = first_stage(fit.specification)[1]
        new_data = new_data.assign(**{c: new_data[o] for c, o in copies.items()
                                      if o in new_data.columns and c not in new_data.columns})
    lay = fit.layout
    # the fit of the measured indicators: a moderated or two-stage fit's stage 1
    base = fit.stage1 if fit.interactions or two_stage(fit) else fit
    measured = list(base.layout.items)
    needed_constructs = _needed_constructs(fit, technique)
    needed = _needed_items(fit, needed_constructs)
    columns = {str(c): c for c in new_data.columns}
    absent = [i for i in needed if i not in columns]
    if absent:
        hint = (" With technique='EA' only the exogenous constructs' indicators are needed."
                if technique == "DA" else "")
        if fit.interactions:
            hint += (" An interaction term needs the indicators of both its constructs "
                     f"({ {n: [t['iv'], t['moderator']] for n, t in fit.interactions.items()} }).")
        if two_stage(fit):
            hint += (" A higher-order construct needs its dimensions' indicators "
                     f"({ {n: h['dimensions'] for n, h in fit.higher_order.items()} }).")
        raise ModelSpecificationError(
            f"new_data lacks indicator(s) {absent} that the {technique} prediction needs."
            + hint)
    x = np.full((len(new_data), len(measured)), np.nan)
    for k, item in enumerate(measured):
        if item in columns:
            col = new_data[columns[item]]
            if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
                raise ModelSpecificationError(f"indicator {item!r} of new_data is not numeric")
            x[:, k] = col.to_numpy(dtype=float, na_value=np.nan)
    idx_needed = [measured.index(i) for i in needed]
    holes = np.isnan(x[:, idx_needed])
    n_filled = int(holes.sum())
    if n_filled:
        if fit.missing != "mean":
            rows = np.flatnonzero(holes.any(axis=1)).tolist()
            raise ModelSpecificationError(
                f"new_data rows {rows[:10]} have missing values in indicators the prediction "
                "needs, and the fit used listwise deletion; drop those rows or fit with "
                "missing='mean'.")
        sub = x[:, idx_needed]
        sub[holes] = np.take(base.mean[idx_needed], np.nonzero(holes)[1])
        x[:, idx_needed] = sub
    x2 = stage_two_matrix(fit, pd.DataFrame(x, index=new_data.index, columns=measured))
    pred = predicted_scores(fit, x2, needed_constructs, technique)
    loadings = fit.estimates.loadings[0]
    owner = np.argmax(lay.membership, axis=1)
    lam = loadings[np.arange(len(lay.items)), owner]
    xhat = fit.mean + fit.sd * lam * pred[:, owner]
    shown = [k for k, item in enumerate(lay.items) if item in measured]
    items = pd.DataFrame(xhat[:, shown], index=new_data.index,
                         columns=[lay.items[k] for k in shown])
    score_frame = pd.DataFrame(pred, index=new_data.index, columns=list(lay.constructs))
    endo_items = [lay.items[i] for j in lay.endogenous for i in lay.blocks[j]]
    residuals = metrics = None
    if all(i in columns for i in endo_items):
        actual = pd.DataFrame({i: new_data[columns[i]].to_numpy(dtype=float) for i in endo_items},
                              index=new_data.index)
        residuals = actual - items[endo_items]
        metrics = pd.DataFrame({"rmse": np.sqrt((residuals**2).mean()),
                                "mae": residuals.abs().mean(),
                                "n": residuals.notna().sum()})
        metrics.index.name = "indicator"
    settings = {
        "method": "prediction for new data from the fitted model (no re-estimation)",
        "technique": {"DA": "direct antecedents", "EA": "earliest antecedents"}[technique],
        "standardisation": "the fit's indicator means and SDs (n - 1)",
        "loadings": "consistent loadings and corrected paths (PLSc)" if lay.consistent
                    else "loadings and paths of the fit",
        "missing": f"{n_filled} missing cell(s) in needed indicators replaced by the fit's means"
                   if n_filled else "no missing values in the needed indicators",
        "n_new": int(len(new_data)),
        "n_fit": fit.n_obs,
    }
    if fit.interactions:
        settings["interactions"] = {
            name: f"{t['method']}: generated from the new rows with the training "
                  "transformations, scored on the product scale"
            for name, t in fit.interactions.items()}
    return NewDataPrediction(items=items, scores=score_frame, residuals=residuals,
                             metrics=metrics, settings=settings)
