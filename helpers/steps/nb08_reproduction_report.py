"""The reproduction report: every checkable claim of the article → this study's finding → verdict.

``data/article/claim_checks.csv`` says, for each claim, where the article's value comes from
(``article_ref``: ``claims:<id>``, ``table1:<row>:<col>``, ``figure2:<key>``, ``hypotheses:<id>``,
or the literal ``article_text``), which notebook's JSON holds this study's finding (``notebook``,
``scope``, dotted ``key``; ``support_key`` for what completes the evidence: the number of regions
behind a correlation, the bootstrap interval of R², the power record of the paths; the notebook's
own verdict or finding at ``verdict_key``).

The verdict comes from one rule, declared as data in ``data/article/verdict_rules.csv`` and
applied by :mod:`helpers.registers.verdicts` (:func:`helpers.registers.verdicts.judge`): per claim
a **method**
(Fisher z for correlations, the bootstrap for PLS, an exact published figure, …), an equivalence
**margin** with its reason and a **level**. Verdicts (:data:`VERDICTS`): *consistent* (the
interval lies within the margin of the article's value; a path interval excludes 0 in the claimed
direction), *inconsistent* (the interval excludes the article's value or direction),
*inconclusive* (the data cannot tell), *not checkable*. Each row carries its interval, margin,
method and, where it decides, the power.

Every claim gets a **kind of check** (column ``kind``; :data:`helpers.registers.verdicts.KINDS`)
beside its
verdict: a verdict on other data says what these data show, never that the article was wrong.
Where the claim is structural (H1–H3, C6, K1, C4-PLS) it also gets its **robustness**: the
shares of notebook 05's specifications per verdict under the same rule. A key missing from a
notebook's JSON is a bug and raises :class:`MissingResult`, naming the notebook, file and key.

The article's **display items** (Figures 1–3, Table 1) get their ACRE reproducibility level
(BITSS, used by the Social Science Reproduction Platform: 1 = neither data nor code available …
10 = reproducible from raw data) with the reason, from ``data/article/display_items.csv``.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.registers import article, paths
from helpers.registers import verdicts as vd
from helpers.registers.data import read_table
from helpers.registers.i18n import SOURCE_LANGUAGE, Message, current, number, say, texts
from helpers.registers.labels import LANGUAGES, factor_labels, label
from helpers.registers.palette import PALETTE
from helpers.registers.paths import DATA
from helpers.registers.regions import region_by_slug

VERDICTS = vd.VERDICTS
KINDS = vd.KINDS
ROBUSTNESS_NOTEBOOK = "05_robustness"
DISPLAY_ITEMS = DATA / "article" / "display_items.csv"
DISPLAY_COLUMNS = ("item", "title_en", "acre_level", "reason", "claims", "this_study")
CHECKS = DATA / "article" / "claim_checks.csv"
CHECK_COLUMNS = ("id", "claim_en", "article_ref", "article_text", "notebook", "scope", "key",
                 "support_key", "verdict_key", "location", "note", "kind")
SCOPES = ("example", "national", "cities", "")
EXAMPLE_CITY = "astana"
HTML_NAME = "reproduction_report.html"


class MissingResult(KeyError):
    """A notebook's JSON lacks a key the reproduction report needs (a bug, not a verdict)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


Verdict = vd.Verdict


# ----------------------------------------------------------------------------------------------
# Reading the notebooks' JSON
# ----------------------------------------------------------------------------------------------

def report_path(notebook: str, slug: str) -> Path:
    """``<output root>/reports/<slug>/<notebook>.json`` (via
    :func:`helpers.registers.paths.reports_dir`)."""
    return paths.reports_dir(slug) / f"{notebook}.json"


def load_results(notebook: str, slug: str) -> dict:
    """The ``results`` of one notebook's JSON; a clear error if the notebook has not run."""
    path = report_path(notebook, slug)
    if not path.exists():
        raise MissingResult(f"{notebook} has written no JSON for {slug!r} ({path}); run it first "
                            f"(python -m helpers.run --notebooks {notebook[:2]} ...).")
    return json.loads(path.read_text(encoding="utf-8"))["results"]


def lookup(results: Mapping[str, Any], key: str, notebook: str = "?", slug: str = "?") -> Any:
    """``results[a][b]…`` for ``key = "a.b…"``; :class:`MissingResult` names what is missing."""
    node: Any = results
    done = []
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            there = sorted(node) if isinstance(node, Mapping) else type(node).__name__
            raise MissingResult(
                f"{notebook} JSON for {slug!r} has no key {key!r} (missing at "
                f"{'.'.join(done + [part])!r}; available there: {there}). Fix {notebook} or "
                f"data/article/claim_checks.csv.")
        node = node[part]
        done.append(part)
    return node


