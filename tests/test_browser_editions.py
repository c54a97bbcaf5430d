"""The Kazakh and Russian editions' data-and-methods pages and Class section in a real browser
(issue 20): the theme's own labels, the navigation and the page bodies in the edition's language.
Reuses the served site and the headless Chromium of tests/test_browser.py."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from helpers.registers import paths
from helpers.registers.i18n import written
from helpers.site import book, theme_locale
from helpers.site.words import text, word
from tests.test_browser import (  # noqa: F401  (fixtures)
    ENGLISH_WORDS,
    driver,
    english_sentences,
    served,
    wait_for,
)

PAGES = ["sources.html", "validation.html", "bibliography.html", "class/e02_table1_cell.html"]
EDITION = {
    "kk": {"captions": ("Зерттеу", "Деректер және әдістер", "Сабақ"), "search": "Іздеу",
           "results": "Іздеу нәтижелері", "show": "Көрсету үшін басыңыз", "letters": "әғқңөұүһі"},
    "ru": {"captions": ("Исследование", "Данные и методы", "Занятия"), "search": "Поиск",
           "results": "Результаты поиска", "show": "Нажмите, чтобы показать",
           "letters": "абвгдежзийклмнопрстуфхцчшщыэюя"},
}

CHROME = """
const out = [];
for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]'))
  for (const a of ['title', 'aria-label', 'placeholder'])
    if (el.getAttribute(a)) out.push(el.getAttribute(a).trim());
for (const el of document.querySelectorAll('button, a, span, label, h2, h3, p.caption, div'))
  if (el.children.length === 0 && el.innerText) out.push(el.innerText.trim());
return out;
"""
"""The labels of the page's chrome: tooltips, accessible names, placeholders, and the text of
elements with no child elements (buttons, links, captions, toggles)."""


def theme_labels(lang: str) -> set[str]:
    """The English labels the project's catalogues translate for ``lang`` into other words (their
    msgids; a key's name such as "Ctrl" translates as itself)."""
    found = set()
    for po in theme_locale.catalogues(lang).values():
        with po.open("rb") as handle:
            found |= {m.id for m in read_po(handle) if m.id and m.string and m.string != m.id}
    return found


OVERRIDDEN = """
const label = el => el && (el.getAttribute('data-bs-original-title') || el.getAttribute('title')
                          || el.getAttribute('aria-label'));
return {
  'Toggle primary sidebar': label(document.querySelector('button.primary-toggle.btn-sm')),
  'Toggle secondary sidebar': label(document.querySelector('button.secondary-toggle.btn-sm')),
  'Main': label(document.querySelector('nav.bd-docs-nav')),
  'Page': label(document.querySelector('#jb-print-toc nav')),
  'Ctrl': [...document.querySelectorAll('.search-button__kbd-shortcut kbd.kbd-shortcut__modifier')]
            .map(e => e.textContent.trim()).filter(t => t !== 'K'),
};
"""
"""The labels the themes write into their templates as plain English, as the page shows them
(Bootstrap moves a tooltip's ``title`` to ``data-bs-original-title``): the project's template
overrides put them through gettext (book/templates/components)."""


def check_overridden_labels(browser, lang: str, page: str) -> set[str]:
    """The hard-coded theme labels of the page are the catalogue's ``lang`` words; returns the
    labels the page has."""
    words = theme_locale.messages(theme_locale.catalogues(lang)["sphinx"])
    found = browser.execute_script(OVERRIDDEN)
    for english, shown in found.items():
        if not shown:  # "Page" only where the page has contents, the secondary toggle too
            continue
        if english == "Ctrl":
            assert set(shown) == {words["Ctrl"]}, (lang, page, shown)
        else:
            assert shown == words[english] != english, (lang, page, english, shown)
    return {english for english, shown in found.items() if shown}


def english(text: str) -> bool:
    """Three common English words: English (as tests/test_browser.py reads prose)."""
    return sum(w in ENGLISH_WORDS for w in re.findall(r"[a-z']+", text.lower())) >= 3


