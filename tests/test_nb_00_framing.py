"""00_literature_framing: the JSON it reports (from the session run)."""

from __future__ import annotations

from helpers.steps import nb00_literature_framing as framing


def test_definitions_and_emphasis(report):
    r = report("00_literature_framing", "kazakhstan")
    assert r["n_definitions"] == len(r["definitions"]) == len(
        framing.compared(framing.load_definitions()))
    assert set(r["emphasis_counts"]) == set(framing.THEMES)
    for theme, n in r["emphasis_counts"].items():
        assert n == sum(theme in d["stresses"] for d in r["definitions"].values())
        assert 0 <= r["emphasis_shares"][theme] <= 1
    assert all(r["emphasis_counts"][t] == max(r["emphasis_counts"].values())
               for t in r["most_stressed"])


def test_genesis_timeline_hypotheses_scheme(report):
    r = report("00_literature_framing", "kazakhstan")
    assert [g["id"] for g in r["genesis"][:3]] == ["wired_city", "digital_city", "smart_city"]
    years = [t["year_start"] for t in r["timeline"]]
    assert years == sorted(years) and years[0] == 2017 and r["timeline"][-1]["year_end"] == 2022
    assert sorted(r["hypotheses"]) == ["H1", "H2", "H3"]
    assert r["scheme"]["paths_to_conclusion"] == 2 * len(r["hypotheses"])
    assert any(k.startswith("fig01_research-scheme") for k in r["figures"])
