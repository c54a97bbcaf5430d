"""Shared fixtures: one full run of the study for one city, executed once per test session.

Tests that use it, and the tests that execute a notebook themselves (``@pytest.mark.study``),
carry the ``study`` marker: ``pytest -m "not study"`` is the quick loop.

The run goes to a temporary output root (``STUDY_OUTPUT_ROOT``), never into the repository's
``reports/`` or ``figures/``. Tests of each notebook's JSON read from it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.pls import (
    Model,
    bootstrap_model,
    composite,
    estimate_pls,
    paths,
    relationships,
    single_item,
)
from helpers.run.runner import main

TEST_CITY = "almaty"
STUDY_FIXTURES = {"study_root", "study_root_again", "study_root_kk", "report", "site"}


def pytest_collection_modifyitems(items):
    """A test that needs a run of the study (one of STUDY_FIXTURES) is marked ``study``, so
    ``pytest -m "not study"`` leaves every notebook execution out."""
    for item in items:
        if STUDY_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.study)


@pytest.fixture(autouse=True)
def _sentences_in_english():
    """Each test starts with English sentences (a notebook's setup sets the language of the
    process it runs in: helpers.registers.i18n.use)."""
    from helpers.registers import i18n

    i18n.use(i18n.SOURCE_LANGUAGE)
    yield
    i18n.use(i18n.SOURCE_LANGUAGE)


def run_study(root: Path, city: str = TEST_CITY) -> Path:
    """Run every notebook for ``city`` into ``root``; fail the test on a non-zero exit."""
    status = main(["--city", city, "--output", str(root), "--jobs", "2"])
    assert status == 0, f"the study run into {root} failed (exit {status}); see the log above"
    return root


def run_translated(study_root: Path, root: Path, lang: str, notebooks) -> Path:
    """Run ``notebooks`` in ``lang`` for the test city into ``root``, on a copy of the session
    run's records and cache (the same in every language: national parts are read back, not
    recomputed); fail the test on a non-zero exit."""
    shutil.copytree(study_root / "reports", root / "reports",
                    ignore=shutil.ignore_patterns("*.ipynb", "*.html"))
    status = main(["--city", TEST_CITY, "--lang", lang, "--notebooks", *notebooks,
                   "--output", str(root), "--jobs", "2"])
    assert status == 0, f"the {lang} run of {', '.join(notebooks)} into {root} failed"
    return root


@pytest.fixture(scope="session")
def study_root(tmp_path_factory) -> Path:
    """Output root of a full run (all notebooks, the test city)."""
    return run_study(tmp_path_factory.mktemp("study-a"))


@pytest.fixture(scope="session")
def study_root_again(tmp_path_factory, study_root) -> Path:
    """A second, independent run with the same parameters."""
    return run_study(tmp_path_factory.mktemp("study-b"))


def read_report(root: Path, slug: str, notebook: str) -> dict:
    """The JSON a notebook wrote in a run."""
    path = root / "reports" / slug / f"{notebook}.json"
    assert path.exists(), f"{notebook} wrote no JSON for {slug} at {path}"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def report(study_root):
    """``report(notebook, slug=TEST_CITY)`` -> the notebook's ``results`` from the session run."""
    def get(notebook: str, slug: str = TEST_CITY) -> dict:
        return read_report(study_root, slug, notebook)["results"]
    return get


KAZAKH_NOTEBOOKS = ("00", "04")
"""What the Kazakh edition of the test site holds: one national notebook and the city's 04."""


@pytest.fixture(scope="session")
def study_root_kk(tmp_path_factory) -> Path:
    """A run of the Kazakh notebooks 00 and 04 for the test city, with lang = kk."""
    root = tmp_path_factory.mktemp("study-kk")
    status = main(["--city", TEST_CITY, "--lang", "kk", "--notebooks", *KAZAKH_NOTEBOOKS,
                   "--output", str(root), "--jobs", "2"])
    assert status == 0, f"the Kazakh run into {root} failed (exit {status})"
    return root


@pytest.fixture(scope="session")
def site(study_root, study_root_kk, tmp_path_factory) -> Path:
    """The reading edition built from the session's run (its one city), time-bounded: English
    in full, Kazakh with the notebooks of the Kazakh run, Russian with its computed pages."""
    from helpers.site.book import build

    return build(study_root, tmp_path_factory.mktemp("site"), timeout=600,
                 runs={"kk": study_root_kk, "ru": None})


@pytest.fixture(scope="module")
def fitted():
    """A small PLS fit and its bootstrap (two predictors, one path negative), for drawing tests."""
    rng = np.random.default_rng(3)
    n = 60
    f1, f2 = rng.normal(size=n), rng.normal(size=n)
    data = pd.DataFrame({"x1": f1 + 0.5 * rng.normal(size=n), "x2": f1 + 0.5 * rng.normal(size=n),
                         "z1": f2 + 0.5 * rng.normal(size=n),
                         "y1": 0.6 * f1 - 0.3 * f2 + 0.6 * rng.normal(size=n)})
    model = Model([composite("F1", ["x1", "x2"]), single_item("F2", "z1"),
                   single_item("Y", "y1")], relationships(paths(from_=["F1", "F2"], to="Y")))
    fit = estimate_pls(data, model)
    return fit, bootstrap_model(fit, n_boot=200, seed=1)
