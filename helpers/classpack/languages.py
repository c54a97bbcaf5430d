"""Which texts of the class pack are translated into Kazakh and Russian, and which not.

The class pack is written in English first. Its texts — each exercise's title and the helper it
teaches (``class/exercises.yaml``), and every text of its notebook
(:func:`helpers.classpack.source.keyed`: the introduction, notes, questions, written model answers
and the checks' hints) — have keys ``class.<exercise>.title``, ``class.<exercise>.teaches``,
``class.<exercise>.intro``, ``class.<exercise>.note<n>``, ``class.<exercise>.<question>``,
``class.<exercise>.<question>.answer`` and ``class.<exercise>.<question>.hint.<test function>``.
The site's Class section and the Kazakh and Russian notebooks (:mod:`helpers.classpack.localise`)
use the same translations. A translation is an entry of the
study's sentence catalogue (``helpers.registers.i18n.catalogue``, data/i18n/sentences.csv)
under that key whose English text is the current one. ``python -m helpers.classpack.languages``
lists, per language, the texts still untranslated (and catalogue entries left stale by a
changed English text) and exits 1 while any remains; ``tests/test_class.py`` fails on the same
list, and :func:`texts_in` (the site's Class section in that language) stops naming them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from helpers.classpack.source import SOURCE, exercises, keyed, text
from helpers.registers import i18n
from helpers.registers.labels import LANGUAGES

LANGS = tuple(lang for lang in LANGUAGES if lang != i18n.SOURCE_LANGUAGE)
"""The languages a class-pack text is translated into (every study language but English)."""


class ClassTextError(i18n.TranslationError):
    """A class-pack text has no current translation (the message names the keys and the file)."""


def texts(source: Path = SOURCE) -> dict[str, str]:
    """Every English text of the class pack, by key."""
    out = {}
    for e in exercises(source / "exercises.yaml"):
        nb = nbformat.read(source / f"{e['id']}.ipynb", as_version=4)
        out[f"class.{e['id']}.title"] = e["title"]
        out[f"class.{e['id']}.teaches"] = e["teaches"]
        for index, key in keyed(nb).items():
            out[f"class.{e['id']}.{key}"] = text(nb.cells[index], key)
    return out


def texts_in(lang: str, source: Path = SOURCE) -> dict[str, str]:
    """Every class-pack text in ``lang``, by key; any text without a current translation stops
    it, naming the keys and the catalogue."""
    if lang not in LANGUAGES:
        raise ClassTextError(f"Unknown language {lang!r}; the class pack's languages are "
                             f"{', '.join(LANGUAGES)} (the header of data/labels.csv).")
    if lang == i18n.SOURCE_LANGUAGE:
        return texts(source)
    missing = untranslated(lang, source)
    if missing:
        raise ClassTextError(
            f"{len(missing)} class-pack text(s) have no current {lang!r} translation in "
            f"{i18n.CATALOGUE.relative_to(i18n.ROOT)}: {', '.join(missing[:8])}"
            + (" …" if len(missing) > 8 else "")
            + " (python -m helpers.classpack.languages lists them).")
    catalogue = i18n.catalogue()
    return {key: catalogue[key][lang] for key in texts(source)}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def untranslated(lang: str, source: Path = SOURCE) -> list[str]:
    """Keys of the texts with no current ``lang`` translation in the sentence catalogue."""
    catalogue = i18n.catalogue()
    missing = []
    for key, english in texts(source).items():
        entry = catalogue.get(key, {})
        current = _clean(entry.get(i18n.SOURCE_LANGUAGE, "")) == _clean(english)
        if not (current and entry.get(lang, "").strip()
                and _clean(entry[lang]) != _clean(english)):
            missing.append(key)
    return missing


def stale() -> list[str]:
    """Catalogue keys under ``class.`` that name no current text or hold an old English text."""
    now = texts()
    return sorted(k for k, entry in i18n.catalogue().items() if k.startswith("class.")
                  and (k not in now or _clean(entry.get("en", "")) != _clean(now[k])))


def report() -> str:
    lines = []
    total = len(texts())
    for lang in LANGS:
        keys = untranslated(lang)
        lines.append(f"{lang}: {len(keys)} of {total} class-pack texts untranslated"
                     + (": " + ", ".join(keys) if keys else ""))
    old = stale()
    if old:
        lines.append(f"stale catalogue entries (English changed or text gone): {', '.join(old)}")
    return "\n".join(lines)


def complete() -> bool:
    """Every text translated in every language, and no stale catalogue entry."""
    return not stale() and not any(untranslated(lang) for lang in LANGS)


if __name__ == "__main__":
    print(report())
    sys.exit(0 if complete() else 1)
