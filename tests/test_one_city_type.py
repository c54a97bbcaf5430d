"""One city type past the edge (issue 16, §4).

A spelling of a city ("Karaganda", "Қарағанды", "Nur-Sultan") is resolved once, at the edge
(``helpers.run.params.setup`` for notebooks, the runner and the survey command through
``helpers.run.params``); the steps, drawings and site take a ``Region`` or its slug.
"""

from __future__ import annotations

import ast
import json

import pytest

from helpers.registers import paths
from helpers.registers.regions import region_by_slug
from helpers.run import params
from helpers.steps import nb06_city_report as profile

PAST_THE_EDGE = ("steps", "plots", "site", "classpack")
SPELLING_LOOKUPS = {"resolve_region", "resolve_city", "_index", "_city_index", "_spelling", "_key",
                    "check_values", "_city", "_cities"}
"""What turns a spelling into a place: the registers' resolvers and their indexes, and the
parameter checks of :mod:`helpers.run.params` that call them."""


def spelling_lookups(source: str) -> list[str]:
    """``line: name`` for every import, call or attribute of :data:`SPELLING_LOOKUPS`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found += [f"{node.lineno}: {a.name}" for a in node.names if a.name in SPELLING_LOOKUPS]
        elif isinstance(node, ast.Attribute) and node.attr in SPELLING_LOOKUPS:
            found.append(f"{node.lineno}: {node.attr}")
        elif isinstance(node, ast.Name) and node.id in SPELLING_LOOKUPS:
            found.append(f"{node.lineno}: {node.id}")
    return found


def test_no_module_past_the_edge_resolves_a_spelling():
    offenders = []
    for package in PAST_THE_EDGE:
        for path in sorted((paths.ROOT / "helpers" / package).rglob("*.py")):
            offenders += [f"{path.relative_to(paths.ROOT)}:{hit}"
                          for hit in spelling_lookups(path.read_text(encoding="utf-8"))]
    assert offenders == [], ("take a Region (or its slug, helpers.registers.regions."
                             "region_by_slug) instead of resolving a spelling:\n"
                             + "\n".join(offenders))


@pytest.mark.parametrize("code", [
    "from helpers.registers.regions import resolve_region\n",
    "from helpers.registers import regions\nregions.resolve_region('Astana')\n",
    "from helpers.registers.regions import resolve_city as find\n",
    "from helpers.run.params import check_values\n",
])
def test_the_check_finds_a_spelling_lookup(code):
    assert spelling_lookups(code)


def test_the_check_leaves_a_slug_lookup_alone():
    assert spelling_lookups("from helpers.registers.regions import region_by_slug\n"
                            "region_by_slug('astana').name('kk')\n") == []


def test_a_step_refuses_a_spelling_and_names_the_slugs():
    with pytest.raises(ValueError, match="not a region slug.*karaganda"):
        profile.series_table("Karaganda")
    assert region_by_slug("karaganda") is region_by_slug(region_by_slug("karaganda"))


@pytest.mark.parametrize(("slug", "spellings"), [("karaganda", ("Karaganda", "Қарағанды")),
                                                  ("astana", ("Nur-Sultan", "Нұр-Сұлтан"))])
def test_a_step_gives_the_same_record_whatever_spelling_setup_resolved(slug, spellings):
    def record(place) -> str:
        region = region_by_slug(place)
        return json.dumps(profile.record(profile.build_profile(place), region), sort_keys=True,
                          default=str)

    resolved = [params.check_values({"city": s})["city"] for s in spellings]
    records = {record(region) for region in resolved} | {record(slug)}
    assert len(records) == 1
    assert json.loads(records.pop())["region"] == slug
