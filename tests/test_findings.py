"""The README's findings block: generated from the reproduction report, never typed by hand."""

from __future__ import annotations

import json

import pytest

from helpers import findings, paths
from helpers.data import read_table


def _snapshot():
    return json.loads(findings.SNAPSHOT.read_text(encoding="utf-8"))


def test_the_readme_block_is_the_rendered_snapshot():
    readme = findings.README.read_text(encoding="utf-8")
    assert findings.block(readme) == findings.render(_snapshot()), (
        "README.md's findings are stale or edited by hand: run python -m helpers.findings")
    assert findings.main(["--check"]) == 0


def test_a_hand_edited_block_is_caught(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    text = findings.README.read_text(encoding="utf-8")
    readme.write_text(text.replace(" consistent, ", " consistent (edited), ", 1), encoding="utf-8")
    monkeypatch.setattr(findings, "README", readme)
    assert findings.main(["--check"]) == 1


def test_every_count_of_the_snapshot_is_in_the_block():
    snap = _snapshot()
    text = findings.render(snap)
    assert f"Of **{snap['n_claims']} claims**" in text
    for verdict, n in snap["counts"].items():
        assert f"{n} {verdict}" in text
    assert sum(snap["counts"].values()) == snap["n_claims"] == len(snap["claims"])


def test_markers_are_required():
    with pytest.raises(ValueError, match="findings:start"):
        findings.block("no markers here")


def _city_scoped() -> set[str]:
    checks = read_table(paths.DATA / "article" / "claim_checks.csv")
    return set(checks.loc[checks["scope"] == "cities", "id"])


def test_the_snapshot_agrees_with_a_fresh_run(report):
    """Number for number, for every claim that does not depend on which cities were run (the
    session runs one city; the snapshot comes from the five)."""
    fresh = findings.snapshot(report(findings.REPORT, paths.NATIONAL))
    snap = _snapshot()
    scoped = _city_scoped()
    assert [c["id"] for c in fresh["claims"]] == [c["id"] for c in snap["claims"]]
    for mine, new in zip(snap["claims"], fresh["claims"], strict=True):
        if mine["id"] in scoped:
            continue
        assert mine == new, mine["id"]
    def counts(s):
        out = {}
        for c in s["claims"]:
            if c["id"] not in scoped:
                out[c["verdict"]] = out.get(c["verdict"], 0) + 1
        return out
    assert counts(snap) == counts(fresh)
