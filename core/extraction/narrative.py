"""Every statement of a quantity in the narrative (自评报告, 决算说明 第三部分), with what it is and where.

Why this module exists: the narrative restates the accounts in prose ("支出合计2257.39万元，其中：基本支出
673.91万元，占29.85%"), recomputes its own ratios ("完成年初预算的2.75%") and repeats figures in several
places.  The checks need each printed figure as a Field with its key (``docs/fields-extended.md``), the exact
box of the printed number, and how it relates to its neighbours: which total a share is of, which budget a
completion rate divides by, which parts an "其中：" list splits a whole into.

How: the stream is cut into paragraphs (``core.documents.paragraphs``), headings are tracked as a section
path, paragraphs are cut into sentences, and every number ``core.numbers.find_amounts`` finds is given the key
of the nearest label before it in its clause.  Label words are data (``resources/narrative_labels.json``):
*direct* labels name a key (基本支出 → report.basic); *topics* (“三公”经费, 公务接待费, a project named in
quotes, the 决算说明 item "…（项）") combine with a *measure* word (年初预算 / 预算 / 决算 / 结余结转) to give
the key.  Relations ("完成…的r%", "占a%", "增加Δ，增长p%", "其中：" lists, "从a提高到b") are grammar and
live here.

What it must not do: judge.  A wrong ratio is extracted as printed; the checks (``core.checks.narrative``)
recompute.  It never raises on odd text: a figure it cannot name becomes ``report.metric`` with its noun
phrase as subject, a % it cannot tie to figures ``report.stated_ratio`` with relation "other".

Extensions to ``docs/fields-extended.md`` emitted here (listed for the lead to add there): keys
``report.fiscal_expense``, ``report.fiscal_income``, ``report.grand_total``, ``report.fiscal_grand_total``,
``report.annual_budget``, ``report.budget_added``, ``report.gov_fund``, ``report.meeting_fee``,
``report.training_fee``, ``report.vehicles``, ``report.item.added``, ``report.item.carryover``,
``report.project.added``, ``report.heading``, ``report.placeholder``, ``report.year``; attributes ``ref``
(id of the statement within the case), ``ref_part`` / ``ref_whole`` / ``ref_numerator`` /
``ref_denominator`` / ``ref_delta`` / ``ref_base`` (operands of a stated ratio or list), ``whole_name``,
``list_kind`` ("split" / "items"), ``list_word``, ``approx``, ``bound``, ``object``, ``point`` ("from" /
"to"), ``topic``, ``measure``, ``direction``, ``code`` (类 code of ``report.class.amount``), heading
attributes ``family`` / ``style`` / ``number`` / ``depth`` / ``seq`` / ``title`` / ``body`` / ``body_len``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core.documents.layout import TextStream
from core.documents.paragraphs import paragraphs
from core.model import Field, SourceRef
from core.numbers import COUNT_UNITS, MONEY_UNITS, find_amounts, parse_chinese_int
from core.resources import resource_path
from core.text import collapse

FORMS = ("自评报告", "决算说明", "部门概况")  # 部门概况: the 决算's 第一部分 (职责, 机构设置, 决算单位构成)
_PREFIX = {"自评报告": "报告", "决算说明": "决算说明"}

# -- label data ----------------------------------------------------------------------------------------------

_QUOTES = "“”\"‘’'「」『』"
_GAP = r"[\s“”\"‘’'「」『』]*"


def _canon(s: str) -> str:
    """Normalised label text without quotes and spaces (how labels are looked up)."""
    t = collapse(s)
    return "".join(ch for ch in t if ch not in _QUOTES and not ch.isspace())


def _pattern(label: str) -> str:
    parts = []
    for ch in _canon(label):
        if ch == "(":
            parts.append(r"[(（]")
        elif ch == ")":
            parts.append(r"[)）]")
        else:
            parts.append(re.escape(ch))
    return _GAP.join(parts)


@dataclass(frozen=True)
class _Entry:
    kind: str  # "direct" | "topic" | "measure"
    name: str  # key (direct), topic id (topic), measure id (measure)
    value_kind: str = "money"  # direct: money | count | score
    strong: bool = True  # topic: a 财政拨款 qualifier is weak, a 三公 item strong


class _Lexicon:
    def __init__(self, data: dict) -> None:
        self.data = data
        self.entries: dict[str, _Entry] = {}
        for d in data["direct"]:
            for lab in d["labels"]:
                self.entries.setdefault(_canon(lab), _Entry("direct", d["key"], d.get("kind", "money")))
        for t in data["topics"]:
            for lab in t["labels"]:
                entry = _Entry("topic", t["topic"], strong=t.get("strong", True))
                self.entries.setdefault(_canon(lab), entry)
        for m in data["measures"]:
            for lab in m["labels"]:
                self.entries.setdefault(_canon(lab), _Entry("measure", m["measure"]))
        labels = sorted(self.entries, key=len, reverse=True)
        self.regex = re.compile("(?=(" + "|".join(_pattern(x) for x in labels) + "))")
        self.topics = {t["topic"]: t for t in data["topics"]}
        self.contexts = data["contexts"]
        self.names: dict[str, str] = data["names"]
        self.family: dict[str, int] = {}
        for i, fam in enumerate(data["splits"]):
            for k in fam:
                self.family[k] = i
        self.level1 = [(name, _canon(w)) for name, ws in data["level1"].items() for w in ws]
        self.level1.sort(key=lambda x: len(x[1]), reverse=True)
        self.fillers = sorted((_canon(x) for x in data["subject_fillers"]), key=len, reverse=True)
        self.placeholders = [re.compile(p) for p in data["placeholders"]]
        self.problem_sections = [_canon(x) for x in data["problem_sections"]]
        self.empty_bodies = {_canon(x) for x in data["empty_bodies"]}
        self.partial = {_canon(k): v for k, v in data.get("partial", {}).get("labels", {}).items()}
        self.fund_parts = {_canon(x) for x in data.get("partial", {}).get("fund_parts", [])}
        self.other_money = re.compile(data.get("partial", {}).get("other_money", "(?!)"))
        self.share_wholes = {k: v for k, v in data.get("share_wholes", {}).items() if not k.startswith("_")}
        self.clause_keys = [
            (r["key"], tuple(_canon(x) for x in r["labels"]), tuple(_canon(x) for x in r["all"]),
             tuple(_canon(x) for x in r.get("none", ())))
            for r in data.get("clause_keys", {}).get("rules", [])
        ]

    def matches(self, text: str, start: int, end: int) -> list[tuple[int, int, _Entry]]:
        """Every label in ``text[start:end]``, except those inside a longer label ("预算" inside
        "一般公共预算支出", "公用经费" inside "日常公用经费")."""
        found = []
        for m in self.regex.finditer(text, start, end):
            entry = self.entries.get(_canon(m.group(1)))
            if entry is not None:
                found.append((m.start(1), m.end(1), entry))
        return [x for x in found
                if not any(y is not x and y[0] <= x[0] and x[1] <= y[1] and y[1] - y[0] > x[1] - x[0]
                           for y in found)]


@lru_cache(maxsize=1)
def _anomaly_rules() -> list[tuple[str, re.Pattern, str]]:
    data = json.loads(resource_path("narrative_labels.json").read_text(encoding="utf-8"))
    return [(r["kind"], re.compile(r["pattern"]), r["message"]) for r in data.get("anomalies", [])]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    data = json.loads(resource_path("narrative_labels.json").read_text(encoding="utf-8"))
    return _Lexicon(data)


@lru_cache(maxsize=16384)
def canonical_subject(s: str) -> str:
    """A metric's noun phrase reduced for comparison: no punctuation, years, leading fillers (全年, 累计,
    共…) or trailing verbs/measure words (为, 达, 人数 …)."""
    t = _canon(s)
    t = re.sub(r"[()（）:：,，、。;；!?！？<>《》\[\]【】]", "", t)
    t = re.sub(r"(?:19|20)\d{2}年(?:度|末|底|初)?", "", t)
    fillers = lexicon().fillers
    changed = True
    while changed and t:
        changed = False
        for f in fillers:
            if t.startswith(f) and len(t) > len(f):
                t = t[len(f):]
                changed = True
                break
    t = re.sub(r"(?:总人数|总数|人数|人次|数量|总额|金额|达到|共计|累计|合计|为|达|共|计|约|近|超过|超|逾|有|是|了|的)+$", "", t)
    return t


# -- grammar -------------------------------------------------------------------------------------------------

_CLAUSE = set(",;:。!?，；：！？\n")
_SENT_END = set("。!?！？")
_ARTEFACT = re.compile(r"\s*\[bookmark:[^\]]*\]\s*")
_HEAD = re.compile(
    r"\s*(?:"
    r"(?P<part>第(?P<partn>[一二三四五六七八九十百零〇\d]+)部分)"
    r"|(?P<annex>附\s*件\s*(?P<annexn>\d{0,2}))(?=\s*(?:[:：\-－]|$|[\u4e00-\u9fff]))"
    r"|(?P<toc>目\s*录)\s*$"
    r"|(?P<cn>(?P<cnn>[一二三四五六七八九十百]{1,3})\s*[、.．])"
    r"|(?P<pcn>[(（]\s*(?P<pcnn>[一二三四五六七八九十百]{1,3})\s*[)）])"
    r"|(?P<ar>(?P<arn>\d{1,2})\s*(?:[、．]|\.(?!\d)))"
    r"|(?P<par>[(（]\s*(?P<parn>\d{1,2})\s*[)）])"
    r"|(?P<circ>[\u2460-\u2473])"
    r")"
)
_FAMILY_STYLE = {
    "cn": "一、", "pcn": "（一）", "ar": "1、", "par": "（1）", "circ": "①", "part": "第一部分", "annex": "附件",
}
_ITEM = re.compile(r"[(（]\s*(?:项|\d{5}|\d{7})\s*[)）]")
"""A 科目 line's name: "…（项）", or its 款/项 code in brackets ("行政运行（2013201）")."""
_CLASS = re.compile(r"([\u4e00-\u9fff]{2,16})\s*[(（]\s*类\s*[)）]|[“\"]([\u4e00-\u9fff]{2,16})[”\"]\s*类(?=支出|\s*\d)"
                    r"|([\u4e00-\u9fff]{2,16}?)(?:支出)?\s*[(（]\s*\d{3}\s*[)）]")
