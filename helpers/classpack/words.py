"""The class pack's own words in every language (``class/pages.yaml``): the site's Class section
(index, instructor page, launch line), and what the built notebooks and the students' zip say
besides the exercises' texts (an exercise's title line, otter's two added texts, the README)."""

from __future__ import annotations

import yaml

from helpers.classpack.languages import ClassTextError
from helpers.classpack.source import SOURCE

PAGES = SOURCE / "pages.yaml"


def words() -> dict:
    """``class/pages.yaml``: the class pack's own words, by key and language."""
    return yaml.safe_load(PAGES.read_text(encoding="utf-8"))


def word(key: str, lang: str, **values) -> str:
    """One entry of ``class/pages.yaml`` in ``lang``, filled; a missing one names file and key."""
    try:
        template = words()[key][lang]
    except KeyError:
        raise ClassTextError(f"class/pages.yaml has no {key}.{lang}: add it (every entry needs "
                             "en, kk and ru).") from None
    return template.format(**values) if values else template
