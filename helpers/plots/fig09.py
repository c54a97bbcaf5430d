"""Figure 9: the path diagram of the synthetic reconstruction (notebook 07), marked SYNTHETIC DATA.

The drawing is Figure 3's (:func:`helpers.plots.fig03.draw` with ``synthetic=True``) plus the
caption that says how the data were made."""

from __future__ import annotations

from collections.abc import Mapping

from helpers.plots import fig03
from helpers.plots.figures import font


def draw(fit, boot, *, outcome: str, labels: Mapping[str, str], lang: str, title: str,
         caption: str, synthetic: bool = True):
    """The reconstruction's path diagram with ``caption`` under it."""
    fig = fig03.draw(fit, boot, outcome=outcome, labels=labels, lang=lang, title=title,
                     synthetic=synthetic)
    fig.text(0.01, 0.0, caption, **font("small"), style="italic")
    return fig
