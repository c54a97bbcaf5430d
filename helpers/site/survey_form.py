"""A printable survey form from ``data/survey/instrument.csv``: one A4 page per language.

    python -m helpers.site.survey_form build/survey-form.html

The page holds the form in Kazakh, Russian and English, one after the other; the print stylesheet
puts each language on a page of its own, so a teacher prints the page and hands out the sheet in
the respondents' language. Statements and the answer scale come from ``instrument.csv`` and
``scale.csv`` (the same files notebook 07 and the response loader read); the form's own words
are in ``book/text.yaml`` (``form:``). The numbers the respondent ticks are the values of
``scale.csv``, and the item codes printed beside each statement are the column names of
``data/survey/<city>.csv``.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from helpers.plots.figures import PALETTE
from helpers.registers.labels import LANGUAGES
from helpers.run.results import write_text_atomic
from helpers.site.words import word
from helpers.steps import nb07_survey as survey

ORDER = tuple(sorted(LANGUAGES, key=lambda lang: lang == "en"))
"""The languages in the order they are printed: the respondents' languages first, English last."""


def words(key: str, lang: str) -> str:
    """The form's own words (``form:`` in book/text.yaml)."""
    return word("form", key, lang)


CSS = """
body{{font-family:"DejaVu Sans",Arial,sans-serif;color:{ink};margin:0;background:{faint}}}
.sheet{{background:{paper};width:190mm;margin:8mm auto;padding:8mm 10mm;box-sizing:border-box}}
.sheet h1{{font-size:13pt;margin:0 0 2mm}}.lang{{float:right;font-size:9pt;color:{muted}}}
.intro{{font-size:8.5pt;margin:0 0 3mm}}
.fields{{font-size:8.5pt;margin:0 0 3mm}}.fields span{{display:inline-block;margin-right:8mm}}
.fields b{{display:inline-block;border-bottom:1px solid {ink};width:35mm;margin-left:2mm}}
table{{border-collapse:collapse;width:100%;font-size:8pt;table-layout:fixed}}
th,td{{border:1px solid {neutral};padding:1.2mm 1.2mm;vertical-align:middle}}
th{{background:{panel};font-weight:normal;font-size:6.5pt;text-align:center;
overflow-wrap:anywhere;hyphens:auto}}
th.st{{text-align:left;font-size:8pt}}td.no{{text-align:right;width:6mm;color:{muted}}}
td.box{{text-align:center;font-size:10pt}}td .code{{color:{neutral};font-size:6.5pt}}
col.no{{width:7mm}}col.opt{{width:17mm}}.thanks{{font-size:8.5pt;margin-top:2mm}}
@page{{size:A4;margin:10mm}}
@media print{{body{{background:{paper}}}.sheet{{margin:0;width:auto;padding:0;
break-after:page;page-break-after:always}}.sheet:last-child{{break-after:auto;
page-break-after:auto}}nav{{display:none}}}}
"""
"""The form's stylesheet (screen and print); colours are roles of helpers.plots.figures.PALETTE."""


def sheet(lang: str) -> str:
    """One language's form as an HTML ``<section>``."""
    esc = html.escape
    items = survey.instrument()
    answers = survey.scale().sort_values("value")
    head = "".join(f"<th>{int(r.value)}<br>{esc(getattr(r, f'label_{lang}'))}</th>"
                   for r in answers.itertuples())
    rows = "".join(
        f"<tr><td class=\"no\">{r.order}</td><td>{esc(getattr(r, f'text_{lang}'))} "
        f"<span class=\"code\">{esc(r.item)}</span></td>"
        + "".join('<td class="box">☐</td>' for _ in range(len(answers))) + "</tr>"
        for r in items.itertuples())
    cols = '<col class="no"><col>' + '<col class="opt">' * len(answers)
    fields = "".join(f"<span>{esc(words(k, lang))}:<b></b></span>"
                     for k in ("city", "date", "form_no"))
    return (f'<section class="sheet" lang="{lang}" id="form-{lang}">'
            f'<span class="lang">{esc(words("language", lang))}</span>'
            f"<h1>{esc(words('title', lang))}</h1><p class=\"intro\">{esc(words('intro', lang))}"
            f"</p><p class=\"fields\">{fields}</p><table><colgroup>{cols}</colgroup>"
            f"<tr><th>№</th><th class=\"st\">{esc(words('statement', lang))}</th>{head}</tr>"
            f"{rows}</table><p class=\"thanks\">{esc(words('thanks', lang))}</p></section>")


def page(back_link: str | None = None) -> str:
    """The whole printable page: the three forms, a print stylesheet, a link back (screen only)."""
    nav = (f'<nav style="text-align:center;padding:2mm"><a href="{html.escape(back_link)}">'
           "← smartcity-kz-study</a> · "
           + " · ".join(f'<a href="#form-{lang}">{words("language", lang)}</a>' for lang in ORDER)
           + "</nav>") if back_link else ""
    return ("<!DOCTYPE html>\n<html lang=\"kk\"><head><meta charset=\"utf-8\">"
            "<title>Survey form · Сауалнама · Анкета</title>"
            f"<style>{CSS.format(**PALETTE)}</style></head><body>{nav}"
            + "".join(sheet(lang) for lang in ORDER) + "</body></html>\n")


def write(path: Path, back_link: str | None = None) -> Path:
    write_text_atomic(path, page(back_link))
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/survey-form.html")
    print(write(target))
