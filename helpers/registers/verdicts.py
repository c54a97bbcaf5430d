"""One verdict rule for every check of the article, grounded in this study's own uncertainty.

**Verdicts** (:data:`VERDICTS`) say what this study's evidence shows about a claim of the article:

* ``consistent`` — the data support the claim: the study's interval lies within the declared
  equivalence margin of the article's value; a path interval excludes 0 in the claimed direction;
* ``inconsistent`` — the data exclude the article's value (or direction) at the stated level: the
  interval does not contain it;
* ``inconclusive`` — the data cannot tell: the article's value lies inside an interval wider than
  the margin; a path interval covers 0;
* ``not checkable`` — nothing in the data measures the claim.

The rule is declared as data: ``data/article/verdict_rules.csv`` gives, for every claim of the
reproduction report, the **method** (:data:`METHODS`: how the interval is obtained and read), the
**margin** with its reason and the **level** of the interval. :func:`load_rules` refuses a file with
a claim missing, a negative margin or an unknown method, naming the file, the row and the valid
choices; the runner calls it before any notebook runs. :func:`judge` applies a rule to the
evidence and returns a :class:`Verdict` that carries the interval, the margin, the method and,
where it decides, the power. The same functions serve one-off checks
(:func:`judge_interval`, :func:`judge_correlation`, :func:`judge_paths`): see
``/work/coord/VERDICT_API.md`` and :data:`METHODS`.

A verdict on other data never says the article was wrong, only what these data show: the **kind
of check** (:data:`KINDS`, in the vocabulary of the field's reproduction programmes — SCORE:
reproduction, robustness, replication; BITSS's ACRE guide) stays beside it:

* ``internal consistency`` — the article's numbers against each other (Table 1 against its text);
* ``source-data reproduction`` — the same quantity rebuilt from the official source it comes from;
* ``quoted-figure comparison`` — the article's number against figures quoted in news and papers
  (most of the national innovation series before 2022), not an official source;
* ``official-data check`` — a statement of the article set against official statistics it does
  not itself cite (roads, housing, the named cities' innovation levels);
* ``data-analytic replication`` — the article's method on this study's data (the 20 regions'
  official statistics); agreement is *consistent*, never *reproduced*;
* ``not checkable`` — no data or document this study holds can test the claim.

A hypothesis (H1–H3) keeps its own *finding* in notebook 04 (:data:`HYPOTHESIS_FINDINGS`); its
verdict comes from the rule (``bootstrap_direction`` on the related paths) like every other claim.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.registers.i18n import SOURCE_LANGUAGE, Message, texts
from helpers.registers.labels import LANGUAGES, factor_codes
from helpers.registers.regions import load_regions

VERDICTS = ("consistent", "inconsistent", "inconclusive", "not checkable")
KINDS = ("internal consistency", "source-data reproduction", "quoted-figure comparison",
         "official-data check", "data-analytic replication", "not checkable")
HYPOTHESIS_FINDINGS = ("confirmed", "not confirmed", "cannot be tested with these data")
FROM_HYPOTHESIS = {"confirmed": "consistent", "not confirmed": "inconclusive",
                   "cannot be tested with these data": "not checkable"}
"""A hypothesis finding alone, without its intervals: 'not confirmed' means the interval covers 0
(the study never calls a reversed path a refutation without looking at it; use
:func:`judge_paths` with the intervals for the full rule)."""

RULES_FILE = Path(__file__).resolve().parents[2] / "data" / "article" / "verdict_rules.csv"
CHECKS_FILE = RULES_FILE.parent / "claim_checks.csv"
RULE_COLUMNS = ("claim", "method", "margin", "margin_reason", "level", "note")

METHODS: dict[str, str] = {
    "fisher_z": "a Pearson r against the article's value: 95 % interval by Fisher's z "
                "(atanh r ± z·1/√(n−3)); consistent when it lies within ± margin of the "
                "article's value, inconsistent when it excludes it, else inconclusive",
    "fisher_z_neff": "a Pearson r over one city's years (notebook 03's second reading) against the "
                     "article's value: Fisher z with the effective number of years "
                     "n_eff = n(1 − ρx·ρy)/(1 + ρx·ρy) (ρ = lag-1 autocorrelation), capped at n; "
                     "read like fisher_z",
    "fisher_z_ceiling": "every |r| of a matrix against a ceiling the article states: Fisher z "
                        "interval of each pair; consistent when every interval lies within "
                        "± (ceiling + margin), inconsistent when some interval lies wholly "
                        "beyond the ceiling, else inconclusive",
    "bootstrap": "an estimate with its bootstrap percentile interval (PLS R²) against the "
                 "article's value, read like fisher_z",
    "bootstrap_direction": "PLS path(s) with bootstrap percentile intervals against a claimed "
                           "positive direction: consistent when every interval lies above 0, "
                           "inconsistent when some interval lies below 0, else inconclusive",
    "bootstrap_magnitude": "PLS paths against a claimed great influence of unstated sign: "
                           "consistent when every interval excludes (−margin, margin), "
                           "inconsistent when some interval lies wholly inside it (a negligible "
                           "path), else inconclusive",
    "exact": "a published official figure (no sampling error) against the article's: "
             "consistent within ± margin (the printed rounding), else inconsistent",
    "series_increasing": "a yearly series against 'grows every year': inconsistent if it falls, "
                         "not checkable when years are missing or equal at the rounding, "
                         "consistent when it rises in every year",
    "count_zero": "a count of violations in the article's own numbers: 0 → consistent, "
                  "else inconsistent (exact, the article's printed values)",
    "notebook": "the verdict the notebook records with its reason (its own rule, documented "
                "there)",
    "published_all_above": "published official figures (exact) for every city run against a "
                           "bound the claim implies: consistent when every figure lies above it, "
                           "else inconsistent",
    "published_all_below": "published official figures (exact) for every city run: consistent "
                           "when every figure lies below the bound, else inconsistent",
    "reading": "a reading of a document the study holds (the note: '<verdict>: <reason>', the "
               "document named; a test checks the document says so)",
    "not_checkable": "nothing in the data measures the claim",
}
"""Every method a rule may name, with how it reads the evidence."""

_EPS = 1e-12


class VerdictRuleError(ValueError):
    """A bad rules file or a bad call: the message names the file, row and valid choices."""


@dataclass(frozen=True)
class Verdict:
    """A verdict, the reason for it and what it rests on; refuses a word outside VERDICTS.

    ``interval`` is ``(low, high)`` at ``level`` (``None`` when no interval applies), ``margin``
    and ``margin_reason`` the declared equivalence margin, ``method`` a key of :data:`METHODS`,
    ``power`` a sentence when power decides the verdict (an inconclusive test), else ``""``.
    """

    verdict: str
    reason: str
    interval: tuple[float, float] | None = None
    margin: float | None = None
    margin_reason: str = ""
    method: str = ""
    level: float | None = None
    power: str = ""
    finding: str = ""
    said: Message | None = field(default=None, compare=False, repr=False)
    """``reason`` as a catalogue sentence (:class:`helpers.registers.i18n.Message`): written in
    any language by ``said.text(lang)``; not part of :meth:`as_dict` (the record is English)."""
    power_said: Message | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        check(self.verdict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{verdict, reason, interval, margin, margin_reason, method, level, power,
        finding}`` (interval as a list or ``None``)."""
        return {"verdict": self.verdict, "reason": self.reason,
                "interval": None if self.interval is None else [float(x) for x in self.interval],
                "margin": self.margin, "margin_reason": self.margin_reason,
                "method": self.method, "level": self.level, "power": self.power,
                "finding": self.finding}


