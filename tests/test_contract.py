"""The report contract (helpers/run/contract.yaml): declared once, enforced by save(),
documented."""

from __future__ import annotations

import glob
import json

import pytest
import yaml

from helpers.registers import paths
from helpers.run import contract
from helpers.run import runner as run
from helpers.run.params import declared_parameters
from helpers.run.results import Context
from helpers.steps.nb08_reproduction_report import load_checks


def test_the_keys_document_is_generated_from_the_contract():
    assert contract.KEYS_DOC.read_text(encoding="utf-8") == contract.render(), \
        "docs/report-keys.md is stale: run `python -m helpers.run.contract`"
    assert contract.main(["--check"]) == 0


def test_every_notebook_file_is_declared_and_every_declared_notebook_exists():
    files = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert sorted(contract.sequence()) == files
    assert run.notebook_names() == contract.sequence()


def test_every_key_the_claim_registry_names_is_declared():
    checks = load_checks()
    assert contract.undeclared_claim_keys(checks) == []
    # and the check can fail: a key nobody declares is caught, with the claim's id
    broken = checks.copy()
    broken.loc[broken["id"] == "C4", "key"] = "trend_r2_typo"
    assert any(p.startswith("C4:") and "trend_r2_typo" in p
               for p in contract.undeclared_claim_keys(broken))


@pytest.mark.parametrize("name", contract.sequence())
def test_the_data_a_notebook_reads_exist(name):
    for pattern in contract.notebook(name).reads_data:
        assert glob.glob(str(paths.ROOT / pattern)), \
            f"{name} declares it reads {pattern!r}, which matches no file " \
            "(helpers/run/contract.yaml)"


def test_the_runner_waits_only_for_the_reports_a_notebook_reads():
    tasks = run.plan(run.notebook_names(), ["astana", "almaty"], {})
    waits = run.dependencies(tasks)
    for task in tasks:
        wanted = set(contract.reads_reports(task.notebook))
        assert {t.notebook for t in waits[task]} == wanted
        assert all(t.notebook != task.notebook for t in waits[task])


def _context(name):
    return Context(notebook=name, parameters={}, region=None)


def _full_results(name):
    """Values of the declared type for every key of ``name``."""
    sample = {"integer": 1, "number": 0.5, "string": "x", "boolean": True, "list": [],
              "mapping": {}}
    return {k.name: sample[k.base_type] for k in contract.notebook(name).keys.values()}


def test_save_refuses_a_missing_key_naming_it_and_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(tmp_path))
    ctx = _context("01_data_assembly")
    ctx.record(**_full_results("01_data_assembly"))
    del ctx.results["table_gaps"]
    with pytest.raises(contract.ContractError, match=r"table_gaps.*helpers/run/contract\.yaml"):
        ctx.save()
    assert not ctx.json_path.exists()


def test_save_refuses_an_undeclared_key_and_says_where_to_declare_it(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(tmp_path))
    ctx = _context("01_data_assembly")
    ctx.record(**_full_results("01_data_assembly"), brand_new=3)
    with pytest.raises(contract.ContractError) as caught:
        ctx.save()
    message = str(caught.value)
    assert "brand_new" in message
    assert "helpers/run/contract.yaml (notebooks → 01_data_assembly → keys)" in message
    assert "python -m helpers.run.contract" in message


def test_save_refuses_a_value_of_the_wrong_type(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(tmp_path))
    ctx = _context("01_data_assembly")
    ctx.record(**{**_full_results("01_data_assembly"), "n_regions": "twenty"})
    with pytest.raises(contract.ContractError, match=r"n_regions \(declared integer, got string\)"):
        ctx.save()


def test_save_refuses_undeclared_figures(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(tmp_path))
    ctx = _context("01_data_assembly")
    ctx.record(**_full_results("01_data_assembly"))
    ctx.results["figures"] = {"fig99_extra": {"svg": "x.svg"}}
    with pytest.raises(contract.ContractError, match="fig99_extra"):
        ctx.save()


def test_save_writes_a_report_that_keeps_the_contract(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(tmp_path))
    ctx = _context("01_data_assembly")
    ctx.record(**_full_results("01_data_assembly"))
    written = json.loads(ctx.save().read_text(encoding="utf-8"))
    assert set(written["results"]) == set(contract.notebook("01_data_assembly").keys)


def test_a_notebook_outside_the_contract_is_refused_naming_the_file():
    with pytest.raises(contract.ContractError, match=r"not declared in helpers/run/contract\.yaml"):
        contract.notebook("42_unknown")


def test_nullable_types_and_booleans():
    key = contract.Key("x", "number or null", "m")
    assert key.accepts(None) and key.accepts(1) and key.accepts(0.5)
    assert not key.accepts(True) and not key.accepts("1")
    assert not contract.Key("y", "integer", "m").accepts(None)


@pytest.mark.parametrize("text, problem", [
    ("notebooks: {}", "one entry per notebook"),
    ("notebooks: {a: {does: x, reads_data: [], reads_reports: [], figures: []}}", "lacks"),
    ("notebooks: {a: {does: x, reads_data: [], reads_reports: [b], figures: [], keys: {}}}",
     "not a notebook listed before it"),
    ("notebooks: {a: {does: x, reads_data: [], reads_reports: [], figures: [], "
     "keys: {k: {type: float, meaning: m}}}}", "valid: integer"),
    ("notebooks: {a: {does: x, reads_data: [], reads_reports: [], figures: [Fig1], keys: {}}}",
     "must look like"),
])
def test_a_broken_contract_is_refused_with_the_problem_named(text, problem):
    with pytest.raises(contract.ContractError, match=problem):
        contract.parse(text)


def test_per_city_folders_in_the_document_follow_the_parameters():
    text = contract.render()
    for name in contract.sequence():
        folder = "<city>" if "city" in declared_parameters(name) else "kazakhstan"
        assert f"## {name} (reports/{folder}/{name}.json" in text


def test_the_contract_reads_the_same_with_the_fast_loader():
    text = contract.CONTRACT.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=contract.SAFE_LOADER) == yaml.safe_load(text)
    if yaml.__with_libyaml__:  # the wheels on PyPI carry libyaml: the C loader is the one used
        assert contract.SAFE_LOADER is yaml.CSafeLoader
