"""Writing prepared files into a new store version, one transaction per file, and publishing it
(import_files: what the command line and the 数据导入 page call)."""

from __future__ import annotations

import contextlib
import errno
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from cockpit.ingest.mapping import available_mappings
from cockpit.ingest.preparing import PreparedFile, not_rechecked_note, prepared_in_write_order
from cockpit.ingest.reading import SUPPORTED, ImportRefused, shown_name
from cockpit.settings import Settings, load_settings
from cockpit.store import queries, readers, scratch, versions


@dataclass
class FileOutcome:
    prepared: PreparedFile
    status: str            # imported, skipped (already imported), refused
    message: str


@dataclass
class BatchResult:
    outcomes: list[FileOutcome]
    published: Path | None          # the new database version, None when nothing changed
    report_path: Path | None = None
    rejects_path: Path | None = None

    @property
    def ok(self) -> bool:
        return all(o.status != "refused" for o in self.outcomes)


# ---- writing ---------------------------------------------------------------------------------

def import_files(
    paths: list[Path],
    *,
    db_directory: Path | None = None,
    extra_mappings: list[Path] | None = None,
    settings: Settings | None = None,
    imported_by: str = "",
    wait_seconds: float = 0,
    progress=None,
) -> BatchResult:
    """Import files as one batch: each file wholly or not at all; nothing published if nothing changed."""
    settings = settings or load_settings()
    directory = versions.db_dir(db_directory)
    mappings = available_mappings(extra_mappings, user_dir=directory / "mappings")
    files = expand_paths(paths)
    with prepared_in_write_order(files, mappings, settings, progress) as prepared:
        try:
            with versions.import_lock(directory, wait_seconds):
                return _write_batch(prepared, len(files), directory, settings, imported_by, progress)
        except Exception as err:
            if _is_disk_full(err):
                raise ImportRefused("磁盘空间不足，导入没有完成，数据保持导入前的样子；请清理服务器磁盘后重新导入") from err
            raise


def _same_day_note(replaced: pd.DataFrame | None) -> str:
    """Which file's rows were kept when another file of the same export date held the same problems
    with other content (write/same_day_conflicts): this one, written after it."""
    if replaced is None or replaced.empty:
        return ""
    others = "、".join(f"{shown_name(r.file_name)}（{r.count_problems} 个，如 {r.first_problem_id}）"
                      for r in replaced.itertuples())
    return (f"；同一导出日期的{others}中有相同的问题编号但内容不同，已按本文件（后写入）的内容保存，"
            "请核对哪一份导出有误")


def _is_disk_full(err: Exception) -> bool:
    """No space (or a file-size limit) while copying or writing the database, from Python or DuckDB."""
    if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    return any(words in str(err) for words in ("No space left on device", "File too large", "Disk quota exceeded"))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, and the supported files inside folders, in name order."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED and not p.name.startswith(("~$", ".")))
        elif path.exists():
            files.append(path)
        else:
            raise ImportRefused(f"找不到文件或文件夹：{shown_name(path)}")
    return files


class _NothingChanged(Exception):
    pass


def _write_batch(prepared, count_files: int, directory, settings, imported_by, progress) -> BatchResult:
    outcomes: list[FileOutcome] = []
    published = None
    try:
        with versions.new_version(directory, settings.keep_versions) as (con, path):
            state = readers.run(con, "import_state")
            known_hashes = set(state["file_hash"].dropna())
            next_ids = {"import_id": int(state.at[0, "next_import_id"]), "batch_id": int(state.at[0, "next_batch_id"])}
            for i, item in enumerate(prepared):
                if progress:
                    progress(i / max(count_files, 1), f"写入 {shown_name(item.path.name)}")
                outcomes.append(_write_file(con, item, next_ids, known_hashes, imported_by))
            if not any(o.status == "imported" for o in outcomes):
                raise _NothingChanged
            queries.execute(con, "write/derive", **settings.derive_params)
            published = path
    except _NothingChanged:
        pass
    result = BatchResult(outcomes=outcomes, published=published)
    from cockpit.ingest.import_report import write_report

    write_report(result, directory)
    return result


def _write_file(con, item: PreparedFile, next_ids: dict, known_hashes: set, imported_by: str) -> FileOutcome:
    name = shown_name(item.path.name)
    if item.refused:
        return FileOutcome(item, "refused", f"{name}：未导入。{item.refused}")
    if item.file_hash in known_hashes:
        return FileOutcome(item, "skipped", f"{name}：与已导入的文件内容相同，跳过")
    import_id = next_ids["import_id"]
    replaced = None
    rejects = pd.DataFrame([vars(i) for i in item.issues],
                           columns=["row_number", "column_name", "cell_value", "reason", "is_fatal"])
    con.begin()
    try:
        scratch.register_frame(con, "new_rejects", rejects)
        queries.execute(con, "write/log_import", import_id=import_id, batch_id=next_ids["batch_id"], file_name=name,
                   file_hash=item.file_hash, dataset=item.dataset, mapping_name=item.mapping_name,
                   export_on=item.export_on, count_rows_read=item.count_rows_read,
                   count_rows_imported=len(item.rows), count_rows_rejected=item.count_rows_rejected,
                   count_rows_without_location=item.count_rows_without_location,
                   imported_at=datetime.now(), imported_by=imported_by)
        rows = scratch.register_frame(con, "incoming", item.rows)
        params = {"import_id": import_id}
        if item.dataset == "problems":
            scratch.register_new_rows(con, "incoming_new", rows, "problems", "problem_id")
            params["export_on"] = item.export_on
            replaced = queries.run_in_transaction(con, "write/same_day_conflicts", import_id=import_id,
                                             export_on=item.export_on)
        queries.execute(con, f"write/{item.dataset}", **params)
        con.commit()
    except Exception as err:
        with contextlib.suppress(Exception):  # DuckDB may have ended the transaction itself
            con.rollback()
        item.rows = None
        item.refused = "磁盘空间不足，未能写入" if _is_disk_full(err) else f"写入数据库失败：{err}"
        return FileOutcome(item, "refused", f"{name}：未导入。{item.refused}")
    finally:
        for view in ("incoming", "incoming_new", "new_rejects"):
            con.unregister(view)  # no error for a view never registered
    next_ids["import_id"] += 1
    known_hashes.add(item.file_hash)
    note = f"，{item.count_rows_rejected} 行有误未导入" if item.count_rows_rejected else ""
    if item.count_rows_not_rechecked:  # not a bad row: the checklist came back partly filled
        note += f"，{not_rechecked_note(item.count_rows_not_rechecked)}"
    if item.count_rows_location_lost:
        note += f"，{item.count_rows_location_lost} 行坐标无效（去掉位置后导入）"
    if item.unmapped_headers:
        note += f"；未使用的列：{'、'.join(item.unmapped_headers)}"
    if item.notes:
        note += f"；{'；'.join(item.notes)}"
    note += _same_day_note(replaced)
    return FileOutcome(item, "imported", f"{name}：{item.label}，导入 {len(item.rows)} 行{note}")
