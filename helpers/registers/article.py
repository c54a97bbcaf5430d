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

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.registers.data import read_table
from helpers.registers.paths import DATA

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
    """H1–H3: ``id, text_<lang>`` (the Kazakh text is the article's own quote), ``factors`` (this
    study's mapping of each hypothesis to factors — the article names none; a list
    of ids), ``location``."""
    df = _read("hypotheses.csv", folder)
    df["factors"] = df["factors"].str.split(";")
    return df


# ----------------------------------------------------------------------------------------------
# Maintenance: check data/article against a copy of the article's text
# ----------------------------------------------------------------------------------------------
# The article carries no licence, so the repository keeps only short marked quotations and the
# numbers, each with its place in the text (``article-kk.txt line N``). Whoever holds a copy of
# the text can check them: ``python -m helpers.registers.article --verify-against PATH``.

_LINES = re.compile(r"article-kk\.txt lines? (\d+)(?:\s*[-–]\s*(\d+))?")


def _flat(text: str) -> str:
    """Whitespace collapsed and words hyphenated across a line break joined ('қабыл-\\nдауға')."""
    return " ".join(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text).split())


def _window(lines: list[str], location: str) -> str:
    """The text of the lines a ``location`` names (one line of slack each side), or all of it."""
    match = _LINES.search(location or "")
    if not match:
        return _flat("\n".join(lines))
    first = int(match.group(1))
    last = int(match.group(2) or first)
    return _flat("\n".join(lines[max(first - 2, 0):last + 1]))


def _kk_number(value: float) -> str:
    """A number as the Kazakh text prints it: decimal comma (0.8693 → '0,8693')."""
    return f"{value:g}".replace(".", ",")


def verify_against(text: str, folder: Path | None = None) -> list[str]:
    """Problems found comparing ``data/article`` with the article's ``text`` (empty: all agree).

    Checked: every Table 1 row as printed; every number of ``figure2.csv`` and ``claims.csv`` and
    every quotation of ``city_statements.csv`` and ``hypotheses.csv`` on the lines its
    ``location`` names; every reference of ``definitions.csv`` and ``timeline.csv`` cited.
    """
    problems: list[str] = []
    lines = text.splitlines()
    flat = _flat(text)
    codes = dict(zip(factors(folder).code_kk.str.upper(), factors(folder).id, strict=True))
    matrix = table1(folder)
    rows = re.findall(r"^(ӘО|ҚМ|ҚЭ|З|Т|ТҚ)((?: 0,\d{3})*) 1 *$", text, flags=re.M)
    if len(rows) != 6:
        problems.append(f"Table 1: found {len(rows)} of its 6 rows in the text.")
    for code, numbers in rows:
        printed = [float(x.replace(",", ".")) for x in numbers.split()]
        row = codes[code]
        ours = [float(matrix.loc[row, c]) for c in FACTOR_IDS[: len(printed)]]
        if printed != ours:
            problems.append(f"Table 1 row {code}: the text prints {printed}, table1.csv has "
                            f"{ours}.")
    numbered = [("figure2.csv", r.key, r.value, r.location)
                for r in figure2_table(folder).itertuples()]
    numbered += [("claims.csv", r.id, r.value, r.location) for r in claims(folder).itertuples()
                 if pd.notna(r.value)]
    for file, key, value, location in numbered:
        if _kk_number(float(value)) not in _window(lines, location):
            problems.append(f"{file} {key}: {_kk_number(float(value))} is not printed where "
                            f"{location!r} says.")
    quoted = [("city_statements.csv", r.id, r.quote_kk, r.location)
              for r in _read("city_statements.csv", folder).itertuples()]
    quoted += [("hypotheses.csv", r.id, r.text_kk, r.location)
               for r in hypotheses(folder).itertuples()]
    for file, key, quote, location in quoted:
        window = _window(lines, location)
        for part in re.split(r"…|\.\.\.", _flat(quote).strip("«»\"' ")):
            part = part.strip(" .,;")
            if part and part not in window and part not in flat:
                problems.append(f"{file} {key}: the quotation {part[:60]!r}… is not in the text.")
            elif part and part not in window:
                problems.append(f"{file} {key}: the quotation {part[:60]!r}… is in the text but "
                                f"not where {location!r} says.")
    refs = set(_read("definitions.csv", folder)["ref"]) | set(_read("timeline.csv", folder)["ref"])
    for ref in sorted(r for r in refs if r):
        if ref not in flat:
            problems.append(f"reference {ref} (definitions/timeline) is not cited in the text.")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.registers.article",
        description="Check data/article (numbers, quotations, Table 1, references) against a copy "
                    "of the article's text; the text itself is not part of the repository.")
    parser.add_argument("--verify-against", type=Path, required=True, metavar="PATH",
                        help="the article's text (article-kk.txt)")
    args = parser.parse_args(argv)
    if not args.verify_against.is_file():
        parser.error(f"{args.verify_against} is not a file.")
    problems = verify_against(args.verify_against.read_text(encoding="utf-8"))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"data/article agrees with {args.verify_against}.")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
