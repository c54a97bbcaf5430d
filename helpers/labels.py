"""Labels for figures and tables in English, Kazakh and Russian.

A label is looked up by a key; a missing key or language is an error that names the valid ones,
so a figure never silently falls back to another language. Factor names come from the article's
data (``helpers.article``); this module holds the words of axes, legends and titles.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "kazakhstan": {"en": "Kazakhstan", "kk": "Қазақстан", "ru": "Казахстан"},
    "region": {"en": "Region", "kk": "Өңір", "ru": "Регион"},
    "year": {"en": "Year", "kk": "Жыл", "ru": "Год"},
    "value": {"en": "Value", "kk": "Мәні", "ru": "Значение"},
    "official": {"en": "official (BNS)", "kk": "ресми (ҰСБ)", "ru": "официальные (БНС)"},
    "quoted": {"en": "quoted (secondary)", "kk": "дәйексөз (қосалқы)", "ru": "цитата (вторичные)"},
    "article": {"en": "article", "kk": "мақала", "ru": "статья"},
    "this_study": {"en": "this study", "kk": "осы зерттеу", "ru": "это исследование"},
    "synthetic": {"en": "synthetic", "kk": "синтетикалық", "ru": "синтетические"},
    "population": {"en": "Population", "kk": "Халық саны", "ru": "Численность населения"},
    "innovation_activity": {
        "en": "Innovation activity of enterprises, %",
        "kk": "Кәсіпорындардың инновациялық белсенділігі, %",
        "ru": "Инновационная активность предприятий, %",
    },
}


def label(key: str, lang: str = "en") -> str:
    """The label ``key`` in ``lang`` (``en``, ``kk`` or ``ru``)."""
    try:
        entry = LABELS[key]
    except KeyError:
        raise KeyError(f"No label {key!r}. Known labels: {', '.join(sorted(LABELS))}.") from None
    try:
        return entry[lang]
    except KeyError:
        raise KeyError(f"Label {key!r} has no {lang!r} text; languages: {sorted(entry)}.") from None
