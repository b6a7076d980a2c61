"""The tree shows the architecture: only the store imports duckdb, only the web side imports streamlit,
no module grows past what one reader keeps in mind, and a SQL name finds the one thing it names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cockpit.settings import PROJECT_DIR
from cockpit.store import queries

COCKPIT = PROJECT_DIR / "cockpit"
MAX_LINES = 700


def _modules() -> list[Path]:
    return sorted(COCKPIT.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Top-level package names a file imports, at any depth of the file (imports inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def _importers(package: str) -> set[str]:
    files = [*_modules(), PROJECT_DIR / "dashboard.py", *sorted((PROJECT_DIR / "pages").glob("*.py"))]
    return {str(f.relative_to(PROJECT_DIR)) for f in files if package in _imports(f)}


def test_only_the_store_imports_duckdb():
    assert _importers("duckdb")
    assert {f for f in _importers("duckdb") if not f.startswith("cockpit/store/")} == set()


def test_only_the_web_package_the_pages_and_the_frame_import_streamlit():
    allowed = ("cockpit/web/", "pages/", "dashboard.py")
    assert _importers("streamlit")
    assert {f for f in _importers("streamlit") if not f.startswith(allowed)} == set()


def test_no_module_is_over_700_lines():
    lengths = {str(p.relative_to(PROJECT_DIR)): p.read_text(encoding="utf-8").count("\n") for p in _modules()}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


def test_every_date_box_and_date_column_writes_dates_one_way():
    """A date box left to Streamlit writes 2026/11/08 beside tables that write 2026-11-08."""
    loose = []
    for path in [*sorted((PROJECT_DIR / "pages").glob("*.py")), *_modules()]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("date_input", "DateColumn", "DatetimeColumn")):
                given = next((k.value for k in node.keywords if k.arg == "format"), None)
                if not (isinstance(given, (ast.Attribute, ast.Name)) and ast.unparse(given).endswith(("DATE_FORMAT", "DATETIME_FORMAT"))):
                    loose.append(f"{path.name}:{node.lineno}")
    assert loose == []


def test_the_sidebar_sections_hold_every_page_once():
    tree = ast.parse((PROJECT_DIR / "dashboard.py").read_text(encoding="utf-8"))
    assigned = {node.targets[0].id: node.value for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}
    pages = [key.value for key in assigned["PAGES"].keys]
    sectioned = [name.value for names in assigned["NAV_SECTIONS"].values for name in names.elts]
    assert sorted(sectioned) == sorted(pages)


# ---- the SQL: one name, one thing; a macro's file named after its family ------------------------

QUERIES = PROJECT_DIR / "queries"
_HEADER = re.compile(r"-- Macros: ([\w, ]+)\.\n")


def _query_names() -> set[str]:
    return {p.stem for p in [*QUERIES.glob("*.sql"), *(QUERIES / "write").glob("*.sql")]}


def test_no_macro_shares_a_name_with_a_query_file():
    macros = {name for names in queries.macro_files().values() for name in names}
    assert len(macros) > 20
    assert macros & _query_names() == set()


def test_each_macro_file_is_named_after_a_macro_it_holds_and_its_header_lists_them():
    files = queries.macro_files()
    assert {file: names for file, names in files.items() if file not in names} == {}
    headers = {file: _HEADER.match((queries.MACROS_DIR / f"{file}.sql").read_text(encoding="utf-8"))
               for file in files}
    assert {file: found and found.group(1).split(", ") for file, found in headers.items()} == files


def test_every_macro_file_is_defined_once_after_the_files_it_calls():
    order = queries.macro_order()
    assert sorted(order) == sorted(queries.macro_files())
    con = queries.connect_memory()
    con.execute(queries._macros_sql())  # DuckDB refuses a table macro calling one not yet defined
    defined = {name for (name,) in con.execute("select distinct function_name from duckdb_functions() "
                                               "where function_type in ('macro', 'table_macro')").fetchall()}
    assert {name for names in queries.macro_files().values() for name in names} <= defined


def _macro_dir(tmp_path, monkeypatch, files: dict[str, str]) -> None:
    for name, sql in files.items():
        (tmp_path / f"{name}.sql").write_text(sql, encoding="utf-8")
    monkeypatch.setattr(queries, "MACROS_DIR", tmp_path)


def test_the_load_order_comes_from_the_calls_not_the_names(tmp_path, monkeypatch):
    _macro_dir(tmp_path, monkeypatch, {
        "a_totals": "create or replace temp macro a_totals() as table select count(*) as n from z_rows();",
        "m_alone": "create or replace temp macro m_alone(x) as x + 1;",
        "z_rows": "-- z_rows(): rows; a_totals( in a comment is no call\n"
                  "create or replace temp macro z_rows() as table select 1 as x;",
    })
    assert queries.macro_order() == ["m_alone", "z_rows", "a_totals"]
    assert queries._MACRO.findall(queries.macros_called_sql("select * from a_totals()")) == ["z_rows", "a_totals"]
    assert queries.macros_called_sql("select 1") == ""


def test_macro_files_calling_each_other_or_defining_one_name_twice_are_refused(tmp_path, monkeypatch):
    _macro_dir(tmp_path, monkeypatch, {
        "p": "create or replace temp macro p() as table select * from q();",
        "q": "create or replace temp macro q() as table select * from p();",
    })
    with pytest.raises(queries.QueryError, match="circle"):
        queries.macro_order()
    _macro_dir(tmp_path, monkeypatch, {"q": "create or replace temp macro p() as 1;"})
    with pytest.raises(queries.QueryError, match="defined in macros/p.sql and macros/q.sql"):
        queries.macro_order()


def test_the_history_rules_and_the_grouping_are_each_written_once():
    sql = {str(p.relative_to(QUERIES)): p.read_text(encoding="utf-8") for p in QUERIES.rglob("*.sql")}
    assert [f for f, text in sql.items() if "filter (where status <> 'closed')" in text] == ["macros/history_fold.sql"]
    assert [f for f, text in sql.items() if "case dimension" in text] == ["macros/filtered_facts.sql"]
    assert 'load_sql("write/derive")' not in (COCKPIT / "store" / "readers.py").read_text(encoding="utf-8")


def test_every_macro_file_a_text_names_exists():
    texts = [PROJECT_DIR / "README.md", *PROJECT_DIR.glob("docs/*.md"), *QUERIES.rglob("*.sql"), *_modules(),
             *PROJECT_DIR.glob("pages/*.py"), *PROJECT_DIR.glob("bench/*.py"),
             *[p for p in PROJECT_DIR.glob("tests/*.py") if p.name != Path(__file__).name]]
    named = {(str(p.relative_to(PROJECT_DIR)), m) for p in texts
             for m in re.findall(r"macros/(\w+)\.sql", p.read_text(encoding="utf-8"))}
    assert named
    assert {(path, m) for path, m in named if m not in queries.macro_files()} == set()
