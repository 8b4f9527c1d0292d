"""The package's architecture: no import cycles between modules or folders, layers in order.

Imports are read from the source (``ast``), not by importing, so a cycle that Python happens to
resolve at run time (through a function-level import, say) is still caught. Imports under
``if TYPE_CHECKING:`` are left out: they are for type checkers only and never run.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simulation"

#: Folders that may import only from the folders listed (and from themselves).
LAYERS = {
    "shipped": set(),
    "scenario": {"shipped"},
    "model": {"scenario", "shipped", "world"},
    "output": {"scenario", "shipped"},
    # The world layer stands beside the party model, which steps it and reads its threat.
    "world": {"scenario", "shipped"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def owner(name: str) -> str | None:
    """The module an imported dotted name belongs to (``a.b.c`` -> ``a.b`` if ``c`` is a name)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


class Imports(ast.NodeVisitor):
    """The package modules one module imports, outside ``if TYPE_CHECKING:`` blocks."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module, self.is_package = module, is_package
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            parts = self.module.split(".")
            if not self.is_package:
                parts = parts[:-1]
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            self._add(full if full in MODULES else base)

    def _add(self, name: str) -> None:
        if name.split(".")[0] != "simulation":
            return
        target = owner(name)
        if target and target != self.module:
            self.found.add(target)


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        visitor = Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        graph[module] = visitor.found
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def folder_graph(graph: dict[str, set[str]], depth: int) -> dict[str, set[str]]:
    """The graph between folders ``depth`` levels below ``simulation`` (package roots kept)."""

    def folder(module: str) -> str:
        return ".".join(module.split(".")[: depth + 1])

    folders: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            if folder(module) != folder(target):
                folders[folder(module)].add(folder(target))
    return folders


def test_the_import_graph_is_read():
    graph = import_graph()
    assert "simulation.model.party" in graph["simulation.experiment.runs"]
    assert "simulation.scenario.schema" in graph["simulation.model.party"]


def test_no_import_cycle_between_modules():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("depth", [1, 2])
def test_no_import_cycle_between_folders(depth):
    assert cycles(folder_graph(import_graph(), depth)) == []


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_lower_layers_import_only_what_is_below_them(layer):
    allowed = LAYERS[layer] | {layer}
    wrong = {
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if module.split(".")[1:2] == [layer]
        for target in targets
        if target.split(".")[1:2] and target.split(".")[1] not in allowed
    }
    assert not wrong


def test_a_new_cycle_would_be_caught():
    graph = import_graph()
    graph["simulation.scenario.schema"] = graph["simulation.scenario.schema"] | {
        "simulation.model.party"
    }
    assert cycles(graph)
    assert cycles(folder_graph(graph, 1))


def test_docstrings_cite_the_odd_not_a_missing_document():
    citing = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if "DESIGN §" in path.read_text(encoding="utf-8")
    ]
    assert citing == []
