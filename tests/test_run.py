"""The runner: planning, dependencies, refusals, failure reporting."""

from __future__ import annotations

import nbformat
import pytest

from helpers.registers import paths
from helpers.run import results
from helpers.run import runner as run
from tests.conftest import TEST_CITY, read_report


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


def test_only_the_notebooks_that_read_reports_wait():
    tasks = run.plan(run.notebook_names(), ["astana", "almaty"], {})
    waits = run.dependencies(tasks)
    readers = [t for t in tasks if "cities" in t.parameters]
    assert [t.notebook for t in readers] == ["08_reproduction_report"]
    assert {t.notebook for t in waits[readers[0]]} == {
        "02_innovation_activity", "03_correlation_analysis", "04_pls_estimation",
        "06_city_report", "05_robustness"}
    city_reports = [t for t in tasks if t.notebook == "06_city_report"]
    assert len(city_reports) == 2
    for t in city_reports:  # the city report reads the robustness report, run once
        assert [w.notebook for w in waits[t]] == ["05_robustness"]
    assert all(waits[t] == [] for t in tasks if t not in readers + city_reports)


def test_the_most_awaited_tasks_start_first_and_those_nobody_awaits_last():
    tasks = run.plan(run.notebook_names(), ["astana", "almaty"], {})
    waits = run.dependencies(tasks)
    order = run.start_order(tasks, waits)
    assert sorted(order, key=tasks.index) == tasks  # every task once
    assert order[0].notebook == "05_robustness"  # every city's 06 and 08 wait for it
    awaited = {t for before in waits.values() for t in before}
    nobody = [t for t in order if t not in awaited]
    assert {t.notebook for t in nobody} == {"00_literature_framing", "01_data_assembly",
                                            "07_article_reconstruction", "08_reproduction_report"}
    assert order[-len(nobody):] == nobody == [t for t in tasks if t in nobody]  # plan order
    # awaited by 08 only: the per-city notebooks, the first city's first (it computes the national
    # results the other cities read back from the cache), then the others in plan order
    middle = order[1:-len(nobody)]
    assert middle == ([t for t in tasks if t.city == "astana"]
                      + [t for t in tasks if t.city not in (None, "astana")])


def test_the_start_order_ends_a_two_worker_run_sooner_than_national_tasks_first():
    """List scheduling on two workers as :func:`run._loop` does it, each notebook's tasks taking
    the same time (seconds in the proportions of a study run): the tasks nobody waits for run
    beside the last city reports and notebook 08 instead of first, and the run ends sooner than
    with the former order (national tasks first, then the cities)."""
    seconds = {"00": 3, "01": 3, "02": 4.5, "03": 5.5, "04": 6, "05": 15, "06": 6.5, "07": 7,
               "08": 3.3}
    tasks = run.plan(run.notebook_names(), ["astana", "almaty", "shymkent"], {})
    waits = run.dependencies(tasks)
    length = {t: seconds[t.notebook[:2]] for t in tasks}

    def finish(order):
        now, done, running, pending = 0.0, set(), [], list(order)
        while pending or running:
            for task in [t for t in pending if all(w in done for w in waits[t])]:
                if len(running) < 2:
                    pending.remove(task)
                    running.append((now + length[task], task))
            running.sort(key=lambda r: r[0])
            now, task = running.pop(0)
            done.add(task)
        return now

    awaited = {t: sum(t in w for w in waits.values()) for t in tasks}
    former = sorted(tasks, key=lambda t: (t.city is not None, -awaited[t], tasks.index(t)))
    ends = finish(run.start_order(tasks, waits))
    assert ends < finish(former)
    assert ends < sum(length.values()) / 2 + seconds["08"]  # at most 08 alone at the end


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


@pytest.mark.study
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


@pytest.mark.study
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

    from helpers.run.results import write_text_atomic

    target = tmp_path / "sub" / "x.json"
    write_text_atomic(target, "{}")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]  # no temporary left behind


