"""部门整体支出绩效评价基础数据表 → ``basic.*`` fields (domain.md §1).

Why it exists: the basic data table is the reference every other form is compared with.  It is read by
meaning, not position: a header row names the columns (编制数 / 实际在职人数 / 控制率; {Y-1}决算数 / {Y}预算数 /
{Y}决算数; 批复规模 …), and each following row's label (matched against ``resources/labels.json``) names the
key.  Money is 万元 unless the table or its header says otherwise.

What it must not do: check anything (checks do), or guess a value from position when no header names it.
"""

from __future__ import annotations

import re

from core.documents.layout import Cell, Line
from core.documents.tables import LogicalTable, is_numeric_text
from core.extraction.grid import (
    amount_field, blank_zero, dedupe_fields, distinct_cells, percent_field, text_field, under,
)
from core.extraction.labels import best_match, header_roles, labels, matches
from core.model import Field, SourceRef
from core.numbers import is_placeholder, unit_from_header
from core.text import label_key

FORM = "基础数据表"
_YEAR = re.compile(r"(20\d\d)")

_ROW_LABELS = {
    "sangong": "三公经费", "vehicle": "公务用车购置和维护经费", "vehicle_purchase": "其中：公车购置",
    "vehicle_operation": "公车运行维护", "abroad": "出国经费", "reception": "公务接待", "project": "项目支出",
    "project_business": "业务工作经费", "project_operation": "运行维护经费", "project_special": "本级专项资金",
    "public": "公用经费", "public_office": "其中：办公经费", "public_utilities_travel": "水费、电费、差旅费",
    "public_meeting_training": "会议费、培训费", "procurement": "政府采购金额", "budget_adjustment": "部门预算调整",
}
_COL_LABELS = {"prev": "上年决算数", "budget": "本年预算数", "final": "本年决算数"}


def money_column_roles(header: list[Cell]) -> dict[str, Cell]:
    """Which header cell is 上年决算 / 本年预算 / 本年决算.

    By words first (上年 / 预算 / 决算); when two columns both say 决算 (2023年决算数, 2024决算数), the one
    with the earlier year is the previous year's."""
    roles: dict[str, Cell] = {}
    finals: list[tuple[int, Cell]] = []
    for c in header:
        k = label_key(c.text)
        if not k:
            continue
        if matches(c.text, labels()["basic"]["columns"]["prev"], key=k):
            roles["prev"] = c
        elif "预算" in k and "决算" not in k:
            roles.setdefault("budget", c)
        elif "决算" in k or "执行" in k or "实际" in k:
            years = [int(y) for y in _YEAR.findall(c.text)]
            finals.append((years[0] if years else 9999, c))
    finals.sort(key=lambda t: t[0])
    if len(finals) >= 2 and "prev" not in roles:
        roles["prev"] = finals[0][1]
        roles["final"] = finals[-1][1]
    elif finals:
        if "本年" in label_key(finals[-1][1].text) or "prev" in roles or len(finals) == 1:
            roles["final"] = finals[-1][1]
    return roles


