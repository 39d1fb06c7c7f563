"""The grammar of narrative statements: patterns, the records a sentence is parsed into, and small pure
helpers.  Data only here: the extractor (``extractor.py`` and its parts) applies it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core.extraction.narrative.lexicon import _canon
from core.numbers import parse_chinese_int
from core.resources import resource_path

FORMS = ("自评报告", "决算说明", "部门概况")  # 部门概况: the 决算's 第一部分 (职责, 机构设置, 决算单位构成)
_PREFIX = {"自评报告": "报告", "决算说明": "决算说明"}
_CLAUSE = set(",;:。!?，；：！？\n")
_SENT_END = set("。!?！？")
_ARTEFACT = re.compile(r"\s*\[bookmark:[^\]]*\]\s*")
_HEAD = re.compile(
    r"\s*(?:"
    r"(?P<part>第(?P<partn>[一二三四五六七八九十百零〇\d]+)部分)"
    r"|(?P<annex>附\s*件\s*(?P<annexn>\d{0,2}))"  # then a colon, a dash, an ideograph or nothing: _head_match
    r"|(?P<toc>目\s*录)\s*$"
    r"|(?P<cn>(?P<cnn>[一二三四五六七八九十百]{1,3})\s*[、.．])"
    r"|(?P<pcn>[(（]\s*(?P<pcnn>[一二三四五六七八九十百]{1,3})\s*[)）])"
    r"|(?P<ar>(?P<arn>\d{1,2})\s*(?:[、．]|\.(?!\d)))"
    r"|(?P<par>[(（]\s*(?P<parn>\d{1,2})\s*[)）])"
    r"|(?P<circ>[\u2460-\u2473])"
    r")"
)
_ANNEX_NEXT = frozenset(":：-－")


def _head_match(text: str, a: int = 0, b: int | None = None) -> re.Match | None:
    """``_HEAD`` matched at ``a``; a 附件 only when what follows it (after spaces) is a colon, a dash, an
    ideograph or nothing.  Tested here rather than in the pattern: a class of the 20 992 ideographs costs a
    millisecond to compile at every start.  (Only the 附件 branch starts with 附, and fewer digits or spaces
    never leave it followed by one of those, so the first match is the only candidate.)"""
    end = len(text) if b is None else b
    m = _HEAD.match(text, a, end)
    if m is not None and m.group("annex") is not None:
        rest = text[m.end("annex"):end].lstrip()
        if rest and rest[0] not in _ANNEX_NEXT and not "\u4e00" <= rest[0] <= "\u9fff":
            return None
    return m


_FAMILY_STYLE = {
    "cn": "一、", "pcn": "（一）", "ar": "1、", "par": "（1）", "circ": "①", "part": "第一部分", "annex": "附件",
}
_ITEM = re.compile(r"[(（]\s*(?:项|\d{5}|\d{7})\s*[)）]")
"""A 科目 line's name: "…（项）", or its 款/项 code in brackets ("行政运行（2013201）")."""
_CLASS = re.compile(r"([\u4e00-\u9fff]{2,16})\s*[(（]\s*类\s*[)）]|[“\"]([\u4e00-\u9fff]{2,16})[”\"]\s*类(?=支出|\s*\d)"
                    r"|([\u4e00-\u9fff]{2,16}?)(?:支出)?\s*[(（]\s*\d{3}\s*[)）]"
                    r"|(?<![\d.])(?<!\d,)(?P<code>\d{3})\s*(?P<coded>[\u4e00-\u9fff]{2,16}?)支出(?=\s*\d)")
