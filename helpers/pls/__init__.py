"""PLS-SEM (partial least squares structural equation modelling) for the study.

A small, readable estimator on numpy, validated against R seminr's reference results::

    from helpers.pls import Model, composite, single_item, relationships, paths
    from helpers.pls import estimate_pls, bootstrap_model, ipma, read_model

    model = Model(constructs=[composite("Image", ["IMAG1", "IMAG2"]), ...],
                  structure=relationships(paths(from_="Image", to=["Satisfaction"]), ...))
    fit = estimate_pls(data, model)              # path weighting, mean replacement
    fit.summary()                                # settings + paths, R², reliability, HTMT
    boot = bootstrap_model(fit, n_boot=5000, seed=2023)
    boot = bootstrap_model(fit, n_boot=5000, seed=2023, sign_change="construct")
                                                 # construct-level sign-change correction
    imp = ipma(fit, target="Satisfaction")
    pred = predict_pls(fit, folds=10, repeats=10, seed=1)   # PLSpredict; folds="loo"
    mga = estimate_pls_mga(fit, data["city"] == "Astana", n_boot=2000, n_perm=1000, seed=1)
                                                 # Henseler + permutation tests, MICOM step 2
    specific_effect_significance(boot, "Image", "Loyalty", through=["Satisfaction"])
    model_fit(fit); test_exact_fit(fit, n_boot=5000, seed=1)   # SRMR, d_ULS, d_G + exact-fit test
    htmt2(fit); htmt_inference(fit, n_boot=5000, seed=1)     # HTMT2, intervals, 0.85/0.90 tests
    cvpat(fit, folds=10, repeats=10, seed=1)                 # CVPAT against IA and LM
    fit.predict(new_data)                                    # prediction for new data
    mediation_table(boot, "Image", "Loyalty")   # every specific indirect effect + the total

    # consistent PLS: declare reflective constructs (seminr's reflective())
    model = Model(constructs=[reflective("Image", multi_items("IMAG", range(1, 6))), ...], ...)
    fit = estimate_pls(data, model)              # PLSc; estimate_pls(..., consistent=False): PLS

Modules: :mod:`.spec` (model specification, YAML/CSV), :mod:`.engine` (the algorithm on
correlation matrices, batched), :mod:`.estimate` (data handling and results), :mod:`.quality`
(reliability, validity, VIF, f²), :mod:`.bootstrap`, :mod:`.ipma`, :mod:`.consistent` (PLSc),
:mod:`.predict` (PLSpredict), :mod:`.moderation` (interaction terms, simple slopes),
:mod:`.mga` (multi-group analysis, MICOM step 2), :mod:`.mediation` (specific indirect effects),
:mod:`.fit` (model fit, exact-fit test), :mod:`.htmt` (HTMT2, HTMT inference), :mod:`.cvpat`,
:mod:`.newdata` (prediction for new data).
"""

from .bootstrap import BootstrapResult, BootstrapWarning, bootstrap_model
from .consistent import compare_paths
from .cvpat import CVPATResult, cvpat
from .estimate import PLScInadmissibleWarning, PLSConvergenceWarning, PLSFit, estimate_pls
from .fit import ExactFitTest, ModelFit, ModelFitWarning, model_fit, test_exact_fit
from .htmt import HTMTInference, htmt2, htmt_inference
from .ipma import IPMAResult, ipma
from .mediation import mediation_table, specific_effect_significance, specific_indirect_effects
from .mga import MGAResult, MGAWarning, estimate_pls_mga, minimum_group_size
from .moderation import simple_slopes
from .newdata import NewDataPrediction, predict_new
from .predict import PredictResult, PredictWarning, folds_from_ordering, predict_pls
from .spec import (
    Construct,
    Interaction,
    Model,
    ModelSpecificationError,
    Path,
    composite,
    constructs_from_table,
    interaction,
    model_from_dict,
    multi_items,
    paths,
    read_model,
    reflective,
    relationships,
    single_item,
)

__all__ = [
    "CVPATResult",
    "ExactFitTest",
    "HTMTInference",
    "ModelFit",
    "ModelFitWarning",
    "NewDataPrediction",
    "cvpat",
    "htmt2",
    "htmt_inference",
    "model_fit",
    "predict_new",
    "test_exact_fit",
    "BootstrapResult",
    "BootstrapWarning",
    "Construct",
    "IPMAResult",
    "Interaction",
    "MGAResult",
    "MGAWarning",
    "Model",
    "ModelSpecificationError",
    "PLSConvergenceWarning",
    "PLSFit",
    "PredictResult",
    "PredictWarning",
    "PLScInadmissibleWarning",
    "Path",
    "bootstrap_model",
    "compare_paths",
    "composite",
    "constructs_from_table",
    "estimate_pls",
    "estimate_pls_mga",
    "folds_from_ordering",
    "interaction",
    "ipma",
    "mediation_table",
    "minimum_group_size",
    "model_from_dict",
    "multi_items",
    "paths",
    "predict_pls",
    "read_model",
    "reflective",
    "relationships",
    "simple_slopes",
    "single_item",
    "specific_effect_significance",
    "specific_indirect_effects",
]
