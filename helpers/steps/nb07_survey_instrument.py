"""The survey instrument and the rules a file of responses must meet (notebook 07).

* :func:`instrument` — ``data/survey/instrument.csv``: 21 items (three per factor and three for
  the outcome) in Kazakh, Russian and English; :func:`scale` — the 5-point agreement scale;
  :func:`questionnaire` — the items as a respondent reads them;
* :func:`validate_responses` — the checks every response table passes before it is analysed
  (see :mod:`helpers.steps.nb07_survey` for the loader, and
  :mod:`helpers.steps.nb07_survey_files` for reading form exports; both build on this module).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.registers.labels import check_language
from helpers.registers.paths import DATA, safe_slug

SURVEY = DATA / "survey"
PRACTICE = SURVEY / "practice"
"""Practice responses for the class pack (``practice-<city>.csv``, simulated, headed PRACTICE)."""
PRACTICE_MARK = "PRACTICE DATA"
INSTRUMENT = SURVEY / "instrument.csv"
SCALE = SURVEY / "scale.csv"
ID_COLUMN = "respondent"


class SurveyResponseError(ValueError):
    """A response file the study refuses; the message lists every problem found."""


def instrument(path: Path = INSTRUMENT) -> pd.DataFrame:
    """The survey items: ``item, construct, code_kk, order, hypothesis`` and ``text_<lang>`` for
    every language (one row per item, in questionnaire order)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["order"] = df["order"].astype(int)
    return df.sort_values("order").reset_index(drop=True)


def scale(path: Path = SCALE) -> pd.DataFrame:
    """The answer scale: ``value`` (1..5) with its ``label_<lang>`` in every language."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["value"] = df["value"].astype(int)
    return df


def questionnaire(lang: str = "en") -> pd.DataFrame:
    """The items as a respondent sees them in ``lang``: number, item code, statement."""
    check_language(lang)
    items = instrument()
    return pd.DataFrame({"item": items["item"].to_numpy(),
                         "statement": items[f"text_{lang}"].to_numpy()},
                        index=pd.Index(items["order"].to_numpy(), name="no."))


def response_path(city_slug: str) -> Path:
    """``data/survey/<slug>.csv`` for a city's real responses."""
    return SURVEY / f"{safe_slug(city_slug, 'city')}.csv"


def how_to_collect(path: Path) -> str:
    rel = path.relative_to(DATA.parent)
    return (f"No survey responses at {rel}. To analyse a city's real responses, field the "
            f"questionnaire in data/survey/instrument.csv (items and the 5-point scale in "
            f"data/survey/scale.csv; Kazakh, Russian or English), then save the answers as {rel}: "
            f"a CSV with the column '{ID_COLUMN}' and one column per item code (SOC1 ... ADA3), "
            "one row per respondent, answers 1-5, empty cell = no answer. See "
            "data/survey/README.md. Or run with source = 'synthetic'.")


@dataclass(frozen=True)
class SurveyResponses:
    """Validated responses: ``answers`` (respondent x item, float, NaN = no answer), the list of
    ``checks`` passed, and respondents ``dropped`` (with the reason) under a ``drop`` policy."""

    answers: pd.DataFrame
    checks: pd.DataFrame
    dropped: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    reading: object | None = None
    """How the file was read (:class:`helpers.steps.nb07_survey_files.Reading`): kind, separator,
    mapping."""


def _problem_list(problems: list[str], limit: int = 12) -> str:
    shown = problems[:limit]
    more = len(problems) - len(shown)
    return "\n  - " + "\n  - ".join(shown) + (f"\n  ... and {more} more" if more > 0 else "")


