"""Where the study's files live.

Inputs (``data/``, ``notebooks/``) always come from the repository. Outputs (``reports/``,
``figures/``) go under an *output root*: the repository itself by default, or the folder named
by the environment variable ``STUDY_OUTPUT_ROOT`` (the runner sets it; tests point it at a
temporary folder so that a test run never touches the committed exhibits).

No value that reaches a path from outside (a notebook parameter, a command-line option) is joined
to a folder before :func:`safe_slug` has accepted it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
NOTEBOOKS = Path(os.environ.get("STUDY_NOTEBOOKS", ROOT / "notebooks")).resolve()
"""The notebook sequence; ``STUDY_NOTEBOOKS`` points the runner at another folder (benchmarks)."""

OUTPUT_ROOT_VARIABLE = "STUDY_OUTPUT_ROOT"
NATIONAL = "kazakhstan"
"""Folder name for notebooks that run once for the whole country."""

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def safe_slug(value: str, what: str = "name") -> str:
    """Return ``value`` if it is a plain slug (``a-z``, ``0-9``, single hyphens), else raise.

    A slug can never climb out of a folder (``..``), name an absolute path or hide a separator.
    """
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValueError(
            f"{what} {value!r} is not allowed in a file path: use lower-case letters, digits "
            "and single hyphens only (for example 'almaty' or 'north-kazakhstan')."
        )
    return value


def report_slug(city: str | None, source: str | None = None) -> str:
    """The output folder of a run: the city, ``kazakhstan`` for once-only notebooks, or
    ``survey-<city>`` when the survey notebook runs on a city's real responses (``source``), so
    that it never overwrites the reports and figures of the synthetic reconstruction."""
    if source not in (None, "synthetic"):
        return f"survey-{safe_slug(source, 'survey source')}"
    return city or NATIONAL


def output_root() -> Path:
    """The folder for ``reports/`` and ``figures/``: ``STUDY_OUTPUT_ROOT``, or the repository."""
    value = os.environ.get(OUTPUT_ROOT_VARIABLE)
    return Path(value).resolve() if value else ROOT


def reports_dir(slug: str) -> Path:
    """``<output root>/reports/<slug>``, for the executed notebooks and their JSON."""
    return output_root() / "reports" / safe_slug(slug, "report folder")


def figures_dir(slug: str) -> Path:
    """``<output root>/figures/<slug>``, for the exhibits of one city (or ``kazakhstan``)."""
    return output_root() / "figures" / safe_slug(slug, "figure folder")
