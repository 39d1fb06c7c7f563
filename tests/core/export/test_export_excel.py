"""Excel export: the workbook read back with openpyxl holds every figure as a number with its format, every
finding and correction, the official merged layout and print setup; document text is never a formula; the
file is written atomically.

The cases are built by hand from the seed packages (seed 004 云溪区委组织部: 基础数据表 + 自评表; seed 001
天元区委组织部: 自评表 + 公开09表 only), with the scores the scoring layer would give them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path

import openpyxl
import pytest

from core.errors import OutputError
from core.export import build_workbooks, export_workbooks, safe_file_name
from core.model import Case, DocumentInfo, Field, Finding, Indicator, Severity, SourceRef

D = Decimal
NOW = datetime(2025, 7, 3, 9, 0)
FILE_004 = "中共岳阳市云溪区委组织部_2024_绩效审核.xlsx"


# -- the seed cases -----------------------------------------------------------------------------------------

def _field(key, value, unit="万元", doc="d2", page=1, label="", form="", fid=""):
    return Field(key=key, value=D(value) if isinstance(value, (str, int)) and unit != "text" else value,
                 unit="" if unit == "text" else unit, raw=str(value), source=SourceRef(doc, page, (10, 10, 50, 20)),
                 label=label, form=form, id=fid)


def _text(key, value, doc, page=1, label=""):
    return Field(key=key, value=value, unit="", raw=value, source=SourceRef(doc, page, (10, 10, 50, 20)),
                 label=label)


BASIC_004 = {  # 基础数据表 of seed 004, 万元: (上年决算, 本年预算, 本年决算); None = blank cell
    "sangong": ("0.41", "1.8", "0.96"),
    "reception": ("0.41", "1.8", "0.96"),
    "project": ("179.33", "230.75", "661.46"),
    "project_business": ("179.33", "230.75", "661.46"),
    "public": ("34.04", "30.74", "40.54"),
    "public_office": ("2.49", "5.00", "4.05"),
    "public_utilities_travel": ("1.28", "2.5", "2.66"),
    "public_meeting_training": ("0.36", "1.71", None),
}

LABELS = {"public_office": "其中：办公经费", "sangong": "三公经费"}

INDICATORS_004 = [  # level1, level2, level3, target, actual, weight, score
    ("产出指标", "数量指标", "党校主体班次", "≥4次", "4次", 5, 5),
    ("产出指标", "数量指标", "开展宣传工作", "≥4次", "4次", 5, 5),
    ("产出指标", "数量指标", "举办主题党日活动", "≥4次", "4次", 5, 5),
    ("产出指标", "数量指标", "组织学习相关文件", "≥8次", "8次", 5, 5),
    ("产出指标", "数量指标", "人才培训", "≥1000人次", "15000人次", 5, 5),
    ("产出指标", "质量指标", "党员干部参与率", "≥90%", "90%", 5, 5),
    ("产出指标", "质量指标", "引进人才增长率", "≥20%", "20%", 5, 5),
    ("产出指标", "时效指标", "资金下达时间", "4月1日之前", "4月1日之前", 5, 5),
    ("产出指标", "时效指标", "资金到位时效", "≥90%", "100%", 5, 5),
    ("效益指标", "经济效益指标", "带动就业", "≥50人", "50人", 10, 10),
    ("效益指标", "社会效益指标", "组织工作宣传覆盖率", "≥95%", "95%", 10, 10),
    ("效益指标", "生态效益指标", "持续开展组织宣传工作，群众知晓率", "≥98%", "98%", 10, 10),
    ("效益指标", "可持续影响指标", "带动就业", "≥50人", "50人", 10, 10),
    ("满意度指标", "服务对象满意度指标", "满意度", "≥95%", "＞95", 10, 10),
    ("成本指标", "经济成本指标", "预算控制数", "≤1363.38万元", "1363.38万元", 5, 5),
    ("成本指标", "社会成本指标", "", "", "", None, None),
    ("成本指标", "生态环境成本指标", "", "", "", None, None),
]


def case_004() -> Case:
    docs = [
        DocumentInfo("d1", "/材料/云溪区委组织部/附件1 自评报告.pdf", "a" * 64, 8, {"自评报告": [1, 8]},
                     unit_name="中共岳阳市云溪区委组织部", year=2024),
        DocumentInfo("d2", "/材料/云溪区委组织部/附件2 基础数据表.pdf", "b" * 64, 1, {"基础数据表": [1]}, year=2024),
        DocumentInfo("d3", "C:\\材料\\云溪\\附件3-1 自评表.pdf", "c" * 64, 3, {"自评表": [1, 3]}, year=2024),
        DocumentInfo("d4", "/材料/云溪区委组织部/公开09表.pdf", "d" * 64, 1, {"公开09": [1]}, year=2024),
    ]
    f: list[Field] = [
        _text("basic.unit_name", "中共岳阳市云溪区委组织部", "d2", label="填报单位"),
        _field("basic.staff.authorized", "24", "人", label="编制数"),
        _field("basic.staff.actual", "24", "人", label="2024实际在职人数"),
        _field("basic.staff.control_rate", "100.00", "%", label="控制率"),
    ]
    for key, vals in BASIC_004.items():
        for suffix, v in zip(("prev", "budget", "final"), vals):
            if v is not None:
                fid = "f_office_final" if (key, suffix) == ("public_office", "final") else ""
                f.append(_field(f"basic.{key}.{suffix}", v, label=LABELS.get(key, key), fid=fid))
    # 公开09 (元): the 出国 row is blank in the 基础数据表 but printed 0 in the 决算 → filled, with a comment
    f += [_field("accounts.t09.budget.abroad", "0", "元", doc="d4", label="因公出国（境）费（预算数）"),
          _field("accounts.t09.final.abroad", "0", "元", doc="d4", label="因公出国（境）费（决算数）"),
          _field("accounts.t09.final.reception", "9600", "元", doc="d4")]
    f += [
        _text("selfeval.unit_name", "中共岳阳市云溪区委组织部", "d3"),
        _field("selfeval.funds.initial_budget", "615.20", doc="d3", label="年初预算数", fid="f_initial"),
        _field("selfeval.funds.annual_budget", "1363.38", doc="d3"),
        _field("selfeval.funds.executed", "1363.38", doc="d3"),
        _field("selfeval.funds.weight", "10", "分", doc="d3"),
        _field("selfeval.funds.execution_rate", "100.00", "%", doc="d3"),
        _field("selfeval.funds.score", "10.00", "分", doc="d3"),
        _field("selfeval.income.general_budget", "1361.52", doc="d3"),
        _field("selfeval.income.gov_fund", "1.86", doc="d3"),
        _field("selfeval.spending.basic", "701.92", doc="d3"),
        _field("selfeval.spending.project", "661.46", doc="d3"),
        _field("selfeval.total_score", "100", "分", doc="d3", page=3),
        _text("selfeval.grade", "优", "d3", page=3),
        _text("selfeval.goal.expected", "1.突出齐抓共管，筑牢基层堡垒。\n2.抓实干部建设，优化队伍结构。\n"
              "3.做优服务保障，涵养人才生态。\n4.聚焦科学设置，优化考核质量。", "d3"),
        _text("selfeval.goal.actual", "按目标完成任务。", "d3"),
        # a second statement of a key: the forms take the first
        _field("selfeval.funds.executed", "1361.52", doc="d1", page=2),
    ]
    inds = [
        Indicator(l1, l2, l3, t, a, None if w is None else D(w), None if s is None else D(s), "",
                  SourceRef("d3", 2, (40, 100 + 20 * i, 560, 118 + 20 * i)), id=f"i{i + 1}")
        for i, (l1, l2, l3, t, a, w, s) in enumerate(INDICATORS_004)
    ]
    rows = [{"indicator_id": ind.id, "weight": ind.weight, "score": ind.score, "recomputed_score": ind.score,
             "note": ""} for ind in inds]
    rows[4].update(recomputed_score=D("3.00"), note="实际完成值为指标值的15倍，指标值设定偏低，按财预〔2020〕10号适度调减")
    findings = [
        Finding("selfeval.weights_sum_100", Severity.ERROR, "自评表各项分值合计110分，应为100分",
                ["selfeval.total_weight"], [D(110), D(100)], [SourceRef("d3", 2, (40, 100, 560, 700)),
                                                           SourceRef("d3", 3, (40, 100, 560, 200))]),
        Finding("cross.project_expense", Severity.ERROR, "自评报告项目支出701.92万元，自评表和基础数据表为661.46万元",
                ["report.project", "selfeval.spending.project", "basic.project.final"],
                [D("701.92"), D("661.46"), D("661.46")],
                [SourceRef("d1", 2, (40, 300, 560, 318)), SourceRef("d3", 1, (300, 200, 360, 212)),
                 SourceRef("d2", 1, (300, 240, 340, 252))]),
        Finding("basic.public_control_rate", Severity.WARNING, "公用经费决算40.54万元超过预算30.74万元（控制率131.88%）",
                ["basic.public.final", "basic.public.budget"], [D("40.54"), D("30.74"), "131.88%"],
                [SourceRef("d2", 1, (300, 400, 340, 412))]),
        Finding("narrative.repeated_number", Severity.INFO, "“常态化为00多名监利务工人员”与前文“100多名”不一致",
                [], ["00多名", "100多名"], [SourceRef("d1", 5, (40, 500, 560, 512))]),
    ]
    scores = {
        "selfeval": {
            "total": D(100), "recomputed_total": D(108), "weight_sum": D(110), "grade": "优", "recomputed_grade": "优",
            "execution_rate": {"stated": D("100.00"), "recomputed": D("100.00")},
            "execution_score": {"stated": D("10.00"), "recomputed": D("10.00")},
            "rows": rows,
        },
        "indicators": {
            "preset": "hunan_2018_county", "preset_name": "湖南FY2018县级样本", "total_weight": D(48),
            "total_score": D(22), "scored_weight": D(43), "score_rate": D("51.16"), "grade": "差",
            "note": "以下指标缺少数据未计分：结转结余率",
            "items": [
                {"id": "staff_control_rate", "name": "在职人员控制率", "formula": "在职人员数/编制数×100%",
                 "inputs": {"在职人员数": D(24), "编制数": D(24)}, "value": D("100.00"), "weight": D(8),
                 "score": D(8), "rule": "≤100%计满分，每超1个百分点扣0.5分", "note": ""},
                {"id": "sangong_change_rate", "name": "“三公经费”变动率",
                 "formula": "(本年度三公经费决算数−上年度三公经费决算数)/上年度三公经费决算数×100%",
                 "inputs": {"本年度决算数（万元）": D("0.96"), "上年度决算数（万元）": D("0.41")},
                 "value": D("134.15"), "weight": D(8), "score": D(0),
                 "rule": "≤0计满分；>0每超1个百分点扣0.8分，扣完为止", "note": "三公经费增加"},
                {"id": "sangong_control_rate", "name": "“三公经费”控制率", "formula": "三公经费决算数/三公经费预算数×100%",
                 "inputs": {"决算数（万元）": D("0.96"), "预算数（万元）": D("1.8")}, "value": D("53.33"),
                 "weight": D(6), "score": D(6), "rule": "≤100%计满分，每超1个百分点扣1分", "note": ""},
                {"id": "public_control_rate", "name": "公用经费控制率", "formula": "公用经费决算数/公用经费预算数×100%",
                 "inputs": {"决算数（万元）": D("40.54"), "预算数（万元）": D("30.74")}, "value": D("131.88"),
                 "weight": D(5), "score": D(0), "rule": "≤100%计满分，每超1个百分点扣1分，扣完为止", "note": ""},
                {"id": "budget_adjustment_rate", "name": "预算调整率", "formula": "(全年预算数−年初预算数)/年初预算数×100%",
                 "inputs": {"全年预算数（万元）": D("1363.38"), "年初预算数（万元）": D("615.20")},
                 "value": D("121.62"), "weight": D(8), "score": D(0),
                 "rule": "=0计8分；0–10%(含)6分；10–20%(含)4分；20–30%(含)2分；>30%不得分", "note": ""},
                {"id": "budget_completion_rate", "name": "预算完成率", "formula": "全年执行数/全年预算数×100%",
                 "inputs": {"全年执行数（万元）": D("1363.38"), "全年预算数（万元）": D("1363.38")},
                 "value": D("100.00"), "weight": D(8), "score": D(8), "rule": "100%计满分，每低于5%扣2分", "note": ""},
                {"id": "carryover_rate", "name": "结转结余率", "formula": "结转结余总额/支出预算数×100%",
                 "inputs": {}, "value": None, "weight": D(5), "score": None, "rule": "",
                 "note": "材料中无结转结余数据，未评分"},
            ],
        },
    }
    case = Case(documents=docs, fields=f, indicators=inds, findings=findings, scores=scores, tool_version="0.1.0")
    case.assign_ids()
    return case


INDICATORS_001 = [
    ("产出指标（40分）", "数量指标", "工资、津贴补贴发放人数", "21人", "20人", 5, 5),
    ("产出指标（40分）", "数量指标", "公务员职级晋升人数", "≥50人次", "179人次", 5, 5),
    ("产出指标（40分）", "数量指标", "组织培训次数", "≥5场", "8场", 5, 5),
    ("产出指标（40分）", "数量指标", "新认定人才数量", "高层次人才≥50人，区级优秀青年人才≥500人，技能人才≥5人。",
     "认定株洲市高层次人才61人，区级优秀青年人才664人，技能人才12人", 5, 5),
    ("产出指标（40分）", "质量指标", "重点经费保障覆盖率", "≥90%", "100%", 5, 5),
    ("产出指标（40分）", "质量指标", "组织事务工作完成率", "≥90%", "100%", 5, 5),
    ("产出指标（40分）", "时效指标", "工作按时开展", "≥90%", "100%", 5, 5),
    ("产出指标（40分）", "时效指标", "资金按时拨付", "≥90%", "100%", 5, 5),
    ("效益指标 (20分)", "经济效益指标", "发放各类人才补贴增强企业竞争力情况", "好", "好", 10, 9),
    ("效益指标 (20分)", "社会效益指标", "部内全年工作情况，服务干部、人才、老干部情况，社会稳定情况", "好", "好", 10, 9),
    ("满意度指标 (10分)", "服务对象满意度指标", "干部满意度", "≥90%", "≥95%", "2.5", "2.5"),
    ("满意度指标 (10分)", "服务对象满意度指标", "人才满意度", "≥90%", "≥95%", "2.5", "2.5"),
    ("满意度指标 (10分)", "服务对象满意度指标", "党员满意度", "≥90%", "≥95%", "2.5", "2.5"),
    ("满意度指标 (10分)", "服务对象满意度指标", "离退休干部满意度", "≥90%", "≥95%", "2.5", "2.5"),
    ("成本指标 (20分)", "经济成本指标", "人员经费", "608.54 万元", "608.54 万元", 10, 10),
    ("成本指标 (20分)", "经济成本指标", "运转经费", "≦67.51 万元", "65.37 万元", 10, 10),
]


def case_001() -> Case:
    """Seed 001: a 自评表 whose totals add up (总分 written as formulas) and no 基础数据表 at all, so the
    三公 rows come from 公开09 (元 → 万元)."""
    docs = [DocumentInfo("d1", "/材料/天元区委组织部2024年部门决算及绩效自评.pdf", "e" * 64, 40,
                         {"公开09": [12], "自评表": [38, 39]}, unit_name="中国共产党株洲市天元区委员会组织部", year=2024)]
    f = [
        _text("selfeval.unit_name", "中国共产党株洲市天元区委员会组织部", "d1", 38),
        _field("selfeval.funds.initial_budget", "821.4", doc="d1", page=38),
        _field("selfeval.funds.annual_budget", "2558.66", doc="d1", page=38),
        _field("selfeval.funds.executed", "2257.39", doc="d1", page=38),
        _field("selfeval.funds.weight", "10", "分", doc="d1", page=38),
        _field("selfeval.funds.execution_rate", "88.23", "%", doc="d1", page=38),
        _field("selfeval.funds.score", "8.8", "分", doc="d1", page=38),
        _field("selfeval.income.general_budget", "2257.39", doc="d1", page=38),
        _field("selfeval.income.gov_fund", "0", doc="d1", page=38),
        _field("selfeval.income.special_account", "0", doc="d1", page=38),
        _field("selfeval.income.other", "0", doc="d1", page=38),
        _field("selfeval.spending.basic", "673.91", doc="d1", page=38),
        _field("selfeval.spending.project", "1583.48", doc="d1", page=38),
        _field("selfeval.total_weight", "100", "分", doc="d1", page=39),
        _field("selfeval.total_score", "96.8", "分", doc="d1", page=39),
    ]
    for col in ("budget", "final"):
        f += [_field(f"accounts.t09.{col}.total", "2910.00", "元", doc="d1", page=12),
              _field(f"accounts.t09.{col}.vehicle", "0", "元", doc="d1", page=12),
              _field(f"accounts.t09.{col}.abroad", "0", "元", doc="d1", page=12),
              _field(f"accounts.t09.{col}.reception", "2910.00", "元", doc="d1", page=12,
                     label=f"公务接待费（{'预算数' if col == 'budget' else '决算数'}）")]
    inds = [Indicator(l1, l2, l3, t, a, D(str(w)), D(str(s)), "", SourceRef("d1", 38, (40, 300, 560, 318)),
                      id=f"i{i + 1}") for i, (l1, l2, l3, t, a, w, s) in enumerate(INDICATORS_001)]
    rows = [{"indicator_id": i.id, "weight": i.weight, "score": i.score, "recomputed_score": i.score, "note": ""}
            for i in inds]
    rows[0].update(recomputed_score=D("4.76"), note="实际20人低于指标值21人，按完成比例记分 20/21×5")
    scores = {"selfeval": {
        "total": D("96.8"), "recomputed_total": D("96.58"), "weight_sum": D(100), "grade": None,
        "recomputed_grade": "优", "execution_rate": {"stated": D("88.23"), "recomputed": D("88.2254")},
        "execution_score": {"stated": D("8.8"), "recomputed": D("8.82")}, "rows": rows}}
    case = Case(documents=docs, fields=f, indicators=inds, scores=scores)
    case.assign_ids()
    return case


@dataclass
class CorrectionRecord:  # the shape core/review is building; duck-typed on purpose
    field_id: str
    key: str
    original_raw: str
    new_raw: str
    reason: str
    reviewer: str
    time: datetime


class Status(Enum):
    VERIFIED = "verified"
    NOT_APPLICABLE = "not_applicable"


@dataclass
class DecisionRecord:
    fingerprint: str
    status: Status
    reason: str
    reviewer: str
    time: datetime


def review_records(case: Case):
    corrections = [
        {"field_id": "f_office_final", "key": "basic.public_office.final", "original_raw": "4.50", "new_raw": "4.05",
         "reason": "识别错误，按原表更正", "reviewer": "李审核", "time": "2025-07-02T10:12:00"},
        CorrectionRecord("f_initial", "selfeval.funds.initial_budget", "651.20", "615.20", "与年初批复预算核对更正",
                         "王复核", datetime(2025, 7, 2, 11, 5, 30)),
    ]
    decisions = [
        DecisionRecord(case.findings[2].fingerprint, Status.NOT_APPLICABLE, "公用经费超预算系年中追加，情况说明已解释",
                       "李审核", datetime(2025, 7, 2, 10, 30)),
        {"fingerprint": case.findings[0].fingerprint, "status": "已核实", "reason": "分值合计确为110分",
         "reviewer": "李审核", "time": "2025-07-02T10:40:00"},
    ]
    return corrections, decisions


# -- helpers --------------------------------------------------------------------------------------------------

@pytest.fixture()
def wb004(tmp_path):
    case = case_004()
    corrections, decisions = review_records(case)
    paths = export_workbooks(case, tmp_path, corrections=corrections, decisions=decisions, reviewer="李审核",
                             now=NOW)
    assert [p.name for p in paths] == [FILE_004]
    return openpyxl.load_workbook(paths[0])


def find_row(ws, text, col=1):
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, col).value == text:
            return r
    raise AssertionError(f"{text!r} not found in column {col} of {ws.title}")


def assert_number(cell, expected, fmt="0.00"):
    assert cell.data_type == "n", (cell.coordinate, cell.value, cell.data_type)
    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), (cell.coordinate, cell.value)
    assert D(repr(cell.value)) == D(str(expected)), (cell.coordinate, cell.value, expected)
    assert cell.number_format == fmt, (cell.coordinate, cell.number_format)


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def assert_grid(ws, area):
    """Every cell of ``area`` has a thin line on each side that is on the edge of its (merged) cell; the
    inside edges of a merged cell are dropped by openpyxl's reader, and drawn by nobody."""
    ranges = list(ws.merged_cells.ranges)
    for row in ws[area]:
        for c in row:
            rng = next((m for m in ranges if c.coordinate in m), None)
            r1, c1, r2, c2 = (rng.min_row, rng.min_col, rng.max_row, rng.max_col) if rng else (
                c.row, c.column, c.row, c.column)
            b = c.border
            sides = {"left": c.column == c1, "right": c.column == c2, "top": c.row == r1, "bottom": c.row == r2}
            for side, outer in sides.items():
                if outer:
                    assert getattr(b, side).style == "thin", (c.coordinate, side)


