"""Figure 5: the importance–performance map — each factor's importance (total effect on the
outcome) against its performance, for the 20-region mean and for the city.

:func:`draw` takes the IPMA table of notebook 04
(:func:`helpers.steps.nb04_pls_estimation.ipma_table`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.plots.figures import colour, decimal_ticks, font
from helpers.registers.labels import factor_codes, factor_labels, label


def draw(table: pd.DataFrame, city_name: str, lang: str = "en",
                factor_to_improve: str | None = None):
    """Importance (x) against performance (y) for each factor: the 20-region mean (grey) and the
    city (city colour), joined by a line. ``table`` is indexed by factor id with columns
    ``importance, performance_mean, performance_city, precondition_met``; a factor whose
    precondition is not met is drawn hollow."""
    codes = factor_codes()
    names = factor_labels(lang, with_code=False)
    fig, ax = plt.subplots(figsize=(10, 6.8))
    for f, row in table.iterrows():
        ok = bool(row["precondition_met"])
        x, ym, yc = row["importance"], row["performance_mean"], row["performance_city"]
        ax.plot([x, x], [ym, yc], color=colour("neutral"), lw=1, zorder=1)
        ax.scatter([x], [ym], s=90, color=colour("neutral" if ok else "paper"),
                   edgecolor=colour("neutral"), lw=1.5,
                   zorder=2)
        ax.scatter([x], [yc], s=130, marker="*", color=colour("city" if ok else "paper"),
                   edgecolor=colour("city"), lw=1.2, zorder=3)
        ax.annotate(f"{codes[f]} {names[f]}", (x, yc), xytext=(8, 4), textcoords="offset points",
                    **font("annotation"), fontweight="bold" if f == factor_to_improve else None)
    ax.axvline(0, color=colour("ink"), lw=0.6)
    ax.axhspan(0, 100, color=colour("panel"), zorder=0)
    lo = min(0.0, float(table[["performance_mean", "performance_city"]].min().min()) - 5)
    hi = max(100.0, float(table[["performance_mean", "performance_city"]].max().max()) + 5)
    ax.set_ylim(lo, hi)
    xs = table["importance"]
    pad = 0.15 * (xs.max() - xs.min() + 1e-9)
    ax.set_xlim(xs.min() - pad, xs.max() + 2.5 * pad)
    handles = [plt.Line2D([], [], marker="o", ls="", ms=9, color=colour("neutral")),
               plt.Line2D([], [], marker="*", ls="", ms=12, color=colour("city"))]
    texts = [label("mean_all_regions", lang), city_name]
    if not table["precondition_met"].all():
        handles.append(plt.Line2D([], [], marker="o", ls="", ms=9, mfc=colour("paper"),
                                  mec=colour("neutral")))
        texts.append(label("ipma_caution", lang))
    ax.legend(handles, texts, loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=3,
              **font("annotation"))
    ax.set_xlabel(label("importance", lang))
    ax.set_ylabel(label("performance", lang))
    title = label("fig05_title", lang).format(city=city_name)
    if factor_to_improve is not None:
        title += "\n" + label("factor_to_improve", lang).format(
            city=city_name, factor=f"{codes[factor_to_improve]} {names[factor_to_improve]}")
    ax.set_title(title)
    decimal_ticks(fig, lang)
    return fig
