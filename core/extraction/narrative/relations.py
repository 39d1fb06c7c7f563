"""Narrative extraction — how figures relate: 其中 lists, shares, completion and change rates, 从a到b, coordinated
subjects with 各."""

from __future__ import annotations

import re

from core.extraction.narrative.grammar import (
    _BUDGET_MEASURES,
    _BUDGET_OF,
    _CHANGE_PCT,
    _CLAUSE,
    _COMPLETION,
    _EACH,
    _FROM,
    _Q,
    _SEMICOLON,
    _SHARE_BARE,
    _SHARE_NAMED,
    _TO,
    _coordinated,
    _is_prior,
    _List,
    _Sent,
    _subsequence,
)
from core.extraction.narrative.lexicon import _canon, canonical_subject
from core.extraction.narrative.naming import _narrowing

_REASON = re.compile(r"主要(?:原因|是|系|由于|因为|用于)|原因(?:是|为|：|:)")


_RESPECTIVELY = re.compile(r"[(（]?\s*(?:分别|依次)(?:为|是)?\s*占")
_RATE_RUN = re.compile(r"\s*(?:[、,，]|和|及|与)\s*(\d+(?:\.\d+)?)\s*[%％]")


def _footing(q: _Q) -> tuple[bool, bool]:
    """Whether a figure is a budget, and whether it is last year's: the parts of a list stand on the whole's."""
    return (q.measure in _BUDGET_MEASURES or q.key.endswith("budget"), _is_prior(q))


