"""The narrative extractor: drives a document through its paragraphs and sentences; the parts it is made of
(naming, relations, frames, structure) live beside it."""

from __future__ import annotations

import re
from decimal import Decimal

from core.documents.layout import TextStream
from core.documents.paragraphs import paragraphs
from core.extraction.narrative.frames import _FramesMixin
from core.extraction.narrative.grammar import (
    _APPROX_AFTER,
    _APPROX_BEFORE,
    _ARTEFACT,
    _CLASS,
    _CLASS_HINT,
    _CLAUSE,
    _CODE_START,
    _ITEM,
    _LIST_WORD,
    _MONEY_CONTEXT,
    _MULT,
    _NOT_SCORE,
    _PREFIX,
    _PROJECT,
    _PROJECT_END,
    _Q,
    _RANGE_JOIN,
    _SENT_END,
    _SKIP_UNITS,
    _class_code,
    _Heading,
    _List,
    _parse_heading,
    _Sent,
)
from core.extraction.narrative.lexicon import _canon, lexicon
from core.extraction.narrative.naming import _FUND_WORD, _NamingMixin
from core.extraction.narrative.relations import _RelationsMixin
from core.extraction.narrative.structure import _TextMixin
from core.model import Field
from core.numbers import COUNT_UNITS, MONEY_UNITS, find_amounts

# a 科目 code (款 5 digits, 项 7, 支出功能分类 codes start with 2) anywhere in a heading, printed other than
# "（2010301）": "1.2010301行政运行：", "1.【2010301】行政运行。", "1.行政运行（科目编码2010301）："
_CODE_IN_TITLE = re.compile(r"(?<![\d.,，])2\d{4}(?:\d{2})?(?![\d.,，%])(?!\s*(?:元|万|亿|人|个|%))")


