"""The codebook's editions side by side: how the PLS measurement model fares under each.

Notebook 04 estimates its model on the current codebook (``data/codebook.csv``, second edition)
and, for comparison, on the first edition (``data/codebook_first_edition.csv``: 17 indicators,
eight of them from the third-party merged table). Both are read, validated and turned into the
20-region cross-section by the same code (:mod:`helpers.registers.data`), so only the indicators
differ.
"""

from __future__ import annotations

import pandas as pd

from helpers.pls import estimate_pls
from helpers.registers.data import (
    CODEBOOK,
    CODEBOOK_FIRST_EDITION,
    cross_section,
    load_codebook,
    oriented,
)
from helpers.registers.i18n import SOURCE_LANGUAGE, current
from helpers.registers.labels import factor_labels
from helpers.run import cache
from helpers.steps.nb04_pls_estimation import pls_model_from_codebook

EDITIONS = {"first": CODEBOOK_FIRST_EDITION, "second": CODEBOOK}
"""Edition name → codebook file."""


def measurement_summary(codebook: pd.DataFrame, factors: list[str], outcome: str) -> dict:
    """PLS-SEM (the settings of :func:`helpers.pls.estimate_pls`) on ``codebook``'s cross-section.

    Returns ``n_indicators`` (included rows, outcome included), ``n_official``, ``n_secondary``,
    ``indicators_per_factor``, ``n_negative_weights`` (outer weights < 0), ``max_htmt`` and its
    ``max_htmt_pair``, ``r2`` and ``adj_r2`` of ``outcome``.
    """
    book = codebook[codebook["include"]]
    table = oriented(cross_section(codebook=codebook), codebook)
    fit = estimate_pls(table, pls_model_from_codebook(codebook, factors, outcome))
    htmt = fit.htmt.stack()
    pair = htmt.idxmax()
    r2 = fit.r_squared.loc[outcome]
    official = book["source_table"].str.startswith("official/")
    return {"n_indicators": len(book), "n_official": int(official.sum()),
            "n_secondary": int((~official).sum()),
            "indicators_per_factor": book.groupby("factor_id").size().astype(int).to_dict(),
            "n_negative_weights": int((fit.measurement_table["weight"] < 0).sum()),
            "max_htmt": float(htmt.max()), "max_htmt_pair": [str(pair[0]), str(pair[1])],
            "r2": float(r2["r2"]), "adj_r2": float(r2["adj_r2"])}


def compare_editions(factors: list[str], outcome: str,
                     editions: dict | None = None) -> dict[str, dict]:
    """``{edition: measurement_summary(...)}`` for every edition of :data:`EDITIONS`.

    No city enters it: with the default editions it is computed once per run and inputs and
    read back by every other city (:func:`helpers.run.cache.once`), the same numbers."""
    if editions is None:
        key = cache.fingerprint(list(factors), outcome, cache.inputs_fingerprint())
        return cache.once("04_editions", key,
                          lambda: compare_editions(factors, outcome, EDITIONS))
    return {name: measurement_summary(load_codebook(path), factors, outcome)
            for name, path in editions.items()}


def editions_table(summaries: dict[str, dict], lang: str | None = None) -> pd.DataFrame:
    """The summaries as a table: one row per edition, the headline numbers as columns (outside
    English, the HTMT pair by the factors' names)."""
    lang = lang or current()
    names = {} if lang == SOURCE_LANGUAGE else factor_labels(lang)
    rows = {name: {"indicators": s["n_indicators"], "official": s["n_official"],
                   "secondary": s["n_secondary"], "negative weights": s["n_negative_weights"],
                   "largest HTMT": s["max_htmt"],
                   "HTMT pair": " – ".join(names.get(f, f) for f in s["max_htmt_pair"]),
                   "R²": s["r2"], "adjusted R²": s["adj_r2"]}
            for name, s in summaries.items()}
    return pd.DataFrame(rows).T.rename_axis("edition")
