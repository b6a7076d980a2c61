"""The demo's export files, each platform in its own dialect (headers, words, date forms, file type),
and write_demo: the whole demo written in import order."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from cockpit.coords import wgs84_to_gcj02
from cockpit.demo import areas, loop
from cockpit.demo.events import (_day_table, add_dirty_rows, describe_problems, generate_problems, plan_rounds,
                                 plan_visits, put_default_spot, score_visits, snapshot_rows)
from cockpit.demo.world import (CITY, DAY, DEMO_BOUNDARIES_NAME, DIALECTS, EXCEL_EPOCH, EXCEL_MAX_ROWS,
                                GAOXIN_SOURCE_WORDS, GIVEN_CHARS, HOTLINE_HEADERS, HOTLINE_MAPPING_NAME, HOUR,
                                POINT_TYPES, STATUS_WORDS, SURNAMES, City, Clock, _chinese_number, _rng, build_city,
                                km_to_lnglat)

# ---- formatting values --------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _time_of_day_table(form: str) -> np.ndarray:
    """Text of every second of a day (' 16:07:23' or ' 16:07'), indexed by the second."""
    seconds = range(DAY)
    if form == "hms":
        return np.array([f" {s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in seconds], dtype=object)
    if form == "hm":
        return np.array([f" {s // HOUR:02d}:{s // 60 % 60:02d}" for s in seconds], dtype=object)
    raise ValueError(form)


def format_times(seconds: np.ndarray, clock: Clock, day_form: str, time_form: str | None) -> np.ndarray:
    """Seconds since the epoch -> text such as '2026-08-18 16:07:23' or '2026/8/18 16:07'; NaN -> ''."""
    seconds = np.asarray(seconds, float)
    ok = np.isfinite(seconds)
    s = np.where(ok, seconds, 0).astype(np.int64)
    text = _day_table(clock, day_form)[s // DAY]
    if time_form:
        text = text + _time_of_day_table(time_form)[s % DAY]
    return np.where(ok, text, "")


def format_days(day_index: np.ndarray, clock: Clock, form: str) -> np.ndarray:
    """Day numbers -> text such as '2026年8月18日'; negative (no date) -> ''."""
    day_index = np.asarray(day_index)
    ok = day_index >= 0
    return np.where(ok, _day_table(clock, form)[np.where(ok, day_index, 0)], "")


def format_numbers(values: np.ndarray, decimals: int) -> np.ndarray:
    """Numbers -> text with fixed decimals; NaN -> ''."""
    values = np.asarray(values, float)
    ok = np.isfinite(values)
    return np.where(ok, np.char.mod(f"%.{decimals}f", np.where(ok, values, 0)).astype(object), "")


# ---- writing files ------------------------------------------------------------------------------

@dataclass
class Column:
    """One column of a workbook: text, number, integer, datetime or date (numbers are Excel serials)."""
    header: str
    kind: str
    values: np.ndarray
    width: float = 12


def write_xlsx(path: Path, sheet_name: str, columns: list[Column], created: datetime) -> list[Path]:
    """Write the columns to one workbook, or to numbered parts when they exceed Excel's row limit."""
    n = len(columns[0].values) if columns else 0
    per_file = EXCEL_MAX_ROWS - 1
    if n <= per_file:
        _write_workbook(path, sheet_name, columns, created, 0, n)
        return [path]
    paths = []
    stem, _, date_part = path.stem.rpartition("_")
    for part, start in enumerate(range(0, n, per_file), start=1):
        part_path = path.with_name(f"{stem}_第{_chinese_number(part)}部分_{date_part}{path.suffix}")
        _write_workbook(part_path, sheet_name, columns, created, start, min(start + per_file, n))
        paths.append(part_path)
    return paths


