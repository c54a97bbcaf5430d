"""The reading edition: a static site of the executed study (Jupyter Book 1: Sphinx + myst-nb),
in three editions, English, Kazakh and Russian, with a language switch on every page.

    make study && make site                 # build/site/_build/html/index.html (+ kk/, ru/)
    python -m helpers.site --root /tmp/study --out /tmp/site --edition kk=/tmp/study-kk

It reads what runs of the study left under their output roots (``reports/<slug>/*.ipynb`` and
their JSON, ``figures/``) and never executes a notebook itself: the English edition from the run
under ``--root``, each other edition from a run of the translated notebooks with ``lang`` = that
language (``make site`` makes them in ``build/study-kk`` and ``build/study-ru``). Each edition is
a book of its own, built offline into ``<out>/_build/html`` (English) and
``<out>/_build/html/<lang>``:

* a landing page (what the article claims, what the study finds - the verdict table from the
  national reproduction report -, the cities with their key figures, how to re-run, how to cite)
  and the reproduction report; their words are data in ``book/text.yaml`` and the computed
  sentences templates in ``data/i18n/sentences.csv`` (:mod:`helpers.registers.i18n`);
* the national notebooks and one section per city that was run, each page with launch links
  (Binder, JupyterLab); figures as the SVG exhibits the notebooks show;
* the data sources with provenance (:mod:`helpers.site.sources_page`: ``data/SOURCES.md`` in
  English, the same provenance table by table in the other editions), the PLS-SEM engine's
  validation against R seminr (computed when the site is built) and what it follows of SmartPLS,
  a bibliography from ``book/references.bib`` (these two with their prose in each language,
  ``book/text.yaml`` ``pages``), and the printable survey form (:mod:`helpers.site.survey_form`);
* the Class section (:mod:`helpers.classpack.site`) in each language;
* the theme's own labels in the edition's language (:mod:`helpers.site.theme_locale`,
  ``book/locale``);
* in the Kazakh and Russian editions, a footer saying the translations are the project's own and
  where to correct them (the ``.po`` file, the sentence catalogue).
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers.classpack import site as class_site
from helpers.plots.figures import FIGURE_OUTPUT, PALETTE
from helpers.registers import i18n, paths
from helpers.registers.article import factors
from helpers.registers.i18n import say
from helpers.registers.labels import label
from helpers.registers.regions import region_by_slug, study_cities
from helpers.run.runner import notebook_names
from helpers.run.translate import po_path
from helpers.site import sources_page, survey_form, theme_locale
from helpers.site.words import (  # noqa: F401 (re-exported: the site's words)
    BOOK,
    LANGS,
    TEXT,
    BookError,
    text,
    word,
)

BIB = BOOK / "references.bib"
REPORT = "08_reproduction_report"
SURVEY_FORM = "survey-form.html"
# How each verdict word counts in the summary sentence (both vocabularies the project has used).
VERDICT_CLASS = {"reproduced": "ok", "consistent": "ok", "differs": "bad", "inconsistent": "bad",
                 "inconclusive": "unclear", "cannot be checked": "none", "not checkable": "none"}
VERDICT_ROLES = {"ok": "confirmed_light", "bad": "not_confirmed_light", "unclear": "note",
                 "none": "panel"}
"""The palette role (:data:`helpers.registers.palette.PALETTE`) of each kind of verdict."""


# ----------------------------------------------------------------------------------------------
# Words (book/text.yaml: helpers.site.words)
# ----------------------------------------------------------------------------------------------

def ui(key: str, lang: str) -> str:
    return word("ui", key, lang)


def number(value: Any, lang: str) -> str:
    """A value as the page shows it, numbers written the language's way by Babel (decimal comma
    in Kazakh and Russian)."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return i18n.number(value, lang, ".4g" if abs(value) < 1e4 else ",")
    if isinstance(value, (list, tuple)):
        return "; ".join(number(v, lang) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {number(v, lang)}" for k, v in value.items())
    if isinstance(value, str) and value in i18n.data_texts():  # a data text ("6 of 6")
        return i18n.translated(value, lang)
    return str(value)


def verdict_word(verdict: str, lang: str) -> str:
    if verdict not in text()["verdicts"]:
        raise BookError(f"the reproduction report's verdict {verdict!r} has no translation in "
                        f"book/text.yaml (verdicts: {', '.join(text()['verdicts'])}).")
    return text()["verdicts"][verdict][lang]


def verdict_class(verdict: str) -> str:
    if verdict not in VERDICT_CLASS:
        raise BookError(f"unknown verdict {verdict!r}; helpers/site/book.py knows "
                        f"{', '.join(VERDICT_CLASS)}.")
    return VERDICT_CLASS[verdict]


def verdict_colour(verdict: str) -> str:
    return PALETTE[VERDICT_ROLES[verdict_class(verdict)]]


def claim_text(claim: dict, lang: str) -> str:
    """The claim in ``lang``: its own entry in ``text.yaml``, or the Table 1 template."""
    if lang == "en":
        return str(claim["claim"])
    claims = text()["claims"]
    match = re.fullmatch(r"T1-(.+)-(.+)", claim["id"])
    if claim["id"] in claims:
        return claims[claim["id"]][lang]
    if match:
        return claims["T1"][lang].format(row=match[1], col=match[2],
                                         article=number(claim.get("article"), lang))
    raise BookError(f"claim {claim['id']!r} has no translation in book/text.yaml (claims:); add "
                    f"its en, kk and ru text.")


def reason_text(claim: dict, lang: str) -> str:
    """Why the claim got its verdict, in ``lang``: the reason notebook 08 recorded as a catalogue
    sentence (the claim's ``message``, :meth:`helpers.registers.i18n.Message.as_dict`), written
    in the edition's language; English is the record's own ``reason``."""
    if lang == "en":
        return str(claim.get("reason", ""))
    return recorded_sentence(claim, "message", "reason", lang)


def recorded_sentence(claim: dict, key: str, what: str, lang: str) -> str:
    """The catalogue sentence notebook 08 recorded under the claim's ``key`` (a
    :meth:`helpers.registers.i18n.Message.as_dict`), written in ``lang``; a report written before
    the key existed stops the build, naming the claim and what to re-run."""
    if not isinstance(claim.get(key), dict):
        raise BookError(f"claim {claim.get('id')!r} of the reproduction report has no {key!r} "
                        f"(its {what} as a catalogue sentence), so the {what} cannot be written "
                        f"in {lang!r}: re-run notebook 08 (`python -m helpers.run --notebooks 08`)"
                        " with the current code.")
    return i18n.written(claim[key], lang)


def summary_sentence(claims: list[dict], lang: str, differing: bool = True) -> str:
    """The counts in one sentence, and (``differing``) the ids of the claims that differ."""
    classes = [verdict_class(c["verdict"]) for c in claims]
    ids = [c["id"] for c in claims if verdict_class(c["verdict"]) == "bad"]
    sentence = say("site.summary", lang, n=len(claims), n_ok=classes.count("ok"),
                   n_bad=classes.count("bad"), n_unclear=classes.count("unclear"),
                   n_none=classes.count("none"))
    if differing:
        sentence = " ".join([sentence, say("site.differing", lang,
                                           differing=", ".join(ids) or say("word.none", lang))])
    return sentence


def counts_badges(claims: list[dict], lang: str) -> str:
    """The number of claims per verdict as coloured badges (the report's verdict words)."""
    seen: dict[str, int] = {}
    for c in claims:
        seen[c["verdict"]] = seen.get(c["verdict"], 0) + 1
    return '<p class="badges">' + " ".join(
        f'<span class="vbadge" style="background:{verdict_colour(v)}">'
        f"{_esc(verdict_word(v, lang))}: <b>{n}</b></span>"
        for v, n in sorted(seen.items(), key=lambda item: "ok bad unclear none".split().index(
            verdict_class(item[0])))) + "</p>"


# ----------------------------------------------------------------------------------------------
# What the run left
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """The output root of a study run: its executed notebooks and their JSON."""

    root: Path

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def notebooks(self, slug: str) -> list[str]:
        """The executed notebooks of ``slug``, in the contract's run order."""
        folder = self.reports / slug
        return [n for n in notebook_names() if (folder / f"{n}.ipynb").exists()]

    def cities(self) -> list[str]:
        """The folders of per-city runs: the study's five first (in the article's order), then
        any other region that was run, then survey runs."""
        found = {p.name for p in self.reports.iterdir() if p.is_dir()
                 and p.name != paths.NATIONAL and self.notebooks(p.name)}
        first = [r.slug for r in study_cities() if r.slug in found]
        return first + sorted(found - set(first))

    def json(self, notebook: str, slug: str = paths.NATIONAL) -> dict:
        path = self.reports / slug / f"{notebook}.json"
        if not path.exists():
            raise BookError(f"{path} is missing: run the study first (`make study`).")
        return json.loads(path.read_text(encoding="utf-8"))["results"]


def place_name(slug: str, lang: str) -> str:
    survey = slug.startswith("survey-")
    try:
        name = region_by_slug(slug.removeprefix("survey-")).name(lang)
    except Exception:  # a folder that is not a region: show it as it is
        return slug
    return f"{name} (survey)" if survey else name


def factor_name(factor: str, lang: str) -> str:
    table = factors()
    row = table.loc[(table["id"] == factor) | (table["code_kk"] == factor)]
    return str(row.iloc[0][f"name_{lang}"]) if len(row) else str(factor)


# ----------------------------------------------------------------------------------------------
# Pages
# ----------------------------------------------------------------------------------------------

def _esc(value: Any) -> str:
    return html.escape(str(value))


def language_switch(page: str, lang: str, pages: dict[str, set[str]]) -> str:
    """Links to the same page in the other editions (``page``: its path in an edition, such as
    ``cities/almaty/04_pls_estimation.html``); an edition without that page gets a link to its
    landing page. Each edition is a book of its own: the English at the site's root, the others
    in ``<lang>/``."""
    depth = page.count("/")
    here = "" if lang == "en" else "../"

    def hop(code: str) -> str:
        return here + ("" if code == "en" else f"{code}/")

    items = []
    for code in LANGS:
        name = _esc(text()["languages"][code])
        if code == lang:
            items.append(f"<b>{name}</b>")
            continue
        target = page if page in pages.get(code, set()) else "index.html"
        items.append(f'<a class="edition" hreflang="{code}" '
                     f'href="{"../" * depth}{hop(code)}{target}">{name}</a>')
    return (f'<p class="langswitch">{_esc(say("site.language_switch", lang))}: '
            + " · ".join(items) + "</p>")


def extra_columns(claims: list[dict]) -> list[str]:
    """The report's optional per-claim fields the tables show where it has them."""
    return [key for key in ("kind", "interval", "robustness", "second_reading")
            if any(key in c for c in claims)]


def evidence_title(claim: dict, lang: str) -> str:
    """The interval cell's tooltip in ``lang``: the margin's reason (a text of
    ``data/article/verdict_rules.csv``, translated in ``data/i18n/data_texts.csv``) and, where
    it decides, the power (the sentence notebook 08 recorded as ``power_message``)."""
    reason, power = claim.get("margin_reason") or "", claim.get("power") or ""
    if lang != "en":
        reason = i18n.translated(reason, lang) if reason else ""
        power = recorded_sentence(claim, "power_message", "power", lang) if power else ""
    return " ".join(part for part in (reason, power) if part)


def robustness_title(claim: dict, lang: str) -> str:
    """The robustness cell's tooltip in ``lang``: how the verdicts spread over notebook 05's
    specifications (the sentence notebook 08 recorded as ``robustness_message``)."""
    english = claim.get("robustness_text") or ""
    if lang == "en" or not english:
        return english
    return recorded_sentence(claim, "robustness_message", "robustness", lang)


def extra_cell(key: str, claim: dict, lang: str) -> str:
    """The cell of an optional field: the kind of check in ``lang``; the robustness (the share
    of notebook 05's specifications that agree, for structural claims) as a sentence."""
    value = claim.get(key)
    if key == "kind" and isinstance(value, str):
        if value not in text()["kinds"]:
            raise BookError(f"the kind of check {value!r} has no translation in book/text.yaml "
                            f"(kinds: {', '.join(text()['kinds'])}).")
        return f"<td>{_esc(text()['kinds'][value][lang])}</td>"
    if key == "interval":
        parts = []
        if value:
            low, high = value
            parts.append(f"[{number(low, lang)}; {number(high, lang)}]" if low != high
                         else number(low, lang))
        if claim.get("margin") is not None:
            parts.append(f"±{number(claim['margin'], lang)}")
        if claim.get("method"):
            parts.append(str(claim["method"]))
        return (f'<td title="{_esc(evidence_title(claim, lang))}">'
                f"{_esc(' '.join(parts)) or '—'}</td>")
    if key == "second_reading":
        if not isinstance(value, dict):
            return "<td>—</td>"
        words = {d: (value.get(d) or {}).get("verdict", "not checkable")
                 for d in ("levels", "differences")}
        shown = "; ".join(f"{ui('reading_' + d, lang)}: {verdict_word(v, lang)}"
                          for d, v in words.items())
        return f"<td>{_esc(shown)}</td>"
    if key == "robustness" and isinstance(claim.get("robustness_shares"), dict):
        shown = ", ".join(f"{100 * s:.0f} % {verdict_word(v, lang)}"
                          for v, s in claim["robustness_shares"].items() if s > 0)
        return f'<td title="{_esc(robustness_title(claim, lang))}">{_esc(shown)}</td>'
    if key == "robustness" and isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = say("site.robustness", lang, share=float(value))
        return f'<td title="{_esc(robustness_title(claim, lang))}">{_esc(shown)}</td>'
    return f"<td>{_esc(number(value, lang))}</td>"


def verdict_table(claims: list[dict], lang: str, reasons: bool) -> str:
    """The claims as an HTML table: id, claim, article, ours, verdict (+ kind, robustness, why)."""
    extra = extra_columns(claims)
    heads = ["col_id", "col_claim", "col_article", "col_ours", "col_verdict"]
    heads += [f"col_{k}" for k in extra] + (["col_reason"] if reasons else [])
    head = "".join(f"<th>{_esc(ui(h, lang))}</th>" for h in heads)
    widths = {"col_id": 9, "col_claim": 26, "col_article": 9, "col_ours": 10,
              "col_verdict": 12, "col_kind": 13, "col_interval": 14, "col_robustness": 13,
              "col_second_reading": 14, "col_reason": 34}
    total = sum(widths[h] for h in heads)
    cols = "".join(f'<col style="width:{100 * widths[h] / total:.1f}%">' for h in heads)
    rows = []
    for c in claims:
        cells = [f'<td class="id">{_esc(c["id"])}</td>',
                 f"<td>{_esc(claim_text(c, lang))}</td>",
                 f'<td class="num">{_esc(number(c.get("article"), lang))}</td>',
                 f'<td class="num">{_esc(number(c.get("ours"), lang))}</td>',
                 f'<td class="verdict" style="background:{verdict_colour(c["verdict"])}">'
                 f"{_esc(verdict_word(c['verdict'], lang))}</td>"]
        for key in extra:
            cells.append(extra_cell(key, c, lang))
        if reasons:
            cells.append(f"<td>{_esc(reason_text(c, lang))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="wide"><table class="verdicts"><colgroup>{cols}</colgroup>'
            f'<thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></div>")


def city_table(cities: list[dict], lang: str, depth: int, built: set[str]) -> str:
    heads = ["col_city", "col_statistics", "col_innovation", "col_article_value", "col_best",
             "col_weakest"]
    head = "".join(f"<th>{_esc(ui(h, lang))}</th>" for h in heads)
    rows = []
    for c in cities:
        slug = c["city"]
        name = _esc(place_name(slug, lang))
        if slug in built:
            name = f'<a href="{"../" * depth}cities/{slug}/index.html">{name}</a>'
        scope = ui("the_region" if c.get("whole region") else "the_city", lang)
        rows.append(
            f"<tr><td>{name}</td><td>{_esc(scope)}</td>"
            f'<td class="num">{_esc(number(c.get("innovation 2022, %"), lang))}</td>'
            f'<td class="num">{_esc(number(c.get("article value"), lang))}</td>'
            f"<td>{_esc(factor_name(c.get('best factor', '—'), lang))}</td>"
            f"<td>{_esc(factor_name(c.get('weakest factor', '—'), lang))}</td></tr>")
    return (f'<div class="wide"><table class="cities"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></div>")


def citation() -> dict:
    return yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def repository() -> str | None:
    """``owner/name`` of the public GitHub repository (CITATION.cff ``repository-code``)."""
    url = citation().get("repository-code") or ""
    match = re.search(r"github\.com/([^/]+/[^/.]+)", url)
    return match[1] if match else None


def binder_url(notebook: str | None = None) -> str | None:
    repo = repository()
    if repo is None:
        return None
    target = f"?urlpath=lab/tree/notebooks/{notebook}.ipynb" if notebook else ""
    return f"https://mybinder.org/v2/gh/{repo}/HEAD{target}"


def landing(run: Run, lang: str, built: set[str], switch: str = "") -> str:
    report = run.json(REPORT)
    claims = report["claims"]
    depth, up = 0, ""
    cite = citation()
    binder = binder_url()
    binder_line = f"[Binder]({binder})" if binder else ui("binder_missing", lang)
    lines = [
        f"# {ui('site_title', lang)}", "", switch, "",
        ui("intro", lang), "",
        f'<p class="summary"><b>{_esc(summary_sentence(claims, lang, differing=False))}</b>'
        "</p>", counts_badges(claims, lang), "",
        f"## {ui('claims_heading', lang)}", "", ui("claims_text", lang), "",
        f"## {ui('findings_heading', lang)}", "", ui("findings_text", lang), "",
        verdict_table(claims, lang, reasons=False), "",
        f"[{ui('link_report', lang)}](reproduction.md)",
        "", f"## {ui('cities_heading', lang)}", "", ui("cities_text", lang), "",
        city_table(report.get("cities", []), lang, depth, built), "",
        f"## {ui('rerun_heading', lang)}", "", ui("rerun_text", lang), "",
        "```bash", "make study   # every notebook, five cities: reports/, figures/",
        "make site    # this site: build/site/_build/html/index.html",
        "make test    # lint and the tests", "```", "", ui("binder_text", lang), binder_line, "",
        f"## {ui('cite_heading', lang)}", "", ui("cite_text", lang), "",
        f"- <cite>{_esc(cite['authors'][0]['name'])}. {_esc(cite['title'])}, version "
        f"{_esc(cite['version'])} ({_esc(cite['date-released'])}). "
        f"{_esc(cite.get('license', ''))}.</cite>",
        f"- <cite>{_esc(cite['references'][0]['title'])}. "
        f"{_esc(cite['references'][0]['journal'])}, {_esc(cite['references'][0]['year'])}, "
        f"No. {_esc(cite['references'][0]['issue'])}.</cite>", "",
        f"## {ui('more_heading', lang)}", "",
        f"- [{ui('link_report', lang)}](reproduction.md)",
        f"- [{ui('link_sources', lang)}]({up}sources.md)",
        f"- [{ui('link_validation', lang)}]({up}validation.md)",
        f"- [{ui('link_bibliography', lang)}]({up}bibliography.md)",
        f'- <a href="{up}{SURVEY_FORM}">{_esc(ui("link_survey", lang))}</a>', ""]
    return "\n".join(lines)


def reproduction_page(run: Run, lang: str, switch: str = "") -> str:
    report = run.json(REPORT)
    claims = report["claims"]
    return "\n".join([
        f"# {ui('reproduction_title', lang)}", "", switch, "",
        f'<p class="summary"><b>{_esc(summary_sentence(claims, lang))}</b></p>',
        counts_badges(claims, lang), "", verdict_table(claims, lang, reasons=True), ""])


def city_page(run: Run, slug: str, lang: str = "en", switch: str = "",
              primary: Run | None = None) -> str:
    name = place_name(slug, lang)
    lines = [f"# {name}", "", switch, ""]
    if not slug.startswith("survey-"):
        region = region_by_slug(slug)
        if region.type == "region":
            lines += [say("site.region_note", lang, region=region.name(lang)), ""]
    try:
        report = (primary or run).json(REPORT)
        mine = [c for c in report.get("cities", []) if c.get("city") == slug]
    except BookError:
        mine = []
    for c in mine:
        lines += [say("site.city_line", lang, city=name,
                      value=number(c.get("innovation 2022, %"), lang),
                      scope=ui("the_region" if c.get("whole region") else "the_city", lang),
                      article=number(c.get("article value"), lang)), ""]
    lines += [f"## {say('site.notebooks_of_city', lang, city=name)}", ""]
    lines += [f"- [{n}]({n}.ipynb)" for n in run.notebooks(slug)]
    return "\n".join(lines) + "\n"


def with_switch(body: str, switch: str) -> str:
    """A page's markdown with the language switch under its title."""
    return body.replace("\n", "\n\n" + switch + "\n", 1) if body.startswith("# ") else body


def page(key: str, lang: str, **values: Any) -> str:
    """The body text ``pages.<key>`` of ``book/text.yaml`` in ``lang``, filled."""
    return word("pages", key, lang).format(**values)


def quantity(name: str, lang: str) -> str:
    """A quantity of the validation table in ``lang`` (``book/text.yaml``, ``quantities``)."""
    return word("quantities", name, lang)


def validation_page(lang: str = "en") -> str:
    """The engine against R seminr's golden results, computed now; what it follows of SmartPLS.
    Its prose in ``lang``; the numbers from the JSON records, written the language's way."""
    table = "\n".join(f"| {quantity(q, lang)} | {n} | {i18n.number(d, lang, '.1e')} |"
                      for q, n, d in validation_rows())
    bench = json.loads((paths.ROOT / "benchmarks" / "results" / "pls.json").read_text())
    ours = bench.get("ours", {})
    speed = page("validation_speed", lang, n_boot=bench.get("n_boot", "?"),
                 estimate_s=i18n.number(ours.get("estimate_s", float("nan")), lang, ".4f"),
                 bootstrap_s=i18n.number(ours.get("bootstrap_s", float("nan")), lang, ".2f"))
    return "\n".join([f"# {say('site.validation_title', lang)}", "",
                      page("validation_intro", lang), "", page("validation_columns", lang),
                      "|---|---|---|", table, "", page("validation_tests", lang), "",
                      page("validation_smartpls", lang), "", speed, ""])


VALIDATION = paths.ROOT / "benchmarks" / "results" / "pls_validation.json"
"""The engine against R seminr on the ECSI model, as the test run last computed it
(``tests/test_pls_validation_record.py``: it needs the test extra, which the site does not)."""


def validation_rows() -> list[tuple[str, int, float]]:
    """(quantity, numbers compared, max |engine − seminr|) on the ECSI model, as recorded by the
    test run in :data:`VALIDATION`."""
    if not VALIDATION.exists():
        raise BookError(f"{VALIDATION.relative_to(paths.ROOT)} is missing: run "
                        "`pytest tests/test_pls_validation_record.py` (test extra) to write it.")
    record = json.loads(VALIDATION.read_text(encoding="utf-8"))
    return [(r["quantity"], int(r["n"]), float(r["max_abs_diff"])) for r in record["rows"]]


BIB_FIELD = re.compile(r"^(\s*(\w+)\s*=\s*)(\{+)(.*?)(\}+)(,?)\s*$")


def bibliography_file(lang: str = "en") -> str:
    """``book/references.bib`` for an edition: in a language other than English, the fields the
    study wrote itself (``book/text.yaml`` ``bibliography``: what the article's text says of each
    work it cites, who published it) in that language; published titles and names stay. A field
    whose English there is not the .bib's current one stops the build, naming it."""
    bib = BIB.read_text(encoding="utf-8")
    if lang == "en":
        return bib
    wanted = dict(text().get("bibliography", {}))
    lines, entry = [], None
    for line in bib.splitlines():
        head = re.match(r"@\w+\{([^,]+),", line)
        entry = head[1] if head else entry
        field = BIB_FIELD.match(line)
        where = f"{entry}.{field[2]}" if field else None
        if where in wanted:
            value = wanted.pop(where)
            if value["en"] != field[4]:
                raise BookError(f"book/text.yaml: bibliography.{where} is stale: its en must read "
                                f"{field[4]!r} (book/references.bib), with its kk and ru.")
            line = f"{field[1]}{field[3]}{value[lang]}{field[5]}{field[6]}"
        lines.append(line)
    if wanted:
        raise BookError(f"book/text.yaml: bibliography.{', '.join(wanted)} name no one-line "
                        "field of book/references.bib.")
    return "\n".join(lines) + "\n"


def bibliography_page(lang: str = "en") -> str:
    """The bibliography (``book/references.bib``, entries as published) under its words in
    ``lang``."""
    return "\n".join([f"# {say('site.bibliography_title', lang)}", "",
                      page("bibliography_intro", lang), "", "```{bibliography}", ":all:", "```",
                      ""])


# ----------------------------------------------------------------------------------------------
# Notebooks
# ----------------------------------------------------------------------------------------------

def launch_cell(notebook: str, slug: str, lang: str = "en") -> str:
    binder = binder_url(notebook)
    binder_text = (say("site.launch_binder", lang, url=binder) if binder else
                   say("site.launch_no_binder", lang))
    folder = "" if lang == "en" else f"{lang}/"
    lab = f"http://localhost:8888/lab/tree/{folder}{notebook}.ipynb"
    param = (" " + say("site.launch_param", lang, slug=slug)
             if slug != paths.NATIONAL and not slug.startswith("survey-") else "")

    place = place_name(slug, lang) if slug != paths.NATIONAL else label("kazakhstan", lang)
    return say("site.launch", lang, binder=binder_text, notebook=notebook, lab=lab, param=param,
               place=place)


_FIGURE = re.compile(re.escape(FIGURE_OUTPUT.split("{")[0]) + r"([A-Za-z0-9+/=]+)")


def prepare_notebook(source: Path, target: Path, slug: str, lang: str = "en",
                     switch: str = "") -> int:
    """Copy an executed notebook for the site with its launch links. Each figure the notebook
    shows as an image in HTML (:data:`helpers.plots.figures.FIGURE_OUTPUT`) becomes an SVG output
    again, which the book writes to a file of its own instead of into the page. Returns the
    number of figures."""
    # deferred: nbformat loads only when this function runs (kernel start-up time)
    import nbformat

    nb = nbformat.read(source, as_version=4)
    figures = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            shown = _FIGURE.match(output.get("data", {}).get("text/html", ""))
            if shown:
                output["data"] = {"image/svg+xml": base64.b64decode(shown[1]).decode("utf-8")}
                figures += 1
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(  # a fixed id: the same copy every time
        (switch + "\n\n" if switch else "") + launch_cell(source.stem, slug, lang),
        id="site-launch-links"))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return figures


# ----------------------------------------------------------------------------------------------
# The book
# ----------------------------------------------------------------------------------------------

CSS = """
:root{{--pst-font-family-base:"DejaVu Sans","Noto Sans",system-ui,sans-serif;
--pst-font-family-heading:"DejaVu Sans","Noto Sans",system-ui,sans-serif}}
table.verdicts,table.cities{{border-collapse:collapse;font-size:.85em;width:100%;margin:1em 0}}
table.verdicts th,table.verdicts td,table.cities th,table.cities td{{border:1px solid {faint};
padding:3px 6px;vertical-align:top}}
table.verdicts td.num,table.cities td.num{{text-align:right}}
table.verdicts{{table-layout:fixed;font-size:.8em}}table.verdicts td{{overflow-wrap:anywhere}}
table.cities{{table-layout:fixed;font-size:.8em}}
table.cities td,table.cities th{{overflow-wrap:anywhere}}
table.verdicts th{{overflow-wrap:normal;hyphens:auto}}
table.verdicts td.id{{white-space:nowrap}}p.summary{{font-size:1.05em}}
div.wide{{overflow-x:auto;max-width:100%}}table.verdicts small{{font-size:.92em;color:{muted}}}
.bd-article h1{{font-size:2.1rem}}
table.verdicts td.verdict{{overflow-wrap:normal;hyphens:auto}}
p.badges .vbadge{{display:inline-block;padding:2px 10px;margin:0 .5em .3em 0;border-radius:10px;
border:1px solid {faint};color:{ink};font-size:.95em}}
"""
"""The site's stylesheet; colours are roles of :data:`helpers.plots.figures.PALETTE`."""


@dataclass(frozen=True)
class Edition:
    """One language's edition: its language, the run its notebooks come from (executed with
    ``lang`` = that language), and what it holds."""

    lang: str
    run: Run
    national: list[str]
    cities: list[str]

    def pages(self) -> set[str]:
        """Every page of the edition, as its path from the edition's root."""
        found = {f"{p}.html" for p in ("index", "reproduction", "sources", "validation",
                                        "bibliography")}
        found |= set(class_site.pages())
        found |= {f"national/{n}.html" for n in self.national}
        for slug in self.cities:
            found |= {f"cities/{slug}/index.html"}
            found |= {f"cities/{slug}/{n}.html" for n in self.run.notebooks(slug)}
        return found


def editions(primary: Run, runs: dict[str, Run | None], cities: list[str] | None) -> list[Edition]:
    """The editions to build: English from ``primary`` (which must hold the reproduction
    report), every other language from its own run where there is one (its notebooks executed
    in that language); an edition with no run holds the pages computed from ``primary``'s JSON
    (landing, reproduction report) and the data and methods pages."""
    national = primary.notebooks(paths.NATIONAL)
    if REPORT not in national:
        raise BookError(f"{primary.reports / paths.NATIONAL / (REPORT + '.ipynb')} is missing: "
                        "run the study first (`make study`).")
    chosen = primary.cities() if cities is None else cities
    out = [Edition("en", primary, national, chosen)]
    for lang in LANGS:
        if lang == "en":
            continue
        run = runs.get(lang)
        if run is None or not run.reports.exists():
            out.append(Edition(lang, primary, [], []))
            continue
        mine = run.cities()
        out.append(Edition(lang, run, run.notebooks(paths.NATIONAL),
                           [c for c in chosen if c in mine]))
    return out


def write_source(edition: Edition, primary: Run, src: Path,
                 pages: dict[str, set[str]] | None = None) -> dict:
    """Write one edition's book source tree to ``src``; returns what it holds."""
    lang, run = edition.lang, edition.run
    pages = pages or {lang: edition.pages()}
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)

    def switch(page: str) -> str:
        return language_switch(page, lang, pages)

    figures = 0
    for name in edition.national:
        figures += prepare_notebook(run.reports / paths.NATIONAL / f"{name}.ipynb",
                                    src / "national" / f"{name}.ipynb", paths.NATIONAL, lang,
                                    switch(f"national/{name}.html"))
    for slug in edition.cities:
        for name in run.notebooks(slug):
            figures += prepare_notebook(run.reports / slug / f"{name}.ipynb",
                                        src / "cities" / slug / f"{name}.ipynb", slug, lang,
                                        switch(f"cities/{slug}/{name}.html"))
        (src / "cities" / slug / "index.md").write_text(
            city_page(run, slug, lang, switch(f"cities/{slug}/index.html"), primary),
            encoding="utf-8")
    built = set(edition.cities)
    (src / "index.md").write_text(landing(primary, lang, built, switch("index.html")),
                                  encoding="utf-8")
    (src / "reproduction.md").write_text(reproduction_page(primary, lang,
                                                           switch("reproduction.html")),
                                         encoding="utf-8")
    (src / "sources.md").write_text(with_switch(sources_page.page(lang, say("site.sources_title",
                                                                            lang)),
                                                switch("sources.html")), encoding="utf-8")
    (src / "validation.md").write_text(with_switch(validation_page(lang),
                                                   switch("validation.html")), encoding="utf-8")
    (src / "bibliography.md").write_text(with_switch(bibliography_page(lang),
                                                     switch("bibliography.html")),
                                         encoding="utf-8")
    (src / "references.bib").write_text(bibliography_file(lang), encoding="utf-8")
    (src / "_static").mkdir()

    (src / "_static" / "study.css").write_text(CSS.format(**PALETTE), encoding="utf-8")

    survey_form.write(src / "_extra" / SURVEY_FORM, back_link="index.html")
    theme_locale.copy(src, lang)
    theme_locale.copy_templates(src)
    (src / "_config.yml").write_text(yaml.safe_dump(config(lang), allow_unicode=True,
                                                    sort_keys=False), encoding="utf-8")
    contents = toc(edition)
    contents["parts"].append(class_site.write(src, lang, switch=switch))  # the Class section
    (src / "_toc.yml").write_text(yaml.safe_dump(contents, allow_unicode=True, sort_keys=False),
                                  encoding="utf-8")
    return {"national": edition.national, "cities": edition.cities, "svg_figures": figures}


def footer(lang: str) -> str:
    """The footer of every page; in a translated edition it says whose the translations are and
    where to correct them."""
    text_ = say("site.footer", lang)
    if lang == "en":
        return text_

    site = [TEXT, theme_locale.LOCALE / lang, class_site.PAGES]
    note = say("site.footer_translation", lang,
               po=f"<code>{po_path(lang).relative_to(paths.ROOT)}</code>",
               catalogue=f"<code>{i18n.CATALOGUE.relative_to(paths.ROOT)}</code>",
               site=i18n.join([f"<code>{p.relative_to(paths.ROOT)}</code>" for p in site], lang))
    return f'{_esc(text_)}<br><span class="translation-note">{note}</span>'


def config(lang: str = "en") -> dict:
    return {
        "title": say("site.title", lang),
        "author": "The smartcity-kz-study authors",
        "copyright": "2026",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "bibtex_bibfiles": ["references.bib"],
        "parse": {"myst_enable_extensions": ["dollarmath", "colon_fence", "html_image"]},
        "html": {"home_page_in_navbar": True, "use_repository_button": False,
                 "extra_footer": footer(lang)},
        "launch_buttons": {"notebook_interface": "jupyterlab", "binderhub_url": ""},
        # sphinx_exercise: the Class section's exercises; theme_locale: the theme's labels in
        # the edition's language (book/locale, Sphinx's locale_dirs; book/templates, the
        # overrides of the templates that write a label without gettext)
        "sphinx": {"extra_extensions": ["sphinx_exercise", "helpers.site.theme_locale"],
                   "recursive_update": True,
                   "config": {"html_extra_path": ["_extra"], "html_static_path": ["_static"],
                              "html_css_files": ["study.css"], "html_show_copyright": False,
                              "bibtex_reference_style": "author_year",
                              "nb_merge_streams": True, "language": lang,
                              "locale_dirs": [theme_locale.FOLDER],
                              "theme_locale_digest": theme_locale.digest(lang),
                              "templates_path": [theme_locale.TEMPLATES_FOLDER],
                              "html_theme_options": {
                                  "search_bar_text": say("site.search_bar", lang)}}},
    }


def toc(edition: Edition) -> dict:
    lang, run = edition.lang, edition.run
    parts = [{"caption": say("site.part_study", lang), "chapters": [{"file": "reproduction"}]}]
    if edition.national:
        parts.append({"caption": say("site.part_national", lang),
                      "chapters": [{"file": f"national/{n}"} for n in edition.national]})
    if edition.cities:
        parts.append({"caption": say("site.part_cities", lang),
                      "chapters": [{"file": f"cities/{slug}/index",
                                    "sections": [{"file": f"cities/{slug}/{n}"}
                                                 for n in run.notebooks(slug)]}
                                   for slug in edition.cities]})
    parts.append({"caption": say("site.part_methods", lang),
                  "chapters": [{"file": "sources"}, {"file": "validation"},
                               {"file": "bibliography"}]})
    return {"format": "jb-book", "root": "index", "parts": parts}


def edition_root(root: Path, lang: str) -> Path:
    """Where `make site` runs the study in ``lang`` (other than English): ``build/study-<lang>``
    under the output root."""
    return root / "build" / f"study-{lang}"


def sync_tree(fresh: Path, src: Path) -> list[str]:
    """Make ``src`` hold exactly the files of ``fresh``, writing only those whose bytes differ
    and removing those ``fresh`` lacks; returns their paths. A file left alone keeps its time,
    so Sphinx (whose build folder is kept between builds) reads and writes again only the pages
    whose source changed: a site rebuilt from the same runs re-renders nothing."""
    changed = []
    wanted = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    if src.exists():
        for path in sorted(src.rglob("*"), reverse=True):
            rel = path.relative_to(src)
            if path.suffix == ".mo" and rel.with_suffix(".po") in wanted:
                continue  # compiled from the .po beside it when the build starts
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed.append(str(rel))
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for rel in sorted(wanted):
        new, old = fresh / rel, src / rel
        data = new.read_bytes()
        if not old.exists() or old.read_bytes() != data:
            old.parent.mkdir(parents=True, exist_ok=True)
            old.write_bytes(data)
            changed.append(str(rel))
    return changed


def build(root: Path, out: Path, cities: list[str] | None = None, timeout: int = 1200,
          runs: dict[str, Path | None] | None = None) -> Path:
    """Write and build every edition; returns the folder with the English ``index.html`` (the
    other editions in its ``<lang>/`` folders). ``runs`` maps a language to the output root of
    its run (default: :func:`edition_root`)."""
    primary = Run(root.resolve())
    roots = {lang: edition_root(root, lang) for lang in LANGS if lang != "en"}
    roots.update(runs or {})
    chosen = editions(primary, {k: Run(Path(v).resolve()) if v else None
                                for k, v in roots.items()}, cities)
    pages = {e.lang: e.pages() for e in chosen}
    html_dir = out / "_build" / "html"
    held = {}
    for edition in chosen:
        src = out / ("src" if edition.lang == "en" else f"src-{edition.lang}")
        fresh = out / "fresh"
        held[edition.lang] = write_source(edition, primary, fresh, pages)
        held[edition.lang]["changed"] = len(sync_tree(fresh, src))
        shutil.rmtree(fresh)
        target = out if edition.lang == "en" else out / "editions" / edition.lang
        command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(src),
                   "--path-output", str(target), "--warningiserror", "--keep-going", "--quiet"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        log = out / ("build.log" if edition.lang == "en" else f"build-{edition.lang}.log")
        log.write_text(done.stdout + done.stderr, encoding="utf-8")
        if done.returncode != 0:
            tail = (done.stdout + done.stderr)[-3000:]
            raise BookError(f"jupyter-book failed for the {edition.lang} edition (exit "
                            f"{done.returncode}); see {log}:\n{tail}")
    for edition in chosen[1:]:
        built = out / "editions" / edition.lang / "_build" / "html"
        if (html_dir / edition.lang).exists():
            shutil.rmtree(html_dir / edition.lang)
        shutil.copytree(built, html_dir / edition.lang)
    print(f"site: {html_dir / 'index.html'}; "
          + "; ".join(f"{lang}: {len(h['national'])} national notebooks, {len(h['cities'])} "
                      f"cities, {h['svg_figures']} figures as SVG, {h['changed']} source files "
                      "changed" for lang, h in held.items()))
    return html_dir


def edition_runs(items: list[str]) -> dict[str, Path | None]:
    """``--edition`` values (``LANG=ROOT``; ``LANG=`` for an edition without a run) as the
    ``runs`` of :func:`build`; a malformed item or another language stops, naming the choices."""
    runs: dict[str, Path | None] = {}
    others = [lang for lang in LANGS if lang != "en"]
    for item in items:
        lang, sep, root = item.partition("=")
        if not sep or lang not in others:
            raise BookError(f"--edition {item!r}: write LANG=ROOT (or LANG= for an edition "
                            f"without a run) with LANG one of {', '.join(others)}.")
        runs[lang] = Path(root) if root else None
    return runs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers.site", description=__doc__.split("\n")[0])
    p.add_argument("--root", type=Path, default=paths.output_root(),
                   help="output root of the study run (default: the repository)")
    p.add_argument("--out", type=Path, default=paths.ROOT / "build" / "site",
                   help="where the site goes (default: build/site)")
    p.add_argument("--edition", action="append", default=[], metavar="LANG=ROOT",
                   help="output root of the study run in LANG (default: <root>/build/study-LANG,"
                        " as `make site` writes it); LANG= (no root) or a missing run gives an "
                        "edition without notebooks: the landing page, the reproduction report "
                        "and the data and methods pages")
    args = p.parse_args(argv)
    try:
        build(args.root, args.out, runs=edition_runs(args.edition))
    except BookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
