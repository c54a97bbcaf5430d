"""The reading edition: its words in three languages, its bibliography, the built site's files.

The site is built once per session from the session's study run (one city; see conftest), into a
temporary folder. The browser tests (tests/test_browser.py) open the same build.
"""

from __future__ import annotations

import html
import re
import string

import pytest

from helpers.registers import paths
from helpers.registers.data import read_table
from helpers.site import book, survey_form
from helpers.steps import nb07_survey as survey

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def entries():
    """Every three-language entry of book/text.yaml as (where, {lang: text})."""
    text = book.text()
    for section in ("ui", "verdicts", "kinds", "claims", "form", "pages", "quantities", "sources",
                    "publishers", "source_titles", "source_publications", "bibliography"):
        for key, value in text[section].items():
            yield f"{section}.{key}", value


@pytest.mark.parametrize("where,value", list(entries()), ids=[w for w, _ in entries()])
def test_every_entry_has_three_languages_with_the_same_placeholders(where, value):
    assert set(value) == set(book.LANGS), f"{where}: languages {sorted(value)}"
    if where != "ui.english_reason":  # shown only beside a translation
        assert all(value[lang].strip() for lang in book.LANGS), f"{where}: an empty text"
    assert placeholders(value["kk"]) == placeholders(value["en"]) == placeholders(value["ru"])


def test_the_site_speaks_the_study_s_languages():
    from helpers.registers.labels import LANGUAGES

    assert book.LANGS == tuple(LANGUAGES)
    assert set(book.text()["languages"]) == set(LANGUAGES)


def test_the_kazakh_texts_are_kazakh_not_russian_copies():
    long = [(w, v) for w, v in entries() if len(v["en"]) > 40]
    assert len(long) > 20
    for where, value in long:
        assert KAZAKH_LETTERS & set(value["kk"]) or "{" in value["kk"], where
        assert value["kk"] != value["ru"], where


def test_every_verdict_of_the_report_has_its_words():
    from helpers.steps.nb08_reproduction_report import VERDICTS

    for verdict in VERDICTS:
        for lang in book.LANGS:
            assert book.verdict_word(verdict, lang)
        assert book.verdict_class(verdict) in book.VERDICT_ROLES and book.verdict_colour(verdict)
    with pytest.raises(book.BookError, match="no translation"):
        book.verdict_word("maybe", "kk")


def test_every_claim_of_the_report_is_translated_and_not_stale(report):
    claims = report(book.REPORT, paths.NATIONAL)["claims"]
    registry = read_table(paths.DATA / "article" / "claim_checks.csv")
    assert [c["id"] for c in claims] == list(registry["id"])
    own = book.text()["claims"]
    for claim in claims:
        for lang in ("kk", "ru"):
            translated = book.claim_text(claim, lang)
            assert translated and translated != claim["claim"] or claim["id"].startswith("T1-")
        if claim["id"] in own:
            assert own[claim["id"]]["en"] == claim["claim"], \
                f"{claim['id']}: the English claim changed; update its kk/ru in book/text.yaml"
        else:
            assert claim["id"].startswith("T1-"), f"{claim['id']} has no entry in book/text.yaml"
            assert book.claim_text(claim, "ru").startswith("Таблица 1: r(")


def test_an_untranslated_claim_stops_the_build_naming_it():
    with pytest.raises(book.BookError, match="claim 'X9' has no translation"):
        book.claim_text({"id": "X9", "claim": "new", "article": 1.0}, "kk")


def test_the_summary_sentence_counts_in_each_language():
    claims = [{"id": "A", "verdict": "reproduced"}, {"id": "B", "verdict": "differs"},
              {"id": "C", "verdict": "cannot be checked"}, {"id": "D", "verdict": "differs"}]
    assert book.summary_sentence(claims, "en").startswith("Of 4 claims: 1 consistent")
    assert "B, D" in book.summary_sentence(claims, "kk")
    assert book.summary_sentence(claims, "ru").startswith("Из 4 утверждений 1 согласуются")
    assert book.number(0.8693, "kk") == "0,8693" and book.number(0.8693, "en") == "0.8693"