"""A 类 of the 功能分类: "社会保障和就业支出（类）", or quoted: "“一般公共服务”类支出"."""
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
    r"(?:(?:完成|为|达到|达|占)了?\s*(?:年初|全年|年度|调整后的?|当年)?\s*(?:部门)?预算(?:数|金额)?的?"
    r"|(?:预算)?(?:执行率|完成率|执行进度)(?:为|达到|达|是)?)\s*$"
)
_SHARE_NAMED = re.compile(r"占(?!用)(?:到)?(?P<whole>[^,;:。!?，；：()（）]{1,24}?)的?(?:比重|比例|比)?(?:为|达到|达|约)?\s*$")
_SHARE_BARE = re.compile(r"占(?:比)?(?:为|达到|达|约)?\s*$")
_FROM = re.compile(r"从\s*$")
_TO = re.compile(r"(?:提高|提升|增加|增长|上升|下降|降低|减少|减至|增至|降至)(?:到|至|为)?了?\s*$")
_COMPARE_BEFORE = re.compile(r"(?:与|较|比|相较于|相比于|对比|同比|相对于)\s*$")
# the figure a comparison is made against: "比上年决算6.50万元减少…", "上年决算数为…", "较2023年的…"
_PRIOR_BEFORE = re.compile(
    r"(?:(?:与|较|比|相较于|相比于|对比|同比|相对于)\s*(?P<y>(?:19|20)\d{2})\s*年度?|上年度?|上一年度?|去年)"
    r"(?:同期)?(?:全年)?(?:的)?(?:部门)?(?:实际|全年)?(?:决算|预算|支出|执行|完成)?(?:数|额|金额)?(?:的|为|是|共|合计)?\s*$")
_HARMLESS_PREFIX = re.compile(
    r"(?:年度|年|本年|当年|全年|上年|年初|年末|部门|单位|本级|机关|决算|预算|支出|收入|财政|拨款|实际|累计"
    r"|的|其中|包括|主要|为|是|共|合计|总计|用于|安排|实现|完成|发生|本|我|全|该|各"
    r"|开支|支付|列支|使用|拨付|下达|执行|产生|支出了|共计|累计|全年共|年度共|本年度|与|较|比|同|和|对)$")
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
_BUDGET_OF = re.compile(r"(?:为|是|相当于|达到|达|占)\s*(?:年初|全年|调整后的?|当年)?\s*(?:部门)?预算(?:数|金额)?\s*$")
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
    m = _HEAD.match(text, a, b)
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


