"""A model the data cannot carry gets a diagnosis, not a stop (issue 19, case 10): thirty
answers that all measure one common factor."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers.steps import nb07_article_reconstruction as study
from helpers.steps import nb07_reconstruction as rec
from helpers.steps.nb07_survey import SurveyData, instrument


def one_factor_answers(n: int = 30, seed: int = 1) -> pd.DataFrame:
    """``n`` respondents whose every answer reflects one common attitude (plus noise), 1-5."""
    rng = np.random.default_rng(seed)
    items = list(instrument()["item"])
    attitude = rng.normal(size=n)
    raw = 3 + 0.9 * attitude[:, None] + 0.45 * rng.normal(size=(n, len(items)))
    answers = pd.DataFrame(np.clip(np.round(raw), 1, 5), columns=items)
    flat = answers.nunique(axis=1) == 1  # the loader refuses straight-lining: vary one answer
    answers.loc[flat, items[0]] = answers.loc[flat, items[0]].map(lambda v: 4.0 if v < 4 else 3.0)
    answers.index = pd.Index([f"r{k:03d}" for k in range(1, n + 1)], name="respondent")
    return answers


@pytest.fixture(scope="module")
def analysis():
    survey = SurveyData(one_factor_answers(), None, False, "almaty", "thirty test answers")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the PLSc warnings the diagnosis turns into sentences
        return study.run(rec.load_spec(), survey, n_boot=60, n_sim=3, seed=7, n_respondents=400)


def test_one_common_factor_is_diagnosed_instead_of_stopping(analysis):
    found = analysis.discriminant
    assert not found["distinct"] and not found["plsc_admissible"]
    assert len(found["pairs_above"]) == 21  # every pair of the seven blocks
    assert all(p["htmt"] > study.HTMT_THRESHOLD for p in found["pairs_above"])
    sentence = study.discriminant_sentence(found, "en")
    assert "not distinct" in sentence and "inadmissible" in sentence
    for lang in ("kk", "ru"):  # the catalogue's translations fill every placeholder
        assert "{" not in study.discriminant_sentence(found, lang)
    assert f"{found['pairs_above'][0]['a']}–{found['pairs_above'][0]['b']}" in sentence


def test_what_can_be_shown_is_still_shown(analysis):
    assert analysis.boot is not None and analysis.paths["estimate"].notna().all()
    assert analysis.plsc["boot"] is None and "inadmissible" in analysis.plsc["why"]
    assert analysis.plsc["versus"][["plsc_pct_lo", "plsc_pct_hi"]].isna().all().all()
    assert "PLSc has no bootstrap intervals here" in study.plsc_sentence(
        analysis.plsc, analysis.r2, 60)
    recorded = study.record(analysis, 400)
    assert recorded["plsc_n_inadmissible"] is None and recorded["plsc_n_failed"] is None
    assert recorded["discriminant"]["distinct"] is False
    assert not analysis.fit.reliability.isna().all().all()


def test_distinct_blocks_are_said_to_be_distinct():
    from helpers.pls import estimate_pls

    spec = rec.load_spec()
    survey = rec.simulate_survey(spec, 3, 300)
    fit = estimate_pls(survey.answers, spec.model())
    plsc_fit = estimate_pls(survey.answers, spec.model().as_reflective())
    found = study.discriminant(fit, plsc_fit)
    assert found["distinct"] and found["pairs_above"] == []
    assert study.discriminant_sentence(found).startswith("The blocks are distinct")


@pytest.mark.study
def test_the_survey_notebook_diagnoses_thirty_one_factor_answers(tmp_path):
    """The issue's probe, end to end: thirty one-factor answers as a class's Google Forms export
    (Kazakh) in data/survey/ of a copy; notebook 07 runs through, diagnosing instead of stopping."""
    import csv
    import json

    from helpers.steps.nb07_survey import scale
    from tests.repo_copy import copy_repository, run_study

    copy = copy_repository(tmp_path)
    answers = one_factor_answers().astype(int)
    texts = instrument().set_index("item")["text_kk"]
    words = scale().set_index("value")["label_kk"]
    with (copy / "data" / "survey" / "almaty.csv").open("w", encoding="utf-8",
                                                          newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Уақыт белгісі", *(texts[i] for i in answers.columns)])
        out.writerows([f"2026/11/05 10:{k:02d}:00", *(words[v] for v in row)]
                      for k, row in enumerate(answers.itertuples(index=False)))
    done = run_study(copy, "--notebooks", "07", "--city", "Almaty", "--source", "Алматы",
                     "--n-boot", "50")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "RuntimeError" not in done.stdout + done.stderr
    report = json.loads((copy / "out" / "reports" / "survey-almaty" /
                         "07_article_reconstruction.json").read_text(encoding="utf-8"))
    results = report["results"]
    assert results["discriminant"]["distinct"] is False
    assert results["discriminant"]["plsc_admissible"] is False
    assert len(results["discriminant"]["pairs_above"]) == 21
    assert results["plsc_n_inadmissible"] is None and results["n_respondents"] == 30
    assert all(v["estimate"] is not None for v in results["paths"].values())
    html = (copy / "out" / "reports" / "survey-almaty" /
            "07_article_reconstruction.html").read_text(encoding="utf-8")
    assert "not distinct" in html and "inadmissible" in html
