"""Work done once: a national result computed from the same inputs is read back, not recomputed.

Notebook 04 runs once per city, but its PLS estimation, bootstrap and PLSpredict use the 20
regions and no city: the first city's kernel computes them and stores them under the output root
(``reports/.cache/``); the others wait for it and read the very same objects back, so every
number is identical. The key hashes every input that can change the result: the data table, the
parameters and the source code of the study and of its engine. Another input, another key.

The same holds for the tables every per-city notebook starts from (:func:`national_tables`: the
codebook and the 20-region cross-section) and for the region × year panel of notebook 03's second
reading.
"""

from __future__ import annotations

import fcntl
import hashlib
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.registers import paths
from helpers.registers.data import cross_section, load_codebook
from helpers.run.results import write_bytes_atomic

FOLDER = ".cache"


def fingerprint(*parts: Any) -> str:
    """A sha256 over the parts: DataFrames by their values, index and columns; everything else
    by its ``repr``."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, pd.DataFrame):
            digest.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
            digest.update(repr(list(part.columns)).encode())
        else:
            digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def source_fingerprint() -> str:
    """The study's code and the article's data files as they are now (any edit changes it)."""
    files = sorted([*(paths.ROOT / "helpers").rglob("*.py"),
                    *(paths.DATA / "article").glob("*.csv")])
    return fingerprint(*[(str(f.relative_to(paths.ROOT)), f.read_bytes()) for f in files])


def inputs_fingerprint() -> str:
    """Everything a national result can depend on, read as files, without loading any table:
    the study's code (``helpers/**.py``), every file under ``data/`` and the versions of Python
    and of the numerical libraries. Cheaper than loading the data to hash it (a city that reads
    a national result back then loads no table at all). The files' bytes go to the hash as
    they are, each after its name and length (their ``repr`` would cost more than reading
    them)."""
    roots = {"helpers": (paths.ROOT / "helpers", "*.py"), "data": (paths.DATA, "*")}
    digest = hashlib.sha256(repr([sys.version, np.__version__, pd.__version__]).encode())
    for name, (root, pattern) in roots.items():
        for f in sorted(root.rglob(pattern)):
            if f.is_file():
                content = f.read_bytes()
                digest.update(f"\0{name}\0{f.relative_to(root)}\0{len(content)}\0".encode())
                digest.update(content)
    return digest.hexdigest()


def cache_file(name: str, key: str) -> Path:
    return paths.output_root() / "reports" / FOLDER / f"{name}-{key[:20]}.pickle"


def once(name: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s value for ``key``: computed by the first caller, read back by the others
    (a lock makes a parallel caller wait rather than compute it again)."""
    target = cache_file(name, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            return pickle.loads(target.read_bytes())
        value = compute()
        write_bytes_atomic(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value


def national_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The codebook (:func:`helpers.registers.data.load_codebook`) and the 20-region
    cross-section with every row's own year rule (:func:`helpers.registers.data.cross_section`),
    loaded and validated by the first city of a run and read back by the others; the key is
    :func:`inputs_fingerprint` (a changed data file or code, another key)."""
    def load() -> tuple[pd.DataFrame, pd.DataFrame]:
        book = load_codebook()
        return book, cross_section(codebook=book)

    return once("national_tables", inputs_fingerprint(), load)