# -- tests ----------------------------------------------------------------------------------------------------

def test_one_workbook_with_five_sheets_named_after_unit_and_year(wb004):
    assert wb004.sheetnames == ["基础数据表", "整体支出绩效自评表", "共性指标评分表", "问题清单", "检查覆盖",
                                 "修改记录"]


def test_basic_data_sheet_figures_formats_and_layout(wb004):
    ws = wb004["基础数据表"]
    assert ws["A1"].value == "附件2"
    assert ws["A2"].value == "部门整体支出绩效评价基础数据表"
    assert ws["A3"].value == "填报单位：中共岳阳市云溪区委组织部"
    assert ws["F3"].value == "单位：万元"
    # 财政供养人员
    r = find_row(ws, "财政供养人员情况")
    assert [ws.cell(r, c).value for c in (2, 4, 6)] == ["编制数", "2024年实际在职人数", "控制率"]
    assert_number(ws.cell(r + 1, 2), 24, "0")
    assert_number(ws.cell(r + 1, 4), 24, "0")
    assert_number(ws.cell(r + 1, 6), "1", "0.00%")  # 100.00% written as the ratio
    # 经费控制情况: every reported figure, exact, 0.00
    hdr = find_row(ws, "经费控制情况(万元)")
    assert [ws.cell(hdr, c).value for c in (2, 4, 6)] == ["2023年决算数", "2024年预算数", "2024年决算数"]
    labels = {"sangong": "三公经费", "reception": "3、公务接待", "project": "项目支出：",
              "project_business": "1、业务工作经费", "public": "公用经费：", "public_office": "其中：办公经费",
              "public_utilities_travel": "水费、电费、差旅费", "public_meeting_training": "会议费、培训费"}
    for key, vals in BASIC_004.items():
        r = find_row(ws, labels[key])
        for col, v in zip((2, 4, 6), vals):
            cell = ws.cell(r, col)
            if v is None:
                assert cell.value is None, (key, col)
            else:
                assert_number(cell, v)
    r = find_row(ws, "三公经费")
    assert ws.cell(r, 6).data_type == "n"  # the total as reported, a value (no formula without a cached value)
    # 公用经费 is a partial breakdown (其中), never a formula; 公务用车 is blank and stays blank
    assert ws.cell(find_row(ws, "1、公务用车购置和维护经费"), 2).value is None
    # blank 出国 row of the 基础数据表 filled from 公开09 (元 → 万元), with the comment saying so
    r = find_row(ws, "2、出国经费")
    assert ws.cell(r, 2).value is None  # 上年 is not in this year's 公开09
    for col in (4, 6):
        assert_number(ws.cell(r, col), 0)
        assert "取自决算公开09表" in ws.cell(r, col).comment.text
    # 3、公务接待 is reported: the 公开09 value is NOT used
    assert ws.cell(find_row(ws, "3、公务接待"), 6).comment is None
    for label in ("政府采购金额", "部门基本支出预算调整"):
        r = find_row(ws, label)
        assert all(ws.cell(r, c).value is None for c in (2, 4, 6))
    r = find_row(ws, "楼堂馆所控制情况\n（2024年完工项目）")
    assert ws.cell(r, 2).value == "批复规模\n（㎡）" and ws.cell(r, 7).value == "投资概算\n控制率"
    assert ws.cell(find_row(ws, "厉行节约保障措施"), 2).value is None
    note = ws.cell(find_row(ws, "厉行节约保障措施") + 1, 1).value  # what was taken from the 决算, with its page
    assert note.startswith("审核注：表中未填的数值") and "2、出国经费2024年决算数（公开09第1页）" in note
    r = find_row(ws, "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。")
    assert [ws.cell(r + 1, c).value for c in (1, 2, 4, 6)] == ["填表人：", "填报日期：", "联系电话：", "单位负责人签字："]
    m = merged(ws)
    for rng in ("A2:G2", "A3:E3", "A4:A5", "B4:C4", "D5:E5", "F6:G6", "B7:C7", "F22:G22", "A23:A24", "B25:G25"):
        assert rng in m, rng
    assert_grid(ws, "A4:G25")
    assert ws["A1"].font.name == "宋体" and ws["B7"].font.name == "宋体"


