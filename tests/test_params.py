"""Parameter validation: city spellings, languages, numbers, unknown names, unsafe paths."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from helpers.registers import paths
from helpers.registers.i18n import ProgramOutput
from helpers.registers.regions import analysis_regions, load_regions, resolve_region, study_cities
from helpers.run.params import ParameterError, check_values, declared_parameters, setup


@pytest.mark.parametrize("spelling, slug", [
    ("Almaty", "almaty"), ("алматы", "almaty"), ("Алматы", "almaty"), ("ALMATY", "almaty"),
    ("Nur-Sultan", "astana"), ("нур-султан", "astana"), ("Астана", "astana"),
    ("Шымкент", "shymkent"), ("Қарағанды", "karaganda"), ("Караганда", "karaganda"),
    ("Ақтөбе", "aktobe"), ("Актобе", "aktobe"), ("aktobe", "aktobe"),
    ("Almaty region", "almaty-region"), ("Алматинская область", "almaty-region"),
])
def test_city_spellings_resolve_to_one_slug(spelling, slug):
    assert resolve_region(spelling).slug == slug


def test_register_has_twenty_regions_and_the_five_cities():
    assert len(analysis_regions()) == 20
    assert [r.slug for r in study_cities()] == ["astana", "almaty", "shymkent", "karaganda",
                                                "aktobe"]
    slugs = [r.slug for r in load_regions()]
    assert len(slugs) == len(set(slugs))
    for region in load_regions():
        paths.safe_slug(region.slug)


def test_karaganda_and_aktobe_are_regions_not_cities():
    assert not resolve_region("Karaganda").is_city
    assert not resolve_region("Aktobe").is_city
    assert resolve_region("Shymkent").is_city
    assert "region" in resolve_region("Aktobe").statistics_note


@pytest.mark.parametrize("bad", ["Paris", "../x", "../etc", "", "almaty/../../x"])
def test_unknown_city_is_refused_with_the_valid_choices(bad):
    with pytest.raises(ParameterError) as error:
        check_values({"city": bad})
    assert "Astana" in str(error.value) and "Shymkent" in str(error.value)


def test_the_country_is_not_a_city():
    with pytest.raises(ParameterError, match="not one of the 20 regions"):
        check_values({"city": "Kazakhstan"})


@pytest.mark.parametrize("values, fragment", [
    ({"lang": "de"}, "en (English)"),
    ({"n_boot": 0}, "n_boot must be a whole number from 1"),
    ({"n_boot": -5}, "n_boot"),
    ({"n_boot": 2.5}, "n_boot"),
    ({"seed": -1}, "seed"),
    ({"colour": "red"}, "Unknown parameter"),
])
def test_bad_values_are_refused(values, fragment):
    with pytest.raises(ParameterError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        check_values(values)


@pytest.mark.parametrize("bad", ["../x", "a/b", "/etc", "Almaty", "", "a..b", "-a"])
def test_safe_slug_refuses_anything_but_a_plain_slug(bad):
    with pytest.raises(ValueError):
        paths.safe_slug(bad)


def test_setup_resolves_and_records_parameters():
    namespace = {"city": "Нур-Султан", "lang": "kk"}
    ctx = setup(namespace, "02_innovation_activity", show=False)
    assert ctx.region.slug == "astana" and ctx.lang == "kk"
    assert ctx.parameters == {"city": "astana", "lang": "kk"}
    assert ctx.reports_dir.name == "astana"


def test_setup_refuses_a_parameter_papermill_injected_but_the_notebook_lacks():
    namespace = {"city": "Astana", "lang": "en", "citi": "Almaty",
                 "In": ["", "# Parameters\nciti = \"Almaty\"\n"]}
    with pytest.raises(ParameterError, match=r"does not take parameter\(s\) \['citi'\]"):
        setup(namespace, "02_innovation_activity", show=False)


def test_setup_refuses_n_boot_given_to_a_notebook_without_it():
    namespace = {"city": "Astana", "lang": "en", "n_boot": 10,
                 "In": ["# Parameters\nn_boot = 10\n"]}
    with pytest.raises(ParameterError, match="n_boot"):
        setup(namespace, "02_innovation_activity", show=False)


def test_every_notebook_declares_only_known_parameters():
    from helpers.run.runner import notebook_names

    for name in notebook_names():
        check_values(declared_parameters(name))


def test_unknown_notebook_is_named():
    with pytest.raises(ParameterError, match="No notebook"):
        declared_parameters("99_nothing")


def test_survey_source_is_synthetic_or_a_city_with_responses():
    assert check_values({"source": "synthetic"})["source"] == "synthetic"
    with pytest.raises(ParameterError, match=r"no survey responses at .*data/survey/pavlodar\.csv"):
        check_values({"source": "Павлодар"})
    with pytest.raises(ParameterError, match="Valid choices"):
        check_values({"source": "../../etc/passwd"})


def test_a_program_output_table_is_marked_and_skipped_by_the_language_checks():
    from tests import text_checks

    table = pd.DataFrame({"value": ["path", 300]}, index=["inner_weighting", "max_iter"])
    shown = ProgramOutput(table)
    assert 'class="dataframe program-settings"' in shown._repr_html_()
    assert repr(shown) == repr(table)
    assert text_checks.table_cells(shown._repr_html_()) == []
    assert "path" in text_checks.table_cells(table.to_html())  # an ordinary table is checked


def test_setup_shows_its_table_without_loading_pandas_styler(tmp_path):
    """The parameters table is program output without pandas' Styler (its import and templates
    cost every notebook about a tenth of a second)."""
    code = ("import sys\nfrom IPython.core.interactiveshell import InteractiveShell\n"
            "shell = InteractiveShell.instance()\n"
            "result = shell.run_cell('city = \"almaty\"\\nfrom helpers.run.params import setup\\n"
            "ctx = setup(globals(), \"02_innovation_activity\")')\n"
            "assert result.success, result.error_in_exec\n"
            "print('pandas.io.formats.style' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=paths.ROOT, env={**os.environ,
                                               paths.OUTPUT_ROOT_VARIABLE: str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False", done.stdout


def test_setup_leaves_the_imported_modules_to_the_collector_no_more():
    """setup() freezes what the notebook imported (gc.freeze), so that the garbage collector does
    not walk the modules again at each full collection of the notebook's work."""
    code = ("import gc; from helpers.run.params import setup; before = gc.get_freeze_count(); "
            "setup({'city': 'Astana', 'lang': 'en'}, '02_innovation_activity', show=False); "
            "print(before, gc.get_freeze_count())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=paths.ROOT, check=True)
    before, after = map(int, done.stdout.split())
    assert before == 0 and after > 10_000
