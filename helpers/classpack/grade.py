"""Grade a class's collected notebooks on this machine, with the exercises' otter autograders.

``python -m helpers.classpack.grade <folder>`` grades every ``<folder>/**/eNN_*.ipynb`` against
the autograder of its exercise in its language — ``build/class/autograder/eNN_*-autograder.zip``
for English, ``build/class/<lang>/autograder/…`` for Kazakh and Russian (run ``make class``
first); a notebook's language is the one the build recorded in it (``classpack.lang`` in its
metadata; English when absent), so one folder may hold all three. It grades with otter-grader's
``grade_submission`` (no Docker, nothing installed; the notebooks run in this environment's
kernel, so the checks read this copy of the study) and writes ``<folder>/scores.csv``: one row
per notebook with its exercise, language, score, maximum and the checks that failed. Written
answers (manual questions) are not graded here: read them.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from helpers.classpack.build import OUT, pack_folder
from helpers.classpack.localise import METADATA
from helpers.registers.i18n import SOURCE_LANGUAGE
from helpers.registers.labels import LANGUAGES

COLUMNS = ["notebook", "exercise", "lang", "score", "possible", "failed"]


def language(notebook: Path) -> str:
    """The language the build recorded in a notebook (English when it records none)."""
    metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    return (metadata.get(METADATA) or {}).get("lang", SOURCE_LANGUAGE)


def grade_folder(folder: Path, pack: Path = OUT) -> list[dict]:
    """Grade every exercise notebook under ``folder`` with the autograders of the pack built in
    ``pack``; one row per notebook (:data:`COLUMNS`)."""
    # deferred: otter loads only when this function runs (kernel start-up time)
    from otter.api import grade_submission

    rows = []
    for notebook in sorted(folder.rglob("e[0-9][0-9]_*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        exercise, lang = notebook.stem.split(".")[0], language(notebook)
        row = {"notebook": str(notebook.relative_to(folder)), "exercise": exercise,
               "lang": lang, "score": "", "possible": ""}
        if lang not in LANGUAGES:
            rows.append({**row, "failed": f"unknown language {lang!r} (valid: "
                                          f"{', '.join(LANGUAGES)})"})
            continue
        zipfile = pack_folder(lang, pack) / "autograder" / f"{exercise}-autograder.zip"
        if not zipfile.exists():
            rows.append({**row, "failed": f"no autograder {zipfile}: run make class"})
            continue
        result = grade_submission(str(notebook), str(zipfile), quiet=True)
        failed = [q for q, r in result.results.items() if r.score < r.possible]
        rows.append({**row, "score": result.total, "possible": result.possible,
                     "failed": " ".join(failed)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.classpack.grade",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the collected notebooks (any sub-folders)")
    parser.add_argument("--pack", type=Path, default=OUT,
                        help="the built pack (make class; default: %(default)s)")
    args = parser.parse_args(argv)
    rows = grade_folder(args.folder, args.pack)
    target = args.folder / "scores.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} notebooks graded: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
