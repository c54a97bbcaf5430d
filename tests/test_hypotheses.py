"""Unit tests of helpers.registers.hypotheses: the verdict rule on made-up paths and on the
article's map."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.registers import article, hypotheses
from helpers.registers.data import load_codebook

STRENGTH = {"a": "strong", "b": "moderate", "w": "weak"}


def paths(**rows) -> pd.DataFrame:
    return pd.DataFrame(rows, index=["estimate", "ci_low", "ci_high"]).T


def test_confirmed_when_every_path_is_positive_with_ci_above_zero():
    p = paths(a=[0.4, 0.1, 0.7], b=[0.3, 0.05, 0.5])
    assert hypotheses.judge_one(p, ["a", "b"], STRENGTH)["finding"] == "confirmed"


def test_not_confirmed_when_a_ci_includes_zero_or_a_path_is_negative():
    p = paths(a=[0.4, 0.1, 0.7], b=[0.3, -0.2, 0.6], c=[-0.5, -0.8, -0.2])
    out = hypotheses.judge_one(p, ["a", "b"], STRENGTH)
    assert out["finding"] == "not confirmed" and "b" in out["reason"]
    assert hypotheses.judge_one(p, ["c"], {"c": "strong"})["finding"] == "not confirmed"


def test_cannot_be_tested_when_a_factor_has_only_weak_proxies():
    p = paths(a=[0.4, 0.1, 0.7], w=[0.9, 0.5, 1.2])
    out = hypotheses.judge_one(p, ["a", "w"], STRENGTH)
    assert out["finding"] == "cannot be tested with these data" and "w" in out["reason"]
    assert hypotheses.judge_one(p, ["a", "w"], STRENGTH, min_strength="weak")["finding"] \
        == "confirmed"


def test_unknown_factor_and_strength_are_refused():
    p = paths(a=[0.4, 0.1, 0.7])
    with pytest.raises(KeyError, match="zz"):
        hypotheses.judge_one(p, ["zz"], STRENGTH)
    with pytest.raises(ValueError, match="huge"):
        hypotheses.judge_one(p, ["a"], STRENGTH, min_strength="huge")


def test_factor_strength_is_the_best_of_the_included_indicators():
    book = load_codebook()
    best = hypotheses.factor_strength(book)
    for factor, group in book[book["include"]].groupby("factor_id"):
        ranks = [hypotheses.STRENGTH_ORDER[s] for s in group["proxy_strength"]]
        assert hypotheses.STRENGTH_ORDER[best[factor]] == max(ranks)


def test_every_hypothesis_gets_one_of_the_three_verdicts():
    hyp = article.hypotheses()
    factors = sorted({f for fs in hyp["factors"] for f in fs})
    p = paths(**{f: [0.2, -0.1, 0.5] for f in factors})
    out = hypotheses.judge(hyp, p, load_codebook())
    assert set(out) == set(hyp["id"])
    for h, v in out.items():
        assert v["finding"] in hypotheses.FINDINGS, h
        assert v["paths"] and set(v["paths"]) <= set(factors)
        assert "95 %" in v["rule"]
