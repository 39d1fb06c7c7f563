"""部门决算 公开01–09 tables → ``accounts.*`` fields and ``AccountLine`` rows (domain.md §4).

Why it exists: the final accounts are the hard numbers the narrative and the sheets must agree with.  Each
table is read by its headers, never by position: two-sided summary tables (公开01, 公开04) as label → first
amount after it on each side (行次 columns skipped); 科目 tables (公开02/03/05/07/08) as code, name and a value
per column role (the role comes from the most specific header above the column: "本年支出 / 基本支出");
公开06 as (code, name, 决算数) triples side by side; 公开09 by the header path of each column
("公务用车购置及运行维护费 / 公务用车购置费 / 预算数").  The unit (元 or 万元) is the table's own.

What it must not do: check identities (``core.checks.accounts`` does) or convert units.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache

from core.documents.layout import Cell, Line
from core.documents.tables import LogicalTable, is_numeric_text
from core.extraction.grid import amount_field, blank_zero, distinct_cells
from core.extraction.labels import best_match, labels, matches
from core.model import AccountLine, Field, SourceRef
from core.numbers import is_placeholder, parse_amount
from core.resources import resource_path
from core.text import label_key

FORM = "决算"
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_T01_SIDE_LABELS = {
    "income_total": "本年收入合计", "expense_total": "本年支出合计", "carry_begin": "年初结转和结余",
    "carry_end": "年末结转和结余", "use_nonfiscal_balance": "使用非财政拨款结余", "balance_distribution": "结余分配",
}


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    data = json.loads(resource_path("gfs_classes.json").read_text(encoding="utf-8"))
    return {label_key(v): k for k, v in data.items() if not k.startswith("_")}


def class_code(label: str) -> str | None:
    """The 类 code of a 公开01/04 expense row printed by name ("一、一般公共服务支出" → "201")."""
    k = label_key(label)
    if not k:
        return None
    classes = _classes()
    if k in classes:
        return classes[k]
    for name, code in classes.items():
        if k.startswith(name) or (len(k) >= 4 and name.startswith(k)):
            return code
    return None


def extract_accounts(tables: list[LogicalTable], lines_by_table: dict[int, list[Line]], doc: str,
                     default_unit: str = "") -> tuple[list[Field], list[AccountLine]]:
    """Fields and account lines of every 决算 table; ``lines_by_table[id(table)]`` are the lines printed
    just above the table (title, 公开0N表, 金额单位, 部门)."""
    fields: list[Field] = []
    lines_out: list[AccountLine] = []
    from core.numbers import unit_from_header  # local: keeps module import light for the window

    for t in tables:
        above = lines_by_table.get(id(t), [])
        unit = t.unit or unit_from_header("\n".join(ln.text for ln in above)) \
            or unit_from_header(" ".join(c.text for row in t.rows[: t.header_rows] for c in row)) or default_unit
        t.unit = unit
        uf = _unit_name(above, doc)
        if uf is not None:
            fields.append(uf)
        if t.kind in ("公开01", "公开04"):
            fields.extend(_summary_table(t, doc, unit))
        elif t.kind in ("公开02", "公开03", "公开05", "公开07", "公开08"):
            f, ls = _subject_table(t, doc, unit)
            fields.extend(f)
            lines_out.extend(ls)
        elif t.kind == "公开06":
            fields.extend(_econ_table(t, doc, unit))
        elif t.kind == "公开09":
            fields.extend(_sangong_table(t, doc, unit))
    return fields, lines_out


def _unit_name(lines: list[Line], doc: str) -> Field | None:
    for ln in lines:
        m = re.search(r"(?:^|\s)(部门|部门名称|单位名称|编制部门|填报单位)\s*[:：]\s*(\S+)", ln.text)
        if m:
            name = re.split(r"金额单位|单位[:：]|公开\d", m.group(2))[0].strip()
            if len(name) < 3:
                continue
            start = ln.text.index(m.group(2))
            return Field(key="accounts.unit_name", value=name, unit="", raw=name,
                         source=SourceRef(doc, ln.page, ln.span_bbox(start, start + len(name))),
                         label="部门（决算）", confidence=0.95, form=FORM)
    return None


# -- 公开01 / 公开04: two-sided summary tables ---------------------------------------------------------------

def _skip_columns(t: LogicalTable) -> set[int]:
    """Grid columns that hold 行次 (row numbers), not amounts."""
    skip = set()
    for c in range(t.n_cols):
        if "行次" in label_key(t.column_header(c)):
            skip.add(c)
    return skip


def _summary_table(t: LogicalTable, doc: str, unit: str) -> list[Field]:
    prefix = "accounts.t01" if t.kind == "公开01" else "accounts.t04"
    rows_lab = labels()["accounts"]["t01_rows"]
    skip = _skip_columns(t)
    out: list[Field] = []
    seen: set[str] = set()
    for row in _rows_with_figures(t, skip):
        label: Cell | None = None
        taken = False
        prev_cell: Cell | None = None
        for ci, c in enumerate(row):
            if prev_cell is not None and c.bbox == prev_cell.bbox and c.page == prev_cell.page:
                continue  # a merged cell seen again
            prev_cell = c
            text = c.text.strip()
            if ci in skip:
                continue
            if text and not is_numeric_text(text):
                label, taken = c, False
                continue
            if label is None or taken:
                continue
            taken = True  # only the first amount after a label (公开04: the 合计 column)
            if not text or is_placeholder(text):
                continue
            key, name = _summary_key(label.text, prefix, rows_lab, seen)
            if key is None:
                continue
            f = amount_field(key, c, t, doc=doc, unit=unit, label=f"{t.kind} {name}", form=FORM)
            if f is not None:
                out.append(f)
                seen.add(key)
    return out


def _rows_with_figures(t: LogicalTable, skip: set[int]) -> list[list[Cell]]:
    """The body rows of a summary table, a row of labels without figures joined with the row of figures
    printed on their own line just above it (or just below): "总计" under its amount is still its total."""
    def kinds(row: list[Cell]) -> tuple[bool, bool]:
        texts = [c.text.strip() for ci, c in enumerate(row) if ci not in skip and c.text.strip()]
        return (any(not is_numeric_text(x) for x in texts),
                any(is_numeric_text(x) and not is_placeholder(x) for x in texts))

    body = [t.rows[r] for r in t.body()]
    shape = [kinds(row) for row in body]
    partner: dict[int, int] = {}  # label row → its row of figures
    taken: set[int] = set()
    for i in range(len(body)):
        if shape[i] != (True, False):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(body) and j not in taken and shape[j] == (False, True):
                partner[i] = j
                taken.add(j)
                break
    out: list[list[Cell]] = []
    for i, row in enumerate(body):
        if i in taken:
            continue
        if i in partner:
            fig = body[partner[i]]
            row = [fig[ci] if ci < len(fig) and not c.text.strip() and fig[ci].text.strip() else c
                   for ci, c in enumerate(row)]
        out.append(row)
    return out


def _summary_key(label: str, prefix: str, rows_lab: dict, seen: set[str]) -> tuple[str | None, str]:
    name = best_match(label, rows_lab)
    k = label_key(label)
    if name == "total":
        key = f"{prefix}.grand_total" if f"{prefix}.grand_total" not in seen else f"{prefix}.grand_total_expense"
        return key, "总计"
    if name in ("income_total", "expense_total", "carry_begin", "carry_end", "use_nonfiscal_balance",
                "balance_distribution"):
        if f"{prefix}.{name}" in seen:
            return None, ""
        return f"{prefix}.{name}", _T01_SIDE_LABELS[name]
    if name and name.startswith("income."):
        n = name.split(".")[1]
        key = f"{prefix}.income.{n}"
        if n == "1":  # fields.md: 公开01 一般公共预算财政拨款收入
            key = f"{prefix}.fiscal_income"
        elif n == "2":
            key = f"{prefix}.gov_fund_income"
        if key in seen:  # 公开04 repeats these names under 年初结转和结余
            return None, ""
        return key, label.strip()
    code = class_code(label)
    if code and "支出" in k:
        return f"{prefix}.class.{code}", label.strip()
    return None, ""


# -- 科目 tables: 公开02/03/05/07/08 ---------------------------------------------------------------------------

def _column_roles(t: LogicalTable, table_id: str) -> dict[int, str]:
    spec = labels()["accounts"]["line_columns"][table_id]
    roles: dict[int, str] = {}
    for c in range(t.n_cols):
        path = t.column_header(c)
        if not path:
            continue
        parts = [p for p in path.split("/") if p]
        role = None
        for part in reversed(parts):  # the most specific header first
            role = best_match(part, spec)
            if role:
                break
        if role and role not in roles.values():
            roles[c] = role
    return roles


_LEVEL_WORDS = {"类": 0, "款": 1, "项": 2}
_LEVELS = {3: "类", 5: "款", 7: "项"}


def _level_columns(t: LogicalTable) -> dict[int, int]:
    """The national layout's code split into 类 / 款 / 项 columns (header "科目编码 / 类", or a row of the
    words 类 款 项 under it): grid column → 0 (类), 1 (款), 2 (项)."""
    out: dict[int, int] = {}
    for c in range(t.n_cols):
        h = t.column_header(c)
        last = label_key(h.split("/")[-1]) if h else ""
        if last in _LEVEL_WORDS and _LEVEL_WORDS[last] not in out.values():
            out[c] = _LEVEL_WORDS[last]
    if len(out) == 3:
        return out
    for r in list(t.body())[:3]:  # a 类 款 项 row the table reader did not take for a header
        words = {c: label_key(t.rows[r][c].text) for c in range(min(t.n_cols, len(t.rows[r])))}
        hits = {c: _LEVEL_WORDS[w] for c, w in words.items() if w in _LEVEL_WORDS}
        if len(set(hits.values())) == 3:
            return hits
    # no header read: three columns side by side holding 3-, 2- and 2-digit codes ("201 | 01 | 01")
    body = [t.rows[r] for r in t.body()]
    for c in range(max(t.n_cols - 2, 0)):
        cols = [[row[c + i].text.replace(" ", "") if c + i < len(row) else "" for row in body] for i in range(3)]
        shapes = (r"\d{3}", r"\d{2}", r"\d{2}")
        if all(all(v == "" or re.fullmatch(p, v) for v in vals) and any(vals)
               for vals, p in zip(cols, shapes)):
            return {c: 0, c + 1: 1, c + 2: 2}
    return {}


def _code_name_columns(t: LogicalTable, skip: set[int] = frozenset()) -> tuple[int | None, int | None]:
    lab = labels()["accounts"]
    code_col = name_col = None
    for c in range(t.n_cols):
        if c in skip:
            continue
        h = t.column_header(c)
        last = h.split("/")[-1] if h else ""
        if code_col is None and matches(last, lab["code_column"]):
            code_col = c
        elif name_col is None and matches(last, lab["name_column"]):
            name_col = c
    if code_col is None and not skip:  # find the column where body cells look like 科目 codes
        for c in range(t.n_cols):
            vals = [t.rows[r][c].text.replace(" ", "") for r in t.body() if c < len(t.rows[r])]
            if sum(1 for v in vals if _CODE.match(v)) >= max(1, len(vals) // 3):
                code_col = c
                break
    if name_col is None and code_col is not None and code_col + 1 < t.n_cols:
        name_col = code_col + 1
    if name_col is None and skip:
        name_col = max(skip) + 1 if max(skip) + 1 < t.n_cols else None
    return code_col, name_col


def _split_code(row: list[Cell], level_cols: dict[int, int], last: list[str]) -> tuple[str, str]:
    """(code, level) of a row whose code is printed in 类 / 款 / 项 columns: the level is the deepest column
    filled; an upper part left blank is the one printed above it ("" when none is filled)."""
    parts = ["", "", ""]
    for c, lv in level_cols.items():
        if c < len(row):
            parts[lv] = row[c].text.replace(" ", "")
    deepest = max((lv for lv in range(3) if parts[lv]), default=-1)
    if deepest < 0 or not all(re.fullmatch(r"\d+", p) for p in parts if p):
        return "", ""
    full = {0: 3, 1: 5, 2: 7}
    if len(parts[deepest]) == full[deepest]:  # the whole code printed in its own column
        code = parts[deepest]
    else:
        segs = []
        for lv in range(deepest + 1):
            seg = parts[lv] or last[lv]
            if lv > 0 and len(seg) == full[lv]:
                seg = seg[-2:]
            segs.append(seg)
        code = "".join(segs)
    if not _CODE.match(code) or len(code) != full[deepest]:
        return "", ""
    last[0] = code[:3]
    if deepest >= 1:
        last[1] = code[3:5]
    return code, _LEVELS[len(code)]


_LEADING_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?![\d.,])\s*(.*)$")


def _subject_table(t: LogicalTable, doc: str, unit: str) -> tuple[list[Field], list[AccountLine]]:
    """科目 lines and the 合计 fields.  A blank cell ("", "—", "-", "/") of a row that prints figures is a
    printed zero; a row of figures printed without its label (the 合计 printed on the line above or below
    its label) is that label's row; a 合计 row whose figures cannot be read has None (unread, never 0)."""
    table_id = "t0" + t.kind[-1]
    roles = _column_roles(t, table_id)
    level_cols = _level_columns(t)
    code_col, name_col = _code_name_columns(t, set(level_cols))
    label_cols = set(level_cols) | {c for c in (code_col, name_col) if c is not None}
    for c in list(roles):
        if c in label_cols:
            del roles[c]
    fields: list[Field] = []
    lines: list[AccountLine] = []
    last = ["", "", ""]

    def amounts_of(row: list[Cell]) -> bool:
        return any(c < len(row) and row[c].text.strip() and is_numeric_text(row[c].text) for c in roles)

    def label_of(row: list[Cell]) -> tuple[str, str, str, bool] | None:
        """(code, name, level, is_total) of a row that names a line, or None."""
        code_text = row[code_col].text.replace(" ", "") if code_col is not None and code_col < len(row) else ""
        name_text = row[name_col].text.strip() if name_col is not None and name_col < len(row) else ""
        texts = [row[c].text.strip() for c in range(len(row)) if c not in roles and row[c].text.strip()]
        first_text = texts[0] if texts else ""
        if any(label_key(x) in ("合计", "总计") for x in texts[:2]) or label_key(code_text) in ("合计", "总计"):
            return "", "合计", "", True
        if level_cols:
            code, level = _split_code(row, level_cols, last)
            if code:
                return code, name_text, level, False
        if _CODE.match(code_text):
            return code_text, name_text, _LEVELS[len(code_text)], False
        m = _LEADING_CODE.match(first_text)
        if m and not is_numeric_text(first_text):
            code = m.group(1)
            return code, m.group(2) or name_text, _LEVELS[len(code)], False
        return None

    body = list(t.body())
    rows: list[tuple[tuple[str, str, str, bool], list[Cell], list[Cell]]] = []  # (label, label row, figures row)
    used: set[int] = set()
    for i, r in enumerate(body):
        if r in used:
            continue
        row = t.rows[r]
        lab = label_of(row)
        if lab is None:
            continue
        fig_row = row
        if not amounts_of(row):  # the figures printed on their own line, just above or below the label
            for j in (i - 1, i + 1):
                if 0 <= j < len(body) and body[j] not in used:
                    other = t.rows[body[j]]
                    if amounts_of(other) and label_of(other) is None:
                        fig_row = other
                        used.add(body[j])
                        break
        used.add(r)
        rows.append((lab, row, fig_row))

    from core.model import union_bbox

    for (code, name, level, is_total), row, fig_row in rows:
        filled = amounts_of(fig_row)
        columns: dict[str, Decimal | None] = {}
        raws: dict[str, str] = {}
        boxes = []
        for c, role in roles.items():
            if c >= len(fig_row):
                continue
            cell = fig_row[c]
            text = cell.text.strip()
            raws[role] = text
            if not text or is_placeholder(text):
                columns[role] = Decimal(0) if filled else None  # a printed zero, or a row with no figure
                if filled and is_total:
                    f = blank_zero(f"accounts.{table_id}.{role}", cell, doc=doc, unit=unit,
                                   label=f"{t.kind} 合计·{_ROLE_NAMES.get(role, role)}", form=FORM)
                    fields.append(f)
                continue
            n = parse_amount(text, default_unit=unit)
            columns[role] = n.value if n else None
            if n is not None:
                boxes.append(cell.bbox)
                if is_total:
                    key = f"accounts.{table_id}.{role}"
                    f = amount_field(key, cell, t, doc=doc, unit=unit,
                                     label=f"{t.kind} 合计·{_ROLE_NAMES.get(role, role)}", form=FORM)
                    if f:
                        fields.append(f)
        anchor_c = code_col if code_col is not None else (min(level_cols) if level_cols else 0)
        anchor = row[anchor_c] if anchor_c < len(row) else row[0]
        bbox = union_bbox([anchor.bbox] + [b for b in boxes] if fig_row[0].page == anchor.page else [anchor.bbox])
        lines.append(AccountLine(table=table_id, code=code, name=name, columns=columns, unit=unit,
                                 source=SourceRef(doc, anchor.page, bbox), level=level, raw=raws))
    return fields, lines


