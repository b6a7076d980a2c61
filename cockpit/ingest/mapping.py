"""Mappings: which header a platform uses for each field, which words for each value.

A file is matched against every mapping; a platform's own mapping is chosen when its own headers
match the file, the built-in one otherwise. A platform mapping borrows the built-in headers and
words for whatever it does not list itself. A platform mapping that lists only built-in headers
(saved on the import page for a platform whose exports use them) is chosen only for files carrying
every field it lists.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.ingest.fields import DATASET_LABELS, DATASETS
from cockpit.ingest.parse import DATE_ORDERS, word_key
from cockpit.settings import write_atomically

BUILTIN_PATH = Path(__file__).parent / "mappings" / "builtin.toml"
COORDINATE_SYSTEMS = ("wgs84", "gcj02", "bd09")
COORDINATE_LABELS = {"wgs84": "WGS-84（GPS、天地图）", "gcj02": "GCJ-02（高德、腾讯）", "bd09": "BD-09（百度）"}
# A table's header row is found by at least this many headers a mapping knows (preparing._best_table).
MIN_MAPPED_HEADERS = 2
# Datasets that name their rows in one of several ways (match_headers checks the same).
ONE_OF = {"inspections": ("inspection_id", "point_id", "point_name")}


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the key."""


def header_key(text: object) -> str:
    """Headers compare without spaces (full-width ones too), format characters and case."""
    return word_key(text)


@dataclass
class Mapping:
    name: str
    path: Path
    coordinate_system: str
    headers: dict[str, dict[str, list[str]]]          # dataset -> field -> header variants
    constants: dict[str, dict[str, str]]              # dataset -> field -> value for every row
    values: dict[str, dict[str, list[str]]]           # vocabulary -> our word -> their words
    is_builtin: bool = False
    date_order: str = "ymd"                           # how dates not written year-first are read (parse.DATE_ORDERS)
    _lookup: dict = field(default_factory=dict, repr=False)

    def header_index(self, dataset: str) -> dict[str, str]:
        """header key -> field, for this mapping's own headers."""
        return {header_key(h): f for f, hs in self.headers.get(dataset, {}).items() for h in hs}

    def vocabulary(self, name: str) -> dict[str, str]:
        """their word (key form) -> our word."""
        if name not in self._lookup:
            self._lookup[name] = {word_key(w): ours for ours, ws in self.values.get(name, {}).items()
                                  for w in [ours, *ws]}
        return self._lookup[name]


def load_mapping(path: Path, *, is_builtin: bool = False) -> Mapping:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"找不到映射文件 {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise MappingError(f"映射文件 {path.name} 格式有误：{err}") from None
    system = raw.get("coordinate_system", "wgs84")
    if system not in COORDINATE_SYSTEMS:
        raise MappingError(f"映射文件 {path.name} 的 coordinate_system 应为 wgs84、gcj02 或 bd09，现为 {system!r}")
    order = raw.get("date_order", "ymd")
    if order not in DATE_ORDERS:
        raise MappingError(f"映射文件 {path.name} 的 date_order 应为 ymd（年在前）、mdy（月在前）或 dmy（日在前），现为 {order!r}")
    headers, constants = {}, {}
    for dataset, fields in DATASETS.items():
        section = raw.get(dataset, {})
        for key in section.get("headers", {}):
            if key not in fields:
                raise MappingError(f"映射文件 {path.name} 的 [{dataset}.headers] 中 {key} 不是驾驶舱的字段；"
                                   f"可用：{'、'.join(fields)}")
        headers[dataset] = {k: _as_list(v, path, f"{dataset}.headers.{k}")
                            for k, v in section.get("headers", {}).items()}
        constants[dataset] = {k: str(v) for k, v in section.get("constants", {}).items()}
    values = {vocab: {ours: _as_list(ws, path, f"values.{vocab}.{ours}") for ours, ws in words.items()}
              for vocab, words in raw.get("values", {}).items()}
    return Mapping(name=str(raw.get("name", path.stem)), path=path, coordinate_system=system,
                   headers=headers, constants=constants, values=values, is_builtin=is_builtin,
                   date_order=order)