def extract_basic(tables: list[LogicalTable], lines: list[Line], doc: str) -> list[Field]:
    """Every basic.* field printed in the 基础数据表 tables; ``lines`` are the page lines of the form's
    region (for 填报单位 and the unit line above the table)."""
    fields: list[Field] = []
    lab = labels()["basic"]
    header_text = "\n".join(ln.text for ln in lines)
    page_unit = unit_from_header(header_text) or "万元"
    unit_field = _unit_name(lines, doc)
    if unit_field:
        fields.append(unit_field)

    for t in tables:
        mode: str | None = None
        header: list[Cell] = []
        roles: dict[str, Cell] = {}
        unit = page_unit
        staff_header: dict[str, Cell] = {}
        building_header: dict[str, Cell] = {}
        for r in range(len(t.rows)):
            cells = distinct_cells(t.rows[r])
            texts = [c.text for c in cells]
            numeric = [c for c in cells if is_numeric_text(c.text)]
            # -- header rows -------------------------------------------------------------------------
            staff_cols = header_roles(cells, lab["staff"], skip=lambda c: is_numeric_text(c.text))
            if len(staff_cols) >= 2 and not numeric:
                staff_header, mode = staff_cols, "staff"
                continue
            b_cols = header_roles(cells, lab["building"])
            if len(b_cols) >= 3 and not numeric:
                building_header, mode = b_cols, "building"
                continue
            m_roles = money_column_roles([c for c in cells if not is_numeric_text(c.text)])
            if len(m_roles) >= 2 and not numeric:
                roles, mode = m_roles, "money"
                unit = unit_from_header(" ".join(texts)) or page_unit
                continue
            # -- austerity (free text) -------------------------------------------------------------------
            label_cell = next((c for c in cells if c.text.strip() and not is_numeric_text(c.text)), None)
            if label_cell is not None and matches(label_cell.text, lab["austerity"]):
                rest = [c for c in cells if c.bbox[0] >= label_cell.bbox[2] - 1 and c.text.strip()]
                if rest:
                    txt = "".join(c.text for c in rest).strip()
                    fields.append(text_field("basic.austerity_measures", txt, rest[0], doc=doc,
                                             label="厉行节约保障措施", form=FORM))
                mode = None
                continue
            # -- value rows ----------------------------------------------------------------------------------
            if mode == "staff" and numeric:
                for k, hc in staff_header.items():
                    c = under(hc, cells)
                    if c is None or not is_numeric_text(c.text):
                        continue
                    key = f"basic.staff.{k}"
                    if k == "control_rate":
                        f = percent_field(key, c, doc=doc, label="控制率", form=FORM)
                    else:
                        f = amount_field(key, c, t, doc=doc, unit="人", label=hc.text, form=FORM)
                        if f is not None and f.unit in ("元", "万元"):
                            f.unit = "人"
                    if f:
                        fields.append(f)
                mode = None
                continue
            if mode == "building" and numeric:
                for k, hc in building_header.items():
                    c = under(hc, cells)
                    if c is None:
                        continue
                    key = f"basic.building.{k}"
                    if "rate" in k:
                        f = percent_field(key, c, doc=doc, label=hc.text, form=FORM)
                    else:
                        u = "㎡" if "area" in k else "万元"
                        f = amount_field(key, c, t, doc=doc, unit=u, label=hc.text, form=FORM)
                        if f is not None and "area" in k:
                            f.unit = "㎡"
                    if f:
                        fields.append(f)
                continue
            if mode == "money" and label_cell is not None:
                # the row label is the cell that names a row (a merged block label may stand left of it)
                row_key = None
                for c in cells:
                    if c.text.strip() and not is_numeric_text(c.text):
                        row_key = best_match(c.text, lab["rows"])
                        if row_key is not None:
                            label_cell = c
                            break
                if row_key is None:
                    continue
                under_roles = {role: under(hc, cells) for role, hc in roles.items()}
                filled = any(c is not None and c is not label_cell and c.text.strip() and is_numeric_text(c.text)
                             for c in under_roles.values())
                for role, c in under_roles.items():
                    if c is None or c is label_cell:
                        continue
                    label = f"{_ROW_LABELS.get(row_key, label_cell.text)}（{_COL_LABELS[role]}）"
                    f = amount_field(f"basic.{row_key}.{role}", c, t, doc=doc, unit=unit, label=label, form=FORM)
                    if f is None and filled and (not c.text.strip() or is_placeholder(c.text.strip())):
                        f = blank_zero(f"basic.{row_key}.{role}", c, doc=doc, unit=unit, label=label, form=FORM)
                    if f:
                        fields.append(f)
    return dedupe_fields(fields)


def _unit_name(lines: list[Line], doc: str) -> Field | None:
    for ln in lines:
        m = re.search(r"(填报单位|填报部门|单位名称)\s*[:：]\s*(\S[^\s]*(?:\s\S+)?)", ln.text)
        if m:
            name = m.group(2).strip()
            name = re.split(r"\s{2,}|单位[:：]|金额单位|填报日期", name)[0].strip()
            if not name or name.startswith("单位"):
                continue
            start = ln.text.index(m.group(2))
            bbox = ln.span_bbox(start, start + len(name))
            return Field(key="basic.unit_name", value=name, unit="", raw=name,
                         source=SourceRef(doc, ln.page, bbox), label="填报单位", form=FORM, confidence=0.95)
    return None
