"""The tree shows the architecture: only the store imports duckdb, only the web side imports streamlit,
and no module grows past what one reader keeps in mind."""

from __future__ import annotations

import ast
from pathlib import Path

from cockpit.settings import PROJECT_DIR

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


def test_the_sidebar_sections_hold_every_page_once():
    tree = ast.parse((PROJECT_DIR / "dashboard.py").read_text(encoding="utf-8"))
    assigned = {node.targets[0].id: node.value for node in tree.body
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}
    pages = [key.value for key in assigned["PAGES"].keys]
    sectioned = [name.value for names in assigned["NAV_SECTIONS"].values for name in names.elts]
    assert sorted(sectioned) == sorted(pages)
