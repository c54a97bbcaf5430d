"""The reading edition: its words in three languages, its bibliography, the built site's files.

The site is built once per session from the session's study run (one city; see conftest), into a
temporary folder. The browser tests (tests/test_browser.py) open the same build.
"""

from __future__ import annotations

import html
import re
import string

import pytest

from helpers.registers import paths
from helpers.registers.data import read_table
from helpers.site import book, survey_form
from helpers.steps import nb07_survey as survey

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def entries():
    """Every three-language entry of book/text.yaml as (where, {lang: text})."""
    text = book.text()
    for section in ("ui", "verdicts", "kinds", "claims", "form"):
        for key, value in text[section].items():
            yield f"{section}.{key}", value


@pytest.mark.parametrize("where,value", list(entries()), ids=[w for w, _ in entries()])
def test_every_entry_has_three_languages_with_the_same_placeholders(where, value):
    assert set(value) == set(book.LANGS), f"{where}: languages {sorted(value)}"
    if where != "ui.english_reason":  # shown only beside a translation
        assert all(value[lang].strip() for lang in book.LANGS), f"{where}: an empty text"
    assert placeholders(value["kk"]) == placeholders(value["en"]) == placeholders(value["ru"])


def test_the_site_speaks_the_study_s_languages():
    from helpers.registers.labels import LANGUAGES

    assert book.LANGS == tuple(LANGUAGES)
    assert set(book.text()["languages"]) == set(LANGUAGES)


def test_the_kazakh_texts_are_kazakh_not_russian_copies():
    long = [(w, v) for w, v in entries() if len(v["en"]) > 40]
    assert len(long) > 20
    for where, value in long:
        assert KAZAKH_LETTERS & set(value["kk"]) or "{" in value["kk"], where
        assert value["kk"] != value["ru"], where


def test_every_verdict_of_the_report_has_its_words():
    from helpers.steps.nb08_reproduction_report import VERDICTS

    for verdict in VERDICTS:
        for lang in book.LANGS:
            assert book.verdict_word(verdict, lang)
        assert book.verdict_class(verdict) in book.VERDICT_ROLES and book.verdict_colour(verdict)
    with pytest.raises(book.BookError, match="no translation"):
        book.verdict_word("maybe", "kk")


def test_every_claim_of_the_report_is_translated_and_not_stale(report):
    claims = report(book.REPORT, paths.NATIONAL)["claims"]
    registry = read_table(paths.DATA / "article" / "claim_checks.csv")
    assert [c["id"] for c in claims] == list(registry["id"])
    own = book.text()["claims"]
    for claim in claims:
        for lang in ("kk", "ru"):
            translated = book.claim_text(claim, lang)
            assert translated and translated != claim["claim"] or claim["id"].startswith("T1-")
        if claim["id"] in own:
            assert own[claim["id"]]["en"] == claim["claim"], \
                f"{claim['id']}: the English claim changed; update its kk/ru in book/text.yaml"
        else:
            assert claim["id"].startswith("T1-"), f"{claim['id']} has no entry in book/text.yaml"
            assert book.claim_text(claim, "ru").startswith("Таблица 1: r(")


def test_an_untranslated_claim_stops_the_build_naming_it():
    with pytest.raises(book.BookError, match="claim 'X9' has no translation"):
        book.claim_text({"id": "X9", "claim": "new", "article": 1.0}, "kk")


def test_the_summary_sentence_counts_in_each_language():
    claims = [{"id": "A", "verdict": "reproduced"}, {"id": "B", "verdict": "differs"},
              {"id": "C", "verdict": "cannot be checked"}, {"id": "D", "verdict": "differs"}]
    assert book.summary_sentence(claims, "en").startswith("Of 4 claims: 1 consistent")
    assert "B, D" in book.summary_sentence(claims, "kk")
    assert book.summary_sentence(claims, "ru").startswith("Из 4 утверждений 1 согласуются")
    assert book.number(0.8693, "kk") == "0,8693" and book.number(0.8693, "en") == "0.8693"


def test_every_reference_number_of_notebook_00_is_in_the_bibliography():
    bib = book.BIB.read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = set()
    for name in ("definitions.csv", "timeline.csv"):
        table = read_table(paths.DATA / "article" / name)
        cited |= {int(n) for ref in table["ref"] for n in re.findall(r"\d+", str(ref))}
    assert cited and {f"article-ref-{n}" for n in cited} <= keys
    pages = book.validation_page() + book.BIBLIOGRAPHY
    methods = {k for ks in re.findall(r"\{cite\}`([^`]+)`", pages) for k in ks.split(",")}
    assert len(methods) > 8 and methods <= keys


def test_the_survey_form_has_every_item_in_each_language_once():
    page = survey_form.page()
    items = survey.instrument()
    sections = re.findall(r'<section class="sheet" lang="(\w+)"', page)
    assert sections == list(survey_form.ORDER)
    for lang in survey_form.ORDER:
        part = page.split(f'lang="{lang}" id="form-{lang}"')[1].split("</section>")[0]
        for text in items[f"text_{lang}"]:
            assert part.count(html.escape(text)) == 1
        assert part.count("☐") == len(items) * len(survey.scale())


