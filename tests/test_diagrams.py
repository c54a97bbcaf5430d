"""Unit tests of helpers.diagrams: the path diagram (also for synthetic data) and the figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from helpers import article, diagrams  # noqa: E402
from helpers.pls import (  # noqa: E402
    Model,
    bootstrap_model,
    composite,
    estimate_pls,
    paths,
    relationships,
    single_item,
)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(3)
    n = 60
    f1, f2 = rng.normal(size=n), rng.normal(size=n)
    data = pd.DataFrame({"x1": f1 + 0.5 * rng.normal(size=n), "x2": f1 + 0.5 * rng.normal(size=n),
                         "z1": f2 + 0.5 * rng.normal(size=n),
                         "y1": 0.6 * f1 - 0.3 * f2 + 0.6 * rng.normal(size=n)})
    model = Model([composite("F1", ["x1", "x2"]), single_item("F2", "z1"),
                   single_item("Y", "y1")], relationships(paths(from_=["F1", "F2"], to="Y")))
    fit = estimate_pls(data, model)
    return fit, bootstrap_model(fit, n_boot=200, seed=1)


def _texts(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in [*ax.texts, ax.title])


def test_path_diagram_has_one_arrow_per_path_and_the_r2(fitted):
    fit, boot = fitted
    fig = diagrams.path_diagram(fit, boot, labels={"Y": "outcome"})
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 2
    text = _texts(fig)
    assert "R² = " in text and "outcome" in text and "SYNTHETIC" not in text
    widths = sorted(a.get_linewidth() for a in arrows)
    betas = sorted(abs(fit.path_coefficients.loc[s, "Y"]) for s in ("F1", "F2"))
    assert (widths[0] < widths[1]) == (betas[0] < betas[1])
    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_synthetic_flag_puts_synthetic_data_in_the_title(fitted, lang):
    fit, boot = fitted
    fig = diagrams.path_diagram(fit, boot, synthetic=True, lang=lang, title="Reconstruction")
    title = fig.axes[0].get_title()
    assert "SYNTHETIC DATA" in title and "Reconstruction" in title
    plt.close(fig)


def test_path_diagram_without_bootstrap_and_with_city_scores(fitted):
    fit, _ = fitted
    fig = diagrams.path_diagram(fit, city_scores={"F1": 1.25, "Y": -0.5}, city_ranks={"F1": 3},
                                city_name="Testville")
    text = _texts(fig)
    assert "Testville: +1.25 (3/60)" in text
    path_labels = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("β")]
    assert len(path_labels) == 2 and not any("[" in t for t in path_labels)
    with pytest.raises(KeyError, match="F2"):
        diagrams.path_diagram(fit, outcome="F2")
    plt.close(fig)


def test_factor_labels_carry_the_article_codes_in_every_language():
    for lang in ("en", "kk", "ru"):
        names = diagrams.factor_labels(lang)
        assert set(article.FACTOR_IDS) <= set(names)
        assert names["law"].startswith("З · ")
    assert "әлеуметтік" in diagrams.factor_labels("kk")["social"]
    with pytest.raises(KeyError):
        diagrams.factor_labels("de")


def test_correlation_figure_highlights_the_city():
    rng = np.random.default_rng(5)
    ids = list(article.FACTOR_IDS)
    comp = pd.DataFrame(rng.normal(size=(20, 6)), columns=ids, index=[f"r{i}" for i in range(20)])
    ours = comp.corr()
    fig = diagrams.correlation_figure(ours, article.table1(), comp, "r4", "Testville")
    legend = fig.axes[-1].get_legend()
    assert "Testville" in [t.get_text() for t in legend.get_texts()]
    assert len([ax for ax in fig.axes if ax.images]) == 3
    plt.close(fig)


def test_ipma_figure_names_the_factor_in_the_title():
    table = pd.DataFrame({"importance": [0.4, -0.2], "performance_mean": [40.0, 60.0],
                          "performance_city": [30.0, 70.0], "precondition_met": [True, False]},
                         index=["economy", "law"])
    fig = diagrams.ipma_figure(table, "Testville", "en", "economy")
    assert "urban economy" in fig.axes[0].get_title()
    plt.close(fig)
