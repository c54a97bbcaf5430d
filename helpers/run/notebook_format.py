"""The metadata block the committed notebooks carry: what JupyterLab itself writes.

JupyterLab fills in ``kernelspec`` and ``language_info`` from the running kernel when a notebook is
opened; a notebook committed with less is marked changed and autosaved, so merely reading it in
class leaves ``git status`` dirty. The notebooks are therefore committed with the block the
project's kernel reports (Python 3.11, ipykernel). After adding or editing a notebook outside
JupyterLab::

    python -m helpers.run.notebook_format          # rewrite the metadata block of every notebook

Only ``metadata`` at the top level is touched; cells, ids and outputs stay as they are, and the
file is written the way JupyterLab writes it (``nbformat.writes`` and a final newline).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from helpers.registers import paths

PYTHON_VERSION = "3.11.7"
"""The Python the lock was resolved with (requirements.lock's header); language_info carries it."""

METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                   "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": PYTHON_VERSION,
    },
}


def as_jupyterlab_writes(path: Path) -> str:
    """The notebook's text with the JupyterLab metadata block, formatted as JupyterLab saves it."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.update(nbformat.from_dict(METADATA))
    return nbformat.writes(nb) + "\n"


def main() -> int:
    changed = []
    for path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        text = as_jupyterlab_writes(path)
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
            changed.append(path.name)
    print(f"metadata rewritten: {', '.join(changed) or 'none (all notebooks already carry it)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