def validate_responses(raw: pd.DataFrame, items: list[str] | None = None, points: int = 5,
                       max_missing: float = 0.2, straightlining: str = "error",
                       min_respondents: int = 20, where: str = "responses",
                       header_line: int = 1) -> SurveyResponses:
    """Validate a table of raw responses (strings as read from CSV) against the instrument.

    Rules: the columns are ``respondent`` and exactly the instrument's item codes; respondent ids
    are present and unique; every answer is empty or a whole number 1..``points``; a respondent
    may skip at most ``max_missing`` of the items (skipped answers are later mean-replaced by
    the PLS estimation), and no item may be skipped by everyone; a respondent who gives the same
    answer to every item (straight-lining) is an error, or is dropped when
    ``straightlining="drop"``; at least ``min_respondents`` respondents remain. Lines are
    counted as a spreadsheet shows them (the header on ``header_line``, 1 without comments).
    """
    if straightlining not in ("error", "drop"):
        raise ValueError(f"straightlining must be 'error' or 'drop', got {straightlining!r}")
    items = list(instrument()["item"]) if items is None else list(items)
    cols = [str(c).strip() for c in raw.columns]
    problems: list[str] = []
    twice = sorted({c for c in cols if cols.count(c) > 1})
    if twice:
        problems.append(f"column(s) {twice} appear more than once in the header")
    if ID_COLUMN not in cols:
        problems.append(f"no '{ID_COLUMN}' column (the first column must hold respondent ids)")
    unknown = [c for c in cols if c != ID_COLUMN and c not in items]
    for c in unknown:
        near = difflib.get_close_matches(c.upper().replace("0", "O"), items, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        problems.append(f"unknown column {c!r}{hint}: not an item of the instrument")
    absent = [i for i in items if i not in cols]
    if absent:
        problems.append(f"item column(s) {absent} missing; the instrument has {items}")
    if problems:
        raise SurveyResponseError(f"{where}: the header does not match the instrument "
                                  f"(valid columns: {ID_COLUMN}, {', '.join(items)}):"
                                  + _problem_list(problems))
    raw = raw.copy()
    raw.columns = cols
    if raw.empty:
        raise SurveyResponseError(f"{where}: the file has a header but no respondents.")
    ids = raw[ID_COLUMN].astype(str).str.strip()
    line = pd.Series(np.arange(header_line + 1, header_line + 1 + len(raw)), index=raw.index)
    for k in raw.index[ids == ""]:
        problems.append(f"line {line[k]}: empty respondent id")
    for rid in sorted(set(ids[ids.duplicated() & (ids != "")])):
        lines = ", ".join(str(v) for v in line[ids == rid])
        problems.append(f"respondent {rid!r} appears on lines {lines}")

    cells = raw[items].astype(str).apply(lambda s: s.str.strip())
    cells = cells.mask(cells.isin(["", "nan", "NaN", "NA"]))
    numbers = cells.apply(pd.to_numeric, errors="coerce")
    bad = cells.notna() & ~(numbers.isin(range(1, points + 1)))
    for k, c in zip(*np.nonzero(bad.to_numpy()), strict=True):
        idx = raw.index[k]
        problems.append(f"line {line[idx]}, respondent {ids[idx]!r}, column {items[c]}: "
                        f"{cells.iat[k, c]!r} is not an answer 1-{points} (leave the cell empty "
                        "for no answer)")
    answers = numbers.where(~bad).astype(float)

    share = answers.isna().mean(axis=1)
    for idx in raw.index[share > max_missing]:
        skipped = int(answers.loc[idx].isna().sum())
        problems.append(f"line {line[idx]}, respondent {ids[idx]!r}: {skipped} of {len(items)} "
                        f"answers missing (at most {max_missing:.0%} allowed)")
    for item in answers.columns[answers.isna().all()]:
        problems.append(f"column {item}: nobody answered this item")

    answered = answers.notna().sum(axis=1)
    flat = (answers.nunique(axis=1) == 1) & (answered >= len(items) // 2)
    dropped: dict[str, str] = {}
    if flat.any():
        if straightlining == "error":
            for idx in raw.index[flat]:
                value = int(answers.loc[idx].dropna().iloc[0])
                problems.append(f"line {line[idx]}, respondent {ids[idx]!r}: straight-lining (the "
                                f"answer {value} to every item); remove the row or load with "
                                "straightlining='drop'")
        else:
            dropped = {ids[idx]: "straight-lining" for idx in raw.index[flat]}
    if problems:
        raise SurveyResponseError(f"{where}: {len(problems)} problem(s) found:"
                                  + _problem_list(problems))
    answers.index = pd.Index(ids, name=ID_COLUMN)
    answers = answers.loc[~flat.to_numpy()]
    if len(answers) < min_respondents:
        raise SurveyResponseError(f"{where}: only {len(answers)} usable respondents; at least "
                                  f"{min_respondents} are needed to estimate the model (and "
                                  "about 60 by the ten-times rule for six paths).")
    checks = pd.DataFrame({
        "check": ["columns match the instrument", "respondent ids unique",
                  f"answers whole numbers 1-{points}", f"missing answers <= {max_missing:.0%} "
                  "per respondent", "straight-lining", "respondents"],
        "result": ["ok", "ok", "ok",
                   f"ok ({int(answers.isna().sum().sum())} missing cells, mean-replaced in PLS)",
                   f"{len(dropped)} dropped" if dropped else "none",
                   str(len(answers))],
    })
    return SurveyResponses(answers, checks, dropped)


def response_file(city_slug: str, folder: Path = SURVEY) -> Path:
    """``<folder>/<slug>.csv``, or ``<slug>.xlsx`` when only a workbook is there."""
    slug = safe_slug(city_slug, "city")
    csv_path, workbook = folder / f"{slug}.csv", folder / f"{slug}.xlsx"
    return workbook if workbook.exists() and not csv_path.exists() else csv_path