class Results:
    """Cached access to the notebooks' JSON for one run: national and per-city."""

    def __init__(self, cities: list[str], loader: Callable[[str, str], dict] = load_results):
        if not cities:
            raise ValueError("cities must name at least one city.")
        self.cities = list(cities)
        self.example = EXAMPLE_CITY if EXAMPLE_CITY in self.cities else self.cities[0]
        self._loader = loader
        self._cache: dict[tuple[str, str], dict] = {}

    def get(self, notebook: str, slug: str) -> dict:
        if (notebook, slug) not in self._cache:
            self._cache[(notebook, slug)] = self._loader(notebook, slug)
        return self._cache[(notebook, slug)]

    def value(self, notebook: str, scope: str, key: str) -> Any:
        """The value at ``key``: of the worked example, the country, or (scope ``cities``)
        ``{slug: value}`` for every city run."""
        if scope == "cities":
            return {slug: lookup(self.get(notebook, slug), key, notebook, slug)
                    for slug in self.cities}
        slug = self.example if scope == "example" else paths.NATIONAL
        return lookup(self.get(notebook, slug), key, notebook, slug)


# ----------------------------------------------------------------------------------------------
# The registry
# ----------------------------------------------------------------------------------------------

def load_checks(path: Path | None = None, rules: Path | None = None) -> pd.DataFrame:
    """``data/article/claim_checks.csv``, validated (scopes, kinds, ids unique), with each claim's
    verdict rule from ``data/article/verdict_rules.csv``
    (:func:`helpers.registers.verdicts.load_rules`:
    a claim without a rule, a negative margin or an unknown method stops here) in the columns
    ``method, margin, margin_reason, level, rule_note``."""
    path = path or CHECKS
    df = read_table(path, CHECK_COLUMNS, "It maps the article's claims to this study's findings.")
    dup = df["id"][df["id"].duplicated()]
    if len(dup):
        raise ValueError(f"{path}: claim id(s) {list(dup)} appear twice.")
    found = vd.load_rules(rules, claims=list(df["id"]))
    for line, row in enumerate(df.to_dict("records"), start=2):
        method = found[row["id"]].method
        if row["scope"] not in SCOPES:
            raise ValueError(f"{path}, row {line}, column 'scope': {row['scope']!r} is not one of "
                             f"{list(SCOPES)}.")
        if method not in ("not_checkable", "reading") and not (row["notebook"] and row["key"]):
            raise ValueError(f"{path}, row {line}: method {method!r} needs a notebook and a key.")
        if method in NEEDS_SUPPORT and not row["support_key"]:
            raise ValueError(f"{path}, row {line}, column 'support_key': method {method!r} needs "
                             f"it ({NEEDS_SUPPORT[method]}).")
        if method == "notebook" and not row["verdict_key"]:
            raise ValueError(f"{path}, row {line}, column 'verdict_key': method 'notebook' needs "
                             "the key of the notebook's verdict.")
        if row["kind"] not in KINDS:
            raise ValueError(f"{path}, row {line}, column 'kind': {row['kind']!r} is not one of "
                             f"{list(KINDS)}.")
        if method == "not_checkable" and row["kind"] != "not checkable":
            raise ValueError(f"{path}, row {line}: a claim without a test (method not_checkable) "
                             "has kind 'not checkable'.")
        if not (row["article_ref"] or row["article_text"]):
            raise ValueError(f"{path}, row {line}: give article_ref or article_text.")
    df["method"] = [found[i].method for i in df["id"]]
    df["margin"] = [found[i].margin for i in df["id"]]
    df["margin_reason"] = [found[i].margin_reason for i in df["id"]]
    df["level"] = [found[i].level for i in df["id"]]
    df["rule_note"] = [found[i].note for i in df["id"]]
    return df


NEEDS_SUPPORT = {"fisher_z": "the key of n, the pairs behind r",
                 "fisher_z_ceiling": "the key of n, the pairs behind r",
                 "bootstrap": "the key of the [low, high] interval"}
"""Methods whose evidence needs a second key of the same notebook (column ``support_key``)."""


def article_value(ref: str, text: str = "") -> tuple[Any, str, str]:
    """The article's value, claim text and location for ``article_ref`` (or the literal text)."""
    claim, location, value = "", "", None
    if ref:
        kind, _, rest = ref.partition(":")
        if kind == "claims":
            row = article.claims().set_index("id").loc[rest]
            value, claim, location = row["value"], row["text_en"], row["location"]
        elif kind == "table1":
            a, b = rest.split(":")
            value = float(article.table1().loc[a, b])
            codes = article.factors().set_index("id")["code_kk"]
            cells = article._read("table1.csv").set_index(["row_code", "col_code"])
            location = cells.loc[(codes[a], codes[b]), "location"]
        elif kind == "figure2":
            rows = article.figure2_table().set_index("key")
            value, location = float(rows.loc[rest, "value"]), rows.loc[rest, "location"]
        elif kind == "hypotheses":
            row = article.hypotheses().set_index("id").loc[rest]
            claim, location = row["text_en"], row["location"]
        else:
            raise ValueError(f"article_ref {ref!r}: use claims:, table1:, figure2: or hypotheses:.")
    if text:
        try:
            value = float(text)
        except ValueError:
            value = text
    if isinstance(value, float) and math.isnan(value):
        value = None
    return value, claim, location


