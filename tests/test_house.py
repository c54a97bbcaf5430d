"""The house a newcomer reads like a map: the front door's size, the notebooks' order and size,
and the step module behind every notebook."""

from __future__ import annotations

import json
import re

from helpers.registers import paths
from helpers.run import runner
from helpers.run.runner import notebook_names

README = paths.ROOT / "README.md"
MAX_README_BYTES = 8192
MAX_CODE_LINES = 60


def code_lines(notebook: str) -> int:
    """Non-blank, non-comment lines of the notebook's code cells."""
    nb = json.loads((paths.NOTEBOOKS / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    return sum(1 for cell in nb["cells"] if cell["cell_type"] == "code"
               for line in "".join(cell["source"]).splitlines()
               if line.strip() and not line.strip().startswith("#"))


def test_the_readme_is_one_page():
    size = len(README.read_bytes())
    assert size <= MAX_README_BYTES, (f"README.md is {size} bytes (at most {MAX_README_BYTES}): "
                                      "move the detail beside what it describes (docs/, data/)")


def test_every_link_of_the_readme_leads_to_a_file():
    text = README.read_text(encoding="utf-8")
    targets = [t for t in re.findall(r"\]\(([^)#]+)\)", text) if "://" not in t]
    assert targets, "the README links to the pages beside what it describes"
    missing = [t for t in targets if not (paths.ROOT / t).exists()]
    assert missing == []


NOT_YET_THIN: dict[str, str] = {}
"""Notebooks known to be above the limit, each with the reason (issue 16's note). The test fails
when one of them gets thin (remove it here) and when any other notebook grows fat."""


def test_every_notebook_is_thin():
    fat = {n: code_lines(n) for n in notebook_names() if code_lines(n) > MAX_CODE_LINES}
    assert set(fat) == set(NOT_YET_THIN), (
        f"notebooks with more than {MAX_CODE_LINES} code lines: {fat} (known: "
        f"{sorted(NOT_YET_THIN)}); move the sentences and records into the notebook's step module")


def test_the_line_count_reads_code_only(tmp_path, monkeypatch):
    cell = {"cell_type": "code", "source": ["x = 1\n", "\n", "# a comment\n", "y = 2"]}
    text = {"cell_type": "markdown", "source": ["words\n", "more"]}
    (tmp_path / "99_t.ipynb").write_text(json.dumps({"cells": [cell, text]}), encoding="utf-8")
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path)
    assert code_lines("99_t") == 2


def test_the_run_order_is_the_number_order():
    names = notebook_names()
    assert names == sorted(names), "helpers/run/contract.yaml lists the notebooks out of order"
    files = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert names == files
    assert [n[:2] for n in names] == [f"{i:02d}" for i in range(len(names))]


def test_the_step_module_of_every_notebook_is_found_by_its_number():
    steps = paths.ROOT / "helpers" / "steps"
    missing = [n for n in notebook_names() if not (steps / f"nb{n}.py").exists()]
    assert missing == [], "every notebook NN_<topic> has helpers/steps/nbNN_<topic>.py"


def _published(root):
    return [p for p in root.rglob("*") if p.is_file() and p.suffix in {
        ".ipynb", ".html", ".json", ".md", ".txt", ".csv", ".svg", ".js"}]


def test_nothing_published_names_the_machine_that_built_it(study_root, site):
    """Relative paths in everything published: the reports, their HTML, the JSON records and
    the site's pages hold neither the checkout's absolute path nor the run's output folder."""
    machine = [str(paths.ROOT), str(study_root.resolve())]
    leaks = [str(p) for root in (study_root / "reports", site) for p in _published(root)
             if any(folder in p.read_text(encoding="utf-8", errors="replace")
                    for folder in machine)]
    assert leaks == [], f"absolute paths of the build machine in: {leaks[:10]}"


def test_the_scrub_writes_both_folders_relative(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(tmp_path))
    text = (f"outputs {tmp_path}/reports/almaty; {paths.ROOT}/helpers/x.py:3: Warning; "
            f"root {tmp_path}")
    assert runner.relative_paths(text) == "outputs reports/almaty; helpers/x.py:3: Warning; root ."
