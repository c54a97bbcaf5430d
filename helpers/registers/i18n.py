"""The study's computed sentences in every language: one catalogue of templates, filled by Babel.

Every sentence a helper computes for a notebook or the site is a template in
``data/i18n/sentences.csv`` (columns ``key``, ``count`` and one per language of
``data/labels.csv``'s header: a new language is a new column), with named placeholders::

    from helpers.registers.i18n import say
    say("estimation.power", lang, per_predictor=3.3, min_r2=0.61, failed=0, n_boot=5000)

Helpers fill values and never build prose by concatenation. Numbers are formatted for the
sentence's language by Babel (decimal comma and non-breaking group separator in Kazakh and
Russian): a placeholder's format spec says how (``{r2:.3f}``, ``{path:+.2f}``, ``{share:.1%}``,
``{n}`` for a whole number); a pair ``(low, high)`` is an interval, each end formatted by the spec
and joined by the language's ``number.interval`` template. A sentence whose words depend on a
count has one row per CLDR plural category (``key#one``, ``key#few``, ``key#many``,
``key#other``) and names the counting placeholder in ``count``; Babel picks the row (Russian
1/2/5 → one/few/many; English and Kazakh one/other).

The language of a notebook's sentences is set once by :func:`helpers.run.params.setup` (``use``), so
a helper's sentence follows the notebook's ``lang`` parameter; ``lang=`` overrides it. A missing
key or translation raises :class:`TranslationError` naming the key and the file, and
:func:`require` (called at a notebook's setup) stops a run in a language with any missing,
empty or placeholder-changed entry before any work is done.
"""

from __future__ import annotations

import csv
import math
import numbers
import re
import string
from functools import cache
from pathlib import Path
from typing import Any

from helpers.registers.labels import LANGUAGES, factor_labels, label
from helpers.registers.paths import DATA, ROOT
from helpers.registers.regions import analysis_regions

I18N = DATA / "i18n"
CATALOGUE = I18N / "sentences.csv"
"""The sentence catalogue: ``key,count,<lang>…`` (a column per language, as data/labels.csv)."""
DATA_TEXTS = I18N / "data_texts.csv"
"""Texts that data tables hold in English (claims, notes, reasons of data/article/…) and that a
reader sees: ``en,<lang>…``, one row per English text (like a gettext catalogue, the English is
the key; a changed English text needs its row again, tests/test_i18n.py lists it)."""
GLOSSARY = I18N / "glossary.csv"
"""The article's terms in every language, used by the sentence catalogue and the .po files."""
SOURCE_LANGUAGE = "en"

_current = SOURCE_LANGUAGE


