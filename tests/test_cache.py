"""Work done once (helpers.run.cache): a national result is computed by the first city and read
back, identical, by the others."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.registers import paths
from helpers.run import cache
from helpers.steps import nb04_editions as editions
from helpers.steps import nb04_pls_estimation as estimation


@pytest.fixture
def out(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(tmp_path))
    return tmp_path


def test_once_computes_once_per_key(out):
    calls = []

    def compute():
        calls.append(1)
        return {"value": len(calls)}

    assert cache.once("t", "k1", compute) == {"value": 1}
    assert cache.once("t", "k1", compute) == {"value": 1}
    assert cache.once("t", "k2", compute) == {"value": 2}
    assert len(calls) == 2
    assert cache.cache_file("t", "k1").is_relative_to(out / "reports" / cache.FOLDER)


def test_the_fingerprint_follows_the_inputs():
    a = pd.DataFrame({"x": [1.0, 2.0]}, index=["p", "q"])
    b = a.copy()
    b.loc["q", "x"] = 2.0000001
    assert cache.fingerprint(a, 5, "s") == cache.fingerprint(a.copy(), 5, "s")
    assert cache.fingerprint(a, 5, "s") != cache.fingerprint(b, 5, "s")
    assert cache.fingerprint(a, 5, "s") != cache.fingerprint(a, 6, "s")
    assert cache.fingerprint(a) != cache.fingerprint(a.rename(columns={"x": "y"}))


def test_a_city_read_from_the_cache_has_the_numbers_of_a_fresh_estimation(out):
    first = estimation.estimate("almaty", n_boot=40, seed=7)   # computes, stores
    assert list((out / "reports" / cache.FOLDER).glob("04_national-*.pickle"))
    second = estimation.estimate("astana", n_boot=40, seed=7)  # reads back
    fresh = estimation.national(n_boot=40, seed=7)              # computed again, no cache
    pd.testing.assert_frame_equal(second.paths, fresh["paths"])
    pd.testing.assert_frame_equal(second.fit.path_coefficients, fresh["fit"].path_coefficients)
    assert second.warnings[:len(fresh["warnings"])] == fresh["warnings"]
    assert first.city_scores.name == "almaty" and second.city_scores.name == "astana"
    a, b = estimation.record(first), estimation.record(second)
    assert a["r2"] == b["r2"] == fresh["fit"].r_squared.loc[estimation.OUTCOME, "r2"]
    assert a["sign_flips"] == b["sign_flips"]


def test_the_inputs_fingerprint_follows_every_data_file_and_the_code(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "official").mkdir(parents=True)
    table = data / "official" / "t.csv"
    table.write_text("region,value\nastana,1\n")
    monkeypatch.setattr(paths, "DATA", data)
    before = cache.inputs_fingerprint()
    assert cache.inputs_fingerprint() == before
    table.write_text("region,value\nastana,2\n")
    assert cache.inputs_fingerprint() != before


def test_the_editions_are_compared_once_and_read_back_identical(out):
    factors = list(estimation.article.FACTOR_IDS)
    first = editions.compare_editions(factors, estimation.OUTCOME)  # computes, stores
    assert list((out / "reports" / cache.FOLDER).glob("04_editions-*.pickle"))
    fresh = editions.compare_editions(factors, estimation.OUTCOME, editions.EDITIONS)  # no cache
    again = editions.compare_editions(factors, estimation.OUTCOME)  # read back
    assert first == again == fresh
