"""One figure style, one palette, one type scale and one save function for every exhibit.

The style (fonts, spines, grid, resolution) is ``helpers/plots/study.mplstyle``; the colours are
:data:`PALETTE` (and :data:`FACTOR_COLOURS`, :data:`COLOURMAPS`); text sizes are roles of the
type scale :data:`TYPE_SCALE`, multiples of the style file's ``font.size``, used as
``ax.text(..., **font("small"))``. No other module holds a colour or a font size: change them
here (or the base size in the style file) and every figure follows.

Exhibits are named ``figNN_<slug>`` and saved under ``figures/<city>/`` as PNG (for reading) and
SVG (committed, for diffs). Saving twice with the same inputs writes byte-identical SVG files: no
date in the metadata, a fixed hash salt for element ids, text drawn as paths.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from helpers.registers.paths import safe_slug
from helpers.run.results import Context, write_bytes_atomic

STYLE = Path(__file__).with_name("study.mplstyle")

PALETTE = {
    # places: the city of the run has this one colour in every figure
    "city": "#d95f02",
    "kazakhstan": "#4d4d4d",
    "other": "#a6bddb",            # the other regions
    # sources
    "article": "#7b3294",          # the article's published numbers and claims
    "official": "#253494",         # official statistics (BNS)
    "quoted": "#41b6c4",           # values quoted by secondary sources
    # signs and verdicts
    "positive": "#2166ac",
    "negative": "#b2182b",
    "confirmed": "#2e7d32",
    "not_confirmed": "#c62828",
    "confirmed_light": "#dff0d8",
    "not_confirmed_light": "#f8e0dc",
    "synthetic": "#cc0000",        # the SYNTHETIC DATA mark
    "break": "#7f7f7f",            # a break in a time series (dotted)
    # neutral tones
    "ink": "#222222",
    "muted": "#555555",
    "neutral": "#9e9e9e",
    "faint": "#dddddd",
    "panel": "#f2f2f2",
    "box": "#f4f4f4",
    "highlight": "#dbe9f6",        # a box that matters (the outcome, a hypothesis)
    "note": "#fff7e0",
    "paper": "#ffffff",
}
"""Every colour of the study's figures (and of the reproduction report's HTML page), by role."""

FACTOR_COLOURS = {"social": "#4c72b0", "management": "#55a868", "economy": "#8c564b",
                  "law": "#c44e52", "technology": "#e377c2", "sustainability": "#2a9d8f",
                  "adaptation": "#222222"}
"""The six factors of the article and the outcome; none is close to the city's colour."""

COLOURMAPS = {"diverging": "RdBu_r", "sequential": "Blues"}

TYPE_SCALE = {"watermark": 4.4, "headline": 1.3, "title": 1.1, "text": 1.0, "annotation": 0.9,
              "small": 0.8, "tiny": 0.7}
"""Text sizes as multiples of ``font.size`` in ``helpers/plots/study.mplstyle``."""


def colour(role: str) -> str:
    """The palette's colour for ``role`` (a factor id also works); a clear error otherwise."""
    if role in PALETTE:
        return PALETTE[role]
    if role in FACTOR_COLOURS:
        return FACTOR_COLOURS[role]
    raise KeyError(f"No colour for {role!r}. Roles: {', '.join(PALETTE)}; factors: "
                   f"{', '.join(FACTOR_COLOURS)} (helpers/plots/figures.py).")


def size(role: str) -> float:
    """The type scale's size in points for ``role`` (``font.size`` × the role's factor)."""
    if role not in TYPE_SCALE:
        raise KeyError(f"No text size {role!r}. Roles: {', '.join(TYPE_SCALE)} "
                       "(helpers/plots/figures.py).")
    import matplotlib

    return round(float(matplotlib.rcParams["font.size"]) * TYPE_SCALE[role], 2)


def font(role: str, **extra) -> dict:
    """Keyword arguments for a text of the given role: ``ax.text(x, y, s, **font("small"))``."""
    return {"fontsize": size(role), **extra}
_NUMBER = re.compile(r"^fig\d{2}$")
_METADATA = {
    "svg": {"Date": None, "Creator": "smartcity-kz-study"},
    "png": {"Software": "smartcity-kz-study"},
}


def use_style() -> None:
    """Apply the study's style (``helpers/plots/study.mplstyle``) and the palette's colour cycle.

    Also selects the Agg (file) backend: notebooks show the saved PNG (see :func:`save_figure`).
    matplotlib is imported here, not when the module loads, so the palette can be read by pages
    that draw no figure (the reproduction report, the survey form) without it.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    plt.style.use(STYLE)
    plt.rcParams["axes.prop_cycle"] = cycler(color=list(FACTOR_COLOURS.values()))
    plt.rcParams["text.color"] = plt.rcParams["axes.labelcolor"] = PALETTE["ink"]


def decorate(ax, xlabel: str | None = None, ylabel: str | None = None,
             title: str | None = None, legend: bool | None = None) -> None:
    """Set labels and title in one call, and show the legend when the axes have labelled artists."""
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    handles, _ = ax.get_legend_handles_labels()
    if legend or (legend is None and handles):
        ax.legend()


def save_figure(fig, ctx: Context, number: str, slug: str) -> dict[str, str]:
    """Save ``fig`` as ``figures/<city>/<number>_<slug>.{png,svg}`` and record the paths.

    ``number`` is ``figNN``; ``slug`` a short lower-case name (``innovation-activity``). Labels in
    Kazakh or Russian go to ``<number>_<slug>.kk.svg`` (``.ru.svg``) beside the English exhibit.
    """
    if not _NUMBER.match(number):
        raise ValueError(f"Figure number {number!r} must look like 'fig02'.")
    stem = f"{number}_{safe_slug(slug.replace('_', '-'), 'figure name')}"
    if ctx.lang != "en":  # the committed exhibits are English; other languages sit beside them
        stem += f".{ctx.lang}"
    saved, rendered = {}, {}
    for fmt in ("svg", "png"):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
        rendered[fmt] = buffer.getvalue()
        target = ctx.figures_dir / f"{stem}.{fmt}"
        write_bytes_atomic(target, rendered[fmt])
        saved[fmt] = str(target.relative_to(ctx.figures_dir.parent.parent))
    figures = ctx.results.setdefault("figures", {})
    figures[stem] = saved
    _show_saved(fig, rendered["png"])
    return saved


def _show_saved(fig, png: bytes) -> None:
    """In a notebook, show the saved PNG instead of rendering the figure a third time."""
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    if get_ipython() is None:
        return
    from IPython.display import Image, display

    width = int.from_bytes(png[16:20], "big")  # the PNG header's IHDR width, in pixels
    plt.close(fig)
    display(Image(data=png, width=round(width * plt.rcParams["figure.dpi"]
                                         / plt.rcParams["savefig.dpi"])))
