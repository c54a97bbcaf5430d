"""Figure 1: the research scheme (hypotheses → PLS-SEM test → confirmed or not → conclusion).

:func:`draw` takes the scheme computed by
:func:`helpers.steps.nb00_literature_framing.research_scheme` and the
hypotheses table, and returns the figure; every word in ``lang``."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from helpers.plots.figures import colour, font
from helpers.registers.labels import label
from helpers.steps.nb00_literature_framing import Node, Scheme, research_scheme


def _box_text(node: Node, lang: str, hypotheses: pd.DataFrame | None) -> tuple[str, str]:
    """(heading, subtitle) of a box; only hypothesis boxes have a subtitle."""
    if node.key == "scheme_hypothesis":
        heading = label("scheme_hypothesis", lang).format(n=node.id.lstrip("Hh"))
        known = hypotheses is not None and node.id in set(hypotheses["id"])
        return heading, label(f"{node.id.lower()}_short", lang) if known else ""
    return label(node.key, lang), ""


def _anchor(node: Node, towards: Node) -> tuple[float, float]:
    """Point on ``node``'s border on the way to ``towards`` (bottom, top or side)."""
    if abs(towards.y - node.y) < 1e-9:
        return (node.x + node.width / 2 * (1 if towards.x > node.x else -1), node.y)
    dy = -node.height / 2 if towards.y < node.y else node.height / 2
    dx = 0.0
    if abs(towards.x - node.x) > node.width / 2:
        dx = node.width / 4 * (1 if towards.x > node.x else -1)
    return (node.x + dx, node.y + dy)


def draw(lang: str = "en", hypotheses: pd.DataFrame | None = None, scheme: Scheme | None = None):
    """Draw Figure 1 with boxes and arrows, every word in ``lang``; return the figure."""
    ids = tuple(hypotheses["id"]) if hypotheses is not None else ("H1", "H2", "H3")
    scheme = scheme or research_scheme(ids)
    fig, ax = plt.subplots(figsize=(8.5, 6.6))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    colours = {"scheme_hypothesis": colour("highlight"),
               "scheme_confirmed": colour("confirmed_light"),
               "scheme_not_confirmed": colour("not_confirmed_light"),
               "scheme_conclusion": colour("panel")}
    for node in scheme.nodes:
        box = FancyBboxPatch((node.x - node.width / 2, node.y - node.height / 2), node.width,
                             node.height, boxstyle="round,pad=0.005,rounding_size=0.015",
                             facecolor=colours.get(node.key, colour("note")),
                             edgecolor=colour("ink"),
                             linewidth=1.2)
        ax.add_patch(box)
        heading, subtitle = _box_text(node, lang, hypotheses)
        bold = node.key in ("scheme_hypothesis", "scheme_conclusion")
        ax.text(node.x, node.y + (0.035 if subtitle else 0), heading, ha="center", va="center",
                **font("text"), fontweight="bold" if bold else "normal")
        if subtitle:
            ax.text(node.x, node.y - 0.02, subtitle, ha="center", va="center", **font("small"),
                    linespacing=1.1)
    for a, b, key in scheme.edges:
        start, end = scheme.node(a), scheme.node(b)
        p, q = _anchor(start, end), _anchor(end, start)
        ax.add_patch(FancyArrowPatch(p, q, arrowstyle="-|>", mutation_scale=14, color=colour("ink"),
                                     linewidth=1.2, shrinkA=0, shrinkB=0))
        if key is not None:
            mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
            ax.text(mx + (0.03 if q[0] > p[0] else -0.03), my, label(key, lang), ha="center",
                    va="center", **font("text"), fontweight="bold",
                    color=colour("confirmed" if key == "scheme_yes" else "not_confirmed"),
                    bbox={"facecolor": colour("paper"), "edgecolor": "none", "pad": 1.5})
    ax.set_title(label("fig01_title", lang), loc="left")
    return fig


