"""Notebook 07's comparison of two cities' respondents (multi-group analysis), on response files
written to a temporary folder (simulated answers; never placed in data/survey/)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers.pls import MGAWarning, estimate_pls, estimate_pls_mga
from helpers.registers.regions import region_by_slug
from helpers.steps import nb07_reconstruction as rec
from helpers.steps.nb07_survey import (
    cities_with_responses,
    compare_cities,
    comparison_shown,
    load_responses,
)
from tests.text_checks import english_cells, english_sentences


@pytest.fixture(scope="module")
def spec():
    return rec.load_spec()


def _write(folder, slug, answers):
    table = answers.astype(int).reset_index()
    table["respondent"] = [f"{slug}-{i}" for i in range(len(table))]
    table.to_csv(folder / f"{slug}.csv", index=False)


def test_two_cities_are_compared(tmp_path, spec):
    astana = rec.simulate_survey(spec, 1, 600).answers
    almaty = rec.simulate_survey(spec, 2, 500).answers
    # in the second city the outcome items are shuffled across respondents: no factor matters
    outcome = [c for c in almaty.columns if c.startswith("ADA")]
    almaty[outcome] = almaty[outcome].to_numpy()[np.random.default_rng(3).permutation(500)]
    _write(tmp_path, "astana", astana)
    _write(tmp_path, "almaty", almaty)
    assert cities_with_responses(tmp_path) == ["astana", "almaty"]
    with pytest.warns(MGAWarning, match="group 'almaty'"):  # outcome weights adrift there
        result = compare_cities("astana", spec.model(), n_boot=200, seed=4, folder=tmp_path)
    assert result.mga is not None
    assert result.mga.groups["n_obs"].to_dict() == {"almaty": 500, "astana": 600}
    table = result.table.set_index("path")
    strongest = spec.weights.idxmax()
    row = table.loc[f"{strongest} -> {spec.outcome}"]
    assert (row["group_1"], row["group_2"]) == ("almaty", "astana")
    assert row["diff"] < -0.15 and row["p_permutation"] < 0.01
    assert row["p_henseler"] > 0.9  # one-sided H1: almaty > astana is far from supported
    # the same numbers as the MGA called directly on the two files
    frames = [load_responses(c, folder=tmp_path).answers.assign(city=c)
              for c in ("astana", "almaty")]
    pooled = pd.concat(frames, ignore_index=True)
    with pytest.warns(MGAWarning):
        direct = estimate_pls_mga(estimate_pls(pooled, spec.model()), "city", data=pooled,
                                  n_boot=200, n_perm=200, seed=4)
    pd.testing.assert_frame_equal(direct.comparisons[result.table.columns], result.table)
    record = json.loads(json.dumps(result.record()))
    assert record["ran"] is True and len(record["comparisons"]) == len(spec.model().structure)
    assert {m["construct"] for m in record["micom"]} == set(spec.model().construct_names)
    # MICOM 1-3 ran first, on the same permutations' seed, and its conclusion is in the note
    inv = record["measurement_invariance"]
    (row,) = inv["conclusion"]
    assert row["invariance"] in ("no", "partial", "full") and "MICOM" in result.note
    # the recorded note reads as it did before it became a catalogue sentence
    unread = "" if row["mga_readable"] else " (their path differences must not be read)"
    assert result.note == ("Real survey responses of 2 cities (astana n = 600, almaty n = 500), "
                           "the model estimated for each city and every pair compared. MICOM: "
                           f"{row['group_1']} vs {row['group_2']}: {row['invariance']} "
                           "measurement invariance"
                           f"{unread}.")
    # on screen: MICOM's conclusion first, then the path differences
    shown = result.exhibits("en")
    assert f"{row['invariance']} measurement invariance" in shown[0].data
    assert list(shown[1]["invariance"]) == [row["invariance"]]
    pd.testing.assert_frame_equal(shown[2], comparison_shown(result.table.round(3), "en"))
    assert list(shown[2]["group_1"]) == [region_by_slug(row["group_1"]).name("en")] * len(
        result.table)
    # in Kazakh: the cities by name, the tables' words translated, decimal commas
    kazakh = result.exhibits("kk")
    assert "Астана" in kazakh[0].data and "astana" not in kazakh[0].data
    assert "Астана" in result.sentence("kk") or "Астана" in result.said.text("kk")
    assert english_cells([*kazakh[1].columns, *kazakh[1].to_numpy().ravel(),
                          *kazakh[2].columns, *kazakh[2].to_numpy().ravel()]) == []
    assert any("," in str(v) for v in kazakh[2].iloc[:, 3])
    assert {r["construct"] for r in inv["step3"]} == set(spec.model().construct_names)
    step2 = pd.DataFrame(inv["step2"]).set_index("construct")
    mga_micom = pd.DataFrame(record["micom"]).set_index("construct")
    assert (step2["c"] - mga_micom.loc[step2.index, "c"]).abs().max() < 1e-12


def test_no_comparison_without_two_cities(tmp_path, spec):
    synthetic = compare_cities("synthetic", spec.model(), 50, 1, folder=tmp_path)
    assert synthetic.mga is None and "synthetic" in synthetic.note
    assert synthetic.record() == {"cities": [], "ran": False, "note": synthetic.note}
    _write(tmp_path, "astana", rec.simulate_survey(spec, 1, 40).answers)
    alone = compare_cities("astana", spec.model(), 50, 1, folder=tmp_path)
    assert alone.mga is None and alone.cities == ["astana"]
    assert "at least one other city" in alone.note
    assert alone.note.startswith("No comparison of cities: responses for ['astana'] only;")
    assert "Астана" in alone.sentence("kk") and english_sentences(alone.sentence("kk")) == []
    assert english_sentences(synthetic.sentence("ru")) == []
    assert alone.table.empty
