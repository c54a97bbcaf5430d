"""Work done once (helpers.run.cache): a national result is computed by the first city and read
back, identical, by the others."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import stats
from helpers.registers import article, data, paths
from helpers.run import cache
from helpers.steps import nb03_correlation_analysis as correlation
from helpers.steps import nb03_over_years as over_years
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
    changed = cache.inputs_fingerprint()
    assert changed != before
    table.rename(data / "official" / "u.csv")  # the same bytes under another name
    assert cache.inputs_fingerprint() not in (before, changed)
    (data / "official" / "u.csv").write_text("region,value\n")  # bytes moved between files:
    (data / "official" / "v.csv").write_text("astana,2\n")       # their lengths tell them apart
    moved = cache.inputs_fingerprint()
    (data / "official" / "u.csv").write_text("region,value\nastana,2\n")
    (data / "official" / "v.csv").write_text("")
    assert cache.inputs_fingerprint() != moved


def test_the_editions_are_compared_once_and_read_back_identical(out):
    factors = list(estimation.article.FACTOR_IDS)
    first = editions.compare_editions(factors, estimation.OUTCOME)  # computes, stores
    assert list((out / "reports" / cache.FOLDER).glob("04_editions-*.pickle"))
    fresh = editions.compare_editions(factors, estimation.OUTCOME, editions.EDITIONS)  # no cache
    again = editions.compare_editions(factors, estimation.OUTCOME)  # read back
    assert first == again == fresh


def test_the_national_tables_are_loaded_once_and_read_back_identical(out):
    first = cache.national_tables()  # loads, stores
    assert list((out / "reports" / cache.FOLDER).glob("national_tables-*.pickle"))
    again = cache.national_tables()  # read back from the file
    book = data.load_codebook()
    fresh = (book, data.cross_section(codebook=book))  # no cache
    for stored, read, loaded in zip(first, again, fresh, strict=True):
        pd.testing.assert_frame_equal(read, loaded)
        pd.testing.assert_frame_equal(stored, loaded)
        assert read.attrs == loaded.attrs  # the years each column used travel with the table


def test_a_stale_cache_is_not_read(out, monkeypatch):
    """Tables stored under other inputs (the code or a data file changed since: another
    fingerprint) are not read back: the new inputs are loaded."""
    stored = cache.national_tables()
    changed = stored[1].assign(**{stored[1].columns[0]: 0.0})
    monkeypatch.setattr(cache, "inputs_fingerprint", lambda: "other inputs")
    monkeypatch.setattr(cache, "cross_section", lambda codebook: changed)
    book, table = cache.national_tables()
    pd.testing.assert_frame_equal(table, changed)
    assert len(list((out / "reports" / cache.FOLDER).glob("national_tables-*.pickle"))) == 2


def test_the_second_reading_from_the_run_panel_is_the_one_built_for_the_city(out):
    """Notebook 03's second reading reads the city's rows of a panel built once per run; its
    record is the record of the reading built from the city's own panel, for every city after
    the first, and a codebook that differs (another key) gets its own panel."""
    book, cross = cache.national_tables()
    table = data.oriented(cross, book)
    columns = {f: data.factor_columns(book)[f] for f in article.FACTOR_IDS}
    pairs = correlation.pairs(stats.factor_composites(table, columns, article.FACTOR_IDS))

    def recorded(reading) -> str:
        return json.dumps(reading.record(), sort_keys=True, default=str)

    for slug in ("karaganda", "astana"):  # the first builds the panel, the second reads it
        cached = correlation.second_reading(slug, book, pairs, slug)
        own = over_years.analyse(slug, book, pairs, city_name=slug)  # the city's own panel
        assert recorded(cached) == recorded(own)
    assert len(list((out / "reports" / cache.FOLDER).glob("03_panel-*.pickle"))) == 1
    kept = own.result.indicators
    fewer = book.copy()  # without one indicator that enters the city's composites
    fewer.loc[fewer["column"] == kept.loc[kept["used"], "column"].iloc[0], "include"] = False
    other = correlation.second_reading("astana", fewer, pairs, "astana")
    assert len(list((out / "reports" / cache.FOLDER).glob("03_panel-*.pickle"))) == 2
    assert recorded(other) == recorded(over_years.analyse("astana", fewer, pairs,
                                                          city_name="astana"))
    assert recorded(other) != recorded(own)
