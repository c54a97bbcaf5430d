"""A temporary copy of the repository, and commands run inside it (for tests that change the
study the way a developer would: a new column, a new notebook, a new style)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers.registers import paths

PARTS = ("helpers", "notebooks", "data", "docs", "pyproject.toml")


def copy_repository(folder: Path) -> Path:
    """Copy the study's code, notebooks and data to ``folder/repo`` and return that path."""
    target = folder / "repo"
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in PARTS:
        source = paths.ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        else:
            shutil.copy2(source, target / part)
    return target


def run_python(copy: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """``python *args`` with the copy's helpers first on the path, from the copy's root."""
    env = {k: v for k, v in os.environ.items()
           if k not in (paths.OUTPUT_ROOT_VARIABLE, "STUDY_NOTEBOOKS")}
    env["PYTHONPATH"] = str(copy)
    env["MPLBACKEND"] = "Agg"
    return subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True,
                          text=True, timeout=timeout)


def run_study(copy: Path, *args: str) -> subprocess.CompletedProcess:
    """The copy's runner (``python -m helpers.run``), its outputs under ``copy/out``."""
    return run_python(copy, "-m", "helpers.run", "--jobs", "1", "--output", str(copy / "out"),
                      *args)


def add_column(path: Path, name: str, copy_of: str) -> None:
    """Add column ``name`` to a CSV file, each cell copied from column ``copy_of``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0]) if rows else []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*fields, name], lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, name: row[copy_of]})
