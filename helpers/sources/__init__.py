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

from helpers.sources.cli import build, extract, main
from helpers.sources.errors import ExtractionError
from helpers.sources.manifest import load_manifest, sha256, verify
from helpers.sources.output import write
from helpers.sources.places import region_slug
from helpers.sources.specs import load_spec, load_specs

__all__ = ["ExtractionError", "build", "extract", "load_manifest", "load_spec", "load_specs",
           "main", "region_slug", "sha256", "verify", "write"]