class TranslationError(KeyError):
    """A sentence key or one of its translations is missing (the message names both and the
    file)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def _where(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


@cache
def locale(lang: str):
    """Babel's locale for ``lang``: CLDR's own, or CLDR's root locale for a code CLDR does not
    know (number formats then follow the root pattern: "1,234.5")."""
    # deferred: babel loads only when this function runs (kernel start-up time)
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("root")


# ----------------------------------------------------------------------------------------------
# The catalogue
# ----------------------------------------------------------------------------------------------

PLURAL_FORMS = ("one", "few", "many", "other")
"""CLDR plural categories a counted sentence has a row for (``key#one`` … ``key#other``)."""


@cache
def catalogue(path: Path = CATALOGUE) -> dict[str, dict]:
    """Every entry of the sentence catalogue, by key: ``{lang: text}``, or for a counted
    sentence ``{"count": placeholder, lang: {category: text}}``."""
    entries: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        langs = [c for c in reader.fieldnames or [] if c not in ("key", "count")]
        for line, row in enumerate(reader, start=2):
            key, _, form = row["key"].partition("#")
            if form:
                entry = entries.setdefault(key, {"count": row["count"]})
                if form not in PLURAL_FORMS:
                    raise TranslationError(f"{_where(path)}, line {line}: plural form {form!r}; "
                                           f"valid: {', '.join(PLURAL_FORMS)}.")
                for lang in langs:
                    entry.setdefault(lang, {})[form] = row[lang] or ""
            else:
                if key in entries:
                    raise TranslationError(f"{_where(path)}, line {line}: the key {key!r} "
                                           "appears twice.")
                entries[key] = {lang: row[lang] or "" for lang in langs}
    return entries


def use(lang: str) -> str:
    """Make ``lang`` the language of sentences from now on (in this process); returns it."""
    global _current
    if lang not in LANGUAGES:
        raise TranslationError(f"Unknown language {lang!r}; the study's languages are "
                               f"{', '.join(LANGUAGES)} (the header of data/labels.csv).")
    _current = lang
    return lang


def current() -> str:
    """The language sentences are written in when no ``lang`` is given."""
    return _current


def fields(template: str) -> set[str]:
    """The placeholder names of one template."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in
            string.Formatter().parse(template) if name}


def _texts(value: Any) -> list[str]:
    """The template(s) of one language: a string, or a string per plural category."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [value.get(form, "") for form in PLURAL_FORMS]
    return []


def problems(lang: str | None = None, path: Path = CATALOGUE) -> list[str]:
    """What is wrong with the catalogue (in ``lang``, or in every language): a missing or empty
    translation (a counted sentence needs all of :data:`PLURAL_FORMS`), a placeholder of the
    English template missing from a translation, or one the English does not have."""
    found = []
    where = _where(path)
    langs = LANGUAGES if lang is None else (lang,)
    for key, entry in catalogue(path).items():
        source = set().union(*map(fields, _texts(entry.get(SOURCE_LANGUAGE))))
        for code in langs:
            texts = _texts(entry.get(code))
            if not texts or any(not t.strip() for t in texts):
                found.append(f"{where}: {key} has no {code} translation.")
                continue
            for text in texts:
                if fields(text) != source:
                    found.append(f"{where}: {key} ({code}) has placeholders "
                                 f"{sorted(fields(text))}, the English {sorted(source)}.")
                    break
    return found


def require(lang: str, path: Path = CATALOGUE) -> None:
    """Stop (``TranslationError``) if any sentence is missing or broken in ``lang``, or a row of
    ``data/i18n/data_texts.csv`` has no ``lang`` text."""
    found = problems(lang, path) + [
        f"{_where(DATA_TEXTS)}: {english[:50]!r} has no {lang} translation."
        for english, row in data_texts().items() if not (row.get(lang) or "").strip()]
    if found:
        raise TranslationError(f"{len(found)} sentence(s) cannot be written in {lang!r}: "
                               + " ".join(found[:5]) + (" …" if len(found) > 5 else ""))


# ----------------------------------------------------------------------------------------------
# Numbers
# ----------------------------------------------------------------------------------------------

def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _pattern(decimals: int, sign: bool) -> str:
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f"+{body};-{body}" if sign else body


def number(value: Any, lang: str | None = None, spec: str = "") -> str:
    """``value`` as a sentence in ``lang`` writes it; ``spec`` is a Python format spec of the
    forms ``.2f``, ``+.2f``, ``.1%``, ``.3g``, ``,`` or ``d`` (empty: Babel's default)."""
    # deferred: babel loads only when this function runs (kernel start-up time)
    from babel.numbers import format_decimal, format_percent

    lang = locale(lang or _current)
    if value is None or _is_nan(value):
        return "—"
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return format(value, spec) if spec else str(value)
    value = value.item() if hasattr(value, "item") else value  # numpy scalars
    if isinstance(value, float) and math.isinf(value):
        return ("−" if value < 0 else "") + "∞"
    sign = spec.startswith("+")
    body = spec.lstrip("+").replace(",", "")  # Babel's patterns always group thousands
    if body.endswith("%"):
        decimals = int(body[1:-1] or 0) if body.startswith(".") else 0
        pattern = lang.percent_formats[None].pattern
        pattern = pattern.replace("#,##0", "#,##0" + ("." + "0" * decimals if decimals else ""))
        shown = format_percent(value, format=pattern, locale=lang)
        return ("+" + shown) if sign and value >= 0 else shown
    if body.endswith("f"):
        decimals = int(body[1:-1] or 0) if body.startswith(".") else 6
        return format_decimal(value, format=_pattern(decimals, sign), locale=lang,
                              decimal_quantization=True)
    if body.endswith("g") or body.endswith("e"):
        shown = format(value, spec)
        if "e" in shown:
            return shown.replace(".", decimal_symbol(lang))
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        return format_decimal(value, format=_pattern(decimals, sign), locale=lang)
    if body in ("", ",", "d", ",d") and isinstance(value, numbers.Integral):
        return format_decimal(value, format=_pattern(0, sign), locale=lang)
    if body == "":
        return format_decimal(value, locale=lang)
    raise ValueError(f"format spec {spec!r} is not one helpers.registers.i18n.number writes "
                     "(.Nf, +.Nf, .N%, .Ng, d).")


def decimal_symbol(lang: str | None = None) -> str:
    """The decimal sign of ``lang`` (CLDR, through Babel): "." in English, "," in Kazakh and
    Russian."""
    # deferred: babel loads only when this function runs (kernel start-up time)
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(locale(lang or _current))


def interval(low: Any, high: Any, lang: str | None = None, spec: str = ".2f") -> str:
    """An interval ``low … high`` in ``lang`` (template ``number.interval``)."""
    return say("number.interval", lang, low=number(low, lang, spec), high=number(high, lang, spec))


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, tuple) and len(value) == 2 and all(
                isinstance(v, numbers.Number) for v in value):
            return interval(value[0], value[1], self.lang, format_spec or ".2f")
        if isinstance(value, numbers.Number) and not isinstance(value, bool):
            return number(value, self.lang, format_spec)
        if isinstance(value, Message):
            return value.text(self.lang)
        if isinstance(value, dict):  # a data text in every language: {lang: text}
            return _in_language(value, self.lang)
        if isinstance(value, list):  # items written one by one, joined by ", "
            return ", ".join(self.format_field(item, format_spec) for item in value)
        return super().format_field(value, format_spec)