def test_every_sheet_prints_on_a4_one_page_wide(wb004):
    orient = {"基础数据表": "portrait"}
    for ws in wb004.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.orientation == orient.get(ws.title, "landscape"), ws.title
        assert ws.print_area, ws.title
    assert wb004["问题清单"].print_title_rows == "$3:$3"
    assert wb004["整体支出绩效自评表"].print_title_rows == "$12:$12"


def test_selfeval_sheet_layout_values_and_recomputation(wb004):
    ws = wb004["整体支出绩效自评表"]
    assert ws["A1"].value == "2024年度部门（单位）整体支出绩效自评表"
    assert ws["A2"].value == "预算部门名称" and ws["D2"].value == "中共岳阳市云溪区委组织部"
    r = find_row(ws, "年度资金总额", 2)
    assert [ws.cell(r - 1, c).value for c in range(3, 9)] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert_number(ws.cell(r, 3), "615.20")
    assert_number(ws.cell(r, 4), "1363.38")
    assert_number(ws.cell(r, 5), "1363.38")  # the first statement of the key, not the narrative's 1361.52
    assert_number(ws.cell(r, 6), 10)
    assert_number(ws.cell(r, 7), 1, "0.00%")
    assert_number(ws.cell(r, 8), 10)
    assert_number(ws.cell(r, 10), 1, "0.00%")  # 复核执行率
    assert_number(ws.cell(r, 11), 10)  # 复核得分
    assert ws.cell(r, 12).value is None  # no 扣分
    assert_number(ws.cell(find_row(ws, "其中：一般公共预算", 2), 4), "1361.52")
    assert_number(ws.cell(find_row(ws, "政府性基金拨款", 2), 4), "1.86")
    assert_number(ws.cell(find_row(ws, "其中：一般公共预算", 2), 7), "701.92")
    assert_number(ws.cell(find_row(ws, "政府性基金拨款", 2), 7), "661.46")
    assert ws.cell(find_row(ws, "纳入专户管理的非税收入拨款", 2), 4).value is None
    g = find_row(ws, "年度总体目标")
    assert ws.cell(g + 1, 2).value.startswith("1.突出齐抓共管") and ws.cell(g + 1, 6).value == "按目标完成任务。"

    h = find_row(ws, "一级指标", 2)
    assert [ws.cell(h, c).value for c in range(2, 15)] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
        "复核完成值", "复核得分", "扣分", "扣分比例", "复核依据"]
    first = h + 1
    for i, (l1, l2, l3, t, a, w, s) in enumerate(INDICATORS_004):
        r = first + i
        assert ws.cell(r, 4).value == (l3 or None), r
        assert ws.cell(r, 5).value == (t or None) and ws.cell(r, 6).value == (a or None), r
        if w is None:
            assert ws.cell(r, 7).value is None and ws.cell(r, 8).value is None
        else:
            assert_number(ws.cell(r, 7), w)
            assert_number(ws.cell(r, 8), s)
    last = first + len(INDICATORS_004) - 1
    m = merged(ws)
    breaks = [b.id for b in ws.row_breaks.brk]
    # 绩效指标 over every row, cut (and repeated) only where a page breaks, and only between 一级指标 groups
    a_areas = sorted((int(x.split(":")[0][1:]), int(x.split(":")[1][1:])) for x in m if x.startswith("A")
                     and x.split(":")[1].startswith("A") and h <= int(x.split(":")[0][1:]) <= last)
    assert a_areas[0][0] in (h, first) and a_areas[-1][1] == last
    assert all(ws.cell(r1, 1).value == "绩效指标" for r1, _ in a_areas)
    assert all(b in (h - 1, first + 8, first + 12, first + 13) for b in breaks if h - 1 <= b < last)
    assert f"B{first}:B{first + 8}" in m and ws.cell(first, 2).value == "产出指标"
    assert f"C{first}:C{first + 4}" in m and ws.cell(first, 3).value == "数量指标"
    assert f"B{first + 9}:B{first + 12}" in m and ws.cell(first + 9, 2).value == "效益指标"
    assert f"C{first + 9}:C{first + 9}" not in m
    # 人才培训: recomputed 3 against a stated 5 (a case scored before 复核评分: the recomputation), highlighted
    r = first + 4
    assert ws.cell(r, 10).value == "15000人次"  # 复核完成值: as printed
    assert_number(ws.cell(r, 11), 3)
    assert_number(ws.cell(r, 12), 2)  # 扣分 = 自评 5 − 复核 3
    assert "指标值设定偏低" in ws.cell(r, 14).value
    assert ws.cell(r, 8).fill.fgColor.rgb.endswith("FFE699")
    assert not ws.cell(r + 1, 8).fill.fgColor.rgb.endswith("FFE699")

    t = find_row(ws, "总分（绩效自评综合得分）")
    assert t == last + 1
    assert ws.cell(t, 7).value is None  # no 分值 total printed on seed 004
    assert_number(ws.cell(t, 8), 100)  # 100 ≠ 10 + Σ得分 (110): the stated value, not a formula
    assert ws.cell(t, 10).value == "复核总分"
    assert_number(ws.cell(t, 11), 108)
    assert_number(ws.cell(t, 12), -8)
    assert "110" in ws.cell(t, 13).value and "应为100分" in ws.cell(t, 13).value
    assert ws.cell(t, 8).fill.fgColor.rgb.endswith("FFE699")
    assert ws.cell(t + 1, 1).value == "评价等次" and ws.cell(t + 1, 7).value == "优"
    assert ws.cell(t + 1, 10).value == "复核等次"
    assert ws.cell(t + 1, 11).value == "优" and ws.cell(t + 1, 12).value is None
    assert f"A{t}:F{t}" in m and f"G{t + 1}:I{t + 1}" in m and "A1:I1" in m and "D2:I2" in m
    assert ws.cell(t + 3, 1).value == "填表人："


