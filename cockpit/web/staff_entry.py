"""Staff writes from a page: rows written through the versioned store (cockpit/ingest/staff_writes.py,
logged with who and undone like an import), with one way of saying in Chinese why nothing was saved;
and the meeting fields every 交办 form asks for."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from cockpit.ingest import staff_writes
from cockpit.store import versions
from cockpit.web import cached, fmt

DEFAULT_DEADLINE_DAYS = 7  # an item assigned at a meeting is due a week later unless staff say otherwise


def save_rows(dataset: str, rows: pd.DataFrame, action: str, staff_name: str) -> bool:
    """Write the rows as one staff write; False (and an error shown) when they were not saved."""
    try:
        staff_writes.write_rows(versions.db_dir(), dataset, rows, written_by=staff_name, action=action,
                                keep_versions=cached.settings().keep_versions)
    except staff_writes.StaffWriteRefused as why:
        st.error(f"未保存：{why}")
        return False
    except versions.ImportBusy:
        st.error("正在导入数据，暂时不能保存，请稍后再试。")
        return False
    return True


def meeting_fields(key: str, as_of: date) -> tuple[date, str, date]:
    """会议日期, 会议名称 and 办结时限, in one row, inside the caller's form (widget keys start with key)."""
    c1, c2, c3 = st.columns(3)
    meeting_on = c1.date_input("会议日期", value=as_of, key=f"{key}_meeting_on", format=fmt.DATE_FORMAT)
    meeting_name = c2.text_input("会议名称", value="调度会", key=f"{key}_meeting_name")
    due_on = c3.date_input("办结时限", value=as_of + timedelta(days=DEFAULT_DEADLINE_DAYS), key=f"{key}_due_on", format=fmt.DATE_FORMAT)
    return meeting_on, meeting_name, due_on