class _Extractor(_TextMixin, _NamingMixin, _RelationsMixin, _FramesMixin):
    """One narrative document read once: paragraphs → sentences → figures, each named, related and framed."""

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
        self.item_para = -1  # the paragraph that named it
        self._paras_with_figures: set[int] = set()  # paragraphs holding a figure of self.qs
        self.soft_para = -1  # the paragraph of the numbered item that named soft_item / soft_project
        self.soft_item: str | None = None  # a numbered item's bare name ("1、行政运行：年初预算…")
        self.soft_project: str | None = None  # a numbered item named as a project ("2、党建工作经费：…")
        self.sent_project = ""  # a sentence opened by a project's bare name
        self.report_year: int | None = None
        self.intro: _List | None = None  # "……万元，其中：" / "主要用于以下方面：" waiting for its parts
        self._each_names: list[str] = []  # "收、支总计各…": the coordinated subjects, for the next 各
        self._each_amounts: dict[str, _Q] = {}
        self._each_deltas: dict[str, _Q] = {}
        self._respective: dict[int, tuple[_Q, _Q | None]] = {}  # "分别占…80.00%、20.00%": a later rate → its part

    def _ref(self) -> str:
        self.n_ref += 1
        return f"{self.tag}/n{self.n_ref}"

    def _group(self) -> str:
        self.n_group += 1
        return f"{self.tag}/g{self.n_group}"

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
                    q.attrs.pop("_uncertain", None)  # the subject stays the printed label
        self._grand_totals()
        self._narrowed_parts()
        fields = [self._field(q) for q in self.qs if q.emit]
        fields.extend(self._heading_fields())
        fields.extend(self.extra)
        fields.extend(self._anomalies())
        fields.sort(key=lambda f: (f.attrs.get("_pos", 0)))
        for f in fields:
            f.attrs.pop("_pos", None)
        return fields

    def _narrowed_parts(self) -> None:
        """"一般公共预算财政拨款基本支出1,180.35万元，其中：人员经费1,010.05万元…": the parts of a whole narrowed by a
        fund (in its label or by its heading) or of a fund's total ("财政拨款支出…，其中：基本支出…") are the fund's parts — noted as ``section_scope``, so set against
        the department's 人员经费 printed elsewhere a difference is a warning (``core.checks.registry``)."""
        for lst in self.lists:
            w = lst.whole
            scope = (w.attrs.get("_narrowed") or w.attrs.get("section_scope")
                     or (w.subject if _FUND_WORD.search(w.subject or "") else ""))  # "财政拨款支出…，其中：基本支出…"
            if scope:
                for p in lst.parts:
                    p.attrs.setdefault("section_scope", scope)

    def _grand_totals(self) -> None:
        """A 总计 whose own list holds the 合计 it might have been: "收入总计1500.00万元，其中：本年收入1200.00万元、
        年初结转和结余300.00万元" — a label that may include 结转 (resources/narrative_labels.json ``partial``) is the
        收支总计 when a part of its list is the figure of its key; it is then neither uncertain nor compared with
        the 本年收入."""
        for lst in self.lists:
            w = lst.whole
            if (not w.attrs.get("_uncertain") or w.attrs.get("_fund_part") or w.key == "report.grand_total"
                    or _canon(w.subject) not in self.lex.partial):
                continue
            if any(p.key == w.key and not p.attrs.get("_uncertain") for p in lst.parts):
                w.key = "report.grand_total"
                w.attrs.pop("_uncertain", None)

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
            self.item = h.title if _ITEM.search(h.title) or _CODE_IN_TITLE.search(h.title) else None
            self.item_para = self.soft_para = pi
            self.soft_item = self.soft_project = None
            if self.item is None and h.family in ("ar", "par", "circ") and self._names_a_line(h.title):
                # a 决算说明 lists 科目 lines ("7、对村民委员会和村党支部的补助："); a project says it is one
                if _PROJECT_END.search(h.title) and (self.form != "决算说明" or re.search(r"项目|专项$", h.title)):
                    self.soft_project = h.title
                else:
                    self.soft_item = h.title
            self.intro = None
        else:
            code = _CODE_START.match(text, a2, b)
            if code:  # "2013201行政运行，年初预算…": a 科目 line named by its code
                self.item = f"{code.group(3)}（{code.group(1) or code.group(2)}）"
                self.item_para = pi
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
        classes = [(m.start(), m.end(), _class_name(m)) for m in _CLASS.finditer(text, sent.start, sent.end)
                   if not m.group("code") or _class_code(f"{m.group('coded')}支出") == m.group("code")
                   ] if _CLASS_HINT.search(text, sent.start, sent.end) else []
        list_words = [(m.start(), m.group()) for m in _LIST_WORD.finditer(text, sent.start, sent.end)]
        # an item title inside the sentence ("行政运行（项）。年初预算为…" in one paragraph)
        if not sent.quants and _ITEM.search(text, sent.start, sent.end):
            self.item = text[sent.start:sent.end].strip(" 。")
            self.item_para = sent.para
        elif sent.quants:
            # "一般公共服务（类）组织事务（款）行政运行（项）2024年度年初预算…": the line's name opens the sentence
            lead = None
            for m in _ITEM.finditer(text, sent.start, sent.quants[0].start):
                lead = m
            if lead is not None and not re.search(r"[。；;]", text[sent.start:lead.start()]):
                name = re.sub(r"^[\s\d.、．,，:：]+", "", text[sent.start:lead.end()])
                if name:
                    self.item, self.soft_item, self.soft_project = name, None, None
                    self.item_para = sent.para
        # "社区工作者队伍建设经费，年初预算为86.00万元，…": a first clause that only names a project
        first = re.match(r"[^,，:：;；。]*", text[sent.start:sent.end]).group()
        opener = (self._bare_project(sent.start, sent.start + len(first))
                  if first and not any(q.start < sent.start + len(first) for q in sent.quants) else "")
        # only a name that says it is a project or fund opens a sentence about it ("资金执行率：…" does not)
        self.sent_project = opener if _PROJECT_END.search(opener) else ""
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
            if q.kind == "money" and q.key in ("report.metric", "report.annual_budget", "report.initial_budget",
                                               "report.project.budget", "report.project.actual"):
                self._clause_key(q, seg0, sent)
            if q.kind in ("money", "count") and q.key:
                aside = self._aside(q, sent)
                outer = next((x for x in reversed(labelled) if x.end <= aside), None) if aside >= 0 else None
                if aside >= 0 and (q.key == "report.metric" or outer is None
                                   or (q.key == outer.key and q.measure == outer.measure)):
                    q.key = "report.metric"
                    q.subject = self._label_text(max(seg0, aside + 1), q) or q.subject
                    q.attrs["_scope"] = "subpart"
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


def extract_narrative(doc_id: str, stream: TextStream, form: str) -> list[Field]:
    """Every statement of a quantity in a narrative ``stream`` (``form`` "自评报告" or "决算说明"), in text
    order, plus headings (``report.heading``), template text left in (``report.placeholder``), title years
    (``report.year``) and the stated grade (``report.grade``)."""
    if not stream.text.strip():
        return []
    return _Extractor(doc_id, stream, form).run()


def _class_name(m: re.Match) -> str:
    """The 类 a ``_CLASS`` match names, written "…支出（类）" whichever way it was printed."""
    if m.group(1):
        return m.group()
    return f"{m.group(2) or m.group(3) or m.group('coded')}支出（类）"
