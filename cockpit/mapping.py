"""Mappings: which header a platform uses for each field, which words for each value.

A file is matched against every mapping; a platform's own mapping is chosen when its own headers
match the file, the built-in one otherwise. A platform mapping borrows the built-in headers and
words for whatever it does not list itself.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.fields import DATASETS
from cockpit.settings import PROJECT_DIR

BUILTIN_PATH = Path(__file__).parent / "mappings" / "builtin.toml"
USER_MAPPINGS_DIR = PROJECT_DIR / "data" / "mappings"
COORDINATE_SYSTEMS = ("wgs84", "gcj02", "bd09")
_SPACES = re.compile(r"[\s\u3000]+")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the key."""


def header_key(text: object) -> str:
    """Headers compare without spaces (full-width ones too) and without case."""
    return _SPACES.sub("", str(text)).lower()


def word_key(text: object) -> str:
    return _SPACES.sub("", str(text)).lower()


@dataclass
class Mapping:
    name: str
    path: Path
    coordinate_system: str
    headers: dict[str, dict[str, list[str]]]          # dataset -> field -> header variants
    constants: dict[str, dict[str, str]]              # dataset -> field -> value for every row
    values: dict[str, dict[str, list[str]]]           # vocabulary -> our word -> their words
    is_builtin: bool = False
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
                   headers=headers, constants=constants, values=values, is_builtin=is_builtin)


def _as_list(value, path: Path, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise MappingError(f"映射文件 {path.name} 的 {key} 应为文字或文字列表")


def builtin_mapping() -> Mapping:
    return load_mapping(BUILTIN_PATH, is_builtin=True)


def available_mappings(extra: list[Path] | None = None, user_dir: Path = USER_MAPPINGS_DIR) -> list[Mapping]:
    """Mappings named on the command line, then those saved in data/mappings, then the built-in."""
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
            if dataset == "inspections" and not present & {"inspection_id", "point_id", "point_name"}:
                continue
            if not mapping.is_builtin and own_hits == 0:
                continue  # a platform mapping must recognise the file by its own headers
            score = (own_hits if not mapping.is_builtin else 0, len(columns), -rank)
            if best_score is None or score > best_score:
                best, best_score = Match(mapping, dataset, columns, own_hits), score
    return best


def known_header_keys(mappings: list[Mapping]) -> set[str]:
    """Every header any mapping knows: used to find the header row under a title row."""
    return {k for m in mappings for d in DATASETS for k in m.header_index(d)}
