"""Figure 3: the PLS path diagram — each factor as a box, an arrow to the outcome with its path
coefficient and bootstrap CI, R² in the outcome box, the city's scores in the boxes.

:func:`draw` takes a PLS fit and its bootstrap (:mod:`helpers.pls`). Figure 9 (notebook 07) is
the same drawing of the synthetic reconstruction: ``synthetic=True`` puts "SYNTHETIC DATA" in the
title and a watermark on the canvas."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from helpers.plots.figures import colour, font, number, separator
from helpers.registers.labels import label


def synthetic_title(title: str, lang: str = "en") -> str:
    """``title`` headed by "SYNTHETIC DATA" (and its translation for kk/ru)."""
    mark = label("synthetic_data", "en")
    if lang != "en":
        mark = f"{mark} · {label('synthetic_data', lang)}"
    return f"{mark}\n{title}"



def _box(ax, x, y, w, h, text, sub=None, face: str = "box", role: str = "text"):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.008",
                                fc=colour(face), ec=colour("muted"), lw=1.2, zorder=2))
    if sub is None:
        ax.text(x, y, text, ha="center", va="center", **font(role), zorder=3, wrap=True)
    else:
        ax.text(x, y + h * 0.17, text, ha="center", va="center", **font(role), zorder=3)
        line = ax.text(x, y - h * 0.24, sub, ha="center", va="center", **font("annotation"),
                       color=colour("city"), fontweight="bold", zorder=3)
        _fit_width(line, w * 0.96)


def _fit_width(text, width: float) -> None:
    """Shrink ``text`` until it is at most ``width`` wide (axes units): a long place name ("Ка-
    рагандинская область") would otherwise run past its box; a text that fits is left as is."""
    ax = text.axes
    renderer = ax.figure.canvas.get_renderer()
    box = text.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    if box.width > width:
        text.set_fontsize(text.get_fontsize() * width / box.width)


def draw(fit, boot=None, *, outcome: str | None = None,
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
    sep = separator(lang)
    big = max((abs(coef.loc[s, outcome]) for s in sources), default=1.0) or 1.0
    for s, y in zip(sources, ys, strict=True):
        sub = None
        if city_scores is not None and s in city_scores:
            sub = f"{city_name}: {number(city_scores[s], lang, '+.2f')}"
            if city_ranks is not None and s in city_ranks:
                sub += f" ({city_ranks[s]}/{fit.n_obs})"
        _box(ax, 0.16, y, bw, bh, labels.get(s, s), sub)
        beta = float(coef.loc[s, outcome])
        start, end = np.array([0.16 + bw / 2, y]), np.array([ox - ow / 2, oy + (y - oy) * 0.35])
        width = 0.6 + 9.0 * abs(beta) / max(big, 0.5)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12 + width * 2,
                                     lw=width,
                                     color=colour("positive" if beta >= 0 else "negative"),
                                     alpha=0.75, zorder=1, shrinkA=2, shrinkB=2))
        text = f"β = {number(beta, lang, '+.2f')}"
        if ci is not None:
            lo, hi = ci.loc[(s, outcome)]
            text += (f" [{number(lo, lang, '+.2f')}{sep}{number(hi, lang, '+.2f')}] "
                     + ("*" if lo > 0 or hi < 0 else "n.s."))
        at = start + 0.42 * (end - start)
        ax.text(at[0], at[1], text, ha="center", va="center", **font("annotation"), zorder=4,
                bbox={"boxstyle": "round,pad=0.2", "fc": colour("paper"), "ec": "none",
                      "alpha": 0.9})
    r2 = fit.r_squared.loc[outcome]
    inside = f"R² = {number(r2['r2'], lang, '.2f')}"
    if boot is not None and outcome in boot.r_squared.index:
        row = boot.r_squared.loc[outcome]
        low, high = number(row["pct_lo"], lang, ".2f"), number(row["pct_hi"], lang, ".2f")
        inside += f" [{low}{sep}{high}]"
    inside += f"\nadj. R² = {number(r2['adj_r2'], lang, '.2f')}"
    sub = None
    if city_scores is not None and outcome in city_scores:
        sub = f"{city_name}: {number(city_scores[outcome], lang, '+.2f')}"
        if city_ranks is not None and outcome in city_ranks:
            sub += f" ({city_ranks[outcome]}/{fit.n_obs})"
    name = textwrap.fill(labels.get(outcome, outcome), 30)
    _box(ax, ox, oy, ow, oh, f"{name}\n\n{inside}", sub, face="highlight")
    ax.text(0.5, 0.005, label("path_note", lang), ha="center", va="bottom", **font("small"),
            color=colour("ink"))
    heading = title or label("fig03_title_plain", lang).format(n=fit.n_obs)
    if synthetic:
        heading = synthetic_title(heading, lang)
        ax.text(0.5, 0.5, label("synthetic_data", lang), ha="center", va="center",
                **font("watermark"),
                color=colour("synthetic"), alpha=0.08, rotation=25, zorder=0)
    ax.set_title(heading, **font("title"), color=colour("synthetic" if synthetic else "ink"))
    return fig
