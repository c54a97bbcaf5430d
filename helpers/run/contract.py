"""The report contract: what each notebook reads, writes and records, declared once.

``helpers/run/contract.yaml`` lists the notebooks in run order; for each one the data it reads, the
notebooks whose reports it reads, the figures it saves and every key it records, with a type and
a sentence of meaning. From it:

* :meth:`helpers.run.results.Context.save` refuses a report with a missing, undeclared or mistyped
  key
  (:func:`check_report`);
* the runner takes the notebook sequence and the waits from it (:func:`sequence`,
  :func:`reads_reports`);
* ``docs/report-keys.md`` is generated from it::

      python -m helpers.run.contract            # rewrite docs/report-keys.md
      python -m helpers.run.contract --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from helpers.registers.paths import ROOT
from helpers.run.declared import declared_parameters

CONTRACT = Path(__file__).with_name("contract.yaml")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader, in C where PyYAML was built with libyaml: every notebook's ``ctx.save()``
reads the contract, and the C loader reads it in a fraction of the pure-Python one's time."""
KEYS_DOC = ROOT / "docs" / "report-keys.md"
TYPES = {"integer": (int,), "number": (int, float), "string": (str,), "boolean": (bool,),
         "list": (list,), "mapping": (dict,)}
FIELDS = ("does", "reads_data", "reads_reports", "figures", "keys")
FIGURES_KEY = "figures"
REGENERATE = "python -m helpers.run.contract"
_FIGURE = re.compile(r"^fig\d{2}_[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContractError(ValueError):
    """A notebook's report or the contract itself breaks the contract; the message says where to
    fix it."""


@dataclass(frozen=True)
class Key:
    name: str
    type: str
    meaning: str

    @property
    def nullable(self) -> bool:
        return self.type.endswith(" or null")

    @property
    def base_type(self) -> str:
        return self.type.removesuffix(" or null")

    def accepts(self, value: Any) -> bool:
        if value is None:
            return self.nullable
        if isinstance(value, bool) and self.base_type != "boolean":
            return False
        return isinstance(value, TYPES[self.base_type])


@dataclass(frozen=True)
class Notebook:
    name: str
    does: str
    reads_data: tuple[str, ...]
    reads_reports: tuple[str, ...]
    figures: tuple[str, ...]
    keys: dict[str, Key]
    note: str = ""


def _where(notebook: str, part: str = "keys") -> str:
    return f"{_shown(CONTRACT)} (notebooks → {notebook} → {part})"


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def parse(text: str, source: str = "helpers/run/contract.yaml") -> dict[str, Notebook]:
    """The contract's notebooks, in run order, validated."""
    document = yaml.load(text, Loader=SAFE_LOADER) or {}  # noqa: S506 - a safe loader
    entries = document.get("notebooks")
    if not isinstance(entries, dict) or not entries:
        raise ContractError(f"{source} must hold a mapping `notebooks:` with one entry per "
                            "notebook.")
    notebooks: dict[str, Notebook] = {}
    for name, entry in entries.items():
        missing = [f for f in FIELDS if f not in (entry or {})]
        if missing:
            raise ContractError(f"{source}: notebook {name} lacks {missing}; every notebook "
                                f"declares {', '.join(FIELDS)}.")
        unknown = sorted(set(entry) - set(FIELDS) - {"note"})
        if unknown:
            raise ContractError(f"{source}: notebook {name} has unknown field(s) {unknown}; "
                                f"valid: {', '.join(FIELDS)}, note.")
        keys = {}
        for key, spec in (entry["keys"] or {}).items():
            if key == FIGURES_KEY:
                raise ContractError(f"{source}: {name} declares `figures` under keys; list the "
                                    "exhibits under `figures:` instead (save_figure records them).")
            if not isinstance(spec, dict) or set(spec) != {"type", "meaning"}:
                raise ContractError(f"{source}: {name} → keys → {key} must be "
                                    "{type: ..., meaning: ...}.")
            base = str(spec["type"]).removesuffix(" or null")
            if base not in TYPES:
                raise ContractError(f"{source}: {name} → keys → {key} has type {spec['type']!r}; "
                                    f"valid: {', '.join(TYPES)} (optionally '<type> or null').")
            if not str(spec["meaning"]).strip():
                raise ContractError(f"{source}: {name} → keys → {key} needs a meaning.")
            keys[key] = Key(key, str(spec["type"]), str(spec["meaning"]).strip())
        for figure in entry["figures"]:
            if not _FIGURE.match(figure):
                raise ContractError(f"{source}: {name} → figures: {figure!r} must look like "
                                    "'fig02_innovation-activity'.")
        earlier = set(notebooks)
        for read in entry["reads_reports"]:
            if read not in earlier:
                raise ContractError(f"{source}: {name} reads the report of {read!r}, which is not "
                                    f"a notebook listed before it; earlier: {sorted(earlier)}.")
        notebooks[name] = Notebook(name, str(entry["does"]).strip(), tuple(entry["reads_data"]),
                                   tuple(entry["reads_reports"]), tuple(entry["figures"]), keys,
                                   str(entry.get("note") or "").strip())
    return notebooks


@lru_cache(maxsize=1)
def load() -> dict[str, Notebook]:
    """``helpers/run/contract.yaml``, parsed once per process."""
    return parse(CONTRACT.read_text(encoding="utf-8"), _shown(CONTRACT))


def sequence() -> list[str]:
    """The notebooks in run order."""
    return list(load())


def notebook(name: str) -> Notebook:
    """One notebook's entry; a clear error naming the file to edit if it has none."""
    contract = load()
    if name not in contract:
        raise ContractError(f"Notebook {name!r} is not declared in {_shown(CONTRACT)}. Add an "
                            f"entry under `notebooks:` (fields {', '.join(FIELDS)}), then run "
                            f"`{REGENERATE}`. Declared: {', '.join(contract)}.")
    return contract[name]


def reads_reports(name: str) -> tuple[str, ...]:
    """The notebooks whose JSON reports ``name`` reads (it runs after them)."""
    return notebook(name).reads_reports


def json_type(value: Any) -> str:
    for name, types in TYPES.items():
        if isinstance(value, types) and not (isinstance(value, bool) and name != "boolean"):
            return name
    return "null" if value is None else type(value).__name__


def check_report(name: str, results: dict[str, Any]) -> None:
    """Refuse ``results`` (already JSON-ready) unless it matches ``name``'s declaration."""
    entry = notebook(name)
    recorded = [k for k in results if k != FIGURES_KEY]
    undeclared = [k for k in recorded if k not in entry.keys]
    if undeclared:
        raise ContractError(
            f"{name} recorded undeclared key(s) {undeclared}. Declare each in "
            f"{_where(name)} as `<key>: {{type: ..., meaning: \"...\"}}`, then run "
            f"`{REGENERATE}` to regenerate docs/report-keys.md.")
    missing = [k for k in entry.keys if k not in results]
    if missing:
        raise ContractError(
            f"{name} did not record declared key(s) {missing}. Record them with ctx.record(...) "
            f"in notebooks/{name}.ipynb, or remove them from {_where(name)} and run "
            f"`{REGENERATE}`.")
    wrong = [f"{k} (declared {entry.keys[k].type}, got {json_type(results[k])})"
             for k in recorded if not entry.keys[k].accepts(results[k])]
    if wrong:
        raise ContractError(f"{name} recorded key(s) of the wrong type: {'; '.join(wrong)}. Fix "
                            f"the value in notebooks/{name}.ipynb or the type in {_where(name)}.")
    saved = {re.sub(r"\.[a-z]{2,3}$", "", stem) for stem in results.get(FIGURES_KEY, {})}
    if saved != set(entry.figures):
        raise ContractError(
            f"{name} saved figure(s) {sorted(saved)} but declares {sorted(entry.figures)}. Save "
            f"the declared exhibits with save_figure, or list them in "
            f"{_where(name, 'figures')}.")


def undeclared_claim_keys(checks, contract: dict[str, Notebook] | None = None) -> list[str]:
    """The rows of ``claim_checks.csv`` whose notebook or key (its first dotted part) the
    contract does not declare, as readable strings (empty: all declared)."""
    contract = contract or load()
    problems = []
    for row in checks.itertuples():
        if not row.notebook:
            continue
        if row.notebook not in contract:
            problems.append(f"{row.id}: notebook {row.notebook!r} is not in the contract")
            continue
        for column in ("key", "support_key", "verdict_key"):
            key = getattr(row, column, "")
            if key and key.split(".")[0] not in contract[row.notebook].keys:
                problems.append(f"{row.id}: {column} {key!r} — {key.split('.')[0]!r} is not "
                                f"declared for {row.notebook}")
    return problems


# ----------------------------------------------------------------------------------------------
# docs/report-keys.md
# ----------------------------------------------------------------------------------------------

_PREAMBLE = """\
# What each notebook reports (the JSON files)

<!-- Generated from helpers/run/contract.yaml by `python -m helpers.run.contract`; do not edit by
hand. -->

Every notebook ends with `ctx.save()`, which writes `reports/<slug>/<notebook>.json` (the city's
slug, or `kazakhstan` for the notebooks that run once). Each file holds:

- `notebook`, `slug` — which run this is;
- `parameters` — the resolved parameters (the city as its slug);
- `results` — the numbers the notebook reports, under the keys listed below;
- `environment` — Python and package versions, and `blas_threads` (BLAS threads per kernel; the
  runner sets 1).

The keys are declared once, in `helpers/run/contract.yaml`: `ctx.save()` refuses a report with a
missing, undeclared or mistyped key, or with other figures than declared. Two runs with the same
parameters write identical `results` (tested). The tests in `tests/test_nb_*.py` and the
reproduction report (`08`) read these keys; every key `data/article/claim_checks.csv` names is
declared (tested). The runner runs the notebooks in the order below; a notebook waits for the
notebooks whose reports it reads.
"""


def render(contract: dict[str, Notebook] | None = None, per_city: set[str] | None = None) -> str:
    """The text of ``docs/report-keys.md``."""
    contract = contract or load()
    if per_city is None:
        per_city = {n for n in contract if "city" in declared_parameters(n)}
    parts = [_PREAMBLE]
    for entry in contract.values():
        folder = "<city>" if entry.name in per_city else "kazakhstan"
        lines = [f"\n## {entry.name} (reports/{folder}/{entry.name}.json, \"results\")\n",
                 f"Does: {entry.does}", ""]
        lines.append("Reads data: " + ", ".join(f"`{p}`" for p in entry.reads_data) + ".")
        if entry.reads_reports:
            lines.append("Reads the reports of: " + ", ".join(entry.reads_reports) + ".")
        if entry.figures:
            lines.append("Figures: " + ", ".join(f"`{f}`" for f in entry.figures)
                         + " (paths under the key `figures`, written by save_figure).")
        if entry.note:
            lines += ["", entry.note]
        lines.append("")
        lines += [f"- `{k.name}` ({k.type}) — {k.meaning}" for k in entry.keys.values()]
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers.run.contract",
                                description="Regenerate docs/report-keys.md from the contract.")
    p.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = p.parse_args(argv)
    text = render()
    current = KEYS_DOC.read_text(encoding="utf-8") if KEYS_DOC.exists() else ""
    if args.check:
        if current != text:
            print(f"{_shown(KEYS_DOC)} is stale: run `{REGENERATE}`.", file=sys.stderr)
            return 1
        return 0
    if current != text:
        KEYS_DOC.write_text(text, encoding="utf-8")
        print(f"wrote {_shown(KEYS_DOC)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
