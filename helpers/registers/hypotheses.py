"""The article's hypotheses H1–H3 judged against the PLS paths: one rule, three verdicts.

Each hypothesis names a *barrier* (economic constraints; lack of knowledge and preparedness;
privacy and cybersecurity problems). ``data/article/hypotheses.csv`` maps it to the factors whose
paths bear on it (H1 → economy ҚЭ; H2 → management ҚМ and social ӘО; H3 → law З and technology Т).

The mapping of hypotheses to factors is this study's, not the article's (the article names no
factor for any hypothesis). The finding (:data:`RULE`), applied by :func:`judge`:

1. *cannot be tested with these data* — when the study's verdict rule declares the hypothesis not
   checkable (``data/article/verdict_rules.csv``: nothing measures what it names — H2's knowledge
   and preparedness, H3's privacy and cybersecurity), or some related factor has no indicator of at
   least ``min_strength`` proxy strength in the codebook;
2. *confirmed* — otherwise, when every related path is positive and its 95 % bootstrap
   percentile interval excludes 0 (a lack of the factor goes with lower adaptation);
3. *not confirmed* — otherwise (some related path has an interval that includes 0, or is
   negative).

The verdict on the article's "confirmed" comes from the study's one rule
(:func:`helpers.registers.verdicts.judge_hypothesis`): consistent when every related interval lies
above 0,
inconsistent when one lies below 0, inconclusive when one covers 0, not checkable as in 1.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.registers import verdicts as vd

FINDINGS = vd.HYPOTHESIS_FINDINGS
"""A hypothesis' finding in these data; against the article's "confirmed" it becomes a verdict
of :mod:`helpers.registers.verdicts` (confirmed → consistent, not confirmed → inconsistent, cannot
be
tested → not checkable)."""
STRENGTH_ORDER = {"weak": 0, "moderate": 1, "strong": 2}
RULE = (
    "A hypothesis names a barrier; a factor's path to adaptation bears on it (the mapping of "
    "hypotheses to factors is this study's). It is 'cannot be tested with these data' when no "
    "indicator measures what it names (data/article/verdict_rules.csv) or a related factor has no "
    "indicator of at least {min} proxy strength in the codebook; otherwise 'confirmed' when every "
    "related path is positive and its 95 % bootstrap percentile interval excludes 0 (a lack of the "
    "factor goes with lower adaptation), and 'not confirmed' when some related interval includes 0 "
    "or a path is negative. The verdict on the article's 'confirmed': consistent when every "
    "related interval lies above 0, inconsistent when one lies below 0, inconclusive when one "
    "covers 0, not checkable when it cannot be tested."
)


def factor_strength(codebook: pd.DataFrame) -> pd.Series:
    """The strongest proxy strength among each factor's included indicators (codebook)."""
    book = codebook[codebook["include"]]
    best = book.groupby("factor_id")["proxy_strength"].agg(
        lambda s: max(s, key=STRENGTH_ORDER.__getitem__))
    return best.rename("strength")


def finding(estimate: Mapping[str, float], ci_low: Mapping[str, float], factors: list[str],
            strength: Mapping[str, str], min_strength: str = "moderate") -> tuple[str, str]:
    """The rule of :data:`RULE` on plain numbers: ``(finding, reason)`` for one hypothesis whose
    related ``factors`` have path ``estimate`` and interval lower bound ``ci_low``."""
    if min_strength not in STRENGTH_ORDER:
        raise ValueError(f"min_strength {min_strength!r}; valid: {list(STRENGTH_ORDER)}.")
    weak = [f for f in factors
            if STRENGTH_ORDER[strength.get(f, "weak")] < STRENGTH_ORDER[min_strength]]
    if weak:
        return FINDINGS[2], f"only weak or no proxies for: {', '.join(weak)}"
    unclear = [f for f in factors if not (estimate[f] > 0 and ci_low[f] > 0)]
    if not unclear:
        return FINDINGS[0], "every related path is positive with a 95 % CI above 0"
    return FINDINGS[1], f"the 95 % CI includes 0 or the path is negative for: {', '.join(unclear)}"


def judge_one(paths: pd.DataFrame, factors: list[str], strength: Mapping[str, str],
              min_strength: str = "moderate", rule: vd.Rule | None = None) -> dict:
    """Verdict for one hypothesis from its related ``factors``.

    ``paths`` is indexed by factor id with columns ``estimate, ci_low, ci_high``; ``strength``
    maps factor id → best proxy strength. Returns ``{finding, verdict, paths, evidence,
    reason}``: the finding in these data and the verdict on the article's "confirmed".
    """
    missing = [f for f in factors if f not in paths.index]
    if missing:
        raise KeyError(f"no path for factor(s) {missing}; paths exist for {list(paths.index)}.")
    evidence = {f: {k: float(paths.loc[f, k]) for k in ("estimate", "ci_low", "ci_high")}
                for f in factors}
    found, reason = finding({f: e["estimate"] for f, e in evidence.items()},
                              {f: e["ci_low"] for f, e in evidence.items()}, factors, strength,
                              min_strength)
    rule = rule or vd.Rule("H", "bootstrap_direction")
    if rule.method == "not_checkable":
        found, reason = FINDINGS[2], rule.note
    verdict = vd.judge_hypothesis(rule, found, evidence, reason).verdict
    return {"finding": found, "verdict": verdict, "paths": list(factors),
            "evidence": evidence, "reason": reason}


def judge(hypotheses: pd.DataFrame, paths: pd.DataFrame, codebook: pd.DataFrame,
          min_strength: str = "moderate") -> dict[str, dict]:
    """Verdicts for every hypothesis (rows of :func:`helpers.registers.article.hypotheses`).

    Returns ``{id: {finding, verdict, rule, paths, evidence, reason}}``.
    """
    strength = factor_strength(codebook).to_dict()
    rule = RULE.format(min=min_strength)
    rules = vd.load_rules()
    out = {}
    for row in hypotheses.itertuples():
        factors = [f.strip() for f in row.factors if f.strip()]
        if not factors:
            raise ValueError(f"hypothesis {row.id} names no related factor "
                             "(data/article/hypotheses.csv, column 'factors').")
        out[row.id] = {**judge_one(paths, factors, strength, min_strength, rules.get(row.id)),
                       "rule": rule}
    return out
