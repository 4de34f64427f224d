"""Runtime dependencies: each is imported by the library, and each library import is declared.

A third-party module that the library imports must be a runtime dependency,
unless the library imports it under ``except ImportError`` (an optional extra
whose absence gets its own message, like matplotlib in
:mod:`gvhdstats.plotting`, whose other matplotlib imports run only after that
guarded one).  A runtime dependency
that the library never imports belongs in an extra (lifelines and statsmodels
are used only by the tests and benchmarks, which compare with them).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
IMPORT_NAME = {"scikit-learn": "sklearn", "pandas-stubs": "pandas"}


def _names(specs):
    return {re.split(r"[<>=!~ \[;]", s, maxsplit=1)[0].strip().lower() for s in specs}


def _guarded(tree: ast.AST) -> set[int]:
    """Line numbers of imports inside ``try: ... except ImportError``."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
            for h in node.handlers
        ):
            for sub in node.body:
                for inner in ast.walk(sub):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        lines.add(inner.lineno)
    return lines


def _third_party_imports() -> dict[str, list[tuple[str, bool]]]:
    """Top-level module -> [(file:line, guarded)] for every non-stdlib import of gvhdstats."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for path in sorted((ROOT / "gvhdstats").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = _guarded(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            else:
                continue
            for m in mods:
                top = m.split(".")[0]
                if top in sys.stdlib_module_names or top in ("gvhdstats", "__future__"):
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(top, []).append((where, node.lineno in guarded))
    return found


def test_every_runtime_dependency_is_imported_by_the_library():
    runtime = _names(PROJECT["dependencies"])
    imported = _third_party_imports()
    unused = sorted(d for d in runtime if IMPORT_NAME.get(d, d) not in imported)
    assert unused == [], f"declared but never imported by gvhdstats (make it an extra): {unused}"


def test_every_unguarded_library_import_is_a_runtime_dependency():
    runtime = {IMPORT_NAME.get(d, d) for d in _names(PROJECT["dependencies"])}
    missing = {
        mod: [w for w, g in uses if not g]
        for mod, uses in _third_party_imports().items()
        if mod not in runtime and not any(g for _, g in uses)
    }
    assert missing == {}, f"imported without `except ImportError` but not declared: {missing}"


def test_lifelines_statsmodels_matplotlib_are_extras():
    runtime = _names(PROJECT["dependencies"])
    extras = PROJECT["optional-dependencies"]
    assert not runtime & {"lifelines", "matplotlib", "statsmodels"}
    assert _names(extras["plot"]) == {"matplotlib"}
    assert _names(extras["lifelines"]) == {"lifelines"}
    assert _names(extras["statsmodels"]) == {"statsmodels"}
    # the tests compare with all three, so the test extra has them
    assert {"lifelines", "statsmodels", "matplotlib"} <= _names(extras["test"])
