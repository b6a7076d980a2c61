"""What the benchmark's parts share: the pages, the demo's fixed end date, child processes, memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_END = date(2026, 11, 22)  # a fixed end date, so every run builds the same city
# bench/floor_app.py's pages (?page=): what Streamlit alone takes to draw, beside the cockpit's pages.
FLOOR_PAGES = {"text": "a bare page", "chart": "one small chart by st.plotly_chart and a table",
               "basic": "one small chart drawn as the cockpit draws them (plotly.js basic) and a table"}
# The pages the issue lists, in the navigation's order: (name, page file, URL path, title).
PAGES = [
    ("progress", "pages/progress.py", "", "整改进度"),
    ("hotspots", "pages/hotspots.py", "hotspots", "热点地图"),
    ("rankings", "pages/rankings.py", "rankings", "单位排名"),
    ("countdown", "pages/countdown.py", "countdown", "测评倒计时"),
    ("points", "pages/points.py", "points", "测评点位"),
    ("brief", "pages/brief.py", "brief", "会议要点"),
]


def child(module: str, *args: str, timeout: float = 3600) -> dict:
    """Run `python -m bench.<module> args` in a fresh process; return the JSON it prints last."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", f"bench.{module}", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"bench.{module} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def emit(result: dict) -> None:
    """A child's answer: one JSON line on stdout."""
    print(json.dumps(result, ensure_ascii=False, default=str))


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                total += next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as kids:
                    todo += [int(k) for k in kids.read().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result
