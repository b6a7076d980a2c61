"""Deterministic demo exports of a task platform for the fictional city 示范市 (python -m cockpit demo)."""

from __future__ import annotations

import json
import math
import shutil
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from cockpit.coords import wgs84_to_gcj02

CITY = "示范市"
CENTRE_LNG, CENTRE_LAT = 108.95, 34.27
CITY_KM = 30.0
KM_PER_DEG_LAT = 110.95
KM_PER_DEG_LNG = 111.32 * math.cos(math.radians(CENTRE_LAT))

DAY = 86_400
HOUR = 3_600
HISTORY_DAYS = 365            # the problems cover the year ending at `end`
EPOCH_DAYS = 400              # times are seconds since end - EPOCH_DAYS (before any event)
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_MAX_ROWS = 1_048_576    # header included

# Shares of the problems in the newest snapshot, by how they came in.
SHARE_REBOUND = 0.025
SHARE_HOTLINE = 0.10          # citizen hotline work orders: no measurement point, coordinates only
SHARE_MEDIA = 0.02
SHARE_GRID = 0.28             # the rest come from inspection rounds

PENDING, IN_PROGRESS, AWAITING_CHECK, CLOSED, RETURNED = range(5)

# ---- the city ----------------------------------------------------------------------------------

# District rectangles in km from the city's south-west corner (x east, y north), split into a grid of
# street cells; the street names run row by row from the south-west. A name ending in 镇 is a township.
DISTRICT_LAYOUT = (
    ("城东区", (15.0, 12.0, 30.0, 30.0), (2, 4),
     ("幸福街道", "纺织街道", "金花街道", "兴庆街道", "长乐街道", "朝阳街道", "东关街道", "洪庆镇")),
    ("城西区", (0.0, 12.0, 15.0, 30.0), (2, 3),
     ("桃园街道", "红光街道", "土门街道", "枣园街道", "三桥镇", "西关街道")),
    ("高新区", (0.0, 0.0, 30.0, 12.0), (3, 2),
     ("五星镇", "细柳街道", "东大镇", "丈八街道", "鱼化街道", "兴隆街道")),
)

DEPARTMENTS = (
    "市城管执法局", "市公安局交警支队", "市住建局", "市市场监管局", "市教育局", "市民政局", "市卫健委",
    "市交通局", "市委宣传部", "市文旅局", "市生态环境局", "市水务局", "市商务局", "市园林局", "市自然资源局",
)
# Co-building units (包抓单位) come from the departments and from other organisations.
OTHER_ORGANISATIONS = (
    "市财政局", "市人社局", "市税务局", "市司法局", "市审计局", "市统计局", "市总工会", "团市委", "市妇联",
    "市科协", "国网示范市供电公司", "示范市移动分公司", "示范农商银行", "市烟草专卖局", "示范市水务集团",
)

PLACE_WORDS = tuple(dict.fromkeys(
    "长乐 幸福 和平 建设 东风 朝阳 光明 胜利 团结 友谊 文化 新华 人民 解放 青年 红旗 前进 育才 文昌 兴华 "
    "永宁 安定 长安 太白 翠华 含光 金花 兴庆 景龙 曲江 芙蓉 丰庆 华清 紫薇 锦绣 春晖 明德 启航 康宁 安居 "
    "乐居 吉祥 如意 瑞丰 嘉禾 丰盛 富源 振兴 复兴 民主 自强 东盛 西华 南苑 北苑 东苑 西苑 龙首 凤城 未央 "
    "含元 大明 太华 凤栖 玉祥 金桥 银河 星火 晨光 朝晖 彩虹 白杨 松园 柏树 杨柳 梧桐 槐荫 丹凤 南湖 北湖 "
    "翠湖 清源 润泽 广德 广和 仁和 德馨 书香 书院 文景 文苑 博文 科技 创业 创新 锦业 唐延 天谷 云水 沣惠 "
    "劳动 工农 丰禾 秦川 渭滨 泾渭 灞柳 浐河 沣河 潏河 少陵 杜陵 乐游 青龙 白鹿 金光 华山 嵩山 峨眉 长城 "
    "黄河 长江 昆仑 天山 北斗 启明 东方 华夏 中兴 振华 兴业 隆昌 永兴 永安 长兴 长青 惠民 利民 便民 安康 "
    "康乐 怡园 逸园 颐和 静安 祥和 福源 金泰 恒泰 宏图 盛世 新城 东关 西关 南关 北关 东郊 西郊 太乙 雁鸣 "
    "望春 迎春 春华 秋实 丰登 桃李 杏林 竹园 兰亭 菊园 荷塘 枫林 樱花 海棠 玉兰 牡丹 石榴 香山 翠屏 青山 "
    "绿洲 阳光 金色 银杏 环城 西城 东城 南城 北城 朱雀 玄武 白虎 安远 通化 开远 延平 延兴 春明 金城 "
    "宝庆 崇文 尚德 弘文 敦化 雅荷 碧水 明珠 丽景 华府 国色 锦华 凤鸣 鹤鸣 鹿鸣 雍容 嘉园 悦城".split()
))
SURNAMES = tuple(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_CHARS = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏晨欣怡婷雪琳晓帆峰博俊志海"
    "东亮林波宁新春梅兰凤云莉燕颖倩慧佳瑞嘉思雨鑫彬龙飞健永国立成荣庆德宏晖军利民安康卫东振华"
)
VILLAGE_SUFFIXES = ("家村", "家庄村", "家堡村", "家寨村", "庄村", "坡村", "湾村")


@dataclass(frozen=True)
class PointType:
    """A kind of measurement point: how many, how they are named, who owns them, how messy they are."""
    name: str
    count: int                         # 0: one per community, village or street (see _special_points)
    patterns: tuple[str, ...] = ()     # "{w}" is a place word
    owner: str = "市城管执法局"          # 行业主管部门
    mess: float = 1.0                  # problems attracted, relative
    township: float = 0.35             # weight of a township against a street when placing points
    fixed: tuple[str, ...] = ()        # names used before the patterns


def _chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 30 -> 三十 (up to 99)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _numbered(template: str, count: int) -> tuple[str, ...]:
    return tuple(template.format(n=_chinese_number(i)) for i in range(1, count + 1))


POINT_TYPES = (
    PointType("居民小区", 1250, ("{w}小区", "{w}花园", "{w}家园", "{w}苑", "{w}公寓", "{w}新村", "{w}佳苑",
                              "{w}华庭", "{w}名居", "{w}里小区", "{w}家属院"), "市住建局", 1.0),
    PointType("背街小巷", 450, ("{w}巷", "{w}街", "{w}坊", "{w}一巷", "{w}二巷", "{w}东巷", "{w}西巷", "{w}后街"),
              "市城管执法局", 1.4),
    PointType("公共厕所", 300, ("{w}路公厕", "{w}街公厕", "{w}巷公厕", "{w}广场公厕", "{w}市场公厕", "{w}公园公厕"),
              "市城管执法局", 0.9),
    PointType("公交站点", 220, ("{w}路口公交站", "{w}公交站", "{w}东公交站", "{w}西公交站", "{w}南公交站", "{w}北公交站"),
              "市交通局", 0.6),
    PointType("主次干道", 160, ("{w}路", "{w}大道", "{w}东路", "{w}西路", "{w}南路", "{w}北路", "{w}中路"),
              "市城管执法局", 1.6, 0.2),
    PointType("中小学校", 170, ("{w}小学", "{w}中学", "{w}路小学", "{w}实验小学", "{w}初级中学"), "市教育局", 0.6,
              fixed=_numbered("示范市第{n}中学", 30)),
    PointType("幼儿园", 150, ("{w}幼儿园", "{w}第二幼儿园", "{w}路幼儿园"), "市教育局", 0.3),
    PointType("社区", 0, (), "市民政局", 0.7),
    PointType("村", 0, (), "市民政局", 0.8),
    PointType("新时代文明实践站", 0, (), "市委宣传部", 0.4),
    PointType("政务服务中心", 0, (), "市民政局", 0.3),
    PointType("银行网点", 100, ("工商银行{w}支行", "农业银行{w}支行", "中国银行{w}支行", "建设银行{w}支行",
                             "邮储银行{w}支行", "示范农商银行{w}支行"), "市商务局", 0.3),
    PointType("餐饮店", 120, ("{w}饭庄", "{w}面馆", "{w}餐厅", "{w}小吃城", "{w}酒楼"), "市市场监管局", 0.7),
    PointType("农贸市场", 85, ("{w}农贸市场", "{w}菜市场", "{w}综合市场"), "市市场监管局", 1.8),
    PointType("宾馆酒店", 90, ("{w}宾馆", "{w}大酒店", "{w}快捷酒店"), "市文旅局", 0.4),
    PointType("网吧", 90, ("{w}网咖", "{w}网吧", "{w}网络会所"), "市文旅局", 0.5),
    PointType("建筑工地", 80, ("{w}项目工地", "{w}安置房项目", "{w}二期项目工地"), "市住建局", 1.2, 0.6),
    PointType("公园广场", 70, ("{w}公园", "{w}广场", "{w}游园"), "市园林局", 1.0),
    PointType("窗口单位", 60, ("{w}供电营业厅", "{w}通信营业厅", "{w}邮政支局", "{w}办税服务厅", "{w}燃气营业厅"),
              "市商务局", 0.3),
    PointType("医院", 50, ("{w}医院", "{w}社区卫生服务中心"), "市卫健委", 0.9,
              fixed=_numbered("示范市第{n}人民医院", 5) + ("示范市中医医院", "示范市儿童医院", "示范市妇幼保健院",
                                                       "示范市中心医院", "城东区人民医院", "城西区人民医院",
                                                       "高新区人民医院")),
    PointType("大型商场超市", 50, ("{w}购物中心", "{w}百货", "{w}超市"), "市商务局", 0.6),
    PointType("商业大街", 40, ("{w}商业街", "{w}步行街", "{w}美食街"), "市商务局", 1.8, 0.1),
    PointType("歌舞娱乐场所", 40, ("{w}歌城", "{w}量贩歌厅"), "市文旅局", 0.4),
    PointType("停车场", 40, ("{w}停车场", "{w}公共停车场"), "市公安局交警支队", 0.6),
    PointType("城乡结合部", 25, ("{w}城中村", "{w}片区"), "市住建局", 1.8, 4.0),
    PointType("加油站", 25, ("中石化{w}加油站", "中石油{w}加油站"), "市商务局", 0.3, 1.0),
    PointType("图书馆", 12, ("{w}图书分馆",), "市文旅局", 0.3,
              fixed=("示范市图书馆", "城东区图书馆", "城西区图书馆", "高新区图书馆")),
    PointType("体育场馆", 12, ("{w}体育馆", "{w}体育场", "{w}全民健身中心"), "市文旅局", 0.5),
    PointType("景区", 12, ("{w}景区", "{w}遗址公园", "{w}古镇"), "市文旅局", 1.0, 1.5),
    PointType("集贸市场", 10, ("{w}集贸市场",), "市市场监管局", 2.0, 8.0),
    PointType("影剧院", 10, ("{w}影城", "{w}剧院"), "市文旅局", 0.3),
    PointType("博物馆", 8, ("{w}博物馆",), "市文旅局", 0.3, fixed=("示范市博物馆",)),
    PointType("城市出入口", 8, ("{w}高速出入口", "{w}收费站"), "市交通局", 1.0, 2.0),
    PointType("长途汽车站", 6, (), "市交通局", 1.5,
              fixed=("城东客运站", "城西客运站", "城南客运站", "城北客运站", "高新客运站", "纺织城客运站")),
    PointType("文化馆", 6, ("{w}文化馆",), "市文旅局", 0.3, fixed=("示范市文化馆",)),
    PointType("爱国主义教育基地", 6, ("{w}革命纪念馆", "{w}烈士陵园"), "市委宣传部", 0.3),
    PointType("青少年活动中心", 5, ("{w}青少年活动中心",), "市教育局", 0.3, fixed=("示范市青少年宫",)),
    PointType("火车站", 2, (), "市交通局", 2.0, fixed=("示范站", "示范北站")),
    PointType("科技馆", 2, (), "市文旅局", 0.3, fixed=("示范市科技馆", "高新区科技馆")),
)
TYPE_INDEX = {t.name: i for i, t in enumerate(POINT_TYPES)}

