"""The region and city registers refuse duplicated rows and dangling references."""

from __future__ import annotations

import pytest

from helpers.registers.paths import DATA
from helpers.registers.regions import load_cities, load_regions, resolve_city


def test_a_duplicated_region_row_fails(tmp_path):
    lines = (DATA / "regions.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "regions.csv").write_text("".join(lines + [lines[5]]), encoding="utf-8")
    expected = rf"line {len(lines) + 1}: the slug 'almaty-region' is already used on line 6"
    with pytest.raises(ValueError, match=expected):
        load_regions(tmp_path / "regions.csv")


def test_the_committed_registers_load():
    assert len(load_regions()) == 22
    assert {c.region for c in load_cities()} <= {r.slug for r in load_regions()}


def test_a_duplicated_city_row_fails(tmp_path):
    lines = (DATA / "cities.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "cities.csv").write_text("".join(lines + [lines[1]]), encoding="utf-8")
    with pytest.raises(ValueError, match="the slug 'astana-city' is already used on line 2"):
        load_cities(tmp_path / "cities.csv")


def test_a_city_in_an_unknown_region_fails(tmp_path):
    text = (DATA / "cities.csv").read_text(encoding="utf-8")
    (tmp_path / "cities.csv").write_text(text.replace(",karaganda,", ",karagandy,", 1),
                                         encoding="utf-8")
    with pytest.raises(ValueError, match="region 'karagandy' is not in regions.csv"):
        load_cities(tmp_path / "cities.csv")


def test_karaganda_city_is_not_karaganda_region():
    city = resolve_city("г.Караганда")
    assert (city.slug, city.region) == ("karaganda-city", "karaganda")
    assert resolve_city("Актобе").slug == "aktobe-city"
