"""Survey files as classes really have them: our CSV, a Google Forms or Microsoft Forms export.

:func:`read_survey_file` turns a response file into the canonical table (``respondent`` and one
column per item code, answers 1-5 as text) and a :class:`Reading` that says what was done:

* **the file**: CSV (UTF-8, UTF-16 or Windows-1251, as Excel saves it in a Russian or Kazakh
  locale) or ``.xlsx``; the separator (``,``, ``;`` or a tab) is detected and named;
* **the headers**: an item code (``SOC1``), ``respondent``, or a statement of the instrument
  (``data/survey/instrument.csv``) in any of its languages, the text matched exactly after
  normalisation (Unicode form, case, spaces, look-alike letters:
  :func:`helpers.registers.spelling.fold`);
  a Google Forms grid header ``Question [statement]`` and a leading number ``3.`` are read too. A
  header that matches nothing is named with its closest statement;
* **the answers**: a number 1-5, or a word of the scale (``data/survey/scale.csv``) in any
  language (``Толық келісемін``, ``Полностью согласен``, ``Strongly agree``);
* **personal data**: time stamps, e-mail addresses and names are dropped and never written (a
  Google Forms export has no respondent id: rows are numbered ``r001``...);
* a file it cannot read gets one sentence saying why.

``python -m helpers.survey convert FILE`` (:mod:`helpers.survey.cli`) writes the canonical CSV and
shows the mapping, so that a teacher can check it before the answers are analysed.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.registers.spelling import fold, nfc
from helpers.steps.nb07_survey_instrument import (
    SurveyResponseError,
    instrument,
    scale,
)

ID_COLUMN = "respondent"

TIME_HEADERS = {"timestamp", "отметка времени", "уақыт белгісі", "start time", "completion time",
                "last modified time", "время начала", "время завершения", "время создания",
                "время последнего изменения", "басталу уақыты", "аяқталу уақыты",
                "соңғы өзгертілген уақыт", "submitted at", "date", "дата", "күні"}
"""Headers of the time columns form services add (Google Forms, Microsoft Forms; en, ru, kk)."""
PERSONAL_HEADERS = {"email", "e mail", "email address", "адрес электронной почты",
                    "электронная почта", "электрондық пошта", "электрондық пошта мекенжайы",
                    "name", "имя", "аты", "аты жөні", "фио", "full name", "username",
                    "имя пользователя", "пайдаланушы аты"}
"""Headers of columns that identify a respondent (e-mail, name): dropped, never written."""
ID_HEADERS = {"id", "respondent", "respondent id", "респондент", "№", "no"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMBERED = re.compile(r"^\s*\d{1,2}\s*[.)]\s*")
_GRID = re.compile(r"^(?P<question>.*)\[(?P<statement>[^\[\]]+)\]\s*$", re.S)
_LEADING_NUMBER = re.compile(r"^\s*([1-9])\s*(?:[-–—.:)=]\s*(?P<rest>.*))?$", re.S)
SEPARATORS = {",": "',' (comma)", ";": "';' (semicolon, as Excel saves CSV in a Russian or "
              "Kazakh locale)", "\t": "a tab"}


class SurveyFileError(SurveyResponseError):
    """A response file the loader cannot read or map; the message says why in one sentence (or
    lists every unmapped header and answer)."""


@dataclass
class Reading:
    """What :func:`read_survey_file` did: the kind of file, how it was decoded, which column
    became which item, which were dropped and why, which answer words became which value."""

    path: Path
    kind: str = "CSV"
    encoding: str = "utf-8"
    separator: str = ","
    columns: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    languages: set[str] = field(default_factory=set)
    ids_generated: bool = False
    comment_lines: int = 0

    def report(self) -> str:
        """The mapping as plain text, for a teacher to check."""
        lines = [f"File: {self.path}", f"Read as: {self.kind}"]
        if self.kind != "Excel workbook (.xlsx)":
            lines.append(f"Encoding: {self.encoding}; separator: {SEPARATORS[self.separator]}")
        if self.languages:
            lines.append("Statements recognised in: " + ", ".join(sorted(self.languages)))
        lines.append("Columns:")
        width = max((len(_short(h)) for h, _ in self.columns + self.dropped), default=10)
        lines += [f"  {_short(h):<{width}}  ->  {target}" for h, target in self.columns]
        lines += [f"  {_short(h):<{width}}  ->  dropped: {why}" for h, why in self.dropped]
        if self.ids_generated:
            lines.append("Respondent ids: none in the file; rows numbered r001, r002, ... in "
                         "file order.")
        if self.answers:
            lines.append("Answer words mapped to the 1-5 scale:")
            lines += [f"  {word!r} -> {value}  ({count}x)"
                      for (word, value), count in sorted(self.answers.items(),
                                                         key=lambda kv: (kv[0][1], kv[0][0]))]
        return "\n".join(lines)


def _short(text: str, limit: int = 60) -> str:
    text = nfc(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------------------------
# Reading the file
# ----------------------------------------------------------------------------------------------

def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise SurveyFileError(f"{path}: the file is neither UTF-8 nor Windows-1251 text; save "
                              "the spreadsheet as 'CSV UTF-8' or as .xlsx.") from None
    return text, "windows-1251 (as Excel saves CSV in a Russian locale)"


def _separator(header: str) -> str:
    counts = {sep: len(next(csv.reader([header], delimiter=sep))) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best


def _kind_of(data: bytes, path: Path) -> str | None:
    """Why the bytes are not a table we read (one sentence), or None."""
    if not data.strip():
        return f"{path}: the file is empty."
    if data.startswith(b"%PDF"):
        return f"{path}: this is a PDF document, not a table; export the responses as CSV or .xlsx."
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return (f"{path}: this is an old Excel .xls workbook; save it as .xlsx or 'CSV UTF-8' "
                "and try again.")
    if data.startswith(b"PK") and path.suffix.lower() not in (".xlsx", ".xlsm"):
        return (f"{path}: this is a zip archive (perhaps a workbook saved under another name); "
                "give an .xlsx workbook its .xlsx name, or save it as CSV.")
    if b"\x00" in data[:2000] and not data.startswith((b"PK", b"\xff\xfe", b"\xfe\xff")):
        return f"{path}: this is a binary file, not a CSV table or an .xlsx workbook."
    return None


def read_table(path: Path) -> tuple[pd.DataFrame, Reading, int]:
    """The file as a table of strings (no type guessing), the :class:`Reading` so far, and the
    spreadsheet line of its header (comment lines ``#`` above it counted)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No survey responses at {path}.")
    data = path.read_bytes()
    problem = _kind_of(data, path)
    if problem:
        raise SurveyFileError(problem)
    reading = Reading(path)
    if data.startswith(b"PK"):
        try:
            sheet = pd.read_excel(io.BytesIO(data), dtype=str, header=None,
                                  keep_default_na=False, engine="openpyxl")
        except Exception as error:  # a damaged or protected workbook
            raise SurveyFileError(f"{path}: the workbook cannot be opened "
                                  f"({type(error).__name__}: {error}).") from None
        reading.kind = "Excel workbook (.xlsx)"
        sheet = sheet.loc[:, ~(sheet == "").all()]
        sheet = sheet.loc[~(sheet == "").all(axis=1)]
        if sheet.empty:
            raise SurveyFileError(f"{path}: the workbook's first sheet is empty.")
        header = [str(h) for h in sheet.iloc[0]]
        table = pd.DataFrame(sheet.iloc[1:].to_numpy(), columns=header)
        return table.reset_index(drop=True), reading, 1
    text, reading.encoding = _decode(path, data)
    lines = text.splitlines()
    top = next((k for k, line in enumerate(lines) if not line.startswith("#")), len(lines))
    if any(line.startswith("#") for line in lines[top:]):
        raise SurveyFileError(f"{path}: comment lines (starting with '#') are allowed only above "
                              "the header.")
    reading.comment_lines = top
    if top == len(lines) or not lines[top].strip():
        raise SurveyFileError(f"{path}: the file has no header line.")
    reading.separator = _separator(lines[top])
    rows = list(csv.reader(lines[top:], delimiter=reading.separator))
    header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
    wrong = [n for n, r in enumerate(body, start=top + 2) if len(r) != len(header)]
    if wrong:
        raise SurveyFileError(f"{path}: line {wrong[0]} has {len(body[wrong[0] - top - 2])} "
                              f"fields, the header {len(header)} (separator "
                              f"{SEPARATORS[reading.separator]}); check the quotes on that line.")
    return pd.DataFrame(body, columns=header, dtype=str), reading, top + 1


# ----------------------------------------------------------------------------------------------
# Headers and answers
# ----------------------------------------------------------------------------------------------

def _statements(items: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Every matching key (item code, each statement in each language) -> (item, language)."""
    keys: dict[str, tuple[str, str]] = {}
    languages = [c.removeprefix("text_") for c in items.columns if c.startswith("text_")]
    for row in items.to_dict("records"):
        keys[fold(row["item"])] = (row["item"], "code")
        for lang in languages:
            keys.setdefault(fold(row[f"text_{lang}"]), (row["item"], lang))
    return keys


def _header_keys(header: str) -> list[str]:
    """The texts a header may hold: itself, without a leading number, a grid's [statement]."""
    text = nfc(header)
    found = [text, _NUMBERED.sub("", text)]
    grid = _GRID.match(text)
    if grid:
        found += [grid["statement"], _NUMBERED.sub("", grid["statement"])]
    return [fold(t) for t in found if fold(t)]


def answer_words(scale_table: pd.DataFrame) -> dict[str, int]:
    """Every answer word of the scale in every language (``согласен(на)`` also as ``согласен``
    and ``согласна``), folded, -> its value."""
    words: dict[str, int] = {}
    for row in scale_table.to_dict("records"):
        for column, label in row.items():
            if not column.startswith("label_") or not label:
                continue
            variants = {label}
            for suffix in ("(на)", "(-на)", "(а)"):
                if suffix in label:
                    variants |= {label.replace(suffix, ""),
                                 label.replace(suffix, suffix.strip("()-"))}
            words |= {fold(v): int(row["value"]) for v in variants}
    return words


def _answer(cell: str, words: dict[str, int]) -> str | None:
    """The cell as text '1'..'5' ('' = no answer), or None if it is neither a number nor a word."""
    text = nfc(cell)
    if text == "" or fold(text) in ("nan", "na", ""):
        return ""
    number = _LEADING_NUMBER.match(text)
    if number and (not number["rest"] or fold(number["rest"]) in words):
        if not number["rest"] or words[fold(number["rest"])] == int(number.group(1)):
            return number.group(1)
    if re.fullmatch(r"\d+\.0+", text):
        return text.split(".")[0]  # 4.0, as a spreadsheet may write 4
    try:
        float(text.replace(",", "."))
    except ValueError:
        pass
    else:
        return text  # a number off the scale (6, 2.5): the validator names it
    value = words.get(fold(text))
    return None if value is None else str(value)


def to_canonical(table: pd.DataFrame, reading: Reading, items: pd.DataFrame,
                 scale_table: pd.DataFrame, header_line: int = 1) -> pd.DataFrame:
    """Map a table's headers and answers to the canonical ``respondent, SOC1 ... ADA3`` strings
    (updating ``reading``); every header or answer that cannot be mapped is reported at once."""
    keys = _statements(items)
    codes = list(items["item"])
    problems: list[str] = []
    mapped: dict[str, int] = {}
    id_column: int | None = None
    for position, header in enumerate(table.columns):
        key = fold(header)
        values = [str(v).strip() for v in table.iloc[:, position] if str(v).strip()]
        if key in TIME_HEADERS:
            reading.dropped.append((header, "a time stamp (not needed, not kept)"))
            continue
        if key in PERSONAL_HEADERS or (values and all(_EMAIL.match(v) for v in values)):
            reading.dropped.append((header, "personal data (e-mail or name): never kept"))
            continue
        if key in ID_HEADERS and id_column is None:
            id_column = position
            reading.columns.append((header, ID_COLUMN))
            continue
        match = next((keys[k] for k in _header_keys(header) if k in keys), None)
        if match is None:
            if not values:
                reading.dropped.append((header, "an empty column"))
                continue
            short = len(fold(header)) <= 8  # looks like an item code (EC01 for ECO1)
            pool = [k for k in keys if (keys[k][1] == "code") == short]
            close = difflib.get_close_matches(fold(header).replace("0", "o") if short
                                              else fold(header), pool, n=1, cutoff=0.0)
            item, lang = keys[close[0]] if close else ("", "")
            hint = (f"; the closest statement is {item} ({lang}): "
                    f"{_short(_text(items, item, lang))!r}" if close else "")
            problems.append(f"unknown column {_short(header)!r} (column {position + 1}): it "
                            "matches no statement of data/survey/instrument.csv (in any "
                            f"language) and no item code{hint}")
            continue
        item, lang = match
        if item in mapped:
            problems.append(f"column {position + 1} {_short(header)!r} is {item} again (first "
                            f"in column {mapped[item] + 1})")
            continue
        mapped[item] = position
        if lang != "code":
            reading.languages.add(lang)
        reading.columns.append((header, item + ("" if lang == "code" else
                                                f" (statement in {lang})")))
    absent = [c for c in codes if c not in mapped]
    if absent and not problems:
        problems.append(f"item column(s) {absent} missing: every statement of "
                        "data/survey/instrument.csv needs its column")
    if problems:
        raise SurveyFileError(f"{reading.path}: the header does not match the instrument:\n  - "
                              + "\n  - ".join(problems))
    words = answer_words(scale_table)
    out = pd.DataFrame(index=table.index)
    if id_column is None:
        reading.ids_generated = True
        width = max(3, len(str(len(table))))
        out[ID_COLUMN] = [f"r{k:0{width}d}" for k in range(1, len(table) + 1)]
    else:
        out[ID_COLUMN] = table.iloc[:, id_column].astype(str).str.strip().to_numpy()
    ids = out[ID_COLUMN]
    bad: list[str] = []
    for item in codes:
        cells = table.iloc[:, mapped[item]].astype(str)
        converted = []
        for row, cell in zip(cells.index, cells, strict=True):
            value = _answer(cell, words)
            if value is None:
                bad.append(f"line {header_line + 1 + row}, respondent {ids[row]!r}, column "
                           f"{item}: {_short(cell)!r} is neither a number 1-5 nor an answer of "
                           "data/survey/scale.csv")
                value = cell
            elif value.isdigit() and not cell.strip().isdigit():
                reading.answers[(nfc(cell), int(value))] += 1
            converted.append(value)
        out[item] = converted
    if bad:
        valid = "; ".join(f"{int(r['value'])} = " + " / ".join(
            r[c] for c in scale_table.columns if c.startswith("label_"))
            for r in scale_table.to_dict("records"))
        shown = bad[:12] + ([f"... and {len(bad) - 12} more"] if len(bad) > 12 else [])
        raise SurveyFileError(f"{reading.path}: {len(bad)} answer(s) not on the scale ({valid}):"
                              "\n  - " + "\n  - ".join(shown))
    return out


def _text(items: pd.DataFrame, item: str, lang: str) -> str:
    column = f"text_{lang}" if f"text_{lang}" in items.columns else "item"
    return str(items.set_index("item").loc[item, column]) if column != "item" else item


def _form_kind(reading: Reading) -> None:
    dropped = {fold(h) for h, _ in reading.dropped}
    if dropped & {"timestamp", "отметка времени", "уақыт белгісі"}:
        reading.kind += " — a Google Forms export"
    elif dropped & {"start time", "completion time", "время начала", "время завершения"}:
        reading.kind += " — a Microsoft Forms export"
    elif reading.languages:
        reading.kind += " — statements as headers (a form export)"


def read_survey_file(path: Path, items: pd.DataFrame | None = None,
                     scale_table: pd.DataFrame | None = None
                     ) -> tuple[pd.DataFrame, Reading, int]:
    """Read a response file of any supported kind; return the canonical table (strings), what was
    done, and the header's line. Raises :class:`SurveyFileError` with the reason."""
    items = instrument() if items is None else items
    scale_table = scale() if scale_table is None else scale_table
    table, reading, header_line = read_table(path)
    canonical = to_canonical(table, reading, items, scale_table, header_line)
    _form_kind(reading)
    return canonical, reading, header_line
