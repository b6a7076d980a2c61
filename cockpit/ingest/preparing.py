"""Preparing one export (no database): its best table and mapping, every row parsed and checked,
the issues named by row and column, ready to be written (cockpit/ingest/writing.py) or previewed."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from cockpit.coords import to_wgs84
from cockpit.ingest import excel_errors, parse, responsibility
from cockpit.ingest.cells import HEADER_SEARCH_ROWS, Body, has_text
from cockpit.ingest.fields import DATASET_LABELS, DATASETS, IMPORT_ORDER
from cockpit.ingest.mapping import Mapping, Match, header_key, known_header_keys, match_headers
from cockpit.ingest.reading import DELIMITER_NAMES, UNPACKED_PER_FILE_LIMIT, ImportRefused, read_cell_tables, shown_name
from cockpit.settings import Settings

_DATE_IN_NAME = re.compile(r"(20\d{2})[-_.年]?(\d{2})[-_.月]?(\d{2})")


@dataclass
class CellIssue:
    row_number: int        # the row as numbered in Excel
    column_name: str       # the file's own header
    cell_value: str
    reason: str
    is_fatal: bool         # True: the row is left out


@dataclass
class PreparedFile:
    path: Path
    file_hash: str
    dataset: str | None = None
    mapping_name: str | None = None
    mapping: Mapping | None = field(default=None, repr=False)  # the mapping that recognised the file
    export_on: date | None = None
    column_map: dict[str, str] = field(default_factory=dict)   # file header -> field
    unmapped_headers: list[str] = field(default_factory=list)
    rows: pd.DataFrame | None = None                            # good rows, our columns
    count_rows_read: int = 0
    count_rows_rejected: int = 0
    count_rows_without_location: int = 0
    count_rows_location_lost: int = 0                            # had coordinates, none usable
    count_rows_not_rechecked: int = 0                            # 回头看 rows left blank: not re-checked yet
    issues: list[CellIssue] = field(default_factory=list)
    refused: str | None = None                                  # why the whole file is refused
    unreadable: bool = False                                    # refused before its cells could be read
    notes: list[str] = field(default_factory=list)              # what the import did to read it (merged cells)

    @property
    def label(self) -> str:
        return DATASET_LABELS.get(self.dataset or "", "未识别")


# ---- preparing -------------------------------------------------------------------------------

def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare_file(path: Path, mappings: list[Mapping], settings: Settings, on_place=None) -> PreparedFile:
    """Read one file, recognise its dataset, parse and check every row. Writes nothing.

    on_place(place), if given, is called with the file's write_place as soon as it is sure, which
    for a file whose name carries its export date is before its rows are parsed."""
    path = Path(path)
    if not path.is_file():  # a pipe or a device would keep the import waiting forever; a broken link has no bytes
        return PreparedFile(path=path, file_hash="", refused=NOT_A_FILE, unreadable=True)
    limit = int(settings.max_file_mb * (1 << 20))
    size = path.stat().st_size
    if size > limit:  # refused before a byte is read, so a huge file cannot fill memory
        return PreparedFile(path=path, file_hash="", refused=(
            f"文件大小 {size / (1 << 20):,.0f} MB，超过设置的上限 {settings.max_file_mb:g} MB；"
            "请按月份或区县分成几个文件导出"), unreadable=True)
    prepared = PreparedFile(path=path, file_hash=file_hash(path))
    try:
        tables = read_cell_tables(path, max_unpacked_bytes=limit * UNPACKED_PER_FILE_LIMIT)
    except ImportRefused as err:
        prepared.refused, prepared.unreadable = str(err), True
        return prepared
    try:
        table, body_start, headers, match = _best_table(tables, mappings)
    except ImportRefused as err:
        prepared.refused = str(err)
        return prepared
    prepared.dataset, prepared.mapping_name, prepared.mapping = match.dataset, match.mapping.name, match.mapping
    name_date = _date_in_name(path)
    if name_date is None and _DATE_IN_NAME.search(path.stem):
        written = "".join(_DATE_IN_NAME.search(path.stem).groups())
        prepared.refused = (f"文件名中的导出日期 {written} 不存在（月应为 01-12，日不超过当月天数）；"
                            "导出日期按文件名记录，请改正文件名后重新导入")
        return prepared
    if on_place and name_date:  # _export_date will give the name's date: the place is sure already
        on_place(_place(match.dataset, name_date, path))
    prepared.column_map = {headers[pos]: name for pos, name in match.columns.items()}
    prepared.unmapped_headers = [h for pos, h in enumerate(headers) if pos not in match.columns and h.strip()]
    first_row_number = body_start + 1  # Excel numbers rows from 1
    body = table.body(body_start, len(headers))
    prepared.notes = merged_cell_notes(table.merged, body_start, headers)
    prepared.count_rows_read = body.count_rows_read
    if prepared.count_rows_read == 0:
        prepared.refused = "文件只有表头，没有数据行"
        return prepared
    frame, found = _parse_rows(body, headers, match, first_row_number)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        found = _name_error_cells(path, table.name, headers, found)
    if match.dataset == "rechecks":
        frame, found, prepared.count_rows_not_rechecked = _not_yet_rechecked(frame, found, prepared.column_map)
        if prepared.count_rows_not_rechecked == prepared.count_rows_read:
            prepared.refused = (f"全部 {prepared.count_rows_read:,} 行都未填写复查时间和复查结果（尚未复查），"
                                "没有可导入的行；复查后填好再导入")
            return prepared
    prepared.export_on = _export_date(path, frame, match.dataset)
    if name_date and match.dataset == "problems":
        found = pd.concat([found, issue_frame(_check_found_before_export(frame, name_date, prepared.column_map))],
                          ignore_index=True)
    found = found.sort_values("row_number", kind="stable")  # the clerk reads them row by row
    fatal_rows = found.loc[found["is_fatal"], "row_number"].unique()
    prepared.count_rows_rejected = len(fatal_rows)
    share = len(fatal_rows) / (prepared.count_rows_read - prepared.count_rows_not_rechecked)
    if share > settings.bad_row_share:
        listed = found.head(REFUSED_ISSUES_LISTED)
        prepared.issues = as_issues(listed)
        cut = (f"问题清单列出前 {len(listed):,} 处（共 {len(found):,} 处）；" if len(listed) < len(found) else "")
        prepared.refused = (f"坏行 {len(fatal_rows):,} 行，占 {share:.0%}，超过设置的 {settings.bad_row_share:.0%}，"
                            f"整个文件未导入。主要原因：{refusal_reasons(found)}。{cut}请按问题清单修正后重新导入")
        return prepared
    prepared.issues = as_issues(found)
    good = frame[~frame["_row_number"].isin(fatal_rows)] if len(fatal_rows) else frame
    if "lng" in good:
        prepared.count_rows_without_location = int((good["lng"].isna() | good["lat"].isna()).sum())
        lost = found["reason"].str.endswith(parse.LOCATION_LOST) & ~found["row_number"].isin(fatal_rows)
        prepared.count_rows_location_lost = int(found.loc[lost, "row_number"].nunique())
    prepared.rows = good.drop(columns="_row_number").reset_index(drop=True)
    return prepared


NOT_A_FILE = "不是普通文件（失效的快捷方式或链接、管道或设备），已跳过"
MAX_MERGED_NOTES = 5


def merged_cell_notes(merged, body_start: int, headers: list[str]) -> list[str]:
    """What the clerk is told about cells merged down among the data rows, which the reader filled
    from their top-left cell (cockpit.sheets.fill_merged): the rows and the column of each."""
    notes = [f"第 {top + 1}–{bottom + 1} 行的“{headers[left]}”是合并单元格，已按合并内容填充"
             for top, left, bottom, _right in sorted(merged)
             if bottom > top and bottom >= body_start and left < len(headers) and headers[left]]
    if len(notes) > MAX_MERGED_NOTES:
        notes = notes[:MAX_MERGED_NOTES] + [f"另有 {len(notes) - MAX_MERGED_NOTES} 处合并单元格同样填充"]
    return notes


# A refused file's problem list names this many bad cells at most: its summary gives the reasons with
# their counts, and listing 200,000 rows of one wrong date form made a refusal take minutes.
REFUSED_ISSUES_LISTED = 10_000
TOP_REASONS = 3


def refusal_reasons(found: pd.DataFrame) -> str:
    """The commonest reasons rows were left out, by column, with their counts and one value each
    (检查时间 无法识别的日期 121,145 行，如 01/05/2015 12:40:41 PM)."""
    fatal = found[found["is_fatal"]]
    groups = fatal.groupby(["column_name", "reason"], sort=False).agg(
        rows=("row_number", "nunique"), example=("cell_value", "first"))
    top = groups.sort_values("rows", ascending=False, kind="stable").head(TOP_REASONS)
    return "；".join(f"{column} {reason} {row.rows:,} 行" + (f"，如 {row.example}" if row.example else "")
                    for (column, reason), row in top.iterrows())


def _check_found_before_export(frame: pd.DataFrame, export_on: date, column_map: dict) -> list[CellIssue]:
    """A problem found after the day of the export that lists it is impossible (a wrong date in the
    row or in the file's name): the row is left out, saying which."""
    found_at = pd.to_datetime(frame["found_at"])
    late = found_at.notna() & (found_at.dt.normalize() > pd.Timestamp(export_on))
    column = next((h for h, f in column_map.items() if f == "found_at"), DATASETS["problems"]["found_at"].label)
    return [CellIssue(int(n), column, f"{t:%Y-%m-%d %H:%M}", f"发现时间晚于文件名中的导出日期 {export_on:%Y-%m-%d}", True)
            for n, t in zip(frame["_row_number"][late], found_at[late])]


# Files prepared at once. Most of the work happens in Arrow, numpy and DuckDB, which let other
# threads run meanwhile: the two 70 MB CSVs of the benchmark took 5.5 s one after the other and
# 3.7 s side by side on 2 cores (docs/PERFORMANCE.md). Each file in flight holds its text and
# columns in memory, so not more than this many.
MAX_PREPARE_THREADS = 4


def prepare_threads(file_count: int) -> int:
    """How many files prepare_files and prepared_in_write_order prepare at once."""
    return max(1, min(file_count, os.cpu_count() or 1, MAX_PREPARE_THREADS))


def prepare_files(paths: list[Path], mappings: list[Mapping], settings: Settings, progress=None) -> list[PreparedFile]:
    """prepare_file for every path, several at once; in the order given (the upload preview; the
    import takes them in write order, prepared_in_write_order). progress(share, text) is called from
    the caller's thread as each file is waited for (a Streamlit element can only be updated from its
    script's thread)."""
    with _preparing(paths, mappings, settings) as (futures, _places):
        return list(_waited_for(paths, futures, range(len(paths)), progress))


def write_place(prepared: PreparedFile) -> tuple:
    """Where a prepared file comes in a batch's writes: files not recognised first, then datasets in
    IMPORT_ORDER (points before the problems that name them), each dataset's exports oldest first."""
    return _place(prepared.dataset, prepared.export_on, prepared.path)


def _place(dataset: str | None, export_on: date | None, path: Path) -> tuple:
    return (IMPORT_ORDER.index(dataset) if dataset else -1, export_on or date.min, path.name)


@contextlib.contextmanager
def prepared_in_write_order(paths: list[Path], mappings: list[Mapping], settings: Settings, progress=None):
    """prepare_file for every path, started at once and several at a time as in prepare_files; yields
    an iterator giving them in write_place order, each as soon as it is ready. The files' places are
    known once their headers are read (their export dates come from their names), so the first file
    can be written while the others are still being parsed (docs/PERFORMANCE.md).
    progress is called from the iterating thread, as in prepare_files."""
    with _preparing(paths, mappings, settings) as (futures, places):
        yield _in_write_order(paths, futures, places, progress)


@contextlib.contextmanager
def _preparing(paths: list[Path], mappings: list[Mapping], settings: Settings):
    """Every path's prepare_file started, several at a time: (futures of the prepared files, futures
    of their write places, each settled as early as it is known)."""
    places = [Future() for _ in paths]
    pool = ThreadPoolExecutor(prepare_threads(len(paths)), thread_name_prefix="cockpit-prepare")
    try:
        yield [pool.submit(_prepare_telling_place, path, mappings, settings, place)
               for path, place in zip(paths, places)], places
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure, the files not yet started are not read


def _in_write_order(paths, futures, places, progress):
    """Waits for the places only when first asked (the import takes its lock and copies the live
    version meanwhile)."""
    known = [place.result() for place in places]
    yield from _waited_for(paths, futures, sorted(range(len(paths)), key=known.__getitem__), progress)


def _waited_for(paths, futures, order, progress):
    for count, i in enumerate(order):
        if progress:
            progress(count / len(paths), f"读取 {shown_name(paths[i].name)}")
        yield futures[i].result()


def _prepare_telling_place(path: Path, mappings: list[Mapping], settings: Settings, place: Future) -> PreparedFile:
    """prepare_file, settling `place` with the file's write_place as early as it is known."""
    try:
        prepared = prepare_file(path, mappings, settings, on_place=place.set_result)
    except BaseException as err:
        if not place.done():
            place.set_exception(err)
        raise
    if not place.done():
        place.set_result(write_place(prepared))
    return prepared


def _best_table(tables, mappings):
    """The table and header that best match a dataset: (table, index of the first body row, headers, match).

    Title rows above the header are skipped, and a two-row header with merged cells (a group label
    such as 整改情况 above 整改状态 and 整改时限, and 问题编号 merged down over both rows) is read
    as one row: the lower cell where it has text, else the merged cell above it.
    """
    known = known_header_keys(mappings)
    best = None
    for table in tables:
        rows = table.head_rows()
        nonempty = (i for i, r in enumerate(rows) if has_text(r))
        for header_row in itertools.islice(nonempty, HEADER_SEARCH_ROWS):
            for headers, body_start in _header_candidates(rows, header_row):
                hits = sum(header_key(h) in known for h in headers if h)
                if hits < 2:
                    continue
                match = match_headers(headers, mappings)
                if match and (best is None or len(match.columns) > len(best[3].columns)):
                    best = (table, body_start, headers, match)
    if best is None:
        if not any(has_text(r) for table in tables for r in table.head_rows()):
            raise ImportRefused("文件是空的")
        _refuse_missing_required(tables, mappings)
        raise ImportRefused("无法识别这是哪一类导出：表头与已知的问题台账、检查记录、点位清单、单位清单、"
                            f"网申材料、问卷结果都对不上{_delimiter_note(tables)}；请在“数据导入”页为该平台建立表头映射")
    return best


def _delimiter_note(tables) -> str:
    """For a CSV read as delimited by tabs or semicolons: say so (the clerk may know it is not)."""
    delimiter = next((t.delimiter for t in tables if getattr(t, "delimiter", ",") != ","), None)
    return f"（文件的各列以{DELIMITER_NAMES[delimiter]}分隔，已按{DELIMITER_NAMES[delimiter]}读取）" if delimiter else ""


def _refuse_missing_required(tables, mappings) -> None:
    """When a table's headers clearly belong to one dataset but lack required columns, name them."""
    best = None
    for table in tables:
        for row in [r for r in table.head_rows() if has_text(r)][:HEADER_SEARCH_ROWS]:
            keys = {header_key(c) for c in row if c.strip()}
            for mapping in mappings:
                for dataset, fields in DATASETS.items():
                    index = mapping.header_index(dataset)
                    found = {index[k] for k in keys if k in index} | set(mapping.constants.get(dataset, {}))
                    if len(found) >= 3 and (best is None or len(found) > len(best[1])):
                        best = (dataset, found)
    if best is not None:
        dataset, found = best
        missing = [spec.label for name, spec in DATASETS[dataset].items() if spec.required and name not in found]
        if missing:
            raise ImportRefused(f"看起来是{DATASET_LABELS[dataset]}，但缺少必填的列：{'、'.join(missing)}；"
                                "请在平台导出时勾选这些列")


def _header_candidates(rows, header_row: int):
    """The row itself as the header, and the row merged with the one below it (each header without
    format characters, so the clerk's messages name it as it looks)."""
    upper = [parse.without_format(c).strip() for c in rows[header_row]]
    yield upper, header_row + 1
    if header_row + 1 < len(rows):
        lower = [parse.without_format(c).strip() for c in rows[header_row + 1]]
        width = max(len(upper), len(lower))
        upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
        yield [low or up for up, low in zip(upper, lower)], header_row + 2


_EMPTY_REQUIRED = "必填项为空"
# Columns of one file parsed at once: pandas and Arrow let another thread run during most of it.
PARSE_THREADS = 2


def _parse_rows(body: Body, headers, match: Match, first_row_number: int):
    """Typed columns for the matched fields, plus every bad cell found."""
    width = len(headers)
    overlong = {first_row_number + i: count for i, count in body.overlong.items()}
    row_numbers = pd.Series(first_row_number + body.positions, dtype="int64")
    count = len(row_numbers)
    fields = DATASETS[match.dataset]
    constants = match.mapping.constants.get(match.dataset, {})
    issues: list[CellIssue] = []
    bad_cells: list[pd.DataFrame] = []
    header_of = {name: headers[pos] for pos, name in match.columns.items()}
    texts = {}
    for name in fields:
        if name in constants:
            texts[name] = pd.Series([constants[name]] * count, dtype=object)
        elif name in header_of:
            texts[name] = body.columns[next(p for p, n in match.columns.items() if n == name)]
    with ThreadPoolExecutor(PARSE_THREADS, thread_name_prefix="cockpit-parse") as pool:
        parsed = dict(zip(texts, pool.map(lambda name: _parse_column(texts[name], fields[name].kind, match.mapping),
                                          texts)))
    # The columns are gathered first and made a DataFrame once: adding them to one a column at a
    # time copied the frame's blocks again and again (docs/PERFORMANCE.md).
    columns = {"_row_number": row_numbers.to_numpy()}
    for name, spec in fields.items():
        if name not in texts:
            columns[name] = np.full(count, None, dtype=object)
            continue
        text = texts[name]
        values, reasons = parsed[name]
        if spec.required:
            missing = values.isna() & reasons.isna()
            reasons[missing] = _EMPTY_REQUIRED
        if spec.bounds:
            low, high = spec.bounds
            outside = values.notna() & reasons.isna() & ((values < low) | (values > high))
            if outside.any():  # the value as read shows the clerk how the cell was understood
                reasons[outside.to_numpy(dtype=bool)] = [
                    f"{spec.label} {value:g} 不在合理范围内（应在 {low:g} 到 {high:g} 之间）" for value in values[outside]]
        columns[name] = values.values
        bad = reasons.notna()
        if bad.any():  # most columns have no bad cell: no need to cut three Series down to nothing
            bad_cells.append(pd.DataFrame({"row_number": row_numbers[bad].to_numpy(),
                                           "column_name": header_of.get(name, spec.label),
                                           "cell_value": text[bad].astype(str).to_numpy(),
                                           "reason": reasons[bad].astype(str).to_numpy(), "is_fatal": True}))
    out = pd.DataFrame(columns)
    if "lng" in fields:
        issues += _fix_location(out, match, header_of, texts)
    if match.dataset == "problems":
        issues += _check_deadline(out, header_of)
    issues += _check_keys(out, match.dataset, header_of)
    found = pd.concat([*bad_cells, issue_frame(issues)], ignore_index=True) if bad_cells else issue_frame(issues)
    if overlong:  # the cells of such a row have slid sideways: one clear reason, not one per column
        found = pd.concat([found[~found["row_number"].isin(list(overlong))], issue_frame([
            CellIssue(n, "整行", "", f"本行有 {count} 个单元格，多于表头的 {width} 列（可能某个单元格含逗号却没加引号）", True)
            for n, count in overlong.items()])], ignore_index=True)
    return out, found


ISSUE_COLUMNS = ["row_number", "column_name", "cell_value", "reason", "is_fatal"]


def as_issues(found: pd.DataFrame) -> list[CellIssue]:
    return [CellIssue(*cells) for cells in zip(*(found[c].tolist() for c in ISSUE_COLUMNS))]


def issue_frame(issues: list[CellIssue]) -> pd.DataFrame:
    """Bad cells as a frame with CellIssue's columns: a file's bad cells are gathered as frames, and
    made CellIssue objects only for those listed (a refused file of 200,000 bad rows lists the first)."""
    return pd.DataFrame([vars(i) for i in issues], columns=ISSUE_COLUMNS).astype(
        {"row_number": "int64", "is_fatal": "bool"})


# A column whose first rows are mostly distinct (ids, descriptions, times to the second) is parsed
# as it is: finding its distinct cells first would cost more than it saves.
DISTINCT_SAMPLE_ROWS = 2000
MOSTLY_DISTINCT = 0.5


def _parse_column(text: pd.Series, kind: str, mapping: Mapping):
    """Parse each distinct cell text once and map the results back onto the rows.

    Exports repeat the same units, statuses, categories and dates thousands of times, and every
    parser treats a cell on its own, so this gives the same values and reasons as parsing every row.
    """
    text = text.reset_index(drop=True)
    sample = text.iloc[:DISTINCT_SAMPLE_ROWS]
    if len(text) > DISTINCT_SAMPLE_ROWS and sample.nunique() > MOSTLY_DISTINCT * len(sample):
        return _parse_distinct(text, kind, mapping)
    codes, distinct = pd.factorize(text, use_na_sentinel=False)
    values, reasons = _parse_distinct(pd.Series(distinct, dtype=text.dtype), kind, mapping)
    return values.take(codes).reset_index(drop=True), reasons.take(codes).reset_index(drop=True)


def _parse_distinct(text: pd.Series, kind: str, mapping: Mapping):
    """The column's values and reasons; a cell holding an Excel error value (#DIV/0!) has no value and
    says so, whatever the column."""
    values, reasons = _parse_values(text, kind, mapping)
    # A typed column cannot read an error value, so only its unread cells are looked at.
    errors = excel_errors.error_cells(text if kind.startswith(_TEXT_KINDS) else text[reasons.notna()])
    if len(errors):
        failed = text.index.isin(errors.index)
        values = values.where(~failed, None) if values.dtype == object else values.mask(failed)
        reasons[errors.index] = errors.map(excel_errors.error_reason)
    return values, reasons


# Kinds that keep any text as it is written (word: keeps unknown words).
_TEXT_KINDS = ("id", "name", "text", "word:")


def _parse_values(text: pd.Series, kind: str, mapping: Mapping):
    if kind.startswith(("vocab:", "word:")):
        vocab = kind.split(":", 1)[1]
        words = {**_builtin_vocabulary(vocab), **mapping.vocabulary(vocab)}
        return parse.parse_words(text, words, strict=kind.startswith("vocab:"), what=_WORD_NAMES.get(vocab, "取值"))
    if kind == "bool":
        values, reasons = parse.parse_words(text, {**_builtin_vocabulary("yes_no"), **mapping.vocabulary("yes_no")},
                                            strict=True, what="是/否取值")
        return values.map({"yes": True, "no": False}).astype(object).where(values.notna(), None), reasons
    if kind in ("timestamp", "date"):
        reader = parse.parse_timestamp if kind == "timestamp" else parse.parse_date
        return reader(text, mapping.date_order)
    parser = {
        "id": parse.parse_id, "name": parse.parse_name, "text": parse.parse_text,
        "number": parse.parse_number,
        "integer": parse.parse_integer, "lng": parse.parse_number, "lat": parse.parse_number,
        "rate": parse.parse_rate,
    }[kind]
    return parser(text)


_WORD_NAMES = {"problem_status": "状态", "material_status": "材料状态", "unit_kind": "单位类型",
               "survey_indicator": "调查指标", "source": "来源"}
_BUILTIN_VOCABULARIES: dict[str, dict[str, str]] = {}


def _builtin_vocabulary(name: str) -> dict[str, str]:
    from cockpit.ingest.mapping import builtin_mapping

    if name not in _BUILTIN_VOCABULARIES:
        _BUILTIN_VOCABULARIES[name] = builtin_mapping().vocabulary(name)
    return _BUILTIN_VOCABULARIES[name]


def _fix_location(out: pd.DataFrame, match: Match, header_of: dict, texts: dict) -> list[CellIssue]:
    """Swap, drop and convert coordinates to WGS-84; a bad location never rejects a row. Each
    reason is listed with the coordinates as the file wrote them."""
    lng, lat, reasons = parse.fix_coordinates(out["lng"].astype("float64"), out["lat"].astype("float64"))
    located = lng.notna() & lat.notna()
    if located.any():
        wgs_lng, wgs_lat = to_wgs84(lng[located].to_numpy(), lat[located].to_numpy(),
                                    match.mapping.coordinate_system)
        lng[located], lat[located] = wgs_lng, wgs_lat
    out["lng"], out["lat"] = lng, lat
    column = f"{header_of.get('lng', '经度')}/{header_of.get('lat', '纬度')}"
    bad = reasons.notna()
    if not bad.any():
        return []
    written = {name: texts[name][bad].astype(str).str.strip() if name in texts else pd.Series("", index=bad.index)[bad]
               for name in ("lng", "lat")}
    values = (written["lng"] + ", " + written["lat"]).tolist()
    return [CellIssue(int(n), column, v, str(r), False)
            for n, v, r in zip(out["_row_number"][bad], values, reasons[bad])]


def _name_error_cells(path: Path, sheet_name: str, headers: list[str], found: pd.DataFrame) -> pd.DataFrame:
    """An empty required cell of an .xlsx that holds an Excel error value (calamine reads it as empty)
    is named as that error."""
    empty = found.index[found["reason"] == _EMPTY_REQUIRED]
    if len(empty) == 0:
        return found
    errors = excel_errors.sheet_error_cells(path, sheet_name)
    position = {header: at for at, header in reversed(list(enumerate(headers)))}
    for at in empty:
        error = errors.get((int(found.at[at, "row_number"]), position.get(found.at[at, "column_name"], -1)))
        if error:
            found.at[at, "cell_value"], found.at[at, "reason"] = error, excel_errors.error_reason(error)
    return found


def not_rechecked_note(count: int) -> str:
    """What the import summary and preview say of a checklist's rows left blank (not an error)."""
    return f"未填写复查结果的 {count:,} 行未导入（尚未复查）"


def _not_yet_rechecked(frame: pd.DataFrame, found: pd.DataFrame, column_map: dict):
    """A 回头看 checklist goes out with blank result columns and comes back partly filled: a row whose
    复查时间 and 复查结果 are both empty was not re-checked yet, so it is left out without being a bad
    row (its other cells are not judged). One of the two filled alone stays a bad row. Returns the
    frame and issues without those rows, and their count."""
    header = {name: column for column, name in column_map.items()}
    empty = found[found["reason"] == _EMPTY_REQUIRED]
    blank = [set(empty.loc[empty["column_name"] == header.get(name, DATASETS["rechecks"][name].label), "row_number"])
             for name in ("rechecked_at", "result")]
    skipped = list(blank[0] & blank[1])
    if not skipped:
        return frame, found, 0
    return (frame[~frame["_row_number"].isin(skipped)], found[~found["row_number"].isin(skipped)].reset_index(drop=True),
            len(skipped))


def _check_deadline(out: pd.DataFrame, header_of: dict) -> list[CellIssue]:
    """A deadline before the day the problem was found is impossible: the row is left out."""
    found_on = pd.to_datetime(out["found_at"]).dt.normalize()
    due_on = pd.to_datetime(out["due_on"])
    bad = due_on.notna() & found_on.notna() & (due_on < found_on)
    column = header_of.get("due_on", "整改时限")
    return [CellIssue(int(n), column, f"{d:%Y-%m-%d}", f"整改时限早于发现时间（{f:%Y-%m-%d}）", True)
            for n, d, f in zip(out["_row_number"][bad], due_on[bad], found_on[bad])]


def _check_keys(out: pd.DataFrame, dataset: str, header_of: dict) -> list[CellIssue]:
    """Every row needs its key once: a repeated key keeps its first row and rejects the others."""
    if dataset == "responsibility":  # a place's key is its area's business: responsibility.py checks both
        return [CellIssue(*issue) for issue in responsibility.check_rows(out, header_of)]
    if dataset == "inspections":
        place = out["point_id"].fillna(out["point_name"])
        made = place + "@" + out["inspected_at"].astype(str)
        out["inspection_id"] = out["inspection_id"].fillna(made)
    if dataset == "surveys":
        out["district"] = out["district"].fillna("全市")
        out["round_name"] = out["round_name"].fillna(out["surveyed_on"].astype(str))
    key = {"problems": ["problem_id"], "inspections": ["inspection_id"], "points": ["point_id"],
           "units": ["unit_name"], "materials": ["item_id"],
           "surveys": ["round_name", "indicator", "district"],
           "assignments": ["item_id"], "rechecks": ["problem_id", "rechecked_at"], "talks": ["talked_on", "unit_name"],
           "indicators": ["indicator_code"], "results": ["year"], "tasks": ["task_name", "milestone_name"]}[dataset]
    present = out[key].notna().all(axis=1)
    # Rows come in file order, so a key's first row is its first occurrence. Finding the repeats by
    # hashing is quicker than grouping every key (a third of a second per 280,000 problems).
    repeated = present & out.duplicated(subset=key, keep="first")
    if not repeated.any():
        return []
    keyed = out[present]
    first_row = keyed.groupby(key, dropna=False)["_row_number"].transform("min")[repeated[present]]
    column = header_of.get(key[0], DATASETS[dataset][key[0]].label)
    return [CellIssue(int(out.at[i, "_row_number"]), column, str(out.at[i, key[0]]),
                      f"与第 {int(first)} 行重复，只保留第一行", True)
            for i, first in first_row.items()]


def _date_in_name(path: Path) -> date | None:
    found = _DATE_IN_NAME.search(path.stem)
    if found:
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            pass
    return None


def _export_date(path: Path, frame: pd.DataFrame, dataset: str) -> date:
    """The export's date: from its file name when it carries one, else its newest activity."""
    name_date = _date_in_name(path)
    if name_date:
        return name_date
    activity = [c for c in ("found_at", "assigned_at", "rectified_at", "checked_at", "inspected_at",
                            "submitted_at") if c in frame and frame[c].notna().any()]
    newest = max((frame[c].max() for c in activity), default=None)
    return newest.date() if newest is not None and not pd.isna(newest) else date.today()
