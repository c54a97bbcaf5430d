"""Moderation: interaction terms (two-stage, product indicator) and simple slopes against PyPI
seminr 0.2.1 (a test-only oracle), an independent check by ordinary regression, and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    Model,
    ModelSpecificationError,
    bootstrap_model,
    estimate_pls,
    interaction,
    paths,
    predict_pls,
    relationships,
    simple_slopes,
    single_item,
)
from tests.pls_fixtures import (
    ECSI_STRUCTURE,
    assert_frame_close,
    corp_model,
    corp_model_seminr,
    corp_rep,
    ecsi_model,
    ecsi_model_seminr,
    mobi,
    named,
    seminr_module,
)

TOL = 1e-8
s = seminr_module()
from seminr.bootstrap.summarize import summarize_pls_boot  # noqa: E402
from seminr.plotting.results import slope_analysis  # noqa: E402

METHODS = {"two_stage": s.two_stage, "product_indicator": s.product_indicator}


def _ecsi_moderated(method: str):
    model = Model(list(ecsi_model().constructs) + [interaction("Image", "Expectation", method)],
                  list(ECSI_STRUCTURE) + paths("Image*Expectation", "Satisfaction"))
    mm, sm = ecsi_model_seminr()
    mm = s.constructs(*mm, s.interaction_term(iv="Image", moderator="Expectation",
                                              method=METHODS[method]))
    sm = list(sm) + list(s.paths(from_="Image*Expectation", to="Satisfaction"))
    return mobi(), model, (mm, sm), ("Image", "Expectation", "Satisfaction")


def _corp_moderated(method: str):
    """Corporate reputation with missing data (mean replacement) and Mode B drivers."""
    base = corp_model()
    model = Model(list(base.constructs) + [interaction("COMP", "LIKE", method)],
                  list(base.structure) + paths("COMP*LIKE", "CUSL"))
    mm, sm = corp_model_seminr()
    mm = s.constructs(*mm, s.interaction_term(iv="COMP", moderator="LIKE",
                                              method=METHODS[method]))
    sm = list(sm) + list(s.paths(from_="COMP*LIKE", to="CUSL"))
    return corp_rep(), model, (mm, sm), ("COMP", "LIKE", "CUSL")


@pytest.fixture(scope="module", params=[(c, m) for c in ("ecsi", "corp")
                                        for m in sorted(METHODS)], ids=str)
def pair(request):
    case, method = request.param
    data, model, (mm, sm), roles = (_ecsi_moderated if case == "ecsi" else
                                    _corp_moderated)(method)
    return estimate_pls(data, model), s.estimate_pls(data, mm, sm), roles, method


def test_moderated_estimates_match_seminr(pair):
    fit, oracle, _, method = pair
    assert_frame_close(fit.path_coefficients, named(oracle.path_coef), TOL)
    assert_frame_close(fit.loadings, named(oracle.outer_loadings), TOL)
    assert_frame_close(fit.outer_weights, named(oracle.outer_weights), TOL)
    rsq = named(oracle.r_squared).T.rename(columns={"Rsq": "r2", "AdjRsq": "adj_r2"})
    assert_frame_close(fit.r_squared, rsq, TOL)
    scores = named(oracle.construct_scores)
    np.testing.assert_allclose(fit.scores[scores.columns].to_numpy(), scores.to_numpy(),
                               atol=TOL, rtol=0)
    (name, term), = fit.interactions.items()
    assert term["method"] == method and name in fit.settings["interactions"]


def test_simple_slopes_match_seminr_slope_analysis(pair):
    fit, oracle, (iv, moderator, target), _ = pair
    slopes = simple_slopes(fit, iv, moderator, target)
    fig = slope_analysis(oracle, dv=target, moderator=moderator, iv=iv)
    lines = {line.get_label(): np.asarray(line.get_ydata()) for line in fig.axes[0].lines}
    for m, label in [(-1, f"{moderator} at -1SD"), (0, f"{moderator} at Mean"),
                     (1, f"{moderator} at +1SD")]:
        row = slopes.set_index("moderator_sd").loc[float(m)]
        ours = row[[f"y_at_{iv}_{x:+d}" for x in (-1, 0, 1)]].to_numpy(float)
        np.testing.assert_allclose(ours, lines[label], atol=TOL, rtol=0)
        assert row["slope"] == pytest.approx((ours[2] - ours[0]) / 2, abs=1e-12)


def test_two_stage_equals_ordinary_regression_on_the_stage_one_scores():
    """Independent check: with single-item constructs PLS scores are the standardised items, so
    the two-stage model is OLS of y on x, m and x*m (the product of the z-scores)."""
    rng = np.random.default_rng(4)
    n = 300
    x, m = rng.normal(size=n), rng.normal(size=n)
    y = 0.4 * x + 0.2 * m + 0.3 * x * m + rng.normal(size=n)
    data = pd.DataFrame({"x": 3 + 2 * x, "m": m - 1, "y": y})
    model = Model([single_item("X", "x"), single_item("M", "m"), single_item("Y", "y"),
                   interaction("X", "M")],
                  relationships(paths(["X", "M", "X*M"], "Y")))
    fit = estimate_pls(data, model)
    z = (data - data.mean()) / data.std(ddof=1)
    design = np.column_stack([z["x"], z["m"], z["x"] * z["m"] - (z["x"] * z["m"]).mean()])
    beta = np.linalg.lstsq(design, z["y"] - z["y"].mean(), rcond=None)[0]
    np.testing.assert_allclose(fit.path_coefficients.loc[["X", "M", "X*M"], "Y"], beta,
                               atol=1e-10)
    slopes = simple_slopes(fit, "X", "M", "Y", at=(-1, 0, 1))
    np.testing.assert_allclose(slopes["slope"], beta[0] + beta[2] * np.array([-1, 0, 1]),
                               atol=1e-10)
    assert slopes["slope"].is_monotonic_increasing  # a positive interaction


def test_an_interaction_with_a_construct_not_in_the_model_is_refused():
    base = ecsi_model()
    with pytest.raises(ModelSpecificationError, match="moderator 'Expectatoin' is not a"):
        Model(list(base.constructs) + [interaction("Image", "Expectatoin")],
              list(ECSI_STRUCTURE) + paths("Image*Expectatoin", "Satisfaction"))
    with pytest.raises(ModelSpecificationError, match="independent variable 'Imagery'"):
        Model(list(base.constructs) + [interaction("Imagery", "Expectation")],
              list(ECSI_STRUCTURE) + paths("Imagery*Expectation", "Satisfaction"))
    with pytest.raises(ModelSpecificationError, match="method 'orthogonal' unknown"):
        interaction("Image", "Expectation", method="orthogonal")
    with pytest.raises(ModelSpecificationError, match="by itself"):
        Model(list(base.constructs) + [interaction("Image", "Image")],
              list(ECSI_STRUCTURE) + paths("Image*Image", "Satisfaction"))


def test_slopes_errors_and_unsupported_resampling():
    data, model, _, _ = _ecsi_moderated("two_stage")
    fit = estimate_pls(data, model)
    with pytest.raises(ModelSpecificationError, match="no interaction term 'Quality\\*Value'"):
        simple_slopes(fit, "Quality", "Value", "Satisfaction")
    with pytest.raises(ModelSpecificationError, match="no path Image\\*Expectation -> Loyalty"):
        simple_slopes(fit, "Image", "Expectation", "Loyalty")
    with pytest.raises(NotImplementedError, match="regenerate"):
        predict_pls(fit)


_BOOT_COLUMNS = {"Original Est.": "estimate", "Bootstrap Mean": "mean", "Bootstrap SD": "sd",
                 "T Stat.": "t", "2.5% CI": "pct_lo", "97.5% CI": "pct_hi",
                 "Bootstrap P Val": "p_boot"}


@pytest.mark.parametrize("method", sorted(METHODS))
@pytest.mark.parametrize("case", ["ecsi", "corp"])
def test_moderated_bootstrap_regenerates_terms_as_seminr(case, method):
    """Replayed resamples: the interaction terms are rebuilt in every resample (stage 1 or the
    z-score products, after the resample's own missing-data treatment)."""
    data, model, (mm, sm), _ = (_ecsi_moderated if case == "ecsi" else _corp_moderated)(method)
    fit = estimate_pls(data, model)
    indices = np.random.default_rng(2).integers(0, len(data), size=(20, len(data)))
    ours = bootstrap_model(fit, indices=indices, bca=False)
    assert ours.n_failed == 0
    theirs = summarize_pls_boot(s.bootstrap_model(s.estimate_pls(data, mm, sm),
                                                  indices=indices))
    for mine, attr in [("paths", "bootstrapped_paths"), ("weights", "bootstrapped_weights"),
                       ("loadings", "bootstrapped_loadings"),
                       ("total_effects", "bootstrapped_total_paths")]:
        ref = named(getattr(theirs, attr)).rename(columns=_BOOT_COLUMNS)
        ref.index = [label.replace("  ->  ", " -> ") for label in ref.index]
        table = getattr(ours, mine)
        assert sorted(table.index) == sorted(ref.index), mine
        assert_frame_close(table, ref[list(_BOOT_COLUMNS.values())], TOL)


def test_moderated_bootstrap_with_bca_and_a_seed():
    data, model, _, _ = _ecsi_moderated("two_stage")
    fit = estimate_pls(data, model)
    boot = bootstrap_model(fit, n_boot=200, seed=5)
    row = boot.paths.loc["Image*Expectation -> Satisfaction"]
    assert row["estimate"] == pytest.approx(
        fit.path_coefficients.loc["Image*Expectation", "Satisfaction"])
    assert row["pct_lo"] < row["estimate"] < row["pct_hi"]
    assert np.isfinite(row[["bca_lo", "bca_hi"]].astype(float)).all()
    again = bootstrap_model(fit, n_boot=200, seed=5)
    pd.testing.assert_frame_equal(boot.paths, again.paths, check_exact=True)


def test_product_indicators_are_products_of_z_scores():
    data, model, _, _ = _ecsi_moderated("product_indicator")
    fit = estimate_pls(data, model)
    items = fit.interactions["Image*Expectation"]["indicators"]
    assert len(items) == 5 * 3  # Image's items vary slowest
    assert items[:4] == ["IMAG1*CUEX1", "IMAG1*CUEX2", "IMAG1*CUEX3", "IMAG2*CUEX1"]
    z = (data - data.mean()) / data.std(ddof=1)
    k = fit.layout.items.index("IMAG2*CUEX3")
    np.testing.assert_allclose(fit.clean[:, k], z["IMAG2"] * z["CUEX3"], atol=1e-12)
