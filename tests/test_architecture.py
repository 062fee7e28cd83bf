"""The architecture holds (ARCHITECTURE.md): import-linter's contracts and the checks it cannot
express, each shown to catch what it is there to catch."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import check_architecture as arch

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    """A copy of the code and its configuration, to break on purpose."""
    copy = tmp_path_factory.mktemp("tree")
    for app in arch.APPS:
        shutil.copytree(ROOT / app, copy / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "Contracts: 7 kept, 0 broken." in result.stdout


def test_an_upward_import_breaks_the_layers(tree_copy):
    selectors = tree_copy / "communities" / "selectors.py"
    original = selectors.read_text()
    selectors.write_text(original + "\nfrom events.models import Session  # noqa: E402, F401\n")
    try:
        result = lint_imports(tree_copy)
    finally:
        selectors.write_text(original)
    assert result.returncode == 1
    assert "Apps are layered" in result.stdout
    assert "BROKEN" in result.stdout
    assert "communities.selectors -> events.models" in result.stdout


def test_knowledge_importing_the_search_breaks_the_layers(tree_copy):
    """The global search sits above knowledge (it reads questions and experts), never below."""
    knowledge = tree_copy / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("__pycache__"))
    (knowledge / "uses_search.py").write_text(
        "from search.selectors import search_everything  # noqa: F401\n"
    )
    try:
        result = lint_imports(tree_copy)
    finally:
        shutil.rmtree(knowledge)
    assert result.returncode == 1
    assert "knowledge.uses_search -> search.selectors" in result.stdout


def test_a_selector_importing_a_service_breaks_its_contract(tree_copy):
    selectors = tree_copy / "events" / "sessions" / "selectors.py"
    original = selectors.read_text()
    selectors.write_text(
        original + "\nfrom events.sessions.services.rsvp import rsvp_set  # noqa: E402, F401\n"
    )
    try:
        result = lint_imports(tree_copy)
    finally:
        selectors.write_text(original)
    assert result.returncode == 1
    assert "Selectors read: they never import services BROKEN" in result.stdout


def test_the_code_passes_the_other_architecture_checks():
    assert arch.problems() == []


def test_a_cycle_is_found_also_through_an_import_inside_a_function():
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}
    assert arch.cycles(graph) == [["a.x", "a.y", "a.z"]]
    assert arch.cycles({"a.x": {"a.y"}, "a.y": set()}) == []


def test_the_import_graph_counts_imports_inside_functions(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "__init__.py").write_text("")
    (tmp_path / "config" / "one.py").write_text("def f():\n    from config.two import g\n")
    (tmp_path / "config" / "two.py").write_text("from config.one import f\n\ndef g():\n    pass\n")
    found = arch.modules(tmp_path)
    assert arch.cycles(arch.import_graph(found)) == [["config.one", "config.two"]]


def test_long_modules_impure_modules_and_unexplained_inline_imports_are_reported(tmp_path):
    events = tmp_path / "events" / "series"
    events.mkdir(parents=True)
    (tmp_path / "events" / "__init__.py").write_text("")
    (events / "__init__.py").write_text("")
    (events / "recurrence.py").write_text("from django.db.models import TextChoices\n")
    (events / "services.py").write_text("x = 1\n" * 501)
    (events / "views.py").write_text(
        "def a():\n    import json\n\n\ndef b():\n    import csv  # noqa: PLC0415 -- startup\n"
    )
    found = arch.modules(tmp_path)
    assert arch.impure(found) == [
        "events/series/recurrence.py:1: a pure module imports django.db.models"
    ]
    assert [line.split(":")[0] for line in arch.oversized(found)] == ["events/series/services.py"]
    assert [
        line.split(":")[:2]
        for line in arch.unexplained_inline_imports([events / "views.py"], tmp_path)
    ] == [["events/series/views.py", "2"]]