def _as_list(value, path: Path, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise MappingError(f"映射文件 {path.name} 的 {key} 应为文字或文字列表")


def builtin_mapping() -> Mapping:
    return load_mapping(BUILTIN_PATH, is_builtin=True)


def user_mappings_dir() -> Path:
    """Where the office's own mappings live: mappings/ in the database folder (data/mappings by default),
    so a store and the platforms it was imported from stay together."""
    from cockpit.store import versions  # db needs settings only; imported here to keep this module light

    return versions.db_dir() / "mappings"


def available_mappings(extra: list[Path] | None = None, user_dir: Path | None = None) -> list[Mapping]:
    """Mappings named on the command line, then those saved in the mappings folder, then the built-in."""
    user_dir = user_mappings_dir() if user_dir is None else user_dir
    paths = list(extra or []) + sorted(user_dir.glob("*.toml"))
    return [load_mapping(p) for p in paths] + [builtin_mapping()]


@dataclass
class Match:
    """How one table's headers map onto one dataset under one mapping."""
    mapping: Mapping
    dataset: str
    columns: dict[int, str]        # column position -> field
    own_hits: int                  # headers matched by the mapping's own list (not borrowed)

    @property
    def unmatched_fields(self) -> list[str]:
        return [f for f in DATASETS[self.dataset] if f not in self.columns.values()
                and f not in self.mapping.constants.get(self.dataset, {})]


def match_headers(headers: list[str], mappings: list[Mapping]) -> Match | None:
    """The best (mapping, dataset) for these headers, or None when no dataset's required fields are all there."""
    builtin = next(m for m in mappings if m.is_builtin)
    best, best_score = None, None
    for rank, mapping in enumerate(mappings):
        for dataset, fields in DATASETS.items():
            own = mapping.header_index(dataset)
            borrowed = builtin.header_index(dataset)
            columns, own_hits = {}, 0
            for pos, header in enumerate(headers):
                key = header_key(header)
                name = own.get(key) or (None if mapping.is_builtin else borrowed.get(key))
                if name and name not in columns.values():
                    columns[pos] = name
                    own_hits += key in own
            present = set(columns.values()) | set(mapping.constants.get(dataset, {}))
            if not all(f in present for f, spec in fields.items() if spec.required):
                continue
            if dataset in ONE_OF and not present & set(ONE_OF[dataset]):
                continue
            if not mapping.is_builtin and own_hits == 0:
                continue  # a platform mapping must recognise the file by its own headers
            if not mapping.is_builtin and not _carries_builtin_only_mapping(mapping, builtin, dataset, headers):
                continue
            score = (own_hits if not mapping.is_builtin else 0, len(columns), -rank)
            if best_score is None or score > best_score:
                best, best_score = Match(mapping, dataset, columns, own_hits), score
    return best


def _carries_builtin_only_mapping(mapping: Mapping, builtin: Mapping, dataset: str, headers: list[str]) -> bool:
    """False when the mapping lists only built-in headers for the dataset (a platform whose exports use
    them, saved from the import page for its words or its date order) and the file lacks a field it
    lists: such a mapping has no header of its own to be known by, and sharing one (小类, 网格) must
    not let it claim, with its words and date order, another platform's files."""
    own = mapping.headers.get(dataset, {})
    known = set(builtin.header_index(dataset))
    if not own or not all(header_key(h) in known for variants in own.values() for h in variants):
        return True
    present = {header_key(h) for h in headers}
    return all(any(header_key(h) in present for h in variants) for variants in own.values())


def known_header_keys(mappings: list[Mapping]) -> set[str]:
    """Every header any mapping knows: used to find the header row under a title row."""
    return {k for m in mappings for d in DATASETS for k in m.header_index(d)}


# ---- a new platform's mapping, made in the browser ---------------------------------------------

@dataclass
class MappingDraft:
    """What the clerk chose on the import page for one unrecognised file."""
    name: str                        # the platform, e.g. "区数字城管平台"
    dataset: str
    columns: dict[str, str]          # field -> the file's header ('' when the file has none for it)
    coordinate_system: str = "wgs84"
    values: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # vocabulary -> our word -> theirs
    date_order: str = "ymd"


_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\s.]+')


def mapping_file_name(name: str) -> str:
    """The platform name as a file name safe on Windows and Linux."""
    return f"{_UNSAFE_FILE_CHARS.sub('_', name.strip()).strip('_') or 'platform'}.toml"


def check_draft(draft: MappingDraft, existing: list[Mapping], folder: Path) -> list[str]:
    """Every reason the draft cannot be saved, in Chinese; empty when it can."""
    fields = DATASETS[draft.dataset]
    problems = []
    name = draft.name.strip()
    if not name:
        problems.append("请填写平台名称（例如“区数字城管平台”），保存后以后同一平台的文件会自动识别。")
    elif any(m.name == name for m in existing) or (folder / mapping_file_name(name)).exists():
        problems.append(f"已有名为“{name}”的映射，请换一个平台名称。")
    for field_name, spec in fields.items():
        if spec.required and not draft.columns.get(field_name):
            problems.append(f"必填字段“{spec.label}”没有选择对应的表头。")
    if draft.dataset in ONE_OF and not any(draft.columns.get(f) for f in ONE_OF[draft.dataset]):
        labels = "、".join(fields[f].label for f in ONE_OF[draft.dataset])
        problems.append(f"{DATASET_LABELS[draft.dataset]}至少要为{labels}之一选择表头。")
    used: dict[str, list[str]] = {}
    for field_name, header in draft.columns.items():
        if header:
            used.setdefault(header, []).append(fields[field_name].label)
    for header, labels in used.items():
        if len(labels) > 1:
            problems.append(f"表头“{header}”同时选给了{'、'.join(f'“{x}”' for x in labels)}，一个表头只能对应一个字段。")
    if 0 < len(used) < MIN_MAPPED_HEADERS:
        problems.append(f"请至少为 {MIN_MAPPED_HEADERS} 个字段选择表头，驾驶舱才能在文件中找到表头行。")
    if draft.coordinate_system not in COORDINATE_SYSTEMS:
        problems.append("请选择经纬度的坐标系。")
    if draft.date_order not in DATE_ORDERS:
        problems.append("请选择日期的写法（年、月、日的先后）。")
    return problems


