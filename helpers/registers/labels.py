"""Labels for figures and tables, one column per language, read from ``data/labels.csv``.

``data/labels.csv`` has a ``key`` column and one column per language; its header is the one
place that lists the study's languages (:data:`LANGUAGES`). A label is looked up by a key; a
missing key or language is an error that names the valid ones, so a figure never silently falls
back to another language. Other tables carry their own words in one column per language
(:data:`TRANSLATED`): adding a language is adding a column to each of them.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.registers.paths import DATA

LABELS_FILE = DATA / "labels.csv"
KEY = "key"


def _read_labels(path: Path = LABELS_FILE) -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if not header or header[0] != KEY or len(header) < 2:
            raise ValueError(f"{path}: the header must be `key,<language>,...`, got {header}.")
        languages = tuple(header[1:])
        table: dict[str, dict[str, str]] = {}
        for line, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise ValueError(f"{path}, line {line}: {len(row)} fields, the header has "
                                 f"{len(header)}.")
            if row[0] in table:
                raise ValueError(f"{path}, line {line}: the key {row[0]!r} appears twice.")
            table[row[0]] = dict(zip(languages, row[1:], strict=True))
    return languages, table


LANGUAGES, LABELS = _read_labels()
"""The study's languages (the header of data/labels.csv, in order) and every label by key."""

TRANSLATED = {
    "data/labels.csv": "{lang}",
    "data/i18n/sentences.csv": "{lang}",
    "data/i18n/data_texts.csv": "{lang}",
    "data/regions.csv": "name_{lang}",
    "data/cities.csv": "name_{lang}",
    "data/article/factors.csv": "name_{lang}",
    "data/article/hypotheses.csv": "text_{lang}",
    "data/article/timeline.csv": "event_{lang}",
    "data/survey/instrument.csv": "text_{lang}",
    "data/survey/scale.csv": "label_{lang}",
    "data/specs/quality_rules.csv": "reason_{lang}",
}
"""Every table with words in each language, and its column name pattern: a new language is a
new column in each (tests/test_labels.py checks that every cell is filled)."""


def check_language(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else an error naming them."""
    if lang not in LANGUAGES:
        choices = ", ".join(f"{k} ({language_name(k)})" for k in LANGUAGES)
        raise ValueError(f"Unknown language {lang!r}. Valid choices: {choices} "
                         "(the columns of data/labels.csv).")
    return lang


def language_name(lang: str) -> str:
    """The language's own name, as ``data/labels.csv`` gives it (``Kazakh (қазақша)``)."""
    return LABELS["language_name"][lang]


def names_by_language(row, pattern: str = "name_{lang}") -> dict[str, str]:
    """``{lang: row[pattern.format(lang=lang)]}`` for every language (a row of a table)."""
    return {lang: row[pattern.format(lang=lang)] for lang in LANGUAGES}


def columns(pattern: str) -> list[str]:
    """The per-language columns of a table: ``columns("name_{lang}")``."""
    return [pattern.format(lang=lang) for lang in LANGUAGES]


def label(key: str, lang: str = "en") -> str:
    """The label ``key`` in ``lang`` (one of :data:`LANGUAGES`)."""
    try:
        entry = LABELS[key]
    except KeyError:
        raise KeyError(f"No label {key!r} in data/labels.csv. Known labels: "
                       f"{', '.join(sorted(LABELS))}.") from None
    try:
        text = entry[lang]
    except KeyError:
        raise KeyError(f"Label {key!r} has no {lang!r} text; languages: "
                       f"{', '.join(LANGUAGES)}.") from None
    if not text:
        raise KeyError(f"Label {key!r} is empty for {lang!r} in data/labels.csv.")
    return text


def factor_labels(lang: str = "en", with_code: bool = True, folder=None) -> dict[str, str]:
    """``{factor id: "ӘО · social environment"}`` in ``lang`` (names from the article's table;
    the codes stay the article's Kazakh abbreviations in every language; the outcome is ``y``)."""
    table = _article_factors(folder)
    column = f"name_{lang}"
    if column not in table.columns:
        raise KeyError(f"no factor names in {lang!r} (data/article/factors.csv has no "
                       f"{column}); languages: {', '.join(LANGUAGES)}.")
    return {r["id"]: (f"{r['code_kk']} · {r[column]}" if with_code else r[column])
            for r in table.to_dict("records")}


def factor_codes(folder=None) -> dict[str, str]:
    """``{factor id: article code}`` (ӘО, ҚМ, ҚЭ, З, Т, Тқ, y); a new dict at every call."""
    return dict(_codes(Path(folder or DATA / "article")))


@lru_cache(maxsize=4)
def _codes(folder: Path) -> tuple[tuple[str, str], ...]:
    """The codes of ``folder/factors.csv``, read once per process: every verdict reason names its
    factors through :func:`factor_codes`, and notebook 05 judges the claims of every
    specification of its multiverse (a read of the file per name was most of its time)."""
    table = _article_factors(folder)
    return tuple(zip(table["id"], table["code_kk"], strict=True))


def _article_factors(folder=None):
    """``data/article/factors.csv`` as text, read here rather than through
    :func:`helpers.registers.article.factors` (the article's register reads labels: no cycle)."""
    return pd.read_csv(Path(folder or DATA / "article") / "factors.csv", dtype=str,
                       keep_default_na=False, encoding="utf-8")
