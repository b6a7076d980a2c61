"""Readers: connections to a published version (or an empty database) that queries run on.

A query runs on a cursor of its reader that already holds the macros. A login tied to one district
reads through temporary views of the same names as the tables, narrowed to that district; a store
whose problems lack the folded history columns reads them through a view that folds them.
"""

from __future__ import annotations

import contextlib
import re
import threading
import weakref
from pathlib import Path

import duckdb
import pandas as pd

from cockpit.store.queries import (_COMMENT_OR_STRING, CONFIG, QueryError, _macros_sql, connect_memory, load_sql, params_of,
                                   statements)


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with bound parameters on its own cursor; return a DataFrame."""
    sql = load_sql(name)
    wanted = params_of(sql)
    if set(params) != wanted:
        missing, unknown = sorted(wanted - set(params)), sorted(set(params) - wanted)
        raise QueryError(f"query {name}: missing parameters {missing}, unknown parameters {unknown}")
    with _macro_cursor(con) as cur:
        return cur.execute(sql, params).df()


# Cursors that already hold the macros, per connection. Defining the macros takes 20-50 ms, longer
# than most queries, and a page runs ten queries (docs/PERFORMANCE.md). A cursor serves one query at
# a time, so a query borrows one and gives it back; the pool goes when its connection is collected.
_macro_cursors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_macro_cursors_lock = threading.Lock()


@contextlib.contextmanager
def _macro_cursor(con: duckdb.DuckDBPyConnection):
    with _macro_cursors_lock:
        free = _macro_cursors.setdefault(con, [])
        cur = free.pop() if free else None
    if cur is None:
        cur = con.cursor()
        if con in _district_of:
            _scope_to_district(cur, _district_of[con])
        _fold_history_unless_stored(cur, trust_stored=con in _published_readers, district=_district_of.get(con))
        _no_default_spots_unless_stored(cur)
        _no_rank_line_unless_stored(cur)
        _empty_tables_unless_stored(cur)
        cur.execute(_macros_sql())
    try:
        yield cur
    except BaseException:
        cur.close()  # not lent again: a failed query may leave it in an unknown state
        raise
    with _macro_cursors_lock:
        _macro_cursors.setdefault(con, []).append(cur)


# What a login tied to one district may read: each table, narrowed (SQL over the scoped views
# made before it). Materials, surveys, units and the import log are the city's and stay whole.
DISTRICT_SCOPE = {
    "problems": "district = {district}",
    "points": "district = {district}",
    # the ledger's own table: the view named problems may fold this history (_fold_history_unless_stored)
    "problem_history": "problem_id in (select problem_id from {ledger} where district = {district})",
    "inspections": "point_id in (select point_id from points)",
    # the meeting loop: items, re-checks and talks of the district's problems and units
    "assignments": "problem_id in (select problem_id from {ledger} where district = {district}) "
                   "or (problem_id is null and unit_name in (select unit_name from {ledger} where district = {district}))",
    "rechecks": "problem_id in (select problem_id from {ledger} where district = {district})",
    "talks": "unit_name in (select unit_name from {ledger} where district = {district})",
}


def open_reader(path: Path | None, district: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a published file (never written again), or an empty database.

    With a district, the connection sees only that district: temporary views of the same names
    shadow the tables, so every query and macro reads the narrowed data without knowing it.
    """
    con = connect_memory() if path is None else duckdb.connect(str(path), read_only=True, config=CONFIG)
    if path is not None and district is None:
        _published_readers.add(con)
    if district is not None:
        _district_of[con] = district  # temporary views belong to one connection: each cursor makes its own
        _scope_to_district(con, district)
    return con