def test_selfeval_totals_are_formulas_only_when_they_equal_their_parts(tmp_path):
    case = case_001()
    [path] = export_workbooks(case, tmp_path, now=NOW)
    assert path.name == "中国共产党株洲市天元区委员会组织部_2024_绩效审核.xlsx"
    ws = openpyxl.load_workbook(path)["整体支出绩效自评表"]
    r = find_row(ws, "年度资金总额", 2)
    assert_number(ws.cell(r, 7), "0.8823", "0.00%")
    assert_number(ws.cell(r, 8), "8.8")
    assert_number(ws.cell(r, 10), "0.882254", "0.00%")
    assert_number(ws.cell(r, 12), "-0.02")  # within the ±0.05 score tolerance: shown, not highlighted
    assert not ws.cell(r, 12).fill.fgColor.rgb.endswith("FFE699")
    h = find_row(ws, "一级指标", 2)
    first, last = h + 1, h + len(INDICATORS_001)
    t = find_row(ws, "总分（绩效自评综合得分）")
    assert_number(ws.cell(t, 7), 100)  # 10 + 90 = 100 as printed: a value, never a formula
    assert_number(ws.cell(t, 8), "96.8")  # 8.8 + 88 = 96.8 as printed
    assert_number(ws.cell(t, 11), "96.58")  # no 复核评分 in this hand-made case: the recomputation
    assert_number(ws.cell(t, 12), "0.22")  # 扣分: 96.8 − 96.58
    assert ws.cell(t + 1, 7).value is None and ws.cell(t + 1, 11).value == "优"
    assert ws.cell(t + 1, 12).value == "表中未填评价等次"
    assert_number(ws.cell(first + 10, 7), "2.5")
    # no 基础数据表 in the package: 三公 rows from 公开09, 2910 元 → 0.29 万元, and 三公 = parts → formula
    wb = openpyxl.load_workbook(path)
    b = wb["基础数据表"]
    r = find_row(b, "3、公务接待")
    assert_number(b.cell(r, 4), "0.29")
    assert "取自决算公开09表" in b.cell(r, 4).comment.text and "2910" in b.cell(r, 4).comment.text
    s = find_row(b, "三公经费")
    assert_number(b.cell(s, 4), "0.29")
    assert "取自决算公开09表" in b.cell(s, 4).comment.text
    assert b.cell(s, 4).fill.fgColor.rgb.endswith("DDEBF7")  # marked as taken from the 决算
    assert b.cell(s, 2).value is None
    assert b["A3"].value == "填报单位：中国共产党株洲市天元区委员会组织部"
    note = b.cell(find_row(b, "厉行节约保障措施") + 1, 1).value
    assert note.startswith("审核注：材料中没有基础数据表") and "三公经费2024年预算数" in note


