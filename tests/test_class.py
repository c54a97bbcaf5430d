"""The class pack (issue 21): exercises, their checks, the practice data, ``make class``.

Quick tests read the source notebooks and the practice files, and make the Kazakh and Russian
notebooks from the sources (same code, every text translated). The tests marked ``study`` build
the pack in its three languages (``python -m helpers.classpack.build``, what ``make class`` runs)
and grade notebooks with otter-grader in Jupyter kernels: every solution passes all its checks,
every blank student notebook runs without an error and fails each check with its hint, a Kazakh
notebook scores what the English one scores (its hints in Kazakh), the grader picks each
notebook's language, and a check follows a study number changed in a temporary copy of the
repository.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from helpers.classpack import answers, build, languages, localise, practice
from helpers.classpack import source as texts_of
from helpers.registers.labels import LANGUAGES
from helpers.registers.paths import ROOT
from helpers.steps.nb07_survey import PRACTICE, SurveyResponseError, load_responses
from tests.repo_copy import copy_repository
from tests.text_checks import english_sentences

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
# The notebooks in Kazakh and Russian (made from the English sources)
# ----------------------------------------------------------------------------------------------

CODE_TOKEN = re.compile(r"[\w/.-]*[_./][\w/.-]*\w")
"""What a hint names and a translation must keep: a helper, a file, a key (``helpers.stats.x``,
``data/regions.csv``, ``factor_to_improve``)."""


def _localised(lang: str) -> dict[str, tuple[nbformat.NotebookNode, nbformat.NotebookNode]]:
    texts = languages.texts_in(lang)
    return {e["id"]: (nb := nbformat.read(SOURCE / f"{e['id']}.ipynb", as_version=4),
                      localise.localised(nb, e["id"], lang, texts, e["title"]))
            for e in build.exercises()}


def _text(cell) -> str:
    return re.sub(r"<!--.*?-->", "", cell.source, flags=re.S)


def test_the_english_texts_put_back_give_the_source_notebook():
    """The keys cover every text cell and hint: writing the English texts back into a source
    notebook reproduces it exactly (a cell the keys missed or cut differently would differ)."""
    for stem, (nb, same) in _localised("en").items():
        assert nbformat.writes(same) == nbformat.writes(nb), stem
        kinds = {k.split(".")[1] if "." in k else k for k in texts_of.keyed(nb).values()}
        assert {"intro", "hint"} <= kinds, (stem, kinds)
        assert sum(c.cell_type == "markdown" for c in nb.cells) == \
            sum(".hint." not in k for k in texts_of.keyed(nb).values()), stem


@pytest.mark.parametrize("lang", languages.LANGS)
def test_a_translated_notebook_keeps_every_code_cell_and_translates_every_text(lang):
    """Code, solution and raw cells are the English source's character for character; a check
    differs only in its hint, which is the translation and keeps every helper, file and key the
    English hint names; every text cell is translated and none reads as English (the
    tests/text_checks.py rule, which the English notebook fails, as a control)."""
    texts = languages.texts_in(lang)
    for stem, (nb, out) in _localised(lang).items():
        keys = texts_of.keyed(nb)
        assert [c.cell_type for c in out.cells] == [c.cell_type for c in nb.cells], stem
        assert any(english_sentences(_text(c)) for c in nb.cells if c.cell_type == "markdown")
        for index, (en, cell) in enumerate(zip(nb.cells, out.cells, strict=True)):
            key = keys.get(index)
            if cell.cell_type == "markdown":
                assert cell.source != en.source and not english_sentences(_text(cell)), \
                    (stem, index, english_sentences(_text(cell)))
            elif key and ".hint." in key:
                english, translated = texts_of.hint(en.source)[1], texts_of.hint(cell.source)[1]
                assert translated == texts[f"class.{stem}.{key}"] != english
                assert texts_of.HINT.sub("", cell.source) == texts_of.HINT.sub("", en.source)
                for token in CODE_TOKEN.findall(english):
                    assert token in translated, (stem, key, token)
            else:
                assert cell.source == en.source, (stem, index)
        assert out.cells[1].source.startswith(
            "# " + localise.word("heading", lang, number=int(stem[1:3]),
                                 title=texts[f"class.{stem}.title"]) + "\n")


def test_a_changed_english_hint_stops_the_build_before_otter_runs(tmp_path, monkeypatch):
    """A hint whose English changed has no current translation: the Kazakh build stops naming
    the key and the catalogue, and writes nothing."""
    changed = dict(languages.texts())
    key = "class.e04_power.q1.hint.test_min_r2"
    changed[key] += " Read notebook 04."
    monkeypatch.setattr(languages, "texts", lambda source=SOURCE: changed)
    with pytest.raises(languages.ClassTextError, match=rf"sentences\.csv: {re.escape(key)}"):
        build.build(out=tmp_path / "out", langs=("kk",))
    assert not (tmp_path / "out").exists()


def test_an_unknown_language_is_refused_with_the_choices(tmp_path):
    with pytest.raises(languages.ClassTextError, match="'de'.*en, kk, ru"):
        build.build(out=tmp_path, langs=("de",))
    with pytest.raises(languages.ClassTextError, match="'de'.*en, kk, ru"):
        languages.texts_in("de")
    cli = subprocess.run([sys.executable, "-m", "helpers.classpack.build", "--lang", "de",
                          "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert cli.returncode == 2 and "'en', 'kk', 'ru'" in cli.stderr, cli.stderr


def test_otters_own_texts_are_translated_and_an_unknown_one_stops(tmp_path):
    """The two text cells otter assign adds become the language's; a text cell otter might add
    that the pack does not know stops the build, naming it."""
    new = nbformat.v4.new_markdown_cell

    def built():
        return nbformat.v4.new_notebook(cells=[
            new("# Title"), new(localise.word("answer_here", "en")),
            new(localise.word("check_all", "en") + "\n"), new("<!-- END QUESTION -->\n\n")])

    done = localise.finished(built(), "ru", {"# Title"}, "test notebook")
    assert [c.source for c in done.cells[1:3]] == [localise.word("answer_here", "ru"),
                                                 localise.word("check_all", "ru") + "\n"]
    assert done.metadata["classpack"] == {"lang": "ru"}
    nb = built()
    nb.cells.append(new("Submit your work before the deadline."))
    with pytest.raises(languages.ClassTextError, match="test notebook, cell 4.*Submit your"):
        localise.finished(nb, "kk", {"# Title"}, "test notebook")


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
def graded(pack) -> dict[tuple[str, str, str], dict]:
    """Every solution and every blank student notebook in English and in Kazakh, graded by its
    exercise's autograder of that language; by (exercise, kind, language)."""
    keys, jobs = [], []
    for lang in ("en", "kk"):
        built = build.pack_folder(lang, pack)
        for e in build.exercises():
            for kind, folder in (("solution", "solutions"), ("student", "student")):
                keys.append((e["id"], kind, lang))
                jobs.append((str(built / folder / f"{e['id']}.ipynb"),
                             str(built / "autograder" / f"{e['id']}-autograder.zip"), str(ROOT)))
    return dict(zip(keys, _grade_all(jobs), strict=True))


