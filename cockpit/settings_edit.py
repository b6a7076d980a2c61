"""Every write of the settings file, from the 设置 page: single settings (ranking rules, thresholds, the
map's base tiles) and the assessment calendar, each logged in settings-changes.log.

The rules for every value stay in cockpit/settings.py: a change is applied to the file's parsed
contents and the whole is checked by the same function that checks the file at start, so the page and
the file can never disagree. Only the changed `key = value` lines are rewritten; every other byte of the
hand-edited file (comments, layout) is kept. The write is atomic and logged with who made it.
"""

from __future__ import annotations

import copy
import re
import threading
import tomllib
from datetime import datetime
from pathlib import Path

from cockpit import settings as settings_module
from cockpit.settings import Milestone, SettingsError, milestone_row, parse_milestone, write_atomically

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
    "assessment.target_total": "三年总评目标分",
    "assessment.target_rank": "目标名次（全省前 N 名，0 为不设）",
    "escalation.talk_weeks": "约谈：连续黑榜周数",
    "escalation.talk_text": "约谈：通报写法",
    "escalation.organisation_weeks": "组织部门约谈：连续黑榜周数",
    "escalation.organisation_text": "组织部门约谈：通报写法",
    "escalation.accountability_weeks": "问责：连续黑榜周数",
    "escalation.accountability_text": "问责：通报写法",
    "ranking.townships_apart": "街道、乡镇分开排名",
}
# Keys an older file may lack (cockpit/settings.py gives their default): saving one adds its line to its table.
OPTIONAL_KEYS = ("assessment.target_total", "assessment.target_rank")
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
    """The file's value of a key; a ranking weight the file does not list is 0 (an optional component),
    another optional key it lacks is None (an older file: the save adds its line)."""
    try:
        return _lookup(raw, key)
    except KeyError:
        if key.startswith("ranking.weights."):
            return 0
        if key in OPTIONAL_KEYS:
            return None
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
    return "（未设置）" if value is None else "“”" if value == "" else _render(value)


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
        return _add_line(lines, table, key, value, path, dotted)
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


def _add_line(lines: list[str], table: str, key: str, value, path: Path, dotted: str) -> str:
    """An optional key the file lacks: its `key = value` line after the last line of its table."""
    if dotted not in OPTIONAL_KEYS:
        raise _cannot_edit(path, dotted)
    current, last = "", None
    for i, line in enumerate(lines):
        header = _TABLE_HEADER.match(line.rstrip("\r\n"))
        if header:
            current = header.group(1)
        elif current == table and line.strip() and not line.lstrip().startswith("#"):
            last = i
    if last is None:
        raise _cannot_edit(path, dotted)
    ending = "\r\n" if lines[last].endswith("\r\n") else "\n"
    if not lines[last].endswith(("\n", "\r")):
        lines[last] += ending
    lines.insert(last + 1, f"{key} = {_render(value)}{ending}")
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


# ---- saving the calendar from the settings page -------------------------------------------------

CHANGE_LOG_NAME = "settings-changes.log"
_CALENDAR_TABLE = re.compile(r"^[ \t]*\[[ \t]*calendar[ \t]*\][ \t]*(?:#[^\r\n]*)?\r?$", re.M)
_NEXT_TABLE = re.compile(r"^[ \t]*\[", re.M)
_MILESTONES_KEY = re.compile(r"^[ \t]*milestones[ \t]*=[ \t]*(?=\[)", re.M)
_save_lock = threading.Lock()  # two sessions saving at once take turns


def save_milestones(path: Path, milestones: list[dict], who: str = "") -> None:
    """Check every row, then rewrite only the `milestones = [...]` array of [calendar], keeping
    every other byte of the hand-edited file, and log the change beside it.

    Rows are numbered from 1 in messages, as on the settings page; a row with nothing filled in (an
    editor row added and left empty) is skipped. On any error nothing is written.
    """
    path = Path(path)
    checked = sorted(
        (milestone_row(_blank_to_none(item), i) for i, item in enumerate(milestones, start=1) if not _is_blank(item)),
        key=lambda m: (m.on, m.name))
    with _save_lock:
        before = settings_module.load_settings(path)
        old_bytes = path.read_bytes()
        old_text = old_bytes.decode("utf-8")
        start, end = _milestones_span(old_text, path)
        newline = "\r\n" if "\r\n" in old_text else "\n"
        new_text = old_text[:start] + _render_milestones(checked, _indent(old_text[start:end]), newline) + old_text[end:]
        _check_only_the_calendar_changed(old_text, new_text, checked, path)
        if new_text == old_text:
            return
        write_atomically(path, new_text.encode("utf-8"))
        try:
            after = settings_module.load_settings(path)
        except SettingsError as err:
            write_atomically(path, old_bytes)
            raise SettingsError(f"保存后设置文件未通过检查，已恢复原文件：{err}") from None
        log_change(path, describe_calendar_change(before.milestones, after.milestones), who, "测评日程")


