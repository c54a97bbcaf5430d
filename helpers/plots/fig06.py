"""Figure 6: the city's profile — four time series (the city against Kazakhstan, breaks marked)
and the rank strip of its factors and indicators among the 20 regions.

:func:`draw` takes the :class:`helpers.steps.nb06_city_report.Profile` notebook 06 builds."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import ticker
from matplotlib.gridspec import GridSpec
from matplotlib.lines import Line2D

from helpers.plots.figures import colour, font, number, size
from helpers.registers import article
from helpers.registers.labels import label
from helpers.steps.nb06_city_report import FIRST_YEAR, SERIES, Profile, Series, indicator_label


def _wrap(text: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _series_panel(ax, p: Profile, s: Series, region_name: str, lang: str) -> None:
    df = p.series[p.series["indicator"] == s.indicator]
    own = df[df["region"] == p.slug].sort_values("year")
    nat = df[df["region"] == "kazakhstan"].sort_values("year")
    ax.plot(nat["year"], nat["value"], color=colour("kazakhstan"), ls="--", lw=1.6, marker="o",
            ms=3, label=label("kazakhstan", lang))
    ax.plot(own["year"], own["value"], color=colour("city"), lw=2.2, marker="o", ms=4,
            label=region_name)
    title = label(s.label_key, lang)
    if s.form == "index":
        title = title.format(base=int(df["base_year"].iloc[0]))
    ax.set_title(_wrap(title, 44), **font("text"))
    ax.set_xlim(FIRST_YEAR - 0.6, int(df["year"].max()) + 0.6)
    ax.xaxis.set_major_locator(ticker.MultipleLocator(2))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(
        lambda v, _: f"{v:,.0f}".replace(",", "\u2009") if abs(v) >= 1000
        else number(v, lang, "g")))
    marks = p.breaks[p.breaks["indicator"] == s.indicator]
    notes = []
    for b in marks.itertuples():
        ax.axvline(b.year - 0.5, color=colour("break"), ls=":", lw=1.4)
        notes.append(label(b.label_key, lang).format(year=b.year))
    if notes:
        ax.set_xlabel(_wrap("┆ " + "; ".join(notes), 58), color=colour("break"), **font("small"))


def _rank_strip(ax, p: Profile, lang: str) -> None:
    names = article.factors().set_index("id")
    rows, y = [], 0.0
    positions, labels_, colours = [], [], []
    for factor, group in p.indicators.groupby("factor", sort=False):
        tone = colour(factor)
        fr = p.factors.loc[factor]
        header = f"{names.loc[factor, 'code_kk']} {names.loc[factor, f'name_{lang}']}"
        positions.append(y)
        labels_.append(_wrap(header, 30))
        colours.append(("header", tone))
        ax.scatter([fr["rank"]], [y], marker="D", s=60, color=tone, zorder=3,
                   edgecolor=colour("ink"), linewidth=0.6)
        ax.annotate(f"{fr['rank']}", (fr["rank"], y), xytext=(7, 0), textcoords="offset points",
                    va="center", **font("small"), fontweight="bold", color=tone)
        y += 1
        for column, row in group.iterrows():
            text = indicator_label(column, lang)
            if row["direction"] == "lower_better":
                text += " (↓)"
            positions.append(y)
            labels_.append(_wrap(text, 42))
            colours.append(("item", tone))
            ax.plot([1, p.n_regions], [y, y], color=colour("faint"), lw=0.8, zorder=1)
            if row["rank"] is not None and not pd.isna(row["rank"]):
                ax.scatter([row["rank"]], [y], s=42, color=tone, zorder=3)
                ax.annotate(f"{int(row['rank'])}", (row["rank"], y), xytext=(6, 0),
                            textcoords="offset points", va="center", **font("tiny"), color=tone)
            y += 1
        rows.append(y)
        y += 0.4
    ax.set_yticks(positions)
    ax.set_yticklabels(labels_, **font("tiny"))
    for tick, (kind, tone) in zip(ax.get_yticklabels(), colours, strict=True):
        if kind == "header":
            tick.set_fontweight("bold")
            tick.set_color(tone)
            tick.set_fontsize(size("small"))
    ax.set_ylim(y - 0.4, -0.8)
    ax.set_xlim(0.3, p.n_regions + 2.2)
    ax.set_xticks([1, 5, 10, 15, p.n_regions])
    ax.axvline((p.n_regions + 1) / 2, color=colour("neutral"), lw=0.8, ls="--")
    ax.grid(axis="y", visible=False)
    ax.set_title(_wrap(label("profile_rank_title", lang).format(n=p.n_regions), 48),
                 **font("text"))
    ax.set_xlabel(_wrap(label("profile_rank_axis", lang).format(n=p.n_regions), 48))


def draw(p: Profile, region, lang: str = "en"):
    """Figure 6: four series panels (region vs Kazakhstan) and the rank strip."""
    name = region.name(lang)
    fig = plt.figure(figsize=(16, 9.5))
    outer = GridSpec(1, 2, figure=fig, width_ratios=[2, 0.9], wspace=0.58, left=0.05,
                     right=0.98, top=0.88, bottom=0.09)
    left = outer[0].subgridspec(2, 2, wspace=0.24, hspace=0.42)
    for k, s in enumerate(SERIES):
        _series_panel(fig.add_subplot(left[k // 2, k % 2]), p, s, name, lang)
    _rank_strip(fig.add_subplot(outer[1]), p, lang)
    title = label("profile_title", lang).format(city=name)
    if region.type == "region":
        title += f" — {label('profile_region_note', lang)}"
    fig.suptitle(title, **font("headline"), fontweight="bold", y=0.995)
    handles = [Line2D([], [], color=colour("city"), lw=2.2, marker="o", label=name),
               Line2D([], [], color=colour("kazakhstan"), lw=1.6, ls="--", marker="o",
                      label=label("kazakhstan", lang)),
               Line2D([], [], color=colour("break"), ls=":", lw=1.4,
                      label=label("profile_break", lang)),
               Line2D([], [], ls="", marker="D", color=colour("neutral"),
                      markeredgecolor=colour("ink"),
                      label=label("profile_factor_rank", lang)),
               Line2D([], [], ls="", marker="o", color=colour("neutral"),
                      label=label("profile_indicator_rank", lang))]
    fig.legend(handles=handles, loc="upper center", ncol=5, bbox_to_anchor=(0.5, 0.965),
               **font("small"))
    fig.text(0.01, 0.005, _wrap(label("profile_caption", lang), 190), **font("tiny"),
             color=colour("muted"), va="bottom")
    return fig


