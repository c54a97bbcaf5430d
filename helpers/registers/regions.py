"""The region register: Kazakhstan's 20 regions and the country, with their names and spellings.

``data/regions.csv`` is the single list of places the study knows. Every city name a user types
(in English, Kazakh or Russian, any case, old names such as Nur-Sultan included) is resolved here
to one canonical slug, which is the only form that ever reaches a file path.

Karaganda and Aktobe stand in official statistics for their *regions* (oblasts), not for the
cities themselves; Astana, Almaty and Shymkent are cities of republican significance, so region
and city coincide. ``Region.is_city`` tells the two apart.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from helpers.registers.labels import check_language, columns, names_by_language
from helpers.registers.paths import DATA
from helpers.registers.spelling import fold, nfc

REGISTER = DATA / "regions.csv"
COLUMNS = ("slug", *columns("name_{lang}"), "type", "ranking_city_en", "aliases", "study_city",
           "order")
TYPES = ("country", "city", "region", "region-historical")


@dataclass(frozen=True)
class Region:
    """One row of the register; ``names`` maps each language to the region's name."""

    slug: str
    names: Mapping[str, str] = field(hash=False)
    type: str
    ranking_city_en: str
    aliases: tuple[str, ...]
    study_city: bool
    order: int

    @property
    def is_city(self) -> bool:
        """True for the cities of republican significance (Astana, Almaty, Shymkent)."""
        return self.type == "city"

    @property
    def name_en(self) -> str:
        """The English name (the study's reference language for sentences and notes)."""
        return self.names["en"]

    def name(self, lang: str = "en") -> str:
        """The region's name in ``lang`` (one of :data:`helpers.registers.labels.LANGUAGES`)."""
        return self.names[check_language(lang)]

    @property
    def statistics_note(self) -> str:
        """One sentence on what official statistics for this place cover."""
        if self.type == "region":
            return (f"{self.name_en}: official statistics are published for the whole region "
                    f"(oblast); the city {self.ranking_city_en} is not reported separately.")
        if self.type == "city":
            return f"{self.name_en} is a city of republican significance: region and city coincide."
        return f"{self.name_en}: national totals."


def _key(text: str) -> str:
    """Normalise a spelling for matching (:func:`helpers.registers.spelling.fold`): Unicode form
    (NFC), case, dashes, spaces, Ё/ё and look-alike Latin/Cyrillic/Kazakh letters are folded."""
    return fold(text)


def _read(path: Path) -> tuple[Region, ...]:
    if not path.exists():
        raise FileNotFoundError(f"The region register {path} is missing.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: column(s) {missing} missing; expected {list(COLUMNS)}.")
        regions: list[Region] = []
        first_line: dict[str, int] = {}
        for line, row in enumerate(reader, start=2):
            if row["slug"] in first_line:
                raise ValueError(f"{path}, line {line}: the slug {row['slug']!r} is already used "
                                 f"on line {first_line[row['slug']]}; every place appears once.")
            first_line[row["slug"]] = line
            if row["type"] not in TYPES:
                raise ValueError(f"{path}, line {line}, column 'type': {row['type']!r} is not one "
                                 f"of {list(TYPES)}.")
            if row["study_city"] not in ("true", "false"):
                raise ValueError(f"{path}, line {line}, column 'study_city': use true or false.")
            regions.append(Region(
                slug=row["slug"], names=names_by_language(row), type=row["type"],
                ranking_city_en=row["ranking_city_en"],
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
                study_city=row["study_city"] == "true", order=int(row["order"]),
            ))
    return tuple(regions)


@lru_cache(maxsize=4)
def load_regions(path: Path = REGISTER) -> tuple[Region, ...]:
    """All rows of the register, in the publisher's print order."""
    return tuple(sorted(_read(path), key=lambda r: r.order))


@lru_cache(maxsize=4)
def _index(path: Path = REGISTER) -> dict[str, Region]:
    index: dict[str, Region] = {}
    for region in load_regions(path):
        for spelling in (region.slug, *region.names.values(), *region.aliases):
            key = _key(spelling)
            other = index.get(key)
            if other is not None and other.slug != region.slug:
                raise ValueError(f"{path}: the spelling {spelling!r} names both {other.slug!r} and "
                                 f"{region.slug!r}; make it unique.")
            index[key] = region
    return index


def resolve_region(name: str, path: Path = REGISTER) -> Region:
    """Return the region a user means by ``name`` (English, Kazakh or Russian, any case).

    >>> resolve_region("Nur-Sultan").slug
    'astana'
    """
    found = _index(path).get(_key(name)) if isinstance(name, str) else None
    if found is not None:
        return found
    choices = [r.name_en for r in load_regions(path) if r.type in ("city", "region")]
    close = difflib.get_close_matches(_key(str(name)), list(_index(path)), n=3, cutoff=0.6)
    shown = list(dict.fromkeys(_spelling(path)[k] for k in close))
    hint = f" Did you mean {', '.join(repr(c) for c in shown)}?" if shown else ""
    raise ValueError(f"Unknown city or region {nfc(str(name))!r}.{hint} Valid choices (English, "
                     f"Kazakh or Russian spelling, any case): {', '.join(choices)}.")


