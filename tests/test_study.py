"""The whole sequence for one city, executed into a temporary folder."""

from __future__ import annotations

import json

import pytest

from helpers.registers import paths
from helpers.run.runner import declared_parameters, notebook_names
from tests.conftest import TEST_CITY, read_report


def _tasks():
    for name in notebook_names():
        slug = TEST_CITY if "city" in declared_parameters(name) else paths.NATIONAL
        yield name, slug


@pytest.mark.parametrize("name, slug", list(_tasks()))
def test_every_notebook_writes_its_outputs(study_root, name, slug):
    folder = study_root / "reports" / slug
    for suffix in (".ipynb", ".html", ".json"):
        assert (folder / f"{name}{suffix}").exists(), f"{name}{suffix} missing for {slug}"
    document = read_report(study_root, slug, name)
    assert document["notebook"] == name and document["slug"] == slug
    assert document["results"], f"{name} recorded no results"
    assert set(document["parameters"]) == set(declared_parameters(name))
    if slug != paths.NATIONAL:
        assert document["parameters"]["city"] == TEST_CITY


@pytest.mark.parametrize("name, slug", list(_tasks()))
def test_two_runs_give_identical_numbers(study_root, study_root_again, name, slug):
    first = read_report(study_root, slug, name)
    second = read_report(study_root_again, slug, name)
    assert json.dumps(first["results"], sort_keys=True) == json.dumps(second["results"],
                                                                       sort_keys=True)


def test_two_runs_write_byte_identical_svg(study_root, study_root_again):
    first = sorted((study_root / "figures").rglob("*.svg"))
    for svg in first:
        twin = study_root_again / svg.relative_to(study_root)
        assert twin.read_bytes() == svg.read_bytes(), f"{svg.name} differs between two runs"


def test_committed_exhibits_are_reproduced_byte_for_byte(study_root):
    committed = [svg for folder in (TEST_CITY, paths.NATIONAL)
                 for svg in sorted((paths.ROOT / "figures" / folder).glob("*.svg"))
                 if svg.suffixes == [".svg"]]  # the English exhibits; .kk.svg/.ru.svg are not kept
    if not committed:
        pytest.skip("no exhibits are committed yet")
    for svg in committed:
        fresh = study_root / svg.relative_to(paths.ROOT)
        assert fresh.exists(), f"a fresh run did not produce {svg.relative_to(paths.ROOT)}"
        assert fresh.read_bytes() == svg.read_bytes(), \
            f"{svg.relative_to(paths.ROOT)} differs from a fresh run: re-run `make study`"
