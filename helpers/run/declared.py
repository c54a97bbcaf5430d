"""What a notebook declares: the defaults of its cell tagged ``parameters``.

The lowest module of the run plumbing: the contract (which notebooks run per city), the
parameters and the runner read it, and it reads only the notebook files.
"""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from typing import Any

from helpers.registers.paths import NOTEBOOKS


class ParameterError(ValueError):
    """A parameter value or name that the study refuses, with the valid choices."""


def assignments(source: str) -> dict[str, Any]:
    """The ``name = literal`` assignments of a cell's source, in order."""
    found: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            found[node.targets[0].id] = ast.literal_eval(node.value)
        else:
            raise ParameterError("A parameters cell may hold only `name = literal` lines; found: "
                                 f"{ast.unparse(node)!r}.")
    return found


@lru_cache(maxsize=32)
def declared_parameters(notebook: str) -> dict[str, Any]:
    """The defaults of the cell tagged ``parameters`` in ``notebooks/<notebook>.ipynb``."""
    path = NOTEBOOKS / f"{notebook}.ipynb"
    if not path.exists():
        names = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
        raise ParameterError(f"No notebook {notebook!r}. Notebooks: {', '.join(names)}.")
    # plain JSON, not nbformat: importing nbformat costs a kernel more than a second
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
             if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{path.name} must have exactly one cell tagged 'parameters', "
                             f"has {len(cells)}.")
    source = cells[0]["source"]
    return assignments(source if isinstance(source, str) else "".join(source))
