"""部门整体支出绩效自评表 → ``selfeval.*`` fields and ``Indicator`` rows (domain.md §3).

Why it exists: the scoring sheet is what the reviewer re-scores.  Three blocks are read by meaning: the
年度预算申请 block (a header row naming 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分, then the
年度资金总额 row, then 按收入性质分 / 按支出性质分 label–value cells — the value may sit in its own cell or in
the label's cell, "其中：一般公共预算：2257.39"), the 绩效指标 table (一级/二级 come from merged cells, carried
down across page breaks; "产出指标（40分）" also gives the printed 一级 subtotal), and the footer (总分 row,
绩效自评综合得分, 评价等次).

What it must not do: recompute or judge scores (``core.scoring`` does).
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.documents.layout import Cell, Line
from core.documents.tables import LogicalTable, is_numeric_text
from core.extraction.grid import (amount_field, decimal_of, dedupe_fields, distinct_cells, percent_field,
                                  text_field, under)
from core.extraction.labels import best_match, header_roles, labels, matches
from core.model import Field, Indicator, SourceRef, union_bbox
from core.numbers import is_placeholder, parse_amount, unit_from_header
from core.text import label_key

FORM = "自评表"
_LEVEL1_WEIGHT = re.compile(  # "产出指标（40分）", "产出指标(40 分)", "产出指标 40分", "产出指标（分值：40）" → 40
    r"^(.*?指标)\s*[(（]?\s*(?:分值|权重|满分)?\s*[:：]?\s*(\d+(?:\.\d+)?)\s*(?:分|%)?\s*[)）]?\s*$")
_INLINE_VALUE = re.compile(r"^(.*?)[:：]\s*([-\d,.，．\s]+)\s*(万元|元)?\s*$")
_GRADE = re.compile(r"(优秀|优|良好|良|中等|中|差|合格|不合格)")

_FUNDS_LABELS = {
    "initial_budget": "年初预算数", "annual_budget": "全年预算数", "executed": "全年执行数",
    "weight": "分值", "execution_rate": "执行率", "score": "得分",
}
_INCOME_LABELS = {"general_budget": "一般公共预算", "gov_fund": "政府性基金拨款",
                  "special_account": "纳入专户管理的非税收入拨款", "other": "其他资金"}
_SPENDING_LABELS = {"basic": "基本支出", "project": "项目支出"}


def extract_selfeval(tables: list[LogicalTable], lines: list[Line], doc: str) -> tuple[list[Field], list[Indicator]]:
    fields: list[Field] = []
    indicators: list[Indicator] = []
    lab = labels()["selfeval"]
    seen_total = False
    for t in tables:
        money_unit = _money_unit(t, lines)
        funds_roles: dict[str, Cell] = {}
        goal_cols: dict[str, Cell] = {}
        ind_cols: dict[str, Cell] = {}
        level1 = level2 = ""
        in_block = None  # "funds" | "indicators"
        seen_level1_cells: set[tuple] = set()
        for r in range(len(t.rows)):
            cells = distinct_cells(t.rows[r])
            # -- unit name ---------------------------------------------------------------------------------
            for i, c in enumerate(cells):
                if c.text.strip() and matches(c.text, lab["unit_name"]) and not any(f.key == "selfeval.unit_name" for f in fields):
                    nxt = next((d for d in cells[i + 1:] if d.text.strip()), None)
                    if nxt is not None:
                        fields.append(text_field("selfeval.unit_name", nxt.text.strip(), nxt, doc=doc,
                                                 label="预算部门（单位）名称", form=FORM))
            # -- header rows -------------------------------------------------------------------------------
            roles = header_roles(cells, lab["funds_columns"], skip=_numeric)
            if {"annual_budget", "executed"} <= set(roles) or ({"initial_budget", "executed"} <= set(roles)):
                funds_roles, in_block = roles, "funds"
                continue
            goal = header_roles(cells, lab["goal_columns"])
            if len(goal) == 2 and sum(1 for c in cells if c.text.strip()) <= 4:
                goal_cols, in_block = goal, "goal"
                continue
            cols = header_roles(cells, lab["indicator_columns"], skip=_numeric)
            if {"level3", "weight", "score"} <= set(cols) or {"level1", "level2", "level3"} <= set(cols):
                ind_cols, in_block = cols, "indicators"
                continue
            # -- total / footer rows ---------------------------------------------------------------------------
            label_cell = next((c for c in cells if c.text.strip() and not is_numeric_text(c.text)), None)
            if label_cell is not None and matches(label_cell.text, lab["total"]) and not _is_indicator_row(cells, ind_cols):
                fields.extend(_total_row(cells, label_cell, ind_cols, doc))
                seen_total = True
                in_block = None
                continue
            if label_cell is not None and matches(label_cell.text, lab["grade"]):
                g = _grade_after(cells, label_cell)
                if g:
                    fields.append(text_field("selfeval.grade", g[0], g[1], doc=doc, label="评价等次", form=FORM))
                continue
            # -- blocks ----------------------------------------------------------------------------------------
            if in_block == "goal":
                for k, hc in goal_cols.items():
                    c = under(hc, cells)
                    if c is not None and c.text.strip() and c is not hc:
                        fields.append(text_field(f"selfeval.goal.{k}", c.text.strip(), c, doc=doc,
                                                 label="年度总体目标·" + ("预期目标" if k == "expected" else "实际完成情况"),
                                                 form=FORM))
                in_block = None
                continue
            if in_block == "funds":
                fields.extend(_funds_row(cells, funds_roles, doc, money_unit))
            elif in_block == "indicators":
                row = {k: under(h, cells) for k, h in ind_cols.items()}
                l1c, l2c, l3c = row.get("level1"), row.get("level2"), row.get("level3")
                if l1c is not None and l1c.text.strip() and _is_tail(l1c.text, level1):
                    l1c = None  # "分）" under "效益指标（30": a merged cell the page break cut in two
                if l2c is not None and l2c.text.strip() and _is_tail(l2c.text, level2):
                    l2c = None
                if l1c is not None and l1c.text.strip():
                    name, w = _split_level1(l1c.text)
                    level1 = name
                    bkey = (l1c.page, tuple(round(v, 1) for v in l1c.bbox))
                    if w is not None and bkey not in seen_level1_cells:
                        seen_level1_cells.add(bkey)
                        fields.append(Field(key=f"selfeval.level1_weight.{name}", value=w, unit="分",
                                            raw=l1c.text.strip(), source=SourceRef(doc, l1c.page, l1c.value_bbox),
                                            label=f"{name}分值", confidence=0.95, form=FORM))
                    if l2c is None or not l2c.text.strip():
                        level2 = ""
                if l2c is not None and l2c.text.strip():
                    level2 = l2c.text.strip()
                if l3c is None or not l3c.text.strip() or l3c is l2c or l3c is l1c:
                    continue
                ind = _indicator(row, level1, level2, doc)
                if ind is not None:
                    indicators.append(ind)
    # footer lines outside the table: 绩效自评综合得分 100分 / 评价等次 优
    fields.extend(_footer_lines(lines, doc, have_total=seen_total or any(f.key == "selfeval.total_score" for f in fields),
                                have_grade=any(f.key == "selfeval.grade" for f in fields)))
    return dedupe_fields(fields), indicators


def _money_unit(t: LogicalTable, lines: list[Line]) -> str:
    """The unit of the 自评表's money cells: "年度预算申请（万元）" / "（元）", or a "单位：元" line by the table;
    万元 (the template's) when nothing says."""
    texts = [c.text for row in t.rows[:12] for c in distinct_cells(row) if "预算" in c.text or "单位" in c.text
             or "资金" in c.text]
    texts += [ln.text for ln in lines if "单位" in ln.text and ln.page in t.pages[:1]]
    return next((u for text in texts if (u := unit_from_header(text))), "万元")


def _numeric(c: Cell) -> bool:
    return is_numeric_text(c.text)


def _is_indicator_row(cells: list[Cell], cols: dict[str, Cell]) -> bool:
    """A row whose 三级指标 cell holds an indicator name (not the total's label or its figure)."""
    if not cols or "level3" not in cols:
        return False
    c = under(cols["level3"], cells)
    if c is None or not c.text.strip() or is_numeric_text(c.text) or re.fullmatch(r"[\d.]+\s*分", c.text.strip()):
        return False
    return not matches(c.text, labels()["selfeval"]["total"])


def _is_tail(text: str, current: str) -> bool:
    """Whether a 一级/二级 cell's text is the rest of the current one's, cut off by a page break: the end of its
    "（30分）" subtotal, or the last characters of its name ("效益指" | "标")."""
    t = re.sub(r"\s", "", text)
    if not current or "指标" in t:
        return False
    if re.fullmatch(r"[\d.]*分?[)）]", t):
        return True
    return len(t) <= 3 and not current.endswith("指标") and (current + t).endswith("指标")


def _split_level1(text: str) -> tuple[str, Decimal | None]:
    t = text.strip().replace(" ", "")
    m = _LEVEL1_WEIGHT.match(t)
    if m:
        return m.group(1), Decimal(m.group(2))
    return t, None


def _indicator(row: dict[str, Cell | None], level1: str, level2: str, doc: str) -> Indicator | None:
    l3 = row["level3"]
    assert l3 is not None
    weight = decimal_of(row.get("weight"))
    score = decimal_of(row.get("score"))

    def txt(k: str) -> str:
        c = row.get(k)
        return c.text.strip() if c is not None else ""

    cells = {k: c.value_bbox for k, c in row.items() if c is not None and c.page == l3.page and c.text.strip()}
    boxes = [c.bbox for k, c in row.items() if c is not None and c.page == l3.page
             and k in ("level3", "target", "actual", "weight", "score")]
    return Indicator(level1=level1, level2=level2, level3=l3.text.strip(), target=txt("target"),
                     actual=txt("actual"), weight=weight, score=score, deviation=txt("deviation"),
                     source=SourceRef(doc, l3.page, union_bbox(boxes or [l3.bbox])), cells=cells)


def _funds_row(cells: list[Cell], roles: dict[str, Cell], doc: str, money_unit: str = "万元") -> list[Field]:
    lab = labels()["selfeval"]
    out: list[Field] = []
    label_cell = next((c for c in cells if c.text.strip() and matches(c.text, lab["funds_row"])), None)
    if label_cell is not None:
        for role, hc in roles.items():
            c = under(hc, cells)
            if c is None or c is label_cell:
                continue
            key = f"selfeval.funds.{role}"
            if role == "execution_rate":
                f = percent_field(key, c, doc=doc, label="执行率", form=FORM)
            else:
                unit = "分" if role in ("weight", "score") else money_unit
                f = amount_field(key, c, None, doc=doc, unit=unit, label=f"年度资金总额·{_FUNDS_LABELS[role]}", form=FORM)
                if f is not None and role in ("weight", "score"):
                    f.unit = "分"
            if f:
                out.append(f)
        return out
    # 按收入性质分 / 按支出性质分: label cells followed by a value cell, or "label：value" in one cell
    for i, c in enumerate(cells):
        text = c.text.strip()
        if not text or is_numeric_text(text):
            continue
        for part_text in _label_parts(text):
            label, inline = part_text
            group, key = _income_or_spending(label)
            if key is None:
                continue
            name = (_INCOME_LABELS if group == "income" else _SPENDING_LABELS)[key]
            if inline is not None:
                if is_placeholder(inline):
                    continue
                n = parse_amount(inline, default_unit=money_unit)
                if n is not None:
                    out.append(Field(key=f"selfeval.{group}.{key}", value=n.value, unit=n.unit or money_unit, raw=inline,
                                     source=SourceRef(doc, c.page, c.value_bbox), label=name, confidence=0.93, form=FORM))
            else:
                nxt = cells[i + 1] if i + 1 < len(cells) else None
                if nxt is not None and is_numeric_text(nxt.text):
                    f = amount_field(f"selfeval.{group}.{key}", nxt, None, doc=doc, unit=money_unit, label=name,
                                     form=FORM)
                    if f:
                        out.append(f)
    return out


def _label_parts(text: str) -> list[tuple[str, str | None]]:
    """"其中：一般公共预算：2257.39" → [("其中：一般公共预算", "2257.39")]; "政府性基金拨款：" → [(…, None)]."""
    m = _INLINE_VALUE.match(text)
    if m and any(ch.isdigit() for ch in m.group(2)):
        return [(m.group(1), m.group(2).strip() + (m.group(3) or ""))]
    return [(text, None)]


def _income_or_spending(label: str) -> tuple[str, str | None]:
    lab = labels()["selfeval"]
    k = label_key(label)
    if not k or k in ("按收入性质分", "按支出性质分"):
        return "", None
    s = best_match(label, lab["spending"])
    if s:
        return "spending", s
    i = best_match(label, lab["income"])
    if i:
        return "income", i
    return "", None


def _total_row(cells: list[Cell], label_cell: Cell, cols: dict[str, Cell], doc: str) -> list[Field]:
    out: list[Field] = []
    k = label_key(label_cell.text)
    figures = [c for c in cells if c is not label_cell and is_numeric_text(c.text)]
    if ("综合得分" in k or "自评得分" in k or "总得分" in k) and not (cols and len(figures) >= 2):
        # "绩效自评综合得分 | 100分" (a "总分（绩效自评综合得分）| 100 | 96.8" row is read by its columns)
        nxt = next((c for c in cells if c is not label_cell and c.text.strip()), None)
        if nxt is not None:
            f = amount_field("selfeval.total_score", nxt, None, doc=doc, unit="分", label="绩效自评综合得分", form=FORM)
            if f:
                f.unit = "分"
                out.append(f)
        return out
    if cols:
        for role, key, name in (("weight", "selfeval.total_weight", "总分·分值"), ("score", "selfeval.total_score", "总分·得分")):
            hc = cols.get(role)
            c = under(hc, cells) if hc is not None else None
            if c is not None and c is not label_cell:
                f = amount_field(key, c, None, doc=doc, unit="分", label=name, form=FORM)
                if f:
                    f.unit = "分"
                    out.append(f)
    if not out:
        nums = [c for c in cells if is_numeric_text(c.text)]
        if len(nums) >= 2:
            for c, key, name in ((nums[-2], "selfeval.total_weight", "总分·分值"), (nums[-1], "selfeval.total_score", "总分·得分")):
                f = amount_field(key, c, None, doc=doc, unit="分", label=name, form=FORM)
                if f:
                    f.unit = "分"
                    out.append(f)
        elif len(nums) == 1:
            f = amount_field("selfeval.total_score", nums[0], None, doc=doc, unit="分", label="总分", form=FORM)
            if f:
                f.unit = "分"
                out.append(f)
    return out


def _grade_after(cells: list[Cell], label_cell: Cell) -> tuple[str, Cell] | None:
    for c in cells:
        if c is label_cell:
            continue
        m = _GRADE.fullmatch(c.text.strip().strip("“”\""))
        if m:
            return m.group(1)[0] if m.group(1) in ("优秀", "良好", "中等") else m.group(1), c
    m = re.search(r"[:：]\s*[“\"]?(优|良|中|差)", label_cell.text)
    if m:
        return m.group(1), label_cell
    return None


def _footer_lines(lines: list[Line], doc: str, *, have_total: bool, have_grade: bool) -> list[Field]:
    out: list[Field] = []
    for ln in lines:
        if not have_total:
            m = re.search(r"(绩效自评综合得分|自评综合得分|自评总分)\s*[:：]?\s*(\d+(?:\.\d+)?)\s*分?", ln.text)
            if m:
                out.append(Field(key="selfeval.total_score", value=Decimal(m.group(2)), unit="分", raw=m.group(2),
                                 source=SourceRef(doc, ln.page, ln.span_bbox(m.start(2), m.end(2))),
                                 label="绩效自评综合得分", confidence=0.9, form=FORM))
                have_total = True
        if not have_grade:
            m = re.search(r"评价等次\s*[:：]?\s*[“\"]?(优|良|中|差)", ln.text)
            if m:
                out.append(Field(key="selfeval.grade", value=m.group(1), unit="", raw=m.group(1),
                                 source=SourceRef(doc, ln.page, ln.span_bbox(m.start(1), m.end(1))),
                                 label="评价等次", confidence=0.9, form=FORM))
                have_grade = True
    return out
