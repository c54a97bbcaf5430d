"""``make class``: the class pack's student notebooks, autograders and solutions, in every
language of the study.

``python -m helpers.classpack.build`` runs otter-grader's ``otter assign`` on every source
notebook ``class/eNN_*.ipynb`` (solution markers, tests with hints) and writes to
``build/class/`` in English and to ``build/class/<lang>/`` in Kazakh (``kk``) and Russian
(``ru``) — ``--lang kk`` builds one language only:

* ``student/eNN_*.ipynb`` — what students get: the answers replaced by ``...``, the checks in the
  notebook's metadata (``grader.check("q1")`` runs them, offline);
* ``solutions/eNN_*.ipynb`` — the same notebook with the solutions (for the teacher);
* ``autograder/eNN_*-autograder.zip`` — otter's autograder for one exercise
  (``otter run -a <zip> <submission.ipynb>`` grades a collected notebook on this machine);
* ``class-pack-student.zip`` — the student notebooks and a README, ready to hand out.

A Kazakh or Russian notebook is the English source with its texts translated
(:mod:`helpers.classpack.localise`): the same code cells, the same checks, the hints in the
language; a text with no current translation stops the build before otter runs, naming it.
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

import nbformat

from helpers.classpack.languages import ClassTextError, texts_in
from helpers.classpack.localise import finished, known_texts, localised
from helpers.classpack.source import SOURCE, exercises
from helpers.classpack.words import word
from helpers.registers.i18n import SOURCE_LANGUAGE
from helpers.registers.labels import LANGUAGES
from helpers.registers.paths import ROOT
from helpers.run.translate import translated_folder

OUT = ROOT / "build" / "class"
BUILT = ("student", "solutions", "autograder", "class-pack-student.zip")
"""What one language's build holds (``build/class/`` for English, ``build/class/<lang>/``)."""


def pack_folder(lang: str, out: Path = OUT) -> Path:
    """Where the pack in ``lang`` is built: ``out`` for English, ``out/<lang>`` otherwise."""
    return translated_folder(lang, out)


def assign(source: Path, target: Path, lang: str = "en",
           texts: dict[str, str] | None = None, title: str | None = None) -> dict[str, Path]:
    """Run ``otter assign`` on one source notebook in ``lang`` (its texts ``texts``, its English
    title ``title``; both needed for a language other than English); returns its student
    notebook, solution notebook and autograder zip (renamed without otter's timestamp)."""
    # deferred: otter loads only when this function runs (kernel start-up time)
    from otter.assign import main as otter_assign

    stem = source.stem
    here = Path.cwd()
    nb = nbformat.read(source, as_version=4)
    if lang != SOURCE_LANGUAGE:
        nb = localised(nb, stem, lang, texts, title)
    with tempfile.TemporaryDirectory(prefix=f"otter-{stem}-") as tmp:
        work = Path(tmp)
        nbformat.write(nb, work / source.name)
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
        known = known_texts(nb)
        for kind, written in (("student", "student"), ("solution", "autograder")):
            built = nbformat.read(work / "dist" / written / source.name, as_version=4)
            nbformat.write(finished(built, lang, known, f"{lang} {kind} notebook of {stem}"),
                           out[kind])
        shutil.copy(zips[0], out["autograder"])
    return out


def build(source: Path = SOURCE, out: Path = OUT,
          langs: tuple[str, ...] = LANGUAGES) -> dict[str, dict[str, dict[str, Path]]]:
    """Build every exercise of ``source`` in each of ``langs`` into :func:`pack_folder` (its earlier
    build removed first); returns the files by language and exercise."""
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        raise ClassTextError(f"Unknown language(s) {', '.join(map(repr, unknown))}; the class "
                             f"pack's languages are {', '.join(LANGUAGES)}.")
    listed = exercises(source / "exercises.yaml")
    notebooks = sorted(source.glob("e[0-9][0-9]_*.ipynb"))
    ids = [e["id"] for e in listed]
    if [n.stem for n in notebooks] != ids:
        raise RuntimeError(f"class/exercises.yaml lists {ids}, class/ holds "
                           f"{[n.stem for n in notebooks]}: they must agree.")
    texts = {lang: texts_in(lang, source) for lang in langs}  # stops here on a missing text
    titles = {e["id"]: e["title"] for e in listed}
    built = {}
    for lang in langs:
        target = pack_folder(lang, out)
        for name in BUILT:
            old = target / name
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
        built[lang] = {n.stem: assign(n, target, lang, texts[lang], titles[n.stem])
                       for n in notebooks}
        listing = "\n".join(word("readme_line", lang, stem=e["id"], minutes=e["minutes"],
                                 title=texts[lang][f"class.{e['id']}.title"]) for e in listed)
        with zipfile.ZipFile(target / "class-pack-student.zip", "w",
                             zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("class-pack/README.txt", word("readme", lang, listing=listing))
            for stem, files in built[lang].items():
                zf.write(files["student"], f"class-pack/{stem}.ipynb")
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.classpack.build",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--lang", action="append", choices=LANGUAGES,
                        help="build this language only (repeat for several; default: "
                             f"{', '.join(LANGUAGES)})")
    args = parser.parse_args(argv)
    built = build(args.source, args.out, tuple(args.lang or LANGUAGES))
    for lang, stems in built.items():
        target = pack_folder(lang, args.out)
        print(f"{lang}: {len(stems)} exercises (student, solution, autograder) in {target}; "
              f"hand out {target / 'class-pack-student.zip'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
