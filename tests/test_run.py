"""The runner: planning, dependencies, refusals, failure reporting."""

from __future__ import annotations

import nbformat
import pytest

from helpers import paths, run


def test_per_city_notebooks_run_per_city_and_the_rest_once():
    tasks = run.plan(run.notebook_names(), ["astana", "almaty"], {"lang": "en"})
    per_city = {t.notebook for t in tasks if t.city}
    once = [t.notebook for t in tasks if t.city is None]
    assert per_city and once
    for name in per_city:
        assert [t.city for t in tasks if t.notebook == name] == ["astana", "almaty"]
    assert len(once) == len(set(once))
    for task in tasks:
        assert ("city" in task.parameters) == (task.city is not None)


def test_options_reach_only_notebooks_that_declare_them():
    tasks = run.plan(run.notebook_names(), ["astana"], {"lang": "kk", "n_boot": 99, "seed": None})
    for task in tasks:
        declared = run.declared_parameters(task.notebook)
        assert set(task.parameters) <= set(declared)
        assert "seed" not in task.parameters  # None means "keep the notebook's default"
        if "n_boot" in declared:
            assert task.parameters["n_boot"] == 99


def test_only_the_notebook_that_reads_reports_waits():
    tasks = run.plan(run.notebook_names(), ["astana", "almaty"], {})
    waits = run.dependencies(tasks)
    readers = [t for t in tasks if "cities" in t.parameters]
    assert [t.notebook for t in readers] == ["07_reproduction_report"]
    assert {t.notebook for t in waits[readers[0]]} == {
        "02_innovation_activity", "03_correlation_analysis", "04_pls_estimation",
        "05_city_report"}
    assert all(waits[t] == [] for t in tasks if t not in readers)


def test_a_notebook_file_outside_the_contract_stops_the_runner(tmp_path, monkeypatch, capsys):
    for name in run.notebook_names():
        (tmp_path / f"{name}.ipynb").write_text("{}")
    (tmp_path / "09_new.ipynb").write_text("{}")
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path)
    assert run.main(["--list"]) == 2
    assert "['09_new'] in" in capsys.readouterr().err


def test_notebook_subset_by_number_or_name():
    names = run.notebook_names()
    assert run.select_notebooks(["02"]) == [n for n in names if n.startswith("02_")]
    assert run.select_notebooks([names[0]]) == [names[0]]
    with pytest.raises(run.ParameterError, match="Valid choices"):
        run.select_notebooks(["42"])


@pytest.mark.parametrize("argv", [["--city", "Paris"], ["--city", "../etc"], ["--lang", "xx"],
                                  ["--notebooks", "99"], ["--n-boot", "0"], ["--jobs", "0"]])
def test_bad_options_fail_fast_and_touch_nothing(tmp_path, capsys, argv):
    sentinel = tmp_path / "reports" / "almaty" / "02_innovation_activity.json"
    sentinel.parent.mkdir(parents=True)
    sentinel.write_text("{}")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert run.main([*argv, "--output", str(tmp_path)]) == 2
    assert "error:" in capsys.readouterr().err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert sentinel.read_text() == "{}"


def _notebook(folder, name, source):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('city = "Astana"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, folder / f"{name}.ipynb")


def test_a_failing_notebook_is_reported_and_good_outputs_are_kept(tmp_path, monkeypatch):
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    _notebook(notebooks, "02_broken", "x = 1\nraise RuntimeError('the data are missing')")
    monkeypatch.setattr(paths, "NOTEBOOKS", notebooks)
    output = tmp_path / "out"
    previous = output / "reports" / "almaty" / "02_broken.ipynb"
    previous.parent.mkdir(parents=True)
    previous.write_text("earlier good run")

    outcome = run.execute(run.Task("02_broken", "almaty", {"city": "almaty"}), str(output), 60)

    assert outcome.status == "failed"
    assert "RuntimeError: the data are missing" in outcome.error
    assert "cell In [3] `x = 1`" in outcome.error  # the failing cell, named by its code
    assert previous.read_text() == "earlier good run"
    assert (previous.parent / "02_broken.failed.ipynb").exists()
    assert (previous.parent / "02_broken.failed.html").exists()
    table = run.summary([outcome])
    assert "FAILED 02_broken for almaty" in table and "RuntimeError" in table


def test_a_successful_notebook_writes_ipynb_and_html(tmp_path, monkeypatch):
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    _notebook(notebooks, "02_fine", "print(city)")
    monkeypatch.setattr(paths, "NOTEBOOKS", notebooks)
    output = tmp_path / "out"
    outcome = run.execute(run.Task("02_fine", "almaty", {"city": "Almaty"}), str(output), 60)
    assert outcome.status == "ok", outcome.error
    executed = nbformat.read(output / "reports" / "almaty" / "02_fine.ipynb", as_version=4)
    assert "Almaty" in executed.cells[-1].outputs[0]["text"]
    assert (output / "reports" / "almaty" / "02_fine.html").read_text().startswith("<!DOCTYPE")


def test_atomic_writes_leave_an_ordinary_file_mode(tmp_path):
    import os

    from helpers.results import write_text_atomic

    target = tmp_path / "sub" / "x.json"
    write_text_atomic(target, "{}")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]  # no temporary left behind
