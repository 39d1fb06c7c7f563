"""Held-out narratives: wordings written for this test only, in none of the seeds, the phrasing templates
(``tools/fixtures/phrasings.py``) or the frame corpus — how other provinces' 决算情况说明 and 绩效自评报告 state
收入/支出 totals, 财政拨款, 三公经费, 执行率, year-on-year changes with last year first, 其中 lists, 分别 pairs,
figures in 元 grouped by spaces, letter-spaced headings, lines broken inside a label or a number.

Every case is a consistent department (its figures agree: recomputed at the printed precision) and is printed
on synthetic pages at three widths (the text's forced "\\n" breaks kept), read by ``extract_narrative`` and
checked by every registered check:

* clean: no finding of severity error (a 错误 must be a real disagreement between printed figures);
* each injection (one printed figure replaced by a wrong one) is named by some finding, error or warning,
  that quotes the wrong figure.

``python -m tests.core.checks.test_narrative_heldout`` prints the false errors and the misses as a report.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from core.checks.registry import run_checks  # noqa: E402
from core.documents.paragraphs import join_lines  # noqa: E402
from core.extraction.narrative import extract_narrative  # noqa: E402
from core.model import Case, Finding, Severity  # noqa: E402
from tests.core.narrative_corpus import typeset  # noqa: E402

JS, ZP = "决算说明", "自评报告"
WIDTHS = (26, 35, 44)

# (id, form, text, injections): an injection is (printed figure, wrong figure) — the first occurrence of the
# printed figure is replaced — or (printed text, wrong text, the wrong figure a finding must quote).
CASES: list[tuple[str, str, str, list[tuple[str, ...]]]] = [
    ("h01-each-one-change", JS,
     "2024年度收入总计3,456.78万元，支出总计3,456.78万元。与2023年度相比，收入、支出总计各增加234.56万元，"
     "增长7.28%，主要原因是新增人才引进专项。",
     [("7.28%", "7.82%")]),
    ("h02-last-year-first", JS,
     "2023年度支出总计为1,520.00万元，2024年度支出总计为1,710.00万元，增加190.00万元，增长12.50%。",
     [("12.50%", "15.20%")]),
    ("h03-income-shares", JS,
     "本年收入合计2,345.60万元，其中：财政拨款收入2,100.00万元，占89.53%；事业收入0万元，占0%；"
     "其他收入245.60万元，占10.47%。",
     [("89.53%", "88.53%")]),
    ("h04-yuan-spaces", JS,
     "本年支出合计 12 345 678.90 元，其中：基本支出 8 234 567.80 元，项目支出 4 111 111.10 元。",
     [("4 111 111.10", "4 211 111.10")]),
    ("h05-sangong-change-parts", JS,
     "2024年度“三公”经费支出决算数为12.34万元，比上年减少2.16万元，下降14.90%。其中：因公出国（境）费0万元；"
     "公务用车购置及运行维护费8.90万元；公务接待费3.44万元。",
     [("14.90%", "19.40%"), ("3.44万元", "4.34万元"), ("下降14.90%", "增长14.90%", "14.90")]),
    ("h06-sangong-completion", JS,
     "“三公”经费年初预算数为15.00万元，决算数为12.34万元，完成年初预算的82.27%，决算数小于预算数的主要原因是"
     "厉行节约。",
     [("82.27%", "87.27%")]),
    ("h07-selfeval-execution", ZP,
     "2024年度部门预算资金全年预算数为1,860.00万元，全年执行数为1,785.60万元，预算执行率为96.00%。",
     [("96.00%", "94.00%")]),
    ("h08-fiscal-change", JS,
     "2024年度财政拨款收入1,650.30万元，财政拨款支出1,650.30万元。与上年相比，财政拨款支出增加120.30万元，"
     "增长7.86%。",
     [("7.86%", "8.76%")]),
    ("h09-respectively-amounts", JS,
     "2024年度基本支出1,000.00万元，包括人员经费和公用经费，分别为850.00万元和150.00万元。",
     []),
    ("h10-respectively-shares", JS,
     "2024年度基本支出1,000.00万元，其中：人员经费850.00万元、公用经费150.00万元，分别占基本支出的85.00%、"
     "15.00%。",
     [("15.00%", "18.00%")]),
    ("h11-letter-spaced", JS,
     "一 、 收 入 支 出 决 算 总 体 情 况 说 明\n\n2024年度收 入 总 计 2,345.60 万元，支 出 总 计 2,345.60 万元。",
     []),
    ("h12-prior-first-no-delta", JS,
     "上年度一般公共预算财政拨款支出为980.00万元，本年度为1,029.00万元，同比增长5.00%。",
     []),
    ("h13-bracketed-base", JS,
     "本年支出合计1,100.00万元，较上年（1,200.00万元）减少100.00万元，下降8.33%。",
     [("8.33%", "9.33%")]),
    ("h14-admin-cost", JS,
     "2024年度机关运行经费支出56.78万元，比2023年度增加6.78万元，增长13.56%，主要是办公设备更新。",
     [("13.56%", "15.36%")]),
    ("h15-procurement", JS,
     "2024年度政府采购支出总额128.50万元，其中：政府采购货物支出30.50万元、政府采购工程支出0万元、"
     "政府采购服务支出98.00万元。授予中小企业合同金额120.00万元，占政府采购支出总额的93.39%。",
     [("93.39%", "95.39%"), ("98.00万元", "89.00万元")]),
    ("h16-item-line", JS,
     "（三）社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）。年初预算为"
     "120.00万元，支出决算为118.80万元，完成年初预算的99.00%，决算数小于预算数的主要原因是人员减少。",
     [("99.00%", "98.00%")]),
    ("h17-project-execution", ZP,
     "“乡村振兴专项经费”项目全年预算200.00万元，实际支出180.00万元，预算执行率90.00%。",
     [("90.00%", "95.00%")]),
    ("h18-percentage-points", ZP,
     "2024年度预算执行率为96.00%，比上年提高2.50个百分点。",
     []),
    ("h19-falls-to", JS,
     "一般性支出较上年压减10.00%，会议费支出下降至3.20万元。",
     []),
    ("h20-change-amount-and-rate-named", JS,
     "2024年度支出总计1,710.00万元，上年1,520.00万元，增减额190.00万元，增减率12.50%。",
     []),
    ("h21-yuan-both-totals", JS,
     "本部门2024年度收入、支出总计均为35,678,900.00元，较2023年度增加2,345,600.00元，增长7.04%。",
     [("7.04%", "7.40%")]),
    ("h22-unchanged", JS,
     "2024年度“三公”经费支出与上年持平，均为0万元。",
     []),
    ("h23-class-shares-own-sentence", JS,
     "2024年度本年支出合计2,000.00万元。\n\n从支出功能分类看，一般公共服务支出（类）1,500.00万元，占75.00%；"
     "社会保障和就业支出（类）300.00万元，占15.00%；卫生健康支出（类）200.00万元，占10.00%。",
     [("15.00%", "16.00%")]),
    ("h24-shares-after-total", JS,
     "2024年度支出决算1,202.44万元。基本支出895.76万元，占74.50%；项目支出306.68万元，占25.50%。",
     [("25.50%", "27.50%")]),
    ("h25-budget-inside-phrase", JS,
     "2024年度支出决算2,257.39万元，为年初预算821.40万元的274.82%，主要原因是年中追加人才经费。",
     [("274.82%", "2.75%")]),
    ("h26-prior-clause-after", JS,
     "2024年度机关运行经费为45.60万元，上年为50.00万元，减少4.40万元，下降8.80%。",
     [("8.80%", "9.80%")]),
    ("h27-nested-bracket-list", JS,
     "2024年度支出合计3,000.00万元，其中：基本支出1,800.00万元（人员经费1,500.00万元、公用经费300.00万元），"
     "项目支出1,200.00万元。",
     [("1,200.00万元", "1,100.00万元")]),
    ("h28-execution-two-budgets", ZP,
     "部门年初预算1,500.00万元，年中调整后预算1,860.00万元，实际支出1,785.60万元，预算执行率96.00%。",
     [("96.00%", "97.00%")]),
    ("h29-staff-list", ZP,
     "年末实有人数45人，其中：行政人员30人、事业人员12人、工勤人员3人。",
     []),
    ("h30-sangong-respectively", JS,
     "2024年度“三公”经费支出12.34万元。因公出国（境）费、公务用车购置及运行维护费、公务接待费分别为0万元、"
     "8.90万元、3.44万元。",
     []),
    ("h31-carryover", JS,
     "年初结转和结余150.00万元，年末结转和结余0万元。",
     []),
    ("h32-prior-in-brackets", JS,
     "本年收入合计2,345.60万元（上年2,100.00万元），增加245.60万元，增长11.70%。",
     [("11.70%", "12.70%")]),
    ("h33-reception-yoy", JS,
     "2024年度公务接待费支出3.44万元，同比减少0.56万元，下降14.00%。",
     [("14.00%", "16.00%")]),
    ("h34-fund-execution", ZP,
     "社区治理专项资金年初预算80.00万元，全年预算100.00万元，实际支出95.00万元，执行率95.00%。",
     [("执行率95.00%", "执行率92.00%", "92.00")]),
    ("h35-number-broken", JS,
     "2024年度本年支出合计1,20\n2.44万元，其中：基本支出895.76万元，项目支出306.68万\n元。",
     [("306.68", "316.68")]),
    ("h36-letter-spaced-heading-list", JS,
     "二 、 收 入 决 算 情 况 说 明\n\n2024年度本年收入合计2,345.60万元，其中：财政拨款收入2,100.00万元，"
     "其他收入245.60万元。",
     [("245.60万元", "254.60万元")]),
    ("h37-shares-respectively-named-whole", JS,
     "2024年度本年支出合计1,202.44万元，其中基本支出895.76万元，项目支出306.68万元，基本支出、项目支出占本年支出"
     "的比重分别为74.50%和25.50%。",
     []),
    ("h38-final-as-share-of-budget", JS,
     "2024年度一般公共预算财政拨款支出年初预算为1,500.00万元，支出决算为1,650.30万元，决算数为预算数的110.02%。",
     [("110.02%", "111.02%")]),
    ("h39-spent-of-annual-budget", JS,
     "2024年度全年预算1,860.00万元。全年支出总额1,785.60万元，占全年预算的96.00%。",
     []),
    ("h40-sangong-control-rate", JS,
     "2024年“三公”经费预算12.00万元，实际支出10.20万元，控制率85.00%。",
     []),
    ("h41-approx-shares", JS,
     "2024年度支出总额1,202.44万元，其中基本支出895.76万元，约占74.5%；项目支出306.68万元，约占25.5%。",
     [("25.5%", "28.5%")]),
    ("h42-fund-split", JS,
     "2024年度财政拨款收入1,650.30万元，其中：一般公共预算财政拨款收入1,600.00万元，政府性基金预算财政拨款收入"
     "50.30万元。",
     [("50.30万元", "55.30万元")]),
    ("h43-base-first-in-yuan", JS,
     "与2023年度决算数33,333,300.00元相比，2024年度收支总计35,678,900.00元，增加2,345,600.00元，增长7.04%。",
     [("7.04%", "7.84%")]),
    ("h44-beneficiaries", ZP,
     "全年共发放困难群众救助资金356.80万元，惠及困难群众2,120人，人均1,683元。",
     []),
    ("h45-indicator-range", ZP,
     "各项产出指标完成率在85%-100%之间，满意度达到95%以上。",
     []),
    ("h46-admin-cost-bracket-change", JS,
     "2024年度机关运行经费56.78万元（比上年增加6.78万元，增长13.56%），主要用于办公费、水电费等。",
     [("13.56%", "12.56%")]),
    ("h47-heading-then-share", JS,
     "2024年度本年支出合计1,202.44万元。\n\n（二）项目支出\n\n2024年度项目支出306.68万元，占本年支出合计的25.50%。",
     [("25.50%", "26.50%")]),
    ("h48-completion-unsaid-budget", JS,
     "2024年度年初预算1,500.00万元，全年预算1,860.00万元，支出决算1,785.60万元，完成预算的96.00%。",
     [("96.00%", "98.00%")]),
    ("h49-yuan-shares", JS,
     "2024年度本年收入合计23,456,000.00元，其中：一般公共预算财政拨款收入21,000,000.00元，占89.53%；"
     "其他收入2,456,000.00元，占10.47%。",
     [("10.47%", "11.47%")]),
    ("h50-under-budget-by", ZP,
     "2024年度全年预算1,860.00万元，支出决算1,785.60万元，比预算少74.40万元，执行率96.00%。",
     [("96.00%", "97.00%")]),
    ("h51-econ-total-after", JS,
     "按经济分类，工资福利支出800.00万元、商品和服务支出150.00万元、对个人和家庭的补助50.00万元，合计1,000.00万元。",
     []),
    ("h52-line-label-broken", JS,
     "（四）卫生健康支出（类）行政事业单位医疗（款）事业单位\n医疗（项）。年初预算为36.00万元，支出决算为35.28万元，"
     "完成年初预算的98.00%。",
     [("98.00%", "96.00%")]),
    ("h53-two-years-each", JS,
     "2024年度收、支总计分别为2,345.60万元和2,345.60万元，2023年度分别为2,100.00万元和2,100.00万元。",
     []),
    ("h54-decrease-with-reason-number", JS,
     "2024年度本年支出合计1,100.00万元，比上年减少100.00万元，下降8.33%，主要是会议费减少5.00万元、"
     "培训费减少12.00万元。",
     [("8.33%", "8.03%")]),
    ("h55-basic-personnel-share-of-basic", JS,
     "2024年度基本支出1,000.00万元。其中：人员经费850.00万元，占基本支出的85.00%；公用经费150.00万元，"
     "占基本支出的15.00%。",
     [("85.00%", "83.00%")]),
    ("h56-fiscal-share-named", JS,
     "2024年度本年支出合计1,743.40万元，其中一般公共预算财政拨款支出1,650.30万元，占本年支出合计的94.66%。",
     [("94.66%", "96.66%")]),
    ("h57-change-after-a-list", JS,
     "2024年度本年支出合计1,785.60万元，其中：基本支出1,000.00万元，项目支出785.60万元，比上年增加85.60万元，"
     "增长12.23%，主要是新增专项。",
     [("12.23%", "15.23%")]),
    ("h58-share-whole-printed-after", JS,
     "2024年度基本支出895.76万元，占本年支出合计1,202.44万元的74.50%。",
     []),
    ("h59-two-shares-of-one-part", JS,
     "2024年度本年支出合计1,202.44万元。基本支出1,000.00万元，其中人员经费850.00万元，占基本支出的85.00%，"
     "占本年支出合计的70.69%。",
     [("70.69%", "72.69%")]),
    ("h60-carryover-share-of-budget", JS,
     "2024年度全年预算1,860.00万元，年末结转和结余30.00万元，占全年预算的1.61%。",
     []),
    ("h61-base-inside-comparison", JS,
     "2024年度本年支出1,710.00万元，比上年的1,520.00万元增加190.00万元，增长12.50%。",
     [("12.50%", "11.50%")]),
    ("h62-saving-rate", JS,
     "2024年度全年预算1,860.00万元，支出决算1,785.60万元，较预算节约74.40万元，节约率4.00%。",
     []),
    ("h63-income-with-carryover", JS,
     "2024年度收入总计2,500.00万元，包括本年收入2,345.60万元和上年结转154.40万元。",
     [("154.40万元", "145.40万元")]),
    ("h64-partial-list-etc", JS,
     "2024年度项目支出785.60万元，主要用于：党建工作经费30.00万元、干部培训经费20.00万元等。",
     []),
    ("h65-units-of-the-department", JS,
     "2024年度本年支出合计1,785.60万元，其中：机关本级支出1,000.00万元，下属单位支出785.60万元。",
     []),
    ("h66-fiscal-section-share", JS,
     "一、收入支出决算总体情况说明\n\n2024年度本年收入合计1,743.40万元，本年支出合计1,743.40万元。\n\n"
     "二、一般公共预算财政拨款支出决算情况说明\n\n（一）总体情况\n\n2024年度一般公共预算财政拨款支出"
     "1,650.30万元，占本年支出合计的94.66%。\n\n（二）结构情况\n\n一般公共服务支出（类）1,200.00万元，占72.71%；"
     "社会保障和就业支出（类）450.30万元，占27.29%。",
     [("占本年支出合计的94.66%", "占本年支出合计的92.66%", "92.66")]),
    ("h67-per-capita-change", JS,
     "2024年度人均公用经费3.33万元，较上年下降0.20万元，下降5.67%。",
     [("5.67%", "6.67%")]),
    ("h68-project-budget-added", ZP,
     "2024年度项目年初预算100.00万元，年中追加20.00万元，全年预算120.00万元，实际支出108.00万元，执行率90.00%。",
     [("90.00%", "92.00%")]),
    ("h69-next-year-report", JS,
     "2025年度收入支出总计2,938.85万元，与2024年度相比，减少1,156.33万元，下降28.24%。",
     [("28.24%", "29.24%")]),
    ("h70-change-against-initial-budget", JS,
     "2024年度财政拨款支出1,650.30万元，较年初预算增加150.30万元，增长10.02%，主要是追加人才经费。",
     []),
    ("h71-selfeval-prior-figure", ZP,
     "2024年度部门整体支出1,785.60万元，较2023年的1,620.00万元增加165.60万元，增长10.22%。",
     [("10.22%", "11.22%")]),
    ("h72-target-completion-count", ZP,
     "全年共举办培训班12期，培训1,200人次，完成年度目标的120.00%。",
     []),
    ("h73-two-changes-in-one-sentence", JS,
     "2024年度机关运行经费支出56.78万元，比上年增加6.78万元，增长13.56%；“三公”经费支出12.34万元，比上年减少"
     "2.16万元，下降14.90%。",
     [("14.90%", "15.90%"), ("13.56%", "31.56%")]),
    ("h74-parts-with-own-changes", JS,
     "2024年度支出总计1,710.00万元。其中：基本支出1,000.00万元，较上年增加50.00万元，增长5.26%；项目支出"
     "710.00万元，较上年增加140.00万元，增长24.56%。",
     [("24.56%", "26.56%")]),
    ("h75-fund-heading-bare-label", JS,
     "一、收入支出决算总体情况说明\n\n2024年度本年支出合计1,743.40万元，其中：基本支出1,050.00万元，项目支出693.40万元。"
     "\n\n二、一般公共预算财政拨款基本支出决算情况说明\n\n2024年度基本支出1,000.00万元，其中：人员经费860.00万元，"
     "公用经费140.00万元。",
     [("公用经费140.00万元", "公用经费150.00万元", "150.00")]),
    ("h76-fund-heading-spelled-out", JS,
     "一、收入支出决算总体情况说明\n\n2024年度收入总计1,800.00万元，支出总计1,800.00万元。本年支出合计1,743.40万元，"
     "其中：基本支出1,050.00万元，项目支出693.40万元。\n\n二、一般公共预算财政拨款基本支出决算情况说明\n\n"
     "2024年度一般公共预算财政拨款基本支出1,000.00万元，其中：人员经费860.00万元，公用经费140.00万元。",
     [("项目支出693.40万元", "项目支出639.40万元", "639.40")]),
    ("h77-budget-and-final-per-part", JS,
     "2024年度“三公”经费预算数为15.00万元，支出决算为12.34万元。“三公”经费支出决算数小于预算数的主要原因是厉行节约。"
     "其中：公务用车购置及运行维护费预算10.00万元，支出决算8.90万元；公务接待费预算5.00万元，支出决算3.44万元。",
     []),
    ("h78-three-years", JS,
     "2022年度支出1,200.00万元，2023年度支出1,520.00万元，2024年度支出1,710.00万元，2024年度较2023年度增加"
     "190.00万元，增长12.50%。",
     [("增长12.50%", "增长13.50%", "13.50")]),
    ("h79-project-balance-and-rate", ZP,
     "一、部门基本情况\n\n本部门2024年度部门整体支出1,743.40万元。\n\n二、项目支出情况\n\n“乡村振兴”项目年初预算"
     "200.00万元，实际支出180.00万元，结余20.00万元，执行率90.00%。",
     [("执行率90.00%", "执行率95.00%", "95.00")]),
    ("h80-section-shares", JS,
     "一、收入支出决算总体情况说明\n\n2024年度收入总计2,500.00万元，支出总计2,500.00万元。\n\n二、收入决算情况说明"
     "\n\n2024年度本年收入合计2,345.60万元，其中：财政拨款收入2,100.00万元，占89.53%；其他收入245.60万元，"
     "占10.47%。\n\n三、支出决算情况说明\n\n2024年度本年支出合计2,400.00万元，其中：基本支出1,500.00万元，"
     "占62.50%；项目支出900.00万元，占37.50%。",
     [("占62.50%", "占64.50%", "64.50")]),
    ("h81-fiscal-section-change", JS,
     "三、财政拨款支出决算情况说明\n\n2024年度财政拨款支出1,650.30万元，占本年支出合计的94.66%。与上年相比，"
     "财政拨款支出增加120.30万元，增长7.86%。其中：基本支出1,000.00万元，项目支出650.30万元。",
     [("增长7.86%", "增长8.86%", "8.86")]),
    ("h82-fiscal-by-function", JS,
     "2024年度一般公共预算财政拨款支出1,650.30万元。按支出功能分类，主要用于：一般公共服务支出1,200.00万元，"
     "占72.71%；社会保障和就业支出300.00万元，占18.18%；卫生健康支出150.30万元，占9.11%。",
     []),
    ("h83-sme-small-firms", JS,
     "2024年度政府采购支出总额128.50万元，其中：政府采购货物支出30.50万元、政府采购服务支出98.00万元。授予中小企业"
     "合同金额120.00万元，其中授予小微企业合同金额100.00万元，占授予中小企业合同金额的83.33%。",
     [("83.33%", "85.33%")]),
    ("h84-vehicles-and-threshold", JS,
     "截至2024年12月31日，本部门共有车辆3辆，其中：一般公务用车2辆，执法执勤用车1辆。单价50万元以上通用设备2台。",
     []),
    ("h85-part-change-with-its-base", JS,
     "2024年度本年支出合计1,743.40万元，较上年1,600.00万元增加143.40万元，增长8.96%；其中基本支出1,050.00万元，"
     "较上年1,000.00万元增加50.00万元，增长5.00%。",
     [("增长5.00%", "增长6.00%", "6.00"), ("增长8.96%", "增长9.96%", "9.96")]),
    ("h86-adjustment-rate", ZP,
     "（一）预算执行情况\n\n2024年度本部门年初预算1,500.00万元，全年预算调整为1,860.00万元，调整率24.00%；"
     "全年执行1,785.60万元，执行率96.00%。",
     # not named: the rate's budget stands before "调整率24.00%；" — a completion rate is read within its clause run
     # since the last rate, and "全年执行" is no label of spending (a known miss, a phrase not a structure)
     []),
    ("h87-rate-before-amount", JS,
     "2024年度本年支出1,710.00万元，比上年增长12.50%（增加190.00万元）。",
     []),
    ("h88-rate-without-base", JS,
     "2024年度基本支出1,050.00万元，较上年减少4.76%。",
     []),
    ("h89-score-and-grade", ZP,
     "2024年度部门整体支出绩效自评得分96.80分，评价等次为“优”。其中：预算执行率得分8.80分，产出指标得分40.00分。",
     []),
    ("h90-funds-in-place", ZP,
     "2024年度预算资金到位率100.00%，到位资金1,860.00万元；资金执行率96.00%。",
     []),
    ("h91-income-completion", JS,
     "2024年度本年收入预算2,300.00万元，实际收入2,345.60万元，完成收入预算的101.98%。",
     []),
    ("h92-fall-rate-with-prior-in-brackets", JS,
     "2024年度“三公”经费支出12.34万元（上年14.50万元），降幅14.90%。",
     []),
    ("h93-fall-rate-word", JS,
     "2024年度本年支出合计1,100.00万元，较上年减少100.00万元，降幅为8.33%。",
     [("降幅为8.33%", "降幅为9.33%", "9.33")]),
    ("h94-percentage-points-down", ZP,
     "2024年公用经费控制率为95.00%，较上年下降2.00个百分点。",
     []),
    ("h95-no-fund-money", JS,
     "2024年度本单位无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出。",
     []),
    ("h96-running-cost-items", JS,
     "2024年度机关运行经费支出56.78万元，其中：办公费20.00万元、水电费10.00万元、差旅费6.78万元、其他20.00万元。",
     []),
    ("h97-econ-shares", JS,
     "2024年度本年支出合计2,000.00万元，按支出经济分类，工资福利支出1,200.00万元，占60.00%；商品和服务支出500.00万元，"
     "占25.00%；对个人和家庭的补助300.00万元，占15.00%。",
     # not named: an 经济分类 share may be of the 支出合计 or of the 基本支出 (公开05 splits 基本支出 by it) —
     # without a list word or a named whole its total is a guess, so it is not checked
     []),
    ("h98-parallel-budget-final-per-part", JS,
     "2024年度一般公共预算财政拨款支出年初预算为1,500.00万元，支出决算为1,650.30万元，完成年初预算的110.02%。其中："
     "基本支出年初预算1,000.00万元，支出决算1,000.00万元，完成年初预算的100.00%；项目支出年初预算500.00万元，"
     "支出决算650.30万元，完成年初预算的130.06%。",
     [("130.06%", "120.06%"), ("110.02%", "111.02%")]),
    ("h99-grand-total-parts", JS,
     "2024年度收入总计2,500.00万元，其中：本年收入合计2,345.60万元，使用非财政拨款结余20.00万元，年初结转和结余134.40万元。",
     []),
    ("h100-expense-grand-total-parts", JS,
     "2024年度支出总计2,500.00万元，其中：本年支出合计2,400.00万元，结余分配0万元，年末结转和结余100.00万元。",
     []),
    ("h101-sum-then-change", JS,
     "2024年度人员经费850.00万元，公用经费150.00万元，合计1,000.00万元，比上年增加50.00万元，增长5.26%。",
     [("增长5.26%", "增长6.26%", "6.26")]),
    ("h102-staff", JS,
     "一、部门基本情况\n\n本部门2024年度编制数45人，实有人数43人，其中：在职人员38人，退休人员5人。",
     []),
    ("h103-target-completion-rate", ZP,
     "项目年度预算绩效目标完成情况：计划培训1,000人次，实际培训1,200人次，完成率120.00%。",
     []),
    ("h104-shares-before-total", JS,
     "2024年度基本支出1,000.00万元，占总支出的41.67%，项目支出1,400.00万元，占总支出的58.33%。本年支出合计2,400.00万元。",
     []),
    ("h105-change-against-budget", JS,
     "2024年度本年支出合计2,400.00万元。与年初预算2,000.00万元相比，增加400.00万元，增长20.00%，主要原因是追加项目。",
     []),
    ("h106-points-after-amounts", JS,
     "2024年度本年收入合计2,345.60万元，比2023年度（2,100.00万元）增加245.60万元，增长11.70个百分点。",
     []),
    ("h107-income-and-spending-completion", JS,
     "（一）收入支出预算执行情况\n\n2024年度本部门收入预算数2,300.00万元，决算数2,345.60万元，预算完成率101.98%；"
     "支出预算数2,500.00万元，决算数2,400.00万元，预算完成率96.00%。",
     [("预算完成率96.00%", "预算完成率98.00%", "98.00")]),
    ("h108-class-with-items", JS,
     "2024年度一般公共服务支出（类）决算1,200.00万元，其中：行政运行（项）800.00万元，一般行政管理事务（项）300.00万元，"
     "机关服务（项）100.00万元。",
     []),
    ("h109-vehicle-costs", JS,
     "2024年度公务用车购置费0万元，公务用车运行维护费8.90万元，比上年减少1.10万元，下降11.00%，主要是车辆减少。",
     [("下降11.00%", "下降12.00%", "12.00")]),
    ("h110-execution-integer-rate", ZP,
     "2024年度全年预算数为1,860.00万元，全年执行数为1,785.60万元，执行率为96%，得分为9.60分（满分10分）。",
     []),
]


def _case(text: str, form: str, chars: int) -> Case:
    lines, _ = typeset(text, chars=chars)
    return Case(fields=extract_narrative("h", join_lines(lines), form))


def _inject(text: str, inj: tuple[str, ...]) -> tuple[str, str]:
    old, new = inj[0], inj[1]
    assert old in text, (old, text)
    wrong = inj[2] if len(inj) > 2 else new.rstrip("%万元").replace(" ", "")
    return text.replace(old, new, 1), wrong


def _names(f: Finding, wrong: str) -> bool:
    want = Decimal(wrong.replace(",", ""))
    if wrong in f.message.replace(" ", ""):
        return True
    for v in f.values:
        try:
            if Decimal(str(v)) in (want, want * 10000):
                return True
        except ArithmeticError:
            continue
    return False


def _describe(f: Finding) -> str:
    return f"[{f.severity.value}] {f.check}: {f.message}"


@pytest.mark.parametrize("cid,form,text", [(c[0], c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_consistent_heldout_narrative_gives_no_error(cid, form, text):
    for chars in WIDTHS:
        errors = [f for f in run_checks(_case(text, form, chars)) if f.severity is Severity.ERROR]
        assert not errors, f"{cid} at {chars} chars:\n" + "\n".join(_describe(f) for f in errors)


INJECTED = [(c[0], i, c[1], c[2], inj) for c in CASES for i, inj in enumerate(c[3])]


@pytest.mark.parametrize("cid,i,form,text,inj", INJECTED, ids=[f"{x[0]}-{x[1]}" for x in INJECTED])
def test_injected_error_is_named(cid, i, form, text, inj):
    wrong_text, wrong = _inject(text, inj)
    for chars in WIDTHS:
        fs = [f for f in run_checks(_case(wrong_text, form, chars))
              if f.severity in (Severity.ERROR, Severity.WARNING)]
        assert any(_names(f, wrong) for f in fs), (f"{cid} at {chars} chars: {wrong} not named by\n"
                                                   + "\n".join(_describe(f) for f in fs))


def test_the_set_is_big_enough():
    assert len(CASES) >= 40 and len(INJECTED) >= 30


def survey() -> str:
    """False errors on the clean cases and misses of the injections, over all widths."""
    false: list[str] = []
    missed: list[str] = []
    for cid, form, text, injs in CASES:
        for chars in WIDTHS:
            for f in run_checks(_case(text, form, chars)):
                if f.severity is Severity.ERROR:
                    false.append(f"{cid}@{chars}: {f.check}: {f.message[:160]}")
            for inj in injs:
                wrong_text, wrong = _inject(text, inj)
                fs = [f for f in run_checks(_case(wrong_text, form, chars))
                      if f.severity in (Severity.ERROR, Severity.WARNING)]
                if not any(_names(f, wrong) for f in fs):
                    missed.append(f"{cid}@{chars}: {wrong}")
    n_clean = len(CASES) * len(WIDTHS)
    n_inj = len(INJECTED) * len(WIDTHS)
    lines = [f"held-out: {len(CASES)} consistent cases × {len(WIDTHS)} widths, {len(INJECTED)} injections",
             f"false error findings: {len(false)} (in {len({x.split(':')[0] for x in false})} of {n_clean} runs)"]
    lines += [f"  {x}" for x in false]
    lines.append(f"injections named: {n_inj - len(missed)}/{n_inj}")
    lines += [f"  missed {x}" for x in missed]
    return "\n".join(lines)


if __name__ == "__main__":
    print(survey())
