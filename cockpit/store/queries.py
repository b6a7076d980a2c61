"""The one module that talks to DuckDB: named SQL files, bound parameters, and the versioned store.

The store is a folder holding immutable database files and a pointer, CURRENT, naming the live one.
An import copies the live file to a new one, writes there, and only then moves the pointer, so a
reader never sees half an import and a failed import leaves the live file untouched
(research/tech-pitfalls.md §3.2, pattern B: DuckDB allows one writing process or many readers).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import tempfile
import threading
import time
import weakref
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.settings import PROJECT_DIR

QUERIES_DIR = PROJECT_DIR / "queries"
DEFAULT_DB_DIR = PROJECT_DIR / "data"
POINTER = "CURRENT"
KEEP_VERSIONS = 5  # the default of settings import.keep_versions
PARENT_SUFFIX = ".parent"  # beside each version: the name of the version it was copied from
# Extensions cannot be downloaded on an intranet: fail fast rather than try.
CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT_OR_STRING = re.compile(r"--[^\n]*|'(?:[^']|'')*'")


class QueryError(ValueError):
    """A query called with the wrong parameters, or a query file that does not exist."""


class ImportBusy(RuntimeError):
    """Another import holds the store."""


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
        _empty_tables_unless_stored(cur)
        cur.execute(_macros_sql())
    try:
        yield cur
    except BaseException:
        cur.close()  # not lent again: a failed query may leave it in an unknown state
        raise
    with _macro_cursors_lock:
        _macro_cursors.setdefault(con, []).append(cur)


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


def register_frame(con: duckdb.DuckDBPyConnection, view_name: str, frame: pd.DataFrame) -> pa.Table:
    """Expose a DataFrame to SQL as a view (the importer's parsed rows), through Arrow: DuckDB scans
    Arrow natively, while a DataFrame's text and date columns are Python objects it reads one by one,
    on every statement that reads the view. Returns the Arrow table the view reads."""
    rows = pa.Table.from_pandas(frame, preserve_index=False)
    con.register(view_name, rows)
    return rows


def register_new_rows(con: duckdb.DuckDBPyConnection, view_name: str, rows: pa.Table, table: str, key: str) -> None:
    """Expose the rows whose key the table does not hold yet as a view of their own, read from Arrow.

    An insert that reads a join (`anti join table`) is held in memory and compressed into the
    database file at the next checkpoint, on one thread; an insert that reads Arrow is compressed
    and written as it goes, on every core (half a second less for the benchmark's 525,817 new
    problems, docs/PERFORMANCE.md). The table and key are the importer's own names, never input.
    """
    con.register("_rows_to_check", rows)
    try:
        held = con.sql(f"select {key} from _rows_to_check semi join {table} using ({key})").to_arrow_table()
    finally:
        con.unregister("_rows_to_check")
    new = rows.filter(pc.invert(pc.is_in(rows[key], value_set=held[key].combine_chunks()))) if held.num_rows else rows
    con.register(view_name, new)


_compute = None
_compute_lock = threading.Lock()


def _close_compute() -> None:
    """Close the in-memory connection while the interpreter still runs: a DuckDB object left alive
    until interpreter exit is reported by duckdb's bindings (nanobind) as a leak, a screen of
    harmless warnings after every test run and server stop."""
    global _compute
    with _compute_lock:
        if _compute is not None:
            _compute.close()
            _compute = None


atexit.register(_close_compute)


def compute(sql: str, params: dict, **tables: pa.Table) -> pa.Table:
    """A query over Arrow tables (by the names given) on the process's one in-memory DuckDB: column
    work such as the importer's parsing, away from any store. One thread per query: the importer
    runs several at once, and connecting anew cost about 20 ms a call."""
    global _compute
    with _compute_lock:
        _compute = _compute or duckdb.connect(":memory:", config={**CONFIG, "threads": 1})
        cursor = _compute.cursor()  # one per call: a cursor may be used from its own thread only
    try:
        for name, table in tables.items():
            cursor.register(name, table)
        return cursor.sql(sql, params=params).to_arrow_table()
    finally:
        cursor.close()


def read_csv_cells(path: Path, columns: int, *, ragged: bool):
    """Every cell of a UTF-8 CSV file as text, in file order: an Arrow table of `columns` columns.

    DuckDB's reader in strict mode, with nothing detected: it raises (duckdb.Error) on anything it
    would read differently from Python's csv module: a quote in an unquoted field, text after a
    closing quote, mixed line ends, a row with more cells than `columns`, and (with ragged) quoted
    line breaks. ragged=False: every row must have exactly `columns` cells; ragged=True: shorter rows
    are padded with NULL, and an empty cell is '' (nullstr is a byte the caller made sure is absent).
    It skips blank lines, which the csv module keeps as rows: the caller must refuse those files first.
    DuckDB reads a path as a glob pattern (x[1].csv would read x1.csv): a path holding a glob
    character is refused.
    """
    if has_glob_characters(path):
        raise ValueError(f"DuckDB would read {path} as a glob pattern")
    names = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(columns))
    sql = (f"select * from read_csv($path, columns = {{{names}}}, header = false, auto_detect = false, "
           f"delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
           f"null_padding = {str(ragged).lower()}, nullstr = '\x01')")
    con = duckdb.connect(":memory:", config=CONFIG)
    try:
        return con.sql(sql, params={"path": str(path)}).to_arrow_table()
    finally:
        con.close()


def has_glob_characters(path: Path) -> bool:
    return any(c in str(path) for c in "*?[]{}")


def connect_memory() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the schema, for tests and for a store with no data yet."""
    con = duckdb.connect(":memory:", config=CONFIG)
    execute(con, "schema")
    return con


# ---- the versioned store ---------------------------------------------------------------------

def db_dir(override: str | os.PathLike | None = None) -> Path:
    """--db, else COCKPIT_DB, else data/."""
    return Path(override or os.environ.get("COCKPIT_DB") or DEFAULT_DB_DIR)


def current_file(directory: Path) -> Path | None:
    """The live database file, or None when nothing was imported yet."""
    try:
        name = (directory / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = directory / name
    return path if name and path.is_file() else None


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
# fold made on each query: a store published before the columns existed, a writable or empty
# database (its rows may have changed since the last derive), and a district login (its fold and map
# positions must come from its scoped views).
FOLD_COLUMNS = ("map_lat", "map_lng", "status_seen", "was_returned", "was_reported_done", "last_changed_on")
_FOLD_MARKERS = ("-- fold:begin", "-- fold:end")
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
    derive = load_sql("write/derive")
    begin, end = (derive.index(marker) for marker in _FOLD_MARKERS)
    fold = derive[begin + len(_FOLD_MARKERS[0]):end]
    if "from problems as ledger" not in fold:
        raise QueryError("write/derive.sql: the fold must read `from problems as ledger`")
    fold = fold.replace("from problems as ledger", f"from {ledger} as ledger")
    kept = f"ledger.* exclude ({', '.join(stored)})" if stored else "ledger.*"
    cur.execute(f"create or replace temp view problems as select {kept}, {', '.join(f'fold.{c}' for c in FOLD_COLUMNS)} "
                f"from {ledger} as ledger left join ({fold}) as fold using (problem_id)")


def _no_default_spots_unless_stored(cur: duckdb.DuckDBPyConnection) -> None:
    """A store published before write/derive.sql kept default_spots reads as having none (until its
    next import derives them)."""
    stored = cur.execute("select count(*) from duckdb_tables() where database_name = current_database() "
                         "and schema_name = 'main' and table_name = 'default_spots'").fetchone()[0]
    if not stored:
        cur.execute("create or replace temp view default_spots as select null::double as lat, null::double as lng, "
                    "null::integer as count_problems, null::boolean as is_excluded where false")


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


def versions(directory: Path) -> list[Path]:
    """Published and unpublished database files, oldest first."""
    return sorted(directory.glob("cockpit-*.duckdb"))


@contextlib.contextmanager
def import_lock(directory: Path, wait_seconds: float = 0):
    """One import at a time across processes; a second one waits, then is refused."""
    directory.mkdir(parents=True, exist_ok=True)
    handle = open(directory / "import.lock", "a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise ImportBusy("另一个导入正在进行，请等它完成后再试")
            time.sleep(0.2)
        yield
    finally:
        handle.close()  # closing releases the lock


def _try_lock(handle) -> bool:
    try:
        import fcntl
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # Windows
        import msvcrt
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
    except OSError:
        return False
    return True


BUILDING_PREFIX = "building-"  # a version being written: never read, never counted as a version


@contextlib.contextmanager
def new_version(directory: Path, keep_versions: int = KEEP_VERSIONS):
    """A writable copy of the live database; published on success, deleted on any failure.

    The caller must hold import_lock. Yields (connection, path): the copy is written under a
    building- name and takes the path's name only when complete, so a process killed half way leaves
    no file that looks like a version (the next import clears it). The copy remembers which version
    it was made from (its parent), so the import can be undone by publishing the parent again.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob(f"{BUILDING_PREFIX}*"):  # from a killed import: the lock is ours now
        leftover.unlink(missing_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = directory / f"cockpit-{stamp}.duckdb"
    building = directory / f"{BUILDING_PREFIX}{path.name}"
    live = current_file(directory)
    if live is not None:
        try:
            shutil.copyfile(live, building)
        except BaseException:  # disk full half way: leave no partial copy behind
            _remove_version(building)
            raise
    con = duckdb.connect(str(building), config=CONFIG)
    try:
        execute(con, "schema")
        yield con, path
        con.execute("checkpoint")
        con.close()
        os.replace(building, path)
        if live is not None:
            _parent_note(path).write_text(live.name, encoding="utf-8")
    except BaseException:
        con.close()
        _remove_version(building)
        _remove_version(path)
        raise
    publish(directory, path, keep_versions)


def _parent_note(path: Path) -> Path:
    return Path(f"{path}{PARENT_SUFFIX}")


def parent_version(path: Path | None) -> Path | None:
    """The version a published file was copied from (the data before its import), if still kept."""
    if path is None:
        return None
    try:
        name = _parent_note(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    parent = path.parent / name
    return parent if name and parent.is_file() else None


def _remove_version(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal"), _parent_note(path)):
        leftover.unlink(missing_ok=True)


def publish(directory: Path, path: Path, keep_versions: int = KEEP_VERSIONS) -> None:
    """Point CURRENT at path atomically, then drop the oldest versions."""
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False, encoding="utf-8") as tmp:
        tmp.write(path.name)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, directory / POINTER)
    prune(directory, keep_versions)


def prune(directory: Path, keep_versions: int = KEEP_VERSIONS) -> None:
    """Keep the newest versions, and always the live one and the one its undo would go back to."""
    live = current_file(directory)
    needed = {live, parent_version(live)}
    for old in versions(directory)[:-keep_versions]:
        if old in needed:
            continue
        with contextlib.suppress(OSError):  # still open on Windows: try again next time
            _remove_version(old)
