"""Figure 7: the synthetic reconstruction's recovery of Table 1 — published correlations beside
the construct-score correlations, corrected and uncorrected, one row per pair.

:func:`draw` takes the recovery table of
:func:`helpers.steps.nb07_reconstruction.recovery_table`."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.plots.figures import colour, decimal_ticks, decorate, font
from helpers.registers.labels import factor_codes, label


def draw(table: pd.DataFrame, lang: str, title: str, caption: str,
                  claim: float | None = 0.42):
    """Published Table 1 beside the recovered correlations (dot plot, one row per pair)."""
    codes = factor_codes()
    fig, ax = plt.subplots(figsize=(8.5, 7.2))
    y = np.arange(len(table))[::-1]
    corr = table["corrected"].to_numpy()
    err = [corr - table["corrected_lo"].to_numpy(), table["corrected_hi"].to_numpy() - corr]
    ax.errorbar(corr, y, xerr=err, fmt="o", color=colour("positive"), ms=6, capsize=3,
                label=label("rec_corrected", lang), zorder=3)
    ax.plot(table["r"], y, "o", mfc="none", mec=colour("neutral"), ms=6,
            label=label("rec_scores", lang), zorder=2)
    ax.plot(table["published"], y, "D", color=colour("article"), ms=6,
            label=label("rec_published", lang),
            zorder=4)
    if claim is not None:
        ax.axvline(claim, ls="--", lw=1, color=colour("article"), label=label("rec_claim", lang))
    ax.set_yticks(y, [f"{codes[a]} – {codes[b]}" for a, b in table.index])
    lo = min(table["r_lo"].min(), table["corrected_lo"].min())
    hi = max(table["r_hi"].max(), table["corrected_hi"].max())
    ax.set_xlim(max(-1.0, lo - 0.05), min(1.0, hi + 0.05))
    decorate(ax, xlabel=label("rec_correlation", lang), title=title, legend=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, **font("annotation"))
    fig.text(0.01, -0.06, textwrap.fill(caption, 120), **font("small"), style="italic")
    decimal_ticks(fig, lang)
    return fig