def test_common_indicator_sheet(wb004):
    ws = wb004["共性指标评分表"]
    assert ws["G2"].value == "评分口径（预设）：湖南FY2018县级样本"
    h = find_row(ws, "序号")
    assert [ws.cell(h, c).value for c in range(1, 11)] == [
        "序号", "指标", "计算公式", "数据项", "数值", "指标值", "分值", "评分标准", "得分", "说明"]
    items = case_004().scores["indicators"]["items"]
    r = h + 1
    m = merged(ws)
    for n, it in enumerate(items, 1):
        inputs = list(it["inputs"].items()) or [("", None)]
        assert_number(ws.cell(r, 1), n, "0")
        assert ws.cell(r, 2).value == it["name"] and ws.cell(r, 3).value == it["formula"]
        for k, (name, v) in enumerate(inputs):
            assert ws.cell(r + k, 4).value == (name or None)
            if v is None:
                assert ws.cell(r + k, 5).value is None
            else:
                places = max(0, -v.as_tuple().exponent)  # "auto": whole numbers as such, else ≥ 2 decimals
                assert_number(ws.cell(r + k, 5), v, "0." + "0" * max(2, places) if places else "0")
        if it["value"] is None:
            assert ws.cell(r, 6).value is None and ws.cell(r, 9).value is None
        else:
            assert_number(ws.cell(r, 6), it["value"] / 100, "0.00%")
            assert_number(ws.cell(r, 9), it["score"])
        assert_number(ws.cell(r, 7), it["weight"])
        assert ws.cell(r, 8).value == (it["rule"] or None)
        assert ws.cell(r, 10).value == (it["note"] or None)
        if len(inputs) > 1:
            for col in "ABCFGHIJ":
                assert f"{col}{r}:{col}{r + len(inputs) - 1}" in m
        r += len(inputs)
    assert ws.cell(r, 1).value == "合计"
    assert_number(ws.cell(r, 7), sum(it["weight"] for it in items if it["weight"] is not None))
    assert_number(ws.cell(r, 9), sum(it["score"] for it in items if it["score"] is not None))
    assert ws.cell(r + 1, 1).value.startswith("得分率")
    assert_number(ws.cell(r + 1, 7), "0.5116", "0.00%")
    assert ws.cell(r + 2, 1).value == "评价等次" and ws.cell(r + 2, 7).value == "差"
    assert ws.cell(r + 4, 1).value == "以下指标缺少数据未计分：结转结余率"


