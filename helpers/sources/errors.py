"""The one error the extraction raises when a file or a spec is not what it should be."""

from __future__ import annotations


class ExtractionError(ValueError):
    """A raw file or a spec does not match: the message names the file, sheet and cell."""
