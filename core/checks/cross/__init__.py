"""Checks across the documents of a package (domain.md §5: C1–C17, C20–C22, C29, C31, C35).

Why it exists: each document of a 部门整体支出绩效自评 package can be right on its own and still disagree with
the others; that is what a reviewer looks for most.  The narrative (自评报告 N, 决算情况说明) states a quantity
many times: every statement is compared with the structured figures (自评表 S, 基础数据表 B, 决算 tables J),
and a finding names every place involved so the window can light them all up.

What it must not do: check one document's own arithmetic (``basic.py``, ``accounts.py``, ``selfeval.py``,
``narrative.py`` do), or raise on missing data: a check whose inputs are absent returns no finding.  Lists the
extractor linked to a stated whole are the narrative's own arithmetic (``narrative.py``) and are not checked
again here.  Two text keys are read when an extractor provides them: ``report.problems`` (the text of
存在的问题) and ``report.unit_name``.

The package, one module per family of checks:

    reading          the helpers every family uses: narrative statements (``statements``, ``sentence``,
                     ``subject``, ``group_id``), 决算 figures as fields (``j_figure``, ``j_cell``), messages
                     (``show``, ``diff_wan``) and the two comparisons (``agree``, ``whole_parts``); how figures
                     are compared (万元, printed precision, 尾数差异) is described there
    totals           C1–C5   支出合计, 收入合计/收支总计, 财政拨款, 基本支出, 项目支出, 人员经费＋公用经费
    projects         C7, C9, C10   the listed projects vs 项目支出, 结余结转 vs 年末结转和结余, 年初预算
    income           C12     收入性质 (自评表 income parts, 政府性基金)
    sangong          C13, C14   “三公”经费 budget/final and the stated change from last year
    spending         C15–C17, meeting_training   公用经费, 存在的问题 that says none, 预算调整, 会议费/培训费
    project_budgets  C20     a project's 年初预算 vs the 决算情况说明's 科目 that names it
    people           C21, C22, C29   编制数/实有人数, headcount indicators, 成本指标 vs 决算
    package          C31, C35   the unit's name, the documents of the package
    accounts_text    the 决算情况说明's 类 and 科目 amounts vs the 决算 tables (j_class_amounts, j_item_amounts)

Importing this package registers every check; the registry runs them in registration order, which is the
order of the imports below (keep it: findings of equal severity are listed in that order).  A new check goes
into the module of its family; a new module is imported here, in the place its checks should run.
"""

# Each import registers its family's checks: this order is the order they run in (not alphabetical).
# isort: off
from core.checks.cross import reading  # noqa: F401
from core.checks.cross import totals  # noqa: F401
from core.checks.cross import projects  # noqa: F401
from core.checks.cross import income  # noqa: F401
from core.checks.cross import sangong  # noqa: F401
from core.checks.cross import spending  # noqa: F401
from core.checks.cross import project_budgets  # noqa: F401
from core.checks.cross import people  # noqa: F401
from core.checks.cross import package  # noqa: F401
from core.checks.cross import accounts_text  # noqa: F401
# isort: on
