"""The import page's work, without Streamlit: stage uploads, preview them against the published data,
import them, list the imports and undo the last one, and draft a mapping for an unrecognised file.

Undo relies on the store's immutable versions (cockpit/store/versions.py): every import writes a new version copied
from the live one and notes that parent, so undoing publishes the parent again, the very file
that was live before, byte for byte.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from cockpit.ingest import parse, preparing, reading, writing
from cockpit.ingest.fields import DATASETS
from cockpit.ingest.import_report import REJECT_COLUMNS, rejects_frame
from cockpit.ingest.mapping import Mapping, MappingDraft, builtin_mapping, header_key, word_key
from cockpit.ingest.preparing import PreparedFile
from cockpit.ingest.reading import ImportRefused
from cockpit.ingest.writing import BatchResult, FileOutcome
from cockpit.outputs import exports
from cockpit.settings import Settings
from cockpit.store import readers, versions

UPLOAD_TYPES = ("xlsx", "xls", "csv")
STATUS_LABELS = {"pending": "待整改", "in_progress": "整改中", "awaiting_check": "待复核", "closed": "已销号",
                 "returned": "退回"}
UNDO_LOG_NAME = "import-undo.log"
# The cockpit's words of each strict vocabulary (fields.py kind vocab:<name>), as the clerk reads them.
VOCABULARY_LABELS = {
    "problem_status": STATUS_LABELS,
    "material_status": {"not_submitted": "未报送", "submitted": "已报送", "approved": "审核通过", "returned": "退回"},
    "unit_kind": {"district": "区县", "street": "街道", "township": "乡镇", "department": "市直部门", "community": "社区"},
    "survey_indicator": {"awareness": "知晓率", "support": "支持率", "participation": "参与率", "satisfaction": "满意度"},
    "recheck_result": {"done": "到位", "not_done": "未到位", "rebound": "反弹"},
}
# The key each dataset's rows are known by (preparing._check_keys), as import_key_changes.sql compares it.
RECORD_KEYS = {"inspections": ["inspection_id"], "points": ["point_id"], "units": ["unit_name"],
               "materials": ["item_id"], "surveys": ["round_name", "indicator", "district"],
               "assignments": ["item_id"], "rechecks": ["problem_id", "rechecked_at"], "talks": ["talked_on", "unit_name"],
               "responsibility": ["street", "community", "grid"],
               "indicators": ["indicator_code"], "results": ["year"], "tasks": ["task_name"]}


class NothingToUndo(Exception):
    """Undo is not possible; the message says why, for the clerk."""


# ---- uploads -----------------------------------------------------------------------------------

STAGING_PREFIX = "cockpit-upload-"
STAGING_MAX_AGE_SECONDS = 24 * 3600


def staging_folder() -> Path:
    """A private folder for one preview's uploads; removed when the clerk confirms or cancels, or a day
    later by the next preview (a clerk may close the browser mid-preview)."""
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX))
    for old in folder.parent.glob(f"{STAGING_PREFIX}*"):
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_mtime > STAGING_MAX_AGE_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
    return folder


def stage_uploads(files: list[tuple[str, bytes]], folder: Path, settings: Settings) -> list[Path | PreparedFile]:
    """Write each upload under its own numbered folder (two uploads may share a name), keeping its
    name: the export date is read from it and the import log shows it. An upload refused here (too
    big, a type the importer cannot read) comes back as a refused PreparedFile, so the others go on."""
    staged: list[Path | PreparedFile] = []
    for i, (name, data) in enumerate(files):
        slot = folder / str(i)
        slot.mkdir(parents=True, exist_ok=True)
        try:
            staged.append(reading.save_upload(name, data, slot, settings))
        except ImportRefused as err:
            staged.append(PreparedFile(path=Path(reading.safe_file_name(name)), file_hash="", refused=str(err)))
    return staged


def discard(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


# ---- preview -----------------------------------------------------------------------------------

@dataclass
class FilePreview:
    prepared: PreparedFile
    already_imported: bool = False
    same_as: str | None = None               # an earlier upload of this preview with the same bytes
    changes: pd.DataFrame | None = None      # import_changes.sql (problems) or import_key_changes.sql
    headers: list[str] = field(default_factory=list)   # an unrecognised file's header row, for mapping
    sample: pd.DataFrame | None = None                  # and its first rows
    values: dict[str, list[str]] = field(default_factory=dict)  # header -> its distinct values, in order

    @property
    def name(self) -> str:
        return reading.shown_name(self.prepared.path.name)

    @property
    def needs_mapping(self) -> bool:
        """Not recognised, or recognised by the built-in headers but with dates not written year-first,
        yet a header row could be read: the clerk can map it (and say how its dates are written)."""
        return (self.prepared.dataset is None or self.needs_date_order) and len(self.headers) >= 2

    @property
    def needs_date_order(self) -> bool:
        """Recognised by the built-in mapping, with dates that need a platform's date_order."""
        mapping = self.prepared.mapping
        return mapping is not None and mapping.is_builtin and order_needed(self.prepared)

    @property
    def saved_mapping(self) -> Mapping | None:
        """The office's own mapping that recognised the file (one the page can teach words to)."""
        mapping = self.prepared.mapping
        return mapping if mapping is not None and not mapping.is_builtin else None

    @property
    def will_import(self) -> bool:
        return not self.prepared.refused and not self.already_imported and not self.same_as

    @property
    def count_good(self) -> int:
        return 0 if self.prepared.rows is None else len(self.prepared.rows)

    @property
    def mapped(self) -> pd.DataFrame:
        """The file's headers and the cockpit field each one feeds (未导入 for the others)."""
        fields = DATASETS.get(self.prepared.dataset or "", {})
        rows = [(header, fields[name].label if name in fields else name)
                for header, name in self.prepared.column_map.items()]
        rows += [(header, "未导入（驾驶舱不使用）") for header in self.prepared.unmapped_headers]
        return pd.DataFrame(rows, columns=["文件中的表头", "驾驶舱字段"])

    @property
    def missing_fields(self) -> list[str]:
        """Cockpit fields the file does not carry (it imports without them)."""
        fields = DATASETS.get(self.prepared.dataset or "", {})
        present = set(self.prepared.column_map.values())
        return [spec.label for name, spec in fields.items() if name not in present]


