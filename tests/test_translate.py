"""The notebooks in Kazakh and Russian: gettext catalogues and the notebooks generated from them
(helpers/run/translate.py, data/i18n/*.po, notebooks/<lang>/)."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.registers import i18n, paths
from helpers.run import translate


def test_the_catalogues_and_notebooks_are_up_to_date_and_fully_translated():
    """Every paragraph translated, none fuzzy, code and math kept, and notebooks/<lang>/ as
    `python -m helpers.run.translate` writes them (run it after editing a notebook's markdown)."""
    assert translate.update(check=True) == []


@pytest.mark.parametrize("lang", translate.targets())
def test_a_translated_notebook_differs_from_its_source_only_in_markdown(lang):
    for source in translate.sources():
        ours = json.loads(source.read_text(encoding="utf-8"))
        theirs = json.loads((translate.translated_folder(lang) / source.name).read_text(
            encoding="utf-8"))
        assert theirs["metadata"] == ours["metadata"]
        assert len(theirs["cells"]) == len(ours["cells"])
        for a, b in zip(ours["cells"], theirs["cells"], strict=True):
            assert (a["cell_type"], a.get("id"), a["metadata"]) == (
                b["cell_type"], b.get("id"), b["metadata"])
            if "parameters" in a["metadata"].get("tags", []):  # only its default language
                assert "".join(b["source"]) == "".join(a["source"]).replace(
                    'lang = "en"', f'lang = "{lang}"'), source.name
                assert f'lang = "{lang}"' in "".join(b["source"]), source.name
            elif a["cell_type"] == "code":
                assert a["source"] == b["source"], f"{source.name}: code cell {a.get('id')}"
                assert a.get("outputs") == b.get("outputs")
        prose = [c for c in theirs["cells"] if c["cell_type"] == "markdown"]
        english = [c for c in ours["cells"] if c["cell_type"] == "markdown"]
        assert all(a["source"] != b["source"] for a, b in zip(prose, english, strict=True)), \
            f"{lang}/{source.name} has an English markdown cell"


@given(st.lists(st.sampled_from(["a", "b c", "", " ", "```", "$$", "x $y$", "\t"]),
                max_size=12).map("\n".join))
def test_a_cell_splits_into_paragraphs_and_joins_back(text):
    parts = translate.split(text)
    assert "".join(parts) == text
    assert all(not p.strip() for p in parts[1::2])


def test_a_fence_or_a_display_formula_is_never_cut():
    text = "Intro\n\n```python\nx = 1\n\ny = 2\n```\n\n$$\na\n\nb\n$$\n\nEnd"
    assert translate.paragraphs(text) == ["Intro", "```python\nx = 1\n\ny = 2\n```",
                                          "$$\na\n\nb\n$$", "End"]


def _copy(tmp_path):
    notebooks, folder = tmp_path / "notebooks", tmp_path / "i18n"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    folder.mkdir()
    for lang in translate.targets():
        shutil.copy(translate.po_path(lang), translate.po_path(lang, folder))
    return notebooks, folder


def test_a_changed_english_paragraph_makes_its_translations_fuzzy_and_is_listed(tmp_path):
    notebooks, folder = _copy(tmp_path)
    source = notebooks / "04_pls_estimation.ipynb"
    nb = json.loads(source.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown"
                and "".join(c["source"]).startswith("## Measurement model"))
    text = "".join(cell["source"]).replace("Outer weights and loadings", "Outer weights, loadings")
    cell["source"] = text.splitlines(keepends=True)
    source.write_text(translate.dumps(nb), encoding="utf-8")
    found = translate.update(notebooks, folder)
    fuzzy = [f for f in found if "is fuzzy" in f]
    assert len(fuzzy) == len(translate.targets()), found
    assert all("“Outer weights, loadings" in f and "04_pls_estimation" in f for f in fuzzy)
    catalog = translate.read(translate.po_path("kk", folder), "kk")
    message = catalog.get(translate.paragraphs(text)[1])
    assert message.fuzzy and message.string
    written = translate.po_path("kk", folder).read_text(encoding="utf-8")
    assert '#| msgid "" "Outer weights and loadings' in written  # the English it translated
    translate.update(notebooks, folder)  # a second update keeps it, and only as `#|`
    again = translate.po_path("kk", folder).read_text(encoding="utf-8")
    assert '#| msgid "" "Outer weights and loadings' in again and "\n# |" not in again
    # the generated notebook keeps the English paragraph, never a stale translation
    kk = (notebooks / "kk" / "04_pls_estimation.ipynb").read_text(encoding="utf-8")
    assert "Outer weights, loadings" in kk
    with pytest.raises(i18n.TranslationError, match=r"kk\.po: the paragraph “Outer weights"):
        translate.require("kk", "04_pls_estimation", folder)
    translate.require("kk", "02_innovation_activity", folder)  # other notebooks still run


def test_a_lost_placeholder_is_listed(tmp_path):
    notebooks, folder = _copy(tmp_path)
    path = translate.po_path("ru", folder)
    catalog = translate.read(path, "ru")
    message = next(m for m in catalog if "`data/codebook.csv`" in m.id and m.string)
    message.string = message.string.replace("`data/codebook.csv`", "кодовая книга")
    translate.write(catalog, path)
    found = translate.update(notebooks, folder, check=True)
    assert any("lacks ['`data/codebook.csv`']" in f for f in found), found


def test_the_glossary_covers_every_language_and_the_article_codes_survive_translation():
    import csv

    with i18n.GLOSSARY.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert all(row[lang].strip() for row in rows for lang in i18n.LANGUAGES)
    codes = [row["term"] for row in rows if row["term"] in ("ӘО", "ҚМ", "ҚЭ", "З", "Т", "Тқ")]
    assert len(codes) == 6
    for lang in translate.targets():
        catalog = translate.read(translate.po_path(lang), lang)
        for message in catalog:
            for code in codes:
                if message.id and f" {code} " in f" {message.id} ".replace(",", " "):
                    assert code in message.string, (lang, code, message.id[:60])