def test_findings_sheet_lists_every_finding_with_its_decision(wb004):
    ws = wb004["问题清单"]
    h = find_row(ws, "序号")
    assert [ws.cell(h, c).value for c in range(1, 15)] == [
        "序号", "严重程度", "问题类别", "检查项", "问题描述", "涉及数值", "文档", "页码", "审核结论", "理由",
        "备注（文件、其他页码、消除该问题的修改）", "审核人", "审核时间", "检查编号"]
    case = case_004()
    expected = [
        ("错误", "selfeval.weights_sum_100", "自评表分值合计应为100", "110\n100", "自评表", 2,
         "文件：附件3-1 自评表.pdf，另见第3页", "已核实", "分值合计确为110分", "李审核", datetime(2025, 7, 2, 10, 40)),
        ("错误", "cross.project_expense", "跨文档核对检查", "701.92\n661.46\n661.46", "自评报告\n自评表\n基础数据表",
         2, "文件：附件1 自评报告.pdf\n自评表：附件3-1 自评表.pdf，第1页\n基础数据表：附件2 基础数据表.pdf，第1页", "未处理",
         None, None, None),
        ("警告", "basic.public_control_rate", "基础数据表检查", "40.54\n30.74\n131.88%", "基础数据表", 1,
         "文件：附件2 基础数据表.pdf", "不适用", "公用经费超预算系年中追加，情况说明已解释", "李审核",
         datetime(2025, 7, 2, 10, 30)),
        ("提示", "narrative.repeated_number", "自评报告检查", "00多名\n100多名", "自评报告", 5,
         "文件：附件1 自评报告.pdf", "未处理", None, None, None),
    ]
    for i, (f, exp) in enumerate(zip(case.findings, expected)):
        r = h + 1 + i
        sev, check, name, values, docs, page, note, decision, reason, reviewer, when = exp
        assert_number(ws.cell(r, 1), i + 1, "0")
        assert ws.cell(r, 2).value == sev
        assert ws.cell(r, 4).value == name  # the Chinese name, never the id …
        assert ws.cell(r, 14).value == check  # … which is in the last column, not printed
        assert ws.cell(r, 5).value == f.message
        assert ws.cell(r, 6).value == values
        assert ws.cell(r, 7).value == docs
        assert_number(ws.cell(r, 8), page, "0")  # 页码 a number
        assert ws.cell(r, 11).value == note
        assert ws.cell(r, 9).value == decision
        assert ws.cell(r, 10).value == reason and ws.cell(r, 12).value == reviewer
        assert ws.cell(r, 13).value == when
        if when:
            assert ws.cell(r, 13).number_format == "yyyy-mm-dd hh:mm"
    assert ws.freeze_panes == f"A{h + 1}"
    ref = ws.auto_filter.ref
    assert ref.startswith(f"A{h}:N") and int(ref.split(":N")[1]) >= h + len(case.findings)
    assert ws.print_area == f"'问题清单'!$A$1:$M${ws.max_row}" or ws.print_area.endswith(f"$M${ws.max_row}")


def test_corrections_sheet_lists_every_correction(wb004):
    ws = wb004["修改记录"]
    h = find_row(ws, "序号")
    assert [ws.cell(h, c).value for c in range(1, 12)] == [
        "序号", "操作", "字段", "字段键", "文档", "页码", "原值", "修改后", "理由", "时间", "审核人"]
    r = h + 1
    assert ws.cell(r, 2).value == "修改"
    assert ws.cell(r, 3).value == "其中：办公经费" and ws.cell(r, 4).value == "basic.public_office.final"
    assert ws.cell(r, 5).value == "附件2 基础数据表.pdf"
    assert_number(ws.cell(r, 6), 1, "0")
    assert_number(ws.cell(r, 7), "4.50")
    assert_number(ws.cell(r, 8), "4.05")
    assert ws.cell(r, 9).value == "识别错误，按原表更正"
    assert ws.cell(r, 10).value == datetime(2025, 7, 2, 10, 12) and ws.cell(r, 11).value == "李审核"
    assert ws.cell(r, 10).number_format == "yyyy-mm-dd hh:mm"
    r += 1
    assert ws.cell(r, 3).value == "年初预算数" and ws.cell(r, 4).value == "selfeval.funds.initial_budget"
    assert ws.cell(r, 5).value == "附件3-1 自评表.pdf"
    assert_number(ws.cell(r, 7), "651.20")
    assert_number(ws.cell(r, 8), "615.20")
    assert ws.cell(r, 10).value == datetime(2025, 7, 2, 11, 5, 30) and ws.cell(r, 11).value == "王复核"
    assert ws.cell(r + 2, 1).value.startswith("注：")


