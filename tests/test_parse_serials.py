"""Excel serial numbers beside text pandas reads as ISO dates: a five-digit number goes straight to
the serial reading (cockpit/ingest/parse.py), a four-digit one is still tried as a year first."""

import pandas as pd

from cockpit.ingest import parse


def test_serials_and_years_read_as_before():
    values, reasons = parse.parse_timestamp(pd.Series(
        ["45986.6154", "45986", "2026.5", "2026", "12345", "2026-11-01 08:00", "４５９８６"]))
    assert values.tolist()[:4] == [pd.Timestamp("2025-11-25 14:46:11"), pd.Timestamp("2025-11-25"),
                                   pd.Timestamp("2026-05-01"), pd.Timestamp("2026-01-01")]
    assert pd.isna(values[4]) and reasons[4] == "无法识别的日期"  # a serial before 1954 is no ledger date
    assert values[5] == pd.Timestamp("2026-11-01 08:00") and values[6] == pd.Timestamp("2025-11-25")
    assert reasons.isna().sum() == 6


def test_a_column_of_serials_only():
    values, reasons = parse.parse_timestamp(pd.Series(["45986.5", "45987"]))
    assert values.tolist() == [pd.Timestamp("2025-11-25 12:00"), pd.Timestamp("2025-11-26")]
    assert reasons.isna().all()
