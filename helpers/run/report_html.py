"""The HTML report of an executed notebook: nbconvert's ``lab`` template, one self-contained page.

nbconvert ends its HTML export by parsing the whole rendered page with BeautifulSoup and writing
it out again, only to add two attributes: ``tabindex="0"`` on every cell's input area and output
(so that a keyboard reaches them) and an alt text on images that have none. On the study's
reports, with their tables and figures, that second pass takes a good share of the export. Here
the page is kept as the template renders it and the same attributes are added to its text
(:func:`focusable`); ``tests/test_report_html.py`` checks that the result parses to the same
document as nbconvert's own export.
"""

from __future__ import annotations

import contextlib
import re

_AREA = re.compile(r'<div class="(?:jp-Cell-inputWrapper|[^"]*\bjp-OutputArea-output\b[^"]*)"')
_IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)")
NO_DESCRIPTION = "An image without a description"


class _Rendered(str):
    """Stands in for BeautifulSoup during the export: the page as rendered, nothing selected."""

    def __new__(cls, markup: str, features: str | None = None):
        return super().__new__(cls, markup)

    def select(self, selector: str) -> list:
        return []


@contextlib.contextmanager
def _rendered_as_is():
    # deferred: nbconvert loads only when a report is written (the runner's start-up time)
    from nbconvert.exporters import html

    original = html.BeautifulSoup
    html.BeautifulSoup = _Rendered
    try:
        yield
    finally:
        html.BeautifulSoup = original


def focusable(page: str) -> str:
    """``page`` with ``tabindex="0"`` on the input areas and outputs, and an alt text on every
    image without one (what nbconvert's BeautifulSoup pass adds)."""
    page = _AREA.sub(lambda m: m.group(0) + ' tabindex="0"', page)
    return _IMAGE_WITHOUT_ALT.sub(f'<img alt="{NO_DESCRIPTION}"', page)


def report_html(executed) -> str:
    """The HTML page of the executed notebook ``executed`` (an nbformat node)."""
    # deferred: nbconvert loads only when a report is written (the runner's start-up time)
    from nbconvert import HTMLExporter

    with _rendered_as_is():
        page, _ = HTMLExporter(template_name="lab").from_notebook_node(executed)
    return focusable(str(page))
