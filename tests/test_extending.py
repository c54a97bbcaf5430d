"""docs/extending.md, performed: each checklist is done here on a temporary copy of the study.

The fourth-language checklist is performed by tests/test_labels.py
(test_a_fourth_language_is_a_column_in_each_translated_table).
"""

from __future__ import annotations

import csv
import json
import re

import nbformat
import pandas as pd
import pytest

from helpers.registers import paths
from tests.repo_copy import copy_repository, run_python, run_study

pytestmark = pytest.mark.study

EXTENDING = paths.ROOT / "docs" / "extending.md"


def test_the_document_names_every_checklist_and_its_test():
    text = EXTENDING.read_text(encoding="utf-8")
    for heading in ("Add an indicator to the codebook", "Add a region-level source",
                    "Add a language", "Add a notebook to the sequence",
                    "Change the style of every figure at once"):
        assert f"## {heading}" in text
    for test in re.findall(r"`tests/(test_\w+\.py)::(\w+)`", text):
        source = (paths.ROOT / "tests" / test[0]).read_text(encoding="utf-8")
        assert f"def {test[1]}(" in source, f"docs/extending.md names a missing test {test}"


def _append_row(path, row: dict) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        fields = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fields, lineterminator="\n").writerow(row)


def test_add_an_indicator_to_the_codebook(tmp_path):
    copy = copy_repository(tmp_path)
    book = pd.read_csv(copy / "data/codebook.csv", dtype=str, keep_default_na=False)
    schools = pd.read_csv(copy / "data/official/schools.csv")
    used = set(zip(book["indicator"], book["normalisation"], strict=True))
    published = schools[(schools["region"] == "almaty") & (schools["year"] == 2022)]
    indicator = next(i for i in sorted(published["indicator"].unique())
                     if (i, "per_10k") not in used)
    column = f"{indicator}_per_10k"
    # 1. one row in data/codebook.csv
    _append_row(copy / "data/codebook.csv", {
        "factor_code": "ӘО", "factor_id": "social", "indicator": indicator,
        "source_table": "official/schools",
        "source_file": "bns/bns_schools_by_region_2000-01_2022-23_ru.xlsx",
        "year_rule": "2022", "normalisation": "per_10k",
        "scale": "1", "unit": "schools per 10 000 residents", "direction": "higher_better",
        "proxy_strength": "weak", "include": "true", "label_en": "Schools per 10 000 residents",
        "rationale": "Density of schools, a test of the checklist."})
    # 2. its label in every language in data/labels.csv
    with (copy / "data/labels.csv").open(encoding="utf-8") as handle:
        languages = next(csv.reader(handle))[1:]
    _append_row(copy / "data/labels.csv",
                {"key": f"ind_{column}", **{lang: f"Schools ({lang})" for lang in languages}})
    # 06 reads 05's report (helpers/run/contract.yaml → 06_city_report → reads_reports)
    done = run_study(copy, "--notebooks", "03", "06", "05", "--city", "Almaty")
    assert done.returncode == 0, done.stdout + done.stderr
    corr = json.loads((copy / "out/reports/almaty/03_correlation_analysis.json").read_text())
    assert column in corr["results"]["indicators_per_factor"]["social"]
    profile = json.loads((copy / "out/reports/almaty/06_city_report.json").read_text())
    assert 1 <= profile["results"]["ranks"][column] <= 20


def test_add_a_region_level_source(tmp_path):
    copy = copy_repository(tmp_path)
    spec = (copy / "data/specs/bns_schools.yaml").read_text(encoding="utf-8")
    spec = spec.replace("id: bns_schools\n", "id: bns_schools_again\n", 1)
    spec = spec.replace("output: official/schools.csv", "output: official/schools_again.csv", 1)
    (copy / "data/specs/bns_schools_again.yaml").write_text(spec, encoding="utf-8")
    stale = run_python(copy, "-m", "helpers.sources", "--check")
    assert stale.returncode == 1 and "official/schools_again.csv" in stale.stderr
    done = run_python(copy, "-m", "helpers.sources")
    assert done.returncode == 0, done.stdout + done.stderr
    again = pd.read_csv(copy / "data/official/schools_again.csv")
    assert again.equals(pd.read_csv(copy / "data/official/schools.csv"))
    package = json.loads((copy / "data/datapackage.json").read_text(encoding="utf-8"))
    assert "official/schools_again.csv" in json.dumps(package)
    assert "bns_schools_again" in (copy / "data/SOURCES.md").read_text(encoding="utf-8")
    assert run_python(copy, "-m", "helpers.sources", "--check").returncode == 0
    loaded = run_python(copy, "-c", "from helpers.registers.data import load_official; "
                                    "print(len(load_official('schools_again')))")
    assert loaded.returncode == 0 and int(loaded.stdout) == len(again)