def preview_files(staged: list[Path | PreparedFile], con, mappings: list[Mapping], settings: Settings,
                  progress=None) -> list[FilePreview]:
    """Prepare every staged file and compare it with the published data (con reads it). Writes nothing."""
    known_hashes = set(readers.run(con, "import_state")["file_hash"].dropna())
    first_of: dict[str, str] = {}  # file hash -> the first upload with those bytes
    paths = [path for path in staged if not isinstance(path, PreparedFile)]
    prepared_in_order = iter(preparing.prepare_files(paths, mappings, settings, progress))
    previews = []
    for path in staged:
        if isinstance(path, PreparedFile):  # refused while staging
            previews.append(FilePreview(path))
            continue
        prepared = next(prepared_in_order)
        item = FilePreview(prepared, already_imported=bool(prepared.file_hash) and prepared.file_hash in known_hashes)
        if prepared.file_hash in first_of:  # the importer would skip it as already imported
            item.same_as = first_of[prepared.file_hash]
        elif prepared.file_hash:
            first_of[prepared.file_hash] = item.name
        if (prepared.dataset is None or order_needed(prepared)) and prepared.file_hash and not prepared.unreadable:
            item.headers, item.sample, item.values = header_row_guess(path)
        elif item.will_import and prepared.rows is not None:
            item.changes = _changes(con, prepared)
        previews.append(item)
    return previews


def _changes(con, prepared: PreparedFile) -> pd.DataFrame:
    rows = prepared.rows
    if prepared.dataset == "problems":
        return readers.run(con, "import_changes", problem_ids=rows["problem_id"].astype(str).tolist(),
                      statuses=rows["status"].astype(str).tolist())
    key = rows[RECORD_KEYS[prepared.dataset]].fillna("").astype(str).agg("|".join, axis=1)
    return readers.run(con, "import_key_changes", dataset=prepared.dataset, record_keys=key.tolist())


