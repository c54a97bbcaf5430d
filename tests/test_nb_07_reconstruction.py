"""Notebook 07's JSON: the synthetic reconstruction, its recovery of Table 1 and the power study."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.registers.article import table1


@pytest.fixture(scope="module")
def results(report):
    return report("07_article_reconstruction", "kazakhstan")


def test_labelled_synthetic_and_seeded(results):
    assert results["source"] == "synthetic" and results["synthetic"] is True
    assert results["n_respondents"] == results["spec"]["n_respondents"] == 400
    assert isinstance(results["seed"], int)


def test_positive_definiteness_matches_numpy(results):
    pd_check = results["positive_definite"]
    assert pd_check["positive_definite"] is True
    assert pd_check["min_eigenvalue"] == pytest.approx(
        np.linalg.eigvalsh(table1().to_numpy()).min())


def test_table1_recovered_beside_the_published_values(results):
    rec = results["recovery"]
    published = table1()
    assert len(rec) == 15
    for key, row in rec.items():
        a, b = key.split("|")
        assert row["published"] == published.loc[a, b]
        assert row["corrected_lo"] <= row["corrected"] <= row["corrected_hi"]
        assert row["r"] < row["corrected"]  # correction for measurement error raises r
    corrected = np.mean([abs(r["error_corrected"]) for r in rec.values()])
    uncorrected = np.mean([abs(r["error_scores"]) for r in rec.values()])
    assert corrected < uncorrected
    assert results["max_abs_error_corrected"] < 0.15
    assert results["n_covered"] >= 12


def test_paths_and_power(results):
    paths = results["paths"]
    assert len(paths) == 6
    for row in paths.values():
        assert row["pct_lo"] <= row["estimate"] <= row["pct_hi"]
        assert 0.5 < row["ols_se"] / row["boot_sd"] < 2
    power, need = results["power"], results["required_n"]
    big, small = str(max(results["power_sizes"])), str(min(results["power_sizes"]))
    assert all(power[big][f] > power[small][f] for f in paths)
    assert all(v < 0.5 for v in results["power_at_20"].values())
    weights = results["spec"]["structural_weights"]
    strongest, weakest = max(weights, key=weights.get), min(weights, key=weights.get)
    assert need[weakest] is None or need[weakest] > need[strongest]


def test_sensitivity_attenuation_follows_the_loadings(results):
    sens = results["sensitivity"]
    assert set(sens) == {"base", "correlations x0.5", "correlations x1.5", "loadings 0.6",
                         "loadings 0.9"}
    att = {k: v["attenuation"] for k, v in sens.items()}
    assert att["loadings 0.6"] < att["base"] < att["loadings 0.9"] < 1
    assert sens["correlations x1.5"]["min_eigenvalue"] < sens["base"]["min_eigenvalue"]


def test_figures_saved(results):
    assert {"fig07_reconstruction", "fig08_power", "fig09_synthetic-paths"} <= set(
        results["figures"])


def test_plsc_and_plain_pls_beside_the_assumed_paths(results):
    """Both estimators of the six paths, each with its error against the assumed weights."""
    rows = results["plsc_paths"]
    assumed = {f: p["assumed"] for f, p in results["paths"].items()}
    assert len(rows) == 6
    for label, row in rows.items():
        assert label == f"{row['from']} -> adaptation"
        assert row["assumed"] == pytest.approx(assumed[row["from"]])
        assert row["pls"] == pytest.approx(results["paths"][row["from"]]["estimate"])
        assert row["pls_error"] == pytest.approx(row["pls"] - row["assumed"])
        assert row["plsc_error"] == pytest.approx(row["plsc"] - row["assumed"])
        assert row["plsc_pct_lo"] <= row["plsc"] <= row["plsc_pct_hi"]
    # PLSc disattenuates: the corrected R² is above plain PLS's, towards the population value
    assert results["plsc_r2"] > results["r_squared"]["estimate"]
    errors = results["path_errors"]
    assert errors["max"]["plsc_error"] == pytest.approx(
        max(abs(r["plsc_error"]) for r in rows.values()))
    assert 0 <= results["plsc_n_inadmissible"] <= results["plsc_n_failed"]
    assert "PLSc on" in results["plsc_settings"]["consistent"]


def test_no_city_comparison_on_synthetic_answers(results):
    """Cities' respondents are compared only on real answers
    (helpers.steps.nb07_survey.compare_cities,
    tested on response files in tests/test_survey_comparison.py)."""
    comparison = results["city_comparison"]
    assert comparison["ran"] is False and comparison["cities"] == []
    assert "synthetic" in comparison["note"]
