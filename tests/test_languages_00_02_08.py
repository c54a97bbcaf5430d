"""Notebooks 00, 02 and 08 in Kazakh and Russian: their sentences, tables and the report's evidence
column read in the language, with decimal commas, and record what the English run records."""

from __future__ import annotations

import json
import re

import pytest

from helpers.registers import i18n
from helpers.registers import verdicts as vd
from helpers.registers.labels import LANGUAGES
from helpers.steps import nb00_literature_framing as framing
from helpers.steps import nb02_innovation_activity as innovation
from helpers.steps import nb08_reproduction_report as rep
from tests.conftest import TEST_CITY, run_translated
from tests.text_checks import english_cells, english_in_notebook, stderr_outputs

NOTEBOOKS = {"00": "kazakhstan/00_literature_framing",
             "02": f"{TEST_CITY}/02_innovation_activity",
             "08": "kazakhstan/08_reproduction_report"}
"""The notebooks this module runs in kk and ru, by number: their executed file under reports/."""


def test_every_method_has_a_name_in_every_language_and_english_keeps_the_id():
    """The report's evidence names a rule's method: its id in English (as verdict_rules.csv
    writes it), a name in Kazakh and Russian."""
    for method in vd.METHODS:
        names = rep.method_names(method)
        assert set(names) == set(LANGUAGES) and names["en"] == method
        for lang in ("kk", "ru"):
            assert names[lang] != method and english_cells([names[lang]]) == [], (lang, method)
            assert re.search(r"[A-Za-z]{2,}", names[lang]) is None, (lang, names[lang])
    with pytest.raises(ValueError, match="valid choices"):
        rep.method_names("fisherz")
    row = {"interval": (0.1, 0.4), "level": 0.95, "margin": 0.1, "margin_reason": "",
           "method": "fisher_z", "power": ""}
    assert rep.evidence_text(row, "en").endswith("; method: fisher_z")
    assert rep.evidence_text(row, "kk").endswith("; әдіс: " + rep.method_names("fisher_z")["kk"])
    assert rep.evidence_text(row, "ru").endswith("; метод: интервал Фишера z")


@pytest.mark.parametrize("n", [1, 2, 4, 5, 21])
def test_russian_counts_stand_where_no_noun_agrees_with_them(n):
    """Russian nouns after a number change with it (1 шаг, 4 шага, 5 шагов): the sentences of
    notebooks 00 and 02 put their counts after a colon, so no count meets a noun form that
    only fits some numbers."""
    counts = framing.emphasis_counts(framing.load_definitions()).clip(upper=n)
    timeline = framing.load_timeline().head(n)
    scheme = framing.research_scheme(tuple(f"H{i + 1}" for i in range(n)))
    fit = innovation.TrendFit(0.35, -700.0, 0.9, n, tuple(range(2013, 2013 + n)))
    texts = [framing.emphasis_sentence(counts, n, "ru"),
             framing.timeline_sentence(timeline, lang="ru"),
             framing.scheme_sentence(scheme, 2 * n, n, "ru"),
             innovation.trend_sentence(fit, fit, 0.87, "ru")]
    assert i18n.problems("ru") == [] and all(re.search(r"\d", t) for t in texts)
    agreeing = r"\b\d+ (шагов|шага|блоков|стрелок|путями|точек|точкам|определений|подчёркивают)\b"
    assert [t for t in texts if re.search(agreeing, t)] == []


@pytest.fixture(scope="module")
def translated(study_root, tmp_path_factory):
    """``translated(lang)`` -> the output root of a run of notebooks 00, 02 and 08 in ``lang``
    for the test city, on a copy of the session run's records (the same in every language)."""
    roots = {}

    def run(lang: str):
        if lang not in roots:
            roots[lang] = run_translated(
                study_root, tmp_path_factory.mktemp(f"study-00-02-08-{lang}"), lang, NOTEBOOKS)
        return roots[lang]
    return run


def _outputs(path) -> str:
    """Every output of an executed notebook as text (printed, Markdown, HTML)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            found += ["".join(output.get("text", ""))] + ["".join(data.get(kind, ""))
                                                          for kind in ("text/markdown",
                                                                       "text/html")]
    return "\n".join(found)


def _results(path) -> dict:
    results = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["results"]
    return {k: v for k, v in results.items() if k != "figures"}  # files named by language


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_notebooks_00_02_and_08_read_in_the_language(lang, translated, study_root):
    """No sentence, header or cell reads as English; nothing on stderr; numbers of 02 and 08
    written with decimal commas (no decimal point left); the report's verdicts in the glossary's
    words and its methods by name, not id; the records are the English run's."""
    root = translated(lang)
    for number, name in NOTEBOOKS.items():
        path = root / "reports" / f"{name}.ipynb"
        assert english_in_notebook(path) == [], (lang, number)
        assert stderr_outputs(path) == [], (lang, number)
        assert _results(path) == _results(study_root / "reports" / f"{name}.ipynb"), number
        if number in ("02", "08"):
            # a file's name and a document's title in «…» (the «Standard 2.0») are names
            shown = re.sub(r"<style.*?</style>|\S+\.(svg|png|json|html|ipynb)\b|«[^»]*»", "",
                           _outputs(path), flags=re.S)
            assert re.search(r"\d,\d", shown), (lang, number)
            assert re.findall(r"\d\.\d", shown) == [], (lang, number)
    report = _outputs(root / "reports" / f"{NOTEBOOKS['08']}.ipynb")
    assert i18n.say("verdict.not checkable", lang) in report
    method = i18n.template("repro.method", lang).split("{")[0]
    assert [m for m in vd.METHODS if f"{method}{m}" in report] == [], lang
    page = (root / "reports" / "reproduction_report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page and rep.title(lang) in page


def test_figure_2_writes_numbers_the_language_s_way():
    """Figure 2's value labels, legend and tick labels: decimal points in English (matplotlib's
    own ticks, so the English SVG is unchanged), decimal commas in Kazakh and Russian, and years
    never grouped ("2 004")."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from helpers.plots import fig02
    from helpers.plots.figures import use_style
    from helpers.registers.article import figure2

    use_style()
    regions, series = innovation.regions_2022(), innovation.national_series("kazakhstan")
    window = series[series["year"] >= 2013]
    fit = innovation.linear_trend(window["year"], window["value"])
    for lang in LANGUAGES:
        fig = fig02.draw(TEST_CITY, regions, series, fit, innovation.official_national_2022(),
                         innovation.article_values(), figure2()["r2"], lang)
        fig.canvas.draw()
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
        plt.close(fig)
        points = [t for t in texts if re.search(r"\d\.\d", t)]
        commas = [t for t in texts if re.search(r"\d,\d", t)]
        assert (points and not commas) if lang == "en" else (commas and not points), lang
        assert "2022" in texts and not [t for t in texts if re.search(r"\b2\s0\d\d\b", t)], lang
