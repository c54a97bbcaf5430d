"""The site's words: ``book/text.yaml`` (every entry in every language), read by the site and the
printable survey form."""

from __future__ import annotations

from functools import cache

import yaml

from helpers.registers import paths
from helpers.registers.labels import LANGUAGES

BOOK = paths.ROOT / "book"
TEXT = BOOK / "text.yaml"
LANGS = tuple(LANGUAGES)
"""The study's languages (helpers.registers.labels: the header of data/labels.csv)."""


class BookError(RuntimeError):
    """The site cannot be built from what the run left (the message says what is missing)."""


@cache
def text() -> dict:
    """``book/text.yaml``: the site's words and templates in three languages."""
    return yaml.safe_load(TEXT.read_text(encoding="utf-8"))


def word(section: str, key: str, lang: str) -> str:
    """One entry of ``text.yaml`` in ``lang``; a missing entry names the file and the key."""
    try:
        return text()[section][key][lang]
    except KeyError:
        raise BookError(f"book/text.yaml has no {section}.{key}.{lang}: add it (every entry "
                        f"needs {', '.join(LANGS)}).") from None
