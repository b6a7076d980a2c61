"""The settings file: read, checked key by key, and handed out as one immutable object."""

from __future__ import annotations

import os
import stat
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cockpit.vocab.escalation import DEFAULT_LADDER, STEPS as ESCALATION_STEPS

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_PATH = PROJECT_DIR / "settings.toml"
MILESTONE_KINDS = ("实地测评", "网申材料截止", "问卷调查", "省测", "其他")
RANKING_COMPONENTS = ("closure_rate", "on_time_rate", "overdue_per_100", "rebound_rate", "inspection_score",
                      "assignment_rate")
SURVEY_INDICATORS = ("awareness", "support", "participation", "satisfaction")


class SettingsError(ValueError):
    """A settings value that cannot be used; the message names the key, in Chinese."""


@dataclass(frozen=True)
class Milestone:
    name: str
    on: date
    kind: str
    note: str


@dataclass(frozen=True)
class Settings:
    path: Path
    city_name: str
    campaign_title: str
    milestones: tuple[Milestone, ...]
    due_soon_days: int
    rebound_days: int
    rebound_radius_m: float
    pass_score: float
    min_sample: int
    bad_row_share: float
    pace_days: int
    stale_days: int
    inspection_stale_days: int
    ranking_weights: dict
    list_rule: str
    red_n: int
    black_n: int
    red_closure_rate: float
    black_closure_rate: float
    inspection_days: int
    part_weights: dict
    survey_targets: dict
    map_center: tuple[float, float]
    map_zoom: int
    map_tiles: str
    map_tiles_attribution: str
    map_tiles_subdomains: str
    map_tiles_crs: str
    map_boundaries: Path
    screen_pages: tuple[str, ...]
    screen_interval: int
    max_file_mb: float
    keep_versions: int
    viewer_login: bool = False  # [access] viewer_login: every page needs a login (cockpit/web/access.py)
    login_days: int = 7         # [access] login_days: a login lasts this many days in its browser (0: its tab only)
    warm_up: bool = True        # [import] warm_up: the pages' queries asked again after an import (cockpit/web/warmup.py)
    map_tiles_package: Path | None = None  # [map] tiles_package: the local tile package tiles = "local" serves (cockpit/web/tiles.py)
    default_spot_min: int = 50             # [map] default_spot_min: this many problems on one exact coordinate make it a default coordinate
    default_spot_excluded: bool = True     # [map] default_spot_excluded: such problems left out of the map and of rebound matching
    # [escalation] <step>_weeks / <step>_text: the black-list streak that brings each action (cockpit/vocab/escalation.py)
    escalation_ladder: tuple = DEFAULT_LADDER
    townships_apart: bool = True           # [ranking] townships_apart: 乡镇 ranked apart from 街道 (as the seeds do)
    year_weights: tuple[float, ...] = (0.2, 0.3, 0.5)  # [assessment] year_weights: the three-year total's weights, oldest year first
    target_total: float = 85.0                         # [assessment] target_total: the three-year total the city aims for
    target_rank: int = 0                               # [assessment] target_rank: the provincial rank aimed for (0: none)

    @property
    def derive_params(self) -> dict:
        """What queries/write/derive.sql binds: the rebound rule and the default coordinates."""
        return {"rebound_days": self.rebound_days, "rebound_radius_m": self.rebound_radius_m,
                "default_spot_min": self.default_spot_min, "default_spot_excluded": self.default_spot_excluded}

    @property
    def ranking_rules(self) -> dict:
        """The ranking rules as the one STRUCT queries/unit_ranking.sql binds."""
        return {
            **{f"w_{name}": float(self.ranking_weights.get(name, 0)) for name in RANKING_COMPONENTS},
            "min_sample": self.min_sample, "inspection_days": self.inspection_days, "list_rule": self.list_rule,
            "red_n": self.red_n, "black_n": self.black_n,
            "red_closure_rate": self.red_closure_rate, "black_closure_rate": self.black_closure_rate,
            "townships_apart": self.townships_apart,
        }

    @property
    def title(self) -> str:
        return f"{self.city_name}{self.campaign_title}"


