"""What 04_pls_estimation reports for the test city (from the session's full run)."""

from __future__ import annotations

import math

import pytest

NB = "04_pls_estimation"
FACTORS = ["social", "management", "economy", "law", "technology", "sustainability"]
VERDICTS = ("confirmed", "not confirmed", "cannot be tested with these data")


@pytest.fixture(scope="module")
def res(report):
    return report(NB)


def test_six_paths_with_ordered_intervals(res):
    assert set(res["paths"]) == set(FACTORS)
    for f, p in res["paths"].items():
        assert p["ci_low"] <= p["ci_high"], f
        assert p["significant"] == (p["ci_low"] > 0 or p["ci_high"] < 0), f
        assert 0 <= p["p"] <= 1 and p["f2"] >= 0 and p["vif"] >= 1 - 1e-9


def test_r2_and_adjusted_r2(res):
    assert 0 <= res["r2"] <= 1 and res["adj_r2"] <= res["r2"]
    n, k = res["n_obs"], len(FACTORS)
    assert res["adj_r2"] == pytest.approx(1 - (1 - res["r2"]) * (n - 1) / (n - k - 1))


def test_bootstrap_settings_and_failures(res):
    assert res["n_boot"] == res["settings"]["bootstrap"]["n_boot"]
    assert 0 <= res["n_failed"] <= res["n_boot"]
    assert res["share_failed"] == pytest.approx(res["n_failed"] / res["n_boot"])
    assert res["settings"]["converged"] is True


def test_sign_flips_recorded_per_construct(res):
    flips = res["sign_flips"]
    assert res["sign_change"] == res["settings"]["bootstrap"]["sign_change"] == "construct"
    assert set(FACTORS) <= set(flips)
    n_ok = res["settings"]["bootstrap"]["n_ok"]
    assert all(0 <= v <= n_ok for v in flips.values())
    assert res["sign_flips_total"] == sum(flips.values())
    singles = [c for c, mode in res["modes"].items() if mode == "single item"]
    assert "adaptation" in singles
    assert all(flips.get(c, 0) == 0 for c in singles)  # a single item (weight 1) cannot reverse
    assert set(res["composite_oriented"]) == set(FACTORS)
    assert all(isinstance(v, bool) for v in res["composite_oriented"].values())
    agreement = res["score_composite_agreement"]
    assert all(res["composite_oriented"][f] == (agreement[f] > 0) for f in FACTORS)


def test_every_hypothesis_has_an_allowed_verdict_consistent_with_its_evidence(res):
    assert set(res["hypotheses"]) == {"H1", "H2", "H3"}
    for h, v in res["hypotheses"].items():
        assert v["finding"] in VERDICTS, h
        ev = v["evidence"].values()
        if v["finding"] == "cannot be tested with these data":
            assert v["verdict"] == "not checkable"
        elif any(e["ci_high"] < 0 for e in ev):
            assert v["verdict"] == "inconsistent"
        elif all(e["ci_low"] > 0 for e in ev):
            assert v["verdict"] == "consistent"
        else:
            assert v["verdict"] == "inconclusive"
        assert v["paths"] and set(v["paths"]) <= set(FACTORS), h
        assert v["rule"]
        if v["finding"] == "confirmed":
            assert all(e["estimate"] > 0 and e["ci_low"] > 0 for e in v["evidence"].values())
        if v["finding"] == "not confirmed":
            assert any(e["ci_low"] <= 0 for e in v["evidence"].values())


def test_h2_and_h3_cannot_be_tested_without_their_measures(res):
    for h in ("H2", "H3"):  # knowledge and preparedness; privacy and cybersecurity
        assert res["hypotheses"][h]["finding"] == "cannot be tested with these data"
        assert res["hypotheses"][h]["verdict"] == "not checkable"


def test_c6_matches_the_signs(res):
    positive = sum(p["estimate"] > 0 for p in res["paths"].values())
    assert res["c6"]["n_positive"] == positive
    assert res["c6"]["all_positive"] == (positive == len(FACTORS))
    from helpers.registers import verdicts as vd

    margin = vd.load_rules()["C6"].margin  # 'great' influence: intervals clear of ±margin
    iv = [(p["ci_low"], p["ci_high"]) for p in res["paths"].values()]
    if any(-margin < lo and hi < margin for lo, hi in iv):
        expected = "inconsistent"
    elif all(lo >= margin or hi <= -margin for lo, hi in iv):
        expected = "consistent"
    else:
        expected = "inconclusive"
    assert res["c6_verdict"] == res["c6"]["verdict"] == expected


