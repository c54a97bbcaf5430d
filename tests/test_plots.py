"""The exhibits (helpers/plots/): what each draws, one palette and type scale, no matplotlib in
the computing modules."""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from helpers.plots import fig03, fig04, fig05  # noqa: E402
from helpers.registers import article, labels  # noqa: E402
from helpers.registers import paths as study_paths  # noqa: E402
from helpers.run import contract


def _texts(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in [*ax.texts, ax.title])


def test_path_diagram_has_one_arrow_per_path_and_the_r2(fitted):
    fit, boot = fitted
    fig = fig03.draw(fit, boot, labels={"Y": "outcome"})
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 2
    text = _texts(fig)
    assert "R² = " in text and "outcome" in text and "SYNTHETIC" not in text
    widths = sorted(a.get_linewidth() for a in arrows)
    betas = sorted(abs(fit.path_coefficients.loc[s, "Y"]) for s in ("F1", "F2"))
    assert (widths[0] < widths[1]) == (betas[0] < betas[1])
    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_synthetic_flag_puts_synthetic_data_in_the_title(fitted, lang):
    fit, boot = fitted
    fig = fig03.draw(fit, boot, synthetic=True, lang=lang, title="Reconstruction")
    title = fig.axes[0].get_title()
    assert "SYNTHETIC DATA" in title and "Reconstruction" in title
    plt.close(fig)


def test_path_diagram_without_bootstrap_and_with_city_scores(fitted):
    fit, _ = fitted
    fig = fig03.draw(fit, city_scores={"F1": 1.25, "Y": -0.5}, city_ranks={"F1": 3},
                     city_name="Testville")
    text = _texts(fig)
    assert "Testville: +1.25 (3/60)" in text
    path_labels = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("β")]
    assert len(path_labels) == 2 and not any("[" in t for t in path_labels)
    with pytest.raises(KeyError, match="F2"):
        fig03.draw(fit, outcome="F2")
    plt.close(fig)


def test_factor_labels_carry_the_article_codes_in_every_language():
    for lang in ("en", "kk", "ru"):
        names = labels.factor_labels(lang)
        assert set(article.FACTOR_IDS) <= set(names)
        assert names["law"].startswith("З · ")
    assert "әлеуметтік" in labels.factor_labels("kk")["social"]
    with pytest.raises(KeyError):
        labels.factor_labels("de")


def test_correlation_figure_highlights_the_city():
    rng = np.random.default_rng(5)
    ids = list(article.FACTOR_IDS)
    comp = pd.DataFrame(rng.normal(size=(20, 6)), columns=ids, index=[f"r{i}" for i in range(20)])
    ours = comp.corr()
    fig = fig04.draw(ours, article.table1(), comp, "r4", "Testville")
    legend = fig.axes[-1].get_legend()
    assert "Testville" in [t.get_text() for t in legend.get_texts()]
    assert len([ax for ax in fig.axes if ax.images]) == 3
    plt.close(fig)


def test_ipma_figure_names_the_factor_in_the_title():
    table = pd.DataFrame({"importance": [0.4, -0.2], "performance_mean": [40.0, 60.0],
                          "performance_city": [30.0, 70.0], "precondition_met": [True, False]},
                         index=["economy", "law"])
    fig = fig05.draw(table, "Testville", "en", "economy")
    assert "urban economy" in fig.axes[0].get_title()
    plt.close(fig)


# --------------------------------------------------------------------------------------------
# One palette, one type scale, drawing apart from computing
# --------------------------------------------------------------------------------------------

HELPERS = study_paths.ROOT / "helpers"
STYLE_HOMES = {HELPERS / "registers" / "palette.py", HELPERS / "plots" / "figures.py",
               HELPERS / "plots" / "study.mplstyle"}
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def _sources():
    files = [*HELPERS.rglob("*.py"), *study_paths.NOTEBOOKS.glob("*.ipynb")]
    return [f for f in files if f not in STYLE_HOMES]


def test_no_colour_or_font_size_outside_the_figures_module_and_the_style_file():
    offenders = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HEX.search(line) or "fontsize=" in line or "fontsize\\\"" in line:
                offenders.append(f"{path.relative_to(study_paths.ROOT)}:{number}: {line.strip()}")
    assert offenders == [], ("use helpers.plots.figures.colour()/font() instead:\n"
                             + "\n".join(offenders))


def test_the_check_finds_a_colour_literal():
    assert HEX.search('ax.plot(x, color="#d95f02")') and not HEX.search('label="#1 of 20"')


def test_the_city_has_one_colour_and_every_role_exists():
    from helpers.plots import figures

    assert figures.colour("city") == figures.PALETTE["city"]
    assert figures.colour("city") not in figures.FACTOR_COLOURS.values()
    assert len(set(figures.FACTOR_COLOURS.values())) == len(figures.FACTOR_COLOURS)
    assert set(article.FACTOR_IDS) < set(figures.FACTOR_COLOURS)
    with pytest.raises(KeyError, match="Roles: city"):
        figures.colour("teal")
    with pytest.raises(KeyError, match="Roles: watermark"):
        figures.size("huge")


def test_text_sizes_follow_the_style_files_base_size():
    from helpers.plots import figures

    figures.use_style()
    base = figures.size("text")
    with plt.rc_context({"font.size": 2 * plt.rcParams["font.size"]}):
        assert figures.size("text") == pytest.approx(2 * base)
        assert figures.font("small") == {"fontsize": pytest.approx(2 * base * 0.8)}