@pytest.mark.study
def test_make_class_builds_students_solutions_and_autograders(pack):
    import zipfile

    stems = [e["id"] for e in build.exercises()]
    for lang in LANGUAGES:
        built = build.pack_folder(lang, pack)
        assert built == (pack if lang == "en" else pack / lang)
        for stem in stems:
            student = nbformat.read(built / "student" / f"{stem}.ipynb", as_version=4)
            text = "\n".join(c.source for c in student.cells)
            assert "# BEGIN SOLUTION" not in text and "# SOLUTION" not in text, stem
            assert "grader.check(" in text and "..." in text, stem
            assert student.metadata["otter"]["tests"], stem
            assert student.metadata[localise.METADATA] == {"lang": lang}
            assert (built / "solutions" / f"{stem}.ipynb").exists()
            assert (built / "autograder" / f"{stem}-autograder.zip").exists()
        with zipfile.ZipFile(built / "class-pack-student.zip") as zf:
            names = zf.namelist()
            readme = zf.read("class-pack/README.txt").decode("utf-8")
        assert sorted(names) == sorted(["class-pack/README.txt",
                                        *(f"class-pack/{s}.ipynb" for s in stems)])
        assert readme.startswith(localise.word("readme", lang).split("\n")[0])


def _without_hints(test_file: str) -> str:
    return re.sub(r"failure_message=.*\)$", "failure_message=…)", test_file, flags=re.M)


