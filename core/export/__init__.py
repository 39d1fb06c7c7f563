"""Excel export of a reviewed case in the official layouts.

``export_workbooks(case, out_dir, *, corrections=(), decisions=(), reviewer="", overwrite=True)`` writes the
workbook(s) named in ``resources/layouts/workbook.json`` (by default one file, five sheets: 基础数据表,
整体支出绩效自评表, 共性指标评分表, 问题清单, 修改记录) and returns their paths.  The layouts are data
(``resources/layouts/*.json``, see ``layouts.py``); ``excel.py`` is the only module that imports openpyxl.
``export_review_opinion`` (``docx.py``) writes the draft 复核意见 beside it; ``review_items`` works out, once
for both, which findings are confirmed, excluded, undecided or resolved by a correction.
"""

from core.lazy import lazy_names

# imported on first use (PEP 562): the window names the checks through ``core.export.review_items`` when a
# case opens, and must not load openpyxl (and the numpy it imports) for that (~0.3 s on the UI thread)
_WHERE = {
    "export_review_opinion": "docx",
    "BuiltWorkbook": "excel", "build_workbooks": "excel", "export_workbooks": "excel", "safe_file_name": "excel",
    "LayoutError": "layouts", "load_all": "layouts", "load_layout": "layouts",
}


__getattr__ = lazy_names(__name__, globals(), _WHERE)


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
