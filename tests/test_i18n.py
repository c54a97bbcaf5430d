"""The sentence catalogue (data/i18n/sentences.csv) and helpers.registers.i18n."""

from __future__ import annotations

import pytest

from helpers.registers import i18n
from helpers.registers.labels import LANGUAGES


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
              and entry.get(lang) == entry["en"]]
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
