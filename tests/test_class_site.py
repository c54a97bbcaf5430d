"""The site's Class section (issue 21): the pages, and in a browser, solutions folded until a
reader asks for them. The browser test reuses the site and browser of tests/test_browser.py."""

from __future__ import annotations

import re

import nbformat

from helpers.classpack import build, site
from tests.test_browser import driver, served, wait_for  # noqa: F401  (fixtures)


def test_the_class_pages_hold_every_question_with_a_folded_solution(tmp_path):
    part = site.write(tmp_path)
    listed = build.exercises()
    files = [s["file"] for s in part["chapters"][0]["sections"]]
    assert files == ["class/instructor", *(f"class/{e['id']}" for e in listed)]
    index = (tmp_path / "class" / "index.md").read_text(encoding="utf-8")
    instructor = (tmp_path / "class" / "instructor.md").read_text(encoding="utf-8")
    for heading in ("## Learning goals", "## Timing", "## Collecting and grading"):
        assert heading in instructor
    assert "helpers.classpack.grade" in instructor and "otter run -a" in instructor
    for e in listed:
        assert f"| {e['minutes']} min |" in index and f"about {e['minutes']} minutes" in instructor
        page = (tmp_path / "class" / f"{e['id']}.md").read_text(encoding="utf-8")
        nb = nbformat.read(build.SOURCE / f"{e['id']}.ipynb", as_version=4)
        n_questions = sum(c.source.startswith("# BEGIN QUESTION") for c in nb.cells)
        assert page.count("````{exercise}") == n_questions == page.count("````{solution}")
        assert page.count(":class: dropdown") == n_questions
        assert "**Launch:**" in page and f"{e['id']}.ipynb" in page
        assert "# SOLUTION" not in page and "# BEGIN SOLUTION" not in page


def test_the_class_pages_are_written_in_kazakh_and_russian(tmp_path):
    """The kk and ru Class sections: the same boxes, the translated titles, questions and model
    answers, the section's own words from class/pages.yaml, the code unchanged."""
    from helpers.classpack import languages

    english = site.write(tmp_path / "en")
    for lang in languages.LANGS:
        texts = languages.texts_in(lang)
        part = site.write(tmp_path / lang, lang, switch=lambda page: f"<p>switch {page}</p>")
        assert part["caption"] == site.word("caption", lang) != english["caption"]
        assert part["chapters"] == english["chapters"]
        folder = tmp_path / lang / "class"
        index = (folder / "index.md").read_text(encoding="utf-8")
        assert index.startswith(site.word("index", lang).split("\n")[0] + "\n\n<p>switch class/")
        for e in build.exercises():
            title = texts[f"class.{e['id']}.title"]
            assert f"[{title}]({e['id']}.md)" in index
            page = (folder / f"{e['id']}.md").read_text(encoding="utf-8")
            source = (tmp_path / "en" / "class" / f"{e['id']}.md").read_text(encoding="utf-8")
            assert page.startswith(f"# {title}\n")
            assert page.count("````{exercise}") == source.count("````{exercise}")
            assert re.findall(r"```python\n.*?```", page, re.S) == \
                re.findall(r"```python\n.*?```", source, re.S)
            for key, text in texts.items():
                if key.startswith(f"class.{e['id']}.") and key.endswith(".answer"):
                    assert text in page, key
            assert "**Question" not in page and "Goal." not in page


def test_the_class_section_loads_with_solutions_hidden_until_asked_for(driver, served):  # noqa: F811
    driver.get(served + "class/index.html")
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", 30,
             "the Class page to load")
    assert "Class" in driver.title
    links = driver.execute_script(
        "return [...document.querySelectorAll('article a[href]')].map(a => a.href)")
    for e in build.exercises():
        assert any(re.search(rf"class/{e['id']}\.html$", href) for href in links), e["id"]
    driver.get(served + "class/e02_table1_cell.html")
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", 30,
             "an exercise page to load")
    solutions = wait_for(lambda: driver.find_elements("css selector", "div.solution"), 30,
                         "the solutions")
    code = solutions[0].find_elements("css selector", "div.highlight")
    assert code and not any(c.is_displayed() for c in code), "a solution shows before asked for"
    exercise = driver.find_elements("css selector", "div.exercise")
    assert exercise and exercise[0].is_displayed()
    button = wait_for(lambda: solutions[0].find_elements("css selector", "button.toggle-button"),
                      30, "the solution's toggle")
    button[0].click()
    wait_for(lambda: all(c.is_displayed() for c in code), 10, "the solution to unfold")
    assert all(not c.is_displayed() for s in solutions[1:]
               for c in s.find_elements("css selector", "div.highlight"))