def test_power_numbers(res):
    pw = res["power"]
    assert pw["obs_per_predictor"] == pytest.approx(pw["n"] / pw["k"])
    assert 0 < pw["min_r2"] < 1
    assert pw["min_r2"] == pytest.approx(pw["min_f2"] / (1 + pw["min_f2"]))


def test_city_scores_and_ranks(res):
    assert set(FACTORS) <= set(res["city_scores"])
    assert all(1 <= r <= res["n_obs"] for r in res["city_score_ranks"].values())


def test_ipma_performance_in_0_100_where_the_precondition_holds(res):
    table = res["ipma"]
    assert set(table) == set(FACTORS)
    for f, row in table.items():
        if row["precondition_met"]:
            assert 0 - 1e-9 <= row["performance_city"] <= 100 + 1e-9, f
            assert 0 - 1e-9 <= row["performance_mean"] <= 100 + 1e-9, f


def test_factor_to_improve_follows_the_stated_rule(res):
    table = res["ipma"]
    chosen = res["factor_to_improve"]
    positive = {f: r["gap_score"] for f, r in table.items() if r["importance"] > 0}
    if not positive:
        assert chosen is None
    else:
        assert chosen == max(positive, key=positive.get)


def test_reliability_and_htmt_recorded(res):
    assert set(FACTORS) <= set(res["reliability"])
    for c, row in res["reliability"].items():
        if res["modes"][c] == "single item":
            assert all(math.isclose(v, 1.0) for v in row.values()), c
    assert res["max_htmt"] > 0


def test_figures_recorded(res):
    stems = list(res["figures"])
    assert any(s.startswith("fig03_pls-paths") for s in stems)
    assert any(s.startswith("fig05_ipma") for s in stems)


def test_equal_weight_check_recorded(res):
    check = res["equal_weight_check"]
    assert set(check["coef"]) == set(FACTORS)
    assert check["adj_r2"] <= check["r2"] and 0 <= check["r2"] <= 1
    assert 0 <= check["same_sign_as_pls"] <= len(FACTORS)
    for row in check["coef"].values():
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
        assert 0 <= row["p"] <= 1


def test_plspredict_leave_one_out_for_the_regions(res):
    """PLSpredict with k = n: every region predicted once by a model fitted on the others."""
    settings = res["plspredict_settings"]
    assert settings["folds"] == res["n_obs"] == 20 and settings["repeats"] == 1
    assert settings["training_rows"] == "19-19"
    (item, row), = res["plspredict"].items()  # one outcome indicator: the ranking points
    assert row["construct"] == "adaptation"
    assert row["pls_rmse"] >= row["pls_mae"] > 0
    # out of sample is harder than in sample
    assert row["pls_rmse"] > row["pls_in_rmse"]
    if row["lm_rmse"] is None:  # more indicators than training rows: no LM benchmark
        assert "not estimable" in settings["benchmark"]
        assert row["lm_mae"] is None and row["pls_beats_lm_rmse"] is False
    else:
        assert row["lm_rmse"] >= row["lm_mae"] > 0
        assert row["pls_beats_lm_rmse"] == (row["pls_rmse"] < row["lm_rmse"])
    assert res["plspredict_beats_lm"] == row["pls_beats_lm_rmse"]
    assert res["plspredict_q2"] == pytest.approx(row["q2_predict"])
    relevance = res["plspredict_q2"] > 0
    assert res["plspredict_reading"].startswith("no predictive relevance") == (not relevance)
    assert res["plspredict_reading"] == settings["reading"]


def test_model_fit_exact_fit_and_htmt2_recorded(res):
    fit = res["model_fit"]
    assert fit["SRMR"]["estimated"] >= fit["SRMR"]["saturated"] - 1e-12 > 0
    n, p = res["n_obs"], len(res["outer_vif"])
    if n <= p:  # the indicators outnumber the regions: no exact-fit test, and why
        assert res["exact_fit_test"] is None
        assert f"only n = {n} observations for p = {p} indicators" in res["exact_fit_refusal"]
        assert fit["d_G"]["estimated"] is None
    else:
        assert res["exact_fit_refusal"] is None
        for row in res["exact_fit_test"].values():
            assert row["q95"] <= row["q99"]
    assert res["model_fit_df"]["estimated"]["df"] > 0
    for pair, row in res["htmt2"].items():
        assert row["pct_lo"] <= row["pct_hi"], pair
        for thr in ("0.85", "0.9"):
            assert row[f"below_{thr}"] == (row["upper_one_sided"] < float(thr)), pair
    assert math.isclose(res["max_htmt2"], max(r["estimate"] for r in res["htmt2"].values()))
