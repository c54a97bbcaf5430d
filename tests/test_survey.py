"""The survey instrument and the loader of real responses (data/survey/)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.steps import nb07_reconstruction as rec
from helpers.steps.nb07_survey import (
    SurveyResponseError,
    instrument,
    load_responses,
    load_source,
    questionnaire,
    scale,
)

KAZAKH_LETTERS = re.compile("[әғқңөұүһі]", re.IGNORECASE)


def test_instrument_has_three_items_per_construct_in_three_languages():
    items = instrument()
    assert len(items) == 21 and items["item"].is_unique
    assert items.groupby("construct").size().eq(3).all()
    assert set(items["construct"]) == {"social", "management", "economy", "law", "technology",
                                       "sustainability", "adaptation"}
    assert (items[["text_en", "text_kk", "text_ru"]] != "").all().all()
    assert items["text_kk"].str.contains(KAZAKH_LETTERS).mean() > 0.8
    assert items["text_ru"].str.contains("[а-я]").all()
    assert set(items["hypothesis"]) <= {"", "H1", "H2", "H3"}
    assert {"H1", "H2", "H3"} <= set(items["hypothesis"])


def test_scale_and_questionnaire():
    s = scale()
    assert list(s["value"]) == [1, 2, 3, 4, 5]
    assert (s[["label_en", "label_kk", "label_ru"]] != "").all().all()
    q = questionnaire("kk")
    assert list(q.index) == list(range(1, 22))
    assert q.loc[1, "item"] == "SOC1" and q.loc[21, "item"] == "ADA3"
    assert q.loc[1, "statement"] == instrument().set_index("item").loc["SOC1", "text_kk"]
    with pytest.raises(ValueError, match="en"):
        questionnaire("de")


@pytest.fixture
def good(tmp_path):
    """A valid response table (as strings) written to tmp_path/testcity.csv."""
    answers = rec.simulate_survey(rec.load_spec(), 11, n=40).answers
    table = answers.astype(str).reset_index()
    table["respondent"] = [f"r{k:02d}" for k in range(len(table))]
    return table


def _save(tmp_path, table, name="testcity"):
    table.to_csv(tmp_path / f"{name}.csv", index=False)


def test_a_valid_file_loads(tmp_path, good):
    good.loc[3, "SOC2"] = ""  # one skipped answer is fine
    _save(tmp_path, good)
    loaded = load_responses("testcity", folder=tmp_path)
    assert loaded.answers.shape == (40, 21)
    assert loaded.answers.isna().sum().sum() == 1
    assert loaded.answers.loc["r00", "SOC1"] == float(good.loc[0, "SOC1"])


@pytest.mark.parametrize("change, pattern", [
    (lambda t: t.__setitem__("SOC1", t["SOC1"].where(t.index != 4, "6")),
     r"line 6, respondent 'r04', column SOC1: '6' is not an answer 1-5"),
    (lambda t: t.__setitem__("LAW2", t["LAW2"].where(t.index != 0, "maybe")),
     r"line 2, respondent 'r00', column LAW2: 'maybe'"),
    (lambda t: t.__setitem__("TEC1", t["TEC1"].where(t.index != 2, "2.5")),
     r"column TEC1: '2.5' is not an answer"),
    (lambda t: t.rename(columns={"ECO1": "EC01"}),
     r"unknown column 'EC01'.*ECO1"),
    (lambda t: t.drop(columns="ADA3"), r"item column\(s\) \['ADA3'\] missing"),
    (lambda t: t.__setitem__("respondent", t["respondent"].where(t.index != 5, "r01")),
     r"respondent 'r01' appears on lines 3, 7"),
    (lambda t: t.loc.__setitem__((7, ["SOC1", "SOC2", "MAN1", "MAN2", "ECO3"]), ""),
     r"respondent 'r07': 5 of 21 answers missing"),
    (lambda t: t.loc.__setitem__((9, list(t.columns[1:])), "4"),
     r"respondent 'r09': straight-lining \(the answer 4 to every item\)"),
])
def test_bad_files_are_refused_naming_the_problem(tmp_path, good, change, pattern):
    changed = change(good)
    _save(tmp_path, good if changed is None else changed)
    with pytest.raises(SurveyResponseError, match=pattern):
        load_responses("testcity", folder=tmp_path)


def test_straightliners_can_be_dropped_instead(tmp_path, good):
    good.loc[9, list(good.columns[1:])] = "4"
    _save(tmp_path, good)
    loaded = load_responses("testcity", folder=tmp_path, straightlining="drop")
    assert loaded.dropped == {"r09": "straight-lining"}
    assert "r09" not in loaded.answers.index and len(loaded.answers) == 39


def test_too_few_respondents_and_a_nobody_item_are_refused(tmp_path, good):
    _save(tmp_path, good.head(12))
    with pytest.raises(SurveyResponseError, match="only 12 usable respondents"):
        load_responses("testcity", folder=tmp_path)
    good["SUS3"] = ""
    _save(tmp_path, good)
    with pytest.raises(SurveyResponseError, match="column SUS3: nobody answered"):
        load_responses("testcity", folder=tmp_path)


def test_missing_city_file_says_how_to_collect_it():
    with pytest.raises(FileNotFoundError, match=r"data/survey/pavlodar\.csv.*instrument\.csv"):
        load_source("pavlodar", rec.load_spec(), 1)


def test_unsafe_city_names_never_reach_a_path():
    with pytest.raises(ValueError, match="not allowed"):
        load_responses("../secrets")


def test_synthetic_source_is_labelled():
    data = load_source("synthetic", rec.load_spec(), 3, n=50)
    assert data.synthetic and data.latent is not None
    assert "SYNTHETIC" in data.description and len(data.answers) == 50
    assert np.isin(data.answers.to_numpy(), [1, 2, 3, 4, 5]).all()
    assert isinstance(data.answers, pd.DataFrame)


def test_real_source_loads_a_city_by_any_spelling(tmp_path, good):
    _save(tmp_path, good, "pavlodar")
    data = load_source("pavlodar", rec.load_spec(), 1, folder=tmp_path)
    assert not data.synthetic and data.latent is None and data.source == "pavlodar"
    assert len(data.answers) == 40 and "Real survey responses" in data.description
    text = rec.exhibit_text(data.source, "ru", 40, 1)
    assert "Павлодар" in text["fig07"] and "синтет" not in text["fig07"].lower()
    assert "синтетическ" in rec.exhibit_text("synthetic", "ru", 40, 1)["fig07"].lower()
