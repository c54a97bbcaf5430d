"""The site's Class section, written from the exercises' source notebooks (``class/``).

:func:`write` puts ``class/index.md`` (the exercises with their time and the helper each one
teaches), ``class/instructor.md`` (learning goals, timing, grading, collecting) and one page per
exercise into the book's source tree, and returns the part of the table of contents that lists
them. Each exercise page states its goal, data, hand-in and time, gives every question in a
sphinx-exercise ``exercise`` directive with its ``solution`` folded behind a toggle (class
``dropdown``), and its launch link. The site builder calls it (one hook) for each edition and
loads ``sphinx_exercise``. In Kazakh and Russian the texts are the translations of
:mod:`helpers.classpack.languages` (the sentence catalogue) and the section's own words those of
``class/pages.yaml``; the code and the notebooks' names stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import nbformat

from helpers.classpack import words
from helpers.classpack.answers import TOL
from helpers.classpack.languages import texts_in
from helpers.classpack.source import SOURCE, exercises, intro, notes, questions
from helpers.registers import i18n
from helpers.run.translate import translated_folder

FOLDER = "class"
EXTENSION = "sphinx_exercise"
PAGES = words.PAGES
"""The section's own words (index, instructor page, launch line) in every language."""
word = words.word


def launch(stem: str, lang: str = "en") -> str:
    """The launch line: build the pack, open the student notebook of ``lang`` in JupyterLab."""
    lab = f"http://localhost:8888/lab/tree/{stem}.ipynb"
    folder = translated_folder(lang, Path("build") / "class").as_posix()
    return word("launch", lang, stem=stem, lab=lab, folder=folder)


def exercise_page(stem: str, nb, lang: str = "en", texts: dict[str, str] | None = None) -> str:
    """One exercise's page: its title, introduction, launch line, and every question in an
    ``exercise`` box with its ``solution`` folded. In a language other than English the texts
    come from ``texts`` (:func:`helpers.classpack.languages.texts_in`); the code stays."""
    title, intro_ = intro(nb)
    if texts is not None:
        title, intro_ = texts[f"class.{stem}.title"], texts[f"class.{stem}.intro"]
    parts = [f"# {title}", "", intro_, "", launch(stem, lang), ""]
    for n, note in enumerate(notes(nb), start=1):
        parts += [note if texts is None else texts[f"class.{stem}.note{n}"], ""]
    for q in questions(nb):
        label = f"{stem}-{q['name']}"
        key = f"class.{stem}.{q['name']}"
        prompt = "\n\n".join(q["prompt"]) if texts is None else texts[key]
        number = re.match(r"^\*\*([^*\n]+?)\.\*\*\s*", prompt)
        heading = number[1] if number else q["name"]
        prompt = prompt[number.end():] if number else prompt
        parts += [f"````{{exercise}} {heading}", f":label: {label}", ":nonumber:", "",
                  prompt, "````", ""]
        body = []
        for code in q["code"]:
            body += ["```python", code, "```", ""]
        if q["answer"]:
            body.append("\n\n".join(q["answer"]) if texts is None else texts[f"{key}.answer"])
        parts += [f"````{{solution}} {label}", ":class: dropdown", "", *body, "````", ""]
    return "\n".join(parts)


def index_page(listed: list[dict], lang: str = "en",
               texts: dict[str, str] | None = None) -> str:
    def text(e: dict, what: str) -> str:
        return e[what] if texts is None else texts[f"class.{e['id']}.{what}"]

    rows = "\n".join(f"| [{text(e, 'title')}]({e['id']}.md) | "
                     f"{word('minutes', lang, minutes=e['minutes'])} | {text(e, 'teaches')} | "
                     f"`{e['builds_on']}` |" for e in listed)
    return word("index", lang, rows=rows, count=len(listed),
                minutes=sum(e["minutes"] for e in listed))


def instructor_page(listed: list[dict], lang: str = "en",
                    texts: dict[str, str] | None = None) -> str:
    timing = "\n".join(word("timing_line", lang, minutes=e["minutes"],
                            title=e["title"] if texts is None else texts[f"class.{e['id']}.title"])
                       for e in listed)
    tolerance = "±" + i18n.number(TOL["r"], lang, ".3f")
    return word("instructor", lang, timing=timing, tolerance=tolerance)


def pages(source: Path = SOURCE) -> list[str]:
    """The section's pages, as paths from the book's root (``class/index.html`` …)."""
    return [f"{FOLDER}/{name}.html" for name in
            ("index", "instructor", *(e["id"] for e in exercises(source / "exercises.yaml")))]


def _with_switch(page: str, switch: str) -> str:
    title, _, rest = page.partition("\n")
    return f"{title}\n\n{switch}\n{rest}" if switch else page


def write(src: Path, lang: str = "en", source: Path = SOURCE,
          switch: Callable[[str], str] | None = None) -> dict:
    """Write the Class section into the book source ``src`` in ``lang``; returns its part of the
    TOC. ``switch(page)`` gives the language switch put under each page's title. A text with no
    current translation in ``lang`` stops it (:class:`ClassTextError`)."""
    texts = None if lang == i18n.SOURCE_LANGUAGE else texts_in(lang, source)
    folder = src / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    listed = exercises(source / "exercises.yaml")

    def put(name: str, page: str) -> None:
        shown = _with_switch(page, switch(f"{FOLDER}/{name}.html") if switch else "")
        (folder / f"{name}.md").write_text(shown, encoding="utf-8")

    put("index", index_page(listed, lang, texts))
    put("instructor", instructor_page(listed, lang, texts))
    for e in listed:
        nb = nbformat.read(source / f"{e['id']}.ipynb", as_version=4)
        put(e["id"], exercise_page(e["id"], nb, lang, texts))
    return {"caption": word("caption", lang),
            "chapters": [{"file": f"{FOLDER}/index",
                          "sections": [{"file": f"{FOLDER}/instructor"},
                                       *({"file": f"{FOLDER}/{e['id']}"} for e in listed)]}]}