def change_lines(item: FilePreview) -> list[str]:
    """What importing the file would change, one sentence a line, for the preview."""
    changes = item.changes
    if changes is None or changes.empty:
        return []
    if item.prepared.dataset != "problems":
        counts = dict(zip(changes["change_kind"], changes["count_records"]))
        return [f"新增 {counts.get('new', 0):,} 条，更新已有的 {counts.get('existing', 0):,} 条"]
    lines = []
    for row in changes.itertuples():
        ids = "、".join(row.example_ids) + ("等" if row.count_problems > len(row.example_ids) else "")
        after = STATUS_LABELS.get(row.status_after, row.status_after)
        if row.change_kind == "new":
            lines.append(f"新问题 {row.count_problems:,} 个（{after}）：{ids}")
        elif row.change_kind == "status_changed":
            before = STATUS_LABELS.get(row.status_before, row.status_before)
            lines.append(f"状态变化 {row.count_problems:,} 个（{before} → {after}）：{ids}")
    unchanged = int(changes.loc[changes["change_kind"] == "unchanged", "count_problems"].sum())
    if unchanged:
        lines.append(f"状态不变 {unchanged:,} 个")
    return lines


def header_row_guess(path: Path, sample_rows: int = 3) -> tuple[list[str], pd.DataFrame, dict[str, list[str]]]:
    """An unrecognised file's header row: among the first rows of each sheet, the one with the most
    filled cells (a title row above the header has one). Its distinct, non-empty cells in order, the
    first rows under it (so the clerk sees what each column holds) and each column's distinct values
    (so words a vocabulary does not know can be mapped)."""
    try:
        tables = reading.read_tables(path)
    except ImportRefused:
        return [], pd.DataFrame(), {}
    best: list[str] = []
    body: list[list[str]] = []
    for _name, rows in tables:
        filled = [[str(c).strip() for c in r] for r in rows if any(str(c).strip() for c in r)]
        for at, row in enumerate(filled[:preparing.HEADER_SEARCH_ROWS]):
            if sum(map(bool, row)) > sum(map(bool, best)):
                best, body = row, filled[at + 1:]
    keep = [pos for pos, header in enumerate(best) if header and header not in best[:pos]]
    cells = [[r[pos] if pos < len(r) else "" for pos in keep] for r in body]
    headers = [best[pos] for pos in keep]
    values = {h: list(dict.fromkeys(v for v in column if v)) for h, column in zip(headers, zip(*cells))}
    return headers, pd.DataFrame(cells[:sample_rows], columns=headers), values


def unknown_words(item: FilePreview, dataset: str, field_name: str, header: str) -> list[str]:
    """The values of the file's column for a strict vocabulary field that the built-in words do not
    cover (an unknown word rejects its row), in the order they first appear."""
    kind = DATASETS[dataset][field_name].kind
    if not kind.startswith("vocab:") or not header:
        return []
    known = builtin_mapping().vocabulary(kind.split(":", 1)[1])
    return [v for v in item.values.get(header, []) if word_key(v) not in known]


def order_needed(prepared: PreparedFile) -> bool:
    return any(i.reason == parse.ORDER_NEEDED for i in prepared.issues)


@dataclass
class NewWords:
    """Words of a recognised file's column that its mapping lacks (each rejected its rows)."""
    field_name: str
    vocabulary: str
    header: str
    words: list[str]


def new_words(item: FilePreview) -> list[NewWords]:
    """For a file a mapping recognised (a saved one or the built-in): each strict vocabulary column's
    words that neither that mapping nor the built-in one knows, in the order the rows show them."""
    mapping = item.prepared.mapping
    if mapping is None or item.prepared.dataset is None:
        return []
    fields = DATASETS[item.prepared.dataset]
    found = []
    for header, field_name in item.prepared.column_map.items():
        kind = fields[field_name].kind
        if not kind.startswith("vocab:"):
            continue
        vocabulary = kind.split(":", 1)[1]
        known = {**builtin_mapping().vocabulary(vocabulary), **mapping.vocabulary(vocabulary)}
        words = list(dict.fromkeys(i.cell_value.strip() for i in item.prepared.issues
                                   if i.column_name == header and i.cell_value.strip()
                                   and word_key(i.cell_value) not in known))
        if words:
            found.append(NewWords(field_name, vocabulary, header, words))
    return found


def platform_draft(item: FilePreview, name: str, words: dict[str, dict[str, list[str]]]) -> MappingDraft:
    """A mapping for the platform of a file the built-in headers recognised: the file's own headers for
    the fields they fed, the built-in coordinate system and date order, and the words the clerk mapped.
    Saved, it is chosen before the built-in one for that platform's files (and only for files carrying
    all those headers, mapping.match_headers), so the words are known from then on."""
    prepared = item.prepared
    return MappingDraft(name=name, dataset=prepared.dataset, columns={f: h for h, f in prepared.column_map.items()},
                        coordinate_system=prepared.mapping.coordinate_system, values=words,
                        date_order=prepared.mapping.date_order)


