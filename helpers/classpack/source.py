"""The exercises' source notebooks (``class/eNN_*.ipynb``, otter assign format, listed in
``class/exercises.yaml``) read as texts: each notebook's title and introduction, its notes (text
cells outside the questions), its questions with their prompts, solution code and written model
answers, and the hints of its checks. The site's Class section (:mod:`helpers.classpack.site`)
shows them, :mod:`helpers.classpack.languages` keys them for translation and
:mod:`helpers.classpack.localise` writes them back in another language."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from helpers.registers.paths import ROOT

SOURCE = ROOT / "class"
REGISTRY = SOURCE / "exercises.yaml"

HINT = re.compile(r'^failure_message: (".*")$', re.M)
"""A check's hint: the ``failure_message`` line of its test config (a YAML double-quoted
string), which otter shows when the check fails."""
TEST_NAME = re.compile(r"^def (test_\w+)\(", re.M)


def exercises(registry: Path = REGISTRY) -> list[dict]:
    """The exercises of ``class/exercises.yaml`` (id, title, minutes, teaches, builds_on)."""
    return yaml.safe_load(registry.read_text(encoding="utf-8"))["exercises"]


def _raw(cell) -> str:
    return cell.source.strip() if cell.cell_type == "raw" else ""


def _solution_code(source: str) -> str:
    """A solution cell as the teacher reads it: the otter markers taken out."""
    lines = []
    for line in source.splitlines():
        if re.match(r"\s*# (BEGIN|END) SOLUTION", line):
            continue
        lines.append(re.sub(r"\s*# SOLUTION( NO PROMPT)?\s*$", "", line))
    return "\n".join(lines).strip()


def hint(test_source: str) -> tuple[str, str] | None:
    """``(test function, hint)`` of one test cell, or None when it has no hint."""
    found, name = HINT.search(test_source), TEST_NAME.search(test_source)
    if not found:
        return None
    if not name:
        raise ValueError(f"a check with a hint defines no test function: {test_source[:80]!r}")
    return name[1], yaml.safe_load(found[1])


def keyed(nb) -> dict[int, str]:
    """The key (after ``class.<exercise>.``) of every cell that holds a text, by cell index:
    ``intro`` (the first text cell; its title line aside), ``note<n>`` (a text cell outside the
    questions), ``<question>`` (its prompt), ``<question>.answer`` (a written model answer) and
    ``<question>.hint.<test function>`` (a check with a hint). A question holds one prompt cell
    and at most one answer cell, so that a cell and its translation are one text."""
    keys: dict[int, str] = {}
    question, block, n_notes = None, None, 0
    for index, cell in enumerate(nb.cells):
        marker = _raw(cell)
        if marker.startswith("# BEGIN QUESTION"):
            question, block = re.search(r"name:\s*(\S+)", marker)[1], "prompt"
        elif marker == "# END QUESTION":
            question, block = None, None
        elif marker in ("# BEGIN SOLUTION", "# BEGIN TESTS"):
            block = "answer" if "SOLUTION" in marker else "tests"
        elif marker in ("# END SOLUTION", "# END TESTS"):
            block = None
        elif cell.cell_type == "markdown":
            if question is None:
                key = "intro" if not keys else f"note{(n_notes := n_notes + 1)}"
            elif block in ("prompt", "answer"):
                key = question if block == "prompt" else f"{question}.answer"
            else:
                raise ValueError(f"cell {index}: a text cell inside question {question}'s "
                                 f"{block or 'markers'}; prompts go before its solution, "
                                 "written answers inside it.")
            if key in keys.values():
                raise ValueError(f"cell {index}: question {question} has a second "
                                 f"{'prompt' if key == question else 'answer'} cell; join "
                                 "them into one text cell.")
            keys[index] = key
        elif cell.cell_type == "code" and block == "tests" and hint(cell.source):
            keys[index] = f"{question}.hint.{hint(cell.source)[0]}"
    return keys


def text(cell, key: str) -> str:
    """The English text of a cell of :func:`keyed`: the cell's text (the introduction without
    its title line; a check's hint alone)."""
    if ".hint." in key:
        return hint(cell.source)[1]
    if key == "intro":
        return cell.source.partition("\n")[2].strip()
    return cell.source.strip()


def notes(nb) -> list[str]:
    """The text cells outside the questions after the introduction, in order."""
    return [text(nb.cells[i], k) for i, k in keyed(nb).items() if k.startswith("note")]


def questions(nb) -> list[dict]:
    """The questions of a source notebook: name, prompt, solution code and written answer."""
    found, current, block = [], None, None
    for cell in nb.cells:
        marker = _raw(cell)
        if marker.startswith("# BEGIN QUESTION"):
            name = re.search(r"name:\s*(\S+)", marker)[1]
            current = {"name": name, "manual": "manual: true" in marker, "prompt": [],
                       "code": [], "answer": []}
            block = "prompt"
        elif marker == "# END QUESTION":
            found.append(current)
            current, block = None, None
        elif marker in ("# BEGIN SOLUTION", "# BEGIN TESTS"):
            block = "solution" if "SOLUTION" in marker else "tests"
        elif marker in ("# END SOLUTION", "# END TESTS"):
            block = None
        elif current is not None and block == "prompt" and cell.cell_type == "markdown":
            current["prompt"].append(cell.source.strip())
        elif current is not None and block == "solution":
            if cell.cell_type == "code":
                current["code"].append(_solution_code(cell.source))
            else:
                current["answer"].append(cell.source.strip())
    return found


def intro(nb) -> tuple[str, str]:
    """The title and the goal/data/hand-in/time paragraphs of the notebook's first text cell."""
    first = next(c.source for c in nb.cells if c.cell_type == "markdown")
    title, _, rest = first.partition("\n")
    return title.lstrip("# ").strip(), rest.strip()
