"""Export every result table to one ``.xlsx`` workbook or to a folder of CSV files:
:func:`export`.

Accepted results: a :class:`~helpers.pls.PLSFit` (every table of ``fit.tables()`` plus its
admissibility checks), a bootstrap, PLSpredict, multi-group, IPMA, model-fit, exact-fit,
HTMT-inference, CVPAT or new-data result, or a mapping ``{name: result}`` of several (a
multi-group result brings its group fits and bootstraps along).  Each table goes to its own
sheet (or file), named ``<result>_<table>``; one ``settings`` sheet (file) lists every result's
settings, one row per setting, nested settings flattened with dotted keys.  Large draw tables
(bootstrap and permutation draws, per-observation predictions) are included unless
``draws=False``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .admissibility import check
from .bootstrap import BootstrapResult
from .estimate import PLSFit

_DRAWS = {"draws", "predictions", "by_repeat", "permutation_draws", "losses", "scores"}
_BAD = re.compile(r"[\[\]\*\?/\\:]")


def _flatten(settings, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out += _flatten(value, name + ".")
        else:
            out.append((name, str(value)))
    return out


def result_tables(result, draws: bool = True) -> tuple[dict[str, pd.DataFrame], dict, dict]:
    """(tables, settings, nested results) of one result object."""
    tables: dict[str, pd.DataFrame] = {}
    nested: dict = {}
    if isinstance(result, PLSFit):
        tables = {k: v for k, v in result.tables().items() if k != "settings"}
        if not draws:
            tables.pop("scores", None)
        tables["admissibility"] = check(result)
        return tables, dict(result.settings), nested
    if isinstance(result, BootstrapResult):
        tables = {name: getattr(result, name) for name in result.TABLES}
        if draws:
            tables.update({f"draws_{k}": v for k, v in result.draws.items()})
        return tables, dict(result.settings), nested
    if hasattr(result, "tables") and callable(result.tables):
        tables = {k: v for k, v in result.tables().items() if draws or k not in _DRAWS}
        if draws:
            for key in ("draws",):
                for name, frame in (getattr(result, key, None) or {}).items():
                    tables[f"draws_{name}"] = frame
        return tables, dict(getattr(result, "settings", {}) or {}), nested
    if not dataclasses.is_dataclass(result):
        raise TypeError(f"cannot export a {type(result).__name__}: give a fit or a result of "
                        "helpers.pls (or a dict of them)")
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        if isinstance(value, pd.DataFrame):
            if draws or f.name not in _DRAWS:
                tables[f.name] = value
        elif isinstance(value, np.ndarray) and value.ndim in (1, 2) and f.name == "folds":
            tables[f.name] = pd.DataFrame(np.atleast_2d(value))
        elif isinstance(value, dict) and value and f.name not in ("settings",):
            for key, item in value.items():
                label = " vs ".join(key) if isinstance(key, tuple) else str(key)
                if isinstance(item, pd.DataFrame):
                    if draws or f.name not in _DRAWS:
                        tables[f"{f.name}_{label}"] = item
                elif isinstance(item, np.ndarray):
                    if draws:
                        tables[f"{f.name}_{label}"] = pd.DataFrame({f.name: item})
                elif item is not None and not isinstance(item, (str, int, float)):
                    nested[f"{f.name}_{label}"] = item
    return tables, dict(getattr(result, "settings", {}) or {}), nested


def _collect(results, draws: bool) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    if not isinstance(results, dict):
        results = {type(results).__name__.replace("Result", "").lower() or "result": results}
    tables, settings_rows = {}, []
    queue = list(results.items())
    while queue:
        name, result = queue.pop(0)
        own, settings, nested = result_tables(result, draws)
        for table, frame in own.items():
            tables[f"{name}_{table}"] = frame
        settings_rows += [(name, k, v) for k, v in _flatten(settings)]
        queue += [(f"{name}_{k}", v) for k, v in nested.items()]
    return tables, pd.DataFrame(settings_rows, columns=["result", "setting", "value"])


def _sheet_names(names) -> dict[str, str]:
    out, used = {}, {"settings", "contents"}
    for name in names:
        base = _BAD.sub("_", name)[:31]
        sheet, k = base, 1
        while sheet.lower() in used:
            k += 1
            sheet = f"{base[:31 - len(str(k)) - 1]}~{k}"
        used.add(sheet.lower())
        out[name] = sheet
    return out


def export(results, path: str | Path, draws: bool = True) -> Path | list[Path]:
    """Write every table of ``results`` (one result or ``{name: result}``) to ``path``: a
    ``.xlsx`` workbook (openpyxl) with one sheet per table and a ``settings`` sheet, or
    otherwise a folder of CSV files (``<result>_<table>.csv`` and ``settings.csv``).  Returns the
    workbook's path or the list of files written.  The sheet names (31 characters at most) are
    listed in the workbook's ``contents`` sheet."""
    path = Path(path)
    tables, settings = _collect(results, draws)
    if path.suffix.lower() == ".xlsx":
        path.parent.mkdir(parents=True, exist_ok=True)
        sheets = _sheet_names(tables)
        contents = pd.DataFrame({"sheet": list(sheets.values()), "table": list(sheets)})
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            contents.to_excel(writer, sheet_name="contents", index=False)
            settings.to_excel(writer, sheet_name="settings", index=False)
            for name, frame in tables.items():
                frame.to_excel(writer, sheet_name=sheets[name],
                               merge_cells=False)
        return path
    path.mkdir(parents=True, exist_ok=True)
    written = [path / "settings.csv"]
    settings.to_csv(written[0], index=False)
    for name, frame in tables.items():
        target = path / f"{_BAD.sub('_', name)}.csv"
        frame.to_csv(target)
        written.append(target)
    return written