def suggested_date_order(values: dict[str, list[str]]) -> str | None:
    """How the file writes its dates, where its values prove it: "ymd" when every date starts with its
    year; "mdy" or "dmy" when some date not year-first has a day above 12 in second or first place;
    None when they could be either (01/05/2015): the clerk must say, it is never guessed."""
    firsts, seconds = [], []
    for column in values.values():
        for value in column[:GUESS_ROWS]:
            found = parse.GENERAL_DATE.match(value.strip())
            if found and len(found.group(1)) != 4:
                firsts.append(int(found.group(1)))
                seconds.append(int(found.group(2)))
    if not firsts:
        return "ymd"
    day_first, month_first = max(firsts) > 12, max(seconds) > 12
    if day_first != month_first:
        return "dmy" if day_first else "mdy"
    return None


def suggested_dataset(headers: list[str]) -> str:
    """The dataset whose built-in headers the file shares most (problems when none)."""
    builtin = builtin_mapping()
    keys = {header_key(h) for h in headers}
    hits = {d: len(keys & set(builtin.header_index(d))) for d in DATASETS}
    return max(DATASETS, key=lambda d: (hits[d], d == "problems"))


def suggested_columns(headers: list[str], dataset: str, values: dict[str, list[str]] | None = None) -> dict[str, str]:
    """field -> header, as a first guess for the mapping drop-downs: where the file uses a built-in
    header or the field's own Chinese label; then headers much like one (所在街道 for 所属街道, 案件状态
    for 状态); then by what the columns hold (the first date column is when the problem was found,
    coordinates by their range, the first column of distinct codes the record's number)."""
    variants = {name: {header_key(spec.label)} for name, spec in DATASETS[dataset].items()}
    for key, name in builtin_mapping().header_index(dataset).items():
        variants[name].add(key)
    chosen: dict[str, str] = {}
    for header in headers:
        name = next((n for n, keys in variants.items() if header_key(header) in keys), None)
        if name and name not in chosen:
            chosen[name] = header
    _guess_by_likeness(headers, variants, chosen)
    if values:
        _guess_by_values(headers, dataset, values, chosen)
    return chosen


LIKE_ENOUGH = 0.7
GUESS_ROWS = 50  # the values looked at per column for a guess


def _likeness(header: str, keys: set[str]) -> float:
    key = header_key(header)
    def alike(k: str) -> float:
        if len(k) >= 2 and k in key:  # 状态 in 案件状态, lat in latitude
            return 0.8
        if len(key) >= 2 and key in k:  # 类别 in 问题类别
            return 0.75
        return difflib.SequenceMatcher(None, key, k).ratio()

    return max(map(alike, keys))


def _guess_by_likeness(headers: list[str], variants: dict[str, set[str]], chosen: dict[str, str]) -> None:
    pairs = sorted(((_likeness(h, variants[n]), -pos, n, h) for pos, h in enumerate(headers)
                    if h not in chosen.values() for n in variants if n not in chosen), reverse=True)
    for score, _pos, name, header in pairs:
        if score < LIKE_ENOUGH:
            break
        if name not in chosen and header not in chosen.values():
            chosen[name] = header


_CODE = re.compile(r"^[A-Za-z0-9_\-]*[0-9][A-Za-z0-9_\-]*$")


def _guess_by_values(headers: list[str], dataset: str, values: dict[str, list[str]], chosen: dict[str, str]) -> None:
    fields = DATASETS[dataset]
    for header in headers:
        if header in chosen.values():
            continue
        cells = [v.strip() for v in values.get(header, [])[:GUESS_ROWS] if v.strip()]
        if not cells:
            continue
        name = _field_by_shape(cells, fields, chosen)
        if name:
            chosen[name] = header


def _field_by_shape(cells: list[str], fields: dict, chosen: dict[str, str]) -> str | None:
    """The first free field the cells fit: a time field for dates, lng or lat for coordinates in
    China's range, the dataset's first id field for distinct codes."""
    def free(kinds):
        return next((n for n, spec in fields.items() if spec.kind in kinds and n not in chosen), None)

    if all(parse.GENERAL_DATE.match(c) or re.match(r"^\d{4}-\d{2}-\d{2}", c) for c in cells):
        return free(("timestamp",))
    numbers = pd.to_numeric(pd.Series(cells), errors="coerce")
    if numbers.notna().all() and all("." in c for c in cells):
        for kind, (low, high) in (("lng", parse.CHINA_LNG), ("lat", parse.CHINA_LAT)):
            if numbers.between(low, high).all() and kind in fields and kind not in chosen:
                return kind
        return None
    if all(_CODE.match(c) for c in cells) and len(set(cells)) == len(cells):
        return free(("id",))
    return None


