"""The manifest of the publisher's files (``data/raw/MANIFEST.csv``) and the sha256 check.

Every file the extraction reads is listed with its sha256, size and provenance (publisher,
publication, mirror repository, commit and path, licence). A file absent from the manifest, or
whose bytes differ from the recorded sha256, stops the extraction before anything is read.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers.registers.paths import DATA
from helpers.sources.errors import ExtractionError

RAW = DATA / "raw"
MANIFEST = RAW / "MANIFEST.csv"
COLUMNS = ("path", "sha256", "bytes", "publisher", "publication", "mirror_repo", "mirror_commit",
           "mirror_path", "licence")


@dataclass(frozen=True)
class RawFile:
    """One row of the manifest."""

    path: str
    sha256: str
    bytes: int
    publisher: str
    publication: str
    mirror_repo: str
    mirror_commit: str
    mirror_path: str
    licence: str

    @property
    def mirror_url(self) -> str:
        return f"https://github.com/{self.mirror_repo}" if self.mirror_repo else ""


def sha256(path: Path) -> str:
    """The file's sha256 as lower-case hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=4)
def load_manifest(path: Path = MANIFEST) -> dict[str, RawFile]:
    """The manifest's rows keyed by path under ``data/raw/``; duplicated paths are refused."""
    if not path.exists():
        raise FileNotFoundError(f"The manifest of the publisher's files {path} is missing.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ExtractionError(f"{path}: column(s) {missing} missing; expected {list(COLUMNS)}.")
        rows: dict[str, RawFile] = {}
        for line, row in enumerate(reader, start=2):
            if row["path"] in rows:
                raise ExtractionError(f"{path}, line {line}: {row['path']!r} is listed twice.")
            rows[row["path"]] = RawFile(**{c: row[c] for c in COLUMNS if c != "bytes"},
                                        bytes=int(row["bytes"]))
    return rows


def verify(name: str, folder: Path = RAW, manifest: dict[str, RawFile] | None = None) -> Path:
    """The path of raw file ``name`` (relative to ``data/raw``) after checking its sha256.

    ``folder`` replaces ``data/raw`` as the place to look (the manifest's hashes still apply).
    """
    manifest = load_manifest() if manifest is None else manifest
    if name not in manifest:
        raise ExtractionError(f"{name} is not in the manifest {MANIFEST.relative_to(DATA.parent)}:"
                              " add the file with its sha256 and provenance before a spec uses "
                              "it.")
    path = folder / name
    if not path.exists():
        raise FileNotFoundError(f"The publisher's file {path} ({name} in the manifest) is missing."
                                " Pass the folder that holds data/raw's files with --raw-dir.")
    found, expected = sha256(path), manifest[name].sha256
    if found != expected:
        raise ExtractionError(f"{path}: sha256 {found} differs from {expected} recorded for {name}"
                              f" in {MANIFEST.name}; this is not the file the tables were "
                              "extracted from.")
    return path
