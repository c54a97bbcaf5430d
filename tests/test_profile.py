"""Unit tests of helpers.steps.nb06_city_report: ranks, composites, breaks, statements (small
synthetic inputs
where possible; the real data layer where the function's job is to read it)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.registers.labels import LABELS, LANGUAGES
from helpers.registers.regions import analysis_regions, region_by_slug
from helpers.steps import nb06_city_report as profile


def _book(rows):
    """A minimal codebook: (column, factor_id, direction) rows, all included."""
    return pd.DataFrame([{"column": c, "factor_id": f, "direction": d, "include": True,
                          "label_en": c.title(), "unit": "u", "proxy_strength": "strong"}
                         for c, f, d in rows])


BOOK = _book([("a", "social", "higher_better"), ("b", "social", "lower_better"),
              ("c", "economy", "higher_better")])
CS = pd.DataFrame({"a": [3.0, 1.0, 2.0, 2.0], "b": [10.0, 30.0, 20.0, 40.0],
                   "c": [5.0, 6.0, 7.0, 8.0]}, index=["r1", "r2", "r3", "r4"])


def test_ranks_apply_direction_and_ties_share_the_best_rank():
    r = profile.ranks(CS, BOOK)
    assert list(r["a"]) == [1, 4, 2, 2]          # higher is better, tie at 2
    assert list(r["b"]) == [1, 3, 2, 4]          # lower is better: 10 is best
    assert list(r["c"]) == [4, 3, 2, 1]


def test_ranks_refuse_a_column_missing_from_the_codebook():
    with pytest.raises(ValueError, match="not in the codebook"):
        profile.ranks(CS.assign(zzz=1.0), BOOK)


def test_composites_are_means_of_oriented_z_scores():
    s = profile.composites(CS, BOOK)
    z = lambda x: (x - x.mean()) / x.std(ddof=1)  # noqa: E731
    expected = (z(CS["a"]) + z(-CS["b"])) / 2
    np.testing.assert_allclose(s["social"], expected)
    np.testing.assert_allclose(s["economy"], z(CS["c"]))
    assert s["social"].idxmax() == "r1"


def test_strengths_and_gaps_are_the_extremes_and_exclude_the_outcome():
    table = pd.DataFrame({"factor": ["social", "social", "economy", "adaptation", "law"],
                          "rank": [5, 1, 20, 1, 12]}, index=["p", "q", "r", "y", "s"])
    best, worst = profile.strengths_and_gaps(table, k=2)
    assert best == ["q", "p"] and worst == ["r", "s"]
    assert "y" not in best + worst


def test_every_codebook_indicator_has_labels_in_every_language():
    from helpers.registers.data import load_codebook

    book = load_codebook()
    for column in book.loc[book["include"], "column"]:
        entry = LABELS.get(f"ind_{column}")
        assert entry is not None, f"data/labels.csv lacks ind_{column}"
        assert set(entry) == set(LANGUAGES) and all(entry.values())


@pytest.fixture(scope="module")
def shymkent():
    return profile.series_table("shymkent")


def test_index_series_start_at_100_in_the_base_year(shymkent):
    pop = shymkent[shymkent["indicator"] == "population"]
    base = int(pop["base_year"].iloc[0])
    at_base = pop[pop["year"] == base]
    assert len(at_base) == 2 and np.allclose(at_base["value"], 100)
    assert base > profile.FIRST_YEAR        # Shymkent has no 2013 population


def test_per_capita_is_value_over_the_start_of_year_population(shymkent):
    em = shymkent[(shymkent["indicator"] == "emissions_stationary")
                  & (shymkent["region"] == "shymkent") & (shymkent["year"] == 2022)]
    pop = shymkent  # population raw values are in the same table
    p2022 = pop[(pop["indicator"] == "population") & (pop["region"] == "shymkent")
                & (pop["year"] == 2022)]["raw"].iloc[0]
    assert em["value"].iloc[0] == pytest.approx(em["raw"].iloc[0] * 1e6 / p2022)


def test_breaks_shymkent_start_karaganda_boundary_almaty_coverage(shymkent):
    b = profile.series_breaks(shymkent, "shymkent")
    starts = b[b["kind"] == "start"]
    assert set(starts["indicator"]) >= {"grp_per_capita", "emissions_stationary"}
    assert int(starts.loc[starts["indicator"] == "grp_per_capita", "year"].iloc[0]) == 2018
    kar = profile.series_breaks(profile.series_table("karaganda"), "karaganda")
    assert set(kar.loc[kar["kind"] == "boundary", "year"]) == {2022}
    alm = profile.series_breaks(profile.series_table("almaty"), "almaty")
    cov = alm[alm["kind"] == "coverage"]
    assert list(cov["indicator"]) == ["emissions_stationary"] and list(cov["year"]) == [2014]
    assert "boundary" not in set(alm["kind"])


def test_summary_flags_a_window_that_crosses_a_boundary_change():
    series = profile.series_table("karaganda")
    summary = profile.series_summary(series, profile.series_breaks(series, "karaganda"),
                                     "karaganda")
    assert summary["grp_per_capita"]["comparable"] is False
    astana = profile.series_table("astana")
    ok = profile.series_summary(astana, profile.series_breaks(astana, "astana"), "astana")
    assert ok["grp_per_capita"]["comparable"] is True
    g = ok["grp_per_capita"]["city"]
    assert g["growth_pct"] == pytest.approx(100 * (g["last"] / g["first"] - 1))


def test_statements_file_is_valid_and_covers_the_five_cities():
    st = profile.load_statements()
    named = {s for listed in st["regions"] for s in listed}
    assert named == {"astana", "almaty", "shymkent", "karaganda", "aktobe"}
    assert dict(zip(st["id"], st["article_value"], strict=True))["S1"] == 14.2
    assert all(st["location"].str.contains("article-kk.txt"))


def test_statements_refuse_an_unknown_region(tmp_path):
    bad = tmp_path / "s.csv"
    bad.write_text(",".join(profile.STATEMENT_COLUMNS) + "\nS9,atlantis,x,t,q,,,,none,here\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match="atlantis"):
        profile.load_statements(bad)


@pytest.mark.parametrize("slug", ["astana", "karaganda", "pavlodar"])
def test_profile_names_a_rank_on_every_factor(slug):
    p = profile.build_profile(slug)
    assert set(p.factors.index) >= {"social", "management", "economy", "law", "technology",
                                    "sustainability"}
    n = len(analysis_regions())
    assert p.factors["rank"].between(1, n).all()
    sentence = profile.factor_sentence(p, region_by_slug(slug))
    for factor, row in p.factors.iterrows():
        assert f"{factor} ({row['code']}) rank {row['rank']} of {n}" in sentence
    assert (p.statements.empty) == (slug == "pavlodar")


def test_the_citys_robustness_row_comes_from_notebook_05s_report():
    results = {"per_region": {"almaty": {"main_priority": "technology", "n_same": 3,
                                         "n_specs": 4, "share_same": 0.75,
                                         "changes_a_verdict": False, "changed_claims": [],
                                         "reversed_paths": ["law"], "delta_r2": -0.031}},
               "n_specs": 5, "influential_regions": ["astana"]}
    row = profile.city_robustness("almaty", results)
    assert row["n_specs_total"] == 5 and row["influential_regions"] == ["astana"]
    assert row["main_priority"] == "technology"
    with pytest.raises(KeyError, match="no row for 'pavlodar'.*almaty"):
        profile.city_robustness("pavlodar", results)
    text = profile.robustness_sentence(row, "Almaty", {"technology": "Tech", "law": "Law"})
    assert "**Tech**" in text and "3 of 4" in text and "(75%)" in text
    assert "reverses the sign of the path(s) of Law" in text
    assert text.endswith("(R² changes by -0.03 without it.)")
    row["changes_a_verdict"], row["changed_claims"] = True, ["H1"]
    assert "changes the verdict on H1" in profile.robustness_sentence(row, "Almaty", {})
    row["main_priority"] = None
    assert profile.robustness_sentence(row, "Almaty", {}).startswith(
        "In the main specification no factor has a positive importance for Almaty.")
