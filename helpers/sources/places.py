"""Publishers' spellings to the slugs of the region and city registers, while extracting data.

The one place of ``helpers/sources`` that matches a spelling (a row label of a BNS bulletin, a
city of a compiled table): the extracted tables carry slugs only. (A city a user types is
resolved elsewhere, once, by :func:`helpers.run.params.setup`.)
"""

from __future__ import annotations

import re

from helpers.registers.regions import resolve_city, resolve_region

_TRAILING_MARK = re.compile(r"\s*(?:\d{1,2}\)|\d|\*+)\s*$")


def clean_label(label: object) -> str:
    """A row label without footnote marks ('Туркестанская 1', 'г.Шымкент2)', 'Туркестанская**')."""
    return _TRAILING_MARK.sub("", " ".join(str(label).split()))


def region_slug(label: object, kazakh_bulletin: bool = False) -> str:
    """The register slug of a row label.

    In the Kazakh bulletins the bare name 'Алматы' is the *region* (the city is printed
    'Алматы қаласы'); everywhere else 'Алматы' means the city.
    """
    text = clean_label(label)
    if kazakh_bulletin and text.casefold() == "алматы":
        return "almaty-region"
    return resolve_region(text).slug


def city_slug(label: object) -> tuple[str, str]:
    """(city slug, region slug) of a city label, through ``data/cities.csv``."""
    city = resolve_city(clean_label(label))
    return city.slug, city.region
