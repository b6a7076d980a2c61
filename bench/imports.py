"""Import speed: files of one format end to end into a fresh store, against the bare file reader.

    python -m bench.imports --format csv|xlsx --mapping M.toml [--earlier FILE ...] [--profile OUT.txt] FILE...

End to end is cockpit.importer.import_files (read, parse and check every cell, write, derive) into an
empty store folder; with --earlier also into a store that holds those files (the same exports a week
before: a weekly import, which updates most problems and derives over the whole ledger), timed from
the call, the copy of the live version included. The bare reader is the floor no importer can beat: for CSV decoding the bytes and
DuckDB's CSV reader giving every cell as text (what the importer reads with, unless a file holds
something DuckDB might read differently from Python's csv module), for .xlsx python-calamine reading
every sheet to Python values; one file after another, and side by side in as many threads as the
importer reads files in (calamine and DuckDB let other threads run). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import emit, timed


def bare_csv(paths: list[Path]) -> int:
    """Decoding the bytes (the encoding must be found) and DuckDB reading every cell as text, from the
    file or, for GBK, a UTF-8 copy: what the importer reads most CSVs with (cockpit/ingest/cells.py),
    without its checks."""
    from cockpit.store import scratch

    rows = 0
    for path in paths:
        data = path.read_bytes()
        try:
            text, source = data.decode("utf-8-sig"), path
        except UnicodeDecodeError:
            text = data.decode("gb18030")
            source = Path(tempfile.mkstemp(suffix=".csv")[1])
            source.write_bytes(text.encode("utf-8"))
        width = len(next(csv.reader(io.StringIO(text[:1 << 16], newline=""))))
        try:
            rows += scratch.read_csv_cells(source, width, ragged=False).num_rows - 1
        finally:
            if source != path:
                source.unlink()
    return rows


def bare_xlsx(paths: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    rows = 0
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            rows += len(book.get_sheet_by_name(name).to_python(skip_empty_area=False)) - 1
    return rows


def side_by_side(bare, paths: list[Path]) -> int:
    """The bare reader on the files at once, in as many threads as the importer prepares files in
    (cockpit.importer.prepare_files): the floor for an importer that reads its files side by side."""
    from cockpit.ingest.preparing import prepare_threads

    with ThreadPoolExecutor(prepare_threads(len(paths))) as pool:
        return sum(pool.map(lambda path: bare([path]), paths))


def end_to_end(paths: list[Path], mappings: list[Path], store: Path | None = None) -> int:
    """Import the files into the store folder (by default a new, empty one); the rows read."""
    from cockpit.ingest.writing import import_files

    with contextlib.nullcontext(store) if store else tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        result = import_files(paths, db_directory=Path(folder), extra_mappings=mappings)
        if result.published is None:
            raise RuntimeError([o.message for o in result.outcomes])
        return sum(o.prepared.count_rows_read for o in result.outcomes)


def store_holding(files: list[Path], mappings: list[Path]) -> Path:
    """A store folder into which these files were imported (not timed)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-import-earlier-"))
    end_to_end(files, mappings, folder)
    return folder


def into_copy_of(store: Path, paths: list[Path], mappings: list[Path]) -> float:
    """Seconds to import the files into a fresh copy of the store (the copying not timed)."""
    with tempfile.TemporaryDirectory(prefix="bench-import-weekly-") as scratch:
        copy = Path(scratch) / "store"
        shutil.copytree(store, copy)
        return timed(end_to_end, paths, mappings, copy)[0]


def fastest(runs: int, fn, *args) -> float:
    """The shortest of several runs: a run is only ever slowed by the rest of the machine."""
    return min(timed(fn, *args)[0] for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
    parser.add_argument("--mapping", type=Path, action="append", default=[])
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the import here")
    parser.add_argument("--runs", type=int, default=2, help="each figure is the fastest of this many runs")
    parser.add_argument("--earlier", type=Path, action="append", default=[],
                        help="the same exports a week before: also time the files imported into a store holding these")
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    for path in args.files:  # the same disk cache for both: read every file once first
        path.read_bytes()
    # Loaded before the clock starts, as in the dashboard, where they are loaded already: starting
    # Python modules (pandas, DuckDB: about 0.6 s) is not part of an import.
    import cockpit.ingest.preparing  # noqa: F401
    import python_calamine  # noqa: F401
    bare = bare_csv if args.format == "csv" else bare_xlsx
    bare_seconds = fastest(args.runs, bare, args.files)
    bare_side_by_side_seconds = fastest(args.runs, side_by_side, bare, args.files)
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.01)
        profiler.start()
    seconds = fastest(args.runs - 1, end_to_end, args.files, args.mapping) if args.runs > 1 else float("inf")
    last_seconds, rows = timed(end_to_end, args.files, args.mapping)  # the profiled run, when profiling
    seconds = min(seconds, last_seconds)
    if args.profile:
        profiler.stop()
        args.profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    figures = {"rows": rows, "seconds": seconds, "bare_seconds": bare_seconds,
               "bare_side_by_side_seconds": bare_side_by_side_seconds,
               "bytes": sum(p.stat().st_size for p in args.files)}
    if args.earlier:
        store = store_holding(args.earlier, args.mapping)
        try:
            figures["weekly_seconds"] = min(into_copy_of(store, args.files, args.mapping) for _ in range(args.runs))
        finally:
            shutil.rmtree(store, ignore_errors=True)
    emit(figures)


if __name__ == "__main__":
    main()
