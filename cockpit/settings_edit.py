"""Saving single settings from the 设置 page: ranking rules, thresholds and the map's base tiles.

The rules for every value stay in cockpit/settings.py: a change is applied to the file's parsed
contents and the whole is checked by the same function that checks the file at start, so the page and
the file can never disagree. Only the changed `key = value` lines are rewritten; every other byte of the
hand-edited file (comments, layout) is kept. The write is atomic and logged with who made it.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

from cockpit import settings as settings_module
from cockpit.settings import SettingsError, write_atomically
from cockpit.settings_edit import log_change

# What the page (and the 口径说明 page) calls each editable key.
LABELS = {
    "ranking.weights.closure_rate": "权重：销号率",
    "ranking.weights.on_time_rate": "权重：按期整改率",
    "ranking.weights.overdue_per_100": "权重：每百件逾期数",
    "ranking.weights.rebound_rate": "权重：反弹率",
    "ranking.weights.inspection_score": "权重：点位测评均分",
    "ranking.weights.assignment_rate": "权重：交办完成率",
    "ranking.list_rule": "红黑榜规则",
    "ranking.red_n": "红榜名额",
    "ranking.black_n": "黑榜名额",
    "ranking.red_closure_rate": "红榜销号率门槛",
    "ranking.black_closure_rate": "黑榜销号率门槛",
    "ranking.inspection_days": "点位测评均分取最近天数",
    "thresholds.due_soon_days": "即将到期（截止前天数）",
    "thresholds.stale_days": "长期未更新（天）",
    "thresholds.inspection_stale_days": "长期未检查（天）",
    "thresholds.min_sample": "样本不足（问题数少于）",
    "thresholds.pace_days": "销号速度取最近天数",
    "thresholds.pass_score": "检查达标分",
    "thresholds.rebound_days": "反弹：销号后天数",
    "thresholds.rebound_radius_m": "反弹：同一地点半径（米）",
    "thresholds.bad_row_share": "整个文件不导入的坏行占比",
    "map.tiles": "底图瓦片地址",
    "map.tiles_attribution": "底图版权说明",
    "map.tiles_subdomains": "瓦片子域名",
    "map.tiles_crs": "瓦片坐标系",
    "map.tiles_package": "本地瓦片包",
    "map.default_spot_min": "默认坐标：同一坐标的问题数达到",
    "map.default_spot_excluded": "默认坐标上的问题不上图、不按距离判反弹",
    "map.center": "地图中心 [纬度, 经度]",
    "map.zoom": "缩放级别",
    "calendar.milestones": "测评日程",
    "survey_targets": "问卷调查目标",
    "assessment.part_weights": "测评各部分权重",
    "escalation.talk_weeks": "约谈：连续黑榜周数",
    "escalation.talk_text": "约谈：通报写法",
    "escalation.organisation_weeks": "组织部门约谈：连续黑榜周数",
    "escalation.organisation_text": "组织部门约谈：通报写法",
    "escalation.accountability_weeks": "问责：连续黑榜周数",
    "escalation.accountability_text": "问责：通报写法",
    "ranking.townships_apart": "街道、乡镇分开排名",
}
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_TABLE_HEADER = re.compile(r"^[ \t]*\[[ \t]*([A-Za-z0-9_.-]+)[ \t]*\][ \t]*(?:#.*)?$")


def label(key: str) -> str:
    return LABELS.get(key, key)


def values_of(path: Path, keys: list[str]) -> dict:
    """The file's current value of each dotted key (weights by component: ranking.weights.closure_rate)."""
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return {key: _lookup(raw, key) for key in keys}


def _lookup(raw: dict, key: str):
    node = raw
    for part in key.split("."):
        node = node[part]
    return node


