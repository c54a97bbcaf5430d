"""Notebook 03's sentences and record on claim C1 ("the correlations did not exceed 0.42").

The numbers come from :func:`helpers.stats.threshold_check` on this study's and the article's
correlation matrices; this module turns them into what notebook 03 shows and records.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers import stats
from helpers.registers import i18n
from helpers.registers import verdicts as vd
from helpers.registers.data import panel
from helpers.registers.i18n import say
from helpers.registers.labels import factor_codes, label
from helpers.run import cache
from helpers.steps.nb03_over_years import analyse


def _pair(pair: list[str], codes: Mapping[str, str]) -> str:
    return f"{codes[pair[0]]}–{codes[pair[1]]}"


def c1_verdict(matrix: pd.DataFrame, n: int, threshold: float) -> vd.Verdict:
    """Claim C1 under the study's one rule (``verdict_rules.csv``, method ``fisher_z_ceiling``):
    the Fisher z interval of every |r| of this study's matrix from ``n`` regions against the
    ceiling."""
    rule = vd.load_rules()["C1"]
    names = list(matrix.columns)
    codes = factor_codes()
    pairs = {f"{codes[a]}–{codes[b]}": float(matrix.loc[a, b])
             for i, a in enumerate(names) for b in names[i + 1:]}
    return vd.judge(rule, {"pairs": pairs, "n": n}, threshold)


def verdict_reason(verdict: vd.Verdict, lang: str | None = None) -> str:
    """A verdict's reason in ``lang``, with the power sentence where power decides it (both from
    the catalogue: the verdict's ``said`` and ``power_said``; English is the recorded text)."""
    reason = verdict.said.text(lang) if verdict.said else verdict.reason
    if not verdict.power:
        return reason
    power = verdict.power_said.text(lang) if verdict.power_said else verdict.power
    return say("verdict.reason_power", lang, reason=reason, power=power)


def c1_sentence(ours: dict, article: dict, threshold: float, verdict: vd.Verdict,
                lang: str | None = None) -> str:
    """The article's Table 1 and this study's matrix against the 0.42 ceiling, with the verdict
    (:func:`c1_verdict`) and what it rests on."""
    codes = factor_codes()
    listed = i18n.join([say("list.name_value", lang, name=_pair(a["pair"], codes),
                            value=i18n.number(a["r"], lang, ".3f")) for a in article["above"]],
                       lang)
    reason = verdict_reason(verdict, lang)
    return say("correlation.c1", lang, article_max=article["max_abs"],
               article_above=article["n_above"], article_pairs=article["n_pairs"],
               threshold=threshold, listed=listed, ours_max=ours["max_abs"],
               pair=_pair(ours["pair"], codes), ours_above=ours["n_above"],
               ours_pairs=ours["n_pairs"], verdict=say(f"verdict.{verdict.verdict}", lang),
               reason=reason)


def pairs(composites: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.stats.correlation_table` of the 20 regions' composites, computed once per
    run and input and read back by every other city (:mod:`helpers.run.cache`): no city enters
    it."""
    key = cache.fingerprint(composites, cache.source_fingerprint())
    return cache.once("03_pairs", key, lambda: stats.correlation_table(composites))


COMPOSITE_METHOD = ("mean of the factor's indicator z-scores, lower-is-better indicators "
                    "multiplied by -1 first (higher = better); equal weights")


def matrices_record(slug: str, composites: pd.DataFrame, columns: Mapping, ours: pd.DataFrame,
                    spearman: pd.DataFrame, theirs: pd.DataFrame) -> dict:
    """The keys of notebook 03 about the 20 regions' composites and the three matrices."""
    return {"region": slug, "n_regions": len(composites), "indicators_per_factor": columns,
            "composite_method": COMPOSITE_METHOD, "corr_this_study": ours,
            "corr_spearman": spearman, "corr_article": theirs, "corr_difference": ours - theirs}


def c1_record(ours: dict, article: dict, threshold: float, judged: vd.Verdict) -> dict:
    """The C1 keys notebook 03 records (helpers/run/contract.yaml → 03_correlation_analysis)."""
    verdict = judged.verdict  # the study's one rule (helpers.registers.verdicts)
    return {"max_offdiag_this_study": ours["max_abs"], "max_offdiag_article": article["max_abs"],
            "max_pair_this_study": ours["pair"], "max_pair_article": article["pair"],
            "n_above_042_this_study": ours["n_above"], "n_above_042_article": article["n_above"],
            "above_042_article": article["above"], "c1_verdict": verdict,
            "c1": {"threshold": threshold, "holds_article": article["holds"],
                   "holds_this_study": ours["holds"], "verdict": verdict,
                   **{k: v for k, v in judged.as_dict().items() if k != "verdict"}}}


def city_sentence(city_name: str, ranks: pd.Series, names: Mapping[str, str], n: int,
                  lang: str | None = None) -> str:
    """Where the city ranks best and worst among the ``n`` regions."""
    best, worst = ranks.idxmin(), ranks.idxmax()
    return say("correlation.city", lang, city=city_name, best=names[best],
               best_rank=int(ranks[best]), worst=names[worst], worst_rank=int(ranks[worst]), n=n)


def second_reading(slug: str, book: pd.DataFrame, pairs: pd.DataFrame, city_name: str,
                   lang: str | None = None):
    """The second reading of the design for the city (its own years beside the cross-section):
    :func:`helpers.steps.nb03_over_years.analyse`, shown in the notebook as HTML. The region ×
    year panel of every region it reads the city's rows from is built once per run and inputs
    (:mod:`helpers.run.cache`; the codebook and every data file in the key)."""
    key = cache.fingerprint(book, cache.inputs_fingerprint())
    national = cache.once("03_panel", key, lambda: panel(book))
    return analyse(slug, book, pairs, city_name=city_name, lang=lang, national=national)


TABLE_WORDS = ("region", "year", "factor_code", "method", "ci_low", "ci_high", "p_holm", "rank",
               "label_en", "direction", "proxy_strength", "year_rule", "years", "source_table",
               "pearson", "spearman", "latest", "higher_better", "lower_better", "strong",
               "moderate", "weak", "vif")
"""The English words of notebook 03's tables that a reader sees as headers or cells; each has
its label ``tab_<word>`` in ``data/labels.csv`` (the English label is the word itself, so the
English tables read as before)."""


def shown(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """A table of notebook 03 for reading in ``lang``: factor ids and region slugs as names, the
    words of :data:`TABLE_WORDS` from ``data/labels.csv``, numbers written the language's way,
    interval bounds with their level (pingouin's, :data:`helpers.stats.CI_LEVEL`)
    (:func:`helpers.registers.i18n.shown`; the record is unchanged)."""
    return i18n.shown(table, lang, TABLE_WORDS, places=True, level=stats.CI_LEVEL)


def indicators_shown(book: pd.DataFrame, used: pd.DataFrame,
                     lang: str | None = None) -> pd.DataFrame:
    """The indicators the composites use (codebook rows with ``include``), their years and
    source, by factor code, for reading in ``lang`` (indicator names from ``data/labels.csv``
    outside English)."""
    lang = lang or i18n.current()
    table = book[book["include"]].set_index("column")[
        ["factor_code", "label_en", "direction", "proxy_strength", "year_rule"]]
    if lang != "en":
        table["label_en"] = [label(f"ind_{column}", lang) for column in table.index]
    table["year_rule"] = table["year_rule"].astype(object)
    return shown(table.join(used).set_index("factor_code"), lang)
