"""The sentence catalogue (data/i18n/sentences.csv) and helpers.registers.i18n."""

from __future__ import annotations

import re

import pytest

from helpers.registers import i18n
from helpers.registers.labels import LANGUAGES
from tests.conftest import TEST_CITY, run_translated


def test_every_sentence_is_translated_with_its_placeholders():
    assert i18n.problems() == []
    assert len(i18n.catalogue()) > 30


def test_numbers_follow_the_language():
    values = dict(per_predictor=3.3333, min_r2=0.5, failed=12, n_boot=5000, share=0.0024)
    en, kk, ru = (i18n.say("estimation.power", lang, **values) for lang in ("en", "kk", "ru"))
    assert "3.3 observations" in en and "12 of 5,000" in en and "0.50" in en
    assert "3,3" in kk and "0,50" in kk and "5\xa0000" in kk and "0,2%" in kk
    assert "3,3" in ru and "0,50" in ru and "0,2\xa0%" in ru
    assert i18n.number(-0.1234, "kk", "+.2f") == "-0,12"
    assert i18n.number(0.1234, "ru", "+.2f") == "+0,12"
    assert i18n.interval(0.1, 0.25, "kk") == "[0,10; 0,25]"
    assert i18n.interval(0.1, 0.25, "en") == "[0.10, 0.25]"
    assert i18n.number(float("nan"), "kk") == "—"


def test_plural_forms_follow_the_language():
    assert i18n.say("estimation.warnings", "en", n=1) == "The estimation raised 1 warning:"
    assert i18n.say("estimation.warnings", "en", n=2).endswith("2 warnings:")
    assert i18n.say("estimation.warnings", "ru", n=2).endswith("2 предупреждения:")
    assert i18n.say("estimation.warnings", "ru", n=5).endswith("5 предупреждений:")
    assert i18n.say("estimation.warnings", "ru", n=21).endswith("21 предупреждение:")


def test_a_missing_translation_names_the_key_and_the_file(tmp_path, monkeypatch):
    broken = tmp_path / "sentences.csv"
    broken.write_text('key,count,en,kk,ru\na.b,,x {n},,y {m}\n', encoding="utf-8")
    found = i18n.problems(path=broken)
    assert any("a.b has no kk translation" in p for p in found)
    assert any("a.b (ru) has placeholders ['m'], the English ['n']" in p for p in found)
    with pytest.raises(i18n.TranslationError, match=r"sentences.csv.*a\.b has no kk"):
        i18n.require("kk", broken)
    with pytest.raises(i18n.TranslationError, match="has no kk translation of 'a.b'"):
        i18n.template("a.b", "kk", path=broken)
    with pytest.raises(i18n.TranslationError, match=r"data/i18n/sentences.csv has no sentence"):
        i18n.say("no.such.key", "en")


def test_setup_stops_a_run_whose_language_lacks_a_sentence(monkeypatch):
    from helpers.run import params

    entries = dict(i18n.catalogue())
    entries["estimation.power"] = {**entries["estimation.power"], "kk": ""}
    i18n.catalogue.cache_clear()
    monkeypatch.setattr(i18n, "catalogue", lambda path=i18n.CATALOGUE: entries)
    with pytest.raises(i18n.TranslationError, match=r"estimation.power has no kk translation"):
        params.setup({"lang": "kk"}, "04_pls_estimation", show=False)
    params.setup({"lang": "ru"}, "04_pls_estimation", show=False)
    assert i18n.current() == "ru"
    i18n.use("en")


def test_the_language_is_set_once_and_can_be_overridden():
    with i18n.speaking("kk"):
        assert i18n.say("word.none") == "жоқ"
        assert i18n.say("word.none", "ru") == "нет"
    assert i18n.current() == "en"
    with pytest.raises(i18n.TranslationError, match="Unknown language 'xx'"):
        i18n.use("xx")
    assert set(LANGUAGES) == {"en", "kk", "ru"}


def test_every_verdict_and_finding_word_has_a_sentence():
    from helpers.registers import verdicts as vd

    for lang in LANGUAGES:
        for verdict in vd.VERDICTS:
            assert i18n.say(f"verdict.{verdict}", lang)
        for finding in vd.HYPOTHESIS_FINDINGS:
            assert i18n.say(f"finding.{finding}", lang)


