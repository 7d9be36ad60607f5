"""The data layer stands on its own: importing every data module never imports textual."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

from tests.support.foundation_helpers import ROOT

PROBE = """
import importlib, pkgutil, sys
import klantbeheer.data as data
names = ['klantbeheer.data']
for info in pkgutil.walk_packages(data.__path__, 'klantbeheer.data.'):
    names.append(info.name)
for name in names:
    importlib.import_module(name)
print(len(names))
print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))
"""


def test_importing_every_data_module_never_imports_textual() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 0, done.stderr
    count, textual_modules = done.stdout.strip().splitlines()
    assert int(count) >= 15  # data, its modules and data.migrations.* were really imported
    assert textual_modules == "[]"


def test_data_sources_do_not_mention_textual_imports() -> None:
    for path in (ROOT / "data").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            assert not (stripped.startswith(("import textual", "from textual")) or "import_module(\"textual" in stripped), path


# --- issue 15: one engine seam, the data layer owns connections and errors ----------------------

ENGINE_MODULES = ("sqlite3", "psycopg2", "peewee", "playhouse", "klantbeheer.data.engines", "klantbeheer.data.models")


def imports_of(source: str) -> list[tuple[str, list[str]]]:
    """Every import in a module's source (also inside functions): (module, imported names)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def engine_imports(source: str) -> list[str]:
    """The imports of a screen-side module that reach an engine, a driver or peewee (or database_proxy)."""
    bad = []
    for module, names in imports_of(source):
        if module.startswith(ENGINE_MODULES) or "database_proxy" in names:
            bad.append(module)
        elif module == "klantbeheer.data" and {"models", "engines"} & set(names):
            bad.append(f"klantbeheer.data.{names}")
    return bad


def test_the_engine_import_rule_catches_what_tui_did_before() -> None:
    # the lines tui/commands.py, tui/live.py and five screens had before issue 15
    assert engine_imports("import sqlite3\nfrom peewee import PeeweeException\n") == ["sqlite3", "peewee"]
    assert engine_imports("def f():\n    from klantbeheer.data.models import database_proxy\n") == ["klantbeheer.data.models"]
    assert engine_imports("import psycopg2.extras\nfrom klantbeheer.data import customers\n") == ["psycopg2.extras"]


def test_tui_imports_no_engine_module_driver_or_peewee() -> None:
    offenders = {str(path.relative_to(ROOT)): engine_imports(path.read_text(encoding="utf-8"))
                 for path in (ROOT / "tui").rglob("*.py")}
    assert {path: bad for path, bad in offenders.items() if bad} == {}


