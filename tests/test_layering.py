"""The house's import plan, checked on the code (issue 12): the stages depend one way, the
command sits on top, nothing imports the benchmarks but the command's `generate`, and no
modules import each other in a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "index", "webui", "congvan", "bench")
# What each package may import of the others (its own modules aside).
ALLOWED = {
    "ingest": set(),
    "index": {"ingest"},
    "webui": {"ingest", "index"},
    "congvan": {"ingest", "index", "webui", "bench"},
    "bench": {"ingest", "index", "webui", "congvan"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for package in PACKAGES
            for path in sorted((ROOT / package).rglob("*.py"))}


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every module of the house that `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {target for target in _imports(name, path)
                       if target in modules and target != name}
    return graph


def test_packages_depend_one_way() -> None:
    wrong = sorted(
        f"{source} imports {target}"
        for source, targets in _graph().items()
        for target in targets
        if (a := source.split(".")[0]) != (b := target.split(".")[0]) and b not in ALLOWED[a]
    )
    assert wrong == []


def test_only_the_generate_command_imports_the_benchmarks() -> None:
    users = sorted(source for source, targets in _graph().items()
                   if not source.startswith("bench")
                   and any(target.startswith("bench") for target in targets))
    assert users == ["congvan.generate"]


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected parts of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _without_package_faces(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's __init__ hands its modules' names on; `from pkg import name` reaching the
    face is not a circle of the modules themselves."""
    faces = {name for name, path in _modules().items() if path.name == "__init__.py"}
    return {source: targets - faces for source, targets in graph.items() if source not in faces}


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert _circles(_without_package_faces(_graph())) == []


@pytest.mark.parametrize("graph, circles", [
    ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_the_circle_finder(graph: dict[str, set[str]], circles: list[list[str]]) -> None:
    assert _circles(graph) == circles


def test_the_house_folds_accents_one_way() -> None:
    """The extractor and both search engines match on one fold (ingest.folding)."""
    import unicodedata

    from index.accents import fold_text
    from ingest.folding import _fold_char, fold

    assert fold_text is fold
    sample = "Đồng Tháp ĐỒNG THÁP Ðồng ủy ban Nghị định 30/2020/NĐ-CP\u00a0Æsir Øre ſ İ"
    assert fold(sample) == "".join(_fold_char(c) for c in unicodedata.normalize("NFC", sample))
    assert fold(sample).startswith("dong thap dong thap dong uy ban nghi dinh 30/2020/nd-cp ")
