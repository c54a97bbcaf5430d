"""``python -m helpers.sources [--check] [--raw-dir DIR] [--out DIR]``: extract every spec."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from helpers.registers.paths import DATA
from helpers.sources import bns_table, legal, sdg, secondary
from helpers.sources.errors import ExtractionError
from helpers.sources.manifest import RAW, load_manifest, verify
from helpers.sources.output import (
    CITY_COLUMNS,
    TIDY_COLUMNS,
    secondary_bytes,
    stale,
    tidy_bytes,
    write,
)
from helpers.sources.provenance import COMMAND, datapackage, sources_markdown
from helpers.sources.records import Record, combine, run_checks
from helpers.sources.secondary import SECONDARY_COLUMNS
from helpers.sources.specs import SPECS, Spec, load_specs

READERS = {"bns-table": bns_table.read, "sdg": sdg.read, "legal-statistics": legal.read}


def extract(spec: Spec, raw_dir: Path = RAW) -> list[Record]:
    """The checked records of one (non-secondary) spec, after verifying its raw files."""
    manifest = load_manifest()
    paths = {name: verify(name, raw_dir, manifest) for name in spec.files}
    records = combine(spec, READERS[spec.reader](spec, paths))
    run_checks(spec, records)
    return records


def build(raw_dir: Path = RAW, specs_dir: Path = SPECS,
          check: Callable[[], None] = lambda: None) -> dict[str, bytes]:
    """Every generated file as ``{path relative to data/: bytes}``; ``check`` runs before each
    spec (the command's :func:`_check` stops there when a signal has arrived)."""
    manifest = load_manifest()
    specs = load_specs(specs_dir)
    files: dict[str, bytes] = {}
    schemas: dict[str, tuple[str, ...]] = {}
    records: dict[str, list[Record]] = {}
    for spec in specs:
        check()
        if spec.reader == "secondary":
            paths = {name: verify(name, raw_dir, manifest) for name in spec.files}
            files[spec.output] = secondary_bytes(secondary.read(spec, paths))
            schemas[spec.output] = SECONDARY_COLUMNS
            continue
        records[spec.id] = extract(spec, raw_dir)
        files[spec.output] = tidy_bytes(spec, records[spec.id])
        schemas[spec.output] = CITY_COLUMNS if spec.level == "city" else TIDY_COLUMNS
    check()
    files["SOURCES.md"] = sources_markdown(specs, manifest, records).encode("utf-8")
    files["datapackage.json"] = datapackage(specs, manifest, files, schemas).encode("utf-8")
    return files


class Stopped(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP: the run stops; ``status`` is the exit status (128 + signal)."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.status = 128 + signum


_ARRIVED: list[int] = []
"""The stop signals received. The handler only notes them; the work stops at the next
:func:`_check`, between units of work (a spec, a staged file), never inside a library or a
finaliser (where Python would print its own report of an exception raised by the handler)."""


def _stop(signum, frame):
    _ARRIVED.append(signum)


def _check() -> None:
    """Stop here if a signal has arrived (see :data:`_ARRIVED`)."""
    if _ARRIVED:
        raise Stopped(_ARRIVED[0])


def main(argv: list[str] | None = None) -> int:
    """The command; Ctrl-C, SIGTERM and SIGHUP end it with one line and status 130/143/129,
    leaving ``--out`` as it was (or, past the last rename, entirely rewritten)."""
    written: list[Path] = []
    handlers = {}
    _ARRIVED.clear()
    try:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            handlers[signum] = signal.signal(signum, _stop)
    except ValueError:  # not the main thread: leave the signals alone
        handlers = {}
    try:
        return _main(argv, written)
    except Exception:
        if not _ARRIVED:
            raise
        return _interrupted(128 + _ARRIVED[0], written)  # an error after the stop signal
    except KeyboardInterrupt as stop:
        return _interrupted(getattr(stop, "status", 130), written)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _interrupted(status: int, written: list[Path]) -> int:
    state = (f"all {len(written)} files had already been replaced" if written else
             "nothing was written, the files are as they were")
    print(f"{COMMAND}: interrupted; {state}.", file=sys.stderr, flush=True)
    return status


def _main(argv: list[str] | None, written: list[Path]) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description="Extract data/official and "
                                     "data/secondary from the publishers' files in data/raw.")
    parser.add_argument("--raw-dir", type=Path, default=RAW,
                        help="folder laid out like data/raw (default: data/raw); every file is "
                             "checked against data/raw/MANIFEST.csv")
    parser.add_argument("--specs", type=Path, default=SPECS,
                        help="folder of source specs (default: data/specs)")
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (default: data/)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; fail if a fresh extraction differs from --out")
    args = parser.parse_args(argv)
    try:
        files = build(args.raw_dir, args.specs, check=_check)
    except (ExtractionError, FileNotFoundError) as error:
        if _ARRIVED:
            raise Stopped(_ARRIVED[0]) from None
        print(f"{COMMAND}: stopped, nothing written: {error}", file=sys.stderr)
        return 2
    if _ARRIVED:  # interrupted, and a library swallowed the KeyboardInterrupt: write nothing
        raise Stopped(_ARRIVED[0])
    if args.check:
        changed = stale(files, args.out)
        if changed:
            print("Out of date (re-run without --check): " + ", ".join(changed), file=sys.stderr)
            return 1
        print(f"{len(files)} files up to date.")
        return 0
    try:
        write(files, args.out, done=written, check=_check)
        _check()  # a signal held back during the renames: everything was already replaced
    except OSError as error:  # a full disk, a read-only folder: the old files stay
        print(f"{COMMAND}: stopped, nothing written ({len(files)} files were extracted and "
              f"checked, but writing them to {args.out} failed: {error.strerror or error}).",
              file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0