# ----------------------------------------------------------------------------------------------
# Sentences
# ----------------------------------------------------------------------------------------------

def template(key: str, lang: str | None = None, count: Any = None,
             path: Path = CATALOGUE) -> str:
    """The raw template of ``key`` in ``lang`` (the plural form for ``count`` where it has
    plural forms)."""
    lang = lang or _current
    entry = catalogue(path).get(key)
    if entry is None:
        raise TranslationError(f"{_where(path)} has no sentence {key!r}: add it with its "
                               f"{', '.join(LANGUAGES)} texts.")
    value = entry.get(lang)
    if isinstance(value, dict):
        if count is None:
            raise TranslationError(f"{_where(path)}: {key} has plural forms; give "
                                   f"{entry.get('count') or 'a count'}.")
        form = locale(lang).plural_form(abs(count))
        value = value.get(form, value.get("other"))
    if not isinstance(value, str) or not value.strip():
        raise TranslationError(f"{_where(path)} has no {lang} translation of {key!r}: add it "
                               "(every sentence needs every language of data/labels.csv).")
    return value


def filled(text: str, lang: str | None = None, **values: Any) -> str:
    """A template that is not a catalogue sentence (a label of ``data/labels.csv`` with
    placeholders, e.g. a figure's legend entry) filled as :func:`say` fills one: numbers written
    the language's way."""
    return _Formatter(lang or _current).format(text, **values)


def say(key: str, lang: str | None = None, **values: Any) -> str:
    """The sentence ``key`` in ``lang`` (default: :func:`current`), its placeholders filled with
    ``values`` and numbers written the language's way."""
    lang = lang or _current
    entry = catalogue().get(key, {})
    count = values.get(entry["count"]) if entry.get("count") else None
    text = template(key, lang, count)
    missing = fields(text) - set(values)
    if missing:
        raise TranslationError(f"sentence {key!r} ({_where(CATALOGUE)}) needs "
                               f"{', '.join(sorted(missing))}.")
    return _Formatter(lang).format(text, **values)


