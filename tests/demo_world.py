"""A small demo city built once per test session by the real generator and the real importer."""

from datetime import date

import pytest

from cockpit.demo.dialects import write_demo
from cockpit.ingest.writing import import_files

DEMO_END = date(2026, 6, 30)
DEMO_SCALE = 3_000


@pytest.fixture(scope="session")
def demo_exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    files = write_demo(out, scale=DEMO_SCALE, end=DEMO_END)
    return out, files


@pytest.fixture(scope="session")
def demo_store(demo_exports):
    out, files = demo_exports
    store = out / "db"
    result = import_files(files, db_directory=store, extra_mappings=sorted((out / "mappings").glob("*.toml")))
    assert result.published is not None, [o.message for o in result.outcomes]
    return store


@pytest.fixture(scope="session")
def demo_as_of():
    return DEMO_END.isoformat()
