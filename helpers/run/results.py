"""The numbers a notebook reports, written as JSON beside the executed notebook.

Each notebook builds one :class:`Context` (see :func:`helpers.run.params.setup`), records what it
reports with :meth:`Context.record`, and ends with :meth:`Context.save`, which checks the keys
against the report contract (``helpers/run/contract.yaml``). The JSON file
``reports/<slug>/<notebook>.json`` is what tests and the reproduction report read; it holds the
resolved parameters, the results and the package versions, and nothing that changes between two
runs with the same parameters (no dates, no timings).
"""

from __future__ import annotations

import json
import math
import os
import platform
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.registers import paths
from helpers.registers.regions import Region
from helpers.run.contract import check_report

VERSIONED = ("numpy", "pandas", "scipy", "matplotlib", "seaborn", "pingouin", "papermill")


@dataclass
class Context:
    """What a notebook knows about its run: resolved parameters, output folders, its results."""

    notebook: str
    parameters: dict[str, Any]
    region: Region | None = None
    lang: str = "en"
    seed: int | None = None
    n_boot: int | None = None
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """The output folder's name: the city's slug, ``kazakhstan`` for once-only notebooks, or
        ``survey-<city>`` for a survey run on real responses
        (:func:`helpers.registers.paths.report_slug`)."""
        return paths.report_slug(self.region.slug if self.region is not None else None,
                                 self.parameters.get("source"))

    @property
    def reports_dir(self) -> Path:
        return paths.reports_dir(self.slug)

    @property
    def figures_dir(self) -> Path:
        return paths.figures_dir(self.slug)

    @property
    def json_path(self) -> Path:
        return self.reports_dir / f"{self.notebook}.json"

    def rng(self, offset: int = 0) -> np.random.Generator:
        """A new ``numpy.random.Generator`` seeded with the ``seed`` parameter plus ``offset``."""
        if self.seed is None:
            raise ValueError(f"{self.notebook} has no 'seed' parameter; add one to draw numbers.")
        return np.random.default_rng(self.seed + offset)

    def record(self, **values: Any) -> None:
        """Keep numbers for the JSON report; a key recorded twice is overwritten."""
        for key, value in values.items():
            self.results[key] = to_jsonable(value)

    def save(self) -> Path:
        """Write ``reports/<slug>/<notebook>.json`` atomically and return its path.

        Refuses (:class:`helpers.run.contract.ContractError`) results that break the report contract
        (``helpers/run/contract.yaml``): a declared key not recorded, a key recorded but not
        declared,
        a value of the wrong type, or other figures than declared. Nothing is written then.
        """
        check_report(self.notebook, self.results)
        document = {
            "notebook": self.notebook,
            "slug": self.slug,
            "parameters": to_jsonable(self.parameters),
            "results": self.results,
            "environment": environment(),
        }
        write_text_atomic(self.json_path, json.dumps(document, ensure_ascii=False, indent=1,
                                                     sort_keys=True) + "\n")
        return self.json_path


def to_jsonable(value: Any) -> Any:
    """Convert numpy/pandas values to plain JSON types; NaN and infinities become ``None``."""
    if isinstance(value, pd.DataFrame):
        return {str(k): to_jsonable(v) for k, v in value.to_dict(orient="index").items()}
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v) for k, v in value.to_dict().items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Path):
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    raise TypeError(f"Cannot record a value of type {type(value).__name__}: record numbers, "
                    "strings, lists, dicts or DataFrames.")


def environment() -> dict[str, str]:
    """Python and package versions (watermark-style) and BLAS's thread count, recorded with every
    result."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    # BLAS's thread count moves the last digits of sums; the runner sets it to 1 for each kernel
    versions["blas_threads"] = os.environ.get("OPENBLAS_NUM_THREADS", "not set")
    return versions


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a crash never leaves half a file."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
