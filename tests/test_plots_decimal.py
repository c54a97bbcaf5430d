"""Issue 20: every number a Kazakh or Russian figure draws uses the language's decimal sign.

Each exhibit is drawn from small inputs; after ``canvas.draw()`` every visible Text artist (tick
labels, colour-bar ticks, annotations, legend entries, titles, captions) is read back. The SVGs
draw text as paths, so the check reads the artists, not the files. English is the control: the
same drawings write decimal points there, so the check can see one.
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.plots import (  # noqa: E402
    coverage_map,
    fig03,
    fig04,
    fig05,
    fig06,
    fig07,
    fig08,
    fig09,
    fig10,
    figures,
)
from helpers.registers import article, regions  # noqa: E402
from helpers.steps import nb06_city_report  # noqa: E402
from helpers.steps.nb05_multiverse import ESTIMATORS, OUTCOMES, SCALINGS  # noqa: E402

POINT = re.compile(r"\d\.\d")
COMMA = re.compile(r"\d,\d")
FACTORS = list(article.FACTOR_IDS)


@pytest.fixture(autouse=True, scope="module")
def study_style():
    """Draw as the notebooks do (the study's style), and give other tests matplotlib back."""
    with matplotlib.rc_context():
        figures.use_style()
        yield


@pytest.fixture(scope="module")
def pls(fitted):
    """conftest's small PLS fit and its bootstrap."""
    return fitted


def drawn_texts(fig) -> list[str]:
    """Every line of text the renderer draws for ``fig`` (hidden axes and labels left out)."""
    renderer = fig.canvas.get_renderer()
    draw_text, seen = renderer.draw_text, []

    def recording(gc, x, y, s, *args, **kwargs):
        seen.append(s)
        return draw_text(gc, x, y, s, *args, **kwargs)

    renderer.draw_text = recording
    try:
        fig.draw(renderer)
    finally:
        del renderer.draw_text
        plt.close(fig)
    return [s for s in seen if s.strip()]


def _fig04(lang, pls):
    rng = np.random.default_rng(5)
    comp = pd.DataFrame(rng.normal(size=(20, 6)), columns=FACTORS,
                        index=[f"r{i}" for i in range(20)])
    return fig04.draw(comp.corr(), article.table1(), comp, "r4", "Testville", lang)


def _fig05(lang, pls):
    table = pd.DataFrame({"importance": [0.4, -0.2, 0.05], "performance_mean": [40.0, 60.0, 52.5],
                          "performance_city": [30.0, 70.0, 48.0],
                          "precondition_met": [True, False, True]},
                         index=["economy", "law", "social"])
    return fig05.draw(table, "Testville", lang, "economy")


def _fig03(lang, pls):
    fit, boot = pls
    return fig03.draw(fit, boot, labels={"Y": "outcome"}, city_scores={"F1": 1.25, "Y": -0.5},
                      city_ranks={"F1": 3}, city_name="Testville", lang=lang)


def _fig09(lang, pls):
    fit, boot = pls
    return fig09.draw(fit, boot, outcome="Y", labels={"Y": "outcome"}, lang=lang, title="T",
                      caption="C")


def _fig06(lang, pls):
    # Pavlodar: its series panels have ticks with decimals (102.5 …) in English
    return fig06.draw(nb06_city_report.build_profile("pavlodar"),
                      regions.region_by_slug("pavlodar"), lang)


def _fig07(lang, pls):
    rng = np.random.default_rng(7)
    pairs = [(a, b) for i, a in enumerate(FACTORS) for b in FACTORS[i + 1:]][:6]
    corrected = rng.uniform(0.1, 0.8, len(pairs))
    r = corrected - 0.1
    table = pd.DataFrame({"published": corrected + 0.05, "r": r, "r_lo": r - 0.2, "r_hi": r + 0.1,
                          "corrected": corrected, "corrected_lo": corrected - 0.2,
                          "corrected_hi": corrected + 0.15},
                         index=pd.MultiIndex.from_tuples(pairs))
    return fig07.draw(table, lang, "T", "C")


def _fig08(lang, pls):
    rows = [{"path": f, "assumed": beta, "n": n, "power": min(1.0, beta * n / 100)}
            for f, beta in zip(FACTORS[:3], (0.45, 0.3, 0.15), strict=True)
            for n in (10, 20, 50, 100, 200)]
    return fig08.draw(pd.DataFrame(rows), lang, "T", "C", n_survey=50)


def _fig10(lang, pls):
    rng = np.random.default_rng(10)
    dims = {"estimator": list(ESTIMATORS), "outcome": list(OUTCOMES), "scaling": list(SCALINGS),
            "year_rule": ["latest", "2022"], **{f"set_{f}": ["full"] for f in FACTORS}}
    n = 40
    table = pd.DataFrame({d: rng.choice(levels, n) for d, levels in dims.items()})
    table["estimable"] = True
    table["kind"] = ["main"] + ["variant"] * (n - 1)
    for f in FACTORS:
        est = rng.normal(0.2, 0.3, n)
        table[f"path_{f}"], table[f"lo_{f}"], table[f"hi_{f}"] = est, est - 0.3, est + 0.3
    return fig10.draw(table, dims, FACTORS, {f: f for f in FACTORS}, lang, title="T")


def _coverage(lang, pls):
    matrix = pd.DataFrame([[20, 18, 0], [5, 13, 20]], index=["a", "b"],
                          columns=["2021", "2022", "undated"])
    return coverage_map.draw(matrix, lang)


DRAWINGS = {"fig03": _fig03, "fig04": _fig04, "fig05": _fig05, "fig06": _fig06,
            "fig07": _fig07, "fig08": _fig08, "fig09": _fig09, "fig10": _fig10,
            "coverage_map": _coverage}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("name", DRAWINGS)
def test_a_kazakh_or_russian_figure_writes_no_decimal_point(name, lang, pls):
    texts = drawn_texts(DRAWINGS[name](lang, pls))
    english = drawn_texts(DRAWINGS[name]("en", pls))
    assert [t for t in texts if POINT.search(t)] == [], f"{name} in {lang} writes a decimal point"
    # the same numbers are drawn, with commas: a figure with decimals in English has them here
    assert any(COMMA.search(t) for t in texts) == any(POINT.search(t) for t in english)


def test_the_english_drawings_do_write_decimal_points(pls):
    """The control: without it the test above could pass on figures that draw no decimals."""
    with_points = {name for name, draw in DRAWINGS.items()
                   if any(POINT.search(t) for t in drawn_texts(draw("en", pls)))}
    assert with_points >= set(DRAWINGS) - {"coverage_map"}


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_figure_numbers_keep_english_exact_and_localise_the_rest(lang):
    values = [0.4237, -0.0004, 1.0, -0.2449, 12.5]
    for spec in (".2f", "+.2f", "g"):
        shown = [figures.number(v, lang, spec) for v in values]
        if lang == "en":
            assert shown == [format(v, spec) for v in values]
        else:
            assert not any(POINT.search(s) for s in shown)
            assert any(COMMA.search(s) for s in shown)
    assert figures.separator(lang) == (", " if lang == "en" else "; ")
    assert figures.filled("|r| > {t}", lang, t=0.42) == (
        "|r| > 0.42" if lang == "en" else "|r| > 0,42")
