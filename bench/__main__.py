"""python -m bench [--scales 100000,1000000 | --quick] [--work DIR] [--out FILE] [--no-browser]

Builds (or reuses, in --work) the demo city at each scale, measures import, pages, the pandas way,
the browser and memory, prints one table and writes it into docs/PERFORMANCE.md (between the
bench:begin/bench:end marks; the text around them stays). --quick: 10,000 problems only, written to
<work>/PERFORMANCE-quick.md unless --out is given.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from bench import report, stores
from bench.common import DEMO_END, ROOT, child

QUICK_SCALE = 10_000


def bench_settings(work: Path) -> Path:
    """The project's settings with the file-size cap raised (at 1,000,000 problems one district's
    export is 50-70 MB, above the default import.max_file_mb) and the warm-up after an import off:
    the benchmark's cold visits follow a new version at once and must find the caches cold."""
    text = (ROOT / "settings.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^max_file_mb\s*=.*$", "max_file_mb = 2000", text)
    path = work / "settings.toml"
    path.write_text(re.sub(r"(?m)^warm_up\s*=.*$", "warm_up = false", text), encoding="utf-8")
    return path


QUIET_LOAD = 1.5   # the 1-minute load average a scale waits for before it starts measuring
QUIET_WAIT_S = 240


def wait_for_quiet_machine() -> None:
    """The browser sessions at the end of a scale leave the load at 6-10: the next scale's imports
    measured then ran a quarter slower. Wait (a few minutes at most) for the load to settle."""
    deadline = time.monotonic() + QUIET_WAIT_S
    while os.getloadavg()[0] > QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(5)


def measure_scale(work: Path, scale: int, args) -> dict:
    print(f"== {scale:,} 个问题", flush=True)
    build = stores.ensure_store(work, scale)
    if not args.quick:  # the quick run checks that the benchmark works, not its figures
        wait_for_quiet_machine()
    results: dict = {"build": build, "load_start": os.getloadavg()[0]}
    store = stores.store_dir(work, scale) / "db"
    as_of = DEMO_END.isoformat()
    mappings = [a for m in stores.mapping_files(work, scale) for a in ("--mapping", str(m))]
    results["imports"] = {}
    earlier = stores.earlier_problem_files(work, scale)
    for fmt, files in stores.newest_problem_files(work, scale).items():
        print(f"  导入 {fmt} …", flush=True)
        week_before = [a for path in earlier[fmt] for a in ("--earlier", str(path))]
        results["imports"][fmt] = child("imports", "--format", fmt, *mappings, *week_before, *map(str, files))
        if args.profile:
            out = work / f"profile-import-{fmt}-{scale}.txt"
            child("imports", "--format", fmt, "--runs", "1", "--profile", str(out), *mappings, *map(str, files))
            print(f"    profile → {out}", flush=True)
    print("  页面（AppTest）…", flush=True)
    results["pages"] = child("pages", "--db", str(store), "--as-of", as_of, "--warm-runs", str(args.warm_runs),
                             "--cold-runs", str(args.cold_runs))
    print("  pandas 对照 …", flush=True)
    results["pandas"] = child("pandas_way", "--db", str(store), "--as-of", as_of)
    if args.browser:
        print("  浏览器 …", flush=True)
        results["browser"] = child("browser", "--db", str(store), "--as-of", as_of, "--sessions", str(args.sessions))
    results["load_end"] = os.getloadavg()[0]
    (stores.store_dir(work, scale) / "results.json").write_text(json.dumps(results, indent=1, default=str))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="100000,1000000", help="problems per demo city, comma-separated")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SCALE:,} problems only")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cockpit-bench"),
                        help="where the demo cities are built and kept for the next run")
    parser.add_argument("--out", type=Path, help="the Markdown file to write the table into")
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="skip Chromium and memory")
    parser.add_argument("--sessions", type=int, default=10, help="browser sessions open at once for memory")
    parser.add_argument("--warm-runs", type=int, default=3, help="the median warm run counts")
    parser.add_argument("--cold-runs", type=int, default=2, help="the fastest cold run counts")
    parser.add_argument("--profile", action="store_true", help="also write pyinstrument profiles of the imports")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: write the table from the results.json files of the last run")
    args = parser.parse_args(argv)
    if args.browser and not Path("/usr/bin/chromium").exists():
        print("没有找到 /usr/bin/chromium：跳过浏览器与内存的测量", file=sys.stderr)
        args.browser = False
    scales = [QUICK_SCALE] if args.quick else [int(s) for s in args.scales.split(",")]
    out = args.out or (args.work / "PERFORMANCE-quick.md" if args.quick else ROOT / "docs" / "PERFORMANCE.md")
    args.work.mkdir(parents=True, exist_ok=True)
    os.environ["COCKPIT_SETTINGS"] = str(bench_settings(args.work))
    if args.report_only:
        results = {scale: json.loads((stores.store_dir(args.work, scale) / "results.json").read_text())
                   for scale in scales}
    else:
        results = {scale: measure_scale(args.work, scale, args) for scale in scales}
    command = "python -m bench " + (" ".join(argv) if argv is not None else " ".join(sys.argv[1:]))
    notes = [] if args.browser else ["Browser and memory not measured (--no-browser or no Chromium)."]
    text = report.section(results, command.strip(), notes, measured=not args.report_only)
    print(text)
    report.write(out, text)
    print(f"写入 {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
