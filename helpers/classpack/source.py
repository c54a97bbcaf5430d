"""The exercises' source notebooks (``class/eNN_*.ipynb``, otter assign format) read as texts:
each notebook's title and introduction, and its questions with their prompts, solution code and
written model answers. The site's Class section (:mod:`helpers.classpack.site`) shows them and
:mod:`helpers.classpack.languages` keys them for translation."""

from __future__ import annotations

import re


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
    text = next(c.source for c in nb.cells if c.cell_type == "markdown")
    title, _, rest = text.partition("\n")
    return title.lstrip("# ").strip(), rest.strip()


