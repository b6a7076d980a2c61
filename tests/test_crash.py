"""Crashes: an import, a settings save and a mapping save killed (SIGKILL) at random points.

After every kill the published data is exactly as before (CURRENT, the live file's bytes, its row
counts) or, when the kill came after the publish, the whole new data; never half. The next import
then succeeds: a killed process leaves no lock (flock dies with its holder), and its unpublished copy
is never read. A killed settings or mapping write leaves the old file or the new one, whole.

Quick by default (10 kills of an import); COCKPIT_CRASH_LONG=1 kills many more times. The random
seed is printed on failure (COCKPIT_CRASH_SEED replays it).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cockpit.ingest.writing import import_files
from cockpit.settings import load_settings, write_atomically
from cockpit.store import versions
from tests.browser import ROOT
from tests.test_import import HEADERS_A, ROW_A, SETTINGS, table, write_csv

LONG = os.environ.get("COCKPIT_CRASH_LONG") == "1"
IMPORT_KILLS = 100 if LONG else 10
WRITE_KILLS = 200 if LONG else 20
SEED = int(os.environ.get("COCKPIT_CRASH_SEED") or time.time_ns() % 1_000_000)

BASE_ROWS, NEW_ROWS = 50, 6000
IMPORT_CHILD = """
import sys, time
from pathlib import Path
from cockpit.ingest.writing import import_files
from cockpit.settings import load_settings
settings = load_settings(Path(sys.argv[3]))
print("ready", flush=True)
started = time.monotonic()
result = import_files([Path(sys.argv[1])], db_directory=Path(sys.argv[2]), settings=settings)
print("done", time.monotonic() - started, [o.status for o in result.outcomes], flush=True)
"""


def rows(prefix: str, count: int) -> list[list[str]]:
    return [[f"{prefix}{i}"] + ROW_A[1:] for i in range(count)]


def published(store: Path) -> tuple[str, str, int, int]:
    """What a reader sees: CURRENT, the live file's digest, problems and imports."""
    live = versions.current_file(store)
    ((problems, imports),) = table(store, "select (select count(*) from problems), (select count(*) from imports)")
    return ((store / versions.POINTER).read_text(encoding="utf-8"),
            hashlib.sha256(live.read_bytes()).hexdigest(), problems, imports)


def start_import(path: Path, store: Path) -> subprocess.Popen:
    env = {**os.environ, "COCKPIT_DB": str(store), "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", IMPORT_CHILD, str(path), str(store), str(SETTINGS.path)],
                             stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    assert child.stdout.readline().strip() == "ready"
    return child


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A store with one small import, the big file to import into it, and how long that import takes."""
    folder = tmp_path_factory.mktemp("crash")
    store = folder / "store"
    import_files([write_csv(folder / "base.csv", HEADERS_A, rows("B", BASE_ROWS))], db_directory=store, settings=SETTINGS)
    big = write_csv(folder / "问题台账_20260509.csv", HEADERS_A, rows("N", NEW_ROWS))
    trial = folder / "trial"
    shutil.copytree(store, trial)
    child = start_import(big, trial)
    out, _ = child.communicate(timeout=300)
    assert "imported" in out, out
    seconds = float(out.split()[1])
    return store, big, seconds


def test_an_import_killed_at_random_points_changes_nothing_and_the_next_one_succeeds(template, tmp_path, monkeypatch):
    base, big, seconds = template
    before = published(base)
    chance = random.Random(SEED)
    outcomes = []
    for kill in range(IMPORT_KILLS):
        store = tmp_path / f"kill{kill}"
        shutil.copytree(base, store)
        monkeypatch.setenv("COCKPIT_DB", str(store))
        child = start_import(big, store)
        time.sleep(chance.uniform(0, seconds * 1.1))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        after = published(store)
        if after[0] == before[0]:  # killed before the publish: nothing changed
            assert after == before, f"seed {SEED}, kill {kill}"
            outcomes.append("before")
        else:                      # killed after it: the whole import, never a part
            assert after[2:] == (BASE_ROWS + NEW_ROWS, 2), f"seed {SEED}, kill {kill}"
            outcomes.append("after")
        again = import_files([big], db_directory=store, settings=SETTINGS)
        expected = "imported" if outcomes[-1] == "before" else "skipped"
        assert [o.status for o in again.outcomes] == [expected], f"seed {SEED}, kill {kill}"
        assert published(store)[2:] == (BASE_ROWS + NEW_ROWS, 2)
        assert versions.versions(store)[-1] == versions.current_file(store)  # a leftover copy was never published
        assert not list(store.glob(f"{versions.BUILDING_PREFIX}*"))  # and the next import cleared it
    assert "before" in outcomes, f"seed {SEED}: no kill landed inside the import ({outcomes})"


WRITER_CHILD = """
import sys
from pathlib import Path
from cockpit.settings import write_atomically
path, first, second = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()
print("ready", flush=True)
while True:
    write_atomically(path, first)
    write_atomically(path, second)
