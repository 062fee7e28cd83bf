"""The architecture checks that import-linter cannot express (`make lint` runs both).

- no import cycle between modules, counting imports inside functions too;
- no module over 500 lines, except the ones that are data (a catalogue, demo content);
- pure modules (ARCHITECTURE.md) import no ORM: nothing from ``django.db`` or ``django.apps``;
- an import inside a function states why, from a fixed list: ``# noqa: PLC0415 -- <reason>``.

Run it as ``python -m tools.check_architecture``; it prints every problem and exits 1 if any.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "communities", "events", "intervision", "learning", "directory", "search")
MAX_LINES = 500
# Data, not logic: long by nature and read as tables.
DATA_MODULES = {"intervision.catalogue", "events.takeaways.demo_data"}
PURE_MODULES = (
    "events.calendar.ical",
    "events.festivals.conflicts",
    "events.insights.charts",
    "events.reminders.timing",
    "events.series.recurrence",
    "events.takeaways.rules",
    "intervision.rota",
    "learning.pairing.matching",
)
ORM = ("django.db", "django.apps")
# Why an import may sit inside a function (ruff's PLC0415 is silenced with one of these):
#   startup  Django imports the module before the app registry is ready (AppConfig.ready,
#            the admin site, manage.py, processes that call django.setup() themselves);
#   slow     a heavy library only one rarely used path needs (PDF output).
REASONS = ("startup", "slow")
NOQA = re.compile(r"#\s*noqa:\s*PLC0415\s*--\s*(\w+)")


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    shown: str  # the path as reported, relative to the tree's root

    @property
    def tree(self) -> ast.Module:
        return ast.parse(self.path.read_text(), filename=str(self.path))


def modules(root: Path = ROOT) -> list[Module]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            if any("." in part for part in parts):  # gunicorn.conf.py is a config file
                continue
            found.append(Module(".".join(parts), path, str(path.relative_to(root))))
    return found


def _imports(tree: ast.Module) -> Iterator[tuple[ast.stmt, bool]]:
    """Every import statement with whether it sits inside a function."""

    def walk(body, in_function: bool):
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node, in_function
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                    yield from walk(children, inner)

    yield from walk(tree.body, False)


def _imported_names(node: ast.stmt, known: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or node.module is None:
        return []
    names = []
    for alias in node.names:
        full = f"{node.module}.{alias.name}"
        names.append(full if full in known else node.module)
    return names


def import_graph(found: list[Module]) -> dict[str, set[str]]:
    known = {module.name for module in found}
    graph: dict[str, set[str]] = {module.name: set() for module in found}
    for module in found:
        for node, _inline in _imports(module.tree):
            for name in _imported_names(node, known):
                if name in known and name != module.name:
                    graph[module.name].add(name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def oversized(found: list[Module]) -> list[str]:
    problems = []
    for module in found:
        lines = len(module.path.read_text().splitlines())
        if lines > MAX_LINES and module.name not in DATA_MODULES:
            problems.append(
                f"{module.shown}: {lines} lines; past {MAX_LINES} a module "
                "becomes a package split along its own sub-topics"
            )
    return problems


def impure(found: list[Module]) -> list[str]:
    problems = []
    for module in found:
        if not module.name.startswith(PURE_MODULES):
            continue
        for node, _inline in _imports(module.tree):
            for name in _imported_names(node, set()):
                if name.startswith(ORM):
                    problems.append(f"{module.shown}:{node.lineno}: a pure module imports {name}")
    return problems


def unexplained_inline_imports(paths: list[Path], root: Path = ROOT) -> list[str]:
    problems = []
    for path in paths:
        lines = path.read_text().splitlines()
        for node, inline in _imports(ast.parse("\n".join(lines))):
            if not inline:
                continue
            text = " ".join(lines[node.lineno - 1 : node.end_lineno])
            match = NOQA.search(text)
            if match is None or match.group(1) not in REASONS:
                problems.append(
                    f"{path.relative_to(root)}:{node.lineno}: an import inside a function needs "
                    f"`# noqa: PLC0415 -- <{'|'.join(REASONS)}>` or a place at the top"
                )
    return problems


def python_files(root: Path = ROOT) -> list[Path]:
    folders = (*APPS, "tests", "bench", "tools")
    files = [root / "manage.py"]
    for folder in folders:
        files.extend(
            path for path in sorted((root / folder).rglob("*.py")) if "migrations" not in path.parts
        )
    return files


def problems(root: Path = ROOT) -> list[str]:
    found = modules(root)
    report = [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(import_graph(found))]
    report += oversized(found)
    report += impure(found)
    report += unexplained_inline_imports(python_files(root), root)
    return report


def main() -> int:
    report = problems()
    for line in report:
        print(line)
    print(f"architecture: {len(report)} problem(s)" if report else "architecture: all checks pass")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