_district_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _scope_to_district(con: duckdb.DuckDBPyConnection, district: str) -> None:
    stored = {name for (name,) in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database()").fetchall()}
    for table, condition in DISTRICT_SCOPE.items():
        if table not in stored:  # a store made before the table existed reads it as empty (_empty_tables_unless_stored)
            continue
        con.execute(f"create or replace temp view {table} as select * from {_main_table(con, table)} "
                    f"where {_district_condition(con, condition, district)}")


def _main_table(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The stored table itself, past any temporary view of the same name."""
    catalog = con.execute("select current_database()").fetchone()[0].replace('"', '""')
    return f'"{catalog}".main.{table}'


def _district_condition(con: duckdb.DuckDBPyConnection, condition: str, district: str) -> str:
    literal = "'" + district.replace("'", "''") + "'"  # a view cannot take a bound parameter
    return condition.format(district=literal, ledger=_main_table(con, "problems"))


# write/derive.sql keeps the import history folded per problem in the problem's own row (the
# FOLD_COLUMNS) at each import. Only a published file, which is never written again, is sure to hold
# them as its data stands. Elsewhere a temporary view named problems shadows the table with the same
# fold (the macros of queries/macros/history_fold.sql) made on each query: a store published before
# the columns existed, a writable or empty database (its rows may have changed since the last
# derive), and a district login (its fold and map positions must come from its scoped views).
FOLD_COLUMNS = ("map_lat", "map_lng", "status_seen", "was_returned", "was_reported_done", "last_changed_on")
_published_readers: weakref.WeakSet = weakref.WeakSet()


def _fold_history_unless_stored(cur: duckdb.DuckDBPyConnection, trust_stored: bool,
                                district: str | None = None) -> None:
    ledger = _main_table(cur, "problems")
    stored = [c for (c,) in cur.execute(
        "select column_name from duckdb_columns() where database_name = current_database() "
        "and schema_name = 'main' and table_name = 'problems'").fetchall() if c in FOLD_COLUMNS]
    if trust_stored and len(stored) == len(FOLD_COLUMNS):
        return
    if district is not None:
        ledger = (f"(select * from {ledger} "
                  f"where {_district_condition(cur, DISTRICT_SCOPE['problems'], district)})")
    cur.execute(load_sql("macros/history_fold"))  # the view is bound when made: before the other macros
    kept = f"ledger.* exclude ({', '.join(stored)})" if stored else "ledger.*"
    cur.execute(f"create or replace temp view problems as select {kept}, "
                "map_lat_of(ledger.lat, ledger.point_id) as map_lat, map_lng_of(ledger.lng, ledger.point_id) as map_lng, "
                "seen.status_seen, seen.was_returned, seen.was_reported_done, seen.last_changed_on "
                f"from {ledger} as ledger left join ("
                "select problem_id, unnest(history_fold(status, export_on, import_id, return_count)) "
                "from problem_history group by problem_id) as seen using (problem_id)")


def _no_default_spots_unless_stored(cur: duckdb.DuckDBPyConnection) -> None:
    """A store published before write/derive.sql kept default_spots reads as having none (until its
    next import derives them)."""
    stored = cur.execute("select count(*) from duckdb_tables() where database_name = current_database() "
                         "and schema_name = 'main' and table_name = 'default_spots'").fetchone()[0]
    if not stored:
        cur.execute("create or replace temp view default_spots as select null::double as lat, null::double as lng, "
                    "null::integer as count_problems, null::boolean as is_excluded where false")


def _no_rank_line_unless_stored(cur: duckdb.DuckDBPyConnection) -> None:
    """A store whose results were kept before the rank line (目标名次分数线) reads it as unknown, until
    its next import adds the column (schema.sql)."""
    columns = {name for (name,) in cur.execute(
        "select column_name from duckdb_columns() where database_name = current_database() "
        "and schema_name = 'main' and table_name = 'results'").fetchall()}
    if columns and "rank_line" not in columns:
        cur.execute(f"create or replace temp view results as select *, null::double as rank_line "
                    f"from {_main_table(cur, 'results')}")


_CREATE_TABLE = re.compile(r"create table if not exists (\w+)")


def _empty_tables_unless_stored(cur: duckdb.DuckDBPyConnection) -> None:
    """A store published before a table of schema.sql existed (the meeting loop's, say) reads it as
    empty, until the next import or staff write creates it: the macros and queries can name it."""
    known = {name for (name,) in cur.execute(
        "select table_name from duckdb_tables() where database_name in (current_database(), 'temp') "
        "union select view_name from duckdb_views() where not internal").fetchall()}
    for statement in statements(load_sql("schema")):
        found = _CREATE_TABLE.search(_COMMENT_OR_STRING.sub(" ", statement))
        if found and found.group(1) not in known:
            cur.execute(statement.replace("create table if not exists", "create temp table if not exists", 1))