@cache
def data_texts(path: Path = DATA_TEXTS) -> dict[str, dict[str, str]]:
    """``{english: {lang: text}}`` from ``data/i18n/data_texts.csv``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found: dict[str, dict[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        english = row.get(SOURCE_LANGUAGE) or ""
        if english in found:
            raise TranslationError(f"{_where(path)}, line {line}: the text {english[:60]!r} "
                                   "appears twice.")
        found[english] = {k: v or "" for k, v in row.items()}
    return found


def texts(english: str) -> dict[str, str]:
    """A data table's English text in every language (``{lang: text}``; a language without a
    row or cell in ``data/i18n/data_texts.csv`` is missing, and writing it raises)."""
    return {**data_texts().get(english, {}), SOURCE_LANGUAGE: english}


def translated(english: str, lang: str | None = None) -> str:
    """A data table's English text in ``lang`` (its row of ``data/i18n/data_texts.csv``)."""
    return _in_language(texts(english), lang or _current)


def _in_language(texts: dict[str, str], lang: str) -> str:
    """One data text of ``{lang: text}`` (a row of a translated table) in ``lang``."""
    text = texts.get(lang)
    if not isinstance(text, str) or not text.strip():
        raise TranslationError(f"{_where(DATA_TEXTS)} has no {lang} translation of the text "
                               f"{texts.get(SOURCE_LANGUAGE, '')[:80]!r}: add it.")
    return text