class _Extractor:
    def __init__(self, doc_id: str, stream: TextStream, form: str) -> None:
        self.doc = doc_id
        self.stream = stream
        self.form = form
        self.text = stream.text
        self.lex = lexicon()
        self.prefix = _PREFIX.get(form, form)
        self.tag = f"{doc_id}/{form}"
        self.qs: list[_Q] = []
        self._q_ids: set[int] = set()  # membership of self.qs by identity (a _Q compares field by field)
        self.sents: list[_Sent] = []
        self.headings: list[_Heading] = []
        self.lists: list[_List] = []
        self.extra: list[Field] = []
        self.n_ref = 0
        self.n_group = 0
        self.stack: list[_Heading] = []
        self.item: str | None = None  # the 科目 line being described: "…（项）" or a code in its heading
        self.soft_item: str | None = None  # a numbered item's bare name ("1、行政运行：年初预算…")
        self.soft_project: str | None = None  # a numbered item named as a project ("2、党建工作经费：…")
        self.sent_project = ""  # a sentence opened by a project's bare name
        self.report_year: int | None = None
        self.intro: _List | None = None  # "……万元，其中：" / "主要用于以下方面：" waiting for its parts
        self._each_names: list[str] = []  # "收、支总计各…": the coordinated subjects, for the next 各
        self._each_amounts: dict[str, _Q] = {}
        self._each_deltas: dict[str, _Q] = {}

    # -- ids ---------------------------------------------------------------------------------------------
    def _ref(self) -> str:
        self.n_ref += 1
        return f"{self.tag}/n{self.n_ref}"

    def _group(self) -> str:
        self.n_group += 1
        return f"{self.tag}/g{self.n_group}"

    # -- driver ------------------------------------------------------------------------------------------
    def run(self) -> list[Field]:
        paras = paragraphs(self.stream)
        for pi, (a, b) in enumerate(paras):
            self._paragraph(pi, a, b)
        self._heading_bodies(paras)
        self.report_year = self._report_year()
        if not any(q.emit and q.value > 0 and self.lex.other_money.search(q.subject) for q in self.qs):
            # no other money than the general budget: "一般公共预算支出" is the department's whole 支出合计
            for q in self.qs:
                if q.attrs.pop("_fund_part", None):
                    q.attrs.pop("_uncertain", None)
                    q.subject = self.lex.names.get(q.key, q.subject)
        fields = [self._field(q) for q in self.qs if q.emit]
        fields.extend(self._heading_fields())
        fields.extend(self.extra)
        fields.extend(self._anomalies())
        fields.sort(key=lambda f: (f.attrs.get("_pos", 0)))
        for f in fields:
            f.attrs.pop("_pos", None)
        return fields

    def _anomalies(self) -> list[Field]:
        """Text-level slips ("2024度", "为00多名"): patterns in resources/narrative_labels.json."""
        out: list[Field] = []
        for rule in _anomaly_rules():
            for m in rule[1].finditer(self.stream.text):
                page, bbox = self.stream.span(m.start(), m.end())
                raw = m.group(0)
                f = Field(key="report.anomaly", value=raw, unit="", raw=raw, source=SourceRef(self.doc, page, bbox),
                          label="文字问题", confidence=0.8, form=self.form,
                          attrs={"kind": rule[0], "message": rule[2].format(raw=raw), "_pos": m.start(),
                                 "sentence": self._sentence_at(m.start())})
                out.append(f)
        return out

    def _sentence_at(self, pos: int) -> str:
        text = self.stream.text
        a = max(text.rfind(ch, 0, pos) for ch in "。；;\n") + 1
        ends = [i for i in (text.find(ch, pos) for ch in "。；;\n") if i >= 0]
        return text[a:min(ends) + 1 if ends else len(text)].strip()[:200]

    def _section(self) -> str:
        return "/".join((h.marker + h.title[:20]).strip() for h in self.stack)

    # -- headings ----------------------------------------------------------------------------------------
    def _push_heading(self, h: _Heading) -> None:
        if h.family in ("part", "annex", "toc"):
            self.stack = [h]
        else:
            same = [i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i].family == h.family]
            idx = next((i for i in same if self.stack[i].number == h.number - 1), same[0] if same else None)
            nested = idx is not None and h.number == 1 and self.stack[-1].family != h.family
            if idx is not None and not nested:
                self.stack = self.stack[:idx] + [h]
            else:
                self.stack.append(h)
        h.depth = len(self.stack)
        h.seq = len(self.headings)
        self.headings.append(h)

    def _heading_bodies(self, paras: list[tuple[int, int]]) -> None:
        """Each heading's body: its paragraph after the title, then paragraphs up to the next heading of
        the same or a higher level."""
        by_para = {h.para: h for h in self.headings}
        for h in self.headings:
            parts = []
            own = self.text[h.marker_end:h.end]
            cut = re.search(r"[。:：]", own)
            if cut and cut.end() < len(own):
                parts.append(own[cut.end():])
            for pj in range(h.para + 1, len(paras)):
                nh = by_para.get(pj)
                if nh is not None and (nh.depth <= h.depth or nh.family in ("part", "annex", "toc")):
                    break
                a, b = paras[pj]
                parts.append(self.text[a:b])
            h.body = "\n".join(p.strip() for p in parts if p.strip())

    def _heading_fields(self) -> list[Field]:
        out = []
        for h in self.headings:
            body = h.body
            page, bbox = self.stream.span(h.start, h.marker_end)
            attrs = {
                "family": h.family,
                "style": _FAMILY_STYLE.get(h.family, ""),
                "number": h.number,
                "depth": h.depth,
                "seq": h.seq,
                "title": h.title[:60],
                "body": body[:80],
                "body_len": len(re.sub(r"\s", "", body)),
                "section": self._section_of(h),
                "_pos": h.start,
            }
            out.append(Field(
                key="report.heading",
                value=Decimal(h.number),
                unit="",
                raw=h.marker.strip(),
                source=SourceRef(self.doc, page, bbox),
                label=f"{self.prefix}：标题“{h.marker.strip()}{h.title[:20]}”",
                confidence=0.9,
                form=self.form,
                attrs=attrs,
            ))
        return out

    def _section_of(self, h: _Heading) -> str:
        return h.section

    # -- paragraphs --------------------------------------------------------------------------------------
    def _paragraph(self, pi: int, a: int, b: int) -> None:
        text = self.text
        m = _ARTEFACT.match(text, a, b)
        a2 = m.end() if m else a
        h = _parse_heading(text, a2, b)
        body_from = a2
        if h is not None:
            h.para = pi
            self._push_heading(h)
            h.section = self._section()
            body_from = h.marker_end
            self.item = h.title if _ITEM.search(h.title) else None
            self.soft_item = self.soft_project = None
            if self.item is None and h.family in ("ar", "par", "circ") and self._names_a_line(h.title):
                if _PROJECT_END.search(h.title):
                    self.soft_project = h.title
                else:
                    self.soft_item = h.title
            self.intro = None
        else:
            code = _CODE_START.match(text, a2, b)
            if code:  # "2013201行政运行，年初预算…": a 科目 line named by its code
                self.item = code.group(2)
                self.soft_item = self.soft_project = None
        self._titles(a2, b, is_heading=h is not None)
        self._placeholders(a2, b)
        self._grade(a2, b)
        quants = self._quantities(a2, b)
        section = self._section()
        sentences = self._split(body_from, b)
        para_lists: list[_List] = []
        for k, (s0, s1) in enumerate(sentences):
            sq = [q for q in quants if s0 <= q.start < s1]
            sent = _Sent(s0, s1, pi, section, sq)
            si = len(self.sents)
            self.sents.append(sent)
            for q in sq:
                q.sent = si
                q.para = pi
            self._sentence(sent, para_lists)

    def _split(self, a: int, b: int) -> list[tuple[int, int]]:
        out = []
        s = a
        for i in range(a, b):
            if self.text[i] in _SENT_END:
                if i + 1 > s:
                    out.append((s, i + 1))
                s = i + 1
        if s < b and self.text[s:b].strip():
            out.append((s, b))
        return out

    def _quantities(self, a: int, b: int) -> list[_Q]:
        out: list[_Q] = []
        chunk = self.text[a:b]
        for s, e, num in find_amounts(chunk):
            s += a
            e += a
            unit = num.unit
            value = num.value
            raw = self.text[s:e]
            if unit == "万" and _MONEY_CONTEXT.search(self.text, max(a, s - 16), s):
                unit = "万元"  # "国内公务接待支出0.40万（含…）": a bare 万 after a money label is 万元
            if unit in MONEY_UNITS:
                kind = "money"
            elif unit == "%":
                kind = "percent"
            elif unit == "分":
                kind = "score"
            elif unit and unit[0] in _MULT and unit[1:] in COUNT_UNITS:
                kind = "count"
                value = value * _MULT[unit[0]]
                if value == value.to_integral_value():
                    value = value.quantize(Decimal(1))
                unit = unit[1:]
            elif unit in COUNT_UNITS:
                kind = "count"
            elif not unit and self.text[e:e + 1] == "分" and self.text[e:e + 2] not in _NOT_SCORE:
                kind = "score"
                unit = "分"
                e += 1
                raw = self.text[s:e]
            else:
                kind = "bare"
            if unit in _SKIP_UNITS:
                continue
            approx = ("余" in raw or "多" in raw or bool(_APPROX_BEFORE.search(self.text[max(a, s - 4):s]))
                      or bool(_APPROX_AFTER.match(self.text, e)) and self.text[e:e + 1] != "以")
            if _APPROX_AFTER.match(self.text, e) and self.text[e:e + 2] in ("以上", "以下", "以内", "左右"):
                approx = True
            q = _Q(s, e, value, unit, raw, kind, approx)
            if out and out[-1].kind == kind and _RANGE_JOIN.fullmatch(self.text, out[-1].end, s):
                q = _Q(s, e, value, unit, raw, kind, approx)
                q.attrs["range"] = "to"  # "37%～57%", "37%至57%"
                out[-1].attrs["range"] = "from"
                out.append(q)
                continue
            if value < 0 and out and out[-1].end == s and out[-1].value >= 0:
                # "精简37%-57%": the end of a range, not −57
                q.value = -value
                q.attrs["range"] = "to"
                out[-1].attrs["range"] = "from"
            out.append(q)
        return out

    # -- sentences ---------------------------------------------------------------------------------------
    def _seg_start(self, q: _Q, sent: _Sent, prev_end: int) -> int:
        lo = max(sent.start, prev_end)
        i = q.start - 1
        while i >= lo:
            if self.text[i] in _CLAUSE:
                return i + 1
            i -= 1
        return lo

    def _sentence(self, sent: _Sent, para_lists: list[_List]) -> None:
        text = self.text
        lex_matches = self.lex.matches(text, sent.start, sent.end)
        projects = [(m.start(), m.end(), m.group("kind"), m.group("n1") or m.group("n2") or m.group("n3")
                     or m.group("n4")) for m in _PROJECT.finditer(text, sent.start, sent.end)]
        classes = [(m.start(), m.end(), m.group() if m.group(1) else f"{m.group(2) or m.group(3)}支出（类）")
                   for m in _CLASS.finditer(text, sent.start, sent.end)]
        list_words = [(m.start(), m.group()) for m in _LIST_WORD.finditer(text, sent.start, sent.end)]
        # an item title inside the sentence ("行政运行（项）。年初预算为…" in one paragraph)
        if not sent.quants and _ITEM.search(text, sent.start, sent.end):
            self.item = text[sent.start:sent.end].strip(" 。")
        elif sent.quants:
            # "一般公共服务（类）组织事务（款）行政运行（项）2024年度年初预算…": the line's name opens the sentence
            lead = None
            for m in _ITEM.finditer(text, sent.start, sent.quants[0].start):
                lead = m
            if lead is not None and not re.search(r"[。；;]", text[sent.start:lead.start()]):
                name = re.sub(r"^[\s\d.、．,，:：]+", "", text[sent.start:lead.end()])
                if name:
                    self.item, self.soft_item, self.soft_project = name, None, None
        # "社区工作者队伍建设经费，年初预算为86.00万元，…": a first clause that only names a project
        first = re.match(r"[^,，:：;；。]*", text[sent.start:sent.end]).group()
        self.sent_project = (self._bare_project(sent.start, sent.start + len(first))
                             if first and not any(q.start < sent.start + len(first) for q in sent.quants) else "")
        prev_end = sent.start
        segs: dict[int, int] = {}
        for q in sent.quants:
            if q.kind == "bare" and not self._bare_is_label(q, sent, prev_end):
                continue
            segs[id(q)] = self._seg_start(q, sent, prev_end)
            prev_end = q.end
        labelled = [q for q in sent.quants if id(q) in segs]
        for q in labelled:
            seg0 = segs[id(q)]
            if q.kind == "money":
                self._resolve_money(q, seg0, sent, lex_matches, projects, classes, list_words)
            elif q.kind in ("count", "bare"):
                self._resolve_count(q, seg0, sent, lex_matches)
            elif q.kind == "score":
                self._resolve_score(q, seg0, sent)
            if q.kind == "money" and q.key in ("report.metric", "report.annual_budget", "report.initial_budget"):
                self._clause_key(q, seg0, sent)
            if q.kind in ("money", "count") and q.key:
                aside = self._aside(q, sent)
                outer = next((x for x in reversed(labelled) if x.end <= aside), None) if aside >= 0 else None
                if aside >= 0 and (q.key == "report.metric" or outer is None
                                   or (q.key == outer.key and q.measure == outer.measure)):
                    q.key = "report.metric"
                    q.subject = self._label_text(max(seg0, aside + 1), q) or q.subject
                    q.attrs["scope"] = "subpart"
                    q.attrs["_uncertain"] = "括号内的组成部分，不是前一数字本身"
                    q.confidence = min(q.confidence, 0.6)
            if q.kind != "percent":
                q.emit = bool(q.key)
                self._common_attrs(q, sent, seg0)
                if q.key == "report.metric":
                    self._object(q, sent)
        self._lists(sent, labelled, list_words, para_lists)
        for q in labelled:
            if q.kind == "percent":
                self._resolve_percent(q, segs[id(q)], sent, labelled)
                q.emit = True
                self._common_attrs(q, sent, segs[id(q)])
        self._from_to(sent, labelled, segs)
        self._distributive(sent)
        # a sentence ending with "：" announces parts in the following paragraphs
        tail = text[sent.start:sent.end].rstrip()
        if tail.endswith((":", "：")):
            wholes = [q for q in labelled if q.kind == "money" and q.key and q.key != "report.change.amount"]
            if wholes:
                w = wholes[-1]
                if not any(lst.whole is w for lst in self.lists):
                    g = self._group()
                    lst = _List(w, [], "intro" if not list_words else list_words[-1][1], g)
                    self.lists.append(lst)
                    self.intro = lst
                    if not w.group:
                        w.group, w.role = g, "whole"
        elif self.intro is not None and sent.quants:
            pass

    def _bare_is_label(self, q: _Q, sent: _Sent, prev_end: int) -> bool:
        """A number printed without a unit counts only after a staff label ("编制数 23，实有人数 20")."""
        seg0 = self._seg_start(q, sent, prev_end)
        for s, e, entry in self.lex.matches(self.text, seg0, q.start):
            whole = q.value == q.value.to_integral_value()
            if entry.kind == "direct" and entry.value_kind == "count" and whole:
                return True
        return False

    def _label_text(self, seg0: int, q: _Q) -> str:
        t = self.text[seg0:q.start]
        m = _HEAD.match(t)
        if m and m.end() < len(t):
            t = t[m.end():]
        t = re.sub(r"^(?:其中|包括|主要|另外|另|以及|及|和)[:：]?", "", t.strip())
        t = re.sub(r"(?:为|达到|达|共计|共|计|约|近|超过|超|逾|有|是|了|合计|累计|总计)+\s*$", "", t.strip())
        return t.strip(" :：,，、")

    def _rightmost(self, cands: list[tuple[int, int, Any]]) -> tuple[int, int, Any] | None:
        if not cands:
            return None
        return max(cands, key=lambda c: (c[1], c[1] - c[0]))

    def _resolve_money(self, q: _Q, seg0: int, sent: _Sent, lex_matches, projects, classes,
                       list_words) -> None:
        text = self.text
        seg = text[seg0:q.start]
        m = _CHANGE_END.search(seg)
        if m:
            word = m.group()
            q.key = "report.change.amount"
            q.attrs["direction"] = "decrease" if re.search(r"减|降|节约|节省|压", word) else "increase"
            named = [ent for _, _, ent in self.lex.matches(text, seg0, q.start)
                     if ent.kind in ("direct", "topic")]
            if named:
                ent = named[-1]
                if ent.kind == "direct":
                    key = ent.name
                else:
                    topic = self.lex.topics[ent.name]
                    key = topic["keys"][topic["default"]]
                q.subject = self.lex.names.get(key, "")
            q.confidence = 0.85
            return
        cands: list[tuple[int, int, Any]] = []
        for s, e, entry in lex_matches:
            if s >= seg0 and e <= q.start:
                cands.append((s, e, ("lex", entry)))
        for s, e, kind, name in projects:
            if s >= seg0 and e <= q.start:
                cands.append((s, e, ("project", (kind, name))))
        for s, e, name in classes:
            if s >= seg0 and e <= q.start:
                cands.append((s, e, ("class", name)))
        best = self._rightmost(cands)
        if best is None:
            q.key = "report.metric"
            q.subject = self._label_text(seg0, q)
            q.confidence = 0.6
            self._project_context(q, sent, projects, seg0)
            return
        s, e, (what, payload) = best
        if what == "class":
            q.key = "report.class.amount"
            q.subject = payload
            q.confidence = 0.9
            code = _class_code(payload)
            if code:
                q.attrs["code"] = code
            return
        if what == "project":
            kind, name = payload
            measure = (self._measure_in(lex_matches, e, q.start)
                       or ("initial" if kind.startswith("年初") else "added" if "追加" in kind else "budget"))
            self._set_project(q, name, kind, measure)
            return
        entry: _Entry = payload
        if entry.kind in ("direct", "topic"):
            narrow = self._qualifier(s)
            if narrow:
                # "政府性基金预算财政拨款收入", "一般公共预算财政拨款基本支出": a narrower thing than the label names
                label = text[s:e]
                q.key = "report.metric"
                q.subject = narrow + label
                q.confidence = 0.6
                q.attrs["_uncertain"] = f"“{narrow}{label}”是“{label}”的一部分，不作{label}总数"
                return
        if (entry.kind == "direct" and entry.value_kind == "money" and self.item
                and entry.name in _LINE_SHADOWED):
            # inside a 科目 line ("…（项），主要用于…，当年支出决算为82.80万元") a total's label names the line's figure
            measure = self._measure_in(lex_matches, seg0, q.start) or "final"
            q.key = self.lex.contexts["item"].get(measure, self.lex.contexts["item"]["final"])
            q.subject = self.item
            q.topic = "item"
            q.measure = measure
            q.confidence = 0.85
            return
        if entry.kind == "direct":
            why = self.lex.partial.get(_canon(text[s:e]))
            if why:
                q.attrs["_uncertain"] = why
                if _canon(text[s:e]) in self.lex.fund_parts:
                    q.attrs["_fund_part"] = True
            if entry.value_kind == "money":
                q.key = entry.name
                q.confidence = 0.9
                q.subject = _canon(text[s:e]) if why else self.lex.names.get(q.key, "")
                return
            q.key = "report.metric"
            q.subject = self._label_text(seg0, q)
            q.confidence = 0.6
            return
        if entry.kind == "topic":
            topic = self.lex.topics[entry.name]
            measure = (self._measure_in(lex_matches, seg0, q.start)
                       or self._inherited_measure(q, sent, list_words) or topic["default"])
            q.topic = entry.name
            q.measure = measure
            q.key = topic["keys"].get(measure) or topic["keys"][topic["default"]]
            q.subject = self.lex.names.get(q.key, "")
            q.confidence = 0.85
            return
        # a measure word: find what it measures
        measure = entry.name
        q.measure = measure
        topics = [(ts, te, ent) for ts, te, ent in lex_matches if ent.kind == "topic" and ts < s]
        strong = [x for x in topics if x[2].strong]
        in_seg = [x for x in strong if x[0] >= seg0]
        projs = [p for p in projects if p[1] <= s]
        if in_seg:
            self._topic_key(q, in_seg[-1][2].name, measure)
            return
        last_topic = strong[-1] if strong else None
        last_proj = projs[-1] if projs else None
        if last_proj and (not last_topic or last_proj[1] > last_topic[1]):
            self._set_project(q, last_proj[3], last_proj[2], measure)
            return
        if last_topic:
            self._topic_key(q, last_topic[2].name, measure)
            return
        bare = self._bare_project(seg0, s) or self.sent_project
        if bare and not self.item:
            self._set_project(q, bare, "", measure)  # "干部教育及管理经费年初预算30.00万元"
            return
        if self.soft_project and not self.item:
            self._set_project(q, self.soft_project, "", measure)
            return
        item = self.item or self.soft_item
        if item and measure in self.lex.contexts["item"]:
            q.key = self.lex.contexts["item"][measure]
            q.subject = item
            q.topic = "item"
            q.confidence = 0.85
            return
        weak = [x for x in topics if not x[2].strong]
        if weak:
            self._topic_key(q, weak[-1][2].name, measure)
            return
        dept = self.lex.contexts["department"]
        q.key = dept.get(measure, "report.metric")
        q.subject = self.lex.names.get(q.key, "")
        q.topic = "department"
        q.confidence = 0.8

    # -- "收、支总计各是a,b万元" ----------------------------------------------------------------------------
    def _distributive(self, sent: _Sent) -> None:
        """Coordinated subjects with 各 and as many figures, paired in order: "收、支总计各是4125.49,4143.91
        万元。与2021年相比，收、支总计各减少1267.86,2570.97万元，各下降23.51%、38.28%" gives each subject
        its amount, its change and its rate (one unit printed after the last figure serves them all)."""
        text = self.text
        for m in _EACH.finditer(text, sent.start, sent.end):
            lo = sent.start
            for i in range(m.start() - 1, sent.start - 1, -1):
                if text[i] in _CLAUSE and text[i] != "、":
                    lo = i + 1
                    break
            names = _coordinated(text[lo:m.start()])
            if not names:
                names = self._each_names  # "…，各下降23.51%、38.28%": the subjects of the clause before
            if len(names) < 2:
                continue
            self._each_names = names
            run = self._number_run(sent, m.end(), len(names))
            if len(run) != len(names):
                continue
            unit = run[-1].unit
            if not unit:
                continue
            verb = m.group("verb")
            for name, q in zip(names, run):
                if not q.unit:
                    q.unit, q.kind = unit, run[-1].kind
                q.group = q.role = q.relation = ""
                q.list_whole = None
                for k in [k for k in q.attrs if k.startswith("ref_")]:
                    del q.attrs[k]
                if q.kind == "percent":
                    delta = self._each_deltas.get(name)
                    if delta is None:
                        continue
                    q.key, q.relation, q.subject, q.confidence = "report.stated_ratio", "change", name, 0.85
                    q.attrs["direction"] = "decrease" if re.search(r"减|降|节约", verb) else "increase"
                    q.attrs["ref_delta"] = self._ensure_ref(delta)
                    base = self._each_amounts.get(name)
                    if base is not None:
                        q.attrs["ref_base"] = self._ensure_ref(base)
                elif q.kind == "money" and re.search(r"减|增|降|升|提高|节约", verb):
                    q.key, q.subject, q.confidence = "report.change.amount", name, 0.85
                    q.attrs["direction"] = "decrease" if re.search(r"减|降|节约", verb) else "increase"
                    base = self._each_amounts.get(name)
                    if base is not None:
                        q.attrs["ref_base"] = self._ensure_ref(base)
                    self._each_deltas[name] = q
                elif q.kind == "money":
                    entry = self.lex.entries.get(_canon(name))
                    if entry is not None and entry.kind == "direct" and entry.value_kind == "money":
                        q.key, q.subject, q.confidence = entry.name, self.lex.names.get(entry.name, name), 0.85
                    else:
                        q.key, q.subject, q.confidence = "report.metric", name, 0.7
                    self._each_amounts[name] = q
                else:
                    continue
                q.emit = True
                self._common_attrs(q, sent, q.start)

    def _number_run(self, sent: _Sent, start: int, n: int) -> list[_Q]:
        """Up to ``n`` figures printed one after the other from ``start``, separated only by commas or 、."""
        run: list[_Q] = []
        pos = start
        for q in sent.quants:
            if q.start < pos:
                continue
            if not re.fullmatch(r"[\s,，、]*", self.text[pos:q.start]) or (run and pos == q.start):
                break
            run.append(q)
            pos = q.end
            if len(run) == n:
                break
        return run

    def _bare_project(self, a: int, b: int) -> str:
        """A project named without quotes right before its measure word ("人才经费年初预算…"), or ""."""
        t = re.sub(r"^[\s\d.、．()（）]+", "", self.text[a:b]).strip()
        t = "".join(ch for ch in t if ch not in _QUOTES)
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,30}", t) or not _PROJECT_END.search(t):
            return ""
        return "" if any(ent.kind in ("direct", "topic") for _, _, ent in self.lex.matches(t, 0, len(t))) else t

    def _names_a_line(self, title: str) -> bool:
        """Whether a numbered heading's title is the bare name of a 科目 line or a project ("行政运行",
        "党建工作经费") rather than a section title ("收入支出决算总体情况说明", "部门职能")."""
        t = _canon(title)
        if not 2 <= len(t) <= 40 or re.search(r"\d", t) or _SECTION_TITLE_END.search(t):
            return False
        return not any(ent.kind in ("topic", "measure") or ent.name in _SECTION_KEYS
                       for _, _, ent in self.lex.matches(t, 0, len(t)))

    def _clause_key(self, q: _Q, seg0: int, sent: _Sent) -> None:
        """A generic label ("采购金额", "预算金额") named by the words of its clause group ("在其他政府采购项目
        中，由中小企业供应商中标或成交的，采购金额…"): rules in narrative_labels.json "clause_keys"."""
        text = self.text
        lo = sent.start
        for i in range(q.start - 1, sent.start - 1, -1):
            if text[i] in "；;。":
                lo = i + 1
                break
        group = _canon(text[lo:q.start])
        near = _canon(text[max(lo, q.start - 12):q.start])
        clause = _canon(text[max(lo, seg0):q.start])
        for words in (clause, group):  # the figure's own clause first, then its clause group
            for key, labels, need, bar in self.lex.clause_keys:
                if not any(near.rstrip("为是:：").endswith(lab) for lab in labels):
                    continue
                if all(w in words for w in need) and not any(w in words for w in bar):
                    q.key = key
                    q.subject = self.lex.names.get(key, "")
                    q.measure = ""
                    q.topic = ""
                    q.confidence = 0.85
                    return

    def _qualifier(self, s: int) -> str:
        """The words printed right before a label at ``s`` that make it name something narrower
        ("政府性基金预算" before "财政拨款收入"), or "" when there are none or they only say whose or which
        year it is ("…局2025年度", "本年", "其中：")."""
        text = self.text
        i = s
        while i > 0 and ("\u4e00" <= text[i - 1] <= "\u9fff" or text[i - 1] in _QUOTES):
            i -= 1
        prefix = "".join(ch for ch in text[i:s] if ch not in _QUOTES)
        prefix = _PREFIX_LEAD.sub("", prefix)  # "…252.91万元以及资本性支出": the unit and the conjunction
        rest = prefix
        while rest:
            if _OWNER_END.search(rest):
                return ""  # "…文化和旅游局": whose figure it is
            m = _HARMLESS_PREFIX.search(rest)
            if not m:
                break
            rest = rest[:m.start()]
        if not rest:
            return ""
        for _, end, ent in self.lex.matches(prefix, 0, len(prefix)):
            if ent.kind in ("direct", "topic") and end == len(prefix):
                return ""  # two labels side by side ("基本支出人员经费"): the nearest one names the figure
        return prefix if len(prefix) >= 2 else ""

    def _aside(self, q: _Q, sent: _Sent) -> int:
        """Where a bracketed aside holding ``q`` opens ("0.40万（含外宾接待支出0万元）"), or -1: a figure
        inside "（含…）", "（其中…）", "（不含…）" is a sub-part of the figure before it, never its value."""
        text = self.text
        depth = 0
        i = q.start - 1
        while i >= sent.start:
            ch = text[i]
            if ch in ")）":
                depth += 1
            elif ch in "(（":
                if depth == 0:
                    return i if _ASIDE_WORD.match(text, i + 1) else -1
                depth -= 1
            elif ch in "。；;":
                return -1
            i -= 1
        return -1

    def _comparison_base(self, q: _Q, seg0: int, sent: _Sent) -> bool:
        """Whether ``q`` is the base of a comparison: inside "与/较/同 … 相比" whatever lies between
        ("与上年收、支总计1646.08万元相比"), or after "比" and before the change ("比2023年度支出合计X万元增加")."""
        text = self.text
        lo = sent.start
        for i in range(q.start - 1, sent.start - 1, -1):
            if text[i] in "。；;，,：:":
                lo = i + 1
                break
        before = text[lo:q.start]
        after = text[q.end:min(sent.end, q.end + 12)]
        if _COMPARE_OPEN.search(before) and _COMPARE_CLOSE.match(after):
            return True
        m = _BI_OPEN.search(before)
        if m and _BI_CLOSE.match(after):
            return True
        # "较2023年度（3145.04万元）减少…": last year's figure in brackets after the comparison word
        return bool(_BASE_IN_BRACKETS.search(text, max(sent.start, q.start - 24), q.start))

    def _topic_key(self, q: _Q, topic_id: str, measure: str) -> None:
        topic = self.lex.topics[topic_id]
        q.topic = topic_id
        q.key = topic["keys"].get(measure) or topic["keys"][topic["default"]]
        q.subject = self.lex.names.get(q.key, "")
        q.confidence = 0.85

    def _set_project(self, q: _Q, name: str, kind: str, measure: str) -> None:
        ctx = self.lex.contexts["project"]
        q.key = ctx.get(measure) or ctx[ctx["default"]]
        q.subject = name.strip()
        q.topic = "project"
        q.measure = measure
        q.attrs["project_kind"] = kind if kind.endswith("项目") and kind != "项目" else ""
        q.confidence = 0.85

    def _project_context(self, q: _Q, sent: _Sent, projects, seg0: int) -> None:
        """An unlabelled amount right after a project name and "金额" ("年中追加项目“X”，金额3万元")."""
        before = [p for p in projects if p[1] <= q.start]
        if not before:
            return
        s, e, kind, name = before[-1]
        between = self.text[e:q.start]
        if re.fullmatch(r"[\s,，:：]*(?:金额|资金|预算|安排)?(?:为|共|计)?[\s:：]*", between):
            self._set_project(q, name, kind, "budget")

    def _measure_in(self, lex_matches, a: int, b: int) -> str:
        ms = [ent.name for s, e, ent in lex_matches if ent.kind == "measure" and s >= a and e <= b]
        return ms[-1] if ms else ""

    def _inherited_measure(self, q: _Q, sent: _Sent, list_words) -> str:
        """Inside "预算数为1.8万元，其中：公务接待费1.8万元、…" a part takes the measure of the whole."""
        words = [p for p, _ in list_words if p < q.start]
        if not words:
            return ""
        w = words[-1]
        before = [x for x in sent.quants if x.end <= w and x.kind == "money" and x.measure]
        return before[-1].measure if before else ""

    def _resolve_count(self, q: _Q, seg0: int, sent: _Sent, lex_matches) -> None:
        cands = [(s, e, ent) for s, e, ent in lex_matches
                 if s >= seg0 and e <= q.start and ent.kind == "direct" and ent.value_kind == "count"]
        best = self._rightmost(cands)
        if best is not None:
            q.key = best[2].name
            q.subject = self.lex.names.get(q.key, "")
            if q.kind == "bare":
                q.kind = "count"
                q.unit = "人"
            q.confidence = 0.9
            return
        if q.kind == "bare":
            return
        q.key = "report.metric"
        q.subject = self._label_text(seg0, q)
        q.confidence = 0.6

    def _resolve_score(self, q: _Q, seg0: int, sent: _Sent) -> None:
        seg = _canon(self.text[seg0:q.start])
        head = _canon(self.text[sent.start:q.start]) + "/" + _canon(self._section())
        before = _canon(self.text[sent.start:q.start])
        found = [(before.rfind(w), len(w), name) for name, w in self.lex.level1 if w in before]
        level1 = max(found)[2] if found else None
        if level1 is None:
            level1 = next((name for name, w in self.lex.level1 if w in head), None)
        raw_seg = self.text[seg0:q.start]
        if level1 and re.search(r"[(（]\s*(?:分值|权重)?\s*[:：]?\s*$", raw_seg) and re.search(r"[)）]", self.text[q.end:q.end + 2]):
            q.key = f"report.level1_weight.{level1}"  # "产出指标(40分)": the weight in brackets after the name
            q.subject = level1
            q.confidence = 0.8
            return
        if level1 and re.search(r"(?:得|得分|得分为|实际得分)\s*$", raw_seg) and "总" not in raw_seg:
            q.key = f"report.level1_score.{level1}"  # "产出指标(40分)得40.00分"
            q.subject = level1
            q.confidence = 0.8
            return
        if "分值" in seg or "总分" in seg and "得分" not in seg:
            if level1:
                q.key = f"report.level1_weight.{level1}"
                q.subject = level1
                q.confidence = 0.8
            return
        if "得分" in seg or "评分" in seg:
            direct = [ent for _, _, ent in self.lex.matches(self.text, seg0, q.start)
                      if ent.value_kind == "score"]
            if direct:
                q.key = "report.total_score"
                q.subject = "自评总分"
                q.confidence = 0.85
            elif level1 and "评价得分" in seg:
                q.key = f"report.level1_score.{level1}"
                q.subject = level1
                q.confidence = 0.8
            elif re.search(r"自查评分|自评得分|综合得分|总得分|自评总分|自评分", seg):
                q.key = "report.total_score"
                q.subject = "自评总分"
                q.confidence = 0.8

    # -- lists -------------------------------------------------------------------------------------------
    def _lists(self, sent: _Sent, labelled: list[_Q], list_words, para_lists: list[_List]) -> None:
        money = [q for q in labelled if q.kind == "money" and q.key]
        # "人员经费95.36万元，主要包括：基本工资、津贴补贴…；公用经费10.23万元": a 包括 that lists words, not
        # figures, opens no list and does not end the one around it
        kept_words = []
        for i, (pos, word) in enumerate(list_words):
            stop = list_words[i + 1][0] if i + 1 < len(list_words) else sent.end
            semi = _SEMICOLON.search(self.text, pos, stop)
            stop = semi.start() if semi else stop
            if i == 0 or any(pos < q.start < stop for q in money):
                kept_words.append((pos, word))
        list_words = kept_words
        made = False
        made_lists: list[_List] = []
        for i, (pos, word) in enumerate(list_words):
            nxt = list_words[i + 1][0] if i + 1 < len(list_words) else sent.end
            end = nxt
            if made_lists:
                # a list inside a part of an earlier one ("其中：基本支出750万元，包括人员经费…、公用经费…；项目支出…")
                # ends at the next "；", and what follows it goes on with the enclosing list
                semi = _SEMICOLON.search(self.text, pos, nxt)
                if semi:
                    end = semi.start()
            parts = [q for q in money
                     if pos < q.start < end and q.key != "report.change.amount" and not q.group]
            if not parts:
                continue
            before = [q for q in money if q.end <= pos and q.key != "report.change.amount" and not _is_prior(q)]
            if not before:
                prev = [q for q in self.qs
                        if q.para == sent.para and q.end <= sent.start and q.kind == "money" and q.key
                        and q.key != "report.change.amount" and not _is_prior(q)]
                before = prev[-1:]
            if not before:
                continue
            whole = before[-1]
            lst = self._make_list(whole, parts, word)
            para_lists.append(lst)
            made = True
            if end < nxt:
                outer = made_lists[-1]
                for q in money:
                    if end < q.start < nxt and q.key != "report.change.amount" and not q.group:
                        self._add_part(outer, q)
            made_lists.append(lst)
        if not made and para_lists and money:
            # "…包括人员支出861.29万元，占73.6%…。公用支出308.86万元，占26.4%" continues the list
            lst = para_lists[-1]
            first = money[0]
            fam = self.lex.family.get(first.key)
            siblings = fam is not None and any(self.lex.family.get(p.key) == fam for p in lst.parts)
            if not first.group and siblings:
                self._add_part(lst, first)
        if self.intro is not None and not made:
            for q in money:
                if q.group or q.key == "report.change.amount" or q is self.intro.whole:
                    continue
                if q.key in self.lex.family:
                    self._add_part(self.intro, q)

    def _make_list(self, whole: _Q, parts: list[_Q], word: str) -> _List:
        g = self._group()
        if not whole.group:
            whole.group, whole.role = g, "whole"
        lst = _List(whole, [], word, g)
        self.lists.append(lst)
        for p in parts:
            self._add_part(lst, p)
        return lst

    def _add_part(self, lst: _List, q: _Q) -> None:
        q.group, q.role = lst.group, "part"
        q.list_whole = lst.whole
        if q.key == "report.metric" and lst.whole.key in ("report.project", "report.project.actual"):
            q.key = "report.project.actual"
            q.attrs["project_kind"] = ""
        lst.parts.append(q)

    # -- percents ----------------------------------------------------------------------------------------
    def _resolve_percent(self, q: _Q, seg0: int, sent: _Sent, labelled: list[_Q]) -> None:
        text = self.text
        seg = text[seg0:q.start]
        q.key = "report.stated_ratio"
        q.confidence = 0.85
        before = [x for x in labelled if x.end <= q.start]
        since_pct = []
        for x in reversed(before):
            if x.kind == "percent":
                break
            since_pct.insert(0, x)
        if _FROM.search(seg) or (_TO.search(seg) and any(x.attrs.get("point") == "from" for x in before)):
            q.relation = "other"
            return
        prev_budget = since_pct[-1] if since_pct else None
        if (not _COMPLETION.search(seg) and prev_budget is not None and re.fullmatch(r"\s*的\s*", seg)
                and prev_budget.kind == "money" and _BUDGET_OF.search(text, sent.start, prev_budget.start)):
            # "支出决算2257.39万元，为年初预算821.40万元的274.82%": the budget stands inside the phrase
            q.relation = "completion"
            num = next((x for x in reversed(since_pct[:-1]) if x.kind == "money" and x.key
                        and x.key != "report.change.amount"), None)
            g = self._group()
            for x, role in ((num, "numerator"), (prev_budget, "denominator")):
                if x is None:
                    continue
                if not x.group:
                    x.group, x.role = g, role
                q.attrs[f"ref_{role}"] = self._ensure_ref(x)
            q.group, q.role = g, "ratio"
            q.subject = (num.subject if num else "") or prev_budget.subject
            return
        if _COMPLETION.search(seg):
            q.relation = "completion"
            money = [x for x in since_pct if x.kind == "money" and x.key and x.key != "report.change.amount"]
            budgets = [x for x in money if x.measure in _BUDGET_MEASURES or x.key.endswith("budget")]
            den = budgets[-1] if budgets else None
            # the budget the phrase names ("完成年初预算的", "完成全年预算的") is the denominator, wherever it stands
            phrase = _COMPLETION.search(seg).group()
            named_measure = "initial" if "年初" in phrase else "budget" if re.search(r"全年|调整", phrase) else ""
            if named_measure:
                named = [x for x in budgets if x.measure == named_measure
                         or (named_measure == "initial" and x.key.endswith("initial_budget"))]
                if named and named[-1] is not den:
                    q.attrs["ref_other_denominator"] = self._ensure_ref(den)
                    den = named[-1]
            num = next((x for x in reversed(money) if x is not den and x.measure not in _BUDGET_MEASURES
                        and not x.key.endswith(("budget",)) and x.key != "report.change.amount"), None)
            g = None
            for x, role in ((num, "numerator"), (den, "denominator")):
                if x is None:
                    continue
                if not x.group:
                    g = g or self._group()
                    x.group, x.role = g, role
                q.attrs[f"ref_{role}"] = self._ensure_ref(x)
            q.group = g or (num.group if num else den.group if den else self._group())
            q.role = "ratio"
            q.subject = (num.subject if num else "") or (den.subject if den else "")
            return
        named = _SHARE_NAMED.search(seg)
        bare = _SHARE_BARE.search(seg)
        if named or bare:
            q.relation = "share"
            clause0 = q.start
            while clause0 > sent.start and text[clause0 - 1] not in _CLAUSE:
                clause0 -= 1
            own_clause = text[clause0:q.start].strip()
            lo = sent.start if re.match(r"[(（]?\s*占", own_clause) else clause0
            part = next((x for x in reversed(since_pct) if x.kind in ("money", "count") and x.start >= lo
                         and x.key != "report.change.amount"), None)
            if part is None:
                q.relation = "other"
                q.subject = self._label_text(seg0, q)
                return
            whole = None
            whole_name = named.group("whole").strip() if named else ""
            whole_name = "" if whole_name == "比" else whole_name
            if whole_name:
                q.attrs["whole_name"] = whole_name
                whole = self._named_whole(whole_name, part)
            elif part.list_whole is not None:
                whole = part.list_whole
            elif self.intro is not None and self.intro.whole is not part:
                whole = self.intro.whole
            else:
                whole = self._usual_whole(part, sent)
            q.attrs["ref_part"] = self._ensure_ref(part)
            if whole is not None:
                q.attrs["ref_whole"] = self._ensure_ref(whole)
            if not part.group:
                part.group, part.role = self._group(), "part"
            q.group, q.role = part.group, "ratio"
            q.subject = part.subject
            return
        if _CHANGE_PCT.search(seg):
            q.relation = "change"
            delta = next((x for x in reversed(since_pct) if x.key == "report.change.amount"), None)
            if delta is None:
                q.relation = "other"
                q.subject = self._label_text(seg0, q)
                return
            q.attrs["direction"] = "decrease" if re.search(r"减|降|节约|节省|压", seg) else "increase"
            base = self._change_base(delta, sent)
            if not delta.group:
                delta.group, delta.role = self._group(), "delta"
            q.group, q.role = delta.group, "ratio"
            q.attrs["ref_delta"] = self._ensure_ref(delta)
            if base is not None:
                q.attrs["ref_base"] = self._ensure_ref(base)
                delta.attrs["ref_base"] = self._ensure_ref(base)
                delta.subject = delta.subject or base.subject
            q.subject = delta.subject
            return
        q.relation = "other"
        q.subject = self._label_text(seg0, q)

    def _usual_whole(self, part: _Q, sent: _Sent) -> _Q | None:
        """"基本支出895.76万元，占76.00%" after "支出决算1202.44万元。": the total the part is a share of, stated
        last in the same section (narrative_labels.json "share_wholes")."""
        key = self.lex.share_wholes.get(part.key)
        if not key:
            return None
        cands = [x for x in self.qs if x.key == key and x.start < part.start and x.emit and not _is_prior(x)
                 and x.sent >= 0 and self.sents[x.sent].section == sent.section]
        return cands[-1] if cands else None

    def _change_base(self, delta: _Q, sent: _Sent) -> _Q | None:
        def ok(x: _Q) -> bool:
            return bool(x.kind == delta.kind and x.key and x.key != "report.change.amount"
                        and x.list_whole is None and x.measure not in _BUDGET_MEASURES and x.emit
                        and not _is_prior(x))
        cands = [x for x in sent.quants if x.end <= delta.start and ok(x)]
        if cands:
            return cands[-1]
        prev = [x for x in self.qs if x.para == sent.para and x.end <= sent.start and ok(x)]
        return prev[-1] if prev else None

    def _named_whole(self, name: str, part: _Q) -> _Q | None:
        """The quantity a share names as its whole ("占基本支出的90.30%", "占总提拔重用人数的51%")."""
        cname = _canon(name)
        cands = [x for x in self.qs
                 if x.emit and x.start < part.start and x is not part and x.kind == part.kind
                 and x.key not in ("report.change.amount", "report.stated_ratio")]
        hits = self.lex.matches(cname, 0, len(cname))
        keys = set()
        for s, e, ent in hits:
            if ent.kind == "direct" and s == 0 or (ent.kind == "direct" and len(cname) - e <= 3):
                keys.add(ent.name)
            elif ent.kind == "topic":
                t = self.lex.topics[ent.name]
                keys.update(t["keys"].values())
        if keys:
            by_key = [x for x in cands if x.key in keys]
            if by_key:
                sec = self.sents[part.sent].section if part.sent >= 0 else None
                same_sec = [x for x in by_key if self.sents[x.sent].section == sec]
                return (same_sec or by_key)[-1]
        if part.kind != "count" and not keys:
            pass
        target = canonical_subject(cname)
        target = re.sub(r"^(?:总|全部|所有|有)", "", target)
        for n in range(len(target), 1, -1):
            for i in range(0, len(target) - n + 1):
                frag = target[i:i + n]
                for x in reversed(cands):
                    if x.key == "report.metric" and frag and _subsequence(frag, canonical_subject(x.subject)):
                        return x
        return None

    def _ensure_ref(self, q: _Q) -> str:
        if not q.ref:
            q.ref = self._ref()
        return q.ref

    # -- "从a提高到b" ----------------------------------------------------------------------------------------
    def _from_to(self, sent: _Sent, labelled: list[_Q], segs: dict[int, int]) -> None:
        text = self.text
        head_cut = re.search(r"[,，;；:：]", text[sent.start:sent.end])
        head = text[sent.start: sent.start + head_cut.start()] if head_cut else ""
        topic = re.sub(r"(?:相较于|相比于|相比|较|与|比|同比|对比)[^,，]*$", "", head).strip()
        topic = re.sub(r"^\d+[.、]", "", topic)
        for i, q in enumerate(labelled):
            seg0 = segs[id(q)]
            seg = text[seg0:q.start]
            if _FROM.search(seg) and q.kind in ("percent", "count", "money"):
                nxt = labelled[i + 1] if i + 1 < len(labelled) else None
                if nxt is None or not _TO.search(text[q.end:nxt.start]) or nxt.kind != q.kind:
                    continue
                scope = self._label_text(seg0, q)
                scope = re.sub(r"从\s*$", "", scope).strip(" ,，")
                g = self._group()
                for x, point in ((q, "from"), (nxt, "to")):
                    x.key = "report.metric"
                    x.relation = ""
                    x.attrs.pop("ref_part", None)
                    x.attrs["point"] = point
                    x.subject = scope
                    x.attrs["topic"] = topic
                    x.group, x.role = g, point
                    x.emit = True
                    x.confidence = 0.7

    def _object(self, q: _Q, sent: _Sent) -> None:
        """What a count counts when it is printed after the number ("选派412名机关党员、干部" → 机关党员),
        and whether the number is a bound ("单位价值50万元以上") rather than a quantity."""
        text = self.text
        after = text[q.end:sent.end]
        bound = re.match(r"\s*(?:及)?(以上|以下|以内)", after)
        if bound:
            q.attrs["bound"] = "lower" if bound.group(1) == "以上" else "upper"
            after = after[bound.end():]
        m = re.match(r"[^,;:。!?，；：！？、()（）]{0,12}", after)
        obj = m.group().strip() if m else ""
        if obj:
            q.attrs["object"] = obj

    # -- attributes shared by every figure -----------------------------------------------------------------
    def _common_attrs(self, q: _Q, sent: _Sent, seg0: int) -> None:
        if id(q) not in self._q_ids:
            self._q_ids.add(id(q))
            self.qs.append(q)
        q.attrs["_seg0"] = seg0
        year = self._year_for(q, sent, seg0)
        if year:
            q.attrs["year"] = year
        if q.key == "report.change.amount":
            return
        m = _PRIOR_BEFORE.search(self.text, max(seg0, q.start - 30), q.start)
        clause0 = seg0
        while clause0 > sent.start and self.text[clause0 - 1] not in "，,；;。:：":
            clause0 -= 1
        title_year = next((int(f.value) for f in self.extra if f.key == "report.year"), None)
        if m:
            # the base of a comparison, not this year's figure ("比上年决算6.50万元", "较2023年的…")
            q.attrs["period"] = "prior"
            if m.group("y"):
                q.attrs["year"] = int(m.group("y"))
            else:
                q.attrs.pop("year", None)
        elif _PRIOR_CLAUSE.match(self.text, clause0, q.start):
            q.attrs["period"] = "prior"  # "上年收、支总计31,450,400.00元": the clause is about last year
            q.attrs.pop("year", None)
        elif self._comparison_base(q, seg0, sent):
            q.attrs["period"] = "prior"  # "与上年收、支总计X万元相比": inside 与…相比 is the base
            q.attrs.pop("year", None)
            y = _YEAR.search(self.text, max(sent.start, q.start - 40), q.start)
            if y:
                q.attrs["year"] = int(y.group(1))
        elif title_year and isinstance(q.attrs.get("year"), int) and q.attrs["year"] < title_year:
            q.attrs["period"] = "prior"  # "2023年度为73.53万元" in a 2024 report
        if q.attrs.get("period") == "prior" and q.key == "report.metric":
            # a base printed without its label is of the quantity the sentence is about
            same = [x for x in sent.quants if x.end <= q.start and x.kind == q.kind and x.key
                    and x.key not in ("report.metric", "report.change.amount") and not _is_prior(x)]
            if same:
                x = same[-1]
                q.key, q.subject, q.topic, q.measure = x.key, x.subject, x.topic, x.measure
                q.confidence = min(q.confidence, x.confidence)
                q.attrs.pop("_uncertain", None)

    def _year_for(self, q: _Q, sent: _Sent, seg0: int) -> int | None:
        text = self.text
        clause0 = seg0
        while clause0 > sent.start and text[clause0 - 1] not in _CLAUSE:
            clause0 -= 1
        spans = [(clause0, q.start)]
        head = re.search(r"[,，;；:：]", text[sent.start:q.start])
        if head and sent.start + head.start() < clause0:
            spans.append((sent.start, sent.start + head.start()))
        for a, b in spans:
            best = None
            for m in _YEAR.finditer(text, a, b):
                after = text[m.end():m.end() + 4]
                if not m.group(2) and not re.match(r"全年|决算|我|本|部门|预算|上半年|下半年", after):
                    continue
                if _COMPARE_BEFORE.search(text[max(a, m.start() - 4):m.start()]):
                    continue
                if re.match(r"\s*(?:以来|相比|比|同期)", after) or re.match(r"\s*(?:年)?(?:底|末)?以来", after):
                    continue
                best = int(m.group(1))
            if best:
                return best
        return None

    # -- text-level statements ------------------------------------------------------------------------------
    def _titles(self, a: int, b: int, *, is_heading: bool) -> None:
        text = self.text
        para = text[a:b].strip()
        short = ((b - a) <= 60 and "。" not in para) or is_heading
        seen = set()
        rxs = [_YEAR_ACCOUNTS] + ([_YEAR_TITLE] if short else [])
        for rx in rxs:
            for m in rx.finditer(text, a, b):
                if m.start(1) in seen:
                    continue
                seen.add(m.start(1))
                page, bbox = self.stream.span(m.start(1), m.end(1))
                self.extra.append(Field(
                    key="report.year",
                    value=Decimal(m.group(1)),
                    unit="年",
                    raw=text[m.start():m.end()],
                    source=SourceRef(self.doc, page, bbox),
                    label=f"{self.prefix}：年度（{text[m.start():m.end()][:24]}）",
                    confidence=0.8,
                    form=self.form,
                    attrs={"role": "title", "sentence": text[a:b][:200], "section": self._section(),
                           "year": int(m.group(1)), "_pos": m.start(1)},
                ))

    def _placeholders(self, a: int, b: int) -> None:
        """Template instructions left in a paragraph: one statement per paragraph, the phrases listed."""
        text = self.text
        hits = []
        for rx in self.lex.placeholders:
            for m in rx.finditer(text, a, b):
                hits.append((m.start(), m.end()))
        hits = [h for h in hits if not any(o != h and o[0] <= h[0] and h[1] <= o[1] for o in hits)]
        if not hits:
            return
        hits.sort()
        s, e = hits[0]
        page, bbox = self.stream.span(s, e)
        phrases = "、".join(dict.fromkeys(text[x:y] for x, y in hits))
        self.extra.append(Field(
            key="report.placeholder",
            value=phrases,
            unit="",
            raw=text[s:e],
            source=SourceRef(self.doc, page, bbox),
            label=f"{self.prefix}：模板提示语",
            confidence=0.9,
            form=self.form,
            attrs={"sentence": text[a:b].strip()[:300], "section": self._section(), "_pos": s},
        ))

    def _grade(self, a: int, b: int) -> None:
        text = self.text
        for m in _GRADE.finditer(text, a, b):
            page, bbox = self.stream.span(m.start("g"), m.end("g"))
            self.extra.append(Field(
                key="report.grade",
                value=m.group("g"),
                unit="",
                raw=m.group("g"),
                source=SourceRef(self.doc, page, bbox),
                label=f"{self.prefix}：评价等次",
                confidence=0.85,
                form=self.form,
                attrs={"sentence": text[a:b][:200], "section": self._section(), "_pos": m.start("g")},
            ))

    # -- output --------------------------------------------------------------------------------------------
    def _field(self, q: _Q) -> Field:
        page, bbox = self.stream.span(q.start, q.end)
        sent = self.sents[q.sent] if q.sent >= 0 else None
        attrs: dict[str, Any] = {}
        if sent is not None:
            attrs["sentence"] = self.text[sent.start:sent.end].strip()
            attrs["section"] = sent.section
        if q.subject:
            attrs["subject"] = q.subject
        if q.group:
            attrs["group"] = q.group
            attrs["role"] = q.role
        if q.relation:
            attrs["relation"] = q.relation
        if q.topic and q.topic not in ("department",):
            attrs.setdefault("topic", q.topic)
        if q.measure:
            attrs["measure"] = q.measure
        if q.approx:
            attrs["approx"] = 1
        q.ref = q.ref or self._ref()
        attrs["ref"] = q.ref
        for k, v in q.attrs.items():
            if k.startswith("_"):
                continue
            attrs[k] = v
        if q.list_whole is not None:
            lst = next((x for x in self.lists if q in x.parts), None)
            attrs["ref_whole"] = self._ensure_ref(q.list_whole)
            if lst is not None:
                attrs["list_kind"] = self._list_kind(lst)
                attrs["list_word"] = lst.word
        lst_w = next((x for x in self.lists if x.whole is q and x.parts), None)
        if lst_w is not None and q.role == "whole":
            attrs["list_kind"] = self._list_kind(lst_w)
            attrs["list_word"] = lst_w.word
        attrs["frame"] = self._frame(q)
        attrs["_pos"] = q.start
        return Field(
            key=q.key,
            value=q.value,
            unit=q.unit,
            raw=q.raw,
            source=SourceRef(self.doc, page, bbox),
            label=self._label(q),
            confidence=q.confidence,
            form=self.form,
            attrs=attrs,
        )

    def _frame(self, q: _Q) -> dict[str, Any]:
        """The figure's frame (docs/fields-extended.md): subject, scope, period, measure, and whether all of
        them are explicit.  Checks give an error only on complete frames (``core.model.uncertainty``)."""
        key = q.key
        if q.attrs.get("scope") == "subpart":
            scope = "subpart"
        elif q.topic == "item" or key.startswith(("report.item.", "report.class.")):
            scope = "line"
        elif q.topic == "project" or key.startswith("report.project."):
            scope = "project"
        elif key == "report.metric" or (key == "report.stated_ratio" and q.relation == "other"):
            scope = "unknown"
        else:
            scope = "department"
        year = q.attrs.get("year")
        if (q.attrs.get("period") == "prior" or q.attrs.get("point") == "from"
                or (isinstance(year, int) and self.report_year and year < self.report_year)):
            period = "prior"
        elif q.measure == "initial" or key.endswith("initial_budget"):
            period = "budget_initial"
        elif q.measure in ("budget", "budget_any") or key.endswith((".budget", "annual_budget", "_budget")):
            period = "budget_full"
        else:
            period = "current"
        if key == "report.stated_ratio":
            measure = {"share": "share", "completion": "completion", "change": "change_rate"}.get(q.relation, "other")
            if q.attrs.get("range"):
                measure = "range"
            operand = self._operand(q)
            if operand is not None and operand is not q:
                inner = self._frame(operand)  # a rate is of its operands' scope ("完成年初预算的98.69%" of a 项)
                scope = inner["scope"] if scope != "unknown" or inner["scope"] != "department" else scope
                if not q.subject:
                    q.subject = operand.subject
        elif key == "report.change.amount":
            measure = "change"
        elif q.kind == "count":
            measure = "count"
        elif q.kind == "score":
            measure = "score"
        elif q.attrs.get("range"):
            measure = "range"
        else:
            measure = "amount"
        why = q.attrs.get("_uncertain", "")
        if not why and not q.subject and key in ("report.metric", "report.stated_ratio"):
            why = "未能确定所说的是哪个数"
        subject = _MEASURE_TAIL.sub("", q.subject) or q.subject  # "“三公”经费预算": the thing is 三公经费
        frame: dict[str, Any] = {"subject": subject, "scope": scope, "period": period, "measure": measure,
                                 "complete": not why}
        if why:
            frame["why"] = why
        return frame

    def _report_year(self) -> int | None:
        """The year the document reports on: the year of its title ("2024年度部门决算"), else the latest year
        its figures are said to be of."""
        titles = [int(f.value) for f in self.extra if f.key == "report.year"]
        if titles:
            return max(set(titles), key=titles.count)
        years = [q.attrs["year"] for q in self.qs if isinstance(q.attrs.get("year"), int)]
        return max(years) if years else None

    def _operand(self, q: _Q) -> _Q | None:
        """The figure a stated rate is of: its numerator, part or change."""
        if not hasattr(self, "_by_ref"):
            self._by_ref = {x.ref: x for x in self.qs if x.ref}
        for k in ("ref_numerator", "ref_part", "ref_delta", "ref_denominator"):
            ref = q.attrs.get(k)
            if ref:
                x = self._by_ref.get(ref) or next((y for y in self.qs if y.ref == ref), None)
                if x is not None:
                    return x
        return None

    def _list_kind(self, lst: _List) -> str:
        fams = {self.lex.family.get(p.key) for p in lst.parts}
        if len(lst.parts) >= 2 and len(fams) == 1 and None not in fams:
            return "split"
        return "items"

    def _label(self, q: _Q) -> str:
        name = self.lex.names.get(q.key, "")
        if q.key == "report.stated_ratio":
            rel = {"completion": "完成预算比例", "share": "占比", "change": "增减比例"}.get(q.relation, "比例")
            return f"{self.prefix}：{q.subject + rel if q.subject else rel}"
        if q.key.startswith(("report.item.", "report.project.", "report.class.")) and q.subject:
            return f"{self.prefix}：{q.subject}·{name}"
        if q.key.startswith("report.level1_"):
            kind = "分值" if "weight" in q.key else "得分"
            return f"{self.prefix}：{q.subject}{kind}"
        if q.key == "report.metric":
            return f"{self.prefix}：{q.subject or '数量'}"
        if q.key == "report.change.amount":
            return f"{self.prefix}：{q.subject}比上年增减额" if q.subject else f"{self.prefix}：比上年增减额"
        return f"{self.prefix}：{name or q.key}"


_CODE_START = re.compile(r"\s*(\d{7}|\d{5}|\d{3})\s*([\u4e00-\u9fff“”\"（）()]{2,40}?)\s*(?=[，,:：。；;])")
_PROJECT_END = re.compile(r"(?:项目|经费|专项|专项资金|工作经费|补助资金)$")
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


def extract_narrative(doc_id: str, stream: TextStream, form: str) -> list[Field]:
    """Every statement of a quantity in a narrative ``stream`` (``form`` "自评报告" or "决算说明"), in text
    order, plus headings (``report.heading``), template text left in (``report.placeholder``), title years
    (``report.year``) and the stated grade (``report.grade``)."""
    if not stream.text.strip():
        return []
    return _Extractor(doc_id, stream, form).run()


__all__ = ["extract_narrative", "canonical_subject", "lexicon", "FORMS"]
