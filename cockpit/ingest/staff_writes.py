"""Staff writes (meetings and their items, marks, re-check results, talks) through the versioned store.

A staff write is a batch of its own, written as an import is: a new version copied from the live
one, the rows applied by the dataset's queries/write/<dataset>.sql, one import-log row saying who
wrote what, then published. So it survives a restart, every page sees it at once, the import log
lists it with the staff member's name, and undo (imports.undo_last_import) takes it back by
publishing the parent version, as for any import.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from cockpit.ingest.fields import DATASETS
from cockpit.store import queries, readers, scratch, versions

MAPPING_NAME = "工作人员录入"  # the import log's 表头映射 column for a staff write
FILE_PREFIX = "【录入】"          # its 文件 column starts with this, then what was written
WAIT_SECONDS = 5.0  # a staff write waits this long for an import in progress before it is refused


class StaffWriteRefused(ValueError):
    """The write was not made; the message says why, for the clerk."""


def write_rows(directory: Path, dataset: str, rows: pd.DataFrame, *, written_by: str, action: str,
               keep_versions: int = versions.KEEP_VERSIONS, wait_seconds: float = WAIT_SECONDS) -> int:
    """Write rows (columns named as the dataset's fields; a missing field is empty) as one batch.

    Returns the import id of the write. ImportBusy when an import holds the store past wait_seconds.
    """
    if dataset not in DATASETS:
        raise StaffWriteRefused(f"没有名为 {dataset} 的数据类别")
    if not written_by:
        raise StaffWriteRefused("工作人员录入需要先登录")
    if rows.empty:
        raise StaffWriteRefused("没有要保存的内容")
    fields = DATASETS[dataset]
    missing = [spec.label for name, spec in fields.items()
               if spec.required and (name not in rows or rows[name].isna().any())]
    if missing:
        raise StaffWriteRefused(f"缺少必填的内容：{'、'.join(missing)}")
    incoming = pd.DataFrame({name: rows[name] if name in rows else pd.Series([None] * len(rows), dtype=object)
                             for name in fields}).reset_index(drop=True)
    now = datetime.now()
    # Unique per write, so the importer's "this file was imported already" never matches it.
    digest = hashlib.sha256(f"{dataset}|{action}|{written_by}|{now.isoformat()}|"
                            f"{incoming.to_json(date_format='iso')}".encode("utf-8")).hexdigest()
    rejects = pd.DataFrame(columns=["row_number", "column_name", "cell_value", "reason", "is_fatal"])
    with versions.import_lock(directory, wait_seconds):
        with versions.new_version(directory, keep_versions) as (con, _path):
            state = readers.run(con, "import_state")
            import_id = int(state.at[0, "next_import_id"])
            scratch.register_frame(con, "new_rejects", rejects.astype({"row_number": "int64", "is_fatal": "bool"}))
            queries.execute(con, "write/log_import", import_id=import_id, batch_id=int(state.at[0, "next_batch_id"]),
                       file_name=f"{FILE_PREFIX}{action}", file_hash=f"staff:{digest}", dataset=dataset,
                       mapping_name=MAPPING_NAME, export_on=date.today(), count_rows_read=len(incoming),
                       count_rows_imported=len(incoming), count_rows_rejected=0, count_rows_without_location=0,
                       imported_at=now, imported_by=written_by)
            scratch.register_frame(con, "incoming", incoming)
            try:
                queries.execute(con, f"write/{dataset}", import_id=import_id)
            finally:
                for view in ("incoming", "new_rejects"):
                    con.unregister(view)
    return import_id