class Message:
    """A sentence not yet written in a language: its catalogue key and its values (a value may be
    a :class:`Message` itself, written in the same language; a ``{lang: text}`` dict, a text of
    a translated data table; or a list of such items, joined by ", "). A machine record keeps
    :meth:`as_dict` (key and values, no language), so a reader in any language can write it
    again (:func:`written`); ``text(lang)`` writes it."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, **values: Any):
        template(key, SOURCE_LANGUAGE)  # an unknown key fails here, where it is made
        self.key, self.values = key, values

    def text(self, lang: str | None = None) -> str:
        return say(self.key, lang, **self.values)

    def as_dict(self) -> dict[str, Any]:
        """``{"key": …, "values": {…}}`` with nested messages as dicts (JSON-ready)."""
        def out(v: Any) -> Any:
            if isinstance(v, Message):
                return v.as_dict()
            if isinstance(v, (list, tuple)):
                return [out(x) for x in v]
            return v
        return {"key": self.key, "values": {k: out(v) for k, v in self.values.items()}}

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Message:
        """The message :meth:`as_dict` wrote (a two-number list is an interval again)."""
        def back(v: Any) -> Any:
            if isinstance(v, dict) and set(v) == {"key", "values"}:
                return cls.from_dict(v)
            if isinstance(v, list) and len(v) == 2 and all(
                    isinstance(x, numbers.Number) for x in v):
                return tuple(v)
            if isinstance(v, list):
                return [back(x) for x in v]
            return v
        return cls(record["key"], **{k: back(v) for k, v in record["values"].items()})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and self.as_dict() == other.as_dict()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.values!r})"


def written(record: dict[str, Any] | Message, lang: str | None = None) -> str:
    """A recorded message (:meth:`Message.as_dict`) written in ``lang``."""
    message = record if isinstance(record, Message) else Message.from_dict(record)
    return message.text(lang)


def readable(frame, lang: str | None = None, spec: str = ""):
    """A copy of a table (pandas DataFrame) for reading in ``lang``: every cell of a float column,
    and every float cell of a column of mixed values (a transposed table), written by
    :func:`number` (decimal comma in Kazakh and Russian); whole numbers (years, counts, ranks) and
    words stay as they are. Machine records keep the numbers themselves."""
    out = frame.copy()
    for column in out.columns:
        kind = out[column].dtype.kind
        if kind == "f":
            out[column] = [number(v, lang, spec) for v in out[column]]
        elif kind == "O":
            out[column] = [number(v, lang, spec) if isinstance(v, float) else v
                           for v in out[column]]
    return out


def table_label(word: str) -> str:
    """The ``data/labels.csv`` key of an English word of a table (``tab_`` and the word, spaces
    and punctuation as ``_``)."""
    return "tab_" + re.sub(r"\W+", "_", word).strip("_").lower()


LEVEL_WORDS = ("ci_low", "ci_high", "bca_low", "bca_high", "pct_lo", "pct_hi", "upper_one_sided",
               "ols_ci", "share_interval_above_0")
"""Headers of interval bounds: given the interval's level, :func:`shown` writes them with it
(label ``tab_<word>_level``, placeholder ``{level}``: "95 % CI, low")."""


def level_header(word: str, level: float, lang: str | None = None) -> str:
    """The header of an interval column (:data:`LEVEL_WORDS`) with its confidence ``level``
    (0.95 → "95") in ``lang``."""
    if word not in LEVEL_WORDS:
        raise ValueError(f"{word!r} is not an interval column; valid: {', '.join(LEVEL_WORDS)}.")
    if not 0 < level < 1:
        raise ValueError(f"a confidence level lies between 0 and 1, not {level!r}.")
    return label(table_label(word) + "_level", lang or _current).format(
        level=number(round(level * 100, 6), lang, ".3g"))


PROGRAM_OUTPUT = "program-settings"
"""The HTML class of a table of program output (a run's or the engine's own settings: its keys
and values are the program's identifiers, in English, like a code cell's printout; its headers
follow the language, and the language checks skip it as they skip code)."""


class ProgramOutput:
    """A table shown as program output: its HTML is the DataFrame's own with the class
    :data:`PROGRAM_OUTPUT` added, its plain text the DataFrame's (pandas' ``Styler`` would do the
    same at the cost of importing it and its templates in every notebook)."""

    def __init__(self, table):
        self.table = table

    def _repr_html_(self) -> str:
        return self.table.to_html(classes=PROGRAM_OUTPUT)

    def __repr__(self) -> str:
        return repr(self.table)


def shown(table, lang: str | None = None, words=(), names: dict | None = None,
          places: bool = False, level: float | None = None):
    """A copy of a table (pandas DataFrame) for reading in ``lang``: the ids of ``names``
    (default: the factors' names; with ``places``, the 20 regions' slugs too) and the English
    ``words`` (labels :func:`table_label`) in headers and cells, yes/no for booleans, numbers
    written by :func:`readable`, the columns of :data:`LEVEL_WORDS` with the intervals' ``level``
    when given (:func:`level_header`). The record and the English table's values are
    unchanged."""
    lang = lang or _current
    names = factor_labels(lang) if names is None else names
    if places:
        names = names | {r.slug: r.name(lang) for r in analysis_regions()}
    words = {w: label(table_label(w), lang) for w in words}
    if level is not None:
        words |= {w: level_header(w, level, lang) for w in LEVEL_WORDS if w in table.columns}

    def word(value):
        if isinstance(value, bool) or type(value).__name__ == "bool_":
            return label("yes" if value else "no", lang)
        if isinstance(value, str):
            return names.get(value, words.get(value, value))
        return value

    out = readable(table, lang).rename(index=word, columns=word)
    out.index.name = word(out.index.name) if out.index.name else None
    out.columns.name = word(out.columns.name) if out.columns.name else None
    for column in out.columns:
        out[column] = [word(v) for v in out[column]]
    return out


def join(items: list[str], lang: str | None = None) -> str:
    """Items as a list in running text (Babel's list pattern: "a, b and c", "a, b және c")."""
    # deferred: babel loads only when this function runs (kernel start-up time)
    from babel.lists import format_list

    return format_list([str(i) for i in items], locale=locale(lang or _current)) if items else ""


class speaking:
    """``with speaking(lang):`` sentences in ``lang`` inside the block (``None``: unchanged)."""

    def __init__(self, lang: str | None):
        self.lang, self.before = lang, None

    def __enter__(self) -> str:
        self.before = current()
        return use(self.lang) if self.lang else self.before

    def __exit__(self, *exc) -> None:
        use(self.before)