@pytest.mark.study
@pytest.mark.parametrize("lang", languages.LANGS)
def test_built_notebooks_have_the_english_code_and_no_english_text(pack, lang):
    """The built Kazakh and Russian student notebooks and solutions: every code cell the English
    one's, the checks the English ones but for their hints (the translations), and no text cell
    that reads as English (tests/text_checks.py), otter's added texts included."""
    texts = languages.texts_in(lang)
    for stem in [e["id"] for e in build.exercises()]:
        for kind in ("student", "solutions"):
            en = nbformat.read(pack / kind / f"{stem}.ipynb", as_version=4)
            out = nbformat.read(build.pack_folder(lang, pack) / kind / f"{stem}.ipynb",
                                as_version=4)
            assert [c.cell_type for c in out.cells] == [c.cell_type for c in en.cells]
            assert [c.source for c in out.cells if c.cell_type == "code"] == \
                [c.source for c in en.cells if c.cell_type == "code"], (stem, kind)
            english = [(i, english_sentences(_text(c))) for i, c in enumerate(out.cells)
                       if c.cell_type == "markdown" and english_sentences(_text(c))]
            assert not english, (stem, kind, english)
            tests, en_tests = out.metadata["otter"]["tests"], en.metadata["otter"]["tests"]
            assert {q: _without_hints(t) for q, t in tests.items()} == \
                {q: _without_hints(t) for q, t in en_tests.items()}, (stem, kind)
            for key, hint in texts.items():
                if key.startswith(f"class.{stem}.") and ".hint." in key:
                    assert hint in tests[key.split(".")[2]], key


@pytest.mark.study
@pytest.mark.parametrize("stem", [e["id"] for e in build.exercises()])
def test_solution_passes_and_blank_notebook_fails_with_hints(graded, stem):
    solved, blank = graded[stem, "solution", "en"], graded[stem, "student", "en"]
    assert solved["total"] == solved["possible"] > 0, solved["summary"]
    assert blank["total"] == 0, blank["summary"]  # and it ran: debug mode raises on an error
    hints = [m[1] for s in _test_cells(nbformat.read(SOURCE / f"{stem}.ipynb", as_version=4))
             for m in [re.search(r'failure_message: "(.+)"', s)]]
    for hint in hints:
        assert hint in blank["summary"], (stem, hint)


@pytest.mark.study
@pytest.mark.parametrize("stem", [e["id"] for e in build.exercises()])
def test_a_kazakh_notebook_is_graded_as_the_english_one(graded, stem):
    """The Kazakh solution scores what the English solution scores, question by question, and
    the blank Kazakh notebook fails the same checks with the Kazakh hints."""
    for kind in ("solution", "student"):
        kk, en = graded[stem, kind, "kk"], graded[stem, kind, "en"]
        assert kk["scores"] == en["scores"] and kk["total"] == en["total"], (kind, kk["summary"])
    assert graded[stem, "solution", "kk"]["total"] == graded[stem, "solution", "kk"]["possible"]
    blank = graded[stem, "student", "kk"]["summary"]
    hints = {k: t for k, t in languages.texts_in("kk").items()
             if k.startswith(f"class.{stem}.") and ".hint." in k}
    assert hints
    for key, hint in hints.items():
        assert hint in blank, (key, blank)


@pytest.mark.study
def test_the_grader_uses_each_notebooks_language(pack, tmp_path):
    """``python -m helpers.classpack.grade`` on a folder holding one exercise's solution in
    English, Kazakh and Russian and a blank Russian notebook: each row names its language, the
    three solutions score the same full marks and the blank one none."""
    import csv
    import os

    stem = "e07_not_checkable"
    collected = tmp_path / "collected"
    handed_in = {f"{lang}/{stem}.ipynb": build.pack_folder(lang, pack) / "solutions"
                 for lang in LANGUAGES}
    handed_in[f"blank/{stem}.ipynb"] = build.pack_folder("ru", pack) / "student"
    for name, folder in handed_in.items():
        (collected / name).parent.mkdir(parents=True)
        shutil.copy(folder / f"{stem}.ipynb", collected / name)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-m", "helpers.classpack.grade", str(collected),
                           "--pack", str(pack)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    with (collected / "scores.csv").open(encoding="utf-8") as handle:
        rows = {r["notebook"]: r for r in csv.DictReader(handle)}
    assert {n: r["lang"] for n, r in rows.items()} == {
        **{f"{lang}/{stem}.ipynb": lang for lang in LANGUAGES}, f"blank/{stem}.ipynb": "ru"}
    solved = {rows[f"{lang}/{stem}.ipynb"]["score"] for lang in LANGUAGES}
    assert len(solved) == 1 and float(solved.pop()) == float(rows[f"en/{stem}.ipynb"]["possible"])
    assert float(rows[f"blank/{stem}.ipynb"]["score"]) == 0
    assert rows[f"blank/{stem}.ipynb"]["failed"] and not rows[f"kk/{stem}.ipynb"]["failed"]


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
