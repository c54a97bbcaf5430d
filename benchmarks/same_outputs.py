"""Compare two study runs: every report JSON key by key, every SVG exhibit byte for byte.

    python benchmarks/same_outputs.py /tmp/run-before /tmp/run-after

Each argument is a run's output root (``python -m helpers.run --output ROOT``). A speed change must
leave the numbers alone: the command lists every JSON key whose value differs (compared exactly,
floats included, at any depth), every key present in one run only, every SVG whose bytes differ
and every report or exhibit present in one run only, and exits with status 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def differences(before: object, after: object, where: str = "") -> list[str]:
    """Where two decoded JSON values differ: ``key.sub[3]: before != after`` lines."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after), key=str):
            here = f"{where}.{key}" if where else str(key)
            if key not in after:
                out.append(f"{here}: only in the first run")
            elif key not in before:
                out.append(f"{here}: only in the second run")
            else:
                out += differences(before[key], after[key], here)
        return out
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{where}: {len(before)} items != {len(after)} items"]
        return [line for i, (b, a) in enumerate(zip(before, after, strict=True))
                for line in differences(b, a, f"{where}[{i}]")]
    if type(before) is not type(after) or before != after:
        if before != before and after != after:  # NaN written as NaN in both (json allows it)
            return []
        return [f"{where}: {before!r} != {after!r}"]
    return []


def leaves(value: object) -> int:
    """How many numbers, strings, booleans and nulls a decoded JSON value holds."""
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    return 1


def compare(first: Path, second: Path) -> tuple[list[str], dict[str, int]]:
    """The differing lines and how many reports and exhibits were compared."""
    lines: list[str] = []
    counted = {"json": 0, "values": 0, "svg": 0}
    for pattern, kind in (("reports/**/*.json", "json"), ("figures/**/*.svg", "svg")):
        a = {p.relative_to(first) for p in first.glob(pattern) if ".cache" not in p.parts}
        b = {p.relative_to(second) for p in second.glob(pattern) if ".cache" not in p.parts}
        lines += [f"{p}: only in {first}" for p in sorted(a - b)]
        lines += [f"{p}: only in {second}" for p in sorted(b - a)]
        for path in sorted(a & b):
            counted[kind] += 1
            if kind == "svg":
                if (first / path).read_bytes() != (second / path).read_bytes():
                    lines.append(f"{path}: the bytes differ")
                continue
            before = json.loads((first / path).read_text(encoding="utf-8"))
            after = json.loads((second / path).read_text(encoding="utf-8"))
            counted["values"] += leaves(before)
            lines += [f"{path}: {line}" for line in differences(before, after)]
    return lines, counted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="one run's output root")
    parser.add_argument("second", type=Path, help="the other run's output root")
    args = parser.parse_args(argv)
    for root in (args.first, args.second):
        if not (root / "reports").is_dir():
            parser.error(f"{root} has no reports/ folder: give the --output folder of a run.")
    lines, counted = compare(args.first, args.second)
    print("\n".join(lines))
    print(f"{counted['json']} reports ({counted['values']} values) and {counted['svg']} SVG "
          f"exhibits compared: {len(lines)} difference(s).")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
