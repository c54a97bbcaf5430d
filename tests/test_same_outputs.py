"""benchmarks/same_outputs.py: two runs compared, every report value and every SVG byte."""

from __future__ import annotations

import importlib.util
import json

from helpers.registers import paths

_spec = importlib.util.spec_from_file_location(
    "same_outputs", paths.ROOT / "benchmarks" / "same_outputs.py")
same = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(same)


def _run(root, value, svg):
    (root / "reports" / "astana").mkdir(parents=True)
    (root / "figures" / "astana").mkdir(parents=True)
    (root / "reports" / "astana" / "03.json").write_text(
        json.dumps({"results": {"r": [1.0, value], "n": 20}}))
    (root / "figures" / "astana" / "fig04.svg").write_bytes(svg)


def test_identical_runs_pass_and_one_changed_value_or_byte_fails(tmp_path, capsys):
    _run(tmp_path / "a", 0.25, b"<svg/>")
    _run(tmp_path / "b", 0.25, b"<svg/>")
    _run(tmp_path / "c", 0.25000000000000006, b"<svg />")
    assert same.main([str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    assert same.main([str(tmp_path / "a"), str(tmp_path / "c")]) == 1
    out = capsys.readouterr().out
    assert "reports/astana/03.json: results.r[1]: 0.25 != 0.25000000000000006" in out
    assert "figures/astana/fig04.svg: the bytes differ" in out


def test_a_key_or_file_in_one_run_only_is_named():
    assert same.differences({"a": 1}, {"a": 1, "b": 2}) == ["b: only in the second run"]
    assert same.differences([1, 2], [1]) == [": 2 items != 1 items"]
    assert same.differences(1, 1.0) == [": 1 != 1.0"]
