"""The survey instrument and the loader for real responses a class collects.

* :func:`instrument` — ``data/survey/instrument.csv``: 21 items (three per factor and three for
  the outcome) in Kazakh, Russian and English; :func:`scale` — the 5-point agreement scale;
* :func:`load_responses` — reads ``data/survey/<city>.csv`` (one row per respondent, column
  ``respondent`` then one column per item, answers 1..5, empty = no answer) and validates it:
  unknown or missing columns, duplicate respondents, answers out of range or not whole numbers,
  too many missing answers, straight-lining (the same answer to every item). Every problem is
  reported at once with its line, respondent and column. Lines starting with ``#`` are comments;
  a file whose comments say "synthetic" is refused (simulated answers never pass as real);
* :func:`load_source` — what notebook 07 analyses: ``"synthetic"`` (simulated on the fly from
  the reconstruction's specification and the seed, labelled synthetic) or a city's real
  responses;
* :func:`compare_cities` — when the analysed city and at least one other city have real
  responses, a multi-group analysis of their respondents, after MICOM steps 1-3
  (:func:`helpers.pls.micom`: whether the comparison may be read at all), with
  :func:`helpers.pls.estimate_pls_mga` (path differences with the permutation test and
  Henseler's PLS-MGA).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import Markdown

from helpers.pls import estimate_pls, estimate_pls_mga, micom
from helpers.registers.i18n import say
from helpers.registers.labels import check_language
from helpers.registers.paths import DATA, safe_slug
from helpers.registers.regions import analysis_regions, resolve_region
from helpers.steps.nb07_reconstruction import SYNTHETIC_NOTE, simulate_survey

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


def _how_to_collect(path: Path) -> str:
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


def load_responses(city_slug: str, folder: Path = SURVEY, practice: bool = False,
                   **rules) -> SurveyResponses:
    """Read and validate ``<folder>/<city_slug>.csv`` (or ``.xlsx``): our CSV, or a Google Forms
    or Microsoft Forms export in any language (:mod:`helpers.steps.nb07_survey_files` maps it);
    rules: see :func:`validate_responses`. ``reading`` says how the file was read and mapped.

    ``practice=True`` reads the class pack's simulated ``practice-<city_slug>.csv`` instead
    (from :data:`PRACTICE` unless ``folder`` is given) and requires its header to say
    :data:`PRACTICE_MARK`; without the flag a file so marked or so named is refused: practice
    answers are never a city's real answers."""
    # inside the function: it closes a cycle (nb07_survey <-> nb07_survey_files) reliab is to break
    from helpers.steps.nb07_survey_files import read_survey_file

    if practice:
        folder = PRACTICE if folder == SURVEY else folder
        path = folder / f"practice-{safe_slug(city_slug, 'city')}.csv"
    else:
        path = response_file(city_slug, folder)
    if not path.exists():
        raise FileNotFoundError(_how_to_collect(response_path(city_slug))
                                if folder == SURVEY else f"No survey responses at {path}.")
    if path.suffix == ".csv":
        head = path.read_bytes()[:65536].decode("utf-8", errors="replace")
        comments = [line for line in head.splitlines() if line.startswith("#")]
        marked = any(PRACTICE_MARK in line for line in comments)
        if practice != marked or (not practice and path.name.startswith("practice")):
            raise SurveyResponseError(
                f"{path}: practice answers (simulated for the class pack, headed "
                f"'{PRACTICE_MARK}') are loaded only with practice=True, and only they are"
                if practice else
                f"{path}: the file is labelled as practice data (simulated for the class "
                "pack); it is never a city's real answers (load it with practice=True).")
        if not practice and any("synthetic" in line.lower() for line in comments):
            raise SurveyResponseError(f"{path}: the file is labelled SYNTHETIC (simulated "
                                      "answers); only real responses may be placed in "
                                      "data/survey/.")
    canonical, reading, header_line = read_survey_file(path)
    result = validate_responses(canonical, where=str(path), header_line=header_line, **rules)
    return SurveyResponses(result.answers, result.checks, result.dropped, path, reading)


@dataclass(frozen=True)
class SurveyData:
    """What notebook 07 analyses: ``answers`` (respondent x item), the ``latent`` scores when
    the data are synthetic (None for real responses), and how to label them."""

    answers: pd.DataFrame
    latent: pd.DataFrame | None
    synthetic: bool
    source: str
    description: str
    checks: pd.DataFrame | None = None


def load_source(source: str, spec, seed: int, n: int | None = None,
                folder: Path = SURVEY) -> SurveyData:
    """``source = "synthetic"``: simulate ``n`` respondents from ``spec`` and ``seed``;
    otherwise ``source`` names a city (any spelling the region register knows) whose real
    responses in ``data/survey/<slug>.csv`` are loaded and validated."""
    if source == "synthetic":
        survey = simulate_survey(spec, seed, n)
        return SurveyData(survey.answers, survey.latent, True, source,
                          f"{SYNTHETIC_NOTE} n = {len(survey.answers)}, seed = {seed}.")

    slug = resolve_region(source).slug
    loaded = load_responses(slug, folder=folder)
    where = loaded.path
    if where.is_relative_to(DATA.parent):
        where = where.relative_to(DATA.parent)
    return SurveyData(loaded.answers, None, False, slug,
                      f"Real survey responses from {where}: "
                      f"n = {len(loaded.answers)} respondents.", loaded.checks)


