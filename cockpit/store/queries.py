"""Named SQL files (queries/*.sql) run with bound parameters: a statement file on a connection's own
transaction, and the shared macros (queries/macros/) that every query on a reader may use.

The readers that queries run on are cockpit/store/readers.py; the store folder, cockpit/store/versions.py.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from cockpit.settings import PROJECT_DIR

QUERIES_DIR = PROJECT_DIR / "queries"
# Extensions cannot be downloaded on an intranet: fail fast rather than try.
CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT_OR_STRING = re.compile(r"--[^\n]*|'(?:[^']|'')*'")


class QueryError(ValueError):
    """A query called with the wrong parameters, or a query file that does not exist."""


# ---- SQL files -------------------------------------------------------------------------------

def load_sql(name: str) -> str:
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query named {name!r} ({path})")
    return path.read_text(encoding="utf-8")


def params_of(sql: str) -> set[str]:
    """The $names a SQL text uses, outside comments and string literals."""
    return set(_PARAM.findall(_COMMENT_OR_STRING.sub(" ", sql)))


_MACRO = re.compile(r"create\s+or\s+replace\s+temp\s+macro\s+(\w+)\s*\(", re.IGNORECASE)
MACROS_DIR = QUERIES_DIR / "macros"


def _macro_code() -> dict[str, str]:
    """Each file of queries/macros/ (its name without .sql) with its SQL, comments and strings blanked."""
    return {path.stem: _COMMENT_OR_STRING.sub(" ", path.read_text(encoding="utf-8"))
            for path in sorted(MACROS_DIR.glob("*.sql"))}


def macro_files() -> dict[str, list[str]]:
    """Each macro file with the macros it defines, in the file's order."""
    return {file: _MACRO.findall(code) for file, code in _macro_code().items()}


def _macro_needs(code: dict[str, str]) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Where each macro is defined, and the macro files each file calls (besides itself)."""
    defined_in: dict[str, str] = {}
    for file, text in code.items():
        for name in _MACRO.findall(text):
            if name in defined_in:
                raise QueryError(f"macro {name} is defined in macros/{defined_in[name]}.sql and macros/{file}.sql")
            defined_in[name] = file
    needs = {file: _files_called(_MACRO.sub(" ", text), defined_in) - {file} for file, text in code.items()}
    return defined_in, needs


def _files_called(code: str, defined_in: dict[str, str]) -> set[str]:
    return {defined_in[name] for name in _CALL.findall(code) if name in defined_in}


_CALL = re.compile(r"\b(\w+)\s*\(")


def macro_order() -> list[str]:
    """The macro files in an order that defines every macro before a file that calls it (DuckDB binds a
    table macro's body when the macro is created); of the files ready at each step, the first by name."""
    code = _macro_code()
    _, needs = _macro_needs(code)
    order: list[str] = []
    while len(order) < len(code):
        ready = [file for file in code if file not in order and needs[file] <= set(order)]
        if not ready:
            raise QueryError(f"macro files that call each other in a circle: {sorted(set(code) - set(order))}")
        order.append(ready[0])
    return order


def macros_called_sql(sql: str) -> str:
    """The macro files a SQL text calls, with the files they call, in macro_order (empty: calls none)."""
    code = _macro_code()
    defined_in, needs = _macro_needs(code)
    wanted, todo = set(), _files_called(_COMMENT_OR_STRING.sub(" ", sql), defined_in)
    while todo:
        file = todo.pop()
        wanted.add(file)
        todo |= needs[file] - wanted
    return "\n".join((MACROS_DIR / f"{file}.sql").read_text(encoding="utf-8") for file in macro_order() if file in wanted)


def _macros_sql() -> str:
    """Shared definitions (SPEC metrics) as temporary macros, each file after the files it calls."""
    return "\n".join((MACROS_DIR / f"{file}.sql").read_text(encoding="utf-8") for file in macro_order())


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> None:
    """Run a statement file (schema, writes) on the connection itself, inside its transaction.

    DuckDB binds parameters only to the last statement of a text, so each statement runs alone
    with the parameters it names. The macros the file calls (write/derive.sql folds the history with
    macros/history_fold.sql's) are defined on the connection first.
    """
    sql = load_sql(name)
    wanted = params_of(sql)
    if set(params) != wanted:
        raise QueryError(f"statement {name}: expected parameters {sorted(wanted)}, got {sorted(params)}")
    macros = macros_called_sql(sql)
    if macros:
        con.execute(macros)
    for statement in statements(sql):
        used = params_of(statement)
        con.execute(statement, {k: v for k, v in params.items() if k in used} or None)


def run_in_transaction(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql on the connection itself, as `execute` does, and return its rows: a
    query that must see the import's open transaction and registered views (no query macros)."""
    sql = load_sql(name)
    wanted = params_of(sql)
    if set(params) != wanted:
        raise QueryError(f"query {name}: expected parameters {sorted(wanted)}, got {sorted(params)}")
    return con.execute(sql, params or None).df()


def statements(sql: str) -> list[str]:
    """Split a SQL text on the semicolons that end statements (not those in strings or comments)."""
    parts, start = [], 0
    for token in re.finditer(r"--[^\n]*|'(?:[^']|'')*'|;", sql):
        if token.group() == ";":
            parts.append(sql[start:token.start()])
            start = token.end()
    parts.append(sql[start:])
    return [p for p in parts if _COMMENT_OR_STRING.sub("", p).strip()]


def connect_memory() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the schema, for tests and for a store with no data yet."""
    con = duckdb.connect(":memory:", config=CONFIG)
    execute(con, "schema")
    return con
