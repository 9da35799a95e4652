"""Rules of the house that code review would otherwise have to catch (issue 12)."""

from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQL = re.compile(r"\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|\.execute\(")


# The catalog's modules: the only ones that hold a connection to the catalog or run its SQL
# (the statements shared by both engines, and each engine's seam).
CATALOG_MODULES = {ROOT / "ingest" / "store" / name
                   for name in ("catalog_sql.py", "catalog_sqlite.py", "catalog_postgres.py")}


def test_sql_lives_only_in_the_catalog() -> None:
    """Every statement on the catalog is in the catalog's modules (ingest/store/catalog_sql.py
    and each engine's, catalog_sqlite.py and catalog_postgres.py) or its migrations
    (ingest/store/migrations/): a third engine has one seam to implement, not three packages
    to thread through."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("ingest", "index", "webui", "congvan")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path not in CATALOG_MODULES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL.search(line)
    ]
    assert offenders == []


def _index_imports(path: Path) -> set[str]:
    """The modules of the `index` package that `path` imports, at any depth of its code
    (an import inside a function ties two modules as much as one at the top)."""
    import ast

    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # a submodule
    return {name for name in found if name == "index" or name.startswith("index.")}


def _index_modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
            for p in sorted((ROOT / "index").rglob("*.py"))}


def test_the_index_package_has_no_import_cycle() -> None:
    """Modules that import each other cannot be read, tested or moved one at a time (the
    abbreviations and the analysis did, through an import inside a function)."""
    modules = _index_modules()
    graph = {name: sorted(_index_imports(path) & set(modules) - {name})
             for name, path in modules.items()}
    cycles = []

    def visit(name: str, trail: list[str]) -> None:
        for other in graph[name]:
            if other in trail:
                cycles.append([*trail[trail.index(other):], other])
            elif other not in done:
                visit(other, [*trail, other])
        done.add(name)

    done: set[str] = set()
    for name in graph:
        if name not in done:
            visit(name, [name])
    assert cycles == []


def _imported_libraries(path: Path) -> set[str]:
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add((node.module or "").split(".")[0])
    return found


def test_each_engine_keeps_to_its_own_subpackage() -> None:
    """Whoosh is imported only under index/whoosh/, tantivy only under index/tantivy/, and
    neither engine's modules import the other's (index.engines alone names both): loading one
    engine never loads the other."""
    offenders = []
    for name, path in _index_modules().items():
        for engine in ("whoosh", "tantivy"):
            package = f"index.{engine}"
            if name == package or name.startswith(f"{package}."):
                continue  # its own
            takes_package = name != "index.engines" and any(
                m == package or m.startswith(f"{package}.") for m in _index_imports(path))
            if takes_package or engine in _imported_libraries(path):
                offenders.append(f"{path.relative_to(ROOT)} imports {engine}")
    assert offenders == []


ENVIRONMENT = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
# A write for a library, not a setting: Tesseract's OpenMP reads it in the worker processes.
ENVIRONMENT_ALLOWED = ('os.environ["OMP_THREAD_LIMIT"] = "1"',)


def _environment_uses(path: Path) -> list[int]:
    """Lines of `path` that touch the process environment (os.environ, os.getenv, …)."""
    def touches(node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            return (node.attr in ENVIRONMENT and isinstance(node.value, ast.Name)
                    and node.value.id == "os")
        if isinstance(node, ast.ImportFrom):
            return node.module == "os" and any(alias.name in ENVIRONMENT for alias in node.names)
        return False

    return sorted(node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                  if touches(node))


def test_only_the_command_reads_the_environment() -> None:
    """Settings are built once, by the command (congvan/settings.py), and passed down as
    parameters: the three stages neither read nor write os.environ to pass a setting."""
    offenders = []
    for package in ("ingest", "index", "webui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8").splitlines()
            offenders += [f"{path.relative_to(ROOT)}:{number}: {source[number - 1].strip()}"
                          for number in _environment_uses(path)
                          if not source[number - 1].strip().startswith(ENVIRONMENT_ALLOWED)]
    assert offenders == []


def test_the_environment_rule_sees_reads_and_writes(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text('import os\nfrom os import getenv\nA = os.environ.get("X")\n'
                      'os.environ["Y"] = "1"\nB = os.getenv("Z")\nC = os.path.join("a")\n')
    assert _environment_uses(module) == [2, 3, 4, 5]


# bench/fts.py measures SQLite's own full-text search on a database of its own, not the catalog.
OWN_SQLITE = {ROOT / "bench" / "fts.py"}
PRIVATE_TO_THE_CATALOG = {"db", "_db", "transaction", "_transaction"}


def attributes_used(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every `.name` attribute access in a module's code (not its comments or
    strings)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    return [
        (token.start[0], token.string)
        for before, token in itertools.pairwise(tokens)
        if before.type == tokenize.OP and before.string == "." and token.type == tokenize.NAME
    ]


def test_nothing_outside_the_catalog_reaches_its_connection() -> None:
    """Callers ask CatalogStore's named methods: no `catalog.db`, no transaction of their own,
    no sqlite3 (issue 14's PostgreSQL catalog must be a drop-in)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: .{name}"
        for package in ("ingest", "index", "webui", "congvan", "bench", "tests")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path not in CATALOG_MODULES | OWN_SQLITE
        for number, name in attributes_used(path)
        if name in PRIVATE_TO_THE_CATALOG
    ]
    offenders += [
        f"{path.relative_to(ROOT)}:{number}: sqlite3"
        for package in ("ingest", "index", "webui", "congvan", "bench")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path not in CATALOG_MODULES | OWN_SQLITE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bimport sqlite3\b", line)
    ]
    assert offenders == []


