"""The demo city 示范市: its districts, streets, communities, measurement points and units, the catalogue
of problems and inspection rounds, the platforms' words, and the clock every demo time is counted on."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

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
