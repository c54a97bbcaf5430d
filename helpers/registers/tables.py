"""The study's CSV tables as files: where they are, how one is read, how a broken one is named.

The lowest part of the data layer: :mod:`helpers.registers.data` (the loaders, the codebook, the
panel) and :mod:`helpers.registers.quality` (the data-quality rules) both read their files through
:func:`read_table` and report a broken file with a :class:`DataValidationError`, which names the
file, the row (1-based, as a spreadsheet shows it: the header is row 1) and the column.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.registers.paths import DATA

OFFICIAL = DATA / "official"
SECONDARY = DATA / "secondary"


class DataValidationError(ValueError):
    """A data file breaks a rule; the message names the file, row and column."""

    def __init__(self, path: Path | str, row: int | None, column: str | None, problem: str):
        self.path, self.row, self.column, self.problem = Path(path), row, column, problem
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


def read_table(path: Path, columns: tuple[str, ...] = (),
               missing_hint: str = "Re-create it with `python -m helpers.sources`.",
               ) -> pd.DataFrame:
    """Read a CSV of ``data/`` as text (no type guessing, empty cells stay ``""``).

    Refuses a missing file (saying ``missing_hint``), a malformed or non-UTF-8 file, and a header
    without every name in ``columns``, each with a :class:`DataValidationError` naming the place.
    """
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing. {missing_hint}")
    content = path.read_bytes()
    key = (str(path), hashlib.sha256(content).digest())
    if key not in _READ:
        try:
            _READ[key] = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False,
                                     encoding="utf-8")
        except (pd.errors.ParserError, UnicodeDecodeError) as error:
            raise DataValidationError(path, None, None,
                                      f"not a well-formed UTF-8 CSV ({error}).") from None
    df = _READ[key].copy()
    require_columns(df, path, columns)
    return df


_READ: dict[tuple[str, bytes], pd.DataFrame] = {}
"""Tables parsed in this process, by path and the sha256 of their bytes: a kernel reads the same
files again and again (the article's tables, the registers), and parsing costs far more than
reading and hashing the bytes; a changed file is parsed anew. Callers get a copy."""


def records(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")``, the same dicts and values, built column by column: pandas
    builds them cell by cell, iterating a string column one element at a time (the data loaders
    and notebook 05's specification tables paid more for that than for their own work).

    Numeric, boolean and string columns are read as lists (Python scalars, as ``to_dict`` gives
    them); any other column (object, dates, nullable) goes through ``to_dict(orient="list")``,
    which boxes its values as ``to_dict("records")`` does."""
    names = df.columns.tolist()
    columns = []
    for _, column in df.items():
        dtype = column.dtype
        if (isinstance(dtype, np.dtype) and dtype.kind in "biufc") or isinstance(dtype,
                                                                              pd.StringDtype):
            columns.append(column.tolist())
        else:
            columns.append(column.to_frame(name=0).to_dict("list")[0])  # boxed as to_dict does
    if not names:
        return [{} for _ in range(len(df))]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def require_columns(df: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> None:
    for column in columns:
        if column not in df.columns:
            raise DataValidationError(path, 1, column, f"column missing or renamed; the header "
                                      f"must contain {list(columns)}, found {list(df.columns)}.")


def official_tables(folder: Path | None = None) -> list[str]:
    """Names of the official tables (file stems in ``data/official``)."""
    return sorted(p.stem for p in (folder or OFFICIAL).glob("*.csv"))


def secondary_tables(folder: Path | None = None) -> list[str]:
    """Names of the secondary tables (file stems in ``data/secondary``)."""
    return sorted(p.stem for p in (folder or SECONDARY).glob("*.csv"))


def city_tables(folder: Path | None = None) -> list[str]:
    """Names of the city-level official tables (file stems in ``data/official/cities``)."""
    return sorted(p.stem for p in (folder or OFFICIAL / "cities").glob("*.csv"))
