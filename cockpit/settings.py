"""The settings file: read, checked key by key, and handed out as one immutable object."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_PATH = PROJECT_DIR / "settings.toml"
MILESTONE_KINDS = ("实地测评", "网申材料截止", "问卷调查", "省测", "其他")
RANKING_COMPONENTS = ("closure_rate", "on_time_rate", "overdue_per_100", "rebound_rate", "inspection_score")
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

    @property
    def ranking_rules(self) -> dict:
        """The ranking rules as the one STRUCT queries/unit_ranking.sql binds."""
        return {
            **{f"w_{name}": float(self.ranking_weights.get(name, 0)) for name in RANKING_COMPONENTS},
            "min_sample": self.min_sample, "inspection_days": self.inspection_days, "list_rule": self.list_rule,
            "red_n": self.red_n, "black_n": self.black_n,
            "red_closure_rate": self.red_closure_rate, "black_closure_rate": self.black_closure_rate,
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
        _number(table, name, low=0)
    if sum(table.values()) <= 0:
        raise SettingsError(f"设置项 {key} 的权重之和应大于 0")
    return dict(table)


def parse_milestone(item, where: str) -> Milestone:
    """One calendar entry; the date must be a real YYYY-MM-DD date."""
    if not isinstance(item, dict):
        raise SettingsError(f"设置项 {where} 应为包含 name、date、kind 的表")
    name = _text(item, "name", allow_empty=False)
    raw_date = item.get("date")
    try:
        on = raw_date if isinstance(raw_date, date) else date.fromisoformat(str(raw_date))
    except ValueError:
        raise SettingsError(f"设置项 {where}.date 日期无效：{raw_date!r}（应为 YYYY-MM-DD）") from None
    kind = item.get("kind", "其他")
    if kind not in MILESTONE_KINDS:
        raise SettingsError(f"设置项 {where}.kind 应为 {'、'.join(MILESTONE_KINDS)} 之一，现为 {kind!r}")
    return Milestone(name=name.strip(), on=on, kind=kind, note=str(item.get("note", "")))


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
    return Settings(
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
    )
