"""The class pack (issue 21): exercises, their checks, the practice data, ``make class``.

Quick tests read the source notebooks and the practice files. The tests marked ``study`` build
the pack (``python -m helpers.classpack.build``, what ``make class`` runs) and grade notebooks
with otter-grader in Jupyter kernels: every solution passes all its checks, every blank student
notebook runs without an error and fails each check with its hint, and a check follows a study
number changed in a temporary copy of the repository.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from helpers.classpack import answers, build, practice
from helpers.registers.paths import ROOT
from helpers.steps.nb07_survey import PRACTICE, SurveyResponseError, load_responses
from tests.repo_copy import copy_repository

SOURCE = ROOT / "class"


def _sources() -> dict[str, nbformat.NotebookNode]:
    return {p.stem: nbformat.read(p, as_version=4) for p in sorted(SOURCE.glob("e*.ipynb"))}


def _raw(cell) -> str:
    return cell.source.strip() if cell.cell_type == "raw" else ""


def _test_cells(nb) -> list[str]:
    inside, out = False, []
    for cell in nb.cells:
        if _raw(cell) == "# BEGIN TESTS":
            inside = True
        elif _raw(cell) == "# END TESTS":
            inside = False
        elif inside:
            out.append(cell.source)
    return out


def test_at_least_eight_exercises_listed_with_their_time_and_helper():
    listed = build.exercises()
    sources = _sources()
    assert len(listed) >= 8
    assert [e["id"] for e in listed] == list(sources)
    for e in listed:
        intro = sources[e["id"]].cells[1].source
        for part in ("**Goal.**", "**Data.**", "**Hand in.**", "**Helper it teaches.**"):
            assert part in intro, (e["id"], part)
        assert f"about {e['minutes']} minutes" in intro, e["id"]
        assert e["teaches"] and e["builds_on"]
        assert (ROOT / "notebooks").glob(f"*{e['builds_on'][3:]}*"), e["builds_on"]


def test_every_check_reads_the_study_and_has_a_hint():
    """A check computes its expected value from the study (helpers.classpack.answers) when it
    runs, never from a number typed into the test, and its failure message points somewhere."""
    for stem, nb in _sources().items():
        cells = _test_cells(nb)
        assert cells, stem
        for source in cells:
            hint = re.search(r'failure_message: "(.+)"', source)
            points = re.search(r"helpers|notebook|data/|docs/", hint[1], re.I) if hint else None
            assert points, (stem, source)
            body = source.split("# END TEST CONFIG", 1)[1]
            assert "answers." in body, (stem, body)
            assert not re.search(r"(?<![\w.\[])\d+\.\d+", body.replace("1e-3", "")
                                 .replace("1e-4", "")), (stem, body)


def test_solution_markers_strip_every_answer():
    """Each question holds a solution block with at least one answer line (``... # SOLUTION``)
    and a test block; markdown-only questions are marked manual."""
    for stem, nb in _sources().items():
        text = "\n".join(c.source for c in nb.cells)
        n_questions = text.count("# BEGIN QUESTION")
        assert n_questions == text.count("# END QUESTION") >= 2, stem
        assert text.count("# BEGIN SOLUTION") >= n_questions, stem
        assert "# ASSIGNMENT CONFIG" in nb.cells[0].source, stem


def test_practice_files_are_reproducible_and_labelled(tmp_path):
    written = practice.write(tmp_path)
    assert [p.name for p in written] == [f"practice-{c}.csv" for c in practice.CITIES]
    for path in written:
        committed = PRACTICE / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} is stale: python -m helpers.classpack.practice")
        assert path.read_text(encoding="utf-8").startswith("# PRACTICE DATA")


def test_practice_answers_only_where_practice_is_asked_for(tmp_path):
    loaded = load_responses("astana", practice=True)
    assert len(loaded.answers) == practice.N_RESPONDENTS
    assert loaded.path.name == "practice-astana.csv"
    # the same file under a city's real name is refused without the flag ...
    shutil.copy(PRACTICE / "practice-astana.csv", tmp_path / "astana.csv")
    with pytest.raises(SurveyResponseError, match="practice data"):
        load_responses("astana", folder=tmp_path)
    # ... a file named practice is refused as real answers even if its header lost the mark ...
    body = (PRACTICE / "practice-almaty.csv").read_text(encoding="utf-8").split("\n", 2)[2]
    (tmp_path / "practice-almaty.csv").write_text(body, encoding="utf-8")
    with pytest.raises(SurveyResponseError, match="practice=True"):
        load_responses("almaty", folder=tmp_path, practice=True)
    # ... and a real response file is not accepted as practice
    (tmp_path / "practice-shymkent.csv").write_text(body, encoding="utf-8")
    with pytest.raises(SurveyResponseError):
        load_responses("shymkent", folder=tmp_path, practice=True)


def test_the_answers_follow_the_study_codebook():
    """The expected results come from the study: exercise 3's moved verdicts are the verdicts
    that differ, under the study's rules, with and without the added row."""
    before = answers.verdicts()
    after = answers.verdicts(answers.codebook_with(answers.E03_ROW))
    assert set(before) == {"C1", "C4-PLS", "C6", "H1", "H2", "H3", "K1"}
    assert answers.e03_expected()["moved"] == {c for c in before if before[c] != after[c]}


def test_every_class_text_is_translated_into_kazakh_and_russian():
    """Every title, introduction, question, model answer and 'helper it teaches' line of the
    pack has a current translation in each language (a changed English text makes its
    translation stale), keeps the inline code and placeholders of the English, and the listing
    command says so (exit 0; it exits 1 while anything is missing)."""
    from helpers.classpack import languages
    from helpers.registers import i18n

    english = languages.texts()
    assert len(english) >= 41 and all(v.strip() for v in english.values())
    for lang in languages.LANGS:
        assert languages.untranslated(lang) == [], lang
        translated = languages.texts_in(lang)
        for key, text in english.items():
            assert translated[key] != text, (lang, key)
            assert sorted(re.findall(r"`[^`]+`", translated[key])) == \
                sorted(re.findall(r"`[^`]+`", text)), (lang, key)
            minutes = re.search(r"\*\*Time\.\*\* about (\d+)", text)
            if minutes:
                assert minutes[1] in translated[key], (lang, key)
    assert languages.stale() == []
    assert not [p for p in i18n.problems() if "class." in p]
    listing = subprocess.run([sys.executable, "-m", "helpers.classpack.languages"],
                             capture_output=True, text=True, cwd=ROOT)
    assert listing.returncode == 0 and "kk: 0 of" in listing.stdout, listing.stdout


def test_an_untranslated_class_text_is_listed_and_stops_its_edition(tmp_path, monkeypatch):
    """A class text whose English changed is stale: listed, and the Kazakh Class section is not
    written (the error names the key and the catalogue)."""
    from helpers.classpack import languages, site

    changed = dict(languages.texts())
    changed["class.e04_power.title"] += " (revised)"
    monkeypatch.setattr(languages, "texts", lambda source=SOURCE: changed)
    assert languages.untranslated("kk") == ["class.e04_power.title"]
    assert not languages.complete()
    with pytest.raises(languages.ClassTextError, match=r"sentences\.csv: class\.e04_power\.title"):
        site.write(tmp_path, "kk")
    assert not (tmp_path / "class" / "e04_power.md").exists()


# ----------------------------------------------------------------------------------------------
# make class, and grading with otter (kernels: marked study)
# ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("class") / "build"
    done = subprocess.run([sys.executable, "-m", "helpers.classpack.build", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _grade_one(job: tuple[str, str, str]) -> dict:
    """Grade one notebook in this (worker) process: otter's grade_submission, debug mode (an
    error in the notebook raises instead of being skipped). Returns plain data."""
    import os

    from otter.api import grade_submission

    notebook, autograder, pythonpath = job
    os.environ["PYTHONPATH"] = pythonpath  # the kernel's helpers and data: this copy's
    os.environ["MPLBACKEND"] = "Agg"
    result = grade_submission(notebook, autograder, quiet=True, debug=True)
    return {"total": result.total, "possible": result.possible, "summary": result.summary(),
            "scores": {q: (r.score, r.possible) for q, r in result.results.items()}}


def _grade_all(jobs: list[tuple[str, str, str]]) -> list[dict]:
    """Grade notebooks two at a time (each in its own process and kernel)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_grade_one, jobs))


@pytest.fixture(scope="module")
def graded(pack) -> dict[tuple[str, str], dict]:
    """Every solution and every blank student notebook, graded by its exercise's autograder."""
    keys, jobs = [], []
    for e in build.exercises():
        for kind, folder in (("solution", "solutions"), ("student", "student")):
            keys.append((e["id"], kind))
            jobs.append((str(pack / folder / f"{e['id']}.ipynb"),
                         str(pack / "autograder" / f"{e['id']}-autograder.zip"), str(ROOT)))
    return dict(zip(keys, _grade_all(jobs), strict=True))


@pytest.mark.study
def test_make_class_builds_students_solutions_and_autograders(pack):
    import zipfile

    stems = [e["id"] for e in build.exercises()]
    for stem in stems:
        student = nbformat.read(pack / "student" / f"{stem}.ipynb", as_version=4)
        text = "\n".join(c.source for c in student.cells)
        assert "# BEGIN SOLUTION" not in text and "# SOLUTION" not in text, stem
        assert "grader.check(" in text and "..." in text, stem
        assert student.metadata["otter"]["tests"], stem
        assert (pack / "solutions" / f"{stem}.ipynb").exists()
        assert (pack / "autograder" / f"{stem}-autograder.zip").exists()
    with zipfile.ZipFile(pack / "class-pack-student.zip") as zf:
        names = zf.namelist()
    assert sorted(names) == sorted(["class-pack/README.txt",
                                    *(f"class-pack/{s}.ipynb" for s in stems)])


@pytest.mark.study
@pytest.mark.parametrize("stem", [e["id"] for e in build.exercises()])
def test_solution_passes_and_blank_notebook_fails_with_hints(graded, stem):
    solved, blank = graded[stem, "solution"], graded[stem, "student"]
    assert solved["total"] == solved["possible"] > 0, solved["summary"]
    assert blank["total"] == 0, blank["summary"]  # and it ran: debug mode raises on an error
    hints = [m[1] for s in _test_cells(nbformat.read(SOURCE / f"{stem}.ipynb", as_version=4))
             for m in [re.search(r'failure_message: "(.+)"', s)]]
    for hint in hints:
        assert hint in blank["summary"], (stem, hint)


@pytest.mark.study
def test_a_check_follows_a_changed_study_number(pack, tmp_path):
    """Exercise 6's check computes the trend's R² from the study's data when it runs: in a copy
    whose 2021 national point is changed, the solution still passes (its R² is the new one) and
    the R² of the unchanged study, handed in as a number, fails."""
    copy = copy_repository(tmp_path)
    quoted = copy / "data" / "secondary" / "innovation_activity_quoted.csv"
    table = pd.read_csv(quoted, dtype=str, keep_default_na=False)
    row = (table["region"] == "kazakhstan") & (table["year"] == "2021")
    assert row.sum() == 1
    table.loc[row, "value"] = str(float(table.loc[row, "value"].iloc[0]) - 2.0)
    table.to_csv(quoted, index=False, lineterminator="\n")
    probe = "from helpers.classpack import answers; print(answers.trend()['r2'])"
    env_run = subprocess.run([sys.executable, "-c", probe], cwd=copy, capture_output=True,
                             text=True, env={"PYTHONPATH": str(copy), "PATH": ""}, timeout=300)
    assert env_run.returncode == 0, env_run.stderr
    changed, original = float(env_run.stdout), answers.trend()["r2"]
    assert abs(changed - original) > 10 * answers.TOL["r2"]

    stem = "e06_figure2_trend"
    autograder = str(pack / "autograder" / f"{stem}-autograder.zip")
    stale = nbformat.read(pack / "solutions" / f"{stem}.ipynb", as_version=4)
    at = next(i for i, c in enumerate(stale.cells) if 'grader.check("q1")' in c.source)
    stale.cells.insert(at, nbformat.v4.new_code_cell(f"r2 = {original!r}"))
    submission = tmp_path / f"{stem}.ipynb"
    nbformat.write(stale, submission)
    solved, handed_in_old = _grade_all([
        (str(pack / "solutions" / f"{stem}.ipynb"), autograder, str(copy)),
        (str(submission), autograder, str(copy))])
    assert solved["total"] == solved["possible"], solved["summary"]
    score, possible = handed_in_old["scores"]["q1"]
    assert score < possible, handed_in_old["summary"]
    assert f"r2 = {original!r}" in handed_in_old["summary"]