# The 60 key point circles (重点点位圈): centres of these types, members of those within 300 m.
KEY_CIRCLE_CENTRES = (("社区", 18), ("农贸市场", 32), ("火车站", 2), ("长途汽车站", 3), ("医院", 5))
KEY_CIRCLE_MEMBERS = (("居民小区", 353), ("背街小巷", 38), ("公共厕所", 40))
KEY_CIRCLE_RADIUS_KM = 0.28


# ---- problems: categories, subcategories and how they are described ------------------------------

@dataclass(frozen=True)
class Issue:
    """One subcategory of problem: the words of its description and where it can occur."""
    category: str
    subcategory: str
    phrase: str                          # follows the place; "{n}" is a count
    weight: float = 1.0
    types: tuple[str, ...] = ()          # point types it occurs at; empty: any
    n: tuple[int, int] = (1, 5)


ROADS = ("主次干道", "背街小巷", "商业大街", "城乡结合部")
MARKETS = ("农贸市场", "集贸市场")
SCHOOLS = ("中小学校", "幼儿园")
CROWDED = ("医院", "火车站", "长途汽车站", "政务服务中心", "景区", "公园广场", "大型商场超市")
QUEUES = ("窗口单位", "银行网点", "医院", "火车站", "长途汽车站", "政务服务中心", "公交站点")
INDOORS = ("医院", "网吧", "歌舞娱乐场所", "宾馆酒店", "餐饮店", "大型商场超市", "影剧院", "图书馆", "窗口单位")

ISSUES = (
    Issue("市容环境", "占道经营", "占道经营，摊位{n}处", 3.0, n=(1, 6)),
    Issue("市容环境", "乱堆乱放", "乱堆乱放杂物，约{n}平方米", 3.0, n=(2, 20)),
    Issue("市容环境", "牛皮癣", "墙面、电杆张贴小广告{n}处", 2.5, n=(2, 15)),
    Issue("市容环境", "飞线充电", "电动车飞线充电{n}处", 2.0, ("居民小区", "背街小巷", "城乡结合部", "村"), (1, 4)),
    Issue("市容环境", "店外经营", "商户店外经营，占用人行道约{n}米", 2.0, ("主次干道", "背街小巷", "商业大街", "餐饮店"),
          (2, 10)),
    Issue("市容环境", "乱搭乱建", "私搭乱建彩钢棚{n}处", 1.0, ("背街小巷", "居民小区", "城乡结合部", "村", "集贸市场"),
          (1, 3)),
    Issue("环境卫生", "垃圾未清运", "垃圾未及时清运，堆积约{n}袋", 3.0, n=(3, 20)),
    Issue("环境卫生", "卫生死角", "存在卫生死角，积存垃圾约{n}平方米", 2.5, n=(1, 10)),
    Issue("环境卫生", "垃圾桶满溢", "垃圾桶满溢{n}个", 2.0, n=(1, 6)),
    Issue("环境卫生", "公厕脏乱", "便池污垢、地面积水，异味较重", 6.0, ("公共厕所",)),
    Issue("环境卫生", "工地扬尘", "裸露土方未苫盖，出入车辆未冲洗带泥上路", 6.0, ("建筑工地",)),
    Issue("环境卫生", "餐饮油烟", "油烟直排，未安装净化设施", 3.0, ("餐饮店", "商业大街")),
    Issue("交通秩序", "机动车乱停放", "机动车违停{n}辆", 3.0, n=(2, 12)),
    Issue("交通秩序", "非机动车乱停放", "非机动车无序停放{n}辆", 3.0, n=(5, 30)),
    Issue("交通秩序", "闯红灯", "行人、非机动车闯红灯{n}起，路口无人劝导", 1.5,
          ("主次干道", "商业大街", "中小学校", "公交站点"), (2, 9)),
    Issue("交通秩序", "逆向行驶", "电动自行车逆向行驶{n}起", 1.5, ("主次干道", "背街小巷", "商业大街"), (1, 6)),
    Issue("交通秩序", "未戴头盔", "电动自行车驾乘人员未戴头盔{n}人", 1.5, ("主次干道", "背街小巷", "商业大街"), (2, 10)),
    Issue("交通秩序", "占用盲道", "盲道被车辆、杂物占用约{n}米", 1.5, n=(3, 30)),
    Issue("公共设施", "路面破损", "人行道地砖破损约{n}平方米", 2.5, ROADS + ("居民小区", "公园广场"), (1, 8)),
    Issue("公共设施", "墙皮脱落", "墙皮脱落约{n}平方米", 2.0, ("居民小区", "背街小巷", "中小学校", "村", "城乡结合部"),
          (1, 6)),
    Issue("公共设施", "垃圾桶缺失", "垃圾分类收集容器缺失{n}组", 1.5, n=(1, 4)),
    Issue("公共设施", "井盖缺损", "井盖破损、缺失{n}处", 1.5, ROADS + ("居民小区",), (1, 3)),
    Issue("公共设施", "路灯损坏", "路灯不亮{n}盏", 1.5, ROADS + ("居民小区", "公园广场"), (1, 6)),
    Issue("公共设施", "道路积水", "雨后积水约{n}平方米，排水不畅", 1.0, ROADS, (5, 40)),
    Issue("公共设施", "无障碍设施缺失", "无障碍坡道破损、扶手缺失", 1.0, CROWDED + ("社区", "窗口单位", "银行网点")),
    Issue("公共设施", "母婴室缺失", "未设置母婴室或标识不清", 1.5, CROWDED),
    Issue("公共设施", "公厕设施损坏", "洗手池、隔断门损坏{n}处", 3.0, ("公共厕所",), (1, 4)),
    Issue("公益广告", "公益广告缺失", "未按要求设置公益广告", 2.0),
    Issue("公益广告", "公益广告破损", "公益广告破损{n}处", 1.5, n=(1, 5)),
    Issue("公益广告", "公益广告污损", "公益广告褪色、污损{n}处", 1.5, n=(1, 5)),
    Issue("公益广告", "宣传氛围不足", "创建宣传氛围不浓，未见社会主义核心价值观宣传", 1.0),
    Issue("小区管理", "三无小区", "无物业管理、无主管部门、无人防物防，环境脏乱", 1.0, ("居民小区",)),
    Issue("小区管理", "楼道杂物", "楼道堆放杂物{n}处", 3.0, ("居民小区",), (1, 6)),
    Issue("小区管理", "绿地毁损", "绿地被毁种菜约{n}平方米", 1.5, ("居民小区",), (3, 30)),
    Issue("小区管理", "消防通道堵塞", "消防通道被车辆占用{n}辆", 2.0, ("居民小区",), (1, 5)),
    Issue("农贸市场", "划行归市不规范", "未划行归市，摊位混杂", 2.0, MARKETS),
    Issue("农贸市场", "活禽宰杀区不规范", "活禽宰杀区未封闭隔离", 1.0, MARKETS),
    Issue("农贸市场", "公平秤缺失", "未设置公平秤或公平秤损坏", 1.5, MARKETS),
    Issue("农贸市场", "地面湿滑脏乱", "地面积水湿滑，污物未及时清理", 2.0, MARKETS),
    Issue("农贸市场", "食品防蝇缺失", "熟食摊点无防蝇防尘设施{n}处", 1.5, MARKETS, (1, 5)),
    Issue("未成年人", "网吧接纳未成年人", "接纳未成年人上网{n}人", 2.0, ("网吧",), (1, 4)),
    Issue("未成年人", "禁入标志缺失", "未在显著位置设置未成年人禁入标志", 2.0, ("网吧", "歌舞娱乐场所")),
    Issue("未成年人", "校园周边流动摊贩", "周边流动摊贩{n}处", 2.0, SCHOOLS, (1, 5)),
    Issue("未成年人", "心理辅导室未开放", "心理辅导室未按要求开放", 1.0, ("中小学校",)),
    Issue("志愿服务", "志愿服务站无人值守", "志愿服务站无人值守", 2.0, CROWDED),
    Issue("志愿服务", "志愿服务台账缺失", "志愿服务活动台账不全", 1.5,
          ("社区", "村", "新时代文明实践站", "政务服务中心")),
    Issue("志愿服务", "文明实践活动未开展", "文明实践活动未按计划开展", 2.0, ("新时代文明实践站", "社区", "村")),
    Issue("文明行为", "随地吐痰", "有人随地吐痰{n}起", 1.0, n=(1, 4)),
    Issue("文明行为", "插队加塞", "排队秩序混乱，插队现象{n}起", 2.0, QUEUES, (1, 5)),
    Issue("文明行为", "不文明养犬", "遛狗未拴绳{n}起", 2.0, ("居民小区", "公园广场"), (1, 4)),
    Issue("文明行为", "乱扔垃圾", "乱扔烟头、纸屑{n}处", 1.5, n=(3, 20)),
    Issue("文明行为", "公共场所吸烟", "室内公共场所有人吸烟{n}人", 1.5, INDOORS, (1, 4)),
)
CATEGORIES = tuple(dict.fromkeys(i.category for i in ISSUES))
CATEGORY_OF_ISSUE = np.array([CATEGORIES.index(i.category) for i in ISSUES])