# ----------------------------------------------------------------------------------------------
# Evidence for the rule (helpers.registers.verdicts)
# ----------------------------------------------------------------------------------------------

def _num(x: Any) -> str:
    return f"{x:.4g}" if isinstance(x, (int, float)) else str(x)


def power_sentence(power: Mapping[str, Any]) -> Message:
    """Notebook 04's power record in one sentence (what R² the n regions can detect)."""
    return Message("repro.power", n=str(power["n"]), k=str(power["k"]),
                   min_r2=power["min_r2"], target=power["target_power"], alpha=power["alpha"],
                   observed=power["power_at_observed_r2"])


def matrix_pairs(matrix: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """The off-diagonal entries of a symmetric ``{row: {col: r}}`` matrix, once each."""
    names = list(matrix)
    return {f"{a}–{b}": float(matrix[a][b]) for i, a in enumerate(names)
            for b in names[i + 1:]}


def judge_claim(c: Mapping[str, Any], art: Any, results: Results) -> tuple[vd.Verdict, Any]:
    """The verdict on one registry row (with its rule) and this study's finding behind it."""
    rule = vd.Rule(c["id"], c["method"], c["margin"], c["margin_reason"], c["level"],
                   c["rule_note"])
    method = c["method"]
    if method in ("not_checkable", "reading"):
        return vd.judge(rule, c["note"]), None

    def value(key: str) -> Any:
        return results.value(c["notebook"], c["scope"], key)

    ours = value(c["key"])
    support = value(c["support_key"]) if c["support_key"] else None
    if method == "fisher_z":
        return vd.judge(rule, {"r": ours, "n": support}, art), ours
    if method == "fisher_z_ceiling":
        pairs = matrix_pairs(ours)
        return vd.judge(rule, {"pairs": pairs, "n": support}, art), max(map(abs, pairs.values()))
    if method == "bootstrap":
        low, high = support
        return vd.judge(rule, {"estimate": ours, "low": low, "high": high}, art), ours
    if method in ("bootstrap_direction", "bootstrap_magnitude"):
        power = power_sentence(support) if isinstance(support, Mapping) else ""
        if c["id"].startswith("H") and c["verdict_key"]:
            finding = value(c["verdict_key"])
            reason = value(c["verdict_key"].rsplit(".", 1)[0] + ".reason")
            return vd.judge_hypothesis(rule, finding, ours, reason, power), ours
        return vd.judge(rule, ours, art, power), ours
    if method == "notebook":
        base = c["verdict_key"].rsplit(".", 1)[0]
        record = value(base) if "." in c["verdict_key"] else {}
        raw = value(c["verdict_key"])
        reason = record.get("reason", "") if isinstance(record, Mapping) else ""
        said = record.get("message") if isinstance(record, Mapping) else None
        v = vd.judge(rule, {"verdict": raw, "reason": reason, "message": said})
        finding = record.get("finding", "") if isinstance(record, Mapping) else ""
        if isinstance(ours, (int, float)) and isinstance(art, float):
            # a published official figure: its "interval" is the point itself
            said = Message("repro.ours_vs_article", ours=ours, article=art, delta=ours - art,
                           reason=v.said)
            v = vd.Verdict(v.verdict, said.text(SOURCE_LANGUAGE), (float(ours), float(ours)),
                           method=method, finding=finding, said=said)
        return v, ours
    return vd.judge(rule, ours, art), ours


def _in(name: Any, lang: str) -> str:
    """A name of :func:`helpers.registers.verdicts.name` written in ``lang``."""
    return Message("text.as_is", text=name).text(lang) if not isinstance(name, str) else name


def shown_value(method: str, ours: Any, lang: str = SOURCE_LANGUAGE) -> Any:
    """A short, displayable form of this study's finding (numbers in ``lang``'s way)."""
    if method in ("bootstrap_direction", "bootstrap_magnitude") and isinstance(ours, Mapping):
        return ", ".join(f"{_in(vd.name(f), lang)} {number(p['estimate'], lang, '+.2f')}"
                         for f, p in ours.items())
    if method == "series_increasing":
        return ", ".join(f"{p['year']}: {number(p['value'], lang, 'g')}" for p in ours)
    if method.startswith("published_all") and isinstance(ours, Mapping):
        return ", ".join(f"{_in(vd.name(k), lang)} {number(v, lang, '.4g')}"
                         for k, v in ours.items())
    if isinstance(ours, float):
        return round(ours, 4) if lang == SOURCE_LANGUAGE else number(round(ours, 4), lang, ".4g")
    return ours


# ----------------------------------------------------------------------------------------------
# The table
# ----------------------------------------------------------------------------------------------

def robustness_shares(results: Results) -> dict:
    """Notebook 05's robustness per structural claim: ``{claim: {share, n, by_verdict}}`` —
    the share of the estimable specifications whose verdict is "consistent", their number, and
    the share of every verdict (consistent, inconsistent, inconclusive, not checkable)."""
    national = results.get(ROBUSTNESS_NOTEBOOK, paths.NATIONAL)
    rows = lookup(national, "shares", ROBUSTNESS_NOTEBOOK, paths.NATIONAL)
    n = lookup(national, "n_estimable", ROBUSTNESS_NOTEBOOK, paths.NATIONAL)
    out: dict[str, dict] = {}
    for row in rows:
        entry = out.setdefault(row["claim"], {"share": 0.0, "n": n, "by_verdict": {}})
        entry["by_verdict"][row["verdict"]] = row["share"]
        if row["verdict"] == VERDICTS[0]:
            entry["share"] = row["share"]
    return out


def robustness_said(robust: dict) -> Message:
    """``"of N specifications: x% consistent, y% inconclusive"`` (verdicts with a share) as a
    catalogue sentence not yet written in a language."""
    parts = [Message("repro.share_verdict", share=share, verdict=Message(f"verdict.{verdict}"))
             for verdict, share in robust["by_verdict"].items() if share > 0]
    return Message("repro.robustness", n=str(robust["n"]), parts=parts)


def robustness_text(robust: dict, lang: str | None = SOURCE_LANGUAGE) -> str:
    """:func:`robustness_said` in ``lang`` (English by default: the record)."""
    return robustness_said(robust).text(lang)


SECOND_READING_NOTEBOOK = "03_correlation_analysis"
READINGS = ("levels", "differences")


def second_reading(results: Results) -> tuple[dict[str, dict], dict]:
    """The second reading of the design (the worked example's own indicators over the years,
    notebook 03): ``({claim id: {levels: {verdict, interval, method}, differences: {...}}},
    reading_favoured)`` for the Table 1 entries and C1."""
    nb = SECOND_READING_NOTEBOOK
    rows = results.value(nb, "example", "table1_both_readings")
    c1 = results.value(nb, "example", "over_years.c1")
    out: dict[str, dict] = {}
    for r in rows:
        out[r["claim"]] = {d: {k: r[f"{d}_verdict"].get(k) for k in ("verdict", "interval",
                                                                        "method")}
                           for d in READINGS}
    out["C1"] = {d: {"verdict": c1[d]["verdict"],
                     "interval": (c1[d].get("largest") or {}).get("interval"),
                     "method": "fisher_z_ceiling"} for d in READINGS}
    return out, results.value(nb, "example", "reading_favoured")


def evaluate(checks: pd.DataFrame, results: Results,
             robustness: dict | None = None, second: dict | None = None) -> pd.DataFrame:
    """One row per claim: ``id, claim, kind, article, ours, verdict, reason, interval, margin,
    margin_reason, method, level, power, finding, robustness, robustness_shares,
    robustness_text, second_reading, source, location``. ``robustness`` is
    :func:`robustness_shares` (claims without an entry get ``None``); ``second`` the first item
    of :func:`second_reading` (the over-years verdicts of Table 1 and C1, else ``None``)."""
    robustness = robustness or {}
    second = second or {}
    rows = []
    for c in checks.to_dict("records"):
        art, claim, location = article_value(c["article_ref"], c["article_text"])
        english = c["claim_en"] or claim
        claim = english.replace("{article}", _num(art))
        verdict, ours = judge_claim(c, art, results)
        source = "—"
        if c["notebook"]:
            slug = {"example": results.example, "cities": ", ".join(results.cities)}.get(
                c["scope"], paths.NATIONAL)
            source = f"{c['notebook']} ({slug}): {c['key']}"
        note = "" if c["method"] in ("not_checkable", "reading") else c["note"]
        said = (Message("repro.reason_note", reason=verdict.said, note={
            k: t[:1].upper() + t[1:] for k, t in texts(note).items()}) if note else
            Message("repro.reason", reason=verdict.said))
        reason = said.text(SOURCE_LANGUAGE)
        robust = robustness.get(c["id"])
        record = verdict.as_dict()
        rows.append({"id": c["id"], "claim": claim, "kind": c["kind"],
                     "article": art if not isinstance(art, float) else round(art, 4),
                     "ours": shown_value(c["method"], ours), "verdict": verdict.verdict,
                     "reason": reason,
                     "interval": None if record["interval"] is None else
                     [round(x, 4) for x in record["interval"]],
                     "margin": record["margin"], "margin_reason": record["margin_reason"],
                     "method": c["method"], "level": record["level"], "power": record["power"],
                     "finding": record["finding"],
                     "robustness": None if robust is None else robust["share"],
                     "robustness_shares": None if robust is None else {
                         v: robust["by_verdict"].get(v, 0.0) for v in VERDICTS},
                     "robustness_text": "" if robust is None else robustness_text(robust),
                     "second_reading": second.get(c["id"]),
                     "source": source, "location": c["location"] or location,
                     SAID: {"claim": {k: t.replace("{article}", _num(art) if k == SOURCE_LANGUAGE
                                              else _cell(art, k))
                                      for k, t in texts(english).items()},
                            "reason": said, "power": verdict.power_said,
                            "margin_reason": texts(record["margin_reason"])
                            if record["margin_reason"] else None,
                            "location": texts(c["location"] or location),
                            "ours": ours,
                            "robust": robust}})
    return pd.DataFrame(rows)


SAID = "said"
"""The column of :func:`evaluate`'s table that holds its texts for every language (claim,
reason, power, margin reason, location); :func:`records` leaves it out of the record."""


def records(table: pd.DataFrame) -> list[dict]:
    """The claims table as the JSON records (English, no language-dependent column), each with
    its reason also as ``message``, its power sentence as ``power_message`` and its robustness
    sentence as ``robustness_message`` (``None`` where there is none): the catalogue key and
    values (:meth:`helpers.registers.i18n.Message.as_dict`) that write ``reason``, ``power`` and
    ``robustness_text`` again in any language (:func:`helpers.registers.i18n.written`; the
    site's kk/ru report does)."""
    out = table.drop(columns=SAID).to_dict("records")
    for row, said in zip(out, table[SAID], strict=True):
        row["message"] = said["reason"].as_dict()
        row["power_message"] = said["power"].as_dict() if said["power"] else None
        row["robustness_message"] = (robustness_said(said["robust"]).as_dict()
                                     if said.get("robust") else None)
    return out


def evidence_text(row: Mapping[str, Any], lang: str | None = SOURCE_LANGUAGE) -> str:
    """What a verdict rests on, in one line: the interval at its level, the margin with its
    reason, the method and, where it decides, the power (in ``lang``; a row of
    :func:`evaluate`'s table, or a record without its ``said`` texts in English)."""
    said = row.get(SAID) or {}
    parts = []
    if row.get("interval") is not None:
        low, high = row["interval"]
        if low == high:
            parts.append(Message("repro.published_value", value=low))
        elif row.get("level"):
            parts.append(Message("repro.interval_level", level=row["level"] * 100,
                                 iv=(low, high)))
        else:
            parts.append(Message("repro.interval", iv=(low, high)))
    if row.get("margin") is not None and not _missing(row["margin"]):
        parts.append(Message("repro.margin_reason", margin=row["margin"], reason=said.get(
            "margin_reason") or {SOURCE_LANGUAGE: row["margin_reason"]})
            if row.get("margin_reason") else Message("repro.margin", margin=row["margin"]))
    parts.append(Message("repro.method", method=method_names(row["method"])))
    if row.get("power"):
        parts.append(Message("repro.power_part", power=said.get("power") or {
            SOURCE_LANGUAGE: row["power"]}))
    return "; ".join(part.text(lang) for part in parts)


def second_text(second: Mapping[str, Any] | None, lang: str | None = SOURCE_LANGUAGE) -> str:
    """``"levels: inconclusive [a, b]; differences: not checkable"`` (or ``""``)."""
    if not second:
        return ""
    parts = []
    for design in READINGS:
        entry = second.get(design) or {}
        iv = entry.get("interval")
        verdict = (Message(f"verdict.{entry['verdict']}") if entry.get("verdict") else "—")
        parts.append(Message("repro.reading_iv", reading=Message(f"repro.reading_{design}"),
                             verdict=verdict, iv=tuple(iv)) if iv else
                     Message("repro.reading", reading=Message(f"repro.reading_{design}"),
                             verdict=verdict))
    return "; ".join(part.text(lang) for part in parts)


def check_inconsistent_rows(table: pd.DataFrame) -> list[str]:
    """Ids of "inconsistent" rows whose interval does not exclude the article's value (for a
    method with an interval): empty when every such row shows its evidence (tested)."""
    bad = []
    for r in table.to_dict("records"):
        if r["verdict"] != "inconsistent" or r["interval"] is None:
            continue
        low, high = r["interval"]
        if r["method"] in ("fisher_z", "bootstrap", "exact"):
            if isinstance(r["article"], (int, float)) and low <= r["article"] <= high:
                bad.append(r["id"])
        elif r["method"] == "fisher_z_ceiling":
            if not (low > r["article"] or high < -r["article"]):
                bad.append(r["id"])
        elif r["method"] == "bootstrap_direction" and not high < 0:
            bad.append(r["id"])
        elif r["method"] == "bootstrap_magnitude" and not (low > -r["margin"]
                                                              and high < r["margin"]):
            bad.append(r["id"])
    return bad


def counts(table: pd.DataFrame) -> dict[str, int]:
    """{verdict: number of claims} for all three verdicts (zeros included)."""
    unknown = set(table["verdict"]) - set(VERDICTS)
    if unknown:
        raise ValueError(f"Unknown verdict(s) {sorted(unknown)}; valid: {list(VERDICTS)}.")
    return {v: int((table["verdict"] == v).sum()) for v in VERDICTS}


def kind_counts(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    """``{kind: {verdict: number of claims}}`` for every kind and verdict (zeros included)."""
    unknown = set(table["kind"]) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown kind(s) of check {sorted(unknown)}; valid: {list(KINDS)}.")
    return {k: {v: int(((table["kind"] == k) & (table["verdict"] == v)).sum())
                for v in VERDICTS} for k in KINDS}


def summary_sentence(table: pd.DataFrame, lang: str | None = None) -> str:
    """The counts per verdict in one sentence, with the inconsistent claims and the kinds, in
    ``lang`` (default: the notebook's; the record keeps ``lang="en"``)."""
    n = counts(table)
    bad = table.loc[table["verdict"] == "inconsistent", "id"].tolist()
    kinds = table["kind"].value_counts()
    return say("repro.summary", lang, n=len(table), consistent=n["consistent"],
               inconsistent=n["inconsistent"], inconclusive=n["inconclusive"],
               not_checkable=n["not checkable"], bad=bad or Message("word.none"),
               kinds=[Message("list.name_value", name=kind_word(k, lang), value=int(kinds.get(
                   k, 0))) for k in KINDS])


def verdict_word(verdict: str, lang: str | None = None) -> str:
    """A verdict in ``lang`` (``data/labels.csv``, ``repro_<verdict>``)."""
    return label(f"repro_{vd.check(verdict).replace(' ', '_')}", lang or current())


def kind_word(kind: str, lang: str | None = None) -> str:
    """A kind of check in ``lang`` (``data/labels.csv``, ``repro_kind_<kind>``)."""
    return label(f"repro_kind_{vd.check_kind(kind).replace(' ', '_').replace('-', '_')}",
                 lang or current())


def method_names(method: str) -> dict[str, str]:
    """A verdict rule's method in every language (``data/labels.csv``, ``repro_method_<id>``):
    ``{lang: name}``. The English name is the method's id in ``data/article/verdict_rules.csv``
    (:data:`helpers.registers.verdicts.METHODS` says what it does)."""
    if method not in vd.METHODS:
        raise ValueError(f"Unknown method {method!r}; valid choices: {sorted(vd.METHODS)}.")
    return {lang: label(f"repro_method_{method}", lang) for lang in LANGUAGES}


def display_items(path: Path | None = None) -> pd.DataFrame:
    """The article's display items with their ACRE level (1–10) and the reason, validated."""
    path = path or DISPLAY_ITEMS
    df = read_table(path, DISPLAY_COLUMNS, "It gives the ACRE level of the article's exhibits.")
    for line, row in enumerate(df.to_dict("records"), start=2):
        if not (row["acre_level"].isdigit() and 1 <= int(row["acre_level"]) <= 10):
            raise ValueError(f"{path}, row {line}, column 'acre_level': {row['acre_level']!r} "
                             "is not an ACRE level 1–10.")
        if not row["reason"].strip():
            raise ValueError(f"{path}, row {line}: every level needs its reason.")
    df["acre_level"] = df["acre_level"].astype(int)
    return df


def city_summaries(results: Results) -> pd.DataFrame:
    """Per city: innovation activity 2022 and the article's value, factor ranks (06)."""
    rows = []
    for slug in results.cities:
        inn = results.get("02_innovation_activity", slug)
        prof = results.get("06_city_report", slug)
        ranks = lookup(prof, "factor_ranks", "06_city_report", slug)
        row = {"city": slug, "whole region": not lookup(prof, "is_city", "06_city_report", slug),
               "innovation 2022, %": lookup(inn, "city_value_2022", "02_innovation_activity",
                                            slug),
               "article value": lookup(inn, "article_value", "02_innovation_activity", slug)}
        row.update({f"rank {f}": r for f, r in ranks.items()})
        factor_only = {f: r for f, r in ranks.items() if f != "adaptation"}
        row["best factor"] = min(factor_only, key=factor_only.get)
        row["weakest factor"] = max(factor_only, key=factor_only.get)
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# The standalone HTML page
# ----------------------------------------------------------------------------------------------

VERDICT_COLOURS = {"consistent": "confirmed_light", "inconsistent": "not_confirmed_light",
                   "inconclusive": "note", "not checkable": "panel"}
"""The palette role (:data:`helpers.registers.palette.PALETTE`) of each verdict on the HTML page."""

_CSS = """
body{{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:1200px;color:{ink}}}
h1{{font-size:1.5em}}table{{border-collapse:collapse;width:100%;font-size:0.85em}}
table.claims{{table-layout:fixed}}
th,td{{border:1px solid {faint};padding:4px 6px;vertical-align:top;text-align:left;
overflow-wrap:anywhere}}
th{{background:{panel}}}td.num{{text-align:right}}td.id{{white-space:nowrap;font-size:0.9em}}
td.v{{overflow-wrap:normal}}
.badge{{display:inline-block;padding:1px 6px;border-radius:8px;font-weight:bold}}
.counts span{{margin-right:1.5em}}.small{{color:{muted};font-size:0.8em}}
"""


def verdict_colours() -> dict[str, str]:
    """``{verdict: colour}`` from the study's palette (helpers/registers/palette.py)."""
    return {verdict: PALETTE[role] for verdict, role in VERDICT_COLOURS.items()}


def html_page(table: pd.DataFrame, cities: pd.DataFrame, title: str, intro: str,
              items: pd.DataFrame | None = None, lang: str = SOURCE_LANGUAGE) -> str:
    """A standalone page in ``lang``: summary counts, the claims table (kind, verdict
    colour-coded, robustness), the article's display items with their ACRE level, the cities."""
    esc = html.escape
    n = counts(table)
    colours = verdict_colours()
    badges = "".join(f'<span class="badge" style="background:{colours[v]}">'
                     f"{esc(verdict_word(v, lang))}: {k}</span> " for v, k in n.items())
    widths = (5, 12, 7, 5, 8, 8, 17, 12, 8, 7, 6, 5)
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    head = (f"<colgroup>{cols}</colgroup><tr>"
            + "".join(f"<th>{esc(label(f'repro_html_{c}', lang))}</th>" for c in HTML_COLUMNS)
            + "</tr>")
    body = []
    for r in table.to_dict("records"):
        said = r.get(SAID) or {}
        claim = said.get("claim") or {SOURCE_LANGUAGE: str(r["claim"])}
        reason = said["reason"].text(lang) if said.get("reason") else r["reason"]
        robust = (robustness_text(said["robust"], lang) if said.get("robust") else
                  r["robustness_text"])
        where = said.get("location") or {SOURCE_LANGUAGE: str(r["location"])}
        body.append(
            f"<tr><td class=\"id\">{esc(r['id'])}</td>"
            f"<td>{esc(Message('text.as_is', text=claim).text(lang))}</td>"
            f"<td class=\"small\">{esc(kind_word(r['kind'], lang))}</td>"
            f"<td{_num_class(r['article'])}>{esc(_article(r['article'], lang))}</td>"
            f"<td{_num_class(r['ours'])}>{esc(_ours(r, lang))}</td>"
            f"<td class=\"v\" style=\"background:{colours[r['verdict']]}\">"
            f"<b>{esc(verdict_word(r['verdict'], lang))}</b></td>"
            f"<td>{esc(reason)}</td><td class=\"small\">{esc(evidence_text(r, lang))}</td>"
            f"<td class=\"small\">{esc(second_text(r.get('second_reading'), lang))}</td>"
            f"<td class=\"small\">{esc(robust)}</td>"
            f"<td class=\"small\">{esc(r['source'])}</td>"
            f"<td class=\"small\">{esc(Message('text.as_is', text=where).text(lang))}</td>"
            "</tr>")
    city_html = cities_display(cities, lang).to_html(index=False, border=0, na_rep="—")
    items_html = "" if items is None else (
        f"<h2>{esc(say('repro.items_heading', lang))}</h2><p class=\"small\">"
        f"{esc(say('repro.items_note', lang))}</p>"
        + items_display(items, lang).to_html(index=False, border=0))
    return (f"<!DOCTYPE html>\n<html lang=\"{esc(lang)}\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{_CSS.format(**PALETTE)}</style></head><body>"
            f"<h1>{esc(title)}</h1><p>{esc(intro)}</p><p class=\"counts\">{badges}</p>"
            f"<table class=\"claims\">{head}{''.join(body)}</table>{items_html}"
            f"<h2>{esc(say('repro.cities_heading', lang))}</h2><p class=\"small\">"
            f"{esc(say('repro.cities_note', lang))}</p>{city_html}</body></html>\n")


HTML_COLUMNS = ("id", "claim", "kind", "article", "ours", "verdict", "why", "evidence",
                "second", "robustness", "source", "where")
"""The claims table's columns on the HTML page (labels ``repro_html_<column>``)."""


def cities_display(cities: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """:func:`city_summaries` for reading in ``lang``: the city's name, words for yes/no and the
    factors, headers from ``data/labels.csv``, numbers written the language's way."""
    lang = lang or current()
    names = factor_labels(lang, with_code=False)
    out = pd.DataFrame(index=cities.index)
    for column in cities.columns:
        values = cities[column]
        if column == "city":
            values = values.map(lambda slug: region_by_slug(slug).name(lang))
            header = label("repro_col_city", lang)
        elif column == "whole region":
            values = values.map(lambda b: label("yes" if b else "no", lang))
            header = label("repro_col_whole_region", lang)
        elif column in ("best factor", "weakest factor"):
            values = values.map(names.get)
            header = label(f"repro_col_{column.replace(' ', '_')}", lang)
        elif column.startswith("rank "):
            header = label("repro_col_rank", lang).format(
                factor=names.get(column[5:], column[5:]))
        else:
            header = label(f"repro_col_{column.split(',')[0].replace(' ', '_')}", lang)
        out[header] = values.map(lambda v: _cell(v, lang, "g")
                                 if isinstance(v, (int, float)) and not isinstance(v, bool)
                                 else v)
    return out


def items_display(items: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The article's display items with their ACRE level, for reading in ``lang``."""
    lang = lang or current()

    def said(column: str) -> list[str]:
        return [Message("text.as_is", text=texts(t)).text(lang) for t in items[column]]
    return pd.DataFrame({label("repro_col_item", lang): said("item"),
                         label("repro_col_exhibit", lang): said("title_en"),
                         label("repro_col_acre", lang): items["acre_level"].tolist(),
                         label("repro_col_reason", lang): said("reason"),
                         label("repro_col_this_study", lang): said("this_study")})


def kinds_display(kinds: Mapping[str, Mapping[str, int]], lang: str | None = None
                  ) -> pd.DataFrame:
    """:func:`kind_counts` for reading: a row per kind of check, a column per verdict."""
    lang = lang or current()
    return pd.DataFrame([{verdict_word(v, lang): n for v, n in row.items()}
                         for row in kinds.values()],
                        index=[kind_word(k, lang) for k in kinds])


def _article(value: Any, lang: str) -> str:
    """The article's value in ``lang`` (a hypothesis finding, e.g. "confirmed", in its words)."""
    if isinstance(value, str) and value in vd.HYPOTHESIS_FINDINGS:
        return say(f"finding.{value}", lang)
    if isinstance(value, str) and value:
        return Message("text.as_is", text=texts(value)).text(lang)
    return _cell(value, lang)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _ours(row: Mapping[str, Any], lang: str) -> str:
    """This study's finding of one row of :func:`evaluate`'s table, shown in ``lang``."""
    said = row.get(SAID) or {}
    shown = shown_value(row["method"], said["ours"], lang) if "ours" in said else row["ours"]
    return _cell(shown, lang)


def _num_class(value: Any) -> str:
    return ' class="num"' if isinstance(value, (int, float)) else ""


def _cell(value: Any, lang: str = SOURCE_LANGUAGE, spec: str = ".4g") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e4:
        return str(int(value))  # a year or a count: no group separator
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, lang, spec) if isinstance(value, float) or spec == "g" else str(value)
    return str(value)


def html_path() -> Path:
    """``<output root>/reports/reproduction_report.html``."""
    return paths.output_root() / "reports" / HTML_NAME


def display_table(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The claims table for reading in ``lang``: headers, claims, kinds, verdicts, reasons and
    evidence in that language, numbers written its way."""
    lang = lang or current()
    rows = table.to_dict("records")
    return pd.DataFrame({
        "id": table["id"],
        label("repro_claim", lang): [Message("text.as_is", text=r[SAID]["claim"]).text(lang)
                                     for r in rows],
        label("repro_kind", lang): [kind_word(k, lang) for k in table["kind"]],
        label("article", lang): [_article(v, lang) for v in table["article"]],
        label("this_study", lang): [_ours(r, lang) for r in rows],
        label("repro_verdict", lang): [verdict_word(v, lang) for v in table["verdict"]],
        label("repro_reason", lang): [r[SAID]["reason"].text(lang) for r in rows],
        label("repro_evidence", lang): [evidence_text(r, lang) for r in rows],
        label("repro_robustness", lang): [_cell(v, lang, ".1%") for v in table["robustness"]],
    })


def table1_tolerance(checks: pd.DataFrame) -> float:
    """The equivalence margin of Table 1's entries (rows ``T1-…``, verdict_rules.csv)."""
    tol = checks.loc[checks["id"].str.startswith("T1-"), "margin"].astype(float).unique()
    if len(tol) != 1:
        raise ValueError(f"Table 1 rows of verdict_rules.csv should share one margin, found "
                         f"{list(tol)}.")
    return float(tol[0])


def plan_sentence(checks: pd.DataFrame, results: Results, lang: str | None = None) -> str:
    """How many claims, which worked example and which cities (the notebook's first line)."""
    return say("repro.plan", lang, n=len(checks),
               example=region_by_slug(results.example).name(lang or current()),
               cities=[region_by_slug(c).name(lang or current()) for c in results.cities])


def title(lang: str | None = None) -> str:
    """The report's title in ``lang``."""
    return say("repro.title", lang)


def texts_shown(checks: pd.DataFrame | None = None, items: pd.DataFrame | None = None
                ) -> list[str]:
    """Every English text of the data tables that the report shows (claims, notes, rule notes,
    margin reasons, locations, display items): each needs its row in
    ``data/i18n/data_texts.csv`` (tests/test_i18n.py)."""
    checks = load_checks() if checks is None else checks
    items = display_items() if items is None else items
    found: list[str] = []
    for c in checks.to_dict("records"):
        art, claim, location = article_value(c["article_ref"], c["article_text"])
        found += [c["claim_en"] or claim, c["location"] or location, c["margin_reason"]]
        if isinstance(art, str) and art not in vd.HYPOTHESIS_FINDINGS:
            found.append(art)
        if c["method"] == "reading":
            found.append(c["rule_note"].partition(":")[2].strip())
        elif c["method"] == "not_checkable":
            found.append(c["rule_note"])
        else:
            found.append(c["note"])
    for column in ("item", "title_en", "reason", "this_study"):
        found += items[column].tolist()
    return list(dict.fromkeys(t for t in found if t))