def _write_workbook(path: Path, sheet_name: str, columns: list[Column], created: datetime, start: int,
                    stop: int) -> None:
    """Rows start..stop of the columns as one sheet, streamed (constant memory), blanks left empty."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": path.stem, "author": CITY + "创城办", "created": created})
    formats = {"datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
               "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
               "number": None, "integer": None}
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = workbook.add_worksheet(sheet_name)
    for c, column in enumerate(columns):
        sheet.set_column(c, c, column.width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [c.header for c in columns], header_format)
    cells = []
    for column in columns:
        values = np.asarray(column.values)[start:stop]
        if column.kind == "text":
            cells.append((values.tolist(), sheet.write_string, None))
        else:
            cells.append((np.asarray(values, float).tolist(), sheet.write_number, formats[column.kind]))
    for r in range(stop - start):
        for c, (values, write, cell_format) in enumerate(cells):
            value = values[r]
            # Empty text and NaN leave the cell empty.
            if value == "" or value != value:
                continue
            write(r + 1, c, value, cell_format)
    workbook.close()


def write_csv(path: Path, columns: dict[str, np.ndarray], encoding: str, line_end: str = "\n") -> Path:
    """Write text columns as CSV in the given encoding (GBK fails loudly on a character it lacks)."""
    frame = pd.DataFrame({header: np.asarray(values, dtype=object) for header, values in columns.items()})
    frame.to_csv(path, index=False, encoding=encoding, lineterminator=line_end)
    return path


# ---- the problem exports, one dialect per platform ------------------------------------------------

def _status_words(rows: pd.DataFrame, dialect: str) -> np.ndarray:
    """The platform's word for each row's state, or the dirty word a row was given."""
    words = np.array(STATUS_WORDS[dialect], dtype=object)[rows.status.to_numpy()]
    if "status_word" in rows:
        override = rows.status_word.to_numpy()
        words = np.where(pd.notna(override), override, words)
    return words


def write_chengdong(rows: pd.DataFrame, clock: Clock, path: Path, created: datetime) -> list[Path]:
    """城东区: xlsx with the builtin headers; times as date cells, 复核时间 as bare Excel serial numbers."""
    serial = lambda s: np.floor(clock.excel_serial(s) * 10_000) / 10_000  # noqa: E731 - like 45521.6736
    columns = [
        Column("问题编号", "text", rows.problem_id.to_numpy(), 16),
        Column("问题来源", "text", rows.source.to_numpy(), 10),
        Column("发现时间", "datetime", clock.excel_serial(rows.found), 19),
        Column("问题类别", "text", rows.category.to_numpy(), 10),
        Column("小类", "text", rows.subcategory.to_numpy(), 14),
        Column("问题描述", "text", rows.description.to_numpy(), 48),
        Column("点位编号", "text", rows.point_id.to_numpy(), 10),
        Column("测评点位", "text", rows.point_name.to_numpy(), 20),
        Column("点位类型", "text", rows.point_type.to_numpy(), 12),
        Column("区县", "text", rows.district.to_numpy(), 8),
        Column("街道", "text", rows.street.to_numpy(), 10),
        Column("社区", "text", rows.community.to_numpy(), 10),
        Column("责任单位", "text", rows.unit_name.to_numpy(), 16),
        Column("交办时间", "datetime", clock.excel_serial(rows.assigned), 19),
        Column("整改时限", "date", clock.excel_serial(np.where(rows.due_day >= 0, rows.due_day * DAY, np.nan)), 12),
        Column("整改状态", "text", _status_words(rows, "城东区"), 12),
        Column("整改完成时间", "datetime", clock.excel_serial(rows.rectified), 19),
        Column("复核时间", "number", serial(rows.checked), 12),
        Column("经度", "number", np.round(rows.lng.to_numpy(float), 6), 11),
        Column("纬度", "number", np.round(rows.lat.to_numpy(float), 6), 11),
        Column("扣分", "number", rows.deduction.to_numpy(float), 6),
        Column("退回次数", "integer", rows.returns.to_numpy(float), 8),
        Column("是否反弹", "text", np.where(rows.is_rebound, "是", "否"), 8),
    ]
    return write_xlsx(path, "问题台账", columns, created)


def write_chengxi(rows: pd.DataFrame, clock: Clock, path: Path) -> list[Path]:
    """城西区: GBK CSV (Windows line ends), times as '2026/8/18 16:07', deadlines as '2026/8/25'."""
    times = lambda s: format_times(s, clock, "slash", "hm")  # noqa: E731
    columns = {
        "工单编号": rows.problem_id, "来源": rows.source, "上报时间": times(rows.found),
        "问题类型": rows.category, "小类": rows.subcategory, "描述": rows.description,
        "点位名称": rows.point_name, "点位类型": rows.point_type, "所属区县": rows.district,
        "所属街道": rows.street, "所属社区": rows.community, "网格": rows.grid, "承办单位": rows.unit_name,
        "派单时间": times(rows.assigned), "截止时间": format_days(rows.due_day, clock, "slash"),
        "办理状态": _status_words(rows, "城西区"), "办结时间": times(rows.rectified), "销号时间": times(rows.checked),
        "lng": format_numbers(rows.lng, 6), "lat": format_numbers(rows.lat, 6),
    }
    return [write_csv(path, columns, "gbk", "\r\n")]


def write_gaoxin(rows: pd.DataFrame, clock: Clock, path: Path) -> list[Path]:
    """高新区: UTF-8 CSV with BOM, times as '2026-08-18 09:30:00', deadlines as '2026年8月18日'."""
    times = lambda s: format_times(s, clock, "iso", "hms")  # noqa: E731
    sources = rows.source.map(GAOXIN_SOURCE_WORDS).fillna(rows.source)
    columns = {
        "任务编号": rows.problem_id, "问题来源": sources, "检查时间": times(rows.found), "大类": rows.category,
        "问题描述": rows.description, "测评点位": rows.point_name, "点位类型": rows.point_type,
        "区县": rows.district, "乡镇(街道)": rows.street, "处置单位": rows.unit_name,
        "交办时间": times(rows.assigned), "办结时限": format_days(rows.due_day, clock, "chinese"),
        "状态": _status_words(rows, "高新区"), "整改完成时间": times(rows.rectified), "复核时间": times(rows.checked),
        "经度": format_numbers(rows.lng, 6), "纬度": format_numbers(rows.lat, 6),
    }
    return [write_csv(path, columns, "utf-8-sig")]


def write_hotline(rows: pd.DataFrame, clock: Clock, path: Path, created: datetime) -> list[Path]:
    """12345 hotline: xlsx with its own headers and status words, text times, GCJ-02 coordinates."""
    times = lambda s: format_times(s, clock, "iso", "hms")  # noqa: E731
    lng, lat = wgs84_to_gcj02(rows.lng.to_numpy(float), rows.lat.to_numpy(float))
    h = HOTLINE_HEADERS
    columns = [
        Column(h["problem_id"], "text", rows.problem_id.to_numpy(), 18),
        Column(h["found_at"], "text", times(rows.found), 19),
        Column(h["category"], "text", rows.category.to_numpy(), 10),
        Column(h["subcategory"], "text", rows.subcategory.to_numpy(), 14),
        Column(h["description"], "text", rows.description.to_numpy(), 48),
        Column(h["address"], "text", rows.address.to_numpy(), 32),
        Column(h["district"], "text", rows.district.to_numpy(), 8),
        Column(h["street"], "text", rows.street.to_numpy(), 10),
        Column(h["unit_name"], "text", rows.unit_name.to_numpy(), 16),
        Column(h["assigned_at"], "text", times(rows.assigned), 19),
        Column(h["due_on"], "date", clock.excel_serial(np.where(rows.due_day >= 0, rows.due_day * DAY, np.nan)), 12),
        Column(h["status"], "text", _status_words(rows, "12345"), 10),
        Column(h["rectified_at"], "text", times(rows.rectified), 19),
        Column(h["checked_at"], "text", times(rows.checked), 19),
        Column(h["lng"], "number", np.round(lng, 6), 12),
        Column(h["lat"], "number", np.round(lat, 6), 12),
    ]
    return write_xlsx(path, "工单明细", columns, created)


def problem_file_paths(exports: Path, export_on: date) -> list[Path]:
    """The four problem exports of one date: 城东区, 城西区, 高新区, 12345 hotline."""
    stamp = export_on.strftime("%Y%m%d")
    return [exports / f"问题台账_城东区_{stamp}.xlsx", exports / f"工单明细_城西区_{stamp}.csv",
            exports / f"任务清单_高新区_{stamp}.csv", exports / f"12345热线工单_{stamp}.xlsx"]


def write_problem_snapshot(problems, city, clock, exports: Path, export_on: date, is_newest: bool,
                           seed: int) -> list[Path]:
    """The four problem exports of one date; the newest snapshot gets a few dirty rows."""
    paths = []
    targets = problem_file_paths(exports, export_on)
    created = clock.export_time(export_on)
    for dialect, target in enumerate(targets):
        rows = snapshot_rows(problems, city, clock, export_on, dialect)
        if is_newest:
            rows = add_dirty_rows(rows, DIALECTS[dialect], seed)
        if DIALECTS[dialect] == "城东区":
            paths += write_chengdong(rows, clock, target, created)
        elif DIALECTS[dialect] == "城西区":
            paths += write_chengxi(rows, clock, target)
        elif DIALECTS[dialect] == "高新区":
            paths += write_gaoxin(rows, clock, target)
        else:
            paths += write_hotline(rows, clock, target, created)
    return paths


# ---- the other exports --------------------------------------------------------------------------

def write_units(city: City, path: Path, created: datetime) -> Path:
    """责任单位清单: districts, streets and townships, departments, and the communities and villages."""
    names = list(city.districts) + list(city.units.name) + list(city.communities.name)
    kinds = (["区县"] * len(city.districts) + list(city.units.kind)
             + ["村" if v else "社区" for v in city.communities.is_village])
    parents = ([CITY] * len(city.districts) + list(city.units.parent)
               + list(city.streets.name.to_numpy()[city.communities.street]))
    write_xlsx(path, "责任单位", [Column("单位名称", "text", np.array(names, dtype=object), 18),
                                Column("单位类型", "text", np.array(kinds, dtype=object), 10),
                                Column("上级单位", "text", np.array(parents, dtype=object), 12)], created)
    return path


def write_points(city: City, path: Path, created: datetime) -> Path:
    """测评点位清单 with the builtin headers."""
    p = city.points
    type_names = np.array([t.name for t in POINT_TYPES], dtype=object)
    streets = city.streets.name.to_numpy()[p.street]
    columns = [
        Column("点位编号", "text", p.point_id.to_numpy(), 10),
        Column("点位名称", "text", p.name.to_numpy(), 22),
        Column("点位类型", "text", type_names[p.type], 14),
        Column("区县", "text", np.array(city.districts, dtype=object)[p.district], 8),
        Column("街道", "text", streets, 10),
        Column("社区", "text", city.communities.name.to_numpy()[p.community], 10),
        Column("经度", "number", np.round(p.lng.to_numpy(), 6), 11),
        Column("纬度", "number", np.round(p.lat.to_numpy(), 6), 11),
        Column("点位长", "text", p.chief.to_numpy(), 8),
        Column("包抓单位", "text", p.co_unit.to_numpy(), 18),
        Column("行业主管部门", "text", p.owner.to_numpy(), 16),
        Column("属地单位", "text", streets, 10),
        Column("是否重点点位圈", "text", np.where(p.key_circle != "", "是", "否"), 8),
        Column("重点点位圈", "text", p.key_circle.to_numpy(), 22),
    ]
    write_xlsx(path, "测评点位", columns, created)
    return path


def write_inspections(city: City, clock: Clock, rounds: pd.DataFrame, visits: pd.DataFrame, exports: Path,
                      seed: int) -> list[Path]:
    """暗访 and 督查 in an xlsx with 是否达标; the assessments in a CSV without it (the pass score decides)."""
    rng = _rng(seed, "inspectors")
    stamp = clock.end.strftime("%Y%m%d")
    kind = rounds.kind.to_numpy()[visits["round"].to_numpy()]
    points = city.points
    own = np.isin(kind, ["暗访", "督查"])
    v = visits[own]
    xlsx = exports / f"检查记录_{stamp}.xlsx"
    write_xlsx(xlsx, "检查记录", [
        Column("检查编号", "text", v.inspection_id.to_numpy(), 16),
        Column("检查时间", "datetime", clock.excel_serial(v.inspected), 19),
        Column("检查类型", "text", kind[own], 8),
        Column("轮次", "text", rounds.name.to_numpy()[v["round"]], 18),
        Column("点位编号", "text", points.point_id.to_numpy()[v.point], 10),
        Column("点位名称", "text", points.name.to_numpy()[v.point], 22),
        Column("得分", "number", v.score.to_numpy(), 6),
        Column("是否达标", "text", np.where(v.score >= 85, "达标", "不达标"), 8),
        Column("发现问题数", "integer", v.count_problems.to_numpy(float), 8),
        Column("检查组", "text", v.group.to_numpy(), 20),
    ], clock.export_time(clock.end))
    v = visits[~own]
    inspectors = [SURNAMES[a] + GIVEN_CHARS[b] for a, b in zip(rng.integers(len(SURNAMES), size=len(v)),
                                                               rng.integers(len(GIVEN_CHARS), size=len(v)))]
    csv = write_csv(exports / f"检查记录_测评_{stamp}.csv", {
        "检查编号": v.inspection_id, "检查时间": format_times(v.inspected, clock, "iso", "hms"), "检查类型": kind[~own],
        "轮次": rounds.name.to_numpy()[v["round"]], "点位编号": points.point_id.to_numpy()[v.point],
        "点位名称": points.name.to_numpy()[v.point], "得分": format_numbers(v.score, 1),
        "发现问题数": v.count_problems.astype(str), "检查人": np.array(inspectors, dtype=object),
    }, "utf-8-sig")
    return [xlsx, csv]


MATERIAL_INDICATORS = (
    ("理想信念教育", "市委宣传部", ("理论宣讲", "主题教育")),
    ("社会主义核心价值观", "市委宣传部", ("核心价值观宣传", "公益广告刊播")),
    ("未成年人思想道德建设", "市教育局", ("未成年人思想道德建设", "校外活动场所建设")),
    ("诚信建设", "市市场监管局", ("诚信经营", "信用体系建设")),
    ("志愿服务", "市民政局", ("志愿服务队伍建设", "学雷锋志愿服务")),
    ("公共文化服务", "市文旅局", ("公共文化设施开放", "文化惠民活动")),
    ("市容环境卫生", "市城管执法局", ("市容环境整治", "生活垃圾分类")),
    ("交通秩序", "市公安局交警支队", ("文明交通劝导", "交通秩序整治")),
    ("生态环境", "市生态环境局", ("大气污染防治", "水环境治理")),
    ("城市绿化", "市园林局", ("城市绿化提升", "公园绿地管护")),
    ("社区建设", "市民政局", ("社区综合服务设施", "社区治理")),
    ("住房保障与物业管理", "市住建局", ("老旧小区改造", "物业服务管理")),
    ("食品安全", "市市场监管局", ("食品安全监管", "农贸市场提升")),
    ("健康教育与控烟", "市卫健委", ("健康教育", "无烟环境建设")),
    ("公共交通服务", "市交通局", ("公交服务提升", "客运站点管理")),
    ("城市排水防涝", "市水务局", ("排水防涝", "河道管护")),
    ("商贸流通", "市商务局", ("诚信经营示范街区", "商场超市文明创建")),
    ("违法建设治理", "市自然资源局", ("违法建设治理", "国土空间规划")),
)
MATERIAL_TYPES = ("正式发文", "说明报告", "图片资料", "评价意见", "数据表格")


def _material_name(material_type: str, topic: str, year: int) -> str:
    return {"正式发文": f"关于印发《{topic}工作方案》的通知", "说明报告": f"{year}年{topic}工作情况报告",
            "图片资料": f"{topic}活动图片资料", "评价意见": f"{topic}群众评价意见汇总",
            "数据表格": f"{topic}情况统计表"}[material_type]


def write_materials(city: City, clock: Clock, path: Path, seed: int) -> Path:
    """About 200 evidence items; due dates around the end, the late ones not all delivered."""
    rng = _rng(seed, "materials")
    rows = []
    for indicator, department, topics in MATERIAL_INDICATORS:
        for _ in range(int(rng.integers(9, 14))):
            topic = topics[int(rng.integers(len(topics)))]
            material_type = MATERIAL_TYPES[int(rng.integers(len(MATERIAL_TYPES)))]
            # A district delivers its part of some items.
            unit = department if rng.random() < 0.8 else city.districts[int(rng.integers(len(city.districts)))]
            due = clock.end + timedelta(days=int(rng.integers(-75, 91)))
            rows.append((indicator, _material_name(material_type, topic, due.year), material_type, unit, due))
    items = []
    diligence = dict(zip(city.units.name, city.units.diligence))
    for k, (indicator, name, material_type, unit, due) in enumerate(rows, start=1):
        d = diligence.get(unit, 0.8)
        days_left = (due - clock.end).days
        if days_left < 0:
            status = rng.choice(["审核通过", "已报送", "退回", "未报送"], p=_probabilities([6 * d, 2, 1, 2.5 * (1 - d) + 0.2]))
        else:
            status = rng.choice(["审核通过", "已报送", "退回", "未报送"], p=_probabilities([1, 1.5, 0.4, 3 + days_left / 30]))
        when = ""
        if status != "未报送":
            # Delivered some days before the deadline (late ones after it), in office hours, by the end.
            lead = int(rng.integers(-5, 21)) if days_left < 0 else int(rng.integers(0, 31))
            day = min(due - timedelta(days=lead), clock.end)
            when = datetime(day.year, day.month, day.day, 8, 30) + timedelta(seconds=int(rng.integers(0, 34_200)))
        items.append((f"CL{k:03d}", indicator, name, material_type, unit, due, status, when))
    serial = lambda v: [(x - datetime(1899, 12, 30)).total_seconds() / DAY if x else np.nan for x in v]  # noqa: E731
    write_xlsx(path, "网申材料", [
        Column("材料编号", "text", np.array([i[0] for i in items], dtype=object), 8),
        Column("指标", "text", np.array([i[1] for i in items], dtype=object), 20),
        Column("材料名称", "text", np.array([i[2] for i in items], dtype=object), 40),
        Column("材料类型", "text", np.array([i[3] for i in items], dtype=object), 10),
        Column("责任单位", "text", np.array([i[4] for i in items], dtype=object), 16),
        Column("截止时间", "date", np.array([(i[5] - EXCEL_EPOCH).days for i in items], float), 12),
        Column("状态", "text", np.array([i[6] for i in items], dtype=object), 8),
        Column("报送时间", "datetime", np.array(serial([i[7] for i in items]), float), 19),
    ], clock.export_time(clock.end))
    return path


def _probabilities(weights: list[float]) -> np.ndarray:
    """Weights -> probabilities (negative weights count as 0)."""
    w = np.maximum(np.array(weights, float), 0)
    return w / w.sum()


# Survey rates of the whole city in the first and the last of the four rounds.
SURVEY_RATES = {"知晓率": (0.86, 0.95), "支持率": (0.90, 0.97), "参与率": (0.74, 0.87), "满意度": (0.82, 0.91)}


def write_surveys(city: City, clock: Clock, path: Path, seed: int) -> Path:
    """Four quarterly rounds, rates improving; rounds write rates as 0.865, '86.5%' or 86.5."""
    rng = _rng(seed, "surveys")
    columns = {"调查时间": [], "轮次": [], "指标": [], "区县": [], "数值": []}
    district_offset = rng.uniform(-0.025, 0.025, len(city.districts))
    district_offset -= district_offset.mean()  # the city is about the mean of its districts
    for k in range(4):
        day = clock.end - timedelta(days=10 + 91 * (3 - k))
        round_name = f"{day.year}年第{(day.month - 1) // 3 + 1}季度问卷调查"
        for indicator, (first, last) in SURVEY_RATES.items():
            city_rate = first + (last - first) * k / 3
            for area, offset in [("全市", 0.0)] + list(zip(city.districts, district_offset)):
                rate = min(city_rate + offset + float(rng.uniform(-0.008, 0.008)), 0.995)
                text = (f"{rate:.3f}" if k < 2 else f"{rate * 100:.1f}%" if k == 2 else f"{rate * 100:.1f}")
                for key, value in zip(columns, (day.isoformat(), round_name, indicator, area, text)):
                    columns[key].append(value)
    return write_csv(path, {k: np.array(v, dtype=object) for k, v in columns.items()}, "utf-8")


def write_boundaries(city: City, path: Path) -> Path:
    """GeoJSON: one polygon per district and per street or township (counter-clockwise rings)."""
    def ring(xy: np.ndarray) -> list[list[float]]:
        lng, lat = km_to_lnglat(xy[:, 0], xy[:, 1])
        coords = [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lng, lat)]
        return coords + [coords[0]]

    features = []
    for d, (name, (x0, y0, x1, y1)) in enumerate(zip(city.districts, city.district_rects)):
        corners = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        features.append({"type": "Feature", "properties": {"name": name, "level": "district", "parent": ""},
                         "geometry": {"type": "Polygon", "coordinates": [ring(corners)]}})
    for s, street in city.streets.iterrows():
        features.append({"type": "Feature",
                         "properties": {"name": street["name"], "level": "street",
                                        "parent": city.districts[street.district]},
                         "geometry": {"type": "Polygon", "coordinates": [ring(city.quads[s])]}})
    collection = {"type": "FeatureCollection", "name": DEMO_BOUNDARIES_NAME, "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _is_demo_boundaries(path: Path) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("name") == DEMO_BOUNDARIES_NAME
    except (OSError, ValueError, AttributeError):
        return False


def _is_demo_mapping(path: Path) -> bool:
    try:
        return f'name = "{HOTLINE_MAPPING_NAME}"' in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def place_demo_world(out_dir: Path, boundaries_path: Path, mappings_dir: Path) -> list[str]:
    """Put the demo's boundaries where the settings look for them (map.boundaries) and its hotline
    mapping in the mappings folder the import page uses, so a demo written anywhere draws its
    outlines and imports its hotline files again. An office's own file there is never replaced:
    only a missing one or an earlier demo's. Returns what was done or left, for the console."""
    notes = []
    source = Path(out_dir) / "boundaries.geojson"
    if boundaries_path.resolve() != source.resolve():
        if not boundaries_path.exists() or _is_demo_boundaries(boundaries_path):
            boundaries_path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, boundaries_path)
            notes.append(f"演示边界已复制到设置 map.boundaries 所指的 {boundaries_path}")
        else:
            notes.append(f"设置 map.boundaries 所指的 {boundaries_path} 不是演示边界，未覆盖；热点地图画的是它")
    mapping = Path(out_dir) / "mappings" / "hotline.toml"
    target = mappings_dir / "hotline.toml"
    if target.resolve() != mapping.resolve():
        if not target.exists() or _is_demo_mapping(target):
            mappings_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(mapping, target)
            notes.append(f"演示热线平台的表头映射已复制到 {target}")
        else:
            notes.append(f"{target} 已有别的映射，未覆盖")
    return notes


