"""Notebooks 01 and 07 in Kazakh and Russian: their tables and computed sentences are written in
the notebook's language (headers, words, names, decimal commas) while the English record stays
as it was; a study-marked test runs both notebooks in Kazakh and finds no English."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.registers import i18n
from helpers.registers.article import table1
from helpers.registers.data import cross_section, load_codebook
from helpers.registers.labels import factor_labels
from helpers.steps import nb01_data_assembly as coverage
from helpers.steps import nb07_article_reconstruction as study
from helpers.steps import nb07_reconstruction as rec
from helpers.steps.nb07_assessment import assessment
from helpers.steps.nb07_survey import load_source
from tests.conftest import TEST_CITY
from tests.text_checks import english_cells, english_sentences

LANGS = ("kk", "ru")


def _cells(table: pd.DataFrame) -> list:
    """Every header, index label and cell of a table (a two-level index: both levels)."""
    index = [v for label in table.index for v in (label if isinstance(label, tuple) else (label,))]
    return [*table.columns, *[n for n in table.index.names if n], table.columns.name, *index,
            *table.to_numpy().ravel()]


def _english_words(table: pd.DataFrame, words) -> set:
    """The English table words of ``words`` still present as headers or cells."""
    return set(map(str, _cells(table))) & set(words)


@pytest.fixture(scope="module")
def data():
    book = load_codebook()
    return coverage.provenance_table(), coverage.load_tables(), book, cross_section(codebook=book)


def test_notebook_01_tables_read_in_kazakh_and_russian(data):
    provenance, tables, book, cross = data
    for lang in LANGS:
        shown = [coverage.provenance_display(provenance, lang),
                 coverage.by_table_shown(coverage.coverage_summary(tables), provenance, lang),
                 coverage.by_table_shown(coverage.table_gaps(tables), provenance, lang),
                 coverage.codebook_table(book, lang),
                 coverage.shown(coverage.city_rows(cross, ["astana", "karaganda"], book,
                                                   lang).round(2), lang)]
        for table in shown:
            assert english_cells(_cells(table)) == [], lang
            assert _english_words(table, coverage.TABLE_WORDS) == set(), lang
        assert shown[4].iloc[0].str.contains(",").all(), lang  # life expectancy, 77,3
        # the tables by their place in data/, as the codebook's source column names them
        assert set(shown[3].iloc[:, 4]) <= set(shown[0].index), lang
    # the reader's numbers are the record's: coverage and gaps unchanged, only written
    english = coverage.by_table_shown(coverage.coverage_summary(tables), provenance, "en")
    summary = coverage.coverage_summary(tables)
    assert list(english.columns) == list(summary.columns)
    assert english["n_values"].tolist() == summary["n_values"].tolist()
    assert list(english.index) == [f"{summary.loc[t, 'kind']}/{t}" for t in summary.index]


def test_notebook_01_titles_are_the_sites_and_a_stale_one_stops(monkeypatch, data):
    provenance = data[0]
    titles = coverage._book_titles()
    for lang in LANGS:
        shown = coverage.provenance_display(provenance, lang).iloc[:, 1].tolist()
        assert shown == [titles[s][lang] for s in provenance["spec"]]
    spec = provenance["spec"].iloc[0]
    stale = {**titles, spec: {**titles[spec], "en": "an older title"}}
    monkeypatch.setattr(coverage, "_book_titles", lambda: stale)
    with pytest.raises(i18n.TranslationError, match=f"source_titles.{spec} is stale"):
        coverage.provenance_display(provenance, "kk")
    assert coverage.provenance_display(provenance, "en").iloc[0, 1] == provenance["title"].iloc[0]


@pytest.fixture(scope="module")
def small():
    """A small simulated survey estimated as notebook 07 does (few resamples)."""
    spec = rec.load_spec()
    survey = rec.simulate_survey(spec, 3, 200)
    fit, boot, paths = study.estimate(survey.answers, spec, 60, 3)
    return spec, survey, fit, boot, paths


def test_notebook_07_tables_read_in_kazakh_and_russian(small):
    spec, survey, fit, boot, paths = small
    recovery = rec.recovery_table(table1(), rec.score_correlation_bootstrap(
        fit.scores[list(spec.factors)], fit.reliability["rho_A"], 30,
        np.random.default_rng(1)), survey.latent)
    a = assessment(fit, boot, spec.outcome, 30, 3)
    for lang in LANGS:
        tables = [study.assumptions_shown(spec, lang), study.questionnaire_shown(lang),
                  study.shown(paths.round(3), lang), study.shown(fit.htmt.round(2), lang),
                  study.shown(recovery.round(3), lang), *a.show(lang=lang)]
        for table in tables:
            assert english_cells(_cells(table)) == [], lang
            assert _english_words(table, study.TABLE_WORDS) == set(), lang
        assert str(tables[2].iloc[0, 0]).startswith("0,"), lang  # the assumed path, 0,15
        assert list(tables[4].index.names) == [i18n.label("tab_row", lang),
                                               i18n.label("tab_col", lang)]
        assert english_sentences(" ".join(tables[0].iloc[:, 1])) == []  # the rationales
    # English keeps the engine's words; the record's tables are untouched
    english = study.shown(paths.round(3), "en")
    assert list(english.columns) == list(paths.columns)
    assert list(english.index) == [factor_labels("en")[f] for f in paths.index]
    assert paths.index.tolist() == list(spec.factors)


def test_scenarios_keep_their_record_names_in_english_and_are_translated():
    for name in rec.SCENARIOS:
        assert study.scenario_name(name, "en") == name
        assert english_sentences(study.scenario_name(name, "kk") + " a b c") == []
    assert study.scenario_name("loadings 0.6", "ru") == "нагрузки 0,6"


def test_the_sensitivity_table_names_every_row_in_the_language():
    spec = rec.load_spec()
    weak, strong = spec.weights.idxmin(), spec.weights.idxmax()
    columns = ["correlation_scale", "loading", "r_squared_population", "min_eigenvalue",
               "max_latent_r", "attenuation", "max_score_r", f"mean_estimate_{weak}",
               f"mean_estimate_{strong}", f"power_{weak}_n400", f"power_{strong}_n400",
               f"power_{weak}_n20", f"power_{strong}_n20", f"required_n_{weak}",
               f"required_n_{strong}"]
    sens = pd.DataFrame([[0.5] * len(columns)] * len(rec.SCENARIOS), columns=columns,
                        index=pd.Index(list(rec.SCENARIOS), name="scenario"))
    for lang in LANGS:
        shown = study.sensitivity_shown(sens, spec, 400, lang)
        assert shown.shape == (len(columns), len(rec.SCENARIOS))
        assert english_cells(_cells(shown)) == [] and (shown == "0,5").all().all()
        assert factor_labels(lang)[weak] in " ".join(shown.index)
    with pytest.raises(KeyError, match="no name for the column"):
        study.sensitivity_shown(sens.rename(columns={"loading": "other"}), spec, 400, "kk")


def test_notebook_07_survey_sentences_and_answers_in_kazakh_and_russian(tmp_path):
    data = load_source("synthetic", rec.load_spec(), 5, 50)
    # the English description reads as before it became a catalogue sentence
    assert data.description == data.describe("en") == f"{rec.SYNTHETIC_NOTE} n = 50, seed = 5."
    for lang in LANGS:
        assert english_sentences(data.describe(lang)) == [] and "seed = 5." in data.describe(lang)
        shares = study.answer_shares(data, tmp_path, 5, lang)
        assert english_cells(_cells(shares)) == [] and shares.index[0] == i18n.label(
            "tab_share_of_answers", lang)
        assert english_cells(_cells(study.answers_shown(data, lang=lang))) == []
    assert (tmp_path / "07_synthetic_survey_sample.csv").exists()


def test_the_parameters_table_is_marked_as_the_runs_settings():
    """The parameters table (parameter names are the notebook's identifiers) carries the same
    class as notebook 04's engine settings, the class the language checks skip."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from helpers.run import params
    from helpers.steps import nb04_pls_estimation
    from tests import text_checks

    InteractiveShell.instance()
    with capture_output() as shown:
        params.setup({"city": "Astana", "lang": "kk"}, "02_innovation_activity")
    parameters = shown.outputs[0].data["text/html"]
    settings = nb04_pls_estimation.settings_shown(
        pd.DataFrame({"value": ["path"]}, index=pd.Index(["inner_weighting"], name="setting")),
        "kk")._repr_html_()
    for html in (parameters, settings):
        assert f'class="dataframe {text_checks.PROGRAM_OUTPUT}"' in html


@pytest.mark.study
def test_the_kazakh_notebooks_01_and_07_have_no_english(tmp_path):
    """The Kazakh notebooks 01 and 07: no output sentence, table header or cell reads as
    English, and their numbers are written with decimal commas."""
    from helpers.run.runner import main
    from tests.text_checks import english_in_notebook

    status = main(["--city", TEST_CITY, "--lang", "kk", "--notebooks", "01", "07",
                   "--output", str(tmp_path), "--jobs", "1"])
    assert status == 0
    for notebook in ("01_data_assembly", "07_article_reconstruction"):
        executed = tmp_path / "reports" / "kazakhstan" / f"{notebook}.ipynb"
        assert english_in_notebook(executed) == [], notebook
        assert "0," in executed.read_text(encoding="utf-8"), notebook