def _example_notebook(path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('city = "Astana"\nlang = "en"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · An example\n\nHow many regions rank above the city."),
        params,
        nbformat.v4.new_code_cell('from helpers.run.params import setup\n\n'
                                  'ctx = setup(globals(), "99_example")'),
        nbformat.v4.new_code_cell("from helpers.steps.nb08_reproduction_report import "
                                  "load_results\n\n"
                                  'inn = load_results("02_innovation_activity", ctx.region.slug)\n'
                                  'ctx.record(rank=inn["city_rank_2022"])'),
        nbformat.v4.new_code_cell("ctx.save()"),
    ]
    nbformat.write(nb, path)


ENTRY = """
  99_example:
    does: an example added by tests/test_extending.py.
    reads_data: []
    reads_reports: [02_innovation_activity]
    figures: []
    keys:
      rank: {type: integer, meaning: "the city's rank in innovation activity (from 02)."}
"""


def test_add_a_notebook_to_the_sequence(tmp_path):
    copy = copy_repository(tmp_path)
    _example_notebook(copy / "notebooks/99_example.ipynb")
    refused = run_study(copy, "--notebooks", "99", "--city", "Astana")
    assert refused.returncode == 2 and "helpers/run/contract.yaml" in refused.stderr
    contract = copy / "helpers/run/contract.yaml"
    contract.write_text(contract.read_text(encoding="utf-8") + ENTRY, encoding="utf-8")
    assert run_python(copy, "-m", "helpers.run.contract", "--check").returncode == 1
    assert run_python(copy, "-m", "helpers.run.contract").returncode == 0
    assert "## 99_example" in (copy / "docs/report-keys.md").read_text(encoding="utf-8")
    listed = run_study(copy, "--notebooks", "02", "99", "--city", "Astana", "--list")
    assert listed.returncode == 0 and "99_example · astana" in listed.stdout
    done = run_study(copy, "--notebooks", "02", "99", "--city", "Astana")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((copy / "out/reports/astana/99_example.json").read_text())
    inn = json.loads((copy / "out/reports/astana/02_innovation_activity.json").read_text())
    assert report["results"]["rank"] == inn["results"]["city_rank_2022"]


def test_change_the_style_of_every_figure_at_once(tmp_path):
    copy = copy_repository(tmp_path)
    style = copy / "helpers/plots/study.mplstyle"
    style.write_text(style.read_text(encoding="utf-8").replace("font.size: 10", "font.size: 12"),
                     encoding="utf-8")
    figures = copy / "helpers/registers/palette.py"
    text = figures.read_text(encoding="utf-8")
    old = re.search(r'"city": "(#[0-9a-f]{6})"', text).group(1)
    figures.write_text(text.replace(f'"city": "{old}"', '"city": "#009e73"'), encoding="utf-8")
    done = run_study(copy, "--notebooks", "00", "02", "03", "--city", "Almaty")
    assert done.returncode == 0, done.stdout + done.stderr
    fresh = sorted((copy / "out/figures").rglob("*.svg"))
    assert len(fresh) == 3
    for svg in fresh:
        committed = paths.ROOT / svg.relative_to(copy / "out")
        assert committed.exists() and svg.read_bytes() != committed.read_bytes(), svg.name
    for name in ("almaty/fig02_innovation-activity.svg", "almaty/fig04_correlations.svg"):
        drawn = (copy / "out/figures" / name).read_text(encoding="utf-8")
        assert "#009e73" in drawn and old not in drawn, name
