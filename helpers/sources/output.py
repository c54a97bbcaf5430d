"""Writing the tidy tables byte for byte reproducibly, and comparing them with the committed ones.

Rows are sorted (indicator in the spec's order, region in the register's print order, year),
numbers are printed with ``%.12g`` and lines end with ``\\n``, so the same raw files always give
the same bytes.

:func:`write` replaces the set of files as a whole: every file is first written in full to a
temporary file beside its target, and only when all of them are written are they renamed over the
old ones, with Ctrl-C, SIGTERM and SIGHUP held back during the renames. An interrupt or a full disk
at any moment leaves ``data/`` byte for byte as it was, or entirely rewritten; never a table
emptied or cut.
"""

from __future__ import annotations

import contextlib
import csv
import filecmp
import io
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from helpers.registers.regions import load_cities, load_regions
from helpers.sources.records import Record
from helpers.sources.secondary import SECONDARY_COLUMNS
from helpers.sources.specs import Spec

TIDY_COLUMNS = ("region", "year", "indicator", "value", "unit")
CITY_COLUMNS = ("city", "region", "year", "indicator", "value", "unit")


def fmt(value: object) -> str:
    """A value as printed in the CSVs: ``%.12g`` for numbers, '' for None."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{float(value):.12g}"
    return str(value)


def csv_bytes(columns: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([fmt(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _region_order() -> dict[str, int]:
    return {r.slug: r.order for r in load_regions()}


def tidy_bytes(spec: Spec, records: list[Record]) -> bytes:
    """The spec's tidy CSV: ``region,year,indicator,value,unit`` (``city`` first for cities)."""
    ids, order = list(spec.indicators), _region_order()
    unit = {i: spec.indicators[i].unit for i in ids}
    if spec.level == "city":
        cities = {c.slug: n for n, c in enumerate(load_cities())}
        rows = sorted(records, key=lambda r: (ids.index(r.indicator), order[r.region],
                                              cities.get(r.city, -1), r.year))
        return csv_bytes(CITY_COLUMNS, ((r.city, r.region, r.year, r.indicator, r.value,
                                         unit[r.indicator]) for r in rows))
    rows = sorted(records, key=lambda r: (ids.index(r.indicator), order[r.region], r.year))
    return csv_bytes(TIDY_COLUMNS, ((r.region, r.year, r.indicator, r.value, unit[r.indicator])
                                    for r in rows))


def secondary_bytes(rows: list[dict[str, object]]) -> bytes:
    order = _region_order()
    rows = sorted(rows, key=lambda d: (str(d["indicator"]), order[str(d["region"])],
                                       -1 if d["year"] is None else int(d["year"]),
                                       str(d["source"])))
    return csv_bytes(SECONDARY_COLUMNS, ([d[c] for c in SECONDARY_COLUMNS] for d in rows))


HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""Signals held back while the staged files are renamed into place (delivered just after)."""


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP inside the block (in the main thread; elsewhere a
    no-op): a signal that arrives meanwhile is noted, and handled as before once the block ends.
    (Python runs signal handlers in the main thread only, whichever thread the signal reached.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: arrived.append(signum))
                for signum in HELD_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(arrived):
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), signum)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write(files: dict[str, bytes], out: Path, done: list[Path] | None = None,
          check: Callable[[], None] = lambda: None) -> list[Path]:
    """Write ``files`` (paths relative to ``out``) as one set; returns the paths written.

    Each file goes first to a temporary ``.<name>.*.tmp`` beside its target (written, flushed and
    synced); the targets are replaced only after every file is staged, the renames shielded from
    signals. On any failure (an interrupt, ``ENOSPC``) the temporaries are removed and every
    target keeps its old bytes. ``done`` (if given) receives the written paths before a signal
    held back during the renames is delivered, so that a caller can say what was written.
    """
    staged: list[tuple[Path, Path]] = []
    mode = 0o666 & ~_umask()
    try:
        for rel, content in files.items():
            check()  # the caller may stop here (an interrupt noted by its signal handler)
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                                 dir=path.parent)
            staged.append((Path(temporary), path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
        with signals_held():
            for temporary, path in staged:
                os.replace(temporary, path)
            written, staged = [path for _, path in staged], []
            if done is not None:
                done.extend(written)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return written


def stale(files: dict[str, bytes], out: Path) -> list[str]:
    """Relative paths whose committed bytes differ from a fresh extraction."""
    with tempfile.TemporaryDirectory() as tmp:
        write(files, Path(tmp))
        return [rel for rel in files if not (out / rel).exists()
                or not filecmp.cmp(Path(tmp) / rel, out / rel, shallow=False)]