def write_hotline_mapping(path: Path) -> Path:
    """The hotline platform's mapping, laid out like builtin.toml."""
    h = HOTLINE_HEADERS
    fields = ["problem_id", "found_at", "category", "subcategory", "description", "district", "street", "unit_name",
              "assigned_at", "due_on", "status", "rectified_at", "checked_at", "lng", "lat"]
    words = dict(zip(("pending", "in_progress", "awaiting_check", "closed", "returned"), STATUS_WORDS["12345"]))
    lines = [
        "# 12345 市民热线平台的导出：工单明细（演示数据生成器写出）。",
        "# 表头与内置映射不重名：平台映射靠自己的表头认出文件。",
        "# 诉求地址 没有对应字段，导入时不读。",
        "",
        f'name = "{HOTLINE_MAPPING_NAME}"',
        "# 经纬度是高德坐标。",
        'coordinate_system = "gcj02"',
        "",
        "[problems.headers]",
        *[f'{f} = ["{h[f]}"]' for f in fields],
        "",
        "# 导出里没有来源一列：热线工单都是市民投诉。",
        "[problems.constants]",
        'source = "市民投诉"',
        "",
        "[values.problem_status]",
        *[f'{ours} = ["{theirs}"]' for ours, theirs in words.items()],
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# ---- the whole demo -----------------------------------------------------------------------------

# Files of an earlier run with other dates are removed, so a folder import sees one consistent set.
DEMO_FILE_PREFIXES = ("问题台账_", "工单明细_", "任务清单_", "12345热线工单_", "检查记录_")


def write_demo(out_dir: Path, scale: int = 30_000, end: date | None = None, seed: int = 20261122,
               snapshots: int = 2) -> list[Path]:
    """Write 示范市's exports to out_dir/exports and return them in import order.

    Also writes out_dir/boundaries.geojson and out_dir/mappings/hotline.toml. The same arguments
    give byte-identical files; the data ends on `end` (default: yesterday).
    """
    end = end or date.today() - timedelta(days=1)
    out_dir = Path(out_dir)
    exports = out_dir / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    (out_dir / "mappings").mkdir(parents=True, exist_ok=True)
    for old in exports.iterdir():
        if old.is_file() and old.name.startswith(DEMO_FILE_PREFIXES):
            old.unlink()
    clock = Clock(end)
    city = build_city(seed)
    rounds = plan_rounds(clock)
    visits = plan_visits(city, clock, rounds, scale, seed)
    problems = put_default_spot(generate_problems(city, clock, rounds, visits, scale, seed), scale, seed)
    problems["description"], problems["address"] = describe_problems(problems, city, seed)
    found_per_visit = np.bincount(problems.visit.to_numpy()[problems.visit.to_numpy() >= 0], minlength=len(visits))
    visits = score_visits(visits, found_per_visit, seed)

    created = clock.export_time(end)
    paths = [write_units(city, exports / "责任单位清单.xlsx", created),
             write_points(city, exports / "测评点位清单.xlsx", created),
             *write_inspections(city, clock, rounds, visits, exports, seed),
             write_materials(city, clock, exports / "网申材料任务.xlsx", seed),
             write_surveys(city, clock, exports / "问卷调查结果.csv", seed)]
    for k in range(snapshots):
        export_on = end - timedelta(days=7 * (snapshots - 1 - k))
        paths += write_problem_snapshot(problems, city, clock, exports, export_on, k == snapshots - 1, seed)
    from cockpit.demo.scoring import write_scoring  # it builds on this module's writers
    paths += write_scoring(city, clock, exports, seed)
    paths.append(areas.write_areas(city, exports / "责任体系.xlsx", created, seed))
    paths += loop.write_loop(problems, city, clock, exports, seed)
    write_boundaries(city, out_dir / "boundaries.geojson")
    write_hotline_mapping(out_dir / "mappings" / "hotline.toml")
    return paths
