"""Figures of the factor analysis: correlation heatmaps (fig04), the PLS path diagram (fig03) and
the importance–performance map (fig05).

Each function takes results (DataFrames, a PLS fit and its bootstrap) and labels already in the
chosen language, and returns a matplotlib figure; saving is :func:`helpers.figures.save_figure`'s
job. :func:`path_diagram` also serves the synthetic reconstruction (notebook 06):
``synthetic=True`` puts "SYNTHETIC DATA" in the title and a watermark on the canvas.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.gridspec import GridSpec
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from helpers.article import factors as article_factors
from helpers.labels import label

CITY_COLOUR = "#d95f02"
POSITIVE, NEGATIVE = "#2166ac", "#b2182b"
GREY = "#9e9e9e"


def factor_labels(lang: str = "en", with_code: bool = True, folder=None) -> dict[str, str]:
    """``{factor id: "ӘО · social environment"}`` in ``lang`` (names from the article's table;
    the codes stay the article's Kazakh abbreviations in every language; the outcome is ``y``)."""
    table = article_factors(folder)
    column = f"name_{lang}"
    if column not in table.columns:
        raise KeyError(f"no factor names in {lang!r}; languages: en, kk, ru.")
    return {r["id"]: (f"{r['code_kk']} · {r[column]}" if with_code else r[column])
            for r in table.to_dict("records")}


def factor_codes(folder=None) -> dict[str, str]:
    """``{factor id: article code}`` (ӘО, ҚМ, ҚЭ, З, Т, Тқ, y)."""
    table = article_factors(folder)
    return dict(zip(table["id"], table["code_kk"], strict=True))


def synthetic_title(title: str, lang: str = "en") -> str:
    """``title`` headed by "SYNTHETIC DATA" (and its translation for kk/ru)."""
    mark = label("synthetic_data", "en")
    if lang != "en":
        mark = f"{mark} · {label('synthetic_data', lang)}"
    return f"{mark}\n{title}"


# --------------------------------------------------------------------------------------------
# fig04: correlation heatmaps
# --------------------------------------------------------------------------------------------

def _heatmap(ax, matrix: pd.DataFrame, codes: Mapping[str, str], title: str, vmax: float,
             cmap: str = "RdBu_r", ylabels: Mapping[str, str] | None = None,
             outline_above: float | None = None):
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(values, cmap=cmap, vmin=-vmax, vmax=vmax)
    n = len(matrix)
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            colour = "white" if abs(v) > 0.6 * vmax else "black"
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8.5, color=colour)
            if outline_above is not None and i != j and abs(v) > outline_above:
                ax.add_patch(Rectangle((j - 0.46, i - 0.46), 0.92, 0.92, fill=False, lw=1.8,
                                       ec="black"))
    ax.set_xticks(range(n), [codes[c] for c in matrix.columns])
    ax.set_yticks(range(n), [(ylabels or codes)[c] for c in matrix.index])
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=10)
    return image