def issues_frame(previews: list[FilePreview]) -> pd.DataFrame:
    """Every bad cell of the previewed files, as the import report lists them (file, row, column,
    value, reason, outcome); files already imported are left out, as the importer skips them."""
    outcomes = [FileOutcome(p.prepared, "skipped" if p.already_imported or p.same_as else "refused"
                            if p.prepared.refused else "imported", "") for p in previews]
    return rejects_frame(BatchResult(outcomes=outcomes, published=None))


def issues_xlsx(frame: pd.DataFrame, notes: list[tuple[str, str]]) -> bytes:
    """The bad rows as an Excel workbook to send back to whoever made the export."""
    columns = {c: c for c in REJECT_COLUMNS.values()}
    return exports.to_xlsx(frame, columns, "问题行", notes)


# ---- import, history and undo ------------------------------------------------------------------

def import_staged(paths: list[Path], directory: Path, settings: Settings, imported_by: str,
                  progress=None) -> BatchResult:
    """The real importer on the staged files, under its lock (ImportBusy when another one runs)."""
    return writing.import_files(paths, db_directory=directory, settings=settings, imported_by=imported_by,
                                 progress=progress)


def undo_blocker(directory: Path) -> str | None:
    """Why the last import cannot be undone (shown beside the button), or None when it can."""
    live = versions.current_file(directory)
    if live is None:
        return "还没有导入过数据。"
    if versions.parent_version(live) is None:
        return "找不到最近一次导入之前的数据版本（这是第一次导入，或这份数据不是在驾驶舱里导入的，或旧版本已被清理），无法撤销。"
    return None


@dataclass
class UndoResult:
    restored: Path              # the version live again
    undone: pd.DataFrame        # the import log rows of the batch taken back


def undo_last_import(directory: Path, undone_by: str, keep_versions: int, wait_seconds: float = 0) -> UndoResult:
    """Publish again the version that was live before the last import (its whole batch).

    Checked first: the earlier version's import log must be the live log without that batch, so a
    missing or mismatched version is refused rather than published. ImportBusy while an import runs.
    """
    with versions.import_lock(directory, wait_seconds):
        blocker = undo_blocker(directory)
        if blocker:
            raise NothingToUndo(blocker)
        live = versions.current_file(directory)
        parent = versions.parent_version(live)
        log = _log_of(live)
        undone = log[log["is_last_batch"]]
        if undone.empty or _log_keys(_log_of(parent)) != _log_keys(log[~log["is_last_batch"]]):
            raise NothingToUndo("上一个数据版本与导入记录对不上，为安全起见没有撤销。请联系管理员。")
        versions.publish(directory, parent, keep_versions)
        _note_undo(directory, undone, undone_by, live, parent)
    return UndoResult(parent, undone)


def _log_of(path: Path) -> pd.DataFrame:
    con = readers.open_reader(path)
    try:
        return readers.run(con, "import_history")
    finally:
        con.close()


def _log_keys(log: pd.DataFrame) -> list[tuple]:
    return sorted(zip(log["import_id"], log["batch_id"], log["file_hash"], log["imported_at"]))


def _note_undo(directory: Path, undone: pd.DataFrame, undone_by: str, live: Path, restored: Path) -> None:
    files = "、".join(undone.sort_values("import_id")["file_name"])
    line = (f"{datetime.now():%Y-%m-%d %H:%M:%S}\t{undone_by}\t撤销第 {int(undone['batch_id'].iloc[0])} 批导入"
            f"（{files}）\t{live.name} → {restored.name}\n")
    with open(directory / UNDO_LOG_NAME, "a", encoding="utf-8") as log:
        log.write(line)


def undo_notes(directory: Path, limit: int = 20) -> pd.DataFrame:
    """The latest undos, newest first: time, who, what."""
    try:
        lines = (directory / UNDO_LOG_NAME).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    rows = [line.split("\t")[:3] for line in reversed(lines[-limit:]) if line.count("\t") >= 3]
    return pd.DataFrame(rows, columns=["时间", "操作人", "撤销的导入"])
