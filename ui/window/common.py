"""What the parts of the review window share: its title, how it names a file, small helpers."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)

APP_TITLE = "绩效自评审核"
SCANNED_CODES = ("scanned", "scanned_pages")
"""Document problems meaning pages are images without a text layer (``core.documents.pdf``): the reviewer is
told so and offered hand entry against the page image."""


def doc_key(path: str | Path) -> str:
    """How the window names a file: its normalised absolute path (the same before and after extraction)."""
    return os.path.normcase(os.path.abspath(str(path)))


def key_after(key: str) -> str:
    """The catalogue key after ``key`` (a reviewer entering a 基础数据表 by hand goes row by row), "" at the
    end."""
    from ui.field_catalogue import load_catalogue

    keys = [e.key for e in load_catalogue()]
    try:
        i = keys.index(key)
    except ValueError:
        return ""
    return keys[i + 1] if i + 1 < len(keys) else ""


def local_paths(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p]


_CHECK_NAMES: dict[str, str] | None = None

NARRATIVE_CHECK_NAMES = {
    "narrative.completion_ratio": "报告中的预算完成率", "narrative.share": "报告中的占比",
    "narrative.shares_sum": "报告中各部分占比之和", "narrative.change_rate": "报告中的增减率",
    "narrative.parts_sum": "报告中“其中”各项之和", "narrative.personnel_public": "人员经费+公用经费=基本支出",
    "narrative.project_balance": "项目预算、支出与结转", "narrative.project_budget_total": "项目预算合计",
    "narrative.item_sums": "决算说明各科目合计", "narrative.procurement_sme": "政府采购中小企业金额",
    "narrative.same_quantity": "同一数值前后一致", "narrative.year_mismatch": "报告年度",
    "narrative.placeholders": "模板文字未替换", "narrative.numbering": "标题编号",
    "narrative.empty_sections": "空白或“见附件”的章节", "narrative.text_anomalies": "文字错误",
}
"""Chinese names of the checks whose rule (docstring) begins in English: a reviewer reads Chinese only."""


def check_names() -> dict[str, str]:
    """Chinese names of the registered checks (first line of a check's docstring when it is Chinese)."""
    global _CHECK_NAMES
    if _CHECK_NAMES is not None:
        return _CHECK_NAMES
    names: dict[str, str] = {}
    try:
        from core.checks.registry import all_checks

        for info in all_checks():
            first = (info.rule.splitlines() or [""])[0].strip()
            cjk = len(re.findall(r"[\u4e00-\u9fff]", first))
            if info.id in NARRATIVE_CHECK_NAMES:
                names[info.id] = NARRATIVE_CHECK_NAMES[info.id]
            elif cjk and cjk * 5 >= len(first) * 2:  # a Chinese sentence, not English quoting Chinese terms
                name = re.split(r"[。；;:：]", first)[0]
                names[info.id] = name if len(name) <= 30 else name[:29] + "…"
        from core.export.review_items import check_catalogue

        for cid, entry in check_catalogue().checks.items():  # the problem list's name (resources/checks.json)
            if entry.name and cid not in names:
                names[cid] = entry.name
    except Exception:  # noqa: BLE001 - a broken check module must not stop the window
        log.exception("check names unavailable")
    _CHECK_NAMES = names
    return names


def unit_name_from_text(index, doc_ids: list[str], pages: int = 8) -> str:
    """The unit name printed in the documents, read from the text index's first lines of the first pages
    (``core.workspace.unit_name_from_lines``); a name that wraps on a cover or a table title ("中共上海市普陀区委"
    / "社会工作部 2024年度" / "部门决算") is read whole from the lines joined; "" when none is printed."""
    from core.workspace import unit_name_from_lines

    single: list[str] = []
    joined: list[str] = []
    for doc in doc_ids:
        by_page = getattr(index, "pages", {}).get(doc, {})
        for number in sorted(by_page)[:pages]:
            lines = [ln.text for ln in by_page[number][:8]]
            single.extend(lines)
            joined.extend(re.sub(r"\s+", "", "".join(lines[i:i + 3])) for i in range(len(lines)))
    short = unit_name_from_lines(single)
    if not short:
        return ""
    best = short
    for line in joined:  # the same name going on after a line break, up to the year or the document's title
        if not line.startswith(short):
            continue
        m = re.match(r"[\u4e00-\u9fff（）()]{1,12}?(?=\d{4}|年度|部门决算|决算|部门整体|整体支出|绩效)", line[len(short):])
        if m and m.group(0)[-1] in _NAME_ENDS and len(short) + len(m.group(0)) > len(best):
            best = short + m.group(0)
    return best


_NAME_ENDS = "部局委办院会所站队馆校厅处社联团署室心司"
"""Last characters of a unit's name (部, 局, 委员会, 办公室, 中心, 公司…)."""
