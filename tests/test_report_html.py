"""The HTML reports (helpers/run/report_html.py): nbconvert's page, without its second parse."""

from __future__ import annotations

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from helpers.run.report_html import NO_DESCRIPTION, focusable, report_html


def _notebook() -> nbformat.NotebookNode:
    """Cells of every kind a report holds: markdown, code with text, a table, a figure shown as an
    image in HTML, an SVG, an error and a stream on stderr."""
    v4 = nbformat.v4
    figure = '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="fig02_x" style="max-width: 100%">'
    table = ("<table class='program-settings'><tr><th>city</th><td>Қарағанды облысы "
             "&amp; Ақтөбе</td></tr></table>")
    cells = [
        v4.new_markdown_cell("# Title\n\nText with *emphasis*, a [link](https://stat.gov.kz) and "
                             "$r^2$.\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
        v4.new_code_cell("x = 1\nprint(x)", execution_count=1,
                         outputs=[v4.new_output("stream", name="stdout", text="1\n")]),
        v4.new_code_cell("table", execution_count=2, outputs=[v4.new_output(
            "execute_result", data={"text/html": table, "text/plain": "table"},
            execution_count=2)]),
        v4.new_code_cell("save_figure(...)", execution_count=3, outputs=[v4.new_output(
            "display_data", data={"text/html": figure})]),
        v4.new_code_cell("svg", execution_count=4, outputs=[v4.new_output(
            "display_data", data={"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg">'
                                                   '<circle r="2"/></svg>'})]),
        v4.new_code_cell("warn()", execution_count=5, outputs=[
            v4.new_output("stream", name="stderr", text="a warning\n"),
            v4.new_output("error", ename="ValueError", evalue="bad", traceback=["ValueError"])]),
    ]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return nb


def _same_document(ours: str, theirs: str) -> bool:
    """Parsed, the two pages are one document, but for the words of the alt text given to an
    image that had none (each exporter has its own)."""
    mine, other = BeautifulSoup(ours, "html.parser"), BeautifulSoup(theirs, "html.parser")
    for a, b in zip(mine.find_all("img"), other.find_all("img"), strict=True):
        if a.get("alt") == NO_DESCRIPTION and b.get("alt"):
            b["alt"] = NO_DESCRIPTION
    return mine == other


def test_the_report_is_nbconvert_s_page_as_a_document():
    """Parsed, the report is the document nbconvert's own export gives (its second pass adds the
    focus attributes and alt texts; here they are added to the rendered text)."""
    nb = _notebook()
    ours = report_html(nb)
    theirs, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert ours != theirs  # not the same text: nbconvert writes its parse out again
    assert _same_document(ours, theirs)
    assert ours.count(NO_DESCRIPTION) == 1  # the SVG output's image
    assert ours.count('tabindex="0"') == theirs.count('tabindex="0"') >= 10


def test_an_image_without_a_description_gets_one_and_the_others_keep_theirs():
    page = ('<div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output " '
            'data-mime-type="text/html"><img src="a.png"><img alt="fig02" src="b.svg"></div>'
            '<div class="jp-Cell-inputWrapper"><div class="jp-InputPrompt"></div></div>')
    done = BeautifulSoup(focusable(page), "html.parser")
    assert [img.get("alt") for img in done.find_all("img")] == [NO_DESCRIPTION, "fig02"]
    assert [div.get("tabindex") for div in done.find_all("div")] == ["0", "0", None]


def test_the_study_s_notebooks_give_nbconvert_s_pages():
    """The same on the study's own notebooks (their markdown, code and parameter cells)."""
    from helpers.registers import paths

    notebooks = sorted(paths.NOTEBOOKS.glob("0*.ipynb"))
    assert len(notebooks) >= 9
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        theirs, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
        assert _same_document(report_html(nb), theirs), path.name
