"""Figure 4: factor correlations — this study's matrix, the article's Table 1 and their
difference as heatmaps, and every region's composite per factor with the city highlighted.

:func:`draw` takes the two correlation matrices and the composites table (notebook 03)."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.gridspec import GridSpec
from matplotlib.patches import Rectangle

from helpers.plots.figures import COLOURMAPS, colour, decimal_ticks, filled, font, number
from helpers.registers.labels import factor_codes, factor_labels, label


def _heatmap(ax, matrix: pd.DataFrame, codes: Mapping[str, str], title: str, vmax: float,
             cmap: str = COLOURMAPS["diverging"], ylabels: Mapping[str, str] | None = None,
             outline_above: float | None = None, lang: str = "en"):
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(values, cmap=cmap, vmin=-vmax, vmax=vmax)
    n = len(matrix)
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            ink = colour("paper" if abs(v) > 0.6 * vmax else "ink")
            ax.text(j, i, number(v, lang, ".2f"), ha="center", va="center", **font("small"),
                    color=ink)
            if outline_above is not None and i != j and abs(v) > outline_above:
                ax.add_patch(Rectangle((j - 0.46, i - 0.46), 0.92, 0.92, fill=False, lw=1.8,
                                       ec=colour("ink")))
    ax.set_xticks(range(n), [codes[c] for c in matrix.columns])
    ax.set_yticks(range(n), [(ylabels or codes)[c] for c in matrix.index])
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, **font("text"))
    return image


def draw(ours: pd.DataFrame, article: pd.DataFrame, composites: pd.DataFrame,
                       city: str, city_name: str, lang: str = "en", threshold: float = 0.42):
    """Three heatmaps (this study, the article's Table 1, their difference) and a panel with
    every region's composite z-score per factor, the city highlighted with its rank."""
    codes = factor_codes()
    names = factor_labels(lang)
    diff = ours - article
    fig = plt.figure(figsize=(16, 9.2))
    grid = GridSpec(2, 3, figure=fig, height_ratios=[1.2, 0.8], hspace=0.22, wspace=0.3,
                    top=0.9, bottom=0.08)
    outlined = filled(label("outlined_above", lang), lang, t=threshold)
    panels = [(ours, label("corr_this_study", lang) + f"\n{outlined}", 1.0),
              (article, label("corr_article", lang) + f"\n{outlined}", 1.0),
              (diff, label("corr_difference", lang), max(1.0, float(np.ceil(
                  np.abs(diff.to_numpy()).max() * 2) / 2)))]
    for k, (matrix, title, vmax) in enumerate(panels):
        ax = fig.add_subplot(grid[0, k])
        image = _heatmap(ax, matrix, codes, title, vmax, ylabels=names if k == 0 else None,
                         outline_above=threshold if k < 2 else None, lang=lang)
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03, shrink=0.8)
    ax = fig.add_subplot(grid[1, :])
    order = list(ours.columns)
    x = np.arange(len(order))
    ranked = composites[order].rank(ascending=False, method="min").astype(int)
    for j, f in enumerate(order):
        others = composites[f].drop(index=city)
        ax.scatter(np.full(len(others), j), others, marker="_", s=260,
                   color=colour("neutral"), lw=1.6,
                   label=label("other_regions", lang) if j == 0 else None, zorder=2)
        v = composites.loc[city, f]
        ax.scatter([j], [v], s=110, color=colour("city"), zorder=3,
                   label=city_name if j == 0 else None)
        ax.annotate(number(v, lang, "+.2f") + "\n" + label("rank_of_20", lang).format(
            rank=ranked.loc[city, f], n=len(composites)), (j, v), xytext=(14, 0),
            textcoords="offset points", va="center", **font("annotation"), color=colour("city"))
    ax.axhline(0, color=colour("ink"), lw=0.6)
    ax.margins(y=0.14)
    ax.set_xticks(x, [names[f].replace(" · ", "\n", 1) for f in order])
    ax.set_xlim(-0.5, len(order) - 0.1)
    ax.set_ylabel(label("composite_z", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), **font("annotation"))
    ax.grid(axis="x", visible=False)
    fig.suptitle(label("fig04_title", lang).format(city=city_name), **font("headline"),
                 fontweight="bold", y=0.96)
    decimal_ticks(fig, lang)
    return fig