@dataclass(frozen=True)
class Rule:
    """One row of ``data/article/verdict_rules.csv``."""

    claim: str
    method: str
    margin: float | None = None
    margin_reason: str = ""
    level: float = 0.95
    note: str = ""


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
    """``consistent`` when the claim holds in this study's data, else ``inconsistent`` (for exact
    quantities only: an estimate with sampling error goes through :func:`judge_interval`)."""
    return VERDICTS[0] if holds else VERDICTS[1]


# ----------------------------------------------------------------------------------------------
# The rules file
# ----------------------------------------------------------------------------------------------

def load_rules(path: Path | None = None, claims: Iterable[str] | None = None) -> dict[str, Rule]:
    """``{claim: Rule}`` from the rules file, validated.

    Refuses (:class:`VerdictRuleError`, naming the file, row, column and the valid choices): a
    missing column, an empty or repeated claim, an unknown method, a margin that is not a number
    or is negative, a method that needs a margin without one, a level outside (0, 1), and — when
    ``claims`` is given (the ids of ``claim_checks.csv``) — a claim without a rule or a rule for
    no claim.
    """
    path = Path(path or RULES_FILE)
    if not path.exists():
        raise VerdictRuleError(f"{path} is missing: every claim needs its verdict rule "
                               f"(columns {list(RULE_COLUMNS)}).")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in RULE_COLUMNS if c not in header]
        if missing:
            raise VerdictRuleError(f"{path}, row 1: column(s) {missing} missing; the header must "
                                   f"contain {list(RULE_COLUMNS)}, found {header}.")
        rows = list(reader)
    rules: dict[str, Rule] = {}
    for line, row in enumerate(rows, start=2):
        where = f"{path}, row {line}"
        claim = (row["claim"] or "").strip()
        if not claim:
            raise VerdictRuleError(f"{where}, column 'claim': empty; give the claim id of "
                                   "data/article/claim_checks.csv.")
        if claim in rules:
            raise VerdictRuleError(f"{where}, column 'claim': {claim!r} has a rule already.")
        method = (row["method"] or "").strip()
        if method not in METHODS:
            raise VerdictRuleError(f"{where} ({claim}), column 'method': {method!r} is not a "
                                   f"method; valid choices: {sorted(METHODS)}.")
        margin = None
        text = (row["margin"] or "").strip()
        if text:
            try:
                margin = float(text)
            except ValueError:
                raise VerdictRuleError(f"{where} ({claim}), column 'margin': {text!r} is not a "
                                       "number; give a margin ≥ 0 or leave it empty.") from None
            if not math.isfinite(margin) or margin < 0:
                raise VerdictRuleError(f"{where} ({claim}), column 'margin': {text!r} is "
                                       "negative or not finite; a margin is a number ≥ 0.")
        if method in NEEDS_MARGIN and margin is None:
            raise VerdictRuleError(f"{where} ({claim}), column 'margin': method {method!r} "
                                   "needs a margin (a number ≥ 0).")
        if margin is not None and not (row["margin_reason"] or "").strip():
            raise VerdictRuleError(f"{where} ({claim}), column 'margin_reason': a margin needs "
                                   "its reason.")
        level_text = (row["level"] or "").strip() or "0.95"
        try:
            level = float(level_text)
        except ValueError:
            level = float("nan")
        if not 0 < level < 1:
            raise VerdictRuleError(f"{where} ({claim}), column 'level': {level_text!r} is not a "
                                   "level in (0, 1), e.g. 0.95.")
        note = (row["note"] or "").strip()
        if method == "reading" and note.partition(":")[0] not in VERDICTS:
            raise VerdictRuleError(f"{where} ({claim}), column 'note': a reading starts with its "
                                   f"verdict and a colon, one of {list(VERDICTS)}.")
        if method == "not_checkable" and not note:
            raise VerdictRuleError(f"{where} ({claim}), column 'note': a claim that is not "
                                   "checkable needs the reason (what the data lack).")
        rules[claim] = Rule(claim, method, margin, (row["margin_reason"] or "").strip(), level,
                            note)
    if claims is not None:
        wanted = list(claims)
        absent = [c for c in wanted if c not in rules]
        if absent:
            raise VerdictRuleError(f"{path}: no rule for claim(s) {absent} of "
                                   "data/article/claim_checks.csv; add a row per claim "
                                   f"(methods: {sorted(METHODS)}).")
        extra = [c for c in rules if c not in set(wanted)]
        if extra:
            raise VerdictRuleError(f"{path}: rule(s) for {extra}, which are not claims of "
                                   "data/article/claim_checks.csv.")
    return rules


