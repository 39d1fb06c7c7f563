"""Narrative extraction — the frame of every figure (subject, scope, period, measure, complete) and the Field it
becomes."""

from __future__ import annotations

import re
from typing import Any

from core.extraction.narrative.grammar import (
    _CLAUSE,
    _COMPARE_BEFORE,
    _MEASURE_TAIL,
    _PRIOR_BEFORE,
    _PRIOR_CLAUSE,
    _Q,
    _YEAR,
    _is_prior,
    _List,
    _Sent,
)
from core.extraction.narrative.lexicon import _canon
from core.model import Field, SourceRef


_PERIOD_WORDS = "本上年度当全初调整后的"  # what is left of a bare measure label ("本年年初预算") once its tail is gone


def _own_thing(label: str) -> str:
    """What a label names besides its measure and period words: "" for "本年年初预算", 基本支出 for "基本支出预算"."""
    return _MEASURE_TAIL.sub("", label).strip(_PERIOD_WORDS)


class _FramesMixin:
    """The frame of every figure (subject, scope, period, measure, complete) and the Field it becomes.

    A part of ``_Extractor`` (extractor.py): it reads and sets the extractor's state through ``self``."""

    def _common_attrs(self, q: _Q, sent: _Sent, seg0: int) -> None:
        if id(q) not in self._q_ids:
            self._q_ids.add(id(q))
            self.qs.append(q)
            self._paras_with_figures.add(q.para)
        q.attrs["_seg0"] = seg0
        year = self._year_for(q, sent, seg0)
        if year:
            q.attrs["year"] = year
        if q.key == "report.change.amount":
            return
        m = _PRIOR_BEFORE.search(self.text, max(seg0, q.start - 30), q.start)
        clause0 = self._back_to(seg0, sent, "，,；;。:：")
        title_year = next((int(f.value) for f in self.extra if f.key == "report.year"), None)
        if title_year is None:  # no title: the latest year the sentence states a figure for so far
            years = [x.attrs["year"] for x in sent.quants if x.end <= q.start and isinstance(x.attrs.get("year"), int)]
            title_year = max(years, default=None)
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
        while clause0 > max(sent.start, q.start - 240) and text[clause0 - 1] not in _CLAUSE:
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

    def _frame(self, q: _Q) -> dict[str, Any]:
        """The figure's frame (docs/fields-extended.md): subject, scope, period, measure, and whether all of
        them are explicit.  Checks give an error only on complete frames (``core.model.uncertainty``)."""
        key = q.key
        if q.attrs.get("_scope"):  # set where the words decided it: a sub-part, a narrowed department figure
            scope = q.attrs["_scope"]
        elif q.topic == "item" or key.startswith(("report.item.", "report.class.")):
            scope = "line"
        elif q.topic == "project" or key.startswith("report.project."):
            scope = "project"
        elif key == "report.metric" or (key == "report.stated_ratio" and q.relation == "other"):
            scope = "unknown"
        else:
            scope = "department"
            elliptic = self._elliptic_owner(q)
            if elliptic is not None:  # "1.行政运行支出1000.00万元，年初预算为900.00万元": the 项's budget
                q.attrs["of"] = _MEASURE_TAIL.sub("", elliptic.subject) or elliptic.subject
                self._elliptic_key(q, q.attrs["of"])
                owner = self._frame(elliptic)
                if owner["scope"] != "department":
                    scope = owner["scope"]
                    if scope == "unknown" and not q.attrs.get("_uncertain"):
                        q.attrs["_uncertain"] = f"“{q.subject}”未说明是哪项支出的，前文所说的是“{elliptic.subject}”"
        year = q.attrs.get("year")
        if key == "report.change.amount":
            period = "unknown"  # a change is between two years: the figure of neither
        elif (q.attrs.get("period") == "prior" or q.attrs.get("point") == "from"
                or (isinstance(year, int) and self.report_year and year < self.report_year)):
            period = "prior"
        elif q.measure == "initial":
            period = "budget_initial"
        elif q.measure == "budget":  # 全年预算 / 调整后预算, whatever key the thing budgeted gives it
            period = "budget_full"
        elif key.endswith("initial_budget"):
            period = "budget_initial"
        elif q.measure == "budget_any" or key.endswith((".budget", "annual_budget", "_budget")):
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
                if not inner["complete"] and not q.attrs.get("_uncertain"):
                    q.attrs["_uncertain"] = f"所比的数口径不明确：{inner.get('why', '')}"
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

    def _elliptic_owner(self, q: _Q) -> _Q | None:
        """The figure whose thing a bare measure label stands for: "年初预算为900.00万元" names no thing of its
        own, so after "行政运行支出1000.00万元，" in the same sentence it is that 项's budget (after "本年收入合计
        1000.00万元，" the income's).  The nearest earlier figure of the sentence with a thing of its own; None when
        there is none (the label then reads as the department's)."""
        label = q.attrs.get("_label") or q.subject  # as printed ("支出决算"), not the key's name ("支出合计")
        rest = _own_thing(label) if label else "?"
        if q.sent < 0 or rest not in ("", "支出"):
            return None
        earlier = [x for x in self.sents[q.sent].quants if x.end <= q.start and x.subject
                   and _own_thing(x.subject)]
        if not earlier:
            return None
        owner = earlier[-1]
        if rest and "支出" not in owner.subject:
            return None  # "本年收入合计…，支出决算…": 支出 says it is not the income's
        return owner

    def _elliptic_key(self, q: _Q, thing: str) -> None:
        """A label printed as a bare measure ("支出决算1,000.00万元", "决算数…") but read under a total's key: after
        "基本支出年初预算1,000.00万元，" it is 基本支出's — the key of that thing when it has one, else the figure is
        uncertain (what it is of is the reader's inference)."""
        own = _own_thing(q.subject) if q.subject else ""
        if not own or not q.attrs.get("_label") or _canon(own) == _canon(thing):
            return
        entry = self.lex.entries.get(_canon(thing))
        if entry is not None and entry.kind == "direct" and entry.value_kind == "money" and not q.attrs.get("_uncertain"):
            q.key, q.subject = entry.name, self.lex.names.get(entry.name, thing)
        elif not q.attrs.get("_uncertain"):
            said = f"，前文所说的是“{thing}”" if thing not in ("数量", "") else ""
            q.attrs["_uncertain"] = f"“{q.attrs['_label']}”未写明是哪项的{said}"

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
            if not hasattr(self, "_list_of_part"):  # every list is made before the first field (extractor.run)
                self._list_of_part = {id(p): x for x in reversed(self.lists) for p in x.parts}
            lst = self._list_of_part.get(id(q))
            attrs["ref_whole"] = self._ensure_ref(q.list_whole)
            if lst is not None:
                attrs["list_kind"] = self._list_kind(lst)
                attrs["list_word"] = lst.word
        lst_w = next((x for x in self.lists if x.whole is q and x.parts), None)
        if lst_w is not None and q.role == "whole":
            attrs["list_kind"] = self._list_kind(lst_w)
            attrs["list_word"] = lst_w.word
        attrs["frame"] = self._frame(q)
        if q.attrs.get("of"):  # what a bare measure label is of (set while framing it)
            attrs["of"] = q.attrs["of"]
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