def correlation_figure(ours: pd.DataFrame, article: pd.DataFrame, composites: pd.DataFrame,
                       city: str, city_name: str, lang: str = "en", threshold: float = 0.42):
    """Three heatmaps (this study, the article's Table 1, their difference) and a panel with
    every region's composite z-score per factor, the city highlighted with its rank."""
    codes = factor_codes()
    names = factor_labels(lang)
    diff = ours - article
    fig = plt.figure(figsize=(16, 9.2))
    grid = GridSpec(2, 3, figure=fig, height_ratios=[1.2, 0.8], hspace=0.22, wspace=0.3,
                    top=0.9, bottom=0.08)
    outlined = label("outlined_above", lang).format(t=threshold)
    panels = [(ours, label("corr_this_study", lang) + f"\n{outlined}", 1.0),
              (article, label("corr_article", lang) + f"\n{outlined}", 1.0),
              (diff, label("corr_difference", lang), max(1.0, float(np.ceil(
                  np.abs(diff.to_numpy()).max() * 2) / 2)))]
    for k, (matrix, title, vmax) in enumerate(panels):
        ax = fig.add_subplot(grid[0, k])
        image = _heatmap(ax, matrix, codes, title, vmax, ylabels=names if k == 0 else None,
                         outline_above=threshold if k < 2 else None)
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03, shrink=0.8)
    ax = fig.add_subplot(grid[1, :])
    order = list(ours.columns)
    x = np.arange(len(order))
    ranked = composites[order].rank(ascending=False, method="min").astype(int)
    for j, f in enumerate(order):
        others = composites[f].drop(index=city)
        ax.scatter(np.full(len(others), j), others, marker="_", s=260, color=GREY, lw=1.6,
                   label=label("other_regions", lang) if j == 0 else None, zorder=2)
        v = composites.loc[city, f]
        ax.scatter([j], [v], s=110, color=CITY_COLOUR, zorder=3,
                   label=city_name if j == 0 else None)
        ax.annotate(f"{v:+.2f}\n" + label("rank_of_20", lang).format(
            rank=ranked.loc[city, f], n=len(composites)), (j, v), xytext=(14, 0),
            textcoords="offset points", va="center", fontsize=9, color=CITY_COLOUR)
    ax.axhline(0, color="black", lw=0.6)
    ax.margins(y=0.14)
    ax.set_xticks(x, [names[f].replace(" · ", "\n", 1) for f in order])
    ax.set_xlim(-0.5, len(order) - 0.1)
    ax.set_ylabel(label("composite_z", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    ax.grid(axis="x", visible=False)
    fig.suptitle(label("fig04_title", lang).format(city=city_name), fontsize=13,
                 fontweight="bold", y=0.96)
    return fig


# --------------------------------------------------------------------------------------------
# fig03: PLS path diagram
# --------------------------------------------------------------------------------------------

def _box(ax, x, y, w, h, text, sub=None, face="#f4f4f4", edge="#444444", size=10):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.008",
                                fc=face, ec=edge, lw=1.2, zorder=2))
    if sub is None:
        ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=3, wrap=True)
    else:
        ax.text(x, y + h * 0.17, text, ha="center", va="center", fontsize=size, zorder=3)
        ax.text(x, y - h * 0.24, sub, ha="center", va="center", fontsize=size - 1,
                color=CITY_COLOUR, fontweight="bold", zorder=3)


def path_diagram(fit, boot=None, *, outcome: str | None = None,
                 labels: Mapping[str, str] | None = None,
                 city_scores: Mapping[str, float] | None = None,
                 city_ranks: Mapping[str, int] | None = None, city_name: str | None = None,
                 lang: str = "en", title: str | None = None, synthetic: bool = False):
    """Draw a PLS path diagram: each predictor of ``outcome`` as a box, an arrow to the outcome.

    Arrow width ∝ |path coefficient| (blue positive, red negative); each arrow is labelled
    ``β [95 % percentile CI] mark`` with mark ``*`` when the CI excludes 0 and ``n.s.`` when it
    includes 0 (no CI without ``boot``). The outcome box carries R² (with its CI). ``labels``
    maps construct names to display text; ``city_scores``/``city_ranks`` (optional) are written
    in each box in the city colour. ``outcome`` defaults to the model's last endogenous
    construct. ``synthetic=True`` heads the title with "SYNTHETIC DATA" and adds a watermark.
    """
    model = fit.model
    endogenous = model.endogenous
    outcome = outcome or endogenous[-1]
    if outcome not in endogenous:
        raise KeyError(f"{outcome!r} is not an endogenous construct; endogenous: {endogenous}.")
    sources = model.predecessors(outcome)
    labels = dict(labels or {})
    coef = fit.path_coefficients
    ci = None
    if boot is not None:
        ci = boot.paths.set_index(["from", "to"])[["pct_lo", "pct_hi"]]
    fig, ax = plt.subplots(figsize=(12, 7.6))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    k = len(sources)
    ys = np.linspace(0.9, 0.1, k) if k > 1 else np.array([0.5])
    bw, bh = 0.27, min(0.11, 0.75 / max(k, 1))
    ox, oy, ow, oh = 0.83, 0.5, 0.3, 0.26
    big = max((abs(coef.loc[s, outcome]) for s in sources), default=1.0) or 1.0
    for s, y in zip(sources, ys, strict=True):
        sub = None
        if city_scores is not None and s in city_scores:
            sub = f"{city_name}: {city_scores[s]:+.2f}"
            if city_ranks is not None and s in city_ranks:
                sub += f" ({city_ranks[s]}/{fit.n_obs})"
        _box(ax, 0.16, y, bw, bh, labels.get(s, s), sub)
        beta = float(coef.loc[s, outcome])
        start, end = np.array([0.16 + bw / 2, y]), np.array([ox - ow / 2, oy + (y - oy) * 0.35])
        width = 0.6 + 9.0 * abs(beta) / max(big, 0.5)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12 + width * 2,
                                     lw=width, color=POSITIVE if beta >= 0 else NEGATIVE,
                                     alpha=0.75, zorder=1, shrinkA=2, shrinkB=2))
        text = f"β = {beta:+.2f}"
        if ci is not None:
            lo, hi = ci.loc[(s, outcome)]
            text += f" [{lo:+.2f}, {hi:+.2f}] " + ("*" if lo > 0 or hi < 0 else "n.s.")
        at = start + 0.42 * (end - start)
        ax.text(at[0], at[1], text, ha="center", va="center", fontsize=9, zorder=4,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9})
    r2 = fit.r_squared.loc[outcome]
    inside = f"R² = {r2['r2']:.2f}"
    if boot is not None and outcome in boot.r_squared.index:
        row = boot.r_squared.loc[outcome]
        inside += f" [{row['pct_lo']:.2f}, {row['pct_hi']:.2f}]"
    inside += f"\nadj. R² = {r2['adj_r2']:.2f}"
    sub = None
    if city_scores is not None and outcome in city_scores:
        sub = f"{city_name}: {city_scores[outcome]:+.2f}"
        if city_ranks is not None and outcome in city_ranks:
            sub += f" ({city_ranks[outcome]}/{fit.n_obs})"
    name = textwrap.fill(labels.get(outcome, outcome), 30)
    _box(ax, ox, oy, ow, oh, f"{name}\n\n{inside}", sub, face="#e8eef7", size=10)
    ax.text(0.5, 0.005, label("path_note", lang), ha="center", va="bottom", fontsize=8.5,
            color="#333333")
    heading = title or label("fig03_title_plain", lang).format(n=fit.n_obs)
    if synthetic:
        heading = synthetic_title(heading, lang)
        ax.text(0.5, 0.5, label("synthetic_data", lang), ha="center", va="center", fontsize=44,
                color="#cc0000", alpha=0.08, rotation=25, zorder=0)
    ax.set_title(heading, fontsize=12, color="#cc0000" if synthetic else "black")
    return fig