# How often each category turns up at a point type; unlisted types use the default.
DEFAULT_CATEGORY_WEIGHTS = {"市容环境": 3, "环境卫生": 3, "交通秩序": 1, "公共设施": 2, "公益广告": 2,
                            "志愿服务": 0.5, "文明行为": 1}
CATEGORY_WEIGHTS = {
    "主次干道": {"市容环境": 4, "交通秩序": 4, "公共设施": 3, "公益广告": 2, "环境卫生": 2, "文明行为": 1},
    "背街小巷": {"市容环境": 5, "环境卫生": 4, "公共设施": 3, "交通秩序": 1.5, "公益广告": 1, "文明行为": 1},
    "商业大街": {"市容环境": 5, "环境卫生": 3, "交通秩序": 3, "公共设施": 2, "公益广告": 2, "文明行为": 1},
    "居民小区": {"小区管理": 4, "市容环境": 3, "环境卫生": 3, "公共设施": 3, "公益广告": 2, "文明行为": 1},
    "农贸市场": {"农贸市场": 6, "环境卫生": 3, "市容环境": 3, "公益广告": 1},
    "集贸市场": {"农贸市场": 6, "环境卫生": 3, "市容环境": 3, "公益广告": 1},
    "公共厕所": {"环境卫生": 6, "公共设施": 3, "公益广告": 1},
    "中小学校": {"未成年人": 3, "交通秩序": 3, "公益广告": 2, "市容环境": 1, "公共设施": 1},
    "幼儿园": {"未成年人": 2, "交通秩序": 3, "公益广告": 2, "市容环境": 1},
    "网吧": {"未成年人": 5, "公益广告": 1, "文明行为": 1},
    "歌舞娱乐场所": {"未成年人": 4, "公益广告": 1, "文明行为": 1},
    "社区": {"志愿服务": 3, "公益广告": 3, "环境卫生": 2, "公共设施": 1},
    "村": {"志愿服务": 2, "公益广告": 2, "环境卫生": 3, "市容环境": 3, "公共设施": 2},
    "新时代文明实践站": {"志愿服务": 5, "公益广告": 3, "环境卫生": 1},
    "公交站点": {"交通秩序": 3, "公共设施": 2, "公益广告": 3, "环境卫生": 2, "文明行为": 1},
    "建筑工地": {"环境卫生": 5, "公益广告": 3, "市容环境": 1},
    "餐饮店": {"环境卫生": 4, "市容环境": 3, "公益广告": 1, "文明行为": 1},
}

# Deadline windows (days after assignment) by category: traffic is quick to fix, facilities slow.
DEADLINE_DAYS = {"市容环境": (3, 7), "环境卫生": (3, 5), "交通秩序": (3, 5), "公共设施": (7, 15), "公益广告": (5, 10),
                 "小区管理": (10, 15), "农贸市场": (5, 10), "未成年人": (5, 10), "志愿服务": (5, 10),
                 "文明行为": (3, 7)}

# What citizens phone the hotline about (subcategory, weight).
HOTLINE_ISSUES = (("占道经营", 8), ("乱堆乱放", 5), ("飞线充电", 2), ("垃圾未清运", 8), ("卫生死角", 3),
                  ("餐饮油烟", 4), ("机动车乱停放", 7), ("非机动车乱停放", 3), ("路灯损坏", 5), ("井盖缺损", 3),
                  ("路面破损", 4), ("道路积水", 2), ("楼道杂物", 3), ("三无小区", 2), ("不文明养犬", 3))


def _responsible_department(issue: Issue, point_type: str | None) -> str | None:
    """The department answerable for a thematic problem; None: the street or township of the place."""
    sub, cat = issue.subcategory, issue.category
    if cat == "交通秩序":
        return None if sub == "非机动车乱停放" else "市公安局交警支队"
    if cat == "农贸市场":
        return "市市场监管局"
    if cat == "未成年人":
        return "市文旅局" if point_type in ("网吧", "歌舞娱乐场所") else "市教育局"
    if sub == "工地扬尘":
        return "市住建局"
    if sub == "餐饮油烟":
        return "市生态环境局"
    if sub in ("公厕脏乱", "公厕设施损坏", "路灯损坏"):
        return "市城管执法局"
    if sub == "道路积水":
        return "市水务局"
    if sub == "三无小区":
        return "市住建局"
    if sub == "乱搭乱建" and point_type in ("村", "城乡结合部"):
        return "市自然资源局"
    if sub == "文明实践活动未开展":
        return "市委宣传部"
    if sub == "志愿服务台账缺失":
        return "市民政局"
    if cat == "公共设施":
        by_type = {"主次干道": "市住建局", "公园广场": "市园林局", "医院": "市卫健委", "中小学校": "市教育局",
                   "幼儿园": "市教育局", "火车站": "市交通局", "长途汽车站": "市交通局", "公交站点": "市交通局",
                   "大型商场超市": "市商务局", "景区": "市文旅局", "社区": "市民政局"}
        return by_type.get(point_type)
    if cat == "公益广告" and point_type in ("主次干道", "商业大街", "火车站", "长途汽车站", "城市出入口"):
        return "市委宣传部"
    if cat in ("志愿服务", "文明行为"):
        return {"医院": "市卫健委", "景区": "市文旅局", "火车站": "市交通局", "长途汽车站": "市交通局"}.get(point_type)
    return None


# How a place is named in a description, by point type.
ROAD_PLACES = ("{p}与{x}交叉口{c}角", "{p}{k}号门前", "{p}{s}侧人行道", "{p}{k}号至{k2}号之间")
COMPOUND_PLACES = ("{p}{b}号楼下", "{p}{s}门口", "{p}地下车库入口", "{p}{b}号楼{u}单元门口")
MARKET_PLACES = ("{p}{k}号摊位附近", "{p}{s}入口", "{p}外围", "{p}{s}侧通道")
TOILET_PLACES = ("{p}", "{p}男厕", "{p}女厕", "{p}门口")
OTHER_PLACES = ("{p}门口", "{p}{s}侧", "{p}周边", "{p}院内")
CORNERS = ("东北", "东南", "西北", "西南")
SIDES = ("东", "西", "南", "北")

# ---- inspection rounds -------------------------------------------------------------------------

# kind: (points visited at scale 30,000, problems found per visit relative, inspection groups)
ROUND_KINDS = {
    "暗访": (300, 1.0, ("市创城办第一暗访组", "市创城办第二暗访组", "市创城办第三暗访组")),
    "督查": (200, 0.8, ("市创城办督查一组", "市创城办督查二组")),
    "模拟测评": (600, 1.6, ("模拟测评第一组", "模拟测评第二组", "模拟测评第三组", "模拟测评第四组")),
    "第三方测评": (500, 1.4, ("第三方测评机构（示范调查咨询公司）",)),
}

# ---- the platforms' dialects --------------------------------------------------------------------

STATUS_WORDS = {
    "城东区": ("待整改", "整改中", "已整改待复核", "已销号", "退回"),
    "城西区": ("待处理", "处理中", "待审核", "已办结", "驳回"),
    "高新区": ("已交办", "已签收", "待复核", "复核通过", "复核不通过"),
    "12345": ("待受理", "办理中", "已回复", "已归档", "退单"),
}
# 高新区's platform writes the sources in other words (all listed in builtin.toml [values.source]).
GAOXIN_SOURCE_WORDS = {"暗访": "明察暗访", "督查": "专项督查", "模拟测评": "模拟测试", "第三方测评": "第三方",
                       "网格巡查": "网格员上报", "媒体曝光": "曝光"}
