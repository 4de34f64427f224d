"""The package's layers: every import points down, and no import cycle exists.

Imports are read with :mod:`ast` from every module of the package, including
imports inside functions and under ``if TYPE_CHECKING:``, so a lazy import
cannot hide an upward dependency (docs/architecture.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gvhdstats"

#: Rank of each layer: a module may import modules of a lower rank, and modules
#: of its own package at the same rank (``checks.incidence`` ->
#: ``checks.attainability``), never a higher one.
LAYERS = {
    "gvhdstats.errors": 0,
    "gvhdstats._validation": 1,
    "gvhdstats.numbers": 2,
    "gvhdstats.methods": 3,
    "gvhdstats.records": 4,
    "gvhdstats.checks": 5,
    "gvhdstats.engine": 6,
    "gvhdstats.scan": 7,
}
INTERFACE_RANK = 8


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> tuple[int, str]:
    for prefix, rank in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return rank, prefix
    return INTERFACE_RANK, module


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every gvhdstats module ``path`` imports, with the line, wherever the import is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            # "from gvhdstats.methods import survival" imports the submodule
            for a in node.names:
                sub = f"{mod}.{a.name}"
                if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists() or (
                    PACKAGE.parent / sub.replace(".", "/") / "__init__.py"
                ).exists():
                    found.append((node.lineno, sub))
                else:
                    found.append((node.lineno, mod))
    return [(line, m) for line, m in found if m == "gvhdstats" or m.startswith("gvhdstats.")]


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _graph() -> dict[str, set[str]]:
    return {name: {m for _, m in _imports(path) if m != name} for name, path in MODULES.items()}


def test_the_layers_cover_every_module():
    # every module belongs to a known layer or to the interfaces on top
    interfaces = sorted(m for m in MODULES if _layer(m)[0] == INTERFACE_RANK)
    assert interfaces == [
        "gvhdstats",
        "gvhdstats._version",
        "gvhdstats.cli",
        "gvhdstats.htmlreport",
        "gvhdstats.plotting",
        "gvhdstats.render",
        "gvhdstats.svgfigures",
        "gvhdstats.testing",
    ]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    rank, layer = _layer(module)
    upward = []
    for line, target in _imports(MODULES[module]):
        t_rank, t_layer = _layer(target)
        if t_rank > rank or (t_rank == rank and t_layer != layer and rank != INTERFACE_RANK):
            upward.append(f"line {line}: {target} ({t_layer}, rank {t_rank})")
    assert not upward, f"{module} ({layer}, rank {rank}) imports upwards:\n" + "\n".join(upward)


def test_methods_and_numbers_know_nothing_of_claims():
    forbidden = ("gvhdstats.checks", "gvhdstats.records", "gvhdstats.engine")
    bad = []
    for name, path in MODULES.items():
        if not name.startswith(("gvhdstats.methods", "gvhdstats.numbers")):
            continue
        for line, target in _imports(path):
            if target.startswith(forbidden) or _layer(target)[0] == INTERFACE_RANK:
                bad.append(f"{name} line {line}: {target}")
    assert not bad, "\n".join(bad)


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_finds_a_planted_upward_import(tmp_path, monkeypatch):
    # the reader itself must see imports inside functions (a check that cannot fail is a defect)
    bad = tmp_path / "gvhdstats" / "methods" / "planted.py"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "def f():\n    from gvhdstats.checks.verdicts import Verdict\n    return Verdict\n"
    )
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "gvhdstats")
    assert _imports(bad) == [(2, "gvhdstats.checks.verdicts")]
