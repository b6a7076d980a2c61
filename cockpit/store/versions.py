"""The versioned store: a folder of immutable database files and a pointer, CURRENT, naming the live one.

An import copies the live file to a new one, writes there, and only then moves the pointer, so a
reader never sees half an import and a failed import leaves the live file untouched (DuckDB allows
one writing process or many readers).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from cockpit.settings import PROJECT_DIR
from cockpit.store.queries import CONFIG, execute

DEFAULT_DB_DIR = PROJECT_DIR / "data"
POINTER = "CURRENT"
KEEP_VERSIONS = 5  # the default of settings import.keep_versions
PARENT_SUFFIX = ".parent"  # beside each version: the name of the version it was copied from


class ImportBusy(RuntimeError):
    """Another import holds the store."""


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
