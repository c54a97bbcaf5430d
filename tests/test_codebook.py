"""The codebook (second edition): its columns are validated and its coverage is as promised."""

from __future__ import annotations

import csv

import pytest

from helpers.registers import data
from helpers.registers.data import DataValidationError
from tests.test_data import copy, edit  # noqa: F401  (fixture)


def _line(path, text):
    return next(i for i, t in enumerate(path.read_text().split("\n"), 1) if text in t and i > 1)


def test_source_file_must_be_in_the_raw_manifest(copy):  # noqa: F811
    path = copy / "codebook.csv"
    line = _line(path, "bns/bns_grp_per_capita")
    edit(path, line, "bns/bns_grp_per_capita", "bns/bns_gdp_per_capita")
    with pytest.raises(DataValidationError, match=rf"row {line}, column 'source_file': "
                       "'bns/bns_gdp_per_capita.*is neither a file nor a folder"):
        data.load_codebook(path, data=copy)


def _set(path, indicator: str, column: str, value: str) -> int:
    """Set one cell of the codebook row of ``indicator``; return the row's line number."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    i = next(i for i, r in enumerate(rows) if r["indicator"] == indicator)
    rows[i][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return i + 2


def test_secondary_rows_need_a_reason(copy):  # noqa: F811
    path = copy / "codebook.csv"
    line = _set(path, "smart_city_adaptation_score", "secondary_reason", " ")
    with pytest.raises(DataValidationError, match=rf"row {line}, column 'secondary_reason': a "
                       "row from a secondary table must say why"):
        data.load_codebook(path, data=copy)


def test_official_rows_carry_no_secondary_reason(copy):  # noqa: F811
    path = copy / "codebook.csv"
    line = _set(path, "grp_per_capita", "secondary_reason", "because")
    with pytest.raises(DataValidationError, match=rf"row {line}, column 'secondary_reason': "
                       "only rows from secondary"):
        data.load_codebook(path, data=copy)


def test_first_edition_still_loads_with_its_nine_secondary_rows():
    first = data.load_codebook(data.CODEBOOK_FIRST_EDITION)
    assert len(first) == 17
    assert first["source_table"].str.startswith("secondary/").sum() == 9


def test_second_edition_rests_on_official_sources():
    """Issue 9: ≥ 3 official indicators for at least five factors, ≥ 2 for law."""
    book = data.load_codebook()
    used = book[book.include & book.source_table.str.startswith("official/")]
    counts = used.groupby("factor_id").size()
    factors = [f for f in data.FACTORS.values() if f != "adaptation"]
    assert sum(counts.get(f, 0) >= 3 for f in factors) >= 5, counts.to_dict()
    assert counts.get("law", 0) >= 2
    assert (used[used.factor_id == "law"].source_file == "legal-statistics").all()


def test_what_remains_from_the_merged_table_is_marked():
    book = data.load_codebook()
    merged = book[book.source_table == "secondary/regional_indicators_merged"]
    assert (merged.secondary_reason.str.len() > 20).all()
    kept = merged[merged.include]
    # the official tables carry no regional wage, so the wage is the one quantity left
    assert list(kept.indicator) == ["avg_monthly_wage"]


def test_every_included_column_has_a_complete_cross_section():
    cs = data.cross_section()
    assert cs.shape[0] == 20
    assert not cs.isna().any().any(), cs.columns[cs.isna().any()].tolist()


@pytest.mark.parametrize("target", ["no_such_indicator", "", "buses"])
def test_a_share_of_target_is_checked_at_load_naming_the_valid_indicators(copy, target):  # noqa: F811
    path = copy / "codebook.csv"
    line = _set(path, "buses", "normalisation", f"share_of:{target}")
    with pytest.raises(DataValidationError) as caught:
        data.load_codebook(path, data=copy)
    message = str(caught.value)
    assert f"row {line}, column 'normalisation': 'share_of:{target}': " in message
    others = sorted(set(data.load_official("bus_transport", copy / "official")["indicator"])
                    - {"buses"})
    assert len(others) == 3 and message.endswith(f"valid: share_of:<one of {others}>.")
