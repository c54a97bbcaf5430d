"""The verdict words and kinds of check read the same everywhere a reader meets them: the glossary
(data/i18n/glossary.csv) is the reference, and the sentence catalogue, the labels, the site's
book/text.yaml and the notebooks' .po files follow it."""

from __future__ import annotations

import csv
import re

import pytest

from helpers.registers import i18n
from helpers.registers import verdicts as vd
from helpers.registers.labels import LANGUAGES, label
from helpers.run import translate
from helpers.site import words
from helpers.steps import nb08_reproduction_report as rep

REJECTED = {"kk": ("тексеруге болмайды", "нәтиже анық емес", "ішкі үйлесімділік"),
            "ru": ("неопределённо",)}
"""Phrasings of these words that the glossary replaced: none may come back."""


def glossary() -> dict[str, dict[str, str]]:
    with i18n.GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return {row["term"]: row for row in csv.DictReader(handle)}


def test_the_glossary_names_every_verdict_and_kind_of_check():
    rows = glossary()
    missing = [t for t in (*vd.VERDICTS, *vd.KINDS) if t not in rows]
    assert missing == [], f"data/i18n/glossary.csv lacks {missing}"
    assert all(rows[t]["en"] == t for t in (*vd.VERDICTS, *vd.KINDS))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_verdict_words_follow_the_glossary_in_catalogue_labels_and_site(lang):
    rows = glossary()
    for verdict in vd.VERDICTS:
        word = rows[verdict][lang]
        key = verdict.replace(" ", "_")
        found = {"sentences.csv verdict.": i18n.say(f"verdict.{verdict}", lang),
                 "labels.csv repro_": label(f"repro_{key}", lang),
                 "labels.csv tab_": label(f"tab_{key}", lang),
                 "book/text.yaml verdicts.": words.word("verdicts", verdict, lang),
                 "notebook 08": rep.verdict_word(verdict, lang)}
        assert {w: t for w, t in found.items() if t != word} == {}, (lang, verdict, word)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kinds_of_check_follow_the_glossary_in_labels_and_site(lang):
    rows = glossary()
    for kind in vd.KINDS:
        word = rows[kind][lang]
        assert rep.kind_word(kind, lang) == word, (lang, kind)
        assert words.word("kinds", kind, lang) == word, (lang, kind)


@pytest.mark.parametrize("lang", translate.targets())
def test_the_notebooks_mark_up_the_glossary_words(lang):
    """A paragraph whose English marks a verdict or kind up (``*inconclusive*``) marks up the
    glossary's word in its translation."""
    rows = glossary()
    checked = 0
    for message in translate.read(translate.po_path(lang), lang):
        if not message.id:
            continue
        for term in (*vd.VERDICTS, *vd.KINDS):
            if re.search(rf"(?<![\w*])\*{{1,2}}{re.escape(term)}\*{{1,2}}(?![\w*])", message.id):
                checked += 1
                assert f"*{rows[term][lang]}*" in message.string, (lang, term, message.id[:60])
    assert checked >= 10, checked  # notebooks 02, 03, 05 and 08 define or use the words


@pytest.mark.parametrize("lang", sorted(REJECTED))
def test_replaced_phrasings_do_not_come_back(lang):
    texts = [e.get(lang) for e in i18n.catalogue().values()]
    texts += [row.get(lang) for row in i18n.data_texts().values()]
    texts += [m.string for m in translate.read(translate.po_path(lang), lang) if m.id]
    with open(i18n.I18N.parent / "labels.csv", encoding="utf-8", newline="") as handle:
        texts += [row[lang] for row in csv.DictReader(handle)]
    texts += [entry[lang] for section in ("verdicts", "kinds")
              for entry in words.text()[section].values()]
    flat = "\n".join(t if isinstance(t, str) else " ".join((t or {}).values()) for t in texts)
    for phrase in REJECTED[lang]:
        assert not re.search(rf"(?<!\w){phrase}(?!\w)", flat), phrase