def test_no_translation_is_a_copy_of_the_english():
    """A row whose Kazakh or Russian text is the English one was added untranslated."""
    copies = [(key, lang) for key, entry in i18n.catalogue().items() for lang in ("kk", "ru")
              if isinstance(entry.get("en"), str) and len(entry["en"]) > 25
              and re.search(r"[^\W\d_]", re.sub(r"\{[^}]*\}", "", entry["en"]))
              and entry.get(lang) == entry["en"]]  # words, not placeholders alone
    assert copies == []


def test_a_message_is_recorded_without_a_language_and_written_in_any():
    """A Message (key + values, nested messages and intervals included) survives the JSON record
    and writes the same English as before, and its own words in Kazakh and Russian."""
    import json

    inner = i18n.Message("innovation.steps", steps="2014→2015")
    message = i18n.Message("innovation.reason_c5", falls=i18n.Message("innovation.steps_none"),
                           flats=inner, n_gaps=9, first="2005", last="2022",
                           gaps=i18n.Message("word.none"))
    again = i18n.Message.from_dict(json.loads(json.dumps(message.as_dict())))
    assert again == message
    english = message.text("en")
    assert "falls in no step and stays flat in 2014→2015" in english
    for lang in ("kk", "ru"):
        text = i18n.written(message.as_dict(), lang)
        assert text != english and "2014→2015" in text and "no step" not in text
    assert i18n.Message.from_dict({"key": "number.interval", "values": {
        "low": "a", "high": "b"}}).text("kk") == "[a; b]"
    with pytest.raises(i18n.TranslationError, match="sentences.csv has no sentence 'no.such'"):
        i18n.Message("no.such")


def test_notebook_02_reasons_and_summary_read_in_every_language():
    """Notebook 02's verdict reasons and summary: English as recorded, Kazakh and Russian from
    the recorded message, with the language's decimal comma."""
    from helpers.steps import nb02_innovation_activity as innovation

    series = innovation.national_series()
    window = series[series["year"] >= 2013]
    fit = innovation.linear_trend(window["year"], window["value"])
    verdicts = innovation.figure2_verdicts(series, fit, innovation.regions_2022())
    for v in verdicts.values():
        assert i18n.written(v["message"], "en") == v["reason"]
    english = innovation.verdict_lines(verdicts, "en")
    assert english[1].startswith("C3 — inconsistent: the article labels 11.8 as 2023")
    for lang in ("kk", "ru"):
        lines = innovation.verdict_lines(verdicts, lang)
        assert len(lines) == 4 and all(a != b for a, b in zip(lines, english, strict=True))
        assert "11,8" in lines[1] and "11.8" not in lines[1]
        assert "the article" not in " ".join(lines)
        summary = innovation.summary_sentence(verdicts, fit, 0.8693, lang)
        assert "0,8693" in summary and "The article" not in summary
    assert "0.8693" in innovation.summary_sentence(verdicts, fit, 0.8693, "en")


def test_every_data_text_the_report_shows_has_its_translations():
    """The report's claims, notes, rule notes, margin reasons, locations and display items are
    English in data/article/…; each has its row in data/i18n/data_texts.csv (a changed English
    text is listed here, as is a row no text uses any more)."""
    from helpers.steps import nb00_literature_framing as framing
    from helpers.steps import nb01_data_assembly as coverage
    from helpers.steps import nb06_city_report as city
    from helpers.steps import nb07_article_reconstruction as reconstruction
    from helpers.steps import nb08_reproduction_report as rep

    shown = (rep.texts_shown() + framing.texts_shown() + city.texts_shown()
             + coverage.texts_shown() + reconstruction.texts_shown())
    rows = i18n.data_texts()
    assert [t for t in shown if t not in rows] == []
    assert [t for t in rows if t not in set(shown)] == []
    for lang in ("kk", "ru"):
        assert all(rows[t][lang].strip() and rows[t][lang] != t for t in shown if len(t) > 25)
        assert all(("{article}" in t) == ("{article}" in rows[t][lang]) for t in shown)