def _formula_cells(path: Path) -> dict[str, set[str]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: {c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"}
            for ws in wb.worksheets}


def test_only_our_own_formulas_are_formulas(tmp_path):
    case = case_004()
    corrections, decisions = review_records(case)
    [path] = export_workbooks(case, tmp_path, corrections=corrections, decisions=decisions, now=NOW)
    [built] = build_workbooks(case, corrections=corrections, decisions=decisions, now=NOW)
    # values only: no cell of any sheet is a formula (openpyxl cannot write a formula's cached value)
    assert all(not cells for cells in _formula_cells(path).values())
    assert all(not cells for cells in built.formulas.values())


INJECTIONS = ['=HYPERLINK("http://evil.example/x","点我")', "+1", "-2", "@x", "\t=1+1", "\r=2", "#N/A",
              "=cmd|' /C calc'!A0"]


def test_document_strings_are_never_formulas(tmp_path):
    case = case_004()
    for f in case.fields:
        if f.key in ("basic.unit_name", "selfeval.unit_name"):
            f.value = INJECTIONS[0]
    ind = case.indicators[0]
    ind.level1, ind.level3, ind.target, ind.actual, ind.deviation = INJECTIONS[1:6]
    case.indicators[1].level3 = INJECTIONS[6]
    case.findings[3].message = INJECTIONS[7]
    case.findings[3].values = ["=1+2", "-3"]
    case.fields.append(_text("basic.austerity_measures", "=SUM(A1:A9)", "d2"))
    corrections = [{"key": "basic.unit_name", "original_raw": "=1+1", "new_raw": "@SUM(1)", "reason": "-x",
                    "reviewer": "=x", "time": "昨天"}]
    [path] = export_workbooks(case, tmp_path, corrections=corrections, now=NOW)
    assert path.name.startswith("=HYPERLINK(_http_evil.example_x_,_点我_)_2024")
    [built] = build_workbooks(case, corrections=corrections, now=NOW)
    assert _formula_cells(path) == built.formulas
    wb = openpyxl.load_workbook(path)
    found: dict[str, list] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.data_type == "s":
                    found.setdefault(c.value, []).append(c)
    # an XML reader turns a CR into LF (Excel does too); the cell is text all the same
    expected = [s.replace("\r", "\n") for s in INJECTIONS] + ["=SUM(A1:A9)", "=1+1", "@SUM(1)", "-x", "=x"]
    for s in expected:
        assert s in found, s
        for c in found[s]:
            assert c.data_type == "s"
            if s[0] in "=+-@\t\n":
                assert c.quotePrefix, (s, c.coordinate)
    assert "=1+2\n-3" in found
    assert wb["整体支出绩效自评表"]["D2"].value == INJECTIONS[0]


def test_file_names_are_safe_on_windows(tmp_path):
    assert safe_file_name('a\\b/c:d*e?f"g<h>i|j. .xlsx') == "a_b_c_d_e_f_g_h_i_j.xlsx"
    assert safe_file_name("CON.xlsx") == "_CON.xlsx"
    assert safe_file_name("  ...xlsx") == "未命名.xlsx"
    assert safe_file_name("中共岳阳市云溪区委组织部_2024_绩效审核.xlsx") == FILE_004
    case = case_004()
    for f in case.fields:
        if f.key.endswith("unit_name"):
            f.value = '  某某局<机关>: "综合"股/室.. '
    [p] = export_workbooks(case, tmp_path, now=NOW)
    assert p.name == "某某局_机关_ _综合_股_室_2024_绩效审核.xlsx"
    # no unit name, no year: a name still
    bare = Case()
    [p] = export_workbooks(bare, tmp_path, now=NOW)
    assert p.name == "未命名单位_绩效审核.xlsx"


def test_year_from_a_field_when_documents_have_none(tmp_path):
    case = case_001()
    case.documents[0].year = None
    case.fields.append(_field("report.year", "2023", "年", doc="d1"))
    [p] = export_workbooks(case, tmp_path, now=NOW)
    assert p.name.endswith("_2023_绩效审核.xlsx")
    ws = openpyxl.load_workbook(p)["基础数据表"]
    assert ws.cell(find_row(ws, "经费控制情况(万元)"), 2).value == "2022年决算数"


def test_atomic_write_overwrite_and_no_temp_files(tmp_path, monkeypatch):
    case = case_004()
    [p] = export_workbooks(case, tmp_path, now=NOW)
    assert sorted(os.listdir(tmp_path)) == [FILE_004]
    before = p.read_bytes()
    with pytest.raises(FileExistsError):
        export_workbooks(case, tmp_path, overwrite=False, now=datetime(2026, 1, 1))
    assert p.read_bytes() == before and sorted(os.listdir(tmp_path)) == [FILE_004]
    [p2] = export_workbooks(case, tmp_path, overwrite=True, now=datetime(2026, 1, 1))
    assert p2 == p and p.read_bytes() != before
    assert sorted(os.listdir(tmp_path)) == [FILE_004]
    # a failure while saving leaves the previous file intact and no temp file behind
    good = p.read_bytes()

    def boom(self, filename):
        filename.write(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    with pytest.raises(OutputError) as err:
        export_workbooks(case, tmp_path, now=NOW)
    assert err.value.reason == "磁盘已满，无法保存Excel文件"
    assert p.read_bytes() == good and sorted(os.listdir(tmp_path)) == [FILE_004]


def test_unwritable_output_raises_output_error_in_chinese(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as err:
        export_workbooks(case_004(), blocker, now=NOW)
    assert err.value.reason == "保存位置不是文件夹，无法保存Excel文件"
    with pytest.raises(OutputError) as err:
        export_workbooks(case_004(), blocker / "sub", now=NOW)
    assert err.value.reason in ("保存位置不是文件夹，无法保存Excel文件", "保存位置（目录）不存在，无法保存Excel文件")
    if os.name == "posix" and os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        try:
            with pytest.raises(OutputError) as err:
                export_workbooks(case_004(), ro, now=NOW)
            assert "权限" in err.value.reason
        finally:
            ro.chmod(0o755)


def test_new_output_folder_is_created(tmp_path):
    [p] = export_workbooks(case_001(), tmp_path / "导出" / "2025", now=NOW)
    assert p.exists() and p.parent == tmp_path / "导出" / "2025"


def test_case_without_scores_findings_or_corrections_still_exports(tmp_path):
    case = case_004()
    case.scores = {}
    case.findings = []
    case.indicators = []
    [p] = export_workbooks(case, tmp_path, now=NOW)
    wb = openpyxl.load_workbook(p)
    ws = wb["问题清单"]
    assert ws.cell(find_row(ws, "序号") + 1, 1).value == "未发现问题"
    ws = wb["修改记录"]
    assert ws.cell(find_row(ws, "序号") + 1, 1).value == "无修改"
    ws = wb["共性指标评分表"]
    r = find_row(ws, "合计")
    assert ws.cell(r - 1, 1).value == "（未计算共性指标）"
    assert ws.cell(r, 7).value is None and ws.cell(r, 7).data_type != "f"
    ws = wb["整体支出绩效自评表"]
    h = find_row(ws, "一级指标", 2)
    assert ws.cell(h + 1, 2).value == "（自评表未列绩效指标）"
    t = find_row(ws, "总分（绩效自评综合得分）")
    assert_number(ws.cell(t, 8), 100) and ws.cell(t, 10).value is None
    assert wb["共性指标评分表"]["G2"].value == "评分口径（预设）：默认"


def test_review_log_records_of_core_review(tmp_path):
    """The records core.review keeps (frozen dataclasses, ISO times with offset, undo entries, and a decision
    on a finding that a correction has since made disappear) export as they are."""
    review = pytest.importorskip("core.review.corrections")
    case = case_004()
    common = {"field_id": "f_office_final", "key": "basic.public_office.final", "original_value": D("4.50"),
              "original_raw": "4.50", "reviewer": "李审核"}
    corrections = [
        review.Correction(seq=1, kind="edit", old_value=D("4.50"), old_raw="4.50", new_value=D("4.05"),
                          new_raw="4.05", reason="识别错误", time="2025-07-02T10:12:00+08:00", **common),
        review.Correction(seq=2, kind="undo", old_value=D("4.05"), old_raw="4.05", new_value=D("4.50"),
                          new_raw="4.50", reason="", time="2025-07-02T10:13:00+08:00", ref=1, **common),
    ]
    decisions = [
        review.Decision(fingerprint="0123456789abcdef", status="已核实", reason="修改后问题已消除", reviewer="李审核",
                        time="2025-07-02T10:20:00+08:00", check="basic.sangong_sum", message="三公经费不等于各项之和"),
        review.Decision(fingerprint=case.findings[1].fingerprint, status="", reason="", reviewer="李审核",
                        time="2025-07-02T10:21:00+08:00"),  # reopened
    ]
    [p] = export_workbooks(case, tmp_path, corrections=corrections, decisions=decisions, now=NOW)
    wb = openpyxl.load_workbook(p)
    ws = wb["修改记录"]
    h = find_row(ws, "序号")
    assert [ws.cell(h + 1, c).value for c in (2, 4)] == ["修改", "basic.public_office.final"]
    assert ws.cell(h + 2, 2).value == "撤销"
    assert_number(ws.cell(h + 2, 8), "4.50")
    assert ws.cell(h + 1, 10).value == datetime(2025, 7, 2, 10, 12)  # wall-clock time as recorded
    ws = wb["问题清单"]
    h = find_row(ws, "序号")
    assert ws.cell(h + 2, 9).value == "未处理"  # reopened
    r = h + 1 + len(case.findings)
    assert ws.cell(r, 2).value == "已消除" and ws.cell(r, 9).value == "已核实"
    assert ws.cell(r, 14).value == "basic.sangong_sum" and ws.cell(r, 4).value == "三公经费合计"
    assert ws.cell(r, 5).value == "三公经费不等于各项之和"


def test_with_the_real_scoring(tmp_path):
    """Against what core.scoring really puts in case.scores (rules as dicts, units per item)."""
    scoring = pytest.importorskip("core.scoring")
    case = case_004()
    case.scores = {}
    scoring.score_case(case)
    from core.scoring.review_score import attach_review_scores

    attach_review_scores(case)  # as core.pipeline.recheck does after the scoring
    scores = case.scores
    [p] = export_workbooks(case, tmp_path, now=NOW)
    assert all(not cells for cells in _formula_cells(p).values())
    wb = openpyxl.load_workbook(p)
    ws = wb["共性指标评分表"]
    names = [c.value for c in ws["B"] if c.value]
    for item in scores["indicators"]["items"]:
        assert item["name"] in names
        r = next(row for row in range(1, ws.max_row + 1) if ws.cell(row, 2).value == item["name"])
        if item["value"] is not None:
            cell = ws.cell(r, 6)
            assert cell.data_type == "n"
            expected = item["value"] / 100 if item.get("unit", "%") == "%" else item["value"]
            assert D(repr(cell.value)) == expected
    ws = wb["整体支出绩效自评表"]
    t = find_row(ws, "总分（绩效自评综合得分）")
    sev = scores["selfeval"]
    shown = sev.get("normalized_total") if sev.get("weight_sum") not in (None, 100) else None
    if shown is None:
        shown = sev.get("recomputed_total")
    review = scores["review"]
    assert D(repr(ws.cell(t, 11).value)) == review["total"]  # the 复核得分, the one the grade is read from
    if shown is not None and review["caps"]["cap"] is None:
        assert review["total"] == shown


# -- rendering (LibreOffice) -------------------------------------------------------------------------------------

@pytest.mark.render
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) and poppler (pdftoppm) are not installed")
def test_render_with_libreoffice(tmp_path):
    """Each sheet prints one page wide with its Chinese text; PNGs are left for a human in ``tmp_path``."""
    case = case_004()
    corrections, decisions = review_records(case)
    [xlsx] = export_workbooks(case, tmp_path, corrections=corrections, decisions=decisions, now=NOW)
    script = Path(__file__).resolve().parents[3] / "tools" / "render_xlsx.sh"
    out = tmp_path / "render"
    res = subprocess.run(["bash", str(script), str(xlsx), str(out)], capture_output=True, text=True, timeout=300,
                         check=False)
    assert res.returncode == 0, res.stderr
    pdf = out / (xlsx.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))

    def page(n: int) -> str:
        return subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout

    # Pages by sheet (the footer names the sheet).  One page wide: every page of a sheet holds its first and
    # last column (the table header repeats on a second page); the 基础数据表 fits on one page.
    sheets: dict[str, list[str]] = {}
    for n in range(1, pages + 1):
        text = page(n)
        name = re.findall(r"(\S+)\s+第\s*\d+\s*页", text)[-1]
        sheets.setdefault(name, []).append(text)
    assert len(sheets["基础数据表"]) == 1
    edges = {"基础数据表": ("财政供养人员情况", "2024年决算数"), "整体支出绩效自评表": ("一级指标", "复核依据"),
             "共性指标评分表": ("序号", "说明"), "问题清单": ("序号", "审核时间"), "修改记录": ("序号", "审核人")}
    for name, (left, right) in edges.items():
        for text in sheets[name]:
            assert left in text and right in text, name
    expect = {
        "基础数据表": ("部门整体支出绩效评价基础数据表", "填报单位：中共岳阳市云溪区委组织部", "0.96", "661.46",
                  "40.54", "100.00%", "说明：", "单位负责人签字："),
        "整体支出绩效自评表": ("2024年度部门（单位）整体支出绩效自评表", "年度资金总额", "615.20", "100.00%",
                      "党校主体班次", "15000人次", "预算控制数", "108.00", "评价等次", "填表人："),
        "共性指标评分表": ("部门整体支出绩效评价共性指标评分表", "在职人员控制率", "134.15%", "48.00", "22.00"),
        "问题清单": ("审核问题清单", "自评表各项分值合计110分", "不适用", "2025-07-02 10:30"),
        "修改记录": ("审核修改记录", "basic.public_office.final", "615.20", "2025-07-02 11:05"),
    }
    for name, strings in expect.items():
        text = "".join(sheets[name])
        for s in strings:
            assert s in text, (name, s)
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == pages and all(p.stat().st_size > 5000 for p in pngs)


def test_common_indicator_criteria_are_said_in_words(tmp_path):
    """The presets cite their sources by letter ("湖南 (a)(c)(d)", "推定"); the sheet says them in words."""
    case = case_004()
    items = case.scores["indicators"]["items"]
    items[0]["rule"] = "≤100%计满分；每超过一个百分点扣0.5分，扣完为止（湖南 (a)(c)(d)）"
    items[1]["rule"] = "≤100%计满分；每超过一个百分点扣1分，扣完为止（比照“三公经费”控制率，推定）"
    [p] = export_workbooks(case, tmp_path, now=NOW)
    ws = openpyxl.load_workbook(p)["共性指标评分表"]
    rules = [c.value for c in ws["H"] if isinstance(c.value, str) and "扣完为止" in c.value]
    assert rules[0].endswith("（依据：湖南省经信委2015年评分表、湖南2018年县级评分表、岳阳市评分表）")
    assert rules[1].endswith("（所依据的评分表未规定此项，由审核工具比照“三公经费”控制率设定）")
    assert not any(re.search(r"\([a-e]\)|推定", r) for r in rules)