"""


def kill_a_writer_repeatedly(target: Path, first: bytes, second: bytes, kills: int) -> None:
    """A child rewrites target with first and second in turn; after each kill, target is one of them."""
    (target.parent / "first").write_bytes(first)
    (target.parent / "second").write_bytes(second)
    chance = random.Random(SEED)
    for kill in range(kills):
        child = subprocess.Popen([sys.executable, "-c", WRITER_CHILD, str(target), str(target.parent / "first"),
                                  str(target.parent / "second")], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert child.stdout.readline().strip() == "ready"
        time.sleep(chance.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        assert target.read_bytes() in (first, second), f"seed {SEED}, kill {kill}"


def test_a_settings_write_killed_leaves_the_old_or_the_new_file_whole(tmp_path):
    target = tmp_path / "settings.toml"
    old = SETTINGS.path.read_bytes()
    new = old.replace(b"due_soon_days = 3", b"due_soon_days = 5") + b"\n# " + b"x" * 200_000 + b"\n"
    target.write_bytes(old)
    kill_a_writer_repeatedly(target, new, old, WRITE_KILLS)
    assert load_settings(target).due_soon_days in (3, 5)


def test_a_mapping_write_killed_leaves_the_old_or_the_new_file_whole(tmp_path):
    # cockpit.mapping.save_mapping writes through settings.write_atomically, the function killed here.
    from cockpit.ingest.mapping import load_mapping

    target = tmp_path / "区平台.toml"
    old = 'name = "区平台"\ncoordinate_system = "wgs84"\n[problems.headers]\nproblem_id = ["工单号"]\n'.encode()
    new = old + b'found_at = ["' + "上报时间".encode() * 50_000 + b'"]\n'
    target.write_bytes(old)
    kill_a_writer_repeatedly(target, new, old, WRITE_KILLS)
    assert load_mapping(target).name == "区平台"


def test_write_atomically_leaves_no_temporary_file_when_it_fails(tmp_path):
    target = tmp_path / "settings.toml"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # the write fails half way: the old file stays, no temp left
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["settings.toml"]


FULL_DISK_CHILD = """
import resource, signal, sys
from pathlib import Path
from cockpit.ingest.reading import ImportRefused
from cockpit.ingest.writing import import_files
from cockpit.settings import load_settings
settings = load_settings(Path(sys.argv[3]))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[4]), resource.RLIM_INFINITY))
try:
    result = import_files([Path(sys.argv[1])], db_directory=Path(sys.argv[2]), settings=settings)
    print("|".join(o.message for o in result.outcomes))
except ImportRefused as refused:
    print(refused)
"""


# What the clerk reads when the disk fills: while copying the live database (the batch stops), or
# while writing a file's rows into the copy (that file is refused). Where DuckDB runs out depends on
# how it allocates blocks, so either may come.
DISK_FULL = {"磁盘空间不足，导入没有完成，数据保持导入前的样子；请清理服务器磁盘后重新导入",
             "问题台账_20260509.csv：未导入。磁盘空间不足，未能写入"}


@pytest.mark.parametrize("room", [0.5, 1.2])  # times the live database's size
def test_a_full_disk_changes_nothing_and_leaves_no_copy(template, tmp_path, room):
    """The disk is 'full' by a file-size limit on the importing process (RLIMIT_FSIZE)."""
    base, big, _ = template
    store = tmp_path / "store"
    shutil.copytree(base, store)
    before, files_before = published(store), sorted(p.name for p in versions.versions(store))
    limit = int(versions.current_file(store).stat().st_size * room)
    out = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, str(big), str(store), str(SETTINGS.path), str(limit)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300,
                         env={**os.environ, "COCKPIT_DB": str(store), "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() in DISK_FULL, out.stderr
    assert published(store) == before and sorted(p.name for p in versions.versions(store)) == files_before
    again = import_files([big], db_directory=store, settings=SETTINGS)
    assert [o.status for o in again.outcomes] == ["imported"]
    assert published(store)[2:] == (BASE_ROWS + NEW_ROWS, 2)
