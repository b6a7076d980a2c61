"""The data quality panel's checks (数据质量): what each is called and what it means, in one place for the
panel, its exports and the 口径说明 page. The rules themselves are SQL: queries/macros/quality_flags.sql."""

# check_key (as queries/quality_checks.sql names it): (label, what it flags, what to do about it)
CHECKS = {
    "missing_unit": ("无责任单位", "没有填写责任单位的问题", "在任务平台上指派责任单位，下次导入即更新"),
    "missing_deadline": ("无整改时限", "没有整改时限的问题：不会亮红灯、不计逾期，也不计入按期整改率",
                         "在任务平台上补填整改时限"),
    "missing_category": ("无问题类别", "没有问题类别的问题：分类统计时归入“未填写”", "补填问题类别"),
    "missing_location": ("无法定位", "既没有经纬度、也没有可定位的测评点位的问题：不出现在热点地图上",
                         "补填经纬度或测评点位"),
    "duplicate_id": ("问题编号重复", "同一个文件里重复出现的问题编号（只导入了第一行），以及同一导出日期的几个文件"
                     "都有、但内容不一致的问题编号", "核对是哪一份导出有误"),
    "deadline_before_found": ("时限早于发现", "整改时限早于发现时间的问题（导入时这样的行不导入）",
                              "在任务平台上改正日期后重新导出"),
    "closed_without_close_time": ("销号无时间", "已销号、但导出中没有整改完成时间和复核（销号）时间的问题："
                                  "按第一次看到它销号的导出日期计为销号，整改用时和按期整改率可能不准",
                                  "导出时带上销号时间列"),
    "unit_spellings": ("单位名称多种写法", "去掉空格（含全角空格）、全角数字和括号换成半角、忽略大小写、去掉末尾的"
                       "“办事处”“人民政府”“政府”“办”之后相同的单位名称：很可能是同一单位，排名时却分开计算",
                       "在任务平台或责任单位清单中统一写法"),
    "default_spot": ("大量问题共用同一坐标", "经纬度完全相同的问题很多（达到设置 map.default_spot_min）、且不是某个测评点位的"
                     "坐标：多半是平台在上报人没有定位时填的默认坐标（如市政府），这些问题的位置并不可信",
                     "在任务平台上补正这些问题的位置；驾驶舱默认不把它们画在热点地图上、不按距离判定反弹"),
    "no_indicator": ("对不上测评指标", "在办问题的问题类别（或小类）与点位类型对不上测评体系中的任何指标：预计失分里没有计入它们",
                     "在测评体系的问题类别、点位类型中补上，或在任务平台上改正问题类别"),
}

# Column titles of queries/quality_rows.sql for the table and its exports.
ROW_COLUMNS = {
    "problem_id": "问题编号", "unit_name": "责任单位", "district": "区县", "street": "街道/乡镇", "category": "问题类别",
    "found_at": "发现时间", "due_on": "整改时限", "state": "状态", "file_name": "来源文件", "row_number": "文件行号",
    "detail": "说明",
}