def settings_path() -> Path:
    return Path(os.environ.get("COCKPIT_SETTINGS") or DEFAULT_SETTINGS_PATH)


def load_settings(path: Path | None = None) -> Settings:
    """Read and check the settings file; raise SettingsError naming the first bad key."""
    path = Path(path or settings_path())
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"找不到设置文件 {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"设置文件 {path} 格式有误：{err}") from None
    return _check(raw, path)


def _get(raw: dict, key: str):
    node = raw
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise SettingsError(f"设置项 {key} 缺失")
        node = node[part]
    return node


def _number(raw, key, *, low=None, high=None, integer=False):
    value = _get(raw, key)
    ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok_type:
        kind = "整数" if integer else "数字"
        raise SettingsError(f"设置项 {key} 应为{kind}，现为 {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            raise SettingsError(f"设置项 {key} 应不小于 {low}，现为 {value!r}")
        raise SettingsError(f"设置项 {key} 应在 {low} 到 {high} 之间，现为 {value!r}")
    return value


def _text(raw, key, *, choices=None, allow_empty=True):
    value = _get(raw, key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise SettingsError(f"设置项 {key} 应为非空文字，现为 {value!r}")
    if choices and value not in choices:
        raise SettingsError(f"设置项 {key} 应为 {'、'.join(choices)} 之一，现为 {value!r}")
    return value


def _weights(raw, key, names=None):
    table = _get(raw, key)
    if not isinstance(table, dict) or not table:
        raise SettingsError(f"设置项 {key} 应为非空的表")
    for name in table:
        if names and name not in names:
            raise SettingsError(f"设置项 {key}.{name} 不认识；可用：{'、'.join(names)}")
        _number(raw, f"{key}.{name}", low=0)
    if sum(table.values()) <= 0:
        raise SettingsError(f"设置项 {key} 的权重之和应大于 0")
    return dict(table)


# How the settings page names a calendar field in a message ("第 2 行：类型应为 …"). The date's
# reasons already start with 日期, so its name is left out there.
MILESTONE_FIELD_NAMES = {"name": "节点名称", "date": "", "kind": "类型", "note": "说明"}


class _BadField(ValueError):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field, self.reason = field, reason


def _milestone(item: dict) -> Milestone:
    """The rules for one calendar entry, shared by the file and the settings page."""
    name = item.get("name")
    if name is None or (isinstance(name, str) and not name.strip()):
        raise _BadField("name", "不能为空")
    if not isinstance(name, str):
        raise _BadField("name", f"应为文字，现为 {name!r}")
    raw_date = item.get("date")
    if raw_date is None or (isinstance(raw_date, str) and not raw_date.strip()):
        raise _BadField("date", "日期未填写（应为 YYYY-MM-DD）")
    try:
        if isinstance(raw_date, datetime):
            on = raw_date.date()
        else:
            on = raw_date if isinstance(raw_date, date) else date.fromisoformat(str(raw_date).strip())
    except ValueError:
        raise _BadField("date", f"日期无效：{raw_date!r}（应为 YYYY-MM-DD）") from None
    kind = item.get("kind", "其他")
    if kind is None:
        raise _BadField("kind", f"未选择（应为 {'、'.join(MILESTONE_KINDS)} 之一）")
    if kind not in MILESTONE_KINDS:
        raise _BadField("kind", f"应为 {'、'.join(MILESTONE_KINDS)} 之一，现为 {kind!r}")
    note = item.get("note")
    return Milestone(name=name.strip(), on=on, kind=kind, note="" if note is None else str(note))


SCREEN_PAGES = ("progress", "hotspots", "rankings", "countdown", "points", "brief", "areas")


def _pages(raw, key) -> tuple[str, ...]:
    pages = _get(raw, key)
    if not isinstance(pages, list) or not pages or any(p not in SCREEN_PAGES for p in pages):
        raise SettingsError(f"设置项 {key} 应为页面列表，可用：{'、'.join(SCREEN_PAGES)}，现为 {pages!r}")
    return tuple(pages)


def parse_milestone(item, where: str) -> Milestone:
    """One calendar entry of the file; the date must be a real YYYY-MM-DD date."""
    if not isinstance(item, dict):
        raise SettingsError(f"设置项 {where} 应为包含 name、date、kind 的表")
    try:
        return _milestone(item)
    except _BadField as bad:
        raise SettingsError(f"设置项 {where}.{bad.field} {bad.reason}") from None


def milestone_row(item, row: int) -> Milestone:
    """One row of the settings page's calendar table (numbered from 1), checked by the same rules."""
    if not isinstance(item, dict):
        raise SettingsError(f"第 {row} 行：应为包含 name、date、kind 的表")
    try:
        return _milestone(item)
    except _BadField as bad:
        raise SettingsError(f"第 {row} 行：{MILESTONE_FIELD_NAMES[bad.field]}{bad.reason}") from None


def _check(raw: dict, path: Path) -> Settings:
    milestones = _get(raw, "calendar.milestones")
    if not isinstance(milestones, list):
        raise SettingsError("设置项 calendar.milestones 应为列表")
    centre = _get(raw, "map.center")
    if not (isinstance(centre, list) and len(centre) == 2
            and all(isinstance(v, (int, float)) for v in centre)
            and -90 <= centre[0] <= 90 and -180 <= centre[1] <= 180):
        raise SettingsError(f"设置项 map.center 应为 [纬度, 经度]，现为 {centre!r}")
    red, black = (_number(raw, f"ranking.{k}", low=0, high=1) for k in ("red_closure_rate", "black_closure_rate"))
    if black > red:
        raise SettingsError("设置项 ranking.black_closure_rate 不应高于 ranking.red_closure_rate")
    settings = Settings(
        path=path,
        city_name=_text(raw, "city_name", allow_empty=False),
        campaign_title=_text(raw, "campaign_title", allow_empty=False),
        milestones=tuple(sorted(
            (parse_milestone(m, f"calendar.milestones[{i}]") for i, m in enumerate(milestones)),
            key=lambda m: (m.on, m.name))),
        due_soon_days=_number(raw, "thresholds.due_soon_days", low=0, high=90, integer=True),
        rebound_days=_number(raw, "thresholds.rebound_days", low=1, high=365, integer=True),
        rebound_radius_m=float(_number(raw, "thresholds.rebound_radius_m", low=0, high=5000)),
        pass_score=float(_number(raw, "thresholds.pass_score", low=0, high=100)),
        min_sample=_number(raw, "thresholds.min_sample", low=0, high=10_000, integer=True),
        bad_row_share=float(_number(raw, "thresholds.bad_row_share", low=0, high=1)),
        pace_days=_number(raw, "thresholds.pace_days", low=1, high=365, integer=True),
        stale_days=_number(raw, "thresholds.stale_days", low=1, high=365, integer=True),
        inspection_stale_days=_number(raw, "thresholds.inspection_stale_days", low=1, high=365, integer=True),
        ranking_weights=_weights(raw, "ranking.weights", RANKING_COMPONENTS),
        list_rule=_text(raw, "ranking.list_rule", choices=("top_n", "threshold")),
        red_n=_number(raw, "ranking.red_n", low=0, high=100, integer=True),
        black_n=_number(raw, "ranking.black_n", low=0, high=100, integer=True),
        red_closure_rate=float(red),
        black_closure_rate=float(black),
        inspection_days=_number(raw, "ranking.inspection_days", low=1, high=365, integer=True),
        part_weights=_weights(raw, "assessment.part_weights"),
        survey_targets={k: float(_number(raw, f"survey_targets.{k}", low=0, high=1)) for k in SURVEY_INDICATORS},
        map_center=(float(centre[0]), float(centre[1])),
        map_zoom=_number(raw, "map.zoom", low=1, high=20, integer=True),
        map_tiles=_text(raw, "map.tiles", allow_empty=False),
        map_tiles_attribution=_text(raw, "map.tiles_attribution"),
        map_tiles_subdomains=_text(raw, "map.tiles_subdomains"),
        map_tiles_crs=_text(raw, "map.tiles_crs", choices=("wgs84", "gcj02")),
        map_boundaries=PROJECT_DIR / _text(raw, "map.boundaries"),
        screen_pages=_pages(raw, "screen.pages"),
        screen_interval=_number(raw, "screen.interval_seconds", low=10, high=3600, integer=True),
        max_file_mb=float(_number(raw, "import.max_file_mb", low=1, high=2000)),
        keep_versions=_number(raw, "import.keep_versions", low=2, high=1000, integer=True),
        viewer_login=_flag(raw, "access.viewer_login"),
        login_days=_optional_number(raw, "access.login_days", 7, low=0, high=365, integer=True),
        warm_up=_flag(raw, "import.warm_up", default=True),
        map_tiles_package=_optional_path(raw, "map.tiles_package"),
        default_spot_min=_optional_number(raw, "map.default_spot_min", 50, low=2, high=10_000_000, integer=True),
        default_spot_excluded=_flag(raw, "map.default_spot_excluded", default=True),
        escalation_ladder=_escalation(raw),
        townships_apart=_flag(raw, "ranking.townships_apart", default=True),
        year_weights=_year_weights(raw, "assessment.year_weights"),
        target_total=float(_optional_number(raw, "assessment.target_total", 85.0, low=0, high=1000)),
        target_rank=_optional_number(raw, "assessment.target_rank", 0, low=0, high=1000, integer=True),
    )
    if settings.map_tiles.strip().lower() == "local" and settings.map_tiles_package is None:
        raise SettingsError('设置项 map.tiles = "local" 需要 map.tiles_package：本地瓦片包（MBTiles 文件或 {z}/{x}/{y} 目录）')
    return settings


def _optional_path(raw, key) -> Path | None:
    """An optional file or folder setting relative to the project folder; absent or "" means none."""
    try:
        _get(raw, key)
    except SettingsError:
        return None
    value = _text(raw, key).strip()
    return PROJECT_DIR / value if value else None


def _optional_number(raw, key, default, **limits):
    """A number setting that older files may lack (absent means its default)."""
    try:
        _get(raw, key)
    except SettingsError:
        return default
    return _number(raw, key, **limits)


def _escalation(raw) -> tuple:
    """The escalation ladder: each step's streak (0: the step is not used) and wording; the streaks of
    the steps used must rise from talk to accountability. Absent keys keep the default step."""
    ladder = []
    for step, (default_weeks, default_text) in zip(ESCALATION_STEPS, DEFAULT_LADDER):
        weeks = _optional_number(raw, f"escalation.{step}_weeks", default_weeks, low=0, high=52, integer=True)
        try:
            text = _text(raw, f"escalation.{step}_text", allow_empty=False).strip()
        except SettingsError as err:
            if "缺失" not in str(err):
                raise
            text = default_text
        ladder.append((weeks, text))
    used = [weeks for weeks, _ in ladder if weeks]
    if used != sorted(set(used)):
        raise SettingsError("设置项 escalation 各级的周数应逐级增加（约谈 < 组织部门约谈 < 问责；不用的一级填 0）")
    return tuple(ladder)


def _year_weights(raw, key) -> tuple[float, ...]:
    """The yearly scores' weights in the multi-year total, oldest year first (absent: 0.2, 0.3, 0.5)."""
    try:
        value = _get(raw, key)
    except SettingsError:
        return (0.2, 0.3, 0.5)
    if (not isinstance(value, list) or not 1 <= len(value) <= 10
            or not all(isinstance(w, (int, float)) and not isinstance(w, bool) and w >= 0 for w in value)
            or sum(value) <= 0):
        raise SettingsError(f"设置项 {key} 应为 1 到 10 个不小于 0 的数字（从最早一年起），且和大于 0，现为 {value!r}")
    return tuple(float(w) for w in value)


def _flag(raw, key, default: bool = False) -> bool:
    """An optional true/false setting (absent means its default, so older files keep working)."""
    try:
        value = _get(raw, key)
    except SettingsError:
        return default
    if not isinstance(value, bool):
        raise SettingsError(f"设置项 {key} 应为 true 或 false，现为 {value!r}")
    return value


def write_atomically(path: Path, data: bytes) -> None:
    """A temporary file in the same folder, then os.replace: a reader sees the old file or the new one.

    A new file gets the mode a plain open() would give it (mkstemp's own is owner-only).
    """
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, stat.S_IMODE(path.stat().st_mode) if path.exists() else _new_file_mode())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
