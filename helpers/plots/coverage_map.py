"""The data coverage heatmap of notebook 01: regions with a value, per table and year.

:func:`draw` takes :func:`helpers.steps.nb01_data_assembly.coverage_by_year`'s matrix."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.plots.figures import COLOURMAPS, colour, decimal_ticks, font
from helpers.registers.labels import label


def draw(matrix: pd.DataFrame, lang: str = "en"):
    """A heatmap of :func:`coverage_by_year` (regions with data, 0–20), numbers in the cells."""
    fig, ax = plt.subplots(figsize=(max(8, 0.42 * matrix.shape[1] + 3), 0.45 * len(matrix) + 1.6))
    image = ax.imshow(matrix.to_numpy(), cmap=COLOURMAPS["sequential"], vmin=0, vmax=20,
                      aspect="auto")
    ticks = [label("undated", lang) if c == "undated" else c for c in matrix.columns]
    ax.set_xticks(range(matrix.shape[1]), ticks, rotation=90, **font("small"))
    ax.set_yticks(range(len(matrix)), matrix.index, **font("annotation"))
    ax.grid(False)
    for (i, j), value in pd.DataFrame(matrix.to_numpy()).stack().items():
        if value:
            ax.text(j, i, str(value), ha="center", va="center", **font("tiny"),
                    color=colour("paper" if value > 12 else "ink"))
    fig.colorbar(image, ax=ax, label=label("n_regions_with_data", lang), fraction=0.03)
    ax.set_title(label("coverage_title", lang), loc="left")
    decimal_ticks(fig, lang)
    return fig
