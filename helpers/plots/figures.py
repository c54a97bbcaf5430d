"""One figure style, one palette, one type scale and one save function for every exhibit.

The style (fonts, spines, grid, resolution) is ``helpers/plots/study.mplstyle``; the colours are
:data:`PALETTE` (and :data:`FACTOR_COLOURS`, :data:`COLOURMAPS`); text sizes are roles of the
type scale :data:`TYPE_SCALE`, multiples of the style file's ``font.size``, used as
``ax.text(..., **font("small"))``. No other module holds a colour or a font size: change them
here (or the base size in the style file) and every figure follows.

Exhibits are named ``figNN_<slug>`` and saved under ``figures/<city>/`` as SVG (committed, for
diffs; a browser or JupyterLab opens it), which the notebook shows too. Saving twice with the same
inputs writes byte-identical files: no date in the metadata, a fixed hash salt for element ids,
text drawn as paths.
"""

from __future__ import annotations

import base64
import gc
import io
import re
from pathlib import Path

from helpers.registers import i18n
from helpers.registers.palette import FACTOR_COLOURS, PALETTE
from helpers.registers.paths import safe_slug
from helpers.run.results import Context, write_bytes_atomic

STYLE = Path(__file__).with_name("study.mplstyle")

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
    # deferred: matplotlib loads only when this function runs (kernel start-up time)
    import matplotlib

    return round(float(matplotlib.rcParams["font.size"]) * TYPE_SCALE[role], 2)


def font(role: str, **extra) -> dict:
    """Keyword arguments for a text of the given role: ``ax.text(x, y, s, **font("small"))``."""
    return {"fontsize": size(role), **extra}
_NUMBER = re.compile(r"^fig\d{2}$")
_METADATA = {"Date": None, "Creator": "smartcity-kz-study"}


def use_style() -> None:
    """Apply the study's style (``helpers/plots/study.mplstyle``) and the palette's colour cycle.

    Also selects the Agg (file) backend: notebooks show the saved SVG (see :func:`save_figure`).
    matplotlib is imported here, not when the module loads, so the palette can be read by pages
    that draw no figure (the reproduction report, the survey form) without it.
    """
    # deferred: matplotlib loads only when this function runs (kernel start-up time)
    import matplotlib

    matplotlib.use("Agg")
    # deferred: matplotlib loads only when this function runs (kernel start-up time)
    import matplotlib.pyplot as plt

    # deferred: cycler loads only when this function runs (kernel start-up time)
    from cycler import cycler

    gc.freeze()  # matplotlib's modules live as long as the kernel (see helpers.run.params.setup)
    plt.style.use(STYLE)
    use_bundled_fonts()
    plt.rcParams["axes.prop_cycle"] = cycler(color=list(FACTOR_COLOURS.values()))
    plt.rcParams["text.color"] = plt.rcParams["axes.labelcolor"] = PALETTE["ink"]


def use_bundled_fonts() -> None:
    """Make matplotlib draw with the fonts it ships (``mpl-data/fonts/ttf``), whatever its
    per-user font cache lists.

    ``font.family: DejaVu Sans`` matches both matplotlib's own DejaVu files and a system copy
    (Debian's ``/usr/share/fonts/truetype/dejavu``); the first match in the cache's list wins,
    and the two copies draw different glyph paths, so every SVG would depend on how the cache was
    built. Here the bundled files are added when the cache lacks them and put first in the list.
    """
    # deferred: matplotlib loads only when this function runs (kernel start-up time)
    import matplotlib

    # deferred: as above
    from matplotlib import font_manager

    folder = Path(matplotlib.get_data_path(), "fonts", "ttf").resolve()
    manager = font_manager.fontManager

    def bundled(entry) -> bool:
        return Path(entry.fname).resolve().parent == folder

    listed = {Path(entry.fname).name for entry in manager.ttflist if bundled(entry)}
    for path in sorted(folder.glob("*.ttf")):
        if path.name not in listed:
            manager.addfont(path)
    manager.ttflist.sort(key=lambda entry: not bundled(entry))  # stable: bundled files first
    manager._findfont_cached.cache_clear()  # matplotlib's lookup cache (no public way to reset)


def number(value, lang: str, spec: str) -> str:
    """``value`` as a figure writes it in ``lang``: Python's ``format(value, spec)`` where the
    language has a decimal point (English figures keep their exact texts), otherwise
    :func:`helpers.registers.i18n.number` ("0,42", "−" signs as the language writes them)."""
    if i18n.decimal_symbol(lang) == ".":
        return format(value, spec)
    return i18n.number(value, lang, spec)


def separator(lang: str) -> str:
    """What separates two numbers in a figure's bracket ("[0.12, 0.45]"): ", " where ``lang``
    has a decimal point, "; " where the comma is the decimal sign ("[0,12; 0,45]")."""
    return ", " if i18n.decimal_symbol(lang) == "." else "; "


