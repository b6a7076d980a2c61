"""Times written with an offset from UTC (some platforms export 2026-11-01 08:00:00+08:00 or …Z):
read as Beijing time, even in a column that mixes them with plain times (pandas refuses such a
column, which reached the clerk as a traceback)."""

import pandas as pd

from cockpit.ingest import parse


def test_offsets_become_beijing_time_beside_plain_times():
    values, reasons = parse.parse_timestamp(pd.Series([
        "2026-11-01 08:00:00+08:00", "2026-11-02", "2026-11-01T00:00:00Z", "2026-11-01 09:30+0800",
        "2026/8/18 16:07", "2月30日",
    ]))
    assert values.tolist()[:5] == [pd.Timestamp("2026-11-01 08:00"), pd.Timestamp("2026-11-02"),
                                   pd.Timestamp("2026-11-01 08:00"), pd.Timestamp("2026-11-01 09:30"),
                                   pd.Timestamp("2026-08-18 16:07")]
    assert pd.isna(values.iloc[5])
    assert reasons.tolist()[:5] == [None] * 5 and reasons.iloc[5] is not None


def test_a_plain_date_is_not_taken_for_an_offset():
    values, _ = parse.parse_timestamp(pd.Series(["2026-11-01", "2026-11-01 08:00:00-0100"]))
    assert values.tolist() == [pd.Timestamp("2026-11-01"), pd.Timestamp("2026-11-01 17:00")]
