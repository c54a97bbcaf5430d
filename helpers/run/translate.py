"""The notebooks' prose in every language: gettext catalogues, and notebooks generated from them.

The English notebooks in ``notebooks/`` are the source. Their markdown cells are split into
paragraphs (blank-line separated; a fenced block or a ``$$`` block stays whole), which are the
messages of a gettext template ``data/i18n/notebooks.pot``; each other language has a catalogue
``data/i18n/<lang>.po`` holding the translation of every message (Babel's ``pofile``; edit it
with any .po editor or a text editor). One command does everything::

    python -m helpers.run.translate          # update the .pot and every .po, notebooks/<lang>/
    python -m helpers.run.translate --check  # exit 1 if anything is stale, untranslated or fuzzy

Updating merges the template into each catalogue the gettext way: a paragraph whose English
changed keeps its old translation marked *fuzzy* (with the previous English beside it, ``#|``), a
new paragraph gets an empty translation, and a vanished one is dropped. Each language's notebooks
``notebooks/<lang>/NN_*.ipynb`` are then written: the source notebook with every markdown
paragraph replaced by its translation, the parameters cell's default ``lang`` set to the language
(so that JupyterLab runs the notebook in it), and every other code cell, output and id unchanged
(a test compares them). A notebook run in a language whose catalogue has an untranslated or fuzzy
paragraph of that notebook stops at setup (:func:`require`), naming the paragraph and the file.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import io
import json
import re
import sys
from functools import cache
from pathlib import Path

from helpers.registers import paths
from helpers.registers.i18n import I18N, SOURCE_LANGUAGE, TranslationError, locale
from helpers.registers.labels import LANGUAGES, language_name

TEMPLATE = I18N / "notebooks.pot"
HEADER = """\
# The study's notebooks in {language}: every paragraph of the English notebooks' markdown.
# The translations are the project's own; corrections are welcome: edit a msgstr here (terms as
# in data/i18n/glossary.csv), run `python -m helpers.run.translate`, and send the change.
# A `#, fuzzy` entry's English changed since it was translated (the old English is in `#|`)."""
PROJECT = "smartcity-kz-study notebooks"


def po_path(lang: str, folder: Path = I18N) -> Path:
    return folder / f"{lang}.po"


def translated_folder(lang: str, notebooks: Path | None = None) -> Path:
    """Where the notebooks in ``lang`` live: ``notebooks/`` for the source language,
    ``notebooks/<lang>/`` for the others."""
    notebooks = paths.NOTEBOOKS if notebooks is None else notebooks
    return notebooks if lang == SOURCE_LANGUAGE else notebooks / lang


def targets() -> tuple[str, ...]:
    """The languages the notebooks are translated into (every language but the source)."""
    return tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)


# ----------------------------------------------------------------------------------------------
# Paragraphs
# ----------------------------------------------------------------------------------------------

def split(text: str) -> list[str]:
    """A markdown cell as alternating paragraphs and separators (blank lines):
    ``"".join(split(text)) == text``, paragraphs at the even positions. A fenced block
    (```` ``` ````, ``~~~``) or a ``$$`` block is never cut."""
    parts = [""]
    fence = None
    for line in text.splitlines(keepends=True):
        blank = not line.strip()
        in_paragraph = len(parts) % 2 == 1
        if blank and fence is None:
            if in_paragraph:
                parts.append(line)
            else:
                parts[-1] += line
            continue
        if in_paragraph:
            parts[-1] += line
        else:
            parts.append(line)
        mark = line.strip()
        for opener in ("```", "~~~"):
            if mark.startswith(opener):
                fence = None if fence == opener else (fence or opener)
        if mark == "$$":
            fence = None if fence == "$$" else (fence or "$$")
    # a paragraph's final newline belongs to the separator after it
    for i in range(0, len(parts), 2):
        stripped = parts[i].rstrip("\n")
        tail = parts[i][len(stripped):]
        if tail:
            parts[i] = stripped
            if i + 1 < len(parts):
                parts[i + 1] = tail + parts[i + 1]
            else:
                parts += [tail, ""]
    assert "".join(parts) == text
    return parts


def paragraphs(text: str) -> list[str]:
    """The translatable paragraphs of a markdown cell (empty ones left out)."""
    return [p for p in split(text)[::2] if p.strip()]


