"""The synthetic reconstruction: specification, generator, recovery of Table 1, Monte Carlo."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers.pls import estimate_pls
from helpers.registers.article import table1
from helpers.steps import nb07_article_reconstruction as step
from helpers.steps import nb07_reconstruction as rec
from helpers.steps.nb07_survey import instrument


@pytest.fixture(scope="module")
def spec():
    return rec.load_spec()


def test_spec_uses_table1_and_the_instrument_items(spec):
    assert spec.correlation.equals(table1())
    assert spec.item_names == list(instrument()["item"])
    assert all(len(spec.items[c]) == 3 for c in spec.constructs)
    assert set(spec.rationale) == {"factor_correlation", "measurement", "structural",
                                   "respondents", "likert"}
    assert 0 < spec.r_squared < 1
    assert (spec.weights > 0).all() and spec.weights.nunique() == len(spec.weights)


def test_table1_is_positive_definite_and_a_bad_matrix_is_not():
    ok, smallest = rec.positive_definite(table1())
    assert ok and smallest == pytest.approx(np.linalg.eigvalsh(table1().to_numpy()).min())
    bad = np.array([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])
    assert rec.positive_definite(bad) == (False, pytest.approx(np.linalg.eigvalsh(bad).min()))


def _write(tmp_path, mutate):
    raw = yaml.safe_load(rec.DEFAULT_SPEC.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, message", [
    (lambda r: r["respondents"].pop("rationale"), "rationale"),
    (lambda r: r.pop("synthetic"), "synthetic: true"),
    (lambda r: r["model"]["structural_weights"].update(law=0.9), "R²"),
    (lambda r: r["likert"].update(probabilities=[0.5, 0.5, 0.1, 0.1, 0.1]), "sum to 1"),
    (lambda r: r["model"]["constructs"]["law"].update(loadings=[0.8, 1.2, 0.7]), "(0, 1)"),
])
def test_bad_specifications_are_refused(tmp_path, mutate, message):
    with pytest.raises(rec.SpecificationError, match=re.escape(message)):
        rec.load_spec(_write(tmp_path, mutate))


def test_vary_refuses_a_correlation_level_that_is_not_positive_definite(spec):
    assert rec.positive_definite(spec.vary(correlation_scale=1.5).correlation)[0]
    with pytest.raises(rec.SpecificationError, match="positive definite"):
        spec.vary(correlation_scale=2.5)


def test_same_seed_same_answers_other_seed_other_answers(spec):
    a = rec.simulate_survey(spec, 7, n=200)
    b = rec.simulate_survey(spec, 7, n=200)
    c = rec.simulate_survey(spec, 8, n=200)
    pd.testing.assert_frame_equal(a.answers, b.answers)
    pd.testing.assert_frame_equal(a.latent, b.latent)
    assert not a.answers.equals(c.answers)
    assert set(np.unique(a.answers)) <= {1, 2, 3, 4, 5}


def test_generator_reproduces_table1_for_large_n(spec):
    n = 40_000
    survey = rec.simulate_survey(spec, 2023, n=n)
    latent = survey.latent[list(spec.factors)].corr()
    # sampling SE of r is (1 - r^2)/sqrt(n) < 0.005; allow 4 SE
    assert np.abs(latent - table1()).to_numpy().max() < 4 / np.sqrt(n)
    eta = survey.latent[spec.outcome]
    assert eta.var() == pytest.approx(1, abs=0.02)
    shares = survey.answers.stack().value_counts(normalize=True).sort_index()
    assert np.allclose(shares.to_numpy(), spec.likert_probabilities, atol=0.005)
    fit = estimate_pls(survey.answers, spec.model())
    scores = fit.scores[list(spec.factors)]
    table = rec.score_correlation_bootstrap(scores, fit.reliability["rho_A"], 50,
                                            np.random.default_rng(0))
    recovered = rec.recovery_table(table1(), table)
    assert recovered["error_corrected"].abs().max() < 0.03      # corrected: Table 1 comes back
    assert (recovered["error_scores"] < -0.05).all()            # uncorrected: attenuated


def test_continuous_items_follow_the_factor_model(spec):
    rng = np.random.default_rng(1)
    latent = rec.simulate_latent(spec, rng, 200_000)
    x = rec.simulate_items(spec, latent, rng, likert=False)
    r = np.corrcoef(x, rowvar=False)
    i, j = spec.item_names.index("SOC1"), spec.item_names.index("TEC2")
    expected = spec.loadings["SOC1"] * spec.loadings["TEC2"] * table1().loc["social", "technology"]
    assert r[i, j] == pytest.approx(expected, abs=0.01)


def test_answers_count_the_thresholds_below_each_continuous_item(spec):
    latent = rec.simulate_latent(spec, np.random.default_rng(3), 50, 4)
    x = rec.simulate_items(spec, latent, np.random.default_rng(9), likert=False)
    answers = rec.simulate_items(spec, latent, np.random.default_rng(9))
    assert answers.dtype == float and answers.shape == x.shape == (4, 50, len(spec.item_names))
    expected = 1 + (x[..., None] > np.asarray(spec.thresholds)).sum(axis=-1)
    assert np.array_equal(answers, expected)
    assert set(np.unique(answers)) == set(range(1, spec.points + 1))


def test_monte_carlo_t_test_agrees_with_the_bootstrap_under_the_assumed_paths(spec):
    import warnings

    from helpers.pls import bootstrap_model

    n, sims = 150, 48
    rng = np.random.default_rng(5)
    answers = rec.simulate_items(spec, rec.simulate_latent(spec, rng, n, sims), rng)
    proxy = rec.estimate_stack(answers, spec)["detected"]
    boot = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k in range(sims):
            fit = estimate_pls(pd.DataFrame(answers[k], columns=spec.item_names), spec.model())
            p = bootstrap_model(fit, n_boot=100, seed=k, bca=False).paths.set_index("from")
            p = p.loc[list(spec.factors)]
            boot.append(((p["p"] < 0.05) & (p["estimate"] > 0)).to_numpy())
    boot = np.array(boot)
    assert proxy.mean() == pytest.approx(boot.mean(), abs=0.06)
    assert (proxy == boot).mean() > 0.85  # the same surveys, mostly the same verdicts


def test_power_grows_with_respondents(spec):
    power = rec.power_study(spec, [20, 1000], 200, np.random.default_rng(4))
    wide = power.pivot(index="n", columns="path", values="power")
    assert (wide.loc[1000] > wide.loc[20] + 0.5).all()
    assert (wide.loc[20] < 0.4).all()


def test_required_n_interpolates_in_log_n():
    power = pd.DataFrame({"n": [10, 100, 1000, 10, 100, 1000], "path": list("aaabbb"),
                         "power": [0.1, 0.6, 1.0, 0.1, 0.2, 0.5]})
    need = rec.required_n(power)
    assert need["a"] == pytest.approx(10 ** (2 + 0.2 / 0.4))
    assert np.isnan(need["b"])


def test_exported_sample_is_labelled_and_refused_as_real(tmp_path, spec):
    from helpers.steps.nb07_survey import SurveyResponseError, load_responses

    answers = rec.simulate_survey(spec, 1, n=40).answers
    with pytest.raises(ValueError, match="synthetic"):
        rec.export_sample(answers, tmp_path / "astana.csv", 1)
    path = rec.export_sample(answers, tmp_path / "synthetic_sample.csv", 1)
    assert path.read_text(encoding="utf-8").startswith("# SYNTHETIC DATA")
    (tmp_path / "astana.csv").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SurveyResponseError, match="SYNTHETIC"):
        load_responses("astana", folder=tmp_path)


def test_the_synthetic_sample_is_named_after_its_notebook(tmp_path):
    survey = rec.simulate_survey(rec.load_spec(), 1, 5)
    step.export_sample(SimpleNamespace(synthetic=True, answers=survey.answers), tmp_path, 1)
    (written,) = tmp_path.iterdir()
    number = step.__name__.rsplit(".", 1)[1].removeprefix("nb")[:2]
    assert written.name == f"{number}_synthetic_survey_sample.csv"
    assert "SYNTHETIC" in written.read_text(encoding="utf-8").splitlines()[0]
