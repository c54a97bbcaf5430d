"""The README's findings block: generated from the reproduction report, never typed by hand."""

from __future__ import annotations

import json

import pytest

from helpers.registers import paths
from helpers.registers.data import read_table
from helpers.site import findings


def _snapshot():
    return json.loads(findings.SNAPSHOT.read_text(encoding="utf-8"))


def test_the_readme_block_is_the_rendered_snapshot():
    readme = findings.README.read_text(encoding="utf-8")
    assert findings.block(readme) == findings.render(_snapshot()), (
        "README.md's findings are stale or edited by hand: run python -m helpers.site.findings")
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
    same_example = fresh["example_city"] == snap["example_city"]
    for mine, new in zip(snap["claims"], fresh["claims"], strict=True):
        if mine["id"] in scoped:
            continue
        if not same_example:  # the second reading is the example city's years: not comparable
            mine, new = ({k: v for k, v in c.items() if k != "second_reading"} for c in (mine, new))
        assert mine == new, mine["id"]
    def counts(s):
        out = {}
        for c in s["claims"]:
            if c["id"] not in scoped:
                out[c["verdict"]] = out.get(c["verdict"], 0) + 1
        return out
    assert counts(snap) == counts(fresh)


def _live_numbers() -> set[str]:
    """This study's results as they would be typed: every number of the snapshot's findings
    (not the article's own values) with two or three decimals, and the robustness percentages."""
    import re

    snap = _snapshot()
    article = {str(c["article"]) for c in snap["claims"]}
    found: set[str] = set()
    for c in snap["claims"]:
        values = [c["ours"]] if isinstance(c["ours"], float) else []
        values += list(c["interval"] or [])
        for v in values:
            for digits in (2, 3):
                text = f"{v:.{digits}f}"
                if abs(v) >= 0.1 and text not in article and text.rstrip("0") not in article:
                    found.add(text.lstrip("-"))
        found |= set(re.findall(r"\d+\.\d%", c.get("robustness_text") or ""))
    return found - {"0.10", "0.100", "1.00", "1.000"}


def test_no_live_result_is_typed_into_prose():
    """README (outside the generated block), docs/ and book/ prose carry no number of this
    study's findings typed by hand: they drift (issue 18). Generate them or leave them out."""
    import re

    live = _live_numbers()
    readme = findings.README.read_text(encoding="utf-8")
    texts = {"README.md": readme.replace(findings.block(readme), "")}
    extra = [p for p in (paths.ROOT / "book" / "text.yaml", paths.ROOT / "data" / "README.md")
             if p.exists()]
    for path in sorted((paths.ROOT / "docs").glob("*.md")) + extra:
        texts[str(path.relative_to(paths.ROOT))] = path.read_text(encoding="utf-8")
    hits = []
    for name, text in texts.items():
        # a number followed by a unit of time or size is a measurement of the machine, not a result
        for token in set(re.findall(r"(?<![\d.])\d+\.\d+%?(?![\d.])(?!\s?(?:s|ms|KB|MB|GB)\b)",
                                    text)):
            if token in live:
                hits.append(f"{name}: {token}")
    assert not hits, f"results typed by hand (generate them from the report): {sorted(hits)}"
