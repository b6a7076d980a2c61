"""示范市's assessment scoring: the indicator list (测评体系), three years of results and the key tasks.

The indicators cover the demo's point types and problem subcategories (cockpit/demo/world.py POINT_TYPES,
ISSUES), point-type-specific ones first, so a problem goes to the indicator of its place before a
city-wide one; a few subcategories (随地吐痰, 宣传氛围不足) and the bare 大类 of 公益广告, 农贸市场
and others are left to no indicator, so 数据质量 has uncovered problems to list. The round problems carry their own 扣分 (demo.py); the others
take the indicator's default. The results slip towards the province's last three, each year with the score of
the 10th city (the rank line settings.toml's target_rank reads); some key tasks run late.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np

from cockpit.demo.dialects import Column, write_csv, write_xlsx
from cockpit.demo.world import EXCEL_EPOCH, City, Clock, _rng

ROADS = "主次干道、背街小巷、商业大街、城乡结合部"
MARKETS = "农贸市场、集贸市场"
SCHOOLS = "中小学校、幼儿园"
STATIONS = "公交站点、火车站、长途汽车站、城市出入口、停车场"
SERVICE = "窗口单位、银行网点、政务服务中心、医院"
VENUES = "图书馆、文化馆、博物馆、科技馆、影剧院、体育场馆、青少年活动中心、爱国主义教育基地"
BUSINESS = "餐饮店、宾馆酒店、网吧、歌舞娱乐场所、大型商场超市、加油站"
PARKS = "公园广场、景区"
COMMUNITY = "社区、村、新时代文明实践站"
CLEAN = "垃圾未清运、卫生死角、垃圾桶满溢"
STREET_ORDER = "占道经营、乱堆乱放、牛皮癣、店外经营、乱搭乱建、飞线充电"
FACILITIES = "路面破损、井盖缺损、路灯损坏、道路积水、垃圾桶缺失、墙皮脱落"
ADS = "公益广告缺失、公益广告破损、公益广告污损"
MANNERS = "乱扔垃圾、插队加塞、公共场所吸烟、不文明养犬"

# (name, points, point types, subcategories, default deduction), in list order: specific before general.
FIELD_INDICATORS = (
    ("主次干道及街巷市容秩序", 3.0, ROADS, STREET_ORDER, 0.3),
    ("主次干道及街巷环境卫生", 2.5, ROADS, CLEAN + "、餐饮油烟", 0.3),
    ("道路交通秩序", 2.5, ROADS, "机动车乱停放、非机动车乱停放、闯红灯、逆向行驶、未戴头盔、占用盲道", 0.2),
    ("道路公共设施", 2.0, ROADS, FACILITIES, 0.3),
    ("街巷公益广告", 1.5, ROADS, ADS, 0.2),
    ("居民小区物业管理", 2.5, "居民小区", "三无小区、楼道杂物、绿地毁损、消防通道堵塞", 0.3),
    ("居民小区环境卫生", 2.0, "居民小区", CLEAN + "、乱堆乱放、飞线充电、乱搭乱建", 0.3),
    ("居民小区设施", 1.5, "居民小区", FACILITIES, 0.3),
    ("居民小区文明宣传", 1.0, "居民小区", ADS + "、不文明养犬", 0.2),
    ("农贸市场管理", 2.5, MARKETS, "划行归市不规范、活禽宰杀区不规范、公平秤缺失、食品防蝇缺失", 0.3),
    ("农贸市场环境卫生", 2.0, MARKETS, "地面湿滑脏乱、" + CLEAN + "、占道经营、乱堆乱放、乱搭乱建", 0.3),
    ("公共厕所卫生", 2.0, "公共厕所", "公厕脏乱、" + CLEAN, 0.5),
    ("公共厕所设施", 1.5, "公共厕所", "公厕设施损坏、" + FACILITIES, 0.5),
    ("校园周边环境", 2.0, SCHOOLS, "校园周边流动摊贩、闯红灯、机动车乱停放、非机动车乱停放、占道经营", 0.3),
    ("未成年人思想道德建设", 1.5, SCHOOLS, "心理辅导室未开放、" + ADS, 0.3),
    ("网吧及娱乐场所管理", 1.5, "网吧、歌舞娱乐场所", "网吧接纳未成年人、禁入标志缺失、公共场所吸烟", 0.5),
    ("交通场站秩序", 2.0, STATIONS, "机动车乱停放、非机动车乱停放、插队加塞、占用盲道、闯红灯", 0.3),
    ("交通场站环境与设施", 1.5, STATIONS, CLEAN + "、" + FACILITIES + "、无障碍设施缺失、母婴室缺失", 0.3),
    ("交通场站公益广告", 1.0, STATIONS, ADS, 0.2),
    ("窗口服务单位文明服务", 2.0, SERVICE, "插队加塞、无障碍设施缺失、母婴室缺失、志愿服务站无人值守", 0.3),
    ("窗口服务单位环境", 1.5, SERVICE, CLEAN + "、公共场所吸烟、" + ADS, 0.2),
    ("文化体育场馆", 1.5, VENUES, "公共场所吸烟、无障碍设施缺失、" + ADS + "、" + CLEAN, 0.2),
    ("经营场所环境秩序", 2.0, BUSINESS, "店外经营、餐饮油烟、" + CLEAN + "、占道经营、乱堆乱放", 0.3),
    ("经营场所文明宣传", 1.0, BUSINESS, ADS + "、公共场所吸烟", 0.2),
    ("公园广场及景区环境", 2.0, PARKS, CLEAN + "、" + STREET_ORDER + "、不文明养犬、乱扔垃圾", 0.3),
    ("公园广场及景区设施服务", 1.5, PARKS, FACILITIES + "、无障碍设施缺失、母婴室缺失、志愿服务站无人值守", 0.3),
    ("新时代文明实践", 2.5, COMMUNITY, "文明实践活动未开展、志愿服务台账缺失、志愿服务站无人值守", 0.5),
    ("社区与村环境整治", 2.0, COMMUNITY, CLEAN + "、" + STREET_ORDER + "、墙皮脱落", 0.3),
    ("社区与村公益宣传", 1.0, COMMUNITY, ADS + "、无障碍设施缺失", 0.2),
    ("建筑工地管理", 2.0, "建筑工地", "工地扬尘、" + CLEAN + "、" + ADS + "、乱堆乱放", 0.5),
    ("医院就医秩序", 1.5, "医院", "机动车乱停放、非机动车乱停放、乱扔垃圾", 0.3),
    # city-wide: what no place-specific indicator took (hotline work orders have no point type, some
    # platforms export only the 大类)
    ("城市市容秩序（全域）", 3.0, "", "市容环境、" + STREET_ORDER, 0.3),
    ("城市环境卫生（全域）", 3.0, "", "环境卫生、" + CLEAN + "、餐饮油烟、公厕脏乱", 0.3),
    ("城市交通秩序（全域）", 2.0, "", "交通秩序、机动车乱停放、非机动车乱停放、占用盲道", 0.2),
    ("市政设施维护（全域）", 2.0, "", "公共设施、小区管理、" + FACILITIES + "、楼道杂物、三无小区", 0.3),
    ("文明行为养成（全域）", 1.5, "", "文明行为、" + MANNERS, 0.2),
)
OTHER_INDICATORS = (  # 网申材料 and 问卷调查: scored from other evidence, no problems map to them
    ("网申材料", "组织领导与工作机制", 4.0),
    ("网申材料", "诚信建设与志愿服务制度", 3.0),
    ("问卷调查", "市民文明素质与满意度", 5.0),
)

TASKS = (  # (name, lead unit, kind, milestones)
    ("老旧小区改造（第一批）", "市住建局", "工程", ("设计批复", "开工", "管网改造完成", "外立面完工", "竣工验收")),
    ("老旧小区改造（第二批）", "市住建局", "工程", ("立项", "招标", "开工", "主体完工")),
    ("城乡结合部环境整治", "市住建局", "专项行动", ("摸底排查", "集中整治", "巩固验收")),
    ("建筑工地扬尘治理", "市住建局", "专项行动", ()),
    ("公厕新建改建", "市城管执法局", "工程", ("选址", "开工", "主体完工", "投入使用")),
    ("背街小巷提升改造", "市城管执法局", "工程", ("方案审定", "开工", "完工验收")),
    ("占道经营集中整治", "市城管执法局", "专项行动", ("动员部署", "集中整治", "常态巡查")),
    ("垃圾分类示范片区", "市城管执法局", "工程", ()),
    ("农贸市场标准化改造", "市市场监管局", "工程", ("方案", "开工", "完工", "验收")),
    ("餐饮油烟专项治理", "市市场监管局", "专项行动", ("排查建档", "设施安装", "复查")),
    ("公交站台更新", "市交通局", "工程", ("采购", "安装", "验收")),
    ("文明交通劝导行动", "市公安局交警支队", "专项行动", ("启动", "月度通报", "季度评估")),
    ("停车秩序整治", "市公安局交警支队", "专项行动", ()),
    ("校园周边环境整治", "市教育局", "专项行动", ("排查", "整改", "验收")),
    ("未成年人心理辅导室建设", "市教育局", "工程", ("选点", "建设", "挂牌")),
    ("公园广场提质", "市园林局", "工程", ("设计", "施工", "开放")),
    ("城市绿道建设", "市园林局", "工程", ()),
    ("新时代文明实践站提升", "市委宣传部", "工程", ("标准制定", "站点改造", "评估验收")),
    ("公益广告全覆盖", "市委宣传部", "专项行动", ("设计制作", "发布", "检查")),
    ("志愿服务站点建设", "市委宣传部", "工程", ("选址", "建设", "运行")),
    ("网吧娱乐场所专项检查", "市文旅局", "专项行动", ("部署", "检查", "通报")),
    ("景区文明旅游提升", "市文旅局", "专项行动", ()),
    ("无障碍设施改造", "市民政局", "工程", ("排查", "改造", "验收")),
    ("窗口单位文明服务提升", "市商务局", "专项行动", ("培训", "暗访", "通报")),
    ("医院就医秩序整治", "市卫健委", "专项行动", ("方案", "整治", "评估")),
)


def write_scoring(city: City, clock: Clock, exports: Path, seed: int) -> list[Path]:
    """Write 测评体系.xlsx, 历年测评成绩.csv (GBK) and 重点任务.xlsx; return them in import order."""
    created = clock.export_time(clock.end)
    return [_write_indicators(exports / "测评体系.xlsx", created), _write_results(clock, exports / "历年测评成绩.csv"),
            _write_tasks(clock, exports / "重点任务.xlsx", seed, created)]


def _write_indicators(path: Path, created) -> Path:
    rows = [(f"1.{k}", name, "实地测评", points, types, subs, default)
            for k, (name, points, types, subs, default) in enumerate(FIELD_INDICATORS, start=1)]
    rows += [(f"{2 + k}.1", name, part, points, "", "", np.nan)
             for k, (part, name, points) in enumerate(OTHER_INDICATORS)]
    headers = ("指标编号", "指标名称", "测评部分", "分值", "点位类型", "问题类别", "默认扣分")
    kinds = ("text", "text", "text", "number", "text", "text", "number")
    widths = (8, 24, 10, 6, 40, 60, 8)
    write_xlsx(path, "测评体系", [Column(h, k, np.array([r[i] for r in rows], dtype=float if k == "number" else object), w)
                              for i, (h, k, w) in enumerate(zip(headers, kinds, widths))], created)
    return path


def _write_results(clock: Clock, path: Path) -> Path:
    last = clock.end.year - 1
    years = [last - 2, last - 1, last]
    return write_csv(path, {"年度": np.array(years, dtype=object), "得分": np.array(["88.6", "85.3", "82.9"], dtype=object),
                            "全省排名": np.array(["4", "8", "12"], dtype=object),
                            "参评城市数": np.array(["14", "14", "14"], dtype=object),
                            # the 10th city's score each year (settings.toml's target_rank), as the province publishes it
                            "目标名次分数线": np.array(["84.1", "84.7", "85.2"], dtype=object)}, "gbk")


def _write_tasks(clock: Clock, path: Path, seed: int, created) -> Path:
    rng = _rng(seed, "key tasks")
    end = clock.end
    rows = []
    for name, unit, kind, milestones in TASKS:
        start = end - timedelta(days=int(rng.integers(60, 240)))
        finish = end + timedelta(days=int(rng.integers(30, 200)))
        diligence = rng.uniform(0.6, 1.1)
        if not milestones:
            line = (end - start).days / (finish - start).days
            rows.append((name, unit, kind, start, finish, "", None, "", round(min(1.0, line * diligence), 2)))
            continue
        span = (finish - start).days
        for i, milestone in enumerate(milestones, start=1):
            on = start + timedelta(days=int(span * i / (len(milestones) + 0.3)) + int(rng.integers(-5, 6)))
            done = on < end and rng.random() < diligence
            rows.append((name, unit, kind, start, finish, milestone, on, "是" if done else "否", None))
    serial = lambda d: np.nan if d is None else float((d - EXCEL_EPOCH).days)  # noqa: E731
    write_xlsx(path, "重点任务", [
        Column("任务名称", "text", np.array([r[0] for r in rows], dtype=object), 26),
        Column("牵头单位", "text", np.array([r[1] for r in rows], dtype=object), 16),
        Column("类型", "text", np.array([r[2] for r in rows], dtype=object), 8),
        Column("开始日期", "date", np.array([serial(r[3]) for r in rows], float), 12),
        Column("结束日期", "date", np.array([serial(r[4]) for r in rows], float), 12),
        Column("节点名称", "text", np.array([r[5] for r in rows], dtype=object), 14),
        Column("节点日期", "date", np.array([serial(r[6]) for r in rows], float), 12),
        Column("是否完成", "text", np.array([r[7] for r in rows], dtype=object), 8),
        Column("完成百分比", "number", np.array([np.nan if r[8] is None else r[8] for r in rows], float), 10),
    ], created)
    return path
