"""What a per-city notebook loads before it computes: the heavy statistics libraries only where
they are used.

Notebooks 02, 03 and 06 run once per city; their imports are paid by every city's kernel.
``scipy.stats`` and ``pingouin`` serve work done once per run (notebook 03's pairwise table,
computed by the first city and read back by the others: :mod:`helpers.run.cache`) or other
notebooks (the PLS engine of 04 and 05): importing the modules of these three notebooks loads
neither. The normal quantile and distribution function the verdicts need come from
``scipy.special``, which ``scipy.stats`` itself uses for them.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import nbformat
import numpy as np
import pandas as pd
import pytest

from helpers.registers import paths

HEAVY = ("scipy.stats", "pingouin")


def notebook_imports(name: str) -> list[str]:
    """Every import statement of the notebook's code cells, as written."""
    cells = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4).cells
    return [ast.unparse(node) for cell in cells if cell.cell_type == "code"
            for node in ast.walk(ast.parse(cell.source))
            if isinstance(node, (ast.Import, ast.ImportFrom))]


def heavy_after(lines: list[str]) -> list[str]:
    """The modules of :data:`HEAVY` a fresh interpreter holds after running ``lines``."""
    code = "\n".join(["import sys", *lines,
                      f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=paths.ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("notebook", ["02_innovation_activity", "03_correlation_analysis",
                                      "06_city_report"])
def test_a_per_city_notebook_loads_no_heavy_statistics_library(notebook):
    imports = notebook_imports(notebook)
    assert any("helpers.steps" in line for line in imports)  # the notebook's own step module
    assert heavy_after(imports) == []


def test_the_probe_sees_a_heavy_import():
    assert heavy_after(["from helpers import stats", "stats.power_f2(0.5, 20, 6)"]) == [
        "scipy.stats"]


def test_the_normal_functions_give_scipy_stats_numbers_to_the_last_bit(monkeypatch):
    """``scipy.special.ndtri``/``ndtr`` where ``scipy.stats.norm.ppf``/``cdf`` were: every
    interval and power the verdicts and notebook 03's second reading compute is unchanged."""
    from scipy.stats import norm

    from helpers.registers import verdicts
    from helpers.steps import nb03_over_years

    cases = [(r, n, level) for r in (-0.93, -0.2, 0.0, 0.42, 0.61, 0.999)
             for n in (4, 5.7, 20, 117) for level in (0.8, 0.9, 0.95, 0.99)]
    powers = [(a, m, n, level) for a in (-0.9, 0.0, 0.42) for m in (0.05, 0.1, 0.3)
              for n in (7, 20, 120) for level in (0.9, 0.95)]

    def computed():
        return ([verdicts._z(level) for *_, level in cases],
                [verdicts.fisher_interval(r, round(n), level) for r, n, level in cases],
                [verdicts.fisher_power(*p) for p in powers],
                [nb03_over_years.fisher_interval(r, n, level) for r, n, level in cases])

    ours = computed()
    monkeypatch.setattr(verdicts, "ndtri", norm.ppf)
    monkeypatch.setattr(verdicts, "ndtr", norm.cdf)
    monkeypatch.setattr(nb03_over_years, "ndtri", norm.ppf)
    assert computed() == ours
    assert nb03_over_years.Z95 == float(norm.ppf(0.975))


@pytest.mark.parametrize("notebook", ["02_innovation_activity", "04_pls_estimation",
                                      "06_city_report"])
def test_notebooks_that_judge_no_correlation_load_no_scipy(notebook):
    """02 and 06 (once per city) use no normal quantile: the verdicts load ``scipy.special`` only
    when a Fisher z check asks for it. 04's imports load none either: the engine loads
    ``scipy.special`` when it first computes an interval, which a city that reads the national
    bootstrap back from the cache never does."""
    code = "\n".join(["import sys", *notebook_imports(notebook),
                      "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))"])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=paths.ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert ast.literal_eval(done.stdout.strip().splitlines()[-1]) == []


def test_no_step_or_register_module_imports_scipy_stats_at_the_top():
    """``scipy.stats`` costs a kernel about half a second: the steps and registers take the
    functions it calls from ``scipy.special`` (a deferred import inside a function is allowed)."""
    found = []
    for folder in ("steps", "registers"):
        for module in sorted((paths.ROOT / "helpers" / folder).glob("*.py")):
            for node in ast.parse(module.read_text(encoding="utf-8")).body:
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [f"{node.module}.{a.name}" for a in node.names]
                         if isinstance(node, ast.ImportFrom) and node.module else [])
                found += [f"{module.name}: {n}" for n in names if n.startswith("scipy.stats")]
    assert found == []


def test_the_probe_of_module_imports_sees_scipy_stats(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from scipy import stats\nimport scipy.stats\n")
    tree = ast.parse(module.read_text())
    assert [f"{n.module}.{a.name}" if isinstance(n, ast.ImportFrom) else a.name
            for n in tree.body for a in n.names] == ["scipy.stats", "scipy.stats"]


def test_special_functions_give_scipy_stats_numbers_in_notebooks_05_and_07(monkeypatch):
    """``ndtri`` for ``norm.ppf`` (notebook 05's normal scores, 07's answer thresholds) and
    ``stdtr`` for ``t.sf`` (07's power t-tests): the same numbers to the last bit."""
    from scipy import stats

    from helpers.steps import nb05_multiverse, nb07_reconstruction

    points = pd.Series([21.0, 3.0, np.nan, 7.0, 7.0, 15.0, 1.0, 20.0], index=list("abcdefgh"))
    spec = nb07_reconstruction.load_spec()
    survey = nb07_reconstruction.simulate_survey(spec, 11, 60)
    answers = np.stack([survey.answers[spec.item_names].to_numpy(dtype=float)] * 3)

    def computed():
        return (nb05_multiverse.outcome_coding(points, "normal_scores"), spec.thresholds,
                nb07_reconstruction.estimate_stack(answers, spec)["p"])

    ours = computed()
    monkeypatch.setattr(nb05_multiverse, "ndtri", stats.norm.ppf)
    monkeypatch.setattr(nb07_reconstruction, "ndtri", stats.norm.ppf)
    monkeypatch.setattr(nb07_reconstruction, "stdtr", lambda dof, x: stats.t.sf(-x, dof))
    theirs = computed()
    pd.testing.assert_series_equal(ours[0], theirs[0], check_exact=True)
    assert np.isnan(ours[0]["c"])
    assert np.array_equal(ours[1], theirs[1])
    assert np.array_equal(ours[2], theirs[2], equal_nan=True)


def test_stdtr_is_t_sf_at_the_edges():
    from scipy import stats
    from scipy.special import stdtr

    x = np.array([0.0, 1e-300, 0.5, 1.96, 40.0, 1e10, np.inf, np.nan])
    for dof in (1, 3, 13, 393):
        assert np.array_equal(stdtr(dof, -x), stats.t.sf(x, dof), equal_nan=True)
