"""The clerk's record of an import: a text report and a rejects workbook, per batch."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from cockpit.ingest.reading import shown_name
from cockpit.outputs import exports

REJECT_COLUMNS = {"file_name": "文件", "row_number": "行号", "column_name": "列", "cell_value": "原值",
                  "reason": "原因", "outcome": "处理"}


def summary_lines(result) -> list[str]:
    """One line per file, then where its problems are listed."""
    lines = [o.message for o in result.outcomes]
    if result.published is None:
        lines.append("数据库没有变化。")
    return lines


def rejects_frame(result) -> pd.DataFrame:
    """Every bad cell of the batch: file, row, column, value, reason, and whether the row was kept."""
    rows = [
        {"file_name": shown_name(o.prepared.path.name), "row_number": i.row_number, "column_name": i.column_name,
         "cell_value": i.cell_value, "reason": i.reason,
         "outcome": "整行未导入" if i.is_fatal or o.status == "refused" else "已导入（去掉位置）"}
        for o in result.outcomes if o.status != "skipped" for i in o.prepared.issues
    ]
    return pd.DataFrame(rows, columns=list(REJECT_COLUMNS)).rename(columns=REJECT_COLUMNS)


def write_report(result, directory: Path) -> None:
    """data/reports/<time>-导入报告.txt and, when rows were bad, <time>-问题行.xlsx."""
    folder = Path(directory) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    rejects = rejects_frame(result)
    if not rejects.empty:
        result.rejects_path = folder / f"{stamp}-问题行.xlsx"
        # Through the page exports' writer: a rejected cell such as =HYPERLINK(...) stays text, never a live formula.
        result.rejects_path.write_bytes(exports.to_xlsx(rejects, {c: c for c in rejects.columns}, "问题行",
                                                        [("导入时间", f"{datetime.now():%Y-%m-%d %H:%M:%S}")]))
    lines = [f"导入时间：{datetime.now():%Y-%m-%d %H:%M:%S}", *summary_lines(result)]
    if result.rejects_path:
        lines.append(f"问题行清单（可用 Excel 打开）：{result.rejects_path}")
    result.report_path = folder / f"{stamp}-导入报告.txt"
    result.report_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