def cities_with_responses(folder: Path = SURVEY) -> list[str]:
    """Slugs of the regions whose real responses are in ``<folder>/<slug>.csv`` (register
    order)."""
    return [r.slug for r in analysis_regions() if response_file(r.slug, folder).exists()]


@dataclass(frozen=True)
class CityComparison:
    """The multi-group analysis of notebook 07 (``mga`` is None when it could not run, and
    ``note`` says why)."""

    cities: list[str]
    mga: object | None
    note: str
    invariance: object | None = None  # MICOM steps 1-3 (helpers.pls.micom), run before the MGA

    @property
    def table(self) -> pd.DataFrame:
        """One row per (pair of cities, path): the two cities' paths, the difference and its
        p-values."""
        cols = ["group_1", "group_2", "path", "beta_1", "beta_2", "diff", "p_permutation",
                "p_henseler", "p_henseler_two_sided"]
        return self.mga.comparisons[cols] if self.mga is not None else pd.DataFrame(columns=cols)

    @property
    def invariance_table(self) -> pd.DataFrame:
        """MICOM's conclusion per pair of cities (steps 1-3), shown before the MGA's paths."""
        cols = ["group_1", "group_2", "invariance", "mga_readable", "reason"]
        if self.invariance is None:
            return pd.DataFrame(columns=cols)
        return self.invariance.conclusion[[c for c in cols
                                           if c in self.invariance.conclusion]]

    def sentence(self, lang: str | None = None) -> str:
        """On screen: MICOM's conclusion per pair before the path differences, or why no
        comparison ran."""
        if self.invariance is None:
            return self.note
        return " ".join(say(f"survey.micom_{r.invariance}", lang, a=r.group_1, b=r.group_2,
                            reason=getattr(r, "reason", ""))
                        for r in self.invariance.conclusion.itertuples())

    def exhibits(self, lang: str | None = None) -> list:
        """What notebook 07 displays: the sentence (Markdown), then MICOM's table and the MGA's
        path differences when the comparison ran."""
        shown = [Markdown(self.sentence(lang))]
        if self.invariance is not None:
            shown.append(self.invariance_table)
        if self.mga is not None:
            shown.append(self.table.round(3))
        return shown

    def record(self) -> dict:
        """JSON-ready: cities, note, and (when run) the comparisons, MICOM step 2, group sizes
        and settings."""
        out = {"cities": self.cities, "ran": self.mga is not None, "note": self.note}
        if self.mga is not None:
            out.update(groups=self.mga.groups["n_obs"].astype(int).to_dict(),
                       comparisons=self.table.to_dict(orient="records"),
                       micom=self.mga.micom.to_dict(orient="records"),
                       settings={k: str(v) for k, v in self.mga.settings.items()})
        if self.invariance is not None:
            inv = self.invariance
            out["measurement_invariance"] = {
                "conclusion": inv.conclusion.to_dict(orient="records"),
                "step1_failed": inv.step1[~inv.step1.passed].to_dict(orient="records"),
                "step2": inv.step2.to_dict(orient="records"),
                "step3": inv.step3.to_dict(orient="records")}
        return out


def compare_cities(source: str, model, n_boot: int, seed: int, n_perm: int | None = None,
                   folder: Path = SURVEY) -> CityComparison:
    """Compare the respondents of ``source`` with those of every other city that has a
    response file in ``folder``: the model estimated per city, every pair of cities tested
    (``n_boot`` resamples per city, ``n_perm`` permutations per pair, default ``n_boot``; all
    from ``seed``).  Synthetic data are never compared with real answers: with
    ``source = "synthetic"`` or fewer than two cities with responses, nothing is estimated."""
    if source == "synthetic":
        return CityComparison([], None, "No comparison of cities: the answers analysed are "
                              "synthetic. Run with source = a city whose respondents are in "
                              "data/survey/<city>.csv; every other city with a response file is "
                              "then compared with it.")
    cities = cities_with_responses(folder)
    if source not in cities or len(cities) < 2:
        return CityComparison(cities, None, f"No comparison of cities: responses for {cities} "
                              "only; a multi-group analysis needs the analysed city and at least "
                              "one other city with a response file in data/survey/.")
    frames = [load_responses(c, folder=folder).answers.assign(city=c) for c in cities]
    pooled = pd.concat(frames, ignore_index=True)
    fit = estimate_pls(pooled, model)
    invariance = micom(fit, "city", data=pooled, n_perm=n_boot if n_perm is None else n_perm,
                       seed=seed)
    mga = estimate_pls_mga(fit, "city", data=pooled, n_boot=n_boot,
                           n_perm=n_boot if n_perm is None else n_perm, seed=seed)
    sizes = ", ".join(f"{c} n = {mga.groups.loc[c, 'n_obs']}" for c in cities)
    readable = invariance.conclusion
    verdicts = "; ".join(f"{r.group_1} vs {r.group_2}: {r.invariance} measurement invariance"
                         + ("" if r.mga_readable else " (their path differences must not be "
                            "read)") for r in readable.itertuples())
    return CityComparison(cities, mga, f"Real survey responses of {len(cities)} cities "
                          f"({sizes}), the model estimated for each city and every pair "
                          f"compared. MICOM: {verdicts}.", invariance)

