"""Extraction of the study's tables from the publishers' files in ``data/raw/``.

Run ``python -m helpers.sources [--check]``. Each source is described as data in
``data/specs/<id>.yaml``; the package's parts are:

* :mod:`~helpers.sources.manifest` — the manifest of raw files and the sha256 check;
* :mod:`~helpers.sources.specs` — loading and checking the specs;
* :mod:`~helpers.sources.cells` — workbook cells, A1 addresses, numbers (missing marks, glued
  footnote digits) and year headers;
* :mod:`~helpers.sources.places` — row labels and codes to register slugs;
* the readers :mod:`~helpers.sources.bns_table` (BNS dynamic and bulletin tables),
  :mod:`~helpers.sources.sdg` (the SDG data repository's long CSVs),
  :mod:`~helpers.sources.legal` (legal-statistics form СНГ-1) and
  :mod:`~helpers.sources.secondary` (secondary tables, one layout each);
* :mod:`~helpers.sources.records` — extracted values and the checks a spec asks for;
* :mod:`~helpers.sources.output` — tidy CSVs written byte for byte reproducibly;
* :mod:`~helpers.sources.provenance` — ``data/SOURCES.md`` and ``data/datapackage.json``;
* :mod:`~helpers.sources.cli` — the command.
"""

from __future__ import annotations

import importlib

_EXPORTS = {"ExtractionError": "errors", "build": "cli", "extract": "cli", "main": "cli",
            "load_manifest": "manifest", "sha256": "manifest", "verify": "manifest",
            "write": "output", "region_slug": "places", "load_spec": "specs",
            "load_specs": "specs"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    # imported on first use, so that `python -m helpers.sources` sets up its Ctrl-C handling
    # before the heavy readers (pandas, openpyxl) load
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