def check_rules_file(rules: Path | None = None, checks: Path | None = None) -> dict[str, Rule]:
    """:func:`load_rules` against the claim ids of ``data/article/claim_checks.csv``: the runner
    calls it before any notebook runs, so a bad rules file stops the study at once."""
    checks = Path(checks or CHECKS_FILE)
    with checks.open(encoding="utf-8", newline="") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    return load_rules(rules, claims=ids)


NEEDS_MARGIN = ("fisher_z", "fisher_z_ceiling", "bootstrap", "bootstrap_magnitude", "exact")


# ----------------------------------------------------------------------------------------------
# Intervals and power
# ----------------------------------------------------------------------------------------------

def ndtri(p: float) -> float:
    """The standard normal quantile: ``scipy.special.ndtri``, what ``scipy.stats.norm.ppf``
    calls."""
    # deferred: scipy.special costs a kernel ~0.14 s to load, and only the Fisher z checks need
    # it (the per-city notebooks 02 and 06 judge no correlation)
    from scipy.special import ndtri as quantile

    return quantile(p)


def ndtr(x: float) -> float:
    """The standard normal distribution function: ``scipy.special.ndtr``, what
    ``scipy.stats.norm.cdf`` calls."""
    # deferred: as in ndtri
    from scipy.special import ndtr as cdf

    return cdf(x)