DIALECTS = ("城东区", "城西区", "高新区", "12345")
UNKNOWN_STATUS_WORD = "已挂起"
HOTLINE_MAPPING_NAME = "12345热线平台"
DEMO_BOUNDARIES_NAME = "示范市演示边界"  # written into the demo's GeoJSON, so it can be told from an office's own

# The hotline's headers, none of them in builtin.toml: a platform mapping is chosen for a file by its
# own headers, so sharing one (e.g. 所属区县) would make it claim the other platforms' files too.
HOTLINE_HEADERS = {
    "problem_id": "工单号", "found_at": "诉求时间", "category": "诉求分类", "subcategory": "诉求子类",
    "description": "诉求内容", "address": "诉求地址", "district": "归属区县", "street": "归属街镇",
    "unit_name": "承办部门", "assigned_at": "转派时间", "due_on": "办理期限", "status": "工单状态",
    "rectified_at": "回复时间", "checked_at": "回访时间", "lng": "经度(高德)", "lat": "纬度(高德)",
}


# ---- time --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Clock:
    """Times are seconds since `epoch` in float arrays; inf means the event never happens."""
    end: date

    @property
    def epoch(self) -> date:
        return self.end - timedelta(days=EPOCH_DAYS)

    def day(self, d: date) -> int:
        return (d - self.epoch).days

    def date_of(self, day_index: int) -> date:
        return self.epoch + timedelta(days=int(day_index))

    def cutoff(self, d: date) -> float:
        """The first second after day d: an export taken on d shows what happened up to its end."""
        return float((self.day(d) + 1) * DAY)

    @property
    def first_day(self) -> int:
        return self.day(self.end) - HISTORY_DAYS + 1

    @property
    def last_day(self) -> int:
        return self.day(self.end)

    def excel_serial(self, seconds: np.ndarray) -> np.ndarray:
        return (self.epoch - EXCEL_EPOCH).days + np.asarray(seconds, float) / DAY

    def export_time(self, d: date) -> datetime:
        """Workbook 'created' property: 18:00 on the export date, so the same arguments give the same bytes."""
        return datetime(d.year, d.month, d.day, 18, 0, 0)

    def ramp(self, day_index: np.ndarray) -> np.ndarray:
        """Activity grows through the year as the assessment nears (0.6 at the start, 1.4 at the end)."""
        position = (np.asarray(day_index, float) - self.first_day) / (HISTORY_DAYS - 1)
        return 0.6 + 0.8 * np.clip(position, 0, 1)


def _rng(seed: int, part: str) -> np.random.Generator:
    """An independent random stream per part, so the city stays the same whatever the scale."""
    return np.random.default_rng([seed, zlib.crc32(part.encode("utf-8"))])


# ---- building the city -------------------------------------------------------------------------

@dataclass
class City:
    districts: tuple[str, ...]
    district_rects: tuple[tuple[float, float, float, float], ...]
    streets: pd.DataFrame        # name, district, is_township; one row per street or township
    quads: np.ndarray            # (streets, 4, 2) km corners: south-west, south-east, north-east, north-west
    communities: pd.DataFrame    # name, street, is_village, u0, v0, u1, v1 (its part of the street cell)
    points: pd.DataFrame
    units: pd.DataFrame          # name, kind, parent, diligence: streets first, then departments
    key_circles: list[str] = field(default_factory=list)

    @property
    def count_streets(self) -> int:
        return len(self.streets)


def build_city(seed: int) -> City:
    """Districts, streets, communities, points and units of 示范市: the same for every scale."""
    rng = _rng(seed, "city")
    streets, quads = _build_streets(rng)
    communities = _build_communities(streets, rng)
    city = City(
        districts=tuple(d[0] for d in DISTRICT_LAYOUT),
        district_rects=tuple(d[1] for d in DISTRICT_LAYOUT),
        streets=streets, quads=quads, communities=communities, points=pd.DataFrame(), units=pd.DataFrame(),
    )
    city.points, city.key_circles = _build_points(city, rng)
    city.units = _build_units(city, rng)
    return city