def data_module_graph() -> dict[str, set[str]]:
    """data module -> the data modules it imports (anywhere in the file, also inside functions)."""
    modules = {}
    for path in (ROOT / "data").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(["klantbeheer", *parts])] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for module, names in imports_of(path.read_text(encoding="utf-8")):
            if module in modules:
                edges.add(module)
            for imported in names:  # `from klantbeheer.data import customers` imports the module klantbeheer.data.customers
                if f"{module}.{imported}" in modules:
                    edges.add(f"{module}.{imported}")
        edges.discard(name)
        # a package importing its own submodules (data.engines -> data.engines.base) is not a cycle of design
        graph[name] = {edge for edge in edges if not edge.startswith(name + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle found by a depth-first search (each reported once, from its smallest member)."""
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == path[0]:
                found.append(path[:])
            elif nxt not in path and nxt > path[0]:
                visit(nxt, path + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_the_cycle_finder_finds_the_old_db_locking_cycle() -> None:
    assert cycles({"data.db": {"data.locking"}, "data.locking": {"data.db"}}) == [["data.db", "data.locking"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles_between_data_modules() -> None:
    graph = data_module_graph()
    assert len(graph) >= 30 and "klantbeheer.data.engines.sqlite" in graph  # the scan really saw the package
    assert cycles(graph) == []


ENGINE_QUESTIONS = re.compile(r"SqliteDatabase|PostgresqlDatabase|is_sqlite|\bimport sqlite3|psycopg2|\.name\s*==\s*[\"']")


def test_the_rest_of_data_never_asks_which_engine() -> None:
    allowed = ("data/engines/", "data/search/sqlite.py", "data/search/postgres.py", "data/migrations/")
    offenders = []
    for path in (ROOT / "data").rglob("*.py"):
        relative = str(path.relative_to(ROOT))
        if relative.startswith(allowed):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ENGINE_QUESTIONS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
    assert ENGINE_QUESTIONS.search("    if isinstance(db, SqliteDatabase):")  # the check can fail


def test_migrations_carry_their_own_sql_and_call_no_code_of_today() -> None:
    for path in (ROOT / "data" / "migrations").glob("m*.py"):
        own = [module for module, _ in imports_of(path.read_text(encoding="utf-8")) if module.startswith("klantbeheer.data")]
        assert own == [], path.name


def test_bench_does_not_import_from_tests() -> None:
    for path in (ROOT / "bench").rglob("*.py"):
        used = [module for module, _ in imports_of(path.read_text(encoding="utf-8"))]
        assert not [m for m in used if m == "tests" or m.startswith("tests.")], path.name


# --- issue 27: the TUI's repeated patterns have one home each -----------------------------------


def _tui_sources() -> dict[str, str]:
    """Every tui/ module's source, by its path relative to the checkout."""
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in (ROOT / "tui").rglob("*.py")}


def modal_classes(source: str) -> list[str]:
    """The classes in a module that derive from ModalScreen directly."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(base) for base in node.bases]
            if any(base == "ModalScreen" or base.startswith("ModalScreen[") for base in bases):
                found.append(node.name)
    return found


def test_the_modal_rule_catches_a_dialog_written_the_old_way() -> None:
    assert modal_classes("class D(TranslatedBindings, ModalScreen[None]):\n    pass\n") == ["D"]
    assert modal_classes("class D(Dialog[bool]):\n    pass\n") == []


def test_every_dialog_builds_on_the_dialog_base() -> None:
    """OK, Cancel, Enter and Escape are wired once, in tui/dialogs/base.py."""
    offenders = {path: modal_classes(source) for path, source in _tui_sources().items() if path.startswith("tui/dialogs/")}
    assert {path: names for path, names in offenders.items() if names and path != "tui/dialogs/base.py"} == {}


def test_screens_reach_the_app_through_app_of_not_getattr() -> None:
    """getattr(self.app, name, default) hid typos behind defaults that never applied; app_of() is typed."""
    assert [path for path, source in _tui_sources().items() if "getattr(self.app" in source] == []


def test_a_failed_worker_is_reported_by_the_one_helper() -> None:
    """Only tui/worker_errors.py looks at WorkerState.ERROR, so every fallback notice is explain()ed and markup-free."""
    users = [path for path, source in _tui_sources().items() if "WorkerState.ERROR" in source]
    assert users == ["tui/worker_errors.py"]


def test_screens_keep_drafts_only_through_the_draft_keeper() -> None:
    """The form and the new-dossier screen share tui/draft_keeper.py (an object, not a copied debounce and worker)."""
    writers = [path for path, source in _tui_sources().items() if "drafts.keep(" in source]
    assert writers == ["tui/draft_keeper.py"]
    for screen in ("tui/screens/form/screen.py", "tui/screens/new_dossier.py"):
        assert "DraftKeeper(" in (ROOT / screen).read_text(encoding="utf-8"), screen


# --- issue 27: one home per rule: blocking (data/blocking.py) and the customer history (data/history.py) -------

BLOCK_RULE_FUNCTIONS = {"block_active", "active_block_filter", "active_block_sql", "check_block", "apply_block", "apply_unblock",
                        "_apply_block", "_apply_unblock", "refuse_blocked", "blocked_twin", "block_details", "blocked_error",
                        "twin_error", "refusal_error"}
BLOCK_FIELDS = {"blocked", "block_reason", "block_message", "blocked_until", "blocked_at", "blocked_by"}
HISTORY_WRITES = re.compile(r"CustomerEvent\s*\.\s*(create|insert\w*|bulk_create)\b|INSERT\s+INTO\s+customer_event\b", re.IGNORECASE)
BLOCK_HOLDS_SQL = re.compile(r"blocked_until\s+IS\s+NULL\s+OR|blocked_until\.is_null\(\)", re.IGNORECASE)


def _code_sources() -> dict[str, str]:
    """Every module of the program (data/, tui/, app.py, bench/, tools/), by its path relative to the checkout."""
    paths = [*(ROOT / "data").rglob("*.py"), *(ROOT / "tui").rglob("*.py"), ROOT / "app.py",
             *(ROOT / "bench").rglob("*.py"), *(ROOT / "tools").rglob("*.py")]
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in paths}


def defined_functions(source: str) -> set[str]:
    """The names of every function a module defines (also methods and nested ones)."""
    return {node.name for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def block_field_writes(source: str) -> list[str]:
    """The assignments to a block field of some object other than `self` (e.g. `customer.blocked = True`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                found += [ast.unparse(part) for part in ast.walk(target) if isinstance(part, ast.Attribute)
                          and part.attr in BLOCK_FIELDS and not (isinstance(part.value, ast.Name) and part.value.id == "self")]
    return found


def test_the_block_rule_checks_catch_the_old_copies() -> None:
    assert defined_functions("def block_active(c):\n    pass\nclass S:\n    def _apply_block(self):\n        pass\n") >= {
        "block_active", "_apply_block"}
    assert block_field_writes("customer.blocked, customer.block_reason = True, r\nself.blocked_at = x\n") == [
        "customer.blocked", "customer.block_reason"]
    assert HISTORY_WRITES.search("CustomerEvent.create(customer_id=1)") and HISTORY_WRITES.search("CustomerEvent.insert_many(rows)")
    assert HISTORY_WRITES.search('"INSERT INTO customer_event (customer_id, kind) "')
    assert BLOCK_HOLDS_SQL.search("AND (b.blocked_until IS NULL OR b.blocked_until >= ?)")
    assert BLOCK_HOLDS_SQL.search("Customer.blocked_until.is_null() | (Customer.blocked_until >= day)")


def test_only_blocking_defines_the_block_rule() -> None:
    """Block holds today, check, block/unblock, refuse a blocked owner or twin, the notice's data: data/blocking.py only."""
    offenders = {path: sorted(defined_functions(source) & BLOCK_RULE_FUNCTIONS) for path, source in _code_sources().items()}
    assert {path: names for path, names in offenders.items() if names and path != "data/blocking.py"} == {}
    assert defined_functions((ROOT / "data" / "blocking.py").read_text(encoding="utf-8")) >= BLOCK_RULE_FUNCTIONS - {
        "_apply_block", "_apply_unblock"}


def test_only_blocking_sets_a_customers_block() -> None:
    """The form, the command line and the import block through blocking.apply_block / apply_unblock; an import's
    undo (data/transfer/import_undo.py) puts the block back exactly as it was before the import."""
    writers = sorted(path for path, source in _code_sources().items() if block_field_writes(source))
    assert writers == ["data/blocking.py", "data/transfer/import_undo.py"]


def test_the_block_holds_today_is_spelt_only_in_blocking_and_the_migrations() -> None:
    """The Python and search SQL copies are blocking.py's; the triggers of data/migrations/ mirror it (named in its docstring)."""
    spelt = sorted(path for path, source in _code_sources().items()
                   if BLOCK_HOLDS_SQL.search(source) and not path.startswith("data/migrations/"))
    assert spelt == ["data/blocking.py"]
    docstring = ast.get_docstring(ast.parse((ROOT / "data" / "blocking.py").read_text(encoding="utf-8"))) or ""
    for name in ("m0007", "m0015", "m0016", "data/triggers.py", "dossier_owner_not_blocked", "dossier_owner_guard"):
        assert name in docstring, name


def test_only_history_writes_customer_history() -> None:
    """data/history.py is the one writer of customer_event (the migrations' frozen SQL aside)."""
    writers = sorted(path for path, source in _code_sources().items()
                     if HISTORY_WRITES.search(source) and not path.startswith("data/migrations/"))
    assert writers == ["data/history.py"]


def test_twins_and_block_state_are_gone_and_nothing_imports_them() -> None:
    assert not (ROOT / "data" / "twins.py").exists() and not (ROOT / "data" / "block_state.py").exists()
    tests = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("*.py")}
    offenders = []
    for path, source in {**_code_sources(), **tests}.items():
        for module, names in imports_of(source):
            gone = {"klantbeheer.data.twins", "klantbeheer.data.block_state"}
            if module in gone or {f"{module}.{name}" for name in names} & gone:
                offenders.append(path)
    assert offenders == []


def rule_imports_not_from_blocking(source: str) -> list[str]:
    """The modules a source takes a block rule function from, other than data/blocking.py."""
    return [module for module, names in imports_of(source)
            if module != "klantbeheer.data.blocking" and set(names) & BLOCK_RULE_FUNCTIONS]


def test_screens_take_the_block_rule_from_blocking() -> None:
    """No screen imports refuse_blocked or the notice's builders from dossiers or customers (they are blocking.py's)."""
    assert rule_imports_not_from_blocking("from klantbeheer.data.dossiers import refuse_blocked\n") == ["klantbeheer.data.dossiers"]
    offenders = {path: found for path, source in _tui_sources().items() if (found := rule_imports_not_from_blocking(source))}
    assert offenders == {}


def test_blocking_registers_the_database_refusal_builder() -> None:
    from klantbeheer.data import blocking, session

    assert session._refusal_errors == [blocking.refusal_error]


# --- issue 27: one command-line package, app.py a router ---------------------------------------


def cli_imports(source: str) -> list[str]:
    """The imports of a module that reach the command-line package."""
    return [module for module, names in imports_of(source)
            if module.startswith("klantbeheer.data.cli") or (module == "klantbeheer.data" and "cli" in names)]


def test_the_cli_import_rule_catches_what_the_screens_did_before() -> None:
    # tui/screens/form/history.py and tui/dialogs/list_history.py before issue 27 (the module names of then, and of now)
    assert cli_imports("from klantbeheer.data.cli_format import owner_then\n") == ["klantbeheer.data.cli_format"]
    assert cli_imports("from klantbeheer.data.cli.lists import history_text\n") == ["klantbeheer.data.cli.lists"]
    assert cli_imports("from klantbeheer.data import cli\n") == ["klantbeheer.data"]


def test_no_screen_imports_the_command_line() -> None:
    offenders = {path: cli_imports(source) for path, source in _tui_sources().items()}
    assert {path: bad for path, bad in offenders.items() if bad} == {}


def test_the_command_line_lives_in_one_package() -> None:
    """No cli_*.py or argparse_nl.py beside the domain modules; the progress bar is the CLI's."""
    flat = sorted(path.name for path in (ROOT / "data").glob("*.py") if path.name.startswith("cli_") or path.name == "argparse_nl.py")
    assert flat == []
    assert "progress_bar" not in (ROOT / "data" / "progress.py").read_text(encoding="utf-8")
    assert "import klantbeheer.data.cli_" not in "".join(_tui_sources().values())


def test_app_py_is_a_short_router() -> None:
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 120
    assert "add_argument(" not in source and "add_parser(" not in source  # the parser is data/cli/parser.py
    assert "elif args.command ==" not in source  # the command table is data/cli/commands.py


def test_every_command_has_one_handler() -> None:
    """The parser's commands are the command table's, with `init` (before a database exists) and `serve` (app.py)."""
    import argparse

    from klantbeheer.data.cli.commands import COMMANDS
    from klantbeheer.data.cli.parser import build_parser

    commands = next(action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction))
    assert set(commands.choices) == {*COMMANDS, "init", "serve"}