def test_every_reference_number_of_notebook_00_is_in_the_bibliography():
    bib = book.BIB.read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = set()
    for name in ("definitions.csv", "timeline.csv"):
        table = read_table(paths.DATA / "article" / name)
        cited |= {int(n) for ref in table["ref"] for n in re.findall(r"\d+", str(ref))}
    assert cited and {f"article-ref-{n}" for n in cited} <= keys
    pages = book.validation_page() + book.bibliography_page()
    methods = {k for ks in re.findall(r"\{cite\}`([^`]+)`", pages) for k in ks.split(",")}
    assert len(methods) > 8 and methods <= keys


def test_the_survey_form_has_every_item_in_each_language_once():
    page = survey_form.page()
    items = survey.instrument()
    sections = re.findall(r'<section class="sheet" lang="(\w+)"', page)
    assert sections == list(survey_form.ORDER)
    for lang in survey_form.ORDER:
        part = page.split(f'lang="{lang}" id="form-{lang}"')[1].split("</section>")[0]
        for text in items[f"text_{lang}"]:
            assert part.count(html.escape(text)) == 1
        assert part.count("☐") == len(items) * len(survey.scale())


# ----------------------------------------------------------------------------------------------
# The built site
# ----------------------------------------------------------------------------------------------

def test_the_site_holds_every_page(site):
    for page in ("index.html", "kk/index.html", "ru/index.html", "reproduction.html",
                 "kk/reproduction.html", "ru/reproduction.html", "sources.html",
                 "validation.html", "bibliography.html", book.SURVEY_FORM,
                 "national/00_literature_framing.html",
                 "cities/almaty/index.html", "cities/almaty/04_pls_estimation.html",
                 "national/08_reproduction_report.html"):
        assert (site / page).exists(), f"{page} was not built"


def test_the_landing_page_shows_every_claim_and_the_city_figures(site, report):
    claims = report(book.REPORT, paths.NATIONAL)["claims"]
    city = next(c for c in report(book.REPORT, paths.NATIONAL)["cities"]
                if c["city"] == "almaty")
    for lang, folder in (("en", ""), ("kk", "kk/"), ("ru", "ru/")):
        page = (site / f"{folder}index.html").read_text(encoding="utf-8")
        for claim in claims:
            assert f'<td class="id">{claim["id"]}</td>' in page, (lang, claim["id"])
        assert book.number(city["innovation 2022, %"], lang) in page
        assert book.summary_sentence(claims, lang, differing=False) in html.unescape(page)
        assert 'class="vbadge"' in page
        counts = report(book.REPORT, paths.NATIONAL)["counts"]
        report_page = html.unescape((site / f"{folder}reproduction.html").read_text(
            encoding="utf-8"))
        for verdict, n in counts.items():  # the landing page and the report, number for number
            if n:
                badge = f"{book.verdict_word(verdict, lang)}: {n}"
                assert badge in html.unescape(re.sub(r"</?b>", "", page)), (lang, badge)
                assert badge in re.sub(r"</?b>", "", report_page), (lang, badge)
    kk = (site / "kk/index.html").read_text(encoding="utf-8")
    assert "Алматы" in kk and book.verdict_word(claims[0]["verdict"], "kk") in kk