def test_a_data_text_without_its_translation_stops_the_run(tmp_path, monkeypatch):
    path = tmp_path / "data_texts.csv"
    path.write_text("en,kk,ru\nsome note,бір ескерту,\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "DATA_TEXTS", path)
    original = i18n.data_texts
    monkeypatch.setattr(i18n, "data_texts", lambda: original(path))
    i18n.require("kk")
    with pytest.raises(i18n.TranslationError, match=r"data_texts.csv: 'some note' has no ru"):
        i18n.require("ru")
    with pytest.raises(i18n.TranslationError, match="data_texts.csv has no ru translation"):
        i18n.Message("text.as_is", text=i18n.texts("some note")).text("ru")
    assert i18n.Message("text.as_is", text=i18n.texts("some note")).text("kk") == "бір ескерту"


def test_the_reproduction_report_reads_in_every_language(study_root, monkeypatch):
    """Notebook 08's claims table, summary and standalone page from the session run's records:
    Kazakh and Russian words and decimal commas; the English record is the same whatever the
    language of the table shown."""
    import json

    from helpers.registers import paths
    from helpers.steps import nb08_reproduction_report as rep
    from tests.text_checks import english_cells

    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(study_root))
    results = rep.Results([TEST_CITY])
    checks = rep.load_checks()
    table = rep.evaluate(checks, results, rep.robustness_shares(results),
                         rep.second_reading(results)[0])
    english = rep.display_table(table, "en")
    assert english_cells(english.columns) and english_cells(english.astype(str).to_numpy().ravel())
    for lang in ("kk", "ru"):
        shown = rep.display_table(table, lang)
        assert english_cells(shown.columns) == []
        assert english_cells(shown.iloc[:, 1:].astype(str).to_numpy().ravel()) == []
        assert any(re.search(r"\d,\d", cell) for cell in shown.iloc[:, 3].astype(str))
        summary = rep.summary_sentence(table, lang)
        assert "claims" not in summary and str(len(table)) in summary
        page = rep.html_page(table, rep.city_summaries(results), rep.title(lang), summary,
                             rep.display_items(), lang)
        assert f'<html lang="{lang}">' in page and "margin ±" not in page
    with i18n.speaking("kk"):
        again = rep.evaluate(checks, results, rep.robustness_shares(results),
                             rep.second_reading(results)[0])
    def recorded(t):  # NaN is not NaN: compare the JSON text
        return json.dumps(rep.records(t), sort_keys=True, default=str)
    assert recorded(again) == recorded(table)


def test_notebook_03_tables_read_in_kazakh_and_russian_and_english_as_before():
    """Notebook 03's tables shown in kk/ru carry no English header or word of theirs, factor ids
    and region slugs become names, numbers take a decimal comma; in English the words stay."""
    import pandas as pd

    from helpers.registers import data
    from helpers.steps import nb03_correlation_analysis as correlation
    from tests.text_checks import english_cells

    book = data.load_codebook()
    used = data.years_used(data.cross_section(codebook=book)).set_index("column")[
        ["years", "source_table"]]
    pairs = pd.DataFrame({"x": ["social"], "y": ["law"], "method": ["spearman"], "r": [-0.236],
                          "p_holm": [0.5]}, index=pd.Index(["almaty"], name="region"))
    for lang in ("kk", "ru"):
        for table in (correlation.indicators_shown(book, used, lang),
                      correlation.shown(pairs, lang)):
            headers = [*table.columns, table.index.name]
            cells = [*headers, *table.index, *table.to_numpy().ravel()]
            assert english_cells(cells) == [], lang
            assert set(map(str, cells)) & set(correlation.TABLE_WORDS) == set(), lang
        kk = correlation.shown(pairs, lang)
        assert kk.iloc[0, 3] == "-0,236" and kk.index[0] != "almaty" and kk.iloc[0, 0] != "social"
    english = correlation.shown(pairs, "en")
    assert [*english.columns, english.index.name] == [*pairs.columns, "region"]
    assert english.iloc[0, 2] == "spearman" and english.iloc[0, 3] == "-0.236"


def test_notebook_06_tables_read_in_kazakh_and_russian_and_english_as_before():
    """Notebook 06's break and statement tables in kk/ru: no English header, word or sentence of
    theirs (the statements, their locations and what the data say are translated), decimal
    commas in its factor table; in English the columns and texts are the record's."""
    from helpers.steps import nb06_city_report as city
    from tests.text_checks import english_cells

    p = city.build_profile(TEST_CITY)
    assert len(p.breaks) and len(p.statements)
    for lang in ("kk", "ru"):
        for table in (city.display_breaks(p, lang), city.display_statements(p, lang)):
            cells = [*table.columns, *table.to_numpy().ravel()]
            assert english_cells(cells) == [], lang
            assert set(map(str, cells)) & set(city.TABLE_WORDS) == set(), lang
            assert all(i18n.Message is not type(c) for c in cells)
        said = city.display_statements(p, lang)[city.label("tab_data", lang)]
        assert not set(said) & set(p.statements["data"]), lang
        assert any("," in str(v) for v in city.display_factors(p, lang).iloc[:, 2]), lang
    english = city.display_statements(p, "en")
    assert list(english.columns) == [c for c in p.statements.columns
                                     if c not in ("data_values", "data_said")]
    assert list(english["data"]) == list(p.statements["data"])
    assert list(city.display_breaks(p, "en")["note"]) == list(p.breaks["note"])


