"""Figure 10 (fig10_specification-curve): a specification curve (Simonsohn, Simmons & Nelson 2020).

For every factor's path: the estimates of all estimable specifications, sorted, each with its 95 %
bootstrap percentile interval (blue: above 0, red: below 0, grey: includes 0); the main
specification (notebook 04) marked; the positive side shaded (K1 read as "every path positive";
the article's C6 says only that every influence is great, with no sign). Below each curve, the
panel of choices: one row per level of the estimator, outcome
coding, scaling, year rule and of *that factor's* indicator set, a tick where the specification
(in the same sorted order) made that choice.

The thousands of marks are rasterised inside the SVG (text, axes and the main specification
stay vector), which keeps the committed exhibit small.

Plain tables in, figure out: ``table`` is :func:`helpers.steps.nb05_robustness.summarise`'s frame
(only
estimable rows are drawn), ``dims`` the choices of :func:`helpers.steps.nb05_multiverse.choices`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.plots.figures import colour, decimal_ticks, filled, font
from helpers.registers.labels import label
from helpers.steps.nb05_multiverse import level_text

LIMIT = 1.5  # standardised paths beyond ±LIMIT are drawn at the frame


def level_label(dimension: str, level, lang: str) -> str:
    """The text of one choice in ``lang`` (:func:`helpers.steps.nb05_multiverse.level_text`, the
    words notebook 05's tables use too)."""
    return level_text(dimension, level, lang)


def _rows(dims: Mapping[str, list], factor: str) -> list[tuple[str, object]]:
    order = ["estimator", "outcome", "scaling", "year_rule", f"set_{factor}"]
    return [(d, level) for d in order if d in dims for level in dims[d]]


def draw(table: pd.DataFrame, dims: Mapping[str, list], factors: Sequence[str],
                        names: Mapping[str, str], lang: str = "en", title: str | None = None):
    """The faceted figure: two rows of three factor blocks, each a curve above its choices."""
    ok = table[table["estimable"]]
    fig = plt.figure(figsize=(18, 15))
    outer = fig.add_gridspec(2, 3, hspace=0.2, wspace=0.62, top=0.93, bottom=0.05)
    for k, f in enumerate(factors):
        rows = _rows(dims, f)
        inner = outer[k // 3, k % 3].subgridspec(2, 1, height_ratios=[1.0, 0.075 * len(rows)],
                                                 hspace=0.04)
        ax = fig.add_subplot(inner[0])
        panel = fig.add_subplot(inner[1], sharex=ax)
        order = ok.sort_values(f"path_{f}", kind="stable")
        x = np.arange(len(order))
        est = order[f"path_{f}"].to_numpy()
        lo, hi = order[f"lo_{f}"].to_numpy(), order[f"hi_{f}"].to_numpy()
        tone = np.where(lo > 0, colour("positive"), np.where(hi < 0, colour("negative"),
                                                             colour("neutral")))
        ax.axhspan(0, LIMIT, color=colour("confirmed_light"), zorder=0, lw=0,
                   label=label("mv_article_claim", lang))
        ax.fill_between(x, np.clip(lo, -LIMIT, LIMIT), np.clip(hi, -LIMIT, LIMIT), step="mid",
                        color=colour("neutral"), alpha=0.3, lw=0, zorder=1,
                        label=label("mv_interval", lang), rasterized=True)
        clear = tone != colour("neutral")
        ax.vlines(x[clear], np.clip(lo[clear], -LIMIT, LIMIT), np.clip(hi[clear], -LIMIT, LIMIT),
                  colors=tone[clear], lw=0.8, alpha=0.8, zorder=2, rasterized=True)
        ax.scatter(x, np.clip(est, -LIMIT, LIMIT), c=np.where(clear, tone, colour("muted")), s=3,
                   zorder=3, lw=0, rasterized=True)
        main = np.flatnonzero(order["kind"].to_numpy() == "main")
        if len(main):
            ax.scatter(x[main], np.clip(est[main], -LIMIT, LIMIT), s=70, facecolor="none",
                       edgecolor=colour("ink"), lw=1.6, zorder=4, label=label("mv_main", lang))
        ax.axhline(0, color=colour("ink"), lw=0.7)
        ax.set_ylim(-LIMIT, LIMIT)
        ax.set_xlim(-1, len(order))
        share = float((est > 0).mean())
        ax.set_title(f"{names[f]}\n" + filled(label("mv_share_positive", lang), lang,
                                          share=share, n=len(order)), **font("text"))
        ax.tick_params(labelbottom=False)
        ax.set_ylabel(label("mv_path", lang), **font("small"))
        if k == 0:
            ax.legend(loc="upper left", markerscale=0.8, **font("small"))
        # the panel of choices
        for i, (d, level) in enumerate(rows):
            chosen = x[(order[d].astype(str) == str(level)).to_numpy()]
            panel.scatter(chosen, np.full(len(chosen), i), marker="|", s=12, lw=0.6,
                          color=colour("muted"), rasterized=True)
        panel.set_ylim(len(rows) - 0.5, -0.5)
        panel.set_yticks(range(len(rows)))
        panel.set_yticklabels([_short(level_label(d, level, lang)) for d, level in rows],
                              **font("tiny"))
        starts = [i for i, (d, _) in enumerate(rows) if i == 0 or rows[i - 1][0] != d]
        for i in starts[1:]:
            panel.axhline(i - 0.5, color=colour("faint"), lw=0.6)
        panel.grid(False)
        panel.set_xlabel(label("mv_specs_sorted", lang), **font("small"))
        panel.tick_params(axis="x", labelsize=font("tiny")["fontsize"])
    if title:
        fig.suptitle(title, fontweight="bold", y=0.975, **font("headline"))
    fig.text(0.5, 0.0, filled(label("mv_note", lang), lang, limit=LIMIT), ha="center", va="top",
             color=colour("muted"), wrap=True, **font("small"))
    decimal_ticks(fig, lang)
    return fig


def _short(text: str, width: int = 36) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