def test_figures_are_svg_and_notebook_pages_have_launch_links(site):
    page = (site / "cities/almaty/02_innovation_activity.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+)"', page)
    assert images and all(src.endswith(".svg") for src in images), images
    assert "localhost:8888/lab/tree/02_innovation_activity.ipynb" in page
    assert "Binder" in page


def test_the_validation_page_reads_the_record_of_the_test_run():
    rows = book.validation_rows()
    assert len(rows) == 9 and all(n > 0 for _, n, _ in rows)
    assert max(d for _, _, d in rows) < 1e-10
    page = book.validation_page()
    assert all(f"| {q} | {n} |" in page for q, n, _ in rows)


def test_the_data_and_methods_pages_are_written_in_each_language():
    """Validation and bibliography in Kazakh and Russian: their prose, the table's header and
    quantities translated, the numbers written with a decimal comma, the citations kept."""
    english = book.validation_page("en")
    for lang in ("kk", "ru"):
        page = book.validation_page(lang)
        assert page.startswith(f"# {book.say('site.validation_title', lang)}\n")
        assert book.page("validation_columns", lang) in page
        assert "largest absolute difference" not in page and "seminr" in page
        for q, n, d in book.validation_rows():
            assert f"| {book.quantity(q, lang)} | {n} | " in page
            assert f"{d:.1e}".replace(".", ",") in page
        assert re.search(r"\d,\d{4} с", page), page[-300:]
        cites = re.findall(r"\{cite\}`[^`]+`", page)
        assert cites == re.findall(r"\{cite\}`[^`]+`", english)
        bib = book.bibliography_page(lang)
        assert "```{bibliography}" in bib and "{cite}`kazuefit2023`" in bib
        assert "The article" not in bib
    with pytest.raises(book.BookError, match="quantities.dispersion.kk"):
        book.quantity("dispersion", "kk")


def test_the_bibliography_s_own_words_are_in_each_language(monkeypatch, tmp_path):
    """The .bib of a kk/ru edition: the fields the study wrote (what the article says of each
    cited work) in that language, published titles kept; a changed English field is stale."""
    english = book.bibliography_file("en")
    assert english == book.BIB.read_text(encoding="utf-8")
    own = book.text()["bibliography"]
    for lang in ("kk", "ru"):
        bib = book.bibliography_file(lang)
        assert bib.count("@") == english.count("@")
        for key, value in own.items():
            assert value[lang] in bib and value["en"] not in bib, (lang, key)
        assert "Better bootstrap confidence intervals" in bib
    changed = tmp_path / "references.bib"
    changed.write_text(english.replace("a multilevel system", "a system of systems"),
                       encoding="utf-8")
    monkeypatch.setattr(book, "BIB", changed)
    with pytest.raises(book.BookError, match="bibliography.article-ref-7.title is stale"):
        book.bibliography_file("kk")


def test_the_sources_page_gives_every_table_in_each_language(monkeypatch):
    """The kk/ru sources page: one row per spec with its file, translated contents and the
    publisher's own name in that language, the publication's published title, and a link to the
    English page for the caveats; a changed English title is caught as stale, not shown."""
    from helpers.site import sources_page
    from helpers.sources.specs import load_specs

    specs = load_specs()
    assert sources_page.page("en", "x") == sources_page.english()
    for lang in ("kk", "ru"):
        page = sources_page.page(lang, book.say("site.sources_title", lang))
        rows = [line for line in page.splitlines() if line.startswith("| `")]
        assert len(rows) == len(specs)
        for spec, row in zip(specs, rows, strict=True):
            title = book.word("source_titles", spec.id, lang)
            assert row.startswith(f"| `{spec.output}` | {title} |")
            if spec.reader == "secondary":  # the study's own description, translated
                assert book.word("source_publications", spec.id, lang) in row
            else:  # a publication under its published title
                assert spec.title.strip("«»") in row
            assert spec.title_en not in row
        assert "Bureau of National Statistics" not in page and 'href="../sources.html"' in page
        assert "Decisions that apply" not in page
        known = sources_page.caveat_catalogue(lang)
        assert set(known) == {c for spec in specs for c in spec.caveats}, "stale or missing"
        for spec in specs:  # every caveat, translated, under its table's heading
            for caveat in spec.caveats:
                assert caveat not in page and f"- {known[caveat]}" in page, (lang, caveat)
            if spec.caveats:
                assert f"### `{spec.output}`" in page
    spec = specs[0]
    changed = type(spec)(**{**spec.__dict__, "caveats": (*spec.caveats, "A new caveat.")})
    monkeypatch.setattr(sources_page, "load_specs", lambda: [changed])
    with pytest.raises(book.BookError, match="1 caveat.*kk/provenance.po.*A new caveat"):
        sources_page.page("kk", "x")
    monkeypatch.setattr(sources_page, "load_specs",
                        lambda: [type(spec)(**{**spec.__dict__, "title_en": "Buses, revised"})])
    with pytest.raises(book.BookError, match=f"source_titles.{spec.id} is stale"):
        sources_page.page("kk", "x")


def test_kind_and_robustness_are_shown_where_the_report_has_them():
    from helpers.steps.nb08_reproduction_report import robustness_said

    robust = robustness_said({"n": 786, "by_verdict": {"consistent": 0.031}})
    claims = [{"id": "H1", "claim": "H1 is confirmed", "article": "confirmed",
               "ours": "not confirmed", "verdict": "inconsistent",
               "kind": "data-analytic replication", "robustness": 0.031,
               "robustness_text": robust.text("en"), "robustness_message": robust.as_dict()},
              {"id": "C2", "claim": "Innovation activity of Astana was 14.2 in 2023",
               "article": 14.2, "ours": 14.8, "verdict": "consistent",
               "kind": "source-data reproduction", "robustness": None}]
    table = book.verdict_table(claims, "kk", reasons=False)
    assert book.ui("col_kind", "kk") in table and book.ui("col_robustness", "kk") in table
    share = book.i18n.number(0.031, "kk", ".0%")  # Babel's Kazakh percent: "3%"
    assert "басқа деректерде қайталау" in table and f"спецификациялардың {share} сәйкес" in table
    assert robust.text("en") == "of 786 specifications: 3.1% consistent"
    assert 'title="of 786 specifications: 3.1% consistent"' in book.verdict_table(
        claims, "en", reasons=False)
    assert f'title="{robust.text("kk")}"' in table and "786 спецификацияның: 3,1" in table
    with pytest.raises(book.BookError, match="'H1' .* no 'robustness_message'"):
        book.verdict_table([{**claims[0], "robustness_message": None}], "ru", reasons=False)
    assert "<td>—</td>" in table  # no robustness for a claim that is not structural
    assert book.extra_columns([{"id": "A"}]) == []
    with pytest.raises(book.BookError, match="kind of check 'guess'"):
        book.verdict_table([{**claims[0], "kind": "guess"}], "ru", reasons=False)


def test_the_interval_margin_method_and_robustness_shares_are_shown():
    claim = {"id": "T1-З-ӘО", "claim": "x", "article": 0.436, "ours": -0.41,
             "verdict": "inconsistent", "kind": "data-analytic replication",
             "interval": [-0.72, 0.044], "margin": 0.1,
             "margin_reason": "the text states a ceiling (0.42); nothing is added to it",
             "method": "fisher_z",
             "power": "", "robustness": 0.0,
             "robustness_shares": {"consistent": 0.0, "inconsistent": 0.04, "inconclusive": 0.96,
                                   "not checkable": 0.0}}
    table = book.verdict_table([claim], "ru", reasons=False)
    assert "[−0,72; 0,044] ±0,1 fisher_z" in table or "[-0,72; 0,044] ±0,1 fisher_z" in table
    assert "4 % не согласуется, 96 % не определено" in table
    assert book.ui("col_interval", "kk") in book.verdict_table([claim], "kk", reasons=False)
    # the tooltip: the margin's reason and the power where it decides, in the table's language
    power = book.i18n.Message("repro.power", n="20", k="6", min_r2=0.61, target=0.8, alpha=0.05,
                              observed=0.3)
    claim |= {"power": power.text("en"), "power_message": power.as_dict()}
    assert (f'title="{claim["margin_reason"]} {power.text("en")}"'
            in book.verdict_table([claim], "en", reasons=False))
    for lang in ("kk", "ru"):
        title = book.evidence_title(claim, lang)
        assert title == f"{book.i18n.translated(claim['margin_reason'], lang)} {power.text(lang)}"
        assert "0,61" in title and "ceiling" not in title and "power" not in title, title
    with pytest.raises(book.BookError, match="'T1-З-ӘО' .* no 'power_message'"):
        book.evidence_title({**claim, "power_message": None}, "ru")
    with pytest.raises(book.i18n.TranslationError, match="no kk translation of the text 'why'"):
        book.evidence_title({**claim, "margin_reason": "why"}, "kk")


def test_the_report_s_reasons_are_written_in_the_edition_s_language():
    """The reproduction page's reason column: the English record's reason in English, and in
    Kazakh and Russian the claim's recorded catalogue sentence (``message``) written in that
    language, numbers with a decimal comma; a report without it stops the build, naming it."""
    import json

    from helpers.registers import i18n

    where = i18n.Message("verdict.where", estimate=0.616, pct=95.0, iv=(0.238, 0.832))
    said = i18n.Message("repro.reason", reason=i18n.Message(
        "verdict.too_wide", where=where, article=0.42, margin=0.1))
    record = json.loads(json.dumps(said.as_dict()))  # as notebook 08's JSON holds it
    claim = {"id": "C1", "claim": "max |r| ≤ 0.42", "article": 0.42, "ours": 0.616,
             "verdict": "inconclusive", "reason": said.text("en"), "message": record}
    assert book.reason_text(claim, "en") == claim["reason"]
    for lang, words in (("kk", "деректер шеше алмайды"), ("ru", "данные не позволяют решить")):
        shown = book.reason_text(claim, lang)
        assert words in shown and "0,616" in shown and "[0,238; 0,832]" in shown, shown
        assert f"<td>{html.escape(shown)}</td>" in book.verdict_table([claim], lang, reasons=True)
        assert claim["reason"] not in book.verdict_table([claim], lang, reasons=True)
    with pytest.raises(book.BookError, match=r"claim 'C1' .* no 'message'.*notebook 08"):
        book.reason_text({k: v for k, v in claim.items() if k != "message"}, "kk")


def test_sync_tree_writes_only_what_changed_and_removes_what_is_gone(tmp_path):
    fresh, src = tmp_path / "fresh", tmp_path / "src"
    for root, files in ((src, {"a.md": "old", "same.md": "x", "gone/b.md": "y",
                               "locale/kk/LC_MESSAGES/s.po": "p", "locale/kk/LC_MESSAGES/s.mo": "m",
                               "locale/kk/LC_MESSAGES/old.mo": "m"}),
                        (fresh, {"a.md": "new", "same.md": "x", "c/d.md": "z",
                                 "locale/kk/LC_MESSAGES/s.po": "p"})):
        for name, body in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(body)
    import os

    os.utime(src / "same.md", ns=(1, 1))
    changed = book.sync_tree(fresh, src)
    assert sorted(changed) == ["a.md", "c/d.md", "gone/b.md", "locale/kk/LC_MESSAGES/old.mo"]
    assert (src / "a.md").read_text() == "new" and (src / "c/d.md").read_text() == "z"
    assert (src / "same.md").stat().st_mtime_ns == 1  # left alone: Sphinx does not read it again
    assert not (src / "gone").exists()
    assert (src / "locale/kk/LC_MESSAGES/s.mo").exists()  # the build compiles it from s.po
    assert book.sync_tree(fresh, src) == []


def test_a_rebuild_from_the_same_runs_gives_the_same_site_and_writes_no_page_again(
        site, study_root, study_root_kk):
    """The book sources are synced, not rewritten (:func:`book.sync_tree`): Sphinx writes none of
    the editions' pages again, and every HTML file has the same bytes."""
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*.html")}
    book.build(study_root, site.parent.parent, timeout=600,
               runs={"kk": study_root_kk, "ru": None})
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*.html")}
    assert after.keys() == before.keys()
    assert [p for p in after if after[p][1] != before[p][1]] == []
    rewritten = {str(p.relative_to(site)) for p in after if after[p][0] != before[p][0]}
    pages = {f"{'' if lang == 'en' else lang + '/'}{page}" for lang, page in
             [("en", "index.html"), ("kk", "index.html"), ("en", "reproduction.html"),
              ("en", "cities/almaty/04_pls_estimation.html"),
              ("kk", "cities/almaty/04_pls_estimation.html")]}
    assert not pages & rewritten, sorted(rewritten)[:10]


def test_the_edition_option_reads_a_run_or_none_and_refuses_other_languages():
    from pathlib import Path

    assert book.edition_runs(["kk=/tmp/study-kk", "ru="]) == {"kk": Path("/tmp/study-kk"),
                                                               "ru": None}
    for bad in ("kk", "en=/tmp/x", "de=/tmp/x"):
        with pytest.raises(book.BookError, match=r"LANG=ROOT .* one of kk, ru"):
            book.edition_runs([bad])
    assert book.main(["--edition", "xx=/tmp"]) == 1