"""A 类 of the 功能分类: "社会保障和就业支出（类）", or quoted: "“一般公共服务”类支出"."""
_CLASS_HINT = re.compile(r"类|(?<![\d.])(?<!\d,)\d{3}(?![\d.,，%％])")
"""What every ``_CLASS`` match holds: 类, or a 类 code of three digits standing alone.  A sentence without it
is not searched for a 类 (scanning every ideograph of a long 说明 for a name before a bracket took ~4 ms);
widen this with ``_CLASS`` (tests/core/extraction/test_narrative.py holds every corpus sentence to it)."""
_PROJECT = re.compile(
    r"(?P<kind>年初预算项目|年中追加项目|年中调整项目|追加项目|新增项目|预算项目|专项|项目)\s*[:：]?\s*"
    r"(?:“(?P<n1>[^”]{2,40})”|\"(?P<n2>[^\"]{2,40})\"|「(?P<n3>[^」]{2,40})」|『(?P<n4>[^』]{2,40})』)"
)
_LIST_WORD = re.compile(r"其中|包括|包含|(?:以下几个方面|以下几方面|以下方面|如下方面|具体如下|情况如下)\s*[:：]")
"""What opens a list of parts: 其中/包括, or a colon that announces them ("主要用于以下方面：…")."""
_SEMICOLON = re.compile(r"[;；]")
_CHANGE_WORD = r"(?:增加|增长|减少|下降|降低|上升|提高|提升|节约|节省|压减|减|增|降)"
_CHANGE_END = re.compile(_CHANGE_WORD + r"了?\s*$")
_CHANGE_PCT = re.compile(r"(?:" + _CHANGE_WORD + r"|增幅|降幅|减幅|涨幅)(?:了|幅度)?(?:为|达|约)?\s*$")
_COMPLETION = re.compile(
    r"(?:(?:完成|为|达到|达|占)了?\s*(?:年初|全年|年度|调整(?:后的?)?|当年)?\s*(?:部门)?预算(?:数|金额)?的?"
    r"|(?:预算)?(?:执行率|完成率|执行进度|控制率)(?:为|达到|达|是)?)\s*$"
)
_SHARE_NAMED = re.compile(r"占(?!用)(?:到)?(?P<whole>[^,;:。!?，；：()（）]{1,24}?)的?(?:比重|比例|比)?(?:为|达到|达|约)?\s*$")
_SHARE_BARE = re.compile(r"占(?:比)?(?:为|达到|达|约)?\s*$")
_FROM = re.compile(r"从\s*$")
_TO = re.compile(r"(?:提高|提升|增加|增长|上升|下降|降低|减少|减至|增至|降至)(?:到|至|为)?了?\s*$")
_COMPARE_WORD = r"(?:与|较|比|相较于|相比于|对比|同比|相对于)"
_COMPARE_BEFORE = re.compile(_COMPARE_WORD + r"\s*$")
# the figure a comparison is made against: "比上年决算6.50万元减少…", "上年决算数为…", "较2023年的…"
_PRIOR_BEFORE = re.compile(
    r"(?:" + _COMPARE_WORD + r"\s*(?P<y>(?:19|20)\d{2})\s*年度?|上年度?|上一年度?|去年)"
    r"(?:同期)?(?:全年)?(?:的)?(?:部门)?(?:实际|全年)?(?:决算|预算|支出|执行|完成)?(?:数|额|金额)?(?:的|为|是|共|合计)?\s*$")
_HARMLESS_PREFIX = re.compile(
    r"(?:年度|年|本年|当年|全年|上年|年初|年末|部门|单位|本级|机关|决算|预算|支出|收入|财政|拨款|实际|累计"
    r"|的|其中|包括|包含|主要|为|是|共|合计|总计|用于|安排|实现|完成|发生|本|我|全|该|各"
    r"|开支|支付|列支|使用|拨付|下达|执行|产生|支出了|共计|累计|全年共|年度共|本年度|与|较|比|同|和|对"
    r"|调整后|调整|年中|追加后|国内)$")
