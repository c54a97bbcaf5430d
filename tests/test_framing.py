"""helpers.steps.nb00_literature_framing: definitions, timeline and Figure 1 as data."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.registers import article
from helpers.steps import nb00_literature_framing as framing


def test_definitions_are_coded_0_1_with_a_location():
    d = framing.load_definitions()
    assert set(d[list(framing.THEMES)].stack().unique()) <= {0, 1}
    assert d["location"].str.contains(r"article-kk\.txt lines? \d+").all()
    compared = framing.compared(d)
    assert len(compared) >= 6
    assert (compared[list(framing.THEMES)].sum(axis=1) >= 1).all()


def test_emphasis_counts_match_the_codes():
    d = framing.load_definitions()
    counts = framing.emphasis_counts(d)
    assert list(counts.index) == list(framing.THEMES)
    assert counts["citizens"] == framing.compared(d)["citizens"].sum()
    assert counts.max() <= len(framing.compared(d))


def test_bad_code_is_refused_with_row_and_column(tmp_path):
    raw = pd.read_csv(framing.ARTICLE / "definitions.csv", dtype=str, keep_default_na=False)
    raw.loc[1, "technology"] = "2"
    raw.to_csv(tmp_path / "definitions.csv", index=False)
    with pytest.raises(ValueError, match=r"row 3, column 'technology'"):
        framing.load_definitions(tmp_path / "definitions.csv")


def test_genesis_runs_wired_digital_smart():
    g = framing.genesis(framing.load_definitions())
    assert list(g["id"][:3]) == ["wired_city", "digital_city", "smart_city"]
    assert g["stage"].is_monotonic_increasing


def test_timeline_has_the_four_dated_steps():
    t = framing.load_timeline()
    assert list(t["year_start"]) == sorted(t["year_start"])
    assert {2017, 2019, 2020, 2022} == set(t["year_start"])
    assert (t["year_end"] >= t["year_start"]).all()
    assert (t[["event_en", "event_kk", "event_ru"]] != "").all().all()




def test_research_scheme_leads_every_hypothesis_to_the_conclusion():
    scheme = framing.research_scheme(tuple(article.hypotheses()["id"]))
    assert len(scheme.nodes) == 3 + 5
    for h in ("H1", "H2", "H3"):
        assert framing.count_paths(scheme, h, "conclusion") == 2
    labelled = {key for _, _, key in scheme.edges if key}
    assert labelled == {"scheme_yes", "scheme_no"}
    with pytest.raises(ValueError):
        framing.research_scheme(())


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_figure1_draws_every_box_in_the_language(lang):
    import matplotlib.pyplot as plt

    from helpers.plots import fig01
    from helpers.registers.labels import label

    fig = fig01.draw(lang, article.hypotheses())
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for key in ("scheme_conclusion", "scheme_yes", "scheme_no", "scheme_comparative"):
        assert label(key, lang) in texts
    plt.close(fig)
