"""Fixture PDFs made by another PDF producer: LibreOffice (developer tool, needs ``soffice`` with Calc and Writer).

    python tools/make_producer_fixtures.py        # writes tests/data/producers/libreoffice/

Why it exists: every package of ``tests/data/packages`` is drawn by our own generator, so extraction could
quietly come to depend on how *that* generator places text.  Departments print from Excel and Word/WPS; these
PDFs come from LibreOffice instead — other fonts, other glyph placement, ruled cells drawn as Calc draws them,
justified paragraphs laid out by Writer:

* ``<package>_forms.pdf``: the 基础数据表 and 自评表 sheets of our Excel export of a fixture package, printed by
  Calc.  Harder than the source in three ways: the 自评表 has the reviewer's extra columns to the right of 得分
  (复核得分, 得分差异 — a header naming 得分 twice), the 总分 row is labelled "总分（绩效自评综合得分）" with 分值
  and 得分 beside it, and the sheet's repeated title rows make a vertical "绩效指标" cell spill into the next row.
* ``lingling_report.pdf``: seed 000's narrative (the two title lines added, as the package does) typeset by
  Writer from HTML.
* ``xiangyin_report_ragged.pdf``: that department's 自评报告 typed left-aligned, not justified: "8.02%。" wraps
  whole to the next line and leaves the line before it short; a "包括" list inside a part of a "其中" list.
* ``split_files_2024_basic_draw.pdf``: a fixture 基础数据表 opened in LibreOffice Draw and exported again (a
  substituted, wider font: figures run over their cells' right rules, "3 、公务接待" spaced).
* ``xiangyin_variant.pdf``: the clean one with another district's labels (全年预算数（A）, 权重（分）, 自评得分, 资金总额,
  财政拨款, 年末实有人数, 上年/本年决算数, 指标值, 实际值, "实际在职人员43名") and the 自评表's money in 元
  ("年度预算申请（元）", "16,203,500.00").
* ``xiangyin_clean.pdf`` / ``xiangyin_injected.pdf``: a whole package the way a department types it in Word —
  自评报告, then 附件1 自评表 and 附件2 基础数据表 as ruled tables with merged (rowspan/colspan) cells, "1,620.35"
  with separators, tables that run over pages without a repeated header, a merged "效益指标（30分）" cell that the
  page break cuts in two ("分）" alone at the top of the next page), "比上年决算6.50万元减少0.70万元".  The clean
  one agrees everywhere; the injected one carries the errors listed in ``INJECTED`` (each with what a finding
  must name).  Its figures are the data below, so the expected values are written from the same source.

``expected.json`` names, for each PDF, the source package; the expected figures are that package's own
``expected.json`` (written by the generator from what it printed), so nothing here is taken from our extractor.
LibreOffice output is not byte-stable (it stamps dates), so the PDFs are committed and this script is re-run
by hand when the export layout changes.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "tests/data/packages"
OUT = ROOT / "tests/data/producers/libreoffice"
SEEDS = ROOT.parent / "shared/seeds"

FORM_PACKAGES = ("yunxi_2024", "variant_clean_2024", "variant_injected_2024", "variant_xuanchuan_2023")
FORM_SHEETS = ("基础数据表", "整体支出绩效自评表")


def _soffice(src: Path, outdir: Path, *options: str, to: str = "pdf") -> Path:
    """``src`` converted to PDF by LibreOffice into ``outdir`` (``options`` before ``--convert-to``)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("soffice (LibreOffice) not found")
    subprocess.run([exe, "--headless", *options, "--convert-to", to, "--outdir", str(outdir), str(src)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    pdf = outdir / (src.stem + ".pdf")
    if not pdf.exists():
        sys.exit(f"LibreOffice did not convert {src.name}")
    return pdf


def forms_pdf(package: str, tmp: Path) -> Path:
    import openpyxl

    out = tmp / package
    subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(PACKAGES / package), "-o", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    wb = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    for name in list(wb.sheetnames):
        if name not in FORM_SHEETS:
            del wb[name]
    xlsx = tmp / f"{package}_forms.xlsx"
    wb.save(xlsx)
    return _soffice(xlsx, tmp)


def lingling_pdf(tmp: Path) -> Path:
    seed = (SEEDS / "000_4aab2cec78df20e0.txt").read_text(encoding="utf-8")
    paras = [ln.strip() for ln in seed.splitlines() if ln.strip()]
    body = ("<h2 style='text-align:center'>中共永州市零陵区委组织部</h2>"
            "<h2 style='text-align:center'>2024年度部门整体支出绩效自评报告</h2>"
            + "\n".join(f"<p style='text-indent:2em;line-height:150%;text-align:justify'>{html.escape(p)}</p>"
                        for p in paras))
    src = tmp / "lingling_report.html"
    src.write_text("<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Micro Hei';"
                   f"font-size:12pt}}</style></head><body>{body}</body></html>", encoding="utf-8")
    return _soffice(src, tmp)


# -- a Word-like package (湘阴县自然资源局, invented): the figures, the HTML, the expected fields ------------------

UNIT = "湘阴县自然资源局"
STAFF = {"authorized": "45", "actual": "43", "control_rate": "95.56%"}
# key: (label, 2023年决算数, 2024年预算数, 2024年决算数)
BASIC_ROWS = [
    ("sangong", "三公经费", "6.50", "7.00", "5.80"),
    ("vehicle", "1、公务用车购置和维护经费", "5.00", "5.20", "4.60"),
    ("vehicle_purchase", "其中：公车购置", "0.00", "0.00", "0.00"),
    ("vehicle_operation", "公车运行维护", "5.00", "5.20", "4.60"),
    ("abroad", "2、出国经费", "0.00", "0.00", "0.00"),
    ("reception", "3、公务接待", "1.50", "1.80", "1.20"),
    ("project", "项目支出：", "820.00", "900.00", "870.35"),
    ("project_business", "1、业务工作经费", "300.00", "320.00", "310.15"),
    ("project_operation", "2、运行维护经费", "120.00", "130.00", "125.20"),
    ("project_special", "3、本级专项资金（一个专项一行）", "400.00", "450.00", "435.00"),
    ("public", "公用经费：", "80.00", "85.00", "82.40"),
    ("public_office", "其中：办公经费", "20.00", "22.00", "21.30"),
    ("public_utilities_travel", "水费、电费、差旅费", "15.00", "16.00", "15.10"),
    ("public_meeting_training", "会议费、培训费", "8.00", "9.00", "8.20"),
    ("procurement", "政府采购金额", "150.20", "160.00", "156.80"),
    ("budget_adjustment", "部门基本支出预算调整", "0.00", "0.00", "0.00"),
]
FUNDS = {"initial_budget": "1,500.00", "annual_budget": "1,650.00", "executed": "1,620.35", "weight": "10",
         "execution_rate": "98.20%", "score": "9.82"}
INCOME = {"general_budget": "1,600.35", "gov_fund": "20.00", "special_account": "0.00"}
SPENDING = {"basic": "750.00", "project": "870.35"}
# (一级 printed, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分)
INDICATORS = [
    ("产出指标（40分）", "数量指标", "不动产登记办件量", "≥20000件", "23560件", "10", "10"),
    ("产出指标（40分）", "数量指标", "耕地保护巡查次数", "≥12次", "14次", "10", "10"),
    ("产出指标（40分）", "质量指标", "登记办结率", "100%", "100%", "10", "10"),
    ("产出指标（40分）", "时效指标", "资金支付及时率", "≥95%", "98%", "10", "10"),
    ("效益指标（30分）", "社会效益指标", "耕地保有量任务完成率", "100%", "100%", "10", "10"),
    ("效益指标（30分）", "生态效益指标", "违法用地查处率", "≥90%", "95%", "10", "10"),
    ("效益指标（30分）", "可持续影响指标", "自然资源管理长效机制", "健全", "健全", "10", "10"),
    ("满意度指标（10分）", "服务对象满意度指标", "群众满意度", "≥90%", "96%", "10", "10"),
    ("成本指标（10分）", "经济成本指标", "公用经费", "≤85万元", "82.40万元", "10", "10"),
]
TOTAL = ("100", "99.82")
REPORT = """<p>一、部门（单位）基本情况</p>
<p>（一）部门职能职责。负责全县自然资源调查监测评价、统一确权登记、国土空间规划和用途管制等工作。</p>
<p>（二）机构编制与人员情况。本部门编制数45人，2024年末实有人数43人。</p>
<p>二、部门整体支出情况</p>
<p>2024年度收入总计1,620.35万元，其中：一般公共预算拨款收入1,600.35万元，政府性基金预算拨款收入20.00万元。\
2024年度支出总计1,620.35万元，其中：基本支出750.00万元，占总支出的46.29%；项目支出870.35万元，占总支出的53.71%。</p>
<p>“三公”经费支出5.80万元，比上年决算6.50万元减少0.70万元，下降10.77%。其中：公务接待费1.20万元，\
公务用车运行维护费4.60万元。</p>
<p>三、部门整体预算执行情况</p>
<p>2024年年初预算1,500.00万元，全年预算1,650.00万元，全年执行1,620.35万元，预算执行率98.20%。</p>
<p>四、绩效自评结论</p>
<p>经自评，本部门2024年度整体支出绩效自评得分99.82分，评价等次为“优”。</p>
<p>五、存在的问题及改进措施</p>
<p>个别项目前期论证不够充分，下一步将加强项目储备和绩效目标管理。</p>"""
# (what is changed: printed text before → after, in the HTML), the check that must name it, values it must give
INJECTED = [
    ("'95.56%'", "'96.56%'", "basic.staff_control_rate", ["96.56", "95.56"]),
    ("'三公经费', '6.50', '7.00', '5.80'", "'三公经费', '6.50', '7.00', '6.80'", "basic.sangong_sum", ["6.80", "5.80"]),
    ("'score': '9.82'", "'score': '9.90'", "selfeval.execution_score", ["9.9", "9.82"]),
    ("'违法用地查处率', '≥90%', '95%'", "'违法用地查处率', '≥90%', '85%'", "selfeval.unmet_full_marks", []),
    ("占总支出的46.29%", "占总支出的46.92%", "narrative.share", ["46.92", "46.29"]),
    ("项目支出870.35万元，占总支出的53.71%", "项目支出807.35万元，占总支出的53.71%", "cross.c03_project", ["807.35", "870.35"]),
    ("'产出指标（40分）', '数量指标', '不动产登记办件量'", "'产出指标（50分）', '数量指标', '不动产登记办件量'",
     "selfeval.level1_weights", ["50", "40"]),
    ("2024年末实有人数43人", "2024年末实有人数44人", "cross.c21_staff", ["44", "43"]),
]


def _cells(*cells) -> str:
    out = []
    for c in cells:
        text, attrs = c if isinstance(c, tuple) else (c, "")
        out.append(f"<td {attrs}>{html.escape(str(text))}</td>")
    return "<tr>" + "".join(out) + "</tr>"


def _table(rows: list[str]) -> str:
    return '<table border="1" cellspacing="0" cellpadding="3" width="100%">' + "".join(rows) + "</table>"


def word_like_html(data: dict) -> str:
    """The package as Word would print it: report, 附件1 自评表, 附件2 基础数据表, one HTML document."""
    d = data
    f, inc, sp = d["FUNDS"], d["INCOME"], d["SPENDING"]
    se = [_cells(("区级预算部门（单位）名称", "colspan=2"), (UNIT, "colspan=7")),
          _cells(("年度预算申请（万元）", "rowspan=6"), "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
                 ("得分", "colspan=2")),
          _cells("年度资金总额", f["initial_budget"], f["annual_budget"], f["executed"], f["weight"],
                 f["execution_rate"], (f["score"], "colspan=2")),
          _cells(("按收入性质分：", "colspan=3"), ("按支出性质分：", "colspan=5")),
          _cells("其中：一般公共预算：", (inc["general_budget"], "colspan=2"), ("其中：基本支出：", "colspan=2"),
                 (sp["basic"], "colspan=3")),
          _cells("政府性基金拨款：", (inc["gov_fund"], "colspan=2"), ("项目支出：", "colspan=2"),
                 (sp["project"], "colspan=3")),
          _cells("纳入专户管理的非税收入拨款：", (inc["special_account"], "colspan=2"), ("", "colspan=2"),
                 ("", "colspan=3")),
          _cells(("年度总体目标", "rowspan=2"), ("预期目标", "colspan=4"), ("实际完成情况", "colspan=4")),
          _cells(("完成不动产登记、耕地保护、违法用地查处等重点工作，保障部门正常运转。", "colspan=4"),
                 ("全年办理不动产登记23560件，耕地保有量全面完成，违法用地查处率95%。", "colspan=4")),
          _cells(("绩效指标", f"rowspan={len(d['INDICATORS']) + 1}"), "一级指标", "二级指标", "三级指标",
                 "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")]
    inds = d["INDICATORS"]
    for i, (l1, l2, l3, target, actual, weight, score) in enumerate(inds):
        cells = []
        if i == 0 or inds[i - 1][0] != l1:
            cells.append((l1, f"rowspan={sum(1 for x in inds if x[0] == l1)}"))
        if i == 0 or inds[i - 1][:2] != (l1, l2):
            cells.append((l2, f"rowspan={sum(1 for x in inds if x[:2] == (l1, l2))}"))
        se.append(_cells(*cells, l3, target, actual, weight, score, ""))
    se += [_cells(("总分", "colspan=6"), d["TOTAL"][0], d["TOTAL"][1], ""),
           _cells(("评价等次", "colspan=6"), ("优", "colspan=3"))]
    st = d["STAFF"]
    bt = [_cells(("财政供养人员情况", "rowspan=2"), "编制数", "2024年实际在职人数", "控制率"),
          _cells(st["authorized"], st["actual"], st["control_rate"]),
          _cells("经费控制情况", "2023年决算数", "2024年预算数", "2024年决算数")]
    bt += [_cells(label, prev, budget, final) for _, label, prev, budget, final in d["BASIC_ROWS"]]
    bt.append(_cells("厉行节约保障措施", ("严格执行中央八项规定精神，压减一般性支出，公务接待实行清单管理。", "colspan=3")))
    sign = "<p class='n'>填表人：          填报日期：          联系电话：          单位负责人签字：</p>"
    brk = "<p class='n' style='page-break-before:always'></p>"
    css = ("body{font-family:'WenQuanYi Micro Hei';font-size:11pt} td{font-size:9pt}"
           " h1{text-align:center;font-size:16pt} p{text-indent:2em;line-height:150%;text-align:justify}"
           " p.n{text-indent:0}")
    body = (f"<h1>{UNIT}</h1><h1>2024年度部门整体支出绩效自评报告</h1>{d['REPORT']}{brk}"
            f"<p class='n'>附件1</p><h1>部门整体支出绩效自评表</h1><p class='n'>（2024年度）</p>{_table(se)}{sign}{brk}"
            f"<p class='n'>附件2</p><h1>部门整体支出绩效评价基础数据表</h1>"
            f"<p class='n'>填报单位：{UNIT}                                        单位：万元</p>{_table(bt)}"
            "<p class='n'>说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"
            f"</p>{sign}")
    return f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>"


def word_like_data(injected: bool) -> dict:
    names = ("STAFF", "BASIC_ROWS", "FUNDS", "INCOME", "SPENDING", "INDICATORS", "TOTAL", "REPORT")
    data = {n: globals()[n] for n in names}
    if injected:
        text = repr(data)
        for before, after, _, _ in INJECTED:
            assert text.count(before) == 1, before
            text = text.replace(before, after)
        import ast
        data = ast.literal_eval(text)
    return data


def word_like_expected(data: dict) -> list[dict]:
    """The fields the data prints, in the catalogue's keys (money in 万元, as printed)."""
    def clean(v: str) -> str:
        return v.replace(",", "").rstrip("%")

    out = [{"key": f"basic.staff.{k}", "value": clean(v)} for k, v in data["STAFF"].items()]
    for key, _, prev, budget, final in data["BASIC_ROWS"]:
        out += [{"key": f"basic.{key}.prev", "value": prev}, {"key": f"basic.{key}.budget", "value": budget},
                {"key": f"basic.{key}.final", "value": final}]
    out += [{"key": f"selfeval.funds.{k}", "value": clean(v)} for k, v in data["FUNDS"].items()]
    out += [{"key": f"selfeval.income.{k}", "value": clean(v)} for k, v in data["INCOME"].items()]
    out += [{"key": f"selfeval.spending.{k}", "value": clean(v)} for k, v in data["SPENDING"].items()]
    for l1 in dict.fromkeys(i[0] for i in data["INDICATORS"]):
        name, w = l1.replace("）", "").split("（")
        out.append({"key": f"selfeval.level1_weight.{name}", "value": w.rstrip("分")})
    out += [{"key": "selfeval.total_weight", "value": data["TOTAL"][0]},
            {"key": "selfeval.total_score", "value": data["TOTAL"][1]}, {"key": "selfeval.grade", "value": "优"}]
    return out


def word_like_indicators(data: dict) -> list[dict]:
    return [{"level1": l1.split("（")[0], "level2": l2, "level3": l3, "target": t, "actual": a, "weight": w,
             "score": s} for l1, l2, l3, t, a, w, s in data["INDICATORS"]]


# the same department as another district prints it: other labels, the 自评表's money in 元
VARIANT_LABELS = [("全年预算数", "全年预算数（A）"), ("全年执行数", "全年执行数（B）"), (">执行率<", ">执行率（B/A）<"),
                  ("<td >分值</td><td >得分</td><td >偏差", "<td >权重（分）</td><td >自评得分</td><td >偏差"),
                  ("2024年实际在职人数", "年末实有人数"), ("年度资金总额", "资金总额"), ("其中：一般公共预算：", "财政拨款："),
                  ("2023年决算数", "上年决算数"), ("2024年预算数", "本年预算数"), ("2024年决算数", "本年决算数"),
                  ("年度指标值", "指标值"), ("实际完成值", "实际值"), ("年度预算申请（万元）", "年度预算申请（元）"),
                  ("本部门编制数45人，2024年末实有人数43人", "核定编制45名，实际在职人员43名")]


def _yuan(v: str) -> str:
    from decimal import Decimal
    return f"{Decimal(v.replace(',', '')) * 10000:,.2f}"


def word_like_variant_data() -> dict:
    d = word_like_data(False)
    d["FUNDS"] = {k: _yuan(v) if k in ("initial_budget", "annual_budget", "executed") else v
                  for k, v in d["FUNDS"].items()}
    d["INCOME"] = {k: _yuan(v) for k, v in d["INCOME"].items()}
    d["SPENDING"] = {k: _yuan(v) for k, v in d["SPENDING"].items()}
    return d


def word_like_variant_html() -> str:
    h = word_like_html(word_like_variant_data())
    for before, after in VARIANT_LABELS:
        assert before in h, before
        h = h.replace(before, after)
    return h


def word_like_pdf(tmp: Path, injected: bool) -> Path:
    src = tmp / ("xiangyin_injected.html" if injected else "xiangyin_clean.html")
    src.write_text(word_like_html(word_like_data(injected)), encoding="utf-8")
    return _soffice(src, tmp)


def word_like_variant_pdf(tmp: Path) -> Path:
    src = tmp / "xiangyin_variant.html"
    src.write_text(word_like_variant_html(), encoding="utf-8")
    return _soffice(src, tmp)


# a report typed left-aligned (not justified): numbers wrap whole and leave the line before them ragged
RAGGED_REPORT = """湘阴县自然资源局
2024年度部门整体支出绩效自评报告
一、部门基本情况
本部门内设机构8个，核定编制45名，截至2024年底实有在职人员43人，退休人员12人。
二、部门收支情况
（一）收入情况。2024年度本部门收入合计1620.35万元，较上年增加120.35万元，增长8.02%。其中：财政拨款收入1600.35万元，\
占98.77%；其他收入20.00万元，占1.23%。
（二）支出情况。2024年度支出合计1620.35万元，其中：基本支出750.00万元，占46.29%，包括人员经费613.20万元、公用经费\
136.80万元；项目支出870.35万元，占53.71%。
（三）“三公”经费。一般公共预算财政拨款“三公”经费支出决算为5.80万元，完成预算的82.86%，决算数小于预算数的主要原因是\
厉行节约。其中：公务接待费支出1.20万元，完成预算的66.67%；公务用车运行维护费4.60万元，完成预算的88.46%；因公出国（境）费0万元。
（四）机关运行经费。2024年度机关运行经费支出82.40万元，比上年增加2.40万元，增长3%。
（五）政府采购。2024年度政府采购支出总额156.80万元，其中：政府采购货物支出56.80万元、政府采购服务支出100.00万元。
三、预算执行情况
2024年年初预算1500.00万元，年中追加150.00万元，全年预算1650.00万元，实际支出1620.35万元，部门整体支出预算执行率为98.20%，\
年末结转和结余0万元。
四、绩效自评结论
本部门自评得分99.82分，自评等级为“优”。
五、存在的问题
预算编制的精准度有待提高。
六、改进措施
加强预算编制管理。"""
RAGGED_FIELDS = [("report.staff.authorized", "45"), ("report.staff.actual", "43"), ("report.income_total", "1620.35"),
                 ("report.expense_total", "1620.35"), ("report.basic", "750.00"), ("report.project", "870.35"),
                 ("report.personnel", "613.20"), ("report.public", "136.80"), ("report.sangong.final", "5.80"),
                 ("report.sangong.reception.final", "1.20"), ("report.running_cost", "82.40"),
                 ("report.initial_budget", "1500.00"), ("report.annual_budget", "1650.00")]


def ragged_report_pdf(tmp: Path) -> Path:
    body = "".join(f"<p style='text-indent:2em;line-height:150%'>{html.escape(p)}</p>"
                   for p in RAGGED_REPORT.split("\n"))
    src = tmp / "xiangyin_report_ragged.html"
    src.write_text("<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Micro Hei';"
                   f"font-size:12pt}}</style></head><body>{body}</body></html>", encoding="utf-8")
    return _soffice(src, tmp)


DRAW_REPRINTS = [("split_files_2024", "01-部门整体支出绩效评价基础数据表.pdf", "split_files_2024_basic_draw.pdf")]


def draw_reprint(src: Path, tmp: Path) -> Path:
    """The PDF opened in LibreOffice Draw and exported again: each line its own text box, in a substituted,
    wider font, so right-aligned figures run over their cell's right rule ("179.33" with its last 3 past it)."""
    work = tmp / "draw"
    work.mkdir(exist_ok=True)
    shutil.copyfile(src, work / "in.pdf")
    return _soffice(work / "in.pdf", work / "out", "--infilter=draw_pdf_import", to="pdf:draw_pdf_Export")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for package in FORM_PACKAGES:
            shutil.copyfile(forms_pdf(package, tmp), OUT / f"{package}_forms.pdf")
            made.append({"file": f"{package}_forms.pdf", "source": package, "forms": list(FORM_SHEETS),
                         "keys": ["basic.", "selfeval."],
                         "not_printed": ["selfeval.level1_weight."]})
        shutil.copyfile(lingling_pdf(tmp), OUT / "lingling_report.pdf")
        made.append({"file": "lingling_report.pdf", "source": "lingling_2024", "forms": ["自评报告"],
                     "keys": ["report."], "not_printed": []})
        for injected in (False, True):
            name = "xiangyin_injected.pdf" if injected else "xiangyin_clean.pdf"
            shutil.copyfile(word_like_pdf(tmp, injected), OUT / name)
            data = word_like_data(injected)
            made.append({"file": name, "unit_name": UNIT, "forms": ["自评报告", "自评表", "基础数据表"],
                         "keys": ["basic.", "selfeval."], "not_printed": [],
                         "fields": word_like_expected(data), "indicators": word_like_indicators(data),
                         "expect_no_errors": not injected,
                         "injected": [{"printed": after, "instead_of": before, "check": check, "values": values}
                                      for before, after, check, values in INJECTED] if injected else []})
        shutil.copyfile(word_like_variant_pdf(tmp), OUT / "xiangyin_variant.pdf")
        data = word_like_variant_data()
        made.append({"file": "xiangyin_variant.pdf", "unit_name": UNIT, "forms": ["自评报告", "自评表", "基础数据表"],
                     "keys": ["basic.", "selfeval."], "not_printed": [], "money_unit": {"selfeval.": "元"},
                     "fields": word_like_expected(data), "indicators": word_like_indicators(data),
                     "expect_no_errors": True, "injected": []})
        shutil.copyfile(ragged_report_pdf(tmp), OUT / "xiangyin_report_ragged.pdf")
        made.append({"file": "xiangyin_report_ragged.pdf", "unit_name": UNIT, "forms": ["自评报告"],
                     "keys": ["report."], "not_printed": [], "expect_no_errors": True, "injected": [],
                     "fields": [{"key": k, "value": v} for k, v in RAGGED_FIELDS], "indicators": []})
        for package, src, name in DRAW_REPRINTS:
            shutil.copyfile(draw_reprint(PACKAGES / package / src, tmp), OUT / name)
            made.append({"file": name, "source": package, "source_file": src, "forms": ["基础数据表"],
                         "keys": ["basic."], "not_printed": []})
    (OUT / "expected.json").write_text(json.dumps({
        "producer": "LibreOffice (soffice --convert-to pdf)",
        "note": "expected figures: the source package's expected.json, keys with these prefixes, less not_printed "
                "(the Excel export prints 一级指标 names without their （40分） subtotal)",
        "pdfs": made}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for m in made:
        print(OUT / m["file"], (OUT / m["file"]).stat().st_size // 1024, "KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
