"""``make class``: the class pack's student notebooks, autograders and solutions.

``python -m helpers.classpack.build`` runs otter-grader's ``otter assign`` on every source
notebook ``class/eNN_*.ipynb`` (solution markers, tests with hints) and writes to
``build/class/``:

* ``student/eNN_*.ipynb`` — what students get: the answers replaced by ``...``, the checks in the
  notebook's metadata (``grader.check("q1")`` runs them, offline);
* ``solutions/eNN_*.ipynb`` — the same notebook with the solutions (for the teacher);
* ``autograder/eNN_*-autograder.zip`` — otter's autograder for one exercise
  (``otter run -a <zip> <submission.ipynb>`` grades a collected notebook on this machine);
* ``class-pack-student.zip`` — the student notebooks and a README, ready to hand out.

Nothing is downloaded: otter assign only rewrites notebooks. The checks compute the expected
results from the study's helpers when they run (:mod:`helpers.classpack.answers`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml

from helpers.registers.paths import ROOT

SOURCE = ROOT / "class"
OUT = ROOT / "build" / "class"
REGISTRY = SOURCE / "exercises.yaml"

STUDENT_README = """\
Class pack: smart-city adaptation of Kazakhstan's cities (a reproducible study)

Put these notebooks in the folder class/ of the study's repository (they import its helpers and
read its data), start JupyterLab there (make lab, or jupyter lab), and open one.
Replace every ... with your answer; grader.check("q1") checks it and, when it fails, says which
helper or notebook to read. Hand in the notebook when grader.check_all() passes, with your
written answers. The practice survey files (data/survey/practice/) are simulated answers, not
any city's.

{listing}
"""


def exercises(registry: Path = REGISTRY) -> list[dict]:
    """The exercises of ``class/exercises.yaml`` (id, title, minutes, teaches, builds_on)."""
    return yaml.safe_load(registry.read_text(encoding="utf-8"))["exercises"]


def assign(source: Path, target: Path) -> dict[str, Path]:
    """Run ``otter assign`` on one source notebook; returns its student notebook, solution
    notebook and autograder zip (renamed without otter's timestamp)."""
    # deferred: otter loads only when this function runs (kernel start-up time)
    from otter.assign import main as otter_assign

    stem = source.stem
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix=f"otter-{stem}-") as tmp:
        work = Path(tmp)
        shutil.copy(source, work / source.name)
        log = io.StringIO()
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                otter_assign(str(work / source.name), str(work / "dist"), no_pdfs=True,
                             no_run_tests=True)
        except Exception as error:  # otter's own errors name the cell; keep its log
            raise RuntimeError(f"otter assign failed on {source}: {error}\n{log.getvalue()}") \
                from error
        finally:
            os.chdir(here)
        zips = sorted((work / "dist" / "autograder").glob(f"{stem}-autograder_*.zip"))
        if len(zips) != 1:
            raise RuntimeError(f"otter assign wrote {len(zips)} autograder zips for {stem}")
        out = {"student": target / "student" / f"{stem}.ipynb",
               "solution": target / "solutions" / f"{stem}.ipynb",
               "autograder": target / "autograder" / f"{stem}-autograder.zip"}
        for path in out.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "dist" / "student" / source.name, out["student"])
        shutil.copy(work / "dist" / "autograder" / source.name, out["solution"])
        shutil.copy(zips[0], out["autograder"])
    return out


def build(source: Path = SOURCE, out: Path = OUT) -> dict[str, dict[str, Path]]:
    """Build every exercise of ``source`` into ``out`` (emptied first); returns the files."""
    listed = exercises(source / "exercises.yaml")
    notebooks = sorted(source.glob("e[0-9][0-9]_*.ipynb"))
    ids = [e["id"] for e in listed]
    if [n.stem for n in notebooks] != ids:
        raise RuntimeError(f"class/exercises.yaml lists {ids}, class/ holds "
                           f"{[n.stem for n in notebooks]}: they must agree.")
    if out.exists():
        shutil.rmtree(out)
    built = {n.stem: assign(n, out) for n in notebooks}
    listing = "\n".join(f"{e['id']}.ipynb  {e['title']} (about {e['minutes']} min)"
                        for e in listed)
    with zipfile.ZipFile(out / "class-pack-student.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("class-pack/README.txt", STUDENT_README.format(listing=listing))
        for stem, files in built.items():
            zf.write(files["student"], f"class-pack/{stem}.ipynb")
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.classpack.build",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    built = build(args.source, args.out)
    for stem in built:
        print(f"{stem}: student, solution, autograder")
    print(f"{len(built)} exercises in {args.out} (hand out {args.out / 'class-pack-student.zip'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
