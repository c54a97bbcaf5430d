"""PLSpredict of a model estimated in stages -- a moderated model (interaction or quadratic
terms) or a two-stage higher-order model -- by re-estimating it fold by fold:
:func:`predict_pls` of :mod:`helpers.pls` hands such a fit here; any other fit goes to the
batched :func:`helpers.pls.predict.predict_pls` unchanged.

For each training fold the whole moderated model is re-estimated on the training rows
(:func:`~helpers.pls.estimate_pls`: stage 1, the terms, stage 2, as in the full-sample fit), and
every row is predicted from that fold's model -- the held-out rows for the out-of-sample metrics,
the training rows for the in-sample ones, as :mod:`helpers.pls.predict` defines them.  A row's
generated indicators are built with the *training* transformations:

* product indicator: products of the row's items standardised with the training means and SDs;
* orthogonalising: those products minus the training OLS fit on the items (the training
  coefficients applied to the row);
* two-stage: the product of the row's stage-1 scores, from the training stage-1 weights and
  standardisation

(:func:`helpers.pls.moderation.generated_columns`, shared with prediction for new data).

A two-stage higher-order model is re-estimated fold by fold in the same way (stage 1, the
dimensions' scores, stage 2), and a row's stage-2 indicators of a higher-order construct are
its dimensions' scores from the *training* stage-1 standardisation and weights
(:func:`helpers.pls.higher_order.dimension_columns`).  The predicted indicators are those of the
endogenous constructs measured by observed indicators; a higher-order construct that is
endogenous is refused (its stage-2 indicators are scores, not observations: predict its
dimensions' indicators from the repeated-indicators estimate, or the first-stage model).  The
LM benchmark uses the dimensions' indicators for an exogenous higher-order construct.

The row's stage-2 indicators are standardised with the training stage-2 means and SDs and
weighted by the training weights; the terms' scores are put on their product scale
(:mod:`helpers.pls.moderation`), consistently with the rescaled paths.  Predicted construct
scores (DA or EA) and indicators ``x^ = mean + sd * lambda * Y^`` follow as in
:mod:`helpers.pls.predict`.  The LM benchmark regresses each indicator on the measured
indicators of the exogenous constructs (``"exogenous"``; interaction terms are left out, their
indicators being generated) or of the construct's measured direct antecedents
(``"antecedents"``), by OLS on the training rows.  The folds are re-estimated one by one (a
moderated model's terms differ per fold), so this is slower than the batched PLSpredict.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .estimate import PLSFit, estimate_pls
from .higher_order import first_stage, two_stage
from .newdata import predicted_scores, stage_two_matrix
from .predict import (
    BENCHMARKS,
    TECHNIQUES,
    PredictResult,
    _fold_matrix,
    finished,
    fold_tables,
    shared_settings,
)
from .predict import predict_pls as _plain_predict_pls
from .spec import ModelSpecificationError


def predict_pls(fit: PLSFit, technique: str = "DA", folds: int | str = 10, repeats: int = 1,
                seed: int | None = None, fold_matrix=None, benchmark: str = "exogenous"
                ) -> PredictResult:
    """PLSpredict (arguments and reading as :func:`helpers.pls.predict.predict_pls`); a fit with
    interaction or quadratic terms is predicted as the module docstring says."""
    hocs = fit.higher_order if two_stage(fit) else {}
    if not getattr(fit, "interactions", None) and not hocs:
        return _plain_predict_pls(fit, technique=technique, folds=folds, repeats=repeats,
                                  seed=seed, fold_matrix=fold_matrix, benchmark=benchmark)
    if technique not in TECHNIQUES:
        raise ValueError(f"technique must be one of {TECHNIQUES}, got {technique!r}")
    if benchmark not in BENCHMARKS:
        raise ValueError(f"benchmark must be one of {BENCHMARKS}, got {benchmark!r}")
    if int(repeats) != repeats or repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    s1, lay = fit.stage1, fit.layout
    items1 = list(s1.layout.items)
    x = s1.clean
    n = x.shape[0]
    fm, source = _fold_matrix(n, folds, int(repeats), seed, fold_matrix)
    n_rep, k = fm.shape[0], int(fm.max()) + 1
    test = (fm[:, None, :] == np.arange(k)[None, :, None]).reshape(-1, n)
    terms = set(fit.interactions)
    endo = lay.endogenous
    if any(lay.constructs[j] in terms for j in endo):
        raise ModelSpecificationError("an interaction term cannot be predicted (it is endogenous "
                                      "in this model)")
    endo_hocs = sorted(lay.constructs[j] for j in endo if lay.constructs[j] in hocs)
    if endo_hocs:
        raise ModelSpecificationError(
            f"PLSpredict of a two-stage model whose higher-order construct(s) {endo_hocs} are "
            "endogenous is not defined: their stage-2 indicators are the dimensions' scores, "
            "not observations. What would work: estimate the model with "
            "method='repeated_indicators' (one PLS model, predicted as usual), or predict the "
            "first-stage model, predict_pls(fit.stage1).")

    def measured(j: int) -> list[str]:  # the LM benchmark's predictors of construct j
        name = lay.constructs[j]
        if name in terms:
            return []
        if name in hocs:
            return [i for d in hocs[name]["dimensions"] for i in s1.model.construct(d).items]
        return [lay.items[i] for i in lay.blocks[j]]
    names = [lay.items[i] for j in endo for i in lay.blocks[j]]
    constructs = [lay.constructs[j] for j in endo for _ in lay.blocks[j]]
    cols = [items1.index(i) for i in names]
    frame = pd.DataFrame(x, columns=items1)
    if hocs:  # an embedded stage 1 repeats indicators on the HOC: give the originals only
        frame = frame[[i for i in items1 if i not in first_stage(fit.specification)[1]]]
    options = {"inner_weighting": fit.inner_weighting, "missing": "mean",
               "max_iter": fit.max_iter, "stop_criterion": fit.stop_criterion,
               "consistent": fit.consistent}
    pls = np.empty((test.shape[0], n, len(names)))
    lm = np.full_like(pls, np.nan)
    level = np.empty((test.shape[0], len(names)))
    exo_measured = [j for j, p in enumerate(lay.predecessors) if not p]
    for f, held in enumerate(test):
        train = frame[~held].reset_index(drop=True)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ft = estimate_pls(train, fit.specification, **options)
        except ModelSpecificationError as error:
            raise ModelSpecificationError(
                f"fold {f % k} (repeat {f // k}): the model cannot be re-estimated on "
                f"its {int((~held).sum())} training rows: {error}") from None
        if not ft.converged:
            raise ModelSpecificationError(
                f"the re-estimation did not converge on fold {f % k} (repeat {f // k}); "
                "predictions are undefined")
        pred = predicted_scores(ft, stage_two_matrix(ft, frame), range(len(lay.constructs)),
                                technique)
        lam = np.array([ft.estimates.loadings[0, ft.layout.items.index(i),
                                              ft.layout.constructs.index(c)]
                        for i, c in zip(names, constructs, strict=True)])
        mean2 = ft.mean[[ft.layout.items.index(i) for i in names]]
        sd2 = ft.sd[[ft.layout.items.index(i) for i in names]]
        owner = [ft.layout.constructs.index(c) for c in constructs]
        pls[f] = mean2 + sd2 * lam * pred[:, owner]
        level[f] = mean2
        # LM benchmark on the training rows
        xt = x[~held]
        for j in sorted(set(owner)):
            sources = exo_measured if benchmark == "exogenous" else lay.predecessors[j]
            preds = [items1.index(i) for s in sources for i in measured(s)]
            ys = [m for m, c in enumerate(constructs) if lay.constructs.index(c) == j]
            if len(preds) + 1 >= xt.shape[0]:
                continue
            design = np.column_stack([np.ones(len(xt)), xt[:, preds]])
            beta = np.linalg.lstsq(design, xt[:, [cols[m] for m in ys]], rcond=None)[0]
            lm[f][:, ys] = np.column_stack([np.ones(n), x[:, preds]]) @ beta
    table, by_repeat, predictions = fold_tables(x[:, cols], pls, lm, level, fm, s1.index,
                                                names, constructs)
    settings = {
        "method": ("PLSpredict (Shmueli et al. 2016, 2019) of a moderated model: every training "
                   "fold re-estimates the model and rebuilds the terms with its own "
                   "transformations (helpers.pls.predict_staged)" if terms else
                   "PLSpredict (Shmueli et al. 2016, 2019) of a two-stage higher-order model: "
                   "every training fold re-estimates the model (both stages) and scores the "
                   "dimensions with its own stage-1 transformations "
                   "(helpers.pls.predict_staged)"),
        "technique": {"DA": "direct antecedents", "EA": "earliest antecedents"}[technique],
        "folds": k, "repeats": n_rep, "folds_source": source,
        "interactions": {name: t["method"] for name, t in fit.interactions.items()},
        "higher_order": {name: h["method"] for name, h in hocs.items()},
        "benchmark": ("LM: each indicator on the measured exogenous constructs' indicators"
                      if benchmark == "exogenous" else
                      "LM: each indicator on its measured direct antecedents' indicators")
                     + ", with intercept (interaction terms left out; a higher-order construct "
                       "by its dimensions' indicators)",
        **shared_settings(fit, n),
    }
    return finished(table, by_repeat, predictions, fm, settings)