_ROLE_NAMES = {"total": "合计", "fiscal": "财政拨款收入", "basic": "基本支出", "project": "项目支出",
               "superior": "上级补助收入", "business": "事业收入", "operating": "经营", "affiliated": "附属单位",
               "other": "其他收入", "upper": "上缴上级支出", "carry_begin": "年初结转和结余", "income": "本年收入",
               "carry_end": "年末结转和结余"}


# -- 公开06: (code, name, 决算数) triples ------------------------------------------------------------------------

def _econ_table(t: LogicalTable, doc: str, unit: str) -> list[Field]:
    totals = labels()["accounts"]["t06_totals"]
    out: list[Field] = []
    value_cols = [c for c in range(t.n_cols) if "决算" in t.column_header(c).split("/")[-1]]
    for r in range(len(t.rows)):
        row = t.rows[r]
        for vc in value_cols:
            code_c = row[vc - 2] if vc >= 2 else None
            name_c = row[vc - 1] if vc >= 1 else None
            if code_c is None or name_c is None:
                continue
            code = code_c.text.replace(" ", "")
            if re.fullmatch(r"\d{3}(\d{2})?", code):
                label = f"公开06 {code} {name_c.text.strip()}"
                f = amount_field(f"accounts.t06.econ.{code}", row[vc], t, doc=doc, unit=unit, label=label, form=FORM)
                text = row[vc].text.strip()
                if f is None and name_c.text.strip() and (not text or is_placeholder(text)):
                    f = blank_zero(f"accounts.t06.econ.{code}", row[vc], doc=doc, unit=unit, label=label, form=FORM)
                if f:
                    f.attrs["name"] = name_c.text.strip()
                    out.append(f)
        # totals: "人员经费合计 … 6,085,440.22"
        label = None
        for c in distinct_cells(row):
            text = c.text.strip()
            if text and not is_numeric_text(text):
                label = best_match(text, totals) if label_key(text).endswith("合计") else None
                continue
            if label and text and not is_placeholder(text):
                f = amount_field(f"accounts.t06.{label}", c, t, doc=doc, unit=unit,
                                 label="公开06 人员经费合计" if label == "personnel" else "公开06 公用经费合计", form=FORM)
                if f:
                    out.append(f)
                label = None
    return out