@pytest.mark.parametrize("lang", sorted(EDITION))
def test_the_data_and_methods_pages_and_the_class_read_in_the_edition_s_language(
        driver, served, lang):  # noqa: F811
    want = EDITION[lang]
    labels = theme_labels(lang)
    assert {"Search", "On this page", "next", "previous", "Contents", "Main"} <= labels
    overridden = set()
    for page in PAGES:
        driver.get(f"{served}{lang}/{page}")
        wait_for(lambda: driver.execute_script("return document.readyState") == "complete",
                 30, f"{lang}/{page} to load")
        assert driver.execute_script("return document.documentElement.lang") == lang, page
        nav = driver.execute_script(
            "return (document.querySelector('.bd-sidebar-primary') || document.body).innerText")
        for caption in want["captions"]:
            assert caption in nav, (lang, page, caption, nav[:400])
        search = driver.execute_script(
            "return [...document.querySelectorAll('.search-button__default-text')]"
            ".map(e => e.textContent.trim())")
        assert search and set(search) == {want["search"]}, (page, search)
        overridden |= check_overridden_labels(driver, lang, page)
        shown = set(driver.execute_script(CHROME))
        untranslated = sorted(shown & labels)
        assert not untranslated, (lang, page, untranslated)
        pager = driver.execute_script(
            "return [...document.querySelectorAll('.prev-next-subtitle')].map(e => e.innerText)")
        assert pager and not set(pager) & {"previous", "next"}, (page, pager)
        # citations stay as published (the bibliography's entries of published works); the
        # fields the study wrote itself are in the edition's language
        cited = driver.execute_script(
            "return [...document.querySelectorAll('main div.citation')].map(e => e.innerText)")
        own = [word("bibliography", key, lang) for key in text()["bibliography"]]
        published = [c for c in cited if not any(o in c for o in own)]
        found = [s for s in english_sentences(driver) if not any(s in c for c in published)]
        assert not found, (lang, page, found[:5])
        if page == "bibliography.html":
            assert len(cited) > 10 and all(o in "\n".join(cited) for o in own), (lang, cited[:3])
        heads = driver.execute_script(
            "return [...document.querySelectorAll('main th, main .admonition-title, "
            "main p.caption')].map(e => e.innerText)")
        assert not [h for h in heads if english(h)], (lang, page, heads)
        body = driver.find_element("css selector", "main").text.lower()
        assert set(want["letters"]) & set(body), page
        if page.startswith("class/"):
            hint = driver.execute_script(  # sphinx-togglebutton's hint, a global `let`
                "return typeof toggleHintShow === 'undefined' ? '' : toggleHintShow")
            assert hint == want["show"], (page, hint)
    assert overridden == {"Toggle primary sidebar", "Toggle secondary sidebar", "Main", "Page",
                          "Ctrl"}, overridden  # every overridden label was seen and checked
    # the search page's script speaks the edition's language too
    driver.get(f"{served}{lang}/search.html?q=PLS")
    wait_for(lambda: driver.execute_script(
        "const h = document.querySelector('#search-results h2');"
        f"return h && h.innerText.includes('{want['results']}')"), 60,
        f"the {lang} search results' heading")
    # the check works: the English sources page reads as English
    driver.get(served + "sources.html")
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", 30,
             "the English sources page")
    assert english_sentences(driver)


@pytest.mark.parametrize("lang", sorted(EDITION))
def test_the_report_gives_each_claim_s_reason_in_the_edition_s_language(
        driver, served, report, lang):  # noqa: F811
    """The reproduction page's last column: each claim's reason as notebook 08 recorded it (its
    ``message``), written in the edition's language, not the English record's ``reason``."""
    claims = report(book.REPORT, paths.NATIONAL)["claims"]
    driver.get(f"{served}{lang}/reproduction.html")
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", 30,
             f"{lang}/reproduction.html to load")
    head = driver.execute_script(
        "return [...document.querySelectorAll('main table.verdicts th')].map(e => e.innerText)")
    assert head[-1].strip() == book.ui("col_reason", lang), head
    heads = [h.strip() for h in head]
    at, robust = heads.index(book.ui("col_interval", lang)), heads.index(
        book.ui("col_robustness", lang))
    rows = driver.execute_script(
        "return [...document.querySelectorAll('main table.verdicts tbody tr')]"
        ".map(r => [r.querySelector('td.id').innerText, r.lastElementChild.innerText,"
        f" r.children[{at}].getAttribute('title'), r.children[{robust}].getAttribute('title')])")
    assert [r[0].strip() for r in rows] == [c["id"] for c in claims]
    for (claim_id, shown, title, spread), claim in zip(rows, claims, strict=True):
        # the robustness tooltip: the verdicts over notebook 05's specifications, in words
        assert (spread or "") == book.robustness_title(claim, lang), (lang, claim_id, spread)
        assert not (claim["robustness_text"] and "specifications" in spread), spread
        shown = " ".join(shown.split())
        assert shown == " ".join(written(claim["message"], lang).split()), (lang, claim_id, shown)
        assert shown != " ".join(claim["reason"].split()) and not english(shown), (lang, shown)
        # the interval's tooltip: the margin's reason and the power, in the edition's language
        assert title == book.evidence_title(claim, lang), (lang, claim_id, title)
        assert not (claim["power"] and claim["power"] in title), (lang, claim_id, title)
    assert not english_sentences(driver), lang
