"""Does a text read as English? Shared by the notebook-level and the browser tests of the Kazakh
and Russian editions: prose is English when a sentence holds three common English words; a table
header or cell when it holds two, or is one common word of the study's tables on its own. Code
(identifiers with ``_`` or ``.``), acronyms, names, citations, units and indicator ids hold hardly
any of them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

ENGLISH_WORDS = frozenset(
    "the of and to in is are was were with for that this these from by on as which not be been "
    "each every its it an or at than when where only their has have would could there what how "
    "into does do".split())
"""Common English words: a sentence with three of them is English."""

TABLE_WORDS = ENGLISH_WORDS | frozenset(
    "value values year years kind rank region source official quoted high low medium "
    "confidence estimate claim verdict reason article consistent inconsistent inconclusive "
    "checkable yes no true false parameter resolved outputs small whole best weakest factor "
    "share level interval margin method power specification specifications indicator indicators "
    "construct loading weight mean median min max score scores setting total missing present "
    "expected table note population".split())
"""Words a table of this study shows in English: a header or cell that is one of them alone (or
holds two) is English."""

_CODE = re.compile(r"\S*[_./\\]\S*|\b[A-Z0-9²]{2,}\b")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", _CODE.sub(" ", text).lower())


def english_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that read as English (three common English words or more)."""
    return [s for s in re.split(r"(?<=[.;:!?])\s+|\n", text)
            if sum(w in ENGLISH_WORDS for w in _words(s)) >= 3]


def english_cells(cells: Iterable) -> list[str]:
    """The table headers or cells that read as English."""
    found = []
    for cell in cells:
        words = _words(str(cell))
        if sum(w in TABLE_WORDS for w in words) >= 2 or (len(words) == 1
                                                          and words[0] in TABLE_WORDS):
            found.append(str(cell))
    return found


PROGRAM_OUTPUT = "program-settings"
"""A table of this class is program output (an engine's settings): not checked, like code."""


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells: list[str] = []
        self._open: list[str] | None = None
        self._tables: list[bool] = []  # per open table: is it program output?

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._tables.append(PROGRAM_OUTPUT in (dict(attrs).get("class") or ""))
        if tag in ("td", "th") and not any(self._tables):
            self._open = []

    def handle_endtag(self, tag):
        if tag == "table" and self._tables:
            self._tables.pop()
        if tag in ("td", "th") and self._open is not None:
            self.cells.append("".join(self._open).strip())
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def table_cells(html: str) -> list[str]:
    """Every header and cell of the tables in ``html`` (not of program output's tables)."""
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def english_in_notebook(path: Path, tables_only: bool = False) -> list[tuple[int, str]]:
    """``(cell index, text)`` for every output of an executed notebook that reads as English:
    sentences of printed text and Markdown, headers and cells of HTML tables (only these with
    ``tables_only``)."""
    found = []
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = "".join(data.get("text/html", ""))
            if "<table" in html:
                found += [(index, c) for c in english_cells(table_cells(html))]
                continue
            if tables_only:
                continue
            text = "".join(output.get("text", "")) + "".join(data.get("text/markdown", ""))
            found += [(index, s) for s in english_sentences(text)]
    return found


def stderr_outputs(path: Path) -> list[tuple[int, str]]:
    """``(cell index, text)`` for every output an executed notebook printed on stderr (a
    library's warnings, written in English whatever the notebook's language)."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    return [(index, "".join(output.get("text", "")))
            for index, cell in enumerate(notebook["cells"])
            for output in cell.get("outputs", []) if output.get("name") == "stderr"]