def filled(template: str, lang: str, **values) -> str:
    """A label template (``data/labels.csv``) filled for a figure: ``str.format`` where ``lang``
    has a decimal point, otherwise :func:`helpers.registers.i18n.filled` (numbers written the
    language's way)."""
    if i18n.decimal_symbol(lang) == ".":
        return template.format(**values)
    return i18n.filled(template, lang, **values)


def decimal_ticks(fig, lang: str) -> None:
    """Write the tick labels of every numeric axis of ``fig`` (colour bars included: they are
    axes of the figure) with the decimal sign of ``lang`` ("2,5" in Kazakh and Russian). The
    labels are matplotlib's own (same ticks, same number of decimals, no thousands separator, so
    years stay 2022) with the sign swapped. A language with a decimal point keeps matplotlib's
    formatter, so its figures are unchanged. Call it after the last axis or colour bar is made."""
    symbol = i18n.decimal_symbol(lang)
    if symbol == ".":
        return
    # deferred: matplotlib loads only when this function runs (kernel start-up time)
    from matplotlib.ticker import ScalarFormatter

    class _Decimal(ScalarFormatter):
        def __call__(self, x, pos=None):
            return super().__call__(x, pos).replace(".", symbol)

        def get_offset(self):
            return super().get_offset().replace(".", symbol)

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(_Decimal())


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
    """Save ``fig`` as ``figures/<city>/<number>_<slug>.svg``, record its path and show it.

    ``number`` is ``figNN``; ``slug`` a short lower-case name (``innovation-activity``). Labels in
    Kazakh or Russian go to ``<number>_<slug>.kk.svg`` (``.ru.svg``) beside the English exhibit.
    The figure is drawn once: the notebook shows the saved file, not a raster of its own.
    """
    if not _NUMBER.match(number):
        raise ValueError(f"Figure number {number!r} must look like 'fig02'.")
    stem = f"{number}_{safe_slug(slug.replace('_', '-'), 'figure name')}"
    if ctx.lang != "en":  # the committed exhibits are English; other languages sit beside them
        stem += f".{ctx.lang}"
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=_METADATA, bbox_inches=_tight_box(fig))
    svg = buffer.getvalue()
    target = ctx.figures_dir / f"{stem}.svg"
    write_bytes_atomic(target, svg)
    saved = {"svg": str(target.relative_to(ctx.figures_dir.parent.parent))}
    ctx.results.setdefault("figures", {})[stem] = saved
    _show_saved(fig, svg, stem)
    return saved


def _tight_box(fig):
    """The box ``savefig(bbox_inches="tight")`` would save, in inches, measured as the SVG writer
    measures text (72 dots per inch, unhinted glyph outlines) and padded by ``savefig.pad_inches``.

    Given to ``savefig`` as a box, it saves the same file as ``"tight"`` without the extra pass
    matplotlib makes to find that box: a whole draw with the drawing switched off, much of the
    time a figure takes to save. ``test_plots`` checks that both save the same bytes.
    """
    if fig.get_layout_engine() is not None:  # the layout moves things after this measure
        return "tight"
    # deferred: matplotlib loads only when this function runs (kernel start-up time)
    import matplotlib

    # deferred: as above
    from matplotlib.backends.backend_svg import RendererSVG

    dpi = fig.dpi
    try:
        fig.dpi = 72  # as FigureCanvasSVG.print_svg sets it
        width, height = fig.get_size_inches()
        renderer = RendererSVG(width * 72, height * 72, io.StringIO())
        box = fig.get_tightbbox(renderer)
    finally:
        fig.dpi = dpi
    pad = matplotlib.rcParams["savefig.pad_inches"]
    return box.padded(pad, pad)


FIGURE_OUTPUT = '<img src="data:image/svg+xml;base64,{data}" alt="{alt}" style="max-width: 100%">'
"""How a notebook shows a saved exhibit: the SVG file as an image in an HTML output. JupyterLab
shows an ``image/svg+xml`` output only in a notebook it trusts (one the reader ran), not in the
executed reports of ``make study``; an image in HTML it shows in either, as do the HTML reports
and the site."""


def _show_saved(fig, svg: bytes, alt: str) -> None:
    """In a notebook, show the saved SVG (:data:`FIGURE_OUTPUT`) instead of drawing the figure
    again."""
    # deferred: matplotlib loads only when this function runs (kernel start-up time)
    import matplotlib.pyplot as plt

    # deferred: IPython loads only when this function runs (kernel start-up time)
    from IPython import get_ipython

    if get_ipython() is None:
        return
    # deferred: IPython loads only when this function runs (kernel start-up time)
    from IPython.display import display

    plt.close(fig)
    html = FIGURE_OUTPUT.format(data=base64.b64encode(svg).decode("ascii"), alt=alt)
    display({"text/html": html}, raw=True)
