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
    inv = micom(fit, data["city"], n_perm=5000, seed=1)  # MICOM steps 1-3 and the conclusion
    gaussian_copula(fit, "Satisfaction", n_boot=1000, seed=1)  # endogeneity (Hult et al. 2018)
    nca(fit.scores, ["Image", "Quality"], "Satisfaction", n_perm=1000, seed=1)  # NCA (Dul 2016)

    # higher-order composites (seminr's higher_composite), quadratic and orthogonal terms
    higher_composite("Evaluation", ["Quality", "Value"], method="two_stage", mode="A")
    quadratic("Image"); interaction("Image", "Value", method="orthogonal")
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
:mod:`.mga` (multi-group analysis, MICOM step 2), :mod:`.micom` (MICOM steps 1-3),
:mod:`.mediation` (specific indirect effects), :mod:`.higher_order` (higher-order constructs),
:mod:`.copula` (Gaussian copula), :mod:`.nca` (necessary condition analysis), :mod:`.fit`
(model fit, exact-fit test), :mod:`.htmt` (HTMT2, HTMT inference), :mod:`.cvpat`, :mod:`.newdata`
(prediction for new data), :mod:`.admissibility`, :mod:`.conventions`, :mod:`.export`;
shared pieces below them: :mod:`.implied` (model-implied correlation matrices),
:mod:`.twostage` (resampling a model estimated in two stages), :mod:`.predict_staged`
(PLSpredict re-estimating such a model fold by fold), :mod:`.settings` (a result's settings as
text and table), :mod:`.randomness`.
Capabilities and the tests that check them: ``helpers/pls/README.md``.
"""

from .bootstrap import BootstrapResult, BootstrapWarning, bootstrap_model
from .consistent import compare_paths
from .copula import CopulaResult, CopulaWarning, gaussian_copula
from .cvpat import CVPATResult, cvpat
from .estimate import PLScInadmissibleWarning, PLSConvergenceWarning, PLSFit, estimate_pls
from .fit import ExactFitTest, ModelFit, ModelFitWarning, model_fit, test_exact_fit
from .higher_order import higher_order_quality
from .htmt import HTMTInference, htmt2, htmt_inference
from .ipma import IPMAResult, ipma
from .mediation import mediation_table, specific_effect_significance, specific_indirect_effects
from .mga import MGAResult, MGAWarning, estimate_pls_mga, minimum_group_size
from .micom import MICOMResult, MICOMWarning, micom
from .moderation import simple_slopes
from .nca import NCAResult, nca
from .newdata import NewDataPrediction, predict_new
from .predict import PredictResult, PredictWarning, folds_from_ordering
from .predict_staged import predict_pls
from .spec import (
    Construct,
    HigherComposite,
    Interaction,
    Model,
    ModelSpecificationError,
    Path,
    composite,
    constructs_from_table,
    higher_composite,
    interaction,
    model_from_dict,
    multi_items,
    paths,
    quadratic,
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
    "CopulaResult",
    "CopulaWarning",
    "HigherComposite",
    "IPMAResult",
    "Interaction",
    "MGAResult",
    "MGAWarning",
    "MICOMResult",
    "MICOMWarning",
    "NCAResult",
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
    "gaussian_copula",
    "higher_composite",
    "higher_order_quality",
    "interaction",
    "ipma",
    "mediation_table",
    "micom",
    "minimum_group_size",
    "model_from_dict",
    "multi_items",
    "nca",
    "paths",
    "predict_pls",
    "quadratic",
    "read_model",
    "reflective",
    "relationships",
    "simple_slopes",
    "single_item",
    "specific_effect_significance",
    "specific_indirect_effects",
]