def _runner(notebooks, output, *argv, **popen):
    """Start ``python -m helpers.run`` on a folder of test notebooks, in its own session."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "STUDY_NOTEBOOKS": str(notebooks), "PYTHONUNBUFFERED": "1"}
    # as from a terminal: Ctrl-C not ignored (a test runner in the background may ignore it)
    popen.setdefault("preexec_fn", lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return subprocess.Popen([sys.executable, "-m", "helpers.run", "--city", "Almaty",
                             "--notebooks", "02", "--output", str(output), *argv],
                            cwd=paths.ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **popen)


def _sequence(folder, source_of_02):
    """The contract's notebooks as small test notebooks; 02 runs ``source_of_02``."""
    folder.mkdir()
    for name in run.notebook_names():
        _notebook(folder, name, source_of_02 if name.startswith("02_") else "pass")
    return next(n for n in run.notebook_names() if n.startswith("02_"))


@pytest.mark.study
def test_a_successful_run_leaves_no_kernel_noise(tmp_path):
    notebooks = tmp_path / "nb"
    _sequence(notebooks, "print(city)")
    process = _runner(notebooks, tmp_path / "out")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "1 of 1 notebooks ran" in out
    assert "KeyboardInterrupt" not in out + err and "Traceback" not in out + err


@pytest.mark.study
def test_ctrl_c_prints_one_line_exits_130_and_leaves_no_partial_file(tmp_path):
    import os
    import signal
    import time

    notebooks = tmp_path / "nb"
    name = _sequence(notebooks, "import os, time, pathlib\n"
                     "pathlib.Path(os.environ['STUDY_OUTPUT_ROOT'], 'started').touch()\n"
                     "time.sleep(120)")
    output = tmp_path / "out"
    earlier = output / "reports" / "almaty" / f"{name}.ipynb"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("earlier good run")
    process = _runner(notebooks, output)
    deadline = time.monotonic() + 90
    while not (output / "started").exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    started = time.monotonic()
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert time.monotonic() - started < 30
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err
    assert err.strip().count("\n") == 0 and err.startswith("Interrupted:"), err
    left = sorted(p.name for p in (output / "reports" / "almaty").iterdir())
    assert left == [f"{name}.ipynb"] and earlier.read_text() == "earlier good run"


def test_a_kernelspec_of_another_python_stops_the_run_naming_it(tmp_path, monkeypatch, capsys):
    import json
    import shutil

    other = shutil.which("python3", path="/usr/bin:/bin")
    if other is None:
        pytest.fail("the test needs the system's /usr/bin/python3 as 'another Python'")
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [other, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (elsewhere)", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    assert run.main(["--notebooks", "00", "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "kernelspec 'python3'" in err and str(spec) in err and other in err
    assert not (tmp_path / "out" / "reports").exists()


def test_the_project_kernelspec_runs_this_environment():
    assert run.kernel_problem() is None


def test_a_survey_run_writes_to_its_own_folder_not_over_the_synthetic_one():
    from helpers.run.results import Context

    synthetic = run.Task("07_article_reconstruction", None, {"source": "synthetic"})
    survey = run.Task("07_article_reconstruction", None, {"source": "almaty"})
    assert synthetic.slug == paths.NATIONAL
    assert survey.slug == "survey-almaty"
    ctx = Context("07_article_reconstruction", {"source": "almaty"})
    assert ctx.slug == survey.slug and ctx.figures_dir.name == "survey-almaty"
    assert Context("07_article_reconstruction", {"source": "synthetic"}).slug == paths.NATIONAL


@pytest.mark.study
def test_each_kernel_runs_blas_single_threaded_and_the_report_says_so(study_root):
    for notebook in ("03_correlation_analysis", "04_pls_estimation"):
        environment = read_report(study_root, TEST_CITY, notebook)["environment"]
        assert environment["blas_threads"] == "1", (notebook, environment)


def test_the_report_records_the_blas_thread_count_it_ran_with(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert results.environment()["blas_threads"] == "not set"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    assert results.environment()["blas_threads"] == "3"
