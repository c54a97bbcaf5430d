"""The house's rules, checked by tools: layers, no cycles, no tests in production, imports on top.

The layer contracts live in pyproject.toml (``[tool.importlinter]``) and are checked by
import-linter, the tool made for them; this test runs it so that ``make test`` fails when one
breaks. Imports inside functions are counted by import-linter too (it reads every import
statement), so an import moved into a function cannot hide a cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from helpers.registers import paths

HELPERS = paths.ROOT / "helpers"


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    config = str(paths.ROOT / "pyproject.toml")
    done = subprocess.run([str(lint), "--no-cache", "--no-logo", config],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(paths.ROOT)})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout, done.stdout[-2000:]


def _nested_imports(tree: ast.Module):
    """Import statements that are not at module level (inside a function or class body)."""
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
            yield node


def _commented(lines: list[str], number: int) -> bool:
    """The import's own line, or the line above it, carries a comment saying why."""
    own = lines[number - 1]
    above = lines[number - 2].strip() if number >= 2 else ""
    return "#" in own or above.startswith("#")


def test_imports_sit_at_the_top_of_modules_unless_a_comment_says_why():
    offenders = []
    for path in sorted(HELPERS.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        guarded = {id(n) for node in tree.body if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
        for node in _nested_imports(tree):
            if id(node) in guarded or _commented(lines, node.lineno):
                continue
            offenders.append(f"{path.relative_to(paths.ROOT)}:{node.lineno}: "
                             f"{lines[node.lineno - 1].strip()}")
    assert offenders == [], ("move these imports to the top of the module, or say in a comment "
                             "why one must wait (an optional, heavy import):\n"
                             + "\n".join(offenders))


def test_the_rule_finds_a_function_level_import_without_a_comment():
    code = "import os\n\ndef f():\n    import json\n    return json\n"
    tree = ast.parse(code)
    nested = list(_nested_imports(tree))
    assert [n.lineno for n in nested] == [4]
    assert not _commented(code.splitlines(), 4)
    assert _commented("def f():\n    # heavy: only for the site\n    import json\n".splitlines(), 3)


def test_no_module_of_helpers_names_the_tests():
    offenders = [str(p.relative_to(paths.ROOT)) for p in HELPERS.rglob("*.py")
                 if any(isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "tests"
                        or isinstance(n, ast.Import) and any(a.name.split(".")[0] == "tests"
                                                            for a in n.names)
                        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]
    assert offenders == []
