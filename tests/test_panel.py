"""The region × year panel, the year rules of the cross-section and the boundary register."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.registers import data
from helpers.registers.data import DataValidationError
from helpers.registers.tables import records
from tests.test_data import copy, edit  # noqa: F401  (fixture)


def _rows(df, **where):
    mask = np.ones(len(df), dtype=bool)
    for column, value in where.items():
        mask &= (df[column] == value).fillna(False).to_numpy(dtype=bool)
    return df[mask]


def _one(df, **where):
    hit = _rows(df, **where)
    assert len(hit) == 1, f"{where}: {len(hit)} rows"
    return hit.iloc[0]


# ---------------------------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------------------------

def test_register_holds_the_known_changes():
    reg = data.load_boundaries()
    reduced = set(reg.loc[reg.effect == "reduced", "region"])
    assert reduced == {"karaganda", "east-kazakhstan", "almaty-region"}
    created = reg[reg.effect == "created"].set_index("region")["year"].to_dict()
    assert created == {"shymkent": 2018, "turkistan": 2018, "abai": 2022, "zhetisu": 2022,
                       "ulytau": 2022}
    assert _one(reg, region="south-kazakhstan")["effect"] == "abolished"


@pytest.mark.parametrize(("old", "new", "column"), [
    (",boundary,2022,karaganda,", ",border,2022,karaganda,", "kind"),
    (",karaganda,,reduced,", ",karaganda,,shrunk,", "effect"),
    (",boundary,2022,karaganda,", ",boundary,22,karaganda,", "year"),
    (",boundary,2022,karaganda,", ",boundary,2022,karagandy,", "region"),
    (",almaty,emissions_stationary,", ",almaty,emissions_total,", "indicator"),
    (",boundary,2022,karaganda,", ",boundary,2022,,", "region"),
])
def test_register_refuses_bad_rows(copy, old, new, column):  # noqa: F811
    path = copy / "boundaries.csv"
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1) if old in t)
    edit(path, line, old, new)
    with pytest.raises(DataValidationError, match=rf"boundaries.csv, row {line}, column "
                       rf"'{column}'"):
        data.load_boundaries(path)


def test_register_refuses_a_duplicated_event(copy):  # noqa: F811
    path = copy / "boundaries.csv"
    lines = path.read_text().split("\n")
    lines.insert(3, lines[1])
    path.write_text("\n".join(lines))
    with pytest.raises(DataValidationError, match="row 4, column 'event': the same event"):
        data.load_boundaries(path)


# ---------------------------------------------------------------------------------------------
# Flags on the panel
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def long():
    return data.panel()


def test_panel_flags_the_2022_boundary_change(long):
    kar = _rows(long, column="emissions_stationary_per_capita", region="karaganda")
    before, after = kar[kar.year == 2021].iloc[0], kar[kar.year == 2022].iloc[0]
    assert bool(before.comparable_with_previous) and "Ulytau" in before.boundary_note
    assert not bool(after.comparable_with_previous)
    assert after.break_event == "new-regions-2022" and after.boundary_note == ""
    assert pd.isna(kar.sort_values("year").iloc[0].comparable_with_previous)  # first year
    ulytau = _one(long, column="emissions_stationary_per_capita", region="ulytau")
    assert pd.isna(ulytau.comparable_with_previous) and ulytau.series_note == ""


def test_panel_flags_south_kazakhstan_and_shymkent(long):
    sk = _rows(long, column="emissions_stationary_per_capita", region="south-kazakhstan")
    assert len(sk) and (sk.boundary_note.str.contains("split in 2018")).all()
    pop = data.time_series("Shymkent", ["population"])
    shy = pop[pop.region == "shymkent"].set_index("year")
    assert "South Kazakhstan" in shy.loc[2017, "series_note"]
    assert shy.loc[2017, "boundary_note"] == "" and bool(shy.loc[2018,
                                                             "comparable_with_previous"])
    assert shy.loc[2018, "series_note"] == ""


def test_panel_flags_a_coverage_break_for_one_indicator_only(long):
    alm = _rows(long, region="almaty", column="emissions_stationary_per_capita").set_index("year")
    assert not bool(alm.loc[2014, "comparable_with_previous"])
    assert alm.loc[2014, "break_event"] == "almaty-emissions-coverage-2014"
    assert alm.loc[2013, "series_note"].startswith("coverage change")
    costs = _rows(long, region="almaty", column="env_protection_current_costs_per_capita")
    assert costs.comparable_with_previous.dropna().all()


def test_flag_breaks_sees_a_break_across_a_gap():
    register = pd.DataFrame([{"event": "survey-2015", "kind": "method", "year": 2015,
                              "region": "", "indicator": "x", "effect": "break",
                              "note": "new survey", "source": "test"}])
    df = pd.DataFrame({"region": ["astana"] * 3 + ["almaty"] * 2, "indicator": "x",
                       "year": pd.array([2013, 2014, 2016, 2014, 2015], dtype="Int64")})
    out = data.flag_breaks(df, register).set_index(["region", "year"])
    assert list(out.loc["astana", "comparable_with_previous"]) == [pd.NA, True, False]
    assert list(out.loc["almaty", "comparable_with_previous"]) == [pd.NA, False]
    assert out.loc[("astana", 2014), "series_note"] == "new survey"
    assert out.loc[("astana", 2016), "series_note"] == ""


def test_panel_per_capita_uses_the_same_years_population(long):
    pop = data.load_official("population").set_index(["region", "year", "indicator"])["value"]
    emis = data.load_official("emissions_stationary").set_index(["region", "year"])["value"]
    mean = (pop["karaganda", 2015, "population"] + pop["karaganda", 2016, "population"]) / 2
    got = _one(long, column="emissions_stationary_per_capita", region="karaganda", year=2015)
    assert got.value == pytest.approx(emis["karaganda", 2015] * 1e6 / mean)
    # no mean population for 2023 (1 Jan 2024 is not published): no per-capita value
    assert long.loc[long.column == "population_growth", "year"].max() == 2022


def test_panel_filters_regions_by_any_spelling():
    p = data.panel(regions=["Караганда", "Astana"])
    assert set(p.region) == {"karaganda", "astana"}


# ---------------------------------------------------------------------------------------------
# Year rules of the cross-section
# ---------------------------------------------------------------------------------------------

def _grp() -> pd.Series:
    grp = data.load_official("grp_per_capita")
    return grp[grp.indicator == "grp_per_capita"].set_index(["region", "year"])["value"]


def test_default_cross_section_follows_the_codebook_and_says_so():
    cs = data.cross_section()
    years = data.years_used(cs).set_index("column")
    assert list(years.index) == list(cs.columns)
    assert years.loc["grp_per_capita", "rule_from"] == "codebook"
    assert years.loc["grp_per_capita", "years"] == "2022"
    assert years.loc["smart_city_adaptation_score", ["rule_from", "years"]].tolist() == [
        "secondary", "undated"]
    assert (years.n_regions == 20).all()
    book = data.load_codebook().query("include").set_index("column")
    fixed = [c for c in cs.columns if str(book.loc[c, "year_rule"]) == "2022"]
    assert cs[fixed].equals(data.cross_section(2022)[fixed])
    for column in cs.columns:  # every official row says which rule it followed
        if book.loc[column, "source_table"].startswith("official/"):
            assert years.loc[column, "rule"] == str(book.loc[column, "year_rule"])


def test_fixed_year_of_the_call_and_a_year_without_data():
    cs = data.cross_section(2021)
    years = data.years_used(cs).set_index("column")
    assert years.loc["grp_per_capita", "rule_from"] == "call"
    grp = _grp()
    assert cs.loc["astana", "grp_per_capita"] == grp["astana", 2021]
    # Abai did not exist in 2021: its column stays empty and the table says so
    assert np.isnan(cs.loc["abai", "grp_per_capita"])
    assert "abai" in years.loc["grp_per_capita", "missing"].split(";")


def test_latest_takes_the_last_year_with_all_regions():
    cs = data.cross_section("latest")
    years = data.years_used(cs).set_index("column")
    grp = _grp().reset_index()
    full = grp[grp.region.isin(cs.index)].groupby("year").region.nunique()
    last = int(full[full == 20].index.max())
    assert years.loc["grp_per_capita", "years"] == str(last)
    assert f"{last} is the last year" in years.loc["grp_per_capita", "reason"]


def test_mean3_leaves_out_other_territories_and_names_them():
    cs = data.cross_section("mean3", until=2022)
    years = data.years_used(cs).set_index("column")
    grp = _grp()
    assert years.loc["grp_per_capita", "years"] == "2020;2021;2022"
    assert cs.loc["astana", "grp_per_capita"] == pytest.approx(
        np.mean([grp["astana", y] for y in (2020, 2021, 2022)]))
    # Karaganda before 2022 includes Ulytau: only 2022 enters its mean
    assert cs.loc["karaganda", "grp_per_capita"] == grp["karaganda", 2022]
    assert "karaganda:1" in years.loc["grp_per_capita", "short_window"].split(";")
    assert "astana" not in years.loc["grp_per_capita", "short_window"]


def test_until_caps_latest():
    cs = data.cross_section("latest", until=2019)
    years = data.years_used(cs).set_index("column")
    assert years.loc["grp_per_capita", "years"] == "2019"
    assert "up to 2019" in years.loc["grp_per_capita", "reason"]


@pytest.mark.parametrize("rule", ["last", "2022a", 22.5, True])
def test_unknown_year_rule_is_refused(rule):
    with pytest.raises(ValueError, match="not a year rule; valid: a year such as 2022, 'latest'"):
        data.cross_section(rule)


def test_years_used_needs_a_cross_section():
    with pytest.raises(ValueError, match="no year record"):
        data.years_used(pd.DataFrame({"a": [1]}))


def test_codebook_year_rule_is_validated(copy):  # noqa: F811
    path = copy / "codebook.csv"
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1)
                if "official/grp_per_capita" in t)
    edit(path, line, ",2022,none,", ",recent,none,")
    with pytest.raises(DataValidationError, match=rf"row {line}, column 'year_rule': 'recent' "
                       "is not a year rule"):
        data.load_codebook(path, data=copy)


def test_time_series_flags_the_2015_break_in_internet_use():
    ts = data.time_series("Almaty region", ["internet_use_share"])
    own = ts[ts.region == "almaty-region"].set_index("year")
    assert not bool(own.loc[2015, "comparable_with_previous"])
    assert own.loc[2015, "break_event"] == "internet-survey-2015"
    assert own.loc[2014, "series_note"].startswith("survey change in 2015")
    assert bool(own.loc[2016, "comparable_with_previous"])
    nat = ts[ts.region == "kazakhstan"].set_index("year")  # a break of method: every region
    assert not bool(nat.loc[2015, "comparable_with_previous"])


def test_the_record_attrs_are_shared_not_copied_at_every_step():
    """pandas deep-copies a frame's attrs at every operation; a cross-section's year records and
    a panel's left-out values are shared by the frames made from it (read, never changed)."""
    cs = data.cross_section()
    years = cs.attrs["years"]
    column = cs.columns[0]
    for derived in (cs[[column]], -cs[column], cs.copy(), cs.iloc[:3], data.oriented(cs)):
        assert derived.attrs["years"] is years
    assert list(years) == data.years_used(cs).to_dict("records")
    long = data.panel(data.load_codebook().query("include"), regions=["astana"])
    excluded = long.attrs["quality_excluded"]
    assert long[long["year"] > 2015].attrs["quality_excluded"] is excluded


