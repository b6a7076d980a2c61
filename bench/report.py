"""The benchmark's one table: rows of figures, a column per scale, growth, target and verdict."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from bench.common import FLOOR_PAGES, PAGES

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


@dataclass
class Row:
    label: str
    unit: str                               # s, rows/s, ×, MB, GB
    value: Callable[[dict], float | None]   # from one scale's results
    target: str = ""
    meets: Callable[[float], bool] | None = None


def _get(*keys):
    def pick(results: dict):
        node = results
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node
    return pick


def _ratio(top, bottom):
    def pick(results):
        a, b = top(results), bottom(results)
        return a / b if a is not None and b else None
    return pick


def _scaled(pick, factor):
    def scaled(results):
        value = pick(results)
        return value * factor if value is not None else None
    return scaled


def rows() -> list[Row]:
    out = []
    for fmt, floor_name in (("csv", "decode + DuckDB read_csv"), ("xlsx", "python-calamine")):
        rate = _ratio(_get("imports", fmt, "rows"), _get("imports", fmt, "seconds"))
        out += [
            Row(f"import {fmt}: rows per second, end to end", "rows/s", rate,
                "≥ 100,000" if fmt == "csv" else "", (lambda v: v >= 100_000) if fmt == "csv" else None),
            Row(f"import {fmt}: end to end ÷ bare reader ({floor_name})", "×",
                _ratio(_get("imports", fmt, "seconds"), _get("imports", fmt, "bare_seconds")),
                "≤ 1.5" if fmt == "xlsx" else "", (lambda v: v <= 1.5) if fmt == "xlsx" else None),
            Row(f"import {fmt}: end to end ÷ bare reader on the files side by side (as the importer reads them)", "×",
                _ratio(_get("imports", fmt, "seconds"), _get("imports", fmt, "bare_side_by_side_seconds"))),
            Row(f"import {fmt}: rows per second into the store holding the same exports a week before (a weekly import)",
                "rows/s", _ratio(_get("imports", fmt, "rows"), _get("imports", fmt, "weekly_seconds"))),
        ]
    for name, _, path, title in PAGES:
        page = f"{title} /{path}"
        out += [
            Row(f"{page}: server, cold", "s", _get("pages", name, "cold_s"), "< 1.5", lambda v: v < 1.5),
            Row(f"{page}: server, warm", "s", _get("pages", name, "warm_s"), "< 0.3", lambda v: v < 0.3),
            Row(f"{page}: its queries' own DuckDB time (floor)", "s", _get("pages", name, "query_floor_s")),
            Row(f"{page}: server cold ÷ floor", "×",
                _ratio(_get("pages", name, "cold_s"), _get("pages", name, "query_floor_s")), "≤ 2", lambda v: v <= 2),
            Row(f"{page}: drawn in Chromium, first visit", "s", _get("browser", "pages", name, "drawn_cold_s"),
                "< 3", lambda v: v < 3),
            Row(f"{page}: drawn in Chromium, again", "s", _get("browser", "pages", name, "drawn_warm_s"),
                "< 3", lambda v: v < 3),
            Row(f"{page}: drawn in Chromium, by a click in the navigation (server caches cold)", "s",
                _get("browser", "pages", name, "drawn_nav_s"), "< 3", lambda v: v < 3),
            Row(f"{page}: drawn in Chromium, returning browser after an import (scripts cached, server caches cold)",
                "s", _get("browser", "pages", name, "drawn_returning_s"), "< 3", lambda v: v < 3),
            Row(f"{page}: drawn in Chromium, first visit after an import with the warm-up on (as shipped)", "s",
                _get("browser", "pages", name, "drawn_warmed_s"), "< 3", lambda v: v < 3),
            Row(f"{page}: data sent (websocket)", "MB", _scaled(_get("browser", "pages", name, "ws_bytes_cold"), 1e-6),
                *(("< 2", lambda v: v < 2) if name == "hotspots" else ())),
            Row(f"{page}: files sent, first visit (Streamlit's scripts, map scripts)", "MB",
                _scaled(_get("browser", "pages", name, "http_bytes_cold"), 1e-6)),
        ]
    for name, what in FLOOR_PAGES.items():
        out += [
            Row(f"floor: Streamlit alone, {what}, drawn in Chromium, first visit", "s",
                _get("browser", "floor", name, "drawn_cold_s")),
            Row(f"floor: Streamlit alone, {what}, drawn in Chromium, again", "s",
                _get("browser", "floor", name, "drawn_warm_s")),
        ]
    out += [
        Row("headline figures, pandas way (whole table into pandas), cold", "s", _get("pandas", "pandas_s")),
        Row("headline figures, ours (progress_summary), cold", "s", _get("pandas", "ours_s")),
        Row("headline figures: pandas way ÷ ours", "×", _ratio(_get("pandas", "pandas_s"), _get("pandas", "ours_s")),
            "≥ 5", lambda v: v >= 5),
        Row("dashboard process, idle (before the sessions)", "GB", _scaled(_get("browser", "sessions", "idle_rss"), 1e-9)),
        Row("dashboard process, peak with the sessions open", "GB",
            _scaled(_get("browser", "sessions", "peak_rss"), 1e-9), "< 1.5", lambda v: v < 1.5),
        Row("all sessions drawn (opened together)", "s", _get("browser", "sessions", "all_drawn_s")),
        Row("machine load average (1 min) when the scale started", "", _get("load_start")),
        Row("machine load average (1 min) when the scale ended", "", _get("load_end")),
    ]
    return out


def _fmt(value, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "rows/s":
        return f"{value:,.0f}"
    if unit in ("×",):
        return f"{value:.1f}"
    if unit == "MB" and value < 0.1:
        return f"{value:.3f}"
    return f"{value:.2f}"


def table(results: dict[int, dict]) -> str:
    """Markdown: figure | unit | one column per scale | growth first → last | target | met at the largest."""
    scales = sorted(results)
    head = ["figure", "unit", *[f"{s:,}" for s in scales]]
    if len(scales) > 1:
        head.append(f"growth {scales[0]:,} → {scales[-1]:,}")
    head += ["target (largest scale)", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows():
        values = [row.value(results[s]) for s in scales]
        cells = [row.label, row.unit, *[_fmt(v, row.unit) for v in values]]
        if len(scales) > 1:
            first, last = values[0], values[-1]
            cells.append(f"{last / first:.1f}×" if first and last is not None else "–")
        verdict = "" if row.meets is None or values[-1] is None else ("yes" if row.meets(values[-1]) else "**no**")
        cells += [row.target, verdict]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    import duckdb
    import pandas
    import streamlit

    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        ram = float("nan")
    return (f"{os.cpu_count()} cores ({cpu}), {ram:.0f} GiB RAM, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, Streamlit {streamlit.__version__}, "
            f"pandas {pandas.__version__}")


def section(results: dict[int, dict], command: str, notes: list[str], measured: bool = True) -> str:
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    how = (f"Run {stamp} with `{command}`." if measured else
           f"Written {stamp} by `{command}` from each scale's results.json (the last measuring runs).")
    body = [BEGIN, how, "", f"Machine: {machine()}.", "", table(results)]
    if notes:
        body += ["", *[f"- {n}" for n in notes]]
    return "\n".join([*body, END])


def write(path: Path, text: str) -> None:
    """Replace the marked section of the file (or create the file); the prose around it stays."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _: text, old)
    else:
        new = (old.rstrip() + "\n\n" if old.strip() else "# Performance\n\n") + text + "\n"
    path.write_text(new, encoding="utf-8")
