"""The class pack's notebooks in Kazakh and Russian, made from the English source notebooks.

The English notebooks ``class/eNN_*.ipynb`` stay the source; a notebook in another language is
made from one each time the pack is built (:mod:`helpers.classpack.build`) and never edited:

* :func:`localised` — the source notebook with every text in the language: the title line
  (``heading`` of ``class/pages.yaml`` with the translated title) and each cell of
  :func:`helpers.classpack.source.keyed` replaced by its translation from the sentence catalogue
  (:func:`helpers.classpack.languages.texts_in`; the site's Class section shows the same
  translations): the introduction, notes, prompts, written model answers and the hint
  (``failure_message``) of every check, so that a failing check speaks the student's language.
  Every other cell — the code, the solutions, the checks' code, otter's markers — is kept
  character for character (``tests/test_class.py`` compares them).
* :func:`finished` — a notebook ``otter assign`` wrote from it, with the two texts otter adds in
  English (the placeholder of a written answer, the line above ``grader.check_all()``) replaced
  by ``class/pages.yaml``'s, and its language recorded in the notebook's metadata
  (``classpack.lang``: the grader picks that language's autograder). A text cell otter adds that
  the pack does not know stops the build, naming it.

What otter itself prints when a check runs ("q1 results: All test cases passed!") stays English:
it is otter's program output, like a traceback.
"""

from __future__ import annotations

import copy
import json
import re

import yaml

from helpers.classpack.languages import ClassTextError
from helpers.classpack.source import HINT, keyed
from helpers.classpack.words import word

OTTER_TEXTS = ("answer_here", "check_all")
"""The keys of ``class/pages.yaml`` whose English is a text cell ``otter assign`` writes."""
METADATA = "classpack"
"""The notebook metadata entry that records a built notebook's language (``{"lang": …}``)."""
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def heading(stem: str, title: str, lang: str) -> str:
    """An exercise's title line: ``# Exercise 4: <title>`` in ``lang``."""
    return "# " + word("heading", lang, number=int(stem[1:3]), title=title)


def localised(nb, stem: str, lang: str, texts: dict[str, str], english_title: str):
    """A copy of the source notebook ``nb`` of exercise ``stem`` with its texts in ``lang``
    (``texts``: :func:`helpers.classpack.languages.texts_in`); its code as it is.
    ``english_title`` is the exercise's title in ``class/exercises.yaml``: the notebook's title
    line must be the English ``heading`` of it."""
    out = copy.deepcopy(nb)
    for index, key in keyed(nb).items():
        cell, translation = out.cells[index], texts[f"class.{stem}.{key}"]
        if key == "intro":
            first = cell.source.partition("\n")[0]
            if first != heading(stem, english_title, "en"):
                raise ClassTextError(
                    f"class/{stem}.ipynb: the title line {first!r} is not "
                    f"{heading(stem, english_title, 'en')!r} (class/pages.yaml's heading with "
                    "the title of class/exercises.yaml): make them agree.")
            cell.source = f"{heading(stem, texts[f'class.{stem}.title'], lang)}\n\n{translation}"
        elif ".hint." in key:
            line = f"failure_message: {json.dumps(translation, ensure_ascii=False)}"
            if yaml.safe_load(line)["failure_message"] != translation:
                raise ClassTextError(f"the hint class.{stem}.{key} ({lang}) cannot be written "
                                     "as a YAML string; simplify its punctuation.")
            found = HINT.search(cell.source)
            cell.source = cell.source[:found.start()] + line + cell.source[found.end():]
        else:
            cell.source = translation
    return out


def _bare(text: str) -> str:
    return _COMMENT.sub("", text).strip()


def finished(nb, lang: str, known: set[str], where: str):
    """The notebook ``nb`` that otter assign wrote (student or solution), in place: otter's own
    text cells in ``lang``, and ``lang`` in its metadata. ``known`` holds the text cells of the
    notebook otter read (HTML comments aside, which otter adds around written answers); any
    other text cell is otter's, and one that is not of :data:`OTTER_TEXTS` stops the build."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        bare = _bare(cell.source)
        otter = [k for k in OTTER_TEXTS if bare == word(k, "en")]
        if otter:
            cell.source = cell.source.replace(bare, word(otter[0], lang))
        elif bare and bare not in known:
            raise ClassTextError(
                f"{where}, cell {index}: otter assign wrote a text the class pack does not "
                f"translate ({bare[:60]!r}); add it to class/pages.yaml in every language and "
                "its key to helpers.classpack.localise.OTTER_TEXTS.")
    nb.metadata[METADATA] = {"lang": lang}
    return nb


def known_texts(nb) -> set[str]:
    """The text cells of a notebook, as :func:`finished` compares them."""
    return {_bare(c.source) for c in nb.cells if c.cell_type == "markdown"}
