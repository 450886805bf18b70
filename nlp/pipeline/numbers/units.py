"""Word lists for the numeric tagger: units, measure words, qualifier and change words.

Each list is data, not code; :mod:`extract` compiles them into regexes (longest first).
A measure word can carry a negative lookahead (``"个(?!体|性)"``) for the words it starts.
"""

from __future__ import annotations

__all__ = [
    "CURRENCIES",
    "METRIC_UNITS",
    "MEASURE_WORDS",
    "ORDINAL_UNITS",
    "TIME_UNITS",
    "QUALIFIER_BEFORE",
    "QUALIFIER_AFTER",
    "CHANGE_UP",
    "CHANGE_DOWN",
    "DURATION_NAME_FOLLOWERS",
    "PER_UNITS",
]

#: currency as written -> the currency reported in ``unit``
CURRENCIES: dict[str, str] = {
    "美元": "美元", "欧元": "欧元", "日元": "日元", "港元": "港元", "港币": "港元", "英镑": "英镑",
    "韩元": "韩元", "澳元": "澳元", "加元": "加元", "新加坡元": "新加坡元", "新台币": "新台币",
    "台币": "台币", "卢布": "卢布", "泰铢": "泰铢", "卢比": "卢比", "瑞士法郎": "瑞士法郎",
    "法郎": "法郎", "奈拉": "奈拉", "林吉特": "林吉特", "人民币": "元", "元人民币": "元",
    "块钱": "元", "圆": "元", "元": "元",
}
#: 元 starts words that are not money
CURRENCY_LOOKAHEAD = {"元": "(?!素|旦|宵|首|老|件|器|气|化)", "圆": "(?!满|形|桌|梦)"}

#: physical units (unit reported as written, letters lower-cased)
METRIC_UNITS: list[str] = [
    "平方公里", "平方千米", "平方米", "立方米", "公里", "千米", "公分", "厘米", "毫米", "海里", "英寸", "米",
    "公顷", "亩", "吨标准煤", "吨", "千克", "公斤", "微克", "毫克", "克", "斤",
    "千瓦时", "千瓦", "兆瓦", "吉瓦", "千伏", "瓦", "千卡", "赫兹", "字节", "比特", "升",
    "标准箱", "标箱", "人次", "架次", "艘次", "车次", "批次",
]
#: unit words written in Latin letters (matched case-insensitively, not before a letter)
LATIN_UNITS: list[str] = ["kwh", "kw", "mw", "gw", "teu", "km", "kg", "cm", "mm", "m"]

#: time units that make a duration (年 is decided separately: a year or a duration)
TIME_UNITS: list[str] = ["周年", "个月", "小时", "分钟", "天", "周(?!边|期|末|围|转|到|岁)", "秒(?!杀)", "年"]

#: measure words (quasi-measure words included); lookaheads keep them out of longer words
MEASURE_WORDS: list[str] = [
    "套\\(间\\)", "个(?!体|性|人所得|别|案)", "個(?!體|性|人|別|案)", "项(?!目)", "家(?!庭|电|乡|居|长|属|园|族|用)",
    "座(?!谈)", "张(?!贴)", "套(?!餐)", "间(?!接)", "台(?!阶|湾|风|账|州|上)", "辆", "艘", "架(?!构)",
    "条(?!例|件|款|线|约)", "所(?!有|得|在|属|以|谓)", "部(?!门|署|分|长|队|委|位|件)", "件(?!事)",
    "次(?!数|序|要|生|日|年|月)", "批(?!准|复|发|评)", "起(?!来|步|草|点|到|诉)", "名(?!单|称|义|牌|录|列)",
    "位(?!置|于|居|列)", "只", "头", "株", "棵", "处(?!理|于|置|罚|长)", "篇", "册", "场(?!景|所|馆|地|次)",
    "轮", "列(?!入|为|出|车)", "类(?!型|似)", "种(?!类|子|植|业|养)", "款(?!项)", "颗", "枚",
    "栋", "幢", "层(?!次|面|级)", "份(?!额)", "户(?!籍|口|型)", "人口", "人(?!民|才|员|类|工|大)",
    "周岁", "岁", "倍", "方面", "省区", "省份", "省(?!级|委|政|内|外|市)", "市(?!场|民|级|区|县|州|委|政|内|域)",
    "县(?!级|域|城|委)", "镇", "村(?!民|级|委)", "门(?!户|类|槛|诊)", "支(?!持|付|出|撑|柱|部|队)",
    "片(?!区)", "宗",
]

#: the denominator of a compound unit: 22微克/立方米, 145.8万吨/年
PER_UNITS: list[str] = ["立方米", "平方米", "平方公里", "千瓦时", "小时", "公里", "年", "月", "日", "天", "吨", "人", "户", "亩", "秒", "次"]

#: measure words after 第N (an ordinal's unit); others leave the unit null
ORDINAL_UNITS: list[str] = [
    "届", "次", "批", "轮", "个", "名", "位", "期", "号", "条", "款", "章", "节", "项", "代",
    "类", "级", "阶段", "年", "天", "站", "场", "家", "座", "部", "季", "步", "声", "版", "集",
]

#: qualifier words before a figure (outside the span)
QUALIFIER_BEFORE: dict[str, str] = {
    "不少于": ">=", "不低于": ">=", "至少": ">=", "超过": ">=", "超": ">=", "突破": ">=", "逾": ">=",
    "跃上": ">=", "多于": ">=", "高于": ">=", "最低": ">=", "不小于": ">=", "大于": ">=",
    "不大于": "<=", "小于": "<=",
    "不超过": "<=", "不高于": "<=", "不到": "<=", "不足": "<=", "低于": "<=", "少于": "<=",
    "最多": "<=", "最高": "<=", "控制在": "=",
    "约": "~", "大约": "~", "近": "~", "将近": "~", "接近": "~", "大概": "~",
    "高达": "=", "预计": "=",
}
#: qualifier words glued after a figure (inside the span)
QUALIFIER_AFTER: dict[str, str] = {
    "及以上": ">=", "及以下": "<=", "以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=",
    "左右": "~", "上下": "~", "多": ">=", "余": ">=", "以来": ">=",
}

#: change words (before the figure, outside the span)
CHANGE_UP: list[str] = [
    "增长", "提高", "提升", "提速", "上涨", "增加", "净增", "增发", "延长", "上升", "涨幅", "增幅",
    "升高", "扩大", "回升", "增至", "增长至", "提高至", "攀升", "增收", "翻番", "上调", "多增", "增",
]
CHANGE_DOWN: list[str] = [
    "负增长", "下降", "减少", "降低", "降至", "降价", "缩小", "降幅", "减幅", "下跌", "回落", "下调", "压减",
    "削减", "缩减", "减量", "少增", "收窄", "减排", "降",
]

#: words after N年 / N小时 that make it part of a programme or product name, not a duration
DURATION_NAME_FOLLOWERS = (
    "行动", "计划", "规划", "攻坚", "禁渔", "专项", "工程", "方案", "期", "级", "代", "制", "一遇",
    "发展纲要", "纲要", "远景", "奋斗目标", "生活圈", "经济圈", "通勤圈", "交通圈", "服务圈", "圈",
)