_PREFIX_LEAD = re.compile(r"^(?:亿元|万元|元|万|人次|人|个|项|次|家|辆|台)?(?:以及|及|和|与|并且|并|且|另有|另外|另|还有|还)?")
"""What may stand right before a label without narrowing it: which year, whose, a measure word or a verb
(stripped from the end one by one; whatever remains narrows the label)."""
_OWNER_END = re.compile(r"(?:局|部|委|办|院|室|中心|站|所|队|馆|会|厅|处|署|社|团|政府|机构)$")
_LINE_SHADOWED = frozenset({
    "report.expense_total", "report.income_total", "report.grand_total", "report.fiscal_grand_total",
    "report.fiscal_income", "report.basic", "report.project", "report.gov_fund",
})
"""Department totals whose label, inside a 科目 line's paragraph, names that line's figure instead."""
_MEASURE_TAIL = re.compile(r"(?:年初预算数?|全年预算数?|调整后预算数?|预算数|决算数|预算|决算|比上年增减额)$")
_BUDGET_OF = re.compile(r"(?:为|是|相当于|达到|达|占)\s*(?:年初|全年|调整(?:后的?)?|当年)?\s*(?:部门)?预算(?:数|金额)?\s*$")
_RANGE_JOIN = re.compile(r"\s*[～~〜—–至到]\s*")
_PRIOR_CLAUSE = re.compile(r"\s*(?:上年度?|上一年度?|去年|前一年度?)(?!度?(?:结转|结余))")
_BASE_IN_BRACKETS = re.compile(r"(?:较|比|与|同)\s*(?:上年度?|上一年度?|去年|(?:19|20)\d{2}\s*年度?)(?:末|底)?\s*[（(]\s*$")
_MONEY_CONTEXT = re.compile(r"(?:支出|经费|费用?|资金|金额|预算|决算|收入|拨款|结转|结余)(?:数|额)?(?:为|是|共|计|合计|达到?)?\s*$")
_SECTION_KEYS = _LINE_SHADOWED | {"report.personnel", "report.public", "report.running_cost",
                                  "report.procurement.total", "report.staff.authorized", "report.staff.actual"}
"""Labels that make a numbered heading a section of the report, not the name of a 科目 line or project."""
_ASIDE_WORD = re.compile(r"\s*(?:含|不含|其中|包括|包含|另有|另)")
_COMPARE_OPEN = re.compile(r"(?:与|同|较之|相较于|相比于|和)[^与同和]*$")
_COMPARE_CLOSE = re.compile(r"\s*(?:亿元|万元|元|万)?\s*(?:相比|相较|比较|对比)")
_BI_OPEN = re.compile(r"(?<![占对相无])比(?!例|重|率)[^比]*$")
_BI_CLOSE = re.compile(r"\s*(?:亿元|万元|元|万)?\s*(?:增加|减少|增长|下降|降低|上升|多|少|增|减)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*(年度|年末|年底|年初|年|度)?")
_YEAR_TITLE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*(?:年度|年|度)[^。,;:!?，；：]{0,30}?"
    r"(?:部门决算|决算情况说明|整体支出|绩效自评|自评报告|预算绩效|绩效评价报告)"
)
_YEAR_ACCOUNTS = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年度?\s*部门决算")
_GRADE = re.compile(
    r"(?:评价结论|评价等次|评价等级|自评等级|自评结论|评定等级|等次)\s*(?:为|是|:|：)?\s*[“\"]?"
    r"(?P<g>优秀|优|良好|良|中等|中|合格|差|不合格)"
)
_APPROX_BEFORE = re.compile(r"(?:约|近|超过|超|逾|大约|将近|不足|不到|≥|>|＞|≈)\s*$")
_APPROX_AFTER = re.compile(r"\s*(?:余|多|左右|以上|以下|以内)")
_SKIP_UNITS = {"岁", "倍"}
_MULT = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000)}
_BUDGET_MEASURES = {"initial", "budget", "budget_any"}
_NOT_SCORE = ("分别", "分析", "分类", "分配", "分期", "分批")


@dataclass
class _Q:
    """A number found in the stream, and what we learn about it."""

    start: int
    end: int
    value: Decimal
    unit: str
    raw: str
    kind: str  # money | percent | count | score | bare
    approx: bool = False
    sent: int = -1
    para: int = -1
    key: str = ""
    subject: str = ""
    measure: str = ""
    topic: str = ""
    confidence: float = 0.8
    attrs: dict[str, Any] = field(default_factory=dict)
    ref: str = ""
    group: str = ""
    role: str = ""
    emit: bool = False
    list_whole: "_Q | None" = None
    relation: str = ""


@dataclass
class _Sent:
    start: int
    end: int
    para: int
    section: str
    quants: list[_Q]


@dataclass
class _Heading:
    start: int
    marker_end: int
    end: int  # end of the paragraph
    family: str
    number: int
    marker: str
    title: str
    para: int
    depth: int = 0
    seq: int = 0
    body: str = ""
    section: str = ""


@dataclass
class _List:
    whole: _Q
    parts: list[_Q]
    word: str
    group: str