# --------------------------------------------------------------------------------------------
# fig05: importance–performance map
# --------------------------------------------------------------------------------------------

def ipma_figure(table: pd.DataFrame, city_name: str, lang: str = "en",
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
        ax.plot([x, x], [ym, yc], color=GREY, lw=1, zorder=1)
        ax.scatter([x], [ym], s=90, color=GREY if ok else "white", edgecolor=GREY, lw=1.5,
                   zorder=2)
        ax.scatter([x], [yc], s=130, marker="*", color=CITY_COLOUR if ok else "white",
                   edgecolor=CITY_COLOUR, lw=1.2, zorder=3)
        ax.annotate(f"{codes[f]} {names[f]}", (x, yc), xytext=(8, 4), textcoords="offset points",
                    fontsize=9, fontweight="bold" if f == factor_to_improve else None)
    ax.axvline(0, color="black", lw=0.6)
    ax.axhspan(0, 100, color="#f2f2f2", zorder=0)
    lo = min(0.0, float(table[["performance_mean", "performance_city"]].min().min()) - 5)
    hi = max(100.0, float(table[["performance_mean", "performance_city"]].max().max()) + 5)
    ax.set_ylim(lo, hi)
    xs = table["importance"]
    pad = 0.15 * (xs.max() - xs.min() + 1e-9)
    ax.set_xlim(xs.min() - pad, xs.max() + 2.5 * pad)
    handles = [plt.Line2D([], [], marker="o", ls="", ms=9, color=GREY),
               plt.Line2D([], [], marker="*", ls="", ms=12, color=CITY_COLOUR)]
    texts = [label("mean_all_regions", lang), city_name]
    if not table["precondition_met"].all():
        handles.append(plt.Line2D([], [], marker="o", ls="", ms=9, mfc="white", mec=GREY))
        texts.append(label("ipma_caution", lang))
    ax.legend(handles, texts, loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=3, fontsize=9)
    ax.set_xlabel(label("importance", lang))
    ax.set_ylabel(label("performance", lang))
    title = label("fig05_title", lang).format(city=city_name)
    if factor_to_improve is not None:
        title += "\n" + label("factor_to_improve", lang).format(
            city=city_name, factor=f"{codes[factor_to_improve]} {names[factor_to_improve]}")
    ax.set_title(title)
    return fig
