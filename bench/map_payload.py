"""How many bytes the hotspot map sends to the browser, and how long its queries take.

    python bench/map_payload.py [--db FOLDER] [--as-of YYYY-MM-DD]

Runs the hotspot page's own queries (cockpit.maps.layer_inputs, no filters) on the store, builds the
map the page builds, and prints one table: each layer's rows and the rendered HTML's size, which the
page must keep under about 2 MB whatever the number of problems (issue 4). Not a test: it prints.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cockpit.draw import maps  # noqa: E402
from cockpit.settings import load_settings  # noqa: E402
from cockpit.store import readers, versions  # noqa: E402
from cockpit.store import queries  # noqa: E402
from cockpit.vocab import filters  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="store folder (default: COCKPIT_DB or data/)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today() - timedelta(days=1))
    args = parser.parse_args()

    path = versions.current_file(versions.db_dir(args.db))
    if path is None:
        print("没有已导入的数据库：请先运行 python -m cockpit demo --scale N --db 文件夹")
        return 1
    con = readers.open_reader(path)
    settings = load_settings()
    count = con.execute("select count(*) from problems").fetchone()[0]

    timings = {}

    def timed(name, **params):
        started = time.perf_counter()
        result = readers.run(con, name, **params)
        timings[name] = time.perf_counter() - started
        return result

    layers = maps.layer_inputs(timed, as_of=args.as_of, due_soon_days=settings.due_soon_days,
                               pass_score=settings.pass_score, filters=filters.NO_FILTERS, states=[])
    started = time.perf_counter()
    drawn = maps.hotspot_map(layers["cells"], center=settings.map_center, zoom=settings.map_zoom,
                             points=layers["points"], rebounds=layers["rebounds"])
    html = drawn.map.get_root().render()
    build_seconds = time.perf_counter() - started

    print(f"# 热点地图负载  {path.name}  问题 {count:,} 个  统计日期 {args.as_of}")
    print(f"# {platform.platform()}  Python {platform.python_version()}  DuckDB {queries.duckdb.__version__}")
    print(f"| {'layer':<10} | {'rows':>8} | {'query s':>8} |")
    print(f"|{'-' * 12}|{'-' * 10}|{'-' * 10}|")
    for layer, query in (("cells", "map_cells"), ("points", "map_points"), ("rebounds", "map_rebounds")):
        print(f"| {layer:<10} | {len(layers[layer]):>8,} | {timings[query]:>8.2f} |")
    print(f"map HTML: {len(html.encode('utf-8')) / 1e6:.2f} MB, built in {build_seconds:.2f} s "
          f"(points left out {drawn.left_out.points}, cells left out {drawn.left_out.cells}, "
          f"rebound places left out {drawn.left_out.rebounds})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
