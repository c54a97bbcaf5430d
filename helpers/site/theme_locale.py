"""The theme's own words (Search, Contents, "On this page", previous/next, the toggle's "Click to
show" …) in the study's languages: a Sphinx extension the site loads.

Sphinx, the PyData and book themes, sphinx-exercise and sphinx-togglebutton translate their labels
through gettext, one domain each (``sphinx``, ``booktheme``, ``exercise``, ``togglebutton``); none
of them ships Kazakh, and the Russian catalogues leave some labels empty. The project's own
catalogues are ``book/locale/<lang>/LC_MESSAGES/<domain>.po`` (written by its engineers, like the
rest of the translations). The site copies that folder into each edition's source and names it in
Sphinx's ``locale_dirs``:

* Sphinx itself compiles the project's ``sphinx.po`` when the build starts and reads it before
  its own catalogue and the PyData theme's (``sphinx`` is Sphinx's domain);
* this extension compiles every other domain's ``.po`` with Babel and registers it with
  :meth:`sphinx.application.Sphinx.add_message_catalog` (for a language a package lacks, the
  project's catalogue answers; where the package has one, the project's fills its gaps), writes
  ``sphinx.js`` from ``sphinx.po`` for the search page's script, and sets the toggle button's
  hint, which sphinx-togglebutton translates once when it loads.

A few labels the themes write into their templates as plain English (the sidebar toggles'
tooltips, the "Main" and "Page" navigation landmarks, the modifier key of the "Ctrl + K" search
hint) go through gettext by template overrides: ``book/templates/components/`` holds the project's
copies of those few theme templates with the label wrapped in ``_()`` (Sphinx's ``sphinx``
domain, so ``sphinx.po`` translates them). The site copies the folder into each edition's source
and names it first in Sphinx's ``templates_path`` (:func:`copy_templates`); the folder is called
``components`` because the PyData theme includes its search field as
``../components/search-field.html``, relative to each template folder.

Nothing in the built HTML is edited afterwards.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from helpers.registers import paths

LOCALE = paths.ROOT / "book" / "locale"
"""The project's catalogues of the theme's words: ``<lang>/LC_MESSAGES/<domain>.po``."""
FOLDER = "locale"
"""The folder's name in an edition's book source (``locale_dirs``)."""
TEMPLATES = paths.ROOT / "book" / "templates" / "components"
"""The project's overrides of the theme templates that write a label without gettext."""
TEMPLATES_FOLDER = "_templates/components"
"""Their folder in an edition's book source (``templates_path``)."""
JS_MESSAGES = ("Search Results", "Searching", "Preparing search...", ", in ",
               "Search finished, found ${resultCount} page(s) matching the search query.",
               "Your search did not match any documents. Please make sure that all words are "
               "spelled correctly and that you've selected enough categories.",
               "Hide Search Matches")
"""The messages Sphinx's search script (``searchtools.js``) translates."""


def catalogues(lang: str, root: Path = LOCALE) -> dict[str, Path]:
    """The project's ``.po`` files for ``lang``, by gettext domain."""
    folder = root / lang / "LC_MESSAGES"
    return {po.stem: po for po in sorted(folder.glob("*.po"))} if folder.is_dir() else {}


def messages(po: Path) -> dict[str, str]:
    """The translated messages of one ``.po`` file (untranslated and fuzzy ones left out)."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def compile_po(po: Path) -> Path:
    """``<domain>.po`` -> ``<domain>.mo`` beside it (Babel); returns the ``.mo``."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    mo = po.with_suffix(".mo")
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    return mo


def search_script(po: Path, lang: str) -> str:
    """``sphinx.js``: the search script's messages in ``lang`` (the format Sphinx ships)."""
    found = {k: v for k, v in messages(po).items() if k in JS_MESSAGES}
    return ("Documentation.addTranslations("
            + json.dumps({"locale": lang, "messages": found, "plural_expr": "(n != 1)"},
                         ensure_ascii=False, indent=4) + ");\n")


def copy(target: Path, lang: str, root: Path = LOCALE) -> list[str]:
    """Put ``lang``'s catalogues into an edition's book source (``<src>/locale``) with the
    search script's ``sphinx.js``; returns the domains."""
    found = catalogues(lang, root)
    folder = target / FOLDER / lang / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    for po in found.values():
        (folder / po.name).write_bytes(po.read_bytes())
    if "sphinx" in found:
        (folder / "sphinx.js").write_text(search_script(found["sphinx"], lang), encoding="utf-8")
    return list(found)


def digest(lang: str, root: Path = LOCALE) -> str:
    """A sha256 of ``lang``'s catalogues, given to Sphinx as the config value
    ``theme_locale_digest``: Sphinx does not track the theme's catalogues, so a changed label
    must change the configuration to have every page written again."""
    found = hashlib.sha256()
    for domain, po in catalogues(lang, root).items():
        found.update(domain.encode() + b"\0" + po.read_bytes() + b"\0")
    return found.hexdigest()


def copy_templates(target: Path, root: Path = TEMPLATES) -> list[str]:
    """Put the template overrides into an edition's book source (``<src>/_templates/components``,
    :data:`TEMPLATES_FOLDER`); returns their names."""
    folder = target / TEMPLATES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for template in sorted(root.glob("*.html")):
        (folder / template.name).write_bytes(template.read_bytes())
        names.append(template.name)
    return names


def _register(app) -> None:
    lang = app.config.language or "en"
    for folder in app.config.locale_dirs:
        root = Path(app.srcdir) / folder
        for domain, po in catalogues(lang, root).items():
            if domain == "sphinx":  # Sphinx compiles and reads its own domain (locale_dirs)
                continue
            compile_po(po)
            app.add_message_catalog(domain, str(root))


def _configured(app, config) -> None:
    """Once every extension has loaded: the toggle button's hint in the edition's language
    (sphinx-togglebutton translated it once, before this catalogue was registered), and
    ``locale_dirs`` as absolute paths (Sphinx looks for ``sphinx.js`` relative to the working
    folder, its catalogues relative to the source)."""
    config.locale_dirs = [str(Path(app.srcdir) / d) for d in config.locale_dirs]
    # deferred: Sphinx is the site extra's; this runs only inside a Sphinx build
    from sphinx.locale import get_translation

    translate = get_translation("togglebutton")
    for name, english in (("togglebutton_hint", "Click to show"),
                          ("togglebutton_hint_hide", "Click to hide")):
        if getattr(config, name, None) == english:
            setattr(config, name, str(translate(english)))


def setup(app) -> dict:
    app.add_config_value("theme_locale_digest", "", "html")  # see digest()
    _register(app)
    app.connect("config-inited", _configured, priority=400)  # before sphinx-togglebutton reads it
    return {"parallel_read_safe": True, "parallel_write_safe": True}
