"""One figure style and one save function for every exhibit.

Exhibits are named ``figNN_<slug>`` and saved under ``figures/<city>/`` as PNG (for reading) and
SVG (committed, for diffs). Saving twice with the same inputs writes byte-identical SVG files: no
date in the metadata, a fixed hash salt for element ids, text drawn as paths.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # noqa: E402  (a file backend; notebooks still display the figure inline)
import matplotlib.pyplot as plt

from helpers.paths import safe_slug
from helpers.results import Context, write_bytes_atomic

STYLE = Path(__file__).with_name("study.mplstyle")
_NUMBER = re.compile(r"^fig\d{2}$")
_METADATA = {
    "svg": {"Date": None, "Creator": "smartcity-kz-study"},
    "png": {"Software": "smartcity-kz-study"},
}


def use_style() -> None:
    """Apply the study's style (``helpers/study.mplstyle``)."""
    plt.style.use(STYLE)


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
    from IPython import get_ipython

    if get_ipython() is None:
        return
    from IPython.display import Image, display

    width = int.from_bytes(png[16:20], "big")  # the PNG header's IHDR width, in pixels
    plt.close(fig)
    display(Image(data=png, width=round(width * plt.rcParams["figure.dpi"]
                                         / plt.rcParams["savefig.dpi"])))
