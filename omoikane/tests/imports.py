"""The project's import graph, read from the source: every `import` and `from … import`, those inside
functions included, those under `if TYPE_CHECKING:` left out (they never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Not the project's code: the virtualenv, data, generated files; migrations are frozen history.
SKIPPED_DIRS = {".venv", "var", "locale", "node_modules", ".git", "migrations", "__pycache__"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module of this project
    line: int
    inside_function: bool
    # The comment on the import's line or on the line above it.
    comment: str


@dataclass
class Graph:
    modules: dict[str, Path] = field(default_factory=dict)
    imports: list[Import] = field(default_factory=list)

    def edges(self, modules: Iterable[str] | None = None) -> dict[str, set[str]]:
        wanted = set(self.modules if modules is None else modules)
        out: dict[str, set[str]] = {name: set() for name in wanted}
        for imp in self.imports:
            if imp.source in wanted:
                out[imp.source].add(imp.target)
        return out


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _python_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def read_graph() -> Graph:
    graph = Graph()
    for path in _python_files():
        graph.modules[module_name(path)] = path
    for name, path in graph.modules.items():
        graph.imports.extend(_imports_of(graph, name, path))
    return graph


def _imports_of(graph: Graph, name: str, path: Path) -> Iterator[Import]:
    source = path.read_text()
    lines = source.splitlines()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]

    def resolve(dotted: str) -> str | None:
        parts = dotted.split(".")
        while parts and ".".join(parts) not in graph.modules:
            parts.pop()
        found = ".".join(parts)
        return found if parts and found != name else None

    def comment_near(line: int) -> str:
        """The comment on the import's line, or above it: a comment over a run of imports covers them all."""
        here = lines[line - 1]
        if "#" in here:
            return here.split("#", 1)[1].strip()
        above = line - 2
        while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
            above -= 1
        text = lines[above].strip() if above >= 0 else ""
        return text[1:].strip() if text.startswith("#") else ""

    def visit(node: ast.AST, in_function: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    yield from visit_one(other, in_function)
                continue
            yield from visit_one(child, in_function)

    def visit_one(child: ast.AST, in_function: bool) -> Iterator[Import]:
        targets: list[str] = []
        if isinstance(child, ast.Import):
            targets = [alias.name for alias in child.names]
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                anchor = package[: len(package) - (child.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in child.names]
        seen: set[str] = set()
        for dotted in targets:
            target = resolve(dotted)
            if target is not None and target not in seen:
                seen.add(target)
                line = getattr(child, "lineno", 0)
                yield Import(name, target, line, in_function, comment_near(line))
        inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from visit(child, inside)

    yield from visit(ast.parse(source), False)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
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
    return found
