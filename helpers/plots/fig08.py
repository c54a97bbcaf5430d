"""Figure 8: how many respondents a survey would need if the article's correlations had come
from one (an assumption: the article names statistical sources) — power against respondents, one
line per assumed path (factor colours), the 80 % line and n = 20 marked.

:func:`draw` takes the power table of :func:`helpers.steps.nb07_reconstruction.power_study`."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from helpers.plots.figures import colour, decimal_ticks, decorate, font, number
from helpers.registers.labels import factor_labels, label


def draw(power: pd.DataFrame, lang: str, title: str, caption: str, n_survey: int,
               n_regions: int = 20, target: float = 0.8):
    """Power against respondents (log scale), one line per path, 80 % line, n = 20 marked."""
    names = factor_labels(lang)
    fig, ax = plt.subplots(figsize=(9, 5.8))
    order = power.groupby("path", sort=False)["assumed"].first().sort_values(ascending=False)
    for path, beta in order.items():
        g = power[power["path"] == path].sort_values("n")
        ax.plot(g["n"], g["power"], "-o", ms=3.5, color=colour(path),
                label=f"{names[path]} (β = {number(beta, lang, '.2f')})")
        at20 = g.loc[g["n"] == n_regions, "power"]
        if len(at20):
            ax.plot([n_regions], at20, "s", ms=8, mfc="none", mec=colour(path), mew=1.6)
    ax.axhline(target, color=colour("ink"), lw=1, ls="--")
    ax.text(power["n"].min() * 1.5, target + 0.015, label("rec_target", lang), ha="left",
            va="bottom", **font("annotation"))
    ax.axvline(n_regions, color=colour("kazakhstan"), lw=1.2)
    ax.text(n_regions * 1.04, 0.97, label("rec_regions", lang), color=colour("kazakhstan"),
            **font("annotation"),
            va="top")
    ax.axvline(n_survey, color=colour("neutral"), lw=1, ls=":")
    ax.text(n_survey * 1.04, 0.04, label("rec_survey_n", lang).format(n=n_survey),
            color=colour("muted"), **font("annotation"))
    ax.set_xscale("log")
    ticks = sorted(power["n"].unique())
    ax.set_xticks(ticks, [str(t) for t in ticks], **font("small"))
    ax.minorticks_off()
    ax.set_ylim(0, 1.02)
    decorate(ax, xlabel=label("rec_respondents", lang), ylabel=label("rec_power", lang),
             title=title, legend=False)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), **font("annotation"))
    fig.text(0.01, -0.04, textwrap.fill(caption, 150), **font("small"), style="italic")
    decimal_ticks(fig, lang)
    return fig


