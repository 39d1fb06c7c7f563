"""Excel export of a reviewed case in the official layouts.

``export_workbooks(case, out_dir, *, corrections=(), decisions=(), reviewer="", overwrite=True)`` writes the
workbook(s) named in ``resources/layouts/workbook.json`` (by default one file, five sheets: 基础数据表,
整体支出绩效自评表, 共性指标评分表, 问题清单, 修改记录) and returns their paths.  The layouts are data
(``resources/layouts/*.json``, see ``layouts.py``); ``excel.py`` is the only module that imports openpyxl.
``export_review_opinion`` (``docx.py``) writes the draft 复核意见 beside it; ``review_items`` works out, once
for both, which findings are confirmed, excluded, undecided or resolved by a correction.
"""

from core.export.docx import export_review_opinion
from core.export.excel import BuiltWorkbook, build_workbooks, export_workbooks, safe_file_name
from core.export.layouts import LayoutError, load_all, load_layout

__all__ = [
    "BuiltWorkbook",
    "LayoutError",
    "build_workbooks",
    "export_review_opinion",
    "export_workbooks",
    "load_all",
    "load_layout",
    "safe_file_name",
]