def save_values(path: Path, changes: dict, who: str = "") -> list[str]:
    """Write the changed values (dotted keys, as in LABELS) into the file; return what changed, in words.

    Raises SettingsError with the first rule a value breaks (the key and its Chinese name); then
    nothing is written. A value equal to the file's is left alone; no change at all writes nothing.
    """
    path = Path(path)
    with _save_lock:
        old_text = path.read_text(encoding="utf-8")
        old_raw = tomllib.loads(old_text)
        new_raw = copy.deepcopy(old_raw)
        changed = []
        for key, value in changes.items():
            value = _plain(value)
            if _current(old_raw, key) != value:
                _assign(new_raw, key, value)
                changed.append(key)
        if not changed:
            return []
        try:
            settings_module._check(new_raw, path)
        except SettingsError as err:
            raise SettingsError(_named(str(err))) from None
        new_text = old_text
        for line_key in dict.fromkeys(_line_key(key) for key in changed):
            new_text = _rewrite_line(new_text, line_key, _lookup(new_raw, line_key), path)
        if tomllib.loads(new_text) != new_raw:
            raise _cannot_edit(path, changed[0])
        write_atomically(path, new_text.encode("utf-8"))
        try:
            settings_module.load_settings(path)
        except SettingsError as err:
            write_atomically(path, old_text.encode("utf-8"))
            raise SettingsError(f"保存后设置文件未通过检查，已恢复原文件：{err}") from None
        described = [f"{label(k)}（{k}）{_show(_current(old_raw, k))} → {_show(_lookup(new_raw, k))}" for k in changed]
        log_change(path, "；".join(described), who)
        return described


def _current(raw: dict, key: str):
    """The file's value of a key; a ranking weight the file does not list is 0 (an optional component)."""
    try:
        return _lookup(raw, key)
    except KeyError:
        if key.startswith("ranking.weights."):
            return 0
        raise


def _plain(value):
    """Page values as the file would hold them: whole floats as integers, tuples as lists."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _assign(raw: dict, key: str, value) -> None:
    *parents, last = key.split(".")
    node = raw
    for part in parents:
        node = node[part]
    node[last] = value


def _line_key(key: str) -> str:
    """The key whose `key = value` line holds this value: table.key (a weight lives in its table's
    inline table). Every editable key sits in a top-level table."""
    return ".".join(key.split(".")[:2])


def _named(message: str) -> str:
    """Add the page's Chinese name to the key a message names."""
    found = re.search(r"设置项 ([A-Za-z0-9_.]+)", message)
    if found and found.group(1) in LABELS:
        return re.sub(re.escape(found.group(0)) + " ?", f"{found.group(0)}（{LABELS[found.group(1)]}）", message, count=1)
    return message


def _show(value) -> str:
    return "“”" if value == "" else _render(value)


def _cannot_edit(path: Path, key: str) -> SettingsError:
    return SettingsError(f"设置文件 {path} 中 {key} 的写法特殊，无法在页面上修改；请直接编辑该文件。")


def _rewrite_line(text: str, dotted: str, value, path: Path) -> str:
    """Replace the value on the one line `key = value` of the key's table, keeping a trailing comment."""
    table, key = dotted.rsplit(".", 1)
    lines = text.splitlines(keepends=True)
    current, found = "", None
    for i, line in enumerate(lines):
        header = _TABLE_HEADER.match(line.rstrip("\r\n"))
        if header:
            current = header.group(1)
            continue
        if current == table and re.match(rf"^[ \t]*{re.escape(key)}[ \t]*=", line):
            found = i
            break
    if found is None:
        raise _cannot_edit(path, dotted)
    line = lines[found]
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    indent_key, _, rest = body.partition("=")
    comment = _trailing_comment(rest)
    try:
        tomllib.loads(f"k ={rest[:len(rest) - len(comment)] if comment else rest}")
    except tomllib.TOMLDecodeError:
        raise _cannot_edit(path, dotted) from None  # the value goes on over more lines
    lines[found] = f"{indent_key.rstrip()} = {_render(value)}{'  ' + comment.strip() if comment else ''}{ending}"
    return "".join(lines)


def _trailing_comment(rest: str) -> str:
    """A `# ...` after the value (outside quotes), or ''."""
    quote = None
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return rest[i:]
    return ""


def _render(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{k if _BARE_KEY.match(k) else _toml_string(k)} = {_render(v)}"
                          for k, v in value.items())
        return "{ " + items + " }"
    raise TypeError(f"cannot write {value!r} to settings")