class _RelationsMixin:
    """How figures relate: 其中 lists, shares, completion and change rates, 从a到b, coordinated subjects with 各.

    A part of ``_Extractor`` (extractor.py): it reads and sets the extractor's state through ``self``."""

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
            close = self._bracket_close(pos, sent)
            if close >= 0:
                end = min(end, close)  # "全年预算30万元（其中年初预算30万元、追加0万元），支出27.34万元"
            parts = [q for q in money
                     if pos < q.start < end and q.key != "report.change.amount" and not q.group
                     and not self._bracketed_after(pos, q)]
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
            # "其中：公务用车…预算10.00万元，支出决算8.90万元": a budget is no part of a spending total, nor last
            # year's figure ("较上年1,000.00万元") of this year's
            parts = [p for p in parts if _footing(p) == _footing(whole)]
            if not parts:
                continue
            parts = self._beyond_semicolon(whole, parts, pos, end)
            lst = self._make_list(whole, parts, word)
            para_lists.append(lst)
            made = True
            if end < nxt and made_lists:
                outer = made_lists[-1]
                for q in money:
                    if (end < q.start < nxt and q.key != "report.change.amount" and not q.group
                            and not self._bracketed_after(end + 1, q)):
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
                first.attrs["_continued"] = True  # its list's whole is an earlier sentence's figure
        if self.intro is not None and not made:
            # "……万元，其中：" then one paragraph per part: siblings of the first part only; a paragraph about
            # something else ends the list ("“三公”经费…" after 人员经费/公用经费 is not a part of 基本支出)
            fam = next((self.lex.family.get(p.key) for p in self.intro.parts), None)
            for q in money:
                if q.group or q.key == "report.change.amount" or q is self.intro.whole:
                    continue
                qf = self.lex.family.get(q.key)
                if qf is not None and (fam is None or qf == fam):
                    self._add_part(self.intro, q)
                    fam = qf
                elif not _is_prior(q):
                    self.intro = None
                    break

    def _parts_by_names(self, sent: _Sent, q: _Q, n: int) -> list[_Q]:
        """The figures of the ``n`` coordinated labels before "分别" in ``q``'s clause, each the last statement of
        its label's key in the section ("人员经费和公用经费分别占…"); [] unless every one is found."""
        text = self.text
        clause0 = q.start
        while clause0 > sent.start and text[clause0 - 1] not in "。；;，,":
            clause0 -= 1
        m = re.search(r"分别|依次", text[clause0:q.start])
        names = _coordinated(text[clause0:clause0 + m.start()]) if m else []
        if len(names) != n:
            return []
        out = []
        for name in names:
            entry = self.lex.entries.get(_canon(name))
            if entry is None or entry.kind != "direct" or entry.value_kind != "money":
                return []
            last = self._last_stated(entry.name, clause0, sent)
            if last is None:
                return []
            out.append(last)
        return out

    def _part_by_label(self, a: int, at: int, sent: _Sent) -> _Q | None:
        """"基本支出占本年支出合计的比重为36.32%": a share whose part is named by its label right before 占 and
        printed earlier — the last statement of that label's key in the section, or None."""
        labels = [(s, ent.name) for s, e, ent in self.lex.matches(self.text, a, at)
                  if e == at and ent.kind == "direct" and ent.value_kind == "money"]
        if not labels:
            return None
        prefix = re.search(r"[\u4e00-\u9fff“”\"]*$", self.text[a:labels[-1][0]]).group()  # the words right before it
        if prefix and _narrowing(prefix.strip("“”\"")):
            return None  # "货物采购授予中小企业合同金额占…": a narrower thing than the label, never printed
        return self._last_stated(labels[-1][1], at, sent)

    def _count_whole(self, part: _Q, sent: _Sent) -> _Q | None:
        """The count a counted part is "其中" of, in its sentence: the last count of the same unit before it with
        其中/包括 between them ("实有人数43人，其中党员32人")."""
        before = [x for x in sent.quants if x.end <= part.start and x.kind == "count" and x.unit == part.unit
                  and not _is_prior(x)]
        if not before:
            return None
        w = before[-1]
        between = self.text[w.end:part.start]
        return w if re.search(r"其中|包括", between) and not re.search(r"[；;。]", between) else None

    def _detach(self, part: _Q) -> None:
        """Take ``part`` out of the list it was put in."""
        for lst in self.lists:
            if any(p is part for p in lst.parts) and lst.whole is part.list_whole:
                lst.parts = [p for p in lst.parts if p is not part]
        part.list_whole = None
        part.group = part.role = ""

    def _beyond_semicolon(self, whole: _Q, parts: list[_Q], pos: int, end: int) -> list[_Q]:
        """"其中财政资金400.00万元，自筹资金100.00万元；截至年底累计支出450.00万元": a "；" may end the list or
        separate its parts ("其中：基本支出…；项目支出…").  A figure after it that is no sibling of a part before it
        (same key, or same family of the lexicon) may be a new statement: when the parts before the "；" make up
        the whole exactly it is not a part, else it is an uncertain one."""
        semi = _SEMICOLON.search(self.text, pos, end)
        if not semi:
            return parts

        def siblings(a: _Q, b: _Q) -> bool:
            if a.key == b.key and a.key != "report.metric":
                return True
            fa = self.lex.family.get(a.key)
            return fa is not None and fa == self.lex.family.get(b.key)
        early = [p for p in parts if p.start < semi.start()]
        if early and all(p.unit == whole.unit for p in early) and sum(p.value for p in early) == whole.value:
            later = [p for p in parts if p.start > semi.start()]
            return early + [p for p in later if any(siblings(p, e) for e in early)]
        for p in parts:
            if early and p.start > semi.start() and not any(siblings(p, e) for e in early):
                p.attrs.setdefault("_uncertain", "“；”之后的数字未必仍是“其中”所列的部分")
        return parts

    def _bracketed_after(self, pos: int, q: _Q) -> bool:
        """Whether ``q`` stands inside a bracket opened after ``pos``: "其中：基本支出1000.00万元（人员经费900.00万元、
        公用经费100.00万元），项目支出450.00万元" — the bracket breaks down 基本支出, its figures are no parts of
        the list opened at ``pos``."""
        depth = 0
        for ch in self.text[pos:q.start]:
            if ch in "(（":
                depth += 1
            elif ch in ")）" and depth:
                depth -= 1
        return depth > 0

    def _bracket_close(self, pos: int, sent: _Sent) -> int:
        """Where the bracket around ``pos`` closes, or -1 when ``pos`` is not inside one."""
        text = self.text
        depth = 0
        for i in range(pos - 1, sent.start - 1, -1):
            if text[i] in ")）":
                depth += 1
            elif text[i] in "(（":
                if depth == 0:
                    m = re.compile(r"[)）]").search(text, pos, sent.end)
                    return m.start() if m else -1
                depth -= 1
        return -1

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

    def _share_of(self, q: _Q, part: _Q, whole: _Q | None) -> None:
        q.relation = "share"
        q.attrs["ref_part"] = self._ensure_ref(part)
        if whole is not None:
            q.attrs["ref_whole"] = self._ensure_ref(whole)
        if not part.group:
            part.group, part.role = self._group(), "part"
        q.group, q.role = part.group, "ratio"
        q.subject = part.subject

    def _respective_shares(self, q: _Q, named: re.Match | None, since_pct: list[_Q], sent: _Sent) -> None:
        """"基本支出800.00万元、项目支出200.00万元，分别占支出合计的80.00%、20.00%": the n rates of the run pair
        with the last n figures before them in the sentence, in order.  Fewer figures than rates: nothing is
        paired (the rates stay unexplained rather than wrongly paired)."""
        text = self.text
        starts = [q.start]
        pos = q.end
        while (m := _RATE_RUN.match(text, pos)) and m.end() <= sent.end:
            starts.append(m.start(1))
            pos = m.end()
        cands = [x for x in since_pct if x.kind in ("money", "count") and x.start >= sent.start
                 and x.key != "report.change.amount" and not _is_prior(x)
                 and not self._bracketed_after(sent.start, x)]  # "（上年700.00万元）" is no part of the run
        whole_name = named.group("whole").strip() if named else ""
        whole = self._named_whole(whole_name, cands[-1]) if whole_name and cands else None
        cands = [x for x in cands if x is not whole]
        if not cands:  # "人员经费和公用经费分别占基本支出的85.57%和14.43%": the parts named by their labels
            cands = self._parts_by_names(sent, q, len(starts))
            if whole is None and whole_name and cands:
                whole = self._named_whole(whole_name, cands[0])
        if (len(cands) < len(starts) or len({x.kind for x in cands[-len(starts):]}) != 1
                or any(x.role == "whole" for x in cands[-len(starts):])):  # more rates than parts: a whole in
            q.relation = "other"
            q.subject = ""
            return
        parts = cands[-len(starts):]
        if whole is None and all(p.list_whole is not None and p.list_whole is parts[0].list_whole for p in parts):
            whole = parts[0].list_whole
        if whole_name:
            q.attrs["whole_name"] = whole_name
        self._share_of(q, parts[0], whole)
        for start, part in zip(starts[1:], parts[1:]):
            self._respective[start] = (part, whole)

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
        if q.start in self._respective:  # the 2nd, 3rd … rate of "分别占支出合计的80.00%、20.00%"
            part, whole = self._respective.pop(q.start)
            self._share_of(q, part, whole)
            return
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
            named_measure = ("initial" if "年初" in phrase
                             else "budget" if re.search(r"全年|调整|执行率|执行进度", phrase) else "")
            if named_measure:
                named = [x for x in budgets if x.measure == named_measure
                         or (named_measure == "initial" and x.key.endswith("initial_budget"))]
                if named and named[-1] is not den:
                    q.attrs["ref_other_denominator"] = self._ensure_ref(den)
                    den = named[-1]
            self._budget_unsaid(q, phrase, named_measure if "执行" not in phrase else "", den, budgets)
            # what was spent, never what is left ("实际支出180.00万元，结余20.00万元，执行率90.00%")
            num = next((x for x in reversed(money) if x is not den and x.measure not in _BUDGET_MEASURES
                        and not x.key.endswith(("budget", "carryover")) and x.key != "report.change.amount"),
                       None)
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
            while clause0 > max(sent.start, q.start - 240) and text[clause0 - 1] not in _CLAUSE:
                clause0 -= 1
            own_clause = text[clause0:q.start].strip()
            if _RESPECTIVELY.match(own_clause) or (_RESPECTIVELY.search(own_clause)
                                                  and not any(x.start >= clause0 for x in since_pct)):
                self._respective_shares(q, named, since_pct, sent)
                return
            # a clause that is only the share ("，占74.50%", "，约占74.5%", "，所占比重为…") is of the figure before it
            lo = sent.start if re.match(r"[(（]?\s*(?:约|大约|仅|只|所)?\s*占", own_clause) else clause0
            about = re.search(r"(?:约|大约|近|将近|超过|不足|不到)\s*占", own_clause)
            if about or q.approx:  # "约占74.5%": the writer gives the rate as an approximation
                q.approx = True
                q.attrs["_uncertain"] = f"占比写作约数（“{about.group() if about else q.raw}”），计算值仅供核对"
            part = next((x for x in reversed(since_pct) if x.kind in ("money", "count") and x.start >= lo
                         and x.key != "report.change.amount"), None)
            prev_pct = next((x for x in reversed(before) if x.kind == "percent"), None)
            if (part is None and named and not since_pct and prev_pct is not None and prev_pct.relation == "share"
                    and re.fullmatch(r"\s*[,，、]?\s*", text[prev_pct.end:seg0])):
                # "人员经费850.00万元，占基本支出的85.00%，占本年支出合计的70.69%": a second share naming its own
                # whole, right after the first, is of the same part
                part = next((x for x in before if x.ref and x.ref == prev_pct.attrs.get("ref_part")), None)
            if part is None and named and not since_pct:
                part = self._part_by_label(clause0, seg0 + named.start(), sent)
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
                if whole is not None and part.list_whole is not None and whole.list_whole is part.list_whole:
                    # "其中：授予中小企业合同金额120.00万元…，授予小微企业合同金额100.00万元，占授予中小企业合同金额的
                    # 83.33%": a part whose share names an earlier part is that part's part, not a third one
                    self._detach(part)
            elif part.list_whole is not None:
                whole = part.list_whole
                if part.attrs.get("_continued"):  # "…包括人员支出861.29万元，占73.6%。公用支出308.86万元，占26.4%"
                    self._whole_by_fallback(q, whole, "前一句所列")
            elif part.kind == "count" and (counted := self._count_whole(part, sent)) is not None:
                whole = counted  # "实有人数43人，其中党员32人，占74.42%"
            elif self.intro is not None and self.intro.whole is not part:
                whole = self.intro.whole
                self._whole_by_fallback(q, whole, "前文“其中：”")
            else:
                whole = self._usual_whole(part, sent)
                if not self._parts_make_up(whole, part, sent):
                    self._whole_by_fallback(q, whole, "本节前文")
            self._share_of(q, part, whole)
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
                delta.subject = base.subject if base.list_whole is not None else (delta.subject or base.subject)
            q.subject = delta.subject
            return
        q.relation = "other"
        q.subject = self._label_text(seg0, q)

    def _budget_unsaid(self, q: _Q, phrase: str, named_measure: str, den: _Q | None, budgets: list[_Q]) -> None:
        """"年初预算100万元，调整后预算120万元，支出110万元，完成预算的91.67%": the phrase names no budget and the
        sentence gives two kinds, or it names one ("完成年初预算的") the sentence does not give — what the rate
        divides is the reader's guess, so its frame is incomplete (a disagreement is a warning)."""
        if den is None or q.attrs.get("_uncertain"):
            return

        def kind(x: _Q) -> str:
            return "initial" if x.measure == "initial" or x.key.endswith("initial_budget") else (
                "budget" if x.measure == "budget" or x.key.endswith("annual_budget") else "any")
        said = phrase.strip(" 为达到是的了")
        checked = f"按“{den.subject or '预算'}{den.raw}”核对"
        if not named_measure and len({kind(x) for x in budgets}) > 1:
            q.attrs["_uncertain"] = f"“{said}”未写明是哪个预算（年初预算或全年/调整后预算），{checked}"
        elif named_measure and kind(den) not in (named_measure, "any"):  # a bare "预算数" may be the one it names
            q.attrs["_uncertain"] = f"“{said}”所说的预算本句未写出，{checked}"

    def _whole_by_fallback(self, q: _Q, whole: _Q | None, where: str) -> None:
        """A bare share ("基本支出895.76万元，占76.00%") whose whole neither its words name ("占支出合计的") nor a
        list of its own sentence gives: the total is taken from elsewhere (``where``), so the reader cannot be
        sure what the rate divides — its frame is incomplete and a disagreement is a warning naming the total
        it was checked against."""
        if whole is None or q.attrs.get("_uncertain"):
            return
        label = whole.subject or "总数"
        q.attrs["_uncertain"] = (f"占比未写明是占哪个总数的，按{where}“{label}{whole.raw}"
                                 f"{whole.unit if whole.unit and not whole.raw.endswith(whole.unit) else ''}”核对")

    def _parts_make_up(self, whole: _Q | None, part: _Q, sent: _Sent) -> bool:
        """"支出决算1202.44万元。按支出性质分，基本支出895.76万元，占76.00%；项目支出306.68万元，占25.50%": the
        total of the section is taken for the bare shares, and the parts of it this sentence prints (two or
        more, each of its own kind) add up to it exactly — the arithmetic settles which total they divide."""
        if whole is None:
            return False
        key = whole.key
        parts = [x for x in sent.quants if x.kind == part.kind and x.unit == whole.unit and x.emit
                 and not _is_prior(x) and x.value is not None and self.lex.share_wholes.get(x.key) == key]
        if part not in parts or len(parts) < 2 or len({x.key for x in parts}) != len(parts):
            return False
        return sum(x.value for x in parts) == whole.value

    def _usual_whole(self, part: _Q, sent: _Sent) -> _Q | None:
        """"基本支出895.76万元，占76.00%" after "支出决算1202.44万元。": the total the part is a share of, stated
        last in the same section (narrative_labels.json "share_wholes")."""
        key = self.lex.share_wholes.get(part.key)
        return self._last_stated(key, part.start, sent) if key else None

    def _last_stated(self, key: str, before: int, sent: _Sent) -> _Q | None:
        """The last figure of ``key`` (this year's, emitted) printed before ``before`` in ``sent``'s section."""
        cands = [x for x in self.qs if x.key == key and x.start < before and x.emit and not _is_prior(x)
                 and x.sent >= 0 and self.sents[x.sent].section == sent.section]
        return cands[-1] if cands else None

    def _change_base(self, delta: _Q, sent: _Sent) -> _Q | None:
        """The figure a change amount is the change of: a list part it follows directly, else the figure
        before it in the sentence (not across a stated reason), the paragraph, or this year's figure after it."""
        named = delta.subject if delta.attrs.get("_named") else ""
        topic = str(delta.attrs.get("_named_topic", ""))

        def ok(x: _Q) -> bool:
            # a change that names what changed ("公务用车购置及运行维护费支出决算减少20.06万元") is of that thing:
            # never of another 三公 item or of the 三公 total it is a part of
            return bool(x.kind == delta.kind and x.key and x.key != "report.change.amount"
                        and x.list_whole is None and x.measure not in _BUDGET_MEASURES and x.emit
                        and not _is_prior(x)
                        and not (named and x.subject != named and topic and x.topic and x.topic != topic))

        def ok_part(x: _Q) -> bool:
            return bool(x.kind == delta.kind and x.key
                        and x.key not in ("report.change.amount", "report.stated_ratio")
                        and x.measure not in _BUDGET_MEASURES and x.emit and not _is_prior(x))
        # "其中：基本支出600.00万元，较上年增加100.00万元": a change printed right after a part of a list, in
        # the part's own clause group, is the part's change, not the whole's
        near = [x for x in sent.quants if x.end <= delta.start and x.list_whole is not None
                and ok_part(x)]
        # (a base printed between them, "基本支出1,050.00万元，较上年1,000.00万元增加…", does not part them)
        if near and near[-1].end == max((x.end for x in sent.quants if x.end <= delta.start and not _is_prior(x)),
                                        default=-1):
            part = near[-1]
            before = [x for x in sent.quants if x.end <= part.start]
            joined = self.text[before[-1].end if before else sent.start:part.start]  # how the part follows
            # "其中A x、B y，较上年增加Δ" or "其中A x，B y，较上年增加Δ": the change follows a list of parts, not
            # one part's own clause — it is the whole's, as before
            listed = (re.search(r"[、和及]", joined) and not re.search(r"[,，；;：:]", joined)) or (
                before and before[-1].list_whole is part.list_whole and before[-1] is not part.list_whole)
            # a part that is all of its whole ("三公经费0.89万元，其中公务接待费0.89万元，与2023年相比减少…"):
            # the change is read as the whole's, which it is equally
            if listed and part.list_whole.value != part.value and not re.search(r"[；;。]", self.text[part.end:delta.start]):
                # "其中：基本支出1000.00万元，项目支出785.60万元，比上年增加85.60万元": read as the whole's change, it
                # may as well be the last part's — which one the words do not say
                delta.attrs.setdefault("_uncertain", f"变动额紧接在“{part.subject}{part.raw}”之后，未写明是"
                                                     f"“{part.list_whole.subject}”还是“{part.subject}”的变动")
            listed = listed or part.list_whole.value == part.value
            if not listed and not re.search(r"[、和及；;。]", self.text[part.end:delta.start]):
                return part
        cands = [x for x in sent.quants if x.end <= delta.start and ok(x)]
        if cands:
            if _REASON.search(self.text, cands[-1].end, delta.start):
                # "…增长25%，主要是人员增加导致工资支出增加150.00万元": a change given as the reason is of
                # something else than the figure before it
                return None
            return cands[-1]
        prev = [x for x in self.qs if x.para == sent.para and x.end <= sent.start and ok(x)]
        if prev:
            return prev[-1]
        # "与2024年度相比，收入支出总计减少1156.33万元，下降30.64%，2025年度收、支总计为2938.85万元": this
        # year's figure of the same subject may follow the change
        later = [x for x in sent.quants if x.start >= delta.end and ok(x) and delta.subject
                 and x.subject == delta.subject]
        return later[0] if later else None

    def _named_whole(self, name: str, part: _Q) -> _Q | None:
        """The quantity a share names as its whole ("占基本支出的90.30%", "占总提拔重用人数的51%")."""
        cname = _canon(name)
        cands = [x for x in self.qs
                 if x.emit and x.start < part.start and x is not part and x.kind == part.kind
                 and x.key not in ("report.change.amount", "report.stated_ratio") and not _is_prior(x)]
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