def region_by_slug(place: Region | str, path: Path = REGISTER) -> Region:
    """The register's row for a canonical slug (``"karaganda"``); a :class:`Region` passes.

    Past the edge a city travels as a :class:`Region` (or its slug): spellings are resolved once,
    by :func:`resolve_region` in :func:`helpers.run.params.setup`, and never again. A spelling
    here ("Karaganda", "Қарағанды") is refused, naming the slugs.
    """
    if isinstance(place, Region):
        return place
    found = {r.slug: r for r in load_regions(path)}.get(place) if isinstance(place, str) else None
    if found is None:
        raise ValueError(f"{place!r} is not a region slug. Steps take a Region or its slug; a "
                         "spelling is resolved once, by helpers.run.params.setup (or "
                         "resolve_region). Slugs: "
                         f"{', '.join(r.slug for r in load_regions(path))}.")
    return found


@lru_cache(maxsize=4)
def _spelling(path: Path = REGISTER) -> dict[str, str]:
    """Each matching key's spelling as the register writes it (for "did you mean")."""
    shown: dict[str, str] = {}
    for region in load_regions(path):
        for spelling in (*region.names.values(), *region.aliases, region.slug):
            shown.setdefault(_key(spelling), nfc(spelling))
    return shown


def study_cities(path: Path = REGISTER) -> tuple[Region, ...]:
    """The article's five cities in its order: Astana, Almaty, Shymkent, Karaganda, Aktobe."""
    wanted = ("astana", "almaty", "shymkent", "karaganda", "aktobe")
    by_slug = {r.slug: r for r in load_regions(path)}
    flagged = {r.slug for r in load_regions(path) if r.study_city}
    if flagged != set(wanted):
        raise ValueError(f"{path}: study_city should flag exactly {wanted}, "
                         f"found {sorted(flagged)}.")
    return tuple(by_slug[s] for s in wanted)


def analysis_regions(path: Path = REGISTER) -> tuple[Region, ...]:
    """The 20 current regions (no country row, no historical rows), in print order."""
    return tuple(r for r in load_regions(path) if r.type in ("city", "region"))


# ----------------------------------------------------------------------------------------------
# Cities that official statistics publish separately from their region (data/cities.csv)
# ----------------------------------------------------------------------------------------------

CITY_REGISTER = DATA / "cities.csv"
CITY_COLUMNS = ("slug", *columns("name_{lang}"), "region", "aliases")


@dataclass(frozen=True)
class City:
    """A city with its own figures (housing prices, air quality), inside region ``region``."""

    slug: str
    names: Mapping[str, str] = field(hash=False)
    region: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def name_en(self) -> str:
        return self.names["en"]

    def name(self, lang: str = "en") -> str:
        """The city's name in ``lang`` (one of :data:`helpers.registers.labels.LANGUAGES`)."""
        return self.names[check_language(lang)]


@lru_cache(maxsize=4)
def load_cities(path: Path = CITY_REGISTER, regions: Path = REGISTER) -> tuple[City, ...]:
    """All rows of the city register; every city names a region of ``data/regions.csv``."""
    if not path.exists():
        raise FileNotFoundError(f"The city register {path} is missing.")
    known = {r.slug for r in load_regions(regions)}
    cities: list[City] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CITY_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: column(s) {missing} missing; expected {list(CITY_COLUMNS)}.")
        for line, row in enumerate(reader, start=2):
            if row["slug"] in seen:
                raise ValueError(f"{path}, line {line}: the slug {row['slug']!r} is already used "
                                 f"on line {seen[row['slug']]}; every city appears once.")
            seen[row["slug"]] = line
            if row["region"] not in known:
                raise ValueError(f"{path}, line {line}: region {row['region']!r} is not in "
                                 f"{regions.name}.")
            cities.append(City(
                slug=row["slug"], names=names_by_language(row), region=row["region"],
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip())))
    return tuple(cities)


@lru_cache(maxsize=4)
def city_by_slug(slug: str, path: Path = CITY_REGISTER) -> City:
    """The city of ``data/cities.csv`` with this slug (``"karaganda-city"``), or a clear error."""
    found = {c.slug: c for c in load_cities(path)}.get(slug)
    if found is None:
        raise ValueError(f"{slug!r} is not a city slug of data/cities.csv; slugs: "
                         f"{', '.join(c.slug for c in load_cities(path))}.")
    return found


def main_city(region: Region, path: Path = CITY_REGISTER) -> City | None:
    """The city with figures of its own that the smart-city ranking names for ``region``
    (``ranking_city_en``), or None when it has none in ``data/cities.csv``."""
    for city in load_cities(path):
        if city.region == region.slug and city.name_en.split(" (")[0] == region.ranking_city_en:
            return city
    return None


@lru_cache(maxsize=4)
def _city_index(path: Path = CITY_REGISTER) -> dict[str, City]:
    index: dict[str, City] = {}
    for city in load_cities(path):
        for spelling in (city.slug, *city.names.values(), *city.aliases):
            other = index.get(_key(spelling))
            if other is not None and other.slug != city.slug:
                raise ValueError(f"{path}: the spelling {spelling!r} names both {other.slug!r} and "
                                 f"{city.slug!r}; make it unique.")
            index[_key(spelling)] = city
    return index


def resolve_city(name: str, path: Path = CITY_REGISTER) -> City:
    """The city meant by ``name`` (any spelling of ``data/cities.csv``), or a clear error."""
    found = _city_index(path).get(_key(name)) if isinstance(name, str) else None
    if found is None:
        raise ValueError(f"Unknown city {nfc(str(name))!r}; the cities with their own figures are: "
                         f"{', '.join(c.name_en for c in load_cities(path))} (data/cities.csv).")
    return found
