"""What 05_robustness reports (from the session's full run)."""

from __future__ import annotations

import pytest

from helpers.registers import paths
from helpers.registers.verdicts import VERDICTS

NB = "05_robustness"
FACTORS = ["social", "management", "economy", "law", "technology", "sustainability"]
CLAIMS = ("H1", "H2", "H3", "C6", "K1", "C4-PLS")


@pytest.fixture(scope="module")
def res(report):
    return report(NB, paths.NATIONAL)


def test_at_least_a_thousand_specifications_with_a_thousand_resamples(res):
    assert res["n_specs"] >= 1000 and res["settings"]["n_boot"] >= 1000
    assert res["n_specs"] == len(res["specifications"]) == sum(res["kinds"].values())
    assert res["kinds"]["main"] == 1
    assert res["n_full"] >= res["n_specs"]
    estimable = [s for s in res["specifications"] if s["estimable"]]
    assert len(estimable) == res["n_estimable"]
    assert all(s["n_ok"] >= 0.5 * res["settings"]["n_boot"] for s in estimable
               if s["estimator"] != "plsc")


def test_shares_for_every_structural_claim_add_up(res):
    for claim in CLAIMS:
        rows = [r for r in res["shares"] if r["claim"] == claim]
        assert {r["verdict"] for r in rows} == set(VERDICTS)
        assert all(0 <= r["share"] <= 1 for r in rows)
        assert sum(r["share"] for r in rows) == pytest.approx(1.0)
        assert sum(r["n"] for r in rows) == res["n_estimable"]
        assert res["share_consistent"][claim] == pytest.approx(
            next(r["share"] for r in rows if r["verdict"] == "consistent"))


def test_the_main_specification_is_notebook_04s_model(res, report):
    pls = report("04_pls_estimation")
    for f in FACTORS:
        assert res["main"][f] == pytest.approx(pls["paths"][f]["estimate"], abs=1e-12)
    assert res["main"]["r2"] == pytest.approx(pls["r2"], abs=1e-12)


def test_leave_one_region_out_covers_every_region(res):
    left_out = [r["left_out"] for r in res["loro"]]
    assert left_out[0] == "none" and len(left_out) == 21 and len(set(left_out)) == 21
    assert set(res["influence"]) == set(left_out[1:]) == set(res["per_region"])
    flagged = sorted(r for r, v in res["influence"].items() if v["changes_a_verdict"])
    assert flagged == sorted(res["influential_regions"])


def test_permutation_p_values_beside_the_bootstrap(res):
    assert res["permutation_n"] >= 5000 * 0.99
    for name in [*FACTORS, "r2"]:
        row = res["permutation"][name]
        assert 1 / (1 + res["permutation_n"]) <= row["p_permutation"] <= 1
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"] or name != "r2"


def test_priority_stability_per_region(res):
    for slug, row in res["per_region"].items():
        assert 0 <= row["n_same"] <= row["n_specs"] == res["n_estimable"], slug
        assert row["share_same"] == pytest.approx(row["n_same"] / row["n_specs"])


def test_the_specification_curve_is_saved(res):
    assert set(res["figures"]) == {"fig10_specification-curve"}


def test_plspredict_of_the_main_specification_is_notebook_04s(res, report):
    rows = res["plspredict"]
    assert rows[0]["kind"] == "main" and rows[0]["change"] == "main specification"
    assert rows[0]["q2_predict"] == pytest.approx(report("04_pls_estimation")["plspredict_q2"])
    assert {r["kind"] for r in rows[1:]} == {"one choice away"}
    assert res["plspredict_n_positive_q2"] == sum(r["q2_predict"] > 0 for r in rows)
