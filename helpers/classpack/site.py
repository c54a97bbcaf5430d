"""The site's Class section, written from the exercises' source notebooks (``class/``).

:func:`write` puts ``class/index.md`` (the exercises with their time and the helper each one
teaches), ``class/instructor.md`` (learning goals, timing, grading, collecting) and one page per
exercise into the book's source tree, and returns the part of the table of contents that lists
them. Each exercise page states its goal, data, hand-in and time, gives every question in a
sphinx-exercise ``exercise`` directive with its ``solution`` folded behind a toggle (class
``dropdown``), and its launch link. The site builder calls it (one hook) and loads
``sphinx_exercise``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from helpers.classpack.build import SOURCE, exercises

FOLDER = "class"
EXTENSION = "sphinx_exercise"


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


def _intro(nb) -> tuple[str, str]:
    """The title and the goal/data/hand-in/time paragraphs of the notebook's first text cell."""
    text = next(c.source for c in nb.cells if c.cell_type == "markdown")
    title, _, rest = text.partition("\n")
    return title.lstrip("# ").strip(), rest.strip()


def launch(stem: str) -> str:
    lab = f"http://localhost:8888/lab/tree/{stem}.ipynb"
    return (f"**Launch:** `make class`, then `.venv/bin/jupyter lab build/class/student` and "
            f"[open {stem}.ipynb]({lab}) (the student notebook, with its checks). Teachers: the "
            f"source with solutions is `class/{stem}.ipynb`.")


def exercise_page(stem: str, nb) -> str:
    title, intro = _intro(nb)
    parts = [f"# {title}", "", intro, "", launch(stem), ""]
    for q in questions(nb):
        label = f"{stem}-{q['name']}"
        prompt = "\n\n".join(q["prompt"])
        number = re.match(r"^\*\*(Question \d+)\.\*\*\s*", prompt)
        heading = number[1] if number else q["name"]
        prompt = prompt[number.end():] if number else prompt
        parts += [f"````{{exercise}} {heading}", f":label: {label}", ":nonumber:", "",
                  prompt, "````", ""]
        body = []
        for code in q["code"]:
            body += ["```python", code, "```", ""]
        body += [a for a in q["answer"]]
        parts += [f"````{{solution}} {label}", ":class: dropdown", "", *body, "````", ""]
    return "\n".join(parts)


def index_page(listed: list[dict]) -> str:
    rows = "\n".join(f"| [{e['title']}]({e['id']}.md) | {e['minutes']} min | {e['teaches']} | "
                     f"`{e['builds_on']}` |" for e in listed)
    total = sum(e["minutes"] for e in listed)
    return f"""# Class: exercises on the study

Exercises that extend the study in class: each is a short notebook a student opens in
JupyterLab; it builds on the study's own helpers and data, and its checks
(`grader.check("q1")`, otter-grader) compare the student's *result* with what the study
computes, and point to the helper or notebook to read when it differs. Solutions are folded on
each page (click to show them). How to run the pack in a class: [for instructors](instructor.md).

| exercise | time | helper it teaches | builds on |
|---|---|---|---|
{rows}

{len(listed)} exercises, about {total} minutes in all.
"""


def instructor_page(listed: list[dict]) -> str:
    timing = "\n".join(f"- {e['title']}: about {e['minutes']} minutes" for e in listed)
    return f"""# For instructors

## Learning goals

After the exercises a student can

- run a notebook of the study for a region of their choice (papermill, parameters) and read its
  JSON report;
- rebuild a number of the article (a correlation of Table 1, a trend's R²) from the official
  data with the study's helpers, and decide its verdict by the study's written rule;
- extend the study the way `docs/extending.md` says (a codebook row) and tell which verdicts
  move, and why;
- reason about what 20 regions can show (power, permutation) and about what the data cannot
  check;
- analyse survey answers of two groups (measurement model, MICOM, multi-group comparison) and
  say the result in words a city official understands, on **practice data** that are simulated
  and labelled as such.

## Timing

{timing}

A 90-minute session holds two or three exercises; exercises 1, 3 and 5 suit homework.

## Preparing the pack

```bash
make class     # build/class/: student/, solutions/, autograder/, class-pack-student.zip
```

`make class` runs otter-grader's `otter assign` on every source notebook in `class/` (solutions
and tests marked in the `otter assign` format; edit those, never the built files). Hand out
`build/class/class-pack-student.zip`: students unpack it into the folder `class/` of their copy of
the study (they need the study's environment: `make lab` creates it). Nothing is downloaded when
the notebooks or their checks run.

## How the checks work

Each check recomputes the expected result from the study (`helpers/classpack/answers.py`) when
it runs, and compares within a stated tolerance (±0.005 for a correlation or an R²). If the
study's data change, the expected answers change with them. The checks travel inside the student
notebook, so a student can read them; for a graded test, keep the solutions and rely on the
written answers.

## Collecting and grading

1. Collect the notebooks (a shared folder, a learning platform's assignment, or e-mail) into
   one folder, one sub-folder per student if you like; keep each file's name (`eNN_….ipynb`).
2. Grade them all on your machine:

   ```bash
   .venv/bin/python -m helpers.classpack.grade collected/   # writes collected/scores.csv
   ```

   or one notebook with otter's own command:
   `otter run -a build/class/autograder/e02_table1_cell-autograder.zip submission.ipynb`.
   The autograder runs the whole notebook, then its checks; `scores.csv` lists each notebook's
   score and the questions that failed.
3. Read the written answers (the questions marked with a text cell): they are not graded
   automatically.
"""


def write(src: Path, source: Path = SOURCE) -> dict:
    """Write the Class section into the book source ``src``; returns its part of the TOC."""
    folder = src / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    listed = exercises(source / "exercises.yaml")
    (folder / "index.md").write_text(index_page(listed), encoding="utf-8")
    (folder / "instructor.md").write_text(instructor_page(listed), encoding="utf-8")
    for e in listed:
        nb = nbformat.read(source / f"{e['id']}.ipynb", as_version=4)
        (folder / f"{e['id']}.md").write_text(exercise_page(e["id"], nb), encoding="utf-8")
    return {"caption": "Class",
            "chapters": [{"file": f"{FOLDER}/index",
                          "sections": [{"file": f"{FOLDER}/instructor"},
                                       *({"file": f"{FOLDER}/{e['id']}"} for e in listed)]}]}