def test_the_connection_rule_sees_a_caller_that_breaks_it(tmp_path: Path) -> None:
    caller = tmp_path / "caller.py"
    caller.write_text("# catalog.db in a comment is fine\nrows = catalog.db.execute('x')\n"
                      "with catalog.transaction() as db:\n    pass\n", encoding="utf-8")
    assert attributes_used(caller) == [(2, "db"), (2, "execute"), (3, "transaction")]


# SQL that PostgreSQL does not take, or that says the same thing in a way only SQLite knows.
NOT_PORTABLE = re.compile(
    r"\binstr\s*\(|\browid\b|\bGLOB\b|\bINSERT\s+OR\b|\bREPLACE\s+INTO\b|\bAUTOINCREMENT\b"
    r"|\bIFNULL\s*\(|\bGROUP_CONCAT\s*\(|\bstrftime\s*\(|\bjulianday\s*\(|\bdatetime\s*\(",
    re.IGNORECASE,
)
SQLITE_ONLY = re.compile(r"\bPRAGMA\b|\bsqlite_master\b|\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE)\b",
                         re.IGNORECASE)
# The functions of catalog_sqlite.py that set up SQLite's connection, transactions and checks.
SQLITE_ONLY_FUNCTIONS = {"_connect", "_enter_wal", "_begin", "_has_table", "_engine_problems"}


def sql_strings(path: Path) -> list[tuple[str, str]]:
    """(enclosing function or "", text) of every string in a module's code, docstrings left
    out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    found = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef):
            function = node.name
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings):
            found.append((function, node.value))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def portability_offences(path: Path) -> list[str]:
    is_sql = path.suffix == ".sql"
    texts = [("", path.read_text(encoding="utf-8"))] if is_sql else sql_strings(path)
    return [f"{path.name}: {function or 'module'}: {text.strip()[:60]!r}"
            for function, text in texts
            if NOT_PORTABLE.search(text)
            or (SQLITE_ONLY.search(text) and function not in SQLITE_ONLY_FUNCTIONS)]


def test_the_catalogs_sql_is_portable() -> None:
    """The migrations and the SQLite catalog's statements are what PostgreSQL also accepts;
    PRAGMAs, sqlite_master and BEGIN IMMEDIATE stay in the few functions that set SQLite up."""
    store = ROOT / "ingest" / "store"
    modules = sorted(CATALOG_MODULES) + sorted((store / "migrations").glob("*.sql"))
    assert len(modules) > 4
    assert [offence for path in modules for offence in portability_offences(path)] == []


def test_the_portability_rule_sees_sqlite_only_sql(tmp_path: Path) -> None:
    module = tmp_path / "catalog_sqlite.py"
    module.write_text(
        'def _connect(db):\n    db.execute("PRAGMA foreign_keys = ON")\n\n'
        'def search(db):\n    """No instr() here: a docstring."""\n'
        '    db.execute("SELECT id FROM documents WHERE instr(subject, ?) > 0", ("x",))\n'
        '    db.execute("INSERT OR IGNORE INTO users (username) VALUES (?)", ("a",))\n'
        '    db.execute("PRAGMA integrity_check")\n', encoding="utf-8")
    assert [offence.split(": ")[1] for offence in portability_offences(module)] == [
        "search", "search", "search"]