DRAWING = ("helpers.plots.figures", "helpers.plots")


def _computing_modules() -> list[str]:
    """Every module of helpers/ except the figures module and the drawing modules."""
    found = []
    for path in sorted(HELPERS.rglob("*.py")):
        parts = path.relative_to(HELPERS.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not name.startswith(DRAWING) and not parts[-1].startswith("__main__"):
            found.append(name)
    return found


def test_computing_modules_do_not_import_matplotlib():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in _computing_modules())
            + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=study_paths.ROOT, check=True).stdout.strip()
    assert out == "[]", f"importing the computing modules loaded {out}"


def test_every_exhibit_has_its_own_drawing_module():
    for entry in contract.load().values():
        for figure in entry.figures:
            module = HELPERS / "plots" / f"{figure.split('_')[0]}.py"
            assert module.exists(), f"{figure} has no module {module.relative_to(study_paths.ROOT)}"


def _legend_outside_and_rasterized():
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3))
    left.plot([1, 2, 3], [3, 1, 2], label="Қарағанды облысы")
    left.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    right.scatter(np.arange(200), np.sin(np.arange(200)), rasterized=True)
    right.set_aspect("equal")
    right.set_title("Ақтөбе", loc="left")
    fig.suptitle("Astana · Алматы")
    return fig


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_saving_gives_the_bytes_of_a_tight_box_save(fitted, lang):
    """save_figure measures the tight box itself (without matplotlib's extra drawing pass) and
    must save exactly what ``bbox_inches="tight"`` saves: a path diagram with boxes and arrows,
    the correlation figure (images, colour bars), a legend outside its axes and a rasterized
    scatter with a fixed aspect."""
    import io

    from helpers.plots.figures import _METADATA, _tight_box, use_style

    fit, boot = fitted
    rng = np.random.default_rng(5)
    ids = list(article.FACTOR_IDS)
    comp = pd.DataFrame(rng.normal(size=(20, 6)), columns=ids, index=[f"r{i}" for i in range(20)])
    builders = [lambda: fig03.draw(fit, boot, city_scores={"F1": 0.35, "F2": -1.27, "Y": 1.46},
                                   city_ranks={"F1": 6, "F2": 16, "Y": 1},
                                   city_name="Қарағанды облысы", lang=lang),
                lambda: fig04.draw(comp.corr(), article.table1(), comp, "r4", "Testville",
                                   lang),
                _legend_outside_and_rasterized]
    use_style()
    for build in builders:
        saved = []
        for box in (_tight_box, lambda fig: "tight"):
            fig = build()
            buffer = io.BytesIO()
            fig.savefig(buffer, format="svg", metadata=_METADATA, bbox_inches=box(fig))
            saved.append(buffer.getvalue())
            plt.close(fig)
        assert saved[0] == saved[1]


def test_a_long_place_name_stays_inside_its_box(fitted):
    fit, boot = fitted
    scores = {"F1": 0.35, "F2": -1.27, "Y": 1.46}
    fig = fig03.draw(fit, boot, city_scores=scores, city_ranks={"F1": 6, "F2": 16, "Y": 1},
                     city_name="Карагандинская область", lang="ru")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    boxes = [p.get_window_extent(renderer) for p in ax.patches
             if not isinstance(p, FancyArrowPatch)]
    lines = [t for t in ax.texts if t.get_text().startswith("Карагандинская область:")]
    assert len(lines) == 3
    for line in lines:
        extent = line.get_window_extent(renderer)
        box = next(b for b in boxes if b.contains(*extent.get_points().mean(axis=0)))
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, line.get_text()
    plt.close(fig)


def test_a_notebook_shows_the_saved_svg_as_an_image_in_html(tmp_path, monkeypatch):
    """The figure output is an image in HTML holding the saved file's bytes: JupyterLab shows it
    in an executed report it does not trust (an ``image/svg+xml`` output it would hide), and the
    site turns it back into an SVG file."""
    import base64

    import matplotlib.pyplot as plt
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from helpers.plots.figures import save_figure, use_style
    from helpers.registers import paths
    from helpers.run.results import Context
    from helpers.site.book import prepare_notebook

    monkeypatch.setenv(paths.OUTPUT_ROOT_VARIABLE, str(tmp_path))
    InteractiveShell.instance()
    use_style()
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    ctx = Context("02_innovation_activity", {})
    with capture_output() as shown:
        saved = save_figure(fig, ctx, "fig02", "innovation-activity")
    svg = (tmp_path / saved["svg"]).read_bytes()
    (output,) = shown.outputs
    assert list(output.data) == ["text/html"]
    html = output.data["text/html"]
    assert html.startswith('<img src="data:image/svg+xml;base64,')
    assert 'alt="fig02_innovation-activity"' in html
    assert base64.b64decode(html.split("base64,")[1].split('"')[0]) == svg
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "save_figure(...)", outputs=[nbformat.v4.new_output("display_data", data=output.data)])])
    nbformat.write(nb, tmp_path / "02_innovation_activity.ipynb")
    assert prepare_notebook(tmp_path / "02_innovation_activity.ipynb", tmp_path / "site.ipynb",
                            "kazakhstan") == 1
    site = nbformat.read(tmp_path / "site.ipynb", as_version=4)
    assert site.cells[0].outputs[0].data == {"image/svg+xml": svg.decode("utf-8")}