def _build_streets(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Each district's rectangle cut into street cells (quadrilaterals in km)."""
    rows, quads = [], []
    for d, (_district, (x0, y0, x1, y1), (cols, rows_), names) in enumerate(DISTRICT_LAYOUT):
        xs, ys = np.meshgrid(np.linspace(x0, x1, cols + 1), np.linspace(y0, y1, rows_ + 1))
        # Move the grid's vertices a little so the streets are not a chessboard; vertices on the
        # district's edge move only along it, so districts stay rectangles and streets tile them.
        dx = rng.uniform(-0.2, 0.2, xs.shape) * (x1 - x0) / cols
        dy = rng.uniform(-0.2, 0.2, ys.shape) * (y1 - y0) / rows_
        dx[:, [0, -1]] = 0
        dy[[0, -1], :] = 0
        xs, ys = xs + dx, ys + dy
        for k, name in enumerate(names):
            r, c = divmod(k, cols)
            quads.append([(xs[r, c], ys[r, c]), (xs[r, c + 1], ys[r, c + 1]),
                          (xs[r + 1, c + 1], ys[r + 1, c + 1]), (xs[r + 1, c], ys[r + 1, c])])
            rows.append({"name": name, "district": d, "is_township": name.endswith("镇")})
    return pd.DataFrame(rows), np.array(quads)


def _build_communities(streets: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """6–8 communities per street, a town community and 7–9 villages per township, each in a part of its cell."""
    words = [w for w in rng.permutation(np.array(PLACE_WORDS)).tolist()]
    village_names = [s + v for v in VILLAGE_SUFFIXES for s in SURNAMES]
    village_names = [village_names[i] for i in rng.permutation(len(village_names))]
    rows = []
    for s, street in streets.iterrows():
        if street.is_township:
            # A township has one small-town community and its villages.
            names = [words.pop() + "社区"] + [village_names.pop() for _ in range(int(rng.integers(7, 10)))]
        else:
            names = [words.pop() + "社区" for _ in range(int(rng.integers(6, 9)))]
        cols = math.ceil(math.sqrt(len(names)))
        rows_ = math.ceil(len(names) / cols)
        for j, name in enumerate(names):
            r, c = divmod(j, cols)
            rows.append({"name": name, "street": s, "is_village": name.endswith("村"),
                         "u0": c / cols, "u1": (c + 1) / cols, "v0": r / rows_, "v1": (r + 1) / rows_})
    return pd.DataFrame(rows)


def km_to_lnglat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """City km (from the south-west corner) -> WGS-84 longitude and latitude."""
    return (CENTRE_LNG + (np.asarray(x) - CITY_KM / 2) / KM_PER_DEG_LNG,
            CENTRE_LAT + (np.asarray(y) - CITY_KM / 2) / KM_PER_DEG_LAT)


def _cell_to_km(quads: np.ndarray, street: np.ndarray, u: np.ndarray, v: np.ndarray):
    """Bilinear position (u, v in 0..1) inside each street's quadrilateral: always inside it."""
    q = quads[street]
    w = np.stack([(1 - u) * (1 - v), u * (1 - v), u * v, (1 - u) * v], axis=1)
    return (w * q[:, :, 0]).sum(axis=1), (w * q[:, :, 1]).sum(axis=1)


def _street_size_km(quads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean width and height of each street cell, to turn metres into cell coordinates."""
    width = (np.linalg.norm(quads[:, 1] - quads[:, 0], axis=1) + np.linalg.norm(quads[:, 2] - quads[:, 3], axis=1)) / 2
    height = (np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1) + np.linalg.norm(quads[:, 2] - quads[:, 1], axis=1)) / 2
    return width, height


def _unique_names(ptype: PointType, count: int, used: set[str], rng: np.random.Generator) -> list[str]:
    """`count` names for points of this type, none used before anywhere in the city."""
    names = [n for n in ptype.fixed if n not in used][:count]
    combos = [(p, w) for p in ptype.patterns for w in PLACE_WORDS]
    for i in rng.permutation(len(combos)):
        if len(names) >= count:
            break
        pattern, word = combos[i]
        name = pattern.format(w=word)
        if name not in used and name not in names:
            names.append(name)
    used.update(names)
    return names


def _special_points(city: City) -> list[dict]:
    """Points that follow the structure: each community, village, practice station and service centre."""
    rows = []
    for c, com in city.communities.iterrows():
        kind = "村" if com.is_village else "社区"
        rows.append({"type": TYPE_INDEX[kind], "community": c, "name": com["name"]})
        rows.append({"type": TYPE_INDEX["新时代文明实践站"], "community": c, "name": com["name"] + "新时代文明实践站"})
    first_community = city.communities.reset_index().groupby("street")["index"].min()
    for s, street in city.streets.iterrows():
        rows.append({"type": TYPE_INDEX["政务服务中心"], "community": int(first_community[s]),
                     "name": street["name"] + "便民服务中心"})
    for d, district in enumerate(city.districts):
        s = int(city.streets.index[city.streets.district == d][0])
        rows.append({"type": TYPE_INDEX["政务服务中心"], "community": int(first_community[s]),
                     "name": district + "政务服务中心"})
    return rows


def _build_points(city: City, rng: np.random.Generator) -> tuple[pd.DataFrame, list[str]]:
    """The measurement points with their place, chief, co-building unit and key circle; the circles' names."""
    streets, communities = city.streets, city.communities
    used = set(communities["name"])
    rows = _special_points(city)
    used.update(r["name"] for r in rows)
    by_street = [communities.index[communities.street == s].to_numpy() for s in range(len(streets))]
    for t, ptype in enumerate(POINT_TYPES):
        if ptype.count == 0:
            continue
        names = _unique_names(ptype, ptype.count, used, rng)
        weight = np.where(streets.is_township, ptype.township, 1.0)
        chosen = rng.choice(len(streets), size=len(names), p=weight / weight.sum())
        for name, s in zip(names, chosen):
            rows.append({"type": t, "community": int(rng.choice(by_street[s])), "name": name})
    points = pd.DataFrame(rows)
    points["street"] = communities.street.to_numpy()[points.community]
    # A place inside its community's part of the street cell, away from the edges.
    com = communities.iloc[points.community]
    points["u"] = com.u0.to_numpy() + (com.u1 - com.u0).to_numpy() * rng.uniform(0.08, 0.92, len(points))
    points["v"] = com.v0.to_numpy() + (com.v1 - com.v0).to_numpy() * rng.uniform(0.08, 0.92, len(points))
    points["key_circle"] = ""
    circles = _place_key_circles(points, city, rng)
    points["district"] = streets.district.to_numpy()[points.street]
    x, y = _cell_to_km(city.quads, points.street.to_numpy(), points.u.to_numpy(), points.v.to_numpy())
    points["lng"], points["lat"] = km_to_lnglat(x, y)
    n = len(points)
    points["chief"] = [SURNAMES[a] + GIVEN_CHARS[b] + (GIVEN_CHARS[c] if two else "") for a, b, c, two in zip(
        rng.integers(len(SURNAMES), size=n), rng.integers(len(GIVEN_CHARS), size=n),
        rng.integers(len(GIVEN_CHARS), size=n), rng.random(n) < 0.7)]
    co_units = np.array(DEPARTMENTS + OTHER_ORGANISATIONS, dtype=object)
    points["co_unit"] = co_units[rng.integers(len(co_units), size=n)]
    points["owner"] = [POINT_TYPES[t].owner for t in points.type]
    type_mess = np.array([t.mess for t in POINT_TYPES])[points.type]
    points["mess"] = type_mess * rng.lognormal(0, 0.4, n)
    points["grid"] = rng.integers(1, 7, n)
    # Point ids follow the list the office keeps: by district, street, community, then type.
    points = points.sort_values(["district", "street", "community", "type", "name"], kind="stable")
    points = points.reset_index(drop=True)
    points["point_id"] = [f"DW{i + 1:05d}" for i in range(n)]
    return points, circles


def _place_key_circles(points: pd.DataFrame, city: City, rng: np.random.Generator) -> list[str]:
    """Choose the 60 circle centres and move each member within 300 m of its centre."""
    centres = []
    for type_name, count in KEY_CIRCLE_CENTRES:
        candidates = points.index[points.type == TYPE_INDEX[type_name]].to_numpy()
        centres.extend(rng.choice(candidates, size=count, replace=False).tolist())
    circle_names = [points.at[c, "name"] + "点位圈" for c in centres]
    for c, name in zip(centres, circle_names):
        points.at[c, "key_circle"] = name
    width, height = _street_size_km(city.quads)
    for type_name, count in KEY_CIRCLE_MEMBERS:
        candidates = points.index[(points.type == TYPE_INDEX[type_name]) & (points.key_circle == "")].to_numpy()
        members = rng.choice(candidates, size=count, replace=False)
        circle = rng.integers(len(centres), size=count)
        centre = np.array(centres)[circle]
        distance = KEY_CIRCLE_RADIUS_KM * np.sqrt(rng.random(count))
        angle = rng.uniform(0, 2 * np.pi, count)
        street = points.street.to_numpy()[centre]
        u = points.u.to_numpy()[centre] + distance * np.cos(angle) / width[street]
        v = points.v.to_numpy()[centre] + distance * np.sin(angle) / height[street]
        points.loc[members, "street"] = street
        points.loc[members, "community"] = points.community.to_numpy()[centre]
        points.loc[members, "u"] = np.clip(u, 0.03, 0.97)
        points.loc[members, "v"] = np.clip(v, 0.03, 0.97)
        points.loc[members, "key_circle"] = np.array(circle_names, dtype=object)[circle]
    return circle_names


def _build_units(city: City, rng: np.random.Generator) -> pd.DataFrame:
    """Streets and townships first (their index is the street index), then the departments.

    Each unit gets a diligence (0.30–0.98): the best close nearly everything on time, the worst leave
    a backlog; more units are good than bad, as in any league table.
    """
    def spread(n: int) -> np.ndarray:
        return rng.permutation(0.98 - 0.68 * np.linspace(0, 1, n) ** 1.5)

    streets = city.streets
    units = pd.DataFrame({
        "name": list(streets["name"]) + list(DEPARTMENTS),
        "kind": ["乡镇" if t else "街道" for t in streets.is_township] + ["市直部门"] * len(DEPARTMENTS),
        "parent": [city.districts[d] for d in streets.district] + [""] * len(DEPARTMENTS),
        "diligence": np.concatenate([spread(len(streets)), spread(len(DEPARTMENTS))]),
    })
    return units


# ---- inspections --------------------------------------------------------------------------------

def plan_rounds(clock: Clock) -> pd.DataFrame:
    """Every inspection round of the year: 暗访 monthly, 督查 fortnightly, 模拟测评 quarterly, 第三方测评 twice.

    Rounds are numbered within their calendar year ("2026年第3轮暗访"), so the schedule is laid out from
    the January before the data starts and then cut to the data's year.
    """
    first, last = clock.first_day, clock.last_day
    since = clock.day(clock.date_of(first).replace(month=1, day=1))
    rounds = []
    month = clock.date_of(since)
    while month <= clock.end:
        rounds.append(("暗访", clock.day(month.replace(day=10)), 3))
        month = (month + timedelta(days=32)).replace(day=1)
    rounds += [("督查", d, 2) for d in range(last - 4, since - 1, -14)]
    # The last mock assessment ends two days before the data does: the newest snapshot gets its burst.
    rounds += [("模拟测评", d, 4) for d in range(last - 5, since - 1, -91)]
    rounds += [("第三方测评", d, 3) for d in range(last - 47, since - 1, -182)]
    frame = pd.DataFrame(rounds, columns=["kind", "start", "days"])
    frame = frame[frame.start + frame.days - 1 <= last].sort_values(["start", "kind"], kind="stable")
    years = pd.Series([clock.date_of(s).year for s in frame.start], index=frame.index)
    frame["number"] = frame.groupby([frame.kind, years]).cumcount() + 1
    frame["name"] = [f"{y}年第{n}轮{k}" for y, n, k in zip(years, frame.number, frame.kind)]
    return frame[frame.start >= first].reset_index(drop=True)


def plan_visits(city: City, clock: Clock, rounds: pd.DataFrame, scale: int, seed: int) -> pd.DataFrame:
    """One row per point inspected in a round, with its time, group and inspection id."""
    rng = _rng(seed, "visits")
    points = city.points
    # Inspectors favour the key circles and the messy places; samples grow with the data so that a
    # visit does not find dozens of problems at the largest scales.
    weight = np.sqrt(points.mess.to_numpy()) * np.where(points.key_circle != "", 2.0, 1.0)
    growth = math.sqrt(max(scale, 1) / 30_000)
    frames = []
    for r, row in rounds.iterrows():
        base, _, groups = ROUND_KINDS[row.kind]
        size = int(min(0.8 * len(points), max(20, round(base * growth))))
        chosen = np.sort(rng.choice(len(points), size=size, replace=False, p=weight / weight.sum()))
        day = row.start + rng.integers(0, row.days, size)
        time = day * DAY + rng.uniform(9 * HOUR, 17.5 * HOUR, size)
        frames.append(pd.DataFrame({"round": r, "point": chosen, "inspected": np.floor(time),
                                    "group": np.array(groups, dtype=object)[rng.integers(len(groups), size=size)]}))
    visits = pd.concat(frames, ignore_index=True).sort_values(["inspected", "point"], kind="stable")
    visits = visits.reset_index(drop=True)
    visits["inspection_id"] = _daily_ids("JC", visits.inspected.to_numpy(), clock, width=4)
    return visits


def _daily_ids(prefix: str, times: np.ndarray, clock: Clock, width: int) -> np.ndarray:
    """Ids like JC202608180012: the day, then the rank within the day (times must be sorted)."""
    day = (np.asarray(times) // DAY).astype(np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(day)) + 1] if len(day) else np.array([], int)
    first_of_run = np.repeat(starts, np.diff(np.r_[starts, len(day)]))
    rank = np.arange(len(day)) - first_of_run + 1
    day_text = _day_table(clock, "%Y%m%d")
    return np.array([f"{prefix}{day_text[d]}{k:0{width}d}" for d, k in zip(day.tolist(), rank.tolist())],
                    dtype=object)


def score_visits(visits: pd.DataFrame, problems_per_visit: np.ndarray, seed: int) -> pd.DataFrame:
    """Scores 55–100, lower where the visit found more problems; 85 passes."""
    rng = _rng(seed, "scores")
    n = len(visits)
    score = 99 - 4.5 * problems_per_visit - rng.uniform(0, 7, n)
    visits = visits.copy()
    visits["count_problems"] = problems_per_visit
    visits["score"] = np.clip(np.round(score * 2) / 2, 55, 100)
    return visits


# ---- problems -----------------------------------------------------------------------------------

def _issue_weights_by_type() -> np.ndarray:
    """(point types, issues): how likely each subcategory is at each type of point.

    A category's weight at the type is shared by its subcategories that can occur there.
    """
    weights = np.zeros((len(POINT_TYPES), len(ISSUES)))
    for t, ptype in enumerate(POINT_TYPES):
        category_weights = CATEGORY_WEIGHTS.get(ptype.name, DEFAULT_CATEGORY_WEIGHTS)
        possible = np.array([0.0 if issue.types and ptype.name not in issue.types else issue.weight
                             for issue in ISSUES])
        for c, category in enumerate(CATEGORIES):
            members = CATEGORY_OF_ISSUE == c
            total = possible[members].sum()
            if total:
                weights[t, members] = possible[members] / total * category_weights.get(category, 0)
    return weights


def _unit_table(city: City) -> np.ndarray:
    """(point types + 1, issues) -> department unit index, or -1 for the street; last row: no point."""
    department = {name: city.count_streets + k for k, name in enumerate(DEPARTMENTS)}
    table = np.full((len(POINT_TYPES) + 1, len(ISSUES)), -1, dtype=np.int64)
    for t, type_name in enumerate([p.name for p in POINT_TYPES] + [None]):
        for i, issue in enumerate(ISSUES):
            name = _responsible_department(issue, type_name)
            if name is not None:
                table[t, i] = department[name]
    return table


def _sample_days(clock: Clock, count: int, rng: np.random.Generator, weekend: float) -> np.ndarray:
    """Days of the year for a steady flow: more as the year goes on, fewer at weekends."""
    days = np.arange(clock.first_day, clock.last_day + 1)
    weekday = np.array([clock.date_of(d).weekday() for d in days])
    weight = clock.ramp(days) * np.where(weekday >= 5, weekend, 1.0)
    return rng.choice(days, size=count, p=weight / weight.sum())


def _round_problems(city, clock, rounds, visits, count, rng) -> pd.DataFrame:
    """Problems found by the inspection rounds, at the points visited, at the time of the visit."""
    visit_round = visits["round"].to_numpy()
    sizes = np.bincount(visit_round, minlength=len(rounds))
    intensity = np.array([ROUND_KINDS[k][1] for k in rounds.kind])
    weight = sizes * intensity * clock.ramp(rounds.start.to_numpy())
    per_round = rng.multinomial(count, weight / weight.sum())
    mess = city.points.mess.to_numpy()
    chosen = []
    for r, n in enumerate(per_round):
        candidates = np.flatnonzero(visit_round == r)
        w = mess[visits.point.to_numpy()[candidates]]
        chosen.append(rng.choice(candidates, size=n, p=w / w.sum()))
    visit = np.concatenate(chosen)
    return pd.DataFrame({
        "visit": visit,
        "point": visits.point.to_numpy()[visit],
        "found": visits.inspected.to_numpy()[visit] + np.floor(rng.uniform(60, 45 * 60, len(visit))),
        "source": rounds.kind.to_numpy()[visit_round[visit]],
    })


def _patrol_problems(city, clock, count, source, rng, mess_power=1.0) -> pd.DataFrame:
    """A steady flow over the year (grid patrols, media), at points weighted by how messy they are."""
    w = city.points.mess.to_numpy() ** mess_power
    point = rng.choice(len(w), size=count, p=w / w.sum())
    day = _sample_days(clock, count, rng, weekend=0.6)
    found = day * DAY + np.floor(rng.uniform(8 * HOUR, 20 * HOUR, count))
    return pd.DataFrame({"visit": -1, "point": point, "found": found, "source": source})


def _hotline_problems(city: City, clock: Clock, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """Citizen calls: no point, a place somewhere in a community, any time from 7:00 to 23:00."""
    communities = city.communities
    weight = np.where(communities.is_village, 0.3, 1.0)
    community = rng.choice(len(communities), size=count, p=weight / weight.sum())
    com = communities.iloc[community]
    u = com.u0.to_numpy() + (com.u1 - com.u0).to_numpy() * rng.uniform(0.05, 0.95, count)
    v = com.v0.to_numpy() + (com.v1 - com.v0).to_numpy() * rng.uniform(0.05, 0.95, count)
    street = com.street.to_numpy()
    x, y = _cell_to_km(city.quads, street, u, v)
    lng, lat = km_to_lnglat(x, y)
    day = _sample_days(clock, count, rng, weekend=0.8)
    found = day * DAY + np.floor(rng.uniform(7 * HOUR, 23 * HOUR, count))
    return pd.DataFrame({"visit": -1, "point": -1, "found": found, "source": "市民投诉",
                         "community": community, "street": street, "lng": lng, "lat": lat})


def _assign_issues(frame: pd.DataFrame, city: City, rng: np.random.Generator) -> np.ndarray:
    """The subcategory (index into ISSUES) of each problem, likely for its point's type."""
    issue = np.zeros(len(frame), dtype=np.int64)
    has_point = frame.point.to_numpy() >= 0
    point_type = np.where(has_point, city.points.type.to_numpy()[np.maximum(frame.point.to_numpy(), 0)], -1)
    weights = _issue_weights_by_type()
    for t in range(len(POINT_TYPES)):
        rows = np.flatnonzero(point_type == t)
        if len(rows):
            issue[rows] = rng.choice(len(ISSUES), size=len(rows), p=weights[t] / weights[t].sum())
    rows = np.flatnonzero(~has_point)
    index = {i.subcategory: k for k, i in enumerate(ISSUES)}
    hotline = np.array([index[s] for s, _ in HOTLINE_ISSUES])
    w = np.array([w for _, w in HOTLINE_ISSUES], float)
    issue[rows] = hotline[rng.choice(len(hotline), size=len(rows), p=w / w.sum())]
    return issue


def _timeline(found: np.ndarray, diligence: np.ndarray, issue: np.ndarray, rng: np.random.Generator) -> dict:
    """When each problem is assigned, started, reported done, checked (up to three rounds), closed.

    Diligent units report early and pass the check; poor ones report late, fail checks more often,
    and leave some problems untouched (inf: never, as far as the data goes).
    """
    n = len(found)
    d = diligence
    lo = np.array([DEADLINE_DAYS[i.category][0] for i in ISSUES])[issue]
    hi = np.array([DEADLINE_DAYS[i.category][1] for i in ISSUES])[issue]
    assigned = found + rng.uniform(0.05, 2.0, n) * DAY
    due_day = np.floor(assigned / DAY).astype(np.int64) + rng.integers(lo, hi + 1)
    window = (due_day + 1) * DAY - assigned
    started = assigned + window * rng.uniform(0, 0.3, n) * (1.6 - d)
    rectified1 = assigned + window * rng.lognormal(np.log(0.18 + 1.05 * (1 - d) ** 1.3), 0.55)
    abandoned = rng.random(n) < 0.3 * (1 - d) ** 2
    rectified1[abandoned] = np.inf
    started[abandoned & (rng.random(n) < 0.5)] = np.inf
    checked1 = rectified1 + _check_lag(n, rng)
    passed1 = rng.random(n) < 0.72 + 0.25 * d
    rectified2 = checked1 + _rework(d, rng)
    # Some returned problems stay returned: the unit does not come back to them (inf carries on).
    rectified2[rng.random(n) < 0.6 * (1 - d)] = np.inf
    checked2 = rectified2 + _check_lag(n, rng)
    passed2 = rng.random(n) < 0.85 + 0.13 * d
    rectified3 = checked2 + _rework(d, rng)
    checked3 = rectified3 + _check_lag(n, rng)
    for later in (rectified2, checked2):
        later[passed1] = np.inf
    for later in (rectified3, checked3):
        later[passed1 | passed2] = np.inf
    # Units and the office record their work in office hours; keep every step after the one before.
    events = [found] + [_office_hours(t) for t in (assigned, started, rectified1, checked1, rectified2, checked2,
                                                   rectified3, checked3)]
    for before, after in zip(events, events[1:]):
        np.maximum(after, before + 60, out=after)
    _, assigned, started, rectified1, checked1, rectified2, checked2, rectified3, checked3 = events
    closed = np.select([passed1, passed2], [checked1, checked2], checked3)
    return {"assigned": assigned, "due_day": due_day, "started": started,
            "rectified1": rectified1, "checked1": checked1, "passed1": passed1,
            "rectified2": rectified2, "checked2": checked2, "passed2": passed2,
            "rectified3": rectified3, "checked3": checked3, "closed": closed}


def _rework(diligence: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Time to fix a returned problem again: a couple of days for the diligent, a week for others."""
    return 3 * DAY * rng.lognormal(np.log(0.5 + 1.5 * (1 - diligence)), 0.5)


def _check_lag(n: int, rng: np.random.Generator) -> np.ndarray:
    """The office re-checks within a day or two, now and then much later."""
    return np.clip(rng.lognormal(np.log(1.0), 0.6, n), 0.1, 12) * DAY


def _office_hours(t: np.ndarray) -> np.ndarray:
    """Squeeze each day into 08:30–18:00, keeping the order of times; inf stays inf."""
    finite = np.isfinite(t)
    tt = np.where(finite, t, 0.0)
    day = np.floor(tt / DAY)
    squeezed = day * DAY + 8.5 * HOUR + (tt - day * DAY) / DAY * 9.5 * HOUR
    return np.where(finite, np.floor(squeezed), np.inf)


def generate_problems(city: City, clock: Clock, rounds: pd.DataFrame, visits: pd.DataFrame, scale: int,
                      seed: int) -> pd.DataFrame:
    """Every problem of the year with its whole timeline; snapshots are cut from this."""
    rng = _rng(seed, "problems")
    count_rebounds = round(scale * SHARE_REBOUND)
    count_hotline = round(scale * SHARE_HOTLINE)
    count_media = round(scale * SHARE_MEDIA)
    count_grid = round(scale * SHARE_GRID)
    count_rounds = max(scale - count_rebounds - count_hotline - count_media - count_grid, 0)
    base = pd.concat([
        _round_problems(city, clock, rounds, visits, count_rounds, rng),
        _patrol_problems(city, clock, count_grid, "网格巡查", rng),
        _patrol_problems(city, clock, count_media, "媒体曝光", rng, mess_power=2.0),
        _hotline_problems(city, clock, count_hotline, rng),
    ], ignore_index=True)
    base = _complete_problems(base, city, rng)
    base = _avoid_accidental_rebounds(base, city, rng)
    rebounds = _rebounds(base, city, clock, count_rebounds, rng)
    return _number_problems(pd.concat([base, rebounds], ignore_index=True), clock)


def _complete_problems(frame: pd.DataFrame, city: City, rng: np.random.Generator) -> pd.DataFrame:
    """Fill in place, subcategory, responsible unit, deduction and the timeline."""
    frame = frame.copy()
    points = city.points
    has_point = frame.point.to_numpy() >= 0
    p = np.maximum(frame.point.to_numpy(), 0)
    if "street" not in frame:
        frame["street"] = -1
        frame["community"] = -1
        frame["lng"] = np.nan
        frame["lat"] = np.nan
    frame["street"] = np.where(has_point, points.street.to_numpy()[p], frame.street.fillna(-1)).astype(np.int64)
    frame["community"] = np.where(has_point, points.community.to_numpy()[p],
                                  frame.community.fillna(-1)).astype(np.int64)
    # A problem's photo is taken a few metres from the point's marker.
    jitter = rng.uniform(-0.00015, 0.00015, (len(frame), 2))
    frame["lng"] = np.where(has_point, points.lng.to_numpy()[p] + jitter[:, 0], frame.lng)
    frame["lat"] = np.where(has_point, points.lat.to_numpy()[p] + jitter[:, 1], frame.lat)
    frame["district"] = city.streets.district.to_numpy()[frame.street.to_numpy()]
    if "issue" not in frame:
        frame["issue"] = _assign_issues(frame, city, rng)
    point_type = np.where(has_point, points.type.to_numpy()[p], len(POINT_TYPES))
    department = _unit_table(city)[point_type, frame.issue.to_numpy()]
    frame["unit"] = np.where(department >= 0, department, frame.street.to_numpy())
    from_round = frame.visit.to_numpy() >= 0
    frame["deduction"] = np.where(from_round, rng.choice([0.1, 0.2, 0.3, 0.5, 1.0], len(frame)), np.nan)
    if "is_rebound" not in frame:
        frame["is_rebound"] = False
    diligence = city.units.diligence.to_numpy()[frame.unit.to_numpy()]
    for key, values in _timeline(frame.found.to_numpy(), diligence, frame.issue.to_numpy(), rng).items():
        frame[key] = values
    return frame


REDRAW_ROUNDS = 6


def accidental_rebounds(frame: pd.DataFrame) -> np.ndarray:
    """Problems the SPEC's rule calls a rebound (same category, same point, found within 30 days of a
    closure there) although they were not generated as one."""
    n = len(frame)
    point = frame.point.to_numpy()
    own_key = point * len(CATEGORIES) + CATEGORY_OF_ISSUE[frame.issue.to_numpy()]
    key = np.r_[own_key, own_key]
    closed = frame.closed.to_numpy()
    times = np.r_[closed, frame.found.to_numpy()]
    is_finding = np.r_[np.zeros(n, bool), np.ones(n, bool)]
    keep = np.r_[(point >= 0) & np.isfinite(closed), point >= 0]
    # Within each (point, category), in time order (a closure before a finding at the same second),
    # carry the latest closure forward to every finding after it.
    order = np.lexsort((is_finding, times, key))
    order = order[keep[order]]
    last_closure = pd.Series(np.where(is_finding[order], np.nan, times[order])).groupby(key[order]).ffill().to_numpy()
    findings = is_finding[order]
    hit = np.zeros(n, bool)
    rows = order[findings] - n
    hit[rows] = times[order][findings] - last_closure[findings] <= 30 * DAY
    return hit & ~frame.is_rebound.to_numpy()


def _avoid_accidental_rebounds(frame: pd.DataFrame, city: City, rng: np.random.Generator) -> pd.DataFrame:
    """Draw again the problems that repeat one just closed at the same point by chance.

    At a realistic density (a few problems per point a year) chance repeats would make a fifth of all
    problems rebounds; real ones are a few per cent, and the demo makes those on purpose (_rebounds).
    Each gets another subcategory; a patrol's problem also moves to another point of the same type,
    while an inspection's stays at the point inspected. Some repeats remain where a point is simply very busy.
    """
    type_of_point = city.points.type.to_numpy()
    mess = city.points.mess.to_numpy()
    for _ in range(REDRAW_ROUNDS):
        rows = np.flatnonzero(accidental_rebounds(frame))
        if len(rows) == 0:
            break
        redo = frame.iloc[rows][["visit", "point", "found", "source", "is_rebound"]].reset_index(drop=True)
        patrol = np.flatnonzero(redo.visit.to_numpy() < 0)
        point = redo.point.to_numpy().copy()
        for t in np.unique(type_of_point[point[patrol]]):
            movers = patrol[type_of_point[point[patrol]] == t]
            candidates = np.flatnonzero(type_of_point == t)
            w = np.sqrt(mess[candidates])
            point[movers] = rng.choice(candidates, size=len(movers), p=w / w.sum())
        redo["point"] = point
        redo = _complete_problems(redo, city, rng)
        redo.index = frame.index[rows]
        frame.loc[frame.index[rows], redo.columns] = redo
    return frame


def _rebounds(base: pd.DataFrame, city: City, clock: Clock, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """The same problem again at the same point within 30 days of its closure (反弹), found by patrols.

    Superficial fixes rebound: problems of less diligent units are likelier to come back.
    """
    last_second = clock.cutoff(clock.end) - 1
    eligible = np.flatnonzero((base.point.to_numpy() >= 0) & (base.closed.to_numpy() < last_second - DAY))
    if count == 0 or len(eligible) == 0:
        return base.iloc[0:0]
    diligence = city.units.diligence.to_numpy()[base.unit.to_numpy()[eligible]]
    w = 1.3 - diligence
    origin = rng.choice(eligible, size=min(count, len(eligible)), replace=False, p=w / w.sum())
    closed = base.closed.to_numpy()[origin]
    room = np.minimum(29 * DAY, last_second - closed)
    # A day from the day after the closure to 29 days later (or the end), in patrol hours: within 30 days.
    day = np.floor((closed + DAY + rng.random(len(origin)) * (room - DAY)) / DAY)
    found = day * DAY + np.floor(rng.uniform(8 * HOUR, 20 * HOUR, len(origin)))
    frame = pd.DataFrame({"visit": -1, "point": base.point.to_numpy()[origin], "found": found,
                          "source": "网格巡查", "issue": base.issue.to_numpy()[origin], "is_rebound": True})
    return _complete_problems(frame, city, rng)


# The city government (市政府), in city km: where the hotline platform puts a work order whose caller
# gave no place it could locate (its default coordinate). One work order in a hundred of the whole
# demo, at least 60 (the settings' default threshold is 50), all taken from the hotline's own.
CITY_HALL_KM = (16.0, 17.0)
SHARE_AT_CITY_HALL = 0.01
MIN_AT_CITY_HALL = 60


def city_hall_lnglat() -> tuple[float, float]:
    lng, lat = km_to_lnglat(np.array([CITY_HALL_KM[0]]), np.array([CITY_HALL_KM[1]]))
    return float(lng[0]), float(lat[0])


def put_default_spot(problems: pd.DataFrame, scale: int, seed: int) -> pd.DataFrame:
    """Move some hotline work orders (no point) to the city government's coordinate, as a platform
    fills in its default. Their street, community and address stay as the caller gave them."""
    hotline = np.flatnonzero(problems.point.to_numpy() < 0)
    count = min(max(round(scale * SHARE_AT_CITY_HALL), MIN_AT_CITY_HALL), len(hotline))
    chosen = np.sort(_rng(seed, "default-spot").choice(hotline, size=count, replace=False))
    lng, lat = city_hall_lnglat()
    problems = problems.copy()
    problems.loc[problems.index[chosen], "lng"] = lng
    problems.loc[problems.index[chosen], "lat"] = lat
    return problems


def _number_problems(frame: pd.DataFrame, clock: Clock) -> pd.DataFrame:
    """Which platform exports each problem, and its id there (stable across snapshots)."""
    district = frame.district.to_numpy()
    frame["dialect"] = np.where(frame.point.to_numpy() < 0, 3, district)
    frame = frame.sort_values(["dialect", "found"], kind="stable").reset_index(drop=True)
    ids = np.empty(len(frame), dtype=object)
    for dialect in range(len(DIALECTS)):
        rows = np.flatnonzero(frame.dialect.to_numpy() == dialect)
        found = frame.found.to_numpy()[rows]
        if DIALECTS[dialect] == "城东区":
            ids[rows] = [f"CDWT{k:07d}" for k in range(1, len(rows) + 1)]
        elif DIALECTS[dialect] == "城西区":
            ids[rows] = _daily_ids("XC", found, clock, width=5)
        elif DIALECTS[dialect] == "高新区":
            ids[rows] = [f"GX-RW-{k:07d}" for k in range(1, len(rows) + 1)]
        else:
            ids[rows] = _daily_ids("RX", found, clock, width=5)
    frame["problem_id"] = ids
    return frame


# ---- descriptions -------------------------------------------------------------------------------

def describe_problems(frame: pd.DataFrame, city: City, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Descriptions such as "长乐路与东二路交叉口西北角占道经营，摊位3处", and the hotline's addresses."""
    rng = _rng(seed, "descriptions")
    n = len(frame)
    points = city.points
    point = frame.point.to_numpy()
    names = points.name.to_numpy()
    type_names = np.array([t.name for t in POINT_TYPES], dtype=object)
    ptype = np.where(point >= 0, type_names[points.type.to_numpy()[np.maximum(point, 0)]], "")
    roads = points.name.to_numpy()[points.type.to_numpy() == TYPE_INDEX["主次干道"]]
    issue = frame.issue.to_numpy()
    n_lo = np.array([i.n[0] for i in ISSUES])[issue]
    n_hi = np.array([i.n[1] for i in ISSUES])[issue]
    count = rng.integers(n_lo, n_hi + 1)
    pick = rng.integers(0, 4, n)
    cross = roads[rng.integers(len(roads), size=n)]
    number = rng.integers(1, 300, n)
    building = rng.integers(1, 30, n)
    side = rng.integers(0, 4, n)
    unit_no = rng.integers(1, 7, n)
    phrases = [i.phrase for i in ISSUES]
    district_roads = _roads_by_district(city)
    street_names = city.streets.name.to_numpy()
    district_names = np.array(city.districts, dtype=object)
    # A citizen names a road or lane of the caller's district.
    hotline_road = np.array([district_roads[d][k % len(district_roads[d])] for d, k in
                             zip(frame.district.to_numpy(), rng.integers(0, 10_000, n))], dtype=object)
    district, street = frame.district.to_numpy(), frame.street.to_numpy()
    descriptions = np.empty(n, dtype=object)
    addresses = np.full(n, "", dtype=object)
    for r in range(n):
        phrase = phrases[issue[r]].format(n=count[r])
        if point[r] < 0:
            place = f"{hotline_road[r]}{number[r]}号附近"
            addresses[r] = f"{district_names[district[r]]}{street_names[street[r]]}{place}"
            descriptions[r] = f"市民来电反映：{place}{phrase}，希望尽快处理。"
            continue
        kind = ptype[r]
        if kind in ROADS:
            template = ROAD_PLACES[pick[r]]
        elif kind == "居民小区":
            template = COMPOUND_PLACES[pick[r]]
        elif kind in MARKETS:
            template = MARKET_PLACES[pick[r]]
        elif kind == "公共厕所":
            template = TOILET_PLACES[pick[r]]
        else:
            template = OTHER_PLACES[pick[r]]
        place = template.format(p=names[point[r]], x=cross[r], c=CORNERS[side[r]], s=SIDES[side[r]],
                                k=number[r], k2=number[r] + 20, b=building[r], u=unit_no[r])
        descriptions[r] = place + phrase
    return descriptions, addresses


def _roads_by_district(city: City) -> list[np.ndarray]:
    """Names of the roads and lanes of each district, for the hotline's addresses."""
    points = city.points
    road_like = points.type.isin([TYPE_INDEX["主次干道"], TYPE_INDEX["背街小巷"]])
    return [points.name.to_numpy()[(road_like & (points.district == d)).to_numpy()] for d in range(len(city.districts))]


# ---- snapshots ----------------------------------------------------------------------------------

def status_at(frame: pd.DataFrame, cutoff: float) -> dict[str, np.ndarray]:
    """Each problem as an export taken just before `cutoff` shows it."""
    t = cutoff
    f = {k: frame[k].to_numpy() for k in ("assigned", "started", "rectified1", "checked1", "passed1", "rectified2",
                                         "checked2", "passed2", "rectified3", "checked3", "closed")}
    closed = f["closed"] < t
    status = np.select(
        [closed, f["rectified3"] < t, f["checked2"] < t, f["rectified2"] < t, f["checked1"] < t,
         f["rectified1"] < t, f["started"] < t],
        [CLOSED, AWAITING_CHECK, RETURNED, AWAITING_CHECK, RETURNED, AWAITING_CHECK, IN_PROGRESS], PENDING)
    last_report = np.select([f["rectified3"] < t, f["rectified2"] < t], [f["rectified3"], f["rectified2"]],
                            f["rectified1"])
    closing_report = np.select([f["passed1"], f["passed2"]], [f["rectified1"], f["rectified2"]], f["rectified3"])
    # A returned problem is open again: the platform clears its report and shows no check time.
    rectified = np.select([closed, status == AWAITING_CHECK], [closing_report, last_report], np.nan)
    assigned = f["assigned"] < t
    return {
        "visible": frame.found.to_numpy() < t,
        "status": status,
        "assigned": np.where(assigned, f["assigned"], np.nan),
        "due_day": np.where(assigned, frame.due_day.to_numpy(), -1),
        "rectified": rectified,
        "checked": np.where(closed, f["closed"], np.nan),
        "returns": ((f["checked1"] < t) & ~f["passed1"]).astype(int) + ((f["checked2"] < t) & ~f["passed2"]),
    }


def snapshot_rows(problems: pd.DataFrame, city: City, clock: Clock, export_on: date, dialect: int) -> pd.DataFrame:
    """The rows one platform exports on `export_on`: its problems found by then, as they stood then."""
    state = status_at(problems, clock.cutoff(export_on))
    keep = state["visible"] & (problems.dialect.to_numpy() == dialect)
    p = problems.loc[keep]
    points = city.points
    point = p.point.to_numpy()
    has_point = point >= 0
    pp = np.maximum(point, 0)
    type_names = np.array([t.name for t in POINT_TYPES], dtype=object)
    community_names = city.communities.name.to_numpy()
    rows = pd.DataFrame({
        "problem_id": p.problem_id.to_numpy(),
        "source": p.source.to_numpy(),
        "found": p.found.to_numpy(),
        "category": np.array([i.category for i in ISSUES], dtype=object)[p.issue.to_numpy()],
        "subcategory": np.array([i.subcategory for i in ISSUES], dtype=object)[p.issue.to_numpy()],
        "description": p.description.to_numpy(),
        "address": p.address.to_numpy(),
        "point_id": np.where(has_point, points.point_id.to_numpy()[pp], ""),
        "point_name": np.where(has_point, points.name.to_numpy()[pp], ""),
        "point_type": np.where(has_point, type_names[points.type.to_numpy()[pp]], ""),
        "district": np.array(city.districts, dtype=object)[p.district.to_numpy()],
        "street": city.streets.name.to_numpy()[p.street.to_numpy()],
        "community": community_names[p.community.to_numpy()],
        "grid": np.where(has_point, [f"第{g}网格" for g in points.grid.to_numpy()[pp]], ""),
        "unit_name": city.units.name.to_numpy()[p.unit.to_numpy()],
        "lng": p.lng.to_numpy(),
        "lat": p.lat.to_numpy(),
        "deduction": p.deduction.to_numpy(),
        "is_rebound": p.is_rebound.to_numpy(),
    })
    rows["grid"] = np.where(has_point, rows.community + rows.grid, "")
    for key in ("status", "assigned", "due_day", "rectified", "checked", "returns"):
        rows[key] = state[key][keep]
    return rows


def add_dirty_rows(rows: pd.DataFrame, dialect: str, seed: int) -> pd.DataFrame:
    """A few rows as real exports have them: unknown words, lost or swapped coordinates, stray spaces."""
    rng = _rng(seed, "dirty-" + dialect)
    rows = rows.copy()

    def pick(count: int, mask=None) -> np.ndarray:
        candidates = np.flatnonzero(np.ones(len(rows), bool) if mask is None else mask)
        candidates = candidates[~np.isin(candidates, used)]
        chosen = np.sort(rng.choice(candidates, size=min(count, len(candidates)), replace=False))
        used.extend(chosen.tolist())
        return chosen

    used: list[int] = []
    status = rows.status.to_numpy()
    if dialect == "城东区":
        rows.loc[pick(2), ["lng", "lat"]] = 0.0
        rows.loc[pick(2), "street"] = rows.street.map(lambda s: f" {s} ")
        rows.loc[pick(2), "point_name"] = rows.point_name.map(lambda s: s + "\u3000")
        rows.loc[pick(1), "unit_name"] = rows.unit_name.map(lambda s: "\u3000" + s)
    elif dialect == "城西区":
        rows.loc[pick(3, status <= IN_PROGRESS), "status_word"] = UNKNOWN_STATUS_WORD
        rows.loc[pick(3), "unit_name"] = ""
    elif dialect == "高新区":
        swap = pick(3)
        rows.loc[swap, ["lng", "lat"]] = rows.loc[swap, ["lat", "lng"]].to_numpy()
        no_time = pick(2, status == CLOSED)
        rows.loc[no_time, ["rectified", "checked"]] = np.nan
        rows.loc[pick(2), "unit_name"] = rows.unit_name.map(lambda s: s + " ")
        rows.loc[pick(2), "street"] = rows.street.map(lambda s: "\u3000" + s)
    else:
        rows.loc[pick(2), ["lng", "lat"]] = np.nan
    return rows


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


def _day_table(clock: Clock, form: str) -> np.ndarray:
    """Text of every day from the epoch to a year after `end`, indexed by day number."""
    days = [clock.date_of(i) for i in range(EPOCH_DAYS + 400)]
    if form == "iso":
        return np.array([d.isoformat() for d in days], dtype=object)
    if form == "slash":
        return np.array([f"{d.year}/{d.month}/{d.day}" for d in days], dtype=object)
    if form == "chinese":
        return np.array([f"{d.year}年{d.month}月{d.day}日" for d in days], dtype=object)
    return np.array([d.strftime(form) for d in days], dtype=object)


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
    from cockpit.demo_scoring import write_scoring  # it builds on this module's city and writers
    paths += write_scoring(city, clock, exports, seed)
    write_boundaries(city, out_dir / "boundaries.geojson")
    write_hotline_mapping(out_dir / "mappings" / "hotline.toml")
    return paths