def _parse_heading(text: str, a: int, b: int) -> _Heading | None:
    m = _head_match(text, a, b)
    if not m:
        return None
    fam = m.lastgroup
    fam = next(g for g in ("part", "annex", "toc", "cn", "pcn", "ar", "par", "circ") if m.group(g))
    if fam == "part":
        raw = m.group("partn")
        n = int(raw) if raw.isdigit() else (parse_chinese_int(raw) or 0)
    elif fam == "annex":
        n = int(m.group("annexn") or 0)
    elif fam == "toc":
        n = 0
    elif fam == "cn":
        n = parse_chinese_int(m.group("cnn")) or 0
    elif fam == "pcn":
        n = parse_chinese_int(m.group("pcnn")) or 0
    elif fam == "ar":
        n = int(m.group("arn"))
    elif fam == "par":
        n = int(m.group("parn"))
    else:
        n = ord(m.group("circ")) - 0x2460 + 1
    if n <= 0 and fam not in ("annex", "toc"):
        return None
    marker_start = m.start(fam)
    marker_end = m.end(fam)
    rest = text[marker_end:b]
    cut = re.search(r"[。:：;；,，]", rest)
    title = (rest[: cut.start()] if cut else rest).strip()
    return _Heading(marker_start, marker_end, b, fam, n, text[marker_start:marker_end], title, -1)


_CODE_START = re.compile(r"\s*(?:(\d{7}|\d{5}|\d{3})|(?:\d{1,2}\s*[.、．]\s*)?[【\[［]?\s*(\d{7}|\d{5})\s*[】\]］]?)"
                         r"\s*([\u4e00-\u9fff“”\"（）()]{2,40}?)\s*(?=[，,:：。；;])")
"""A 科目 line named by its code at the start of a paragraph: "2013201行政运行，", "1.2010301行政运行：",
"【2010301】行政运行。" (groups: the code, either way, then the name)."""
_PROJECT_END = re.compile(r"(?:项目|经费|专项|专项资金|工作经费|补助资金|补贴|补助|奖补资金|工程)$")
_SECTION_TITLE_END = re.compile(
    r"(?:情况|说明|概况|职能|职责|设置|构成|分析|原因|措施|问题|建议|目标|结论|评价|成效|效益|管理|制度|完成|"
    r"执行|公开|应用|事项|其他|运用|自评|得分|结果|方面)$")
_EACH = re.compile(r"各(?:自)?(?P<verb>是|为|有|达到|达|减少了?|增加了?|下降了?|增长了?|降低了?|上升了?|提高了?|节约了?)")
_ELLIPSIS = {"收": "收入", "支": "支出"}


def _coordinated(phrase: str) -> list[str]:
    """"收、支总计" → ["收入总计", "支出总计"]; "基本支出和项目支出" → both; [] when the phrase is not a
    coordination.  A shared head printed once after the last conjunct belongs to every conjunct."""
    t = re.sub(r"^(?:与|较|比)?(?:19|20)?\d{0,2}年度?(?:相比|比较)?", "", _canon(phrase))
    t = re.sub(r"^(?:本年|本年度|当年|全年)", "", t)
    parts = [p for p in re.split(r"、|和|及|与", t) if p]
    if len(parts) < 2 or any(len(p) > 12 for p in parts):
        return []
    head = ""
    if all(len(p) == 1 for p in parts[:-1]) and len(parts[-1]) > 1:
        head = parts[-1][1:]
        parts[-1] = parts[-1][:1]
    out = []
    for p in parts:
        out.append((_ELLIPSIS.get(p, p) if head else p) + head)
    return out


def _is_prior(q: _Q) -> bool:
    """A figure stated as the base of a comparison (上年, or a year after 比/较)."""
    return q.attrs.get("period") == "prior"


@lru_cache(maxsize=1)
def _class_names() -> dict[str, str]:
    data = json.loads(resource_path("gfs_classes.json").read_text(encoding="utf-8"))
    return {re.sub(r"支出$", "", v): k for k, v in data.items() if k.isdigit() and isinstance(v, str)}


def _class_code(subject: str) -> str:
    """"社会保障和就业支出(类)" → "208" (政府收支分类 类 code), "" when the name is not a 类."""
    name = re.sub(r"\s*[(（]\s*类\s*[)）]\s*$", "", subject)
    name = re.sub(r"支出$", "", name)
    return _class_names().get(name, "")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)