def test_notebook_05_tables_read_in_kazakh_and_russian_and_english_as_before():
    """Notebook 05's tables shown in kk/ru: its headers and words translated, region slugs and
    factor ids as names, yes/no, decimal commas; in English the words stay."""
    import pandas as pd

    from helpers.steps import nb05_robustness as robustness
    from tests.text_checks import english_cells

    shares = pd.DataFrame({"consistent": [0.972], "not checkable": [0.0]},
                          index=pd.Index(["C6"], name="claim")).rename_axis(columns="verdict")
    levels = pd.DataFrame({"dimension": ["year_rule"], "level": ["mean3"], "share": [0.5]})
    priority = pd.DataFrame({"main_priority": ["technology"], "n_same": [794], "share_same": [0.89],
                             "pls_beats_lm": [False]}, index=pd.Index(["abai"], name="region"))
    for lang in ("kk", "ru"):
        for table in (shares, levels, priority):
            out = robustness.shown(table, lang)
            cells = [*out.columns, out.index.name, out.columns.name, *out.index,
                     *out.to_numpy().ravel()]
            assert english_cells(cells) == [], lang
            assert set(map(str, cells)) & set(robustness.TABLE_WORDS) == set(), lang
        assert robustness.shown(priority, lang).iloc[0, 2] == "0,89"
    english = robustness.shown(priority, "en")
    assert list(english.columns) == list(priority.columns) and english.iloc[0, 3] == "no"


TRANSLATED_RUNS = {"kk": ("03", "05", "06"), "ru": ("03", "04", "06")}
"""The notebooks each translated run executes for the test city. Kazakh 04 is the session's
Kazakh run (conftest's ``study_root_kk``); Russian leaves out 05, the national notebook that
estimates its 1,000 specifications again in every run (its Kazakh run checks the same code)."""


@pytest.fixture(scope="module")
def translated_run(study_root, tmp_path_factory):
    """``translated_run(lang)`` -> the output root of a run of :data:`TRANSLATED_RUNS` in
    ``lang``, once per module, on a copy of the session run's records and cache (records are
    the same in every language; 03's and 04's national parts are read back, not recomputed)."""
    roots = {}

    def run(lang: str):
        if lang not in roots:
            roots[lang] = run_translated(study_root, tmp_path_factory.mktemp(f"study-{lang}"),
                                         lang, TRANSLATED_RUNS[lang])
        return roots[lang]
    return run


def _executed(root, numbers):
    """The executed notebooks ``numbers`` of a run into ``root`` (per city: the test city's)."""
    from helpers.run import contract
    from helpers.run.declared import declared_parameters

    names = {name[:2]: name for name in contract.sequence()}
    for number in numbers:
        name = names[number]
        folder = TEST_CITY if "city" in declared_parameters(name) else "kazakhstan"
        yield root / "reports" / folder / f"{name}.ipynb"


@pytest.mark.parametrize("lang", sorted(TRANSLATED_RUNS))
def test_the_translated_notebooks_03_to_06_have_no_english(lang, translated_run, study_root_kk,
                                                           study_root):
    """Notebooks 03–06 run in Kazakh and Russian for the test city: no sentence, table header
    or cell of theirs reads as English (tests/text_checks.py), nothing is printed on stderr
    (a library's warnings, in English, are said by the notebooks in their language), and what
    they record is the English run's record."""
    from tests.text_checks import english_in_notebook, stderr_outputs

    executed = list(_executed(translated_run(lang), TRANSLATED_RUNS[lang]))
    if lang == "kk":
        executed += list(_executed(study_root_kk, ["04"]))
    assert len(executed) == len(TRANSLATED_RUNS[lang]) + (lang == "kk")
    for path in executed:
        assert english_in_notebook(path) == [], path.name
        assert stderr_outputs(path) == [], path.name
        english = study_root / path.relative_to(path.parents[2])
        assert _results(path) == _results(english), f"{path.name}: the record is not English's"


def _results(executed):
    """A notebook's recorded results beside its executed notebook, without its figures (whose
    files are named by language)."""
    import json

    results = json.loads(executed.with_suffix(".json").read_text(encoding="utf-8"))["results"]
    return {k: v for k, v in results.items() if k != "figures"}