def _z(level: float) -> float:
    return float(ndtri(0.5 + level / 2))  # the standard normal quantile (norm.ppf)


def fisher_interval(r: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """The ``level`` interval of a Pearson ``r`` from ``n`` pairs by Fisher's z."""
    if n < 4:
        raise VerdictRuleError(f"a Fisher z interval needs n ≥ 4 pairs, got n = {n}.")
    r = max(min(float(r), 1 - 1e-12), -1 + 1e-12)
    half = _z(level) / math.sqrt(n - 3)
    z = math.atanh(r)
    return math.tanh(z - half), math.tanh(z + half)


def fisher_power(article: float, margin: float, n: int, level: float = 0.95) -> float:
    """Power of the Fisher z test at ``n`` to tell ``article`` from a value ``margin`` away (the
    nearer side), two-sided at ``1 − level``."""
    a = max(min(article, 1 - 1e-9), -1 + 1e-9)
    step = min(abs(math.atanh(min(a + margin, 1 - 1e-9)) - math.atanh(a)),
               abs(math.atanh(a) - math.atanh(max(a - margin, -1 + 1e-9))))
    return float(ndtr(step * math.sqrt(n - 3) - _z(level)))  # the standard normal cdf


def n_for_margin(margin: float, level: float = 0.95, article: float = 0.0) -> int:
    """Pairs needed for a Fisher z interval around ``article`` to fit within ± ``margin``."""
    a = max(min(article, 1 - 1e-9), -1 + 1e-9)
    width = min(math.atanh(min(a + margin, 1 - 1e-9)) - math.atanh(a),
                math.atanh(a) - math.atanh(max(a - margin, -1 + 1e-9)))
    return int(math.ceil((_z(level) / width) ** 2 + 3)) if width > 0 else 0


# ----------------------------------------------------------------------------------------------
# The decisions
# ----------------------------------------------------------------------------------------------

def _num(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def name(text: str) -> str | dict[str, str] | Message:
    """A name in a reason, for every language: a factor id (``social``) is itself in English and
    the article's code (``ӘО``) in the other languages, a region slug its name in each language
    (``Astana``, ``Астана``), a pair ``a–b`` a pair of names; anything else stays as it is."""
    if "–" in text:
        first, _, second = text.partition("–")
        return Message("verdict.pair", a=name(first), b=name(second))
    codes = factor_codes()
    if text in codes:
        return {lang: text if lang == SOURCE_LANGUAGE else codes[text] for lang in LANGUAGES}
    region = {r.slug: r for r in load_regions()}.get(text)  # a slug only: no spelling search
    if region is not None:
        return {lang: region.name(lang) for lang in LANGUAGES}
    return text


def _names(texts: Iterable[str]) -> list:
    return [name(t) for t in texts]


def _said(key: str, **values: Any) -> Message:
    """A reason as a catalogue sentence (``data/i18n/sentences.csv``, keys ``verdict.…``)."""
    return Message(f"verdict.{key}", **values)


def _power(power: str | Message) -> tuple[str, Message | None]:
    if isinstance(power, Message):
        return power.text(SOURCE_LANGUAGE), power
    return power, None


def _verdict(verdict: str, said: Message, interval=None, margin=None, margin_reason="",
             method="", level=None, power: str | Message = "", finding: str = "") -> Verdict:
    text, power_said = _power(power)
    return Verdict(verdict, said.text(SOURCE_LANGUAGE), interval, margin, margin_reason, method,
                   level, text, finding, said, power_said)


def judge_interval(estimate: float, low: float, high: float, article: float, margin: float,
                   method: str = "bootstrap", level: float = 0.95, margin_reason: str = "",
                   power: str | Message = "") -> Verdict:
    """The three-way rule on one interval against the article's value.

    * consistent — ``[low, high]`` lies within ``article ± margin`` (equivalence);
    * inconsistent — ``[low, high]`` excludes ``article``;
    * inconclusive — otherwise (the article's value inside an interval wider than the margin).

    ``power`` (a sentence) is kept only when the verdict is inconclusive: there it decides.
    """
    verdict = _interval_verdict(low, high, article, margin)
    where = _said("where", estimate=estimate, pct=level * 100, iv=(low, high))
    values = {"where": where, "article": article}
    why = {"consistent": _said("within_margin", margin=margin, **values),
           "inconsistent": _said("excludes", **values),
           "inconclusive": _said("too_wide", margin=margin, **values)}[verdict]
    return _verdict(verdict, why, (float(low), float(high)), float(margin), margin_reason, method,
                    level, power if verdict == "inconclusive" else "")


def _interval_verdict(low: float, high: float, article: float, margin: float | None) -> str:
    """The word of :func:`judge_interval`'s rule, and its checks of the margin and interval."""
    if margin is None or margin < 0:
        raise VerdictRuleError(f"margin must be a number ≥ 0, got {margin!r}.")
    if not low <= high:
        raise VerdictRuleError(f"interval [{low}, {high}] is not ordered.")
    if low >= article - margin - _EPS and high <= article + margin + _EPS:
        return "consistent"
    if article < low or article > high:
        return "inconsistent"
    return "inconclusive"


def judge_correlation(r: float, n: int, article: float, margin: float, level: float = 0.95,
                      margin_reason: str = "", method: str = "fisher_z") -> Verdict:
    """A Pearson ``r`` from ``n`` pairs against the article's value: Fisher z interval, then
    :func:`judge_interval`; the power to tell the article's value from one ``margin`` away is
    given when the verdict is inconclusive."""
    low, high = fisher_interval(r, n, level)
    power = _said("power_r", n=str(n), article=article, margin=margin,
                  power=fisher_power(article, margin, n, level),
                  needed=str(n_for_margin(margin, level, article)))
    return judge_interval(r, low, high, article, margin, method, level, margin_reason, power)


def judge_ceiling(pairs: Mapping[str, float], n: int, ceiling: float, margin: float = 0.0,
                  level: float = 0.95, margin_reason: str = "") -> Verdict:
    """Every |r| of ``pairs`` against a stated ceiling, by Fisher z intervals.

    consistent — every interval lies within ± (ceiling + margin); inconsistent — some interval
    lies wholly beyond the ceiling (|r| > ceiling at the level); inconclusive — otherwise. The
    reported interval is that of the largest |r|.
    """
    if not pairs:
        raise VerdictRuleError("judge_ceiling needs at least one correlation.")
    bound = ceiling + margin
    ivs = {p: fisher_interval(r, n, level) for p, r in pairs.items()}
    top = max(pairs, key=lambda p: abs(pairs[p]))
    beyond = sorted(p for p, (lo, hi) in ivs.items() if lo > ceiling or hi < -ceiling)
    unsure = sorted(p for p, (lo, hi) in ivs.items()
                    if (lo < -bound - _EPS or hi > bound + _EPS) and p not in beyond)
    shown = ivs[top]
    head = _said("largest_r", r=abs(pairs[top]), pair=name(top), pct=level * 100, iv=shown)
    rest = (shown, margin, margin_reason, "fisher_z_ceiling", level)
    if beyond:
        return _verdict("inconsistent", _said("beyond_ceiling", head=head, k=len(beyond),
                                              n=len(pairs), ceiling=ceiling,
                                              pairs=_names(beyond)), *rest)
    if unsure:
        return _verdict("inconclusive", _said("past_ceiling", head=head, k=len(unsure),
                                              n=len(pairs), bound=bound,
                                              pairs=_names(unsure)), *rest,
                        power=_said("power_ceiling", n=str(n), r=abs(pairs[top]), ceiling=ceiling,
                                    power=fisher_power(ceiling, abs(abs(pairs[top]) - ceiling),
                                                       n, level)))
    return _verdict("consistent", _said("within_ceiling", head=head, bound=bound), *rest)


def judge_paths(paths: Mapping[str, Mapping[str, float]], method: str = "bootstrap_direction",
                margin: float | None = None, level: float = 0.95, margin_reason: str = "",
                power: str | Message = "") -> Verdict:
    """PLS paths ``{factor: {estimate, ci_low, ci_high}}`` against a claimed direction
    (``bootstrap_direction``: positive) or a claimed great influence of unstated sign
    (``bootstrap_magnitude``: |β| beyond ``margin``). See :data:`METHODS`. The interval shown is
    that of the weakest path (the one that decides)."""
    verdict, named, shown = _paths_verdict(paths, method, margin)
    iv = {f: (float(p["ci_low"]), float(p["ci_high"])) for f, p in paths.items()}
    text = [_said("path", factor=name(f), estimate=float(p["estimate"]), iv=iv[f])
            for f, p in paths.items()]
    common = {"n": len(iv), "pct": level * 100, "paths": text}
    rest = (iv[shown], margin, margin_reason, method, level)
    if method == "bootstrap_direction":
        if verdict == "inconsistent":
            return _verdict(verdict, _said("below_zero", k=len(named), names=_names(named),
                                           **common), *rest)
        if verdict == "consistent":
            return _verdict(verdict, _said("above_zero", pct=level * 100, paths=text), *rest)
        return _verdict(verdict, _said("cover_zero", k=len(named), names=_names(named),
                                       **common), *rest, power)
    if verdict == "inconsistent":
        return _verdict(verdict, _said("negligible", k=len(named), names=_names(named),
                                       margin=margin, **common), *rest)
    if verdict == "consistent":
        return _verdict(verdict, _said("beyond_margin", pct=level * 100, margin=margin,
                                       paths=text), *rest)
    return _verdict(verdict, _said("inside_margin", k=len(named), names=_names(named),
                                   margin=margin, **common), *rest, power)


def _paths_verdict(paths: Mapping[str, Mapping[str, float]], method: str,
                   margin: float | None) -> tuple[str, list[str], str]:
    """:func:`judge_paths`' rule and checks without its sentence: ``(verdict, the factors the
    reason names, the factor whose interval is shown)``."""
    if not paths:
        raise VerdictRuleError("judge_paths needs at least one path.")
    if method not in ("bootstrap_direction", "bootstrap_magnitude"):
        raise VerdictRuleError(f"judge_paths: method {method!r}; valid choices: "
                               "['bootstrap_direction', 'bootstrap_magnitude'].")
    iv = {f: (float(p["ci_low"]), float(p["ci_high"])) for f, p in paths.items()}
    if method == "bootstrap_direction":
        above = [f for f, (lo, _) in iv.items() if lo > 0]
        below = sorted(f for f, (_, hi) in iv.items() if hi < 0)
        weakest = min(iv, key=lambda f: iv[f][0])
        if below:
            return "inconsistent", below, below[0]
        if len(above) == len(iv):
            return "consistent", [], weakest
        return "inconclusive", sorted(set(iv) - set(above)), weakest
    if margin is None or margin < 0:
        raise VerdictRuleError(f"bootstrap_magnitude needs a margin ≥ 0, got {margin!r}.")
    big = [f for f, (lo, hi) in iv.items() if lo >= margin or hi <= -margin]
    small = sorted(f for f, (lo, hi) in iv.items() if lo > -margin and hi < margin)
    if small:
        return "inconsistent", small, small[0]
    if len(big) == len(iv):
        return "consistent", [], min(iv, key=lambda f: max(abs(iv[f][0]), abs(iv[f][1])))
    unsure = sorted(set(iv) - set(big))
    return "inconclusive", unsure, unsure[0]


def judge_exact(ours: float, article: float, margin: float, margin_reason: str = "") -> Verdict:
    """A published figure (no sampling error) against the article's: within ± margin →
    consistent, else inconsistent; the interval is the point itself."""
    ok = abs(ours - article) <= margin + _EPS
    return _verdict("consistent" if ok else "inconsistent",
                    _said("exact_within" if ok else "exact_differs", ours=ours, margin=margin,
                          article=article), (float(ours), float(ours)),
                    margin, margin_reason, "exact", None)


def _note(text: str) -> Message:
    """A data text (a note of the rules file, a notebook's recorded reason) as a sentence: its
    translations are rows of ``data/i18n/data_texts.csv`` (:func:`helpers.registers.i18n.texts`)."""
    return Message("text.as_is", text=texts(text))


def judge(rule: Rule, evidence: Any, article: Any = None, power: str | Message = "") -> Verdict:
    """Apply ``rule`` to ``evidence``; what ``evidence`` is depends on the method:

    ``fisher_z`` — ``{r, n}``; ``fisher_z_ceiling`` — ``{pairs: {name: r}, n}``; ``bootstrap`` —
    ``{estimate, low, high}``; ``bootstrap_direction`` / ``bootstrap_magnitude`` — ``{factor:
    {estimate, ci_low, ci_high}}``; ``exact`` — a number; ``series_increasing`` — ``[{year,
    value}]``; ``count_zero`` — an integer; ``notebook`` — ``{verdict, reason}`` (and the
    reason's ``message``, :meth:`helpers.registers.i18n.Message.as_dict`, where the notebook
    recorded it); ``not_checkable`` — anything (the reason is ``evidence`` if it is a string).
    """
    m, mr, lvl = rule.margin, rule.margin_reason, rule.level
    method = rule.method
    if method == "fisher_z":
        return judge_correlation(float(evidence["r"]), int(evidence["n"]), float(article), m, lvl,
                                 mr)
    if method == "fisher_z_ceiling":
        return judge_ceiling(evidence["pairs"], int(evidence["n"]), float(article), m, lvl, mr)
    if method == "bootstrap":
        return judge_interval(float(evidence["estimate"]), float(evidence["low"]),
                              float(evidence["high"]), float(article), m, method, lvl, mr, power)
    if method in ("bootstrap_direction", "bootstrap_magnitude"):
        return judge_paths(evidence, method, m, lvl, mr, power)
    if method == "exact":
        return judge_exact(float(evidence), float(article), m, mr)
    if method == "series_increasing":
        return _increasing(evidence)
    if method == "count_zero":
        n = int(evidence)
        return _verdict("consistent" if n == 0 else "inconsistent",
                        _said("found", n=n) if n else _said("none_found"), None, m, mr, method)
    if method == "notebook":
        said = (Message.from_dict(evidence["message"]) if evidence.get("message") else
                _note(str(evidence["reason"])))
        verdict = _verdict(str(evidence["verdict"]), said, None, m, mr, method)
        if verdict.reason != str(evidence["reason"]):
            raise VerdictRuleError(f"{rule.claim}: the notebook's message does not write its "
                                   "recorded reason; re-run the notebook.")
        return verdict
    if method in ("published_all_above", "published_all_below"):
        values = {k: float(v) for k, v in dict(evidence).items()}
        above = method == "published_all_above"
        bad = sorted(k for k, v in values.items() if not (v > article if above else v < article))
        listed = [_said("name_value", name=name(k), value=v) for k, v in values.items()]
        side = "above" if above else "below"
        low, high = min(values.values()), max(values.values())
        if bad:
            return _verdict("inconsistent", _said(f"not_{side}", bound=float(article),
                                                  bad=_names(bad), listed=listed),
                            (low, high), None, "", method)
        return _verdict("consistent", _said(f"all_{side}", bound=float(article), listed=listed),
                        (low, high), None, "", method)
    if method == "reading":
        verdict, _, why = rule.note.partition(":")
        return _verdict(verdict.strip(), _note(why.strip()), None, None, "", method)
    if method == "not_checkable":
        if rule.note or (isinstance(evidence, str) and evidence):
            said = _note(rule.note or evidence)
        else:
            said = _said("nothing_measures")
        return _verdict("not checkable", said, None, None, "", method)
    raise VerdictRuleError(f"unknown method {method!r}; valid choices: {sorted(METHODS)}.")


def judge_hypothesis(rule: Rule, finding: str, evidence: Mapping[str, Mapping[str, float]],
                     reason: str = "", power: str | Message = "") -> Verdict:
    """A hypothesis: ``not checkable`` when its rule says so (the note gives why) or when notebook
    04's finding is 'cannot be tested with these data'; otherwise :func:`judge` on the related
    paths ``{factor: {estimate, ci_low, ci_high}}`` (the finding is kept beside the verdict)."""
    if finding not in HYPOTHESIS_FINDINGS:
        raise VerdictRuleError(f"unknown hypothesis finding {finding!r}; valid: "
                               f"{list(HYPOTHESIS_FINDINGS)}.")
    if rule.method == "not_checkable":
        return _verdict("not checkable", _note(rule.note), method=rule.method,
                        finding=HYPOTHESIS_FINDINGS[2])
    if finding == HYPOTHESIS_FINDINGS[2]:
        said = _note(reason) if reason else Message(f"finding.{finding}")
        return _verdict("not checkable", said, method=rule.method, finding=finding)
    v = judge(rule, evidence, power=power)
    return Verdict(v.verdict, v.reason, v.interval, v.margin, v.margin_reason, v.method, v.level,
                   v.power, finding, v.said, v.power_said)


def decide(rule: Rule, evidence: Any, article: Any = None) -> str:
    """The verdict word of :func:`judge` (``judge(rule, evidence, article).verdict``) without
    writing its reason: for a bootstrap interval or paths, the rule alone (the multiverse of
    notebook 05 asks thousands of times); any other method through :func:`judge`."""
    if rule.method == "bootstrap":
        float(evidence["estimate"])  # judge reads it too: a missing estimate fails the same way
        return _interval_verdict(float(evidence["low"]), float(evidence["high"]), float(article),
                                 rule.margin)
    if rule.method in ("bootstrap_direction", "bootstrap_magnitude"):
        return _paths_verdict(evidence, rule.method, rule.margin)[0]
    return judge(rule, evidence, article).verdict


def decide_hypothesis(rule: Rule, finding: str,
                      evidence: Mapping[str, Mapping[str, float]]) -> str:
    """The verdict word of :func:`judge_hypothesis` without writing its reason (see
    :func:`decide`)."""
    if finding not in HYPOTHESIS_FINDINGS:
        raise VerdictRuleError(f"unknown hypothesis finding {finding!r}; valid: "
                               f"{list(HYPOTHESIS_FINDINGS)}.")
    if rule.method == "not_checkable" or finding == HYPOTHESIS_FINDINGS[2]:
        return "not checkable"
    return decide(rule, evidence)


def _increasing(series: Iterable[Mapping[str, Any]]) -> Verdict:
    points = sorted((int(p["year"]), float(p["value"])) for p in series)
    how = "series_increasing"
    if len(points) < 2:
        return _verdict("not checkable", _said("few_points"), method=how)
    steps = list(zip(points[:-1], points[1:], strict=True))
    falls = [f"{y0}→{y1}" for (y0, v0), (y1, v1) in steps if v1 < v0]
    flat = [f"{y0}→{y1}" for (y0, v0), (y1, v1) in steps if v1 == v0]
    years = [y for y, _ in points]
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    span = {"first": str(years[0]), "last": str(years[-1])}
    if falls:
        return _verdict("inconsistent", _said("falls", steps=falls), method=how)
    if flat and gaps:
        return _verdict("not checkable", _said("flat_and_gaps", steps=flat, k=len(gaps), **span),
                        method=how)
    if flat:
        return _verdict("not checkable", _said("flat", steps=flat), method=how)
    if gaps:
        return _verdict("not checkable", _said("gaps", k=len(gaps), **span), method=how)
    return _verdict("consistent", _said("rises", **span), method=how)


def share_table(verdicts: Iterable[str]) -> dict[str, float]:
    """``{verdict: share}`` over every verdict of :data:`VERDICTS` (zeros included)."""
    items = [check(v) for v in verdicts]
    n = len(items)
    return {v: (sum(1 for x in items if x == v) / n if n else float("nan")) for v in VERDICTS}
