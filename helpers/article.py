"""The article's published numbers, read from ``data/article/*.csv``.

Notebooks compare their results with these tables, never with numbers typed into a cell. Every
row says where in the article (Bulletin of KazUEFIT, 2023, No 4(53)) the number is printed.

* :func:`factors` — the six factors and the outcome, with the article's codes and names in three
  languages;
* :func:`table1` — Table 1, the factors' correlation ("multicollinearity") matrix, made symmetric;
* :func:`figure2` — the values printed with Figure 2 (Astana 14.2, Almaty 11.8 for "2023",
  R² = 0.8693);
* :func:`claims` — the article's checkable claims (e.g. "did not exceed 0.42");
* :func:`hypotheses` — H1–H3.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data import read_table
from helpers.paths import DATA

ARTICLE = DATA / "article"
FACTOR_IDS = ("social", "management", "economy", "law", "technology", "sustainability")


def _read(name: str, folder: Path | None = None) -> pd.DataFrame:
    return read_table((folder or ARTICLE) / name, (),
                      "The article's numbers live in data/article/.")


def factors(folder: Path | None = None) -> pd.DataFrame:
    """The six factors and the outcome.

    Columns: ``code_kk, id, name_<lang> (every language), role, location``.
    """
    return _read("factors.csv", folder)


def table1(folder: Path | None = None) -> pd.DataFrame:
    """Table 1 as a symmetric 6×6 matrix with factor ids as index and columns.

    The article prints the lower triangle; entry (i, j) = entry (j, i).
    """
    codes = factors(folder).set_index("code_kk")["id"]
    cells = _read("table1.csv", folder)
    matrix = pd.DataFrame(np.nan, index=list(FACTOR_IDS), columns=list(FACTOR_IDS))
    for row in cells.itertuples():
        i, j = codes[row.row_code], codes[row.col_code]
        matrix.loc[i, j] = matrix.loc[j, i] = float(row.value)
    if matrix.isna().any().any():
        raise ValueError(f"{ARTICLE / 'table1.csv'}: Table 1 is incomplete.")
    return matrix


def table1_offdiagonal(folder: Path | None = None) -> pd.Series:
    """The 15 distinct off-diagonal entries of Table 1, indexed by (row id, column id)."""
    m = table1(folder)
    pairs = [(a, b) for k, a in enumerate(FACTOR_IDS) for b in FACTOR_IDS[:k]]
    return pd.Series([m.loc[a, b] for a, b in pairs], index=pd.MultiIndex.from_tuples(pairs),
                     name="r")


def figure2(folder: Path | None = None) -> dict[str, float | str]:
    """Figure 2's printed values: ``astana``, ``almaty`` (%), ``year_label`` ('2023'), ``r2``."""
    rows = _read("figure2.csv", folder).set_index("key")
    return {
        "astana": float(rows.loc["innovation_activity_astana", "value"]),
        "almaty": float(rows.loc["innovation_activity_almaty", "value"]),
        "year_label": rows.loc["innovation_activity_astana", "year_label"],
        "r2": float(rows.loc["trend_r2", "value"]),
        "factor_influence": float(rows.loc["factor_influence", "value"]),
    }


def figure2_table(folder: Path | None = None) -> pd.DataFrame:
    """Figure 2's values as printed, with notes and locations."""
    return _read("figure2.csv", folder)


def claims(folder: Path | None = None) -> pd.DataFrame:
    """The checkable claims: ``id, text_en, value (float or NaN), comparison, location``."""
    df = _read("claims.csv", folder)
    df["value"] = pd.to_numeric(df["value"].replace("", np.nan))
    return df


def hypotheses(folder: Path | None = None) -> pd.DataFrame:
    """H1–H3: ``id, text_<lang>`` (the Kazakh text is the article's own quote), ``factors`` (list
    of ids), ``location``."""
    df = _read("hypotheses.csv", folder)
    df["factors"] = df["factors"].str.split(";")
    return df