def markdown_cells(notebook: Path) -> list[tuple[int, str]]:
    """``(cell index, source)`` of each markdown cell (plain JSON, no nbformat needed)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [(i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def sources(notebooks: Path | None = None) -> list[Path]:
    notebooks = paths.NOTEBOOKS if notebooks is None else notebooks
    return sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))


# ----------------------------------------------------------------------------------------------
# Catalogues
# ----------------------------------------------------------------------------------------------

def template(notebooks: Path | None = None):
    """The gettext template: every paragraph of every source notebook's markdown, once, with
    the notebooks and cells it occurs in."""
    # deferred: babel loads only when this function runs (kernel start-up time)
    from babel.messages.catalog import Catalog

    pot = Catalog(project=PROJECT, locale=None, fuzzy=False,
                  header_comment="# The English paragraphs of the notebooks' markdown "
                                 "(python -m helpers.run.translate writes this file).")
    for notebook in sources(notebooks):
        for index, text in markdown_cells(notebook):
            for paragraph in paragraphs(text):
                pot.add(paragraph, locations=[(f"notebooks/{notebook.name}", index)])
    for message in pot:  # prose, not format strings: no python-format flags
        message.flags -= {"python-format", "python-brace-format"}
    return pot


def _babel_code(lang: str) -> str | None:
    """``lang`` if CLDR knows it (the .po header then carries its plural rule), else None."""
    return lang if str(locale(lang)) != "root" else None


def read(path: Path, lang: str):
    # deferred: babel loads only when this function runs (kernel start-up time)
    from babel.messages.pofile import read_po, unescape

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=_babel_code(lang), abort_invalid=True)
    for message in catalog:  # Babel reads `#| msgid …` as a comment: make it the previous id
        previous = [c for c in message.user_comments if c.startswith("|")]
        if previous:
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
            quoted = re.findall(r'"(?:[^"\\]|\\.)*"', " ".join(c[1:] for c in previous))
            if message.fuzzy and quoted:
                message.previous_id = ["".join(unescape(q) for q in quoted)]
    return catalog


def rendered(catalog) -> str:
    """A catalogue as the .po text the project keeps (no dates, so an unchanged catalogue is
    byte-identical)."""
    # deferred: babel loads only when this function runs (kernel start-up time)
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=True, include_previous=True,
             sort_output=False)
    text = buffer.getvalue().decode("utf-8")
    text = re.sub(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', "", text, flags=re.M)
    return re.sub(r'^#, fuzzy\n(?=msgid ""\nmsgstr ""\n"Project)', "", text, flags=re.M)


def write(catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rendered(catalog), encoding="utf-8")


def updated(lang: str, pot, folder: Path = I18N):
    """``lang``'s catalogue merged with the template (fuzzy where the English changed)."""
    # deferred: babel loads only when this function runs (kernel start-up time)
    from babel.messages.catalog import Catalog

    path = po_path(lang, folder)
    catalog = read(path, lang) if path.exists() else Catalog(locale=_babel_code(lang),
                                                             project=PROJECT)
    catalog.header_comment = HEADER.format(language=language_name(lang), lang=lang)
    before = [m.id for m in catalog if m.id and m.string]
    kept = {m.id: m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
    catalog.update(pot, no_fuzzy_matching=False, update_header_comment=False)
    for message in catalog:  # Babel's update forgets a still-fuzzy message's previous English
        if message.id in kept and message.fuzzy and not message.previous_id:
            message.previous_id = kept[message.id]
    gone = [i for i in before if i not in pot]
    for message in catalog:
        message.flags -= {"python-format", "python-brace-format"}
    for message in catalog:  # show the translator the English the translation was made for
        if message.id and message.fuzzy and not message.previous_id and gone:
            match = difflib.get_close_matches(message.id, gone, 1, 0.5)
            message.previous_id = match[:1]
    catalog.fuzzy = False
    catalog.project = PROJECT
    return catalog


def translation_problems(catalog, lang: str, path: Path | None = None,
                         notebook: str | None = None) -> list[str]:
    """Untranslated or fuzzy messages of ``catalog`` (of one ``notebook`` if given), and
    translations that drop a piece of code or math of the English (`` `x` ``, ``$…$``)."""
    where = str(path.relative_to(paths.ROOT)) if path and path.is_relative_to(paths.ROOT) \
        else str(path or f"{lang}.po")
    found = []
    for message in catalog:
        if not message.id:
            continue
        places = sorted({loc for loc, _ in message.locations})
        if notebook and not any(Path(p).stem == notebook for p in places):
            continue
        first = message.id.splitlines()[0][:70]
        at = f"{where}: the paragraph “{first}” ({', '.join(places)})"
        if not message.string:
            found.append(f"{at} is not translated.")
        elif message.fuzzy:
            found.append(f"{at} is fuzzy: its English changed; check the translation and "
                         "remove the `fuzzy` flag.")
        else:
            missing = [t for t in protected(message.id) if not _kept(t, message.string)]
            if missing:
                found.append(f"{at}: the translation lacks {missing[:3]}.")
    return found


def protected(text: str) -> list[str]:
    """What a translation must keep verbatim (whitespace aside): inline code, inline math and
    link targets."""
    code = re.findall(r"`[^`\n]+`", text)
    rest = re.sub(r"`[^`\n]+`", " ", text)
    pieces = rest.split("$")
    math = [f"${m}$" for m in pieces[1::2]] if len(pieces) % 2 == 1 else []
    return [" ".join(k.split()) for k in code + math + re.findall(r"\]\(([^)\s]+)\)", text)]


def _kept(piece: str, translation: str) -> bool:
    return piece in " ".join(translation.split())


@cache
def _catalog(lang: str, path: Path):
    return read(path, lang)


def require(lang: str, notebook: str, folder: Path = I18N) -> None:
    """Stop (``TranslationError``) when ``notebook``'s prose is not fully translated into
    ``lang`` (nothing to check for the source language)."""
    if lang == SOURCE_LANGUAGE:
        return
    path = po_path(lang, folder)
    if not path.exists():
        raise TranslationError(f"{path} is missing: the notebooks have no {lang} translation "
                               f"(run `python -m helpers.run.translate`, then translate it).")
    found = translation_problems(_catalog(lang, path), lang, path, notebook)
    if found:
        raise TranslationError(f"{notebook} cannot run in {lang!r}: {len(found)} paragraph(s) "
                               "are untranslated or fuzzy. " + " ".join(found[:3]))


# ----------------------------------------------------------------------------------------------
# Notebooks
# ----------------------------------------------------------------------------------------------

def translate_cell(text: str, catalog) -> str:
    """A markdown cell with each paragraph replaced by its translation (untranslated and fuzzy
    paragraphs stay English, so that a half-translated notebook is visible as such)."""
    parts = split(text)
    for i in range(0, len(parts), 2):
        if parts[i].strip():
            message = catalog.get(parts[i])
            if message is not None and message.string and not message.fuzzy:
                parts[i] = message.string
    return "".join(parts)


LANG_DEFAULT = re.compile(r'^lang = "[^"]*"$', re.M)


def translated_notebook(source: Path, catalog, lang: str | None = None) -> dict:
    """The source notebook (plain JSON) with its markdown translated and, in the cell tagged
    ``parameters``, the default ``lang = "<lang>"`` (a reader who opens the translated notebook
    in JupyterLab runs it in its language); every other cell, output and id as is."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    out = copy.deepcopy(nb)
    for cell in out["cells"]:
        if lang and "parameters" in cell.get("metadata", {}).get("tags", []):
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = LANG_DEFAULT.sub(f'lang = "{lang}"', text).splitlines(keepends=True)
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            new = translate_cell(text, catalog)
            cell["source"] = new.splitlines(keepends=True)
    return out


def dumps(nb: dict) -> str:
    """A notebook as JupyterLab writes it (nbformat's JSON layout and a final newline)."""
    # deferred: nbformat loads only when this function runs (kernel start-up time)
    import nbformat

    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def update(notebooks: Path | None = None, folder: Path = I18N, check: bool = False,
           stream=sys.stdout) -> list[str]:
    """Update the template, the catalogues and the translated notebooks; with ``check`` only
    report what would change or is incomplete. Returns the problems found."""
    notebooks = paths.NOTEBOOKS if notebooks is None else notebooks
    pot = template(notebooks)
    stale: list[str] = []
    planned: dict[Path, str] = {}
    pot_path = folder / TEMPLATE.name
    for lang in targets():
        catalog = updated(lang, pot, folder)
        planned[po_path(lang, folder)] = catalog
        out = translated_folder(lang, notebooks)
        wanted = {source.name: dumps(translated_notebook(source, catalog, lang))
                  for source in sources(notebooks)}
        for name, text in wanted.items():
            target = out / name
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(f"{target} is not up to date")
                if not check:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
        for extra in sorted(set(p.name for p in out.glob("[0-9][0-9]_*.ipynb")) - set(wanted)):
            stale.append(f"{out / extra} has no source notebook")
            if not check:
                (out / extra).unlink()
    problems: list[str] = []
    for path, catalog in planned.items():
        if rendered(catalog) != (path.read_text(encoding="utf-8") if path.exists() else None):
            stale.append(f"{path} is not up to date")
            if not check:
                write(catalog, path)
        problems += translation_problems(catalog, path.stem, path)
    if rendered(pot) != (pot_path.read_text(encoding="utf-8") if pot_path.exists() else None):
        stale.append(f"{pot_path} is not up to date")
        if not check:
            write(pot, pot_path)
    n = sum(1 for m in pot if m.id)
    done = {lang: sum(1 for m in planned[po_path(lang, folder)]
                      if m.id and m.string and not m.fuzzy) for lang in targets()}
    print(f"{len(sources(notebooks))} notebooks, {n} paragraphs; "
          + "; ".join(f"{lang}: {k}/{n} translated" for lang, k in done.items()), file=stream)
    return stale + problems if check else problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers.run.translate",
                                description=__doc__.split("\n")[0])
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 if a catalogue or notebook is stale, or a "
                        "paragraph untranslated or fuzzy")
    args = p.parse_args(argv)
    found = update(check=args.check)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