# -- 公开09: 三公 by header path ---------------------------------------------------------------------------------

def _sangong_table(t: LogicalTable, doc: str, unit: str) -> list[Field]:
    spec = labels()["accounts"]["t09"]
    roles: dict[int, tuple[str, str]] = {}
    for c in range(t.n_cols):
        parts = [p for p in t.column_header(c).split("/") if p]
        side = None
        for p in parts:
            k = label_key(p)
            if "预算" in k and "决算" not in k:
                side = "budget"
            elif "决算" in k:
                side = "final"
        item = None
        for p in reversed(parts):
            k = label_key(p)
            if k in ("预算数", "决算数", "预算", "决算") or (k.isdigit()):
                continue
            item = best_match(p, spec)
            if item:
                break
        if side and item and (side, item) not in roles.values():
            roles[c] = (side, item)
    names = {"total": "合计", "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行维护费",
             "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
    out: list[Field] = []
    for r in t.body():
        row = t.rows[r]
        if not any(is_numeric_text(c.text) and "." in c.text for c in row):
            continue
        for c, (side, item) in roles.items():
            if c >= len(row):
                continue
            label = f"公开09 {names[item]}（{'预算数' if side == 'budget' else '决算数'}）"
            f = amount_field(f"accounts.t09.{side}.{item}", row[c], t, doc=doc, unit=unit, label=label, form=FORM)
            text = row[c].text.strip()
            if f is None and (not text or is_placeholder(text)):  # a blank in the row of figures: a printed 0
                f = blank_zero(f"accounts.t09.{side}.{item}", row[c], doc=doc, unit=unit, label=label, form=FORM)
            if f:
                out.append(f)
        break  # the first data row is the department's
    return out


# -- tables printed without a figure ----------------------------------------------------------------------------

FIGURELESS_KEY = "figureless_tables"
# A figure of a 决算 table: an amount with decimals or thousands separators, or an integer of three digits or
# more that is not a year.  栏次 (1 2 3 …) and 行次 are one or two digits.
_FIGURE = re.compile(r"(?<![\d.])(?:\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+\.\d+|\d{3,}(?!\s*年))(?![\d.])")
_NOTE = re.compile(r"^\s*(?:注|说明|备注)\s*\d*\s*[:：]")


def figureless_tables(pages: dict, kinds: dict[str, list[int]]) -> list[dict]:
    """The 决算 table pages (公开01–09) that print no figure at all, each with the notes printed on it
    (``注：…``/``说明：…``).  A department with no 三公 spending or no 政府性基金 prints the table's headers and a
    note saying so ("本年度没有财政拨款“三公”经费支出，故本表无数据"); the coverage list then says why the
    table's checks do not apply instead of asking for figures that were never printed.  Only facts are kept
    here (form, page, the notes as printed); whether a note says the table is empty is the coverage's rule."""
    out: list[dict] = []
    for kind in sorted(k for k in kinds if k.startswith("公开")):
        for number in kinds[kind]:
            page = pages.get(number)
            if page is None or page.image_only or page.garbled or page.error:
                continue
            notes, printed = [], False
            for ln in page.lines:
                if _NOTE.match(ln.text):
                    notes.append(ln.text.strip())
                elif _FIGURE.search(ln.text):
                    printed = True
                    break
                elif notes:  # a note's continuation line
                    notes[-1] += ln.text.strip()
            if not printed:
                out.append({"form": kind, "page": number, "notes": notes})
    return out
