"""Figure 2: innovation activity — the 20 regions (the city highlighted), Kazakhstan's series with
its trend, and the article's value for the city beside the official ones.

:func:`draw` takes the tables :mod:`helpers.steps.nb02_innovation_activity` computes and returns
the figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from helpers.plots.figures import colour, decimal_ticks, font, size
from helpers.registers import i18n
from helpers.registers.labels import label
from helpers.registers.regions import region_by_slug
from helpers.steps.nb02_innovation_activity import ARTICLE_YEAR, TrendFit

CONFIDENCE_STYLE = {"high": 1.0, "medium-high": 0.8, "medium": 0.55, "low": 0.0}
"""Marker fill opacity by confidence (0 = hollow marker)."""


def _bars(ax, regions: pd.DataFrame, slug: str, national: float, lang: str) -> None:
    ordered = regions.sort_values("value")
    names = [region_by_slug(s).name(lang) for s in ordered.index]
    colours = [colour("city" if s == slug else "other") for s in ordered.index]
    ax.barh(names, ordered["value"], color=colours, edgecolor="none")
    ax.axvline(national, color=colour("kazakhstan"), linestyle="--", linewidth=1.2,
               label=i18n.filled(label("national_level", lang), lang, value=national))
    for i, (s, v) in enumerate(ordered["value"].items()):
        ax.text(v + 0.2, i, i18n.number(v, lang, ".1f"), va="center", **font("tiny"),
                fontweight="bold" if s == slug else "normal",
                color=colour("city" if s == slug else "ink"))
    for tick, s in zip(ax.get_yticklabels(), ordered.index, strict=True):
        if s == slug:
            tick.set_color(colour("city"))
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", labelsize=size("small"))
    ax.set_xlim(0, ordered["value"].max() * 1.15)
    ax.grid(axis="y", visible=False)
    ax.set_title(label("panel_regions", lang), loc="left")
    ax.set_xlabel(label("innovation_activity", lang))
    ax.legend(loc="lower right", **font("small"))


def _series(ax, series: pd.DataFrame, fit: TrendFit, article_r2: float, lang: str) -> None:
    line_years = np.array([min(series["year"].min(), fit.years[0]), fit.years[-1]])
    ax.plot(series["year"], series["value"], color=colour("faint"), linewidth=0.8, zorder=1)
    span = np.linspace(fit.years[0], fit.years[-1], 50)
    ax.plot(span, fit.predict(span), color=colour("kazakhstan"), linestyle="--", linewidth=1.6,
            zorder=2,
            label=i18n.filled(label("trend_label", lang), lang, first=str(fit.years[0]),
                              last=str(fit.years[-1]), r2=fit.r2))
    for row in series.itertuples():
        official = row.kind == "official"
        edge = colour("official" if official else "quoted")
        fill = CONFIDENCE_STYLE.get(row.confidence, 0.0)
        face = to_rgba(edge, fill) if fill else colour("paper")
        ax.scatter(row.year, row.value, marker="s" if official else "o", s=55 if official else 40,
                   facecolor=face, edgecolor=edge, linewidth=1.2, zorder=3)
        ax.annotate(i18n.number(row.value, lang, "g"), (row.year, row.value),
                    textcoords="offset points", xytext=(0, 7), ha="center", **font("tiny"))
    handles = [
        Line2D([], [], marker="s", linestyle="", markerfacecolor=colour("official"),
               markeredgecolor=colour("official"), label=label("official", lang)),
        Line2D([], [], marker="o", linestyle="", markerfacecolor=to_rgba(colour("quoted"), 0.55),
               markeredgecolor=colour("quoted"),
               label=f"{label('quoted', lang)}: {label('confidence_medium', lang)}"),
        Line2D([], [], marker="o", linestyle="", markerfacecolor=colour("paper"),
               markeredgecolor=colour("quoted"),
               label=f"{label('quoted', lang)}: {label('confidence_low', lang)}"),
        Line2D([], [], color=colour("kazakhstan"), linestyle="--",
               label=ax.get_legend_handles_labels()[1][0]),
        Line2D([], [], linestyle="", label=i18n.filled(label("article_r2_label", lang), lang,
                                                     r2=article_r2)),
    ]
    ax.legend(handles=handles, loc="upper left", **font("tiny"))
    ax.set_xlim(line_years[0] - 1, max(line_years[1], ARTICLE_YEAR) + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, series["value"].max() * 1.3)
    ax.set_title(label("panel_national", lang), loc="left")
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel("%")


def _comparison(ax, regions: pd.DataFrame, slug: str, article: dict, lang: str) -> None:
    region = region_by_slug(slug)
    bars = []
    if slug in article:
        bars.append((label("article_value", lang).format(year=ARTICLE_YEAR), article[slug],
                     colour("article")))
    bars += [(label("official_total_2022", lang), regions.loc[slug, "value"], colour("city")),
             (label("official_small_2022", lang), regions.loc[slug, "small"],
              to_rgba(colour("city"), 0.45))]
    names = [b[0] for b in bars]
    values = [float(b[1]) for b in bars]
    ax.bar(range(len(bars)), values, color=[b[2] for b in bars], width=0.6)
    ax.set_xticks(range(len(bars)), names, **font("tiny"))
    for i, v in enumerate(values):
        ax.text(i, v + 0.3, i18n.number(v, lang, ".1f"), ha="center", **font("small"),
                fontweight="bold")
    if slug in article:
        ax.axhline(article[slug], color=colour("article"), linestyle=":", linewidth=1.2)
    ax.set_ylim(0, max(max(values), 1) * 1.45)
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("%")
    ax.set_title(label("panel_city", lang).format(city=region.name(lang)), loc="left")
    notes = []
    if slug not in article:
        notes.append(label("no_article_value", lang).format(city=region.name(lang)))
    if region.type == "region":
        notes.append(label("region_not_city", lang))
    if notes:
        ax.text(0.98, 0.97, "\n".join(notes), transform=ax.transAxes, ha="right", va="top",
                **font("tiny"), style="italic", color=colour("muted"))


def draw(slug: str, regions: pd.DataFrame, series: pd.DataFrame, fit: TrendFit,
                 national: float, article: dict, article_r2: float, lang: str = "en"):
    """Three panels: the 20 regions (city highlighted), the national series with its trend, and
    the article's value beside the official ones for the city."""
    fig = plt.figure(figsize=(12.5, 7.2))
    grid = fig.add_gridspec(2, 2, width_ratios=[1.05, 1], height_ratios=[1.15, 1], wspace=0.28,
                            hspace=0.42)
    _bars(fig.add_subplot(grid[:, 0]), regions, slug, national, lang)
    _series(fig.add_subplot(grid[0, 1]), series, fit, article_r2, lang)
    _comparison(fig.add_subplot(grid[1, 1]), regions, slug, article, lang)
    fig.suptitle(label("fig02_title", lang), x=0.02, ha="left", fontweight="bold")
    decimal_ticks(fig, lang)
    return fig
