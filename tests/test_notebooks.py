"""The committed notebooks: skeleton, kernel, and no outputs."""

from __future__ import annotations

import nbformat
import pytest

from helpers.registers.paths import NOTEBOOKS
from helpers.run.notebook_format import METADATA, as_jupyterlab_writes
from helpers.run.runner import notebook_names

NAMES = notebook_names()


def test_the_sequence_is_numbered_00_to_08():
    assert sorted(n[:2] for n in NAMES) == [f"{i:02d}" for i in range(9)]


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs_and_with_the_python3_kernel(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{name}: clear the outputs before committing (cell {cell.id})"


@pytest.mark.parametrize("name", NAMES)
def test_skeleton_title_parameters_setup_save(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    following = nb.cells[tagged[0] + 1]
    assert f'setup(globals(), "{name}")' in following.source
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[-1].source.strip().endswith("ctx.save()")


@pytest.mark.parametrize("name", NAMES)
def test_committed_with_the_metadata_jupyterlab_writes(name):
    """Opening the notebook in JupyterLab then changes nothing (the browser test checks it live)."""
    path = NOTEBOOKS / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"] == METADATA["kernelspec"]
    assert nb.metadata["language_info"] == METADATA["language_info"]
    assert path.read_text(encoding="utf-8") == as_jupyterlab_writes(path), \
        f"{name}: run `python -m helpers.run.notebook_format` and commit the result"


def test_the_metadata_names_the_python_of_the_lock():
    header = (NOTEBOOKS.parent / "requirements.lock").read_text().splitlines()[1]
    assert f"Python {METADATA['language_info']['version']}" in header
