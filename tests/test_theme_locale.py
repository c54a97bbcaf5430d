"""The theme's labels in the site's languages (issue 20): the project's overrides of the few theme
templates that write a label without gettext (``book/templates/components``) and its catalogues
(``book/locale``). Quick: no site is built here (the browser tests check the built pages)."""

from __future__ import annotations

import re
from pathlib import Path

import pydata_sphinx_theme
import pytest
import sphinx_book_theme

from helpers.site import theme_locale
from helpers.site.words import LANGS

THEMES = [Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme",
          Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"]
"""The theme's template folders, the book theme first (it inherits from the PyData theme)."""
LABEL = re.compile(r"\{\{-?\s*_\('([^']+)'\)\s*-?\}\}")
KEYS = {"Ctrl"}
"""Labels that name a key as Kazakh and Russian keyboards print it (translated as themselves)."""
OVERRIDES = sorted(theme_locale.TEMPLATES.glob("*.html"))


def labels(template: str) -> list[str]:
    """The labels a template puts through gettext (``{{ _('…') }}``)."""
    return LABEL.findall(template)


def theme_template(name: str) -> str:
    """The template ``name`` as the theme that answers it first has it."""
    for folder in THEMES:
        for found in (folder / name, folder / "components" / name):
            if found.exists():
                return found.read_text(encoding="utf-8")
    raise AssertionError(f"no theme template {name}: the override shadows nothing")


def block(template: str, name: str) -> str:
    match = re.search(r"\{%-?\s*block " + name + r"\s*-?%\}(.*?)\{%-?\s*endblock", template, re.S)
    assert match, f"no block {name}"
    return match[1]


def bare(template: str) -> str:
    """A template without comments, whitespace and whitespace control, its gettext labels as
    plain text: what an override must keep of the theme's template."""
    template = re.sub(r"\{#.*?#\}|<!--.*?-->", "", template, flags=re.S)
    template = LABEL.sub(lambda m: m[1], template)
    template = re.sub(r"-([%}])\}", r"\1}", re.sub(r"\{([%{])-", r"{\1", template))
    return re.sub(r"\s+", "", template)


def test_there_are_overrides_and_each_puts_a_label_the_theme_writes_in_english_through_gettext():
    assert {p.name for p in OVERRIDES} >= {"toggle-primary-sidebar.html",
                                          "toggle-secondary-sidebar.html", "sbt-sidebar-nav.html",
                                          "search-button-field.html", "layout.html"}
    for path in OVERRIDES:
        mine = path.read_text(encoding="utf-8")
        theirs = theme_template(path.name)
        new = [w for w in labels(mine) if w not in labels(theirs)]
        assert new, f"{path.name} translates nothing the theme's template does not"
        for word in new:  # the theme writes it as plain English: the reason for the override
            assert re.search(rf'(title|aria-label)="{word}"|>{word}<', theirs), (path.name, word)


@pytest.mark.parametrize("path", OVERRIDES, ids=lambda p: p.name)
def test_an_override_is_the_installed_theme_s_template_but_for_its_labels(path):
    """Each override keeps the theme's markup, logic and names (the installed version's), so a
    theme upgrade that changes one of them fails here until the override follows it."""
    mine = path.read_text(encoding="utf-8")
    theirs = theme_template(path.name)
    if path.name == "layout.html":  # one block of the book theme's layout; super.super() skips
        mine, theirs = block(mine, "docs_body").replace("super.super()", "super()"), block(
            theirs, "docs_body")
    assert bare(mine) == bare(theirs)


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_every_label_of_the_overrides_is_translated_in_each_edition(lang):
    catalogue = theme_locale.catalogues(lang)["sphinx"]
    translated = theme_locale.messages(catalogue)
    wanted = {w for path in OVERRIDES for w in labels(path.read_text(encoding="utf-8"))}
    missing = sorted(wanted - set(translated))
    assert not missing, f"{catalogue}: no msgstr for {missing}"
    words = wanted - KEYS  # a key's name stays as the keyboard has it
    assert words and all(translated[w] != w for w in words), {w: translated[w] for w in words}


def test_the_edition_source_names_the_overrides_first(tmp_path):
    from helpers.site import book

    names = theme_locale.copy_templates(tmp_path)
    assert names == [p.name for p in OVERRIDES]
    assert (tmp_path / theme_locale.TEMPLATES_FOLDER / "search-field.html").exists()
    config = book.config("kk")["sphinx"]["config"]
    assert config["templates_path"] == [theme_locale.TEMPLATES_FOLDER]
    # the PyData layout includes "../components/search-field.html" relative to each folder
    assert theme_locale.TEMPLATES_FOLDER.endswith("/components")


def test_a_changed_catalogue_changes_the_configuration_so_every_page_is_written_again(tmp_path):
    """Sphinx does not track the theme's catalogues; the site syncs its sources and keeps the
    build folder, so a changed label must change a config value (``theme_locale_digest``)."""
    import shutil

    from helpers.site import book

    shutil.copytree(theme_locale.LOCALE, tmp_path / "locale")
    before = theme_locale.digest("kk", tmp_path / "locale")
    assert before == theme_locale.digest("kk") != theme_locale.digest("ru")
    assert book.config("kk")["sphinx"]["config"]["theme_locale_digest"] == before
    po = tmp_path / "locale" / "kk" / "LC_MESSAGES" / "sphinx.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Негізгі навигация", "Басты мәзір"),
                  encoding="utf-8")
    assert theme_locale.digest("kk", tmp_path / "locale") != before