def mapping_toml(draft: MappingDraft) -> str:
    """The draft as a mapping file laid out like builtin.toml (the importer borrows the rest from it)."""
    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string

    lines = [
        f"# {draft.name.strip()}：在驾驶舱“数据导入”页保存的表头映射。格式见 cockpit/ingest/mappings/builtin.toml。",
        f"name = {quoted(draft.name.strip())}",
        f"coordinate_system = {quoted(draft.coordinate_system)}",
        *([f"date_order = {quoted(draft.date_order)}"] if draft.date_order != "ymd" else []),
        "",
        f"[{draft.dataset}.headers]",
    ]
    lines += [f"{field_name} = [{quoted(header)}]"
              for field_name in DATASETS[draft.dataset] if (header := draft.columns.get(field_name))]
    for vocabulary, words in draft.values.items():
        chosen = {ours: theirs for ours, theirs in words.items() if theirs}
        if chosen:
            lines += ["", f"[values.{vocabulary}]"]
            lines += [f"{quoted(ours)} = [{', '.join(map(quoted, theirs))}]" for ours, theirs in chosen.items()]
    return "\n".join(lines) + "\n"


def save_mapping(draft: MappingDraft, folder: Path | None = None) -> Path:
    """Write the draft as <folder>/<platform>.toml atomically; MappingError when it cannot be saved."""
    folder = user_mappings_dir() if folder is None else Path(folder)
    problems = check_draft(draft, available_mappings(user_dir=folder), folder)
    if problems:
        raise MappingError(" ".join(problems))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / mapping_file_name(draft.name)
    text = mapping_toml(draft)
    tomllib.loads(text)  # what is written must read back
    write_atomically(path, text.encode("utf-8"))
    load_mapping(path)
    return path


# ---- a saved mapping taught new words or its date order, from the import page ----------------

def add_to_mapping(mapping: Mapping, words: dict[str, dict[str, list[str]]], date_order: str | None = None) -> Path:
    """Write into a saved mapping's own file the platform's words the clerk mapped (vocabulary -> our
    word -> theirs) and, when given, its date_order. The file is edited as text, so its comments
    and layout stay; what is written must read back with the new words, or nothing is written."""
    if mapping.is_builtin:
        raise MappingError("内置映射不能修改，请为该平台另建映射")
    text = mapping.path.read_text(encoding="utf-8")
    for vocabulary, chosen in words.items():
        for ours, theirs in chosen.items():
            text = _with_words(text, vocabulary, ours, theirs)
    if date_order is not None:
        text = _with_date_order(text, date_order)
    original = mapping.path.read_bytes()
    write_atomically(mapping.path, text.encode("utf-8"))
    try:
        saved = load_mapping(mapping.path)
        missing = [w for v, chosen in words.items() for ours, ws in chosen.items() for w in ws
                   if saved.vocabulary(v).get(word_key(w)) != ours]
        if missing or (date_order is not None and saved.date_order != date_order):
            raise MappingError(f"映射文件 {mapping.path.name} 的写法特殊，未能自动加入：{'、'.join(missing) or 'date_order'}；"
                               "请手工编辑该文件")
    except MappingError:
        write_atomically(mapping.path, original)  # the file as it was
        raise
    return mapping.path


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _with_words(text: str, vocabulary: str, ours: str, theirs: list[str]) -> str:
    """The mapping text with theirs added to [values.<vocabulary>] <ours> = [...]: put first into an
    existing list, or a new line under the table's header, or a new table at the end."""
    added = ", ".join(map(_quoted, theirs))
    table = re.search(rf"(?m)^\[\s*values\.{re.escape(vocabulary)}\s*\][^\n]*\n", text)
    if table is None:
        return text.rstrip("\n") + f"\n\n[values.{vocabulary}]\n{_quoted(ours)} = [{added}]\n"
    end = re.compile(r"(?m)^\[").search(text, table.end())
    section = text[table.end():end.start() if end else len(text)]
    key = re.search(rf'(?m)^\s*(?:{re.escape(ours)}|"{re.escape(ours)}")\s*=\s*\[', section)
    if key is None:
        return text[:table.end()] + f"{_quoted(ours)} = [{added}]\n" + text[table.end():]
    at = table.end() + key.end()
    return text[:at] + added + ", " + text[at:]


def _with_date_order(text: str, order: str) -> str:
    """date_order set at the top level: the existing line replaced, or a line before the first table."""
    line = f"date_order = {_quoted(order)}"
    first_table = re.search(r"(?m)^\[", text)
    top = text[:first_table.start()] if first_table else text
    if re.search(r"(?m)^date_order\s*=", top):
        return re.sub(r"(?m)^date_order\s*=.*$", line, top, count=1) + text[len(top):]
    return top.rstrip("\n") + f"\n{line}\n\n" + text[len(top):]
