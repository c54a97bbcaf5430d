"""Reading workbook cells: one view of .xls and .xlsx sheets, A1 addresses, numbers and years.

Numbers printed as ``-`` (no such phenomenon, or the region did not exist), ``x``/``Х``
(confidential), ``…`` or ``...`` (not available) are missing values. With footnote clean-up, a
text cell such as ``"93 2222)"`` is 93 222 carrying footnote 2 (the publisher glues the footnote
digit to the number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from helpers.sources.errors import ExtractionError

MISSING_MARKS = ("", "-", "–", "x", "х", "…", "...")
"""Cell texts that mean "not published" (compared case-folded: 'Х' and 'X' included)."""


def a1(row: int, col: int) -> str:
    """Zero-based (row, col) as an A1 address."""
    letters, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


_A1 = re.compile(r"^([A-Z]+)(\d+)$")


def parse_a1(ref: str) -> tuple[int, int]:
    """An A1 address as zero-based (row, col)."""
    match = _A1.match(str(ref).strip().upper())
    if not match:
        raise ExtractionError(f"{ref!r} is not a cell address such as 'B3'.")
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def column_index(letters: str) -> int:
    """A column's letters ('A', 'AB') as a zero-based index."""
    return parse_a1(f"{letters}1")[1]


class Sheet:
    """A uniform, read-only view of an .xls (xlrd) or .xlsx (openpyxl) sheet."""

    def __init__(self, path: Path, name: str, rows: list[list[object]]):
        self.path, self.name, self.rows = path, name, rows

    @property
    def where(self) -> str:
        return f"{self.path.name}, sheet {self.name!r}"

    def at(self, row: int, col: int) -> str:
        """``<file>, sheet '<name>', cell <A1>`` for messages."""
        return f"{self.where}, cell {a1(row, col)}"

    def cell(self, row: int, col: int) -> object:
        try:
            return self.rows[row][col]
        except IndexError:
            return None

    def text(self, row: int, col: int) -> str:
        value = self.cell(row, col)
        return "" if value is None else " ".join(str(value).split())

    def expect(self, row: int, col: int, *words: str) -> None:
        """Stop unless the cell contains every one of ``words`` (case-insensitive)."""
        text = self.text(row, col).casefold()
        missing = [w for w in words if w.casefold() not in text]
        if missing:
            raise ExtractionError(
                f"{self.at(row, col)}: expected a label containing {words!r}, found "
                f"{self.text(row, col)!r}. The file's layout has changed or the spec is wrong.")

    def find(self, col: int, *words: str, start: int = 0) -> int:
        """The first row from ``start`` whose cell in ``col`` contains every word; or stop."""
        for row in range(start, len(self.rows)):
            text = self.text(row, col).casefold()
            if all(w.casefold() in text for w in words):
                return row
        raise ExtractionError(f"{self.where}, column {a1(0, col)[:-1]}: no cell contains "
                              f"{words!r} (searched from row {start + 1}).")


def read_sheets(path: Path) -> dict[str, Sheet]:
    """All sheets of a workbook as :class:`Sheet` objects, keyed by sheet name."""
    if not path.exists():
        raise FileNotFoundError(f"The publisher's workbook {path} is missing.")
    if path.suffix.lower() == ".xls":
        # deferred: xlrd loads only when this function runs (kernel start-up time)
        import xlrd

        book = xlrd.open_workbook(str(path))
        return {s.name: Sheet(path, s.name, [s.row_values(r) for r in range(s.nrows)])
                for s in book.sheets()}
    # deferred: openpyxl loads only when this function runs (kernel start-up time)
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: Sheet(path, ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
                for ws in book.worksheets}
    finally:
        book.close()


@dataclass(frozen=True)
class Number:
    """A parsed cell: its value and the footnote glued to it (``None`` when there is none)."""

    value: float
    footnote: str | None = None


_GLUED_FOOTNOTE = re.compile(r"^(\d[\d ]*?)(\d)\)$")


def parse_number(value: object, where: str, footnote_digits: bool = False) -> Number | None:
    """A cell as a :class:`Number`; ``None`` for the missing marks; stop on anything else."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Number(float(value))
    text = " ".join(str(value).replace("\xa0", " ").split())
    if text.casefold() in MISSING_MARKS:
        return None
    if footnote_digits and (match := _GLUED_FOOTNOTE.match(text)):
        return Number(float(match.group(1).replace(" ", "")), match.group(2))
    try:
        return Number(float(text.replace(" ", "").replace(",", ".")))
    except ValueError:
        hint = (" (a footnote digit glued to the number? set footnote_digits: true in the spec)"
                if text.endswith(")") else "")
        raise ExtractionError(f"{where}: {text!r} is not a number{hint}.") from None


_YEAR = re.compile(r"^(\d{4})(?:\d\)|\*+|/\d{2})?$")


def parse_year(value: object, pattern: str | None = None) -> int | None:
    """A header cell as a year, or ``None``.

    Accepted: 2005, 2005.0, '2005', '20051)' (footnote 1 glued on), '2018*', '2022/23' (a school
    year, read as its first calendar year); or the first group of ``pattern``.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1900 <= value <= 2100 else None
    text = " ".join(str(value or "").split())
    match = re.match(pattern, text) if pattern else _YEAR.match(text)
    return int(match.group(1)) if match else None
