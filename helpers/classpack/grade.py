"""Grade a class's collected notebooks on this machine, with the exercises' otter autograders.

``python -m helpers.classpack.grade <folder>`` grades every ``<folder>/**/eNN_*.ipynb`` against
``build/class/autograder/eNN_*-autograder.zip`` (run ``make class`` first) with otter-grader's
``grade_submission`` (no Docker, nothing installed; the notebooks run in this environment's
kernel, so the checks read this copy of the study) and writes ``<folder>/scores.csv``: one row
per notebook with its exercise, score, maximum and the checks that failed. Written answers
(manual questions) are not graded here: read them.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from helpers.classpack.build import OUT


def grade_folder(folder: Path, autograders: Path = OUT / "autograder") -> list[dict]:
    # deferred: otter loads only when this function runs (kernel start-up time)
    from otter.api import grade_submission

    rows = []
    for notebook in sorted(folder.rglob("e[0-9][0-9]_*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        exercise = notebook.stem.split(".")[0]
        zipfile = autograders / f"{exercise}-autograder.zip"
        if not zipfile.exists():
            rows.append({"notebook": str(notebook.relative_to(folder)), "exercise": exercise,
                         "score": "", "possible": "",
                         "failed": f"no autograder {zipfile.name}: run make class"})
            continue
        result = grade_submission(str(notebook), str(zipfile), quiet=True)
        failed = [q for q, r in result.results.items() if r.score < r.possible]
        rows.append({"notebook": str(notebook.relative_to(folder)), "exercise": exercise,
                     "score": result.total, "possible": result.possible,
                     "failed": " ".join(failed)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.classpack.grade",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the collected notebooks (any sub-folders)")
    parser.add_argument("--autograders", type=Path, default=OUT / "autograder")
    args = parser.parse_args(argv)
    rows = grade_folder(args.folder, args.autograders)
    target = args.folder / "scores.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["notebook", "exercise", "score", "possible", "failed"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} notebooks graded: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