def log_change(path: Path, change: str, who: str = "", what: str = "设置") -> None:
    """One line in settings-changes.log beside the file: time, the change, and who made it."""
    change = " ".join(change.split())
    by = f"\t操作人：{who}" if who else ""
    try:
        with open(path.parent / CHANGE_LOG_NAME, "a", encoding="utf-8") as log:
            log.write(f"{datetime.now():%Y-%m-%d %H:%M:%S}\t{change}{by}\n")
    except OSError as err:
        raise SettingsError(f"{what}已保存，但无法写入修改记录 {path.parent / CHANGE_LOG_NAME}：{err}") from None


def describe_calendar_change(before: tuple[Milestone, ...], after: tuple[Milestone, ...]) -> str:
    """One line for the change log: the count, then what was added, removed or changed."""
    removed, added = list(before), []
    for m in after:
        if m in removed:
            removed.remove(m)
        else:
            added.append(m)
    parts = [f"测评日程：{len(before)} → {len(after)} 个节点"]
    for new in list(added):
        old = next((m for m in removed if m.name == new.name), None)
        if old is None:
            continue
        removed.remove(old)
        added.remove(new)
        what = [f"日期 {old.on} → {new.on}" if old.on != new.on else "",
                f"类型 {old.kind} → {new.kind}" if old.kind != new.kind else "",
                "说明" if old.note != new.note else ""]
        parts.append(f"修改“{new.name}”（{'、'.join(w for w in what if w)}）")
    parts += [f"新增“{m.name}”（{m.on}，{m.kind}）" for m in added]
    parts += [f"删除“{m.name}”（{m.on}）" for m in removed]
    return "；".join(parts)


def _is_blank(value) -> bool:
    if isinstance(value, dict):
        return all(_is_blank(v) for v in value.values())
    if value is None or isinstance(value, str):
        return not (value or "").strip()
    return value != value  # NaN and NaT, as an editor hands back an empty cell


def _blank_to_none(item):
    return {k: None if _is_blank(v) else v for k, v in item.items()} if isinstance(item, dict) else item


def _calendar_cannot_edit(path: Path) -> SettingsError:
    return SettingsError(f"设置文件 {path} 中 [calendar] 表的 milestones = [ … ] 写法特殊，无法在页面上修改；"
                         "请直接编辑该文件。")


def _milestones_span(text: str, path: Path) -> tuple[int, int]:
    """Where the value `[ ... ]` of milestones in the [calendar] table starts and ends."""
    table = _CALENDAR_TABLE.search(text)
    if not table:
        raise _calendar_cannot_edit(path)
    next_table = _NEXT_TABLE.search(text, table.end())
    key = _MILESTONES_KEY.search(text, table.end(), next_table.start() if next_table else len(text))
    if not key:
        raise _calendar_cannot_edit(path)
    start = i = key.end()
    depth = 0
    while i < len(text):
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif c in "\"'":
            i += 1
            while i < len(text) and text[i] not in (c, "\n"):
                i += 2 if c == '"' and text[i] == "\\" else 1
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return start, i + 1
        i += 1
    raise _calendar_cannot_edit(path)


def _indent(array_text: str) -> str:
    found = re.search(r"\n([ \t]+)\{", array_text)
    return found.group(1) if found else "    "


def _toml_string(text: str) -> str:
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(ch) or (f"\\u{ord(ch):04X}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
                         for ch in text) + '"'


def _render_milestones(milestones: list[Milestone], indent: str, newline: str) -> str:
    """The array in the committed file's own layout: one inline table a line, dates as text."""
    if not milestones:
        return "[]"
    rows = [f'{indent}{{ name = {_toml_string(m.name)}, date = "{m.on.isoformat()}", '
            f"kind = {_toml_string(m.kind)}, note = {_toml_string(m.note)} }}," for m in milestones]
    return "[" + newline + newline.join(rows) + newline + "]"


def _check_only_the_calendar_changed(old_text: str, new_text: str, milestones: list[Milestone], path: Path) -> None:
    """Before anything is written: the new text parses, says the same outside the calendar, and holds
    exactly these milestones (a guard against a file laid out in a way the search above misreads)."""
    try:
        old, new = tomllib.loads(old_text), tomllib.loads(new_text)
        written = new["calendar"].pop("milestones")
        old["calendar"].pop("milestones")
    except (tomllib.TOMLDecodeError, KeyError, TypeError):
        raise _calendar_cannot_edit(path) from None
    if old != new or [parse_milestone(m, "calendar.milestones") for m in written] != milestones:
        raise _calendar_cannot_edit(path)
