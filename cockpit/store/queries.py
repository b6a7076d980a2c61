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


def _macros_sql() -> str:
    """Shared definitions (SPEC metrics) as temporary table macros, one file each."""
    files = sorted((QUERIES_DIR / "macros").glob("*.sql"))
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> None:
    """Run a statement file (schema, writes) on the connection itself, inside its transaction.

    DuckDB binds parameters only to the last statement of a text, so each statement runs alone
    with the parameters it names. Statement files do not use the query macros.
    """
    sql = load_sql(name)
    wanted = params_of(sql)
    if set(params) != wanted:
        raise QueryError(f"statement {name}: expected parameters {sorted(wanted)}, got {sorted(params)}")
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
