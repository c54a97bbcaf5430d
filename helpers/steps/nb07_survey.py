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

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from helpers.pls import estimate_pls, estimate_pls_mga, micom
from helpers.registers import i18n
from helpers.registers.i18n import Message, say
from helpers.registers.labels import LANGUAGES, factor_labels
from helpers.registers.paths import DATA, safe_slug
from helpers.registers.regions import analysis_regions, region_by_slug
from helpers.steps.nb07_reconstruction import path_names, simulate_survey
from helpers.steps.nb07_survey_files import read_survey_file

# ID_COLUMN, INSTRUMENT, SCALE, instrument, questionnaire and scale are re-exported: notebook 07,
# the class pack and the tests read the survey's whole surface from this module
from helpers.steps.nb07_survey_instrument import (
    ID_COLUMN,  # noqa: F401
    INSTRUMENT,  # noqa: F401
    PRACTICE,
    PRACTICE_MARK,
    SCALE,  # noqa: F401
    SURVEY,
    SurveyResponseError,
    SurveyResponses,
    how_to_collect,
    instrument,  # noqa: F401
    questionnaire,  # noqa: F401
    response_file,
    response_path,
    scale,  # noqa: F401
    validate_responses,
)


def load_responses(city_slug: str, folder: Path = SURVEY, practice: bool = False,
                   **rules) -> SurveyResponses:
    """Read and validate ``<folder>/<city_slug>.csv`` (or ``.xlsx``): our CSV, or a Google Forms
    or Microsoft Forms export in any language (:mod:`helpers.steps.nb07_survey_files` maps it);
    rules: see :func:`validate_responses`. ``reading`` says how the file was read and mapped.

    ``practice=True`` reads the class pack's simulated ``practice-<city_slug>.csv`` instead
    (from :data:`PRACTICE` unless ``folder`` is given) and requires its header to say
    :data:`PRACTICE_MARK`; without the flag a file so marked or so named is refused: practice
    answers are never a city's real answers."""
    if practice:
        folder = PRACTICE if folder == SURVEY else folder
        path = folder / f"practice-{safe_slug(city_slug, 'city')}.csv"
    else:
        path = response_file(city_slug, folder)
    if not path.exists():
        raise FileNotFoundError(how_to_collect(response_path(city_slug))
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
    said: Message | None = None

    def describe(self, lang: str | None = None) -> str:
        """:attr:`description` (English) written in ``lang``."""
        return self.said.text(lang) if self.said is not None else self.description


def load_source(source: str, spec, seed: int, n: int | None = None,
                folder: Path = SURVEY) -> SurveyData:
    """``source = "synthetic"``: simulate ``n`` respondents from ``spec`` and ``seed``;
    otherwise ``source`` is a city (its Region or slug, as ``setup`` resolved it) whose real
    responses in ``data/survey/<slug>.csv`` are loaded and validated."""
    if source == "synthetic":
        survey = simulate_survey(spec, seed, n)
        said = Message("survey.synthetic", n=len(survey.answers), seed=str(seed))
        return SurveyData(survey.answers, survey.latent, True, source, said.text("en"),
                          said=said)

    slug = region_by_slug(source).slug
    loaded = load_responses(slug, folder=folder)
    where = loaded.path
    if where.is_relative_to(DATA.parent):
        where = where.relative_to(DATA.parent)
    said = Message("survey.real", where=str(where), n=len(loaded.answers))
    return SurveyData(loaded.answers, None, False, slug, said.text("en"), loaded.checks, said)


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
    said: Message | None = None  # the note as a catalogue sentence (written in any language)

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
            return self.said.text(lang) if self.said is not None else self.note
        lang = lang or i18n.current()
        return " ".join(say(f"survey.micom_{r.invariance}", lang, a=_city_name(r.group_1, lang),
                            b=_city_name(r.group_2, lang), reason=reason)
                        for r, reason in zip(self.invariance.conclusion.itertuples(),
                                             self.reasons(lang), strict=True))

    def reasons(self, lang: str | None = None) -> list[str]:
        """MICOM's reason for each pair of cities in ``lang``: the engine's own sentence in
        English; in another language written from its steps' tables (which constructs failed
        step 2, which differ in mean or variance in step 3; a step-1 failure names the cities,
        its details stay in the record)."""
        lang = lang or i18n.current()
        conclusion = self.invariance.conclusion
        if lang == "en" or not hasattr(self.invariance, "step2"):
            return [getattr(r, "reason", "") for r in conclusion.itertuples()]
        return [_reason(self.invariance, r, lang) for r in conclusion.itertuples()]

    def exhibits(self, lang: str | None = None) -> list:
        """What notebook 07 displays: the sentence (Markdown), then MICOM's table and the MGA's
        path differences when the comparison ran, for reading in ``lang`` (cities by name,
        paths by the article's codes, the invariance levels and headers translated)."""
        shown = [Markdown(self.sentence(lang))]
        if self.invariance is not None:
            table = self.invariance_table.copy()
            if "reason" in table:
                table["reason"] = self.reasons(lang)
            shown.append(comparison_shown(table, lang))
        if self.mga is not None:
            shown.append(comparison_shown(self.table.round(3), lang))
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
        return _without_comparison([], Message("survey.no_comparison_synthetic"))
    cities = cities_with_responses(folder)
    if source not in cities or len(cities) < 2:
        listed = {lang: str(cities) if lang == "en" else i18n.join(
            [_city_name(c, lang) for c in cities], lang) or "—" for lang in LANGUAGES}
        return _without_comparison(cities, Message("survey.no_comparison_alone", cities=listed))
    frames = [load_responses(c, folder=folder).answers.assign(city=c) for c in cities]
    pooled = pd.concat(frames, ignore_index=True)
    fit = estimate_pls(pooled, model)
    invariance = micom(fit, "city", data=pooled, n_perm=n_boot if n_perm is None else n_perm,
                       seed=seed)
    mga = estimate_pls_mga(fit, "city", data=pooled, n_boot=n_boot,
                           n_perm=n_boot if n_perm is None else n_perm, seed=seed)
    said = Message("survey.compared", n=len(cities),
                   sizes=_in_every_language(lambda lang: ", ".join(
                       f"{_city_name(c, lang)} n = {mga.groups.loc[c, 'n_obs']}" for c in cities)),
                   verdicts=_in_every_language(lambda lang: "; ".join(
                       say(f"survey.invariance_{r.invariance}"
                           + ("" if r.mga_readable else "_unread"), lang,
                           a=_city_name(r.group_1, lang), b=_city_name(r.group_2, lang))
                       for r in invariance.conclusion.itertuples())))
    return CityComparison(cities, mga, said.text("en"), invariance, said)


def _reason(invariance, row, lang: str) -> str:
    """One pair's MICOM reason in ``lang``, from the steps' tables of ``invariance``."""
    names = factor_labels(lang)

    def of_pair(table: pd.DataFrame) -> pd.DataFrame:
        return table[(table["group_1"] == row.group_1) & (table["group_2"] == row.group_2)]

    step2, step3 = of_pair(invariance.step2), of_pair(invariance.step3)
    if row.invariance == "no" and step2.empty:  # step 1 failed: no permutation was run
        failed = invariance.step1.loc[~invariance.step1["passed"], "group"]
        return say("survey.reason_step1", lang, cities=[
            _city_name(g, lang) for g in dict.fromkeys(failed) if g in (row.group_1, row.group_2)])
    if row.invariance == "no":
        return say("survey.reason_step2", lang, constructs=[
            names.get(c, c) for c in step2.loc[~step2["compositional_invariance"], "construct"]])
    if row.invariance == "partial":
        unequal = step3[~(step3["equal_means"] & step3["equal_variances"])]
        return say("survey.reason_step3", lang, constructs=[
            say("survey.unequal_" + ("both" if not (r.equal_means or r.equal_variances) else
                                     "mean" if not r.equal_means else "variance"), lang,
                construct=names.get(r.construct, r.construct)) for r in unequal.itertuples()])
    return say("survey.reason_full", lang)


def _city_name(slug: str, lang: str) -> str:
    """A city's slug as the record keeps it (English) or its name (other languages)."""
    return slug if lang == "en" else region_by_slug(slug).name(lang)


def _in_every_language(write) -> dict[str, str]:
    """``{lang: write(lang)}`` for every language: a part of a note that is itself a list."""
    return {lang: write(lang) for lang in LANGUAGES}


def _without_comparison(cities: list[str], said: Message) -> CityComparison:
    return CityComparison(cities, None, said.text("en"), said=said)


COMPARISON_WORDS = ("group_1", "group_2", "path", "beta_1", "beta_2", "diff", "p_permutation",
                    "p_henseler", "p_henseler_two_sided", "invariance", "mga_readable", "reason",
                    "full", "partial", "no")
"""The English words of the comparison's tables (labels ``tab_<word>`` in data/labels.csv)."""


def comparison_shown(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """MICOM's or the MGA's table for reading in ``lang``: cities by name, paths by the article's
    codes, the words of :data:`COMPARISON_WORDS`, numbers the language's way."""
    return i18n.shown(table, lang or i18n.current(), COMPARISON_WORDS, names=path_names(),
                      places=True)