def test_interval_headers_say_their_level_in_every_language():
    """The bounds of an interval say its level, taken from the caller's computation; numbers in
    a column of mixed values (a transposed table) are written the language's way too."""
    import pandas as pd

    table = pd.DataFrame({"ci_low": [0.1], "ci_high": [0.2], "note": ["x"]})
    assert list(i18n.shown(table, "en", level=0.95).columns[:2]) == ["95 % CI, low",
                                                                      "95 % CI, high"]
    assert i18n.shown(table, "ru", level=0.9).columns[0] == "90 % ДИ: нижняя граница"
    assert i18n.shown(table, "kk", level=0.975).columns[1] == "97,5 % СА жоғарғы шегі"
    assert list(i18n.shown(table, "en").columns[:2]) == ["ci_low", "ci_high"]  # no level given
    with pytest.raises(ValueError, match="between 0 and 1"):
        i18n.level_header("ci_low", 95, "en")
    with pytest.raises(ValueError, match="valid: ci_low"):
        i18n.level_header("estimate", 0.95, "en")
    mixed = pd.DataFrame({"value": [6.429163, True, 3]}, dtype=object)
    assert list(i18n.readable(mixed, "kk")["value"]) == ["6,429", True, 3]


def test_notebook_03s_c1_sentence_reads_in_the_language_with_its_power():
    """C1's verdict, its reason and the power sentence that decides it are written in the
    notebook's language; in English they are the recorded texts."""
    from helpers import stats
    from helpers.registers import article
    from helpers.steps import nb03_correlation_analysis as correlation
    from tests.text_checks import english_sentences

    half = article.table1() * 1.3
    ours, theirs = (stats.threshold_check(m, 0.42) for m in (half, article.table1()))
    judged = correlation.c1_verdict(half, 20, 0.42)
    assert judged.verdict == "inconclusive" and judged.power
    english = correlation.c1_sentence(ours, theirs, 0.42, judged, "en")
    assert f"{judged.reason}; {judged.power}." in english
    for lang in ("kk", "ru"):
        text = correlation.c1_sentence(ours, theirs, 0.42, judged, lang)
        assert english_sentences(text) == [], lang
        assert judged.power_said.text(lang) in text and judged.said.text(lang) in text


def test_notebook_06s_series_sentence_writes_its_breaks_in_the_language():
    """Almaty's emissions series has a coverage break: the series sentence names it in the
    language (the breaks table's label), in English the recorded note."""
    from helpers.registers.regions import region_by_slug
    from helpers.steps import nb06_city_report as city
    from tests.text_checks import english_sentences

    p = city.build_profile(TEST_CITY)
    region = region_by_slug(TEST_CITY)
    broken = [k for k, e in p.summary.items() if not e["comparable"]]
    assert broken, "the test city should have a series with a break"
    english = city.series_sentence(p, region, "en")
    assert all(note in english for k in broken for note in p.summary[k]["breaks"])
    for lang in ("kk", "ru"):
        text = city.series_sentence(p, region, lang)
        assert english_sentences(text) == [], lang
        notes = [n for k in broken for n in city.break_notes(p, k, lang)]
        assert notes and all(n in text for n in notes), lang
        assert list(city.display_breaks(p, lang).columns) == [
            city.label(f"tab_{w}", lang) for w in ("indicator", "year", "kind", "note")]
        said = city.display_statements(p, lang)[city.label("tab_data", lang)]
        assert not any("_" in text for text in said), lang  # indicators by name, not by id


def test_records_stay_english_whatever_the_notebooks_language():
    """Notebook 04's hypothesis rule and notebook 06's strengths and gaps are recorded in
    English in a Kazakh run too (the notebook shows them in its language)."""
    from helpers.steps import nb04_pls_estimation as estimation
    from helpers.steps import nb06_city_report as city

    p = city.build_profile(TEST_CITY)
    with i18n.speaking("kk"):
        recorded = city.strengths_record(p)
        shown = city.strengths_sentence(p)
        rule = estimation.hypothesis_rule(i18n.SOURCE_LANGUAGE)
    assert recorded == dict(zip(("strengths_text", "gaps_text"),
                                city.strengths_sentence(p, "en"), strict=True))
    assert recorded["strengths_text"] != shown[0]
    assert rule == estimation.hypotheses.RULE.format(min=estimation.MIN_STRENGTH)
