"""Narrative extraction — what a figure is: the label, 科目 line, project or clause words that name it, and the
words that narrow it."""

from __future__ import annotations

import re
from typing import Any

from core.extraction.narrative.grammar import (
    _ASIDE_WORD,
    _BASE_IN_BRACKETS,
    _BI_CLOSE,
    _BI_OPEN,
    _CHANGE_END,
    _COMPARE_CLOSE,
    _COMPARE_OPEN,
    _HARMLESS_PREFIX,
    _LINE_SHADOWED,
    _MEASURE_TAIL,
    _OWNER_END,
    _PREFIX_LEAD,
    _PROJECT_END,
    _Q,
    _SECTION_KEYS,
    _SECTION_TITLE_END,
    _class_code,
    _head_match,
    _Sent,
)
from core.extraction.narrative.lexicon import _QUOTES, _canon, _Entry

# what may stand before a label in a section title without making it a name of its own
_QUALIFIER = re.compile(r"(?:本年度?|本部门|本单位|部门|单位|机关|[0-9]{4}年度?)*"
                        r"(?:一般公共预算|政府性基金预算?|国有资本经营预算|财政拨款|年初|全年|调整后)*")


class _NamingMixin:
    """What a figure is: the label, 科目 line, project or clause words that name it, and the words that narrow it.

    A part of ``_Extractor`` (extractor.py): it reads and sets the extractor's state through ``self``."""

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
        m = _head_match(t)
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
                    q.attrs["_named_topic"] = ent.name
                q.subject = self.lex.names.get(key, "")
                q.attrs["_named"] = True  # the change says what changed
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
            named = self.soft_project if self._near(q, self.soft_para) else None
            named = named or self.sent_project
            if q.key == "report.metric" and named and _SPENT.fullmatch(q.subject or ""):
                self._set_project(q, named, "", "final")  # "…项目，全年预算…，支出188.91万元"
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
        if entry.kind in ("direct", "topic") and (compared := _COMPARED.search(text, e, q.start)):
            # "财政拨款支出大于收入是使用了上年结转50.00万元": the label is what a comparison is about, the figure
            # after it explains the difference — it is not the label's value
            q.key = "report.metric"
            q.subject = self._label_text(seg0, q)
            q.confidence = 0.5
            q.attrs["_uncertain"] = f"“{text[s:e]}”后接比较（{compared.group()}），此数不是它本身"
            return
        if entry.kind in ("direct", "topic"):
            narrow = self._qualifier(s)
            if narrow:
                # "政府性基金预算财政拨款收入", "一般公共预算财政拨款基本支出": a narrower thing than the label names
                label = text[s:e]
                q.key = "report.metric"
                q.subject = narrow + label
                q.confidence = 0.6
                q.attrs["_uncertain"] = f"“{narrow}{label}”是“{label}”的一部分，不作{label}总数"
                q.attrs["_narrowed"] = re.sub(r"^(?:年度|年)", "", narrow + label)  # its list's parts are of it too
                q.attrs["_scope"] = "department"  # the department's own figure, of a narrower thing
                return
        if (entry.kind == "direct" and entry.value_kind == "money" and self.item
                and entry.name in _LINE_SHADOWED and self._in_item_paragraph(q)):
            # inside a 科目 line ("…（项），主要用于…，当年支出决算为82.80万元") a total's label names the line's figure
            measure = self._measure_in(lex_matches, seg0, q.start) or "final"
            q.key = self.lex.contexts["item"].get(measure, self.lex.contexts["item"]["final"])
            q.subject = self.item
            q.topic = "item"
            q.measure = measure
            q.confidence = 0.85
            return
        if entry.kind == "direct" and entry.value_kind == "money":
            self._section_fund(q, text[seg0:q.start], {_canon(text[s:e]), self.lex.names.get(entry.name, "")})
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
                q.attrs["_label"] = _canon(text[s:e])  # as printed: "支出决算" may stand for a thing said before
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
        soft = self._near(q, self.soft_para)
        soft_item = self.soft_item if soft else None
        soft_project = self.soft_project if soft else None
        own = re.sub(r"^[\s\d.、．()（）]+", "", text[seg0:s]).strip()
        bare = "" if self.item or soft_item or soft_project else (
            self._bare_project(seg0, s, e) or (self.sent_project if not _narrowing(own) else ""))
        if bare and measure in self.lex.contexts["item"]:
            self.sent_project = bare  # the rest of the sentence is about it too ("…年初预算X，实际支出Y")
            if self.form == "决算说明" and not _PROJECT_END.search(bare):
                # the 决算说明 lists 科目 lines by name ("行政运行：年初预算…"); a 自评报告 lists projects
                q.key, q.subject, q.topic, q.measure = self.lex.contexts["item"][measure], bare, "item", measure
                q.confidence = 0.8
                return
            self._set_project(q, bare, "", measure)  # "干部教育及管理经费年初预算30.00万元"
            return
        if soft_project and not self.item:
            self._set_project(q, soft_project, "", measure)
            return
        item = self.item or soft_item
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
        thing = self._thing_before(lex_matches, seg0, s)
        if thing:
            # "其中：基本支出年初预算1,000.00万元": the measure of the thing printed right before it, not the
            # department's — a figure of its own (compared only with other statements of the same thing)
            q.key = "report.metric"
            q.subject = thing + text[s:e]
            q.attrs["_scope"] = "department"
            q.attrs["of"] = thing
            q.confidence = 0.8
            return
        if not _MEASURE_THEN.fullmatch(text, e, q.start):
            # "部门决算收入3,268.45万元": the measure word is followed by a thing of its own ("收入") the lexicon
            # does not know — not the department's 决算 (支出) figure
            q.key = "report.metric"
            q.subject = self._label_text(seg0, q)
            q.confidence = 0.5
            q.attrs["_uncertain"] = f"“{text[s:q.start].strip()}”不是已知口径"
            return
        dept = self.lex.contexts["department"]
        q.key = dept.get(measure, "report.metric")
        q.subject = self.lex.names.get(q.key, "")
        q.topic = "department"
        q.confidence = 0.8
        q.attrs["_label"] = _canon(text[s:e])  # the measure word as printed: it may stand for a thing said before

    def _thing_before(self, lex_matches, seg0: int, s: int) -> str:
        """The label of a thing (a direct money label: 基本支出, 一般公共预算财政拨款支出) printed right before the
        measure word at ``s`` in its clause ("基本支出年初预算"), or ""."""
        best = ""
        for ls, le, ent in lex_matches:
            if le == s and ls >= seg0 and ent.kind == "direct" and ent.value_kind == "money":
                label = _canon(self.text[ls:le])
                if len(label) > len(best) and _MEASURE_TAIL.sub("", label) == label:
                    best = label
        return best

    def _in_item_paragraph(self, q: _Q) -> bool:
        """Whether ``q`` stands in the paragraph that named the current 科目 line, or in the paragraph right
        after a heading that only named it ("1、…行政运行（项）。" then "年初预算为…")."""
        return self._near(q, self.item_para)

    def _near(self, q: _Q, para: int) -> bool:
        if q.para == para:
            return True
        return q.para == para + 1 and para not in self._paras_with_figures  # the heading only named it

    def _bare_project(self, a: int, b: int, e: int | None = None) -> str:
        """A thing named without quotes right before its measure word ("人才经费年初预算…", "离任村干部补贴
        年初预算…"): a noun phrase that is neither a label nor only whose/which-year words.  "" otherwise.
        ``e`` is the end of the measure word: a label running into it ("一般公共预算财政拨款支出决算")
        means the words are that label's, not a name."""
        if e is not None and any(ent.kind in ("direct", "topic") and a <= ls < b
                                 for ls, _, ent in self.lex.matches(self.text, a, e)):
            return ""
        t = re.sub(r"^[\s\d.、．()（）]+", "", self.text[a:b]).strip()
        t = "".join(ch for ch in t if ch not in _QUOTES)
        if not (2 <= len(t) <= 30 and all("\u4e00" <= ch <= "\u9fff" for ch in t)) or not _narrowing(t):
            return ""
        return "" if any(ent.kind in ("direct", "topic") for _, _, ent in self.lex.matches(t, 0, len(t))) else t

    def _names_a_line(self, title: str) -> bool:
        """Whether a numbered heading's title is the bare name of a 科目 line or a project ("行政运行",
        "党建工作经费") rather than a section title ("收入支出决算总体情况说明", "部门职能")."""
        t = _canon(title)
        if not 2 <= len(t) <= 40 or re.search(r"\d", t) or _SECTION_TITLE_END.search(t):
            return False
        for s, _, ent in self.lex.matches(t, 0, len(t)):
            if ent.kind == "direct" and s >= 2 and not _QUALIFIER.fullmatch(t[:s]):
                continue  # "社区建设项目支出": a name of its own that ends in a label word
            if ent.kind in ("topic", "measure") or ent.name in _SECTION_KEYS:
                return False
        return True

    def _back_to(self, pos: int, sent: _Sent, stops: str) -> int:
        """Where the stretch of ``sent`` that ends at ``pos`` starts: just after the last of ``stops``."""
        i = pos
        floor = max(sent.start, pos - _REACH)  # a clause is never this long: keeps a sentence of 10,000 figures linear
        while i > floor and self.text[i - 1] not in stops:
            i -= 1
        return i

    def _clause_key(self, q: _Q, seg0: int, sent: _Sent) -> None:
        """A generic label ("采购金额", "预算金额") named by the words of its clause group ("在其他政府采购项目
        中，由中小企业供应商中标或成交的，采购金额…"): rules in narrative_labels.json "clause_keys"."""
        text = self.text
        lo = self._back_to(q.start, sent, "；;。")
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

    def _section_fund(self, q: _Q, clause: str, labels: set[str]) -> None:
        """"二、一般公共预算财政拨款基本支出决算情况说明" then "2024年度基本支出1,000.00万元": a heading that names the
        label narrowed by a fund (财政拨款, 一般公共预算, 政府性基金…) says the bare label below it may be of
        that fund only.  Noted as ``section_scope`` (the heading): its own sentence's arithmetic stays an
        error, a comparison with a figure printed elsewhere is a warning (``core.checks.registry``)."""
        if _FUND_WORD.search(clause):
            return
        for h in reversed(self.stack):
            title = _canon(h.title)
            for label in labels:
                at = title.find(label) if label else -1
                if at > 0 and _FUND_WORD.search(title[:at]):
                    q.attrs["section_scope"] = h.title.strip()[:40]
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
        if not _narrowing(prefix):
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
        lo = self._back_to(q.start, sent, "。；;，,：:")
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
        before = _canon(self.text[sent.start:q.start])
        head = before + "/" + _canon(self._section())
        found = [(before.rfind(w), len(w), name) for name, w in self.lex.level1 if w in before]
        level1 = None
        if found:
            at, length, level1 = max(found)
            # "满意度指标（10分）得分10.00分，预算执行率（10分）得分9.50分": the nearest 一级指标 was scored
            # before this figure, so the figure is another item's (its own label is no 一级指标) — none
            if _SCORED.search(_WEIGHT_FIRST.sub("", before[at + length:], count=1)):
                return
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