def _same_records(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert list(a) == list(b)
        for key in a:
            assert type(a[key]) is type(b[key]), (key, a[key], b[key])
            assert a[key] == b[key] or (a[key] != a[key] and b[key] != b[key]), key


def test_records_are_to_dict_records(copy):  # noqa: F811
    raw = data.read_table(copy / "codebook.csv")
    _same_records(records(raw), raw.to_dict("records"))
    assert records(raw.iloc[:0]) == []
    mixed = pd.DataFrame({"f": [1.5, np.nan, 3.0], "i": [1, 2, 3], "b": [True, False, True],
                          "s": pd.array(["a", None, "c"], dtype="str"),
                          "n": pd.array([1, None, 3], dtype="Int64"),
                          "o": [np.float64(1.0), [1, 2], None],
                          "d": pd.to_datetime(["2020-01-01", None, "2021-05-06"])})
    _same_records(records(mixed), mixed.to_dict("records"))
    book = data.load_codebook()
    _same_records(records(book), book.to_dict("records"))
    assert records(pd.DataFrame(index=[0, 1])) == [{}, {}]


def test_column_rows_are_the_rows_a_comparison_selects():
    """column_rows splits the panel once; each column's rows are those long["column"] == c
    selects, in the same order, and a column the panel lacks has none."""
    long = data.panel(data.load_codebook().query("include"))
    rows_of = data.column_rows(long)
    for column in long["column"].unique():
        pd.testing.assert_frame_equal(rows_of(column), long[long["column"] == column])
    none = rows_of("no_such_column")
    assert none.empty and list(none.columns) == list(long.columns)