# ----------------------------------------------------------------------------------------------
# The built site
# ----------------------------------------------------------------------------------------------

def test_the_site_holds_every_page(site):
    for page in ("index.html", "kk/index.html", "ru/index.html", "reproduction.html",
                 "kk/reproduction.html", "ru/reproduction.html", "sources.html",
                 "validation.html", "bibliography.html", book.SURVEY_FORM,
                 "national/00_literature_framing.html",
                 "cities/almaty/index.html", "cities/almaty/04_pls_estimation.html",
                 "national/08_reproduction_report.html"):
        assert (site / page).exists(), f"{page} was not built"


def test_the_landing_page_shows_every_claim_and_the_city_figures(site, report):
    claims = report(book.REPORT, paths.NATIONAL)["claims"]
    city = next(c for c in report(book.REPORT, paths.NATIONAL)["cities"]
                if c["city"] == "almaty")
    for lang, folder in (("en", ""), ("kk", "kk/"), ("ru", "ru/")):
        page = (site / f"{folder}index.html").read_text(encoding="utf-8")
        for claim in claims:
            assert f'<td class="id">{claim["id"]}</td>' in page, (lang, claim["id"])
        assert book.number(city["innovation 2022, %"], lang) in page
        assert book.summary_sentence(claims, lang, differing=False) in html.unescape(page)
        assert 'class="vbadge"' in page
        counts = report(book.REPORT, paths.NATIONAL)["counts"]
        report_page = html.unescape((site / f"{folder}reproduction.html").read_text(
            encoding="utf-8"))
        for verdict, n in counts.items():  # the landing page and the report, number for number
            if n:
                badge = f"{book.verdict_word(verdict, lang)}: {n}"
                assert badge in html.unescape(re.sub(r"</?b>", "", page)), (lang, badge)
                assert badge in re.sub(r"</?b>", "", report_page), (lang, badge)
    kk = (site / "kk/index.html").read_text(encoding="utf-8")
    assert "Алматы" in kk and book.verdict_word(claims[0]["verdict"], "kk") in kk


def test_figures_are_svg_and_notebook_pages_have_launch_links(site):
    page = (site / "cities/almaty/02_innovation_activity.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+)"', page)
    assert images and all(src.endswith(".svg") for src in images), images
    assert "localhost:8888/lab/tree/02_innovation_activity.ipynb" in page
    assert "Binder" in page


def test_the_validation_page_reads_the_record_of_the_test_run():
    rows = book.validation_rows()
    assert len(rows) == 9 and all(n > 0 for _, n, _ in rows)
    assert max(d for _, _, d in rows) < 1e-10
    page = book.validation_page()
    assert all(f"| {q} | {n} |" in page for q, n, _ in rows)


def test_kind_and_robustness_are_shown_where_the_report_has_them():
    claims = [{"id": "H1", "claim": "H1 is confirmed", "article": "confirmed",
               "ours": "not confirmed", "verdict": "inconsistent",
               "kind": "data-analytic replication", "robustness": 0.031,
               "robustness_text": "of 786 specifications: 3.1% consistent"},
              {"id": "C2", "claim": "Innovation activity of Astana was 14.2 in 2023",
               "article": 14.2, "ours": 14.8, "verdict": "consistent",
               "kind": "source-data reproduction", "robustness": None}]
    table = book.verdict_table(claims, "kk", reasons=False)
    assert book.ui("col_kind", "kk") in table and book.ui("col_robustness", "kk") in table
    share = book.i18n.number(0.031, "kk", ".0%")  # Babel's Kazakh percent: "3%"
    assert "басқа деректерде қайталау" in table and f"спецификациялардың {share} сәйкес" in table
    assert 'title="of 786 specifications: 3.1% consistent"' in table
    assert "<td>—</td>" in table  # no robustness for a claim that is not structural
    assert book.extra_columns([{"id": "A"}]) == []
    with pytest.raises(book.BookError, match="kind of check 'guess'"):
        book.verdict_table([{**claims[0], "kind": "guess"}], "ru", reasons=False)


def test_the_interval_margin_method_and_robustness_shares_are_shown():
    claim = {"id": "T1-З-ӘО", "claim": "x", "article": 0.436, "ours": -0.41,
             "verdict": "inconsistent", "kind": "data-analytic replication",
             "interval": [-0.72, 0.044], "margin": 0.1, "margin_reason": "why",
             "method": "fisher_z",
             "power": "", "robustness": 0.0,
             "robustness_shares": {"consistent": 0.0, "inconsistent": 0.04, "inconclusive": 0.96,
                                   "not checkable": 0.0}}
    table = book.verdict_table([claim], "ru", reasons=False)
    assert "[−0,72; 0,044] ±0,1 fisher_z" in table or "[-0,72; 0,044] ±0,1 fisher_z" in table
    assert "4 % не согласуется, 96 % не определено" in table
    assert book.ui("col_interval", "kk") in book.verdict_table([claim], "kk", reasons=False)