_WEIGHT_FIRST = re.compile(r"^\s*[(（][^)）]*[)）]")  # the bracketed 分值 right after a 一级指标's name
_SCORED = re.compile(r"得分?\s*(?:为|了)?\s*[:：]?\s*\d")  # a score given ("得分10.00", "得10")


def _narrowing(prefix: str) -> str:
    """What is left of words printed before a label once whose-and-which-year words are taken off the end
    ("2024年度本部门" → "", "政府性基金预算" → "政府性基金"); "" when nothing narrows (an owner's name ends it)."""
    rest = prefix
    while rest:
        if _OWNER_END.search(rest):
            return ""  # "…文化和旅游局": whose figure it is
        m = _HARMLESS_PREFIX.search(rest)
        if not m:
            break
        rest = rest[:m.start()]
    return rest if len(rest) >= 2 else ""


_MEASURE_THEN = re.compile(
    r"\s*(?:数|额|金额|资金|经费)?\s*(?:的)?\s*(?:为|是|达到|达|共计|共|合计|总计|累计|约|安排|批复|下达|执行|完成|实现|调整为"
    r"|增加|减少|了)*\s*[:：]?\s*")
"""What may stand between a department's measure word and its figure ("决算数为", "年初预算安排")."""

_COMPARED = re.compile(r"大于|小于|高于|低于|多于|少于")
"""A comparison after a label: the figure that follows is not the label's value."""

_FUND_WORD = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本经营")
"""A fund named in a heading or a label: figures under such a heading may be of that fund only."""

_SPENT = re.compile(r"(?:实际)?(?:支出|使用|执行|花费)(?:资金|金额)?")
"""A bare spending word: inside a project's sentence or numbered item it states the project's 实际支出."""


_REACH = 240
"""How far back (characters) a clause or a stretch of a sentence is looked for."""
