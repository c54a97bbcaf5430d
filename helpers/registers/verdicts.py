"""One vocabulary for every check of the article, used by every notebook and helper.

**Verdicts** (:data:`VERDICTS`) say whether this study's evidence agrees with a claim of the
article: ``consistent``, ``inconsistent``, or ``not checkable`` (the data cannot test it).

**Kinds of check** (:data:`KINDS`), in the vocabulary of the field's reproduction programmes (the
Center for Open Science's SCORE programme: reproduction, robustness, replication; BITSS's ACRE
guide, used by the Social Science Reproduction Platform):

* ``internal consistency`` — the article's numbers against each other (Table 1 against its text);
* ``source-data reproduction`` — the same quantity rebuilt from the official source it comes from
  (Figure 2's innovation-activity levels from the BNS tables);
* ``data-analytic replication`` — the same method on different data (the article's correlations
  and paths, from a survey it does not publish, against the 20 regions' official statistics):
  agreement is *consistent*, never *reproduced* — two different kinds of data;
* ``not checkable`` — no data or document this study holds can test the claim.

A hypothesis (H1–H3) has its own *finding* (``confirmed``, ``not confirmed``, ``cannot be tested
with these data``, :data:`HYPOTHESIS_FINDINGS`); against the article's "confirmed" it becomes a
verdict through :data:`FROM_HYPOTHESIS`.
"""

from __future__ import annotations

from dataclasses import dataclass

VERDICTS = ("consistent", "inconsistent", "not checkable")
KINDS = ("internal consistency", "source-data reproduction", "data-analytic replication",
         "not checkable")
HYPOTHESIS_FINDINGS = ("confirmed", "not confirmed", "cannot be tested with these data")
FROM_HYPOTHESIS = dict(zip(HYPOTHESIS_FINDINGS, VERDICTS, strict=True))


@dataclass(frozen=True)
class Verdict:
    """A verdict and the reason for it; refuses a word outside :data:`VERDICTS`."""

    verdict: str
    reason: str

    def __post_init__(self) -> None:
        check(self.verdict)


def check(verdict: str) -> str:
    """``verdict`` if it is one of :data:`VERDICTS`, else a ``ValueError`` naming them."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; valid: {list(VERDICTS)}.")
    return verdict


def check_kind(kind: str) -> str:
    """``kind`` if it is one of :data:`KINDS`, else a ``ValueError`` naming them."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of check {kind!r}; valid: {list(KINDS)}.")
    return kind


def from_bool(holds: bool) -> str:
    """``consistent`` when the claim holds in this study's data, else ``inconsistent``."""
    return VERDICTS[0] if holds else VERDICTS[1]
